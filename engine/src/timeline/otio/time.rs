//! OpenTimelineIO times (a float `value` at a float `rate`) as whole frames
//! at rational rates.
//!
//! A rate within 1e-3 of a standard one is that rational (23.976023976…
//! and 23.976 are both 24000/1001); any other becomes the nearest ratio
//! with a denominator up to 1001. A time at the timeline's own rate is its
//! `value`, exactly (so an hour of 23.976 has no drift); at another rate it
//! is rescaled through the two rationals and rounded to the nearest frame.

use super::raw::RawTime;
use crate::timeline::model::FrameRate;

/// Rates editors use, as OpenTimelineIO's `is_valid_timecode_rate` lists
/// them (plus 12, 16 and 18 for animation and silent film).
const STANDARD: [(u32, u32); 19] = [
    (12, 1),
    (15, 1),
    (16, 1),
    (18, 1),
    (24000, 1001),
    (24, 1),
    (25, 1),
    (30000, 1001),
    (30, 1),
    (48000, 1001),
    (48, 1),
    (50, 1),
    (60000, 1001),
    (60, 1),
    (72, 1),
    (96, 1),
    (100, 1),
    (120000, 1001),
    (120, 1),
];

/// `fps` as a rational; `None` for 0, negative, NaN, infinite or absurd rates.
pub fn rate_of(fps: f64) -> Option<FrameRate> {
    // Files repeat one rate on every time: the search runs once per rate.
    thread_local! {
        static LAST: std::cell::Cell<Option<(u64, Option<FrameRate>)>> =
            const { std::cell::Cell::new(None) };
    }
    if let Some((bits, rate)) = LAST.get() {
        if bits == fps.to_bits() {
            return rate;
        }
    }
    let rate = search(fps);
    LAST.set(Some((fps.to_bits(), rate)));
    rate
}

fn search(fps: f64) -> Option<FrameRate> {
    if !fps.is_finite() || fps <= 0.0 || fps > 1e6 {
        return None;
    }
    if let Some(&(num, den)) = STANDARD
        .iter()
        .find(|&&(n, d)| (f64::from(n) / f64::from(d) - fps).abs() < 1e-3)
    {
        return FrameRate::new(num, den);
    }
    // The nearest ratio with a small denominator (exact for whole rates).
    let (num, den) = (1..=1001u32)
        .map(|d| ((fps * f64::from(d)).round(), d))
        .min_by(|a, b| {
            let ea = (a.0 / f64::from(a.1) - fps).abs();
            let eb = (b.0 / f64::from(b.1) - fps).abs();
            ea.total_cmp(&eb)
        })
        .unwrap_or((fps.round(), 1));
    FrameRate::new(num as u32, den)
}

/// Why a time cannot be used, for the problem list.
pub fn check(t: &RawTime) -> Result<FrameRate, String> {
    if !t.value.0.is_finite() {
        return Err(format!("time value {} is not a number", t.value.0));
    }
    rate_of(t.rate.0).ok_or_else(|| format!("rate {} is not a frame rate", t.rate.0))
}

/// `t` in frames at `to`, to the nearest frame; `Err` names what is wrong.
pub fn frames(t: &RawTime, to: FrameRate) -> Result<i64, String> {
    let from = check(t)?;
    let v = if from == to {
        t.value.0
    } else {
        t.value.0 * f64::from(to.num) * f64::from(from.den)
            / (f64::from(to.den) * f64::from(from.num))
    };
    // Past 2^53 frames (centuries) a frame count is no longer exact.
    if v.abs() > 9.0e15 {
        return Err(format!(
            "time {} at {} fps is out of range",
            t.value.0, t.rate.0
        ));
    }
    Ok(v.round() as i64)
}

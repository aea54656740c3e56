//! Transfer curves: each camera log and display encoding as the engine's
//! own ops (CLF camera Log, moncurve Exponent, Range, 1D LUT), encoded to
//! linear, with the vendor's constants and the table builders OpenColorIO
//! uses where no single CLF op fits.

use crate::grade::Op;
use crate::ops::{Direction, Exponent, ExponentStyle, Log, LogParams, LogStyle, Lut1d, Range};

/// A CLF camera log curve, decoding direction (log to linear), same for all
/// channels: `log = lss * log_base(lin_slope * x + lin_offset) + lso` above
/// `brk`, linear below (with `linear_slope` when the vendor gives one, else
/// the slope that joins the curves smoothly).
fn camera_log(
    base: f64,
    lss: f64,
    lso: f64,
    lin_slope: f64,
    lin_offset: f64,
    brk: f64,
    linear_slope: Option<f64>,
) -> Op {
    let p = LogParams {
        base,
        log_side_slope: lss,
        log_side_offset: lso,
        lin_side_slope: lin_slope,
        lin_side_offset: lin_offset,
        lin_side_break: Some(brk),
        linear_slope,
    };
    Op::Log(Log {
        style: LogStyle::CameraLogToLin,
        params: [p; 3],
    })
}

fn exponent(style: ExponentStyle, gamma: f64, offset: f64) -> Op {
    Op::Exponent(Exponent {
        style,
        exponent: [gamma; 3],
        offset: [offset; 3],
    })
}

/// A 1D LUT over [0, 1] sampled from `f` in f64 at `n` even steps, stored as
/// f32 (OpenColorIO `CreateLut`).
fn sampled_lut(n: usize, f: fn(f64) -> f64) -> Op {
    let table = (0..n)
        .map(|i| [f(i as f64 / (n as f64 - 1.0)) as f32; 3])
        .collect();
    Op::Lut1d(Lut1d {
        table,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        half_domain: false,
        direction: Direction::Forward,
    })
}

/// A half-domain 1D LUT: `f` in f64 at every half-float value, NaN codes
/// giving f(0) and the infinities f(+-65504) (OpenColorIO `CreateHalfLut`).
fn half_lut(f: fn(f64) -> f64) -> Op {
    let table = (0..=u16::MAX)
        .map(|bits| {
            let h = half::f16::from_bits(bits);
            let x = if h.is_nan() {
                0.0
            } else if h.is_infinite() {
                f64::from(half::f16::MAX.to_f32()).copysign(f64::from(h.to_f32()))
            } else {
                f64::from(h.to_f32())
            };
            [f(x) as f32; 3]
        })
        .collect();
    Op::Lut1d(Lut1d {
        table,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        half_domain: true,
        direction: Direction::Forward,
    })
}

pub(super) fn none() -> Vec<Op> {
    Vec::new()
}

/// ARRI LogC3 at EI 800 (ARRI "ALEXA Log C Curve - Usage in VFX", 2017),
/// with the unrounded parameters OpenColorIO derives from ARRI's formula
/// (ArriCameras.cpp): `t = c log10(a x + b) + d` above `cut`.
mod logc3 {
    pub const LIN_SLOPE: f64 = 1.0 / (0.18 * 0.005 * (800.0 / 400.0) / 0.01);
    pub const LIN_OFFSET: f64 = 0.0522722750;
    pub const LOG_SLOPE: f64 = 0.2471896383;
    pub const LOG_OFFSET: f64 = 0.3855369987;
    pub const CUT: f64 = ((1.0 / 9.0) - LIN_OFFSET) / LIN_SLOPE;
}

pub(super) fn logc3() -> Vec<Op> {
    use logc3::*;
    vec![camera_log(
        10.0, LOG_SLOPE, LOG_OFFSET, LIN_SLOPE, LIN_OFFSET, CUT, None,
    )]
}

/// ARRI LogC4 (ARRI "LogC4 Logarithmic Color Space Specification", 2022):
/// `t = (log2(a x + 64) - 6) / 14 * b + c` above `t_cut`, with
/// `a = (2^18 - 16) / 117.45`, `b = (1023 - 95) / 1023`, `c = 95 / 1023`;
/// the values as OpenColorIO writes them (ArriCameras.cpp).
mod logc4 {
    pub const LIN_SLOPE: f64 = 2231.82630906769;
    pub const LIN_OFFSET: f64 = 64.0;
    pub const LOG_SLOPE: f64 = 0.0647954196341293;
    pub const LOG_OFFSET: f64 = -0.295908392682586;
    pub const CUT: f64 = -0.0180569961199113;
}

pub(super) fn logc4() -> Vec<Op> {
    use logc4::*;
    vec![camera_log(
        2.0, LOG_SLOPE, LOG_OFFSET, LIN_SLOPE, LIN_OFFSET, CUT, None,
    )]
}

/// Sony S-Log3 (Sony "Technical Summary for S-Gamut3.Cine/S-Log3 and
/// S-Gamut3/S-Log3"): `(420 + 261.5 log10((x + 0.01) / 0.19)) / 1023` above
/// 0.01125, and Sony's own straight line below it, from code 95 to
/// 171.2102946929 (not the tangent), as OpenColorIO's SonyCameras.cpp has it.
mod slog3 {
    pub const LIN_SLOPE: f64 = 1.0 / (0.18 + 0.01);
    pub const LIN_OFFSET: f64 = 0.01 / (0.18 + 0.01);
    pub const LOG_SLOPE: f64 = 261.5 / 1023.0;
    pub const LOG_OFFSET: f64 = 420.0 / 1023.0;
    pub const CUT: f64 = 0.01125000;
    pub const LINEAR_SLOPE: f64 = ((171.2102946929 - 95.0) / 0.01125000) / 1023.0;
}

pub(super) fn slog3() -> Vec<Op> {
    use slog3::*;
    vec![camera_log(
        10.0,
        LOG_SLOPE,
        LOG_OFFSET,
        LIN_SLOPE,
        LIN_OFFSET,
        CUT,
        Some(LINEAR_SLOPE),
    )]
}

/// Panasonic V-Log (Panasonic "V-Log/V-Gamut Reference Manual", 2014):
/// `c log10(x + b) + d` above `cut1`.
mod vlog {
    pub const CUT1: f64 = 0.01;
    pub const B: f64 = 0.00873;
    pub const C: f64 = 0.241514;
    pub const D: f64 = 0.598206;
}

pub(super) fn vlog() -> Vec<Op> {
    use vlog::*;
    vec![camera_log(10.0, C, D, 1.0, B, CUT1, None)]
}

/// RED Log3G10 (RED "White Paper on REDWideGamutRGB and Log3G10", 2017):
/// `a log10((x + 0.01) b + 1)` above -0.01.
mod log3g10 {
    pub const A: f64 = 0.224282;
    pub const B: f64 = 155.975327;
    pub const OFFSET: f64 = 0.01;
}

pub(super) fn log3g10() -> Vec<Op> {
    use log3g10::*;
    vec![camera_log(10.0, A, 0.0, B, OFFSET * B + 1.0, -OFFSET, None)]
}

/// Blackmagic Film Generation 5 (Blackmagic Design "Blackmagic Generation 5
/// Color Science" technical note): `A ln(x + B) + C` above `LIN_CUT`, the
/// smooth straight line below; as OpenColorIO's ACES studio config defines
/// "BMDFilm WideGamut Gen5".
mod bmdfilm5 {
    pub const A: f64 = 0.08692876065491224;
    pub const B: f64 = 0.005494072432257808;
    pub const C: f64 = 0.5300133392291939;
    pub const LIN_CUT: f64 = 0.005;
}

pub(super) fn bmdfilm5() -> Vec<Op> {
    use bmdfilm5::*;
    vec![camera_log(std::f64::consts::E, A, C, 1.0, B, LIN_CUT, None)]
}

/// DaVinci Intermediate (Blackmagic Design "DaVinci Resolve 17 Wide Gamut
/// Intermediate" technical note): `(log2(x + A) + B) C` above `LIN_CUT`,
/// `x M` below; as OpenColorIO's ACES studio config defines "DaVinci
/// Intermediate WideGamut".
mod davinci {
    pub const A: f64 = 0.0075;
    pub const B: f64 = 7.0;
    pub const C: f64 = 0.07329248;
    pub const M: f64 = 10.44426855;
    pub const LIN_CUT: f64 = 0.00262409;
}

pub(super) fn davinci() -> Vec<Op> {
    use davinci::*;
    vec![camera_log(2.0, C, B * C, 1.0, A, LIN_CUT, Some(M))]
}

/// ACEScct (Academy S-2016-001): `(log2(x) + 9.72) / 17.52` above 2^-7.
pub(super) fn acescct() -> Vec<Op> {
    vec![camera_log(
        2.0,
        1.0 / 17.52,
        9.72 / 17.52,
        1.0,
        0.0,
        0.0078125,
        None,
    )]
}

/// ACEScc (Academy S-2014-003): `2^(17.52 v - 9.72)`, and
/// `(2^(17.52 v - 9.72) - 2^-16) * 2` below `(9.72 - 15) / 17.52`. Two log
/// segments are no single CLF op, so, as OpenColorIO's ACES.cpp does, a
/// Range maps [-0.36, 1.5] onto [0, 1] for a 4096-entry table of the
/// formula (not clamped at 65504, to keep the table's slope).
pub(super) fn acescc() -> Vec<Op> {
    const IN_MIN: f64 = -0.36;
    const IN_MAX: f64 = 1.5;
    fn decode(t: f64) -> f64 {
        let v = t * (IN_MAX - IN_MIN) + IN_MIN;
        if v < (9.72 - 15.0) / 17.52 {
            (2f64.powf(v * 17.52 - 9.72) - 2f64.powi(-16)) * 2.0
        } else {
            2f64.powf(v * 17.52 - 9.72)
        }
    }
    vec![
        Op::Range(Range {
            min_in: Some(IN_MIN),
            max_in: Some(IN_MAX),
            min_out: Some(0.0),
            max_out: Some(1.0),
            clamp: true,
        }),
        sampled_lut(4096, decode),
    ]
}

/// Canon Log 2 (Canon "Canon Log Gamma Curves" white paper, 2020), scaled by
/// 0.9 as the Canon ACES input transforms are: mirrored about code
/// 0.092864125, `(10^((v - 0.092864125) / 0.24136077) - 1) / 87.099375`.
/// No CLF op mirrors a log, so a 4096-entry table over code [0, 1], as
/// OpenColorIO's CanonCameras.cpp builds it.
pub(super) fn clog2() -> Vec<Op> {
    fn decode(v: f64) -> f64 {
        let out = if v < 0.092864125 {
            -(10f64.powf((0.092864125 - v) / 0.24136077) - 1.0) / 87.099375
        } else {
            (10f64.powf((v - 0.092864125) / 0.24136077) - 1.0) / 87.099375
        };
        out * 0.9
    }
    vec![sampled_lut(4096, decode)]
}

/// Canon Log 3 (same white paper), scaled by 0.9: a log segment each side
/// of a straight line through code 0.12512219, as a 4096-entry table over
/// code [0, 1] (OpenColorIO's CanonCameras.cpp).
pub(super) fn clog3() -> Vec<Op> {
    fn decode(v: f64) -> f64 {
        let out = if v < 0.097465473 {
            -(10f64.powf((0.12783901 - v) / 0.36726845) - 1.0) / 14.98325
        } else if v <= 0.15277891 {
            (v - 0.12512219) / 1.9754798
        } else {
            (10f64.powf((v - 0.12240537) / 0.36726845) - 1.0) / 14.98325
        };
        out * 0.9
    }
    vec![sampled_lut(4096, decode)]
}

/// SMPTE ST 2084 (PQ) constants; linear 1.0 is 100 cd/m^2, code 1.0 is
/// 10000 cd/m^2 (OpenColorIO's "nits/100" convention, Displays.cpp).
mod pq {
    pub const M1: f64 = 0.25 * 2610.0 / 4096.0;
    pub const M2: f64 = 128.0 * 2523.0 / 4096.0;
    pub const C2: f64 = 32.0 * 2413.0 / 4096.0;
    pub const C3: f64 = 32.0 * 2392.0 / 4096.0;
    pub const C1: f64 = C3 - C2 + 1.0;

    /// PQ code to linear (nits/100), mirrored about 0.
    pub fn decode(v: f64) -> f64 {
        let x = v.abs().powf(1.0 / M2);
        let l = ((x - C1).max(0.0) / (C2 - C3 * x)).powf(1.0 / M1) * 100.0;
        l.copysign(v)
    }

    /// Linear (nits/100) to PQ code, mirrored about 0.
    pub fn encode(l: f64) -> f64 {
        let y = (l * 0.01).abs().powf(M1);
        let n = ((C1 + C2 * y) / (1.0 + C3 * y)).max(0.0).powf(M2);
        n.copysign(l)
    }
}

/// PQ has no CLF op; a half-domain table per direction of the ST 2084
/// formula, as OpenColorIO 2.6 builds its PQ curves.
pub(super) fn pq_to_linear() -> Vec<Op> {
    vec![half_lut(pq::decode)]
}

pub(super) fn pq_from_linear() -> Vec<Op> {
    vec![half_lut(pq::encode)]
}

/// ITU-R BT.2100 HLG OETF, scaled as OpenColorIO's "CURVE - HLG-OETF"
/// (Displays.cpp): scene linear 3.0 at code 1, 18% grey at about 0.42;
/// `sqrt(E)` below 1/4, `a ln(E - b) + c` above, mirrored about 0.
mod hlg {
    const E_MAX: f64 = 3.0;
    const A: f64 = 0.17883277;
    const B: f64 = (1.0 - 4.0 * A) * E_MAX / 12.0;
    const E_SCALE: f64 = 3.0 / E_MAX;
    const E_BREAK: f64 = E_MAX / 12.0;

    fn c() -> f64 {
        let c0 = 0.5 - A * (4.0 * A).ln();
        (12.0 / E_MAX).ln() * A + c0
    }

    pub fn decode(v: f64) -> f64 {
        let e = v.abs();
        let out = if e < 0.5 {
            e * e / E_SCALE
        } else {
            B + ((e - c()) / A).exp()
        };
        out.copysign(v)
    }

    pub fn encode(l: f64) -> f64 {
        let e = l.abs();
        let out = if e < E_BREAK {
            (e * E_SCALE).sqrt()
        } else {
            A * (e - B).ln() + c()
        };
        out.copysign(l)
    }
}

pub(super) fn hlg_to_linear() -> Vec<Op> {
    vec![half_lut(hlg::decode)]
}

pub(super) fn hlg_from_linear() -> Vec<Op> {
    vec![half_lut(hlg::encode)]
}

/// sRGB piecewise (IEC 61966-2-1), the linear segment carried on through
/// negatives, as OpenColorIO's "DISPLAY - CIE-XYZ-D65_to_sRGB".
pub(super) fn srgb() -> Vec<Op> {
    vec![exponent(ExponentStyle::MonCurveFwd, 2.4, 0.055)]
}

/// ITU-R BT.1886 EOTF with black at 0: a 2.4 power, negatives clamped to 0,
/// as OpenColorIO's "DISPLAY - CIE-XYZ-D65_to_REC.1886-REC.709".
pub(super) fn bt1886() -> Vec<Op> {
    vec![exponent(ExponentStyle::BasicFwd, 2.4, 0.0)]
}

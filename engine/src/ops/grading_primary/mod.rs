//! OpenColorIO's `GradingPrimaryTransform`: the primary controls of a
//! grading panel in its three styles, forward and inverse.
//!
//! ```text
//! log:   out = in + brightness; out = (out - pivot) * contrast + pivot;
//!        gamma about the black/white pivots; saturation; clamp
//! lin:   out = (in + offset) * 2^exposure;
//!        out = pivot * sign(out) * |out / pivot|^contrast; saturation; clamp
//! video: out = in + lift + offset; out = (out - black pivot) * slope + black
//!        pivot (slope from gain and lift); gamma; saturation; clamp
//! ```
//!
//! Each control is per channel times (contrast, gamma, gain) or plus
//! (brightness, offset, exposure, lift) its master value. The inverse styles
//! run the steps backwards with inverted constants. Constants and per-pixel
//! maths are OpenColorIO 2.6's (`GradingPrimary.cpp`, the SSE path of
//! `GradingPrimaryOpCPU.cpp`, which its CPU processor runs on x86), with its
//! 15-bit SSE power ([`crate::ops::fastmath::sse_pow`]) and its quirks: a
//! processor with no change at all is left out, and the inverse linear style
//! applies its (unit) contrast power when saturation is 1 or 0. Dynamic
//! properties are taken at their current values.

mod prepared;
pub use prepared::*;

use crate::ops::mathf::powf;

/// The styles, in record order, are in `ops/list.rs`.
pub use crate::ops::GradingPrimaryStyle;

/// OpenColorIO's `GradingPrimary` values: RGBM controls as `[r, g, b,
/// master]`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GradingPrimary {
    pub style: GradingPrimaryStyle,
    pub brightness: [f64; 4],
    pub contrast: [f64; 4],
    pub gamma: [f64; 4],
    pub offset: [f64; 4],
    pub exposure: [f64; 4],
    pub lift: [f64; 4],
    pub gain: [f64; 4],
    /// Log: in [-1, 1] around the middle of the code range; lin: stops
    /// from 0.18.
    pub pivot: f64,
    pub saturation: f64,
    /// `-f64::MAX` for no clamp, as OpenColorIO.
    pub clamp_black: f64,
    /// `f64::MAX` for no clamp.
    pub clamp_white: f64,
    pub pivot_black: f64,
    pub pivot_white: f64,
}

grading_style_methods!(GradingPrimaryStyle);

impl GradingPrimary {
    /// OpenColorIO's defaults for `style` (no change; pivot -0.2 for log,
    /// 0.18 for the others).
    pub fn new(style: GradingPrimaryStyle) -> GradingPrimary {
        use GradingPrimaryStyle::*;
        GradingPrimary {
            style,
            brightness: [0.0; 4],
            contrast: [1.0; 4],
            gamma: [1.0; 4],
            offset: [0.0; 4],
            exposure: [0.0; 4],
            lift: [0.0; 4],
            gain: [1.0; 4],
            pivot: if matches!(style, LogFwd | LogRev) { -0.2 } else { 0.18 },
            saturation: 1.0,
            clamp_black: -f64::MAX,
            clamp_white: f64::MAX,
            pivot_black: 0.0,
            pivot_white: 1.0,
        }
    }

    /// Finite values and OpenColorIO's bounds: gamma (log, video) or
    /// contrast (lin) at least 0.01, the white pivot above the black, the
    /// black clamp at most the white.
    pub fn validate(&self) -> Result<(), String> {
        let mut all = Vec::new();
        for v in [
            &self.brightness,
            &self.contrast,
            &self.gamma,
            &self.offset,
            &self.exposure,
            &self.lift,
            &self.gain,
        ] {
            all.extend_from_slice(v);
        }
        all.extend_from_slice(&[
            self.pivot,
            self.saturation,
            self.clamp_black,
            self.clamp_white,
            self.pivot_black,
            self.pivot_white,
        ]);
        crate::ops::check_finite("grading primary values", &all)?;
        const MIN: f64 = 0.01 - 0.000_001;
        if self.style.is_lin() {
            if self.contrast.iter().any(|&c| c < MIN) {
                return Err(format!("grading primary contrast {:?} is below 0.01", self.contrast));
            }
        } else if self.gamma.iter().any(|&g| g < MIN) {
            return Err(format!("grading primary gamma {:?} is below 0.01", self.gamma));
        }
        if self.pivot_white - self.pivot_black < MIN {
            return Err("grading primary black pivot must be below the white pivot".into());
        }
        if self.clamp_black > self.clamp_white {
            return Err("grading primary black clamp must be below the white clamp".into());
        }
        Ok(())
    }

    /// True when OpenColorIO's renderer leaves the pixels alone (its local
    /// bypass).
    pub fn is_identity(&self) -> bool {
        self.prepare().bypass
    }

    pub fn inverse(&self) -> GradingPrimary {
        GradingPrimary {
            style: self.style.inverse(),
            ..self.clone()
        }
    }

    /// The constants as OpenColorIO's `GradingPrimaryPreRender::update`
    /// computes them, same casts and order.
    pub fn prepare(&self) -> GradingPrimaryPrepared {
        use GradingPrimaryStyle::*;
        let fwd = self.style.is_forward();
        let f = |v: f64| v as f32;
        let per = |rgbm: &[f64; 4], g: &dyn Fn(f64, f64) -> f32| {
            [g(rgbm[3], rgbm[0]), g(rgbm[3], rgbm[1]), g(rgbm[3], rgbm[2])]
        };
        let sign = if fwd { 1.0f32 } else { -1.0 };
        let mut add = [0.0f32; 3];
        let mut scale = [1.0f32; 3];
        let mut contrast = [1.0f32; 3];
        let mut gamma = [1.0f32; 3];
        let pivot;
        match self.style {
            LogFwd | LogRev => {
                add = per(&self.brightness, &|m, c| sign * f((m + c) * 6.25 / 1023.0));
                contrast = per(&self.contrast, &|m, c| {
                    let k = m * c;
                    f(if fwd { k } else { 1.0 / if k == 0.0 { 1.0 } else { k } })
                });
                gamma = per(&self.gamma, &|m, c| f(if fwd { 1.0 / (m * c) } else { m * c }));
                pivot = f(0.5 + self.pivot * 0.5);
            }
            LinFwd | LinRev => {
                add = per(&self.offset, &|m, c| sign * f(m + c));
                scale = per(&self.exposure, &|m, c| {
                    let e = powf(2.0, f(m + c));
                    if fwd {
                        e
                    } else {
                        1.0 / e
                    }
                });
                contrast = per(&self.contrast, &|m, c| f(if fwd { m * c } else { 1.0 / (m * c) }));
                pivot = f(0.18 * 2f64.powf(self.pivot));
            }
            VideoFwd | VideoRev => {
                let (pw, pb) = (self.pivot_white, self.pivot_black);
                for c in 0..3 {
                    let (o, l) = (&self.offset, &self.lift);
                    add[c] = sign * f(o[3] + o[c] + l[3] + l[c]);
                    let gain = self.gain[3] * self.gain[c];
                    let gain = if gain == 0.0 { 1.0 } else { gain };
                    contrast[c] = if fwd {
                        let den = pw / gain + l[3] + l[c] - pb;
                        f((pw - pb) / if den == 0.0 { 1.0 } else { den })
                    } else {
                        f((pw / gain + (l[3] + l[c] - pb)) / (pw - pb))
                    };
                    let g = self.gamma[3] * self.gamma[c];
                    gamma[c] = f(if fwd { 1.0 / g } else { g });
                }
                pivot = f(pb);
            }
        }
        // The power step: gamma (log, video) or contrast (lin).
        let power = if self.style.is_lin() { contrast } else { gamma };
        let power_identity = power == [1.0; 3];
        let no_clamp = self.clamp_black == -f64::MAX && self.clamp_white == f64::MAX;
        let unit = |v: [f32; 3], u: f32| v == [u; 3];
        let bypass = self.saturation == 1.0
            && no_clamp
            && power_identity
            && unit(add, 0.0)
            && match self.style {
                LogFwd | LogRev | VideoFwd | VideoRev => unit(contrast, 1.0),
                LinFwd | LinRev => unit(scale, 1.0),
            };
        let s = self.saturation;
        let (saturation, do_saturation) = if fwd {
            (f(s), s != 1.0)
        } else if s != 1.0 && s != 0.0 {
            (f(1.0 / s), true)
        } else {
            (1.0, false)
        };
        // OpenColorIO's SSE inverse linear renderer applies the contrast
        // power (then of 1) when it skips saturation.
        let do_power = !power_identity || (self.style == LinRev && !do_saturation);
        GradingPrimaryPrepared {
            style: self.style,
            add,
            scale,
            contrast,
            pivot,
            gamma,
            pivot_black: f(self.pivot_black),
            pivot_white: f(self.pivot_white),
            clamp_black: f(self.clamp_black),
            clamp_white: f(self.clamp_white),
            saturation,
            do_power,
            do_saturation,
            bypass,
        }
    }

    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.prepare().apply(rgb)
    }
}

impl crate::ops::OpData for GradingPrimary {
    type Prepared = GradingPrimaryPrepared;

    fn validate(&self) -> Result<(), String> {
        GradingPrimary::validate(self)
    }

    fn is_identity(&self) -> bool {
        GradingPrimary::is_identity(self)
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        Ok(vec![crate::ops::Op::GradingPrimary(self.inverse())])
    }

    fn prepare(&self) -> GradingPrimaryPrepared {
        GradingPrimary::prepare(self)
    }
}

/// Values exercising every control of `style`, as the parity test's
/// OpenColorIO script sets them (`grade::grading_parity`): keep in sync.
#[doc(hidden)]
pub fn sample(style: GradingPrimaryStyle) -> GradingPrimary {
    let mut v = GradingPrimary::new(style);
    v.brightness = [5.0, -3.0, 2.0, 4.0];
    v.contrast = [1.1, 0.95, 1.05, 1.1];
    v.gamma = [1.1, 0.9, 1.05, 1.02];
    v.offset = [0.01, -0.02, 0.005, 0.01];
    v.exposure = [0.3, -0.2, 0.1, 0.25];
    v.lift = [0.02, -0.01, 0.0, 0.01];
    v.gain = [1.1, 0.95, 1.05, 1.02];
    v.saturation = 1.15;
    if style.is_lin() {
        v.clamp_black = -0.05;
        v.clamp_white = 1.5;
    } else if !matches!(style, GradingPrimaryStyle::LogFwd | GradingPrimaryStyle::LogRev) {
        v.pivot_black = 0.05;
        v.pivot_white = 0.95;
    }
    v
}

/// One op of every style, and an inverse linear one with saturation 1 (its
/// unit power), for `grade::samples::every_op`.
#[doc(hidden)]
pub fn samples() -> Vec<crate::ops::Op> {
    let mut ops: Vec<_> = GradingPrimaryStyle::ALL.into_iter().map(sample).collect();
    ops.push(GradingPrimary {
        saturation: 1.0,
        contrast: [1.0; 4],
        ..sample(GradingPrimaryStyle::LinRev)
    });
    ops.into_iter().map(crate::ops::Op::GradingPrimary).collect()
}

#[cfg(test)]
mod tests;

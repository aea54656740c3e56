//! OpenColorIO's `GradingRGBCurveTransform`: a B-spline curve per channel
//! (red, green, blue) then a master curve on all three, each through its
//! control points with optional slopes, extended by straight lines past
//! its ends (OpenColorIO 2.6, `ops/gradingrgbcurve/`). The fit is
//! [`spline`]'s; the inverse runs the master curve's inverse, then each
//! channel's.
//!
//! The linear style (unless `bypass_lin_to_log`) evaluates the curves on a
//! log2 shaping of scene-linear values (linear below 0.0041318, `log2((x +
//! shift) / (0.18 + shift))` above) and undoes it after. OpenColorIO's CPU
//! renderer computes that shaping with its SSE polynomials (`sseLog2`,
//! `ssePower`, about 15 bits), so grade repeats those polynomials (the
//! `ocio_log2`/`ocio_exp2` of `prepared.rs`) to match it. The log and
//! video styles apply the curves directly.
//!
//! The ACES 1.x tonescales of OpenColorIO's built-in output transforms are
//! log-style master curves of this kind.

mod prepared;
pub mod spline;
pub use prepared::*;

use crate::ops::Direction;

/// The styles, in record order, are in `ops/list.rs`.
pub use crate::ops::RgbCurveStyle;

/// One curve: control points `(x, y)` with non-decreasing x and y, and a
/// slope per point (all 0: OpenColorIO estimates them).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BSplineCurve {
    pub points: Vec<[f32; 2]>,
    pub slopes: Vec<f32>,
}

impl BSplineCurve {
    /// The identity curve OpenColorIO's defaults use: (0, 0) and (1, 1).
    pub fn identity() -> BSplineCurve {
        BSplineCurve {
            points: vec![[0.0, 0.0], [1.0, 1.0]],
            slopes: vec![0.0, 0.0],
        }
    }

    /// Every slope 0 (OpenColorIO then estimates them).
    pub fn slopes_are_default(&self) -> bool {
        self.slopes.iter().all(|&s| s == 0.0)
    }

    /// Every point on the diagonal and the slopes left to OpenColorIO.
    pub fn is_identity(&self) -> bool {
        self.points.iter().all(|p| p[0] == p[1]) && self.slopes_are_default()
    }

    /// OpenColorIO's checks: at least 2 points, a slope per point, x and y
    /// non-decreasing, all finite.
    fn validate(&self) -> Result<(), String> {
        let n = self.points.len();
        if n < 2 {
            return Err("there must be at least 2 control points".into());
        }
        if self.slopes.len() != n {
            return Err(format!(
                "{n} control points but {} slopes",
                self.slopes.len()
            ));
        }
        let finite = |v: f32| v.is_finite();
        if !self.points.iter().flatten().copied().all(finite) || !self.slopes.iter().copied().all(finite) {
            return Err("control points and slopes must be finite".into());
        }
        for (i, w) in self.points.windows(2).enumerate() {
            for (axis, name) in [(0, "x"), (1, "y")] {
                if w[1][axis] < w[0][axis] {
                    return Err(format!(
                        "control point {} has {name} {} below the previous point's {}",
                        i + 1,
                        w[1][axis],
                        w[0][axis]
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The red, green, blue and master curves of one `GradingRGBCurve`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RgbCurve {
    pub style: RgbCurveStyle,
    pub direction: Direction,
    /// Linear style only: skip the log shaping.
    pub bypass_lin_to_log: bool,
    /// Red, green, blue, master.
    pub curves: [BSplineCurve; 4],
}

/// OpenColorIO's limits on the fitted curves of one transform
/// (`KnotsCoefs::MAX_NUM_KNOTS`, `MAX_NUM_COEFS`).
pub const MAX_KNOTS: usize = 60;
pub const MAX_COEFS: usize = 180;

impl RgbCurve {
    /// The curve names, in `curves` order, for messages.
    pub const NAMES: [&'static str; 4] = ["red", "green", "blue", "master"];

    /// True when the log shaping applies.
    pub fn lin_to_log(&self) -> bool {
        self.style == RgbCurveStyle::Lin && !self.bypass_lin_to_log
    }
}

impl crate::ops::OpData for RgbCurve {
    type Prepared = RgbCurvePrepared;

    fn validate(&self) -> Result<(), String> {
        for (c, name) in self.curves.iter().zip(RgbCurve::NAMES) {
            c.validate().map_err(|e| format!("{name} curve: {e}"))?;
        }
        let fitted = self.curves.iter().map(spline::fit);
        let (knots, coefs) = fitted.fold((0, 0), |(k, c), f| (k + f.knots.len(), c + 3 * f.a.len()));
        if knots > MAX_KNOTS || coefs > MAX_COEFS {
            return Err(format!(
                "RGB curve: maximum number of control points reached ({knots} knots, at most {MAX_KNOTS})"
            ));
        }
        Ok(())
    }

    fn is_identity(&self) -> bool {
        self.curves.iter().all(BSplineCurve::is_identity)
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        Ok(vec![crate::ops::Op::RgbCurve(RgbCurve {
            direction: self.direction.flip(),
            ..self.clone()
        })])
    }

    fn prepare(&self) -> RgbCurvePrepared {
        RgbCurvePrepared::new(self)
    }
}

/// A curve of every style and direction, for the parity tests
/// (`grade::samples::every_op`): an S-curve on the master with given
/// slopes, estimated slopes on red and blue, green left as the identity.
pub fn samples() -> Vec<crate::ops::Op> {
    let mut ops = Vec::new();
    for style in RgbCurveStyle::ALL {
        for direction in [Direction::Forward, Direction::Inverse] {
            ops.push(crate::ops::Op::RgbCurve(sample(style, direction)));
        }
    }
    ops
}

/// The sample curve of `style` and `direction` (the same curves as the
/// OpenColorIO parity test builds).
pub fn sample(style: RgbCurveStyle, direction: Direction) -> RgbCurve {
    let (lo, hi) = match style {
        RgbCurveStyle::Lin => (-5.0, 5.0),
        _ => (0.0, 1.0),
    };
    let at = |t: f32| lo + (hi - lo) * t;
    let curve = |pts: &[[f32; 2]], slopes: &[f32]| BSplineCurve {
        points: pts.iter().map(|p| [at(p[0]), at(p[1])]).collect(),
        slopes: slopes.to_vec(),
    };
    RgbCurve {
        style,
        direction,
        bypass_lin_to_log: false,
        curves: [
            curve(&[[0.0, 0.05], [0.3, 0.25], [0.7, 0.8], [1.0, 0.95]], &[0.0; 4]),
            BSplineCurve {
                points: vec![[at(0.0), at(0.0)], [at(1.0), at(1.0)]],
                slopes: vec![0.0; 2],
            },
            curve(&[[0.0, 0.0], [0.5, 0.6], [1.0, 1.0]], &[0.0; 3]),
            curve(
                &[[0.0, 0.0], [0.2, 0.1], [0.5, 0.5], [0.8, 0.9], [1.0, 1.0]],
                &[0.3, 0.8, 1.6, 0.8, 0.3],
            ),
        ],
    }
}

#[cfg(test)]
mod tests;

//! OpenColorIO's `GradingHueCurveTransform` (OpenColorIO 2.5 and newer,
//! `ops/gradinghuecurve/`): eight B-spline curves on hue, saturation and
//! luma of OpenColorIO's HSY model (`colour_model`'s `RGB_TO_HSY` of the
//! grading style: scene-linear, log or video): hue vs hue, hue vs sat, hue
//! vs lum, lum vs sat, sat vs sat, lum vs lum, sat vs lum and hue fx (a hue
//! shift added to the hue). The hue curves are periodic (hue 0 is hue 1).
//! The linear style grades luma on a log2 shaping of it (OpenColorIO's
//! `LinLog`/`LogLin`, here with grade's `lnf`/`powf`, within an ulp of
//! its `std::log`/`std::pow`). The hue-lum and sat-lum gains multiply luma
//! in the linear and video styles and offset it (by a tenth of the gain
//! less 1) in the log style, as OpenColorIO 2.6 does. The inverse undoes
//! each step in reverse order, with OpenColorIO's own limits (gains of at
//! least 0.01).
//!
//! The fit of each curve is [`fit`]'s, evaluated by `rgb_curve::spline`'s
//! [`Fitted`](crate::ops::rgb_curve::spline::Fitted).

pub mod fit;
mod prepared;
pub use prepared::*;

use crate::ops::rgb_curve::BSplineCurve;

/// The styles, in record order, are in `ops/list.rs`.
pub use crate::ops::HueCurveStyle;

/// How OpenColorIO's spline types treat a curve: periodic in hue or not,
/// and what its identity is (the diagonal, 1 or 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplineKind {
    /// Hue vs hue: periodic and diagonal.
    HueHue,
    /// Periodic gain, identity 1 (hue-sat, hue-lum).
    Periodic1,
    /// Periodic offset, identity 0 (hue-fx).
    Periodic0,
    /// Gain, identity 1 (lum-sat, sat-lum).
    Horizontal1,
    /// Diagonal (sat-sat, lum-lum).
    Diagonal,
}

impl SplineKind {
    pub fn is_periodic(self) -> bool {
        matches!(self, SplineKind::HueHue | SplineKind::Periodic1 | SplineKind::Periodic0)
    }

    /// OpenColorIO's `GradingBSplineCurveImpl::isIdentity`.
    pub fn is_identity(self, curve: &BSplineCurve) -> bool {
        let on = |p: &[f32; 2]| match self {
            SplineKind::HueHue | SplineKind::Diagonal => p[0] == p[1],
            SplineKind::Periodic0 => p[1] == 0.0,
            SplineKind::Periodic1 | SplineKind::Horizontal1 => p[1] == 1.0,
        };
        curve.points.iter().all(on) && curve.slopes_are_default()
    }
}

/// The eight curves of one `GradingHueCurve`, in OpenColorIO's order.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct HueCurve {
    pub style: HueCurveStyle,
    /// False: OpenColorIO's `HSY_TRANSFORM_NONE`, the curves read RGB as
    /// if it were HSY.
    pub rgb_to_hsy: bool,
    /// Hue-hue, hue-sat, hue-lum, lum-sat, sat-sat, lum-lum, sat-lum,
    /// hue-fx.
    pub curves: [BSplineCurve; 8],
}

/// OpenColorIO's limits on the fitted curves of one transform
/// (`KnotsCoefs::MAX_NUM_KNOTS`, `MAX_NUM_COEFS`, 2.5 and newer).
pub const MAX_KNOTS: usize = 120;
pub const MAX_COEFS: usize = 360;

grading_style_methods!(HueCurveStyle);

impl HueCurve {
    /// OpenColorIO's default curves of `style` (`GradingHueCurveImpl`'s
    /// defaults: control points at the six primaries and secondaries for
    /// the hue curves, lum-sat and lum-lum over log2 stops -7..7 in the
    /// linear style), all identities.
    pub fn new(style: HueCurveStyle) -> HueCurve {
        let sixths = |y: fn(f32) -> f32| {
            curve(&[0.0f32, 1.0, 2.0, 3.0, 4.0, 5.0].map(|i| {
                let x = i / 6.0;
                [x, y(x)]
            }))
        };
        let (lo, mid, hi) = if style.is_lin() { (-7.0, 0.0, 7.0) } else { (0.0, 0.5, 1.0) };
        let flat = curve(&[[lo, 1.0], [mid, 1.0], [hi, 1.0]]);
        let unit = curve(&[[0.0, 1.0], [0.5, 1.0], [1.0, 1.0]]);
        HueCurve {
            style,
            rgb_to_hsy: true,
            curves: [
                sixths(|x| x),
                sixths(|_| 1.0),
                sixths(|_| 1.0),
                flat,
                curve(&[[0.0, 0.0], [0.5, 0.5], [1.0, 1.0]]),
                curve(&[[lo, lo], [mid, mid], [hi, hi]]),
                unit,
                sixths(|_| 0.0),
            ],
        }
    }

    /// The curve names, in `curves` order, as OpenColorIO writes them.
    pub const NAMES: [&'static str; 8] = [
        "hue_hue", "hue_sat", "hue_lum", "lum_sat", "sat_sat", "lum_lum", "sat_lum", "hue_fx",
    ];

    /// The spline kind of each curve, in `curves` order.
    pub const KINDS: [SplineKind; 8] = [
        SplineKind::HueHue,
        SplineKind::Periodic1,
        SplineKind::Periodic1,
        SplineKind::Horizontal1,
        SplineKind::Diagonal,
        SplineKind::Diagonal,
        SplineKind::Horizontal1,
        SplineKind::Periodic0,
    ];

    pub fn inverse(&self) -> HueCurve {
        HueCurve {
            style: self.style.inverse(),
            ..self.clone()
        }
    }

    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.prepare().apply(rgb)
    }

    pub fn prepare(&self) -> HueCurvePrepared {
        HueCurvePrepared::new(self)
    }
}

/// OpenColorIO's checks of one curve (`GradingBSplineCurveImpl::validate`):
/// at least 2 points, a slope per point, all finite, x non-decreasing,
/// hue-hue x on [0, 1], y non-decreasing on diagonal curves (hue-hue's
/// also across the wrap), and a 2-point periodic curve not one turn wide.
fn validate_curve(curve: &BSplineCurve, kind: SplineKind) -> Result<(), String> {
    let p = &curve.points;
    let n = p.len();
    if n < 2 {
        return Err("there must be at least 2 control points".into());
    }
    if curve.slopes.len() != n {
        return Err(format!("{n} control points but {} slopes", curve.slopes.len()));
    }
    if !p.iter().flatten().chain(&curve.slopes).all(|v| v.is_finite()) {
        return Err("control points and slopes must be finite".into());
    }
    for i in 1..n {
        if p[i][0] < p[i - 1][0] {
            return Err(format!(
                "control point {i} has x {} below the previous point's {}",
                p[i][0],
                p[i - 1][0]
            ));
        }
    }
    if kind == SplineKind::HueHue && (p[0][0] < 0.0 || p[n - 1][0] > 1.0) {
        return Err("the hue-hue curve's x must be on [0, 1]".into());
    }
    if matches!(kind, SplineKind::HueHue | SplineKind::Diagonal) {
        let mut last = if kind == SplineKind::HueHue {
            p[n - 1][1] - 1.0
        } else {
            f32::MIN
        };
        for (i, q) in p.iter().enumerate() {
            if q[1] < last {
                return Err(format!("control point {i} has y {} below the previous point's {last}", q[1]));
            }
            last = q[1];
        }
    }
    if n == 2 && kind.is_periodic() && (1.0 - (p[1][0] - p[0][0])).abs() < 1e-3 {
        return Err("the periodic curve's x may not wrap to the same value".into());
    }
    Ok(())
}

impl crate::ops::OpData for HueCurve {
    type Prepared = HueCurvePrepared;

    fn validate(&self) -> Result<(), String> {
        for ((c, kind), name) in self.curves.iter().zip(HueCurve::KINDS).zip(HueCurve::NAMES) {
            validate_curve(c, kind).map_err(|e| format!("hue curve {name}: {e}"))?;
        }
        let fitted = self.curves.iter().zip(HueCurve::KINDS).map(|(c, k)| fit::fit(c, k));
        let (knots, coefs) = fitted.fold((0, 0), |(k, c), f| (k + f.knots.len(), c + 3 * f.a.len()));
        if knots > MAX_KNOTS || coefs > MAX_COEFS {
            return Err(format!(
                "hue curve: maximum number of control points reached ({knots} knots, at most {MAX_KNOTS})"
            ));
        }
        Ok(())
    }

    fn is_identity(&self) -> bool {
        self.curves.iter().zip(HueCurve::KINDS).all(|(c, k)| k.is_identity(c))
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        Ok(vec![crate::ops::Op::HueCurve(self.inverse())])
    }

    fn prepare(&self) -> HueCurvePrepared {
        HueCurvePrepared::new(self)
    }
}

/// One curve from points (x, y), slopes left to OpenColorIO.
fn curve(points: &[[f32; 2]]) -> BSplineCurve {
    BSplineCurve {
        points: points.to_vec(),
        slopes: vec![0.0; points.len()],
    }
}

/// The sample of `style` (the same curves as the OpenColorIO parity test
/// builds): every curve away from its identity, the linear style's luma
/// curves in its log2 stops, one curve with given slopes.
pub fn sample(style: HueCurveStyle) -> HueCurve {
    let (lo, hi) = if style.is_lin() { (-7.0, 7.0) } else { (0.0, 1.0) };
    let at = |t: f32| lo + (hi - lo) * t;
    let mut hue_lum = curve(&[[0.0, 1.1], [0.2, 0.9], [0.45, 1.0], [0.7, 1.15], [0.9, 0.95]]);
    hue_lum.slopes = vec![0.3, -0.2, 0.1, 0.2, -0.4];
    HueCurve {
        style,
        rgb_to_hsy: true,
        curves: [
            curve(&[[0.05, 0.08], [0.2, 0.17], [0.4, 0.45], [0.6, 0.62], [0.85, 0.83]]),
            curve(&[[0.0, 1.2], [0.15, 0.9], [0.35, 1.1], [0.55, 1.3], [0.8, 0.8]]),
            hue_lum,
            curve(&[[at(0.0), 1.1], [at(0.5), 0.95], [at(1.0), 0.9]]),
            curve(&[[0.0, 0.0], [0.3, 0.35], [0.7, 0.75], [1.0, 1.05]]),
            curve(&[[at(0.0), at(0.02)], [at(0.4), at(0.38)], [at(0.8), at(0.83)], [at(1.0), at(1.0)]]),
            curve(&[[0.0, 1.0], [0.4, 1.05], [1.0, 0.92]]),
            curve(&[[0.1, 0.02], [0.3, -0.03], [0.6, 0.04], [0.9, 0.0]]),
        ],
    }
}

/// One op of every style and direction, for `grade::samples::every_op`.
#[doc(hidden)]
pub fn samples() -> Vec<crate::ops::Op> {
    HueCurveStyle::ALL
        .into_iter()
        .map(|style| crate::ops::Op::HueCurve(sample(style)))
        .collect()
}

#[cfg(test)]
mod tests;

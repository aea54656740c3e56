//! OpenColorIO's fit of a hue curve (OpenColorIO 2.6,
//! `ops/gradingrgbcurve/GradingBSplineCurve.cpp`: `PrepHueCurveData`,
//! `EstimateHueSlopes`, `CalcKsi`, `FitHueSpline`), in f32 as OpenColorIO
//! computes it. The pieces are the RGB curves' (`rgb_curve::spline`, whose
//! [`Fitted`] evaluates both); what differs is the preparation of the
//! points (periodic curves wrapped into [0, 1) and repeated one turn
//! either side, a minimum spacing), the slope estimate and where an
//! interval's middle knot goes.

use super::SplineKind;
use crate::ops::rgb_curve::spline::{cmax, estimate_slopes, fit_segments, Fitted};
use crate::ops::rgb_curve::BSplineCurve;

/// C++'s `std::min(a, b)`.
#[inline(always)]
pub(crate) fn cmin(a: f32, b: f32) -> f32 {
    if b < a {
        b
    } else {
        a
    }
}

/// `computeKnotsAndCoefsForHueCurve`: empty for an identity curve (or
/// fewer than 2 points), else the fit with the given slopes (or estimated
/// ones when all are 0).
pub fn fit(curve: &BSplineCurve, kind: SplineKind) -> Fitted {
    if curve.points.len() < 2 || kind.is_identity(curve) {
        return Fitted::default();
    }
    let periodic = kind.is_periodic();
    let horizontal = !matches!(kind, SplineKind::Diagonal | SplineKind::HueHue);
    let points = prepare_points(&curve.points, periodic, horizontal);
    let slopes = if !curve.slopes_are_default() && curve.slopes.len() == curve.points.len() {
        let mut s = curve.slopes.clone();
        if periodic {
            // OpenColorIO's: the last slope at both new ends.
            let first = s[s.len() - 1];
            s.insert(0, first);
            let last = s[0];
            s.push(last);
        }
        s
    } else {
        // The hue-hue curve's slopes are estimated as a horizontal one's.
        estimate_hue_slopes(&points, periodic, horizontal || kind == SplineKind::HueHue)
    };
    fit_segments(&points, &slopes, |gap| gap.abs() <= 1e-5, |i, _| ksi(i, &points, &slopes))
}

/// `PrepHueCurveData`: periodic x wrapped into [0, 1) (a diagonal curve's
/// y by the same turn), sorted by x, at least 0.2% of the span apart in x
/// (and in y for a diagonal curve), then for a periodic curve the last
/// point repeated one turn before the first and the first one turn after
/// the last.
fn prepare_points(points: &[[f32; 2]], periodic: bool, horizontal: bool) -> Vec<[f32; 2]> {
    let turn = |y: f32, by: f32| if horizontal { y } else { y + by };
    let mut out: Vec<[f32; 2]> = points
        .iter()
        .map(|&[x, y]| {
            if periodic && x < 0.0 {
                [x + 1.0, turn(y, 1.0)]
            } else if periodic && x >= 1.0 {
                [x - 1.0, turn(y, -1.0)]
            } else {
                [x, y]
            }
        })
        .collect();
    let n = out.len();
    // Selection sort, as OpenColorIO's (the order of equal x is its).
    for i in 0..n {
        let mut min_index = i;
        let mut min_val = out[i][0];
        for (j, p) in out.iter().enumerate().skip(i + 1) {
            if p[0] < min_val {
                min_val = p[0];
                min_index = j;
            }
        }
        out.swap(i, min_index);
    }
    let tol = 2e-3f32;
    let axes: &[usize] = if horizontal { &[0] } else { &[0, 1] };
    for &axis in axes {
        let span = out[n - 1][axis] - out[0][axis];
        for i in 1..n {
            if out[i][axis] - out[i - 1][axis] < span * tol {
                out[i][axis] = out[i - 1][axis] + span * tol;
            }
        }
    }
    if periodic {
        let mut first = out[n - 1];
        first[0] -= 1.0;
        first[1] = turn(first[1], -1.0);
        out.insert(0, first);
        let mut last = out[1];
        last[0] += 1.0;
        last[1] = turn(last[1], 1.0);
        out.push(last);
    }
    out
}

/// `EstimateHueSlopes`.
fn estimate_hue_slopes(points: &[[f32; 2]], periodic: bool, horizontal: bool) -> Vec<f32> {
    let n = points.len();
    let secant: Vec<f32> = points
        .windows(2)
        .map(|w| (w[1][1] - w[0][1]) / (w[1][0] - w[0][0]))
        .collect();
    if n == 2 {
        return vec![secant[0], secant[0]];
    }
    let mut slopes = if horizontal {
        let mut slopes = vec![0.0f32];
        for i in 1..n - 1 {
            let denom = secant[i] + secant[i - 1];
            let mut s = if denom.abs() < 1e-3 {
                let minval = if denom < 0.0 { -1e-3 } else { 1e-3 };
                2.0 * secant[i] * secant[i - 1] / minval
            } else {
                2.0 * secant[i] * secant[i - 1] / denom
            };
            // Flat at flat areas and extrema.
            if secant[i] * secant[i - 1] <= 0.0 {
                s = 0.0;
            }
            slopes.push(s);
        }
        slopes.push(0.5 * (3.0 * secant[n - 2] - slopes[n - 2]));
        slopes[0] = 0.5 * (3.0 * secant[0] - slopes[1]);
        slopes
    } else {
        estimate_slopes(points)
    };
    // Slopes that would not preserve the shape are scaled down.
    for i in 0..n - 1 {
        let mut k = 0.2f32;
        if slopes[i].abs() > slopes[i + 1].abs() {
            k = 1.0 - k;
        }
        let m_near_min = slopes[i] + k * (slopes[i + 1] - slopes[i]);
        let mut scale = 1.0f32;
        if m_near_min != 0.0 {
            scale = 0.75 * 2.0 * secant[i] / m_near_min;
        }
        if scale < 1.0 {
            slopes[i] *= scale;
            slopes[i + 1] *= scale;
        }
    }
    if periodic {
        slopes[0] = slopes[n - 2];
        slopes[n - 1] = slopes[1];
    }
    slopes
}

/// `CalcKsi`: the middle knot of interval `i`.
fn ksi(i: usize, points: &[[f32; 2]], slopes: &[f32]) -> f32 {
    let ([x0, y0], [x1, y1]) = (points[i], points[i + 1]);
    let k = 0.2f32;
    let dx = x1 - x0;
    let mut secant = (y1 - y0) / dx;
    let (mut m0, mut m1) = (slopes[i], slopes[i + 1]);
    if secant < 0.0 {
        m0 = -slopes[i];
        m1 = -slopes[i + 1];
        secant = -secant;
    }
    let x_mid = x0 + 0.5 * dx;
    let left = x0 + dx * k;
    let right = x1 - dx * k;
    let (mut top, mut bottom, mut m_min, mut m_max) = (left, right, m0, m1);
    if m0 > m1 {
        (top, bottom, m_min, m_max) = (right, left, m1, m0);
    }
    let dm = m_max - m_min;
    let b = 1.0 - 0.5 * k;
    let b_high = m_min + b * dm;
    let b_low = m_min + (1.0 - b) * dm;
    let bbb = m_max * 4.0;
    let bb = m_max * 1.1;
    let m_rel_diff = dm / cmax(0.01, m_max);
    let alpha = cmax(0.0, cmin((m_rel_diff - 0.05) / (0.75 - 0.05), 1.0));
    top = x_mid + alpha * (top - x_mid);
    bottom = x_mid + alpha * (bottom - x_mid);
    if secant >= bbb {
        x_mid
    } else if secant > bb {
        let blend = (secant - bb) / (bbb - bb);
        top + blend * (x_mid - top)
    } else if secant >= b_high {
        top
    } else if secant > b_low && b_high != b_low {
        let blend = (secant - b_low) / (b_high - b_low);
        bottom + blend * (top - bottom)
    } else {
        bottom
    }
}

//! OpenColorIO's B-spline fit of an RGB curve (OpenColorIO 2.6,
//! `ops/gradingrgbcurve/GradingBSplineCurve.cpp`: `EstimateRGBSlopes`,
//! `FitRGBSpline`, `AdjustRGBSlopes`, `KnotsCoefs::evalCurve` and
//! `evalCurveRev`), in f32 as OpenColorIO computes it: a monotone quadratic
//! spline through the control points, with one extra knot inside an
//! interval where the end slopes need it, and straight lines beyond the
//! first and last knots.

use super::BSplineCurve;

/// The fitted curve: `knots.len() == a.len() + 1` segments of `(A t + B)
/// t + C` with `t = x - knot`; empty for an identity curve.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fitted {
    pub knots: Vec<f32>,
    pub a: Vec<f32>,
    pub b: Vec<f32>,
    pub c: Vec<f32>,
}

/// OpenColorIO's `EstimateRGBSlopes` (also the hue curves' diagonal
/// estimate, before their shape-preserving adjustment).
pub(crate) fn estimate_slopes(points: &[[f32; 2]]) -> Vec<f32> {
    let n = points.len();
    let mut secant_slope = Vec::with_capacity(n);
    let mut secant_len = Vec::with_capacity(n);
    for i in 0..n - 1 {
        let dx = points[i + 1][0] - points[i][0];
        let dy = points[i + 1][1] - points[i][1];
        secant_slope.push(dy / dx);
        secant_len.push((dx * dx + dy * dy).sqrt());
    }
    if n == 2 {
        return vec![secant_slope[0], secant_slope[0]];
    }
    let mut i = 0;
    loop {
        let mut j = i;
        let mut dl = secant_len[i];
        while j < n - 2 && (secant_slope[j + 1] - secant_slope[j]).abs() < 1e-6 {
            dl += secant_len[j + 1];
            j += 1;
        }
        for len in &mut secant_len[i..=j] {
            *len = dl;
        }
        if j >= n - 3 {
            break;
        }
        i = j + 1;
    }
    let mut slopes = vec![0.0f32];
    for k in 1..n - 1 {
        let s = (secant_len[k] * secant_slope[k] + secant_len[k - 1] * secant_slope[k - 1])
            / (secant_len[k] + secant_len[k - 1]);
        slopes.push(s);
    }
    slopes.push(cmax(0.01, 0.5 * (3.0 * secant_slope[n - 2] - slopes[n - 2])));
    slopes[0] = cmax(0.01, 0.5 * (3.0 * secant_slope[0] - slopes[1]));
    slopes
}

/// C++'s `std::max(a, b)`.
#[inline(always)]
pub(crate) fn cmax(a: f32, b: f32) -> f32 {
    if a < b {
        b
    } else {
        a
    }
}

/// OpenColorIO's `FitRGBSpline`.
fn fit_spline(points: &[[f32; 2]], slopes: &[f32]) -> Fitted {
    fit_segments(
        points,
        slopes,
        |gap| gap.abs() < 1e-6,
        |i, secant| {
            let (xi, xi1) = (points[i][0], points[i + 1][0]);
            let dx = xi1 - xi;
            let aa = slopes[i] - secant;
            let bb = slopes[i + 1] - secant;
            if aa * bb >= 0.0 {
                (xi + xi1) * 0.5
            } else if aa.abs() > bb.abs() {
                xi1 + aa * dx / (slopes[i + 1] - slopes[i])
            } else {
                xi + bb * dx / (slopes[i + 1] - slopes[i])
            }
        },
    )
}

/// The quadratic pieces through `points` with `slopes` that OpenColorIO's
/// `FitRGBSpline` and `FitHueSpline` share: one piece per interval where
/// `straight((m_i + m_i1) - 2 secant)` holds, else two meeting at the knot
/// `ksi(i, secant)`.
pub(crate) fn fit_segments(
    points: &[[f32; 2]],
    slopes: &[f32],
    straight: impl Fn(f32) -> bool,
    ksi: impl Fn(usize, f32) -> f32,
) -> Fitted {
    let mut f = Fitted {
        knots: vec![points[0][0]],
        ..Fitted::default()
    };
    for i in 0..points.len() - 1 {
        let (xi, xi1) = (points[i][0], points[i + 1][0]);
        let (yi, yi1) = (points[i][1], points[i + 1][1]);
        let dx = xi1 - xi;
        let dy = yi1 - yi;
        let secant = dy / dx;
        if straight((slopes[i] + slopes[i + 1]) - 2.0 * secant) {
            f.c.push(yi);
            f.b.push(slopes[i]);
            f.a.push(0.5 * (slopes[i + 1] - slopes[i]) / dx);
        } else {
            let ksi = ksi(i, secant);
            let s_bar = (2.0 * secant - slopes[i + 1]) + (slopes[i + 1] - slopes[i]) * (ksi - xi) / dx;
            let eta = (s_bar - slopes[i]) / (ksi - xi);
            f.c.push(yi);
            f.b.push(slopes[i]);
            f.a.push(0.5 * eta);
            f.c.push(yi + slopes[i] * (ksi - xi) + 0.5 * eta * (ksi - xi) * (ksi - xi));
            f.b.push(s_bar);
            f.a.push(0.5 * (slopes[i + 1] - s_bar) / (xi1 - ksi));
            f.knots.push(ksi);
        }
        f.knots.push(xi1);
    }
    f
}

/// OpenColorIO's `AdjustRGBSlopes`: true when a slope was changed.
fn adjust_slopes(points: &[[f32; 2]], slopes: &mut [f32], knots: &[f32]) -> bool {
    let mut done = false;
    let mut i = 0;
    for &ksi in knots {
        if points[i][0] != ksi {
            let (xi, xi1) = (points[i][0], points[i + 1][0]);
            let (yi, yi1) = (points[i][1], points[i + 1][1]);
            let s_bar =
                (2.0 * (yi1 - yi) - (ksi - xi) * slopes[i] - (xi1 - ksi) * slopes[i + 1]) / (xi1 - xi);
            if s_bar < 0.0 {
                done = true;
                let secant = (yi1 - yi) / (xi1 - xi);
                let blend = ((ksi - xi) * slopes[i] + (xi1 - ksi) * slopes[i + 1]) / (xi1 - xi);
                let mut aim = 0.01 * 0.5 * (slopes[i] + slopes[i + 1]);
                if aim > secant {
                    aim = secant;
                }
                let adjust = (2.0 * secant - aim) / blend;
                slopes[i] *= adjust;
                slopes[i + 1] *= adjust;
            }
            i += 1;
        }
    }
    done
}

/// OpenColorIO's `computeKnotsAndCoefsForRGBCurve` for one curve: empty
/// for an identity curve (or fewer than 2 points), else the fit with the
/// given slopes (or estimated ones when all are 0), refitted once if the
/// slopes had to be adjusted to stay monotone.
pub fn fit(curve: &BSplineCurve) -> Fitted {
    let points = &curve.points;
    if points.len() < 2 || curve.is_identity() {
        return Fitted::default();
    }
    let mut slopes = if !curve.slopes_are_default() && curve.slopes.len() == points.len() {
        curve.slopes.clone()
    } else {
        estimate_slopes(points)
    };
    let f = fit_spline(points, &slopes);
    if adjust_slopes(points, &mut slopes, &f.knots) {
        fit_spline(points, &slopes)
    } else {
        f
    }
}

impl Fitted {
    /// Appends the curve to a packed table: its knots, then the segments'
    /// A, B and C.
    pub fn pack_into(&self, data: &mut Vec<f32>) {
        data.extend_from_slice(&self.knots);
        data.extend_from_slice(&self.a);
        data.extend_from_slice(&self.b);
        data.extend_from_slice(&self.c);
    }

    /// The curve [`Fitted::pack_into`] wrote at `offset` of `table` with
    /// `knots` knots and `sets` segments (packed as f32s, checked: whole,
    /// at most `max` knots, inside the table).
    pub fn unpack_from(table: &[f32], [offset, knots, sets]: [f32; 3], max: usize) -> Result<Fitted, String> {
        let count = |v: f32, max: usize| {
            (v >= 0.0 && v.fract() == 0.0 && v <= max as f32)
                .then_some(v as usize)
                .ok_or(format!("bad curve layout {v}"))
        };
        let offset = count(offset, table.len())?;
        let knots = count(knots, max)?;
        let sets = count(sets, max)?;
        if knots != if sets == 0 { 0 } else { sets + 1 } {
            return Err(format!("{knots} knots for {sets} segments"));
        }
        let t = table
            .get(offset..offset + knots + 3 * sets)
            .ok_or("curve outside the op's table")?;
        let (k, rest) = t.split_at(knots);
        let (a, rest) = rest.split_at(sets);
        let (b, c) = rest.split_at(sets);
        Ok(Fitted {
            knots: k.to_vec(),
            a: a.to_vec(),
            b: b.to_vec(),
            c: c.to_vec(),
        })
    }

    /// The value at `x` (`KnotsCoefs::evalCurve`).
    #[inline(always)]
    pub fn eval(&self, x: f32) -> f32 {
        self.eval_or(x, x)
    }

    /// The value at `x`, or `identity` for an identity curve (no segments):
    /// `KnotsCoefs::evalCurve(c, x, identity)`.
    #[inline(always)]
    pub fn eval_or(&self, x: f32, identity: f32) -> f32 {
        let sets = self.a.len();
        if sets == 0 {
            return identity;
        }
        let n = self.knots.len();
        let (start, end) = (self.knots[0], self.knots[n - 1]);
        if x <= start {
            (x - start) * self.b[0] + self.c[0]
        } else if x >= end {
            let (a, b, c) = (self.a[sets - 1], self.b[sets - 1], self.c[sets - 1]);
            let t = end - self.knots[n - 2];
            let slope = 2.0 * a * t + b;
            let offs = (a * t + b) * t + c;
            (x - end) * slope + offs
        } else {
            let mut i = 0;
            while i < n - 2 && (x >= self.knots[i + 1] || x.is_nan()) {
                i += 1;
            }
            let t = x - self.knots[i];
            (self.a[i] * t + self.b[i]) * t + self.c[i]
        }
    }

    /// [`Fitted::eval`] of every value of `v`: with AVX2, eight values at
    /// a time, each knot's test of `eval`'s search run on all eight
    /// (carrying the segment's knot and coefficients along), then `eval`'s
    /// operations on each lane: the same bits.
    #[inline(always)]
    pub fn eval_each(&self, v: &mut [f32]) {
        let sets = self.a.len();
        if sets == 0 {
            return;
        }
        #[allow(unused_mut)]
        let mut done = 0;
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2")
            && self.knots.len() == sets + 1
            && self.b.len() == sets
            && self.c.len() == sets
        {
            // SAFETY: AVX2 was detected on this CPU.
            done = unsafe { self.eval_avx2(v) };
        }
        v[done..].iter_mut().for_each(|x| *x = self.eval(*x));
    }

    /// [`Fitted::eval_each`] on the first `len - len % 8` values of a
    /// curve with segments; returns that count.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn eval_avx2(&self, v: &mut [f32]) -> usize {
        use std::arch::x86_64::*;
        let sets = self.a.len();
        let n = self.knots.len();
        let (start, end) = (self.knots[0], self.knots[n - 1]);
        let (a, b, c) = (self.a[sets - 1], self.b[sets - 1], self.c[sets - 1]);
        let t = end - self.knots[n - 2];
        let slope = 2.0 * a * t + b;
        let offs = (a * t + b) * t + c;
        let set = |v: f32| _mm256_set1_ps(v);
        let len = v.len() / 8 * 8;
        let mut i = 0;
        while i < len {
            let x = _mm256_loadu_ps(v.as_ptr().add(i));
            let mut kn = set(self.knots[0]);
            let mut ca = set(self.a[0]);
            let mut cb = set(self.b[0]);
            let mut cc = set(self.c[0]);
            let mut still = _mm256_castsi256_ps(_mm256_set1_epi32(-1));
            for j in 1..n - 1 {
                // `x >= knot || x.is_nan()`, as `eval`'s search steps on.
                let k = set(self.knots[j]);
                still = _mm256_and_ps(still, _mm256_cmp_ps::<_CMP_NLT_UQ>(x, k));
                kn = _mm256_blendv_ps(kn, k, still);
                ca = _mm256_blendv_ps(ca, set(self.a[j]), still);
                cb = _mm256_blendv_ps(cb, set(self.b[j]), still);
                cc = _mm256_blendv_ps(cc, set(self.c[j]), still);
            }
            let t = _mm256_sub_ps(x, kn);
            let mid = _mm256_add_ps(
                _mm256_mul_ps(_mm256_add_ps(_mm256_mul_ps(ca, t), cb), t),
                cc,
            );
            let low = _mm256_add_ps(
                _mm256_mul_ps(_mm256_sub_ps(x, set(start)), set(self.b[0])),
                set(self.c[0]),
            );
            let high = _mm256_add_ps(_mm256_mul_ps(_mm256_sub_ps(x, set(end)), set(slope)), set(offs));
            let out = _mm256_blendv_ps(mid, high, _mm256_cmp_ps::<_CMP_GE_OQ>(x, set(end)));
            let out = _mm256_blendv_ps(out, low, _mm256_cmp_ps::<_CMP_LE_OQ>(x, set(start)));
            _mm256_storeu_ps(v.as_mut_ptr().add(i), out);
            i += 8;
        }
        len
    }

    /// The `x` whose value is `y` (`KnotsCoefs::evalCurveRev`, OpenColorIO
    /// 2.6's, with its guard for a flat or falling linear segment).
    #[inline(always)]
    pub fn eval_rev(&self, y: f32) -> f32 {
        let sets = self.a.len();
        if sets == 0 {
            return y;
        }
        let n = self.knots.len();
        let (start, end) = (self.knots[0], self.knots[n - 1]);
        let start_y = self.c[0];
        let (a, b, c) = (self.a[sets - 1], self.b[sets - 1], self.c[sets - 1]);
        let t = end - self.knots[n - 2];
        let end_y = (a * t + b) * t + c;
        if y <= start_y {
            let b = self.b[0];
            if b.abs() < 1e-5 {
                start
            } else {
                (y - start_y) / b + start
            }
        } else if y >= end_y {
            let slope = 2.0 * a * t + b;
            if slope.abs() < 1e-5 {
                end
            } else {
                (y - end_y) / slope + end
            }
        } else {
            let mut i = 0;
            while i < n - 2 && (y >= self.c[i + 1] || y.is_nan()) {
                i += 1;
            }
            solve(self.a[i], self.b[i], self.c[i] - y, self.knots[i])
        }
    }

    /// The hue whose hue-hue curve value is `y` or, for the hue-fx curve
    /// (`hue_fx`), whose hue plus curve value is `y`, with `y` first
    /// wrapped by whole turns into the curve's range
    /// (`KnotsCoefs::evalCurveRevHue`). Not wrapped to [0, 1) after.
    #[inline(always)]
    pub fn eval_rev_hue(&self, y: f32, hue_fx: bool) -> f32 {
        let sets = self.a.len();
        if sets == 0 {
            return y;
        }
        let n = self.knots.len();
        let (start, end) = (self.knots[0], self.knots[n - 1]);
        let (a, b, c) = (self.a[sets - 1], self.b[sets - 1], self.c[sets - 1]);
        let t = end - self.knots[n - 2];
        let (mut start_y, mut end_y) = (self.c[0], (a * t + b) * t + c);
        if hue_fx {
            start_y += start;
            end_y += end;
        }
        let mut y = y;
        if y < start_y {
            y += (start_y - y).ceil();
        } else if y > end_y {
            y -= (y - end_y).ceil();
        }
        let mut i = 0;
        while i < n - 2 {
            let mut curve_y = self.c[i + 1];
            if hue_fx {
                curve_y += self.knots[i + 1];
            }
            if y < curve_y {
                break;
            }
            i += 1;
        }
        let (a, mut b, mut c, kn) = (self.a[i], self.b[i], self.c[i], self.knots[i]);
        if hue_fx {
            // The curve shifted onto the diagonal: hue + delta.
            c += kn;
            b += 1.0;
        }
        solve(a, b, c - y, kn)
    }
}

/// The root `kn + t` of `a t^2 + b t + c0 = 0` on a rising segment, as
/// OpenColorIO's inverses take it (a linear inverse where the quadratic
/// formula's denominator vanishes).
#[inline(always)]
fn solve(a: f32, b: f32, c0: f32, kn: f32) -> f32 {
    let discrim = (b * b - 4.0 * a * c0).sqrt();
    let denom = discrim + b;
    if denom.abs() < 1e-5 {
        if b.abs() < 1e-5 {
            kn
        } else {
            kn + (-c0 / b)
        }
    } else {
        kn + (-2.0 * c0) / denom
    }
}

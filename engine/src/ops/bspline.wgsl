// OpenColorIO's B-spline curves (KnotsCoefs::evalCurve, evalCurveRev,
// evalCurveRevHue), shared by the RGB curve and hue curve ops: the twin of
// Fitted in engine/src/ops/rgb_curve/spline.rs (same f32 operation order).
// A curve is read from luts at base + its offset: its knots, then A, B and
// C per segment; lay = (offset, knots, segments, -).

// Where a curve's knots and A, B, C coefficients lie in luts.
struct BSplineAt {
    sets: u32,
    k0: u32,
    n: u32,
    ca: u32,
    cb: u32,
    cc: u32,
}

fn bspline_at(base: u32, lay: vec4<f32>) -> BSplineAt {
    let sets = u32(lay.z);
    let k0 = base + u32(lay.x);
    let n = u32(lay.y);
    let ca = k0 + n;
    return BSplineAt(sets, k0, n, ca, ca + sets, ca + 2u * sets);
}

// Fitted::eval_or: the curve whose (offset from base, knots, segments) is
// `lay`, at x; `identity` when it has no segments.
fn bspline_eval(x: f32, identity: f32, base: u32, lay: vec4<f32>) -> f32 {
    let at = bspline_at(base, lay);
    if (at.sets == 0u) {
        return identity;
    }
    let start = luts[at.k0];
    let end = luts[at.k0 + at.n - 1u];
    if (x <= start) {
        return (x - start) * luts[at.cb] + luts[at.cc];
    }
    if (x >= end) {
        let a = luts[at.ca + at.sets - 1u];
        let b = luts[at.cb + at.sets - 1u];
        let c = luts[at.cc + at.sets - 1u];
        let t = end - luts[at.k0 + at.n - 2u];
        let slope = 2.0 * a * t + b;
        let offs = (a * t + b) * t + c;
        return (x - end) * slope + offs;
    }
    var i = 0u;
    while (i < at.n - 2u && !(x < luts[at.k0 + i + 1u])) {
        i = i + 1u;
    }
    let t = x - luts[at.k0 + i];
    return (luts[at.ca + i] * t + luts[at.cb + i]) * t + luts[at.cc + i];
}

// Fitted::eval_rev.
fn bspline_eval_rev(y: f32, base: u32, lay: vec4<f32>) -> f32 {
    let at = bspline_at(base, lay);
    if (at.sets == 0u) {
        return y;
    }
    let start = luts[at.k0];
    let end = luts[at.k0 + at.n - 1u];
    let start_y = luts[at.cc];
    let a = luts[at.ca + at.sets - 1u];
    let b = luts[at.cb + at.sets - 1u];
    let c = luts[at.cc + at.sets - 1u];
    let t = end - luts[at.k0 + at.n - 2u];
    let end_y = (a * t + b) * t + c;
    if (y <= start_y) {
        let b0 = luts[at.cb];
        if (abs(b0) < 1e-5) {
            return start;
        }
        return (y - start_y) / b0 + start;
    }
    if (y >= end_y) {
        let slope = 2.0 * a * t + b;
        if (abs(slope) < 1e-5) {
            return end;
        }
        return (y - end_y) / slope + end;
    }
    var i = 0u;
    while (i < at.n - 2u && !(y < luts[at.cc + i + 1u])) {
        i = i + 1u;
    }
    return bspline_solve(luts[at.ca + i], luts[at.cb + i], luts[at.cc + i] - y, luts[at.k0 + i]);
}

// solve in spline.rs: the root kn + t of a t^2 + b t + c0 = 0.
fn bspline_solve(a: f32, b: f32, c0: f32, kn: f32) -> f32 {
    let discrim = sqrt(b * b - 4.0 * a * c0);
    let denom = discrim + b;
    if (abs(denom) < 1e-5) {
        if (abs(b) < 1e-5) {
            return kn;
        }
        return kn + (-c0 / b);
    }
    return kn + (-2.0 * c0) / denom;
}

// Fitted::eval_rev_hue: the hue whose hue-hue value (hue_fx: whose hue plus
// hue-fx value) is y, y first wrapped by whole turns into the curve's range.
fn bspline_eval_rev_hue(y_in: f32, hue_fx: bool, base: u32, lay: vec4<f32>) -> f32 {
    let at = bspline_at(base, lay);
    if (at.sets == 0u) {
        return y_in;
    }
    let start = luts[at.k0];
    let end = luts[at.k0 + at.n - 1u];
    let a = luts[at.ca + at.sets - 1u];
    let b = luts[at.cb + at.sets - 1u];
    let c = luts[at.cc + at.sets - 1u];
    let t = end - luts[at.k0 + at.n - 2u];
    var start_y = luts[at.cc];
    var end_y = (a * t + b) * t + c;
    if (hue_fx) {
        start_y = start_y + start;
        end_y = end_y + end;
    }
    var y = y_in;
    if (y < start_y) {
        y = y + ceil(start_y - y);
    } else if (y > end_y) {
        y = y - ceil(y - end_y);
    }
    var i = 0u;
    while (i < at.n - 2u) {
        var curve_y = luts[at.cc + i + 1u];
        if (hue_fx) {
            curve_y = curve_y + luts[at.k0 + i + 1u];
        }
        if (y < curve_y) {
            break;
        }
        i = i + 1u;
    }
    var bi = luts[at.cb + i];
    var ci = luts[at.cc + i];
    let kn = luts[at.k0 + i];
    if (hue_fx) {
        ci = ci + kn;
        bi = bi + 1.0;
    }
    return bspline_solve(luts[at.ca + i], bi, ci - y, kn);
}

// OpenColorIO's GradingRGBCurve: red, green, blue B-spline curves then the
// master curve (inverse: master then each channel, inverted), with the
// linear style's log shaping around them.
// Rust twin: RgbCurvePrepared in engine/src/ops/rgb_curve/prepared.rs and
// Fitted::eval / eval_rev in spline.rs (same f32 operation order).
// flags bits 8..15 = style, INVERSE; data = table offset; p0..p3 = red,
// green, blue, master: (offset in the table, knots, segments, -); each curve
// is its knots then A, B, C per segment; p4.x = 1 for the log shaping.

// Fitted::eval: the curve whose (offset, knots, segments) is `lay`.
fn rgb_curve_eval(x: f32, base: u32, lay: vec4<f32>) -> f32 {
    let sets = u32(lay.z);
    if (sets == 0u) {
        return x;
    }
    let k0 = base + u32(lay.x);
    let n = u32(lay.y);
    let ca = k0 + n;
    let cb = ca + sets;
    let cc = cb + sets;
    let start = luts[k0];
    let end = luts[k0 + n - 1u];
    if (x <= start) {
        return (x - start) * luts[cb] + luts[cc];
    }
    if (x >= end) {
        let a = luts[ca + sets - 1u];
        let b = luts[cb + sets - 1u];
        let c = luts[cc + sets - 1u];
        let t = end - luts[k0 + n - 2u];
        let slope = 2.0 * a * t + b;
        let offs = (a * t + b) * t + c;
        return (x - end) * slope + offs;
    }
    var i = 0u;
    while (i < n - 2u && !(x < luts[k0 + i + 1u])) {
        i = i + 1u;
    }
    let t = x - luts[k0 + i];
    return (luts[ca + i] * t + luts[cb + i]) * t + luts[cc + i];
}

// Fitted::eval_rev.
fn rgb_curve_eval_rev(y: f32, base: u32, lay: vec4<f32>) -> f32 {
    let sets = u32(lay.z);
    if (sets == 0u) {
        return y;
    }
    let k0 = base + u32(lay.x);
    let n = u32(lay.y);
    let ca = k0 + n;
    let cb = ca + sets;
    let cc = cb + sets;
    let start = luts[k0];
    let end = luts[k0 + n - 1u];
    let start_y = luts[cc];
    let a = luts[ca + sets - 1u];
    let b = luts[cb + sets - 1u];
    let c = luts[cc + sets - 1u];
    let t = end - luts[k0 + n - 2u];
    let end_y = (a * t + b) * t + c;
    if (y <= start_y) {
        let b0 = luts[cb];
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
    while (i < n - 2u && !(y < luts[cc + i + 1u])) {
        i = i + 1u;
    }
    let ai = luts[ca + i];
    let bi = luts[cb + i];
    let kn = luts[k0 + i];
    let c0 = luts[cc + i] - y;
    let discrim = sqrt(bi * bi - 4.0 * ai * c0);
    let denom = discrim + bi;
    if (abs(denom) < 1e-5) {
        if (abs(bi) < 1e-5) {
            return kn;
        }
        return kn + (-c0 / bi);
    }
    return kn + (-2.0 * c0) / denom;
}

fn rgb_curve_apply(rgb: vec3<f32>, op: OpRecord) -> vec3<f32> {
    let inverse = (op.flags & INVERSE) != 0u;
    let shaping = op.p[4].x != 0.0;
    var v = rgb;
    if (shaping) {
        v = vec3<f32>(grading_lin_to_log(v.x), grading_lin_to_log(v.y), grading_lin_to_log(v.z));
    }
    var out = v;
    for (var c = 0u; c < 3u; c = c + 1u) {
        if (inverse) {
            out[c] = rgb_curve_eval_rev(rgb_curve_eval_rev(v[c], op.data, op.p[3]), op.data, op.p[c]);
        } else {
            out[c] = rgb_curve_eval(rgb_curve_eval(v[c], op.data, op.p[c]), op.data, op.p[3]);
        }
    }
    if (shaping) {
        out = vec3<f32>(grading_log_to_lin(out.x), grading_log_to_lin(out.y), grading_log_to_lin(out.z));
    }
    return out;
}

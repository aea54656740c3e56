// OpenColorIO's GradingRGBCurve: red, green, blue B-spline curves then the
// master curve (inverse: master then each channel, inverted), with the
// linear style's log shaping around them.
// Rust twin: RgbCurvePrepared in engine/src/ops/rgb_curve/prepared.rs and
// Fitted::eval / eval_rev in spline.rs (same f32 operation order), whose
// WGSL is bspline.wgsl.
// flags bits 8..15 = style, INVERSE; data = table offset; p0..p3 = red,
// green, blue, master: (offset in the table, knots, segments, -); each curve
// is its knots then A, B, C per segment; p4.x = 1 for the log shaping.

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
            out[c] = bspline_eval_rev(bspline_eval_rev(v[c], op.data, op.p[3]), op.data, op.p[c]);
        } else {
            let x = bspline_eval(v[c], v[c], op.data, op.p[c]);
            out[c] = bspline_eval(x, x, op.data, op.p[3]);
        }
    }
    if (shaping) {
        out = vec3<f32>(grading_log_to_lin(out.x), grading_log_to_lin(out.y), grading_log_to_lin(out.z));
    }
    return out;
}

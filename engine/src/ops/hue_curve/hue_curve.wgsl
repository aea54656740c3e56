// OpenColorIO's GradingHueCurve: eight B-spline curves on HSY (hsy.wgsl),
// evaluated by bspline.wgsl. Rust twin: HueCurvePrepared in
// engine/src/ops/hue_curve/prepared.rs (same f32 operation order).
// flags bits 8..15 = style; data = table offset; p0, p1 = HSY's constants;
// p2 = (1: RGB to HSY, 1: linear style's log shaping of luma, 2, 0.1: the
// log style's luma offset, read so that NIR cannot fold it); p3, p4
// = LOG_SHAPING_RECORD (prepared.rs). The
// table starts with (offset, knots, segments) of each curve, in the order
// hue-hue, hue-sat, hue-lum, lum-sat, sat-sat, lum-lum, sat-lum, hue-fx.

// The layout of curve c, as bspline.wgsl reads it.
fn hue_curve_lay(base: u32, c: u32) -> vec4<f32> {
    return vec4<f32>(luts[base + 3u * c], luts[base + 3u * c + 1u], luts[base + 3u * c + 2u], 0.0);
}

// OpenColorIO's std::max(a, b) and std::min(a, b).
fn hue_curve_max(a: f32, b: f32) -> f32 {
    return select(a, b, a < b);
}

fn hue_curve_min(a: f32, b: f32) -> f32 {
    return select(a, b, b < a);
}

// The linear style's LinLog and LogLin (lin_log / log_lin in prepared.rs),
// with the constants of the record (k = p3, k1 = p4) so that no division
// by a constant becomes a product.
fn hue_curve_lin_log(x: f32, k: vec4<f32>, k1: vec4<f32>) -> f32 {
    if (x < k.x) {
        return x * k.y + k.z;
    }
    return k1.w * lnf((x + k.w) * k1.x);
}

fn hue_curve_log_lin(y: f32, k: vec4<f32>, k1: vec4<f32>) -> f32 {
    if (y < k1.y) {
        return (y - k.z) / k.y;
    }
    return powf(2.0, y) * k1.z - k.w;
}

fn hue_curve_forward(v: vec3<f32>, base: u32, lin: bool, additive: bool, two_tenth: vec2<f32>, k: vec4<f32>, k1: vec4<f32>) -> vec3<f32> {
    var hue = v.x;
    var sat = v.y;
    var lum = v.z;
    if (lin) {
        lum = hue_curve_lin_log(lum, k, k1);
    }
    let hue_sat_gain = hue_curve_max(0.0, bspline_eval(hue, 1.0, base, hue_curve_lay(base, 1u)));
    var hue_lum_gain = hue_curve_max(0.0, bspline_eval(hue, 1.0, base, hue_curve_lay(base, 2u)));
    hue = bspline_eval(hue, hue, base, hue_curve_lay(base, 0u));
    sat = hue_curve_max(0.0, bspline_eval(sat, sat, base, hue_curve_lay(base, 4u)));
    let lum_sat_gain = hue_curve_max(0.0, bspline_eval(lum, 1.0, base, hue_curve_lay(base, 3u)));
    sat = sat * (lum_sat_gain * hue_sat_gain);
    let sat_lum_gain = hue_curve_max(0.0, bspline_eval(sat, 1.0, base, hue_curve_lay(base, 6u)));
    lum = bspline_eval(lum, lum, base, hue_curve_lay(base, 5u));
    if (lin) {
        lum = hue_curve_log_lin(lum, k, k1);
    }
    hue_lum_gain = 1.0 - (1.0 - hue_lum_gain) * hue_curve_min(sat, 1.0);
    if (additive) {
        lum = lum + (hue_lum_gain + sat_lum_gain - two_tenth.x) * two_tenth.y;
    } else {
        lum = lum * hue_lum_gain * sat_lum_gain;
    }
    hue = hue - floor(hue);
    hue = hue + bspline_eval(hue, 0.0, base, hue_curve_lay(base, 7u));
    return vec3<f32>(hue, sat, lum);
}

fn hue_curve_reverse(v: vec3<f32>, base: u32, lin: bool, additive: bool, two_tenth: vec2<f32>, k: vec4<f32>, k1: vec4<f32>) -> vec3<f32> {
    var hue = v.x;
    var sat = v.y;
    var lum = v.z;
    hue = bspline_eval_rev_hue(hue, true, base, hue_curve_lay(base, 7u));
    hue = bspline_eval_rev_hue(hue, false, base, hue_curve_lay(base, 0u));
    hue = hue - floor(hue);
    let hue_sat_gain = hue_curve_max(0.0, bspline_eval(hue, 1.0, base, hue_curve_lay(base, 1u)));
    var hue_lum_gain = hue_curve_max(0.0, bspline_eval(hue, 1.0, base, hue_curve_lay(base, 2u)));
    sat = hue_curve_max(0.0, sat);
    let sat_lum_gain = hue_curve_max(0.0, bspline_eval(sat, 1.0, base, hue_curve_lay(base, 6u)));
    hue_lum_gain = 1.0 - (1.0 - hue_lum_gain) * hue_curve_min(sat, 1.0);
    let lum_gain = hue_lum_gain * sat_lum_gain;
    if (additive) {
        lum = lum - (hue_lum_gain + sat_lum_gain - two_tenth.x) * two_tenth.y;
    } else {
        lum = lum / hue_curve_max(0.01, lum_gain);
    }
    if (lin) {
        lum = hue_curve_lin_log(lum, k, k1);
    }
    lum = bspline_eval_rev(lum, base, hue_curve_lay(base, 5u));
    let lum_sat_gain = hue_curve_max(0.0, bspline_eval(lum, 1.0, base, hue_curve_lay(base, 3u)));
    if (lin) {
        lum = hue_curve_log_lin(lum, k, k1);
    }
    sat = sat / hue_curve_max(0.01, lum_sat_gain * hue_sat_gain);
    sat = hue_curve_max(0.0, bspline_eval_rev(sat, base, hue_curve_lay(base, 4u)));
    return vec3<f32>(hue, sat, lum);
}

fn hue_curve_apply(rgb: vec3<f32>, op: OpRecord) -> vec3<f32> {
    let base = op.data;
    // No curve has segments: OpenColorIO's local bypass.
    var any = false;
    for (var c = 0u; c < 8u; c = c + 1u) {
        any = any || luts[base + 3u * c + 1u] != 0.0;
    }
    if (!any) {
        return rgb;
    }
    let style = (op.flags & STYLE_MASK) >> STYLE_SHIFT;
    let to_hsy = op.p[2].x != 0.0;
    let lin = op.p[2].y != 0.0;
    var scale = 2u;
    if (lin) {
        scale = 0u;
    } else if (style == HUE_CURVE_STYLE_LOG_FWD || style == HUE_CURVE_STYLE_LOG_REV) {
        scale = 1u;
    }
    var v = rgb;
    if (to_hsy) {
        v = cm_rgb_to_hsy(v, scale, op.p[0], op.p[1]);
    }
    // The log style offsets luma by its gains, the others multiply.
    let additive = style == HUE_CURVE_STYLE_LOG_FWD || style == HUE_CURVE_STYLE_LOG_REV;
    let forward = style == HUE_CURVE_STYLE_LOG_FWD || style == HUE_CURVE_STYLE_LIN_FWD || style == HUE_CURVE_STYLE_VIDEO_FWD;
    if (forward) {
        v = hue_curve_forward(v, base, lin, additive, op.p[2].zw, op.p[3], op.p[4]);
    } else {
        v = hue_curve_reverse(v, base, lin, additive, op.p[2].zw, op.p[3], op.p[4]);
    }
    if (to_hsy) {
        v = cm_hsy_to_rgb(v, scale, op.p[0], op.p[1]);
    }
    return v;
}

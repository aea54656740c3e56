// The log shaping OpenColorIO's grading ops wrap around their curves in
// the linear style (GradingRGBCurve, GradingTone), with the sseLog2 and
// sseExp2 approximations their CPU renderers use. Shared by the
// rgb_curve and grading_tone ops, so it is composed into every kernel.
// Rust twin: engine/src/ops/rgb_curve/prepared.rs.

// OpenColorIO's sseLog2 (coefficients: its doubles rounded to f32).
fn grading_log2(x: f32) -> f32 {
    let bits = bitcast<u32>(x);
    let m = bitcast<f32>((bits & ~0x7f800000u) | 0x3f800000u);
    let poly = ((((0.044873614 * m + -0.41656372) * m + 1.6311488) * m + -3.550793) * m + 5.091711) * m + -2.800364;
    let e = i32((bits & 0x7f800000u) >> 23u) - 127;
    return poly + f32(e);
}

// OpenColorIO's sseExp2.
fn grading_exp2(x: f32) -> f32 {
    if (x < -126.0) {
        return 0.0;
    }
    if (x >= 128.0) {
        return bitcast<f32>(0x7f800000u);
    }
    var fl = i32(x);
    if (!(x >= 0.0)) {
        fl = fl - 1;
    }
    let zf = bitcast<f32>(bitcast<u32>(fl + 127) << 23u);
    let f = x - f32(fl);
    let m = (((0.013534168 * f + 0.05201146) * f + 0.24144275) * f + 0.69300383) * f + 1.0000026;
    return zf * m;
}

fn grading_lin_to_log(x: f32) -> f32 {
    if (x > 0.0041318373) {
        return grading_log2((x + -0.00015784985) * 5.5604315);
    }
    return x * 363.0346 + -7.0;
}

fn grading_log_to_lin(x: f32) -> f32 {
    if (x > -5.5) {
        return grading_exp2(x * grading_log2(2.0)) * 0.17984216 - -0.00015784985;
    }
    return (x - -7.0) * 0.0027545583;
}

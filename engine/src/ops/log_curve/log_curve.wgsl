// OpenColorIO's LIN_TO_GAMMA_LOG and LIN_TO_DOUBLE_LOG FixedFunction
// styles, both ways, operation for operation as their Rust twin
// LogCurvePrepared in engine/src/ops/log_curve/prepared.rs.
// flags bits 8..15 = style (LOG_CURVE_STYLE_*); p0..p3 = sixteen
// constants k. Gamma-log: mirror, break, power, slope, offset, log slope
// (per log2), log offset, lin slope, lin offset, 1/power, mirror and break
// in code values. Double-log: log segments 1 and 2 (log slope, log offset,
// lin slope, lin offset each), line slope and offset, breaks, breaks in
// code values.

// A log segment (log slope, log offset, lin slope, lin offset).
fn lc_log_seg(k: vec4<f32>, x: f32) -> f32 {
    return k.x * log2f(k.z * x + k.w) + k.y;
}

fn lc_log_seg_rev(k: vec4<f32>, y: f32) -> f32 {
    return (exp2f((y - k.y) / k.x) - k.w) / k.z;
}

// 1 with the sign bit of v, as copysign(1, v).
fn lc_sign(v: f32) -> f32 {
    return select(1.0, -1.0, (bitcast<u32>(v) & 0x80000000u) != 0u);
}

fn lc_channel(x: f32, op: OpRecord, style: u32) -> f32 {
    switch style {
        case LOG_CURVE_STYLE_LIN_TO_GAMMA_LOG: {
            let mirrored = x - op.p[0].x;
            let e = abs(mirrored) + op.p[0].x;
            var y: f32;
            if (e < op.p[0].y) {
                y = op.p[0].w * powf(e + op.p[1].x, op.p[0].z);
            } else {
                y = op.p[1].y * log2f(op.p[1].w * e + op.p[2].x) + op.p[1].z;
            }
            return y * lc_sign(mirrored);
        }
        case LOG_CURVE_STYLE_GAMMA_LOG_TO_LIN: {
            let mirrored = x - op.p[2].z;
            let e = abs(mirrored) + op.p[2].z;
            var y: f32;
            if (e < op.p[2].w) {
                y = powf(e / op.p[0].w, op.p[2].y) - op.p[1].x;
            } else {
                y = (exp2f((e - op.p[1].z) / op.p[1].y) - op.p[2].x) / op.p[1].w;
            }
            return y * lc_sign(mirrored);
        }
        case LOG_CURVE_STYLE_LIN_TO_DOUBLE_LOG: {
            if (x <= op.p[2].z) {
                return lc_log_seg(op.p[0], x);
            }
            if (x < op.p[2].w) {
                return op.p[2].x * x + op.p[2].y;
            }
            return lc_log_seg(op.p[1], x);
        }
        // LOG_CURVE_STYLE_DOUBLE_LOG_TO_LIN
        default: {
            if (x <= op.p[3].x) {
                return lc_log_seg_rev(op.p[0], x);
            }
            if (x < op.p[3].y) {
                return (x - op.p[2].y) / op.p[2].x;
            }
            return lc_log_seg_rev(op.p[1], x);
        }
    }
}

fn log_curve_apply(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    let style = (op.flags & STYLE_MASK) >> STYLE_SHIFT;
    return vec3<f32>(lc_channel(v.x, op, style), lc_channel(v.y, op, style), lc_channel(v.z, op, style));
}

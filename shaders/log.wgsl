// CLF Log element: log10, log2, antiLog10, antiLog2, linToLog, logToLin,
// cameraLinToLog, cameraLogToLin, evaluated from prepared per-channel
// constants k0..k6 = p0..p6. Rust twin: LogRender in engine/src/color/log.rs.
// flags bits 8..15 = style (LogStyle order).

// Smallest normal f32: log arguments are clamped to it, as OpenColorIO does.
const FLT_MIN: f32 = 1.17549435e-38;

fn log_lin_to_log(x: f32, op: OpRecord, c: u32) -> f32 {
    let v = max_lo(x * op.p[0][c] + op.p[1][c], FLT_MIN);
    return log2f(v) * op.p[2][c] + op.p[3][c];
}

fn log_log_to_lin(x: f32, op: OpRecord, c: u32) -> f32 {
    let v = exp2f((x + op.p[0][c]) * op.p[1][c]);
    return (v + op.p[2][c]) * op.p[3][c];
}

fn log_channel(x: f32, op: OpRecord, c: u32) -> f32 {
    let style = (op.flags & STYLE_MASK) >> STYLE_SHIFT;
    switch style {
        // log10, log2
        case 0u, 1u: {
            return log2f(max_lo(x, FLT_MIN)) * op.p[0][c];
        }
        // antiLog10, antiLog2
        case 2u, 3u: {
            return exp2f(x * op.p[0][c]);
        }
        case 4u: {
            return log_lin_to_log(x, op, c);
        }
        case 5u: {
            return log_log_to_lin(x, op, c);
        }
        case 6u: {
            if (x < op.p[4][c]) {
                return op.p[5][c] * x + op.p[6][c];
            }
            return log_lin_to_log(x, op, c);
        }
        default: {
            if (x < op.p[4][c]) {
                return op.p[5][c] * (x + op.p[6][c]);
            }
            return log_log_to_lin(x, op, c);
        }
    }
}

fn log_apply(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    return vec3<f32>(log_channel(v.x, op, 0u), log_channel(v.y, op, 1u), log_channel(v.z, op, 2u));
}

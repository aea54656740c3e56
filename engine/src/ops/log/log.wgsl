// CLF Log element: log10, log2, antiLog10, antiLog2, linToLog, logToLin,
// cameraLinToLog, cameraLogToLin, evaluated from prepared per-channel
// constants k0..k6 = p0..p6. Rust twin: LogPrepared in engine/src/ops/log/prepared.rs.
// flags bits 8..15 = style (the LOG_STYLE_* constants, generated from
// engine/src/ops/list.rs).

// Smallest normal f32: log arguments are clamped to it, as OpenColorIO does.
const FLT_MIN: f32 = 1.17549435e-38;

// One log2f and one exp2f per channel whatever the style (on a SIMD
// driver such as lavapipe the code of every style costs time whichever
// style runs): the arguments are chosen first, and the taken path computes
// exactly what the CPU's LogPrepared does.
fn log_channel(x: f32, op: OpRecord, c: u32) -> f32 {
    let style = (op.flags & STYLE_MASK) >> STYLE_SHIFT;
    let k0 = op.p[0][c];
    let k1 = op.p[1][c];
    // log10/log2: log2(max(x, FLT_MIN)); linToLog: log2(max(x*k0 + k1, FLT_MIN)).
    let lin = select(x, x * k0 + k1, style == LOG_STYLE_LIN_TO_LOG || style == LOG_STYLE_CAMERA_LIN_TO_LOG);
    let l = log2f(max_lo(lin, FLT_MIN));
    // antiLog: exp2(x*k0); logToLin: exp2((x + k0)*k1).
    let e = exp2f(select(x * k0, (x + k0) * k1, style == LOG_STYLE_LOG_TO_LIN || style == LOG_STYLE_CAMERA_LOG_TO_LIN));
    let lin_to_log = l * op.p[2][c] + op.p[3][c];
    let log_to_lin = (e + op.p[2][c]) * op.p[3][c];
    switch style {
        case LOG_STYLE_LOG10, LOG_STYLE_LOG2: {
            return l * k0;
        }
        case LOG_STYLE_ANTI_LOG10, LOG_STYLE_ANTI_LOG2: {
            return e;
        }
        case LOG_STYLE_LIN_TO_LOG: {
            return lin_to_log;
        }
        case LOG_STYLE_LOG_TO_LIN: {
            return log_to_lin;
        }
        case LOG_STYLE_CAMERA_LIN_TO_LOG: {
            return select(lin_to_log, op.p[5][c] * x + op.p[6][c], x < op.p[4][c]);
        }
        // LOG_STYLE_CAMERA_LOG_TO_LIN
        default: {
            return select(log_to_lin, op.p[5][c] * (x + op.p[6][c]), x < op.p[4][c]);
        }
    }
}

fn log_apply(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    return vec3<f32>(log_channel(v.x, op, 0u), log_channel(v.y, op, 1u), log_channel(v.z, op, 2u));
}

// CLF Log element: log10, log2, antiLog10, antiLog2, linToLog, logToLin,
// cameraLinToLog, cameraLogToLin, evaluated from prepared per-channel
// constants k0..k6 = p0..p6. Rust twin: LogPrepared in engine/src/color/log.rs.
// flags bits 8..15 = style (LogStyle order).

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
    let lin = select(x, x * k0 + k1, style == 4u || style == 6u);
    let l = log2f(max_lo(lin, FLT_MIN));
    // antiLog: exp2(x*k0); logToLin: exp2((x + k0)*k1).
    let e = exp2f(select(x * k0, (x + k0) * k1, style == 5u || style == 7u));
    let lin_to_log = l * op.p[2][c] + op.p[3][c];
    let log_to_lin = (e + op.p[2][c]) * op.p[3][c];
    switch style {
        // log10, log2
        case 0u, 1u: {
            return l * k0;
        }
        // antiLog10, antiLog2
        case 2u, 3u: {
            return e;
        }
        case 4u: {
            return lin_to_log;
        }
        case 5u: {
            return log_to_lin;
        }
        case 6u: {
            return select(lin_to_log, op.p[5][c] * x + op.p[6][c], x < op.p[4][c]);
        }
        default: {
            return select(log_to_lin, op.p[5][c] * (x + op.p[6][c]), x < op.p[4][c]);
        }
    }
}

fn log_apply(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    return vec3<f32>(log_channel(v.x, op, 0u), log_channel(v.y, op, 1u), log_channel(v.z, op, 2u));
}

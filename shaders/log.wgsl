// CLF Log element: log10, log2, antiLog10, antiLog2, linToLog, logToLin,
// cameraLinToLog, cameraLogToLin. Rust twin: engine/src/color/log.rs.
// flags bits 8..15 = style (LogStyle order); p0 = log_side_slope,
// p1 = log_side_offset, p2 = lin_side_slope, p3 = lin_side_offset,
// p4 = lin_side_break, p5 = linear_slope, p6 = (base, log-side value at the
// break r, g, b).

const LOG_LOG10: u32 = 0u;
const LOG_LOG2: u32 = 1u;
const LOG_ANTILOG10: u32 = 2u;
const LOG_ANTILOG2: u32 = 3u;
const LOG_LIN_TO_LOG: u32 = 4u;
const LOG_LOG_TO_LIN: u32 = 5u;
const LOG_CAMERA_LIN_TO_LOG: u32 = 6u;
const LOG_CAMERA_LOG_TO_LIN: u32 = 7u;

// Smallest normal f32: log arguments are clamped to it, as OpenColorIO does.
const FLT_MIN: f32 = 1.17549435e-38;

fn log_lin_to_log(x: f32, op: OpRecord, c: u32) -> f32 {
    let base = op.p[6].x;
    let arg = max_lo(op.p[2][c] * x + op.p[3][c], FLT_MIN);
    return op.p[0][c] * (log2(arg) / log2(base)) + op.p[1][c];
}

fn log_log_to_lin(y: f32, op: OpRecord, c: u32) -> f32 {
    let base = op.p[6].x;
    let t = (y - op.p[1][c]) / op.p[0][c];
    return (exp2(t * log2(base)) - op.p[3][c]) / op.p[2][c];
}

fn log_channel(x: f32, op: OpRecord, c: u32) -> f32 {
    let style = (op.flags & STYLE_MASK) >> STYLE_SHIFT;
    switch style {
        case 0u: {
            return log10_f(max_lo(x, FLT_MIN));
        }
        case 1u: {
            return log2(max_lo(x, FLT_MIN));
        }
        case 2u: {
            return exp2(x * 3.32192809488736235);
        }
        case 3u: {
            return exp2(x);
        }
        case 4u: {
            return log_lin_to_log(x, op, c);
        }
        case 5u: {
            return log_log_to_lin(x, op, c);
        }
        case 6u: {
            let brk = op.p[4][c];
            if (x <= brk) {
                return op.p[5][c] * (x - brk) + op.p[6][c + 1u];
            }
            return log_lin_to_log(x, op, c);
        }
        default: {
            let log_brk = op.p[6][c + 1u];
            if (x <= log_brk) {
                return (x - log_brk) / op.p[5][c] + op.p[4][c];
            }
            return log_log_to_lin(x, op, c);
        }
    }
}

fn log_apply(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    return vec3<f32>(log_channel(v.x, op, 0u), log_channel(v.y, op, 1u), log_channel(v.z, op, 2u));
}

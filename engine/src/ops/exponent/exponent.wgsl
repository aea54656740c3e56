// CLF Exponent element: basic, mirror, pass-through and moncurve styles,
// forward and reverse, from prepared constants.
// Rust twin: ExponentPrepared in engine/src/ops/exponent/prepared.rs.
// flags bits 8..15 = style (the EXPONENT_STYLE_* constants, generated from
// engine/src/ops/list.rs); p0 = power used (1/exponent
// for reverse styles); moncurve: p1 = offset, p2 = break, p3 = slope,
// p4 = scale.

// copysign(1, x): the sign bit decides, so -0 and -NaN give -1.
fn sign_of(x: f32) -> f32 {
    return select(1.0, -1.0, (bitcast<u32>(x) >> 31u) == 1u);
}

// One power per channel whatever the style (on a SIMD driver such as
// lavapipe the code of every style costs time whichever style runs):
// the base and what is done with the power are chosen around it, and the
// taken path computes exactly what the CPU's ExponentPrepared does.
fn exponent_channel(x: f32, op: OpRecord, c: u32, style: u32) -> f32 {
    let g = op.p[0][c];
    let offset = op.p[1][c];
    let brk = op.p[2][c];
    let slope = op.p[3][c];
    let scale = op.p[4][c];
    // Mirrored styles work on |x| and restore the sign.
    let mirror = style == EXPONENT_STYLE_BASIC_MIRROR_FWD || style == EXPONENT_STYLE_BASIC_MIRROR_REV
        || style == EXPONENT_STYLE_MON_CURVE_MIRROR_FWD || style == EXPONENT_STYLE_MON_CURVE_MIRROR_REV;
    let ax = select(x, abs(x), mirror);
    var base = ax;
    switch style {
        // basic: negatives (and NaN) clamp to 0
        case EXPONENT_STYLE_BASIC_FWD, EXPONENT_STYLE_BASIC_REV: {
            base = max_lo(x, 0.0);
        }
        // moncurve forward (plain and mirrored)
        case EXPONENT_STYLE_MON_CURVE_FWD, EXPONENT_STYLE_MON_CURVE_MIRROR_FWD: {
            base = ax * scale + offset;
        }
        default: {}
    }
    let pw = powf(base, g);
    switch style {
        case EXPONENT_STYLE_BASIC_FWD, EXPONENT_STYLE_BASIC_REV: {
            return pw;
        }
        // mirror
        case EXPONENT_STYLE_BASIC_MIRROR_FWD, EXPONENT_STYLE_BASIC_MIRROR_REV: {
            return sign_of(x) * pw;
        }
        // pass-through: values <= 0 unchanged
        case EXPONENT_STYLE_BASIC_PASS_THRU_FWD, EXPONENT_STYLE_BASIC_PASS_THRU_REV: {
            return select(x, pw, x > 0.0);
        }
        case EXPONENT_STYLE_MON_CURVE_FWD: {
            return select(pw, x * slope, x <= brk);
        }
        case EXPONENT_STYLE_MON_CURVE_REV: {
            return select(pw * scale - offset, x * slope, x <= brk);
        }
        case EXPONENT_STYLE_MON_CURVE_MIRROR_FWD: {
            return sign_of(x) * select(pw, ax * slope, ax <= brk);
        }
        // EXPONENT_STYLE_MON_CURVE_MIRROR_REV
        default: {
            return sign_of(x) * select(pw * scale - offset, ax * slope, ax <= brk);
        }
    }
}

fn exponent_apply(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    let style = (op.flags & STYLE_MASK) >> STYLE_SHIFT;
    return vec3<f32>(exponent_channel(v.x, op, 0u, style), exponent_channel(v.y, op, 1u, style), exponent_channel(v.z, op, 2u, style));
}

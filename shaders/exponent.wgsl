// CLF Exponent element: basic, mirror, pass-through and moncurve styles,
// forward and reverse, from prepared constants.
// Rust twin: ExponentRender in engine/src/color/exponent.rs.
// flags bits 8..15 = style (ExponentStyle order); p0 = power used (1/exponent
// for reverse styles); moncurve: p1 = offset, p2 = break, p3 = slope,
// p4 = scale.

// copysign(1, x): the sign bit decides, so -0 and -NaN give -1.
fn sign_of(x: f32) -> f32 {
    return select(1.0, -1.0, (bitcast<u32>(x) >> 31u) == 1u);
}

fn moncurve_fwd(x: f32, op: OpRecord, c: u32) -> f32 {
    if (x <= op.p[2][c]) {
        return x * op.p[3][c];
    }
    return powf(x * op.p[4][c] + op.p[1][c], op.p[0][c]);
}

fn moncurve_rev(x: f32, op: OpRecord, c: u32) -> f32 {
    if (x <= op.p[2][c]) {
        return x * op.p[3][c];
    }
    return powf(x, op.p[0][c]) * op.p[4][c] - op.p[1][c];
}

fn exponent_channel(x: f32, op: OpRecord, c: u32, style: u32) -> f32 {
    let g = op.p[0][c];
    switch style {
        // basic: negatives (and NaN) clamp to 0
        case 0u, 1u: {
            return powf(max_lo(x, 0.0), g);
        }
        // mirror
        case 2u, 3u: {
            return sign_of(x) * powf(abs(x), g);
        }
        // pass-through: values <= 0 unchanged
        case 4u, 5u: {
            return select(x, powf(x, g), x > 0.0);
        }
        case 6u: {
            return moncurve_fwd(x, op, c);
        }
        case 7u: {
            return moncurve_rev(x, op, c);
        }
        case 8u: {
            return sign_of(x) * moncurve_fwd(abs(x), op, c);
        }
        default: {
            return sign_of(x) * moncurve_rev(abs(x), op, c);
        }
    }
}

fn exponent_apply(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    let style = (op.flags & STYLE_MASK) >> STYLE_SHIFT;
    return vec3<f32>(exponent_channel(v.x, op, 0u, style), exponent_channel(v.y, op, 1u, style), exponent_channel(v.z, op, 2u, style));
}

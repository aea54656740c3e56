// CLF Exponent element: basic, mirror, pass-through and moncurve styles,
// forward and reverse. Rust twin: engine/src/color/exponent.rs.
// flags bits 8..15 = style (ExponentStyle order); p0 = exponent.rgb,
// p1 = offset.rgb (moncurve).

fn sign_f(x: f32) -> f32 {
    return select(1.0, -1.0, x < 0.0);
}

fn moncurve_fwd(x: f32, g: f32, off: f32) -> f32 {
    let brk = off / (g - 1.0);
    if (x >= brk) {
        return pow_pos((x + off) / (1.0 + off), g);
    }
    let s = ((g - 1.0) / off) * pow_pos((off * g) / ((g - 1.0) * (1.0 + off)), g);
    return x * s;
}

fn moncurve_rev(y: f32, g: f32, off: f32) -> f32 {
    let ybrk = pow_pos((off * g) / ((g - 1.0) * (1.0 + off)), g);
    if (y >= ybrk) {
        return (1.0 + off) * pow_pos(y, 1.0 / g) - off;
    }
    let s = ((g - 1.0) / off) * ybrk;
    return y / s;
}

fn exponent_channel(x: f32, g: f32, off: f32, style: u32) -> f32 {
    switch style {
        case 0u: {
            return pow_pos(max_lo(x, 0.0), g);
        }
        case 1u: {
            return pow_pos(max_lo(x, 0.0), 1.0 / g);
        }
        case 2u: {
            return sign_f(x) * pow_pos(abs(x), g);
        }
        case 3u: {
            return sign_f(x) * pow_pos(abs(x), 1.0 / g);
        }
        case 4u: {
            return select(x, pow_pos(x, g), x >= 0.0);
        }
        case 5u: {
            return select(x, pow_pos(x, 1.0 / g), x >= 0.0);
        }
        case 6u: {
            return moncurve_fwd(x, g, off);
        }
        case 7u: {
            return moncurve_rev(x, g, off);
        }
        case 8u: {
            return sign_f(x) * moncurve_fwd(abs(x), g, off);
        }
        default: {
            return sign_f(x) * moncurve_rev(abs(x), g, off);
        }
    }
}

fn exponent_apply(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    let style = (op.flags & STYLE_MASK) >> STYLE_SHIFT;
    let g = op.p[0].xyz;
    let off = op.p[1].xyz;
    return vec3<f32>(
        exponent_channel(v.x, g.x, off.x, style),
        exponent_channel(v.y, g.y, off.y, style),
        exponent_channel(v.z, g.z, off.z, style),
    );
}

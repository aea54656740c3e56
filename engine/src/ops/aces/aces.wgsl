// ACES 1.x fixed functions (OpenColorIO's FixedFunctionTransform): RedMod03/10,
// Glow03/10, DarkToDim10, GamutComp13, forward and inverse.
// Rust twin: AcesPrepared in engine/src/ops/aces/prepared.rs (same f32
// operation order; std::max/min as `a < b ? b : a`).
// flags bits 8..15 = style (ACES_STYLE_*), INVERSE; p0, p1 as prepared.rs says.

// C++'s std::max(a, b) and std::min(a, b), NaN included.
fn aces_max(a: f32, b: f32) -> f32 {
    return select(a, b, a < b);
}

fn aces_min(a: f32, b: f32) -> f32 {
    return select(a, b, b < a);
}

fn aces_sat_weight(v: vec3<f32>) -> f32 {
    let mn = aces_min(v.x, aces_min(v.y, v.z));
    let mx = aces_max(v.x, aces_max(v.y, v.z));
    return (aces_max(1e-10, mx) - aces_max(1e-10, mn)) / aces_max(1e-2, mx);
}

fn aces_hue_weight(v: vec3<f32>, inv_width: f32) -> f32 {
    let a = 2.0 * v.x - (v.y + v.z);
    let b = 1.7320508075688772 * (v.y - v.z);
    let hue = atan2f(b, a);
    let knot = hue * inv_width + 2.0;
    if (!(knot > -1.0 && knot < 4.0)) {
        return 0.0;
    }
    let j = i32(knot);
    let t = knot - f32(j);
    var c = vec4<f32>(0.25, 0.0, 0.0, 0.0);
    switch j {
        case 1: {
            c = vec4<f32>(-0.75, 0.75, 0.75, 0.25);
        }
        case 2: {
            c = vec4<f32>(0.75, -1.5, 0.0, 1.0);
        }
        case 3: {
            c = vec4<f32>(-0.25, 0.75, -0.75, 0.25);
        }
        default: {}
    }
    return c.w + t * (c.z + t * (c.y + t * c.x));
}

fn aces_red_mod(v: vec3<f32>, op: OpRecord, restore_hue: bool, inverse: bool) -> vec3<f32> {
    let one_minus_scale = op.p[0].x;
    let pivot = op.p[0].y;
    let f_h = aces_hue_weight(v, op.p[0].z);
    if (!(f_h > 0.0)) {
        return v;
    }
    var r = v.x;
    var g = v.y;
    var b = v.z;
    var new_red: f32;
    if (inverse) {
        let min_chan = select(b, g, g < b);
        let qa = f_h * one_minus_scale - 1.0;
        let qb = r - f_h * (pivot + min_chan) * one_minus_scale;
        let qc = f_h * pivot * min_chan * one_minus_scale;
        new_red = (-qb - sqrt(qb * qb - 4.0 * qa * qc)) / (2.0 * qa);
    } else {
        let f_s = aces_sat_weight(v);
        new_red = r + f_h * f_s * (pivot - r) * one_minus_scale;
    }
    if (restore_hue) {
        if (g >= b) {
            let hue_fac = (g - b) / aces_max(1e-10, r - b);
            g = hue_fac * (new_red - b) + b;
        } else {
            let hue_fac = (b - g) / aces_max(1e-10, r - g);
            b = hue_fac * (new_red - g) + g;
        }
    }
    return vec3<f32>(new_red, g, b);
}

fn aces_glow(v: vec3<f32>, op: OpRecord, inverse: bool) -> vec3<f32> {
    let gain = op.p[0].x;
    let mid = op.p[0].y;
    let r = v.x;
    let g = v.y;
    let b = v.z;
    let chroma = sqrt(b * (b - g) + g * (g - r) + r * (r - b));
    let yc = (b + g + r + 1.75 * chroma) / 3.0;
    let x = (aces_sat_weight(v) - 0.4) * 5.0;
    let sign = select(1.0, -1.0, (bitcast<u32>(x) >> 31u) == 1u);
    let t = aces_max(0.0, 1.0 - 0.5 * sign * x);
    let s = (1.0 + sign * (1.0 - t * t)) * 0.5;
    let glow_gain = gain * s;
    var out: f32;
    if (yc >= mid * 2.0) {
        out = 0.0;
    } else if (inverse) {
        if (yc <= (1.0 + glow_gain) * mid * 2.0 / 3.0) {
            out = -glow_gain / (1.0 + glow_gain);
        } else {
            out = glow_gain * (mid / yc - 0.5) / (glow_gain * 0.5 - 1.0);
        }
    } else if (yc <= mid * 2.0 / 3.0) {
        out = glow_gain;
    } else {
        out = glow_gain * (mid / yc - 0.5);
    }
    return v * (1.0 + out);
}

fn aces_gamut_comp1(val: f32, ach: f32, thr: f32, scale: f32, power: f32, inv_power: f32, inverse: bool) -> f32 {
    if (ach == 0.0) {
        return 0.0;
    }
    let dist = (ach - val) / abs(ach);
    if (dist < thr) {
        return val;
    }
    if (inverse && dist >= thr + scale) {
        return ach - dist * abs(ach);
    }
    let nd = (dist - thr) / scale;
    let p = powf(nd, power);
    var compressed: f32;
    if (inverse) {
        compressed = thr + scale * powf(-(p / (p - 1.0)), inv_power);
    } else {
        compressed = thr + scale * nd / powf(1.0 + p, inv_power);
    }
    return ach - compressed * abs(ach);
}

fn aces_apply(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    let style = (op.flags & STYLE_MASK) >> STYLE_SHIFT;
    let inverse = (op.flags & INVERSE) != 0u;
    switch style {
        case ACES_STYLE_RED_MOD03: {
            return aces_red_mod(v, op, true, inverse);
        }
        case ACES_STYLE_RED_MOD10: {
            return aces_red_mod(v, op, false, inverse);
        }
        case ACES_STYLE_GLOW03, ACES_STYLE_GLOW10: {
            return aces_glow(v, op, inverse);
        }
        case ACES_STYLE_DARK_TO_DIM10: {
            let y = aces_max(1e-10, 0.27222871678091454 * v.x + 0.67408176581114831 * v.y + 0.053689517407937051 * v.z);
            return v * powf(y, op.p[0].x);
        }
        default: {
            let ach = aces_max(v.x, aces_max(v.y, v.z));
            let power = op.p[0].w;
            let inv_power = op.p[1].w;
            return vec3<f32>(
                aces_gamut_comp1(v.x, ach, op.p[0].x, op.p[1].x, power, inv_power, inverse),
                aces_gamut_comp1(v.y, ach, op.p[0].y, op.p[1].y, power, inv_power, inverse),
                aces_gamut_comp1(v.z, ach, op.p[0].z, op.p[1].z, power, inv_power, inverse),
            );
        }
    }
}

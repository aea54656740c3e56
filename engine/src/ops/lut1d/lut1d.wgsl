// 1D LUT: linear interpolation per channel, half-domain tables (indexed by
// the input's IEEE half bits) and the exact inverse (search of the prepared
// table), as OpenColorIO's CPU renderers do. Tables are read from `luts`
// (program.wgsl) and interpolated here, never by texture filtering.
// Rust twin: Lut1dPrepared in engine/src/ops/lut1d/prepared.rs.
// n = entries, data = offset of n*3 floats (rgb interleaved),
// p0 = domain_min.rgb, p2 = scale.rgb; inverse: p3 = first effective index,
// p4 = last effective index, p5 = sign (1 or -1), p2 = (max-min)/(n-1);
// half-domain inverse: p0/p1 the negative codes' first/last effective
// index, p6 the bisect point.

fn lut1d_entry(op: OpRecord, i: u32, c: u32) -> f32 {
    return luts[op.data + i * 3u + c];
}

// Forward: idx = clamp((x - min) * scale, 0, n-1) (NaN -> 0), then the lerp
// from the high entry towards the low one, so an infinite entry is never
// multiplied by 0.
fn lut1d_forward_channel(x: f32, op: OpRecord, c: u32) -> f32 {
    let last = f32(op.n - 1u);
    let idx = clamp_nan_lo((x - op.p[0][c]) * op.p[2][c], 0.0, last);
    let lo = floor(idx);
    let hi = ceil(idx);
    let delta = hi - idx;
    let a = lut1d_entry(op, u32(hi), c);
    let b = lut1d_entry(op, u32(lo), c);
    return (b - a) * delta + a;
}

// Value of a half from its 16 bits (exact); NaN and Inf as such.
fn half_to_f32(bits: u32) -> f32 {
    let sign = (bits & 0x8000u) << 16u;
    let e = (bits >> 10u) & 0x1fu;
    let m = bits & 0x3ffu;
    if (e == 0u) {
        let v = f32(m) * 5.9604644775390625e-08;
        return select(v, -v, sign != 0u);
    }
    if (e == 31u) {
        return bitcast<f32>(sign | 0x7f800000u | (m << 13u));
    }
    return bitcast<f32>(sign | ((e + 112u) << 23u) | (m << 13u));
}

// f32 -> half bits, rounding to nearest even (as the `half` crate does).
fn f32_to_half(x: f32) -> u32 {
    let bits = bitcast<u32>(x);
    let sign = (bits >> 16u) & 0x8000u;
    let fb = bits & 0x7fffffffu;
    if (fb > 0x7f800000u) {
        return sign | 0x7e00u | ((fb >> 13u) & 0x3ffu);
    }
    if (fb >= 0x477ff000u) {
        // 65520 and above round to infinity.
        return sign | 0x7c00u;
    }
    if (fb < 0x38800000u) {
        // Below the smallest normal half: a multiple of 2^-24, rounded
        // half to even (WGSL's round()); the scaling is exact.
        return sign | u32(round(bitcast<f32>(fb) * 16777216.0));
    }
    let e = (fb >> 23u) - 112u;
    let m = fb & 0x7fffffu;
    var h = (e << 10u) | (m >> 13u);
    let rest = m & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u) == 1u)) {
        h = h + 1u;
    }
    return sign | h;
}

const HALF_MAX_BITS: u32 = 0x7bffu;

// Half domain: the two half codes around x, lerped (OpenColorIO
// `GetEdgeFloatValues`; infinities are taken as +-65504).
fn lut1d_half_channel(x: f32, op: OpRecord, c: u32) -> f32 {
    var fin = x;
    var h = f32_to_half(x);
    if ((h & 0x7fffu) == 0x7c00u) {
        h = (h & 0x8000u) | HALF_MAX_BITS;
        fin = half_to_f32(h);
    }
    let ft = half_to_f32(h);
    var a: u32;
    var b: u32;
    if (abs(ft) > abs(fin)) {
        b = h;
        a = (b + 0xffffu) & 0xffffu;
    } else {
        a = h;
        var nb = (a + 1u) & 0xffffu;
        if ((nb & 0x7fffu) == 0x7c00u) {
            nb = (nb & 0x8000u) | HALF_MAX_BITS;
            fin = half_to_f32(nb);
        }
        b = nb;
    }
    let fa = half_to_f32(a);
    let fbv = half_to_f32(b);
    var fraction = (fin - fa) / (fbv - fa);
    if (is_nan(fraction)) {
        fraction = 0.0;
    }
    let va = lut1d_entry(op, a, c);
    let vb = lut1d_entry(op, b, c);
    return (va - vb) * (1.0 - fraction) + vb;
}

// Lower bound of cv (clamped to t[start..=end]) in t[start..end), stepped
// back one unless at start, and the fraction to the next entry (0 on a flat
// spot): OpenColorIO's `FindLutInv` search. Returns (low, delta).
fn lut1d_search(op: OpRecord, c: u32, start: u32, end: u32, x: f32) -> vec2<f32> {
    let cv = min_hi(max_lo(x, lut1d_entry(op, start, c)), lut1d_entry(op, end, c));
    var lo = start;
    var count = end - start;
    while (count > 0u) {
        let step = count / 2u;
        if (lut1d_entry(op, lo + step, c) < cv) {
            lo = lo + step + 1u;
            count = count - (step + 1u);
        } else {
            count = step;
        }
    }
    let low = select(lo, lo - 1u, lo > start);
    let high = select(low, low + 1u, low < end);
    let vl = lut1d_entry(op, low, c);
    let vh = lut1d_entry(op, high, c);
    var delta = 0.0;
    if (vh > vl) {
        delta = (cv - vl) / (vh - vl);
    }
    return vec2<f32>(f32(low), delta);
}

// Inverse: exact search of the prepared (non-decreasing) table, as
// OpenColorIO's CPU inverse.
fn lut1d_inverse_channel(x: f32, op: OpRecord, c: u32) -> f32 {
    let s = lut1d_search(op, c, u32(op.p[3][c]), u32(op.p[4][c]), x * op.p[5][c]);
    return (s.x + s.y) * op.p[2][c] + op.p[0][c];
}

// Half-domain inverse (OpenColorIO `FindLutInvHalf`): positive codes when
// (sign > 0) == (x >= bisect), else the negative codes with the sign
// reversed (red's for blue, as OpenColorIO); the fraction is taken between
// the half values of the two codes.
fn lut1d_inverse_half_channel(x: f32, op: OpRecord, c: u32) -> f32 {
    var s: vec2<f32>;
    if ((op.p[5][c] > 0.0) == (x >= op.p[6][c])) {
        s = lut1d_search(op, c, u32(op.p[3][c]), u32(op.p[4][c]), x * op.p[5][c]);
    } else {
        let sign_c = select(c, 0u, c == 2u);
        s = lut1d_search(op, c, u32(op.p[0][c]), u32(op.p[1][c]), x * -op.p[5][sign_c]);
    }
    let low = u32(s.x);
    let base = half_to_f32(low);
    let next = half_to_f32((low + 1u) & 0xffffu);
    return base + s.y * (next - base);
}

fn lut1d_apply(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    var o = v;
    for (var c = 0u; c < 3u; c = c + 1u) {
        if ((op.flags & INVERSE) != 0u && (op.flags & LUT1D_HALF_DOMAIN) != 0u) {
            o[c] = lut1d_inverse_half_channel(v[c], op, c);
        } else if ((op.flags & INVERSE) != 0u) {
            o[c] = lut1d_inverse_channel(v[c], op, c);
        } else if ((op.flags & LUT1D_HALF_DOMAIN) != 0u) {
            o[c] = lut1d_half_channel(v[c], op, c);
        } else {
            o[c] = lut1d_forward_channel(v[c], op, c);
        }
    }
    return o;
}

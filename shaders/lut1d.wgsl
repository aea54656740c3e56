// 1D LUT: linear interpolation per channel over [domain_min, domain_max],
// half-domain tables (indexed by the input's IEEE half bits) and the
// inverse (search of a monotonic table). Tables are read from `luts`
// (program.wgsl) and interpolated here, never by texture filtering.
// Rust twin: engine/src/color/lut1d.rs.
// n = entries, data = offset of n*3 floats (rgb interleaved),
// p0 = domain_min.rgb, p1 = domain_max.rgb.

fn lut1d_entry(op: OpRecord, i: u32, c: u32) -> f32 {
    return luts[op.data + i * 3u + c];
}

// OpenColorIO's lerpf: (b - a) * t + a.
fn lerp_ocio(a: f32, b: f32, t: f32) -> f32 {
    return (b - a) * t + a;
}

fn lut1d_forward_channel(x: f32, op: OpRecord, c: u32) -> f32 {
    let last = f32(op.n - 1u);
    let dmin = op.p[0][c];
    let dmax = op.p[1][c];
    let idx = clamp_nan_lo((x - dmin) * (last / (dmax - dmin)), 0.0, last);
    let lo = floor(idx);
    let hi = ceil(idx);
    let a = lut1d_entry(op, u32(lo), c);
    let b = lut1d_entry(op, u32(hi), c);
    return lerp_ocio(a, b, idx - lo);
}

// Value of a finite non-negative half from its bits (exact).
fn half_bits_to_f32(h: u32) -> f32 {
    let e = h >> 10u;
    let m = h & 0x3ffu;
    if (e == 0u) {
        return f32(m) * 5.9604644775390625e-08;
    }
    return bitcast<f32>(((e + 112u) << 23u) | (m << 13u));
}

// Half-domain: 65536 entries indexed by half bits. The input is placed
// between the two neighbouring halves and interpolated linearly; NaN reads
// the entry of the canonical half NaN (0x7e00); +-Inf read their entries.
fn lut1d_half_channel(x: f32, op: OpRecord, c: u32) -> f32 {
    if (is_nan(x)) {
        return lut1d_entry(op, 0x7e00u, c);
    }
    let bits = bitcast<u32>(x);
    let sign = (bits >> 16u) & 0x8000u;
    let mag = bitcast<f32>(bits & 0x7fffffffu);
    // Half bits of |x| truncated towards zero.
    var h: u32;
    if (mag >= 65520.0) {
        return lut1d_entry(op, sign | 0x7c00u, c);
    } else if (mag < 6.103515625e-05) {
        h = u32(mag * 16777216.0);
    } else {
        let fb = bits & 0x7fffffffu;
        h = (((fb >> 23u) - 112u) << 10u) | ((fb >> 13u) & 0x3ffu);
    }
    let v0 = half_bits_to_f32(h);
    if (v0 == mag || h >= 0x7bffu) {
        return lut1d_entry(op, sign | h, c);
    }
    let v1 = half_bits_to_f32(h + 1u);
    let a = lut1d_entry(op, sign | h, c);
    let b = lut1d_entry(op, sign | (h + 1u), c);
    return lerp_ocio(a, b, (mag - v0) / (v1 - v0));
}

// Inverse: find where the (monotonic) table reaches x, and map that
// fractional index back onto the domain.
fn lut1d_inverse_channel(x: f32, op: OpRecord, c: u32) -> f32 {
    let n = op.n;
    let first = lut1d_entry(op, 0u, c);
    let lastv = lut1d_entry(op, n - 1u, c);
    // A decreasing table is searched with both signs flipped.
    let s = select(1.0, -1.0, lastv < first);
    let y = clamp_nan_lo(x * s, min(first * s, lastv * s), max(first * s, lastv * s));
    var lo = 0u;
    var hi = n - 1u;
    while (hi - lo > 1u) {
        let mid = (lo + hi) / 2u;
        if (lut1d_entry(op, mid, c) * s <= y) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let a = lut1d_entry(op, lo, c) * s;
    let b = lut1d_entry(op, hi, c) * s;
    var idx = f32(lo);
    if (b > a) {
        idx = f32(lo) + min_hi(max_lo((y - a) / (b - a), 0.0), 1.0);
    } else if (y >= b) {
        idx = f32(hi);
    }
    let dmin = op.p[0][c];
    let dmax = op.p[1][c];
    return dmin + idx * ((dmax - dmin) / f32(n - 1u));
}

fn lut1d_apply(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    var o = v;
    for (var c = 0u; c < 3u; c = c + 1u) {
        if ((op.flags & INVERSE) != 0u) {
            o[c] = lut1d_inverse_channel(v[c], op, c);
        } else if ((op.flags & LUT1D_HALF_DOMAIN) != 0u) {
            o[c] = lut1d_half_channel(v[c], op, c);
        } else {
            o[c] = lut1d_forward_channel(v[c], op, c);
        }
    }
    return o;
}

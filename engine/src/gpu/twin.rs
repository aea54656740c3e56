//! CPU twin of the WGSL kernel, written to read like `shaders/*.wgsl` line by
//! line, so the kernel can be tested on its own (dispatch, buffers, record
//! layout, every op's branches) independently of the engine's CPU executor.
//! The maths it mirrors is the same as `engine/src/color/*.rs`; the parity
//! tests against the real CPU executor live in `engine/tests/gpu_parity.rs`.

// `!(x > 0.0)` is the shader's test, true for NaN too; kept as written there.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use crate::grade::packed::{self, OpRecord};

fn p(op: &OpRecord, i: usize) -> [f32; 4] {
    op.p[i]
}

fn max_lo(x: f32, lo: f32) -> f32 {
    x.max(lo)
}

fn min_hi(x: f32, hi: f32) -> f32 {
    x.min(hi)
}

fn clamp_nan_lo(x: f32, lo: f32, hi: f32) -> f32 {
    x.max(lo).min(hi)
}

fn pow_pos(x: f32, y: f32) -> f32 {
    if x.is_nan() || y.is_nan() {
        return x + y;
    }
    if y == 0.0 {
        return 1.0;
    }
    if x == 0.0 {
        return if y > 0.0 { 0.0 } else { f32::INFINITY };
    }
    if x == 1.0 {
        return 1.0;
    }
    x.powf(y)
}

fn luma709(v: [f32; 3]) -> f32 {
    v[0] * 0.2126 + v[1] * 0.7152 + v[2] * 0.0722
}

fn matrix_apply(v: [f32; 3], op: &OpRecord) -> [f32; 3] {
    let r = |i: usize| {
        let m = p(op, i);
        m[0] * v[0] + m[1] * v[1] + m[2] * v[2] + m[3]
    };
    [r(0), r(1), r(2)]
}

fn range_apply(v: [f32; 3], op: &OpRecord) -> [f32; 3] {
    let mut o = [0.0; 3];
    for c in 0..3 {
        o[c] = v[c] * p(op, 0)[c] + p(op, 1)[c];
        if op.flags & packed::RANGE_CLAMP_LOW != 0 {
            o[c] = max_lo(o[c], p(op, 2)[c]);
        }
        if op.flags & packed::RANGE_CLAMP_HIGH != 0 {
            o[c] = min_hi(o[c], p(op, 3)[c]);
        }
    }
    o
}

fn cdl_power(v: f32, pw: f32, clamp: bool) -> f32 {
    if !clamp && !(v > 0.0) {
        return v;
    }
    pow_pos(v, pw)
}

fn saturation(v: [f32; 3], sat: f32) -> [f32; 3] {
    let l = luma709(v);
    [
        l + sat * (v[0] - l),
        l + sat * (v[1] - l),
        l + sat * (v[2] - l),
    ]
}

fn clamp01(v: [f32; 3]) -> [f32; 3] {
    v.map(|x| clamp_nan_lo(x, 0.0, 1.0))
}

fn cdl_apply(rgb: [f32; 3], op: &OpRecord) -> [f32; 3] {
    let clamp = op.flags & packed::CDL_CLAMP != 0;
    let (slope, sat, offset, power) = (p(op, 0), p(op, 0)[3], p(op, 1), p(op, 2));
    let mut v = rgb;
    if op.flags & packed::INVERSE == 0 {
        for c in 0..3 {
            v[c] = v[c] * slope[c] + offset[c];
        }
        if clamp {
            v = clamp01(v);
        }
        for c in 0..3 {
            v[c] = cdl_power(v[c], power[c], clamp);
        }
        v = saturation(v, sat);
        if clamp {
            v = clamp01(v);
        }
    } else {
        if clamp {
            v = clamp01(v);
        }
        v = saturation(v, 1.0 / sat);
        if clamp {
            v = clamp01(v);
        }
        for c in 0..3 {
            v[c] = cdl_power(v[c], 1.0 / power[c], clamp);
        }
        for c in 0..3 {
            v[c] = (v[c] - offset[c]) * (1.0 / slope[c]);
        }
        if clamp {
            v = clamp01(v);
        }
    }
    v
}

fn lerp_ocio(a: f32, b: f32, t: f32) -> f32 {
    (b - a) * t + a
}

fn entry(op: &OpRecord, luts: &[f32], i: u32, c: usize) -> f32 {
    luts[(op.data + i * 3) as usize + c]
}

fn lut1d_forward(x: f32, op: &OpRecord, luts: &[f32], c: usize) -> f32 {
    let last = (op.n - 1) as f32;
    let (dmin, dmax) = (p(op, 0)[c], p(op, 1)[c]);
    let idx = clamp_nan_lo((x - dmin) * (last / (dmax - dmin)), 0.0, last);
    let (lo, hi) = (idx.floor(), idx.ceil());
    lerp_ocio(
        entry(op, luts, lo as u32, c),
        entry(op, luts, hi as u32, c),
        idx - lo,
    )
}

fn half_bits_to_f32(h: u32) -> f32 {
    let e = h >> 10;
    let m = h & 0x3ff;
    if e == 0 {
        return m as f32 * 5.960_464_5e-8;
    }
    f32::from_bits(((e + 112) << 23) | (m << 13))
}

fn lut1d_half(x: f32, op: &OpRecord, luts: &[f32], c: usize) -> f32 {
    if x.is_nan() {
        return entry(op, luts, 0x7e00, c);
    }
    let bits = x.to_bits();
    let sign = (bits >> 16) & 0x8000;
    let mag = f32::from_bits(bits & 0x7fff_ffff);
    let h = if mag >= 65520.0 {
        return entry(op, luts, sign | 0x7c00, c);
    } else if mag < 6.103_515_6e-5 {
        (mag * 16_777_216.0) as u32
    } else {
        let fb = bits & 0x7fff_ffff;
        (((fb >> 23) - 112) << 10) | ((fb >> 13) & 0x3ff)
    };
    let v0 = half_bits_to_f32(h);
    if v0 == mag || h >= 0x7bff {
        return entry(op, luts, sign | h, c);
    }
    let v1 = half_bits_to_f32(h + 1);
    let a = entry(op, luts, sign | h, c);
    let b = entry(op, luts, sign | (h + 1), c);
    lerp_ocio(a, b, (mag - v0) / (v1 - v0))
}

fn lut1d_inverse(x: f32, op: &OpRecord, luts: &[f32], c: usize) -> f32 {
    let n = op.n;
    let first = entry(op, luts, 0, c);
    let lastv = entry(op, luts, n - 1, c);
    let s = if lastv < first { -1.0 } else { 1.0 };
    let y = clamp_nan_lo(
        x * s,
        (first * s).min(lastv * s),
        (first * s).max(lastv * s),
    );
    let (mut lo, mut hi) = (0, n - 1);
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if entry(op, luts, mid, c) * s <= y {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let a = entry(op, luts, lo, c) * s;
    let b = entry(op, luts, hi, c) * s;
    let mut idx = lo as f32;
    if b > a {
        idx = lo as f32 + min_hi(max_lo((y - a) / (b - a), 0.0), 1.0);
    } else if y >= b {
        idx = hi as f32;
    }
    let (dmin, dmax) = (p(op, 0)[c], p(op, 1)[c]);
    dmin + idx * ((dmax - dmin) / (n - 1) as f32)
}

fn lut1d_apply(v: [f32; 3], op: &OpRecord, luts: &[f32]) -> [f32; 3] {
    let mut o = v;
    for c in 0..3 {
        o[c] = if op.flags & packed::INVERSE != 0 {
            lut1d_inverse(v[c], op, luts, c)
        } else if op.flags & packed::LUT1D_HALF_DOMAIN != 0 {
            lut1d_half(v[c], op, luts, c)
        } else {
            lut1d_forward(v[c], op, luts, c)
        };
    }
    o
}

fn lut3d_at(op: &OpRecord, luts: &[f32], r: u32, g: u32, b: u32) -> [f32; 3] {
    let i = (op.data + ((b * op.n + g) * op.n + r) * 3) as usize;
    [luts[i], luts[i + 1], luts[i + 2]]
}

fn lut3d_index(v: [f32; 3], op: &OpRecord) -> [f32; 3] {
    let last = (op.n - 1) as f32;
    let mut t = [0.0; 3];
    for c in 0..3 {
        let (dmin, dmax) = (p(op, 0)[c], p(op, 1)[c]);
        t[c] = clamp_nan_lo((v[c] - dmin) * (last / (dmax - dmin)), 0.0, last);
    }
    t
}

fn comb(w: [f32; 4], c: [[f32; 3]; 4]) -> [f32; 3] {
    let mut o = [0.0; 3];
    for k in 0..3 {
        o[k] = w[0] * c[0][k] + w[1] * c[1][k] + w[2] * c[2][k] + w[3] * c[3][k];
    }
    o
}

fn lut3d_tetrahedral(v: [f32; 3], op: &OpRecord, luts: &[f32]) -> [f32; 3] {
    let idx = lut3d_index(v, op);
    let lo = idx.map(f32::floor);
    let hi = idx.map(f32::ceil);
    let (fx, fy, fz) = (idx[0] - lo[0], idx[1] - lo[1], idx[2] - lo[2]);
    let l = lo.map(|x| x as u32);
    let h = hi.map(|x| x as u32);
    let at = |r: u32, g: u32, b: u32| lut3d_at(op, luts, r, g, b);
    let v000 = at(l[0], l[1], l[2]);
    let v111 = at(h[0], h[1], h[2]);
    if fx > fy {
        if fy > fz {
            let (v100, v110) = (at(h[0], l[1], l[2]), at(h[0], h[1], l[2]));
            comb([1.0 - fx, fx - fy, fy - fz, fz], [v000, v100, v110, v111])
        } else if fx > fz {
            let (v100, v101) = (at(h[0], l[1], l[2]), at(h[0], l[1], h[2]));
            comb([1.0 - fx, fx - fz, fz - fy, fy], [v000, v100, v101, v111])
        } else {
            let (v001, v101) = (at(l[0], l[1], h[2]), at(h[0], l[1], h[2]));
            comb([1.0 - fz, fz - fx, fx - fy, fy], [v000, v001, v101, v111])
        }
    } else if fz > fy {
        let (v001, v011) = (at(l[0], l[1], h[2]), at(l[0], h[1], h[2]));
        comb([1.0 - fz, fz - fy, fy - fx, fx], [v000, v001, v011, v111])
    } else if fz > fx {
        let (v010, v011) = (at(l[0], h[1], l[2]), at(l[0], h[1], h[2]));
        comb([1.0 - fy, fy - fz, fz - fx, fx], [v000, v010, v011, v111])
    } else {
        let (v010, v110) = (at(l[0], h[1], l[2]), at(h[0], h[1], l[2]));
        comb([1.0 - fy, fy - fx, fx - fz, fz], [v000, v010, v110, v111])
    }
}

fn lerp3(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [
        lerp_ocio(a[0], b[0], t),
        lerp_ocio(a[1], b[1], t),
        lerp_ocio(a[2], b[2], t),
    ]
}

fn lut3d_trilinear(v: [f32; 3], op: &OpRecord, luts: &[f32]) -> [f32; 3] {
    let idx = lut3d_index(v, op);
    let lo = idx.map(f32::floor);
    let f = [idx[0] - lo[0], idx[1] - lo[1], idx[2] - lo[2]];
    let l = lo.map(|x| x as u32);
    let h = idx.map(|x| x.ceil() as u32);
    let at = |r: u32, g: u32, b: u32| lut3d_at(op, luts, r, g, b);
    let c00 = lerp3(at(l[0], l[1], l[2]), at(h[0], l[1], l[2]), f[0]);
    let c10 = lerp3(at(l[0], h[1], l[2]), at(h[0], h[1], l[2]), f[0]);
    let c01 = lerp3(at(l[0], l[1], h[2]), at(h[0], l[1], h[2]), f[0]);
    let c11 = lerp3(at(l[0], h[1], h[2]), at(h[0], h[1], h[2]), f[0]);
    lerp3(lerp3(c00, c10, f[1]), lerp3(c01, c11, f[1]), f[2])
}

const FLT_MIN: f32 = f32::MIN_POSITIVE;

fn log_lin_to_log(x: f32, op: &OpRecord, c: usize) -> f32 {
    let base = p(op, 6)[0];
    let arg = max_lo(p(op, 2)[c] * x + p(op, 3)[c], FLT_MIN);
    p(op, 0)[c] * (arg.log2() / base.log2()) + p(op, 1)[c]
}

fn log_log_to_lin(y: f32, op: &OpRecord, c: usize) -> f32 {
    let base = p(op, 6)[0];
    let t = (y - p(op, 1)[c]) / p(op, 0)[c];
    ((t * base.log2()).exp2() - p(op, 3)[c]) / p(op, 2)[c]
}

fn log_channel(x: f32, op: &OpRecord, c: usize) -> f32 {
    match (op.flags & packed::STYLE_MASK) >> packed::STYLE_SHIFT {
        0 => max_lo(x, FLT_MIN).log2() * std::f32::consts::LOG10_2,
        1 => max_lo(x, FLT_MIN).log2(),
        2 => (x * std::f32::consts::LOG2_10).exp2(),
        3 => x.exp2(),
        4 => log_lin_to_log(x, op, c),
        5 => log_log_to_lin(x, op, c),
        6 => {
            let brk = p(op, 4)[c];
            if x <= brk {
                return p(op, 5)[c] * (x - brk) + p(op, 6)[c + 1];
            }
            log_lin_to_log(x, op, c)
        }
        _ => {
            let log_brk = p(op, 6)[c + 1];
            if x <= log_brk {
                return (x - log_brk) / p(op, 5)[c] + p(op, 4)[c];
            }
            log_log_to_lin(x, op, c)
        }
    }
}

fn sign_f(x: f32) -> f32 {
    if x < 0.0 {
        -1.0
    } else {
        1.0
    }
}

fn moncurve_fwd(x: f32, g: f32, off: f32) -> f32 {
    let brk = off / (g - 1.0);
    if x >= brk {
        return pow_pos((x + off) / (1.0 + off), g);
    }
    let s = ((g - 1.0) / off) * pow_pos((off * g) / ((g - 1.0) * (1.0 + off)), g);
    x * s
}

fn moncurve_rev(y: f32, g: f32, off: f32) -> f32 {
    let ybrk = pow_pos((off * g) / ((g - 1.0) * (1.0 + off)), g);
    if y >= ybrk {
        return (1.0 + off) * pow_pos(y, 1.0 / g) - off;
    }
    let s = ((g - 1.0) / off) * ybrk;
    y / s
}

fn exponent_channel(x: f32, g: f32, off: f32, style: u32) -> f32 {
    match style {
        0 => pow_pos(max_lo(x, 0.0), g),
        1 => pow_pos(max_lo(x, 0.0), 1.0 / g),
        2 => sign_f(x) * pow_pos(x.abs(), g),
        3 => sign_f(x) * pow_pos(x.abs(), 1.0 / g),
        4 => {
            if x >= 0.0 {
                pow_pos(x, g)
            } else {
                x
            }
        }
        5 => {
            if x >= 0.0 {
                pow_pos(x, 1.0 / g)
            } else {
                x
            }
        }
        6 => moncurve_fwd(x, g, off),
        7 => moncurve_rev(x, g, off),
        8 => sign_f(x) * moncurve_fwd(x.abs(), g, off),
        _ => sign_f(x) * moncurve_rev(x.abs(), g, off),
    }
}

fn primary_gamma(x: f32, inv_gamma: f32) -> f32 {
    if !(x > 0.0) {
        return x;
    }
    pow_pos(x, inv_gamma)
}

fn primary_apply(rgb: [f32; 3], op: &OpRecord) -> [f32; 3] {
    let pivot = p(op, 1)[3];
    let mut v = [0.0; 3];
    for c in 0..3 {
        let mut x = rgb[c] * p(op, 0)[c];
        x = (x - pivot) * p(op, 1)[c] + pivot;
        let (lift, gain) = (p(op, 2)[c], p(op, 3)[c]);
        x = (gain - lift) * x + lift;
        x = primary_gamma(x, p(op, 4)[c]);
        v[c] = x + p(op, 5)[c];
    }
    saturation(v, p(op, 6)[0])
}

/// One op on one pixel's RGB, as `apply_op` in shaders/program.wgsl.
pub fn apply_op(v: [f32; 3], op: &OpRecord, luts: &[f32]) -> [f32; 3] {
    match op.kind {
        packed::KIND_MATRIX => matrix_apply(v, op),
        packed::KIND_CDL => cdl_apply(v, op),
        packed::KIND_LUT1D => lut1d_apply(v, op, luts),
        packed::KIND_LUT3D if op.flags & packed::LUT3D_TRILINEAR != 0 => {
            lut3d_trilinear(v, op, luts)
        }
        packed::KIND_LUT3D => lut3d_tetrahedral(v, op, luts),
        packed::KIND_RANGE => range_apply(v, op),
        packed::KIND_LOG => [0, 1, 2].map(|c| log_channel(v[c], op, c)),
        packed::KIND_EXPONENT => {
            let style = (op.flags & packed::STYLE_MASK) >> packed::STYLE_SHIFT;
            [0, 1, 2].map(|c| exponent_channel(v[c], p(op, 0)[c], p(op, 1)[c], style))
        }
        packed::KIND_PRIMARY => primary_apply(v, op),
        _ => v,
    }
}

/// The whole kernel over RGBA pixels, as `main` in shaders/program.wgsl.
pub fn run(rgba: &mut [f32], ops: &[OpRecord], luts: &[f32]) {
    for px in rgba.chunks_exact_mut(4) {
        let mut v = [px[0], px[1], px[2]];
        for op in ops {
            v = apply_op(v, op, luts);
        }
        px[..3].copy_from_slice(&v);
    }
}

//! CPU twin of the WGSL kernel, written to read like `shaders/*.wgsl` line by
//! line, so the kernel can be tested on its own (dispatch, buffers, record
//! layout, every op's branches) independently of the engine's CPU executor.
//! The maths it mirrors is the same as `engine/src/color/*.rs`; the parity
//! tests against the real CPU executor live in `engine/tests/gpu_parity.rs`.

// `!(x > 0.0)` is the shader's test, true for NaN too; kept as written there.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

// shaders/mathf_exact.wgsl's functions are mathf.rs's, to the bit, and
// fastpow.wgsl's fast_pow is fastmath.rs's.
use crate::grade::packed::{self, OpRecord};
use crate::ops::fastmath::pow as fast_pow;
use crate::ops::mathf::{exp2f, log2f, powf as pow_pos};

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
    if clamp {
        return pow_pos(clamp_nan_lo(v, 0.0, 1.0), pw);
    }
    if v.is_nan() {
        return 0.0;
    }
    if v < 0.0 {
        return v;
    }
    pow_pos(v, pw)
}

fn cdl_power_fast(v: f32, pw: f32, clamp: bool) -> f32 {
    if clamp {
        return fast_pow(clamp_nan_lo(v, 0.0, 1.0), pw);
    }
    let r = fast_pow(v, pw);
    if v.is_nan() {
        return 0.0;
    }
    if v < 0.0 {
        return v;
    }
    r
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
            v[c] = cdl_power_fast(v[c] * slope[c] + offset[c], power[c], clamp);
        }
        v = saturation(v, sat);
    } else {
        if clamp {
            v = clamp01(v);
        }
        v = saturation(v, sat);
        for c in 0..3 {
            v[c] = (cdl_power(v[c], power[c], clamp) + offset[c]) * slope[c];
        }
    }
    if clamp {
        v = clamp01(v);
    }
    v
}

fn entry(op: &OpRecord, luts: &[f32], i: u32, c: usize) -> f32 {
    luts[(op.data + i * 3) as usize + c]
}

fn lut1d_forward(x: f32, op: &OpRecord, luts: &[f32], c: usize) -> f32 {
    let last = (op.n - 1) as f32;
    let idx = clamp_nan_lo((x - p(op, 0)[c]) * p(op, 2)[c], 0.0, last);
    let (lo, hi) = (idx.floor(), idx.ceil());
    let delta = hi - idx;
    let a = entry(op, luts, hi as u32, c);
    let b = entry(op, luts, lo as u32, c);
    (b - a) * delta + a
}

fn lut1d_half(x: f32, op: &OpRecord, luts: &[f32], c: usize) -> f32 {
    use half::f16;
    let mut fin = x;
    let mut h = f16::from_f32(x);
    if h.is_infinite() {
        h = if h.is_sign_negative() {
            -f16::MAX
        } else {
            f16::MAX
        };
        fin = h.to_f32();
    }
    let ft = h.to_f32();
    let (a, b);
    if ft.abs() > fin.abs() {
        b = h.to_bits();
        a = b.wrapping_sub(1);
    } else {
        a = h.to_bits();
        let mut nb = a.wrapping_add(1);
        let next = f16::from_bits(nb);
        if next.is_infinite() {
            let m = if next.is_sign_negative() {
                -f16::MAX
            } else {
                f16::MAX
            };
            nb = m.to_bits();
            fin = m.to_f32();
        }
        b = nb;
    }
    let fa = f16::from_bits(a).to_f32();
    let fb = f16::from_bits(b).to_f32();
    let mut fraction = (fin - fa) / (fb - fa);
    if fraction.is_nan() {
        fraction = 0.0;
    }
    let va = entry(op, luts, u32::from(a), c);
    let vb = entry(op, luts, u32::from(b), c);
    (va - vb) * (1.0 - fraction) + vb
}

fn lut1d_inverse(x: f32, op: &OpRecord, luts: &[f32], c: usize) -> f32 {
    let start = p(op, 3)[c] as u32;
    let end = p(op, 4)[c] as u32;
    let t = |i: u32| entry(op, luts, i, c);
    let cv = (x * p(op, 5)[c]).max(t(start)).min(t(end));
    let (mut lo, mut count) = (start, end - start);
    while count > 0 {
        let step = count / 2;
        if t(lo + step) < cv {
            lo += step + 1;
            count -= step + 1;
        } else {
            count = step;
        }
    }
    let low = if lo > start { lo - 1 } else { lo };
    let high = if low < end { low + 1 } else { low };
    let (vl, vh) = (t(low), t(high));
    let delta = if vh > vl { (cv - vl) / (vh - vl) } else { 0.0 };
    (low as f32 + delta) * p(op, 2)[c] + p(op, 0)[c]
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
        t[c] = clamp_nan_lo((v[c] - p(op, 0)[c]) * p(op, 2)[c], 0.0, last);
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

fn lerp3(a: [f32; 3], b: [f32; 3], w: f32) -> [f32; 3] {
    let iw = 1.0 - w;
    [
        a[0] * iw + b[0] * w,
        a[1] * iw + b[1] * w,
        a[2] * iw + b[2] * w,
    ]
}

fn lut3d_trilinear(v: [f32; 3], op: &OpRecord, luts: &[f32]) -> [f32; 3] {
    let idx = lut3d_index(v, op);
    let lo = idx.map(f32::floor);
    let f = [idx[0] - lo[0], idx[1] - lo[1], idx[2] - lo[2]];
    let l = lo.map(|x| x as u32);
    let h = idx.map(|x| x.ceil() as u32);
    let at = |r: u32, g: u32, b: u32| lut3d_at(op, luts, r, g, b);
    let b1 = lerp3(at(l[0], l[1], l[2]), at(l[0], l[1], h[2]), f[2]);
    let b2 = lerp3(at(l[0], h[1], l[2]), at(l[0], h[1], h[2]), f[2]);
    let b3 = lerp3(at(h[0], l[1], l[2]), at(h[0], l[1], h[2]), f[2]);
    let b4 = lerp3(at(h[0], h[1], l[2]), at(h[0], h[1], h[2]), f[2]);
    lerp3(lerp3(b1, b2, f[1]), lerp3(b3, b4, f[1]), f[0])
}

const FLT_MIN: f32 = f32::MIN_POSITIVE;

fn log_lin_to_log(x: f32, op: &OpRecord, c: usize) -> f32 {
    let v = max_lo(x * p(op, 0)[c] + p(op, 1)[c], FLT_MIN);
    log2f(v) * p(op, 2)[c] + p(op, 3)[c]
}

fn log_log_to_lin(x: f32, op: &OpRecord, c: usize) -> f32 {
    let v = exp2f((x + p(op, 0)[c]) * p(op, 1)[c]);
    (v + p(op, 2)[c]) * p(op, 3)[c]
}

fn log_channel(x: f32, op: &OpRecord, c: usize) -> f32 {
    let k = |i: usize| p(op, i)[c];
    match (op.flags & packed::STYLE_MASK) >> packed::STYLE_SHIFT {
        0 | 1 => log2f(max_lo(x, FLT_MIN)) * k(0),
        2 | 3 => exp2f(x * k(0)),
        4 => log_lin_to_log(x, op, c),
        5 => log_log_to_lin(x, op, c),
        6 => {
            if x < k(4) {
                k(5) * x + k(6)
            } else {
                log_lin_to_log(x, op, c)
            }
        }
        _ => {
            if x < k(4) {
                k(5) * (x + k(6))
            } else {
                log_log_to_lin(x, op, c)
            }
        }
    }
}

fn moncurve_fwd(x: f32, op: &OpRecord, c: usize) -> f32 {
    if x <= p(op, 2)[c] {
        return x * p(op, 3)[c];
    }
    pow_pos(x * p(op, 4)[c] + p(op, 1)[c], p(op, 0)[c])
}

fn moncurve_rev(x: f32, op: &OpRecord, c: usize) -> f32 {
    if x <= p(op, 2)[c] {
        return x * p(op, 3)[c];
    }
    pow_pos(x, p(op, 0)[c]) * p(op, 4)[c] - p(op, 1)[c]
}

fn exponent_channel(x: f32, op: &OpRecord, c: usize, style: u32) -> f32 {
    let g = p(op, 0)[c];
    let sign = 1.0f32.copysign(x);
    match style {
        0 | 1 => pow_pos(max_lo(x, 0.0), g),
        2 | 3 => sign * pow_pos(x.abs(), g),
        4 | 5 => {
            if x > 0.0 {
                pow_pos(x, g)
            } else {
                x
            }
        }
        6 => moncurve_fwd(x, op, c),
        7 => moncurve_rev(x, op, c),
        8 => sign * moncurve_fwd(x.abs(), op, c),
        _ => sign * moncurve_rev(x.abs(), op, c),
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
            [0, 1, 2].map(|c| exponent_channel(v[c], op, c, style))
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

//! [`mathf`](super::mathf)'s `exp2f`, `log2f`, `powf` and `atan2f` over a
//! whole slice, for the fast executor's block loops: with AVX2 (detected at
//! run time) four values at a time, each lane doing the scalar function's
//! f64 (for `atan2f`, f32) operations in the same order (table entries gathered, no fused
//! multiply-add), so every result has the scalar function's bits and the
//! CPU backend keeps giving the GPU's. Lanes the scalar code sends down a
//! special path (zeros, negatives, subnormals, infinities, NaN, |x| >= 128
//! for `exp2f`) are redone by the scalar function; so is the tail of a
//! slice, and everything on CPUs without AVX2.
//!
//! The tests below compare every result with the scalar function's bits
//! over dense sweeps of the inputs.

use super::mathf::{atan2f, exp2f, log2f, powf};

/// `v[i] = exp2f(v[i])`.
#[inline]
pub(crate) fn exp2f_each(v: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: AVX2 was detected on this CPU.
        let done = unsafe { avx2::exp2f4(v) };
        v[done..].iter_mut().for_each(|x| *x = exp2f(*x));
        return;
    }
    v.iter_mut().for_each(|x| *x = exp2f(*x));
}

/// `v[i] = log2f(v[i])`.
#[inline]
pub(crate) fn log2f_each(v: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: AVX2 was detected on this CPU.
        let done = unsafe { avx2::log2f4(v) };
        v[done..].iter_mut().for_each(|x| *x = log2f(*x));
        return;
    }
    v.iter_mut().for_each(|x| *x = log2f(*x));
}

/// `v[i] = powf(v[i], y)`.
#[inline]
pub(crate) fn powf_each(v: &mut [f32], y: f32) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && !super::mathf::zeroinfnan(y.to_bits()) {
        // SAFETY: AVX2 was detected on this CPU.
        let done = unsafe { avx2::powf4(v, y) };
        v[done..].iter_mut().for_each(|x| *x = powf(*x, y));
        return;
    }
    v.iter_mut().for_each(|x| *x = powf(*x, y));
}

/// `y[i] = atan2f(y[i], x[i])` over the shorter of the two.
#[inline]
pub(crate) fn atan2f_each(y: &mut [f32], x: &[f32]) {
    let n = y.len().min(x.len());
    let (y, x) = (&mut y[..n], &x[..n]);
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: AVX2 was detected on this CPU.
        let done = unsafe { avx2::atan2f4(y, x) };
        for (y, x) in y[done..].iter_mut().zip(&x[done..]) {
            *y = atan2f(*y, *x);
        }
        return;
    }
    for (y, x) in y.iter_mut().zip(x) {
        *y = atan2f(*y, *x);
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::super::mathf::{
        atan2f, exp2f, log2f, powf, ATAN2_PI, ATAN2_PI_LO, ATAN_HI, ATAN_LO, ATAN_T, EXP2_POLY,
        EXP2_SCALE, LOG2_POLY, LOG2_TAB, OFF, POW_LOG2_POLY, POW_OVERFLOW,
    };
    use std::arch::x86_64::*;

    /// `LOG2_TAB`'s `1/c` and `log2(c)` as two arrays, for gathers.
    const INVC: [f64; 16] = {
        let mut t = [0.0; 16];
        let mut i = 0;
        while i < 16 {
            t[i] = LOG2_TAB[i].0;
            i += 1;
        }
        t
    };
    const LOGC: [f64; 16] = {
        let mut t = [0.0; 16];
        let mut i = 0;
        while i < 16 {
            t[i] = LOG2_TAB[i].1;
            i += 1;
        }
        t
    };

    #[inline]
    #[target_feature(enable = "avx2")]
    fn splat(v: f64) -> __m256d {
        _mm256_set1_pd(v)
    }

    /// `a * b + c`, two roundings (as the scalar code).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn mul_add(a: __m256d, b: __m256d, c: __m256d) -> __m256d {
        _mm256_add_pd(_mm256_mul_pd(a, b), c)
    }

    /// `mathf::pow2i`: `2^e` as the product of two f32 powers of two.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn pow2i(e: __m128i) -> __m256d {
        let e1 = _mm_srai_epi32::<1>(e);
        let e2 = _mm_sub_epi32(e, e1);
        let bias = _mm_set1_epi32(127);
        let a = _mm_castsi128_ps(_mm_slli_epi32::<23>(_mm_add_epi32(e1, bias)));
        let b = _mm_castsi128_ps(_mm_slli_epi32::<23>(_mm_add_epi32(e2, bias)));
        _mm256_mul_pd(_mm256_cvtps_pd(a), _mm256_cvtps_pd(b))
    }

    /// `mathf::exp2_tail`: `2^(k/32 + r)` rounded once to f32.
    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn exp2_tail(k: __m128i, r: __m256d) -> __m128 {
        let idx = _mm_and_si128(k, _mm_set1_epi32(31));
        let tab = _mm256_i32gather_pd::<8>(EXP2_SCALE.as_ptr(), idx);
        let s = _mm256_mul_pd(tab, pow2i(_mm_srai_epi32::<5>(k)));
        let c = EXP2_POLY;
        let z = mul_add(splat(c[0]), r, splat(c[1]));
        let r2 = _mm256_mul_pd(r, r);
        let mut y = mul_add(splat(c[2]), r, splat(1.0));
        y = _mm256_add_pd(y, _mm256_mul_pd(z, r2));
        y = _mm256_mul_pd(y, s);
        _mm256_cvtpd_ps(y)
    }

    /// Lanes whose bits are not those of a positive normal finite f32
    /// (`ix - 0x0080_0000 >= 0x7f00_0000`, unsigned), as all-ones.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn not_positive_normal(ix: __m128i) -> __m128i {
        let d = _mm_sub_epi32(ix, _mm_set1_epi32(0x0080_0000));
        let lim = _mm_set1_epi32(0x7f00_0000);
        _mm_cmpeq_epi32(_mm_max_epu32(d, lim), d)
    }

    /// The table index, the reduced argument and the exponent of
    /// `log2f.c`/`powf.c` for the bits of a positive normal f32.
    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn reduce(ix: __m128i) -> (__m256d, __m256d) {
        let tmp = _mm_sub_epi32(ix, _mm_set1_epi32(OFF as i32));
        let i = _mm_and_si128(_mm_srli_epi32::<19>(tmp), _mm_set1_epi32(15));
        let top = _mm_and_si128(tmp, _mm_set1_epi32(0xff80_0000u32 as i32));
        let iz = _mm_sub_epi32(ix, top);
        let k = _mm_srai_epi32::<23>(top);
        let invc = _mm256_i32gather_pd::<8>(INVC.as_ptr(), i);
        let logc = _mm256_i32gather_pd::<8>(LOGC.as_ptr(), i);
        let z = _mm256_cvtps_pd(_mm_castsi128_ps(iz));
        let r = _mm256_sub_pd(_mm256_mul_pd(z, invc), splat(1.0));
        let y0 = _mm256_add_pd(logc, _mm256_cvtepi32_pd(k));
        (r, y0)
    }

    /// Redoes with `f` the lanes of `out[i..i + 4]` set in `special`.
    #[inline(always)]
    fn redo(special: __m128i, out: &mut [f32], i: usize, f: impl Fn(usize) -> f32) {
        // SAFETY: SSE2 is part of x86-64.
        let mask = unsafe { _mm_movemask_ps(_mm_castsi128_ps(special)) };
        if mask != 0 {
            for l in 0..4 {
                if mask & (1 << l) != 0 {
                    out[i + l] = f(i + l);
                }
            }
        }
    }

    /// `exp2f` on the first `len - len % 4` values; returns that count.
    #[target_feature(enable = "avx2")]
    pub unsafe fn exp2f4(v: &mut [f32]) -> usize {
        let n = v.len() / 4 * 4;
        let mut i = 0;
        while i < n {
            let x = _mm_loadu_ps(v.as_ptr().add(i));
            let ix = _mm_castps_si128(x);
            // abstop >= 0x430: |x| >= 128 or NaN, the scalar's special path.
            let abstop = _mm_and_si128(_mm_srli_epi32::<20>(ix), _mm_set1_epi32(0x7ff));
            let special = _mm_cmpgt_epi32(abstop, _mm_set1_epi32(0x42f));
            // x * 32 is exact; rounded to nearest even (the MXCSR default).
            let k = _mm_cvtps_epi32(_mm_mul_ps(x, _mm_set1_ps(32.0)));
            let kd = _mm256_cvtepi32_pd(k);
            let r = _mm256_sub_pd(_mm256_cvtps_pd(x), _mm256_mul_pd(kd, splat(0.03125)));
            let y = exp2_tail(k, r);
            let keep: [f32; 4] = std::mem::transmute(x);
            _mm_storeu_ps(v.as_mut_ptr().add(i), y);
            redo(special, v, i, |j| exp2f(keep[j - i]));
            i += 4;
        }
        n
    }

    /// `log2f` on the first `len - len % 4` values; returns that count.
    #[target_feature(enable = "avx2")]
    pub unsafe fn log2f4(v: &mut [f32]) -> usize {
        let n = v.len() / 4 * 4;
        let a = LOG2_POLY;
        let mut i = 0;
        while i < n {
            let x = _mm_loadu_ps(v.as_ptr().add(i));
            let ix = _mm_castps_si128(x);
            let special = not_positive_normal(ix);
            let (r, y0) = reduce(ix);
            let r2 = _mm256_mul_pd(r, r);
            let mut y = mul_add(splat(a[1]), r, splat(a[2]));
            y = _mm256_add_pd(y, _mm256_mul_pd(splat(a[0]), r2));
            let p = mul_add(splat(a[3]), r, y0);
            y = mul_add(y, r2, p);
            let keep: [f32; 4] = std::mem::transmute(x);
            _mm_storeu_ps(v.as_mut_ptr().add(i), _mm256_cvtpd_ps(y));
            redo(special, v, i, |j| log2f(keep[j - i]));
            i += 4;
        }
        n
    }

    /// `powf(x, y)` on the first `len - len % 4` values, `y` neither 0,
    /// infinite nor NaN; returns that count.
    #[target_feature(enable = "avx2")]
    pub unsafe fn powf4(v: &mut [f32], y: f32) -> usize {
        let n = v.len() / 4 * 4;
        let a = POW_LOG2_POLY;
        let yd = splat(y as f64);
        let mut i = 0;
        while i < n {
            let x = _mm_loadu_ps(v.as_ptr().add(i));
            let ix = _mm_castps_si128(x);
            let special = not_positive_normal(ix);
            // powf.c's log2_inline.
            let (r, y0) = reduce(ix);
            let r2 = _mm256_mul_pd(r, r);
            let mut l = mul_add(splat(a[0]), r, splat(a[1]));
            let p = mul_add(splat(a[2]), r, splat(a[3]));
            let r4 = _mm256_mul_pd(r2, r2);
            let mut q = mul_add(splat(a[4]), r, y0);
            q = _mm256_add_pd(q, _mm256_mul_pd(p, r2));
            l = mul_add(l, r4, q);
            let ylogx = _mm256_mul_pd(yd, l);
            let over = _mm256_cmp_pd::<_CMP_GT_OQ>(ylogx, splat(POW_OVERFLOW));
            let under = _mm256_cmp_pd::<_CMP_LE_OQ>(ylogx, splat(-150.0));
            let k = _mm256_cvtpd_epi32(_mm256_mul_pd(ylogx, splat(32.0)));
            let kd = _mm256_cvtepi32_pd(k);
            let rr = _mm256_sub_pd(ylogx, _mm256_mul_pd(kd, splat(0.03125)));
            let mut out = exp2_tail(k, rr);
            out = _mm_blendv_ps(out, _mm_set1_ps(f32::INFINITY), narrow(over));
            out = _mm_blendv_ps(out, _mm_setzero_ps(), narrow(under));
            let keep: [f32; 4] = std::mem::transmute(x);
            _mm_storeu_ps(v.as_mut_ptr().add(i), out);
            redo(special, v, i, |j| powf(keep[j - i], y));
            i += 4;
        }
        n
    }

    /// Four 64-bit lane masks as four 32-bit ones (each lane's low half).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn narrow(m: __m256d) -> __m128 {
        let idx = _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6);
        _mm256_castps256_ps128(_mm256_permutevar8x32_ps(_mm256_castpd_ps(m), idx))
    }

    /// `atan2f` on the first `len - len % 4` pairs; returns that count.
    /// `mathf::atan2f`'s f32 operations four lanes at a time (SSE's are
    /// IEEE-rounded, as the scalar's): the quotient's reduction picked per
    /// lane by its exponent, one division, the series, then the quadrant.
    /// Zeros, infinities, NaN, `x == 1` and quotients beyond 2^±60 take the
    /// scalar's special paths and are redone by it.
    #[target_feature(enable = "avx2")]
    pub unsafe fn atan2f4(y: &mut [f32], x: &[f32]) -> usize {
        let n = y.len().min(x.len()) / 4 * 4;
        let fs = _mm_set1_ps;
        let int = _mm_set1_epi32;
        let abs_mask = int(0x7fff_ffff);
        let (hi, lo, t) = (ATAN_HI, ATAN_LO, ATAN_T);
        let mut i = 0;
        while i < n {
            let yf = _mm_loadu_ps(y.as_ptr().add(i));
            let xf = _mm_loadu_ps(x.as_ptr().add(i));
            let (hx, hy) = (_mm_castps_si128(xf), _mm_castps_si128(yf));
            let (ix, iy) = (_mm_and_si128(hx, abs_mask), _mm_and_si128(hy, abs_mask));
            let k = _mm_srai_epi32::<23>(_mm_sub_epi32(iy, ix));
            let x_negative = _mm_cmplt_epi32(hx, _mm_setzero_si128());
            let special = [
                _mm_cmpeq_epi32(iy, _mm_setzero_si128()),
                _mm_cmpeq_epi32(ix, _mm_setzero_si128()),
                _mm_cmpgt_epi32(ix, int(0x7f7f_ffff)),
                _mm_cmpgt_epi32(iy, int(0x7f7f_ffff)),
                _mm_cmpeq_epi32(hx, int(0x3f80_0000)),
                _mm_cmpgt_epi32(k, int(60)),
                _mm_and_si128(x_negative, _mm_cmplt_epi32(k, int(-60))),
            ]
            .into_iter()
            .fold(_mm_setzero_si128(), |a, b| _mm_or_si128(a, b));
            // atanf(|y / x|), the argument non-negative.
            let q = _mm_andnot_ps(fs(-0.0), _mm_div_ps(yf, xf));
            let iq = _mm_castps_si128(q);
            let below = |b: i32| _mm_castsi128_ps(_mm_cmplt_epi32(iq, int(b)));
            let (r0, r1, r2, r3) = (
                below(0x3ee0_0000),
                below(0x3f30_0000),
                below(0x3f98_0000),
                below(0x401c_0000),
            );
            let pick = |a: __m128, b: __m128, c: __m128, d: __m128, e: __m128| {
                let v = _mm_blendv_ps(e, d, r3);
                let v = _mm_blendv_ps(v, c, r2);
                let v = _mm_blendv_ps(v, b, r1);
                _mm_blendv_ps(v, a, r0)
            };
            let num = pick(
                q,
                _mm_sub_ps(_mm_mul_ps(fs(2.0), q), fs(1.0)),
                _mm_sub_ps(q, fs(1.0)),
                _mm_sub_ps(q, fs(1.5)),
                fs(-1.0),
            );
            let den = pick(
                fs(1.0),
                _mm_add_ps(fs(2.0), q),
                _mm_add_ps(q, fs(1.0)),
                _mm_add_ps(fs(1.0), _mm_mul_ps(fs(1.5), q)),
                q,
            );
            let xr = _mm_div_ps(num, den);
            let z = _mm_mul_ps(xr, xr);
            let w = _mm_mul_ps(z, z);
            let horner = |terms: &[f32]| {
                let mut acc = fs(terms[terms.len() - 1]);
                for &c in terms[..terms.len() - 1].iter().rev() {
                    acc = _mm_add_ps(fs(c), _mm_mul_ps(w, acc));
                }
                acc
            };
            let s1 = _mm_mul_ps(z, horner(&[t[0], t[2], t[4], t[6], t[8], t[10]]));
            let s2 = _mm_mul_ps(w, horner(&[t[1], t[3], t[5], t[7], t[9]]));
            let xs = _mm_mul_ps(xr, _mm_add_ps(s1, s2));
            let near = _mm_sub_ps(xr, xs);
            let h = pick(fs(0.0), fs(hi[0]), fs(hi[1]), fs(hi[2]), fs(hi[3]));
            let l = pick(fs(0.0), fs(lo[0]), fs(lo[1]), fs(lo[2]), fs(lo[3]));
            let far = _mm_sub_ps(h, _mm_sub_ps(_mm_sub_ps(xs, l), xr));
            let mut a = _mm_blendv_ps(far, near, r0);
            // |q| < 2^-29 is q itself, |q| >= 2^25 atan(inf).
            a = _mm_blendv_ps(a, q, below(0x3100_0000));
            let huge = _mm_castsi128_ps(_mm_cmpgt_epi32(iq, int(0x4bff_ffff)));
            a = _mm_blendv_ps(a, fs(hi[3] + lo[3]), huge);
            // The quadrant: 2 * sign(x) + sign(y).
            let y_negative = _mm_castsi128_ps(_mm_cmplt_epi32(hy, _mm_setzero_si128()));
            let right = _mm_blendv_ps(a, _mm_xor_ps(a, fs(-0.0)), y_negative);
            let left = _mm_blendv_ps(
                _mm_sub_ps(fs(ATAN2_PI), _mm_sub_ps(a, fs(ATAN2_PI_LO))),
                _mm_sub_ps(_mm_sub_ps(a, fs(ATAN2_PI_LO)), fs(ATAN2_PI)),
                y_negative,
            );
            let r = _mm_blendv_ps(right, left, _mm_castsi128_ps(x_negative));
            let keep: [f32; 4] = std::mem::transmute(yf);
            _mm_storeu_ps(y.as_mut_ptr().add(i), r);
            redo(special, y, i, |j| atan2f(keep[j - i], x[j]));
            i += 4;
        }
        n
    }
}

#[cfg(test)]
mod tests;

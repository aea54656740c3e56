//! A power function for the fast executor's loops: branch-free, so a loop
//! of it vectorises, and within 3e-7 x max(1, |result|) of the C library's
//! `powf` for the inputs a CDL feeds it (see the test). Relative to tiny
//! results the error is larger (a few 1e-6 below 1e-4, from rounding
//! `p * log2(x)` to f32), far below the 1e-6 absolute contract. `pow(x, p) = exp2(p * log2(x))`
//! with Cephes' single-precision polynomials for log and exp2. Its WGSL twin
//! is `ops/fastpow.wgsl` (the GPU's forward CDL), operation for
//! operation: keep the two in sync.

/// `x^p` for `x >= 0` and `p > 0`; `0^p = 0`, `inf^p = inf` (as `powf`).
/// Results below the smallest normal f32 flush to 0; results above the
/// largest f32 are +inf.
#[inline(always)]
pub fn pow(x: f32, p: f32) -> f32 {
    let t = p * log2(x);
    let r = exp2(t);
    let r = if x == f32::INFINITY { x } else { r };
    if x > 0.0 {
        r
    } else {
        0.0
    }
}

/// log2 of a positive normal f32.
#[inline(always)]
pub fn log2(x: f32) -> f32 {
    let bits = x.to_bits();
    let mut e = ((bits >> 23) & 0xff) as i32 - 127;
    let mut m = f32::from_bits((bits & 0x007f_ffff) | 0x3f80_0000);
    // Centre the mantissa on 1: [sqrt(1/2), sqrt(2)).
    let big = m > std::f32::consts::SQRT_2;
    m = if big { m * 0.5 } else { m };
    e += big as i32;
    let z = m - 1.0;
    let zz = z * z;
    let mut y = 7.037_683_6e-2;
    y = y * z - 1.151_461_1e-1;
    y = y * z + 1.167_699_9e-1;
    y = y * z - 1.242_014_1e-1;
    y = y * z + 1.424_932_3e-1;
    y = y * z - 1.666_805_8e-1;
    y = y * z + 2.000_071_4e-1;
    y = y * z - 2.499_999_4e-1;
    y = y * z + 3.333_333e-1;
    let ln = z - 0.5 * zz + y * z * zz;
    e as f32 + ln * std::f32::consts::LOG2_E
}

/// 2^t, flushing below 2^-126 to 0 and overflowing to +inf.
#[inline(always)]
pub fn exp2(t: f32) -> f32 {
    let tc = t.clamp(-127.0, 128.0);
    // Round to nearest by adding 1.5 * 2^23 (no libm floor and no
    // saturating float-to-int cast, so the loop vectorises on baseline
    // x86-64), reading k from the sum's bits and converting that integer
    // back: not `(tc + MAGIC) - MAGIC`, which a GPU compiler allowed
    // inexact algebra folds to `tc`.
    const MAGIC: f32 = 12_582_912.0;
    let ki = (tc + MAGIC).to_bits() as i32 - 0x4b40_0000;
    let f = tc - ki as f32;
    let mut p = 1.535_336_2e-4;
    p = p * f + 1.339_887_4e-3;
    p = p * f + 9.618_437e-3;
    p = p * f + 5.550_332_5e-2;
    p = p * f + 2.402_264_8e-1;
    p = p * f + 6.931_472e-1;
    let frac = p * f + 1.0;
    // 2^k built from its exponent bits, valid for -126 <= k <= 127.
    let scale = f32::from_bits(((ki.clamp(-126, 127) + 127) as u32) << 23);
    let r = frac * scale;
    if t < -126.0 {
        0.0
    } else if t >= 128.0 {
        f32::INFINITY
    } else {
        r
    }
}

/// OpenColorIO's SSE power (`ssePower` of its `SSE.h`): `exp2(p *
/// log2(x))` with its polynomials, good to about 15 bits, and 0 for `x <=
/// 0` and NaN. OpenColorIO's CPU renderers of ExposureContrast and
/// GradingPrimary use it on every x86 build, so grade uses it there too to
/// match them within 1e-5 (the C library's `powf` differs from it by up to
/// 3e-5). Lane for lane as the SSE code, in scalar f32; its WGSL twin is
/// `sse_pow` in `ops/fastpow.wgsl`.
#[inline(always)]
pub fn sse_pow(x: f32, p: f32) -> f32 {
    let r = sse_exp2(p * sse_log2(x));
    if x > 0.0 {
        r
    } else {
        0.0
    }
}

/// `sseLog2`: the exponent plus a degree-5 polynomial of the mantissa
/// (sign kept, as the SSE code does not clear it).
#[inline(always)]
fn sse_log2(x: f32) -> f32 {
    let bits = x.to_bits();
    let m = f32::from_bits((bits & 0x807f_ffff) | 0x3f80_0000);
    let mut y = f32::from_bits(0x3d37_cd65);
    y = y * m + f32::from_bits(0xbed5_47d7);
    y = y * m + f32::from_bits(0x3fd0_c97c);
    y = y * m + f32::from_bits(0xc063_4031);
    y = y * m + f32::from_bits(0x40a2_ef4c);
    y = y * m + f32::from_bits(0xc033_392a);
    let e = ((bits & 0x7f80_0000) >> 23) as i32 - 127;
    y + e as f32
}

/// `sseExp2`: 2^floor(x) from its bits times a degree-4 polynomial of the
/// fraction; below -126 gives 0, from 128 up +inf. The floor is the SSE
/// one: truncation, minus 1 where `!(0 <= x)`, with Intel's "integer
/// indefinite" (i32::MIN) out of range and for NaN.
#[inline(always)]
fn sse_exp2(x: f32) -> f32 {
    let t = if (-2_147_483_648.0..2_147_483_648.0).contains(&x) {
        x as i32
    } else {
        i32::MIN
    };
    let floor = t.wrapping_add(if 0.0 <= x { 0 } else { -1 });
    let zf = f32::from_bits((floor as u32).wrapping_add(127) << 23);
    let f = x - floor as f32;
    let mut y = f32::from_bits(0x3c5d_be6a);
    y = y * f + f32::from_bits(0x3d55_09f8);
    y = y * f + f32::from_bits(0x3e77_3cc5);
    y = y * f + f32::from_bits(0x3f31_68b3);
    y = y * f + f32::from_bits(0x3f80_0016);
    let r = zf * y;
    if x < -126.0 {
        0.0
    } else if x >= 128.0 {
        f32::INFINITY
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pow_is_within_a_few_ulp_of_powf() {
        let mut worst_rel = 0.0f64;
        let mut worst_abs = 0.0f64;
        let mut worst_scaled = 0.0f64;
        for &p in &[0.4f32, 0.7, 0.9, 1.0, 1.05, 1.2, 1.8, 2.2, 2.6, 1.0 / 0.9] {
            for i in 0..=200_000 {
                let x = i as f32 / 80_000.0; // 0 ..= 2.5
                let want = x.powf(p) as f64;
                let got = pow(x, p) as f64;
                worst_abs = worst_abs.max((got - want).abs());
                worst_scaled = worst_scaled.max((got - want).abs() / want.max(1.0));
                if want > 1e-3 {
                    worst_rel = worst_rel.max((got - want).abs() / want);
                }
            }
        }
        println!(
            "fast pow vs powf: worst |err|/max(1,|v|) {worst_scaled:e}, relative (v > 1e-3) \
             {worst_rel:e}, absolute {worst_abs:e}"
        );
        // The executor's contract is 1e-6 x max(1, |v|); keep 3x margin.
        assert!(worst_scaled < 3e-7, "{worst_scaled}");
        assert!(worst_rel < 1e-6, "{worst_rel}");
        assert_eq!(pow(0.0, 1.3), 0.0);
        assert_eq!(pow(1.0, 1.3), 1.0);
        assert_eq!(pow(f32::INFINITY, 0.9), f32::INFINITY);
    }

    #[test]
    fn sse_pow_is_opencolorio_accurate() {
        // About 15 bits, as OpenColorIO documents its SSE power.
        for &p in &[0.5f32, 0.8772, 1.14, 2.2] {
            for i in 1..=4000 {
                let x = i as f32 / 1000.0;
                let want = (x as f64).powf(p as f64);
                let got = sse_pow(x, p) as f64;
                assert!((got - want).abs() <= 5e-5 * want, "{x}^{p}: {got} {want}");
            }
        }
        assert_eq!(sse_pow(0.0, 1.2), 0.0);
        assert_eq!(sse_pow(-1.0, 1.2), 0.0);
        assert_eq!(sse_pow(f32::NAN, 1.2), 0.0);
    }

    #[test]
    fn exp2_and_log2_edges() {
        assert_eq!(exp2(0.0), 1.0);
        assert_eq!(exp2(-200.0), 0.0);
        assert_eq!(exp2(200.0), f32::INFINITY);
        assert!((log2(8.0) - 3.0).abs() < 1e-6);
    }
}

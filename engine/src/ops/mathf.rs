//! `exp2f`, `log2f`, `powf` and `atan2f`: f32 in, f32 out, with no
//! operation a compiler may rewrite. Every per-pixel power, log and
//! exponential of the colour ops goes through these, on the CPU here and on
//! the GPU through their line-by-line WGSL twin (`ops/mathf_exact.wgsl`),
//! so both backends round the same f64 values to the same f32 results.
//!
//! Ported from Arm's optimized-routines (the code glibc uses since 2.27):
//! `math/exp2f.c` and `math/exp2f_data.c` (32-entry table, cubic),
//! `math/log2f.c` and `math/log2f_data.c` (16-entry table, cubic),
//! `math/powf.c` and `math/powf_log2_data.c` (quartic log2, then exp2f's
//! table); Copyright (c) 2017-2018 Arm Limited, SPDX-License-Identifier:
//! MIT OR Apache-2.0 WITH LLVM-exception. Tables and coefficients are the
//! source's, written as its hex floats. Accuracy (the source's figures):
//! exp2f 0.502 ulp, log2f 0.752 ulp, powf 0.82 ulp, all before the final
//! rounding to f32 of a value whose f64 error is far below 1 f32 ulp.
//!
//! Changes from the C, each so that the WGSL twin computes the same doubles:
//! - the nearest multiple of 1/32 comes from `round_ties_even(x * 32)`
//!   (the product is exact) and an integer, not from `(x + SHIFT) - SHIFT`,
//!   which an optimiser allowed inexact algebra (Mesa's NIR, since WGSL has
//!   no way to forbid it) folds away;
//! - `2^(k/32)` is a table entry times `2^e` built from two f32 powers of
//!   two (exact), instead of adding `k` into the 64-bit pattern (WGSL has no
//!   64-bit integers without an extension);
//! - no errno, no signalling-NaN cases and no directed-rounding overflow
//!   test (round to nearest only); NaN results are a quiet NaN;
//! - `|y log2 x| >= 126` is tested on the value, not on its top 16 bits
//!   (the same test: 126 has a 5-bit mantissa).
//!
//! `atan2f` (and the `atanf` it calls) is fdlibm's float version
//! (`e_atan2f.c`, `s_atanf.c`), which glibc's `atan2f` is on x86-64 up to
//! at least 2.36, in f32 operations; its WGSL twin does each of them in f64
//! and rounds it to f32. Copyright (C) 1993 by Sun Microsystems, Inc. All
//! rights reserved. Developed at SunPro, a Sun Microsystems, Inc. business.
//! Permission to use, copy, modify, and distribute this software is freely
//! granted, provided that this notice is preserved.
//!
//! No `mul_add` anywhere: each `a * b + c` is two roundings on both sides.

/// Where `mathf_exact.wgsl`'s functions for the ACES 2.0 op begin.
#[cfg(test)]
pub(crate) const ACES2_SECTION: &str =
    "// The cosine and sine of a float angle for the ACES 2.0 op";

/// Parses a C hex float literal (`-0x1.efec65b963019p-2`) at compile time,
/// so tables read as the source writes them. Normal numbers and zero only.
pub(crate) const fn hexf(s: &str) -> f64 {
    let b = s.as_bytes();
    let mut i = 0;
    let neg = b[0] == b'-';
    if neg {
        i += 1;
    }
    assert!(b[i] == b'0' && b[i + 1] == b'x');
    i += 2;
    let lead = b[i];
    i += 1;
    let mut frac: u64 = 0;
    let mut digits = 0;
    if b[i] == b'.' {
        i += 1;
        while b[i] != b'p' {
            let d = b[i];
            let v = if d >= b'a' { d - b'a' + 10 } else { d - b'0' } as u64;
            frac = frac << 4 | v;
            digits += 1;
            i += 1;
        }
    }
    assert!(digits <= 13 && b[i] == b'p');
    i += 1;
    let exp_neg = b[i] == b'-';
    if b[i] == b'-' || b[i] == b'+' {
        i += 1;
    }
    let mut exp: i64 = 0;
    while i < b.len() {
        exp = exp * 10 + (b[i] - b'0') as i64;
        i += 1;
    }
    if exp_neg {
        exp = -exp;
    }
    let sign = if neg { 1u64 << 63 } else { 0 };
    if lead == b'0' {
        assert!(frac == 0);
        return f64::from_bits(sign);
    }
    assert!(lead == b'1');
    let mantissa = frac << (4 * (13 - digits));
    f64::from_bits(sign | (((exp + 1023) as u64) << 52) | mantissa)
}

/// `exp2f_data.c` `tab` (EXP2F_TABLE_BITS = 5): `uint(2^(i/32)) - (i << 47)`.
const EXP2F_TAB: [u64; 32] = [
    0x3ff0000000000000,
    0x3fefd9b0d3158574,
    0x3fefb5586cf9890f,
    0x3fef9301d0125b51,
    0x3fef72b83c7d517b,
    0x3fef54873168b9aa,
    0x3fef387a6e756238,
    0x3fef1e9df51fdee1,
    0x3fef06fe0a31b715,
    0x3feef1a7373aa9cb,
    0x3feedea64c123422,
    0x3feece086061892d,
    0x3feebfdad5362a27,
    0x3feeb42b569d4f82,
    0x3feeab07dd485429,
    0x3feea47eb03a5585,
    0x3feea09e667f3bcd,
    0x3fee9f75e8ec5f74,
    0x3feea11473eb0187,
    0x3feea589994cce13,
    0x3feeace5422aa0db,
    0x3feeb737b0cdc5e5,
    0x3feec49182a3f090,
    0x3feed503b23e255d,
    0x3feee89f995ad3ad,
    0x3feeff76f2fb5e47,
    0x3fef199bdd85529c,
    0x3fef3720dcef9069,
    0x3fef5818dcfba487,
    0x3fef7c97337b9b5f,
    0x3fefa4afa2a490da,
    0x3fefd0765b6e4540,
];

/// `2^(i/32)` as f64: the table entry with `i << 47` added back, as the C
/// does before adding the exponent.
pub(crate) const EXP2_SCALE: [f64; 32] = {
    let mut t = [0.0; 32];
    let mut i = 0;
    while i < 32 {
        t[i] = f64::from_bits(EXP2F_TAB[i] + ((i as u64) << 47));
        i += 1;
    }
    t
};

/// `exp2f_data.c` `poly` for N == 32: `2^r ~= C0 r^3 + C1 r^2 + C2 r + 1`.
pub(crate) const EXP2_POLY: [f64; 3] = [
    hexf("0x1.c6af84b912394p-5"),
    hexf("0x1.ebfce50fac4f3p-3"),
    hexf("0x1.62e42ff0c52d6p-1"),
];

/// `log2f_data.c` `tab` (the same as `powf_log2_data.c`'s with
/// POWF_SCALE = 1): `(1/c, log2(c))` for the 16 subintervals.
pub(crate) const LOG2_TAB: [(f64, f64); 16] = [
    (hexf("0x1.661ec79f8f3bep+0"), hexf("-0x1.efec65b963019p-2")),
    (hexf("0x1.571ed4aaf883dp+0"), hexf("-0x1.b0b6832d4fca4p-2")),
    (hexf("0x1.49539f0f010bp+0"), hexf("-0x1.7418b0a1fb77bp-2")),
    (hexf("0x1.3c995b0b80385p+0"), hexf("-0x1.39de91a6dcf7bp-2")),
    (hexf("0x1.30d190c8864a5p+0"), hexf("-0x1.01d9bf3f2b631p-2")),
    (hexf("0x1.25e227b0b8eap+0"), hexf("-0x1.97c1d1b3b7afp-3")),
    (hexf("0x1.1bb4a4a1a343fp+0"), hexf("-0x1.2f9e393af3c9fp-3")),
    (hexf("0x1.12358f08ae5bap+0"), hexf("-0x1.960cbbf788d5cp-4")),
    (hexf("0x1.0953f419900a7p+0"), hexf("-0x1.a6f9db6475fcep-5")),
    (hexf("0x1p+0"), hexf("0x0p+0")),
    (hexf("0x1.e608cfd9a47acp-1"), hexf("0x1.338ca9f24f53dp-4")),
    (hexf("0x1.ca4b31f026aap-1"), hexf("0x1.476a9543891bap-3")),
    (hexf("0x1.b2036576afce6p-1"), hexf("0x1.e840b4ac4e4d2p-3")),
    (hexf("0x1.9c2d163a1aa2dp-1"), hexf("0x1.40645f0c6651cp-2")),
    (hexf("0x1.886e6037841edp-1"), hexf("0x1.88e9c2c1b9ff8p-2")),
    (hexf("0x1.767dcf5534862p-1"), hexf("0x1.ce0a44eb17bccp-2")),
];

/// `log2f_data.c` `poly`: `log1p(r)/ln2 ~= A0 r^4 + A1 r^3 + A2 r^2 + A3 r`.
pub(crate) const LOG2_POLY: [f64; 4] = [
    hexf("-0x1.712b6f70a7e4dp-2"),
    hexf("0x1.ecabf496832ep-2"),
    hexf("-0x1.715479ffae3dep-1"),
    hexf("0x1.715475f35c8b8p0"),
];

/// `powf_log2_data.c` `poly` (POWF_SCALE = 1), degree 5, for powf's more
/// accurate log2.
pub(crate) const POW_LOG2_POLY: [f64; 5] = [
    hexf("0x1.27616c9496e0bp-2"),
    hexf("-0x1.71969a075c67ap-2"),
    hexf("0x1.ec70a6ca7baddp-2"),
    hexf("-0x1.7154748bef6c8p-1"),
    hexf("0x1.71547652ab82bp0"),
];

/// `powf.c`: above this `y log2 x`, `x^y` overflows f32.
pub(crate) const POW_OVERFLOW: f64 = hexf("0x1.fffffffd1d571p+6");

/// The subinterval offset of `log2f.c` and `powf.c` (`OFF`).
pub(crate) const OFF: u32 = 0x3f33_0000;

/// A quiet NaN, the result of an invalid operation.
const NAN_BITS: u32 = 0x7fc0_0000;

/// `2^e` for `-151 <= e <= 128`, exactly, as the product of two f32 powers
/// of two converted to f64.
#[inline(always)]
fn pow2i(e: i32) -> f64 {
    let e1 = e >> 1;
    let e2 = e - e1;
    let a = f32::from_bits(((e1 + 127) as u32) << 23);
    let b = f32::from_bits(((e2 + 127) as u32) << 23);
    a as f64 * b as f64
}

/// `2^(k/32 + r)` for `|r| <= 1/64`, rounded once to f32 (the tail of
/// `exp2f.c` and of `powf.c`'s `exp2_inline`).
#[inline(always)]
fn exp2_tail(k: i32, r: f64) -> f32 {
    let s = EXP2_SCALE[(k & 31) as usize] * pow2i(k >> 5);
    let c = EXP2_POLY;
    let z = c[0] * r + c[1];
    let r2 = r * r;
    let mut y = c[2] * r + 1.0;
    y += z * r2;
    y *= s;
    y as f32
}

/// `2^x`, within 0.502 ulp (`exp2f.c`). `2^-inf = 0`, `2^inf = inf`, NaN
/// passes through; results below 2^-149 round to 0, above f32::MAX to inf.
#[inline]
pub fn exp2f(x: f32) -> f32 {
    let ix = x.to_bits();
    let abstop = (ix >> 20) & 0x7ff;
    if abstop >= 0x430 {
        // |x| >= 128 or x is NaN.
        if ix == 0xff80_0000 {
            return 0.0;
        }
        if abstop >= 0x7f8 {
            return x + x;
        }
        if x > 0.0 {
            return f32::INFINITY;
        }
        if x <= -150.0 {
            return 0.0;
        }
    }
    // x = k/32 + r with |r| <= 1/64; x * 32 is exact.
    let k = (x * 32.0).round_ties_even() as i32;
    let r = x as f64 - k as f64 * 0.03125;
    exp2_tail(k, r)
}

/// `log2(x)`, within 0.752 ulp (`log2f.c`). `log2(0) = -inf`,
/// `log2(inf) = inf`, negatives give NaN, NaN passes through; subnormals
/// are exact inputs.
#[inline]
pub fn log2f(x: f32) -> f32 {
    log2_times(x, 1.0)
}

/// `ln(x)`: log2f's f64 value times ln 2, rounded once to f32 (within an
/// ulp of glibc's `logf`), with log2f's results at 0, inf, negatives and
/// NaN.
#[inline]
pub fn lnf(x: f32) -> f32 {
    log2_times(x, std::f64::consts::LN_2)
}

/// log2f's f64 value times `scale` (positive), rounded once to f32.
#[inline(always)]
fn log2_times(x: f32, scale: f64) -> f32 {
    let mut ix = x.to_bits();
    if ix == 0x3f80_0000 {
        return 0.0;
    }
    if ix.wrapping_sub(0x0080_0000) >= 0x7f80_0000 - 0x0080_0000 {
        // x < 2^-126, inf or NaN.
        if ix.wrapping_mul(2) == 0 {
            return f32::NEG_INFINITY;
        }
        if ix == 0x7f80_0000 {
            return x;
        }
        if ix.wrapping_mul(2) > 0xff00_0000 {
            return x;
        }
        if ix & 0x8000_0000 != 0 {
            return f32::from_bits(NAN_BITS);
        }
        // Subnormal: normalise (the product is exact).
        ix = (x * 8_388_608.0).to_bits();
        ix = ix.wrapping_sub(23 << 23);
    }
    // x = 2^k z with z in [OFF, 2 OFF), exact; subinterval i holds z.
    let tmp = ix.wrapping_sub(OFF);
    let i = ((tmp >> 19) % 16) as usize;
    let top = tmp & 0xff80_0000;
    let iz = ix.wrapping_sub(top);
    let k = (tmp as i32) >> 23;
    let (invc, logc) = LOG2_TAB[i];
    let z = f32::from_bits(iz) as f64;
    // log2(x) = log1p(z/c - 1)/ln2 + log2(c) + k
    let a = LOG2_POLY;
    let r = z * invc - 1.0;
    let y0 = logc + k as f64;
    let r2 = r * r;
    let mut y = a[1] * r + a[2];
    y += a[0] * r2;
    let p = a[3] * r + y0;
    y = y * r2 + p;
    (y * scale) as f32
}

/// powf's log2 of the bits of a positive finite x, a subnormal already
/// normalised into a negative biased exponent (`powf.c` `log2_inline`).
#[inline(always)]
fn pow_log2(ix: u32) -> f64 {
    let tmp = ix.wrapping_sub(OFF);
    let i = ((tmp >> 19) % 16) as usize;
    let top = tmp & 0xff80_0000;
    let iz = ix.wrapping_sub(top);
    let k = (top as i32) >> 23;
    let (invc, logc) = LOG2_TAB[i];
    let z = f32::from_bits(iz) as f64;
    let a = POW_LOG2_POLY;
    let r = z * invc - 1.0;
    let y0 = logc + k as f64;
    let r2 = r * r;
    let mut y = a[0] * r + a[1];
    let p = a[2] * r + a[3];
    let r4 = r2 * r2;
    let mut q = a[4] * r + y0;
    q += p * r2;
    y = y * r4 + q;
    y
}

/// 0: not an integer, 1: odd integer, 2: even integer, for the bits of a
/// finite non-zero f32 (`powf.c` `checkint`).
#[inline(always)]
fn checkint(iy: u32) -> u32 {
    let e = (iy >> 23) & 0xff;
    if e < 0x7f {
        return 0;
    }
    if e > 0x7f + 23 {
        return 2;
    }
    let bit = 1u32 << (0x7f + 23 - e);
    if iy & (bit - 1) != 0 {
        return 0;
    }
    if iy & bit != 0 {
        return 1;
    }
    2
}

/// True for 0, +-inf and NaN bits (`powf.c` `zeroinfnan`).
#[inline(always)]
pub(crate) fn zeroinfnan(i: u32) -> bool {
    i.wrapping_mul(2).wrapping_sub(1) >= 0xff00_0000 - 1
}

/// `x^y` with C's `powf` results, within 0.82 ulp (`powf.c`): `x^0 = 1`
/// and `1^y = 1` (even for NaN), other NaN inputs give NaN, `0^y` is 0
/// (`y > 0`) or inf (`y < 0`), a negative `x` needs an integer `y` (the
/// sign follows an odd one) and gives NaN otherwise.
#[inline]
pub fn powf(x: f32, y: f32) -> f32 {
    let mut negate = false;
    let mut ix = x.to_bits();
    let iy = y.to_bits();
    if ix.wrapping_sub(0x0080_0000) >= 0x7f80_0000 - 0x0080_0000 || zeroinfnan(iy) {
        // x < 2^-126, inf or NaN, or y is 0, inf or NaN.
        if zeroinfnan(iy) {
            if iy.wrapping_mul(2) == 0 {
                return 1.0;
            }
            if ix == 0x3f80_0000 {
                return 1.0;
            }
            if ix.wrapping_mul(2) > 0xff00_0000 || iy.wrapping_mul(2) > 0xff00_0000 {
                return x + y;
            }
            if ix.wrapping_mul(2) == 0x7f00_0000 {
                return 1.0;
            }
            if (ix.wrapping_mul(2) < 0x7f00_0000) == (iy & 0x8000_0000 == 0) {
                // |x| < 1 and y = inf, or |x| > 1 and y = -inf.
                return 0.0;
            }
            return y * y;
        }
        if zeroinfnan(ix) {
            if ix.wrapping_mul(2) > 0xff00_0000 {
                return x + y;
            }
            // x is +-0 or +-inf (the C's `x*x`, or its reciprocal, with
            // the sign of an odd y).
            let odd = ix & 0x8000_0000 != 0 && checkint(iy) == 1;
            let inf = (iy & 0x8000_0000 != 0) == (ix.wrapping_mul(2) == 0);
            let v = if inf { f32::INFINITY } else { 0.0 };
            return if odd { -v } else { v };
        }
        // x and y are non-zero finite.
        if ix & 0x8000_0000 != 0 {
            let yint = checkint(iy);
            if yint == 0 {
                return f32::from_bits(NAN_BITS);
            }
            negate = yint == 1;
            ix &= 0x7fff_ffff;
        }
        if ix < 0x0080_0000 {
            // Subnormal: normalise into a negative biased exponent.
            ix = (f32::from_bits(ix) * 8_388_608.0).to_bits();
            ix = ix.wrapping_sub(23 << 23);
        }
    }
    let ylogx = y as f64 * pow_log2(ix);
    let out = if ylogx.abs() >= 126.0 && ylogx > POW_OVERFLOW {
        f32::INFINITY
    } else if ylogx.abs() >= 126.0 && ylogx <= -150.0 {
        0.0
    } else {
        // ylogx = k/32 + r with |r| <= 1/64; ylogx * 32 is exact.
        let k = (ylogx * 32.0).round_ties_even() as i32;
        let r = ylogx - k as f64 * 0.03125;
        exp2_tail(k, r)
    };
    if negate {
        -out
    } else {
        out
    }
}

/// fdlibm's `atanhi`/`atanlo`: `atan(0.5)`, `atan(1)`, `atan(1.5)` and
/// `atan(inf)` as a float and the float remainder.
#[allow(clippy::excessive_precision)] // the C's literals as written
pub(crate) const ATAN_HI: [f32; 4] = [
    4.6364760399e-01,
    7.8539812565e-01,
    9.8279368877e-01,
    1.5707962513e+00,
];
#[allow(clippy::excessive_precision)] // the C's literals as written
pub(crate) const ATAN_LO: [f32; 4] = [
    5.0121582440e-09,
    3.7748947079e-08,
    3.4473217170e-08,
    7.5497894159e-08,
];
/// fdlibm's `aT`: the odd series of `atan` on `|x| <= 7/16`. The C's
/// decimals, not the hex in its comments (some of which are an ulp off).
#[allow(clippy::excessive_precision)] // the C's literals as written
pub(crate) const ATAN_T: [f32; 11] = [
    3.3333334327e-01,
    -2.0000000298e-01,
    1.4285714924e-01,
    -1.1111110449e-01,
    9.0908870101e-02,
    -7.6918758452e-02,
    6.6610731184e-02,
    -5.8335702866e-02,
    4.9768779427e-02,
    -3.6531571299e-02,
    1.6285819933e-02,
];
#[allow(clippy::excessive_precision)] // the C's literals as written
pub(crate) const ATAN2_PI: f32 = 3.1415927410e+00;
#[allow(clippy::excessive_precision)] // the C's literals as written
pub(crate) const ATAN2_PI_LO: f32 = -8.7422776573e-08;
#[allow(clippy::excessive_precision)] // the C's literals as written
const ATAN2_PI_2: f32 = 1.5707963705e+00;
#[allow(clippy::excessive_precision)] // the C's literals as written
const ATAN2_PI_4: f32 = 7.8539818525e-01;

/// fdlibm's float `atanf` (`s_atanf.c`): argument reduction to
/// `|x| < 7/16` around 0.5, 1, 1.5 or infinity, then an 11-term series.
fn atanf(x: f32) -> f32 {
    let hx = x.to_bits() as i32;
    let ix = hx & 0x7fff_ffff;
    if ix >= 0x4c00_0000 {
        // |x| >= 2^25 (or NaN).
        if ix > 0x7f80_0000 {
            return x + x;
        }
        return if hx > 0 {
            ATAN_HI[3] + ATAN_LO[3]
        } else {
            -ATAN_HI[3] - ATAN_LO[3]
        };
    }
    let (x, id) = if ix < 0x3ee0_0000 {
        // |x| < 7/16; below 2^-29 atan(x) rounds to x.
        if ix < 0x3100_0000 {
            return x;
        }
        (x, None)
    } else {
        let x = x.abs();
        if ix < 0x3f98_0000 {
            if ix < 0x3f30_0000 {
                ((2.0 * x - 1.0) / (2.0 + x), Some(0))
            } else {
                ((x - 1.0) / (x + 1.0), Some(1))
            }
        } else if ix < 0x401c_0000 {
            ((x - 1.5) / (1.0 + 1.5 * x), Some(2))
        } else {
            (-1.0 / x, Some(3))
        }
    };
    let z = x * x;
    let w = z * z;
    let t = &ATAN_T;
    let s1 = z * (t[0] + w * (t[2] + w * (t[4] + w * (t[6] + w * (t[8] + w * t[10])))));
    let s2 = w * (t[1] + w * (t[3] + w * (t[5] + w * (t[7] + w * t[9]))));
    match id {
        None => x - x * (s1 + s2),
        Some(id) => {
            let z = ATAN_HI[id] - ((x * (s1 + s2) - ATAN_LO[id]) - x);
            if hx < 0 {
                -z
            } else {
                z
            }
        }
    }
}

/// `atan2(y, x)` as the C library OpenColorIO runs with computes it:
/// fdlibm's float algorithm (`e_atan2f.c`), which glibc's `atan2f` is on
/// x86-64 (glibc 2.36, Debian 12: equal to it on every input tried), in
/// f32 operations only, each an IEEE-rounded `+ - * /`. Within about an
/// ulp of the true angle, and not always the nearest float: OpenColorIO's
/// ACES hue weights follow these bits, so grade does too. The WGSL twin
/// (`mathf_exact.wgsl`) does each f32 operation in f64 and rounds it, which
/// gives the same floats.
pub fn atan2f(y: f32, x: f32) -> f32 {
    let (hx, hy) = (x.to_bits() as i32, y.to_bits() as i32);
    let (ix, iy) = (hx & 0x7fff_ffff, hy & 0x7fff_ffff);
    if ix > 0x7f80_0000 || iy > 0x7f80_0000 {
        return x + y;
    }
    if hx == 0x3f80_0000 {
        return atanf(y);
    }
    // 2 * sign(x) + sign(y).
    let m = ((hy >> 31) & 1) | ((hx >> 30) & 2);
    if iy == 0 {
        return match m {
            0 | 1 => y,
            2 => ATAN2_PI,
            _ => -ATAN2_PI,
        };
    }
    if ix == 0 {
        return if hy < 0 { -ATAN2_PI_2 } else { ATAN2_PI_2 };
    }
    if ix == 0x7f80_0000 {
        return if iy == 0x7f80_0000 {
            match m {
                0 => ATAN2_PI_4,
                1 => -ATAN2_PI_4,
                2 => 3.0 * ATAN2_PI_4,
                _ => -3.0 * ATAN2_PI_4,
            }
        } else {
            match m {
                0 => 0.0,
                1 => -0.0,
                2 => ATAN2_PI,
                _ => -ATAN2_PI,
            }
        };
    }
    if iy == 0x7f80_0000 {
        return if hy < 0 { -ATAN2_PI_2 } else { ATAN2_PI_2 };
    }
    let k = (iy - ix) >> 23;
    let z = if k > 60 {
        ATAN2_PI_2 + 0.5 * ATAN2_PI_LO
    } else if hx < 0 && k < -60 {
        0.0
    } else {
        atanf((y / x).abs())
    };
    match m {
        0 => z,
        1 => -z,
        2 => ATAN2_PI - (z - ATAN2_PI_LO),
        _ => (z - ATAN2_PI_LO) - ATAN2_PI,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in ulps of `got` from the f64 value `want` (the f32 ulp
    /// at `want`, subnormal spacing below 2^-126).
    fn ulps(got: f32, want: f64) -> f64 {
        if got as f64 == want {
            return 0.0;
        }
        let a = want.abs().max(f32::MIN_POSITIVE as f64);
        let ulp = 2f64.powi(a.log2().floor() as i32 - 23);
        (got as f64 - want).abs() / ulp
    }

    struct Sweep {
        name: &'static str,
        n: u64,
        worst: f64,
        differ_from_std: u64,
    }

    impl Sweep {
        fn new(name: &'static str) -> Sweep {
            Sweep {
                name,
                n: 0,
                worst: 0.0,
                differ_from_std: 0,
            }
        }

        fn check(&mut self, ours: f32, std: f32, exact: f64) {
            self.n += 1;
            self.worst = self.worst.max(ulps(ours, exact));
            if ours.to_bits() != std.to_bits() {
                self.differ_from_std += 1;
            }
        }

        fn report(&self) {
            println!(
                "{}: {} values, worst {:.3} ulp from the f64 value, {} ({:.2e}) differ from std",
                self.name,
                self.n,
                self.worst,
                self.differ_from_std,
                self.differ_from_std as f64 / self.n as f64
            );
            // 1 ulp: the source's bounds are 0.502/0.752/0.82 ulp; the f64
            // reference itself is within 1 f64 ulp.
            assert!(self.worst < 1.0, "{}: {} ulp", self.name, self.worst);
        }
    }

    #[test]
    fn hex_literals_parse() {
        assert_eq!(hexf("0x1p+0"), 1.0);
        assert_eq!(hexf("0x0p+0"), 0.0);
        assert_eq!(hexf("-0x1.8p-1"), -0.75);
        assert_eq!(hexf("0x1.71547652ab82bp0").to_bits(), 0x3ff71547652ab82b);
        assert_eq!(hexf("0x1.49539f0f010bp+0").to_bits(), 0x3ff49539f0f010b0);
        for (i, s) in EXP2_SCALE.iter().enumerate() {
            assert_eq!(*s, 2f64.powf(i as f64 / 32.0), "{i}");
        }
    }

    /// The f64 constants of the WGSL twin, in the order that file lists
    /// them, are these tables'.
    #[test]
    fn wgsl_twin_has_the_same_tables() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/ops/mathf_exact.wgsl");
        let text = std::fs::read_to_string(path).unwrap();
        // The ACES 2.0 op's functions that follow are ops::aces2's (its
        // tests check their constants).
        let text = text.split(ACES2_SECTION).next().unwrap();
        let wgsl: Vec<f64> = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c)))
            .filter_map(|t| t.strip_suffix("lf"))
            .filter(|t| t.trim_start_matches('-').starts_with("0x"))
            .map(hexf)
            .collect();
        let mut rust = EXP2_SCALE.to_vec();
        rust.extend(EXP2_POLY);
        rust.extend(LOG2_TAB.map(|t| t.0));
        rust.extend(LOG2_TAB.map(|t| t.1));
        rust.extend(LOG2_POLY);
        rust.extend(POW_LOG2_POLY);
        rust.push(POW_OVERFLOW);
        assert_eq!(wgsl.len(), rust.len());
        for (i, (w, r)) in wgsl.iter().zip(&rust).enumerate() {
            assert_eq!(w.to_bits(), r.to_bits(), "constant {i}: {w} vs {r}");
        }
    }

    #[test]
    fn wgsl_twin_has_the_same_atan_constants() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/ops/mathf_exact.wgsl");
        let text = std::fs::read_to_string(path).unwrap();
        let bits = |name: &str| -> Vec<u32> {
            let rest = text
                .split(&format!("const {name} = "))
                .nth(1)
                .unwrap_or_else(|| panic!("no {name}"));
            let rest = rest.split(';').next().unwrap();
            let rest = rest.split_once('(').map_or(rest, |(_, r)| r);
            rest.split([',', ')'])
                .map(str::trim)
                .filter_map(|t| t.strip_prefix("0x")?.strip_suffix('u'))
                .map(|t| u32::from_str_radix(t, 16).unwrap())
                .collect()
        };
        let of = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits("ATAN_HI_BITS"), of(&ATAN_HI));
        assert_eq!(bits("ATAN_LO_BITS"), of(&ATAN_LO));
        assert_eq!(bits("ATAN_T_BITS"), of(&ATAN_T));
        assert_eq!(bits("ATAN2_PI_BITS"), of(&[ATAN2_PI]));
        assert_eq!(bits("ATAN2_PI_LO_BITS"), of(&[ATAN2_PI_LO]));
        assert_eq!(bits("ATAN2_PI_2_BITS"), of(&[ATAN2_PI_2]));
        assert_eq!(bits("ATAN2_PI_4_BITS"), of(&[ATAN2_PI_4]));
    }

    #[test]
    fn log2f_is_within_an_ulp_on_every_f32_in_half_to_two() {
        let mut s = Sweep::new("log2f on every f32 in [0.5, 2)");
        let (lo, hi) = (0.5f32.to_bits(), 2.0f32.to_bits());
        for b in lo..hi {
            let x = f32::from_bits(b);
            s.check(log2f(x), x.log2(), (x as f64).log2());
        }
        s.report();
        // Spread over the whole positive range, subnormals included.
        let mut s = Sweep::new("log2f spread over (0, inf)");
        for b in (1..0x7f80_0000u32).step_by(127) {
            let x = f32::from_bits(b);
            s.check(log2f(x), x.log2(), (x as f64).log2());
        }
        s.report();
    }

    #[test]
    fn exp2f_is_within_an_ulp_over_its_range() {
        let mut s = Sweep::new("exp2f on [-150, 128)");
        let n = 4_000_000;
        for i in 0..n {
            let x = -150.0 + 278.0 * (i as f64 / n as f64);
            let x = x as f32;
            let exact = (x as f64).exp2();
            s.check(exp2f(x), x.exp2(), exact);
        }
        // Every f32 in [-1, 1] near 0 and at the table's edges.
        for b in (0..0x3f80_0000u32).step_by(61) {
            for x in [f32::from_bits(b), -f32::from_bits(b)] {
                s.check(exp2f(x), x.exp2(), (x as f64).exp2());
            }
        }
        s.report();
    }

    #[test]
    fn powf_is_within_an_ulp_for_cdl_and_gamma_exponents() {
        let mut s = Sweep::new("powf, CDL and gamma exponents, x in (0, 4]");
        let exponents = [
            0.4f32,
            0.7,
            0.9,
            0.95,
            1.05,
            1.1,
            1.2,
            1.3,
            1.8,
            2.0,
            2.2,
            2.4,
            2.6,
            3.0,
            1.0 / 2.2,
            1.0 / 2.4,
            1.0 / 2.6,
            1.0 / 0.9,
            0.1,
            10.0,
        ];
        for &p in &exponents {
            for i in 1..=400_000 {
                let x = i as f32 / 100_000.0;
                s.check(powf(x, p), x.powf(p), (x as f64).powf(p as f64));
            }
        }
        s.report();
        let mut s = Sweep::new("powf spread over x in (0, inf), y in [-8, 8]");
        for b in (1..0x7f80_0000u32).step_by(4099) {
            let x = f32::from_bits(b);
            for y in [-8.0f32, -2.5, -0.3, 0.3, 0.77, 1.5, 3.0, 8.0] {
                let exact = (x as f64).powf(y as f64);
                if exact > f32::MAX as f64 {
                    assert_eq!(powf(x, y), f32::INFINITY);
                    continue;
                }
                s.check(powf(x, y), x.powf(y), exact);
            }
        }
        s.report();
    }

    #[test]
    fn edge_cases_are_c_s() {
        let inf = f32::INFINITY;
        let nan = f32::NAN;
        for (x, y) in [
            (0.0f32, 2.0f32),
            (0.0, -2.0),
            (-0.0, 3.0),
            (-0.0, -3.0),
            (-0.0, 2.0),
            (inf, 0.5),
            (inf, -0.5),
            (-inf, 3.0),
            (-inf, -3.0),
            (-2.0, 3.0),
            (-2.0, 2.0),
            (-2.0, 0.5),
            (2.0, inf),
            (0.5, inf),
            (2.0, -inf),
            (0.5, -inf),
            (-1.0, inf),
            (1.0, nan),
            (nan, 0.0),
            (nan, 2.0),
            (2.0, nan),
            (1e-45, 0.5),
            (1e-40, 1.5),
            (3.0, 200.0),
            (3.0, -200.0),
            (-3.0, 201.0),
            (f32::MAX, 1.0),
        ] {
            let (got, want) = (powf(x, y), x.powf(y));
            assert!(
                got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
                "powf({x}, {y}) = {got}, C gives {want}"
            );
        }
        for x in [
            0.0f32,
            -0.0,
            inf,
            -inf,
            nan,
            -1.0,
            1e-45,
            1.0,
            2.0,
            f32::MAX,
        ] {
            let (got, want) = (log2f(x), x.log2());
            assert!(
                got == want || (got.is_nan() && want.is_nan()),
                "log2f({x}) = {got}, C gives {want}"
            );
        }
        for x in [
            0.0f32, -0.0, inf, -inf, nan, 128.0, -149.0, -150.0, -151.0, 127.99,
        ] {
            let (got, want) = (exp2f(x), x.exp2());
            assert!(
                got == want || (got.is_nan() && want.is_nan()),
                "exp2f({x}) = {got}, C gives {want}"
            );
        }
    }

    /// `f32::atan2` calls the C library's `atan2f`: on glibc (2.36 here,
    /// as in Debian 12) grade's port gives the same bits everywhere tried,
    /// and stays within an ulp and a half of the true angle.
    #[test]
    fn atan2f_is_the_c_librarys_on_every_quadrant() {
        let mut worst = 0.0f64;
        let mut differ = 0;
        let mut check = |y: f32, x: f32| {
            let got = atan2f(y, x);
            let want = y.atan2(x);
            if got.to_bits() != want.to_bits() && !(got.is_nan() && want.is_nan()) {
                if differ < 8 {
                    println!("atan2f({y:e}, {x:e}) = {got:e}, C gives {want:e}");
                }
                differ += 1;
            }
            if !got.is_nan() {
                worst = worst.max(ulps(got, (y as f64).atan2(x as f64)));
            }
        };
        let vals = [
            0.0f32,
            -0.0,
            1e-30,
            1e-7,
            0.1,
            0.2679,
            0.4375,
            0.6875,
            1.0,
            1.1875,
            1.7,
            2.4375,
            3.0,
            1e7,
            3e38,
            f32::INFINITY,
        ];
        for &a in &vals {
            for &b in &vals {
                for (y, x) in [(a, b), (-a, b), (a, -b), (-a, -b)] {
                    check(y, x);
                }
            }
        }
        for i in 0..20000 {
            let t = i as f32 * 0.001 - 10.0;
            for (y, x) in [(t, 1.0f32), (1.0, t), (t, -0.3), (-0.7, t)] {
                check(y, x);
            }
        }
        // Pseudo-random pairs over 2^-20..2^20 with both signs.
        let mut h = 0x9e37_79b9u32;
        for _ in 0..200_000 {
            let mut next = || {
                h ^= h << 13;
                h ^= h >> 17;
                h ^= h << 5;
                let m = 1.0 + (h >> 9) as f32 / (1u32 << 23) as f32;
                let e = ((h >> 3) % 41) as i32 - 20;
                let s = if h & 1 == 1 { -1.0 } else { 1.0 };
                s * m * 2f32.powi(e)
            };
            let (y, x) = (next(), next());
            check(y, x);
        }
        println!("atan2f: {differ} differ from the C library's, worst {worst} ulp");
        assert_eq!(differ, 0);
        assert!(worst <= 1.5, "{worst}");
        assert!(atan2f(f32::NAN, 1.0).is_nan() && atan2f(1.0, f32::NAN).is_nan());
    }
}

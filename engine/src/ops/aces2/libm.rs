//! The float functions of C's maths library whose last bit shows in
//! the ACES 2.0 op, as glibc 2.36 (Debian 12, what OpenColorIO's CPU
//! renderer calls there) computes them, so our hues and their cosines are
//! OpenColorIO's to the bit:
//!
//! - [`cos_sin`]: `sincosf` (GCC merges OpenColorIO's `std::cos` and
//!   `std::sin` of the same float into one call): Arm's optimized-routines
//!   code (`sysdeps/ieee754/flt-32/s_sincosf.h` and `s_sincosf_data.c`),
//!   a reduction by pi/2 and two polynomials in f64, rounded to float. It
//!   differs from the correctly rounded cosine in about 3% of angles.
//! - the hue's `atan2f` is [`crate::ops::mathf::atan2f`], fdlibm's float
//!   algorithm as glibc's, shared with the ACES 1.x hue weights. It
//!   differs from the correctly rounded angle in about 16% of cases, by an
//!   ulp.
//! - [`log10f`]: fdlibm's float `log10f` (`e_log10f.c`) around Arm's
//!   `logf` (`e_logf.c`, in f64): OpenColorIO's focus gain and the
//!   tonescale's log peak; [`logf`] for the tonescale's constants.
//!
//! Copyright (C) 1993 by Sun Microsystems (fdlibm: "Permission to use,
//! copy, modify, and distribute this software is freely granted, provided
//! that this notice is preserved"); Copyright (c) 2018 Arm Limited (MIT).
//! Constants are the sources' bit patterns. Their WGSL twins are in
//! `ops/mathf_exact.wgsl` (`aces2_cos_sin_impl`,
//! `aces2_log10f_impl`).

/// The sign of the sine in quadrants 0..3.
const SIGN: [f64; 4] = [1.0, -1.0, -1.0, 1.0];
/// 2/pi times 2^24 (x86-64 has no `TOINT_INTRINSICS`).
const HPI_INV: f64 = f64::from_bits(0x4164_5f30_6dc9_c883);
/// pi/2.
const HPI: f64 = f64::from_bits(0x3ff9_21fb_5444_2d18);
/// The cosine polynomial c0..c4 (`__sincosf_table[0]`; the second entry
/// is its negation), then the sine's s1..s3.
const COS_POLY: [f64; 5] = [
    1.0,
    f64::from_bits(0xbfdf_ffff_fd0c_621c),
    f64::from_bits(0x3fa5_5553_e106_8f19),
    f64::from_bits(0xbf56_c087_e89a_359d),
    f64::from_bits(0x3ef9_9343_027b_f8c3),
];
const SIN_POLY: [f64; 3] = [
    f64::from_bits(0xbfc5_5554_5995_a603),
    f64::from_bits(0x3f81_1076_0523_0bc4),
    f64::from_bits(0xbf29_94eb_3774_cf24),
];

/// The top 12 bits of a float without its sign (`abstop12`).
#[inline(always)]
fn abstop12(x: f32) -> u32 {
    (x.to_bits() >> 20) & 0x7ff
}

/// `sincosf_poly`: quadrant `n` swaps the two; `neg` picks the negated
/// cosine table.
#[inline(always)]
fn sincos_poly(x: f64, x2: f64, neg: bool, n: i32) -> (f32, f32) {
    let k = if neg { -1.0 } else { 1.0 };
    let c = COS_POLY.map(|v| k * v);
    let x4 = x2 * x2;
    let x3 = x2 * x;
    let c2 = c[3] + x2 * c[4];
    let s1 = SIN_POLY[1] + x2 * SIN_POLY[2];
    let c1 = c[0] + x2 * c[1];
    let x5 = x3 * x2;
    let x6 = x4 * x2;
    let s = x + x3 * SIN_POLY[0];
    let cc = c1 + x4 * c[2];
    let sin = (s + x5 * s1) as f32;
    let cos = (cc + x6 * c2) as f32;
    if n & 1 != 0 {
        (sin, cos)
    } else {
        (cos, sin)
    }
}

/// The cosine and sine of a float angle, as glibc's `sincosf`, for
/// `|x| < 120` (the hues here are wrapped to [0, 360) degrees before
/// their cosine is taken): NaN beyond, and for NaN or infinite angles.
#[inline(always)]
pub fn cos_sin(y: f32) -> (f32, f32) {
    let x = f64::from(y);
    let top = abstop12(y);
    if top < 0x3f4 {
        // |y| < pi/4.
        if top < 0x398 {
            // |y| < 2^-12.
            return (1.0, y);
        }
        return sincos_poly(x, x * x, false, 0);
    }
    if top >= 0x42f {
        // |y| >= 120, infinite or NaN.
        return (f32::NAN, f32::NAN);
    }
    // reduce_fast: the quadrant from bits 24..31 of the scaled product.
    let r = x * HPI_INV;
    let n = ((r as i32).wrapping_add(0x80_0000)) >> 24;
    let x = x - f64::from(n) * HPI;
    let s = SIGN[(n & 3) as usize];
    sincos_poly(x * s, x * x, n & 2 != 0, n)
}

use crate::ops::mathf::LOG2_TAB;

/// `e_logf_data.c`: log(c) of the 16 subintervals (their 1/c are
/// log2f's, [`LOG2_TAB`]), ln 2 and the polynomial.
pub(super) const LOGF_LOGC: [f64; 16] = [
    f64::from_bits(0xbfd5_7bf7_808c_aade), // -0x1.57bf7808caadep-2
    f64::from_bits(0xbfd2_bef0_a7c0_6ddb), // -0x1.2bef0a7c06ddbp-2
    f64::from_bits(0xbfd0_1eae_7f51_3a67), // -0x1.01eae7f513a67p-2
    f64::from_bits(0xbfcb_31d8_a682_24e9), // -0x1.b31d8a68224e9p-3
    f64::from_bits(0xbfc6_574f_0ac0_7758), // -0x1.6574f0ac07758p-3
    f64::from_bits(0xbfc1_aa2b_c79c_8100), // -0x1.1aa2bc79c81p-3
    f64::from_bits(0xbfba_4e76_ce8c_0e5e), // -0x1.a4e76ce8c0e5ep-4
    f64::from_bits(0xbfb1_973c_5a61_1ccc), // -0x1.1973c5a611cccp-4
    f64::from_bits(0xbfa2_52f4_38e1_0c1e), // -0x1.252f438e10c1ep-5
    f64::from_bits(0x0000_0000_0000_0000), // 0x0p+0
    f64::from_bits(0x3faa_a5aa_5df2_5984), // 0x1.aa5aa5df25984p-5
    f64::from_bits(0x3fbc_5e53_aa36_2eb4), // 0x1.c5e53aa362eb4p-4
    f64::from_bits(0x3fc5_26e5_7720_db08), // 0x1.526e57720db08p-3
    f64::from_bits(0x3fcb_c286_0d22_4770), // 0x1.bc2860d22477p-3
    f64::from_bits(0x3fd1_058b_c8a0_7ee1), // 0x1.1058bc8a07ee1p-2
    f64::from_bits(0x3fd4_0430_57b6_ee09), // 0x1.4043057b6ee09p-2
];
pub(super) const LOGF_LN2: f64 = f64::from_bits(0x3fe6_2e42_fefa_39ef);
pub(super) const LOGF_POLY: [f64; 3] = [
    f64::from_bits(0xbfd0_0ea3_48b8_8334),
    f64::from_bits(0x3fd5_575b_0be0_0b6a),
    f64::from_bits(0xbfdf_fffe_f20a_4123),
];

/// Arm's `logf` for a positive normal float (what [`log10f`] passes, and
/// the tonescale's peak ratios); other inputs through f64's `ln`.
pub fn logf(x: f32) -> f32 {
    let ix = x.to_bits();
    if ix == 0x3f80_0000 {
        return 0.0;
    }
    if ix.wrapping_sub(0x0080_0000) >= 0x7f80_0000 - 0x0080_0000 {
        return f64::from(x).ln() as f32;
    }
    let tmp = ix.wrapping_sub(0x3f33_0000);
    let i = ((tmp >> 19) % 16) as usize;
    let k = (tmp as i32) >> 23;
    let iz = ix.wrapping_sub(tmp & 0xff80_0000);
    let z = f64::from(f32::from_bits(iz));
    // log(x) = log1p(z/c - 1) + log(c) + k ln 2.
    let r = z * LOG2_TAB[i].0 - 1.0;
    let y0 = LOGF_LOGC[i] + f64::from(k) * LOGF_LN2;
    let r2 = r * r;
    let y = LOGF_POLY[1] * r + LOGF_POLY[2];
    let y = LOGF_POLY[0] * r2 + y;
    let y = y * r2 + (y0 + r);
    y as f32
}

/// fdlibm's float `log10f`: the exponent and [`logf`] of the mantissa
/// scaled by 1/ln 10, in float.
pub fn log10f(x: f32) -> f32 {
    const TWO25: f32 = f32::from_bits(0x4c00_0000);
    const IVLN10: f32 = f32::from_bits(0x3ede_5bd9);
    const LOG10_2HI: f32 = f32::from_bits(0x3e9a_2080);
    const LOG10_2LO: f32 = f32::from_bits(0x3554_27db);
    let mut x = x;
    let mut hx = x.to_bits() as i32;
    let mut k = 0i32;
    if hx < 0x0080_0000 {
        if hx & 0x7fff_ffff == 0 {
            return f32::NEG_INFINITY;
        }
        if hx < 0 {
            return f32::NAN;
        }
        // Subnormal: scaled up.
        k -= 25;
        x *= TWO25;
        hx = x.to_bits() as i32;
    }
    if hx >= 0x7f80_0000 {
        return x + x;
    }
    k += (hx >> 23) - 127;
    let i = ((k as u32) & 0x8000_0000) >> 31;
    let hx = (hx & 0x007f_ffff) | ((0x7f - i as i32) << 23);
    let y = (k + i as i32) as f32;
    let z = y * LOG10_2LO + IVLN10 * logf(f32::from_bits(hx as u32));
    z + y * LOG10_2HI
}

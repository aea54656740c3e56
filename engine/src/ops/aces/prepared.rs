//! The ACES fixed functions' prepared constants ([`AcesPrepared`]): what
//! both CPU executors run per pixel and what the packed record carries.
//!
//! Record layout: flags bits 8..15 = [`AcesStyle`] index, `INVERSE` for
//! the inverse direction; n, data: -; p0 and p1 by style:
//! - RedMod03/10: p0 = (1 - scale, pivot, 4 / width in radians, -);
//! - Glow03/10: p0 = (glow gain, glow mid, -, -);
//! - DarkToDim10: p0.x = gamma - 1 (the inverse's gamma when inverse);
//! - GamutComp13: p0 = threshold cyan, magenta, yellow + power in w,
//!   p1 = scale cyan, magenta, yellow + 1 / power in w.

// OpenColorIO's constants, as its source writes them.
#![allow(clippy::excessive_precision)]

#[allow(unused_imports)]
use super::*;
use crate::grade::packed::{self, OpRecord};
use crate::ops::mathf::{atan2f, powf};
use crate::ops::mathf_lanes::{atan2f_each, powf_each};
use crate::ops::{per_pixel, Prepared};

/// Prepared ACES fixed function: the style, the direction and the
/// style's constants as OpenColorIO's renderer holds them (f32).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AcesPrepared {
    pub style: AcesStyle,
    pub inverse: bool,
    pub p0: [f32; 4],
    pub p1: [f32; 4],
}

/// C++'s `std::max(a, b)`: `a < b ? b : a` (a NaN `b` gives `a`, a NaN
/// `a` gives NaN).
#[inline(always)]
fn cmax(a: f32, b: f32) -> f32 {
    if a < b {
        b
    } else {
        a
    }
}

/// C++'s `std::min(a, b)`: `b < a ? b : a`.
#[inline(always)]
fn cmin(a: f32, b: f32) -> f32 {
    if b < a {
        b
    } else {
        a
    }
}

/// OpenColorIO's `CalcSatWeight`.
#[inline(always)]
fn sat_weight(r: f32, g: f32, b: f32, noise_limit: f32) -> f32 {
    let min = cmin(r, cmin(g, b));
    let max = cmax(r, cmax(g, b));
    (cmax(1e-10, max) - cmax(1e-10, min)) / cmax(noise_limit, max)
}

/// OpenColorIO's `CalcHueWeight`: a quadratic B-spline of the hue angle
/// centred on red.
#[inline(always)]
fn hue_weight(r: f32, g: f32, b: f32, inv_width: f32) -> f32 {
    let (bb, a) = hue_args(r, g, b);
    if a < 0.0 {
        // The hue is beyond +-90 degrees, outside both windows (+-60 and
        // +-67.5): OpenColorIO's weight there is 0 or negative, which
        // every caller treats as 0. Saves the atan2 on half the hues.
        return 0.0;
    }
    hue_weight_of(atan2f(bb, a), inv_width)
}

/// The arguments of the hue's `atan2`: `(sqrt(3) (g - b), 2r - (g + b))`.
#[inline(always)]
fn hue_args(r: f32, g: f32, b: f32) -> (f32, f32) {
    const SQRT3: f32 = 1.7320508075688772;
    (SQRT3 * (g - b), 2.0 * r - (g + b))
}

/// [`hue_weight`] of the hue angle (for a non-negative `2r - (g + b)`).
#[inline(always)]
fn hue_weight_of(hue: f32, inv_width: f32) -> f32 {
    const M: [[f32; 4]; 4] = [
        [0.25, 0.00, 0.00, 0.00],
        [-0.75, 0.75, 0.75, 0.25],
        [0.75, -1.50, 0.00, 1.00],
        [-0.25, 0.75, -0.75, 0.25],
    ];
    let knot = hue * inv_width + 2.0;
    // C's `(int) knot` truncates towards 0, so (-1, 0) is knot 0; NaN
    // (undefined in C, INT_MIN on x86) is outside the window. Selects,
    // not a branch and an index, so a loop of it vectorises.
    let inside = knot > -1.0 && knot < 4.0;
    let knot = if inside { knot } else { 0.0 };
    let j = knot.trunc();
    let t = knot - j;
    let c = if j < 0.5 {
        M[0]
    } else if j < 1.5 {
        M[1]
    } else if j < 2.5 {
        M[2]
    } else {
        M[3]
    };
    let w = c[3] + t * (c[2] + t * (c[1] + t * c[0]));
    if inside {
        w
    } else {
        0.0
    }
}

/// OpenColorIO's `rgbToYC`.
#[inline(always)]
fn yc(r: f32, g: f32, b: f32) -> f32 {
    let chroma = (b * (b - g) + g * (g - r) + r * (r - b)).sqrt();
    (b + g + r + 1.75 * chroma) / 3.0
}

/// OpenColorIO's `SigmoidShaper`.
#[inline(always)]
fn sigmoid(sat: f32) -> f32 {
    let x = (sat - 0.4) * 5.0;
    let sign = 1.0f32.copysign(x);
    let t = cmax(0.0, 1.0 - 0.5 * sign * x);
    (1.0 + sign * (1.0 - t * t)) * 0.5
}

const NOISE_LIMIT: f32 = 1e-2;

/// DarkToDim10's luminance (AP1), at least 1e-10.
#[inline(always)]
fn dim_luma(r: f32, g: f32, b: f32) -> f32 {
    cmax(
        1e-10,
        0.27222871678091454 * r + 0.67408176581114831 * g + 0.053689517407937051 * b,
    )
}

impl AcesPrepared {
    /// OpenColorIO's renderer constants for `op`.
    pub fn new(op: &Aces) -> AcesPrepared {
        let inverse = op.direction == Direction::Inverse;
        let mut p0 = [0.0f32; 4];
        let mut p1 = [0.0f32; 4];
        match op.style {
            AcesStyle::RedMod03 => p0 = [1.0 - 0.85, 0.03, 1.9098593171027443, 0.0],
            AcesStyle::RedMod10 => p0 = [1.0 - 0.82, 0.03, 1.6976527263135504, 0.0],
            AcesStyle::Glow03 => p0 = [0.075, 0.1, 0.0, 0.0],
            AcesStyle::Glow10 => p0 = [0.05, 0.08, 0.0, 0.0],
            AcesStyle::DarkToDim10 => {
                let gamma: f32 = if inverse { 1.0192640913260627 } else { 0.9811 };
                p0[0] = gamma - 1.0;
            }
            AcesStyle::GamutComp13 => {
                let p: Vec<f32> = op.params.iter().map(|&v| v as f32).collect();
                if p.len() == 7 {
                    let power = p[6];
                    let inv_power = 1.0 / power;
                    // OpenColorIO's `f_scale`, in f32: the scale that maps
                    // the limit onto 1.
                    let scale = |lim: f32, thr: f32| {
                        (lim - thr) / powf(powf((1.0 - thr) / (lim - thr), -power) - 1.0, inv_power)
                    };
                    p0 = [p[3], p[4], p[5], power];
                    p1 = [
                        scale(p[0], p[3]),
                        scale(p[1], p[4]),
                        scale(p[2], p[5]),
                        inv_power,
                    ];
                }
            }
        }
        AcesPrepared {
            style: op.style,
            inverse,
            p0,
            p1,
        }
    }

    #[inline(always)]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        match self.style {
            AcesStyle::RedMod03 | AcesStyle::RedMod10 => self.red_mod(rgb),
            AcesStyle::Glow03 | AcesStyle::Glow10 => self.glow(rgb),
            AcesStyle::DarkToDim10 => self.dark_to_dim(rgb),
            AcesStyle::GamutComp13 => self.gamut_comp(rgb),
        }
    }

    /// DarkToDim10: `rgb * Y^(gamma - 1)`, Y the AP1 luminance.
    #[inline(always)]
    fn dark_to_dim(&self, [r, g, b]: [f32; 3]) -> [f32; 3] {
        let k = powf(dim_luma(r, g, b), self.p0[0]);
        [r * k, g * k, b * k]
    }

    /// RedMod03 and RedMod10, forward and inverse; only RedMod03 restores
    /// the hue.
    #[inline(always)]
    fn red_mod(&self, rgb: [f32; 3]) -> [f32; 3] {
        let f_h = hue_weight(rgb[0], rgb[1], rgb[2], self.p0[2]);
        self.red_mod_weighted(rgb, f_h)
    }

    /// [`AcesPrepared::red_mod`] given the hue weight.
    #[inline(always)]
    fn red_mod_weighted(&self, [r, g, b]: [f32; 3], f_h: f32) -> [f32; 3] {
        let [one_minus_scale, pivot, _, _] = self.p0;
        // Everything is computed and then selected (no branch on the
        // pixel), so a loop of it vectorises.
        let new_red = if self.inverse {
            let min_chan = if g < b { g } else { b };
            let a = f_h * one_minus_scale - 1.0;
            let bq = r - f_h * (pivot + min_chan) * one_minus_scale;
            let c = f_h * pivot * min_chan * one_minus_scale;
            (-bq - (bq * bq - 4.0 * a * c).sqrt()) / (2.0 * a)
        } else {
            let f_s = sat_weight(r, g, b, NOISE_LIMIT);
            r + f_h * f_s * (pivot - r) * one_minus_scale
        };
        let (mut g2, mut b2) = (g, b);
        if self.style == AcesStyle::RedMod03 {
            let g_up = (g - b) / cmax(1e-10, r - b) * (new_red - b) + b;
            let b_up = (b - g) / cmax(1e-10, r - g) * (new_red - g) + g;
            g2 = if g >= b { g_up } else { g };
            b2 = if g >= b { b } else { b_up };
        }
        if f_h > 0.0 {
            [new_red, g2, b2]
        } else {
            [r, g, b]
        }
    }

    /// RedMod over a block: the hues' `atan2` a chunk at a time
    /// ([`atan2f_each`]), then each pixel as [`AcesPrepared::red_mod`]
    /// (the same bits).
    #[inline(always)]
    fn red_mod_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        let inv_width = self.p0[2];
        let mut hue = [0.0f32; 256];
        let mut across = [0.0f32; 256];
        for ((r, g), b) in r.chunks_mut(256).zip(g.chunks_mut(256)).zip(b.chunks_mut(256)) {
            let n = r.len();
            let (hue, across) = (&mut hue[..n], &mut across[..n]);
            for ((((hue, across), r), g), b) in hue
                .iter_mut()
                .zip(across.iter_mut())
                .zip(r.iter())
                .zip(g.iter())
                .zip(b.iter())
            {
                let (bb, a) = hue_args(*r, *g, *b);
                // Where a < 0 the weight is 0 whatever the hue.
                (*hue, *across) = if a < 0.0 { (0.0, 1.0) } else { (bb, a) };
            }
            atan2f_each(hue, across);
            for (((hue, r), g), b) in hue.iter().zip(r.iter_mut()).zip(g.iter_mut()).zip(b.iter_mut()) {
                let (_, a) = hue_args(*r, *g, *b);
                let w = hue_weight_of(*hue, inv_width);
                let f_h = if a < 0.0 { 0.0 } else { w };
                [*r, *g, *b] = self.red_mod_weighted([*r, *g, *b], f_h);
            }
        }
    }

    /// Glow03 and Glow10, forward and inverse.
    #[inline(always)]
    fn glow(&self, [r, g, b]: [f32; 3]) -> [f32; 3] {
        let [gain, mid, _, _] = self.p0;
        let yc = yc(r, g, b);
        let s = sigmoid(sat_weight(r, g, b, NOISE_LIMIT));
        let glow_gain = gain * s;
        // Both sides computed, then selected: a loop of it vectorises.
        let out = if self.inverse {
            let low = -glow_gain / (1.0 + glow_gain);
            let high = glow_gain * (mid / yc - 0.5) / (glow_gain * 0.5 - 1.0);
            if yc <= (1.0 + glow_gain) * mid * 2.0 / 3.0 {
                low
            } else {
                high
            }
        } else {
            let high = glow_gain * (mid / yc - 0.5);
            if yc <= mid * 2.0 / 3.0 {
                glow_gain
            } else {
                high
            }
        };
        let out = if yc >= mid * 2.0 { 0.0 } else { out };
        let k = 1.0 + out;
        [r * k, g * k, b * k]
    }

    /// GamutComp13, forward and inverse (OpenColorIO's `gamut_comp` with
    /// `compress` or `uncompress`).
    #[inline(always)]
    fn gamut_comp(&self, rgb: [f32; 3]) -> [f32; 3] {
        let [r, g, b] = rgb;
        let ach = cmax(r, cmax(g, b));
        let (power, inv_power) = (self.p0[3], self.p1[3]);
        let mut out = [0.0f32; 3];
        for c in 0..3 {
            let (val, thr, scale) = (rgb[c], self.p0[c], self.p1[c]);
            out[c] = if ach == 0.0 {
                0.0
            } else {
                let dist = (ach - val) / ach.abs();
                if dist < thr {
                    val
                } else {
                    let compressed = if !self.inverse {
                        let nd = (dist - thr) / scale;
                        let p = powf(nd, power);
                        thr + scale * nd / powf(1.0 + p, inv_power)
                    } else if dist >= thr + scale {
                        dist
                    } else {
                        let nd = (dist - thr) / scale;
                        let p = powf(nd, power);
                        thr + scale * powf(-(p / (p - 1.0)), inv_power)
                    };
                    ach - compressed * ach.abs()
                }
            };
        }
        out
    }
}

impl Prepared for AcesPrepared {
    #[inline(always)]
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        AcesPrepared::apply(self, rgb)
    }

    /// The style is chosen once per block, so each loop is one style's.
    #[inline(always)]
    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        match self.style {
            AcesStyle::RedMod03 | AcesStyle::RedMod10 => self.red_mod_block(r, g, b),
            AcesStyle::Glow03 | AcesStyle::Glow10 => {
                for ((r, g), b) in r.iter_mut().zip(g.iter_mut()).zip(b.iter_mut()) {
                    [*r, *g, *b] = self.glow([*r, *g, *b]);
                }
            }
            AcesStyle::DarkToDim10 => {
                let mut y = [0.0f32; 256];
                for ((r, g), b) in r.chunks_mut(256).zip(g.chunks_mut(256)).zip(b.chunks_mut(256)) {
                    let y = &mut y[..r.len()];
                    for (((y, r), g), b) in y.iter_mut().zip(r.iter()).zip(g.iter()).zip(b.iter()) {
                        *y = dim_luma(*r, *g, *b);
                    }
                    powf_each(y, self.p0[0]);
                    for (((k, r), g), b) in y.iter().zip(r.iter_mut()).zip(g.iter_mut()).zip(b.iter_mut()) {
                        *r *= k;
                        *g *= k;
                        *b *= k;
                    }
                }
            }
            AcesStyle::GamutComp13 => per_pixel(r, g, b, |px| self.gamut_comp(px)),
        }
    }

    fn pack(&self, record: &mut OpRecord, _data: &mut Vec<f32>) {
        record.flags = self.style.index() << packed::STYLE_SHIFT;
        if self.inverse {
            record.flags |= packed::INVERSE;
        }
        record.p[0] = self.p0;
        record.p[1] = self.p1;
    }

    fn unpack(record: &OpRecord, _data: &[f32]) -> Result<Self, String> {
        let index = (record.flags & packed::STYLE_MASK) >> packed::STYLE_SHIFT;
        let style = AcesStyle::from_index(index).ok_or(format!("unknown style {index}"))?;
        Ok(AcesPrepared {
            style,
            inverse: record.flags & packed::INVERSE != 0,
            p0: record.p[0],
            p1: record.p[1],
        })
    }
}

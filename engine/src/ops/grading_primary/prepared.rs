//! The grading primary op's prepared constants ([`GradingPrimaryPrepared`]):
//! what both CPU executors run per pixel and what its packed record
//! carries.
//!
//! Record layout: flags bits 8..15 =
//! [`GradingPrimaryStyle`](crate::ops::GradingPrimaryStyle) index, bit 16
//! the power step, bit 17 saturation, bit 18 bypass; n, data: -; p0 =
//! add.rgb + pivot, p1 = scale.rgb + black pivot, p2 = contrast.rgb + white
//! pivot, p3 = gamma.rgb + saturation, p4 = (black clamp, white clamp).
//!
//! Forward styles: `v + add`, `* scale`, then log/video `(v - pivot) *
//! contrast + pivot` and the gamma, lin the contrast power; then
//! saturation and the clamp. Inverse styles: the clamp, saturation, the
//! gamma or lin contrast power, log/video the affine contrast, `* scale`,
//! `+ add`. The gamma is `sign(t) * |t / range|^gamma * range + black`
//! with `t = v - black`, `range = white - black`; the lin contrast
//! `sign(v) * |v / pivot|^contrast * pivot`; both with
//! [`sse_pow`](crate::ops::fastmath::sse_pow).

#[allow(unused_imports)]
use super::*;
use crate::grade::packed::{self, OpRecord};
use crate::ops::fastmath::sse_pow;
use crate::ops::{clamp_nan_lo, per_pixel, rgb0, saturate, xyz, Prepared};

/// Flag bits of the record (above the style byte).
const POWER: u32 = 1 << 16;
const SATURATION: u32 = 1 << 17;
const BYPASS: u32 = 1 << 18;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradingPrimaryPrepared {
    pub style: GradingPrimaryStyle,
    /// Brightness (log), offset (lin), lift + offset (video); negated for
    /// the inverse styles.
    pub add: [f32; 3],
    /// 2^exposure (lin; its reciprocal inverse), else 1.
    pub scale: [f32; 3],
    /// Contrast (log, lin), slope (video); reciprocals for the inverse.
    pub contrast: [f32; 3],
    /// The contrast pivot (log, lin) or the black pivot (video).
    pub pivot: f32,
    pub gamma: [f32; 3],
    pub pivot_black: f32,
    pub pivot_white: f32,
    pub clamp_black: f32,
    pub clamp_white: f32,
    /// The saturation used (its reciprocal for the inverse).
    pub saturation: f32,
    /// Whether the gamma (log, video) or contrast (lin) power step runs.
    pub do_power: bool,
    pub do_saturation: bool,
    /// OpenColorIO's local bypass: the pixels are left alone.
    pub bypass: bool,
}

/// `f32` with the sign bit of `s` flipped into it, as the SSE code's xor.
#[inline(always)]
fn xor_sign(v: f32, s: f32) -> f32 {
    f32::from_bits(v.to_bits() ^ (s.to_bits() & 0x8000_0000))
}

impl GradingPrimaryPrepared {
    /// The power step of channel `c`: the lin contrast or the gamma.
    #[inline(always)]
    fn power(&self, c: usize, v: f32) -> f32 {
        if self.style.is_lin() {
            let t = v / self.pivot;
            let a = f32::from_bits(t.to_bits() & 0x7fff_ffff);
            xor_sign(sse_pow(a, self.contrast[c]) * self.pivot, t)
        } else {
            let t = v - self.pivot_black;
            let range = self.pivot_white - self.pivot_black;
            let a = f32::from_bits(t.to_bits() & 0x7fff_ffff) / range;
            xor_sign(sse_pow(a, self.gamma[c]), t) * range + self.pivot_black
        }
    }

    #[inline(always)]
    fn affine(&self, c: usize, v: f32) -> f32 {
        (v - self.pivot) * self.contrast[c] + self.pivot
    }

    #[inline(always)]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        if self.bypass {
            return rgb;
        }
        let lin = self.style.is_lin();
        let mut v = rgb;
        if self.style.is_forward() {
            for (c, x) in v.iter_mut().enumerate() {
                *x = (*x + self.add[c]) * self.scale[c];
                if !lin {
                    *x = self.affine(c, *x);
                }
                if self.do_power {
                    *x = self.power(c, *x);
                }
            }
            if self.do_saturation {
                v = saturate(v, self.saturation);
            }
            v.map(|x| clamp_nan_lo(x, self.clamp_black, self.clamp_white))
        } else {
            v = v.map(|x| clamp_nan_lo(x, self.clamp_black, self.clamp_white));
            if self.do_saturation {
                v = saturate(v, self.saturation);
            }
            for (c, x) in v.iter_mut().enumerate() {
                if self.do_power {
                    *x = self.power(c, *x);
                }
                if !lin {
                    *x = self.affine(c, *x);
                }
                *x = *x * self.scale[c] + self.add[c];
            }
            v
        }
    }
}

impl Prepared for GradingPrimaryPrepared {
    #[inline(always)]
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        GradingPrimaryPrepared::apply(self, rgb)
    }

    #[inline(always)]
    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        per_pixel(r, g, b, |px| GradingPrimaryPrepared::apply(self, px));
    }

    /// The layout in the module docs.
    fn pack(&self, record: &mut OpRecord, _data: &mut Vec<f32>) {
        record.flags = self.style.index() << packed::STYLE_SHIFT
            | if self.do_power { POWER } else { 0 }
            | if self.do_saturation { SATURATION } else { 0 }
            | if self.bypass { BYPASS } else { 0 };
        let with = |v: [f32; 3], w: f32| [v[0], v[1], v[2], w];
        record.p[0] = with(self.add, self.pivot);
        record.p[1] = with(self.scale, self.pivot_black);
        record.p[2] = with(self.contrast, self.pivot_white);
        record.p[3] = with(self.gamma, self.saturation);
        record.p[4] = rgb0([self.clamp_black, self.clamp_white, 0.0]);
    }

    fn unpack(record: &OpRecord, _data: &[f32]) -> Result<Self, String> {
        let style = (record.flags & packed::STYLE_MASK) >> packed::STYLE_SHIFT;
        let p = &record.p;
        Ok(GradingPrimaryPrepared {
            style: GradingPrimaryStyle::from_index(style).ok_or("unknown grading primary style")?,
            add: xyz(p[0]),
            scale: xyz(p[1]),
            contrast: xyz(p[2]),
            pivot: p[0][3],
            gamma: xyz(p[3]),
            pivot_black: p[1][3],
            pivot_white: p[2][3],
            clamp_black: p[4][0],
            clamp_white: p[4][1],
            saturation: p[3][3],
            do_power: record.flags & POWER != 0,
            do_saturation: record.flags & SATURATION != 0,
            bypass: record.flags & BYPASS != 0,
        })
    }
}

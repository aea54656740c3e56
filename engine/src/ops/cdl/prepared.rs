//! The cdl op's prepared constants ([`CdlPrepared`]): what both CPU
//! executors run per pixel and what its packed record carries.
//!
//! Record layout: flags bit0 `CDL_CLAMP` (ASC style), bit1 `INVERSE`; n,
//! data: -; p: p0 = slope.rgb + sat in w, p1 = offset.rgb, p2 = power.rgb.
//! With `INVERSE` these are already the reverse values: `1/max(slope,0.01)`,
//! `-offset`, `1/max(power,0.01)`, `1/max(sat,0.01)`; the kernel runs
//! OpenColorIO's reverse order: clamp (if `CDL_CLAMP`), saturation, power,
//! `+offset`, `*slope`, clamp

#[allow(unused_imports)]
use super::*;
use crate::grade::packed::{self, OpRecord};
use crate::ops::{per_pixel, rgb0, xyz, Prepared};

/// A CDL's per-pixel constants. For the reverse direction they are already
/// the reverse values (reciprocal slope, power and saturation, each limited
/// to at most 1/0.01, and negated offset), as OpenColorIO prepares them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CdlPrepared {
    pub slope: [f32; 3],
    pub offset: [f32; 3],
    pub power: [f32; 3],
    pub saturation: f32,
    pub clamp: bool,
    pub reverse: bool,
}

/// Power of the clamping style: clamp to [0,1] (NaN -> 0), then the power.
#[inline(always)]
pub(crate) fn power_clamped(v: f32, p: f32) -> f32 {
    crate::ops::mathf::powf(crate::ops::clamp_nan_lo(v, 0.0, 1.0), p)
}

/// Power of the no-clamp style: NaN -> 0, negatives pass through unchanged.
#[inline(always)]
pub(crate) fn power_no_clamp(v: f32, p: f32) -> f32 {
    if v.is_nan() {
        0.0
    } else if v < 0.0 {
        v
    } else {
        crate::ops::mathf::powf(v, p)
    }
}

impl CdlPrepared {
    /// Forward: `v = in*slope + offset`, power, saturation (Rec.709 luma),
    /// with the ASC style clamping to [0,1] before the power and at the end.
    /// Reverse (OpenColorIO's order): clamp, saturation, power, offset,
    /// slope, clamp.
    #[inline(always)]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        match (self.reverse, self.clamp) {
            (false, true) => self.forward::<true>(rgb),
            (false, false) => self.forward::<false>(rgb),
            (true, true) => self.reverse::<true>(rgb),
            (true, false) => self.reverse::<false>(rgb),
        }
    }

    #[inline(always)]
    pub(crate) fn forward<const CLAMP: bool>(&self, rgb: [f32; 3]) -> [f32; 3] {
        let mut v = [0.0f32; 3];
        for c in 0..3 {
            let x = rgb[c] * self.slope[c] + self.offset[c];
            v[c] = if CLAMP {
                power_clamped(x, self.power[c])
            } else {
                power_no_clamp(x, self.power[c])
            };
        }
        let v = crate::ops::saturate(v, self.saturation);
        if CLAMP {
            v.map(|x| crate::ops::clamp_nan_lo(x, 0.0, 1.0))
        } else {
            v
        }
    }

    #[inline(always)]
    pub(crate) fn reverse<const CLAMP: bool>(&self, rgb: [f32; 3]) -> [f32; 3] {
        let v = if CLAMP {
            rgb.map(|x| crate::ops::clamp_nan_lo(x, 0.0, 1.0))
        } else {
            rgb
        };
        let v = crate::ops::saturate(v, self.saturation);
        let mut out = [0.0f32; 3];
        for c in 0..3 {
            let p = if CLAMP {
                power_clamped(v[c], self.power[c])
            } else {
                power_no_clamp(v[c], self.power[c])
            };
            let x = (p + self.offset[c]) * self.slope[c];
            out[c] = if CLAMP {
                crate::ops::clamp_nan_lo(x, 0.0, 1.0)
            } else {
                x
            };
        }
        out
    }
}

impl Prepared for CdlPrepared {
    #[inline(always)]
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        CdlPrepared::apply(self, rgb)
    }

    #[inline(always)]
    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        match (self.reverse, self.clamp) {
            (false, true) => forward_block::<true>(self, r, g, b),
            (false, false) => forward_block::<false>(self, r, g, b),
            (true, true) => per_pixel(r, g, b, |p| self.reverse::<true>(p)),
            (true, false) => per_pixel(r, g, b, |p| self.reverse::<false>(p)),
        }
    }

    /// Flags `CDL_CLAMP` (ASC style) and `INVERSE`; p0 = slope.rgb +
    /// saturation in w, p1 = offset.rgb, p2 = power.rgb (already the reverse
    /// values for `INVERSE`).
    fn pack(&self, record: &mut OpRecord, _data: &mut Vec<f32>) {
        if self.clamp {
            record.flags |= packed::CDL_CLAMP;
        }
        if self.reverse {
            record.flags |= packed::INVERSE;
        }
        record.p[0] = [self.slope[0], self.slope[1], self.slope[2], self.saturation];
        record.p[1] = rgb0(self.offset);
        record.p[2] = rgb0(self.power);
    }

    fn unpack(record: &OpRecord, _data: &[f32]) -> Result<Self, String> {
        let p = &record.p;
        Ok(CdlPrepared {
            slope: xyz(p[0]),
            saturation: p[0][3],
            offset: xyz(p[1]),
            power: xyz(p[2]),
            clamp: record.flags & packed::CDL_CLAMP != 0,
            reverse: record.flags & packed::INVERSE != 0,
        })
    }
}

/// Forward CDL in two passes over the block: slope, offset, clamp and power
/// per channel, then saturation and clamp. Both vectorise: the power is
/// [`fastmath::pow`](crate::ops::fastmath::pow), within 4 ulp of `powf`.
#[inline(always)]
fn forward_block<const CLAMP: bool>(c: &CdlPrepared, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
    use crate::ops::fastmath;
    use crate::ops::{clamp_nan_lo, REC709_LUMA};
    for (ch, x) in [&mut *r, &mut *g, &mut *b].into_iter().enumerate() {
        let (s, o, p) = (c.slope[ch], c.offset[ch], c.power[ch]);
        if CLAMP {
            for v in x.iter_mut() {
                *v = fastmath::pow(clamp_nan_lo(*v * s + o, 0.0, 1.0), p);
            }
        } else {
            for v in x.iter_mut() {
                let t = *v * s + o;
                let pw = fastmath::pow(t, p);
                // NaN -> 0, negatives pass through (OpenColorIO CDL_NO_CLAMP).
                *v = if t.is_nan() {
                    0.0
                } else if t < 0.0 {
                    t
                } else {
                    pw
                };
            }
        }
    }
    let sat = c.saturation;
    let [wr, wg, wb] = REC709_LUMA;
    for i in 0..r.len().min(g.len()).min(b.len()) {
        let (x, y, z) = (r[i], g[i], b[i]);
        let luma = x * wr + y * wg + z * wb;
        let (x, y, z) = (
            luma + sat * (x - luma),
            luma + sat * (y - luma),
            luma + sat * (z - luma),
        );
        if CLAMP {
            r[i] = clamp_nan_lo(x, 0.0, 1.0);
            g[i] = clamp_nan_lo(y, 0.0, 1.0);
            b[i] = clamp_nan_lo(z, 0.0, 1.0);
        } else {
            r[i] = x;
            g[i] = y;
            b[i] = z;
        }
    }
}

//! The range op's prepared constants ([`RangePrepared`]): what both CPU
//! executors run per pixel and what its packed record carries.
//!
//! Record layout: flags bit4 `RANGE_CLAMP_LOW`, bit5 `RANGE_CLAMP_HIGH`; n,
//! data: -; p: p0 = scale.rgb, p1 = offset.rgb (`out = in*scale + offset`),
//! p2 = low bound.rgb, p3 = high bound.rgb; `max(v, low)` then `min(v, high)`
//! (NaN -> bound)

#[allow(unused_imports)]
use super::*;
use crate::grade::packed::{self, OpRecord};
use crate::ops::{rgb0, Prepared};

/// `out = in*scale + offset`, then the clamps that apply (NaN becomes the
/// low bound, or the high bound when only that one clamps).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RangePrepared {
    pub scale: f32,
    pub offset: f32,
    pub low: f32,
    pub high: f32,
    pub clamp_low: bool,
    pub clamp_high: bool,
}

impl RangePrepared {
    #[inline(always)]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        rgb.map(|x| self.apply1(x))
    }

    #[inline(always)]
    pub fn apply1(&self, x: f32) -> f32 {
        let mut v = x * self.scale + self.offset;
        if self.clamp_low {
            v = v.max(self.low);
        }
        if self.clamp_high {
            v = v.min(self.high);
        }
        v
    }
}

impl Prepared for RangePrepared {
    #[inline(always)]
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        RangePrepared::apply(self, rgb)
    }

    #[inline(always)]
    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        for ch in [r, g, b] {
            for v in ch.iter_mut() {
                *v = self.apply1(*v);
            }
        }
    }

    /// Flags `RANGE_CLAMP_LOW`, `RANGE_CLAMP_HIGH`; p0 = scale, p1 =
    /// offset, p2 = low bound, p3 = high bound (the same on every channel).
    fn pack(&self, record: &mut OpRecord, _data: &mut Vec<f32>) {
        if self.clamp_low {
            record.flags |= packed::RANGE_CLAMP_LOW;
        }
        if self.clamp_high {
            record.flags |= packed::RANGE_CLAMP_HIGH;
        }
        record.p[0] = rgb0([self.scale; 3]);
        record.p[1] = rgb0([self.offset; 3]);
        record.p[2] = rgb0([self.low; 3]);
        record.p[3] = rgb0([self.high; 3]);
    }

    fn unpack(record: &OpRecord, _data: &[f32]) -> Result<Self, String> {
        let p = &record.p;
        Ok(RangePrepared {
            scale: p[0][0],
            offset: p[1][0],
            low: p[2][0],
            high: p[3][0],
            clamp_low: record.flags & packed::RANGE_CLAMP_LOW != 0,
            clamp_high: record.flags & packed::RANGE_CLAMP_HIGH != 0,
        })
    }
}

//! The range op's prepared constants ([`RangePrepared`]): what both CPU
//! executors run per pixel and what its packed record carries.

#[allow(unused_imports)]
use super::*;

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

//! The cdl op's prepared constants ([`CdlPrepared`]): what both CPU
//! executors run per pixel and what its packed record carries.

#[allow(unused_imports)]
use super::*;

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

//! The primary op's prepared constants ([`PrimaryPrepared`]): what both CPU
//! executors run per pixel and what its packed record carries.

#[allow(unused_imports)]
use super::*;

/// Prepared primary: `exposure` is already `2^exposure`, `inv_gamma` is
/// `1/gamma`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrimaryPrepared {
    pub exposure: [f32; 3],
    pub contrast: [f32; 3],
    pub pivot: f32,
    pub lift: [f32; 3],
    pub gain: [f32; 3],
    pub inv_gamma: [f32; 3],
    pub offset: [f32; 3],
    pub saturation: f32,
}

impl PrimaryPrepared {
    #[inline(always)]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        let mut v = [0.0f32; 3];
        for c in 0..3 {
            let mut x = rgb[c] * self.exposure[c];
            x = (x - self.pivot) * self.contrast[c] + self.pivot;
            x = (self.gain[c] - self.lift[c]) * x + self.lift[c];
            if x > 0.0 {
                x = crate::ops::mathf::powf(x, self.inv_gamma[c]);
            }
            v[c] = x + self.offset[c];
        }
        crate::ops::saturate(v, self.saturation)
    }
}

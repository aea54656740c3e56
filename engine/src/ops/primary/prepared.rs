//! The primary op's prepared constants ([`PrimaryPrepared`]): what both CPU
//! executors run per pixel and what its packed record carries.
//!
//! Record layout: flags 0; n, data: -; p: p0 = 2^exposure.rgb, p1 =
//! contrast.rgb + pivot w, p2 = lift.rgb, p3 = gain.rgb, p4 = 1/gamma.rgb, p5
//! = offset.rgb, p6.x = saturation

#[allow(unused_imports)]
use super::*;
use crate::grade::packed::OpRecord;
use crate::ops::{per_pixel, rgb0, xyz, Prepared};

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

impl Prepared for PrimaryPrepared {
    #[inline(always)]
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        PrimaryPrepared::apply(self, rgb)
    }

    #[inline(always)]
    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        per_pixel(r, g, b, |px| PrimaryPrepared::apply(self, px));
    }

    /// p0 = 2^exposure, p1 = contrast + pivot in w, p2 = lift, p3 = gain,
    /// p4 = 1/gamma, p5 = offset, p6.x = saturation.
    fn pack(&self, record: &mut OpRecord, _data: &mut Vec<f32>) {
        let c = self.contrast;
        record.p[0] = rgb0(self.exposure);
        record.p[1] = [c[0], c[1], c[2], self.pivot];
        record.p[2] = rgb0(self.lift);
        record.p[3] = rgb0(self.gain);
        record.p[4] = rgb0(self.inv_gamma);
        record.p[5] = rgb0(self.offset);
        record.p[6] = [self.saturation, 0.0, 0.0, 0.0];
    }

    fn unpack(record: &OpRecord, _data: &[f32]) -> Result<Self, String> {
        let p = &record.p;
        Ok(PrimaryPrepared {
            exposure: xyz(p[0]),
            contrast: xyz(p[1]),
            pivot: p[1][3],
            lift: xyz(p[2]),
            gain: xyz(p[3]),
            inv_gamma: xyz(p[4]),
            offset: xyz(p[5]),
            saturation: p[6][0],
        })
    }
}

//! The surround op's prepared constants ([`SurroundPrepared`]).
//!
//! Record layout: flags bits 8..15 =
//! [`SurroundStyle`](crate::ops::SurroundStyle) index; n, data: -; p0.x =
//! the luminance floor, p0.y = the exponent (`gamma - 1`): `rgb *
//! pow(max(|Y|, floor), exponent)`, `Y = 0.2627 r + 0.6780 g + 0.0593 b`.

#[allow(unused_imports)]
use super::*;
use crate::grade::packed::{self, OpRecord};
use crate::ops::{per_pixel, Prepared};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurroundPrepared {
    pub style: SurroundStyle,
    pub min_lum: f32,
    pub exponent: f32,
}

impl SurroundPrepared {
    #[inline(always)]
    pub fn apply(&self, [r, g, b]: [f32; 3]) -> [f32; 3] {
        let y = (0.2627 * r + 0.678 * g + 0.0593 * b).abs();
        // OpenColorIO's max(minLum, Y): NaN gives the floor.
        let y = if self.min_lum < y { y } else { self.min_lum };
        let k = powf(y, self.exponent);
        [r * k, g * k, b * k]
    }
}

impl Prepared for SurroundPrepared {
    #[inline(always)]
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        SurroundPrepared::apply(self, rgb)
    }

    #[inline(always)]
    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        per_pixel(r, g, b, |px| SurroundPrepared::apply(self, px));
    }

    /// Flags bits 8..15 = the style; p0 = (floor, exponent).
    fn pack(&self, record: &mut OpRecord, _data: &mut Vec<f32>) {
        record.flags = self.style.index() << packed::STYLE_SHIFT;
        record.p[0] = [self.min_lum, self.exponent, 0.0, 0.0];
    }

    fn unpack(record: &OpRecord, _data: &[f32]) -> Result<Self, String> {
        let style = (record.flags & packed::STYLE_MASK) >> packed::STYLE_SHIFT;
        Ok(SurroundPrepared {
            style: SurroundStyle::from_index(style).ok_or("unknown surround style")?,
            min_lum: record.p[0][0],
            exponent: record.p[0][1],
        })
    }
}

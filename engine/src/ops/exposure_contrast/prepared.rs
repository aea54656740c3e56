//! The exposure/contrast op's prepared constants
//! ([`ExposureContrastPrepared`]): what both CPU executors run per pixel
//! and what its packed record carries.
//!
//! Record layout: flags bits 8..15 =
//! [`ExposureContrastStyle`](crate::ops::ExposureContrastStyle) index; n,
//! data: -; p0 = (k0, k1, k2, mode) with mode 0 = scale (`x * k0`), 1 =
//! power (`pow(max(x * k0, 0), k1) * k2`, NaN -> 0, with OpenColorIO's
//! SSE power `fastmath::sse_pow`), 2 = affine (`x * k0 +
//! k1`), the same for the three channels.

#[allow(unused_imports)]
use super::*;
use crate::grade::packed::{self, OpRecord};
use crate::ops::fastmath::sse_pow;
use crate::ops::{per_channel, Prepared};

/// What the prepared constants do with each channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EcMode {
    /// `x * k0` (linear and video styles with contrast 1).
    Scale,
    /// `pow(max(x * k0, 0), k1) * k2` (linear and video styles).
    Power,
    /// `x * k0 + k1` (log styles).
    Affine,
}

impl EcMode {
    const ALL: [EcMode; 3] = [EcMode::Scale, EcMode::Power, EcMode::Affine];
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExposureContrastPrepared {
    pub style: ExposureContrastStyle,
    pub mode: EcMode,
    pub k: [f32; 3],
}

impl ExposureContrastPrepared {
    #[inline(always)]
    pub fn apply1(&self, x: f32) -> f32 {
        let k = &self.k;
        match self.mode {
            EcMode::Scale => x * k[0],
            // sse_pow gives 0 for x <= 0 and NaN, as OpenColorIO's clamp.
            EcMode::Power => sse_pow(x * k[0], k[1]) * k[2],
            EcMode::Affine => x * k[0] + k[1],
        }
    }

    #[inline(always)]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        rgb.map(|x| self.apply1(x))
    }
}

impl Prepared for ExposureContrastPrepared {
    #[inline(always)]
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        ExposureContrastPrepared::apply(self, rgb)
    }

    #[inline(always)]
    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        per_channel(r, g, b, |_, x| self.apply1(x));
    }

    /// Flags bits 8..15 = the style's index; p0 = (k0, k1, k2, mode).
    fn pack(&self, record: &mut OpRecord, _data: &mut Vec<f32>) {
        record.flags = self.style.index() << packed::STYLE_SHIFT;
        let mode = EcMode::ALL.iter().position(|m| *m == self.mode).unwrap_or(0);
        record.p[0] = [self.k[0], self.k[1], self.k[2], mode as f32];
    }

    fn unpack(record: &OpRecord, _data: &[f32]) -> Result<Self, String> {
        let style = (record.flags & packed::STYLE_MASK) >> packed::STYLE_SHIFT;
        let p = record.p[0];
        let mode = EcMode::ALL
            .iter()
            .copied()
            .find(|m| *m as u32 as f32 == p[3])
            .ok_or("unknown exposure/contrast mode")?;
        Ok(ExposureContrastPrepared {
            style: ExposureContrastStyle::from_index(style)
                .ok_or("unknown exposure/contrast style")?,
            mode,
            k: [p[0], p[1], p[2]],
        })
    }
}

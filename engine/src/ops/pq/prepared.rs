//! The PQ op's prepared constants ([`PqPrepared`]).
//!
//! Record layout: flags bits 8..15 = [`PqStyle`](crate::ops::PqStyle)
//! index; n, data: -; p0 = (m1, m2, 1/m2, 1/m1), p1 = (c1, c2, c3). Per
//! channel, linear to PQ: `y = |0.01 v|^m1`, `copysign(((c1 + c2 y) / (1 +
//! c3 y))^m2, v)`; PQ to linear: `x = |v|^(1/m2)`, `copysign(100 *
//! (max(0, x - c1) / (c2 - c3 x))^(1/m1), v)`.

#[allow(unused_imports)]
use super::*;
use crate::grade::packed::{self, OpRecord};
use crate::ops::mathf::powf;
use crate::ops::{per_channel, Prepared};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PqPrepared {
    pub style: PqStyle,
    pub m: [f32; 4],
    pub c: [f32; 3],
}

impl PqPrepared {
    #[inline(always)]
    pub fn apply1(&self, v: f32) -> f32 {
        let [m1, m2, inv_m2, inv_m1] = self.m;
        let [c1, c2, c3] = self.c;
        match self.style {
            PqStyle::LinToPq => {
                let l = (v * 0.01).abs();
                let y = powf(l, m1);
                let ratpoly = (c1 + c2 * y) / (1.0 + c3 * y);
                powf(ratpoly, m2).copysign(v)
            }
            PqStyle::PqToLin => {
                let x = powf(v.abs(), inv_m2);
                let d = x - c1;
                // OpenColorIO's max(0, d): NaN gives 0.
                let d = if 0.0 < d { d } else { 0.0 };
                let nits = powf(d / (c2 - c3 * x), inv_m1);
                (100.0 * nits).copysign(v)
            }
        }
    }

    #[inline(always)]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        rgb.map(|v| self.apply1(v))
    }
}

impl Prepared for PqPrepared {
    #[inline(always)]
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        PqPrepared::apply(self, rgb)
    }

    #[inline(always)]
    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        per_channel(r, g, b, |_, v| self.apply1(v));
    }

    /// Flags bits 8..15 = the style; p0 = the powers, p1 = c1, c2, c3.
    fn pack(&self, record: &mut OpRecord, _data: &mut Vec<f32>) {
        record.flags = self.style.index() << packed::STYLE_SHIFT;
        record.p[0] = self.m;
        record.p[1] = [self.c[0], self.c[1], self.c[2], 0.0];
    }

    fn unpack(record: &OpRecord, _data: &[f32]) -> Result<Self, String> {
        let style = (record.flags & packed::STYLE_MASK) >> packed::STYLE_SHIFT;
        let c = record.p[1];
        Ok(PqPrepared {
            style: PqStyle::from_index(style).ok_or("unknown PQ style")?,
            m: record.p[0],
            c: [c[0], c[1], c[2]],
        })
    }
}

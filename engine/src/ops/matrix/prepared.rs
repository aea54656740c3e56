//! The matrix op's prepared constants ([`MatrixPrepared`]): what both CPU
//! executors run per pixel and what its packed record carries.
//!
//! Record layout: flags 0; n, data: -; p: p0..p2 = rows `(m_i0, m_i1, m_i2,
//! offset_i)`; `out_i = m_i0*r + m_i1*g + m_i2*b + offset_i` summed left to
//! right

#[allow(unused_imports)]
use super::*;
use crate::grade::packed::OpRecord;
use crate::ops::Prepared;

/// Rows `(m_i0, m_i1, m_i2, offset_i)` in f32.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatrixPrepared {
    pub rows: [[f32; 4]; 3],
}

impl MatrixPrepared {
    #[inline(always)]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        let r = &self.rows;
        [
            r[0][0] * rgb[0] + r[0][1] * rgb[1] + r[0][2] * rgb[2] + r[0][3],
            r[1][0] * rgb[0] + r[1][1] * rgb[1] + r[1][2] * rgb[2] + r[1][3],
            r[2][0] * rgb[0] + r[2][1] * rgb[1] + r[2][2] * rgb[2] + r[2][3],
        ]
    }
}

impl Prepared for MatrixPrepared {
    #[inline(always)]
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        MatrixPrepared::apply(self, rgb)
    }

    #[inline(always)]
    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        let [m0, m1, m2] = self.rows;
        for i in 0..r.len().min(g.len()).min(b.len()) {
            let (x, y, z) = (r[i], g[i], b[i]);
            r[i] = m0[0] * x + m0[1] * y + m0[2] * z + m0[3];
            g[i] = m1[0] * x + m1[1] * y + m1[2] * z + m1[3];
            b[i] = m2[0] * x + m2[1] * y + m2[2] * z + m2[3];
        }
    }

    /// p0..p2 = rows `(m_i0, m_i1, m_i2, offset_i)`.
    fn pack(&self, record: &mut OpRecord, _data: &mut Vec<f32>) {
        record.p[..3].copy_from_slice(&self.rows);
    }

    fn unpack(record: &OpRecord, _data: &[f32]) -> Result<Self, String> {
        let p = &record.p;
        Ok(MatrixPrepared {
            rows: [p[0], p[1], p[2]],
        })
    }
}

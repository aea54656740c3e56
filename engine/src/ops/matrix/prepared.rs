//! The matrix op's prepared constants ([`MatrixPrepared`]): what both CPU
//! executors run per pixel and what its packed record carries.

#[allow(unused_imports)]
use super::*;

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

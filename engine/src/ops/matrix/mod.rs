//! 3x3 matrix plus offset: `out = M * in + offset` on RGB.

mod prepared;
pub use prepared::*;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Matrix {
    /// Row-major: `out.r = m[0][0]*r + m[0][1]*g + m[0][2]*b + offset[0]`.
    pub m: [[f64; 3]; 3],
    pub offset: [f64; 3],
}

impl Matrix {
    pub const IDENTITY: Matrix = Matrix {
        m: [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        offset: [0.0; 3],
    };
}

impl Matrix {
    /// A diagonal scale plus offset.
    pub fn scale_offset(scale: [f64; 3], offset: [f64; 3]) -> Matrix {
        Matrix {
            m: [
                [scale[0], 0.0, 0.0],
                [0.0, scale[1], 0.0],
                [0.0, 0.0, scale[2]],
            ],
            offset,
        }
    }

    pub fn validate(&self) -> Result<(), String> {
        for row in &self.m {
            crate::ops::check_finite("matrix coefficients", row)?;
        }
        crate::ops::check_finite("matrix offset", &self.offset)
    }

    pub fn is_identity(&self) -> bool {
        *self == Matrix::IDENTITY
    }

    /// `self` applied after `first`, composed in f64.
    pub fn after(&self, first: &Matrix) -> Matrix {
        let a = &self.m;
        let b = &first.m;
        let mut m = [[0.0f64; 3]; 3];
        let mut offset = [0.0f64; 3];
        for i in 0..3 {
            for j in 0..3 {
                m[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
            }
            offset[i] = a[i][0] * first.offset[0]
                + a[i][1] * first.offset[1]
                + a[i][2] * first.offset[2]
                + self.offset[i];
        }
        Matrix { m, offset }
    }

    /// The inverse matrix, or an error when it is singular.
    pub fn inverse(&self) -> Result<Matrix, String> {
        let m = &self.m;
        let c00 = m[1][1] * m[2][2] - m[1][2] * m[2][1];
        let c01 = m[1][2] * m[2][0] - m[1][0] * m[2][2];
        let c02 = m[1][0] * m[2][1] - m[1][1] * m[2][0];
        let det = m[0][0] * c00 + m[0][1] * c01 + m[0][2] * c02;
        let scale = m
            .iter()
            .flatten()
            .fold(0.0f64, |a, &v| a.max(v.abs()))
            .max(f64::MIN_POSITIVE);
        if !det.is_finite() || det.abs() <= 1e-12 * scale * scale * scale {
            return Err("matrix is singular and cannot be inverted".into());
        }
        let inv_det = 1.0 / det;
        let inv = [
            [
                c00 * inv_det,
                (m[0][2] * m[2][1] - m[0][1] * m[2][2]) * inv_det,
                (m[0][1] * m[1][2] - m[0][2] * m[1][1]) * inv_det,
            ],
            [
                c01 * inv_det,
                (m[0][0] * m[2][2] - m[0][2] * m[2][0]) * inv_det,
                (m[0][2] * m[1][0] - m[0][0] * m[1][2]) * inv_det,
            ],
            [
                c02 * inv_det,
                (m[0][1] * m[2][0] - m[0][0] * m[2][1]) * inv_det,
                (m[0][0] * m[1][1] - m[0][1] * m[1][0]) * inv_det,
            ],
        ];
        let mut offset = [0.0f64; 3];
        for (i, o) in offset.iter_mut().enumerate() {
            *o = -(inv[i][0] * self.offset[0]
                + inv[i][1] * self.offset[1]
                + inv[i][2] * self.offset[2]);
        }
        Ok(Matrix { m: inv, offset })
    }

    pub fn prepare(&self) -> MatrixPrepared {
        let mut rows = [[0.0f32; 4]; 3];
        for (i, row) in rows.iter_mut().enumerate() {
            *row = [
                self.m[i][0] as f32,
                self.m[i][1] as f32,
                self.m[i][2] as f32,
                self.offset[i] as f32,
            ];
        }
        MatrixPrepared { rows }
    }

    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.prepare().apply(rgb)
    }
}

impl crate::ops::OpData for Matrix {
    type Prepared = MatrixPrepared;

    fn validate(&self) -> Result<(), String> {
        Matrix::validate(self)
    }

    fn is_identity(&self) -> bool {
        Matrix::is_identity(self)
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        use crate::ops::Op;
        use crate::Error;
        Ok(vec![Op::Matrix(self.inverse().map_err(Error::Usage)?)])
    }

    fn prepare(&self) -> MatrixPrepared {
        Matrix::prepare(self)
    }
}

#[cfg(test)]
mod tests;

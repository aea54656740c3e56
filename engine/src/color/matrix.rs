//! 3x3 matrix plus offset: `out = M * in + offset` on RGB.

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

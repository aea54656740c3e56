//! 3D LUT: an N x N x N lattice (N <= 129) interpolated tetrahedrally
//! (default, as OpenColorIO's INTERP_BEST and ffmpeg) or trilinearly.
//! Inputs outside the domain clamp to the domain.

mod prepared;
pub use prepared::*;

use crate::ops::Direction;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Interpolation {
    #[default]
    Tetrahedral,
    Trilinear,
}

/// Largest lattice edge accepted from any file.
pub const MAX_LUT3D_SIZE: usize = 129;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Lut3d {
    pub size: usize,
    /// `size^3` entries, red varying fastest (as in .cube):
    /// `data[r + size*(g + size*b)]`.
    pub data: Vec<[f32; 3]>,
    pub domain_min: [f32; 3],
    pub domain_max: [f32; 3],
    pub interpolation: Interpolation,
    pub direction: Direction,
}

impl Lut3d {
    pub fn validate(&self) -> Result<(), String> {
        let n = self.size;
        if !(2..=MAX_LUT3D_SIZE).contains(&n) {
            return Err(format!("3D LUT size {n} is outside 2..={MAX_LUT3D_SIZE}"));
        }
        if self.data.len() != n * n * n {
            return Err(format!(
                "3D LUT of size {n} needs {} entries, has {}",
                n * n * n,
                self.data.len()
            ));
        }
        for c in 0..3 {
            let (a, b) = (self.domain_min[c], self.domain_max[c]);
            if !(a.is_finite() && b.is_finite() && b > a) {
                return Err(format!("3D LUT domain max {b} must exceed min {a}"));
            }
        }
        if self.data.iter().flatten().any(|v| !v.is_finite()) {
            return Err("3D LUT holds a NaN or infinite value".into());
        }
        if self.direction == Direction::Inverse {
            return Err("the inverse of a 3D LUT is not supported".into());
        }
        Ok(())
    }

    /// Always `false`: even an identity lattice clamps inputs to its domain.
    pub fn is_identity(&self) -> bool {
        false
    }

    pub fn prepare(&self) -> Lut3dPrepared {
        let n = self.size;
        let mut scale = [0.0f32; 3];
        for (c, s) in scale.iter_mut().enumerate() {
            *s =
                ((n as f64 - 1.0) / (self.domain_max[c] as f64 - self.domain_min[c] as f64)) as f32;
        }
        Lut3dPrepared {
            size: n,
            data: self.data.clone(),
            domain_min: self.domain_min,
            scale,
            trilinear: self.interpolation == Interpolation::Trilinear,
        }
    }

    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.prepare().apply(rgb)
    }
}

impl crate::ops::OpData for Lut3d {
    type Prepared = Lut3dPrepared;

    fn validate(&self) -> Result<(), String> {
        Lut3d::validate(self)
    }

    fn is_identity(&self) -> bool {
        Lut3d::is_identity(self)
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        use crate::Error;
        Err(Error::Unsupported {
            path: None,
            what: "inverting a 3D LUT".into(),
        })
    }

    fn prepare(&self) -> Lut3dPrepared {
        Lut3d::prepare(self)
    }
}

#[cfg(test)]
mod tests;

//! 3D LUT: an N x N x N lattice (N <= 129) interpolated tetrahedrally
//! (default, as OpenColorIO's INTERP_BEST and ffmpeg) or trilinearly.
//! Inputs outside the domain clamp to the domain. The inverse is
//! OpenColorIO's exact inverse of the tetrahedral interpolation
//! ([`inverse`]).

pub mod inverse;
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
        Ok(())
    }

    /// Always `false`: even an identity lattice clamps inputs to its domain.
    pub fn is_identity(&self) -> bool {
        false
    }

    pub fn inverse(&self) -> Lut3d {
        Lut3d {
            direction: self.direction.flip(),
            ..self.clone()
        }
    }

    /// Forward: `scale` is lattice index per unit of input. Inverse:
    /// units of output per lattice index, and the extrapolated lattice
    /// with its range tree (the inverse interpolates tetrahedrally
    /// whatever `interpolation` says, as OpenColorIO's does).
    pub fn prepare(&self) -> Lut3dPrepared {
        let n = self.size;
        let inverse = self.direction == Direction::Inverse;
        let mut scale = [0.0f32; 3];
        for (c, s) in scale.iter_mut().enumerate() {
            let (steps, width) = (
                n as f64 - 1.0,
                self.domain_max[c] as f64 - self.domain_min[c] as f64,
            );
            *s = if inverse { width / steps } else { steps / width } as f32;
        }
        Lut3dPrepared {
            size: n,
            data: if inverse {
                Vec::new()
            } else {
                self.data.clone()
            },
            domain_min: self.domain_min,
            scale,
            trilinear: self.interpolation == Interpolation::Trilinear,
            inverse: inverse.then(|| inverse::InverseLattice::new(n, &self.data)),
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
        Ok(vec![crate::ops::Op::Lut3d(self.inverse())])
    }

    fn prepare(&self) -> Lut3dPrepared {
        Lut3d::prepare(self)
    }
}

#[cfg(test)]
mod tests;

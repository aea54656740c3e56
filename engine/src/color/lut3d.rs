//! 3D LUT: an N x N x N lattice (N <= 129) interpolated tetrahedrally
//! (default, as OpenColorIO's INTERP_BEST and ffmpeg) or trilinearly.
//! Inputs outside the domain clamp to the domain.

use super::Direction;

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

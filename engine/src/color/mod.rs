//! Colour operations: the data of each op and its scalar maths.
//!
//! Each op lives in its own file with its parameters, validation, identity
//! test, inverse where one exists, and the per-pixel function the reference
//! CPU executor calls. The GPU twin of each function is in `shaders/`.
//! Every op acts on RGB and leaves alpha untouched.

pub mod cdl;
pub mod exponent;
pub mod log;
pub mod lut1d;
pub mod lut3d;
pub mod matrix;
pub mod primary;
pub mod range;

pub use cdl::{Cdl, CdlStyle};
pub use exponent::{Exponent, ExponentStyle};
pub use log::{Log, LogParams, LogStyle};
pub use lut1d::Lut1d;
pub use lut3d::{Interpolation, Lut3d, MAX_LUT3D_SIZE};
pub use matrix::Matrix;
pub use primary::Primary;
pub use range::Range;

/// Forward or inverse application of an op.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Direction {
    #[default]
    Forward,
    Inverse,
}

impl Direction {
    pub fn flip(self) -> Self {
        match self {
            Direction::Forward => Direction::Inverse,
            Direction::Inverse => Direction::Forward,
        }
    }
}

/// Rec.709 luma weights used by ASC CDL saturation (ASC CDL v1.2).
pub const REC709_LUMA: [f32; 3] = [0.2126, 0.7152, 0.0722];

//! Colour operations: the data of each op and its scalar maths.
//!
//! Each op lives in its own file with its parameters, validation, identity
//! test, inverse where one exists, and the per-pixel function the reference
//! CPU executor calls. The GPU twin of each function is in `shaders/`.
//! Every op acts on RGB and leaves alpha untouched.
//!
//! Each op prepares its per-pixel constants once, in f64 where OpenColorIO
//! does its parameter set-up, then stored as f32 (the `*Render` structs).
//! The per-pixel maths runs in f32 exactly as OpenColorIO 2.1's CPU
//! renderers do (same operation order), so results agree with OpenColorIO
//! to about 1e-5. Powers, logs and exponentials are [`mathf`]'s `powf`,
//! `log2f` and `exp2f` (glibc's algorithms, computed so that the GPU can
//! repeat them to the bit). The reference executor and the fast executor
//! share these functions.
//!
//! # NaN and infinity
//!
//! We follow what OpenColorIO does where it defines it:
//! - every clamp sends NaN to its lower bound: ASC CDL clamps give 0,
//!   Range gives its low bound (or its high bound when it only clamps high);
//! - CDL no-clamp power: NaN becomes 0 (as OpenColorIO's SSE and scalar paths);
//! - LUT indices: NaN indexes entry 0 (1D, 3D); a half-domain 1D LUT looks NaN
//!   up by its bit pattern with fraction 0; +-Inf clamps to the domain ends
//!   (and to +-65504 for half-domain LUTs);
//! - basic exponent clamps NaN to 0 before the power; mirror, pass-through,
//!   moncurve, matrix, log and primary propagate NaN;
//! - log styles clamp their argument to the smallest normal f32 first, so 0,
//!   negatives and NaN give a large negative finite value.

pub mod cdl;
pub mod exponent;
pub(crate) mod fastmath;
pub mod log;
pub mod lut1d;
pub mod lut3d;
pub mod mathf;
pub mod matrix;
pub mod primary;
pub mod range;

pub use cdl::{Cdl, CdlStyle};
pub use exponent::{Exponent, ExponentStyle};
pub use log::{Log, LogParams, LogStyle};
pub use lut1d::Lut1d;
pub use lut3d::{Interpolation, Lut3d, MAX_LUT3D_SIZE};
pub use matrix::Matrix;
pub use primary::{Primary, PrimaryInverse};
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

/// Clamp with OpenColorIO's NaN rule: NaN becomes `lo`.
#[inline(always)]
pub(crate) fn clamp_nan_lo(x: f32, lo: f32, hi: f32) -> f32 {
    x.max(lo).min(hi)
}

/// ASC CDL saturation with Rec.709 weights, in OpenColorIO's operation order.
#[inline(always)]
pub(crate) fn saturate(v: [f32; 3], sat: f32) -> [f32; 3] {
    let luma = v[0] * REC709_LUMA[0] + v[1] * REC709_LUMA[1] + v[2] * REC709_LUMA[2];
    [
        luma + sat * (v[0] - luma),
        luma + sat * (v[1] - luma),
        luma + sat * (v[2] - luma),
    ]
}

/// Validation message for a parameter that must be finite.
pub(crate) fn check_finite(what: &str, values: &[f64]) -> Result<(), String> {
    if values.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        Err(format!("{what} must be finite numbers, got {values:?}"))
    }
}

//! ASC CDL (v1.2): slope, offset, power per channel, then saturation.
//!
//! Forward, `CdlStyle::Asc` (OpenColorIO `CDL_ASC`, the v1.2 spec):
//! `v = clamp01(in*slope + offset)`, `v = v^power`,
//! `v = luma + sat*(v - luma)` with Rec.709 weights, `clamp01(v)`.
//! `CdlStyle::NoClamp` (OpenColorIO `CDL_NO_CLAMP`): no clamps, and values
//! <= 0 pass through the power unchanged.

use super::Direction;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum CdlStyle {
    /// ASC CDL v1.2 with clamping to [0,1] (OCIO `CDL_ASC`).
    #[default]
    Asc,
    /// No clamping; negatives pass through the power (OCIO `CDL_NO_CLAMP`).
    NoClamp,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Cdl {
    /// The ColorCorrection id, when it came from a file.
    pub id: Option<String>,
    pub slope: [f64; 3],
    pub offset: [f64; 3],
    pub power: [f64; 3],
    pub saturation: f64,
    pub style: CdlStyle,
    pub direction: Direction,
}

impl Default for Cdl {
    fn default() -> Self {
        Cdl {
            id: None,
            slope: [1.0; 3],
            offset: [0.0; 3],
            power: [1.0; 3],
            saturation: 1.0,
            style: CdlStyle::Asc,
            direction: Direction::Forward,
        }
    }
}

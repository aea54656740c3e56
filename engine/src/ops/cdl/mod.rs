//! ASC CDL (v1.2): slope, offset, power per channel, then saturation.
//!
//! Forward, `CdlStyle::Asc` (OpenColorIO `CDL_ASC`, the v1.2 spec):
//! `v = clamp01(in*slope + offset)`, `v = v^power`,
//! `v = luma + sat*(v - luma)` with Rec.709 weights, `clamp01(v)`.
//! `CdlStyle::NoClamp` (OpenColorIO `CDL_NO_CLAMP`): no clamps, and values
//! <= 0 pass through the power unchanged.

mod prepared;
pub use prepared::*;

use crate::ops::Direction;

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

/// OpenColorIO's guard for reciprocals in the reverse CDL (`RcpMinValue`).
const RCP_MIN: f32 = 1e-2;

fn reciprocal(x: f32) -> f32 {
    1.0 / x.max(RCP_MIN)
}

impl Cdl {
    /// Checks the parameters: finite numbers, and (as the ASC spec asks)
    /// slope >= 0, power > 0, saturation >= 0.
    pub fn validate(&self) -> Result<(), String> {
        crate::ops::check_finite("CDL slope", &self.slope)?;
        crate::ops::check_finite("CDL offset", &self.offset)?;
        crate::ops::check_finite("CDL power", &self.power)?;
        crate::ops::check_finite("CDL saturation", &[self.saturation])?;
        if self.slope.iter().any(|&s| s < 0.0) {
            return Err(format!("CDL slope must be >= 0, got {:?}", self.slope));
        }
        if self.power.iter().any(|&p| p <= 0.0) {
            return Err(format!("CDL power must be > 0, got {:?}", self.power));
        }
        if self.saturation < 0.0 {
            return Err(format!(
                "CDL saturation must be >= 0, got {}",
                self.saturation
            ));
        }
        Ok(())
    }

    /// True when slope 1, offset 0, power 1, saturation 1 and no clamp
    /// (an ASC-style CDL still clamps to [0,1], so it is never an identity).
    pub fn is_identity(&self) -> bool {
        self.style == CdlStyle::NoClamp && self.is_neutral()
    }

    /// Slope 1, offset 0, power 1, saturation 1, whatever the style.
    pub fn is_neutral(&self) -> bool {
        self.slope == [1.0; 3]
            && self.offset == [0.0; 3]
            && self.power == [1.0; 3]
            && self.saturation == 1.0
    }

    /// The same CDL applied the other way.
    pub fn inverse(&self) -> Cdl {
        Cdl {
            direction: self.direction.flip(),
            ..self.clone()
        }
    }

    /// The per-pixel constants, prepared as OpenColorIO's `RenderParams`.
    pub fn prepare(&self) -> CdlPrepared {
        let f = |v: [f64; 3]| [v[0] as f32, v[1] as f32, v[2] as f32];
        let reverse = self.direction == Direction::Inverse;
        let (slope, offset, power, saturation) = if reverse {
            let s = f(self.slope);
            let o = f(self.offset);
            let p = f(self.power);
            (
                s.map(reciprocal),
                o.map(|v| -v),
                p.map(reciprocal),
                reciprocal(self.saturation as f32),
            )
        } else {
            (
                f(self.slope),
                f(self.offset),
                f(self.power),
                self.saturation as f32,
            )
        };
        CdlPrepared {
            slope,
            offset,
            power,
            saturation,
            clamp: self.style == CdlStyle::Asc,
            reverse,
        }
    }

    /// Applies the CDL to one pixel (see [`CdlPrepared::apply`]).
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.prepare().apply(rgb)
    }
}

impl crate::ops::OpData for Cdl {
    type Prepared = CdlPrepared;

    fn validate(&self) -> Result<(), String> {
        Cdl::validate(self)
    }

    fn is_identity(&self) -> bool {
        Cdl::is_identity(self)
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        use crate::ops::Op;
        
        Ok(vec![Op::Cdl(self.inverse())])
    }

    fn prepare(&self) -> CdlPrepared {
        Cdl::prepare(self)
    }
}

#[cfg(test)]
mod tests;

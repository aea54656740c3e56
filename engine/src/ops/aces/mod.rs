//! The ACES 1.x fixed functions of OpenColorIO's `FixedFunctionTransform`,
//! ported from OpenColorIO 2.6's CPU renderers
//! (`ops/fixedfunction/FixedFunctionOpCPU.cpp`) with the same constants
//! and the same f32 operation order:
//!
//! - **RedMod03 / RedMod10**: the red modifier of the ACES 0.3/0.7 and 1.0
//!   RRTs. A quadratic B-spline hue weight around red (window 120 or 135
//!   degrees) times a saturation weight scales red towards a 0.03 pivot;
//!   RedMod03 also restores the hue by moving the middle channel. The
//!   inverse solves the quadratic (OpenColorIO's formula).
//! - **Glow03 / Glow10**: the RRT's glow, a gain on dark saturated
//!   colours from the "YC" luma-chroma measure and a sigmoid of
//!   saturation (gain 0.075 / 0.05 at mid 0.1 / 0.08).
//! - **DarkToDim10**: the ACES 1.0 ODTs' surround correction, `rgb *
//!   Y^(gamma - 1)` with Y the AP1 luminance and gamma 0.9811 (inverse
//!   1.0192640913260627), as OpenColorIO fixes them.
//! - **GamutComp13**: the ACES 1.3 reference gamut compression, with
//!   OpenColorIO's seven parameters (limits and thresholds for cyan,
//!   magenta and yellow, then the power).
//!
//! Hue angles use [`mathf::atan2f`](crate::ops::mathf::atan2f) and powers
//! [`mathf::powf`](crate::ops::mathf::powf), so the GPU repeats them to the
//! bit. `max` and `min` are C++'s `std::max`/`std::min` (`a < b ? b : a`),
//! as OpenColorIO evaluates them, NaN included.

mod prepared;
pub use prepared::*;

use crate::ops::Direction;

/// The styles, in record order, are in `ops/list.rs`.
pub use crate::ops::AcesStyle;

/// One ACES 1.x fixed function.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Aces {
    pub style: AcesStyle,
    pub direction: Direction,
    /// OpenColorIO's parameters: none, except for GamutComp13 (limit
    /// cyan, magenta, yellow; threshold cyan, magenta, yellow; power).
    pub params: Vec<f64>,
}

impl AcesStyle {
    /// OpenColorIO's name of the style (`FixedFunctionStyleToString`).
    pub fn ocio_name(self) -> &'static str {
        match self {
            AcesStyle::RedMod03 => "ACES_RedMod03",
            AcesStyle::RedMod10 => "ACES_RedMod10",
            AcesStyle::Glow03 => "ACES_Glow03",
            AcesStyle::Glow10 => "ACES_Glow10",
            AcesStyle::DarkToDim10 => "ACES_DarkToDim10",
            AcesStyle::GamutComp13 => "ACES_GamutComp13",
        }
    }

    /// The style of OpenColorIO's name, case-insensitively.
    pub fn from_ocio_name(name: &str) -> Option<AcesStyle> {
        AcesStyle::ALL
            .into_iter()
            .find(|s| s.ocio_name().eq_ignore_ascii_case(name))
    }

    /// How many parameters OpenColorIO takes.
    pub fn param_count(self) -> usize {
        match self {
            AcesStyle::GamutComp13 => 7,
            _ => 0,
        }
    }
}

impl Aces {
    /// An op without parameters (every style but GamutComp13).
    pub fn new(style: AcesStyle, direction: Direction) -> Aces {
        Aces {
            style,
            direction,
            params: Vec::new(),
        }
    }

    /// The ACES 1.3 reference gamut compression with the parameters the
    /// ACES 1.3 configs use (`ACES-LMT - ACES 1.3 Reference Gamut
    /// Compression`).
    pub fn gamut_comp13_reference(direction: Direction) -> Aces {
        Aces {
            style: AcesStyle::GamutComp13,
            direction,
            params: vec![1.147, 1.264, 1.312, 0.815, 0.803, 0.88, 1.2],
        }
    }
}

impl crate::ops::OpData for Aces {
    type Prepared = AcesPrepared;

    /// The parameter count of the style; GamutComp13's parameters within
    /// OpenColorIO's bounds (limits [1.001, 65504], thresholds [0, 0.9995],
    /// power [1, 65504]).
    fn validate(&self) -> Result<(), String> {
        let want = self.style.param_count();
        if self.params.len() != want {
            return Err(format!(
                "{} takes {want} parameters, got {}",
                self.style.ocio_name(),
                self.params.len()
            ));
        }
        crate::ops::check_finite("ACES parameters", &self.params)?;
        if self.style == AcesStyle::GamutComp13 {
            const NAMES: [&str; 7] = [
                "lim_cyan",
                "lim_magenta",
                "lim_yellow",
                "thr_cyan",
                "thr_magenta",
                "thr_yellow",
                "power",
            ];
            for (i, &v) in self.params.iter().enumerate() {
                let (lo, hi) = match i {
                    0..=2 => (1.001, 65504.0),
                    3..=5 => (0.0, 0.9995),
                    _ => (1.0, 65504.0),
                };
                if !(lo..=hi).contains(&v) {
                    return Err(format!(
                        "ACES_GamutComp13: {} {v} is outside [{lo}, {hi}]",
                        NAMES[i]
                    ));
                }
            }
        }
        Ok(())
    }

    fn is_identity(&self) -> bool {
        false
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        Ok(vec![crate::ops::Op::Aces(Aces {
            direction: self.direction.flip(),
            ..self.clone()
        })])
    }

    fn prepare(&self) -> AcesPrepared {
        AcesPrepared::new(self)
    }
}

/// One op of every style and direction, for the parity tests
/// (`grade::samples::every_op`).
pub fn samples() -> Vec<crate::ops::Op> {
    let mut ops = Vec::new();
    for style in AcesStyle::ALL {
        for direction in [Direction::Forward, Direction::Inverse] {
            let op = if style == AcesStyle::GamutComp13 {
                Aces::gamut_comp13_reference(direction)
            } else {
                Aces::new(style, direction)
            };
            ops.push(crate::ops::Op::Aces(op));
        }
    }
    ops
}

#[cfg(test)]
mod tests;

//! Surround compensation as OpenColorIO's `FixedFunctionTransform`
//! `REC2100_Surround` does it: RGB scaled by `Y^(gamma - 1)`, `Y` the
//! Rec.2100 luminance (its absolute value, at least 1e-4 so dark colours
//! are not gained up without bound), as the HLG system gamma or a
//! dark-to-dim change of viewing surround. The inverse uses `1/gamma`
//! (with the floor raised to the power `gamma`). OpenColorIO 2.6's maths;
//! 2.1's weights and floor differed, and grade follows 2.6.

mod prepared;
pub use prepared::*;

use crate::ops::mathf::powf;

/// The styles, in record order, are in `ops/list.rs`.
pub use crate::ops::SurroundStyle;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Surround {
    pub style: SurroundStyle,
    /// The system gamma of the forward direction.
    pub gamma: f64,
}

impl SurroundStyle {
    pub fn inverse(self) -> SurroundStyle {
        match self {
            SurroundStyle::Rec2100Fwd => SurroundStyle::Rec2100Inv,
            SurroundStyle::Rec2100Inv => SurroundStyle::Rec2100Fwd,
        }
    }
}

impl Surround {
    pub fn inverse(&self) -> Surround {
        Surround {
            style: self.style.inverse(),
            gamma: self.gamma,
        }
    }

    /// The floor and the exponent as OpenColorIO's renderer sets them up.
    pub fn prepare(&self) -> SurroundPrepared {
        let gamma = self.gamma as f32;
        let (min_lum, gamma) = match self.style {
            SurroundStyle::Rec2100Fwd => (1e-4f32, gamma),
            SurroundStyle::Rec2100Inv => (powf(1e-4, gamma), 1.0 / gamma),
        };
        SurroundPrepared {
            style: self.style,
            min_lum,
            exponent: gamma - 1.0,
        }
    }

    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.prepare().apply(rgb)
    }
}

impl crate::ops::OpData for Surround {
    type Prepared = SurroundPrepared;

    /// OpenColorIO's bounds: gamma in [0.01, 100].
    fn validate(&self) -> Result<(), String> {
        if (0.01..=100.0).contains(&self.gamma) {
            Ok(())
        } else {
            Err(format!(
                "surround gamma must be in [0.01, 100], got {}",
                self.gamma
            ))
        }
    }

    fn is_identity(&self) -> bool {
        false
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        Ok(vec![crate::ops::Op::Surround(self.inverse())])
    }

    fn prepare(&self) -> SurroundPrepared {
        Surround::prepare(self)
    }
}

/// Both directions, for `grade::samples::every_op`.
#[doc(hidden)]
pub fn samples() -> Vec<crate::ops::Op> {
    SurroundStyle::ALL
        .into_iter()
        .map(|style| crate::ops::Op::Surround(Surround { style, gamma: 0.78 }))
        .collect()
}

#[cfg(test)]
mod tests;

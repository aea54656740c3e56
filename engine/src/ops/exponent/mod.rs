//! Exponent (power) curves as CLF defines them: basic, mirrored, pass-through
//! and the monitor curve (moncurve) forms, forward and reverse.

mod prepared;
pub use prepared::*;

use crate::ops::mathf::powf;

/// The styles, in record order, are in `ops/list.rs`.
pub use crate::ops::ExponentStyle;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Exponent {
    pub style: ExponentStyle,
    /// Per channel R, G, B.
    pub exponent: [f64; 3],
    /// moncurve offset per channel; 0 for basic styles.
    pub offset: [f64; 3],
}

impl ExponentStyle {
    pub fn inverse(self) -> ExponentStyle {
        use ExponentStyle::*;
        match self {
            BasicFwd => BasicRev,
            BasicRev => BasicFwd,
            BasicMirrorFwd => BasicMirrorRev,
            BasicMirrorRev => BasicMirrorFwd,
            BasicPassThruFwd => BasicPassThruRev,
            BasicPassThruRev => BasicPassThruFwd,
            MonCurveFwd => MonCurveRev,
            MonCurveRev => MonCurveFwd,
            MonCurveMirrorFwd => MonCurveMirrorRev,
            MonCurveMirrorRev => MonCurveMirrorFwd,
        }
    }

    fn is_reverse(self) -> bool {
        use ExponentStyle::*;
        matches!(
            self,
            BasicRev | BasicMirrorRev | BasicPassThruRev | MonCurveRev | MonCurveMirrorRev
        )
    }

    fn is_moncurve(self) -> bool {
        use ExponentStyle::*;
        matches!(
            self,
            MonCurveFwd | MonCurveRev | MonCurveMirrorFwd | MonCurveMirrorRev
        )
    }
}

/// OpenColorIO's nudge that keeps the moncurve maths away from 0/0.
const MONCURVE_EPS: f64 = 1e-6;

impl Exponent {
    /// Exponents within CLF's [0.01, 100] (moncurve: [1, 10]), offsets in
    /// [0, 0.9] for moncurve styles.
    pub fn validate(&self) -> Result<(), String> {
        crate::ops::check_finite("exponent", &self.exponent)?;
        crate::ops::check_finite("exponent offset", &self.offset)?;
        if self.style.is_moncurve() {
            if self.exponent.iter().any(|&g| !(1.0..=10.0).contains(&g)) {
                return Err(format!(
                    "moncurve exponent must be in [1, 10], got {:?}",
                    self.exponent
                ));
            }
            if self.offset.iter().any(|&o| !(0.0..=0.9).contains(&o)) {
                return Err(format!(
                    "moncurve offset must be in [0, 0.9], got {:?}",
                    self.offset
                ));
            }
        } else if self.exponent.iter().any(|&g| !(0.01..=100.0).contains(&g)) {
            return Err(format!(
                "exponent must be in [0.01, 100], got {:?}",
                self.exponent
            ));
        }
        Ok(())
    }

    /// Only the pass-through and mirror basic styles with exponent 1 are
    /// identities (basic clamps negatives; moncurve bends even at gamma 1).
    pub fn is_identity(&self) -> bool {
        use ExponentStyle::*;
        matches!(
            self.style,
            BasicMirrorFwd | BasicMirrorRev | BasicPassThruFwd | BasicPassThruRev
        ) && self.exponent == [1.0; 3]
    }

    pub fn inverse(&self) -> Exponent {
        Exponent {
            style: self.style.inverse(),
            ..self.clone()
        }
    }

    /// Per-channel constants as OpenColorIO's renderers prepare them.
    pub fn prepare(&self) -> ExponentPrepared {
        let mut r = ExponentPrepared {
            style: self.style,
            gamma: [1.0; 3],
            offset: [0.0; 3],
            break_point: [0.0; 3],
            slope: [0.0; 3],
            scale: [0.0; 3],
        };
        let reverse = self.style.is_reverse();
        for c in 0..3 {
            let g = self.exponent[c];
            if !self.style.is_moncurve() {
                r.gamma[c] = if reverse { (1.0 / g) as f32 } else { g as f32 };
                continue;
            }
            let gamma = g.max(1.0 + MONCURVE_EPS);
            let offset = self.offset[c].max(MONCURVE_EPS);
            if reverse {
                r.gamma[c] = (1.0 / gamma) as f32;
                r.offset[c] = offset as f32;
                r.break_point[c] =
                    ((offset * gamma) / ((gamma - 1.0) * (1.0 + offset))).powf(gamma) as f32;
                r.slope[c] = (((gamma - 1.0) / offset).powf(gamma - 1.0)
                    * ((1.0 + offset) / gamma).powf(gamma)) as f32;
                r.scale[c] = (1.0 + offset) as f32;
            } else {
                r.gamma[c] = gamma as f32;
                r.offset[c] = (offset / (1.0 + offset)) as f32;
                r.break_point[c] = (offset / (gamma - 1.0)) as f32;
                let a = (gamma - 1.0) / offset;
                let b = offset * gamma / ((gamma - 1.0) * (1.0 + offset));
                r.slope[c] = (a * b.powf(gamma)) as f32;
                r.scale[c] = (1.0 / (1.0 + offset)) as f32;
            }
        }
        r
    }

    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.prepare().apply(rgb)
    }
}

impl crate::ops::OpData for Exponent {
    type Prepared = ExponentPrepared;

    fn validate(&self) -> Result<(), String> {
        Exponent::validate(self)
    }

    fn is_identity(&self) -> bool {
        Exponent::is_identity(self)
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        use crate::ops::Op;
        
        Ok(vec![Op::Exponent(self.inverse())])
    }

    fn prepare(&self) -> ExponentPrepared {
        Exponent::prepare(self)
    }
}

#[cfg(test)]
mod tests;

//! Primary correction as a colourist sets it at the desk: exposure in stops,
//! contrast about a pivot, lift/gamma/gain (Nuke Grade node convention with
//! black point 0 and white point 1: `out = ((gain-lift)*in + lift)^(1/gamma)`),
//! offset, and saturation with Rec.709 luma weights. Applied in that order:
//!
//! ```text
//! v = in * 2^exposure
//! v = (v - pivot) * contrast + pivot
//! v = (gain - lift) * v + lift
//! v = v > 0 ? v^(1/gamma) : v        (negatives and 0 pass through unchanged)
//! v = v + offset
//! v = luma + saturation * (v - luma)  (Rec.709 weights)
//! ```
//!
//! There is no clamp anywhere: values above 1 and below 0 survive, and the
//! gamma leaves negative values (and 0) exactly as they are, since a
//! fractional power of a negative number has no real value. NaN propagates.
//!
//! Every step is one-to-one, so a primary has an exact inverse
//! ([`Primary::inverse`]) unless saturation or contrast is 0, gain equals
//! lift, or the exposure is so far from 0 that `2^exposure` leaves f64.

mod prepared;
pub use prepared::*;

use crate::ops::{Matrix, REC709_LUMA};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Primary {
    /// Stops: multiplies by `2^exposure`.
    pub exposure: [f64; 3],
    pub contrast: [f64; 3],
    /// Contrast pivot (linear value left unchanged by contrast).
    pub pivot: f64,
    pub lift: [f64; 3],
    pub gamma: [f64; 3],
    pub gain: [f64; 3],
    pub offset: [f64; 3],
    pub saturation: f64,
}

impl Default for Primary {
    fn default() -> Self {
        Primary {
            exposure: [0.0; 3],
            contrast: [1.0; 3],
            pivot: 0.18,
            lift: [0.0; 3],
            gamma: [1.0; 3],
            gain: [1.0; 3],
            offset: [0.0; 3],
            saturation: 1.0,
        }
    }
}

impl Primary {
    /// Finite values, gamma > 0.
    pub fn validate(&self) -> Result<(), String> {
        crate::ops::check_finite("exposure", &self.exposure)?;
        crate::ops::check_finite("contrast", &self.contrast)?;
        crate::ops::check_finite("pivot", &[self.pivot])?;
        crate::ops::check_finite("lift", &self.lift)?;
        crate::ops::check_finite("gamma", &self.gamma)?;
        crate::ops::check_finite("gain", &self.gain)?;
        crate::ops::check_finite("offset", &self.offset)?;
        crate::ops::check_finite("saturation", &[self.saturation])?;
        if self.gamma.iter().any(|&g| g <= 0.0) {
            return Err(format!("gamma must be > 0, got {:?}", self.gamma));
        }
        Ok(())
    }

    /// True when every control is at its neutral value.
    pub fn is_identity(&self) -> bool {
        let d = Primary::default();
        self.exposure == d.exposure
            && self.contrast == d.contrast
            && self.lift == d.lift
            && self.gamma == d.gamma
            && self.gain == d.gain
            && self.offset == d.offset
            && self.saturation == d.saturation
    }

    /// The steps that undo this primary, in the order they apply: a matrix
    /// undoing saturation and offset, a primary holding only the reciprocal
    /// gamma (absent when every gamma is 1), and a per-channel scale and
    /// offset undoing lift/gain, contrast and exposure. Composed in f64.
    /// The error names the control that cannot be inverted.
    pub fn inverse(&self) -> Result<PrimaryInverse, String> {
        self.validate()?;
        let s = self.saturation;
        if s == 0.0 {
            return Err(
                "a primary with saturation 0 cannot be inverted (every colour became grey)".into(),
            );
        }
        let mut scale = [0.0f64; 3];
        let mut offset = [0.0f64; 3];
        for c in 0..3 {
            let range = self.gain[c] - self.lift[c];
            if range == 0.0 {
                return Err(format!(
                    "a primary whose gain equals its lift ({}) cannot be inverted (every value became {})",
                    self.gain[c], self.lift[c]
                ));
            }
            let k = self.contrast[c];
            if k == 0.0 {
                return Err(
                    "a primary with contrast 0 cannot be inverted (every value became the pivot)"
                        .into(),
                );
            }
            let e = self.exposure[c].exp2();
            if !(e.is_normal() && (1.0 / e).is_normal()) {
                return Err(format!(
                    "a primary with exposure {} stops cannot be inverted (2^exposure is out of range)",
                    self.exposure[c]
                ));
            }
            // v = ((w - lift) / range - pivot) / contrast + pivot, then / 2^exposure.
            let p = self.pivot;
            scale[c] = 1.0 / (range * k * e);
            offset[c] = -self.lift[c] / (range * k * e) - p / (k * e) + p / e;
        }
        // Saturation keeps luma, so 1/s undoes it; then the offset.
        let t = 1.0 / s;
        let w = REC709_LUMA.map(f64::from);
        let mut m = [[0.0f64; 3]; 3];
        for (i, row) in m.iter_mut().enumerate() {
            for (j, v) in row.iter_mut().enumerate() {
                *v = (1.0 - t) * w[j] + if i == j { t } else { 0.0 };
            }
        }
        let first = Matrix {
            m,
            offset: self.offset.map(|o| -o),
        };
        let gamma = (self.gamma != [1.0; 3]).then(|| Primary {
            gamma: self.gamma.map(|g| 1.0 / g),
            ..Primary::default()
        });
        let last = Matrix::scale_offset(scale, offset);
        for m in [&first, &last] {
            m.validate()
                .map_err(|e| format!("the inverse of this primary is out of range: {e}"))?;
        }
        Ok(PrimaryInverse { first, gamma, last })
    }

    pub fn prepare(&self) -> PrimaryPrepared {
        let f = |v: [f64; 3]| v.map(|x| x as f32);
        PrimaryPrepared {
            exposure: self.exposure.map(|e| e.exp2() as f32),
            contrast: f(self.contrast),
            pivot: self.pivot as f32,
            lift: f(self.lift),
            gain: f(self.gain),
            inv_gamma: self.gamma.map(|g| (1.0 / g) as f32),
            offset: f(self.offset),
            saturation: self.saturation as f32,
        }
    }

    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.prepare().apply(rgb)
    }
}

/// The inverse of a [`Primary`], as three steps applied in order.
#[derive(Debug, Clone, PartialEq)]
pub struct PrimaryInverse {
    /// Undoes saturation, then offset.
    pub first: Matrix,
    /// Undoes the gamma: `v^gamma` for v > 0, others unchanged.
    pub gamma: Option<Primary>,
    /// Undoes lift/gain, then contrast, then exposure.
    pub last: Matrix,
}

impl PrimaryInverse {
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        let v = self.first.apply(rgb);
        let v = match &self.gamma {
            Some(g) => g.apply(v),
            None => v,
        };
        self.last.apply(v)
    }
}

impl crate::ops::OpData for Primary {
    type Prepared = PrimaryPrepared;

    fn validate(&self) -> Result<(), String> {
        Primary::validate(self)
    }

    fn is_identity(&self) -> bool {
        Primary::is_identity(self)
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        use crate::ops::Op;
        use crate::Error;
        let inv = self.inverse().map_err(Error::Usage)?;
        let mut ops = vec![Op::Matrix(inv.first)];
        ops.extend(inv.gamma.map(Op::Primary));
        ops.push(Op::Matrix(inv.last));
        Ok(ops)
    }

    fn prepare(&self) -> PrimaryPrepared {
        Primary::prepare(self)
    }
}

#[cfg(test)]
mod tests;

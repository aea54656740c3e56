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

use super::{Matrix, REC709_LUMA};

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
        super::check_finite("exposure", &self.exposure)?;
        super::check_finite("contrast", &self.contrast)?;
        super::check_finite("pivot", &[self.pivot])?;
        super::check_finite("lift", &self.lift)?;
        super::check_finite("gamma", &self.gamma)?;
        super::check_finite("gain", &self.gain)?;
        super::check_finite("offset", &self.offset)?;
        super::check_finite("saturation", &[self.saturation])?;
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

    pub fn render(&self) -> PrimaryRender {
        let f = |v: [f64; 3]| v.map(|x| x as f32);
        PrimaryRender {
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
        self.render().apply(rgb)
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

/// Prepared primary: `exposure` is already `2^exposure`, `inv_gamma` is
/// `1/gamma`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrimaryRender {
    pub exposure: [f32; 3],
    pub contrast: [f32; 3],
    pub pivot: f32,
    pub lift: [f32; 3],
    pub gain: [f32; 3],
    pub inv_gamma: [f32; 3],
    pub offset: [f32; 3],
    pub saturation: f32,
}

impl PrimaryRender {
    #[inline(always)]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        let mut v = [0.0f32; 3];
        for c in 0..3 {
            let mut x = rgb[c] * self.exposure[c];
            x = (x - self.pivot) * self.contrast[c] + self.pivot;
            x = (self.gain[c] - self.lift[c]) * x + self.lift[c];
            if x > 0.0 {
                x = super::mathf::powf(x, self.inv_gamma[c]);
            }
            v[c] = x + self.offset[c];
        }
        super::saturate(v, self.saturation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_documented_order() {
        let p = Primary {
            exposure: [1.0; 3],
            contrast: [1.5; 3],
            pivot: 0.18,
            lift: [0.05; 3],
            gamma: [2.0; 3],
            gain: [1.1; 3],
            offset: [0.01; 3],
            saturation: 1.0,
        };
        p.validate().unwrap();
        // The documented formula in f64; 1e-6 covers the f32 evaluation.
        let want = |x: f64| {
            let v = x * 2.0;
            let v = (v - 0.18) * 1.5 + 0.18;
            let v = (1.1 - 0.05) * v + 0.05;
            let v = if v > 0.0 { v.powf(0.5) } else { v };
            v + 0.01
        };
        for &x in &[-0.5f32, 0.0, 0.1, 0.18, 0.5, 1.0, 3.0] {
            let got = p.apply([x; 3]);
            assert!(
                (got[0] as f64 - want(x as f64)).abs() < 1e-6,
                "{x}: {got:?}"
            );
        }
        assert!(Primary::default().is_identity());
        assert!(!p.is_identity());
    }

    fn colourist_primary() -> Primary {
        Primary {
            exposure: [0.5, -0.3, 0.2],
            contrast: [1.2, 0.9, 1.1],
            pivot: 0.18,
            lift: [0.02, -0.01, 0.03],
            gamma: [1.1, 0.9, 1.25],
            gain: [1.1, 0.95, 1.05],
            offset: [0.01, -0.02, 0.005],
            saturation: 0.8,
        }
    }

    #[test]
    fn inverse_undoes_the_forward_on_the_dense_inputs() {
        for p in [
            colourist_primary(),
            Primary::default(),
            Primary {
                saturation: 1.6,
                contrast: [-1.0; 3],
                ..colourist_primary()
            },
        ] {
            let inv = p.inverse().unwrap();
            let mut worst = 0.0f32;
            for px in crate::grade::dense::dense_inputs() {
                let x = [px[0], px[1], px[2]];
                let back = inv.apply(p.apply(x));
                for c in 0..3 {
                    worst = worst.max((back[c] - x[c]).abs() / x[c].abs().max(1.0));
                }
            }
            println!("{p:?}: worst |inverse(forward(x)) - x| = {worst:e}");
            // 1e-5 absolute (relative above 1): each step rounds to f32,
            // and the inverse gamma and saturation amplify those errors
            // by at most their slopes (about 2 here).
            assert!(worst < 1e-5, "{worst:e}");
        }
    }

    #[test]
    fn non_invertible_controls_are_named() {
        for (p, word) in [
            (
                Primary {
                    saturation: 0.0,
                    ..Primary::default()
                },
                "saturation 0",
            ),
            (
                Primary {
                    gain: [1.0, 0.0, 1.0],
                    lift: [0.0, 0.0, 0.0],
                    ..Primary::default()
                },
                "gain equals its lift",
            ),
            (
                Primary {
                    contrast: [1.0, 1.0, 0.0],
                    ..Primary::default()
                },
                "contrast 0",
            ),
            (
                Primary {
                    exposure: [2000.0, 0.0, 0.0],
                    ..Primary::default()
                },
                "exposure 2000",
            ),
        ] {
            let e = p.inverse().unwrap_err();
            assert!(e.contains(word), "{e}");
        }
    }

    #[test]
    fn negatives_pass_through_the_gamma() {
        let p = Primary {
            gamma: [2.2; 3],
            ..Primary::default()
        };
        assert_eq!(p.apply([-0.25, 0.0, 1.0]), [-0.25, 0.0, 1.0]);
    }
}

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
                x = x.powf(self.inv_gamma[c]);
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

    #[test]
    fn negatives_pass_through_the_gamma() {
        let p = Primary {
            gamma: [2.2; 3],
            ..Primary::default()
        };
        assert_eq!(p.apply([-0.25, 0.0, 1.0]), [-0.25, 0.0, 1.0]);
    }
}

//! Exponent (power) curves as CLF defines them: basic, mirrored, pass-through
//! and the monitor curve (moncurve) forms, forward and reverse.

use super::mathf::powf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ExponentStyle {
    BasicFwd,
    BasicRev,
    BasicMirrorFwd,
    BasicMirrorRev,
    BasicPassThruFwd,
    BasicPassThruRev,
    MonCurveFwd,
    MonCurveRev,
    MonCurveMirrorFwd,
    MonCurveMirrorRev,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Exponent {
    pub style: ExponentStyle,
    /// Per channel R, G, B.
    pub exponent: [f64; 3],
    /// moncurve offset per channel; 0 for basic styles.
    pub offset: [f64; 3],
}

impl ExponentStyle {
    /// Declaration order, as packed in `OpRecord` flags.
    pub const ALL: [ExponentStyle; 10] = [
        ExponentStyle::BasicFwd,
        ExponentStyle::BasicRev,
        ExponentStyle::BasicMirrorFwd,
        ExponentStyle::BasicMirrorRev,
        ExponentStyle::BasicPassThruFwd,
        ExponentStyle::BasicPassThruRev,
        ExponentStyle::MonCurveFwd,
        ExponentStyle::MonCurveRev,
        ExponentStyle::MonCurveMirrorFwd,
        ExponentStyle::MonCurveMirrorRev,
    ];

    pub fn index(self) -> u32 {
        Self::ALL.iter().position(|&s| s == self).unwrap_or(0) as u32
    }

    pub fn from_index(i: u32) -> Option<ExponentStyle> {
        Self::ALL.get(i as usize).copied()
    }

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
        super::check_finite("exponent", &self.exponent)?;
        super::check_finite("exponent offset", &self.offset)?;
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
    pub fn render(&self) -> ExponentRender {
        let mut r = ExponentRender {
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
        self.render().apply(rgb)
    }
}

/// Prepared exponent: `gamma` is the power actually used (1/exponent for
/// reverse styles); moncurve styles also use offset, break point, slope of
/// the linear segment and scale (OpenColorIO `ComputeParamsFwd/Rev`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExponentRender {
    pub style: ExponentStyle,
    pub gamma: [f32; 3],
    pub offset: [f32; 3],
    pub break_point: [f32; 3],
    pub slope: [f32; 3],
    pub scale: [f32; 3],
}

impl ExponentRender {
    #[inline(always)]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        let mut out = [0.0f32; 3];
        for (c, o) in out.iter_mut().enumerate() {
            *o = self.apply1(c, rgb[c]);
        }
        out
    }

    #[inline(always)]
    pub fn apply1(&self, c: usize, x: f32) -> f32 {
        use ExponentStyle::*;
        let g = self.gamma[c];
        match self.style {
            BasicFwd | BasicRev => powf(x.max(0.0), g),
            BasicMirrorFwd | BasicMirrorRev => 1.0f32.copysign(x) * powf(x.abs(), g),
            BasicPassThruFwd | BasicPassThruRev => {
                if x > 0.0 {
                    powf(x, g)
                } else {
                    x
                }
            }
            MonCurveFwd => self.moncurve_fwd(c, x),
            MonCurveRev => self.moncurve_rev(c, x),
            MonCurveMirrorFwd => 1.0f32.copysign(x) * self.moncurve_fwd(c, x.abs()),
            MonCurveMirrorRev => 1.0f32.copysign(x) * self.moncurve_rev(c, x.abs()),
        }
    }

    #[inline(always)]
    fn moncurve_fwd(&self, c: usize, x: f32) -> f32 {
        if x <= self.break_point[c] {
            x * self.slope[c]
        } else {
            powf(x * self.scale[c] + self.offset[c], self.gamma[c])
        }
    }

    #[inline(always)]
    fn moncurve_rev(&self, c: usize, x: f32) -> f32 {
        if x <= self.break_point[c] {
            x * self.slope[c]
        } else {
            powf(x, self.gamma[c]) * self.scale[c] - self.offset[c]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srgb_moncurve_matches_the_srgb_formula() {
        // sRGB is moncurve gamma 2.4, offset 0.055: IEC 61966-2-1 decoding
        // written out in f64; 2e-6 covers f32 evaluation.
        let e = Exponent {
            style: ExponentStyle::MonCurveFwd,
            exponent: [2.4; 3],
            offset: [0.055; 3],
        };
        for i in 0..=100 {
            let v = i as f64 / 100.0;
            let want = if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            };
            let got = e.apply([v as f32; 3])[0] as f64;
            assert!((got - want).abs() < 2e-6, "{v}: {got} vs {want}");
            let back = e.inverse().apply([got as f32; 3])[0] as f64;
            assert!((back - v).abs() < 2e-6, "{v}: back {back}");
        }
    }

    #[test]
    fn basic_styles_handle_negatives_as_clf_says() {
        let mk = |style| Exponent {
            style,
            exponent: [2.0; 3],
            offset: [0.0; 3],
        };
        assert_eq!(mk(ExponentStyle::BasicFwd).apply([-0.5; 3])[0], 0.0);
        assert_eq!(mk(ExponentStyle::BasicMirrorFwd).apply([-0.5; 3])[0], -0.25);
        assert_eq!(
            mk(ExponentStyle::BasicPassThruFwd).apply([-0.5; 3])[0],
            -0.5
        );
        assert_eq!(mk(ExponentStyle::BasicRev).apply([0.25; 3])[0], 0.5);
        for s in ExponentStyle::ALL {
            assert_eq!(ExponentStyle::from_index(s.index()), Some(s));
        }
    }
}

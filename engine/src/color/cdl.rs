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

/// OpenColorIO's guard for reciprocals in the reverse CDL (`RcpMinValue`).
const RCP_MIN: f32 = 1e-2;

fn reciprocal(x: f32) -> f32 {
    1.0 / x.max(RCP_MIN)
}

impl Cdl {
    /// Checks the parameters: finite numbers, and (as the ASC spec asks)
    /// slope >= 0, power > 0, saturation >= 0.
    pub fn validate(&self) -> Result<(), String> {
        super::check_finite("CDL slope", &self.slope)?;
        super::check_finite("CDL offset", &self.offset)?;
        super::check_finite("CDL power", &self.power)?;
        super::check_finite("CDL saturation", &[self.saturation])?;
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
    pub fn render(&self) -> CdlRender {
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
        CdlRender {
            slope,
            offset,
            power,
            saturation,
            clamp: self.style == CdlStyle::Asc,
            reverse,
        }
    }

    /// Applies the CDL to one pixel (see [`CdlRender::apply`]).
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.render().apply(rgb)
    }
}

/// A CDL's per-pixel constants. For the reverse direction they are already
/// the reverse values (reciprocal slope, power and saturation, each limited
/// to at most 1/0.01, and negated offset), as OpenColorIO prepares them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CdlRender {
    pub slope: [f32; 3],
    pub offset: [f32; 3],
    pub power: [f32; 3],
    pub saturation: f32,
    pub clamp: bool,
    pub reverse: bool,
}

/// Power of the clamping style: clamp to [0,1] (NaN -> 0), then the power.
#[inline(always)]
pub(crate) fn power_clamped(v: f32, p: f32) -> f32 {
    super::mathf::powf(super::clamp_nan_lo(v, 0.0, 1.0), p)
}

/// Power of the no-clamp style: NaN -> 0, negatives pass through unchanged.
#[inline(always)]
pub(crate) fn power_no_clamp(v: f32, p: f32) -> f32 {
    if v.is_nan() {
        0.0
    } else if v < 0.0 {
        v
    } else {
        super::mathf::powf(v, p)
    }
}

impl CdlRender {
    /// Forward: `v = in*slope + offset`, power, saturation (Rec.709 luma),
    /// with the ASC style clamping to [0,1] before the power and at the end.
    /// Reverse (OpenColorIO's order): clamp, saturation, power, offset,
    /// slope, clamp.
    #[inline(always)]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        match (self.reverse, self.clamp) {
            (false, true) => self.forward::<true>(rgb),
            (false, false) => self.forward::<false>(rgb),
            (true, true) => self.reverse::<true>(rgb),
            (true, false) => self.reverse::<false>(rgb),
        }
    }

    #[inline(always)]
    pub(crate) fn forward<const CLAMP: bool>(&self, rgb: [f32; 3]) -> [f32; 3] {
        let mut v = [0.0f32; 3];
        for c in 0..3 {
            let x = rgb[c] * self.slope[c] + self.offset[c];
            v[c] = if CLAMP {
                power_clamped(x, self.power[c])
            } else {
                power_no_clamp(x, self.power[c])
            };
        }
        let v = super::saturate(v, self.saturation);
        if CLAMP {
            v.map(|x| super::clamp_nan_lo(x, 0.0, 1.0))
        } else {
            v
        }
    }

    #[inline(always)]
    pub(crate) fn reverse<const CLAMP: bool>(&self, rgb: [f32; 3]) -> [f32; 3] {
        let v = if CLAMP {
            rgb.map(|x| super::clamp_nan_lo(x, 0.0, 1.0))
        } else {
            rgb
        };
        let v = super::saturate(v, self.saturation);
        let mut out = [0.0f32; 3];
        for c in 0..3 {
            let p = if CLAMP {
                power_clamped(v[c], self.power[c])
            } else {
                power_no_clamp(v[c], self.power[c])
            };
            let x = (p + self.offset[c]) * self.slope[c];
            out[c] = if CLAMP {
                super::clamp_nan_lo(x, 0.0, 1.0)
            } else {
                x
            };
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cdl(style: CdlStyle, direction: Direction) -> Cdl {
        Cdl {
            id: None,
            slope: [1.2, 0.9, 1.05],
            offset: [0.02, -0.01, 0.0],
            power: [1.1, 0.95, 1.3],
            saturation: 0.8,
            style,
            direction,
        }
    }

    #[test]
    fn asc_forward_matches_the_v1_2_formula() {
        // The ASC CDL v1.2 formula written out in f64; tolerance 1e-6 covers
        // the f32 evaluation.
        let c = cdl(CdlStyle::Asc, Direction::Forward);
        for &x in &[-0.2f32, 0.0, 0.18, 0.5, 0.9, 1.3] {
            let rgb = [x, x * 0.5 + 0.1, 1.0 - x];
            let mut v = [0.0f64; 3];
            for i in 0..3 {
                let t = (rgb[i] as f64 * c.slope[i] + c.offset[i]).clamp(0.0, 1.0);
                v[i] = t.powf(c.power[i]);
            }
            let luma = 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
            let got = c.apply(rgb);
            for i in 0..3 {
                let want = (luma + c.saturation * (v[i] - luma)).clamp(0.0, 1.0);
                assert!((got[i] as f64 - want).abs() < 1e-6, "{x}: {got:?}");
            }
        }
    }

    #[test]
    fn no_clamp_passes_negatives_through_the_power() {
        let mut c = cdl(CdlStyle::NoClamp, Direction::Forward);
        c.saturation = 1.0;
        c.slope = [1.0; 3];
        c.offset = [0.0; 3];
        let got = c.apply([-0.5, 2.0, 0.0]);
        assert_eq!(got[0], -0.5);
        assert!((got[1] - 2.0f32.powf(0.95)).abs() < 1e-6);
        assert_eq!(got[2], 0.0);
    }

    #[test]
    fn nan_becomes_zero_under_clamps() {
        let c = cdl(CdlStyle::Asc, Direction::Forward);
        let got = c.apply([f32::NAN, 0.5, 0.5]);
        assert!(got.iter().all(|v| v.is_finite()));
        let n = cdl(CdlStyle::NoClamp, Direction::Forward).apply([f32::NAN, 0.5, 0.5]);
        assert!(n.iter().all(|v| v.is_finite()), "{n:?}");
    }

    #[test]
    fn reverse_undoes_forward_inside_the_unit_cube() {
        // Dense grid inside [0.05, 0.95] where the forward ASC CDL does not
        // clip; 2e-5 allows for the round trip through two f32 powers.
        for style in [CdlStyle::Asc, CdlStyle::NoClamp] {
            let c = Cdl {
                saturation: 1.0,
                ..cdl(style, Direction::Forward)
            };
            let inv = c.inverse();
            let n = 10;
            for i in 0..n {
                for j in 0..n {
                    let rgb = [
                        0.05 + 0.6 * i as f32 / n as f32,
                        0.05 + 0.6 * j as f32 / n as f32,
                        0.3,
                    ];
                    let back = inv.apply(c.apply(rgb));
                    for k in 0..3 {
                        assert!((back[k] - rgb[k]).abs() < 2e-5, "{rgb:?} -> {back:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn validate_rejects_bad_values() {
        let mut c = Cdl::default();
        assert!(c.validate().is_ok());
        c.power[1] = 0.0;
        assert!(c.validate().is_err());
        c.power[1] = f64::NAN;
        assert!(c.validate().is_err());
        assert!(!Cdl::default().is_identity());
        assert!(Cdl {
            style: CdlStyle::NoClamp,
            ..Cdl::default()
        }
        .is_identity());
    }
}

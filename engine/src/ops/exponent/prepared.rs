//! The exponent op's prepared constants ([`ExponentPrepared`]): what both CPU
//! executors run per pixel and what its packed record carries.

#[allow(unused_imports)]
use super::*;

/// Prepared exponent: `gamma` is the power actually used (1/exponent for
/// reverse styles); moncurve styles also use offset, break point, slope of
/// the linear segment and scale (OpenColorIO `ComputeParamsFwd/Rev`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExponentPrepared {
    pub style: ExponentStyle,
    pub gamma: [f32; 3],
    pub offset: [f32; 3],
    pub break_point: [f32; 3],
    pub slope: [f32; 3],
    pub scale: [f32; 3],
}

impl ExponentPrepared {
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

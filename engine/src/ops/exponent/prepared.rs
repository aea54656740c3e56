//! The exponent op's prepared constants ([`ExponentPrepared`]): what both CPU
//! executors run per pixel and what its packed record carries.
//!
//! Record layout: flags bits 8..15 =
//! [`ExponentStyle`](crate::ops::ExponentStyle) index; n, data: -; p: p0 =
//! power used.rgb (1/exponent for reverse styles). Moncurve styles also: p1 =
//! offset.rgb, p2 = break.rgb, p3 = slope.rgb, p4 = scale.rgb (fwd: `x <= brk
//! ? x*slope : pow(x*scale + offset, p0)`; rev: `x <= brk ? x*slope : pow(x,
//! p0)*scale - offset`); mirror styles apply to `abs(x)` and restore the sign

#[allow(unused_imports)]
use super::*;
use crate::grade::packed::{self, OpRecord};
use crate::ops::mathf_lanes::powf_each;
use crate::ops::{rgb0, through, xyz, Prepared};

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

impl Prepared for ExponentPrepared {
    #[inline(always)]
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        ExponentPrepared::apply(self, rgb)
    }

    /// Channel by channel, the power of a chunk at a time ([`through`]),
    /// 1 standing in for the values that take no power; the same bits as
    /// [`ExponentPrepared::apply`].
    #[inline(always)]
    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        use ExponentStyle::*;
        for (c, ch) in [r, g, b].into_iter().enumerate() {
            let (brk, slope, scale, offset) = (
                self.break_point[c],
                self.slope[c],
                self.scale[c],
                self.offset[c],
            );
            let pow = |v: &mut [f32]| powf_each(v, self.gamma[c]);
            let sign = |x: f32| 1.0f32.copysign(x);
            let fwd_arg = |x: f32| if x <= brk { 1.0 } else { x * scale + offset };
            let fwd = |x: f32, t: f32| if x <= brk { x * slope } else { t };
            let rev_arg = |x: f32| if x <= brk { 1.0 } else { x };
            let rev = |x: f32, t: f32| if x <= brk { x * slope } else { t * scale - offset };
            match self.style {
                BasicFwd | BasicRev => through(ch, |x| x.max(0.0), pow, |_, t| t),
                BasicMirrorFwd | BasicMirrorRev => {
                    through(ch, |x| x.abs(), pow, |x, t| sign(x) * t)
                }
                BasicPassThruFwd | BasicPassThruRev => through(
                    ch,
                    |x| if x > 0.0 { x } else { 1.0 },
                    pow,
                    |x, t| if x > 0.0 { t } else { x },
                ),
                MonCurveFwd => through(ch, fwd_arg, pow, fwd),
                MonCurveRev => through(ch, rev_arg, pow, rev),
                MonCurveMirrorFwd => through(
                    ch,
                    |x| fwd_arg(x.abs()),
                    pow,
                    |x, t| sign(x) * fwd(x.abs(), t),
                ),
                MonCurveMirrorRev => through(
                    ch,
                    |x| rev_arg(x.abs()),
                    pow,
                    |x, t| sign(x) * rev(x.abs(), t),
                ),
            }
        }
    }

    /// Flags bits 8..15 = the style's index; p0 = power used, p1 = offset,
    /// p2 = break, p3 = slope, p4 = scale.
    fn pack(&self, record: &mut OpRecord, _data: &mut Vec<f32>) {
        record.flags = self.style.index() << packed::STYLE_SHIFT;
        record.p[0] = rgb0(self.gamma);
        record.p[1] = rgb0(self.offset);
        record.p[2] = rgb0(self.break_point);
        record.p[3] = rgb0(self.slope);
        record.p[4] = rgb0(self.scale);
    }

    fn unpack(record: &OpRecord, _data: &[f32]) -> Result<Self, String> {
        let style = (record.flags & packed::STYLE_MASK) >> packed::STYLE_SHIFT;
        let p = &record.p;
        Ok(ExponentPrepared {
            style: ExponentStyle::from_index(style).ok_or("unknown exponent style")?,
            gamma: xyz(p[0]),
            offset: xyz(p[1]),
            break_point: xyz(p[2]),
            slope: xyz(p[3]),
            scale: xyz(p[4]),
        })
    }
}

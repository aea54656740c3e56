//! The hue curve op's prepared constants ([`HueCurvePrepared`]): the
//! eight fitted curves both CPU executors evaluate and the packed record.
//!
//! Record layout: flags bits 8..15 = [`HueCurveStyle`] index; data =
//! offset of the op's table; n = its length in f32s; p0, p1 = HSY's
//! constants (`colour_model::HSY_RECORD`); p2 = (1 when RGB is converted
//! to HSY, 1 for the linear style's log shaping of luma, 2, 0.1: the log
//! style's luma offset `(gains - 2) * 0.1`); p3, p4 =
//! [`LOG_SHAPING_RECORD`]. The table
//! starts with (offset in the table, knot count, segment count) of each
//! of the eight curves, then each curve's knots and its segments' A, B
//! and C coefficients (no knots and no segments: identity).

use super::fit::{cmin, fit};
use super::*;
use crate::grade::packed::{self, OpRecord};
use crate::ops::colour_model::{hsy_to_rgb, rgb_to_hsy, HsyScale, HSY_RECORD};
use crate::ops::mathf::{lnf, powf};
use crate::ops::rgb_curve::{GAIN, M, OFFS, SHIFT, SHIFT_018, XBRK, YBRK};
use crate::ops::rgb_curve::spline::{cmax, Fitted};
use crate::ops::{per_pixel, Prepared};

/// The curves' places in `curves`.
const HUE_HUE: usize = 0;
const HUE_SAT: usize = 1;
const HUE_LUM: usize = 2;
const LUM_SAT: usize = 3;
const SAT_SAT: usize = 4;
const LUM_LUM: usize = 5;
const SAT_LUM: usize = 6;
const HUE_FX: usize = 7;

/// The log shaping's constants as the kernel reads them from the record
/// (`XBRK`, `GAIN`, `OFFS`, `SHIFT`; `M`, `YBRK`, `SHIFT + 0.18`, `BASE2`), so
/// Mesa cannot turn its division by `GAIN` into a product.
pub const LOG_SHAPING_RECORD: [[f32; 4]; 2] = [[XBRK, GAIN, OFFS, SHIFT], [M, YBRK, SHIFT_018, BASE2]];

/// Prepared hue curves.
#[derive(Debug, Clone, PartialEq)]
pub struct HueCurvePrepared {
    pub style: HueCurveStyle,
    pub rgb_to_hsy: bool,
    /// Boxed: eight tables would make every `PreparedOp` large.
    pub curves: Box<[Fitted; 8]>,
}

/// `1 / ln 2` in f32, as OpenColorIO's `LogLinConstants::base2`.
const BASE2: f32 = std::f32::consts::LOG2_E;

/// OpenColorIO's `LinLog` of the hue curves (`base2 * std::log`, not its
/// SSE polynomial): log2 stops around 0.18, a line below 0.0041318.
#[inline(always)]
fn lin_log(x: f32) -> f32 {
    if x < XBRK {
        x * GAIN + OFFS
    } else {
        BASE2 * lnf((x + SHIFT) * M)
    }
}

/// OpenColorIO's `LogLin` of the hue curves.
#[inline(always)]
fn log_lin(y: f32) -> f32 {
    if y < YBRK {
        (y - OFFS) / GAIN
    } else {
        powf(2.0, y) * SHIFT_018 - SHIFT
    }
}

impl HueCurvePrepared {
    pub fn new(op: &HueCurve) -> HueCurvePrepared {
        let fitted = |c: usize| fit(&op.curves[c], HueCurve::KINDS[c]);
        HueCurvePrepared {
            style: op.style,
            rgb_to_hsy: op.rgb_to_hsy,
            curves: Box::new([0, 1, 2, 3, 4, 5, 6, 7].map(fitted)),
        }
    }

    fn scale(&self) -> HsyScale {
        use HueCurveStyle::*;
        match self.style {
            LinFwd | LinRev => HsyScale::Lin,
            LogFwd | LogRev => HsyScale::Log,
            VideoFwd | VideoRev => HsyScale::Vid,
        }
    }

    /// The log style offsets luma by its gains; the linear and video
    /// styles multiply (what OpenColorIO 2.6 does; its 2.5 sources
    /// multiply for the linear style only).
    fn additive_lum(&self) -> bool {
        matches!(self.style, HueCurveStyle::LogFwd | HueCurveStyle::LogRev)
    }

    /// No curve has segments: OpenColorIO's local bypass, the pixel is
    /// left as it is.
    fn bypass(&self) -> bool {
        self.curves.iter().all(|c| c.knots.is_empty())
    }

    #[inline(always)]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        if self.bypass() {
            return rgb;
        }
        let scale = self.scale();
        let hsy = if self.rgb_to_hsy { rgb_to_hsy(rgb, scale) } else { rgb };
        let out = if self.style.is_forward() {
            self.forward(hsy)
        } else {
            self.reverse(hsy)
        };
        if self.rgb_to_hsy {
            hsy_to_rgb(out, scale)
        } else {
            out
        }
    }

    /// `GradingHueCurveFwdOpCPU::apply` between the HSY conversions.
    #[inline(always)]
    fn forward(&self, [mut hue, mut sat, mut lum]: [f32; 3]) -> [f32; 3] {
        let c = &self.curves;
        let lin = self.style.is_lin();
        if lin {
            lum = lin_log(lum);
        }
        let hue_sat_gain = cmax(0.0, c[HUE_SAT].eval_or(hue, 1.0));
        let mut hue_lum_gain = cmax(0.0, c[HUE_LUM].eval_or(hue, 1.0));
        hue = c[HUE_HUE].eval(hue);
        sat = cmax(0.0, c[SAT_SAT].eval(sat));
        let lum_sat_gain = cmax(0.0, c[LUM_SAT].eval_or(lum, 1.0));
        sat *= lum_sat_gain * hue_sat_gain;
        let sat_lum_gain = cmax(0.0, c[SAT_LUM].eval_or(sat, 1.0));
        lum = c[LUM_LUM].eval(lum);
        if lin {
            lum = log_lin(lum);
        }
        // Less hue-lum gain at low saturation, where hue is noise.
        hue_lum_gain = 1.0 - (1.0 - hue_lum_gain) * cmin(sat, 1.0);
        lum = if self.additive_lum() {
            lum + (hue_lum_gain + sat_lum_gain - 2.0) * 0.1
        } else {
            lum * hue_lum_gain * sat_lum_gain
        };
        hue -= hue.floor();
        hue += c[HUE_FX].eval_or(hue, 0.0);
        [hue, sat, lum]
    }

    /// `GradingHueCurveRevOpCPU::apply` between the HSY conversions.
    #[inline(always)]
    fn reverse(&self, [mut hue, mut sat, mut lum]: [f32; 3]) -> [f32; 3] {
        let c = &self.curves;
        let lin = self.style.is_lin();
        hue = c[HUE_FX].eval_rev_hue(hue, true);
        hue = c[HUE_HUE].eval_rev_hue(hue, false);
        hue -= hue.floor();
        let hue_sat_gain = cmax(0.0, c[HUE_SAT].eval_or(hue, 1.0));
        let mut hue_lum_gain = cmax(0.0, c[HUE_LUM].eval_or(hue, 1.0));
        sat = cmax(0.0, sat);
        let sat_lum_gain = cmax(0.0, c[SAT_LUM].eval_or(sat, 1.0));
        hue_lum_gain = 1.0 - (1.0 - hue_lum_gain) * cmin(sat, 1.0);
        let lum_gain = hue_lum_gain * sat_lum_gain;
        lum = if self.additive_lum() {
            lum - (hue_lum_gain + sat_lum_gain - 2.0) * 0.1
        } else {
            lum / cmax(0.01, lum_gain)
        };
        if lin {
            lum = lin_log(lum);
        }
        lum = c[LUM_LUM].eval_rev(lum);
        let lum_sat_gain = cmax(0.0, c[LUM_SAT].eval_or(lum, 1.0));
        if lin {
            lum = log_lin(lum);
        }
        sat /= cmax(0.01, lum_sat_gain * hue_sat_gain);
        sat = cmax(0.0, c[SAT_SAT].eval_rev(sat));
        [hue, sat, lum]
    }
}

impl Prepared for HueCurvePrepared {
    #[inline(always)]
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        HueCurvePrepared::apply(self, rgb)
    }

    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        per_pixel(r, g, b, |px| HueCurvePrepared::apply(self, px));
    }

    fn pack(&self, record: &mut OpRecord, data: &mut Vec<f32>) {
        record.flags = self.style.index() << packed::STYLE_SHIFT;
        let start = data.len();
        record.data = start as u32;
        let header = 3 * self.curves.len();
        data.resize(start + header, 0.0);
        for (c, f) in self.curves.iter().enumerate() {
            let offset = data.len() - start;
            data[start + 3 * c..start + 3 * c + 3]
                .copy_from_slice(&[offset as f32, f.knots.len() as f32, f.a.len() as f32]);
            f.pack_into(data);
        }
        record.n = (data.len() - start) as u32;
        record.p[0] = HSY_RECORD[0];
        record.p[1] = HSY_RECORD[1];
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        record.p[2] = [flag(self.rgb_to_hsy), flag(self.style.is_lin()), 2.0, 0.1];
        record.p[3] = LOG_SHAPING_RECORD[0];
        record.p[4] = LOG_SHAPING_RECORD[1];
    }

    fn unpack(record: &OpRecord, data: &[f32]) -> Result<Self, String> {
        let index = (record.flags & packed::STYLE_MASK) >> packed::STYLE_SHIFT;
        let style = HueCurveStyle::from_index(index).ok_or(format!("unknown style {index}"))?;
        if record.p[..2] != HSY_RECORD || record.p[3..5] != LOG_SHAPING_RECORD || record.p[2][2..] != [2.0, 0.1] {
            return Err("hue curve constants are not HSY's and the log shaping's".into());
        }
        let start = record.data as usize;
        let table = start
            .checked_add(record.n as usize)
            .and_then(|end| data.get(start..end))
            .ok_or("table outside the data array")?;
        let mut curves: Box<[Fitted; 8]> = Default::default();
        for (c, curve) in curves.iter_mut().enumerate() {
            let lay = table.get(3 * c..3 * c + 3).ok_or("curve layout outside the op's table")?;
            *curve = Fitted::unpack_from(table, [lay[0], lay[1], lay[2]], MAX_KNOTS)?;
        }
        Ok(HueCurvePrepared {
            style,
            rgb_to_hsy: record.p[2][0] != 0.0,
            curves,
        })
    }
}

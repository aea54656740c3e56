//! The RGB curve op's prepared constants ([`RgbCurvePrepared`]): the
//! fitted curves both CPU executors evaluate and the packed record.
//!
//! Record layout: flags bits 8..15 = [`RgbCurveStyle`] index, `INVERSE`;
//! data = offset of the op's table; n = its length in f32s; p0..p3 = red,
//! green, blue, master: (offset of the curve in the table, knot count,
//! segment count, -), each curve stored as its knots then the segments'
//! A, B and C coefficients (no knots and no segments: identity); p4.x = 1
//! when the log shaping applies.

#[allow(unused_imports)]
use super::*;
use super::spline::Fitted;
use crate::grade::packed::{self, OpRecord};
use crate::ops::{per_pixel, Prepared};

/// Prepared RGB curve: the four fitted curves (red, green, blue, master).
#[derive(Debug, Clone, PartialEq)]
pub struct RgbCurvePrepared {
    pub style: RgbCurveStyle,
    pub inverse: bool,
    pub lin_to_log: bool,
    /// Boxed: four tables would make every `PreparedOp` large.
    pub curves: Box<[Fitted; 4]>,
}

/// OpenColorIO's `sseLog2`: exponent plus a degree-5 polynomial of the
/// mantissa (about 15 bits). The coefficients are its doubles rounded to
/// f32, as `_mm_set1_ps((float) ...)` does.
#[inline(always)]
pub fn ocio_log2(x: f32) -> f32 {
    const P: [f32; 6] = [
        -2.800364, 5.091711, -3.550793, 1.6311488, -0.41656372, 0.044873614,
    ];
    let bits = x.to_bits();
    // The sign and mantissa bits with exponent 0: [1, 2), or (-2, -1].
    let m = f32::from_bits((bits & !0x7f80_0000) | 0x3f80_0000);
    let poly = ((((P[5] * m + P[4]) * m + P[3]) * m + P[2]) * m + P[1]) * m + P[0];
    let e = ((bits & 0x7f80_0000) >> 23) as i32 - 127;
    poly + e as f32
}

/// OpenColorIO's `sseExp2`: 2^floor(x) times a degree-4 polynomial of the
/// fraction, 0 below -126 and +inf from 128 on.
#[inline(always)]
pub fn ocio_exp2(x: f32) -> f32 {
    const P: [f32; 5] = [1.0000026, 0.69300383, 0.24144275, 0.05201146, 0.013534168];
    if x < -126.0 {
        return 0.0;
    }
    if x >= 128.0 {
        return f32::INFINITY;
    }
    // Truncation, minus 1 below 0 (NaN: any integer, the fraction is NaN).
    let floor = (x as i32).wrapping_add(if x >= 0.0 { 0 } else { -1 });
    let zf = f32::from_bits((floor.wrapping_add(127) as u32) << 23);
    let fraction = x - floor as f32;
    let m = (((P[4] * fraction + P[3]) * fraction + P[2]) * fraction + P[1]) * fraction + P[0];
    zf * m
}

/// OpenColorIO's lin-to-log shaping constants (`LogLinConstants`).
pub(crate) const XBRK: f32 = 0.0041318373;
pub(crate) const SHIFT: f32 = -0.00015784985;
/// `1 / (0.18 + SHIFT)` in f32.
pub(crate) const M: f32 = 5.5604315;
pub(crate) const GAIN: f32 = 363.0346;
/// `1 / GAIN` in f32.
const GAIN_INV: f32 = 0.0027545583;
pub(crate) const OFFS: f32 = -7.0;
pub(crate) const YBRK: f32 = -5.5;
/// `SHIFT + 0.18` in f32.
pub(crate) const SHIFT_018: f32 = 0.17984216;

/// OpenColorIO's `LinLog` (its SSE path).
#[inline(always)]
pub fn lin_log(x: f32) -> f32 {
    if x > XBRK {
        ocio_log2((x + SHIFT) * M)
    } else {
        x * GAIN + OFFS
    }
}

/// OpenColorIO's `LogLin` (its SSE path: `ssePower(2, x)` is
/// `sseExp2(x * sseLog2(2))`).
#[inline(always)]
pub fn log_lin(x: f32) -> f32 {
    if x > YBRK {
        ocio_exp2(x * ocio_log2(2.0)) * SHIFT_018 - SHIFT
    } else {
        (x - OFFS) * GAIN_INV
    }
}

impl RgbCurvePrepared {
    pub fn new(op: &RgbCurve) -> RgbCurvePrepared {
        RgbCurvePrepared {
            style: op.style,
            inverse: op.direction == Direction::Inverse,
            lin_to_log: op.lin_to_log(),
            curves: Box::new([0, 1, 2, 3].map(|c| spline::fit(&op.curves[c]))),
        }
    }

    #[inline(always)]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        let mut v = rgb;
        if self.lin_to_log {
            v = v.map(lin_log);
        }
        let master = &self.curves[3];
        for (x, curve) in v.iter_mut().zip(self.curves.iter()) {
            *x = if self.inverse {
                curve.eval_rev(master.eval_rev(*x))
            } else {
                master.eval(curve.eval(*x))
            };
        }
        if self.lin_to_log {
            v = v.map(log_lin);
        }
        v
    }
}

impl Prepared for RgbCurvePrepared {
    #[inline(always)]
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        RgbCurvePrepared::apply(self, rgb)
    }

    /// Without the log shaping the channels are independent, so each runs
    /// in its own loop (the same values as [`RgbCurvePrepared::apply`]).
    #[inline(always)]
    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        if self.lin_to_log {
            per_pixel(r, g, b, |px| RgbCurvePrepared::apply(self, px));
            return;
        }
        let master = &self.curves[3];
        for (ch, curve) in [r, g, b].into_iter().zip(self.curves.iter()) {
            if self.inverse {
                for v in ch.iter_mut() {
                    *v = curve.eval_rev(master.eval_rev(*v));
                }
            } else {
                curve.eval_each(ch);
                master.eval_each(ch);
            }
        }
    }

    fn pack(&self, record: &mut OpRecord, data: &mut Vec<f32>) {
        record.flags = self.style.index() << packed::STYLE_SHIFT;
        if self.inverse {
            record.flags |= packed::INVERSE;
        }
        let start = data.len();
        record.data = start as u32;
        for (c, f) in self.curves.iter().enumerate() {
            let offset = data.len() - start;
            f.pack_into(data);
            record.p[c] = [offset as f32, f.knots.len() as f32, f.a.len() as f32, 0.0];
        }
        record.n = (data.len() - start) as u32;
        record.p[4] = [if self.lin_to_log { 1.0 } else { 0.0 }, 0.0, 0.0, 0.0];
    }

    fn unpack(record: &OpRecord, data: &[f32]) -> Result<Self, String> {
        let index = (record.flags & packed::STYLE_MASK) >> packed::STYLE_SHIFT;
        let style = RgbCurveStyle::from_index(index).ok_or(format!("unknown style {index}"))?;
        let start = record.data as usize;
        let table = start
            .checked_add(record.n as usize)
            .and_then(|end| data.get(start..end))
            .ok_or("table outside the data array")?;
        let mut curves: Box<[Fitted; 4]> = Default::default();
        for (c, curve) in curves.iter_mut().enumerate() {
            let p = record.p[c];
            *curve = Fitted::unpack_from(table, [p[0], p[1], p[2]], MAX_KNOTS)?;
        }
        Ok(RgbCurvePrepared {
            style,
            inverse: record.flags & packed::INVERSE != 0,
            lin_to_log: record.p[4][0] != 0.0,
            curves,
        })
    }
}

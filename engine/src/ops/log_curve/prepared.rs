//! The log curve op's prepared constants ([`LogCurvePrepared`]): what both
//! CPU executors run per pixel and what its packed record carries.
//!
//! Record layout: flags bits 8..15 =
//! [`LogCurveStyle`](crate::ops::LogCurveStyle) index; n, data: -; p0..p3
//! = the sixteen constants `k` of [`LogCurvePrepared`] in order. Gamma-log:
//! mirror, break, power, slope, offset, log slope (per log2), log offset,
//! lin slope, lin offset, 1/power, the mirror and break in code values.
//! Double-log: per log segment its log slope (per log2), log offset, lin
//! slope, lin offset; the line's slope and offset; the breaks, and the
//! breaks in code values.

#[allow(unused_imports)]
use super::*;
use crate::grade::packed::{self, OpRecord};
use crate::ops::mathf::{exp2f, log2f, powf};
use crate::ops::{per_pixel, Prepared};

/// Indices into `k`, gamma-log.
const MIRROR: usize = 0;
const BREAK: usize = 1;
const POWER: usize = 2;
const SLOPE: usize = 3;
const OFFSET: usize = 4;
const LOG_SLOPE: usize = 5;
const LOG_OFFSET: usize = 6;
const LIN_SLOPE: usize = 7;
const LIN_OFFSET: usize = 8;
const INV_POWER: usize = 9;
const PRIME_MIRROR: usize = 10;
const PRIME_BREAK: usize = 11;
/// Double-log: segment 1 at 0, segment 2 at 4 (log slope, log offset,
/// lin slope, lin offset), then these.
const LINE_SLOPE: usize = 8;
const LINE_OFFSET: usize = 9;
const BREAK1: usize = 10;
const BREAK2: usize = 11;
const BREAK1_LOG: usize = 12;
const BREAK2_LOG: usize = 13;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogCurvePrepared {
    pub style: LogCurveStyle,
    pub k: [f32; 16],
}

/// `log_slope * log2(lin_slope * x + lin_offset) + log_offset` of the
/// segment at `k[s..s + 4]`.
#[inline(always)]
fn log_seg(k: &[f32; 16], s: usize, x: f32) -> f32 {
    k[s] * log2f(k[s + 2] * x + k[s + 3]) + k[s + 1]
}

/// Its inverse: `(2^((y - log_offset) / log_slope) - lin_offset) /
/// lin_slope`.
#[inline(always)]
fn log_seg_rev(k: &[f32; 16], s: usize, y: f32) -> f32 {
    (exp2f((y - k[s + 1]) / k[s]) - k[s + 3]) / k[s + 2]
}

impl LogCurve {
    /// The constants, in f32 as OpenColorIO's renderers keep them, with
    /// the log slopes per log2 (`slope / log2(base)`, in f64).
    pub fn prepare(&self) -> LogCurvePrepared {
        let p = &self.params;
        let get = |i: usize| p.get(i).copied().unwrap_or(1.0);
        let mut k = [0.0f32; 16];
        if self.style.is_gamma_log() {
            let base = get(5);
            for (i, v) in [get(0), get(1), get(2), get(3), get(4)].into_iter().enumerate() {
                k[i] = v as f32;
            }
            k[LOG_SLOPE] = (get(6) / base.log2()) as f32;
            k[LOG_OFFSET] = get(7) as f32;
            k[LIN_SLOPE] = get(8) as f32;
            k[LIN_OFFSET] = get(9) as f32;
            k[INV_POWER] = 1.0 / k[POWER];
            k[PRIME_MIRROR] = k[SLOPE] * powf(k[MIRROR] + k[OFFSET], k[POWER]);
            k[PRIME_BREAK] = k[SLOPE] * powf(k[BREAK] + k[OFFSET], k[POWER]);
        } else {
            let log2_base = get(0).log2();
            for s in [0, 4] {
                let q = 3 + s;
                k[s] = (get(q) / log2_base) as f32;
                k[s + 1] = get(q + 1) as f32;
                k[s + 2] = get(q + 2) as f32;
                k[s + 3] = get(q + 3) as f32;
            }
            k[LINE_SLOPE] = get(11) as f32;
            k[LINE_OFFSET] = get(12) as f32;
            k[BREAK1] = get(1) as f32;
            k[BREAK2] = get(2) as f32;
            k[BREAK1_LOG] = log_seg(&k, 0, k[BREAK1]);
            k[BREAK2_LOG] = log_seg(&k, 4, k[BREAK2]);
        }
        LogCurvePrepared {
            style: self.style,
            k,
        }
    }
}

impl LogCurvePrepared {
    #[inline(always)]
    fn channel(&self, x: f32) -> f32 {
        let k = &self.k;
        match self.style {
            LogCurveStyle::LinToGammaLog => {
                let mirrored = x - k[MIRROR];
                let e = mirrored.abs() + k[MIRROR];
                let y = if e < k[BREAK] {
                    k[SLOPE] * powf(e + k[OFFSET], k[POWER])
                } else {
                    k[LOG_SLOPE] * log2f(k[LIN_SLOPE] * e + k[LIN_OFFSET]) + k[LOG_OFFSET]
                };
                y * 1f32.copysign(mirrored)
            }
            LogCurveStyle::GammaLogToLin => {
                let mirrored = x - k[PRIME_MIRROR];
                let e = mirrored.abs() + k[PRIME_MIRROR];
                let y = if e < k[PRIME_BREAK] {
                    powf(e / k[SLOPE], k[INV_POWER]) - k[OFFSET]
                } else {
                    (exp2f((e - k[LOG_OFFSET]) / k[LOG_SLOPE]) - k[LIN_OFFSET]) / k[LIN_SLOPE]
                };
                y * 1f32.copysign(mirrored)
            }
            LogCurveStyle::LinToDoubleLog => {
                if x <= k[BREAK1] {
                    log_seg(k, 0, x)
                } else if x < k[BREAK2] {
                    k[LINE_SLOPE] * x + k[LINE_OFFSET]
                } else {
                    log_seg(k, 4, x)
                }
            }
            LogCurveStyle::DoubleLogToLin => {
                if x <= k[BREAK1_LOG] {
                    log_seg_rev(k, 0, x)
                } else if x < k[BREAK2_LOG] {
                    (x - k[LINE_OFFSET]) / k[LINE_SLOPE]
                } else {
                    log_seg_rev(k, 4, x)
                }
            }
        }
    }

    #[inline(always)]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        rgb.map(|x| self.channel(x))
    }
}

impl Prepared for LogCurvePrepared {
    #[inline(always)]
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        LogCurvePrepared::apply(self, rgb)
    }

    #[inline(always)]
    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        per_pixel(r, g, b, |px| LogCurvePrepared::apply(self, px));
    }

    /// The layout in the module docs.
    fn pack(&self, record: &mut OpRecord, _data: &mut Vec<f32>) {
        record.flags = self.style.index() << packed::STYLE_SHIFT;
        for (row, k) in record.p.iter_mut().zip(self.k.chunks_exact(4)) {
            row.copy_from_slice(k);
        }
    }

    fn unpack(record: &OpRecord, _data: &[f32]) -> Result<Self, String> {
        let style = (record.flags & packed::STYLE_MASK) >> packed::STYLE_SHIFT;
        let mut k = [0.0f32; 16];
        for (k, row) in k.chunks_exact_mut(4).zip(record.p.iter()) {
            k.copy_from_slice(row);
        }
        Ok(LogCurvePrepared {
            style: LogCurveStyle::from_index(style).ok_or("unknown log curve style")?,
            k,
        })
    }
}

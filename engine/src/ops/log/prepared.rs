//! The log op's prepared constants ([`LogPrepared`]): what both CPU
//! executors run per pixel and what its packed record carries.
//!
//! Record layout: flags bits 8..15 = [`LogStyle`](crate::ops::LogStyle) index
//! in declaration order; n, data: -; p: p0..p6 = the seven per-channel rows
//! `k0..k6` of [`LogPrepared`](crate::ops::log::LogPrepared): log10/log2:
//! `log2(max(x, FLT_MIN)) * k0`; antiLog: `exp2(x * k0)`; linToLog:
//! `log2(max(x*k0 + k1, FLT_MIN)) * k2 + k3`; cameraLinToLog:
//! `x < k4 ? k5*x + k6 : linToLog`; logToLin:
//! `(exp2((x + k0) * k1) + k2) * k3`; cameraLogToLin:
//! `x < k4 ? k5*(x + k6) : logToLin`.

#[allow(unused_imports)]
use super::*;
use crate::grade::packed::{self, OpRecord};
use crate::ops::mathf_lanes::{exp2f_each, log2f_each};
use crate::ops::{rgb0, through, xyz, Prepared};

/// Prepared log constants, seven rows of per-channel values whose meaning
/// depends on the style (documented in `grade::packed`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogPrepared {
    pub style: LogStyle,
    pub k: [[f32; 3]; 7],
}

impl LogPrepared {
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
        use LogStyle::*;
        let k = &self.k;
        match self.style {
            Log10 | Log2 => log2f(x.max(f32::MIN_POSITIVE)) * k[0][c],
            AntiLog10 | AntiLog2 => exp2f(x * k[0][c]),
            LinToLog => lin_to_log(k, c, x),
            CameraLinToLog => {
                if x < k[4][c] {
                    k[5][c] * x + k[6][c]
                } else {
                    lin_to_log(k, c, x)
                }
            }
            LogToLin => log_to_lin(k, c, x),
            CameraLogToLin => {
                if x < k[4][c] {
                    k[5][c] * (x + k[6][c])
                } else {
                    log_to_lin(k, c, x)
                }
            }
        }
    }
}

#[inline(always)]
fn lin_to_log(k: &[[f32; 3]; 7], c: usize, x: f32) -> f32 {
    let v = (x * k[0][c] + k[1][c]).max(f32::MIN_POSITIVE);
    log2f(v) * k[2][c] + k[3][c]
}

#[inline(always)]
fn log_to_lin(k: &[[f32; 3]; 7], c: usize, x: f32) -> f32 {
    let v = exp2f((x + k[0][c]) * k[1][c]);
    (v + k[2][c]) * k[3][c]
}

impl Prepared for LogPrepared {
    #[inline(always)]
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        LogPrepared::apply(self, rgb)
    }

    /// Channel by channel, the log or exponential of a chunk at a time
    /// ([`through`]); the same bits as [`LogPrepared::apply`].
    #[inline(always)]
    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        use LogStyle::*;
        let k = &self.k;
        for (c, ch) in [r, g, b].into_iter().enumerate() {
            let k = |row: usize| k[row][c];
            let lin_to_log = |x: f32| (x * k(0) + k(1)).max(f32::MIN_POSITIVE);
            let log_to_lin = |x: f32| (x + k(0)) * k(1);
            match self.style {
                Log10 | Log2 => through(
                    ch,
                    |x| x.max(f32::MIN_POSITIVE),
                    log2f_each,
                    |_, t| t * k(0),
                ),
                AntiLog10 | AntiLog2 => through(ch, |x| x * k(0), exp2f_each, |_, t| t),
                LinToLog => through(ch, lin_to_log, log2f_each, |_, t| t * k(2) + k(3)),
                CameraLinToLog => through(ch, lin_to_log, log2f_each, |x, t| {
                    if x < k(4) {
                        k(5) * x + k(6)
                    } else {
                        t * k(2) + k(3)
                    }
                }),
                LogToLin => through(ch, log_to_lin, exp2f_each, |_, t| (t + k(2)) * k(3)),
                CameraLogToLin => through(ch, log_to_lin, exp2f_each, |x, t| {
                    if x < k(4) {
                        k(5) * (x + k(6))
                    } else {
                        (t + k(2)) * k(3)
                    }
                }),
            }
        }
    }

    /// Flags bits 8..15 = the style's index; p0..p6 = the rows `k0..k6`.
    fn pack(&self, record: &mut OpRecord, _data: &mut Vec<f32>) {
        record.flags = self.style.index() << packed::STYLE_SHIFT;
        for (i, k) in self.k.iter().enumerate() {
            record.p[i] = rgb0(*k);
        }
    }

    fn unpack(record: &OpRecord, _data: &[f32]) -> Result<Self, String> {
        let style = (record.flags & packed::STYLE_MASK) >> packed::STYLE_SHIFT;
        Ok(LogPrepared {
            style: LogStyle::from_index(style).ok_or("unknown log style")?,
            k: std::array::from_fn(|i| xyz(record.p[i])),
        })
    }
}

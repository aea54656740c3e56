//! The log op's prepared constants ([`LogPrepared`]): what both CPU
//! executors run per pixel and what its packed record carries.

#[allow(unused_imports)]
use super::*;

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

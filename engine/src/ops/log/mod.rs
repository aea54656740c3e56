//! Logarithmic curves as CLF v3 / SMPTE ST 2136-1 define the Log element:
//! `log10`, `log2`, `antiLog10`, `antiLog2`, `linToLog`, `logToLin`,
//! `cameraLinToLog`, `cameraLogToLin`, with per-channel LogParams.

mod prepared;
pub use prepared::*;

use crate::ops::mathf::{exp2f, log2f};

/// The styles, in record order, are in `ops/list.rs`.
pub use crate::ops::LogStyle;

/// CLF LogParams for one channel. Defaults are the CLF defaults.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LogParams {
    pub base: f64,
    pub log_side_slope: f64,
    pub log_side_offset: f64,
    pub lin_side_slope: f64,
    pub lin_side_offset: f64,
    /// Camera styles only: the break point below which the curve is linear.
    pub lin_side_break: Option<f64>,
    /// Camera styles only: slope of the linear segment; derived when absent.
    pub linear_slope: Option<f64>,
}

impl Default for LogParams {
    fn default() -> Self {
        LogParams {
            base: 2.0,
            log_side_slope: 1.0,
            log_side_offset: 0.0,
            lin_side_slope: 1.0,
            lin_side_offset: 0.0,
            lin_side_break: None,
            linear_slope: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Log {
    pub style: LogStyle,
    /// Per channel R, G, B.
    pub params: [LogParams; 3],
}

impl LogStyle {
    pub fn inverse(self) -> LogStyle {
        use LogStyle::*;
        match self {
            Log10 => AntiLog10,
            AntiLog10 => Log10,
            Log2 => AntiLog2,
            AntiLog2 => Log2,
            LinToLog => LogToLin,
            LogToLin => LinToLog,
            CameraLinToLog => CameraLogToLin,
            CameraLogToLin => CameraLinToLog,
        }
    }

    fn is_camera(self) -> bool {
        matches!(self, LogStyle::CameraLinToLog | LogStyle::CameraLogToLin)
    }
}

/// log2(10) and log10(2) as OpenColorIO writes them (f32).
const LOG2_10: f32 = std::f64::consts::LOG2_10 as f32;
const LOG10_2: f32 = std::f64::consts::LOG10_2 as f32;

impl Log {
    /// One base for all channels (CLF has one), base > 0 and != 1, non-zero
    /// slopes; camera styles need `lin_side_break`.
    pub fn validate(&self) -> Result<(), String> {
        let base = self.params[0].base;
        for p in &self.params {
            crate::ops::check_finite(
                "Log parameters",
                &[
                    p.base,
                    p.log_side_slope,
                    p.log_side_offset,
                    p.lin_side_slope,
                    p.lin_side_offset,
                    p.lin_side_break.unwrap_or(0.0),
                    p.linear_slope.unwrap_or(0.0),
                ],
            )?;
            if p.base != base {
                return Err("Log base must be the same for all channels".into());
            }
            if p.log_side_slope == 0.0 || p.lin_side_slope == 0.0 {
                return Err("Log logSideSlope and linSideSlope must not be 0".into());
            }
            if self.style.is_camera() && p.lin_side_break.is_none() {
                return Err("camera Log styles need linSideBreak".into());
            }
            if let Some(s) = p.linear_slope {
                if s == 0.0 {
                    return Err("Log linearSlope must not be 0".into());
                }
            }
        }
        if base <= 0.0 || base == 1.0 {
            return Err(format!("Log base must be > 0 and not 1, got {base}"));
        }
        Ok(())
    }

    /// A log curve is never an identity.
    pub fn is_identity(&self) -> bool {
        false
    }

    pub fn inverse(&self) -> Log {
        Log {
            style: self.style.inverse(),
            ..self.clone()
        }
    }

    /// Constants as OpenColorIO's log renderers prepare them.
    pub fn prepare(&self) -> LogPrepared {
        use LogStyle::*;
        let mut r = LogPrepared {
            style: self.style,
            k: [[0.0; 3]; 7],
        };
        let base = self.params[0].base as f32;
        let log2_base = base.log2();
        let ch = |c: usize| &self.params[c];
        match self.style {
            Log10 => r.k[0] = [LOG10_2; 3],
            Log2 => r.k[0] = [1.0; 3],
            AntiLog10 => r.k[0] = [LOG2_10; 3],
            AntiLog2 => r.k[0] = [1.0; 3],
            LinToLog | CameraLinToLog => {
                for c in 0..3 {
                    let p = ch(c);
                    r.k[0][c] = p.lin_side_slope as f32;
                    r.k[1][c] = p.lin_side_offset as f32;
                    r.k[2][c] = (p.log_side_slope / (log2_base as f64)) as f32;
                    r.k[3][c] = p.log_side_offset as f32;
                    if self.style == CameraLinToLog {
                        let (brk, slope, offset, _) = camera_break(p, base);
                        r.k[4][c] = brk;
                        r.k[5][c] = slope;
                        r.k[6][c] = offset;
                    }
                }
            }
            LogToLin | CameraLogToLin => {
                for c in 0..3 {
                    let p = ch(c);
                    r.k[0][c] = -(p.log_side_offset as f32);
                    r.k[1][c] = log2_base / p.log_side_slope as f32;
                    r.k[2][c] = -(p.lin_side_offset as f32);
                    r.k[3][c] = 1.0 / p.lin_side_slope as f32;
                    if self.style == CameraLogToLin {
                        let (_, slope, offset, log_break) = camera_break(p, base);
                        r.k[4][c] = log_break;
                        r.k[5][c] = 1.0 / slope;
                        r.k[6][c] = -offset;
                    }
                }
            }
        }
        r
    }

    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.prepare().apply(rgb)
    }
}

/// (lin side break, linear slope, linear offset, log side break) of a camera
/// log curve, as OpenColorIO's `LogUtil` computes them.
fn camera_break(p: &LogParams, base: f32) -> (f32, f32, f32, f32) {
    let lin_break = p.lin_side_break.unwrap_or(0.0);
    let slope = match p.linear_slope {
        Some(s) => s as f32,
        None => {
            (p.log_side_slope * p.lin_side_slope
                / ((p.lin_side_slope * lin_break + p.lin_side_offset) * (base as f64).ln()))
                as f32
        }
    };
    let mut log_break = ((p.lin_side_slope * lin_break + p.lin_side_offset) as f32).log2();
    log_break *= p.log_side_slope as f32 / base.log2();
    log_break += p.log_side_offset as f32;
    let offset = log_break - slope * lin_break as f32;
    (lin_break as f32, slope, offset, log_break)
}

impl crate::ops::OpData for Log {
    type Prepared = LogPrepared;

    fn validate(&self) -> Result<(), String> {
        Log::validate(self)
    }

    fn is_identity(&self) -> bool {
        Log::is_identity(self)
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        use crate::ops::Op;
        
        Ok(vec![Op::Log(self.inverse())])
    }

    fn prepare(&self) -> LogPrepared {
        Log::prepare(self)
    }
}

#[cfg(test)]
mod tests;

//! Logarithmic curves as CLF v3 / SMPTE ST 2136-1 define the Log element:
//! `log10`, `log2`, `antiLog10`, `antiLog2`, `linToLog`, `logToLin`,
//! `cameraLinToLog`, `cameraLogToLin`, with per-channel LogParams.

use super::mathf::{exp2f, log2f};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum LogStyle {
    Log10,
    Log2,
    AntiLog10,
    AntiLog2,
    LinToLog,
    LogToLin,
    CameraLinToLog,
    CameraLogToLin,
}

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
    /// Declaration order, as packed in `OpRecord` flags.
    pub const ALL: [LogStyle; 8] = [
        LogStyle::Log10,
        LogStyle::Log2,
        LogStyle::AntiLog10,
        LogStyle::AntiLog2,
        LogStyle::LinToLog,
        LogStyle::LogToLin,
        LogStyle::CameraLinToLog,
        LogStyle::CameraLogToLin,
    ];

    pub fn index(self) -> u32 {
        Self::ALL.iter().position(|&s| s == self).unwrap_or(0) as u32
    }

    pub fn from_index(i: u32) -> Option<LogStyle> {
        Self::ALL.get(i as usize).copied()
    }

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
            super::check_finite(
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
    pub fn render(&self) -> LogRender {
        use LogStyle::*;
        let mut r = LogRender {
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
        self.render().apply(rgb)
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

/// Prepared log constants, seven rows of per-channel values whose meaning
/// depends on the style (documented in `grade::packed`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogRender {
    pub style: LogStyle,
    pub k: [[f32; 3]; 7],
}

impl LogRender {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn cineon_like(style: LogStyle) -> Log {
        let p = LogParams {
            base: 10.0,
            log_side_slope: 0.2,
            log_side_offset: 0.6,
            lin_side_slope: 1.0,
            lin_side_offset: 0.01,
            lin_side_break: Some(0.02),
            linear_slope: None,
        };
        Log {
            style,
            params: [p; 3],
        }
    }

    #[test]
    fn lin_to_log_matches_the_clf_formula_and_inverts() {
        // CLF v3 linToLog written out in f64; 2e-6 covers f32 log2.
        let l = cineon_like(LogStyle::LinToLog);
        for i in 0..=60 {
            let x = i as f64 / 20.0;
            let want = 0.2 * (x + 0.01).log10() + 0.6;
            let got = l.apply([x as f32; 3])[0] as f64;
            assert!((got - want).abs() < 2e-6, "{x}: {got} {want}");
            let back = l.inverse().apply([got as f32; 3])[0] as f64;
            assert!((back - x).abs() < 1e-5 * x.max(1.0), "{x}: {back}");
        }
    }

    #[test]
    fn camera_log_is_continuous_at_the_break_and_inverts() {
        let l = cineon_like(LogStyle::CameraLinToLog);
        l.validate().unwrap();
        let below = l.apply([0.02 - 1e-6; 3])[0];
        let above = l.apply([0.02; 3])[0];
        assert!((below - above).abs() < 1e-5, "{below} {above}");
        for &x in &[-0.1f32, 0.0, 0.01, 0.02, 0.18, 1.0, 4.0] {
            let y = l.apply([x; 3]);
            let back = l.inverse().apply(y)[0];
            assert!((back - x).abs() < 1e-5 * x.abs().max(1.0), "{x}: {back}");
        }
    }

    #[test]
    fn log10_and_antilog10() {
        let l = Log {
            style: LogStyle::Log10,
            params: [LogParams::default(); 3],
        };
        assert!((l.apply([100.0; 3])[0] - 2.0).abs() < 1e-6);
        assert!(l.apply([0.0; 3])[0] < -30.0);
        assert!((l.inverse().apply([2.0; 3])[0] - 100.0).abs() < 1e-4);
        for s in LogStyle::ALL {
            assert_eq!(LogStyle::from_index(s.index()), Some(s));
        }
    }
}

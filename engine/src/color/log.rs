//! Logarithmic curves as CLF v3 / SMPTE ST 2136-1 define the Log element:
//! `log10`, `log2`, `antiLog10`, `antiLog2`, `linToLog`, `logToLin`,
//! `cameraLinToLog`, `cameraLogToLin`, with per-channel LogParams.

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

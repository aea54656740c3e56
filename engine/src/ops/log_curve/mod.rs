//! Camera curves of two kinds, as OpenColorIO 2.5's
//! `FixedFunctionTransform` styles `LIN_TO_GAMMA_LOG` and
//! `LIN_TO_DOUBLE_LOG` make them, each with its inverse:
//!
//! ```text
//! gamma-log:  E = |x - mirror| + mirror
//!             y = slope * (E + offset)^power                  E < break
//!                 log_slope * log_base(lin_slope * E + lin_offset) + log_offset
//!             times the sign of x - mirror (HLG's OETF is one)
//! double-log: y = log segment 1                               x <= break 1
//!                 lin_slope * x + lin_offset                  x < break 2
//!                 log segment 2 (Canon Log 2 and 3 are such)
//! ```
//!
//! The parameters are OpenColorIO's, in its order (10 for gamma-log, 13
//! for double-log). Its renderers take the natural log and exponential of
//! the C library in f32; grade takes `log2f`/`exp2f` ([`crate::ops::mathf`],
//! repeated to the bit by the GPU) with the base folded into the log slope,
//! within a few f32 ulps of them.

mod prepared;
pub use prepared::*;

/// The styles, in record order, are in `ops/list.rs`.
pub use crate::ops::LogCurveStyle;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LogCurve {
    pub style: LogCurveStyle,
    /// OpenColorIO's parameters, in its order.
    pub params: Vec<f64>,
}

impl LogCurveStyle {
    pub fn inverse(self) -> LogCurveStyle {
        use LogCurveStyle::*;
        match self {
            LinToGammaLog => GammaLogToLin,
            GammaLogToLin => LinToGammaLog,
            LinToDoubleLog => DoubleLogToLin,
            DoubleLogToLin => LinToDoubleLog,
        }
    }

    pub fn is_gamma_log(self) -> bool {
        matches!(self, LogCurveStyle::LinToGammaLog | LogCurveStyle::GammaLogToLin)
    }

    /// How many parameters the style takes.
    pub fn param_count(self) -> usize {
        if self.is_gamma_log() {
            10
        } else {
            13
        }
    }

    /// OpenColorIO's name of the forward style (`FixedFunctionStyleToString`)
    /// and whether this style is its inverse.
    pub fn opencolorio_name(self) -> (&'static str, bool) {
        use LogCurveStyle::*;
        match self {
            LinToGammaLog => ("Lin_TO_GammaLog", false),
            GammaLogToLin => ("Lin_TO_GammaLog", true),
            LinToDoubleLog => ("Lin_TO_DoubleLog", false),
            DoubleLogToLin => ("Lin_TO_DoubleLog", true),
        }
    }

    /// The style of OpenColorIO's forward style `name` in `direction`.
    pub fn from_opencolorio(name: &str, direction: crate::ops::Direction) -> Option<Self> {
        let inverse = direction == crate::ops::Direction::Inverse;
        Self::ALL
            .into_iter()
            .find(|s| s.opencolorio_name() == (name, inverse))
    }
}

impl LogCurve {
    pub fn inverse(&self) -> LogCurve {
        LogCurve {
            style: self.style.inverse(),
            params: self.params.clone(),
        }
    }

    /// OpenColorIO's checks (`FixedFunctionOpData::validate`): the count, a
    /// log base above 0 (and here not 1), gamma-log's mirror below its
    /// break and a power other than 0, double-log's breaks in order; and
    /// finite values.
    pub fn validate(&self) -> Result<(), String> {
        let p = &self.params;
        let want = self.style.param_count();
        if p.len() != want {
            return Err(format!("{:?} takes {want} parameters, not {}", self.style, p.len()));
        }
        crate::ops::check_finite("log curve parameters", p)?;
        let base = if self.style.is_gamma_log() { p[5] } else { p[0] };
        if base <= 0.0 || base == 1.0 {
            return Err(format!("log base {base} must be above 0 and not 1"));
        }
        if self.style.is_gamma_log() {
            if p[0] >= p[1] {
                return Err(format!("mirror point {} is not below the break point {}", p[0], p[1]));
            }
            if p[2] == 0.0 {
                return Err("gamma power is zero".into());
            }
        } else if p[1] > p[2] {
            return Err(format!("first break point {} is above the second {}", p[1], p[2]));
        }
        Ok(())
    }

    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.prepare().apply(rgb)
    }
}

impl crate::ops::OpData for LogCurve {
    type Prepared = LogCurvePrepared;

    fn validate(&self) -> Result<(), String> {
        LogCurve::validate(self)
    }

    fn is_identity(&self) -> bool {
        false
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        Ok(vec![crate::ops::Op::LogCurve(self.inverse())])
    }

    fn prepare(&self) -> LogCurvePrepared {
        LogCurve::prepare(self)
    }
}

/// HLG's OETF as OpenColorIO's built-in displays write it (mirror 0,
/// break 1/4, square root, then `a * ln(E - b) + c`), keep in sync with
/// the parity test's script (`grade::grading_parity`).
pub const HLG: [f64; 10] = [
    0.0,
    0.25,
    0.5,
    1.0,
    0.0,
    std::f64::consts::E,
    0.178_832_77,
    0.807_825_590_164_012_3,
    1.0,
    -0.071_167_23,
];

/// Canon Log 2's curve as OpenColorIO's built-in Canon camera transforms
/// write it, with a short linear segment added between breaks -0.001 and
/// 0.002 (the line joining the logs there, to 1e-9) so all three parts
/// are exercised; keep in sync with the parity test's script.
pub const DOUBLE_LOG: [f64; 13] = [
    10.0,
    -0.001,
    0.002,
    -0.241_360_77,
    0.092_864_125,
    -96.777_083_333_333_32,
    1.0,
    0.241_360_77,
    0.092_864_125,
    96.777_083_333_333_32,
    1.0,
    9.409_892_171,
    0.092_591_017_103,
];

/// One op of every style, for `grade::samples::every_op`.
#[doc(hidden)]
pub fn samples() -> Vec<crate::ops::Op> {
    LogCurveStyle::ALL
        .into_iter()
        .map(|style| {
            let params = if style.is_gamma_log() {
                HLG.to_vec()
            } else {
                DOUBLE_LOG.to_vec()
            };
            crate::ops::Op::LogCurve(LogCurve { style, params })
        })
        .collect()
}

#[cfg(test)]
mod tests;

//! Quality control of a delivery: what would bounce it, found frame by
//! frame and across the sequence.
//!
//! [`stats`] measures each frame in one pass (NaN and Inf counts,
//! per-channel min/max/mean, clipping at the output depth, legal range for
//! video-range outputs, dark pixels, mean luma, a content hash); [`check`]
//! turns the measurements of a whole sequence into [`Finding`]s (NaN, Inf,
//! clipped, out of range, black, duplicate of the previous frame, flash
//! against both neighbours); [`sequence`] checks the files themselves from
//! their headers (missing numbers, zero-byte or short files, size, depth,
//! channels or compression that change, timecode continuity, file names).
//! [`report`] is the JSON and the terminal table. In a render the
//! statistics come from the graded frame in memory ([`QcSink`], on the
//! writer threads); `grade qc` reads the frames on disk ([`scan`]).

pub mod report;
pub mod sequence;
mod sink;
pub mod stats;
#[cfg(test)]
mod tests;

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use report::QcReport;
pub use sequence::scan;
pub use sink::QcSink;
pub use stats::{measure, FrameStats, Levels};

/// The checks, by the names the report and `--qc-fail` use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    Missing,
    ShortFile,
    Nan,
    Inf,
    Clipped,
    OutOfRange,
    Black,
    Duplicate,
    Flash,
    Size,
    Depth,
    Timecode,
    Name,
}

impl Check {
    pub const ALL: [Check; 13] = [
        Check::Missing,
        Check::ShortFile,
        Check::Nan,
        Check::Inf,
        Check::Clipped,
        Check::OutOfRange,
        Check::Black,
        Check::Duplicate,
        Check::Flash,
        Check::Size,
        Check::Depth,
        Check::Timecode,
        Check::Name,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Check::Missing => "missing",
            Check::ShortFile => "short_file",
            Check::Nan => "nan",
            Check::Inf => "inf",
            Check::Clipped => "clipped",
            Check::OutOfRange => "out_of_range",
            Check::Black => "black",
            Check::Duplicate => "duplicate",
            Check::Flash => "flash",
            Check::Size => "size",
            Check::Depth => "depth",
            Check::Timecode => "timecode",
            Check::Name => "name",
        }
    }

    pub fn from_name(name: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warn,
    Fail,
}

/// One problem, on one frame where it has one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub check: Check,
    pub severity: Severity,
    pub frame: Option<i64>,
    pub file: Option<PathBuf>,
    pub detail: String,
}

/// Where measurements become findings: at `warn` a warning, at `fail` a
/// failure (`None`: never by itself; `--qc-fail` can still ask for it).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Limits {
    pub warn: f64,
    pub fail: Option<f64>,
}

impl Limits {
    fn severity(&self, value: f64) -> Option<Severity> {
        if self.fail.is_some_and(|fail| value >= fail) {
            Some(Severity::Fail)
        } else if value >= self.warn {
            Some(Severity::Warn)
        } else {
            None
        }
    }
}

/// The thresholds of the graded checks. NaN, Inf, missing and short files,
/// size, depth and timecode changes always fail; black frames, duplicates,
/// file names and clipping warn (a letterbox is 25% code 0 and a
/// highlight may rightly sit at the top code: clipping fails a delivery
/// only when `--qc-fail clipped` asks).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    /// Share of samples at code 0 or at the largest code.
    pub clipped: Limits,
    /// Share of samples outside legal range (video-range outputs).
    pub out_of_range: Limits,
    /// Mean luma jump against both neighbours.
    pub flash: Limits,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            clipped: Limits {
                warn: 0.01,
                fail: None,
            },
            out_of_range: Limits {
                warn: 0.001,
                fail: Some(0.05),
            },
            flash: Limits {
                warn: 0.15,
                fail: Some(0.30),
            },
        }
    }
}

/// A measured frame of a sequence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameEntry {
    pub frame: i64,
    pub file: PathBuf,
    #[serde(flatten)]
    pub stats: FrameStats,
}

/// The findings of the frame checks over `frames` (ascending frame
/// numbers): each frame alone, then against its neighbours (a duplicate is
/// equal to the frame numbered one before it; a flash is brighter or
/// darker than both frames beside it).
pub fn check(frames: &[FrameEntry], t: &Thresholds) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut push = |e: &FrameEntry, check, severity, detail: String| {
        out.push(Finding {
            check,
            severity,
            frame: Some(e.frame),
            file: Some(e.file.clone()),
            detail,
        })
    };
    for (i, e) in frames.iter().enumerate() {
        let s = &e.stats;
        if s.nan > 0 {
            push(
                e,
                Check::Nan,
                Severity::Fail,
                format!("{} NaN samples", s.nan),
            );
        }
        if s.inf > 0 {
            push(
                e,
                Check::Inf,
                Severity::Fail,
                format!("{} infinite samples", s.inf),
            );
        }
        let clipped = s.clipped_low.max(s.clipped_high.unwrap_or(0.0));
        if let Some(sev) = t.clipped.severity(clipped) {
            push(
                e,
                Check::Clipped,
                sev,
                format!(
                    "{:.2}% of samples at code 0, {:.2}% at the largest code",
                    100.0 * s.clipped_low,
                    100.0 * s.clipped_high.unwrap_or(0.0)
                ),
            );
        }
        if let Some(share) = s.out_of_range {
            if let Some(sev) = t.out_of_range.severity(share) {
                push(
                    e,
                    Check::OutOfRange,
                    sev,
                    format!("{:.2}% of samples outside 64-940", 100.0 * share),
                );
            }
        }
        if s.is_black() {
            push(
                e,
                Check::Black,
                Severity::Warn,
                format!("{:.1}% of pixels black", 100.0 * s.dark),
            );
        }
        if let Some(prev) = i.checked_sub(1).map(|p| &frames[p]) {
            if prev.frame + 1 == e.frame && prev.stats.hash == s.hash {
                push(
                    e,
                    Check::Duplicate,
                    Severity::Warn,
                    format!("the same picture as frame {}", prev.frame),
                );
            }
        }
        if let (Some(a), Some(b)) = (i.checked_sub(1).map(|p| &frames[p]), frames.get(i + 1)) {
            let (da, db) = (s.luma - a.stats.luma, s.luma - b.stats.luma);
            let jump = if da.signum() == db.signum() {
                da.abs().min(db.abs())
            } else {
                0.0
            };
            if let Some(sev) = t.flash.severity(jump) {
                push(
                    e,
                    Check::Flash,
                    sev,
                    format!(
                        "mean luma {:.3} against {:.3} before and {:.3} after",
                        s.luma, a.stats.luma, b.stats.luma
                    ),
                );
            }
        }
    }
    out
}

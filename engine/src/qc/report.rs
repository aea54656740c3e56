//! The QC report: per-frame statistics and the list of findings, as JSON
//! (`--qc FILE.json`, `grade qc --json FILE`) and as a table for the
//! terminal; and which findings fail the job.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::{check, Check, FrameEntry, Severity, Thresholds};
use crate::{Error, Result};

use super::Finding;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QcReport {
    /// What was checked: the sequence, folder or render output.
    pub target: String,
    /// The sequences found (one for a render or a pattern).
    pub sequences: Vec<String>,
    pub thresholds: Thresholds,
    /// Per-frame statistics, by sequence, in frame order.
    pub frames: Vec<FrameEntry>,
    /// One per problem, in frame order.
    pub findings: Vec<Finding>,
}

impl QcReport {
    pub fn new(target: &str, thresholds: Thresholds) -> QcReport {
        QcReport {
            target: target.to_string(),
            sequences: Vec::new(),
            thresholds,
            frames: Vec::new(),
            findings: Vec::new(),
        }
    }

    /// Adds a sequence: its measured frames (in any order) and the
    /// findings of its files; the frame checks run here.
    pub fn add(&mut self, sequence: String, mut frames: Vec<FrameEntry>, files: Vec<Finding>) {
        frames.sort_by_key(|e| e.frame);
        let mut findings = files;
        findings.extend(check(&frames, &self.thresholds));
        findings.sort_by_key(|f| (f.frame, f.check));
        self.sequences.push(sequence);
        self.frames.extend(frames);
        self.findings.extend(findings);
    }

    /// The findings that fail the job: those of the checks in `chosen`
    /// (any severity), or without a choice those of severity fail.
    pub fn failing(&self, chosen: Option<&[Check]>) -> Vec<&Finding> {
        self.findings
            .iter()
            .filter(|f| match chosen {
                Some(list) => list.contains(&f.check),
                None => f.severity == Severity::Fail,
            })
            .collect()
    }

    /// Writes the JSON report (to a temporary name, then renamed).
    pub fn write_json(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| Error::Usage(format!("QC report: {e}")))?;
        crate::io::write_atomically(path, |tmp| {
            std::fs::write(tmp, text + "\n").map_err(|e| Error::write(tmp, e))
        })
    }

    /// The terminal summary: one line per check that found anything, with
    /// its warnings, failures and the first frames.
    pub fn table(&self) -> String {
        let mut t = String::new();
        let _ = writeln!(
            t,
            "QC {}: {} frames measured, {} findings",
            self.target,
            self.frames.len(),
            self.findings.len()
        );
        if self.findings.is_empty() {
            return t;
        }
        let _ = writeln!(t, "  {:<13} {:>5} {:>5}  frames", "check", "warn", "fail");
        for c in Check::ALL {
            let of: Vec<&Finding> = self.findings.iter().filter(|f| f.check == c).collect();
            if of.is_empty() {
                continue;
            }
            let warn = of.iter().filter(|f| f.severity == Severity::Warn).count();
            let mut frames: Vec<i64> = of.iter().filter_map(|f| f.frame).collect();
            frames.dedup();
            let list = crate::io::sequence::ranges_text(&frames).unwrap_or_default();
            let list = if list.len() > 48 {
                format!("{}...", &list[..45]) // ranges text is ASCII
            } else {
                list
            };
            let _ = writeln!(
                t,
                "  {:<13} {:>5} {:>5}  {list}",
                c.name(),
                warn,
                of.len() - warn
            );
        }
        t
    }
}

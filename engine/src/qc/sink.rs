//! QC inside a render: each graded frame is measured in memory on the
//! writer thread that wrote it (no re-read), and when the job finishes the
//! frame checks run over the whole sequence, the files are checked from
//! their headers, and the report is written.

use std::path::PathBuf;
use std::sync::Mutex;

use super::sequence::check_files;
use super::{measure, Check, FrameEntry, Levels, QcReport, Thresholds};
use crate::render::{FrameRecipe, RenderSummary, Sink};
use crate::{Error, Frame, Result};

/// The render sink of `--qc`.
#[derive(Debug)]
pub struct QcSink {
    target: String,
    levels: Levels,
    thresholds: Thresholds,
    json: Option<PathBuf>,
    fail_on: Option<Vec<Check>>,
    /// Every output of the job: frame number and path.
    files: Vec<(i64, PathBuf)>,
    measured: Mutex<Vec<FrameEntry>>,
    report: Mutex<Option<QcReport>>,
    /// A chunk of a farm job: keep the statistics for `grade farm
    /// finalize`, which makes the findings and writes the report.
    staged: bool,
}

impl QcSink {
    /// QC of the frames of `recipes` written at `levels`; the report goes
    /// to `json` when given; the job fails on findings of the checks in
    /// `fail_on`, or without it on findings of severity fail.
    pub fn new(
        target: &str,
        recipes: &[FrameRecipe],
        levels: Levels,
        thresholds: Thresholds,
        json: Option<PathBuf>,
        fail_on: Option<Vec<Check>>,
    ) -> QcSink {
        let mut files: Vec<(i64, PathBuf)> = recipes
            .iter()
            .map(|r| (r.number, r.output.clone()))
            .collect();
        files.sort();
        QcSink {
            target: target.to_string(),
            levels,
            thresholds,
            json,
            fail_on,
            files,
            measured: Mutex::new(Vec::with_capacity(recipes.len())),
            report: Mutex::default(),
            staged: false,
        }
    }

    /// As a chunk of a farm job: [`Sink::finish`] neither checks nor
    /// writes; the statistics are taken with [`QcSink::measured`].
    pub fn staged(mut self) -> QcSink {
        self.staged = true;
        self
    }

    /// The frames measured so far, in frame order.
    pub fn measured(&self) -> Vec<FrameEntry> {
        let mut m = self.measured.lock().map(|m| m.clone()).unwrap_or_default();
        m.sort_by_key(|e| e.frame);
        m
    }

    /// Frame number and path of every output of the job.
    pub fn files(&self) -> &[(i64, PathBuf)] {
        &self.files
    }

    /// The report, once the job has finished.
    pub fn report(&self) -> Option<QcReport> {
        self.report.lock().ok()?.clone()
    }
}

impl Sink for QcSink {
    fn write(&self, _: usize, recipe: &FrameRecipe, frame: &Frame, _: &mut Vec<u8>) -> Result<()> {
        let stats = measure(frame.width, frame.height, &frame.pixels, &self.levels);
        if let Ok(mut m) = self.measured.lock() {
            m.push(FrameEntry {
                frame: recipe.number,
                file: recipe.output.clone(),
                stats,
            });
        }
        Ok(())
    }

    fn finish(&self, _summary: &RenderSummary) -> Result<()> {
        if self.staged {
            return Ok(());
        }
        let frames = self
            .measured
            .lock()
            .map(|mut m| std::mem::take(&mut *m))
            .unwrap_or_default();
        let mut report = QcReport::new(&self.target, self.thresholds);
        report.add(self.target.clone(), frames, check_files(&self.files).0);
        if let Some(path) = &self.json {
            report.write_json(path)?;
        }
        let failing = report.failing(self.fail_on.as_deref());
        let result = if failing.is_empty() {
            Ok(())
        } else {
            let mut checks: Vec<Check> = failing.iter().map(|f| f.check).collect();
            checks.sort();
            checks.dedup();
            let names: Vec<&str> = checks.iter().map(|c| c.name()).collect();
            let (s, verb) = if failing.len() == 1 {
                ("", "fails")
            } else {
                ("s", "fail")
            };
            Err(Error::Usage(format!(
                "QC: {} finding{s} that {verb} the job ({})",
                failing.len(),
                names.join(", ")
            )))
        };
        if let Ok(mut r) = self.report.lock() {
            *r = Some(report);
        }
        result
    }
}

//! `grade qc`: quality control of frames on disk (the work is
//! `grade_engine::qc`'s; this prints the table and sets the exit code).

use anyhow::Result;
use grade_engine::qc::{self, Thresholds};

use crate::deliver::{qc_fail, QcArgs};
use crate::Outcome;

pub fn run(args: &QcArgs) -> Result<Outcome> {
    let fail_on = qc_fail(&args.qc_fail)?;
    let report = qc::scan(&args.target, args.video_range, &Thresholds::default())?;
    if let Some(path) = &args.json {
        report.write_json(path)?;
    }
    eprint!("{}", report.table());
    for f in &report.findings {
        let file = f.file.as_ref().map(|p| p.display().to_string());
        eprintln!(
            "grade: {} {}{}: {}",
            match f.severity {
                qc::Severity::Warn => "warning",
                qc::Severity::Fail => "fail",
            },
            f.check,
            file.map(|p| format!(" {p}")).unwrap_or_default(),
            f.detail
        );
    }
    Ok(if report.failing(fail_on.as_deref()).is_empty() {
        Outcome::Ok
    } else {
        Outcome::FramesFailed
    })
}

//! `grade farm finalize`: joins what the chunks of a farm job staged beside
//! its output folder (`grade_engine::farm::finalize`): the review movies,
//! the QC report and the output folder's ASC MHL generation, as a single
//! render would have written them; then removes the staging folder. A chunk
//! not complete is exit 1, listed, with nothing changed.

use std::path::Path;

use anyhow::Result;
use grade_engine::farm::finalize::{self, Found};
use grade_engine::farm::stage;
use grade_engine::io::sequence::FrameSet;
use grade_engine::Error;

use crate::Outcome;

pub fn run(output: &str, frames: Option<&str>) -> Result<Outcome> {
    let given = Path::new(output);
    // A folder, or a name without frame number tokens: the folder itself.
    let folder = if given.is_dir() || !output.contains(['#', '%', '@']) {
        given
    } else {
        match given.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        }
    };
    let staging = stage::folder_of(folder);
    if !staging.is_dir() {
        return Err(Error::Usage(format!(
            "{output}: no staging folder {} (nothing staged by chunks with --review, --qc or --mhl, or already finalized)",
            staging.display()
        ))
        .into());
    }
    let wanted: Option<Vec<i64>> = frames
        .map(|spec| {
            FrameSet::parse(spec)
                .map(|s| s.iter().collect())
                .map_err(|e| Error::Usage(format!("--frames {spec}: {e}")))
        })
        .transpose()?;
    let parts = match finalize::find(&staging, wanted.as_deref())? {
        Found::Complete(parts) => parts,
        Found::Missing(list) => {
            eprintln!(
                "grade: finalize {output}: not complete: {}; nothing changed (render those chunks again, then finalize)",
                list.join(", ")
            );
            return Ok(Outcome::FramesFailed);
        }
    };
    let ffmpeg = if parts.iter().any(|(_, p)| !p.reviews.is_empty()) {
        Some(grade_engine::review::ffmpeg::locate()?)
    } else {
        None
    };
    let done = finalize::join(&staging, &parts, ffmpeg.as_deref())?;
    let mut outcome = Outcome::Ok;
    for m in &done.movies {
        eprintln!(
            "grade: joined {} chunk(s) into {}",
            parts.len(),
            m.display()
        );
    }
    if let Some(r) = &done.qc {
        eprint!("{}", r.table());
        let failing = r.failing(done.qc_fail.as_deref());
        if !failing.is_empty() {
            eprintln!("grade: QC: {} finding(s) that fail the job", failing.len());
            outcome = Outcome::FramesFailed;
        }
    }
    if let Some(c) = &done.manifest {
        eprintln!(
            "grade: ASC MHL generation {:04}: {} files ({} verified, {} new; {} from the chunks' hash lists), {}",
            c.generation,
            c.files,
            c.verified,
            c.new.len(),
            done.trusted,
            c.manifest.display()
        );
        for (what, list) in [
            ("recorded earlier with other bytes", &c.mismatched),
            ("recorded earlier and now missing", &c.missing),
        ] {
            if !list.is_empty() {
                eprintln!("grade: ASC MHL: {} {what}: {}", list.len(), list.join(", "));
                outcome = Outcome::FramesFailed;
            }
        }
    }
    Ok(outcome)
}

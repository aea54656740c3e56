//! Job files for render farms: a Slurm array script ([`slurm`]) and an Open
//! Job Description template ([`openjd`]) that run one grade command in
//! chunks of frames.
//!
//! Both are plain text built from a [`Job`] by pure functions, so what a
//! farm will run is tested here without a scheduler. Every task runs the
//! grade binary by its absolute path from the folder the job was made in,
//! with the user's arguments single-quoted for bash, plus its chunk of
//! frames and `--skip-existing`: a task the scheduler reruns after a crash
//! or a cancel renders only what is missing, and since every frame is
//! written to a temporary name and renamed, it never finds half a frame.
//!
//! A job whose command makes deliverables beside the frames (a review
//! movie, QC, a checksum manifest: [`DELIVERABLE_FLAGS`]) needs one more
//! step after every chunk has finished, to join the chunks' parts; both
//! builders take that finalize command and order it after the render (a
//! Slurm job with `--dependency=afterok:<array>`, an OpenJD step with
//! `dependsOn: Render`).

pub mod finalize;
pub mod openjd;
pub mod slurm;
pub mod stage;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// Flags of `apply`/`conform` whose outputs a chunked job must join after
/// its chunks: a review movie, QC findings, an ASC MHL manifest.
pub const DELIVERABLE_FLAGS: &[&str] = &["--review", "--qc", "--mhl"];

/// One grade command to run on a farm.
#[derive(Debug, Clone)]
pub struct Job {
    /// The grade binary, absolute.
    pub exe: PathBuf,
    /// The folder every task runs in (relative paths in `command` are
    /// relative to it), absolute.
    pub workdir: PathBuf,
    /// The grade arguments: `apply ...` or `conform ...`.
    pub command: Vec<String>,
    /// Run after every chunk has rendered, when the job has deliverables:
    /// the grade arguments of the finalize command.
    pub finalize: Option<Vec<String>>,
}

impl Job {
    /// `apply` or `conform`.
    pub fn kind(&self) -> &str {
        self.command.first().map_or("", String::as_str)
    }

    /// The bash lines of one task: strict mode, `cd` to the job's folder and
    /// `exec` of grade with `args` (quoted) followed by `tail` as it stands
    /// (already shell text, e.g. `--chunk "$SLURM_ARRAY_TASK_ID/4"`).
    pub fn task_script(&self, args: &[String], tail: &str) -> String {
        let mut s = format!(
            "set -euo pipefail\ncd {}\nexec {}",
            sh_quote(&self.workdir.to_string_lossy()),
            sh_quote(&self.exe.to_string_lossy())
        );
        for a in args {
            s.push(' ');
            s.push_str(&sh_quote(a));
        }
        if !tail.is_empty() {
            s.push(' ');
            s.push_str(tail);
        }
        s.push('\n');
        s
    }
}

/// The deliverable flags ([`DELIVERABLE_FLAGS`]) present in a grade
/// command, as `--flag` or `--flag=value`, in the order given.
pub fn deliverables(command: &[String]) -> Vec<&'static str> {
    let mut found = Vec::new();
    for a in command {
        for &f in DELIVERABLE_FLAGS {
            let hit = a == f || a.strip_prefix(f).is_some_and(|r| r.starts_with('='));
            if hit && !found.contains(&f) {
                found.push(f);
            }
        }
    }
    found
}

/// Single-quoted for bash: any string, newlines and quotes included, comes
/// back as one word.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Writes a job file (a temporary name, then renamed); `executable` sets
/// mode 0755, as for a script.
pub fn write(path: &Path, text: &str, executable: bool) -> Result<()> {
    crate::io::write_atomically(path, |tmp| {
        std::fs::write(tmp, text).map_err(|e| Error::write(path, e))?;
        if executable {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(tmp, std::fs::Permissions::from_mode(0o755))
                .map_err(|e| Error::write(path, e))?;
        }
        Ok(())
    })
}

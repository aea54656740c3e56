//! Slurm: an sbatch array script with one task per chunk.
//!
//! Task K of N runs the job's grade command with `--chunk
//! "$SLURM_ARRAY_TASK_ID/N" --skip-existing --progress openjd` (`--chunk`
//! applies after any `--frames` in the command, so N tasks cover the job's
//! frames exactly once), logging to `STEM-%A_%a.log` beside the script (%A
//! the array's job id, %a the task). A job with deliverables adds a second
//! script, its finalize job, submitted with `--dependency=afterok:<array>`
//! so it starts only when every task has succeeded.
//!
//! `#SBATCH` lines are read by sbatch, not by bash, so their values cannot
//! be quoted: values with spaces, quotes, `%` (a filename pattern) or
//! control characters are refused. The task's own command line is quoted.

use std::path::Path;

use super::{sh_quote, Job};
use crate::{Error, Result};

/// The scheduler's settings for every task.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Number of array tasks (chunks), at least 1.
    pub chunks: u32,
    pub partition: Option<String>,
    /// Wall-clock limit per task, in Slurm's syntax (`30`, `2:00:00`, `1-0`).
    pub time: Option<String>,
    /// CPUs per task; grade's CPU backend then uses that many threads
    /// unless the command sets `--threads`.
    pub cpus_per_task: Option<u32>,
    /// Memory per node (`4G`, `16000M`).
    pub mem: Option<String>,
}

/// The array script. `log_dir` is where the tasks' logs go (absolute, as
/// sbatch resolves a relative one against the submit folder), `stem` their
/// name before `-%A_%a.log`.
pub fn array_script(job: &Job, opts: &Options, log_dir: &Path, stem: &str) -> Result<String> {
    if opts.chunks == 0 {
        return Err(Error::Usage("--chunks must be at least 1".into()));
    }
    let n = opts.chunks;
    let comment = format!(
        "# {n} chunk(s), one array task each; a task run again renders only\n\
         # the frames still missing (--skip-existing).\n"
    );
    let mut s = header(job, opts, &comment, &format!("{stem}-%A_%a.log"), log_dir)?;
    s.push_str(&format!("#SBATCH --array=1-{n}\n"));
    let mut tail =
        format!("--chunk \"$SLURM_ARRAY_TASK_ID/{n}\" --skip-existing --progress openjd");
    let has_threads = job
        .command
        .iter()
        .any(|a| a == "--threads" || a.starts_with("--threads="));
    if opts.cpus_per_task.is_some() && !has_threads {
        tail.push_str(" --threads \"$SLURM_CPUS_PER_TASK\"");
    }
    s.push_str(&job.task_script(&job.command, &tail));
    Ok(s)
}

/// The finalize job's script, or `None` when the job has no finalize
/// command. Submit it with `--dependency=afterok:<array job id>`.
pub fn finalize_script(
    job: &Job,
    opts: &Options,
    log_dir: &Path,
    stem: &str,
) -> Result<Option<String>> {
    let Some(finalize) = &job.finalize else {
        return Ok(None);
    };
    let one = Options {
        chunks: 1,
        ..opts.clone()
    };
    let comment = "# Joins the chunks' deliverables once every array task has succeeded:\n\
                   # submit with --dependency=afterok:<array job id>.\n";
    let mut s = header(
        job,
        &one,
        comment,
        &format!("{stem}-finalize-%j.log"),
        log_dir,
    )?;
    s.push_str(&job.task_script(finalize, ""));
    Ok(Some(s))
}

/// `#!`, a comment and the `#SBATCH` lines common to both scripts.
fn header(
    job: &Job,
    opts: &Options,
    comment: &str,
    log_name: &str,
    log_dir: &Path,
) -> Result<String> {
    let log = log_dir.join(log_name);
    let log = log.to_string_lossy();
    directive_value("the log folder", &log_dir.to_string_lossy())?;
    let mut s = format!(
        "#!/bin/bash\n# grade {}, written by `grade farm slurm`.\n",
        job.kind()
    );
    s.push_str(comment);
    s.push_str(&format!("#SBATCH --job-name=grade-{}\n", job.kind()));
    s.push_str(&format!("#SBATCH --output={log}\n"));
    for (flag, value) in [
        ("--partition", &opts.partition),
        ("--time", &opts.time),
        ("--mem", &opts.mem),
    ] {
        if let Some(v) = value {
            directive_value(flag, v)?;
            s.push_str(&format!("#SBATCH {flag}={v}\n"));
        }
    }
    if let Some(c) = opts.cpus_per_task {
        if c == 0 {
            return Err(Error::Usage("--cpus-per-task must be at least 1".into()));
        }
        s.push_str(&format!("#SBATCH --cpus-per-task={c}\n"));
    }
    Ok(s)
}

/// Refuses what an `#SBATCH` line cannot carry unquoted.
fn directive_value(what: &str, v: &str) -> Result<()> {
    let bad = v
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '\\' | '%'));
    if v.is_empty() {
        return Err(Error::Usage(format!("{what}: empty value")));
    }
    match bad {
        Some(c) => Err(Error::Usage(format!(
            "{what} {}: an #SBATCH line cannot carry {:?}",
            sh_quote(v),
            c
        ))),
        None => Ok(()),
    }
}

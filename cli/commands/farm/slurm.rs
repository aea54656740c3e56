//! `grade farm slurm`: a Slurm array script for a grade job (text:
//! `grade_engine::farm::slurm`), one array task per chunk, and `--submit`
//! to hand it to sbatch.
//!
//! `--chunks N` is the number of tasks; `--chunk-size K` derives it from the
//! job's frames: the input sequence's for apply (after any `--frames`,
//! `--start`, `--end` in the command), the command's `--frames` for a
//! conform (its record range is only known once its media is indexed).
//! Task logs go beside the script, `STEM-%A_%a.log`.

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;
use grade_engine::farm::{self, slurm};
use grade_engine::io::sequence::FrameSet;
use grade_engine::Error;

use crate::args::Command;
use crate::Outcome;

pub const EXAMPLES: &str = "\
Examples:
  grade farm slurm --chunks 8 -o job.sbatch -- apply -i 'plate.####.dpx' --lut show.cube -o 'out/plate.####.dpx'
  grade farm slurm --chunk-size 48 --partition render --time 1:00:00 --submit -o r1.sbatch -- conform reel1.edl --media /scans -o 'master/R1.%07d.dpx' --frames 86400-87399

Each task runs the command with --chunk $SLURM_ARRAY_TASK_ID/N --skip-existing; a task run again
(or the script submitted again) renders only the frames still missing.";

#[derive(Debug, Args)]
pub struct SlurmArgs {
    /// Number of chunks: one array task each.
    #[arg(
        long,
        conflicts_with = "chunk_size",
        required_unless_present = "chunk_size"
    )]
    pub chunks: Option<u32>,
    /// Frames per chunk (the number of tasks follows from the job's frames).
    #[arg(long)]
    pub chunk_size: Option<u32>,
    /// The sbatch script to write; task logs go beside it.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Slurm partition (sbatch --partition).
    #[arg(long)]
    pub partition: Option<String>,
    /// Time limit per task (sbatch --time: 30, 2:00:00, 1-0).
    #[arg(long)]
    pub time: Option<String>,
    /// CPUs per task (sbatch --cpus-per-task); also grade's --threads.
    #[arg(long)]
    pub cpus_per_task: Option<u32>,
    /// Memory per node (sbatch --mem: 8G).
    #[arg(long)]
    pub mem: Option<String>,
    /// Submit the script with sbatch and print the job id.
    #[arg(long)]
    pub submit: bool,
    /// The grade command to run: apply ... or conform ...
    #[arg(last = true, required = true)]
    pub command: Vec<String>,
}

pub fn run(args: SlurmArgs) -> Result<Outcome> {
    let inner = super::inner_command(&args.command, "slurm")?;
    let run = match &inner {
        Command::Apply(a) => &a.run,
        Command::Conform(c) => &c.run,
        _ => {
            return Err(Error::Usage(
                "grade farm slurm renders `apply` or `conform` commands".into(),
            )
            .into())
        }
    };
    if run.chunk.is_some() {
        return Err(Error::Usage(
            "the command after -- has --chunk: grade farm slurm gives each task its own".into(),
        )
        .into());
    }
    let frames = match &inner {
        Command::Apply(a) => Some(crate::frames::select(&super::input_frames(a)?, run)?.len()),
        _ => match &run.frames {
            Some(spec) => Some(
                FrameSet::parse(spec)
                    .map_err(|e| Error::Usage(format!("--frames {spec}: {e}")))?
                    .iter()
                    .count(),
            ),
            None => None,
        },
    };
    let chunks = chunk_count(args.chunks, args.chunk_size, frames)?;
    let submit = if args.submit { Some(sbatch()?) } else { None };

    let job = super::job(args.command.clone(), &inner, &[])?;
    let output = job.workdir.join(&args.output);
    let log_dir = output.parent().unwrap_or(Path::new("/")).to_path_buf();
    let stem = output
        .file_stem()
        .map_or("job".into(), |s| s.to_string_lossy().into_owned());
    let opts = slurm::Options {
        chunks,
        partition: args.partition,
        time: args.time,
        cpus_per_task: args.cpus_per_task,
        mem: args.mem,
    };
    let script = slurm::array_script(&job, &opts, &log_dir, &stem)?;
    let finalize = slurm::finalize_script(&job, &opts, &log_dir, &stem)?;
    farm::write(&args.output, &script, true)?;
    let finalize_path = args.output.with_extension("finalize.sbatch");
    if let Some(text) = &finalize {
        farm::write(&finalize_path, text, true)?;
    }
    eprintln!(
        "grade: wrote {} ({}, {chunks} chunk(s), logs {}/{stem}-JOB_TASK.log)",
        args.output.display(),
        job.kind(),
        log_dir.display()
    );
    let Some(sbatch) = submit else {
        eprintln!("grade: submit it with `sbatch {}`", args.output.display());
        return Ok(Outcome::Ok);
    };
    let array = submit_script(&sbatch, &args.output, None)?;
    println!("{array}");
    if finalize.is_some() {
        println!("{}", submit_script(&sbatch, &finalize_path, Some(&array))?);
    }
    Ok(Outcome::Ok)
}

/// Tasks for `--chunks` or `--chunk-size` over `frames` (when known).
fn chunk_count(chunks: Option<u32>, size: Option<u32>, frames: Option<usize>) -> Result<u32> {
    match (chunks, size, frames) {
        (Some(0), ..) => Err(Error::Usage("--chunks must be at least 1".into()).into()),
        (Some(n), _, Some(f)) if n as usize > f => {
            Err(Error::Usage(format!("--chunks {n}: the job has only {f} frame(s)")).into())
        }
        (Some(n), ..) => Ok(n),
        (None, Some(0), _) => Err(Error::Usage("--chunk-size must be at least 1".into()).into()),
        (None, Some(k), Some(f)) => Ok(u32::try_from(f.div_ceil(k as usize)).unwrap_or(u32::MAX)),
        (None, Some(_), None) => Err(Error::Usage(
            "--chunk-size needs the job's frames: for a conform, give --frames in the command \
             (see `grade conform --dry-run`), or use --chunks N"
                .into(),
        )
        .into()),
        (None, None, _) => Err(Error::Usage("give --chunks N or --chunk-size K".into()).into()),
    }
}

/// sbatch on PATH, or an environment error (exit 3) naming it.
fn sbatch() -> Result<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("sbatch"))
            .find(|p| p.is_file())
    });
    found.ok_or_else(|| {
        Error::write(
            "sbatch",
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "not found on PATH: --submit needs Slurm's client tools (Debian: slurm-client)",
            ),
        )
        .into()
    })
}

/// Runs `sbatch --parsable [--dependency=afterok:ID] SCRIPT`; the job id.
fn submit_script(sbatch: &Path, script: &Path, after: Option<&str>) -> Result<String> {
    let mut cmd = std::process::Command::new(sbatch);
    cmd.arg("--parsable");
    if let Some(id) = after {
        cmd.arg(format!("--dependency=afterok:{id}"));
    }
    let out = cmd
        .arg(script)
        .output()
        .map_err(|e| Error::write(sbatch, e))?;
    let text = String::from_utf8_lossy(&out.stdout);
    // --parsable prints `ID` or `ID;CLUSTER`.
    let id = text.trim().split(';').next().unwrap_or("").to_string();
    if !out.status.success() || id.is_empty() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(Error::write(
            sbatch,
            std::io::Error::other(format!(
                "{} was not submitted ({}): {}",
                script.display(),
                out.status,
                err.trim()
            )),
        )
        .into());
    }
    Ok(id)
}

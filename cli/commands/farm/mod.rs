//! `grade farm`: job files that run a grade command in chunks on a render
//! farm: an Open Job Description template ([`openjd`]) and a Slurm array
//! script ([`slurm`]). The text of both is built by the engine
//! (`grade_engine::farm`); here the command after `--` is checked as grade
//! would parse it, the job's frames are counted, and the files written.
//!
//! Other farms need no file: OpenCue runs `grade apply ... --start
//! #FRAME_START# --end #FRAME_END# --skip-existing`, and a shell loop over
//! `--chunk i/N` does what a Slurm array does.

mod finalize;
mod openjd;
pub(crate) mod slurm;

use anyhow::{Context, Result};
use clap::Parser;
use grade_engine::farm::{self, Job};
use grade_engine::io::sequence::{self, Pattern};
use grade_engine::Error;

use crate::args::{ApplyArgs, Cli, Command, FarmCommand};
use crate::Outcome;

pub fn run(cmd: FarmCommand) -> Result<Outcome> {
    match cmd {
        FarmCommand::Openjd {
            chunk_size,
            output,
            frames,
            command,
        } => openjd::run(chunk_size, &output, frames, command),
        FarmCommand::Slurm(args) => slurm::run(args),
        FarmCommand::Finalize { output, frames } => finalize::run(&output, frames.as_deref()),
    }
}

/// The grade command after `--`, parsed as grade parses it, and refused
/// unless it is `apply` or `conform`.
fn inner_command(command: &[String], farm: &str) -> Result<Command> {
    let inner =
        Cli::try_parse_from(std::iter::once("grade".to_string()).chain(command.iter().cloned()))
            .map_err(|e| Error::Usage(format!("the grade command after -- is not valid:\n{e}")))?;
    match inner.command {
        c @ (Command::Apply(_) | Command::Conform(_)) => Ok(c),
        _ => Err(Error::Usage(format!(
            "grade farm {farm} renders `apply` or `conform` commands"
        ))
        .into()),
    }
}

/// The frames of an apply job's input sequence.
fn input_frames(a: &ApplyArgs) -> Result<Vec<i64>> {
    let input = Pattern::parse(&a.input)?;
    if input.is_single() {
        return Err(Error::Usage(format!(
            "the input {} is a single frame: nothing to split into chunks",
            a.input
        ))
        .into());
    }
    let seq = sequence::discover(&input)?;
    if seq.frames.is_empty() {
        return Err(Error::Usage(format!("no frames of {} found", a.input)).into());
    }
    Ok(seq.frames)
}

/// A job run by the grade binary running now, from the current folder.
/// When the command makes deliverables, the job ends with `grade farm
/// finalize` of its output, followed by `finalize_args`.
fn job(command: Vec<String>, inner: &Command, finalize_args: &[&str]) -> Result<Job> {
    let output = match inner {
        Command::Apply(a) => Some(a.output.clone()),
        Command::Conform(c) => c.output.clone(),
        _ => None,
    };
    let finalize = match output {
        Some(o) if !farm::deliverables(&command).is_empty() => Some(
            ["farm", "finalize", o.as_str()]
                .iter()
                .chain(finalize_args)
                .map(|s| s.to_string())
                .collect(),
        ),
        _ => None,
    };
    Ok(Job {
        exe: std::env::current_exe().context("cannot find the grade executable")?,
        workdir: std::env::current_dir().context("cannot read the current folder")?,
        command,
        finalize,
    })
}

//! `grade farm openjd`: an Open Job Description template for a grade job
//! (text: `grade_engine::farm::openjd`). Each task renders `--frames
//! {{Task.Param.Frame}}`; the job's frames are the input sequence's (apply)
//! or `--frames` (conform). `openjd run job.yaml` runs it locally; AWS
//! Deadline Cloud accepts the same file.

use std::path::Path;

use anyhow::{bail, Context, Result};
use grade_engine::farm;
use grade_engine::io::sequence;

use crate::args::Command;
use crate::Outcome;

pub fn run(
    chunk_size: u32,
    output: &Path,
    frames: Option<String>,
    command: Vec<String>,
) -> Result<Outcome> {
    if chunk_size == 0 {
        bail!("--chunk-size must be at least 1");
    }
    let inner = super::inner_command(&command, "openjd")?;
    let (kind, range) = match &inner {
        Command::Apply(a) => {
            if a.run.frames.is_some() || a.run.chunk.is_some() {
                bail!("give the job's frames with `grade farm openjd --frames`, not inside the command");
            }
            let range = match frames {
                Some(f) => f,
                None => sequence::ranges_text(&super::input_frames(a)?)
                    .with_context(|| format!("no frames of {} found", a.input))?,
            };
            ("apply", range)
        }
        _ => match frames {
            Some(f) => ("conform", f),
            None => bail!("for a conform job, give the record frame range with --frames (see `grade conform --dry-run`)"),
        },
    };
    let job = super::job(command, &inner, &["--frames", "{{Param.Frames}}"])?;
    farm::write(
        output,
        &farm::openjd::template(&job, &range, chunk_size),
        false,
    )?;
    eprintln!(
        "grade: wrote {} ({kind}, frames {range}, chunks of {chunk_size}); run it with `openjd run {}`",
        output.display(),
        output.display()
    );
    Ok(Outcome::Ok)
}

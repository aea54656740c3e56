//! `grade farm openjd`: an Open Job Description template for a grade job.
//!
//! The template (specification `jobtemplate-2023-09` with the
//! `TASK_CHUNKING` extension) has one step whose task parameter `Frame` is a
//! `CHUNK[INT]` over the job's frames in contiguous chunks; each task runs
//! the given grade command with `--frames {{Task.Param.Frame}}
//! --skip-existing --progress openjd`, from the folder the template was
//! written in. `openjd run job.yaml` runs it locally; AWS Deadline Cloud
//! accepts the same file.
//!
//! The same flags serve other farms: a Slurm array job runs
//! `grade apply ... --chunk $SLURM_ARRAY_TASK_ID/N --skip-existing` with
//! `--array=1-N`, and OpenCue runs `grade apply ... --start #FRAME_START#
//! --end #FRAME_END# --skip-existing`.

use std::path::Path;

use anyhow::{bail, Context, Result};
use clap::Parser;
use grade_engine::io::sequence::{self, Pattern};

use crate::args::{Cli, Command, FarmCommand};
use crate::Outcome;

pub fn run(cmd: FarmCommand) -> Result<Outcome> {
    let FarmCommand::Openjd {
        chunk_size,
        output,
        frames,
        command,
    } = cmd;
    if chunk_size == 0 {
        bail!("--chunk-size must be at least 1");
    }
    let inner =
        Cli::try_parse_from(std::iter::once("grade".to_string()).chain(command.iter().cloned()))
            .map_err(|e| anyhow::anyhow!("the grade command after -- is not valid:\n{e}"))?;
    let (kind, range) = match &inner.command {
        Command::Apply(a) => {
            if a.run.frames.is_some() || a.run.chunk.is_some() {
                bail!("give the job's frames with `grade farm openjd --frames`, not inside the command");
            }
            let range = match frames {
                Some(f) => f,
                None => {
                    let input = Pattern::parse(&a.input)?;
                    if input.is_single() {
                        bail!("the input {} is a single frame: nothing to split into chunks", a.input);
                    }
                    let seq = sequence::discover(&input)?;
                    sequence::ranges_text(&seq.frames)
                        .with_context(|| format!("no frames of {} found", a.input))?
                }
            };
            ("apply", range)
        }
        Command::Conform(_) => match frames {
            Some(f) => ("conform", f),
            None => bail!("for a conform job, give the record frame range with --frames (see `grade conform --dry-run`)"),
        },
        _ => bail!("grade farm openjd renders `apply` or `conform` commands"),
    };
    let exe = std::env::current_exe().context("cannot find the grade executable")?;
    let workdir = std::env::current_dir().context("cannot read the current folder")?;
    let yaml = template(&exe, &workdir, kind, &command, &range, chunk_size);
    std::fs::write(&output, yaml).map_err(|e| grade_engine::Error::write(&output, e))?;
    eprintln!(
        "grade: wrote {} ({kind}, frames {range}, chunks of {chunk_size}); run it with `openjd run {}`",
        output.display(),
        output.display()
    );
    Ok(Outcome::Ok)
}

/// Single-quoted for bash.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn template(
    exe: &Path,
    workdir: &Path,
    kind: &str,
    command: &[String],
    range: &str,
    chunk: u32,
) -> String {
    let mut script = format!(
        "set -eu\ncd {}\nexec {}",
        sh_quote(&workdir.to_string_lossy()),
        sh_quote(&exe.to_string_lossy())
    );
    for a in command {
        script.push(' ');
        script.push_str(&sh_quote(a));
    }
    script.push_str(" --frames \"{{Task.Param.Frame}}\" --skip-existing --progress openjd\n");
    let data: String = script
        .lines()
        .map(|l| format!("            {l}\n"))
        .collect();
    format!(
        "specificationVersion: 'jobtemplate-2023-09'
extensions:
  - TASK_CHUNKING
name: {name}
parameterDefinitions:
  - name: Frames
    type: STRING
    default: {range}
steps:
  - name: Render
    parameterSpace:
      taskParameterDefinitions:
        - name: Frame
          type: CHUNK[INT]
          range: \"{{{{Param.Frames}}}}\"
          chunks:
            defaultTaskCount: {chunk}
            rangeConstraint: CONTIGUOUS
    script:
      actions:
        onRun:
          command: bash
          args: [\"{{{{Task.File.Run}}}}\"]
      embeddedFiles:
        - name: Run
          type: TEXT
          data: |
{data}",
        name = yaml_str(&format!("grade {kind}")),
        range = yaml_str(range),
    )
}

//! `grade lut info` and `grade lut convert`.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::ArgMatches;
use grade_engine::formats;
use grade_engine::grade::{Grade, Step};
use grade_engine::ops::MAX_LUT3D_SIZE;

use crate::args::LutCommand;
use crate::{steps, Outcome};

pub fn run(cmd: LutCommand, m: &ArgMatches) -> Result<Outcome> {
    match cmd {
        LutCommand::Info { file } => {
            let info = formats::info(&file)?;
            // A reader that stops early (`| head`) is not an error.
            let mut out = std::io::stdout().lock();
            match write!(out, "{info}").and_then(|()| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(e).context("writing to standard output")
                }
                _ => Ok(Outcome::Ok),
            }
        }
        LutCommand::Convert {
            mut inputs,
            output,
            size,
            title,
            grade,
        } => {
            let sub = m.subcommand().map(|(_, s)| s).unwrap_or(m);
            let output = match output {
                Some(o) => o,
                None => match inputs.pop() {
                    Some(o) => o,
                    None => bail!("lut convert: name the .cube to write (last argument or -o)"),
                },
            };
            if !(2..=MAX_LUT3D_SIZE).contains(&size) {
                bail!("--size {size}: a 3D LUT needs 2 to {MAX_LUT3D_SIZE} points per side");
            }
            let mut g = steps::grade_from_args(&grade, sub)?;
            let mut all: Vec<Step> = inputs
                .iter()
                .map(|p| {
                    let (path, select) = steps::split_selector(&p.to_string_lossy());
                    Step::File {
                        path,
                        select,
                        interpolation: None,
                        cdl_style: None,
                        invert: false,
                    }
                })
                .collect();
            all.append(&mut g.steps);
            if all.is_empty() {
                bail!("lut convert: nothing to bake: give LUT files or grade steps");
            }
            let program = Grade { steps: all }.compile()?;
            let lut = grade_engine::bake::bake_program(&program, size)?;
            let title = match title {
                Some(t) => t,
                None => default_title(&inputs, steps::describe(&grade, sub)?, &output),
            };
            write_atomically(&output, |w| {
                formats::cube::write_cube(w, &title, None, &lut)
            })
            .with_context(|| format!("writing {}", output.display()))?;
            eprintln!(
                "grade: wrote {} ({size}^3 3D LUT over [0,1])",
                output.display()
            );
            Ok(Outcome::Ok)
        }
    }
}

/// What a baked LUT holds, in the order applied: the input files' names,
/// then the grade steps (`shot.cc + show.3dl + exposure 0.5`); the output's
/// name when neither says anything.
fn default_title(inputs: &[PathBuf], steps: Vec<String>, output: &std::path::Path) -> String {
    let name = |p: &std::path::Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let parts: Vec<String> = inputs
        .iter()
        .map(|p| name(p))
        .chain(steps)
        .filter(|s| !s.is_empty())
        .collect();
    if parts.is_empty() {
        name(output)
    } else {
        parts.join(" + ")
    }
}

/// Writes through a temporary file in the same folder, renamed when complete.
fn write_atomically(
    path: &PathBuf,
    f: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> grade_engine::Result<()>,
) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| -> Result<()> {
        let file = std::fs::File::create(&tmp).map_err(|e| grade_engine::Error::write(&tmp, e))?;
        let mut w = std::io::BufWriter::new(file);
        f(&mut w)?;
        w.flush().map_err(|e| grade_engine::Error::write(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| grade_engine::Error::write(path, e))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

//! The part of `apply` and `conform` that renders: output checks (folders,
//! outputs that are inputs, temporaries left by renders that are gone),
//! backend, the pipeline, progress and the exit outcome.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use grade_engine::grade::Program;
use grade_engine::io::sequence::Pattern;
use grade_engine::io::{temporary, BitDepth, Endian, WriteOptions};
use grade_engine::render::{self, outputs, Backend, BackendChoice, FrameRecipe, JobOptions, Sink};

use crate::args::{BackendArg, DepthArg, EndianArg, OutputArgs, RunArgs};
use crate::progress::Reporter;
use crate::signals::Signals;
use crate::Outcome;

pub fn write_options(out: &OutputArgs) -> WriteOptions {
    WriteOptions {
        depth: out.depth.map(|d| match d {
            DepthArg::U8 => BitDepth::U8,
            DepthArg::U10 => BitDepth::U10,
            DepthArg::U12 => BitDepth::U12,
            DepthArg::U16 => BitDepth::U16,
            DepthArg::Half => BitDepth::Half,
            DepthArg::Float => BitDepth::Float,
        }),
        dpx_endian: Some(match out.dpx_endian {
            EndianArg::Big => Endian::Big,
            EndianArg::Little => Endian::Little,
        }),
        exr_compression: Some(out.exr_compression.clone()),
        alpha: None,
    }
}

pub fn backend_choice(b: BackendArg) -> BackendChoice {
    match b {
        BackendArg::Auto => BackendChoice::Auto,
        BackendArg::Gpu => BackendChoice::Gpu,
        BackendArg::Cpu => BackendChoice::Cpu,
    }
}

/// Checks (or with --create-dirs creates) every output folder and that it
/// can be written, before any frame is rendered: a farm task should fail at
/// once with exit 3, not after decoding its first frame.
pub fn prepare_output_dirs(recipes: &[FrameRecipe], out: &OutputArgs) -> Result<()> {
    let mut seen = std::collections::BTreeSet::new();
    for r in recipes {
        let dir = r
            .output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        if !seen.insert(dir.clone()) {
            continue;
        }
        if !dir.is_dir() {
            if out.create_dirs {
                std::fs::create_dir_all(&dir)
                    .map_err(|e| grade_engine::Error::write(&dir, e))
                    .context("cannot create the output folder")?;
            } else {
                return Err(grade_engine::Error::write(
                    &dir,
                    std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "output folder does not exist (use --create-dirs to create it)",
                    ),
                )
                .into());
            }
        }
        let probe = dir.join(format!(".grade-write-test-{}", std::process::id()));
        match std::fs::File::create(&probe) {
            Ok(_) => {
                let _ = std::fs::remove_file(&probe);
            }
            Err(e) => {
                return Err(grade_engine::Error::write(&dir, e))
                    .context("the output folder is not writable");
            }
        }
    }
    Ok(())
}

/// Renders `recipes` (the frames of the output `pattern`) graded by
/// `programs`, handing each written frame on to `sinks` (review movies,
/// QC, manifests) after the master; `shot_of(index)` labels progress.
pub fn render(
    recipes: &[FrameRecipe],
    pattern: &Pattern,
    programs: &[Program],
    (run, out): (&RunArgs, &OutputArgs),
    sinks: Vec<Arc<dyn Sink>>,
    shot_of: &dyn Fn(usize) -> String,
) -> Result<Outcome> {
    if let Some(n) = run.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("cannot start the worker threads")?;
    }
    if !out.overwrite_input {
        outputs::refuse_inputs(recipes)?;
    }
    prepare_output_dirs(recipes, out)?;
    let orphans = temporary::remove_orphans(pattern);
    let signals = Signals::install();
    let mut backend = Backend::new(backend_choice(run.backend), programs)?;
    let mut reporter = Reporter::new(run.progress, run.quiet, recipes.len());
    if let Some(note) = backend.note() {
        reporter.note(note);
    }
    if let Some(first) = orphans.first() {
        reporter.note(&format!(
            "removed {} temporary file{} left by renders that are gone (e.g. {})",
            orphans.len(),
            if orphans.len() == 1 { "" } else { "s" },
            first.display()
        ));
    }
    let opts = JobOptions {
        write: write_options(out),
        skip_existing: out.skip_existing,
        no_clobber: out.no_clobber,
        io_threads: 0,
        sinks,
    };
    let summary = render::run(recipes, &mut backend, &opts, &signals.cancel, |done| {
        let shot = shot_of(done.index);
        reporter.frame(&done, &shot);
    });
    let interrupted = signals.exit_code();
    reporter.finish(&summary, run.stats, interrupted.is_some());
    Ok(match interrupted {
        _ if summary.out_of_space.is_some() => Outcome::OutOfSpace,
        Some(code) => Outcome::Interrupted(code),
        None if summary.failed > 0 || !summary.sink_errors.is_empty() => Outcome::FramesFailed,
        None => Outcome::Ok,
    })
}

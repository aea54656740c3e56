//! The part of `apply` and `conform` that renders: the deliverables beside
//! the master (review movies, QC, the MHL seal; a farm chunk's staging),
//! output checks (folders, outputs that are inputs, temporaries left by
//! renders that are gone), backend, the pipeline, progress and the exit
//! outcome.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::ArgMatches;
use grade_engine::grade::Program;
use grade_engine::io::sequence::Pattern;
use grade_engine::io::{temporary, BitDepth, Endian, WriteOptions};
use grade_engine::render::{self, outputs, Backend, BackendChoice, FrameRecipe, JobOptions, Sink};

use grade_engine::timeline::Rate;

use crate::args::{BackendArg, DepthArg, EndianArg, OutputArgs, RunArgs};
use crate::deliver::{Deliver, DeliverArgs};
use crate::progress::Reporter;
use crate::review::{self, ReviewArgs};
use crate::signals::Signals;
use crate::stage::{self, Plan};
use crate::Outcome;

/// A job's flags that decide what it delivers besides the master.
pub struct Delivery<'a> {
    pub run: &'a RunArgs,
    pub out: &'a OutputArgs,
    pub review: &'a ReviewArgs,
    pub deliver: &'a DeliverArgs,
    /// `--ocio-config`, for a review transform that names a display.
    pub ocio_config: Option<&'a std::path::PathBuf>,
    pub matches: &'a ArgMatches,
    /// The output as the user wrote it.
    pub output: &'a str,
}

/// Renders `recipes` as [`render`] does, with the review movies, QC and
/// MHL seal the job asks for as sinks; a farm chunk with deliverables
/// stages them for `grade farm finalize` ([`crate::stage`]), and one that
/// is complete already renders nothing. `rate` gives the review movies'
/// rate; it is asked only when there is a movie.
pub fn render_delivering(
    d: &Delivery,
    (recipes, pattern, programs): (&[FrameRecipe], &Pattern, &[Program]),
    rate: &dyn Fn() -> Result<Rate>,
    shot_of: &dyn Fn(usize) -> String,
) -> Result<Outcome> {
    let stage = match stage::prepare(d.run, d.out, d.review, d.deliver, recipes)? {
        Plan::Done(dir) => {
            eprintln!(
                "grade: the chunk is complete already ({}): nothing to render",
                dir.display()
            );
            return Ok(Outcome::Ok);
        }
        Plan::Render(s) => Some(s),
        Plan::Plain => None,
    };
    let (review_args, out_args) = match &stage {
        Some(s) => (&s.review, &s.out),
        None => (d.review, d.out),
    };
    let deliver = Deliver::new(
        d.deliver,
        recipes,
        &write_options(d.out),
        d.output,
        stage.is_some(),
    )?;
    let movie_rate = if review_args.review.is_empty() {
        Rate::from_fps(24.0).ok_or_else(|| anyhow::anyhow!("no frame rate"))?
    } else {
        rate()?
    };
    let config = crate::steps::ocio_config_path(d.ocio_config);
    let mut sinks = review::sinks(
        review_args,
        d.matches,
        (movie_rate, d.deliver.version),
        out_args,
        config.as_deref(),
    )?;
    sinks.extend(deliver.sinks());
    let outcome = render(
        recipes,
        pattern,
        programs,
        (d.run, out_args),
        sinks,
        shot_of,
    )?;
    match &stage {
        Some(s) if matches!(outcome, Outcome::Ok) => s.finish(&deliver)?,
        Some(_) => {}
        None => deliver.print(d.run.quiet),
    }
    Ok(outcome)
}

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

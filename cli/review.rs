//! The review movie flags of `apply` and `conform`, turned into the
//! engine's review sinks ([`ReviewSink`]) before any frame renders: a bad
//! codec, format or burn-in token is exit 2 naming the flag, a missing
//! ffmpeg exit 3 naming it.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Result;
use clap::{ArgMatches, Args};
use grade_engine::grade::{Grade, Step};
use grade_engine::reformat::{Format, Reformat};
use grade_engine::render::Sink;
use grade_engine::review::burnin::Burnin;
use grade_engine::review::{Codec, ReviewMovie, ReviewSink};
use grade_engine::timeline::Rate;
use grade_engine::Error;

/// Review movies: ProRes or H.264 QuickTimes made in the same pass as the
/// master, encoded by ffmpeg.
#[derive(Debug, Clone, Default, Args)]
#[command(
    next_help_heading = "Review movies (encoded by ffmpeg in the same pass; \
    with --chunk each chunk stages a segment that `grade farm finalize` joins)"
)]
pub struct ReviewArgs {
    /// Also write a review movie (QuickTime .mov); repeatable.
    #[arg(long, value_name = "FILE.mov")]
    pub review: Vec<PathBuf>,
    /// prores-proxy, prores-lt, prores, prores-hq, prores-4444 or h264 [default: prores-hq].
    #[arg(long, value_name = "CODEC")]
    pub review_codec: Option<String>,
    /// The review's format (any --format value), fitted from the master's.
    #[arg(long, value_name = "FORMAT")]
    pub review_format: Option<String>,
    /// A LUT applied to the review only (after --review-format), in the order written with --review-transform.
    #[arg(long, value_name = "FILE")]
    pub review_lut: Vec<PathBuf>,
    /// A colour transform applied to the review only: built-in FROM:TO (see `grade transforms`),
    /// else OpenColorIO colour spaces FROM:TO or DISPLAY:VIEW:FROM of --ocio-config.
    #[arg(long, value_name = "FROM:TO")]
    pub review_transform: Vec<String>,
    /// Burn text into the review: POS:TEXT, POS one of tl tc tr bl bc br; tokens {tc} {src_tc}
    /// {frame} {rec_frame} {clip} {reel} {event} {shot} {version} {date} {track}.
    #[arg(long, value_name = "POS:TEXT")]
    pub burn: Vec<String>,
    /// A large, semi-transparent watermark across the review.
    #[arg(long, value_name = "TEXT")]
    pub watermark: Option<String>,
}

/// The review sinks the flags ask for (none without `--review`). `rate` is
/// the movie's rate; `--skip-existing` refuses the flags, since a movie
/// needs every frame of the run rendered; `--create-dirs` makes the movies'
/// folders.
pub fn sinks(
    a: &ReviewArgs,
    m: &ArgMatches,
    (rate, version): (Rate, Option<u32>),
    out: &crate::args::OutputArgs,
    ocio_config: Option<&std::path::Path>,
) -> Result<Vec<Arc<dyn Sink>>> {
    let usage = |msg: String| -> anyhow::Error { Error::Usage(msg).into() };
    if a.review.is_empty() {
        let given = a.review_codec.is_some()
            || a.review_format.is_some()
            || !a.review_lut.is_empty()
            || !a.review_transform.is_empty()
            || !a.burn.is_empty()
            || a.watermark.is_some();
        if given {
            return Err(usage(
                "the review flags (--review-codec, --review-format, --review-lut, \
                 --review-transform, --burn, --watermark) need --review FILE.mov"
                    .into(),
            ));
        }
        return Ok(Vec::new());
    }
    let create_dirs = out.create_dirs;
    if out.skip_existing {
        return Err(usage(
            "--review cannot be used with --skip-existing: a review movie needs every frame of the run rendered"
                .into(),
        ));
    }
    let codec = Codec::parse(a.review_codec.as_deref().unwrap_or("prores-hq"))?;
    let reformat = a
        .review_format
        .as_deref()
        .map(|f| {
            Format::parse(f)
                .map(Reformat::to)
                .map_err(|e| usage(format!("--review-format {f}: {e}")))
        })
        .transpose()?;
    let burnins = a
        .burn
        .iter()
        .map(|b| Burnin::parse(b))
        .collect::<grade_engine::Result<Vec<_>>>()?;
    let program = review_steps(a, m, ocio_config)?;
    let ffmpeg = grade_engine::review::ffmpeg::locate()?;
    let mut sinks: Vec<Arc<dyn Sink>> = Vec::new();
    for path in &a.review {
        if let Some(dir) = path
            .parent()
            .filter(|d| create_dirs && !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
        }
        let movie = ReviewMovie {
            path: path.clone(),
            codec,
            reformat: reformat.clone(),
            program: program.clone(),
            burnins: burnins.clone(),
            watermark: a.watermark.clone(),
            rate,
            version,
        };
        sinks.push(Arc::new(ReviewSink::with_ffmpeg(movie, ffmpeg.clone())?));
    }
    Ok(sinks)
}

/// `--review-lut` and `--review-transform` in the order written, compiled.
fn review_steps(
    a: &ReviewArgs,
    m: &ArgMatches,
    ocio_config: Option<&std::path::Path>,
) -> Result<Option<grade_engine::grade::Program>> {
    let indices =
        |id: &str| -> Vec<usize> { m.indices_of(id).map(|i| i.collect()).unwrap_or_default() };
    let mut steps: Vec<(usize, Step)> = Vec::new();
    for (i, path) in indices("review_lut").into_iter().zip(&a.review_lut) {
        steps.push((
            i,
            Step::File {
                path: path.clone(),
                select: None,
                interpolation: None,
                cdl_style: None,
                invert: false,
            },
        ));
    }
    for (i, spec) in indices("review_transform")
        .into_iter()
        .zip(&a.review_transform)
    {
        steps.push((i, crate::steps::transform_step(spec, ocio_config)?));
    }
    if steps.is_empty() {
        return Ok(None);
    }
    steps.sort_by_key(|(i, _)| *i);
    let grade = Grade {
        steps: steps.into_iter().map(|(_, s)| s).collect(),
    };
    Ok(Some(grade.compile()?.optimise()))
}

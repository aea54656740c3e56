//! A chunk of a farm job with deliverables (`--chunk K/N`, or `--stage`
//! for a task given its frames): the frames go to the output as always;
//! the review segments, the QC part and the hash list go to the chunk's
//! folder in the staging folder beside the output
//! (`grade_engine::farm::stage`), for `grade farm finalize`.
//!
//! A staged chunk renders every one of its frames, `--skip-existing` or
//! not: its review segment and QC statistics are made from the graded
//! frames in memory, as a single render makes them (a master read back is
//! quantized to its depth, so they would differ), and its digests from the
//! bytes as written; nothing is read back. A chunk already complete (its `part.json` written, its
//! frames on disk with the sizes and times recorded) is not rendered again
//! under `--skip-existing`; any other chunk starts by emptying its folder,
//! so what a killed run left is gone.

use std::path::{Path, PathBuf};

use anyhow::Result;
use grade_engine::farm::stage::{self, Part, ReviewPart, Slice};
use grade_engine::render::FrameRecipe;

use crate::args::{OutputArgs, RunArgs};
use crate::deliver::{Deliver, DeliverArgs};
use crate::review::ReviewArgs;

/// A staged chunk being rendered.
#[derive(Debug)]
pub struct Stage {
    /// The chunk's folder in the staging folder.
    pub dir: PathBuf,
    slice: Slice,
    frames: Vec<i64>,
    reviews: Vec<ReviewPart>,
    /// The review flags with each movie replaced by its segment.
    pub review: ReviewArgs,
    /// The output flags the chunk renders with (never skipping frames).
    pub out: OutputArgs,
}

/// What a staged run does.
pub enum Plan {
    /// Not a staged chunk: render as usual.
    Plain,
    /// The chunk is complete already (`--skip-existing`).
    Done(PathBuf),
    Render(Box<Stage>),
}

/// Whether this run is a staged chunk, and if so its folder, emptied.
pub fn prepare(
    run: &RunArgs,
    out: &OutputArgs,
    review: &ReviewArgs,
    deliver: &DeliverArgs,
    recipes: &[FrameRecipe],
) -> Result<Plan> {
    let deliverables = !review.review.is_empty()
        || deliver.qc.is_some()
        || !deliver.qc_fail.is_empty()
        || deliver.mhl;
    if !deliverables || (run.chunk.is_none() && !run.stage) {
        return Ok(Plan::Plain);
    }
    let frames: Vec<i64> = recipes.iter().map(|r| r.number).collect();
    let slice = match &run.chunk {
        Some(spec) => {
            let (k, n) = crate::frames::parse_chunk(spec)?;
            Slice::Chunk {
                k: k as u32,
                n: n as u32,
            }
        }
        None => Slice::Frames {
            first: frames.first().copied().unwrap_or(0),
            last: frames.last().copied().unwrap_or(0),
        },
    };
    let staging = stage::folder_of(&crate::deliver::common_folder(recipes));
    let dir = staging.join(slice.folder_name());
    if out.skip_existing && complete(&dir, &frames, recipes) {
        return Ok(Plan::Done(dir));
    }
    stage::fresh(&dir)?;
    let mut segments = review.clone();
    let mut reviews = Vec::new();
    for (i, movie) in review.review.iter().enumerate() {
        let segment = format!("review-{}.mov", i + 1);
        segments.review[i] = dir.join(&segment);
        reviews.push(ReviewPart {
            movie: movie.clone(),
            segment,
        });
    }
    let mut out = out.clone();
    out.skip_existing = false;
    Ok(Plan::Render(Box::new(Stage {
        dir,
        slice,
        frames,
        reviews,
        review: segments,
        out,
    })))
}

/// Whether the chunk's part is written for these frames and every master
/// it hashed is on disk as it was written.
fn complete(dir: &Path, frames: &[i64], recipes: &[FrameRecipe]) -> bool {
    let Ok(Some(part)) = Part::read(dir) else {
        return false;
    };
    if part.frames != frames || !recipes.iter().all(|r| r.output.is_file()) {
        return false;
    }
    part.hashes.iter().all(|h| {
        h.files
            .iter()
            .all(|(rel, f)| stage::size_and_time(&h.folder.join(rel)) == Some((f.size, f.modified)))
    })
}

impl Stage {
    /// Writes the chunk's `part.json` after every frame rendered.
    pub fn finish(&self, deliver: &Deliver) -> Result<()> {
        let (qc, hashes) = deliver.parts();
        Part {
            slice: self.slice,
            frames: self.frames.clone(),
            reviews: self.reviews.clone(),
            qc,
            hashes,
        }
        .write(&self.dir)?;
        eprintln!(
            "grade: chunk staged in {} for `grade farm finalize`",
            self.dir.display()
        );
        Ok(())
    }
}

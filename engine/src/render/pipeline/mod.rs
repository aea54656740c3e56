//! The three-stage streaming pipeline behind every render: the job's
//! options and summary and [`run`], which starts the stages and joins them.
//!
//! Each stage has its file: the reader threads (`read.rs`), the grade stage
//! (`grade.rs`, which composites a frame's layers through `../layers.rs`),
//! and the writer threads (`write.rs`, the master then the further sinks).

mod grade;
mod read;
mod write;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossbeam_channel::bounded;

use self::grade::grader;
use self::read::{reader, Readers};
use self::write::writer;
use super::outputs::FullVolume;
use super::pool::{CloseOnDrop, Pool, Slot};
use super::sink::Sink;
use super::{Backend, FrameRecipe};
use crate::io::WriteOptions;
use crate::reformat::PlanCache;
use crate::Error;

/// How to run a job.
#[derive(Debug, Clone, Default)]
pub struct JobOptions {
    pub write: WriteOptions,
    /// Leave outputs that already exist alone when they are whole frames of
    /// what the job writes ([`outputs::existing`]); render the others again.
    pub skip_existing: bool,
    /// Refuse to overwrite an existing output (the frame fails).
    pub no_clobber: bool,
    /// Reader and writer threads each; 0 picks from the core count.
    pub io_threads: usize,
    /// Further destinations of every graded frame, after the master file
    /// ([`Sink`]).
    pub sinks: Vec<Arc<dyn Sink>>,
}

/// Time spent in each stage, summed over frames.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct StageTimes {
    pub read: Duration,
    pub grade: Duration,
    pub upload: Duration,
    pub kernel: Duration,
    pub download: Duration,
    pub write: Duration,
}

impl StageTimes {
    fn add(&mut self, o: &StageTimes) {
        self.read += o.read;
        self.grade += o.grade;
        self.upload += o.upload;
        self.kernel += o.kernel;
        self.download += o.download;
        self.write += o.write;
    }
}

#[derive(Debug)]
pub enum FrameOutcome {
    Written,
    Skipped,
    Failed(Error),
}

/// Reported once per finished frame, in completion order.
#[derive(Debug)]
pub struct FrameDone<'a> {
    pub index: usize,
    pub recipe: &'a FrameRecipe,
    pub outcome: FrameOutcome,
    /// Why the output found under `--skip-existing` was rendered again.
    pub warning: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RenderSummary {
    pub frames: usize,
    pub written: usize,
    pub skipped: usize,
    pub failed: usize,
    /// Frames never started because the job was cancelled (or stopped by a
    /// full output volume).
    pub cancelled: usize,
    /// Outputs found under `--skip-existing` that were not whole frames of
    /// the job, and were rendered again.
    pub rerendered: usize,
    /// The output volume that filled up (`MOUNT (TYPE)`): the job stopped
    /// claiming frames at the first write that found it full.
    pub out_of_space: Option<String>,
    pub elapsed: Duration,
    pub stages: StageTimes,
    pub backend: String,
    /// What went wrong when a sink finished ([`Sink::finish`]), one line
    /// per sink; any makes the job fail.
    pub sink_errors: Vec<String>,
}

/// A claimed frame on its way from a reader to the grade stage.
struct Decoded<'p> {
    index: usize,
    read: Read<'p>,
    times: StageTimes,
}

enum Read<'p> {
    /// Read into its slot, ready to grade.
    Frame(Slot<'p>),
    Failed(Error),
    /// Left alone (`--skip-existing`).
    Skipped,
}

/// A graded frame on its way to a writer.
struct Graded<'p> {
    index: usize,
    slot: Slot<'p>,
    times: StageTimes,
}

/// Frames in flight for `io_threads` readers and as many writers: one in
/// each reader and writer, one being graded and one waiting to be, so that
/// every stage can stay busy.
pub fn frames_in_flight(io_threads: usize) -> usize {
    2 * io_threads + 2
}

/// Renders `recipes` with `backend`. `cancel` stops the job between frames:
/// frames in hand are finished, no new ones start; a write that finds the
/// output volume full sets it too. `on_frame` is called on the caller's
/// thread for each finished frame.
///
/// At most [`frames_in_flight`] frames (plus one more for each further frame
/// the GPU holds: one with its two in flight) are in memory at once: each one is
/// read into a slot of a fixed [`Pool`] taken before its number is claimed
/// and given back when it is written or has failed. Frames are graded and
/// handed to the writers in job order.
pub fn run(
    recipes: &[FrameRecipe],
    backend: &mut Backend,
    opts: &JobOptions,
    cancel: &AtomicBool,
    mut on_frame: impl FnMut(FrameDone<'_>),
) -> RenderSummary {
    let start = Instant::now();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let io_threads = if opts.io_threads == 0 {
        cores.clamp(1, 4)
    } else {
        opts.io_threads
    };
    // A GPU holding several frames at once gets a slot for each.
    let pool = Pool::new(frames_in_flight(io_threads) + backend.frames_in_flight() - 1);
    let next = AtomicUsize::new(0);
    let plans = PlanCache::default();
    let stages = Mutex::new(StageTimes::default());
    let (decoded_tx, decoded_rx) = bounded::<Decoded<'_>>(2);
    let (graded_tx, graded_rx) = bounded::<Graded<'_>>(2);
    let (done_tx, done_rx) = bounded::<(usize, FrameOutcome)>(64);
    // Why a reader renders an existing output again, by frame index.
    let warnings = Mutex::new(HashMap::new());
    let full = FullVolume::default();
    let mut summary = RenderSummary {
        frames: recipes.len(),
        backend: backend.describe(),
        ..Default::default()
    };

    let readers = Readers {
        pool: &pool,
        plans: &plans,
        next: &next,
        warnings: &warnings,
    };
    std::thread::scope(|s| {
        for _ in 0..io_threads {
            let decoded_tx = decoded_tx.clone();
            s.spawn(move || reader(recipes, opts, &readers, cancel, &decoded_tx));
        }
        drop(decoded_tx);
        for _ in 0..io_threads {
            let graded_rx = graded_rx.clone();
            let done_tx = done_tx.clone();
            let (stages, full) = (&stages, &full);
            s.spawn(move || writer(recipes, opts, &graded_rx, &done_tx, stages, (full, cancel)));
        }
        drop(graded_rx);
        {
            let done_tx = done_tx.clone();
            let backend = &mut *backend;
            let (stages, pool) = (&stages, &pool);
            s.spawn(move || {
                // Once grading stops no slot comes back through the writers:
                // readers still waiting for one must not wait forever.
                let _close = CloseOnDrop(pool);
                grader(recipes, backend, &decoded_rx, &graded_tx, &done_tx, stages)
            });
        }
        drop(done_tx);
        for (index, outcome) in done_rx.iter() {
            match outcome {
                FrameOutcome::Written => summary.written += 1,
                FrameOutcome::Skipped => summary.skipped += 1,
                FrameOutcome::Failed(_) => summary.failed += 1,
            }
            if !matches!(outcome, FrameOutcome::Written) {
                for sink in &opts.sinks {
                    sink.missing(index);
                }
            }
            let warning = lock(&warnings).remove(&index);
            summary.rerendered += usize::from(warning.is_some());
            on_frame(FrameDone {
                index,
                recipe: &recipes[index],
                outcome,
                warning,
            });
        }
    });
    summary.cancelled = recipes.len() - summary.written - summary.skipped - summary.failed;
    summary.elapsed = start.elapsed();
    summary.stages = *lock(&stages);
    summary.out_of_space = full.into_volume();
    for sink in &opts.sinks {
        if let Err(e) = sink.finish(&summary) {
            summary.sink_errors.push(e.to_string());
        }
    }
    summary
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn add_times(stages: &Mutex<StageTimes>, times: &StageTimes) {
    lock(stages).add(times);
}

#[cfg(test)]
mod tests;

//! The three-stage streaming pipeline behind every render.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, Receiver, Sender, TryRecvError};

use super::backend::InFlight;
use super::layers::{grade_and_mix, read_layers};
use super::outputs::{self, Existing, FullVolume};
use super::pool::{Buffers, CloseOnDrop, Pool, Slot};
use super::sink::{FileSink, Sink};
use super::{Backend, FrameRecipe, Layer};
use crate::io::WriteOptions;
use crate::reformat::PlanCache;
use crate::{Error, Frame};

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

/// What the reader threads share: the frame slots, the reformat plans, the
/// next frame number to claim, and the warnings of frames rendered again.
#[derive(Clone, Copy)]
struct Readers<'a, 'p> {
    pool: &'p Pool,
    plans: &'a PlanCache,
    next: &'a AtomicUsize,
    warnings: &'a Mutex<HashMap<usize, String>>,
}

/// Takes a slot, then claims the next frame number and reads it. The slot
/// comes first: a claimed frame always has its memory, so the grade stage,
/// which waits for frames in order, never waits for one whose reader waits
/// for a slot. Every claimed number is sent on, read or not, so the grade
/// stage's order never has a hole. Under `--skip-existing` an output that
/// is not a whole frame of the job is rendered again, and `warnings` says
/// why.
fn reader<'p>(
    recipes: &[FrameRecipe],
    opts: &JobOptions,
    shared: &Readers<'_, 'p>,
    cancel: &AtomicBool,
    out: &Sender<Decoded<'p>>,
) {
    let Readers {
        pool,
        plans,
        next,
        warnings,
    } = *shared;
    // A slot not used by a skipped or failed frame serves the next one.
    let mut spare: Option<Slot<'p>> = None;
    loop {
        if cancel.load(Ordering::SeqCst) {
            return;
        }
        let mut slot = match spare.take() {
            Some(slot) => slot,
            None => match pool.take() {
                Some(slot) => slot,
                None => return,
            },
        };
        // Taking a slot can wait for a while: look again.
        if cancel.load(Ordering::SeqCst) {
            return;
        }
        let index = next.fetch_add(1, Ordering::SeqCst);
        let Some(recipe) = recipes.get(index) else {
            return;
        };
        let mut times = StageTimes::default();
        let existing = if opts.skip_existing {
            outputs::existing(recipe, &opts.write)
        } else {
            Existing::Absent
        };
        if let Existing::Broken(why) = &existing {
            lock(warnings).insert(index, why.clone());
        }
        let read = if existing == Existing::Whole {
            spare = Some(slot);
            Read::Skipped
        } else if opts.no_clobber && recipe.output.exists() {
            spare = Some(slot);
            Read::Failed(Error::write(
                &recipe.output,
                std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "output exists and --no-clobber is set",
                ),
            ))
        } else {
            let t = Instant::now();
            let r = read_layers(recipe, &mut slot, plans);
            times.read = t.elapsed();
            match r {
                Ok(()) => Read::Frame(slot),
                Err(e) => {
                    spare = Some(slot);
                    Read::Failed(e)
                }
            }
        };
        if out.send(Decoded { index, read, times }).is_err() {
            return;
        }
    }
}

/// Grades frames in job order (readers finish out of order; the few that
/// arrive early wait here, each in its slot) and passes them to the writers.
///
/// On the GPU a single-layer frame is submitted and collected later, with
/// up to [`Backend::frames_in_flight`] frames on the GPU: the next frame's
/// upload and kernel run while this thread copies out the previous one.
/// Frames are still collected and passed on in job order; a frame that
/// needs another program, a mix, or more than one GPU pass first waits for
/// every frame in flight, then is graded on its own.
fn grader<'p>(
    recipes: &[FrameRecipe],
    backend: &mut Backend,
    input: &Receiver<Decoded<'p>>,
    out: &Sender<Graded<'p>>,
    done: &Sender<(usize, FrameOutcome)>,
    stages: &Mutex<StageTimes>,
) {
    let mut g = Grader {
        recipes,
        backend,
        out,
        done,
        stages,
        gpu: VecDeque::new(),
        scratch: Vec::new(),
    };
    let mut early = BTreeMap::new();
    let mut next = 0;
    loop {
        let d = match input.try_recv() {
            Ok(d) => d,
            Err(TryRecvError::Empty) => {
                // Nothing new to submit: finish a frame on the GPU rather
                // than keep it (and its slot) waiting.
                if !g.gpu.is_empty() {
                    if !g.collect_oldest() {
                        return;
                    }
                    continue;
                }
                match input.recv() {
                    Ok(d) => d,
                    Err(_) => break,
                }
            }
            Err(TryRecvError::Disconnected) => break,
        };
        early.insert(d.index, d);
        while let Some(d) = early.remove(&next) {
            next += 1;
            if !g.grade(d) {
                return;
            }
        }
    }
    // Every claimed number was sent, so nothing should be left; if something
    // is, it still gets graded, in order.
    for d in early.into_values() {
        if !g.grade(d) {
            return;
        }
    }
    g.drain();
}

/// A frame on the GPU, waiting to be collected.
struct OnGpu<'p> {
    index: usize,
    slot: Slot<'p>,
    times: StageTimes,
    frame: InFlight,
}

/// The grade stage's state.
struct Grader<'a, 'p> {
    recipes: &'a [FrameRecipe],
    backend: &'a mut Backend,
    out: &'a Sender<Graded<'p>>,
    done: &'a Sender<(usize, FrameOutcome)>,
    stages: &'a Mutex<StageTimes>,
    /// Frames submitted to the GPU, oldest first.
    gpu: VecDeque<OnGpu<'p>>,
    /// A spare frame buffer that reformatted frames are written into and
    /// swapped with the slot's.
    scratch: Vec<f32>,
}

impl<'p> Grader<'_, 'p> {
    /// Grades (or submits) the next frame in job order. False once the
    /// writers have gone.
    fn grade(&mut self, d: Decoded<'p>) -> bool {
        let Decoded {
            index,
            read,
            mut times,
        } = d;
        let recipe = &self.recipes[index];
        let mut slot = match read {
            Read::Frame(slot) => slot,
            Read::Failed(e) => return self.finish(index, times, FrameOutcome::Failed(e)),
            Read::Skipped => return self.finish(index, times, FrameOutcome::Skipped),
        };
        let single = match recipe.layers.as_slice() {
            [(Layer::Source { program, .. }, _)] => Some(*program),
            _ => None,
        };
        let floats = slot.frame.pixel_count() * 4;
        // A single layer goes to the GPU whole: its reformat too, where the
        // GPU can do it in one pass (uploaded at the source size, read back
        // at the output size).
        let read = slot.layers.first().cloned();
        let pipelined = single
            .zip(read)
            .and_then(|(program, read)| match read.reformat {
                None => (slot.frame.pixels.len() == floats && self.backend.pipelines(floats))
                    .then_some((program, None)),
                Some((plan, order)) => self
                    .backend
                    .pipelines_reformat(&plan, order)
                    .then_some((program, Some((plan, order, read.width, read.height)))),
            });
        let Some((program, reformat)) = pipelined else {
            // Graded on its own, after every frame before it.
            if !self.drain() {
                return false;
            }
            let t = Instant::now();
            let graded = grade_and_mix(
                recipe,
                &mut slot,
                self.backend,
                &mut self.scratch,
                &mut times,
            );
            times.grade += t.elapsed();
            return match graded {
                Ok(()) => {
                    set_meta(recipe, &mut slot.frame);
                    self.pass_on(index, slot, times)
                }
                Err(e) => {
                    drop(slot);
                    self.finish(index, times, FrameOutcome::Failed(e))
                }
            };
        };
        // The GPU holds one grade at a time: another program waits for the
        // frames of this one.
        if self.backend.loaded_program() != Some(program) && !self.drain() {
            return false;
        }
        while self.gpu.len() >= self.backend.frames_in_flight() {
            if !self.collect_oldest() {
                return false;
            }
        }
        let started = Instant::now();
        let pixels = std::mem::take(&mut slot.frame.pixels);
        let (w, h) = (slot.frame.width, slot.frame.height);
        let submitted = match &reformat {
            None => self.backend.submit(program, None, pixels, w, h, &mut times),
            Some((plan, order, sw, sh)) => {
                self.backend
                    .submit(program, Some((plan, *order)), pixels, *sw, *sh, &mut times)
            }
        };
        match submitted {
            Ok(frame) => {
                times.grade += started.elapsed();
                self.gpu.push_back(OnGpu {
                    index,
                    slot,
                    times,
                    frame,
                });
                true
            }
            Err(e) => {
                times.grade += started.elapsed();
                drop(slot);
                self.finish(index, times, FrameOutcome::Failed(e))
            }
        }
    }

    /// Collects the oldest frame on the GPU and passes it on.
    fn collect_oldest(&mut self) -> bool {
        let Some(OnGpu {
            index,
            mut slot,
            mut times,
            frame,
        }) = self.gpu.pop_front()
        else {
            return true;
        };
        let t = Instant::now();
        let collected = self.backend.collect(frame, &mut times);
        // Time on the GPU hidden behind other work is not the grade
        // stage's: only the wait in collect counts.
        times.grade += t.elapsed();
        match collected {
            Ok(pixels) => {
                slot.frame.pixels = pixels;
                set_meta(&self.recipes[index], &mut slot.frame);
                self.pass_on(index, slot, times)
            }
            Err(e) => {
                drop(slot);
                self.finish(index, times, FrameOutcome::Failed(e))
            }
        }
    }

    /// Collects every frame on the GPU, in order.
    fn drain(&mut self) -> bool {
        while !self.gpu.is_empty() {
            if !self.collect_oldest() {
                return false;
            }
        }
        true
    }

    fn pass_on(&mut self, index: usize, slot: Slot<'p>, times: StageTimes) -> bool {
        self.out.send(Graded { index, slot, times }).is_ok()
    }

    /// Reports a frame that goes no further than the grade stage.
    fn finish(&mut self, index: usize, times: StageTimes, outcome: FrameOutcome) -> bool {
        add_times(self.stages, &times);
        let _ = self.done.send((index, outcome));
        true
    }
}

fn add_times(stages: &Mutex<StageTimes>, times: &StageTimes) {
    lock(stages).add(times);
}

/// Sets the header fields the recipe gives on the graded frame, and names
/// grade as its creator (the source's writer did not make this file).
fn set_meta(recipe: &FrameRecipe, frame: &mut Frame) {
    let m = &recipe.meta;
    let meta = &mut frame.meta;
    meta.creator = Some(crate::CREATOR.to_string());
    if m.timecode.is_some() {
        meta.timecode = m.timecode;
    }
    if m.fps.is_some() {
        meta.fps = m.fps;
    }
    if m.reel.is_some() {
        meta.reel = m.reel.clone();
    }
    if m.project.is_some() {
        meta.project = m.project.clone();
    }
    if m.source_file.is_some() {
        meta.source_file = m.source_file.clone();
    }
    if m.user_bits.is_some() {
        meta.user_bits = m.user_bits;
    }
    for (k, v) in &m.extra {
        meta.extra.insert(k.clone(), v.clone());
    }
}

/// Writes graded frames. The first write that finds the volume full stops
/// the job claiming frames (`stop`: the volume, and the job's cancel flag);
/// the frames in hand are still written or fail whole.
fn writer(
    recipes: &[FrameRecipe],
    opts: &JobOptions,
    input: &Receiver<Graded<'_>>,
    done: &Sender<(usize, FrameOutcome)>,
    stages: &Mutex<StageTimes>,
    stop: (&FullVolume, &AtomicBool),
) {
    for g in input.iter() {
        let Graded {
            index,
            mut slot,
            mut times,
        } = g;
        let t = Instant::now();
        let Buffers { frame, bytes, .. } = &mut *slot;
        let recipe = &recipes[index];
        let master = FileSink { write: &opts.write };
        let r = master.write(index, recipe, frame, bytes).and_then(|()| {
            opts.sinks
                .iter()
                .try_for_each(|sink| sink.write(index, recipe, frame, bytes))
        });
        times.write = t.elapsed();
        // The slot goes back before the frame is reported, so a reader can
        // start on the next frame at once.
        drop(slot);
        let outcome = match r {
            Ok(()) => FrameOutcome::Written,
            Err(e) => {
                stop.0.check(&e, &recipes[index].output, stop.1);
                FrameOutcome::Failed(e)
            }
        };
        add_times(stages, &times);
        let _ = done.send((index, outcome));
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;
    use crate::grade::Program;
    use crate::io;
    use crate::render::BackendChoice;
    use crate::testcard::test_card;
    use crate::Metadata;

    fn programs() -> Vec<Program> {
        super::tests_programs()
    }

    fn source(dir: &Path, n: i64, (w, h): (u32, u32)) -> PathBuf {
        let path = dir.join(format!("s.{n}.dpx"));
        io::write_frame(
            &path,
            &test_card(w, h, n, [1.0, 0.9, 0.8]),
            &Default::default(),
        )
        .unwrap();
        path
    }

    fn recipe(output: PathBuf, layers: Vec<(Layer, f32)>) -> FrameRecipe {
        FrameRecipe {
            number: 0,
            output,
            layers,
            black_size: (128, 40),
            meta: Metadata::default(),
        }
    }

    /// Runs a job on its own thread; a job that never ends (a slot that was
    /// never given back) fails the test instead of hanging it.
    fn run_job(
        recipes: Vec<FrameRecipe>,
        opts: JobOptions,
        cancel_after: Option<usize>,
    ) -> RenderSummary {
        run_job_on(BackendChoice::Cpu, recipes, opts, cancel_after)
    }

    fn run_job_on(
        choice: BackendChoice,
        recipes: Vec<FrameRecipe>,
        opts: JobOptions,
        cancel_after: Option<usize>,
    ) -> RenderSummary {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut backend = Backend::new(choice, &programs()).unwrap();
            let cancel = AtomicBool::new(false);
            let mut seen = 0;
            let summary = run(&recipes, &mut backend, &opts, &cancel, |_| {
                seen += 1;
                if Some(seen) == cancel_after {
                    cancel.store(true, Ordering::SeqCst);
                }
            });
            let _ = tx.send(summary);
        });
        rx.recv_timeout(Duration::from_secs(300))
            .expect("the job did not finish: a frame slot was never given back")
    }

    /// A job with every way a frame can end (written, read error, write
    /// error, skipped, black gap, dissolve, mismatched dissolve) on a pool
    /// of 4 slots, 60 frames long: a slot kept by any path would stall it.
    /// Every written frame is then rendered again alone, and must come out
    /// byte for byte the same: reused buffers carry nothing across frames.
    #[test]
    fn every_way_a_frame_ends_gives_back_its_slot() {
        let tmp = tempfile::tempdir().unwrap();
        let (src, out, alone) = (tmp.path(), tmp.path().join("out"), tmp.path().join("alone"));
        std::fs::create_dir(&out).unwrap();
        std::fs::create_dir(&alone).unwrap();
        let big = source(src, 1, (128, 40));
        let other = source(src, 2, (128, 40));
        let small = source(src, 3, (112, 36));
        let done_before = source(src, 4, (128, 40));
        let layer = |p: &PathBuf, program| Layer::Source {
            path: p.clone(),
            program,
            reformat: None,
        };
        let (mut recipes, mut expect) = (Vec::new(), (0, 0, 0));
        for i in 0..60 {
            let name = format!("o.{i}.dpx");
            let (r, written) = match i % 7 {
                0 => (recipe(out.join(&name), vec![(layer(&big, 0), 1.0)]), true),
                1 => (
                    recipe(
                        out.join(&name),
                        vec![(layer(&src.join("none.dpx"), 0), 1.0)],
                    ),
                    false,
                ),
                2 => (
                    recipe(src.join("missing").join(&name), vec![(layer(&big, 1), 1.0)]),
                    false,
                ),
                3 => {
                    // A whole frame of this job's kind is skipped.
                    std::fs::copy(&done_before, out.join(&name)).unwrap();
                    expect.2 += 1;
                    (recipe(out.join(&name), vec![(layer(&big, 0), 1.0)]), false)
                }
                4 => (recipe(out.join(&name), vec![]), true),
                5 => {
                    let second = if i % 2 == 0 { &other } else { &small };
                    let r = recipe(
                        out.join(&name),
                        vec![(layer(&big, 0), 0.3), (layer(second, 1), 0.7)],
                    );
                    (r, second == &other)
                }
                _ => (
                    // The black layer takes the size of the first.
                    recipe(
                        out.join(&name),
                        vec![(layer(&small, 1), 0.5), (Layer::Black, 0.5)],
                    ),
                    true,
                ),
            };
            if written {
                expect.0 += 1;
            } else if i % 7 != 3 {
                expect.1 += 1;
            }
            recipes.push(r);
        }
        let opts = JobOptions {
            skip_existing: true,
            io_threads: 1,
            ..Default::default()
        };
        assert_eq!(frames_in_flight(1), 4);
        let summary = run_job(recipes.clone(), opts.clone(), None);
        assert_eq!(
            (
                summary.written,
                summary.failed,
                summary.skipped,
                summary.cancelled
            ),
            (expect.0, expect.1, expect.2, 0)
        );
        for r in &recipes {
            let Ok(bytes) = std::fs::read(&r.output) else {
                continue;
            };
            if bytes == std::fs::read(&done_before).unwrap() {
                continue;
            }
            let mut lone = r.clone();
            lone.output = alone.join(r.output.file_name().unwrap());
            let s = run_job(vec![lone.clone()], opts.clone(), None);
            assert_eq!(s.written, 1);
            assert!(
                std::fs::read(&lone.output).unwrap() == bytes,
                "{} differs when rendered alone",
                r.output.display()
            );
        }
    }

    /// Cancelling stops new frames; the frames in hand are written whole and
    /// no temporary file is left.
    #[test]
    fn cancel_finishes_the_frames_in_hand() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let src = source(tmp.path(), 1, (128, 40));
        let recipes: Vec<_> = (0..40)
            .map(|i| {
                let layers = vec![(
                    Layer::Source {
                        path: src.clone(),
                        program: 0,
                        reformat: None,
                    },
                    1.0,
                )];
                recipe(out.join(format!("o.{i}.dpx")), layers)
            })
            .collect();
        let opts = JobOptions {
            io_threads: 2,
            ..Default::default()
        };
        let summary = run_job(recipes, opts, Some(1));
        assert!(summary.written >= 1 && summary.written < 40, "{summary:?}");
        assert_eq!(summary.written + summary.cancelled, 40);
        assert_eq!(summary.failed, 0);
        let names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), summary.written);
        assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
        for n in names {
            io::read_frame(&out.join(n)).unwrap();
        }
    }

    /// On the GPU, single-layer frames are submitted and collected with two
    /// in flight. A job of distinct frames, switching program every few
    /// frames, with a dissolve, a failed read and a mix that reduces to one
    /// layer (graded synchronously) in between, must give every frame the
    /// bytes it gets when rendered alone, and the synchronous path the same
    /// bytes as the pipelined one.
    #[cfg(feature = "gpu")]
    #[test]
    fn gpu_frames_in_flight_keep_their_own_pixels() {
        if let Err(e) = Backend::new(BackendChoice::Gpu, &programs()) {
            if crate::testutil::in_ci() {
                panic!("{e}; under CI=true a missing GPU adapter is a failure, not a skip");
            }
            eprintln!("skipped: {e}");
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let (src, out, alone) = (tmp.path(), tmp.path().join("out"), tmp.path().join("alone"));
        std::fs::create_dir(&out).unwrap();
        std::fs::create_dir(&alone).unwrap();
        let sources: Vec<PathBuf> = (0..8).map(|n| source(src, n, (96, 30))).collect();
        let layer = |n: usize, program| Layer::Source {
            path: sources[n % sources.len()].clone(),
            program,
            reformat: None,
        };
        let mut recipes = Vec::new();
        for i in 0..30 {
            let o = out.join(format!("o.{i}.dpx"));
            let program = (i / 3) % 2;
            let layers = match i % 10 {
                4 => vec![(layer(i, 0), 0.4), (layer(i + 1, 1), 0.6)],
                7 => vec![(
                    Layer::Source {
                        path: src.join("none.dpx"),
                        program,
                        reformat: None,
                    },
                    1.0,
                )],
                // The frame of i - 1 (same source and program), through the
                // synchronous path.
                9 => vec![(layer(i - 1, (i - 1) / 3 % 2), 1.0), (layer(i, 1), 0.0)],
                _ => vec![(layer(i, program), 1.0)],
            };
            recipes.push(recipe(o, layers));
        }
        let opts = JobOptions {
            io_threads: 2,
            ..Default::default()
        };
        let summary = run_job_on(BackendChoice::Gpu, recipes.clone(), opts.clone(), None);
        assert_eq!((summary.written, summary.failed), (27, 3), "{summary:?}");
        for (i, r) in recipes.iter().enumerate() {
            let Ok(bytes) = std::fs::read(&r.output) else {
                assert_eq!(i % 10, 7, "frame {i} missing");
                continue;
            };
            let mut lone = r.clone();
            lone.output = alone.join(r.output.file_name().unwrap());
            let s = run_job_on(BackendChoice::Gpu, vec![lone.clone()], opts.clone(), None);
            assert_eq!(s.written, 1);
            assert!(
                std::fs::read(&lone.output).unwrap() == bytes,
                "frame {i} differs when rendered alone"
            );
            if i % 10 == 9 {
                // The header names its own file: compare the pixels.
                let bits = |p: &Path| -> Vec<u32> {
                    let f = io::read_frame(p).unwrap();
                    f.pixels.iter().map(|v| v.to_bits()).collect()
                };
                assert!(
                    bits(&recipes[i - 1].output) == bits(&r.output),
                    "frame {i} (graded synchronously) differs from frame {} (pipelined)",
                    i - 1
                );
            }
        }
    }
}

#[cfg(test)]
mod reformat_tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::io::{self, BitDepth};
    use crate::reformat::{Format, Order, Reformat};
    use crate::render::BackendChoice;
    use crate::testcard::test_card;
    use crate::Metadata;

    fn source(dir: &Path, name: &str, (w, h): (u32, u32)) -> PathBuf {
        let path = dir.join(name);
        io::write_frame(
            &path,
            &test_card(w, h, 3, [1.0, 0.9, 0.8]),
            &Default::default(),
        )
        .unwrap();
        path
    }

    /// Sources of two sizes reformatted to one output size, alone (the GPU
    /// pipelines these), rotated, after the grade, and dissolved into each
    /// other and into black: every frame has the output size, and the GPU's
    /// frames are the CPU's, to the bit.
    #[test]
    fn layers_of_two_sizes_reformat_to_one_on_both_backends() {
        let tmp = tempfile::tempdir().unwrap();
        let a = source(tmp.path(), "a.dpx", (128, 40));
        let b = source(tmp.path(), "b.dpx", (96, 54));
        let to = Reformat::to(Format::parse("64x36").unwrap());
        let after = Reformat {
            order: Order::AfterGrade,
            ..to.clone()
        };
        let layer = |p: &PathBuf, program, r: &Reformat| Layer::Source {
            path: p.clone(),
            program,
            reformat: Some(r.clone()),
        };
        // A rotation is resampled on the CPU whatever the backend.
        let mut turned = to.clone();
        turned.reposition.rotate = 10.0;
        let mixes = [
            vec![(layer(&a, 0, &to), 1.0)],
            vec![(layer(&b, 1, &turned), 1.0)],
            vec![(layer(&b, 1, &after), 1.0)],
            vec![(layer(&a, 0, &to), 0.4), (layer(&b, 1, &to), 0.6)],
            vec![(layer(&b, 0, &after), 0.5), (Layer::Black, 0.5)],
        ];
        let opts = JobOptions {
            io_threads: 2,
            write: WriteOptions {
                depth: Some(BitDepth::Float),
                ..Default::default()
            },
            ..Default::default()
        };
        let mut outputs = Vec::new();
        for choice in [BackendChoice::Cpu, BackendChoice::Gpu] {
            let dir = tmp.path().join(format!("{choice:?}"));
            std::fs::create_dir(&dir).unwrap();
            let recipes: Vec<FrameRecipe> = mixes
                .iter()
                .enumerate()
                .map(|(i, layers)| FrameRecipe {
                    number: i as i64,
                    output: dir.join(format!("o.{i}.exr")),
                    layers: layers.clone(),
                    black_size: (64, 36),
                    meta: Metadata::default(),
                })
                .collect();
            let mut backend = match Backend::new(choice, &super::tests_programs()) {
                Ok(b) => b,
                Err(e) if choice == BackendChoice::Gpu && !crate::testutil::in_ci() => {
                    eprintln!("skipped the GPU: {e}");
                    continue;
                }
                Err(e) => panic!("{e}"),
            };
            let cancel = AtomicBool::new(false);
            let summary = run(&recipes, &mut backend, &opts, &cancel, |_| {});
            assert_eq!(summary.written, 5, "{choice:?}: {summary:?}");
            let frames: Vec<Frame> = recipes
                .iter()
                .map(|r| io::read_frame(&r.output).unwrap())
                .collect();
            for f in &frames {
                assert_eq!((f.width, f.height), (64, 36));
            }
            outputs.push(frames);
        }
        if let [cpu, gpu] = outputs.as_slice() {
            for (i, (c, g)) in cpu.iter().zip(gpu).enumerate() {
                let bits = |f: &Frame| f.pixels.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert!(
                    bits(c) == bits(g),
                    "frame {i}: the GPU differs from the CPU"
                );
            }
        }
    }
}

#[cfg(test)]
fn tests_programs() -> Vec<crate::grade::Program> {
    use crate::grade::{samples, Op, Program};
    use crate::ops::cdl::CdlStyle;
    use crate::ops::Direction;
    let cdl = |style| Program {
        ops: vec![Op::Cdl(samples::cdl(style, Direction::Forward))],
    };
    vec![cdl(CdlStyle::Asc), cdl(CdlStyle::NoClamp)]
}

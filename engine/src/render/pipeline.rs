//! The three-stage streaming pipeline behind every render.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, Receiver, Sender};

use super::{Backend, FrameRecipe, Layer};
use crate::io::{self, WriteOptions};
use crate::{Error, Frame, Result};

/// How to run a job.
#[derive(Debug, Clone, Default)]
pub struct JobOptions {
    pub write: WriteOptions,
    /// Leave outputs that already exist alone (they are complete: every
    /// output is written by an atomic rename).
    pub skip_existing: bool,
    /// Refuse to overwrite an existing output (the frame fails).
    pub no_clobber: bool,
    /// Reader and writer threads each; 0 picks from the core count.
    pub io_threads: usize,
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
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RenderSummary {
    pub frames: usize,
    pub written: usize,
    pub skipped: usize,
    pub failed: usize,
    /// Frames never started because the job was cancelled.
    pub cancelled: usize,
    pub elapsed: Duration,
    pub stages: StageTimes,
    pub backend: String,
}

struct Decoded {
    index: usize,
    frame: Result<Frame>,
    times: StageTimes,
}

/// Renders `recipes` with `backend`. `cancel` stops the job between frames:
/// frames in hand are finished, no new ones start. `on_frame` is called on
/// the caller's thread for each finished frame.
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
    let next = AtomicUsize::new(0);
    let stages = Mutex::new(StageTimes::default());
    let (decoded_tx, decoded_rx) = bounded::<Decoded>(2);
    let (graded_tx, graded_rx) = bounded::<Decoded>(2);
    let (done_tx, done_rx) = bounded::<(usize, FrameOutcome)>(64);
    let mut summary = RenderSummary {
        frames: recipes.len(),
        backend: backend.describe(),
        ..Default::default()
    };

    std::thread::scope(|s| {
        for _ in 0..io_threads {
            let decoded_tx = decoded_tx.clone();
            let done_tx = done_tx.clone();
            let next = &next;
            s.spawn(move || reader(recipes, opts, next, cancel, &decoded_tx, &done_tx));
        }
        drop(decoded_tx);
        for _ in 0..io_threads {
            let graded_rx = graded_rx.clone();
            let done_tx = done_tx.clone();
            let stages = &stages;
            s.spawn(move || writer(recipes, opts, &graded_rx, &done_tx, stages));
        }
        drop(graded_rx);
        {
            let done_tx = done_tx.clone();
            let backend = &mut *backend;
            let stages = &stages;
            s.spawn(move || grader(recipes, backend, &decoded_rx, &graded_tx, &done_tx, stages));
        }
        drop(done_tx);
        for (index, outcome) in done_rx.iter() {
            match outcome {
                FrameOutcome::Written => summary.written += 1,
                FrameOutcome::Skipped => summary.skipped += 1,
                FrameOutcome::Failed(_) => summary.failed += 1,
            }
            on_frame(FrameDone {
                index,
                recipe: &recipes[index],
                outcome,
            });
        }
    });
    summary.cancelled = recipes.len() - summary.written - summary.skipped - summary.failed;
    summary.elapsed = start.elapsed();
    summary.stages = *stages.lock().unwrap_or_else(|e| e.into_inner());
    summary
}

fn reader(
    recipes: &[FrameRecipe],
    opts: &JobOptions,
    next: &AtomicUsize,
    cancel: &AtomicBool,
    out: &Sender<Decoded>,
    done: &Sender<(usize, FrameOutcome)>,
) {
    loop {
        if cancel.load(Ordering::SeqCst) {
            return;
        }
        let index = next.fetch_add(1, Ordering::SeqCst);
        let Some(recipe) = recipes.get(index) else {
            return;
        };
        if opts.skip_existing && recipe.output.exists() {
            let _ = done.send((index, FrameOutcome::Skipped));
            continue;
        }
        if opts.no_clobber && recipe.output.exists() {
            let err = Error::write(
                &recipe.output,
                std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "output exists and --no-clobber is set",
                ),
            );
            let _ = done.send((index, FrameOutcome::Failed(err)));
            continue;
        }
        let t = Instant::now();
        let frame = read_layers(recipe);
        let times = StageTimes {
            read: t.elapsed(),
            ..Default::default()
        };
        if out
            .send(Decoded {
                index,
                frame,
                times,
            })
            .is_err()
        {
            return;
        }
    }
}

/// Reads every source layer of a recipe. The frames are returned stacked in
/// one Frame: layer k's pixels at `k * w * h * 4`, to be graded and mixed
/// by the grade stage.
fn read_layers(recipe: &FrameRecipe) -> Result<Frame> {
    let mut stacked: Option<Frame> = None;
    let mut size = None;
    for (layer, _) in &recipe.layers {
        let frame = match layer {
            Layer::Source { path, .. } => io::read_frame(path)?,
            Layer::Black => {
                let (w, h) = size.unwrap_or(recipe.black_size);
                Frame::new(w, h)
            }
        };
        match &mut stacked {
            None => {
                size = Some((frame.width, frame.height));
                stacked = Some(frame);
            }
            Some(st) => {
                if (frame.width, frame.height) != (st.width, st.height) {
                    let path = match layer {
                        Layer::Source { path, .. } => path.clone(),
                        Layer::Black => recipe.output.clone(),
                    };
                    return Err(Error::invalid(
                        path,
                        format!(
                            "frame is {}x{} but the other layer of this mix is {}x{}",
                            frame.width, frame.height, st.width, st.height
                        ),
                    ));
                }
                st.pixels.extend_from_slice(&frame.pixels);
            }
        }
    }
    Ok(stacked.unwrap_or_else(|| Frame::new(recipe.black_size.0, recipe.black_size.1)))
}

fn grader(
    recipes: &[FrameRecipe],
    backend: &mut Backend,
    input: &Receiver<Decoded>,
    out: &Sender<Decoded>,
    done: &Sender<(usize, FrameOutcome)>,
    stages: &Mutex<StageTimes>,
) {
    for mut d in input.iter() {
        let recipe = &recipes[d.index];
        d.frame = d.frame.and_then(|frame| {
            let t = Instant::now();
            let graded = grade_and_mix(recipe, frame, backend, &mut d.times);
            d.times.grade += t.elapsed();
            graded
        });
        if let Err(e) = d.frame {
            stages
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .add(&d.times);
            let _ = done.send((d.index, FrameOutcome::Failed(e)));
            continue;
        }
        if out.send(d).is_err() {
            return;
        }
    }
}

fn grade_and_mix(
    recipe: &FrameRecipe,
    mut frame: Frame,
    backend: &mut Backend,
    times: &mut StageTimes,
) -> Result<Frame> {
    let n = frame.pixel_count() * 4;
    let (w, h) = (frame.width, frame.height);
    for (k, (layer, _)) in recipe.layers.iter().enumerate() {
        if let Layer::Source { program, .. } = layer {
            let px = &mut frame.pixels[k * n..(k + 1) * n];
            backend.grade(*program, px, w, h, times)?;
        }
    }
    if recipe.layers.len() > 1 {
        // Mix in a fixed order (layer 0 first) so the result never depends
        // on anything but the recipe.
        let (first, rest) = frame.pixels.split_at_mut(n);
        let w0 = recipe.layers[0].1;
        for v in first.iter_mut() {
            *v *= w0;
        }
        for (k, (_, weight)) in recipe.layers.iter().enumerate().skip(1) {
            let src = &rest[(k - 1) * n..k * n];
            for (d, s) in first.iter_mut().zip(src) {
                *d = s.mul_add(*weight, *d);
            }
        }
        frame.pixels.truncate(n);
    }
    let m = &recipe.meta;
    let meta = &mut frame.meta;
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
    Ok(frame)
}

fn writer(
    recipes: &[FrameRecipe],
    opts: &JobOptions,
    input: &Receiver<Decoded>,
    done: &Sender<(usize, FrameOutcome)>,
    stages: &Mutex<StageTimes>,
) {
    for mut d in input.iter() {
        let recipe = &recipes[d.index];
        let outcome = match d.frame {
            Ok(frame) => {
                let t = Instant::now();
                let r = write_output(&recipe.output, &frame, &opts.write);
                d.times.write = t.elapsed();
                match r {
                    Ok(()) => FrameOutcome::Written,
                    Err(e) => FrameOutcome::Failed(e),
                }
            }
            Err(e) => FrameOutcome::Failed(e),
        };
        stages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .add(&d.times);
        let _ = done.send((d.index, outcome));
    }
}

fn write_output(path: &Path, frame: &Frame, opts: &WriteOptions) -> Result<()> {
    io::write_frame(path, frame, opts)
}

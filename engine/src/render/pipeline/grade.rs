//! The grade stage: one thread that owns the backend, grades frames in job
//! order (keeping two on the GPU at once where it can) and passes them to
//! the writers with the recipe's header fields set.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::Instant;

use crossbeam_channel::{Receiver, Sender, TryRecvError};

use super::{add_times, Decoded, FrameOutcome, Graded, Read, StageTimes};
use crate::render::backend::InFlight;
use crate::render::layers::grade_and_mix;
use crate::render::pool::Slot;
use crate::render::{Backend, FrameRecipe, Layer};
use crate::Frame;

/// Grades frames in job order (readers finish out of order; the few that
/// arrive early wait here, each in its slot) and passes them to the writers.
///
/// On the GPU a single-layer frame is submitted and collected later, with
/// up to [`Backend::frames_in_flight`] frames on the GPU: the next frame's
/// upload and kernel run while this thread copies out the previous one.
/// Frames are still collected and passed on in job order; a frame that
/// needs another program, a mix, or more than one GPU pass first waits for
/// every frame in flight, then is graded on its own.
pub(super) fn grader<'p>(
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

//! The writer threads: the master file first, then every further sink.

use std::sync::atomic::AtomicBool;
use std::sync::Mutex;
use std::time::Instant;

use crossbeam_channel::{Receiver, Sender};

use super::{add_times, FrameOutcome, Graded, JobOptions, StageTimes};
use crate::render::outputs::FullVolume;
use crate::render::pool::Buffers;
use crate::render::sink::{FileSink, Sink};
use crate::render::FrameRecipe;

/// Writes graded frames. The first write that finds the volume full stops
/// the job claiming frames (`stop`: the volume, and the job's cancel flag);
/// the frames in hand are still written or fail whole.
pub(super) fn writer(
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
        let master = FileSink {
            write: &opts.write,
            tap: opts.sinks.iter().find_map(|s| s.master_tap()),
        };
        // Every further sink gets the frame even when one before it
        // refused it (one movie failing does not starve another); the
        // first refusal fails the frame.
        let r = master.write(index, recipe, frame, bytes).and_then(|()| {
            opts.sinks
                .iter()
                .map(|sink| sink.write(index, recipe, frame, bytes))
                .fold(Ok(()), Result::and)
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

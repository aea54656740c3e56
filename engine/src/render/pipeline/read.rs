//! The reader threads: each takes a frame slot, claims the next frame of
//! the job and reads its layers into the slot.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use crossbeam_channel::Sender;

use super::{lock, Decoded, JobOptions, Read, StageTimes};
use crate::reformat::PlanCache;
use crate::render::layers::read_layers;
use crate::render::outputs::{self, Existing};
use crate::render::pool::{Pool, Slot};
use crate::render::FrameRecipe;
use crate::Error;

/// What the reader threads share: the frame slots, the reformat plans, the
/// next frame number to claim, and the warnings of frames rendered again.
#[derive(Clone, Copy)]
pub(super) struct Readers<'a, 'p> {
    pub(super) pool: &'p Pool,
    pub(super) plans: &'a PlanCache,
    pub(super) next: &'a AtomicUsize,
    pub(super) warnings: &'a Mutex<HashMap<usize, String>>,
}

/// Takes a slot, then claims the next frame number and reads it. The slot
/// comes first: a claimed frame always has its memory, so the grade stage,
/// which waits for frames in order, never waits for one whose reader waits
/// for a slot. Every claimed number is sent on, read or not, so the grade
/// stage's order never has a hole. Under `--skip-existing` an output that
/// is not a whole frame of the job is rendered again, and `warnings` says
/// why.
pub(super) fn reader<'p>(
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

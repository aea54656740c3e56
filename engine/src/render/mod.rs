//! Streaming render jobs: read -> grade -> write.
//!
//! A job is a list of [`FrameRecipe`]s (one per output frame: which source
//! frames to read, which program grades each, how they mix, where the result
//! goes). [`run`] pushes them through three stages joined by bounded
//! channels:
//!
//! ```text
//! reader threads --(cap 2)--> grade stage --(cap 2)--> writer threads
//! ```
//!
//! Each frame lives in a slot of a fixed [`pool::Pool`] from the start of
//! its read to the end of its write, so at most
//! [`pipeline::frames_in_flight`] frames (6 with 2 readers and 2 writers,
//! 7 on the GPU) are in memory whatever the job's length, and their buffers
//! are reused rather than allocated per frame.
//!
//! The grade stage is one thread that owns the backend (a GPU executor, or
//! the CPU fast executor running on rayon), so GPU work is serialised and
//! the readers and writers overlap with it. It grades frames in job order.
//! On the GPU it keeps two frames in flight (submit, then collect the one
//! before), so one frame's upload and kernel overlap the previous frame's
//! copy out; a mix or a change of program waits for the frames in flight.
//! A layer with a [`Reformat`] is planned by the reader from its size and
//! pixel aspect and taken to the output size by the grade stage, before or
//! after its grade (`layers.rs`); on the GPU a single-layer frame is
//! uploaded at its source size and read back at the output size.
//! Every output is written
//! atomically by [`crate::io::write_frame`], and a frame's bytes depend only
//! on its recipe, never on which other frames share the run.

pub mod backend;
mod layers;
pub mod outputs;
pub mod pipeline;
pub mod pool;
pub mod sink;

pub use backend::{Backend, BackendChoice};
pub use pipeline::{
    frames_in_flight, run, FrameDone, FrameOutcome, JobOptions, RenderSummary, StageTimes,
};
pub use sink::{FileSink, MasterTap, Sink};

use std::path::PathBuf;

use crate::reformat::Reformat;
use crate::Metadata;

/// One source layer of an output frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Layer {
    /// A source frame file, graded by program `program` of the job, and
    /// reformatted to the output format where `reformat` says so (before
    /// or after the grade, as it says).
    Source {
        path: PathBuf,
        program: usize,
        reformat: Option<Reformat>,
    },
    /// Black (BL reels, gaps, missing media rendered with --allow-missing).
    Black,
}

/// Everything needed to produce one output frame.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameRecipe {
    /// The output frame number (for progress and reports).
    pub number: i64,
    pub output: PathBuf,
    /// Layers and their mix weights (a cut has one layer with weight 1; a
    /// dissolve has two whose weights sum to 1).
    pub layers: Vec<(Layer, f32)>,
    /// `--composite over`: how many of `layers` each track gives, bottom to
    /// top. Each track's layers are mixed by their weights, then laid over
    /// the tracks below with premultiplied alpha, a reformatted layer being
    /// transparent outside its placed picture. Empty: `layers` are one mix
    /// (a cut, or a dissolve), opaque.
    pub over: Vec<usize>,
    /// Size of black-only frames, when no layer gives one; with a reformat,
    /// the output format's size (black layers of a mix take it).
    pub black_size: (u32, u32),
    /// Header fields to set on the output (record timecode, reel, title);
    /// `None` fields keep the first source's.
    pub meta: Metadata,
}

/// Keys of [`FrameRecipe::meta`]'s `extra` that a conform sets for what
/// follows the master (burn-ins of review movies). The file writers write
/// only keys of their own format, so none of these reaches a header.
pub mod keys {
    /// The record frame (record timecode as a frame count).
    pub const RECORD_FRAME: &str = "grade:record_frame";
    /// The EDL event number.
    pub const EVENT: &str = "grade:event";
    /// The source clip's name (the picture shown; the incoming one in a dissolve).
    pub const CLIP: &str = "grade:clip";
    /// The EDL's clip name of the event, else the source clip's.
    pub const SHOT: &str = "grade:shot";
    /// The source clip's reel.
    pub const SOURCE_REEL: &str = "grade:source_reel";
    /// The source timecode of the picture shown.
    pub const SOURCE_TIMECODE: &str = "grade:source_timecode";
    /// The timeline track.
    pub const TRACK: &str = "grade:track";
}

//! grade-engine: everything behind the `grade` command except argument parsing.
//!
//! The flow is Grade -> Program -> backend: a [`grade::Grade`] is what the
//! user asked for, in order; it compiles into a [`grade::Program`], a flat list
//! of [`grade::Op`]s; the CPU ([`cpu`]) or GPU (`gpu`) backend runs a Program
//! over RGBA f32 pixels. Frames come and go through [`io`]; edits are
//! conformed through [`timeline`]; whole jobs run through [`render`];
//! the contact sheet of a conform is drawn by [`sheet`].

pub mod bake;
pub mod colorspace;
pub mod cpu;
pub mod error;
pub mod farm;
pub mod formats;
pub mod frame;
#[cfg(feature = "gpu")]
pub mod gpu;
pub mod grade;
pub mod io;
pub mod mhl;
pub mod names;
#[cfg(feature = "ocio")]
pub mod ocio;
pub mod ops;
pub mod qc;
pub mod reformat;
pub mod render;
pub mod review;
pub mod sheet;
pub mod testcard;
#[doc(hidden)]
pub mod testutil;
pub mod timeline;

pub use error::{Error, Problem, Problems, Result};

/// What grade writes in the creator/software field of the frames it
/// renders (DPX creator, EXR `software`, TIFF `Software`).
pub const CREATOR: &str = concat!("grade ", env!("CARGO_PKG_VERSION"));
pub use frame::{Frame, FrameInfo, Metadata, SmpteTimecode, SourceInfo};

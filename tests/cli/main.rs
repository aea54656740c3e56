//! Integration tests of the `grade` binary (one test binary for the whole
//! CLI): each test runs the real binary in a fresh temporary folder.

mod apply;
mod common;
mod composite;
mod conform;
mod conform_media;
mod conform_pixels;
mod conform_trace;
mod csp;
mod farm;
mod farm_finalize;
mod farm_slurm;
mod formats;
mod inputs;
mod mhl;
mod names;
#[cfg(feature = "ocio")]
mod ocio;
mod otioconvert;
mod outputs;
mod qc;
mod reformat;
mod render;
mod review;
mod timelines;
mod transforms;

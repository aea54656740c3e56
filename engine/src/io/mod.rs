//! Frame I/O: DPX, OpenEXR and TIFF frames, frame sequences, and the limits
//! that keep untrusted headers from allocating without bound.
//!
//! [`read_frame`] and [`write_frame`] choose the format by extension.
//! [`write_frame`] is atomic: it writes a temporary file in the output's
//! folder and renames it into place when complete, so a present output is a
//! complete output.

pub mod dpx;
pub mod exr;
pub mod limits;
pub mod sequence;
pub mod tiff;

use std::path::Path;

use crate::{Frame, FrameInfo, Result};

/// Sample format of a written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum BitDepth {
    U8,
    U10,
    U12,
    U16,
    Half,
    Float,
}

/// Byte order of a written DPX.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Endian {
    #[default]
    Big,
    Little,
}

/// How to write a frame. `None` fields take the format's default (DPX:
/// 16-bit big-endian filled; EXR: half, zip; TIFF: 16-bit).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WriteOptions {
    pub depth: Option<BitDepth>,
    pub dpx_endian: Option<Endian>,
    /// EXR compression by name: none, rle, zips, zip, piz, pxr24, b44, b44a, dwaa, dwab.
    pub exr_compression: Option<String>,
    /// Write an alpha channel (default: only when the source had one).
    pub alpha: Option<bool>,
}

/// Reads a whole frame, choosing the reader by extension.
pub fn read_frame(path: &Path) -> Result<Frame> {
    let _ = path;
    todo_io(path)
}

/// Reads only the header of a frame.
pub fn read_info(path: &Path) -> Result<FrameInfo> {
    todo_io(path)
}

/// Writes a frame atomically (temporary name, then rename).
pub fn write_frame(path: &Path, frame: &Frame, opts: &WriteOptions) -> Result<()> {
    let _ = (frame, opts);
    todo_io(path)
}

fn todo_io<T>(path: &Path) -> Result<T> {
    Err(crate::Error::unsupported(
        path,
        "frame I/O is not implemented yet",
    ))
}

//! DPX (SMPTE 268M) frames.

use std::path::Path;

use super::WriteOptions;
use crate::{Error, Frame, FrameInfo, Result};

/// Reads a whole DPX frame.
pub fn read(path: &Path) -> Result<Frame> {
    Err(Error::unsupported(
        path,
        "DPX reading is not implemented yet",
    ))
}

/// Reads a DPX header only.
pub fn read_info(path: &Path) -> Result<FrameInfo> {
    Err(Error::unsupported(
        path,
        "DPX reading is not implemented yet",
    ))
}

/// Writes `frame` to `path` (the caller handles temporary names).
pub fn write(path: &Path, frame: &Frame, opts: &WriteOptions) -> Result<()> {
    let _ = (frame, opts);
    Err(Error::unsupported(
        path,
        "DPX writing is not implemented yet",
    ))
}

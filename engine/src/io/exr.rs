//! OpenEXR frames, through the exr crate.

use std::path::Path;

use super::WriteOptions;
use crate::{Error, Frame, FrameInfo, Result};

/// Reads a whole EXR frame.
pub fn read(path: &Path) -> Result<Frame> {
    Err(Error::unsupported(
        path,
        "EXR reading is not implemented yet",
    ))
}

/// Reads a EXR header only.
pub fn read_info(path: &Path) -> Result<FrameInfo> {
    Err(Error::unsupported(
        path,
        "EXR reading is not implemented yet",
    ))
}

/// Writes `frame` to `path` (the caller handles temporary names).
pub fn write(path: &Path, frame: &Frame, opts: &WriteOptions) -> Result<()> {
    let _ = (frame, opts);
    Err(Error::unsupported(
        path,
        "EXR writing is not implemented yet",
    ))
}

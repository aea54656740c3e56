//! Limits on untrusted header values, checked before anything is allocated.

use std::path::Path;

use crate::{Error, Result};

/// Largest width or height accepted from any file (16K is 15360; leave room).
pub const MAX_DIMENSION: u32 = 65_536;
/// Largest pixel count accepted (about 16K x 16K... times 2).
pub const MAX_PIXELS: u64 = 1 << 29;

/// Checks a frame size from a header before allocating for it.
pub fn check_dimensions(path: &Path, width: u64, height: u64) -> Result<(u32, u32)> {
    if width == 0 || height == 0 {
        return Err(Error::invalid(
            path,
            format!("image size {width}x{height} is empty"),
        ));
    }
    if width > MAX_DIMENSION as u64 || height > MAX_DIMENSION as u64 || width * height > MAX_PIXELS
    {
        return Err(Error::invalid(
            path,
            format!("image size {width}x{height} is larger than grade accepts ({MAX_DIMENSION} per side, {MAX_PIXELS} pixels)"),
        ));
    }
    Ok((width as u32, height as u32))
}

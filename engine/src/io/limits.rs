//! Limits on untrusted header values, checked before anything is allocated.
//! A header over them is [`Error::Limit`], not [`Error::Invalid`]: the file
//! may be well formed, grade just will not allocate that much for it.

use std::path::Path;

use crate::{Error, Result};

/// Largest width or height accepted from any file (16K is 15360; leave room).
pub const MAX_DIMENSION: u32 = 65_536;
/// Largest pixel count accepted (about 16K x 16K... times 2).
pub const MAX_PIXELS: u64 = 1 << 29;
/// Largest decoded size of every channel of one image part (EXR keeps all
/// of a part's channels): a frame of the largest accepted size at four
/// float channels.
pub const MAX_DECODED_BYTES: u64 = MAX_PIXELS * 16;

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
        return Err(Error::limit(
            path,
            format!("image size {width}x{height}"),
            format!("{MAX_DIMENSION} per side, {MAX_PIXELS} pixels"),
        ));
    }
    Ok((width as u32, height as u32))
}

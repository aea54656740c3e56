//! A decoded frame: RGBA f32 pixels plus the metadata that travels with it.
//!
//! Pixels are interleaved RGBA, row-major, top row first, in the file's own
//! code values scaled to [0,1] for integer formats (no colourspace is ever
//! assumed). Metadata carries what conform and mastering need: timecode, reel,
//! frame rate, and the source file's other header fields so a master can
//! preserve them.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// A timecode label as stored in a file header: hours, minutes, seconds,
/// frames and the drop-frame flag. It knows nothing of frame rate; the
/// timeline module turns it into a frame count at a given rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub struct SmpteTimecode {
    pub hours: u8,
    pub minutes: u8,
    pub seconds: u8,
    pub frames: u8,
    pub drop_frame: bool,
}

impl std::fmt::Display for SmpteTimecode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sep = if self.drop_frame { ';' } else { ':' };
        write!(
            f,
            "{:02}:{:02}:{:02}{}{:02}",
            self.hours, self.minutes, self.seconds, sep, self.frames
        )
    }
}

/// Header fields carried from source frames to masters.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Metadata {
    pub timecode: Option<SmpteTimecode>,
    /// SMPTE user bits (DPX TV header, EXR timeCode attribute).
    pub user_bits: Option<u32>,
    /// Frames per second.
    pub fps: Option<f64>,
    /// Reel / tape name (DPX input device, EXR `reelName`).
    pub reel: Option<String>,
    /// Original file name recorded in the header (DPX source file name).
    pub source_file: Option<String>,
    pub creator: Option<String>,
    /// Creation date and time as written in the header.
    pub created: Option<String>,
    pub project: Option<String>,
    pub copyright: Option<String>,
    /// Pixel aspect ratio (width / height of one pixel) where the file
    /// declares one: DPX's orientation header, EXR's `pixelAspectRatio`.
    /// `None` is square.
    pub pixel_aspect: Option<f64>,
    /// Format-specific fields kept as text, keyed `format:name`.
    pub extra: BTreeMap<String, String>,
}

/// Where a frame came from and how it was stored; filled by readers.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SourceInfo {
    pub path: PathBuf,
    /// "dpx", "exr" or "tiff".
    pub format: String,
    /// "8", "10", "12", "16", "half", "float".
    pub bit_depth: String,
    /// Channel names as stored, e.g. ["R","G","B"].
    pub channels: Vec<String>,
    /// Format-specific layout details, e.g. "10-bit filled method A, big-endian".
    pub layout: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub width: u32,
    pub height: u32,
    /// RGBA interleaved, `width * height * 4` values. Missing alpha is 1.0.
    pub pixels: Vec<f32>,
    pub meta: Metadata,
    pub source: Option<SourceInfo>,
}

impl Frame {
    /// A black, opaque frame.
    pub fn new(width: u32, height: u32) -> Self {
        let n = width as usize * height as usize;
        let mut pixels = vec![0.0f32; n * 4];
        for px in pixels.chunks_exact_mut(4) {
            px[3] = 1.0;
        }
        Frame {
            width,
            height,
            pixels,
            meta: Metadata::default(),
            source: None,
        }
    }

    pub fn pixel_count(&self) -> usize {
        self.width as usize * self.height as usize
    }

    pub fn pixel(&self, x: u32, y: u32) -> [f32; 4] {
        let i = (y as usize * self.width as usize + x as usize) * 4;
        [
            self.pixels[i],
            self.pixels[i + 1],
            self.pixels[i + 2],
            self.pixels[i + 3],
        ]
    }
}

/// What a header says about a frame, read without decoding pixels (for
/// probing and for indexing thousands of source frames quickly).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct FrameInfo {
    pub width: u32,
    pub height: u32,
    pub meta: Metadata,
    pub source: SourceInfo,
}

//! The DPX header: where each field lives, reading it from untrusted bytes,
//! and building one for a frame we write.
//!
//! Offsets are those of SMPTE 268M (DPX v1.0/v2.0), as laid out by the
//! `GenericHeader` and `IndustryHeader` structs of OpenImageIO's libdpx
//! (`src/dpx.imageio/libdpx/DPXHeader.h`): a 768-byte file information
//! section, 640 bytes of image information (8 image elements of 72 bytes
//! from offset 780), 256 bytes of image origination, then the 384-byte
//! industry header (film from 1664, television from 1920), 2048 bytes in
//! all. Every multi-byte value is in the file's byte order, told by the
//! magic number: `SDPX` big-endian, `XPDS` little-endian.

use std::path::Path;

use crate::frame::{Metadata, SmpteTimecode};
use crate::io::limits;
use crate::{Error, Result};

mod build;
mod parse;

pub use build::{build, Build};
pub use parse::{parse, Parsed};

// File information (SMPTE 268M table 1, fields 1-15).
pub const MAGIC: usize = 0;
pub const IMAGE_OFFSET: usize = 4;
pub const VERSION: usize = 8; // [8]
pub const FILE_SIZE: usize = 16;
pub const DITTO_KEY: usize = 20;
pub const GENERIC_SIZE: usize = 24;
pub const INDUSTRY_SIZE: usize = 28;
pub const USER_SIZE: usize = 32;
pub const FILE_NAME: usize = 36; // [100]
pub const CREATION_DATE: usize = 136; // [24]
pub const CREATOR: usize = 160; // [100]
pub const PROJECT: usize = 260; // [200]
pub const COPYRIGHT: usize = 460; // [200]
pub const ENCRYPT_KEY: usize = 660;

// Image information (fields 16-19).
pub const ORIENTATION: usize = 768; // u16
pub const ELEMENT_COUNT: usize = 770; // u16
pub const PIXELS_PER_LINE: usize = 772;
pub const LINES_PER_ELEMENT: usize = 776;
/// Image element 1 (field 20); elements 2-8 follow every 72 bytes.
pub const ELEMENT: usize = 780;
pub const ELEMENT_SIZE: usize = 72;
// Offsets inside an image element.
pub const EL_DATA_SIGN: usize = 0;
pub const EL_LOW_DATA: usize = 4;
pub const EL_LOW_QUANTITY: usize = 8;
pub const EL_HIGH_DATA: usize = 12;
pub const EL_HIGH_QUANTITY: usize = 16;
pub const EL_DESCRIPTOR: usize = 20; // u8
pub const EL_TRANSFER: usize = 21; // u8
pub const EL_COLORIMETRIC: usize = 22; // u8
pub const EL_BIT_DEPTH: usize = 23; // u8
pub const EL_PACKING: usize = 24; // u16
pub const EL_ENCODING: usize = 26; // u16
pub const EL_DATA_OFFSET: usize = 28;
pub const EL_EOL_PADDING: usize = 32;
pub const EL_EOI_PADDING: usize = 36;
pub const EL_DESCRIPTION: usize = 40; // [32]

// Image origination (fields 21-30).
pub const X_OFFSET: usize = 1408;
pub const Y_OFFSET: usize = 1412;
pub const X_CENTER: usize = 1416;
pub const Y_CENTER: usize = 1420;
pub const X_ORIGINAL_SIZE: usize = 1424;
pub const Y_ORIGINAL_SIZE: usize = 1428;
pub const SOURCE_FILE_NAME: usize = 1432; // [100]
pub const SOURCE_DATE: usize = 1532; // [24]
pub const INPUT_DEVICE: usize = 1556; // [32]
pub const INPUT_DEVICE_SERIAL: usize = 1588; // [32]
pub const BORDER: usize = 1620; // u16[4]
pub const ASPECT_RATIO: usize = 1628; // u32[2]
pub const X_SCANNED_SIZE: usize = 1636;
pub const Y_SCANNED_SIZE: usize = 1640;
/// End of the generic header: everything a reader needs to find the pixels.
pub const GENERIC_END: usize = 1664;

// Motion-picture film header (fields 31-43).
pub const FILM_MFG_ID: usize = 1664; // [2]
pub const FILM_TYPE: usize = 1666; // [2]
pub const FILM_PERFS_OFFSET: usize = 1668; // [2]
pub const FILM_PREFIX: usize = 1670; // [6]
pub const FILM_COUNT: usize = 1676; // [4]
pub const FILM_FORMAT: usize = 1680; // [32]
pub const FRAME_POSITION: usize = 1712;
pub const SEQUENCE_LENGTH: usize = 1716;
pub const HELD_COUNT: usize = 1720;
pub const FILM_FRAME_RATE: usize = 1724; // r32
pub const SHUTTER_ANGLE: usize = 1728; // r32
pub const FRAME_ID: usize = 1732; // [32]
pub const SLATE_INFO: usize = 1764; // [100]

// Television header (fields 44-59).
pub const TIMECODE: usize = 1920;
pub const USER_BITS: usize = 1924;
pub const INTERLACE: usize = 1928; // u8
pub const FIELD_NUMBER: usize = 1929; // u8
pub const VIDEO_SIGNAL: usize = 1930; // u8
pub const HORIZONTAL_SAMPLE_RATE: usize = 1932; // r32
pub const VERTICAL_SAMPLE_RATE: usize = 1936;
pub const TEMPORAL_FRAME_RATE: usize = 1940;
pub const TIME_OFFSET: usize = 1944;
pub const GAMMA: usize = 1948;
pub const BLACK_LEVEL: usize = 1952;
pub const BLACK_GAIN: usize = 1956;
pub const BREAK_POINT: usize = 1960;
pub const WHITE_LEVEL: usize = 1964;
pub const INTEGRATION_TIMES: usize = 1968;
/// End of the industry header; user data (if any) and pixels follow.
pub const HEADER_END: usize = 2048;

/// "Undefined" for 32-bit fields (SMPTE 268M: all bits set).
pub const UNDEFINED_U32: u32 = 0xFFFF_FFFF;

/// Descriptor codes (SMPTE 268M table 1, field 20.6) that grade reads.
pub const DESCRIPTOR_LUMA: u8 = 6;
pub const DESCRIPTOR_RGB: u8 = 50;
pub const DESCRIPTOR_RGBA: u8 = 51;

/// How samples of 10 and 12 bits are laid into 32-bit words (field 20.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packing {
    /// Packed: samples follow each other with no gaps, across word boundaries.
    Packed,
    /// Filled, method A: padding in the low bits.
    FilledA,
    /// Filled, method B: padding in the high bits.
    FilledB,
}

impl Packing {
    pub fn code(self) -> u16 {
        match self {
            Packing::Packed => 0,
            Packing::FilledA => 1,
            Packing::FilledB => 2,
        }
    }

    /// As OpenImageIO names it in its `dpx:Packing` attribute.
    pub fn name(self) -> &'static str {
        match self {
            Packing::Packed => "Packed",
            Packing::FilledA => "Filled, method A",
            Packing::FilledB => "Filled, method B",
        }
    }
}

/// Everything about the pixels that the header says, after checking it.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub big_endian: bool,
    pub width: u32,
    pub height: u32,
    /// 1 (luma), 3 (RGB) or 4 (RGBA).
    pub components: usize,
    pub bits: u32,
    pub packing: Packing,
    /// Byte offset of the first row.
    pub data_offset: usize,
    /// Bytes of pixel data in one row, without end-of-line padding.
    pub row_bytes: usize,
    /// Bytes from the start of one row to the start of the next.
    pub row_stride: usize,
}

impl Layout {
    /// Words like "10-bit filled method A, big-endian" for [`crate::SourceInfo`].
    pub fn describe(&self) -> String {
        let packing = match (self.bits, self.packing) {
            (8 | 16, _) => String::new(),
            (_, Packing::Packed) => " packed".into(),
            (_, Packing::FilledA) => " filled method A".into(),
            (_, Packing::FilledB) => " filled method B".into(),
        };
        let endian = if self.big_endian {
            "big-endian"
        } else {
            "little-endian"
        };
        format!("{}-bit{packing}, {endian}", self.bits)
    }
}

/// Reads fields of one byte order from a header known to be long enough.
pub struct Fields<'a> {
    pub bytes: &'a [u8],
    pub big_endian: bool,
}

impl Fields<'_> {
    pub fn u8(&self, off: usize) -> u8 {
        self.bytes.get(off).copied().unwrap_or(0xFF)
    }

    pub fn u16(&self, off: usize) -> u16 {
        match self.bytes.get(off..off + 2) {
            Some(&[a, b]) if self.big_endian => u16::from_be_bytes([a, b]),
            Some(&[a, b]) => u16::from_le_bytes([a, b]),
            _ => 0xFFFF,
        }
    }

    pub fn u32(&self, off: usize) -> u32 {
        match self.bytes.get(off..off + 4) {
            Some(&[a, b, c, d]) if self.big_endian => u32::from_be_bytes([a, b, c, d]),
            Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
            _ => UNDEFINED_U32,
        }
    }

    /// A 32-bit float, `None` when undefined (all bits set, or any NaN or infinity).
    pub fn f32(&self, off: usize) -> Option<f32> {
        let bits = self.u32(off);
        let v = f32::from_bits(bits);
        (bits != UNDEFINED_U32 && v.is_finite()).then_some(v)
    }

    /// A 32-bit unsigned field, `None` when undefined.
    pub fn defined_u32(&self, off: usize) -> Option<u32> {
        let v = self.u32(off);
        (v != UNDEFINED_U32).then_some(v)
    }

    /// An ASCII field of `len` bytes: up to the first NUL, `None` when empty.
    /// Some writers fill unused text with 0xFF rather than NUL (as OpenImageIO
    /// notes in `dpxinput.cpp`), so a leading 0xFF also means empty.
    pub fn text(&self, off: usize, len: usize) -> Option<String> {
        let raw = self.bytes.get(off..off + len)?;
        if raw.first().is_none_or(|&b| b == 0 || b == 0xFF) {
            return None;
        }
        let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
        let s = String::from_utf8_lossy(&raw[..end]);
        let s = s.trim_end_matches(['\u{FFFD}', ' ']).trim_end();
        (!s.is_empty()).then(|| s.to_string())
    }
}

/// Decodes a SMPTE 12M timecode packed as BCD (`0xHHMMSSFF` nibbles, with
/// the drop-frame flag in bit 6 of the frames byte, as OpenEXR's
/// `Imf::TimeCode` packs it and as OpenImageIO reads DPX timecodes).
/// `None` when a digit is not a decimal digit or a field is out of range.
pub fn timecode_from_bcd(v: u32) -> Option<SmpteTimecode> {
    let digit = |shift: u32, mask: u32| -> Option<u8> {
        let d = (v >> shift) & mask;
        (d <= 9).then_some(d as u8)
    };
    let frames = digit(4, 0x3)? * 10 + digit(0, 0xF)?;
    let seconds = digit(12, 0x7)? * 10 + digit(8, 0xF)?;
    let minutes = digit(20, 0x7)? * 10 + digit(16, 0xF)?;
    let hours = digit(28, 0x3)? * 10 + digit(24, 0xF)?;
    if seconds > 59 || minutes > 59 || hours > 23 {
        return None;
    }
    Some(SmpteTimecode {
        hours,
        minutes,
        seconds,
        frames,
        drop_frame: v & (1 << 6) != 0,
    })
}

/// Encodes a timecode as [`timecode_from_bcd`] decodes it. Fields too large
/// for their BCD digits are clamped (hours 23, minutes/seconds 59, frames 39).
pub fn timecode_to_bcd(tc: &SmpteTimecode) -> u32 {
    let bcd = |v: u8, max: u8| -> u32 {
        let v = v.min(max) as u32;
        ((v / 10) << 4) | (v % 10)
    };
    (bcd(tc.hours, 23) << 24)
        | (bcd(tc.minutes, 59) << 16)
        | (bcd(tc.seconds, 59) << 8)
        | bcd(tc.frames, 39)
        | if tc.drop_frame { 1 << 6 } else { 0 }
}

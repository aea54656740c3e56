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

/// The header as read: where the pixels are, and the metadata.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub layout: Layout,
    pub meta: Metadata,
    /// Channel names for [`crate::SourceInfo`].
    pub channels: Vec<String>,
}

/// Parses and checks a header. `head` holds at least the first
/// [`GENERIC_END`] bytes of the file when the file is that long (more is
/// used when there: up to [`HEADER_END`] for the industry header);
/// `file_len` is the length of the whole file, checked against the pixel
/// data the header describes.
pub fn parse(head: &[u8], file_len: u64, path: &Path) -> Result<Parsed> {
    let big_endian = match head.get(..4) {
        Some(b"SDPX") => true,
        Some(b"XPDS") => false,
        Some(m) => {
            return Err(Error::invalid(
                path,
                format!(
                    "not a DPX file: magic number is {:02x}{:02x}{:02x}{:02x}, expected \"SDPX\" or \"XPDS\"",
                    m[0], m[1], m[2], m[3]
                ),
            ))
        }
        None => {
            return Err(Error::invalid(
                path,
                format!("not a DPX file: only {} bytes long", head.len()),
            ))
        }
    };
    if head.len() < GENERIC_END {
        return Err(Error::invalid(
            path,
            format!(
                "DPX header is truncated: the file has {} bytes, the generic header needs {GENERIC_END}",
                head.len()
            ),
        ));
    }
    let f = Fields {
        bytes: head,
        big_endian,
    };

    let element_count = f.u16(ELEMENT_COUNT);
    if element_count == 0 || element_count > 8 {
        return Err(Error::invalid(
            path,
            format!("DPX header says {element_count} image elements (1 to 8 allowed)"),
        ));
    }
    let (width, height) = limits::check_dimensions(
        path,
        f.u32(PIXELS_PER_LINE) as u64,
        f.u32(LINES_PER_ELEMENT) as u64,
    )?;

    // grade reads the first image element; the others (rare: separate
    // planes, or a second view) are noted in the metadata.
    let el = ELEMENT;
    let descriptor = f.u8(el + EL_DESCRIPTOR);
    let (components, channels): (usize, &[&str]) = match descriptor {
        DESCRIPTOR_RGB => (3, &["R", "G", "B"]),
        DESCRIPTOR_RGBA => (4, &["R", "G", "B", "A"]),
        DESCRIPTOR_LUMA => (1, &["Y"]),
        other => {
            return Err(Error::unsupported(
                path,
                format!(
                "DPX image descriptor {other} ({}); grade reads RGB (50), RGBA (51) and luma (6)",
                descriptor_name(other)
            ),
            ))
        }
    };
    if f.u16(el + EL_ENCODING) != 0 {
        return Err(Error::unsupported(
            path,
            "run-length encoded (compressed) DPX pixel data",
        ));
    }
    if f.u32(el + EL_DATA_SIGN) == 1 {
        return Err(Error::unsupported(path, "signed DPX pixel data"));
    }
    let bits = f.u8(el + EL_BIT_DEPTH) as u32;
    let packing_code = f.u16(el + EL_PACKING);
    let packing = match (bits, packing_code) {
        (8 | 16, _) => Packing::FilledA,
        (10 | 12, 0) => Packing::Packed,
        (10 | 12, 1) => Packing::FilledA,
        (10 | 12, 2) => Packing::FilledB,
        (10 | 12, other) => {
            return Err(Error::unsupported(
                path,
                format!("DPX packing method {other} (0 packed, 1 and 2 filled are known)"),
            ))
        }
        (other, _) => {
            return Err(Error::unsupported(
                path,
                format!("{other}-bit DPX samples; grade reads 8, 10, 12 and 16-bit"),
            ))
        }
    };

    // Row sizes, as OpenImageIO's libdpx (ReaderInternal.h) reads them:
    // 8 and 16-bit rows are not padded; 10-bit filled rows hold 3 samples a
    // word; packed rows are padded to a whole 32-bit word.
    let samples = width as u64 * components as u64;
    let row_bytes: u64 = match (bits, packing) {
        (8, _) => samples,
        (16, _) | (12, Packing::FilledA | Packing::FilledB) => samples * 2,
        (10, Packing::FilledA | Packing::FilledB) => samples.div_ceil(3) * 4,
        (_, Packing::Packed) => (samples * bits as u64).div_ceil(32) * 4,
        _ => unreachable!("bit depth checked above"),
    };
    let eol_padding = match f.u32(el + EL_EOL_PADDING) {
        UNDEFINED_U32 => 0,
        p => p as u64,
    };
    // Pixels start at the element's data offset; a writer that left it
    // undefined (or zero) means the generic header's image offset.
    let image_offset = f.u32(IMAGE_OFFSET);
    let data_offset = match f.u32(el + EL_DATA_OFFSET) {
        0 | UNDEFINED_U32 => image_offset,
        o => o,
    } as u64;
    if data_offset < GENERIC_END as u64 {
        return Err(Error::invalid(
            path,
            format!("DPX pixel data offset {data_offset} lies inside the header"),
        ));
    }
    let row_stride = row_bytes + eol_padding;
    let data_len = row_stride * (height as u64 - 1) + row_bytes;
    let data_end = data_offset + data_len;
    if data_end > file_len {
        return Err(Error::invalid(
            path,
            format!(
                "DPX pixel data is truncated: {width}x{height} {bits}-bit needs {data_len} bytes from offset {data_offset}, but the file ends at {file_len}"
            ),
        ));
    }
    let layout = Layout {
        big_endian,
        width,
        height,
        components,
        bits,
        packing,
        // All fit in usize: they are at most the file length.
        data_offset: data_offset as usize,
        row_bytes: row_bytes as usize,
        row_stride: row_stride as usize,
    };

    let mut meta = read_metadata(&f, data_offset);
    let x = &mut meta.extra;
    x.insert("dpx:ImageDescriptor".into(), descriptor.to_string());
    x.insert("dpx:BitDepth".into(), bits.to_string());
    if bits == 10 || bits == 12 {
        x.insert("dpx:Packing".into(), packing.name().into());
    }
    x.insert(
        "dpx:Endian".into(),
        if big_endian { "big" } else { "little" }.into(),
    );
    if eol_padding != 0 {
        x.insert("dpx:EndOfLinePadding".into(), eol_padding.to_string());
    }
    if element_count > 1 {
        x.insert("dpx:ImageElements".into(), element_count.to_string());
    }
    Ok(Parsed {
        layout,
        meta,
        channels: channels.iter().map(|c| c.to_string()).collect(),
    })
}

fn descriptor_name(d: u8) -> &'static str {
    match d {
        0 | 150..=156 => "user defined",
        1 => "red",
        2 => "green",
        3 => "blue",
        4 => "alpha",
        7 => "colour difference",
        8 => "depth",
        9 => "composite video",
        52 => "ABGR",
        100 => "CbYCrY 4:2:2",
        101 => "CbYACrYA 4:2:2:4",
        102 => "CbYCr 4:4:4",
        103 => "CbYCrA 4:4:4:4",
        _ => "unknown",
    }
}

/// The header's metadata. Industry-header fields are read only when the
/// header is long enough and the pixels do not start inside it.
fn read_metadata(f: &Fields, data_offset: u64) -> Metadata {
    let mut m = Metadata {
        source_file: f.text(SOURCE_FILE_NAME, 100),
        creator: f.text(CREATOR, 100),
        created: f.text(CREATION_DATE, 24),
        project: f.text(PROJECT, 200),
        copyright: f.text(COPYRIGHT, 200),
        // Input device name (field 38) is the tape or reel name: Digital
        // Vision's Nucoda reads it as the tape name, and OpenImageIO carries
        // it as `dpx:InputDevice`. Film "frame id" and "slate" stay in extra.
        reel: f.text(INPUT_DEVICE, 32),
        ..Metadata::default()
    };
    let x = &mut m.extra;
    let mut text = |name: &str, off: usize, len: usize| {
        if let Some(s) = f.text(off, len) {
            x.insert(format!("dpx:{name}"), s);
        }
    };
    text("Version", VERSION, 8);
    text("FileName", FILE_NAME, 100);
    text("SourceDateTime", SOURCE_DATE, 24);
    text("InputDeviceSerialNumber", INPUT_DEVICE_SERIAL, 32);
    text("ImageDescription", ELEMENT + EL_DESCRIPTION, 32);
    let orientation = f.u16(ORIENTATION);
    if orientation <= 7 {
        x.insert("dpx:Orientation".into(), orientation.to_string());
    }
    for (name, off) in [("Transfer", EL_TRANSFER), ("Colorimetric", EL_COLORIMETRIC)] {
        let v = f.u8(ELEMENT + off);
        if v != 0xFF {
            x.insert(format!("dpx:{name}"), v.to_string());
        }
    }
    let a = (f.u32(ASPECT_RATIO), f.u32(ASPECT_RATIO + 4));
    if a.0 != 0 && a.1 != 0 && a.0 != UNDEFINED_U32 && a.1 != UNDEFINED_U32 {
        x.insert("dpx:PixelAspectRatio".into(), format!("{}:{}", a.0, a.1));
    }
    for (name, off) in [
        ("XOriginalSize", X_ORIGINAL_SIZE),
        ("YOriginalSize", Y_ORIGINAL_SIZE),
    ] {
        if let Some(v) = f.defined_u32(off) {
            x.insert(format!("dpx:{name}"), v.to_string());
        }
    }
    for (name, off) in [
        ("XScannedSize", X_SCANNED_SIZE),
        ("YScannedSize", Y_SCANNED_SIZE),
    ] {
        if let Some(v) = f.f32(off) {
            x.insert(format!("dpx:{name}"), v.to_string());
        }
    }

    let industry = f.bytes.len() >= HEADER_END && data_offset >= HEADER_END as u64;
    if !industry {
        return m;
    }
    let mut text = |name: &str, off: usize, len: usize| {
        if let Some(s) = f.text(off, len) {
            x.insert(format!("dpx:{name}"), s);
        }
    };
    text("Format", FILM_FORMAT, 32);
    text("FrameId", FRAME_ID, 32);
    text("SlateInfo", SLATE_INFO, 100);
    // Film edge code (KeyKode) as its five text fields, run together.
    let edge: Option<String> = [
        (FILM_MFG_ID, 2),
        (FILM_TYPE, 2),
        (FILM_PERFS_OFFSET, 2),
        (FILM_PREFIX, 6),
        (FILM_COUNT, 4),
    ]
    .iter()
    .map(|&(off, len)| f.text(off, len))
    .collect();
    if let Some(edge) = edge {
        x.insert("dpx:FilmEdgeCode".into(), edge);
    }
    for (name, off) in [
        ("FramePosition", FRAME_POSITION),
        ("SequenceLength", SEQUENCE_LENGTH),
        ("HeldCount", HELD_COUNT),
    ] {
        if let Some(v) = f.defined_u32(off) {
            x.insert(format!("dpx:{name}"), v.to_string());
        }
    }
    for (name, off) in [
        ("Interlace", INTERLACE),
        ("FieldNumber", FIELD_NUMBER),
        ("Signal", VIDEO_SIGNAL),
    ] {
        let v = f.u8(off);
        if v != 0xFF {
            x.insert(format!("dpx:{name}"), v.to_string());
        }
    }
    let film_rate = f.f32(FILM_FRAME_RATE);
    let tv_rate = f.f32(TEMPORAL_FRAME_RATE);
    for (name, off) in [
        ("FrameRate", FILM_FRAME_RATE),
        ("ShutterAngle", SHUTTER_ANGLE),
        ("HorizontalSampleRate", HORIZONTAL_SAMPLE_RATE),
        ("VerticalSampleRate", VERTICAL_SAMPLE_RATE),
        ("TemporalFrameRate", TEMPORAL_FRAME_RATE),
        ("TimeOffset", TIME_OFFSET),
        ("Gamma", GAMMA),
        ("BlackLevel", BLACK_LEVEL),
        ("BlackGain", BLACK_GAIN),
        ("BreakPoint", BREAK_POINT),
        ("WhiteLevel", WHITE_LEVEL),
        ("IntegrationTimes", INTEGRATION_TIMES),
    ] {
        if let Some(v) = f.f32(off) {
            x.insert(format!("dpx:{name}"), v.to_string());
        }
    }
    // Film rate wins over the television rate when both are set, as Flame
    // does ("If both fields are defined, Flame uses the Movie rate").
    let positive = |r: Option<f32>| r.filter(|&r| r > 0.0);
    m.fps = positive(film_rate).or(positive(tv_rate)).map(|r| r as f64);

    let tc = f.u32(TIMECODE);
    if tc != UNDEFINED_U32 {
        m.timecode = timecode_from_bcd(tc);
        if m.timecode.is_none() {
            m.extra
                .insert("dpx:TimeCodeRaw".into(), format!("{tc:08x}"));
        }
    }
    m.user_bits = f.defined_u32(USER_BITS);
    m
}

/// What [`build`] needs to know about the pixels.
pub struct Build {
    pub big_endian: bool,
    pub width: u32,
    pub height: u32,
    pub components: usize,
    pub bits: u32,
    pub packing: Packing,
    pub data_len: usize,
}

/// Puts `s` into a fixed text field of `len` bytes, cut at a character
/// boundary; the rest of the field stays NUL.
fn put_text(h: &mut [u8], off: usize, len: usize, s: &str) {
    let mut end = s.len().min(len);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    h[off..off + end].copy_from_slice(&s.as_bytes()[..end]);
}

/// Builds a 2048-byte header (pixels follow at offset 2048) carrying `meta`.
/// `file_name` goes in the file-name field; fields of `meta.extra` keyed
/// `dpx:Name` that describe the picture rather than its storage (film and
/// television fields, orientation, transfer, slate ...) are written back.
pub fn build(b: &Build, meta: &Metadata, file_name: &str) -> Vec<u8> {
    let mut h = vec![0u8; HEADER_END];
    let put_u32 = |h: &mut [u8], off: usize, v: u32| {
        let bytes = if b.big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        h[off..off + 4].copy_from_slice(&bytes);
    };
    let put_u16 = |h: &mut [u8], off: usize, v: u16| {
        let bytes = if b.big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        h[off..off + 2].copy_from_slice(&bytes);
    };
    let put_f32 = |h: &mut [u8], off: usize, v: Option<f32>| {
        put_u32(h, off, v.map_or(UNDEFINED_U32, f32::to_bits));
    };
    let extra = |name: &str| meta.extra.get(&format!("dpx:{name}")).map(String::as_str);
    let extra_u32 = |name: &str| extra(name).and_then(|s| s.trim().parse::<u32>().ok());
    let extra_f32 = |name: &str| {
        extra(name)
            .and_then(|s| s.trim().parse::<f32>().ok())
            .filter(|v| v.is_finite())
    };
    let extra_u8 = |name: &str| extra(name).and_then(|s| s.trim().parse::<u8>().ok());

    // File information.
    h[MAGIC..MAGIC + 4].copy_from_slice(if b.big_endian { b"SDPX" } else { b"XPDS" });
    put_u32(&mut h, IMAGE_OFFSET, HEADER_END as u32);
    put_text(&mut h, VERSION, 8, "V2.0");
    let file_size = (HEADER_END + b.data_len).min(u32::MAX as usize) as u32;
    put_u32(&mut h, FILE_SIZE, file_size);
    put_u32(&mut h, DITTO_KEY, 1);
    put_u32(&mut h, GENERIC_SIZE, GENERIC_END as u32);
    put_u32(&mut h, INDUSTRY_SIZE, (HEADER_END - GENERIC_END) as u32);
    put_u32(&mut h, USER_SIZE, 0);
    put_text(&mut h, FILE_NAME, 100, file_name);
    put_text(
        &mut h,
        CREATION_DATE,
        24,
        meta.created.as_deref().unwrap_or(""),
    );
    put_text(
        &mut h,
        CREATOR,
        100,
        meta.creator.as_deref().unwrap_or(crate::CREATOR),
    );
    put_text(&mut h, PROJECT, 200, meta.project.as_deref().unwrap_or(""));
    put_text(
        &mut h,
        COPYRIGHT,
        200,
        meta.copyright.as_deref().unwrap_or(""),
    );
    put_u32(&mut h, ENCRYPT_KEY, UNDEFINED_U32);

    // Image information: one element; elements 2-8 undefined (all ones).
    let orientation = extra_u32("Orientation").filter(|&o| o <= 7).unwrap_or(0);
    put_u16(&mut h, ORIENTATION, orientation as u16);
    put_u16(&mut h, ELEMENT_COUNT, 1);
    put_u32(&mut h, PIXELS_PER_LINE, b.width);
    put_u32(&mut h, LINES_PER_ELEMENT, b.height);
    h[ELEMENT + ELEMENT_SIZE..ELEMENT + 8 * ELEMENT_SIZE].fill(0xFF);
    let el = ELEMENT;
    put_u32(&mut h, el + EL_DATA_SIGN, 0);
    put_u32(&mut h, el + EL_LOW_DATA, 0);
    put_f32(&mut h, el + EL_LOW_QUANTITY, None);
    put_u32(&mut h, el + EL_HIGH_DATA, (1u32 << b.bits) - 1);
    put_f32(&mut h, el + EL_HIGH_QUANTITY, None);
    h[el + EL_DESCRIPTOR] = if b.components == 4 {
        DESCRIPTOR_RGBA
    } else {
        DESCRIPTOR_RGB
    };
    // 0 is "user defined" for both characteristics.
    h[el + EL_TRANSFER] = extra_u8("Transfer").unwrap_or(0);
    h[el + EL_COLORIMETRIC] = extra_u8("Colorimetric").unwrap_or(0);
    h[el + EL_BIT_DEPTH] = b.bits as u8;
    put_u16(
        &mut h,
        el + EL_PACKING,
        if b.bits == 8 { 0 } else { b.packing.code() },
    );
    put_u16(&mut h, el + EL_ENCODING, 0);
    put_u32(&mut h, el + EL_DATA_OFFSET, HEADER_END as u32);
    put_u32(&mut h, el + EL_EOL_PADDING, 0);
    put_u32(&mut h, el + EL_EOI_PADDING, 0);
    put_text(
        &mut h,
        el + EL_DESCRIPTION,
        32,
        extra("ImageDescription").unwrap_or(""),
    );

    // Image origination.
    put_u32(&mut h, X_OFFSET, 0);
    put_u32(&mut h, Y_OFFSET, 0);
    put_f32(&mut h, X_CENTER, None);
    put_f32(&mut h, Y_CENTER, None);
    put_u32(&mut h, X_ORIGINAL_SIZE, b.width);
    put_u32(&mut h, Y_ORIGINAL_SIZE, b.height);
    put_text(
        &mut h,
        SOURCE_FILE_NAME,
        100,
        meta.source_file.as_deref().unwrap_or(""),
    );
    put_text(
        &mut h,
        SOURCE_DATE,
        24,
        extra("SourceDateTime").unwrap_or(""),
    );
    put_text(&mut h, INPUT_DEVICE, 32, meta.reel.as_deref().unwrap_or(""));
    put_text(
        &mut h,
        INPUT_DEVICE_SERIAL,
        32,
        extra("InputDeviceSerialNumber").unwrap_or(""),
    );
    h[BORDER..BORDER + 8].fill(0xFF);
    let (ah, av) = extra("PixelAspectRatio")
        .and_then(|s| s.split_once(':'))
        .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)))
        .unwrap_or((1u32, 1u32));
    put_u32(&mut h, ASPECT_RATIO, ah);
    put_u32(&mut h, ASPECT_RATIO + 4, av);
    put_f32(&mut h, X_SCANNED_SIZE, extra_f32("XScannedSize"));
    put_f32(&mut h, Y_SCANNED_SIZE, extra_f32("YScannedSize"));

    // Film header.
    if let Some(edge) = extra("FilmEdgeCode").filter(|e| e.len() == 16 && e.is_ascii()) {
        h[FILM_MFG_ID..FILM_MFG_ID + 16].copy_from_slice(edge.as_bytes());
    }
    put_text(&mut h, FILM_FORMAT, 32, extra("Format").unwrap_or(""));
    for (name, off) in [
        ("FramePosition", FRAME_POSITION),
        ("SequenceLength", SEQUENCE_LENGTH),
        ("HeldCount", HELD_COUNT),
    ] {
        put_u32(&mut h, off, extra_u32(name).unwrap_or(UNDEFINED_U32));
    }
    let fps = meta
        .fps
        .filter(|r| r.is_finite() && *r > 0.0)
        .map(|r| r as f32);
    put_f32(&mut h, FILM_FRAME_RATE, fps);
    put_f32(&mut h, SHUTTER_ANGLE, extra_f32("ShutterAngle"));
    put_text(&mut h, FRAME_ID, 32, extra("FrameId").unwrap_or(""));
    put_text(&mut h, SLATE_INFO, 100, extra("SlateInfo").unwrap_or(""));

    // Television header.
    let tc = meta
        .timecode
        .as_ref()
        .map_or(UNDEFINED_U32, timecode_to_bcd);
    put_u32(&mut h, TIMECODE, tc);
    put_u32(&mut h, USER_BITS, meta.user_bits.unwrap_or(UNDEFINED_U32));
    h[INTERLACE] = extra_u8("Interlace").unwrap_or(0xFF);
    h[FIELD_NUMBER] = extra_u8("FieldNumber").unwrap_or(0xFF);
    h[VIDEO_SIGNAL] = extra_u8("Signal").unwrap_or(0xFF);
    h[VIDEO_SIGNAL + 1] = 0;
    for (name, off) in [
        ("HorizontalSampleRate", HORIZONTAL_SAMPLE_RATE),
        ("VerticalSampleRate", VERTICAL_SAMPLE_RATE),
        ("TimeOffset", TIME_OFFSET),
        ("Gamma", GAMMA),
        ("BlackLevel", BLACK_LEVEL),
        ("BlackGain", BLACK_GAIN),
        ("BreakPoint", BREAK_POINT),
        ("WhiteLevel", WHITE_LEVEL),
        ("IntegrationTimes", INTEGRATION_TIMES),
    ] {
        put_f32(&mut h, off, extra_f32(name));
    }
    put_f32(&mut h, TEMPORAL_FRAME_RATE, fps);
    h
}

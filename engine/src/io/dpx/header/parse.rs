//! Reading a DPX header from untrusted bytes: the byte order, the image
//! element, its packing and where the pixels are (checked against the
//! file's length), and the metadata the header carries.

use super::*;

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
        m.pixel_aspect = Some(f64::from(a.0) / f64::from(a.1));
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

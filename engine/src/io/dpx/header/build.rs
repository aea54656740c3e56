//! Building the DPX header of a frame grade writes, in either byte order,
//! with the frame's metadata.

use super::*;

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

/// A pixel aspect as the header's two whole numbers, horizontal:vertical
/// (2 as 2:1, 1.8 as 9:5), to a thousandth.
fn aspect_ratio(par: f64) -> Option<(u32, u32)> {
    if !(par.is_finite() && par > 0.0 && par < 1e6) {
        return None;
    }
    let (mut h, mut v) = ((par * 1000.0).round() as u64, 1000u64);
    if h == 0 {
        return None;
    }
    let (mut a, mut b) = (h, v);
    while b != 0 {
        (a, b) = (b, a % b);
    }
    h /= a;
    v /= a;
    Some((u32::try_from(h).ok()?, u32::try_from(v).ok()?))
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
    // The frame's pixel aspect (a reformat sets the output format's), as
    // the source header's own ratio where that says the same; else square.
    let from_source: Option<(u32, u32)> = extra("PixelAspectRatio")
        .and_then(|s| s.split_once(':'))
        .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)));
    let (ah, av) = match (meta.pixel_aspect, from_source) {
        (Some(p), Some((a, b))) if b != 0 && (f64::from(a) / f64::from(b) - p).abs() < 1e-9 => {
            (a, b)
        }
        (Some(p), _) => aspect_ratio(p).unwrap_or((1, 1)),
        (None, Some(r)) => r,
        (None, None) => (1, 1),
    };
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

//! Header fields read and written: frame rates, file size and image
//! offsets, line padding, timecode BCD and the pixel aspect.

use super::*;

#[test]
fn film_frame_rate_wins_over_television_rate() {
    // rgb_10a_le.dpx has film rate 29.97 and television rate 25 (set by
    // make_dpx_fixtures.py; OpenImageIO reports both).
    let info = read_info(&fixture("dpx/rgb_10a_le.dpx")).unwrap();
    assert!((info.meta.fps.unwrap() - 29.97).abs() < 1e-5);
    assert_eq!(info.meta.extra["dpx:TemporalFrameRate"], "25");
}

#[test]
fn wrong_file_size_field_is_ignored() {
    let good = read(&fixture("dpx/rgb_10a_be.dpx")).unwrap();
    let odd = read(&fixture("dpx/rgb_10a_be_wrong_size.dpx")).unwrap();
    assert_eq!(good.pixels, odd.pixels);
}

#[test]
fn read_info_agrees_with_read() {
    for f in our_fixtures().iter().chain([&nuke()]) {
        let frame = read(f).unwrap();
        let info = read_info(f).unwrap();
        assert_eq!((info.width, info.height), (frame.width, frame.height));
        assert_eq!(info.meta, frame.meta, "{}", f.display());
        assert_eq!(Some(info.source), frame.source);
    }
}

#[test]
fn timecode_bcd() {
    let tc = SmpteTimecode {
        hours: 23,
        minutes: 59,
        seconds: 58,
        frames: 29,
        drop_frame: true,
    };
    // 0x23595869: BCD digits with the drop-frame flag (bit 6) set, as
    // OpenEXR's Imf::TimeCode packs it.
    assert_eq!(timecode_to_bcd(&tc), 0x2359_5869);
    assert_eq!(timecode_from_bcd(0x2359_5869), Some(tc));
    assert_eq!(
        timecode_from_bcd(0x0102_0304).unwrap().to_string(),
        "01:02:03:04"
    );
    assert_eq!(timecode_from_bcd(0x0A00_0000), None, "hour units digit 10");
    assert_eq!(timecode_from_bcd(0x2400_0000), None, "hour 24");
}

#[test]
fn end_of_line_padding_is_honoured() {
    let frame = test_frame(5, 3, 10, false);
    let mut bytes = Vec::new();
    write_to(
        &mut bytes,
        &frame,
        &opts(BitDepth::U10, Endian::Big, false),
        Path::new("p.dpx"),
    )
    .unwrap();
    let row = 20; // 5 pixels, one 32-bit word each
    let pad = 12;
    let mut padded = bytes[..2048].to_vec();
    for y in 0..3 {
        padded.extend_from_slice(&bytes[2048 + y * row..2048 + (y + 1) * row]);
        padded.extend_from_slice(&[0xAB; 12]);
    }
    let at = header::ELEMENT + header::EL_EOL_PADDING;
    padded[at..at + 4].copy_from_slice(&(pad as u32).to_be_bytes());
    let back = read_bytes(&padded, Path::new("p.dpx")).unwrap();
    assert_eq!(back.pixels, frame.pixels);
    assert_eq!(back.meta.extra["dpx:EndOfLinePadding"], "12");
    // The last row's padding may be missing.
    let back = read_bytes(&padded[..padded.len() - pad], Path::new("p.dpx")).unwrap();
    assert_eq!(back.pixels, frame.pixels);
}

#[test]
fn image_data_offset_is_honoured() {
    // OpenImageIO writes pixels at 8192 (all our fixtures); move them further.
    let bytes = std::fs::read(fixture("dpx/rgb_16_be.dpx")).unwrap();
    let mut moved = bytes[..8192].to_vec();
    moved.extend_from_slice(&[0u8; 100]);
    moved.extend_from_slice(&bytes[8192..]);
    for at in [
        header::IMAGE_OFFSET,
        header::ELEMENT + header::EL_DATA_OFFSET,
    ] {
        moved[at..at + 4].copy_from_slice(&8292u32.to_be_bytes());
    }
    let a = read_bytes(&bytes, Path::new("a.dpx")).unwrap();
    let b = read_bytes(&moved, Path::new("b.dpx")).unwrap();
    assert_eq!(a.pixels, b.pixels);
}

/// The pixel aspect: read from the orientation header's two numbers, written
/// from the frame's (a reformat's output format), the source's own ratio
/// kept where it says the same.
#[test]
fn pixel_aspect_is_read_and_written() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("a.dpx");
    let mut f = crate::testcard::test_card(16, 8, 1, [1.0, 1.0, 1.0]);
    for (par, want) in [
        (Some(2.0), (2, 1)),
        (Some(1.8), (9, 5)),
        (None, (1, 1)),
        (Some(1.0), (1, 1)),
    ] {
        f.meta.pixel_aspect = par;
        crate::io::write_frame(&path, &f, &Default::default()).unwrap();
        let back = crate::io::read_frame(&path).unwrap();
        assert_eq!(
            back.meta.pixel_aspect,
            Some(f64::from(want.0) / f64::from(want.1))
        );
        assert_eq!(
            back.meta
                .extra
                .get("dpx:PixelAspectRatio")
                .map(String::as_str),
            Some(format!("{}:{}", want.0, want.1).as_str())
        );
        // Written again as read: the same ratio, 4:3 stays 4:3.
        let mut again = back.clone();
        again
            .meta
            .extra
            .insert("dpx:PixelAspectRatio".into(), "4:3".into());
        again.meta.pixel_aspect = Some(4.0 / 3.0);
        crate::io::write_frame(&path, &again, &Default::default()).unwrap();
        let back = crate::io::read_frame(&path).unwrap();
        assert_eq!(back.meta.extra["dpx:PixelAspectRatio"], "4:3");
    }
}

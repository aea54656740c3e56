//! Writing DPX: round trips bit for bit at every depth and packing, the
//! default master, quantizing, and the depths DPX cannot hold.

use super::*;

#[test]
fn grade_round_trip_is_bit_exact() {
    let depths = [
        (BitDepth::U8, 8),
        (BitDepth::U10, 10),
        (BitDepth::U12, 12),
        (BitDepth::U16, 16),
    ];
    for (depth, bits) in depths {
        for endian in [Endian::Big, Endian::Little] {
            for alpha in [false, true] {
                // Widths 7 and 8 end 10-bit RGBA rows mid-word and on a word.
                for width in [7, 8] {
                    let frame = test_frame(width, 5, bits, alpha);
                    let mut bytes = Vec::new();
                    let path = Path::new("roundtrip.dpx");
                    write_to(&mut bytes, &frame, &opts(depth, endian, alpha), path).unwrap();
                    let back = read_bytes(&bytes, path).unwrap();
                    assert_eq!(
                        back.pixels, frame.pixels,
                        "{bits}-bit {endian:?} alpha {alpha}"
                    );
                    assert_same_meta(&frame.meta, &back.meta);
                    assert_eq!(back.meta.source_file, frame.meta.source_file);
                    assert_eq!(back.meta.created, frame.meta.created);
                    assert_eq!(back.meta.project, frame.meta.project);
                    assert_eq!(back.meta.copyright, frame.meta.copyright);
                    assert_eq!(back.meta.creator, frame.meta.creator);
                }
            }
        }
    }
}

#[test]
fn method_b_and_packed_sources_rewrite_exactly() {
    // Whatever the source layout, writing at its depth and reading back
    // gives the same pixels.
    for name in [
        "rgb_10b_be.dpx",
        "rgb_10b_le.dpx",
        "rgb_10p_be.dpx",
        "rgb_12b_le.dpx",
        "rgb_12p_le.dpx",
    ] {
        let src = read(&fixture(&format!("dpx/{name}"))).unwrap();
        let depth = if name.contains("_10") {
            BitDepth::U10
        } else {
            BitDepth::U12
        };
        let mut bytes = Vec::new();
        write_to(
            &mut bytes,
            &src,
            &opts(depth, Endian::Big, false),
            Path::new(name),
        )
        .unwrap();
        let back = read_bytes(&bytes, Path::new(name)).unwrap();
        assert_eq!(back.pixels, src.pixels, "{name}");
        assert_same_meta(&src.meta, &back.meta);
    }
}

#[test]
fn default_master_is_16_bit_rgb_big_endian() {
    let mut frame = test_frame(4, 2, 16, false);
    frame.source = None;
    let mut bytes = Vec::new();
    write_to(
        &mut bytes,
        &frame,
        &WriteOptions::default(),
        Path::new("m.dpx"),
    )
    .unwrap();
    assert_eq!(&bytes[..4], b"SDPX");
    let info = read_bytes(&bytes, Path::new("m.dpx"))
        .unwrap()
        .source
        .unwrap();
    assert_eq!(info.layout, "16-bit, big-endian");
    assert_eq!(info.channels, ["R", "G", "B"]);
    // Image data offset, then the pixel data, and nothing after it.
    assert_eq!(bytes.len(), 2048 + 4 * 2 * 3 * 2);
}

#[test]
fn quantize_clamps_rounds_and_zeroes_nan() {
    use super::pixels::quantize;
    assert_eq!(quantize(f32::NAN, 1023.0), 0);
    assert_eq!(quantize(-0.5, 1023.0), 0);
    assert_eq!(quantize(7.0, 1023.0), 1023);
    assert_eq!(quantize(f32::INFINITY, 65535.0), 65535);
    assert_eq!(quantize(0.5, 1023.0), 512); // 511.5 rounds up
    assert_eq!(quantize(0.4995, 1023.0), 511); // 510.99
    assert_eq!(quantize(1.0 / 65535.0, 65535.0), 1);
}

#[test]
fn write_rejects_float_depths() {
    let frame = test_frame(2, 2, 16, false);
    let o = WriteOptions {
        depth: Some(BitDepth::Half),
        ..WriteOptions::default()
    };
    let err = write_to(&mut Vec::new(), &frame, &o, Path::new("x.dpx")).unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err}");
}

//! DPX tests. Expected pixels and attributes come from OpenImageIO 3.2
//! (`testutil::oiio_read`, scripts/reference/oiio_dump.py) reading the same
//! file; fixtures in tests/data/dpx/ were written by
//! scripts/reference/make_dpx_fixtures.py.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::header::{self, timecode_from_bcd, timecode_to_bcd};
use super::*;
use crate::testutil::{fixture, fixtures_with_ext, oiio_read, reference_python, repo_root};
use crate::SmpteTimecode;

fn nuke() -> PathBuf {
    fixture("public/oiio-images/dpx/dpx_nuke_10bits_rgb.dpx")
}

fn our_fixtures() -> Vec<PathBuf> {
    fixtures_with_ext("dpx", &["dpx"])
}

/// Largest difference from OpenImageIO we accept for a file of `bits`:
/// half a code value. OpenImageIO widens 10 and 12-bit codes to 16 bits by
/// bit replication (`(c << 6) | (c >> 4)`) before dividing by 65535, which
/// is within 1/65535 of our `c / 1023`. 12-bit filled method A is the one
/// exception: OpenImageIO returns the raw 16-bit word (`c << 4`) over
/// 65535, up to 0.94 of a 12-bit code below `c / 4095`, so one code there.
fn tolerance(bits: u32, layout: &str) -> f32 {
    let codes = if layout.contains("12-bit filled method A") {
        1.0
    } else {
        0.5
    };
    codes / ((1u32 << bits) - 1) as f32
}

fn compare_with_oiio(path: &Path) -> Option<f32> {
    let oiio = oiio_read(path)?;
    let frame = read(path).unwrap_or_else(|e| panic!("{e}"));
    let src = frame.source.as_ref().unwrap();
    assert_eq!(
        (frame.width as usize, frame.height as usize),
        (oiio.width, oiio.height)
    );
    let bits: u32 = src.bit_depth.parse().unwrap();
    if let Some(theirs) = oiio.header["attributes"]["oiio:BitsPerSample"].as_u64() {
        assert_eq!(theirs, bits as u64, "{}: bit depth", path.display());
    }
    let tol = tolerance(bits, &src.layout);
    let nc = oiio.channels;
    // OpenImageIO 3.2 reads one word short of a 10-bit filled row when the
    // row's sample count leaves one sample in its last word (libdpx
    // Read10bitFilled: `readSize += readSize % 3`), so it returns 0 for that
    // sample. There grade is checked against OpenImageIO's read of the
    // 16-bit fixture of the same picture, within one 10-bit code (its
    // writer truncates 16-bit values to 10 bits).
    let short_read = src.layout.starts_with("10-bit filled") && (oiio.width * nc) % 3 == 1;
    let wide = if short_read {
        let twin = fixture(&format!(
            "dpx/{}_16_be.dpx",
            if nc == 4 { "rgba" } else { "rgb" }
        ));
        oiio_read(&twin)
    } else {
        None
    };
    let mut worst = 0.0f32;
    for (i, px) in frame.pixels.chunks_exact(4).enumerate() {
        let mut theirs = oiio.pixels[i * nc..i * nc + nc].to_vec();
        let mut tol = tol;
        if let Some(w) = wide.as_ref().filter(|_| (i + 1) % oiio.width == 0) {
            theirs[nc - 1] = w.pixels[i * nc + nc - 1];
            tol = 1.0 / 1023.0;
        }
        let expected: [f32; 4] = match nc {
            1 => [theirs[0], theirs[0], theirs[0], 1.0],
            3 => [theirs[0], theirs[1], theirs[2], 1.0],
            _ => [theirs[0], theirs[1], theirs[2], theirs[3]],
        };
        for c in 0..4 {
            let d = (px[c] - expected[c]).abs();
            worst = worst.max(d);
            assert!(
                d <= tol,
                "{}: pixel {i} channel {c}: grade {} OpenImageIO {} (tolerance {tol})",
                path.display(),
                px[c],
                expected[c]
            );
        }
    }
    compare_metadata(path, &frame.meta, &oiio.header["attributes"]);
    Some(worst * ((1u32 << bits) - 1) as f32)
}

/// The header fields OpenImageIO reports, against ours.
fn compare_metadata(path: &Path, m: &Metadata, a: &serde_json::Value) {
    let p = path.display();
    let s = |k: &str| a[k].as_str().map(str::to_string);
    assert_eq!(
        m.timecode.map(|t| t.to_string()),
        s("dpx:TimeCode"),
        "{p}: timecode"
    );
    assert_eq!(
        m.user_bits.map(u64::from),
        a["dpx:UserBits"].as_u64(),
        "{p}: user bits"
    );
    assert_eq!(m.reel, s("dpx:InputDevice"), "{p}: reel / input device");
    assert_eq!(m.creator, s("Software"), "{p}: creator");
    assert_eq!(m.project, s("DocumentName"), "{p}: project");
    assert_eq!(m.copyright, s("Copyright"), "{p}: copyright");
    assert_eq!(
        m.source_file,
        s("dpx:SourceImageFileName"),
        "{p}: source file"
    );
    for k in ["FrameId", "SlateInfo"] {
        assert_eq!(
            m.extra.get(&format!("dpx:{k}")).cloned(),
            s(&format!("dpx:{k}")),
            "{p}: {k}"
        );
    }
    // OpenImageIO reports "%Y:%m:%d %H:%M:%S" from the header's
    // "%Y:%m:%d:%H:%M:%S%Z"; grade keeps the header's text.
    if let Some(date) = s("DateTime") {
        let ours = m.created.clone().expect("creation date");
        assert_eq!(ours.get(..10), date.get(..10), "{p}: date");
        assert_eq!(ours.get(11..19), date.get(11..19), "{p}: time");
    }
    let positive = |k: &str| a[k].as_f64().filter(|&r| r > 0.0);
    let fps = positive("dpx:FrameRate").or(positive("dpx:TemporalFrameRate"));
    match (m.fps, fps) {
        (Some(ours), Some(theirs)) => {
            assert!((ours - theirs).abs() < 1e-6, "{p}: fps {ours} vs {theirs}")
        }
        (ours, theirs) => assert_eq!(ours, theirs, "{p}: fps"),
    }
    // OpenImageIO maps DPX orientation codes onto TIFF/EXIF ones (dpxinput.cpp).
    let exif = [1, 2, 4, 3, 5, 6, 8, 7];
    let ours = m.extra["dpx:Orientation"].parse::<usize>().unwrap();
    assert_eq!(
        Some(exif[ours] as u64),
        a["Orientation"].as_u64(),
        "{p}: orientation"
    );
}

#[test]
fn nuke_10bit_matches_openimageio() {
    let Some(worst) = compare_with_oiio(&nuke()) else {
        return;
    };
    println!(
        "dpx_nuke_10bits_rgb.dpx: largest difference from OpenImageIO {worst:.4} of a 10-bit code"
    );
    let info = read_info(&nuke()).unwrap();
    assert_eq!((info.width, info.height), (512, 512));
    assert_eq!(info.source.layout, "10-bit filled method A, big-endian");
    // Values OpenImageIO reports for this file (see the dump above):
    // dpx:TimeCode "00:00:00:00", dpx:UserBits 0, dpx:FramePosition 32895.
    assert_eq!(info.meta.timecode, Some(SmpteTimecode::default()));
    assert_eq!(info.meta.extra["dpx:FramePosition"], "32895");
}

#[test]
fn fixtures_match_openimageio() {
    let files = our_fixtures();
    assert!(
        files.len() >= 20,
        "fixtures missing: run scripts/reference/make_dpx_fixtures.py"
    );
    for f in &files {
        let Some(worst) = compare_with_oiio(f) else {
            return;
        };
        let layout = read_info(f).unwrap().source.layout;
        println!(
            "{}: {layout}: largest difference from OpenImageIO {worst:.4} code",
            f.file_name().unwrap().to_string_lossy()
        );
    }
}

#[test]
fn fixtures_cover_the_layouts() {
    let mut seen: Vec<String> = our_fixtures()
        .iter()
        .map(|f| {
            let i = read_info(f).unwrap();
            format!("{} {}", i.source.channels.join(""), i.source.layout)
        })
        .collect();
    seen.sort();
    seen.dedup();
    for want in [
        "RGB 8-bit, big-endian",
        "RGB 10-bit filled method A, big-endian",
        "RGB 10-bit filled method A, little-endian",
        "RGB 10-bit filled method B, big-endian",
        "RGB 10-bit filled method B, little-endian",
        "RGB 10-bit packed, little-endian",
        "RGB 12-bit packed, big-endian",
        "RGB 12-bit filled method A, big-endian",
        "RGB 12-bit filled method B, little-endian",
        "RGB 16-bit, little-endian",
        "RGBA 10-bit filled method A, big-endian",
        "RGBA 8-bit, little-endian",
        "Y 10-bit filled method A, big-endian",
        "Y 10-bit packed, little-endian",
        "Y 16-bit, big-endian",
    ] {
        assert!(
            seen.iter().any(|s| s == want),
            "no fixture for {want}: {seen:?}"
        );
    }
}

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

/// A frame whose samples are exact code values of `bits`, with metadata.
fn test_frame(width: u32, height: u32, bits: u32, alpha: bool) -> Frame {
    let max = ((1u32 << bits) - 1) as f32;
    let mut f = Frame::new(width, height);
    let mut seed = 0x2545_f491_u32;
    for (i, v) in f.pixels.iter_mut().enumerate() {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let code = match i {
            0 => 0,
            1 => (1u32 << bits) - 1,
            _ => seed % (1u32 << bits),
        };
        *v = code as f32 / max;
        if i % 4 == 3 && !alpha {
            *v = 1.0;
        }
    }
    f.meta = Metadata {
        timecode: Some(SmpteTimecode {
            hours: 1,
            minutes: 2,
            seconds: 3,
            frames: 4,
            drop_frame: false,
        }),
        user_bits: Some(0x1234_5678),
        fps: Some(24.0),
        reel: Some("A001R2AB".into()),
        source_file: Some("A001C003.0001001.dpx".into()),
        creator: Some("grade tests".into()),
        created: Some("2026:01:02:03:04:05Z".into()),
        project: Some("Project X".into()),
        copyright: Some("(c) nobody".into()),
        ..Metadata::default()
    };
    f.meta
        .extra
        .insert("dpx:SlateInfo".into(), "SC12 TK3".into());
    // Orientation 1 (right to left, top to bottom): OpenImageIO 3.2 maps
    // codes 0 and 1 the same way reading and writing, but swaps 2 and 3
    // when it rewrites a file (dpxinput.cpp and dpxoutput.cpp disagree).
    f.meta.extra.insert("dpx:Orientation".into(), "1".into());
    f
}

fn opts(depth: BitDepth, endian: Endian, alpha: bool) -> WriteOptions {
    WriteOptions {
        depth: Some(depth),
        dpx_endian: Some(endian),
        alpha: Some(alpha),
        ..WriteOptions::default()
    }
}

fn assert_same_meta(a: &Metadata, b: &Metadata) {
    assert_eq!(a.timecode, b.timecode);
    assert_eq!(a.user_bits, b.user_bits);
    assert_eq!(a.fps, b.fps);
    assert_eq!(a.reel, b.reel);
    for k in ["dpx:SlateInfo", "dpx:Orientation"] {
        assert_eq!(a.extra.get(k), b.extra.get(k), "{k}");
    }
}

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

#[test]
fn every_prefix_gives_an_error_or_a_frame() {
    let mut files = our_fixtures();
    files.push(nuke());
    let mut errors = 0usize;
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        // Every prefix of the small fixtures; for the 1 MB Nuke frame every
        // prefix through the header and a stride through the pixels.
        let step = if bytes.len() > 100_000 { 4093 } else { 1 };
        let mut n = 0;
        while n < bytes.len() {
            match read_bytes(&bytes[..n], f) {
                Ok(_) => panic!("{}: a {n}-byte prefix decoded", f.display()),
                Err(Error::Invalid { path, .. }) => assert_eq!(&path, f),
                Err(e) => panic!("{}: prefix {n}: unexpected error {e}", f.display()),
            }
            errors += 1;
            n += if n < 2100 { 1 } else { step };
        }
        read_bytes(&bytes, f).unwrap();
    }
    println!(
        "truncation sweep: {errors} prefixes of {} files, all errors, no panic",
        files.len()
    );
}

fn damaged(edit: impl FnOnce(&mut Vec<u8>)) -> Error {
    let mut bytes = std::fs::read(fixture("dpx/rgb_10a_be.dpx")).unwrap();
    edit(&mut bytes);
    read_bytes(&bytes, Path::new("damaged.dpx")).unwrap_err()
}

fn put_be(bytes: &mut [u8], at: usize, v: u32) {
    bytes[at..at + 4].copy_from_slice(&v.to_be_bytes());
}

#[test]
fn damaged_headers_give_errors() {
    let cases: Vec<(&str, Error, &str)> = vec![
        (
            "huge width",
            damaged(|b| put_be(b, header::PIXELS_PER_LINE, 0x7FFF_FFFF)),
            "larger than grade accepts",
        ),
        (
            "zero height",
            damaged(|b| put_be(b, header::LINES_PER_ELEMENT, 0)),
            "empty",
        ),
        (
            "big frame, small file",
            damaged(|b| {
                put_be(b, header::PIXELS_PER_LINE, 4096);
                put_be(b, header::LINES_PER_ELEMENT, 4096);
            }),
            "truncated",
        ),
        (
            "offset past end",
            damaged(|b| put_be(b, header::ELEMENT + header::EL_DATA_OFFSET, 0xFFFF_FF00)),
            "truncated",
        ),
        (
            "offset inside header",
            damaged(|b| put_be(b, header::ELEMENT + header::EL_DATA_OFFSET, 12)),
            "inside the header",
        ),
        (
            "bad magic",
            damaged(|b| b[..4].copy_from_slice(b"PNG!")),
            "not a DPX file",
        ),
        (
            "no elements",
            damaged(|b| b[header::ELEMENT_COUNT..header::ELEMENT_COUNT + 2].fill(0)),
            "image elements",
        ),
    ];
    for (what, err, needle) in cases {
        let msg = err.to_string();
        if what == "huge width" {
            assert!(matches!(err, Error::Limit { .. }), "{what}: {msg}");
        } else {
            assert!(matches!(err, Error::Invalid { .. }), "{what}: {msg}");
        }
        assert!(msg.starts_with("damaged.dpx: "), "{what}: {msg}");
        assert!(msg.contains(needle), "{what}: {msg}");
    }
    let unsupported: Vec<(&str, Error)> = vec![
        (
            "RLE",
            damaged(|b| b[header::ELEMENT + header::EL_ENCODING + 1] = 1),
        ),
        (
            "CbYCrY",
            damaged(|b| b[header::ELEMENT + header::EL_DESCRIPTOR] = 100),
        ),
        (
            "32-bit",
            damaged(|b| b[header::ELEMENT + header::EL_BIT_DEPTH] = 32),
        ),
        (
            "signed",
            damaged(|b| put_be(b, header::ELEMENT + header::EL_DATA_SIGN, 1)),
        ),
    ];
    for (what, err) in unsupported {
        assert!(matches!(err, Error::Unsupported { .. }), "{what}: {err}");
    }
}

#[test]
fn read_info_checks_the_file_length() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(fixture("dpx/rgb_16_le.dpx")).unwrap();
    let cut = dir.path().join("cut.dpx");
    std::fs::write(&cut, &bytes[..bytes.len() - 1]).unwrap();
    let err = read_info(&cut).unwrap_err().to_string();
    assert!(
        err.contains("cut.dpx") && err.contains("truncated"),
        "{err}"
    );
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

/// grade writes, OpenImageIO reads and rewrites (scripts/reference/oiio_rewrite_dpx.py),
/// grade reads back: pixels bit-exact; timecode, user bits, rate and reel kept.
#[test]
fn round_trip_through_openimageio_is_bit_exact() {
    let Some(py) = reference_python() else {
        return;
    };
    let script = repo_root().join("scripts/reference/oiio_rewrite_dpx.py");
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (BitDepth::U10, 10, "Filled, method A"),
        (BitDepth::U10, 10, "Filled, method B"),
        (BitDepth::U16, 16, "Filled, method A"),
    ];
    for (depth, bits, packing) in cases {
        for endian in [Endian::Big, Endian::Little] {
            for alpha in [false, true] {
                // Width 6: OpenImageIO's reader drops the last sample of a
                // 10-bit filled row whose last word holds one sample (see
                // compare_with_oiio), so rows here end on a full word.
                let frame = test_frame(6, 3, bits, alpha);
                let ours = dir.path().join("grade.dpx");
                let theirs = dir.path().join("oiio.dpx");
                write(&ours, &frame, &opts(depth, endian, alpha)).unwrap();
                let e = if endian == Endian::Big {
                    "big"
                } else {
                    "little"
                };
                let out = Command::new(&py)
                    .arg(&script)
                    .args([&ours, &theirs])
                    .args([&bits.to_string(), packing, e])
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                let back = read(&theirs).unwrap();
                let layout = &back.source.as_ref().unwrap().layout;
                let what = format!("{bits}-bit {packing} {e} alpha {alpha} ({layout})");
                if bits == 10 {
                    let want = if packing.ends_with('A') {
                        "method A"
                    } else {
                        "method B"
                    };
                    assert!(layout.contains(want), "{what}");
                }
                assert!(layout.ends_with(&format!("{e}-endian")), "{what}");
                assert_eq!(back.pixels, frame.pixels, "{what}");
                assert_same_meta(&frame.meta, &back.meta);
            }
        }
    }
}

/// A small in-test fuzzer: random damage to the header fields that steer
/// decoding (and to random header bytes) gives a frame or an error.
#[test]
fn random_header_damage_never_panics() {
    let fields = [
        header::IMAGE_OFFSET,
        header::ELEMENT_COUNT,
        header::PIXELS_PER_LINE,
        header::LINES_PER_ELEMENT,
        header::ELEMENT + header::EL_DESCRIPTOR,
        header::ELEMENT + header::EL_BIT_DEPTH,
        header::ELEMENT + header::EL_PACKING,
        header::ELEMENT + header::EL_DATA_OFFSET,
        header::ELEMENT + header::EL_EOL_PADDING,
        header::TIMECODE,
        header::FILM_FRAME_RATE,
    ];
    let mut seed = 0x1234_5678u32;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    let (mut frames, mut errors) = (0, 0);
    for f in our_fixtures() {
        let clean = std::fs::read(&f).unwrap();
        for _ in 0..300 {
            let mut b = clean.clone();
            for _ in 0..1 + next() % 3 {
                let r = next();
                if r % 2 == 0 {
                    let at = fields[(next() as usize) % fields.len()];
                    // Small values are the interesting ones (bit depths,
                    // descriptors, packings, sizes just off the real one).
                    let v = if r % 4 == 0 { next() } else { next() % 80 };
                    b[at..at + 4].copy_from_slice(&v.to_be_bytes());
                } else {
                    let at = (next() as usize) % header::HEADER_END;
                    b[at] = next() as u8;
                }
            }
            match read_bytes(&b, &f) {
                Ok(frame) => {
                    assert_eq!(frame.pixels.len(), frame.pixel_count() * 4);
                    frames += 1;
                }
                Err(_) => errors += 1,
            }
        }
    }
    println!("random header damage: {frames} frames, {errors} errors, no panic");
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

//! DPX files against OpenImageIO: the public and generated fixtures read
//! as OpenImageIO reads them, pixels and attributes, and grade's files
//! rewritten by OpenImageIO and read back.

use super::*;

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

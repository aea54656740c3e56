//! Luminance/chroma decoding. The fixtures in tests/data/exr/yca/ were
//! written by OpenEXR's RgbaOutputFile, and each one's reference (under
//! reference/) is what OpenEXR's RgbaInputFile read from it, both made by
//! scripts/reference/make_exr_yca_fixtures.py; OpenImageIO reads the
//! references here.

use std::path::PathBuf;

use half::f16;

use super::*;
use crate::io::test_support::compare;
use crate::testutil::{fixture, fixtures_with_ext, oiio_read, repo_root};

/// The luminance/chroma fixtures that have an OpenEXR reference.
fn with_reference() -> Vec<(PathBuf, PathBuf)> {
    fixtures_with_ext("exr/yca", &["exr"])
        .into_iter()
        .filter(|p| !p.components().any(|c| c.as_os_str() == "reference"))
        .filter_map(|p| {
            let name = p.file_name()?.to_owned();
            let reference = p.parent()?.join("reference").join(name);
            reference.exists().then_some((p, reference))
        })
        .collect()
}

/// Tolerance: none. The port stores every intermediate value as half where
/// OpenEXR does and runs its f32 arithmetic in OpenEXR's order, so the
/// result must be the same to the bit.
#[test]
fn luminance_chroma_files_decode_as_openexr_reads_them() {
    let files = with_reference();
    assert!(
        files.len() >= 10,
        "expected the fixtures, found {}",
        files.len()
    );
    let mut failed = Vec::new();
    for (file, reference) in &files {
        let name = file
            .strip_prefix(repo_root())
            .unwrap_or(file)
            .display()
            .to_string();
        let Some(expected) = oiio_read(reference) else {
            return;
        };
        let frame = crate::io::exr::read(file).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            frame
                .source
                .as_ref()
                .unwrap()
                .layout
                .contains("luminance/chroma"),
            "{name}"
        );
        match compare(&frame, &expected, 0.0, 0.0, false) {
            Ok(d) => println!("{name}: max |grade - OpenEXR RgbaInputFile| = {d:e}"),
            Err(e) => failed.push(format!("{name}: {e}")),
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn rec709_luminance_weights_are_the_rec709_luma_coefficients() {
    // ITU-R BT.709 item 3.2: Y = 0.2126 R + 0.7152 G + 0.0722 B.
    let w = luminance_weights(&Primaries::REC709).unwrap();
    for (got, want) in w.iter().zip([0.2126, 0.7152, 0.0722]) {
        assert!((got - want).abs() < 1e-4, "{w:?}");
    }
    assert!((w.iter().sum::<f32>() - 1.0).abs() < 1e-6);
}

#[test]
fn degenerate_primaries_have_no_weights() {
    let p = Primaries {
        red: [0.3, 0.3],
        green: [0.3, 0.3],
        blue: [0.3, 0.3],
        white: [0.3127, 0.3290],
    };
    assert_eq!(luminance_weights(&p), None);
    let p = Primaries {
        white: [0.3127, 0.0],
        ..Primaries::REC709
    };
    assert_eq!(luminance_weights(&p), None);
}

#[test]
fn pixels_without_chroma_are_grey_and_exact() {
    // OpenEXR stores grey (R = G = B) as chroma 0 and reads it back as
    // R = G = B = Y, bit for bit.
    let (w, h) = (6, 4);
    let y: Vec<f16> = (0..w * h).map(|i| f16::from_f32(i as f32 * 0.37)).collect();
    let chroma = vec![f16::ZERO; (w / 2) * (h / 2)];
    let a: Vec<f16> = (0..w * h)
        .map(|i| f16::from_f32(1.0 - i as f32 / 64.0))
        .collect();
    let planes = Planes {
        width: w,
        height: h,
        y: Some(&y),
        ry: Some(&chroma),
        by: Some(&chroma),
        a: Some(&a),
    };
    let rgba = to_rgba(&planes, luminance_weights(&Primaries::REC709).unwrap());
    for (i, px) in rgba.chunks_exact(4).enumerate() {
        let v = y[i].to_f32();
        assert_eq!(px, [v, v, v, a[i].to_f32()], "pixel {i}");
    }
}

#[test]
fn missing_planes_take_openexr_fill_values() {
    // No Y: 0.5; no chroma: 0 (grey); no A: 1.
    let planes = Planes {
        width: 2,
        height: 2,
        y: None,
        ry: None,
        by: None,
        a: None,
    };
    let rgba = to_rgba(&planes, luminance_weights(&Primaries::REC709).unwrap());
    assert!(
        rgba.chunks_exact(4).all(|p| p == [0.5, 0.5, 0.5, 1.0]),
        "{rgba:?}"
    );
}

#[test]
fn y_only_files_read_as_grey() {
    for name in ["exr/yca/y_zip.exr", "exr/yca/ya_b44.exr"] {
        let f = crate::io::exr::read(&fixture(name)).unwrap();
        assert!(
            f.pixels
                .chunks_exact(4)
                .all(|p| p[0] == p[1] && p[1] == p[2]),
            "{name}"
        );
    }
}

//! Reading what the field writes, through the binary: luminance/chroma
//! EXRs, EXRs whose `type` contradicts their tiled flag, packed 10/12/14-bit
//! TIFFs, and a CMYK TIFF refused with a message saying so. Each engine
//! reader is compared with OpenEXR or OpenImageIO in its own tests; these
//! check that `grade apply` takes the files and writes what was read.

use std::path::Path;

use grade_engine::io;

use crate::common::{data, grade, run};

/// Runs `grade apply` with no steps to a float EXR; returns the output.
fn copy_to_float_exr(input: &Path, dir: &Path) -> grade_engine::Frame {
    let output = dir.join("out.exr");
    let out = run(grade()
        .args(["apply", "--backend", "cpu", "-i"])
        .arg(input)
        .args(["--depth", "float", "-o"])
        .arg(&output));
    assert_eq!(out.status.code(), Some(0), "{}", input.display());
    io::read_frame(&output).unwrap()
}

#[test]
fn luminance_chroma_exr_renders_as_openexr_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["yc_b44.exr", "yca_zip.exr", "yc_p3_zip.exr"] {
        let got = copy_to_float_exr(&data(&format!("exr/yca/{name}")), dir.path());
        // What OpenEXR's RgbaInputFile read from the same file (written as
        // plain RGBA half by scripts/reference/make_exr_yca_fixtures.py);
        // half values survive a float EXR exactly.
        let expected = io::read_frame(&data(&format!("exr/yca/reference/{name}"))).unwrap();
        assert_eq!((got.width, got.height), (expected.width, expected.height));
        let same = got
            .pixels
            .iter()
            .zip(&expected.pixels)
            .all(|(a, b)| a.to_bits() == b.to_bits());
        assert!(same, "{name}: differs from OpenEXR's reading");
    }
}

#[test]
fn exr_whose_type_contradicts_its_tiled_flag_renders() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "scanline_with_tiledimage_type.exr",
        "tiled_with_scanlineimage_type.exr",
    ] {
        let input = data(&format!("public/openexr/src/test/OpenEXRTest/{name}"));
        let got = copy_to_float_exr(&input, dir.path());
        assert_eq!(got.pixels, io::read_frame(&input).unwrap().pixels, "{name}");
    }
}

#[test]
fn packed_10_12_14_bit_tiffs_render_their_codes() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bits) in [
        (
            "public/oiio-images/libtiffpic/depth/flower-rgb-planar-10.tif",
            10,
        ),
        (
            "public/oiio-images/libtiffpic/depth/flower-rgb-contig-12.tif",
            12,
        ),
        ("tiff/bits/rgb14_zip.tif", 14),
    ] {
        let got = copy_to_float_exr(&data(name), dir.path());
        let max = ((1u32 << bits) - 1) as f32;
        for v in got.pixels.iter() {
            let code = v * max;
            assert!(
                (code - code.round()).abs() < 1e-3,
                "{name}: {v} is no {bits}-bit code"
            );
        }
        assert!(got.pixels.iter().any(|&v| v > 0.0 && v < 1.0), "{name}");
    }
}

#[test]
fn a_cmyk_tiff_is_refused_naming_the_file_and_cmyk() {
    let dir = tempfile::tempdir().unwrap();
    let input = data("public/oiio-images/libtiffpic/depth/flower-separated-contig-08.tif");
    let out = run(grade()
        .args(["apply", "--backend", "cpu", "-i"])
        .arg(&input)
        .arg("-o")
        .arg(dir.path().join("out.exr")));
    // Refused when its frame is read, like any unreadable frame: exit 1
    // (some frames failed), the reason on the frame's line.
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("flower-separated-contig-08.tif"), "{err}");
    assert!(err.contains("CMYK"), "{err}");
    assert!(!dir.path().join("out.exr").exists());
}

/// A header over grade's limits is refused before anything is allocated,
/// with the limits error's own message (what the file asks for, what grade
/// accepts) naming the file.
#[test]
fn a_dpx_wider_than_grade_accepts_names_the_file_and_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("wide.dpx");
    let opts = grade_engine::io::WriteOptions {
        depth: Some(grade_engine::io::BitDepth::U10),
        ..Default::default()
    };
    io::write_frame(&input, &crate::common::test_frame(8, 4), &opts).unwrap();
    let mut bytes = std::fs::read(&input).unwrap();
    // Pixels per line: the first field of the image information header
    // (SMPTE 268M, offset 772), in the file's byte order.
    let wide = 0x7FFF_FFFFu32;
    let field = match &bytes[..4] {
        b"SDPX" => wide.to_be_bytes(),
        _ => wide.to_le_bytes(),
    };
    bytes[772..776].copy_from_slice(&field);
    std::fs::write(&input, &bytes).unwrap();
    let out = run(grade()
        .args(["apply", "--backend", "cpu", "-i"])
        .arg(&input)
        .arg("-o")
        .arg(dir.path().join("out.exr")));
    // Refused when its frame is read, like any unreadable frame: exit 1
    // (some frames failed), the reason on the frame's line.
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "wide.dpx: image size 2147483647x4 is larger than grade accepts (65536 per side"
        ),
        "{err}"
    );
    assert!(!dir.path().join("out.exr").exists());
}

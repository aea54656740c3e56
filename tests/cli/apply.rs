//! `grade apply` through the binary.

use std::path::Path;

use grade_engine::grade::{Grade, Step};
use grade_engine::io;

use crate::common::{data, exr_input, grade, run};

#[test]
fn apply_on_exr_gives_the_library_result() {
    let dir = tempfile::tempdir().unwrap();
    let (input, frame) = exr_input(dir.path(), 64, 48);
    let output = dir.path().join("out.exr");
    let cc = data("public/ocio/tests/data/files/cdl_test1.cc");
    let cube =
        data("public/colour/colour/io/luts/tests/resources/resolve_cube/Colour_Correct.cube");
    let out = run(grade()
        .args(["apply", "--backend", "cpu", "-i"])
        .arg(&input)
        .arg("--cdl")
        .arg(&cc)
        .arg("--lut")
        .arg(&cube)
        .args(["--exposure", "0.5", "--depth", "float", "-o"])
        .arg(&output));
    assert_eq!(out.status.code(), Some(0));

    let program = Grade {
        steps: vec![
            Step::File {
                path: cc,
                select: None,
                interpolation: None,
                cdl_style: None,
                invert: false,
            },
            Step::File {
                path: cube,
                select: None,
                interpolation: None,
                cdl_style: None,
                invert: false,
            },
            Step::Primary(grade_engine::ops::Primary {
                exposure: [0.5; 3],
                ..Default::default()
            }),
        ],
    }
    .compile()
    .unwrap();
    let mut expected = frame.pixels.clone();
    grade_engine::cpu::reference::apply(&program, &mut expected);
    let got = io::read_frame(&output).unwrap();
    let worst = got
        .pixels
        .iter()
        .zip(&expected)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    // The binary runs the optimised program on the fast executor; the
    // library reference agrees with it to 1e-6, and float EXR stores f32 exactly.
    assert!(worst <= 2e-6, "worst difference {worst}");
}

#[test]
fn steps_apply_in_the_order_written() {
    let dir = tempfile::tempdir().unwrap();
    let (input, _) = exr_input(dir.path(), 8, 8);
    let a = dir.path().join("a.exr");
    let b = dir.path().join("b.exr");
    let base = |out: &Path| {
        let mut c = grade();
        c.args(["apply", "--backend", "cpu", "--depth", "float", "-i"])
            .arg(&input)
            .arg("-o")
            .arg(out);
        c
    };
    assert!(run(base(&a).args(["--exposure", "1", "--gamma", "2"]))
        .status
        .success());
    assert!(run(base(&b).args(["--gamma", "2", "--exposure", "1"]))
        .status
        .success());
    let fa = io::read_frame(&a).unwrap();
    let fb = io::read_frame(&b).unwrap();
    let x = fa.pixel(7, 7)[0];
    let y = fb.pixel(7, 7)[0];
    // 2^1 then ^(1/2) differs from ^(1/2) then 2^1 for any value but 0 and 1.
    assert!((x - y).abs() > 1e-3, "order ignored: {x} vs {y}");
}

#[test]
fn invert_undoes_the_step_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let (input, frame) = exr_input(dir.path(), 16, 16);
    let out = dir.path().join("out.exr");
    let r = run(grade()
        .args(["apply", "--backend", "cpu", "--depth", "float", "-i"])
        .arg(&input)
        .args([
            "--slope",
            "1.2",
            "0.9",
            "1.1",
            "--offset",
            "0.01",
            "0",
            "-0.02",
            "--cdl-style",
            "no-clamp",
        ])
        .args([
            "--slope", "1.2", "0.9", "1.1", "--offset", "0.01", "0", "-0.02", "--invert", "-o",
        ])
        .arg(&out));
    assert!(r.status.success());
    let got = io::read_frame(&out).unwrap();
    for (g, e) in got.pixels.iter().zip(&frame.pixels) {
        // Slope/offset forward then reverse: a few f32 roundings apart.
        assert!((g - e).abs() < 1e-5, "{g} vs {e}");
    }
}

#[test]
fn invert_undoes_a_primary_correction() {
    let dir = tempfile::tempdir().unwrap();
    let (input, frame) = exr_input(dir.path(), 16, 16);
    let out = dir.path().join("out.exr");
    let mut cmd = grade();
    cmd.args(["apply", "--backend", "cpu", "--depth", "float", "-i"])
        .arg(&input);
    for step in [
        &["--exposure", "0.5"][..],
        &["--contrast", "1.2:0.18"],
        &["--lift", "0.02", "0", "-0.01"],
        &["--gamma", "1.1", "0.9", "1.2"],
        &["--gain", "1.1", "1", "0.95"],
        &["--saturation", "0.8"],
    ] {
        cmd.args(step).args(step).arg("--invert");
    }
    let r = run(cmd.arg("-o").arg(&out));
    assert!(r.status.success());
    let got = io::read_frame(&out).unwrap();
    for (g, e) in got.pixels.iter().zip(&frame.pixels) {
        // Each step then its inverse: a few f32 roundings, amplified by
        // the gamma and saturation slopes.
        assert!((g - e).abs() < 1e-5, "{g} vs {e}");
    }
}

#[test]
fn inverting_saturation_0_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let (input, _) = exr_input(dir.path(), 4, 4);
    let out = run(grade()
        .args(["apply", "-i"])
        .arg(&input)
        .args(["--saturation", "0", "--invert", "-o"])
        .arg(dir.path().join("o.exr")));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("saturation 0 cannot be inverted"), "{err}");
}

#[test]
fn a_wrong_flag_is_a_one_line_error_and_exit_2() {
    let out = run(grade().args(["apply", "--no-such-flag"]));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.lines().next().unwrap_or("").contains("--no-such-flag"),
        "{err}"
    );
}

#[test]
fn a_missing_input_names_the_file_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(grade()
        .args(["apply", "-i"])
        .arg(dir.path().join("nope.exr"))
        .arg("-o")
        .arg(dir.path().join("o.exr")));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("nope.exr"), "{err}");
}

#[test]
fn a_missing_lut_names_the_file_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let (input, _) = exr_input(dir.path(), 4, 4);
    let out = run(grade()
        .args(["apply", "-i"])
        .arg(&input)
        .args(["--lut", "missing_look.cube", "-o"])
        .arg(dir.path().join("o.exr")));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing_look.cube"));
    assert!(!dir.path().join("o.exr").exists());
}

#[test]
fn help_lists_exit_codes_and_examples() {
    let out = run(grade().arg("--help"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Exit codes") && text.contains("143"),
        "{text}"
    );
    let out = run(grade().args(["apply", "--help"]));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Examples:"));
}

#[test]
fn backend_gpu_without_an_adapter_exits_3_naming_the_drivers() {
    let dir = tempfile::tempdir().unwrap();
    let (input, _) = exr_input(dir.path(), 8, 8);
    // Point the Vulkan loader at no driver and allow no other backend.
    let out = run(grade()
        .env("VK_ICD_FILENAMES", dir.path().join("none.json"))
        .env("VK_DRIVER_FILES", dir.path().join("none.json"))
        .env("WGPU_BACKEND", "vulkan")
        .args(["apply", "--backend", "gpu", "--exposure", "1", "-i"])
        .arg(&input)
        .arg("-o")
        .arg(dir.path().join("o.exr")));
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("mesa-vulkan-drivers"), "{err}");
    assert!(!dir.path().join("o.exr").exists());
}

#[test]
fn backend_auto_says_in_one_line_when_it_uses_the_cpu() {
    let dir = tempfile::tempdir().unwrap();
    let (input, _) = exr_input(dir.path(), 8, 8);
    let out = run(grade()
        .args(["apply", "--exposure", "1", "-i"])
        .arg(&input)
        .arg("-o")
        .arg(dir.path().join("o.exr")));
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    // On this machine a real GPU would be chosen silently; otherwise one note.
    let notes = err
        .lines()
        .filter(|l| l.contains("using the CPU backend"))
        .count();
    let summary = err.lines().find(|l| l.contains("frames:")).unwrap_or("");
    if summary.contains("backend cpu") {
        assert_eq!(notes, 1, "{err}");
    }
}

/// A CLF (every node kind: CDL, LUT1D, Ranges, Log, Matrix, Exponent,
/// LUT3D, with bit-depth scaling) applied by the binary gives the library's
/// numbers, and `grade lut info` lists its nodes.
#[test]
fn apply_with_a_clf_gives_the_library_result() {
    let dir = tempfile::tempdir().unwrap();
    let (input, frame) = exr_input(dir.path(), 64, 48);
    let output = dir.path().join("out.exr");
    let clf = data("public/ocio/tests/data/files/clf/multiple_ops.clf");
    let out = run(grade()
        .args(["apply", "--backend", "cpu", "-i"])
        .arg(&input)
        .arg("--lut")
        .arg(&clf)
        .args(["--depth", "float", "-o"])
        .arg(&output));
    assert_eq!(out.status.code(), Some(0));
    let program = Grade {
        steps: vec![Step::File {
            path: clf.clone(),
            select: None,
            interpolation: None,
            cdl_style: None,
            invert: false,
        }],
    }
    .compile()
    .unwrap();
    let mut expected = frame.pixels.clone();
    grade_engine::cpu::reference::apply(&program, &mut expected);
    let got = io::read_frame(&output).unwrap();
    let worst = got
        .pixels
        .iter()
        .zip(&expected)
        .map(|(a, b)| (a - b).abs() / b.abs().max(1.0))
        .fold(0.0f32, f32::max);
    // The binary's fast executor against the library's reference executor:
    // the same f32 maths in a different loop shape, 1e-6 relative.
    assert!(worst <= 1e-6, "worst difference {worst}");

    let info = run(grade().args(["lut", "info"]).arg(&clf));
    assert_eq!(info.status.code(), Some(0));
    let text = String::from_utf8_lossy(&info.stdout);
    for want in [
        "1: ASC CDL cc01234: slope [1.1, 1.0, 0.8]",
        ", reverse\n",
        "2: 1D LUT 65 entries",
        "3: range in",
        "6: log linToLog base 10",
        "7: matrix",
        "8: exponent basicMirrorFwd [3.0, 3.0, 3.0]",
        "9: 3D LUT 2x2x2",
    ] {
        assert!(text.contains(want), "{want:?} not in\n{text}");
    }
}

#[test]
fn a_malformed_clf_names_file_and_line_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let (input, _) = exr_input(dir.path(), 8, 8);
    let bad = data("illegal/non_numeric.clf");
    let out = run(grade()
        .args(["apply", "--backend", "cpu", "-i"])
        .arg(&input)
        .arg("--lut")
        .arg(&bad)
        .arg("-o")
        .arg(dir.path().join("out.exr")));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("non_numeric.clf:9:"), "{err}");
}

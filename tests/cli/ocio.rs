//! OpenColorIO config steps and `grade ocio list` through the binary, on
//! the test config `tests/data/ocio/config.ocio`.

use grade_engine::grade::{Grade, Step};
use grade_engine::io;
use grade_engine::ocio::config::{ConfigStep, ConfigTransform};

use crate::common::{data, exr_input, grade, run, stderr};

#[test]
fn ocio_list_shows_spaces_looks_displays_and_views() {
    let out = run(grade()
        .args(["ocio", "list", "--ocio-config"])
        .arg(data("ocio/config.ocio")));
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "logcam",
        "[camera] A camera log (LogCameraTransform) with a gamut matrix",
        "scene_linear = linear",
        "film  (process space logcam)",
        "sRGB: Film, Standard, Raw",
    ] {
        assert!(text.contains(want), "{want:?} missing");
    }
}

#[test]
fn ocio_list_reads_the_ocio_variable() {
    let out = run(grade()
        .args(["ocio", "list"])
        .env("OCIO", data("ocio/config.ocio")));
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("cc_inverse"));
}

#[test]
fn colorspace_apply_gives_the_library_result() {
    let dir = tempfile::tempdir().unwrap();
    let (input, frame) = exr_input(dir.path(), 64, 48);
    let output = dir.path().join("out.exr");
    let config = data("ocio/config.ocio");
    let out = run(grade()
        .args(["apply", "--backend", "cpu", "-i"])
        .arg(&input)
        .arg("--ocio-config")
        .arg(&config)
        .args(["--colorspace", "logcam:srgb", "--exposure", "0.5"])
        .args(["--depth", "float", "-o"])
        .arg(&output));
    assert_eq!(out.status.code(), Some(0));

    let step = ConfigStep {
        transform: ConfigTransform::ColorSpaces {
            from: "logcam".into(),
            to: "srgb".into(),
        },
        invert: false,
    };
    let ops = step.translate(Some(&config)).unwrap().ops;
    let program = Grade {
        steps: vec![
            Step::Ops { ops, invert: false },
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
    // Both run the same optimised program through the CPU; the fast
    // executor agrees with the reference to 1e-6.
    assert!(worst < 1e-5, "worst difference {worst:e}");
}

/// A transform with no grade op (here a CLF 1D LUT with hue adjust; an
/// inverse 3D LUT is an op now) is baked, and said so in one line.
#[test]
fn baked_transform_is_reported_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let clf = dir.path().join("hue.clf");
    std::fs::write(
        &clf,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ProcessList id="hue" compCLFversion="3">
    <LUT1D inBitDepth="32f" outBitDepth="32f" hueAdjust="dw3">
        <Array dim="3 1">
0.0
0.6
1.0
        </Array>
    </LUT1D>
</ProcessList>
"#,
    )
    .unwrap();
    let out = run(grade()
        .args(["lut", "convert", "--ocio-file"])
        .arg(&clf)
        .arg(dir.path().join("x.cube")));
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    let notes: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("grade: note:"))
        .collect();
    assert_eq!(notes.len(), 1, "{err}");
    assert!(notes[0].contains("Lut1D baked to") && notes[0].contains("max error"));
}

/// A config's GradingTone (OpenColorIO 2.1 has it) runs as grade's own
/// op in every style and both ways: no bake, so no note.
#[test]
fn grading_tone_in_a_config_is_not_baked() {
    let dir = tempfile::tempdir().unwrap();
    for pair in ["linear:gt_log", "gt_lin:linear", "linear:gt_video"] {
        let out = run(grade()
            .args(["lut", "convert", "--ocio-config"])
            .arg(data("ocio/grading.ocio"))
            .args(["--colorspace", pair])
            .arg(dir.path().join("x.cube")));
        assert_eq!(out.status.code(), Some(0), "{pair}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("grade: note:"), "{pair}: {err}");
    }
}

#[test]
fn unknown_view_exits_2_naming_the_nearest() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(grade()
        .args(["lut", "convert", "--ocio-config"])
        .arg(data("ocio/config.ocio"))
        .args(["--display", "sRGB:Flim"])
        .arg(dir.path().join("x.cube")));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown view of display \"sRGB\" \"Flim\"") && err.contains("nearest: Film"),
        "{err}"
    );
}

#[test]
fn missing_config_exits_2_saying_how_to_give_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(grade()
        .args(["lut", "convert", "--colorspace", "linear:srgb"])
        .env_remove("OCIO")
        .arg(dir.path().join("x.cube")));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--ocio-config FILE") && err.contains("$OCIO"),
        "{err}"
    );

    let out = run(grade()
        .args(["ocio", "list", "--ocio-config"])
        .arg(dir.path().join("none.ocio")));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("none.ocio"));
}

#[test]
fn invert_after_a_config_step_runs_it_backwards() {
    let dir = tempfile::tempdir().unwrap();
    let (input, _) = exr_input(dir.path(), 16, 16);
    let config = data("ocio/config.ocio");
    let render = |out: &str, steps: &[&str]| {
        let path = dir.path().join(out);
        let o = run(grade()
            .args(["apply", "--backend", "cpu", "--depth", "float", "-i"])
            .arg(&input)
            .arg("--ocio-config")
            .arg(&config)
            .args(steps)
            .arg("-o")
            .arg(&path));
        assert_eq!(o.status.code(), Some(0));
        io::read_frame(&path).unwrap().pixels
    };
    let inverted = render("a.exr", &["--colorspace", "srgb:logcam", "--invert"]);
    let swapped = render("b.exr", &["--colorspace", "logcam:srgb"]);
    assert_eq!(inverted, swapped);
}

/// Issue 13: OpenColorIO's ACES 1.3 studio config (written to a file by
/// PyPI OpenColorIO 2.6) through `grade apply --display`: the ACES 1.0 SDR
/// video output transform runs as grade's own ops, so nothing is baked
/// and no note is printed, and the frame is OpenColorIO 2.6's
/// (`OPTIMIZATION_NONE`) within 1e-5 (it was up to 0.09 off when the
/// fixed functions and curves were baked).
#[test]
fn aces_studio_display_is_exact_and_prints_no_bake_note() {
    let Some(py) = grade_engine::testutil::reference_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (input, frame) = exr_input(dir.path(), 64, 48);
    let config = dir.path().join("studio.ocio");
    let raw = dir.path().join("in.f32");
    let bytes: Vec<u8> = frame
        .pixels
        .iter()
        .flat_map(|v| (v * 16.0).to_le_bytes())
        .collect();
    std::fs::write(&raw, bytes).unwrap();
    // The frame times 16 (ACEScg up to 20), through OpenColorIO 2.6.
    let script = r#"
import sys, numpy as np, PyOpenColorIO as O
c = O.Config.CreateFromFile('ocio://studio-config-v1.0.0_aces-v1.3_ocio-v2.1')
open(sys.argv[1], 'w').write(c.serialize())
c = O.Config.CreateFromFile(sys.argv[1])
p = c.getProcessor('ACEScg', 'sRGB - Display', 'ACES 1.0 - SDR Video', O.TRANSFORM_DIR_FORWARD)
a = np.fromfile(sys.argv[2], dtype=np.float32)
p.getOptimizedCPUProcessor(O.OPTIMIZATION_NONE).applyRGBA(a)
a.tofile(sys.argv[2] + '.out')
"#;
    let status = std::process::Command::new(py)
        .arg("-c")
        .arg(script)
        .arg(&config)
        .arg(&raw)
        .status()
        .unwrap();
    assert!(status.success());
    let output = dir.path().join("out.exr");
    let out = run(grade()
        .args(["apply", "--backend", "cpu", "-i"])
        .arg(&input)
        .arg("--ocio-config")
        .arg(&config)
        .args(["--exposure", "4"])
        .args(["--display", "sRGB - Display:ACES 1.0 - SDR Video:ACEScg"])
        .args(["--depth", "float", "-o"])
        .arg(&output));
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("note:"), "{err}");
    let want: Vec<f32> = std::fs::read(dir.path().join("in.f32.out"))
        .unwrap()
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let got = io::read_frame(&output).unwrap();
    let worst = got
        .pixels
        .iter()
        .zip(&want)
        .enumerate()
        .filter(|(i, _)| i % 4 != 3)
        .map(|(_, (a, b))| (a - b).abs() / b.abs().max(1.0))
        .fold(0.0f32, f32::max);
    println!("worst |grade - OpenColorIO 2.6| = {worst:e}");
    // The project's parity target (absolute up to 1, relative above).
    assert!(worst <= 1e-5, "worst difference {worst:e}");
}

#[test]
fn config_for_a_newer_opencolorio_exits_2_naming_both_versions() {
    // The test config with its profile version raised past the linked
    // library's (2.5, the ACES 2.0 studio configs' version, against 2.1).
    let linked = grade_engine::ocio::version();
    let mut parts = linked.split('.').map(|p| p.parse::<u32>().unwrap());
    let (major, minor) = (parts.next().unwrap(), parts.next().unwrap());
    let needed = if (major, minor) < (2, 5) {
        "2.5".to_string()
    } else {
        format!("{major}.{}", minor + 1)
    };
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(data("ocio/config.ocio")).unwrap();
    let config = dir.path().join("new.ocio");
    std::fs::write(
        &config,
        text.replacen(
            "ocio_profile_version: 2.1",
            &format!("ocio_profile_version: {needed}"),
            1,
        ),
    )
    .unwrap();
    let (input, _) = exr_input(dir.path(), 8, 4);
    let out = run(grade()
        .args(["apply", "-i"])
        .arg(&input)
        .arg("--ocio-config")
        .arg(&config)
        .args(["--colorspace", "logcam:srgb", "-o"])
        .arg(dir.path().join("out.exr")));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "new.ocio:1: this config needs OpenColorIO {needed} (ocio_profile_version: {needed}); \
             grade is linked against OpenColorIO {linked}. Build grade against OpenColorIO \
             {needed} or newer (README: \"A newer OpenColorIO\")"
        )),
        "{err}"
    );
    assert!(!dir.path().join("out.exr").exists());
}

/// Runs `script` (PyPI OpenColorIO 2.6) on the frame's RGBA written as raw
/// f32 to `dir/in.f32`, and reads back what it wrote to `dir/in.f32.out`.
fn reference_frame(
    py: &std::path::Path,
    script: &str,
    dir: &std::path::Path,
    pixels: &[f32],
) -> Vec<f32> {
    let raw = dir.join("in.f32");
    let bytes: Vec<u8> = pixels.iter().flat_map(|v| v.to_le_bytes()).collect();
    std::fs::write(&raw, bytes).unwrap();
    let status = std::process::Command::new(py)
        .arg("-c")
        .arg(script)
        .arg(&raw)
        .arg(data(""))
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read(dir.join("in.f32.out"))
        .unwrap()
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

/// Worst `|got - want| / max(1, |want|)` over RGB.
fn worst_rgb(got: &[f32], want: &[f32]) -> f32 {
    got.iter()
        .zip(want)
        .enumerate()
        .filter(|(i, _)| i % 4 != 3)
        .map(|(_, (a, b))| (a - b).abs() / b.abs().max(1.0))
        .fold(0.0f32, f32::max)
}

/// Issue 13: `--lut LUT.cube --invert` runs OpenColorIO's exact inverse of
/// the 3D LUT as grade's own op, and the frame is OpenColorIO 2.6's inverse
/// of the same file (`OPTIMIZATION_NONE`) within 1e-4. (`--ocio-file` still
/// bakes an inverse 3D LUT: see `translate/mapping.rs`.)
#[test]
fn inverse_3d_lut_file_matches_opencolorio() {
    let Some(py) = grade_engine::testutil::reference_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (input, frame) = exr_input(dir.path(), 64, 48);
    let cube = "public/colour/colour/io/luts/tests/resources/iridas_cube/eotf_sRGB_3D.cube";
    let script = format!(
        r#"
import sys, os, numpy as np, PyOpenColorIO as O
t = O.FileTransform(src=os.path.join(sys.argv[2], '{cube}'), interpolation=O.INTERP_BEST,
                    direction=O.TRANSFORM_DIR_INVERSE)
p = O.Config.CreateRaw().getProcessor(t).getOptimizedCPUProcessor(O.OPTIMIZATION_NONE)
a = np.fromfile(sys.argv[1], dtype=np.float32)
p.applyRGBA(a)
a.tofile(sys.argv[1] + '.out')
"#
    );
    let want = reference_frame(&py, &script, dir.path(), &frame.pixels);
    let output = dir.path().join("out.exr");
    let out = run(grade()
        .args(["apply", "--backend", "cpu", "-i"])
        .arg(&input)
        .arg("--lut")
        .arg(data(cube))
        .args(["--invert", "--depth", "float", "-o"])
        .arg(&output));
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("note:"), "{err}");
    let worst = worst_rgb(&io::read_frame(&output).unwrap().pixels, &want);
    println!("worst |grade - OpenColorIO 2.6| = {worst:e}");
    // The issue's bound for an inverse 3D LUT (grade solves in f32).
    assert!(worst <= 1e-4, "worst difference {worst:e}");
}

/// A 33^3 .cube baked by OpenColorIO 2.6 (PyPI) from the public Lustre
/// 33^3 .3dl, written to `dir/lustre_33.cube`, and inputs inside its
/// forward output range: the test frame clamped to [0, 1] through the
/// .cube's forward LUT (OpenColorIO, `OPTIMIZATION_NONE`), written to
/// `dir/in.exr`; with OpenColorIO's exact inverse of the .cube on them
/// (`invert_processor` builds it from `c`, a config whose search path
/// holds the .cube).
fn lustre_cube_inside_its_range(
    py: &std::path::Path,
    dir: &std::path::Path,
    invert_processor: &str,
) -> (std::path::PathBuf, std::path::PathBuf, Vec<f32>) {
    let mut frame = crate::common::test_frame(64, 48);
    for v in frame.pixels.iter_mut() {
        *v = v.clamp(0.0, 1.0);
    }
    let cube = dir.join("lustre_33.cube");
    let script = format!(
        r#"
import sys, os, numpy as np, PyOpenColorIO as O
d, src = sys.argv[2], os.path.join(sys.argv[3], 'public/ocio/tests/data/files/lustre_33x33x33.3dl')
c = O.Config.CreateRaw()
c.setSearchPath(d)
cs = O.ColorSpace(name='lustre')
cs.setTransform(O.FileTransform(src=src, interpolation=O.INTERP_TETRAHEDRAL),
                O.COLORSPACE_DIR_FROM_REFERENCE)
c.addColorSpace(cs)
b = O.Baker()
b.setConfig(c)
b.setFormat('iridas_cube')
b.setInputSpace('raw')
b.setTargetSpace('lustre')
b.setCubeSize(33)
open(os.path.join(d, 'lustre_33.cube'), 'w').write(b.bake())
a = np.fromfile(sys.argv[1], dtype=np.float32)
fwd = O.FileTransform(src='lustre_33.cube', interpolation=O.INTERP_TETRAHEDRAL)
c.getProcessor(fwd).getOptimizedCPUProcessor(O.OPTIMIZATION_NONE).applyRGBA(a)
a.tofile(sys.argv[1] + '.in')
{invert_processor}.getOptimizedCPUProcessor(O.OPTIMIZATION_NONE).applyRGBA(a)
a.tofile(sys.argv[1] + '.out')
"#
    );
    let raw = dir.join("in.f32");
    let bytes: Vec<u8> = frame.pixels.iter().flat_map(|v| v.to_le_bytes()).collect();
    std::fs::write(&raw, bytes).unwrap();
    let status = std::process::Command::new(py)
        .arg("-c")
        .arg(script)
        .arg(&raw)
        .arg(dir)
        .arg(data(""))
        .status()
        .unwrap();
    assert!(status.success());
    let read = |ext: &str| -> Vec<f32> {
        std::fs::read(dir.join(format!("in.f32.{ext}")))
            .unwrap()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect()
    };
    frame.pixels = read("in");
    let input = dir.join("in.exr");
    io::write_frame(&input, &frame, &crate::common::float_exr()).unwrap();
    (cube, input, read("out"))
}

/// Issue 13: `--ocio-file X.cube --invert` on a 33^3 .cube runs
/// OpenColorIO's exact inverse as grade's own op (no bake, no note), and
/// inside the forward LUT's output range the frame is OpenColorIO 2.6's
/// inverse of the same file (`OPTIMIZATION_NONE`) within 1e-4.
#[test]
fn inverse_33_cube_through_ocio_file_matches_opencolorio() {
    let Some(py) = grade_engine::testutil::reference_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let inverse = "c.getProcessor(O.FileTransform(src='lustre_33.cube', \
                   interpolation=O.INTERP_TETRAHEDRAL, direction=O.TRANSFORM_DIR_INVERSE))";
    let (cube, input, want) = lustre_cube_inside_its_range(&py, dir.path(), inverse);
    let cube = cube.display().to_string();
    inverse_lut_matches(
        dir.path(),
        &input,
        &["--ocio-file", &cube, "--invert"],
        &want,
    );
}

/// `grade apply --backend cpu -i INPUT STEPS --depth float`: exit 0, no
/// note (nothing baked), and within 1e-4 of OpenColorIO's `want`, the
/// issue's bound for an inverse 3D LUT (grade solves in f32).
fn inverse_lut_matches(
    dir: &std::path::Path,
    input: &std::path::Path,
    steps: &[&str],
    want: &[f32],
) {
    let output = dir.join("out.exr");
    let out = run(grade()
        .args(["apply", "--backend", "cpu", "-i"])
        .arg(input)
        .args(steps)
        .args(["--depth", "float", "-o"])
        .arg(&output));
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("note:"), "{err}");
    let worst = worst_rgb(&io::read_frame(&output).unwrap().pixels, want);
    println!("worst |grade - OpenColorIO 2.6| = {worst:e}");
    assert!(worst <= 1e-4, "worst difference {worst:e}");
}

/// Issue 13: a config colour space whose FileTransform inverts the same
/// 33^3 .cube, through `--ocio-config` and `--colorspace`: grade's own
/// inverse op (no note), OpenColorIO 2.6's processor within 1e-4 inside
/// the forward output range.
#[test]
fn inverse_cube_in_a_config_matches_opencolorio() {
    let Some(py) = grade_engine::testutil::reference_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("inverse.ocio");
    std::fs::write(
        &config,
        r#"ocio_profile_version: 2.1
search_path: .
roles:
  default: raw
  scene_linear: raw
displays:
  sRGB:
    - !<View> {name: Raw, colorspace: raw}
colorspaces:
  - !<ColorSpace>
    name: raw
  - !<ColorSpace>
    name: ungraded
    from_scene_reference: !<FileTransform> {src: lustre_33.cube, interpolation: tetrahedral, direction: inverse}
"#,
    )
    .unwrap();
    let inverse =
        "O.Config.CreateFromFile(os.path.join(d, 'inverse.ocio')).getProcessor('raw', 'ungraded')";
    let (_, input, want) = lustre_cube_inside_its_range(&py, dir.path(), inverse);
    let config = config.display().to_string();
    let steps = ["--ocio-config", &config, "--colorspace", "raw:ungraded"];
    inverse_lut_matches(dir.path(), &input, &steps, &want);
}

/// Issue 13: `--from pq --to rec2020 --invert` (Rec.2020 display code
/// values to PQ) runs, and matches the same conversion built from
/// OpenColorIO 2.6's built-in transforms, inverted, within 1e-5.
#[test]
fn pq_to_rec2020_inverted_matches_opencolorio() {
    let Some(py) = grade_engine::testutil::reference_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // Rec.2020 display code values: the test frame clamped to [0, 1], the
    // space's working range.
    let mut frame = crate::common::test_frame(64, 48);
    for v in frame.pixels.iter_mut() {
        *v = v.clamp(0.0, 1.0);
    }
    let input = dir.path().join("in.exr");
    io::write_frame(&input, &frame, &crate::common::float_exr()).unwrap();
    let script = r#"
import sys, numpy as np, PyOpenColorIO as O
FWD, INV = O.TRANSFORM_DIR_FORWARD, O.TRANSFORM_DIR_INVERSE
raw = O.Config.CreateRaw()
def b(style, d=FWD):
    return O.BuiltinTransform(style=style, direction=d)
def matrix_of(style, d):
    for t in raw.getProcessor(b(style)).createGroupTransform():
        if isinstance(t, O.MatrixTransform):
            return O.MatrixTransform(matrix=t.getMatrix(), offset=t.getOffset(), direction=d)
XYZ = 'UTILITY - ACES-AP0_to_CIE-XYZ-D65_BFD'
R2020 = 'DISPLAY - CIE-XYZ-D65_to_REC.1886-REC.2020'
g = O.GroupTransform([b('CURVE - ST-2084_to_LINEAR'), matrix_of(R2020, INV), b(XYZ, INV),
                      b(XYZ), b(R2020)])
g.setDirection(INV)
p = raw.getProcessor(g).getOptimizedCPUProcessor(O.OPTIMIZATION_NONE)
a = np.fromfile(sys.argv[1], dtype=np.float32)
p.applyRGBA(a)
a.tofile(sys.argv[1] + '.out')
"#;
    let want = reference_frame(&py, script, dir.path(), &frame.pixels);
    let output = dir.path().join("out.exr");
    let out = run(grade()
        .args(["apply", "--backend", "cpu", "-i"])
        .arg(&input)
        .args(["--from", "pq", "--to", "rec2020", "--invert"])
        .args(["--depth", "float", "-o"])
        .arg(&output));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Near black PQ's slope is steep: OpenColorIO's four matrices (to
    // ACES and back) leave ~1e-8 of round-off that its PQ encode turns into
    // up to 5e-4 of code value at an input of 0 (grade folds them into one),
    // so pixels with a channel below 0.05 are left out of the comparison.
    let got = io::read_frame(&output).unwrap().pixels;
    let keep = |px: &[f32]| px[..3].iter().all(|&v| v >= 0.05);
    let (got, want): (Vec<f32>, Vec<f32>) = got
        .chunks_exact(4)
        .zip(want.chunks_exact(4))
        .zip(frame.pixels.chunks_exact(4))
        .filter(|(_, px)| keep(px))
        .flat_map(|((g, w), _)| g.iter().copied().zip(w.iter().copied()))
        .unzip();
    assert!(!got.is_empty());
    let worst = worst_rgb(&got, &want);
    println!(
        "worst |grade - OpenColorIO 2.6| = {worst:e} over {} pixels",
        got.len() / 4
    );
    // The project's parity target (absolute up to 1, relative above).
    assert!(worst <= 1e-5, "worst difference {worst:e}");
}

/// Issue 13: OpenColorIO 2.5's GradingHueCurve, which the linked
/// OpenColorIO cannot read, runs from a CTF file that OpenColorIO 2.6
/// wrote (`--lut FILE.ctf`, grade's own CLF/CTF reader), and the frame is
/// what OpenColorIO 2.6 makes of the same file within 1e-5.
#[test]
fn hue_curve_ctf_matches_opencolorio() {
    let Some(py) = grade_engine::testutil::reference_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (input, frame) = exr_input(dir.path(), 64, 48);
    let ctf = dir.path().join("hue.ctf");
    let script = format!(
        r#"
import sys, numpy as np, PyOpenColorIO as O
T = O.HueCurveType
v = O.GradingHueCurve(O.GRADING_VIDEO)
for name, kind, points in [
        ('hue_hue', T.HUE_HUE, [0.05, 0.08, 0.2, 0.17, 0.4, 0.45, 0.6, 0.62, 0.85, 0.83]),
        ('hue_sat', T.HUE_SAT, [0.0, 1.2, 0.15, 0.9, 0.35, 1.1, 0.55, 1.3, 0.8, 0.8]),
        ('lum_lum', T.LUM_LUM, [0.0, 0.02, 0.4, 0.38, 0.8, 0.83, 1.0, 1.0]),
        ('sat_lum', T.SAT_LUM, [0.0, 1.0, 0.4, 1.05, 1.0, 0.92]),
        ('hue_fx', T.HUE_FX, [0.1, 0.02, 0.3, -0.03, 0.6, 0.04, 0.9, 0.0])]:
    setattr(v, name, O.GradingBSplineCurve(points, kind))
g = O.GroupTransform()
g.appendTransform(O.GradingHueCurveTransform(v, O.GRADING_VIDEO, False, O.TRANSFORM_DIR_FORWARD))
g.write(formatName='Color Transform Format', config=O.Config.CreateRaw(), fileName=r'{}')
t = O.FileTransform(src=r'{}', interpolation=O.INTERP_BEST)
p = O.Config.CreateRaw().getProcessor(t).getOptimizedCPUProcessor(O.OPTIMIZATION_NONE)
a = np.fromfile(sys.argv[1], dtype=np.float32)
p.applyRGBA(a)
a.tofile(sys.argv[1] + '.out')
"#,
        ctf.display(),
        ctf.display()
    );
    let want = reference_frame(&py, &script, dir.path(), &frame.pixels);
    let output = dir.path().join("out.exr");
    let out = run(grade()
        .args(["apply", "--backend", "cpu", "-i"])
        .arg(&input)
        .arg("--lut")
        .arg(&ctf)
        .args(["--depth", "float", "-o"])
        .arg(&output));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("note:"), "{err}");
    let worst = worst_rgb(&io::read_frame(&output).unwrap().pixels, &want);
    println!("worst |grade - OpenColorIO 2.6| = {worst:e}");
    assert!(worst <= 1e-5, "worst difference {worst:e}");
}

//! `--from` / `--to` and `grade transforms` through the binary.

use crate::common::{grade, run};

#[test]
fn transforms_lists_the_built_in_spaces() {
    let out = run(grade().arg("transforms"));
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for name in ["logc3", "slog3", "vlog", "log3g10", "acescct", "rec709"] {
        assert!(text.contains(name), "{name} missing");
    }
}

#[test]
fn unknown_colour_space_names_the_nearest() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(grade()
        .args(["lut", "convert", "--from", "logc", "--to", "rec709"])
        .arg(dir.path().join("x.cube")));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("logc3"));
}

#[test]
fn unpaired_from_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(grade()
        .args(["lut", "convert", "--from", "logc3"])
        .arg(dir.path().join("x.cube")));
    assert!(!out.status.success());
}

#[test]
fn transforms_lists_every_new_space_with_a_description() {
    let out = run(grade().arg("transforms"));
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for name in [
        "logc4", "clog2", "clog3", "bmdfilm5", "davinci", "acescc", "pq", "hlg", "rec2020",
    ] {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name} missing"));
        assert!(
            line.len() > name.len() + 10,
            "{name} has no description: {line}"
        );
    }
}

/// A baked `--from logc4 --to aces` LUT against OpenColorIO 2.6's
/// ARRI_LOGC4_to_ACES2065-1 values at the neutral lattice points (0, 0.5, 1),
/// read from tests/data/builtin/logc4.json (scripts/reference/ocio_builtin.py).
/// Tolerance 1e-5 relative (absolute below 1): the .cube keeps 6 decimals.
#[test]
fn lut_convert_from_logc4_matches_ocio() {
    let dir = tempfile::tempdir().unwrap();
    let cube = dir.path().join("logc4.cube");
    let out = run(grade()
        .args([
            "lut", "convert", "--from", "logc4", "--to", "aces", "--size", "3",
        ])
        .arg(&cube));
    assert!(out.status.success());
    let text = std::fs::read_to_string(&cube).unwrap();
    let rows: Vec<[f64; 3]> = text
        .lines()
        .filter_map(|l| {
            let v: Vec<f64> = l
                .split_whitespace()
                .map(|t| t.parse().ok())
                .collect::<Option<_>>()?;
            (v.len() == 3).then(|| [v[0], v[1], v[2]])
        })
        .collect();
    assert_eq!(rows.len(), 27);
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::common::data("builtin/logc4.json")).unwrap(),
    )
    .unwrap();
    for (k, lattice) in [(0usize, 0.0f64), (13, 0.5), (26, 1.0)] {
        let want = json["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| {
                r[0].as_array()
                    .unwrap()
                    .iter()
                    .all(|v| v.as_f64() == Some(lattice))
            })
            .unwrap_or_else(|| panic!("no OCIO row for {lattice}"));
        for c in 0..3 {
            let w = want[1][c].as_f64().unwrap();
            let err = (rows[k][c] - w).abs() / w.abs().max(1.0);
            assert!(
                err < 1e-5,
                "{lattice} channel {c}: {} vs OCIO {w}",
                rows[k][c]
            );
        }
    }
}

/// The LUTs in luts/ are what luts/make.sh makes from today's built-ins:
/// each is re-baked with the same `grade lut convert` command and its table
/// compared line by line (the `#` header lines and TITLE are make.sh's).
#[test]
fn shipped_luts_match_a_fresh_bake() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = std::fs::read_to_string(root.join("luts/make.sh")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let table = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("TITLE"))
            .map(str::to_string)
            .collect()
    };
    let mut checked = 0;
    for line in script.lines().filter(|l| l.starts_with("bake ")) {
        let mut words = line.split_whitespace().skip(1);
        let (name, file) = (words.next().unwrap(), words.next().unwrap());
        let fresh = dir.path().join(file);
        let out = run(grade()
            .args([
                "lut", "convert", "--from", name, "--to", "rec709", "--slope", "1", "1", "1",
            ])
            .arg(&fresh)
            .args(["--size", "33"]));
        assert!(out.status.success());
        let shipped = std::fs::read_to_string(root.join("luts").join(file)).unwrap();
        let fresh = std::fs::read_to_string(&fresh).unwrap();
        assert!(
            table(&shipped) == table(&fresh),
            "luts/{file} differs from a fresh bake: run luts/make.sh"
        );
        checked += 1;
    }
    assert_eq!(checked, 8);
}

/// A reader that has gone away (`| head`) is no reason to panic: every
/// command that prints to standard output drops what it cannot write.
#[test]
fn printing_into_a_closed_pipe_does_not_panic() {
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let frame = dir.path().join("f.exr");
    grade_engine::io::write_frame(
        &frame,
        &grade_engine::testcard::test_card(16, 8, 1, [1.0; 3]),
        &Default::default(),
    )
    .unwrap();
    let f = frame.to_str().unwrap();
    for args in [
        vec!["transforms"],
        vec!["probe", f],
        vec!["probe", "--json", f],
        vec!["mhl", "create", dir.path().to_str().unwrap()],
    ] {
        let mut child = grade()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the command prints anything.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

/// Runs `grade apply --from FROM --to TO [--invert]` on a float EXR of
/// `pixels` and returns the output's RGBA.
fn apply_convert(
    dir: &std::path::Path,
    pixels: &[f32],
    from: &str,
    to: &str,
    invert: bool,
) -> Vec<f32> {
    let w = (pixels.len() / 4) as u32;
    let mut frame = grade_engine::frame::Frame::new(w, 1);
    frame.pixels.copy_from_slice(pixels);
    let input = dir.join("scene.exr");
    grade_engine::io::write_frame(&input, &frame, &crate::common::float_exr()).unwrap();
    let output = dir.join(format!("out-{to}-{invert}.exr"));
    let mut cmd = grade();
    cmd.args(["apply", "--backend", "cpu", "--depth", "float", "-i"])
        .arg(&input)
        .args(["--from", from, "--to", to]);
    if invert {
        cmd.arg("--invert");
    }
    let out = run(cmd.arg("-o").arg(&output));
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    grade_engine::io::read_frame(&output).unwrap().pixels
}

/// OpenColorIO 2.6's display/view of a built-in studio config over
/// `pixels` (RGBA f32), from `space`, inverted when `inverse`.
fn ocio_display_view(
    py: &std::path::Path,
    config: &str,
    alias: &str,
    space: &str,
    inverse: bool,
    pixels: &[f32],
) -> Vec<f32> {
    use std::io::Write;
    let (display, view) = alias.split_once(':').unwrap();
    let script = r#"
import sys, numpy as np, PyOpenColorIO as O
uri, display, view, space, d = sys.argv[1:6]
c = O.Config.CreateFromFile(uri)
direction = O.TRANSFORM_DIR_INVERSE if d == 'inv' else O.TRANSFORM_DIR_FORWARD
t = O.DisplayViewTransform(src=space, display=display, view=view, direction=direction)
p = c.getProcessor(t).getOptimizedCPUProcessor(O.OPTIMIZATION_NONE)
a = np.frombuffer(sys.stdin.buffer.read(), dtype=np.float32).copy()
p.applyRGBA(a)
sys.stdout.buffer.write(a.tobytes())
"#;
    let d = if inverse { "inv" } else { "fwd" };
    let mut child = std::process::Command::new(py)
        .args(["-c", script, config, display, view, space, d])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let bytes: Vec<u8> = pixels.iter().flat_map(|v| v.to_le_bytes()).collect();
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    out.stdout
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

/// `--to aces13-sdr-video-rec709` and `--to aces20-sdr-100-srgb` from
/// ACEScg, and the ACES 1.3 one inverted with `--invert`, through the
/// binary against the studio configs' display/views in OpenColorIO 2.6.
/// Tolerance (absolute, relative above 1) as the engine tests hold on the
/// dense set; the EXR is float, so nothing is quantised.
#[test]
fn aces_output_transforms_through_the_binary_match_the_studio_configs() {
    let Some(py) = grade_engine::testutil::reference_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let scene: Vec<f32> = (0..256)
        .flat_map(|i| {
            let v = i as f32 / 255.0;
            [16.0 * v * v, 4.0 * v, 0.5 * (1.0 - v), 1.0]
        })
        .collect();
    let code: Vec<f32> = (0..256)
        .flat_map(|i| {
            let v = i as f32 / 255.0;
            [v, 1.0 - v, 0.5 * v, 1.0]
        })
        .collect();
    let aces13 = "ocio://studio-config-v1.0.0_aces-v1.3_ocio-v2.1";
    let aces20 = "ocio://studio-config-v4.0.0_aces-v2.0_ocio-v2.5";
    let cases = [
        (aces13, "aces13-sdr-video-rec709", false, &scene, 1e-5),
        (aces20, "aces20-sdr-100-srgb", false, &scene, 1e-5),
        (aces13, "aces13-sdr-video-rec709", true, &code, 1e-5),
    ];
    for (config, name, inverse, input, tol) in cases {
        let t = grade_engine::colorspace::find_output(name).unwrap();
        let got = apply_convert(dir.path(), input, "acescg", name, inverse);
        let want = ocio_display_view(&py, config, t.aliases[0], "ACEScg", inverse, input);
        let worst = got
            .iter()
            .zip(&want)
            .map(|(a, b)| (a - b).abs() / b.abs().max(1.0))
            .fold(0.0f32, f32::max);
        println!("{name} inverse={inverse}: worst {worst:e}");
        assert!(worst <= tol, "{name} inverse={inverse}: {worst:e}");
    }
}

#[test]
fn transforms_lists_the_aces_output_transforms() {
    let out = run(grade().arg("transforms"));
    let text = String::from_utf8_lossy(&out.stdout);
    for name in [
        "aces13-sdr-video-rec709",
        "aces13-hdr-1000-p3lim-pq",
        "aces20-sdr-100-srgb",
        "aces20-hdr-4000-p3lim-pq",
    ] {
        assert!(text.contains(name), "{name} missing");
    }
    assert!(text.contains("sRGB - Display:ACES 2.0 - SDR 100 nits (Rec.709)"));
}

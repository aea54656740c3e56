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

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

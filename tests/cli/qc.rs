//! `grade qc` and `--qc`: a generated sequence with one planted defect per
//! frame (a missing frame, a NaN patch, a black frame, a duplicate, a frame
//! of another size, a timecode break) is reported defect by defect on the
//! right frame; a clean sequence reports nothing.

use std::collections::BTreeSet;
use std::path::Path;

use grade_engine::io::{self, BitDepth, WriteOptions};
use grade_engine::timeline::Rate;
use grade_engine::Frame;

use crate::common::{grade, run, stderr};

const W: u32 = 24;
const H: u32 = 8;

/// Frame `n`: a ramp from 0.2 to 0.7, a little brighter each frame (no
/// clipping, no two frames alike), with timecode 01:00:00:00 + n at 24 fps.
fn clean(n: i64) -> Frame {
    let mut f = Frame::new(W, H);
    for (i, px) in f.pixels.chunks_exact_mut(4).enumerate() {
        let x = (i as u32 % W) as f32 / W as f32;
        px[..3].copy_from_slice(&[0.2 + 0.5 * x + 0.01 * n as f32, 0.4, 0.3]);
    }
    f.meta.fps = Some(24.0);
    f.meta.timecode = Some(Rate::parse("24").unwrap().to_timecode(86400 + n));
    f
}

fn float() -> WriteOptions {
    WriteOptions {
        depth: Some(BitDepth::Float),
        ..Default::default()
    }
}

fn write_clean(dir: &Path, frames: std::ops::RangeInclusive<i64>) {
    std::fs::create_dir_all(dir).unwrap();
    for n in frames {
        io::write_frame(&dir.join(format!("s.{n:04}.exr")), &clean(n), &float()).unwrap();
    }
}

/// Frames 1-12 with a defect planted on 3, 5, 7, 9, 10 and 11.
fn write_defects(dir: &Path) {
    write_clean(dir, 1..=12);
    let path = |n: i64| dir.join(format!("s.{n:04}.exr"));
    std::fs::remove_file(path(3)).unwrap();
    let mut f = clean(5);
    for y in 2..5 {
        for x in 4..8 {
            f.pixels[((y * W + x) * 4) as usize] = f32::NAN;
        }
    }
    io::write_frame(&path(5), &f, &float()).unwrap();
    let mut black = Frame::new(W, H);
    black.meta = clean(7).meta;
    io::write_frame(&path(7), &black, &float()).unwrap();
    let mut dup = clean(8);
    dup.meta = clean(9).meta;
    io::write_frame(&path(9), &dup, &float()).unwrap();
    let mut small = Frame::new(W / 2, H);
    for px in small.pixels.chunks_exact_mut(4) {
        px[..3].copy_from_slice(&[0.4, 0.4, 0.3]);
    }
    small.meta = clean(10).meta;
    io::write_frame(&path(10), &small, &float()).unwrap();
    let mut jump = clean(11);
    jump.meta.timecode = Some(Rate::parse("24").unwrap().to_timecode(90000));
    io::write_frame(&path(11), &jump, &float()).unwrap();
}

/// (check, frame) of every finding in a report.
fn findings(json: &Path) -> BTreeSet<(String, i64)> {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap().to_string(),
                f["frame"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn qc_finds_each_planted_defect_on_its_frame() {
    let tmp = tempfile::tempdir().unwrap();
    let seq = tmp.path().join("seq");
    write_defects(&seq);
    let json = tmp.path().join("qc.json");
    let out = run(grade()
        .arg("qc")
        .arg(seq.join("s.####.exr"))
        .arg("--json")
        .arg(&json));
    assert_eq!(out.status.code(), Some(1));
    let found = findings(&json);
    for (check, frame) in [
        ("missing", 3),
        ("nan", 5),
        ("black", 7),
        ("duplicate", 9),
        ("size", 10),
        ("timecode", 11),
    ] {
        assert!(
            found.contains(&(check.to_string(), frame)),
            "{check} on {frame}: {found:?}"
        );
    }
    // Nothing on the frames left alone (a black frame is a dark flash too).
    let planted = [3, 5, 7, 9, 10, 11];
    for (check, frame) in &found {
        assert!(planted.contains(frame), "{check} on clean frame {frame}");
    }
    let err = stderr(&out);
    assert!(err.contains("missing"), "{err}");
    // The folder gives the same, and --qc-fail chooses what fails.
    let out = run(grade().arg("qc").arg(&seq).args(["--qc-fail", "black"]));
    assert_eq!(out.status.code(), Some(1));
    let out = run(grade().arg("qc").arg(&seq).args(["--qc-fail", "none"]));
    assert_eq!(out.status.code(), Some(0));
    let out = run(grade().arg("qc").arg(&seq).args(["--qc-fail", "nan,bogus"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bogus"));
}

#[test]
fn a_clean_sequence_reports_nothing_on_disk_or_in_a_render() {
    let tmp = tempfile::tempdir().unwrap();
    let seq = tmp.path().join("seq");
    write_clean(&seq, 1..=6);
    let json = tmp.path().join("disk.json");
    let out = run(grade()
        .arg("qc")
        .arg(seq.join("s.%04d.exr"))
        .arg("--json")
        .arg(&json));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(findings(&json), BTreeSet::new());

    // In a render the statistics are the graded frames' own, measured in
    // memory: the same numbers a later `grade qc` reads back from the
    // float master.
    let render_json = tmp.path().join("render.json");
    let out = run(grade()
        .arg("apply")
        .arg("-i")
        .arg(seq.join("s.####.exr"))
        .args(["--backend", "cpu", "--depth", "float", "--create-dirs"])
        .arg("-o")
        .arg(tmp.path().join("out/o.####.exr"))
        .arg("--qc")
        .arg(&render_json));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(findings(&render_json), BTreeSet::new());
    let after = tmp.path().join("after.json");
    let out = run(grade()
        .arg("qc")
        .arg(tmp.path().join("out"))
        .arg("--json")
        .arg(&after));
    assert_eq!(out.status.code(), Some(0));
    let read = |p: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    };
    let (a, b) = (read(&render_json), read(&after));
    assert_eq!(a["frames"].as_array().unwrap().len(), 6);
    for (x, y) in a["frames"]
        .as_array()
        .unwrap()
        .iter()
        .zip(b["frames"].as_array().unwrap())
    {
        for key in ["hash", "mean", "min", "max", "nan", "luma"] {
            assert_eq!(x[key], y[key], "{key}");
        }
    }
}

#[test]
fn qc_fail_in_a_render_fails_the_job_on_the_chosen_check() {
    let tmp = tempfile::tempdir().unwrap();
    let seq = tmp.path().join("seq");
    write_defects(&seq);
    std::fs::remove_file(seq.join("s.0010.exr")).unwrap();
    let json = tmp.path().join("qc.json");
    let render = |fail: &str| {
        run(grade()
            .arg("apply")
            .arg("-i")
            .arg(seq.join("s.####.exr"))
            .args(["--backend", "cpu", "--depth", "float", "--create-dirs"])
            .args(["--frames", "4-9"])
            .arg("-o")
            .arg(tmp.path().join("out/o.####.exr"))
            .arg("--qc")
            .arg(&json)
            .args(["--qc-fail", fail]))
    };
    let out = render("nan");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("QC: 1 finding that fails the job (nan)"));
    let found = findings(&json);
    assert!(found.contains(&("nan".into(), 5)), "{found:?}");
    assert!(found.contains(&("black".into(), 7)), "{found:?}");
    assert!(found.contains(&("duplicate".into(), 9)), "{found:?}");
    assert_eq!(render("timecode").status.code(), Some(0));
}

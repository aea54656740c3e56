//! `grade conform` on OpenTimelineIO and Final Cut Pro 7 XML timelines:
//! every public sample reads through the binary without a panic, and a
//! Premiere-style FCP7 cut on proxy movies conforms to DPX sources by reel
//! and timecode, its Basic Motion scale placing the 2048-wide scan.

use std::path::Path;

use grade_engine::io::{self, BitDepth, WriteOptions};
use grade_engine::testcard::test_card;
use grade_engine::testutil::{fixture, fixtures_with_ext};
use grade_engine::SmpteTimecode;

use crate::common::{grade, run, stderr};

fn dry_run(timeline: &Path, media: &Path, report: &Path) -> std::process::Output {
    run(grade()
        .arg("conform")
        .arg(timeline)
        .arg("--media")
        .arg(media)
        .args(["--dry-run", "--allow-missing", "--report"])
        .arg(report))
}

#[test]
fn every_public_timeline_sample_reads_with_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let media = dir.path().join("media");
    std::fs::create_dir(&media).unwrap();
    let mut files = fixtures_with_ext("public/otio", &["otio"]);
    files.extend(fixtures_with_ext("public/otio-fcp-adapter", &["xml"]));
    assert!(files.len() >= 13, "{files:?}");
    for (i, f) in files.iter().enumerate() {
        let report = dir.path().join(format!("r{i}.json"));
        let out = dry_run(f, &media, &report);
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{}: {err}", f.display());
        // OpenTimelineIO has no lines: its events are named by clip and track.
        assert!(!err.contains("(line 0)"), "{}: {err}", f.display());
        assert_eq!(out.status.code(), Some(0), "{}: {err}", f.display());
        let r: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
        let format = if f.extension().is_some_and(|e| e == "xml") {
            "fcp7"
        } else {
            "otio"
        };
        assert_eq!(r["timeline_format"], format, "{}", f.display());
        assert!(r["events"].is_array(), "{}", f.display());
    }
}

/// A source clip: its first frame a real DPX carrying reel and timecode,
/// the others links to it (the index reads only the first frame's header;
/// a dry run reads no pixels).
fn source(media: &Path, reel: &str, width: u32, hours: u8) {
    let dir = media.join(reel);
    std::fs::create_dir_all(&dir).unwrap();
    let mut f = test_card(width, 1080, 1001, [1.0; 3]);
    f.meta.reel = Some(reel.into());
    f.meta.fps = Some(24.0);
    f.meta.timecode = Some(SmpteTimecode {
        hours,
        minutes: 0,
        seconds: 0,
        frames: 0,
        drop_frame: false,
    });
    let first = dir.join(format!("{reel}.0001001.dpx"));
    let opts = WriteOptions {
        depth: Some(BitDepth::U10),
        ..Default::default()
    };
    io::write_frame(&first, &f, &opts).unwrap();
    for n in 1002..=1300 {
        std::fs::hard_link(&first, dir.join(format!("{reel}.{n:07}.dpx"))).unwrap();
    }
}

#[test]
fn a_premiere_cut_on_proxies_conforms_by_reel_with_its_scale() {
    let dir = tempfile::tempdir().unwrap();
    let media = dir.path().join("media");
    source(&media, "A001C003", 2048, 10);
    source(&media, "B002C001", 1920, 11);
    let report = dir.path().join("r.json");
    let out = dry_run(&fixture("fcp7/premiere_proxies.xml"), &media, &report);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(r["timeline_format"], "fcp7");
    // The sequence's own format is the master's, its rate the conform rate.
    assert_eq!(r["master_format"]["width"], 1920);
    assert_eq!(r["master_format"]["height"], 1080);
    assert_eq!(r["rate"], "24 fps");
    let events = r["events"].as_array().unwrap();
    assert_eq!(events.len(), 3, "{events:?}");
    for e in events {
        assert_eq!(e["status"], "ok", "{e}");
        assert_eq!(e["match"], "reel", "{e}");
    }
    // A001C003 (2048 wide) at Basic Motion 93.75: the scan shown 1920 wide.
    let a = &events[0];
    assert_eq!(a["source_clip"], "A001C003");
    assert_eq!(a["source_frames"][0], 1001);
    let scale = a["reformat"]["scale_x"].as_f64().unwrap();
    assert!((scale - 0.9375).abs() < 1e-9, "{a}");
}

/// An FCP7 variable-speed Time Remap through the binary: the report names
/// it by its keyframes, the trace plays its time graph (when 100 -> 100,
/// 110 -> 105, 130 -> 145 from in 100: the fixture's keyframes), a graph
/// that does not read is a warning naming the clip and its line, and the
/// exported OpenTimelineIO keeps the keyframes beside the average speed.
#[test]
fn a_variable_time_remap_plays_its_keyframes() {
    let dir = tempfile::tempdir().unwrap();
    let media = dir.path().join("media/RAMP");
    std::fs::create_dir_all(&media).unwrap();
    let first = media.join("RAMP.0000.exr");
    io::write_frame(&first, &test_card(64, 32, 0, [1.0; 3]), &Default::default()).unwrap();
    for n in 1..300 {
        std::fs::hard_link(&first, media.join(format!("RAMP.{n:04}.exr"))).unwrap();
    }
    let (report, trace, otio) = (
        dir.path().join("r.json"),
        dir.path().join("t.json"),
        dir.path().join("e.otio"),
    );
    let out = run(grade()
        .arg("conform")
        .arg(fixture("fcp7/time_remap.xml"))
        .arg("--media")
        .arg(dir.path().join("media"))
        .args(["--dry-run", "--report"])
        .arg(&report)
        .arg("--trace")
        .arg(&trace)
        .arg("--export-otio")
        .arg(&otio));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json = |p: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    };
    let r = json(&report);
    let events = r["events"].as_array().unwrap();
    assert_eq!(events[0]["time_effect"], "remap (3 keyframes)");
    assert_eq!(events[1]["time_effect"], "speed 1.5x");
    let warned = events[1]["warnings"].to_string();
    assert!(
        warned.contains("line 124") && warned.contains("NOKEYS"),
        "{warned}"
    );
    let keys = [(100.0, 100.0), (110.0, 105.0), (130.0, 145.0)];
    let t = json(&trace);
    for k in 0..30usize {
        let w = 100.0 + k as f64;
        let seg = usize::from(w >= keys[1].0);
        let ((w0, v0), (w1, v1)) = (keys[seg], keys[seg + 1]);
        let want = (v0 + (w - w0) * (v1 - v0) / (w1 - w0)).floor() as i64;
        assert_eq!(t[k]["layers"][0]["file_frame"], want, "frame {k}");
    }
    let e = json(&otio);
    let text = e.to_string();
    assert!(
        text.contains("time_remap") && text.contains("LinearTimeWarp"),
        "{text}"
    );
}

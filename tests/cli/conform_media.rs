//! `grade conform` over media trees as they are: unreadable files under
//! `--media` fail only the events that need them and are listed in the
//! report; an EDL without `--fps` runs at the rate its sources' headers
//! give; a source at another rate than the conform is named per event.

use std::path::Path;

use grade_engine::io::{self, WriteOptions};
use grade_engine::testcard::{read_number, test_card};
use grade_engine::SmpteTimecode;

use crate::common::{grade, run};
use crate::conform::write_sources;

fn report(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn a_media_tree_with_unreadable_files_conforms_every_other_event_and_reports_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_sources(root);
    let media = root.join("media");
    // Event 006 wants reel REEL_C99: its only frame is a truncated DPX.
    let c99 = media.join("REEL_C99");
    std::fs::create_dir_all(&c99).unwrap();
    let dpx = std::fs::read(media.join("REEL_A01/REEL_A01.0001001.dpx")).unwrap();
    let truncated = c99.join("REEL_C99.0001001.dpx");
    std::fs::write(&truncated, &dpx[..100]).unwrap();
    // A text file named .exr that no event needs.
    let junk = media.join("notes/readme.exr");
    std::fs::create_dir_all(junk.parent().unwrap()).unwrap();
    std::fs::write(&junk, "not an image\n").unwrap();

    let conform = |extra: &[&str]| {
        run(grade()
            .arg("conform")
            .arg(root.join("cut.edl"))
            .arg("--media")
            .arg(&media)
            .args(["--fps", "24", "--proxy-map", r"s/_proxy\.mov$//"])
            .args(["--backend", "cpu", "--create-dirs", "--report"])
            .arg(root.join("report.json"))
            .arg("-o")
            .arg(root.join("master/CUT.%07d.dpx"))
            .args(extra))
    };

    // Without --allow-missing only event 006 is a problem, and it names
    // the file it would have needed.
    let out = conform(&[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.matches("could not be read and are left out").count(),
        1,
        "{err}"
    );
    assert!(err.contains("2 file(s)"), "{err}");
    assert!(err.contains("1 event(s) cannot be conformed"), "{err}");

    let out = conform(&["--allow-missing"]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    // The table lists the unreadable files.
    assert!(
        err.contains(&format!("unreadable {}", truncated.display())),
        "{err}"
    );
    let r = report(&root.join("report.json"));
    let statuses: Vec<&str> = r["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["ok", "ok", "ok", "ok", "ok", "missing"]);
    let detail = r["events"][5]["detail"].as_str().unwrap();
    assert!(
        detail.contains("REEL_C99.0001001.dpx") && detail.contains("could not be read"),
        "{detail}"
    );
    let listed: Vec<&str> = r["unreadable_media"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed,
        [truncated.to_str().unwrap(), junk.to_str().unwrap()]
    );
    assert!(r["unreadable_media"][0]["error"].as_str().unwrap().len() > 5);

    // Every event that needs none of them rendered: 48 master frames, the
    // first showing REEL_A01's frame 1001.
    let master = root.join("master");
    assert_eq!(std::fs::read_dir(&master).unwrap().count(), 48);
    let first = io::read_frame(&master.join("CUT.0086400.dpx")).unwrap();
    assert_eq!(read_number(&first, 0.5), 1001);
}

/// `P25.%07d.exr`: 30 frames at 25 fps from 10:00:00:00.
fn write_25fps_clip(root: &Path) {
    let dir = root.join("media/P25");
    std::fs::create_dir_all(&dir).unwrap();
    for k in 0..30i64 {
        let mut f = test_card(32, 8, 1 + k, [1.0; 3]);
        f.meta.reel = Some("P25".into());
        f.meta.fps = Some(25.0);
        f.meta.timecode = Some(SmpteTimecode {
            hours: 10,
            minutes: 0,
            seconds: (k / 25) as u8,
            frames: (k % 25) as u8,
            drop_frame: false,
        });
        let path = dir.join(format!("P25.{:07}.exr", 1 + k));
        io::write_frame(&path, &f, &WriteOptions::default()).unwrap();
    }
    // Frame label 24 exists only at 25 fps and above.
    std::fs::write(
        root.join("p25.edl"),
        "TITLE: P25\n\n001  P25      V     C        10:00:00:20 10:00:01:00 01:00:00:00 01:00:00:05\n",
    )
    .unwrap();
}

#[test]
fn an_edl_without_fps_runs_at_its_sources_rate_and_other_rates_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_25fps_clip(root);
    let dry_run = |extra: &[&str]| {
        run(grade()
            .arg("conform")
            .arg(root.join("p25.edl"))
            .arg("--media")
            .arg(root.join("media"))
            .args(["--dry-run", "--report"])
            .arg(root.join("r.json"))
            .args(extra))
    };
    let out = dry_run(&[]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no --fps: conforming at 25 fps"), "{err}");
    let r = report(&root.join("r.json"));
    assert_eq!(r["rate"], "25 fps");
    assert_eq!(r["events"][0]["status"], "ok");
    assert_eq!(r["events"][0]["warnings"], serde_json::json!([]));

    // At --fps 30 the EDL reads, but the source runs at 25: said per event,
    // in the report and on the terminal.
    let out = dry_run(&["--fps", "30"]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("p25.edl:3: event 001: source P25 runs at 25 fps by its header; the conform runs at 30 fps"),
        "{err}"
    );
    let r = report(&root.join("r.json"));
    assert_eq!(r["rate"], "30 fps");
    let w = r["events"][0]["warnings"][0].as_str().unwrap();
    assert!(w.contains("25 fps") && w.contains("30 fps"), "{w}");
    assert!(
        r["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["line"] == 3 && x["message"].as_str().unwrap().contains("P25")),
        "{}",
        r["warnings"]
    );
}

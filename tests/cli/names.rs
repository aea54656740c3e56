//! Naming templates on `conform` and `apply`: {reel}, {clip}, {version:03},
//! {frame:07} from the timeline; a clip name with spaces becomes `_` (with a
//! warning) unless --keep-names; literal text is never changed; an unknown
//! token is exit 2, naming it.

use std::path::Path;

use grade_engine::io::{self, BitDepth, WriteOptions};
use grade_engine::testcard::test_card;
use grade_engine::SmpteTimecode;

use crate::common::{grade, run, stderr};

const EDL: &str = "TITLE: NAMES
FCM: NON-DROP FRAME

001  A001     V     C        10:00:00:00 10:00:00:04 01:00:00:00 01:00:00:04
* FROM CLIP NAME:  A001 C003 take 2

002  B002     V     C        11:00:00:00 11:00:00:03 01:00:00:04 01:00:00:07
";

fn media(root: &Path) {
    for (reel, hours) in [("A001", 10u8), ("B002", 11)] {
        let dir = root.join("media").join(reel);
        std::fs::create_dir_all(&dir).unwrap();
        for k in 0..8 {
            let mut f = test_card(16, 4, k, [1.0; 3]);
            f.meta.reel = Some(reel.to_string());
            f.meta.fps = Some(24.0);
            f.meta.timecode = Some(SmpteTimecode {
                hours,
                frames: k as u8,
                ..Default::default()
            });
            let opts = WriteOptions {
                depth: Some(BitDepth::U10),
                ..Default::default()
            };
            io::write_frame(&dir.join(format!("{reel}.{:07}.dpx", 1001 + k)), &f, &opts).unwrap();
        }
    }
    std::fs::write(root.join("cut.edl"), EDL).unwrap();
}

fn conform(root: &Path, output: &str, extra: &[&str]) -> std::process::Output {
    run(grade()
        .arg("conform")
        .arg(root.join("cut.edl"))
        .arg("--media")
        .arg(root.join("media"))
        .args(["--backend", "cpu", "--create-dirs", "-o"])
        .arg(root.join(output))
        .args(extra))
}

fn names_under(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walk(dir)
        .iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn conform_names_frames_by_reel_clip_and_version() {
    let tmp = tempfile::tempdir().unwrap();
    media(tmp.path());
    let out = conform(
        tmp.path(),
        "out/{reel}/{clip}_v{version:03}.{frame:07}.dpx",
        &["--version", "2", "--mhl"],
    );
    assert_eq!(out.status.code(), Some(0));
    // The manifest seals out/, the folder holding both reels' folders.
    let sealed = tmp.path().join("out");
    let verify = run(grade().args(["mhl", "verify"]).arg(&sealed));
    assert_eq!(verify.status.code(), Some(0));
    if let Some(debug) = crate::mhl::tool("ascmhl-debug") {
        assert_eq!(crate::mhl::ascmhl_verify(&debug, &sealed, true), 0);
    }
    std::fs::remove_dir_all(sealed.join("ascmhl")).unwrap();
    let err = stderr(&out);
    assert!(
        err.contains("\"A001 C003 take 2\" has characters outside [A-Za-z0-9._-]: written as \"A001_C003_take_2\""),
        "{err}"
    );
    let mut want: Vec<String> = (86400..86404)
        .map(|n| format!("A001/A001_C003_take_2_v002.{n:07}.dpx"))
        .chain((86404..86407).map(|n| format!("B002/B002_v002.{n:07}.dpx")))
        .collect();
    want.sort();
    assert_eq!(names_under(&tmp.path().join("out")), want);

    // --keep-names keeps the spaces the editor typed.
    let out = conform(
        tmp.path(),
        "kept/{clip}.{frame:07}.dpx",
        &["--keep-names", "--frames", "86400"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    assert_eq!(
        names_under(&tmp.path().join("kept")),
        ["A001 C003 take 2.0086400.dpx"]
    );
}

#[test]
fn literal_paths_stay_and_unknown_tokens_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    media(tmp.path());
    let out = conform(
        tmp.path(),
        "my master/été {v1}.####.dpx",
        &["--frames", "86400-86401"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    assert_eq!(
        names_under(&tmp.path().join("my master")),
        ["été {v1}.86400.dpx", "été {v1}.86401.dpx"]
    );
    let out = conform(tmp.path(), "o/{scene}.####.dpx", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown token {scene}"),
        "{}",
        stderr(&out)
    );
    // {version} needs --version; {event} has no value in apply.
    let out = conform(tmp.path(), "o/v{version}.####.dpx", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--version"), "{}", stderr(&out));
    let out = run(grade()
        .arg("apply")
        .arg("-i")
        .arg(tmp.path().join("media/A001/A001.#######.dpx"))
        .arg("-o")
        .arg(tmp.path().join("o/{event}.#######.dpx")));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("{event}"), "{}", stderr(&out));
    // apply: {clip} and {reel} from the source, {tc} its own timecode.
    let out = run(grade()
        .arg("apply")
        .arg("-i")
        .arg(tmp.path().join("media/B002/B002.#######.dpx"))
        .args(["--frames", "1001-1002", "--backend", "cpu", "--create-dirs"])
        .arg("-o")
        .arg(tmp.path().join("applied/{reel}_{clip}_{tc}.dpx")));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        names_under(&tmp.path().join("applied")),
        ["B002_B002_11000000.dpx", "B002_B002_11000001.dpx"]
    );
}

//! Chunked deliverables joined by `grade farm finalize`, without a
//! scheduler: the chunks of a conform with a review movie, QC and a
//! checksum manifest run by hand (`--chunk K/4`), one of them killed
//! mid-way and run again, then finalize; the result against one process's
//! render: the same frame and QC report bytes, the same decoded movie
//! frames (ffmpeg's framemd5), the same manifest hashes, and a manifest
//! that `ascmhl-debug verify` and `grade mhl verify` accept. Also run by
//! `openjd run` of the two-step template. The Slurm run is in farm_slurm.rs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{files, grade, run, stderr, subdir};
use crate::conform::write_sources;

/// The conform of the conform tests' cut (48 frames of 128x16) into
/// `master/`, with a ProRes review movie beside it, QC into
/// `master/qc.json` (its findings reported, not failing the job) and an ASC MHL generation of `master/`.
pub(crate) fn deliverable_conform(root: &Path) -> Vec<String> {
    let mut a: Vec<String> = vec!["conform".into(), root.join("cut.edl").display().to_string()];
    a.extend(["--media".into(), root.join("media").display().to_string()]);
    a.extend(
        [
            "--proxy-map",
            r"s/_proxy\.mov$//",
            "--allow-missing",
            "--backend",
            "cpu",
            "--create-dirs",
            "-o",
            "master/CUT.%07d.dpx",
            "--review",
            "review.mov",
            "--review-codec",
            "prores-hq",
            "--qc",
            "master/qc.json",
            "--qc-fail",
            "none",
            "--mhl",
        ]
        .map(String::from),
    );
    a
}

/// ffmpeg on PATH; `None` (skip) outside CI without it.
pub(crate) fn ffmpeg() -> Option<PathBuf> {
    crate::review::tool("ffmpeg")
}

/// The decoded frames of a movie: ffmpeg's framemd5 lines.
fn framemd5(ffmpeg: &Path, movie: &Path) -> Vec<String> {
    let o = Command::new(ffmpeg)
        .args(["-v", "error", "-i"])
        .arg(movie)
        .args(["-map", "0:v", "-f", "framemd5", "-"])
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "framemd5 of {}: {}",
        movie.display(),
        stderr(&o)
    );
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(String::from)
        .collect()
}

/// The paths and digests of the newest manifest in `folder/ascmhl`.
fn manifest_hashes(folder: &Path) -> Vec<String> {
    let mut manifests: Vec<PathBuf> = std::fs::read_dir(folder.join("ascmhl"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "mhl"))
        .collect();
    manifests.sort();
    let text = std::fs::read_to_string(manifests.last().expect("a manifest")).unwrap();
    text.lines()
        .map(str::trim)
        .filter(|l| l.starts_with("<path") || l.starts_with("<xxh128"))
        .filter_map(|l| {
            let body = &l[l.find('>')? + 1..];
            Some(body[..body.find("</")?].to_string())
        })
        .collect()
}

/// The job in `job` has the same deliverables as the single render in
/// `one`, and its staging folder is gone.
pub(crate) fn assert_like_one_render(ffmpeg: &Path, one: &Path, job: &Path) {
    let (a, b) = (files(&one.join("master")), files(&job.join("master")));
    assert_eq!(a.len(), 49, "48 frames and qc.json");
    let text = |f: &BTreeMap<String, Vec<u8>>| String::from_utf8_lossy(&f["qc.json"]).into_owned();
    let (qa, qb) = (text(&a), text(&b));
    let first = qa.lines().zip(qb.lines()).find(|(x, y)| x != y);
    assert!(first.is_none(), "QC reports differ first at {first:?}");
    let differ: Vec<&String> = a.keys().filter(|k| a.get(*k) != b.get(*k)).collect();
    assert!(
        differ.is_empty() && a.len() == b.len(),
        "frames or QC report differ from one process's: {differ:?}"
    );
    assert_eq!(
        framemd5(ffmpeg, &one.join("review.mov")),
        framemd5(ffmpeg, &job.join("review.mov")),
        "the joined movie's decoded frames differ from one process's"
    );
    let hashes = manifest_hashes(&job.join("master"));
    assert!(hashes.len() > 49 * 2, "{hashes:?}");
    assert_eq!(manifest_hashes(&one.join("master")), hashes);
    let o = run(grade().args(["mhl", "verify"]).arg(job.join("master")));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    if let Some(debug) = crate::mhl::tool("ascmhl-debug") {
        assert_eq!(
            crate::mhl::ascmhl_verify(&debug, &job.join("master"), false),
            0
        );
    }
    let left: Vec<String> = std::fs::read_dir(job)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "left in the job folder: {left:?}");
}

/// One process's render of [`deliverable_conform`] in `root/one`.
pub(crate) fn one_render(root: &Path) -> PathBuf {
    let one = subdir(root, "one");
    let o = run(grade().current_dir(&one).args(deliverable_conform(root)));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    one
}

#[test]
fn chunks_run_by_hand_then_finalize_equal_one_render() {
    let Some(ffmpeg) = ffmpeg() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_sources(root);
    let one = one_render(root);

    let job = subdir(root, "chunks");
    let chunk = |k: u32| {
        let mut c = grade();
        c.current_dir(&job).args(deliverable_conform(root)).args([
            "--chunk",
            &format!("{k}/4"),
            "--skip-existing",
        ]);
        c
    };
    for k in [1, 3, 4] {
        let o = run(&mut chunk(k));
        assert_eq!(o.status.code(), Some(0), "chunk {k}: {}", stderr(&o));
    }
    let staging = job.join(".grade-staging-master");
    assert!(staging.join("chunk-0001-of-0004/part.json").is_file());
    assert!(!job.join("master/qc.json").exists() && !job.join("review.mov").exists());

    // Chunk 2 missing: exit 1 naming it, nothing changed.
    let before = files(&job.join("master"));
    let o = run(grade()
        .current_dir(&job)
        .args(["farm", "finalize", "master/CUT.%07d.dpx"]));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("chunk 2/4"), "{}", stderr(&o));
    assert!(files(&job.join("master")) == before);
    assert!(!job.join("review.mov").exists() && !job.join("master/ascmhl").exists());
    assert!(staging.join("chunk-0003-of-0004/part.json").is_file());

    // Chunk 2 killed (with its ffmpeg, as a scheduler kills a task) once it
    // has written frames: ffmpeg is held back so that the render waits.
    let slow = job.join("slow-ffmpeg");
    std::fs::write(
        &slow,
        format!("#!/bin/sh\nsleep 5\nexec '{}' \"$@\"\n", ffmpeg.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&slow, std::fs::Permissions::from_mode(0o755)).unwrap();
    use std::os::unix::process::CommandExt;
    let mut child = chunk(2)
        .env("GRADE_FFMPEG", &slow)
        .process_group(0)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Counted by name, not read: the render renames its temporaries while
    // this looks.
    let written = || {
        std::fs::read_dir(job.join("master"))
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .count()
    };
    let t = Instant::now();
    while written() == before.len() {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "chunk 2 wrote no frame"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let o = Command::new("kill")
        .args(["-s", "KILL", "--", &format!("-{}", child.id())])
        .output()
        .unwrap();
    assert!(o.status.success(), "kill: {}", stderr(&o));
    let _ = child.wait();
    eprintln!(
        "chunk 2 killed with {} of its 12 frames written",
        written() - before.len()
    );
    assert!(!staging.join("chunk-0002-of-0004/part.json").exists());
    let o = run(&mut chunk(2));
    assert_eq!(o.status.code(), Some(0), "chunk 2 again: {}", stderr(&o));
    std::fs::remove_file(&slow).unwrap();
    // A complete chunk run again (a requeue) renders nothing.
    let o = run(&mut chunk(1));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("complete already"), "{}", stderr(&o));

    let o = run(grade()
        .current_dir(&job)
        .args(["farm", "finalize", "master/CUT.%07d.dpx"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    eprintln!("{}", stderr(&o));
    assert_like_one_render(&ffmpeg, &one, &job);
}

#[test]
fn openjd_runs_the_render_and_finalize_steps_like_one_render() {
    let Some(ffmpeg) = ffmpeg() else {
        return;
    };
    let Some(py) = grade_engine::testutil::reference_python() else {
        return;
    };
    let openjd = py.with_file_name("openjd");
    if !openjd.exists() {
        let msg = format!("openjd not found at {}", openjd.display());
        assert!(
            !grade_engine::testutil::in_ci(),
            "{msg}; under CI=true this is a failure"
        );
        eprintln!("skipped: {msg}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_sources(root);
    let one = one_render(root);
    let job = subdir(root, "job");
    let o = run(grade()
        .current_dir(&job)
        .args(["farm", "openjd", "--chunk-size", "12", "--frames"])
        .arg("86400-86447")
        .args(["-o", "job.yaml", "--"])
        .args(deliverable_conform(root)));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(Command::new(&openjd)
        .current_dir(root)
        .arg("run")
        .arg(job.join("job.yaml"))
        .args(["--step", "Finalize", "--run-dependencies"]));
    let log = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(o.status.success(), "openjd run failed:\n{log}");
    assert_eq!(log.matches("openjd_status: done").count(), 4, "{log}");
    assert_like_one_render(&ffmpeg, &one, &job);
}

#[test]
fn h264_segments_join_with_a_key_frame_at_each_chunk_start() {
    let (Some(_), Some(ffprobe)) = (ffmpeg(), crate::review::tool("ffprobe")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let src = subdir(dir.path(), "src");
    crate::farm::sequence(&src, 25, 64, 36);
    for k in 1..=3 {
        let o = run(grade()
            .current_dir(dir.path())
            .args(["apply", "--backend", "cpu", "-i", "src/in.####.dpx"])
            .args(["-o", "out/out.####.dpx", "--create-dirs"])
            .args(["--review", "r.mov", "--review-codec", "h264"])
            .args(["--chunk", &format!("{k}/3")]));
        assert_eq!(o.status.code(), Some(0), "chunk {k}: {}", stderr(&o));
    }
    let o = run(grade()
        .current_dir(dir.path())
        .args(["farm", "finalize", "out"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = Command::new(&ffprobe)
        .args(["-v", "error", "-select_streams", "v"])
        .args(["-show_entries", "frame=key_frame", "-of", "csv=p=0"])
        .arg(dir.path().join("r.mov"))
        .output()
        .unwrap();
    assert!(o.status.success(), "ffprobe: {}", stderr(&o));
    // One line per frame, `1` or `0` (a key frame's side data adds a
    // `,` and an empty line).
    let flags: Vec<bool> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.starts_with('1'))
        .collect();
    let keys: Vec<usize> = (0..flags.len()).filter(|&i| flags[i]).collect();
    let frames = flags.len();
    // Chunks of 25 frames in 3: 0-7, 8-15, 16-24.
    assert_eq!((frames, &keys[..]), (25, &[0, 8, 16][..]));
    assert!(!dir.path().join(".grade-staging-out").exists());
}

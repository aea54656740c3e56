//! What a render does to the files around it, through the binary: outputs
//! that are inputs are refused, `--skip-existing` renders broken outputs
//! again, temporaries of killed renders are cleaned up, a full volume stops
//! the job with exit 3, and a headless machine hears only grade.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use grade_engine::io::{self, probe, temporary, WriteOptions};
use grade_engine::testcard::test_card;

use crate::common::{files, grade, run, stderr, subdir};

/// `n` DPX frames `in.NNNN.dpx` from 1001 in `dir`, `w x h`, 10-bit.
fn sources(dir: &Path, n: i64, (w, h): (u32, u32)) {
    let opts = WriteOptions {
        depth: Some(io::BitDepth::U10),
        ..Default::default()
    };
    for k in 0..n {
        let f = test_card(w, h, k, [1.0, 0.9, 0.8]);
        io::write_frame(&dir.join(format!("in.{:04}.dpx", 1001 + k)), &f, &opts).unwrap();
    }
}

fn apply(input: &Path, output: &Path) -> Command {
    let mut c = grade();
    c.args(["apply", "--backend", "cpu", "--slope", "1.2", "-i"])
        .arg(input)
        .arg("-o")
        .arg(output);
    c
}

#[test]
fn outputs_that_are_inputs_are_refused_unless_overwrite_input() {
    let tmp = tempfile::tempdir().unwrap();
    let src = subdir(tmp.path(), "src");
    sources(&src, 3, (32, 18));
    let pattern = src.join("in.####.dpx");
    let before = files(&src);
    // The same path, through a symbolic link to the folder, and a hard link.
    std::os::unix::fs::symlink(&src, tmp.path().join("link")).unwrap();
    let hard = subdir(tmp.path(), "hard");
    std::fs::hard_link(src.join("in.1002.dpx"), hard.join("out.1002.dpx")).unwrap();
    let link = tmp.path().join("link");
    for (output, out_pattern, named, input, how) in [
        (
            &src,
            "in.####.dpx",
            "in.1001.dpx",
            "in.1001.dpx",
            "the same path",
        ),
        (
            &link,
            "in.####.dpx",
            "in.1001.dpx",
            "in.1001.dpx",
            "symbolic link",
        ),
        (
            &hard,
            "out.####.dpx",
            "out.1002.dpx",
            "in.1002.dpx",
            "a hard link",
        ),
    ] {
        let o = run(&mut apply(&pattern, &output.join(out_pattern)));
        assert_eq!(o.status.code(), Some(2));
        let err = stderr(&o);
        let named = output.join(named).display().to_string();
        let input = src.join(input).display().to_string();
        assert!(err.contains(&named) && err.contains(&input), "{err}");
        assert!(
            err.contains(how) && err.contains("--overwrite-input"),
            "{err}"
        );
        assert!(files(&src) == before, "a source frame was written");
    }
    // Asked for, it is done: every frame graded in place, whole.
    let o = run(apply(&pattern, &pattern).arg("--overwrite-input"));
    assert_eq!(o.status.code(), Some(0));
    let after = files(&src);
    assert_eq!(after.len(), 3);
    for (name, bytes) in &after {
        assert!(bytes != &before[name], "{name} was not graded");
        probe::whole_frame(&src.join(name)).unwrap();
    }
}

/// For DPX, EXR and TIFF: a zero-byte, a truncated and a wrong-size output
/// are rendered again with a warning each, and counted; a good one is
/// skipped and left untouched. The result is what one clean render gives.
#[test]
fn skip_existing_renders_broken_outputs_again() {
    let tmp = tempfile::tempdir().unwrap();
    let src = subdir(tmp.path(), "src");
    sources(&src, 4, (48, 27));
    let small = subdir(tmp.path(), "small");
    sources(&small, 1, (24, 14));
    for ext in ["dpx", "exr", "tif"] {
        let clean = subdir(tmp.path(), &format!("clean-{ext}"));
        let out = subdir(tmp.path(), &format!("out-{ext}"));
        let input = src.join("in.####.dpx");
        for dir in [&clean, &out] {
            let o = run(&mut apply(&input, &dir.join(format!("o.####.{ext}"))));
            assert_eq!(o.status.code(), Some(0));
        }
        let name = |n: i64| out.join(format!("o.{n}.{ext}"));
        std::fs::write(name(1001), b"").unwrap();
        let bytes = std::fs::read(name(1002)).unwrap();
        std::fs::write(name(1002), &bytes[..bytes.len() * 2 / 3]).unwrap();
        let o = run(&mut apply(
            &small.join("in.1001.dpx"),
            &out.join(format!("o.1003.{ext}")),
        ));
        assert_eq!(o.status.code(), Some(0));
        let good = std::fs::metadata(name(1004)).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));

        let o = run(apply(&input, &out.join(format!("o.####.{ext}"))).args([
            "--skip-existing",
            "--progress",
            "json",
        ]));
        assert_eq!(o.status.code(), Some(0));
        let err = stderr(&o);
        let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning")).collect();
        assert_eq!(warnings.len(), 3, "{err}");
        for (n, why) in [
            (1001, "empty"),
            (1002, ""),
            (1003, "24x14, where this job's frame is 48x27"),
        ] {
            let head = format!("grade: warning: frame {n}: ");
            let w = warnings.iter().find(|w| w.starts_with(&head)).unwrap();
            assert!(
                w.contains(&format!("o.{n}.{ext}")) && w.contains(why),
                "{w}"
            );
        }
        assert!(
            err.contains("4 frames: 3 written (3 over broken outputs), 1 skipped, 0 failed"),
            "{err}"
        );
        let status: Vec<(i64, String, bool)> = String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                let n = v["frame"].as_i64().unwrap();
                (
                    n,
                    v["status"].as_str().unwrap().into(),
                    v["warning"].is_string(),
                )
            })
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(
            status,
            [
                (1001, "written".into(), true),
                (1002, "written".into(), true),
                (1003, "written".into(), true),
                (1004, "skipped".into(), false)
            ]
        );
        assert_eq!(
            std::fs::metadata(name(1004)).unwrap().modified().unwrap(),
            good,
            "the good frame was written again"
        );
        assert!(
            files(&out) == files(&clean),
            "{ext}: differs from a clean render"
        );
    }
}

/// A render killed with SIGKILL while writing may leave temporaries; the
/// resumed render removes those of dead writers (and of other hosts once
/// old) and leaves no temporary file.
#[test]
fn a_resumed_render_leaves_no_temporaries_of_a_killed_one() {
    let tmp = tempfile::tempdir().unwrap();
    let src = subdir(tmp.path(), "src");
    sources(&src, 24, (640, 360));
    let out = subdir(tmp.path(), "out");
    let input = src.join("in.####.dpx");
    let output = out.join("o.####.dpx");
    let mut child = apply(&input, &output)
        .args(["--threads", "1", "--progress", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    lines.next().expect("a first finished frame").unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let left = files(&out).keys().filter(|n| n.starts_with('.')).count();
    eprintln!("SIGKILL left {left} temporary file(s)");
    // Whatever the kill left, add what a dead writer on this host, a node
    // gone for hours and a grade from before hosts were recorded leave.
    let mut dead = Command::new("true").spawn().unwrap();
    let pid = dead.id();
    dead.wait().unwrap();
    let planted = [
        format!(".o.1003.dpx.tmp-{}-{pid}-0", temporary::host()),
        format!(".o.1004.dpx.tmp-node-7-{pid}-1"),
        ".o.1005.dpx.tmp-4421-33".to_string(),
    ];
    for name in &planted {
        std::fs::write(out.join(name), vec![0u8; 1000]).unwrap();
    }
    for old in &planted[1..] {
        let ok = Command::new("touch")
            .args(["-d", "2 hours ago"])
            .arg(out.join(old))
            .status()
            .unwrap();
        assert!(ok.success());
    }
    let o = run(apply(&input, &output).arg("--skip-existing"));
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    let removed = format!("removed {} temporary files", left + planted.len());
    assert!(err.contains(&removed), "{err}");
    let names = files(&out);
    assert!(names.keys().all(|n| !n.starts_with('.')), "{names:?}");
    assert_eq!(names.len(), 24);
    for n in names.keys() {
        probe::whole_frame(&out.join(n)).unwrap();
    }
}

/// Unmounts on drop, so a failing test leaves no mount behind.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// A 2 MiB tmpfs that fills after a few frames: the job stops taking new
/// frames, fails at most those in flight, leaves only whole frames, names
/// the volume and exits 3.
#[test]
fn a_full_volume_stops_the_job_with_exit_3() {
    let tmp = tempfile::tempdir().unwrap();
    let src = subdir(tmp.path(), "src");
    // 16-bit DPX of 256x144 is 223 KiB: nine fit in 2 MiB.
    sources(&src, 30, (256, 144));
    let vol = subdir(tmp.path(), "vol");
    let mount = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(&vol)
        .output();
    match mount {
        Ok(o) if o.status.success() => {}
        other => {
            let msg = format!("cannot mount a small tmpfs here (needs root): {other:?}");
            assert!(
                !grade_engine::testutil::in_ci(),
                "{msg}; under CI=true this is a failure"
            );
            eprintln!("skipped: {msg}");
            return;
        }
    }
    let _mounted = Mounted(vol.clone());
    let o = run(&mut apply(
        &src.join("in.####.dpx"),
        &vol.join("o.####.dpx"),
    ));
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    let volume = format!("the output volume {} (tmpfs) is full", vol.display());
    assert!(err.contains(&volume), "{err}");
    let names = files(&vol);
    assert!(names.keys().all(|n| !n.starts_with('.')), "{names:?}");
    for n in names.keys() {
        probe::whole_frame(&vol.join(n)).unwrap();
    }
    let summary = err.lines().find(|l| l.contains("30 frames:")).unwrap();
    let count = |word: &str| -> usize {
        let at = summary.find(word).unwrap();
        let digits: String = summary[..at]
            .trim_end()
            .rsplit(' ')
            .next()
            .unwrap()
            .to_string();
        digits.parse().unwrap()
    };
    let (written, failed, waiting) = (count("written"), count("failed"), count("not started"));
    assert_eq!(written, names.len(), "{summary}");
    assert_eq!(written + failed + waiting, 30, "{summary}");
    // No more than a full pipeline's frames (4 readers and 4 writers at
    // most) fail once the volume is full; the rest never start.
    let in_flight = grade_engine::render::frames_in_flight(4);
    assert!((1..=in_flight).contains(&failed), "{summary}");
    assert!(waiting > 0, "{summary}");
    // Failed frames are listed in order, as ranges.
    let list = err
        .lines()
        .find_map(|l| l.strip_prefix("grade: failed frames: "))
        .unwrap();
    let mut frames = Vec::new();
    for part in list.split(',') {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        frames.extend(a.parse::<i64>().unwrap()..=b.parse::<i64>().unwrap());
    }
    let mut sorted = frames.clone();
    sorted.sort_unstable();
    assert_eq!(frames, sorted, "{list}");
    assert_eq!(frames.len(), failed, "{list}");
}

/// With no session variables (a farm node, a container), asking for a GPU
/// adapter prints nothing but grade's own lines.
#[test]
fn a_headless_machine_hears_only_grade() {
    let tmp = tempfile::tempdir().unwrap();
    let src = subdir(tmp.path(), "src");
    sources(&src, 2, (32, 18));
    let mut c = grade();
    c.args(["apply", "--slope", "1.2", "-i"])
        .arg(src.join("in.####.dpx"))
        .arg("-o")
        .arg(tmp.path().join("o.####.tif"));
    for var in [
        "XDG_RUNTIME_DIR",
        "WAYLAND_DISPLAY",
        "DISPLAY",
        "XDG_SESSION_TYPE",
    ] {
        c.env_remove(var);
    }
    let o = run(&mut c);
    assert_eq!(o.status.code(), Some(0));
    let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    for line in all.lines() {
        assert!(line.starts_with("grade: "), "not grade's: {line:?}");
    }
}

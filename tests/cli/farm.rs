//! Farm use through the binary: chunking, cancellation, resuming with
//! --skip-existing, output checks, progress formats, exit codes and the
//! Open Job Description template run by `openjd`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use grade_engine::io::{self, WriteOptions};

use crate::common::{data, files, grade, run, stderr, subdir, test_frame};

const FIRST: i64 = 1001;

/// `n` DPX frames `in.NNNN.dpx` from 1001, each a little different.
pub(crate) fn sequence(dir: &Path, n: i64, w: u32, h: u32) {
    let base = test_frame(w, h);
    for k in 0..n {
        let mut f = base.clone();
        for v in f.pixels.iter_mut().step_by(4) {
            *v += k as f32 * 0.01;
        }
        let p = dir.join(format!("in.{:04}.dpx", FIRST + k));
        io::write_frame(&p, &f, &WriteOptions::default()).unwrap();
    }
}

/// `grade apply` of `src`'s sequence with a CDL and a .cube into `out`.
fn apply(src: &Path, out: &Path) -> Command {
    let mut c = grade();
    c.args(["apply", "--backend", "cpu", "-i"])
        .arg(src.join("in.####.dpx"))
        .arg("--cdl")
        .arg(data("public/ocio/tests/data/files/cdl_test1.cc"))
        .arg("--lut")
        .arg(data(
            "public/colour/colour/io/luts/tests/resources/resolve_cube/Colour_Correct.cube",
        ))
        .arg("-o")
        .arg(out.join("out.####.dpx"));
    c
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn chunks_frames_and_ranges_give_the_same_files_as_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let src = subdir(dir.path(), "src");
    sequence(&src, 30, 64, 36);
    let whole = subdir(dir.path(), "whole");
    let o = run(apply(&src, &whole).args(["--progress", "none"]));
    assert_eq!(o.status.code(), Some(0));
    let reference = files(&whole);
    assert_eq!(reference.len(), 30);

    for n in [1, 3, 7] {
        let out = subdir(dir.path(), &format!("chunks{n}"));
        for k in 1..=n {
            let o = run(apply(&src, &out).args(["--chunk", &format!("{k}/{n}")]));
            assert_eq!(o.status.code(), Some(0));
        }
        assert!(files(&out) == reference, "{n} chunks differ from one run");
    }
    let out = subdir(dir.path(), "frames");
    for set in ["1001-1010", "1011,1012,1013-1020x1", "1021-1030"] {
        assert_eq!(
            run(apply(&src, &out).args(["--frames", set])).status.code(),
            Some(0)
        );
    }
    assert!(
        files(&out) == reference,
        "--frames runs differ from one run"
    );
    let out = subdir(dir.path(), "startend");
    for (s, e) in [("1001", "1017"), ("1018", "1030")] {
        let o = run(apply(&src, &out).args(["--start", s, "--end", e]));
        assert_eq!(o.status.code(), Some(0));
    }
    assert!(
        files(&out) == reference,
        "--start/--end runs differ from one run"
    );

    // The DPX header's file-name field (offset 36, 100 bytes) carries the
    // final name, not the temporary one the frame was written under.
    let bytes = &reference["out.1001.dpx"];
    let field = &bytes[36..136];
    let name: Vec<u8> = field.iter().copied().take_while(|&b| b != 0).collect();
    assert_eq!(String::from_utf8_lossy(&name), "out.1001.dpx");
}

/// Starts a slow render with `--progress json`, waits for its first
/// finished frame, sends `signal` and returns (exit code, seconds from the
/// signal to the exit).
fn interrupt(src: &Path, out: &Path, signal: &str) -> (Option<i32>, f64) {
    let mut child = apply(src, out)
        .args(["--threads", "1", "--progress", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a first progress line").unwrap();
    assert!(first.contains("\"status\""), "{first}");
    let t = Instant::now();
    let ok = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let rest: Vec<String> = lines.map_while(|l| l.ok()).collect();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "no exit after {signal}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let secs = t.elapsed().as_secs_f64();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    eprintln!(
        "after {signal}: {} more frames reported, exit {:?} in {secs:.2} s\n{err}",
        rest.len(),
        status.code()
    );
    assert!(err.contains("(interrupted)"), "{err}");
    assert!(err.contains("not started"), "{err}");
    (status.code(), secs)
}

/// Outputs are whole frames only: no temporary file, every output decodes.
fn assert_no_partial_files(out: &Path) -> usize {
    let mut n = 0;
    for (name, _) in files(out) {
        assert!(!name.starts_with('.'), "temporary file left: {name}");
        io::read_frame(&out.join(&name)).unwrap();
        n += 1;
    }
    n
}

#[test]
fn signals_stop_cleanly_and_skip_existing_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let src = subdir(dir.path(), "src");
    // Large enough that a debug build takes a while over 40 frames.
    sequence(&src, 40, 640, 360);

    let term = subdir(dir.path(), "term");
    let (code, secs) = interrupt(&src, &term, "-TERM");
    assert_eq!(code, Some(143));
    assert!(secs < 10.0, "took {secs:.2} s to stop");
    let kept = assert_no_partial_files(&term);
    assert!(kept < 40, "SIGTERM did not stop the render ({kept} frames)");

    let int = subdir(dir.path(), "int");
    let (code, secs) = interrupt(&src, &int, "-INT");
    assert_eq!(code, Some(130));
    assert!(secs < 10.0, "took {secs:.2} s to stop");
    let kept = assert_no_partial_files(&int);
    assert!((1..40).contains(&kept), "{kept} frames after SIGINT");

    // Resume: only the missing frames are rendered, present ones untouched.
    let before: BTreeMap<String, std::time::SystemTime> = files(&int)
        .keys()
        .map(|n| {
            (
                n.clone(),
                std::fs::metadata(int.join(n)).unwrap().modified().unwrap(),
            )
        })
        .collect();
    std::thread::sleep(Duration::from_millis(20));
    let o = run(apply(&src, &int).args(["--skip-existing", "--progress", "json"]));
    assert_eq!(o.status.code(), Some(0));
    let mut skipped = 0;
    let mut written = 0;
    for line in stdout(&o).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let name = Path::new(v["output"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        match v["status"].as_str().unwrap() {
            "skipped" => {
                skipped += 1;
                assert!(before.contains_key(&name), "{name} skipped but was missing");
            }
            "written" => {
                written += 1;
                assert!(!before.contains_key(&name), "{name} rendered again");
            }
            s => panic!("status {s}"),
        }
    }
    assert_eq!((skipped, written), (before.len(), 40 - before.len()));
    for (name, t) in &before {
        let now = std::fs::metadata(int.join(name))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(&now, t, "{name} was rewritten");
    }
    let whole = subdir(dir.path(), "whole");
    assert_eq!(
        run(apply(&src, &whole).args(["--progress", "none"]))
            .status
            .code(),
        Some(0)
    );
    assert!(
        files(&int) == files(&whole),
        "resumed render differs from one run"
    );
}

#[test]
fn output_folder_problems_exit_3_naming_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let src = subdir(dir.path(), "src");
    sequence(&src, 3, 64, 36);

    let missing = dir.path().join("no-such-folder");
    let o = run(&mut apply(&src, &missing));
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("no-such-folder"), "{}", stderr(&o));
    assert!(!missing.exists());

    // A file where the folder should be: --create-dirs cannot make it.
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, b"x").unwrap();
    let o = run(apply(&src, &blocker).arg("--create-dirs"));
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("a-file"), "{}", stderr(&o));

    // With --create-dirs a missing folder is made.
    let made = dir.path().join("new/deeper");
    assert_eq!(
        run(apply(&src, &made).arg("--create-dirs")).status.code(),
        Some(0)
    );
    assert_eq!(files(&made).len(), 3);

    // A read-only folder: root writes through directory permissions, so
    // the check is only meaningful for an ordinary user.
    let ro = subdir(dir.path(), "read-only");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::File::create(ro.join("probe")).is_ok() {
        // Root writes through permissions; sysfs refuses new files even to
        // root, so it stands in as a folder nobody can write.
        let sys = std::path::Path::new("/sys/kernel");
        if sys.is_dir() && std::fs::File::create(sys.join("grade-probe")).is_err() {
            let o = run(&mut apply(&src, sys));
            assert_eq!(o.status.code(), Some(3));
            assert!(stderr(&o).contains("/sys/kernel"), "{}", stderr(&o));
            assert!(stderr(&o).contains("not writable"), "{}", stderr(&o));
        } else {
            eprintln!("skipped the read-only folder case: every folder here is writable");
        }
    } else {
        let o = run(&mut apply(&src, &ro));
        assert_eq!(o.status.code(), Some(3));
        assert!(stderr(&o).contains("read-only"), "{}", stderr(&o));
    }
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn no_clobber_and_write_errors_fail_frames_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let src = subdir(dir.path(), "src");
    sequence(&src, 5, 64, 36);
    let out = subdir(dir.path(), "out");
    assert_eq!(run(&mut apply(&src, &out)).status.code(), Some(0));
    let first = files(&out);
    let o = run(apply(&src, &out).arg("--no-clobber"));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--no-clobber"), "{}", stderr(&o));
    assert!(files(&out) == first);

    // A folder in the place of frame 1003: that frame cannot be written.
    let bad = subdir(dir.path(), "bad");
    std::fs::create_dir(bad.join("out.1003.dpx")).unwrap();
    let o = run(&mut apply(&src, &bad));
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("4 written, 0 skipped, 1 failed"), "{err}");
    assert!(err.contains("failed frames: 1003"), "{err}");
    assert!(err.contains("out.1003.dpx"), "{err}");
    let left = files(&bad);
    assert_eq!(left.len(), 4);
    for (name, bytes) in left {
        assert!(!name.starts_with('.'), "temporary file left: {name}");
        assert!(bytes == first[&name]);
    }
    assert!(std::fs::read_dir(bad.join("out.1003.dpx"))
        .unwrap()
        .next()
        .is_none());
}

#[test]
fn progress_formats_and_the_summary_line() {
    let dir = tempfile::tempdir().unwrap();
    let src = subdir(dir.path(), "src");
    sequence(&src, 4, 64, 36);

    let o = run(apply(&src, &subdir(dir.path(), "a")).args(["--progress", "openjd"]));
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let progress: Vec<f64> = out
        .lines()
        .filter_map(|l| l.strip_prefix("openjd_progress: "))
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(progress, [25.0, 50.0, 75.0, 100.0]);
    assert!(out.lines().next().unwrap().starts_with("openjd_status: "));
    assert!(out
        .lines()
        .last()
        .unwrap()
        .starts_with("openjd_status: done"));

    let o = run(apply(&src, &subdir(dir.path(), "b")).args(["--progress", "json"]));
    let mut frames = Vec::new();
    for (k, line) in stdout(&o).lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["status"], "written");
        assert_eq!(v["done"], k as u64 + 1);
        assert_eq!(v["total"], 4);
        assert!(v["error"].is_null());
        assert!(v["output"].as_str().unwrap().ends_with(".dpx"));
        assert!(v["shot"].as_str().unwrap().contains("in.%04d.dpx"));
        frames.push(v["frame"].as_i64().unwrap());
    }
    frames.sort();
    assert_eq!(frames, [1001, 1002, 1003, 1004]);

    // Off a terminal (stderr is a pipe here) no bar is drawn; the summary
    // line is printed, also with --quiet.
    for quiet in [false, true] {
        let mut c = apply(&src, &subdir(dir.path(), &format!("c{quiet}")));
        if quiet {
            c.arg("--quiet");
        }
        let o = run(&mut c);
        assert_eq!(o.status.code(), Some(0));
        assert!(o.stdout.is_empty());
        let err = stderr(&o);
        assert!(
            !err.contains('\r') && !err.contains('█') && !err.contains("ETA"),
            "{err}"
        );
        let summary: Vec<&str> = err.lines().filter(|l| l.contains(" frames: ")).collect();
        assert_eq!(summary.len(), 1, "{err}");
        assert!(summary[0].contains("4 frames: 4 written, 0 skipped, 0 failed"));
    }
}

#[test]
fn usage_errors_exit_2_and_help_documents_the_codes() {
    let dir = tempfile::tempdir().unwrap();
    let src = subdir(dir.path(), "src");
    sequence(&src, 2, 64, 36);
    let out = subdir(dir.path(), "out");
    for bad in [
        &["--chunk", "0/3"][..],
        &["--chunk", "4/3"],
        &["--frames", "999"],
        &["--no-such-flag"],
    ] {
        let o = run(apply(&src, &out).args(bad));
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
    }
    let o = run(grade().arg("--help"));
    assert_eq!(o.status.code(), Some(0));
    let help = stdout(&o);
    for code in ["130", "143"] {
        assert!(help.contains(code), "--help does not document exit {code}");
    }
}

#[test]
fn openjd_template_runs_in_chunks_like_one_process() {
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
    let src = subdir(dir.path(), "src");
    sequence(&src, 25, 64, 36);
    let whole = subdir(dir.path(), "whole");
    assert_eq!(run(&mut apply(&src, &whole)).status.code(), Some(0));

    // Paths relative to the folder the template is written in.
    let job = subdir(dir.path(), "job");
    subdir(&job, "out");
    let o = run(grade()
        .current_dir(&job)
        .args([
            "farm",
            "openjd",
            "--chunk-size",
            "10",
            "-o",
            "job.yaml",
            "--",
        ])
        .args([
            "apply",
            "--backend",
            "cpu",
            "-i",
            "../src/in.####.dpx",
            "--cdl",
        ])
        .arg(data("public/ocio/tests/data/files/cdl_test1.cc"))
        .arg("--lut")
        .arg(data(
            "public/colour/colour/io/luts/tests/resources/resolve_cube/Colour_Correct.cube",
        ))
        .args(["-o", "out/out.####.dpx"]));
    assert_eq!(o.status.code(), Some(0));
    let yaml = std::fs::read_to_string(job.join("job.yaml")).unwrap();
    assert!(yaml.contains("1001-1025"), "{yaml}");

    let check = run(Command::new(&openjd).arg("check").arg(job.join("job.yaml")));
    assert!(check.status.success(), "openjd check rejected the template");
    // Run from elsewhere: the task's script must cd to the job folder.
    let o = run(Command::new(&openjd)
        .current_dir(dir.path())
        .arg("run")
        .arg(job.join("job.yaml"))
        .args(["--step", "Render"]));
    assert!(o.status.success(), "openjd run failed");
    let log = format!("{}{}", stdout(&o), stderr(&o));
    // 25 frames in chunks of 10: three tasks.
    let tasks = log.matches("openjd_status: done").count();
    eprintln!("openjd ran {tasks} chunk(s)");
    assert_eq!(tasks, 3, "{log}");
    assert!(
        files(&job.join("out")) == files(&whole),
        "openjd render differs from one process"
    );
}

//! `grade farm slurm` through the binary: the script it writes, its usage
//! and environment errors, and, on a one-node Slurm cluster started by
//! `scripts/slurm-local`, a conform rendered as a 4-task array job and as a
//! job whose task is cancelled mid-render and submitted again, both
//! byte-identical to one process's render.
//!
//! Without Slurm (munged, slurmctld, slurmd, sbatch, squeue, scancel) the
//! cluster test says it skipped, except under CI=true, where that is a
//! failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use grade_engine::testutil::{in_ci, repo_root};

use crate::common::{files, grade, run, stderr, subdir};
use crate::conform::write_sources;

/// `grade conform` of the conform tests' cut (see conform.rs) into
/// `master/`, relative to the folder it runs in; `slow` upscales every
/// frame on one thread, so that a task takes seconds.
fn conform_args(root: &Path, slow: bool) -> Vec<String> {
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
        ]
        .map(String::from),
    );
    if slow {
        a.extend(["--format", "1920x1080", "--threads", "1"].map(String::from));
    }
    a
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn the_slurm_script_runs_grade_from_the_job_folder_in_chunks() {
    let dir = tempfile::tempdir().unwrap();
    write_sources(dir.path());
    let job = subdir(dir.path(), "job");
    let o = run(grade()
        .current_dir(&job)
        .args(["farm", "slurm", "--chunks", "4", "--partition", "render"])
        .args(["--cpus-per-task", "2", "-o", "job.sbatch", "--"])
        .args(conform_args(dir.path(), false)));
    assert_eq!(o.status.code(), Some(0));
    let text = std::fs::read_to_string(job.join("job.sbatch")).unwrap();
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_grade")).unwrap();
    let job = std::fs::canonicalize(&job).unwrap();
    for line in [
        "#SBATCH --array=1-4\n".to_string(),
        "#SBATCH --partition=render\n".into(),
        "#SBATCH --cpus-per-task=2\n".into(),
        format!("#SBATCH --output={}/job-%A_%a.log\n", job.display()),
        "set -euo pipefail\n".into(),
        format!("cd '{}'\n", job.display()),
        format!("exec '{}' 'conform'", exe.display()),
        "'s/_proxy\\.mov$//'".into(),
        " --chunk \"$SLURM_ARRAY_TASK_ID/4\" --skip-existing".into(),
    ] {
        assert!(text.contains(&line), "no {line:?} in\n{text}");
    }
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(job.join("job.sbatch"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o111, 0o111, "the script is not executable");
}

#[test]
fn slurm_usage_errors_exit_2_and_a_missing_sbatch_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    write_sources(dir.path());
    let conform = conform_args(dir.path(), false);
    let slurm = |extra: &[&str], command: &[String]| {
        let mut c = grade();
        c.current_dir(dir.path())
            .args(["farm", "slurm", "-o", "job.sbatch"])
            .args(extra)
            .arg("--")
            .args(command);
        run(&mut c)
    };
    let with = |more: &[&str]| {
        let mut v = conform.clone();
        v.extend(more.iter().map(|s| s.to_string()));
        v
    };
    for (extra, command, says) in [
        (&["--chunks", "0"][..], conform.clone(), "--chunks"),
        (&["--chunk-size", "8"], conform.clone(), "--frames"),
        (
            &["--chunks", "2", "--partition", "a b"],
            conform.clone(),
            "--partition",
        ),
        (&["--chunks", "2"], with(&["--chunk", "1/2"]), "--chunk"),
        (
            &["--chunks", "2"],
            vec!["probe".into(), "x.dpx".into()],
            "apply",
        ),
        (
            &["--chunks", "2"],
            with(&["--no-such-flag"]),
            "--no-such-flag",
        ),
        (&[], conform.clone(), "--chunks"),
    ] {
        let o = slurm(extra, &command);
        assert_eq!(o.status.code(), Some(2), "{extra:?} {command:?}");
        assert!(stderr(&o).contains(says), "{extra:?}: {}", stderr(&o));
        assert!(!dir.path().join("job.sbatch").exists(), "{extra:?}");
    }
    // --chunk-size with the conform's --frames: 48 frames in 10s, 5 tasks.
    let o = slurm(&["--chunk-size", "10"], &with(&["--frames", "86400-86447"]));
    assert_eq!(o.status.code(), Some(0));
    let text = std::fs::read_to_string(dir.path().join("job.sbatch")).unwrap();
    assert!(text.contains("#SBATCH --array=1-5\n"), "{text}");
    std::fs::remove_file(dir.path().join("job.sbatch")).unwrap();

    // With deliverables: a finalize job beside the array, and an OpenJD
    // Finalize step after the staged render step.
    let o = slurm(&["--chunks", "2"], &with(&["--qc=qc.json", "--mhl"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let fin = std::fs::read_to_string(dir.path().join("job.finalize.sbatch")).unwrap();
    assert!(
        fin.contains("'farm' 'finalize' 'master/CUT.%07d.dpx'"),
        "{fin}"
    );
    std::fs::remove_file(dir.path().join("job.sbatch")).unwrap();
    let o = run(grade()
        .current_dir(dir.path())
        .args([
            "farm",
            "openjd",
            "--frames",
            "86400-86447",
            "-o",
            "job.yaml",
            "--",
        ])
        .args(with(&["--review", "r.mov"])));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let yaml = std::fs::read_to_string(dir.path().join("job.yaml")).unwrap();
    assert!(yaml.contains("--progress openjd --stage"), "{yaml}");
    assert!(yaml.contains("- name: Finalize"), "{yaml}");

    // No sbatch on PATH: exit 3 naming it, nothing written.
    let o = run(grade()
        .current_dir(dir.path())
        .env("PATH", dir.path())
        .args([
            "farm",
            "slurm",
            "--chunks",
            "2",
            "--submit",
            "-o",
            "job.sbatch",
            "--",
        ])
        .args(&conform));
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("sbatch"), "{}", stderr(&o));
    assert!(!dir.path().join("job.sbatch").exists());
}

/// A one-node cluster from `scripts/slurm-local`, stopped when dropped
/// (also when a test fails).
struct Cluster {
    dir: tempfile::TempDir,
    conf: PathBuf,
}

impl Cluster {
    /// `None` (after saying why) when Slurm is not installed, outside CI.
    fn up() -> Option<Cluster> {
        let missing: Vec<&str> = [
            "munged",
            "slurmctld",
            "slurmd",
            "sbatch",
            "squeue",
            "scancel",
            "sinfo",
        ]
        .into_iter()
        .filter(|p| !on_path(p))
        .collect();
        if !missing.is_empty() {
            let msg = format!(
                "Slurm is not installed ({} missing; scripts/setup installs it)",
                missing.join(", ")
            );
            assert!(
                !in_ci(),
                "{msg}; under CI=true this is a failure, not a skip"
            );
            eprintln!("skipped: {msg}");
            return None;
        }
        let dir = tempfile::Builder::new()
            .prefix("slurm")
            .tempdir_in("/tmp")
            .unwrap();
        let t = Instant::now();
        let o = Command::new(repo_root().join("scripts/slurm-local"))
            .arg("up")
            .arg(dir.path())
            .output()
            .unwrap();
        let cluster = Cluster {
            conf: dir.path().join("slurm.conf"),
            dir,
        };
        assert!(
            o.status.success(),
            "scripts/slurm-local up failed:\n{}",
            stderr(&o)
        );
        eprintln!("slurm-local up in {:.1} s", t.elapsed().as_secs_f64());
        Some(cluster)
    }

    /// A Slurm client command talking to this cluster.
    fn tool(&self, name: &str) -> Command {
        let mut c = Command::new(name);
        c.env("SLURM_CONF", &self.conf);
        c
    }

    /// `squeue` lines `ID STATE` of `job`'s tasks, finished ones included.
    fn states(&self, job: &str) -> Vec<String> {
        let o = self
            .tool("squeue")
            .args(["-h", "-t", "all", "-r", "-j", job, "-o", "%i %T"])
            .output()
            .unwrap();
        stdout(&o).lines().map(String::from).collect()
    }

    /// Waits until no task of `job` is pending, running or completing.
    fn wait(&self, job: &str) {
        let t = Instant::now();
        loop {
            let active: Vec<String> = self
                .states(job)
                .into_iter()
                .filter(|l| {
                    !(l.ends_with("COMPLETED") || l.ends_with("CANCELLED") || l.ends_with("FAILED"))
                })
                .collect();
            if active.is_empty() {
                return;
            }
            assert!(
                t.elapsed() < Duration::from_secs(300),
                "job {job} still has {active:?} after 5 minutes"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let o = Command::new(repo_root().join("scripts/slurm-local"))
            .arg("down")
            .arg(self.dir.path())
            .output();
        if let Ok(o) = o {
            eprintln!("slurm-local down: {:?}{}", o.status.code(), stderr(&o));
        }
    }
}

fn on_path(name: &str) -> bool {
    let dirs = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&dirs)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/sbin")])
        .any(|d| d.join(name).is_file())
}

/// `grade farm slurm --chunks N` of the conform in `job`, submitted: the
/// array's job id.
fn submit(cluster: &Cluster, root: &Path, job: &Path, chunks: u32, slow: bool) -> String {
    let o = run(grade()
        .current_dir(job)
        .env("SLURM_CONF", &cluster.conf)
        .args(["farm", "slurm", "--chunks", &chunks.to_string()])
        .args(["--submit", "-o", "job.sbatch", "--"])
        .args(conform_args(root, slow)));
    assert_eq!(o.status.code(), Some(0));
    let id = stdout(&o).trim().to_string();
    assert!(id.parse::<u64>().is_ok(), "not a job id: {id:?}");
    id
}

fn log(job: &Path, id: &str, task: u32) -> String {
    std::fs::read_to_string(job.join(format!("job-{id}_{task}.log"))).unwrap_or_default()
}

#[test]
fn a_slurm_array_renders_a_conform_like_one_process_even_after_a_cancel() {
    let Some(cluster) = Cluster::up() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_sources(root);

    // One process: the reference, plain and slow.
    let mut reference = Vec::new();
    for slow in [false, true] {
        let one = subdir(root, &format!("one-{slow}"));
        let o = run(grade().current_dir(&one).args(conform_args(root, slow)));
        assert_eq!(o.status.code(), Some(0));
        let frames = files(&one.join("master"));
        assert_eq!(frames.len(), 48);
        reference.push(frames);
    }

    // Four array tasks.
    let job = subdir(root, "array");
    let t = Instant::now();
    let id = submit(&cluster, root, &job, 4, false);
    cluster.wait(&id);
    eprintln!(
        "4-task array job {id} in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let states = cluster.states(&id);
    assert_eq!(states.len(), 4, "{states:?}");
    assert!(
        states.iter().all(|s| s.ends_with("COMPLETED")),
        "{states:?}"
    );
    for task in 1..=4 {
        assert!(
            log(&job, &id, task).contains("openjd_status: done"),
            "task {task}: {}",
            log(&job, &id, task)
        );
    }
    assert!(
        files(&job.join("master")) == reference[0],
        "the array job's frames differ from one process's"
    );

    // Task 1 of 2 (24 upscaled frames on one thread: seconds) cancelled
    // once it has written a frame, then the same script submitted again.
    let job = subdir(root, "cancel");
    let id = submit(&cluster, root, &job, 2, true);
    let t = Instant::now();
    while !log(&job, &id, 1).contains("openjd_progress") {
        assert!(
            t.elapsed() < Duration::from_secs(120),
            "task 1 did not start rendering: {:?}",
            cluster.states(&id)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let o = cluster
        .tool("scancel")
        .arg(format!("{id}_1"))
        .output()
        .unwrap();
    assert!(o.status.success(), "scancel: {}", stderr(&o));
    cluster.wait(&id);
    let states = cluster.states(&id);
    eprintln!(
        "after scancel: {states:?}\ntask 1's log:\n{}",
        log(&job, &id, 1)
    );
    assert!(states.contains(&format!("{id}_1 CANCELLED")), "{states:?}");
    let partial = files(&job.join("master"));
    assert!(
        partial.len() < 48,
        "task 1 finished before it was cancelled: nothing to resume"
    );
    let o =
        run(cluster
            .tool("sbatch")
            .current_dir(&job)
            .args(["--parsable", "--wait", "job.sbatch"]));
    assert!(o.status.success(), "the resubmitted job failed");
    let again = stdout(&o).trim().to_string();
    for task in 1..=2 {
        let l = log(&job, &again, task);
        assert!(l.contains("openjd_status: done"), "task {task}: {l}");
    }
    let frames = files(&job.join("master"));
    for name in frames.keys() {
        assert!(!name.starts_with('.'), "temporary file left: {name}");
    }
    assert!(
        frames == reference[1],
        "the cancelled and resubmitted job's frames differ from one process's ({} frames, {} before the resubmission)",
        frames.len(),
        partial.len()
    );
}

#[test]
fn a_slurm_array_and_its_finalize_job_deliver_like_one_render() {
    let Some(cluster) = Cluster::up() else {
        return;
    };
    let Some(ffmpeg) = crate::farm_finalize::ffmpeg() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_sources(root);
    let one = crate::farm_finalize::one_render(root);

    let job = subdir(root, "array");
    let t = Instant::now();
    let o = run(grade()
        .current_dir(&job)
        .env("SLURM_CONF", &cluster.conf)
        .args([
            "farm",
            "slurm",
            "--chunks",
            "4",
            "--submit",
            "-o",
            "job.sbatch",
            "--",
        ])
        .args(crate::farm_finalize::deliverable_conform(root)));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ids: Vec<String> = stdout(&o).lines().map(String::from).collect();
    assert_eq!(
        ids.len(),
        2,
        "the array's and the finalize job's ids: {ids:?}"
    );
    for id in &ids {
        cluster.wait(id);
    }
    eprintln!(
        "4-task array job {} and finalize job {} in {:.1} s",
        ids[0],
        ids[1],
        t.elapsed().as_secs_f64()
    );
    let fin = cluster.states(&ids[1]);
    let finalize_log = std::fs::read_to_string(job.join(format!("job-finalize-{}.log", ids[1])))
        .unwrap_or_default();
    assert_eq!(
        fin,
        [format!("{} COMPLETED", ids[1])],
        "finalize log:\n{finalize_log}"
    );
    assert!(cluster
        .states(&ids[0])
        .iter()
        .all(|s| s.ends_with("COMPLETED")));
    crate::farm_finalize::assert_like_one_render(&ffmpeg, &one, &job);
}

#[test]
fn chunk_size_counts_an_apply_jobs_frames() {
    let dir = tempfile::tempdir().unwrap();
    crate::farm::sequence(dir.path(), 10, 8, 4);
    let slurm = |extra: &[&str], frames: &[&str]| {
        let o = run(grade()
            .current_dir(dir.path())
            .args(["farm", "slurm", "-o", "job.sbatch"])
            .args(extra)
            .args(["--", "apply", "-i", "in.####.dpx", "--exposure", "1"])
            .args(["-o", "out.####.exr"])
            .args(frames));
        let text = std::fs::read_to_string(dir.path().join("job.sbatch")).unwrap_or_default();
        let _ = std::fs::remove_file(dir.path().join("job.sbatch"));
        (o, text)
    };
    for (extra, frames, tasks) in [
        (&["--chunk-size", "4"][..], &[][..], 3),
        (&["--chunk-size", "10"], &[], 1),
        (&["--chunk-size", "2"], &["--frames", "1001-1004"], 2),
        (&["--chunks", "10"], &[], 10),
    ] {
        let (o, text) = slurm(extra, frames);
        assert_eq!(o.status.code(), Some(0), "{extra:?}");
        let want = format!("#SBATCH --array=1-{tasks}\n");
        assert!(text.contains(&want), "{extra:?} {frames:?}: {text}");
    }
    let (o, _) = slurm(&["--chunks", "11"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("only 10 frame(s)"), "{}", stderr(&o));
}

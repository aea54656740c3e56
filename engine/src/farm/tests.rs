//! The job files' text, and what bash makes of it: each script is run with
//! a stand-in for grade that records the arguments it was given.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;

/// Arguments that a careless script would split, glob or expand.
fn awkward() -> Vec<String> {
    [
        "conform",
        "my cut.edl",
        "--media",
        "it's here/*",
        "$HOME",
        "`id`",
        "a\nb",
        "-o",
        "master/R1.%07d.dpx",
    ]
    .map(String::from)
    .to_vec()
}

/// A stand-in for grade in `dir`: writes its arguments, one per line with
/// newlines shown as `\n`, to `args.txt`.
fn recorder(dir: &Path) -> PathBuf {
    let exe = dir.join("fake grade");
    std::fs::write(
        &exe,
        "#!/bin/bash\nfor a in \"$@\"; do printf '%s\\n' \"${a//$'\\n'/\\\\n}\"; done >> args.txt\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
    exe
}

fn job(dir: &Path, finalize: Option<Vec<String>>) -> Job {
    let work = dir.join("job folder");
    std::fs::create_dir_all(&work).unwrap();
    Job {
        exe: recorder(dir),
        workdir: work,
        command: awkward(),
        finalize,
    }
}

fn recorded(job: &Job) -> Vec<String> {
    let text = std::fs::read_to_string(job.workdir.join("args.txt")).unwrap();
    std::fs::remove_file(job.workdir.join("args.txt")).unwrap();
    text.lines().map(String::from).collect()
}

fn expected(args: &[String], more: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = args.iter().map(|a| a.replace('\n', "\\n")).collect();
    v.extend(more.iter().map(|s| s.to_string()));
    v
}

#[test]
fn quoting_gives_back_every_argument_as_it_was() {
    for s in awkward().iter().chain(&["".to_string(), "'''".to_string()]) {
        let o = Command::new("bash")
            .arg("-c")
            .arg(format!("printf '%s' {}", sh_quote(s)))
            .output()
            .unwrap();
        assert_eq!(String::from_utf8(o.stdout).unwrap(), *s);
    }
}

#[test]
fn deliverables_are_found_by_flag_name() {
    let cmd = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(deliverables(&cmd(&["apply", "-i", "a.exr", "-o", "review.mov"])).is_empty());
    assert!(deliverables(&cmd(&["apply", "--reviewer", "x", "--qcx"])).is_empty());
    assert_eq!(
        deliverables(&cmd(&[
            "conform",
            "--mhl",
            "--review=r.mov",
            "--qc",
            "q.json",
            "--mhl"
        ])),
        ["--mhl", "--review", "--qc"]
    );
}

#[test]
fn a_slurm_array_task_runs_its_chunk_from_the_job_folder() {
    let dir = tempfile::tempdir().unwrap();
    let job = job(dir.path(), None);
    let opts = slurm::Options {
        chunks: 4,
        partition: Some("render".into()),
        time: Some("2:00:00".into()),
        cpus_per_task: None,
        mem: Some("8G".into()),
    };
    let logs = dir.path().join("logs");
    let text = slurm::array_script(&job, &opts, &logs, "job").unwrap();
    assert!(text.starts_with("#!/bin/bash\n"), "{text}");
    for line in [
        "#SBATCH --array=1-4\n",
        &format!("#SBATCH --output={}/job-%A_%a.log\n", logs.display()),
        "#SBATCH --partition=render\n",
        "#SBATCH --time=2:00:00\n",
        "#SBATCH --mem=8G\n",
        "\nset -euo pipefail\n",
    ] {
        assert!(text.contains(line), "no {line:?} in\n{text}");
    }
    assert!(!text.contains("--cpus-per-task"), "{text}");
    // Every #SBATCH line comes before the first command, or sbatch ignores it.
    let first_command = text.find("\nset ").unwrap();
    assert!(text.rfind("#SBATCH").unwrap() < first_command, "{text}");
    assert!(slurm::finalize_script(&job, &opts, &logs, "job")
        .unwrap()
        .is_none());

    let script = dir.path().join("job.sbatch");
    write(&script, &text, true).unwrap();
    let o = Command::new(&script)
        .current_dir(dir.path())
        .env("SLURM_ARRAY_TASK_ID", "3")
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let want = expected(
        &job.command,
        &["--chunk", "3/4", "--skip-existing", "--progress", "openjd"],
    );
    assert_eq!(recorded(&job), want);
}

#[test]
fn cpus_per_task_sets_threads_unless_the_command_does() {
    let dir = tempfile::tempdir().unwrap();
    let mut job = job(dir.path(), None);
    let opts = slurm::Options {
        chunks: 2,
        cpus_per_task: Some(6),
        ..Default::default()
    };
    let text = slurm::array_script(&job, &opts, dir.path(), "j").unwrap();
    assert!(text.contains("#SBATCH --cpus-per-task=6\n"), "{text}");
    assert!(
        text.contains("--threads \"$SLURM_CPUS_PER_TASK\""),
        "{text}"
    );
    job.command
        .extend(["--threads".to_string(), "2".to_string()]);
    let text = slurm::array_script(&job, &opts, dir.path(), "j").unwrap();
    assert!(!text.contains("SLURM_CPUS_PER_TASK"), "{text}");
}

#[test]
fn what_an_sbatch_line_cannot_carry_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let job = job(dir.path(), None);
    let base = slurm::Options {
        chunks: 2,
        ..Default::default()
    };
    let cases = [
        slurm::Options {
            partition: Some("a b".into()),
            ..base.clone()
        },
        slurm::Options {
            time: Some("1:00\n#SBATCH --x".into()),
            ..base.clone()
        },
        slurm::Options {
            mem: Some("".into()),
            ..base.clone()
        },
        slurm::Options {
            chunks: 0,
            ..base.clone()
        },
        slurm::Options {
            cpus_per_task: Some(0),
            ..base.clone()
        },
    ];
    for opts in cases {
        let e = slurm::array_script(&job, &opts, dir.path(), "j").unwrap_err();
        assert_eq!(e.exit_code(), 2, "{opts:?}: {e}");
    }
    let e = slurm::array_script(&job, &base, &dir.path().join("my logs"), "j").unwrap_err();
    assert!(e.to_string().contains("my logs"), "{e}");
}

#[test]
fn a_slurm_finalize_job_runs_once_after_the_array() {
    let dir = tempfile::tempdir().unwrap();
    let fin: Vec<String> = ["farm", "finalize", "master/R1.%07d.dpx"]
        .map(String::from)
        .to_vec();
    let job = job(dir.path(), Some(fin.clone()));
    let opts = slurm::Options {
        chunks: 3,
        partition: Some("render".into()),
        ..Default::default()
    };
    let text = slurm::finalize_script(&job, &opts, dir.path(), "job")
        .unwrap()
        .unwrap();
    assert!(!text.contains("--array"), "{text}");
    assert!(text.contains("#SBATCH --partition=render\n"), "{text}");
    assert!(text.contains("afterok"), "{text}");
    assert!(text.contains("job-finalize-%j.log"), "{text}");
    let script = dir.path().join("job.finalize.sbatch");
    write(&script, &text, true).unwrap();
    let o = Command::new(&script).output().unwrap();
    assert!(o.status.success(), "{o:?}");
    assert_eq!(recorded(&job), fin);
}

/// `openjd` beside the reference Python, or `None` outside CI.
fn openjd() -> Option<PathBuf> {
    let py = crate::testutil::reference_python()?;
    let openjd = py.with_file_name("openjd");
    if openjd.exists() {
        return Some(openjd);
    }
    let msg = format!("openjd not found at {}", openjd.display());
    assert!(
        !crate::testutil::in_ci(),
        "{msg}; under CI=true this is a failure"
    );
    eprintln!("skipped: {msg}");
    None
}

#[test]
fn the_openjd_template_has_a_finalize_step_only_with_deliverables() {
    let dir = tempfile::tempdir().unwrap();
    let plain = job(dir.path(), None);
    let yaml = openjd::template(&plain, "1001-1005", 2);
    assert!(!yaml.contains("Finalize"), "{yaml}");
    assert!(yaml.contains("\"1001-1005\""), "{yaml}");

    let fin: Vec<String> = ["farm", "finalize", "out"].map(String::from).to_vec();
    let two = job(dir.path(), Some(fin.clone()));
    let yaml = openjd::template(&two, "1001-1005", 2);
    assert!(yaml.contains("- name: Finalize"), "{yaml}");
    let Some(openjd) = openjd() else {
        return;
    };
    let path = dir.path().join("job.yaml");
    write(&path, &yaml, false).unwrap();
    let o = Command::new(&openjd)
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    assert!(o.status.success(), "openjd check: {o:?}\n{yaml}");
    // Finalize with its dependencies: the three render chunks, then it.
    let o = Command::new(&openjd)
        .arg("run")
        .arg(&path)
        .args(["--step", "Finalize", "--run-dependencies"])
        .output()
        .unwrap();
    assert!(o.status.success(), "openjd run: {o:?}");
    let mut want = Vec::new();
    for chunk in ["1001-1002", "1003-1004", "1005-1005"] {
        want.extend(expected(
            &two.command,
            &[
                "--frames",
                chunk,
                "--skip-existing",
                "--progress",
                "openjd",
                "--stage",
            ],
        ));
    }
    want.extend(fin);
    assert_eq!(recorded(&two), want);
}

#[test]
fn staging_folders_sit_beside_the_output_and_name_their_chunks() {
    use super::stage::{absolute, folder_of, Slice};
    let cwd = std::env::current_dir().unwrap();
    assert_eq!(
        folder_of(Path::new("master")),
        cwd.join(".grade-staging-master")
    );
    assert_eq!(
        folder_of(Path::new("/d/./show/master/")),
        Path::new("/d/show/.grade-staging-master")
    );
    assert_eq!(absolute(Path::new("/a/b/../c")), Path::new("/a/c"));
    for s in [
        Slice::Chunk { k: 3, n: 4 },
        Slice::Chunk { k: 12, n: 12000 },
        Slice::Frames {
            first: 1001,
            last: 1012,
        },
        Slice::Frames {
            first: -12,
            last: -1,
        },
        Slice::Frames { first: -3, last: 4 },
    ] {
        assert_eq!(
            Slice::parse(&s.folder_name()),
            Some(s),
            "{}",
            s.folder_name()
        );
    }
    assert_eq!(
        Slice::Chunk { k: 3, n: 4 }.folder_name(),
        "chunk-0003-of-0004"
    );
    for bad in [
        "chunk-3",
        "chunk-a-of-4",
        "frames-",
        "frames-12",
        "part.json",
    ] {
        assert_eq!(Slice::parse(bad), None, "{bad}");
    }
}

#[test]
fn finalize_lists_the_chunks_not_complete_and_changes_nothing() {
    use super::finalize::{find, Found};
    use super::stage::{Part, Slice};
    let dir = tempfile::tempdir().unwrap();
    let staging = dir.path().join(".grade-staging-out");
    for k in [1, 3] {
        let slice = Slice::Chunk { k, n: 4 };
        let d = staging.join(slice.folder_name());
        std::fs::create_dir_all(&d).unwrap();
        let part = Part {
            slice,
            frames: vec![i64::from(k)],
            reviews: Vec::new(),
            qc: None,
            hashes: None,
        };
        part.write(&d).unwrap();
        assert_eq!(Part::read(&d).unwrap(), Some(part));
    }
    // Chunk 2 started and was killed: a folder without its part.
    std::fs::create_dir_all(staging.join("chunk-0002-of-0004")).unwrap();
    match find(&staging, None).unwrap() {
        Found::Missing(m) => assert_eq!(m, ["chunk 2/4", "chunk 4/4"]),
        Found::Complete(_) => panic!("chunks 2 and 4 are missing"),
    }
    // A broken part is an error naming it.
    std::fs::write(staging.join("chunk-0003-of-0004/part.json"), "{").unwrap();
    let e = find(&staging, None).unwrap_err().to_string();
    assert!(e.contains("chunk-0003-of-0004"), "{e}");
}

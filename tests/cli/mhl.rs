//! `grade mhl create/verify` against the ASC's reference tool `ascmhl`
//! (PyPI, in `.venv`): each accepts what the other wrote, they agree on
//! altered, deleted and added files, and manifests validate against the
//! ASC MHL XSD (tests/data/mhl, with lxml from the ascmhl install).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{data, grade, run};

/// `.venv/bin/<name>` of the reference environment; `None` (skip) outside
/// CI when it is missing, a failure under CI=true.
pub(crate) fn tool(name: &str) -> Option<PathBuf> {
    let py = grade_engine::testutil::reference_python()?;
    let path = py.with_file_name(name);
    if !path.exists() {
        let msg = format!("{name} not found at {} (run scripts/setup)", path.display());
        assert!(
            !grade_engine::testutil::in_ci(),
            "{msg}; under CI=true this is a failure"
        );
        eprintln!("skipped: {msg}");
        return None;
    }
    Some(path)
}

/// `ascmhl-debug verify [-dh] FOLDER`'s exit code.
pub(crate) fn ascmhl_verify(debug: &Path, folder: &Path, directory_hashes: bool) -> i32 {
    let mut c = Command::new(debug);
    c.arg("verify");
    if directory_hashes {
        c.arg("-dh");
    }
    let out = c.arg(folder).output().expect("run ascmhl-debug");
    eprintln!(
        "ascmhl-debug verify exited {:?}\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out.status.code().unwrap_or(-1)
}

fn verify(folder: &Path) -> (i32, String) {
    let out = run(grade().args(["mhl", "verify"]).arg(folder));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn create(folder: &Path, hash: &str) -> i32 {
    let out = run(grade().args(["mhl", "create", "--hash", hash]).arg(folder));
    out.status.code().unwrap_or(-1)
}

/// Validates `file` against `tests/data/mhl/<xsd>` with lxml.
fn assert_valid(py: &Path, xsd: &str, file: &Path) {
    let script = "import sys\nfrom lxml import etree\n\
        s = etree.XMLSchema(etree.parse(sys.argv[1]))\n\
        ok = s.validate(etree.parse(sys.argv[2]))\n\
        print(s.error_log)\nsys.exit(0 if ok else 1)";
    let out = Command::new(py)
        .args(["-c", script])
        .arg(data(&format!("mhl/{xsd}")))
        .arg(file)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{} does not validate against {xsd}: {}{}",
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn manifests(folder: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(folder.join("ascmhl"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "mhl"))
        .collect();
    v.sort();
    v
}

/// A small delivery: frames at the top, a review folder, a grade temporary.
fn delivery(dir: &Path) {
    std::fs::create_dir_all(dir.join("review")).unwrap();
    for n in 1..=3u8 {
        std::fs::write(dir.join(format!("R1.{n:04}.dpx")), vec![n; 64 + n as usize]).unwrap();
    }
    std::fs::write(dir.join("review/R1.json"), b"{\"frames\": 3}\n").unwrap();
    std::fs::write(dir.join(".R1.0004.dpx.tmp-77-0"), b"half").unwrap();
}

#[test]
fn ascmhl_accepts_grade_manifests_in_every_format_and_both_agree_on_damage() {
    let (Some(py), Some(debug)) = (
        grade_engine::testutil::reference_python(),
        tool("ascmhl-debug"),
    ) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    for hash in ["xxh128", "md5", "sha1", "xxh64", "xxh3", "c4"] {
        let dir = tmp.path().join(format!("D_{hash}"));
        delivery(&dir);
        assert_eq!(create(&dir, hash), 0, "{hash}");
        assert_eq!(ascmhl_verify(&debug, &dir, false), 0, "{hash}");
        // Root and folder hashes as ascmhl computes them.
        assert_eq!(
            ascmhl_verify(&debug, &dir, true),
            0,
            "{hash} directory hashes"
        );
        assert_eq!(verify(&dir).0, 0, "{hash}");
        let m = manifests(&dir);
        assert_eq!(m.len(), 1);
        assert_valid(&py, "ASCMHL.xsd", &m[0]);
        assert_valid(
            &py,
            "ASCMHLDirectory__combined.xsd",
            &dir.join("ascmhl/ascmhl_chain.xml"),
        );
        let xml = std::fs::read_to_string(&m[0]).unwrap();
        assert!(!xml.contains(".tmp-77"), "{xml}");
    }

    let dir = tmp.path().join("D_xxh128");
    let frame = dir.join("R1.0002.dpx");
    let good = std::fs::read(&frame).unwrap();
    // Altered: ascmhl 11.
    std::fs::write(&frame, vec![9u8; good.len()]).unwrap();
    assert_eq!(ascmhl_verify(&debug, &dir, false), 11);
    let (code, err) = verify(&dir);
    assert_eq!(code, 1);
    assert!(err.contains("mismatched: R1.0002.dpx"), "{err}");
    // Deleted: ascmhl 10.
    std::fs::remove_file(&frame).unwrap();
    assert_eq!(ascmhl_verify(&debug, &dir, false), 10);
    let (code, err) = verify(&dir);
    assert_eq!(code, 1);
    assert!(err.contains("missing: R1.0002.dpx"), "{err}");
    // Added: ascmhl 21.
    std::fs::write(&frame, &good).unwrap();
    std::fs::write(dir.join("R1.0005.dpx"), b"extra").unwrap();
    assert_eq!(ascmhl_verify(&debug, &dir, false), 21);
    let (code, err) = verify(&dir);
    assert_eq!(code, 1);
    assert!(err.contains("new: R1.0005.dpx"), "{err}");
}

#[test]
fn a_second_create_adds_generation_0002_that_ascmhl_accepts() {
    let (Some(py), Some(debug)) = (
        grade_engine::testutil::reference_python(),
        tool("ascmhl-debug"),
    ) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("R1");
    delivery(&dir);
    assert_eq!(create(&dir, "md5"), 0);
    std::fs::write(dir.join("review/R1.mov"), b"movie").unwrap();
    assert_eq!(create(&dir, "xxh128"), 0);
    let m = manifests(&dir);
    assert_eq!(m.len(), 2);
    let name = m[1].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("0002_R1_"), "{name}");
    let xml = std::fs::read_to_string(&m[1]).unwrap();
    assert!(xml.contains("<md5 action=\"verified\""), "{xml}");
    assert!(xml.contains("action=\"original\""), "{xml}");
    assert_valid(&py, "ASCMHL.xsd", &m[1]);
    assert_valid(
        &py,
        "ASCMHLDirectory__combined.xsd",
        &dir.join("ascmhl/ascmhl_chain.xml"),
    );
    assert_eq!(ascmhl_verify(&debug, &dir, false), 0);
    assert_eq!(verify(&dir).0, 0);

    // A mismatch: the generation is written, the command fails naming it.
    std::fs::write(dir.join("R1.0001.dpx"), b"changed").unwrap();
    let out = run(grade().args(["mhl", "create"]).arg(&dir));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("mismatched: R1.0001.dpx"));
}

#[test]
fn grade_verifies_a_folder_sealed_by_ascmhl() {
    let Some(ascmhl) = tool("ascmhl") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    for hash in ["xxh128", "c4"] {
        let dir = tmp.path().join(hash);
        delivery(&dir);
        std::fs::remove_file(dir.join(".R1.0004.dpx.tmp-77-0")).unwrap();
        let out = Command::new(&ascmhl)
            .args(["create", "-h", hash])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        assert_eq!(verify(&dir).0, 0, "{hash}");
        std::fs::write(dir.join("review/R1.json"), b"{}").unwrap();
        let (code, err) = verify(&dir);
        assert_eq!(code, 1);
        assert!(err.contains("mismatched: review/R1.json"), "{err}");
    }
}

#[test]
fn mhl_verify_refuses_a_missing_folder_and_a_broken_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, err) = verify(&tmp.path().join("nowhere"));
    assert_eq!(code, 2);
    assert!(err.contains("nowhere"), "{err}");

    let dir = tmp.path().join("R1");
    delivery(&dir);
    assert_eq!(create(&dir, "xxh64"), 0);
    let m = manifests(&dir).remove(0);
    let xml = std::fs::read_to_string(&m).unwrap();
    std::fs::write(&m, xml.replace("<hashes>", "<hashes><hash>")).unwrap();
    let (code, err) = verify(&dir);
    assert_eq!(code, 2);
    assert!(
        err.contains(&*m.file_name().unwrap().to_string_lossy()),
        "{err}"
    );
}

/// `grade apply` of `frames` of a 4-frame EXR sequence into `out` (10-bit
/// DPX), with `extra` flags.
fn render_into(src: &Path, out: &Path, frames: &str, extra: &[&str]) -> std::process::Output {
    run(grade()
        .arg("apply")
        .arg("-i")
        .arg(src.join("p.####.exr"))
        .args(["--exposure", "0.25", "--backend", "cpu", "--depth", "10"])
        .args(["--frames", frames, "--create-dirs"])
        .arg("-o")
        .arg(out.join("P.####.dpx"))
        .args(extra))
}

fn plates(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for n in 1..=4 {
        grade_engine::io::write_frame(
            &dir.join(format!("p.{n:04}.exr")),
            &grade_engine::testcard::test_card(32, 8, n, [1.0, 0.9, 0.8]),
            &grade_engine::io::WriteOptions::default(),
        )
        .unwrap();
    }
}

#[test]
fn renders_with_mhl_seal_their_folder_and_ascmhl_agrees() {
    let (Some(py), Some(debug)) = (
        grade_engine::testutil::reference_python(),
        tool("ascmhl-debug"),
    ) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    plates(&src);
    let out = tmp.path().join("R1");
    // Frames 1-2 with a QC report in the folder (written when QC finishes,
    // before the manifest, and hashed by reading it).
    let qc = out.join("qc.json");
    let o = render_into(
        &src,
        &out,
        "1-2",
        // The test card clips: QC reports it without failing the job.
        &["--mhl", "--qc", qc.to_str().unwrap(), "--qc-fail", "none"],
    );
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("generation 0001: 3 files (0 verified, 3 new; 2 hashed as written)"),
        "{err}"
    );
    let m = manifests(&out);
    assert_eq!(m.len(), 1);
    assert!(m[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("0001_R1_"));
    assert_valid(&py, "ASCMHL.xsd", &m[0]);
    assert_valid(
        &py,
        "ASCMHLDirectory__combined.xsd",
        &out.join("ascmhl/ascmhl_chain.xml"),
    );
    let xml = std::fs::read_to_string(&m[0]).unwrap();
    assert!(xml.contains(">qc.json</path>"), "{xml}");
    assert_eq!(ascmhl_verify(&debug, &out, false), 0);
    assert_eq!(ascmhl_verify(&debug, &out, true), 0);
    assert_eq!(verify(&out).0, 0);

    // A second render into the folder: frames 2-3 in md5. Frame 2 is
    // rendered again with the same bytes (verified), 3 is new; frame 1 and
    // the report are hashed by reading them.
    let o = render_into(&src, &out, "2-3", &["--mhl", "--mhl-hash", "md5"]);
    assert_eq!(o.status.code(), Some(0));
    let m = manifests(&out);
    assert_eq!(m.len(), 2);
    assert!(m[1]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("0002_R1_"));
    assert_valid(&py, "ASCMHL.xsd", &m[1]);
    let xml = std::fs::read_to_string(&m[1]).unwrap();
    assert!(xml.contains("<xxh128 action=\"verified\""), "{xml}");
    assert!(xml.contains("<md5 action=\"original\""), "{xml}");
    assert_eq!(ascmhl_verify(&debug, &out, false), 0);
    assert_eq!(verify(&out).0, 0);

    // Damage: altered 11, deleted 10, added 21, and grade agrees each time.
    let frame = out.join("P.0002.dpx");
    let good = std::fs::read(&frame).unwrap();
    let mut bad = good.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    std::fs::write(&frame, &bad).unwrap();
    assert_eq!(ascmhl_verify(&debug, &out, false), 11);
    let (code, err) = verify(&out);
    assert_eq!(code, 1);
    assert!(err.contains("mismatched: P.0002.dpx"), "{err}");
    std::fs::remove_file(&frame).unwrap();
    assert_eq!(ascmhl_verify(&debug, &out, false), 10);
    let (code, err) = verify(&out);
    assert_eq!(code, 1);
    assert!(err.contains("missing: P.0002.dpx"), "{err}");
    std::fs::write(&frame, &good).unwrap();
    std::fs::copy(&frame, out.join("P.0009.dpx")).unwrap();
    assert_eq!(ascmhl_verify(&debug, &out, false), 21);
    let (code, err) = verify(&out);
    assert_eq!(code, 1);
    assert!(err.contains("new: P.0009.dpx"), "{err}");
}

#[test]
fn masters_are_the_same_bytes_with_and_without_qc_and_mhl() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    plates(&src);
    let (plain, sealed) = (tmp.path().join("plain"), tmp.path().join("sealed"));
    assert_eq!(render_into(&src, &plain, "1-4", &[]).status.code(), Some(0));
    let qc = tmp.path().join("qc.json");
    let o = render_into(
        &src,
        &sealed,
        "1-4",
        // The test card clips: QC reports it without failing the job.
        &["--mhl", "--qc", qc.to_str().unwrap(), "--qc-fail", "none"],
    );
    assert_eq!(o.status.code(), Some(0));
    let (a, mut b) = (crate::common::files(&plain), crate::common::files(&sealed));
    assert_eq!(a.len(), 4);
    b.retain(|name, _| a.contains_key(name));
    assert_eq!(a, b, "the masters differ");
    // The manifest's hashes are those of the bytes on disk.
    assert_eq!(verify(&sealed).0, 0);
}

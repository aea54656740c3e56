//! Helpers shared by the tests: where fixtures live, and how to ask the
//! reference tools (OpenImageIO, OpenTimelineIO in the project's `.venv`).
//!
//! Reference tools are found through `GRADE_PYTHON` (set by `scripts/test`),
//! else `.venv/bin/python` at the repository root. When none is there a test
//! that needs one is skipped with a message, except under `CI=true`, where a
//! missing reference is a failure: CI must never pass by skipping.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (the folder holding `engine/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("engine/ has a parent")
        .to_path_buf()
}

/// [`fixtures_with_ext`] without the files under an `illegal/` folder
/// (inputs that must be refused).
pub fn legal_fixtures_with_ext(dir: &str, exts: &[&str]) -> Vec<PathBuf> {
    fixtures_with_ext(dir, exts)
        .into_iter()
        .filter(|p| !p.components().any(|c| c.as_os_str() == "illegal"))
        .collect()
}

/// A path under `tests/data/`.
pub fn fixture(rel: &str) -> PathBuf {
    repo_root().join("tests/data").join(rel)
}

/// Every file under `tests/data/<dir>` whose extension is one of `exts`
/// (lower-case, no dot), sorted.
pub fn fixtures_with_ext(dir: &str, exts: &[&str]) -> Vec<PathBuf> {
    fn walk(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, exts, out);
            } else if let Some(ext) = p.extension().and_then(|e| e.to_str()) {
                if exts.contains(&ext.to_ascii_lowercase().as_str()) {
                    out.push(p);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&fixture(dir), exts, &mut out);
    out.sort();
    out
}

pub fn in_ci() -> bool {
    std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
}

/// The Python interpreter of the reference environment, or `None` (after
/// printing why) when it is absent outside CI. Panics under CI=true.
pub fn reference_python() -> Option<PathBuf> {
    let candidate = std::env::var_os("GRADE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".venv/bin/python"));
    if candidate.exists() {
        return Some(candidate);
    }
    let msg = format!(
        "reference Python not found at {} (run scripts/setup)",
        candidate.display()
    );
    if in_ci() {
        panic!("{msg}; under CI=true this is a failure, not a skip");
    }
    eprintln!("skipped: {msg}");
    None
}

/// An image as OpenImageIO reads it: display window, all channels.
#[derive(Debug, Clone)]
pub struct OiioImage {
    pub header: serde_json::Value,
    pub width: usize,
    pub height: usize,
    pub channels: usize,
    pub pixels: Vec<f32>,
}

/// Reads `path` with OpenImageIO through `scripts/reference/oiio_dump.py`.
/// `None` when the reference environment is absent (outside CI).
pub fn oiio_read(path: &Path) -> Option<OiioImage> {
    let py = reference_python()?;
    let script = repo_root().join("scripts/reference/oiio_dump.py");
    let out = Command::new(py)
        .arg(script)
        .arg(path)
        .output()
        .expect("run oiio_dump.py");
    assert!(
        out.status.success(),
        "OpenImageIO could not read {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let nl = out
        .stdout
        .iter()
        .position(|&b| b == b'\n')
        .expect("header line");
    let header: serde_json::Value = serde_json::from_slice(&out.stdout[..nl]).expect("json header");
    let pixels: Vec<f32> = out.stdout[nl + 1..]
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let width = header["width"].as_u64().unwrap() as usize;
    let height = header["height"].as_u64().unwrap() as usize;
    let channels = header["nchannels"].as_u64().unwrap() as usize;
    assert_eq!(pixels.len(), width * height * channels);
    Some(OiioImage {
        header,
        width,
        height,
        channels,
        pixels,
    })
}

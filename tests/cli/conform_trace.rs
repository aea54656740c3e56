//! `grade conform --trace` and `--export-otio` on the conform test's EDL:
//! the trace says for every record frame what the EDL says it shows, and
//! OpenTimelineIO's own API, reading the exported timeline, finds the same
//! source file for every frame.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use grade_engine::testutil::{reference_python, repo_root};

use crate::conform::{conform, want, write_sources, Want};

/// 01:00:00:00 at 24 fps.
const START: i64 = 86400;

fn trace_and_export(root: &Path) -> (serde_json::Value, PathBuf) {
    let trace = root.join("trace.json");
    let otio = root.join("cut.otio");
    let out = conform(
        root,
        &[
            "--allow-missing",
            "--dry-run",
            "--trace",
            trace.to_str().unwrap(),
            "--export-otio",
            otio.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        crate::common::stderr(&out)
    );
    let trace: serde_json::Value = serde_json::from_slice(&std::fs::read(&trace).unwrap()).unwrap();
    (trace, otio)
}

fn file_frame(layer: &serde_json::Value) -> Option<(String, i64)> {
    Some((
        layer["clip"].as_str()?.to_string(),
        layer["file_frame"].as_i64()?,
    ))
}

#[test]
fn the_trace_lists_every_record_frame_as_the_edl_says() {
    let dir = tempfile::tempdir().unwrap();
    write_sources(dir.path());
    let (trace, _) = trace_and_export(dir.path());
    let frames = trace.as_array().unwrap();
    assert_eq!(frames.len(), 48);
    for (k, f) in frames.iter().enumerate() {
        let k = k as i64;
        assert_eq!(f["record_frame"].as_i64(), Some(START + k));
        let layers = f["layers"].as_array().unwrap();
        let clip = |c: char| format!("REEL_{c}01");
        match want(k) {
            Want::Src(c, n, graded) => {
                assert_eq!(layers.len(), 1, "frame {k}: {f}");
                assert_eq!(file_frame(&layers[0]), Some((clip(c), n)), "frame {k}");
                // Event 001 carries its grade as program 1.
                assert_eq!(
                    layers[0]["program"].as_u64() == Some(1),
                    graded,
                    "frame {k}"
                );
            }
            Want::Mix(b, a, w) => {
                assert_eq!(file_frame(&layers[0]), Some((clip('B'), b)), "frame {k}");
                assert_eq!(file_frame(&layers[1]), Some((clip('A'), a)), "frame {k}");
                let got = layers[1]["weight"].as_f64().unwrap();
                assert!((got - f64::from(w)).abs() < 1e-6, "frame {k}: {got} vs {w}");
            }
            Want::Black => {
                let kind = layers[0]["kind"].as_str().unwrap();
                assert!(
                    kind == "black" || kind == "unavailable",
                    "frame {k}: {kind}"
                );
            }
        }
    }
}

#[test]
fn opentimelineio_reads_the_exported_cut_as_the_trace_says() {
    let Some(python) = reference_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    write_sources(dir.path());
    let (trace, otio) = trace_and_export(dir.path());
    let out = std::process::Command::new(python)
        .arg(repo_root().join("scripts/reference/otio_frames.py"))
        .arg(&otio)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: BTreeMap<String, Vec<(Option<String>, f64)>> =
        serde_json::from_slice(&out.stdout).unwrap();
    let mut compared = 0;
    for f in trace.as_array().unwrap() {
        let frame = f["record_frame"].as_i64().unwrap();
        let ours: Vec<(Option<String>, f64)> = f["layers"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["kind"] == "source")
            .map(|l| {
                (
                    l["file"].as_str().map(str::to_string),
                    l["weight"].as_f64().unwrap(),
                )
            })
            .collect();
        let Some(t) = theirs.get(&frame.to_string()) else {
            assert!(
                ours.is_empty(),
                "frame {frame}: OTIO shows nothing, grade {ours:?}"
            );
            continue;
        };
        let t: Vec<_> = t.iter().filter(|(file, _)| file.is_some()).collect();
        assert_eq!(ours.len(), t.len(), "frame {frame}: {ours:?} vs {t:?}");
        for ((a, wa), (b, wb)) in ours.iter().zip(t) {
            assert_eq!(a, b, "frame {frame}");
            assert!((wa - wb).abs() < 1e-6, "frame {frame}: weight {wa} vs {wb}");
        }
        compared += 1;
    }
    assert!(compared >= 36, "{compared} frames compared");
}

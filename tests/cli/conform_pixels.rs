//! OpenTimelineIO parity in pixels: the parity cut of
//! `scripts/reference/otio_parity.py` (three video tracks, dissolves,
//! LinearTimeWarp 2.0, 0.5, -1 and -2, a FreezeFrame, nested stacks with
//! their own source ranges, gaps, a disabled clip, an ImageSequenceReference
//! with frame_step 2 and missing_frame_policy hold) rendered by
//! `grade conform` over generated cards that carry their clip and frame in
//! their pixels, every master frame read back and decoded against what
//! OpenTimelineIO's own API says the frame shows, and `--trace` read
//! against the same.

use std::collections::BTreeMap;
use std::path::Path;

use grade_engine::io::{self, BitDepth, WriteOptions};
use grade_engine::testutil::{reference_python, repo_root};
use grade_engine::Frame;

use crate::common::{grade, run, stderr};

const W: u32 = 64;
const H: u32 = 32;
/// 16-bit code values of the cards: R = the file's frame number, G =
/// CLIP_STEP * the clip's id, B = full scale (so B says how much of a
/// frame is picture rather than black).
const CODES: f32 = 65535.0;
const CLIP_STEP: f32 = 2000.0;
/// Clip names of the parity cut; a card's id is its place here plus one.
const CLIPS: &str = "ABCDEFGHJKLM";
/// The image sequence frame deleted from disk, so that
/// missing_frame_policy hold shows the frame before it.
const DELETED: i64 = 1021;

fn clip_id(name: &str) -> f32 {
    CLIPS.find(name).map_or(0.0, |i| i as f32 + 1.0)
}

/// One layer OpenTimelineIO's API says a record frame shows.
#[derive(Debug, Clone)]
struct Shown {
    /// `None` for black (a gap side of a dissolve).
    clip: Option<String>,
    /// The frame number in the file's name: the source frame, or for the
    /// image sequence reference the file OpenTimelineIO names.
    file_frame: i64,
    weight: f64,
}

fn shown(row: &serde_json::Value) -> Vec<Shown> {
    row["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| Shown {
            clip: l["clip"].as_str().map(str::to_string),
            file_frame: l["file"].as_i64().or_else(|| l["source"].as_i64()).unwrap(),
            weight: l["weight"].as_f64().unwrap(),
        })
        .collect()
}

fn card(clip: &str, frame: i64) -> Frame {
    let mut f = Frame::new(W, H);
    let rgb = [frame as f32 / CODES, CLIP_STEP * clip_id(clip) / CODES, 1.0];
    for px in f.pixels.chunks_exact_mut(4) {
        px[..3].copy_from_slice(&rgb);
    }
    f
}

/// Frames of card beyond those a clip shows, each side: the planner asks
/// for a clip's whole trimmed range, parts of which other tracks cover.
const MARGIN: i64 = 20;

/// Cards for every frame a clip shows, one contiguous sequence per clip
/// (the image sequence's every frame_step-th frame), MARGIN each side.
fn write_cards(media: &Path, frames: &[serde_json::Value]) {
    let mut ranges: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for row in frames {
        for s in shown(row) {
            if let Some(c) = s.clip {
                let r = ranges.entry(c).or_insert((s.file_frame, s.file_frame));
                r.0 = r.0.min(s.file_frame);
                r.1 = r.1.max(s.file_frame);
            }
        }
    }
    let opts = WriteOptions {
        depth: Some(BitDepth::U16),
        ..Default::default()
    };
    for (clip, (lo, hi)) in ranges {
        let (folder, step) = if clip == "A" {
            ("A001".to_string(), 2)
        } else {
            (clip.clone(), 1)
        };
        let dir = media.join(&folder);
        std::fs::create_dir_all(&dir).unwrap();
        for n in (lo - MARGIN * step..=hi + MARGIN * step).step_by(step as usize) {
            if clip == "A" && n == DELETED {
                continue;
            }
            let path = dir.join(format!("{folder}.{n:07}.tif"));
            io::write_frame(&path, &card(&clip, n), &opts).unwrap();
        }
    }
}

/// What OpenTimelineIO shows, with the image sequence's hold policy
/// applied to the deleted file: the frame before it (frame_step 2).
fn on_disk(mut layers: Vec<Shown>) -> Vec<Shown> {
    for l in &mut layers {
        if l.clip.as_deref() == Some("A") && l.file_frame == DELETED {
            l.file_frame = DELETED - 2;
        }
    }
    layers
}

#[test]
fn every_master_frame_shows_what_opentimelineio_says() {
    let Some(python) = reference_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let media = root.join("media");
    let cut = root.join("parity.otio");
    let reference = std::process::Command::new(python)
        .arg(repo_root().join("scripts/reference/otio_parity.py"))
        .arg("--plates")
        .arg(&media)
        .arg(&cut)
        .output()
        .unwrap();
    assert!(
        reference.status.success(),
        "{}",
        String::from_utf8_lossy(&reference.stderr)
    );
    let want: serde_json::Value = serde_json::from_slice(&reference.stdout).unwrap();
    let start = want["global_start"].as_i64().unwrap();
    let duration = want["duration"].as_i64().unwrap();
    let frames: Vec<serde_json::Value> = want["frames"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["frame"].as_i64().unwrap() < start + duration)
        .cloned()
        .collect();
    write_cards(&media, &frames);
    let trace = root.join("trace.json");
    let out = run(grade()
        .arg("conform")
        .arg(&cut)
        .arg("--media")
        .arg(&media)
        .args(["--backend", "cpu", "--create-dirs", "--trace"])
        .arg(&trace)
        .arg("-o")
        .arg(root.join("master/%07d.tif")));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let trace: serde_json::Value = serde_json::from_slice(&std::fs::read(&trace).unwrap()).unwrap();
    let traced: BTreeMap<i64, &serde_json::Value> = trace
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["record_frame"].as_i64().unwrap(), f))
        .collect();
    assert_eq!(traced.len() as i64, duration);

    let mut failures = Vec::new();
    let (mut mixed, mut held) = (0, 0);
    for row in &frames {
        let frame = row["frame"].as_i64().unwrap();
        let theirs = shown(row);
        let layers = on_disk(theirs.clone());
        held += usize::from(theirs.iter().any(|l| l.file_frame == DELETED));
        // The pixels: the weighted sum of the cards, within a code value
        // and a half (the mix is f32, the master 16-bit, rounded).
        let master = io::read_frame(&root.join(format!("master/{frame:07}.tif"))).unwrap();
        let mut expect = [0.0f64; 3];
        for l in &layers {
            if let Some(c) = &l.clip {
                let px = card(c, l.file_frame).pixel(0, 0);
                for (e, v) in expect.iter_mut().zip(px) {
                    *e += l.weight * f64::from(v);
                }
            }
        }
        for (x, y) in [(0, 0), (W / 2, H / 2), (W - 1, H - 1)] {
            let got = master.pixel(x, y);
            for c in 0..3 {
                let d = (f64::from(got[c]) - expect[c]).abs() * f64::from(CODES);
                if d > 1.5 {
                    failures.push(format!(
                        "frame {frame} ({x},{y}) channel {c}: {} codes, want {:.1} \
                         from {layers:?}",
                        got[c] * CODES,
                        expect[c] * f64::from(CODES)
                    ));
                }
            }
        }
        // The dissolve's weight, decoded from G: the incoming clip's share.
        let pictures: Vec<&Shown> = layers.iter().filter(|l| l.clip.is_some()).collect();
        if layers.len() == 2 {
            mixed += 1;
            let g = f64::from(master.pixel(0, 0)[1] * CODES / CLIP_STEP);
            let id = |l: &Shown| f64::from(clip_id(l.clip.as_deref().unwrap_or("")));
            let (a, b) = (id(&layers[0]), id(&layers[1]));
            if a != b {
                let w = (g - a) / (b - a);
                // A code value of G is 1 / (CLIP_STEP * |b - a|) of weight:
                // 5e-4 at most; the master's rounding is half of that.
                if (w - layers[1].weight).abs() > 1e-3 {
                    failures.push(format!(
                        "frame {frame}: decoded weight {w}, OpenTimelineIO {}",
                        layers[1].weight
                    ));
                }
            }
        } else if let [one] = pictures.as_slice() {
            // A cut: the card itself, its clip and frame exact.
            let px = master.pixel(W / 2, H / 2);
            let decoded = (
                (px[1] * CODES / CLIP_STEP).round(),
                (px[0] * CODES).round() as i64,
            );
            let wanted = (clip_id(one.clip.as_deref().unwrap()), one.file_frame);
            if decoded != wanted {
                failures.push(format!(
                    "frame {frame}: clip id and frame {decoded:?}, want {wanted:?}"
                ));
            }
        }
        // The trace: the same pictures, files and weights.
        let ours: Vec<String> = traced[&frame]["layers"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["kind"] == "source")
            .map(|l| {
                let file = l["file"].as_str().unwrap_or_default();
                let folder = Path::new(file)
                    .parent()
                    .and_then(Path::file_name)
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
                    .to_string();
                format!(
                    "{folder} {} {:.6}",
                    l["file_frame"],
                    l["weight"].as_f64().unwrap()
                )
            })
            .collect();
        let want: Vec<String> = pictures
            .iter()
            .map(|l| {
                let c = l.clip.as_deref().unwrap();
                let folder = if c == "A" { "A001" } else { c };
                format!("{folder} {} {:.6}", l.file_frame, l.weight)
            })
            .collect();
        if ours != want {
            failures.push(format!(
                "frame {frame}: trace {ours:?}, OpenTimelineIO {want:?}"
            ));
        }
    }
    assert!(mixed >= 15, "{mixed} mixed frames");
    assert!(held >= 2, "{held} frames hold the deleted file");
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

//! `grade conform --composite over`: a clip Basic Motion scales to half the
//! frame (an FCP7 picture-in-picture) lies over the track below, which shows
//! around it; by default (`top`) the frame around it is black.

use std::path::Path;

use grade_engine::io::{self, BitDepth, WriteOptions};
use grade_engine::Frame;

use crate::common::{data, grade, run, stderr};

const BG: [f32; 3] = [0.2, 0.4, 0.6];
const PIP: [f32; 3] = [0.9, 0.1, 0.3];

/// 24 flat 64x32 frames of `rgb`, numbered from 0 (the file timecode of the
/// fixture's clips is 00:00:00:00), in `media/reel`.
fn cards(media: &Path, reel: &str, rgb: [f32; 3]) {
    let dir = media.join(reel);
    std::fs::create_dir_all(&dir).unwrap();
    let mut f = Frame::new(64, 32);
    for px in f.pixels.chunks_exact_mut(4) {
        px[..3].copy_from_slice(&rgb);
    }
    let opts = WriteOptions {
        depth: Some(BitDepth::Float),
        ..Default::default()
    };
    for n in 0..24 {
        io::write_frame(&dir.join(format!("{reel}.{n:04}.exr")), &f, &opts).unwrap();
    }
}

/// Conforms the fixture with `--composite mode`; the first master frame,
/// the report and the trace.
fn conform(root: &Path, mode: &str) -> (Frame, serde_json::Value, serde_json::Value) {
    let media = root.join("media");
    cards(&media, "BG", BG);
    cards(&media, "PIP", PIP);
    let (report, trace) = (root.join("r.json"), root.join("t.json"));
    let out = run(grade()
        .arg("conform")
        .arg(data("fcp7/picture_in_picture.xml"))
        .arg("--media")
        .arg(&media)
        .args(["--backend", "cpu", "--create-dirs", "--depth", "float"])
        .args(["--composite", mode, "--report"])
        .arg(&report)
        .arg("--trace")
        .arg(&trace)
        .arg("-o")
        .arg(root.join("m/%04d.exr")));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json = |p: &Path| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
    let first = std::fs::read_dir(root.join("m"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    (io::read_frame(&first).unwrap(), json(&report), json(&trace))
}

fn rgb(f: &Frame, x: u32, y: u32) -> [f32; 3] {
    let p = f.pixel(x, y);
    [p[0], p[1], p[2]]
}

#[test]
fn over_shows_the_lower_track_around_a_scaled_clip() {
    let dir = tempfile::tempdir().unwrap();
    let (over, report, trace) = conform(dir.path(), "over");
    assert_eq!(report["composite"], "over");
    // Scale 50 of a 64x32 source in a 64x32 sequence: the middle 32x16.
    // A flat picture resamples to itself (the filter's weights sum to 1)
    // within float rounding.
    let near = |a: [f32; 3], b: [f32; 3]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-5);
    for (x, y) in [(32, 16), (17, 9), (46, 22)] {
        assert!(
            near(rgb(&over, x, y), PIP),
            "({x},{y}) {:?}",
            rgb(&over, x, y)
        );
    }
    for (x, y) in [(0, 0), (15, 16), (48, 16), (32, 7), (32, 24), (63, 31)] {
        // Outside the picture the lower track, untouched.
        assert_eq!(rgb(&over, x, y), BG, "({x},{y})");
    }
    assert_eq!(over.pixel(0, 0)[3], 1.0, "the master is opaque");
    // The trace lists both tracks, bottom first.
    let layers = trace[0]["layers"].as_array().unwrap();
    assert_eq!(trace[0]["composite"], "over");
    let tracks: Vec<_> = layers
        .iter()
        .map(|l| l["track"].as_str().unwrap())
        .collect();
    let clips: Vec<_> = layers.iter().map(|l| l["clip"].as_str().unwrap()).collect();
    assert_eq!((tracks, clips), (vec!["V1", "V2"], vec!["BG", "PIP"]));
}

#[test]
fn top_shows_black_around_a_scaled_clip() {
    let dir = tempfile::tempdir().unwrap();
    let (top, report, trace) = conform(dir.path(), "top");
    assert_eq!(report["composite"], "top");
    assert_eq!(rgb(&top, 0, 0), [0.0; 3]);
    assert!((rgb(&top, 32, 16)[0] - PIP[0]).abs() < 1e-5);
    assert_eq!(trace[0]["layers"].as_array().unwrap().len(), 1);
}

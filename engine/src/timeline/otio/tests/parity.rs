//! Frame-by-frame parity with OpenTimelineIO's own API
//! (`scripts/reference/otio_parity.py`): the model on the parity cut and on
//! every public sample, and the conform planner against the model.

use super::*;

/// Runs the reference script with `args`; `None` (skipped) without the
/// reference Python.
fn reference(args: &[&std::ffi::OsStr]) -> Option<Value> {
    let py = testutil::reference_python()?;
    let run = Command::new(py)
        .arg(testutil::repo_root().join("scripts/reference/otio_parity.py"))
        .args(args)
        .output()
        .expect("run otio_parity.py");
    assert!(
        run.status.success(),
        "otio_parity.py {args:?} failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    Some(serde_json::from_slice(&run.stdout).expect("otio_parity.py JSON"))
}

/// Every frame `want` lists where `t` shows something else (clip, source
/// frame, weight to 1e-6, image sequence frame number and file), and how
/// many frames mix two pictures.
fn differences(t: &Timeline, want: &Value) -> (Vec<String>, usize) {
    let mut failures = Vec::new();
    let mut mixed = 0;
    for row in want["frames"].as_array().unwrap() {
        let frame = row["frame"].as_i64().unwrap();
        let theirs: Vec<String> = row["layers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                format!(
                    "{} {} {:.6} {} {}",
                    l["clip"].as_str().unwrap_or("black"),
                    if l["clip"].is_null() {
                        0
                    } else {
                        l["source"].as_i64().unwrap()
                    },
                    l["weight"].as_f64().unwrap(),
                    l["number"],
                    l["file"]
                )
            })
            .collect();
        let ours: Vec<String> = t
            .layers_at(frame)
            .iter()
            .map(|l| {
                let (number, file) = match l.clip.map(|c| (&c.media, c.source_rate)) {
                    Some((Media::Sequence(s), rate)) if s.start_frame.is_some() => (
                        s.frame_number(l.source_frame, rate).to_string(),
                        s.file_frame(l.source_frame, rate).to_string(),
                    ),
                    _ => ("null".into(), "null".into()),
                };
                format!(
                    "{} {} {:.6} {number} {file}",
                    l.clip.map_or("black", |c| c.name.as_str()),
                    l.source_frame,
                    l.weight
                )
            })
            .collect();
        if ours.len() > 1 {
            mixed += 1;
        }
        if ours != theirs {
            failures.push(format!(
                "frame {frame}: grade {ours:?}, OpenTimelineIO {theirs:?}"
            ));
        }
    }
    (failures, mixed)
}

#[test]
fn every_record_frame_matches_opentimelineio() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("parity.otio");
    let Some(want) = reference(&[path.as_os_str()]) else {
        return;
    };
    let t = read_file(&path, &OtioOptions::default()).unwrap();
    assert_eq!(Some(t.global_start), want["global_start"].as_i64());
    assert_eq!(Some(t.duration()), want["duration"].as_i64());
    let (failures, mixed) = differences(&t, &want);
    assert!(
        mixed >= 10,
        "the timeline has dissolves: {mixed} mixed frames"
    );
    assert!(
        failures.is_empty(),
        "{} frames differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The image sequence reference, as written.
    let seq = t
        .tracks
        .iter()
        .flat_map(|tr| &tr.items)
        .find_map(|i| match i {
            Item::Clip(c) => match &c.media {
                Media::Sequence(s) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        })
        .unwrap();
    assert_eq!(seq.path, "/plates/A001/A001.%07d.exr");
    assert_eq!((seq.start_frame, seq.frame_step), (Some(1001), 2));
    assert_eq!(seq.missing, MissingFrame::Hold);
}

#[test]
fn public_samples_show_what_opentimelineio_shows() {
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for path in testutil::fixtures_with_ext("public/otio", &["otio"]) {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        // OpenTimelineIO 0.18 does not read Marker.3 (a later version's).
        if name == "screening_example.otio" {
            continue;
        }
        let Some(want) = reference(&[std::ffi::OsStr::new("--read"), path.as_os_str()]) else {
            return;
        };
        let t = read_file(&path, &OtioOptions::default()).unwrap();
        let (diffs, mixed) = differences(&t, &want);
        report.push(format!(
            "{name}: {} frames, {mixed} mixed, {} differ",
            want["frames"].as_array().map_or(0, Vec::len),
            diffs.len()
        ));
        failures.extend(diffs.into_iter().take(10).map(|d| format!("{name}: {d}")));
    }
    eprintln!(
        "public samples against OpenTimelineIO:\n  {}",
        report.join("\n  ")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The conform planner shows what the model shows (and so what
/// OpenTimelineIO's API shows, `every_record_frame_matches_opentimelineio`)
/// on every frame of the parity timeline: each clip found in a media index
/// whose file frames are its source frames, dissolves (both offsets)
/// mixed with the same weights, the outgoing clip playing on.
#[test]
fn the_planner_shows_what_the_timeline_shows() {
    use crate::io::sequence::Pattern;
    use crate::timeline::conform::{plan_timeline, MediaIndex, Picture, SourceClip};
    use crate::timeline::read::rate_of as timecode_rate;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("parity.otio");
    if reference(&[path.as_os_str()]).is_none() {
        return;
    }
    let t = read_file(&path, &OtioOptions::default()).unwrap();
    let rate = timecode_rate(t.rate).unwrap();
    // One index clip per named media, its file frames its source frames.
    let mut names: Vec<String> = Vec::new();
    for tr in &t.tracks {
        for item in &tr.items {
            if let Item::Clip(c) = item {
                if let Media::Named(n) = &c.media {
                    let name = n.clip_name.clone().unwrap_or_else(|| c.name.clone());
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
            }
        }
    }
    let clips: Vec<SourceClip> = names
        .iter()
        .map(|n| SourceClip {
            pattern: Pattern::parse(&format!("/media/{n}.#######.exr")).unwrap(),
            reel: None,
            clip_name: n.clone(),
            start_tc: -1_000_000,
            first_frame: -1_000_000,
            last_frame: 1_000_000,
            gaps: Vec::new(),
            rate,
            header_rate: None,
            width: 16,
            height: 16,
            pixel_aspect: 1.0,
        })
        .collect();
    let plan = plan_timeline(&t, rate, &MediaIndex::new(clips), &Default::default());
    let mut compared = 0;
    let mut failures = Vec::new();
    for frame in t.global_start..t.global_start + t.duration() {
        let ours = t.layers_at(frame);
        // Sequence references name files that are not on disk here.
        if ours.iter().any(|l| {
            l.clip
                .is_some_and(|c| matches!(c.media, Media::Sequence(_)))
        }) {
            continue;
        }
        let want: Vec<String> = ours
            .iter()
            .filter(|l| l.weight > 0.0)
            .map(|l| match l.clip {
                Some(c) => {
                    let name = match &c.media {
                        Media::Named(n) => n.clip_name.clone().unwrap_or_else(|| c.name.clone()),
                        _ => "black".into(),
                    };
                    format!("{name} {} {:.6}", l.source_frame, l.weight)
                }
                None => format!("black {:.6}", l.weight),
            })
            .collect();
        let got: Vec<String> = plan
            .layers(frame)
            .iter()
            .filter(|(_, _, w)| *w > 0.0)
            .filter(|(p, _, w)| !(ours.is_empty() && *p == Some(Picture::Black) && *w == 1.0))
            .map(|(p, _, w)| match p {
                Some(Picture::Source { clip, file_frame }) => format!(
                    "{} {file_frame} {:.6}",
                    plan.clips[*clip].clip_name,
                    f64::from(*w)
                ),
                _ => format!("black {:.6}", f64::from(*w)),
            })
            .collect();
        compared += 1;
        if want != got {
            failures.push(format!("frame {frame}: timeline {want:?}, plan {got:?}"));
        }
    }
    assert!(compared > 50, "{compared} frames compared");
    assert!(
        failures.is_empty(),
        "{} of {compared} frames differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

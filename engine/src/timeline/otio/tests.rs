//! The OpenTimelineIO reader: every public sample, frame-by-frame parity
//! with OpenTimelineIO's own API (`scripts/reference/otio_parity.py`), the
//! lenient number path, rates, bundles, and bad input (never a panic).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use super::raw::lenient_text;
use super::time::rate_of;
use super::*;
use crate::testutil;
use crate::timeline::model::{FrameRate, Item, Media, MissingFrame, Timeline};

fn parse(text: &str) -> Result<Timeline> {
    read(
        text.as_bytes(),
        Path::new("/cut/test.otio"),
        &OtioOptions::default(),
    )
}

fn message(e: &Error) -> String {
    e.to_string()
}

/// A timeline of `tracks` (JSON of Track objects) at 24 fps.
fn timeline_json(tracks: &str) -> String {
    format!(
        r#"{{"OTIO_SCHEMA": "Timeline.1", "name": "t",
            "tracks": {{"OTIO_SCHEMA": "Stack.1", "children": [{tracks}]}}}}"#
    )
}

fn range(start: f64, dur: f64, rate: &str) -> String {
    format!(
        r#"{{"OTIO_SCHEMA": "TimeRange.1",
            "start_time": {{"OTIO_SCHEMA": "RationalTime.1", "value": {start}, "rate": {rate}}},
            "duration": {{"OTIO_SCHEMA": "RationalTime.1", "value": {dur}, "rate": {rate}}}}}"#
    )
}

fn clip(name: &str, start: f64, dur: f64) -> String {
    format!(
        r#"{{"OTIO_SCHEMA": "Clip.1", "name": "{name}", "source_range": {},
            "media_reference": {{"OTIO_SCHEMA": "MissingReference.1"}}}}"#,
        range(start, dur, "24")
    )
}

fn track(items: &[String]) -> String {
    format!(
        r#"{{"OTIO_SCHEMA": "Track.1", "name": "V1", "kind": "Video", "children": [{}]}}"#,
        items.join(",")
    )
}

#[test]
fn every_public_sample_parses() {
    let files = testutil::fixtures_with_ext("public/otio", &["otio"]);
    assert!(
        files.len() >= 9,
        "public .otio samples missing: {}",
        files.len()
    );
    let mut report = Vec::new();
    for path in &files {
        let t = read_file(path, &OtioOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let clips: usize = t
            .tracks
            .iter()
            .map(|tr| {
                tr.items
                    .iter()
                    .filter(|i| matches!(i, Item::Clip(_)))
                    .count()
            })
            .sum();
        let clip_warnings: Vec<&String> = t
            .tracks
            .iter()
            .flat_map(|tr| &tr.items)
            .filter_map(|i| match i {
                Item::Clip(c) => Some(&c.warnings),
                _ => None,
            })
            .flatten()
            .collect();
        for w in t.warnings.iter().chain(clip_warnings.iter().copied()) {
            // Every warning names the item (its path in the tree) or the file.
            assert!(!w.is_empty(), "{}: empty warning", path.display());
        }
        report.push(format!(
            "{}: {} tracks, {} clips, {} frames at {}/{}, warnings {:?} {:?}",
            path.file_name().unwrap_or_default().to_string_lossy(),
            t.tracks.len(),
            clips,
            t.duration(),
            t.rate.num,
            t.rate.den,
            t.warnings,
            clip_warnings
        ));
    }
    eprintln!("public OpenTimelineIO samples:\n  {}", report.join("\n  "));
}

#[test]
fn samples_read_as_written() {
    let read_sample = |name: &str| {
        read_file(
            &testutil::fixture(&format!("public/otio/tests/sample_data/{name}")),
            &OtioOptions::default(),
        )
        .unwrap()
    };
    // Inf, -Infinity and NaN in metadata; a 24-frame black clip from frame 1.
    let t = read_sample("big_int.otio");
    let Item::Clip(c) = &t.tracks[0].items[0] else {
        panic!("no clip")
    };
    assert_eq!((c.source_range.start, c.source_range.duration), (1, 24));
    // Sequence.1 as a track; SMPTE bars as bars.
    let t = read_sample("generator_reference_test.otio");
    let Item::Clip(c) = &t.tracks[0].items[0] else {
        panic!("no clip")
    };
    assert_eq!(c.media, Media::Bars);
    // Clip.2 and Marker.3 (with a Color.1 object). Its track's own
    // source_range (-86243, 1049 frames) holds none of its clips: the
    // timeline is 1049 frames of nothing, as OpenTimelineIO's
    // child_at_time also finds, and grade says so.
    let t = read_sample("screening_example.otio");
    assert_eq!(t.duration(), 1049);
    assert!(
        t.warnings
            .iter()
            .any(|w| w.contains("\"V\"") && w.contains("shows none of its clips")),
        "{:?}",
        t.warnings
    );
}

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
fn non_finite_numbers_are_quoted_outside_strings_only() {
    let text =
        r#"{"a": NaN, "b": [Inf, -Infinity, -Inf, Infinity], "c": "NaN Inf", "d": "q\"NaN"}"#;
    let v: Value = serde_json::from_str(&lenient_text(text)).unwrap();
    assert_eq!(v["a"], "NaN");
    assert_eq!(v["b"][0], "Infinity");
    assert_eq!(v["b"][1], "-Infinity");
    assert_eq!(v["b"][2], "-Infinity");
    assert_eq!(v["c"], "NaN Inf");
    assert_eq!(v["d"], "q\"NaN");
    assert!(matches!(
        lenient_text(r#"{"a": 1}"#),
        std::borrow::Cow::Borrowed(_)
    ));
}

#[test]
fn rates_are_rationals() {
    let r = |n, d| FrameRate::new(n, d);
    assert_eq!(rate_of(23.976023976023978), r(24000, 1001));
    assert_eq!(rate_of(23.976), r(24000, 1001));
    assert_eq!(rate_of(29.97), r(30000, 1001));
    assert_eq!(rate_of(25.0), r(25, 1));
    assert_eq!(rate_of(23.98), r(1199, 50));
    assert_eq!(rate_of(0.0), None);
    assert_eq!(rate_of(f64::NAN), None);
    assert_eq!(rate_of(-24.0), None);
}

#[test]
fn an_hour_at_23_976_has_no_drift() {
    // 3600 s at 24000/1001 is 86313.686 frames: clips of 86313 and 1
    // frames, written at the rate OpenTimelineIO prints for 23.976.
    let rate = "23.976023976023978";
    let clip_at = |name: &str, start: f64, dur: f64| {
        format!(
            r#"{{"OTIO_SCHEMA": "Clip.2", "name": "{name}", "source_range": {},
                "media_references": {{"DEFAULT_MEDIA": {{"OTIO_SCHEMA": "MissingReference.1"}}}},
                "active_media_reference_key": "DEFAULT_MEDIA"}}"#,
            range(start, dur, rate)
        )
    };
    let text = format!(
        r#"{{"OTIO_SCHEMA": "Timeline.1",
            "global_start_time": {{"OTIO_SCHEMA": "RationalTime.1", "value": 86313.0, "rate": {rate}}},
            "tracks": {{"OTIO_SCHEMA": "Stack.1", "children": [{}]}}}}"#,
        track(&[clip_at("long", 0.0, 86313.0), clip_at("last", 86313.0, 1.0)])
    );
    let t = parse(&text).unwrap();
    assert_eq!(
        t.rate,
        FrameRate {
            num: 24000,
            den: 1001
        }
    );
    assert_eq!(t.global_start, 86313);
    let last = t.layers_at(86313 + 86313);
    assert_eq!(last.len(), 1);
    assert_eq!(last[0].clip.unwrap().name, "last");
    assert_eq!(last[0].source_frame, 86313);
}

#[test]
fn clip2_media_reference_keys() {
    let text = timeline_json(&track(&[format!(
        r#"{{"OTIO_SCHEMA": "Clip.2", "name": "A001C003", "source_range": {},
            "metadata": {{"cmx_3600": {{"reel": "A001"}},
                          "cdl": {{"asc_sop": {{"slope": [1.1, 1.0, 0.9], "offset": [0.01, 0, -0.01], "power": [1, 1, 1.2]}}, "asc_sat": 0.8}}}},
            "media_references": {{
                "DEFAULT_MEDIA": {{"OTIO_SCHEMA": "ExternalReference.1", "target_url": "proxies/A001C003.mov"}},
                "camera": {{"OTIO_SCHEMA": "ExternalReference.1", "target_url": "file:///scans/A001%20C003/A001C003.1001.dpx"}}}},
            "active_media_reference_key": "DEFAULT_MEDIA"}}"#,
        range(1001.0, 10.0, "24")
    )]));
    let first = |t: &Timeline| match &t.tracks[0].items[0] {
        Item::Clip(c) => (**c).clone(),
        other => panic!("{other:?}"),
    };
    let c = first(&parse(&text).unwrap());
    let Media::Named(n) = &c.media else {
        panic!("{:?}", c.media)
    };
    assert_eq!(n.reel.as_deref(), Some("A001"));
    assert_eq!(n.clip_name.as_deref(), Some("A001C003"));
    assert_eq!(n.source_file.as_deref(), Some("A001C003.mov"));
    assert_eq!(n.path.as_deref(), Some("/cut/proxies/A001C003.mov"));
    let cdl = c.cdl.unwrap();
    assert_eq!(cdl.slope, [1.1, 1.0, 0.9]);
    assert_eq!(cdl.power, [1.0, 1.0, 1.2]);
    assert_eq!(cdl.saturation, Some(0.8));
    let opts = OtioOptions {
        media_reference: Some("camera".into()),
        ..Default::default()
    };
    let t = read(text.as_bytes(), Path::new("/cut/test.otio"), &opts).unwrap();
    let Media::Sequence(s) = first(&t).media else {
        panic!()
    };
    assert_eq!(s.path, "/scans/A001 C003/A001C003.1001.dpx");
    assert_eq!(s.start_frame, None);
    let opts = OtioOptions {
        media_reference: Some("proxy".into()),
        ..Default::default()
    };
    let e = message(&read(text.as_bytes(), Path::new("/cut/test.otio"), &opts).unwrap_err());
    assert!(
        e.contains("\"proxy\"") && e.contains("DEFAULT_MEDIA, camera"),
        "{e}"
    );
}

#[test]
fn audio_tracks_give_one_note_and_unknown_schemas_a_warning() {
    let audio = r#"{"OTIO_SCHEMA": "Track.1", "name": "A1", "kind": "Audio", "children": []}"#;
    let odd = format!(
        r#"{{"OTIO_SCHEMA": "Swirl.3", "name": "s", "source_range": {}}}"#,
        range(0.0, 5.0, "24")
    );
    let text = timeline_json(&format!(
        "{audio},{audio},{}",
        track(&[clip("a", 0.0, 10.0), odd, clip("b", 0.0, 10.0)])
    ));
    let t = parse(&text).unwrap();
    assert_eq!(t.tracks.len(), 1);
    let notes: Vec<&String> = t.warnings.iter().filter(|w| w.contains("audio")).collect();
    assert_eq!(notes, ["2 audio tracks ignored"]);
    assert!(
        t.warnings
            .iter()
            .any(|w| w.contains("Swirl") && w.contains("\"s\"")),
        "{:?}",
        t.warnings
    );
    // The unknown item keeps its 5 frames as a gap.
    assert_eq!(t.layers_at(12).len(), 0);
    assert_eq!(t.layers_at(15)[0].clip.unwrap().name, "b");
}

#[test]
fn bad_input_is_an_error_naming_the_file_and_item() {
    // Truncated JSON: the file and line.
    let text = timeline_json(&track(&[clip("a", 0.0, 10.0)]));
    let e = message(&parse(&text[..text.len() / 2]).unwrap_err());
    assert!(e.contains("/cut/test.otio") && e.contains(':'), "{e}");
    // Every problem in the file, each naming its item.
    let text = timeline_json(&track(&[
        clip("neg", 0.0, -5.0),
        format!(
            r#"{{"OTIO_SCHEMA": "Clip.1", "name": "zero", "source_range": {}}}"#,
            range(0.0, 5.0, "0")
        ),
        format!(
            r#"{{"OTIO_SCHEMA": "Clip.1", "name": "nan", "source_range": {}}}"#,
            range(0.0, 5.0, "NaN")
        ),
    ]));
    let e = message(&parse(&text).unwrap_err());
    for (item, what) in [
        ("neg", "negative duration"),
        ("zero", "rate 0"),
        ("nan", "rate NaN"),
    ] {
        assert!(
            e.contains(&format!("\"{item}\"")) && e.contains(what),
            "{item}: {what} not in {e}"
        );
    }
    // Not a timeline.
    assert!(parse(r#"{"OTIO_SCHEMA": "Clip.1"}"#).is_err());
    assert!(parse("[]").is_err());
}

#[test]
fn deep_nesting_is_refused() {
    // Stacks in tracks in stacks, as a reference cycle written out would
    // be: past MAX_DEPTH compositions grade refuses it, past 128 JSON
    // levels serde_json does.
    for (levels, says) in [
        (26, "nested more than 48 deep"),
        (100, "JSON nested too deep"),
    ] {
        let mut inner = clip("a", 0.0, 10.0);
        for _ in 0..levels {
            inner = format!(
                r#"{{"OTIO_SCHEMA": "Stack.1", "children": [{{"OTIO_SCHEMA": "Track.1", "children": [{inner}]}}]}}"#
            );
        }
        let e = message(&parse(&timeline_json(&track(&[inner]))).unwrap_err());
        assert!(
            e.contains(says) && e.starts_with("/cut/test.otio"),
            "{levels}: {e}"
        );
    }
}

#[test]
fn no_prefix_of_a_sample_panics() {
    for name in [
        "nested_example.otio",
        "transition_test.otio",
        "big_int.otio",
    ] {
        let path = testutil::fixture(&format!("public/otio/tests/sample_data/{name}"));
        let bytes = std::fs::read(&path).unwrap();
        for n in (0..bytes.len()).step_by(5) {
            let _ = read(&bytes[..n], &path, &OtioOptions::default());
        }
    }
}

#[test]
fn a_million_clips_read_in_bounded_time() {
    // No per-frame work: every clip lasts a day of frames.
    let one = r#"{"OTIO_SCHEMA":"Clip.1","source_range":{"start_time":{"value":0,"rate":24},"duration":{"value":2073600,"rate":24}}}"#;
    let n = 1_000_000;
    let mut items = String::with_capacity(n * (one.len() + 1));
    for i in 0..n {
        if i > 0 {
            items.push(',');
        }
        items.push_str(one);
    }
    let text = timeline_json(&format!(
        r#"{{"OTIO_SCHEMA":"Track.1","children":[{items}]}}"#
    ));
    drop(items);
    let t0 = Instant::now();
    let t = parse(&text).unwrap();
    let secs = t0.elapsed().as_secs_f64();
    assert_eq!(t.tracks[0].items.len(), n);
    assert_eq!(t.duration(), 2_073_600 * n as i64);
    eprintln!("{n} clips read in {secs:.2} s");
    // Generous for a loaded debug build; a per-frame expansion would take hours.
    assert!(secs < 60.0, "{secs} s");
}

#[test]
fn otioz_bundles_extract_their_media() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let content = timeline_json(&track(&[format!(
        r#"{{"OTIO_SCHEMA": "Clip.1", "name": "p", "source_range": {},
            "media_reference": {{"OTIO_SCHEMA": "ExternalReference.1", "target_url": "media/p.1001.exr"}}}}"#,
        range(0.0, 3.0, "24")
    )]));
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file("content.otio", o).unwrap();
        z.write_all(content.as_bytes()).unwrap();
        z.start_file("media/p.1001.exr", o).unwrap();
        z.write_all(b"not really an exr").unwrap();
        z.finish().unwrap();
    }
    let bytes = buf.into_inner();
    assert!(looks_like_otio(&bytes));
    let opts = OtioOptions {
        bundle_dir: Some(dir.path().join("x")),
        ..Default::default()
    };
    let t = read(&bytes, &dir.path().join("cut.otioz"), &opts).unwrap();
    let Item::Clip(c) = &t.tracks[0].items[0] else {
        panic!()
    };
    let Media::Sequence(s) = &c.media else {
        panic!("{:?}", c.media)
    };
    let file = dir.path().join("x/media/p.1001.exr");
    assert_eq!(s.path, file.to_string_lossy());
    assert_eq!(std::fs::read(&file).unwrap(), b"not really an exr");
}

#[test]
fn sniffing() {
    assert!(looks_like_otio(b"\n  {\"OTIO_SCHEMA\": \"Timeline.1\"}"));
    assert!(!looks_like_otio(b"TITLE: x\nFCM: NON-DROP FRAME\n"));
    assert!(!looks_like_otio(b"{\"a\": 1}"));
    assert!(!looks_like_otio(b""));
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

#[test]
fn legacy_schemas_markers_and_references() {
    let marker = format!(
        r#"{{"OTIO_SCHEMA": "Marker.1", "name": "fix", "color": "GREEN", "range": {}}}"#,
        range(3.0, 0.0, "24")
    );
    let text = format!(
        r#"{{"OTIO_SCHEMA": "Timeline.1", "tracks": {{"OTIO_SCHEMA": "Stack.1", "children": [
            {{"OTIO_SCHEMA": "Sequence.1", "name": "V1", "children": [
              {{"OTIO_SCHEMA": "Filler.1", "source_range": {}}},
              {{"OTIO_SCHEMA": "Clip.1", "name": "plate", "source_range": {}, "markers": [{marker}],
                "media_reference": {{"OTIO_SCHEMA": "ImageSequenceReference.1",
                  "target_url_base": "plates", "name_prefix": "p.", "name_suffix": ".dpx",
                  "start_frame": 7, "frame_step": 1, "rate": 24, "frame_zero_padding": 0,
                  "missing_frame_policy": "black", "available_range": {}}}}},
              {{"OTIO_SCHEMA": "Transition.1", "name": "wipe", "transition_type": "Custom_Transition",
                "in_offset": {{"value": 2, "rate": 24}}, "out_offset": {{"value": 2, "rate": 24}}}},
              {{"OTIO_SCHEMA": "Clip.1", "name": "noise", "source_range": {},
                "media_reference": {{"OTIO_SCHEMA": "GeneratorReference.1", "generator_kind": "Noise"}}}}
            ]}},
            {{"OTIO_SCHEMA": "Track.1", "name": "V2", "enabled": false, "children": [{}]}}
        ]}}}}"#,
        range(0.0, 4.0, "24"),
        range(10.0, 6.0, "24"),
        range(10.0, 100.0, "24"),
        range(0.0, 5.0, "24"),
        clip("hidden", 0.0, 20.0)
    );
    let t = parse(&text).unwrap();
    assert_eq!(t.tracks.len(), 2);
    assert!(!t.tracks[1].enabled);
    let clips: Vec<&crate::timeline::model::Clip> = t.tracks[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Clip(c) => Some(&**c),
            _ => None,
        })
        .collect();
    let plate = clips[0];
    assert_eq!(plate.markers[0].frame, 3);
    assert_eq!(plate.markers[0].color, "GREEN");
    let Media::Sequence(s) = &plate.media else {
        panic!("{:?}", plate.media)
    };
    assert_eq!(s.path, "/cut/plates/p.%d.dpx");
    assert_eq!(s.missing, MissingFrame::Black);
    // Source frame 12 is the third frame of the reference: file 9.
    assert_eq!(s.file_frame(12, plate.source_rate), 9);
    assert_eq!(clips[1].media, Media::Black);
    assert!(clips[1]
        .warnings
        .iter()
        .any(|w| w.contains("Noise") && w.contains("\"noise\"")));
    assert!(t
        .warnings
        .iter()
        .any(|w| w.contains("Custom_Transition") && w.contains("\"wipe\"")));
    // The filler is a gap; the disabled track shows nothing; the wipe mixes.
    assert!(t.layers_at(0).is_empty());
    assert_eq!(t.layers_at(4)[0].source_frame, 10);
    assert_eq!(t.layers_at(8).len(), 2);
}

#[test]
fn conform_reads_otio_through_the_timeline_loader() {
    use crate::timeline::read::{read as load, ReadOptions, TimelineKind};
    let path = testutil::fixture("public/otio/tests/sample_data/multitrack.otio");
    let loaded = load(&path, &ReadOptions::default()).unwrap();
    assert_eq!(loaded.kind, TimelineKind::Otio);
    assert_eq!(loaded.timeline.tracks.len(), 3);
    assert_eq!(loaded.rate, crate::timeline::Rate::FPS_24);
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

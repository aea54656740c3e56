//! The public OpenTimelineIO samples and the schemas they use: each reads,
//! as written, with notes for what grade leaves out; the timeline loader
//! hands them to the reader.

use super::*;

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
fn sniffing() {
    assert!(looks_like_otio(b"\n  {\"OTIO_SCHEMA\": \"Timeline.1\"}"));
    assert!(!looks_like_otio(b"TITLE: x\nFCM: NON-DROP FRAME\n"));
    assert!(!looks_like_otio(b"{\"a\": 1}"));
    assert!(!looks_like_otio(b""));
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

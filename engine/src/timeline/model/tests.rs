//! The EDL producer and the two ways of reading a timeline: for every
//! record frame of every public EDL (and a cut with dissolves, speeds, a
//! freeze, a reverse, black and overlapping events), [`Timeline::layers_at`]
//! shows the same source frames with the same weights as the conform plan's
//! painted segments. (The CLI conform tests and the demo master check the
//! plan against what the EDLs say.)

use std::collections::BTreeSet;
use std::path::Path;

use super::*;
use crate::io::sequence::Pattern;
use crate::timeline::conform::{plan, MatchOptions, MediaIndex, Picture, RecordFrame, SourceClip};
use crate::timeline::edl::{parse_bytes, Edl};

const CUT: &str = "TITLE: MODEL TEST
FCM: NON-DROP FRAME

001  REEL_A01 V     C        10:00:00:00 10:00:00:12 01:00:00:00 01:00:00:12
002  REEL_B01 V     C        11:00:00:00 11:00:00:06 01:00:00:12 01:00:00:18
003  REEL_B01 V     C        11:00:00:06 11:00:00:06 01:00:00:18 01:00:00:18
003  REEL_A01 V     D    006 10:00:01:00 10:00:01:06 01:00:00:18 01:00:01:00
004  REEL_A01 V     C        10:00:01:06 10:00:01:12 01:00:01:00 01:00:01:06
M2   REEL_A01       048.0                10:00:01:06
005  REEL_B01 V     C        11:00:01:00 11:00:01:01 01:00:01:06 01:00:01:12
M2   REEL_B01       000.0                11:00:01:00
* FREEZE FRAME
006  BL       V     C        00:00:00:00 00:00:00:06 01:00:01:12 01:00:01:18
007  REEL_A01 V     D    004 10:00:02:00 10:00:02:08 01:00:01:18 01:00:02:02
008  REEL_B01 V     C        11:00:03:00 11:00:03:10 01:00:02:10 01:00:02:20
009  REEL_A01 V     C        10:00:04:00 10:00:04:04 01:00:02:14 01:00:02:18
010  REEL_B01 V     C        11:00:05:00 11:00:05:10 01:00:03:00 01:00:03:10
M2   REEL_B01       -024.0               11:00:05:09
";

/// One clip per tape reel, holding every non-negative source frame, so a
/// file frame equals its source timecode frame.
fn index_of(edl: &Edl) -> MediaIndex {
    let reels: BTreeSet<String> = edl
        .events
        .iter()
        .flat_map(|e| std::iter::once(&e.source).chain(e.from.as_ref()))
        .filter_map(|s| s.source.reel.tape().map(str::to_string))
        .collect();
    let rate = edl.rate;
    MediaIndex::new(
        reels
            .into_iter()
            .map(|reel| SourceClip {
                pattern: Pattern::parse(&format!("/m/{reel}.%07d.dpx")).unwrap(),
                reel: Some(reel.clone()),
                clip_name: reel,
                start_tc: 0,
                first_frame: 0,
                last_frame: 4 * rate.frames_per_day(),
                gaps: Vec::new(),
                rate,
                header_rate: None,
                width: 4,
                height: 4,
                pixel_aspect: 1.0,
            })
            .collect(),
    )
}

/// What a layer shows: black, or a reel's source frame.
fn shown(l: &Layer<'_>) -> Option<(String, i64)> {
    match l.clip.map(|c| &c.media) {
        Some(Media::Named(n)) => Some((n.reel.clone().unwrap_or_default(), l.source_frame)),
        _ => None,
    }
}

/// Checks every record frame of `edl`; returns how many were compared.
fn compare(edl: &Edl, name: &str) -> usize {
    let index = index_of(edl);
    let p = plan(edl, &index, &MatchOptions::default());
    let t = from_edl(edl);
    let picture = |pic: Picture| match pic {
        Picture::Black => None,
        Picture::Source { clip, file_frame } => {
            Some((p.clips[clip].reel.clone().unwrap_or_default(), file_frame))
        }
    };
    let mut compared = 0;
    for (f, rf) in p.frames(p.record.clone()) {
        let layers = t.layers_at(f);
        let why = format!("{name} record frame {f}: plan {rf:?}, model {layers:?}");
        match rf {
            RecordFrame::Unavailable { .. } => continue,
            RecordFrame::Black => {
                assert!(layers.iter().all(|l| shown(l).is_none()), "{why}");
                assert!(layers.len() <= 1, "{why}");
            }
            RecordFrame::Source { clip, file_frame } => {
                assert_eq!(layers.len(), 1, "{why}");
                let want = picture(Picture::Source { clip, file_frame });
                assert_eq!(shown(&layers[0]), want, "{why}");
            }
            RecordFrame::Dissolve { a, b, weight } => {
                assert_eq!(layers.len(), 2, "{why}");
                assert_eq!(shown(&layers[0]), picture(a), "{why}");
                assert_eq!(shown(&layers[1]), picture(b), "{why}");
                assert!((layers[1].weight as f32 - weight).abs() < 1e-6, "{why}");
                assert!(
                    (layers[0].weight + layers[1].weight - 1.0).abs() < 1e-9,
                    "{why}"
                );
            }
        }
        compared += 1;
    }
    // Nothing shows outside the plan's record range.
    for f in [p.record.start - 1, p.record.end] {
        assert!(t.layers_at(f).is_empty(), "{name} record frame {f}");
    }
    compared
}

#[test]
fn the_edl_model_shows_what_the_planner_shows() {
    let r = Rate::FPS_24;
    let edl = parse_bytes(CUT.as_bytes(), Path::new("cut.edl"), r).unwrap();
    let n = compare(&edl, "cut.edl");
    assert_eq!(n, (3 * 24 + 10) as usize);
    let t = from_edl(&edl);
    // 008 overlaps 009 and 009 wins: two tracks.
    assert_eq!(t.tracks.len(), 2);
    assert_eq!(t.rate, FrameRate { num: 24, den: 1 });
    assert_eq!(t.global_start, r.parse_frames("01:00:00:00").unwrap());
}

#[test]
fn every_public_edl_becomes_a_timeline_that_shows_what_the_planner_shows() {
    let mut total = 0;
    for path in crate::testutil::fixtures_with_ext("public", &["edl"]) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let rate = match name.as_str() {
            "25fps.edl" | "test_25.edl" => Rate::FPS_25,
            _ => Rate::FPS_24,
        };
        let edl = crate::timeline::edl::parse(&path, rate).unwrap();
        total += compare(&edl, &name);
    }
    assert!(total > 1000, "{total}");
}

#[test]
fn time_effects_map_record_frames_to_source_frames() {
    let mut c = Clip {
        name: "c".into(),
        media: Media::Black,
        source_range: FrameRange {
            start: 100,
            duration: 10,
        },
        source_rate: FrameRate::new(24, 1).unwrap(),
        effects: vec![TimeEffect::LinearTimeWarp { time_scalar: 2.0 }],
        enabled: true,
        markers: Vec::new(),
        cdl: None,
        unsupported: None,
        reposition: None,
        warnings: Vec::new(),
        origin: Origin::default(),
    };
    assert_eq!(c.source_frame(3), 106);
    c.effects = vec![TimeEffect::LinearTimeWarp { time_scalar: -1.0 }];
    assert_eq!(c.source_frame(3), 97);
    c.effects = vec![TimeEffect::FreezeFrame];
    assert_eq!(c.source_frame(7), 100);
    assert_eq!(FrameRate::new(24000, 0), None);
    assert!((FrameRate::new(24000, 1001).unwrap().fps() - 23.976).abs() < 1e-3);
}

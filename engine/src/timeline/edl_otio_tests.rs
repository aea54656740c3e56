//! Every public EDL (and grade's own fixtures in tests/data/edl) read by grade and by OpenTimelineIO's CMX3600 adapter
//! (`scripts/reference/otio_edl.py`), event by event on the video track.
//!
//! The adapter is the reference for names, reels, source ranges, record
//! positions, transitions, gaps, speed effects and ASC CDL values. Where the
//! two disagree by design, [`KNOWN_DIFFERENCES`] lists the file, what
//! differs and why; any other difference fails the test.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::edl::{self, Edit, Edl, Reel};
use super::timecode::Rate;
use crate::testutil;

/// Rates the files are read at: OpenTimelineIO's own tests read
/// `25fps.edl` at 25 and everything else at the adapter's default of 24;
/// pycmx's `test_25.edl` has frame fields up to 24, so it is 25 fps too.
fn rate_for(path: &Path) -> Rate {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    match name {
        "25fps.edl" | "test_25.edl" => Rate::FPS_25,
        "drop_frame_2997.edl" => Rate::FPS_29_97_DF,
        "drop_frame_5994.edl" => Rate::FPS_59_94_DF,
        _ => Rate::FPS_24,
    }
}

/// (file, kinds of difference, why). Kinds: `otio-error` (the adapter
/// rejects the file in strict mode; the comparison then uses its lenient
/// reading), `record_in`, `duration`, `gap`, `count`, `speed`.
const KNOWN_DIFFERENCES: &[(&str, &[&str], &str)] = &[
    (
        "latin1_crlf_tabs.edl",
        &["name"],
        "event 003 wipes to BARS with only a FROM CLIP NAME, which names the outgoing clip: \
         OpenTimelineIO gives that name to the incoming BARS clip, grade keeps it on the \
         outgoing side and names the event 003. Event 005's FROM FILE is an image sequence \
         `scène_02.[1001-1100].dpx`: OpenTimelineIO renames the clip after the frames the \
         event uses ([1001-1024]); grade keeps the name as written.",
    ),
    (
        "key_event.edl",
        &["otio-error", "count"],
        "OpenTimelineIO does not read keys ('Transition type K not supported'), even leniently, \
         so it has no events; grade reads all three and marks the key unsupported.",
    ),
    (
        "speed_effects.edl",
        &["name"],
        "one-frame freezes (source and record both 1 frame, M2 000.0, * FREEZE FRAME): \
         OpenTimelineIO strips Avid's ' FF' name suffix only when it adds a FreezeFrame effect \
         (durations differ); grade strips it from every freeze, so the name matches the media.",
    ),
    (
        "speed_effects_small.edl",
        &["name"],
        "the same one-frame freeze as in speed_effects.edl (event 003, Z682_157 (LAY2) FF).",
    ),
    (
        "INS4_R1_010417.edl",
        &["name"],
        "event 000249 is a cut with both FROM CLIP NAME (13-1) and TO CLIP NAME (INSIDIOUS \
         OPENING, the previous event's clip). OpenTimelineIO names the clip from TO CLIP NAME; \
         grade uses TO CLIP NAME only for a transition's incoming side and warns, so the clip \
         keeps the name of its own source (13-1, reel B009C001), which is what conform matches.",
    ),
    (
        "INS4_R1_DX_092117.edl",
        &["otio-error"],
        "audio-only EDL whose events have zero-length source ranges (no audio timecode); \
         OpenTimelineIO requires source duration == record duration for every event, grade \
         checks only events with video. Neither has a video track.",
    ),
    (
        "TEST.edl",
        &["otio-error"],
        "audio-only EDL with zero-length sources (as above); OpenTimelineIO's lenient mode then \
         stops at 'Transitions can't be at the very beginning of a track' (an audio dissolve). \
         grade reads it: no video events.",
    ),
    (
        "ToD_R4_LOCK3.1_030618_Video.edl",
        &["otio-error", "duration", "record_in", "gap", "name"],
        "event 061 uses 25 source frames over 13 record frames with no M2 line (a 48 fps clip). \
         OpenTimelineIO rejects it; in lenient mode it keeps the 25 source frames and pushes \
         every later clip 12 frames down the record (event 063, 97 source frames over 49 \
         record frames, adds 48 more), closing a record gap later on. grade warns and follows \
         the record timecodes (source in + n), so all record positions stay as written. \
         Event 189 is a cut with a TO CLIP NAME (see INS4_R1_010417.edl).",
    ),
    (
        "test_25.edl",
        &["otio-error"],
        "an audio (AA) wipe to black whose source and record durations differ; OpenTimelineIO \
         rejects the file, grade does not check audio-only events. The video track (read \
         leniently by OpenTimelineIO) agrees.",
    ),
];

/// One item of the video track, as both sides describe it.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Clip {
        name: String,
        reel: Option<String>,
        record_in: i64,
        source_in: i64,
        duration: i64,
        speed: Option<f64>,
        cdl: Option<[f64; 10]>,
    },
    Transition {
        record_in: i64,
        duration: i64,
    },
    Gap {
        record_in: i64,
        duration: i64,
    },
}

/// Our events in OpenTimelineIO's model: a transition is an item before the
/// incoming clip; a clip lasts its record duration; record holes are gaps.
fn our_items(edl: &Edl) -> Vec<Item> {
    let mut items = Vec::new();
    let mut pos: Option<i64> = None;
    for e in edl.events.iter().filter(|e| e.channels.video) {
        if let Some(p) = pos {
            if e.record_in.frames > p {
                items.push(Item::Gap {
                    record_in: p,
                    duration: e.record_in.frames - p,
                });
            }
        }
        if e.from.is_some() && matches!(e.edit, Edit::Dissolve { .. } | Edit::Wipe { .. }) {
            items.push(Item::Transition {
                record_in: e.record_in.frames,
                duration: i64::from(e.edit.transition_frames()),
            });
        }
        let s = &e.source;
        let rec = e.record_frames();
        let src = s.source_out.frames - s.source_in.frames;
        // OpenTimelineIO records a speed only where source and record
        // durations differ: a freeze as 0, an M2 as speed / rate.
        let speed = if rec != src {
            if s.freeze {
                Some(0.0)
            } else {
                s.speed.as_ref().map(|sp| sp.fps / edl.rate.fps())
            }
        } else {
            None
        };
        let reel = match &s.source.reel {
            Reel::Aux => None,
            _ => Some(s.source.reel_text.clone()),
        };
        let cdl = e.cdl.as_ref().map(|c| {
            let mut v = [0.0; 10];
            v[..3].copy_from_slice(&c.slope);
            v[3..6].copy_from_slice(&c.offset);
            v[6..9].copy_from_slice(&c.power);
            v[9] = c.saturation.unwrap_or(1.0);
            v
        });
        items.push(Item::Clip {
            name: e.name(),
            reel,
            record_in: e.record_in.frames,
            source_in: s.source_in.frames,
            duration: rec,
            speed,
            cdl,
        });
        pos = Some(e.record_out.frames);
    }
    items
}

fn otio_items(track: &Value) -> Vec<Item> {
    let num = |v: &Value, k: &str| v[k].as_i64().unwrap_or(i64::MIN);
    track["items"]
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|it| match it["type"].as_str() {
            Some("clip") => Item::Clip {
                name: it["name"].as_str().unwrap_or_default().to_string(),
                reel: it["reel"].as_str().map(str::to_string),
                record_in: num(it, "record_in"),
                source_in: num(it, "source_in"),
                duration: num(it, "duration"),
                speed: it["speed"].as_f64(),
                cdl: it["cdl"].as_object().map(|c| {
                    let mut v = [0.0; 10];
                    for (i, k) in ["slope", "offset", "power"].iter().enumerate() {
                        for j in 0..3 {
                            v[i * 3 + j] = c[*k][j].as_f64().unwrap_or(f64::NAN);
                        }
                    }
                    v[9] = c["sat"].as_f64().unwrap_or(f64::NAN);
                    v
                }),
            },
            Some("transition") => Item::Transition {
                record_in: num(it, "record_in"),
                duration: num(it, "duration"),
            },
            _ => Item::Gap {
                record_in: num(it, "record_in"),
                duration: num(it, "duration"),
            },
        })
        .collect()
}

/// Differences, each `kind: detail`.
/// Clips and transitions are compared in order; gaps as a separate list, so
/// that a record shift on one side does not misalign every later clip.
fn compare(ours: &[Item], theirs: &[Item]) -> Vec<String> {
    let mut out = Vec::new();
    let is_gap = |i: &&Item| matches!(i, Item::Gap { .. });
    let (gaps_a, ours): (Vec<&Item>, Vec<&Item>) = ours.iter().partition(is_gap);
    let (gaps_b, theirs): (Vec<&Item>, Vec<&Item>) = theirs.iter().partition(is_gap);
    if ours.len() != theirs.len() {
        out.push(format!(
            "count: grade {} clips and transitions, OpenTimelineIO {}",
            ours.len(),
            theirs.len()
        ));
    }
    if gaps_a != gaps_b {
        out.push(format!(
            "gap: grade {} gaps, OpenTimelineIO {}; first of grade's not in OpenTimelineIO's: {:?}",
            gaps_a.len(),
            gaps_b.len(),
            gaps_a.iter().find(|g| !gaps_b.contains(g))
        ));
    }
    for (i, (a, b)) in ours.iter().copied().zip(theirs.iter().copied()).enumerate() {
        match (a, b) {
            (
                Item::Clip {
                    name,
                    reel,
                    record_in,
                    source_in,
                    duration,
                    speed,
                    cdl,
                },
                Item::Clip {
                    name: n2,
                    reel: r2,
                    record_in: ri2,
                    source_in: si2,
                    duration: d2,
                    speed: s2,
                    cdl: c2,
                },
            ) => {
                let mut d = |kind: &str, ok: bool, what: String| {
                    if !ok {
                        out.push(format!("{kind}: item {i} ({name}): {what}"));
                    }
                };
                d("name", name == n2, format!("{name:?} vs {n2:?}"));
                d("reel", reel == r2, format!("{reel:?} vs {r2:?}"));
                d(
                    "record_in",
                    record_in == ri2,
                    format!("{record_in} vs {ri2}"),
                );
                d(
                    "source_in",
                    source_in == si2,
                    format!("{source_in} vs {si2}"),
                );
                d("duration", duration == d2, format!("{duration} vs {d2}"));
                // Speeds: both sides compute speed / rate in f64.
                let same_speed = match (speed, s2) {
                    (Some(x), Some(y)) => (x - y).abs() < 1e-12,
                    (None, None) => true,
                    _ => false,
                };
                d("speed", same_speed, format!("{speed:?} vs {s2:?}"));
                // CDL values are decimal text parsed to f64 on both sides.
                d("cdl", cdl == c2, format!("{cdl:?} vs {c2:?}"));
            }
            (
                Item::Transition {
                    record_in,
                    duration,
                },
                Item::Transition {
                    record_in: r2,
                    duration: d2,
                },
            ) => {
                if (record_in, duration) != (r2, d2) {
                    out.push(format!(
                        "transition: item {i}: at {record_in} for {duration} vs at {r2} for {d2}"
                    ));
                }
            }
            _ => out.push(format!(
                "count: item {i}: grade {a:?} vs OpenTimelineIO {b:?}"
            )),
        }
    }
    out
}

#[test]
fn public_edls_match_opentimelineio() {
    let mut files = testutil::fixtures_with_ext("public", &["edl"]);
    assert!(
        files.len() >= 26,
        "public EDLs missing: found {}",
        files.len()
    );
    // grade's own fixtures (drop-frame, Latin-1, keys), except illegal/.
    files.extend(testutil::legal_fixtures_with_ext("edl", &["edl"]));
    let py = testutil::reference_python();
    let script = testutil::repo_root().join("scripts/reference/otio_edl.py");
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for path in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let rate = rate_for(path);
        // Every public EDL must parse (warnings allowed).
        let edl = match edl::parse(path, rate) {
            Ok(e) => e,
            Err(e) => {
                failures.push(format!("{name}: grade could not read it: {e}"));
                continue;
            }
        };
        let video = edl.events.iter().filter(|e| e.channels.video).count();
        let Some(py) = &py else {
            report.push(format!(
                "{name}: {} events ({video} video), {} warnings; OpenTimelineIO not run",
                edl.events.len(),
                edl.warnings.len()
            ));
            continue;
        };
        let out = Command::new(py)
            .arg(&script)
            .arg(path)
            .arg(format!("{}/{}", rate.numerator(), rate.denominator()))
            .output()
            .expect("run otio_edl.py");
        assert!(
            out.status.success(),
            "otio_edl.py failed on {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: Value = serde_json::from_slice(&out.stdout).expect("otio_edl.py JSON");
        let mut diffs = Vec::new();
        if let Some(err) = json["error"].as_str() {
            diffs.push(format!("otio-error: {err}"));
        }
        let empty = Value::Null;
        let v_track = json["tracks"]
            .as_array()
            .and_then(|t| t.iter().find(|t| t["name"] == "V"))
            .unwrap_or(&empty);
        let ours = our_items(&edl);
        let theirs = otio_items(v_track);
        diffs.extend(compare(&ours, &theirs));
        let kinds: BTreeSet<&str> = diffs.iter().filter_map(|d| d.split(':').next()).collect();
        let expected: BTreeSet<&str> = KNOWN_DIFFERENCES
            .iter()
            .find(|(f, _, _)| *f == name)
            .map(|(_, k, _)| k.iter().copied().collect())
            .unwrap_or_default();
        report.push(format!(
            "{name} @ {rate}: {} events ({video} video), {} video items vs OpenTimelineIO {}, {} warnings, {}",
            edl.events.len(),
            ours.len(),
            theirs.len(),
            edl.warnings.len(),
            if diffs.is_empty() { "identical".to_string() } else { format!("{} known differences ({})", diffs.len(), kinds.iter().copied().collect::<Vec<_>>().join(", ")) }
        ));
        if kinds != expected {
            failures.push(format!(
                "{name}: differences {kinds:?}, expected {expected:?}:\n  {}",
                diffs
                    .iter()
                    .filter(|d| !d.starts_with("record_in"))
                    .take(40)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n  ")
            ));
        }
    }
    eprintln!(
        "EDL comparison with OpenTimelineIO:\n  {}",
        report.join("\n  ")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

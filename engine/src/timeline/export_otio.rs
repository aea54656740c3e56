//! `grade conform --export-otio FILE.otio`: the resolved conform as an
//! OpenTimelineIO timeline whose clips point at the matched source media
//! (`ImageSequenceReference`s), so OTIO-aware players open the conformed
//! cut as grade will render it.
//!
//! One video track per timeline track of the plan, its events in record
//! order with gaps between; source times are file frame numbers at the
//! conform rate (`available_range` starts at the sequence's first frame and
//! `start_frame` is that frame, so OTIO's `frame_for_time` gives the file
//! frame back). A dissolve is a `SMPTE_Dissolve` transition before the
//! incoming clip, with its frames before the cut (`in_offset`) and after it
//! (`out_offset`); the clip before it plays on into its handle. Speed changes and freezes are
//! `LinearTimeWarp` / `FreezeFrame` effects; shot grades are
//! `metadata.cdl` as OpenTimelineIO's CMX3600 adapter writes it; reels are
//! `metadata.cmx_3600.reel`. Events with no media are clips with a
//! `MissingReference`.

use serde_json::{json, Value};

use crate::ops::Cdl;
use crate::timeline::conform::{ConformPlan, PlannedEvent, SideMatch};
use crate::timeline::job::reel_text;
use crate::timeline::model::TimeEffect;

fn time(value: i64, rate: f64) -> Value {
    json!({"OTIO_SCHEMA": "RationalTime.1", "value": value as f64, "rate": rate})
}

fn range(start: i64, duration: i64, rate: f64) -> Value {
    json!({
        "OTIO_SCHEMA": "TimeRange.1",
        "start_time": time(start, rate),
        "duration": time(duration, rate),
    })
}

/// The conform `plan` as OpenTimelineIO JSON; `grades[i]` is planned event
/// i's shot grade.
pub fn export(plan: &ConformPlan, title: Option<&str>, grades: &[Option<Cdl>]) -> String {
    let rate = plan.rate.fps();
    let n_tracks = plan.events.iter().map(|e| e.track + 1).max().unwrap_or(0);
    let tracks: Vec<Value> = (0..n_tracks)
        .map(|t| {
            let mut events: Vec<(usize, &PlannedEvent)> = plan
                .events
                .iter()
                .enumerate()
                .filter(|(_, e)| e.track == t)
                .collect();
            events.sort_by_key(|(i, e)| (e.record_in, *i));
            let mut children = Vec::new();
            let mut at = plan.record.start;
            for (i, e) in events {
                if e.record_in < at {
                    continue;
                }
                if e.record_in > at {
                    children.push(json!({
                        "OTIO_SCHEMA": "Gap.1",
                        "name": "",
                        "source_range": range(0, e.record_in - at, rate),
                    }));
                }
                if e.transition > 0 {
                    children.push(json!({
                        "OTIO_SCHEMA": "Transition.1",
                        "name": "",
                        "transition_type": "SMPTE_Dissolve",
                        "in_offset": time(e.lead, rate),
                        "out_offset": time(e.transition - e.lead, rate),
                    }));
                }
                children.push(clip(plan, e, grades.get(i).cloned().flatten(), rate));
                at = e.record_out;
            }
            json!({
                "OTIO_SCHEMA": "Track.1",
                "name": format!("V{}", t + 1),
                "kind": "Video",
                "children": children,
            })
        })
        .collect();
    let timeline = json!({
        "OTIO_SCHEMA": "Timeline.1",
        "name": title.unwrap_or("grade conform"),
        "global_start_time": time(plan.record.start, rate),
        "tracks": {
            "OTIO_SCHEMA": "Stack.1",
            "name": "tracks",
            "children": tracks,
        },
    });
    serde_json::to_string_pretty(&timeline).unwrap_or_default() + "\n"
}

/// One planned event as an OTIO clip.
fn clip(plan: &ConformPlan, e: &PlannedEvent, cdl: Option<Cdl>, rate: f64) -> Value {
    let c = &e.clip;
    let duration = e.record_out - e.record_in;
    let source = match &e.source {
        SideMatch::Matched { clip, .. } => plan.clips.get(*clip),
        _ => None,
    };
    let (media, start) = match source {
        Some(s) => {
            // The file frame the event's first record frame shows.
            let first = plan.file_frame(e, 0).unwrap_or(s.first_frame);
            let dir = s.pattern.dir.to_string_lossy().into_owned();
            let dir = if dir.is_empty() { ".".to_string() } else { dir };
            let reference = json!({
                "OTIO_SCHEMA": "ImageSequenceReference.1",
                "name": s.clip_name,
                "target_url_base": format!("{}/", dir.trim_end_matches('/')),
                "name_prefix": s.pattern.prefix,
                "name_suffix": s.pattern.suffix,
                "start_frame": s.first_frame,
                "frame_step": 1,
                "rate": rate,
                "frame_zero_padding": s.pattern.padding.unwrap_or(0),
                "missing_frame_policy": "error",
                "available_range": range(s.first_frame, s.last_frame - s.first_frame + 1, rate),
                "metadata": {},
            });
            (reference, first)
        }
        None => (
            json!({"OTIO_SCHEMA": "MissingReference.1", "name": c.name, "metadata": {}}),
            c.source_range.start,
        ),
    };
    // The clip's warps as one (offsets from nested compositions are in the
    // start frame already); a freeze holds that frame. OpenTimelineIO has
    // no variable speed: a remap is written as its average speed over the
    // clip, its keyframes kept in the clip's metadata (`grade.time_remap`).
    let mut remapped = None;
    let scalar: f64 = c
        .effects
        .iter()
        .map(|t| match t {
            TimeEffect::LinearTimeWarp { time_scalar } => *time_scalar,
            TimeEffect::Remap { keyframes } => {
                remapped = Some(keyframes.clone());
                let frames = c.source_range.duration.max(1);
                (c.source_frame(frames) - c.source_frame(0)) as f64 / frames as f64
            }
            _ => 1.0,
        })
        .product();
    let effects: Vec<Value> = if c.effects.contains(&TimeEffect::FreezeFrame) {
        vec![json!({
            "OTIO_SCHEMA": "FreezeFrame.1",
            "name": "",
            "effect_name": "FreezeFrame",
            "time_scalar": 0.0,
        })]
    } else if scalar != 1.0 {
        vec![json!({
            "OTIO_SCHEMA": "LinearTimeWarp.1",
            "name": "",
            "effect_name": "LinearTimeWarp",
            "time_scalar": scalar,
        })]
    } else {
        Vec::new()
    };
    let mut metadata = json!({"cmx_3600": {"reel": reel_text(c)}});
    if let Some(keys) = remapped {
        metadata["grade"] = json!({"time_remap": {
            "keyframes": keys,
            "written_as": "the average LinearTimeWarp over the clip",
        }});
    }
    if let Some(g) = cdl {
        metadata["cdl"] = json!({
            "asc_sop": {"slope": g.slope, "offset": g.offset, "power": g.power},
            "asc_sat": g.saturation,
        });
    }
    json!({
        "OTIO_SCHEMA": "Clip.2",
        "name": c.name,
        "source_range": range(start, duration, rate),
        "effects": effects,
        "markers": [],
        "enabled": true,
        "media_references": {"DEFAULT_MEDIA": media},
        "active_media_reference_key": "DEFAULT_MEDIA",
        "metadata": metadata,
    })
}

//! `grade conform --trace FILE.json`: for every record frame of the run,
//! the layers it is made of (source file and file frame, weight, program),
//! one JSON object per frame in record order, so two runs can be diffed
//! line by line. With `--composite over` a frame lists every track's
//! layers, bottom to top, each naming its track.

use std::path::PathBuf;

use serde::Serialize;

use crate::timeline::conform::{Composite, ConformPlan, Picture};

/// One record frame.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceFrame {
    pub record_frame: i64,
    pub timecode: String,
    /// The event that owns the frame, as the timeline numbers it.
    pub event: Option<String>,
    /// The track of that event, `V1` at the bottom.
    pub track: Option<String>,
    /// `top` (the top-most event alone) or `over` (every track's layers,
    /// bottom to top, each alpha-over those before it).
    pub composite: &'static str,
    pub layers: Vec<TraceLayer>,
}

/// One picture mixed into a record frame.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceLayer {
    /// `source`, `black`, or `unavailable` (missing media: black with
    /// `--allow-missing`, else the frame fails).
    pub kind: &'static str,
    pub clip: Option<String>,
    pub file: Option<PathBuf>,
    pub file_frame: Option<i64>,
    pub weight: f32,
    /// The program that grades it: 0 for the show-wide steps alone, 1 + i
    /// for planned event i.
    pub program: usize,
    /// The track of the event it belongs to.
    pub track: Option<String>,
}

/// The trace of record frames `selected` of `plan`, its tracks made into
/// a picture as `composite` says.
pub fn trace(plan: &ConformPlan, selected: &[i64], composite: Composite) -> Vec<TraceFrame> {
    let track = |e: usize| plan.events.get(e).map(|e| format!("V{}", e.track + 1));
    selected
        .iter()
        .map(|&f| {
            let ev = plan.event_at(f);
            let event = ev.and_then(|e| plan.events.get(e));
            let tracks = match composite {
                Composite::Over if ev.is_some() => plan.stack(f),
                _ => vec![(ev.unwrap_or(usize::MAX), plan.layers(f))],
            };
            TraceFrame {
                record_frame: f,
                timecode: plan.rate.to_timecode(f).to_string(),
                event: event.map(|e| e.number.clone()),
                track: event.map(|e| format!("V{}", e.track + 1)),
                composite: composite.name(),
                layers: tracks
                    .into_iter()
                    .flat_map(|(e, layers)| {
                        layers
                            .into_iter()
                            .map(move |(p, program, weight)| TraceLayer {
                                track: track(e),
                                ..layer(plan, p, program, weight)
                            })
                    })
                    .collect(),
            }
        })
        .collect()
}

fn layer(plan: &ConformPlan, p: Option<Picture>, program: usize, weight: f32) -> TraceLayer {
    let empty = |kind| TraceLayer {
        kind,
        clip: None,
        file: None,
        file_frame: None,
        weight,
        program,
        track: None,
    };
    match p {
        None => empty("unavailable"),
        Some(Picture::Black) => empty("black"),
        Some(Picture::Source { clip, file_frame }) => {
            let c = plan.clips.get(clip);
            TraceLayer {
                kind: "source",
                clip: c.map(|c| c.clip_name.clone()),
                file: c.map(|c| c.path(file_frame)),
                file_frame: Some(file_frame),
                weight,
                program,
                track: None,
            }
        }
    }
}

/// The trace as text: a JSON array with one frame per line.
pub fn to_json_lines(frames: &[TraceFrame]) -> String {
    let mut out = String::from("[\n");
    for (i, f) in frames.iter().enumerate() {
        out += &serde_json::to_string(f).unwrap_or_default();
        out += if i + 1 < frames.len() { ",\n" } else { "\n" };
    }
    out + "]\n"
}

//! The conform report: what every event matched, how its source was
//! reformatted into the master format, and which grade it carries.
//!
//! [`ConformReport::build`] turns a [`ConformPlan`] into plain, typed data
//! that serialises to the JSON of `grade conform --report` and prints as the
//! terminal table ([`ConformReport::table`]). Building it reads no pixels.

use std::path::PathBuf;

use serde::Serialize;

use crate::io::sequence::Pattern;
use crate::reformat::{PlanSummary, Reformat, SourceGeometry};
use crate::timeline::conform::{
    Composite, ConformPlan, Picture, RecordFrame, SideMatch, SourceClip,
};
use crate::timeline::job::{placed_reformat, reel_text};
use crate::timeline::model::{Marker, TimeEffect};
use crate::timeline::rates::rate_mismatch;

/// A frame size and pixel aspect, as a report shows it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FormatReport {
    pub width: u32,
    pub height: u32,
    pub pixel_aspect: f64,
}

impl FormatReport {
    pub fn of_clip(c: &SourceClip) -> FormatReport {
        FormatReport {
            width: c.width,
            height: c.height,
            pixel_aspect: c.pixel_aspect,
        }
    }
}

impl std::fmt::Display for FormatReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}x{}", self.width, self.height)?;
        if self.pixel_aspect != 1.0 {
            write!(f, ":{}", self.pixel_aspect)?;
        }
        Ok(())
    }
}

/// Where an event stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Missing,
    Ambiguous,
    Unsupported,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Missing => "missing",
            Status::Ambiguous => "ambiguous",
            Status::Unsupported => "unsupported",
        }
    }
}

/// One video event of the timeline (a clip), as conformed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventReport {
    pub event: String,
    pub line: usize,
    /// The track it lies on, `V1` at the bottom.
    pub track: String,
    pub edit: String,
    pub reel: String,
    pub clip_name: String,
    pub record_in: String,
    pub record_out: String,
    pub record_frames: [i64; 2],
    pub source_in: String,
    pub source_out: String,
    pub speed: Option<f64>,
    pub freeze: bool,
    /// The clip's time effects in words (`speed 2x`, `reverse`, `freeze`).
    pub time_effect: Option<String>,
    pub transition_frames: i64,
    pub status: Status,
    #[serde(rename = "match")]
    pub match_rule: Option<String>,
    pub source_clip: Option<String>,
    pub source_pattern: Option<String>,
    pub source_frames: Option<[i64; 2]>,
    pub handles: Option<[i64; 2]>,
    /// The source's frame size and pixel aspect.
    pub source_format: Option<FormatReport>,
    /// How the source is fitted into the master format; `None` where it
    /// already has the master's size and pixel aspect (pixels pass through).
    pub reformat: Option<PlanSummary>,
    pub grade: Option<String>,
    pub detail: String,
    pub thumbnail_source: Option<PathBuf>,
    pub thumbnail_master: Option<PathBuf>,
    /// What the conform noticed about this event's media, e.g. a source
    /// whose header rate differs from the conform rate.
    pub warnings: Vec<String>,
}

/// Events counted by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Totals {
    pub events: usize,
    pub ok: usize,
    pub missing: usize,
    pub ambiguous: usize,
    pub unsupported: usize,
    /// Events whose source is reformatted into the master format.
    pub reformatted: usize,
    pub frames: i64,
}

/// A marker of the timeline (record frame) or of a clip (source frame).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarkerReport {
    pub frame: i64,
    pub name: String,
    pub color: String,
    /// The event the marker belongs to; `None` for a timeline marker.
    pub event: Option<String>,
}

/// The timeline file a report describes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TimelineInfo {
    pub path: PathBuf,
    /// `cmx3600`, `otio` or `fcp7`.
    pub format: &'static str,
    pub title: Option<String>,
    /// The reader's warnings.
    pub warnings: Vec<WarningReport>,
    /// Timeline markers.
    pub markers: Vec<Marker>,
}

/// A warning from the timeline reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WarningReport {
    pub line: Option<usize>,
    pub message: String,
}

/// A file or folder under `--media` that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnreadableReport {
    pub path: PathBuf,
    pub error: String,
}

/// The whole conform, as `--report` writes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConformReport {
    pub timeline: PathBuf,
    /// `cmx3600`, `otio` or `fcp7`.
    pub timeline_format: &'static str,
    pub title: Option<String>,
    pub rate: String,
    pub record_in: String,
    pub record_out: String,
    pub record_frames: [i64; 2],
    pub clips_indexed: usize,
    /// The master's frame size and pixel aspect.
    pub master_format: Option<FormatReport>,
    /// How the tracks of a frame make its picture: `top` or `over`.
    pub composite: &'static str,
    pub events: Vec<EventReport>,
    pub totals: Totals,
    pub warnings: Vec<WarningReport>,
    /// Timeline and clip markers.
    pub markers: Vec<MarkerReport>,
    /// Media the index left out because it could not be read.
    pub unreadable_media: Vec<UnreadableReport>,
}

/// What the report needs besides the timeline and the plan.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportInputs<'a> {
    /// Per planned event, where its grade came from.
    pub grades: &'a [String],
    /// The master's frame pattern, for thumbnail paths.
    pub output: Option<&'a Pattern>,
    /// Added to record frame numbers to give master frame numbers.
    pub shift: i64,
    /// The master format and how sources are fitted into it.
    pub master: Option<&'a Reformat>,
    /// `--composite`.
    pub composite: Composite,
}

impl ConformReport {
    /// Builds the report of `plan`, made from the timeline `info` describes.
    pub fn build(
        info: &TimelineInfo,
        plan: &ConformPlan,
        inputs: &ReportInputs<'_>,
    ) -> ConformReport {
        let rate = plan.rate;
        let tc = |f: i64| rate.to_timecode(f).to_string();
        let mut totals = Totals {
            events: plan.events.len(),
            frames: plan.record.end - plan.record.start,
            ..Default::default()
        };
        let mut events = Vec::new();
        for (i, e) in plan.events.iter().enumerate() {
            let c = &e.clip;
            let (mut status, rule, clip, handles) = match (&e.unsupported, &e.source) {
                (Some(_), _) => (Status::Unsupported, None, None, None),
                (
                    None,
                    SideMatch::Matched {
                        clip,
                        rule,
                        handles,
                    },
                ) => (
                    Status::Ok,
                    Some(rule.to_string()),
                    plan.clips.get(*clip),
                    Some([handles.before, handles.after]),
                ),
                (None, SideMatch::Black) => (Status::Ok, Some("black".into()), None, None),
                (None, SideMatch::Missing { .. }) => (Status::Missing, None, None, None),
                (None, SideMatch::Ambiguous { .. }) => (Status::Ambiguous, None, None, None),
                (None, SideMatch::Unsupported { .. }) => (Status::Unsupported, None, None, None),
            };
            if status == Status::Ok && e.from.as_ref().is_some_and(|f| !f.is_renderable()) {
                status = Status::Missing;
            }
            match status {
                Status::Ok => totals.ok += 1,
                Status::Missing => totals.missing += 1,
                Status::Ambiguous => totals.ambiguous += 1,
                Status::Unsupported => totals.unsupported += 1,
            }
            // As the layer is reformatted: placed where the timeline says.
            let reformat = clip.and_then(|sc| {
                let r = placed_reformat(inputs.master?, sc, c.reposition.as_ref())?;
                let plan = r.plan(SourceGeometry::of_clip(sc)).ok()?;
                (!plan.is_identity()).then(|| plan.summary())
            });
            if reformat.is_some() {
                totals.reformatted += 1;
            }
            let mid = (e.record_in + e.record_out - 1) / 2;
            let thumbnail_source = match plan.frame(mid) {
                RecordFrame::Source { clip, file_frame }
                | RecordFrame::Dissolve {
                    b: Picture::Source { clip, file_frame },
                    ..
                } => plan.clips.get(clip).map(|c| c.path(file_frame)),
                _ => None,
            };
            let warnings: Vec<String> = c
                .warnings
                .iter()
                .cloned()
                .chain(
                    std::iter::once(&e.source)
                        .chain(e.from.as_ref())
                        .filter_map(|m| match m {
                            SideMatch::Matched { clip, .. } => plan.clips.get(*clip),
                            _ => None,
                        })
                        .filter_map(|c| rate_mismatch(c, rate)),
                )
                .collect();
            let [source_in, source_out] =
                c.origin.written().source_text.clone().unwrap_or_else(|| {
                    let (a, b) = (c.source_frame(0), c.source_frame(c.source_range.duration));
                    [tc(a), tc(b)]
                });
            let freeze = c.effects.contains(&TimeEffect::FreezeFrame);
            // The clip's speed: its warps and those of compositions above it.
            let scalar = c
                .effects
                .iter()
                .filter_map(|t| match t {
                    TimeEffect::LinearTimeWarp { time_scalar } => Some(*time_scalar),
                    _ => None,
                })
                .reduce(|a, b| a * b);
            events.push(EventReport {
                event: e.number.clone(),
                line: e.line,
                track: format!("V{}", e.track + 1),
                edit: c.origin.written().edit.clone().unwrap_or_else(|| {
                    if e.transition > 0 { "Dissolve" } else { "Cut" }.to_string()
                }),
                reel: reel_text(c),
                clip_name: c.name.clone(),
                record_in: tc(e.record_in),
                record_out: tc(e.record_out),
                record_frames: [e.record_in, e.record_out],
                source_in,
                source_out,
                // Source frames per second, as an EDL's M2 line writes it.
                speed: scalar.map(|k| (k * rate.fps() * 1e6).round() / 1e6),
                freeze,
                time_effect: c
                    .effects
                    .iter()
                    .find_map(|t| match t {
                        TimeEffect::Remap { keyframes } => {
                            Some(format!("remap ({} keyframes)", keyframes.len()))
                        }
                        _ => None,
                    })
                    .or_else(|| time_effect_text(scalar, freeze)),
                transition_frames: e.transition,
                status,
                match_rule: rule,
                source_clip: clip.map(|c| c.clip_name.clone()),
                source_pattern: clip.map(|c| c.pattern.to_string()),
                source_frames: clip.map(|c| [c.first_frame, c.last_frame]),
                handles,
                source_format: clip.map(FormatReport::of_clip),
                reformat,
                grade: inputs.grades.get(i).cloned(),
                detail: plan.describe(i),
                thumbnail_source,
                thumbnail_master: inputs.output.map(|o| o.path(mid + inputs.shift)),
                warnings,
            });
        }
        let markers = info
            .markers
            .iter()
            .map(|m| MarkerReport {
                frame: m.frame,
                name: m.name.clone(),
                color: m.color.clone(),
                event: None,
            })
            .chain(plan.events.iter().flat_map(|e| {
                e.clip.markers.iter().map(|m| MarkerReport {
                    frame: m.frame,
                    name: m.name.clone(),
                    color: m.color.clone(),
                    event: Some(e.number.clone()),
                })
            }))
            .collect();
        ConformReport {
            timeline: info.path.clone(),
            timeline_format: info.format,
            title: info.title.clone(),
            rate: rate.to_string(),
            record_in: tc(plan.record.start),
            record_out: tc(plan.record.end),
            record_frames: [plan.record.start, plan.record.end],
            clips_indexed: plan.clips.len(),
            composite: inputs.composite.name(),
            master_format: inputs.master.map(|r| FormatReport {
                width: r.format.width,
                height: r.format.height,
                pixel_aspect: r.format.par,
            }),
            totals,
            warnings: info
                .warnings
                .iter()
                .cloned()
                .chain(events.iter().flat_map(|e| {
                    e.warnings.iter().map(|w| WarningReport {
                        line: Some(e.line),
                        message: format!("event {}: {w}", e.event),
                    })
                }))
                .collect(),
            markers,
            unreadable_media: plan
                .unreadable
                .iter()
                .map(|u| UnreadableReport {
                    path: u.path.clone(),
                    error: u.error.clone(),
                })
                .collect(),
            events,
        }
    }

    /// The per-event table the terminal shows, one line per event after a
    /// header line.
    pub fn table(&self) -> String {
        let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
        let mut out = format!(
            "{:<6} {:<11} {:<11} {:<20} {:<10} {:<24} {:<10} {:<18} {:<24} source\n",
            "event", "rec in", "rec out", "clip", "status", "match", "handles", "grade", "format"
        );
        for e in &self.events {
            let handles = e
                .handles
                .map_or_else(|| "-".into(), |h| format!("{}/{}", h[0], h[1]));
            let format = match (&e.source_format, &e.reformat) {
                (Some(f), Some(r)) if r.scale_x == r.scale_y => {
                    format!("{f} {} x{:.4}", r.resize, r.scale_x)
                }
                // Anamorphic: the horizontal scale, then the vertical.
                (Some(f), Some(r)) => {
                    format!("{f} {} x{:.3},{:.3}", r.resize, r.scale_x, r.scale_y)
                }
                (Some(f), None) => f.to_string(),
                (None, _) => "-".into(),
            };
            out += &format!(
                "{:<6} {:<11} {:<11} {:<20} {:<10} {:<24} {:<10} {:<18} {:<24} {}\n",
                e.event,
                e.record_in,
                e.record_out,
                cut(&e.clip_name, 20),
                e.status.name(),
                cut(e.match_rule.as_deref().unwrap_or("-"), 24),
                handles,
                cut(e.grade.as_deref().unwrap_or("-"), 18),
                cut(&format, 24),
                e.source_pattern.as_deref().unwrap_or("-"),
            );
        }
        for u in &self.unreadable_media {
            out += &format!("unreadable {}: {}\n", u.path.display(), u.error);
        }
        out
    }

    /// The one-line summary printed after the table.
    pub fn summary_line(&self) -> String {
        let t = &self.totals;
        let mut s = format!(
            "conform: {} events: {} ok, {} missing, {} ambiguous, {} unsupported; {} record frames {}-{}",
            t.events, t.ok, t.missing, t.ambiguous, t.unsupported, t.frames, self.record_in, self.record_out
        );
        if let Some(m) = &self.master_format {
            s += &format!("; master {m}");
            if t.reformatted > 0 {
                s += &format!(", {} event(s) reformatted", t.reformatted);
            }
        }
        s
    }
}

/// A clip's time effects in words for the report.
fn time_effect_text(scalar: Option<f64>, freeze: bool) -> Option<String> {
    match (scalar, freeze) {
        (_, true) => Some("freeze".into()),
        (Some(-1.0), false) => Some("reverse".into()),
        (Some(k), false) if k < 0.0 => Some(format!("reverse {}x", -k)),
        (Some(k), false) => Some(format!("speed {k}x")),
        (None, false) => None,
    }
}

//! Conform planning: which source media each EDL event uses, and what every
//! record frame shows.
//!
//! Planning works on the format-neutral [`model::Timeline`] ([`plan`] reads
//! an EDL through [`model::from_edl`]; [`plan_timeline`] takes any
//! timeline): one planned event per clip, its outgoing side the clip before
//! a transition.
//!
//! The media index ([`MediaIndex`], in `media.rs`) is plain data: one [`SourceClip`] per
//! frame sequence, with its reel, clip name, start timecode and file frame
//! numbers. [`MediaIndex::scan`] builds it from folders on disk; tests build
//! it in memory. Planning ([`plan`]) does no pixel I/O.
//!
//! Matching an event side to media, in order (the first rule that finds
//! anything decides):
//! 1. names from the EDL, after the `--proxy-map` rules: the reel, then the
//!    clip name, the source file and the `FROM CLIP`/`FROM FILE` path (file
//!    name without extension);
//! 2. for each, exact, then case-insensitive, then (reels only) the first 8
//!    characters, as tape-era EDLs truncate reel names;
//! 3. among clips so named, those whose timecode contains every source frame
//!    the event shows; with several, those that also have the requested
//!    handles; still several is [`SideMatch::Ambiguous`];
//! 4. when no name matches any clip, timecode containment alone.
//!
//! Nothing is guessed silently: every event gets a [`SideMatch`] saying which
//! rule matched or why nothing did.
//!
//! The record timeline is a list of segments, one per event, built once;
//! [`ConformPlan::frames`] walks any record range lazily, so a chunked render
//! plans only its chunk.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use crate::timeline::edl::Edl;
use crate::timeline::model::{self, Clip, Item, TimeEffect};
use crate::timeline::references::{self, Reference, Shown};
use crate::timeline::timecode::Rate;

pub use super::media::{
    Compare, Handles, MatchKey, MatchOptions, MatchRule, MediaIndex, ProxyMap, ScanOptions,
    SideMatch, SourceClip, Unreadable,
};

/// One source picture: a file frame of a clip, or black.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picture {
    Black,
    Source { clip: usize, file_frame: i64 },
}

/// What one record frame shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RecordFrame {
    /// No event here, or a `BL` event.
    Black,
    Source {
        clip: usize,
        file_frame: i64,
    },
    /// `b` mixed over `a`: `weight` is b's share, rising through the
    /// transition as (k + 0.5) / duration, so a 10-frame dissolve shows
    /// 5%, 15%, ... 95% of the incoming picture.
    Dissolve {
        a: Picture,
        b: Picture,
        weight: f32,
    },
    /// Event `event` (index into [`ConformPlan::events`]) could not be
    /// matched or is unsupported; the render decides (fail or fill).
    Unavailable {
        event: usize,
    },
}

/// One video event, matched.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedEvent {
    /// Index into the EDL's events.
    pub edl_index: usize,
    pub number: String,
    pub line: usize,
    pub record_in: i64,
    pub record_out: i64,
    pub source: SideMatch,
    /// The outgoing side of a dissolve or wipe; `None` for a cut (and for a
    /// dissolve with no from line, which dissolves from black).
    pub from: Option<SideMatch>,
    /// Frames over which the event mixes in (0 for a cut), `lead` of them
    /// before its record in.
    pub transition: i64,
    /// Frames of the transition before the cut (a transition's
    /// `in_offset`): the event starts that early, its clip shown from
    /// before its source in, over the end of the outgoing clip.
    pub lead: i64,
    /// Why the event will not render as planned, if it will not.
    pub unsupported: Option<String>,
    /// The timeline track it lies on (0 at the bottom): a higher track
    /// wins where events overlap.
    pub track: usize,
    /// The timeline's clip this event plays (names, grade, time effects).
    pub clip: Clip,
    /// The outgoing clip of the transition into this event, if any.
    pub from_clip: Option<Clip>,
}

impl PlannedEvent {
    /// Whether every frame of this event can be rendered.
    pub fn is_renderable(&self) -> bool {
        self.unsupported.is_none()
            && self.source.is_renderable()
            && self.from.as_ref().is_none_or(SideMatch::is_renderable)
    }
}

/// A record range owned by one event (events on higher tracks win overlaps).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Segment {
    start: i64,
    end: i64,
    event: usize,
    /// The event on each track that covers the range, bottom to top (the
    /// last is `event`): what `--composite over` stacks.
    stack: Vec<usize>,
}

/// How the tracks of a record frame make its picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Composite {
    /// The top-most clip wins: sources are opaque, a clip smaller than the
    /// frame shows black around it.
    #[default]
    Top,
    /// Each track alpha-over the tracks below it, with its source's alpha;
    /// outside a clip's placed picture the track is transparent.
    Over,
}

impl Composite {
    /// The name the report, the trace and `--composite` use.
    pub fn name(self) -> &'static str {
        match self {
            Composite::Top => "top",
            Composite::Over => "over",
        }
    }
}

/// The pictures of one record frame on one track, each with its program
/// and weight (see [`ConformPlan::layers`]).
pub type TrackLayers = Vec<(Option<Picture>, usize, f32)>;

/// The record timeline: every video event matched, and what each record
/// frame shows.
#[derive(Debug, Clone)]
pub struct ConformPlan {
    pub rate: Rate,
    /// First and one-past-last record frame of the video events.
    pub record: Range<i64>,
    pub events: Vec<PlannedEvent>,
    /// The media index's clips; `clip` numbers in matches index this.
    pub clips: Vec<SourceClip>,
    /// Media under `--media` the index left out because it could not be
    /// read; events that need it are missing.
    pub unreadable: Vec<Unreadable>,
    /// Clips the timeline names by path (after the index's clips), with how
    /// their source frames map to file frames.
    pub references: HashMap<usize, Reference>,
    segments: Vec<Segment>,
}

/// The plan's clips while planning: the index's, then each sequence the
/// timeline names by path, read once.
struct References {
    clips: Vec<SourceClip>,
    mapping: HashMap<usize, Reference>,
    read: HashMap<model::SequenceRef, Result<usize, String>>,
    rate: Rate,
}

impl References {
    fn new(clips: Vec<SourceClip>, rate: Rate) -> References {
        References {
            clips,
            mapping: HashMap::new(),
            read: HashMap::new(),
            rate,
        }
    }

    /// `clip`, showing `frames` record frames of the sequence `seq` names.
    fn match_clip(&mut self, seq: &model::SequenceRef, clip: &Clip, frames: i64) -> SideMatch {
        if !self.read.contains_key(seq) {
            let found = references::resolve(seq, self.rate).map(|(c, r)| {
                self.clips.push(c);
                self.mapping.insert(self.clips.len() - 1, r);
                self.clips.len() - 1
            });
            self.read.insert(seq.clone(), found);
        }
        let i = match &self.read[seq] {
            Ok(i) => *i,
            Err(why) => return SideMatch::Missing { why: why.clone() },
        };
        let (c, r) = (&self.clips[i], &self.mapping[&i]);
        let (a, b) = (clip.source_frame(0), clip.source_frame(frames.max(1) - 1));
        let (lo, hi) = (a.min(b), a.max(b));
        if let Some(why) = r.check(c, lo, hi) {
            return SideMatch::Missing { why };
        }
        let (first, last) = (r.file_frame(lo), r.file_frame(hi));
        SideMatch::Matched {
            clip: i,
            rule: MatchRule::Reference,
            handles: Handles {
                before: ((first - c.first_frame) / r.frame_step).max(0),
                after: ((c.last_frame - last) / r.frame_step).max(0),
            },
        }
    }
}

/// Matches every video event of `edl` against `index` and builds the record
/// timeline, through the EDL's [`model::Timeline`]. Audio-only events are
/// left out.
pub fn plan(edl: &Edl, index: &MediaIndex, opts: &MatchOptions) -> ConformPlan {
    plan_timeline(&model::from_edl(edl), edl.rate, index, opts)
}

/// Matches every clip of `timeline` (read at `rate`) against `index` and
/// builds the record timeline. Events come in the order of the file they
/// were read from (`Origin::event`), else track by track.
pub fn plan_timeline(
    timeline: &model::Timeline,
    rate: Rate,
    index: &MediaIndex,
    opts: &MatchOptions,
) -> ConformPlan {
    let mut references = References::new(index.clips().to_vec(), rate);
    let mut side = |clip: &Clip, frames: i64| match &clip.media {
        model::Media::Sequence(seq) => references.match_clip(seq, clip, frames),
        _ => index.match_clip(clip, frames, rate, opts),
    };
    let mut events = Vec::new();
    for (t, track) in timeline.tracks.iter().enumerate() {
        let mut at = timeline.global_start;
        for (i, item) in track.items.iter().enumerate() {
            let start = at;
            at += item.duration();
            let Item::Clip(clip) = item else { continue };
            if clip.source_range.duration <= 0 || !clip.enabled {
                continue;
            }
            // The outgoing side of a transition just before this clip.
            let mix = i
                .checked_sub(1)
                .and_then(|p| match &track.items[p] {
                    Item::Transition(tr) => Some((p, tr)),
                    _ => None,
                })
                .map(|(p, tr)| {
                    let from = p.checked_sub(1).and_then(|q| match &track.items[q] {
                        Item::Clip(c) if c.enabled => Some((**c).clone()),
                        _ => None,
                    });
                    let lead = tr.in_offset.max(0);
                    let out = tr.out_offset.clamp(0, clip.source_range.duration);
                    (lead, lead + out, from)
                });
            let (lead, transition, from_clip) = mix.unwrap_or((0, 0, None));
            // The outgoing clip plays on past its end: frame j of the mix
            // shows its frame `duration - lead + j`.
            let from_clip = from_clip.filter(|_| transition > 0).map(|mut f| {
                let frames = f.source_range.duration - lead;
                f.effects.insert(0, TimeEffect::Offset { frames });
                f
            });
            let frames = clip.source_range.duration;
            // The incoming clip, as the event shows it from `lead` frames
            // before its record in.
            let mut early = (**clip).clone();
            early
                .effects
                .insert(0, TimeEffect::Offset { frames: -lead });
            events.push(PlannedEvent {
                edl_index: clip.origin.event.unwrap_or(events.len()),
                number: clip.origin.id.clone(),
                line: clip.origin.line.unwrap_or(0),
                record_in: start,
                record_out: start + frames,
                source: side(&early, frames + lead),
                from: from_clip.as_ref().map(|f| side(f, transition)),
                transition,
                lead,
                unsupported: clip.unsupported.clone(),
                track: t,
                clip: (**clip).clone(),
                from_clip,
            });
        }
    }
    events.sort_by_key(|e| e.edl_index);
    let segments = segments(&events);
    let record = match (segments.first(), segments.last()) {
        (Some(a), Some(b)) => a.start..b.end,
        _ => 0..0,
    };
    ConformPlan {
        rate,
        record,
        events,
        clips: references.clips,
        references: references.mapping,
        unreadable: index.unreadable().to_vec(),
        segments,
    }
}

/// Paints events onto the record (an event on a higher track wins where
/// two overlap; on one track, the later) and returns the painted,
/// non-overlapping segments.
fn segments(events: &[PlannedEvent]) -> Vec<Segment> {
    // Sweep over boundaries with the set of events covering each span;
    // the highest (track, index) owns it.
    let mut bounds: Vec<(i64, bool, usize)> = Vec::with_capacity(events.len() * 2);
    for (i, e) in events.iter().enumerate() {
        if e.record_out > e.record_in {
            bounds.push((e.record_in - e.lead, true, i));
            bounds.push((e.record_out, false, i));
        }
    }
    bounds.sort_unstable_by_key(|&(t, start, i)| (t, start, i));
    // The highest (track, index) of each track covers it.
    let stack = |active: &BTreeSet<(usize, usize)>| {
        let mut s: Vec<(usize, usize)> = Vec::new();
        for &(track, i) in active {
            match s.last_mut() {
                Some(top) if top.0 == track => top.1 = i,
                _ => s.push((track, i)),
            }
        }
        s.into_iter().map(|(_, i)| i).collect::<Vec<usize>>()
    };
    let mut active: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut out: Vec<Segment> = Vec::new();
    let mut k = 0;
    while k < bounds.len() {
        let t = bounds[k].0;
        while k < bounds.len() && bounds[k].0 == t {
            let (_, start, i) = bounds[k];
            let key = (events[i].track, i);
            if start {
                active.insert(key);
            } else {
                active.remove(&key);
            }
            k += 1;
        }
        let (Some(&(_, owner)), Some(&(next, _, _))) = (active.last(), bounds.get(k)) else {
            continue;
        };
        let stack = stack(&active);
        match out.last_mut() {
            Some(s) if s.event == owner && s.end == t && s.stack == stack => s.end = next,
            _ => out.push(Segment {
                start: t,
                end: next,
                event: owner,
                stack,
            }),
        }
    }
    out
}

impl ConformPlan {
    /// One line per event for the conform report, e.g.
    /// `event 012 (line 17): A001C003 /scans/A001C003.%07d.dpx by reel, handles 10/12`.
    pub fn describe(&self, event: usize) -> String {
        let Some(e) = self.events.get(event) else {
            return String::new();
        };
        let side = |m: &SideMatch| match m {
            SideMatch::Matched {
                clip,
                rule,
                handles,
            } => match self.clips.get(*clip) {
                Some(c) => format!(
                    "{} {} by {rule}, handles {}/{}",
                    c.clip_name, c.pattern, handles.before, handles.after
                ),
                None => format!("clip {clip} by {rule}"),
            },
            SideMatch::Black => "black".to_string(),
            SideMatch::Missing { why } => format!("MISSING: {why}"),
            SideMatch::Ambiguous { candidates } => {
                let names: Vec<String> = candidates
                    .iter()
                    .filter_map(|&i| self.clips.get(i))
                    .map(|c| c.pattern.to_string())
                    .collect();
                format!("AMBIGUOUS: {}", names.join(", "))
            }
            SideMatch::Unsupported { why } => format!("UNSUPPORTED: {why}"),
        };
        // OpenTimelineIO has no lines: its events are named by clip and track.
        let at = match e.line {
            0 => format!("clip \"{}\" on V{}", e.clip.name, e.track + 1),
            n => format!("line {n}"),
        };
        let mut out = format!("event {} ({at}): {}", e.number, side(&e.source));
        if let Some(f) = &e.from {
            out.push_str(&format!("; from {}", side(f)));
        }
        if let Some(u) = &e.unsupported {
            out.push_str(&format!("; UNSUPPORTED: {u}"));
        }
        out
    }

    /// Events that will not render as planned.
    pub fn problems(&self) -> impl Iterator<Item = &PlannedEvent> + '_ {
        self.events.iter().filter(|e| !e.is_renderable())
    }

    fn picture(&self, m: &SideMatch, side: &Clip, k: i64) -> Option<Picture> {
        match m {
            SideMatch::Black => Some(Picture::Black),
            SideMatch::Matched { clip, .. } => {
                let tc = side.source_frame(k);
                if let Some(r) = self.references.get(clip) {
                    return match r.shown(&self.clips[*clip], r.file_frame(tc)) {
                        Shown::File(f) => Some(Picture::Source {
                            clip: *clip,
                            file_frame: f,
                        }),
                        Shown::Black => Some(Picture::Black),
                        Shown::Missing => None,
                    };
                }
                Some(Picture::Source {
                    clip: *clip,
                    file_frame: self.clip_file_frame(*clip, tc),
                })
            }
            _ => None,
        }
    }

    fn clip_file_frame(&self, clip: usize, tc: i64) -> i64 {
        self.clips
            .get(clip)
            .map_or(tc, |c| c.file_frame(tc, self.rate))
    }

    /// The event that owns record frame `frame` (the top-most where
    /// events overlap), if any.
    pub fn event_at(&self, frame: i64) -> Option<usize> {
        let i = self.segments.partition_point(|s| s.end <= frame);
        self.segments
            .get(i)
            .filter(|s| s.start <= frame)
            .map(|s| s.event)
    }

    /// The event playing the outgoing side of `event`'s transition: the
    /// one on its track that ends where it starts.
    pub fn outgoing_event(&self, event: usize) -> Option<usize> {
        let e = self.events.get(event)?;
        self.events
            .iter()
            .position(|o| o.track == e.track && o.record_out == e.record_in)
    }

    /// The pictures record frame `frame` mixes, each with the program that
    /// grades it (0 for the show-wide steps alone, 1 + i for event i) and
    /// its weight; `None` where the picture is unavailable (rendered black,
    /// or failed, by the caller).
    pub fn layers(&self, frame: i64) -> TrackLayers {
        self.event_layers(self.event_at(frame), frame)
    }

    /// What `--composite over` stacks at record frame `frame`: for each
    /// track with an event there, bottom to top, the event and its
    /// [`ConformPlan::layers`]. Empty outside every event.
    pub fn stack(&self, frame: i64) -> Vec<(usize, TrackLayers)> {
        let i = self.segments.partition_point(|s| s.end <= frame);
        let Some(s) = self.segments.get(i).filter(|s| s.start <= frame) else {
            return Vec::new();
        };
        s.stack
            .iter()
            .map(|&e| (e, self.event_layers(Some(e), frame)))
            .collect()
    }

    /// The pictures event `ev` (none: black) shows at record frame `frame`.
    fn event_layers(&self, ev: Option<usize>, frame: i64) -> TrackLayers {
        let program = ev.map_or(0, |e| e + 1);
        let shown = ev.map_or(RecordFrame::Black, |e| self.event_frame(e, frame));
        match shown {
            RecordFrame::Black => vec![(Some(Picture::Black), program, 1.0)],
            RecordFrame::Unavailable { .. } => vec![(None, program, 1.0)],
            RecordFrame::Source { clip, file_frame } => {
                vec![(Some(Picture::Source { clip, file_frame }), program, 1.0)]
            }
            RecordFrame::Dissolve { a, b, weight } => {
                // The outgoing side keeps the grade of the event it came from.
                let a_program = ev.and_then(|e| self.outgoing_event(e)).map_or(0, |o| o + 1);
                vec![
                    (Some(a), a_program, 1.0 - weight),
                    (Some(b), program, weight),
                ]
            }
        }
    }

    /// The file frame event `e`'s source shows `k` frames after its record
    /// in, if it shows a file there.
    pub fn file_frame(&self, e: &PlannedEvent, k: i64) -> Option<i64> {
        match self.picture(&e.source, &e.clip, k)? {
            Picture::Source { file_frame, .. } => Some(file_frame),
            Picture::Black => None,
        }
    }

    /// What record frame `frame` shows.
    pub fn frame(&self, frame: i64) -> RecordFrame {
        let i = self.segments.partition_point(|s| s.end <= frame);
        match self.segments.get(i) {
            Some(s) if s.start <= frame => self.event_frame(s.event, frame),
            _ => RecordFrame::Black,
        }
    }

    fn event_frame(&self, event: usize, frame: i64) -> RecordFrame {
        let Some(e) = self.events.get(event) else {
            return RecordFrame::Black;
        };
        if e.unsupported.is_some() {
            return RecordFrame::Unavailable { event };
        }
        let k = frame - e.record_in;
        let Some(b) = self.picture(&e.source, &e.clip, k) else {
            return RecordFrame::Unavailable { event };
        };
        if k < e.transition - e.lead {
            let j = k + e.lead;
            let a = match (&e.from, &e.from_clip) {
                (Some(m), Some(side)) => self.picture(m, side, j),
                _ => Some(Picture::Black),
            };
            let Some(a) = a else {
                return RecordFrame::Unavailable { event };
            };
            let weight = ((j as f64 + 0.5) / e.transition as f64) as f32;
            return RecordFrame::Dissolve { a, b, weight };
        }
        match b {
            Picture::Black => RecordFrame::Black,
            Picture::Source { clip, file_frame } => RecordFrame::Source { clip, file_frame },
        }
    }

    /// Record frames `range` in order, lazily: what each shows.
    pub fn frames(&self, range: Range<i64>) -> impl Iterator<Item = (i64, RecordFrame)> + '_ {
        let mut seg = self.segments.partition_point(|s| s.end <= range.start);
        range.map(move |f| {
            while self.segments.get(seg).is_some_and(|s| s.end <= f) {
                seg += 1;
            }
            let rf = match self.segments.get(seg) {
                Some(s) if s.start <= f => self.event_frame(s.event, f),
                _ => RecordFrame::Black,
            };
            (f, rf)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::io::sequence::Pattern;
    use crate::timeline::edl::parse_bytes;
    use crate::timeline::edl::{Edit, Reel};

    const R: Rate = Rate::FPS_24;

    fn tc(s: &str) -> i64 {
        R.parse_frames(s).unwrap()
    }

    fn clip(
        pattern: &str,
        reel: Option<&str>,
        name: &str,
        start: &str,
        first: i64,
        last: i64,
    ) -> SourceClip {
        SourceClip {
            pattern: Pattern::parse(pattern).unwrap(),
            reel: reel.map(str::to_string),
            clip_name: name.to_string(),
            start_tc: tc(start),
            first_frame: first,
            last_frame: last,
            gaps: Vec::new(),
            rate: R,
            header_rate: None,
            width: 1920,
            height: 1080,
            pixel_aspect: 1.0,
        }
    }

    fn edl(text: &str) -> Edl {
        parse_bytes(text.as_bytes(), Path::new("t.edl"), R).unwrap()
    }

    fn matched(m: &SideMatch) -> (usize, MatchRule, Handles) {
        match m {
            SideMatch::Matched {
                clip,
                rule,
                handles,
            } => (*clip, *rule, *handles),
            other => panic!("expected a match, got {other:?}"),
        }
    }

    fn name_rule(key: MatchKey, compare: Compare) -> MatchRule {
        MatchRule::Name {
            key,
            compare,
            proxy_mapped: false,
        }
    }

    /// Two clips: A001C003 (01:00:00:00, files 1001-2000) and A001C004.
    fn index() -> MediaIndex {
        MediaIndex::new(vec![
            clip(
                "/m/A001C003/A001C003.%07d.dpx",
                Some("A001C003"),
                "A001C003",
                "01:00:00:00",
                1001,
                2000,
            ),
            clip(
                "/m/A001C004/A001C004.%07d.exr",
                None,
                "A001C004_proxy_name",
                "02:00:00:00",
                1,
                500,
            ),
        ])
    }

    #[test]
    fn cut_maps_source_timecode_to_file_frames() {
        let e = edl("001  A001C003 V C 01:00:01:00 01:00:02:00 10:00:00:00 10:00:01:00\n");
        let p = plan(&e, &index(), &MatchOptions::default());
        let (clip, rule, handles) = matched(&p.events[0].source);
        assert_eq!((clip, rule), (0, name_rule(MatchKey::Reel, Compare::Exact)));
        // 01:00:01:00 is 24 frames after the clip's start: file frame 1025.
        assert_eq!(
            handles,
            Handles {
                before: 24,
                after: 2000 - (1025 + 23)
            }
        );
        assert_eq!(p.record, tc("10:00:00:00")..tc("10:00:01:00"));
        let frames: Vec<_> = p.frames(p.record.clone()).collect();
        assert_eq!(frames.len(), 24);
        assert_eq!(
            p.describe(0),
            "event 001 (line 1): A001C003 /m/A001C003/A001C003.%07d.dpx by reel, handles 24/952"
        );
        assert_eq!(
            frames[0].1,
            RecordFrame::Source {
                clip: 0,
                file_frame: 1025
            }
        );
        assert_eq!(
            frames[23].1,
            RecordFrame::Source {
                clip: 0,
                file_frame: 1048
            }
        );
        assert_eq!(p.frame(p.record.end), RecordFrame::Black);
        assert_eq!(
            p.clips[0].path(1025),
            PathBuf::from("/m/A001C003/A001C003.0001025.dpx")
        );
    }

    #[test]
    fn name_rules_in_order() {
        let idx = index();
        let o = MatchOptions::default();
        let rule = |text: &str| {
            let e = edl(text);
            let p = plan(&e, &idx, &o);
            matched(&p.events[0].source).1
        };
        assert_eq!(
            rule("001 a001c003 V C 01:00:01:00 01:00:02:00 00:00:00:00 00:00:01:00\n"),
            name_rule(MatchKey::Reel, Compare::CaseInsensitive)
        );
        // An 8-character tape-era reel for A001C003 (the clip's reel is 8 long,
        // so use the clip named A001C004_proxy_name).
        assert_eq!(
            rule("001 A001C004 V C 02:00:00:00 02:00:01:00 00:00:00:00 00:00:01:00\n"),
            name_rule(MatchKey::Reel, Compare::Reel8)
        );
        assert_eq!(
            rule("001 AX V C 02:00:00:00 02:00:01:00 00:00:00:00 00:00:01:00\n* FROM CLIP NAME: A001C004_proxy_name\n"),
            name_rule(MatchKey::ClipName, Compare::Exact)
        );
        assert_eq!(
            rule("001 AX V C 02:00:00:00 02:00:01:00 00:00:00:00 00:00:01:00\n* SOURCE FILE: a001c004_PROXY_name.mov\n"),
            name_rule(MatchKey::SourceFile, Compare::CaseInsensitive)
        );
        assert_eq!(
            rule("001 AX V C 01:00:00:10 01:00:01:00 00:00:00:00 00:00:00:14\n"),
            MatchRule::Timecode
        );
    }

    #[test]
    fn timecode_chooses_between_same_named_clips_and_reports_ambiguity() {
        let mut clips = vec![
            clip("/a/R1.%04d.dpx", Some("R1"), "R1", "01:00:00:00", 0, 239),
            clip("/b/R1.%04d.dpx", Some("R1"), "R1", "01:00:20:00", 0, 239),
        ];
        let e = edl("001 R1 V C 01:00:21:00 01:00:22:00 00:00:00:00 00:00:01:00\n");
        let p = plan(
            &e,
            &MediaIndex::new(clips.clone()),
            &MatchOptions::default(),
        );
        assert_eq!(matched(&p.events[0].source).0, 1);
        // A second copy of the second clip: ambiguous, unless handles decide.
        clips.push(clip(
            "/c/R1.%04d.dpx",
            Some("R1"),
            "R1",
            "01:00:20:20",
            0,
            239,
        ));
        let idx = MediaIndex::new(clips);
        let p = plan(&e, &idx, &MatchOptions::default());
        assert_eq!(
            p.events[0].source,
            SideMatch::Ambiguous {
                candidates: vec![1, 2]
            }
        );
        assert_eq!(p.frame(0), RecordFrame::Unavailable { event: 0 });
        let p = plan(
            &e,
            &idx,
            &MatchOptions {
                handles: 12,
                ..Default::default()
            },
        );
        // /c starts 4 frames before the event: only /b has 12 frames of handle.
        assert_eq!(matched(&p.events[0].source).0, 1);
    }

    #[test]
    fn missing_says_why() {
        let e = edl(
            "001 A001C003 V C 01:00:41:00 01:00:42:00 00:00:00:00 00:00:01:00\n\
                     002 ZZZ V C 05:00:00:00 05:00:01:00 00:00:01:00 00:00:02:00\n",
        );
        let p = plan(&e, &index(), &MatchOptions::default());
        assert_eq!(p.problems().count(), 2);
        assert!(
            p.describe(1)
                .starts_with("event 002 (line 2): MISSING: source 05:00:00:00"),
            "{}",
            p.describe(1)
        );
        let SideMatch::Missing { why } = &p.events[0].source else {
            panic!("{:?}", p.events[0].source)
        };
        assert!(
            why.contains("found by reel but its frames are not all there"),
            "{why}"
        );
        assert!(
            why.contains("/m/A001C003/A001C003.%07d.dpx covers 01:00:00:00-01:00:41:15"),
            "{why}"
        );
        let SideMatch::Missing { why } = &p.events[1].source else {
            panic!()
        };
        assert_eq!(why, "source 05:00:00:00-05:00:00:23: no clip named \"ZZZ\"");
        // A gap in the files counts as missing.
        let mut c = clip("/g/G.%04d.dpx", Some("G"), "G", "00:00:00:00", 0, 99);
        c.gaps = vec![(10, 12)];
        let e = edl("001 G V C 00:00:00:05 00:00:00:15 00:00:00:00 00:00:00:10\n");
        let p = plan(&e, &MediaIndex::new(vec![c]), &MatchOptions::default());
        assert!(matches!(p.events[0].source, SideMatch::Missing { .. }));
    }

    #[test]
    fn proxy_map_rules() {
        let m = ProxyMap::parse(r"s/^(A\d{3}C\d{3})_proxy$/\1/").unwrap();
        assert_eq!(m.apply("A001C003_proxy").as_deref(), Some("A001C003"));
        assert_eq!(m.apply("A001C003"), None);
        let m = ProxyMap::parse("s|_LR$||i").unwrap();
        assert_eq!(m.apply("B002C011_lr").as_deref(), Some("B002C011"));
        assert!(ProxyMap::parse("s/(/x/").is_err());
        assert!(ProxyMap::parse("s/a/b/q").is_err());

        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("map.csv");
        std::fs::write(
            &csv,
            "proxy,source\nPRX_0001,A001C003\n\nbad line\nPRX_0002,\n",
        )
        .unwrap();
        let err = ProxyMap::parse(csv.to_str().unwrap())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("map.csv:4: expected proxy,source") && err.contains("map.csv:5:"),
            "{err}"
        );
        std::fs::write(&csv, "PRX_0001,A001C003\n").unwrap();
        let m = ProxyMap::parse(csv.to_str().unwrap()).unwrap();
        let e = edl("001 PRX_0001 V C 01:00:01:00 01:00:02:00 00:00:00:00 00:00:01:00\n");
        let p = plan(
            &e,
            &index(),
            &MatchOptions {
                proxy_map: Some(m),
                ..Default::default()
            },
        );
        let (clip, rule, _) = matched(&p.events[0].source);
        assert_eq!(clip, 0);
        assert_eq!(
            rule,
            MatchRule::Name {
                key: MatchKey::Reel,
                compare: Compare::Exact,
                proxy_mapped: true
            }
        );
        assert_eq!(rule.to_string(), "reel via proxy map");
    }

    #[test]
    fn dissolve_wipe_black_key_and_gaps() {
        let text = "001  A001C003 V C        01:00:01:00 01:00:01:10 00:00:00:00 00:00:00:10\n\
                    002  A001C003 V C        01:00:01:10 01:00:01:10 00:00:00:10 00:00:00:10\n\
                    002  A001C004 V D    004 02:00:00:00 02:00:00:08 00:00:00:10 00:00:00:18\n\
                    003  BL       V C        00:00:00:00 00:00:00:02 00:00:00:20 00:00:00:22\n\
                    004  A001C003 V K        01:00:05:00 01:00:05:02 00:00:00:22 00:00:01:00\n\
                    005  A001C004 V C        02:00:00:08 02:00:00:08 00:00:01:00 00:00:01:00\n\
                    005  BL       V W001 002 00:00:00:00 00:00:00:04 00:00:01:00 00:00:01:04\n";
        let e = edl(text);
        let p = plan(&e, &index(), &MatchOptions::default());
        assert_eq!(p.events.len(), 5);
        let f: Vec<RecordFrame> = p.frames(0..30).map(|(_, f)| f).collect();
        let src = |clip, file_frame| Picture::Source { clip, file_frame };
        // 01:00:01:10 is file frame 1001 + 34.
        assert_eq!(
            f[9],
            RecordFrame::Source {
                clip: 0,
                file_frame: 1034
            }
        );
        // Event 002: A continues from 01:00:01:10 while B comes in over 4 frames.
        assert_eq!(
            f[10],
            RecordFrame::Dissolve {
                a: src(0, 1035),
                b: src(1, 1),
                weight: 0.125
            }
        );
        assert_eq!(
            f[13],
            RecordFrame::Dissolve {
                a: src(0, 1038),
                b: src(1, 4),
                weight: 0.875
            }
        );
        assert_eq!(
            f[14],
            RecordFrame::Source {
                clip: 1,
                file_frame: 5
            }
        );
        // Record gap 00:00:00:18-20, then a BL event.
        assert_eq!(f[18], RecordFrame::Black);
        assert_eq!(f[20], RecordFrame::Black);
        // The key is unsupported; the rest still conforms.
        assert_eq!(f[22], RecordFrame::Unavailable { event: 3 });
        assert!(p.events[3]
            .unsupported
            .as_deref()
            .unwrap()
            .contains("key (K)"));
        // Event 005: a wipe (rendered as a dissolve) to black.
        assert_eq!(
            f[24],
            RecordFrame::Dissolve {
                a: src(1, 9),
                b: Picture::Black,
                weight: 0.25
            }
        );
        assert_eq!(f[26], RecordFrame::Black);
        assert_eq!(p.record, 0..28);
    }

    #[test]
    fn speed_freeze_reverse_and_overlap() {
        let text = "001 A001C003 V C 01:00:02:00 01:00:02:01 00:00:00:00 00:00:00:05\n\
                    M2  A001C003 000.0 01:00:02:00\n\
                    002 A001C003 V C 01:00:02:00 01:00:02:10 00:00:00:05 00:00:00:10\n\
                    M2  A001C003 048.0 01:00:02:00\n\
                    003 A001C003 V C 01:00:03:00 01:00:03:01 00:00:00:10 00:00:00:15\n\
                    M2  A001C003 -024.0 01:00:03:00\n\
                    004 A001C004 V C 02:00:00:00 02:00:00:02 00:00:00:13 00:00:00:15\n";
        let e = edl(text);
        let p = plan(&e, &index(), &MatchOptions::default());
        let ff = |f: i64| match p.frame(f) {
            RecordFrame::Source { clip, file_frame } => (clip, file_frame),
            other => panic!("{other:?}"),
        };
        // Freeze at 01:00:02:00 = file frame 1049.
        assert_eq!(ff(0), (0, 1049));
        assert_eq!(ff(4), (0, 1049));
        // 48 fps in a 24 fps cut: every second frame.
        assert_eq!(ff(5), (0, 1049));
        assert_eq!(ff(6), (0, 1051));
        // Reverse from 01:00:03:00 (file 1073).
        assert_eq!(ff(10), (0, 1073));
        assert_eq!(ff(12), (0, 1071));
        // Event 004 overlaps the end of 003 and, being later, wins.
        assert_eq!(ff(13), (1, 1));
        // The reverse event needs 1069-1073: its handles say so.
        assert_eq!(matched(&p.events[2].source).2.before, 1069 - 1001);
    }

    #[test]
    fn lazy_frames_equal_single_lookups() {
        let text = "001 A001C003 V C 01:00:01:00 01:00:02:00 00:00:01:00 00:00:02:00\n\
                    002 A001C004 V C 02:00:00:00 02:00:01:00 00:00:03:00 00:00:04:00\n";
        let p = plan(&edl(text), &index(), &MatchOptions::default());
        for start in [0, 20, 24, 47, 48, 60, 95] {
            for (f, rf) in p.frames(start..start + 40) {
                assert_eq!(rf, p.frame(f), "frame {f} from {start}");
            }
        }
    }

    /// 1,000 events against 1,000 clips of 100 frames (100,000 source
    /// frames): parse, match, build the timeline and walk every record
    /// frame. Prints the figures; asserts a generous bound.
    #[test]
    fn plans_a_thousand_events_quickly() {
        let clips: Vec<SourceClip> = (0..1000)
            .map(|i| {
                let mut c = clip(
                    &format!("/m/C{i:04}/C{i:04}.%04d.exr"),
                    Some(&format!("C{i:04}")),
                    &format!("C{i:04}"),
                    "00:00:00:00",
                    1001,
                    1100,
                );
                c.start_tc = i64::from(i) * 200;
                c
            })
            .collect();
        let mut text = String::from("TITLE: bench\nFCM: NON-DROP FRAME\n");
        for i in 0..1000i64 {
            let src = i * 200 + 10;
            let rec = 86400 + i * 80;
            let t = |f| R.to_timecode(f).to_string();
            text.push_str(&format!(
                "{:03}  C{i:04} V C {} {} {} {}\n* FROM CLIP NAME: C{i:04}\n",
                i + 1,
                t(src),
                t(src + 80),
                t(rec),
                t(rec + 80)
            ));
        }
        let t0 = std::time::Instant::now();
        let idx = MediaIndex::new(clips);
        let t1 = std::time::Instant::now();
        let e = parse_bytes(text.as_bytes(), Path::new("bench.edl"), R).unwrap();
        let t2 = std::time::Instant::now();
        let p = plan(
            &e,
            &idx,
            &MatchOptions {
                handles: 8,
                ..Default::default()
            },
        );
        let t3 = std::time::Instant::now();
        let mut n = 0usize;
        for (_, f) in p.frames(p.record.clone()) {
            if matches!(f, RecordFrame::Source { .. }) {
                n += 1;
            }
        }
        let t4 = std::time::Instant::now();
        assert_eq!(n, 80_000);
        assert!(p.events.iter().all(PlannedEvent::is_renderable));
        let ms = |a: std::time::Instant, b: std::time::Instant| (b - a).as_secs_f64() * 1e3;
        eprintln!(
            "conform plan, 1000 events x 100000 source frames ({} build): index {:.1} ms, parse {:.1} ms, match+timeline {:.1} ms, walk 80000 record frames {:.1} ms, total {:.1} ms",
            if cfg!(debug_assertions) { "debug" } else { "release" },
            ms(t0, t1),
            ms(t1, t2),
            ms(t2, t3),
            ms(t3, t4),
            ms(t0, t4)
        );
        // Well under a second even in a debug build on a shared machine.
        assert!(t4 - t0 < std::time::Duration::from_secs(1));
    }

    /// Every public EDL conformed against an index holding, for each reel,
    /// one clip covering all the source timecode its events use: every
    /// video event matches (except keys and bars), and walking the whole
    /// record gives exactly one frame per record frame.
    #[test]
    fn public_edls_conform_against_their_own_reels() {
        use std::collections::BTreeMap;
        for path in crate::testutil::fixtures_with_ext("public", &["edl"]) {
            let rate = match path.file_name().and_then(|n| n.to_str()) {
                Some("25fps.edl" | "test_25.edl") => Rate::FPS_25,
                _ => Rate::FPS_24,
            };
            let e = crate::timeline::edl::parse(&path, rate).unwrap();
            let mut spans: BTreeMap<String, (i64, i64)> = BTreeMap::new();
            for ev in e.events.iter().filter(|ev| ev.channels.video) {
                let sides = std::iter::once((&ev.source, ev.record_frames())).chain(
                    ev.from
                        .iter()
                        .map(|f| (f, i64::from(ev.edit.transition_frames()))),
                );
                for (side, n) in sides {
                    if let (Some(t), Some((lo, hi))) =
                        (side.source.reel.tape(), side.source_span(n.max(1), rate))
                    {
                        let s = spans.entry(t.to_string()).or_insert((lo, hi));
                        *s = (s.0.min(lo), s.1.max(hi));
                    }
                }
            }
            let clips: Vec<SourceClip> = spans
                .iter()
                .map(|(reel, &(lo, hi))| SourceClip {
                    pattern: Pattern::parse(&format!("/m/{reel}.%07d.dpx")).unwrap(),
                    reel: Some(reel.clone()),
                    clip_name: reel.clone(),
                    start_tc: lo - 10,
                    first_frame: 1001,
                    last_frame: 1001 + (hi - lo) + 20,
                    gaps: Vec::new(),
                    rate,
                    header_rate: None,
                    width: 16,
                    height: 9,
                    pixel_aspect: 1.0,
                })
                .collect();
            let p = plan(&e, &MediaIndex::new(clips), &MatchOptions::default());
            for ev in &p.events {
                let edl_ev = &e.events[ev.edl_index];
                let exempt = matches!(edl_ev.edit, Edit::Key { .. })
                    || matches!(edl_ev.source.source.reel, Reel::Bars | Reel::Aux)
                    || edl_ev
                        .from
                        .as_ref()
                        .is_some_and(|f| matches!(f.source.reel, Reel::Bars | Reel::Aux));
                assert!(
                    exempt || ev.is_renderable(),
                    "{}: event {}: {:?} / {:?}",
                    path.display(),
                    ev.number,
                    ev.source,
                    ev.from
                );
            }
            let n = p.frames(p.record.clone()).count() as i64;
            assert_eq!(n, p.record.end - p.record.start);
        }
    }

    /// Scans EXR sequences written through grade's own writer (timecode and
    /// reel in the header) and a sequence without timecode.
    #[test]
    fn scan_reads_headers() {
        let dir = tempfile::tempdir().unwrap();
        let shot = dir.path().join("A001C003");
        std::fs::create_dir(&shot).unwrap();
        let mut f = crate::Frame::new(4, 2);
        f.meta.timecode = Some(crate::SmpteTimecode {
            hours: 1,
            minutes: 0,
            seconds: 1,
            frames: 0,
            drop_frame: false,
        });
        f.meta.fps = Some(24.0);
        f.meta.reel = Some("A001C003".into());
        for n in [1001, 1002, 1004] {
            crate::io::write_frame(
                &shot.join(format!("A001C003.{n:07}.exr")),
                &f,
                &Default::default(),
            )
            .unwrap();
        }
        let plain = crate::Frame::new(2, 2);
        crate::io::write_frame(
            &dir.path().join("plate_0100.exr"),
            &plain,
            &Default::default(),
        )
        .unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not media").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path(), shot.join("loop")).unwrap();
        let idx = MediaIndex::scan(&[dir.path().to_path_buf()], &ScanOptions::default()).unwrap();
        let mut clips = idx.clips().to_vec();
        clips.sort_by(|a, b| a.clip_name.cmp(&b.clip_name));
        assert_eq!(clips.len(), 2, "{clips:?}");
        let c = &clips[0];
        assert_eq!(c.clip_name, "A001C003");
        assert_eq!(c.reel.as_deref(), Some("A001C003"));
        assert_eq!((c.first_frame, c.last_frame), (1001, 1004));
        assert_eq!(c.gaps, vec![(1003, 1003)]);
        assert_eq!(c.start_tc, tc("01:00:01:00"));
        assert_eq!((c.width, c.height), (4, 2));
        assert_eq!(c.pattern.path(1001), shot.join("A001C003.0001001.exr"));
        let p = &clips[1];
        assert_eq!(p.clip_name, "plate");
        assert_eq!(p.start_tc, 100);
    }

    #[test]
    fn unreadable_files_are_left_out_and_fail_only_their_events() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = crate::Frame::new(4, 2);
        f.meta.reel = Some("A001".into());
        f.meta.fps = Some(25.0);
        let good = dir.path().join("A001");
        std::fs::create_dir_all(&good).unwrap();
        for n in 1..=4 {
            let p = good.join(format!("A001.{n:04}.dpx"));
            crate::io::write_frame(&p, &f, &Default::default()).unwrap();
        }
        // A truncated DPX and a text file named .exr.
        let bad = dir.path().join("B001");
        std::fs::create_dir_all(&bad).unwrap();
        let bytes = std::fs::read(good.join("A001.0001.dpx")).unwrap();
        std::fs::write(bad.join("B001.0001.dpx"), &bytes[..100]).unwrap();
        std::fs::write(dir.path().join("notes.exr"), "not an image").unwrap();

        let idx = MediaIndex::scan(&[dir.path().to_path_buf()], &ScanOptions::default()).unwrap();
        assert_eq!(idx.clips().len(), 1);
        assert_eq!(idx.clips()[0].header_rate, Some(Rate::FPS_25));
        let paths: Vec<&Path> = idx.unreadable().iter().map(|u| u.path.as_path()).collect();
        assert_eq!(
            paths,
            [bad.join("B001.0001.dpx"), dir.path().join("notes.exr")]
        );
        let w = idx.unreadable_warning().unwrap();
        assert!(
            w.contains("2 file(s)") && w.contains("B001.0001.dpx"),
            "{w}"
        );

        let e = edl(
            "001  A001 V C 00:00:00:00 00:00:00:02 01:00:00:00 01:00:00:02\n\
                     002  B001 V C 00:00:00:00 00:00:00:02 01:00:00:02 01:00:00:04\n",
        );
        let p = plan(&e, &idx, &MatchOptions::default());
        assert!(p.events[0].is_renderable(), "{}", p.describe(0));
        let why = p.describe(1);
        assert!(!p.events[1].is_renderable());
        assert!(
            why.contains("B001.0001.dpx") && why.contains("could not be read"),
            "{why}"
        );
        assert_eq!(p.unreadable.len(), 2);
    }
}

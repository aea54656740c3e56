//! OpenTimelineIO's composition tree flattened into the model's tracks.
//!
//! Every composition (the timeline's stack, its tracks, a nested stack or
//! track inside a track) is laid over the record frames through a
//! `TimeMap` (`timemap.rs`): its own time at record frame `r` is `base + effects(r)`,
//! the chain of offsets and time warps of every composition above it. An
//! item at `[a, b)` of its composition's time shows over the record frames
//! whose time falls there, a contiguous range since every map is monotonic
//! (found by binary search, so nothing is expanded frame by frame).
//!
//! A clip becomes a model clip over its record range whose effects are the
//! chain down to it followed by its own; a nested composition becomes a gap
//! in its host track and its own tracks go on extra model tracks directly
//! above the host (a gap is transparent, so what shows through is the same
//! as compositing the nested stack first). Transitions keep their place
//! where their track's time runs at record speed; inside a retimed
//! composition they become cuts, with a warning.
//!
//! Time effects (OpenTimelineIO gives them no time semantics of its own):
//! a clip or composition with `LinearTimeWarp` s shows, `x` frames into it,
//! its trimmed start plus [`crate::timeline::model::warp`]`(x, s)`; with a
//! negative s it starts from the last frame of the `ceil(duration * |s|)`
//! frames it consumes and runs backwards; `FreezeFrame` (or a scalar of 0)
//! holds its trimmed start.

use std::path::PathBuf;

use super::raw::{RawObject, RawRange, RawTime};
use super::time;
use super::timemap::{Layer, Slot, TimeMap};
use super::OtioOptions;
use crate::timeline::model::{FrameRate, Item, Origin, Track, Transition};

/// Compositions nested deeper than this are refused: a tree that deep is a
/// reference cycle written out, or an attack.
pub const MAX_DEPTH: usize = 48;

/// The walk over one file's tree: options, what has gone wrong, what to
/// say. Clips, their media references and effects are read in `clip.rs`.
pub struct Reader<'a> {
    pub opts: &'a OtioOptions,
    /// Relative media paths are taken against this folder.
    pub dir: PathBuf,
    /// The timeline's (record) rate.
    pub rate: FrameRate,
    pub problems: Vec<String>,
    pub warnings: Vec<String>,
    pub audio_tracks: Vec<String>,
    /// Clips read so far (each clip's `Origin::event`).
    pub clips: usize,
}

impl<'a> Reader<'a> {
    pub fn new(opts: &'a OtioOptions, dir: PathBuf, rate: FrameRate) -> Reader<'a> {
        Reader {
            opts,
            dir,
            rate,
            problems: Vec::new(),
            warnings: Vec::new(),
            audio_tracks: Vec::new(),
            clips: 0,
        }
    }

    /// The model tracks of the timeline's stack `tracks`, bottom to top.
    pub fn timeline_tracks(&mut self, tracks: &RawObject) -> Vec<Track> {
        let who = format!("stack {:?}", tracks.name());
        let duration = self.duration(tracks, &who, 0);
        let Some(map) = self.item_map(&TimeMap::default(), tracks, 0, duration, &who) else {
            return Vec::new();
        };
        self.stack(tracks, &map, (0, duration), 0, &who)
            .into_iter()
            .map(Layer::into_track)
            .collect()
    }

    /// Frames of `t` at the timeline rate; a problem (and 0) if unusable.
    pub(super) fn frames(&mut self, t: &RawTime, who: &str, what: &str) -> i64 {
        time::frames(t, self.rate).unwrap_or_else(|e| {
            self.problems.push(format!("{who}: {what}: {e}"));
            0
        })
    }

    /// Start and duration of `r` at the timeline rate, checked.
    pub(super) fn range(&mut self, r: &RawRange, who: &str) -> (i64, i64) {
        let start = self.frames(&r.start_time, who, "start_time");
        let duration = self.frames(&r.duration, who, "duration");
        if duration < 0 {
            self.problems
                .push(format!("{who}: negative duration {}", r.duration.value.0));
            return (start, 0);
        }
        (start, duration)
    }

    /// Record frames `item` lasts (its trimmed range's duration).
    pub fn duration(&mut self, item: &RawObject, who: &str, depth: usize) -> i64 {
        if let Some(r) = &item.source_range {
            return self.range(r, who).1;
        }
        if depth > MAX_DEPTH {
            self.problems.push(format!(
                "{who}: compositions nested more than {MAX_DEPTH} deep (a reference cycle?)"
            ));
            return 0;
        }
        match item.schema() {
            "Clip" => match self.reference(item, who) {
                Some(Some(m)) if m.available_range.is_some() => {
                    let r = m.available_range.unwrap_or_default();
                    self.range(&r, who).1
                }
                Some(_) => {
                    self.problems.push(format!(
                        "{who}: no source_range, and its media reference has no available_range"
                    ));
                    0
                }
                None => 0,
            },
            "Track" | "Sequence" => item
                .children()
                .iter()
                .enumerate()
                .map(|(i, c)| self.duration(c, &child_who(who, i, c), depth + 1))
                .fold(0i64, i64::saturating_add),
            "Stack" => item
                .children()
                .iter()
                .enumerate()
                .map(|(i, c)| self.duration(c, &child_who(who, i, c), depth + 1))
                .max()
                .unwrap_or(0),
            _ => 0,
        }
    }

    /// The map into `item` placed at `a` of `parent`'s time, lasting
    /// `duration` record frames; `None` if its range is unusable.
    fn item_map(
        &mut self,
        parent: &TimeMap,
        item: &RawObject,
        a: i64,
        duration: i64,
        who: &str,
    ) -> Option<TimeMap> {
        let start = match &item.source_range {
            Some(r) => self.range(r, who).0,
            None => 0,
        };
        let (entry, own) = self.own_effects(item, start, duration, who);
        Some(parent.enter(a, entry, &own))
    }

    /// The layers of a stack: each child's, bottom to top.
    fn stack(
        &mut self,
        s: &RawObject,
        map: &TimeMap,
        window: (i64, i64),
        depth: usize,
        who: &str,
    ) -> Vec<Layer> {
        if depth > MAX_DEPTH {
            self.problems.push(format!(
                "{who}: compositions nested more than {MAX_DEPTH} deep (a reference cycle?)"
            ));
            return Vec::new();
        }
        let mut layers = Vec::new();
        for (i, c) in s.children().iter().enumerate() {
            let cwho = child_who(who, i, c);
            if matches!(c.schema(), "Track" | "Sequence") {
                match c.kind.as_deref().map(str::to_ascii_lowercase).as_deref() {
                    None | Some("video") => {}
                    Some("audio") => {
                        self.audio_tracks.push(c.name().to_string());
                        continue;
                    }
                    Some(other) => self
                        .warnings
                        .push(format!("{cwho}: track kind {other:?} read as video")),
                }
            }
            // A stack's children all start at its time 0.
            let mut one = Layer {
                name: c.name().to_string(),
                enabled: true,
                pieces: Vec::new(),
            };
            let mut extras = Vec::new();
            let slot = Slot {
                a: 0,
                window,
                depth,
                mixed: false,
            };
            self.place(c, slot, map, &cwho, &mut one, &mut extras);
            if !one.pieces.is_empty() {
                layers.push(one);
            }
            layers.extend(extras);
        }
        layers
    }

    /// The layers of a track over `window`: its own items, then the tracks
    /// of compositions nested in it.
    fn track(
        &mut self,
        t: &RawObject,
        map: &TimeMap,
        window: (i64, i64),
        depth: usize,
        who: &str,
    ) -> Vec<Layer> {
        if depth > MAX_DEPTH {
            self.problems.push(format!(
                "{who}: compositions nested more than {MAX_DEPTH} deep (a reference cycle?)"
            ));
            return Vec::new();
        }
        let mut main = Layer {
            name: t.name().to_string(),
            enabled: t.enabled(),
            pieces: Vec::new(),
        };
        let mut extras: Vec<Layer> = Vec::new();
        let mut at = 0i64;
        let children = t.children();
        for (i, c) in children.iter().enumerate() {
            let cwho = child_who(who, i, c);
            if c.schema() == "Transition" {
                self.transition(c, at, map, window, &cwho, &mut main);
                let nested = |o: Option<&RawObject>| {
                    o.is_some_and(|o| matches!(o.schema(), "Stack" | "Track" | "Sequence"))
                };
                if nested(i.checked_sub(1).and_then(|p| children.get(p)))
                    || nested(children.get(i + 1))
                {
                    self.warnings.push(format!(
                        "{cwho}: a transition beside a nested composition mixes with black"
                    ));
                }
                continue;
            }
            let beside = |j: Option<usize>| {
                j.and_then(|j| children.get(j))
                    .is_some_and(|o| o.schema() == "Transition")
            };
            let mixed = beside(i.checked_sub(1)) || beside(Some(i + 1));
            let slot = Slot {
                a: at,
                window,
                depth,
                mixed,
            };
            at = at.saturating_add(self.place(c, slot, map, &cwho, &mut main, &mut extras));
        }
        if depth <= 1 {
            // A top-level track lasts its range even where nothing shows.
            main.pieces
                .push((window.1, window.1, Item::Gap { duration: 0 }));
        }
        if !main.pieces.iter().any(|p| matches!(p.2, Item::Clip(_)))
            && window.1 > window.0
            && children.iter().any(|c| c.schema() == "Clip")
        {
            self.warnings
                .push(format!("{who}: its source_range shows none of its clips"));
        }
        for e in &mut extras {
            e.enabled &= main.enabled;
            e.name = format!("{} > {}", main.name, e.name);
        }
        let mut out = vec![main];
        out.extend(extras);
        out
    }

    /// Lays `c` at `slot.a` of its parent's time into `main` (a clip) or
    /// `extras` (a nested composition's tracks); returns its duration.
    fn place(
        &mut self,
        c: &RawObject,
        slot: Slot,
        map: &TimeMap,
        who: &str,
        main: &mut Layer,
        extras: &mut Vec<Layer>,
    ) -> i64 {
        let Slot {
            a,
            window,
            depth,
            mixed,
        } = slot;
        let duration = self.duration(c, who, depth + 1);
        let kind = c.schema();
        let (mut r0, mut r1) = map.span(window, a, a.saturating_add(duration));
        if r1 <= r0 && mixed && map.is_shift() {
            // Outside the window but the side of a transition in it: a
            // clip of no length at its cut, which the mix plays as a handle.
            let to_record = |t: i64| t.saturating_sub(map.at(0)).max(window.0).min(window.1);
            (r0, r1) = (to_record(a), to_record(a.saturating_add(duration)));
        }
        match kind {
            // A clip outside the window shows nothing (unless kept above as
            // a transition's side).
            "Clip" if r1 < r0 || (r1 == r0 && !mixed) => {}
            "Clip" => {
                if let Some(clip) = self.clip(c, a, duration, map, r0, r1, who) {
                    main.pieces.push((r0, r1, Item::Clip(Box::new(clip))));
                }
            }
            "Gap" | "Filler" => {}
            "Stack" | "Track" | "Sequence" => {
                // A disabled top-level track stays, as a disabled model track.
                if (!c.enabled() && depth > 0) || r1 <= r0 {
                    return duration;
                }
                let Some(inner) = self.item_map(map, c, a, duration, who) else {
                    return duration;
                };
                let layers = if kind == "Stack" {
                    self.stack(c, &inner, (r0, r1), depth + 1, who)
                } else {
                    self.track(c, &inner, (r0, r1), depth + 1, who)
                };
                for (j, mut l) in layers.into_iter().enumerate() {
                    // Nested layers of several compositions share a model
                    // track: a disabled one says so on its clips.
                    if !l.enabled && depth > 0 {
                        for p in &mut l.pieces {
                            if let Item::Clip(clip) = &mut p.2 {
                                clip.enabled = false;
                            }
                        }
                        l.enabled = true;
                    }
                    match extras.get_mut(j) {
                        Some(e) => e.pieces.extend(l.pieces),
                        None => extras.push(l),
                    }
                }
            }
            other => self.warnings.push(format!(
                "{who}: schema {other:?} is not one grade knows; kept as a gap of {duration} frames"
            )),
        }
        duration
    }

    /// A transition at the cut `at` of its track's time.
    fn transition(
        &mut self,
        c: &RawObject,
        at: i64,
        map: &TimeMap,
        window: (i64, i64),
        who: &str,
        main: &mut Layer,
    ) {
        let kind = c.transition_type.clone().unwrap_or_default();
        if kind != "SMPTE_Dissolve" {
            self.warnings
                .push(format!("{who}: transition {kind:?} rendered as a dissolve"));
        }
        let in_offset = match &c.in_offset {
            Some(t) => self.frames(t, who, "in_offset"),
            None => 0,
        };
        let out_offset = match &c.out_offset {
            Some(t) => self.frames(t, who, "out_offset"),
            None => 0,
        };
        if in_offset < 0 || out_offset < 0 {
            self.problems
                .push(format!("{who}: negative transition offset"));
            return;
        }
        if !map.is_shift() {
            self.warnings.push(format!(
                "{who}: a transition inside a retimed composition is cut, not mixed"
            ));
            return;
        }
        // Offsets only: the time at record frame r is r + at(0).
        let cut = at.saturating_sub(map.at(0));
        if cut < window.0 || cut > window.1 {
            return;
        }
        if cut - in_offset < window.0 || cut + out_offset > window.1 {
            self.warnings.push(format!(
                "{who}: the transition runs past its composition's range and is cut, not mixed"
            ));
            return;
        }
        main.pieces.push((
            cut,
            cut,
            Item::Transition(Transition {
                kind,
                in_offset,
                out_offset,
                origin: Origin {
                    id: c.name().to_string(),
                    ..Default::default()
                },
            }),
        ));
    }
}

/// How messages name child `i` of `who`: `track "V1" / clip 3 "A001"`.
fn child_who(who: &str, i: usize, c: &RawObject) -> String {
    let kind = match c.schema() {
        "" => "item".to_string(),
        k => k.to_ascii_lowercase(),
    };
    format!("{who} / {kind} {i} {:?}", c.name())
}

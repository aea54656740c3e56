//! The format-neutral timeline: what every timeline reader (CMX3600 EDL
//! today; OpenTimelineIO and FCP7 XML to come) produces, and what a record
//! frame shows.
//!
//! A [`Timeline`] has a rate, a global start (the record start) and video
//! [`Track`]s bottom to top. A track is a list of [`Item`]s laid end to end
//! from the global start: [`Clip`]s (a media reference, the source range in
//! the clip's own rate, time effects), gaps (transparent), and
//! [`Transition`]s, which take no time and mix their two neighbours over
//! `in_offset` frames before the cut and `out_offset` frames after it, the
//! outgoing clip running on past its end and the incoming one starting
//! early, as OpenTimelineIO defines them.
//!
//! [`Timeline::layers_at`] says what a record frame shows: the top-most
//! track with a clip there wins (a gap lets lower tracks through); within a
//! transition, both neighbours with their weights.

mod from_edl;
#[cfg(test)]
mod tests;

pub use from_edl::{from_edl, media_of};

use crate::timeline::timecode::Rate;

/// A frame rate as a ratio (24000/1001 for 23.976), so long timelines do
/// not drift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FrameRate {
    pub num: u32,
    pub den: u32,
}

impl FrameRate {
    /// `None` for a zero numerator or denominator.
    pub fn new(num: u32, den: u32) -> Option<FrameRate> {
        (num > 0 && den > 0).then_some(FrameRate { num, den })
    }

    pub fn fps(self) -> f64 {
        f64::from(self.num) / f64::from(self.den)
    }
}

impl From<Rate> for FrameRate {
    fn from(r: Rate) -> FrameRate {
        FrameRate {
            num: r.numerator(),
            den: r.denominator(),
        }
    }
}

/// A start and a length in frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameRange {
    pub start: i64,
    pub duration: i64,
}

/// How a clip's record frames map to its source frames: [`Clip::source_frame`]
/// applies a clip's effects in order to the frame count from the clip's start.
#[derive(Debug, Clone, PartialEq)]
pub enum TimeEffect {
    /// Source frames advance `time_scalar` per record frame (2.0 twice as
    /// fast, 0.5 half speed, negative in reverse), by [`warp`]: frame `k`
    /// shows the source frame whose span holds the start of `k`'s.
    LinearTimeWarp { time_scalar: f64 },
    /// The first source frame held.
    FreezeFrame,
    /// `frames` added to the count so far: where a clip cut out of a nested
    /// composition (an OpenTimelineIO stack with its own time effects)
    /// starts within that composition's time.
    Offset { frames: i64 },
    /// A variable speed (an FCP7 Time Remap's time graph): keyframes
    /// `(k, source)` in frames from the clip's start and its first source
    /// frame, sorted by `k`; frame `k` shows the source frame
    /// `floor(source at k)`, linear between keyframes, the first and last
    /// segments' speeds beyond them ([`remap`]). Keyframes, not a table of
    /// frames, so a long clip costs no more than a short one.
    Remap { keyframes: Vec<(f64, f64)> },
}

/// `effects` applied in order to `k` frames from a clip's start: frames
/// from its first source frame.
pub fn apply_effects(effects: &[TimeEffect], k: i64) -> i64 {
    effects.iter().fold(k, |t, e| match e {
        TimeEffect::LinearTimeWarp { time_scalar } => warp(t, *time_scalar),
        TimeEffect::FreezeFrame => 0,
        TimeEffect::Offset { frames } => t.saturating_add(*frames),
        TimeEffect::Remap { keyframes } => remap(keyframes, t),
    })
}

/// Frame `k` through the time graph `keyframes` (see
/// [`TimeEffect::Remap`]): floored as [`warp`] floors, with its 1e-9. No
/// keyframes leave `k` as it is; one holds its frame.
pub fn remap(keyframes: &[(f64, f64)], k: i64) -> i64 {
    let x = k as f64;
    let v = match keyframes {
        [] => return k,
        [(_, v)] => *v,
        _ => {
            let i = keyframes.partition_point(|(w, _)| *w <= x);
            let i = i.clamp(1, keyframes.len() - 1);
            let ((w0, v0), (w1, v1)) = (keyframes[i - 1], keyframes[i]);
            if w1 > w0 {
                v0 + (x - w0) * (v1 - v0) / (w1 - w0)
            } else {
                v0
            }
        }
    };
    // `as` saturates, and takes NaN to 0.
    (v + 1e-9).floor() as i64
}

/// Frame `k` of a clip played at `time_scalar` source frames per record
/// frame, counted from the clip's first source frame (its entry, for a
/// reverse): `sign(s) * floor(k * |s|)`. At half speed frames 0 and 1 both
/// show source frame 0, as an editor's slow motion holds each frame twice
/// from the in point (rounding to the nearest would show the in point
/// once); a reverse mirrors the forward count, so it too holds its entry
/// frame twice. The 1e-9 absorbs the binary error of scalars such as
/// 24000/1001/24, which would otherwise floor a whole frame down.
pub fn warp(k: i64, time_scalar: f64) -> i64 {
    let v = (k as f64 * time_scalar.abs() + 1e-9).floor();
    if time_scalar < 0.0 {
        -(v as i64)
    } else {
        v as i64
    }
}

/// What a clip shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Media {
    /// Source media found by name (through the media index).
    Named(MediaNames),
    /// An image sequence the timeline names itself (an OpenTimelineIO
    /// `ImageSequenceReference`, or an `ExternalReference` / FCP7
    /// `pathurl` to an image file): read directly, no index matching.
    Sequence(SequenceRef),
    /// Black (an EDL's `BL`, a slug).
    Black,
    /// Colour bars.
    Bars,
    /// A solid colour (an FCP7 colour generator), display-referred RGB 0..1.
    Colour([f32; 3]),
}

/// What to show for a frame missing from a [`SequenceRef`] (OpenTimelineIO's
/// `missing_frame_policy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum MissingFrame {
    /// The event fails (as any missing media does).
    #[default]
    Error,
    /// The nearest earlier frame that exists.
    Hold,
    /// Black.
    Black,
}

/// An image sequence named by path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SequenceRef {
    /// A file path (an absolute path, or relative to the timeline's folder
    /// already resolved): either a pattern with `####` / `%0Nd` / `@` for the
    /// frame number, or one file of a sequence (the sequence is found from
    /// it), or a single still.
    pub path: String,
    /// The file frame number of the reference's first frame (`start_frame`);
    /// `None` when the path is one file whose own number is the start.
    pub start_frame: Option<i64>,
    /// Frame numbers from one image file to the next (`frame_step`: 1 for
    /// most, 2 for a sequence rendered on twos); see [`SequenceRef::file_frame`].
    pub frame_step: i64,
    /// The reference's own rate, when it says.
    pub rate: Option<FrameRate>,
    /// The source frame (at the clip's `source_rate`) of `start_frame`: the
    /// reference's `available_range.start_time`, 0 when none.
    pub available_start: i64,
    pub missing: MissingFrame,
    /// Reel and clip name for reports and burn-ins, when the timeline has them.
    pub names: MediaNames,
}

impl SequenceRef {
    /// The reference's frame number for source frame `s` (at the clip's
    /// `source_rate`), as OpenTimelineIO's `frame_for_time` counts it:
    /// `start_frame` plus whole frames at the reference's rate since
    /// `available_start` (counted from 0 when `start_frame` is `None`: add
    /// the first file's own number).
    pub fn frame_number(&self, s: i64, source_rate: FrameRate) -> i64 {
        let from_start = s.saturating_sub(self.available_start);
        let offset = match self.rate {
            Some(r) if r != source_rate => {
                let v = from_start as f64 * f64::from(r.num) * f64::from(source_rate.den)
                    / (f64::from(r.den) * f64::from(source_rate.num));
                (v + 1e-9).floor() as i64
            }
            _ => from_start,
        };
        self.start_frame.unwrap_or(0).saturating_add(offset)
    }

    /// The file frame that shows source frame `s`: images exist every
    /// `frame_step` numbers from `start_frame` (OpenTimelineIO's
    /// `target_url_for_image_number`), so a frame number between two
    /// images is the earlier one (a sequence rendered on twos).
    pub fn file_frame(&self, s: i64, source_rate: FrameRate) -> i64 {
        let first = self.start_frame.unwrap_or(0);
        let step = self.frame_step.max(1);
        let n = self.frame_number(s, source_rate);
        first.saturating_add(n.saturating_sub(first).div_euclid(step) * step)
    }
}

/// The names a clip's source media is found by.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct MediaNames {
    pub reel: Option<String>,
    pub clip_name: Option<String>,
    pub source_file: Option<String>,
    pub path: Option<String>,
}

/// An ASC CDL carried by a clip.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClipCdl {
    pub slope: [f64; 3],
    pub offset: [f64; 3],
    pub power: [f64; 3],
    pub saturation: Option<f64>,
}

/// Where an item came from in its file, for messages and the report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// The event number or item name.
    pub id: String,
    /// Line in the file, for text formats.
    pub line: Option<usize>,
    /// Index of the event in the EDL it came from.
    pub event: Option<usize>,
    /// What the file writes of the clip beyond its timing (EDL fields).
    pub written: Option<Box<AsWritten>>,
}

/// A clip's fields as its file writes them, for the report, naming and
/// grade lookups.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AsWritten {
    /// The edit (an EDL's `Cut`, `Dissolve`).
    pub edit: Option<String>,
    /// The reel exactly as written (an EDL's `AX`, `BL`).
    pub reel_text: Option<String>,
    /// Source in and out timecodes as written.
    pub source_text: Option<[String; 2]>,
    /// The correction the file names for this clip by id (an EDL's
    /// `*ASC_CC_XML`), looked up in `--grades`.
    pub grade_id: Option<String>,
    /// Line of the clip's own CDL (an EDL's `*ASC_SOP`).
    pub cdl_line: Option<usize>,
}

impl Origin {
    /// What the file writes of the clip, empty when it writes nothing more.
    pub fn written(&self) -> &AsWritten {
        static NONE: AsWritten = AsWritten {
            edit: None,
            reel_text: None,
            source_text: None,
            grade_id: None,
            cdl_line: None,
        };
        self.written.as_deref().unwrap_or(&NONE)
    }
}

/// A named point in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// Record frame (for timeline markers) or source frame (for clip markers).
    pub frame: i64,
    pub name: String,
    pub color: String,
}

/// A piece of source media in a track.
#[derive(Debug, Clone, PartialEq)]
pub struct Clip {
    pub name: String,
    pub media: Media,
    /// The source frames shown (before time effects), at `source_rate`; the
    /// clip lasts `source_range.duration` record frames.
    pub source_range: FrameRange,
    pub source_rate: FrameRate,
    pub effects: Vec<TimeEffect>,
    pub enabled: bool,
    pub markers: Vec<Marker>,
    pub cdl: Option<ClipCdl>,
    /// Why this clip cannot be rendered as asked (an EDL key), if so.
    pub unsupported: Option<String>,
    /// Scale, position and rotation on the reformat stage (FCP7 Basic
    /// Motion), if the timeline has one.
    pub reposition: Option<Reposition>,
    /// Warnings about this clip (unsupported effects, guessed values), each
    /// naming the item; kept for the report.
    pub warnings: Vec<String>,
    pub origin: Origin,
}

/// A clip's placement in the frame, as an editor's motion controls give it:
/// applied on the reformat stage after the source is fitted to the master.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reposition {
    /// 1.0 = the source's native pixels at the sequence's pixel size (FCP7
    /// `scale` / 100, as Premiere writes it).
    pub scale: f64,
    /// Centre offset as a fraction of the sequence's width and height
    /// (FCP7 `center` horiz/vert: 0,0 is centred, +x right, +y down).
    pub center: [f64; 2],
    /// Degrees, clockwise.
    pub rotation: f64,
}

impl Clip {
    /// The source frame shown `k` record frames after the clip starts (`k`
    /// may run past either end, into handles, within a transition).
    pub fn source_frame(&self, k: i64) -> i64 {
        self.source_range
            .start
            .saturating_add(apply_effects(&self.effects, k))
    }
}

/// A mix between the item before it and the item after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    /// `SMPTE_Dissolve`, or what else the file says (rendered as a dissolve).
    pub kind: String,
    pub in_offset: i64,
    pub out_offset: i64,
    pub origin: Origin,
}

/// One element of a track.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Clip(Box<Clip>),
    /// Nothing for `duration` frames: lower tracks show through.
    Gap {
        duration: i64,
    },
    Transition(Transition),
}

impl Item {
    /// Record frames the item takes (transitions take none).
    pub fn duration(&self) -> i64 {
        match self {
            Item::Clip(c) => c.source_range.duration.max(0),
            Item::Gap { duration } => (*duration).max(0),
            Item::Transition(_) => 0,
        }
    }
}

/// A video track.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Track {
    pub name: String,
    pub enabled: bool,
    pub items: Vec<Item>,
}

/// An edit: tracks bottom to top over a record range.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub name: Option<String>,
    pub rate: FrameRate,
    /// The sequence's own picture format (FCP7 XML), the default master format.
    pub format: Option<SequenceFormat>,
    /// Notes about the whole file (audio tracks ignored, unknown schemas kept).
    pub warnings: Vec<String>,
    /// Record frame of the first frame of every track.
    pub global_start: i64,
    pub tracks: Vec<Track>,
    pub markers: Vec<Marker>,
}

/// A sequence's picture format.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SequenceFormat {
    pub width: u32,
    pub height: u32,
    pub pixel_aspect: f64,
}

/// One picture mixed into a record frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layer<'a> {
    /// `None`: black (the outgoing side of a dissolve from nothing).
    pub clip: Option<&'a Clip>,
    pub source_frame: i64,
    /// Share of the record frame; a frame's layers sum to 1.
    pub weight: f64,
}

impl Track {
    /// Record start (from the global start) of every item.
    fn starts(&self) -> Vec<i64> {
        let mut t = 0;
        self.items
            .iter()
            .map(|i| {
                let s = t;
                t += i.duration();
                s
            })
            .collect()
    }

    /// The layers this track shows `t` frames after the global start;
    /// empty where it shows nothing (a gap, a disabled clip, past its end).
    pub fn layers_at(&self, t: i64) -> Vec<Layer<'_>> {
        let starts = self.starts();
        let shown = |i: usize, weight: f64| -> Option<Layer<'_>> {
            match self.items.get(i)? {
                Item::Clip(c) if c.enabled => Some(Layer {
                    clip: Some(c),
                    source_frame: c.source_frame(t - starts[i]),
                    weight,
                }),
                _ => None,
            }
        };
        for (i, item) in self.items.iter().enumerate() {
            let Item::Transition(tr) = item else { continue };
            let cut = starts[i];
            let (lo, hi) = (cut - tr.in_offset, cut + tr.out_offset);
            if t < lo || t >= hi || hi <= lo {
                continue;
            }
            let w = ((t - lo) as f64 + 0.5) / (hi - lo) as f64;
            let a = i.checked_sub(1).and_then(|p| shown(p, 1.0 - w));
            let b = shown(i + 1, w);
            return match (a, b) {
                (a, Some(b)) => vec![
                    a.unwrap_or(Layer {
                        clip: None,
                        source_frame: 0,
                        weight: 1.0 - w,
                    }),
                    b,
                ],
                (Some(a), None) => vec![
                    a,
                    Layer {
                        clip: None,
                        source_frame: 0,
                        weight: w,
                    },
                ],
                (None, None) => Vec::new(),
            };
        }
        let i = starts.partition_point(|&s| s <= t);
        match i.checked_sub(1) {
            Some(i) if t < starts[i] + self.items[i].duration() => {
                shown(i, 1.0).into_iter().collect()
            }
            _ => Vec::new(),
        }
    }
}

impl Timeline {
    /// Record frames of the longest track, from the global start.
    pub fn duration(&self) -> i64 {
        self.tracks
            .iter()
            .map(|t| t.items.iter().map(Item::duration).sum::<i64>())
            .max()
            .unwrap_or(0)
    }

    /// What record frame `frame` shows: the top-most enabled track with a
    /// clip there; empty for black.
    pub fn layers_at(&self, frame: i64) -> Vec<Layer<'_>> {
        let t = frame - self.global_start;
        self.tracks
            .iter()
            .rev()
            .filter(|tr| tr.enabled)
            .map(|tr| tr.layers_at(t))
            .find(|l| !l.is_empty())
            .unwrap_or_default()
    }
}

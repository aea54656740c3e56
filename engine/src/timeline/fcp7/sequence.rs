//! A `<sequence>`: its rate, timecode start, picture format and markers,
//! and its video tracks laid out as model tracks: clipitems and
//! generatoritems at their `start`/`end` (-1 beside a transition: the
//! transition's cut point), gaps where nothing is, transitionitems at their
//! cut point with the frames before and after it.

use roxmltree::Node;

use super::effects::filters;
use super::media::{file_media, generator_media, timecode_at};
use super::nested::{flatten, Outer};
use super::xml::{child, children, is_true, rescale, text, Doc};
use crate::timeline::model::{
    Clip, FrameRange, FrameRate, Item, Marker, Origin, SequenceFormat, TimeEffect, Track,
    Transition,
};

/// Nested sequences deeper than this are refused.
const MAX_DEPTH: usize = 32;
/// Clips (nested sequences expanded) beyond this are refused, so a small
/// file of sequences nested many times over cannot run unbounded.
pub(super) const MAX_CLIPS: usize = 1_000_000;

/// A sequence as read.
pub(super) struct Sequence {
    pub name: Option<String>,
    pub rate: FrameRate,
    /// Timecode frame of its first frame.
    pub start: i64,
    pub format: Option<SequenceFormat>,
    pub tracks: Vec<Track>,
    pub markers: Vec<Marker>,
}

/// Reading state across sequences.
pub(super) struct Reader<'a, 'i> {
    pub doc: Doc<'a, 'i>,
    /// Notes about the file, not one clip.
    pub warnings: Vec<String>,
    /// The sequences being read, outermost first: a cycle check.
    stack: Vec<Node<'a, 'i>>,
    clips: usize,
    /// Set when reading must stop (a cycle, too many clips).
    pub stopped: bool,
}

/// A transition's record frames: start, end and cut point.
#[derive(Clone, Copy)]
struct Times {
    start: i64,
    end: i64,
    cut: i64,
}

impl<'a, 'i> Reader<'a, 'i> {
    pub fn new(doc: Doc<'a, 'i>) -> Self {
        Reader {
            doc,
            warnings: Vec::new(),
            stack: Vec::new(),
            clips: 0,
            stopped: false,
        }
    }

    /// Reads `seq` (already dereferenced); `None` when it cannot be read
    /// (the problem is recorded).
    pub fn sequence(
        &mut self,
        seq: Node<'a, 'i>,
        inherited: Option<FrameRate>,
    ) -> Option<Sequence> {
        if self.stopped {
            return None;
        }
        if let Some(i) = self.stack.iter().position(|s| *s == seq) {
            let chain: Vec<String> = self.stack[i..]
                .iter()
                .chain(std::iter::once(&seq))
                .map(|s| self.doc.describe(*s))
                .collect();
            self.doc.problem(
                seq,
                seq,
                format!(
                    "nested sequences form a cycle: {}",
                    chain.join(" contains ")
                ),
            );
            self.stopped = true;
            return None;
        }
        if self.stack.len() >= MAX_DEPTH {
            self.doc.problem(
                seq,
                seq,
                format!("sequences nested more than {MAX_DEPTH} deep"),
            );
            self.stopped = true;
            return None;
        }
        let rate = self.doc.rate(seq, seq, inherited);
        let Some(rate) = rate else {
            if child(seq, "rate").is_none() {
                self.doc.problem(seq, seq, "no <rate>");
            }
            return None;
        };
        self.stack.push(seq);
        let start = child(seq, "timecode")
            .and_then(|tc| {
                let tc_rate = self.doc.rate(seq, tc, Some(rate)).unwrap_or(rate);
                self.doc
                    .frames(seq, tc, "frame", false)
                    .map(|f| timecode_at(f, tc_rate, rate))
            })
            .unwrap_or(0);
        let video = child(seq, "media").and_then(|m| child(m, "video"));
        let format = video
            .and_then(|v| child(v, "format"))
            .and_then(|f| child(f, "samplecharacteristics"))
            .and_then(|s| self.format(seq, s));
        let mut tracks = Vec::new();
        if let Some(v) = video {
            for t in children(v, "track") {
                if self.stopped {
                    break;
                }
                let t = self.doc.deref(t);
                tracks.push(self.track(t, rate));
            }
        }
        let audio = child(seq, "media")
            .and_then(|m| child(m, "audio"))
            .map_or(0, |a| children(a, "track").count());
        if audio > 0 && self.stack.len() == 1 {
            self.warnings.push(self.doc.warning(
                seq,
                format!("{audio} audio tracks are left out (grade conforms picture)"),
            ));
        }
        let markers = self.markers(seq, rate, start);
        self.stack.pop();
        Some(Sequence {
            name: text(seq, "name").map(str::to_string),
            rate,
            start,
            format,
            tracks,
            markers,
        })
    }

    fn format(&mut self, seq: Node, s: Node) -> Option<SequenceFormat> {
        let width = self.doc.frames(seq, s, "width", false)?;
        let height = self.doc.frames(seq, s, "height", false)?;
        if width <= 0 || height <= 0 || width > 65536 || height > 65536 {
            self.doc.problem(
                seq,
                s,
                format!("frame size {width}x{height} is not a picture size"),
            );
            return None;
        }
        let anamorphic = text(s, "anamorphic").is_some_and(is_true);
        let par = text(s, "pixelaspectratio").unwrap_or("square");
        let pixel_aspect = match par.to_ascii_lowercase().as_str() {
            "square" | "" => 1.0,
            "ntsc-601" | "ntsc-cciir-601" if anamorphic => 40.0 / 33.0,
            "ntsc-601" | "ntsc-cciir-601" => 10.0 / 11.0,
            "pal-601" | "pal-cciir-601" if anamorphic => 118.0 / 81.0,
            "pal-601" | "pal-cciir-601" => 59.0 / 54.0,
            "hd-(1280x1080)" | "hd-1280x1080" | "dvcprohd-1080" => 1.5,
            "hd-(960x720)" | "hd-960x720" | "hd-(1440x1080)" | "hd-1440x1080" => 4.0 / 3.0,
            other => match other.parse::<f64>() {
                Ok(v) if v.is_finite() && v > 0.0 => v,
                _ => {
                    self.warnings.push(self.doc.warning(
                        seq,
                        format!("pixel aspect \"{par}\" is not known: square pixels assumed"),
                    ));
                    1.0
                }
            },
        };
        Some(SequenceFormat {
            width: width as u32,
            height: height as u32,
            pixel_aspect,
        })
    }

    fn markers(&mut self, n: Node, rate: FrameRate, base: i64) -> Vec<Marker> {
        let mut out = Vec::new();
        for m in children(n, "marker") {
            let Some(at) = self.doc.frames(m, m, "in", true) else {
                continue;
            };
            let name = text(m, "name")
                .filter(|t| !t.is_empty())
                .or(text(m, "comment"))
                .unwrap_or("");
            out.push(Marker {
                frame: base + rescale(at, self.doc.rate(m, n, Some(rate)).unwrap_or(rate), rate),
                name: name.to_string(),
                color: text(m, "color").unwrap_or("").to_string(),
            });
        }
        out
    }

    /// The record frames of transition `t`, quietly (`None` if unreadable:
    /// reading `t` itself says why).
    fn times(t: Node) -> Option<Times> {
        let num = |k: &str| {
            text(t, k)
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|v| v.is_finite() && v.abs() < 1e12)
                .map(|v| v.round() as i64)
        };
        let (start, end) = (num("start")?, num("end")?);
        let cut = match text(t, "alignment").unwrap_or("center") {
            "start" | "start-black" => start,
            "end" | "end-black" => end,
            _ => (start + end).div_euclid(2),
        };
        Some(Times { start, end, cut })
    }

    fn track(&mut self, track: Node<'a, 'i>, rate: FrameRate) -> Track {
        let enabled = text(track, "enabled").is_none_or(is_true);
        let elems: Vec<Node<'a, 'i>> = track
            .children()
            .filter(|c| {
                matches!(
                    c.tag_name().name(),
                    "clipitem" | "generatoritem" | "transitionitem"
                )
            })
            .map(|c| self.doc.deref(c))
            .collect();
        let is_transition = |n: &Node| n.tag_name().name() == "transitionitem";
        let mut items = Vec::new();
        let mut cursor = 0i64;
        for (i, &e) in elems.iter().enumerate() {
            if self.stopped {
                break;
            }
            if is_transition(&e) {
                self.transition(e, &mut items, &mut cursor);
                continue;
            }
            let head = i
                .checked_sub(1)
                .and_then(|p| elems.get(p))
                .filter(|n| is_transition(n))
                .and_then(|n| Self::times(*n));
            let tail = elems
                .get(i + 1)
                .filter(|n| is_transition(n))
                .and_then(|n| Self::times(*n));
            self.clip_item(e, head, tail, rate, &mut items, &mut cursor);
        }
        Track {
            name: text(track, "name").unwrap_or("").to_string(),
            enabled,
            items,
        }
    }

    fn transition(&mut self, t: Node, items: &mut Vec<Item>, cursor: &mut i64) {
        let start = self.doc.frames(t, t, "start", true);
        let end = self.doc.frames(t, t, "end", true);
        let (Some(start), Some(end)) = (start, end) else {
            return;
        };
        if end < start {
            self.doc
                .problem(t, t, format!("ends at {end}, before it starts at {start}"));
            return;
        }
        let Some(times) = Self::times(t) else {
            return;
        };
        let alignment = text(t, "alignment").unwrap_or("");
        if !matches!(
            alignment,
            "start" | "start-black" | "end" | "end-black" | "center"
        ) {
            self.warnings.push(self.doc.warning(
                t,
                format!("alignment \"{alignment}\" is not known: the cut is taken at the centre"),
            ));
        }
        let effect = child(t, "effect");
        let name = effect.and_then(|e| text(e, "name")).unwrap_or("");
        let id = effect.and_then(|e| text(e, "effectid")).unwrap_or("");
        let dissolve = ["cross dissolve", "dissolve"]
            .iter()
            .any(|d| id.eq_ignore_ascii_case(d) || name.eq_ignore_ascii_case(d));
        if !dissolve {
            self.warnings.push(self.doc.warning(
                t,
                format!("transition \"{name}\" is rendered as a dissolve"),
            ));
        }
        if times.cut > *cursor {
            items.push(Item::Gap {
                duration: times.cut - *cursor,
            });
            *cursor = times.cut;
        } else if times.cut < *cursor {
            self.warnings.push(self.doc.warning(
                t,
                format!(
                    "its cut point ({}) is before the end of the clip before it ({}): placed there",
                    times.cut, *cursor
                ),
            ));
        }
        items.push(Item::Transition(Transition {
            kind: if dissolve {
                "SMPTE_Dissolve".into()
            } else {
                name.to_string()
            },
            in_offset: times.cut - times.start,
            out_offset: times.end - times.cut,
            origin: Origin {
                id: t
                    .attribute("id")
                    .map_or_else(|| name.to_string(), str::to_string),
                line: Some(self.doc.line(t)),
                event: None,
                written: None,
            },
        }));
    }

    fn clip_item(
        &mut self,
        e: Node<'a, 'i>,
        head: Option<Times>,
        tail: Option<Times>,
        seq_rate: FrameRate,
        items: &mut Vec<Item>,
        cursor: &mut i64,
    ) {
        let generator = e.tag_name().name() == "generatoritem";
        let start_v = self.doc.frames(e, e, "start", true);
        let end_v = self.doc.frames(e, e, "end", true);
        let in_v = self.doc.frames(e, e, "in", !generator);
        let out_v = self.doc.frames(e, e, "out", !generator);
        let clip_rate = self.doc.rate(e, e, Some(seq_rate)).unwrap_or(seq_rate);
        let (Some(start_v), Some(end_v)) = (start_v, end_v) else {
            return;
        };
        let (mut start, mut offset) = (start_v, 0);
        if start_v == -1 {
            match head {
                Some(t) => (start, offset) = (t.cut, t.cut - t.start),
                None => {
                    self.doc
                        .problem(e, e, "start is -1 but no transition comes before it");
                    return;
                }
            }
        }
        let end = match (end_v, tail) {
            (-1, Some(t)) => t.cut,
            (-1, None) => {
                self.doc
                    .problem(e, e, "end is -1 but no transition comes after it");
                return;
            }
            (v, _) => v,
        };
        if end < start {
            self.doc.problem(
                e,
                e,
                format!("a negative duration: it ends at {end}, before it starts at {start}"),
            );
            return;
        }
        if let (Some(i), Some(o)) = (in_v, out_v) {
            if o < i {
                self.doc.problem(
                    e,
                    e,
                    format!("a negative duration: out {o} is before in {i}"),
                );
                return;
            }
        }
        let mut warnings = Vec::new();
        if start < *cursor {
            let over = *cursor - start;
            if end <= *cursor {
                self.warnings.push(
                    self.doc
                        .warning(e, "lies under the item before it on its track: left out"),
                );
                return;
            }
            warnings.push(self.doc.warning(
                e,
                format!("overlaps the item before it by {over} frames: they are left out"),
            ));
            offset += over;
            start = *cursor;
        }
        if start > *cursor {
            items.push(Item::Gap {
                duration: start - *cursor,
            });
        }
        *cursor = end;
        let duration = end - start;
        self.clips += 1;
        if self.clips > MAX_CLIPS {
            self.doc.problem(
                e,
                e,
                format!("more than {MAX_CLIPS} clips (nested sequences counted each time they are used)"),
            );
            self.stopped = true;
            return;
        }
        let enabled = text(e, "enabled").is_none_or(is_true);
        let f = filters(&self.doc, e);
        warnings.extend(f.warnings.iter().cloned());
        let speed = f.speed.unwrap_or(1.0);
        let in_f = in_v.unwrap_or(0);
        if let Some(seq) = child(e, "sequence") {
            let seq = self.doc.deref(seq);
            if f.speed.is_some_and(|s| s != 1.0) || f.remap.is_some() {
                warnings.push(
                    self.doc
                        .warning(e, "Time Remap on a nested sequence is not applied"),
                );
            }
            let Some(inner) = self.sequence(seq, Some(clip_rate)) else {
                items.push(Item::Gap { duration });
                return;
            };
            let from = rescale(in_f, clip_rate, inner.rate) + rescale(offset, seq_rate, inner.rate);
            let id = e.attribute("id").or(text(e, "name")).unwrap_or("");
            let outer = Outer {
                id,
                enabled,
                reposition: f.reposition,
                warnings: &warnings,
            };
            let pieces = flatten(&inner.tracks, from, duration, &outer);
            self.clips = self.clips.saturating_add(pieces.len());
            items.extend(pieces);
            return;
        }
        let (media, tc_start) = if generator {
            let (m, w) = generator_media(&self.doc, e);
            warnings.extend(w);
            (Some(m), 0)
        } else if let Some(file) = child(e, "file") {
            let file = self.doc.deref(file);
            let s = file_media(&mut self.doc, e, file, clip_rate, seq_rate);
            warnings.extend(s.warnings);
            (s.media, s.tc_start)
        } else {
            self.doc
                .problem(e, e, "has neither a <file> nor a <sequence>");
            return;
        };
        let Some(media) = media else {
            items.push(Item::Gap { duration });
            return;
        };
        let first = if speed < 0.0 {
            rescale(out_v.unwrap_or(in_f), clip_rate, seq_rate) - 1
        } else {
            rescale(in_f, clip_rate, seq_rate)
        };
        let mut source_start = tc_start + first + (offset as f64 * speed).round() as i64;
        let mut effects = f.effects();
        if let Some(keys) = &f.remap {
            // The time graph from the clip's in point, at the sequence's
            // rate: frame k of the clip is `when` in + k.
            let scale = |x: f64| x * seq_rate.fps() / clip_rate.fps();
            let from = scale(in_f as f64);
            let first = rescale(in_f, clip_rate, seq_rate);
            let keyframes = keys
                .iter()
                .map(|&(w, v)| (scale(w) - from, scale(v) - first as f64))
                .collect();
            source_start = tc_start + first;
            effects = vec![
                TimeEffect::Offset { frames: offset },
                TimeEffect::Remap { keyframes },
            ];
            effects.retain(|e| *e != TimeEffect::Offset { frames: 0 });
        }
        let markers = self.markers(e, clip_rate, tc_start);
        let name = text(e, "name").unwrap_or("").to_string();
        let id = e
            .attribute("id")
            .map_or_else(|| name.clone(), str::to_string);
        items.push(Item::Clip(Box::new(Clip {
            name,
            media,
            source_range: FrameRange {
                start: source_start,
                duration,
            },
            source_rate: seq_rate,
            effects,
            enabled,
            markers,
            cdl: None,
            unsupported: None,
            reposition: f.reposition,
            warnings,
            origin: Origin {
                id,
                line: Some(self.doc.line(e)),
                event: Some(self.clips),
                written: None,
            },
        })));
    }
}

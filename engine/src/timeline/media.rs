//! The media index and matching: one [`SourceClip`] per frame sequence on
//! disk ([`MediaIndex::scan`]), and which clip an EDL event's source side
//! uses ([`MediaIndex::match_side`]), by the rules listed in
//! [`super::conform`]'s documentation.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::io::sequence::Pattern;
use crate::timeline::edl::Side;
use crate::timeline::model::{self, Media};
use crate::timeline::timecode::Rate;

pub use super::proxy_map::ProxyMap;
pub use super::unreadable::Unreadable;
use crate::{Error, Result};

/// One source frame sequence in the media index.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceClip {
    pub pattern: Pattern,
    /// Reel / tape name from the file header (DPX input device, EXR `reelName`).
    pub reel: Option<String>,
    /// The sequence's name: its file-name prefix without separators
    /// (`A001C003` for `A001C003.%07d.dpx`), or its folder's name.
    pub clip_name: String,
    /// Timecode of `first_frame`, as a frame count at `rate`.
    pub start_tc: i64,
    /// File frame numbers present, inclusive.
    pub first_frame: i64,
    pub last_frame: i64,
    /// Missing file frames between first and last, inclusive ranges.
    pub gaps: Vec<(i64, i64)>,
    pub rate: Rate,
    /// The rate the first frame's header gives, if any (`rate` falls back
    /// to the scan's default rate without one).
    pub header_rate: Option<Rate>,
    pub width: u32,
    pub height: u32,
    /// Pixel aspect ratio from the header (1 for square pixels, 2 for a 2x
    /// anamorphic scan).
    pub pixel_aspect: f64,
}

impl SourceClip {
    /// Source timecode (frames at `edl_rate`) of this clip's first frame.
    /// Rates with the same timecode base share labels; otherwise the label
    /// is converted through seconds.
    fn start_at(&self, edl_rate: Rate) -> i64 {
        if self.rate.nominal() == edl_rate.nominal()
            && self.rate.is_drop_frame() == edl_rate.is_drop_frame()
        {
            self.start_tc
        } else {
            let label = self.rate.to_timecode(self.start_tc);
            let label = crate::SmpteTimecode {
                drop_frame: edl_rate.is_drop_frame(),
                frames: ((u32::from(label.frames) * edl_rate.nominal()) / self.rate.nominal())
                    as u8,
                ..label
            };
            edl_rate.to_frames(&label).unwrap_or(self.start_tc)
        }
    }

    /// The file frame holding source timecode `tc` (frames at `edl_rate`).
    pub fn file_frame(&self, tc: i64, edl_rate: Rate) -> i64 {
        let offset = tc - self.start_at(edl_rate);
        if self.rate.nominal() == edl_rate.nominal() {
            self.first_frame + offset
        } else {
            // A 48 fps clip in a 24 fps cut: two file frames per EDL frame.
            self.first_frame
                + offset * i64::from(self.rate.nominal()) / i64::from(edl_rate.nominal())
        }
    }

    /// The file of file frame `frame`.
    pub fn path(&self, frame: i64) -> PathBuf {
        self.pattern.path(frame)
    }

    fn has_frames(&self, lo: i64, hi: i64) -> bool {
        lo >= self.first_frame
            && hi <= self.last_frame
            && !self.gaps.iter().any(|&(a, b)| a <= hi && b >= lo)
    }
}

/// How a name is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    Exact,
    CaseInsensitive,
    /// First 8 characters, case-insensitive.
    Reel8,
}

/// Which EDL name found the media.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKey {
    Reel,
    ClipName,
    SourceFile,
    Path,
}

/// The rule that matched an event side to a clip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchRule {
    Name {
        key: MatchKey,
        compare: Compare,
        /// The name was rewritten by a `--proxy-map` rule first.
        proxy_mapped: bool,
    },
    /// No name matched; the only clip whose timecode contains the frames.
    Timecode,
    /// The timeline names the media's path itself.
    Reference,
}

impl fmt::Display for MatchRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MatchRule::Name {
                key,
                compare,
                proxy_mapped,
            } => {
                let k = match key {
                    MatchKey::Reel => "reel",
                    MatchKey::ClipName => "clip name",
                    MatchKey::SourceFile => "source file",
                    MatchKey::Path => "source path",
                };
                let c = match compare {
                    Compare::Exact => "",
                    Compare::CaseInsensitive => " (case-insensitive)",
                    Compare::Reel8 => " (first 8 characters)",
                };
                let p = if *proxy_mapped { " via proxy map" } else { "" };
                write!(f, "{k}{c}{p}")
            }
            MatchRule::Timecode => write!(f, "timecode only"),
            MatchRule::Reference => write!(f, "timeline reference"),
        }
    }
}

/// Frames of source available around what an event shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handles {
    pub before: i64,
    pub after: i64,
}

/// What was found for one side of an event.
#[derive(Debug, Clone, PartialEq)]
pub enum SideMatch {
    Matched {
        clip: usize,
        rule: MatchRule,
        handles: Handles,
    },
    /// `BL`/`BLACK`: nothing to find.
    Black,
    Missing {
        why: String,
    },
    Ambiguous {
        candidates: Vec<usize>,
    },
    Unsupported {
        why: String,
    },
}

impl SideMatch {
    pub fn is_renderable(&self) -> bool {
        matches!(self, SideMatch::Matched { .. } | SideMatch::Black)
    }
}

/// Matching options.
#[derive(Debug, Clone, Default)]
pub struct MatchOptions {
    /// Handle frames wanted each side of every event: clips that have them
    /// are preferred, and the plan reports what each match has.
    pub handles: i64,
    pub proxy_map: Option<ProxyMap>,
    /// Never match by timecode alone.
    pub no_timecode_fallback: bool,
}

/// How [`MediaIndex::scan`] reads headers.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Rate of clips whose headers give none.
    pub default_rate: Option<Rate>,
}

/// Source clips, with lookups by name.
#[derive(Debug, Clone, Default)]
pub struct MediaIndex {
    clips: Vec<SourceClip>,
    unreadable: Vec<Unreadable>,
    reel: [HashMap<String, Vec<usize>>; 3],
    name: [HashMap<String, Vec<usize>>; 3],
}

pub(super) fn fold(s: &str, c: Compare) -> String {
    match c {
        Compare::Exact => s.to_string(),
        Compare::CaseInsensitive => s.to_lowercase(),
        Compare::Reel8 => s.chars().take(8).collect::<String>().to_lowercase(),
    }
}

pub(super) const COMPARES: [Compare; 3] =
    [Compare::Exact, Compare::CaseInsensitive, Compare::Reel8];

impl MediaIndex {
    pub fn new(clips: Vec<SourceClip>) -> MediaIndex {
        let mut index = MediaIndex {
            clips,
            ..Default::default()
        };
        for (i, c) in index.clips.iter().enumerate() {
            for (k, cmp) in COMPARES.iter().enumerate() {
                if let Some(r) = &c.reel {
                    index.reel[k].entry(fold(r, *cmp)).or_default().push(i);
                }
                index.name[k]
                    .entry(fold(&c.clip_name, *cmp))
                    .or_default()
                    .push(i);
            }
        }
        index
    }

    pub fn clips(&self) -> &[SourceClip] {
        &self.clips
    }

    /// Files and folders the scan could not read (left out of the index).
    pub fn unreadable(&self) -> &[Unreadable] {
        &self.unreadable
    }

    /// This index, noting `unreadable` as left out of it.
    pub fn with_unreadable(mut self, unreadable: Vec<Unreadable>) -> MediaIndex {
        self.unreadable = unreadable;
        self
    }

    /// The one warning about unreadable media: the count and the first few
    /// paths. `None` when everything could be read.
    pub fn unreadable_warning(&self) -> Option<String> {
        super::unreadable::warning(&self.unreadable)
    }

    pub fn clip(&self, i: usize) -> Option<&SourceClip> {
        self.clips.get(i)
    }

    /// Walks `roots` for DPX, EXR and TIFF frame sequences and reads the
    /// header of each sequence's first frame (reel, timecode, rate, size).
    /// A sequence with no timecode starts at its first frame number. A root
    /// that cannot be read is an error; a folder below it or a sequence
    /// whose first frame cannot be read is left out and listed in
    /// [`MediaIndex::unreadable`], so one bad file does not stop a conform.
    pub fn scan(roots: &[PathBuf], opts: &ScanOptions) -> Result<MediaIndex> {
        let mut groups: HashMap<(PathBuf, String, String), (usize, Vec<i64>)> = HashMap::new();
        let mut singles: Vec<PathBuf> = Vec::new();
        let mut stack: Vec<PathBuf> = roots.to_vec();
        // Folders already walked, so that symbolic-link loops end.
        let mut seen: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
        let mut unreadable: Vec<Unreadable> = Vec::new();
        while let Some(dir) = stack.pop() {
            if !seen.insert(std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone())) {
                continue;
            }
            let listing = std::fs::metadata(&dir).and_then(|meta| {
                if meta.is_file() {
                    Ok(None)
                } else {
                    std::fs::read_dir(&dir).map(Some)
                }
            });
            let rd = match listing {
                Ok(Some(rd)) => rd,
                Ok(None) => {
                    singles.push(dir);
                    continue;
                }
                Err(e) if roots.contains(&dir) => return Err(Error::read(&dir, e)),
                Err(e) => {
                    let err = Error::read(&dir, e).to_string();
                    let name = dir
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    unreadable.push(Unreadable::new(dir, name, err));
                    continue;
                }
            };
            for entry in rd.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if crate::io::Format::from_path(&path).is_err() {
                    continue;
                }
                let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                    continue;
                };
                match split_frame_number(name) {
                    Some((prefix, digits, suffix)) => {
                        let Ok(n) = digits.parse::<i64>() else {
                            continue;
                        };
                        let g = groups
                            .entry((dir.clone(), prefix.to_string(), suffix.to_string()))
                            .or_insert((digits.len(), Vec::new()));
                        g.0 = g.0.min(digits.len());
                        g.1.push(n);
                    }
                    None => singles.push(path),
                }
            }
        }
        let mut clips = Vec::new();
        let mut keys: Vec<_> = groups.into_iter().collect();
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        let mut seqs: Vec<(Pattern, Vec<i64>)> = keys
            .into_iter()
            .map(|((dir, prefix, suffix), (padding, mut frames))| {
                frames.sort_unstable();
                frames.dedup();
                (
                    Pattern {
                        dir,
                        prefix,
                        suffix,
                        padding: Some(padding),
                    },
                    frames,
                )
            })
            .collect();
        for p in singles {
            let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            seqs.push((
                Pattern {
                    dir,
                    prefix: name,
                    suffix: String::new(),
                    padding: None,
                },
                vec![0],
            ));
        }
        for (pattern, frames) in seqs {
            let (Some(&first), Some(&last)) = (frames.first(), frames.last()) else {
                continue;
            };
            let path = pattern.path(first);
            let info = match crate::io::read_info(&path) {
                Ok(i) => i,
                Err(e) => {
                    unreadable.push(Unreadable::new(path, clip_name_of(&pattern), e.to_string()));
                    continue;
                }
            };
            let header_rate = info.meta.fps.and_then(Rate::from_fps);
            let rate = header_rate.or(opts.default_rate).unwrap_or(Rate::FPS_24);
            let start_tc = match &info.meta.timecode {
                Some(tc) => {
                    let rate = rate.with_drop_frame(tc.drop_frame);
                    rate.to_frames(tc).unwrap_or(first)
                }
                None => first,
            };
            let rate = info
                .meta
                .timecode
                .map_or(rate, |tc| rate.with_drop_frame(tc.drop_frame));
            clips.push(SourceClip {
                clip_name: clip_name_of(&pattern),
                reel: info.meta.reel.clone().filter(|r| !r.trim().is_empty()),
                start_tc,
                first_frame: first,
                last_frame: last,
                gaps: crate::io::sequence::gaps(&frames),
                header_rate: header_rate.map(|r| r.with_drop_frame(rate.is_drop_frame())),
                rate,
                width: info.width,
                height: info.height,
                pixel_aspect: info.meta.pixel_aspect.unwrap_or(1.0),
                pattern,
            });
        }
        unreadable.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(MediaIndex::new(clips).with_unreadable(unreadable))
    }

    fn lookup(&self, key: MatchKey, name: &str, cmp: Compare) -> Vec<usize> {
        let k = COMPARES.iter().position(|c| *c == cmp).unwrap_or(0);
        let folded = fold(name, cmp);
        let (first, second) = if key == MatchKey::Reel {
            (&self.reel[k], &self.name[k])
        } else {
            (&self.name[k], &self.reel[k])
        };
        let mut out: Vec<usize> = first.get(&folded).cloned().unwrap_or_default();
        for i in second.get(&folded).into_iter().flatten() {
            if !out.contains(i) {
                out.push(*i);
            }
        }
        out
    }

    /// Finds the media for one EDL event side showing `frames` record frames.
    pub fn match_side(
        &self,
        side: &Side,
        frames: i64,
        rate: Rate,
        opts: &MatchOptions,
    ) -> SideMatch {
        let media = model::media_of(&side.source);
        self.match_media(&media, side.source_span(frames.max(1), rate), rate, opts)
    }

    /// Finds the media for a timeline clip showing `frames` record frames
    /// from its start (its time effects applied).
    pub fn match_clip(
        &self,
        clip: &model::Clip,
        frames: i64,
        rate: Rate,
        opts: &MatchOptions,
    ) -> SideMatch {
        let (a, b) = (clip.source_frame(0), clip.source_frame(frames.max(1) - 1));
        self.match_media(&clip.media, Some((a.min(b), a.max(b))), rate, opts)
    }

    /// Finds `media` holding source frames `span` (timecode frames at `rate`).
    fn match_media(
        &self,
        media: &Media,
        span: Option<(i64, i64)>,
        rate: Rate,
        opts: &MatchOptions,
    ) -> SideMatch {
        let src = match media {
            Media::Black => return SideMatch::Black,
            Media::Bars => {
                return SideMatch::Unsupported {
                    why: "colour bars (BARS) are not generated".into(),
                }
            }
            Media::Named(n) => n,
            // Read from its path by the planner (`references.rs`), never
            // through the index.
            Media::Sequence(s) => {
                return SideMatch::Missing {
                    why: format!("{}: not resolved", s.path),
                }
            }
            // A colour generator renders black (the reader warns).
            Media::Colour(_) => return SideMatch::Black,
        };
        let Some((lo, hi)) = span else {
            return SideMatch::Missing {
                why: "the event shows no frames".into(),
            };
        };
        let stem = |p: &str| {
            let base = p.rsplit(['/', '\\']).next().unwrap_or(p).to_string();
            match base.rfind('.') {
                Some(i) if i > 0 => base[..i].to_string(),
                _ => base,
            }
        };
        let mut keys: Vec<(MatchKey, String)> = Vec::new();
        if let Some(t) = &src.reel {
            keys.push((MatchKey::Reel, t.clone()));
        }
        if let Some(n) = &src.clip_name {
            keys.push((MatchKey::ClipName, n.clone()));
        }
        if let Some(f) = &src.source_file {
            keys.push((MatchKey::SourceFile, f.clone()));
            let s = stem(f);
            if s != *f {
                keys.push((MatchKey::SourceFile, s));
            }
        }
        if let Some(p) = &src.path {
            keys.push((MatchKey::Path, stem(p)));
        }
        let mut named: BTreeSet<usize> = BTreeSet::new();
        let mut near_miss: Option<String> = None;
        for (key, name) in &keys {
            let mapped = opts.proxy_map.as_ref().and_then(|m| m.apply(name));
            let (name, proxy_mapped) = match &mapped {
                Some(m) => (m.as_str(), true),
                None => (name.as_str(), false),
            };
            for cmp in COMPARES {
                if cmp == Compare::Reel8 && *key != MatchKey::Reel {
                    continue;
                }
                let cands = self.lookup(*key, name, cmp);
                if cands.is_empty() {
                    continue;
                }
                named.extend(cands.iter().copied());
                let rule = MatchRule::Name {
                    key: *key,
                    compare: cmp,
                    proxy_mapped,
                };
                match self.choose(&cands, lo, hi, rate, opts, rule) {
                    Ok(m) => return m,
                    Err(why) => {
                        near_miss.get_or_insert(why);
                    }
                }
            }
        }
        let label = |f: i64| rate.to_timecode(f).to_string();
        let needed = format!("source {}-{}", label(lo), label(hi));
        // Media the event names but the scan could not read: the event
        // needs it, so nothing else is matched by timecode in its place.
        let unreadable = keys.iter().find_map(|(_, n)| {
            let mapped = opts.proxy_map.as_ref().and_then(|m| m.apply(n));
            let n = mapped.as_deref().unwrap_or(n);
            self.unreadable.iter().find(|u| u.answers_to(n))
        });
        if let Some(u) = unreadable.filter(|_| named.is_empty()) {
            return SideMatch::Missing {
                why: format!(
                    "{needed}: {} could not be read ({})",
                    u.path.display(),
                    u.error
                ),
            };
        }
        if named.is_empty() && !opts.no_timecode_fallback {
            let all: Vec<usize> = (0..self.clips.len()).collect();
            if let Ok(m) = self.choose(&all, lo, hi, rate, opts, MatchRule::Timecode) {
                return m;
            }
        }
        let names: Vec<String> = keys.iter().map(|(_, n)| format!("{n:?}")).collect();
        SideMatch::Missing {
            why: match near_miss {
                Some(w) => format!("{needed}: {w}"),
                None if names.is_empty() => format!(
                    "{needed}: the event names no reel or clip, and no clip's timecode contains it"
                ),
                None => format!("{needed}: no clip named {}", names.join(" or ")),
            },
        }
    }

    /// Among `cands`, the one clip whose timecode holds `lo..=hi`.
    fn choose(
        &self,
        cands: &[usize],
        lo: i64,
        hi: i64,
        rate: Rate,
        opts: &MatchOptions,
        rule: MatchRule,
    ) -> std::result::Result<SideMatch, String> {
        let mut covering: Vec<(usize, Handles)> = Vec::new();
        for &i in cands {
            let Some(c) = self.clips.get(i) else { continue };
            let (a, b) = (c.file_frame(lo, rate), c.file_frame(hi, rate));
            if c.has_frames(a, b) {
                covering.push((
                    i,
                    Handles {
                        before: a - c.first_frame,
                        after: c.last_frame - b,
                    },
                ));
            }
        }
        if covering.len() > 1 && opts.handles > 0 {
            let with: Vec<(usize, Handles)> = covering
                .iter()
                .copied()
                .filter(|(_, h)| h.before >= opts.handles && h.after >= opts.handles)
                .collect();
            if !with.is_empty() {
                covering = with;
            }
        }
        match covering.as_slice() {
            [(clip, handles)] => Ok(SideMatch::Matched {
                clip: *clip,
                rule,
                handles: *handles,
            }),
            [] => {
                let shown: Vec<String> = cands
                    .iter()
                    .take(3)
                    .filter_map(|&i| self.clips.get(i))
                    .map(|c| {
                        let start = c.start_at(rate);
                        let end = start + (c.last_frame - c.first_frame);
                        format!(
                            "{} covers {}-{}",
                            c.pattern,
                            rate.to_timecode(start),
                            rate.to_timecode(end)
                        )
                    })
                    .collect();
                Err(format!(
                    "found by {rule} but its frames are not all there ({})",
                    shown.join("; ")
                ))
            }
            many => Ok(SideMatch::Ambiguous {
                candidates: many.iter().map(|(i, _)| *i).collect(),
            }),
        }
    }
}

/// `A001C003.0001001.dpx` -> (`A001C003.`, `0001001`, `.dpx`): the last run
/// of digits before the extension.
fn split_frame_number(name: &str) -> Option<(&str, &str, &str)> {
    let dot = name.rfind('.')?;
    let stem = &name[..dot];
    let digits = stem.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 18 {
        return None;
    }
    let start = stem.len() - digits;
    Some((&name[..start], &stem[start..], &name[dot..]))
}

fn clip_name_of(p: &Pattern) -> String {
    clip_name(&p.dir, &p.prefix, p.padding.is_some())
}

/// The clip name of one source file, as the media index names the clip it
/// belongs to (`A001C003` for `/scans/A001C003.0001001.exr`).
pub(crate) fn clip_name_of_file(path: &Path) -> String {
    let dir = path.parent().unwrap_or(Path::new(""));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    match split_frame_number(name) {
        Some((prefix, _, _)) => clip_name(dir, prefix, true),
        None => clip_name(dir, name, false),
    }
}

/// A clip's name from the file-name text before its frame number
/// (`numbered`), or from a single file's name without its extension; the
/// folder's name when that leaves nothing.
fn clip_name(dir: &Path, prefix: &str, numbered: bool) -> String {
    let base = if numbered {
        prefix.trim_end_matches(['.', '_', '-', ' ']).to_string()
    } else {
        match prefix.rfind('.') {
            Some(i) if i > 0 => prefix[..i].to_string(),
            _ => prefix.to_string(),
        }
    };
    if base.is_empty() {
        dir.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string()
    } else {
        base
    }
}

//! Conform planning: which source media each EDL event uses, and what every
//! record frame shows.
//!
//! The media index ([`MediaIndex`]) is plain data: one [`SourceClip`] per
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
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use regex::Regex;

use crate::io::sequence::Pattern;
use crate::timeline::edl::{Edit, Edl, Event, Reel, Side};
use crate::timeline::timecode::Rate;
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

/// `--proxy-map`: how names in a proxy cut become source names.
#[derive(Debug, Clone)]
pub enum ProxyMap {
    /// `s/pattern/replacement/` (regex; `$1` or `\1` for groups; flag `i`).
    Replace { regex: Regex, replacement: String },
    /// A CSV file of `proxy,source` lines.
    Table(HashMap<String, String>),
}

impl ProxyMap {
    /// `s/pat/rep/[i]`, or else the path of a `proxy,source` CSV file.
    pub fn parse(spec: &str) -> Result<ProxyMap> {
        let mut chars = spec.chars();
        if let (Some('s'), Some(delim)) = (chars.next(), chars.next()) {
            if !delim.is_alphanumeric() && !delim.is_whitespace() {
                let parts: Vec<&str> = spec[1 + delim.len_utf8()..].split(delim).collect();
                if let [pat, rep, flags] = parts.as_slice() {
                    let case = match *flags {
                        "" => "",
                        "i" => "(?i)",
                        other => {
                            return Err(Error::Usage(format!(
                                "--proxy-map {spec}: unknown flag {other:?} (only i)"
                            )))
                        }
                    };
                    let regex = Regex::new(&format!("{case}{pat}"))
                        .map_err(|e| Error::Usage(format!("--proxy-map {spec}: {e}")))?;
                    // `\1` as sed writes it, `$1` / `${1}` as the regex crate does.
                    let group = Regex::new(r"\\(\d)").map_err(|e| Error::Usage(e.to_string()))?;
                    let replacement = group.replace_all(rep, "$${$1}").into_owned();
                    return Ok(ProxyMap::Replace { regex, replacement });
                }
                return Err(Error::Usage(format!(
                    "--proxy-map {spec}: expected s/pattern/replacement/"
                )));
            }
        }
        ProxyMap::read_csv(Path::new(spec))
    }

    /// `proxy,source` per line; a first line `proxy,source` is a header;
    /// blank lines and `#` comments are skipped. Every bad line is reported.
    pub fn read_csv(path: &Path) -> Result<ProxyMap> {
        let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
        let text = String::from_utf8_lossy(&bytes);
        let mut problems = crate::Problems::new(path);
        let mut table = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let l = line.trim();
            if l.is_empty()
                || l.starts_with('#')
                || (i == 0 && l.eq_ignore_ascii_case("proxy,source"))
            {
                continue;
            }
            match l.split_once(',') {
                Some((p, s)) if !p.trim().is_empty() && !s.trim().is_empty() => {
                    if table
                        .insert(p.trim().to_string(), s.trim().to_string())
                        .is_some()
                    {
                        problems.at(i + 1, format!("proxy name {:?} is mapped twice", p.trim()));
                    }
                }
                _ => problems.at(i + 1, format!("expected proxy,source; found {l:?}")),
            }
        }
        problems.finish_with(ProxyMap::Table(table))
    }

    /// The source name for `name`, when a rule changes it.
    pub fn apply(&self, name: &str) -> Option<String> {
        match self {
            ProxyMap::Replace { regex, replacement } => {
                let out = regex.replace(name, replacement.as_str());
                (out != name).then(|| out.into_owned())
            }
            ProxyMap::Table(t) => t.get(name).cloned(),
        }
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
    reel: [HashMap<String, Vec<usize>>; 3],
    name: [HashMap<String, Vec<usize>>; 3],
}

fn fold(s: &str, c: Compare) -> String {
    match c {
        Compare::Exact => s.to_string(),
        Compare::CaseInsensitive => s.to_lowercase(),
        Compare::Reel8 => s.chars().take(8).collect::<String>().to_lowercase(),
    }
}

const COMPARES: [Compare; 3] = [Compare::Exact, Compare::CaseInsensitive, Compare::Reel8];

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

    pub fn clip(&self, i: usize) -> Option<&SourceClip> {
        self.clips.get(i)
    }

    /// Walks `roots` for DPX, EXR and TIFF frame sequences and reads the
    /// header of each sequence's first frame (reel, timecode, rate, size).
    /// A sequence with no timecode starts at its first frame number. Files
    /// that cannot be read are reported together.
    pub fn scan(roots: &[PathBuf], opts: &ScanOptions) -> Result<MediaIndex> {
        let mut groups: HashMap<(PathBuf, String, String), (usize, Vec<i64>)> = HashMap::new();
        let mut singles: Vec<PathBuf> = Vec::new();
        let mut stack: Vec<PathBuf> = roots.to_vec();
        // Folders already walked, so that symbolic-link loops end.
        let mut seen: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
        while let Some(dir) = stack.pop() {
            if !seen.insert(std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone())) {
                continue;
            }
            let meta = std::fs::metadata(&dir).map_err(|e| Error::read(&dir, e))?;
            if meta.is_file() {
                singles.push(dir);
                continue;
            }
            let rd = std::fs::read_dir(&dir).map_err(|e| Error::read(&dir, e))?;
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
        let mut failures: Vec<String> = Vec::new();
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
                    failures.push(e.to_string());
                    continue;
                }
            };
            let rate = info
                .meta
                .fps
                .and_then(Rate::from_fps)
                .or(opts.default_rate)
                .unwrap_or(Rate::FPS_24);
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
                rate,
                width: info.width,
                height: info.height,
                pixel_aspect: info.meta.pixel_aspect.unwrap_or(1.0),
                pattern,
            });
        }
        if !failures.is_empty() {
            let root = roots.first().cloned().unwrap_or_default();
            let mut p = crate::Problems::new(root);
            for f in failures {
                p.file(f);
            }
            p.finish()?;
        }
        Ok(MediaIndex::new(clips))
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

    /// Finds the media for one event side showing `frames` record frames.
    pub fn match_side(
        &self,
        side: &Side,
        frames: i64,
        rate: Rate,
        opts: &MatchOptions,
    ) -> SideMatch {
        let src = &side.source;
        match src.reel {
            Reel::Black => return SideMatch::Black,
            Reel::Bars => {
                return SideMatch::Unsupported {
                    why: "colour bars (BARS) are not generated".into(),
                }
            }
            _ => {}
        }
        let Some((lo, hi)) = side.source_span(frames.max(1), rate) else {
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
        if let Some(t) = src.reel.tape() {
            keys.push((MatchKey::Reel, t.to_string()));
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
    let base = if p.padding.is_some() {
        p.prefix.trim_end_matches(['.', '_', '-', ' ']).to_string()
    } else {
        let n = &p.prefix;
        match n.rfind('.') {
            Some(i) if i > 0 => n[..i].to_string(),
            _ => n.clone(),
        }
    };
    if base.is_empty() {
        p.dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string()
    } else {
        base
    }
}

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
    /// Frames over which the event mixes in (0 for a cut).
    pub transition: i64,
    /// Why the event will not render as planned, if it will not.
    pub unsupported: Option<String>,
    side: Side,
    from_side: Option<Side>,
}

impl PlannedEvent {
    /// Whether every frame of this event can be rendered.
    pub fn is_renderable(&self) -> bool {
        self.unsupported.is_none()
            && self.source.is_renderable()
            && self.from.as_ref().is_none_or(SideMatch::is_renderable)
    }
}

/// A record range owned by one event (later events win overlaps).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    start: i64,
    end: i64,
    event: usize,
}

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
    segments: Vec<Segment>,
}

/// Matches every video event of `edl` against `index` and builds the record
/// timeline. Audio-only events are left out.
pub fn plan(edl: &Edl, index: &MediaIndex, opts: &MatchOptions) -> ConformPlan {
    let rate = edl.rate;
    let mut events = Vec::new();
    for (i, e) in edl
        .events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.channels.video)
    {
        events.push(plan_event(i, e, index, rate, opts));
    }
    let segments = segments(&events);
    let record = match (segments.first(), segments.last()) {
        (Some(a), Some(b)) => a.start..b.end,
        _ => 0..0,
    };
    ConformPlan {
        rate,
        record,
        events,
        clips: index.clips.clone(),
        segments,
    }
}

fn plan_event(
    i: usize,
    e: &Event,
    index: &MediaIndex,
    rate: Rate,
    opts: &MatchOptions,
) -> PlannedEvent {
    let frames = e.record_frames();
    let transition = match e.edit {
        Edit::Dissolve { .. } | Edit::Wipe { .. } => {
            i64::from(e.edit.transition_frames()).min(frames)
        }
        _ => 0,
    };
    let unsupported = match &e.edit {
        Edit::Key { kind, .. } => Some(format!("key ({kind}) is not supported")),
        _ => None,
    };
    let source = index.match_side(&e.source, frames, rate, opts);
    let from = e
        .from
        .as_ref()
        .filter(|_| transition > 0)
        .map(|f| index.match_side(f, transition, rate, opts));
    PlannedEvent {
        edl_index: i,
        number: e.number_text.clone(),
        line: e.line,
        record_in: e.record_in.frames,
        record_out: e.record_out.frames,
        source,
        from,
        transition,
        unsupported,
        side: e.source.clone(),
        from_side: e.from.clone().filter(|_| transition > 0),
    }
}

/// Paints events onto the record in EDL order (a later event wins where
/// two overlap) and returns the painted, non-overlapping segments.
fn segments(events: &[PlannedEvent]) -> Vec<Segment> {
    // Sweep over boundaries with the set of events covering each span;
    // the highest index (latest in the EDL) owns it.
    let mut bounds: Vec<(i64, bool, usize)> = Vec::with_capacity(events.len() * 2);
    for (i, e) in events.iter().enumerate() {
        if e.record_out > e.record_in {
            bounds.push((e.record_in, true, i));
            bounds.push((e.record_out, false, i));
        }
    }
    bounds.sort_unstable_by_key(|&(t, start, i)| (t, start, i));
    let mut active: BTreeSet<usize> = BTreeSet::new();
    let mut out: Vec<Segment> = Vec::new();
    let mut k = 0;
    while k < bounds.len() {
        let t = bounds[k].0;
        while k < bounds.len() && bounds[k].0 == t {
            let (_, start, i) = bounds[k];
            if start {
                active.insert(i);
            } else {
                active.remove(&i);
            }
            k += 1;
        }
        let (Some(&owner), Some(&(next, _, _))) = (active.last(), bounds.get(k)) else {
            continue;
        };
        match out.last_mut() {
            Some(s) if s.event == owner && s.end == t => s.end = next,
            _ => out.push(Segment {
                start: t,
                end: next,
                event: owner,
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
        let mut out = format!("event {} (line {}): {}", e.number, e.line, side(&e.source));
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

    fn picture(&self, m: &SideMatch, side: &Side, k: i64) -> Option<Picture> {
        match m {
            SideMatch::Black => Some(Picture::Black),
            SideMatch::Matched { clip, .. } => {
                let tc = side.source_frame(k, self.rate);
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
        let Some(b) = self.picture(&e.source, &e.side, k) else {
            return RecordFrame::Unavailable { event };
        };
        if k < e.transition {
            let a = match (&e.from, &e.from_side) {
                (Some(m), Some(side)) => self.picture(m, side, k),
                _ => Some(Picture::Black),
            };
            let Some(a) = a else {
                return RecordFrame::Unavailable { event };
            };
            let weight = ((k as f64 + 0.5) / e.transition as f64) as f32;
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
    use super::*;
    use crate::timeline::edl::parse_bytes;

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
}

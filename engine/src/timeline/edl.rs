//! CMX3600 edit decision lists.
//!
//! An EDL is a list of events; each event line reads
//!
//! ```text
//! 002  A001C003 V     D    010 01:00:08:08 01:00:08:18 01:00:00:09 01:00:00:19
//! num  reel     chan  edit dur src-in      src-out     rec-in      rec-out
//! ```
//!
//! followed by notes: `M2` speed lines and `*` comments (clip names, source
//! files, ASC CDL values, locators). A transition (dissolve, wipe, key) is two
//! lines with the same event number: the first, usually zero length, says
//! where the outgoing ("from") source continues; the second brings in the new
//! source over `dur` frames.
//!
//! The file carries no frame rate: the caller passes one (`--fps`), and
//! `FCM: DROP FRAME` / `FCM: NON-DROP FRAME` lines (in the header or between
//! events) choose drop-frame counting at 29.97 and 59.94. Every timecode is
//! kept as a frame count at that rate and as the text written in the file.
//!
//! Reading is forgiving about layout (CRLF, tabs, trailing spaces, blank lines,
//! Latin-1 bytes in names, comments with or without `* ` and `:`) and strict
//! about content: a line we cannot read is an error naming its line, and all
//! of a file's errors are reported together. Things that are readable but
//! odd (event numbers out of order, a wipe that will render as a dissolve, a
//! key) are warnings carried in [`Edl::warnings`].

use std::path::{Path, PathBuf};

use crate::timeline::timecode::{parse_timecode, Rate};
use crate::{Error, Problem, Problems, Result};

/// EDLs are small text files; anything larger is not an EDL.
mod parser;

use parser::{strip_key, Parser};

const MAX_EDL_BYTES: u64 = 64 << 20;

/// Reel names longer than this break the CMX3600 layout.
pub const MAX_REEL_CHARS: usize = 32;

/// A parsed EDL.
#[derive(Debug, Clone, PartialEq)]
pub struct Edl {
    pub path: PathBuf,
    pub title: Option<String>,
    /// The rate every timecode was read at (drop-frame as the header's FCM).
    pub rate: Rate,
    /// Frame code mode of the header (`FCM:` before the first event);
    /// `None` when the header has none (non-drop is assumed).
    pub fcm: Option<Fcm>,
    pub events: Vec<Event>,
    /// The source table some editors append (`>>> SOURCE reel name UMID`
    /// followed by `* SOURCE FILE:`): which file each reel came from.
    pub sources: Vec<SourceEntry>,
    /// Readable but questionable things, each at its line.
    pub warnings: Vec<Problem>,
}

/// Frame code mode: how labels count at 29.97 and 59.94.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fcm {
    DropFrame,
    NonDropFrame,
}

/// A timecode field: its frame count at the EDL's rate and the text written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tc {
    pub frames: i64,
    pub text: String,
}

/// One `>>> SOURCE` line of the source table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceEntry {
    pub reel: String,
    /// The rest of the line: the short reel name and a UMID, as written.
    pub rest: String,
    pub source_file: Option<String>,
    pub line: usize,
}

/// What a reel field names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reel {
    /// A tape or camera roll / clip name.
    Tape(String),
    /// `BL` or `BLACK`: generated black.
    Black,
    /// `BARS`: generated colour bars.
    Bars,
    /// `AX`: an auxiliary source, identified only by its comments.
    Aux,
}

impl Reel {
    fn from_field(s: &str) -> Reel {
        match s.to_ascii_uppercase().as_str() {
            "BL" | "BLACK" => Reel::Black,
            "BARS" => Reel::Bars,
            "AX" => Reel::Aux,
            _ => Reel::Tape(s.to_string()),
        }
    }

    /// The tape name, for a tape reel.
    pub fn tape(&self) -> Option<&str> {
        match self {
            Reel::Tape(t) => Some(t),
            _ => None,
        }
    }
}

/// Channels an event records to: video and audio tracks 1-12.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channels {
    pub video: bool,
    /// Bit `n-1` set for audio track `n`.
    pub audio: u16,
    /// As written: `V`, `A`, `AA/V`, `B`, `V/A2` ...
    pub text: String,
}

impl Channels {
    /// Reads `V`, `A`, `A1`-`A12`, `AA`, `B`, `NONE` and `/`-joined
    /// combinations such as `A/V`, `AA/V`, `V/A2`.
    pub fn parse(text: &str) -> Option<Channels> {
        let mut video = false;
        let mut audio = 0u16;
        for part in text.split('/') {
            match part.to_ascii_uppercase().as_str() {
                "V" => video = true,
                "A" => audio |= 1,
                "AA" => audio |= 3,
                "B" => {
                    video = true;
                    audio |= 1;
                }
                "NONE" => {}
                p => {
                    let n: u16 = p.strip_prefix('A')?.parse().ok()?;
                    if !(1..=12).contains(&n) {
                        return None;
                    }
                    audio |= 1 << (n - 1);
                }
            }
        }
        Some(Channels {
            video,
            audio,
            text: text.to_string(),
        })
    }
}

/// How an event comes in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Cut,
    Dissolve {
        frames: u32,
    },
    /// `Wnnn`: SMPTE wipe pattern `code`; rendered as a dissolve.
    Wipe {
        code: u16,
        frames: u32,
    },
    /// `K`, `KB` or `KO`: not rendered (reported as unsupported).
    Key {
        kind: String,
        frames: Option<u32>,
    },
}

impl Edit {
    /// Frames over which the new source mixes in (0 for a cut).
    pub fn transition_frames(&self) -> u32 {
        match self {
            Edit::Cut => 0,
            Edit::Dissolve { frames } | Edit::Wipe { frames, .. } => *frames,
            Edit::Key { frames, .. } => frames.unwrap_or(0),
        }
    }
}

/// Which source media an event side asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRef {
    pub reel: Reel,
    /// The reel field as written.
    pub reel_text: String,
    /// `* FROM CLIP NAME:` (or `* TO CLIP NAME:` for a transition's incoming side).
    pub clip_name: Option<String>,
    /// `* SOURCE FILE:`
    pub source_file: Option<String>,
    /// `* FROM CLIP:` / `* FROM FILE:`: a path to the media.
    pub path: Option<String>,
}

/// `M2 reel speed entry`: a motion effect.
#[derive(Debug, Clone, PartialEq)]
pub struct Speed {
    /// Source frames per second: 0 is a freeze, negative is reverse.
    pub fps: f64,
    /// The first source frame played.
    pub entry: Tc,
    pub line: usize,
}

/// One side of an event: a source and the part of it used.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    pub source: SourceRef,
    pub source_in: Tc,
    pub source_out: Tc,
    pub speed: Option<Speed>,
    /// `* FREEZE FRAME` (or an `M2` at speed 0).
    pub freeze: bool,
    pub line: usize,
}

impl Side {
    /// Source frame shown `k` frames after this side starts, retimed for
    /// `M2` speeds as [`crate::timeline::model::warp`] says.
    pub fn source_frame(&self, k: i64, rate: Rate) -> i64 {
        match &self.speed {
            _ if self.freeze => self
                .speed
                .as_ref()
                .map_or(self.source_in.frames, |s| s.entry.frames),
            Some(s) if s.fps == 0.0 => s.entry.frames,
            Some(s) => {
                let ratio = s.fps / rate.fps();
                s.entry.frames + crate::timeline::model::warp(k, ratio)
            }
            None => self.source_in.frames + k,
        }
    }

    /// Lowest and highest source frame shown over `frames` frames from the
    /// start (inclusive); `None` when `frames` is 0.
    pub fn source_span(&self, frames: i64, rate: Rate) -> Option<(i64, i64)> {
        if frames <= 0 {
            return None;
        }
        // The mapping is monotonic, so the ends are at the first and last frame.
        let a = self.source_frame(0, rate);
        let b = self.source_frame(frames - 1, rate);
        Some((a.min(b), a.max(b)))
    }
}

/// `* LOC: 01:00:01:14 RED  text`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locator {
    pub timecode: String,
    pub frames: Option<i64>,
    pub color: String,
    pub comment: String,
    pub line: usize,
}

/// `*ASC_SOP (s s s)(o o o)(p p p)` and `*ASC_SAT s`.
#[derive(Debug, Clone, PartialEq)]
pub struct EdlCdl {
    pub slope: [f64; 3],
    pub offset: [f64; 3],
    pub power: [f64; 3],
    /// `None` when the event has no `ASC_SAT` (1.0 applies).
    pub saturation: Option<f64>,
    pub line: usize,
}

/// One event: a span of record frames and what fills it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub number: u32,
    /// The event number as written (`001`, `000001`).
    pub number_text: String,
    /// Line of the event's (last) event line.
    pub line: usize,
    pub channels: Channels,
    pub edit: Edit,
    /// The incoming source (the only one for a cut).
    pub source: Side,
    /// A transition's outgoing source: the first of two lines with this
    /// event number, continuing from its source in.
    pub from: Option<Side>,
    pub record_in: Tc,
    pub record_out: Tc,
    /// Whether this event's timecodes were read drop-frame.
    pub drop_frame: bool,
    pub cdl: Option<EdlCdl>,
    /// `*ASC_CC_XML id`: a colour correction id in a .ccc/.cdl.
    pub cc_id: Option<String>,
    pub locators: Vec<Locator>,
    /// `EFFECTS NAME IS ...`
    pub effect_name: Option<String>,
    /// Comments grade does not interpret, as written (without `*`).
    pub comments: Vec<String>,
}

impl Event {
    pub fn record_frames(&self) -> i64 {
        self.record_out.frames - self.record_in.frames
    }

    /// The name an editor sees for this event: `TO CLIP NAME` for a
    /// transition, else `FROM CLIP NAME`, else the file name of `FROM
    /// CLIP`/`FROM FILE` without extension, else the event number (as
    /// OpenTimelineIO names clips).
    pub fn name(&self) -> String {
        let s = &self.source.source;
        if let Some(n) = &s.clip_name {
            return n.clone();
        }
        if let Some(p) = &s.path {
            let base = p.rsplit(['/', '\\']).next().unwrap_or(p);
            let stem = match base.rfind('.') {
                Some(i) if i > 0 => &base[..i],
                _ => base,
            };
            return stem.to_string();
        }
        self.number_text.clone()
    }
}

/// Reads the EDL at `path`, its timecodes at `rate`. At 29.97 and 59.94 the
/// file's `FCM:` lines choose drop-frame counting; before any FCM line (or
/// in a file without one) `rate`'s own drop-frame flag applies.
pub fn parse(path: &Path, rate: Rate) -> Result<Edl> {
    let meta = std::fs::metadata(path).map_err(|e| Error::read(path, e))?;
    if meta.len() > MAX_EDL_BYTES {
        return Err(Error::invalid(
            path,
            format!("{} bytes is too large for an EDL", meta.len()),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    parse_bytes(&bytes, path, rate)
}

/// Splits into lines (LF, CRLF or CR) and decodes each as UTF-8, or as
/// Latin-1 where it is not valid UTF-8.
fn decode_lines(bytes: &[u8]) -> Vec<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let sep = if bytes.contains(&b'\n') { b'\n' } else { b'\r' };
    bytes
        .split(|&b| b == sep)
        .map(|l| {
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            match std::str::from_utf8(l) {
                Ok(s) => s.to_string(),
                Err(_) => l.iter().map(|&b| char::from(b)).collect(),
            }
        })
        .collect()
}

/// The fields of one event line.
struct EventLine {
    line: usize,
    number: u32,
    number_text: String,
    reel_text: String,
    channels: Channels,
    edit: Edit,
    source_in: Tc,
    source_out: Tc,
    record_in: Tc,
    record_out: Tc,
    drop_frame: bool,
}

/// Slope, offset, power.
type Sop = ([f64; 3], [f64; 3], [f64; 3]);

/// Comments collected for the event being read.
#[derive(Default)]
struct Notes {
    clip_name: Option<String>,
    to_clip_name: Option<String>,
    source_file: Option<String>,
    path: Option<String>,
    speeds: Vec<(String, Speed)>,
    freeze: bool,
    sop: Option<(Sop, usize)>,
    sat: Option<(f64, usize)>,
    cc_id: Option<String>,
    locators: Vec<Locator>,
    effect_name: Option<String>,
    comments: Vec<String>,
}

/// The event being read: one line, or two for a transition.
struct Pending {
    from: Option<EventLine>,
    main: EventLine,
    notes: Notes,
}

/// Reads EDL text (as bytes: names may be Latin-1). `path` names the file
/// in messages.
pub fn parse_bytes(bytes: &[u8], path: &Path, rate: Rate) -> Result<Edl> {
    let mut p = Parser {
        rate,
        // Until an FCM line says otherwise, the caller's rate decides.
        drop_frame: rate.is_drop_frame(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let mut title = None;
    let mut fcm = None;
    let mut events: Vec<Event> = Vec::new();
    let mut pending: Option<Pending> = None;
    let mut last_number: Option<u32> = None;
    let mut sources: Vec<SourceEntry> = Vec::new();

    for (i, raw) in decode_lines(bytes).iter().enumerate() {
        let ln = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let upper = line.to_ascii_uppercase();
        if let Some(rest) = strip_key(line, "TITLE").filter(|_| upper.starts_with("TITLE")) {
            if title.is_some() || !events.is_empty() || pending.is_some() {
                p.warn(ln, "a second TITLE line; the first one is kept");
            } else {
                title = Some(rest.to_string());
            }
        } else if upper.starts_with("FCM") {
            let drop = if upper.contains("NON-DROP") || upper.contains("NON DROP") {
                false
            } else if upper.contains("DROP") {
                true
            } else {
                p.error(ln, format!("cannot read frame code mode {line:?}; expected FCM: DROP FRAME or FCM: NON-DROP FRAME"));
                continue;
            };
            if drop && !rate.supports_drop_frame() {
                p.warn(
                    ln,
                    format!("FCM: DROP FRAME has no meaning at {rate}; timecode is read non-drop"),
                );
            }
            p.drop_frame = drop;
            if events.is_empty() && pending.is_none() {
                fcm = Some(if drop {
                    Fcm::DropFrame
                } else {
                    Fcm::NonDropFrame
                });
            }
        } else if line.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            let Some(ev) = p.event_line(line, ln) else {
                continue;
            };
            // Same number as the event in hand, and a transition: the event
            // in hand was its "from" line.
            let pairs = matches!(&pending, Some(pd) if pd.from.is_none()
                && pd.main.number == ev.number
                && ev.edit != Edit::Cut);
            if pairs {
                if let Some(mut pd) = pending.take() {
                    if pd.main.record_out.frames != pd.main.record_in.frames
                        && !matches!(ev.edit, Edit::Key { .. })
                    {
                        p.warn(ln, format!(
                            "event {}: the line before this transition is not zero length; its record range is ignored",
                            ev.number_text
                        ));
                    }
                    if pd.main.record_in.frames != ev.record_in.frames {
                        p.warn(ln, format!(
                            "event {}: the transition's record in {} differs from its from line's {}",
                            ev.number_text, ev.record_in.text, pd.main.record_in.text
                        ));
                    }
                    let from = std::mem::replace(&mut pd.main, ev);
                    pd.from = Some(from);
                    pending = Some(pd);
                }
                continue;
            }
            if let Some(pd) = pending.take() {
                events.push(p.finish_event(pd));
            }
            match last_number {
                Some(prev) if ev.number == prev => {
                    p.warn(ln, format!("event number {} is used again", ev.number_text))
                }
                Some(prev) if ev.number != prev.wrapping_add(1) => p.warn(
                    ln,
                    format!(
                        "event {} follows event {prev:03}: numbers are not sequential",
                        ev.number_text
                    ),
                ),
                _ => {}
            }
            last_number = Some(ev.number);
            pending = Some(Pending {
                from: None,
                main: ev,
                notes: Notes::default(),
            });
        } else if let Some(rest) = line.strip_prefix(">>>") {
            // The source table ends the events before it.
            if let Some(pd) = pending.take() {
                events.push(p.finish_event(pd));
            }
            let rest = rest.trim_start();
            let body = rest
                .get(..6)
                .filter(|h| h.eq_ignore_ascii_case("SOURCE"))
                .map(|_| rest[6..].trim());
            match body {
                Some(b) => {
                    let mut it = b.splitn(2, char::is_whitespace);
                    sources.push(SourceEntry {
                        reel: it.next().unwrap_or_default().to_string(),
                        rest: it.next().unwrap_or_default().trim().to_string(),
                        source_file: None,
                        line: ln,
                    });
                }
                None => p.warn(ln, format!("line not understood: {line:?}")),
            }
        } else if let Some(entry) = sources.last_mut().filter(|_| pending.is_none()) {
            match strip_key(line, "SOURCE FILE") {
                Some(v) => entry.source_file = Some(v.to_string()),
                None => p.warn(
                    ln,
                    format!("line in the source table not understood: {line:?}"),
                ),
            }
        } else if let Some(pd) = pending.as_mut() {
            p.note(line, ln, &mut pd.notes);
        } else if upper.starts_with('*') || upper.starts_with("REM") {
            // Header comments.
        } else {
            p.warn(
                ln,
                format!("line before the first event not understood: {line:?}"),
            );
        }
    }
    if let Some(pd) = pending.take() {
        events.push(p.finish_event(pd));
    }
    p.check_record_order(&events);

    let Parser {
        mut errors,
        mut warnings,
        ..
    } = p;
    errors.sort_by_key(|e| e.line);
    warnings.sort_by_key(|w| w.line);
    let mut problems = Problems::new(path);
    for e in errors {
        match e.line {
            Some(l) => problems.at(l, e.message),
            None => problems.file(e.message),
        }
    }
    let rate = match fcm {
        Some(f) => rate.with_drop_frame(f == Fcm::DropFrame),
        None => rate,
    };
    problems.finish_with(Edl {
        path: path.to_path_buf(),
        title,
        rate,
        fcm,
        events,
        sources,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::parser::parse_sop;
    use super::*;

    fn read(text: &str, rate: Rate) -> Result<Edl> {
        parse_bytes(text.as_bytes(), Path::new("test.edl"), rate)
    }

    #[test]
    fn cut_with_comments() {
        let edl = read(
            "TITLE:   Example\r\nFCM: NON-DROP FRAME\r\n\r\n\
             001  A001C003 V     C        01:00:04:05 01:00:05:12 00:59:53:11 00:59:54:18 \r\n\
             *FROM CLIP NAME:  ZZ100_501 (LAY3) \r\n\
             * SOURCE FILE: ZZ100_501.LAY3.01\r\n\
             *ASC_SOP (0.9405 0.9439 0.9424)(-0.0500 -0.0276 -0.0144)(0.8888 0.9138 0.9896) \r\n\
             *ASC_SAT 0.9640\r\n\
             * ASC_CC_XML shot_010\r\n\
             * LOC: 01:00:01:14 RED     ANIM FIX NEEDED\r\n\
             * AVX2 EFFECT, RESIZE\r\n",
            Rate::FPS_24,
        )
        .unwrap();
        assert_eq!(edl.title.as_deref(), Some("Example"));
        assert_eq!(edl.fcm, Some(Fcm::NonDropFrame));
        assert_eq!(edl.events.len(), 1);
        let e = &edl.events[0];
        assert_eq!(e.number, 1);
        assert_eq!(e.source.source.reel, Reel::Tape("A001C003".into()));
        assert_eq!(e.source.source_in.frames, (3600 + 4) * 24 + 5);
        assert_eq!(e.source.source_in.text, "01:00:04:05");
        assert_eq!(e.record_frames(), 31);
        assert_eq!(
            e.source.source.clip_name.as_deref(),
            Some("ZZ100_501 (LAY3)")
        );
        assert_eq!(
            e.source.source.source_file.as_deref(),
            Some("ZZ100_501.LAY3.01")
        );
        let cdl = e.cdl.as_ref().unwrap();
        assert_eq!(cdl.slope, [0.9405, 0.9439, 0.9424]);
        assert_eq!(cdl.offset, [-0.05, -0.0276, -0.0144]);
        assert_eq!(cdl.power, [0.8888, 0.9138, 0.9896]);
        assert_eq!(cdl.saturation, Some(0.964));
        assert_eq!(e.cc_id.as_deref(), Some("shot_010"));
        assert_eq!(e.locators[0].color, "RED");
        assert_eq!(e.locators[0].comment, "ANIM FIX NEEDED");
        assert_eq!(e.comments, ["AVX2 EFFECT, RESIZE"]);
        assert!(edl.warnings.is_empty(), "{:?}", edl.warnings);
    }

    #[test]
    fn dissolve_pair_and_wipe() {
        let edl = read(
            "001  TST V     C        01:00:04:05 01:00:04:14 01:00:00:00 01:00:00:09\n\
             002  TST V     C        01:00:04:14 01:00:04:14 01:00:00:09 01:00:00:09\n\
             002  TST V     D    010 01:00:08:08 01:00:08:18 01:00:00:09 01:00:00:19\n\
             * FROM CLIP NAME:  clip_A\n\
             * TO CLIP NAME:  clip_B\n\
             003  BL  V     C        00:00:00:00 00:00:00:00 01:00:00:19 01:00:00:19\n\
             003  TST V     W001 005 01:00:08:18 01:00:08:23 01:00:00:19 01:00:00:24\n",
            Rate::FPS_25,
        )
        .unwrap();
        assert_eq!(edl.events.len(), 3);
        let d = &edl.events[1];
        assert_eq!(d.edit, Edit::Dissolve { frames: 10 });
        let from = d.from.as_ref().unwrap();
        assert_eq!(from.source.clip_name.as_deref(), Some("clip_A"));
        assert_eq!(from.source_in.text, "01:00:04:14");
        assert_eq!(d.source.source.clip_name.as_deref(), Some("clip_B"));
        assert_eq!(d.name(), "clip_B");
        let w = &edl.events[2];
        assert_eq!(w.edit, Edit::Wipe { code: 1, frames: 5 });
        assert_eq!(w.from.as_ref().unwrap().source.reel, Reel::Black);
        assert_eq!(edl.warnings.len(), 1, "{:?}", edl.warnings);
        assert!(edl.warnings[0]
            .message
            .contains("wipe W001 is rendered as a dissolve"));
        assert_eq!(edl.warnings[0].line, Some(7));
    }

    #[test]
    fn speed_freeze_reverse() {
        let edl = read(
            "TITLE: speed\n\
             002  Z682_156 V     C        01:00:10:21 01:00:10:22 01:08:30:00 01:08:30:17 \n\
             M2   Z682_156       000.0                01:00:10:21 \n\
             * * FREEZE FRAME\n\
             003  Z686_5A. V     C        01:00:06:00 01:00:08:22 01:11:31:16 01:11:33:04 \n\
             M2   Z686_5A.       047.6                01:00:06:00 \n\
             004  A221C003 V     C        19:20:54:01 19:20:54:02 01:13:47:09 01:13:52:03 \n\
             M2      A221C003                     -024.0 19:20:54:01 \n",
            Rate::FPS_24,
        )
        .unwrap();
        let r = edl.rate;
        let f = &edl.events[0].source;
        assert!(f.freeze);
        assert_eq!(f.source_frame(10, r), f.source_in.frames);
        let s = &edl.events[1].source;
        assert_eq!(s.speed.as_ref().unwrap().fps, 47.6);
        // 47.6 / 24 = 1.98333...: frame 3 shows floor(5.95) = 5, the source
        // frame under way when record frame 3 starts (model::warp).
        assert_eq!(s.source_frame(3, r) - s.source_in.frames, 5);
        let rev = &edl.events[2].source;
        assert_eq!(rev.source_frame(5, r), rev.source_in.frames - 5);
        assert_eq!(
            rev.source_span(10, r),
            Some((rev.source_in.frames - 9, rev.source_in.frames))
        );
        // Event numbers 002, 003, 004: only the first is out of sequence
        // (no event 001).
        assert!(edl.warnings.is_empty(), "{:?}", edl.warnings);
    }

    #[test]
    fn drop_frame_fcm_and_separators() {
        let text = "FCM: DROP FRAME\n\
                    001  R1 V C 00:01:00:02 00:01:00:12 01:00:00:00 01:00:00:10\n\
                    FCM: NON-DROP FRAME\n\
                    002  R1 V C 00:01:00:02 00:01:00:12 01:00:00:10 01:00:00:20\n\
                    003  R1 V C 00:01:00;02 00:01:00;12 01:00:00;20 01:00:01;00\n";
        // Without FCM, the caller's rate decides.
        let no_fcm = "001  R1 V C 00:01:00:02 00:01:00:12 01:00:00:00 01:00:00:10\n";
        assert_eq!(
            read(no_fcm, Rate::FPS_29_97_DF).unwrap().events[0]
                .source
                .source_in
                .frames,
            1800
        );
        assert_eq!(
            read(no_fcm, Rate::FPS_29_97).unwrap().events[0]
                .source
                .source_in
                .frames,
            1802
        );
        let edl = read(text, Rate::FPS_29_97).unwrap();
        assert_eq!(edl.fcm, Some(Fcm::DropFrame));
        assert!(edl.rate.is_drop_frame());
        // SMPTE 12M: 00:01:00;02 is frame 1800 drop-frame, 1802 non-drop.
        assert_eq!(edl.events[0].source.source_in.frames, 1800);
        assert_eq!(edl.events[1].source.source_in.frames, 1802);
        assert_eq!(edl.events[2].source.source_in.frames, 1800);
        // A drop-frame label that does not exist is an error with its line.
        let bad = "FCM: DROP FRAME\n001  R1 V C 00:01:00:00 00:01:00:12 01:00:00:00 01:00:00:12\n";
        let err = read(bad, Rate::FPS_29_97).unwrap_err().to_string();
        assert!(
            err.starts_with("test.edl:2: event 001: source in: drop-frame timecode"),
            "{err}"
        );
    }

    #[test]
    fn channels() {
        let c = |s| Channels::parse(s).unwrap();
        assert!(c("V").video && c("V").audio == 0);
        assert_eq!(c("AA").audio, 3);
        assert!(c("B").video && c("B").audio == 1);
        assert!(c("AA/V").video && c("AA/V").audio == 3);
        assert!(c("A/V").video);
        assert_eq!(c("V/A2").audio, 2);
        assert_eq!(c("A12").audio, 1 << 11);
        assert!(Channels::parse("A13").is_none());
        assert!(Channels::parse("X").is_none());
        assert!(Channels::parse("V/").is_none());
    }

    /// Every problem in a file is reported, each with its line.
    #[test]
    fn collects_all_problems() {
        let text = "TITLE: bad\n\
                    001  R1 V C 01:00:00:00 01:00:01:00 01:00:00:00\n\
                    002  R1 Q C 01:00:00:00 01:00:01:00 01:00:00:00 01:00:01:00\n\
                    003  R1 V X 01:00:00:00 01:00:01:00 01:00:00:00 01:00:01:00\n\
                    004  R1 V C 01:00:00:00 01:00:01:24 01:00:00:00 01:00:01:00\n\
                    005  R1 V C 01:00:02:00 01:00:01:00 01:00:00:00 01:00:01:00\n\
                    006  R1 V D 01:00:00:00 01:00:01:00 01:00:00:00 01:00:01:00\n\
                    007  R1 V C 01:00:00:00 01:00:01:00 01:00:02:00 01:00:01:00\n\
                    *ASC_SOP (1 1)(0 0 0)(1 1 1)\n\
                    M2  R1  fast 01:00:00:00\n";
        let err = read(text, Rate::FPS_24).unwrap_err();
        let Error::Invalid { problems, .. } = &err else {
            panic!("{err}")
        };
        let lines: Vec<usize> = problems.iter().filter_map(|p| p.line).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6, 7, 8, 9, 10], "{err}");
        assert!(
            err.to_string().contains(
                "test.edl:5: event 004: source out: timecode 01:00:01:24 is out of range"
            ),
            "{err}"
        );
        assert!(
            err.to_string().contains(
                "test.edl:6: event 005: source out 01:00:01:00 is before source in 01:00:02:00"
            ),
            "{err}"
        );
    }

    #[test]
    fn warnings_name_lines() {
        let text = "001  R1 V C 01:00:00:00 01:00:01:00 01:00:00:00 01:00:01:00\n\
                    003  R1 V C 01:00:00:00 01:00:01:00 01:00:01:00 01:00:02:00\n\
                    003  R1 V C 01:00:00:00 01:00:01:00 01:00:02:00 01:00:03:00\n\
                    004  R1 V K 01:00:00:00 01:00:01:00 01:00:03:00 01:00:04:00\n\
                    005  ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456 V C 01:00:00:00 01:00:02:00 01:00:03:12 01:00:04:12\n\
                    10 R1 V C 01:00:00:00 01:00:01:00 01:00:05:00 01:00:06:00\n";
        let edl = read(text, Rate::FPS_24).unwrap();
        let w: Vec<(usize, &str)> = edl
            .warnings
            .iter()
            .map(|p| (p.line.unwrap(), p.message.as_str()))
            .collect();
        let has = |line: usize, s: &str| w.iter().any(|(l, m)| *l == line && m.contains(s));
        assert!(has(2, "not sequential"), "{w:?}");
        assert!(has(3, "used again"), "{w:?}");
        assert!(has(4, "key (K) is not supported"), "{w:?}");
        assert!(has(5, "longer than 32 characters"), "{w:?}");
        assert!(has(5, "differs from record duration"), "{w:?}");
        assert!(has(5, "overlaps event 004"), "{w:?}");
        assert!(has(6, "3 to 6 digits"), "{w:?}");
    }

    #[test]
    fn latin1_tabs_and_bare_cr() {
        let mut bytes = b"TITLE: caf\xE9\r001\tR\xC9EL\tV\tC\t01:00:00:00 01:00:00:10 01:00:00:00 01:00:00:10  \r".to_vec();
        bytes.extend_from_slice(b"FROM CLIP NAME: sc\xE8ne 1\r");
        let edl = parse_bytes(&bytes, Path::new("x.edl"), Rate::FPS_24).unwrap();
        assert_eq!(edl.title.as_deref(), Some("café"));
        assert_eq!(edl.events[0].source.source.reel_text, "RÉEL");
        assert_eq!(
            edl.events[0].source.source.clip_name.as_deref(),
            Some("scène 1")
        );
    }

    #[test]
    fn comment_spellings() {
        for line in [
            "* FROM CLIP NAME: a b",
            "*FROM CLIP NAME:a b",
            "* FROM CLIP NAME a b",
            "FROM CLIP NAME: a b",
        ] {
            let text =
                format!("001 R V C 01:00:00:00 01:00:00:01 01:00:00:00 01:00:00:01\n{line}\n");
            let edl = read(&text, Rate::FPS_24).unwrap();
            assert_eq!(
                edl.events[0].source.source.clip_name.as_deref(),
                Some("a b"),
                "{line}"
            );
        }
        let text = "001 R V C 01:00:00:00 01:00:00:01 01:00:00:00 01:00:00:01\n\
                    * FROM CLIP: S:\\path\\to\\ZZ100_501.take_1.0001.exr\n";
        let edl = read(text, Rate::FPS_24).unwrap();
        assert_eq!(
            edl.events[0].source.source.path.as_deref(),
            Some("S:\\path\\to\\ZZ100_501.take_1.0001.exr")
        );
        assert_eq!(edl.events[0].name(), "ZZ100_501.take_1.0001");
        assert_eq!(
            parse_sop("(1, 2, 3) (4,5,6)(7 8 9)"),
            Some(([1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]))
        );
        assert_eq!(parse_sop("(1 2 3)(4 5 6)"), None);
    }

    #[test]
    fn source_table() {
        let text = "001  A012C004_160816_R1BY V C 13:09:15:14 13:09:21:17 01:16:49:21 01:16:56:00\r\n\
                    *FROM CLIP NAME:  14-3A \r\n\
                    *SOURCE FILE: A012C004_160816_R1BY\r\n\
                    >>> SOURCE A012C004_160816_R1BY             A012C004_160816_ 060e2b34-{3bc06754} \r\n\
                    *SOURCE FILE: A012C004_160816_R1BY.mov\r\n";
        let edl = read(text, Rate::FPS_24).unwrap();
        assert_eq!(
            edl.events[0].source.source.source_file.as_deref(),
            Some("A012C004_160816_R1BY")
        );
        assert_eq!(edl.sources.len(), 1);
        assert_eq!(edl.sources[0].reel, "A012C004_160816_R1BY");
        assert_eq!(
            edl.sources[0].source_file.as_deref(),
            Some("A012C004_160816_R1BY.mov")
        );
        assert!(edl.warnings.is_empty(), "{:?}", edl.warnings);
    }

    /// The illegal fixture fails with one message per bad line, in order,
    /// each naming the file and line.
    #[test]
    fn illegal_fixture_reports_every_line() {
        let path = crate::testutil::fixture("edl/illegal/every_line_wrong.edl");
        let err = parse(&path, Rate::FPS_24).unwrap_err();
        let text = err.to_string();
        let lines: Vec<&str> = text.lines().collect();
        let shown = path.display().to_string();
        let expect = [
            (2, "event 001: expected number, reel, channels, edit, source in/out and record in/out; found 7 fields"),
            (3, "event 002: unknown channels \"Q\""),
            (4, "event 003: unknown edit type \"X\" (expected C, D, Wnnn, K, KB or KO)"),
            (5, "event 004: source out: timecode 01:00:02:24 is out of range at 24 fps (frames run 00-23)"),
            (6, "event 005: source out 01:00:10:00 is before source in 01:00:12:00"),
            (7, "event 006: dissolve without a duration"),
            (8, "event 007: record out 01:00:12:00 is before record in 01:00:14:00"),
            (9, "cannot read ASC_SOP \"(1.0 1.0)(0.0 0.0 0.0)(1.0 1.0 1.0)\"; expected (s s s)(o o o)(p p p)"),
            (10, "M2 line: speed \"fast\" is not a number"),
        ];
        assert_eq!(lines.len(), expect.len(), "{text}");
        for (got, (line, msg)) in lines.iter().zip(expect) {
            assert_eq!(*got, format!("{shown}:{line}: {msg}"));
        }
        assert_eq!(err.exit_code(), 2);
    }

    proptest::proptest! {
        /// Lines assembled from EDL tokens, and arbitrary bytes, read to an
        /// Edl or an error, never a panic; an Edl always plans.
        #[test]
        fn never_panics(lines in proptest::collection::vec(
            proptest::collection::vec(proptest::sample::select(vec![
                "001", "002", "1", "0000001", "99999999999", "AX", "BL", "R1", "V", "A", "AA/V", "B", "V/A2", "X",
                "C", "D", "W001", "K", "B", "KO", "010", "-5", "01:00:00:00", "01:00:00;02", "00:01:00;00",
                "23:59:59:23", "24:00:00:00", "99:99:99:99", "123456789", "M2", "000.0", "-024.0", "1e308",
                "*", "* FROM CLIP NAME:", "*ASC_SOP", "(1 2 3)(4 5 6)(7 8 9)", "*ASC_SAT", "FCM:", "DROP FRAME",
                "NON-DROP FRAME", "TITLE:", ">>> SOURCE", "* FREEZE FRAME", "\t", "\u{e9}",
            ]), 0..12), 0..16),
            rate in proptest::sample::select(Rate::ALL.to_vec()),
            raw in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
        ) {
            let text: String = lines.iter().map(|l| l.join(" ") + "\n").collect();
            if let Ok(edl) = parse_bytes(text.as_bytes(), Path::new("p.edl"), rate) {
                let p = crate::timeline::conform::plan(&edl, &Default::default(), &Default::default());
                let end = p.record.end.min(p.record.start + 500);
                for _ in p.frames(p.record.start..end) {}
            }
            let _ = parse_bytes(&raw, Path::new("raw.edl"), rate);
        }

        /// Well-formed event lines with random fields (numbers repeat so
        /// that transitions pair): parse and plan, never a panic.
        #[test]
        fn structured_events_plan(events in proptest::collection::vec((
            0u32..6,
            proptest::sample::select(vec!["R1", "R2", "BL", "BARS", "AX"]),
            proptest::sample::select(vec!["V", "A", "B", "AA/V"]),
            proptest::sample::select(vec!["C", "D 010", "W002 004", "K", "KB", "D 000"]),
            (0i64..200_000, 0i64..50, 0i64..200_000, 0i64..60),
            proptest::sample::select(vec!["", "M2 R1 048.0 01:00:00:00", "M2 R2 -024.0 00:10:00:00", "M2 R1 000.0 01:00:00:00", "* * FREEZE FRAME"]),
        ), 0..30)) {
            let r = Rate::FPS_24;
            let t = |f: i64| r.to_timecode(f).to_string();
            let mut text = String::new();
            for (n, reel, ch, edit, (si, sd, ri, rd), note) in &events {
                text.push_str(&format!("{n:03} {reel} {ch} {edit} {} {} {} {}\n{note}\n", t(*si), t(si + sd), t(*ri), t(ri + rd)));
            }
            let parsed = parse_bytes(text.as_bytes(), Path::new("s.edl"), r);
            // Every line is well formed, so the file reads.
            proptest::prop_assert!(parsed.is_ok(), "{:?}", parsed.err().map(|e| e.to_string()));
            if let Ok(edl) = parsed {
                let clips = vec![crate::timeline::conform::SourceClip {
                    pattern: crate::io::sequence::Pattern::parse("/m/R1.%04d.dpx").unwrap(),
                    reel: Some("R1".into()),
                    clip_name: "R1".into(),
                    start_tc: 0,
                    first_frame: 0,
                    last_frame: 300_000,
                    gaps: vec![(100, 200)],
                    rate: r,
                    header_rate: None,
                    width: 2,
                    height: 2,
                    pixel_aspect: 1.0,
                }];
                let index = crate::timeline::conform::MediaIndex::new(clips);
                let p = crate::timeline::conform::plan(&edl, &index, &Default::default());
                let end = p.record.end.min(p.record.start + 2000);
                for (f, rf) in p.frames(p.record.start..end) {
                    proptest::prop_assert_eq!(rf, p.frame(f));
                }
            }
        }
    }

    /// Any prefix of a real EDL reads to an Edl or an error, never a panic.
    #[test]
    fn prefixes_never_panic() {
        let path = crate::testutil::fixture(
            "public/otio-cmx3600-adapter/tests/sample_data/speed_effects_small.edl",
        );
        let Ok(bytes) = std::fs::read(&path) else {
            return;
        };
        for n in 0..bytes.len() {
            let _ = parse_bytes(&bytes[..n], &path, Rate::FPS_24);
        }
    }
}

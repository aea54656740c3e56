//! The CMX3600 line parser: event lines, notes (`* FROM CLIP NAME:`,
//! `*ASC_SOP`, locators ...), M2 speed lines, FCM and title lines, each
//! checked and turned into the model of [`super`], every problem collected
//! with its line number.

use super::*;

/// `KEY rest`, `KEY: rest`, `* KEY: rest`, `*KEY rest` (case-insensitive):
/// the rest, trimmed, when `line` starts with the key.
pub(super) fn strip_key<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let l = line.trim_start_matches('*').trim_start();
    let head = l.get(..key.len())?;
    if !head.eq_ignore_ascii_case(key) {
        return None;
    }
    let rest = &l[key.len()..];
    // The key must end at a word boundary.
    if rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    Some(rest.trim_start().strip_prefix(':').unwrap_or(rest).trim())
}

pub(super) struct Parser {
    pub(super) rate: Rate,
    pub(super) drop_frame: bool,
    /// Errors, reported in line order once the file is read.
    pub(super) errors: Vec<Problem>,
    pub(super) warnings: Vec<Problem>,
}

impl Parser {
    pub(super) fn error(&mut self, line: usize, message: impl Into<String>) {
        self.errors.push(Problem {
            line: Some(line),
            message: message.into(),
        });
    }

    pub(super) fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.warnings.push(Problem {
            line: Some(line),
            message: message.into(),
        });
    }

    pub(super) fn timecode(
        &mut self,
        text: &str,
        ln: usize,
        what: &str,
        number: &str,
    ) -> Option<Tc> {
        // Plain frame counts are accepted too (some tools write them), up
        // to 9 digits (over a week at 1000 fps), so arithmetic stays small.
        if !text.is_empty() && text.len() <= 9 && text.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(frames) = text.parse::<i64>() {
                return Some(Tc {
                    frames,
                    text: text.to_string(),
                });
            }
        }
        let parsed = parse_timecode(text).and_then(|mut tc| {
            tc.drop_frame |= self.drop_frame;
            self.rate.to_frames(&tc)
        });
        match parsed {
            Ok(frames) => Some(Tc {
                frames,
                text: text.to_string(),
            }),
            Err(e) => {
                self.error(ln, format!("event {number}: {what}: {e}"));
                None
            }
        }
    }

    pub(super) fn event_line(&mut self, line: &str, ln: usize) -> Option<EventLine> {
        let f: Vec<&str> = line.split_whitespace().collect();
        let number_text = f.first().copied().unwrap_or_default();
        if !(3..=6).contains(&number_text.len()) {
            self.warn(
                ln,
                format!("event number {number_text:?} should have 3 to 6 digits"),
            );
        }
        let Ok(number) = number_text.parse::<u32>() else {
            self.error(ln, format!("event number {number_text:?} is too large"));
            return None;
        };
        if f.len() < 8 {
            self.error(ln, format!(
                "event {number_text}: expected number, reel, channels, edit, source in/out and record in/out; found {} fields",
                f.len()
            ));
            return None;
        }
        let reel_text = f[1];
        if reel_text.chars().count() > MAX_REEL_CHARS {
            self.warn(ln, format!("event {number_text}: reel name {reel_text:?} is longer than {MAX_REEL_CHARS} characters"));
        }
        let channels = Channels::parse(f[2]);
        if channels.is_none() {
            self.error(
                ln,
                format!("event {number_text}: unknown channels {:?}", f[2]),
            );
        }
        // The edit type, then for transitions a duration, then 4 timecodes.
        let edit_text = f[3].to_ascii_uppercase();
        let mut rest = &f[4..];
        // `K B` / `K O` written as two fields.
        let mut kind = edit_text.clone();
        if kind == "K" && rest.len() == 6 && matches!(rest[0], "B" | "O" | "b" | "o") {
            kind.push_str(&rest[0].to_ascii_uppercase());
            rest = &rest[1..];
        }
        let duration = match rest.len() {
            4 => None,
            5 => {
                let d = rest[0];
                rest = &rest[1..];
                match d.parse::<u32>() {
                    Ok(v) => Some(v),
                    Err(_) => {
                        self.error(ln, format!("event {number_text}: transition duration {d:?} is not a frame count"));
                        return None;
                    }
                }
            }
            n => {
                self.error(ln, format!(
                    "event {number_text}: expected 4 timecodes after the edit type, found {n} fields"
                ));
                return None;
            }
        };
        let edit = match kind.as_str() {
            "C" => {
                if duration.is_some() {
                    self.warn(
                        ln,
                        format!(
                            "event {number_text}: a cut with a duration; the duration is ignored"
                        ),
                    );
                }
                Some(Edit::Cut)
            }
            "D" => match duration {
                Some(frames) => Some(Edit::Dissolve { frames }),
                None => {
                    self.error(
                        ln,
                        format!("event {number_text}: dissolve without a duration"),
                    );
                    None
                }
            },
            "K" | "KB" | "KO" => Some(Edit::Key {
                kind,
                frames: duration,
            }),
            w if w.len() == 4
                && w.starts_with('W')
                && w[1..].bytes().all(|b| b.is_ascii_digit()) =>
            {
                match duration {
                    Some(frames) => Some(Edit::Wipe {
                        code: w[1..].parse().unwrap_or(0),
                        frames,
                    }),
                    None => {
                        self.error(ln, format!("event {number_text}: wipe without a duration"));
                        None
                    }
                }
            }
            other => {
                self.error(ln, format!(
                    "event {number_text}: unknown edit type {other:?} (expected C, D, Wnnn, K, KB or KO)"
                ));
                None
            }
        };
        let si = self.timecode(rest[0], ln, "source in", number_text);
        let so = self.timecode(rest[1], ln, "source out", number_text);
        let ri = self.timecode(rest[2], ln, "record in", number_text);
        let ro = self.timecode(rest[3], ln, "record out", number_text);
        let (Some(channels), Some(edit), Some(si), Some(so), Some(ri), Some(ro)) =
            (channels, edit, si, so, ri, ro)
        else {
            return None;
        };
        if ro.frames < ri.frames {
            self.error(
                ln,
                format!(
                    "event {number_text}: record out {} is before record in {}",
                    ro.text, ri.text
                ),
            );
            return None;
        }
        Some(EventLine {
            line: ln,
            number,
            number_text: number_text.to_string(),
            reel_text: reel_text.to_string(),
            channels,
            edit,
            source_in: si,
            source_out: so,
            record_in: ri,
            record_out: ro,
            drop_frame: self.drop_frame && self.rate.supports_drop_frame(),
        })
    }

    /// A line after an event line: `M2`, a comment, `AUD`, `SPLIT` ...
    pub(super) fn note(&mut self, line: &str, ln: usize, n: &mut Notes) {
        let upper = line.to_ascii_uppercase();
        if upper.starts_with("M2") && upper[2..].starts_with(char::is_whitespace) {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() < 4 {
                self.error(ln, "M2 line: expected M2 reel speed timecode");
                return;
            }
            let tc_text = f[f.len() - 1];
            let speed_text = f[f.len() - 2];
            let reel = f[1..f.len() - 2].join(" ");
            let Ok(fps) = speed_text.parse::<f64>() else {
                self.error(ln, format!("M2 line: speed {speed_text:?} is not a number"));
                return;
            };
            if !fps.is_finite() || fps.abs() > 10_000.0 {
                self.error(ln, format!("M2 line: speed {speed_text} is out of range"));
                return;
            }
            if let Some(entry) = self.timecode(tc_text, ln, "M2 entry point", &reel) {
                n.speeds.push((
                    reel,
                    Speed {
                        fps,
                        entry,
                        line: ln,
                    },
                ));
            }
            return;
        }
        if upper.starts_with("SPLIT") {
            self.warn(ln, "split edits (audio/video delay) are not applied; the video follows the event's record times");
            n.comments.push(line.to_string());
            return;
        }
        if let Some(rest) = upper.strip_prefix("EFFECTS NAME IS") {
            let _ = rest;
            n.effect_name = Some(line["EFFECTS NAME IS".len()..].trim().to_string());
            return;
        }
        if upper.starts_with("AUD") || upper.starts_with("REM") || upper.starts_with("SWM") {
            n.comments.push(line.to_string());
            return;
        }
        let body = line.trim_start_matches('*').trim();
        if body
            .trim_start_matches('*')
            .trim()
            .eq_ignore_ascii_case("FREEZE FRAME")
        {
            n.freeze = true;
            return;
        }
        if let Some(v) = strip_key(line, "FROM CLIP NAME") {
            n.clip_name = Some(v.to_string());
        } else if let Some(v) = strip_key(line, "TO CLIP NAME") {
            n.to_clip_name = Some(v.to_string());
        } else if let Some(v) = strip_key(line, "SOURCE FILE") {
            n.source_file = Some(v.to_string());
        } else if let Some(v) =
            strip_key(line, "FROM CLIP").or_else(|| strip_key(line, "FROM FILE"))
        {
            n.path = Some(v.to_string());
        } else if let Some(v) = strip_key(line, "LOC") {
            n.locators.push(self.locator(v, ln));
        } else if let Some(v) = strip_key(line, "ASC_SOP") {
            match parse_sop(v) {
                Some(sop) => n.sop = Some((sop, ln)),
                None => self.error(
                    ln,
                    format!("cannot read ASC_SOP {v:?}; expected (s s s)(o o o)(p p p)"),
                ),
            }
        } else if let Some(v) = strip_key(line, "ASC_SAT") {
            match v.parse::<f64>() {
                Ok(s) if s.is_finite() => n.sat = Some((s, ln)),
                _ => self.error(
                    ln,
                    format!("cannot read ASC_SAT {v:?}; expected one number"),
                ),
            }
        } else if let Some(v) = strip_key(line, "ASC_CC_XML") {
            n.cc_id = Some(v.to_string());
        } else if line.starts_with('*') || upper.starts_with("FROM ") || upper.starts_with("TO ") {
            if !body.is_empty() {
                n.comments.push(body.to_string());
            }
        } else {
            self.warn(
                ln,
                format!("line not understood, kept as a comment: {line:?}"),
            );
            n.comments.push(line.to_string());
        }
    }

    pub(super) fn locator(&mut self, v: &str, ln: usize) -> Locator {
        let mut it = v.splitn(2, char::is_whitespace);
        let timecode = it.next().unwrap_or_default().to_string();
        let rest = it.next().unwrap_or_default().trim_start();
        let mut it = rest.splitn(2, char::is_whitespace);
        let color = it.next().unwrap_or_default().to_string();
        let comment = it.next().unwrap_or_default().trim().to_string();
        let frames = parse_timecode(&timecode).ok().and_then(|mut tc| {
            tc.drop_frame |= self.drop_frame;
            self.rate.to_frames(&tc).ok()
        });
        if frames.is_none() {
            self.warn(
                ln,
                format!("locator timecode {timecode:?} could not be read"),
            );
        }
        Locator {
            timecode,
            frames,
            color,
            comment,
            line: ln,
        }
    }

    pub(super) fn finish_event(&mut self, pd: Pending) -> Event {
        let Pending { from, main, notes } = pd;
        let Notes {
            clip_name,
            to_clip_name,
            source_file,
            path,
            speeds,
            freeze,
            sop,
            sat,
            cc_id,
            locators,
            effect_name,
            comments,
        } = notes;
        let num = main.number_text.clone();
        let transition = from.is_some();
        let side = |l: &EventLine,
                    clip_name: Option<String>,
                    source_file: Option<String>,
                    path: Option<String>| Side {
            source: SourceRef {
                reel: Reel::from_field(&l.reel_text),
                reel_text: l.reel_text.clone(),
                clip_name,
                source_file,
                path,
            },
            source_in: l.source_in.clone(),
            source_out: l.source_out.clone(),
            speed: None,
            freeze: false,
            line: l.line,
        };
        // For a transition, FROM CLIP NAME names the outgoing side and TO
        // CLIP NAME the incoming one; SOURCE FILE and FROM CLIP describe the
        // incoming side (and the outgoing one when it is the same reel).
        let mut from_side = from.as_ref().map(|f| {
            let same_reel = f.reel_text == main.reel_text;
            side(
                f,
                clip_name.clone(),
                source_file.clone().filter(|_| same_reel),
                path.clone().filter(|_| same_reel),
            )
        });
        let main_name = if transition {
            to_clip_name.or_else(|| {
                clip_name
                    .clone()
                    .filter(|_| from.as_ref().is_some_and(|f| f.reel_text == main.reel_text))
            })
        } else {
            if to_clip_name.is_some() {
                self.warn(
                    main.line,
                    format!("event {num}: TO CLIP NAME without a transition is ignored"),
                );
            }
            clip_name
        };
        let mut main_side = side(&main, main_name, source_file, path);
        main_side.freeze = freeze;

        // M2 lines go to the side whose reel they name (the incoming side
        // when both or neither match).
        for (reel, speed) in speeds {
            let to_from = from_side.as_ref().is_some_and(|f| {
                f.source.reel_text.eq_ignore_ascii_case(&reel)
                    && !main.reel_text.eq_ignore_ascii_case(&reel)
            });
            if !to_from && !main.reel_text.eq_ignore_ascii_case(&reel) {
                self.warn(speed.line, format!(
                    "event {num}: M2 names reel {reel:?}, not the event's reel {:?}; applied to the event",
                    main.reel_text
                ));
            }
            let target = if to_from {
                from_side.as_mut()
            } else {
                Some(&mut main_side)
            };
            if let Some(t) = target {
                if t.speed.is_some() {
                    self.warn(
                        speed.line,
                        format!(
                            "event {num}: a second M2 line for the same source replaces the first"
                        ),
                    );
                }
                if speed.fps == 0.0 {
                    t.freeze = true;
                }
                t.speed = Some(speed);
            }
        }

        let cdl = match (sop, sat) {
            (None, None) => None,
            (Some(((slope, offset, power), line)), sat) => Some(EdlCdl {
                slope,
                offset,
                power,
                saturation: sat.map(|s| s.0),
                line,
            }),
            (None, Some((s, line))) => Some(EdlCdl {
                slope: [1.0; 3],
                offset: [0.0; 3],
                power: [1.0; 3],
                saturation: Some(s),
                line,
            }),
        };

        // Avid appends " FF" to the clip name of a freeze frame; the media's
        // name has no such suffix (OpenTimelineIO strips it too).
        for s in std::iter::once(&mut main_side).chain(from_side.as_mut()) {
            if s.freeze {
                if let Some(n) = s.source.clip_name.as_mut() {
                    if let Some(stem) = n.strip_suffix(" FF") {
                        *n = stem.trim_end().to_string();
                    }
                }
            }
        }

        // Checks that need the whole event.
        match &main.edit {
            Edit::Wipe { code, .. } => self.warn(main.line, format!(
                "event {num}: wipe W{code:03} is rendered as a dissolve"
            )),
            Edit::Key { kind, .. } if main.channels.video => self.warn(main.line, format!(
                "event {num}: key ({kind}) is not supported; the event will not be rendered"
            )),
            Edit::Dissolve { .. } if !transition => self.warn(main.line, format!(
                "event {num}: dissolve without a from line (no earlier line with the same number); it dissolves from black"
            )),
            _ => {}
        }
        let rec = main.record_out.frames - main.record_in.frames;
        let trans = i64::from(main.edit.transition_frames());
        if trans > rec {
            self.warn(
                main.line,
                format!(
                "event {num}: transition of {trans} frames is longer than the event ({rec} frames)"
            ),
            );
        }
        if main.channels.video {
            let src = main.source_out.frames - main.source_in.frames;
            let retimed = main_side.speed.is_some() || main_side.freeze;
            if src < 0 && !retimed {
                self.error(
                    main.line,
                    format!(
                        "event {num}: source out {} is before source in {}",
                        main.source_out.text, main.source_in.text
                    ),
                );
            } else if src != rec && !retimed {
                self.warn(main.line, format!(
                    "event {num}: source duration {src} frames differs from record duration {rec} frames; source frames follow the record"
                ));
            }
        }
        if let Some(f) = &from {
            if f.channels != main.channels {
                self.warn(
                    main.line,
                    format!(
                        "event {num}: transition lines have different channels ({} and {})",
                        f.channels.text, main.channels.text
                    ),
                );
            }
        }

        Event {
            number: main.number,
            number_text: main.number_text,
            line: main.line,
            channels: main.channels,
            edit: main.edit,
            source: main_side,
            from: from_side,
            record_in: main.record_in,
            record_out: main.record_out,
            drop_frame: main.drop_frame,
            cdl,
            cc_id,
            locators,
            effect_name,
            comments,
        }
    }

    /// Video events overlapping on the record side are a warning: the later
    /// event wins where they overlap.
    pub(super) fn check_record_order(&mut self, events: &[Event]) {
        let mut last_out: Option<(i64, &str)> = None;
        for e in events.iter().filter(|e| e.channels.video) {
            if let Some((out, num)) = last_out {
                if e.record_in.frames < out {
                    self.warn(
                        e.line,
                        format!(
                            "event {}: record in {} overlaps event {num}; the later event wins",
                            e.number_text, e.record_in.text
                        ),
                    );
                }
            }
            if last_out.is_none_or(|(out, _)| e.record_out.frames >= out) {
                last_out = Some((e.record_out.frames, &e.number_text));
            }
        }
    }
}

/// `(s s s)(o o o)(p p p)`, commas allowed between numbers.
pub(super) fn parse_sop(v: &str) -> Option<Sop> {
    let mut groups = Vec::new();
    let mut rest = v.trim();
    while let Some(open) = rest.strip_prefix('(') {
        let close = open.find(')')?;
        let nums: Vec<f64> = open[..close]
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|s| !s.is_empty())
            .map(|s| s.parse::<f64>().ok().filter(|x| x.is_finite()))
            .collect::<Option<_>>()?;
        groups.push(<[f64; 3]>::try_from(nums).ok()?);
        rest = open[close + 1..].trim_start();
    }
    if !rest.is_empty() || groups.len() != 3 {
        return None;
    }
    Some((groups[0], groups[1], groups[2]))
}

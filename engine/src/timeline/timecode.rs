//! SMPTE timecode: frame rates and exact frame <-> timecode conversion.
//!
//! A [`Rate`] is an exact rational frame rate (`30000/1001`, not `29.97`)
//! plus a drop-frame flag. Timecode labels count frames at the *nominal*
//! rate (24, 30, 60 ...). Drop-frame timecode (29.97 and 59.94 only) follows
//! SMPTE 12M: at the start of every minute except each tenth, the labels
//! `;00` and `;01` (`;00`-`;03` at 59.94) are skipped, so that the label keeps
//! step with the wall clock. No frame of picture is dropped; only labels.
//!
//! Labels are [`SmpteTimecode`] values (the type frame headers carry). The
//! separator before the frames field marks drop-frame: `;`, `.` or `,` mean
//! drop-frame, `:` non-drop; the flag only matters at 29.97 and 59.94, where
//! drop-frame counting exists. Timecode wraps at 24 hours, as on tape.

use std::fmt;

use crate::{Error, SmpteTimecode};

/// A frame rate: exact `num/den` frames per second and whether its timecode
/// is drop-frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rate {
    num: u32,
    den: u32,
    drop_frame: bool,
}

/// Why a timecode or rate could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimecodeError(pub String);

impl fmt::Display for TimecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TimecodeError {}

impl From<TimecodeError> for Error {
    fn from(e: TimecodeError) -> Self {
        Error::Usage(e.0)
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, TimecodeError> {
    Err(TimecodeError(msg.into()))
}

impl Rate {
    pub const FPS_23_976: Rate = Rate::exact(24000, 1001, false);
    pub const FPS_24: Rate = Rate::exact(24, 1, false);
    pub const FPS_25: Rate = Rate::exact(25, 1, false);
    pub const FPS_29_97: Rate = Rate::exact(30000, 1001, false);
    pub const FPS_29_97_DF: Rate = Rate::exact(30000, 1001, true);
    pub const FPS_30: Rate = Rate::exact(30, 1, false);
    pub const FPS_47_952: Rate = Rate::exact(48000, 1001, false);
    pub const FPS_48: Rate = Rate::exact(48, 1, false);
    pub const FPS_50: Rate = Rate::exact(50, 1, false);
    pub const FPS_59_94: Rate = Rate::exact(60000, 1001, false);
    pub const FPS_59_94_DF: Rate = Rate::exact(60000, 1001, true);
    pub const FPS_60: Rate = Rate::exact(60, 1, false);

    /// Every rate grade supports, drop-frame variants included.
    pub const ALL: [Rate; 12] = [
        Rate::FPS_23_976,
        Rate::FPS_24,
        Rate::FPS_25,
        Rate::FPS_29_97,
        Rate::FPS_29_97_DF,
        Rate::FPS_30,
        Rate::FPS_47_952,
        Rate::FPS_48,
        Rate::FPS_50,
        Rate::FPS_59_94,
        Rate::FPS_59_94_DF,
        Rate::FPS_60,
    ];

    const fn exact(num: u32, den: u32, drop_frame: bool) -> Rate {
        Rate {
            num,
            den,
            drop_frame,
        }
    }

    /// One of the supported rates, given as `num/den`. Drop-frame is only
    /// accepted at 30000/1001 and 60000/1001.
    pub fn new(num: u32, den: u32, drop_frame: bool) -> Result<Rate, TimecodeError> {
        let r = Rate::ALL
            .iter()
            .copied()
            .find(|r| u64::from(r.num) * u64::from(den) == u64::from(num) * u64::from(r.den));
        match r {
            None => err(format!(
                "unsupported frame rate {num}/{den}; supported: 23.976, 24, 25, 29.97, 30, 47.952, 48, 50, 59.94, 60"
            )),
            Some(r) if drop_frame && !r.supports_drop_frame() => err(format!(
                "drop-frame timecode exists only at 29.97 and 59.94, not at {r}"
            )),
            Some(r) => Ok(Rate { drop_frame, ..r }),
        }
    }

    /// The supported rate nearest `fps` (within 0.01), non-drop.
    pub fn from_fps(fps: f64) -> Option<Rate> {
        Rate::ALL
            .iter()
            .copied()
            .filter(|r| !r.drop_frame)
            .find(|r| (r.fps() - fps).abs() < 0.01)
    }

    /// Reads a rate as a user writes it: `24`, `23.976`, `23.98`, `29.97`,
    /// `29.97df` / `29.97DF` / `29.97ndf`, `59.94df`, `30000/1001`.
    pub fn parse(text: &str) -> Result<Rate, TimecodeError> {
        let t = text.trim().to_ascii_lowercase();
        let (body, drop) = if let Some(b) = t.strip_suffix("ndf") {
            (b, false)
        } else if let Some(b) = t.strip_suffix("df") {
            (b, true)
        } else {
            (t.as_str(), false)
        };
        let body = body.trim_end_matches([' ', '-', '_']);
        let base = if let Some((n, d)) = body.split_once('/') {
            match (n.trim().parse::<u32>(), d.trim().parse::<u32>()) {
                (Ok(n), Ok(d)) if d > 0 => Rate::new(n, d, false).ok(),
                _ => None,
            }
        } else {
            body.parse::<f64>().ok().and_then(Rate::from_fps)
        };
        match base {
            Some(r) => Rate::new(r.num, r.den, drop),
            None => err(format!(
                "cannot read frame rate {text:?}; expected e.g. 24, 23.976, 29.97df, 30000/1001"
            )),
        }
    }

    /// Frames per second as a fraction.
    pub fn numerator(&self) -> u32 {
        self.num
    }
    pub fn denominator(&self) -> u32 {
        self.den
    }
    pub fn fps(&self) -> f64 {
        f64::from(self.num) / f64::from(self.den)
    }
    pub fn is_drop_frame(&self) -> bool {
        self.drop_frame
    }
    /// Whether drop-frame counting exists at this rate (29.97 and 59.94).
    pub fn supports_drop_frame(&self) -> bool {
        self.den == 1001 && (self.num == 30000 || self.num == 60000)
    }
    /// This rate with drop-frame on or off; drop-frame is ignored where it
    /// does not exist.
    pub fn with_drop_frame(self, drop: bool) -> Rate {
        Rate {
            drop_frame: drop && self.supports_drop_frame(),
            ..self
        }
    }

    /// Frames per timecode second: 24 for 23.976, 30 for 29.97 ...
    pub fn nominal(&self) -> u32 {
        self.num.div_ceil(self.den)
    }

    /// Labels skipped at each dropping minute: 2 at 29.97, 4 at 59.94.
    fn dropped_per_minute(&self) -> u32 {
        self.nominal() / 15
    }

    /// Frames in 24 hours of timecode: where labels wrap.
    pub fn frames_per_day(&self) -> i64 {
        let n = i64::from(self.nominal());
        if self.drop_frame {
            let d = i64::from(self.dropped_per_minute());
            // 144 ten-minute blocks, each 9 dropping minutes short.
            144 * (10 * 60 * n - 9 * d)
        } else {
            24 * 3600 * n
        }
    }

    /// The timecode label of frame `frame` (0 = 00:00:00:00), wrapping at 24
    /// hours (negative frames count back from midnight).
    pub fn to_timecode(&self, frame: i64) -> SmpteTimecode {
        let mut label = frame.rem_euclid(self.frames_per_day());
        let n = i64::from(self.nominal());
        if self.drop_frame {
            let d = i64::from(self.dropped_per_minute());
            let per_10min = 10 * 60 * n - 9 * d;
            let per_min = 60 * n - d;
            let tens = label / per_10min;
            let rest = label % per_10min;
            // The first minute of each ten keeps all its labels; each of the
            // other nine starts `d` labels late.
            let skipped = 9 * d * tens
                + if rest >= d {
                    d * ((rest - d) / per_min)
                } else {
                    0
                };
            label += skipped;
        }
        // Every value is below 24 hours of labels, so each field fits in u8.
        let frames = label % n;
        let secs = label / n;
        SmpteTimecode {
            hours: (secs / 3600) as u8,
            minutes: (secs / 60 % 60) as u8,
            seconds: (secs % 60) as u8,
            frames: frames as u8,
            drop_frame: self.drop_frame,
        }
    }

    /// The frame count of a timecode label at this rate. The label's own
    /// drop-frame flag chooses the counting at 29.97 and 59.94 (at other
    /// rates it is ignored). Labels that cannot exist are errors: fields out
    /// of range, or a drop-frame label that SMPTE 12M skips.
    pub fn to_frames(&self, tc: &SmpteTimecode) -> Result<i64, TimecodeError> {
        let n = self.nominal();
        if tc.hours > 23 || tc.minutes > 59 || tc.seconds > 59 || u32::from(tc.frames) >= n {
            return err(format!(
                "timecode {tc} is out of range at {self} (frames run 00-{:02})",
                n - 1
            ));
        }
        let minutes = i64::from(tc.hours) * 60 + i64::from(tc.minutes);
        let label = (minutes * 60 + i64::from(tc.seconds)) * i64::from(n) + i64::from(tc.frames);
        if tc.drop_frame && self.supports_drop_frame() {
            let d = self.dropped_per_minute();
            if tc.seconds == 0 && u32::from(tc.frames) < d && tc.minutes % 10 != 0 {
                return err(format!(
                    "drop-frame timecode {tc} does not exist: labels 00-{:02} are skipped at the start of minute {:02}",
                    d - 1,
                    tc.minutes
                ));
            }
            Ok(label - i64::from(d) * (minutes - minutes / 10))
        } else {
            Ok(label)
        }
    }

    /// Reads `hh:mm:ss:ff` (or `;`, `.`, `,` before the frames for
    /// drop-frame) and returns its frame count at this rate.
    pub fn parse_frames(&self, text: &str) -> Result<i64, TimecodeError> {
        self.to_frames(&parse_timecode(text)?)
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match (self.num, self.den) {
            (24000, 1001) => "23.976".to_string(),
            (30000, 1001) => "29.97".to_string(),
            (48000, 1001) => "47.952".to_string(),
            (60000, 1001) => "59.94".to_string(),
            (n, 1) => n.to_string(),
            (n, d) => format!("{n}/{d}"),
        };
        let suffix = match (self.supports_drop_frame(), self.drop_frame) {
            (true, true) => " DF",
            (true, false) => " NDF",
            _ => "",
        };
        write!(f, "{name}{suffix} fps")
    }
}

/// Reads a timecode label `hh:mm:ss:ff`. A `;`, `.` or `,` anywhere as a
/// separator marks drop-frame (`01:00:00;00`, `01;00;00;00`, `01:00:00.00`).
/// Each field is one or two digits. Range checks need a rate: see
/// [`Rate::to_frames`].
pub fn parse_timecode(text: &str) -> Result<SmpteTimecode, TimecodeError> {
    let t = text.trim();
    let bad = || err(format!("cannot read timecode {t:?}; expected hh:mm:ss:ff"));
    let mut fields = [0u8; 4];
    let mut drop = false;
    let mut rest = t;
    for (i, field) in fields.iter_mut().enumerate() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 2 {
            return bad();
        }
        let Ok(v) = rest[..digits].parse::<u8>() else {
            return bad();
        };
        *field = v;
        rest = &rest[digits..];
        if i < 3 {
            match rest.as_bytes().first() {
                Some(b':') => {}
                Some(b';' | b'.' | b',') => drop = true,
                _ => return bad(),
            }
            rest = &rest[1..];
        }
    }
    if !rest.is_empty() {
        return bad();
    }
    Ok(SmpteTimecode {
        hours: fields[0],
        minutes: fields[1],
        seconds: fields[2],
        frames: fields[3],
        drop_frame: drop,
    })
}

/// Frame count of a label read from a frame header (DPX, EXR) at `rate`.
pub fn smpte_to_frames(tc: &SmpteTimecode, rate: Rate) -> Result<i64, TimecodeError> {
    rate.to_frames(tc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tc(s: &str) -> SmpteTimecode {
        parse_timecode(s).unwrap()
    }

    #[test]
    fn parses_separators() {
        assert!(!tc("01:02:03:04").drop_frame);
        assert!(tc("01:02:03;04").drop_frame);
        assert!(tc("01;02;03;04").drop_frame);
        assert!(tc("01:02:03.04").drop_frame);
        assert!(tc("01:02:03,04").drop_frame);
        assert_eq!(tc("1:00:01:00").hours, 1);
        for bad in [
            "",
            "01:02:03",
            "01:02:03:04:05",
            "aa:bb:cc:dd",
            "001:00:00:00",
            "01-00-00-00",
            "01:00:00:00x",
        ] {
            assert!(parse_timecode(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn rate_parse_and_display() {
        assert_eq!(Rate::parse("24").unwrap(), Rate::FPS_24);
        assert_eq!(Rate::parse("23.976").unwrap(), Rate::FPS_23_976);
        assert_eq!(Rate::parse("23.98").unwrap(), Rate::FPS_23_976);
        assert_eq!(Rate::parse("29.97df").unwrap(), Rate::FPS_29_97_DF);
        assert_eq!(Rate::parse("29.97 NDF").unwrap(), Rate::FPS_29_97);
        assert_eq!(Rate::parse("60000/1001DF").unwrap(), Rate::FPS_59_94_DF);
        assert_eq!(Rate::parse("47.952").unwrap(), Rate::FPS_47_952);
        assert!(Rate::parse("25df").is_err());
        assert!(Rate::parse("31").is_err());
        assert!(Rate::parse("1/0").is_err());
        assert_eq!(Rate::FPS_29_97_DF.to_string(), "29.97 DF fps");
        assert_eq!(Rate::FPS_24.with_drop_frame(true), Rate::FPS_24);
        let nominals: Vec<u32> = Rate::ALL.iter().map(Rate::nominal).collect();
        assert_eq!(nominals, [24, 24, 25, 30, 30, 30, 48, 48, 50, 60, 60, 60]);
    }

    /// SMPTE 12M: at 29.97 DF, 00:00:59;29 is followed by 00:01:00;02, and
    /// 00:09:59;29 by 00:10:00;00. One hour is 107892 frames.
    #[test]
    fn drop_frame_known_labels() {
        let r = Rate::FPS_29_97_DF;
        assert_eq!(r.to_timecode(1799).to_string(), "00:00:59;29");
        assert_eq!(r.to_timecode(1800).to_string(), "00:01:00;02");
        assert_eq!(r.to_timecode(17981).to_string(), "00:09:59;29");
        assert_eq!(r.to_timecode(17982).to_string(), "00:10:00;00");
        assert_eq!(r.parse_frames("01:00:00;00").unwrap(), 107892);
        assert!(r.parse_frames("00:01:00;00").is_err());
        assert!(r.parse_frames("00:01:00;01").is_err());
        assert_eq!(r.parse_frames("00:10:00;00").unwrap(), 17982);
        // The same label read non-drop counts every label.
        assert_eq!(r.parse_frames("01:00:00:00").unwrap(), 108000);
        let r = Rate::FPS_59_94_DF;
        assert_eq!(r.to_timecode(3599).to_string(), "00:00:59;59");
        assert_eq!(r.to_timecode(3600).to_string(), "00:01:00;04");
        assert!(r.parse_frames("00:01:00;03").is_err());
        assert_eq!(r.parse_frames("01:00:00;00").unwrap(), 215784);
        // Drop-frame separators at a rate without drop-frame are plain labels.
        assert_eq!(Rate::FPS_25.parse_frames("00:01:00;00").unwrap(), 1500);
    }

    #[test]
    fn out_of_range_labels_are_errors() {
        let r = Rate::FPS_24;
        assert!(r.parse_frames("00:00:00:24").is_err());
        assert!(r.parse_frames("00:00:60:00").is_err());
        assert!(r.parse_frames("00:60:00:00").is_err());
        assert!(r.parse_frames("24:00:00:00").is_err());
        assert_eq!(
            r.parse_frames("23:59:59:23").unwrap(),
            r.frames_per_day() - 1
        );
        assert_eq!(r.to_timecode(r.frames_per_day()).to_string(), "00:00:00:00");
        assert_eq!(r.to_timecode(-1).to_string(), "23:59:59:23");
    }

    /// Every frame of 24 hours: frame -> label -> frame is the identity, and
    /// labels strictly increase, for both drop-frame rates and a few others.
    #[test]
    fn every_frame_of_a_day_round_trips() {
        for rate in [
            Rate::FPS_29_97_DF,
            Rate::FPS_59_94_DF,
            Rate::FPS_23_976,
            Rate::FPS_25,
        ] {
            let day = rate.frames_per_day();
            let mut prev: Option<(u8, u8, u8, u8)> = None;
            for f in 0..day {
                let t = rate.to_timecode(f);
                let back = rate
                    .to_frames(&t)
                    .unwrap_or_else(|e| panic!("{rate} frame {f}: {e}"));
                assert_eq!(back, f, "{rate}: frame {f} -> {t} -> {back}");
                let key = (t.hours, t.minutes, t.seconds, t.frames);
                if let Some(p) = prev {
                    assert!(key > p, "{rate}: label {t} after {p:?} at frame {f}");
                }
                prev = Some(key);
            }
            assert_eq!(
                rate.to_timecode(day - 1).to_string(),
                format!(
                    "23:59:59{}{:02}",
                    if rate.is_drop_frame() { ';' } else { ':' },
                    rate.nominal() - 1
                )
            );
        }
    }

    /// Random frames against OpenTimelineIO 0.18 `opentime.to_timecode` and
    /// `from_timecode` (the reference), at every supported rate.
    #[test]
    fn matches_opentimelineio() {
        let Some(py) = crate::testutil::reference_python() else {
            return;
        };
        // Deterministic pseudo-random frames (xorshift) across a day, plus
        // the edges around minute and ten-minute boundaries.
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut cases: Vec<(Rate, i64)> = Vec::new();
        for rate in Rate::ALL {
            // OpenTimelineIO wraps non-drop 29.97, 47.952 and 59.94 labels
            // early (after 23:58:33, the wall-clock day), where tape labels
            // run on to 23:59:59; the comparison stays below 23:58:00 there,
            // and our own full-day walk above covers the rest.
            let day = if rate.denominator() == 1001 && rate.nominal() > 24 && !rate.is_drop_frame()
            {
                i64::from(rate.nominal()) * (23 * 3600 + 58 * 60)
            } else {
                rate.frames_per_day()
            };
            for k in [
                0,
                1,
                2,
                3,
                4,
                5,
                1799,
                1800,
                1801,
                3599,
                3600,
                3601,
                17981,
                17982,
                35963,
                35964,
                day - 1,
            ] {
                cases.push((rate, k % day));
            }
            for _ in 0..400 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                cases.push((rate, (seed % day as u64) as i64));
            }
        }
        let input: String = cases
            .iter()
            .map(|(r, f)| {
                format!(
                    "{} {} {} {}\n",
                    r.numerator(),
                    r.denominator(),
                    u8::from(r.is_drop_frame()),
                    f
                )
            })
            .collect();
        let script = r#"
import sys
import opentimelineio.opentime as ot
for line in sys.stdin:
    n, d, drop, f = line.split()
    rate = int(n) / int(d)
    label = ot.to_timecode(ot.RationalTime(int(f), rate), rate, drop == "1")
    back = ot.from_timecode(label, rate).value
    print(label, int(back))
"#;
        let mut child = std::process::Command::new(py)
            .args(["-c", script])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("run OpenTimelineIO");
        {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
        }
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "OpenTimelineIO failed");
        let text = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), cases.len());
        for ((rate, f), line) in cases.iter().zip(lines) {
            let (label, back) = line.split_once(' ').unwrap();
            let ours = rate.to_timecode(*f);
            assert_eq!(
                ours.to_string(),
                label,
                "{rate} frame {f}: ours vs OpenTimelineIO"
            );
            assert_eq!(
                rate.parse_frames(label).unwrap(),
                back.parse::<i64>().unwrap(),
                "{rate} {label}"
            );
        }
        eprintln!(
            "timecode: {} frames agree with OpenTimelineIO across {} rates",
            cases.len(),
            Rate::ALL.len()
        );
    }
}

//! Frame sequences: `name.%04d.ext`, `name.####.ext`, `name.@@@@.ext` patterns,
//! discovery of a sequence's frames on disk, gaps, and `--frames` sets.
//!
//! A pattern's padding is the least number of digits: `%04d`, `####` and
//! `@@@@` all write frame 7 as `0007` and frame 12345 as `12345`; negative
//! frames are written as printf, OpenImageIO and Nuke write them, the sign
//! counting towards the width (`%04d` of -5 is `-005`). A plain path is a
//! one-frame sequence.
//!
//! Frame sets are what `--frames` takes: `1001-1100`, `1001,1005`,
//! `1001-1100x2` (every second frame), and lists of these, `1,5,9-12`.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// A sequence's file naming: folder, the text around the frame number, and
/// the padding. `padding == None` is a single file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Pattern {
    /// Folder of the frames (empty for the current folder).
    pub dir: PathBuf,
    /// File-name text before the frame number.
    pub prefix: String,
    /// File-name text after the frame number (usually `.ext`).
    pub suffix: String,
    /// Least number of digits of a frame number; `None` for a single file.
    pub padding: Option<usize>,
}

impl Pattern {
    /// Parses `name.%04d.ext`, `name.%d.ext`, `name.####.ext` (one digit per
    /// `#`), `name.@@@@.ext` (one digit per `@`), or a plain path.
    pub fn parse(text: &str) -> Result<Pattern> {
        if text.is_empty() {
            return Err(Error::Usage("empty frame path or pattern".into()));
        }
        let path = Path::new(text);
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| Error::Usage(format!("{text}: the pattern names no file")))?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut tokens = Vec::new();
        let bytes = name.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'%' => {
                    let rest = &name[i + 1..];
                    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
                    if rest[digits.len()..].starts_with('d') {
                        let width = if digits.is_empty() {
                            1
                        } else {
                            digits.parse::<usize>().map_err(|_| {
                                Error::Usage(format!("{text}: bad padding %{digits}d"))
                            })?
                        };
                        let len = 1 + digits.len() + 1;
                        tokens.push((i, len, width.max(1)));
                        i += len;
                    } else {
                        i += 1;
                    }
                }
                c @ (b'#' | b'@') => {
                    let len = bytes[i..].iter().take_while(|&&b| b == c).count();
                    tokens.push((i, len, len));
                    i += len;
                }
                _ => i += 1,
            }
        }
        match tokens.as_slice() {
            [] => Ok(Pattern {
                dir,
                prefix: name.to_string(),
                suffix: String::new(),
                padding: None,
            }),
            [(at, len, width)] => {
                if *width > 18 {
                    return Err(Error::Usage(format!(
                        "{text}: padding of {width} digits is more than grade handles (18)"
                    )));
                }
                Ok(Pattern {
                    dir,
                    prefix: name[..*at].to_string(),
                    suffix: name[at + len..].to_string(),
                    padding: Some(*width),
                })
            }
            _ => Err(Error::Usage(format!(
                "{text}: more than one frame-number placeholder in the file name"
            ))),
        }
    }

    /// Whether this names a single file rather than numbered frames.
    pub fn is_single(&self) -> bool {
        self.padding.is_none()
    }

    /// The file of `frame`. A single-file pattern returns its one path
    /// whatever the frame.
    pub fn path(&self, frame: i64) -> PathBuf {
        match self.padding {
            None => self.dir.join(&self.prefix),
            Some(width) => self
                .dir
                .join(format!("{}{:0width$}{}", self.prefix, frame, self.suffix)),
        }
    }

    /// Whether `file_name` (no folder) is one of this pattern's files: the
    /// single file's name, or a frame number with the pattern's padding.
    pub fn names(&self, file_name: &str) -> bool {
        match self.padding {
            None => file_name == self.prefix,
            Some(_) => matches!(self.frame_of(file_name), Some(Ok(_))),
        }
    }

    /// The frame number a file name carries under this pattern, if it fits.
    /// `Err(())` when it has the prefix, suffix and a number but the wrong
    /// padding (`name.001.exr` for `name.%04d.exr`).
    fn frame_of(&self, file_name: &str) -> Option<std::result::Result<i64, ()>> {
        let width = self.padding?;
        let middle = file_name
            .strip_prefix(&self.prefix)?
            .strip_suffix(&self.suffix)?;
        let digits = middle.strip_prefix('-').unwrap_or(middle);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 18 {
            return None;
        }
        let value: i64 = middle.parse().ok()?;
        // Padding matches when the text is exactly what `path` writes.
        if format!("{:0width$}", value) == middle {
            Some(Ok(value))
        } else {
            Some(Err(()))
        }
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.padding {
            None => self.prefix.clone(),
            Some(w) => format!("{}%0{w}d{}", self.prefix, self.suffix),
        };
        write!(f, "{}", self.dir.join(name).display())
    }
}

/// The frames of a pattern found on disk.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Sequence {
    pub pattern: Pattern,
    /// Frame numbers present, ascending.
    pub frames: Vec<i64>,
    /// Missing frames between the first and last, as inclusive ranges.
    pub gaps: Vec<(i64, i64)>,
    /// Files with the pattern's name and a frame number padded differently
    /// (`name.001.exr` for `name.%04d.exr`): not part of the sequence, listed
    /// so that a caller can warn.
    pub mismatched: Vec<PathBuf>,
}

impl Sequence {
    pub fn first(&self) -> Option<i64> {
        self.frames.first().copied()
    }

    pub fn last(&self) -> Option<i64> {
        self.frames.last().copied()
    }

    pub fn len(&self) -> usize {
        self.frames.len()
    }

    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    pub fn path(&self, frame: i64) -> PathBuf {
        self.pattern.path(frame)
    }

    /// Every frame's file, in frame order.
    pub fn paths(&self) -> impl Iterator<Item = (i64, PathBuf)> + '_ {
        self.frames.iter().map(|&f| (f, self.pattern.path(f)))
    }
}

/// Inclusive ranges of the numbers missing between consecutive entries of
/// sorted, unique `frames`.
pub fn gaps(frames: &[i64]) -> Vec<(i64, i64)> {
    frames
        .windows(2)
        .filter(|w| w[1] - w[0] > 1)
        .map(|w| (w[0] + 1, w[1] - 1))
        .collect()
}

/// Sorted, unique `frames` as ranges: `1001-1010,1012,1020-1030`; `None`
/// when there are none.
pub fn ranges_text(frames: &[i64]) -> Option<String> {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < frames.len() {
        let start = frames[i];
        let mut end = start;
        while i + 1 < frames.len() && frames[i + 1] == end + 1 {
            i += 1;
            end = frames[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    (!parts.is_empty()).then(|| parts.join(","))
}

/// Scans the pattern's folder for its frames. A single-file pattern gives
/// one frame, numbered by the last run of digits in its name (0 if none).
/// No matching file is an error naming the pattern.
pub fn discover(pattern: &Pattern) -> Result<Sequence> {
    let shown = pattern.to_string();
    if pattern.is_single() {
        let path = pattern.path(0);
        std::fs::metadata(&path).map_err(|e| Error::read(&path, e))?;
        let frame = trailing_number(&pattern.prefix).unwrap_or(0);
        return Ok(Sequence {
            pattern: pattern.clone(),
            frames: vec![frame],
            gaps: Vec::new(),
            mismatched: Vec::new(),
        });
    }
    let dir = if pattern.dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        pattern.dir.as_path()
    };
    let entries = std::fs::read_dir(dir).map_err(|e| Error::read(dir, e))?;
    let mut frames = Vec::new();
    let mut mismatched = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::read(dir, e))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        match pattern.frame_of(name) {
            Some(Ok(f)) => frames.push(f),
            Some(Err(())) => mismatched.push(pattern.dir.join(name)),
            None => {}
        }
    }
    if frames.is_empty() {
        return Err(Error::read(
            &shown,
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                if mismatched.is_empty() {
                    "no frames match this pattern".to_string()
                } else {
                    format!(
                        "no frames match this pattern ({} files have the name but a different padding, e.g. {})",
                        mismatched.len(),
                        mismatched[0].display()
                    )
                },
            ),
        ));
    }
    frames.sort_unstable();
    frames.dedup();
    mismatched.sort();
    Ok(Sequence {
        pattern: pattern.clone(),
        gaps: gaps(&frames),
        frames,
        mismatched,
    })
}

/// The frame number at the end of a file name's stem
/// (`A001C003.0001012.dpx` -> 1012), if it has one.
pub fn trailing_number(name: &str) -> Option<i64> {
    let stem = match name.rfind('.') {
        Some(i) if i > 0 => &name[..i],
        _ => name,
    };
    let digits: String = stem
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if digits.is_empty() || digits.len() > 18 {
        None
    } else {
        digits.parse().ok()
    }
}

/// One item of a frame set: `first..=last` every `step` frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct FrameRange {
    pub first: i64,
    pub last: i64,
    pub step: i64,
}

/// A set of frames as `--frames` takes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FrameSet {
    ranges: Vec<FrameRange>,
    /// Every frame, ascending, each once.
    frames: Vec<i64>,
}

impl FrameSet {
    /// Most frames one set may name, so `1-999999999999` fails quickly
    /// instead of allocating.
    pub const MAX_FRAMES: u64 = 10_000_000;

    /// Parses `1001-1100`, `1001,1005`, `1001-1100x2`, `1,5,9-12`; numbers
    /// may be negative (`-10--1`). Every bad item is reported.
    pub fn parse(text: &str) -> Result<FrameSet> {
        let mut problems = Vec::new();
        let mut ranges = Vec::new();
        let mut total: u64 = 0;
        if text.trim().is_empty() {
            return Err(Error::Usage("frame set is empty".into()));
        }
        for item in text.split(',') {
            let item = item.trim();
            match parse_range(item) {
                Ok(r) => {
                    let count = ((r.last - r.first) / r.step) as u64 + 1;
                    total = total.saturating_add(count);
                    ranges.push(r);
                }
                Err(msg) => problems.push(format!("{item:?}: {msg}")),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Usage(format!(
                "bad frame set {text:?}: {} (expected e.g. 1001-1100, 1001,1005, 1001-1100x2)",
                problems.join("; ")
            )));
        }
        if total > Self::MAX_FRAMES {
            return Err(Error::Usage(format!(
                "frame set {text:?} names {total} frames, more than {}",
                Self::MAX_FRAMES
            )));
        }
        let mut frames: Vec<i64> = ranges
            .iter()
            .flat_map(|r| (r.first..=r.last).step_by(r.step as usize))
            .collect();
        frames.sort_unstable();
        frames.dedup();
        Ok(FrameSet { ranges, frames })
    }

    /// A set of `first..=last`.
    pub fn range(first: i64, last: i64) -> Result<FrameSet> {
        FrameSet::parse(&format!("{first}-{last}"))
    }

    /// The ranges as written.
    pub fn ranges(&self) -> &[FrameRange] {
        &self.ranges
    }

    /// Every frame, ascending, each once.
    pub fn frames(&self) -> &[i64] {
        &self.frames
    }

    pub fn iter(&self) -> impl Iterator<Item = i64> + '_ {
        self.frames.iter().copied()
    }

    pub fn contains(&self, frame: i64) -> bool {
        self.frames.binary_search(&frame).is_ok()
    }

    pub fn len(&self) -> usize {
        self.frames.len()
    }

    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }
}

impl fmt::Display for FrameSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.ranges.iter().enumerate() {
            if i > 0 {
                write!(f, ",")?;
            }
            if r.first == r.last {
                write!(f, "{}", r.first)?;
            } else if r.step == 1 {
                write!(f, "{}-{}", r.first, r.last)?;
            } else {
                write!(f, "{}-{}x{}", r.first, r.last, r.step)?;
            }
        }
        Ok(())
    }
}

/// Parses one signed number at the start of `s`, returning it and the rest.
fn number(s: &str) -> std::result::Result<(i64, &str), String> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let len = body.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 {
        return Err("expected a frame number".into());
    }
    if len > 15 {
        return Err("frame number is too long".into());
    }
    let v: i64 = body[..len]
        .parse()
        .map_err(|_| "bad frame number".to_string())?;
    Ok((if neg { -v } else { v }, &body[len..]))
}

fn parse_range(item: &str) -> std::result::Result<FrameRange, String> {
    if item.is_empty() {
        return Err("empty item".into());
    }
    let (first, rest) = number(item)?;
    if rest.is_empty() {
        return Ok(FrameRange {
            first,
            last: first,
            step: 1,
        });
    }
    let Some(rest) = rest.strip_prefix('-') else {
        return Err(format!("unexpected {rest:?}"));
    };
    let (last, rest) = number(rest)?;
    let step = if rest.is_empty() {
        1
    } else if let Some(s) = rest.strip_prefix('x').or_else(|| rest.strip_prefix(':')) {
        let (step, tail) = number(s)?;
        if !tail.is_empty() {
            return Err(format!("unexpected {tail:?}"));
        }
        step
    } else {
        return Err(format!("unexpected {rest:?}"));
    };
    if step <= 0 {
        return Err("step must be 1 or more".into());
    }
    if last < first {
        return Err(format!("range ends ({last}) before it starts ({first})"));
    }
    Ok(FrameRange { first, last, step })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_parse_in_every_spelling() {
        for text in [
            "shots/A001.%04d.exr",
            "shots/A001.####.exr",
            "shots/A001.@@@@.exr",
        ] {
            let p = Pattern::parse(text).unwrap();
            assert_eq!(p.dir, PathBuf::from("shots"), "{text}");
            assert_eq!(p.prefix, "A001.", "{text}");
            assert_eq!(p.suffix, ".exr", "{text}");
            assert_eq!(p.padding, Some(4), "{text}");
            assert_eq!(p.path(1001), PathBuf::from("shots/A001.1001.exr"), "{text}");
            assert_eq!(p.path(7), PathBuf::from("shots/A001.0007.exr"), "{text}");
            assert_eq!(
                p.path(12345),
                PathBuf::from("shots/A001.12345.exr"),
                "{text}"
            );
            assert_eq!(p.to_string(), "shots/A001.%04d.exr");
        }
        let p = Pattern::parse("r_%07d.dpx").unwrap();
        assert_eq!(p.path(86400), PathBuf::from("r_0086400.dpx"));
        let p = Pattern::parse("r.%d.tif").unwrap();
        assert_eq!(p.path(5), PathBuf::from("r.5.tif"));
        let p = Pattern::parse("r.#.tif").unwrap();
        assert_eq!(p.path(12), PathBuf::from("r.12.tif"));
        let single = Pattern::parse("/plates/still.tif").unwrap();
        assert!(single.is_single());
        assert_eq!(single.path(99), PathBuf::from("/plates/still.tif"));
    }

    #[test]
    fn negative_frames_are_written_as_printf_writes_them() {
        // printf("%04d", -5) == "-005", as OpenImageIO and Nuke name them.
        let p = Pattern::parse("a.%04d.exr").unwrap();
        assert_eq!(p.path(-5), PathBuf::from("a.-005.exr"));
        assert_eq!(p.path(-1234), PathBuf::from("a.-1234.exr"));
        assert_eq!(p.frame_of("a.-005.exr"), Some(Ok(-5)));
    }

    #[test]
    fn bad_patterns_are_usage_errors() {
        assert!(matches!(
            Pattern::parse("a.%04d.%04d.exr"),
            Err(Error::Usage(_))
        ));
        assert!(matches!(
            Pattern::parse("a.##.@@.exr"),
            Err(Error::Usage(_))
        ));
        assert!(matches!(Pattern::parse(""), Err(Error::Usage(_))));
        assert!(matches!(
            Pattern::parse("a.%099d.exr"),
            Err(Error::Usage(_))
        ));
    }

    #[test]
    fn discovery_sorts_frames_reports_gaps_and_padding_mismatches() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "A.1001.exr",
            "A.1003.exr",
            "A.1002.exr",
            "A.1007.exr",
            "A.1010.exr",
            "A.12345.exr", // longer than the padding: frame 12345
            "A.001.exr",   // padded differently: not ours
            "A.1004.tif",  // other extension
            "B.1005.exr",  // other name
            "A.10x6.exr",  // not a number
        ] {
            std::fs::write(dir.path().join(name), b"").unwrap();
        }
        let pattern = Pattern::parse(&format!("{}/A.####.exr", dir.path().display())).unwrap();
        let seq = discover(&pattern).unwrap();
        assert_eq!(seq.frames, [1001, 1002, 1003, 1007, 1010, 12345]);
        assert_eq!(seq.gaps, [(1004, 1006), (1008, 1009), (1011, 12344)]);
        assert_eq!(seq.mismatched, [dir.path().join("A.001.exr")]);
        assert_eq!(
            (seq.first(), seq.last(), seq.len()),
            (Some(1001), Some(12345), 6)
        );
        assert_eq!(seq.path(1002), dir.path().join("A.1002.exr"));

        let none = Pattern::parse(&format!("{}/C.%04d.exr", dir.path().display())).unwrap();
        let e = discover(&none).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        assert!(e.to_string().contains("C.%04d.exr"), "{e}");

        let single = Pattern::parse(&format!("{}/A.1007.exr", dir.path().display())).unwrap();
        assert_eq!(discover(&single).unwrap().frames, [1007]);
    }

    #[test]
    fn ranges_text_compresses_runs() {
        assert_eq!(
            ranges_text(&[1, 2, 3, 5, 7, 8]).as_deref(),
            Some("1-3,5,7-8")
        );
        assert_eq!(ranges_text(&[]), None);
    }

    #[test]
    fn pattern_names_its_own_files_only() {
        let p = Pattern::parse("out/o.%04d.dpx").unwrap();
        assert!(p.names("o.0034.dpx") && p.names("o.12345.dpx"));
        assert!(!p.names("o.034.dpx") && !p.names(".o.0034.dpx.tmp-h-1-2"));
        let single = Pattern::parse("out/o.dpx").unwrap();
        assert!(single.names("o.dpx") && !single.names("p.dpx"));
    }

    #[test]
    fn frame_sets_parse_and_iterate_in_order() {
        let f = |s: &str| FrameSet::parse(s).unwrap().frames().to_vec();
        assert_eq!(f("1001-1005"), [1001, 1002, 1003, 1004, 1005]);
        assert_eq!(f("1001,1005"), [1001, 1005]);
        assert_eq!(f("1001-1009x2"), [1001, 1003, 1005, 1007, 1009]);
        assert_eq!(f("1001-1010x3"), [1001, 1004, 1007, 1010]);
        assert_eq!(f("1,5,9-12"), [1, 5, 9, 10, 11, 12]);
        assert_eq!(f("9-12, 1 ,5"), [1, 5, 9, 10, 11, 12]);
        assert_eq!(f("3,1-4"), [1, 2, 3, 4]);
        assert_eq!(f("-3--1,0"), [-3, -2, -1, 0]);
        assert_eq!(f("1-10:5"), [1, 6]);
        let set = FrameSet::parse("1,5,9-12,20-30x5").unwrap();
        assert_eq!(set.to_string(), "1,5,9-12,20-30x5");
        assert!(set.contains(25) && !set.contains(21));
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            [1, 5, 9, 10, 11, 12, 20, 25, 30]
        );
        assert_eq!(FrameSet::range(1001, 1048).unwrap().len(), 48);
    }

    #[test]
    fn bad_frame_sets_are_usage_errors_listing_every_bad_item() {
        for bad in [
            "", "1-", "a", "5-1", "1-10x0", "1-10x", "1..5", "1,,2", "1-2-3", "1x2",
        ] {
            let e = FrameSet::parse(bad).unwrap_err();
            assert!(matches!(e, Error::Usage(_)), "{bad:?}: {e}");
        }
        let e = FrameSet::parse("1,x,5-2").unwrap_err().to_string();
        assert!(e.contains("\"x\"") && e.contains("\"5-2\""), "{e}");
        let e = FrameSet::parse("1-999999999999").unwrap_err().to_string();
        assert!(e.contains("more than"), "{e}");
    }
}

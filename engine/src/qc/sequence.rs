//! The checks of a sequence's files, from their headers: missing numbers,
//! zero-byte or short files ([`crate::io::probe::whole_frame`]), size,
//! depth, channels or compression that change, timecode continuity (each
//! header's timecode is the first one's plus the frame offset), and names
//! outside `[A-Za-z0-9._-]`. And [`scan`]: everything `grade qc` checks of
//! a sequence or folder on disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{measure, Check, FrameEntry, Levels, QcReport, Severity, Thresholds};
use crate::io::sequence::{discover, Pattern};
use crate::io::{self, probe, Format};
use crate::timeline::Rate;
use crate::{Error, FrameInfo, Result};

use super::Finding;

/// Whether a file name keeps to the characters every file system and
/// delivery spec accepts.
pub fn portable_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The findings of the files `files` (frame number and path, ascending),
/// every one of which the sequence should hold; also each readable file's
/// header, by frame.
pub fn check_files(files: &[(i64, PathBuf)]) -> (Vec<Finding>, BTreeMap<i64, FrameInfo>) {
    let mut out = Vec::new();
    let mut infos = BTreeMap::new();
    let mut first: Option<(i64, FrameInfo)> = None;
    for (n, path) in files {
        let mut push = |check, severity, detail: String| {
            out.push(Finding {
                check,
                severity,
                frame: Some(*n),
                file: Some(path.clone()),
                detail,
            })
        };
        if let Some(name) = path.file_name().map(|n| n.to_string_lossy()) {
            if !portable_name(&name) {
                push(
                    Check::Name,
                    Severity::Warn,
                    format!("{name:?} has characters outside [A-Za-z0-9._-]"),
                );
            }
        }
        let len = match std::fs::metadata(path) {
            Ok(m) => m.len(),
            Err(_) => {
                push(Check::Missing, Severity::Fail, "no file".into());
                continue;
            }
        };
        if len == 0 {
            push(Check::ShortFile, Severity::Fail, "zero-byte file".into());
            continue;
        }
        let info = match probe::whole_frame(path) {
            Ok(i) => i,
            Err(e) => {
                push(Check::ShortFile, Severity::Fail, e.to_string());
                continue;
            }
        };
        if let Some((n0, i0)) = &first {
            if (info.width, info.height) != (i0.width, i0.height) {
                push(
                    Check::Size,
                    Severity::Fail,
                    format!(
                        "{}x{}, frame {n0} is {}x{}",
                        info.width, info.height, i0.width, i0.height
                    ),
                );
            }
            let (s, s0) = (&info.source, &i0.source);
            for (what, now, then) in [
                ("format", s.format.clone(), s0.format.clone()),
                ("bit depth", s.bit_depth.clone(), s0.bit_depth.clone()),
                ("channels", s.channels.join(","), s0.channels.join(",")),
                ("layout", s.layout.clone(), s0.layout.clone()),
            ] {
                if now != then {
                    push(
                        Check::Depth,
                        Severity::Fail,
                        format!("{what} {now}, frame {n0} has {then}"),
                    );
                }
            }
            if let Some(detail) = timecode_break(*n0, i0, *n, &info) {
                push(Check::Timecode, Severity::Fail, detail);
            }
        } else {
            first = Some((*n, info.clone()));
        }
        infos.insert(*n, info);
    }
    (out, infos)
}

/// Why frame `n`'s header timecode is not the first frame's plus the
/// offset, if it is not. Frames without a timecode, or without a rate to
/// count in, are not checked.
fn timecode_break(n0: i64, first: &FrameInfo, n: i64, info: &FrameInfo) -> Option<String> {
    let (tc0, tc) = (first.meta.timecode?, info.meta.timecode?);
    let rate = Rate::from_fps(first.meta.fps?)?.with_drop_frame(tc0.drop_frame);
    let start = rate.to_frames(&tc0).ok()?;
    let expected = rate.to_timecode(start + (n - n0));
    match rate.to_frames(&tc) {
        Ok(_) if tc == expected => None,
        _ => Some(format!(
            "timecode {tc}, expected {expected} (frame {n0} is {tc0})"
        )),
    }
}

/// The sequences of a folder's frame files (`.dpx`, `.exr`, `.tif`,
/// `.tiff`): files named alike but for the number before the extension
/// form one sequence; a file without a number is one on its own.
pub fn sequences_in(folder: &Path) -> Result<Vec<Pattern>> {
    let mut found: BTreeMap<String, Pattern> = BTreeMap::new();
    let entries = std::fs::read_dir(folder).map_err(|e| Error::read(folder, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::read(folder, e))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with('.') || Format::from_path(Path::new(name)).is_err() {
            continue;
        }
        let dot = name.rfind('.').unwrap_or(name.len());
        let stem = &name[..dot];
        let digits = stem.bytes().rev().take_while(u8::is_ascii_digit).count();
        let text = if digits == 0 || digits > 18 {
            name.to_string()
        } else {
            let prefix = &stem[..stem.len() - digits];
            format!("{prefix}%0{digits}d{}", &name[dot..])
        };
        if let std::collections::btree_map::Entry::Vacant(slot) = found.entry(text) {
            let p = Pattern::parse(&folder.join(slot.key()).to_string_lossy())?;
            slot.insert(p);
        }
    }
    Ok(found.into_values().collect())
}

/// Checks what is on disk at `target`: a sequence pattern, one frame, or a
/// folder of sequences. Every frame is read and measured; `video_range`
/// turns on the legal-range check.
pub fn scan(target: &str, video_range: bool, thresholds: &Thresholds) -> Result<QcReport> {
    let path = Path::new(target);
    let patterns = if path.is_dir() {
        let p = sequences_in(path)?;
        if p.is_empty() {
            return Err(Error::read(
                path,
                std::io::Error::new(std::io::ErrorKind::NotFound, "no DPX, EXR or TIFF frames"),
            ));
        }
        p
    } else {
        vec![Pattern::parse(target)?]
    };
    let mut report = QcReport::new(target, *thresholds);
    for pattern in patterns {
        let seq = discover(&pattern)?;
        let (first, last) = (seq.first().unwrap_or(0), seq.last().unwrap_or(0));
        let files: Vec<(i64, PathBuf)> = if pattern.is_single() {
            seq.paths().collect()
        } else {
            (first..=last).map(|n| (n, pattern.path(n))).collect()
        };
        let (mut findings, infos) = check_files(&files);
        let measured: Vec<std::result::Result<FrameEntry, Finding>> = files
            .par_iter()
            .filter_map(|(n, path)| {
                let info = infos.get(n)?;
                let levels = Levels::of_header(&info.source.bit_depth, video_range);
                Some(match io::read_frame(path) {
                    Ok(frame) => Ok(FrameEntry {
                        frame: *n,
                        file: path.clone(),
                        stats: measure(frame.width, frame.height, &frame.pixels, &levels),
                    }),
                    Err(e) => Err(Finding {
                        check: Check::ShortFile,
                        severity: Severity::Fail,
                        frame: Some(*n),
                        file: Some(path.clone()),
                        detail: e.to_string(),
                    }),
                })
            })
            .collect();
        let mut frames = Vec::new();
        for m in measured {
            match m {
                Ok(e) => frames.push(e),
                Err(f) => findings.push(f),
            }
        }
        report.add(pattern.to_string(), frames, findings);
    }
    Ok(report)
}

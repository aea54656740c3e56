//! What a frame or a sequence holds, read from headers only: the data behind
//! `grade probe`, as JSON (serde) or as text for a person.

use std::fmt;

use super::sequence::{self, Pattern};
use crate::{Metadata, Result};

/// A sequence's frame range as found on disk.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SequenceReport {
    /// The pattern with printf-style padding, e.g. `shot.%04d.exr`.
    pub pattern: String,
    pub first: i64,
    pub last: i64,
    /// Frames present.
    pub count: usize,
    /// Missing frames between first and last, as inclusive ranges.
    pub gaps: Vec<(i64, i64)>,
    /// Files named like the sequence but padded differently.
    pub mismatched_padding: Vec<String>,
}

/// Everything `grade probe` shows about a frame or a sequence (taken from
/// its first frame).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProbeReport {
    /// The file read (the first frame for a sequence).
    pub path: String,
    /// "dpx", "exr" or "tiff".
    pub format: String,
    pub width: u32,
    pub height: u32,
    /// Channel names as stored.
    pub channels: Vec<String>,
    /// "8", "10", "12", "16", "half", "float".
    pub bit_depth: String,
    /// Packing, compression and other layout details, as the reader puts them.
    pub layout: String,
    /// "big-endian" or "little-endian" where the format has a byte order.
    pub endianness: Option<String>,
    pub timecode: Option<String>,
    pub fps: Option<f64>,
    pub reel: Option<String>,
    /// All header metadata (creator, dates, format-specific fields).
    pub metadata: Metadata,
    pub sequence: Option<SequenceReport>,
}

/// Probes a frame file or a sequence pattern (`shot.%04d.exr`,
/// `shot.####.exr`).
pub fn probe(path_or_pattern: &str) -> Result<ProbeReport> {
    let pattern = Pattern::parse(path_or_pattern)?;
    let (path, seq) = if pattern.is_single() {
        (pattern.path(0), None)
    } else {
        let found = sequence::discover(&pattern)?;
        let first = found.first().unwrap_or(0);
        let report = SequenceReport {
            pattern: pattern.to_string(),
            first,
            last: found.last().unwrap_or(first),
            count: found.len(),
            gaps: found.gaps.clone(),
            mismatched_padding: found
                .mismatched
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
        };
        (found.path(first), Some(report))
    };
    let info = super::read_info(&path)?;
    let layout = info.source.layout.clone();
    let endianness = if layout.contains("big-endian") {
        Some("big-endian".to_string())
    } else if layout.contains("little-endian") {
        Some("little-endian".to_string())
    } else {
        None
    };
    Ok(ProbeReport {
        path: path.display().to_string(),
        format: info.source.format.clone(),
        width: info.width,
        height: info.height,
        channels: info.source.channels.clone(),
        bit_depth: info.source.bit_depth.clone(),
        layout,
        endianness,
        timecode: info.meta.timecode.map(|t| t.to_string()),
        fps: info.meta.fps,
        reel: info.meta.reel.clone(),
        metadata: info.meta,
        sequence: seq,
    })
}

impl fmt::Display for ProbeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sequence {
            Some(s) => {
                writeln!(f, "sequence:   {}", s.pattern)?;
                writeln!(
                    f,
                    "frames:     {}-{} ({} present)",
                    s.first, s.last, s.count
                )?;
                if s.gaps.is_empty() {
                    writeln!(f, "gaps:       none")?;
                } else {
                    let gaps: Vec<String> = s
                        .gaps
                        .iter()
                        .map(|&(a, b)| {
                            if a == b {
                                a.to_string()
                            } else {
                                format!("{a}-{b}")
                            }
                        })
                        .collect();
                    writeln!(f, "gaps:       {}", gaps.join(", "))?;
                }
                if !s.mismatched_padding.is_empty() {
                    writeln!(
                        f,
                        "ignored:    {} files padded differently",
                        s.mismatched_padding.len()
                    )?;
                }
                writeln!(f, "first file: {}", self.path)?;
            }
            None => writeln!(f, "file:       {}", self.path)?,
        }
        writeln!(f, "format:     {}", self.format)?;
        writeln!(f, "size:       {}x{}", self.width, self.height)?;
        writeln!(
            f,
            "channels:   {} ({})",
            self.channels.join(","),
            self.bit_depth
        )?;
        writeln!(f, "layout:     {}", self.layout)?;
        if let Some(tc) = &self.timecode {
            writeln!(f, "timecode:   {tc}")?;
        }
        if let Some(fps) = self.fps {
            writeln!(f, "fps:        {}", format_fps(fps))?;
        }
        if let Some(reel) = &self.reel {
            writeln!(f, "reel:       {reel}")?;
        }
        let m = &self.metadata;
        for (label, v) in [
            ("creator", &m.creator),
            ("created", &m.created),
            ("project", &m.project),
            ("copyright", &m.copyright),
            ("source", &m.source_file),
        ] {
            if let Some(v) = v {
                writeln!(f, "{label:<11} {v}", label = format!("{label}:"))?;
            }
        }
        for (k, v) in &m.extra {
            writeln!(f, "{k}: {v}")?;
        }
        Ok(())
    }
}

/// 24, 25, 23.976, 29.97: whole rates without decimals, others to 3 places.
fn format_fps(fps: f64) -> String {
    if (fps - fps.round()).abs() < 1e-9 {
        format!("{}", fps.round())
    } else {
        format!("{fps:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{write_frame, WriteOptions};
    use crate::{Frame, SmpteTimecode};

    #[test]
    fn probes_a_sequence_with_gaps_from_its_first_frame() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = Frame::new(8, 6);
        f.meta.timecode = Some(SmpteTimecode {
            hours: 1,
            minutes: 0,
            seconds: 0,
            frames: 0,
            drop_frame: false,
        });
        f.meta.fps = Some(24.0);
        f.meta.reel = Some("A001".into());
        for frame in [1001, 1002, 1005] {
            let path = dir.path().join(format!("shot.{frame:04}.exr"));
            write_frame(&path, &f, &WriteOptions::default()).unwrap();
        }
        let r = probe(&format!("{}/shot.####.exr", dir.path().display())).unwrap();
        assert_eq!(r.format, "exr");
        assert_eq!((r.width, r.height), (8, 6));
        assert_eq!(r.channels, ["B", "G", "R"]);
        assert_eq!(r.bit_depth, "half");
        assert_eq!(r.timecode.as_deref(), Some("01:00:00:00"));
        assert_eq!(r.fps, Some(24.0));
        assert_eq!(r.reel.as_deref(), Some("A001"));
        let s = r.sequence.as_ref().unwrap();
        assert_eq!((s.first, s.last, s.count), (1001, 1005, 3));
        assert_eq!(s.gaps, [(1003, 1004)]);
        let text = r.to_string();
        assert!(text.contains("frames:     1001-1005 (3 present)"), "{text}");
        assert!(text.contains("gaps:       1003-1004"), "{text}");
        assert!(text.contains("timecode:   01:00:00:00"), "{text}");
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["sequence"]["gaps"][0], serde_json::json!([1003, 1004]));
        assert_eq!(json["reel"], "A001");
    }

    #[test]
    fn probes_a_dpx_through_the_dispatcher() {
        let r = probe(
            crate::testutil::fixture("dpx/rgb_10a_le.dpx")
                .to_str()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(r.format, "dpx");
        assert_eq!(r.bit_depth, "10");
        assert_eq!(
            r.endianness.as_deref(),
            Some("little-endian"),
            "{}",
            r.layout
        );
    }

    #[test]
    fn probes_a_single_tiff() {
        let r = probe(
            crate::testutil::fixture("tiff/rgb16_big_endian.tif")
                .to_str()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(r.format, "tiff");
        assert_eq!(r.bit_depth, "16");
        assert_eq!(r.endianness.as_deref(), Some("big-endian"));
        assert!(r.sequence.is_none());
        assert!(r.to_string().starts_with("file:"), "{r}");
    }
}

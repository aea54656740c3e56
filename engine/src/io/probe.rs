//! What a frame or a sequence holds, read from headers only: the data behind
//! `grade probe`, as JSON (serde) or as text for a person; and
//! [`whole_frame`], whether a file holds every byte its header promises.

use std::fmt;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::sequence::{self, Pattern};
use super::Format;
use crate::{Error, FrameInfo, Metadata, Result};

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

/// Reads a frame's header and checks that the file holds every byte the
/// header says follows it, without decoding a pixel: DPX the pixel data
/// (its header reader checks that), EXR every chunk of its offset table,
/// TIFF every strip or tile. What `--skip-existing` asks of a frame already
/// on disk: a zero-byte, truncated or foreign file is an error naming it.
pub fn whole_frame(path: &Path) -> Result<FrameInfo> {
    let info = super::read_info(path)?;
    let len = std::fs::metadata(path)
        .map_err(|e| Error::read(path, e))?
        .len();
    let end = match Format::from_path(path)? {
        Format::Dpx => 0,
        Format::Exr => exr_data_end(path, len)?,
        Format::Tiff => tiff_data_end(path)?,
    };
    if end > len {
        return Err(Error::invalid(
            path,
            format!("truncated: the header's data runs to byte {end}, the file ends at {len}"),
        ));
    }
    Ok(info)
}

/// Where the last chunk of a single-part scanline EXR ends: the header's
/// attributes are skipped to the offset table, every offset must lie past
/// the table, and the chunk furthest in gives the end. Tiled, deep and
/// multi-part files (grade writes none) are refused.
fn exr_data_end(path: &Path, len: u64) -> Result<u64> {
    let bad = |m: String| Error::invalid(path, m);
    let file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let mut r = BufReader::new(file);
    let mut word = [0u8; 4];
    let mut read4 = |r: &mut BufReader<std::fs::File>| -> Result<[u8; 4]> {
        r.read_exact(&mut word)
            .map_err(|_| bad("truncated EXR header".into()))?;
        Ok(word)
    };
    read4(&mut r)?; // magic, checked by read_info
    let version = u32::from_le_bytes(read4(&mut r)?);
    if version & 0x1a00 != 0 {
        return Err(bad(
            "a tiled, deep or multi-part EXR (grade writes single-part scanline files)".into(),
        ));
    }
    let mut pos = 8u64;
    let (mut height, mut lines) = (None, 1u64);
    loop {
        let name = exr_text(&mut r, &mut pos).ok_or_else(|| bad("truncated EXR header".into()))?;
        if name.is_empty() {
            break;
        }
        exr_text(&mut r, &mut pos).ok_or_else(|| bad("truncated EXR header".into()))?;
        let size = u32::from_le_bytes(read4(&mut r)?) as u64;
        pos += 4 + size;
        if pos > len {
            return Err(bad(format!("truncated EXR header: attribute {name}")));
        }
        match (name.as_str(), size) {
            ("dataWindow", 16) => {
                let mut b = [0i32; 4];
                for v in &mut b {
                    *v = i32::from_le_bytes(read4(&mut r)?);
                }
                height = Some((b[3] as i64 - b[1] as i64 + 1).max(0) as u64);
            }
            ("compression", 1) => {
                let mut c = [0u8];
                r.read_exact(&mut c)
                    .map_err(|_| bad("truncated EXR header".into()))?;
                // Scanlines per chunk, as OpenEXR's ImfCompression.h has them.
                lines = match c[0] {
                    0..=2 => 1,
                    3 | 5 => 16,
                    9 => 256,
                    _ => 32,
                };
            }
            _ => {
                r.seek_relative(size as i64)
                    .map_err(|e| Error::read(path, e))?;
            }
        }
    }
    let height = height.ok_or_else(|| bad("EXR header has no dataWindow".into()))?;
    let chunks = height.div_ceil(lines);
    let table_end = pos + 8 * chunks;
    if table_end > len {
        return Ok(table_end);
    }
    let mut last = 0u64;
    let mut entry = [0u8; 8];
    for k in 0..chunks {
        r.read_exact(&mut entry).map_err(|e| Error::read(path, e))?;
        let at = u64::from_le_bytes(entry);
        if at < table_end || at >= len {
            return Err(bad(format!(
                "truncated: chunk {k} is at byte {at}, outside the file's data (bytes {table_end} to {len})"
            )));
        }
        last = last.max(at);
    }
    // A scanline chunk: its first line (4 bytes), its size (4), its data.
    r.seek(SeekFrom::Start(last + 4))
        .map_err(|e| Error::read(path, e))?;
    let size = match read4(&mut r) {
        Ok(b) => u32::from_le_bytes(b) as u64,
        Err(_) => return Ok(last + 8),
    };
    Ok(last + 8 + size)
}

/// A NUL-terminated EXR header name of at most 255 bytes.
fn exr_text(r: &mut impl Read, pos: &mut u64) -> Option<String> {
    let mut text = Vec::new();
    let mut b = [0u8];
    loop {
        r.read_exact(&mut b).ok()?;
        *pos += 1;
        if b[0] == 0 {
            return String::from_utf8(text).ok();
        }
        if text.len() == 255 {
            return None;
        }
        text.push(b[0]);
    }
}

/// Where the last strip or tile of a TIFF's first image ends.
fn tiff_data_end(path: &Path) -> Result<u64> {
    use tiff::tags::Tag;
    let file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let bad = |e: tiff::TiffError| Error::invalid(path, format!("damaged TIFF: {e}"));
    let mut d = tiff::decoder::Decoder::new(BufReader::new(file)).map_err(bad)?;
    let (offsets, counts) = if d.find_tag(Tag::TileOffsets).map_err(bad)?.is_some() {
        (Tag::TileOffsets, Tag::TileByteCounts)
    } else {
        (Tag::StripOffsets, Tag::StripByteCounts)
    };
    let offsets = d.get_tag_u64_vec(offsets).map_err(bad)?;
    let counts = d.get_tag_u64_vec(counts).map_err(bad)?;
    if offsets.len() != counts.len() || offsets.is_empty() {
        return Err(Error::invalid(
            path,
            format!(
                "damaged TIFF: {} data offsets but {} byte counts",
                offsets.len(),
                counts.len()
            ),
        ));
    }
    Ok(offsets
        .iter()
        .zip(&counts)
        .map(|(o, c)| o.saturating_add(*c))
        .max()
        .unwrap_or(0))
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

    /// A frame of each format reads as whole; every shorter prefix of it
    /// (sampled), an empty file and another format's bytes do not.
    #[test]
    fn whole_frames_and_every_truncation_of_them() {
        let dir = tempfile::tempdir().unwrap();
        let card = crate::testcard::test_card(40, 24, 7, [1.0, 0.9, 0.8]);
        for (name, compression) in [
            ("f.dpx", None),
            ("f.tif", None),
            ("f.exr", Some("zip")),
            ("g.exr", Some("none")),
            ("h.exr", Some("piz")),
        ] {
            let path = dir.path().join(name);
            let opts = WriteOptions {
                exr_compression: compression.map(String::from),
                ..Default::default()
            };
            write_frame(&path, &card, &opts).unwrap();
            let info = whole_frame(&path).unwrap();
            assert_eq!((info.width, info.height), (40, 24), "{name}");
            let bytes = std::fs::read(&path).unwrap();
            let cut = dir.path().join(format!("cut.{name}"));
            for n in crate::io::test_support::prefix_lengths(bytes.len()) {
                std::fs::write(&cut, &bytes[..n]).unwrap();
                assert!(whole_frame(&cut).is_err(), "{name} cut to {n} bytes");
            }
        }
        let tif = std::fs::read(dir.path().join("f.tif")).unwrap();
        let foreign = dir.path().join("foreign.dpx");
        std::fs::write(&foreign, tif).unwrap();
        assert!(whole_frame(&foreign).is_err());
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

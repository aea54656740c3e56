//! Frame I/O: DPX, OpenEXR and TIFF frames, frame sequences, and the limits
//! that keep untrusted headers from allocating without bound.
//!
//! [`read_frame`] and [`write_frame`] choose the format by extension.
//! [`write_frame`] is atomic: it writes a temporary file in the output's
//! folder and renames it into place when complete, so a present output is a
//! complete output.

pub mod dpx;
pub mod exr;
pub mod limits;
pub mod probe;
pub mod sequence;
pub mod template;
pub mod temporary;
pub mod tiff;

use std::path::{Path, PathBuf};

use crate::{Error, Frame, FrameInfo, Result};

/// Sample format of a written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum BitDepth {
    U8,
    U10,
    U12,
    U16,
    Half,
    Float,
}

/// Byte order of a written DPX.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Endian {
    #[default]
    Big,
    Little,
}

/// How to write a frame. `None` fields take the format's default (DPX:
/// 16-bit big-endian filled; EXR: half, zip; TIFF: 16-bit).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WriteOptions {
    pub depth: Option<BitDepth>,
    pub dpx_endian: Option<Endian>,
    /// EXR compression by name: none, rle, zips, zip, piz, pxr24, b44, b44a, dwaa, dwab.
    pub exr_compression: Option<String>,
    /// Write an alpha channel (default: only when the source had one).
    pub alpha: Option<bool>,
}

/// A frame file format grade reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Format {
    Dpx,
    Exr,
    Tiff,
}

impl Format {
    /// The format a path's extension names (case-insensitive): `.dpx`,
    /// `.exr`, `.tif` or `.tiff`. Anything else is [`Error::Unsupported`].
    pub fn from_path(path: &Path) -> Result<Format> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase());
        match ext.as_deref() {
            Some("dpx") => Ok(Format::Dpx),
            Some("exr") => Ok(Format::Exr),
            Some("tif") | Some("tiff") => Ok(Format::Tiff),
            Some(other) => Err(Error::unsupported(
                path,
                format!("frame format .{other} (grade reads and writes .dpx, .exr, .tif and .tiff)"),
            )),
            None => Err(Error::unsupported(
                path,
                "a frame file without an extension (grade reads and writes .dpx, .exr, .tif and .tiff)",
            )),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Dpx => "dpx",
            Format::Exr => "exr",
            Format::Tiff => "tiff",
        }
    }
}

/// Reads a whole frame, choosing the reader by extension.
pub fn read_frame(path: &Path) -> Result<Frame> {
    match Format::from_path(path)? {
        Format::Dpx => dpx::read(path),
        Format::Exr => exr::read(path),
        Format::Tiff => tiff::read(path),
    }
}

/// Reads a frame into buffers the caller keeps between frames, so that a
/// long render allocates (and faults in) its frame memory once: the file's
/// bytes go to `bytes`, the RGBA pixels to `pixels[at..]` (`pixels` is
/// resized to end there). The returned frame carries the size and metadata
/// and no pixels of its own. DPX decodes straight into the buffers; EXR and
/// TIFF decode through their crates and are moved or copied in.
pub fn read_frame_into(
    path: &Path,
    bytes: &mut Vec<u8>,
    pixels: &mut Vec<f32>,
    at: usize,
) -> Result<Frame> {
    let mut frame = match Format::from_path(path)? {
        Format::Dpx => return dpx::read_into(path, bytes, pixels, at),
        Format::Exr => exr::read(path)?,
        Format::Tiff => tiff::read(path)?,
    };
    pixels.truncate(at);
    if at == 0 {
        *pixels = std::mem::take(&mut frame.pixels);
    } else {
        pixels.extend_from_slice(&frame.pixels);
        frame.pixels = Vec::new();
    }
    Ok(frame)
}

/// Reads only the header of a frame.
pub fn read_info(path: &Path) -> Result<FrameInfo> {
    match Format::from_path(path)? {
        Format::Dpx => dpx::read_info(path),
        Format::Exr => exr::read_info(path),
        Format::Tiff => tiff::read_info(path),
    }
}

/// Writes a frame atomically: the bytes go to `.NAME.tmp-HOST-PID-N`
/// ([`temporary`]) in the output's folder, which is renamed to `path` once
/// complete, so a killed render never leaves a truncated frame under the
/// real name. On any error the temporary file is removed. A missing output
/// folder is an output error (exit 3) naming the folder.
pub fn write_frame(path: &Path, frame: &Frame, opts: &WriteOptions) -> Result<()> {
    write_frame_with(path, frame, opts, &mut Vec::new())
}

/// [`write_frame`] encoding into `scratch`, a buffer the caller keeps
/// between frames (used by the DPX writer; its old contents are
/// overwritten).
pub fn write_frame_with(
    path: &Path,
    frame: &Frame,
    opts: &WriteOptions,
    scratch: &mut Vec<u8>,
) -> Result<()> {
    write_frame_teed(path, frame, opts, scratch, &mut std::io::sink())
}

/// [`write_frame_with`] that also hands every byte written to the file, in
/// order, to `tee` (a checksum manifest hashes a frame there instead of
/// reading it back). `tee` sees the bytes of a write that later fails too;
/// only a returned `Ok` means they are the file's.
pub fn write_frame_teed<T: std::io::Write + ?Sized>(
    path: &Path,
    frame: &Frame,
    opts: &WriteOptions,
    scratch: &mut Vec<u8>,
    tee: &mut T,
) -> Result<()> {
    let format = Format::from_path(path)?;
    write_atomically(path, |tmp| {
        let encoded = match format {
            Format::Dpx => return dpx::write_as_teed(tmp, path, frame, opts, scratch, tee),
            Format::Exr => exr::encode(tmp, frame, opts)?,
            Format::Tiff => tiff::encode(tmp, frame, opts)?,
        };
        tee.write_all(&encoded).map_err(|e| Error::write(tmp, e))?;
        std::fs::write(tmp, encoded).map_err(|e| Error::write(tmp, e))
    })
}

/// Writes `text` to `path` through a temporary name, renamed when complete
/// (reports, traces, exported timelines).
pub fn write_text_atomically(path: &Path, text: &str) -> Result<()> {
    write_atomically(path, |tmp| {
        std::fs::write(tmp, text).map_err(|e| Error::write(tmp, e))
    })
}

/// Runs `write` on a temporary name ([`temporary::name`]) in `path`'s
/// folder and renames that to `path` when it succeeds; on any error the
/// temporary file is removed and the error names `path`. A missing output
/// folder is an output error naming the folder. Frames and the contact
/// sheet are written this way.
pub(crate) fn write_atomically(path: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(Error::write(
            &folder,
            std::io::Error::new(std::io::ErrorKind::NotFound, "output folder does not exist"),
        ));
    }
    let Some(name) = path.file_name() else {
        return Err(Error::write(
            path,
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "output path names no file",
            ),
        ));
    };
    let tmp = folder.join(temporary::name(&name.to_string_lossy()));
    let result = write(&tmp)
        .map_err(|e| rename_error_path(e, &tmp, path))
        .and_then(|()| std::fs::rename(&tmp, path).map_err(|e| Error::write(path, e)));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Errors from a format writer name the temporary file; the user knows the
/// real one.
fn rename_error_path(e: Error, tmp: &Path, real: &Path) -> Error {
    let fix = |p: PathBuf| if p == tmp { real.to_path_buf() } else { p };
    match e {
        Error::Invalid { path, problems } => Error::Invalid {
            path: fix(path),
            problems,
        },
        Error::Unsupported { path, what } => Error::Unsupported {
            path: path.map(fix),
            what,
        },
        Error::Limit { path, what, limit } => Error::Limit {
            path: fix(path),
            what,
            limit,
        },
        Error::Io {
            path,
            input,
            source,
        } => Error::Io {
            path: fix(path),
            input,
            source,
        },
        other => other,
    }
}

/// Whether a writer should store an alpha channel: as asked, else when the
/// source had one (its channel list names `A`), else when any pixel is not
/// opaque.
pub fn wants_alpha(frame: &Frame, opts: &WriteOptions) -> bool {
    if let Some(a) = opts.alpha {
        return a;
    }
    if let Some(src) = &frame.source {
        return src
            .channels
            .iter()
            .any(|c| c == "A" || c.eq_ignore_ascii_case("alpha"));
    }
    frame.pixels.chunks_exact(4).any(|p| p[3] != 1.0)
}

/// Integer code for `v` at `max` (2^bits-1): clamp to [0,1], scale, round
/// to nearest; NaN is 0.
#[inline]
pub fn quantize(v: f32, max: f32) -> u32 {
    if v.is_nan() {
        return 0;
    }
    (v.clamp(0.0, 1.0) * max).round() as u32
}

/// Helpers shared by the format tests: comparing a decoded frame with what
/// OpenImageIO reads, and decoding every prefix of a file.
#[cfg(test)]
pub(crate) mod test_support {
    use std::path::Path;

    use crate::testutil::OiioImage;
    use crate::{Frame, Result};

    /// Largest difference between `frame` and OpenImageIO's read of the same
    /// file, matching channels by name: R, G, B, A; a `Y`-only or
    /// single-channel file is compared with each of R, G and B. A value
    /// passes when `|ours - oiio| <= abs + rel * |oiio|`; NaN must meet NaN.
    /// `premultiplied` multiplies our colour by alpha first (for files whose
    /// alpha OpenImageIO premultiplies on reading).
    pub fn compare(
        frame: &Frame,
        oiio: &OiioImage,
        abs: f32,
        rel: f32,
        premultiplied: bool,
    ) -> std::result::Result<f32, String> {
        if (frame.width as usize, frame.height as usize) != (oiio.width, oiio.height) {
            return Err(format!(
                "size {}x{}, OpenImageIO reads {}x{}",
                frame.width, frame.height, oiio.width, oiio.height
            ));
        }
        let names: Vec<String> = oiio.header["channels"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|v| v.as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default();
        let find = |n: &str| names.iter().position(|c| c == n);
        let grey = find("Y").or(if names.len() == 1 { Some(0) } else { None });
        let map: [Option<usize>; 4] = if find("R").is_some() || find("G").is_some() {
            [find("R"), find("G"), find("B"), find("A")]
        } else {
            [grey, grey, grey, find("A")]
        };
        let mut worst = 0.0f32;
        let nc = oiio.channels;
        for i in 0..frame.pixel_count() {
            let px = &frame.pixels[i * 4..i * 4 + 4];
            for (k, src) in map.iter().enumerate() {
                let expected = match src {
                    Some(c) => oiio.pixels[i * nc + c],
                    None if k == 3 => 1.0,
                    None => 0.0,
                };
                let mut ours = px[k];
                if premultiplied && k < 3 {
                    ours *= px[3];
                }
                if expected.is_nan() || ours.is_nan() {
                    if expected.is_nan() != ours.is_nan() {
                        return Err(format!(
                            "pixel ({}, {}) channel {k}: {ours} where OpenImageIO reads {expected}",
                            i % frame.width as usize,
                            i / frame.width as usize
                        ));
                    }
                    continue;
                }
                if expected == ours {
                    continue;
                }
                let d = (ours - expected).abs();
                if d > abs + rel * expected.abs() {
                    return Err(format!(
                        "pixel ({}, {}) channel {k}: {ours} where OpenImageIO reads {expected}",
                        i % frame.width as usize,
                        i / frame.width as usize
                    ));
                }
                worst = worst.max(d);
            }
        }
        Ok(worst)
    }

    /// Why a decode counts as a panic: it unwound out of the decoder, or
    /// the EXR reader caught the exr crate panicking (and said so).
    fn panicked(r: std::thread::Result<Result<Frame>>) -> Option<String> {
        match r {
            Err(_) => Some("unwound out of the decoder".into()),
            Ok(Err(e)) if e.to_string().contains(super::exr::DECODER_PANICKED) => {
                Some(e.to_string())
            }
            Ok(_) => None,
        }
    }

    /// Prefix lengths to try on a file of `len` bytes: every length up to
    /// 600 (headers), then about 150 spread over the rest, and `len - 1`.
    pub fn prefix_lengths(len: usize) -> Vec<usize> {
        let mut v: Vec<usize> = (0..len.min(600)).collect();
        if len > 600 {
            let step = ((len - 600) / 150).max(1);
            v.extend((600..len).step_by(step));
            v.push(len - 1);
        }
        v
    }

    /// Decodes every sampled prefix of `path`; each must give Ok or Err,
    /// never a panic. Returns how many prefixes were tried.
    pub fn check_prefixes(
        path: &Path,
        decode: fn(&Path, &[u8]) -> Result<Frame>,
    ) -> std::result::Result<usize, String> {
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        let lengths = prefix_lengths(bytes.len());
        for &n in &lengths {
            let slice = &bytes[..n];
            if let Some(why) = panicked(std::panic::catch_unwind(|| decode(path, slice))) {
                return Err(format!("panicked on the first {n} bytes: {why}"));
            }
        }
        Ok(lengths.len())
    }

    /// Decodes `count` damaged copies of `path`: a few bytes overwritten at
    /// positions drawn by a fixed xorshift generator (so a failure
    /// reproduces). Each must give Ok or Err, never a panic.
    pub fn check_corruptions(
        path: &Path,
        decode: fn(&Path, &[u8]) -> Result<Frame>,
        count: usize,
    ) -> std::result::Result<usize, String> {
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        if bytes.is_empty() {
            return Ok(0);
        }
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for i in 0..count {
            let mut damaged = bytes.clone();
            let flips = 1 + (next() % 4) as usize;
            // Half of the damage lands in the first 1 KiB: the header and
            // offset tables, where sizes and offsets live.
            for _ in 0..flips {
                let span = if next() % 2 == 0 {
                    damaged.len().min(1024)
                } else {
                    damaged.len()
                };
                let at = (next() % span as u64) as usize;
                damaged[at] = next() as u8;
            }
            if let Some(why) = panicked(std::panic::catch_unwind(|| decode(path, &damaged))) {
                return Err(format!("panicked on damaged copy {i}: {why}"));
            }
        }
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_chosen_by_extension_ignoring_case() {
        assert_eq!(Format::from_path(Path::new("a.DPX")).unwrap(), Format::Dpx);
        assert_eq!(Format::from_path(Path::new("a.Exr")).unwrap(), Format::Exr);
        assert_eq!(Format::from_path(Path::new("a.TIF")).unwrap(), Format::Tiff);
        assert_eq!(
            Format::from_path(Path::new("a.tiff")).unwrap(),
            Format::Tiff
        );
        let e = read_frame(Path::new("clip.mov")).unwrap_err();
        assert!(matches!(e, Error::Unsupported { .. }), "{e}");
        assert!(e.to_string().contains(".mov"), "{e}");
        assert!(matches!(
            read_info(Path::new("noext")),
            Err(Error::Unsupported { .. })
        ));
    }

    #[test]
    fn missing_input_is_an_input_error() {
        let e = read_frame(Path::new("/nonexistent/a.exr")).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
    }

    #[test]
    fn writes_are_atomic_and_leave_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let f = Frame::new(16, 8);
        for name in ["a.exr", "a.tif"] {
            let path = dir.path().join(name);
            write_frame(&path, &f, &WriteOptions::default()).unwrap();
            let back = read_frame(&path).unwrap();
            assert_eq!(back.pixels, f.pixels, "{name}");
            // Overwriting an existing frame works too.
            write_frame(&path, &f, &WriteOptions::default()).unwrap();
        }
        // A failing write (bad option) leaves neither the frame nor a
        // temporary file behind.
        let bad = WriteOptions {
            exr_compression: Some("nope".into()),
            ..Default::default()
        };
        let e = write_frame(&dir.path().join("b.exr"), &f, &bad).unwrap_err();
        assert!(e.to_string().contains("b.exr"), "{e}");
        assert!(!e.to_string().contains(".tmp-"), "{e}");
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["a.exr", "a.tif"]);
    }

    #[test]
    fn a_tee_sees_exactly_the_bytes_of_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = crate::testcard::test_card(24, 6, 3, [1.0, 0.9, 0.8]);
        for name in ["a.dpx", "a.exr", "a.tif"] {
            let path = dir.path().join(name);
            let mut seen = Vec::new();
            write_frame_teed(
                &path,
                &f,
                &WriteOptions::default(),
                &mut Vec::new(),
                &mut seen,
            )
            .unwrap();
            assert_eq!(seen, std::fs::read(&path).unwrap(), "{name}");
        }
    }

    #[test]
    fn missing_output_folder_is_an_environment_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("not_there");
        let e = write_frame(
            &folder.join("a.exr"),
            &Frame::new(2, 2),
            &WriteOptions::default(),
        )
        .unwrap_err();
        assert_eq!(e.exit_code(), 3, "{e}");
        assert!(e.to_string().contains("not_there"), "{e}");
    }

    #[test]
    fn quantize_clamps_rounds_and_zeroes_nan() {
        assert_eq!(quantize(f32::NAN, 65535.0), 0);
        assert_eq!(quantize(-1.0, 65535.0), 0);
        assert_eq!(quantize(2.0, 1023.0), 1023);
        assert_eq!(quantize(0.5, 255.0), 128);
        assert_eq!(quantize(f32::INFINITY, 255.0), 255);
    }
}

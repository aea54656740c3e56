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
pub mod tiff;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

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

/// Reads only the header of a frame.
pub fn read_info(path: &Path) -> Result<FrameInfo> {
    match Format::from_path(path)? {
        Format::Dpx => dpx::read_info(path),
        Format::Exr => exr::read_info(path),
        Format::Tiff => tiff::read_info(path),
    }
}

/// Writes a frame atomically: the bytes go to `.NAME.tmp-PID-N` in the
/// output's folder, which is renamed to `path` once complete, so a killed
/// render never leaves a truncated frame under the real name. On any error
/// the temporary file is removed. A missing output folder is an output
/// error (exit 3) naming the folder.
pub fn write_frame(path: &Path, frame: &Frame, opts: &WriteOptions) -> Result<()> {
    let format = Format::from_path(path)?;
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
    let tmp = folder.join(temporary_name(&name.to_string_lossy()));
    let written = match format {
        Format::Dpx => dpx::write(&tmp, frame, opts),
        Format::Exr => exr::write(&tmp, frame, opts),
        Format::Tiff => tiff::write(&tmp, frame, opts),
    };
    let result = written
        .map_err(|e| rename_error_path(e, &tmp, path))
        .and_then(|()| std::fs::rename(&tmp, path).map_err(|e| Error::write(path, e)));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// `.NAME.tmp-PID-N`: hidden, unique within this process and across
/// processes writing into the same folder.
fn temporary_name(name: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(".{name}.tmp-{}-{n}", std::process::id())
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

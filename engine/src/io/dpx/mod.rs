//! DPX (SMPTE 268M) frames: reading 8, 10, 12 and 16-bit RGB, RGBA and
//! luma images in either byte order, and writing 8, 10, 12 and 16-bit
//! masters that carry the source frame's header metadata.
//!
//! Decoding matches OpenImageIO 3.2 (the reference the tests compare with):
//! code values scale to `[0, 1]` by `2^bits - 1`; pixels are returned in file
//! order, top row first, whatever the orientation field says (OpenImageIO
//! does not flip either; the field is reported as `dpx:Orientation` in
//! [`Metadata::extra`] and written back to masters). Where grade and
//! OpenImageIO differ on purpose:
//! - the end-of-line padding field is honoured (OpenImageIO reads each
//!   scanline as if it were 0);
//! - 12-bit filled method A samples are `code / 4095`; OpenImageIO returns
//!   the raw 16-bit word over 65535, which is up to 0.94 of a 12-bit code
//!   darker;
//! - a 10-bit filled row whose last 32-bit word holds a single sample (RGBA
//!   at widths 1, 4, 7 ... ) keeps that sample; OpenImageIO reads one word
//!   short there and returns 0.
//!
//! Metadata: timecode and user bits come from the television header, frame
//! rate from the film header or else the television header, and the reel
//! name from the input device name field (as Digital Vision's Nucoda reads
//! the tape name, and OpenImageIO's `dpx:InputDevice`). Other fields land in
//! [`Metadata::extra`] as `dpx:Name`, named as OpenImageIO names them.
//!
//! Header values are untrusted: sizes and offsets are checked against the
//! file length and [`crate::io::limits`] before anything is allocated.

mod header;
mod pixels;

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;

use super::{BitDepth, Endian, WriteOptions};
use crate::{Error, Frame, FrameInfo, Metadata, Result, SourceInfo};

pub use header::Packing;

/// Reads a whole DPX frame.
pub fn read(path: &Path) -> Result<Frame> {
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    read_bytes(&bytes, path)
}

/// Decodes a DPX frame held in memory; `path_for_errors` names it in errors.
pub fn read_bytes(bytes: &[u8], path_for_errors: &Path) -> Result<Frame> {
    let mut pixels = Vec::new();
    let mut frame = decode_into(bytes, path_for_errors, &mut pixels, 0)?;
    frame.pixels = pixels;
    Ok(frame)
}

/// Reads a DPX frame into buffers the caller keeps between frames: the
/// file's bytes go to `bytes`, and its RGBA pixels to `pixels[at..]`
/// (`pixels` is resized to end there). The returned frame has no pixels of
/// its own. Every value in `pixels[at..]` is written, so nothing of an
/// earlier frame in the buffers can show through.
pub fn read_into(
    path: &Path,
    bytes: &mut Vec<u8>,
    pixels: &mut Vec<f32>,
    at: usize,
) -> Result<Frame> {
    bytes.clear();
    File::open(path)
        .and_then(|mut f| f.read_to_end(bytes))
        .map_err(|e| Error::read(path, e))?;
    decode_into(bytes, path, pixels, at)
}

fn decode_into(bytes: &[u8], path: &Path, pixels: &mut Vec<f32>, at: usize) -> Result<Frame> {
    let parsed = header::parse(bytes, bytes.len() as u64, path)?;
    let l = &parsed.layout;
    // Sizes were checked against the file length and the limits by `parse`.
    pixels.resize(at + l.width as usize * l.height as usize * 4, 0.0);
    let data = bytes.get(l.data_offset..).unwrap_or(&[]);
    pixels::decode(l, data, &mut pixels[at..]);
    Ok(Frame {
        width: l.width,
        height: l.height,
        pixels: Vec::new(),
        source: Some(source_info(&parsed, path)),
        meta: parsed.meta,
    })
}

/// Reads a DPX header only: the first 2048 bytes and the file's length.
pub fn read_info(path: &Path) -> Result<FrameInfo> {
    let file = File::open(path).map_err(|e| Error::read(path, e))?;
    let len = file.metadata().map_err(|e| Error::read(path, e))?.len();
    let mut head = Vec::with_capacity(header::HEADER_END);
    file.take(header::HEADER_END as u64)
        .read_to_end(&mut head)
        .map_err(|e| Error::read(path, e))?;
    let parsed = header::parse(&head, len, path)?;
    Ok(FrameInfo {
        width: parsed.layout.width,
        height: parsed.layout.height,
        source: source_info(&parsed, path),
        meta: parsed.meta,
    })
}

fn source_info(p: &header::Parsed, path: &Path) -> SourceInfo {
    SourceInfo {
        path: path.to_path_buf(),
        format: "dpx".into(),
        bit_depth: p.layout.bits.to_string(),
        channels: p.channels.clone(),
        layout: p.layout.describe(),
    }
}

/// Writes `frame` to `path` (the caller handles temporary names).
pub fn write(path: &Path, frame: &Frame, opts: &WriteOptions) -> Result<()> {
    write_as(path, path, frame, opts)
}

/// Writes `frame` to the file `path`, naming it `final_path` in the
/// header's file-name field: an atomic write fills a temporary file that is
/// renamed later, and the header must carry the name the file ends up with.
pub fn write_as(path: &Path, final_path: &Path, frame: &Frame, opts: &WriteOptions) -> Result<()> {
    write_as_with(path, final_path, frame, opts, &mut Vec::new())
}

/// [`write_as`] encoding the pixels into `scratch`, a buffer the caller
/// keeps between frames (its old contents are overwritten).
pub fn write_as_with(
    path: &Path,
    final_path: &Path,
    frame: &Frame,
    opts: &WriteOptions,
    scratch: &mut Vec<u8>,
) -> Result<()> {
    write_as_teed(path, final_path, frame, opts, scratch, &mut std::io::sink())
}

/// [`write_as_with`] handing every byte written to `tee` as well
/// ([`crate::io::write_frame_teed`]).
pub fn write_as_teed<T: Write + ?Sized>(
    path: &Path,
    final_path: &Path,
    frame: &Frame,
    opts: &WriteOptions,
    scratch: &mut Vec<u8>,
    tee: &mut T,
) -> Result<()> {
    let file = File::create(path).map_err(|e| Error::write(path, e))?;
    let mut w = Tee {
        file: std::io::BufWriter::new(file),
        tee,
    };
    write_to_with(&mut w, frame, opts, final_path, scratch)?;
    let mut w = w.file;
    w.flush().map_err(|e| Error::write(path, e))?;
    w.into_inner()
        .map_err(|e| Error::write(path, e.into_error()))?
        .sync_all()
        .map_err(|e| Error::write(path, e))
}

/// A writer that copies what it writes to a second one.
struct Tee<'t, W, T: ?Sized> {
    file: W,
    tee: &'t mut T,
}

impl<W: Write, T: Write + ?Sized> Write for Tee<'_, W, T> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.tee.write_all(&buf[..n])?;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Encodes `frame` as DPX into `w`. `path` names the output in errors and
/// in the header's file-name field.
///
/// Defaults: 16-bit, big-endian, alpha only when the source had one. 10 and
/// 12-bit samples are written filled, method A. The frame's metadata is
/// written back (timecode, user bits, frame rate, reel, source file name,
/// creator, date, project, copyright, and `dpx:` fields of `meta.extra`).
pub fn write_to(w: &mut impl Write, frame: &Frame, opts: &WriteOptions, path: &Path) -> Result<()> {
    write_to_with(w, frame, opts, path, &mut Vec::new())
}

/// [`write_to`] encoding the pixels into `scratch` (see [`write_as_with`]).
pub fn write_to_with(
    w: &mut impl Write,
    frame: &Frame,
    opts: &WriteOptions,
    path: &Path,
    scratch: &mut Vec<u8>,
) -> Result<()> {
    let bits = match opts.depth.unwrap_or(BitDepth::U16) {
        BitDepth::U8 => 8,
        BitDepth::U10 => 10,
        BitDepth::U12 => 12,
        BitDepth::U16 => 16,
        other => {
            return Err(Error::unsupported(
                path,
                format!("writing {other:?} DPX samples; grade writes 8, 10, 12 and 16-bit DPX"),
            ))
        }
    };
    let n = frame.pixel_count();
    if frame.width == 0 || frame.height == 0 || frame.pixels.len() != n * 4 {
        return Err(Error::Internal(format!(
            "{}: cannot write a {}x{} frame holding {} samples",
            path.display(),
            frame.width,
            frame.height,
            frame.pixels.len()
        )));
    }
    let source_alpha = frame
        .source
        .as_ref()
        .is_some_and(|s| s.channels.iter().any(|c| c == "A"));
    let alpha = opts.alpha.unwrap_or(source_alpha);
    let target = pixels::Target {
        big_endian: opts.dpx_endian.unwrap_or_default() == Endian::Big,
        bits,
        packing: Packing::FilledA,
        components: if alpha { 4 } else { 3 },
    };
    pixels::encode_into(&target, frame.width as usize, &frame.pixels, scratch);
    let data = &scratch[..];

    // A master without a recorded source file name names the frame it was
    // made from.
    let mut meta: Metadata = frame.meta.clone();
    if meta.source_file.is_none() {
        meta.source_file = frame
            .source
            .as_ref()
            .and_then(|s| s.path.file_name())
            .map(|n| n.to_string_lossy().into_owned());
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let head = header::build(
        &header::Build {
            big_endian: target.big_endian,
            width: frame.width,
            height: frame.height,
            components: target.components,
            bits,
            packing: target.packing,
            data_len: data.len(),
        },
        &meta,
        &file_name,
    );
    w.write_all(&head).map_err(|e| Error::write(path, e))?;
    w.write_all(data).map_err(|e| Error::write(path, e))
}

#[cfg(test)]
mod tests;

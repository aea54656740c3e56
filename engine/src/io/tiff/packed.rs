//! TIFF images with packed 9- to 15-bit integer samples (10, 12 and 14 in
//! practice: scanners, film recorders and some cameras write them).
//!
//! The tiff crate refuses these bit depths, so their strips or tiles are
//! read here: each one is decompressed (none, LZW, Deflate or PackBits, the
//! codecs libtiff's writers use for them) and its samples unpacked as
//! libtiff stores them: most significant bit first, each row of a strip or
//! tile (of each plane, when planar) padded to a whole byte. The stream of
//! bits is the same whatever the file's byte order. A code c becomes
//! c/(2^bits-1), as grade reads every integer depth; OpenImageIO differs by
//! less than 1/65535 (it widens codes to 16 bits first, see the tests).

use std::io::Read;
use std::path::Path;

use tiff::decoder::Decoder;
use tiff::tags::Tag;

use crate::{Error, Result};

/// What [`read`] needs to know of the image.
pub struct Shape {
    pub width: usize,
    pub height: usize,
    /// Samples per pixel.
    pub samples: usize,
    pub planar: bool,
    pub bits: u8,
    pub compression: u16,
}

/// The samples of the whole image, interleaved (contiguous files) or plane
/// after plane (planar ones), as code/(2^bits-1).
pub fn read<R: std::io::Read + std::io::Seek>(
    path: &Path,
    file: &[u8],
    d: &mut Decoder<R>,
    s: &Shape,
) -> Result<Vec<f32>> {
    let tag_u32 = |d: &mut Decoder<R>, tag: Tag| -> Result<Option<u32>> {
        d.find_tag_unsigned::<u32>(tag)
            .map_err(|e| Error::invalid(path, format!("TIFF tag {tag:?}: {e}")))
    };
    let tag_vec = |d: &mut Decoder<R>, tag: Tag| -> Result<Option<Vec<u64>>> {
        d.find_tag_unsigned_vec::<u64>(tag)
            .map_err(|e| Error::invalid(path, format!("TIFF tag {tag:?}: {e}")))
    };
    let tiled = tag_u32(d, Tag::TileWidth)?.is_some();
    let (cw, ch, offsets, counts) = if tiled {
        let tw = tag_u32(d, Tag::TileWidth)?.unwrap_or(0) as usize;
        let th = tag_u32(d, Tag::TileLength)?.unwrap_or(0) as usize;
        (
            tw,
            th,
            tag_vec(d, Tag::TileOffsets)?,
            tag_vec(d, Tag::TileByteCounts)?,
        )
    } else {
        let rows = tag_u32(d, Tag::RowsPerStrip)?.map_or(s.height, |r| r as usize);
        (
            s.width,
            rows.clamp(1, s.height.max(1)),
            tag_vec(d, Tag::StripOffsets)?,
            tag_vec(d, Tag::StripByteCounts)?,
        )
    };
    let (Some(offsets), Some(counts)) = (offsets, counts) else {
        return Err(Error::invalid(path, "TIFF without strip or tile offsets"));
    };
    if cw == 0 || ch == 0 || cw > s.width.max(1) * 2 + 16 || ch > s.height.max(1) * 2 + 16 {
        return Err(Error::invalid(
            path,
            format!(
                "TIFF strip or tile of {cw}x{ch} for a {}x{} image",
                s.width, s.height
            ),
        ));
    }
    let planes = if s.planar { s.samples } else { 1 };
    let per_chunk_pixel = if s.planar { 1 } else { s.samples };
    let across = s.width.div_ceil(cw);
    let down = s.height.div_ceil(ch);
    let per_plane = across * down;
    if offsets.len() < per_plane * planes || counts.len() < per_plane * planes {
        return Err(Error::invalid(
            path,
            format!(
                "TIFF has {} strips or tiles, {} expected",
                offsets.len().min(counts.len()),
                per_plane * planes
            ),
        ));
    }

    let bits = s.bits as u32;
    let max = ((1u32 << bits) - 1) as f32;
    let n = s.width * s.height;
    let mut values = vec![0.0f32; n * s.samples];
    let row_samples = cw * per_chunk_pixel;
    let row_bytes = (row_samples * bits as usize).div_ceil(8);
    let mut codes = vec![0u32; row_samples];
    for plane in 0..planes {
        for cy in 0..down {
            for cx in 0..across {
                let index = plane * per_plane + cy * across + cx;
                let y0 = cy * ch;
                // Strips end at the image; tiles are stored whole.
                let rows = if tiled { ch } else { ch.min(s.height - y0) };
                let start = usize::try_from(offsets[index]).unwrap_or(usize::MAX);
                let len = usize::try_from(counts[index]).unwrap_or(usize::MAX);
                let Some(data) = start.checked_add(len).and_then(|end| file.get(start..end)) else {
                    return Err(Error::invalid(
                        path,
                        format!("TIFF strip or tile {index} lies beyond the end of the file"),
                    ));
                };
                let pixels = decompress(path, s.compression, data, row_bytes * rows)?;
                for r in 0..rows {
                    let y = y0 + r;
                    if y >= s.height {
                        break;
                    }
                    unpack_row(
                        &pixels[r * row_bytes..(r + 1) * row_bytes],
                        bits,
                        &mut codes,
                    );
                    for x in 0..cw {
                        let gx = cx * cw + x;
                        if gx >= s.width {
                            break;
                        }
                        for k in 0..per_chunk_pixel {
                            let code = codes[x * per_chunk_pixel + k];
                            let at = if s.planar {
                                plane * n + y * s.width + gx
                            } else {
                                (y * s.width + gx) * s.samples + k
                            };
                            values[at] = code as f32 / max;
                        }
                    }
                }
            }
        }
    }
    Ok(values)
}

/// The `bits`-bit codes of one row, most significant bit first.
fn unpack_row(row: &[u8], bits: u32, out: &mut [u32]) {
    let mask = (1u32 << bits) - 1;
    let mut acc: u32 = 0;
    let mut have = 0u32;
    let mut bytes = row.iter();
    for code in out.iter_mut() {
        while have < bits {
            acc = (acc << 8) | *bytes.next().unwrap_or(&0) as u32;
            have += 8;
        }
        have -= bits;
        *code = (acc >> have) & mask;
    }
}

/// A strip or tile's bytes, exactly `expected` of them.
fn decompress(path: &Path, compression: u16, data: &[u8], expected: usize) -> Result<Vec<u8>> {
    let short = || {
        Error::invalid(
            path,
            "TIFF strip or tile holds fewer samples than the image needs",
        )
    };
    let out = match compression {
        1 => data.get(..expected).ok_or_else(short)?.to_vec(),
        5 => {
            let mut out = vec![0u8; expected];
            let mut lzw = weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
            let (mut read, mut written) = (0, 0);
            while written < expected {
                let r = lzw.decode_bytes(&data[read..], &mut out[written..]);
                read += r.consumed_in;
                written += r.consumed_out;
                match r.status {
                    Ok(weezl::LzwStatus::Ok) => {}
                    Ok(_) => break,
                    Err(e) => {
                        return Err(Error::invalid(path, format!("TIFF LZW data: {e}")));
                    }
                }
            }
            if written < expected {
                return Err(short());
            }
            out
        }
        8 | 32946 => {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(data)
                .take(expected as u64)
                .read_to_end(&mut out)
                .map_err(|e| Error::invalid(path, format!("TIFF Deflate data: {e}")))?;
            if out.len() < expected {
                return Err(short());
            }
            out
        }
        32773 => {
            let out = unpack_bits(data, expected);
            if out.len() < expected {
                return Err(short());
            }
            out
        }
        other => {
            return Err(Error::unsupported(
                path,
                format!("TIFF compression {other} on packed samples (grade reads none, LZW, Deflate and PackBits there)"),
            ))
        }
    };
    Ok(out)
}

/// PackBits (TIFF compression 32773), up to `limit` bytes.
fn unpack_bits(data: &[u8], limit: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() && out.len() < limit {
        let n = data[i] as i8;
        i += 1;
        if n >= 0 {
            let len = n as usize + 1;
            let end = (i + len).min(data.len());
            out.extend_from_slice(&data[i..end]);
            i = end;
        } else if n != -128 {
            let Some(&b) = data.get(i) else { break };
            i += 1;
            out.extend(std::iter::repeat_n(b, (1 - n as isize) as usize));
        }
    }
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_unpack_most_significant_bit_first() {
        // 10-bit codes 1023, 0, 512, 1 packed: 1111111111 0000000000
        // 1000000000 0000000001 = FF C0 08 00 01.
        let mut codes = [0u32; 4];
        unpack_row(&[0xFF, 0xC0, 0x08, 0x00, 0x01], 10, &mut codes);
        assert_eq!(codes, [1023, 0, 512, 1]);
        // 12-bit: ABC DEF = AB CD EF.
        let mut codes = [0u32; 2];
        unpack_row(&[0xAB, 0xCD, 0xEF], 12, &mut codes);
        assert_eq!(codes, [0xABC, 0xDEF]);
    }

    #[test]
    fn packbits_runs_and_literals() {
        // TIFF 6.0 section 9's example.
        let packed = [
            0xFE, 0xAA, 0x02, 0x80, 0x00, 0x2A, 0xFD, 0xAA, 0x03, 0x80, 0x00, 0x2A, 0x22, 0xF7,
            0xAA,
        ];
        let unpacked = [
            0xAA, 0xAA, 0xAA, 0x80, 0x00, 0x2A, 0xAA, 0xAA, 0xAA, 0xAA, 0x80, 0x00, 0x2A, 0x22,
            0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA,
        ];
        assert_eq!(unpack_bits(&packed, 100), unpacked);
        assert_eq!(unpack_bits(&packed, 5), unpacked[..5]);
    }
}

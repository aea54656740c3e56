//! DPX sample layouts: unpacking rows of 8, 10, 12 and 16-bit code values
//! into RGBA f32, and packing them back.
//!
//! Each row is turned into a small buffer of integer code values first
//! (one tight loop per layout, no per-sample bounds checks), then mapped to
//! RGBA through a table of `code / (2^bits - 1)`. Rows are independent, so
//! both directions run over rows in parallel.
//!
//! Bit positions, as OpenImageIO's libdpx (`ReaderInternal.h`) reads them:
//! - 10-bit filled: three samples per 32-bit word, the first in the high
//!   bits: method A `[31:22][21:12][11:2]`, method B `[29:20][19:10][9:0]`.
//!   For one-component (luma) images libdpx takes the three samples of a
//!   word in the opposite order (its "work-around for 1-channel DPX images");
//!   grade does the same so that both read such files alike.
//! - 10 and 12-bit packed: samples follow each other from the low bit of
//!   each 32-bit word upwards, running on into the next word.
//! - 12-bit filled: one sample per 16-bit word, method A in the high 12
//!   bits, method B in the low 12 bits.

use rayon::prelude::*;

use super::header::{Layout, Packing};

/// Unpacks `data` (the file from the pixel data offset on, already checked
/// to hold [`Layout::data_len`] bytes) into RGBA f32, top row first.
pub fn decode(layout: &Layout, data: &[u8], out: &mut [f32]) {
    let width = layout.width as usize;
    let nc = layout.components;
    let table = code_table(layout.bits);
    out.par_chunks_mut(width * 4).enumerate().for_each_init(
        || vec![0u16; width * nc],
        |codes, (y, px)| {
            let start = y * layout.row_stride;
            // In range: the header check made sure the data holds every row.
            // Were it not, the row is black rather than left as it was (the
            // buffer may hold an earlier frame).
            let Some(row) = data.get(start..start + layout.row_bytes) else {
                px.fill(0.0);
                return;
            };
            let be = layout.big_endian;
            match (layout.bits, layout.packing, nc) {
                // The common master layouts skip the code buffer.
                (10, Packing::FilledA, 3) if be => rgb10_filled::<true, 2>(row, &table, px),
                (10, Packing::FilledA, 3) => rgb10_filled::<false, 2>(row, &table, px),
                (10, Packing::FilledB, 3) if be => rgb10_filled::<true, 0>(row, &table, px),
                (10, Packing::FilledB, 3) => rgb10_filled::<false, 0>(row, &table, px),
                (16, _, 3) if be => rgb16::<true>(row, &table, px),
                (16, _, 3) => rgb16::<false>(row, &table, px),
                _ => {
                    unpack_row(layout, row, codes);
                    to_rgba(&table, nc, codes, px);
                }
            }
        },
    );
}

#[inline(always)]
fn read_u32<const BE: bool>(b: &[u8]) -> u32 {
    let a = [b[0], b[1], b[2], b[3]];
    if BE {
        u32::from_be_bytes(a)
    } else {
        u32::from_le_bytes(a)
    }
}

#[inline(always)]
fn read_u16<const BE: bool>(b: &[u8]) -> u16 {
    if BE {
        u16::from_be_bytes([b[0], b[1]])
    } else {
        u16::from_le_bytes([b[0], b[1]])
    }
}

/// 10-bit filled RGB: one 32-bit word per pixel, padding `PAD` low bits.
fn rgb10_filled<const BE: bool, const PAD: u32>(row: &[u8], table: &[f32; 65536], px: &mut [f32]) {
    for (p, b) in px.chunks_exact_mut(4).zip(row.chunks_exact(4)) {
        let w = read_u32::<BE>(b);
        p[0] = table[((w >> (20 + PAD)) & 0x3FF) as usize];
        p[1] = table[((w >> (10 + PAD)) & 0x3FF) as usize];
        p[2] = table[((w >> PAD) & 0x3FF) as usize];
        p[3] = 1.0;
    }
}

/// 16-bit RGB: six bytes per pixel.
fn rgb16<const BE: bool>(row: &[u8], table: &[f32; 65536], px: &mut [f32]) {
    for (p, b) in px.chunks_exact_mut(4).zip(row.chunks_exact(6)) {
        p[0] = table[read_u16::<BE>(&b[0..2]) as usize];
        p[1] = table[read_u16::<BE>(&b[2..4]) as usize];
        p[2] = table[read_u16::<BE>(&b[4..6]) as usize];
        p[3] = 1.0;
    }
}

/// `code / (2^bits - 1)` for every code of `bits`, in a table indexed by
/// any `u16` (so lookups need no bounds check); codes above the bit depth
/// cannot occur and read 0.
fn code_table(bits: u32) -> Box<[f32; 65536]> {
    let mut table: Box<[f32; 65536]> = vec![0.0f32; 65536]
        .into_boxed_slice()
        .try_into()
        .expect("a 65536-entry slice");
    let max = ((1u32 << bits) - 1) as f32;
    for (c, v) in table.iter_mut().take(1 << bits).enumerate() {
        *v = c as f32 / max;
    }
    table
}

/// Code values to RGBA: luma becomes grey, missing alpha is 1.
fn to_rgba(table: &[f32; 65536], nc: usize, codes: &[u16], px: &mut [f32]) {
    let v = |c: u16| table[c as usize];
    match nc {
        1 => {
            for (p, &c) in px.chunks_exact_mut(4).zip(codes) {
                let y = v(c);
                p.copy_from_slice(&[y, y, y, 1.0]);
            }
        }
        3 => {
            for (p, c) in px.chunks_exact_mut(4).zip(codes.chunks_exact(3)) {
                p.copy_from_slice(&[v(c[0]), v(c[1]), v(c[2]), 1.0]);
            }
        }
        _ => {
            for (p, c) in px.chunks_exact_mut(4).zip(codes.chunks_exact(4)) {
                p.copy_from_slice(&[v(c[0]), v(c[1]), v(c[2]), v(c[3])]);
            }
        }
    }
}

#[inline]
fn word32(b: &[u8], big_endian: bool) -> u32 {
    let a = [b[0], b[1], b[2], b[3]];
    if big_endian {
        u32::from_be_bytes(a)
    } else {
        u32::from_le_bytes(a)
    }
}

/// One row of file bytes to `codes` (`width * components` values).
fn unpack_row(l: &Layout, row: &[u8], codes: &mut [u16]) {
    let be = l.big_endian;
    match (l.bits, l.packing) {
        (8, _) => {
            for (c, &b) in codes.iter_mut().zip(row) {
                *c = b as u16;
            }
        }
        (16, _) => {
            for (c, b) in codes.iter_mut().zip(row.chunks_exact(2)) {
                *c = if be {
                    u16::from_be_bytes([b[0], b[1]])
                } else {
                    u16::from_le_bytes([b[0], b[1]])
                };
            }
        }
        (12, Packing::FilledA | Packing::FilledB) => {
            let method_a = l.packing == Packing::FilledA;
            for (c, b) in codes.iter_mut().zip(row.chunks_exact(2)) {
                let v = if be {
                    u16::from_be_bytes([b[0], b[1]])
                } else {
                    u16::from_le_bytes([b[0], b[1]])
                };
                *c = if method_a { v >> 4 } else { v & 0x0FFF };
            }
        }
        (10, Packing::FilledA | Packing::FilledB) => {
            let pad = if l.packing == Packing::FilledA { 2 } else { 0 };
            let (s0, s1, s2) = if l.components == 1 {
                (pad, 10 + pad, 20 + pad)
            } else {
                (20 + pad, 10 + pad, pad)
            };
            let mut groups = codes.chunks_exact_mut(3);
            let mut words = row.chunks_exact(4);
            for (c, b) in (&mut groups).zip(&mut words) {
                let w = word32(b, be);
                c[0] = ((w >> s0) & 0x3FF) as u16;
                c[1] = ((w >> s1) & 0x3FF) as u16;
                c[2] = ((w >> s2) & 0x3FF) as u16;
            }
            let rest = groups.into_remainder();
            if let Some(b) = words.next() {
                let w = word32(b, be);
                for (c, s) in rest.iter_mut().zip([s0, s1, s2]) {
                    *c = ((w >> s) & 0x3FF) as u16;
                }
            }
        }
        (bits, _) => {
            // Packed 10 or 12-bit: a little bit reservoir, refilled a word at a time.
            let mask = (1u64 << bits) - 1;
            let mut acc = 0u64;
            let mut have = 0u32;
            let mut words = row.chunks_exact(4);
            for c in codes.iter_mut() {
                if have < bits {
                    let w = words.next().map_or(0, |b| word32(b, be));
                    acc |= (w as u64) << have;
                    have += 32;
                }
                *c = (acc & mask) as u16;
                acc >>= bits;
                have -= bits;
            }
        }
    }
}

/// How a written frame stores its samples.
pub struct Target {
    pub big_endian: bool,
    pub bits: u32,
    pub packing: Packing,
    /// 3 (RGB) or 4 (RGBA).
    pub components: usize,
}

impl Target {
    pub fn row_bytes(&self, width: usize) -> usize {
        let samples = width * self.components;
        match self.bits {
            8 => samples,
            10 => samples.div_ceil(3) * 4,
            _ => samples * 2,
        }
    }
}

/// A float sample to a code value: clamp to `[0, 1]`, scale, round to nearest;
/// NaN is 0.
#[inline]
pub fn quantize(v: f32, max: f32) -> u16 {
    // NaN stays NaN through `clamp`, and the saturating `as` cast makes it 0.
    // Adding 0.5 and truncating rounds the (non-negative) value to nearest,
    // halves up, without a call to `roundf`.
    (v.clamp(0.0, 1.0) * max + 0.5) as u16
}

/// Packs RGBA `pixels` (`width * height * 4`) into file rows in `out`
/// (resized to fit, old contents overwritten): 8-bit, 10-bit filled method
/// A, 12-bit filled method A, or 16-bit.
pub fn encode_into(t: &Target, width: usize, pixels: &[f32], out: &mut Vec<u8>) {
    let row_bytes = t.row_bytes(width);
    let height = pixels.len() / (width * 4).max(1);
    // Zeroed first, so no byte of an earlier frame survives in a padding
    // position; on a reused buffer this touches no new pages.
    out.clear();
    out.resize(row_bytes * height, 0);
    let max = ((1u32 << t.bits) - 1) as f32;
    let nc = t.components;
    out.par_chunks_mut(row_bytes.max(1))
        .zip(pixels.par_chunks(width * 4))
        .for_each_init(
            || vec![0u16; width * nc],
            |codes, (row, px)| {
                let be = t.big_endian;
                match (t.bits, nc) {
                    (10, 3) if be => return rgb10_pack::<true>(px, row),
                    (10, 3) => return rgb10_pack::<false>(px, row),
                    (16, 3) if be => return rgb16_pack::<true>(px, row),
                    (16, 3) => return rgb16_pack::<false>(px, row),
                    _ => {}
                }
                if nc == 3 {
                    for (c, p) in codes.chunks_exact_mut(3).zip(px.chunks_exact(4)) {
                        c[0] = quantize(p[0], max);
                        c[1] = quantize(p[1], max);
                        c[2] = quantize(p[2], max);
                    }
                } else {
                    for (c, &p) in codes.iter_mut().zip(px) {
                        *c = quantize(p, max);
                    }
                }
                pack_row(t, codes, row);
            },
        );
}

/// 10-bit filled method A RGB: one word per pixel, `[31:22][21:12][11:2]`.
fn rgb10_pack<const BE: bool>(px: &[f32], row: &mut [u8]) {
    for (b, p) in row.chunks_exact_mut(4).zip(px.chunks_exact(4)) {
        let w = (quantize(p[0], 1023.0) as u32) << 22
            | (quantize(p[1], 1023.0) as u32) << 12
            | (quantize(p[2], 1023.0) as u32) << 2;
        b.copy_from_slice(&if BE { w.to_be_bytes() } else { w.to_le_bytes() });
    }
}

/// 16-bit RGB: six bytes per pixel.
fn rgb16_pack<const BE: bool>(px: &[f32], row: &mut [u8]) {
    for (b, p) in row.chunks_exact_mut(6).zip(px.chunks_exact(4)) {
        for (d, &v) in b.chunks_exact_mut(2).zip(&p[..3]) {
            let c = quantize(v, 65535.0);
            d.copy_from_slice(&if BE { c.to_be_bytes() } else { c.to_le_bytes() });
        }
    }
}

fn pack_row(t: &Target, codes: &[u16], row: &mut [u8]) {
    let be = t.big_endian;
    let put16 = |b: &mut [u8], v: u16| {
        b.copy_from_slice(&if be { v.to_be_bytes() } else { v.to_le_bytes() });
    };
    match t.bits {
        8 => {
            for (b, &c) in row.iter_mut().zip(codes) {
                *b = c as u8;
            }
        }
        10 => {
            // Filled, method A: [31:22][21:12][11:2], a short last word zero-filled.
            for (b, c) in row.chunks_exact_mut(4).zip(codes.chunks(3)) {
                let mut w = 0u32;
                for (&v, s) in c.iter().zip([22, 12, 2]) {
                    w |= (v as u32) << s;
                }
                b.copy_from_slice(&if be { w.to_be_bytes() } else { w.to_le_bytes() });
            }
        }
        12 => {
            // Filled, method A: the sample in the high 12 bits, zeros below.
            for (b, &c) in row.chunks_exact_mut(2).zip(codes) {
                put16(b, c << 4);
            }
        }
        _ => {
            for (b, &c) in row.chunks_exact_mut(2).zip(codes) {
                put16(b, c);
            }
        }
    }
}

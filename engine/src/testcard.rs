//! Generated test cards: colour bars, grey and hue ramps, the frame number
//! in large digits (for people) and in a bit strip (for tests), so that a
//! conformed master shows, and tests can decode, which source frame landed
//! where.

use crate::sheet::font;
use crate::Frame;

/// Width of one bit cell of the frame-number strip, in pixels.
pub const BIT_CELL: u32 = 4;
/// Bits in the strip: frame numbers up to 2^24 - 1.
pub const BITS: u32 = 24;

/// 75% colour bars (white, yellow, cyan, green, magenta, red, blue).
const BARS: [[f32; 3]; 7] = [
    [0.75, 0.75, 0.75],
    [0.75, 0.75, 0.0],
    [0.0, 0.75, 0.75],
    [0.0, 0.75, 0.0],
    [0.75, 0.0, 0.75],
    [0.75, 0.0, 0.0],
    [0.0, 0.0, 0.75],
];

/// A `width x height` card for source frame `number`, tinted by `tint`
/// (multiplied into the picture area so each clip looks different).
/// Row band 0..BIT_CELL holds `number` as BITS cells of 0.0 / 1.0 (LSB first).
pub fn test_card(width: u32, height: u32, number: i64, tint: [f32; 3]) -> Frame {
    let mut f = Frame::new(width, height);
    let w = width as usize;
    let h = height as usize;
    let phase = (number.rem_euclid(48)) as f32 / 48.0;
    for y in 0..h {
        let v = y as f32 / h.max(1) as f32;
        for x in 0..w {
            let u = x as f32 / w.max(1) as f32;
            let rgb = if v < 0.45 {
                BARS[((u * 7.0) as usize).min(6)]
            } else if v < 0.6 {
                let g = u;
                [g, g, g]
            } else {
                let hue = (u + phase).fract();
                hsv(hue, 0.8 * (1.0 - (v - 0.6) / 0.4 * 0.5), 0.8)
            };
            let i = (y * w + x) * 4;
            for c in 0..3 {
                f.pixels[i + c] = rgb[c] * tint[c];
            }
        }
    }
    draw_number(&mut f, number);
    write_bits(&mut f, number);
    f
}

fn hsv(h: f32, s: f32, v: f32) -> [f32; 3] {
    let k = |n: f32| {
        let k = (n + h * 6.0) % 6.0;
        v - v * s * k.min(4.0 - k).clamp(0.0, 1.0)
    };
    [k(5.0), k(3.0), k(1.0)]
}

fn draw_number(f: &mut Frame, number: i64) {
    let scale = (f.height / 40).max(1);
    let w = f.width as u64;
    let x0 = (f.width as u64 / 20).max(BIT_CELL as u64 * BITS as u64 + 4);
    let y0 = (f.height as u64 * 3 / 20).max(BIT_CELL as u64 + 2);
    font::draw(&number.to_string(), scale, |dx, dy| {
        let (x, y) = (x0 + dx, y0 + dy);
        if x < w && y < f.height as u64 {
            let i = (y * w + x) as usize * 4;
            f.pixels[i..i + 3].copy_from_slice(&[1.0, 1.0, 1.0]);
        }
    });
}

fn write_bits(f: &mut Frame, number: i64) {
    let w = f.width as usize;
    for y in 0..(BIT_CELL as usize).min(f.height as usize) {
        for bit in 0..BITS as usize {
            let on = (number as u64 >> bit) & 1 == 1;
            let val = if on { 1.0 } else { 0.0 };
            for dx in 0..BIT_CELL as usize {
                let x = bit * BIT_CELL as usize + dx;
                if x < w {
                    let i = (y * w + x) * 4;
                    f.pixels[i..i + 3].copy_from_slice(&[val, val, val]);
                }
            }
        }
    }
}

/// Reads the frame number back from the bit strip: each cell's green value
/// is compared with `threshold` (0.5 for ungraded frames; the midpoint of
/// what the grade makes of 0 and 1 otherwise).
pub fn read_number(f: &Frame, threshold: f32) -> i64 {
    let mut n = 0i64;
    let y = (BIT_CELL / 2).min(f.height.saturating_sub(1));
    for bit in 0..BITS {
        let x = bit * BIT_CELL + BIT_CELL / 2;
        if x < f.width && f.pixel(x, y)[1] > threshold {
            n |= 1 << bit;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_numbers_read_back() {
        for n in [0, 1, 1001, 86_400, 123_456, (1 << 24) - 1] {
            let f = test_card(160, 90, n, [1.0, 0.9, 0.8]);
            assert_eq!(read_number(&f, 0.5), n);
        }
    }
}

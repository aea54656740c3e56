//! Per-frame statistics: one pass over a frame's RGBA pixels, row by row,
//! with nothing allocated per pixel, and the frame checks that need only
//! the frame itself (NaN and Inf, clipping, legal range, black).

use serde::Serialize;

use crate::io::BitDepth;

/// Rec.709 luma weights, as the CDL's saturation uses them.
const LUMA: [f32; 3] = [0.2126, 0.7152, 0.0722];

/// How the written file stores a sample: what counts as clipped, and
/// whether the output is video range (legal range 64-940 in 10-bit codes,
/// the same share of the code range at other depths).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Levels {
    /// Largest integer code of the output (1023 for 10-bit); `None` for
    /// half and float outputs, which clip nothing.
    pub max_code: Option<f32>,
    pub video_range: bool,
}

impl Levels {
    /// The levels of a written bit depth.
    pub fn of_depth(depth: BitDepth, video_range: bool) -> Levels {
        let max_code = match depth {
            BitDepth::U8 => Some(255.0),
            BitDepth::U10 => Some(1023.0),
            BitDepth::U12 => Some(4095.0),
            BitDepth::U16 => Some(65535.0),
            BitDepth::Half | BitDepth::Float => None,
        };
        Levels {
            max_code,
            video_range,
        }
    }

    /// The levels of a bit depth as a header names it ("10", "half").
    pub fn of_header(bit_depth: &str, video_range: bool) -> Levels {
        let depth = match bit_depth {
            "8" => BitDepth::U8,
            "10" => BitDepth::U10,
            "12" => BitDepth::U12,
            "16" => BitDepth::U16,
            "half" => BitDepth::Half,
            _ => BitDepth::Float,
        };
        Levels::of_depth(depth, video_range)
    }

    /// Luma below which a pixel counts as black: 0.02 above the black level.
    pub fn black_luma(&self) -> f32 {
        if self.video_range {
            64.0 / 1023.0 + 0.02
        } else {
            0.02
        }
    }
}

/// What one frame measured. Shares are of RGB samples (clipping, range)
/// or of pixels (black), from 0 to 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameStats {
    pub width: u32,
    pub height: u32,
    pub nan: u64,
    pub inf: u64,
    /// Per channel (R, G, B), over finite samples.
    pub min: [f32; 3],
    pub max: [f32; 3],
    pub mean: [f64; 3],
    /// Share written as code 0 (float outputs: at or below 0).
    pub clipped_low: f64,
    /// Share written as the depth's largest code; `None` for float outputs.
    pub clipped_high: Option<f64>,
    /// Share outside 64-940 (10-bit equivalents); `None` for full range.
    pub out_of_range: Option<f64>,
    /// Share of pixels whose luma is under [`Levels::black_luma`].
    pub dark: f64,
    /// Mean Rec.709 luma.
    pub luma: f64,
    /// xxh3 of the RGBA samples: equal for identical pictures.
    pub hash: String,
}

impl FrameStats {
    /// A black frame: at least 98% of its pixels under the black luma.
    pub fn is_black(&self) -> bool {
        self.dark >= 0.98
    }
}

/// Sums of one row, added into the frame's totals in f64.
#[derive(Default)]
struct Row {
    nan: u64,
    inf: u64,
    sum: [f32; 3],
    low: u32,
    high: u32,
    outside: u32,
    dark: u32,
    luma: f32,
}

/// Measures `pixels` (RGBA, `width * height * 4` values) as written at
/// `levels`. Alpha is not measured.
pub fn measure(width: u32, height: u32, pixels: &[f32], levels: &Levels) -> FrameStats {
    let (lo, hi) = match levels.max_code {
        // Codes 0 and max are what `io::quantize` rounds these to.
        Some(m) => (0.5 / m, 1.0 - 0.5 / m),
        None => (f32::MIN_POSITIVE, f32::INFINITY),
    };
    let (legal_lo, legal_hi) = (63.5 / 1023.0, 940.5 / 1023.0);
    let black = levels.black_luma();
    let mut min = [f32::INFINITY; 3];
    let mut max = [f32::NEG_INFINITY; 3];
    let mut sum = [0f64; 3];
    let (mut nan, mut inf) = (0u64, 0u64);
    let (mut low, mut high, mut outside, mut dark) = (0u64, 0u64, 0u64, 0u64);
    let mut luma_sum = 0f64;
    let row_len = (width as usize * 4).max(4);
    for row in pixels.chunks(row_len) {
        let mut r = Row::default();
        for px in row.chunks_exact(4) {
            let mut finite = true;
            for c in 0..3 {
                let v = px[c];
                if !v.is_finite() {
                    finite = false;
                    if v.is_nan() {
                        r.nan += 1;
                    } else {
                        r.inf += 1;
                    }
                    continue;
                }
                min[c] = min[c].min(v);
                max[c] = max[c].max(v);
                r.sum[c] += v;
                r.low += u32::from(v < lo);
                r.high += u32::from(v >= hi);
                r.outside += u32::from(!(legal_lo..legal_hi).contains(&v));
            }
            if finite {
                let y = LUMA[0] * px[0] + LUMA[1] * px[1] + LUMA[2] * px[2];
                r.luma += y;
                r.dark += u32::from(y < black);
            }
        }
        nan += r.nan;
        inf += r.inf;
        for (total, row) in sum.iter_mut().zip(r.sum) {
            *total += f64::from(row);
        }
        low += u64::from(r.low);
        high += u64::from(r.high);
        outside += u64::from(r.outside);
        dark += u64::from(r.dark);
        luma_sum += f64::from(r.luma);
    }
    let pixel_count = (pixels.len() / 4).max(1) as f64;
    let samples = pixel_count * 3.0;
    let finite = |c: usize| {
        if min[c] <= max[c] {
            (min[c], max[c])
        } else {
            (0.0, 0.0)
        }
    };
    let finite_count = (samples - (nan + inf) as f64).max(1.0) / 3.0;
    FrameStats {
        width,
        height,
        nan,
        inf,
        min: [finite(0).0, finite(1).0, finite(2).0],
        max: [finite(0).1, finite(1).1, finite(2).1],
        mean: [
            sum[0] / finite_count,
            sum[1] / finite_count,
            sum[2] / finite_count,
        ],
        clipped_low: low as f64 / samples,
        clipped_high: levels.max_code.map(|_| high as f64 / samples),
        out_of_range: levels.video_range.then(|| outside as f64 / samples),
        dark: dark as f64 / pixel_count,
        luma: luma_sum / pixel_count,
        hash: format!(
            "{:016x}",
            xxhash_rust::xxh3::xxh3_64(bytemuck::cast_slice(pixels))
        ),
    }
}

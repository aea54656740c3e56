//! Per-frame statistics: one pass over a frame's RGBA pixels, row by row,
//! with nothing allocated per pixel, and the frame checks that need only
//! the frame itself (NaN and Inf, clipping, legal range, black).

use serde::{Deserialize, Serialize};

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// Sums of one row, lane by lane (R, G, B, A: a pixel is one 4-wide
/// vector, so the loops below compile to vector instructions), added into
/// the frame's totals in f64.
struct Row {
    min: [f32; 4],
    max: [f32; 4],
    sum: [f32; 4],
    nan: [u32; 4],
    not_finite: [u32; 4],
    low: [u32; 4],
    high: [u32; 4],
    outside: [u32; 4],
    dark: u32,
}

impl Row {
    fn new() -> Row {
        Row {
            min: [f32::INFINITY; 4],
            max: [f32::NEG_INFINITY; 4],
            sum: [0.0; 4],
            nan: [0; 4],
            not_finite: [0; 4],
            low: [0; 4],
            high: [0; 4],
            outside: [0; 4],
            dark: 0,
        }
    }
}

/// The thresholds a row is measured against.
struct Bounds {
    lo: f32,
    hi: f32,
    legal_lo: f32,
    legal_hi: f32,
    black: f32,
}

/// A row with no NaN or infinity in it: no test per sample but the
/// counted ones. Four pixels at a time, every sum and count kept per
/// sample position (16 lanes, folded to 4 at the end), so that the loop is
/// vector instructions only. `VIDEO` counts samples outside legal range.
#[inline(always)]
fn row_finite<const VIDEO: bool>(row: &[[f32; 4]], b: &Bounds) -> Row {
    let mut min = [f32::INFINITY; 16];
    let mut max = [f32::NEG_INFINITY; 16];
    let mut sum = [0f32; 16];
    let mut low = [0u32; 16];
    let mut high = [0u32; 16];
    let mut outside = [0u32; 16];
    let mut dark = [0u32; 4];
    let (quads, rest) = row.split_at(row.len() / 4 * 4);
    let quads: &[[f32; 16]] = bytemuck::cast_slice(quads);
    for q in quads {
        for i in 0..16 {
            let v = q[i];
            // Compare-and-select: min/max instructions.
            min[i] = if v < min[i] { v } else { min[i] };
            max[i] = if v > max[i] { v } else { max[i] };
            sum[i] += v;
            low[i] += u32::from(v < b.lo);
            high[i] += u32::from(v >= b.hi);
            if VIDEO {
                outside[i] += u32::from(v < b.legal_lo) + u32::from(v >= b.legal_hi);
            }
        }
        for k in 0..4 {
            let y = LUMA[0] * q[4 * k] + LUMA[1] * q[4 * k + 1] + LUMA[2] * q[4 * k + 2];
            dark[k] += u32::from(y < b.black);
        }
    }
    let mut r = row_careful(rest, b);
    for i in 0..16 {
        let c = i % 4;
        r.min[c] = r.min[c].min(min[i]);
        r.max[c] = r.max[c].max(max[i]);
        r.sum[c] += sum[i];
        r.low[c] += low[i];
        r.high[c] += high[i];
        r.outside[c] += outside[i];
    }
    r.dark += dark.iter().sum::<u32>();
    r
}

/// A row holding a NaN or an infinity: those are counted and leave the
/// other statistics alone.
fn row_careful(row: &[[f32; 4]], b: &Bounds) -> Row {
    let mut r = Row::new();
    for px in row {
        for (c, &v) in px.iter().enumerate() {
            if !v.is_finite() {
                r.nan[c] += u32::from(v.is_nan());
                r.not_finite[c] += 1;
                continue;
            }
            r.min[c] = r.min[c].min(v);
            r.max[c] = r.max[c].max(v);
            r.sum[c] += v;
            r.low[c] += u32::from(v < b.lo);
            r.high[c] += u32::from(v >= b.hi);
            r.outside[c] += u32::from(!(b.legal_lo..b.legal_hi).contains(&v));
        }
        let y = LUMA[0] * px[0] + LUMA[1] * px[1] + LUMA[2] * px[2];
        r.dark += u32::from(y < b.black);
    }
    r
}

/// Measures `pixels` (RGBA, `width * height * 4` values) as written at
/// `levels`. Alpha is not measured. One pass, a row at a time: the
/// statistics (a row whose sums come out NaN or infinite is measured
/// again, sample by sample), then the row's bytes into the hash while they
/// are in cache.
pub fn measure(width: u32, height: u32, pixels: &[f32], levels: &Levels) -> FrameStats {
    let (lo, hi) = match levels.max_code {
        // Codes 0 and max are what `io::quantize` rounds these to.
        Some(m) => (0.5 / m, 1.0 - 0.5 / m),
        None => (f32::MIN_POSITIVE, f32::INFINITY),
    };
    let b = Bounds {
        lo,
        hi,
        legal_lo: 63.5 / 1023.0,
        legal_hi: 940.5 / 1023.0,
        black: levels.black_luma(),
    };
    let mut min = [f32::INFINITY; 4];
    let mut max = [f32::NEG_INFINITY; 4];
    let mut sum = [0f64; 4];
    let mut counts = [[0u64; 4]; 5];
    let mut dark = 0u64;
    let mut hash = xxhash_rust::xxh3::Xxh3::new();
    let whole = &pixels[..pixels.len() / 4 * 4];
    let quads: &[[f32; 4]] = bytemuck::cast_slice(whole);
    for row in quads.chunks((width as usize).max(1)) {
        let mut r = if levels.video_range {
            row_finite::<true>(row, &b)
        } else {
            row_finite::<false>(row, &b)
        };
        if !r.sum[..3].iter().all(|s| s.is_finite()) {
            r = row_careful(row, &b);
        }
        if !levels.video_range {
            r.outside = [0; 4];
        }
        for c in 0..4 {
            min[c] = min[c].min(r.min[c]);
            max[c] = max[c].max(r.max[c]);
            sum[c] += f64::from(r.sum[c]);
            for (k, lane) in [r.nan, r.not_finite, r.low, r.high, r.outside]
                .iter()
                .enumerate()
            {
                counts[k][c] += u64::from(lane[c]);
            }
        }
        dark += u64::from(r.dark);
        hash.update(bytemuck::cast_slice(row));
    }
    let rgb = |k: usize| counts[k][0] + counts[k][1] + counts[k][2];
    let (nan, not_finite) = (rgb(0), rgb(1));
    let pixel_count = (pixels.len() / 4).max(1) as f64;
    let samples = pixel_count * 3.0;
    let mean = |c: usize| sum[c] / (pixel_count - counts[1][c] as f64).max(1.0);
    let seen = |c: usize| {
        if min[c] <= max[c] {
            (min[c], max[c])
        } else {
            (0.0, 0.0)
        }
    };
    let mean = [mean(0), mean(1), mean(2)];
    FrameStats {
        width,
        height,
        nan,
        inf: not_finite - nan,
        min: [seen(0).0, seen(1).0, seen(2).0],
        max: [seen(0).1, seen(1).1, seen(2).1],
        mean,
        clipped_low: rgb(2) as f64 / samples,
        clipped_high: levels.max_code.map(|_| rgb(3) as f64 / samples),
        out_of_range: levels.video_range.then(|| rgb(4) as f64 / samples),
        dark: dark as f64 / pixel_count,
        // Luma is linear: the mean luma is the luma of the means.
        luma: f64::from(LUMA[0]) * mean[0]
            + f64::from(LUMA[1]) * mean[1]
            + f64::from(LUMA[2]) * mean[2],
        hash: format!("{:016x}", hash.digest()),
    }
}

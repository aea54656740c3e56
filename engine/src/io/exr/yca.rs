//! Luminance/chroma EXR images (channels Y, RY, BY and optionally A) turned
//! into RGBA as OpenEXR's `RgbaInputFile` does it.
//!
//! OpenEXR's RGBA interface writes colour as luminance Y at full resolution
//! and two chroma channels RY = (R - Y) / Y and BY = (B - Y) / Y with one
//! sample per 2x2 pixels, Y weighted by the file's `chromaticities` (Rec.709
//! when absent). Reading them back, OpenEXR fills in the missing chroma with
//! a 27-tap filter across each chroma row and then down each column,
//! converts to RGB, and pulls back pixels much more saturated than their
//! neighbours (a fix for the filter's ringing on sharp colour edges). This
//! is a port of that code (ImfRgbaYca.cpp and `RgbaInputFile::FromYca` in
//! ImfRgbaFile.cpp, OpenEXR 3.x), step for step: every intermediate value
//! is stored as half where OpenEXR stores an `Rgba` of halves, and the
//! arithmetic runs in f32 in OpenEXR's order, so the result is the same to
//! the bit. Chroma channels stored as float are converted to half first,
//! as OpenEXR's half frame buffer does.

use std::path::Path;

use exr::prelude::{AnyChannel, FlatSamples, Vec2};
use half::f16;

use crate::{Error, Result};

/// The channels of a luminance/chroma file (indices into the part's sorted
/// channel list; None: absent) and its luminance weights.
#[derive(Debug, Clone, Copy)]
pub(super) struct LumaChroma {
    y: Option<usize>,
    ry: Option<usize>,
    by: Option<usize>,
    a: Option<usize>,
    weights: [f32; 3],
}

/// Checks a luminance/chroma part as OpenEXR's `RgbaInputFile` expects it
/// (Y and A at full resolution, RY and BY once per 2x2 pixels) and works
/// out its luminance weights from its chromaticities.
pub(super) fn plan(
    path: &Path,
    header: &exr::meta::header::Header,
    find: &dyn Fn(&str) -> Option<usize>,
) -> Result<LumaChroma> {
    for (name, sampling) in [("Y", 1), ("A", 1), ("RY", 2), ("BY", 2)] {
        let Some(c) = find(name).and_then(|i| header.channels.list.get(i)) else {
            continue;
        };
        if c.sampling != Vec2(sampling, sampling) {
            return Err(Error::unsupported(
                path,
                format!(
                    "EXR luminance/chroma channel {name} sampled {}x{} (OpenEXR reads {sampling}x{sampling})",
                    c.sampling.0, c.sampling.1
                ),
            ));
        }
    }
    let data = header.data_window();
    if data.position.0 % 2 != 0
        || data.position.1 % 2 != 0
        || data.size.0 % 2 != 0
        || data.size.1 % 2 != 0
    {
        return Err(Error::invalid(
            path,
            "EXR chroma sampled 2x2 needs a data window with even position and size",
        ));
    }
    let primaries = header
        .shared_attributes
        .chromaticities
        .map(|c| Primaries {
            red: [c.red.0, c.red.1],
            green: [c.green.0, c.green.1],
            blue: [c.blue.0, c.blue.1],
            white: [c.white.0, c.white.1],
        })
        .unwrap_or(Primaries::REC709);
    let Some(weights) = luminance_weights(&primaries) else {
        return Err(Error::invalid(
            path,
            "EXR chromaticities are degenerate (no RGB to XYZ matrix)",
        ));
    };
    Ok(LumaChroma {
        y: find("Y"),
        ry: find("RY"),
        by: find("BY"),
        a: find("A"),
        weights,
    })
}

/// The R, G, B and A planes of a luminance/chroma part's data window.
pub(super) fn decode(
    path: &Path,
    lc: &LumaChroma,
    channels: &[AnyChannel<FlatSamples>],
    width: usize,
    height: usize,
) -> Result<[FlatSamples; 4]> {
    // OpenEXR's RGBA interface reads every channel into halves.
    let halves = |index: Option<usize>, len: usize| -> Result<Option<Vec<half::f16>>> {
        let Some(i) = index else { return Ok(None) };
        let Some(c) = channels.get(i) else {
            return Err(Error::invalid(
                path,
                "EXR channel list changed while reading",
            ));
        };
        let v: Vec<half::f16> = match &c.sample_data {
            FlatSamples::F16(v) => v.clone(),
            FlatSamples::F32(v) => v.iter().map(|&x| half::f16::from_f32(x)).collect(),
            FlatSamples::U32(v) => v
                .iter()
                .map(|&x| {
                    if x > 65504 {
                        half::f16::INFINITY
                    } else {
                        half::f16::from_f32(x as f32)
                    }
                })
                .collect(),
        };
        if v.len() != len {
            return Err(Error::invalid(
                path,
                "EXR channel has the wrong number of samples",
            ));
        }
        Ok(Some(v))
    };
    let full = width * height;
    let chroma = (width / 2) * (height / 2);
    let y = halves(lc.y, full)?;
    let ry = halves(lc.ry, chroma)?;
    let by = halves(lc.by, chroma)?;
    let a = halves(lc.a, full)?;
    let rgba = to_rgba(
        &Planes {
            width,
            height,
            y: y.as_deref(),
            ry: ry.as_deref(),
            by: by.as_deref(),
            a: a.as_deref(),
        },
        lc.weights,
    );
    let plane = |k: usize| FlatSamples::F32(rgba.iter().skip(k).step_by(4).copied().collect());
    Ok([plane(0), plane(1), plane(2), plane(3)])
}

/// One pixel as OpenEXR's `Rgba`: r, g, b, a halves. In luminance/chroma
/// form g holds Y, r holds RY and b holds BY.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Px {
    r: f16,
    g: f16,
    b: f16,
    a: f16,
}

/// Filter length of the chroma reconstruction (OpenEXR's `RgbaYca::N`).
const N: i64 = 27;
const N2: i64 = N / 2;

/// Weights of the odd taps of OpenEXR's chroma reconstruction filter,
/// from offset -13 to +13 (the even offsets and 0 have no chroma sample).
const TAPS: [f32; 14] = [
    0.002128, -0.007540, 0.019597, -0.043159, 0.087929, -0.186077, 0.627123, 0.627123, -0.186077,
    0.087929, -0.043159, 0.019597, -0.007540, 0.002128,
];

/// The x and y chromaticity coordinates of a file's primaries and white.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Primaries {
    pub red: [f32; 2],
    pub green: [f32; 2],
    pub blue: [f32; 2],
    pub white: [f32; 2],
}

impl Primaries {
    /// OpenEXR's default when a file has no `chromaticities`: Rec.709/sRGB
    /// primaries and D65.
    pub const REC709: Primaries = Primaries {
        red: [0.6400, 0.3300],
        green: [0.3000, 0.6000],
        blue: [0.1500, 0.0600],
        white: [0.3127, 0.3290],
    };
}

/// The weights of R, G and B in luminance (OpenEXR's `computeYw`): the Y
/// row of the RGB to XYZ matrix (`RGBtoXYZ(chromaticities, 1)`),
/// normalised to sum to 1. `None` for degenerate primaries, which OpenEXR
/// refuses too.
pub fn luminance_weights(c: &Primaries) -> Option<[f32; 3]> {
    let (r, g, b, w) = (c.red, c.green, c.blue, c.white);
    let y = 1.0f32;
    if w[1].abs() <= 1.0 && (w[0] * y).abs() >= w[1].abs() * f32::MAX {
        return None;
    }
    let x = w[0] * y / w[1];
    let z = (1.0 - w[0] - w[1]) * y / w[1];
    let d = r[0] * (b[1] - g[1]) + b[0] * (g[1] - r[1]) + g[0] * (r[1] - b[1]);
    let sr_n = x * (b[1] - g[1]) - g[0] * (y * (b[1] - 1.0) + b[1] * (x + z))
        + b[0] * (y * (g[1] - 1.0) + g[1] * (x + z));
    let sg_n = x * (r[1] - b[1]) + r[0] * (y * (b[1] - 1.0) + b[1] * (x + z))
        - b[0] * (y * (r[1] - 1.0) + r[1] * (x + z));
    let sb_n = x * (g[1] - r[1]) - r[0] * (y * (g[1] - 1.0) + g[1] * (x + z))
        + g[0] * (y * (r[1] - 1.0) + r[1] * (x + z));
    if d.abs() < 1.0
        && (sr_n.abs() >= d.abs() * f32::MAX
            || sg_n.abs() >= d.abs() * f32::MAX
            || sb_n.abs() >= d.abs() * f32::MAX)
    {
        return None;
    }
    let (sr, sg, sb) = (sr_n / d, sg_n / d, sb_n / d);
    let m = [sr * r[1], sg * g[1], sb * b[1]];
    let sum = m[0] + m[1] + m[2];
    let yw = [m[0] / sum, m[1] / sum, m[2] / sum];
    yw.iter().all(|v| v.is_finite()).then_some(yw)
}

/// The planes of a luminance/chroma image's data window, as halves: Y and
/// A at full resolution (`width * height`), RY and BY at one sample per
/// 2x2 pixels (`width/2 * height/2`). A missing plane takes OpenEXR's fill
/// value: Y 0.5, chroma 0, A 1. Chroma sits on even absolute rows and
/// columns and a valid file's data window starts on even ones, so rows and
/// columns counted from the data window have the same parity.
pub struct Planes<'a> {
    pub width: usize,
    pub height: usize,
    pub y: Option<&'a [f16]>,
    pub ry: Option<&'a [f16]>,
    pub by: Option<&'a [f16]>,
    pub a: Option<&'a [f16]>,
}

/// Converts a luminance/chroma image to RGBA, `width * height` pixels of
/// four f32 values, rows top to bottom.
pub fn to_rgba(p: &Planes, yw: [f32; 3]) -> Vec<f32> {
    let (w, h) = (p.width, p.height);
    let mut out = vec![0.0f32; w * h * 4];
    if w == 0 || h == 0 {
        return out;
    }
    // Every row in luminance/chroma form with its chroma filled in across
    // (OpenEXR's readYCAScanLine), indexed by row; the rows above and below
    // the image repeat the first and the second last (see `clamp_row`).
    let yca: Vec<Vec<Px>> = (0..h).map(|row| read_row(p, row)).collect();
    let yca_row = |row: i64| -> &[Px] { &yca[clamp_row(row, h)] };
    // RGB of any row, before the saturation fix.
    let rgb_row = |row: i64| -> Vec<Px> {
        let mut line = if row & 1 == 0 {
            yca_row(row).to_vec()
        } else {
            reconstruct_vertical(w, |k| yca_row(row + k))
        };
        yca_to_rgba(yw, &mut line);
        line
    };
    let mut above = rgb_row(-1);
    let mut here = rgb_row(0);
    for row in 0..h {
        let below = rgb_row(row as i64 + 1);
        let fixed = fix_saturation(yw, [&above, &here, &below]);
        for (o, px) in out[row * w * 4..(row + 1) * w * 4]
            .chunks_exact_mut(4)
            .zip(&fixed)
        {
            o.copy_from_slice(&[px.r.to_f32(), px.g.to_f32(), px.b.to_f32(), px.a.to_f32()]);
        }
        above = std::mem::replace(&mut here, below);
    }
    out
}

/// The row OpenEXR reads for row `row` of the data window (0 = top) when
/// it needs rows beyond it: the first row above the image, the second last
/// below it (`y = yMax - 1`: with an even height, the last row that has
/// chroma samples).
fn clamp_row(row: i64, height: usize) -> usize {
    if row < 0 {
        0
    } else if row >= height as i64 {
        height.saturating_sub(2)
    } else {
        row as usize
    }
}

/// One row as OpenEXR's frame buffer receives it, with the chroma of even
/// rows reconstructed across (odd rows carry no chroma; it is never used).
fn read_row(p: &Planes, row: usize) -> Vec<Px> {
    let w = p.width;
    let one = f16::ONE;
    let sample = |plane: Option<&[f16]>, i: usize, fill: f16| -> f16 {
        plane.and_then(|v| v.get(i).copied()).unwrap_or(fill)
    };
    let mut line: Vec<Px> = (0..w)
        .map(|x| Px {
            r: f16::ZERO,
            g: sample(p.y, row * w + x, f16::from_f32(0.5)),
            b: f16::ZERO,
            a: sample(p.a, row * w + x, one),
        })
        .collect();
    if row & 1 == 1 {
        return line;
    }
    // Chroma samples of this row at even x; beyond the left edge the first
    // one repeats, beyond the right edge the one at `w - 2` (padTmpBuf).
    let cw = w / 2;
    let chroma_row = row / 2;
    let chroma = |x: i64| -> (f16, f16) {
        let x = if x < 0 {
            0
        } else if x >= w as i64 {
            w.saturating_sub(2)
        } else {
            x as usize
        };
        let i = chroma_row * cw + x / 2;
        (sample(p.ry, i, f16::ZERO), sample(p.by, i, f16::ZERO))
    };
    for (x, px) in line.iter_mut().enumerate() {
        if x & 1 == 0 {
            (px.r, px.b) = chroma(x as i64);
        } else {
            let taps = |pick: fn((f16, f16)) -> f16| -> f16 {
                let mut k = -N2;
                let mut sum = 0.0f32;
                for (n, t) in TAPS.iter().enumerate() {
                    let v = pick(chroma(x as i64 + k)).to_f32() * t;
                    sum = if n == 0 { v } else { sum + v };
                    k += 2;
                }
                f16::from_f32(sum)
            };
            px.r = taps(|c| c.0);
            px.b = taps(|c| c.1);
        }
    }
    line
}

/// The chroma of an odd row from the even rows 1, 3, .. 13 above and below
/// it (OpenEXR's reconstructChromaVert); Y and A are the row's own.
/// `row_at(k)` gives the row `k` rows below (negative: above).
fn reconstruct_vertical<'a>(w: usize, row_at: impl Fn(i64) -> &'a [Px]) -> Vec<Px> {
    let rows: Vec<&[Px]> = (0..TAPS.len() as i64)
        .map(|n| row_at(-N2 + 2 * n))
        .collect();
    let centre = row_at(0);
    (0..w)
        .map(|x| {
            let filter = |pick: fn(&Px) -> f16| -> f16 {
                let mut sum = 0.0f32;
                for (n, (row, t)) in rows.iter().zip(TAPS.iter()).enumerate() {
                    let v = pick(&row[x]).to_f32() * t;
                    sum = if n == 0 { v } else { sum + v };
                }
                f16::from_f32(sum)
            };
            Px {
                r: filter(|p| p.r),
                g: centre[x].g,
                b: filter(|p| p.b),
                a: centre[x].a,
            }
        })
        .collect()
}

/// Y, RY, BY to R, G, B in place (OpenEXR's YCAtoRGBA). Pixels without
/// chroma are grey: R = G = B = Y exactly.
fn yca_to_rgba(yw: [f32; 3], line: &mut [Px]) {
    for px in line {
        if px.r.to_f32() == 0.0 && px.b.to_f32() == 0.0 {
            *px = Px {
                r: px.g,
                g: px.g,
                b: px.g,
                a: px.a,
            };
        } else {
            let y = px.g.to_f32();
            let r = (px.r.to_f32() + 1.0) * y;
            let b = (px.b.to_f32() + 1.0) * y;
            let g = (y - r * yw[0] - b * yw[2]) / yw[1];
            px.r = f16::from_f32(r);
            px.g = f16::from_f32(g);
            px.b = f16::from_f32(b);
        }
    }
}

/// C++ `std::max(a, b)` (`a < b ? b : a`), which keeps `a` when either is
/// NaN; Rust's `f32::max` would not.
fn cpp_max(a: f32, b: f32) -> f32 {
    if a < b {
        b
    } else {
        a
    }
}

/// C++ `std::min(a, b)` (`b < a ? b : a`).
fn cpp_min(a: f32, b: f32) -> f32 {
    if b < a {
        b
    } else {
        a
    }
}

/// OpenEXR's saturation of a pixel: 1 - min/max of R, G, B.
fn saturation(p: &Px) -> f32 {
    let (r, g, b) = (p.r.to_f32(), p.g.to_f32(), p.b.to_f32());
    let max = cpp_max(r, cpp_max(g, b));
    let min = cpp_min(r, cpp_min(g, b));
    if max > 0.0 {
        1.0 - min / max
    } else {
        0.0
    }
}

/// OpenEXR's desaturate: moves R, G, B towards their maximum by `f`, then
/// restores the pixel's luminance.
fn desaturate(p: &Px, f: f32, yw: [f32; 3]) -> Px {
    let (r, g, b) = (p.r.to_f32(), p.g.to_f32(), p.b.to_f32());
    let max = cpp_max(r, cpp_max(g, b));
    let mut out = Px {
        r: f16::from_f32(cpp_max(max - (max - r) * f, 0.0)),
        g: f16::from_f32(cpp_max(max - (max - g) * f, 0.0)),
        b: f16::from_f32(cpp_max(max - (max - b) * f, 0.0)),
        a: p.a,
    };
    let y_in = r * yw[0] + g * yw[1] + b * yw[2];
    let y_out = out.r.to_f32() * yw[0] + out.g.to_f32() * yw[1] + out.b.to_f32() * yw[2];
    if y_out > 0.0 {
        let k = y_in / y_out;
        out.r = f16::from_f32(out.r.to_f32() * k);
        out.g = f16::from_f32(out.g.to_f32() * k);
        out.b = f16::from_f32(out.b.to_f32() * k);
    }
    out
}

/// OpenEXR's fixSaturation for the middle one of three RGB rows: a pixel
/// much more saturated than the mean of its four diagonal neighbours is
/// desaturated (the chroma filter overshoots on sharp colour edges).
fn fix_saturation(yw: [f32; 3], rows: [&[Px]; 3]) -> Vec<Px> {
    let n = rows[1].len();
    let mut a2 = saturation(&rows[0][0]);
    let mut a1 = a2;
    let mut b2 = saturation(&rows[2][0]);
    let mut b1 = b2;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let a0 = a1;
        a1 = a2;
        let b0 = b1;
        b1 = b2;
        if i + 1 < n {
            a2 = saturation(&rows[0][i + 1]);
            b2 = saturation(&rows[2][i + 1]);
        }
        let s_mean = cpp_min(1.0, 0.25 * (a0 + a2 + b0 + b2));
        let p = &rows[1][i];
        let s = saturation(p);
        if s > s_mean {
            let s_max = cpp_min(1.0, 1.0 - (1.0 - s_mean) * 0.25);
            if s > s_max {
                out.push(desaturate(p, s_max / s, yw));
                continue;
            }
        }
        out.push(*p);
    }
    out
}

#[cfg(test)]
mod tests;

//! The filters and the per-axis tap weights, computed once per plan in f64.
//!
//! Kernels are OpenImageIO's (`src/libutil/filter.cpp`): Lanczos3 is
//! `sinc(x) sinc(x/3)` for |x| < 3, Catmull-Rom and Mitchell the
//! Mitchell-Netravali cubics over |x| < 2, bilinear the triangle over
//! |x| < 1, box 1 for |x| <= 1/2. As in its resize, the weight of source
//! pixel `j` for an output pixel whose centre lands at source position `c`
//! is `K((j + 0.5 - c) * min(scale, 1))`: when shrinking the kernel is
//! stretched by 1/scale, so it averages every source pixel under the output
//! pixel. Taps outside the picture take its edge pixel (their weight is
//! added to the edge tap), then the weights are normalised to sum 1.

use std::ops::Range;

use super::Filter;

/// The taps of one output column (or row): `count` source pixels from
/// `first`, weighted by `weights[at..at + count]`. Keep in sync with
/// `struct Span` in resample.wgsl (read there as a `vec4<u32>`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct Span {
    pub first: u32,
    pub count: u32,
    pub at: u32,
    pub pad: u32,
}

/// The spans of the active output pixels along one axis, and their weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The first active output pixel; `spans[i]` is output pixel `start + i`.
    pub start: u32,
    pub spans: Vec<Span>,
    pub weights: Vec<f32>,
}

impl Filter {
    /// Half the kernel's width at scale 1, in source pixels.
    pub(crate) fn radius(self) -> f64 {
        match self {
            Filter::Lanczos3 => 3.0,
            Filter::Mitchell | Filter::CatmullRom => 2.0,
            Filter::Bilinear => 1.0,
            Filter::Box | Filter::Nearest => 0.5,
        }
    }

    /// The kernel at `x` (in source pixels at scale 1).
    pub(crate) fn eval(self, x: f64) -> f64 {
        let x = x.abs();
        match self {
            Filter::Lanczos3 => {
                if x >= 3.0 {
                    0.0
                } else if x < 1e-8 {
                    1.0
                } else {
                    let pi = std::f64::consts::PI;
                    3.0 * (pi * x).sin() * (pi * x / 3.0).sin() / (pi * pi * x * x)
                }
            }
            Filter::Mitchell => cubic(x, 1.0 / 3.0, 1.0 / 3.0),
            Filter::CatmullRom => cubic(x, 0.0, 0.5),
            Filter::Bilinear => (1.0 - x).max(0.0),
            Filter::Box | Filter::Nearest => {
                if x <= 0.5 {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }
}

/// The Mitchell-Netravali family of cubics.
fn cubic(x: f64, b: f64, c: f64) -> f64 {
    let (x2, x3) = (x * x, x * x * x);
    let v = if x < 1.0 {
        (12.0 - 9.0 * b - 6.0 * c) * x3 + (-18.0 + 12.0 * b + 6.0 * c) * x2 + (6.0 - 2.0 * b)
    } else if x < 2.0 {
        (-b - 6.0 * c) * x3
            + (6.0 * b + 30.0 * c) * x2
            + (-12.0 * b - 48.0 * c) * x
            + (8.0 * b + 24.0 * c)
    } else {
        0.0
    };
    v / 6.0
}

/// The output pixels `lo..hi` (of `len`) whose centre falls inside a
/// picture `pic` source pixels long placed at `offset` with `scale` output
/// pixels per source pixel.
pub(crate) fn active_range(len: u32, offset: f64, scale: f64, pic: f64) -> (u32, u32) {
    let clamp = |v: f64| v.clamp(0.0, f64::from(len)) as u32;
    // Centre o + 0.5 in [offset, offset + scale * pic).
    let lo = clamp((offset - 0.5).ceil());
    let hi = clamp((offset + scale * pic - 0.5).ceil());
    (lo, hi.max(lo))
}

/// The normalised weights of source pixels `edge0..edge0 + len` for an
/// output pixel whose centre lands at source position `c`, taps beyond the
/// edges folded onto them: `(first, weights)` with zero weights trimmed
/// from both ends. Never empty.
pub(crate) fn taps(filter: Filter, c: f64, scale: f64, edge0: u32, len: u32) -> (u32, Vec<f64>) {
    let last = i64::from(edge0) + i64::from(len) - 1;
    let clamp = |j: i64| j.clamp(i64::from(edge0), last);
    if filter == Filter::Nearest {
        return (clamp(c.floor() as i64) as u32, vec![1.0]);
    }
    let f = scale.min(1.0);
    let support = filter.radius() / f;
    // Taps j with |j + 0.5 - c| <= support; those beyond the picture land
    // on its edge. Over the active pixels of an axis (about scale * len of
    // them) that is about 2 * radius * len evaluations, whatever the scale.
    let lo = (c - support - 0.5).floor() as i64;
    let hi = (c + support - 0.5).ceil() as i64;
    let first = clamp(lo);
    let mut w = vec![0.0f64; (clamp(hi) - first + 1) as usize];
    for j in lo..=hi {
        w[(clamp(j) - first) as usize] += filter.eval((j as f64 + 0.5 - c) * f);
    }
    let sum: f64 = w.iter().sum();
    if !(sum.is_finite() && sum.abs() > 1e-12) {
        // Cannot happen for these kernels (the nearest tap always has
        // weight); take the nearest pixel rather than divide by nothing.
        return (clamp(c.floor() as i64) as u32, vec![1.0]);
    }
    for v in &mut w {
        *v /= sum;
    }
    let keep0 = w.iter().position(|v| *v != 0.0).unwrap_or(0);
    let keep1 = w.iter().rposition(|v| *v != 0.0).map_or(w.len(), |i| i + 1);
    (first as u32 + keep0 as u32, w[keep0..keep1].to_vec())
}

impl Axis {
    /// The spans of output pixels `active` along an axis where the picture
    /// (source pixels `edge0..edge0 + len`) is placed at `offset` with
    /// `scale` output pixels per source pixel.
    pub(crate) fn new(
        filter: Filter,
        active: Range<u32>,
        scale: f64,
        offset: f64,
        edge0: u32,
        len: u32,
    ) -> Axis {
        let mut spans = Vec::with_capacity(active.len());
        let mut weights = Vec::new();
        for o in active.clone() {
            let c = f64::from(edge0) + (f64::from(o) + 0.5 - offset) / scale;
            let (first, w) = taps(filter, c, scale, edge0, len);
            spans.push(Span {
                first,
                count: w.len() as u32,
                at: weights.len() as u32,
                pad: 0,
            });
            weights.extend(w.iter().map(|v| *v as f32));
        }
        Axis {
            start: active.start,
            spans,
            weights,
        }
    }

    /// The source pixels any span reads, `None` when no pixel is active.
    pub fn source_range(&self) -> Option<(u32, u32)> {
        let lo = self.spans.iter().map(|s| s.first).min()?;
        let hi = self.spans.iter().map(|s| s.first + s.count).max()?;
        Some((lo, hi))
    }

    /// How many output pixels are active.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

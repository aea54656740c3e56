//! The reformat on the CPU: the oracle the GPU kernel (`resample.wgsl`)
//! must match to the bit, and the CPU backend's resampler.
//!
//! Separable plans run two passes on the rayon pool: source rows into an
//! intermediate of output columns, then intermediate columns into output
//! rows. Every output value is `acc = w0 * p0`, then `acc = acc + w * p`
//! for each further tap in order (no fused multiply-add; Rust never
//! contracts), exactly what the kernel computes per pixel. The vertical
//! pass walks the taps in the outer loop and the pixels of a row in the
//! inner one, so it vectorises, and still adds each pixel's taps in the same
//! order.

use std::cell::RefCell;

use rayon::prelude::*;

use super::filter::taps;
use super::{Area, Crop, Filter, Format, Kind, Plan, Separable};

/// Opaque black, as black frames are elsewhere.
const BLACK: [f32; 4] = [0.0, 0.0, 0.0, 1.0];

thread_local! {
    /// The intermediate of the horizontal pass, kept between frames so a
    /// render does not allocate (and fault in) one per frame.
    static SCRATCH: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
}

pub(super) fn apply(plan: &Plan, src: &[f32], dst: &mut Vec<f32>) {
    let (w, h) = plan.output_size();
    let n = w as usize * h as usize * 4;
    match &plan.kind {
        Kind::Identity => {
            dst.clear();
            dst.extend_from_slice(&src[..n.min(src.len())]);
            dst.resize(n, 0.0);
        }
        Kind::Separable(s) => {
            dst.resize(n, 0.0);
            SCRATCH.with(|scratch| {
                let mut inter = scratch.borrow_mut();
                separable(s, plan.source.width, src, &mut inter, w, dst);
            });
        }
        Kind::Rotated(r) => {
            dst.resize(n, 0.0);
            r.apply(plan.source.width, src, w, dst);
        }
    }
}

/// One tap-weighted sum of RGBA pixels `px(first)..px(first + count)`.
#[inline(always)]
fn gather(src: &[f32], first: usize, stride: usize, weights: &[f32]) -> [f32; 4] {
    let p = |t: usize| {
        let i = (first + t * stride) * 4;
        [src[i], src[i + 1], src[i + 2], src[i + 3]]
    };
    let p0 = p(0);
    let w0 = weights[0];
    let mut acc = [w0 * p0[0], w0 * p0[1], w0 * p0[2], w0 * p0[3]];
    for (t, &wt) in weights.iter().enumerate().skip(1) {
        let q = p(t);
        for c in 0..4 {
            acc[c] += wt * q[c];
        }
    }
    acc
}

/// Rows then columns; the output outside the active area is black.
fn separable(
    s: &Separable,
    src_width: u32,
    src: &[f32],
    inter: &mut Vec<f32>,
    w: u32,
    dst: &mut [f32],
) {
    let (aw, (r0, r1)) = (s.x.len(), s.rows);
    let row_floats = src_width as usize * 4;
    inter.resize(aw * (r1 - r0) as usize * 4, 0.0);
    if aw > 0 {
        inter
            .par_chunks_mut(aw * 4)
            .zip(r0..r1)
            .for_each(|(out, r)| {
                let row = &src[r as usize * row_floats..(r as usize + 1) * row_floats];
                for (px, span) in out.chunks_exact_mut(4).zip(&s.x.spans) {
                    let wts = &s.x.weights[span.at as usize..(span.at + span.count) as usize];
                    px.copy_from_slice(&gather(row, span.first as usize, 1, wts));
                }
            });
    }
    let (x0, y0) = (s.x.start as usize, s.y.start as usize);
    let inter: &[f32] = inter;
    dst.par_chunks_mut(w as usize * 4)
        .enumerate()
        .for_each(|(y, row)| {
            let span = y.checked_sub(y0).and_then(|i| s.y.spans.get(i));
            let Some(span) = span.filter(|_| aw > 0) else {
                fill_black(row);
                return;
            };
            fill_black(&mut row[..x0 * 4]);
            fill_black(&mut row[(x0 + aw) * 4..]);
            let out = &mut row[x0 * 4..(x0 + aw) * 4];
            let wts = &s.y.weights[span.at as usize..(span.at + span.count) as usize];
            let line = |t: usize| {
                let r = (span.first - r0) as usize + t;
                &inter[r * aw * 4..(r + 1) * aw * 4]
            };
            let first = line(0);
            for (o, p) in out.iter_mut().zip(first) {
                *o = wts[0] * *p;
            }
            for (t, &wt) in wts.iter().enumerate().skip(1) {
                for (o, p) in out.iter_mut().zip(line(t)) {
                    *o += wt * *p;
                }
            }
        });
}

fn fill_black(px: &mut [f32]) {
    for p in px.chunks_exact_mut(4) {
        p.copy_from_slice(&BLACK);
    }
}

/// A plan with a rotation: the output pixel centre is mapped back into the
/// source (in f64) and the filter gathered there along the source's rows
/// and columns, its weights worked out per pixel as the separable ones are.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rotated {
    filter: Filter,
    crop: Crop,
    scale: [f64; 2],
    offset: [f64; 2],
    /// cos and sin of the rotation, and the frame centre.
    cos: f64,
    sin: f64,
    centre: [f64; 2],
}

impl Rotated {
    /// The rotated plan and its active area (the bounding box of the output
    /// pixels whose centre maps inside the crop).
    pub(crate) fn new(
        filter: Filter,
        crop: Crop,
        scale: [f64; 2],
        offset: [f64; 2],
        degrees: f64,
        out: Format,
    ) -> (Rotated, Area) {
        let (sin, cos) = degrees.to_radians().sin_cos();
        let r = Rotated {
            filter,
            crop,
            scale,
            offset,
            cos,
            sin,
            centre: [f64::from(out.width) / 2.0, f64::from(out.height) / 2.0],
        };
        // The picture's corners, rotated: their bounding box.
        let (cw, ch) = (f64::from(crop.width), f64::from(crop.height));
        let corners = [(0.0, 0.0), (cw, 0.0), (0.0, ch), (cw, ch)]
            .map(|(x, y)| r.forward(offset[0] + scale[0] * x, offset[1] + scale[1] * y));
        let lo = |f: fn(&(f64, f64)) -> f64, len: u32| {
            corners
                .iter()
                .map(f)
                .fold(f64::INFINITY, f64::min)
                .floor()
                .clamp(0.0, f64::from(len)) as u32
        };
        let hi = |f: fn(&(f64, f64)) -> f64, len: u32| {
            corners
                .iter()
                .map(f)
                .fold(f64::NEG_INFINITY, f64::max)
                .ceil()
                .clamp(0.0, f64::from(len)) as u32
        };
        let (x0, x1) = (lo(|p| p.0, out.width), hi(|p| p.0, out.width));
        let (y0, y1) = (lo(|p| p.1, out.height), hi(|p| p.1, out.height));
        let area = Area {
            x: x0,
            y: y0,
            width: x1.saturating_sub(x0),
            height: y1.saturating_sub(y0),
        };
        (r, area)
    }

    /// An unrotated output position rotated about the frame centre (y is
    /// down, so a positive angle turns counter-clockwise as seen).
    fn forward(&self, x: f64, y: f64) -> (f64, f64) {
        let (dx, dy) = (x - self.centre[0], y - self.centre[1]);
        (
            self.centre[0] + self.cos * dx + self.sin * dy,
            self.centre[1] - self.sin * dx + self.cos * dy,
        )
    }

    /// Whether output pixel (x, y)'s centre falls inside the picture.
    pub(crate) fn covers(&self, x: u32, y: u32) -> bool {
        self.back(f64::from(x) + 0.5, f64::from(y) + 0.5).is_some()
    }

    /// The source position under output position (x, y), or `None` outside
    /// the crop.
    fn back(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let (dx, dy) = (x - self.centre[0], y - self.centre[1]);
        let ux = self.centre[0] + self.cos * dx - self.sin * dy;
        let uy = self.centre[1] + self.sin * dx + self.cos * dy;
        let sx = (ux - self.offset[0]) / self.scale[0];
        let sy = (uy - self.offset[1]) / self.scale[1];
        let inside = (0.0..f64::from(self.crop.width)).contains(&sx)
            && (0.0..f64::from(self.crop.height)).contains(&sy);
        inside.then(|| (f64::from(self.crop.x) + sx, f64::from(self.crop.y) + sy))
    }

    fn apply(&self, src_width: u32, src: &[f32], w: u32, dst: &mut [f32]) {
        let sw = src_width as usize;
        dst.par_chunks_mut(w as usize * 4)
            .enumerate()
            .for_each(|(y, row)| {
                for (x, px) in row.chunks_exact_mut(4).enumerate() {
                    let Some((cx, cy)) = self.back(x as f64 + 0.5, y as f64 + 0.5) else {
                        px.copy_from_slice(&BLACK);
                        continue;
                    };
                    let (fx, wx) =
                        taps(self.filter, cx, self.scale[0], self.crop.x, self.crop.width);
                    let (fy, wy) = taps(
                        self.filter,
                        cy,
                        self.scale[1],
                        self.crop.y,
                        self.crop.height,
                    );
                    let wx: Vec<f32> = wx.iter().map(|v| *v as f32).collect();
                    let mut acc = [0.0f32; 4];
                    for (t, wt) in wy.iter().enumerate() {
                        let r = (fy as usize + t) * sw;
                        let line = gather(src, r + fx as usize, 1, &wx);
                        let wt = *wt as f32;
                        for c in 0..4 {
                            acc[c] = if t == 0 {
                                wt * line[c]
                            } else {
                                acc[c] + wt * line[c]
                            };
                        }
                    }
                    px.copy_from_slice(&acc);
                }
            });
    }
}

//! Baking: a span of transforms with no grade op becomes an optional asinh
//! shaper and a 3D LUT filled by OpenColorIO's own CPU processor for that
//! span (sampled through [`crate::bake::sample_lattice`], as `grade lut
//! convert` samples a program), at the smallest lattice meeting the error
//! bounds on the span's measured inputs.

use crate::grade::{Op, Program};
use crate::ocio::Processor;
use crate::ops::{Direction, Interpolation, Lut1d, Lut3d};
use crate::Result;

use super::LEVEL;

/// 3D LUT sizes tried for a bake, smallest first.
pub const BAKE_SIZES: [usize; 4] = [17, 33, 65, 129];

/// Error bounds a bake tries to meet, tightest first (absolute up to 1,
/// relative above).
pub const BAKE_BOUNDS: [f64; 2] = [1e-4, 1e-3];

/// One baked span.
#[derive(Debug, Clone, PartialEq)]
pub struct Bake {
    /// The transforms baked, e.g. `FixedFunction:ACES_RedMod03`.
    pub what: Vec<String>,
    /// Lattice edge of the 3D LUT.
    pub size: usize,
    /// True when an asinh shaper runs before the 3D LUT.
    pub shaper: bool,
    /// The span's input range found from the probe, per channel.
    pub domain: ([f32; 3], [f32; 3]),
    /// Worst error of the span against OCIO's span (abs up to 1, rel above).
    pub span_error: f64,
}

/// Worst channel difference, absolute up to 1 and relative above; pixels
/// where OCIO gives a NaN or infinity are not counted.
pub(super) fn worst(got: &[f32], want: &[f32]) -> f64 {
    got.chunks_exact(4)
        .zip(want.chunks_exact(4))
        .flat_map(|(g, w)| (0..3).map(move |c| (g[c] as f64, w[c] as f64)))
        .filter(|(_, w)| w.is_finite())
        .map(|(g, w)| {
            let d = (g - w).abs() / w.abs().max(1.0);
            if d.is_nan() {
                f64::INFINITY
            } else {
                d
            }
        })
        .fold(0.0, f64::max)
}

/// Constant of the asinh shaper: below about this value it is linear.
const SHAPER_KNEE: f64 = 1.0 / 64.0;

/// A half-domain 1D LUT mapping `[lo, hi]` per channel onto [0, 1] by
/// `asinh(x / SHAPER_KNEE)`.
fn asinh_shaper(lo: [f32; 3], hi: [f32; 3]) -> Lut1d {
    let a = |x: f64| (x / SHAPER_KNEE).asinh();
    let table = (0..=u16::MAX)
        .map(|bits| {
            let v = half::f16::from_bits(bits).to_f32();
            let v = if v.is_nan() {
                0.0
            } else {
                v.clamp(-65504.0, 65504.0)
            } as f64;
            std::array::from_fn(|c| {
                let (l, h) = (a(lo[c] as f64), a(hi[c] as f64));
                ((a(v) - l) / (h - l)) as f32
            })
        })
        .collect();
    Lut1d {
        table,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        half_domain: true,
        direction: Direction::Forward,
    }
}

/// How a bake's lattice coordinate `t` in [0, 1] maps back to an input.
enum Placement {
    Uniform { lo: [f32; 3], hi: [f32; 3] },
    Shaper(crate::ops::lut1d::Lut1dPrepared, [f32; 3], [f32; 3]),
}

impl Placement {
    /// The input of channel `c` at lattice coordinate `t`.
    fn input(&self, c: usize, t: f64) -> f32 {
        match self {
            Placement::Uniform { lo, hi } => {
                (lo[c] as f64 + (hi[c] as f64 - lo[c] as f64) * t) as f32
            }
            Placement::Shaper(render, lo, hi) => {
                // Bisection on the shaper as grade evaluates it (increasing).
                let (mut a, mut b) = (lo[c] as f64, hi[c] as f64);
                for _ in 0..80 {
                    let m = 0.5 * (a + b);
                    if (render.half1(c, m as f32) as f64) < t {
                        a = m;
                    } else {
                        b = m;
                    }
                }
                b as f32
            }
        }
    }
}

/// Bakes transforms `start..end` of `processor` into ops.
pub(super) fn bake_span(
    processor: &Processor,
    start: usize,
    end: usize,
    what: Vec<String>,
    probe: &[f32],
) -> Result<(Vec<Op>, Bake)> {
    let before = processor.span(LEVEL, 0, start)?;
    let span = processor.span(LEVEL, start, end)?;
    let mut inputs = probe.to_vec();
    before.apply_rgba(&mut inputs)?;
    let mut lo = [f32::MAX; 3];
    let mut hi = [f32::MIN; 3];
    for px in inputs.chunks_exact(4) {
        for c in 0..3 {
            let v = px[c];
            if v.is_finite() {
                let v = v.clamp(-65504.0, 65504.0);
                lo[c] = lo[c].min(v);
                hi[c] = hi[c].max(v);
            }
        }
    }
    for c in 0..3 {
        if lo[c] > hi[c] {
            (lo[c], hi[c]) = (0.0, 1.0);
        }
        if hi[c] - lo[c] < 1e-6 {
            hi[c] = lo[c] + 1.0;
        }
    }
    let wide = (0..3).any(|c| lo[c] < -1.0 || hi[c] > 2.0);
    let (shaper, placement) = if wide {
        let s = asinh_shaper(lo, hi);
        let r = s.prepare();
        (Some(s), Placement::Shaper(r, lo, hi))
    } else {
        (None, Placement::Uniform { lo, hi })
    };

    // Measurement inputs: the span's inputs from the probe, then a grid
    // off the lattice of every size (coordinates (k + 0.5) / 37).
    const GRID: usize = 37;
    let coords: Vec<[f32; 3]> = (0..GRID)
        .map(|k| std::array::from_fn(|c| placement.input(c, (k as f64 + 0.5) / GRID as f64)))
        .collect();
    let mut measure = inputs;
    for b in 0..GRID {
        for g in 0..GRID {
            for r in 0..GRID {
                measure.extend_from_slice(&[coords[r][0], coords[g][1], coords[b][2], 1.0]);
            }
        }
    }
    let mut want = measure.clone();
    span.apply_rgba(&mut want)?;

    let mut tried: Vec<(usize, f64, Vec<Op>)> = Vec::new();
    for &n in &BAKE_SIZES {
        let nodes: Vec<[f32; 3]> = (0..n)
            .map(|j| std::array::from_fn(|c| placement.input(c, j as f64 / (n - 1) as f64)))
            .collect();
        let data = crate::bake::sample_lattice(&nodes, |rgba| span.apply_rgba(rgba))?;
        let (domain_min, domain_max) = match placement {
            Placement::Uniform { lo, hi } => (lo, hi),
            Placement::Shaper(..) => ([0.0; 3], [1.0; 3]),
        };
        let lut = Op::Lut3d(Lut3d {
            size: n,
            data,
            domain_min,
            domain_max,
            interpolation: Interpolation::Tetrahedral,
            direction: Direction::Forward,
        });
        let ops: Vec<Op> = shaper.iter().cloned().map(Op::Lut1d).chain([lut]).collect();
        let mut got = measure.clone();
        crate::cpu::reference::apply(&Program { ops: ops.clone() }, &mut got);
        let err = worst(&got, &want);
        let done = err <= BAKE_BOUNDS[0];
        tried.push((n, err, ops));
        if done {
            break;
        }
    }
    let pick = BAKE_BOUNDS
        .iter()
        .find_map(|&bound| tried.iter().position(|t| t.1 <= bound))
        .unwrap_or_else(|| {
            (0..tried.len())
                .min_by(|&a, &b| tried[a].1.total_cmp(&tried[b].1))
                .unwrap_or(0)
        });
    let (size, span_error, ops) = tried.swap_remove(pick);
    Ok((
        ops,
        Bake {
            what,
            size,
            shaper: shaper.is_some(),
            domain: (lo, hi),
            span_error,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shaper_placement_inverts_the_table() {
        let (lo, hi) = ([-0.25f32; 3], [256.0f32; 3]);
        let s = asinh_shaper(lo, hi).prepare();
        let p = Placement::Shaper(s.clone(), lo, hi);
        for k in 0..=16 {
            let t = k as f64 / 16.0;
            let x = p.input(1, t);
            assert!((s.half1(1, x) as f64 - t).abs() < 1e-6, "t {t}: x {x}");
        }
    }
}

//! The fast CPU executor. It is built once from a
//! [`PackedProgram`](crate::grade::packed::PackedProgram) (the same records
//! the GPU reads), then processes pixels in blocks: a block is split into
//! separate R, G and B arrays and each op runs as its own loop over the
//! block, with its constants hoisted and its style chosen once per block,
//! so the compiler can vectorise the arithmetic. No allocation per call.
//! It agrees with [`super::reference`] to 1e-6 (see the tests).

use rayon::prelude::*;

use crate::grade::packed::PackedProgram;
use crate::grade::PreparedOp;
use crate::ops::lut3d::Lut3dPrepared;
use crate::{Error, Result};

/// Pixels per block: three blocks of f32 fit easily in L1.
const BLOCK: usize = 512;

/// Pixels per parallel work item (about one row of a 4K frame).
const ROW: usize = 4096;

/// A program ready to run on the CPU.
#[derive(Debug, Clone)]
pub struct Executor {
    ops: Vec<PreparedOp>,
    /// 3D LUT lattices padded to four floats per entry (one 16-byte load
    /// per corner), by op index.
    lattices: Vec<Option<Vec<[f32; 4]>>>,
    /// Run the block loops compiled for AVX2 (detected at run time). The
    /// results are the same bits: no fused multiply-add is enabled.
    avx2: bool,
}

struct Block {
    r: [f32; BLOCK],
    g: [f32; BLOCK],
    b: [f32; BLOCK],
}

impl Executor {
    /// Reads the packed records back into prepared ops. A damaged record
    /// (unknown kind, table outside the data) is an error.
    pub fn new(packed: &PackedProgram) -> Result<Executor> {
        let ops = packed
            .unpack()
            .map_err(|e| Error::Internal(format!("packed program, {e}")))?;
        #[cfg(target_arch = "x86_64")]
        let avx2 = std::arch::is_x86_feature_detected!("avx2");
        #[cfg(not(target_arch = "x86_64"))]
        let avx2 = false;
        let lattices = ops
            .iter()
            .map(|op| match op {
                PreparedOp::Lut3d(l) if l.inverse.is_none() => {
                    Some(l.data.iter().map(|e| [e[0], e[1], e[2], 0.0]).collect())
                }
                _ => None,
            })
            .collect();
        Ok(Executor {
            ops,
            lattices,
            avx2,
        })
    }

    /// Applies the program to interleaved RGBA f32 pixels in place, on this
    /// thread. Alpha is untouched; a trailing partial pixel is left alone.
    pub fn apply(&self, rgba: &mut [f32]) {
        let whole = rgba.len() / 4 * 4;
        let mut block = Block {
            r: [0.0; BLOCK],
            g: [0.0; BLOCK],
            b: [0.0; BLOCK],
        };
        for chunk in rgba[..whole].chunks_mut(BLOCK * 4) {
            self.run_block(chunk, &mut block);
        }
    }

    /// As [`Executor::apply`], split into chunks of 4096 pixels run on
    /// rayon's current thread pool.
    pub fn apply_parallel(&self, rgba: &mut [f32]) {
        let whole = rgba.len() / 4 * 4;
        rgba[..whole]
            .par_chunks_mut(ROW * 4)
            .for_each(|chunk| self.apply(chunk));
    }

    fn run_block(&self, chunk: &mut [f32], blk: &mut Block) {
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: AVX2 was detected on this CPU in `Executor::new`.
            unsafe { self.run_block_avx2(chunk, blk) };
            return;
        }
        self.run_block_portable(chunk, blk);
    }

    /// The same loops compiled with AVX2 (wider vectors, gathers for LUTs).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn run_block_avx2(&self, chunk: &mut [f32], blk: &mut Block) {
        self.run_block_portable(chunk, blk);
    }

    #[inline(always)]
    fn run_block_portable(&self, chunk: &mut [f32], blk: &mut Block) {
        let n = chunk.len() / 4;
        let (r, g, b) = (&mut blk.r[..n], &mut blk.g[..n], &mut blk.b[..n]);
        for (((px, r), g), b) in chunk
            .chunks_exact(4)
            .zip(r.iter_mut())
            .zip(g.iter_mut())
            .zip(b.iter_mut())
        {
            *r = px[0];
            *g = px[1];
            *b = px[2];
        }
        for (op, lattice) in self.ops.iter().zip(&self.lattices) {
            match (op, lattice) {
                (PreparedOp::Lut3d(l), Some(d)) if !l.trilinear => {
                    #[cfg(target_arch = "x86_64")]
                    if self.avx2 {
                        // SAFETY: AVX2 was detected in `Executor::new`.
                        let done = unsafe { avx2::tetrahedral(l, d, r, g, b) };
                        tetrahedral4(l, d, &mut r[done..], &mut g[done..], &mut b[done..]);
                        continue;
                    }
                    tetrahedral4(l, d, r, g, b)
                }
                _ => op.apply_block(r, g, b),
            }
        }
        for (((px, r), g), b) in chunk
            .chunks_exact_mut(4)
            .zip(r.iter())
            .zip(g.iter())
            .zip(b.iter())
        {
            px[0] = *r;
            px[1] = *g;
            px[2] = *b;
        }
    }
}

/// Tetrahedral 3D LUT on a padded lattice: the same operations, lane by
/// lane, as [`crate::ops::lut3d`]'s, so the same bits; each corner is one
/// 16-byte load and the weighted sum runs on four lanes at once.
#[inline(always)]
fn tetrahedral4(l: &Lut3dPrepared, d: &[[f32; 4]], r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
    let last = d.len().saturating_sub(1);
    for i in 0..r.len().min(g.len()).min(b.len()) {
        let cell = l.cell([r[i], g[i], b[i]]);
        let (n0, n1, n2, n3, w) = cell.tetrahedral_walk();
        let (p0, p1, p2, p3) = (
            d[n0.min(last)],
            d[n1.min(last)],
            d[n2.min(last)],
            d[n3.min(last)],
        );
        let mut out = [0.0f32; 4];
        for k in 0..4 {
            out[k] = w[0] * p0[k] + w[1] * p1[k] + w[2] * p2[k] + w[3] * p3[k];
        }
        r[i] = out[0];
        g[i] = out[1];
        b[i] = out[2];
    }
}

/// Tetrahedral 3D LUT eight pixels at a time with AVX2 gathers. Every step
/// is the scalar path's operation on eight lanes (no fused multiply-add),
/// so the results are the same bits.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use crate::ops::lut3d::Lut3dPrepared;
    use std::arch::x86_64::*;

    /// Processes the first `len - len % 8` pixels and returns that count.
    #[target_feature(enable = "avx2")]
    pub unsafe fn tetrahedral(
        l: &Lut3dPrepared,
        d: &[[f32; 4]],
        r: &mut [f32],
        g: &mut [f32],
        b: &mut [f32],
    ) -> usize {
        let len = r.len().min(g.len()).min(b.len());
        let n = l.size as i32;
        if d.len() != (n * n * n) as usize || n < 2 {
            return 0;
        }
        let last = _mm256_set1_ps((n - 1) as f32);
        let zero = _mm256_setzero_ps();
        let one = _mm256_set1_ps(1.0);
        let stride = [
            _mm256_set1_epi32(1),
            _mm256_set1_epi32(n),
            _mm256_set1_epi32(n * n),
        ];
        let last_entry = _mm256_set1_epi32(n * n * n - 1);
        let base_ptr = d.as_ptr() as *const f32;
        let mut i = 0;
        while i + 8 <= len {
            let chans = [
                _mm256_loadu_ps(r.as_ptr().add(i)),
                _mm256_loadu_ps(g.as_ptr().add(i)),
                _mm256_loadu_ps(b.as_ptr().add(i)),
            ];
            let mut f = [zero; 3];
            let mut lo = [_mm256_setzero_si256(); 3];
            let mut step = [_mm256_setzero_si256(); 3];
            for c in 0..3 {
                let x = _mm256_sub_ps(chans[c], _mm256_set1_ps(l.domain_min[c]));
                let x = _mm256_mul_ps(x, _mm256_set1_ps(l.scale[c]));
                // max(x, 0) returns 0 for NaN, as f32::max does.
                let idx = _mm256_min_ps(_mm256_max_ps(x, zero), last);
                lo[c] = _mm256_cvttps_epi32(idx);
                let lf = _mm256_cvtepi32_ps(lo[c]);
                f[c] = _mm256_sub_ps(idx, lf);
                let up = _mm256_castps_si256(_mm256_cmp_ps::<_CMP_GT_OQ>(idx, lf));
                step[c] = _mm256_and_si256(up, stride[c]);
            }
            let base = _mm256_add_epi32(
                lo[0],
                _mm256_mullo_epi32(
                    _mm256_set1_epi32(n),
                    _mm256_add_epi32(lo[1], _mm256_mullo_epi32(_mm256_set1_epi32(n), lo[2])),
                ),
            );
            // Sort the fractions, largest first, carrying the strides.
            let (mut a, mut sa) = (f[0], step[0]);
            let (mut bb, mut s2) = (f[1], step[1]);
            let (mut c, mut s3) = (f[2], step[2]);
            let swap = |x: &mut __m256, sx: &mut __m256i, y: &mut __m256, sy: &mut __m256i| {
                // Swap where y > x.
                let m = _mm256_cmp_ps::<_CMP_GT_OQ>(*y, *x);
                let mi = _mm256_castps_si256(m);
                let (nx, ny) = (_mm256_blendv_ps(*x, *y, m), _mm256_blendv_ps(*y, *x, m));
                let (nsx, nsy) = (
                    _mm256_blendv_epi8(*sx, *sy, mi),
                    _mm256_blendv_epi8(*sy, *sx, mi),
                );
                *x = nx;
                *y = ny;
                *sx = nsx;
                *sy = nsy;
            };
            swap(&mut a, &mut sa, &mut bb, &mut s2);
            swap(&mut bb, &mut s2, &mut c, &mut s3);
            swap(&mut a, &mut sa, &mut bb, &mut s2);
            let n0 = base;
            let n1 = _mm256_add_epi32(n0, sa);
            let n2 = _mm256_add_epi32(n1, s2);
            let n3 = _mm256_add_epi32(n2, s3);
            let w = [
                _mm256_sub_ps(one, a),
                _mm256_sub_ps(a, bb),
                _mm256_sub_ps(bb, c),
                c,
            ];
            // Four floats per entry; `min` keeps every gather inside the lattice.
            let corner = |v: __m256i| _mm256_slli_epi32::<2>(_mm256_min_epi32(v, last_entry));
            let corners = [corner(n0), corner(n1), corner(n2), corner(n3)];
            for (k, out) in [r.as_mut_ptr(), g.as_mut_ptr(), b.as_mut_ptr()]
                .into_iter()
                .enumerate()
            {
                let kk = _mm256_set1_epi32(k as i32);
                let p =
                    |j: usize| _mm256_i32gather_ps::<4>(base_ptr, _mm256_add_epi32(corners[j], kk));
                let mut acc = _mm256_mul_ps(w[0], p(0));
                acc = _mm256_add_ps(acc, _mm256_mul_ps(w[1], p(1)));
                acc = _mm256_add_ps(acc, _mm256_mul_ps(w[2], p(2)));
                acc = _mm256_add_ps(acc, _mm256_mul_ps(w[3], p(3)));
                _mm256_storeu_ps(out.add(i), acc);
            }
            i += 8;
        }
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::dense::dense_rgba;
    use crate::grade::samples::{cdl, every_op, lut3d};
    use crate::grade::{Op, Program};
    use crate::ops::{CdlStyle, Direction, Interpolation};

    /// Largest difference between the fast and the reference executor,
    /// relative to max(1, |reference|).
    fn worst(p: &Program, parallel: bool) -> f32 {
        let input = dense_rgba();
        let mut want = input.clone();
        super::super::reference::apply(p, &mut want);
        let mut got = input;
        let exec = Executor::new(&p.pack()).unwrap();
        if parallel {
            exec.apply_parallel(&mut got);
        } else {
            exec.apply(&mut got);
        }
        let mut worst = 0.0f32;
        for (a, b) in want.iter().zip(&got) {
            if a.is_nan() && b.is_nan() {
                continue;
            }
            worst = worst.max((a - b).abs() / a.abs().max(1.0));
        }
        worst
    }

    #[test]
    fn every_op_kind_and_style_agrees_with_the_reference() {
        for op in every_op() {
            let name = format!("{op:?}").chars().take(60).collect::<String>();
            let p = Program { ops: vec![op] };
            let w = worst(&p, false);
            // 1e-6 relative to max(1, |value|), the contract with the reference.
            assert!(w <= 1e-6, "{name}: {w}");
        }
    }

    #[test]
    fn tetrahedral_lut_gives_the_reference_bits() {
        // The AVX2 and padded-lattice paths do the reference's operations
        // lane by lane: no tolerance.
        for n in [2, 17, 33] {
            let p = Program {
                ops: vec![Op::Lut3d(lut3d(n, Interpolation::Tetrahedral))],
            };
            assert_eq!(worst(&p, false), 0.0, "size {n}");
        }
    }

    #[test]
    fn log_exponent_aces_and_curve_blocks_give_the_reference_bits() {
        // Their powers, logs, exponentials and atan2 run through
        // `ops::mathf_lanes` and their curves lane by lane: the reference's
        // operations, so its bits (which the GPU gives too).
        let input = dense_rgba();
        for op in every_op() {
            if !matches!(
                op,
                Op::Log(_) | Op::Exponent(_) | Op::Aces(_) | Op::RgbCurve(_)
            ) {
                continue;
            }
            let name = format!("{op:?}").chars().take(60).collect::<String>();
            let p = Program { ops: vec![op] };
            let mut want = input.clone();
            super::super::reference::apply(&p, &mut want);
            let mut got = input.clone();
            Executor::new(&p.pack()).unwrap().apply(&mut got);
            let differ = want
                .iter()
                .zip(&got)
                .filter(|(a, b)| a.to_bits() != b.to_bits() && !(a.is_nan() && b.is_nan()))
                .count();
            assert_eq!(differ, 0, "{name}");
        }
    }

    #[test]
    fn a_whole_chain_agrees_in_parallel_too() {
        let p = Program { ops: every_op() };
        let w = worst(&p, true);
        println!(
            "chain of {} ops: worst relative difference {w:e}",
            p.ops.len()
        );
        assert!(w <= 1e-6, "{w}");
    }

    #[test]
    fn partial_pixels_and_alpha_are_left_alone() {
        let p = Program {
            ops: vec![Op::Cdl(cdl(CdlStyle::Asc, Direction::Forward))],
        };
        let exec = Executor::new(&p.pack()).unwrap();
        let mut px = vec![0.5, 0.5, 0.5, 0.25, 9.0, 9.0];
        exec.apply(&mut px);
        assert_eq!(px[3], 0.25);
        assert_eq!(&px[4..], &[9.0, 9.0]);
        exec.apply(&mut []);
    }
}

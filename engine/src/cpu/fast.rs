//! The fast CPU executor. It is built once from a
//! [`PackedProgram`](crate::grade::packed::PackedProgram) (the same records
//! the GPU reads), then processes pixels in blocks: a block is split into
//! separate R, G and B arrays and each op runs as its own loop over the
//! block, with its constants hoisted and its style chosen once per block,
//! so the compiler can vectorise the arithmetic. No allocation per call.
//! It agrees with [`super::reference`] to 1e-6 (see the tests).

use rayon::prelude::*;

use crate::color::cdl::{power_clamped, power_no_clamp, CdlRender};
use crate::color::lut3d::{tetrahedral, trilinear, Lut3dRender};
use crate::color::{clamp_nan_lo, REC709_LUMA};
use crate::grade::packed::PackedProgram;
use crate::grade::OpRender;
use crate::Result;

/// Pixels per block: three blocks of f32 fit easily in L1.
const BLOCK: usize = 512;

/// Pixels per parallel work item (about one row of a 4K frame).
const ROW: usize = 4096;

/// A program ready to run on the CPU.
#[derive(Debug, Clone)]
pub struct Executor {
    ops: Vec<OpRender>,
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
            .ops
            .iter()
            .map(|r| OpRender::from_record(r, &packed.data))
            .collect::<Result<Vec<_>>>()?;
        Ok(Executor { ops })
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
        let n = chunk.len() / 4;
        for (i, px) in chunk.chunks_exact(4).enumerate() {
            blk.r[i] = px[0];
            blk.g[i] = px[1];
            blk.b[i] = px[2];
        }
        let (r, g, b) = (&mut blk.r[..n], &mut blk.g[..n], &mut blk.b[..n]);
        for op in &self.ops {
            run_op(op, r, g, b);
        }
        for (i, px) in chunk.chunks_exact_mut(4).enumerate() {
            px[0] = r[i];
            px[1] = g[i];
            px[2] = b[i];
        }
    }
}

/// Runs one op over a block.
fn run_op(op: &OpRender, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
    match op {
        OpRender::Matrix(m) => {
            let [m0, m1, m2] = m.rows;
            for i in 0..r.len().min(g.len()).min(b.len()) {
                let (x, y, z) = (r[i], g[i], b[i]);
                r[i] = m0[0] * x + m0[1] * y + m0[2] * z + m0[3];
                g[i] = m1[0] * x + m1[1] * y + m1[2] * z + m1[3];
                b[i] = m2[0] * x + m2[1] * y + m2[2] * z + m2[3];
            }
        }
        OpRender::Cdl(c) => match (c.reverse, c.clamp) {
            (false, true) => cdl_forward::<true>(c, r, g, b),
            (false, false) => cdl_forward::<false>(c, r, g, b),
            (true, true) => per_pixel(r, g, b, |p| c.reverse::<true>(p)),
            (true, false) => per_pixel(r, g, b, |p| c.reverse::<false>(p)),
        },
        OpRender::Lut3d(l) => lut3d(l, r, g, b),
        OpRender::Range(q) => {
            for ch in [r, g, b] {
                for v in ch.iter_mut() {
                    *v = q.apply1(*v);
                }
            }
        }
        OpRender::Lut1d(l) => {
            if l.inverse {
                per_channel(r, g, b, |c, x| l.inverse1(c, x));
            } else if l.half_domain {
                per_channel(r, g, b, |c, x| l.half1(c, x));
            } else {
                per_channel(r, g, b, |c, x| l.forward1(c, x));
            }
        }
        OpRender::Log(l) => per_channel(r, g, b, |c, x| l.apply1(c, x)),
        OpRender::Exponent(e) => per_channel(r, g, b, |c, x| e.apply1(c, x)),
        OpRender::Primary(p) => per_pixel(r, g, b, |px| p.apply(px)),
    }
}

#[inline(always)]
fn per_pixel(r: &mut [f32], g: &mut [f32], b: &mut [f32], f: impl Fn([f32; 3]) -> [f32; 3]) {
    for i in 0..r.len().min(g.len()).min(b.len()) {
        let [x, y, z] = f([r[i], g[i], b[i]]);
        r[i] = x;
        g[i] = y;
        b[i] = z;
    }
}

#[inline(always)]
fn per_channel(r: &mut [f32], g: &mut [f32], b: &mut [f32], f: impl Fn(usize, f32) -> f32) {
    for (c, ch) in [r, g, b].into_iter().enumerate() {
        for v in ch.iter_mut() {
            *v = f(c, *v);
        }
    }
}

/// Forward CDL in three passes over the block: slope/offset (and clamp),
/// power, then saturation (and clamp). The arithmetic passes vectorise.
fn cdl_forward<const CLAMP: bool>(c: &CdlRender, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
    for (ch, x) in [&mut *r, &mut *g, &mut *b].into_iter().enumerate() {
        let (s, o, p) = (c.slope[ch], c.offset[ch], c.power[ch]);
        if CLAMP {
            for v in x.iter_mut() {
                *v = power_clamped(*v * s + o, p);
            }
        } else {
            for v in x.iter_mut() {
                *v = power_no_clamp(*v * s + o, p);
            }
        }
    }
    let sat = c.saturation;
    let [wr, wg, wb] = REC709_LUMA;
    for i in 0..r.len().min(g.len()).min(b.len()) {
        let (x, y, z) = (r[i], g[i], b[i]);
        let luma = x * wr + y * wg + z * wb;
        let (x, y, z) = (
            luma + sat * (x - luma),
            luma + sat * (y - luma),
            luma + sat * (z - luma),
        );
        if CLAMP {
            r[i] = clamp_nan_lo(x, 0.0, 1.0);
            g[i] = clamp_nan_lo(y, 0.0, 1.0);
            b[i] = clamp_nan_lo(z, 0.0, 1.0);
        } else {
            r[i] = x;
            g[i] = y;
            b[i] = z;
        }
    }
}

fn lut3d(l: &Lut3dRender, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
    if l.trilinear {
        per_pixel(r, g, b, |p| trilinear(&l.data, l.cell(p)));
    } else {
        per_pixel(r, g, b, |p| tetrahedral(&l.data, l.cell(p)));
    }
}

//! The lut3d op's prepared constants ([`Lut3dPrepared`]): what both CPU
//! executors run per pixel and what its packed record carries.
//!
//! Record layout: flags bit3 `LUT3D_TRILINEAR`; n, data: n = edge size, n^3*3
//! floats at `data`, red fastest: `((b*n+g)*n+r)*3+c`; p: p0 =
//! domain_min.rgb, p1 = domain_max.rgb, p2 = scale.rgb = (n-1)/(max-min):
//! `idx = clamp((in - p0) * p2, 0, n-1)`, NaN -> 0. Flag `INVERSE`: the
//! exact inverse ([`super::inverse`], whose docs give the table's layout:
//! the extrapolated lattice then the range tree's nodes); p2 = output per
//! lattice index = (max-min)/(n-1), p3 = (offset of the nodes after
//! `data`, level-0 node count, depth, node count); `out = idx * p2 + p0`.

#[allow(unused_imports)]
use super::*;
use super::inverse::{InverseLattice, Node, MAX_DEPTH};
use crate::grade::packed::{self, OpRecord};
use crate::ops::{per_pixel, record_table, rgb0, xyz, Prepared};
use std::sync::Arc;

/// A 3D LUT ready to apply: `idx = (in - domain_min) * scale`, clamped to
/// the lattice (NaN -> 0). The inverse keeps its lattice in `inverse`
/// (`data` is empty) and gives `idx * scale + domain_min`.
#[derive(Debug, Clone, PartialEq)]
pub struct Lut3dPrepared {
    pub size: usize,
    /// Red fastest: `data[r + size*(g + size*b)]`.
    pub data: Vec<[f32; 3]>,
    pub domain_min: [f32; 3],
    pub scale: [f32; 3],
    pub trilinear: bool,
    pub inverse: Option<Arc<InverseLattice>>,
}

/// Lattice position of one pixel: low corner, step to the high corner per
/// axis (0 at the top edge) and the fractions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cell {
    pub base: usize,
    pub step: [usize; 3],
    pub f: [f32; 3],
}

impl Lut3dPrepared {
    #[inline(always)]
    pub(crate) fn cell(&self, rgb: [f32; 3]) -> Cell {
        let last = (self.size - 1) as f32;
        let mut lo = [0usize; 3];
        let mut step = [0usize; 3];
        let mut f = [0.0f32; 3];
        let stride = [1, self.size, self.size * self.size];
        for c in 0..3 {
            let idx = ((rgb[c] - self.domain_min[c]) * self.scale[c])
                .max(0.0)
                .min(last);
            // idx is in [0, size-1] here (NaN became 0), so truncation is
            // floor and the conversion cannot overflow.
            // SAFETY: idx is finite and within [0, 128].
            let l = unsafe { idx.to_int_unchecked::<u32>() } as usize;
            let lf = l as f32;
            f[c] = idx - lf;
            lo[c] = l;
            step[c] = if idx > lf { stride[c] } else { 0 };
        }
        Cell {
            base: lo[0] + self.size * (lo[1] + self.size * lo[2]),
            step,
            f,
        }
    }

    #[inline(always)]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        if let Some(inv) = &self.inverse {
            return self.inverse_apply(inv, rgb);
        }
        let cell = self.cell(rgb);
        if self.trilinear {
            trilinear(&self.data, cell)
        } else {
            tetrahedral(&self.data, cell)
        }
    }
}

impl Lut3dPrepared {
    /// The exact inverse: the lattice position, scaled into the domain.
    #[inline(always)]
    fn inverse_apply(&self, inv: &InverseLattice, rgb: [f32; 3]) -> [f32; 3] {
        let idx = inv.apply(rgb);
        std::array::from_fn(|c| idx[c] * self.scale[c] + self.domain_min[c])
    }
}

/// OpenColorIO's tetrahedral interpolation, written without branches: the
/// three fractions are sorted (largest first) with their lattice strides,
/// and the walk from the low corner to the high corner follows that order.
/// Weights `(1-a, a-b, b-c, c)` summed in OpenColorIO's order give the same
/// bits as its six-way branch: where fractions tie, the corners that differ
/// get weight 0.
#[inline(always)]
pub(crate) fn tetrahedral(d: &[[f32; 3]], cell: Cell) -> [f32; 3] {
    let (n0, n1, n2, n3, w) = cell.tetrahedral_walk();
    // The cell is inside the lattice; `min` only lets the compiler drop the
    // bounds checks.
    let last = d.len().saturating_sub(1);
    let (p0, p1, p2, p3) = (
        d[n0.min(last)],
        d[n1.min(last)],
        d[n2.min(last)],
        d[n3.min(last)],
    );
    let mut out = [0.0f32; 3];
    for k in 0..3 {
        out[k] = w[0] * p0[k] + w[1] * p1[k] + w[2] * p2[k] + w[3] * p3[k];
    }
    out
}

impl Cell {
    /// The four corners of the tetrahedron holding the point and their
    /// weights: `(n0, n1, n2, n3, weights)`.
    #[inline(always)]
    pub(crate) fn tetrahedral_walk(&self) -> (usize, usize, usize, usize, [f32; 4]) {
        let [fx, fy, fz] = self.f;
        let [sr, sg, sb] = self.step;
        let (mut a, mut sa, mut b, mut s2, mut c, mut s3) = (fx, sr, fy, sg, fz, sb);
        if b > a {
            std::mem::swap(&mut a, &mut b);
            std::mem::swap(&mut sa, &mut s2);
        }
        if c > b {
            std::mem::swap(&mut b, &mut c);
            std::mem::swap(&mut s2, &mut s3);
        }
        if b > a {
            std::mem::swap(&mut a, &mut b);
            std::mem::swap(&mut sa, &mut s2);
        }
        let n0 = self.base;
        let n1 = n0 + sa;
        let n2 = n1 + s2;
        let n3 = n2 + s3;
        (n0, n1, n2, n3, [1.0 - a, a - b, b - c, c])
    }
}

/// OpenColorIO's trilinear interpolation: blue, then green, then red.
#[inline(always)]
pub(crate) fn trilinear(d: &[[f32; 3]], cell: Cell) -> [f32; 3] {
    let [fr, fg, fb] = cell.f;
    let [sr, sg, sb] = cell.step;
    let n = cell.base;
    let last = d.len().saturating_sub(1);
    let v = |i: usize| d[i.min(last)];
    let lerp = |a: [f32; 3], b: [f32; 3], w: f32| {
        let iw = 1.0 - w;
        [
            a[0] * iw + b[0] * w,
            a[1] * iw + b[1] * w,
            a[2] * iw + b[2] * w,
        ]
    };
    let b1 = lerp(v(n), v(n + sb), fb);
    let b2 = lerp(v(n + sg), v(n + sg + sb), fb);
    let b3 = lerp(v(n + sr), v(n + sr + sb), fb);
    let b4 = lerp(v(n + sr + sg), v(n + sr + sg + sb), fb);
    let g1 = lerp(b1, b2, fg);
    let g2 = lerp(b3, b4, fg);
    lerp(g1, g2, fr)
}

impl Prepared for Lut3dPrepared {
    #[inline(always)]
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        Lut3dPrepared::apply(self, rgb)
    }

    /// The fast executor runs tetrahedral LUTs on its own padded lattice
    /// (`cpu/fast.rs`); this is the path for the others.
    #[inline(always)]
    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        if let Some(inv) = &self.inverse {
            per_pixel(r, g, b, |p| self.inverse_apply(inv, p));
        } else if self.trilinear {
            per_pixel(r, g, b, |p| trilinear(&self.data, self.cell(p)));
        } else {
            per_pixel(r, g, b, |p| tetrahedral(&self.data, self.cell(p)));
        }
    }

    /// Flag `LUT3D_TRILINEAR`; n = edge size, n^3 RGB entries at `data`, red
    /// fastest; p0 = domain_min, p1 = domain_max, p2 = scale.
    fn pack(&self, record: &mut OpRecord, data: &mut Vec<f32>) {
        let l = self;
        if l.trilinear {
            record.flags |= packed::LUT3D_TRILINEAR;
        }
        record.n = l.size as u32;
        record.data = data.len() as u32;
        record.p[0] = rgb0(l.domain_min);
        record.p[2] = rgb0(l.scale);
        let steps = l.size as f32 - 1.0;
        if let Some(inv) = &l.inverse {
            record.flags |= packed::INVERSE;
            data.extend(&inv.lattice);
            data.extend(inv.nodes.iter().flatten());
            record.p[1] = rgb0(std::array::from_fn(|c| l.domain_min[c] + steps * l.scale[c]));
            record.p[3] = [
                inv.lattice.len() as f32,
                inv.top as f32,
                inv.depth as f32,
                inv.nodes.len() as f32,
            ];
            return;
        }
        data.extend(l.data.iter().flatten());
        record.p[1] = rgb0(std::array::from_fn(|c| l.domain_min[c] + steps / l.scale[c]));
    }

    fn unpack(record: &OpRecord, data: &[f32]) -> Result<Self, String> {
        let n = record.n as usize;
        if !(2..=MAX_LUT3D_SIZE).contains(&n) {
            return Err("3D LUT size out of range".into());
        }
        let inverse = record.flags & packed::INVERSE != 0;
        Ok(Lut3dPrepared {
            size: n,
            data: if inverse {
                Vec::new()
            } else {
                record_table(record, data, n * n * n)?
            },
            domain_min: xyz(record.p[0]),
            scale: xyz(record.p[2]),
            trilinear: record.flags & packed::LUT3D_TRILINEAR != 0,
            inverse: if inverse {
                Some(unpack_inverse(record, data, n)?)
            } else {
                None
            },
        })
    }
}

/// The inverse's lattice and tree from a record, checked.
fn unpack_inverse(
    record: &OpRecord,
    data: &[f32],
    n: usize,
) -> Result<Arc<InverseLattice>, String> {
    let g = n + 2;
    let lattice_len = g * g * g * 3;
    let [offset, top, depth, count] = record.p[3];
    let whole = |x: f32| x >= 0.0 && x.fract() == 0.0 && x < 16_777_216.0;
    if !(whole(offset) && whole(top) && whole(depth) && whole(count))
        || offset as usize != lattice_len
        || depth as usize > MAX_DEPTH
    {
        return Err("inverse 3D LUT record with a bad tree".into());
    }
    let start = record.data as usize;
    let nodes_end = start + lattice_len + count as usize * 8;
    let table = data
        .get(start..nodes_end)
        .ok_or("inverse 3D LUT table outside the data array")?;
    let (lattice, nodes) = table.split_at(lattice_len);
    let inv = InverseLattice {
        size: n,
        lattice: lattice.to_vec(),
        nodes: nodes
            .chunks_exact(8)
            .map(|c| std::array::from_fn(|i| c[i]))
            .collect::<Vec<Node>>(),
        top: top as usize,
        depth: depth as usize,
    };
    inv.check()?;
    Ok(Arc::new(inv))
}

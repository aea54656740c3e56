//! The exact inverse of a tetrahedral 3D LUT, as OpenColorIO's CPU
//! renderer computes it (`InvLut3DRenderer` in `Lut3DOpCPU.cpp`, the
//! processor's `OPTIMIZATION_NONE` path; its GPU and `LUT_INV_FAST` bake a
//! 48^3 forward LUT instead).
//!
//! Set-up ([`InverseLattice::new`]): the lattice is extrapolated by one
//! point on every side (each outer value pushed away from 0.5 by a factor
//! of 4), and a range tree is built over its cubes: the leaves are the
//! cubes in Morton order (red bit weight 1, green 2, blue 4, most
//! significant level first, as OpenColorIO's hash), each with the min and
//! max of its eight corners widened by 1e-6, and each level above groups
//! the nodes of the level below that share a prefix. Per pixel
//! ([`InverseLattice::apply`]): the input, clamped to [0, 1] (NaN kept, so
//! it finds nothing), walks the tree depth first; the first leaf whose
//! range holds it and whose cube holds an exact tetrahedral preimage
//! (`invert_hypercube`: a simplex walk through the cube's six tetrahedra
//! with an updated LU factorisation, Gill, Murray and Wright) gives the
//! result; none gives 0.
//!
//! OpenColorIO solves in f64; here, and in `lut3d.wgsl`, in f32 so the
//! GPU repeats the CPU's bits on any adapter, with tolerances widened for
//! f32 (below). The difference is a few f32 ulp of the lattice index. The
//! WGSL twin writes the per-cube solve without loops and applies each
//! sweep to the later steps' vertices when it is made (the same operations
//! in the same order as the replay here): lavapipe stops every loop of a
//! shader after 65535 iterations in all, which a looped solve per cube
//! passed on 33^3 lattices (see the shader).
//!
//! Packed layout (after the record's `data`): the extrapolated lattice,
//! `(n+2)^3` RGB entries with **blue fastest** (OpenColorIO's order:
//! `((r*g + gr)*g + b)*3 + c`, g = n+2), then the tree's nodes, 8 floats
//! each: min.rgb, max.rgb, first child (node index, or for a leaf the
//! lattice offset in floats of its low corner) and child count (0 for a
//! leaf). Level 0 comes first; a node's children are contiguous.

use std::sync::Arc;

/// Widening of each cube's range, for rounding in the forward evaluation.
const RANGE_TOL: f32 = 1e-6;
/// Singularity and feasibility tolerances of `invert_hypercube`:
/// OpenColorIO's are 1e-9 in f64; in f32 the elimination's rounding is
/// about 1e-9 of a lattice step and a barycentric weight's about 1e-7, so
/// these are 1e-7 and 1e-6 (a point on a face between two cubes must be
/// inside one of them).
const ZERO_TOL: f32 = 1.0e-7;
const NEGZERO_TOL: f32 = -1.0e-6;
const ONE_TOL: f32 = 1.0 + 1.0e-6;
/// Deepest tree: lattices up to 2^8 = 256 points on an edge, above
/// `MAX_LUT3D_SIZE` (`lut3d.wgsl` keeps its walk's stacks in 8 slots).
pub const MAX_DEPTH: usize = 8;
/// At most three sweeps per step of the walk, eight steps.
const MAX_SWEEPS: usize = 24;

/// The walk through one cube: per step, whether to back-substitute, the
/// entering column, the new corner and the path its solution takes.
const OPS: [bool; 8] = [false, false, true, true, true, true, true, true];
const ENTERING: [usize; 8] = [2, 1, 0, 2, 0, 2, 0, 2];
const NEW_VERTS: [[usize; 3]; 8] = [
    [1, 0, 0],
    [1, 1, 1],
    [1, 1, 0],
    [0, 1, 0],
    [0, 1, 1],
    [0, 0, 1],
    [1, 0, 1],
    [1, 0, 0],
];
const PATH: [usize; 24] = [
    0, 0, 0, 0, 0, 0, 0, 1, 2, 1, 0, 2, 1, 2, 0, 2, 1, 0, 2, 0, 1, 0, 2, 1,
];
const PATH_ORDER: [usize; 3] = [1, 0, 2];

/// One node of the range tree.
pub type Node = [f32; 8];

/// The extrapolated lattice and its range tree, shared by the prepared op
/// and its packed record.
#[derive(Debug, Clone, PartialEq)]
pub struct InverseLattice {
    /// Edge of the original lattice.
    pub size: usize,
    /// `(size+2)^3 * 3` floats, blue fastest.
    pub lattice: Vec<f32>,
    pub nodes: Vec<Node>,
    /// Nodes on level 0 (the first ones).
    pub top: usize,
    pub depth: usize,
}

/// Extrapolation of an outer lattice value (OpenColorIO `extrapolate`).
fn extrapolate(v: [f32; 3]) -> [f32; 3] {
    v.map(|x| (x - 0.5) * 4.0 + 0.5)
}

impl InverseLattice {
    /// Builds the extrapolated lattice and the tree from a forward lattice
    /// of edge `n` stored red fastest (`data[r + n*(g + n*b)]`).
    pub fn new(n: usize, data: &[[f32; 3]]) -> Arc<InverseLattice> {
        let g = n + 2;
        let mut lattice = vec![0.0f32; g * g * g * 3];
        // Every extended point takes the value of its nearest original
        // point, extrapolated where it lies outside.
        for i in 0..g {
            for j in 0..g {
                for k in 0..g {
                    let src = |x: usize| x.saturating_sub(1).min(n - 1);
                    let v = data[src(i) + n * (src(j) + n * src(k))];
                    let outer = [i, j, k].iter().any(|&x| x == 0 || x == g - 1);
                    let v = if outer { extrapolate(v) } else { v };
                    let at = ((i * g + j) * g + k) * 3;
                    lattice[at..at + 3].copy_from_slice(&v);
                }
            }
        }
        let (nodes, top, depth) = build_tree(&lattice, g);
        Arc::new(InverseLattice {
            size: n,
            lattice,
            nodes,
            top,
            depth,
        })
    }

    /// The lattice index (0..n-1 per channel) whose forward tetrahedral
    /// value is `rgb`.
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        // Clamp to [0, 1], keeping NaN (OpenColorIO's `Clamp`).
        // `f32::clamp` keeps NaN.
        let v = rgb.map(|x| x.clamp(0.0, 1.0));
        let mut result = [0.0f32; 3];
        let mut next = [0usize; MAX_DEPTH];
        let mut end = [0usize; MAX_DEPTH];
        end[0] = self.top;
        let mut level = 0usize;
        'walk: loop {
            while next[level] < end[level] {
                let node = self.nodes[next[level]];
                next[level] += 1;
                let inside = (0..3).all(|c| v[c] >= node[c] && v[c] <= node[3 + c]);
                if !inside {
                    continue;
                }
                if node[7] == 0.0 {
                    if let Some(x) = self.invert_cube(node[6] as usize, v) {
                        result = x;
                        break 'walk;
                    }
                } else if level + 1 < MAX_DEPTH {
                    level += 1;
                    next[level] = node[6] as usize;
                    end[level] = next[level] + node[7] as usize;
                }
            }
            if level == 0 {
                break;
            }
            level -= 1;
        }
        let last = (self.size - 1) as f32;
        result.map(|x| (x - 1.0).max(0.0).min(last))
    }

    /// `invert_hypercube` for three channels: the barycentric walk through
    /// the cube whose low corner is at `base` (floats into the lattice),
    /// giving the extended lattice position of `val` when the cube holds it.
    fn invert_cube(&self, base: usize, val: [f32; 3]) -> Option<[f32; 3]> {
        let gr = &self.lattice;
        let g = self.size + 2;
        let offs = [g * g * 3, g * 3, 3];
        let at = |i: usize| gr.get(i).copied().unwrap_or(0.0);
        let mut row = [0usize, 1, 2];
        let mut col = [0usize, 1, 2];
        let mut sweep_to = [0usize; MAX_SWEEPS];
        let mut sweep_from = [0usize; MAX_SWEEPS];
        let mut sweep_f = [0.0f32; MAX_SWEEPS];
        let mut sweeps = 0usize;
        let base_vert = [at(base), at(base + 1), at(base + 2)];
        let mut y = [0.0f32; 3];
        for i in 0..3 {
            y[i] = val[i] - base_vert[i];
        }
        let mut u = [[1.0f32, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
        let mut x = [0.0f32; 3];
        let mut infeasible = false;
        for step in 0..8 {
            let entering = ENTERING[step];
            let nv = NEW_VERTS[step];
            let corner = base + nv[0] * offs[0] + nv[1] * offs[1] + nv[2] * offs[2];
            let mut new_vert = [0.0f32; 3];
            for j in 0..3 {
                new_vert[j] = at(corner + j) - base_vert[j];
            }
            for s in 0..sweeps {
                new_vert[sweep_to[s]] -= sweep_f[s] * new_vert[sweep_from[s]];
            }
            let mut leaving = 0usize;
            for j in 0..3 {
                u[j][entering] = new_vert[j];
                if col[j] == entering {
                    leaving = j + 1;
                }
            }
            // leaving >= 1: `col` is a permutation.
            if leaving <= 1 {
                let t = col[leaving - 1];
                for j in leaving - 1..1 {
                    col[j] = col[j + 1];
                }
                col[1] = t;
            }
            for j in leaving - 1..2 {
                let mut piv = j;
                let mut col_piv = j;
                let mut abs_d = u[row[j]][col[j]].abs();
                for k in j + 1..3 {
                    let abs_n = u[row[k]][col[j]].abs();
                    if abs_n > abs_d {
                        abs_d = abs_n;
                        piv = k;
                    }
                }
                if abs_d < ZERO_TOL {
                    // Rank-revealing: look for a pivot in the later columns.
                    for h in j + 1..3 {
                        for k in j..3 {
                            let abs_n = u[row[k]][col[h]].abs();
                            if abs_n > abs_d {
                                abs_d = abs_n;
                                piv = k;
                                col_piv = h;
                            }
                        }
                        if abs_d > ZERO_TOL {
                            col.swap(j, col_piv);
                        }
                    }
                }
                if piv != j {
                    row.swap(j, piv);
                }
                let denom = u[row[j]][col[j]];
                // OpenColorIO divides by a singular pivot too (after its
                // rank-revealing search swaps a column back), and goes on
                // with infinities; GPUs need not keep IEEE infinities and
                // NaN, so a singular pivot eliminates nothing here.
                let singular = denom.abs() < ZERO_TOL;
                for h in j + 1..3 {
                    let num = u[row[h]][col[j]];
                    if num.abs() >= ZERO_TOL && !singular && sweeps < MAX_SWEEPS {
                        let f = num / denom;
                        u[row[h]][col[j]] = 0.0;
                        for k in j + 1..3 {
                            u[row[h]][col[k]] -= f * u[row[j]][col[k]];
                        }
                        y[row[h]] -= f * y[row[j]];
                        sweep_to[sweeps] = row[h];
                        sweep_from[sweeps] = row[j];
                        sweep_f[sweeps] = f;
                        sweeps += 1;
                    }
                }
            }
            if !OPS[step] {
                continue;
            }

            let mut sum = 0.0f32;
            for js in (0..3).rev() {
                let denom = u[row[js]][col[js]];
                if denom.abs() < ZERO_TOL {
                    if y[row[js]].abs() > ZERO_TOL {
                        infeasible = true;
                        break;
                    }
                    x[js] = 0.0;
                    infeasible = false;
                } else {
                    let mut sm = 0.0f32;
                    for k in js + 1..3 {
                        sm += u[row[js]][col[k]] * x[k];
                    }
                    let t = (y[row[js]] - sm) / denom;
                    infeasible = t < NEGZERO_TOL;
                    if infeasible {
                        break;
                    }
                    sum += t;
                    infeasible = sum > ONE_TOL;
                    if infeasible {
                        break;
                    }
                    x[js] = t;
                }
            }
            if !infeasible {
                let mut x2 = [0.0f32; 3];
                for j in 0..3 {
                    x2[col[j]] = x[j];
                }
                let mut out = [0.0f32; 3];
                let t = step * 3 + 2;
                out[PATH[t]] = x2[PATH_ORDER[0]];
                for j in 1..3 {
                    out[PATH[t - j]] = x2[PATH_ORDER[j]] + out[PATH[t - j + 1]];
                }
                // The cube's low corner, in extended lattice indices.
                let cube = base / 3;
                let guess = [cube / (g * g), cube / g % g, cube % g];
                for j in 0..3 {
                    out[j] += guess[j] as f32;
                }
                return Some(out);
            }
        }
        None
    }

    /// Checks what [`InverseLattice::apply`] relies on, for a record read
    /// back: node links and leaf offsets inside their tables.
    pub fn check(&self) -> Result<(), String> {
        let g = self.size + 2;
        if self.lattice.len() != g * g * g * 3 {
            return Err("inverse 3D LUT lattice of the wrong size".into());
        }
        if self.depth == 0 || self.depth > MAX_DEPTH || self.top > self.nodes.len() {
            return Err("inverse 3D LUT tree out of range".into());
        }
        let corner_max = (g * g + g + 1) * 3 + 3;
        for node in &self.nodes {
            let (first, count) = (node[6], node[7]);
            if !(first >= 0.0 && count >= 0.0 && first.fract() == 0.0 && count.fract() == 0.0) {
                return Err("inverse 3D LUT tree node with a bad link".into());
            }
            let (first, count) = (first as usize, count as usize);
            let fits = if count == 0 {
                first % 3 == 0 && first + corner_max <= self.lattice.len()
            } else {
                first + count <= self.nodes.len()
            };
            if !fits {
                return Err("inverse 3D LUT tree node outside its table".into());
            }
        }
        Ok(())
    }
}

/// Morton key of a cube (or a prefix of one): red bit weight 1, green 2,
/// blue 4, most significant bit first.
fn morton(idx: [usize; 3], bits: usize) -> u64 {
    let mut key = 0u64;
    for level in (0..bits).rev() {
        let digit = (0..3).map(|c| ((idx[c] >> level) & 1) << c).sum::<usize>();
        key = key * 8 + digit as u64;
    }
    key
}

/// The range tree over the cubes of an extended lattice of edge `g`:
/// (nodes, level-0 node count, depth).
fn build_tree(lattice: &[f32], g: usize) -> (Vec<Node>, usize, usize) {
    let m = g - 1;
    // Bits of the largest cube index (OpenColorIO: frexp(g - 2)).
    let depth = (usize::BITS - (g - 2).leading_zeros()) as usize;
    let mut cubes: Vec<(u64, [usize; 3])> = Vec::with_capacity(m * m * m);
    for i in 0..m {
        for j in 0..m {
            for k in 0..m {
                cubes.push((morton([i, j, k], depth), [i, j, k]));
            }
        }
    }
    cubes.sort_unstable_by_key(|c| c.0);
    let corners = [
        0,
        1,
        g,
        g + 1,
        g * g,
        g * g + 1,
        g * g + g,
        g * g + g + 1,
    ];
    // Levels from the leaves up: (key, node).
    let mut levels: Vec<Vec<(u64, Node)>> = Vec::with_capacity(depth);
    let leaves = cubes
        .iter()
        .map(|&(key, [i, j, k])| {
            let base = (i * g + j) * g + k;
            let mut lo = [0.0f32; 3];
            let mut hi = [0.0f32; 3];
            for c in 0..3 {
                lo[c] = lattice[base * 3 + c];
                hi[c] = lo[c];
            }
            for off in &corners[1..] {
                for c in 0..3 {
                    let v = lattice[(base + off) * 3 + c];
                    lo[c] = lo[c].min(v);
                    hi[c] = hi[c].max(v);
                }
            }
            let node = [
                lo[0] - RANGE_TOL,
                lo[1] - RANGE_TOL,
                lo[2] - RANGE_TOL,
                hi[0] + RANGE_TOL,
                hi[1] + RANGE_TOL,
                hi[2] + RANGE_TOL,
                (base * 3) as f32,
                0.0,
            ];
            (key, node)
        })
        .collect();
    levels.push(leaves);
    while levels.len() < depth {
        let below = levels.last().map_or(&[][..], |v| &v[..]);
        let mut up: Vec<(u64, Node)> = Vec::new();
        for (i, &(key, node)) in below.iter().enumerate() {
            let parent = key >> 3;
            match up.last_mut() {
                Some((k, p)) if *k == parent => {
                    for c in 0..3 {
                        p[c] = p[c].min(node[c]);
                        p[3 + c] = p[3 + c].max(node[3 + c]);
                    }
                    p[7] += 1.0;
                }
                _ => {
                    let mut p = node;
                    p[6] = i as f32;
                    p[7] = 1.0;
                    up.push((parent, p));
                }
            }
        }
        levels.push(up);
    }
    levels.reverse();
    // Flatten level 0 first; child links become absolute node indices.
    let mut nodes = Vec::new();
    let mut start = 0usize;
    for (l, level) in levels.iter().enumerate() {
        let next_start = start + level.len();
        for &(_, mut node) in level {
            if l + 1 < levels.len() {
                node[6] += next_start as f32;
            }
            nodes.push(node);
        }
        start = next_start;
    }
    let top = levels.first().map_or(0, |l| l.len());
    (nodes, top, depth)
}

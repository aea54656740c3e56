// 3D LUT: tetrahedral (OpenColorIO INTERP_BEST, ffmpeg) and trilinear
// interpolation in code from the `luts` buffer (program.wgsl), never by
// texture filtering. Inputs outside the domain clamp to it; NaN -> domain
// minimum. Rust twin: engine/src/ops/lut3d/prepared.rs.
// n = edge size, data = offset of n^3*3 floats, red fastest:
// ((b*n + g)*n + r)*3 + c. p0 = domain_min.rgb, p2 = scale.rgb
// = (n-1)/(max-min).

fn lut3d_at(op: OpRecord, r: u32, g: u32, b: u32) -> vec3<f32> {
    let i = op.data + ((b * op.n + g) * op.n + r) * 3u;
    return vec3<f32>(luts[i], luts[i + 1u], luts[i + 2u]);
}

// Fractional lattice coordinates of `v`, clamped to [0, n-1].
fn lut3d_index(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    let last = f32(op.n - 1u);
    let t = (v - op.p[0].xyz) * op.p[2].xyz;
    return vec3<f32>(clamp_nan_lo(t.x, 0.0, last), clamp_nan_lo(t.y, 0.0, last), clamp_nan_lo(t.z, 0.0, last));
}

fn lut3d_tetrahedral(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    let idx = lut3d_index(v, op);
    let lo = floor(idx);
    let hi = ceil(idx);
    let f = idx - lo;
    let l = vec3<u32>(lo);
    let h = vec3<u32>(hi);
    let fx = f.x;
    let fy = f.y;
    let fz = f.z;
    // Corner names are v<r><g><b>, 0 = low, 1 = high (OpenColorIO's naming).
    let v000 = lut3d_at(op, l.x, l.y, l.z);
    let v111 = lut3d_at(op, h.x, h.y, h.z);
    if (fx > fy) {
        if (fy > fz) {
            let v100 = lut3d_at(op, h.x, l.y, l.z);
            let v110 = lut3d_at(op, h.x, h.y, l.z);
            return (1.0 - fx) * v000 + (fx - fy) * v100 + (fy - fz) * v110 + fz * v111;
        } else if (fx > fz) {
            let v100 = lut3d_at(op, h.x, l.y, l.z);
            let v101 = lut3d_at(op, h.x, l.y, h.z);
            return (1.0 - fx) * v000 + (fx - fz) * v100 + (fz - fy) * v101 + fy * v111;
        } else {
            let v001 = lut3d_at(op, l.x, l.y, h.z);
            let v101 = lut3d_at(op, h.x, l.y, h.z);
            return (1.0 - fz) * v000 + (fz - fx) * v001 + (fx - fy) * v101 + fy * v111;
        }
    } else {
        if (fz > fy) {
            let v001 = lut3d_at(op, l.x, l.y, h.z);
            let v011 = lut3d_at(op, l.x, h.y, h.z);
            return (1.0 - fz) * v000 + (fz - fy) * v001 + (fy - fx) * v011 + fx * v111;
        } else if (fz > fx) {
            let v010 = lut3d_at(op, l.x, h.y, l.z);
            let v011 = lut3d_at(op, l.x, h.y, h.z);
            return (1.0 - fy) * v000 + (fy - fz) * v010 + (fz - fx) * v011 + fx * v111;
        } else {
            let v010 = lut3d_at(op, l.x, h.y, l.z);
            let v110 = lut3d_at(op, h.x, h.y, l.z);
            return (1.0 - fy) * v000 + (fy - fx) * v010 + (fx - fz) * v110 + fz * v111;
        }
    }
}

// a*(1-w) + b*w, as the CPU's trilinear.
fn lerp3(a: vec3<f32>, b: vec3<f32>, w: f32) -> vec3<f32> {
    let iw = 1.0 - w;
    return a * iw + b * w;
}

// Trilinear: along blue, then green, then red (the CPU's order).
fn lut3d_trilinear(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    let idx = lut3d_index(v, op);
    let lo = floor(idx);
    let hi = ceil(idx);
    let f = idx - lo;
    let l = vec3<u32>(lo);
    let h = vec3<u32>(hi);
    let b1 = lerp3(lut3d_at(op, l.x, l.y, l.z), lut3d_at(op, l.x, l.y, h.z), f.z);
    let b2 = lerp3(lut3d_at(op, l.x, h.y, l.z), lut3d_at(op, l.x, h.y, h.z), f.z);
    let b3 = lerp3(lut3d_at(op, h.x, l.y, l.z), lut3d_at(op, h.x, l.y, h.z), f.z);
    let b4 = lerp3(lut3d_at(op, h.x, h.y, l.z), lut3d_at(op, h.x, h.y, h.z), f.z);
    let g1 = lerp3(b1, b2, f.y);
    let g2 = lerp3(b3, b4, f.y);
    return lerp3(g1, g2, f.x);
}

fn lut3d_apply(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    if ((op.flags & INVERSE) != 0u) {
        return lut3d_inverse(v, op);
    }
    if ((op.flags & LUT3D_TRILINEAR) != 0u) {
        return lut3d_trilinear(v, op);
    }
    return lut3d_tetrahedral(v, op);
}

// ---- The exact inverse (Rust twin: engine/src/ops/lut3d/inverse.rs) ----
// After `data`: the extrapolated lattice, (n+2)^3 RGB entries blue fastest,
// then the range tree's nodes (8 floats: min.rgb, max.rgb, first child or
// the leaf's lattice offset, child count, 0 for a leaf). p3 = (offset of
// the nodes after `data`, level-0 node count, depth, node count); p2 =
// output per lattice index. All in f32, as the CPU.

// The CPU's f32 tolerances (ONE_TOL is 1 + 1e-6 rounded to f32).
const LUT3D_INV_ZERO_TOL: f32 = 1.0e-7;
const LUT3D_INV_NEGZERO_TOL: f32 = -1.0e-6;
const LUT3D_INV_ONE_TOL: f32 = 1.00000095367431640625;
const LUT3D_INV_MAX_DEPTH: u32 = 8u;
const LUT3D_INV_MAX_SWEEPS: u32 = 24u;

const LUT3D_INV_ENTERING = array<u32, 8>(2u, 1u, 0u, 2u, 0u, 2u, 0u, 2u);
const LUT3D_INV_PATH = array<u32, 24>(
    0u, 0u, 0u, 0u, 0u, 0u, 0u, 1u, 2u, 1u, 0u, 2u, 1u, 2u, 0u, 2u, 1u, 0u, 2u, 0u, 1u, 0u, 2u, 1u,
);
const LUT3D_INV_PATH_ORDER = array<u32, 3>(1u, 0u, 2u);

fn lut3d_inv_at(op: OpRecord, i: u32) -> f32 {
    return luts[op.data + i];
}

struct Lut3dInvFound {
    ok: bool,
    x: vec3<f32>,
}

// No loops here: lavapipe (llvmpipe, Mesa 22.3) ends every loop of a
// shader once the invocations it runs together (8 on a 256-bit CPU) have
// run 65535 loop iterations in all (LP_MAX_TGSI_LOOP_ITERATIONS, shared
// by every loop), and a tree walk that solved each cube with loops (about
// 100 iterations a cube) passed that on 17^3 and larger lattices, leaving
// pixels with no cube found or a solve cut short where the CPU found one
// (alone, the same pixels were right). So the solve is straight-line code
// (the steps and their rows written out, calls the compiler inlines,
// indices that are constants there); the sweeps are applied to the later
// steps' vertices as they are made, rather than recorded and replayed, so
// each vertex takes the same sweeps in the same order as on the CPU. Only
// the walk loops, one node per iteration (a few thousand at most: 129^3
// gives the CPU's bits too).

// v[i] for i in 0..3, by selects.
fn lut3d_inv_c(v: vec3<f32>, i: u32) -> f32 {
    return select(select(v.x, v.y, i == 1u), v.z, i == 2u);
}

fn lut3d_inv_cu(v: vec3<u32>, i: u32) -> u32 {
    return select(select(v.x, v.y, i == 1u), v.z, i == 2u);
}

fn lut3d_inv_lane(i: u32) -> vec3<bool> {
    return vec3<u32>(0u, 1u, 2u) == vec3<u32>(i);
}

// v with v[i] = x.
fn lut3d_inv_set(v: vec3<f32>, i: u32, x: f32) -> vec3<f32> {
    return select(v, vec3<f32>(x), lut3d_inv_lane(i));
}

fn lut3d_inv_swap(v: vec3<u32>, a: u32, b: u32) -> vec3<u32> {
    let va = lut3d_inv_cu(v, a);
    let vb = lut3d_inv_cu(v, b);
    let w = select(v, vec3<u32>(vb), lut3d_inv_lane(a));
    return select(w, vec3<u32>(va), lut3d_inv_lane(b));
}

struct Lut3dInvMat {
    r0: vec3<f32>,
    r1: vec3<f32>,
    r2: vec3<f32>,
}

fn lut3d_inv_get(m: Lut3dInvMat, r: u32, c: u32) -> f32 {
    return lut3d_inv_c(select(select(m.r0, m.r1, r == 1u), m.r2, r == 2u), c);
}

fn lut3d_inv_put(m: Lut3dInvMat, r: u32, c: u32, x: f32) -> Lut3dInvMat {
    return Lut3dInvMat(
        select(m.r0, lut3d_inv_set(m.r0, c, x), r == 0u),
        select(m.r1, lut3d_inv_set(m.r1, c, x), r == 1u),
        select(m.r2, lut3d_inv_set(m.r2, c, x), r == 2u),
    );
}

// One sweep, v[dst] -= f * v[src], as the CPU's replay.
fn lut3d_inv_sweep(v: vec3<f32>, dst: u32, src: u32, f: f32) -> vec3<f32> {
    return lut3d_inv_set(v, dst, lut3d_inv_c(v, dst) - f * lut3d_inv_c(v, src));
}

// The solve's state: the factorised matrix, right-hand side, solution,
// row and column permutations, sweep count, the result, and each step's
// new vertex (less the base vertex) with the sweeps made so far.
struct Lut3dInvState {
    u: Lut3dInvMat,
    y: vec3<f32>,
    x: vec3<f32>,
    row: vec3<u32>,
    col: vec3<u32>,
    sweeps: u32,
    found: Lut3dInvFound,
    nv: array<vec3<f32>, 8>,
}

// |u[row[k]][col[h]]|
fn lut3d_inv_abs_at(st: ptr<function, Lut3dInvState>, k: u32, h: u32) -> f32 {
    return abs(lut3d_inv_get((*st).u, lut3d_inv_cu((*st).row, k), lut3d_inv_cu((*st).col, h)));
}

// One candidate of the pivot search.
fn lut3d_inv_try_pivot(
    st: ptr<function, Lut3dInvState>,
    k: u32,
    h: u32,
    abs_d: ptr<function, f32>,
    piv: ptr<function, u32>,
    col_piv: ptr<function, u32>,
) {
    let abs_n = lut3d_inv_abs_at(st, k, h);
    if (abs_n > *abs_d) {
        *abs_d = abs_n;
        *piv = k;
        *col_piv = h;
    }
}

// Rank-revealing search of column h (rows j..3), then the column swap.
fn lut3d_inv_reveal(
    st: ptr<function, Lut3dInvState>,
    j: u32,
    h: u32,
    abs_d: ptr<function, f32>,
    piv: ptr<function, u32>,
    col_piv: ptr<function, u32>,
) {
    if (j == 0u) {
        lut3d_inv_try_pivot(st, 0u, h, abs_d, piv, col_piv);
    }
    lut3d_inv_try_pivot(st, 1u, h, abs_d, piv, col_piv);
    lut3d_inv_try_pivot(st, 2u, h, abs_d, piv, col_piv);
    if (*abs_d > LUT3D_INV_ZERO_TOL) {
        (*st).col = lut3d_inv_swap((*st).col, j, *col_piv);
    }
}

// Row h less f times pivot row j (columns after j), the right-hand side
// and the later steps' vertices likewise.
fn lut3d_inv_eliminate(st: ptr<function, Lut3dInvState>, j: u32, h: u32, step: u32) {
    let rj = lut3d_inv_cu((*st).row, j);
    let cj = lut3d_inv_cu((*st).col, j);
    let denom = lut3d_inv_get((*st).u, rj, cj);
    // A singular pivot eliminates nothing (no infinities), as the CPU.
    let singular = abs(denom) < LUT3D_INV_ZERO_TOL;
    let rh = lut3d_inv_cu((*st).row, h);
    let num = lut3d_inv_get((*st).u, rh, cj);
    if (abs(num) < LUT3D_INV_ZERO_TOL || singular || (*st).sweeps >= LUT3D_INV_MAX_SWEEPS) {
        return;
    }
    let f = num / denom;
    var u = lut3d_inv_put((*st).u, rh, cj, 0.0);
    if (j == 0u) {
        let c1 = lut3d_inv_cu((*st).col, 1u);
        u = lut3d_inv_put(u, rh, c1, lut3d_inv_get(u, rh, c1) - f * lut3d_inv_get(u, rj, c1));
    }
    let c2 = lut3d_inv_cu((*st).col, 2u);
    u = lut3d_inv_put(u, rh, c2, lut3d_inv_get(u, rh, c2) - f * lut3d_inv_get(u, rj, c2));
    (*st).u = u;
    (*st).y = lut3d_inv_sweep((*st).y, rh, rj, f);
    if (step < 1u) {
        (*st).nv[1] = lut3d_inv_sweep((*st).nv[1], rh, rj, f);
    }
    if (step < 2u) {
        (*st).nv[2] = lut3d_inv_sweep((*st).nv[2], rh, rj, f);
    }
    if (step < 3u) {
        (*st).nv[3] = lut3d_inv_sweep((*st).nv[3], rh, rj, f);
    }
    if (step < 4u) {
        (*st).nv[4] = lut3d_inv_sweep((*st).nv[4], rh, rj, f);
    }
    if (step < 5u) {
        (*st).nv[5] = lut3d_inv_sweep((*st).nv[5], rh, rj, f);
    }
    if (step < 6u) {
        (*st).nv[6] = lut3d_inv_sweep((*st).nv[6], rh, rj, f);
    }
    if (step < 7u) {
        (*st).nv[7] = lut3d_inv_sweep((*st).nv[7], rh, rj, f);
    }
    (*st).sweeps = (*st).sweeps + 1u;
}

// Column j of the factorisation: pivot search (rank-revealing where the
// column is singular), row swap, elimination below the pivot.
fn lut3d_inv_pivot(st: ptr<function, Lut3dInvState>, j: u32, step: u32) {
    var piv = j;
    var col_piv = j;
    var abs_d = lut3d_inv_abs_at(st, j, j);
    if (j == 0u) {
        lut3d_inv_try_pivot(st, 1u, 0u, &abs_d, &piv, &col_piv);
    }
    lut3d_inv_try_pivot(st, 2u, j, &abs_d, &piv, &col_piv);
    if (abs_d < LUT3D_INV_ZERO_TOL) {
        if (j == 0u) {
            lut3d_inv_reveal(st, j, 1u, &abs_d, &piv, &col_piv);
        }
        lut3d_inv_reveal(st, j, 2u, &abs_d, &piv, &col_piv);
    }
    if (piv != j) {
        (*st).row = lut3d_inv_swap((*st).row, j, piv);
    }
    if (j == 0u) {
        lut3d_inv_eliminate(st, j, 1u, step);
    }
    lut3d_inv_eliminate(st, j, 2u, step);
}

// Back substitution of row r; `stop` where the CPU breaks.
fn lut3d_inv_back(
    st: ptr<function, Lut3dInvState>,
    r: u32,
    sum: ptr<function, f32>,
    infeasible: ptr<function, bool>,
    stop: ptr<function, bool>,
) {
    if (*stop) {
        return;
    }
    let rr = lut3d_inv_cu((*st).row, r);
    let u = (*st).u;
    let denom = lut3d_inv_get(u, rr, lut3d_inv_cu((*st).col, r));
    if (abs(denom) < LUT3D_INV_ZERO_TOL) {
        *infeasible = abs(lut3d_inv_c((*st).y, rr)) > LUT3D_INV_ZERO_TOL;
        if (!*infeasible) {
            (*st).x = lut3d_inv_set((*st).x, r, 0.0);
        }
    } else {
        var sm = 0.0;
        if (r < 1u) {
            sm = sm + lut3d_inv_get(u, rr, lut3d_inv_cu((*st).col, 1u)) * (*st).x.y;
        }
        if (r < 2u) {
            sm = sm + lut3d_inv_get(u, rr, lut3d_inv_cu((*st).col, 2u)) * (*st).x.z;
        }
        let t = (lut3d_inv_c((*st).y, rr) - sm) / denom;
        *infeasible = t < LUT3D_INV_NEGZERO_TOL;
        if (!*infeasible) {
            *sum = *sum + t;
            *infeasible = *sum > LUT3D_INV_ONE_TOL;
        }
        if (!*infeasible) {
            (*st).x = lut3d_inv_set((*st).x, r, t);
        }
    }
    *stop = *infeasible;
}

// One step of the walk through the cube's tetrahedra: the new vertex
// enters, the factorisation is updated, and from the third step on the
// solution is tried (OPS in inverse.rs).
fn lut3d_inv_step(st: ptr<function, Lut3dInvState>, step: u32, cube: vec3<f32>) {
    if ((*st).found.ok) {
        return;
    }
    let entering = LUT3D_INV_ENTERING[step];
    let nv = (*st).nv[step];
    var u = lut3d_inv_put((*st).u, 0u, entering, nv.x);
    u = lut3d_inv_put(u, 1u, entering, nv.y);
    (*st).u = lut3d_inv_put(u, 2u, entering, nv.z);
    let col = (*st).col;
    let leaving = select(select(select(0u, 1u, col.x == entering), 2u, col.y == entering), 3u, col.z == entering);
    // leaving >= 1: `col` is a permutation; 1 moves col[0] to col[1].
    if (leaving == 1u) {
        (*st).col = lut3d_inv_swap(col, 0u, 1u);
    }
    if (leaving <= 1u) {
        lut3d_inv_pivot(st, 0u, step);
    }
    if (leaving <= 2u) {
        lut3d_inv_pivot(st, 1u, step);
    }
    if (step < 2u) {
        return;
    }
    var sum = 0.0;
    var infeasible = false;
    var stop = false;
    lut3d_inv_back(st, 2u, &sum, &infeasible, &stop);
    lut3d_inv_back(st, 1u, &sum, &infeasible, &stop);
    lut3d_inv_back(st, 0u, &sum, &infeasible, &stop);
    if (infeasible) {
        return;
    }
    let x = (*st).x;
    let c = (*st).col;
    var x2 = lut3d_inv_set(vec3<f32>(0.0), c.x, x.x);
    x2 = lut3d_inv_set(x2, c.y, x.y);
    x2 = lut3d_inv_set(x2, c.z, x.z);
    let t = step * 3u + 2u;
    var out = lut3d_inv_set(vec3<f32>(0.0), LUT3D_INV_PATH[t], lut3d_inv_c(x2, LUT3D_INV_PATH_ORDER[0]));
    out = lut3d_inv_set(out, LUT3D_INV_PATH[t - 1u], lut3d_inv_c(x2, LUT3D_INV_PATH_ORDER[1]) + lut3d_inv_c(out, LUT3D_INV_PATH[t]));
    out = lut3d_inv_set(out, LUT3D_INV_PATH[t - 2u], lut3d_inv_c(x2, LUT3D_INV_PATH_ORDER[2]) + lut3d_inv_c(out, LUT3D_INV_PATH[t - 1u]));
    (*st).found.ok = true;
    (*st).found.x = out + cube;
}

// A lattice entry less the base vertex.
fn lut3d_inv_vert(op: OpRecord, at: u32, base_vert: vec3<f32>) -> vec3<f32> {
    return vec3<f32>(lut3d_inv_at(op, at), lut3d_inv_at(op, at + 1u), lut3d_inv_at(op, at + 2u)) - base_vert;
}

// `invert_hypercube` for three channels (OpenColorIO Lut3DOpCPU.cpp): the
// cube whose low corner is at float offset `base` of the lattice.
fn lut3d_invert_cube(op: OpRecord, base: u32, val: vec3<f32>) -> Lut3dInvFound {
    let g = op.n + 2u;
    let dr = g * g * 3u;
    let dg = g * 3u;
    let base_vert = lut3d_inv_vert(op, base, vec3<f32>(0.0));
    var st: Lut3dInvState;
    st.u = Lut3dInvMat(vec3<f32>(1.0, 0.0, 0.0), vec3<f32>(0.0, 1.0, 0.0), vec3<f32>(0.0, 0.0, 1.0));
    st.y = val - base_vert;
    st.x = vec3<f32>(0.0);
    st.row = vec3<u32>(0u, 1u, 2u);
    st.col = vec3<u32>(0u, 1u, 2u);
    st.sweeps = 0u;
    st.found.ok = false;
    st.found.x = vec3<f32>(0.0);
    // The corners NEW_VERTS (inverse.rs) brings in, step by step.
    st.nv[0] = lut3d_inv_vert(op, base + dr, base_vert);
    st.nv[1] = lut3d_inv_vert(op, base + dr + dg + 3u, base_vert);
    st.nv[2] = lut3d_inv_vert(op, base + dr + dg, base_vert);
    st.nv[3] = lut3d_inv_vert(op, base + dg, base_vert);
    st.nv[4] = lut3d_inv_vert(op, base + dg + 3u, base_vert);
    st.nv[5] = lut3d_inv_vert(op, base + 3u, base_vert);
    st.nv[6] = lut3d_inv_vert(op, base + dr + 3u, base_vert);
    st.nv[7] = lut3d_inv_vert(op, base + dr, base_vert);
    let c = base / 3u;
    let cube = vec3<f32>(f32(c / (g * g)), f32((c / g) % g), f32(c % g));
    lut3d_inv_step(&st, 0u, cube);
    lut3d_inv_step(&st, 1u, cube);
    lut3d_inv_step(&st, 2u, cube);
    lut3d_inv_step(&st, 3u, cube);
    lut3d_inv_step(&st, 4u, cube);
    lut3d_inv_step(&st, 5u, cube);
    lut3d_inv_step(&st, 6u, cube);
    lut3d_inv_step(&st, 7u, cube);
    return st.found;
}

// Clamp to [0, 1] keeping NaN (OpenColorIO's `Clamp`).
fn lut3d_inv_clamp01(x: f32) -> f32 {
    return select(select(x, 1.0, x > 1.0), 0.0, x < 0.0);
}

// Depth-first walk of the range tree; the first cube holding a preimage
// wins. One loop, one node (or one step back up) per iteration.
fn lut3d_inverse(v_in: vec3<f32>, op: OpRecord) -> vec3<f32> {
    let v = vec3<f32>(lut3d_inv_clamp01(v_in.x), lut3d_inv_clamp01(v_in.y), lut3d_inv_clamp01(v_in.z));
    let nodes = u32(op.p[3].x);
    var result = vec3<f32>(0.0);
    var next: array<u32, 8>;
    var end: array<u32, 8>;
    next[0] = 0u;
    end[0] = u32(op.p[3].y);
    var level = 0u;
    var done = false;
    while (!done && (next[level] < end[level] || level > 0u)) {
        if (next[level] >= end[level]) {
            level = level - 1u;
        } else {
            let at = nodes + next[level] * 8u;
            next[level] = next[level] + 1u;
            let lo = vec3<f32>(lut3d_inv_at(op, at), lut3d_inv_at(op, at + 1u), lut3d_inv_at(op, at + 2u));
            let hi = vec3<f32>(lut3d_inv_at(op, at + 3u), lut3d_inv_at(op, at + 4u), lut3d_inv_at(op, at + 5u));
            let inside = v.x >= lo.x && v.y >= lo.y && v.z >= lo.z && v.x <= hi.x && v.y <= hi.y && v.z <= hi.z;
            let first = u32(lut3d_inv_at(op, at + 6u));
            let count = u32(lut3d_inv_at(op, at + 7u));
            if (inside && count == 0u) {
                let f = lut3d_invert_cube(op, first, v);
                if (f.ok) {
                    result = f.x;
                    done = true;
                }
            } else if (inside && level + 1u < LUT3D_INV_MAX_DEPTH) {
                level = level + 1u;
                next[level] = first;
                end[level] = first + count;
            }
        }
    }
    let last = f32(op.n - 1u);
    let idx = vec3<f32>(
        min(max(result.x - 1.0, 0.0), last),
        min(max(result.y - 1.0, 0.0), last),
        min(max(result.z - 1.0, 0.0), last),
    );
    return idx * op.p[2].xyz + op.p[0].xyz;
}

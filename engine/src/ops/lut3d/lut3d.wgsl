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
const LUT3D_INV_MAX_DEPTH: u32 = 16u;
const LUT3D_INV_MAX_SWEEPS: u32 = 24u;

const LUT3D_INV_ENTERING = array<u32, 8>(2u, 1u, 0u, 2u, 0u, 2u, 0u, 2u);
const LUT3D_INV_NEW_VERTS = array<vec3<u32>, 8>(
    vec3<u32>(1u, 0u, 0u), vec3<u32>(1u, 1u, 1u), vec3<u32>(1u, 1u, 0u), vec3<u32>(0u, 1u, 0u),
    vec3<u32>(0u, 1u, 1u), vec3<u32>(0u, 0u, 1u), vec3<u32>(1u, 0u, 1u), vec3<u32>(1u, 0u, 0u),
);
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

// `invert_hypercube` for three channels (OpenColorIO Lut3DOpCPU.cpp): the
// cube whose low corner is at float offset `base` of the lattice.
fn lut3d_invert_cube(op: OpRecord, base: u32, val: vec3<f32>) -> Lut3dInvFound {
    var found: Lut3dInvFound;
    found.ok = false;
    found.x = vec3<f32>(0.0);
    let g = op.n + 2u;
    let offs = vec3<u32>(g * g * 3u, g * 3u, 3u);
    var row = array<u32, 3>(0u, 1u, 2u);
    var col = array<u32, 3>(0u, 1u, 2u);
    var sweep_to: array<u32, 24>;
    var sweep_from: array<u32, 24>;
    var sweep_f: array<f32, 24>;
    var sweeps = 0u;
    let base_vert = vec3<f32>(lut3d_inv_at(op, base), lut3d_inv_at(op, base + 1u), lut3d_inv_at(op, base + 2u));
    var y = array<f32, 3>(val.x - base_vert.x, val.y - base_vert.y, val.z - base_vert.z);
    var u = array<array<f32, 3>, 3>(
        array<f32, 3>(1.0, 0.0, 0.0),
        array<f32, 3>(0.0, 1.0, 0.0),
        array<f32, 3>(0.0, 0.0, 1.0),
    );
    var x = array<f32, 3>(0.0, 0.0, 0.0);
    var infeasible = false;
    for (var step = 0u; step < 8u; step = step + 1u) {
        let entering = LUT3D_INV_ENTERING[step];
        let nv = LUT3D_INV_NEW_VERTS[step];
        let corner = base + nv.x * offs.x + nv.y * offs.y + nv.z * offs.z;
        var new_vert: array<f32, 3>;
        for (var j = 0u; j < 3u; j = j + 1u) {
            new_vert[j] = lut3d_inv_at(op, corner + j) - base_vert[j];
        }
        for (var s = 0u; s < sweeps; s = s + 1u) {
            new_vert[sweep_to[s]] = new_vert[sweep_to[s]] - sweep_f[s] * new_vert[sweep_from[s]];
        }
        var leaving = 0u;
        for (var j = 0u; j < 3u; j = j + 1u) {
            u[j][entering] = new_vert[j];
            if (col[j] == entering) {
                leaving = j + 1u;
            }
        }
        if (leaving <= 1u) {
            let t = col[leaving - 1u];
            for (var j = leaving - 1u; j < 1u; j = j + 1u) {
                col[j] = col[j + 1u];
            }
            col[1] = t;
        }
        for (var j = leaving - 1u; j < 2u; j = j + 1u) {
            var piv = j;
            var col_piv = j;
            var abs_d = abs(u[row[j]][col[j]]);
            for (var k = j + 1u; k < 3u; k = k + 1u) {
                let abs_n = abs(u[row[k]][col[j]]);
                if (abs_n > abs_d) {
                    abs_d = abs_n;
                    piv = k;
                }
            }
            if (abs_d < LUT3D_INV_ZERO_TOL) {
                for (var h = j + 1u; h < 3u; h = h + 1u) {
                    for (var k = j; k < 3u; k = k + 1u) {
                        let abs_n = abs(u[row[k]][col[h]]);
                        if (abs_n > abs_d) {
                            abs_d = abs_n;
                            piv = k;
                            col_piv = h;
                        }
                    }
                    if (abs_d > LUT3D_INV_ZERO_TOL) {
                        let t = col[j];
                        col[j] = col[col_piv];
                        col[col_piv] = t;
                    }
                }
            }
            if (piv != j) {
                let t = row[j];
                row[j] = row[piv];
                row[piv] = t;
            }
            let denom = u[row[j]][col[j]];
            // A singular pivot eliminates nothing (no infinities), as the CPU.
            let singular = abs(denom) < LUT3D_INV_ZERO_TOL;
            for (var h = j + 1u; h < 3u; h = h + 1u) {
                let num = u[row[h]][col[j]];
                if (abs(num) >= LUT3D_INV_ZERO_TOL && !singular && sweeps < LUT3D_INV_MAX_SWEEPS) {
                    let f = num / denom;
                    u[row[h]][col[j]] = 0.0;
                    for (var k = j + 1u; k < 3u; k = k + 1u) {
                        u[row[h]][col[k]] = u[row[h]][col[k]] - f * u[row[j]][col[k]];
                    }
                    y[row[h]] = y[row[h]] - f * y[row[j]];
                    sweep_to[sweeps] = row[h];
                    sweep_from[sweeps] = row[j];
                    sweep_f[sweeps] = f;
                    sweeps = sweeps + 1u;
                }
            }
        }
        // The first two steps only factorise (OPS in inverse.rs).
        if (step < 2u) {
            continue;
        }
        var sum = 0.0;
        for (var js = 3; js > 0; js = js - 1) {
            let r = u32(js - 1);
            let denom = u[row[r]][col[r]];
            if (abs(denom) < LUT3D_INV_ZERO_TOL) {
                if (abs(y[row[r]]) > LUT3D_INV_ZERO_TOL) {
                    infeasible = true;
                    break;
                }
                x[r] = 0.0;
                infeasible = false;
            } else {
                var sm = 0.0;
                for (var k = r + 1u; k < 3u; k = k + 1u) {
                    sm = sm + u[row[r]][col[k]] * x[k];
                }
                let t = (y[row[r]] - sm) / denom;
                infeasible = t < LUT3D_INV_NEGZERO_TOL;
                if (infeasible) {
                    break;
                }
                sum = sum + t;
                infeasible = sum > LUT3D_INV_ONE_TOL;
                if (infeasible) {
                    break;
                }
                x[r] = t;
            }
        }
        if (!infeasible) {
            var x2: array<f32, 3>;
            for (var j = 0u; j < 3u; j = j + 1u) {
                x2[col[j]] = x[j];
            }
            var out = array<f32, 3>(0.0, 0.0, 0.0);
            let t = step * 3u + 2u;
            out[LUT3D_INV_PATH[t]] = x2[LUT3D_INV_PATH_ORDER[0]];
            for (var j = 1u; j < 3u; j = j + 1u) {
                out[LUT3D_INV_PATH[t - j]] = x2[LUT3D_INV_PATH_ORDER[j]] + out[LUT3D_INV_PATH[t - j + 1u]];
            }
            let cube = base / 3u;
            found.ok = true;
            found.x = vec3<f32>(
                out[0] + f32(cube / (g * g)),
                out[1] + f32((cube / g) % g),
                out[2] + f32(cube % g),
            );
            return found;
        }
    }
    return found;
}

// Clamp to [0, 1] keeping NaN (OpenColorIO's `Clamp`).
fn lut3d_inv_clamp01(x: f32) -> f32 {
    return select(select(x, 1.0, x > 1.0), 0.0, x < 0.0);
}

// Depth-first walk of the range tree; the first cube holding a preimage wins.
fn lut3d_inverse(v_in: vec3<f32>, op: OpRecord) -> vec3<f32> {
    let v = vec3<f32>(lut3d_inv_clamp01(v_in.x), lut3d_inv_clamp01(v_in.y), lut3d_inv_clamp01(v_in.z));
    let nodes = u32(op.p[3].x);
    var result = vec3<f32>(0.0);
    var next: array<u32, 16>;
    var end: array<u32, 16>;
    next[0] = 0u;
    end[0] = u32(op.p[3].y);
    var level = 0u;
    var done = false;
    loop {
        while (next[level] < end[level]) {
            let at = nodes + next[level] * 8u;
            next[level] = next[level] + 1u;
            let lo = vec3<f32>(lut3d_inv_at(op, at), lut3d_inv_at(op, at + 1u), lut3d_inv_at(op, at + 2u));
            let hi = vec3<f32>(lut3d_inv_at(op, at + 3u), lut3d_inv_at(op, at + 4u), lut3d_inv_at(op, at + 5u));
            let inside = v.x >= lo.x && v.y >= lo.y && v.z >= lo.z && v.x <= hi.x && v.y <= hi.y && v.z <= hi.z;
            if (!inside) {
                continue;
            }
            let first = u32(lut3d_inv_at(op, at + 6u));
            let count = u32(lut3d_inv_at(op, at + 7u));
            if (count == 0u) {
                let f = lut3d_invert_cube(op, first, v);
                if (f.ok) {
                    result = f.x;
                    done = true;
                    break;
                }
            } else if (level + 1u < LUT3D_INV_MAX_DEPTH) {
                level = level + 1u;
                next[level] = first;
                end[level] = first + count;
            }
        }
        if (done || level == 0u) {
            break;
        }
        level = level - 1u;
    }
    let last = f32(op.n - 1u);
    let idx = vec3<f32>(
        min(max(result.x - 1.0, 0.0), last),
        min(max(result.y - 1.0, 0.0), last),
        min(max(result.z - 1.0, 0.0), last),
    );
    return idx * op.p[2].xyz + op.p[0].xyz;
}

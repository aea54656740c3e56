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
    if ((op.flags & LUT3D_TRILINEAR) != 0u) {
        return lut3d_trilinear(v, op);
    }
    return lut3d_tetrahedral(v, op);
}

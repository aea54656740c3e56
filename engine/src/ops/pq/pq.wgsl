// SMPTE ST 2084 (PQ) as OpenColorIO's LIN_TO_PQ / PQ_TO_LIN fixed
// functions, operation for operation as the Rust twin PqPrepared in
// engine/src/ops/pq/prepared.rs. p0 = (m1, m2, 1/m2, 1/m1), p1 = (c1, c2, c3).

// copysign(x, s): the magnitude of x with the sign bit of s.
fn pq_copysign(x: f32, s: f32) -> f32 {
    return bitcast<f32>((bitcast<u32>(x) & 0x7fffffffu) | (bitcast<u32>(s) & 0x80000000u));
}

fn pq_channel(v: f32, op: OpRecord) -> f32 {
    let m = op.p[0];
    let c1 = op.p[1].x;
    let c2 = op.p[1].y;
    let c3 = op.p[1].z;
    if (((op.flags & STYLE_MASK) >> STYLE_SHIFT) == PQ_STYLE_LIN_TO_PQ) {
        let y = powf(abs(v * 0.01f), m.x);
        let ratpoly = (c1 + c2 * y) / (1.0f + c3 * y);
        return pq_copysign(powf(ratpoly, m.y), v);
    }
    let x = powf(abs(v), m.z);
    let d = x - c1;
    // max(0, d) as OpenColorIO: NaN gives 0.
    let nits = powf(select(0.0f, d, 0.0f < d) / (c2 - c3 * x), m.w);
    return pq_copysign(100.0f * nits, v);
}

fn pq_apply(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    return vec3<f32>(pq_channel(v.x, op), pq_channel(v.y, op), pq_channel(v.z, op));
}

// 3x3 matrix plus offset. Rust twin: engine/src/ops/matrix/prepared.rs.
// p0..p2 = rows (m_i0, m_i1, m_i2, offset_i); summed left to right, no fma.

fn matrix_apply(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    let r0 = op.p[0];
    let r1 = op.p[1];
    let r2 = op.p[2];
    return vec3<f32>(
        r0.x * v.x + r0.y * v.y + r0.z * v.z + r0.w,
        r1.x * v.x + r1.y * v.y + r1.z * v.z + r1.w,
        r2.x * v.x + r2.y * v.y + r2.z * v.z + r2.w,
    );
}

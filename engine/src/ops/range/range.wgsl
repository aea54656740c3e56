// CLF Range: out = in*scale + offset, then the bounds that are set.
// Rust twin: engine/src/ops/range/prepared.rs.
// p0 = scale, p1 = offset, p2 = low bound, p3 = high bound.

fn range_apply(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    var o = v * op.p[0].xyz + op.p[1].xyz;
    if ((op.flags & RANGE_CLAMP_LOW) != 0u) {
        let lo = op.p[2].xyz;
        o = vec3<f32>(max_lo(o.x, lo.x), max_lo(o.y, lo.y), max_lo(o.z, lo.z));
    }
    if ((op.flags & RANGE_CLAMP_HIGH) != 0u) {
        let hi = op.p[3].xyz;
        o = vec3<f32>(min_hi(o.x, hi.x), min_hi(o.y, hi.y), min_hi(o.z, hi.z));
    }
    return o;
}

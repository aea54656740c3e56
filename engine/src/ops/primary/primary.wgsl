// Primary correction: exposure, contrast about a pivot, lift/gamma/gain
// (Nuke Grade convention), offset, saturation, in that order.
// Rust twin: engine/src/ops/primary/prepared.rs.
// p0 = 2^exposure, p1 = contrast.rgb + pivot w, p2 = lift, p3 = gain,
// p4 = 1/gamma, p5 = offset, p6.x = saturation.

fn primary_gamma(x: f32, inv_gamma: f32) -> f32 {
    // Values <= 0 pass through the gamma unchanged.
    if (!(x > 0.0)) {
        return x;
    }
    return powf(x, inv_gamma);
}

fn primary_apply(rgb: vec3<f32>, op: OpRecord) -> vec3<f32> {
    let pivot = op.p[1].w;
    let lift = op.p[2].xyz;
    let gain = op.p[3].xyz;
    let inv_gamma = op.p[4].xyz;
    var v = rgb * op.p[0].xyz;
    v = (v - vec3<f32>(pivot)) * op.p[1].xyz + vec3<f32>(pivot);
    v = (gain - lift) * v + lift;
    v = vec3<f32>(primary_gamma(v.x, inv_gamma.x), primary_gamma(v.y, inv_gamma.y), primary_gamma(v.z, inv_gamma.z));
    v = v + op.p[5].xyz;
    let sat = op.p[6].x;
    let l = luma709(v);
    return vec3<f32>(l + sat * (v.x - l), l + sat * (v.y - l), l + sat * (v.z - l));
}

// OpenColorIO's ExposureContrast (linear, video and log styles, forward
// and inverse) from prepared constants. Rust twin:
// ExposureContrastPrepared in engine/src/ops/exposure_contrast/prepared.rs.
// p0 = (k0, k1, k2, mode): mode 0 scale `x*k0`, 1 power
// `pow(max(x*k0, 0), k1)*k2` (NaN -> 0), 2 affine `x*k0 + k1`.

// One power per channel whatever the mode (on lavapipe the code of every
// path costs time whichever runs); the taken path is the CPU's.
fn exposure_contrast_channel(x: f32, k: vec4<f32>) -> f32 {
    let s = x * k.x;
    let p = sse_pow(s, k.y) * k.z;
    if (k.w == 0.0) {
        return s;
    }
    if (k.w == 1.0) {
        return p;
    }
    return s + k.y;
}

fn exposure_contrast_apply(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    let k = op.p[0];
    return vec3<f32>(exposure_contrast_channel(v.x, k), exposure_contrast_channel(v.y, k), exposure_contrast_channel(v.z, k));
}

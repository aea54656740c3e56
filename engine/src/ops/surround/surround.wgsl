// OpenColorIO's REC2100_Surround, forward and inverse: rgb * pow(max(|Y|,
// floor), exponent) with Rec.2100 luminance. Rust twin: SurroundPrepared
// in engine/src/ops/surround/prepared.rs. p0 = (floor, exponent).

fn surround_apply(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    let floor_lum = op.p[0].x;
    let y = abs(0.2627f * v.x + 0.678f * v.y + 0.0593f * v.z);
    // max(floor, Y) as OpenColorIO: NaN gives the floor.
    let k = powf(select(floor_lum, y, floor_lum < y), op.p[0].y);
    return vec3<f32>(v.x * k, v.y * k, v.z * k);
}

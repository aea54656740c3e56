// Shared helpers for every op: NaN-safe clamps and Rec.709 luma. The
// power/log/exp functions are in mathf_exact.wgsl or mathf_builtin.wgsl. See engine/src/ops/README.md for why each exists.
// Rust twins: the CPU maths in engine/src/ops/*/prepared.rs.

// NaN test on the bits, so no compiler assumption that NaN never occurs can
// remove it.
fn is_nan(x: f32) -> bool {
    return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u;
}

// max(x, lo) as Rust's f32::max: a NaN x gives lo.
fn max_lo(x: f32, lo: f32) -> f32 {
    return select(select(x, lo, x < lo), lo, is_nan(x));
}

// min(x, hi) as Rust's f32::min: a NaN x gives hi.
fn min_hi(x: f32, hi: f32) -> f32 {
    return select(select(x, hi, x > hi), hi, is_nan(x));
}

// x.max(lo).min(hi): NaN -> lo.
fn clamp_nan_lo(x: f32, lo: f32, hi: f32) -> f32 {
    return min_hi(max_lo(x, lo), hi);
}

fn clamp01_3(v: vec3<f32>) -> vec3<f32> {
    return vec3<f32>(clamp_nan_lo(v.x, 0.0, 1.0), clamp_nan_lo(v.y, 0.0, 1.0), clamp_nan_lo(v.z, 0.0, 1.0));
}

// Rec.709 luma, summed left to right as the CPU does.
fn luma709(v: vec3<f32>) -> f32 {
    return v.x * 0.2126 + v.y * 0.7152 + v.z * 0.0722;
}

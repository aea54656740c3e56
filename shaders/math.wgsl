// Shared helpers for every op: NaN-safe clamps and the power/log/exp
// functions the ops use. See shaders/README.md for why each exists.
// Rust twins: the CPU maths in engine/src/color/*.rs.

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

// x^y for x >= 0 (callers handle negatives), with the edge cases of C's
// powf: 0^y = 0 for y > 0, x^0 = 1, NaN in -> NaN out.
fn pow_pos(x: f32, y: f32) -> f32 {
    // Some pow implementations turn NaN into 0: pass it through explicitly.
    if (is_nan(x) || is_nan(y)) {
        return x + y;
    }
    if (y == 0.0) {
        return 1.0;
    }
    if (x == 0.0) {
        return select(bitcast<f32>(0x7f800000u), 0.0, y > 0.0);
    }
    if (x == 1.0) {
        return 1.0;
    }
    return pow(x, y);
}

// Rec.709 luma, summed left to right as the CPU does.
fn luma709(v: vec3<f32>) -> f32 {
    return v.x * 0.2126 + v.y * 0.7152 + v.z * 0.0722;
}

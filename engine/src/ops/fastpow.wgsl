// The fast CPU executor's power function for the forward CDL, in f32: the
// twin, operation for operation, of engine/src/cpu/fastmath.rs (Cephes'
// polynomials), so the GPU's forward CDL gives the CPU backend's bits.
// Keep in sync with fastmath.rs. The rounded value comes from the bits of
// x + 1.5*2^23, never from `(x + 1.5*2^23) - 1.5*2^23`, which an optimiser
// allowed inexact algebra folds to `x`.

// log2 of a positive normal f32.
fn fast_log2(x: f32) -> f32 {
    let bits = bitcast<u32>(x);
    var e = i32((bits >> 23u) & 0xffu) - 127;
    var m = bitcast<f32>((bits & 0x007fffffu) | 0x3f800000u);
    // Centre the mantissa on 1: [sqrt(1/2), sqrt(2)). SQRT_2 as f32.
    let big = m > bitcast<f32>(0x3fb504f3u);
    m = select(m, m * 0.5f, big);
    e = e + select(0, 1, big);
    let z = m - 1.0f;
    let zz = z * z;
    var y = 7.0376836e-2f;
    y = y * z - 1.1514611e-1f;
    y = y * z + 1.1676999e-1f;
    y = y * z - 1.2420141e-1f;
    y = y * z + 1.4249323e-1f;
    y = y * z - 1.6668058e-1f;
    y = y * z + 2.0000714e-1f;
    y = y * z - 2.4999994e-1f;
    y = y * z + 3.333333e-1f;
    let ln = z - 0.5f * zz + y * z * zz;
    // LOG2_E as f32.
    return f32(e) + ln * bitcast<f32>(0x3fb8aa3bu);
}

// 2^t, flushing below 2^-126 to 0 and overflowing to +inf.
fn fast_exp2(t: f32) -> f32 {
    let tc = clamp(t, -127.0f, 128.0f);
    // Round to nearest by adding 1.5 * 2^23, k from the sum's bits.
    let ki = bitcast<i32>(tc + 12582912.0f) - 0x4b400000;
    let f = tc - f32(ki);
    var p = 1.5353362e-4f;
    p = p * f + 1.3398874e-3f;
    p = p * f + 9.618437e-3f;
    p = p * f + 5.5503325e-2f;
    p = p * f + 2.4022648e-1f;
    p = p * f + 6.931472e-1f;
    let frac = p * f + 1.0f;
    let scale = bitcast<f32>(u32(clamp(ki, -126, 127) + 127) << 23u);
    let r = frac * scale;
    if (t < -126.0f) {
        return 0.0f;
    }
    if (t >= 128.0f) {
        return bitcast<f32>(0x7f800000u);
    }
    return r;
}

// x^p for x >= 0 and p > 0; 0^p = 0, inf^p = inf.
fn fast_pow(x: f32, p: f32) -> f32 {
    let t = p * fast_log2(x);
    var r = fast_exp2(t);
    r = select(r, x, x == bitcast<f32>(0x7f800000u));
    return select(0.0f, r, x > 0.0f);
}

// OpenColorIO's SSE power (ssePower in its SSE.h), lane for lane in
// scalar f32: the twin of sse_pow in engine/src/ops/fastmath.rs (used by
// the exposure/contrast and grading primary ops, whose OpenColorIO CPU
// renderers use it). 0 for x <= 0 and NaN.
fn sse_log2(x: f32) -> f32 {
    let bits = bitcast<u32>(x);
    let m = bitcast<f32>((bits & 0x807fffffu) | 0x3f800000u);
    var y = bitcast<f32>(0x3d37cd65u);
    y = y * m + bitcast<f32>(0xbed547d7u);
    y = y * m + bitcast<f32>(0x3fd0c97cu);
    y = y * m + bitcast<f32>(0xc0634031u);
    y = y * m + bitcast<f32>(0x40a2ef4cu);
    y = y * m + bitcast<f32>(0xc033392au);
    let e = i32((bits & 0x7f800000u) >> 23u) - 127;
    return y + f32(e);
}

fn sse_exp2(x: f32) -> f32 {
    // The SSE floor: truncation (i32::MIN out of range and for NaN), minus
    // 1 where !(0 <= x).
    let in_range = x >= -2147483648.0f && x < 2147483648.0f;
    let t = select(i32(-2147483647 - 1), i32(x), in_range);
    let floor = bitcast<i32>(bitcast<u32>(t) + select(0xffffffffu, 0u, 0.0f <= x));
    let zf = bitcast<f32>((bitcast<u32>(floor) + 127u) << 23u);
    let f = x - f32(floor);
    var y = bitcast<f32>(0x3c5dbe6au);
    y = y * f + bitcast<f32>(0x3d5509f8u);
    y = y * f + bitcast<f32>(0x3e773cc5u);
    y = y * f + bitcast<f32>(0x3f3168b3u);
    y = y * f + bitcast<f32>(0x3f800016u);
    let r = zf * y;
    if (x < -126.0f) {
        return 0.0f;
    }
    if (x >= 128.0f) {
        return bitcast<f32>(0x7f800000u);
    }
    return r;
}

fn sse_pow(x: f32, p: f32) -> f32 {
    let r = sse_exp2(p * sse_log2(x));
    return select(0.0f, r, x > 0.0f);
}

// exp2f, log2f and powf from WGSL's built-ins, for adapters without
// SHADER_F64 (Metal, some Intel). The same names and C's edge cases as
// mathf_exact.wgsl, but the built-ins are a few ulp from the CPU's
// engine/src/ops/mathf.rs (Vulkan allows 3 ulp for exp2/log2), so 16-bit
// results may differ from the CPU backend by one code. See
// engine/src/ops/README.md.

fn exp2f(x: f32) -> f32 {
    return exp2(x);
}

fn log2f(x: f32) -> f32 {
    return log2(x);
}

fn lnf(x: f32) -> f32 {
    return log(x);
}

// C's powf edge cases for x >= 0 (callers handle negatives): x^0 = 1 and
// 1^y = 1 even for NaN, other NaN in -> NaN out (some pow built-ins turn
// NaN into 0), 0^y = 0 for y > 0 and inf for y < 0.
fn powf(x: f32, y: f32) -> f32 {
    if (y == 0.0 || x == 1.0) {
        return 1.0;
    }
    if (is_nan(x) || is_nan(y)) {
        return x + y;
    }
    if (x == 0.0) {
        return select(bitcast<f32>(0x7f800000u), 0.0, y > 0.0);
    }
    return pow(x, y);
}

// C's atan2 of two zeros (0 or pi, with y's sign), which WGSL leaves
// undefined; elsewhere the built-in.
fn atan2f(y: f32, x: f32) -> f32 {
    if (y == 0.0 && x == 0.0) {
        let r = select(0.0, 3.1415927, (bitcast<u32>(x) >> 31u) == 1u);
        return select(r, -r, (bitcast<u32>(y) >> 31u) == 1u);
    }
    return atan2(y, x);
}

// The ACES 2.0 op's cosine and sine (mathf_exact.wgsl computes them in
// f64 as the CPU does): the built-ins.
fn aces2_cos_sin_impl(x: f32) -> vec2<f32> {
    return vec2<f32>(cos(x), sin(x));
}

// The ACES 2.0 op's log10 (mathf_exact.wgsl has glibc's float log10f).
fn aces2_log10f_impl(x: f32) -> f32 {
    return log2f(x) * 0.30102999566398120;
}

// One f32 operation (mathf_exact.wgsl rounds each from f64, out of reach
// of a compiler's algebra): the plain operators.
fn f32_div(a: f32, b: f32) -> f32 {
    return a / b;
}

fn f32_sub(a: f32, b: f32) -> f32 {
    return a - b;
}

fn f32_add(a: f32, b: f32) -> f32 {
    return a + b;
}

fn f32_mul(a: f32, b: f32) -> f32 {
    return a * b;
}

//! How GPU results are compared with the CPU executors: largest difference
//! (absolute up to 1, relative above), differing bits, the first
//! difference as a message, the GPU's and the CPU backend's results,
//! 16-bit codes, and what the built-in maths may move each op by.

use grade_engine::gpu::{Context, Executor};
use grade_engine::grade::packed::PackedProgram;
use grade_engine::grade::Op;

/// Largest difference, absolute up to 1 and relative above (outputs of
/// antilog and exponent styles reach the hundreds, where 1e-5 absolute is
/// below f32 resolution).
pub(crate) fn max_err(gpu: &[f32], cpu: &[f32]) -> (f32, usize) {
    let mut worst = (0.0f32, 0);
    for (i, (g, c)) in gpu.iter().zip(cpu).enumerate() {
        // Equal infinities, or NaN on both sides, agree.
        if g == c || (g.is_nan() && c.is_nan()) {
            continue;
        }
        let e = (g - c).abs() / c.abs().max(1.0);
        if e > worst.0 || e.is_nan() {
            worst = (if e.is_nan() { f32::INFINITY } else { e }, i);
        }
    }
    worst
}

// GPU vs CPU: 1e-5 (relative above 1) where the kernel uses the
// WGSL built-in pow/log2/exp2 (adapters without f64; the Vulkan/WGSL
// precision rules allow 3 ULP for exp2/log2 and more for pow), which after
// the curves here stays well under 1e-5. With the exact maths (f64,
// `ops/mathf_exact.wgsl`) the same f32 operations in the same order
// give the same bits, which the tests below require.
pub(crate) const TOLERANCE: f32 = 1e-5;

/// Samples whose 16-bit output codes ([`code16`]) differ.
pub(crate) fn codes_differ(gpu: &[f32], cpu: &[f32]) -> usize {
    gpu.iter()
        .zip(cpu)
        .filter(|(g, c)| code16(**g) != code16(**c))
        .count()
}

/// Samples whose bits differ (NaN matching any NaN).
pub(crate) fn bits_differ(gpu: &[f32], cpu: &[f32]) -> usize {
    gpu.iter()
        .zip(cpu)
        .filter(|(g, c)| g.to_bits() != c.to_bits() && !(g.is_nan() && c.is_nan()))
        .count()
}

/// The first sample whose bits differ, as a failure message.
pub(crate) fn first_difference(
    name: &str,
    input: &[f32],
    gpu: &[f32],
    cpu: &[f32],
) -> Option<String> {
    let i = gpu
        .iter()
        .zip(cpu)
        .position(|(g, c)| g.to_bits() != c.to_bits() && !(g.is_nan() && c.is_nan()))?;
    let px = i / 4 * 4;
    Some(format!(
        "{name}: {} samples differ in their bits; first at input {:?}: gpu {:?} cpu {:?}",
        bits_differ(gpu, cpu),
        &input[px..px + 3],
        &gpu[px..px + 3],
        &cpu[px..px + 3]
    ))
}

/// `prog` on the GPU over `input`, a `width` x `height` frame.
pub(crate) fn gpu_backend(
    ctx: &Context,
    prog: &PackedProgram,
    input: &[f32],
    width: u32,
    height: u32,
) -> Vec<f32> {
    let mut out = input.to_vec();
    Executor::new(ctx, prog)
        .unwrap()
        .apply(&mut out, width, height)
        .unwrap();
    out
}

/// The fast CPU executor (the CPU backend) on `input`.
pub(crate) fn cpu_backend(prog: &PackedProgram, input: &[f32]) -> Vec<f32> {
    let mut out = input.to_vec();
    grade_engine::cpu::fast::Executor::new(prog)
        .unwrap()
        .apply(&mut out);
    out
}

/// Integer outputs: clamp to [0,1], scale, round to nearest; NaN -> 0 (as
/// DESIGN.md says the writers do).
pub(crate) fn code16(v: f32) -> u16 {
    if v.is_nan() {
        0
    } else {
        (v.clamp(0.0, 1.0) * 65535.0).round() as u16
    }
}

/// What the WGSL built-ins (a few ulp from `powf`) may move an op's
/// result by: [`TOLERANCE`], except the inverse ACES gamut compression,
/// whose `(p / (1 - p))^(1/power)` near the limit (p -> 1) amplifies its
/// power's error up to about 50 times (1.9e-5 on the dense set with
/// lavapipe's built-ins); and PQ to linear, whose denominator
/// `c2 - c3 * x^(1/m2)` nears 0 for code values past 1 (the dense set goes
/// to 2, beyond ST 2084's range: 1.99 gives 1.5e20, where a few ulp of
/// `pow` are 6%).
pub(crate) fn op_tolerance(ops: &[Op]) -> f32 {
    let ill_conditioned = |op: &Op| {
        matches!(op, Op::Aces(a)
            if a.style == grade_engine::ops::AcesStyle::GamutComp13
                && a.direction == grade_engine::ops::Direction::Inverse)
    };
    let near_a_pole =
        |op: &Op| matches!(op, Op::Pq(p) if p.style == grade_engine::ops::PqStyle::PqToLin);
    if ops.iter().any(near_a_pole) {
        1e-1
    } else if ops.iter().any(ill_conditioned) {
        1e-4
    } else {
        TOLERANCE
    }
}

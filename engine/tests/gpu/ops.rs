//! One op of every kind, style and direction against the CPU executors
//! (exact maths and built-in maths), NaN and Inf, the exact inverse LUTs and
//! the ACES 2.0 op.

use grade_engine::gpu::Context;
use grade_engine::grade::{Op, Program};

use super::compare::*;

/// GPU against the CPU backend (the fast executor) and the CPU reference
/// executor (`cpu::reference`, the oracle) for one op of every kind, style
/// and direction (`grade::samples`), each packed by `Program::pack()`, on
/// `grade::dense::dense_inputs()`: with the exact maths the same bits as the CPU
/// backend, and within [`TOLERANCE`] of the reference (the forward CDL's
/// power is the fast executor's `fastmath::pow` on both backends).
pub(crate) fn every_op_matches_the_cpu_reference(ctx: &Context) {
    every_op_against_the_cpu(ctx);
}

pub(crate) fn every_op_against_the_cpu(ctx: &Context) {
    let exact = ctx.adapter_info().exact_maths;
    eprintln!("adapter: {}", ctx.adapter_info());
    let input = grade_engine::grade::dense::dense_rgba();
    let (w, h) = ((input.len() / 4) as u32, 1);
    let mut failures = Vec::new();
    let (mut total, mut differing, mut differing_ref) = (0usize, 0usize, 0usize);
    // With the built-in maths (adapters without f64) the ACES 2.0 op's hue
    // angles, cosines, logs and powers are the driver's, and the op
    // amplifies their last bits (the hue of a grey is the angle of rounding
    // noise; the inverse output transform is steep near its peak): it is
    // held to the CPU's bits with the exact maths only.
    let every_op = grade_engine::grade::samples::every_op();
    for op in every_op
        .into_iter()
        .filter(|op| exact || !matches!(op, Op::Aces2(_)))
    {
        let name = format!("{op:?}").chars().take(60).collect::<String>();
        let prog = Program { ops: vec![op] };
        let packed = prog.pack();
        let gpu = gpu_backend(ctx, &packed, &input, w, h);
        let fast = cpu_backend(&packed, &input);
        let mut cpu = input.clone();
        grade_engine::cpu::reference::apply(&prog, &mut cpu);
        let (err, at) = max_err(&gpu, &cpu);
        let (fast_err, fast_at) = max_err(&gpu, &fast);
        let d = codes_differ(&gpu, &fast);
        total += gpu.len();
        differing += d;
        differing_ref += codes_differ(&gpu, &cpu);
        eprintln!(
            "{:5} samples' bits, {d:4} 16-bit codes differ from the CPU backend; \
             {err:.3e} max error vs the reference: {name}",
            bits_differ(&gpu, &fast)
        );
        if exact {
            failures.extend(first_difference(&name, &input, &gpu, &fast));
        } else if fast_err > op_tolerance(&prog.ops) {
            let px = fast_at / 4 * 4;
            failures.push(format!(
                "{name}: error {fast_err:e} vs the CPU backend at input {:?}",
                &input[px..px + 3]
            ));
        }
        if err > op_tolerance(&prog.ops) {
            let px = at / 4 * 4;
            failures.push(format!(
                "{name}: error {err:e} at input {:?}: gpu {:?} cpu {:?}",
                &input[px..px + 3],
                &gpu[px..px + 3],
                &cpu[px..px + 3]
            ));
        }
    }
    eprintln!(
        "16-bit code values differing from the CPU backend: {differing} of {total} \
         (from the CPU reference: {differing_ref})"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Mesa's lavapipe (CI's adapter) exposes `SHADER_F64`, so the
/// bit-identical checks above run there rather than falling back to the
/// built-in maths unnoticed.
pub(crate) fn lavapipe_runs_the_exact_maths(ctx: &Context) {
    let info = ctx.adapter_info();
    if info.name.contains("llvmpipe") || info.driver.contains("llvmpipe") {
        assert!(info.exact_maths, "{info}");
    }
}

/// The same with the WGSL built-in pow/log2/exp2 (the variant for adapters
/// without f64): within [`TOLERANCE`] of both CPU executors.
pub(crate) fn builtin_maths_match_the_cpu_reference(_: &Context) {
    let ctx = Context::with_builtin_maths().unwrap();
    assert!(!ctx.adapter_info().exact_maths);
    every_op_against_the_cpu(&ctx);
}

/// NaN and +-Inf through every op: the same NaN-ness and values on the GPU
/// as in the CPU reference.
pub(crate) fn nan_and_inf_follow_the_cpu_reference(ctx: &Context) {
    let specials = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 0.5, -0.0];
    let mut input = Vec::new();
    for r in specials {
        for g in specials {
            for b in specials {
                input.extend_from_slice(&[r, g, b, 1.0]);
            }
        }
    }
    let (w, h) = ((input.len() / 4) as u32, 1);
    let mut failures = Vec::new();
    for op in grade_engine::grade::samples::every_op() {
        let name = format!("{op:?}").chars().take(60).collect::<String>();
        let prog = Program { ops: vec![op] };
        let gpu = gpu_backend(ctx, &prog.pack(), &input, w, h);
        let mut cpu = input.clone();
        grade_engine::cpu::reference::apply(&prog, &mut cpu);
        for (i, (g, c)) in gpu.iter().zip(&cpu).enumerate() {
            let same = (g.is_nan() && c.is_nan())
                || g == c
                || (g.is_finite()
                    && c.is_finite()
                    && (g - c).abs() <= TOLERANCE * c.abs().max(1.0));
            if !same {
                let px = i / 4 * 4;
                failures.push(format!(
                    "{name}: input {:?}: gpu {:?} cpu {:?}",
                    &input[px..px + 3],
                    &gpu[px..px + 3],
                    &cpu[px..px + 3]
                ));
                break;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The exact inverses of a 3D LUT (tree walk and per-cube solve) and of a
/// half-domain 1D LUT give the CPU backend's bits on the whole dense set,
/// inside the forward LUT's output range (the dense set's points in
/// [0, 1] through the forward LUT) and outside it (where most inputs land
/// in the extrapolated cubes): the sample lattices of 17^3 and 33^3 and
/// the public ones a config or `--ocio-file` inverts (a 4^3 .cube, the
/// 33^3 Lustre .3dl).
pub(crate) fn inverse_luts_give_the_cpu_bits(ctx: &Context) {
    use grade_engine::grade::samples::{lut1d_half, lut3d};
    use grade_engine::ops::Interpolation;
    let dense = grade_engine::grade::dense::dense_rgba();
    let mut forwards: Vec<(String, grade_engine::ops::Lut3d)> = [17, 33]
        .into_iter()
        .map(|n| {
            (
                format!("sample {n}^3"),
                lut3d(n, Interpolation::Tetrahedral),
            )
        })
        .collect();
    for rel in [
        "public/colour/colour/io/luts/tests/resources/resolve_cube/Colour_Correct.cube",
        "public/ocio/tests/data/files/lustre_33x33x33.3dl",
    ] {
        let path = grade_engine::testutil::fixture(rel);
        let ops = grade_engine::formats::load(&path, None).unwrap();
        for op in ops {
            if let Op::Lut3d(l) = op {
                forwards.push((rel.rsplit('/').next().unwrap_or(rel).to_string(), l));
            }
        }
    }
    let mut cases = vec![(
        "half-domain 1D".to_string(),
        Op::Lut1d(lut1d_half().inverse()),
        dense.clone(),
    )];
    for (name, forward) in forwards {
        let mut inside = grade_engine::grade::dense::inside_lut3d_range(&forward);
        inside.extend_from_slice(&dense);
        cases.push((
            format!("inverse of {name}"),
            Op::Lut3d(forward.inverse()),
            inside,
        ));
    }
    let mut failures = Vec::new();
    for (name, op, input) in cases {
        let (w, h) = ((input.len() / 4) as u32, 1);
        let packed = Program { ops: vec![op] }.pack();
        let gpu = gpu_backend(ctx, &packed, &input, w, h);
        let fast = cpu_backend(&packed, &input);
        eprintln!(
            "{} of {} samples' bits differ: {name}",
            bits_differ(&gpu, &fast),
            input.len()
        );
        failures.extend(first_difference(&name, &input, &gpu, &fast));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The ACES 2.0 op (`ops::aces2`), every style and direction, on a small
/// input over each style's working range (scene-linear to 16 for the
/// output transform, J, M and hue to 80, 48 and 360 for the JMh styles):
/// with the exact maths the CPU backend's bits (the dense set of
/// `every_op_matches_the_cpu_reference` stays within [-0.25, 1.25]).
pub(crate) fn aces2_gives_the_cpu_bits(ctx: &Context) {
    use grade_engine::ops::{Aces2Style, Direction};
    let mut failures = Vec::new();
    let dense = grade_engine::grade::dense::dense_rgba();
    let small: Vec<f32> = dense
        .chunks_exact(4)
        .step_by(13)
        .flatten()
        .copied()
        .collect();
    for style in Aces2Style::ALL {
        let (scale, offset) = match style {
            Aces2Style::OutputTransform20 | Aces2Style::RgbToJmh20 => ([16.0; 3], [0.0; 3]),
            _ => ([80.0, 48.0, 288.0], [0.0, 0.0, 72.0]),
        };
        let input = grade_engine::grade::dense::scaled(&small, scale, offset);
        for direction in [Direction::Forward, Direction::Inverse] {
            let op = grade_engine::ops::aces2::sample(style, direction);
            let prog = Program {
                ops: vec![Op::Aces2(op)],
            };
            let packed = prog.pack();
            let gpu = gpu_backend(ctx, &packed, &input, (input.len() / 4) as u32, 1);
            let cpu = cpu_backend(&packed, &input);
            let name = format!("{style:?} {direction:?}");
            eprintln!(
                "{name}: {} of {} values' bits differ from the CPU backend",
                bits_differ(&gpu, &cpu),
                gpu.len()
            );
            if ctx.adapter_info().exact_maths {
                failures.extend(first_difference(&name, &input, &gpu, &cpu));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

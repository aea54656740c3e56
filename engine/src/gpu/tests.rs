//! GPU kernel tests against the line-by-line CPU twin (`twin.rs`): every op
//! kind and style, dense inputs including negatives and values above 1,
//! NaN/Inf, large frames split into windows and passes, the pipelined API,
//! and shader errors as values. Under CI=true a missing adapter fails them.

use std::sync::OnceLock;

use super::{compose, context, twin, Context, Executor};
use crate::grade::packed::{self, OpRecord, PackedProgram};

mod cases;

use cases::cases;

/// The shared context, or `None` (after saying why) outside CI.
pub(crate) fn ctx() -> Option<&'static Context> {
    static CTX: OnceLock<Result<Context, String>> = OnceLock::new();
    match CTX.get_or_init(|| Context::new().map_err(|e| e.to_string())) {
        Ok(c) => Some(c),
        Err(e) if crate::testutil::in_ci() => {
            panic!("{e}; under CI=true a missing GPU adapter is a failure, not a skip")
        }
        Err(e) => {
            eprintln!("skipped: {e}");
            None
        }
    }
}

fn rec(kind: u32, flags: u32, n: u32, data: u32, p: &[[f32; 4]]) -> OpRecord {
    let mut r = OpRecord {
        kind,
        flags,
        n,
        data,
        p: [[0.0; 4]; 7],
    };
    r.p[..p.len()].copy_from_slice(p);
    r
}

fn program(ops: Vec<OpRecord>, data: Vec<f32>) -> PackedProgram {
    PackedProgram { ops, data }
}

/// RGBA pixels on a 21^3 grid over [-0.25, 1.5] plus values an image
/// really holds (0, 1, tiny, bright highlights, negatives from a matrix).
fn dense_inputs() -> Vec<f32> {
    let steps = 21;
    let at = |i: usize| -0.25 + 1.75 * i as f32 / (steps - 1) as f32;
    let mut px = Vec::new();
    for b in 0..steps {
        for g in 0..steps {
            for r in 0..steps {
                px.extend_from_slice(&[at(r), at(g), at(b), 0.5]);
            }
        }
    }
    for v in [0.0, 1.0, 1e-6, 0.18, 4.0, 16.0, 100.0, -2.0, -1e-6] {
        px.extend_from_slice(&[v, v * 0.5, v * 0.25, 1.0]);
    }
    px
}

fn style(s: u32) -> u32 {
    s << packed::STYLE_SHIFT
}

/// Largest difference, absolute up to 1 and relative above (outputs of
/// antilog and exponent styles reach the hundreds, where 1e-5 absolute is
/// below f32 resolution).
fn max_err(gpu: &[f32], cpu: &[f32]) -> (f32, usize) {
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

// GPU vs twin or CPU: 1e-5 (relative above 1) where the kernel uses the
// WGSL built-in pow/log2/exp2 (adapters without f64; the Vulkan/WGSL
// precision rules allow 3 ULP for exp2/log2 and more for pow), which after
// the curves here stays well under 1e-5. With the exact maths (f64,
// `shaders/mathf_exact.wgsl`) the same f32 operations in the same order
// give the same bits, which the tests below require.
const TOLERANCE: f32 = 1e-5;

/// Samples whose bits differ (NaN matching any NaN).
fn bits_differ(gpu: &[f32], cpu: &[f32]) -> usize {
    gpu.iter()
        .zip(cpu)
        .filter(|(g, c)| g.to_bits() != c.to_bits() && !(g.is_nan() && c.is_nan()))
        .count()
}

/// The first sample whose bits differ, as a failure message.
fn first_difference(name: &str, input: &[f32], gpu: &[f32], cpu: &[f32]) -> Option<String> {
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

/// The fast CPU executor (the CPU backend) on `input`.
fn cpu_backend(prog: &PackedProgram, input: &[f32]) -> Vec<f32> {
    let mut out = input.to_vec();
    crate::cpu::fast::Executor::new(prog)
        .unwrap()
        .apply(&mut out);
    out
}

#[test]
fn every_op_matches_its_twin() {
    let Some(ctx) = ctx() else { return };
    eprintln!("adapter: {}", ctx.adapter_info());
    let input = dense_inputs();
    let (w, h) = ((input.len() / 4) as u32, 1);
    let mut failures = Vec::new();
    for (name, prog) in cases() {
        let mut gpu = input.clone();
        let mut ex = Executor::new(ctx, &prog).unwrap();
        ex.apply(&mut gpu, w, h).unwrap();
        let mut cpu = input.clone();
        twin::run(&mut cpu, &prog.ops, &prog.data);
        let (err, at) = max_err(&gpu, &cpu);
        eprintln!("{name:28} max error vs twin {err:.3e}");
        if ctx.adapter_info().exact_maths {
            failures.extend(first_difference(&name, &input, &gpu, &cpu));
        }
        // Alpha is never touched.
        assert!(gpu
            .iter()
            .skip(3)
            .step_by(4)
            .zip(input.iter().skip(3).step_by(4))
            .all(|(a, b)| a == b));
        if err > TOLERANCE {
            let px = at / 4 * 4;
            failures.push(format!(
                "{name}: error {err:e} at input {:?}: gpu {:?} twin {:?}",
                &input[px..px + 3],
                &gpu[px..px + 3],
                &cpu[px..px + 3]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Integer outputs: clamp to [0,1], scale, round to nearest; NaN -> 0 (as
/// DESIGN.md says the writers do).
fn code16(v: f32) -> u16 {
    if v.is_nan() {
        0
    } else {
        (v.clamp(0.0, 1.0) * 65535.0).round() as u16
    }
}

#[test]
fn sixteen_bit_code_values_agree_with_twin() {
    let Some(ctx) = ctx() else { return };
    let input = dense_inputs();
    let (w, h) = ((input.len() / 4) as u32, 1);
    let mut total = 0usize;
    let mut differing = 0usize;
    let mut worst = 0i32;
    for (name, prog) in cases() {
        let mut gpu = input.clone();
        Executor::new(ctx, &prog)
            .unwrap()
            .apply(&mut gpu, w, h)
            .unwrap();
        let mut cpu = input.clone();
        twin::run(&mut cpu, &prog.ops, &prog.data);
        let d = gpu
            .iter()
            .zip(&cpu)
            .filter(|(g, c)| code16(**g) != code16(**c))
            .count();
        for (g, c) in gpu.iter().zip(&cpu) {
            worst = worst.max((i32::from(code16(*g)) - i32::from(code16(*c))).abs());
        }
        if d > 0 {
            eprintln!("{name:28} {d} of {} 16-bit code values differ", gpu.len());
        }
        total += gpu.len();
        differing += d;
    }
    eprintln!(
        "16-bit code values differing from twin: {differing} of {total}, at most {worst} code"
    );
    // Differences come only from transcendental rounding (a few ULP), so at
    // most one code value, and rarely.
    assert!(worst <= 1, "a 16-bit code value differs by {worst}");
}

#[test]
fn nan_and_inf_follow_the_twin() {
    let Some(ctx) = ctx() else { return };
    let specials = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 0.5];
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
    for (name, prog) in cases() {
        let mut gpu = input.clone();
        Executor::new(ctx, &prog)
            .unwrap()
            .apply(&mut gpu, w, h)
            .unwrap();
        let mut cpu = input.clone();
        twin::run(&mut cpu, &prog.ops, &prog.data);
        for (i, (g, c)) in gpu.iter().zip(&cpu).enumerate() {
            let same = (g.is_nan() && c.is_nan())
                || g == c
                || (g.is_finite()
                    && c.is_finite()
                    && (g - c).abs() <= TOLERANCE * c.abs().max(1.0));
            if !same {
                let px = i / 4 * 4;
                failures.push(format!(
                    "{name}: input {:?}: gpu {:?} twin {:?}",
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

#[test]
fn empty_program_leaves_pixels_unchanged() {
    let Some(ctx) = ctx() else { return };
    let input = dense_inputs();
    let mut gpu = input.clone();
    let mut ex = Executor::new(ctx, &PackedProgram::default()).unwrap();
    ex.apply(&mut gpu, (input.len() / 4) as u32, 1).unwrap();
    assert_eq!(
        bytemuck::cast_slice::<f32, u32>(&gpu),
        bytemuck::cast_slice::<f32, u32>(&input)
    );
}

/// A frame split into several binding windows and several passes (limits
/// shrunk so a small frame exercises what a UHD or 8K frame does on a real
/// device) gives the same result as one dispatch.
#[test]
fn windows_and_passes_cover_the_whole_frame() {
    let Some(ctx) = ctx() else { return };
    let (_, prog) = cases().into_iter().find(|(n, _)| n == "cdl asc").unwrap();
    let (w, h) = (301u32, 17u32);
    let input: Vec<f32> = (0..w * h * 4).map(|i| (i % 1013) as f32 / 900.0).collect();
    let mut whole = input.clone();
    Executor::new(ctx, &prog)
        .unwrap()
        .apply(&mut whole, w, h)
        .unwrap();
    let mut split = input.clone();
    let mut ex = Executor::new(ctx, &prog).unwrap();
    // 4 KiB windows, 3 windows per pass, at most 7 workgroups per dimension.
    ex.shrink_limits_for_test(4096, 3, 7);
    ex.apply(&mut split, w, h).unwrap();
    let mut cpu = input.clone();
    twin::run(&mut cpu, &prog.ops, &prog.data);
    assert_eq!(whole, split);
    let (err, _) = max_err(&split, &cpu);
    assert!(err <= TOLERANCE, "{err}");
}

#[test]
fn pipelined_frames_match_apply() {
    let Some(ctx) = ctx() else { return };
    let (_, prog) = cases()
        .into_iter()
        .find(|(n, _)| n == "lut3d tetrahedral")
        .unwrap();
    let (w, h) = (64u32, 48u32);
    let frames: Vec<Vec<f32>> = (0..5)
        .map(|f| {
            (0..w * h * 4)
                .map(|i| ((i * 7 + f * 13) % 997) as f32 / 800.0 - 0.1)
                .collect()
        })
        .collect();
    let mut ex = Executor::new(ctx, &prog).unwrap();
    let mut expected = Vec::new();
    for f in &frames {
        let mut px = f.clone();
        ex.apply(&mut px, w, h).unwrap();
        expected.push(px);
    }
    let mut got = Vec::new();
    let mut pending = std::collections::VecDeque::new();
    for f in &frames {
        if pending.len() == Executor::FRAMES_IN_FLIGHT {
            got.push(ex.collect(pending.pop_front().unwrap()).unwrap());
        }
        pending.push_back(ex.submit(f.clone(), w, h).unwrap());
    }
    // A third frame in flight is refused, not queued or dropped.
    let err = ex.submit(frames[0].clone(), w, h).unwrap_err();
    assert!(err.to_string().contains("in flight"), "{err}");
    for t in pending {
        got.push(ex.collect(t).unwrap());
    }
    assert_eq!(got, expected);
}

#[test]
fn wrong_buffer_size_is_an_error() {
    let Some(ctx) = ctx() else { return };
    let mut ex = Executor::new(ctx, &PackedProgram::default()).unwrap();
    let mut px = vec![0.0; 10];
    let err = ex.apply(&mut px, 2, 2).unwrap_err();
    assert!(err.to_string().contains("needs 16 floats"), "{err}");
}

#[test]
fn table_outside_data_is_refused() {
    let Some(ctx) = ctx() else { return };
    let prog = program(vec![rec(packed::KIND_LUT3D, 0, 17, 0, &[])], vec![0.0; 100]);
    let Err(err) = Executor::new(ctx, &prog) else {
        panic!("a table outside the data must be refused")
    };
    assert!(matches!(err, crate::Error::Gpu(_)));
    assert!(err.to_string().contains("op 1"), "{err}");
}

/// A broken shader becomes an `Error::Gpu` naming the shader file and line,
/// not a panic in wgpu's default error handler.
#[test]
fn shader_error_is_a_value_with_file_and_line() {
    let Some(ctx) = ctx() else { return };
    let composed = compose::compose([
        ("good.wgsl", "fn helper() -> f32 {\n    return 1.0;\n}\n"),
        (
            "bad.wgsl",
            "@compute @workgroup_size(1)\nfn main() {\n    let x: f32 = undefined_thing;\n}\n",
        ),
    ]);
    let built = pollster::block_on(context::build_pipeline(&ctx.device, &ctx.layout, &composed));
    let Err(err) = built else {
        panic!("a broken shader must be an error")
    };
    let msg = err.to_string();
    assert!(msg.contains("engine/src/ops/bad.wgsl:3"), "{msg}");
    ctx.errors.take().unwrap();
}

#[test]
fn wgsl_op_record_matches_rust() {
    use context::sources::*;
    assert_eq!(
        WGSL_OP_RECORD_SIZE as usize,
        std::mem::size_of::<OpRecord>()
    );
    let rust = [
        ("kind", std::mem::offset_of!(OpRecord, kind)),
        ("flags", std::mem::offset_of!(OpRecord, flags)),
        ("n", std::mem::offset_of!(OpRecord, n)),
        ("data", std::mem::offset_of!(OpRecord, data)),
        ("p", std::mem::offset_of!(OpRecord, p)),
    ];
    for ((wn, wo), (rn, ro)) in WGSL_OP_RECORD_OFFSETS.iter().zip(rust) {
        assert_eq!((*wn, *wo as usize), (rn, ro));
    }
    use packed::*;
    let want = [
        ("KIND_MATRIX", KIND_MATRIX),
        ("KIND_CDL", KIND_CDL),
        ("KIND_LUT1D", KIND_LUT1D),
        ("KIND_LUT3D", KIND_LUT3D),
        ("KIND_RANGE", KIND_RANGE),
        ("KIND_LOG", KIND_LOG),
        ("KIND_EXPONENT", KIND_EXPONENT),
        ("KIND_PRIMARY", KIND_PRIMARY),
        ("CDL_CLAMP", CDL_CLAMP),
        ("INVERSE", INVERSE),
        ("LUT1D_HALF_DOMAIN", LUT1D_HALF_DOMAIN),
        ("LUT3D_TRILINEAR", LUT3D_TRILINEAR),
        ("RANGE_CLAMP_LOW", RANGE_CLAMP_LOW),
        ("RANGE_CLAMP_HIGH", RANGE_CLAMP_HIGH),
        ("STYLE_SHIFT", STYLE_SHIFT),
        ("STYLE_MASK", STYLE_MASK),
        ("WORKGROUP_SIZE", super::WORKGROUP_SIZE),
    ];
    for (name, value) in want {
        let wgsl = WGSL_U32_CONSTANTS.iter().find(|(n, _)| *n == name);
        assert_eq!(wgsl.map(|(_, v)| *v), Some(value), "{name}");
    }
}

#[test]
fn shader_files_compose_in_the_shared_order() {
    let names: Vec<&str> = context::sources::SHADER_SOURCES
        .iter()
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(names, compose::all_shader_files());
    for exact in [true, false] {
        let files = compose::shader_files(exact);
        assert_eq!(files.contains(&compose::EXACT_MATHS), exact, "{files:?}");
        assert!(!files.contains(&compose::MATHS));
    }
    let c = compose::compose(compose::shader_files(true).map(context::source));
    // The first line of each file maps back to line 1 of that file.
    let lines: Vec<&str> = c.source.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if let Some(name) = l
            .strip_prefix("// ---- engine/src/ops/")
            .and_then(|r| r.strip_suffix(" ----"))
        {
            assert_eq!(c.locate(i as u32 + 2), Some((name, 1)));
        }
    }
}

/// GPU against the CPU backend (the fast executor) and the CPU reference
/// executor (`cpu::reference`, the oracle) for one op of every kind, style
/// and direction (`grade::samples`), each packed by `Program::pack()`, on
/// `grade::dense_inputs()`: with the exact maths the same bits as the CPU
/// backend, and within [`TOLERANCE`] of the reference (the forward CDL's
/// power is the fast executor's `fastmath::pow` on both backends).
#[test]
fn every_op_matches_the_cpu_reference() {
    let Some(ctx) = ctx() else { return };
    every_op_against_the_cpu(ctx);
}

/// Mesa's lavapipe (CI's adapter) exposes `SHADER_F64`, so the
/// bit-identical checks above run there rather than falling back to the
/// built-in maths unnoticed.
#[test]
fn lavapipe_runs_the_exact_maths() {
    let Some(ctx) = ctx() else { return };
    let info = ctx.adapter_info();
    if info.name.contains("llvmpipe") || info.driver.contains("llvmpipe") {
        assert!(info.exact_maths, "{info}");
    }
}

/// The same with the WGSL built-in pow/log2/exp2 (the variant for adapters
/// without f64): within [`TOLERANCE`] of both CPU executors.
#[test]
fn builtin_maths_match_the_cpu_reference() {
    let Some(_) = ctx() else { return };
    let ctx = Context::with_builtin_maths().unwrap();
    assert!(!ctx.adapter_info().exact_maths);
    every_op_against_the_cpu(&ctx);
}

fn every_op_against_the_cpu(ctx: &Context) {
    let exact = ctx.adapter_info().exact_maths;
    eprintln!("adapter: {}", ctx.adapter_info());
    let input = crate::grade::dense::dense_rgba();
    let (w, h) = ((input.len() / 4) as u32, 1);
    let mut failures = Vec::new();
    let (mut total, mut differing, mut differing_ref) = (0usize, 0usize, 0usize);
    for op in crate::grade::samples::every_op() {
        let name = format!("{op:?}").chars().take(60).collect::<String>();
        let prog = crate::grade::Program { ops: vec![op] };
        let packed = prog.pack();
        let mut gpu = input.clone();
        Executor::new(ctx, &packed)
            .unwrap()
            .apply(&mut gpu, w, h)
            .unwrap();
        let fast = cpu_backend(&packed, &input);
        let mut cpu = input.clone();
        crate::cpu::reference::apply(&prog, &mut cpu);
        let codes = |a: &[f32], b: &[f32]| {
            a.iter()
                .zip(b)
                .filter(|(g, c)| code16(**g) != code16(**c))
                .count()
        };
        let (err, at) = max_err(&gpu, &cpu);
        let (fast_err, fast_at) = max_err(&gpu, &fast);
        let d = codes(&gpu, &fast);
        total += gpu.len();
        differing += d;
        differing_ref += codes(&gpu, &cpu);
        eprintln!(
            "{:5} samples' bits, {d:4} 16-bit codes differ from the CPU backend; \
             {err:.3e} max error vs the reference: {name}",
            bits_differ(&gpu, &fast)
        );
        if exact {
            failures.extend(first_difference(&name, &input, &gpu, &fast));
        } else if fast_err > TOLERANCE {
            let px = fast_at / 4 * 4;
            failures.push(format!(
                "{name}: error {fast_err:e} vs the CPU backend at input {:?}",
                &input[px..px + 3]
            ));
        }
        if err > TOLERANCE {
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

/// NaN and +-Inf through every op: the same NaN-ness and values on the GPU
/// as in the CPU reference.
#[test]
fn nan_and_inf_follow_the_cpu_reference() {
    let Some(ctx) = ctx() else { return };
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
    for op in crate::grade::samples::every_op() {
        let name = format!("{op:?}").chars().take(60).collect::<String>();
        let prog = crate::grade::Program { ops: vec![op] };
        let mut gpu = input.clone();
        Executor::new(ctx, &prog.pack())
            .unwrap()
            .apply(&mut gpu, w, h)
            .unwrap();
        let mut cpu = input.clone();
        crate::cpu::reference::apply(&prog, &mut cpu);
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

/// Every public LUT and CDL fixture grade reads (each file's ops as one
/// program, optimised as `grade apply` runs them) on the dense inputs: the
/// GPU gives the CPU backend's bits (with the exact maths; else within
/// [`TOLERANCE`]), and agrees with the CPU reference executor within
/// [`TOLERANCE`] (relative above 1).
#[test]
fn every_public_fixture_matches_the_cpu_reference() {
    let Some(ctx) = ctx() else { return };
    let exact = ctx.adapter_info().exact_maths;
    let exts = [
        "cube", "3dl", "spi1d", "spi3d", "spimtx", "csp", "clf", "cc", "ccc", "cdl",
    ];
    let input = crate::grade::dense::dense_rgba();
    let (w, h) = ((input.len() / 4) as u32, 1);
    let mut failures = Vec::new();
    let (mut checked, mut differing, mut total) = (0, 0usize, 0usize);
    for path in crate::testutil::fixtures_with_ext("public", &exts) {
        if path.components().any(|c| c.as_os_str() == "illegal") {
            continue;
        }
        // Files grade cannot read yet are the formats tests' business.
        let Ok(ops) = crate::formats::load(&path, None) else {
            continue;
        };
        let prog = crate::grade::Program { ops }.optimise();
        let packed = prog.pack();
        let mut gpu = input.clone();
        Executor::new(ctx, &packed)
            .unwrap()
            .apply(&mut gpu, w, h)
            .unwrap();
        let fast = cpu_backend(&packed, &input);
        let mut cpu = input.clone();
        crate::cpu::reference::apply(&prog, &mut cpu);
        let (err, at) = max_err(&gpu, &cpu);
        let bits = bits_differ(&gpu, &fast);
        let codes = gpu
            .iter()
            .zip(&fast)
            .filter(|(g, c)| code16(**g) != code16(**c))
            .count();
        differing += codes;
        total += gpu.len();
        eprintln!(
            "{bits:5} samples' bits, {codes:4} 16-bit codes differ from the CPU backend; \
             {err:.3e} max error vs the reference: {}",
            path.display()
        );
        checked += 1;
        let name = path.display().to_string();
        if exact {
            failures.extend(first_difference(&name, &input, &gpu, &fast));
        } else if max_err(&gpu, &fast).0 > TOLERANCE {
            failures.push(format!(
                "{name}: more than {TOLERANCE:e} from the CPU backend"
            ));
        }
        if err > TOLERANCE {
            let px = at / 4 * 4;
            failures.push(format!(
                "{name}: error {err:e} at input {:?}: gpu {:?} cpu {:?}",
                &input[px..px + 3],
                &gpu[px..px + 3],
                &cpu[px..px + 3],
            ));
        }
    }
    eprintln!(
        "{checked} fixture programs checked on the GPU; 16-bit code values differing from \
         the CPU backend: {differing} of {total}"
    );
    assert!(checked >= 20, "only {checked} fixtures were readable");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every built-in colour space to and from ACES2065-1 (`--from X --to aces`
/// and back, optimised as `grade apply` runs them): the GPU agrees with the
/// CPU reference executor within [`TOLERANCE`] on the inputs of the
/// OpenColorIO reference files (tests/data/builtin), which span each
/// space's working range. (Far outside it, e.g. Blackmagic Film code 2.0 ->
/// 2e7 linear, lavapipe's built-in exp2 is up to 6e-5 relative from the
/// CPU's; the exact maths give the same bits, checked here too.)
#[test]
fn every_builtin_colour_space_matches_the_cpu_reference() {
    let Some(ctx) = ctx() else { return };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/builtin");
    let mut failures = Vec::new();
    for cs in crate::colorspace::registry() {
        let text = std::fs::read_to_string(dir.join(format!("{}.json", cs.name))).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        for (from, to, key) in [(cs.name, "aces", "rows"), ("aces", cs.name, "inverse_rows")] {
            let mut input = Vec::new();
            for row in v[key].as_array().unwrap() {
                for c in 0..3 {
                    input.push(row[0][c].as_f64().unwrap() as f32);
                }
                input.push(1.0);
            }
            let (w, h) = ((input.len() / 4) as u32, 1);
            let ops = crate::colorspace::conversion(from, to).unwrap();
            let prog = crate::grade::Program { ops }.optimise();
            let mut gpu = input.clone();
            Executor::new(ctx, &prog.pack())
                .unwrap()
                .apply(&mut gpu, w, h)
                .unwrap();
            let mut cpu = input.clone();
            crate::cpu::reference::apply(&prog, &mut cpu);
            let (err, _) = max_err(&gpu, &cpu);
            eprintln!("{err:.3e} max error: --from {from} --to {to}");
            if err > TOLERANCE {
                failures.push(format!("--from {from} --to {to}: error {err:e}"));
            }
            if ctx.adapter_info().exact_maths {
                let fast = cpu_backend(&prog.pack(), &input);
                failures.extend(first_difference(
                    &format!("--from {from} --to {to}"),
                    &input,
                    &gpu,
                    &fast,
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

//! GPU kernel tests against the line-by-line CPU twin (`twin.rs`): every op
//! kind and style, dense inputs including negatives and values above 1,
//! NaN/Inf, large frames split into windows and passes, the pipelined API,
//! and shader errors as values. Under CI=true a missing adapter fails them.

use std::sync::OnceLock;

use super::{compose, context, twin, Context, Executor};
use crate::grade::packed::{self, OpRecord, PackedProgram};

/// The shared context, or `None` (after saying why) outside CI.
fn ctx() -> Option<&'static Context> {
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

/// One named program per op kind and style.
fn cases() -> Vec<(String, PackedProgram)> {
    use packed::*;
    let mut out: Vec<(String, PackedProgram)> = Vec::new();
    let mut add = |name: &str, p: PackedProgram| out.push((name.to_string(), p));

    add(
        "matrix",
        program(
            vec![rec(
                KIND_MATRIX,
                0,
                0,
                0,
                &[
                    [0.6274, 0.3293, 0.0433, 0.01],
                    [0.0691, 0.9195, 0.0114, -0.02],
                    [0.0164, 0.0880, 0.8956, 0.0],
                ],
            )],
            vec![],
        ),
    );
    for (name, flags) in [
        ("range clamp", RANGE_CLAMP_LOW | RANGE_CLAMP_HIGH),
        ("range clamp low", RANGE_CLAMP_LOW),
        ("range clamp high", RANGE_CLAMP_HIGH),
        ("range no clamp", 0),
    ] {
        add(
            name,
            program(
                vec![rec(
                    KIND_RANGE,
                    flags,
                    0,
                    0,
                    &[
                        [1.1678, 1.1678, 1.1678, 0.0],
                        [-0.0730, -0.0730, -0.0730, 0.0],
                        [0.0, 0.0, 0.0, 0.0],
                        [1.0, 1.0, 1.0, 0.0],
                    ],
                )],
                vec![],
            ),
        );
    }
    let cdl = [
        [1.2, 0.9, 1.05, 0.8],
        [0.02, -0.01, 0.03, 0.0],
        [1.1, 0.95, 1.3, 0.0],
    ];
    for (name, flags) in [
        ("cdl asc", CDL_CLAMP),
        ("cdl no-clamp", 0),
        ("cdl asc inverse", CDL_CLAMP | INVERSE),
        ("cdl no-clamp inverse", INVERSE),
    ] {
        add(
            name,
            program(vec![rec(KIND_CDL, flags, 0, 0, &cdl)], vec![]),
        );
    }

    // 1D: a gamma curve on [0,1] and on a wider domain, the inverse of a
    // prepared (non-decreasing, flat at the start) table, a decreasing one
    // (prepared as negated), and a half-domain table. Tables start past
    // other data to exercise `data` offsets.
    let n1 = 33u32;
    let last = (n1 - 1) as f32;
    let mut data = vec![9.0; 5];
    for i in 0..n1 {
        let x = i as f32 / last;
        data.extend_from_slice(&[x.powf(1.0 / 2.2), x * x, 0.1 + 0.8 * x]);
    }
    let dom01 = [[0.0; 4], [1.0, 1.0, 1.0, 0.0], [last, last, last, 0.0]];
    let wide = [
        [-0.5, -0.25, 0.0, 0.0],
        [2.0, 1.5, 1.0, 0.0],
        [last / 2.5, last / 1.75, last, 0.0],
    ];
    add(
        "lut1d",
        program(vec![rec(KIND_LUT1D, 0, n1, 5, &dom01)], data.clone()),
    );
    add(
        "lut1d domain",
        program(vec![rec(KIND_LUT1D, 0, n1, 5, &wide)], data.clone()),
    );
    let mut inv = Vec::new();
    for i in 0..n1 {
        let x = i as f32 / last;
        inv.extend_from_slice(&[x.powf(1.0 / 2.2), (x - 0.2).max(0.0), 0.1 + 0.8 * x]);
    }
    let inv_p = [
        [-0.5, 0.0, 0.0, 0.0],
        [2.0, 1.0, 1.0, 0.0],
        [2.5 / last, 1.0 / last, 1.0 / last, 0.0],
        [0.0, 6.0, 0.0, 0.0],
        [last, last, last, 0.0],
        [1.0, 1.0, 1.0, 0.0],
    ];
    add(
        "lut1d inverse",
        program(vec![rec(KIND_LUT1D, INVERSE, n1, 0, &inv_p)], inv),
    );
    let mut dec = Vec::new();
    for i in 0..n1 {
        let x = i as f32 / last;
        dec.extend_from_slice(&[-(1.0 - x * x), -(1.0 - x), -(0.9 - 0.7 * x)]);
    }
    let dec_p = [
        [0.0; 4],
        [1.0, 1.0, 1.0, 0.0],
        [1.0 / last, 1.0 / last, 1.0 / last, 0.0],
        [0.0; 4],
        [last, last, last, 0.0],
        [-1.0, -1.0, -1.0, 0.0],
    ];
    add(
        "lut1d inverse decreasing",
        program(vec![rec(KIND_LUT1D, INVERSE, n1, 0, &dec_p)], dec),
    );
    let mut half = Vec::with_capacity(65536 * 3);
    for h in 0..65536u32 {
        let v = half::f16::from_bits(h as u16).to_f32();
        let v = if v.is_finite() { v } else { 7.0 };
        half.extend_from_slice(&[v * 0.5 + 0.1, v * v, -v]);
    }
    add(
        "lut1d half domain",
        program(
            vec![rec(KIND_LUT1D, LUT1D_HALF_DOMAIN, 65536, 0, &[])],
            half,
        ),
    );

    // 3D: a smooth, channel-mixing look, on [0,1] and a wider domain.
    let n3 = 17u32;
    let last3 = (n3 - 1) as f32;
    let mut lattice = vec![0.0; 3];
    for b in 0..n3 {
        for g in 0..n3 {
            for r in 0..n3 {
                let (x, y, z) = (r as f32 / last3, g as f32 / last3, b as f32 / last3);
                lattice.extend_from_slice(&[
                    (0.8 * x + 0.2 * y).powf(0.8),
                    y * y * 0.9 + 0.1 * z,
                    (z + 0.3 * x * y).sin(),
                ]);
            }
        }
    }
    let dom3 = [[0.0; 4], [1.0, 1.0, 1.0, 0.0], [last3, last3, last3, 0.0]];
    let wide3 = [
        [-0.5, -0.25, 0.0, 0.0],
        [2.0, 1.5, 1.0, 0.0],
        [last3 / 2.5, last3 / 1.75, last3, 0.0],
    ];
    for (name, flags, p) in [
        ("lut3d tetrahedral", 0, dom3),
        ("lut3d trilinear", LUT3D_TRILINEAR, dom3),
        ("lut3d tetrahedral domain", 0, wide3),
    ] {
        add(
            name,
            program(vec![rec(KIND_LUT3D, flags, n3, 3, &p)], lattice.clone()),
        );
    }

    // Log: prepared constants k0..k6 in the shapes LogRender uses
    // (Cineon-like slopes, base 10, a camera break).
    let log10_2 = std::f32::consts::LOG10_2;
    let log2_10 = std::f32::consts::LOG2_10;
    let k_lin_to_log = [
        [2.0, 1.5, 1.0, 0.0],
        [0.01, 0.02, 0.03, 0.0],
        [0.25 * log10_2, 0.3 * log10_2, 0.35 * log10_2, 0.0],
        [0.5, 0.55, 0.6, 0.0],
        [0.05, 0.05, 0.05, 0.0],
        [4.0, 3.5, 3.0, 0.0],
        [0.2, 0.25, 0.3, 0.0],
    ];
    let k_log_to_lin = [
        [-0.5, -0.55, -0.6, 0.0],
        [log2_10 / 0.25, log2_10 / 0.3, log2_10 / 0.35, 0.0],
        [-0.01, -0.02, -0.03, 0.0],
        [0.5, 1.0 / 1.5, 1.0, 0.0],
        [0.2, 0.25, 0.3, 0.0],
        [0.25, 1.0 / 3.5, 1.0 / 3.0, 0.0],
        [-0.2, -0.25, -0.3, 0.0],
    ];
    let k_log10 = [[log10_2, log10_2, log10_2, 0.0]];
    let k_log2 = [[1.0, 1.0, 1.0, 0.0]];
    let k_alog10 = [[log2_10, log2_10, log2_10, 0.0]];
    for (s, name, k) in [
        (0u32, "log10", &k_log10[..]),
        (1, "log2", &k_log2[..]),
        (2, "antilog10", &k_alog10[..]),
        (3, "antilog2", &k_log2[..]),
        (4, "lin to log", &k_lin_to_log[..]),
        (5, "log to lin", &k_log_to_lin[..]),
        (6, "camera lin to log", &k_lin_to_log[..]),
        (7, "camera log to lin", &k_log_to_lin[..]),
    ] {
        add(
            &format!("log {name}"),
            program(vec![rec(KIND_LOG, style(s), 0, 0, k)], vec![]),
        );
    }

    // Exponent: p0 = power used; moncurve constants as ExponentRender
    // prepares them (sRGB-like 2.4 / 0.055 and Rec.709-like 2.2 / 0.099).
    let moncurve = |g: f32, off: f32, rev: bool| {
        let brk = off / (g - 1.0);
        let slope = ((g - 1.0) / off) * ((off * g) / ((g - 1.0) * (1.0 + off))).powf(g);
        if rev {
            (1.0 / g, off, brk * slope, 1.0 / slope, 1.0 + off)
        } else {
            (g, off / (1.0 + off), brk, slope, 1.0 / (1.0 + off))
        }
    };
    for (s, name) in [
        "basic fwd",
        "basic rev",
        "mirror fwd",
        "mirror rev",
        "pass-thru fwd",
        "pass-thru rev",
        "moncurve fwd",
        "moncurve rev",
        "moncurve mirror fwd",
        "moncurve mirror rev",
    ]
    .iter()
    .enumerate()
    {
        let rev = s % 2 == 1;
        let params = [(2.4f32, 0.055f32), (2.2, 0.099), (2.6, 0.04)];
        let mut p = [[0.0f32; 4]; 5];
        for (c, (g, off)) in params.iter().enumerate() {
            let (pw, o, brk, slope, scale) = if s >= 6 {
                moncurve(*g, *off, rev)
            } else {
                (if rev { 1.0 / g } else { *g }, 0.0, 0.0, 0.0, 0.0)
            };
            p[0][c] = pw;
            p[1][c] = o;
            p[2][c] = brk;
            p[3][c] = slope;
            p[4][c] = scale;
        }
        add(
            &format!("exponent {name}"),
            program(vec![rec(KIND_EXPONENT, style(s as u32), 0, 0, &p)], vec![]),
        );
    }

    add(
        "primary",
        program(
            vec![rec(
                KIND_PRIMARY,
                0,
                0,
                0,
                &[
                    [std::f32::consts::SQRT_2, 1.3, 1.5, 0.0],
                    [1.2, 1.1, 0.9, 0.18],
                    [0.02, 0.0, -0.01, 0.0],
                    [1.1, 1.0, 0.95, 0.0],
                    [0.833_333_3, 1.0, 1.1, 0.0],
                    [0.01, 0.0, -0.02, 0.0],
                    [1.1, 0.0, 0.0, 0.0],
                ],
            )],
            vec![],
        ),
    );
    out
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

// GPU vs twin: 1e-5. Both sides run the same f32 operations in the same
// order; they differ only where a GPU's pow/log2/exp2 differ from Rust's
// (the Vulkan/WGSL precision rules allow 3 ULP for exp2/log2 and more for
// pow), which after the curves here stays well under 1e-5.
const TOLERANCE: f32 = 1e-5;

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
    assert!(msg.contains("shaders/bad.wgsl:3"), "{msg}");
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
    assert_eq!(names, compose::SHADER_FILES);
    let c = compose::compose(context::sources::SHADER_SOURCES);
    // The first line of each file maps back to line 1 of that file.
    let lines: Vec<&str> = c.source.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if let Some(name) = l
            .strip_prefix("// ---- shaders/")
            .and_then(|r| r.strip_suffix(" ----"))
        {
            assert_eq!(c.locate(i as u32 + 2), Some((name, 1)));
        }
    }
}

/// GPU against the CPU reference executor (`cpu::reference`, the oracle)
/// for one op of every kind, style and direction (`grade::samples`), each
/// packed by `Program::pack()`, on `grade::dense_inputs()`.
#[test]
fn every_op_matches_the_cpu_reference() {
    let Some(ctx) = ctx() else { return };
    eprintln!("adapter: {}", ctx.adapter_info());
    let input = crate::grade::dense::dense_rgba();
    let (w, h) = ((input.len() / 4) as u32, 1);
    let mut failures = Vec::new();
    let (mut total, mut differing) = (0usize, 0usize);
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
        let (err, at) = max_err(&gpu, &cpu);
        let d = gpu
            .iter()
            .zip(&cpu)
            .filter(|(g, c)| code16(**g) != code16(**c))
            .count();
        total += gpu.len();
        differing += d;
        eprintln!("{err:.3e} max error, {d:4} 16-bit codes differ: {name}");
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
    eprintln!("16-bit code values differing from the CPU reference: {differing} of {total}");
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

/// Relative and absolute nudge given to every op's output by [`spread`]:
/// 4 ulp, and 2^-21 (Vulkan's bound on `log2`'s absolute error; `exp2` may
/// be 3 + 2|x| ulp off).
const NUDGE: f32 = 4.0 * f32::EPSILON;
const NUDGE_ABS: f32 = 1.0 / (1 << 21) as f32;

/// How far the CPU result of `prog` moves when every op's output is
/// nudged by [`NUDGE`] and [`NUDGE_ABS`] (signs alternating by op and
/// channel, both ways): the spread that the few-ulp differences the GPU's
/// built-in `exp2`/`log2` are allowed can cause through a file's own
/// arithmetic (a matrix cancelling large log-curve outputs, ten chained
/// log/antilog nodes). Near zero for LUTs, CDLs and matrices alone.
fn spread(prog: &crate::grade::Program, input: &[f32], cpu: &[f32]) -> Vec<f32> {
    let renders = prog.render();
    let mut out = vec![0.0f32; input.len()];
    for sign in [1.0f32, -1.0] {
        let mut v = input.to_vec();
        for (k, r) in renders.iter().enumerate() {
            for px in v.chunks_exact_mut(4) {
                let o = r.apply([px[0], px[1], px[2]]);
                for c in 0..3 {
                    let s = if (k + c) % 2 == 0 { sign } else { -sign };
                    px[c] = o[c] * (1.0 + s * NUDGE) + s * NUDGE_ABS;
                }
            }
        }
        for ((o, a), b) in out.iter_mut().zip(&v).zip(cpu) {
            let d = (a - b).abs();
            *o = o.max(if d.is_nan() { 0.0 } else { d });
        }
    }
    out
}

/// Every public LUT and CDL fixture grade reads (each file's ops as one
/// program, optimised as `grade apply` runs them) on the dense inputs: the
/// GPU agrees with the CPU reference executor within [`TOLERANCE`] (relative
/// above 1), plus the [`spread`] the file's arithmetic gives few-ulp
/// differences in each op.
#[test]
fn every_public_fixture_matches_the_cpu_reference() {
    let Some(ctx) = ctx() else { return };
    let exts = [
        "cube", "3dl", "spi1d", "spi3d", "spimtx", "csp", "clf", "cc", "ccc", "cdl",
    ];
    let input = crate::grade::dense::dense_rgba();
    let (w, h) = ((input.len() / 4) as u32, 1);
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in crate::testutil::fixtures_with_ext("public", &exts) {
        if path.components().any(|c| c.as_os_str() == "illegal") {
            continue;
        }
        // Files grade cannot read yet are the formats tests' business.
        let Ok(ops) = crate::formats::load(&path, None) else {
            continue;
        };
        let prog = crate::grade::Program { ops }.optimise();
        let mut gpu = input.clone();
        Executor::new(ctx, &prog.pack())
            .unwrap()
            .apply(&mut gpu, w, h)
            .unwrap();
        let mut cpu = input.clone();
        crate::cpu::reference::apply(&prog, &mut cpu);
        let (err, _) = max_err(&gpu, &cpu);
        let spread = spread(&prog, &input, &cpu);
        // Worst difference as a share of what is allowed at that sample.
        let mut worst = (0.0f32, 0usize);
        for (i, ((g, c), s)) in gpu.iter().zip(&cpu).zip(&spread).enumerate() {
            if g == c || (g.is_nan() && c.is_nan()) {
                continue;
            }
            let share = (g - c).abs() / (TOLERANCE * c.abs().max(1.0) + s);
            let share = if share.is_nan() { f32::INFINITY } else { share };
            if share > worst.0 {
                worst = (share, i);
            }
        }
        eprintln!(
            "{err:.3e} max error, {:.2} of allowed: {}",
            worst.0,
            path.display()
        );
        checked += 1;
        if worst.0 > 1.0 {
            let px = worst.1 / 4 * 4;
            failures.push(format!(
                "{}: error {err:e} at input {:?}: gpu {:?} cpu {:?} (spread {:?})",
                path.display(),
                &input[px..px + 3],
                &gpu[px..px + 3],
                &cpu[px..px + 3],
                &spread[px..px + 3]
            ));
        }
    }
    eprintln!("{checked} fixture programs checked on the GPU");
    assert!(checked >= 20, "only {checked} fixtures were readable");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every built-in colour space to and from ACES2065-1 (`--from X --to aces`
/// and back, optimised as `grade apply` runs them): the GPU agrees with the
/// CPU reference executor within [`TOLERANCE`] on the inputs of the
/// OpenColorIO reference files (tests/data/builtin), which span each
/// space's working range. (Far outside it, e.g. Blackmagic Film code 2.0 ->
/// 2e7 linear, lavapipe's exp2 is up to 6e-5 relative from Rust's.)
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
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

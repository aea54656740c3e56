//! Whole programs: every public LUT/CLF fixture and every built-in colour
//! space, on the GPU against the CPU executors.

use grade_engine::gpu::Context;
use grade_engine::grade::Program;

use super::compare::*;

/// Every public LUT and CDL fixture grade reads (each file's ops as one
/// program, optimised as `grade apply` runs them) on the dense inputs: the
/// GPU gives the CPU backend's bits (with the exact maths; else within
/// [`TOLERANCE`]), and agrees with the CPU reference executor within
/// [`TOLERANCE`] (relative above 1).
pub(crate) fn every_public_fixture_matches_the_cpu_reference(ctx: &Context) {
    let exact = ctx.adapter_info().exact_maths;
    let exts = [
        "cube", "3dl", "spi1d", "spi3d", "spimtx", "csp", "clf", "cc", "ccc", "cdl",
    ];
    let input = grade_engine::grade::dense::dense_rgba();
    let (w, h) = ((input.len() / 4) as u32, 1);
    let mut failures = Vec::new();
    let (mut checked, mut differing, mut total) = (0, 0usize, 0usize);
    for path in grade_engine::testutil::fixtures_with_ext("public", &exts) {
        if path.components().any(|c| c.as_os_str() == "illegal") {
            continue;
        }
        // Files grade cannot read yet are the formats tests' business.
        let Ok(ops) = grade_engine::formats::load(&path, None) else {
            continue;
        };
        let prog = Program { ops }.optimise();
        let packed = prog.pack();
        let gpu = gpu_backend(ctx, &packed, &input, w, h);
        let fast = cpu_backend(&packed, &input);
        let mut cpu = input.clone();
        grade_engine::cpu::reference::apply(&prog, &mut cpu);
        let (err, at) = max_err(&gpu, &cpu);
        let bits = bits_differ(&gpu, &fast);
        let codes = codes_differ(&gpu, &fast);
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
        if err > op_tolerance(&prog.ops) {
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
pub(crate) fn every_builtin_colour_space_matches_the_cpu_reference(ctx: &Context) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/builtin");
    let mut failures = Vec::new();
    for cs in grade_engine::colorspace::registry() {
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
            let ops = grade_engine::colorspace::conversion(from, to).unwrap();
            let prog = Program { ops }.optimise();
            let gpu = gpu_backend(ctx, &prog.pack(), &input, w, h);
            let mut cpu = input.clone();
            grade_engine::cpu::reference::apply(&prog, &mut cpu);
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

//! Config transforms translated into grade ops agree with OpenColorIO's own
//! CPU processor: every colour space pair, every look (forward and
//! inverted) and every display/view (forward and inverted) of the test
//! config `tests/data/ocio/config.ocio`, and one `--ocio-file`, each a trial.
//!
//! Each trial translates the transform ([`ConfigStep::translate`]) and runs
//! the ops through grade's reference executor, the fast executor on the
//! optimised program, and the GPU executor on it (lavapipe where there is
//! no GPU; under CI=true a missing adapter fails the trial). OpenColorIO
//! runs at `OPTIMIZATION_NONE` (see `engine/src/ocio/translate.rs`) on the
//! transform's probe inputs (the dense set, plus scene-linear ramps to 2^8
//! from a scene-linear source).
//!
//! Tolerance: where every transform was translated, 1e-5 absolute or 1e-5
//! relative per channel, as `ocio_parity/` (f32 maths on both sides); the
//! optimised programs may also differ by twice the output's change for a
//! four-ulp change of any value between ops (see [`compare`]: folded
//! matrices and the fast executor's CDL power where the transform is
//! ill-conditioned). The GPU runs the fast executor's program with the same
//! maths (`powf`/`log2f`/`exp2f` in f64 where the adapter has f64, as
//! lavapipe does), so there it must give the fast executor's bits, and
//! only with the WGSL built-ins does it take the same allowance. Where a
//! span was baked,
//! the bake's reported error (absolute up to 1, relative above, measured by
//! the translation against OCIO on the same inputs with the reference
//! executor) plus 1e-5 for the executors' own differences.
//!
//! `GRADE_PARITY_REPORT=1` prints the worst difference of every trial.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use grade_engine::grade::Program;
use grade_engine::ocio::config::{ConfigStep, ConfigTransform};
use grade_engine::ocio::{config_names, Optimization};
use grade_engine::testutil::{fixture, in_ci};
use libtest_mimic::{Arguments, Failed, Trial};

const ABS_TOL: f64 = 1e-5;
const REL_TOL: f64 = 1e-5;

fn config() -> PathBuf {
    fixture("ocio/config.ocio")
}

#[cfg(feature = "gpu")]
fn gpu() -> Result<Option<&'static grade_engine::gpu::Context>, Failed> {
    static CTX: OnceLock<Result<grade_engine::gpu::Context, String>> = OnceLock::new();
    match CTX.get_or_init(|| grade_engine::gpu::Context::new().map_err(|e| e.to_string())) {
        Ok(c) => Ok(Some(c)),
        Err(e) if in_ci() => {
            Err(format!("{e}; under CI=true a missing GPU adapter is a failure, not a skip").into())
        }
        Err(_) => Ok(None),
    }
}

/// Per channel, how far the output moves when the value between any two
/// ops (or the input) moves by about four f32 ulps (scaled by 1 +- 2^-21),
/// run through grade's reference executor (which is the OCIO result where
/// everything was translated): the transform's own sensitivity to one
/// rounding, which the optimised executors are allowed.
fn sensitivity(program: &Program, probe: &[f32], out: &[f32]) -> Vec<f64> {
    let mut sens = vec![0.0f64; probe.len()];
    let mut at = probe.to_vec();
    for k in 0..=program.ops.len() {
        let rest = Program {
            ops: program.ops[k..].to_vec(),
        };
        for f in [1.0 + 2f32.powi(-21), 1.0 - 2f32.powi(-21)] {
            let mut moved: Vec<f32> = at
                .iter()
                .enumerate()
                .map(|(i, v)| if i % 4 == 3 { *v } else { v * f })
                .collect();
            grade_engine::cpu::reference::apply(&rest, &mut moved);
            for ((s, m), o) in sens.iter_mut().zip(&moved).zip(out) {
                let d = f64::from(*m) - f64::from(*o);
                if d.is_finite() {
                    *s = s.max(d.abs());
                }
            }
        }
        if let Some(op) = program.ops.get(k) {
            grade_engine::cpu::reference::apply(
                &Program {
                    ops: vec![op.clone()],
                },
                &mut at,
            );
        }
    }
    sens
}

/// Where the transform holds an inverse 3D LUT, the probe pixels on which
/// grade's result is more than 1e-4 from OpenColorIO's yet as good a
/// preimage: the forward
/// transform (OpenColorIO, `OPTIMIZATION_NONE`) takes grade's result back
/// to the input within 1e-4 (absolute up to 1, relative above) of how
/// close it takes OpenColorIO's. Outside a 3D LUT's output range the
/// inverse is not unique (many inputs, in the extrapolated cubes, map to
/// one output), and grade's f32 solve, with its wider tolerances, may take
/// an earlier cube's preimage than OpenColorIO's f64 one; inside the range
/// the two agree within 1e-4 (`tests/cli/ocio.rs`).
fn other_preimages(
    step: &ConfigStep,
    config: &Path,
    probe: &[f32],
    grade: &[f32],
    ocio: &[f32],
) -> Result<Vec<bool>, Failed> {
    let forward = ConfigStep {
        transform: step.transform.clone(),
        invert: !step.invert,
    };
    let (processor, _) = forward.processor(Some(config)).map_err(|e| e.to_string())?;
    let processor = processor
        .with_optimization(Optimization::None)
        .map_err(|e| e.to_string())?;
    let mut back_grade = grade.to_vec();
    let mut back_ocio = ocio.to_vec();
    processor
        .apply_rgba(&mut back_grade)
        .map_err(|e| e.to_string())?;
    processor
        .apply_rgba(&mut back_ocio)
        .map_err(|e| e.to_string())?;
    let off = |back: &[f32], px: usize| {
        (0..3)
            .map(|c| {
                let (b, p) = (back[px * 4 + c], probe[px * 4 + c]);
                ((b - p).abs() / p.abs().max(1.0)) as f64
            })
            .fold(
                0.0f64,
                |a, b| if b.is_nan() { f64::INFINITY } else { a.max(b) },
            )
    };
    // Only where the two differ by more than the 1e-4 the inverse keeps to
    // inside the range: elsewhere the usual tolerance applies.
    let apart = |px: usize| {
        (0..3).any(|c| {
            let (g, o) = (grade[px * 4 + c], ocio[px * 4 + c]);
            (g - o).abs() / o.abs().max(1.0) > 1e-4
        })
    };
    Ok((0..probe.len() / 4)
        .map(|px| apart(px) && off(&back_grade, px) <= off(&back_ocio, px) + 1e-4)
        .collect())
}

/// Worst channel: (score against the tolerance, absolute difference, the
/// baked-style error abs/max(1, |ocio|), pixel index). With `sens`, a
/// channel also passes when it is within twice the transform's
/// [`sensitivity`] there: grade's optimiser folds matrices (dropping an f32
/// rounding OCIO keeps), the fast executor's CDL power is a few ulp from
/// `powf` (and a GPU's built-in pow/log, without f64, an ulp), and where
/// the transform is ill-conditioned (a log of a near-0 value left by
/// cancelling channels; a log-to-linear of 2.0 giving ~6e5 that a matrix
/// then cancels) one ulp upstream is more than 1e-5 of the output.
fn compare(grade: &[f32], ocio: &[f32], sens: Option<&[f64]>) -> (f64, f64, f64, usize) {
    let mut worst = (0.0f64, 0.0f64, 0.0f64, 0usize);
    for (i, (g, o)) in grade.iter().zip(ocio).enumerate() {
        if i % 4 == 3 {
            continue;
        }
        let (g, o) = (f64::from(*g), f64::from(*o));
        let (abs, score, baked) = if g == o || (g.is_nan() && o.is_nan()) {
            (0.0, 0.0, 0.0)
        } else if !o.is_finite() {
            // OCIO's own overflow: the translation measured the same way
            // does not count these either.
            (0.0, 0.0, 0.0)
        } else if !g.is_finite() {
            (f64::INFINITY, f64::INFINITY, f64::INFINITY)
        } else {
            let abs = (g - o).abs();
            let rel = abs / g.abs().max(o.abs());
            let mut score = (abs / ABS_TOL).min(rel / REL_TOL);
            if let Some(s) = sens {
                if abs <= 2.0 * s[i] {
                    score = score.min(1.0);
                }
            }
            (abs, score, abs / o.abs().max(1.0))
        };
        if score > worst.0 {
            worst = (score, abs, baked, i / 4);
        }
        worst.2 = worst.2.max(baked);
    }
    worst
}

fn trial(step: ConfigStep) -> Result<(), Failed> {
    let config = config();
    let label = step.label();
    let (processor, input) = step
        .processor(Some(&config))
        .map_err(|e| format!("{label}: {e}"))?;
    let t = grade_engine::ocio::translate::translate(&processor, &label, &input)
        .map_err(|e| format!("{label}: translate: {e}"))?;
    let ocio = processor
        .with_optimization(Optimization::None)
        .map_err(|e| e.to_string())?;
    let probe = input.probe();
    let mut expected = probe.clone();
    ocio.apply_rgba(&mut expected).map_err(|e| e.to_string())?;

    let program = Program { ops: t.ops.clone() };
    let mut outputs: Vec<(&str, Vec<f32>)> = Vec::new();
    let mut reference = probe.clone();
    grade_engine::cpu::reference::apply(&program, &mut reference);
    outputs.push(("reference", reference));
    let packed = program.clone().optimise().pack();
    let mut fast = probe.clone();
    grade_engine::cpu::fast::Executor::new(&packed)
        .map_err(|e| e.to_string())?
        .apply(&mut fast);
    outputs.push(("fast, optimised", fast));
    #[cfg(feature = "gpu")]
    if let Some(ctx) = gpu()? {
        let mut out = probe.clone();
        grade_engine::gpu::Executor::new(ctx, &packed)
            .map_err(|e| e.to_string())?
            .apply(&mut out, (probe.len() / 4) as u32, 1)
            .map_err(|e| e.to_string())?;
        if ctx.adapter_info().exact_maths {
            // Same program, same maths: the CPU backend's bits.
            let fast = &outputs[1].1;
            let differ = out
                .iter()
                .zip(fast)
                .filter(|(g, f)| g.to_bits() != f.to_bits() && !(g.is_nan() && f.is_nan()))
                .count();
            if differ > 0 {
                let i = out
                    .iter()
                    .zip(fast)
                    .position(|(g, f)| g.to_bits() != f.to_bits() && !(g.is_nan() && f.is_nan()))
                    .unwrap_or(0)
                    / 4
                    * 4;
                return Err(format!(
                    "{label}: the GPU differs from the fast executor in {differ} samples' bits; \
                     first at input {:?}: gpu {:?} fast {:?}",
                    &probe[i..i + 3],
                    &out[i..i + 3],
                    &fast[i..i + 3]
                )
                .into());
            }
        }
        outputs.push(("gpu, optimised", out));
    }

    let sens = sensitivity(&program, &probe, &outputs[0].1);
    let inverse_lut3d = t.ops.iter().any(|op| {
        matches!(op, grade_engine::grade::Op::Lut3d(l)
            if l.direction == grade_engine::ops::Direction::Inverse)
    });
    let mut failures = Vec::new();
    for (name, out) in &outputs {
        let scale = (*name != "reference").then_some(sens.as_slice());
        let mut out = out.clone();
        if inverse_lut3d {
            // Another preimage as good as OpenColorIO's counts as OpenColorIO's.
            let other = other_preimages(&step, &config, &probe, &out, &expected)?;
            let taken = other.iter().filter(|&&o| o).count();
            for (px, o) in other.iter().enumerate() {
                if *o {
                    out[px * 4..px * 4 + 3].copy_from_slice(&expected[px * 4..px * 4 + 3]);
                }
            }
            if std::env::var_os("GRADE_PARITY_REPORT").is_some() {
                println!(
                    "  {label} [{name}]: {taken} pixels are another preimage as good as OCIO's"
                );
            }
        }
        let out = &out;
        let (score, abs, baked, px) = compare(out, &expected, scale);
        let ok = match t.max_error {
            None => score <= 1.0,
            Some(bound) => baked <= bound + ABS_TOL,
        };
        if std::env::var_os("GRADE_PARITY_REPORT").is_some() {
            println!(
                "  {label} [{name}] {} ops{}: worst |grade - ocio| = {abs:.3e} ({score:.2} of 1e-5), \
                 abs/max(1,|ocio|) {baked:.3e}",
                t.ops.len(),
                t.max_error
                    .map_or(String::new(), |b| format!(", baked, reported {b:.2e}")),
            );
        }
        if !ok {
            let i = px * 4;
            failures.push(format!(
                "{label} [{name}]: worst difference {abs:.3e} ({}); input {:?} grade {:?} ocio {:?}",
                t.max_error.map_or("tolerance 1e-5 abs or rel".to_string(), |b| format!(
                    "baked, reported bound {b:.3e}"
                )),
                &probe[i..i + 3],
                &out[i..i + 3],
                &expected[i..i + 3],
            ));
        }
    }
    for note in &t.notes {
        if std::env::var_os("GRADE_PARITY_REPORT").is_some() {
            println!("  note: {note}");
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n").into())
    }
}

fn step(transform: ConfigTransform, invert: bool) -> ConfigStep {
    ConfigStep { transform, invert }
}

fn trials(config: &Path) -> Vec<Trial> {
    let names = config_names(config).expect("test config loads");
    let mut out = Vec::new();
    for a in &names.colorspaces {
        for b in &names.colorspaces {
            if a.name == b.name {
                continue;
            }
            let s = step(
                ConfigTransform::ColorSpaces {
                    from: a.name.clone(),
                    to: b.name.clone(),
                },
                false,
            );
            out.push(Trial::test(
                format!("colorspace::{}->{}", a.name, b.name),
                move || trial(s),
            ));
        }
    }
    for look in &names.looks {
        for invert in [false, true] {
            let s = step(
                ConfigTransform::Look {
                    looks: look.name.clone(),
                    spaces: None,
                },
                invert,
            );
            let suffix = if invert { "::inverse" } else { "" };
            out.push(Trial::test(
                format!("look::{}{suffix}", look.name),
                move || trial(s),
            ));
        }
        let s = step(
            ConfigTransform::Look {
                looks: look.name.clone(),
                spaces: Some(("linear".into(), "srgb".into())),
            },
            false,
        );
        out.push(Trial::test(
            format!("look::{}::linear->srgb", look.name),
            move || trial(s),
        ));
    }
    for d in &names.displays {
        for view in &d.views {
            for invert in [false, true] {
                let s = step(
                    ConfigTransform::Display {
                        display: d.name.clone(),
                        view: view.clone(),
                        from: None,
                    },
                    invert,
                );
                let suffix = if invert { "::inverse" } else { "" };
                out.push(Trial::test(
                    format!("display::{}/{view}{suffix}", d.name),
                    move || trial(s),
                ));
            }
        }
    }
    // The inverse of the 33^3 .3dl runs as grade's exact inverse 3D LUT.
    for (name, rel, inverses) in [
        (
            "lustre_33x33x33.3dl",
            "public/ocio/tests/data/files/lustre_33x33x33.3dl",
            &[false, true][..],
        ),
        (
            "sRGB_to_linear.spi1d",
            "public/ocio/tests/data/files/sRGB_to_linear.spi1d",
            &[false, true][..],
        ),
    ] {
        for &invert in inverses {
            let s = step(ConfigTransform::File(fixture(rel)), invert);
            let suffix = if invert { "::inverse" } else { "" };
            out.push(Trial::test(format!("file::{name}{suffix}"), move || {
                trial(s)
            }));
        }
    }
    out
}

fn main() {
    let args = Arguments::from_args();
    let trials = trials(&config());
    libtest_mimic::run(&args, trials).exit();
}

//! Comparing grade's executors with OpenColorIO's processor on the dense
//! input: the tolerances, the executors under test and the worst channel.

use super::*;

/// Agreement asked of every channel: within 1e-5 absolute (values near 0
/// and in [0,1], where f32 carries about 6e-8) or 1e-5 relative (values far
/// above 1, out of log and exponent curves and large LUT outputs, where an
/// f32 ulp alone is over 1e-7 relative and f32 pow/log differ by a few ulp).
pub(crate) const ABS_TOL: f64 = 1e-5;
pub(crate) const REL_TOL: f64 = 1e-5;

/// Outputs this large come only from LUT entries written as infinities,
/// which both sides hold as +-FLT_MAX. Interpolating those in f32 rounds at
/// the size of the entries (one ulp of FLT_MAX is 2.0e31), and OCIO's lerp
/// `a + (b - a)t` cancels where grade's `a(1 - t) + bt` does not, so such
/// outputs agree to 1e-5 of FLT_MAX, not of themselves.
pub(crate) const HUGE: f64 = 1e30;
pub(crate) const HUGE_TOL: f64 = 1e-5 * f32::MAX as f64;

/// The grade executors under test, in one place.
pub(crate) mod grade_side {
    use grade_engine::grade::Program;

    pub fn dense_rgba() -> Vec<f32> {
        grade_engine::grade::dense::dense_rgba()
    }

    pub fn reference(program: &Program, rgba: &mut [f32]) {
        grade_engine::cpu::reference::apply(program, rgba);
    }

    /// The optimised program, packed, through the fast executor on this
    /// thread.
    pub fn optimised_fast(program: &Program, rgba: &mut [f32]) -> Result<(), String> {
        let packed = program.clone().optimise().pack();
        let executor = grade_engine::cpu::fast::Executor::new(&packed)
            .map_err(|e| format!("fast executor rejected the packed program: {e}"))?;
        executor.apply(rgba);
        Ok(())
    }
}

/// The worst channel of a comparison.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Worst {
    /// Error normalised so that 1.0 is the tolerance.
    score: f64,
    abs: f64,
    pixel: usize,
    channel: usize,
}

pub(crate) fn compare(grade: &[f32], ocio: &[f32]) -> Worst {
    let mut worst = Worst::default();
    for (i, (g, o)) in grade.iter().zip(ocio).enumerate() {
        if i % 4 == 3 {
            continue;
        }
        let (g, o) = (f64::from(*g), f64::from(*o));
        let (abs, score) = if g == o || (g.is_nan() && o.is_nan()) {
            (0.0, 0.0)
        } else if !g.is_finite() || !o.is_finite() {
            (f64::INFINITY, f64::INFINITY)
        } else {
            let abs = (g - o).abs();
            let rel = abs / g.abs().max(o.abs());
            if g.abs().max(o.abs()) > HUGE {
                (abs, abs / HUGE_TOL)
            } else {
                (abs, (abs / ABS_TOL).min(rel / REL_TOL))
            }
        };
        if score > worst.score || (worst.score == 0.0 && abs > worst.abs) {
            worst = Worst {
                score,
                abs,
                pixel: i / 4,
                channel: i % 4,
            };
        }
    }
    worst
}

pub(crate) fn pixel(rgba: &[f32], i: usize) -> [f32; 3] {
    [rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2]]
}

/// Runs `program` through both grade executors and checks each against
/// OCIO's output of the same input.
pub(crate) fn check(label: &str, program: &Program, ocio: &Processor) -> Result<(), Failed> {
    let input = grade_side::dense_rgba();
    let mut expected = input.clone();
    ocio.apply_rgba(&mut expected)
        .map_err(|e| format!("{label}: OCIO apply: {e}"))?;

    let mut reference = input.clone();
    grade_side::reference(program, &mut reference);
    let mut fast = input.clone();
    grade_side::optimised_fast(program, &mut fast)?;

    let mut failures = Vec::new();
    for (name, out) in [("reference", &reference), ("fast, optimised", &fast)] {
        let w = compare(out, &expected);
        if std::env::var_os("GRADE_PARITY_REPORT").is_some() {
            println!(
                "  {label} [{name}]: worst |grade - ocio| = {:.3e} ({:.2} of tolerance)",
                w.abs, w.score
            );
        }
        if w.score > 1.0 {
            failures.push(format!(
                "{label} [{name}]: channel {} differs by {:.3e} (tolerance {ABS_TOL:e} abs or {REL_TOL:e} rel)\n    input {:?}\n    grade {:?}\n    ocio  {:?}",
                ["R", "G", "B"][w.channel],
                w.abs,
                pixel(&input, w.pixel),
                pixel(out, w.pixel),
                pixel(&expected, w.pixel),
            ));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n").into())
    }
}

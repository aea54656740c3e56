//! Op-by-op parity with OpenColorIO: every LUT, CLF and CDL file under
//! `tests/data/public` that OpenColorIO 2.1 can load is run through grade's
//! CPU executors and through OCIO's CPU processor on the dense test input
//! ([`grade_engine::grade::dense::dense_inputs`]: a 33^3 grid over [-0.25, 1.25]
//! plus ramps), and the results must agree within 1e-5 absolute or 1e-5
//! relative. One trial per file, so a new fixture is a new test; inline CDL
//! trials cover both styles and both directions. The CLF fixtures
//! `log_all_styles.clf`, `exponent_all_styles.clf` and the `range*.clf`
//! files cover every Log, Exponent and Range style.
//!
//! Each file is compared twice: the reference executor on the program as
//! read, and the fast executor on the optimised program.
//!
//! OCIO runs at `OPTIMIZATION_NONE` (its default optimisation swaps pow,
//! log and exp for fast approximations and composes LUTs, which is a
//! different result, not a different reading of the file), 3D LUTs
//! tetrahedral on both sides (OCIO `INTERP_BEST`: tetrahedral for 3D LUTs,
//! linear for 1D).
//!
//! Files OCIO cannot load, and files grade reports as Unsupported, are
//! ignored trials naming the reason. Set `GRADE_PARITY_REPORT=1` to print
//! the worst difference of every trial.

use std::path::{Path, PathBuf};

use grade_engine::color::{Cdl, CdlStyle, Direction, Interpolation};
use grade_engine::grade::{Op, Program};
use grade_engine::ocio::{FileInterpolation, Optimization, Processor};
use grade_engine::testutil::{fixture, fixtures_with_ext};
use grade_engine::Error;
use libtest_mimic::{Arguments, Completion, Failed, Trial};

/// Extensions of the files compared.
const EXTENSIONS: &[&str] = &[
    "cube", "3dl", "spi1d", "spi3d", "spimtx", "csp", "clf", "cc", "ccc", "cdl",
];

/// Agreement asked of every channel: within 1e-5 absolute (values near 0
/// and in [0,1], where f32 carries about 6e-8) or 1e-5 relative (values far
/// above 1, out of log and exponent curves and large LUT outputs, where an
/// f32 ulp alone is over 1e-7 relative and f32 pow/log differ by a few ulp).
const ABS_TOL: f64 = 1e-5;
const REL_TOL: f64 = 1e-5;

/// The grade executors under test, in one place.
mod grade_side {
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
struct Worst {
    /// Error normalised so that 1.0 is the tolerance.
    score: f64,
    abs: f64,
    pixel: usize,
    channel: usize,
}

fn compare(grade: &[f32], ocio: &[f32]) -> Worst {
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
            (abs, (abs / ABS_TOL).min(rel / REL_TOL))
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

fn pixel(rgba: &[f32], i: usize) -> [f32; 3] {
    [rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2]]
}

/// Runs `program` through both grade executors and checks each against
/// OCIO's output of the same input.
fn check(label: &str, program: &Program, ocio: &Processor) -> Result<(), Failed> {
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

fn is_cdl_file(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("cc" | "ccc" | "cdl")
    )
}

/// OCIO's processor for a fixture, 3D LUTs tetrahedral. A `.ccc`/`.cdl`
/// without an id takes the first correction, as grade does.
fn ocio_for_file(path: &Path) -> grade_engine::Result<Processor> {
    let open = |id| {
        Processor::from_file(path, id, FileInterpolation::Best, Direction::Forward)
            .and_then(|p| p.with_optimization(Optimization::None))
    };
    match open(None) {
        Err(e) if is_cdl_file(path) => open(Some("0")).map_err(|_| e),
        other => other,
    }
}

fn file_trial(path: &Path) -> Result<Completion, Failed> {
    let ocio = match ocio_for_file(path) {
        Ok(p) => p,
        Err(e) => {
            return Ok(Completion::ignored_with(format!(
                "OCIO 2.1 cannot load it: {e}"
            )))
        }
    };
    let mut ops = match grade_engine::formats::load(path, None) {
        Ok(ops) => ops,
        Err(e @ Error::Unsupported { .. }) => {
            return Ok(Completion::ignored_with(format!("grade: {e}")))
        }
        Err(e) => return Err(format!("grade cannot load a file OCIO loads: {e}").into()),
    };
    for op in &mut ops {
        if let Op::Lut3d(l) = op {
            l.interpolation = Interpolation::Tetrahedral;
        }
    }
    let program = Program { ops };

    if !is_cdl_file(path) {
        check("file", &program, &ocio)?;
        return Ok(Completion::Completed);
    }
    // OCIO reads .cc/.ccc/.cdl as CDL_NO_CLAMP, where grade follows the
    // ASC v1.2 spec and clamps by default. The file's numbers are compared
    // with OCIO's reading in OCIO's style; grade's own style is then
    // compared with an OCIO CDLTransform of the same values in that style.
    let mut as_ocio_reads = program.clone();
    for op in &mut as_ocio_reads.ops {
        if let Op::Cdl(c) = op {
            c.style = CdlStyle::NoClamp;
        }
    }
    check("file, as OCIO reads it (no clamp)", &as_ocio_reads, &ocio)?;
    for op in &program.ops {
        if let Op::Cdl(c) = op {
            let single = Program {
                ops: vec![Op::Cdl(c.clone())],
            };
            let ocio = Processor::cdl(c)
                .and_then(|p| p.with_optimization(Optimization::None))
                .map_err(|e| format!("OCIO CDLTransform: {e}"))?;
            check(&format!("grade's {:?} style", c.style), &single, &ocio)?;
        }
    }
    Ok(Completion::Completed)
}

fn inline_cdl_trial(style: CdlStyle, direction: Direction) -> Result<(), Failed> {
    // Values a colourist might dial in: slopes either side of 1, a lifted
    // and a crushed offset, powers either side of 1, reduced saturation.
    let cdl = Cdl {
        id: None,
        slope: [1.15, 0.92, 1.04],
        offset: [0.03, -0.02, 0.01],
        power: [0.9, 1.12, 1.0],
        saturation: 0.8,
        style,
        direction,
    };
    let ocio = Processor::cdl(&cdl)
        .and_then(|p| p.with_optimization(Optimization::None))
        .map_err(|e| format!("OCIO CDLTransform: {e}"))?;
    let program = Program {
        ops: vec![Op::Cdl(cdl)],
    };
    check("inline CDL", &program, &ocio)
}

fn main() {
    let args = Arguments::from_args();
    let root = fixture("public");
    let mut trials = Vec::new();
    let files: Vec<PathBuf> = fixtures_with_ext("public", EXTENSIONS)
        .into_iter()
        .filter(|p| !p.components().any(|c| c.as_os_str() == "illegal"))
        .collect();
    for path in files {
        let name = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        trials.push(
            Trial::ignorable_test(format!("file::{name}"), move || file_trial(&path))
                .with_kind("ocio"),
        );
    }
    for style in [CdlStyle::Asc, CdlStyle::NoClamp] {
        for direction in [Direction::Forward, Direction::Inverse] {
            trials.push(
                Trial::test(format!("cdl::{style:?}::{direction:?}"), move || {
                    inline_cdl_trial(style, direction)
                })
                .with_kind("ocio"),
            );
        }
    }
    eprintln!("OpenColorIO {}", grade_engine::ocio::version());
    libtest_mimic::run(&args, trials).exit();
}

//! Op-by-op parity with OpenColorIO: every LUT, CLF and CDL file under
//! `tests/data/public` that OpenColorIO 2.1 can load is run through grade's
//! CPU executors and through OCIO's CPU processor on the dense test input
//! ([`grade_engine::grade::dense::dense_inputs`]: a 33^3 grid over [-0.25, 1.25]
//! plus ramps), and the results must agree within 1e-5 absolute or 1e-5
//! relative. One trial per file, so a new fixture is a new test; inline CDL
//! trials cover both styles and both directions. The CLF fixtures
//! `log_all_styles.clf`, `exponent_all_styles.clf` and the `range*.clf`
//! files cover every Log, Exponent and Range style once grade reads CLF;
//! the `op::` trials cover them (and matrices, 1D and 3D LUTs, inverse
//! LUTs) already, each op built here and handed to OCIO as a one-op CLF
//! written to a temporary folder.
//!
//! Each file is compared twice: the reference executor on the program as
//! read, and the fast executor on the optimised program.
//!
//! OCIO runs at `OPTIMIZATION_NONE` (its default optimisation swaps pow,
//! log and exp for fast approximations and composes LUTs, which is a
//! different result, not a different reading of the file). 3D LUTs
//! interpolate as grade reads the file (tetrahedral for .cube, .3dl, .spi3d
//! and .csp; a CLF's attribute, trilinear without one), and OCIO is asked
//! for the same (`INTERP_BEST` or `INTERP_LINEAR`), since its FileTransform
//! sets the interpolation of every LUT in the file.
//!
//! This project's own fixtures in `tests/data/clf` (made by
//! `scripts/reference/make_clf_fixtures.py`) are compared too: CLF and CDL
//! under `.xml` names, LUT3Ds with and without an interpolation attribute,
//! and LUT entries written as NaN and infinities in several spellings.
//!
//! Files OCIO cannot load, and files grade reports as Unsupported, are
//! ignored trials naming the reason. Set `GRADE_PARITY_REPORT=1` to print
//! the worst difference of every trial.

use std::path::{Path, PathBuf};

use std::fmt::Write as _;

use grade_engine::formats::clf::{exponent_style_name, log_style_name};
use grade_engine::grade::{Op, Program};
use grade_engine::ocio::{FileInterpolation, Optimization, Processor};
use grade_engine::ops::{
    Cdl, CdlStyle, Direction, Exponent, ExponentStyle, Interpolation, Log, LogParams, LogStyle,
    Lut1d, Lut3d, Matrix, Primary, Range,
};
use grade_engine::testutil::{fixture, fixtures_with_ext};
use grade_engine::Error;
use libtest_mimic::{Arguments, Completion, Failed, Trial};

/// Extensions of the files compared.
const EXTENSIONS: &[&str] = &[
    "cube", "3dl", "spi1d", "spi3d", "spimtx", "csp", "clf", "cc", "ccc", "cdl",
];

/// Extensions of this project's own fixtures (tests/data/clf, made by
/// scripts/reference/make_clf_fixtures.py): CLF and CDL XML under `.xml`
/// names too, read by their root element.
const OWN_EXTENSIONS: &[&str] = &["clf", "xml"];

/// Agreement asked of every channel: within 1e-5 absolute (values near 0
/// and in [0,1], where f32 carries about 6e-8) or 1e-5 relative (values far
/// above 1, out of log and exponent curves and large LUT outputs, where an
/// f32 ulp alone is over 1e-7 relative and f32 pow/log differ by a few ulp).
const ABS_TOL: f64 = 1e-5;
const REL_TOL: f64 = 1e-5;

/// Outputs this large come only from LUT entries written as infinities,
/// which both sides hold as +-FLT_MAX. Interpolating those in f32 rounds at
/// the size of the entries (one ulp of FLT_MAX is 2.0e31), and OCIO's lerp
/// `a + (b - a)t` cancels where grade's `a(1 - t) + bt` does not, so such
/// outputs agree to 1e-5 of FLT_MAX, not of themselves.
const HUGE: f64 = 1e30;
const HUGE_TOL: f64 = 1e-5 * f32::MAX as f64;

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

fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// ASC CDL XML, whatever the extension (grade knows it by its root element).
fn is_cdl_file(path: &Path) -> bool {
    matches!(
        grade_engine::formats::format_of(path),
        Ok(grade_engine::formats::Format::Cdl)
    )
}

/// OCIO's processor for a fixture. `ccc_id` picks a correction of a CDL
/// file, by id or position as both read it.
fn ocio_for_file(
    path: &Path,
    ccc_id: Option<&str>,
    interpolation: FileInterpolation,
) -> grade_engine::Result<Processor> {
    Processor::from_file(path, ccc_id, interpolation, Direction::Forward)
        .and_then(|p| p.with_optimization(Optimization::None))
}

/// The interpolation to ask of OCIO: the one grade found in the file for
/// its 3D LUTs (each format's own, `formats::Format`), since OCIO's
/// FileTransform imposes its own on every LUT of the file. `Err` when the
/// file's 3D LUTs differ, which one FileTransform cannot reproduce.
fn file_interpolation(ops: &[Op]) -> Result<FileInterpolation, String> {
    let mut found = None;
    for op in ops {
        if let Op::Lut3d(l) = op {
            if found.is_some_and(|f| f != l.interpolation) {
                return Err("3D LUTs of different interpolations in one file".into());
            }
            found = Some(l.interpolation);
        }
    }
    Ok(match found {
        Some(Interpolation::Trilinear) => FileInterpolation::Trilinear,
        _ => FileInterpolation::Best,
    })
}

fn file_trial(path: &Path) -> Result<Completion, Failed> {
    if is_cdl_file(path) {
        return cdl_file_trial(path);
    }
    let ops = match grade_engine::formats::load(path, None) {
        Ok(ops) => ops,
        Err(e @ Error::Unsupported { .. }) => {
            return Ok(Completion::ignored_with(format!("grade: {e}")))
        }
        Err(e) => {
            return match ocio_for_file(path, None, FileInterpolation::Best) {
                Err(o) => Ok(Completion::ignored_with(format!(
                    "OCIO 2.1 cannot load it: {o}"
                ))),
                Ok(_) => Err(format!("grade cannot load a file OCIO loads: {e}").into()),
            }
        }
    };
    let interpolation = match file_interpolation(&ops) {
        Ok(i) => i,
        Err(e) => return Ok(Completion::ignored_with(e)),
    };
    let ocio = match ocio_for_file(path, None, interpolation) {
        Ok(p) => p,
        Err(e) => {
            return Ok(Completion::ignored_with(format!(
                "OCIO 2.1 cannot load it: {e}"
            )))
        }
    };
    let program = Program { ops };
    check("file", &program, &ocio)?;
    if has_ext(path, "clf") || has_ext(path, "xml") {
        inverse_trial(path, &program, interpolation)?;
    }
    Ok(Completion::Completed)
}

/// Every correction of a CDL file, by position (grade refuses a file of
/// several without one; OCIO takes the first).
fn cdl_file_trial(path: &Path) -> Result<Completion, Failed> {
    let count = match grade_engine::formats::cdl_xml::read_corrections(path) {
        Ok(all) => all.len(),
        Err(e) => return Err(format!("grade cannot read it: {e}").into()),
    };
    for i in 0..count {
        let select = (count > 1).then(|| i.to_string());
        let label = select
            .as_deref()
            .map_or(String::new(), |s| format!(" #{s}"));
        let ocio = match ocio_for_file(path, select.as_deref(), FileInterpolation::Best) {
            Ok(p) => p,
            Err(e) => {
                return Ok(Completion::ignored_with(format!(
                    "OCIO 2.1 cannot load{label}: {e}"
                )))
            }
        };
        let program = Program {
            ops: grade_engine::formats::load(path, select.as_deref())
                .map_err(|e| format!("grade cannot load{label}, OCIO can: {e}"))?,
        };
        cdl_checks(&label, &program, &ocio)?;
    }
    Ok(Completion::Completed)
}

/// OCIO reads .cc/.ccc/.cdl as CDL_NO_CLAMP, where grade follows the ASC
/// v1.2 spec and clamps by default. The file's numbers are compared with
/// OCIO's reading in OCIO's style; grade's own style is then compared with
/// an OCIO CDLTransform of the same values in that style.
fn cdl_checks(label: &str, program: &Program, ocio: &Processor) -> Result<(), Failed> {
    let mut as_ocio_reads = program.clone();
    for op in &mut as_ocio_reads.ops {
        if let Op::Cdl(c) = op {
            c.style = CdlStyle::NoClamp;
        }
    }
    check(
        &format!("file{label}, as OCIO reads it (no clamp)"),
        &as_ocio_reads,
        ocio,
    )?;
    for op in &program.ops {
        if let Op::Cdl(c) = op {
            let single = Program {
                ops: vec![Op::Cdl(c.clone())],
            };
            let ocio = Processor::cdl(c)
                .and_then(|p| p.with_optimization(Optimization::None))
                .map_err(|e| format!("OCIO CDLTransform: {e}"))?;
            check(
                &format!("grade's {:?} style{label}", c.style),
                &single,
                &ocio,
            )?;
        }
    }
    Ok(())
}

/// A CLF applied inverted (`--lut FILE --invert`: ops in reverse order,
/// each inverted) against OCIO's inverse FileTransform, when every op of
/// the file has an inverse in grade (3D LUTs and half-domain 1D LUTs do not:
/// those files are checked forward only).
fn inverse_trial(
    path: &Path,
    program: &Program,
    interpolation: FileInterpolation,
) -> Result<(), Failed> {
    let mut ops = Vec::new();
    for op in program.ops.iter().rev() {
        match op.inverse() {
            Ok(inv) => ops.extend(inv),
            Err(Error::Unsupported { .. }) => return Ok(()),
            Err(e) => return Err(format!("inverting {}: {e}", op.name()).into()),
        }
    }
    let ocio = Processor::from_file(path, None, interpolation, Direction::Inverse)
        .and_then(|p| p.with_optimization(Optimization::None))
        .map_err(|e| format!("OCIO inverse: {e}"))?;
    check("file, inverted", &Program { ops }, &ocio)
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

/// A primary without the post-gamma offset is a no-clamp CDL: exposure,
/// contrast and lift/gain fold into one slope and offset, the gamma is the
/// power `1/gamma` (both pass values <= 0 through), saturation is the same.
/// OpenColorIO has no primary of grade's definition, so grade's primary and
/// its inverse (a matrix, a gamma and a scale) are compared with OCIO's
/// CDL_NO_CLAMP forward and reverse built from those numbers.
fn primary_as_cdl_trial(direction: Direction) -> Result<(), Failed> {
    let p = Primary {
        exposure: [0.5, -0.3, 0.2],
        contrast: [1.2, 0.9, 1.1],
        pivot: 0.18,
        lift: [0.02, -0.01, 0.03],
        gamma: [1.1, 0.9, 1.25],
        gain: [1.1, 0.95, 1.05],
        offset: [0.0; 3],
        saturation: 0.8,
    };
    let mut slope = [0.0; 3];
    let mut offset = [0.0; 3];
    for c in 0..3 {
        // ((x*e - pivot)*k + pivot)*(gain - lift) + lift
        let (e, k, range) = (p.exposure[c].exp2(), p.contrast[c], p.gain[c] - p.lift[c]);
        slope[c] = e * k * range;
        offset[c] = p.pivot * (1.0 - k) * range + p.lift[c];
    }
    let cdl = Cdl {
        id: None,
        slope,
        offset,
        power: p.gamma.map(|g| 1.0 / g),
        saturation: p.saturation,
        style: CdlStyle::NoClamp,
        direction,
    };
    let ocio = Processor::cdl(&cdl)
        .and_then(|p| p.with_optimization(Optimization::None))
        .map_err(|e| format!("OCIO CDLTransform: {e}"))?;
    let ops = match direction {
        Direction::Forward => vec![Op::Primary(p)],
        Direction::Inverse => Op::Primary(p)
            .inverse()
            .map_err(|e| format!("grade: {e}"))?,
    };
    check("primary as a no-clamp CDL", &Program { ops }, &ocio)
}

/// `v` as CLF text that reads back as the same number.
fn num(v: f64) -> String {
    format!("{v:?}")
}

/// One op as a CLF v3 ProcessList, as OCIO reads it. LUTs are written
/// forward whatever their direction (CLF v3 has no inverse LUT elements);
/// the caller asks OCIO for the inverse.
fn clf(op: &Op) -> String {
    const IO: &str = r#"inBitDepth="32f" outBitDepth="32f""#;
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ProcessList id=\"parity\" compCLFversion=\"3\">\n",
    );
    match op {
        Op::Log(l) => {
            let _ = writeln!(s, "<Log {IO} style=\"{}\">", log_style_name(l.style));
            if !matches!(
                l.style,
                LogStyle::Log10 | LogStyle::Log2 | LogStyle::AntiLog10 | LogStyle::AntiLog2
            ) {
                for (p, ch) in l.params.iter().zip(["R", "G", "B"]) {
                    let _ = write!(
                        s,
                        "<LogParams channel=\"{ch}\" base=\"{}\" logSideSlope=\"{}\" logSideOffset=\"{}\" linSideSlope=\"{}\" linSideOffset=\"{}\"",
                        num(p.base),
                        num(p.log_side_slope),
                        num(p.log_side_offset),
                        num(p.lin_side_slope),
                        num(p.lin_side_offset)
                    );
                    if let Some(b) = p.lin_side_break {
                        let _ = write!(s, " linSideBreak=\"{}\"", num(b));
                    }
                    if let Some(m) = p.linear_slope {
                        let _ = write!(s, " linearSlope=\"{}\"", num(m));
                    }
                    s.push_str("/>\n");
                }
            }
            s.push_str("</Log>\n");
        }
        Op::Exponent(e) => {
            let _ = writeln!(
                s,
                "<Exponent {IO} style=\"{}\">",
                exponent_style_name(e.style)
            );
            let moncurve = matches!(
                e.style,
                ExponentStyle::MonCurveFwd
                    | ExponentStyle::MonCurveRev
                    | ExponentStyle::MonCurveMirrorFwd
                    | ExponentStyle::MonCurveMirrorRev
            );
            for c in 0..3 {
                let _ = write!(
                    s,
                    "<ExponentParams channel=\"{}\" exponent=\"{}\"",
                    ["R", "G", "B"][c],
                    num(e.exponent[c])
                );
                if moncurve {
                    let _ = write!(s, " offset=\"{}\"", num(e.offset[c]));
                }
                s.push_str("/>\n");
            }
            s.push_str("</Exponent>\n");
        }
        Op::Range(r) => {
            let style = if r.clamp { "Clamp" } else { "noClamp" };
            let _ = writeln!(s, "<Range {IO} style=\"{style}\">");
            for (tag, v) in [
                ("minInValue", r.min_in),
                ("maxInValue", r.max_in),
                ("minOutValue", r.min_out),
                ("maxOutValue", r.max_out),
            ] {
                if let Some(v) = v {
                    let _ = writeln!(s, "<{tag}>{}</{tag}>", num(v));
                }
            }
            s.push_str("</Range>\n");
        }
        Op::Matrix(m) => {
            let _ = writeln!(s, "<Matrix {IO}>\n<Array dim=\"3 4 3\">");
            for i in 0..3 {
                let _ = writeln!(
                    s,
                    "{} {} {} {}",
                    num(m.m[i][0]),
                    num(m.m[i][1]),
                    num(m.m[i][2]),
                    num(m.offset[i])
                );
            }
            s.push_str("</Array>\n</Matrix>\n");
        }
        Op::Lut1d(l) => {
            let tag = "LUT1D";
            let half = if l.half_domain {
                " halfDomain=\"true\""
            } else {
                ""
            };
            let _ = writeln!(s, "<{tag} {IO}{half}>\n<Array dim=\"{} 3\">", l.table.len());
            for v in &l.table {
                let _ = writeln!(s, "{:?} {:?} {:?}", v[0], v[1], v[2]);
            }
            let _ = writeln!(s, "</Array>\n</{tag}>");
        }
        Op::Lut3d(l) => {
            let tag = "LUT3D";
            let interp = match l.interpolation {
                Interpolation::Tetrahedral => "tetrahedral",
                Interpolation::Trilinear => "trilinear",
            };
            let n = l.size;
            let _ = writeln!(
                s,
                "<{tag} {IO} interpolation=\"{interp}\">\n<Array dim=\"{n} {n} {n} 3\">"
            );
            // CLF lattices run blue fastest; grade's run red fastest.
            for r in 0..n {
                for g in 0..n {
                    for b in 0..n {
                        let v = l.data[r + n * (g + n * b)];
                        let _ = writeln!(s, "{:?} {:?} {:?}", v[0], v[1], v[2]);
                    }
                }
            }
            let _ = writeln!(s, "</Array>\n</{tag}>");
        }
        Op::Cdl(_) | Op::Primary(_) => unreachable!("not written as CLF here"),
    }
    s.push_str("</ProcessList>\n");
    s
}

/// Camera-log parameters in the manner of ARRI LogC, varied per channel so
/// that a channel mix-up shows.
fn camera_params(linear_slope: bool) -> [LogParams; 3] {
    [0.0, 0.01, -0.01].map(|d| LogParams {
        base: 10.0,
        log_side_slope: 0.247189 + d,
        log_side_offset: 0.385537,
        lin_side_slope: 5.555556 * (1.0 + d),
        lin_side_offset: 0.052272,
        lin_side_break: Some(0.010591),
        linear_slope: linear_slope.then_some(5.367655 * (1.0 + d)),
    })
}

fn lin_log_params() -> [LogParams; 3] {
    [0.0, 0.02, -0.02].map(|d| LogParams {
        base: 10.0,
        log_side_slope: 0.25 + d,
        log_side_offset: 0.6,
        lin_side_slope: 1.2,
        lin_side_offset: 0.05 + d,
        lin_side_break: None,
        linear_slope: None,
    })
}

/// A look over [0,1]: channel mixing then a soft S-curve.
fn look(r: f32, g: f32, b: f32) -> [f32; 3] {
    let s = |x: f32| {
        let x = x.clamp(0.0, 1.0);
        0.5 * (x + x * x * (3.0 - 2.0 * x))
    };
    [
        s(0.85 * r + 0.1 * g + 0.05 * b),
        s(0.05 * r + 0.9 * g + 0.05 * b),
        s(0.02 * r + 0.08 * g + 0.9 * b),
    ]
}

fn lut3d(size: usize, interpolation: Interpolation, direction: Direction) -> Lut3d {
    let f = |i: usize| i as f32 / (size - 1) as f32;
    let mut data = Vec::with_capacity(size * size * size);
    for b in 0..size {
        for g in 0..size {
            for r in 0..size {
                data.push(look(f(r), f(g), f(b)));
            }
        }
    }
    Lut3d {
        size,
        data,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        interpolation,
        direction,
    }
}

/// A monotonic per-channel curve with different shapes per channel.
fn lut1d(n: usize, direction: Direction) -> Lut1d {
    let table = (0..n)
        .map(|i| {
            let x = i as f32 / (n - 1) as f32;
            [x.powf(0.45), x.powf(0.6) * 1.1, 0.05 + 0.9 * x * x]
        })
        .collect();
    Lut1d {
        table,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        half_domain: false,
        direction,
    }
}

/// A half-domain 1D LUT: one entry per half-float bit pattern, a signed
/// square-root-like curve (NaN and infinite codes map to 0).
fn lut1d_half() -> Lut1d {
    let table = (0..=u16::MAX)
        .map(|h| {
            let x = half::f16::from_bits(h).to_f32();
            let v = if x.is_finite() {
                x.signum() * x.abs().powf(0.5)
            } else {
                0.0
            };
            [v, v * 0.9, v * 1.1]
        })
        .collect();
    Lut1d {
        table,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        half_domain: true,
        direction: Direction::Forward,
    }
}

/// Single ops covering every Log, Exponent and Range style, matrices and
/// LUTs, named for their trial.
fn single_ops() -> Vec<(String, Op)> {
    let mut ops = Vec::new();
    for style in [
        LogStyle::Log10,
        LogStyle::Log2,
        LogStyle::AntiLog10,
        LogStyle::AntiLog2,
        LogStyle::LinToLog,
        LogStyle::LogToLin,
        LogStyle::CameraLinToLog,
        LogStyle::CameraLogToLin,
    ] {
        let params = match style {
            LogStyle::CameraLinToLog | LogStyle::CameraLogToLin => camera_params(false),
            LogStyle::LinToLog | LogStyle::LogToLin => lin_log_params(),
            _ => [LogParams::default(); 3],
        };
        ops.push((format!("log::{style:?}"), Op::Log(Log { style, params })));
    }
    for style in [LogStyle::CameraLinToLog, LogStyle::CameraLogToLin] {
        let params = camera_params(true);
        ops.push((
            format!("log::{style:?}::linear_slope"),
            Op::Log(Log { style, params }),
        ));
    }
    for style in [
        ExponentStyle::BasicFwd,
        ExponentStyle::BasicRev,
        ExponentStyle::BasicMirrorFwd,
        ExponentStyle::BasicMirrorRev,
        ExponentStyle::BasicPassThruFwd,
        ExponentStyle::BasicPassThruRev,
        ExponentStyle::MonCurveFwd,
        ExponentStyle::MonCurveRev,
        ExponentStyle::MonCurveMirrorFwd,
        ExponentStyle::MonCurveMirrorRev,
    ] {
        let moncurve = format!("{style:?}").starts_with("MonCurve");
        let e = Exponent {
            style,
            exponent: [2.2, 2.4, 2.6],
            offset: if moncurve {
                [0.055, 0.099, 0.04]
            } else {
                [0.0; 3]
            },
        };
        ops.push((format!("exponent::{style:?}"), Op::Exponent(e)));
    }
    let range = |min_in, max_in, min_out, max_out, clamp| Range {
        min_in,
        max_in,
        min_out,
        max_out,
        clamp,
    };
    for (name, r) in [
        (
            "clamp",
            range(Some(0.1), Some(0.9), Some(-0.05), Some(1.05), true),
        ),
        (
            "no_clamp",
            range(Some(0.1), Some(0.9), Some(-0.05), Some(1.05), false),
        ),
        // One-sided ranges are clamps: CLF asks in == out for the bound given.
        (
            "min_only",
            range(Some(0.064), None, Some(0.064), None, true),
        ),
        ("max_only", range(None, Some(0.94), None, Some(0.94), true)),
    ] {
        ops.push((format!("range::{name}"), Op::Range(r)));
    }
    ops.push((
        "matrix::3x4".into(),
        Op::Matrix(Matrix {
            m: [[0.9, 0.08, 0.02], [0.05, 1.1, -0.15], [-0.02, 0.1, 0.92]],
            offset: [0.01, -0.02, 0.03],
        }),
    ));
    ops.push((
        "lut1d::1024".into(),
        Op::Lut1d(lut1d(1024, Direction::Forward)),
    ));
    ops.push((
        "lut1d::1024::inverse".into(),
        Op::Lut1d(lut1d(1024, Direction::Inverse)),
    ));
    ops.push(("lut1d::half_domain".into(), Op::Lut1d(lut1d_half())));
    for (name, interp) in [
        ("tetrahedral", Interpolation::Tetrahedral),
        ("trilinear", Interpolation::Trilinear),
    ] {
        for size in [17, 33] {
            ops.push((
                format!("lut3d::{size}::{name}"),
                Op::Lut3d(lut3d(size, interp, Direction::Forward)),
            ));
        }
    }
    ops.push((
        "lut3d::17::inverse".into(),
        Op::Lut3d(lut3d(17, Interpolation::Tetrahedral, Direction::Inverse)),
    ));
    ops
}

fn single_op_trial(name: &str, op: Op) -> Result<Completion, Failed> {
    let dir = tempfile::tempdir().map_err(|e| format!("temporary folder: {e}"))?;
    let path = dir.path().join(format!("{}.clf", name.replace("::", "_")));
    std::fs::write(&path, clf(&op)).map_err(|e| format!("{}: {e}", path.display()))?;
    let direction = match &op {
        Op::Lut1d(l) => l.direction,
        Op::Lut3d(l) => l.direction,
        _ => Direction::Forward,
    };
    let ocio = Processor::from_file(&path, None, FileInterpolation::Best, direction)
        .and_then(|p| p.with_optimization(Optimization::None))
        .map_err(|e| format!("OCIO: {e}"))?;
    // Every op here is well-formed; one grade declines is a known gap,
    // shown as ignored with grade's reason.
    if let Err(e) = op.validate() {
        return Ok(Completion::ignored_with(format!("grade: {e}")));
    }
    check(name, &Program { ops: vec![op] }, &ocio)?;
    Ok(Completion::Completed)
}

fn main() {
    let args = Arguments::from_args();
    let root = fixture("");
    let mut trials = Vec::new();
    let files: Vec<PathBuf> = fixtures_with_ext("public", EXTENSIONS)
        .into_iter()
        .filter(|p| !p.components().any(|c| c.as_os_str() == "illegal"))
        .chain(fixtures_with_ext("clf", OWN_EXTENSIONS))
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
    for direction in [Direction::Forward, Direction::Inverse] {
        trials.push(
            Trial::test(format!("primary::as_cdl::{direction:?}"), move || {
                primary_as_cdl_trial(direction)
            })
            .with_kind("ocio"),
        );
    }
    for (name, op) in single_ops() {
        let trial_name = format!("op::{name}");
        trials.push(
            Trial::ignorable_test(trial_name, move || single_op_trial(&name, op)).with_kind("ocio"),
        );
    }
    eprintln!("OpenColorIO {}", grade_engine::ocio::version());
    libtest_mimic::run(&args, trials).exit();
}

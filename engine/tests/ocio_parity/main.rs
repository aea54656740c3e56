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
//!
//! Files: `compare.rs` (tolerances, the executors under test, the worst
//! channel), `files.rs` (a trial per file), `cdl.rs` (inline CDL and primary
//! trials), `single_op.rs` (one-op CLFs for every style).

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

mod cdl;
mod compare;
mod files;
mod single_op;

use cdl::*;
use compare::*;
use files::*;
use single_op::*;

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

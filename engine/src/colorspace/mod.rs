//! Built-in colour spaces from published formulas, needing no OpenColorIO
//! config: camera log encodings, display encodings and gamuts, each expressed
//! as the engine's own ops (CLF camera Log, moncurve Exponent, 3x3 Matrix,
//! Range, 1D LUT).
//!
//! Every colour space is an encoding-to-linear list of ops plus the matrix
//! from its linear gamut to ACES2065-1 (AP0). `--from A --to B` is A's
//! decoding, A's gamut to AP0, AP0 to B's gamut, then B's encoding.
//!
//! Each one is built the way OpenColorIO 2.6 builds the BuiltinTransform of
//! the same meaning (same constants, gamut matrices from the same primaries
//! and adaptation), and the tests compare them with OpenColorIO's values
//! recorded by `scripts/reference/ocio_builtin.py`. Curves that are no single
//! CLF op are tables computed in f64 from the published formula, as
//! OpenColorIO itself does: ACEScc and Canon Log 2/3 decode through a
//! 4096-entry 1D LUT (inverted exactly for encoding), PQ and HLG through
//! 65536-entry half-domain 1D LUTs, one per direction.
//!
//! TODO: Apple Log, RED Log3G10's sibling REDLogFilm, Sony Venice gamuts and
//! the P3 displays are not registered.

mod aces_output;
mod curves;
mod gamut;
mod registry;

pub use aces_output::{find_output, output_transforms, OutputTransform};
pub use gamut::{gamut_matrix, rgb_to_xyz, Adaptation, Primaries};
pub use gamut::{
    AP0, AP1, AWG3, AWG4, BMD_WIDE_GAMUT_GEN5, CINEMA_GAMUT, DAVINCI_WIDE_GAMUT, P3_D65, REC2020,
    REC709, RWG, SGAMUT3, SGAMUT3_CINE, VGAMUT,
};
pub use registry::{find, registry, ColourSpace};

use crate::grade::Op;
use crate::ops::{Matrix, Range};
use crate::Result;
use gamut::{inv, mul, M3};

fn matrix_op(m: M3) -> Op {
    Op::Matrix(Matrix {
        m,
        offset: [0.0; 3],
    })
}

/// Clamps negative values to 0, leaving the top open.
fn clamp_negatives() -> Op {
    Op::Range(Range {
        min_in: Some(0.0),
        max_in: None,
        min_out: Some(0.0),
        max_out: None,
        clamp: true,
    })
}

/// Ops converting encoded values in `from` to encoded values in `to`:
/// `from`'s decoding, its gamut to ACES2065-1, ACES2065-1 to `to`'s gamut,
/// `to`'s encoding. The two matrices are one unless an ACES clamp sits
/// between them. An output transform (`aces_output`) is a space whose
/// linear side is ACES2065-1: `--to` runs it, `--from` its inverse.
pub fn conversion(from: &str, to: &str) -> Result<Vec<Op>> {
    let (a, mut ops) = match find_output(from) {
        Some(t) => (find("aces")?, t.inverse()?),
        None => {
            let a = find(from)?;
            let ops = (a.to_linear)();
            (a, ops)
        }
    };
    let (b, encode) = match find_output(to) {
        Some(t) => (find("aces")?, t.forward()?),
        None => {
            let b = find(to)?;
            let ops = b.from_linear_ops()?;
            (b, ops)
        }
    };
    let a_to_aces = gamut_matrix(&a.primaries, &AP0, a.adaptation);
    let aces_to_b = inv(&gamut_matrix(&b.primaries, &AP0, b.adaptation));
    if a.clamp_aces_negatives || b.clamp_aces_negatives {
        ops.push(matrix_op(a_to_aces));
        ops.push(clamp_negatives());
        ops.push(matrix_op(aces_to_b));
    } else {
        // Between two spaces of one gamut (ACES2065-1 and an output
        // transform) the product is the identity but for rounding: leave it
        // out rather than scale by an ulp.
        let m = mul(&aces_to_b, &a_to_aces);
        let identity =
            (0..3).all(|i| (0..3).all(|j| (m[i][j] - f64::from(u8::from(i == j))).abs() < 1e-12));
        if !identity {
            ops.push(matrix_op(m));
        }
    }
    ops.extend(encode);
    Ok(ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rec709_to_xyz_matches_bt709() {
        // BT.709 / sRGB RGB->XYZ as IEC 61966-2-1 publishes it (4 decimals).
        let m = rgb_to_xyz(&REC709);
        let want = [
            [0.4124, 0.3576, 0.1805],
            [0.2126, 0.7152, 0.0722],
            [0.0193, 0.1192, 0.9505],
        ];
        for i in 0..3 {
            for j in 0..3 {
                assert!((m[i][j] - want[i][j]).abs() < 1e-4, "{i},{j}");
            }
        }
    }

    #[test]
    fn unknown_name_suggests_nearest() {
        let e = find("slog").unwrap_err().to_string();
        assert!(e.contains("slog3"), "{e}");
        let e = find("clog").unwrap_err().to_string();
        assert!(e.contains("clog2") && e.contains("clog3"), "{e}");
        assert_eq!(
            find("DaVinci Intermediate WideGamut").unwrap().name,
            "davinci"
        );
    }

    #[test]
    fn every_conversion_builds() {
        for a in registry() {
            for b in registry() {
                assert!(conversion(a.name, b.name).is_ok(), "{} {}", a.name, b.name);
            }
        }
    }

    /// Runs `ops` over the `[input, output]` rows of a reference file and
    /// returns the worst error, absolute below 1 and relative above (the
    /// linear side of a log curve reaches the hundreds).
    fn worst_error(ops: Vec<Op>, rows: &serde_json::Value) -> (f64, String) {
        let render = crate::grade::Program { ops }.prepare();
        let mut worst = (0.0f64, String::new());
        for row in rows.as_array().unwrap() {
            let get = |k: usize| -> [f32; 3] {
                let a = row[k].as_array().unwrap();
                [0, 1, 2].map(|i| a[i].as_f64().unwrap() as f32)
            };
            let (inp, want) = (get(0), get(1));
            let mut px = inp;
            for op in &render {
                px = op.apply(px);
            }
            for c in 0..3 {
                let err = (px[c] as f64 - want[c] as f64).abs() / (want[c] as f64).abs().max(1.0);
                assert!(!err.is_nan(), "NaN for {inp:?}: {px:?} vs {want:?}");
                if err > worst.0 {
                    worst = (err, format!("at {inp:?}: {px:?}, OCIO {want:?}"));
                }
            }
        }
        worst
    }

    /// Every built-in against OpenColorIO 2.6 (BuiltinTransform, or the
    /// ACES studio config's colour space where OCIO has no built-in), both
    /// directions, values recorded by scripts/reference/ocio_builtin.py.
    /// Working ranges (in each file): camera log code [0, 1] (ACEScct
    /// [0, 1.468], ACEScc [-0.36, 1.5]), display code [0, 1], PQ code
    /// [0, 1] (to 10000 nits), HLG code [0, 1], linear spaces [-0.1, 64];
    /// the inverse direction over ACES2065-1 ranges that span each
    /// encoding's code range. The reference is OCIO's exact maths
    /// (OPTIMIZATION_LOSSLESS); its default processor's fast pow/log
    /// approximations are up to 3.4e-5 away from it (the script prints by
    /// how much). Tolerance 1e-5, absolute below 1 and relative above: both
    /// sides compute in f32 from the same constants and tables (measured:
    /// 0 for all but S-Log3, 6e-8).
    #[test]
    fn matches_ocio_builtin_transforms() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/builtin");
        let tol = 1e-5;
        let mut failures = Vec::new();
        for cs in registry() {
            let path = dir.join(format!("{}.json", cs.name));
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e} (run ocio_builtin.py)", path.display()));
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            let (fwd, fwd_at) = worst_error(conversion(cs.name, "aces").unwrap(), &v["rows"]);
            let (inv, inv_at) =
                worst_error(conversion("aces", cs.name).unwrap(), &v["inverse_rows"]);
            println!(
                "{:<12} worst error vs OCIO: to ACES {fwd:.2e} over {} {fwd_at}; from ACES {inv:.2e} over {} {inv_at}",
                cs.name, v["range"], v["inverse_range"]
            );
            if fwd > tol || inv > tol {
                failures.push(cs.name);
            }
        }
        assert!(failures.is_empty(), "over {tol:e}: {failures:?}");
    }
}

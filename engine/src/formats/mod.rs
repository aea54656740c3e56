//! LUT and grade file formats, each read into [`Op`]s.
//!
//! `.cube` (Resolve and Iridas/Adobe), `.3dl` (Discreet/Lustre), the SPI
//! family (`.spi1d`, `.spi3d`, `.spimtx`), Cinespace `.csp`, the Academy/ASC
//! Common LUT Format (`.clf`: CLF v2, v3 and SMPTE ST 2136-1) and the ASC
//! CDL XML family (`.cc`, `.ccc`, `.cdl`). Every reader names the file and
//! line of each problem, and collects all problems in a file before failing.

pub mod cdl_xml;
pub mod clf;
pub mod csp;
pub mod cube;
pub mod spi;
pub mod threedl;
mod xml;

use std::fmt;
use std::path::Path;

use crate::grade::Op;
use crate::{Error, Result};

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Reads a LUT, CLF or CDL file into ops, choosing the reader by extension.
/// `select` picks one ColorCorrection by id in a `.ccc`/`.cdl` (the `#id` of
/// `--cdl FILE#id`); without it a file holding several corrections takes
/// the first.
pub fn load(path: &Path, select: Option<&str>) -> Result<Vec<Op>> {
    if !path.exists() {
        return Err(Error::read(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        ));
    }
    match extension(path).as_str() {
        "cube" => Ok(cube::read(path)?.ops()),
        "cc" | "ccc" | "cdl" => {
            let all = cdl_xml::read_corrections(path)?;
            Ok(vec![Op::Cdl(cdl_xml::select(path, all, select)?)])
        }
        "3dl" => threedl::load(path),
        "clf" => clf::read(path),
        ext @ ("spi1d" | "spi3d" | "spimtx") => spi::load(path, ext),
        "csp" => csp::load(path),
        other => Err(Error::unsupported(
            path,
            format!(
                "LUT format .{other} (grade reads .cube, .3dl, .spi1d, .spi3d, .spimtx, .csp, .clf, .cc, .ccc, .cdl)"
            ),
        )),
    }
}

/// What `grade lut info` prints.
#[derive(Debug, Clone)]
pub struct LutInfo {
    pub path: std::path::PathBuf,
    pub title: Option<String>,
    pub ops: Vec<String>,
}

impl fmt::Display for LutInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.path.display())?;
        if let Some(t) = &self.title {
            writeln!(f, "  title: {t}")?;
        }
        for (i, op) in self.ops.iter().enumerate() {
            writeln!(f, "  {}: {op}", i + 1)?;
        }
        Ok(())
    }
}

fn bound(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// Describes a LUT file: its ops with sizes and domains.
pub fn info(path: &Path) -> Result<LutInfo> {
    let title = match extension(path).as_str() {
        "cube" => cube::read(path)?.title,
        "clf" => clf::name(path)?,
        "csp" => csp::read(path)?.title(),
        _ => None,
    };
    let ops = load(path, None)?
        .iter()
        .map(|op| match op {
            Op::Lut3d(l) => format!(
                "3D LUT {n}x{n}x{n}, domain {:?}..{:?}",
                l.domain_min,
                l.domain_max,
                n = l.size
            ),
            Op::Lut1d(l) => format!(
                "1D LUT {} entries, domain {:?}..{:?}{}",
                l.table.len(),
                l.domain_min,
                l.domain_max,
                if l.half_domain { ", half domain" } else { "" }
            ),
            Op::Cdl(c) => format!(
                "ASC CDL{}: slope {:?} offset {:?} power {:?} sat {}{}{}",
                c.id.as_deref().map(|i| format!(" {i}")).unwrap_or_default(),
                c.slope,
                c.offset,
                c.power,
                c.saturation,
                if c.style == crate::color::CdlStyle::NoClamp {
                    ", no clamp"
                } else {
                    ""
                },
                if c.direction == crate::color::Direction::Inverse {
                    ", reverse"
                } else {
                    ""
                }
            ),
            Op::Matrix(m) => format!("matrix {:?} offset {:?}", m.m, m.offset),
            Op::Range(r) => format!(
                "range in {} .. {} -> out {} .. {}{}",
                bound(r.min_in),
                bound(r.max_in),
                bound(r.min_out),
                bound(r.max_out),
                if r.clamp { ", clamped" } else { ", no clamp" }
            ),
            Op::Log(l) => format!(
                "log {} base {}",
                clf::log_style_name(l.style),
                l.params[0].base
            ),
            Op::Exponent(e) => format!(
                "exponent {} {:?} offset {:?}",
                clf::exponent_style_name(e.style),
                e.exponent,
                e.offset
            ),
            other => format!("{other:?}"),
        })
        .collect();
    Ok(LutInfo {
        path: path.to_path_buf(),
        title,
        ops,
    })
}

#[cfg(test)]
mod ocio_tests {
    //! Our ops against OpenColorIO 2.6 (venv, scripts/reference/ocio_apply.py)
    //! applying the same file to the dense inputs.
    use crate::grade::{dense::dense_rgba, Program};
    use crate::testutil::{fixtures_with_ext, reference_python, repo_root};

    #[test]
    fn matches_opencolorio() {
        let Some(python) = reference_python() else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let input = dense_rgba();
        let in_path = dir.path().join("in.f32");
        let bytes: Vec<u8> = input.iter().flat_map(|v| v.to_le_bytes()).collect();
        std::fs::write(&in_path, bytes).unwrap();
        let mut failures = Vec::new();
        for lut in fixtures_with_ext("public", &["3dl", "spi1d", "spi3d", "spimtx", "csp"]) {
            let out_path = dir.path().join("out.f32");
            let status = std::process::Command::new(&python)
                .arg(repo_root().join("scripts/reference/ocio_apply.py"))
                .arg(&lut)
                .arg(&in_path)
                .arg(&out_path)
                .status()
                .unwrap();
            if !status.success() {
                println!("{}: OpenColorIO cannot read it, skipped", lut.display());
                continue;
            }
            let ocio: Vec<f32> = std::fs::read(&out_path)
                .unwrap()
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            let ops = super::load(&lut, None).unwrap();
            let mut ours = input.clone();
            crate::cpu::reference::apply(&Program { ops }, &mut ours);
            // 1e-5 absolute or relative: both evaluate in f32 with
            // different operation orders.
            let mut worst = 0.0f32;
            for (a, b) in ours.iter().zip(&ocio) {
                if a.is_nan() && b.is_nan() {
                    continue;
                }
                let d = (a - b).abs() / b.abs().max(1.0);
                if d.is_nan() {
                    worst = f32::INFINITY;
                } else {
                    worst = worst.max(d);
                }
            }
            println!("{}: worst difference {worst:e}", lut.display());
            if worst > 1e-5 {
                failures.push(format!("{}: {worst:e}", lut.display()));
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }
}

#[cfg(test)]
mod illegal_tests {
    //! This project's own malformed fixtures (tests/data/illegal/): each is
    //! rejected with a message naming the file and the offending line.
    use crate::testutil::fixture;

    #[test]
    fn malformed_text_files_name_file_and_line() {
        for (name, line) in [
            ("bad_value.spi1d", "7"),
            ("index_out_of_range.spi3d", "11"),
            ("short_row.3dl", "9"),
            ("wrong_header.csp", ":1:"),
            ("short_shaper.csp", ":6:"),
            ("wrong_entry_count.csp", ":25:"),
            ("bad_value.csp", ":18:"),
        ] {
            let p = fixture("illegal").join(name);
            let msg = super::load(&p, None).unwrap_err().to_string();
            println!("{msg}");
            assert!(msg.contains(name), "{msg}");
            assert!(msg.contains(line), "{name}: expected line {line}: {msg}");
        }
    }
}

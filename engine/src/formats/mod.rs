//! LUT and grade file formats, each read into [`Op`]s.
//!
//! `.cube` (Resolve and Iridas/Adobe), `.3dl` (Discreet/Lustre), the SPI
//! family (`.spi1d`, `.spi3d`, `.spimtx`), Cinespace `.csp`, the Academy/ASC
//! Common LUT Format (`.clf`: CLF v2, v3 and SMPTE ST 2136-1) and the ASC
//! CDL XML family (`.cc`, `.ccc`, `.cdl`). Every reader names the file and
//! line of each problem, and collects all problems in a file before failing.
//!
//! Text LUTs are known by their extension, XML files by their root element
//! ([`Format`]). Each format's 3D LUTs carry their own interpolation: a CLF
//! LUT3D's attribute (trilinear without one), tetrahedral for the formats
//! that name none; a [`crate::grade::Step::File`] may override it.

pub mod cdl_xml;
pub mod clf;
pub mod csp;
pub mod cube;
pub mod spi;
pub mod threedl;
pub(crate) mod xml;

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

/// What a file is. Text LUTs are known by their extension; XML files (CLF
/// and ASC CDL) by their root element, whatever the extension (the Academy
/// publishes CLF looks as `.xml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Cube,
    ThreeDl,
    Spi1d,
    Spi3d,
    Spimtx,
    Csp,
    /// Common LUT Format: a `<ProcessList>` root.
    Clf,
    /// ASC CDL XML: a `<ColorCorrection>`, `<ColorCorrectionCollection>` or
    /// `<ColorDecisionList>` root.
    Cdl,
}

impl Format {
    /// The name `grade lut info` prints.
    pub fn name(self) -> &'static str {
        match self {
            Format::Cube => "cube (Resolve / Iridas)",
            Format::ThreeDl => "3dl (Autodesk)",
            Format::Spi1d => "spi1d (Sony Pictures Imageworks)",
            Format::Spi3d => "spi3d (Sony Pictures Imageworks)",
            Format::Spimtx => "spimtx (Sony Pictures Imageworks)",
            Format::Csp => "csp (Cinespace)",
            Format::Clf => "Common LUT Format (CLF)",
            Format::Cdl => "ASC CDL XML",
        }
    }
}

/// The XML root elements read, and the format each stands for.
const XML_ROOTS: &[(&str, Format)] = &[
    ("ProcessList", Format::Clf),
    ("ColorCorrection", Format::Cdl),
    ("ColorCorrectionCollection", Format::Cdl),
    ("ColorDecisionList", Format::Cdl),
];

const READ: &str = ".cube, .3dl, .spi1d, .spi3d, .spimtx, .csp, and CLF (.clf, also CTF .ctf) and ASC CDL (.cc, .ccc, .cdl) XML under any extension";

/// Finds the format of `path` from its extension or, for XML, the root
/// element of `text` (its start is enough). A `.clf`/`.cc`/`.ccc`/`.cdl`
/// that is not XML, or whose root is not one of its family, goes to its
/// own reader, which says what is wrong with it.
fn detect(path: &Path, text: &[u8]) -> Result<Format> {
    let ext = extension(path);
    let by_ext = match ext.as_str() {
        "cube" => return Ok(Format::Cube),
        "3dl" => return Ok(Format::ThreeDl),
        "spi1d" => return Ok(Format::Spi1d),
        "spi3d" => return Ok(Format::Spi3d),
        "spimtx" => return Ok(Format::Spimtx),
        "csp" => return Ok(Format::Csp),
        "clf" | "ctf" => Some(Format::Clf),
        "cc" | "ccc" | "cdl" => Some(Format::Cdl),
        _ => None,
    };
    // The root element is near the start; a prolog longer than this is
    // read in full by the reader anyway.
    let head = &text[..text.len().min(64 * 1024)];
    let head = match std::str::from_utf8(head) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""),
    };
    let root = xml::root_name(head);
    let by_root = root.and_then(|r| {
        XML_ROOTS
            .iter()
            .find(|(name, f)| {
                // CLF element names are matched in any case, as OpenColorIO
                // does; CDL ones exactly.
                if *f == Format::Clf {
                    name.eq_ignore_ascii_case(r)
                } else {
                    *name == r
                }
            })
            .map(|(_, f)| *f)
    });
    match (by_root, by_ext) {
        (Some(f), _) | (None, Some(f)) => Ok(f),
        (None, None) => match root {
            Some(r) => Err(Error::unsupported(
                path,
                format!("XML with root element <{r}>: grade reads CLF <ProcessList> and ASC CDL <ColorCorrection>, <ColorCorrectionCollection> and <ColorDecisionList> files"),
            )),
            None if ext.is_empty() => Err(Error::unsupported(
                path,
                format!("a LUT file without an extension that is not CLF or CDL XML (grade reads {READ})"),
            )),
            None => Err(Error::unsupported(
                path,
                format!("LUT format .{ext} (grade reads {READ})"),
            )),
        },
    }
}

fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    if !path.exists() {
        return Err(Error::read(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        ));
    }
    std::fs::read(path).map_err(|e| Error::read(path, e))
}

/// The format of a LUT, CLF or CDL file (see [`Format`]).
pub fn format_of(path: &Path) -> Result<Format> {
    detect(path, &read_bytes(path)?)
}

/// Reads a LUT, CLF or CDL file into ops; the format is found as
/// [`Format`] says. `select` picks one ColorCorrection of a CDL file (the
/// `#id` of `--cdl FILE#id`), as [`cdl_xml::select`] does.
pub fn load(path: &Path, select: Option<&str>) -> Result<Vec<Op>> {
    let bytes = read_bytes(path)?;
    Ok(match detect(path, &bytes)? {
        Format::Cube => cube::read(path)?.ops(),
        Format::Cdl => {
            let all = cdl_xml::parse(&bytes, path)?;
            vec![Op::Cdl(cdl_xml::select(path, all, select)?)]
        }
        Format::ThreeDl => threedl::load(path)?,
        Format::Clf => clf::parse(&bytes, path)?,
        Format::Spi1d => spi::load(path, "spi1d")?,
        Format::Spi3d => spi::load(path, "spi3d")?,
        Format::Spimtx => spi::load(path, "spimtx")?,
        Format::Csp => csp::load(path)?,
    })
}

/// What `grade lut info` prints.
#[derive(Debug, Clone)]
pub struct LutInfo {
    pub path: std::path::PathBuf,
    pub format: Format,
    pub title: Option<String>,
    pub ops: Vec<String>,
}

impl fmt::Display for LutInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.path.display())?;
        writeln!(f, "  format: {}", self.format.name())?;
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

fn interpolation_name(i: crate::ops::Interpolation) -> &'static str {
    match i {
        crate::ops::Interpolation::Tetrahedral => "tetrahedral",
        crate::ops::Interpolation::Trilinear => "trilinear",
    }
}

/// Describes a LUT file: its format, and its ops with sizes and domains
/// (every correction of a CDL file, in order).
pub fn info(path: &Path) -> Result<LutInfo> {
    let bytes = read_bytes(path)?;
    let format = detect(path, &bytes)?;
    let title = match format {
        Format::Cube => cube::read(path)?.title,
        Format::Clf => clf::name(path)?,
        Format::Csp => csp::read(path)?.title(),
        _ => None,
    };
    let ops = match format {
        Format::Cdl => cdl_xml::parse(&bytes, path)?
            .into_iter()
            .map(Op::Cdl)
            .collect(),
        _ => load(path, None)?,
    };
    let ops = ops
        .iter()
        .map(|op| match op {
            Op::Lut3d(l) => format!(
                "3D LUT {n}x{n}x{n}, domain {:?}..{:?}, {}",
                l.domain_min,
                l.domain_max,
                interpolation_name(l.interpolation),
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
                if c.style == crate::ops::CdlStyle::NoClamp {
                    ", no clamp"
                } else {
                    ""
                },
                if c.direction == crate::ops::Direction::Inverse {
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
        format,
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

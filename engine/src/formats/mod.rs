//! LUT and grade file formats, each read into [`Op`]s.
//!
//! `.cube` (Resolve and Iridas/Adobe) and the ASC CDL XML family (`.cc`,
//! `.ccc`, `.cdl`). Every reader names the file and line of each problem,
//! and collects all problems in a file before failing.

pub mod cdl_xml;
pub mod cube;
pub mod spi;

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
        ext @ ("spi1d" | "spi3d" | "spimtx") => spi::load(path, ext),
        other => Err(Error::unsupported(
            path,
            format!(
                "LUT format .{other} (grade reads .cube, .spi1d, .spi3d, .spimtx, .cc, .ccc, .cdl)"
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

/// Describes a LUT file: its ops with sizes and domains.
pub fn info(path: &Path) -> Result<LutInfo> {
    let title = if extension(path) == "cube" {
        cube::read(path)?.title
    } else {
        None
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
                "ASC CDL{}: slope {:?} offset {:?} power {:?} sat {}",
                c.id.as_deref().map(|i| format!(" {i}")).unwrap_or_default(),
                c.slope,
                c.offset,
                c.power,
                c.saturation
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

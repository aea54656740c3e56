//! LUT and grade file formats, each read into [`Op`]s.
//!
//! `.cube` (Resolve and Iridas/Adobe), `.3dl`, `.spi1d`, `.spi3d`, `.spimtx`,
//! `.csp`, `.clf` and the ASC CDL XML family (`.cc`, `.ccc`, `.cdl`). Every
//! reader names the file and line of each problem, and collects all problems
//! in a file before failing.

use std::path::Path;

use crate::grade::Op;
use crate::Result;

/// Reads a LUT, CLF or CDL file into ops, choosing the reader by extension.
/// `select` picks one ColorCorrection by id in a `.ccc`/`.cdl` (the `#id` of
/// `--cdl FILE#id`); without it a file holding several corrections takes
/// the first.
pub fn load(path: &Path, select: Option<&str>) -> Result<Vec<Op>> {
    let _ = select;
    Err(crate::Error::unsupported(
        path,
        "LUT formats are not implemented yet",
    ))
}

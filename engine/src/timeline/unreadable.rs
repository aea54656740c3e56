//! Media under `--media` that could not be read (a truncated DPX, a text
//! file named `.exr`, a folder without permission): left out of the index,
//! warned about once, listed in the report, and named by the events that
//! needed it.

use std::path::{Path, PathBuf};

use super::media::{fold, Compare, COMPARES};

/// A file or folder under `--media` that could not be read, so the index
/// leaves it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The file (a sequence's first frame) or folder.
    pub path: PathBuf,
    /// The name an event would find it by: the sequence's clip name, or the
    /// folder's name.
    pub name: String,
    /// The name of the folder holding it (the `--reel-from folder` reel).
    pub folder: String,
    pub error: String,
}

impl Unreadable {
    pub(super) fn new(path: PathBuf, name: String, error: String) -> Unreadable {
        let folder = path
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Unreadable {
            path,
            name,
            folder,
            error,
        }
    }

    /// Whether an event naming `name` could have meant this media.
    pub(super) fn answers_to(&self, name: &str) -> bool {
        [&self.name, &self.folder].iter().any(|n| {
            !n.is_empty()
                && COMPARES
                    .iter()
                    .any(|&c| c != Compare::Exact && fold(n, c) == fold(name, c))
        })
    }
}

/// How many unreadable paths a warning names before "and N more".
const UNREADABLE_SHOWN: usize = 3;

/// The one warning about unreadable media: the count and the first few
/// paths. `None` when everything could be read.
pub fn warning(unreadable: &[Unreadable]) -> Option<String> {
    let n = unreadable.len();
    let first = unreadable.first()?;
    let shown: Vec<String> = unreadable
        .iter()
        .take(UNREADABLE_SHOWN)
        .map(|u| u.path.display().to_string())
        .collect();
    let more = match n.saturating_sub(UNREADABLE_SHOWN) {
        0 => String::new(),
        m => format!(" and {m} more"),
    };
    Some(format!(
        "--media: {n} file(s) could not be read and are left out of the index: {}{more} \
             (first error: {}); only events that need them fail",
        shown.join(", "),
        first.error
    ))
}

//! Checking a sealed folder against its ASC MHL history, writing nothing:
//! every recorded file is hashed again in each format it was recorded in
//! and compared with its first recorded hash; files in the folder that no
//! generation lists are new.

use std::path::Path;

use super::hash::{hash_file, HashFormat};
use super::history::History;
use super::walk;
use super::{CHAIN, FOLDER};
use crate::{Error, Result};

/// What [`verify`] found. The folder is intact when the three lists are
/// empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    pub generations: usize,
    pub verified: usize,
    pub mismatched: Vec<String>,
    pub missing: Vec<String>,
    pub new: Vec<String>,
}

impl Verification {
    pub fn is_intact(&self) -> bool {
        self.mismatched.is_empty() && self.missing.is_empty() && self.new.is_empty()
    }
}

/// Verifies `folder` against `folder/ascmhl/`. A folder that is not there,
/// has no history, or whose chain or manifests are broken is an error
/// naming the file.
pub fn verify(folder: &Path) -> Result<Verification> {
    if !folder.is_dir() {
        return Err(Error::read(
            folder,
            std::io::Error::new(std::io::ErrorKind::NotFound, "folder not found"),
        ));
    }
    let chain = folder.join(FOLDER).join(CHAIN);
    if !chain.is_file() {
        return Err(Error::invalid(
            &chain,
            "no ASC MHL history here (seal the folder with `grade mhl create` first)",
        ));
    }
    let history = History::load(folder)?;
    let tree = walk::Dir::read(folder, "")?;
    let mut out = Verification {
        generations: history.generations.len(),
        ..Verification::default()
    };
    let mut seen = std::collections::BTreeSet::new();
    for file in tree.all_files() {
        seen.insert(file.path.as_str());
        let Some(recorded) = history.files.get(&file.path) else {
            out.new.push(file.path.clone());
            continue;
        };
        let formats: Vec<HashFormat> = recorded.keys().copied().collect();
        let path = folder.join(&file.path);
        let digests = hash_file(&path, &formats).map_err(|e| Error::read(&path, e))?;
        if formats
            .iter()
            .zip(&digests)
            .all(|(f, d)| recorded.get(f) == Some(d))
        {
            out.verified += 1;
        } else {
            out.mismatched.push(file.path.clone());
        }
    }
    out.mismatched.sort();
    out.new.sort();
    out.missing = history
        .files
        .keys()
        .filter(|p| !seen.contains(p.as_str()))
        .cloned()
        .collect();
    Ok(out)
}

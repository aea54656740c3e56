//! Reading an ASC MHL history: `ascmhl/ascmhl_chain.xml` and the manifests
//! it lists, each checked against its C4 in the chain (a manifest edited
//! after it was sealed is a broken history, as ascmhl has it).

use std::collections::BTreeMap;
use std::path::Path;

use super::hash::{hash_bytes, HashFormat};
use super::{CHAIN, FOLDER};
use crate::{Error, Result};

/// One manifest of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generation {
    pub number: u32,
    /// The manifest's file name inside `ascmhl/`.
    pub file: String,
    /// The chain's C4 of the manifest's bytes.
    pub c4: String,
}

/// A folder's history: its generations in order, and for every file path
/// the first digest recorded in each format (what later generations are
/// checked against).
#[derive(Debug, Clone, Default)]
pub struct History {
    pub generations: Vec<Generation>,
    pub files: BTreeMap<String, BTreeMap<HashFormat, String>>,
}

impl History {
    /// The history of `folder`; an empty one when it has no `ascmhl/`
    /// folder. A chain or manifest that cannot be read, parsed or matched to
    /// its C4 is an error naming that file.
    pub fn load(folder: &Path) -> Result<History> {
        let dir = folder.join(FOLDER);
        if !dir.is_dir() {
            return Ok(History::default());
        }
        let chain_path = dir.join(CHAIN);
        let generations = read_chain(&chain_path)?;
        let mut history = History {
            generations: Vec::new(),
            files: BTreeMap::new(),
        };
        for g in generations {
            let path = dir.join(&g.file);
            let bytes = std::fs::read(&path).map_err(|e| Error::read(&path, e))?;
            if hash_bytes(HashFormat::C4, &bytes) != g.c4 {
                return Err(Error::invalid(
                    &path,
                    format!("does not match its C4 in {}", chain_path.display()),
                ));
            }
            for (file, digests) in read_manifest(&path, &bytes)? {
                let known = history.files.entry(file).or_default();
                for (format, digest) in digests {
                    known.entry(format).or_insert(digest);
                }
            }
            history.generations.push(g);
        }
        Ok(history)
    }

    /// The number the next manifest takes.
    pub fn next_number(&self) -> u32 {
        self.generations.iter().map(|g| g.number).max().unwrap_or(0) + 1
    }
}

/// The `<hashlist>` entries of a chain file, in sequence order.
pub fn read_chain(path: &Path) -> Result<Vec<Generation>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
    let doc = parse(path, &text)?;
    let root = doc.root_element();
    if root.tag_name().name() != "ascmhldirectory" {
        return Err(Error::invalid(
            path,
            format!(
                "root element is <{}>, not <ascmhldirectory>",
                root.tag_name().name()
            ),
        ));
    }
    let mut out = Vec::new();
    for node in root.children().filter(|n| n.has_tag_name("hashlist")) {
        let line = doc.text_pos_at(node.range().start).row as usize;
        let number = node
            .attribute("sequencenr")
            .and_then(|s| s.trim().parse::<u32>().ok());
        let file = child_text(node, "path");
        let c4 = child_text(node, "c4");
        match (number, file, c4) {
            (Some(number), Some(file), Some(c4)) if is_plain_name(&file) => {
                out.push(Generation { number, file, c4 })
            }
            _ => {
                return Err(Error::invalid_at(
                    path,
                    line,
                    "<hashlist> needs a sequencenr, a <path> to a manifest in ascmhl/ and a <c4>",
                ))
            }
        }
    }
    out.sort_by_key(|g| g.number);
    Ok(out)
}

/// A file's recorded (format, digest) pairs.
type Digests = Vec<(HashFormat, String)>;

/// The file hashes of one manifest: path and (format, digest) pairs.
fn read_manifest(path: &Path, bytes: &[u8]) -> Result<Vec<(String, Digests)>> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Error::invalid(path, "manifest is not UTF-8 text"))?;
    let doc = parse(path, text)?;
    let root = doc.root_element();
    if root.tag_name().name() != "hashlist" {
        return Err(Error::invalid(
            path,
            format!(
                "root element is <{}>, not <hashlist>",
                root.tag_name().name()
            ),
        ));
    }
    let mut out = Vec::new();
    let hashes = root.children().filter(|n| n.has_tag_name("hashes"));
    for node in hashes.flat_map(|h| h.children().filter(|n| n.has_tag_name("hash"))) {
        let line = doc.text_pos_at(node.range().start).row as usize;
        let Some(file) = child_text(node, "path") else {
            return Err(Error::invalid_at(path, line, "<hash> without a <path>"));
        };
        let digests: Digests = node
            .children()
            .filter(|n| n.is_element())
            .filter_map(|n| {
                let format = HashFormat::from_name(n.tag_name().name())?;
                Some((format, n.text()?.trim().to_string()))
            })
            .collect();
        out.push((file, digests));
    }
    Ok(out)
}

fn parse<'a>(path: &Path, text: &'a str) -> Result<roxmltree::Document<'a>> {
    roxmltree::Document::parse(text)
        .map_err(|e| Error::invalid_at(path, e.pos().row as usize, format!("not valid XML: {e}")))
}

fn child_text(node: roxmltree::Node, name: &str) -> Option<String> {
    let child = node.children().find(|n| n.has_tag_name(name))?;
    Some(child.text()?.trim().to_string())
}

/// A manifest name in the chain must stay inside `ascmhl/`.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\'])
}

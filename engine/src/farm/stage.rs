//! Chunked deliverables: what one chunk of a farm job leaves for
//! `grade farm finalize`.
//!
//! A chunk renders its frames into the output folder as any render does;
//! its review segments, its QC part (per-frame statistics of its frames
//! and the files it wrote, the findings are made at finalize over the whole
//! sequence, so duplicates and flashes across chunk boundaries are found)
//! and its hash list (each master's size, modification time and digest,
//! taken from the bytes as they were written) go into a staging folder
//! beside the output folder, never inside it:
//! `<parent>/.grade-staging-<folder>/chunk-0003-of-0004/` (or
//! `frames-1001-1012/` for a task given its frames, as Open Job
//! Description's are). The segments are written under temporary names and
//! renamed; `part.json`, which lists them, is written last (temporary name,
//! renamed) and only when every frame of the chunk was rendered, so a chunk
//! is complete exactly when its `part.json` exists. A chunk run again
//! starts by emptying its folder: nothing partial or stale survives.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::qc::FrameEntry;
use crate::{Error, Result};

/// The start of a staging folder's name; the output folder's name follows.
pub const PREFIX: &str = ".grade-staging-";

/// The file that makes a chunk's folder complete.
pub const PART: &str = "part.json";

/// `path` made absolute and without `.` components (nothing is resolved
/// on disk, so a folder that does not exist yet has one too).
pub fn absolute(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// The staging folder of the output folder `output` (beside it).
pub fn folder_of(output: &Path) -> PathBuf {
    let out = absolute(output);
    let name = out
        .file_name()
        .map_or_else(|| "root".into(), |n| n.to_string_lossy().into_owned());
    let parent = out
        .parent()
        .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
    parent.join(format!("{PREFIX}{name}"))
}

/// Which part of the job a chunk is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Slice {
    /// `--chunk K/N`.
    Chunk { k: u32, n: u32 },
    /// Frames given by number (`--frames` with `--stage`): first and last.
    Frames { first: i64, last: i64 },
}

impl Slice {
    /// The name of its folder in the staging folder.
    pub fn folder_name(self) -> String {
        match self {
            Slice::Chunk { k, n } => format!("chunk-{k:04}-of-{n:04}"),
            Slice::Frames { first, last } => format!("frames-{first}-{last}"),
        }
    }

    /// Reads a folder name back.
    pub fn parse(name: &str) -> Option<Slice> {
        if let Some(rest) = name.strip_prefix("chunk-") {
            let (k, n) = rest.split_once("-of-")?;
            return Some(Slice::Chunk {
                k: k.parse().ok()?,
                n: n.parse().ok()?,
            });
        }
        let rest = name.strip_prefix("frames-")?;
        // The first frame may be negative: split at the last '-' that
        // follows a digit.
        let cut = rest
            .char_indices()
            .skip(1)
            .filter(|&(i, c)| c == '-' && rest.as_bytes()[i - 1].is_ascii_digit())
            .map(|(i, _)| i)
            .last()?;
        Some(Slice::Frames {
            first: rest[..cut].parse().ok()?,
            last: rest[cut + 1..].parse().ok()?,
        })
    }
}

/// A review movie's segment in a chunk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewPart {
    /// The joined movie's path, as given.
    pub movie: PathBuf,
    /// The segment's file name in the chunk's folder.
    pub segment: String,
}

/// A chunk's QC: its frames' statistics and its files; the findings are
/// made when the parts are joined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QcPart {
    pub target: String,
    /// The report's path, as given (`--qc`).
    pub json: Option<PathBuf>,
    /// The checks that fail the job (`--qc-fail`); `None`: severity fail.
    pub fail_on: Option<Vec<String>>,
    /// Frame number and path of every output of the chunk.
    pub files: Vec<(i64, PathBuf)>,
    pub frames: Vec<FrameEntry>,
}

/// A master as it was written: enough to trust its digest later without
/// reading it (the size and modification time must still be the same).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hashed {
    pub size: u64,
    /// Nanoseconds since 1970.
    pub modified: i128,
    pub digest: String,
}

/// A chunk's hash list for the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HashPart {
    /// The sealed folder, absolute.
    pub folder: PathBuf,
    /// The hash format's name (`xxh128`, ...).
    pub format: String,
    /// By path relative to `folder`, `/`-separated.
    pub files: BTreeMap<String, Hashed>,
}

/// What one chunk left: `part.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub slice: Slice,
    /// The frames it rendered, ascending.
    pub frames: Vec<i64>,
    pub reviews: Vec<ReviewPart>,
    pub qc: Option<QcPart>,
    pub hashes: Option<HashPart>,
}

impl Part {
    /// Writes `part.json` into `dir` (temporary name, renamed).
    pub fn write(&self, dir: &Path) -> Result<()> {
        let path = dir.join(PART);
        let text = serde_json::to_string(self)
            .map_err(|e| Error::write(&path, std::io::Error::other(e.to_string())))?;
        crate::io::write_atomically(&path, |tmp| {
            std::fs::write(tmp, text).map_err(|e| Error::write(tmp, e))
        })
    }

    /// Reads a chunk's `part.json`; `None` when the chunk is not complete.
    pub fn read(dir: &Path) -> Result<Option<Part>> {
        let path = dir.join(PART);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::read(&path, e)),
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| Error::invalid(&path, format!("not a chunk's part: {e}")))
    }
}

/// A file's size and modification time (nanoseconds since 1970).
pub fn size_and_time(path: &Path) -> Option<(u64, i128)> {
    let m = std::fs::metadata(path).ok()?;
    let t = m.modified().ok()?;
    let ns = match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    };
    Some((m.len(), ns))
}

/// Empties (or makes) a chunk's folder before it renders.
pub fn fresh(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))
}

//! ASC MHL v2 checksum manifests: the industry's proof that a delivery
//! arrived intact.
//!
//! [`create`] seals a folder: every file in it (not the `ascmhl/` history,
//! nor grade's temporary `.NAME.tmp-...` files) is listed with its size,
//! modification date and hash, plus a content and a structure hash for every
//! folder and for the root, computed as the ASC's reference tool `ascmhl`
//! computes them. The manifest goes to
//! `ascmhl/NNNN_<folder>_<YYYY-MM-DD>_<HHMMSS>Z.mhl` and its C4 into
//! `ascmhl/ascmhl_chain.xml`. A later [`create`] adds the next generation:
//! files already recorded are hashed again in their recorded formats
//! (`verified`, or `failed` on a mismatch), new ones are `original`; missing
//! and mismatched files are reported, as ascmhl does. [`verify()`] checks a
//! folder against its history without writing anything. [`MhlSink`] seals
//! a render's output folder at the end of the job, with the frames hashed
//! as they were written.

mod hash;
mod history;
mod sink;
#[cfg(test)]
mod tests;
mod verify;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

pub use hash::{digest_bytes, hash_bytes, hash_file, hash_of_hash_list, HashFormat, Hasher};
pub use history::{read_chain, Generation, History};
pub use sink::MhlSink;
pub use verify::{verify, Verification};

use crate::{Error, Result};

/// The history folder inside a sealed folder.
pub const FOLDER: &str = "ascmhl";
/// The chain file inside [`FOLDER`].
pub const CHAIN: &str = "ascmhl_chain.xml";
/// Ignore patterns written into every manifest (gitignore syntax, as
/// ascmhl reads them): its own defaults and grade's temporary files.
const IGNORE: [&str; 5] = [".DS_Store", "ascmhl", "ascmhl/", ".*.tmp-*", ".tmp-*"];

/// What a generation did with one hash of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// First hashing of the file in this format.
    Original,
    /// Hashed again and equal to the recorded hash.
    Verified,
    /// Hashed again and different from the recorded hash.
    Failed,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::Original => "original",
            Action::Verified => "verified",
            Action::Failed => "failed",
        }
    }
}

/// A `<hash>` entry: one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    /// Relative to the sealed folder, `/`-separated.
    pub path: String,
    pub size: u64,
    /// Modification time, seconds since 1970 (UTC).
    pub modified: i64,
    /// In schema order.
    pub hashes: Vec<(HashFormat, String, Action)>,
}

/// A `<directoryhash>` entry: one folder below the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirRecord {
    pub path: String,
    pub modified: i64,
    pub hashes: Vec<DirHash>,
}

/// A folder's content hash (of its children's hashes) and structure hash
/// (of its children's names with their hashes), in one format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirHash {
    pub format: HashFormat,
    pub content: String,
    pub structure: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    File(FileRecord),
    Dir(DirRecord),
}

/// One generation's manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// Seconds since 1970 (UTC): the creation and hash date.
    pub created: i64,
    pub hostname: String,
    pub root: Vec<DirHash>,
    /// Post-order, as ascmhl lists them: a folder's contents before it.
    pub records: Vec<Record>,
}

impl Manifest {
    /// The manifest's XML, as written to disk.
    pub fn to_xml(&self) -> String {
        let date = iso_date(self.created);
        let mut x = String::new();
        x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.push_str("<hashlist version=\"2.0\" xmlns=\"urn:ASC:MHL:v2.0\">\n");
        x.push_str("  <creatorinfo>\n");
        let _ = writeln!(x, "    <creationdate>{date}</creationdate>");
        let _ = writeln!(x, "    <hostname>{}</hostname>", escape(&self.hostname));
        let _ = writeln!(
            x,
            "    <tool version=\"{}\">grade</tool>",
            env!("CARGO_PKG_VERSION")
        );
        x.push_str("  </creatorinfo>\n  <processinfo>\n    <process>in-place</process>\n");
        if !self.root.is_empty() {
            x.push_str("    <roothash>\n");
            dir_hashes(&mut x, "      ", &self.root, &date);
            x.push_str("    </roothash>\n");
        }
        x.push_str("    <ignore>\n");
        for p in IGNORE {
            let _ = writeln!(x, "      <pattern>{}</pattern>", escape(p));
        }
        x.push_str("    </ignore>\n  </processinfo>\n");
        // The schema wants at least one entry inside <hashes>.
        if !self.records.is_empty() {
            x.push_str("  <hashes>\n");
            for r in &self.records {
                match r {
                    Record::File(f) => {
                        x.push_str("    <hash>\n");
                        let _ = writeln!(
                            x,
                            "      <path size=\"{}\" lastmodificationdate=\"{}\">{}</path>",
                            f.size,
                            iso_date(f.modified),
                            escape(&f.path)
                        );
                        for (format, digest, action) in &f.hashes {
                            let name = format.name();
                            let _ = writeln!(
                                x,
                                "      <{name} action=\"{}\" hashdate=\"{date}\">{digest}</{name}>",
                                action.name()
                            );
                        }
                        x.push_str("    </hash>\n");
                    }
                    Record::Dir(d) => {
                        x.push_str("    <directoryhash>\n");
                        let _ = writeln!(
                            x,
                            "      <path lastmodificationdate=\"{}\">{}</path>",
                            iso_date(d.modified),
                            escape(&d.path)
                        );
                        dir_hashes(&mut x, "      ", &d.hashes, &date);
                        x.push_str("    </directoryhash>\n");
                    }
                }
            }
            x.push_str("  </hashes>\n");
        }
        x.push_str("</hashlist>\n");
        x
    }
}

fn dir_hashes(x: &mut String, indent: &str, hashes: &[DirHash], date: &str) {
    for (tag, pick) in [("content", true), ("structure", false)] {
        let _ = writeln!(x, "{indent}<{tag}>");
        for h in hashes {
            let name = h.format.name();
            let digest = if pick { &h.content } else { &h.structure };
            let _ = writeln!(x, "{indent}  <{name} hashdate=\"{date}\">{digest}</{name}>");
        }
        let _ = writeln!(x, "{indent}</{tag}>");
    }
}

/// The chain file listing `generations`.
pub fn chain_xml(generations: &[Generation]) -> String {
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str("<ascmhldirectory xmlns=\"urn:ASC:MHL:DIRECTORY:v2.0\">\n");
    for g in generations {
        let _ = writeln!(x, "  <hashlist sequencenr=\"{}\">", g.number);
        let _ = writeln!(x, "    <path>{}</path>", escape(&g.file));
        let _ = writeln!(x, "    <c4>{}</c4>", g.c4);
        x.push_str("  </hashlist>\n");
    }
    x.push_str("</ascmhldirectory>\n");
    x
}

/// What [`create`] wrote and found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub manifest: PathBuf,
    pub generation: u32,
    pub files: usize,
    /// Recorded earlier and equal now.
    pub verified: usize,
    /// Not in the history before (every file, in generation 1).
    pub new: Vec<String>,
    /// Recorded earlier with another hash.
    pub mismatched: Vec<String>,
    /// Recorded earlier and no longer in the folder.
    pub missing: Vec<String>,
}

/// Seals `folder` with a new generation hashed in `format` (files recorded
/// earlier are also hashed in their recorded formats). The generation is
/// written even when files are mismatched or missing, as ascmhl does; the
/// caller fails on those.
pub fn create(folder: &Path, format: HashFormat) -> Result<Created> {
    create_with(folder, format, &Known::new())
}

/// Digests already taken of files in a folder (a render hashes its frames
/// as it writes them), keyed by the path relative to the folder,
/// `/`-separated: their size and their digest in the generation's format.
pub type Known = std::collections::HashMap<String, (u64, String)>;

/// [`create`] taking the digest of a file from `known` where it holds one
/// of the file's present size in the only format the file needs; every
/// other file is read and hashed.
pub fn create_with(folder: &Path, format: HashFormat, known: &Known) -> Result<Created> {
    if !folder.is_dir() {
        return Err(Error::read(
            folder,
            std::io::Error::new(std::io::ErrorKind::NotFound, "folder not found"),
        ));
    }
    let history = History::load(folder)?;
    let tree = walk::Dir::read(folder, "")?;
    let mut sealer = Sealer {
        folder,
        history: &history,
        known,
        format,
        records: Vec::new(),
        seen: Default::default(),
        verified: 0,
        new: Vec::new(),
        mismatched: Vec::new(),
    };
    let root = sealer.seal(&tree)?;
    let created = now();
    let manifest = Manifest {
        created,
        hostname: hostname(),
        root: vec![root],
        records: sealer.records,
    };
    let number = history.next_number();
    let name = manifest_name(number, folder, created);
    let dir = folder.join(FOLDER);
    std::fs::create_dir_all(&dir).map_err(|e| Error::write(&dir, e))?;
    let xml = manifest.to_xml();
    let manifest_path = dir.join(&name);
    write_atomic(&manifest_path, xml.as_bytes())?;
    let mut generations = history.generations.clone();
    generations.push(Generation {
        number,
        file: name,
        c4: hash_bytes(HashFormat::C4, xml.as_bytes()),
    });
    write_atomic(&dir.join(CHAIN), chain_xml(&generations).as_bytes())?;
    sealer.new.sort();
    sealer.mismatched.sort();
    let missing = history
        .files
        .keys()
        .filter(|p| !sealer.seen.contains(*p))
        .cloned()
        .collect();
    Ok(Created {
        manifest: manifest_path,
        generation: number,
        files: sealer.seen.len(),
        verified: sealer.verified,
        new: sealer.new,
        mismatched: sealer.mismatched,
        missing,
    })
}

struct Sealer<'a> {
    folder: &'a Path,
    history: &'a History,
    known: &'a Known,
    format: HashFormat,
    records: Vec<Record>,
    seen: std::collections::BTreeSet<String>,
    verified: usize,
    new: Vec<String>,
    mismatched: Vec<String>,
}

impl Sealer<'_> {
    /// Records `dir`'s files and folders (post-order) and returns its
    /// content and structure hashes.
    fn seal(&mut self, dir: &walk::Dir) -> Result<DirHash> {
        let f = self.format;
        let mut contents = Vec::new();
        let mut structures = Vec::new();
        // A child's structure entry hashes its name followed by its digest's
        // bytes (a folder's structure hash, a file's content hash).
        let mut push = |name: &str, content: String, structure_of: &str| {
            let mut named = name.as_bytes().to_vec();
            named.extend(digest_bytes(f, structure_of).unwrap_or_default());
            structures.push(hash_bytes(f, &named));
            contents.push(content);
        };
        for sub in &dir.dirs {
            let h = self.seal(sub)?;
            push(sub.name(), h.content.clone(), &h.structure);
            self.records.push(Record::Dir(DirRecord {
                path: sub.path.clone(),
                modified: sub.modified,
                hashes: vec![h],
            }));
        }
        for file in &dir.files {
            let record = self.seal_file(file)?;
            let digest = record
                .hashes
                .iter()
                .find(|(g, _, _)| *g == f)
                .map(|(_, d, _)| d.clone())
                .unwrap_or_default();
            push(walk::name_of(&file.path), digest.clone(), &digest);
            self.records.push(Record::File(record));
        }
        let hash = |list: &[String]| hash_of_hash_list(f, list).unwrap_or_default();
        Ok(DirHash {
            format: f,
            content: hash(&contents),
            structure: hash(&structures),
        })
    }

    fn seal_file(&mut self, file: &walk::File) -> Result<FileRecord> {
        self.seen.insert(file.path.clone());
        let recorded = self.history.files.get(&file.path);
        let mut formats: Vec<HashFormat> = recorded
            .map(|r| r.keys().copied().collect())
            .unwrap_or_default();
        if !formats.contains(&self.format) {
            formats.push(self.format);
        }
        formats.sort();
        let path = self.folder.join(&file.path);
        let digests = match self.known.get(&file.path) {
            Some((size, digest)) if *size == file.size && formats == [self.format] => {
                vec![digest.clone()]
            }
            _ => hash_file(&path, &formats).map_err(|e| Error::read(&path, e))?,
        };
        let mut hashes = Vec::new();
        let mut failed = false;
        for (format, digest) in formats.iter().zip(&digests) {
            let action = match recorded.and_then(|r| r.get(format)) {
                Some(old) if old == digest => Action::Verified,
                Some(_) => {
                    failed = true;
                    Action::Failed
                }
                None => Action::Original,
            };
            hashes.push((*format, digest.clone(), action));
        }
        if recorded.is_none() {
            self.new.push(file.path.clone());
        } else if failed {
            // A new format is only recorded once the old ones hold (ascmhl).
            hashes.retain(|(_, _, a)| *a != Action::Original);
            self.mismatched.push(file.path.clone());
        } else {
            self.verified += 1;
        }
        Ok(FileRecord {
            path: file.path.clone(),
            size: file.size,
            modified: file.modified,
            hashes,
        })
    }
}

pub(crate) mod walk {
    //! The files of a sealed folder, sorted by name as ascmhl lists them.
    use super::FOLDER;
    use crate::{Error, Result};
    use std::path::Path;

    pub struct File {
        pub path: String,
        pub size: u64,
        pub modified: i64,
    }

    pub struct Dir {
        /// Relative path ("" for the root).
        pub path: String,
        pub modified: i64,
        pub dirs: Vec<Dir>,
        pub files: Vec<File>,
    }

    pub fn name_of(path: &str) -> &str {
        path.rsplit('/').next().unwrap_or(path)
    }

    /// Not listed: the history, Finder's litter and grade's temporary files.
    pub fn skipped(name: &str) -> bool {
        name == FOLDER || name == ".DS_Store" || (name.starts_with('.') && name.contains(".tmp-"))
    }

    impl Dir {
        pub fn name(&self) -> &str {
            name_of(&self.path)
        }

        pub fn read(root: &Path, rel: &str) -> Result<Dir> {
            let here = if rel.is_empty() {
                root.to_path_buf()
            } else {
                root.join(rel)
            };
            let meta = std::fs::metadata(&here).map_err(|e| Error::read(&here, e))?;
            let mut names = Vec::new();
            for entry in std::fs::read_dir(&here).map_err(|e| Error::read(&here, e))? {
                let entry = entry.map_err(|e| Error::read(&here, e))?;
                let name = entry.file_name();
                let Some(name) = name.to_str() else {
                    return Err(Error::invalid(
                        entry.path(),
                        "file name is not UTF-8; ASC MHL paths are text",
                    ));
                };
                if !skipped(name) {
                    names.push(name.to_string());
                }
            }
            names.sort();
            let mut dir = Dir {
                path: rel.to_string(),
                modified: super::mtime(&meta),
                dirs: Vec::new(),
                files: Vec::new(),
            };
            for name in names {
                let child = if rel.is_empty() {
                    name
                } else {
                    format!("{rel}/{name}")
                };
                let full = root.join(&child);
                let link = std::fs::symlink_metadata(&full).map_err(|e| Error::read(&full, e))?;
                let meta = std::fs::metadata(&full).map_err(|e| Error::read(&full, e))?;
                if meta.is_dir() {
                    // ascmhl does not follow links to folders either.
                    if !link.file_type().is_symlink() {
                        dir.dirs.push(Dir::read(root, &child)?);
                    }
                } else {
                    dir.files.push(File {
                        path: child,
                        size: meta.len(),
                        modified: super::mtime(&meta),
                    });
                }
            }
            Ok(dir)
        }

        /// Every file below, in listing order.
        pub fn all_files(&self) -> Vec<&File> {
            let mut out = Vec::new();
            for d in &self.dirs {
                out.extend(d.all_files());
            }
            out.extend(self.files.iter());
            out
        }
    }
}

fn mtime(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs() as i64)
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn hostname() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| {
            let s = std::fs::read_to_string(p).ok()?;
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_string())
        })
        .unwrap_or_else(|| "localhost".into())
}

/// `NNNN_<folder>_<YYYY-MM-DD>_<HHMMSS>Z.mhl`.
pub fn manifest_name(number: u32, folder: &Path, created: i64) -> String {
    let base = std::fs::canonicalize(folder)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "root".into());
    let (y, mo, d, h, mi, s) = utc(created);
    format!("{number:04}_{base}_{y:04}-{mo:02}-{d:02}_{h:02}{mi:02}{s:02}Z.mhl")
}

/// `2026-12-06T03:51:49+00:00`.
pub fn iso_date(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = utc(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}+00:00")
}

/// Civil UTC date and time of a Unix time (Howard Hinnant's days-to-civil).
fn utc(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400) as u32;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, rem / 3600, rem / 60 % 60, rem % 60)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Writes `bytes` to `path` under a temporary name, then renames it.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::io::write_atomically(path, |tmp| {
        std::fs::write(tmp, bytes).map_err(|e| Error::write(tmp, e))
    })
}

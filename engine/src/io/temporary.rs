//! Temporary names of outputs being written, and the clean-up of those a
//! dead writer left behind.
//!
//! [`super::write_frame`] writes `.NAME.tmp-HOST-PID-N` in the output's
//! folder and renames it to `NAME` when complete. A render killed with
//! SIGKILL (or a farm node that dies) cannot remove its temporary file, so
//! the name records who wrote it: [`remove_orphans`], run by the next render
//! of the same output pattern, removes the temporaries whose writer is gone.
//! On this host that is a PID no longer alive; for another host (a shared
//! network folder), or a name from before hosts were recorded
//! (`.NAME.tmp-PID-N`), it is a file untouched for [`ORPHAN_AGE`]: a writer
//! keeps its file's modification time fresh while it writes, and no frame
//! takes that long.
//!
//! Temporary names start with a dot and end in `.tmp-...`, so nothing that
//! lists a sequence's frames ([`super::sequence::discover`]) counts them.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use super::sequence::Pattern;

/// How long a temporary file from another host (or of unknown origin) must
/// have been left untouched before it counts as abandoned.
pub const ORPHAN_AGE: Duration = Duration::from_secs(60 * 60);

/// A temporary name taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TempName {
    /// The output's own file name.
    pub output: String,
    /// The writer's host; `None` for names without one.
    pub host: Option<String>,
    pub pid: u32,
}

/// `.NAME.tmp-HOST-PID-N`: hidden, unique within this process and across
/// processes and hosts writing into the same folder.
pub fn name(output: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(".{output}.tmp-{}-{}-{n}", host(), std::process::id())
}

/// Parses a temporary name, with or without a host: `None` for any other
/// file name.
pub fn parse(file_name: &str) -> Option<TempName> {
    let rest = file_name.strip_prefix('.')?;
    let at = rest.rfind(".tmp-")?;
    let (output, tail) = (&rest[..at], &rest[at + 5..]);
    let mut parts = tail.rsplitn(3, '-');
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let n = parts.next()?;
    let pid = parts.next()?;
    if output.is_empty() || !digits(n) || !digits(pid) {
        return None;
    }
    let host = match parts.next() {
        Some("") => return None,
        Some(h) => Some(h.to_string()),
        None => None,
    };
    Some(TempName {
        output: output.to_string(),
        host,
        pid: pid.parse().ok()?,
    })
}

/// This machine's host name as temporary names carry it: letters, digits,
/// `.` and `-`, anything else as `_`, at most 64 characters.
pub fn host() -> &'static str {
    static HOST: OnceLock<String> = OnceLock::new();
    HOST.get_or_init(|| {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer is valid for its length; gethostname writes at
        // most that many bytes.
        let ok = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } == 0;
        let raw = if ok {
            let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            String::from_utf8_lossy(&buf[..end]).into_owned()
        } else {
            String::new()
        };
        let clean: String = raw
            .chars()
            .take(64)
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if clean.is_empty() {
            "localhost".into()
        } else {
            clean
        }
    })
}

/// Whether process `pid` exists on this host.
fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks that the process exists.
    if unsafe { libc::kill(pid, 0) } == 0 {
        return true;
    }
    // EPERM: it exists but belongs to someone else.
    std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Whether the writer of `temp` (last modified at `modified`) is gone.
fn abandoned(temp: &TempName, modified: SystemTime, now: SystemTime) -> bool {
    let old = now
        .duration_since(modified)
        .is_ok_and(|age| age >= ORPHAN_AGE);
    let here_and_dead = temp.host.as_deref() == Some(host()) && !alive(temp.pid);
    old || here_and_dead
}

/// Removes the temporary files of `pattern`'s outputs in its folder whose
/// writer is gone; returns the files removed. A folder that cannot be read
/// or a file that cannot be removed is left alone: the render itself will
/// say what is wrong with the folder.
pub fn remove_orphans(pattern: &Pattern) -> Vec<PathBuf> {
    let dir = if pattern.dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        pattern.dir.as_path()
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let now = SystemTime::now();
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(temp) = name.to_str().and_then(parse) else {
            continue;
        };
        if !pattern.names(&temp.output) {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let modified = meta.modified().unwrap_or(now);
        if abandoned(&temp, modified, now) && std::fs::remove_file(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    removed.sort();
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_record_host_and_pid_and_parse_back() {
        let a = name("o.0000034.dpx");
        let b = name("o.0000034.dpx");
        assert_ne!(a, b);
        assert!(a.starts_with(".o.0000034.dpx.tmp-"), "{a}");
        let t = parse(&a).unwrap();
        assert_eq!(t.output, "o.0000034.dpx");
        assert_eq!(t.host.as_deref(), Some(host()));
        assert_eq!(t.pid, std::process::id());
        // Hosts with dashes, and names from before hosts were recorded.
        let t = parse(".o.1.exr.tmp-node-12.farm-4421-33").unwrap();
        assert_eq!(
            (t.output.as_str(), t.host.as_deref(), t.pid),
            ("o.1.exr", Some("node-12.farm"), 4421)
        );
        let t = parse(".o.0000034.dpx.tmp-4421-33").unwrap();
        assert_eq!((t.host, t.pid), (None, 4421));
        for other in [
            "o.1.exr",
            ".o.1.exr",
            ".o.1.exr.tmp-",
            ".o.1.exr.tmp-h-x-1",
            ".o.1.exr.tmp--1-2",
            ".tmp-1-2",
        ] {
            assert_eq!(parse(other), None, "{other}");
        }
    }

    /// Temporaries of dead writers on this host go, as do old ones from
    /// elsewhere; a live writer's, a recent one from another host, and other
    /// patterns' files stay.
    #[test]
    fn removes_only_what_a_gone_writer_left() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // A child that has exited: its PID is not alive (and, so soon, not
        // reused).
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let me = std::process::id();
        let h = host();
        let files = [
            (format!(".o.0001.dpx.tmp-{h}-{dead}-0"), true),
            (format!(".o.0002.dpx.tmp-{h}-{me}-0"), false),
            (format!(".o.0003.dpx.tmp-elsewhere-{dead}-0"), false),
            (format!(".p.0001.dpx.tmp-{h}-{dead}-0"), false),
            (format!(".o.001.dpx.tmp-{h}-{dead}-0"), false),
            ("o.0004.dpx".to_string(), false),
        ];
        for (f, _) in &files {
            std::fs::write(d.join(f), b"x").unwrap();
        }
        let pattern = Pattern::parse(&format!("{}/o.%04d.dpx", d.display())).unwrap();
        let removed = remove_orphans(&pattern);
        let expect: Vec<PathBuf> = files
            .iter()
            .filter(|(_, gone)| *gone)
            .map(|(f, _)| d.join(f))
            .collect();
        assert_eq!(removed, expect);
        for (f, gone) in &files {
            assert_eq!(d.join(f).exists(), !gone, "{f}");
        }
        // Listing the sequence counts its frames, never temporaries.
        let seq = super::super::sequence::discover(&pattern).unwrap();
        assert_eq!(seq.frames, [4]);
        // Another host's file, or an old-style one, goes once it is old.
        let old = SystemTime::now() - ORPHAN_AGE - Duration::from_secs(1);
        let elsewhere = parse(&files[2].0).unwrap();
        assert!(!abandoned(&elsewhere, SystemTime::now(), SystemTime::now()));
        assert!(abandoned(&elsewhere, old, SystemTime::now()));
        let legacy = parse(&format!(".o.0005.dpx.tmp-{me}-3")).unwrap();
        assert!(!abandoned(&legacy, SystemTime::now(), SystemTime::now()));
        assert!(abandoned(&legacy, old, SystemTime::now()));
    }
}

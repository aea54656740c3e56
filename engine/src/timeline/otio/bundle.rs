//! `.otioz` bundles: a zip holding `content.otio` and the media it names
//! under `media/`, with paths relative to the bundle.
//!
//! grade reads frames from files, so the bundle's `media/` is extracted to
//! a folder ([`OtioOptions::bundle_dir`], else one in the system's
//! temporary folder named after a hash of the bundle, reused when a
//! previous run left it complete) and relative paths resolve against it.
//! Each file is written under a temporary name and renamed; names that
//! would leave the folder (`../`, absolute) are refused.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::OtioOptions;
use crate::error::{Error, Result};

/// `content.otio` larger than this is refused (the JSON is read whole).
const MAX_CONTENT: u64 = 1 << 30;

pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// `content.otio`'s bytes and the folder its relative paths resolve against.
pub fn open(bytes: &[u8], path: &Path, opts: &OtioOptions) -> Result<(Vec<u8>, PathBuf)> {
    let bad = |what: String| Error::invalid(path, format!(".otioz bundle: {what}"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| bad(format!("not a readable zip ({e})")))?;
    let mut content = Vec::new();
    {
        let f = zip
            .by_name("content.otio")
            .map_err(|e| bad(format!("no content.otio ({e})")))?;
        f.take(MAX_CONTENT + 1)
            .read_to_end(&mut content)
            .map_err(|e| bad(format!("content.otio: {e}")))?;
        if content.len() as u64 > MAX_CONTENT {
            return Err(bad(format!(
                "content.otio is larger than {MAX_CONTENT} bytes"
            )));
        }
    }
    let dir = match &opts.bundle_dir {
        Some(d) => d.clone(),
        None => std::env::temp_dir().join(format!(
            "grade-otioz-{:016x}",
            xxhash_rust::xxh3::xxh3_64(bytes)
        )),
    };
    for i in 0..zip.len() {
        let mut f = zip
            .by_index(i)
            .map_err(|e| bad(format!("entry {i}: {e}")))?;
        if f.is_dir() || !f.name().starts_with("media/") {
            continue;
        }
        let Some(rel) = f.enclosed_name() else {
            return Err(bad(format!(
                "entry {:?} leaves the bundle's folder",
                f.name()
            )));
        };
        let out = dir.join(rel);
        if out.is_file() {
            continue;
        }
        if let Some(parent) = out.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
        }
        let tmp = out.with_extension(format!("{}.part", std::process::id()));
        let name = f.name().to_string();
        let written = std::fs::File::create(&tmp)
            .and_then(|mut w| std::io::copy(&mut f, &mut w).and_then(|_| w.flush()))
            .and_then(|()| std::fs::rename(&tmp, &out));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(match e.kind() {
                std::io::ErrorKind::InvalidData => bad(format!("{name}: {e}")),
                _ => Error::write(&out, e),
            });
        }
    }
    Ok((content, dir))
}

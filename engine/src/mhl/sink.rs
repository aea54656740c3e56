//! Sealing a render's output folder: the ASC MHL generation written at the
//! end of the job, with each master frame hashed from the bytes as they were
//! written (a [`MasterTap`]), never read back.
//!
//! Files in the folder that this job did not write (frames left alone by
//! `--skip-existing`, frames of earlier renders, a review movie or a QC
//! report that other sinks write when they finish) are read and hashed
//! when the generation is made, as `grade mhl create` does. The sink must
//! come last in the job's sinks, so that what the others write at the end
//! is in the folder by then.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{create_with, Created, HashFormat, Hasher, Known};
use crate::io::{self, WriteOptions};
use crate::render::{FrameRecipe, MasterTap, RenderSummary, Sink};
use crate::{Error, Frame, Result};

/// The render sink of `--mhl`.
#[derive(Debug)]
pub struct MhlSink {
    folder: PathBuf,
    format: HashFormat,
    known: Mutex<Known>,
    created: Mutex<Option<Created>>,
    /// A chunk of a farm job: no generation at the end; the digests are
    /// taken with [`MhlSink::known`] for `grade farm finalize`.
    staged: bool,
}

impl MhlSink {
    /// Seals `folder` (which holds every output of the job, in it or below)
    /// in `format` when the job finishes.
    pub fn new(folder: &Path, format: HashFormat) -> MhlSink {
        MhlSink {
            folder: folder.to_path_buf(),
            format,
            known: Mutex::default(),
            created: Mutex::default(),
            staged: false,
        }
    }

    /// As a chunk of a farm job: [`Sink::finish`] writes nothing.
    pub fn staged(mut self) -> MhlSink {
        self.staged = true;
        self
    }

    /// The digests of the masters hashed as they were written, by path
    /// relative to [`MhlSink::folder`].
    pub fn known(&self) -> Known {
        self.known.lock().map(|k| k.clone()).unwrap_or_default()
    }

    /// The sealed folder.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    pub fn format(&self) -> HashFormat {
        self.format
    }

    /// What the generation held, once the job has finished.
    pub fn created(&self) -> Option<Created> {
        self.created.lock().ok()?.clone()
    }

    /// How many frames were hashed as they were written.
    pub fn hashed_while_writing(&self) -> usize {
        self.known.lock().map_or(0, |k| k.len())
    }

    /// `path` relative to the sealed folder, as a manifest writes it.
    fn relative(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.folder).ok()?;
        let parts: Option<Vec<&str>> = rel.iter().map(|c| c.to_str()).collect();
        Some(parts?.join("/"))
    }
}

/// Hashes and counts the bytes written through it.
struct Counted {
    hasher: Hasher,
    len: u64,
}

impl std::io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.hasher.update(buf);
        self.len += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl MasterTap for MhlSink {
    fn write_master(
        &self,
        _index: usize,
        recipe: &FrameRecipe,
        frame: &Frame,
        write: &WriteOptions,
        scratch: &mut Vec<u8>,
    ) -> Result<()> {
        let mut tee = Counted {
            hasher: Hasher::new(self.format),
            len: 0,
        };
        io::write_frame_teed(&recipe.output, frame, write, scratch, &mut tee)?;
        // Only a frame now complete under its name is recorded; one outside
        // the folder is not the manifest's business.
        if let Some(rel) = self.relative(&recipe.output) {
            let digest = tee.hasher.finish();
            if let Ok(mut known) = self.known.lock() {
                known.insert(rel, (tee.len, digest));
            }
        }
        Ok(())
    }
}

impl Sink for MhlSink {
    fn write(&self, _: usize, _: &FrameRecipe, _: &Frame, _: &mut Vec<u8>) -> Result<()> {
        Ok(())
    }

    fn master_tap(&self) -> Option<&dyn MasterTap> {
        Some(self)
    }

    /// Writes the generation; files recorded earlier that now differ or are
    /// gone fail the job (the generation is still written, as ascmhl does).
    fn finish(&self, _summary: &RenderSummary) -> Result<()> {
        if self.staged {
            return Ok(());
        }
        let known = self
            .known
            .lock()
            .map(|k| k.clone())
            .map_err(|_| Error::Usage("the checksum manifest's records are broken".into()))?;
        let created = create_with(&self.folder, self.format, &known)?;
        let mut problems = Vec::new();
        for (what, list) in [
            ("recorded earlier with other bytes", &created.mismatched),
            ("recorded earlier and now missing", &created.missing),
        ] {
            if !list.is_empty() {
                problems.push(format!("{} {what}: {}", list.len(), list.join(", ")));
            }
        }
        let manifest = created.manifest.clone();
        if let Ok(mut c) = self.created.lock() {
            *c = Some(created);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid(
                manifest,
                format!("ASC MHL: {}", problems.join("; ")),
            ))
        }
    }
}

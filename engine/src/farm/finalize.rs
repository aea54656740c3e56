//! `grade farm finalize`: the chunks' parts ([`super::stage`]) joined into
//! the deliverables a single render would have written, then the staging
//! folder removed.
//!
//! Review segments are joined by ffmpeg's concat demuxer with stream copy
//! (no frame is encoded again; every segment starts with a key frame, as
//! each was a movie of its own, and the timecode track starts at the first
//! segment's). QC merges the chunks' per-frame statistics and makes the
//! findings over the whole sequence, so a duplicate or a flash across a
//! chunk boundary is found as in one render; the files are checked from
//! their headers. The manifest's generation takes each master's digest from
//! the hash lists, trusted only while the file has the size and
//! modification time it had when it was written; the movie and the QC
//! report written here, and any file the chunks did not write, are read and
//! hashed. Nothing is changed unless every chunk is complete ([`find`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::stage::{self, Part, Slice};
use crate::io::sequence::ranges_text;
use crate::io::temporary;
use crate::mhl::{create_with, Created, HashFormat, Known};
use crate::qc::sequence::check_files;
use crate::qc::{Check, QcReport, Thresholds};
use crate::{Error, Result};

/// The chunks found in a staging folder.
#[derive(Debug)]
pub enum Found {
    /// Every chunk is complete: each chunk's folder and part, in frame order.
    Complete(Vec<(PathBuf, Part)>),
    /// These chunks (`chunk 3/4`, `frames 1013-1024`) are not complete.
    Missing(Vec<String>),
}

/// Reads the chunks of `staging`. With `wanted` (the job's frames), frames
/// no chunk rendered are missing too; chunks `K/N` are missing when any of
/// 1..=N has no part.
pub fn find(staging: &Path, wanted: Option<&[i64]>) -> Result<Found> {
    let entries = std::fs::read_dir(staging).map_err(|e| Error::read(staging, e))?;
    let mut slices = Vec::new();
    for entry in entries.flatten() {
        if let Some(s) = Slice::parse(&entry.file_name().to_string_lossy()) {
            slices.push(s);
        }
    }
    slices.sort();
    let counts: BTreeSet<u32> = slices
        .iter()
        .filter_map(|s| match s {
            Slice::Chunk { n, .. } => Some(*n),
            Slice::Frames { .. } => None,
        })
        .collect();
    if counts.len() > 1 {
        return Err(Error::invalid(
            staging,
            format!(
                "chunks of different jobs ({:?} chunks): remove the folder and render again",
                counts
            ),
        ));
    }
    if slices.is_empty() {
        return Err(Error::invalid(staging, "no chunks in the staging folder"));
    }
    let mut missing = Vec::new();
    let mut parts = Vec::new();
    let mut all: Vec<Slice> = slices.clone();
    if let Some(&n) = counts.first() {
        all.retain(|s| matches!(s, Slice::Frames { .. }));
        all.extend((1..=n).map(|k| Slice::Chunk { k, n }));
    }
    for s in all {
        let dir = staging.join(s.folder_name());
        match Part::read(&dir)? {
            Some(p) => parts.push((dir, p)),
            None => missing.push(match s {
                Slice::Chunk { k, n } => format!("chunk {k}/{n}"),
                Slice::Frames { first, last } => format!("frames {first}-{last}"),
            }),
        }
    }
    if let Some(wanted) = wanted {
        let done: BTreeSet<i64> = parts.iter().flat_map(|(_, p)| p.frames.clone()).collect();
        let lost: Vec<i64> = wanted
            .iter()
            .filter(|f| !done.contains(f))
            .copied()
            .collect();
        if let Some(r) = ranges_text(&lost) {
            missing.push(format!("frames {r}"));
        }
    }
    if !missing.is_empty() {
        return Ok(Found::Missing(missing));
    }
    parts.sort_by_key(|(_, p)| p.frames.first().copied());
    Ok(Found::Complete(parts))
}

/// What [`join`] wrote.
#[derive(Debug)]
pub struct Finalized {
    pub movies: Vec<PathBuf>,
    pub qc: Option<QcReport>,
    /// The checks that fail the job (`--qc-fail`); `None`: severity fail.
    pub qc_fail: Option<Vec<Check>>,
    pub manifest: Option<Created>,
    /// Masters whose digests came from the hash lists.
    pub trusted: usize,
}

/// Joins complete `parts` (from [`find`]) and removes `staging`. `ffmpeg`
/// is needed when the parts hold review segments.
pub fn join(staging: &Path, parts: &[(PathBuf, Part)], ffmpeg: Option<&Path>) -> Result<Finalized> {
    let Some((_, first)) = parts.first() else {
        return Err(Error::invalid(staging, "no chunks in the staging folder"));
    };
    let mut movies = Vec::new();
    for (i, review) in first.reviews.iter().enumerate() {
        let mut segments = Vec::new();
        for (dir, p) in parts {
            match p.reviews.get(i).filter(|r| r.movie == review.movie) {
                Some(r) => segments.push(dir.join(&r.segment)),
                None => {
                    return Err(Error::invalid(
                        dir.join(stage::PART),
                        format!("no segment of {}", review.movie.display()),
                    ))
                }
            }
        }
        let ffmpeg = ffmpeg.ok_or_else(|| {
            Error::write(
                &review.movie,
                std::io::Error::other("ffmpeg is needed to join the movie"),
            )
        })?;
        concat(ffmpeg, staging, &segments, &review.movie)?;
        movies.push(review.movie.clone());
    }
    let (mut qc, mut qc_fail) = (None, None);
    if let Some(q) = &first.qc {
        let mut frames = Vec::new();
        let mut files = Vec::new();
        for (_, p) in parts {
            if let Some(part) = &p.qc {
                frames.extend(part.frames.iter().cloned());
                files.extend(part.files.iter().cloned());
            }
        }
        files.sort();
        let mut report = QcReport::new(&q.target, Thresholds::default());
        report.add(q.target.clone(), frames, check_files(&files).0);
        if let Some(json) = &q.json {
            report.write_json(json)?;
        }
        qc_fail = q
            .fail_on
            .as_ref()
            .map(|names| names.iter().filter_map(|n| Check::from_name(n)).collect());
        qc = Some(report);
    }
    let (mut manifest, mut trusted) = (None, 0);
    if let Some(h) = &first.hashes {
        let format = HashFormat::from_name(&h.format).unwrap_or(HashFormat::Xxh128);
        let mut known = Known::new();
        for (_, p) in parts {
            for (folder, rel, file) in p
                .hashes
                .iter()
                .flat_map(|part| part.files.iter().map(move |(r, f)| (&part.folder, r, f)))
            {
                let path = folder.join(rel);
                let same = stage::size_and_time(&path) == Some((file.size, file.modified));
                let rel = path.strip_prefix(&h.folder).ok().and_then(|r| r.to_str());
                if let (true, Some(rel)) = (same, rel) {
                    known.insert(rel.to_string(), (file.size, file.digest.clone()));
                    trusted += 1;
                }
            }
        }
        manifest = Some(create_with(&h.folder, format, &known)?);
    }
    std::fs::remove_dir_all(staging).map_err(|e| Error::write(staging, e))?;
    Ok(Finalized {
        movies,
        qc,
        qc_fail,
        manifest,
        trusted,
    })
}

/// `ffmpeg -f concat` of `segments` into `movie` by stream copy, written
/// under a temporary name and renamed.
fn concat(ffmpeg: &Path, staging: &Path, segments: &[PathBuf], movie: &Path) -> Result<()> {
    let list = staging.join("concat.txt");
    let text: String = segments
        .iter()
        .map(|s| format!("file '{}'\n", s.to_string_lossy().replace('\'', r"'\''")))
        .collect();
    std::fs::write(&list, text).map_err(|e| Error::write(&list, e))?;
    let name = movie
        .file_name()
        .map_or_else(|| "review.mov".into(), |n| n.to_string_lossy().into_owned());
    let temp = movie.with_file_name(temporary::name(&name));
    let out = std::process::Command::new(ffmpeg)
        .args(["-hide_banner", "-nostdin", "-loglevel", "error", "-y"])
        .args(["-f", "concat", "-safe", "0", "-i"])
        .arg(&list)
        .args(["-map", "0:v", "-c", "copy", "-f", "mov"])
        .arg(&temp)
        .output()
        .map_err(|e| Error::write(ffmpeg, e))?;
    let done = if out.status.success() {
        std::fs::rename(&temp, movie).map_err(|e| Error::write(movie, e))
    } else {
        let said = String::from_utf8_lossy(&out.stderr);
        let last = said
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        Err(Error::write(
            movie,
            std::io::Error::other(format!(
                "ffmpeg could not join the segments ({}): {last}",
                out.status
            )),
        ))
    };
    if done.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    done
}

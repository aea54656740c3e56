//! OpenTimelineIO (`.otio`, and `.otioz` bundles) read into the
//! format-neutral [`model::Timeline`].
//!
//! [`read`] takes the file's bytes: JSON (`raw.rs`: serde with a lenient
//! number path, since OpenTimelineIO writes `NaN` and `Inf` bare) or an
//! `.otioz` zip (`bundle.rs`: `content.otio`, with `media/` extracted to a
//! folder that relative media paths then resolve against). The tree
//! (Timeline, Stack, Track, Clip, Gap, Transition, and the legacy
//! `Sequence` and `Filler`, `Clip.1` and `Clip.2`, `Marker.1` to `.3`) is
//! flattened into video tracks (`flatten.rs`, with the time maps and
//! layers of `timemap.rs` and the clips of `clip.rs`), media references become
//! [`model::Media`] (`media.rs`), and times become whole frames at rational
//! rates (`time.rs`).
//!
//! Unknown schemas, audio tracks, effects grade does not render and
//! generators it does not draw are warnings (on the clip, or in
//! [`model::Timeline::warnings`]), never failures. Bad input (truncated
//! JSON, a negative duration, a rate of 0 or NaN, compositions nested more
//! than [`MAX_DEPTH`] deep, a missing media reference key) is
//! [`Error::Invalid`] naming the file, with every such problem in it.

mod bundle;
mod clip;
mod flatten;
mod media;
mod raw;
#[cfg(test)]
mod tests;
mod time;
mod timemap;

use std::path::{Path, PathBuf};

use crate::error::{Error, Problem, Result};
use crate::timeline::model::{self, FrameRate};
pub use flatten::MAX_DEPTH;
use raw::RawObject;

/// How to read an OpenTimelineIO file.
#[derive(Debug, Clone, Default)]
pub struct OtioOptions {
    /// The media reference key of `Clip.2` clips to use instead of each
    /// clip's `active_media_reference_key` (e.g. a proxy or the camera
    /// original); a clip without it is an error naming the keys it has.
    pub media_reference: Option<String>,
    /// Where an `.otioz` bundle's `media/` is extracted; by default a
    /// folder named after the bundle's contents in the system's temporary
    /// folder, reused when it is already there.
    pub bundle_dir: Option<PathBuf>,
}

/// Whether `bytes` look like OpenTimelineIO: a JSON object naming an
/// `OTIO_SCHEMA` near its start, or a zip holding `content.otio`.
pub fn looks_like_otio(bytes: &[u8]) -> bool {
    if bundle::is_zip(bytes) {
        return bytes
            .windows(b"content.otio".len())
            .any(|w| w == b"content.otio");
    }
    let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = text.iter().position(|b| !b.is_ascii_whitespace());
    let head = &text[..text.len().min(64 * 1024)];
    start.is_some_and(|i| text[i] == b'{') && head.windows(13).any(|w| w == b"\"OTIO_SCHEMA\"")
}

/// The timeline in `bytes`, read from `path` (named in errors; relative
/// media paths resolve against its folder).
pub fn read(bytes: &[u8], path: &Path, opts: &OtioOptions) -> Result<model::Timeline> {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    if bundle::is_zip(bytes) {
        let (content, media_dir) = bundle::open(bytes, path, opts)?;
        return read_json(&content, path, media_dir, opts);
    }
    read_json(bytes, path, dir, opts)
}

/// Reads a file from disk with [`read`].
pub fn read_file(path: &Path, opts: &OtioOptions) -> Result<model::Timeline> {
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    read(&bytes, path, opts)
}

fn read_json(
    bytes: &[u8],
    path: &Path,
    dir: PathBuf,
    opts: &OtioOptions,
) -> Result<model::Timeline> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Error::invalid(path, format!("not UTF-8 text (byte {})", e.valid_up_to())))?;
    let text = raw::lenient_text(text);
    let root: RawObject = serde_json::from_str(&text).map_err(|e| {
        let what = if e.to_string().starts_with("recursion limit exceeded") {
            "JSON nested too deep (a reference cycle written out?)".to_string()
        } else {
            let s = e.to_string();
            // serde_json ends its messages with " at line L column C".
            match s.rfind(" at line ") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        };
        Error::Invalid {
            path: path.to_path_buf(),
            problems: vec![Problem {
                line: (e.line() > 0).then_some(e.line()),
                message: if e.column() > 0 {
                    format!("column {}: {what}", e.column())
                } else {
                    what
                },
            }],
        }
    })?;
    timeline(&root, path, dir, opts)
}

/// The model timeline of a parsed file.
fn timeline(
    root: &RawObject,
    path: &Path,
    dir: PathBuf,
    opts: &OtioOptions,
) -> Result<model::Timeline> {
    let mut notes = Vec::new();
    let tl = match root.schema() {
        "Timeline" => root,
        "SerializableCollection" => {
            let found: Vec<&RawObject> = root
                .children()
                .iter()
                .filter(|c| c.schema() == "Timeline")
                .collect();
            match found.as_slice() {
                [] => return Err(Error::invalid(path, "the collection holds no Timeline")),
                [one] => *one,
                [first, ..] => {
                    notes.push(format!(
                        "the collection holds {} timelines; read the first, {:?}",
                        found.len(),
                        first.name()
                    ));
                    *first
                }
            }
        }
        other => {
            return Err(Error::invalid(
                path,
                format!(
                    "the file holds a {:?}, not a Timeline",
                    if other.is_empty() {
                        "JSON object without OTIO_SCHEMA"
                    } else {
                        other
                    }
                ),
            ))
        }
    };
    let Some(tracks) = tl.tracks.as_deref() else {
        return Err(Error::invalid(path, "the timeline has no tracks"));
    };
    let rate = timeline_rate(tl).unwrap_or_else(|| {
        notes.push("no rate in the timeline; read at 24 fps".into());
        FrameRate { num: 24, den: 1 }
    });
    let mut reader = flatten::Reader::new(opts, dir, rate);
    let global_start = match &tl.global_start_time {
        Some(t) => time::frames(t, rate).unwrap_or_else(|e| {
            reader.problems.push(format!("global_start_time: {e}"));
            0
        }),
        None => 0,
    };
    let tracks_model = reader.timeline_tracks(tracks);
    let mut markers = reader.record_markers(tracks, global_start);
    for t in tracks.children() {
        markers.extend(reader.record_markers(t, global_start));
    }
    if !reader.problems.is_empty() {
        let mut seen = std::collections::HashSet::new();
        let problems = reader
            .problems
            .into_iter()
            .filter(|p| seen.insert(p.clone()))
            .map(|message| Problem {
                line: None,
                message,
            })
            .collect();
        return Err(Error::Invalid {
            path: path.to_path_buf(),
            problems,
        });
    }
    if !reader.audio_tracks.is_empty() {
        notes.push(format!(
            "{} audio track{} ignored",
            reader.audio_tracks.len(),
            if reader.audio_tracks.len() == 1 {
                ""
            } else {
                "s"
            }
        ));
    }
    notes.extend(reader.warnings);
    Ok(model::Timeline {
        name: tl.name.clone().filter(|n| !n.is_empty()),
        rate,
        format: None,
        warnings: notes,
        global_start,
        tracks: tracks_model,
        markers,
    })
}

/// The timeline's rate: its global start's, else the first rate a clip
/// or gap of a video track says.
fn timeline_rate(tl: &RawObject) -> Option<FrameRate> {
    if let Some(r) = tl.global_start_time.and_then(|t| time::rate_of(t.rate.0)) {
        return Some(r);
    }
    fn first(o: &RawObject, depth: usize) -> Option<FrameRate> {
        if depth > MAX_DEPTH {
            return None;
        }
        if o.kind
            .as_deref()
            .is_some_and(|k| k.eq_ignore_ascii_case("audio"))
        {
            return None;
        }
        if matches!(o.schema(), "Clip" | "Gap" | "Filler") {
            if let Some(r) = o
                .source_range
                .and_then(|r| time::rate_of(r.duration.rate.0))
            {
                return Some(r);
            }
        }
        o.children().iter().find_map(|c| first(c, depth + 1))
    }
    first(tl.tracks.as_deref()?, 0)
}

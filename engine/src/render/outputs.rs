//! What a render may do to the files around it: never write over one of
//! the job's own inputs ([`refuse_inputs`]), trust an output already on
//! disk under `--skip-existing` only when it is a whole frame of the kind
//! the job writes ([`existing`]), and stop the job when the output volume
//! is full ([`out_of_space`], [`volume_of`]).

use std::collections::{HashMap, HashSet};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use super::{FrameRecipe, Layer};
use crate::io::{self, probe, BitDepth, Format, WriteOptions};
use crate::{Error, Frame, FrameInfo, Result, SourceInfo};

/// Refuses a job any of whose outputs is one of its inputs: the same path,
/// a hard link to it, or the same file through a symbolic link. Checked
/// before any frame is rendered, since writing such an output destroys a
/// source frame (or hands a later frame graded pixels to grade again). The
/// error (exit 2) names both files; `--overwrite-input` skips this check.
pub fn refuse_inputs(recipes: &[FrameRecipe]) -> Result<()> {
    let mut seen = HashSet::new();
    let mut inputs: HashMap<(u64, u64), &Path> = HashMap::new();
    for r in recipes {
        for (layer, _) in &r.layers {
            let Layer::Source { path, .. } = layer else {
                continue;
            };
            if seen.insert(path.as_path()) {
                if let Ok(m) = std::fs::metadata(path) {
                    inputs.entry((m.dev(), m.ino())).or_insert(path);
                }
            }
        }
    }
    if inputs.is_empty() {
        return Ok(());
    }
    let mut clashes = recipes.iter().filter_map(|r| {
        let m = std::fs::metadata(&r.output).ok()?;
        let input = inputs.get(&(m.dev(), m.ino()))?;
        Some((r.output.as_path(), *input))
    });
    let Some((output, input)) = clashes.next() else {
        return Ok(());
    };
    let more = match clashes.count() {
        0 => String::new(),
        n => format!(" ({n} more outputs of this job are its inputs)"),
    };
    Err(Error::Usage(format!(
        "the output {} is the input {} ({}): writing it would destroy a source frame; choose another output, or give --overwrite-input{more}",
        output.display(),
        input.display(),
        relation(output, input)
    )))
}

/// How an output that is an input is one, in words.
fn relation(output: &Path, input: &Path) -> &'static str {
    if output == input {
        return "the same path";
    }
    match (std::fs::canonicalize(output), std::fs::canonicalize(input)) {
        (Ok(a), Ok(b)) if a == b => "the same file by another path or through a symbolic link",
        _ => "a hard link to it",
    }
}

/// What `--skip-existing` finds at a frame's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Existing {
    /// Nothing: render the frame.
    Absent,
    /// A whole frame of the job's format, size, depth and channels: skip it.
    Whole,
    /// Something else (empty, truncated, foreign, another size or depth):
    /// render the frame again. Why, naming the file, for a warning.
    Broken(String),
}

/// Looks at `recipe`'s output: a whole frame of what the job would write
/// there ([`probe::whole_frame`]: header and the data it promises, no pixel
/// decoded), or not. The expected size is the first layer's (its
/// reformat's format, or the size in its header), or the recipe's black
/// size; the depth and alpha follow `opts` and the first source, as the
/// writers decide them.
pub fn existing(recipe: &FrameRecipe, opts: &WriteOptions) -> Existing {
    let out = &recipe.output;
    let shown = out.display();
    match std::fs::metadata(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Existing::Absent,
        Err(e) => return Existing::Broken(format!("{shown}: {e}")),
        Ok(m) if !m.is_file() => return Existing::Broken(format!("{shown}: not a file")),
        Ok(m) if m.len() == 0 => return Existing::Broken(format!("{shown}: empty (0 bytes)")),
        Ok(_) => {}
    }
    let expected = match Expected::of(recipe, opts) {
        Ok(e) => e,
        Err(e) => {
            return Existing::Broken(format!(
                "{shown}: cannot tell what this frame should be ({e})"
            ))
        }
    };
    match probe::whole_frame(out) {
        Ok(info) => match expected.mismatch(&info) {
            None => Existing::Whole,
            Some(why) => Existing::Broken(format!("{shown}: {why}")),
        },
        Err(e) => Existing::Broken(e.to_string()),
    }
}

/// What a job writes at one output.
struct Expected {
    width: u32,
    height: u32,
    /// As [`SourceInfo::bit_depth`] names it.
    depth: &'static str,
    /// `None` where the writer decides from the pixels.
    alpha: Option<bool>,
}

impl Expected {
    fn of(recipe: &FrameRecipe, opts: &WriteOptions) -> Result<Expected> {
        let format = Format::from_path(&recipe.output)?;
        let (width, height, source) = match recipe.layers.first() {
            Some((Layer::Source { path, reformat, .. }, _)) => {
                let FrameInfo {
                    width,
                    height,
                    source,
                    ..
                } = io::read_info(path)?;
                match reformat {
                    Some(r) => (r.format.width, r.format.height, Some(source)),
                    None => (width, height, Some(source)),
                }
            }
            _ => (recipe.black_size.0, recipe.black_size.1, None),
        };
        let depth = match (opts.depth, format) {
            (None, Format::Exr) | (Some(BitDepth::Half), _) => "half",
            (None, _) | (Some(BitDepth::U16), _) => "16",
            (Some(BitDepth::U8), _) => "8",
            (Some(BitDepth::U10), _) => "10",
            (Some(BitDepth::U12), _) => "12",
            (Some(BitDepth::Float), _) => "float",
        };
        Ok(Expected {
            width,
            height,
            depth,
            alpha: expected_alpha(format, source, opts),
        })
    }

    /// Why `info` is not this, if it is not.
    fn mismatch(&self, info: &FrameInfo) -> Option<String> {
        if (info.width, info.height) != (self.width, self.height) {
            return Some(format!(
                "{}x{}, where this job's frame is {}x{}",
                info.width, info.height, self.width, self.height
            ));
        }
        let s = &info.source;
        if s.bit_depth != self.depth {
            return Some(format!(
                "{} samples, where this job writes {}",
                depth_words(&s.bit_depth),
                depth_words(self.depth)
            ));
        }
        let has = |c: &str| s.channels.iter().any(|n| n == c);
        let rgb = has("R") && has("G") && has("B");
        let alpha = has("A");
        let count_ok = s.channels.len() == 3 + usize::from(alpha);
        if !rgb || !count_ok || self.alpha.is_some_and(|a| a != alpha) {
            let want = match self.alpha {
                Some(true) => "R,G,B,A",
                Some(false) => "R,G,B",
                None => "R,G,B or R,G,B,A",
            };
            return Some(format!(
                "channels {}, where this job writes {want}",
                s.channels.join(",")
            ));
        }
        None
    }
}

/// Whether the writer of `format` stores alpha for a frame read from
/// `source`: as `opts` asks, else as the source had it (DPX: a channel `A`;
/// EXR and TIFF: [`io::wants_alpha`]); `None` for EXR and TIFF frames with
/// no source, whose alpha depends on their pixels.
fn expected_alpha(format: Format, source: Option<SourceInfo>, opts: &WriteOptions) -> Option<bool> {
    if let Some(a) = opts.alpha {
        return Some(a);
    }
    match (format, source) {
        (Format::Dpx, source) => Some(source.is_some_and(|s| s.channels.iter().any(|c| c == "A"))),
        (_, None) => None,
        (_, Some(source)) => {
            let frame = Frame {
                source: Some(source),
                ..Frame::new(0, 0)
            };
            Some(io::wants_alpha(&frame, opts))
        }
    }
}

fn depth_words(depth: &str) -> String {
    match depth {
        "half" | "float" => depth.to_string(),
        bits => format!("{bits}-bit"),
    }
}

/// Whether a write failed because its volume is full (or the user's disk
/// quota is spent).
pub fn out_of_space(e: &Error) -> bool {
    match e {
        Error::Io {
            input: false,
            source,
            ..
        } => {
            source.kind() == std::io::ErrorKind::StorageFull
                || matches!(source.raw_os_error(), Some(libc::ENOSPC | libc::EDQUOT))
        }
        _ => false,
    }
}

/// The volume holding `path`'s folder, as `MOUNT (TYPE)` from the mount
/// table; the folder itself where the table cannot be read.
pub fn volume_of(path: &Path) -> String {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let folder = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
    let table = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
    let mut best: Option<(PathBuf, String)> = None;
    for line in table.lines() {
        let mut fields = line.split(' ');
        let (Some(_), Some(mount), Some(kind)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let mount = PathBuf::from(unescape_mount(mount));
        let longer = best
            .as_ref()
            .is_none_or(|(b, _)| mount.components().count() >= b.components().count());
        if folder.starts_with(&mount) && longer {
            best = Some((mount, kind.to_string()));
        }
    }
    match best {
        Some((mount, kind)) => format!("{} ({kind})", mount.display()),
        None => folder.display().to_string(),
    }
}

/// The mount table writes space, tab, newline and backslash as `\ooo`.
fn unescape_mount(field: &str) -> String {
    let b = field.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let octal = b
            .get(i + 1..i + 4)
            .filter(|d| d.iter().all(|c| (b'0'..=b'7').contains(c)));
        match (b[i], octal) {
            (b'\\', Some(d)) => {
                out.push((d[0] - b'0') * 64 + (d[1] - b'0') * 8 + (d[2] - b'0'));
                i += 4;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The first out-of-space write of a job: it stops the job from claiming
/// more frames (through the job's cancel flag) and keeps the volume's name
/// for the summary.
#[derive(Debug, Default)]
pub(crate) struct FullVolume(Mutex<Option<String>>);

impl FullVolume {
    /// Looks at a failed write of `output`.
    pub(crate) fn check(&self, e: &Error, output: &Path, cancel: &AtomicBool) {
        if !out_of_space(e) {
            return;
        }
        cancel.store(true, Ordering::SeqCst);
        let mut v = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if v.is_none() {
            *v = Some(volume_of(output));
        }
    }

    pub(crate) fn into_volume(self) -> Option<String> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests;

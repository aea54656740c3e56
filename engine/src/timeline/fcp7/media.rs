//! What a clipitem shows: its `<file>` (a movie found through the media
//! index by reel, name and timecode; an image file read as a sequence; a
//! Premiere slug), or a generatoritem's generator (slug, colour).

use crate::timeline::url;
use std::path::Path;

use roxmltree::Node;

use super::xml::{child, children, text, Doc};
use crate::timeline::clip_name_of_file;
use crate::timeline::model::{FrameRate, Media, MediaNames, MissingFrame, SequenceRef};
use crate::timeline::timecode::Rate;

/// Movie containers: matched through the media index (proxies of the
/// camera originals), never read.
const MOVIES: [&str; 8] = ["mov", "mxf", "mp4", "m4v", "avi", "mkv", "r3d", "braw"];
/// Image files: read directly as a sequence.
const IMAGES: [&str; 7] = ["dpx", "exr", "tif", "tiff", "png", "jpg", "jpeg"];

/// A file's media and where its timecode starts.
pub(super) struct Source {
    /// `None`: transparent (Premiere's "Transparent Video"): a gap.
    pub media: Option<Media>,
    /// The file's first frame as timecode frames at the sequence rate.
    pub tc_start: i64,
    pub warnings: Vec<String>,
}

/// The media of `file` (already dereferenced) used by `item`.
pub(super) fn file_media(
    doc: &mut Doc,
    item: Node,
    file: Node,
    clip_rate: FrameRate,
    seq_rate: FrameRate,
) -> Source {
    let mut warnings = Vec::new();
    let file_rate = doc.rate(item, file, Some(clip_rate)).unwrap_or(clip_rate);
    let mut tc_start = 0;
    let mut reel = None;
    if let Some(tc) = child(file, "timecode") {
        let tc_rate = doc.rate(item, tc, Some(file_rate)).unwrap_or(file_rate);
        let drop = text(tc, "displayformat").is_some_and(|d| d.eq_ignore_ascii_case("DF"));
        let frames = match doc.frames(item, tc, "frame", false) {
            Some(f) => Some(f),
            None => text(tc, "string").filter(|s| !s.is_empty()).and_then(|s| {
                let parsed = Rate::new(tc_rate.num, tc_rate.den, drop)
                    .map_err(|e| e.0)
                    .and_then(|r| r.parse_frames(s).map_err(|e| e.0));
                match parsed {
                    Ok(f) => Some(f),
                    Err(e) => {
                        doc.problem(item, tc, format!("timecode \"{s}\": {e}"));
                        None
                    }
                }
            }),
        };
        tc_start = frames.map_or(0, |f| timecode_at(f, tc_rate, seq_rate));
        if nominal(tc_rate) != nominal(seq_rate) && child(file, "mediaSource").is_none() {
            warnings.push(doc.warning(
                item,
                format!(
                    "source timecode at {:.3} fps in a {:.3} fps sequence: matched as the label at the sequence rate",
                    tc_rate.fps(),
                    seq_rate.fps()
                ),
            ));
        }
        reel = child(tc, "reel")
            .and_then(|r| text(r, "name"))
            .filter(|r| !r.is_empty())
            .map(str::to_string);
    }
    let file_name = text(file, "name").filter(|n| !n.is_empty());
    let path = text(file, "pathurl")
        .filter(|p| !p.is_empty())
        .map(file_url_path);
    if let Some(kind) = text(file, "mediaSource").filter(|m| !m.is_empty()) {
        let name = file_name.unwrap_or("");
        let media = if name.eq_ignore_ascii_case("Transparent Video") {
            None
        } else if name.to_ascii_lowercase().contains("bars") {
            Some(Media::Bars)
        } else {
            if !kind.eq_ignore_ascii_case("Slug") || name != "Black Video" {
                warnings.push(doc.warning(
                    item,
                    format!("generated media \"{name}\" ({kind}) is rendered as black"),
                ));
            }
            Some(Media::Black)
        };
        return Source {
            media,
            tc_start,
            warnings,
        };
    }
    let base = path
        .as_deref()
        .map(|p| p.rsplit(['/', '\\']).next().unwrap_or(p).to_string())
        .or(file_name.map(str::to_string));
    let ext = base
        .as_deref()
        .and_then(|b| b.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let names = MediaNames {
        reel,
        // As the media index names the clip of such a file.
        clip_name: base.as_deref().map(|b| clip_name_of_file(Path::new(b))),
        source_file: base.clone(),
        path: path.clone(),
    };
    let media = match path {
        Some(p) if IMAGES.contains(&ext.as_str()) => Media::Sequence(SequenceRef {
            path: p,
            start_frame: None,
            frame_step: 1,
            rate: Some(file_rate),
            available_start: tc_start,
            missing: MissingFrame::Error,
            names,
        }),
        _ => {
            if !ext.is_empty() && !MOVIES.contains(&ext.as_str()) && !IMAGES.contains(&ext.as_str())
            {
                warnings.push(doc.warning(
                    item,
                    format!("file type .{ext} is not known: matched by reel, name and timecode as a movie would be"),
                ));
            }
            Media::Named(names)
        }
    };
    Source {
        media: Some(media),
        tc_start,
        warnings,
    }
}

/// What a generatoritem shows: a slug is black, a colour matte its colour;
/// anything else black, with a warning naming the item.
pub(super) fn generator_media(doc: &Doc, item: Node) -> (Media, Vec<String>) {
    let effect = children(item, "effect")
        .find(|e| text(*e, "effecttype").is_some_and(|t| t.eq_ignore_ascii_case("generator")))
        .or_else(|| child(item, "effect"));
    let Some(effect) = effect else {
        return (
            Media::Black,
            vec![doc.warning(item, "generator without an <effect>: rendered as black")],
        );
    };
    let id = text(effect, "effectid").unwrap_or("");
    let name = text(effect, "name").unwrap_or("");
    let lower = id.to_ascii_lowercase();
    if lower == "slug" {
        return (Media::Black, Vec::new());
    }
    if lower.contains("color") || lower.contains("colour") {
        let value = children(effect, "parameter")
            .filter_map(|p| child(p, "value"))
            .find(|v| child(*v, "red").is_some());
        if let Some(v) = value {
            let c = |k: &str| {
                text(v, k)
                    .and_then(|t| t.parse::<f32>().ok())
                    .filter(|x| x.is_finite())
                    .map_or(0.0, |x| (x / 255.0).clamp(0.0, 1.0))
            };
            return (Media::Colour([c("red"), c("green"), c("blue")]), Vec::new());
        }
        return (
            Media::Black,
            vec![doc.warning(
                item,
                format!("colour generator \"{name}\" has no colour value: rendered as black"),
            )],
        );
    }
    if lower.contains("bars") {
        return (Media::Bars, Vec::new());
    }
    (
        Media::Black,
        vec![doc.warning(
            item,
            format!("generator \"{name}\" ({id}) is not supported: rendered as black"),
        )],
    )
}

/// The path of a `pathurl`: `file://localhost/Volumes/x%20y.mov` ->
/// `/Volumes/x y.mov` (percent escapes decoded; other text kept).
pub(super) fn file_url_path(url: &str) -> String {
    url::file_url_path(url).unwrap_or_else(|| url::percent_decode(url))
}

fn nominal(r: FrameRate) -> i64 {
    (r.fps().round() as i64).max(1)
}

/// Timecode frames `f` at `from` as the same label counted at `to` (as the
/// media index reads a source whose timecode runs at another rate).
pub(super) fn timecode_at(f: i64, from: FrameRate, to: FrameRate) -> i64 {
    let (a, b) = (nominal(from), nominal(to));
    if a == b {
        return f;
    }
    let (secs, ff) = (f.div_euclid(a), f.rem_euclid(a));
    secs.saturating_mul(b).saturating_add(ff * b / a)
}

//! Final Cut Pro 7 XML (`xmeml` v4/v5, as FCP7, Premiere Pro, Resolve and
//! Hiero write it) as a [`Timeline`].
//!
//! The file's first sequence (at the top level, else in its project and
//! bins) is read: its rate (`timebase`, `ntsc` -> 24000/1001 and so on), its
//! timecode start as the global start, its picture format (the default
//! master format) and its video tracks, bottom first (`sequence.rs`).
//! `<file>`, `<sequence>` and items given once with children and later by
//! `id` alone are resolved to their first definition (`xml.rs`).
//!
//! A clipitem's source range is in timecode frames at the sequence rate,
//! as the media index matches sources: the file's `<timecode>` start plus
//! `in` (plus, after a transition, the frames from the transition's start
//! to its cut). A file named by a movie `pathurl` (.mov, .mxf, .mp4...) is
//! found through the media index by its reel (`<timecode><reel><name>`),
//! its name and that timecode; an image file is read directly as a
//! sequence (`media.rs`). Time Remap at a constant speed (reverse
//! included) is a linear time warp and Basic Motion the clip's reposition
//! (`effects.rs`); a nested sequence is flattened into the parent track
//! (`nested.rs`); generatoritems are black (slug) or their colour.
//! Everything else a clip carries is left out with a warning naming the
//! item, kept with the clip for the report.
//!
//! Errors name the file, the line and the item, and every problem in the
//! file is listed at once. Nested sequences that contain each other, are
//! nested too deep or expand to more than a million clips are refused, so a
//! small hostile file cannot run unbounded.

mod effects;
mod media;
mod nested;
mod sequence;
mod xml;

#[cfg(test)]
mod otio_tests;
#[cfg(test)]
mod tests;

use std::path::Path;

use roxmltree::{Document, Node, ParsingOptions};

use crate::formats::xml::{root_name, utf8};
use crate::timeline::model::Timeline;
use crate::{Error, Problems, Result};
use sequence::Reader;
use xml::{child, children, Doc};

/// XML nodes beyond this are refused before the document is built (a file
/// of a million clips has about 60 million).
const MAX_NODES: u32 = 200_000_000;

/// Whether `bytes` look like FCP7 XML: an `<xmeml>` root element.
pub fn looks_like_fcp7(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        // The head may end inside a character: its valid part is enough.
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""),
    };
    root_name(text) == Some("xmeml")
}

/// Reads FCP7 XML from `bytes` (read from `path`, which names the file in
/// errors and warnings).
pub fn read(bytes: &[u8], path: &Path) -> Result<Timeline> {
    let text = utf8(bytes, path)?;
    let opts = ParsingOptions {
        // FCP7 writes `<!DOCTYPE xmeml>`; roxmltree still refuses entity
        // loops and expansion bombs.
        allow_dtd: true,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, opts).map_err(|e| match e {
        // roxmltree places these at 1:1; the fault is where the text ends.
        roxmltree::Error::UnclosedRootNode | roxmltree::Error::NoRootNode => Error::invalid_at(
            path,
            text.lines().count().max(1),
            format!("XML: {e}: the file ends here (is it truncated?)"),
        ),
        _ => Error::invalid_at(path, e.pos().row as usize, format!("XML: {e}")),
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "xmeml" {
        return Err(Error::invalid_at(
            path,
            1,
            format!(
                "not FCP7 XML: the root element is <{}>, not <xmeml>",
                root.tag_name().name()
            ),
        ));
    }
    let mut r = Reader::new(Doc::new(&doc, text, Problems::new(path)));
    if let Some(v) = root.attribute("version") {
        if !matches!(v.trim(), "1" | "2" | "3" | "4" | "5") {
            r.warnings
                .push(format!("xmeml version {v}: read as version 5"));
        }
    }
    let sequences = top_sequences(root);
    let Some(&first) = sequences.first() else {
        r.doc
            .problems
            .at(r.doc.line(root), "no <sequence> in the file");
        r.doc.problems.finish()?;
        return Err(Error::invalid(path, "no <sequence> in the file"));
    };
    if sequences.len() > 1 {
        let others: Vec<String> = sequences[1..]
            .iter()
            .map(|s| format!("{} (line {})", r.doc.describe(*s), r.doc.line(*s)))
            .collect();
        r.warnings.push(format!(
            "the file holds {} sequences: the first, {}, is conformed; left out: {}",
            sequences.len(),
            r.doc.describe(first),
            others.join(", ")
        ));
    }
    let first = r.doc.deref(first);
    let seq = r.sequence(first, None);
    let Reader { doc, warnings, .. } = r;
    let Some(seq) = seq else {
        doc.problems.finish()?;
        return Err(Error::invalid(path, "the sequence could not be read"));
    };
    doc.problems.finish_with(Timeline {
        name: seq.name,
        rate: seq.rate,
        format: seq.format,
        warnings,
        global_start: seq.start,
        tracks: seq.tracks,
        markers: seq.markers,
    })
}

/// The sequences at the top of the file: children of `<xmeml>`, then those
/// in its projects and bins (not those nested in clipitems).
fn top_sequences<'a, 'i>(root: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    let mut out: Vec<Node> = children(root, "sequence").collect();
    let mut todo: Vec<Node> = root
        .children()
        .filter(|c| matches!(c.tag_name().name(), "project" | "bin"))
        .collect();
    while let Some(n) = todo.pop() {
        if let Some(c) = child(n, "children") {
            for k in c.children().filter(|k| k.is_element()) {
                match k.tag_name().name() {
                    "sequence" => out.push(k),
                    "bin" => todo.push(k),
                    _ => {}
                }
            }
        }
    }
    out
}

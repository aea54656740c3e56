//! Reading any timeline file `grade conform` accepts into the
//! format-neutral [`model::Timeline`]: CMX3600 EDLs, OpenTimelineIO
//! (`.otio`, and `.otioz` bundles) and Final Cut Pro 7 XML (`xmeml`).
//!
//! The kind is recognised by content first (a JSON object naming an
//! `OTIO_SCHEMA`, a zip archive, an `<xmeml` element), then by extension;
//! anything else is read as an EDL. An EDL carries no rate of its own, so it
//! is read at the rate the caller chose; OTIO and FCP7 timelines carry
//! theirs, which becomes the conform rate unless `--fps` overrides it.

use std::path::Path;

use crate::timeline::edl::Edl;
use crate::timeline::model::{self, FrameRate};
use crate::timeline::report::{TimelineInfo, WarningReport};
use crate::timeline::timecode::Rate;
use crate::{Error, Result};

/// Timeline formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineKind {
    Edl,
    Otio,
    /// A zip bundle of `content.otio` and its media.
    Otioz,
    Fcp7,
}

impl TimelineKind {
    /// The name the report gives the format.
    pub fn name(self) -> &'static str {
        match self {
            TimelineKind::Edl => "cmx3600",
            TimelineKind::Otio | TimelineKind::Otioz => "otio",
            TimelineKind::Fcp7 => "fcp7",
        }
    }

    /// The kind of `bytes`, read from `path`: by content, then extension.
    pub fn of(bytes: &[u8], path: &Path) -> TimelineKind {
        let head = &bytes[..bytes.len().min(4096)];
        let text = String::from_utf8_lossy(head);
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        if head.starts_with(b"PK\x03\x04") {
            return TimelineKind::Otioz;
        }
        if trimmed.starts_with('{') && text.contains("OTIO_SCHEMA") {
            return TimelineKind::Otio;
        }
        if trimmed.starts_with('<') && text.contains("<xmeml") {
            return TimelineKind::Fcp7;
        }
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match ext.as_deref() {
            Some("otio") => TimelineKind::Otio,
            Some("otioz") => TimelineKind::Otioz,
            Some("xml") if trimmed.starts_with('<') => TimelineKind::Fcp7,
            _ => TimelineKind::Edl,
        }
    }

    /// Whether the file carries its own rate (so none need be chosen).
    pub fn has_rate(self) -> bool {
        self != TimelineKind::Edl
    }
}

/// How to read a timeline.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The rate an EDL is read at (and that overrides a timeline's own rate
    /// when given by `--fps`).
    pub rate: Option<Rate>,
    /// The OTIO media reference key to use (`--media-reference`), instead
    /// of each clip's active one.
    pub media_reference: Option<String>,
}

/// A timeline read from a file.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub kind: TimelineKind,
    pub timeline: model::Timeline,
    /// The conform rate: `ReadOptions::rate`, else the timeline's own.
    pub rate: Rate,
    /// What the report says of the file.
    pub info: TimelineInfo,
    /// The EDL itself, for an EDL.
    pub edl: Option<Edl>,
}

/// Reads the timeline at `path`.
pub fn read(path: &Path, opts: &ReadOptions) -> Result<Loaded> {
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    let kind = TimelineKind::of(&bytes, path);
    let info = |title: Option<String>, warnings: Vec<WarningReport>, timeline: &model::Timeline| {
        TimelineInfo {
            path: path.to_path_buf(),
            format: kind.name(),
            title,
            warnings,
            markers: timeline.markers.clone(),
        }
    };
    if kind == TimelineKind::Edl {
        let rate = opts.rate.unwrap_or(Rate::FPS_24);
        let edl = crate::timeline::edl::parse(path, rate)?;
        let timeline = model::from_edl(&edl);
        let warnings = edl
            .warnings
            .iter()
            .map(|w| WarningReport {
                line: w.line,
                message: w.message.clone(),
            })
            .collect();
        return Ok(Loaded {
            kind,
            info: info(edl.title.clone(), warnings, &timeline),
            timeline,
            rate,
            edl: Some(edl),
        });
    }
    let timeline = read_timeline(kind, &bytes, path, opts)?;
    let rate = match opts.rate {
        Some(r) => r,
        None => rate_of(timeline.rate).ok_or_else(|| {
            Error::invalid(
                path,
                format!(
                    "the timeline's rate {}/{} is not a rate grade can conform at",
                    timeline.rate.num, timeline.rate.den
                ),
            )
        })?,
    };
    let warnings = timeline
        .warnings
        .iter()
        .map(|w| WarningReport {
            line: None,
            message: w.clone(),
        })
        .collect();
    Ok(Loaded {
        kind,
        info: info(timeline.name.clone(), warnings, &timeline),
        timeline,
        rate,
        edl: None,
    })
}

/// The timeline of an OTIO or FCP7 file.
fn read_timeline(
    kind: TimelineKind,
    bytes: &[u8],
    path: &Path,
    opts: &ReadOptions,
) -> Result<model::Timeline> {
    match kind {
        TimelineKind::Otio | TimelineKind::Otioz => {
            let otio_opts = crate::timeline::otio::OtioOptions {
                media_reference: opts.media_reference.clone(),
                ..Default::default()
            };
            crate::timeline::otio::read(bytes, path, &otio_opts)
        }
        TimelineKind::Fcp7 => crate::timeline::fcp7::read(bytes, path),
        TimelineKind::Edl => crate::timeline::edl::parse(path, opts.rate.unwrap_or(Rate::FPS_24))
            .map(|edl| model::from_edl(&edl)),
    }
}

/// A timeline rate as a timecode rate (non-drop).
pub fn rate_of(r: FrameRate) -> Option<Rate> {
    Rate::new(r.num, r.den, false).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_recognised_by_content_before_extension() {
        let p = Path::new("cut.edl");
        assert_eq!(
            TimelineKind::of(br#"{"OTIO_SCHEMA": "Timeline.1"}"#, p),
            TimelineKind::Otio
        );
        assert_eq!(
            TimelineKind::of(b"<?xml version=\"1.0\"?>\n<xmeml version=\"5\">", p),
            TimelineKind::Fcp7
        );
        assert_eq!(TimelineKind::of(b"PK\x03\x04rest", p), TimelineKind::Otioz);
        assert_eq!(
            TimelineKind::of(b"TITLE: X\n", Path::new("x.otio")),
            TimelineKind::Otio
        );
        assert_eq!(TimelineKind::of(b"TITLE: X\n", p), TimelineKind::Edl);
    }
}

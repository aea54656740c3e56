//! A clip's media reference as [`Media`]: what grade reads directly (an
//! `ImageSequenceReference`, an `ExternalReference` to an image file) and
//! what it finds through the media index (a `MissingReference`, a proxy
//! movie), plus the clip's ASC CDL.
//!
//! Paths: `file://` URLs are percent-decoded; a relative path is taken
//! against the timeline's folder (the bundle's extraction folder for an
//! `.otioz`); other URLs are kept as they are.

use crate::timeline::url::file_url_path;
use std::path::Path;

use serde_json::Value;

use super::raw::{RawMetadata, RawObject, RawReference};
use super::time;
use crate::timeline::model::{ClipCdl, FrameRate, Media, MediaNames, MissingFrame, SequenceRef};

const IMAGE_EXTENSIONS: [&str; 4] = ["dpx", "exr", "tif", "tiff"];

/// What `clip` shows through `reference` (`None`: no reference at all);
/// warnings name `who`.
pub fn media_of(
    clip: &RawObject,
    reference: Option<&RawReference>,
    source_rate: FrameRate,
    dir: &Path,
    who: &str,
    warnings: &mut Vec<String>,
) -> Media {
    let names = names_of(clip);
    let Some(r) = reference else {
        return Media::Named(names);
    };
    match r.schema() {
        "ImageSequenceReference" => {
            let base = r.target_url_base.as_deref().unwrap_or("");
            let mut base = resolve(base, dir);
            if !base.is_empty() && !base.ends_with('/') {
                base.push('/');
            }
            let pad = r.frame_zero_padding.map_or(0, |n| n.0 as i64).clamp(0, 32);
            let number = if pad > 0 {
                format!("%0{pad}d")
            } else {
                "%d".into()
            };
            let path = format!(
                "{base}{}{number}{}",
                r.name_prefix.as_deref().unwrap_or(""),
                r.name_suffix.as_deref().unwrap_or("")
            );
            let missing = match r.missing_frame_policy.as_deref() {
                Some("hold") => MissingFrame::Hold,
                Some("black") => MissingFrame::Black,
                Some("error") | None => MissingFrame::Error,
                Some(other) => {
                    warnings.push(format!(
                        "{who}: missing_frame_policy {other:?} is not one of error, hold, black: error"
                    ));
                    MissingFrame::Error
                }
            };
            let step = r.frame_step.map_or(1.0, |n| n.0);
            let frame_step = if (1.0..1e6).contains(&step) {
                step as i64
            } else {
                warnings.push(format!("{who}: frame_step {step} read as 1"));
                1
            };
            Media::Sequence(SequenceRef {
                names: MediaNames {
                    path: Some(path.clone()),
                    ..names
                },
                path,
                start_frame: Some(r.start_frame.map_or(1, |n| {
                    if n.0.is_finite() {
                        n.0 as i64
                    } else {
                        1
                    }
                })),
                frame_step,
                rate: r.rate.and_then(|n| time::rate_of(n.0)),
                available_start: available_start(r, source_rate),
                missing,
            })
        }
        "ExternalReference" => {
            let url = r.target_url.as_deref().unwrap_or("");
            let path = resolve(url, dir);
            let file = Path::new(&path)
                .file_name()
                .and_then(|n| n.to_str())
                .map(str::to_string);
            let ext = Path::new(&path)
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            if ext
                .as_deref()
                .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e))
            {
                Media::Sequence(SequenceRef {
                    names: MediaNames {
                        source_file: file,
                        path: Some(path.clone()),
                        ..names
                    },
                    path,
                    start_frame: None,
                    frame_step: 1,
                    rate: None,
                    available_start: available_start(r, source_rate),
                    missing: MissingFrame::Error,
                })
            } else {
                // A movie (a proxy .mov/.mxf/.mp4) or anything else: the
                // media index finds its source by reel, name and timecode.
                Media::Named(MediaNames {
                    source_file: file.or(names.source_file),
                    path: Some(path),
                    ..names
                })
            }
        }
        "MissingReference" => Media::Named(names),
        "GeneratorReference" => {
            let kind = r.generator_kind.as_deref().unwrap_or("");
            match kind.to_ascii_lowercase().as_str() {
                "smptebars" | "bars" => Media::Bars,
                "solidcolor" | "black" => Media::Black,
                _ => {
                    warnings.push(format!("{who}: generator {kind:?} shown as black"));
                    Media::Black
                }
            }
        }
        other => {
            warnings.push(format!(
                "{who}: media reference schema {other:?} is not one grade reads; \
                 its media is looked for by name"
            ));
            Media::Named(names)
        }
    }
}

/// The reference's `available_range` start in frames at `rate`, 0 without one.
fn available_start(r: &RawReference, rate: FrameRate) -> i64 {
    r.available_range
        .as_ref()
        .and_then(|a| time::frames(&a.start_time, rate).ok())
        .unwrap_or(0)
}

/// Reel (`metadata.cmx_3600.reel`), clip name and the `SOURCE FILE:`
/// comment the CMX3600 adapter keeps.
fn names_of(clip: &RawObject) -> MediaNames {
    let cmx = clip.metadata().and_then(|m| m.cmx_3600.as_ref());
    let reel = cmx
        .and_then(|c| c.get("reel"))
        .and_then(Value::as_str)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    let source_file = cmx
        .and_then(|c| c.get("comments"))
        .and_then(Value::as_array)
        .and_then(|a| {
            a.iter().filter_map(Value::as_str).find_map(|c| {
                c.trim()
                    .strip_prefix("SOURCE FILE:")
                    .map(|f| f.trim().to_string())
            })
        });
    MediaNames {
        reel,
        clip_name: clip.name.clone().filter(|n| !n.is_empty()),
        source_file,
        path: None,
    }
}

/// `metadata.cdl` as OpenTimelineIO's CMX3600 adapter writes it:
/// `{asc_sop: {slope, offset, power}, asc_sat}`; `None` when absent or malformed
/// (with a warning naming `who`).
pub fn cdl_of(
    meta: Option<&RawMetadata>,
    who: &str,
    warnings: &mut Vec<String>,
) -> Option<ClipCdl> {
    let cdl = meta?.cdl.as_ref()?;
    let triple = |k: &str| -> Option<[f64; 3]> {
        let a = cdl.get("asc_sop")?.get(k)?.as_array()?;
        match a.as_slice() {
            [r, g, b] => Some([r.as_f64()?, g.as_f64()?, b.as_f64()?]),
            _ => None,
        }
    };
    let sat = cdl.get("asc_sat").and_then(Value::as_f64);
    let sop = cdl.get("asc_sop").filter(|v| !v.is_null());
    let out = match sop {
        Some(_) => ClipCdl {
            slope: triple("slope")?,
            offset: triple("offset")?,
            power: triple("power")?,
            saturation: sat,
        },
        None if sat.is_some() => ClipCdl {
            slope: [1.0; 3],
            offset: [0.0; 3],
            power: [1.0; 3],
            saturation: sat,
        },
        None => {
            warnings.push(format!(
                "{who}: metadata.cdl has no asc_sop or asc_sat; ignored"
            ));
            return None;
        }
    };
    Some(out)
}

/// A `file://` URL as a path (percent-decoded), a relative path against
/// `dir`, anything else as written.
pub fn resolve(url: &str, dir: &Path) -> String {
    let path = if let Some(path) = file_url_path(url) {
        path
    } else if url.contains("://") {
        return url.to_string();
    } else {
        // A plain path is kept as written (a file may be named `a%20b`).
        url.to_string()
    };
    if path.is_empty() || Path::new(&path).is_absolute() {
        path
    } else {
        dir.join(&path).to_string_lossy().into_owned()
    }
}

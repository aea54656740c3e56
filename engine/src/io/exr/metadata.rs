//! EXR header attributes <-> the frame's [`Metadata`]: the named ones
//! (`timeCode`, `framesPerSecond`, `reelName`, `software`, `capDate`,
//! `owner`, `pixelAspectRatio`) and every other text or number attribute as
//! `exr:NAME` in `extra`.

use super::*;

fn text(t: &Text) -> String {
    t.to_string()
}

/// An EXR text attribute from a Rust string. EXR text is bytes; characters
/// outside Latin-1 become `?` rather than failing the write.
pub(super) fn to_text(s: &str) -> Text {
    let latin1: String = s
        .chars()
        .map(|c| if (c as u32) < 256 { c } else { '?' })
        .collect();
    Text::new_or_none(&latin1).unwrap_or_else(|| Text::from_bytes_unchecked(Default::default()))
}

pub(super) fn read_metadata(image: &ImageAttributes, layer: &LayerAttributes) -> Metadata {
    let mut meta = Metadata::default();
    if image.pixel_aspect.is_normal() && image.pixel_aspect > 0.0 {
        // Stored as f32: 1.8 reads back as 1.7999999523, so round to 1e-6.
        meta.pixel_aspect = Some((f64::from(image.pixel_aspect) * 1e6).round() / 1e6);
    }
    if let Some(tc) = image.time_code {
        meta.timecode = Some(SmpteTimecode {
            hours: tc.hours,
            minutes: tc.minutes,
            seconds: tc.seconds,
            frames: tc.frame,
            drop_frame: tc.drop_frame,
        });
        meta.user_bits = Some(tc.pack_user_data_as_u32());
    }
    if let Some((num, den)) = layer.frames_per_second {
        if den != 0 {
            meta.fps = Some(num as f64 / den as f64);
        }
    }
    meta.creator = layer.software_name.as_ref().map(text);
    meta.created = layer.capture_date.as_ref().map(text);
    meta.copyright = layer.owner.as_ref().map(text);
    if let Some(c) = &layer.comments {
        meta.extra.insert("exr:comments".into(), text(c));
    }
    let mut extra = BTreeMap::new();
    for (name, value) in layer.other.iter().chain(image.other.iter()) {
        let name = text(name);
        let value_attr = value;
        let value = match value {
            AttributeValue::Text(t) => text(t),
            AttributeValue::F32(v) => v.to_string(),
            AttributeValue::F64(v) => v.to_string(),
            AttributeValue::I32(v) => v.to_string(),
            AttributeValue::Rational((n, d)) => format!("{n}/{d}"),
            AttributeValue::TextVector(v) => v.iter().map(text).collect::<Vec<_>>().join(", "),
            _ => continue,
        };
        match (name.as_str(), value_attr) {
            ("reelName", _) => meta.reel = Some(value),
            ("project", _) => meta.project = Some(value),
            // Some tools write OpenImageIO's spelling of the standard
            // attribute instead of `framesPerSecond`.
            ("FramesPerSecond", AttributeValue::Rational((n, d)))
                if meta.fps.is_none() && *d != 0 =>
            {
                meta.fps = Some(*n as f64 / *d as f64)
            }
            ("Software", AttributeValue::Text(_)) if meta.creator.is_none() => {
                meta.creator = Some(value)
            }
            _ => {
                extra.insert(format!("exr:{name}"), value);
            }
        }
    }
    meta.extra.extend(extra);
    meta
}

/// Frames per second as the rational EXR stores: NTSC rates as n*1000/1001,
/// whole rates as n/1, anything else to a millionth.
pub(super) fn fps_rational(fps: f64) -> Option<(i32, u32)> {
    if !fps.is_finite() || fps <= 0.0 || fps > 1.0e6 {
        return None;
    }
    let whole = fps.round();
    if (fps - whole).abs() < 1e-9 {
        return Some((whole as i32, 1));
    }
    let ntsc = (fps * 1.001).round();
    if (fps - ntsc * 1000.0 / 1001.0).abs() < 1e-3 {
        return Some(((ntsc * 1000.0) as i32, 1001));
    }
    Some(((fps * 1.0e6).round() as i32, 1_000_000))
}

pub(super) fn write_metadata(
    path: &Path,
    meta: &Metadata,
    image: &mut ImageAttributes,
    layer: &mut LayerAttributes,
) -> Result<()> {
    if let Some(tc) = meta.timecode {
        if tc.hours > 23 || tc.minutes > 59 || tc.seconds > 59 || tc.frames > 29 {
            return Err(Error::invalid(
                path,
                format!("timecode {tc} cannot be stored in an EXR timeCode attribute"),
            ));
        }
        let bits = meta.user_bits.unwrap_or(0);
        let mut groups = [0u8; 8];
        for (i, g) in groups.iter_mut().enumerate() {
            *g = ((bits >> (4 * i)) & 0xF) as u8;
        }
        image.time_code = Some(TimeCode {
            hours: tc.hours,
            minutes: tc.minutes,
            seconds: tc.seconds,
            frame: tc.frames,
            drop_frame: tc.drop_frame,
            color_frame: false,
            field_phase: false,
            binary_group_flags: [false; 3],
            binary_groups: groups,
        });
    }
    layer.frames_per_second = meta.fps.and_then(fps_rational);
    layer.software_name = meta.creator.as_deref().map(to_text);
    layer.capture_date = meta.created.as_deref().map(to_text);
    layer.owner = meta.copyright.as_deref().map(to_text);
    if let Some(reel) = &meta.reel {
        layer
            .other
            .insert(to_text("reelName"), AttributeValue::Text(to_text(reel)));
    }
    if let Some(project) = &meta.project {
        layer
            .other
            .insert(to_text("project"), AttributeValue::Text(to_text(project)));
    }
    for (key, value) in &meta.extra {
        let Some(name) = key.strip_prefix("exr:") else {
            continue;
        };
        if name == "comments" {
            layer.comments = Some(to_text(value));
        } else if !name.is_empty() && name.len() < 256 && !RESERVED.contains(&name) {
            layer
                .other
                .insert(to_text(name), AttributeValue::Text(to_text(value)));
        }
    }
    Ok(())
}

/// Attributes the writer sets itself; an `exr:` extra with one of these
/// names is not copied (its type would be wrong or it would contradict the
/// pixels).
const RESERVED: &[&str] = &[
    "channels",
    "compression",
    "dataWindow",
    "displayWindow",
    "lineOrder",
    "pixelAspectRatio",
    "screenWindowCenter",
    "screenWindowWidth",
    "tiles",
    "type",
    "name",
    "version",
    "chunkCount",
    "maxSamplesPerPixel",
    "timeCode",
    "framesPerSecond",
    "reelName",
    "owner",
    "capDate",
    "software",
    "dwaCompressionLevel",
    "chromaticities",
];

//! OpenTimelineIO JSON as serde reads it: one [`RawObject`] shape for every
//! schema (fields a schema does not have stay `None`, fields grade does not
//! use are skipped without being stored), so an unknown schema parses like
//! any other and is only named later.
//!
//! OpenTimelineIO writes the non-finite floats `NaN`, `Inf`, `Infinity` and
//! `-Infinity` bare, which strict JSON refuses: [`lenient_text`] quotes them
//! (outside strings only) before serde_json sees the text, and [`Num`]
//! reads a number or one of those quoted words. Lines stay where they were,
//! so serde_json's line numbers are the file's.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::de::{self, Deserializer, IgnoredAny};
use serde::Deserialize;
use serde_json::Value;

/// A JSON number, or a non-finite value OpenTimelineIO wrote bare.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Num(pub f64);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Num, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Num;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E>(self, v: f64) -> Result<Num, E> {
                Ok(Num(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Num, E> {
                Ok(Num(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Num, E> {
                Ok(Num(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
                match v {
                    "NaN" => Ok(Num(f64::NAN)),
                    "Infinity" => Ok(Num(f64::INFINITY)),
                    "-Infinity" => Ok(Num(f64::NEG_INFINITY)),
                    _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// `RationalTime.1`: `value` frames at `rate` per second.
#[derive(Debug, Clone, Copy, Deserialize, Default)]
pub struct RawTime {
    #[serde(default)]
    pub value: Num,
    #[serde(default)]
    pub rate: Num,
}

/// `TimeRange.1`.
#[derive(Debug, Clone, Copy, Deserialize, Default)]
pub struct RawRange {
    #[serde(default)]
    pub start_time: RawTime,
    #[serde(default)]
    pub duration: RawTime,
}

/// The metadata grade reads: the CMX3600 adapter's reel and comments, and
/// an ASC CDL. Kept as JSON values, since other tools store anything there.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawMetadata {
    #[serde(default)]
    pub cmx_3600: Option<Value>,
    #[serde(default)]
    pub cdl: Option<Value>,
}

/// Any OpenTimelineIO object.
#[derive(Debug, Default, Deserialize)]
pub struct RawObject {
    #[serde(rename = "OTIO_SCHEMA", default)]
    pub schema: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "or_none")]
    pub metadata: Option<Box<RawMetadata>>,
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub source_range: Option<RawRange>,
    #[serde(default)]
    pub children: Option<Vec<RawObject>>,
    #[serde(default)]
    pub effects: Option<Vec<RawEffect>>,
    #[serde(default)]
    pub markers: Option<Vec<RawMarker>>,
    // Timeline.1
    #[serde(default)]
    pub tracks: Option<Box<RawObject>>,
    #[serde(default)]
    pub global_start_time: Option<RawTime>,
    // Track.1
    #[serde(default)]
    pub kind: Option<String>,
    // Clip.1 / Clip.2
    #[serde(default)]
    pub media_reference: Option<Box<RawReference>>,
    #[serde(default)]
    pub media_references: Option<BTreeMap<String, RawReference>>,
    #[serde(default)]
    pub active_media_reference_key: Option<String>,
    // Transition.1
    #[serde(default)]
    pub transition_type: Option<String>,
    #[serde(default)]
    pub in_offset: Option<RawTime>,
    #[serde(default)]
    pub out_offset: Option<RawTime>,
}

/// An effect: `LinearTimeWarp.1`, `FreezeFrame.1`, or another.
#[derive(Debug, Default, Deserialize)]
pub struct RawEffect {
    #[serde(rename = "OTIO_SCHEMA", default)]
    pub schema: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub time_scalar: Option<Num>,
}

/// `Marker.1` (`range`), `Marker.2` and `Marker.3` (`marked_range`).
#[derive(Debug, Default, Deserialize)]
pub struct RawMarker {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub marked_range: Option<RawRange>,
    #[serde(default)]
    pub range: Option<RawRange>,
    #[serde(default)]
    pub color: Option<RawColor>,
}

/// A marker's colour: a name (`Marker.1`, `.2`) or a `Color.1` object
/// (`Marker.3`), of which grade keeps the name.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawColor {
    Name(String),
    Object {
        #[serde(default)]
        name: Option<String>,
    },
    Other(IgnoredAny),
}

impl RawColor {
    pub fn name(&self) -> &str {
        match self {
            RawColor::Name(n) | RawColor::Object { name: Some(n) } => n,
            _ => "",
        }
    }
}

/// A media reference: `ExternalReference.1`, `ImageSequenceReference.1`,
/// `MissingReference.1`, `GeneratorReference.1`, or another.
#[derive(Debug, Default, Deserialize)]
pub struct RawReference {
    #[serde(rename = "OTIO_SCHEMA", default)]
    pub schema: Option<String>,
    #[serde(default)]
    pub available_range: Option<RawRange>,
    #[serde(default)]
    pub target_url: Option<String>,
    #[serde(default)]
    pub target_url_base: Option<String>,
    #[serde(default)]
    pub name_prefix: Option<String>,
    #[serde(default)]
    pub name_suffix: Option<String>,
    #[serde(default)]
    pub start_frame: Option<Num>,
    #[serde(default)]
    pub frame_step: Option<Num>,
    #[serde(default)]
    pub rate: Option<Num>,
    #[serde(default)]
    pub frame_zero_padding: Option<Num>,
    #[serde(default)]
    pub missing_frame_policy: Option<String>,
    #[serde(default)]
    pub generator_kind: Option<String>,
}

/// The schema name without its version (`Clip` of `Clip.2`).
pub fn schema_name(schema: &Option<String>) -> &str {
    let s = schema.as_deref().unwrap_or("");
    s.rsplit_once('.').map_or(s, |(n, _)| n)
}

impl RawReference {
    pub fn schema(&self) -> &str {
        schema_name(&self.schema)
    }
}

impl RawEffect {
    pub fn schema(&self) -> &str {
        schema_name(&self.schema)
    }

    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }
}

impl RawMarker {
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }
}

impl RawObject {
    pub fn schema(&self) -> &str {
        schema_name(&self.schema)
    }

    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }

    pub fn enabled(&self) -> bool {
        self.enabled.unwrap_or(true)
    }

    pub fn children(&self) -> &[RawObject] {
        self.children.as_deref().unwrap_or_default()
    }

    pub fn effects(&self) -> &[RawEffect] {
        self.effects.as_deref().unwrap_or_default()
    }

    pub fn markers(&self) -> &[RawMarker] {
        self.markers.as_deref().unwrap_or_default()
    }

    pub fn metadata(&self) -> Option<&RawMetadata> {
        self.metadata.as_deref()
    }
}

/// A metadata dictionary of the expected shape, else `None` (another tool's
/// metadata of another shape is no reason to refuse the file).
fn or_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Box<RawMetadata>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Or {
        Meta(Box<RawMetadata>),
        Other(IgnoredAny),
    }
    Ok(match Or::deserialize(d)? {
        Or::Meta(m) => Some(m),
        Or::Other(_) => None,
    })
}

/// `text` with bare `NaN`, `Inf`, `Infinity`, `-Inf` and `-Infinity`
/// outside strings quoted (`"NaN"`, `"Infinity"`, `"-Infinity"`); borrowed
/// when there are none.
pub fn lenient_text(text: &str) -> Cow<'_, str> {
    const WORDS: [(&str, &str); 5] = [
        ("-Infinity", "\"-Infinity\""),
        ("Infinity", "\"Infinity\""),
        ("-Inf", "\"-Infinity\""),
        ("Inf", "\"Infinity\""),
        ("NaN", "\"NaN\""),
    ];
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let (mut i, mut in_string, mut escaped) = (0, false, false);
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if matches!(b, b'N' | b'I' | b'-') {
            let found = WORDS.iter().find(|(w, _)| {
                bytes[i..].starts_with(w.as_bytes())
                    && !bytes
                        .get(i + w.len())
                        .is_some_and(|c| c.is_ascii_alphanumeric())
            });
            if let Some((w, quoted)) = found {
                let s = out.get_or_insert_with(|| String::with_capacity(text.len() + 64));
                s.push_str(&text[copied..i]);
                s.push_str(quoted);
                i += w.len();
                copied = i;
                continue;
            }
        }
        i += 1;
    }
    match out {
        Some(mut s) => {
            s.push_str(&text[copied..]);
            Cow::Owned(s)
        }
        None => Cow::Borrowed(text),
    }
}

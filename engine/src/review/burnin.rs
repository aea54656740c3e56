//! Burn-ins of review movies: text templates with tokens, laid out in one
//! of six places inside title safe on a half-transparent black box, and a
//! large semi-transparent watermark across the middle.
//!
//! Text is drawn with DejaVu Sans Mono (shipped in `engine/assets/fonts/`
//! with its licence) rasterised by `ab_glyph`, on the CPU, onto the review
//! frame after the review steps, so a GPU and a CPU render give the same
//! movie. Its height follows the frame's: a line is 4% of the height, the
//! watermark 12% (narrowed to fit the width).
//!
//! Tokens and what they show (a conform takes them from the EDL and the
//! media; `apply` has no timeline, so some fall back or stay empty):
//!
//! | token | conform | apply |
//! |---|---|---|
//! | `{tc}` | record timecode | the source frame's header timecode, else the frame number at the movie's rate |
//! | `{src_tc}` | source timecode of the picture shown | the source frame's header timecode |
//! | `{frame}` | master frame number | output frame number |
//! | `{rec_frame}` | record frame (timecode as a frame count) | output frame number |
//! | `{clip}` | source clip name | the input file's name, without frame number and extension |
//! | `{reel}` | source reel | the header's reel name |
//! | `{event}` | EDL event number | empty |
//! | `{shot}` | the EDL's clip name, else the source clip's | as `{clip}` |
//! | `{version}` | `v` and the job's version (`v003`) where one is set | the same |
//! | `{date}` | the render's date, `YYYY-MM-DD` (UTC) | the same |
//! | `{track}` | `V1` | empty |

use std::sync::OnceLock;

use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};

use crate::{Error, Result};

static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansMono.ttf");

/// Where a burn-in sits, inside title safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    TopLeft,
    TopCentre,
    TopRight,
    BottomLeft,
    BottomCentre,
    BottomRight,
}

impl Position {
    const NAMES: [(&'static str, Position); 6] = [
        ("tl", Position::TopLeft),
        ("tc", Position::TopCentre),
        ("tr", Position::TopRight),
        ("bl", Position::BottomLeft),
        ("bc", Position::BottomCentre),
        ("br", Position::BottomRight),
    ];

    fn is_top(self) -> bool {
        matches!(
            self,
            Position::TopLeft | Position::TopCentre | Position::TopRight
        )
    }
}

/// A token of a burn-in template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Tc,
    SrcTc,
    Frame,
    RecFrame,
    Clip,
    Reel,
    Event,
    Shot,
    Version,
    Date,
    Track,
}

impl Token {
    const NAMES: [(&'static str, Token); 11] = [
        ("tc", Token::Tc),
        ("src_tc", Token::SrcTc),
        ("frame", Token::Frame),
        ("rec_frame", Token::RecFrame),
        ("clip", Token::Clip),
        ("reel", Token::Reel),
        ("event", Token::Event),
        ("shot", Token::Shot),
        ("version", Token::Version),
        ("date", Token::Date),
        ("track", Token::Track),
    ];
}

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Token(Token),
}

/// `--burn POS:TEXT`, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Burnin {
    pub position: Position,
    parts: Vec<Part>,
}

impl Burnin {
    /// Parses `POS:TEXT`. An unknown position or token is a usage error
    /// naming it and listing the known ones.
    pub fn parse(spec: &str) -> Result<Burnin> {
        let usage = |why: String| Error::Usage(format!("--burn '{spec}': {why}"));
        let Some((pos, text)) = spec.split_once(':') else {
            return Err(usage("expected POS:TEXT, e.g. bl:{tc}".into()));
        };
        let position = Position::NAMES
            .iter()
            .find(|(n, _)| *n == pos)
            .map(|(_, p)| *p)
            .ok_or_else(|| {
                usage(format!(
                    "unknown position '{pos}' (one of {})",
                    Position::NAMES.map(|(n, _)| n).join(", ")
                ))
            })?;
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let Some(close) = rest[open..].find('}') else {
                return Err(usage(format!("'{}' has no closing brace", &rest[open..])));
            };
            let name = &rest[open + 1..open + close];
            let token = Token::NAMES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| *t)
                .ok_or_else(|| {
                    let known = Token::NAMES.map(|(n, _)| format!("{{{n}}}"));
                    usage(format!(
                        "unknown token {{{name}}} (tokens: {})",
                        known.join(" ")
                    ))
                })?;
            parts.push(Part::Token(token));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(Burnin { position, parts })
    }

    /// The text with every token replaced by `value(token)`.
    pub fn text(&self, value: impl Fn(Token) -> String) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::Token(t) => value(*t),
            })
            .collect()
    }
}

/// Opacity of the box behind burn-in text.
pub const BOX_OPACITY: f32 = 0.55;
/// Opacity of the watermark's white text.
pub const WATERMARK_OPACITY: f32 = 0.3;
/// A burn-in line's height as a share of the frame's.
const LINE: f32 = 0.04;
/// The watermark's height as a share of the frame's.
const WATERMARK: f32 = 0.12;

fn font() -> Option<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(FONT_BYTES).ok())
        .as_ref()
}

/// A rectangle of pixels: x, y, width, height.
pub type Rect = (i64, i64, i64, i64);

/// The boxes `lines` (position and text, in order) take on a `w x h`
/// frame: title safe is the middle 90% of each side; lines at the same
/// position stack away from the frame's edge.
pub fn layout(lines: &[(Position, String)], w: u32, h: u32) -> Vec<Rect> {
    let Some(font) = font() else {
        return Vec::new();
    };
    let px = (h as f32 * LINE).max(8.0);
    let scaled = font.as_scaled(PxScale::from(px));
    let advance = scaled.h_advance(font.glyph_id('0'));
    let pad = (px * 0.25).ceil() as i64;
    let line_h = scaled.height().ceil() as i64 + 2 * pad;
    let (fw, fh) = (i64::from(w), i64::from(h));
    let (x0, y0) = (fw * 5 / 100, fh * 5 / 100);
    let (x1, y1) = (fw - x0, fh - y0);
    let mut stacked = [0i64; 6];
    lines
        .iter()
        .map(|(pos, text)| {
            let bw = (advance * text.chars().count() as f32).ceil() as i64 + 2 * pad;
            let x = match pos {
                Position::TopLeft | Position::BottomLeft => x0,
                Position::TopCentre | Position::BottomCentre => (fw - bw) / 2,
                Position::TopRight | Position::BottomRight => x1 - bw,
            };
            let k = Position::NAMES
                .iter()
                .position(|(_, p)| p == pos)
                .unwrap_or(0);
            let y = if pos.is_top() {
                y0 + stacked[k]
            } else {
                y1 - line_h - stacked[k]
            };
            stacked[k] += line_h;
            (x, y, bw, line_h)
        })
        .collect()
}

/// Draws `lines` (each on its box) and the watermark onto a `w x h` RGBA
/// frame whose values are display-encoded.
pub fn draw(
    pixels: &mut [f32],
    w: u32,
    h: u32,
    lines: &[(Position, String)],
    watermark: Option<&str>,
) {
    let Some(font) = font() else {
        return;
    };
    let px = (h as f32 * LINE).max(8.0);
    let pad = (px * 0.25).ceil() as i64;
    for ((_, text), (x, y, bw, bh)) in lines.iter().zip(layout(lines, w, h)) {
        for yy in y.max(0)..(y + bh).min(i64::from(h)) {
            for xx in x.max(0)..(x + bw).min(i64::from(w)) {
                let i = (yy as usize * w as usize + xx as usize) * 4;
                for v in &mut pixels[i..i + 3] {
                    *v *= 1.0 - BOX_OPACITY;
                }
                pixels[i + 3] = 1.0;
            }
        }
        let ascent = font.as_scaled(PxScale::from(px)).ascent();
        text_at(
            font,
            pixels,
            (w, h),
            text,
            px,
            (x + pad) as f32,
            (y + pad) as f32 + ascent,
            1.0,
        );
    }
    if let Some(text) = watermark.filter(|t| !t.is_empty()) {
        let mut size = h as f32 * WATERMARK;
        let advance = |s: f32| {
            font.as_scaled(PxScale::from(s))
                .h_advance(font.glyph_id('0'))
        };
        let width = |s: f32| advance(s) * text.chars().count() as f32;
        if width(size) > w as f32 * 0.9 {
            size *= w as f32 * 0.9 / width(size);
        }
        let scaled = font.as_scaled(PxScale::from(size));
        let x = (w as f32 - width(size)) / 2.0;
        let baseline = (h as f32 + scaled.ascent() + scaled.descent()) / 2.0;
        text_at(
            font,
            pixels,
            (w, h),
            text,
            size,
            x,
            baseline,
            WATERMARK_OPACITY,
        );
    }
}

/// White text starting at `x` on `baseline`, blended at `opacity`.
#[allow(clippy::too_many_arguments)]
fn text_at(
    font: &FontRef<'_>,
    pixels: &mut [f32],
    (w, h): (u32, u32),
    text: &str,
    size: f32,
    x: f32,
    baseline: f32,
    opacity: f32,
) {
    let scale = PxScale::from(size);
    let scaled = font.as_scaled(scale);
    let mut pen = x;
    for c in text.chars() {
        let id = font.glyph_id(c);
        let glyph = id.with_scale_and_position(scale, point(pen, baseline));
        pen += scaled.h_advance(id);
        let Some(outline) = font.outline_glyph(glyph) else {
            continue;
        };
        let b = outline.px_bounds();
        outline.draw(|gx, gy, coverage| {
            let (px, py) = (
                b.min.x as i64 + i64::from(gx),
                b.min.y as i64 + i64::from(gy),
            );
            if px < 0 || py < 0 || px >= i64::from(w) || py >= i64::from(h) {
                return;
            }
            let a = coverage.clamp(0.0, 1.0) * opacity;
            let i = (py as usize * w as usize + px as usize) * 4;
            for v in &mut pixels[i..i + 3] {
                *v = *v * (1.0 - a) + a;
            }
        });
    }
}

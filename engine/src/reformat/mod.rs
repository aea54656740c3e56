//! Reformat: the stage that puts a source picture into the master format.
//!
//! Unlike a grade op it reads neighbouring pixels and changes the frame
//! size, so it is a stage of the render, not an [`Op`](crate::grade::Op).
//! In order it does:
//!
//! 1. **crop** (`--crop X,Y,W,H`, source pixels);
//! 2. **desqueeze** by the source pixel aspect (the file's, or
//!    `--source-par`) into the output format's pixel aspect;
//! 3. **resize** to the format ([`Resize`]: fit inside with black bars,
//!    fill and centre-crop, match the width or the height, stretch, or 1:1
//!    pixels centre-cropped or padded);
//! 4. **reposition** (scale, translate, rotate about the frame centre);
//!    a clip the timeline places itself (FCP7 Basic Motion: scale relative
//!    to the source's native pixels) gets its placement here too
//!    ([`Reformat::placed`], `placement.rs`).
//!
//! [`Reformat::plan`] turns that, for one source size and pixel aspect,
//! into a [`Plan`]: the geometry and, for each output column and row, the
//! filter taps and their weights, computed once in f64, folded onto the
//! picture's edge pixels where a tap falls outside it (edges clamp, as
//! OpenImageIO's resize does), normalised to sum 1 and stored as f32. The
//! CPU code (`cpu.rs`) and the GPU kernel (`resample.wgsl`, run by
//! `gpu/resample.rs`) both read exactly those weights and accumulate
//! `acc = acc + w * p` over the taps in the same order, first the rows
//! (horizontal pass) then the columns, with no fused multiply-add, so the
//! two backends give the same bits.
//!
//! Pixel centres are at +0.5; when shrinking, the filter's support widens by
//! 1/scale so nothing aliases (OpenImageIO's convention, which the tests
//! compare against). Output pixels whose centre falls outside the picture
//! are black: 0 RGB, alpha 1, as black frames are elsewhere. A plan that
//! changes nothing (same size and pixel aspect, no crop or reposition) is an
//! identity: [`Plan::apply`] copies the pixels, same bits.
//!
//! A reposition with a rotation cannot be separated into rows and columns:
//! it runs a 2D gather of the same filter on the CPU only (the GPU backend
//! hands such a frame to this CPU code, so both backends still agree).

mod cpu;
mod filter;
mod geometry;
mod placement;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use crate::io::limits::{MAX_DIMENSION, MAX_PIXELS};
use crate::names::nearest_names;
use crate::{Error, Result};

pub use filter::{Axis, Span};

/// An output format: size in pixels and pixel aspect (width / height of one
/// pixel; 1 is square, 2 is 2x anamorphic).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Format {
    pub width: u32,
    pub height: u32,
    pub par: f64,
}

/// The named formats `--format` accepts.
const NAMED_FORMATS: [(&str, u32, u32); 8] = [
    ("hd", 1920, 1080),
    ("uhd", 3840, 2160),
    ("2k", 2048, 1080),
    ("4k", 4096, 2160),
    ("2k-flat", 1998, 1080),
    ("4k-flat", 3996, 2160),
    ("2k-scope", 2048, 858),
    ("4k-scope", 4096, 1716),
];

impl Format {
    /// `WxH`, `WxH:PAR` or a name (`hd`, `uhd`, `2k`, `4k`, `2k-flat`,
    /// `4k-flat`, `2k-scope`, `4k-scope`; any case). Errors start
    /// `--format VALUE: `.
    pub fn parse(s: &str) -> Result<Format> {
        let bad = |why: String| Error::Usage(format!("--format {s}: {why}"));
        let t = s.trim();
        let (size, par) = match t.split_once(':') {
            Some((size, par)) => (size, Some(par)),
            None => (t, None),
        };
        let par = match par {
            None => 1.0,
            Some(p) => parse_par(p.trim()).map_err(&bad)?,
        };
        let lower = size.trim().to_ascii_lowercase();
        if let Some((_, w, h)) = NAMED_FORMATS.iter().find(|(n, _, _)| *n == lower) {
            return Ok(Format {
                width: *w,
                height: *h,
                par,
            });
        }
        let Some((w, h)) = lower.split_once('x') else {
            if lower.chars().any(|c| c.is_ascii_digit()) {
                return Err(bad("expected WIDTHxHEIGHT[:PAR] or a format name".into()));
            }
            let near = nearest_names(&lower, Format::names(), 3);
            return Err(bad(format!(
                "unknown format name; nearest: {} (or give WIDTHxHEIGHT[:PAR])",
                near.join(", ")
            )));
        };
        let dim = |v: &str, what: &str| -> std::result::Result<u32, String> {
            let n: u64 = v
                .trim()
                .parse()
                .map_err(|_| format!("{what} \"{}\" is not a whole number", v.trim()))?;
            if n == 0 {
                return Err(format!("{what} is 0"));
            }
            if n > u64::from(MAX_DIMENSION) {
                return Err(format!(
                    "{what} {n} is larger than grade accepts ({MAX_DIMENSION})"
                ));
            }
            Ok(n as u32)
        };
        let width = dim(w, "width").map_err(bad)?;
        let height = dim(h, "height").map_err(bad)?;
        if u64::from(width) * u64::from(height) > MAX_PIXELS {
            return Err(bad(format!(
                "{width}x{height} is more pixels than grade accepts ({MAX_PIXELS})"
            )));
        }
        Ok(Format { width, height, par })
    }

    /// The names `--format` accepts, in the order of the help text.
    pub fn names() -> impl Iterator<Item = &'static str> {
        NAMED_FORMATS.iter().map(|(n, _, _)| *n)
    }

    /// The size and pixel aspect of a named format, `None` for another name.
    pub fn named(name: &str) -> Option<Format> {
        NAMED_FORMATS
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, w, h)| Format {
                width: *w,
                height: *h,
                par: 1.0,
            })
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}x{}", self.width, self.height)?;
        if self.par != 1.0 {
            write!(f, ":{}", self.par)?;
        }
        Ok(())
    }
}

/// A pixel aspect ratio: a positive, finite number (`2`, `1.8`, `4/3` is
/// not accepted: give `1.333`).
fn parse_par(s: &str) -> std::result::Result<f64, String> {
    let v: f64 = s
        .parse()
        .map_err(|_| format!("pixel aspect \"{s}\" is not a number"))?;
    check_par(v)
}

fn check_par(v: f64) -> std::result::Result<f64, String> {
    if !v.is_finite() || v <= 0.0 {
        return Err(format!("pixel aspect {v} must be a positive number"));
    }
    if !(1e-3..=1e3).contains(&v) {
        return Err(format!("pixel aspect {v} is outside 0.001..1000"));
    }
    Ok(v)
}

/// Parses one of `names` for flag `flag`, or lists the nearest.
fn parse_name<T: Copy>(flag: &str, s: &str, names: &[(&'static str, T)]) -> Result<T> {
    let want = s.trim().to_ascii_lowercase();
    if let Some((_, v)) = names.iter().find(|(n, _)| *n == want) {
        return Ok(*v);
    }
    let near = nearest_names(&want, names.iter().map(|(n, _)| *n), 3);
    Err(Error::Usage(format!(
        "{flag} {s}: unknown; nearest: {} (one of {})",
        near.join(", "),
        names.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    )))
}

/// How the (cropped, desqueezed) picture is sized into the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Resize {
    /// The whole picture inside, centred, black bars (letterbox/pillarbox).
    #[default]
    Fit,
    /// Cover the whole frame, centre-cropped.
    Fill,
    /// Match the format's width.
    Width,
    /// Match the format's height.
    Height,
    /// Distort to the format.
    Stretch,
    /// 1:1 pixels, centre-cropped or padded.
    None,
}

const RESIZES: [(&str, Resize); 6] = [
    ("fit", Resize::Fit),
    ("fill", Resize::Fill),
    ("width", Resize::Width),
    ("height", Resize::Height),
    ("stretch", Resize::Stretch),
    ("none", Resize::None),
];

impl Resize {
    /// `fit|fill|width|height|stretch|none`; errors start `--resize VALUE: `.
    pub fn parse(s: &str) -> Result<Resize> {
        parse_name("--resize", s, &RESIZES)
    }

    pub fn name(&self) -> &'static str {
        RESIZES
            .iter()
            .find(|(_, r)| r == self)
            .map_or("fit", |r| r.0)
    }

    pub fn names() -> impl Iterator<Item = &'static str> {
        RESIZES.iter().map(|(n, _)| *n)
    }
}

/// The resampling filter (separable; OpenImageIO's definitions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Filter {
    /// sinc(x) sinc(x/3) over |x| < 3.
    #[default]
    Lanczos3,
    /// Mitchell-Netravali cubic, B = C = 1/3, |x| < 2.
    Mitchell,
    /// Catmull-Rom cubic (B = 0, C = 1/2), |x| < 2.
    CatmullRom,
    /// Triangle, |x| < 1.
    Bilinear,
    /// Box, |x| <= 1/2.
    Box,
    /// The source pixel under the output pixel's centre.
    Nearest,
}

const FILTERS: [(&str, Filter); 6] = [
    ("lanczos3", Filter::Lanczos3),
    ("mitchell", Filter::Mitchell),
    ("catmull-rom", Filter::CatmullRom),
    ("bilinear", Filter::Bilinear),
    ("box", Filter::Box),
    ("nearest", Filter::Nearest),
];

impl Filter {
    /// `lanczos3|mitchell|catmull-rom|bilinear|box|nearest`; errors start
    /// `--filter VALUE: `.
    pub fn parse(s: &str) -> Result<Filter> {
        parse_name("--filter", s, &FILTERS)
    }

    pub fn name(&self) -> &'static str {
        FILTERS
            .iter()
            .find(|(_, f)| f == self)
            .map_or("lanczos3", |f| f.0)
    }

    pub fn names() -> impl Iterator<Item = &'static str> {
        FILTERS.iter().map(|(n, _)| *n)
    }
}

/// A crop in source pixels, applied before everything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Crop {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

impl Crop {
    /// `X,Y,W,H`; errors start `--crop VALUE: `.
    pub fn parse(s: &str) -> Result<Crop> {
        let bad = |why: &str| Error::Usage(format!("--crop {s}: {why}"));
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        if parts.len() != 4 {
            return Err(bad("expected X,Y,WIDTH,HEIGHT in source pixels"));
        }
        let mut v = [0u32; 4];
        for (slot, p) in v.iter_mut().zip(&parts) {
            *slot = p
                .parse()
                .map_err(|_| bad(&format!("\"{p}\" is not a whole number of pixels")))?;
        }
        if v[2] == 0 || v[3] == 0 {
            return Err(bad("the crop is empty"));
        }
        Ok(Crop {
            x: v[0],
            y: v[1],
            width: v[2],
            height: v[3],
        })
    }
}

impl std::fmt::Display for Crop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{},{},{},{}", self.x, self.y, self.width, self.height)
    }
}

/// A reposition after the resize, in output pixels: scale and rotate (in
/// degrees, counter-clockwise as seen) about the frame centre, then
/// translate (x right, y down).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Reposition {
    pub scale: f64,
    pub translate: [f64; 2],
    pub rotate: f64,
}

impl Default for Reposition {
    fn default() -> Self {
        Reposition {
            scale: 1.0,
            translate: [0.0, 0.0],
            rotate: 0.0,
        }
    }
}

impl Reposition {
    pub fn is_identity(&self) -> bool {
        *self == Reposition::default()
    }
}

/// Whether the reformat runs before the grade (the default: grades see
/// master-format pixels) or after it (`--reformat-after`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Order {
    #[default]
    BeforeGrade,
    AfterGrade,
}

/// What the user asked for: the output format and how to get there.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Reformat {
    pub format: Format,
    pub resize: Resize,
    pub filter: Filter,
    /// Overrides the pixel aspect the source file declares.
    pub source_par: Option<f64>,
    pub crop: Option<Crop>,
    pub reposition: Reposition,
    pub order: Order,
}

impl Reformat {
    /// To `format` with the defaults: fit, lanczos3, before the grade.
    pub fn to(format: Format) -> Reformat {
        Reformat {
            format,
            resize: Resize::default(),
            filter: Filter::default(),
            source_par: None,
            crop: None,
            reposition: Reposition::default(),
            order: Order::default(),
        }
    }
}

/// A source picture's size and pixel aspect (1 when the file says nothing).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SourceGeometry {
    pub width: u32,
    pub height: u32,
    pub par: f64,
}

/// A rectangle of output pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Area {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// What a plan does, for reports: where the source picture lands.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlanSummary {
    pub source_width: u32,
    pub source_height: u32,
    pub source_par: f64,
    pub output_width: u32,
    pub output_height: u32,
    pub output_par: f64,
    /// Output pixels per source pixel, horizontally and vertically.
    pub scale_x: f64,
    pub scale_y: f64,
    /// Where the (cropped) picture's top-left corner lands, in output pixels
    /// (negative when it is cropped by the frame).
    pub offset_x: f64,
    pub offset_y: f64,
    /// The output pixels whose centre falls inside the picture; the rest
    /// are black.
    pub active: Area,
    pub filter: &'static str,
    pub resize: &'static str,
}

/// How a plan moves pixels.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// Same size and pixel aspect, nothing else asked: a copy.
    Identity,
    /// Rows then columns, each a list of taps per output pixel.
    Separable(Separable),
    /// A rotation: each output pixel gathers a 2D neighbourhood.
    Rotated(cpu::Rotated),
}

/// The two passes of a separable plan. The horizontal pass reads source
/// rows `rows.0..rows.1` and writes an intermediate of `x.len()` columns by
/// that many rows; the vertical pass writes the output frame, black outside
/// the active area.
#[derive(Debug, Clone, PartialEq)]
pub struct Separable {
    /// One span per active output column; `first` is a source column.
    pub x: Axis,
    /// One span per active output row; `first` is a source row.
    pub y: Axis,
    /// The source rows the horizontal pass reads.
    pub rows: (u32, u32),
}

/// A reformat worked out for one source geometry; see the module docs.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    source: SourceGeometry,
    output: Format,
    filter: Filter,
    resize: Resize,
    scale: [f64; 2],
    offset: [f64; 2],
    active: Area,
    kind: Kind,
}

impl Plan {
    /// The output frame's width and height.
    pub fn output_size(&self) -> (u32, u32) {
        (self.output.width, self.output.height)
    }

    /// The output pixel aspect (the format's).
    pub fn output_par(&self) -> f64 {
        self.output.par
    }

    /// The source this plan was made for.
    pub fn source(&self) -> SourceGeometry {
        self.source
    }

    /// An exact pass-through: [`Plan::apply`] copies the pixels.
    pub fn is_identity(&self) -> bool {
        self.kind == Kind::Identity
    }

    /// The rows-then-columns passes, `None` for an identity or a rotation
    /// (which the GPU hands to the CPU).
    pub fn separable(&self) -> Option<&Separable> {
        match &self.kind {
            Kind::Separable(s) => Some(s),
            _ => None,
        }
    }

    /// The output pixels whose centre falls inside the picture.
    pub fn active(&self) -> Area {
        self.active
    }

    /// Whether output pixel (x, y) shows the picture rather than the black
    /// around it (its centre inside the placed, possibly rotated, picture).
    pub fn covers(&self, x: u32, y: u32) -> bool {
        match &self.kind {
            Kind::Identity => true,
            Kind::Separable(_) => {
                let a = self.active;
                (a.x..a.x + a.width).contains(&x) && (a.y..a.y + a.height).contains(&y)
            }
            Kind::Rotated(r) => r.covers(x, y),
        }
    }

    pub fn summary(&self) -> PlanSummary {
        PlanSummary {
            source_width: self.source.width,
            source_height: self.source.height,
            source_par: self.source.par,
            output_width: self.output.width,
            output_height: self.output.height,
            output_par: self.output.par,
            scale_x: self.scale[0],
            scale_y: self.scale[1],
            offset_x: self.offset[0],
            offset_y: self.offset[1],
            active: self.active,
            filter: self.filter.name(),
            resize: self.resize.name(),
        }
    }

    /// Reformats `src` (RGBA f32, the source size) into `dst` (resized to
    /// the output size), on the rayon pool.
    pub fn apply(&self, src: &[f32], dst: &mut Vec<f32>) {
        cpu::apply(self, src, dst);
    }
}

/// Plans shared by the frames of a job, keyed by what they were made from.
/// A conform has a handful of source formats, so a short list searched in
/// order is enough; it is cleared when it grows past 64 plans.
#[derive(Debug, Default)]
pub struct PlanCache {
    plans: std::sync::Mutex<Vec<(Reformat, SourceGeometry, Arc<Plan>)>>,
}

impl PlanCache {
    const KEEP: usize = 64;

    /// The plan of `reformat` for `source`, made once.
    pub fn get(&self, reformat: &Reformat, source: SourceGeometry) -> Result<Arc<Plan>> {
        {
            let plans = self.plans.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, _, p)) = plans.iter().find(|(r, s, _)| r == reformat && *s == source) {
                return Ok(p.clone());
            }
        }
        let plan = Arc::new(reformat.plan(source)?);
        let mut plans = self.plans.lock().unwrap_or_else(|e| e.into_inner());
        if plans.len() >= Self::KEEP {
            plans.clear();
        }
        plans.push((reformat.clone(), source, plan.clone()));
        Ok(plan)
    }
}

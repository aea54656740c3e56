//! The contact sheet: one row per event, the source frame (BEFORE) beside
//! the graded master frame (AFTER), under a caption with the event number,
//! clip name, record timecode and source frame, written as an 8-bit RGB PNG.
//!
//! It is an output of a conform like the master frames and the report, and
//! is meant to be read at a glance: labels are drawn with the built-in 5x7
//! font ([`font`]) at an integer scale, white on dark, never smoothed.
//!
//! Thumbnails are decoded with [`crate::io::read_frame`] (DPX, EXR, TIFF),
//! fitted into a fixed cell keeping their shape (square pixels assumed), and
//! reduced by averaging the source pixels each thumbnail pixel covers (a box
//! filter; enough for a preview, not a resampler). The view transform is
//! [`SheetView`]: code values clamped to [0, 1] by default, or a linear to
//! sRGB encode. A thumbnail that is not given or cannot be read draws as a
//! grey box saying "missing"; the sheet is still written and
//! [`SheetSummary`] counts and names them.
//!
//! The PNG is encoded band by band as the rows are drawn, so memory does
//! not grow with the number of events, and written atomically (temporary
//! name, then rename) like every other output.

pub mod font;
#[cfg(test)]
mod tests;

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::ops::exponent::{Exponent, ExponentPrepared, ExponentStyle};
use crate::{Error, Frame, Result};

/// One event of the sheet. The texts are shown as given (non-ASCII
/// characters as `?`), shortened with an ellipsis when the line is full.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SheetRow {
    /// Event number as in the EDL, e.g. "003".
    pub event: String,
    /// Clip name.
    pub clip: String,
    /// Record timecode of the frames shown.
    pub record_tc: String,
    /// Which source frame is shown (a frame number or a timecode).
    pub source_frame: String,
    /// The source frame, before the grade.
    pub before: Option<PathBuf>,
    /// The master frame, after the grade.
    pub after: Option<PathBuf>,
    /// Pixel aspect of the source frame (2.0 for a 2x anamorphic scan), so
    /// its thumbnail is shown desqueezed; square when `None`.
    pub before_pixel_aspect: Option<f64>,
    /// Pixel aspect of the master frame; square when `None`.
    pub after_pixel_aspect: Option<f64>,
}

/// How a thumbnail's values become 8-bit display values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SheetView {
    /// The file's code values, clamped to [0, 1]: right for display-referred
    /// or log frames viewed as they are (a DPX master, a video test card).
    #[default]
    CodeValues,
    /// Scene-linear values clamped to [0, 1] and encoded with the sRGB
    /// curve (IEC 61966-2-1), for linear EXR sources.
    LinearToSrgb,
}

/// Size of the sheet and its labels.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetOptions {
    /// Thumbnail cell width in pixels (16..=4096).
    pub thumb_width: u32,
    /// Thumbnail cell height in pixels (16..=4096).
    pub thumb_height: u32,
    /// Size of a font pixel in sheet pixels (1..=16): a line of labels is
    /// `8 * label_scale` pixels tall (capitals 7, descenders 1).
    pub label_scale: u32,
    pub view: SheetView,
    /// Shown at the top left; "CONTACT SHEET" when `None`.
    pub title: Option<String>,
}

impl Default for SheetOptions {
    fn default() -> Self {
        SheetOptions {
            thumb_width: 320,
            thumb_height: 180,
            label_scale: 2,
            view: SheetView::CodeValues,
            title: None,
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SheetSummary {
    pub width: u32,
    pub height: u32,
    pub rows: usize,
    /// Thumbnails drawn from their frames.
    pub pictures: usize,
    /// Thumbnails drawn as "missing" (not given, or unreadable).
    pub missing: usize,
    /// Each unreadable frame and why.
    pub unreadable: Vec<(PathBuf, String)>,
}

/// Where everything goes, in sheet pixels. Only sizes and counts decide it,
/// never the pictures, so it is known before any frame is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub width: u32,
    pub height: u32,
    /// Outer margin, and the space below each row.
    pub margin: u32,
    /// Space between the BEFORE and AFTER cells.
    pub gap: u32,
    /// Height of the title band at the top (margin, text, margin).
    pub header: u32,
    /// Height of one event: caption, space, thumbnails, margin.
    pub row_height: u32,
    /// From a row's top to its thumbnails' top.
    pub caption: u32,
    pub thumb_width: u32,
    pub thumb_height: u32,
    pub scale: u32,
}

/// Largest sheet height: PNG's limit on a dimension.
const MAX_HEIGHT: u64 = i32::MAX as u64;

impl Layout {
    pub fn new(rows: usize, opts: &SheetOptions) -> Result<Layout> {
        let check = |what: &str, v: u32, lo: u32, hi: u32| {
            if (lo..=hi).contains(&v) {
                Ok(v)
            } else {
                Err(Error::Usage(format!(
                    "contact sheet: {what} {v} is outside {lo}..={hi}"
                )))
            }
        };
        let thumb_width = check("thumbnail width", opts.thumb_width, 16, 4096)?;
        let thumb_height = check("thumbnail height", opts.thumb_height, 16, 4096)?;
        let s = check("label scale", opts.label_scale, 1, 16)?;
        let text = font::GLYPH_HEIGHT * s;
        let margin = 8 * s;
        let gap = 4 * s;
        let caption = text + 2 * s;
        let row_height = caption + thumb_height + margin;
        let header = margin + text + margin;
        let height = (rows as u64)
            .saturating_mul(row_height as u64)
            .saturating_add(header as u64);
        if height > MAX_HEIGHT {
            return Err(Error::Usage(format!(
                "contact sheet: {rows} rows would make it taller than a PNG holds ({MAX_HEIGHT} pixels)"
            )));
        }
        Ok(Layout {
            width: 2 * margin + 2 * thumb_width + gap,
            height: height as u32,
            margin,
            gap,
            header,
            row_height,
            caption,
            thumb_width,
            thumb_height,
            scale: s,
        })
    }

    /// Left edge of the BEFORE (0) or AFTER (1) cell.
    pub fn cell_x(&self, column: u32) -> u32 {
        self.margin + column * (self.thumb_width + self.gap)
    }

    /// Top of row `row`'s band (its caption).
    pub fn row_y(&self, row: usize) -> u64 {
        self.header as u64 + row as u64 * self.row_height as u64
    }

    /// Characters that fit on one line between the margins.
    pub fn line_chars(&self) -> usize {
        let room = (self.width - 2 * self.margin + self.scale) as usize;
        room / (font::ADVANCE * self.scale) as usize
    }
}

const BACKGROUND: [u8; 3] = [28, 28, 30];
const TEXT: [u8; 3] = [240, 240, 240];
const DIM: [u8; 3] = [150, 150, 155];
const ACCENT: [u8; 3] = [255, 190, 60];
const MISSING_BOX: [u8; 3] = [96, 96, 96];
const MISSING_TEXT: [u8; 3] = [225, 225, 225];

/// Writes the sheet for `rows` to `path` (PNG). Frames that cannot be read
/// are drawn as missing and listed in the summary; only a bad option or a
/// failure to write `path` is an error.
pub fn write_contact_sheet(
    rows: &[SheetRow],
    opts: &SheetOptions,
    path: &Path,
) -> Result<SheetSummary> {
    let layout = Layout::new(rows.len(), opts)?;
    let mut summary = SheetSummary {
        width: layout.width,
        height: layout.height,
        rows: rows.len(),
        ..Default::default()
    };
    crate::io::write_atomically(path, |tmp| {
        let file = std::fs::File::create(tmp).map_err(|e| Error::write(tmp, e))?;
        let png_error = |e: png::EncodingError| match e {
            png::EncodingError::IoError(e) => Error::write(tmp, e),
            other => Error::write(tmp, std::io::Error::other(other.to_string())),
        };
        // Unbuffered: the stream writer hands over whole 64 KiB chunks, and
        // a failed write (a full disk) is an error here, not lost on drop.
        let mut enc = png::Encoder::new(file, layout.width, layout.height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut stream = enc
            .write_header()
            .and_then(|w| w.into_stream_writer_with_size(1 << 16))
            .map_err(png_error)?;
        let mut put = |band: &Band| {
            stream
                .write_all(&band.rgb)
                .map_err(|e| Error::write(tmp, e))
        };

        let mut band = Band::new(layout.width, layout.header);
        draw_header(&mut band, &layout, opts, rows.len());
        put(&band)?;

        // Frames are read a few rows at a time, in parallel, so no more
        // than one decoded frame per thread is held at once.
        let chunk = rayon::current_num_threads().max(1);
        for group in rows.chunks(chunk) {
            let thumbs: Vec<[Thumb; 2]> = group
                .par_iter()
                .map(|row| {
                    [
                        (&row.before, row.before_pixel_aspect),
                        (&row.after, row.after_pixel_aspect),
                    ]
                    .map(|(p, par)| Thumb::load(p.as_deref(), par, &layout, opts.view))
                })
                .collect();
            for (row, pair) in group.iter().zip(thumbs) {
                band.clear(layout.row_height);
                draw_row(&mut band, &layout, row, &pair);
                put(&band)?;
                for thumb in pair {
                    match thumb {
                        Thumb::Picture { .. } => summary.pictures += 1,
                        Thumb::Missing(why) => {
                            summary.missing += 1;
                            summary.unreadable.extend(why);
                        }
                    }
                }
            }
        }
        stream.finish().map_err(png_error)
    })?;
    Ok(summary)
}

/// A horizontal strip of the sheet, drawn then encoded.
struct Band {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

impl Band {
    fn new(width: u32, height: u32) -> Band {
        let mut b = Band {
            width,
            height: 0,
            rgb: Vec::new(),
        };
        b.clear(height);
        b
    }

    fn clear(&mut self, height: u32) {
        self.height = height;
        let n = self.width as usize * height as usize;
        self.rgb.clear();
        self.rgb.reserve(n * 3);
        for _ in 0..n {
            self.rgb.extend_from_slice(&BACKGROUND);
        }
    }

    fn at(&mut self, x: u64, y: u64) -> Option<&mut [u8]> {
        if x >= self.width as u64 || y >= self.height as u64 {
            return None;
        }
        let i = (y as usize * self.width as usize + x as usize) * 3;
        self.rgb.get_mut(i..i + 3)
    }

    fn fill(&mut self, x0: u32, y0: u32, w: u32, h: u32, colour: [u8; 3]) {
        for y in y0 as u64..y0 as u64 + h as u64 {
            for x in x0 as u64..x0 as u64 + w as u64 {
                if let Some(p) = self.at(x, y) {
                    p.copy_from_slice(&colour);
                }
            }
        }
    }

    /// Multiplies a rectangle by `k` / 256, so text on it reads over any
    /// picture.
    fn darken(&mut self, x0: u32, y0: u32, w: u32, h: u32, k: u16) {
        for y in y0 as u64..y0 as u64 + h as u64 {
            for x in x0 as u64..x0 as u64 + w as u64 {
                if let Some(p) = self.at(x, y) {
                    for v in p {
                        *v = (*v as u16 * k / 256) as u8;
                    }
                }
            }
        }
    }

    /// Draws `text` with its top-left at (x, y); returns the x after it.
    fn text(&mut self, x: u32, y: u32, text: &str, scale: u32, colour: [u8; 3]) -> u32 {
        font::draw(text, scale, |dx, dy| {
            if let Some(p) = self.at(x as u64 + dx, y as u64 + dy) {
                p.copy_from_slice(&colour);
            }
        });
        let advance = text.chars().count() as u64 * (font::ADVANCE * scale) as u64;
        (x as u64 + advance).min(u32::MAX as u64) as u32
    }
}

fn draw_header(band: &mut Band, layout: &Layout, opts: &SheetOptions, rows: usize) {
    let s = layout.scale;
    let title = opts.title.as_deref().unwrap_or("CONTACT SHEET");
    let count = match rows {
        0 => "NO EVENTS".to_string(),
        1 => "1 EVENT".to_string(),
        n => format!("{n} EVENTS"),
    };
    let max = layout.line_chars();
    let title_room = max.saturating_sub(count.chars().count() + 2);
    band.text(
        layout.margin,
        layout.margin,
        &font::fit(title, title_room),
        s,
        TEXT,
    );
    let cw = font::text_width(count.chars().count(), s) as u32;
    let x = (layout.width - layout.margin).saturating_sub(cw);
    band.text(x, layout.margin, &count, s, DIM);
}

/// The caption's parts and colours. When the line is too long the clip
/// name is shortened first (it is the part a colourist can best do
/// without the end of), then the line is cut.
fn caption(row: &SheetRow, max: usize) -> Vec<(String, [u8; 3])> {
    let mut parts = vec![
        (row.event.clone(), ACCENT),
        ("  ".into(), DIM),
        (row.clip.clone(), TEXT),
        ("  REC ".into(), DIM),
        (row.record_tc.clone(), TEXT),
        ("  SRC ".into(), DIM),
        (row.source_frame.clone(), TEXT),
    ];
    let len = |p: &[(String, [u8; 3])]| p.iter().map(|(t, _)| t.chars().count()).sum::<usize>();
    let total = len(&parts);
    if total > max {
        let clip = parts[2].0.chars().count();
        let others = total - clip;
        parts[2].0 = font::fit(&parts[2].0, max.saturating_sub(others).max(8));
    }
    let mut room = max;
    for (text, _) in &mut parts {
        let n = text.chars().count();
        if n > room {
            *text = font::fit(text, room);
            room = 0;
        } else {
            room -= n;
        }
    }
    parts.retain(|(t, _)| !t.is_empty());
    parts
}

fn draw_row(band: &mut Band, layout: &Layout, row: &SheetRow, thumbs: &[Thumb; 2]) {
    let s = layout.scale;
    let mut x = layout.margin;
    for (text, colour) in caption(row, layout.line_chars()) {
        x = band.text(x, 0, &text, s, colour);
    }
    for (column, (thumb, label)) in thumbs.iter().zip(["BEFORE", "AFTER"]).enumerate() {
        let (x0, y0) = (layout.cell_x(column as u32), layout.caption);
        let (tw, th) = (layout.thumb_width, layout.thumb_height);
        match thumb {
            Thumb::Picture { width, height, rgb } => {
                band.fill(x0, y0, tw, th, [0, 0, 0]);
                let ox = x0 + (tw - width) / 2;
                let oy = y0 + (th - height) / 2;
                for (y, src) in rgb.chunks_exact(*width as usize * 3).enumerate() {
                    let i = ((oy as usize + y) * band.width as usize + ox as usize) * 3;
                    if let Some(dst) = band.rgb.get_mut(i..i + src.len()) {
                        dst.copy_from_slice(src);
                    }
                }
            }
            Thumb::Missing(_) => {
                band.fill(x0, y0, tw, th, MISSING_BOX);
                let word = "missing";
                let w = font::text_width(word.len(), s) as u32;
                let h = font::GLYPH_HEIGHT * s;
                if w <= tw && h <= th {
                    band.text(x0 + (tw - w) / 2, y0 + (th - h) / 2, word, s, MISSING_TEXT);
                }
            }
        }
        let pad = s + s / 2;
        let w = font::text_width(label.len(), s) as u32 + 2 * pad;
        let h = font::GLYPH_HEIGHT * s + 2 * pad;
        // A cell too small for its tag goes without, rather than spill.
        if w <= tw && h <= th {
            band.darken(x0, y0, w, h, 64);
            band.text(x0 + pad, y0 + pad, label, s, TEXT);
        }
    }
}

/// A thumbnail ready to place: 8-bit RGB rows, or why there is none.
enum Thumb {
    Picture {
        width: u32,
        height: u32,
        rgb: Vec<u8>,
    },
    Missing(Option<(PathBuf, String)>),
}

impl Thumb {
    fn load(path: Option<&Path>, par: Option<f64>, layout: &Layout, view: SheetView) -> Thumb {
        let Some(path) = path else {
            return Thumb::Missing(None);
        };
        match crate::io::read_frame(path) {
            Ok(f) => thumbnail(&f, par, layout.thumb_width, layout.thumb_height, view),
            Err(e) => Thumb::Missing(Some((path.to_path_buf(), e.to_string()))),
        }
    }
}

/// `frame` fitted inside `cell_w x cell_h`, keeping its shape as shown
/// with pixel aspect `par` (square if `None` or not in [0.1, 10]): each
/// output pixel is the mean of the source pixels whose centres it covers
/// (at least the nearest one, so small frames are enlarged by repetition).
fn thumbnail(frame: &Frame, par: Option<f64>, cell_w: u32, cell_h: u32, view: SheetView) -> Thumb {
    let (fw, fh) = (frame.width as u64, frame.height as u64);
    if fw == 0 || fh == 0 || frame.pixels.len() as u64 != fw * fh * 4 {
        return Thumb::Missing(None);
    }
    let par = par.filter(|p| (0.1..=10.0).contains(p)).unwrap_or(1.0);
    // Fit the displayed shape: the limiting side fills the cell, the other
    // is rounded.
    let (shown_w, fh_f) = (fw as f64 * par, fh as f64);
    let (cw, ch) = (cell_w as f64, cell_h as f64);
    let (w, h) = if shown_w * ch >= fh_f * cw {
        let h = (fh_f * cw / shown_w).round().clamp(1.0, ch);
        (cell_w as u64, h as u64)
    } else {
        let w = (shown_w * ch / fh_f).round().clamp(1.0, cw);
        (w as u64, cell_h as u64)
    };
    // Source span [lo, hi) of output index i along an axis of n -> m.
    let span = |i: u64, n: u64, m: u64| {
        let lo = (i * n + m / 2) / m;
        let hi = ((i + 1) * n + m / 2) / m;
        (lo.min(n - 1), hi.clamp(lo.min(n - 1) + 1, n))
    };
    let display = Display::new(view);
    let mut rgb = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        let (y0, y1) = span(y, fh, h);
        for x in 0..w {
            let (x0, x1) = span(x, fw, w);
            let mut acc = [0.0f64; 3];
            for sy in y0..y1 {
                let row = (sy * fw) as usize * 4;
                for sx in x0..x1 {
                    let i = row + sx as usize * 4;
                    for (a, v) in acc.iter_mut().zip(&frame.pixels[i..i + 3]) {
                        *a += *v as f64;
                    }
                }
            }
            let n = ((y1 - y0) * (x1 - x0)) as f64;
            for (c, a) in acc.into_iter().enumerate() {
                rgb.push(display.code(c, (a / n) as f32));
            }
        }
    }
    Thumb::Picture {
        width: w as u32,
        height: h as u32,
        rgb,
    }
}

/// The sheet's view transform for one pixel, to 8-bit codes (NaN shows as
/// 0). The sRGB encode is the engine's own moncurve op, the one `--to srgb`
/// runs, so the sheet agrees with a graded sRGB output.
struct Display(Option<ExponentPrepared>);

impl Display {
    fn new(view: SheetView) -> Display {
        Display(match view {
            SheetView::CodeValues => None,
            SheetView::LinearToSrgb => Some(
                Exponent {
                    style: ExponentStyle::MonCurveRev,
                    exponent: [2.4; 3],
                    offset: [0.055; 3],
                }
                .prepare(),
            ),
        })
    }

    fn code(&self, c: usize, v: f32) -> u8 {
        let v = if v.is_nan() { 0.0 } else { v.clamp(0.0, 1.0) };
        let v = self.0.map_or(v, |r| r.apply1(c, v));
        (v.clamp(0.0, 1.0) * 255.0 + 0.5) as u8
    }
}

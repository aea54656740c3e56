//! R'G'B' to BT.709 Y'CbCr, limited ("video", "tv") range, in the planar
//! layouts ffmpeg reads from a pipe.
//!
//! The review frame's values are taken as display-encoded R'G'B' in [0, 1]
//! (the review steps put them there); they are clamped, then matrixed with
//! BT.709's luma weights (Kr 0.2126, Kb 0.0722) and quantised to limited
//! range: Y' 64-940 and Cb/Cr 64-960 in 10 bits, 16-235 and 16-240 in 8.
//! Doing this here, rather than handing ffmpeg RGB, keeps its scaler (which
//! uses BT.601 coefficients unless told otherwise) away from the pixels:
//! the planes go to the encoder untouched.
//!
//! Chroma is subsampled by averaging the horizontal pair (4:2:2) or the
//! 2x2 block (4:2:0): the chroma sample sits between the luma samples it
//! covers.

use rayon::prelude::*;

/// A planar layout ffmpeg reads with `-f rawvideo -pix_fmt NAME`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `yuv422p10le`: ProRes 422 (proxy, LT, standard, HQ).
    Yuv422p10,
    /// `yuva444p10le`: ProRes 4444, alpha full range.
    Yuva444p10,
    /// `yuv420p`: H.264.
    Yuv420p8,
}

const KR: f32 = 0.2126;
const KB: f32 = 0.0722;
const KG: f32 = 1.0 - KR - KB;

impl Layout {
    /// ffmpeg's name for it.
    pub fn pix_fmt(self) -> &'static str {
        match self {
            Layout::Yuv422p10 => "yuv422p10le",
            Layout::Yuva444p10 => "yuva444p10le",
            Layout::Yuv420p8 => "yuv420p",
        }
    }

    /// Why a `w x h` frame cannot be laid out this way, if it cannot.
    pub fn check(self, w: u32, h: u32) -> Option<String> {
        let odd_w = w % 2 == 1 && self != Layout::Yuva444p10;
        let odd_h = h % 2 == 1 && self == Layout::Yuv420p8;
        (odd_w || odd_h || w == 0 || h == 0).then(|| {
            format!(
                "{w}x{h}: {} needs an even {} (choose one with --review-format)",
                self.pix_fmt(),
                if odd_w { "width" } else { "height" }
            )
        })
    }

    /// Bytes of one `w x h` frame.
    pub fn frame_bytes(self, w: u32, h: u32) -> usize {
        let n = w as usize * h as usize;
        match self {
            Layout::Yuv422p10 => 2 * n * 2,
            Layout::Yuva444p10 => 4 * n * 2,
            Layout::Yuv420p8 => n + n / 2,
        }
    }
}

/// Y', Cb, Cr of one R'G'B' pixel, as fractions: Y' in [0, 1], Cb and Cr
/// in [-0.5, 0.5]. Values outside [0, 1] (and NaN) are clamped first.
pub fn ycbcr(rgb: [f32; 3]) -> [f32; 3] {
    let [r, g, b] = rgb.map(|v| if v > 0.0 { v.min(1.0) } else { 0.0 });
    let y = KR * r + KG * g + KB * b;
    [
        y,
        (b - y) / (2.0 * (1.0 - KB)),
        (r - y) / (2.0 * (1.0 - KR)),
    ]
}

/// Limited-range code of a luma fraction in `bits` bits.
pub fn luma_code(y: f32, bits: u32) -> u16 {
    let s = (1u32 << (bits - 8)) as f32;
    (16.0 * s + 219.0 * s * y).round() as u16
}

/// Limited-range code of a chroma fraction in `bits` bits.
pub fn chroma_code(c: f32, bits: u32) -> u16 {
    let s = (1u32 << (bits - 8)) as f32;
    (128.0 * s + 224.0 * s * c).round() as u16
}

/// Lays out a `w x h` RGBA frame as `layout` into `out` (resized to
/// [`Layout::frame_bytes`]). `w` and `h` must pass [`Layout::check`].
pub fn encode(rgba: &[f32], w: u32, h: u32, layout: Layout, out: &mut Vec<u8>) {
    let (w, h) = (w as usize, h as usize);
    out.clear();
    out.resize(layout.frame_bytes(w as u32, h as u32), 0);
    let n = w * h;
    let put16 = |out: &mut [u8], i: usize, v: u16| {
        out[2 * i..2 * i + 2].copy_from_slice(&v.to_le_bytes());
    };
    let rgb = |row: &[f32], x: usize| ycbcr([row[4 * x], row[4 * x + 1], row[4 * x + 2]]);
    // Rows in parallel: the review is encoded beside the master's render,
    // and a 2K frame is 2.2 million pixels.
    let rows = rgba[..4 * n].par_chunks(4 * w);
    match layout {
        Layout::Yuv422p10 => {
            let (y_plane, c) = out.split_at_mut(2 * n);
            let (cb_plane, cr_plane) = c.split_at_mut(n);
            let cw = w / 2;
            y_plane
                .par_chunks_mut(2 * w)
                .zip(cb_plane.par_chunks_mut(2 * cw))
                .zip(cr_plane.par_chunks_mut(2 * cw))
                .zip(rows)
                .for_each(|(((y_row, cb_row), cr_row), src)| {
                    for cx in 0..cw {
                        let (a, b) = (rgb(src, 2 * cx), rgb(src, 2 * cx + 1));
                        put16(y_row, 2 * cx, luma_code(a[0], 10));
                        put16(y_row, 2 * cx + 1, luma_code(b[0], 10));
                        put16(cb_row, cx, chroma_code((a[1] + b[1]) * 0.5, 10));
                        put16(cr_row, cx, chroma_code((a[2] + b[2]) * 0.5, 10));
                    }
                });
        }
        Layout::Yuva444p10 => {
            let (y_plane, rest) = out.split_at_mut(2 * n);
            let (cb_plane, rest) = rest.split_at_mut(2 * n);
            let (cr_plane, a_plane) = rest.split_at_mut(2 * n);
            y_plane
                .par_chunks_mut(2 * w)
                .zip(cb_plane.par_chunks_mut(2 * w))
                .zip(cr_plane.par_chunks_mut(2 * w))
                .zip(a_plane.par_chunks_mut(2 * w))
                .zip(rows)
                .for_each(|((((y_row, cb_row), cr_row), a_row), src)| {
                    for x in 0..w {
                        let v = rgb(src, x);
                        put16(y_row, x, luma_code(v[0], 10));
                        put16(cb_row, x, chroma_code(v[1], 10));
                        put16(cr_row, x, chroma_code(v[2], 10));
                        let a = src[4 * x + 3];
                        let a = if a > 0.0 { a.min(1.0) } else { 0.0 };
                        put16(a_row, x, (a * 1023.0).round() as u16);
                    }
                });
        }
        Layout::Yuv420p8 => yuv420p8(rgba, w, h, out),
    }
}

/// 8-bit 4:2:0 planes (H.264), chroma averaged over each 2x2 block.
fn yuv420p8(rgba: &[f32], w: usize, h: usize, out: &mut [u8]) {
    let n = w * h;
    let ycc: Vec<[f32; 3]> = rgba
        .chunks_exact(4)
        .take(n)
        .map(|p| ycbcr([p[0], p[1], p[2]]))
        .collect();
    let (y_plane, c) = out.split_at_mut(n);
    let (cb_plane, cr_plane) = c.split_at_mut(n / 4);
    for (d, v) in y_plane.iter_mut().zip(&ycc) {
        *d = luma_code(v[0], 8) as u8;
    }
    let cw = w / 2;
    for cy in 0..h / 2 {
        for cx in 0..cw {
            let at = |dx: usize, dy: usize| ycc[(2 * cy + dy) * w + 2 * cx + dx];
            let q = [at(0, 0), at(1, 0), at(0, 1), at(1, 1)];
            let cb = q.iter().map(|v| v[1]).sum::<f32>() * 0.25;
            let cr = q.iter().map(|v| v[2]).sum::<f32>() * 0.25;
            cb_plane[cy * cw + cx] = chroma_code(cb, 8) as u8;
            cr_plane[cy * cw + cx] = chroma_code(cr, 8) as u8;
        }
    }
}

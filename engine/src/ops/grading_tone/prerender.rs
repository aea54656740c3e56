//! The grading tone op's constants as OpenColorIO's
//! `GradingTonePreRender::update` computes them (`GradingTone.cpp`): the
//! zone bounds in f64, then each zone's knots, values and slopes in f32,
//! same casts and order of operations.

use super::prepared::{Bend, GradingTonePrepared, Mids, SContrast, Toe};
use super::{GradingTone, GradingToneStyle};

/// OpenColorIO's `Clamp`: `min(max(lo, a), hi)`.
fn clamp(a: f32, lo: f32, hi: f32) -> f32 {
    let a = if lo < a { a } else { lo };
    if hi < a {
        hi
    } else {
        a
    }
}

/// `std::max(lo, v)` (finite values only).
fn at_least(lo: f32, v: f32) -> f32 {
    if lo < v {
        v
    } else {
        lo
    }
}

/// `FauxCubicFwdEval` as the bends call it: from (x0, x0) to (x2, x2),
/// the middle knot halfway.
fn faux_cubic_fwd(t: f64, x0: f64, x2: f64, m0: f64, m2: f64) -> f64 {
    let (y0, y2, x1) = (x0, x2, x0 + (x2 - x0) * 0.5);
    let y1 = (0.5 / ((x2 - x1) + (x1 - x0)))
        * ((2. * y0 + m0 * (x1 - x0)) * (x2 - x1) + (2. * y2 - m2 * (x2 - x1)) * (x1 - x0));
    let tl = (t - x0) / (x1 - x0);
    let tr = (t - x1) / (x2 - x1);
    let fl = y0 * (1. - tl * tl) + y1 * tl * tl + m0 * (1. - tl) * tl * (x1 - x0);
    let fr = y1 * (1. - tr) * (1. - tr) + y2 * (2. - tr) * tr + m2 * (tr - 1.) * tr * (x2 - x1);
    let mut res = if t < x1 { fl } else { fr };
    if t < x0 {
        res = y0 + (t - x0) * m0;
    }
    if t > x2 {
        res = y2 + (t - x2) * m2;
    }
    res
}

/// `FauxCubicRevEval`, likewise.
fn faux_cubic_rev(t: f64, x0: f64, x2: f64, m0: f64, m2: f64) -> f64 {
    let (y0, y2, x1) = (x0, x2, x0 + (x2 - x0) * 0.5);
    let y1 = (0.5 / ((x2 - x1) + (x1 - x0)))
        * ((2. * y0 + m0 * (x1 - x0)) * (x2 - x1) + (2. * y2 - m2 * (x2 - x1)) * (x1 - x0));
    let cl = y0 - t;
    let bl = m0 * (x1 - x0);
    let al = y1 - y0 - m0 * (x1 - x0);
    let dl = (bl * bl - 4. * al * cl).sqrt();
    let out_l = (2. * cl) / (-dl - bl) * (x1 - x0) + x0;
    let cr = y1 - t;
    let br = 2. * y2 - 2. * y1 - m2 * (x2 - x1);
    let ar = y1 - y2 + m2 * (x2 - x1);
    let dr = (br * br - 4. * ar * cr).sqrt();
    let out_r = (2. * cr) / (-dr - br) * (x2 - x1) + x1;
    let mut res = if t < y1 { out_l } else { out_r };
    if t < y0 {
        res = x0 + (t - y0) / m0;
    }
    if t > y2 {
        res = x2 + (t - y2) / m2;
    }
    res
}

/// `HighlightFwdEval` and `ShadowFwdEval`: where the highlight (shadow)
/// bend moves `t`.
fn bend_eval(t: f64, x0: f64, x2: f64, val: f64, shadow: bool) -> f64 {
    let val = if shadow { val } else { 2. - val };
    let slope = |v: f64| if v < 0.01 { 0.01 } else { v };
    let (m, reverse) = if val <= 1. { (slope(val), false) } else { (slope(2. - val), true) };
    let (m0, m2) = if shadow { (m, 1.) } else { (1., m) };
    if reverse {
        faux_cubic_rev(t, x0, x2, m0, m2)
    } else {
        faux_cubic_fwd(t, x0, x2, m0, m2)
    }
}

/// The style's range: top, top of the S-contrast, bottom and pivot
/// (`GradingTonePreRender::FromStyle`).
fn range(style: GradingToneStyle) -> (f32, f32, f32, f32) {
    if style.is_lin() {
        (7.5, 6.5, -5.5, 0.0)
    } else {
        (1.0, 1.0, 0.0, 0.4)
    }
}

/// Everything `GradingTonePreRender::update` computes for `v`.
pub fn prerender(v: &GradingTone) -> GradingTonePrepared {
    let mut p = GradingTonePrepared {
        style: v.style,
        bypass: v.is_identity(),
        channels: Default::default(),
        s_contrast: SContrast::default(),
    };
    if p.bypass {
        return p;
    }
    let (top, top_sc, bottom, pivot) = range(v.style);
    let h = &v.highlights;
    let highlights_start = if h.start > h.width - 0.01 { h.width - 0.01 } else { h.start };
    let highlights_pivot = h.width;
    let w = &v.whites;
    let new_start = bend_eval(w.start, highlights_start, highlights_pivot, h.rgbm[3], false);
    let new_end = bend_eval(w.start + w.width, highlights_start, highlights_pivot, h.rgbm[3], false);
    let (whites_start, whites_width) = (new_start, new_end - new_start);
    let s = &v.shadows;
    let shadows_start = if s.start < s.width + 0.01 { s.width + 0.01 } else { s.start };
    let shadows_pivot = s.width;
    let b = &v.blacks;
    let new_start = bend_eval(b.start, shadows_pivot, shadows_start, s.rgbm[3], true);
    let new_end = bend_eval(b.start - b.width, shadows_pivot, shadows_start, s.rgbm[3], true);
    let (blacks_start, blacks_width) = (new_start, new_start - new_end);

    for (c, ch) in p.channels.iter_mut().enumerate() {
        ch.mids = mids(v, c, top, bottom);
        ch.highlights = bend(h.rgbm[c] as f32, highlights_start as f32, highlights_pivot as f32, false);
        ch.shadows = bend(s.rgbm[c] as f32, shadows_start as f32, shadows_pivot as f32, true);
        ch.whites = toe(v.whites.rgbm[c] as f32, whites_start as f32, whites_width as f32, false);
        ch.blacks = toe(v.blacks.rgbm[c] as f32, blacks_start as f32, blacks_width as f32, true);
    }
    p.s_contrast = s_contrast(v.s_contrast as f32, top_sc, bottom, pivot);
    p
}

/// `mids_precompute` for channel `c` (3: master).
fn mids(v: &GradingTone, c: usize, top: f32, bottom: f32) -> Mids {
    const HALO: f32 = 0.4;
    let mut mid_adj = clamp(v.midtones.rgbm[c] as f32, 0.01, 1.99);
    if mid_adj == 1.0 {
        return Mids::default();
    }
    let (x0, x5) = (bottom, top);
    let max_width = (x5 - x0) * 0.95;
    let width = clamp(v.midtones.width as f32, 0.01, max_width);
    let min_cent = x0 + width * 0.51;
    let max_cent = x5 - width * 0.51;
    let center = clamp(v.midtones.start as f32, min_cent, max_cent);
    let x1 = center - width * 0.5;
    let x4 = x1 + width;
    let x2 = x1 + (x4 - x1) * 0.25;
    let x3 = x1 + (x4 - x1) * 0.75;
    let y0 = x0;
    let (m0, m5) = (1.0f32, 1.0f32);
    let min_slope = 0.1f32;
    mid_adj -= 1.0;
    mid_adj *= 1.0 - min_slope;
    let m2 = 1.0 + mid_adj;
    let m3 = 1.0 - mid_adj;
    let mut m1 = 1.0 + mid_adj * HALO;
    let mut m4 = 1.0 - mid_adj * HALO;
    if center <= (x5 + x0) * 0.5 {
        let area = (x1 - x0) * (m1 - m0) * 0.5
            + (x2 - x1) * ((m1 - m0) + (m2 - m1) * 0.5)
            + (center - x2) * (m2 - m0) * 0.5;
        m4 = (-0.5 * (x5 - x4) * m5 + (x4 - x3) * (0.5 * m3 - m5) + (x3 - center) * (m3 - m5) * 0.5 + area)
            / (-0.5 * (x5 - x3));
    } else {
        let area = (x5 - x4) * (m4 - m5) * 0.5
            + (x4 - x3) * ((m4 - m5) + (m3 - m4) * 0.5)
            + (x3 - center) * (m3 - m5) * 0.5;
        m1 = (-0.5 * (x1 - x0) * m0 + (x2 - x1) * (0.5 * m2 - m0) + (center - x2) * (m2 - m0) * 0.5 + area)
            / (-0.5 * (x2 - x0));
    }
    let y1 = y0 + (m0 + m1) * (x1 - x0) * 0.5;
    let y2 = y1 + (m1 + m2) * (x2 - x1) * 0.5;
    let y3 = y2 + (m2 + m3) * (x3 - x2) * 0.5;
    let y4 = y3 + (m3 + m4) * (x4 - x3) * 0.5;
    let y5 = y4 + (m4 + m5) * (x5 - x4) * 0.5;
    Mids {
        on: true,
        x: [x0, x1, x2, x3, x4, x5],
        y: [y0, y1, y2, y3, y4, y5],
        m: [m0, m1, m2, m3, m4, m5],
    }
}

/// `highlightShadow_precompute` of one channel's value.
fn bend(value: f32, start: f32, pivot: f32, shadow: bool) -> Bend {
    let val = if shadow { value } else { 2.0 - value };
    if val == 1.0 {
        return Bend::default();
    }
    let x0 = if shadow { pivot } else { start };
    let x2 = if shadow { start } else { pivot };
    let (y0, y2) = (x0, x2);
    let x1 = x0 + (x2 - x0) * 0.5;
    let (m0, m2, y1);
    if val < 1.0 {
        m0 = if shadow { at_least(0.01, val) } else { 1.0 };
        m2 = if shadow { 1.0 } else { at_least(0.01, val) };
        y1 = (0.5 / (x2 - x0)) * ((2.0 * y0 + m0 * (x1 - x0)) * (x2 - x1) + (2.0 * y2 - m2 * (x2 - x1)) * (x1 - x0));
    } else {
        m0 = if shadow { at_least(0.01, 2.0 - val) } else { 1.0 };
        m2 = if shadow { 1.0 } else { at_least(0.01, 2.0 - val) };
        y1 = (0.5 / ((x2 - x1) + (x1 - x0)))
            * ((2.0 * y0 + m0 * (x1 - x0)) * (x2 - x1) + (2.0 * y2 - m2 * (x2 - x1)) * (x1 - x0));
    }
    Bend {
        mode: if val < 1.0 { 1 } else { 2 },
        x: [x0, x1, x2],
        y: [y0, y1, y2],
        m0,
        m2,
    }
}

/// `whiteBlack_precompute` of one channel's value, with the constants of
/// the whites' quadratic extrapolation that the per-pixel code computes
/// from them (`ComputeWBFwd`/`ComputeWBRev`), in the same operations.
fn toe(val: f32, start: f32, width: f32, black: bool) -> Toe {
    let x0 = if black { start - width } else { start };
    let x1 = if black { start } else { x0 + width };
    let mtest = if black { 2.0 - val } else { val };
    let mut t = Toe {
        x0,
        x1,
        ..Toe::default()
    };
    if mtest < 1.0 {
        t.mode = 1;
        if black {
            t.m0 = at_least(0.01, 2.0 - val);
            t.m1 = 1.0;
            t.y1 = x1;
            t.y0 = t.y1 - (t.m0 + t.m1) * (x1 - x0) * 0.5;
        } else {
            t.m0 = 1.0;
            t.m1 = at_least(0.01, val);
            t.y0 = x0;
            t.y1 = t.y0 + (t.m0 + t.m1) * (x1 - x0) * 0.5;
        }
    } else if mtest > 1.0 {
        t.mode = 2;
        if black {
            t.m0 = at_least(0.01, val);
            t.m1 = 1.0;
            t.y1 = x1;
            t.y0 = t.y1 - (t.m0 + t.m1) * (x1 - x0) * 0.5;
        } else {
            t.m0 = 1.0;
            t.m1 = at_least(0.01, 2.0 - val);
            t.y0 = x0;
        }
        t.gain = (t.m0 + t.m1) * 0.5;
        if !black {
            let (m0, m1, gain) = (t.m0, t.m1, t.gain);
            let new_y1 = (x1 - x0) / gain + x0;
            let xd = x0 + (x1 - x0) * 0.99;
            let mut md = m0 + (xd - x0) * (m1 - m0) / (x1 - x0);
            md = 1.0 / md;
            t.aa = 0.5 * (1.0 / m1 - md) / (x1 - xd);
            t.bb = 1.0 / m1 - 2.0 * t.aa * x1;
            t.cc = new_y1 - t.bb * x1 - t.aa * x1 * x1;
            t.brk = (t.aa * x1 + t.bb) * x1 + t.cc;
        }
    }
    t
}

/// `scontrast_precompute`, with the contrast limited as the per-pixel code
/// does.
fn s_contrast(contrast: f32, top_sc: f32, bottom: f32, pivot: f32) -> SContrast {
    if contrast == 1.0 {
        return SContrast::default();
    }
    let contrast = if contrast > 1.0 {
        1.0 / (1.8125 - 0.8125 * if contrast < 1.99 { contrast } else { 1.99 })
    } else {
        0.28125 + 0.71875 * at_least(0.01, contrast)
    };
    let top = {
        let x3 = top_sc;
        let y3 = top_sc;
        let y0 = pivot + (y3 - pivot) * 0.25;
        let m0 = contrast;
        let x0 = pivot + (y0 - pivot) / m0;
        let min_width = (x3 - x0) * 0.3;
        let mut m3 = 1.0 / m0;
        let center = (y3 - y0 - m3 * x3 + m0 * x0) / (m0 - m3);
        let mut x1 = x0;
        let mut x2 = 2.0 * center - x1;
        if x2 > x3 {
            x2 = x3;
            x1 = 2.0 * center - x2;
        } else if (x2 - x1) < min_width {
            x2 = x1 + min_width;
            let new_center = (x2 + x1) * 0.5;
            m3 = (y3 - y0 + m0 * x0 - new_center * m0) / (x3 - new_center);
        }
        let y1 = y0;
        let y2 = y1 + (m0 + m3) * (x2 - x1) * 0.5;
        [x1, x2, y1, y2, m0, m3]
    };
    let low = {
        let x0 = bottom;
        let y0 = bottom;
        let y3 = pivot - (pivot - y0) * 0.25;
        let m3 = contrast;
        let x3 = pivot - (pivot - y3) / m3;
        let min_width = (x3 - x0) * 0.3;
        let mut m0 = 1.0 / m3;
        let center = (y3 - y0 - m3 * x3 + m0 * x0) / (m0 - m3);
        let mut x2 = x3;
        let mut x1 = 2.0 * center - x2;
        if x1 < x0 {
            x1 = x0;
            x2 = 2.0 * center - x1;
        } else if (x2 - x1) < min_width {
            x1 = x2 - min_width;
            let new_center = (x2 + x1) * 0.5;
            m0 = (y3 - y0 - m3 * x3 + new_center * m3) / (new_center - x0);
        }
        let y2 = y3;
        let y1 = y2 - (m0 + m3) * (x2 - x1) * 0.5;
        [x1, x2, y1, y2, m0, m3]
    };
    SContrast {
        on: true,
        contrast,
        pivot,
        top,
        bottom: low,
    }
}

//! The grading tone op's zones per pixel: the midtones' five quadratic
//! segments, the highlight and shadow bends, the whites and blacks toes
//! and the S-contrast, each forward and inverse, in OpenColorIO's f32
//! operations (`GradingToneOpCPU.cpp`). Their constants come from
//! [`super::prerender`]; [`super::GradingTonePrepared`] runs them in order.

/// The midtones' six knots, values and slopes.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Mids {
    pub on: bool,
    pub x: [f32; 6],
    pub y: [f32; 6],
    pub m: [f32; 6],
}

/// A highlight or shadow bend: three knots, end slopes m0 and m2.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Bend {
    pub mode: u8,
    pub x: [f32; 3],
    pub y: [f32; 3],
    pub m0: f32,
    pub m2: f32,
}

/// A whites or blacks toe, and the whites' extrapolation (aa, bb, cc and
/// its break).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Toe {
    pub mode: u8,
    pub x0: f32,
    pub x1: f32,
    pub y0: f32,
    pub y1: f32,
    pub m0: f32,
    pub m1: f32,
    pub gain: f32,
    pub aa: f32,
    pub bb: f32,
    pub cc: f32,
    pub brk: f32,
}

/// The S-contrast: the contrast about the pivot, with a top and a bottom
/// roll-off (x1, x2, y1, y2, m0, m3 each).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SContrast {
    pub on: bool,
    pub contrast: f32,
    pub pivot: f32,
    pub top: [f32; 6],
    pub bottom: [f32; 6],
}


/// `(t - x0) / (x1 - x0)` then the quadratic segment from (x0, y0) with
/// slopes m0 to m1.
#[inline(always)]
fn segment(t: f32, x0: f32, x1: f32, y0: f32, m0: f32, m1: f32) -> f32 {
    let u = (t - x0) / (x1 - x0);
    u * (x1 - x0) * (u * 0.5 * (m1 - m0) + m0) + y0
}

/// The root of a segment for value `t` (OpenColorIO's
/// `(2c) / (-discrim - b)` form).
#[inline(always)]
fn segment_rev(t: f32, x0: f32, x1: f32, y0: f32, m0: f32, m1: f32) -> f32 {
    let c = y0 - t;
    let b = m0 * (x1 - x0);
    let a = 0.5 * (m1 - m0) * (x1 - x0);
    let discrim = (b * b - 4.0 * a * c).sqrt();
    let tmp = (2.0 * c) / (-discrim - b);
    tmp * (x1 - x0) + x0
}

/// The midtones of one red, green or blue value (OpenColorIO's scalar
/// branch order).
#[inline(always)]
pub(super) fn mids_fwd(t: f32, k: &Mids) -> f32 {
    let (x, y, m) = (&k.x, &k.y, &k.m);
    let f = |i: usize| segment(t, x[i], x[i + 1], y[i], m[i], m[i + 1]);
    let mut res = if t < x[1] { f(0) } else { f(1) };
    if t > x[2] {
        res = f(2);
    }
    if t > x[3] {
        res = f(3);
    }
    if t > x[4] {
        res = f(4);
    }
    if t < x[0] {
        res = y[0] + (t - x[0]) * m[0];
    }
    if t > x[5] {
        res = y[5] + (t - x[5]) * m[5];
    }
    res
}

/// The master midtones of one value (OpenColorIO's vector branch order).
#[inline(always)]
pub(super) fn mids_fwd_master(t: f32, k: &Mids) -> f32 {
    let (x, y, m) = (&k.x, &k.y, &k.m);
    let f = |i: usize| segment(t, x[i], x[i + 1], y[i], m[i], m[i + 1]);
    let below = (t - x[0]) * m[0] + y[0];
    let above = (t - x[5]) * m[5] + y[5];
    let mut res = if t < x[1] { f(0) } else { f(1) };
    res = if t < x[2] { res } else { f(2) };
    res = if t < x[3] { res } else { f(3) };
    res = if t < x[4] { res } else { f(4) };
    res = if t < x[0] { below } else { res };
    if t < x[5] {
        res
    } else {
        above
    }
}

/// The inverse midtones of one red, green or blue value. Above y5
/// OpenColorIO's scalar code extends the first segment's line, as here.
#[inline(always)]
pub(super) fn mids_rev(t: f32, k: &Mids) -> f32 {
    let (x, y, m) = (&k.x, &k.y, &k.m);
    let f = |i: usize| segment_rev(t, x[i], x[i + 1], y[i], m[i], m[i + 1]);
    if t >= y[5] {
        x[0] + (t - y[0]) / m[0]
    } else if t >= y[4] {
        f(4)
    } else if t >= y[3] {
        f(3)
    } else if t >= y[2] {
        f(2)
    } else if t >= y[1] {
        f(1)
    } else if t >= y[0] {
        f(0)
    } else {
        x[0] + (t - y[0]) / m[0]
    }
}

/// The inverse master midtones of one value.
#[inline(always)]
pub(super) fn mids_rev_master(t: f32, k: &Mids) -> f32 {
    let (x, y, m) = (&k.x, &k.y, &k.m);
    let f = |i: usize| segment_rev(t, x[i], x[i + 1], y[i], m[i], m[i + 1]);
    let above = x[5] + (t - y[5]) / m[5];
    let below = x[0] + (t - y[0]) / m[0];
    let mut res = if t < y[1] { f(0) } else { f(1) };
    res = if t < y[2] { res } else { f(2) };
    res = if t < y[3] { res } else { f(3) };
    res = if t < y[4] { res } else { f(4) };
    res = if t < y[0] { below } else { res };
    if t < y[5] {
        res
    } else {
        above
    }
}

/// `ComputeHSFwd`.
#[inline(always)]
fn bend_fwd(t: f32, k: &Bend) -> f32 {
    let ([x0, x1, x2], [y0, y1, y2], m0, m2) = (k.x, k.y, k.m0, k.m2);
    let tl = (t - x0) / (x1 - x0);
    let tr = (t - x1) / (x2 - x1);
    let fl = y0 * (1.0 - tl * tl) + y1 * tl * tl + m0 * (1.0 - tl) * tl * (x1 - x0);
    let fr = y1 * (1.0 - tr) * (1.0 - tr) + y2 * (2.0 - tr) * tr + m2 * (tr - 1.0) * tr * (x2 - x1);
    let mut res = if t < x1 { fl } else { fr };
    res = if t < x0 { (t - x0) * m0 + y0 } else { res };
    if t < x2 {
        res
    } else {
        (t - x2) * m2 + y2
    }
}

/// `ComputeHSRev`.
#[inline(always)]
fn bend_rev(t: f32, k: &Bend) -> f32 {
    let ([x0, x1, x2], [y0, y1, y2], m0, m2) = (k.x, k.y, k.m0, k.m2);
    let bl = m0 * (x1 - x0);
    let al = y1 - y0 - m0 * (x1 - x0);
    let cl = y0 - t;
    let dl = (bl * bl - 4.0 * al * cl).sqrt();
    let out_l = (-2.0 * cl) / (dl + bl) * (x1 - x0) + x0;
    let br = 2.0 * y2 - 2.0 * y1 - m2 * (x2 - x1);
    let ar = y1 - y2 + m2 * (x2 - x1);
    let cr = y1 - t;
    let dr = (br * br - 4.0 * ar * cr).sqrt();
    let out_r = (-2.0 * cr) / (dr + br) * (x2 - x1) + x1;
    let mut res = if t < y1 { out_l } else { out_r };
    res = if t < y0 { (t - y0) / m0 + x0 } else { res };
    if t < y2 {
        res
    } else {
        (t - y2) / m2 + x2
    }
}

/// A highlight or shadow bend of one value: a value below 1 bends one way
/// (the forward quadratic), above 1 the other (its inverse); the inverse
/// op swaps them.
#[inline(always)]
pub(super) fn bend(t: f32, k: &Bend, forward: bool) -> f32 {
    match (k.mode, forward) {
        (1, true) | (2, false) => bend_fwd(t, k),
        (1, false) | (2, true) => bend_rev(t, k),
        _ => t,
    }
}

/// The root of the toe's quadratic at `t` (`ComputeWB*`'s discriminant
/// form).
#[inline(always)]
fn toe_root(t: f32, k: &Toe) -> f32 {
    let a = 0.5 * (k.m1 - k.m0) * (k.x1 - k.x0);
    let b = k.m0 * (k.x1 - k.x0);
    let c = k.y0 - t;
    let discrim = (b * b - 4.0 * a * c).sqrt();
    let tmp = (-2.0 * c) / (discrim + b);
    let res = tmp * (k.x1 - k.x0) + k.x0;
    if t < k.y0 {
        k.x0 + (t - k.y0) / k.m0
    } else {
        res
    }
}

/// The toe's quadratic at `t`, the line of slope m0 below x0.
#[inline(always)]
fn toe_eval(t: f32, k: &Toe) -> f32 {
    let res = segment(t, k.x0, k.x1, k.y0, k.m0, k.m1);
    if t < k.x0 {
        k.y0 + (t - k.x0) * k.m0
    } else {
        res
    }
}

/// `ComputeWBFwd` (forward) or `ComputeWBRev` of one value.
#[inline(always)]
pub(super) fn toe(t: f32, k: &Toe, black: bool, forward: bool) -> f32 {
    if k.mode == 1 {
        // Slope decreasing.
        if forward {
            let res = toe_eval(t, k);
            if t < k.x1 {
                res
            } else {
                k.y1 + (t - k.x1) * k.m1
            }
        } else {
            let res = toe_root(t, k);
            if t < k.y1 {
                res
            } else {
                k.x1 + (t - k.y1) / k.m1
            }
        }
    } else if k.mode == 2 {
        // Slope increasing: the curve gained, the whites extrapolated by
        // a quadratic for HDR values.
        let t = if black {
            (t - k.x1) * k.gain + k.x1
        } else {
            (t - k.x0) * k.gain + k.x0
        };
        let mut res = if forward { toe_root(t, k) } else { toe_eval(t, k) };
        if black {
            res = if forward {
                if t < k.y1 {
                    res
                } else {
                    k.x1 + (t - k.y1) / k.m1
                }
            } else if t < k.x1 {
                res
            } else {
                k.y1 + (t - k.x1) * k.m1
            };
            (res - k.x1) / k.gain + k.x1
        } else {
            res = (res - k.x0) / k.gain + k.x0;
            let t = (t - k.x0) / k.gain + k.x0;
            if forward {
                let res1 = (k.aa * t + k.bb) * t + k.cc;
                if t < k.x1 {
                    res
                } else {
                    res1
                }
            } else {
                let c = k.cc - t;
                let discrim = (k.bb * k.bb - 4.0 * k.aa * c).sqrt();
                let res1 = (-2.0 * c) / (discrim + k.bb);
                if t < k.brk {
                    res
                } else {
                    res1
                }
            }
        }
    } else {
        t
    }
}

impl SContrast {
    #[inline(always)]
    pub(super) fn fwd(&self, t: f32) -> f32 {
        let mut out = (t - self.pivot) * self.contrast + self.pivot;
        let [x1, x2, y1, y2, m0, m3] = self.top;
        let res = segment(t, x1, x2, y1, m0, m3);
        out = if t < x1 { out } else { res };
        out = if t < x2 { out } else { y2 + (t - x2) * m3 };
        let [x1, x2, y1, _, m0, m3] = self.bottom;
        let res = segment(t, x1, x2, y1, m0, m3);
        out = if t < x2 { res } else { out };
        if t < x1 {
            y1 + (t - x1) * m0
        } else {
            out
        }
    }

    #[inline(always)]
    pub(super) fn rev(&self, t: f32) -> f32 {
        let root = |[x1, x2, y1, _, m0, m3]: [f32; 6]| {
            let b = m0 * (x2 - x1);
            let a = (m3 - m0) * 0.5 * (x2 - x1);
            let c = y1 - t;
            let discrim = (b * b - 4.0 * a * c).sqrt();
            (x2 - x1) * (-2.0 * c) / (discrim + b) + x1
        };
        let mut out = (t - self.pivot) / self.contrast + self.pivot;
        let [_, x2, y1, y2, _, m3] = self.top;
        out = if t < y1 { out } else { root(self.top) };
        out = if t < y2 { out } else { x2 + (t - y2) / m3 };
        let [x1, _, y1, y2, m0, _] = self.bottom;
        out = if t < y2 { root(self.bottom) } else { out };
        if t < y1 {
            x1 + (t - y1) / m0
        } else {
            out
        }
    }
}

//! The grading tone op's prepared constants ([`GradingTonePrepared`]):
//! what both CPU executors run per pixel and what its packed record
//! carries.
//!
//! Record layout: flags bits 8..15 =
//! [`GradingToneStyle`](crate::ops::GradingToneStyle) index, bit 16
//! bypass; data = offset of the op's table, n = its length
//! ([`TABLE_LEN`]): red, green, blue and master blocks of [`STRIDE`] f32s
//! (midtones at [`MIDS`]: on, x0..x5, y0..y5, m0..m5; highlights at
//! [`HIGHLIGHTS`] and shadows at [`SHADOWS`]: mode, x0..x2, y0..y2, m0,
//! m2; whites at [`WHITES`] and blacks at [`BLACKS`]: mode, x0, x1, y0,
//! y1, m0, m1, gain, aa, bb, cc, brk, then x0 and x1 again, which the GPU
//! gains about so the shader compiler cannot fold `(v + x) - x` to `v`);
//! p0 = (s-contrast on, contrast,
//! pivot, -), p1 = top x1, x2, y1, y2, p2 = top m0, m3, bottom m0, m3, p3
//! = bottom x1, x2, y1, y2. A mode is 0 (no change), 1 (value below 1:
//! highlights/shadows, slope decreasing: whites/blacks) or 2.
//!
//! Per pixel, forward: midtones, highlights, whites, shadows, blacks
//! (each red, green, blue, then master on all three), S-contrast; inverse:
//! S-contrast, blacks, shadows, whites, highlights, midtones (master
//! first), each solving its quadratic. Then min(v, 65504), NaN kept.

#[allow(unused_imports)]
use super::*;
use crate::grade::packed::{self, OpRecord};
use crate::ops::rgb_curve::{lin_log, log_lin};
use crate::ops::{per_pixel, Prepared};

pub use super::zones::{Bend, Mids, SContrast, Toe};
use super::zones::{bend, mids_fwd, mids_fwd_master, mids_rev, mids_rev_master, toe};

const BYPASS: u32 = 1 << 16;

/// Offsets inside a channel's block of the table.
pub const MIDS: usize = 0;
pub const HIGHLIGHTS: usize = 19;
pub const SHADOWS: usize = 28;
pub const WHITES: usize = 37;
pub const BLACKS: usize = 51;
pub const STRIDE: usize = 65;
pub const TABLE_LEN: usize = 4 * STRIDE;

/// One channel's (or master's) zones.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ToneChannel {
    pub mids: Mids,
    pub highlights: Bend,
    pub shadows: Bend,
    pub whites: Toe,
    pub blacks: Toe,
}


#[derive(Debug, Clone, PartialEq)]
pub struct GradingTonePrepared {
    pub style: GradingToneStyle,
    /// OpenColorIO's local bypass: the pixels are left alone.
    pub bypass: bool,
    /// Red, green, blue, master; boxed to keep `PreparedOp` small.
    pub channels: Box<[ToneChannel; 4]>,
    pub s_contrast: SContrast,
}

/// `std::min(v, 65504)`: NaN stays NaN.
#[inline(always)]
fn clamp_max(v: f32) -> f32 {
    if 65504.0 < v {
        65504.0
    } else {
        v
    }
}

impl GradingTonePrepared {
    /// One zone on red, green and blue with their own constants, then on
    /// all three with master's (inverse: master first).
    #[inline(always)]
    fn zone(&self, v: &mut [f32; 3], forward: bool, f: impl Fn(f32, &ToneChannel, bool) -> f32) {
        let master = &self.channels[3];
        if !forward {
            *v = v.map(|x| f(x, master, true));
        }
        for (x, ch) in v.iter_mut().zip(self.channels.iter()) {
            *x = f(*x, ch, false);
        }
        if forward {
            *v = v.map(|x| f(x, master, true));
        }
    }

    #[inline(always)]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        if self.bypass {
            return rgb;
        }
        let lin = self.style.is_lin();
        let mut v = if lin { rgb.map(lin_log) } else { rgb };
        let mids = |x: f32, ch: &ToneChannel, master: bool, fwd: bool| {
            if !ch.mids.on {
                x
            } else if fwd {
                if master {
                    mids_fwd_master(x, &ch.mids)
                } else {
                    mids_fwd(x, &ch.mids)
                }
            } else if master {
                mids_rev_master(x, &ch.mids)
            } else {
                mids_rev(x, &ch.mids)
            }
        };
        let sc = &self.s_contrast;
        if self.style.is_forward() {
            self.zone(&mut v, true, |x, ch, m| mids(x, ch, m, true));
            self.zone(&mut v, true, |x, ch, _| bend(x, &ch.highlights, true));
            self.zone(&mut v, true, |x, ch, _| toe(x, &ch.whites, false, true));
            self.zone(&mut v, true, |x, ch, _| bend(x, &ch.shadows, true));
            self.zone(&mut v, true, |x, ch, _| toe(x, &ch.blacks, true, true));
            if sc.on {
                v = v.map(|x| sc.fwd(x));
            }
        } else {
            if sc.on {
                v = v.map(|x| sc.rev(x));
            }
            self.zone(&mut v, false, |x, ch, _| toe(x, &ch.blacks, true, false));
            self.zone(&mut v, false, |x, ch, _| bend(x, &ch.shadows, false));
            self.zone(&mut v, false, |x, ch, _| toe(x, &ch.whites, false, false));
            self.zone(&mut v, false, |x, ch, _| bend(x, &ch.highlights, false));
            self.zone(&mut v, false, |x, ch, m| mids(x, ch, m, false));
        }
        if lin {
            v = v.map(log_lin);
        }
        v.map(clamp_max)
    }
}

impl Bend {
    fn write(&self, t: &mut [f32]) {
        t[0] = self.mode as f32;
        t[1..4].copy_from_slice(&self.x);
        t[4..7].copy_from_slice(&self.y);
        t[7] = self.m0;
        t[8] = self.m2;
    }

    fn read(t: &[f32]) -> Result<Bend, String> {
        Ok(Bend {
            mode: mode(t[0])?,
            x: [t[1], t[2], t[3]],
            y: [t[4], t[5], t[6]],
            m0: t[7],
            m2: t[8],
        })
    }
}

impl Toe {
    fn write(&self, t: &mut [f32]) {
        let v = [
            self.mode as f32,
            self.x0,
            self.x1,
            self.y0,
            self.y1,
            self.m0,
            self.m1,
            self.gain,
            self.aa,
            self.bb,
            self.cc,
            self.brk,
            self.x0,
            self.x1,
        ];
        t[..14].copy_from_slice(&v);
    }

    fn read(t: &[f32]) -> Result<Toe, String> {
        if t[12].to_bits() != t[1].to_bits() || t[13].to_bits() != t[2].to_bits() {
            return Err("zone anchors differ from its knots".into());
        }
        Ok(Toe {
            mode: mode(t[0])?,
            x0: t[1],
            x1: t[2],
            y0: t[3],
            y1: t[4],
            m0: t[5],
            m1: t[6],
            gain: t[7],
            aa: t[8],
            bb: t[9],
            cc: t[10],
            brk: t[11],
        })
    }
}

fn mode(v: f32) -> Result<u8, String> {
    match v {
        0.0 => Ok(0),
        1.0 => Ok(1),
        2.0 => Ok(2),
        _ => Err(format!("bad zone mode {v}")),
    }
}

impl Prepared for GradingTonePrepared {
    #[inline(always)]
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        GradingTonePrepared::apply(self, rgb)
    }

    #[inline(always)]
    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        per_pixel(r, g, b, |px| GradingTonePrepared::apply(self, px));
    }

    /// The layout in the module docs.
    fn pack(&self, record: &mut OpRecord, data: &mut Vec<f32>) {
        record.flags = self.style.index() << packed::STYLE_SHIFT | if self.bypass { BYPASS } else { 0 };
        record.data = data.len() as u32;
        record.n = TABLE_LEN as u32;
        for ch in self.channels.iter() {
            let mut t = [0.0f32; STRIDE];
            t[MIDS] = if ch.mids.on { 1.0 } else { 0.0 };
            t[MIDS + 1..MIDS + 7].copy_from_slice(&ch.mids.x);
            t[MIDS + 7..MIDS + 13].copy_from_slice(&ch.mids.y);
            t[MIDS + 13..MIDS + 19].copy_from_slice(&ch.mids.m);
            ch.highlights.write(&mut t[HIGHLIGHTS..]);
            ch.shadows.write(&mut t[SHADOWS..]);
            ch.whites.write(&mut t[WHITES..]);
            ch.blacks.write(&mut t[BLACKS..]);
            data.extend_from_slice(&t);
        }
        let sc = &self.s_contrast;
        let (t, b) = (&sc.top, &sc.bottom);
        record.p[0] = [if sc.on { 1.0 } else { 0.0 }, sc.contrast, sc.pivot, 0.0];
        record.p[1] = [t[0], t[1], t[2], t[3]];
        record.p[2] = [t[4], t[5], b[4], b[5]];
        record.p[3] = [b[0], b[1], b[2], b[3]];
    }

    fn unpack(record: &OpRecord, data: &[f32]) -> Result<Self, String> {
        let style = (record.flags & packed::STYLE_MASK) >> packed::STYLE_SHIFT;
        let style = GradingToneStyle::from_index(style).ok_or("unknown grading tone style")?;
        if record.n as usize != TABLE_LEN {
            return Err(format!("table of {} values, not {TABLE_LEN}", record.n));
        }
        let start = record.data as usize;
        let table = data
            .get(start..start + TABLE_LEN)
            .ok_or("table outside the data array")?;
        let mut channels: Box<[ToneChannel; 4]> = Default::default();
        for (ch, t) in channels.iter_mut().zip(table.chunks_exact(STRIDE)) {
            let six = |o: usize| -> [f32; 6] { t[o..o + 6].try_into().unwrap_or_default() };
            ch.mids = Mids {
                on: mode(t[MIDS])? == 1,
                x: six(MIDS + 1),
                y: six(MIDS + 7),
                m: six(MIDS + 13),
            };
            ch.highlights = Bend::read(&t[HIGHLIGHTS..])?;
            ch.shadows = Bend::read(&t[SHADOWS..])?;
            ch.whites = Toe::read(&t[WHITES..])?;
            ch.blacks = Toe::read(&t[BLACKS..])?;
        }
        let p = &record.p;
        Ok(GradingTonePrepared {
            style,
            bypass: record.flags & BYPASS != 0,
            channels,
            s_contrast: SContrast {
                on: mode(p[0][0])? == 1,
                contrast: p[0][1],
                pivot: p[0][2],
                top: [p[1][0], p[1][1], p[1][2], p[1][3], p[2][0], p[2][1]],
                bottom: [p[3][0], p[3][1], p[3][2], p[3][3], p[2][2], p[2][3]],
            },
        })
    }
}

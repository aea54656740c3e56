//! The lut1d op's prepared constants ([`Lut1dPrepared`]): what both CPU
//! executors run per pixel and what its packed record carries.
//!
//! Record layout: flags bit1 `INVERSE`, bit2 `LUT1D_HALF_DOMAIN`; n, data: n
//! entries, table at `data` as n*3 floats (rgb interleaved); p: p0 =
//! domain_min.rgb, p1 = domain_max.rgb, p2 = scale.rgb. Forward: `idx =
//! clamp((in - p0) * p2, 0, n-1)` (NaN -> 0), lerp between `floor` and
//! `ceil`. Half domain (n = 65536): index by the half-float bits of the
//! input, lerp between the two half codes around it. `INVERSE`: the table is
//! the prepared one (each channel negated if decreasing, then made non-
//! decreasing); p3 = first effective index.rgb, p4 = last effective index.rgb
//! (as floats), p5 = sign.rgb (1 or -1); the kernel does an exact search as
//! OpenColorIO's CPU inverse does: `cv = clamp(in*p5, t[p3], t[p4])`, lower
//! bound of cv in `t[p3..p4)`, step back one unless at p3, `delta = (cv -
//! t[lo]) / (t[lo+1] - t[lo])` (0 on a flat spot), `out = (lo + delta) * p2 +
//! p0` where p2 = (max-min)/(n-1). `INVERSE` with `LUT1D_HALF_DOMAIN`
//! (OpenColorIO `InvLut1DRendererHalfCode`): p3/p4 the positive codes'
//! first and last effective index, p0/p1 the negative codes', p5 the sign,
//! p6 = the forward value of 0.0 (the bisect point). An input searches the
//! positive codes when `(sign > 0) == (in >= p6)`, else the negative codes
//! with the sign reversed (blue takes red's reversed sign there, as
//! OpenColorIO does); the result is `h(lo) + delta * (h(lo+1) - h(lo))`
//! with `h` the half value of a code.

#[allow(unused_imports)]
use super::*;
use crate::grade::packed::{self, OpRecord};
use crate::ops::{per_channel, record_table, rgb0, xyz, Prepared};

/// A 1D LUT ready to apply. For the inverse the table is the prepared
/// (increasing, monotonic) one; `scale` is index-per-unit forward and
/// unit-per-index inverse.
#[derive(Debug, Clone, PartialEq)]
pub struct Lut1dPrepared {
    pub table: Vec<[f32; 3]>,
    pub half_domain: bool,
    pub inverse: bool,
    pub domain_min: [f32; 3],
    pub scale: [f32; 3],
    /// Inverse only: first and last effective entries (end of the flat spot
    /// at the start, start of the flat spot at the end).
    pub start: [u32; 3],
    pub end: [u32; 3],
    /// Inverse only: 1 for an increasing channel, -1 for a decreasing one.
    pub flip: [f32; 3],
    /// Half-domain inverse only: `start`/`end` of the negative codes, and
    /// the forward value of 0.0, which picks the half an input inverts in.
    pub neg_start: [u32; 3],
    pub neg_end: [u32; 3],
    pub bisect: [f32; 3],
}

impl Default for Lut1dPrepared {
    fn default() -> Self {
        Lut1dPrepared {
            table: Vec::new(),
            half_domain: false,
            inverse: false,
            domain_min: [0.0; 3],
            scale: [1.0; 3],
            start: [0; 3],
            end: [0; 3],
            flip: [1.0; 3],
            neg_start: [0; 3],
            neg_end: [0; 3],
            bisect: [0.0; 3],
        }
    }
}

impl Lut1dPrepared {
    #[inline]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        let mut out = [0.0f32; 3];
        for (c, o) in out.iter_mut().enumerate() {
            *o = if self.inverse && self.half_domain {
                self.inverse_half1(c, rgb[c])
            } else if self.inverse {
                self.inverse1(c, rgb[c])
            } else if self.half_domain {
                self.half1(c, rgb[c])
            } else {
                self.forward1(c, rgb[c])
            };
        }
        out
    }

    /// Linear interpolation, OpenColorIO's way: the index clamps to the
    /// table (NaN -> 0) and the lerp runs from the high entry towards the
    /// low one so an infinite entry is never multiplied by 0.
    #[inline(always)]
    pub fn forward1(&self, c: usize, x: f32) -> f32 {
        let last = (self.table.len() - 1) as f32;
        let idx = ((x - self.domain_min[c]) * self.scale[c])
            .max(0.0)
            .min(last);
        // idx >= 0 here, so truncation is floor; hi is ceil.
        let lo = idx as usize;
        let hi = if idx > lo as f32 { lo + 1 } else { lo };
        let delta = hi as f32 - idx;
        let a = self.table[hi][c];
        let b = self.table[lo][c];
        (b - a) * delta + a
    }

    /// Half-domain lookup: the input's neighbouring half values bracket it,
    /// interpolated linearly (OpenColorIO `GetEdgeFloatValues`).
    #[inline(always)]
    pub fn half1(&self, c: usize, x: f32) -> f32 {
        let (a, b, fraction) = half_edges(x);
        let va = self.table.get(a as usize).map_or(0.0, |e| e[c]);
        let vb = self.table.get(b as usize).map_or(0.0, |e| e[c]);
        (va - vb) * (1.0 - fraction) + vb
    }

    /// Exact inverse of the linear interpolation: a binary search in the
    /// prepared table (OpenColorIO `FindLutInv`); flat spots give their
    /// first index.
    #[inline(always)]
    pub fn inverse1(&self, c: usize, x: f32) -> f32 {
        let start = self.start[c] as usize;
        let (low, delta) = self.search(c, start, self.end[c] as usize, x * self.flip[c]);
        (low as f32 + delta) * self.scale[c] + self.domain_min[c]
    }

    /// Exact inverse of a half-domain LUT (OpenColorIO `FindLutInvHalf`):
    /// the search runs over the positive or the negative codes, and the
    /// fraction is taken between the half values of the two codes found.
    #[inline(always)]
    pub fn inverse_half1(&self, c: usize, x: f32) -> f32 {
        use half::f16;
        let increasing = self.flip[c] > 0.0;
        let (low, delta) = if increasing == (x >= self.bisect[c]) {
            let (s, e) = (self.start[c] as usize, self.end[c] as usize);
            self.search(c, s, e, x * self.flip[c])
        } else {
            let (s, e) = (self.neg_start[c] as usize, self.neg_end[c] as usize);
            self.search(c, s, e, x * -self.flip[if c == 2 { 0 } else { c }])
        };
        let base = f16::from_bits(low as u16).to_f32();
        let next = f16::from_bits(low.wrapping_add(1) as u16).to_f32();
        base + delta * (next - base)
    }

    /// The lower bound of `x`, clamped to `t[start..=end]`, stepped back
    /// one (unless at start), and the fraction of the way to the next
    /// entry (0 on a flat spot) (OpenColorIO `FindLutInv`).
    #[inline(always)]
    fn search(&self, c: usize, start: usize, end: usize, x: f32) -> (usize, f32) {
        let t = &self.table;
        let cv = x.max(t[start][c]).min(t[end][c]);
        // lower_bound over [start, end): first entry not less than cv.
        let (mut lo, mut count) = (start, end - start);
        while count > 0 {
            let step = count / 2;
            if t[lo + step][c] < cv {
                lo += step + 1;
                count -= step + 1;
            } else {
                count = step;
            }
        }
        let low = if lo > start { lo - 1 } else { lo };
        let high = if low < end { low + 1 } else { low };
        let (vl, vh) = (t[low][c], t[high][c]);
        let delta = if vh > vl { (cv - vl) / (vh - vl) } else { 0.0 };
        (low, delta)
    }
}

/// The two half-float codes around `x` and the fraction of the way from the
/// first to the second.
#[inline(always)]
pub(crate) fn half_edges(x: f32) -> (u16, u16, f32) {
    use half::f16;
    let mut fin = x;
    let mut h = f16::from_f32(x);
    if h.is_infinite() {
        h = if h.is_sign_negative() {
            -f16::MAX
        } else {
            f16::MAX
        };
        fin = h.to_f32();
    }
    let ft = h.to_f32();
    let (a, b);
    if ft.abs() > fin.abs() {
        b = h.to_bits();
        a = b.wrapping_sub(1);
    } else {
        a = h.to_bits();
        let mut nb = a.wrapping_add(1);
        let next = f16::from_bits(nb);
        if next.is_infinite() {
            let m = if next.is_sign_negative() {
                -f16::MAX
            } else {
                f16::MAX
            };
            nb = m.to_bits();
            fin = m.to_f32();
        }
        b = nb;
    }
    let fa = f16::from_bits(a).to_f32();
    let fb = f16::from_bits(b).to_f32();
    let mut fraction = (fin - fa) / (fb - fa);
    if fraction.is_nan() {
        fraction = 0.0;
    }
    (a, b, fraction)
}

impl Prepared for Lut1dPrepared {
    #[inline(always)]
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        Lut1dPrepared::apply(self, rgb)
    }

    #[inline(always)]
    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        if self.inverse && self.half_domain {
            per_channel(r, g, b, |c, x| self.inverse_half1(c, x));
        } else if self.inverse {
            per_channel(r, g, b, |c, x| self.inverse1(c, x));
        } else if self.half_domain {
            per_channel(r, g, b, |c, x| self.half1(c, x));
        } else {
            per_channel(r, g, b, |c, x| self.forward1(c, x));
        }
    }

    /// Flags `INVERSE`, `LUT1D_HALF_DOMAIN`; n entries at `data`, RGB
    /// interleaved; p0 = domain_min, p1 = domain_max (for readers of the
    /// table), p2 = scale; inverse: p3 = first, p4 = last effective index,
    /// p5 = sign per channel.
    fn pack(&self, record: &mut OpRecord, data: &mut Vec<f32>) {
        let l = self;
        if l.inverse {
            record.flags |= packed::INVERSE;
        }
        if l.half_domain {
            record.flags |= packed::LUT1D_HALF_DOMAIN;
        }
        record.n = l.table.len() as u32;
        record.data = data.len() as u32;
        data.extend(l.table.iter().flatten());
        record.p[0] = rgb0(l.domain_min);
        // Kept for readers of the table; the kernel uses p0 and p2.
        record.p[1] = rgb0(std::array::from_fn(|c| {
            if l.inverse {
                l.domain_min[c] + l.scale[c] * (l.table.len() as f32 - 1.0)
            } else {
                l.domain_min[c] + (l.table.len() as f32 - 1.0) / l.scale[c]
            }
        }));
        record.p[2] = rgb0(l.scale);
        record.p[3] = rgb0(l.start.map(|v| v as f32));
        record.p[4] = rgb0(l.end.map(|v| v as f32));
        record.p[5] = rgb0(l.flip);
        if l.inverse && l.half_domain {
            record.p[0] = rgb0(l.neg_start.map(|v| v as f32));
            record.p[1] = rgb0(l.neg_end.map(|v| v as f32));
            record.p[6] = rgb0(l.bisect);
        }
    }

    fn unpack(record: &OpRecord, data: &[f32]) -> Result<Self, String> {
        let n = record.n as usize;
        if n < 2 {
            return Err("1D LUT with fewer than 2 entries".into());
        }
        let half_domain = record.flags & packed::LUT1D_HALF_DOMAIN != 0;
        let inverse = record.flags & packed::INVERSE != 0;
        if half_domain && n != 65536 {
            return Err("half-domain 1D LUT must have 65536 entries".into());
        }
        let idx = |v: [f32; 4]| -> Result<[u32; 3], String> {
            let mut out = [0u32; 3];
            for c in 0..3 {
                let x = v[c];
                if !(x >= 0.0 && (x as usize) < n) {
                    return Err("1D LUT index outside the table".into());
                }
                out[c] = x as u32;
            }
            Ok(out)
        };
        let (start, end) = if inverse {
            (idx(record.p[3])?, idx(record.p[4])?)
        } else {
            ([0; 3], [(n - 1) as u32; 3])
        };
        if (0..3).any(|c| start[c] > end[c]) {
            return Err("1D LUT start after end".into());
        }
        let (neg_start, neg_end) = if inverse && half_domain {
            (idx(record.p[0])?, idx(record.p[1])?)
        } else {
            ([0; 3], [0; 3])
        };
        if (0..3).any(|c| neg_start[c] > neg_end[c]) {
            return Err("1D LUT start after end".into());
        }
        let half_inverse = inverse && half_domain;
        Ok(Lut1dPrepared {
            neg_start,
            neg_end,
            bisect: if half_inverse { xyz(record.p[6]) } else { [0.0; 3] },
            table: record_table(record, data, n)?,
            half_domain,
            inverse,
            domain_min: if half_inverse { [0.0; 3] } else { xyz(record.p[0]) },
            scale: xyz(record.p[2]),
            start,
            end,
            flip: if inverse { xyz(record.p[5]) } else { [1.0; 3] },
        })
    }
}

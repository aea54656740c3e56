//! 1D LUT: one table per channel, linear interpolation over an input domain.
//!
//! Inputs are mapped from `[domain_min, domain_max]` onto the table's index
//! range and clamped to it. A half-domain LUT (CLF `halfDomain`) has 65536
//! entries indexed by the bits of the input as an IEEE half.

use super::Direction;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Lut1d {
    /// `table[i] = [r, g, b]` output at entry i. At least 2 entries.
    pub table: Vec<[f32; 3]>,
    pub domain_min: [f32; 3],
    pub domain_max: [f32; 3],
    /// Entries indexed by half-float bit pattern (CLF halfDomain).
    pub half_domain: bool,
    pub direction: Direction,
}

/// Largest 1D LUT accepted (entries per channel), as a guard on allocation.
pub const MAX_LUT1D_SIZE: usize = 1 << 20;

impl Lut1d {
    pub fn validate(&self) -> Result<(), String> {
        let n = self.table.len();
        if n < 2 {
            return Err(format!("1D LUT needs at least 2 entries, has {n}"));
        }
        if n > MAX_LUT1D_SIZE {
            return Err(format!(
                "1D LUT has {n} entries, more than {MAX_LUT1D_SIZE}"
            ));
        }
        if self.half_domain && n != 65536 {
            return Err(format!("a half-domain 1D LUT needs 65536 entries, has {n}"));
        }
        if self.half_domain && self.direction == Direction::Inverse {
            return Err("the inverse of a half-domain 1D LUT is not supported".into());
        }
        if !self.half_domain {
            for c in 0..3 {
                let (a, b) = (self.domain_min[c], self.domain_max[c]);
                if !(a.is_finite() && b.is_finite() && b > a) {
                    return Err(format!("1D LUT domain max {b} must exceed min {a}"));
                }
            }
        }
        // Half-domain tables may hold NaN/Inf for the NaN/Inf codes.
        if !self.half_domain && self.table.iter().flatten().any(|v| !v.is_finite()) {
            return Err("1D LUT holds a NaN or infinite value".into());
        }
        Ok(())
    }

    /// Always `false`: even an identity ramp clamps inputs to its domain.
    pub fn is_identity(&self) -> bool {
        false
    }

    pub fn inverse(&self) -> Lut1d {
        Lut1d {
            direction: self.direction.flip(),
            ..self.clone()
        }
    }

    pub fn render(&self) -> Lut1dRender {
        let n = self.table.len();
        let mut r = Lut1dRender {
            table: self.table.clone(),
            half_domain: self.half_domain,
            inverse: self.direction == Direction::Inverse,
            domain_min: self.domain_min,
            scale: [1.0; 3],
            start: [0; 3],
            end: [n.saturating_sub(1) as u32; 3],
            flip: [1.0; 3],
        };
        if r.inverse {
            prepare_inverse(&mut r, self);
        } else {
            for c in 0..3 {
                r.scale[c] = ((n as f64 - 1.0)
                    / (self.domain_max[c] as f64 - self.domain_min[c] as f64))
                    as f32;
            }
        }
        r
    }

    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.render().apply(rgb)
    }
}

/// Makes each channel increasing (negating a decreasing one), flattens any
/// non-monotonic part, and finds the flat spots at both ends, as
/// OpenColorIO's inverse 1D LUT renderer does.
fn prepare_inverse(r: &mut Lut1dRender, lut: &Lut1d) {
    let n = r.table.len();
    if n == 0 {
        return;
    }
    for c in 0..3 {
        let increasing = lut.table[n - 1][c] >= lut.table[0][c];
        let sign = if increasing { 1.0f32 } else { -1.0 };
        let mut running = f32::NEG_INFINITY;
        for e in r.table.iter_mut() {
            let v = e[c] * sign;
            running = running.max(v);
            e[c] = running;
        }
        let first = r.table[0][c];
        let last = r.table[n - 1][c];
        let start = r.table.iter().rposition(|e| e[c] == first).unwrap_or(0);
        let end = r.table.iter().position(|e| e[c] == last).unwrap_or(n - 1);
        r.start[c] = start as u32;
        r.end[c] = end.max(start) as u32;
        r.scale[c] =
            ((lut.domain_max[c] as f64 - lut.domain_min[c] as f64) / (n as f64 - 1.0)) as f32;
        r.flip[c] = sign;
    }
}

/// A 1D LUT ready to apply. For the inverse the table is the prepared
/// (increasing, monotonic) one; `scale` is index-per-unit forward and
/// unit-per-index inverse.
#[derive(Debug, Clone, PartialEq)]
pub struct Lut1dRender {
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
}

impl Default for Lut1dRender {
    fn default() -> Self {
        Lut1dRender {
            table: Vec::new(),
            half_domain: false,
            inverse: false,
            domain_min: [0.0; 3],
            scale: [1.0; 3],
            start: [0; 3],
            end: [0; 3],
            flip: [1.0; 3],
        }
    }
}

impl Lut1dRender {
    #[inline]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        let mut out = [0.0f32; 3];
        for (c, o) in out.iter_mut().enumerate() {
            *o = if self.inverse {
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
        let end = self.end[c] as usize;
        let t = &self.table;
        let cv = (x * self.flip[c]).max(t[start][c]).min(t[end][c]);
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
        (low as f32 + delta) * self.scale[c] + self.domain_min[c]
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

#[cfg(test)]
mod tests {
    use super::*;

    fn gamma_lut(n: usize, g: f32) -> Lut1d {
        Lut1d {
            table: (0..n)
                .map(|i| {
                    let x = i as f32 / (n - 1) as f32;
                    [x.powf(g), x.powf(g * 0.5), 1.0 - x]
                })
                .collect(),
            domain_min: [0.0; 3],
            domain_max: [1.0; 3],
            half_domain: false,
            direction: Direction::Forward,
        }
    }

    #[test]
    fn forward_interpolates_and_clamps() {
        let l = gamma_lut(5, 2.0);
        // Entries 1 and 2 are 0.0625 and 0.25; halfway is 0.15625.
        let v = l.apply([0.375, 1.5, -1.0]);
        assert!((v[0] - 0.15625).abs() < 1e-7);
        assert_eq!(v[1], 1.0);
        assert_eq!(v[2], 1.0);
        assert_eq!(l.apply([f32::NAN; 3])[0], 0.0);
    }

    #[test]
    fn inverse_inverts_increasing_and_decreasing_channels() {
        let l = gamma_lut(33, 2.0);
        let inv = l.inverse();
        for i in 0..=200 {
            let x = i as f32 / 200.0;
            let back = inv.apply(l.apply([x; 3]));
            // 2e-6: f32 rounding of the interpolation and of the search.
            for (c, v) in back.iter().enumerate() {
                assert!((v - x).abs() < 2e-6, "{c} {x} -> {v}");
            }
        }
    }

    #[test]
    fn inverse_of_a_flat_start_gives_the_end_of_the_flat_spot() {
        let mut l = gamma_lut(5, 1.0);
        for e in l.table.iter_mut().take(2) {
            e[0] = 0.0;
        }
        let inv = l.inverse();
        // Entries 0 and 1 are both 0: the flat spot ends at index 1 = 0.25.
        assert_eq!(inv.apply([0.0; 3])[0], 0.25);
        assert_eq!(inv.apply([-1.0; 3])[0], 0.25);
        assert_eq!(inv.apply([2.0; 3])[0], 1.0);
    }

    #[test]
    fn half_domain_lookup_is_exact_at_half_values() {
        let table: Vec<[f32; 3]> = (0..65536u32)
            .map(|i| {
                let v = half::f16::from_bits(i as u16).to_f32();
                let v = if v.is_finite() { v * 2.0 } else { 0.0 };
                [v; 3]
            })
            .collect();
        let l = Lut1d {
            table,
            domain_min: [0.0; 3],
            domain_max: [1.0; 3],
            half_domain: true,
            direction: Direction::Forward,
        };
        l.validate().unwrap();
        for &x in &[0.0f32, 0.5, -0.25, 3.0, 1000.0, 1e-5] {
            let got = l.apply([x; 3])[0];
            // Linear in each half interval, so 2x is reproduced to f32 rounding.
            assert!(
                (got - 2.0 * x).abs() <= 1e-6 * x.abs().max(1.0),
                "{x}: {got}"
            );
        }
        assert!(l.apply([f32::INFINITY; 3])[0].is_finite());
        assert!(l.apply([0.123_456_7; 3])[0] > 0.24);
    }
}

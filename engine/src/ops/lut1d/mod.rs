//! 1D LUT: one table per channel, linear interpolation over an input domain.
//!
//! Inputs are mapped from `[domain_min, domain_max]` onto the table's index
//! range and clamped to it. A half-domain LUT (CLF `halfDomain`) has 65536
//! entries indexed by the bits of the input as an IEEE half.

mod prepared;
pub use prepared::*;

use crate::ops::Direction;

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

    pub fn prepare(&self) -> Lut1dPrepared {
        let n = self.table.len();
        let mut r = Lut1dPrepared {
            table: self.table.clone(),
            half_domain: self.half_domain,
            inverse: self.direction == Direction::Inverse,
            domain_min: self.domain_min,
            scale: [1.0; 3],
            start: [0; 3],
            end: [n.saturating_sub(1) as u32; 3],
            flip: [1.0; 3],
            neg_start: [0; 3],
            neg_end: [0; 3],
            bisect: [0.0; 3],
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
        self.prepare().apply(rgb)
    }
}

/// OpenColorIO's set-up of an inverse 1D LUT (`initializeFromForward`
/// and the inverse renderers' tables): each channel is taken as increasing
/// when its first entry (for a half-domain LUT, the entry of 0.0) is below
/// its last (of 1.0), reversals are flattened, the flat spots at both ends
/// found, and the table stored negated where the channel decreases, so the
/// search always runs over increasing values. A half-domain LUT does the
/// same over its positive codes (0 to 65504) and, separately and
/// sign-reversed, over its negative codes (-0 to -65504).
fn prepare_inverse(r: &mut Lut1dPrepared, lut: &Lut1d) {
    let n = r.table.len();
    let mut values = lut.table.clone();
    for c in 0..3 {
        let (low, high) = if lut.half_domain { (0, 15360) } else { (0, n - 1) };
        let increasing = values[low][c] < values[high.min(n - 1)][c];
        let sign = if increasing { 1.0f32 } else { -1.0 };
        r.flip[c] = sign;
        let zero = values[0][c];
        if !lut.half_domain {
            flatten(&mut values, c, 0..n, increasing, zero);
            (r.start[c], r.end[c]) = effective_domain(&values, c, 0, n - 1);
            r.scale[c] =
                ((lut.domain_max[c] as f64 - lut.domain_min[c] as f64) / (n as f64 - 1.0)) as f32;
            for (e, v) in r.table.iter_mut().zip(&values) {
                e[c] = v[c] * sign;
            }
            continue;
        }
        // OpenColorIO stops the positive and negative passes of the green
        // and blue channels one code short of the infinities (its end
        // index leaves out the channel); those entries are never searched.
        let (pos_end, neg_end) = if c == 0 { (31745, 64513) } else { (31744, 64512) };
        flatten(&mut values, c, 0..pos_end, increasing, zero);
        // The previous value of -0 is +0's: the halves may not overlap.
        flatten(&mut values, c, 32768..neg_end, !increasing, zero);
        (r.start[c], r.end[c]) = effective_domain(&values, c, 0, 31743);
        (r.neg_start[c], r.neg_end[c]) = effective_domain(&values, c, 32768, 64511);
        r.bisect[c] = zero;
        r.scale[c] = 1.0;
        for (i, (e, v)) in r.table.iter_mut().zip(&values).enumerate() {
            e[c] = if i < 32768 { v[c] * sign } else { -v[c] * sign };
        }
    }
}

/// OpenColorIO's flattening of reversals over `range` of channel `c`: an
/// entry going the wrong way takes the previous value (`prev` before the
/// first).
fn flatten(
    values: &mut [[f32; 3]],
    c: usize,
    range: std::ops::Range<usize>,
    increasing: bool,
    mut prev: f32,
) {
    let first = range.start;
    for i in range {
        if i == first && first == 0 {
            continue;
        }
        if increasing != (values[i][c] > prev) {
            values[i][c] = prev;
        } else {
            prev = values[i][c];
        }
    }
}

/// First and last effective entries of `[lo, hi]`: past the flat spot at
/// the start, before the flat spot at the end (a constant table gives
/// `(lo, lo)`).
fn effective_domain(values: &[[f32; 3]], c: usize, lo: usize, hi: usize) -> (u32, u32) {
    let mut end = hi;
    while end > lo && values[end - 1][c] == values[hi][c] {
        end -= 1;
    }
    let mut start = lo;
    while start < end && values[start + 1][c] == values[lo][c] {
        start += 1;
    }
    (start as u32, end as u32)
}

impl crate::ops::OpData for Lut1d {
    type Prepared = Lut1dPrepared;

    fn validate(&self) -> Result<(), String> {
        Lut1d::validate(self)
    }

    fn is_identity(&self) -> bool {
        Lut1d::is_identity(self)
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        Ok(vec![crate::ops::Op::Lut1d(self.inverse())])
    }

    fn prepare(&self) -> Lut1dPrepared {
        Lut1d::prepare(self)
    }
}

#[cfg(test)]
mod tests;

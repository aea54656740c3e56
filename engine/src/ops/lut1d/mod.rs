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

/// Makes each channel increasing (negating a decreasing one), flattens any
/// non-monotonic part, and finds the flat spots at both ends, as
/// OpenColorIO's inverse 1D LUT renderer does.
fn prepare_inverse(r: &mut Lut1dPrepared, lut: &Lut1d) {
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

impl crate::ops::OpData for Lut1d {
    type Prepared = Lut1dPrepared;

    fn validate(&self) -> Result<(), String> {
        Lut1d::validate(self)
    }

    fn is_identity(&self) -> bool {
        Lut1d::is_identity(self)
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        use crate::ops::Op;
        use crate::Error;
        if self.half_domain {
            return Err(Error::Unsupported {
                path: None,
                what: "inverting a half-domain 1D LUT".into(),
            });
        }
        Ok(vec![Op::Lut1d(self.inverse())])
    }

    fn prepare(&self) -> Lut1dPrepared {
        Lut1d::prepare(self)
    }
}

#[cfg(test)]
mod tests;

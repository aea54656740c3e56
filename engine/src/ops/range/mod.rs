//! Range, as CLF defines it: `out = (in - min_in) * scale + min_out`, with
//! `scale = (max_out - min_out) / (max_in - min_in)`, clamped to the output
//! bounds that are given unless the style is no-clamp. With only the min
//! pair (or only the max pair) it is an offset and a one-sided clamp.

mod prepared;
pub use prepared::*;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Range {
    pub min_in: Option<f64>,
    pub max_in: Option<f64>,
    pub min_out: Option<f64>,
    pub max_out: Option<f64>,
    /// CLF style="Clamp" (default) or "noClamp".
    pub clamp: bool,
}

impl Range {
    /// At least one complete pair (min_in with min_out, max_in with
    /// max_out), finite values, and max_in > min_in when both are given.
    pub fn validate(&self) -> Result<(), String> {
        let all: Vec<f64> = [self.min_in, self.max_in, self.min_out, self.max_out]
            .iter()
            .flatten()
            .copied()
            .collect();
        crate::ops::check_finite("Range bounds", &all)?;
        if self.min_in.is_some() != self.min_out.is_some() {
            return Err("Range needs both minInValue and minOutValue, or neither".into());
        }
        if self.max_in.is_some() != self.max_out.is_some() {
            return Err("Range needs both maxInValue and maxOutValue, or neither".into());
        }
        if self.min_in.is_none() && self.max_in.is_none() {
            return Err("Range needs a min pair or a max pair".into());
        }
        if let (Some(a), Some(b)) = (self.min_in, self.max_in) {
            if b <= a {
                return Err(format!("Range maxInValue {b} must exceed minInValue {a}"));
            }
        }
        Ok(())
    }

    /// (scale, offset) of `out = in*scale + offset`, in f64.
    pub fn scale_offset(&self) -> (f64, f64) {
        match (self.min_in, self.min_out, self.max_in, self.max_out) {
            (Some(a), Some(c), Some(b), Some(d)) => {
                let scale = (d - c) / (b - a);
                (scale, c - a * scale)
            }
            (Some(a), Some(c), _, _) => (1.0, c - a),
            (_, _, Some(b), Some(d)) => (1.0, d - b),
            _ => (1.0, 0.0),
        }
    }

    /// No scale, no offset and no clamp.
    pub fn is_identity(&self) -> bool {
        !self.clamp && self.scale_offset() == (1.0, 0.0)
    }

    /// The range mapping outputs back to inputs (in and out swapped), as
    /// OpenColorIO inverts a Range. A clamping range is only a true inverse
    /// inside its bounds.
    pub fn inverse(&self) -> Range {
        Range {
            min_in: self.min_out,
            max_in: self.max_out,
            min_out: self.min_in,
            max_out: self.max_in,
            clamp: self.clamp,
        }
    }

    pub fn prepare(&self) -> RangePrepared {
        let (scale, offset) = self.scale_offset();
        RangePrepared {
            scale: scale as f32,
            offset: offset as f32,
            low: self.min_out.map_or(f32::NEG_INFINITY, |v| v as f32),
            high: self.max_out.map_or(f32::INFINITY, |v| v as f32),
            clamp_low: self.clamp && self.min_out.is_some(),
            clamp_high: self.clamp && self.max_out.is_some(),
        }
    }

    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.prepare().apply(rgb)
    }
}

impl crate::ops::OpData for Range {
    type Prepared = RangePrepared;

    fn validate(&self) -> Result<(), String> {
        Range::validate(self)
    }

    fn is_identity(&self) -> bool {
        Range::is_identity(self)
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        use crate::ops::Op;
        
        Ok(vec![Op::Range(self.inverse())])
    }

    fn prepare(&self) -> RangePrepared {
        Range::prepare(self)
    }
}

#[cfg(test)]
mod tests;

//! Range, as CLF defines it: `out = (in - min_in) * scale + min_out`, with
//! `scale = (max_out - min_out) / (max_in - min_in)`, clamped to the output
//! bounds that are given unless the style is no-clamp. With only the min
//! pair (or only the max pair) it is an offset and a one-sided clamp.

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
        super::check_finite("Range bounds", &all)?;
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

    pub fn render(&self) -> RangeRender {
        let (scale, offset) = self.scale_offset();
        RangeRender {
            scale: scale as f32,
            offset: offset as f32,
            low: self.min_out.map_or(f32::NEG_INFINITY, |v| v as f32),
            high: self.max_out.map_or(f32::INFINITY, |v| v as f32),
            clamp_low: self.clamp && self.min_out.is_some(),
            clamp_high: self.clamp && self.max_out.is_some(),
        }
    }

    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.render().apply(rgb)
    }
}

/// `out = in*scale + offset`, then the clamps that apply (NaN becomes the
/// low bound, or the high bound when only that one clamps).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RangeRender {
    pub scale: f32,
    pub offset: f32,
    pub low: f32,
    pub high: f32,
    pub clamp_low: bool,
    pub clamp_high: bool,
}

impl RangeRender {
    #[inline(always)]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        rgb.map(|x| self.apply1(x))
    }

    #[inline(always)]
    pub fn apply1(&self, x: f32) -> f32 {
        let mut v = x * self.scale + self.offset;
        if self.clamp_low {
            v = v.max(self.low);
        }
        if self.clamp_high {
            v = v.min(self.high);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_range_scales_and_clamps() {
        // CLF example: 64..940 (10-bit legal) -> 0..1.
        let r = Range {
            min_in: Some(64.0 / 1023.0),
            max_in: Some(940.0 / 1023.0),
            min_out: Some(0.0),
            max_out: Some(1.0),
            clamp: true,
        };
        let out = r.apply([64.0 / 1023.0, 940.0 / 1023.0, 2.0]);
        assert!(out[0].abs() < 1e-6 && (out[1] - 1.0).abs() < 1e-6 && out[2] == 1.0);
        assert_eq!(r.apply([f32::NAN; 3])[0], 0.0);
    }

    #[test]
    fn one_sided_clamp_offsets_and_clamps_one_side() {
        let r = Range {
            min_in: Some(0.1),
            max_in: None,
            min_out: Some(0.0),
            max_out: None,
            clamp: true,
        };
        assert!(r.validate().is_ok());
        let out = r.apply([-1.0, 0.6, 5.0]);
        assert_eq!(out[0], 0.0);
        assert!((out[1] - 0.5).abs() < 1e-7);
        assert!((out[2] - 4.9).abs() < 1e-6);
        let no = Range {
            clamp: false,
            ..r.clone()
        };
        assert!((no.apply([-1.0; 3])[0] + 1.1).abs() < 1e-6);
    }

    #[test]
    fn validate_needs_pairs() {
        let r = Range {
            min_in: Some(0.0),
            max_in: None,
            min_out: None,
            max_out: None,
            clamp: true,
        };
        assert!(r.validate().is_err());
    }
}

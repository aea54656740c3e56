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

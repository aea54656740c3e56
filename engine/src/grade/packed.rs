//! The packed form of a [`Program`](super::Program): one fixed-size
//! `#[repr(C)]` [`OpRecord`] per op plus one shared `f32` data array for LUT
//! tables. The fast CPU executor and the GPU kernel both read exactly this,
//! so parameters are prepared once.
//!
//! Keep in sync with `shaders/program.wgsl` (`struct OpRecord`); a test checks
//! the sizes agree.
//!
//! Layout of `p` per kind (`pN` is `p[N]`, a vec4; unused lanes are 0):
//!
//! | kind | flags | n, data | p |
//! |---|---|---|---|
//! | `KIND_MATRIX` | 0 | - | p0..p2 = rows `(m_i0, m_i1, m_i2, offset_i)` |
//! | `KIND_CDL` | bit0 `CDL_CLAMP` (ASC style), bit1 `INVERSE` | - | p0 = slope.rgb + sat in w, p1 = offset.rgb, p2 = power.rgb |
//! | `KIND_LUT1D` | bit1 `INVERSE`, bit2 `LUT1D_HALF_DOMAIN` | n entries, table at `data` as n*3 floats (rgb interleaved) | p0 = domain_min.rgb, p1 = domain_max.rgb |
//! | `KIND_LUT3D` | bit3 `LUT3D_TRILINEAR` | n = edge size, n^3*3 floats at `data`, red fastest: `((b*n+g)*n+r)*3+c` | p0 = domain_min.rgb, p1 = domain_max.rgb |
//! | `KIND_RANGE` | bit4 `RANGE_CLAMP_LOW`, bit5 `RANGE_CLAMP_HIGH` | - | p0 = scale.rgb, p1 = offset.rgb (`out = in*scale + offset`), p2 = low bound.rgb, p3 = high bound.rgb |
//! | `KIND_LOG` | bits 8..15 = [`LogStyle`](crate::color::LogStyle) index in declaration order | - | p0 = log_side_slope, p1 = log_side_offset, p2 = lin_side_slope, p3 = lin_side_offset, p4 = lin_side_break, p5 = linear_slope (rgb each), p6 = (base, log_offset_at_break_r, _g, _b) |
//! | `KIND_EXPONENT` | bits 8..15 = [`ExponentStyle`](crate::color::ExponentStyle) index | - | p0 = exponent.rgb, p1 = offset.rgb |
//! | `KIND_PRIMARY` | 0 | - | p0 = 2^exposure.rgb, p1 = contrast.rgb + pivot w, p2 = lift.rgb, p3 = gain.rgb, p4 = 1/gamma.rgb, p5 = offset.rgb, p6.x = saturation |
//!
//! Derived values that are constant per op (like `2^exposure`, `1/gamma`,
//! camera-log break values) are computed once here in f64 and stored as f32.

use bytemuck::{Pod, Zeroable};

pub const KIND_MATRIX: u32 = 0;
pub const KIND_CDL: u32 = 1;
pub const KIND_LUT1D: u32 = 2;
pub const KIND_LUT3D: u32 = 3;
pub const KIND_RANGE: u32 = 4;
pub const KIND_LOG: u32 = 5;
pub const KIND_EXPONENT: u32 = 6;
pub const KIND_PRIMARY: u32 = 7;

pub const CDL_CLAMP: u32 = 1 << 0;
pub const INVERSE: u32 = 1 << 1;
pub const LUT1D_HALF_DOMAIN: u32 = 1 << 2;
pub const LUT3D_TRILINEAR: u32 = 1 << 3;
pub const RANGE_CLAMP_LOW: u32 = 1 << 4;
pub const RANGE_CLAMP_HIGH: u32 = 1 << 5;
pub const STYLE_SHIFT: u32 = 8;
pub const STYLE_MASK: u32 = 0xff << STYLE_SHIFT;

/// One op, packed. 128 bytes. Keep in sync with `shaders/program.wgsl`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub struct OpRecord {
    pub kind: u32,
    pub flags: u32,
    /// LUT entry count (1D) or edge size (3D); 0 otherwise.
    pub n: u32,
    /// Offset of this op's table in [`PackedProgram::data`], in f32s.
    pub data: u32,
    pub p: [[f32; 4]; 7],
}

/// A whole program, packed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PackedProgram {
    pub ops: Vec<OpRecord>,
    pub data: Vec<f32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_record_is_128_bytes() {
        // Keep in sync with shaders/program.wgsl: 4 u32 + 7 vec4<f32>.
        assert_eq!(std::mem::size_of::<OpRecord>(), 128);
    }
}

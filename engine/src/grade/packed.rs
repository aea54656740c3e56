//! The packed form of a [`Program`](super::Program): one fixed-size
//! `#[repr(C)]` [`OpRecord`] per op plus one shared `f32` data array for LUT
//! tables. The fast CPU executor and the GPU kernel both read exactly this,
//! so parameters are prepared once.
//!
//! Keep in sync with `engine/src/ops/program.wgsl` (`struct OpRecord`); a test checks
//! the sizes agree.
//!
//! Layout of `p` per kind (`pN` is `p[N]`, a vec4; unused lanes are 0).
//! Every value is the prepared per-pixel constant, computed once on the CPU
//! (in f64 where OpenColorIO does so) and stored as f32; the kernel only
//! evaluates. The per-pixel maths is in `ops/<op>/prepared.rs`
//! (`*Prepared::apply`).
//!
//! `kind` is the op's [`OpKind`](crate::ops::OpKind) (the order of
//! `ops/list.rs`). What `flags`, `n`, `data` and `p` hold is the op's own:
//! see `Prepared::pack` in `ops/<op>/prepared.rs`, whose module docs give
//! the layout.
//!
//! Derived values that are constant per op (like `2^exposure`, `1/gamma`,
//! camera-log break values) are computed once here in f64 and stored as f32.

use bytemuck::{Pod, Zeroable};

use super::{PreparedOp, Program};

pub const CDL_CLAMP: u32 = 1 << 0;
pub const INVERSE: u32 = 1 << 1;
pub const LUT1D_HALF_DOMAIN: u32 = 1 << 2;
pub const LUT3D_TRILINEAR: u32 = 1 << 3;
pub const RANGE_CLAMP_LOW: u32 = 1 << 4;
pub const RANGE_CLAMP_HIGH: u32 = 1 << 5;
pub const STYLE_SHIFT: u32 = 8;
pub const STYLE_MASK: u32 = 0xff << STYLE_SHIFT;

/// One op, packed. 128 bytes. Keep in sync with `engine/src/ops/program.wgsl`.
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

impl Program {
    /// Packs every op into an [`OpRecord`], LUT tables into the shared data.
    /// Ops are expected to be valid ([`Grade::compile`](super::Grade::compile)
    /// checks them); one that is not packs as an identity matrix.
    pub fn pack(&self) -> PackedProgram {
        let mut packed = PackedProgram::default();
        for op in &self.ops {
            let rec = op.prepare().to_record(&mut packed.data);
            packed.ops.push(rec);
        }
        packed
    }
}

impl PackedProgram {
    /// Reads every record back through [`PreparedOp::from_record`], the one
    /// validator of packed records; the message names the op (1-based).
    pub fn unpack(&self) -> std::result::Result<Vec<PreparedOp>, String> {
        self.ops
            .iter()
            .enumerate()
            .map(|(i, r)| {
                PreparedOp::from_record(r, &self.data).map_err(|e| format!("op {}: {e}", i + 1))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_record_is_128_bytes() {
        // Keep in sync with engine/src/ops/program.wgsl: 4 u32 + 7 vec4<f32>.
        assert_eq!(std::mem::size_of::<OpRecord>(), 128);
    }
}

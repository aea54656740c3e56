//! The reference executor: every op, every pixel, one at a time, through
//! the same per-pixel maths as [`crate::grade::Op::apply`]. Slow and
//! obvious; the oracle for the fast path and the GPU.

use crate::grade::Program;

/// Applies `program` to interleaved RGBA f32 pixels in place; alpha is
/// left untouched. A trailing partial pixel (length not a multiple of 4)
/// is left alone.
pub fn apply(program: &Program, rgba: &mut [f32]) {
    // Constants are prepared once per op, as Op::apply would per call.
    let ops = program.prepare();
    for px in rgba.chunks_exact_mut(4) {
        let mut rgb = [px[0], px[1], px[2]];
        for op in &ops {
            rgb = op.apply(rgb);
        }
        px[..3].copy_from_slice(&rgb);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::Op;
    use crate::ops::{Cdl, Matrix};

    #[test]
    fn applies_ops_in_order_and_keeps_alpha() {
        let p = Program {
            ops: vec![
                Op::Matrix(Matrix::scale_offset([2.0; 3], [0.0; 3])),
                Op::Cdl(Cdl::default()),
            ],
        };
        let mut px = [0.25, 0.75, -1.0, 0.5];
        apply(&p, &mut px);
        // 0.75*2 = 1.5 then the ASC clamp: order matters.
        assert_eq!(px, [0.5, 1.0, 0.0, 0.5]);
    }
}

//! Tests of the matrix op: its data, maths and prepared constants.

use super::*;

#[test]
fn inverse_and_compose_give_identity() {
    let a = Matrix {
        m: [[0.6, 0.3, 0.1], [0.05, 0.9, 0.05], [0.02, 0.1, 0.88]],
        offset: [0.01, -0.02, 0.03],
    };
    let i = a.after(&a.inverse().unwrap());
    for r in 0..3 {
        for c in 0..3 {
            let want = if r == c { 1.0 } else { 0.0 };
            assert!((i.m[r][c] - want).abs() < 1e-12);
        }
        assert!(i.offset[r].abs() < 1e-12);
    }
    let zero = Matrix::scale_offset([1.0, 0.0, 1.0], [0.0; 3]);
    assert!(zero.inverse().is_err());
}

#[test]
fn apply_is_m_times_in_plus_offset() {
    let a = Matrix {
        m: [[2.0, 0.0, 0.0], [0.0, 1.0, 1.0], [0.5, 0.0, 0.0]],
        offset: [0.1, 0.0, -0.5],
    };
    assert_eq!(a.apply([1.0, 2.0, 3.0]), [2.1, 5.0, 0.0]);
}

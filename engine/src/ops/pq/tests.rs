//! Tests of the PQ op. Parity with OpenColorIO itself is in
//! `grade::grading_parity`.

use super::*;

#[test]
fn peak_and_reference_white_and_the_inverse() {
    let fwd = Pq {
        style: PqStyle::LinToPq,
    };
    // 10000 nits (100.0 here) is PQ 1; ST 2084's formula in f64 at 100
    // nits (1.0); 2e-6 covers f32.
    assert!((fwd.apply([100.0; 3])[0] - 1.0).abs() < 2e-6);
    let y = 0.01f64.powf(M1);
    let want = ((C1 + C2 * y) / (1.0 + C3 * y)).powf(M2);
    assert!((fwd.apply([1.0; 3])[0] as f64 - want).abs() < 2e-6);
    assert!(fwd.apply([-1.0; 3])[0] < 0.0);
    for v in [0.001f32, 0.18, 1.0, 10.0, 100.0] {
        let back = fwd.inverse().apply(fwd.apply([v; 3]))[0];
        assert!((back - v).abs() <= 1e-4 * v.max(1.0), "{v}: {back}");
    }
}

//! Tests of the surround op. Parity with OpenColorIO itself is in
//! `grade::grading_parity`.

use super::*;
use crate::ops::OpData;

#[test]
fn scales_by_luminance_to_the_gamma_minus_one() {
    let s = Surround {
        style: SurroundStyle::Rec2100Fwd,
        gamma: 1.2,
    };
    s.validate().unwrap();
    // Rec.2100 luminance of a grey is the grey; 2e-6 covers f32.
    let got = s.apply([0.5; 3])[0] as f64;
    assert!((got - 0.5f64.powf(1.2)).abs() < 2e-6, "{got}");
    for rgb in [[0.2f32, 0.5, 0.9], [0.9, 0.1, 0.3], [0.05, 0.06, 0.02]] {
        let back = s.inverse().apply(s.apply(rgb));
        for c in 0..3 {
            assert!((back[c] - rgb[c]).abs() < 1e-5, "{rgb:?}: {back:?}");
        }
    }
    assert!(Surround { gamma: 200.0, ..s }.validate().is_err());
}

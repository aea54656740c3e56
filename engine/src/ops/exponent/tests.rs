//! Tests of the exponent op: its data, maths and prepared constants.

use super::*;

#[test]
fn srgb_moncurve_matches_the_srgb_formula() {
    // sRGB is moncurve gamma 2.4, offset 0.055: IEC 61966-2-1 decoding
    // written out in f64; 2e-6 covers f32 evaluation.
    let e = Exponent {
        style: ExponentStyle::MonCurveFwd,
        exponent: [2.4; 3],
        offset: [0.055; 3],
    };
    for i in 0..=100 {
        let v = i as f64 / 100.0;
        let want = if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        };
        let got = e.apply([v as f32; 3])[0] as f64;
        assert!((got - want).abs() < 2e-6, "{v}: {got} vs {want}");
        let back = e.inverse().apply([got as f32; 3])[0] as f64;
        assert!((back - v).abs() < 2e-6, "{v}: back {back}");
    }
}

#[test]
fn basic_styles_handle_negatives_as_clf_says() {
    let mk = |style| Exponent {
        style,
        exponent: [2.0; 3],
        offset: [0.0; 3],
    };
    assert_eq!(mk(ExponentStyle::BasicFwd).apply([-0.5; 3])[0], 0.0);
    assert_eq!(mk(ExponentStyle::BasicMirrorFwd).apply([-0.5; 3])[0], -0.25);
    assert_eq!(
        mk(ExponentStyle::BasicPassThruFwd).apply([-0.5; 3])[0],
        -0.5
    );
    assert_eq!(mk(ExponentStyle::BasicRev).apply([0.25; 3])[0], 0.5);
    for s in ExponentStyle::ALL {
        assert_eq!(ExponentStyle::from_index(s.index()), Some(s));
    }
}

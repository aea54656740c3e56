//! Tests of the hue curve op: its data, fit and maths. Parity with
//! OpenColorIO itself is in `grade::hue_curve_parity`.

use super::*;
use crate::ops::OpData;

#[test]
fn the_default_curves_leave_pixels_alone() {
    for style in HueCurveStyle::ALL {
        let op = HueCurve::new(style);
        op.validate().unwrap();
        assert!(op.is_identity());
        for rgb in [[0.2f32, 0.5, 0.9], [-0.1, 0.3, 2.0]] {
            assert_eq!(op.apply(rgb), rgb);
        }
    }
}

#[test]
fn every_sample_is_valid_and_undone_by_its_inverse() {
    for style in HueCurveStyle::ALL.into_iter().filter(|s| s.is_forward()) {
        let op = sample(style);
        op.validate().unwrap();
        assert!(!op.is_identity());
        let inv = op.inverse();
        for rgb in [[0.2f32, 0.5, 0.9], [0.9, 0.1, 0.3], [0.35, 0.3, 0.2], [0.7, 0.8, 0.4]] {
            let out = op.apply(rgb);
            assert!(out.iter().zip(rgb).any(|(o, i)| (o - i).abs() > 1e-4), "{style:?} {rgb:?}");
            let back = inv.apply(out);
            for c in 0..3 {
                assert!((back[c] - rgb[c]).abs() < 2e-4, "{style:?} {rgb:?}: {out:?} {back:?}");
            }
        }
    }
}

#[test]
fn bad_curves_are_refused_naming_the_curve() {
    let mut op = sample(HueCurveStyle::VideoFwd);
    op.curves[0].points[4][0] = 1.2;
    let e = op.validate().unwrap_err();
    assert!(e.contains("hue_hue") && e.contains("[0, 1]"), "{e}");
    let mut op = sample(HueCurveStyle::VideoFwd);
    op.curves[4].points[2][1] = 0.1;
    let e = op.validate().unwrap_err();
    assert!(e.contains("sat_sat") && e.contains("below"), "{e}");
    let mut op = sample(HueCurveStyle::VideoFwd);
    op.curves[7].slopes.pop();
    assert!(op.validate().unwrap_err().contains("hue_fx"));
    let mut op = sample(HueCurveStyle::VideoFwd);
    op.curves[1].points[0][1] = f32::NAN;
    assert!(op.validate().is_err());
}

#[test]
fn a_periodic_curve_wraps_around() {
    // A hue-sat curve is the same at hue 0 and hue 1.
    let f = fit::fit(&sample(HueCurveStyle::LogFwd).curves[1], SplineKind::Periodic1);
    assert!((f.eval(0.0) - f.eval(1.0)).abs() < 1e-6, "{} {}", f.eval(0.0), f.eval(1.0));
}

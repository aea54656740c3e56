//! Tests of the grading primary op: its data, maths and prepared
//! constants. Parity with OpenColorIO itself is in `grade::grading_parity`.

use super::*;
use crate::ops::Prepared;

#[test]
fn defaults_are_a_bypass_and_validate() {
    for style in GradingPrimaryStyle::ALL {
        let v = GradingPrimary::new(style);
        v.validate().unwrap();
        assert!(v.is_identity(), "{style:?}");
        assert_eq!(v.apply([0.3, -0.2, 1.5]), [0.3, -0.2, 1.5]);
        assert!(!sample(style).is_identity());
    }
}

#[test]
fn log_brightness_and_contrast_follow_the_formula() {
    // Brightness in 1023rds of 6.25 code values, contrast about 0.5 + pivot/2.
    let v = GradingPrimary {
        brightness: [10.0, 0.0, 0.0, 0.0],
        contrast: [1.0, 1.0, 1.0, 1.5],
        ..GradingPrimary::new(GradingPrimaryStyle::LogFwd)
    };
    let pivot = 0.5 - 0.2 * 0.5;
    for &x in &[0.0f32, 0.2, 0.4, 0.7, 1.0] {
        let want_r = ((x as f64 + 10.0 * 6.25 / 1023.0) - pivot) * 1.5 + pivot;
        let want_g = (x as f64 - pivot) * 1.5 + pivot;
        let got = v.apply([x, x, x]);
        assert!((got[0] as f64 - want_r).abs() < 1e-6, "{x}: {got:?}");
        assert!((got[1] as f64 - want_g).abs() < 1e-6, "{x}: {got:?}");
    }
}

#[test]
fn every_style_is_undone_by_its_inverse() {
    for style in GradingPrimaryStyle::ALL {
        let mut v = sample(style);
        v.clamp_black = -f64::MAX;
        v.clamp_white = f64::MAX;
        v.validate().unwrap();
        for rgb in [[0.2f32, 0.5, 0.9], [0.9, 0.1, 0.3], [0.05, 0.08, 0.02]] {
            let back = v.inverse().apply(v.apply(rgb));
            for c in 0..3 {
                // The 15-bit SSE power both ways.
                assert!((back[c] - rgb[c]).abs() < 2e-4, "{style:?} {rgb:?}: {back:?}");
            }
        }
    }
}

#[test]
fn clamps_and_bad_values() {
    let v = sample(GradingPrimaryStyle::LinFwd);
    let out = v.apply([-4.0, 0.5, 40.0]);
    assert_eq!((out[0], out[2]), (-0.05, 1.5));
    let bad = GradingPrimary {
        gamma: [1.0, 1.0, 0.001, 1.0],
        ..GradingPrimary::new(GradingPrimaryStyle::VideoFwd)
    };
    assert!(bad.validate().is_err());
    let bad = GradingPrimary {
        clamp_black: 2.0,
        clamp_white: 1.0,
        ..GradingPrimary::new(GradingPrimaryStyle::LogFwd)
    };
    assert!(bad.validate().is_err());
}

#[test]
fn the_record_round_trips() {
    for op in samples() {
        let crate::ops::Op::GradingPrimary(v) = op else {
            unreachable!()
        };
        let p = v.prepare();
        let mut r = <crate::grade::packed::OpRecord as bytemuck::Zeroable>::zeroed();
        p.pack(&mut r, &mut Vec::new());
        assert_eq!(GradingPrimaryPrepared::unpack(&r, &[]).unwrap(), p);
    }
}

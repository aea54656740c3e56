//! Tests of the grading tone op: its data, maths and prepared constants.
//! Parity with OpenColorIO itself is in `grade::grading_parity`.

use super::*;
use crate::ops::Prepared;

#[test]
fn defaults_are_a_bypass_and_validate() {
    for style in GradingToneStyle::ALL {
        let v = GradingTone::new(style);
        v.validate().unwrap();
        assert!(v.is_identity(), "{style:?}");
        assert_eq!(v.apply([0.3, -0.2, 1.5]), [0.3, -0.2, 1.5]);
        let s = sample(style);
        s.validate().unwrap();
        assert!(!s.is_identity());
    }
}

#[test]
fn every_style_is_undone_by_its_inverse() {
    for op in samples() {
        let crate::ops::Op::GradingTone(v) = op else {
            unreachable!()
        };
        let inputs: &[[f32; 3]] = if v.style.is_lin() {
            &[[0.18, 0.5, 0.02], [2.0, 0.05, 0.9], [0.01, 8.0, 0.3]]
        } else {
            &[[0.2, 0.5, 0.9], [0.9, 0.1, 0.3], [0.05, 0.45, 0.65]]
        };
        for &rgb in inputs {
            let back = v.inverse().apply(v.apply(rgb));
            for c in 0..3 {
                // Quadratics solved in f32 (and the 15-bit log shaping).
                let tol = if v.style.is_lin() { 2e-3 * rgb[c].max(0.1) } else { 1e-4 };
                assert!((back[c] - rgb[c]).abs() < tol, "{:?} {rgb:?}: {back:?}", v.style);
            }
        }
    }
}

#[test]
fn the_curve_rises_and_stays_below_half_float_max() {
    let v = sample(GradingToneStyle::LogFwd);
    let mut last = [f32::NEG_INFINITY; 3];
    for i in 0..=200 {
        let x = -0.5 + i as f32 * 0.01;
        let out = v.apply([x, x, x]);
        for c in 0..3 {
            assert!(out[c] > last[c], "{x}: {out:?} after {last:?}");
        }
        last = out;
    }
    let lin = sample(GradingToneStyle::LinFwd);
    assert!(lin.apply([1e30, 5e4, 1.0])[0] <= 65504.0);
    assert!(lin.apply([f32::NAN, 0.0, 0.0])[0].is_nan());
}

#[test]
fn bad_values_are_refused() {
    let mut v = GradingTone::new(GradingToneStyle::LogFwd);
    v.midtones.rgbm[1] = 2.5;
    assert!(v.validate().unwrap_err().contains("midtones"));
    let mut v = GradingTone::new(GradingToneStyle::LogFwd);
    v.shadows.start = v.shadows.width;
    assert!(v.validate().unwrap_err().contains("shadows start"));
    let mut v = GradingTone::new(GradingToneStyle::VideoFwd);
    v.s_contrast = f64::NAN;
    assert!(v.validate().is_err());
}

#[test]
fn the_record_round_trips() {
    for op in samples() {
        let crate::ops::Op::GradingTone(v) = op else {
            unreachable!()
        };
        let p = v.prepare();
        let mut r = <crate::grade::packed::OpRecord as bytemuck::Zeroable>::zeroed();
        let mut data = vec![0.5; 3];
        p.pack(&mut r, &mut data);
        assert_eq!(GradingTonePrepared::unpack(&r, &data).unwrap(), p);
        assert!(GradingTonePrepared::unpack(&r, &data[..data.len() - 1]).is_err());
    }
}

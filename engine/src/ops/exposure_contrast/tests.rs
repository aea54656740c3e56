//! Tests of the exposure/contrast op: its data, maths and prepared
//! constants. Parity with OpenColorIO itself is in `grade::grading_parity`.

use super::*;

fn ec(style: ExposureContrastStyle) -> ExposureContrast {
    ExposureContrast {
        style,
        exposure: 0.75,
        contrast: 1.3,
        gamma: 0.9,
        pivot: 0.18,
        log_exposure_step: 0.088,
        log_mid_grey: 0.435,
    }
}

#[test]
fn linear_style_follows_the_documented_formula() {
    // pivot * (in * 2^exposure / pivot)^(contrast * gamma), in f64; 5e-5
    // relative covers OpenColorIO's 15-bit SSE power.
    let e = ec(ExposureContrastStyle::LinearFwd);
    let k = 1.3 * 0.9;
    for &x in &[0.0f32, 0.01, 0.18, 0.5, 1.0, 4.0] {
        let want = 0.18 * (x as f64 * 0.75f64.exp2() / 0.18).powf(k);
        let got = e.apply([x; 3])[0] as f64;
        assert!((got - want).abs() <= 5e-5 * want.max(1.0), "{x}: {got} {want}");
    }
    // Negatives become 0 before the power.
    assert_eq!(e.apply([-0.5; 3]), [0.0; 3]);
}

#[test]
fn log_style_follows_the_documented_formula() {
    let e = ec(ExposureContrastStyle::LogFwd);
    let log_pivot = (0.18f64 / 0.18).log2() * 0.088 + 0.435;
    for &x in &[-0.2f32, 0.0, 0.3, 0.435, 0.9, 1.2] {
        let want = (x as f64 + 0.75 * 0.088 - log_pivot) * (1.3 * 0.9) + log_pivot;
        let got = e.apply([x; 3])[0] as f64;
        assert!((got - want).abs() < 1e-6, "{x}: {got} {want}");
    }
}

#[test]
fn every_style_is_undone_by_its_inverse() {
    for style in ExposureContrastStyle::ALL {
        let e = ec(style);
        e.validate().unwrap();
        for &x in &[0.001f32, 0.05, 0.18, 0.7, 1.0, 3.0] {
            let back = e.inverse().apply(e.apply([x; 3]))[0];
            assert!(
                (back - x).abs() <= 1e-4 * x.max(1.0),
                "{style:?} {x}: {back}"
            );
        }
    }
}

#[test]
fn contrast_one_only_scales_and_keeps_negatives() {
    let e = ExposureContrast {
        exposure: 1.0,
        ..ExposureContrast::default()
    };
    assert_eq!(e.apply([-0.25, 0.5, 2.0]), [-0.5, 1.0, 4.0]);
    assert!(ExposureContrast::default().is_identity());
    assert!(!e.is_identity());
}

#[test]
fn the_record_round_trips() {
    use crate::ops::Prepared;
    for style in ExposureContrastStyle::ALL {
        let p = ec(style).prepare();
        let mut r = <crate::grade::packed::OpRecord as bytemuck::Zeroable>::zeroed();
        p.pack(&mut r, &mut Vec::new());
        assert_eq!(ExposureContrastPrepared::unpack(&r, &[]).unwrap(), p);
    }
    let bad = ExposureContrast {
        pivot: f64::NAN,
        ..ExposureContrast::default()
    };
    assert!(bad.validate().is_err());
}

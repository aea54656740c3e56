//! Tests of the cdl op: its data, maths and prepared constants.

use super::*;

fn cdl(style: CdlStyle, direction: Direction) -> Cdl {
    Cdl {
        id: None,
        slope: [1.2, 0.9, 1.05],
        offset: [0.02, -0.01, 0.0],
        power: [1.1, 0.95, 1.3],
        saturation: 0.8,
        style,
        direction,
    }
}

#[test]
fn asc_forward_matches_the_v1_2_formula() {
    // The ASC CDL v1.2 formula written out in f64; tolerance 1e-6 covers
    // the f32 evaluation.
    let c = cdl(CdlStyle::Asc, Direction::Forward);
    for &x in &[-0.2f32, 0.0, 0.18, 0.5, 0.9, 1.3] {
        let rgb = [x, x * 0.5 + 0.1, 1.0 - x];
        let mut v = [0.0f64; 3];
        for i in 0..3 {
            let t = (rgb[i] as f64 * c.slope[i] + c.offset[i]).clamp(0.0, 1.0);
            v[i] = t.powf(c.power[i]);
        }
        let luma = 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
        let got = c.apply(rgb);
        for i in 0..3 {
            let want = (luma + c.saturation * (v[i] - luma)).clamp(0.0, 1.0);
            assert!((got[i] as f64 - want).abs() < 1e-6, "{x}: {got:?}");
        }
    }
}

#[test]
fn no_clamp_passes_negatives_through_the_power() {
    let mut c = cdl(CdlStyle::NoClamp, Direction::Forward);
    c.saturation = 1.0;
    c.slope = [1.0; 3];
    c.offset = [0.0; 3];
    let got = c.apply([-0.5, 2.0, 0.0]);
    assert_eq!(got[0], -0.5);
    assert!((got[1] - 2.0f32.powf(0.95)).abs() < 1e-6);
    assert_eq!(got[2], 0.0);
}

#[test]
fn nan_becomes_zero_under_clamps() {
    let c = cdl(CdlStyle::Asc, Direction::Forward);
    let got = c.apply([f32::NAN, 0.5, 0.5]);
    assert!(got.iter().all(|v| v.is_finite()));
    let n = cdl(CdlStyle::NoClamp, Direction::Forward).apply([f32::NAN, 0.5, 0.5]);
    assert!(n.iter().all(|v| v.is_finite()), "{n:?}");
}

#[test]
fn reverse_undoes_forward_inside_the_unit_cube() {
    // Dense grid inside [0.05, 0.95] where the forward ASC CDL does not
    // clip; 2e-5 allows for the round trip through two f32 powers.
    for style in [CdlStyle::Asc, CdlStyle::NoClamp] {
        let c = Cdl {
            saturation: 1.0,
            ..cdl(style, Direction::Forward)
        };
        let inv = c.inverse();
        let n = 10;
        for i in 0..n {
            for j in 0..n {
                let rgb = [
                    0.05 + 0.6 * i as f32 / n as f32,
                    0.05 + 0.6 * j as f32 / n as f32,
                    0.3,
                ];
                let back = inv.apply(c.apply(rgb));
                for k in 0..3 {
                    assert!((back[k] - rgb[k]).abs() < 2e-5, "{rgb:?} -> {back:?}");
                }
            }
        }
    }
}

#[test]
fn validate_rejects_bad_values() {
    let mut c = Cdl::default();
    assert!(c.validate().is_ok());
    c.power[1] = 0.0;
    assert!(c.validate().is_err());
    c.power[1] = f64::NAN;
    assert!(c.validate().is_err());
    assert!(!Cdl::default().is_identity());
    assert!(Cdl {
        style: CdlStyle::NoClamp,
        ..Cdl::default()
    }
    .is_identity());
}

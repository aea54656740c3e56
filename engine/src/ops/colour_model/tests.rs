//! Tests of the colour-model op: its data and maths. Parity with
//! OpenColorIO itself is in `grade::grading_parity`.

use super::*;
use crate::ops::{Direction, OpData};

#[test]
fn hsv_of_primaries_and_greys() {
    let hsv = |rgb| {
        ColourModel {
            style: ColourModelStyle::RgbToHsv,
        }
        .apply(rgb)
    };
    assert_eq!(hsv([1.0, 0.0, 0.0]), [0.0, 1.0, 1.0]);
    assert_eq!(hsv([0.0, 0.5, 0.0]), [2.0 * 0.166_666_67, 1.0, 0.5]);
    assert_eq!(hsv([0.18, 0.18, 0.18]), [0.0, 0.0, 0.18]);
}

#[test]
fn xyy_and_uvy_of_d65() {
    // CIE D65 white, XYZ with Y = 1: x = 0.3127, y = 0.3290 (1931) and
    // u' = 0.1978, v' = 0.4683 (1976), to 4 digits as CIE 15 tables them.
    let xyz = [0.950_47, 1.0, 1.088_83];
    let xyy = ColourModel {
        style: ColourModelStyle::XyzToXyy,
    }
    .apply(xyz);
    assert!((xyy[0] - 0.3127).abs() < 1e-4 && (xyy[1] - 0.3290).abs() < 1e-4);
    let uvy = ColourModel {
        style: ColourModelStyle::XyzToUvy,
    }
    .apply(xyz);
    assert!((uvy[0] - 0.1978).abs() < 1e-4 && (uvy[1] - 0.4683).abs() < 1e-4);
    // The white has no chroma in CIELUV.
    let luv = ColourModel {
        style: ColourModelStyle::XyzToLuv,
    }
    .apply(xyz);
    assert!((luv[0] - 1.0).abs() < 1e-5 && luv[1].abs() < 1e-3 && luv[2].abs() < 1e-3);
}

#[test]
fn every_style_is_undone_by_its_inverse() {
    for style in ColourModelStyle::ALL {
        let m = ColourModel { style };
        m.validate().unwrap();
        for rgb in [[0.2f32, 0.5, 0.9], [0.9, 0.1, 0.3], [0.05, 0.06, 0.02], [0.7, 0.8, 0.4]] {
            let back = m.inverse().apply(m.apply(rgb));
            for c in 0..3 {
                assert!((back[c] - rgb[c]).abs() < 1e-5, "{style:?} {rgb:?}: {back:?}");
            }
        }
    }
}

#[test]
fn opencolorio_names_round_trip() {
    for style in ColourModelStyle::ALL {
        let (name, inverse) = style.opencolorio_name();
        let dir = if inverse {
            Direction::Inverse
        } else {
            Direction::Forward
        };
        assert_eq!(ColourModelStyle::from_opencolorio(name, dir), Some(style));
    }
    assert_eq!(
        ColourModelStyle::from_opencolorio("ACES_RedMod03", Direction::Forward),
        None
    );
}

#[test]
fn hsy_puts_magenta_at_hue_0_and_keeps_rec709_luma() {
    for style in [
        ColourModelStyle::RgbToHsyLin,
        ColourModelStyle::RgbToHsyLog,
        ColourModelStyle::RgbToHsyVid,
    ] {
        let hsy = |rgb| ColourModel { style }.apply(rgb);
        let magenta = hsy([1.0, 0.0, 1.0]);
        assert_eq!(magenta[0], 0.0, "{style:?}");
        assert!((magenta[2] - (0.2126 + 0.0722)).abs() < 1e-7);
        assert_eq!(hsy([1.0, 0.0, 0.0])[0], 0.166_666_67);
        let grey = hsy([0.18, 0.18, 0.18]);
        assert_eq!(grey[0], 0.0, "{style:?}");
        assert!(grey[1].abs() < 1e-6, "{style:?}: {grey:?}");
        assert!((grey[2] - 0.18).abs() < 1e-7);
    }
}

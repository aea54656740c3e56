//! Tests of the log curve op: its data and maths. Parity with OpenColorIO
//! itself is in `grade::grading_parity`.

use super::*;
use crate::ops::{Direction, OpData, Prepared};

fn curve(style: LogCurveStyle) -> LogCurve {
    let params = if style.is_gamma_log() {
        HLG.to_vec()
    } else {
        DOUBLE_LOG.to_vec()
    };
    LogCurve { style, params }
}

#[test]
fn hlg_follows_bt2100() {
    // BT.2100's HLG OETF on E in [0, 1]: sqrt(3E) below 1/12, else
    // a ln(12E - b) + c; here E is scaled by 3 (OpenColorIO's E_MAX).
    let hlg = curve(LogCurveStyle::LinToGammaLog);
    let (a, b, c) = (0.178_832_77f64, 0.284_668_92f64, 0.559_910_73f64);
    for e in [0.01f64, 0.05, 1.0 / 12.0 - 1e-4, 0.2, 0.5, 1.0] {
        let want = if e <= 1.0 / 12.0 {
            (3.0 * e).sqrt()
        } else {
            a * (12.0 * e - b).ln() + c
        };
        let got = hlg.apply([(3.0 * e) as f32; 3])[0] as f64;
        assert!((got - want).abs() < 2e-6, "{e}: {got} vs {want}");
    }
    // Mirrored about 0.
    assert_eq!(hlg.apply([-0.5, 0.0, 0.5])[0], -hlg.apply([0.5, 0.0, 0.0])[0]);
}

#[test]
fn every_style_is_undone_by_its_inverse() {
    for style in LogCurveStyle::ALL {
        let f = curve(style);
        f.validate().unwrap();
        let lin = matches!(style, LogCurveStyle::LinToGammaLog | LogCurveStyle::LinToDoubleLog);
        for x in [-0.2f32, -0.0005, 0.0, 0.001, 0.1, 0.18, 0.9, 4.0] {
            // Code values of the inverse styles stay where the curve goes.
            let x = if lin { x } else { x.clamp(-0.1, 1.0) };
            let back = f.inverse().apply(f.apply([x; 3]))[0];
            assert!((back - x).abs() < 2e-5 * x.abs().max(1.0), "{style:?} {x}: {back}");
        }
    }
}

#[test]
fn bad_parameters_are_refused() {
    let mut f = curve(LogCurveStyle::LinToGammaLog);
    f.params.pop();
    assert!(f.validate().unwrap_err().contains("10 parameters"));
    let mut f = curve(LogCurveStyle::LinToGammaLog);
    f.params[0] = 1.0;
    assert!(f.validate().unwrap_err().contains("mirror"));
    let mut f = curve(LogCurveStyle::DoubleLogToLin);
    f.params[0] = -10.0;
    assert!(f.validate().unwrap_err().contains("base"));
    let mut f = curve(LogCurveStyle::LinToDoubleLog);
    f.params[1] = 1.0;
    assert!(f.validate().unwrap_err().contains("break"));
}

#[test]
fn names_and_records_round_trip() {
    for style in LogCurveStyle::ALL {
        let (name, inverse) = style.opencolorio_name();
        let dir = if inverse {
            Direction::Inverse
        } else {
            Direction::Forward
        };
        assert_eq!(LogCurveStyle::from_opencolorio(name, dir), Some(style));
        let p = OpData::prepare(&curve(style));
        let mut r = <crate::grade::packed::OpRecord as bytemuck::Zeroable>::zeroed();
        p.pack(&mut r, &mut Vec::new());
        assert_eq!(LogCurvePrepared::unpack(&r, &[]).unwrap(), p);
    }
}

//! Tests of the log op: its data, maths and prepared constants.

use super::*;

fn cineon_like(style: LogStyle) -> Log {
    let p = LogParams {
        base: 10.0,
        log_side_slope: 0.2,
        log_side_offset: 0.6,
        lin_side_slope: 1.0,
        lin_side_offset: 0.01,
        lin_side_break: Some(0.02),
        linear_slope: None,
    };
    Log {
        style,
        params: [p; 3],
    }
}

#[test]
fn lin_to_log_matches_the_clf_formula_and_inverts() {
    // CLF v3 linToLog written out in f64; 2e-6 covers f32 log2.
    let l = cineon_like(LogStyle::LinToLog);
    for i in 0..=60 {
        let x = i as f64 / 20.0;
        let want = 0.2 * (x + 0.01).log10() + 0.6;
        let got = l.apply([x as f32; 3])[0] as f64;
        assert!((got - want).abs() < 2e-6, "{x}: {got} {want}");
        let back = l.inverse().apply([got as f32; 3])[0] as f64;
        assert!((back - x).abs() < 1e-5 * x.max(1.0), "{x}: {back}");
    }
}

#[test]
fn camera_log_is_continuous_at_the_break_and_inverts() {
    let l = cineon_like(LogStyle::CameraLinToLog);
    l.validate().unwrap();
    let below = l.apply([0.02 - 1e-6; 3])[0];
    let above = l.apply([0.02; 3])[0];
    assert!((below - above).abs() < 1e-5, "{below} {above}");
    for &x in &[-0.1f32, 0.0, 0.01, 0.02, 0.18, 1.0, 4.0] {
        let y = l.apply([x; 3]);
        let back = l.inverse().apply(y)[0];
        assert!((back - x).abs() < 1e-5 * x.abs().max(1.0), "{x}: {back}");
    }
}

#[test]
fn log10_and_antilog10() {
    let l = Log {
        style: LogStyle::Log10,
        params: [LogParams::default(); 3],
    };
    assert!((l.apply([100.0; 3])[0] - 2.0).abs() < 1e-6);
    assert!(l.apply([0.0; 3])[0] < -30.0);
    assert!((l.inverse().apply([2.0; 3])[0] - 100.0).abs() < 1e-4);
    for s in LogStyle::ALL {
        assert_eq!(LogStyle::from_index(s.index()), Some(s));
    }
}

//! Tests of the range op: its data, maths and prepared constants.

use super::*;

#[test]
fn full_range_scales_and_clamps() {
    // CLF example: 64..940 (10-bit legal) -> 0..1.
    let r = Range {
        min_in: Some(64.0 / 1023.0),
        max_in: Some(940.0 / 1023.0),
        min_out: Some(0.0),
        max_out: Some(1.0),
        clamp: true,
    };
    let out = r.apply([64.0 / 1023.0, 940.0 / 1023.0, 2.0]);
    assert!(out[0].abs() < 1e-6 && (out[1] - 1.0).abs() < 1e-6 && out[2] == 1.0);
    assert_eq!(r.apply([f32::NAN; 3])[0], 0.0);
}

#[test]
fn one_sided_clamp_offsets_and_clamps_one_side() {
    let r = Range {
        min_in: Some(0.1),
        max_in: None,
        min_out: Some(0.0),
        max_out: None,
        clamp: true,
    };
    assert!(r.validate().is_ok());
    let out = r.apply([-1.0, 0.6, 5.0]);
    assert_eq!(out[0], 0.0);
    assert!((out[1] - 0.5).abs() < 1e-7);
    assert!((out[2] - 4.9).abs() < 1e-6);
    let no = Range {
        clamp: false,
        ..r.clone()
    };
    assert!((no.apply([-1.0; 3])[0] + 1.1).abs() < 1e-6);
}

#[test]
fn validate_needs_pairs() {
    let r = Range {
        min_in: Some(0.0),
        max_in: None,
        min_out: None,
        max_out: None,
        clamp: true,
    };
    assert!(r.validate().is_err());
}

//! Tests of the RGB curve op: the fit passes through its control points,
//! extends in straight lines, the inverse undoes the forward, OpenColorIO's
//! SSE log2/exp2 stay within their 15 bits, records round-trip. Parity
//! with OpenColorIO is `grade::aces_parity`; the GPU's bits,
//! `engine/tests/gpu/`.

use super::*;
use crate::ops::{Op, OpData, PreparedOp};

#[test]
fn the_fit_passes_through_the_control_points() {
    for op in samples() {
        let Op::RgbCurve(op) = op else { unreachable!() };
        for (curve, name) in op.curves.iter().zip(RgbCurve::NAMES) {
            let f = spline::fit(curve);
            for p in &curve.points {
                let y = f.eval(p[0]);
                assert!((y - p[1]).abs() <= 1e-5 * p[1].abs().max(1.0), "{name}: {p:?} -> {y}");
            }
        }
    }
}

#[test]
fn beyond_the_ends_the_curve_is_a_straight_line() {
    let op = sample(RgbCurveStyle::Log, Direction::Forward);
    let f = spline::fit(&op.curves[3]);
    let (y1, y2, y3) = (f.eval(2.0), f.eval(3.0), f.eval(4.0));
    assert!(((y3 - y2) - (y2 - y1)).abs() < 1e-5, "{y1} {y2} {y3}");
    let (y1, y2, y3) = (f.eval(-3.0), f.eval(-2.0), f.eval(-1.0));
    assert!(((y3 - y2) - (y2 - y1)).abs() < 1e-5, "{y1} {y2} {y3}");
}

#[test]
fn each_inverse_undoes_its_forward() {
    for op in samples() {
        let Op::RgbCurve(op) = op else { unreachable!() };
        if op.direction == Direction::Inverse {
            continue;
        }
        let fwd = op.prepare();
        let inv = OpData::prepare(&RgbCurve {
            direction: Direction::Inverse,
            ..op.clone()
        });
        let mut worst = 0.0f32;
        for px in crate::grade::dense::dense_inputs() {
            let x = [px[0], px[1], px[2]];
            let back = inv.apply(fwd.apply(x));
            for c in 0..3 {
                worst = worst.max((back[c] - x[c]).abs() / x[c].abs().max(1.0));
            }
        }
        println!("{:?}: worst |inverse(forward(x)) - x| = {worst:e}", op.style);
        // The linear style's shaping is OpenColorIO's 15-bit log2/exp2
        // pair, which round-trips to about 1e-4; the curves themselves to
        // f32 rounding amplified by their slopes.
        let tol = if op.lin_to_log() { 5e-4 } else { 1e-5 };
        assert!(worst < tol, "{:?}: {worst:e}", op.style);
    }
}

#[test]
fn opencolorio_s_sse_log2_and_exp2_keep_their_15_bits() {
    let mut worst = 0.0f64;
    for i in 1..4000 {
        let x = i as f32 * 0.01;
        worst = worst.max((prepared::ocio_log2(x) as f64 - (x as f64).log2()).abs());
        let y = i as f32 * 0.01 - 20.0;
        let e = (y as f64).exp2();
        worst = worst.max((prepared::ocio_exp2(y) as f64 - e).abs() / e);
    }
    println!("worst {worst:e}");
    assert!(worst < 1e-4, "{worst:e}");
    assert_eq!(prepared::ocio_exp2(-127.0), 0.0);
    assert_eq!(prepared::ocio_exp2(128.0), f32::INFINITY);
}

#[test]
fn curves_are_checked() {
    let mut op = sample(RgbCurveStyle::Video, Direction::Forward);
    op.validate().unwrap();
    op.curves[2].points[1][1] = -1.0;
    let e = op.validate().unwrap_err();
    assert!(e.starts_with("blue curve: control point 1 has y"), "{e}");
    op.curves[2].slopes.pop();
    assert!(op.validate().unwrap_err().contains("3 control points but 2 slopes"));
    let many = BSplineCurve {
        points: (0..40).map(|i| [i as f32, (i * i) as f32]).collect(),
        slopes: vec![0.0; 40],
    };
    let op = RgbCurve {
        curves: [many.clone(), many.clone(), BSplineCurve::identity(), BSplineCurve::identity()],
        ..sample(RgbCurveStyle::Log, Direction::Forward)
    };
    assert!(op.validate().unwrap_err().contains("maximum number of control points"));
}

#[test]
fn identity_curves_are_identity() {
    let id = RgbCurve {
        curves: std::array::from_fn(|_| BSplineCurve::identity()),
        ..sample(RgbCurveStyle::Log, Direction::Forward)
    };
    assert!(OpData::is_identity(&id));
    assert_eq!(id.prepare().apply([-0.3, 0.5, 7.0]), [-0.3, 0.5, 7.0]);
}

#[test]
fn records_round_trip_every_style_and_direction() {
    for op in samples() {
        let prepared = op.prepare();
        let mut data = vec![1.0; 5];
        let record = prepared.to_record(&mut data);
        assert_eq!(PreparedOp::from_record(&record, &data).unwrap(), prepared);
        let mut bad = record;
        bad.p[3][2] += 1.0;
        assert!(PreparedOp::from_record(&bad, &data).is_err());
    }
}

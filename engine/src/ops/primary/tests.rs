//! Tests of the primary op: its data, maths and prepared constants.

use super::*;

#[test]
fn follows_the_documented_order() {
    let p = Primary {
        exposure: [1.0; 3],
        contrast: [1.5; 3],
        pivot: 0.18,
        lift: [0.05; 3],
        gamma: [2.0; 3],
        gain: [1.1; 3],
        offset: [0.01; 3],
        saturation: 1.0,
    };
    p.validate().unwrap();
    // The documented formula in f64; 1e-6 covers the f32 evaluation.
    let want = |x: f64| {
        let v = x * 2.0;
        let v = (v - 0.18) * 1.5 + 0.18;
        let v = (1.1 - 0.05) * v + 0.05;
        let v = if v > 0.0 { v.powf(0.5) } else { v };
        v + 0.01
    };
    for &x in &[-0.5f32, 0.0, 0.1, 0.18, 0.5, 1.0, 3.0] {
        let got = p.apply([x; 3]);
        assert!(
            (got[0] as f64 - want(x as f64)).abs() < 1e-6,
            "{x}: {got:?}"
        );
    }
    assert!(Primary::default().is_identity());
    assert!(!p.is_identity());
}

fn colourist_primary() -> Primary {
    Primary {
        exposure: [0.5, -0.3, 0.2],
        contrast: [1.2, 0.9, 1.1],
        pivot: 0.18,
        lift: [0.02, -0.01, 0.03],
        gamma: [1.1, 0.9, 1.25],
        gain: [1.1, 0.95, 1.05],
        offset: [0.01, -0.02, 0.005],
        saturation: 0.8,
    }
}

#[test]
fn inverse_undoes_the_forward_on_the_dense_inputs() {
    for p in [
        colourist_primary(),
        Primary::default(),
        Primary {
            saturation: 1.6,
            contrast: [-1.0; 3],
            ..colourist_primary()
        },
    ] {
        let inv = p.inverse().unwrap();
        let mut worst = 0.0f32;
        for px in crate::grade::dense::dense_inputs() {
            let x = [px[0], px[1], px[2]];
            let back = inv.apply(p.apply(x));
            for c in 0..3 {
                worst = worst.max((back[c] - x[c]).abs() / x[c].abs().max(1.0));
            }
        }
        println!("{p:?}: worst |inverse(forward(x)) - x| = {worst:e}");
        // 1e-5 absolute (relative above 1): each step rounds to f32,
        // and the inverse gamma and saturation amplify those errors
        // by at most their slopes (about 2 here).
        assert!(worst < 1e-5, "{worst:e}");
    }
}

#[test]
fn non_invertible_controls_are_named() {
    for (p, word) in [
        (
            Primary {
                saturation: 0.0,
                ..Primary::default()
            },
            "saturation 0",
        ),
        (
            Primary {
                gain: [1.0, 0.0, 1.0],
                lift: [0.0, 0.0, 0.0],
                ..Primary::default()
            },
            "gain equals its lift",
        ),
        (
            Primary {
                contrast: [1.0, 1.0, 0.0],
                ..Primary::default()
            },
            "contrast 0",
        ),
        (
            Primary {
                exposure: [2000.0, 0.0, 0.0],
                ..Primary::default()
            },
            "exposure 2000",
        ),
    ] {
        let e = p.inverse().unwrap_err();
        assert!(e.contains(word), "{e}");
    }
}

#[test]
fn negatives_pass_through_the_gamma() {
    let p = Primary {
        gamma: [2.2; 3],
        ..Primary::default()
    };
    assert_eq!(p.apply([-0.25, 0.0, 1.0]), [-0.25, 0.0, 1.0]);
}

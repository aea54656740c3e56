//! Tests of the lut1d op: its data, maths and prepared constants.

use super::*;

fn gamma_lut(n: usize, g: f32) -> Lut1d {
    Lut1d {
        table: (0..n)
            .map(|i| {
                let x = i as f32 / (n - 1) as f32;
                [x.powf(g), x.powf(g * 0.5), 1.0 - x]
            })
            .collect(),
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        half_domain: false,
        direction: Direction::Forward,
    }
}

#[test]
fn forward_interpolates_and_clamps() {
    let l = gamma_lut(5, 2.0);
    // Entries 1 and 2 are 0.0625 and 0.25; halfway is 0.15625.
    let v = l.apply([0.375, 1.5, -1.0]);
    assert!((v[0] - 0.15625).abs() < 1e-7);
    assert_eq!(v[1], 1.0);
    assert_eq!(v[2], 1.0);
    assert_eq!(l.apply([f32::NAN; 3])[0], 0.0);
}

#[test]
fn inverse_inverts_increasing_and_decreasing_channels() {
    let l = gamma_lut(33, 2.0);
    let inv = l.inverse();
    for i in 0..=200 {
        let x = i as f32 / 200.0;
        let back = inv.apply(l.apply([x; 3]));
        // 2e-6: f32 rounding of the interpolation and of the search.
        for (c, v) in back.iter().enumerate() {
            assert!((v - x).abs() < 2e-6, "{c} {x} -> {v}");
        }
    }
}

#[test]
fn inverse_of_a_flat_start_gives_the_end_of_the_flat_spot() {
    let mut l = gamma_lut(5, 1.0);
    for e in l.table.iter_mut().take(2) {
        e[0] = 0.0;
    }
    let inv = l.inverse();
    // Entries 0 and 1 are both 0: the flat spot ends at index 1 = 0.25.
    assert_eq!(inv.apply([0.0; 3])[0], 0.25);
    assert_eq!(inv.apply([-1.0; 3])[0], 0.25);
    assert_eq!(inv.apply([2.0; 3])[0], 1.0);
}

#[test]
fn half_domain_lookup_is_exact_at_half_values() {
    let table: Vec<[f32; 3]> = (0..65536u32)
        .map(|i| {
            let v = half::f16::from_bits(i as u16).to_f32();
            let v = if v.is_finite() { v * 2.0 } else { 0.0 };
            [v; 3]
        })
        .collect();
    let l = Lut1d {
        table,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        half_domain: true,
        direction: Direction::Forward,
    };
    l.validate().unwrap();
    for &x in &[0.0f32, 0.5, -0.25, 3.0, 1000.0, 1e-5] {
        let got = l.apply([x; 3])[0];
        // Linear in each half interval, so 2x is reproduced to f32 rounding.
        assert!(
            (got - 2.0 * x).abs() <= 1e-6 * x.abs().max(1.0),
            "{x}: {got}"
        );
    }
    assert!(l.apply([f32::INFINITY; 3])[0].is_finite());
    assert!(l.apply([0.123_456_7; 3])[0] > 0.24);
}

//! OpenColorIO 2.1's built-in display curves, recognised in the 1D LUTs it
//! describes them as, and rebuilt as the current OpenColorIO builds them.
//!
//! OpenColorIO samples its ST 2084 (PQ) and HLG curves into 1D LUTs
//! (`transforms/builtins/Displays.cpp`). Version 2.1 clamps negatives to 0
//! (and HLG's code values to 1) and samples PQ-to-linear at 4096 steps over
//! [0, 1]; from 2.4 on, every one of them is a half-domain LUT mirrored
//! about 0 and HLG is not clamped (the `OCIO_LUT_SUPPORT` build, which the
//! released packages use). A LUT holding, to the bit, what 2.1's generator
//! writes is that curve, so it is rebuilt with the newer generator: colours
//! outside the gamut (negative components after the display matrix) then
//! come out as the current OpenColorIO gives them, not clamped (they
//! differed by up to 1.0). Any other LUT is left as it is.

use crate::ops::Lut1d;

/// ST 2084's constants, as OpenColorIO writes them.
const M1: f64 = 0.25 * 2610. / 4096.;
const M2: f64 = 128. * 2523. / 4096.;
const C2: f64 = 32. * 2413. / 4096.;
const C3: f64 = 32. * 2392. / 4096.;
const C1: f64 = C3 - C2 + 1.;

/// OpenColorIO 2.1's linear (1.0 = 100 nits) to PQ sample.
fn lin_to_pq_21(x: f64) -> f32 {
    lin_to_pq(x.max(0.)) as f32
}

/// OpenColorIO 2.1's PQ to linear (1.0 = 100 nits) sample.
fn pq_to_lin_21(x: f64) -> f32 {
    pq_to_lin(x.max(0.)) as f32
}

/// The current linear to PQ sample: mirrored about 0.
fn lin_to_pq_mirrored(x: f64) -> f32 {
    lin_to_pq(x.abs()).copysign(x) as f32
}

/// The current PQ to linear sample: mirrored about 0.
fn pq_to_lin_mirrored(x: f64) -> f32 {
    pq_to_lin(x.abs()).copysign(x) as f32
}

fn lin_to_pq(x: f64) -> f64 {
    // Input in nits/100; 1 is 10000 nits.
    let y = (x * 0.01).powf(M1);
    let ratpoly = (C1 + C2 * y) / (1. + C3 * y);
    ratpoly.max(0.).powf(M2)
}

fn pq_to_lin(n: f64) -> f64 {
    let x = n.powf(1. / M2);
    // In nits/10000, to nits/100.
    ((x - C1).max(0.) / (C2 - C3 * x)).powf(1. / M1) * 100.
}

/// HLG's constants for a 1000-nit display (BT.2100), as OpenColorIO writes
/// them.
mod hlg {
    pub const E_MAX: f64 = 3.;
    pub const A: f64 = 0.17883277;
    pub const B: f64 = (1. - 4. * A) * E_MAX / 12.;
    pub const E_SCALE: f64 = 3. / E_MAX;
    pub const E_BREAK: f64 = E_MAX / 12.;

    pub fn c() -> f64 {
        let c0 = 0.5 - A * (4. * A).ln();
        (12. / E_MAX).ln() * A + c0
    }
}

/// OpenColorIO 2.1's linear to HLG sample (negatives to 0, at most 1).
fn lin_to_hlg_21(x: f64) -> f32 {
    let e = x.max(0.);
    let out = if x < hlg::E_BREAK {
        (e * hlg::E_SCALE).sqrt()
    } else {
        (hlg::A * (e - hlg::B).ln() + hlg::c()).min(1.)
    };
    out as f32
}

/// The current linear to HLG sample: mirrored about 0, not clamped.
fn lin_to_hlg_mirrored(x: f64) -> f32 {
    let e = x.abs();
    let out = if e < hlg::E_BREAK {
        (e * hlg::E_SCALE).sqrt()
    } else {
        hlg::A * (e - hlg::B).ln() + hlg::c()
    };
    out.copysign(x) as f32
}

/// The input OpenColorIO's `CreateHalfLut` samples at half-float code
/// `bits`: NaNs at 0, the infinities at +-65504.
fn half_input(bits: u16) -> f64 {
    let h = half::f16::from_bits(bits);
    if h.is_nan() {
        0.0
    } else if h.is_infinite() {
        f64::from(half::f16::MAX.to_f32()).copysign(f64::from(h.to_f32()))
    } else {
        f64::from(h.to_f32())
    }
}

/// True when every entry of `table` (three equal channels) is `f` of its
/// input, within one f32 step (C libraries may round `pow` differently).
fn holds(table: &[[f32; 3]], input: impl Fn(usize) -> f64, f: fn(f64) -> f32) -> bool {
    let near = |a: f32, b: f32| a == b || (a.to_bits() as i64 - b.to_bits() as i64).abs() <= 1;
    // The ends first: most LUTs differ there at once.
    let order = [0, table.len() - 1, table.len() / 2];
    order.into_iter().chain(0..table.len()).all(|i| {
        let want = f(input(i));
        table[i].iter().all(|&v| near(v, want))
    })
}

/// A half-domain LUT of `f` at every half-float value, OpenColorIO's
/// `CreateHalfLut`.
fn half_table(f: fn(f64) -> f32) -> Vec<[f32; 3]> {
    (0..=u16::MAX).map(|b| [f(half_input(b)); 3]).collect()
}

/// The LUT the current OpenColorIO builds for the same curve as `lut`, in
/// the same direction, when `lut` is one of OpenColorIO 2.1's built-in
/// display curves; `None` for any other LUT.
pub(super) fn current_curve(lut: &Lut1d) -> Option<Lut1d> {
    let unit_domain = lut.domain_min == [0.0; 3] && lut.domain_max == [1.0; 3];
    let half_input = |i: usize| half_input(i as u16);
    let current: fn(f64) -> f32 = if lut.half_domain && lut.table.len() == 65536 {
        if holds(&lut.table, half_input, lin_to_pq_21) {
            lin_to_pq_mirrored
        } else if holds(&lut.table, half_input, lin_to_hlg_21) {
            lin_to_hlg_mirrored
        } else {
            return None;
        }
    } else if !lut.half_domain && unit_domain && lut.table.len() == 4096 {
        if holds(&lut.table, |i| i as f64 / 4095.0, pq_to_lin_21) {
            pq_to_lin_mirrored
        } else {
            return None;
        }
    } else {
        return None;
    };
    Some(Lut1d {
        table: half_table(current),
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        half_domain: true,
        direction: lut.direction,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::Direction;

    fn lut(half_domain: bool, n: usize, f: fn(f64) -> f32, direction: Direction) -> Lut1d {
        let input = |i: usize| {
            if half_domain {
                half_input(i as u16)
            } else {
                i as f64 / (n - 1) as f64
            }
        };
        Lut1d {
            table: (0..n).map(|i| [f(input(i)); 3]).collect(),
            domain_min: [0.0; 3],
            domain_max: [1.0; 3],
            half_domain,
            direction,
        }
    }

    #[test]
    fn the_21_curves_become_the_current_mirrored_half_luts() {
        type Curve = fn(f64) -> f32;
        let cases: [(bool, usize, Curve, Curve); 3] = [
            (true, 65536, lin_to_pq_21, lin_to_pq_mirrored),
            (true, 65536, lin_to_hlg_21, lin_to_hlg_mirrored),
            (false, 4096, pq_to_lin_21, pq_to_lin_mirrored),
        ];
        for (half, n, old, new) in cases {
            for direction in [Direction::Forward, Direction::Inverse] {
                let got = current_curve(&lut(half, n, old, direction)).unwrap();
                let want = lut(true, 65536, new, direction);
                let differ = (0..65536)
                    .filter(|&i| got.table[i][0].to_bits() != want.table[i][0].to_bits())
                    .collect::<Vec<_>>();
                assert!(
                    differ.is_empty(),
                    "{n} {direction:?}: {} entries differ, first {:?}",
                    differ.len(),
                    differ.first().map(|&i| (i, got.table[i], want.table[i]))
                );
                assert_eq!(got.direction, direction);
            }
        }
        // The rebuilt curve mirrors where 2.1 clamped.
        let pq = current_curve(&lut(true, 65536, lin_to_pq_21, Direction::Forward)).unwrap();
        let minus_one = half::f16::from_f32(-1.0).to_bits() as usize;
        assert!(pq.table[minus_one][0] < -0.1);
    }

    #[test]
    fn other_luts_stay_luts() {
        let mut near = lut(true, 65536, lin_to_pq_21, Direction::Forward);
        near.table[30000][1] += 1e-3;
        assert_eq!(current_curve(&near), None);
        let mut wide = lut(false, 4096, pq_to_lin_21, Direction::Forward);
        wide.domain_max = [2.0; 3];
        assert_eq!(current_curve(&wide), None);
        assert_eq!(
            current_curve(&lut(false, 17, pq_to_lin_21, Direction::Forward)),
            None
        );
        // Already the current curve: nothing to rebuild.
        let current = lut(true, 65536, lin_to_pq_mirrored, Direction::Forward);
        assert_eq!(current_curve(&current), None);
    }
}

//! Tests of the lut3d op: its data, maths and prepared constants.

use super::prepared::{tetrahedral, Cell};
use super::*;

/// A lattice sampling a smooth non-linear function.
pub(crate) fn sample_lut(n: usize, interpolation: Interpolation) -> Lut3d {
    let mut data = Vec::with_capacity(n * n * n);
    for b in 0..n {
        for g in 0..n {
            for r in 0..n {
                let (r, g, b) = (
                    r as f32 / (n - 1) as f32,
                    g as f32 / (n - 1) as f32,
                    b as f32 / (n - 1) as f32,
                );
                data.push([
                    r * r * 0.9 + 0.05 * b,
                    g.sqrt() * 0.8 + 0.1 * r,
                    b * 0.7 + 0.2 * g * r,
                ]);
            }
        }
    }
    Lut3d {
        size: n,
        data,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        interpolation,
        direction: Direction::Forward,
    }
}

fn identity(n: usize, interpolation: Interpolation) -> Lut3d {
    let mut l = sample_lut(n, interpolation);
    for b in 0..n {
        for g in 0..n {
            for r in 0..n {
                let s = (n - 1) as f32;
                l.data[r + n * (g + n * b)] = [r as f32 / s, g as f32 / s, b as f32 / s];
            }
        }
    }
    l
}

#[test]
fn identity_lattice_reproduces_inputs_and_clamps_outside() {
    for interp in [Interpolation::Tetrahedral, Interpolation::Trilinear] {
        let l = identity(17, interp);
        for &rgb in &[
            [0.1f32, 0.5, 0.9],
            [0.33, 0.33, 0.34],
            [0.9, 0.2, 0.6],
            [1.0, 0.0, 1.0],
        ] {
            let out = l.apply(rgb);
            for c in 0..3 {
                // Linear data is reproduced to f32 rounding.
                assert!((out[c] - rgb[c]).abs() < 1e-6, "{interp:?} {rgb:?} {out:?}");
            }
        }
        assert_eq!(l.apply([-0.5, 1.5, f32::NAN]), [0.0, 1.0, 0.0]);
    }
}

#[test]
fn lattice_points_are_exact() {
    let l = sample_lut(9, Interpolation::Tetrahedral);
    let n = 9;
    for (i, &(r, g, b)) in [(0, 0, 0), (3, 5, 7), (8, 8, 8), (8, 0, 4)]
        .iter()
        .enumerate()
    {
        let rgb = [r as f32 / 8.0, g as f32 / 8.0, b as f32 / 8.0];
        assert_eq!(l.apply(rgb), l.data[r + n * (g + n * b)], "{i}");
    }
}

/// OpenColorIO's six-way branch, written as it is there.
fn tetrahedral_branchy(d: &[[f32; 3]], cell: Cell) -> [f32; 3] {
    let [fx, fy, fz] = cell.f;
    let [sr, sg, sb] = cell.step;
    let n000 = cell.base;
    let n111 = n000 + sr + sg + sb;
    let (w0, w1, w2, w3, a, b) = if fx > fy {
        if fy > fz {
            (1.0 - fx, fx - fy, fy - fz, fz, n000 + sr, n000 + sr + sg)
        } else if fx > fz {
            (1.0 - fx, fx - fz, fz - fy, fy, n000 + sr, n000 + sr + sb)
        } else {
            (1.0 - fz, fz - fx, fx - fy, fy, n000 + sb, n000 + sr + sb)
        }
    } else if fz > fy {
        (1.0 - fz, fz - fy, fy - fx, fx, n000 + sb, n000 + sg + sb)
    } else if fz > fx {
        (1.0 - fy, fy - fz, fz - fx, fx, n000 + sg, n000 + sg + sb)
    } else {
        (1.0 - fy, fy - fx, fx - fz, fz, n000 + sg, n000 + sr + sg)
    };
    let (p0, p1, p2, p3) = (d[n000], d[a], d[b], d[n111]);
    std::array::from_fn(|c| w0 * p0[c] + w1 * p1[c] + w2 * p2[c] + w3 * p3[c])
}

#[test]
fn branch_free_tetrahedral_gives_the_same_bits_as_the_six_way_branch() {
    let l = sample_lut(17, Interpolation::Tetrahedral).prepare();
    let mut checked = 0;
    // A dense grid with many exact ties between fractions.
    for i in 0..40 {
        for j in 0..40 {
            for k in 0..40 {
                let rgb = [
                    i as f32 / 39.0,
                    j as f32 / 39.0 * 1.1 - 0.05,
                    k as f32 / 78.0,
                ];
                let cell = l.cell(rgb);
                assert_eq!(
                    tetrahedral(&l.data, cell),
                    tetrahedral_branchy(&l.data, cell),
                    "{rgb:?}"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 64000);
}

#[test]
fn validate_checks_sizes() {
    let mut l = sample_lut(3, Interpolation::Tetrahedral);
    assert!(l.validate().is_ok());
    l.data.pop();
    assert!(l.validate().is_err());
}

//! Baking a transform into a 3D LUT: running it on every point of a
//! lattice. `grade lut convert` bakes a program over [0, 1]
//! ([`bake_program`]); a span of OpenColorIO transforms that no grade op
//! expresses is baked over its measured input range (`ocio::translate`).
//! Both lay the lattice out here, red fastest, as [`Lut3d`] stores it.

use crate::grade::Program;
use crate::ops::{Interpolation, Lut3d, MAX_LUT3D_SIZE};
use crate::{Error, Result};

/// The RGB outputs of `apply` at every point of the lattice whose
/// coordinates along each axis are `nodes` (`nodes[j][c]` is the j-th
/// coordinate of channel c), red fastest. `apply` runs once, in place, on
/// the points as interleaved RGBA with alpha 1.
pub fn sample_lattice<E>(
    nodes: &[[f32; 3]],
    apply: impl FnOnce(&mut [f32]) -> Result<(), E>,
) -> Result<Vec<[f32; 3]>, E> {
    let n = nodes.len();
    let mut rgba = Vec::with_capacity(n * n * n * 4);
    for b in nodes {
        for g in nodes {
            for r in nodes {
                rgba.extend_from_slice(&[r[0], g[1], b[2], 1.0]);
            }
        }
    }
    apply(&mut rgba)?;
    Ok(rgba
        .chunks_exact(4)
        .map(|px| [px[0], px[1], px[2]])
        .collect())
}

/// `program`, run by the reference CPU executor, on a `size`^3 lattice
/// over [0, 1], as a tetrahedral 3D LUT.
pub fn bake_program(program: &Program, size: usize) -> Result<Lut3d> {
    if !(2..=MAX_LUT3D_SIZE).contains(&size) {
        return Err(Error::Usage(format!(
            "a 3D LUT needs 2 to {MAX_LUT3D_SIZE} points per side, not {size}"
        )));
    }
    let step = 1.0 / (size - 1) as f64;
    let nodes: Vec<[f32; 3]> = (0..size).map(|j| [(j as f64 * step) as f32; 3]).collect();
    let data = sample_lattice(&nodes, |rgba| {
        crate::cpu::reference::apply(program, rgba);
        Ok::<(), Error>(())
    })?;
    Ok(Lut3d {
        size,
        data,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        interpolation: Interpolation::Tetrahedral,
        direction: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lattice_runs_red_fastest_with_each_channel_on_its_own_nodes() {
        let nodes = [[0.0, 10.0, 20.0], [1.0, 11.0, 21.0]];
        let data = sample_lattice(&nodes, |_| Ok::<(), Error>(())).unwrap();
        assert_eq!(data.len(), 8);
        assert_eq!(data[0], [0.0, 10.0, 20.0]);
        assert_eq!(data[1], [1.0, 10.0, 20.0]);
        assert_eq!(data[2], [0.0, 11.0, 20.0]);
        assert_eq!(data[4], [0.0, 10.0, 21.0]);
    }

    #[test]
    fn an_empty_program_bakes_to_an_identity_and_bad_sizes_are_errors() {
        let lut = bake_program(&Program { ops: Vec::new() }, 3).unwrap();
        assert_eq!(lut.data[5], [1.0, 0.5, 0.0]);
        assert!(bake_program(&Program { ops: Vec::new() }, 1).is_err());
        assert!(bake_program(&Program { ops: Vec::new() }, MAX_LUT3D_SIZE + 1).is_err());
    }
}

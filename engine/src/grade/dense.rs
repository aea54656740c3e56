//! The dense test input shared by every parity test (our executors against
//! each other, against OpenColorIO, CPU against GPU): a 33x33x33 grid over
//! [-0.25, 1.25] on each channel, a fine grey ramp over [-0.5, 2.0] and a
//! ramp per channel over the same span with the other two channels at 0.18,
//! so negatives, values above 1, near-0 values and LUT cell edges are all
//! covered. Alpha is 1 throughout.

/// Grid points per axis.
pub const GRID: usize = 33;
/// Samples in each ramp.
pub const RAMP: usize = 1024;

/// Grid, then grey ramp, then red, green and blue ramps: `33^3 + 4*1024`
/// RGBA pixels.
pub fn dense_inputs() -> Vec<[f32; 4]> {
    let mut out = Vec::with_capacity(GRID * GRID * GRID + 4 * RAMP);
    let axis = |i: usize| -0.25 + 1.5 * i as f32 / (GRID - 1) as f32;
    for b in 0..GRID {
        for g in 0..GRID {
            for r in 0..GRID {
                out.push([axis(r), axis(g), axis(b), 1.0]);
            }
        }
    }
    let ramp = |i: usize| -0.5 + 2.5 * i as f32 / (RAMP - 1) as f32;
    for i in 0..RAMP {
        let v = ramp(i);
        out.push([v, v, v, 1.0]);
    }
    for c in 0..3 {
        for i in 0..RAMP {
            let mut p = [0.18, 0.18, 0.18, 1.0];
            p[c] = ramp(i);
            out.push(p);
        }
    }
    out
}

/// [`dense_inputs`] flattened to interleaved RGBA.
pub fn dense_rgba() -> Vec<f32> {
    dense_inputs().into_iter().flatten().collect()
}

/// `rgba` with each pixel's R, G and B times `scale` plus `offset`, alpha
/// 1: the dense set stretched over an op's working range.
pub fn scaled(rgba: &[f32], scale: [f32; 3], offset: [f32; 3]) -> Vec<f32> {
    rgba.chunks_exact(4)
        .flat_map(|p| {
            [
                p[0] * scale[0] + offset[0],
                p[1] * scale[1] + offset[1],
                p[2] * scale[2] + offset[2],
                1.0,
            ]
        })
        .collect()
}

/// The points of [`dense_rgba`] inside `forward`'s domain, run through it
/// (the reference executor): inputs inside a 3D LUT's output range, where
/// its inverse is held to OpenColorIO's (tests against OpenColorIO and
/// the GPU tests share it).
pub fn inside_lut3d_range(forward: &crate::ops::Lut3d) -> Vec<f32> {
    let (lo, hi) = (forward.domain_min, forward.domain_max);
    let mut inside: Vec<f32> = dense_inputs()
        .into_iter()
        .filter(|p| (0..3).all(|c| (lo[c]..=hi[c]).contains(&p[c])))
        .flatten()
        .collect();
    let program = crate::grade::Program {
        ops: vec![crate::grade::Op::Lut3d(forward.clone())],
    };
    crate::cpu::reference::apply(&program, &mut inside);
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_the_promised_span() {
        let d = dense_inputs();
        assert_eq!(d.len(), GRID * GRID * GRID + 4 * RAMP);
        let min = d
            .iter()
            .flat_map(|p| &p[..3])
            .fold(f32::MAX, |a, &b| a.min(b));
        let max = d
            .iter()
            .flat_map(|p| &p[..3])
            .fold(f32::MIN, |a, &b| a.max(b));
        assert_eq!((min, max), (-0.5, 2.0));
        assert!(d.iter().all(|p| p[3] == 1.0));
        assert!(d.contains(&[-0.25, -0.25, -0.25, 1.0]));
        assert!(d.contains(&[1.25, 1.25, 1.25, 1.0]));
    }
}

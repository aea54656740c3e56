//! 3D LUT: an N x N x N lattice (N <= 129) interpolated tetrahedrally
//! (default, as OpenColorIO's INTERP_BEST and ffmpeg) or trilinearly.
//! Inputs outside the domain clamp to the domain.

use super::Direction;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Interpolation {
    #[default]
    Tetrahedral,
    Trilinear,
}

/// Largest lattice edge accepted from any file.
pub const MAX_LUT3D_SIZE: usize = 129;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Lut3d {
    pub size: usize,
    /// `size^3` entries, red varying fastest (as in .cube):
    /// `data[r + size*(g + size*b)]`.
    pub data: Vec<[f32; 3]>,
    pub domain_min: [f32; 3],
    pub domain_max: [f32; 3],
    pub interpolation: Interpolation,
    pub direction: Direction,
}

impl Lut3d {
    pub fn validate(&self) -> Result<(), String> {
        let n = self.size;
        if !(2..=MAX_LUT3D_SIZE).contains(&n) {
            return Err(format!("3D LUT size {n} is outside 2..={MAX_LUT3D_SIZE}"));
        }
        if self.data.len() != n * n * n {
            return Err(format!(
                "3D LUT of size {n} needs {} entries, has {}",
                n * n * n,
                self.data.len()
            ));
        }
        for c in 0..3 {
            let (a, b) = (self.domain_min[c], self.domain_max[c]);
            if !(a.is_finite() && b.is_finite() && b > a) {
                return Err(format!("3D LUT domain max {b} must exceed min {a}"));
            }
        }
        if self.data.iter().flatten().any(|v| !v.is_finite()) {
            return Err("3D LUT holds a NaN or infinite value".into());
        }
        if self.direction == Direction::Inverse {
            return Err("the inverse of a 3D LUT is not supported".into());
        }
        Ok(())
    }

    /// Always `false`: even an identity lattice clamps inputs to its domain.
    pub fn is_identity(&self) -> bool {
        false
    }

    pub fn render(&self) -> Lut3dRender {
        let n = self.size;
        let mut scale = [0.0f32; 3];
        for (c, s) in scale.iter_mut().enumerate() {
            *s =
                ((n as f64 - 1.0) / (self.domain_max[c] as f64 - self.domain_min[c] as f64)) as f32;
        }
        Lut3dRender {
            size: n,
            data: self.data.clone(),
            domain_min: self.domain_min,
            scale,
            trilinear: self.interpolation == Interpolation::Trilinear,
        }
    }

    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.render().apply(rgb)
    }
}

/// A 3D LUT ready to apply: `idx = (in - domain_min) * scale`, clamped to
/// the lattice (NaN -> 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Lut3dRender {
    pub size: usize,
    /// Red fastest: `data[r + size*(g + size*b)]`.
    pub data: Vec<[f32; 3]>,
    pub domain_min: [f32; 3],
    pub scale: [f32; 3],
    pub trilinear: bool,
}

/// Lattice position of one pixel: low corner, step to the high corner per
/// axis (0 at the top edge) and the fractions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cell {
    pub base: usize,
    pub step: [usize; 3],
    pub f: [f32; 3],
}

impl Lut3dRender {
    #[inline(always)]
    pub(crate) fn cell(&self, rgb: [f32; 3]) -> Cell {
        let last = (self.size - 1) as f32;
        let mut lo = [0usize; 3];
        let mut step = [0usize; 3];
        let mut f = [0.0f32; 3];
        let stride = [1, self.size, self.size * self.size];
        for c in 0..3 {
            let idx = ((rgb[c] - self.domain_min[c]) * self.scale[c])
                .max(0.0)
                .min(last);
            // idx is in [0, size-1] here (NaN became 0), so truncation is
            // floor and the conversion cannot overflow.
            // SAFETY: idx is finite and within [0, 128].
            let l = unsafe { idx.to_int_unchecked::<u32>() } as usize;
            let lf = l as f32;
            f[c] = idx - lf;
            lo[c] = l;
            step[c] = if idx > lf { stride[c] } else { 0 };
        }
        Cell {
            base: lo[0] + self.size * (lo[1] + self.size * lo[2]),
            step,
            f,
        }
    }

    #[inline(always)]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        let cell = self.cell(rgb);
        if self.trilinear {
            trilinear(&self.data, cell)
        } else {
            tetrahedral(&self.data, cell)
        }
    }
}

/// OpenColorIO's tetrahedral interpolation, written without branches: the
/// three fractions are sorted (largest first) with their lattice strides,
/// and the walk from the low corner to the high corner follows that order.
/// Weights `(1-a, a-b, b-c, c)` summed in OpenColorIO's order give the same
/// bits as its six-way branch: where fractions tie, the corners that differ
/// get weight 0.
#[inline(always)]
pub(crate) fn tetrahedral(d: &[[f32; 3]], cell: Cell) -> [f32; 3] {
    let (n0, n1, n2, n3, w) = cell.tetrahedral_walk();
    // The cell is inside the lattice; `min` only lets the compiler drop the
    // bounds checks.
    let last = d.len().saturating_sub(1);
    let (p0, p1, p2, p3) = (
        d[n0.min(last)],
        d[n1.min(last)],
        d[n2.min(last)],
        d[n3.min(last)],
    );
    let mut out = [0.0f32; 3];
    for k in 0..3 {
        out[k] = w[0] * p0[k] + w[1] * p1[k] + w[2] * p2[k] + w[3] * p3[k];
    }
    out
}

impl Cell {
    /// The four corners of the tetrahedron holding the point and their
    /// weights: `(n0, n1, n2, n3, weights)`.
    #[inline(always)]
    pub(crate) fn tetrahedral_walk(&self) -> (usize, usize, usize, usize, [f32; 4]) {
        let [fx, fy, fz] = self.f;
        let [sr, sg, sb] = self.step;
        let (mut a, mut sa, mut b, mut s2, mut c, mut s3) = (fx, sr, fy, sg, fz, sb);
        if b > a {
            std::mem::swap(&mut a, &mut b);
            std::mem::swap(&mut sa, &mut s2);
        }
        if c > b {
            std::mem::swap(&mut b, &mut c);
            std::mem::swap(&mut s2, &mut s3);
        }
        if b > a {
            std::mem::swap(&mut a, &mut b);
            std::mem::swap(&mut sa, &mut s2);
        }
        let n0 = self.base;
        let n1 = n0 + sa;
        let n2 = n1 + s2;
        let n3 = n2 + s3;
        (n0, n1, n2, n3, [1.0 - a, a - b, b - c, c])
    }
}

/// OpenColorIO's trilinear interpolation: blue, then green, then red.
#[inline(always)]
pub(crate) fn trilinear(d: &[[f32; 3]], cell: Cell) -> [f32; 3] {
    let [fr, fg, fb] = cell.f;
    let [sr, sg, sb] = cell.step;
    let n = cell.base;
    let last = d.len().saturating_sub(1);
    let v = |i: usize| d[i.min(last)];
    let lerp = |a: [f32; 3], b: [f32; 3], w: f32| {
        let iw = 1.0 - w;
        [
            a[0] * iw + b[0] * w,
            a[1] * iw + b[1] * w,
            a[2] * iw + b[2] * w,
        ]
    };
    let b1 = lerp(v(n), v(n + sb), fb);
    let b2 = lerp(v(n + sg), v(n + sg + sb), fb);
    let b3 = lerp(v(n + sr), v(n + sr + sb), fb);
    let b4 = lerp(v(n + sr + sg), v(n + sr + sg + sb), fb);
    let g1 = lerp(b1, b2, fg);
    let g2 = lerp(b3, b4, fg);
    lerp(g1, g2, fr)
}

#[cfg(test)]
mod tests {
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
        let l = sample_lut(17, Interpolation::Tetrahedral).render();
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
}

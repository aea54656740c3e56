//! The ACES 2.0 fixed functions of OpenColorIO's `FixedFunctionTransform`,
//! ported from OpenColorIO 2.6 (`ops/fixedfunction/ACES2/Transform.cpp`
//! and the `Renderer_ACES_*_20` of `FixedFunctionOpCPU.cpp`) with the same
//! constants, tables and f32 operation order:
//!
//! - **OutputTransform20**: the ACES 2.0 display rendering, ACES2065-1 to
//!   linear RGB in the limiting primaries (1.0 = 100 nits): the
//!   Hellwig 2022 / CAM16-based JMh model, the Daniele tonescale on J,
//!   chroma compression, then gamut compression against the limiting
//!   gamut's cusp. Parameters: peak luminance (nits), then the limiting
//!   primaries' xy (red, green, blue, white).
//! - **RgbToJmh20**: linear RGB in the given primaries (8 parameters) to
//!   J, M and hue in degrees; the inverse back.
//! - **TonescaleCompress20**: the tonescale and chroma compression on JMh
//!   (parameter: peak luminance).
//! - **GamutCompress20**: the gamut compression on JMh (peak luminance and
//!   the limiting primaries).
//!
//! The tables OpenColorIO builds when it creates the renderer (reach M per
//! hue, the hue and cusp tables, the upper hull gammas) are built the same
//! way at prepare time ([`tables`]); the per-pixel maths is [`model`].
//! Powers use [`mathf`](crate::ops::mathf) (glibc's `powf`), hue angles
//! and their cosines and sines glibc 2.36's float `atan2f` and `sincosf`
//! (`libm`), as OpenColorIO's renderer calls them.

mod libm;
pub mod model;
mod prepared;
pub mod tables;
pub use prepared::*;

use crate::ops::Direction;

/// The styles, in record order, are in `ops/list.rs`.
pub use crate::ops::Aces2Style;

/// One ACES 2.0 fixed function.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Aces2 {
    pub style: Aces2Style,
    pub direction: Direction,
    /// OpenColorIO's parameters (see the module docs).
    pub params: Vec<f64>,
}

impl Aces2Style {
    /// OpenColorIO's name of the style (`FixedFunctionStyleToString`).
    pub fn ocio_name(self) -> &'static str {
        match self {
            Aces2Style::OutputTransform20 => "ACES2_OutputTransform",
            Aces2Style::RgbToJmh20 => "ACES2_RGB_TO_JMh",
            Aces2Style::TonescaleCompress20 => "ACES2_TonescaleCompress",
            Aces2Style::GamutCompress20 => "ACES2_GamutCompress",
        }
    }

    /// How many parameters OpenColorIO takes.
    pub fn param_count(self) -> usize {
        match self {
            Aces2Style::OutputTransform20 | Aces2Style::GamutCompress20 => 9,
            Aces2Style::RgbToJmh20 => 8,
            Aces2Style::TonescaleCompress20 => 1,
        }
    }
}

/// xy of red, green, blue and white from 8 parameters.
fn primaries(p: &[f64]) -> tables::Xy {
    [[p[0], p[1]], [p[2], p[3]], [p[4], p[5]], [p[6], p[7]]]
}

/// The parameters as OpenColorIO's renderer reads them: cast to float.
fn as_f32(p: &[f64]) -> Vec<f64> {
    p.iter().map(|&v| v as f32 as f64).collect()
}

impl Aces2 {
    /// The output transform for `peak` nits limited to `limit` (xy of red,
    /// green, blue, white), as OpenColorIO's ACES 2.0 built-ins make it.
    pub fn output_transform(peak: f64, limit: [[f64; 2]; 4], direction: Direction) -> Aces2 {
        let mut params = vec![peak];
        params.extend(limit.iter().flatten());
        Aces2 {
            style: Aces2Style::OutputTransform20,
            direction,
            params,
        }
    }

    /// Every constant and table of the renderer.
    fn build(&self) -> Aces2Prepared {
        use model::*;
        use tables::*;
        let p = as_f32(&self.params);
        let mut out = Aces2Prepared {
            style: self.style,
            inverse: self.direction == Direction::Inverse,
            input: Box::default(),
            limit: Box::default(),
            tonescale: Tonescale::default(),
            limit_j_max: 0.0,
            model_gamma_inv: 0.0,
            chroma: Chroma::default(),
            gamut: Gamut::default(),
            reach: vec![0.0; TABLE_TOTAL],
            hues: vec![0.0; TABLE_TOTAL],
            cusps: vec![[0.0; 3]; TABLE_TOTAL],
        };
        if self.style == Aces2Style::RgbToJmh20 {
            out.input = Box::new(jmh_params(&primaries(&p)));
            return out;
        }
        let peak = p[0] as f32;
        out.input = Box::new(jmh_params(&AP0));
        let (ts, c_t, forward_limit, log_peak) = tonescale_params(peak);
        out.tonescale = ts;
        let reach = jmh_params(&AP1);
        let (limit_j_max, model_gamma_inv) = shared_params(peak, &out.input);
        out.limit_j_max = limit_j_max;
        out.model_gamma_inv = model_gamma_inv;
        out.reach = reach_m_table(&reach, limit_j_max);
        out.chroma = chroma_params(peak, log_peak);
        if self.style == Aces2Style::TonescaleCompress20 {
            return out;
        }
        out.limit = Box::new(jmh_params(&primaries(&p[1..])));
        // init_GamutCompressParams
        let mid_j = y_to_j(c_t * REFERENCE_LUMINANCE, &out.input);
        let focus_dist = FOCUS_DISTANCE + FOCUS_DISTANCE * FOCUS_DISTANCE_SCALING * log_peak;
        let lower_hull_gamma_inv = 1.0 / (1.14 + 0.07 * log_peak);
        let g = gamut_tables(
            &reach,
            &out.limit,
            peak,
            forward_limit,
            limit_j_max,
            mid_j,
            focus_dist,
            lower_hull_gamma_inv,
        );
        out.gamut = Gamut {
            mid_j,
            focus_dist,
            lower_hull_gamma_inv,
            search: g.search,
        };
        out.hues = g.hues;
        out.cusps = g.cusps;
        out
    }
}

/// True when the xy primaries make an invertible RGB to XYZ matrix with a
/// white of positive y.
fn primaries_usable(p: &[f64]) -> bool {
    let [r, g, b, w] = primaries(p);
    let col = |xy: [f64; 2]| [xy[0], xy[1], 1.0 - xy[0] - xy[1]];
    let (r, g, b) = (col(r), col(g), col(b));
    let det = r[0] * (g[1] * b[2] - g[2] * b[1]) - g[0] * (r[1] * b[2] - r[2] * b[1])
        + b[0] * (r[1] * g[2] - r[2] * g[1]);
    det.abs() > 1e-6 && w[1] > 1e-6
}

impl crate::ops::OpData for Aces2 {
    type Prepared = Aces2Prepared;

    /// The parameter count of the style, the peak luminance within
    /// OpenColorIO's bounds [1, 10000], and primaries that make a gamut.
    fn validate(&self) -> Result<(), String> {
        let want = self.style.param_count();
        let name = self.style.ocio_name();
        if self.params.len() != want {
            return Err(format!(
                "{name} takes {want} parameters, got {}",
                self.params.len()
            ));
        }
        crate::ops::check_finite("ACES 2.0 parameters", &self.params)?;
        let prims = match self.style {
            Aces2Style::RgbToJmh20 => Some(&self.params[..]),
            Aces2Style::TonescaleCompress20 => None,
            _ => Some(&self.params[1..]),
        };
        if self.style != Aces2Style::RgbToJmh20 && !(1.0..=10000.0).contains(&self.params[0]) {
            return Err(format!(
                "{name}: peak luminance {} is outside [1, 10000]",
                self.params[0]
            ));
        }
        if prims.is_some_and(|p| !primaries_usable(p)) {
            return Err(format!("{name}: the primaries do not make a gamut"));
        }
        Ok(())
    }

    fn is_identity(&self) -> bool {
        false
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        Ok(vec![crate::ops::Op::Aces2(Aces2 {
            direction: self.direction.flip(),
            ..self.clone()
        })])
    }

    fn prepare(&self) -> Aces2Prepared {
        self.build()
    }
}

/// Rec.709 xy (red, green, blue, D65 white).
pub const REC709_XY: [[f64; 2]; 4] = [[0.64, 0.33], [0.30, 0.60], [0.15, 0.06], [0.3127, 0.3290]];
/// P3-D65 xy.
pub const P3D65_XY: [[f64; 2]; 4] = [[0.680, 0.320], [0.265, 0.690], [0.150, 0.060], [0.3127, 0.3290]];

/// The samples' op of `style` and `direction`: 1000 nits limited to
/// P3-D65 (RgbToJmh20: Rec.709 primaries).
pub fn sample(style: Aces2Style, direction: Direction) -> Aces2 {
    let params = match style {
        Aces2Style::RgbToJmh20 => REC709_XY.iter().flatten().copied().collect(),
        Aces2Style::TonescaleCompress20 => vec![1000.0],
        _ => {
            let mut p = vec![1000.0];
            p.extend(P3D65_XY.iter().flatten());
            p
        }
    };
    Aces2 {
        style,
        direction,
        params,
    }
}

/// One op of every style and direction, for the parity tests
/// (`grade::samples::every_op`).
pub fn samples() -> Vec<crate::ops::Op> {
    let mut ops = Vec::new();
    for style in Aces2Style::ALL {
        for direction in [Direction::Forward, Direction::Inverse] {
            ops.push(crate::ops::Op::Aces2(sample(style, direction)));
        }
    }
    ops
}

#[cfg(test)]
mod gpu_reference;
#[cfg(test)]
mod tests;

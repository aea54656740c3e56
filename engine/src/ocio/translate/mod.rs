//! OpenColorIO processors translated into grade's own ops, so that config
//! transforms run in grade's executors (reference CPU, fast CPU, GPU) like
//! any other step, instead of around them.
//!
//! [`translate`] asks the shim for the processor's transforms
//! ([`Processor::describe`]: `Processor::getOptimizedProcessor` at
//! [`LEVEL`], then `createGroupTransform`, one line of plain numbers per
//! transform) and maps each onto an [`Op`]:
//!
//! | OpenColorIO | grade |
//! |---|---|
//! | `MatrixTransform` (alpha untouched) | `Matrix` (inverse: the 3x3 inverse in f64) |
//! | `CDLTransform` | `Cdl`, same style and direction |
//! | `Lut1DTransform` (linear, no hue adjust) | `Lut1d` (half domain and inverse as OCIO); OpenColorIO 2.1's clamped ST 2084 and HLG curves are rebuilt mirrored, as newer versions build them (`curves.rs`) |
//! | `Lut3DTransform` forward | `Lut3d`, tetrahedral for `INTERP_BEST`/`TETRAHEDRAL`, else trilinear (as OCIO renders them) |
//! | `Lut3DTransform` inverse | `Lut3d` inverse: OpenColorIO's exact inverse of the tetrahedral interpolation |
//! | `RangeTransform` | `Range` |
//! | `LogTransform` | `Log` `log2`/`log10` (other bases: `linToLog` with unit params) |
//! | `LogAffineTransform` | `Log` `linToLog` / `logToLin` |
//! | `LogCameraTransform` | `Log` `cameraLinToLog` / `cameraLogToLin` |
//! | `ExponentTransform` | `Exponent` basic / mirror / pass-through |
//! | `ExponentWithLinearTransform` | `Exponent` moncurve / moncurve mirror |
//! | `FixedFunctionTransform` ACES 1.x styles (RedMod03/10, Glow03/10, DarkToDim10, GamutComp13) | `Aces`, same style, parameters and direction |
//! | `GradingRGBCurveTransform` | `RgbCurve` (its four B-spline curves, style, lin-to-log bypass and direction) |
//! | `ExposureContrastTransform` | `ExposureContrast`, same style (linear, video, log) and direction |
//! | `FixedFunctionTransform` `RGB_TO_HSV`, `XYZ_TO_xyY`, `XYZ_TO_uvY`, `XYZ_TO_LUV` | `ColourModel`, the style of that direction |
//! | `GradingPrimaryTransform` | `GradingPrimary`, same style (log, lin, video) and direction |
//! | `GradingToneTransform` | `GradingTone`, same style (log, lin, video) and direction |
//! | `FixedFunctionTransform` `REC2100_Surround` | `Surround` (OpenColorIO 2.6's maths, not 2.1's) |
//! | `FixedFunctionTransform` `LIN_TO_PQ` (OpenColorIO 2.5 and newer) | `Pq` |
//! | `FixedFunctionTransform` `RGB_TO_HSY_LIN`, `_LOG`, `_VID` (2.5 and newer) | `ColourModel`, the style of that direction |
//! | `FixedFunctionTransform` `LIN_TO_GAMMA_LOG`, `LIN_TO_DOUBLE_LOG` (2.5 and newer) | `LogCurve`, its parameters and direction |
//!
//! (The grading and fixed-function lines are mapped in `grading.rs`.)
//! Anything else (the other `FixedFunctionTransform` styles, an inverse 3D
//! LUT, a matrix that touches alpha, parameters
//! outside what grade's ops accept) is baked:
//! each contiguous span of such transforms becomes a shaper and a 3D LUT
//! filled by OpenColorIO's own CPU processor for that span. The span's
//! input range is measured by running the transform's probe inputs
//! ([`InputRange::probe`]) through the transforms before it. A range within
//! [-1, 2] is sampled uniformly by the 3D LUT's domain; a wider one goes
//! through an asinh shaper first (a half-domain 1D LUT: linear near 0, log2
//! above, both signs), whose table is inverted exactly to place the
//! lattice. The lattice size is the smallest of 17, 33, 65, 129 whose
//! measured error (against OCIO on the span's inputs plus a grid between
//! lattice points) is at most 1e-4, else at most 1e-3, else the most
//! accurate. Each bake is reported in one line ([`Translation::notes`]),
//! with the measured error of the span and of the whole translated
//! transform against OCIO on the probe inputs.
//!
//! [`LEVEL`] is `OPTIMIZATION_NONE`: every transform as the config wrote
//! it, which OCIO's CPU processor at the same level evaluates with exact
//! maths; grade's own optimise passes then fold what can be folded.

mod bake;
mod curves;
mod grading;
mod mapping;
mod wire;

pub use bake::{Bake, BAKE_BOUNDS, BAKE_SIZES};

use crate::grade::{Op, Program};
use crate::ocio::{ColorSpaceInfo, Optimization, Processor};
use crate::Result;
use bake::{bake_span, worst};
use mapping::{map_line, Item};

/// The optimisation level whose transforms are translated, and at which
/// OCIO evaluates baked spans and the comparisons.
pub const LEVEL: Optimization = Optimization::None;

/// The values a transform's input is expected to take, for baking.
#[derive(Debug, Clone, PartialEq)]
pub enum InputRange {
    /// Display-referred or log-encoded values: the dense set over
    /// [-0.25, 1.25] and ramps over [-0.5, 2].
    Unit,
    /// Scene-linear values: as `Unit`, plus ramps from `2^min - offset` to
    /// `2^max - offset` (an OCIO `lg2` allocation).
    Stops { min: f64, max: f64, offset: f64 },
}

impl InputRange {
    /// From a colour space's allocation: `lg2` with its vars (OCIO's
    /// defaults `[-10, 0]` when none); a `scene-linear` encoding without
    /// an `lg2` allocation is taken as `[-8, 8]` stops; else [`Unit`].
    ///
    /// [`Unit`]: InputRange::Unit
    pub fn from_colorspace(cs: &ColorSpaceInfo) -> InputRange {
        let v = &cs.allocation_vars;
        match cs.allocation {
            crate::ocio::Allocation::Lg2 => InputRange::Stops {
                min: v.first().copied().unwrap_or(-10.0),
                max: v.get(1).copied().unwrap_or(0.0),
                offset: v.get(2).copied().unwrap_or(0.0),
            },
            crate::ocio::Allocation::Uniform if cs.encoding == "scene-linear" => {
                InputRange::Stops {
                    min: -8.0,
                    max: 8.0,
                    offset: 0.0,
                }
            }
            crate::ocio::Allocation::Uniform => InputRange::Unit,
        }
    }

    /// The probe inputs, interleaved RGBA (alpha 1): the dense set of
    /// [`crate::grade::dense`], then for [`InputRange::Stops`] a grey ramp,
    /// one ramp per channel (others at 0.18 of it) and a warm ramp over
    /// the stops, 512 steps each.
    pub fn probe(&self) -> Vec<f32> {
        let mut out = crate::grade::dense::dense_rgba();
        if let InputRange::Stops { min, max, offset } = *self {
            let (min, max) = (min.clamp(-24.0, 16.0), max.clamp(-24.0, 16.0));
            const STEPS: usize = 512;
            for k in 0..STEPS {
                let v =
                    ((min + (max - min) * k as f64 / (STEPS - 1) as f64).exp2() - offset) as f32;
                out.extend_from_slice(&[v, v, v, 1.0]);
                for c in 0..3 {
                    let mut p = [0.18 * v, 0.18 * v, 0.18 * v, 1.0];
                    p[c] = v;
                    out.extend_from_slice(&p);
                }
                out.extend_from_slice(&[v, 0.5 * v, 0.25 * v, 1.0]);
            }
        }
        out
    }
}

/// A processor as grade ops.
#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    pub ops: Vec<Op>,
    pub bakes: Vec<Bake>,
    /// Worst error of the whole translation against OCIO's processor (at
    /// [`LEVEL`]) on the probe inputs, absolute up to 1 and relative above;
    /// measured only when something was baked.
    pub max_error: Option<f64>,
    /// One line per bake, for the user.
    pub notes: Vec<String>,
}

/// Translates `processor` (its transforms at [`LEVEL`]). `label` names the
/// step in notes (e.g. `colour space "log" -> "linear"`); `input` is what
/// the transform's input is expected to hold.
pub fn translate(processor: &Processor, label: &str, input: &InputRange) -> Result<Translation> {
    let text = processor.describe(LEVEL)?;
    let items: Vec<Item> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(map_line)
        .collect::<Result<_>>()?;
    let mut out = Translation {
        ops: Vec::new(),
        bakes: Vec::new(),
        max_error: None,
        notes: Vec::new(),
    };
    let probe = input.probe();
    let mut i = 0;
    while i < items.len() {
        match &items[i] {
            Item::Ops(ops) => {
                out.ops.extend(ops.iter().cloned());
                i += 1;
            }
            Item::Bake(_) => {
                let start = i;
                while i < items.len() && matches!(items[i], Item::Bake(_)) {
                    i += 1;
                }
                let what: Vec<String> = items[start..i]
                    .iter()
                    .filter_map(|it| match it {
                        Item::Bake(n) => Some(n.clone()),
                        Item::Ops(_) => None,
                    })
                    .collect();
                let (ops, bake) = bake_span(processor, start, i, what, &probe)?;
                out.ops.extend(ops);
                out.bakes.push(bake);
            }
        }
    }
    if !out.bakes.is_empty() {
        let reference = processor.span(LEVEL, 0, items.len())?;
        let mut want = probe.clone();
        reference.apply_rgba(&mut want)?;
        let mut got = probe;
        crate::cpu::reference::apply(
            &Program {
                ops: out.ops.clone(),
            },
            &mut got,
        );
        let whole = worst(&got, &want);
        out.max_error = Some(whole);
        for b in &out.bakes {
            out.notes.push(format!(
                "{label}: {} baked to {}{}^3 LUT, max error {:.1e} over [{}, {}] \
                 ({:.1e} over the whole transform)",
                b.what.join(" + "),
                if b.shaper { "asinh shaper + " } else { "" },
                b.size,
                b.span_error,
                fmt_triple(b.domain.0),
                fmt_triple(b.domain.1),
                whole,
            ));
        }
    }
    Ok(out)
}

fn fmt_triple(v: [f32; 3]) -> String {
    if v[0] == v[1] && v[1] == v[2] {
        format!("{:.4}", v[0])
    } else {
        format!("({:.4} {:.4} {:.4})", v[0], v[1], v[2])
    }
}

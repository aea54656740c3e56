//! OpenColorIO's `GradingToneTransform`: the tonal zones of a grading
//! panel (blacks, shadows, midtones, highlights, whites) and an S-shaped
//! contrast, in its log, linear and video styles, forward and inverse.
//!
//! Each zone bends the tone curve over its own range with piecewise
//! quadratic segments: per channel (red, green, blue), then the master
//! value on all three. The order is midtones, highlights, whites, shadows,
//! blacks, then the S-contrast about the style's pivot; the inverse runs it
//! backwards, master first, solving each quadratic. The linear style works
//! on a log2 encoding of its input (OpenColorIO's `LinLog`/`LogLin`
//! shaping, as the RGB curve op's linear style) and every style clamps
//! above at 65504. Log and video styles share their maths and constants.
//!
//! Constants ([`prerender`]) and per-pixel maths ([`GradingTonePrepared`])
//! are OpenColorIO 2.6's (`GradingTone.cpp`, `GradingToneOpCPU.cpp`), the
//! same f32 operations in the same order; a value with no change at all
//! is left out as OpenColorIO's local bypass does. Dynamic properties are
//! taken at their current values.

mod prepared;
mod prerender;
mod zones;
pub use prepared::*;
pub use prerender::prerender;

/// The styles, in record order, are in `ops/list.rs`.
pub use crate::ops::GradingToneStyle;

/// One zone of the panel: a value per channel and master, and where the
/// zone lies. For blacks and whites, `start` and `width` bound the zone;
/// for shadows and highlights `start` is where the bend starts and
/// `width` its pivot; for midtones `start` is the centre.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ToneZone {
    /// `[r, g, b, master]`; 1 is no change.
    pub rgbm: [f64; 4],
    pub start: f64,
    pub width: f64,
}

impl ToneZone {
    pub const fn new(start: f64, width: f64) -> ToneZone {
        ToneZone {
            rgbm: [1.0; 4],
            start,
            width,
        }
    }

    fn is_identity(&self) -> bool {
        self.rgbm == [1.0; 4]
    }
}

/// OpenColorIO's `GradingTone` values.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GradingTone {
    pub style: GradingToneStyle,
    pub blacks: ToneZone,
    pub shadows: ToneZone,
    pub midtones: ToneZone,
    pub highlights: ToneZone,
    pub whites: ToneZone,
    pub s_contrast: f64,
}

grading_style_methods!(GradingToneStyle);

impl GradingToneStyle {
    fn is_video(self) -> bool {
        matches!(self, GradingToneStyle::VideoFwd | GradingToneStyle::VideoRev)
    }
}

/// OpenColorIO's bounds (`GradingTone::validate`), widened by 1e-6 as it
/// does: blacks, midtones and whites in [0.1, 1.9], shadows and
/// highlights in [0.2, 1.8], widths at least 0.01, s-contrast in [0.01,
/// 1.99].
const TOLERANCE: f64 = 0.000_001;

impl GradingTone {
    /// OpenColorIO's defaults for `style`: no change, its zones where its
    /// `GradingTone(style)` puts them.
    pub fn new(style: GradingToneStyle) -> GradingTone {
        let z = ToneZone::new;
        let (blacks, shadows, midtones, highlights, whites) = if style.is_lin() {
            (z(0.0, 4.0), z(2.0, -7.0), z(0.0, 8.0), z(-2.0, 9.0), z(0.0, 8.0))
        } else if style.is_video() {
            (z(0.4, 0.4), z(0.6, 0.0), z(0.4, 0.7), z(0.2, 1.0), z(0.5, 0.5))
        } else {
            (z(0.4, 0.4), z(0.5, 0.0), z(0.4, 0.6), z(0.3, 1.0), z(0.4, 0.5))
        };
        GradingTone {
            style,
            blacks,
            shadows,
            midtones,
            highlights,
            whites,
            s_contrast: 1.0,
        }
    }

    fn zones(&self) -> [(&'static str, &ToneZone, f64, f64); 5] {
        [
            ("blacks", &self.blacks, 0.1, 1.9),
            ("shadows", &self.shadows, 0.2, 1.8),
            ("midtones", &self.midtones, 0.1, 1.9),
            ("highlights", &self.highlights, 0.2, 1.8),
            ("whites", &self.whites, 0.1, 1.9),
        ]
    }

    /// Finite values inside OpenColorIO's bounds (see [`TOLERANCE`]), the
    /// shadow start above its pivot and the highlight start below its
    /// pivot by at least 0.01.
    pub fn validate(&self) -> Result<(), String> {
        let mut all = vec![self.s_contrast];
        for (_, z, _, _) in self.zones() {
            all.extend_from_slice(&z.rgbm);
            all.extend_from_slice(&[z.start, z.width]);
        }
        crate::ops::check_finite("grading tone values", &all)?;
        for (name, z, lo, hi) in self.zones() {
            if z.rgbm.iter().any(|&v| v < lo - TOLERANCE || v > hi + TOLERANCE) {
                return Err(format!("grading tone {name} {:?} outside [{lo}, {hi}]", z.rgbm));
            }
        }
        for (name, z) in [("blacks", &self.blacks), ("midtones", &self.midtones), ("whites", &self.whites)] {
            if z.width < 0.01 - TOLERANCE {
                return Err(format!("grading tone {name} width {} is below 0.01", z.width));
            }
        }
        if self.shadows.start < self.shadows.width + 0.01 - TOLERANCE {
            return Err("grading tone shadows start must be above their pivot (width) by 0.01".into());
        }
        if self.highlights.start > self.highlights.width - 0.01 + TOLERANCE {
            return Err("grading tone highlights start must be below their pivot (width) by 0.01".into());
        }
        if !(0.01 - TOLERANCE..=1.99 + TOLERANCE).contains(&self.s_contrast) {
            return Err(format!("grading tone s-contrast {} outside [0.01, 1.99]", self.s_contrast));
        }
        Ok(())
    }

    /// True when no value changes anything (OpenColorIO's local bypass;
    /// where the zones lie does not matter then).
    pub fn is_identity(&self) -> bool {
        self.zones().iter().all(|(_, z, _, _)| z.is_identity()) && self.s_contrast == 1.0
    }

    pub fn inverse(&self) -> GradingTone {
        GradingTone {
            style: self.style.inverse(),
            ..self.clone()
        }
    }

    pub fn prepare(&self) -> GradingTonePrepared {
        prerender(self)
    }

    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.prepare().apply(rgb)
    }
}

impl crate::ops::OpData for GradingTone {
    type Prepared = GradingTonePrepared;

    fn validate(&self) -> Result<(), String> {
        GradingTone::validate(self)
    }

    fn is_identity(&self) -> bool {
        GradingTone::is_identity(self)
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        Ok(vec![crate::ops::Op::GradingTone(self.inverse())])
    }

    fn prepare(&self) -> GradingTonePrepared {
        GradingTone::prepare(self)
    }
}

/// Values bending every zone both ways (red below 1, green above, blue
/// unchanged, master a little), as the parity test's OpenColorIO script
/// sets them (`grade::grading_parity`): keep in sync.
#[doc(hidden)]
pub fn sample(style: GradingToneStyle) -> GradingTone {
    let mut v = GradingTone::new(style);
    v.blacks.rgbm = [0.8, 1.3, 1.0, 1.05];
    v.shadows.rgbm = [0.7, 1.25, 1.0, 0.95];
    v.midtones.rgbm = [0.85, 1.2, 1.0, 1.1];
    v.highlights.rgbm = [0.75, 1.3, 1.0, 1.1];
    v.whites.rgbm = [0.8, 1.2, 1.0, 0.9];
    v.s_contrast = 1.3;
    v
}

/// One op of every style, and a forward log one with a softer S-contrast
/// and the other bends of master, for `grade::samples::every_op`.
#[doc(hidden)]
pub fn samples() -> Vec<crate::ops::Op> {
    let mut ops: Vec<_> = GradingToneStyle::ALL.into_iter().map(sample).collect();
    let mut soft = sample(GradingToneStyle::LogFwd);
    soft.s_contrast = 0.7;
    for z in [&mut soft.blacks, &mut soft.shadows, &mut soft.midtones, &mut soft.highlights, &mut soft.whites] {
        z.rgbm[3] = 2.0 - z.rgbm[3];
    }
    ops.push(soft);
    ops.into_iter().map(crate::ops::Op::GradingTone).collect()
}

#[cfg(test)]
mod tests;

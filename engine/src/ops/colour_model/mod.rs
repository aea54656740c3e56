//! Colour-model conversions as OpenColorIO's `FixedFunctionTransform` does
//! them, each with its inverse: RGB to HSV (`RGB_TO_HSV`, extended-range
//! HSV: hue on [0, 1], saturation up to 2 for mixed-sign RGB), CIE XYZ to
//! 1931 xyY (`XYZ_TO_xyY`), to 1976 u'v'Y (`XYZ_TO_uvY`) and to CIELUV with
//! a D65 white and L* on [0, 1] (`XYZ_TO_LUV`), and RGB to HSY (hue,
//! saturation, luma: `RGB_TO_HSY_LIN`, `_LOG`, `_VID`, OpenColorIO 2.5's
//! model for hue curves, magenta at hue 0, Rec.709 luma, a saturation
//! measure scaled for scene-linear, log or video code values).
//!
//! The maths is OpenColorIO 2.6's CPU renderers (`FixedFunctionOpCPU.cpp`)
//! in f32, operation for operation: its constants, its guards (a zero
//! denominator gives 0, not a division), and for HSV its handling of
//! negative values. They have no parameters. One choice of grade's: RGB to
//! HSV of a pixel with a NaN channel is NaN in all three (OpenColorIO's
//! result there depends on how its compiler orders `std::min`).

mod prepared;
pub use prepared::*;

/// The styles, in record order, are in `ops/list.rs`.
pub use crate::ops::ColourModelStyle;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ColourModel {
    pub style: ColourModelStyle,
}

impl ColourModelStyle {
    pub fn inverse(self) -> ColourModelStyle {
        use ColourModelStyle::*;
        match self {
            RgbToHsv => HsvToRgb,
            HsvToRgb => RgbToHsv,
            XyzToXyy => XyyToXyz,
            XyyToXyz => XyzToXyy,
            XyzToUvy => UvyToXyz,
            UvyToXyz => XyzToUvy,
            XyzToLuv => LuvToXyz,
            LuvToXyz => XyzToLuv,
            RgbToHsyLin => HsyLinToRgb,
            HsyLinToRgb => RgbToHsyLin,
            RgbToHsyLog => HsyLogToRgb,
            HsyLogToRgb => RgbToHsyLog,
            RgbToHsyVid => HsyVidToRgb,
            HsyVidToRgb => RgbToHsyVid,
        }
    }

    /// OpenColorIO's name of the forward style (`FixedFunctionStyleToString`)
    /// and whether this style is its inverse.
    pub fn opencolorio_name(self) -> (&'static str, bool) {
        use ColourModelStyle::*;
        match self {
            RgbToHsv => ("RGB_TO_HSV", false),
            HsvToRgb => ("RGB_TO_HSV", true),
            XyzToXyy => ("XYZ_TO_xyY", false),
            XyyToXyz => ("XYZ_TO_xyY", true),
            XyzToUvy => ("XYZ_TO_uvY", false),
            UvyToXyz => ("XYZ_TO_uvY", true),
            XyzToLuv => ("XYZ_TO_LUV", false),
            LuvToXyz => ("XYZ_TO_LUV", true),
            RgbToHsyLin => ("RGB_TO_HSY_LIN", false),
            HsyLinToRgb => ("RGB_TO_HSY_LIN", true),
            RgbToHsyLog => ("RGB_TO_HSY_LOG", false),
            HsyLogToRgb => ("RGB_TO_HSY_LOG", true),
            RgbToHsyVid => ("RGB_TO_HSY_VID", false),
            HsyVidToRgb => ("RGB_TO_HSY_VID", true),
        }
    }

    /// The style of OpenColorIO's forward style `name` in `direction`.
    pub fn from_opencolorio(name: &str, direction: crate::ops::Direction) -> Option<Self> {
        let inverse = direction == crate::ops::Direction::Inverse;
        Self::ALL
            .into_iter()
            .find(|s| s.opencolorio_name() == (name, inverse))
    }
}

impl ColourModel {
    pub fn inverse(&self) -> ColourModel {
        ColourModel {
            style: self.style.inverse(),
        }
    }

    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.prepare().apply(rgb)
    }

    pub fn prepare(&self) -> ColourModelPrepared {
        ColourModelPrepared { style: self.style }
    }
}

impl crate::ops::OpData for ColourModel {
    type Prepared = ColourModelPrepared;

    /// No parameters, nothing to check.
    fn validate(&self) -> Result<(), String> {
        Ok(())
    }

    fn is_identity(&self) -> bool {
        false
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        Ok(vec![crate::ops::Op::ColourModel(self.inverse())])
    }

    fn prepare(&self) -> ColourModelPrepared {
        ColourModel::prepare(self)
    }
}

/// One op of every style, for `grade::samples::every_op`.
#[doc(hidden)]
pub fn samples() -> Vec<crate::ops::Op> {
    ColourModelStyle::ALL
        .into_iter()
        .map(|style| crate::ops::Op::ColourModel(ColourModel { style }))
        .collect()
}

#[cfg(test)]
mod tests;

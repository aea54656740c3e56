//! Exposure and contrast as OpenColorIO's `ExposureContrastTransform` does
//! them, in its three styles, forward and inverse:
//!
//! ```text
//! linear: out = pivot * (in * 2^exposure / pivot)^contrast
//! video:  the same on video-like values: 2^exposure and the pivot are
//!         raised to 1/1.83 first (the curve OpenColorIO calls
//!         VIDEO_OETF_POWER)
//! log:    logPivot = log2(pivot / 0.18) * logExposureStep + logMidGray
//!         out = (in + exposure * logExposureStep - logPivot) * contrast + logPivot
//! ```
//!
//! `contrast` is the product of the transform's contrast and gamma, at
//! least 0.001; the pivot is at least 0.001. Where the contrast is 1 the
//! linear and video styles only scale (negatives pass); otherwise negatives
//! and NaN become 0 before the power, as OpenColorIO's renderers clamp them,
//! and the power is OpenColorIO's SSE one ([`crate::ops::fastmath::sse_pow`],
//! about 15 bits), which its CPU processor runs on x86.
//!
//! Dynamic properties are taken at their current values. One quirk is kept
//! on purpose, since grade matches OpenColorIO's processor: OpenColorIO's
//! inverse log renderer scales the exposure by its default step 0.088 rather
//! than the transform's `logExposureStep`, so the inverse log style does the
//! same (and undoes the forward exactly only when the step is 0.088).

mod prepared;
pub use prepared::*;

use crate::ops::mathf::powf;

/// The styles, in record order, are in `ops/list.rs`.
pub use crate::ops::ExposureContrastStyle;

/// OpenColorIO's `EC::MIN_PIVOT` and `EC::MIN_CONTRAST`.
const MIN_PIVOT: f64 = 0.001;
const MIN_CONTRAST: f64 = 0.001;
/// OpenColorIO's `EC::VIDEO_OETF_POWER` (1/1.83).
const VIDEO_OETF_POWER: f64 = 0.546_448_087_431_693_9;
/// The step OpenColorIO's inverse log renderer uses whatever the transform says.
const DEFAULT_LOG_EXPOSURE_STEP: f32 = 0.088;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExposureContrast {
    pub style: ExposureContrastStyle,
    /// Stops (linear, video) or steps of `log_exposure_step` (log).
    pub exposure: f64,
    pub contrast: f64,
    /// Multiplies the contrast (OpenColorIO's separate gamma control).
    pub gamma: f64,
    /// Scene-linear value left unchanged by the contrast.
    pub pivot: f64,
    /// Log style: code value change per stop.
    pub log_exposure_step: f64,
    /// Log style: code value of scene-linear 0.18.
    pub log_mid_grey: f64,
}

impl Default for ExposureContrast {
    /// OpenColorIO's defaults: no change, pivot 0.18, step 0.088, mid grey 0.435.
    fn default() -> Self {
        ExposureContrast {
            style: ExposureContrastStyle::LinearFwd,
            exposure: 0.0,
            contrast: 1.0,
            gamma: 1.0,
            pivot: 0.18,
            log_exposure_step: 0.088,
            log_mid_grey: 0.435,
        }
    }
}

impl ExposureContrastStyle {
    pub fn inverse(self) -> ExposureContrastStyle {
        use ExposureContrastStyle::*;
        match self {
            LinearFwd => LinearRev,
            LinearRev => LinearFwd,
            VideoFwd => VideoRev,
            VideoRev => VideoFwd,
            LogFwd => LogRev,
            LogRev => LogFwd,
        }
    }
}

impl ExposureContrast {
    /// Every parameter finite.
    pub fn validate(&self) -> Result<(), String> {
        crate::ops::check_finite(
            "exposure/contrast parameters",
            &[
                self.exposure,
                self.contrast,
                self.gamma,
                self.pivot,
                self.log_exposure_step,
                self.log_mid_grey,
            ],
        )
    }

    /// No exposure, contrast and gamma 1 (as OpenColorIO decides it).
    pub fn is_identity(&self) -> bool {
        self.exposure == 0.0 && self.contrast == 1.0 && self.gamma == 1.0
    }

    pub fn inverse(&self) -> ExposureContrast {
        ExposureContrast {
            style: self.style.inverse(),
            ..self.clone()
        }
    }

    /// The constants as OpenColorIO's renderers compute them (its
    /// `ECLinearRenderer` ... `ECLogarithmicRevRenderer`), same casts.
    pub fn prepare(&self) -> ExposureContrastPrepared {
        use ExposureContrastStyle::*;
        let contrast = MIN_CONTRAST.max(self.contrast * self.gamma) as f32;
        let pivot = MIN_PIVOT.max(self.pivot) as f32;
        let exposure = powf(2.0, self.exposure as f32);
        let video = |v: f32| powf(v, VIDEO_OETF_POWER as f32);
        let (mode, k) = match self.style {
            LinearFwd | VideoFwd => {
                let (exposure, pivot) = match self.style {
                    VideoFwd => (video(exposure), video(pivot)),
                    _ => (exposure, pivot),
                };
                if contrast == 1.0 {
                    (EcMode::Scale, [exposure, 0.0, 0.0])
                } else {
                    (EcMode::Power, [exposure / pivot, contrast, pivot])
                }
            }
            LinearRev | VideoRev => {
                let (inv_exposure, pivot) = match self.style {
                    VideoRev => (1.0 / video(exposure), video(pivot)),
                    _ => (1.0 / exposure, pivot),
                };
                if contrast == 1.0 {
                    (EcMode::Scale, [inv_exposure, 0.0, 0.0])
                } else {
                    (
                        EcMode::Power,
                        [1.0 / pivot, 1.0 / contrast, pivot * inv_exposure],
                    )
                }
            }
            LogFwd => {
                let log_pivot = self.log_pivot(pivot);
                let exposure = self.exposure as f32 * self.log_exposure_step as f32;
                let offset = (exposure - log_pivot) * contrast + log_pivot;
                (EcMode::Affine, [contrast, offset, 0.0])
            }
            LogRev => {
                let log_pivot = self.log_pivot(pivot);
                let exposure = self.exposure as f32 * DEFAULT_LOG_EXPOSURE_STEP;
                let inv_contrast = MIN_CONTRAST.max(1.0 / (self.contrast * self.gamma)) as f32;
                let offset = log_pivot - log_pivot * inv_contrast - exposure;
                (EcMode::Affine, [inv_contrast, offset, 0.0])
            }
        };
        ExposureContrastPrepared {
            style: self.style,
            mode,
            k,
        }
    }

    /// The pivot's log code value, in f64 from the f32 pivot as OpenColorIO.
    fn log_pivot(&self, pivot: f32) -> f32 {
        let v = (pivot as f64 / 0.18).log2() * self.log_exposure_step + self.log_mid_grey;
        v.max(0.0) as f32
    }

    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.prepare().apply(rgb)
    }
}

impl crate::ops::OpData for ExposureContrast {
    type Prepared = ExposureContrastPrepared;

    fn validate(&self) -> Result<(), String> {
        ExposureContrast::validate(self)
    }

    fn is_identity(&self) -> bool {
        ExposureContrast::is_identity(self)
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        Ok(vec![crate::ops::Op::ExposureContrast(self.inverse())])
    }

    fn prepare(&self) -> ExposureContrastPrepared {
        ExposureContrast::prepare(self)
    }
}


/// One op of every style, and one with contrast 1 (the plain scale), for
/// `grade::samples::every_op`.
#[doc(hidden)]
pub fn samples() -> Vec<crate::ops::Op> {
    let mut ops: Vec<_> = ExposureContrastStyle::ALL
        .iter()
        .map(|&style| ExposureContrast {
            style,
            exposure: 0.5,
            contrast: 1.2,
            gamma: 0.95,
            pivot: 0.18,
            log_exposure_step: 0.07,
            log_mid_grey: 0.4,
        })
        .collect();
    ops.push(ExposureContrast {
        exposure: -0.5,
        ..ExposureContrast::default()
    });
    ops.into_iter()
        .map(crate::ops::Op::ExposureContrast)
        .collect()
}

#[cfg(test)]
mod tests;

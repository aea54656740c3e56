//! The mapping of OpenColorIO's grading transforms (`ExposureContrast`,
//! `GradingPrimary`) and its `FixedFunction` styles onto grade's ops, from
//! the lines `grade_ocio_describe` writes for them (grammar in `shim.h`).
//! A style grade has no op for is named for baking, as before.

use crate::grade::Op;
use crate::ops::{Direction, ExposureContrast, ExposureContrastStyle};

use super::mapping::{checked, Item};
use super::wire::Numbers;

/// `exposurecontrast linear|video|log exposure contrast gamma pivot
/// log_exposure_step log_mid_gray`.
pub(super) fn exposure_contrast(p: &mut Numbers, direction: Direction) -> Option<Item> {
    use ExposureContrastStyle::*;
    let style = match p.word()? {
        "linear" => LinearFwd,
        "video" => VideoFwd,
        "log" => LogFwd,
        _ => return None,
    };
    let [exposure, contrast, gamma, pivot, log_exposure_step, log_mid_grey] = p.take::<6>()?;
    let style = match direction {
        Direction::Forward => style,
        Direction::Inverse => style.inverse(),
    };
    Some(checked(
        "ExposureContrast",
        Op::ExposureContrast(ExposureContrast {
            style,
            exposure,
            contrast,
            gamma,
            pivot,
            log_exposure_step,
            log_mid_grey,
        }),
    ))
}

/// `gradingprimary STYLE values...`: not yet a grade op.
pub(super) fn grading_primary(_p: &mut Numbers, _direction: Direction) -> Option<Item> {
    Some(Item::Bake("GradingPrimary".into()))
}

/// `fixed STYLE params...`: the styles grade has an op for; the others are
/// baked under their OpenColorIO name.
pub(super) fn fixed_function(p: &mut Numbers, _direction: Direction) -> Option<Item> {
    let style = p.word()?;
    Some(Item::Bake(format!("FixedFunction:{style}")))
}

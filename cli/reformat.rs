//! The reformat flags of `apply` and `conform`, turned into the engine's
//! [`Reformat`] and checked against the sources before any frame renders.

use anyhow::Result;
use grade_engine::reformat::{
    Crop, Filter, Format, Order, Reformat, Reposition, Resize, SourceGeometry,
};
use grade_engine::Error;

use crate::args::ReformatArgs;

/// The `--format` asked for, if any.
pub fn asked_format(a: &ReformatArgs) -> Result<Option<Format>> {
    Ok(a.format.as_deref().map(Format::parse).transpose()?)
}

/// Whether any reformat flag was given.
pub fn asked(a: &ReformatArgs) -> bool {
    a.format.is_some()
        || a.resize.is_some()
        || a.filter.is_some()
        || a.source_par.is_some()
        || a.crop.is_some()
        || a.scale.is_some()
        || !a.translate.is_empty()
        || a.rotate.is_some()
        || a.reformat_after
}

/// The reformat into `format` that the flags describe.
pub fn from_args(a: &ReformatArgs, format: Format) -> Result<Reformat> {
    let positive = |flag: &str, v: f64| -> Result<f64> {
        if v.is_finite() && v > 0.0 {
            Ok(v)
        } else {
            Err(Error::Usage(format!("{flag} {v}: must be a positive number")).into())
        }
    };
    let finite = |flag: &str, v: f64| -> Result<f64> {
        if v.is_finite() {
            Ok(v)
        } else {
            Err(Error::Usage(format!("{flag} {v}: must be a finite number")).into())
        }
    };
    let translate = match a.translate.as_slice() {
        [] => [0.0, 0.0],
        [x, y] => [finite("--translate", *x)?, finite("--translate", *y)?],
        _ => return Err(Error::Usage("--translate takes two numbers: X Y".into()).into()),
    };
    Ok(Reformat {
        format,
        resize: a.resize.as_deref().map_or(Ok(Resize::Fit), Resize::parse)?,
        filter: a
            .filter
            .as_deref()
            .map_or(Ok(Filter::Lanczos3), Filter::parse)?,
        source_par: a
            .source_par
            .map(|p| positive("--source-par", p))
            .transpose()?,
        crop: a.crop.as_deref().map(Crop::parse).transpose()?,
        reposition: Reposition {
            scale: a.scale.map_or(Ok(1.0), |s| positive("--scale", s))?,
            translate,
            rotate: a.rotate.map_or(Ok(0.0), |r| finite("--rotate", r))?,
        },
        order: if a.reformat_after {
            Order::AfterGrade
        } else {
            Order::BeforeGrade
        },
    })
}

/// `apply`'s output format when `--format` is not given: the crop's size,
/// else the source's, desqueezed to square pixels by the source pixel
/// aspect (`--source-par`, else the file's).
pub fn default_format(a: &ReformatArgs, src: SourceGeometry) -> Result<Format> {
    let crop = a.crop.as_deref().map(Crop::parse).transpose()?;
    let (w, h) = crop.map_or((src.width, src.height), |c| (c.width, c.height));
    let par = a.source_par.unwrap_or(src.par);
    let width = if par.is_finite() && par > 0.0 {
        ((f64::from(w) * par).round() as u32).max(1)
    } else {
        w
    };
    Ok(Format {
        width,
        height: h,
        par: 1.0,
    })
}

/// Plans `r` for `src` once, so that a crop outside the picture or a size
/// past the engine's limits fails (exit 2, naming the flag) before the
/// first frame renders.
pub fn check(r: &Reformat, src: SourceGeometry) -> Result<()> {
    r.plan(src)?;
    Ok(())
}

//! Inline CDL trials, both styles and directions, and a primary grade
//! against the CDL OpenColorIO builds for it.

use super::*;

pub(crate) fn inline_cdl_trial(style: CdlStyle, direction: Direction) -> Result<(), Failed> {
    // Values a colourist might dial in: slopes either side of 1, a lifted
    // and a crushed offset, powers either side of 1, reduced saturation.
    let cdl = Cdl {
        id: None,
        slope: [1.15, 0.92, 1.04],
        offset: [0.03, -0.02, 0.01],
        power: [0.9, 1.12, 1.0],
        saturation: 0.8,
        style,
        direction,
    };
    let ocio = Processor::cdl(&cdl)
        .and_then(|p| p.with_optimization(Optimization::None))
        .map_err(|e| format!("OCIO CDLTransform: {e}"))?;
    let program = Program {
        ops: vec![Op::Cdl(cdl)],
    };
    check("inline CDL", &program, &ocio)
}

/// A primary without the post-gamma offset is a no-clamp CDL: exposure,
/// contrast and lift/gain fold into one slope and offset, the gamma is the
/// power `1/gamma` (both pass values <= 0 through), saturation is the same.
/// OpenColorIO has no primary of grade's definition, so grade's primary and
/// its inverse (a matrix, a gamma and a scale) are compared with OCIO's
/// CDL_NO_CLAMP forward and reverse built from those numbers.
pub(crate) fn primary_as_cdl_trial(direction: Direction) -> Result<(), Failed> {
    let p = Primary {
        exposure: [0.5, -0.3, 0.2],
        contrast: [1.2, 0.9, 1.1],
        pivot: 0.18,
        lift: [0.02, -0.01, 0.03],
        gamma: [1.1, 0.9, 1.25],
        gain: [1.1, 0.95, 1.05],
        offset: [0.0; 3],
        saturation: 0.8,
    };
    let mut slope = [0.0; 3];
    let mut offset = [0.0; 3];
    for c in 0..3 {
        // ((x*e - pivot)*k + pivot)*(gain - lift) + lift
        let (e, k, range) = (p.exposure[c].exp2(), p.contrast[c], p.gain[c] - p.lift[c]);
        slope[c] = e * k * range;
        offset[c] = p.pivot * (1.0 - k) * range + p.lift[c];
    }
    let cdl = Cdl {
        id: None,
        slope,
        offset,
        power: p.gamma.map(|g| 1.0 / g),
        saturation: p.saturation,
        style: CdlStyle::NoClamp,
        direction,
    };
    let ocio = Processor::cdl(&cdl)
        .and_then(|p| p.with_optimization(Optimization::None))
        .map_err(|e| format!("OCIO CDLTransform: {e}"))?;
    let ops = match direction {
        Direction::Forward => vec![Op::Primary(p)],
        Direction::Inverse => Op::Primary(p)
            .inverse()
            .map_err(|e| format!("grade: {e}"))?,
    };
    check("primary as a no-clamp CDL", &Program { ops }, &ocio)
}

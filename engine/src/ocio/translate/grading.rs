//! The mapping of OpenColorIO's grading transforms (`ExposureContrast`,
//! `GradingPrimary`) and its `FixedFunction` styles onto grade's ops, from
//! the lines `grade_ocio_describe` writes for them (grammar in `shim.h`).
//! A style grade has no op for is named for baking, as before.

use crate::grade::Op;
use crate::ops::{
    Aces2, Aces2Style, ColourModel, ColourModelStyle, Direction, ExposureContrast,
    ExposureContrastStyle, GradingPrimary, GradingPrimaryStyle, GradingTone, GradingToneStyle,
    LogCurve, LogCurveStyle, Pq, PqStyle, Surround, SurroundStyle,
};

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

/// The grading style word (`log`, `lin`, `video`) as the forward style of
/// `forward` (in that order), turned round for an inverse line.
fn grading_style<S: Copy>(
    p: &mut Numbers,
    direction: Direction,
    forward: [S; 3],
    inverse: fn(S) -> S,
) -> Option<S> {
    let style = match p.word()? {
        "log" => forward[0],
        "lin" => forward[1],
        "video" => forward[2],
        _ => return None,
    };
    Some(match direction {
        Direction::Forward => style,
        Direction::Inverse => inverse(style),
    })
}

/// `gradingprimary log|lin|video brightness contrast gamma offset exposure
/// lift gain (each r g b master) pivot saturation clamp_white clamp_black
/// pivot_white pivot_black`.
pub(super) fn grading_primary(p: &mut Numbers, direction: Direction) -> Option<Item> {
    use GradingPrimaryStyle::*;
    let style = grading_style(p, direction, [LogFwd, LinFwd, VideoFwd], |s| s.inverse())?;
    let mut v = GradingPrimary::new(style);
    for rgbm in [
        &mut v.brightness,
        &mut v.contrast,
        &mut v.gamma,
        &mut v.offset,
        &mut v.exposure,
        &mut v.lift,
        &mut v.gain,
    ] {
        *rgbm = p.take::<4>()?;
    }
    [
        v.pivot,
        v.saturation,
        v.clamp_white,
        v.clamp_black,
        v.pivot_white,
        v.pivot_black,
    ] = p.take::<6>()?;
    Some(checked("GradingPrimary", Op::GradingPrimary(v)))
}

/// `gradingtone log|lin|video blacks shadows midtones highlights whites
/// (each r g b master start width) s_contrast`.
pub(super) fn grading_tone(p: &mut Numbers, direction: Direction) -> Option<Item> {
    use GradingToneStyle::*;
    let style = grading_style(p, direction, [LogFwd, LinFwd, VideoFwd], |s| s.inverse())?;
    let mut v = GradingTone::new(style);
    for zone in [
        &mut v.blacks,
        &mut v.shadows,
        &mut v.midtones,
        &mut v.highlights,
        &mut v.whites,
    ] {
        let [r, g, b, m, start, width] = p.take::<6>()?;
        zone.rgbm = [r, g, b, m];
        zone.start = start;
        zone.width = width;
    }
    [v.s_contrast] = p.take::<1>()?;
    Some(checked("GradingTone", Op::GradingTone(v)))
}

/// `fixed STYLE params...`: the styles grade has an op for; the others are
/// baked under their OpenColorIO name.
pub(super) fn fixed_function(p: &mut Numbers, direction: Direction) -> Option<Item> {
    let style = p.word()?;
    if let Some(style) = ColourModelStyle::from_opencolorio(style, direction) {
        return Some(Item::Ops(vec![Op::ColourModel(ColourModel { style })]));
    }
    // OpenColorIO 2.5's style (named so by FixedFunctionStyleToString):
    // reached with a newer linked library.
    if style == "Lin_TO_PQ" {
        let style = match direction {
            Direction::Forward => PqStyle::LinToPq,
            Direction::Inverse => PqStyle::PqToLin,
        };
        return Some(Item::Ops(vec![Op::Pq(Pq { style })]));
    }
    // OpenColorIO 2.5's camera curves, with their 10 or 13 parameters.
    if let Some(curve) = LogCurveStyle::from_opencolorio(style, direction) {
        let params = p.rest()?;
        let op = Op::LogCurve(LogCurve {
            style: curve,
            params,
        });
        return Some(checked(&format!("FixedFunction:{style}"), op));
    }
    // OpenColorIO 2.5's ACES 2.0 styles, with their parameters.
    if let Some(aces2) = Aces2Style::ALL.into_iter().find(|s| s.ocio_name() == style) {
        let params = p.rest()?;
        let op = Op::Aces2(Aces2 {
            style: aces2,
            direction,
            params,
        });
        return Some(checked(&format!("FixedFunction:{style}"), op));
    }
    if style == "REC2100_Surround" {
        let [gamma] = p.take::<1>()?;
        let style = match direction {
            Direction::Forward => SurroundStyle::Rec2100Fwd,
            Direction::Inverse => SurroundStyle::Rec2100Inv,
        };
        return Some(checked(
            "FixedFunction:REC2100_Surround",
            Op::Surround(Surround { style, gamma }),
        ));
    }
    Some(Item::Bake(format!("FixedFunction:{style}")))
}

#[cfg(test)]
mod tests {
    //! Each transform of `tests/data/ocio/grading.ocio`, both ways, through
    //! [`crate::ocio::config::ConfigStep::translate`]: grade ops only, no
    //! bake and no note, and the linked OpenColorIO's own processor gives
    //! about the same values on the probe inputs. grade follows OpenColorIO
    //! 2.6's x86 renderers (`grade::grading_parity`, to the bit there); a
    //! linked library built without SSE (Debian's 2.1) raises to powers
    //! with the C library's `powf` instead of OpenColorIO's 15-bit SSE
    //! power, 1.5e-5 apart on these inputs, and takes the linear grading
    //! tone's log shaping with the C library's log and pow rather than
    //! OpenColorIO's SSE log2 and exp2 (up to 4.9e-5 apart there), so the
    //! check here is 5e-5 (relative above 1).

    use crate::grade::Program;
    use crate::ocio::config::{ConfigStep, ConfigTransform};
    use crate::ocio::translate::{InputRange, LEVEL};
    use crate::testutil::fixture;

    #[test]
    fn lines_map_to_their_styles_and_directions() {
        use super::super::mapping::{map_line, Item};
        use crate::grade::Op;
        use crate::ops::{ColourModelStyle, ExposureContrastStyle, GradingPrimaryStyle};
        let one = |line: &str| match map_line(line).unwrap() {
            Item::Ops(ops) if ops.len() == 1 => ops[0].clone(),
            other => panic!("{line}: {other:?}"),
        };
        assert!(matches!(
            one("i exposurecontrast log 0.5 1.2 0.95 0.18 0.07 0.4"),
            Op::ExposureContrast(e) if e.style == ExposureContrastStyle::LogRev && e.log_exposure_step == 0.07
        ));
        assert!(matches!(
            one("f fixed ACES2_OutputTransform 100 0.64 0.33 0.3 0.6 0.15 0.06 0.3127 0.329"),
            Op::Aces2(a) if a.style == crate::ops::Aces2Style::OutputTransform20
                && a.direction == crate::ops::Direction::Forward
                && a.params.len() == 9
        ));
        assert!(matches!(
            one("i fixed ACES2_TonescaleCompress 1000"),
            Op::Aces2(a) if a.style == crate::ops::Aces2Style::TonescaleCompress20
                && a.direction == crate::ops::Direction::Inverse
        ));
        assert!(matches!(
            one("i fixed XYZ_TO_LUV"),
            Op::ColourModel(m) if m.style == ColourModelStyle::LuvToXyz
        ));
        let rgbm = "0 0 0 0 1 1 1 1.5 1 1 1 1 0 0 0 0 0 0 0 0 0 0 0 0 1 1 1 1";
        let gp = one(&format!(
            "f gradingprimary lin {rgbm} 0.18 1.1 1.7976931348623157e+308 -1.7976931348623157e+308 1 0"
        ));
        assert!(matches!(
            gp,
            Op::GradingPrimary(g) if g.style == GradingPrimaryStyle::LinFwd
                && g.contrast == [1.0, 1.0, 1.0, 1.5]
                && g.clamp_white == f64::MAX
                && g.saturation == 1.1
        ));
        let zones =
            "0.4 1 1 1 0.4 0.4 1 1 1 1 0.5 0 1 1.2 1 1 0.4 0.6 1 1 1 1 0.3 1 1 1 1 1 0.4 0.5";
        assert!(matches!(
            one(&format!("i gradingtone video {zones} 1.3")),
            Op::GradingTone(g) if g.style == crate::ops::GradingToneStyle::VideoRev
                && g.blacks.rgbm == [0.4, 1.0, 1.0, 1.0]
                && g.midtones.rgbm[1] == 1.2
                && g.whites.width == 0.5
                && g.s_contrast == 1.3
        ));
        assert_eq!(
            map_line(&format!("f gradingtone log {zones} 9")).unwrap(),
            Item::Bake("GradingTone".into()),
            "an s-contrast OpenColorIO refuses is left to it"
        );
        assert!(matches!(
            one("i fixed Lin_TO_PQ"),
            Op::Pq(p) if p.style == crate::ops::PqStyle::PqToLin
        ));
        assert!(matches!(
            one("i fixed Lin_TO_GammaLog 0 0.25 0.5 1 0 2.718281828459045 0.17883277 0.8078 1 -0.0712"),
            Op::LogCurve(c) if c.style == crate::ops::LogCurveStyle::GammaLogToLin && c.params[6] == 0.17883277
        ));
        assert!(matches!(
            one("f fixed RGB_TO_HSY_LOG"),
            Op::ColourModel(m) if m.style == ColourModelStyle::RgbToHsyLog
        ));
        assert_eq!(
            map_line("f fixed Lin_TO_DoubleLog 10 0 0").unwrap(),
            Item::Bake("FixedFunction:Lin_TO_DoubleLog".into())
        );
        assert_eq!(
            map_line("f fixed ACES_RedMod03").unwrap(),
            Item::Bake("FixedFunction:ACES_RedMod03".into())
        );
        for bad in [
            "f exposurecontrast linear 1 2",
            "f exposurecontrast sideways 0 1 1 0.18 0.088 0.435",
            "f gradingprimary lin 1 2 3",
            "f gradingtone log 1 1 1 1 0.4 0.4 1",
            "f fixed",
        ] {
            assert!(map_line(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_grading_and_colour_model_transform_is_translated_without_a_bake() {
        let config = fixture("ocio/grading.ocio");
        let names = crate::ocio::config_names(&config).unwrap();
        let mut failures = Vec::new();
        for cs in names.colorspaces.iter().filter(|c| c.name != "linear") {
            for (from, to) in [("linear", cs.name.as_str()), (cs.name.as_str(), "linear")] {
                let step = ConfigStep {
                    transform: ConfigTransform::ColorSpaces {
                        from: from.into(),
                        to: to.into(),
                    },
                    invert: false,
                };
                let t = step.translate(Some(&config)).unwrap();
                assert!(
                    t.bakes.is_empty() && t.notes.is_empty() && !t.ops.is_empty(),
                    "{from} -> {to}: {:?}",
                    t.notes
                );
                let (processor, _) = step.processor(Some(&config)).unwrap();
                let processor = processor.with_optimization(LEVEL).unwrap();
                let probe = InputRange::Unit.probe();
                let mut want = probe.clone();
                processor.apply_rgba(&mut want).unwrap();
                let mut got = probe;
                crate::cpu::reference::apply(&Program { ops: t.ops }, &mut got);
                let worst = got
                    .iter()
                    .zip(&want)
                    .map(|(g, w)| ((g - w).abs() / w.abs().max(1.0)) as f64)
                    .fold(0.0, f64::max);
                println!("{from} -> {to}: worst difference from OpenColorIO {worst:e}");
                if worst > 5e-5 || worst.is_nan() {
                    failures.push(format!("{from} -> {to}: {worst:e}"));
                }
            }
        }
        assert!(failures.is_empty(), "{failures:?}");
    }
}

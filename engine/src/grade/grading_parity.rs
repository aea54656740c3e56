//! Parity with OpenColorIO 2.6 (the Python bindings in the reference
//! environment, CPU processor at `OPTIMIZATION_NONE`) of the ops that come
//! from its grading and fixed-function transforms: one test per style and
//! direction, each on its own dense set (the shared dense inputs, or values
//! of the space the inverse starts from). Expected values are computed by
//! OpenColorIO, never typed in; the comparison is
//! [`super::ocio_parity::compare`] (1e-5, relative above 1).

use super::dense::dense_rgba;
use super::ocio_parity::compare;
use super::Op;
use crate::ops::grading_primary::sample;
use crate::ops::{
    ColourModel, ColourModelStyle, ExposureContrast, ExposureContrastStyle, GradingPrimaryStyle,
    GradingToneStyle, LogCurve, LogCurveStyle, Pq, PqStyle, Surround, SurroundStyle,
};

/// Builds the OpenColorIO transform for case `name`, applies it to the
/// float32 RGBA on stdin and writes the result to stdout.
const SCRIPT: &str = r#"
import sys, numpy as np, PyOpenColorIO as O
name = sys.argv[1]
fwd, inv = O.TRANSFORM_DIR_FORWARD, O.TRANSFORM_DIR_INVERSE
ec_styles = {'linear': O.EXPOSURE_CONTRAST_LINEAR, 'video': O.EXPOSURE_CONTRAST_VIDEO,
             'log': O.EXPOSURE_CONTRAST_LOGARITHMIC}
def ec(style, d):
    return O.ExposureContrastTransform(style=ec_styles[style], exposure=0.5, contrast=1.2,
                                       gamma=0.95, pivot=0.18, logExposureStep=0.07,
                                       logMidGray=0.4, direction=d)
# ops::log_curve::HLG and DOUBLE_LOG.
log_curves = {'LIN_TO_GAMMA_LOG': [0.0, 0.25, 0.5, 1.0, 0.0, 2.718281828459045, 0.17883277,
                                   0.8078255901640123, 1.0, -0.07116723],
              'LIN_TO_DOUBLE_LOG': [10.0, -0.001, 0.002, -0.24136077, 0.092864125,
                                    -96.77708333333332, 1.0, 0.24136077, 0.092864125,
                                    96.77708333333332, 1.0, 9.409892171, 0.092591017103]}
def ff(style, d):
    params = [0.78] if style == 'REC2100_SURROUND' else log_curves.get(style, [])
    return O.FixedFunctionTransform(getattr(O, 'FIXED_FUNCTION_' + style), params, direction=d)
gp_styles = {'log': O.GRADING_LOG, 'lin': O.GRADING_LIN, 'video': O.GRADING_VIDEO}
def gp(style, d):
    # The values of ops::grading_primary::sample.
    v = O.GradingPrimary(gp_styles[style])
    v.brightness = O.GradingRGBM(5, -3, 2, 4)
    v.contrast = O.GradingRGBM(1.1, 0.95, 1.05, 1.1)
    v.gamma = O.GradingRGBM(1.1, 0.9, 1.05, 1.02)
    v.offset = O.GradingRGBM(0.01, -0.02, 0.005, 0.01)
    v.exposure = O.GradingRGBM(0.3, -0.2, 0.1, 0.25)
    v.lift = O.GradingRGBM(0.02, -0.01, 0.0, 0.01)
    v.gain = O.GradingRGBM(1.1, 0.95, 1.05, 1.02)
    v.saturation = 1.15
    if style == 'lin':
        v.clampBlack, v.clampWhite = -0.05, 1.5
    elif style == 'video':
        v.pivotBlack, v.pivotWhite = 0.05, 0.95
    return O.GradingPrimaryTransform(v, gp_styles[style], False, d)
def gt(style, d, soft=False):
    # The values of ops::grading_tone::sample (soft: its softer sample).
    v = O.GradingTone(gp_styles[style])
    zones = {'blacks': [0.8, 1.3, 1, 1.05], 'shadows': [0.7, 1.25, 1, 0.95],
             'midtones': [0.85, 1.2, 1, 1.1], 'highlights': [0.75, 1.3, 1, 1.1],
             'whites': [0.8, 1.2, 1, 0.9]}
    for zone, (r, g, b, m) in zones.items():
        z = getattr(v, zone)
        setattr(v, zone, O.GradingRGBMSW(r, g, b, 2 - m if soft else m, z.start, z.width))
    v.scontrast = 0.7 if soft else 1.3
    return O.GradingToneTransform(v, gp_styles[style], False, d)
def gtsoft(style, d):
    return gt(style, d, True)
kind, style, d = name.split(':')
d = fwd if d == 'fwd' else inv
t = {'ec': ec, 'ff': ff, 'gp': gp, 'gt': gt, 'gtsoft': gtsoft}[kind](style, d)
p = O.Config.CreateRaw().getProcessor(t).getOptimizedCPUProcessor(O.OPTIMIZATION_NONE)
a = np.frombuffer(sys.stdin.buffer.read(), dtype=np.float32).copy()
p.applyRGBA(a)
sys.stdout.buffer.write(a.astype(np.float32).tobytes())
"#;

/// `op` against case `name` on `input`; skipped without the reference
/// Python (failed under CI, see `testutil::reference_python`).
fn check(name: &str, op: Op, input: &[f32]) {
    let Some(py) = crate::testutil::reference_python() else {
        return;
    };
    if let Err(e) = compare(&py, SCRIPT, name, op, input) {
        panic!("{e}");
    }
}

/// The parameters of the `ec` cases of [`SCRIPT`].
fn ec(style: ExposureContrastStyle) -> Op {
    Op::ExposureContrast(ExposureContrast {
        style,
        exposure: 0.5,
        contrast: 1.2,
        gamma: 0.95,
        pivot: 0.18,
        log_exposure_step: 0.07,
        log_mid_grey: 0.4,
    })
}

#[test]
fn exposure_contrast_linear_fwd() {
    check(
        "ec:linear:fwd",
        ec(ExposureContrastStyle::LinearFwd),
        &dense_rgba(),
    );
}

#[test]
fn exposure_contrast_linear_inv() {
    check(
        "ec:linear:inv",
        ec(ExposureContrastStyle::LinearRev),
        &dense_rgba(),
    );
}

#[test]
fn exposure_contrast_video_fwd() {
    check(
        "ec:video:fwd",
        ec(ExposureContrastStyle::VideoFwd),
        &dense_rgba(),
    );
}

#[test]
fn exposure_contrast_video_inv() {
    check(
        "ec:video:inv",
        ec(ExposureContrastStyle::VideoRev),
        &dense_rgba(),
    );
}

#[test]
fn exposure_contrast_log_fwd() {
    check(
        "ec:log:fwd",
        ec(ExposureContrastStyle::LogFwd),
        &dense_rgba(),
    );
}

#[test]
fn exposure_contrast_log_inv() {
    // OpenColorIO's inverse log renderer takes the step as 0.088 whatever
    // the transform says (0.07 here); grade follows it.
    check(
        "ec:log:inv",
        ec(ExposureContrastStyle::LogRev),
        &dense_rgba(),
    );
}

/// Case `ff:STYLE:DIR` for a colour-model style, on the dense inputs, and
/// for an inverse style also on the dense inputs taken through the forward
/// style (values of the space the inverse starts from).
fn colour_model(style: ColourModelStyle) {
    let (name, inverse) = style.opencolorio_name();
    let mut input = dense_rgba();
    if inverse {
        let mut there = input.clone();
        let forward = Op::ColourModel(ColourModel {
            style: style.inverse(),
        });
        crate::cpu::reference::apply(&super::Program { ops: vec![forward] }, &mut there);
        input.extend(there);
    }
    let case = format!("ff:{name}:{}", if inverse { "inv" } else { "fwd" });
    check(&case, Op::ColourModel(ColourModel { style }), &input);
}

#[test]
fn fixed_function_rgb_to_hsv_fwd() {
    colour_model(ColourModelStyle::RgbToHsv);
}

#[test]
fn fixed_function_rgb_to_hsv_inv() {
    colour_model(ColourModelStyle::HsvToRgb);
}

#[test]
fn fixed_function_xyz_to_xyy_fwd() {
    colour_model(ColourModelStyle::XyzToXyy);
}

#[test]
fn fixed_function_xyz_to_xyy_inv() {
    colour_model(ColourModelStyle::XyyToXyz);
}

#[test]
fn fixed_function_xyz_to_uvy_fwd() {
    colour_model(ColourModelStyle::XyzToUvy);
}

#[test]
fn fixed_function_xyz_to_uvy_inv() {
    colour_model(ColourModelStyle::UvyToXyz);
}

#[test]
fn fixed_function_xyz_to_luv_fwd() {
    colour_model(ColourModelStyle::XyzToLuv);
}

#[test]
fn fixed_function_xyz_to_luv_inv() {
    colour_model(ColourModelStyle::LuvToXyz);
}

#[test]
fn fixed_function_rgb_to_hsy_lin_fwd() {
    colour_model(ColourModelStyle::RgbToHsyLin);
}

#[test]
fn fixed_function_rgb_to_hsy_lin_inv() {
    colour_model(ColourModelStyle::HsyLinToRgb);
}

#[test]
fn fixed_function_rgb_to_hsy_log_fwd() {
    colour_model(ColourModelStyle::RgbToHsyLog);
}

#[test]
fn fixed_function_rgb_to_hsy_log_inv() {
    colour_model(ColourModelStyle::HsyLogToRgb);
}

#[test]
fn fixed_function_rgb_to_hsy_vid_fwd() {
    colour_model(ColourModelStyle::RgbToHsyVid);
}

#[test]
fn fixed_function_rgb_to_hsy_vid_inv() {
    colour_model(ColourModelStyle::HsyVidToRgb);
}

/// Case `gp:STYLE:DIR` with the values of `ops::grading_primary::sample`,
/// on the dense inputs.
fn grading_primary(case: &str, style: GradingPrimaryStyle) {
    check(case, Op::GradingPrimary(sample(style)), &dense_rgba());
}

#[test]
fn grading_primary_log_fwd() {
    grading_primary("gp:log:fwd", GradingPrimaryStyle::LogFwd);
}

#[test]
fn grading_primary_log_inv() {
    grading_primary("gp:log:inv", GradingPrimaryStyle::LogRev);
}

#[test]
fn grading_primary_lin_fwd() {
    grading_primary("gp:lin:fwd", GradingPrimaryStyle::LinFwd);
}

#[test]
fn grading_primary_lin_inv() {
    grading_primary("gp:lin:inv", GradingPrimaryStyle::LinRev);
}

#[test]
fn grading_primary_video_fwd() {
    grading_primary("gp:video:fwd", GradingPrimaryStyle::VideoFwd);
}

#[test]
fn grading_primary_video_inv() {
    grading_primary("gp:video:inv", GradingPrimaryStyle::VideoRev);
}

/// Case `ff:REC2100_SURROUND:DIR` (gamma 0.78, HLG's lowest), on the dense
/// inputs.
fn surround(style: SurroundStyle) {
    let dir = match style {
        SurroundStyle::Rec2100Fwd => "fwd",
        SurroundStyle::Rec2100Inv => "inv",
    };
    let op = Op::Surround(Surround { style, gamma: 0.78 });
    check(&format!("ff:REC2100_SURROUND:{dir}"), op, &dense_rgba());
}

#[test]
fn fixed_function_rec2100_surround_fwd() {
    surround(SurroundStyle::Rec2100Fwd);
}

#[test]
fn fixed_function_rec2100_surround_inv() {
    surround(SurroundStyle::Rec2100Inv);
}

/// Case `ff:LIN_TO_PQ:DIR` (OpenColorIO 2.5's style): forward on the dense
/// inputs scaled to 0..200 (-50..200 nits/100 with the mirror), inverse on
/// the dense inputs (PQ code values) and the forward's outputs.
fn pq(style: PqStyle) {
    let mut input: Vec<f32> = dense_rgba()
        .chunks_exact(4)
        .flat_map(|p| [p[0] * 100.0, p[1] * 100.0, p[2] * 100.0, p[3]])
        .collect();
    let dir = match style {
        PqStyle::LinToPq => "fwd",
        PqStyle::PqToLin => {
            let mut there = input.clone();
            let forward = Op::Pq(Pq {
                style: PqStyle::LinToPq,
            });
            crate::cpu::reference::apply(&super::Program { ops: vec![forward] }, &mut there);
            input = dense_rgba();
            input.extend(there);
            "inv"
        }
    };
    check(&format!("ff:LIN_TO_PQ:{dir}"), Op::Pq(Pq { style }), &input);
}

#[test]
fn fixed_function_lin_to_pq_fwd() {
    pq(PqStyle::LinToPq);
}

#[test]
fn fixed_function_lin_to_pq_inv() {
    pq(PqStyle::PqToLin);
}

/// Case `gt:STYLE:DIR` with the values of `ops::grading_tone::sample`, on
/// the dense inputs; the linear style also on them times 16 (up to 32,
/// past the highlights and whites of its log range).
fn grading_tone(case: &str, style: GradingToneStyle) {
    let mut input = dense_rgba();
    if matches!(style, GradingToneStyle::LinFwd | GradingToneStyle::LinRev) {
        let scaled: Vec<f32> = input
            .chunks_exact(4)
            .flat_map(|p| [p[0] * 16.0, p[1] * 16.0, p[2] * 16.0, p[3]])
            .collect();
        input.extend(scaled);
    }
    let op = Op::GradingTone(crate::ops::grading_tone::sample(style));
    check(case, op, &input);
}

#[test]
fn grading_tone_log_fwd() {
    grading_tone("gt:log:fwd", GradingToneStyle::LogFwd);
}

#[test]
fn grading_tone_log_inv() {
    grading_tone("gt:log:inv", GradingToneStyle::LogRev);
}

#[test]
fn grading_tone_lin_fwd() {
    grading_tone("gt:lin:fwd", GradingToneStyle::LinFwd);
}

#[test]
fn grading_tone_lin_inv() {
    grading_tone("gt:lin:inv", GradingToneStyle::LinRev);
}

#[test]
fn grading_tone_video_fwd() {
    grading_tone("gt:video:fwd", GradingToneStyle::VideoFwd);
}

#[test]
fn grading_tone_video_inv() {
    grading_tone("gt:video:inv", GradingToneStyle::VideoRev);
}

/// The other bends of master and a softer S-contrast (the last grading
/// tone sample), both ways.
#[test]
fn grading_tone_soft_both_ways() {
    let ops = crate::ops::grading_tone::samples();
    let Some(Op::GradingTone(soft)) = ops.last() else {
        unreachable!()
    };
    check(
        "gtsoft:log:fwd",
        Op::GradingTone(soft.clone()),
        &dense_rgba(),
    );
    check(
        "gtsoft:log:inv",
        Op::GradingTone(soft.inverse()),
        &dense_rgba(),
    );
}

/// Case `ff:LIN_TO_GAMMA_LOG:DIR` or `ff:LIN_TO_DOUBLE_LOG:DIR` with the
/// parameters of `ops::log_curve::HLG` and `DOUBLE_LOG`: forward on the
/// dense inputs and them times 8 (to 16, HLG's log segment and past),
/// inverse on the dense inputs and the forward's outputs.
fn log_curve(style: LogCurveStyle) {
    use crate::ops::log_curve::{DOUBLE_LOG, HLG};
    let params = |s: LogCurveStyle| {
        if s.is_gamma_log() {
            HLG.to_vec()
        } else {
            DOUBLE_LOG.to_vec()
        }
    };
    let mut lin = dense_rgba();
    let scaled: Vec<f32> = lin
        .chunks_exact(4)
        .flat_map(|p| [p[0] * 8.0, p[1] * 8.0, p[2] * 8.0, p[3]])
        .collect();
    lin.extend(scaled);
    let (name, inverse) = style.opencolorio_name();
    let input = if inverse {
        let forward = Op::LogCurve(LogCurve {
            style: style.inverse(),
            params: params(style),
        });
        let mut there = lin;
        crate::cpu::reference::apply(&super::Program { ops: vec![forward] }, &mut there);
        let mut input = dense_rgba();
        input.extend(there);
        input
    } else {
        lin
    };
    let case = match name {
        "Lin_TO_GammaLog" => "LIN_TO_GAMMA_LOG",
        _ => "LIN_TO_DOUBLE_LOG",
    };
    let dir = if inverse { "inv" } else { "fwd" };
    let op = Op::LogCurve(LogCurve {
        style,
        params: params(style),
    });
    check(&format!("ff:{case}:{dir}"), op, &input);
}

#[test]
fn fixed_function_lin_to_gamma_log_fwd() {
    log_curve(LogCurveStyle::LinToGammaLog);
}

#[test]
fn fixed_function_lin_to_gamma_log_inv() {
    log_curve(LogCurveStyle::GammaLogToLin);
}

#[test]
fn fixed_function_lin_to_double_log_fwd() {
    log_curve(LogCurveStyle::LinToDoubleLog);
}

#[test]
fn fixed_function_lin_to_double_log_inv() {
    log_curve(LogCurveStyle::DoubleLogToLin);
}

//! Parity of the hue curve op with OpenColorIO 2.6's
//! `GradingHueCurveTransform` (the Python bindings in the reference
//! environment, CPU processor at `OPTIMIZATION_NONE`): one test per style
//! and direction, on the shared dense inputs (the inverse also on the
//! forward's outputs), the curves of `ops::hue_curve::sample` built in
//! OpenColorIO. The comparison is [`super::ocio_parity::compare`] (1e-5,
//! relative above 1).

use super::dense::dense_rgba;
use super::ocio_parity::compare;
use super::{Op, Program};
use crate::ops::hue_curve::sample;
use crate::ops::HueCurveStyle;

/// Builds the hue curve of case `STYLE:DIR[:none]` (none: no RGB to HSY),
/// applies it to the float32 RGBA on stdin and writes the result to stdout.
const SCRIPT: &str = r#"
import sys, numpy as np, PyOpenColorIO as O
style, d, *rest = sys.argv[1].split(':')
styles = {'log': O.GRADING_LOG, 'lin': O.GRADING_LIN, 'video': O.GRADING_VIDEO}
lo, hi = (-7.0, 7.0) if style == 'lin' else (0.0, 1.0)
at = lambda t: lo + (hi - lo) * t
T = O.HueCurveType
# The curves of ops::hue_curve::sample.
curves = {
    'hue_hue': (T.HUE_HUE, [(0.05, 0.08), (0.2, 0.17), (0.4, 0.45), (0.6, 0.62), (0.85, 0.83)], None),
    'hue_sat': (T.HUE_SAT, [(0.0, 1.2), (0.15, 0.9), (0.35, 1.1), (0.55, 1.3), (0.8, 0.8)], None),
    'hue_lum': (T.HUE_LUM, [(0.0, 1.1), (0.2, 0.9), (0.45, 1.0), (0.7, 1.15), (0.9, 0.95)],
                [0.3, -0.2, 0.1, 0.2, -0.4]),
    'lum_sat': (T.LUM_SAT, [(at(0.0), 1.1), (at(0.5), 0.95), (at(1.0), 0.9)], None),
    'sat_sat': (T.SAT_SAT, [(0.0, 0.0), (0.3, 0.35), (0.7, 0.75), (1.0, 1.05)], None),
    'lum_lum': (T.LUM_LUM, [(at(0.0), at(0.02)), (at(0.4), at(0.38)), (at(0.8), at(0.83)),
                            (at(1.0), at(1.0))], None),
    'sat_lum': (T.SAT_LUM, [(0.0, 1.0), (0.4, 1.05), (1.0, 0.92)], None),
    'hue_fx': (T.HUE_FX, [(0.1, 0.02), (0.3, -0.03), (0.6, 0.04), (0.9, 0.0)], None),
}
v = O.GradingHueCurve(styles[style])
for name, (kind, points, slopes) in curves.items():
    c = O.GradingBSplineCurve([float(x) for p in points for x in p], kind)
    if slopes:
        c.setSlopes(slopes)
    setattr(v, name, c)
t = O.GradingHueCurveTransform(v, styles[style], False,
                               O.TRANSFORM_DIR_FORWARD if d == 'fwd' else O.TRANSFORM_DIR_INVERSE)
if rest == ['none']:
    t.setRGBToHSY(O.HSY_TRANSFORM_NONE)
p = O.Config.CreateRaw().getProcessor(t).getOptimizedCPUProcessor(O.OPTIMIZATION_NONE)
a = np.frombuffer(sys.stdin.buffer.read(), dtype=np.float32).copy()
p.applyRGBA(a)
sys.stdout.buffer.write(a.astype(np.float32).tobytes())
"#;

/// The sample of `style` against OpenColorIO: forward on the dense
/// inputs, inverse on them and on the forward's outputs (`rgb_to_hsy`
/// false: OpenColorIO's `HSY_TRANSFORM_NONE`). The linear inverse runs on
/// the forward's outputs only: on some dense inputs outside them it is
/// ill-conditioned, OpenColorIO itself moving by 2e-5 when one input
/// moves by an ulp (at (-0.0625, -0.015625, 1.15625) blue's next float
/// takes red from -1.4935246 to -1.4935535), far more than the ulp its
/// `logf` and grade's `lnf` may differ by.
fn check(style: HueCurveStyle, rgb_to_hsy: bool) {
    let Some(py) = crate::testutil::reference_python() else {
        return;
    };
    let name = match style {
        HueCurveStyle::LogFwd | HueCurveStyle::LogRev => "log",
        HueCurveStyle::LinFwd | HueCurveStyle::LinRev => "lin",
        HueCurveStyle::VideoFwd | HueCurveStyle::VideoRev => "video",
    };
    let dir = if style.is_forward() { "fwd" } else { "inv" };
    let none = if rgb_to_hsy { "" } else { ":none" };
    let mut op = sample(style);
    op.rgb_to_hsy = rgb_to_hsy;
    let mut input = dense_rgba();
    if !style.is_forward() {
        let mut there = input.clone();
        let forward = Op::HueCurve(op.inverse());
        crate::cpu::reference::apply(&Program { ops: vec![forward] }, &mut there);
        if style.is_lin() {
            input = there;
        } else {
            input.extend(there);
        }
    }
    if let Err(e) = compare(
        &py,
        SCRIPT,
        &format!("{name}:{dir}{none}"),
        Op::HueCurve(op),
        &input,
    ) {
        panic!("{e}");
    }
}

#[test]
fn hue_curve_log_fwd() {
    check(HueCurveStyle::LogFwd, true);
}

#[test]
fn hue_curve_log_inv() {
    check(HueCurveStyle::LogRev, true);
}

#[test]
fn hue_curve_lin_fwd() {
    check(HueCurveStyle::LinFwd, true);
}

#[test]
fn hue_curve_lin_inv() {
    check(HueCurveStyle::LinRev, true);
}

#[test]
fn hue_curve_video_fwd() {
    check(HueCurveStyle::VideoFwd, true);
}

#[test]
fn hue_curve_video_inv() {
    check(HueCurveStyle::VideoRev, true);
}

#[test]
fn hue_curve_without_hsy_fwd() {
    check(HueCurveStyle::VideoFwd, false);
}

#[test]
fn hue_curve_without_hsy_inv() {
    check(HueCurveStyle::VideoRev, false);
}

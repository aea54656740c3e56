//! Each ACES 2.0 style and direction against OpenColorIO 2.6's
//! `FixedFunctionTransform` of the same parameters (PyPI OpenColorIO in
//! the reference environment, CPU processor at `OPTIMIZATION_NONE`), over
//! inputs spanning what each style receives; and the record round trip.

use super::*;
use crate::grade::dense::{dense_rgba, scaled};
use crate::grade::ocio_parity::{run_reference, worst_error};
use crate::grade::{Op, Program};

/// `FixedFunctionTransform(argv[1], params argv[3..])` in direction
/// argv[2] over the float32 RGBA on stdin.
const SCRIPT: &str = r#"
import sys, numpy as np, PyOpenColorIO as O
style = getattr(O, 'FIXED_FUNCTION_' + sys.argv[1])
d = O.TRANSFORM_DIR_INVERSE if sys.argv[2] == 'inv' else O.TRANSFORM_DIR_FORWARD
t = O.FixedFunctionTransform(style=style, params=[float(v) for v in sys.argv[3:]], direction=d)
p = O.Config.CreateRaw().getProcessor(t).getOptimizedCPUProcessor(O.OPTIMIZATION_NONE)
a = np.frombuffer(sys.stdin.buffer.read(), dtype=np.float32).copy()
p.applyRGBA(a)
sys.stdout.buffer.write(a.astype(np.float32).tobytes())
"#;

pub(super) fn ocio_enum(style: Aces2Style) -> &'static str {
    match style {
        Aces2Style::OutputTransform20 => "ACES_OUTPUT_TRANSFORM_20",
        Aces2Style::RgbToJmh20 => "ACES_RGB_TO_JMH_20",
        Aces2Style::TonescaleCompress20 => "ACES_TONESCALE_COMPRESS_20",
        Aces2Style::GamutCompress20 => "ACES_GAMUT_COMPRESS_20",
    }
}

/// What the forward style receives: scene-linear ACES2065-1 (to 80) for
/// the output transform, RGB for RGB to JMh, and JMh (J to 125, M to 75,
/// every hue) otherwise.
pub(super) fn forward_inputs(style: Aces2Style) -> Vec<f32> {
    match style {
        Aces2Style::OutputTransform20 | Aces2Style::RgbToJmh20 => {
            let mut v = dense_rgba();
            v.extend(scaled(&dense_rgba(), [64.0; 3], [0.0; 3]));
            v
        }
        _ => scaled(&dense_rgba(), [100.0, 60.0, 288.0], [0.0, 0.0, 72.0]),
    }
}

/// What the inverse tests feed the forward to get their inputs: scene
/// values to 1.25 (RGB to JMh: to 80), JMh with M to 20. Beyond that the
/// forward's output nears the gamut boundary where the inverse is singular
/// (OpenColorIO's own inverse returns there what rounding decides).
pub(super) fn inverse_sources(style: Aces2Style) -> Vec<f32> {
    match style {
        Aces2Style::OutputTransform20 => dense_rgba(),
        Aces2Style::RgbToJmh20 => forward_inputs(style),
        _ => scaled(&dense_rgba(), [100.0, 20.0, 288.0], [0.0, 0.0, 72.0]),
    }
}

/// OpenColorIO's result of `op` over `input`.
pub(super) fn ocio(py: &std::path::Path, op: &Aces2, input: &[f32]) -> Vec<f32> {
    let d = match op.direction {
        Direction::Forward => "fwd",
        Direction::Inverse => "inv",
    };
    let params: Vec<String> = op.params.iter().map(|p| p.to_string()).collect();
    let mut args = vec![ocio_enum(op.style), d];
    args.extend(params.iter().map(String::as_str));
    run_reference(py, SCRIPT, &args, input)
}

pub(super) fn ours(op: &Aces2, input: &[f32]) -> Vec<f32> {
    let mut got = input.to_vec();
    crate::cpu::reference::apply(
        &Program {
            ops: vec![Op::Aces2(op.clone())],
        },
        &mut got,
    );
    got
}

/// The forward direction over [`forward_inputs`], against OpenColorIO's
/// forward. The inverse over what the forward gives for
/// [`inverse_sources`] (the range an inverse is for), judged where an
/// inverse is: OpenColorIO's forward of
/// our inverse against its forward of its own inverse. (Near the reach
/// boundary the inverse gamut compression is singular by design, so the
/// values themselves amplify any rounding without bound there.) For
/// RgbToJmh20 the hue is compared as the distance it makes in the a, b
/// plane (`M` times the angle): the hue of a colour with next to no
/// colourfulness is the angle of rounding noise.
fn check(style: Aces2Style, direction: Direction) {
    let Some(py) = crate::testutil::reference_python() else {
        return;
    };
    let forward = sample(style, Direction::Forward);
    let op = sample(style, direction);
    let mut input = forward_inputs(style);
    if direction == Direction::Inverse {
        input = ocio(&py, &forward, &inverse_sources(style));
    }
    let mut want = ocio(&py, &op, &input);
    let mut got = ours(&op, &input);
    if direction == Direction::Inverse {
        want = ocio(&py, &forward, &want);
        got = ocio(&py, &forward, &got);
    }
    hue_as_distance(style, &mut want, &mut got);
    let (worst, at) = worst_error(&want, &got);
    println!(
        "{style:?} {direction:?}: worst |ours - OpenColorIO| / max(1, |v|) = {worst:e} at {:?} (ours {}, OpenColorIO {})",
        &input[at / 4 * 4..at / 4 * 4 + 3],
        got[at],
        want[at]
    );
    // Both sides run the same f32 operations from the same constants and
    // tables, with glibc 2.36's powf, atan2f, sincosf, logf and log10f
    // (`libm`): the same bits (measured: 0 on every style and direction).
    assert!(worst == 0.0, "{style:?} {direction:?}: {worst:e}");
}

/// For RgbToJmh20, the hue difference of `got` from `want` put in `got`'s
/// hue as the distance it makes in the a, b plane (`M` times the angle,
/// relative above 1), `want`'s hue set to 0, so [`worst_error`] judges it
/// as [`check`] describes.
pub(super) fn hue_as_distance(style: Aces2Style, want: &mut [f32], got: &mut [f32]) {
    if style != Aces2Style::RgbToJmh20 {
        return;
    }
    for (g, w) in got.chunks_exact_mut(4).zip(want.chunks_exact_mut(4)) {
        let mut dh = (g[2] - w[2]).abs();
        if dh > 180.0 {
            dh = 360.0 - dh;
        }
        g[2] = w[1] * dh.to_radians() / w[1].abs().max(1.0);
        w[2] = 0.0;
    }
}

macro_rules! parity_tests {
    ($($name:ident: $style:ident $dir:ident;)*) => {
        $(
            #[test]
            fn $name() {
                check(Aces2Style::$style, Direction::$dir);
            }
        )*
    };
}

parity_tests! {
    output_transform_20_forward_matches_opencolorio: OutputTransform20 Forward;
    output_transform_20_inverse_matches_opencolorio: OutputTransform20 Inverse;
    rgb_to_jmh_20_forward_matches_opencolorio: RgbToJmh20 Forward;
    rgb_to_jmh_20_inverse_matches_opencolorio: RgbToJmh20 Inverse;
    tonescale_compress_20_forward_matches_opencolorio: TonescaleCompress20 Forward;
    tonescale_compress_20_inverse_matches_opencolorio: TonescaleCompress20 Inverse;
    gamut_compress_20_forward_matches_opencolorio: GamutCompress20 Forward;
    gamut_compress_20_inverse_matches_opencolorio: GamutCompress20 Inverse;
}

/// The C library's float functions, which OpenColorIO's renderer calls.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod c {
    extern "C" {
        pub fn cosf(x: f32) -> f32;
        pub fn sinf(x: f32) -> f32;
        pub fn logf(x: f32) -> f32;
        pub fn log10f(x: f32) -> f32;
    }
}

/// Every hue OpenColorIO takes a cosine of, in steps of 1/64 degree, and
/// a spread of other angles within a turn: glibc's `sinf` and `cosf` to
/// the bit.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn cos_sin_are_glibc_s() {
    let mut angles: Vec<f32> = (0..=360 * 64)
        .map(|i| model::to_radians(i as f32 / 64.0))
        .collect();
    angles.extend((0..20000).map(|i| i as f32 * 3.7e-4 - 0.5));
    angles.extend([0.0, -0.0, 1e-5, 2e-4, 0.785, std::f32::consts::FRAC_PI_4, 0.7855, 119.0]);
    for x in angles {
        let (cs, sn) = super::libm::cos_sin(x);
        // SAFETY: pure functions of a float.
        let (want_c, want_s) = unsafe { (c::cosf(x), c::sinf(x)) };
        assert_eq!(cs.to_bits(), want_c.to_bits(), "cos {x}");
        assert_eq!(sn.to_bits(), want_s.to_bits(), "sin {x}");
    }
}

/// `logf` and `log10f` from 1e-6 to 1e7 (the focus gain's ratios and the
/// tonescale's peaks), zero, subnormals and infinity: glibc's to the bit.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn logf_and_log10f_are_glibc_s() {
    let mut values = vec![1.0f32, 0.48, 3.0, 10.0, 40.0, 100.0, 1e-40, 0.0, f32::INFINITY];
    let mut v = 1e-6f32;
    while v < 1e7 {
        values.push(v);
        v *= 1.0013;
    }
    for x in values {
        // SAFETY: pure functions of a float.
        let (want_ln, want_log10) = unsafe { (c::logf(x), c::log10f(x)) };
        if x > 1e-38 && x.is_finite() {
            assert_eq!(super::libm::logf(x).to_bits(), want_ln.to_bits(), "logf {x}");
        }
        assert_eq!(super::libm::log10f(x).to_bits(), want_log10.to_bits(), "log10f {x}");
    }
    assert!(super::libm::log10f(-1.0).is_nan());
}

/// The hex f64 constants of the WGSL twins (`mathf_exact.wgsl` after
/// mathf's own) are `libm`'s `logf` tables.
#[test]
fn wgsl_twin_has_the_same_logf_constants() {
    use crate::ops::mathf::{hexf, ACES2_SECTION};
    let text = include_str!("../mathf_exact.wgsl");
    let section = text.split(ACES2_SECTION).nth(1).unwrap();
    let wgsl: Vec<u64> = section
        .split(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .filter_map(|t| t.strip_suffix("lf"))
        .filter(|t| t.trim_start_matches('-').starts_with("0x"))
        .map(|t| hexf(t).to_bits())
        .collect();
    let mut rust = super::libm::LOGF_LOGC.to_vec();
    rust.push(super::libm::LOGF_LN2);
    rust.extend(super::libm::LOGF_POLY);
    let rust: Vec<u64> = rust.iter().map(|v| v.to_bits()).collect();
    assert_eq!(wgsl, rust);
}

#[test]
fn records_round_trip() {
    use crate::ops::{OpData, Prepared};
    for style in Aces2Style::ALL {
        let prepared = sample(style, Direction::Inverse).prepare();
        let mut record: crate::grade::packed::OpRecord = bytemuck::Zeroable::zeroed();
        let mut data = vec![1.0; 3];
        prepared.pack(&mut record, &mut data);
        assert_eq!(Aces2Prepared::unpack(&record, &data).unwrap(), prepared);
        assert!(Aces2Prepared::unpack(&record, &data[..100]).is_err());
    }
}

#[test]
fn bad_parameters_are_refused() {
    use crate::ops::OpData;
    let mut op = sample(Aces2Style::OutputTransform20, Direction::Forward);
    op.params[0] = 0.5;
    assert!(op.validate().unwrap_err().contains("peak luminance"));
    op.params.pop();
    assert!(op.validate().unwrap_err().contains("takes 9"));
    let mut op = sample(Aces2Style::GamutCompress20, Direction::Forward);
    op.params[1..7].copy_from_slice(&[0.3, 0.3, 0.3, 0.3, 0.3, 0.3]);
    assert!(op.validate().unwrap_err().contains("gamut"));
}


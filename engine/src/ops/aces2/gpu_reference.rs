//! The ACES 2.0 acceptance rule made executable: grade's CPU maths
//! of each ACES 2.0 style and direction is within 1e-5 of OpenColorIO 2.6's
//! CPU processor, or, where OpenColorIO's own CPU and GPU renderers differ
//! by more, within that difference (and never beyond 1e-4).
//!
//! OpenColorIO's GPU renderer is its own GLSL shader, textures and
//! uniforms, drawn as its OpenGL helpers draw them, by
//! `scripts/reference/ocio_gpu.py` on Mesa's llvmpipe through a headless
//! EGL context (no GPU needed). Both OpenColorIO processors are built at
//! `OPTIMIZATION_NONE`, over the inputs of the parity tests
//! ([`super::tests`]) and judged as they judge (inverses through
//! OpenColorIO's CPU forward, RGB-to-JMh hues as a distance). llvmpipe
//! computes in IEEE f32 with its own `pow`, `exp2`, `log2`, `sin` and
//! `cos`: a real GPU's transcendental functions round differently, so the
//! difference measured here is OpenColorIO's on one GPU, not a bound over
//! every GPU.
//!
//! Each style and direction is run with the samples' parameters (1000
//! nits, P3-D65 limited), and OutputTransform20 also as the SDR 100-nit
//! Rec.709 views build it: OpenColorIO's renderers differ far less there
//! (1.3e-5 against 7.4e-5 at 1000 nits), so that is where the rule bites.
//!
//! Without an OpenGL context the tests are skipped with a message, except
//! under `CI=true`, where that is a failure.

use super::tests::{forward_inputs, hue_as_distance, inverse_sources, ocio, ocio_enum, ours};
use super::*;
use crate::grade::ocio_parity::{aces2_bound, ocio_gpu_and_cpu, worst_error};


/// OpenColorIO's GPU and CPU results of `op` over `input`.
fn gpu_and_cpu(py: &std::path::Path, op: &Aces2, input: &[f32]) -> Option<(Vec<f32>, Vec<f32>)> {
    let d = match op.direction {
        Direction::Forward => "fwd",
        Direction::Inverse => "inv",
    };
    let params: Vec<String> = op.params.iter().map(|p| p.to_string()).collect();
    let mut processor = vec!["fixed", ocio_enum(op.style), d];
    processor.extend(params.iter().map(String::as_str));
    ocio_gpu_and_cpu(py, &processor, input)
}

/// `(want, got)` judged as the parity tests judge: the worst error and the
/// input it is at.
fn judge(style: Aces2Style, mut want: Vec<f32>, mut got: Vec<f32>) -> (f32, usize) {
    hue_as_distance(style, &mut want, &mut got);
    worst_error(&want, &got)
}

/// [`check_op`] of the samples' op (1000 nits, P3-D65 limited).
fn check(style: Aces2Style, direction: Direction) {
    check_op(sample(style, Direction::Forward), direction);
}

/// OutputTransform20 as the ACES 2.0 studio config's SDR 100-nit Rec.709
/// views build it (100 nits, Rec.709 limiting primaries).
fn sdr_100_rec709() -> Aces2 {
    let mut params = vec![100.0];
    params.extend(REC709_XY.iter().flatten());
    Aces2 {
        style: Aces2Style::OutputTransform20,
        direction: Direction::Forward,
        params,
    }
}

/// `forward`'s op in `direction` against OpenColorIO's CPU, within
/// OpenColorIO's own CPU-vs-GPU difference (see the module docs).
fn check_op(forward: Aces2, direction: Direction) {
    let Some(py) = crate::testutil::reference_python() else {
        return;
    };
    let style = forward.style;
    let op = Aces2 {
        direction,
        ..forward.clone()
    };
    let input = match direction {
        Direction::Forward => forward_inputs(style),
        Direction::Inverse => ocio(&py, &forward, &inverse_sources(style)),
    };
    let Some((mut gpu, mut cpu)) = gpu_and_cpu(&py, &op, &input) else {
        return;
    };
    let mut got = ours(&op, &input);
    if direction == Direction::Inverse {
        // All three through OpenColorIO's CPU forward in one run.
        let n = input.len();
        let all: Vec<f32> = [&cpu[..], &gpu[..], &got[..]].concat();
        let judged = ocio(&py, &forward, &all);
        cpu = judged[..n].to_vec();
        gpu = judged[n..2 * n].to_vec();
        got = judged[2 * n..].to_vec();
    }
    let (renderers, r_at) = judge(style, cpu.clone(), gpu.clone());
    let (ours_err, at) = judge(style, cpu.clone(), got.clone());
    let pixel = |i: usize| &input[i / 4 * 4..i / 4 * 4 + 3];
    let params = &op.params;
    println!(
        "{style:?} {direction:?} {params:?}: OpenColorIO CPU vs its GPU (llvmpipe) {renderers:e} at {:?} \
         (CPU {}, GPU {}); grade vs OpenColorIO CPU {ours_err:e} at {:?} (grade {}, CPU {})",
        pixel(r_at),
        cpu[r_at],
        gpu[r_at],
        pixel(at),
        got[at],
        cpu[at]
    );
    let bound = aces2_bound(renderers);
    assert!(
        ours_err <= bound,
        "{style:?} {direction:?} {params:?}: grade is {ours_err:e} from OpenColorIO's CPU at {:?}, \
         beyond {bound:e} (OpenColorIO's CPU and GPU differ by {renderers:e})",
        pixel(at)
    );
}

macro_rules! gpu_reference_tests {
    ($($name:ident: $style:ident $dir:ident;)*) => {
        $(
            #[test]
            fn $name() {
                check(Aces2Style::$style, Direction::$dir);
            }
        )*
    };
}

gpu_reference_tests! {
    output_transform_20_forward_within_opencolorio_cpu_vs_gpu: OutputTransform20 Forward;
    output_transform_20_inverse_within_opencolorio_cpu_vs_gpu: OutputTransform20 Inverse;
    rgb_to_jmh_20_forward_within_opencolorio_cpu_vs_gpu: RgbToJmh20 Forward;
    rgb_to_jmh_20_inverse_within_opencolorio_cpu_vs_gpu: RgbToJmh20 Inverse;
    tonescale_compress_20_forward_within_opencolorio_cpu_vs_gpu: TonescaleCompress20 Forward;
    tonescale_compress_20_inverse_within_opencolorio_cpu_vs_gpu: TonescaleCompress20 Inverse;
    gamut_compress_20_forward_within_opencolorio_cpu_vs_gpu: GamutCompress20 Forward;
    gamut_compress_20_inverse_within_opencolorio_cpu_vs_gpu: GamutCompress20 Inverse;
}

#[test]
fn output_transform_20_sdr_100_rec709_forward_within_opencolorio_cpu_vs_gpu() {
    check_op(sdr_100_rec709(), Direction::Forward);
}

#[test]
fn output_transform_20_sdr_100_rec709_inverse_within_opencolorio_cpu_vs_gpu() {
    check_op(sdr_100_rec709(), Direction::Inverse);
}

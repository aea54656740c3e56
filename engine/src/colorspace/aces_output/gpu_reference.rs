//! The acceptance rule for the built-in ACES 2.0 output
//! transforms made executable: each is within 1e-5 of the same display/view
//! of OpenColorIO 2.6's ACES 2.0 studio config (its CPU processor), or,
//! where OpenColorIO's own CPU and GPU renderers differ by more, within
//! that difference (never beyond 1e-4).
//!
//! OpenColorIO's GPU renderer is `scripts/reference/ocio_gpu.py` (its own
//! GLSL shader and textures on Mesa's llvmpipe; see
//! `ops::aces2::gpu_reference` for what that means for a real GPU). The
//! inputs and the comparison are those of [`super::tests`]: forward from
//! ACES2065-1 and ACEScg over the scene set, compared in display code or
//! light; the inverse over display code values, judged on the display
//! through OpenColorIO's CPU forward.
//!
//! Without an OpenGL context the tests are skipped with a message, except
//! under `CI=true`, where that is a failure.

use super::tests::{code_error, ocio, run, scene_inputs, ACES20};
use super::*;
use crate::grade::dense::dense_rgba;
use crate::grade::ocio_parity::{aces2_bound, ocio_gpu_and_cpu};

/// The display/view of `t` from `space` (`fwd` or `inv`), as `ocio_gpu.py`
/// reads a processor.
fn view<'a>(t: &'a OutputTransform, space: &'a str, d: &'a str) -> [&'a str; 6] {
    let (display, view) = t.aliases[0].split_once(':').unwrap();
    ["view", ACES20, display, view, space, d]
}

/// One comparison: OpenColorIO's renderers' difference, grade's from
/// OpenColorIO's CPU, and where each is.
fn compare(
    label: String,
    t: &OutputTransform,
    cpu: &[f32],
    gpu: &[f32],
    ours: &[f32],
    input: &[f32],
) -> (String, f32, f32) {
    let (renderers, r_at) = code_error(t, cpu, gpu);
    let (err, at) = code_error(t, cpu, ours);
    let pixel = |i: usize| &input[i / 4 * 4..i / 4 * 4 + 3];
    println!(
        "{label}: OpenColorIO CPU vs its GPU (llvmpipe) {renderers:e} at {:?} (CPU {}, GPU {}); \
         grade vs OpenColorIO CPU {err:e} at {:?} (grade {}, CPU {})",
        pixel(r_at),
        cpu[r_at],
        gpu[r_at],
        pixel(at),
        ours[at],
        cpu[at]
    );
    (label, renderers, err)
}

fn check(name: &str) {
    let Some(py) = crate::testutil::reference_python() else {
        return;
    };
    let t = find_output(name).unwrap();
    let mut results = Vec::new();
    let scene = scene_inputs();
    for (space, ocio_space) in [("aces", "ACES2065-1"), ("acescg", "ACEScg")] {
        let Some((gpu, cpu)) = ocio_gpu_and_cpu(&py, &view(&t, ocio_space, "fwd"), &scene) else {
            return;
        };
        let ours = run(super::super::conversion(space, name).unwrap(), &scene);
        results.push(compare(
            format!("{name} from {space}"),
            &t,
            &cpu,
            &gpu,
            &ours,
            &scene,
        ));
    }
    let code: Vec<f32> = dense_rgba().iter().map(|v| v.clamp(0.0, 1.0)).collect();
    let Some((gpu, cpu)) = ocio_gpu_and_cpu(&py, &view(&t, "ACES2065-1", "inv"), &code) else {
        return;
    };
    let ours = run(super::super::conversion(name, "aces").unwrap(), &code);
    // All three through OpenColorIO's CPU forward in one run.
    let n = code.len();
    let all: Vec<f32> = [&cpu[..], &gpu[..], &ours[..]].concat();
    let judged = ocio(&py, ACES20, &t, "ACES2065-1", false, &all);
    let (cpu, rest) = judged.split_at(n);
    let (gpu, ours) = rest.split_at(n);
    results.push(compare(
        format!("{name} inverse, on the display"),
        &t,
        cpu,
        gpu,
        ours,
        &code,
    ));
    for (label, renderers, err) in results {
        let bound = aces2_bound(renderers);
        assert!(
            err <= bound,
            "{label}: grade is {err:e} from OpenColorIO's CPU, beyond {bound:e} \
             (OpenColorIO's CPU and GPU differ by {renderers:e})"
        );
    }
}

#[test]
fn aces20_sdr_100_rec709_within_opencolorio_cpu_vs_gpu() {
    check("aces20-sdr-100-rec709");
}

#[test]
fn aces20_sdr_100_srgb_within_opencolorio_cpu_vs_gpu() {
    check("aces20-sdr-100-srgb");
}

#[test]
fn aces20_sdr_p3d65_within_opencolorio_cpu_vs_gpu() {
    check("aces20-sdr-p3d65");
}

#[test]
fn aces20_hdr_1000_p3lim_pq_within_opencolorio_cpu_vs_gpu() {
    check("aces20-hdr-1000-p3lim-pq");
}

#[test]
fn aces20_hdr_4000_p3lim_pq_within_opencolorio_cpu_vs_gpu() {
    check("aces20-hdr-4000-p3lim-pq");
}

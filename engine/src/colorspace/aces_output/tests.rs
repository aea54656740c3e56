//! The built-in output transforms against the same display/view of
//! OpenColorIO 2.6's built-in ACES studio configs (PyPI OpenColorIO in the
//! reference environment), forward from ACES2065-1 and ACEScg and inverse
//! to ACES2065-1, on the dense input set.

use super::*;
use crate::grade::dense::dense_rgba;
use crate::grade::ocio_parity::{run_reference, worst_error};
use crate::grade::{Op, Program};

/// Runs the studio config's display/view (`argv[1]` the config, `argv[2]`
/// the display, `argv[3]` the view, `argv[4]` the scene space, `argv[5]`
/// `fwd` or `inv`) over the float32 RGBA on stdin, `OPTIMIZATION_NONE`.
const SCRIPT: &str = r#"
import sys, numpy as np, PyOpenColorIO as O
uri, display, view, space, d = sys.argv[1:6]
c = O.Config.CreateFromFile(uri)
direction = O.TRANSFORM_DIR_INVERSE if d == 'inv' else O.TRANSFORM_DIR_FORWARD
t = O.DisplayViewTransform(src=space, display=display, view=view, direction=direction)
p = c.getProcessor(t).getOptimizedCPUProcessor(O.OPTIMIZATION_NONE)
a = np.frombuffer(sys.stdin.buffer.read(), dtype=np.float32).copy()
p.applyRGBA(a)
sys.stdout.buffer.write(a.astype(np.float32).tobytes())
"#;

const ACES13: &str = "ocio://studio-config-v1.0.0_aces-v1.3_ocio-v2.1";
pub(super) const ACES20: &str = "ocio://studio-config-v4.0.0_aces-v2.0_ocio-v2.5";

/// Both sides run the same f32 operations from the same constants: the
/// project's parity target.
const SAME_OPS: f32 = 1e-5;

/// Scene-linear inputs: the dense set, and it times 64 (to 80, past every
/// transform's white), alpha 1.
pub(super) fn scene_inputs() -> Vec<f32> {
    let dense = dense_rgba();
    let mut out = dense.clone();
    out.extend(
        dense
            .chunks_exact(4)
            .flat_map(|p| [p[0] * 64.0, p[1] * 64.0, p[2] * 64.0, 1.0]),
    );
    out
}

pub(super) fn run(ops: Vec<Op>, input: &[f32]) -> Vec<f32> {
    let mut got = input.to_vec();
    crate::cpu::reference::apply(&Program { ops }, &mut got);
    got
}

/// OpenColorIO's display/view of `t` from `space` over `input`.
pub(super) fn ocio(
    py: &std::path::Path,
    config: &str,
    t: &OutputTransform,
    space: &str,
    inverse: bool,
    input: &[f32],
) -> Vec<f32> {
    let (display, view) = t.aliases[0].split_once(':').unwrap();
    let d = if inverse { "inv" } else { "fwd" };
    run_reference(py, SCRIPT, &[config, display, view, space, d], input)
}

/// The worst difference of two sets of display code values: per value the
/// smaller of the difference in code and the difference in the linear
/// light they decode to (absolute, relative above 1). The gamma and PQ
/// curves are vertical at 0, so f32 rounding of a value next to black
/// (1e-8 of linear light, both signs) is 1e-3 of code there; in light the
/// two are still the same.
pub(super) fn code_error(t: &OutputTransform, want: &[f32], got: &[f32]) -> (f32, usize) {
    let (wl, gl) = (run(t.display.decode(), want), run(t.display.decode(), got));
    let mut worst = (0.0f32, 0);
    for i in 0..want.len() {
        if i % 4 == 3 || (want[i].is_nan() && got[i].is_nan()) {
            continue;
        }
        let rel = |a: f32, b: f32| (a - b).abs() / a.abs().max(1.0);
        let e = rel(want[i], got[i]).min(rel(wl[i], gl[i]));
        if e > worst.0 || e.is_nan() {
            worst = (if e.is_nan() { f32::INFINITY } else { e }, i);
        }
    }
    worst
}

/// Forward from ACES2065-1 and ACEScg over the scene set, compared in
/// display code ([`code_error`]); the inverse over display code values
/// [0, 1] (the dense grid clamped), compared where an inverse is judged,
/// on the display: OpenColorIO's forward of our inverse against its
/// forward of its own inverse. (Scene values from an inverse amplify f32
/// rounding wherever the tonescale is flat, its top above all: 1e-7 of
/// display light is 1e-4 of scene light there.) Within `tol`.
fn check(config: &str, name: &str, tol: f32) {
    let Some(py) = crate::testutil::reference_python() else {
        return;
    };
    let t = find_output(name).unwrap();
    let scene = scene_inputs();
    let mut worst = Vec::new();
    for (space, ocio_space) in [("aces", "ACES2065-1"), ("acescg", "ACEScg")] {
        let want = ocio(&py, config, &t, ocio_space, false, &scene);
        let got = run(super::super::conversion(space, name).unwrap(), &scene);
        let (w, at) = code_error(&t, &want, &got);
        println!(
            "{name} from {space}: worst {w:e} at {:?} (ours {}, OpenColorIO {})",
            &scene[at / 4 * 4..at / 4 * 4 + 3],
            got[at],
            want[at]
        );
        worst.push(w);
    }
    let code: Vec<f32> = dense_rgba().iter().map(|v| v.clamp(0.0, 1.0)).collect();
    let theirs = ocio(&py, config, &t, "ACES2065-1", true, &code);
    let ours = run(super::super::conversion(name, "aces").unwrap(), &code);
    let want = ocio(&py, config, &t, "ACES2065-1", false, &theirs);
    let got = ocio(&py, config, &t, "ACES2065-1", false, &ours);
    let (w, at) = code_error(&t, &want, &got);
    let (scene_w, scene_at) = worst_error(&theirs, &ours);
    println!(
        "{name} inverse: worst {w:e} on the display at code {:?}; in scene light {scene_w:e} at code {:?} (ours {}, OpenColorIO {})",
        &code[at / 4 * 4..at / 4 * 4 + 3],
        &code[scene_at / 4 * 4..scene_at / 4 * 4 + 3],
        ours[scene_at],
        theirs[scene_at]
    );
    worst.push(w);
    assert!(worst.iter().all(|&w| w <= tol), "{name}: {worst:?}");
}

#[test]
fn aces13_sdr_video_rec709_matches_the_studio_config() {
    check(ACES13, "aces13-sdr-video-rec709", SAME_OPS);
}

#[test]
fn aces13_sdr_video_srgb_matches_the_studio_config() {
    check(ACES13, "aces13-sdr-video-srgb", SAME_OPS);
}

#[test]
fn aces13_sdr_cinema_p3d65_matches_the_studio_config() {
    check(ACES13, "aces13-sdr-cinema-p3d65", SAME_OPS);
}

#[test]
fn aces13_hdr_1000_p3lim_pq_matches_the_studio_config() {
    check(ACES13, "aces13-hdr-1000-p3lim-pq", SAME_OPS);
}

#[test]
fn aces20_sdr_100_rec709_matches_the_studio_config() {
    check(ACES20, "aces20-sdr-100-rec709", SAME_OPS);
}

#[test]
fn aces20_sdr_100_srgb_matches_the_studio_config() {
    check(ACES20, "aces20-sdr-100-srgb", SAME_OPS);
}

#[test]
fn aces20_sdr_p3d65_matches_the_studio_config() {
    check(ACES20, "aces20-sdr-p3d65", SAME_OPS);
}

#[test]
fn aces20_hdr_1000_p3lim_pq_matches_the_studio_config() {
    check(ACES20, "aces20-hdr-1000-p3lim-pq", SAME_OPS);
}

#[test]
fn aces20_hdr_4000_p3lim_pq_matches_the_studio_config() {
    check(ACES20, "aces20-hdr-4000-p3lim-pq", SAME_OPS);
}

#[test]
fn every_output_transform_and_its_inverse_builds() {
    for t in output_transforms() {
        assert!(t.forward().is_ok(), "{}", t.name);
        assert!(t.inverse().is_ok(), "{}", t.name);
        assert_eq!(find_output(t.aliases[0]).unwrap().name, t.name);
    }
}

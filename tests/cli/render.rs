//! The render pipeline's promise that the GPU and CPU backends give the same
//! masters: a 48-frame 2K 10-bit DPX sequence graded with a CDL and a 33^3
//! .cube LUT, written as 16-bit DPX and 16-bit TIFF by both backends:
//! identical where the adapter has f64 (the exact maths), else within one
//! 16-bit code value.

use std::fmt::Write as _;
use std::path::Path;

use grade_engine::io::{self, BitDepth, WriteOptions};
use grade_engine::testcard::test_card;

use crate::common::{data, grade, run};

const FRAMES: i64 = 48;
const WIDTH: u32 = 2048;
const HEIGHT: u32 = 1080;

/// A smooth 33^3 LUT that bends every channel and mixes them a little, so
/// both interpolation and cross-talk are exercised.
fn write_cube(path: &Path) {
    let n = 33;
    let mut s = String::from("TITLE \"render test\"\nLUT_3D_SIZE 33\n");
    for b in 0..n {
        for g in 0..n {
            for r in 0..n {
                let (r, g, b) = (r as f32 / 32.0, g as f32 / 32.0, b as f32 / 32.0);
                let o = [
                    (0.9 * r + 0.1 * g).powf(0.8),
                    (0.05 * r + 0.9 * g + 0.05 * b).powf(1.1),
                    (0.1 * g + 0.9 * b).sqrt(),
                ];
                writeln!(s, "{:.6} {:.6} {:.6}", o[0], o[1], o[2]).unwrap();
            }
        }
    }
    std::fs::write(path, s).unwrap();
}

fn write_source(dir: &Path) {
    let opts = WriteOptions {
        depth: Some(BitDepth::U10),
        ..Default::default()
    };
    for n in 1..=FRAMES {
        let f = test_card(WIDTH, HEIGHT, n, [1.0, 0.95, 0.9]);
        io::write_frame(&dir.join(format!("src.{n:04}.dpx")), &f, &opts).unwrap();
    }
}

/// Renders with `backend`; `None` when the GPU backend has no adapter
/// outside CI (a printed skip); under CI=true that is a failure.
fn render(dir: &Path, backend: &str, ext: &str, frames: i64, cube: &Path) -> Option<()> {
    let out = run(grade()
        .args([
            "apply",
            "--stats",
            "--backend",
            backend,
            "--depth",
            "16",
            "--frames",
            &format!("1-{frames}"),
            "-i",
        ])
        .arg(dir.join("src.####.dpx"))
        .arg("--cdl")
        .arg(data("public/ocio/tests/data/files/cdl_test1.cc"))
        .arg("--lut")
        .arg(cube)
        .arg("-o")
        .arg(dir.join(format!("{backend}.####.{ext}"))));
    let stderr = String::from_utf8_lossy(&out.stderr);
    if backend == "gpu" && !out.status.success() && stderr.to_lowercase().contains("adapter") {
        assert!(
            !grade_engine::testutil::in_ci(),
            "no GPU adapter: under CI=true a missing GPU adapter is a failure, not a skip"
        );
        eprintln!("skipped: no GPU adapter");
        return None;
    }
    assert_eq!(out.status.code(), Some(0), "{backend} {ext} render failed");
    Some(())
}

/// Compares the two backends' frames in 16-bit code values: the worst
/// difference and the share of samples that differ at all.
fn compare(dir: &Path, ext: &str, frames: i64) {
    let (mut worst, mut differ, mut total) = (0u32, 0u64, 0u64);
    for n in 1..=frames {
        let g = io::read_frame(&dir.join(format!("gpu.{n:04}.{ext}"))).unwrap();
        let c = io::read_frame(&dir.join(format!("cpu.{n:04}.{ext}"))).unwrap();
        assert_eq!((g.width, g.height), (c.width, c.height));
        for (i, (a, b)) in g.pixels.iter().zip(&c.pixels).enumerate() {
            if i % 4 == 3 {
                continue;
            }
            let a = (a * 65535.0).round() as i64;
            let b = (b * 65535.0).round() as i64;
            let d = (a - b).unsigned_abs() as u32;
            worst = worst.max(d);
            differ += u64::from(d > 0);
            total += 1;
        }
    }
    eprintln!(
        "{ext}: worst difference {worst} code value(s); {differ} of {total} samples differ ({:.6}%)",
        100.0 * differ as f64 / total as f64
    );
    // The acceptance: the masters agree to one 16-bit code value anywhere;
    // with the exact maths (an adapter with f64, as lavapipe) to the bit.
    assert!(
        worst <= 1,
        "{ext}: GPU and CPU differ by {worst} code values"
    );
    if exact_maths() {
        assert_eq!(differ, 0, "{ext}: GPU and CPU masters differ");
    }
}

/// Whether the GPU backend runs the exact (f64) maths on this machine's
/// adapter (what `grade apply --backend gpu` opens).
fn exact_maths() -> bool {
    #[cfg(feature = "gpu")]
    if let Ok(ctx) = grade_engine::gpu::Context::new() {
        return ctx.adapter_info().exact_maths;
    }
    false
}

#[test]
fn gpu_and_cpu_masters_agree_to_one_code_value() {
    let dir = tempfile::tempdir().unwrap();
    let cube = dir.path().join("look.cube");
    write_cube(&cube);
    write_source(dir.path());
    // The whole sequence as DPX; TIFF shares the grade and differs only in
    // the writer, so 8 frames of it keep the suite's time on lavapipe down.
    for (ext, frames) in [("dpx", FRAMES), ("tif", 8)] {
        if render(dir.path(), "gpu", ext, frames, &cube).is_none() {
            return;
        }
        render(dir.path(), "cpu", ext, frames, &cube);
        compare(dir.path(), ext, frames);
    }
}

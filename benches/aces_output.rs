//! The ACES 1.0 SDR video output transform (ACES2065-1 to sRGB display:
//! OpenColorIO's built-in `ACES-OUTPUT - ACES2065-1_to_CIE-XYZ-D65 -
//! SDR-VIDEO_1.0` then `DISPLAY - CIE-XYZ-D65_to_sRGB`) on a 2048x1080
//! RGBA f32 frame, one thread: grade's fast CPU executor running the
//! translated ops (`ops::aces`, `ops::rgb_curve`, matrices, logs, ranges;
//! nothing baked) against OpenColorIO's CPU processor through the shim, at
//! `OPTIMIZATION_DEFAULT` (what OpenColorIO applications run, with its fast
//! SSE pow/log) and at `OPTIMIZATION_NONE` (the exact maths grade matches),
//! in the same run. Prints Mpixel/s (from the thread's CPU time, so other
//! work on the machine does not skew the ratio), the ratio grade /
//! OpenColorIO (goal >= 1.5 against the default) and the largest
//! difference on the frame.
//!
//! Run with `cargo bench --no-default-features --features ocio --bench
//! aces_output` (a few seconds); with `--features ocio,gpu` it also runs
//! the program on the GPU where an adapter exists.

use std::path::Path;
use std::time::Duration;

use grade_engine::cpu::fast::Executor;
use grade_engine::grade::Program;
use grade_engine::ocio::translate::{translate, InputRange};
use grade_engine::ocio::{Optimization, Processor};

const WIDTH: usize = 2048;
const HEIGHT: usize = 1080;
const PIXELS: usize = WIDTH * HEIGHT;

/// A config whose colour space `out` is the ACES 1.0 SDR video output
/// transform on an sRGB display, from the reference `aces` (ACES2065-1).
const CONFIG: &str = r#"ocio_profile_version: 2.1
roles:
  default: aces
  scene_linear: aces
file_rules:
  - !<Rule> {name: Default, colorspace: aces}
displays:
  sRGB:
    - !<View> {name: ACES, colorspace: out}
colorspaces:
  - !<ColorSpace>
    name: aces
  - !<ColorSpace>
    name: out
    from_reference: !<GroupTransform>
      children:
        - !<BuiltinTransform> {style: "ACES-OUTPUT - ACES2065-1_to_CIE-XYZ-D65 - SDR-VIDEO_1.0"}
        - !<BuiltinTransform> {style: "DISPLAY - CIE-XYZ-D65_to_sRGB"}
"#;

/// Scene-linear AP0 values from 2^-10 to 2^6 around 0.18, varied per
/// channel (horizontal, vertical and hashed), and a few negatives.
fn frame() -> Vec<f32> {
    let mut out = Vec::with_capacity(PIXELS * 4);
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            let i = (y * WIDTH + x) as u32;
            let h = i.wrapping_mul(2_654_435_761).rotate_left(13) ^ 0x9e37_79b9;
            let noise = (h >> 8) as f32 / (1u32 << 24) as f32;
            let stops = |t: f32| 0.18 * (t * 16.0 - 8.0).exp2();
            out.extend_from_slice(&[
                stops(x as f32 / WIDTH as f32),
                stops(y as f32 / HEIGHT as f32),
                stops(noise) - 0.01,
                1.0,
            ]);
        }
    }
    out
}

/// This thread's CPU time: both sides run on this thread only, and on a
/// machine shared with other work it is the time the transform took, not
/// the time it waited for a core.
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec for the call to fill.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Best of `runs` timings (this thread's CPU time) of `f` on a fresh copy
/// of `frame`.
fn time(frame: &[f32], runs: usize, mut f: impl FnMut(&mut [f32])) -> (Duration, Vec<f32>) {
    let mut best = Duration::MAX;
    let mut out = Vec::new();
    for _ in 0..runs {
        let mut work = frame.to_vec();
        let t = thread_cpu_time();
        f(&mut work);
        best = best.min(thread_cpu_time() - t);
        out = work;
    }
    (best, out)
}

fn max_diff(a: &[f32], b: &[f32]) -> f32 {
    a.iter()
        .zip(b)
        .enumerate()
        .filter(|(i, _)| i % 4 != 3)
        .map(|(_, (x, y))| (x - y).abs() / x.abs().max(1.0))
        .fold(0.0, f32::max)
}

/// With the `gpu` feature and an adapter: the same program on the GPU, its
/// wall time per frame (upload, dispatch, readback) and its kernel time
/// where the device has timestamp queries, against OpenColorIO's default
/// CPU processor on one thread (`ocio`), and whether its bits are the fast
/// executor's.
#[cfg(feature = "gpu")]
fn gpu(program: &Program, frame: &[f32], fast: &[f32], ocio: Duration) {
    use grade_engine::gpu::{Context, Executor as GpuExecutor};
    let ctx = match Context::new() {
        Ok(ctx) => ctx,
        Err(e) => {
            println!("\nGPU: no adapter ({e})");
            return;
        }
    };
    let mut ex = match GpuExecutor::new(&ctx, &program.pack()) {
        Ok(ex) => ex,
        Err(e) => {
            println!("\nGPU: {e}");
            return;
        }
    };
    let (w, h) = (WIDTH as u32, HEIGHT as u32);
    let mut out = frame.to_vec();
    // The first frame builds the kernel.
    let _ = ex.apply(&mut out, w, h);
    let (mut total, mut kernel) = (Duration::MAX, None::<Duration>);
    for _ in 0..5 {
        out = frame.to_vec();
        let Ok(t) = ex.apply(&mut out, w, h) else {
            println!("\nGPU: the frame failed");
            return;
        };
        total = total.min(t.total());
        kernel = t.kernel.map(|k| kernel.map_or(k, |b: Duration| b.min(k)));
    }
    let differ = out
        .iter()
        .zip(fast)
        .filter(|(a, b)| a.to_bits() != b.to_bits() && !(a.is_nan() && b.is_nan()))
        .count();
    let mpx = |t: Duration| PIXELS as f64 / t.as_secs_f64() / 1e6;
    println!(
        "\nGPU on {}{}, best of 5 (wall time):",
        ctx.adapter_info(),
        if ctx.is_software() {
            " [software adapter: CPU-emulated]"
        } else {
            ""
        }
    );
    let ratio = |t: Duration| ocio.as_secs_f64() / t.as_secs_f64();
    println!(
        "  upload + kernel + readback {:>9.1} Mpx/s, {:.2}x OpenColorIO OPTIMIZATION_DEFAULT (1 thread)",
        mpx(total),
        ratio(total)
    );
    match kernel {
        Some(k) => println!(
            "  kernel alone               {:>9.1} Mpx/s, {:.2}x",
            mpx(k),
            ratio(k)
        ),
        None => println!("  kernel alone: no timestamp queries on this device"),
    }
    println!("  values whose bits differ from the fast CPU executor: {differ}");
}

fn main() {
    // `cargo bench` passes `--bench`; nothing to filter here.
    let dir = std::env::temp_dir().join(format!("grade-bench-aces-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let config = dir.join("aces_output.ocio");
    std::fs::write(&config, CONFIG).expect("write the bench config");
    let run = |config: &Path| {
        let processor = Processor::from_config_colorspaces(config, "aces", "out")
            .expect("OCIO builds the output transform");
        let t = translate(&processor, "ACES 1.0 SDR video", &InputRange::Unit).expect("translate");
        assert!(t.bakes.is_empty(), "baked: {:?}", t.notes);
        let program = Program { ops: t.ops }.optimise();
        let grade = Executor::new(&program.pack()).expect("fast executor");
        let ocio_default = Processor::from_config_colorspaces(config, "aces", "out")
            .and_then(|p| p.with_optimization(Optimization::Default))
            .expect("OCIO default processor");
        let ocio_none = processor
            .with_optimization(Optimization::None)
            .expect("OCIO exact processor");
        let frame = frame();
        let runs = 5;
        let (tg, g) = time(&frame, runs, |px| grade.apply(px));
        let (td, d) = time(&frame, runs, |px| {
            ocio_default.apply_rgba(px).expect("OCIO apply")
        });
        let (tn, n) = time(&frame, runs, |px| {
            ocio_none.apply_rgba(px).expect("OCIO apply")
        });
        let mpx = |t: Duration| PIXELS as f64 / t.as_secs_f64() / 1e6;
        println!(
            "ACES 1.0 SDR video output transform, {WIDTH}x{HEIGHT} RGBA f32, 1 thread, best of {runs} (thread CPU time), {} ops after optimising",
            program.ops.len()
        );
        println!(
            "{:<34} {:>9} {:>12} {:>14}",
            "", "Mpx/s", "grade/this", "max diff"
        );
        println!(
            "{:<34} {:>9.1} {:>12} {:>14}",
            "grade fast CPU",
            mpx(tg),
            "",
            ""
        );
        for (name, t, out) in [
            ("OpenColorIO OPTIMIZATION_DEFAULT", td, &d),
            ("OpenColorIO OPTIMIZATION_NONE", tn, &n),
        ] {
            println!(
                "{name:<34} {:>9.1} {:>12.2} {:>14.2e}",
                mpx(t),
                t.as_secs_f64() / tg.as_secs_f64(),
                max_diff(out, &g)
            );
        }
        #[cfg(feature = "gpu")]
        gpu(&program, &frame, &g, td);
        println!("\nper op, grade fast CPU, 1 thread:");
        for op in &program.ops {
            let one = Executor::new(
                &Program {
                    ops: vec![op.clone()],
                }
                .pack(),
            )
            .expect("fast executor");
            let (t, _) = time(&frame, 3, |px| one.apply(px));
            println!(
                "  {:>7.1} Mpx/s  {}",
                mpx(t),
                format!("{op:?}").chars().take(70).collect::<String>()
            );
        }
    };
    run(&config);
    let _ = std::fs::remove_dir_all(&dir);
}

//! GPU executor on a 2K frame (2048x1080 RGBA f32, 35 MB; UHD 3840x2160,
//! 133 MB, with `GRADE_BENCH_FRAME=uhd`): the kernel as the GPU times it
//! (timestamp queries, where the device has them), the compute dispatch as
//! the host sees it, a whole synchronous frame (upload + dispatch +
//! readback), and the pipelined submit/collect form with two frames in
//! flight. The grade is a typical look: ASC CDL, then a 33^3 tetrahedral 3D
//! LUT, then a legal-range scale. Prints the adapter it ran on; on a
//! software adapter (lavapipe) the figures measure the CPU emulating a GPU,
//! not a GPU.
//!
//! Run: `NODEVICE_SELECT=1 cargo bench --bench gpu --no-default-features --features gpu`

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use grade_engine::gpu::{Context, Executor};
use grade_engine::grade::packed::{self, OpRecord, PackedProgram};
use grade_engine::ops::OpKind;

/// The frame size: 2K, or UHD with `GRADE_BENCH_FRAME=uhd`.
fn size() -> (u32, u32, &'static str) {
    match std::env::var("GRADE_BENCH_FRAME").as_deref() {
        Ok("uhd") | Ok("UHD") => (3840, 2160, "UHD"),
        _ => (2048, 1080, "2K"),
    }
}

fn record(kind: u32, flags: u32, n: u32, p: &[[f32; 4]]) -> OpRecord {
    let mut r = OpRecord {
        kind,
        flags,
        n,
        data: 0,
        p: [[0.0; 4]; 7],
    };
    r.p[..p.len()].copy_from_slice(p);
    r
}

fn look() -> PackedProgram {
    let n = 33u32;
    let mut data = Vec::with_capacity((n * n * n * 3) as usize);
    for b in 0..n {
        for g in 0..n {
            for r in 0..n {
                let (x, y, z) = (
                    r as f32 / (n - 1) as f32,
                    g as f32 / (n - 1) as f32,
                    b as f32 / (n - 1) as f32,
                );
                data.extend_from_slice(&[0.9 * x + 0.1 * y, y.powf(0.9), 0.8 * z + 0.2 * x * y]);
            }
        }
    }
    PackedProgram {
        ops: vec![
            record(
                OpKind::Cdl as u32,
                packed::CDL_CLAMP,
                0,
                &[
                    [1.1, 1.0, 0.95, 0.9],
                    [0.01, 0.0, -0.01, 0.0],
                    [1.05, 1.0, 0.98, 0.0],
                ],
            ),
            record(
                OpKind::Lut3d as u32,
                0,
                n,
                &[[0.0; 4], [1.0, 1.0, 1.0, 0.0]],
            ),
            record(
                OpKind::Range as u32,
                packed::RANGE_CLAMP_LOW | packed::RANGE_CLAMP_HIGH,
                0,
                &[
                    [0.8562, 0.8562, 0.8562, 0.0],
                    [0.0626, 0.0626, 0.0626, 0.0],
                    [0.0; 4],
                    [1.0, 1.0, 1.0, 0.0],
                ],
            ),
        ],
        data,
    }
}

fn frame(width: u32, height: u32) -> Vec<f32> {
    (0..width * height * 4)
        .map(|i| (i % 4099) as f32 / 4000.0)
        .collect()
}

fn bench(c: &mut Criterion) {
    let (width, height, name) = size();
    let ctx = match Context::new() {
        Ok(ctx) => ctx,
        Err(e) => {
            eprintln!("gpu bench skipped: {e}");
            return;
        }
    };
    let info = ctx.adapter_info();
    eprintln!(
        "gpu bench: {width}x{height} RGBA f32, CDL + 33^3 tetrahedral LUT + range, on {info}{}",
        if ctx.is_software() {
            " [software adapter: CPU-emulated]"
        } else {
            ""
        }
    );
    let program = look();
    let mut ex = match Executor::new(&ctx, &program) {
        Ok(ex) => ex,
        Err(e) => {
            eprintln!("gpu bench skipped: {e}");
            return;
        }
    };
    let mut pixels = frame(width, height);
    let mut g = c.benchmark_group(format!("gpu {name}"));
    // Criterion's minimum of 10 samples, one frame each, and a short
    // warm-up: on lavapipe a 2K frame takes seconds, and the whole bench
    // must stay near a minute.
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(100))
        .measurement_time(Duration::from_secs(2))
        .throughput(Throughput::Elements(u64::from(width * height)));

    if ex.times_kernels() {
        g.bench_function("kernel (GPU timestamps)", |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    total += ex
                        .apply(&mut pixels, width, height)
                        .ok()
                        .and_then(|t| t.kernel)
                        .unwrap_or_default();
                }
                total
            })
        });
    } else {
        eprintln!("gpu bench: no timestamp queries on this device, no kernel-only figure");
    }
    g.bench_function("dispatch only", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                total += ex
                    .apply(&mut pixels, width, height)
                    .map(|t| t.dispatch)
                    .unwrap_or_default();
            }
            total
        })
    });
    g.bench_function("upload + dispatch + readback", |b| {
        b.iter(|| ex.apply(&mut pixels, width, height).map(|t| t.total()))
    });
    g.bench_function("pipelined, 2 frames in flight", |b| {
        let mut spare = Some(frame(width, height));
        let mut pending = None;
        b.iter(|| {
            let Some(px) = spare.take() else { return };
            let Ok(t) = ex.submit(px, width, height) else {
                return;
            };
            if let Some(prev) = pending.replace(t) {
                spare = ex.collect(prev).ok();
            } else {
                spare = Some(frame(width, height));
            }
        });
        if let Some(t) = pending.take() {
            let _ = ex.collect(t);
        }
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

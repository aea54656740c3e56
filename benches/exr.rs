//! EXR half decode and encode throughput at 2K (2048x1080) and UHD
//! (3840x2160), RGBA, for the compressions masters and plates use most
//! (zip, piz, none).
//!
//! Throughput is in bytes of half RGBA pixel data (width x height x 4 x 2)
//! per second, so figures compare across compressions: "decode zip UHD at
//! 400 MiB/s" means 400 MiB of half pixels a second, about 6 UHD frames.
//! Decoding runs on one thread (see io::exr: a damaged block must not abort
//! the process), encoding on the exr crate's worker threads.
//!
//! Run: `cargo bench --no-default-features --bench exr` (about a minute).

use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use grade_engine::io::{exr, BitDepth, WriteOptions};
use grade_engine::Frame;

/// A frame with smooth ramps and some texture, so compressors do real work
/// (a flat frame compresses to nothing and flatters every codec).
fn plate(width: u32, height: u32) -> Frame {
    let mut f = Frame::new(width, height);
    let w = width as usize;
    for (i, px) in f.pixels.chunks_exact_mut(4).enumerate() {
        let (x, y) = ((i % w) as f32, (i / w) as f32);
        let grain = ((i as u32).wrapping_mul(2_654_435_761) >> 20) as f32 / 4096.0 * 0.02;
        px[0] = x / width as f32 + grain;
        px[1] = y / height as f32 + grain;
        px[2] = 0.5 + 0.4 * (x * 0.01).sin() * (y * 0.013).cos() + grain;
        px[3] = 1.0;
    }
    f
}

fn bench(c: &mut Criterion) {
    let path = Path::new("bench.exr");
    for (label, w, h) in [("2K", 2048u32, 1080u32), ("UHD", 3840, 2160)] {
        let frame = plate(w, h);
        let half_bytes = w as u64 * h as u64 * 4 * 2;
        for comp in ["zip", "piz", "none"] {
            let opts = WriteOptions {
                depth: Some(BitDepth::Half),
                exr_compression: Some(comp.into()),
                alpha: Some(true),
                ..Default::default()
            };
            let encoded = exr::encode(path, &frame, &opts).expect("encode");
            println!(
                "{label} half RGBA {comp}: {:.1} MB file ({:.0}% of raw half)",
                encoded.len() as f64 / 1e6,
                100.0 * encoded.len() as f64 / half_bytes as f64
            );
            let mut g = c.benchmark_group(format!("exr half {label}"));
            g.throughput(Throughput::Bytes(half_bytes));
            g.bench_with_input(BenchmarkId::new("decode", comp), &encoded, |b, bytes| {
                b.iter(|| exr::decode(path, bytes).expect("decode"))
            });
            g.bench_with_input(BenchmarkId::new("encode", comp), &frame, |b, f| {
                b.iter(|| exr::encode(path, f, &opts).expect("encode"))
            });
            g.finish();
        }
    }
}

criterion_group! {
    name = benches;
    // Short measurements: 12 cases in about a minute.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);

//! DPX decode and encode speed at 2K (2048x1080) and UHD (3840x2160),
//! 10-bit (filled method A) and 16-bit RGB, big-endian.
//!
//! Throughput is reported against the size of the DPX file (header and
//! pixel data), so MB/s compares directly with disk or network speed.
//! Run: `cargo bench --no-default-features --bench dpx`.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use grade_engine::io::{dpx, BitDepth, Endian, WriteOptions};
use grade_engine::Frame;

fn test_frame(width: u32, height: u32) -> Frame {
    let mut f = Frame::new(width, height);
    let mut seed = 0x9E37_79B9u32;
    for px in f.pixels.chunks_exact_mut(4) {
        for v in &mut px[..3] {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            *v = (seed >> 8) as f32 / (1 << 24) as f32;
        }
    }
    f
}

fn bench(c: &mut Criterion) {
    let sizes = [("2K", 2048, 1080), ("UHD", 3840, 2160)];
    let depths = [("10-bit", BitDepth::U10), ("16-bit", BitDepth::U16)];
    println!(
        "DPX decode/encode, RGB big-endian, {} CPU threads; MB/s of DPX file bytes",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for (size, w, h) in sizes {
        let frame = test_frame(w, h);
        for (depth_name, depth) in depths {
            let opts = WriteOptions {
                depth: Some(depth),
                dpx_endian: Some(Endian::Big),
                alpha: Some(false),
                ..WriteOptions::default()
            };
            let path = Path::new("bench.dpx");
            let mut bytes = Vec::new();
            dpx::write_to(&mut bytes, &frame, &opts, path).expect("encode");
            let mut group = c.benchmark_group(format!("dpx {size} {depth_name}"));
            group
                .sample_size(10)
                .warm_up_time(Duration::from_millis(300))
                .measurement_time(Duration::from_secs(2))
                .throughput(Throughput::Bytes(bytes.len() as u64));
            group.bench_function("decode", |b| {
                b.iter(|| dpx::read_bytes(black_box(&bytes), path).expect("decode"))
            });
            let mut out = Vec::with_capacity(bytes.len());
            group.bench_function("encode", |b| {
                b.iter(|| {
                    out.clear();
                    dpx::write_to(&mut out, black_box(&frame), &opts, path).expect("encode");
                })
            });
            group.finish();
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

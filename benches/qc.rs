//! QC's per-frame statistics (`qc::measure`: one pass over a graded 2K RGBA
//! f32 frame, hash included) beside what the render's writer thread does
//! with the same frame anyway (encode and write it as a 16-bit DPX), so the
//! ratio says what `--qc` adds to a writer's work. The goal: QC adds at most
//! 10% to a CPU render.
//! Run: `cargo bench --no-default-features --bench qc`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use grade_engine::io::{self, BitDepth, WriteOptions};
use grade_engine::qc::{measure, Levels};
use grade_engine::testcard::test_card;

fn bench(c: &mut Criterion) {
    let frame = test_card(2048, 1080, 1, [1.0, 0.9, 0.8]);
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("o.0001.dpx");
    let opts = WriteOptions {
        depth: Some(BitDepth::U16),
        ..Default::default()
    };
    let levels = Levels::of_depth(BitDepth::U16, true);
    let mut g = c.benchmark_group("qc 2048x1080");
    g.sample_size(20);
    g.bench_function("measure", |b| {
        b.iter(|| black_box(measure(2048, 1080, black_box(&frame.pixels), &levels)))
    });
    let mut scratch = Vec::new();
    g.bench_function("write 16-bit DPX", |b| {
        b.iter(|| io::write_frame_with(&path, black_box(&frame), &opts, &mut scratch).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! The reformat's resampler on the CPU: a UHD RGBA f32 frame to HD with
//! lanczos3, on 1 thread and on all threads, beside OpenImageIO's
//! `oiiotool --resize:filter=lanczos3 1920x1080` on the same frame in the
//! same run (its own timing of the resize, from `--runstats`, so reading the
//! file is not counted), and the ratio. The goal is at least 2x oiiotool.
//!
//! oiiotool is taken from `GRADE_PYTHON`'s folder, else `.venv/bin`; without
//! it only grade is timed.
//! Run: `cargo bench --no-default-features --bench resample`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use grade_engine::io::{self, BitDepth, WriteOptions};
use grade_engine::reformat::{Format, Reformat, SourceGeometry};
use grade_engine::testcard::test_card;

fn oiiotool() -> Option<PathBuf> {
    let dir = std::env::var_os("GRADE_PYTHON")
        .map(PathBuf::from)
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin"));
    let tool = dir.join("oiiotool");
    tool.exists().then_some(tool)
}

/// oiiotool's own time for the resize (`--runstats`), on `threads` threads.
fn oiiotool_resize(tool: &Path, input: &Path, threads: usize) -> Option<f64> {
    let out = Command::new(tool)
        .args(["--threads", &threads.to_string(), "--runstats"])
        .arg(input)
        .args(["--resize:filter=lanczos3", "1920x1080"])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.trim().strip_prefix("resize"))
        .and_then(|r| r.trim().trim_start_matches(':').trim().parse().ok())
}

/// Median seconds of `runs` runs of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut t: Vec<f64> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64()
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

fn bench(c: &mut Criterion) {
    let (sw, sh) = (3840, 2160);
    let frame = test_card(sw, sh, 1001, [1.0, 0.9, 0.8]);
    let plan = Reformat::to(Format::parse("hd").expect("hd"))
        .plan(SourceGeometry {
            width: sw,
            height: sh,
            par: 1.0,
        })
        .expect("plan");
    let all = rayon::current_num_threads();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a 1-thread pool");
    let mut dst = Vec::new();
    let mut group = c.benchmark_group("resample UHD -> HD lanczos3 RGBA f32");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("1 thread", |b| {
        b.iter(|| one.install(|| plan.apply(black_box(&frame.pixels), &mut dst)))
    });
    group.bench_function(format!("{all} threads"), |b| {
        b.iter(|| plan.apply(black_box(&frame.pixels), &mut dst))
    });
    group.finish();

    // The same frame through oiiotool, in the same run.
    let ours_one = median(5, || one.install(|| plan.apply(&frame.pixels, &mut dst)));
    let ours_all = median(5, || plan.apply(&frame.pixels, &mut dst));
    println!(
        "grade: {:.3} s on 1 thread, {:.3} s on {all}",
        ours_one, ours_all
    );
    let Some(tool) = oiiotool() else {
        println!("oiiotool not found (set GRADE_PYTHON or run scripts/setup): grade alone");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("uhd.exr");
    let opts = WriteOptions {
        depth: Some(BitDepth::Float),
        alpha: Some(true),
        exr_compression: Some("none".into()),
        ..Default::default()
    };
    io::write_frame(&input, &frame, &opts).expect("write the UHD frame");
    for (threads, ours) in [(1, ours_one), (all, ours_all)] {
        match oiiotool_resize(&tool, &input, threads) {
            Some(theirs) => println!(
                "oiiotool --resize:filter=lanczos3 1920x1080 on {threads} thread(s): {theirs:.3} s; grade is {:.1}x faster (goal >= 2x)",
                theirs / ours
            ),
            None => println!("oiiotool on {threads} thread(s): no resize time in --runstats"),
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

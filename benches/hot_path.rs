//! The per-pixel hot path: grade's fast CPU executor against OpenColorIO's
//! optimised CPU processor (`OPTIMIZATION_DEFAULT`, what OCIO applications
//! run) on the same 1920x1080 RGBA f32 frame, in the same run, on one thread
//! and on all threads.
//!
//! Cases: an ASC CDL alone; a 33^3 and a 65^3 3D LUT, tetrahedral; and a
//! CDL + 4096-entry 1D shaper + 33^3 3D LUT chain. The LUTs are built here
//! and handed to OCIO as the same numbers in a `.cube` or `.clf` file written
//! to a temporary folder. After the Criterion output, a table gives Mpixel/s
//! for both and the ratio grade/OCIO (above 1: grade is faster).
//!
//! Run with `cargo bench --bench hot_path`; the whole run takes about one
//! minute on two cores. The last column of the table is the largest
//! difference between the two outputs on the frame.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use grade_engine::cpu::fast::Executor;
use grade_engine::grade::{Op, Program};
use grade_engine::ocio::{FileInterpolation, Optimization, Processor};
use grade_engine::ops::{Cdl, CdlStyle, Direction, Interpolation, Lut1d, Lut3d};

const WIDTH: usize = 1920;
const HEIGHT: usize = 1080;
const PIXELS: usize = WIDTH * HEIGHT;

/// A frame of varied values over [-0.1, 1.2]: horizontal and vertical
/// ramps in red and green, hashed noise in blue.
fn frame() -> Vec<f32> {
    let mut out = Vec::with_capacity(PIXELS * 4);
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            let i = (y * WIDTH + x) as u32;
            let h = i.wrapping_mul(2_654_435_761).rotate_left(13) ^ 0x9e37_79b9;
            let noise = (h >> 8) as f32 / (1u32 << 24) as f32;
            out.extend_from_slice(&[
                -0.1 + 1.3 * x as f32 / WIDTH as f32,
                -0.1 + 1.3 * y as f32 / HEIGHT as f32,
                -0.1 + 1.3 * noise,
                1.0,
            ]);
        }
    }
    out
}

fn cdl() -> Cdl {
    Cdl {
        id: None,
        slope: [1.1, 0.95, 1.02],
        offset: [0.02, -0.01, 0.0],
        power: [0.9, 1.05, 1.1],
        saturation: 0.9,
        style: CdlStyle::Asc,
        direction: Direction::Forward,
    }
}

/// A look: a little channel mixing, then a soft S-curve.
fn look(r: f32, g: f32, b: f32) -> [f32; 3] {
    let s = |x: f32| {
        let x = x.clamp(0.0, 1.0);
        0.5 * (x + x * x * (3.0 - 2.0 * x))
    };
    [
        s(0.85 * r + 0.1 * g + 0.05 * b),
        s(0.05 * r + 0.9 * g + 0.05 * b),
        s(0.02 * r + 0.08 * g + 0.9 * b),
    ]
}

/// `size`^3 lattice of [`look`], red fastest.
fn lut3d(size: usize) -> Lut3d {
    let mut data = Vec::with_capacity(size * size * size);
    let f = |i: usize| i as f32 / (size - 1) as f32;
    for b in 0..size {
        for g in 0..size {
            for r in 0..size {
                data.push(look(f(r), f(g), f(b)));
            }
        }
    }
    Lut3d {
        size,
        data,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        interpolation: Interpolation::Tetrahedral,
        direction: Direction::Forward,
    }
}

/// A 4096-entry shaper over [0, 1]: a square-root-like curve.
fn shaper() -> Lut1d {
    let n = 4096;
    let table = (0..n)
        .map(|i| {
            let v = (i as f32 / (n - 1) as f32).powf(0.6);
            [v, v, v]
        })
        .collect();
    Lut1d {
        table,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        half_domain: false,
        direction: Direction::Forward,
    }
}

/// The lattice as `.cube` text (red fastest, as grade stores it). `{:?}`
/// prints the shortest text that reads back as the same f32.
fn cube_text(lut: &Lut3d) -> String {
    let mut s = format!("LUT_3D_SIZE {}\n", lut.size);
    for v in &lut.data {
        let _ = writeln!(s, "{:?} {:?} {:?}", v[0], v[1], v[2]);
    }
    s
}

/// CDL, shaper and lattice as one CLF (its 3D array has blue fastest).
fn chain_clf(cdl: &Cdl, shaper: &Lut1d, lut: &Lut3d) -> String {
    let v3 = |v: [f64; 3]| format!("{:?} {:?} {:?}", v[0], v[1], v[2]);
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ProcessList id=\"bench\" compCLFversion=\"3\">\n",
    );
    let _ = write!(
        s,
        "<ASC_CDL inBitDepth=\"32f\" outBitDepth=\"32f\" style=\"Fwd\">\n<SOPNode><Slope>{}</Slope><Offset>{}</Offset><Power>{}</Power></SOPNode>\n<SatNode><Saturation>{:?}</Saturation></SatNode>\n</ASC_CDL>\n",
        v3(cdl.slope),
        v3(cdl.offset),
        v3(cdl.power),
        cdl.saturation
    );
    let _ = writeln!(
        s,
        "<LUT1D inBitDepth=\"32f\" outBitDepth=\"32f\">\n<Array dim=\"{} 3\">",
        shaper.table.len()
    );
    for v in &shaper.table {
        let _ = writeln!(s, "{:?} {:?} {:?}", v[0], v[1], v[2]);
    }
    s.push_str("</Array>\n</LUT1D>\n");
    let n = lut.size;
    let _ = writeln!(
        s,
        "<LUT3D inBitDepth=\"32f\" outBitDepth=\"32f\" interpolation=\"tetrahedral\">\n<Array dim=\"{n} {n} {n} 3\">"
    );
    for r in 0..n {
        for g in 0..n {
            for b in 0..n {
                let v = lut.data[r + n * (g + n * b)];
                let _ = writeln!(s, "{:?} {:?} {:?}", v[0], v[1], v[2]);
            }
        }
    }
    s.push_str("</Array>\n</LUT3D>\n</ProcessList>\n");
    s
}

struct Case {
    name: &'static str,
    grade: Executor,
    ocio: Processor,
}

fn ocio_file(dir: &Path, name: &str, text: &str) -> Processor {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write temporary LUT");
    Processor::from_file(
        &path,
        None,
        FileInterpolation::Tetrahedral,
        Direction::Forward,
    )
    .and_then(|p| p.with_optimization(Optimization::Default))
    .expect("OCIO loads the LUT written for it")
}

fn executor(ops: Vec<Op>) -> Executor {
    let program = Program { ops }.optimise();
    Executor::new(&program.pack()).expect("fast executor accepts the program")
}

fn cases(dir: &Path) -> Vec<Case> {
    let (cdl, shaper, lut33, lut65) = (cdl(), shaper(), lut3d(33), lut3d(65));
    vec![
        Case {
            name: "cdl",
            grade: executor(vec![Op::Cdl(cdl.clone())]),
            ocio: Processor::cdl(&cdl).expect("OCIO CDLTransform"),
        },
        Case {
            name: "lut3d_33",
            grade: executor(vec![Op::Lut3d(lut33.clone())]),
            ocio: ocio_file(dir, "look33.cube", &cube_text(&lut33)),
        },
        Case {
            name: "lut3d_65",
            grade: executor(vec![Op::Lut3d(lut65.clone())]),
            ocio: ocio_file(dir, "look65.cube", &cube_text(&lut65)),
        },
        Case {
            name: "cdl_shaper_lut3d_33",
            grade: executor(vec![
                Op::Cdl(cdl.clone()),
                Op::Lut1d(shaper.clone()),
                Op::Lut3d(lut33.clone()),
            ]),
            ocio: ocio_file(dir, "chain.clf", &chain_clf(&cdl, &shaper, &lut33)),
        },
    ]
}

/// OCIO applies on the calling thread; for all threads the frame is split
/// into one band per thread.
fn ocio_parallel(p: &Processor, rgba: &mut [f32], threads: usize) {
    let band = PIXELS.div_ceil(threads) * 4;
    std::thread::scope(|s| {
        for chunk in rgba.chunks_mut(band) {
            s.spawn(move || p.apply_rgba(chunk).expect("OCIO apply"));
        }
    });
}

/// Largest difference between grade's and OCIO's frame, so the table shows
/// that both computed the same thing: grade follows OCIO 2.1's CPU
/// renderers, so this is 0 or f32 rounding.
fn agreement(case: &Case, source: &[f32]) -> f32 {
    let (mut g, mut o) = (source.to_vec(), source.to_vec());
    case.grade.apply(&mut g);
    case.ocio.apply_rgba(&mut o).expect("OCIO apply");
    g.iter()
        .zip(&o)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f32::max)
}

/// Mean time per frame over everything Criterion measured.
#[derive(Default, Clone, Copy)]
struct Tally {
    total: Duration,
    frames: u64,
}

impl Tally {
    fn mpixels_per_s(self) -> f64 {
        if self.frames == 0 {
            return 0.0;
        }
        PIXELS as f64 * self.frames as f64 / self.total.as_secs_f64() / 1e6
    }
}

fn hot_path(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let source = frame();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut table = Vec::new();

    for case in cases(dir.path()) {
        for (label, parallel) in [("1 thread", false), ("all threads", true)] {
            let mut group = c.benchmark_group(format!(
                "{}/{}",
                case.name,
                if parallel { "all_threads" } else { "1_thread" }
            ));
            group
                .throughput(Throughput::Elements(PIXELS as u64))
                .sample_size(10)
                .warm_up_time(Duration::from_millis(300))
                .measurement_time(Duration::from_millis(2500));
            let tallies = [
                RefCell::new(Tally::default()),
                RefCell::new(Tally::default()),
            ];
            let mut work = source.clone();
            for (which, tally) in tallies.iter().enumerate() {
                let id = ["grade", "ocio"][which];
                group.bench_function(id, |b| {
                    b.iter_custom(|iters| {
                        let mut spent = Duration::ZERO;
                        for _ in 0..iters {
                            work.copy_from_slice(&source);
                            let start = Instant::now();
                            match (which, parallel) {
                                (0, false) => case.grade.apply(&mut work),
                                (0, true) => case.grade.apply_parallel(&mut work),
                                (_, false) => case.ocio.apply_rgba(&mut work).expect("OCIO apply"),
                                (_, true) => ocio_parallel(&case.ocio, &mut work, threads),
                            }
                            spent += start.elapsed();
                        }
                        let mut t = tally.borrow_mut();
                        t.total += spent;
                        t.frames += iters;
                        spent
                    })
                });
            }
            group.finish();
            let (g, o) = (
                tallies[0].borrow().mpixels_per_s(),
                tallies[1].borrow().mpixels_per_s(),
            );
            table.push((case.name, label, g, o, agreement(&case, &source)));
        }
    }

    println!(
        "\nhot path, {WIDTH}x{HEIGHT} RGBA f32, {threads} threads available, OpenColorIO {} at OPTIMIZATION_DEFAULT",
        grade_engine::ocio::version()
    );
    println!(
        "{:<22} {:<12} {:>14} {:>14} {:>12} {:>18}",
        "case", "threads", "grade Mpx/s", "OCIO Mpx/s", "grade/OCIO", "max |grade-OCIO|"
    );
    for (name, label, g, o, diff) in table {
        let ratio = if o > 0.0 { g / o } else { f64::NAN };
        println!("{name:<22} {label:<12} {g:>14.1} {o:>14.1} {ratio:>12.2} {diff:>18.2e}");
    }
}

criterion_group!(benches, hot_path);
criterion_main!(benches);

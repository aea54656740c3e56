//! The pipeline's tests: every way a frame ends, cancelling, GPU frames in
//! flight, and layers of several sizes reformatted to one.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use super::*;
use crate::grade::Program;
use crate::io;
use crate::io::WriteOptions;
use crate::render::BackendChoice;
use crate::render::{Backend, FrameRecipe, Layer};
use crate::testcard::test_card;
use crate::Frame;
use crate::Metadata;
use std::sync::atomic::{AtomicBool, Ordering};

fn programs() -> Vec<Program> {
    tests_programs()
}

fn source(dir: &Path, n: i64, (w, h): (u32, u32)) -> PathBuf {
    let path = dir.join(format!("s.{n}.dpx"));
    io::write_frame(
        &path,
        &test_card(w, h, n, [1.0, 0.9, 0.8]),
        &Default::default(),
    )
    .unwrap();
    path
}

fn recipe(output: PathBuf, layers: Vec<(Layer, f32)>) -> FrameRecipe {
    FrameRecipe {
        number: 0,
        output,
        layers,
        black_size: (128, 40),
        over: Vec::new(),
        meta: Metadata::default(),
    }
}

/// Runs a job on its own thread; a job that never ends (a slot that was
/// never given back) fails the test instead of hanging it.
fn run_job(
    recipes: Vec<FrameRecipe>,
    opts: JobOptions,
    cancel_after: Option<usize>,
) -> RenderSummary {
    run_job_on(BackendChoice::Cpu, recipes, opts, cancel_after)
}

fn run_job_on(
    choice: BackendChoice,
    recipes: Vec<FrameRecipe>,
    opts: JobOptions,
    cancel_after: Option<usize>,
) -> RenderSummary {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut backend = Backend::new(choice, &programs()).unwrap();
        let cancel = AtomicBool::new(false);
        let mut seen = 0;
        let summary = run(&recipes, &mut backend, &opts, &cancel, |_| {
            seen += 1;
            if Some(seen) == cancel_after {
                cancel.store(true, Ordering::SeqCst);
            }
        });
        let _ = tx.send(summary);
    });
    rx.recv_timeout(Duration::from_secs(300))
        .expect("the job did not finish: a frame slot was never given back")
}

/// A job with every way a frame can end (written, read error, write
/// error, skipped, black gap, dissolve, mismatched dissolve) on a pool
/// of 4 slots, 60 frames long: a slot kept by any path would stall it.
/// Every written frame is then rendered again alone, and must come out
/// byte for byte the same: reused buffers carry nothing across frames.
#[test]
fn every_way_a_frame_ends_gives_back_its_slot() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, out, alone) = (tmp.path(), tmp.path().join("out"), tmp.path().join("alone"));
    std::fs::create_dir(&out).unwrap();
    std::fs::create_dir(&alone).unwrap();
    let big = source(src, 1, (128, 40));
    let other = source(src, 2, (128, 40));
    let small = source(src, 3, (112, 36));
    let done_before = source(src, 4, (128, 40));
    let layer = |p: &PathBuf, program| Layer::Source {
        path: p.clone(),
        program,
        reformat: None,
    };
    let (mut recipes, mut expect) = (Vec::new(), (0, 0, 0));
    for i in 0..60 {
        let name = format!("o.{i}.dpx");
        let (r, written) = match i % 7 {
            0 => (recipe(out.join(&name), vec![(layer(&big, 0), 1.0)]), true),
            1 => (
                recipe(
                    out.join(&name),
                    vec![(layer(&src.join("none.dpx"), 0), 1.0)],
                ),
                false,
            ),
            2 => (
                recipe(src.join("missing").join(&name), vec![(layer(&big, 1), 1.0)]),
                false,
            ),
            3 => {
                // A whole frame of this job's kind is skipped.
                std::fs::copy(&done_before, out.join(&name)).unwrap();
                expect.2 += 1;
                (recipe(out.join(&name), vec![(layer(&big, 0), 1.0)]), false)
            }
            4 => (recipe(out.join(&name), vec![]), true),
            5 => {
                let second = if i % 2 == 0 { &other } else { &small };
                let r = recipe(
                    out.join(&name),
                    vec![(layer(&big, 0), 0.3), (layer(second, 1), 0.7)],
                );
                (r, second == &other)
            }
            _ => (
                // The black layer takes the size of the first.
                recipe(
                    out.join(&name),
                    vec![(layer(&small, 1), 0.5), (Layer::Black, 0.5)],
                ),
                true,
            ),
        };
        if written {
            expect.0 += 1;
        } else if i % 7 != 3 {
            expect.1 += 1;
        }
        recipes.push(r);
    }
    let opts = JobOptions {
        skip_existing: true,
        io_threads: 1,
        ..Default::default()
    };
    assert_eq!(frames_in_flight(1), 4);
    let summary = run_job(recipes.clone(), opts.clone(), None);
    assert_eq!(
        (
            summary.written,
            summary.failed,
            summary.skipped,
            summary.cancelled
        ),
        (expect.0, expect.1, expect.2, 0)
    );
    for r in &recipes {
        let Ok(bytes) = std::fs::read(&r.output) else {
            continue;
        };
        if bytes == std::fs::read(&done_before).unwrap() {
            continue;
        }
        let mut lone = r.clone();
        lone.output = alone.join(r.output.file_name().unwrap());
        let s = run_job(vec![lone.clone()], opts.clone(), None);
        assert_eq!(s.written, 1);
        assert!(
            std::fs::read(&lone.output).unwrap() == bytes,
            "{} differs when rendered alone",
            r.output.display()
        );
    }
}

/// Cancelling stops new frames; the frames in hand are written whole and
/// no temporary file is left.
#[test]
fn cancel_finishes_the_frames_in_hand() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let src = source(tmp.path(), 1, (128, 40));
    let recipes: Vec<_> = (0..40)
        .map(|i| {
            let layers = vec![(
                Layer::Source {
                    path: src.clone(),
                    program: 0,
                    reformat: None,
                },
                1.0,
            )];
            recipe(out.join(format!("o.{i}.dpx")), layers)
        })
        .collect();
    let opts = JobOptions {
        io_threads: 2,
        ..Default::default()
    };
    let summary = run_job(recipes, opts, Some(1));
    assert!(summary.written >= 1 && summary.written < 40, "{summary:?}");
    assert_eq!(summary.written + summary.cancelled, 40);
    assert_eq!(summary.failed, 0);
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), summary.written);
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
    for n in names {
        io::read_frame(&out.join(n)).unwrap();
    }
}

/// On the GPU, single-layer frames are submitted and collected with two
/// in flight. A job of distinct frames, switching program every few
/// frames, with a dissolve, a failed read and a mix that reduces to one
/// layer (graded synchronously) in between, must give every frame the
/// bytes it gets when rendered alone, and the synchronous path the same
/// bytes as the pipelined one.
#[cfg(feature = "gpu")]
#[test]
fn gpu_frames_in_flight_keep_their_own_pixels() {
    if let Err(e) = Backend::new(BackendChoice::Gpu, &programs()) {
        if crate::testutil::in_ci() {
            panic!("{e}; under CI=true a missing GPU adapter is a failure, not a skip");
        }
        eprintln!("skipped: {e}");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (src, out, alone) = (tmp.path(), tmp.path().join("out"), tmp.path().join("alone"));
    std::fs::create_dir(&out).unwrap();
    std::fs::create_dir(&alone).unwrap();
    let sources: Vec<PathBuf> = (0..8).map(|n| source(src, n, (96, 30))).collect();
    let layer = |n: usize, program| Layer::Source {
        path: sources[n % sources.len()].clone(),
        program,
        reformat: None,
    };
    let mut recipes = Vec::new();
    for i in 0..30 {
        let o = out.join(format!("o.{i}.dpx"));
        let program = (i / 3) % 2;
        let layers = match i % 10 {
            4 => vec![(layer(i, 0), 0.4), (layer(i + 1, 1), 0.6)],
            7 => vec![(
                Layer::Source {
                    path: src.join("none.dpx"),
                    program,
                    reformat: None,
                },
                1.0,
            )],
            // The frame of i - 1 (same source and program), through the
            // synchronous path.
            9 => vec![(layer(i - 1, (i - 1) / 3 % 2), 1.0), (layer(i, 1), 0.0)],
            _ => vec![(layer(i, program), 1.0)],
        };
        recipes.push(recipe(o, layers));
    }
    let opts = JobOptions {
        io_threads: 2,
        ..Default::default()
    };
    let summary = run_job_on(BackendChoice::Gpu, recipes.clone(), opts.clone(), None);
    assert_eq!((summary.written, summary.failed), (27, 3), "{summary:?}");
    for (i, r) in recipes.iter().enumerate() {
        let Ok(bytes) = std::fs::read(&r.output) else {
            assert_eq!(i % 10, 7, "frame {i} missing");
            continue;
        };
        let mut lone = r.clone();
        lone.output = alone.join(r.output.file_name().unwrap());
        let s = run_job_on(BackendChoice::Gpu, vec![lone.clone()], opts.clone(), None);
        assert_eq!(s.written, 1);
        assert!(
            std::fs::read(&lone.output).unwrap() == bytes,
            "frame {i} differs when rendered alone"
        );
        if i % 10 == 9 {
            // The header names its own file: compare the pixels.
            let bits = |p: &Path| -> Vec<u32> {
                let f = io::read_frame(p).unwrap();
                f.pixels.iter().map(|v| v.to_bits()).collect()
            };
            assert!(
                bits(&recipes[i - 1].output) == bits(&r.output),
                "frame {i} (graded synchronously) differs from frame {} (pipelined)",
                i - 1
            );
        }
    }
}

mod reformat {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::io::{self, BitDepth};
    use crate::reformat::{Format, Order, Reformat};
    use crate::render::BackendChoice;
    use crate::testcard::test_card;
    use crate::Metadata;

    fn source(dir: &Path, name: &str, (w, h): (u32, u32)) -> PathBuf {
        let path = dir.join(name);
        io::write_frame(
            &path,
            &test_card(w, h, 3, [1.0, 0.9, 0.8]),
            &Default::default(),
        )
        .unwrap();
        path
    }

    /// Sources of two sizes reformatted to one output size, alone (the GPU
    /// pipelines these), rotated, after the grade, and dissolved into each
    /// other and into black: every frame has the output size, and the GPU's
    /// frames are the CPU's, to the bit.
    #[test]
    fn layers_of_two_sizes_reformat_to_one_on_both_backends() {
        let tmp = tempfile::tempdir().unwrap();
        let a = source(tmp.path(), "a.dpx", (128, 40));
        let b = source(tmp.path(), "b.dpx", (96, 54));
        let to = Reformat::to(Format::parse("64x36").unwrap());
        let after = Reformat {
            order: Order::AfterGrade,
            ..to.clone()
        };
        let layer = |p: &PathBuf, program, r: &Reformat| Layer::Source {
            path: p.clone(),
            program,
            reformat: Some(r.clone()),
        };
        // A rotation is resampled on the CPU whatever the backend.
        let mut turned = to.clone();
        turned.reposition.rotate = 10.0;
        // Half size in the middle, alone and (`--composite over`) over a.
        let mut half = to.clone();
        half.reposition.scale = 0.5;
        let mixes = [
            vec![(layer(&a, 0, &to), 1.0)],
            vec![(layer(&b, 1, &turned), 1.0)],
            vec![(layer(&b, 1, &after), 1.0)],
            vec![(layer(&a, 0, &to), 0.4), (layer(&b, 1, &to), 0.6)],
            vec![(layer(&b, 0, &after), 0.5), (Layer::Black, 0.5)],
            vec![(layer(&b, 1, &half), 1.0)],
            vec![(layer(&a, 0, &to), 1.0), (layer(&b, 1, &half), 1.0)],
            vec![(layer(&a, 0, &to), 1.0), (layer(&b, 1, &turned), 1.0)],
        ];
        let over = |i: usize| if i >= 6 { vec![1, 1] } else { Vec::new() };
        let opts = JobOptions {
            io_threads: 2,
            write: WriteOptions {
                depth: Some(BitDepth::Float),
                ..Default::default()
            },
            ..Default::default()
        };
        let mut outputs = Vec::new();
        for choice in [BackendChoice::Cpu, BackendChoice::Gpu] {
            let dir = tmp.path().join(format!("{choice:?}"));
            std::fs::create_dir(&dir).unwrap();
            let recipes: Vec<FrameRecipe> = mixes
                .iter()
                .enumerate()
                .map(|(i, layers)| FrameRecipe {
                    number: i as i64,
                    output: dir.join(format!("o.{i}.exr")),
                    layers: layers.clone(),
                    black_size: (64, 36),
                    over: over(i),
                    meta: Metadata::default(),
                })
                .collect();
            let mut backend = match Backend::new(choice, &super::tests_programs()) {
                Ok(b) => b,
                Err(e) if choice == BackendChoice::Gpu && !crate::testutil::in_ci() => {
                    eprintln!("skipped the GPU: {e}");
                    continue;
                }
                Err(e) => panic!("{e}"),
            };
            let cancel = AtomicBool::new(false);
            let summary = run(&recipes, &mut backend, &opts, &cancel, |_| {});
            assert_eq!(summary.written, 8, "{choice:?}: {summary:?}");
            let frames: Vec<Frame> = recipes
                .iter()
                .map(|r| io::read_frame(&r.output).unwrap())
                .collect();
            for f in &frames {
                assert_eq!((f.width, f.height), (64, 36));
            }
            // Over: the scaled picture where it lies, a around it.
            let geometry = |p: &PathBuf| {
                let f = io::read_frame(p).unwrap();
                crate::reformat::SourceGeometry {
                    width: f.width,
                    height: f.height,
                    par: 1.0,
                }
            };
            // a's own bars (graded, so not black in frame 0) are
            // transparent too: opaque black shows there.
            let under = to.plan(geometry(&a)).unwrap();
            for (frame, top) in [(6, &half), (7, &turned)] {
                let plan = top.plan(geometry(&b)).unwrap();
                let mut count = [0; 3];
                for (p, px) in frames[frame].pixels.chunks_exact(4).enumerate() {
                    let (x, y) = ((p % 64) as u32, (p / 64) as u32);
                    let k = if plan.covers(x, y) {
                        0
                    } else if under.covers(x, y) {
                        1
                    } else {
                        2
                    };
                    count[k] += 1;
                    let want = match k {
                        0 => &frames[if frame == 6 { 5 } else { 1 }].pixels[p * 4..p * 4 + 4],
                        1 => &frames[0].pixels[p * 4..p * 4 + 4],
                        _ => &[0.0, 0.0, 0.0, 1.0][..],
                    };
                    // The resampled alpha is 1 within an ulp or two (the
                    // filter's f32 weights), letting ~1e-7 of a through.
                    let near = px.iter().zip(want).all(|(g, w)| (g - w).abs() <= 1e-6);
                    assert!(near, "frame {frame} ({x},{y}): {px:?}, want {want:?}");
                }
                assert!(count.iter().all(|&n| n > 0), "{count:?}");
            }
            outputs.push(frames);
        }
        if let [cpu, gpu] = outputs.as_slice() {
            for (i, (c, g)) in cpu.iter().zip(gpu).enumerate() {
                let bits = |f: &Frame| f.pixels.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert!(
                    bits(c) == bits(g),
                    "frame {i}: the GPU differs from the CPU"
                );
            }
        }
    }
}

fn tests_programs() -> Vec<crate::grade::Program> {
    use crate::grade::{samples, Op, Program};
    use crate::ops::cdl::CdlStyle;
    use crate::ops::Direction;
    let cdl = |style| Program {
        ops: vec![Op::Cdl(samples::cdl(style, Direction::Forward))],
    };
    vec![cdl(CdlStyle::Asc), cdl(CdlStyle::NoClamp)]
}

//! The executor itself: an empty program, binding windows and passes,
//! the pipelined API, refused buffers and tables, shader errors as values,
//! kernel timestamps.

use std::time::Instant;

use grade_engine::gpu::{Context, Executor};
use grade_engine::grade::packed::{OpRecord, PackedProgram};
use grade_engine::grade::{Op, Program};
use grade_engine::ops::OpKind;

use super::compare::*;

pub(crate) fn empty_program_leaves_pixels_unchanged(ctx: &Context) {
    let input = grade_engine::grade::dense::dense_rgba();
    let mut gpu = input.clone();
    let mut ex = Executor::new(ctx, &PackedProgram::default()).unwrap();
    ex.apply(&mut gpu, (input.len() / 4) as u32, 1).unwrap();
    assert_eq!(
        bytemuck::cast_slice::<f32, u32>(&gpu),
        bytemuck::cast_slice::<f32, u32>(&input)
    );
}

/// A frame split into several binding windows and several passes (limits
/// shrunk so a small frame exercises what a UHD or 8K frame does on a real
/// device) gives the same result as one dispatch.
pub(crate) fn windows_and_passes_cover_the_whole_frame(ctx: &Context) {
    let prog = Program {
        ops: vec![Op::Cdl(grade_engine::grade::samples::cdl(
            grade_engine::ops::CdlStyle::Asc,
            grade_engine::ops::Direction::Forward,
        ))],
    }
    .pack();
    let (w, h) = (301u32, 17u32);
    let input: Vec<f32> = (0..w * h * 4).map(|i| (i % 1013) as f32 / 900.0).collect();
    let mut whole = input.clone();
    Executor::new(ctx, &prog)
        .unwrap()
        .apply(&mut whole, w, h)
        .unwrap();
    let mut split = input.clone();
    let mut ex = Executor::new(ctx, &prog).unwrap();
    // 4 KiB windows, 3 windows per pass, at most 7 workgroups per dimension.
    ex.shrink_limits_for_test(4096, 3, 7);
    ex.apply(&mut split, w, h).unwrap();
    assert_eq!(whole, split);
    let cpu = cpu_backend(&prog, &input);
    if ctx.adapter_info().exact_maths {
        assert_eq!(bits_differ(&split, &cpu), 0);
    }
    let (err, _) = max_err(&split, &cpu);
    assert!(err <= TOLERANCE, "{err}");
}

pub(crate) fn pipelined_frames_match_apply(ctx: &Context) {
    let prog = Program {
        ops: vec![Op::Lut3d(grade_engine::grade::samples::lut3d(
            33,
            grade_engine::ops::Interpolation::Tetrahedral,
        ))],
    }
    .pack();
    let (w, h) = (64u32, 48u32);
    let frames: Vec<Vec<f32>> = (0..5)
        .map(|f| {
            (0..w * h * 4)
                .map(|i| ((i * 7 + f * 13) % 997) as f32 / 800.0 - 0.1)
                .collect()
        })
        .collect();
    let mut ex = Executor::new(ctx, &prog).unwrap();
    let mut expected = Vec::new();
    for f in &frames {
        let mut px = f.clone();
        ex.apply(&mut px, w, h).unwrap();
        expected.push(px);
    }
    let mut got = Vec::new();
    let mut pending = std::collections::VecDeque::new();
    for f in &frames {
        if pending.len() == Executor::FRAMES_IN_FLIGHT {
            got.push(ex.collect(pending.pop_front().unwrap()).unwrap());
        }
        pending.push_back(ex.submit(f.clone(), w, h).unwrap());
    }
    // A third frame in flight is refused, not queued or dropped.
    let err = ex.submit(frames[0].clone(), w, h).unwrap_err();
    assert!(err.to_string().contains("in flight"), "{err}");
    for t in pending {
        got.push(ex.collect(t).unwrap());
    }
    assert_eq!(got, expected);
}

pub(crate) fn wrong_buffer_size_is_an_error(ctx: &Context) {
    let mut ex = Executor::new(ctx, &PackedProgram::default()).unwrap();
    let mut px = vec![0.0; 10];
    let err = ex.apply(&mut px, 2, 2).unwrap_err();
    assert!(err.to_string().contains("needs 16 floats"), "{err}");
}

pub(crate) fn table_outside_data_is_refused(ctx: &Context) {
    let mut record = OpRecord {
        kind: OpKind::Lut3d as u32,
        flags: 0,
        n: 17,
        data: 0,
        p: [[0.0; 4]; 7],
    };
    record.p[2] = [1.0; 4];
    let prog = PackedProgram {
        ops: vec![record],
        data: vec![0.0; 100],
    };
    let Err(err) = Executor::new(ctx, &prog) else {
        panic!("a table outside the data must be refused")
    };
    assert!(matches!(err, grade_engine::Error::Internal(_)));
    assert!(err.to_string().contains("op 1"), "{err}");
}

/// A broken shader becomes an `Error::Gpu` naming the shader file and line,
/// not a panic in wgpu's default error handler.
pub(crate) fn shader_error_is_a_value_with_file_and_line(ctx: &Context) {
    let built = ctx.build_module_for_test(&[
        ("good.wgsl", "fn helper() -> f32 {\n    return 1.0;\n}\n"),
        (
            "bad.wgsl",
            "@compute @workgroup_size(1)\nfn main() {\n    let x: f32 = undefined_thing;\n}\n",
        ),
    ]);
    let Err(err) = built else {
        panic!("a broken shader must be an error")
    };
    let msg = err.to_string();
    assert!(msg.contains("engine/src/ops/bad.wgsl:3"), "{msg}");
}

/// Where the device takes timestamps, every frame's kernel time comes
/// back, from both forms; it is the compute pass alone, so no longer
/// than the whole of the frame's wall time on the host.
pub(crate) fn kernel_time_is_taken_where_the_device_has_timestamps(ctx: &Context) {
    let cdl = grade_engine::grade::samples::cdl(
        grade_engine::ops::cdl::CdlStyle::Asc,
        grade_engine::ops::Direction::Forward,
    );
    let program = Program {
        ops: vec![Op::Cdl(cdl)],
    }
    .pack();
    let mut ex = Executor::new(ctx, &program).unwrap();
    println!(
        "{}: kernel timestamps {}",
        ctx.adapter_info().name,
        if ex.times_kernels() { "on" } else { "off" }
    );
    let (w, h) = (256, 64);
    let frame = vec![0.25f32; (w * h * 4) as usize];

    let mut pixels = frame.clone();
    let start = Instant::now();
    let t = ex.apply(&mut pixels, w, h).unwrap();
    let wall = start.elapsed();
    assert_eq!(t.kernel.is_some(), ex.times_kernels());

    let start = Instant::now();
    let a = ex.submit_timed(frame.clone(), w, h).unwrap();
    let b = ex.submit_timed(frame.clone(), w, h).unwrap();
    let (pa, ta) = ex.collect_timed(a.0).unwrap();
    let (pb, tb) = ex.collect_timed(b.0).unwrap();
    let wall2 = start.elapsed();
    assert!(pa == pixels && pb == pixels);
    for (k, w) in [(t.kernel, wall), (ta.kernel, wall2), (tb.kernel, wall2)] {
        assert_eq!(k.is_some(), ex.times_kernels());
        if let Some(k) = k {
            assert!(k <= w, "kernel {k:?} longer than the frame's {w:?}");
        }
    }
}

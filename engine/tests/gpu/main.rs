//! GPU kernel tests (run on Mesa lavapipe in CI): every op kind, style and
//! direction (`grade::samples::every_op`, which a unit test checks against
//! `ops/list.rs`) packed by `Program::pack()`, compared with the fast CPU
//! executor's bits and the reference executor on the shared dense inputs
//! (`grade::dense`) and on NaN/Inf; every public fixture and built-in colour
//! space; large frames split into windows and passes; the pipelined API;
//! kernel timestamps; shader errors as values.
//!
//! One context is shared by every trial (opening one costs about 20 s on
//! lavapipe). Without a GPU adapter every trial is reported as ignored,
//! naming why; under `CI=true` a missing adapter fails them instead.
//! Run with `cargo test -p grade-engine --test gpu` (`-- --nocapture` prints
//! each op's differences).

use std::sync::OnceLock;

use grade_engine::gpu::Context;
use libtest_mimic::{Arguments, Completion, Failed, Trial};

mod compare;
mod executor;
mod fixtures;
mod ops;

use executor::*;
use fixtures::*;
use ops::*;

/// The shared context, or why there is none.
fn context() -> &'static Result<Context, String> {
    static CTX: OnceLock<Result<Context, String>> = OnceLock::new();
    CTX.get_or_init(|| {
        let ctx = Context::new().map_err(|e| e.to_string())?;
        eprintln!("adapter: {}", ctx.adapter_info());
        Ok(ctx)
    })
}

/// One GPU test: panics on failure.
type Check = fn(&Context);

/// A trial that runs `check` on the shared context: ignored without an
/// adapter, failed without one under CI=true.
fn gpu_trial(name: &str, check: Check) -> Trial {
    Trial::ignorable_test(name, move || match context() {
        Ok(ctx) => {
            check(ctx);
            Ok(Completion::Completed)
        }
        Err(e) if grade_engine::testutil::in_ci() => Err(Failed::from(format!(
            "{e}; under CI=true a missing GPU adapter is a failure, not a skip"
        ))),
        Err(e) => Ok(Completion::ignored_with(format!("no GPU adapter: {e}"))),
    })
    .with_kind("gpu")
}

fn main() {
    let args = Arguments::from_args();
    let trials: Vec<(&str, Check)> = vec![
        (
            "empty_program_leaves_pixels_unchanged",
            empty_program_leaves_pixels_unchanged,
        ),
        (
            "windows_and_passes_cover_the_whole_frame",
            windows_and_passes_cover_the_whole_frame,
        ),
        ("pipelined_frames_match_apply", pipelined_frames_match_apply),
        (
            "wrong_buffer_size_is_an_error",
            wrong_buffer_size_is_an_error,
        ),
        (
            "table_outside_data_is_refused",
            table_outside_data_is_refused,
        ),
        (
            "shader_error_is_a_value_with_file_and_line",
            shader_error_is_a_value_with_file_and_line,
        ),
        (
            "every_op_matches_the_cpu_reference",
            every_op_matches_the_cpu_reference,
        ),
        ("aces2_gives_the_cpu_bits", aces2_gives_the_cpu_bits),
        (
            "lavapipe_runs_the_exact_maths",
            lavapipe_runs_the_exact_maths,
        ),
        (
            "builtin_maths_match_the_cpu_reference",
            builtin_maths_match_the_cpu_reference,
        ),
        (
            "nan_and_inf_follow_the_cpu_reference",
            nan_and_inf_follow_the_cpu_reference,
        ),
        (
            "every_public_fixture_matches_the_cpu_reference",
            every_public_fixture_matches_the_cpu_reference,
        ),
        (
            "every_builtin_colour_space_matches_the_cpu_reference",
            every_builtin_colour_space_matches_the_cpu_reference,
        ),
        (
            "kernel_time_is_taken_where_the_device_has_timestamps",
            kernel_time_is_taken_where_the_device_has_timestamps,
        ),
        (
            "inverse_luts_give_the_cpu_bits",
            inverse_luts_give_the_cpu_bits,
        ),
    ];
    let trials = trials
        .into_iter()
        .map(|(name, check)| gpu_trial(name, check))
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

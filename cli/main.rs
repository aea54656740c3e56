//! `grade`: colour grading and conform from a terminal.
//!
//! Arguments are parsed here (clap) and turned once into engine jobs; the
//! engine never sees clap types. `main` maps errors onto the documented exit
//! codes.

/// `println!` that a closed standard output does not turn into a panic
/// ([`output::print`]).
macro_rules! outln {
    ($($t:tt)*) => {
        $crate::output::print(&format!("{}\n", format_args!($($t)*)))
    };
}

mod args;
mod commands;
mod deliver;
mod frames;
mod output;
mod progress;
mod reformat;
mod review;
mod signals;
mod stage;
mod steps;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

/// What a command ended with, beyond plain success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// Some frames failed (exit 1).
    FramesFailed,
    /// Stopped by SIGINT (130) or SIGTERM (143).
    Interrupted(u8),
    /// Stopped because the output volume is full (exit 3).
    OutOfSpace,
}

fn main() -> ExitCode {
    quiet_headless_session();
    let matches = match args::Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let cli = match args::Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(2);
        }
    };
    match commands::run(cli, &matches) {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::FramesFailed) => ExitCode::from(1),
        Ok(Outcome::Interrupted(code)) => ExitCode::from(code),
        Ok(Outcome::OutOfSpace) => ExitCode::from(3),
        Err(err) => {
            let code = exit_code(&err);
            for line in format!("{err:#}").lines() {
                eprintln!("grade: error: {line}");
            }
            ExitCode::from(code)
        }
    }
}

/// 2 bad input or usage, 3 environment; engine errors say which they are.
fn exit_code(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<grade_engine::Error>() {
            return e.exit_code();
        }
    }
    2
}

/// On a machine without a login session (a farm node, a container) Mesa's
/// Vulkan drivers, asked for a GPU adapter, print `XDG_RUNTIME_DIR is
/// invalid or not set` (libwayland looking for a display). When it is unset
/// or not an absolute path, point it at a private folder of this user's,
/// `$TMPDIR/grade-runtime-UID` (mode 0700, kept for later runs), so that
/// only grade's own lines are printed. Done first, before any thread reads
/// the environment.
fn quiet_headless_session() {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt};
    let valid =
        std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|d| std::path::Path::new(&d).is_absolute());
    if valid {
        return;
    }
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    let dir = std::env::temp_dir().join(format!("grade-runtime-{uid}"));
    let _ = std::fs::DirBuilder::new().mode(0o700).create(&dir);
    // Only a folder of this user's that nobody else can enter will do.
    let private = std::fs::symlink_metadata(&dir)
        .is_ok_and(|m| m.is_dir() && m.uid() == uid && m.mode() & 0o077 == 0);
    if private {
        std::env::set_var("XDG_RUNTIME_DIR", &dir);
    }
}

//! `grade`: colour grading and conform from a terminal.
//!
//! Arguments are parsed here (clap) and turned once into engine jobs; the
//! engine never sees clap types. `main` maps errors onto the documented exit
//! codes.

mod args;
mod commands;
mod frames;
mod progress;
mod reformat;
mod signals;
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
}

fn main() -> ExitCode {
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

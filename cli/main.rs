//! `grade`: colour grading and conform from a terminal.

use std::process::ExitCode;

fn main() -> ExitCode {
    println!("grade {}", env!("CARGO_PKG_VERSION"));
    ExitCode::SUCCESS
}

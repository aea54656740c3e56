//! `grade probe`: describe a frame or a sequence.

use anyhow::Result;
use grade_engine::io::probe;

use crate::args::ProbeArgs;
use crate::Outcome;

pub fn run(args: &ProbeArgs) -> Result<Outcome> {
    let report = probe::probe(&args.path)?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        crate::output::print(&report.to_string());
    }
    Ok(Outcome::Ok)
}

//! One module per subcommand; each turns its arguments into engine jobs.

mod apply;
mod conform;
mod demo;
pub(crate) mod farm;
mod lut;
mod mhl;
mod ocio;
mod probe;
mod qc;
mod render;
mod transforms;

use anyhow::Result;
use clap::ArgMatches;

use crate::args::{Cli, Command};
use crate::Outcome;

pub fn run(cli: Cli, matches: &ArgMatches) -> Result<Outcome> {
    let (name, sub) = matches
        .subcommand()
        .ok_or_else(|| anyhow::anyhow!("no command given"))?;
    match cli.command {
        Command::Apply(a) => apply::run(&a, sub),
        Command::Conform(c) => conform::run(&c, sub),
        Command::Probe(p) => probe::run(&p),
        Command::Lut(l) => lut::run(*l, sub),
        Command::Farm(f) => farm::run(f),
        Command::Transforms => transforms::run(),
        Command::Ocio(o) => ocio::run(o),
        Command::Mhl(m) => mhl::run(m),
        Command::Qc(q) => qc::run(&q),
        Command::Demo(d) => {
            let _ = name;
            demo::run(&d)
        }
    }
}

//! `grade mhl create` and `grade mhl verify`: ASC MHL v2 manifests for a
//! folder (the work is `grade_engine::mhl`'s; this prints).

use anyhow::Result;
use grade_engine::mhl::{self, HashFormat};

use crate::args::MhlCommand;
use crate::Outcome;

pub fn run(cmd: MhlCommand) -> Result<Outcome> {
    match cmd {
        MhlCommand::Create { folder, hash } => {
            // clap's value list holds exactly the six names.
            let format = HashFormat::from_name(&hash).unwrap_or(HashFormat::Xxh128);
            let c = mhl::create(&folder, format)?;
            outln!(
                "generation {:04}: {} files ({} verified, {} new), {}",
                c.generation,
                c.files,
                c.verified,
                c.new.len(),
                c.manifest.display()
            );
            Ok(report(&[
                ("mismatched", &c.mismatched),
                ("missing", &c.missing),
            ]))
        }
        MhlCommand::Verify { folder } => {
            let v = mhl::verify(&folder)?;
            outln!(
                "{}: {} generations, {} files verified",
                folder.display(),
                v.generations,
                v.verified
            );
            Ok(report(&[
                ("mismatched", &v.mismatched),
                ("missing", &v.missing),
                ("new", &v.new),
            ]))
        }
    }
}

/// Lists each problem file on stderr; any at all fails the command (exit 1).
fn report(lists: &[(&str, &Vec<String>)]) -> Outcome {
    let mut failed = false;
    for (what, files) in lists {
        for f in files.iter() {
            eprintln!("grade: {what}: {f}");
            failed = true;
        }
    }
    if failed {
        Outcome::FramesFailed
    } else {
        Outcome::Ok
    }
}

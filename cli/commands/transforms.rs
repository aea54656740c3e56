//! `grade transforms`: lists the built-in colour spaces for `--from` / `--to`,
//! then the built-in ACES output transforms.

use std::io::Write;

use anyhow::Result;

use crate::Outcome;

pub fn run() -> Result<Outcome> {
    let mut text = String::new();
    for cs in grade_engine::colorspace::registry() {
        text.push_str(&format!("{:<12} {}\n", cs.name, cs.description));
        if !cs.aliases.is_empty() {
            text.push_str(&format!("{:<12} also: {}\n", "", cs.aliases.join(", ")));
        }
    }
    text.push_str(
        "\nACES output transforms (--to NAME from any space above; --from NAME is the inverse):\n",
    );
    for t in grade_engine::colorspace::output_transforms() {
        text.push_str(&format!("{:<26} {}\n", t.name, t.description));
        text.push_str(&format!("{:<26} also: {}\n", "", t.aliases.join(", ")));
    }
    // A closed pipe (`grade transforms | head`) is not an error worth reporting.
    let _ = std::io::stdout().write_all(text.as_bytes());
    Ok(Outcome::Ok)
}

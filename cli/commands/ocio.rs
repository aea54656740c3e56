//! `grade ocio list`: the colour spaces, roles, looks, displays and views of
//! an OpenColorIO config, the names `--colorspace`, `--look` and
//! `--display` take.

#[cfg(feature = "ocio")]
use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::args::OcioCommand;
use crate::steps::ocio_config_path as config_path;
use crate::Outcome;

pub fn run(cmd: OcioCommand) -> Result<Outcome> {
    match cmd {
        OcioCommand::List { ocio_config } => list(config_path(ocio_config.as_ref())),
    }
}

#[cfg(feature = "ocio")]
fn list(config: Option<PathBuf>) -> Result<Outcome> {
    let Some(config) = config else {
        return Err(grade_engine::Error::Usage(
            "no OpenColorIO config: pass --ocio-config FILE or set $OCIO".into(),
        )
        .into());
    };
    let names = grade_engine::ocio::config_names(&config)?;
    let mut text = format!("config {}\n\ncolour spaces:\n", config.display());
    let width = names
        .colorspaces
        .iter()
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(0);
    for cs in &names.colorspaces {
        let family = if cs.family.is_empty() {
            String::new()
        } else {
            format!("[{}] ", cs.family)
        };
        let line = format!("  {:<width$}  {family}{}", cs.name, cs.description);
        text.push_str(line.trim_end());
        text.push('\n');
    }
    if !names.roles.is_empty() {
        text.push_str("\nroles:\n");
        for (role, cs) in &names.roles {
            text.push_str(&format!("  {role} = {cs}\n"));
        }
    }
    text.push_str("\nlooks:\n");
    if names.looks.is_empty() {
        text.push_str("  (none)\n");
    }
    for look in &names.looks {
        let line = format!(
            "  {}  (process space {})  {}",
            look.name, look.process_space, look.description
        );
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text.push_str("\ndisplays and views:\n");
    for d in &names.displays {
        text.push_str(&format!("  {}: {}\n", d.name, d.views.join(", ")));
    }
    // A closed pipe (`grade ocio list | head`) is not an error worth reporting.
    let _ = std::io::stdout().write_all(text.as_bytes());
    Ok(Outcome::Ok)
}

#[cfg(not(feature = "ocio"))]
fn list(_config: Option<PathBuf>) -> Result<Outcome> {
    Err(
        grade_engine::Error::Usage("grade was built without OpenColorIO (feature `ocio`)".into())
            .into(),
    )
}

//! Transforms a user asks of an OpenColorIO config by name (a colour space
//! conversion, looks, a display and view) or of any file OpenColorIO reads,
//! checked against the config's names and translated into grade ops by
//! [`super::translate`].
//!
//! A name the config does not know is an [`Error::Usage`] listing the
//! nearest valid names, before OpenColorIO is asked.
//!
//! Defaults, as `grade apply --help` documents them:
//! - a look without `FROM:TO` runs from its process space to its process
//!   space (the pixels are taken to be in the look's process space already;
//!   for a list of looks, the first look's);
//! - a display without `FROM` starts from the `scene_linear` role.

use std::path::{Path, PathBuf};

use super::translate::{self, InputRange, Translation};
use super::{config_names, ConfigNames, FileInterpolation, Processor};
use crate::names::nearest_names;
use crate::ops::Direction;
use crate::{Error, Result};

/// What is asked of the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigTransform {
    /// Colour space `from` to colour space `to`.
    ColorSpaces { from: String, to: String },
    /// Looks in OCIO syntax (`a, +b, -c`), from and to colour spaces.
    Look {
        looks: String,
        spaces: Option<(String, String)>,
    },
    /// A display and view, from a colour space.
    Display {
        display: String,
        view: String,
        from: Option<String>,
    },
    /// Any file OpenColorIO reads, through its FileTransform (no config
    /// needed).
    File(PathBuf),
}

/// One config step, forward or inverted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigStep {
    pub transform: ConfigTransform,
    pub invert: bool,
}

impl ConfigStep {
    /// How notes and errors name the step.
    pub fn label(&self) -> String {
        let inv = if self.invert { " (inverted)" } else { "" };
        match &self.transform {
            ConfigTransform::ColorSpaces { from, to } => {
                format!("colour space \"{from}\" -> \"{to}\"{inv}")
            }
            ConfigTransform::Look { looks, .. } => format!("look \"{looks}\"{inv}"),
            ConfigTransform::Display { display, view, .. } => {
                format!("display \"{display}\" view \"{view}\"{inv}")
            }
            ConfigTransform::File(p) => format!("file \"{}\"{inv}", p.display()),
        }
    }

    /// The step as grade ops (see [`translate::translate`]). `config` is
    /// needed by every step but [`ConfigTransform::File`].
    pub fn translate(&self, config: Option<&Path>) -> Result<Translation> {
        let (processor, input) = self.processor(config)?;
        translate::translate(&processor, &self.label(), &input)
    }

    /// OpenColorIO's processor for the step, and what its input holds.
    pub fn processor(&self, config: Option<&Path>) -> Result<(Processor, InputRange)> {
        let direction = if self.invert {
            Direction::Inverse
        } else {
            Direction::Forward
        };
        if let ConfigTransform::File(path) = &self.transform {
            // OpenColorIO resolves a relative path against its search path;
            // grade's are relative to the working folder.
            let path = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            let p = Processor::from_file(&path, None, FileInterpolation::Best, direction)?;
            return Ok((p, InputRange::Unit));
        }
        let config = config.ok_or_else(|| {
            Error::Usage(format!(
                "{} needs an OpenColorIO config: pass --ocio-config FILE or set $OCIO",
                self.label()
            ))
        })?;
        let names = config_names(config)?;
        let range = |name: &str| {
            names
                .colorspace(name)
                .map_or(InputRange::Unit, InputRange::from_colorspace)
        };
        match &self.transform {
            ConfigTransform::ColorSpaces { from, to } => {
                check_colorspace(&names, config, from)?;
                check_colorspace(&names, config, to)?;
                let (a, b) = if self.invert { (to, from) } else { (from, to) };
                Ok((Processor::from_config_colorspaces(config, a, b)?, range(a)))
            }
            ConfigTransform::Look { looks, spaces } => {
                let list = look_names(looks);
                for l in &list {
                    check_look(&names, config, l)?;
                }
                let (from, to) = match spaces {
                    Some((f, t)) => (f.clone(), t.clone()),
                    None => {
                        let first = list.first().ok_or_else(|| {
                            Error::Usage(format!("{}: no look named", self.label()))
                        })?;
                        let ps = names
                            .looks
                            .iter()
                            .find(|l| l.name == *first)
                            .map(|l| l.process_space.clone())
                            .unwrap_or_default();
                        (ps.clone(), ps)
                    }
                };
                check_colorspace(&names, config, &from)?;
                check_colorspace(&names, config, &to)?;
                let input = if self.invert {
                    range(&to)
                } else {
                    range(&from)
                };
                let p = Processor::from_config_look(config, looks, &from, &to, direction)?;
                Ok((p, input))
            }
            ConfigTransform::Display {
                display,
                view,
                from,
            } => {
                let from = match from {
                    Some(f) => f.clone(),
                    None => names
                        .roles
                        .iter()
                        .find(|(r, _)| r == "scene_linear")
                        .map(|(r, _)| r.clone())
                        .ok_or_else(|| {
                            Error::Usage(format!(
                                "{} has no scene_linear role: name the source colour space, \
                                 --display {display}:{view}:FROM",
                                config.display()
                            ))
                        })?,
                };
                check_colorspace(&names, config, &from)?;
                let Some(d) = names.displays.iter().find(|d| d.name == *display) else {
                    return Err(unknown(
                        "display",
                        display,
                        config,
                        names.displays.iter().map(|d| d.name.as_str()),
                    ));
                };
                if !d.views.iter().any(|v| v == view) {
                    return Err(unknown(
                        &format!("view of display \"{display}\""),
                        view,
                        config,
                        d.views.iter().map(String::as_str),
                    ));
                }
                let input = if self.invert {
                    InputRange::Unit
                } else {
                    range(&from)
                };
                let p = Processor::from_config_display(config, &from, display, view, direction)?;
                Ok((p, input))
            }
            ConfigTransform::File(_) => unreachable!("handled above"),
        }
    }
}

/// The look names in OCIO's look syntax: `a, +b, -c`, `a|b` alternatives.
pub fn look_names(looks: &str) -> Vec<String> {
    looks
        .split([',', '|'])
        .map(|l| l.trim().trim_start_matches(['+', '-']).trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn unknown<'a>(
    what: &str,
    name: &str,
    config: &Path,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Error {
    let near = nearest_names(name, candidates, 3);
    let near = if near.is_empty() {
        "it has none".to_string()
    } else {
        format!("nearest: {}", near.join(", "))
    };
    Error::Usage(format!(
        "unknown {what} \"{name}\" in {}; {near} (see `grade ocio list`)",
        config.display()
    ))
}

fn check_colorspace(names: &ConfigNames, config: &Path, name: &str) -> Result<()> {
    if names.colorspace(name).is_some() {
        return Ok(());
    }
    let all = names
        .colorspaces
        .iter()
        .map(|c| c.name.as_str())
        .chain(names.roles.iter().map(|(r, _)| r.as_str()))
        .chain(names.aliases.iter().map(|(a, _)| a.as_str()));
    Err(unknown("colour space", name, config, all))
}

fn check_look(names: &ConfigNames, config: &Path, name: &str) -> Result<()> {
    if names.looks.iter().any(|l| l.name == name) {
        return Ok(());
    }
    Err(unknown(
        "look",
        name,
        config,
        names.looks.iter().map(|l| l.name.as_str()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> PathBuf {
        crate::testutil::fixture("ocio/config.ocio")
    }

    fn error_of(transform: ConfigTransform) -> String {
        let step = ConfigStep {
            transform,
            invert: false,
        };
        match step.processor(Some(&config())) {
            Ok(_) => panic!("{} should fail", step.label()),
            Err(e) => {
                assert!(matches!(e, Error::Usage(_)), "{e:?}");
                e.to_string()
            }
        }
    }

    #[test]
    fn unknown_names_list_the_nearest() {
        let e = error_of(ConfigTransform::ColorSpaces {
            from: "lineer".into(),
            to: "srgb".into(),
        });
        assert!(
            e.contains("unknown colour space \"lineer\"") && e.contains("nearest: linear"),
            "{e}"
        );
        let e = error_of(ConfigTransform::Look {
            looks: "warm, +flim".into(),
            spaces: None,
        });
        assert!(
            e.contains("unknown look \"flim\"") && e.contains("nearest: film"),
            "{e}"
        );
        let e = error_of(ConfigTransform::Display {
            display: "sRBG".into(),
            view: "Film".into(),
            from: None,
        });
        assert!(
            e.contains("unknown display \"sRBG\"") && e.contains("sRGB"),
            "{e}"
        );
        let e = error_of(ConfigTransform::Display {
            display: "sRGB".into(),
            view: "Flim".into(),
            from: None,
        });
        assert!(
            e.contains("view of display \"sRGB\"") && e.contains("nearest: Film"),
            "{e}"
        );
    }

    #[test]
    fn roles_and_defaults_resolve() {
        let step = ConfigStep {
            transform: ConfigTransform::Display {
                display: "sRGB".into(),
                view: "Standard".into(),
                from: None,
            },
            invert: false,
        };
        let (_, input) = step.processor(Some(&config())).unwrap();
        assert!(
            matches!(input, InputRange::Stops { max: 8.0, .. }),
            "{input:?}"
        );
        let missing = ConfigStep {
            transform: ConfigTransform::ColorSpaces {
                from: "scene_linear".into(),
                to: "srgb".into(),
            },
            invert: false,
        };
        let e = missing.processor(None).unwrap_err().to_string();
        assert!(e.contains("--ocio-config") && e.contains("$OCIO"), "{e}");
        missing.processor(Some(&config())).unwrap();
    }

    #[test]
    fn look_syntax_gives_the_names() {
        assert_eq!(look_names("a, +b,-c"), ["a", "b", "c"]);
        assert_eq!(look_names("x|y"), ["x", "y"]);
        assert!(look_names(" , ").is_empty());
    }
}

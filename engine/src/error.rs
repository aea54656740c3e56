//! Error kinds shared by the whole engine.
//!
//! Like a compiler: bad input is [`Error::Invalid`] and names the file (and
//! line, for text formats), with every problem found in that file, not just
//! the first; a feature we do not handle is [`Error::Unsupported`]; the
//! machine failing us is [`Error::Io`] or [`Error::Gpu`]. The CLI maps each
//! kind onto an exit code with [`Error::exit_code`].

use std::fmt;
use std::path::{Path, PathBuf};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One thing wrong with an input, at an optional 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: Option<usize>,
    pub message: String,
}

#[derive(Debug)]
pub enum Error {
    /// Bad input: the file exists but its content is wrong. Never empty.
    Invalid {
        path: PathBuf,
        problems: Vec<Problem>,
    },
    /// A header value over the limits grade sets on untrusted input
    /// (`io::limits`: width, height, pixel count, decoded size), checked
    /// before anything is allocated. The file may be valid; grade will not
    /// spend that much memory on it.
    Limit {
        path: PathBuf,
        /// What the header asks for, e.g. `image size 70000x10`.
        what: String,
        /// What grade accepts, e.g. `65536 per side, 536870912 pixels`.
        limit: String,
    },
    /// Valid input using a feature grade does not handle (yet).
    Unsupported { path: Option<PathBuf>, what: String },
    /// A file could not be read or written. `input` tells a missing or
    /// unreadable input (the user's mistake, exit 2) from an output or
    /// environment failure (exit 3).
    Io {
        path: PathBuf,
        input: bool,
        source: std::io::Error,
    },
    /// The GPU could not be used: no adapter, device lost, validation error.
    Gpu(String),
    /// Bad usage that is not about a file (conflicting options, bad values).
    Usage(String),
    /// A broken invariant inside grade (a buffer of the wrong size, a
    /// program index out of range, a call out of order): a bug to report,
    /// never the user's input.
    Internal(String),
}

impl Error {
    /// A single problem in `path`, with no line.
    pub fn invalid(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Error::Invalid {
            path: path.as_ref().to_path_buf(),
            problems: vec![Problem {
                line: None,
                message: message.into(),
            }],
        }
    }

    /// A single problem in `path` at 1-based `line`.
    pub fn invalid_at(path: impl AsRef<Path>, line: usize, message: impl Into<String>) -> Self {
        Error::Invalid {
            path: path.as_ref().to_path_buf(),
            problems: vec![Problem {
                line: Some(line),
                message: message.into(),
            }],
        }
    }

    pub fn unsupported(path: impl AsRef<Path>, what: impl Into<String>) -> Self {
        Error::Unsupported {
            path: Some(path.as_ref().to_path_buf()),
            what: what.into(),
        }
    }

    /// A header value of `path` over grade's limits.
    pub fn limit(
        path: impl AsRef<Path>,
        what: impl Into<String>,
        limit: impl Into<String>,
    ) -> Self {
        Error::Limit {
            path: path.as_ref().to_path_buf(),
            what: what.into(),
            limit: limit.into(),
        }
    }

    /// An input file could not be opened or read.
    pub fn read(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            input: true,
            source,
        }
    }

    /// An output file could not be created, written or renamed.
    pub fn write(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            input: false,
            source,
        }
    }

    /// Exit code for the CLI: 2 bad input or usage (an input over the
    /// limits too), 3 environment, 70 a bug in grade (`EX_SOFTWARE` of
    /// sysexits.h: neither the user's input nor the machine is to blame).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Invalid { .. }
            | Error::Limit { .. }
            | Error::Unsupported { .. }
            | Error::Usage(_) => 2,
            Error::Io { input: true, .. } => 2,
            Error::Io { input: false, .. } | Error::Gpu(_) => 3,
            Error::Internal(_) => 70,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid { path, problems } => {
                for (i, p) in problems.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    match p.line {
                        Some(line) => write!(f, "{}:{}: {}", path.display(), line, p.message)?,
                        None => write!(f, "{}: {}", path.display(), p.message)?,
                    }
                }
                Ok(())
            }
            Error::Limit { path, what, limit } => write!(
                f,
                "{}: {what} is larger than grade accepts ({limit})",
                path.display()
            ),
            Error::Unsupported {
                path: Some(path),
                what,
            } => write!(f, "{}: not supported: {}", path.display(), what),
            Error::Unsupported { path: None, what } => write!(f, "not supported: {what}"),
            Error::Io { path, source, .. } => write!(f, "{}: {}", path.display(), source),
            Error::Gpu(msg) => write!(f, "GPU: {msg}"),
            Error::Usage(msg) => write!(f, "{msg}"),
            Error::Internal(msg) => write!(
                f,
                "internal error (a bug in grade; please report it): {msg}"
            ),
        }
    }
}

/// The I/O cause is part of the message already, so no `source()`: error
/// chains print each cause once.
impl std::error::Error for Error {}

/// Collects every problem in one file, then fails once with all of them.
///
/// ```
/// # use grade_engine::Problems;
/// let mut p = Problems::new("look.cube");
/// p.at(3, "expected 3 numbers, found 2");
/// p.at(9, "LUT_3D_SIZE 300 is larger than 129");
/// let err = p.finish().unwrap_err();
/// assert_eq!(err.to_string(), "look.cube:3: expected 3 numbers, found 2\nlook.cube:9: LUT_3D_SIZE 300 is larger than 129");
/// ```
#[derive(Debug)]
pub struct Problems {
    path: PathBuf,
    problems: Vec<Problem>,
}

impl Problems {
    /// Past this many, further problems are counted but not kept.
    const KEEP: usize = 50;

    pub fn new(path: impl AsRef<Path>) -> Self {
        Problems {
            path: path.as_ref().to_path_buf(),
            problems: Vec::new(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn at(&mut self, line: usize, message: impl Into<String>) {
        self.push(Some(line), message.into());
    }

    pub fn file(&mut self, message: impl Into<String>) {
        self.push(None, message.into());
    }

    fn push(&mut self, line: Option<usize>, message: String) {
        if self.problems.len() < Self::KEEP {
            self.problems.push(Problem { line, message });
        } else if self.problems.len() == Self::KEEP {
            self.problems.push(Problem {
                line: None,
                message: "too many problems; stopped listing them".into(),
            });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// `Ok(())` when nothing was found, else an [`Error::Invalid`] with all problems.
    pub fn finish(self) -> Result<()> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid {
                path: self.path,
                problems: self.problems,
            })
        }
    }

    /// Like [`Problems::finish`], returning `value` when nothing was found.
    pub fn finish_with<T>(self, value: T) -> Result<T> {
        self.finish().map(|()| value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_internal_errors_say_what_they_are_and_exit_apart() {
        let e = Error::limit("big.exr", "image size 70000x10", "65536 per side");
        assert_eq!(
            e.to_string(),
            "big.exr: image size 70000x10 is larger than grade accepts (65536 per side)"
        );
        assert_eq!(e.exit_code(), 2);
        let e = Error::Internal("no program 3 in this job".into());
        assert!(
            e.to_string().starts_with("internal error (a bug in grade"),
            "{e}"
        );
        assert!(e.to_string().ends_with("no program 3 in this job"), "{e}");
        assert_eq!(e.exit_code(), 70);
        assert_eq!(Error::Usage("--frames 999".into()).exit_code(), 2);
    }
}

//! A config written for a newer OpenColorIO than the one grade is linked
//! against (an ACES 2.0 studio config needs 2.5; Debian 12 ships 2.1) is
//! refused before OpenColorIO reads it, with both versions and what to do,
//! instead of OpenColorIO's own parse error.

use std::path::Path;

use crate::{Error, Result};

/// Fails with [`Error::Invalid`] (naming the file and the line) when
/// `config`'s `ocio_profile_version` is newer than `linked` (major.minor);
/// a config without a readable version is left to OpenColorIO.
pub(super) fn check_profile_version(config: &Path, text: &str, linked: &str) -> Result<()> {
    let Some((line, value)) = profile_version(text) else {
        return Ok(());
    };
    let (Some(needed), Some(have)) = (major_minor(value), major_minor(linked)) else {
        return Ok(());
    };
    if needed <= have {
        return Ok(());
    }
    let (major, minor) = needed;
    Err(Error::invalid_at(
        config,
        line,
        format!(
            "this config needs OpenColorIO {major}.{minor} (ocio_profile_version: {value}); \
             grade is linked against OpenColorIO {linked}. Build grade against OpenColorIO \
             {major}.{minor} or newer (README: \"A newer OpenColorIO\")"
        ),
    ))
}

/// The 1-based line and value of the top-level `ocio_profile_version` key.
fn profile_version(text: &str) -> Option<(usize, &str)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix("ocio_profile_version")?;
        let value = rest.trim_start().strip_prefix(':')?;
        let value = value.split('#').next().unwrap_or("").trim();
        Some((i + 1, value.trim_matches(|c| c == '"' || c == '\'')))
    })
}

/// `2` -> (2, 0), `2.5` -> (2, 5), `2.1.2` -> (2, 1).
fn major_minor(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.split('.');
    let major = parts.next()?.trim().parse().ok()?;
    let minor = match parts.next() {
        Some(m) => m.trim().parse().ok()?,
        None => 0,
    };
    Some((major, minor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_profile_names_both_versions_and_the_line() {
        let text = "# studio config\nocio_profile_version: 2.5   # ACES 2.0\nroles: {}\n";
        let err = check_profile_version(Path::new("new.ocio"), text, "2.1.2").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert_eq!(
            err.to_string(),
            "new.ocio:2: this config needs OpenColorIO 2.5 (ocio_profile_version: 2.5); \
             grade is linked against OpenColorIO 2.1.2. Build grade against OpenColorIO 2.5 \
             or newer (README: \"A newer OpenColorIO\")"
        );
    }

    #[test]
    fn older_equal_and_unreadable_profiles_pass() {
        for text in [
            "ocio_profile_version: 2\n",
            "ocio_profile_version: 2.1\n",
            "ocio_profile_version: \"1\"\n",
            "roles: {}\n",
            "ocio_profile_version: two\n",
            "  ocio_profile_version: 9\n",
        ] {
            check_profile_version(Path::new("c.ocio"), text, "2.1.2").unwrap();
        }
        check_profile_version(Path::new("c.ocio"), "ocio_profile_version: 2.5", "2.6.0").unwrap();
    }
}

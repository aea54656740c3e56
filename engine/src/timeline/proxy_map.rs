//! `--proxy-map`: rules that turn the names an offline cut uses for its
//! proxies into the names of the source media (a `s/pattern/replacement/`
//! rule or a CSV table).

use std::collections::HashMap;
use std::path::Path;

use regex::Regex;

use crate::{Error, Result};

/// `--proxy-map`: how names in a proxy cut become source names.
#[derive(Debug, Clone)]
pub enum ProxyMap {
    /// `s/pattern/replacement/` (regex; `$1` or `\1` for groups; flag `i`).
    Replace { regex: Regex, replacement: String },
    /// A CSV file of `proxy,source` lines.
    Table(HashMap<String, String>),
}

impl ProxyMap {
    /// `s/pat/rep/[i]`, or else the path of a `proxy,source` CSV file.
    pub fn parse(spec: &str) -> Result<ProxyMap> {
        let mut chars = spec.chars();
        if let (Some('s'), Some(delim)) = (chars.next(), chars.next()) {
            if !delim.is_alphanumeric() && !delim.is_whitespace() {
                let parts: Vec<&str> = spec[1 + delim.len_utf8()..].split(delim).collect();
                if let [pat, rep, flags] = parts.as_slice() {
                    let case = match *flags {
                        "" => "",
                        "i" => "(?i)",
                        other => {
                            return Err(Error::Usage(format!(
                                "--proxy-map {spec}: unknown flag {other:?} (only i)"
                            )))
                        }
                    };
                    let regex = Regex::new(&format!("{case}{pat}"))
                        .map_err(|e| Error::Usage(format!("--proxy-map {spec}: {e}")))?;
                    // `\1` as sed writes it, `$1` / `${1}` as the regex crate does.
                    let group =
                        Regex::new(r"\\(\d)").map_err(|e| Error::Internal(e.to_string()))?;
                    let replacement = group.replace_all(rep, "$${$1}").into_owned();
                    return Ok(ProxyMap::Replace { regex, replacement });
                }
                return Err(Error::Usage(format!(
                    "--proxy-map {spec}: expected s/pattern/replacement/"
                )));
            }
        }
        ProxyMap::read_csv(Path::new(spec))
    }

    /// `proxy,source` per line; a first line `proxy,source` is a header;
    /// blank lines and `#` comments are skipped. Every bad line is reported.
    pub fn read_csv(path: &Path) -> Result<ProxyMap> {
        let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
        let text = String::from_utf8_lossy(&bytes);
        let mut problems = crate::Problems::new(path);
        let mut table = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let l = line.trim();
            if l.is_empty()
                || l.starts_with('#')
                || (i == 0 && l.eq_ignore_ascii_case("proxy,source"))
            {
                continue;
            }
            match l.split_once(',') {
                Some((p, s)) if !p.trim().is_empty() && !s.trim().is_empty() => {
                    if table
                        .insert(p.trim().to_string(), s.trim().to_string())
                        .is_some()
                    {
                        problems.at(i + 1, format!("proxy name {:?} is mapped twice", p.trim()));
                    }
                }
                _ => problems.at(i + 1, format!("expected proxy,source; found {l:?}")),
            }
        }
        problems.finish_with(ProxyMap::Table(table))
    }

    /// The source name for `name`, when a rule changes it.
    pub fn apply(&self, name: &str) -> Option<String> {
        match self {
            ProxyMap::Replace { regex, replacement } => {
                let out = regex.replace(name, replacement.as_str());
                (out != name).then(|| out.into_owned())
            }
            ProxyMap::Table(t) => t.get(name).cloned(),
        }
    }
}

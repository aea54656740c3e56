//! Naming templates: output paths with `{shot}`, `{clip}`, `{reel}`,
//! `{event}`, `{version:03}`, `{date}`, `{tc}` and `{frame:04}` besides the
//! frame placeholders a [`Pattern`] knows (`####`, `%07d`, `@`).
//!
//! A token is `{name}` or `{name:NN}` (NN: the least number of digits of a
//! number) with a lowercase name; an unknown name is a usage error naming
//! it. Anything else, braces included, is the user's literal text and is
//! never changed or refused. Token values from a timeline (clip and reel
//! names) that hold characters outside `[A-Za-z0-9._-]` have them replaced
//! by `_` with a warning, unless names are kept; `/`, `%`, `#` and `@`
//! always become `_`, since they would change which folder or frame a path
//! names.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::sequence::Pattern;
use crate::{Error, Result, SmpteTimecode};

/// A token of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Token {
    Shot,
    Clip,
    Reel,
    Event,
    Version,
    Date,
    Tc,
    Frame,
}

impl Token {
    const ALL: [(&'static str, Token); 8] = [
        ("shot", Token::Shot),
        ("clip", Token::Clip),
        ("reel", Token::Reel),
        ("event", Token::Event),
        ("version", Token::Version),
        ("date", Token::Date),
        ("tc", Token::Tc),
        ("frame", Token::Frame),
    ];

    pub fn name(self) -> &'static str {
        Token::ALL
            .iter()
            .find(|(_, t)| *t == self)
            .map_or("", |(n, _)| n)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Token(Token, Option<usize>),
}

/// A parsed output template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    text: String,
    parts: Vec<Part>,
}

/// The values of a frame's tokens; `None` where the job has none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values {
    pub shot: Option<String>,
    pub clip: Option<String>,
    pub reel: Option<String>,
    pub event: Option<String>,
    pub version: Option<u32>,
    /// `YYYYMMDD`.
    pub date: Option<String>,
    pub tc: Option<SmpteTimecode>,
}

impl Template {
    /// Parses `text`; an unknown `{token}` is a usage error naming it.
    pub fn parse(text: &str) -> Result<Template> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            literal.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                literal.push_str(&rest[open..]);
                rest = "";
                break;
            };
            let inner = &after[..close];
            let (name, width) = match inner.split_once(':') {
                Some((n, w)) => (n, Some(w)),
                None => (inner, None),
            };
            let is_token = !name.is_empty()
                && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                && width.is_none_or(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()));
            if !is_token {
                literal.push('{');
                rest = after;
                continue;
            }
            let Some(&(_, token)) = Token::ALL.iter().find(|(n, _)| *n == name) else {
                let known: Vec<String> =
                    Token::ALL.iter().map(|(n, _)| format!("{{{n}}}")).collect();
                return Err(Error::Usage(format!(
                    "{text}: unknown token {{{name}}} (known: {}, and ####, %07d, @)",
                    known.join(" ")
                )));
            };
            let width =
                match width {
                    Some(w) => Some(w.parse::<usize>().ok().filter(|w| *w <= 18).ok_or_else(
                        || Error::Usage(format!("{text}: {{{inner}}}: width above 18")),
                    )?),
                    None => None,
                };
            if !literal.is_empty() {
                parts.push(Part::Literal(std::mem::take(&mut literal)));
            }
            parts.push(Part::Token(token, width));
            rest = &after[close + 1..];
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Ok(Template {
            text: text.to_string(),
            parts,
        })
    }

    /// The tokens the template uses.
    pub fn tokens(&self) -> BTreeSet<Token> {
        self.parts
            .iter()
            .filter_map(|p| match p {
                Part::Token(t, _) => Some(*t),
                Part::Literal(_) => None,
            })
            .collect()
    }

    /// Whether any token other than `{frame}` is used: the output pattern
    /// then depends on the frame's values.
    pub fn varies(&self) -> bool {
        self.tokens().iter().any(|t| *t != Token::Frame)
    }

    /// The output pattern of a frame with `values`: each token replaced by
    /// its value, `{frame:NN}` by the frame placeholder `%0NNd`. A token
    /// without a value is a usage error naming it; each value that had to
    /// be changed is described in `warnings` (once per value).
    pub fn pattern(
        &self,
        values: &Values,
        keep_names: bool,
        warnings: &mut BTreeSet<String>,
    ) -> Result<Pattern> {
        let mut out = String::new();
        for p in &self.parts {
            let (token, width) = match p {
                Part::Literal(l) => {
                    out.push_str(l);
                    continue;
                }
                Part::Token(t, w) => (*t, *w),
            };
            let missing = || {
                Error::Usage(format!(
                    "{}: {{{}}} has no value in this job{}",
                    self.text,
                    token.name(),
                    if token == Token::Version {
                        " (give --version N)"
                    } else {
                        ""
                    }
                ))
            };
            let named = |v: &Option<String>| v.clone().ok_or_else(missing);
            let value = match token {
                Token::Frame => {
                    out.push_str(&format!("%0{}d", width.unwrap_or(1)));
                    continue;
                }
                Token::Version => {
                    let v = values.version.ok_or_else(missing)?;
                    out.push_str(&format!("{v:0w$}", w = width.unwrap_or(1)));
                    continue;
                }
                Token::Tc => {
                    let tc = values.tc.ok_or_else(missing)?;
                    out.push_str(&format!(
                        "{:02}{:02}{:02}{:02}",
                        tc.hours, tc.minutes, tc.seconds, tc.frames
                    ));
                    continue;
                }
                Token::Date => named(&values.date)?,
                Token::Shot => named(&values.shot)?,
                Token::Clip => named(&values.clip)?,
                Token::Reel => named(&values.reel)?,
                Token::Event => named(&values.event)?,
            };
            out.push_str(&clean(&value, token, keep_names, warnings));
        }
        Pattern::parse(&out)
    }

    /// The file of frame `frame` with `values`.
    pub fn path(
        &self,
        values: &Values,
        frame: i64,
        keep_names: bool,
        warnings: &mut BTreeSet<String>,
    ) -> Result<PathBuf> {
        Ok(self.pattern(values, keep_names, warnings)?.path(frame))
    }
}

/// A token's value as it goes into a file name.
fn clean(value: &str, token: Token, keep_names: bool, warnings: &mut BTreeSet<String>) -> String {
    let structural = |c: char| matches!(c, '/' | '\\' | '%' | '#' | '@' | '\0');
    let portable = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    let value = if value.is_empty() { "_" } else { value };
    let out: String = value
        .chars()
        .map(|c| {
            if structural(c) || (!keep_names && !portable(c)) {
                '_'
            } else {
                c
            }
        })
        .collect();
    if out != value {
        warnings.insert(format!(
            "{{{}}} {value:?} has characters outside [A-Za-z0-9._-]: written as {out:?}{}",
            token.name(),
            if keep_names {
                ""
            } else {
                " (--keep-names keeps them)"
            }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values {
        Values {
            shot: Some("sh010".into()),
            clip: Some("A001C003".into()),
            reel: Some("A001 R2".into()),
            event: Some("003".into()),
            version: Some(7),
            date: Some("20261206".into()),
            tc: Some(SmpteTimecode {
                hours: 1,
                minutes: 2,
                seconds: 3,
                frames: 4,
                drop_frame: false,
            }),
        }
    }

    #[test]
    fn tokens_expand_and_frames_stay_placeholders() {
        let t = Template::parse("out/{reel}/{shot}_v{version:03}_{date}.{frame:04}.dpx").unwrap();
        let mut w = BTreeSet::new();
        let p = t.pattern(&values(), false, &mut w).unwrap();
        assert_eq!(
            p.path(12),
            PathBuf::from("out/A001_R2/sh010_v007_20261206.0012.dpx")
        );
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w.iter().next().unwrap().contains("\"A001 R2\""), "{w:?}");
        // Kept names keep the space, never a slash.
        let mut v = values();
        v.clip = Some("a/b c".into());
        let t = Template::parse("o/{clip}.{tc}.####.exr").unwrap();
        let p = t.pattern(&v, true, &mut BTreeSet::new()).unwrap();
        assert_eq!(p.path(1), PathBuf::from("o/a_b c.01020304.0001.exr"));
    }

    #[test]
    fn literal_text_is_the_users_and_unknown_tokens_are_refused() {
        let t = Template::parse("Final Cut {v2}/été {A}/{x.%04d.dpx").unwrap();
        assert!(!t.varies());
        let p = t
            .pattern(&Values::default(), false, &mut BTreeSet::new())
            .unwrap();
        assert_eq!(
            p.path(3),
            PathBuf::from("Final Cut {v2}/été {A}/{x.0003.dpx")
        );
        let e = Template::parse("o/{scene}.####.dpx").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("{scene}"), "{e}");
        let e = Template::parse("o/{version}.####.dpx")
            .unwrap()
            .pattern(&Values::default(), false, &mut BTreeSet::new())
            .unwrap_err();
        assert!(e.to_string().contains("--version"), "{e}");
    }
}

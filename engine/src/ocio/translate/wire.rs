//! The wire protocol: `grade_ocio_describe` (shim.h) hands over one line
//! per transform, `f|i KIND NUMBERS...` in plain decimal. This reads a
//! line's direction and kind and then its words in order; what the numbers
//! mean is [`super::mapping`]'s business. A short or malformed line is an
//! error, never a panic.

use crate::ops::Direction;
use crate::{Error, Result};

/// One line of the description: its direction, kind and the words after.
pub(super) struct Line<'a> {
    pub direction: Direction,
    pub kind: &'a str,
    words: Vec<&'a str>,
    text: &'a str,
}

impl<'a> Line<'a> {
    /// Splits one line into direction, kind and words.
    pub fn parse(text: &'a str) -> Result<Line<'a>> {
        let bad = |what: &str| malformed(text, what);
        let mut tokens = text.split_ascii_whitespace();
        let direction = match tokens.next() {
            Some("f") => Direction::Forward,
            Some("i") => Direction::Inverse,
            _ => return Err(bad("direction")),
        };
        let kind = tokens.next().ok_or_else(|| bad("kind"))?;
        Ok(Line {
            direction,
            kind,
            words: tokens.collect(),
            text,
        })
    }

    /// A reader of the words after the kind, from the first.
    pub fn numbers(&self) -> Numbers<'_> {
        Numbers {
            words: &self.words,
            at: 0,
        }
    }

    /// The error for this line when its `what` part is missing or wrong.
    pub fn bad(&self, what: &str) -> Error {
        malformed(self.text, what)
    }
}

fn malformed(line: &str, what: &str) -> Error {
    Error::Unsupported {
        path: None,
        what: format!("OpenColorIO transform description ({what}): {line:.80}"),
    }
}

/// Reads the numbers of one line in order.
pub(super) struct Numbers<'a> {
    words: &'a [&'a str],
    at: usize,
}

impl<'a> Numbers<'a> {
    /// The first word, when there is one (the name of an `other` transform).
    pub fn first(&self) -> Option<&'a str> {
        self.words.first().copied()
    }

    pub fn word(&mut self) -> Option<&'a str> {
        let w = self.words.get(self.at).copied();
        self.at += 1;
        w
    }

    pub fn take<const N: usize>(&mut self) -> Option<[f64; N]> {
        let mut out = [0.0; N];
        for v in out.iter_mut() {
            *v = self.word()?.parse().ok()?;
        }
        Some(out)
    }

    /// Every word left, each a number (None when one is not).
    pub fn rest(&mut self) -> Option<Vec<f64>> {
        let mut out = Vec::new();
        while let Some(word) = self.word() {
            out.push(word.parse().ok()?);
        }
        Some(out)
    }

    pub fn count(&mut self, max: usize) -> Option<usize> {
        let n: usize = self.word()?.parse().ok()?;
        (n <= max && self.words.len().saturating_sub(self.at) >= n * 3).then_some(n)
    }

    pub fn rgb(&mut self, n: usize) -> Option<Vec<[f32; 3]>> {
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let mut v = [0.0f32; 3];
            for x in v.iter_mut() {
                *x = self.word()?.parse().ok()?;
            }
            out.push(v);
        }
        Some(out)
    }
}

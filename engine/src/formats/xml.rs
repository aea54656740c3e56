//! What the XML readers (ASC CDL, CLF) share: decoding the document with
//! errors that name the line, turning byte positions into line numbers, and
//! reading whitespace- or comma-separated numbers.

use std::path::Path;

use roxmltree::{Document, Node};

use crate::{Error, Result};

/// The file's text, or an error naming the file when it is not UTF-8.
pub fn utf8<'a>(bytes: &'a [u8], path: &Path) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| Error::invalid(path, format!("not UTF-8 text: {e}")))
}

/// The parsed document, or an error naming the file and line of the XML
/// fault. DTDs are refused (roxmltree's default), so no entity expansion.
pub fn document<'a>(text: &'a str, path: &Path) -> Result<Document<'a>> {
    Document::parse(text).map_err(|e| {
        let pos = e.pos();
        Error::invalid_at(path, pos.row as usize, format!("XML: {e}"))
    })
}

/// Byte offset -> 1-based line number, by binary search over the newlines
/// (roxmltree's own lookup rescans the text on every call).
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    text: &'a str,
    newlines: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        let newlines = text
            .bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .map(|(i, _)| i)
            .collect();
        Lines { text, newlines }
    }

    /// The line holding byte `pos` of the text.
    pub fn at(&self, pos: usize) -> usize {
        self.newlines.partition_point(|&n| n < pos) + 1
    }

    /// The line where `node` starts.
    pub fn of(&self, node: Node) -> usize {
        self.at(node.range().start)
    }

    /// The line of `part`, a slice of the text of text node `node`: exact
    /// when roxmltree borrowed the text from the input (no entities, no
    /// CR LF), else the node's first line.
    pub fn of_part(&self, node: Node, part: &str) -> usize {
        let base = self.text.as_ptr() as usize;
        let p = part.as_ptr() as usize;
        if p >= base && p <= base + self.text.len() {
            self.at(p - base)
        } else {
            self.of(node)
        }
    }
}

/// Splits number lists as OpenColorIO does: on whitespace and commas.
pub fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_ascii_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
}

/// One finite number.
pub fn number(word: &str) -> std::result::Result<f64, String> {
    match word.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(format!("{word:?} is not a finite number")),
        Err(_) => Err(format!("{word:?} is not a number")),
    }
}

/// One value of a CLF `<Array>`, read as OpenColorIO reads it: a number,
/// or `NaN`/`Inf`/`Infinity` in any letter case with an optional sign
/// (`-nan`, `-infinity`). A numeric literal too large for an f64 is an
/// error, not an infinity.
pub fn array_value(word: &str) -> std::result::Result<f64, String> {
    let unsigned = word.strip_prefix(['+', '-']).unwrap_or(word);
    let named = unsigned
        .bytes()
        .next()
        .is_some_and(|b| matches!(b, b'n' | b'N' | b'i' | b'I'));
    match word.parse::<f64>() {
        Ok(v) if v.is_finite() || named => Ok(v),
        Ok(_) => Err(format!("{word:?} is out of range")),
        Err(_) => Err(format!("{word:?} is not a number")),
    }
}

/// The name of the document's root element (without a namespace prefix),
/// found without parsing the document: what follows the XML declaration,
/// comments, processing instructions and a DOCTYPE. `None` when the text
/// does not start like XML.
pub fn root_name(text: &str) -> Option<&str> {
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        let skip_to = if rest.starts_with("<?") {
            "?>"
        } else if rest.starts_with("<!--") {
            "-->"
        } else if rest.starts_with("<!") {
            ">"
        } else {
            break;
        };
        let end = rest.find(skip_to)?;
        rest = &rest[end + skip_to.len()..];
    }
    let name = rest.strip_prefix('<')?;
    let end = name
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(name.len());
    let qualified = &name[..end];
    let local = qualified.rsplit(':').next().unwrap_or(qualified);
    (!local.is_empty()).then_some(local)
}

/// Exactly three finite numbers (CDL slope, offset, power).
pub fn triple(text: &str) -> std::result::Result<[f64; 3], String> {
    let v: Vec<&str> = tokens(text).collect();
    if v.len() != 3 {
        return Err(format!("expected 3 numbers, found {}", v.len()));
    }
    let mut out = [0.0; 3];
    for (o, w) in out.iter_mut().zip(&v) {
        *o = number(w)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_count_from_one() {
        let t = "a\nbb\n\nc";
        let l = Lines::new(t);
        assert_eq!(l.at(0), 1);
        assert_eq!(l.at(1), 1);
        assert_eq!(l.at(2), 2);
        assert_eq!(l.at(5), 3);
        assert_eq!(l.at(6), 4);
    }

    #[test]
    fn numbers_split_on_commas_and_space() {
        assert_eq!(
            tokens(" 1,2\t3\n,4 ").collect::<Vec<_>>(),
            ["1", "2", "3", "4"]
        );
        assert_eq!(triple("1 +0.1 1E-01").unwrap(), [1.0, 0.1, 0.1]);
        assert!(triple("1 2").is_err());
        assert!(number("nan").is_err());
        assert!(number("P").is_err());
    }

    #[test]
    fn array_values_take_nan_and_infinity_in_any_case() {
        for w in ["NaN", "nan", "-nan", "+NAN"] {
            assert!(array_value(w).unwrap().is_nan(), "{w}");
        }
        for (w, v) in [
            ("Inf", f64::INFINITY),
            ("INF", f64::INFINITY),
            ("Infinity", f64::INFINITY),
            ("-infinity", f64::NEG_INFINITY),
            ("-INF", f64::NEG_INFINITY),
            ("0.25", 0.25),
        ] {
            assert_eq!(array_value(w).unwrap(), v, "{w}");
        }
        for w in ["1e400", "infin", "1.#INF", "nanx", ""] {
            assert!(array_value(w).is_err(), "{w}");
        }
    }

    #[test]
    fn root_name_skips_prolog_comments_and_prefixes() {
        let t = "\u{feff}<?xml version=\"1.0\"?>\n<!-- a <b> -->\n<!DOCTYPE x>\n<clf:ProcessList id=\"1\">";
        assert_eq!(root_name(t), Some("ProcessList"));
        assert_eq!(root_name("<ColorCorrection/>"), Some("ColorCorrection"));
        assert_eq!(
            root_name("  <ColorDecisionList>"),
            Some("ColorDecisionList")
        );
        assert_eq!(root_name("TITLE \"x\"\nLUT_3D_SIZE 2"), None);
        assert_eq!(root_name("<!-- never closed"), None);
    }
}

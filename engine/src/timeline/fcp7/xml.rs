//! What every part of the FCP7 reader needs from the document: children by
//! name, `id` references resolved, numbers and rates read with problems
//! that name the line and the item, and warnings in one form.

use std::collections::HashMap;

use roxmltree::{Document, Node};

use crate::formats::xml::Lines;
use crate::timeline::model::FrameRate;
use crate::Problems;

/// Frame numbers beyond this are refused (about 1,300 years at 24 fps): no
/// overflow in any sum of a few of them.
const MAX_FRAMES: f64 = 1e12;

/// The document and what reading it has found so far.
pub(super) struct Doc<'a, 'input> {
    pub lines: Lines<'input>,
    pub problems: Problems,
    /// First definition (an element with children) of each `(tag, id)`.
    ids: HashMap<(&'a str, &'a str), Node<'a, 'input>>,
}

impl<'a, 'input> Doc<'a, 'input> {
    pub fn new(doc: &'a Document<'input>, text: &'input str, problems: Problems) -> Self {
        let mut ids = HashMap::new();
        for n in doc.descendants().filter(|n| n.is_element()) {
            if let Some(id) = n.attribute("id") {
                if n.children().any(|c| c.is_element()) {
                    ids.entry((n.tag_name().name(), id)).or_insert(n);
                }
            }
        }
        Doc {
            lines: Lines::new(text),
            problems,
            ids,
        }
    }

    pub fn line(&self, n: Node) -> usize {
        self.lines.of(n)
    }

    /// The element `n` stands for: later uses of a file, sequence or item
    /// carry only its `id`, and mean its first definition.
    pub fn deref(&mut self, n: Node<'a, 'input>) -> Node<'a, 'input> {
        let Some(id) = n.attribute("id") else {
            return n;
        };
        if n.children().any(|c| c.is_element()) {
            return n;
        }
        match self.ids.get(&(n.tag_name().name(), id)) {
            Some(d) => *d,
            None => {
                let line = self.line(n);
                self.problems.at(
                    line,
                    format!(
                        "<{} id=\"{id}\"> refers to an element that is never defined",
                        n.tag_name().name()
                    ),
                );
                n
            }
        }
    }

    /// `clipitem "A001C003" (id clipitem-3)`, for messages.
    pub fn describe(&self, n: Node) -> String {
        let mut s = n.tag_name().name().to_string();
        if let Some(name) = text(n, "name").filter(|t| !t.is_empty()) {
            s.push_str(&format!(" \"{}\"", one_line(name)));
        }
        if let Some(id) = n.attribute("id") {
            s.push_str(&format!(" (id {id})"));
        }
        s
    }

    /// A problem at `n`'s line, naming the item `n`.
    pub fn problem(&mut self, item: Node, at: Node, message: impl AsRef<str>) {
        let line = self.line(at);
        let what = self.describe(item);
        self.problems
            .at(line, format!("{what}: {}", message.as_ref()));
    }

    /// A warning naming the item `n` and its line.
    pub fn warning(&self, n: Node, message: impl AsRef<str>) -> String {
        format!(
            "line {}: {}: {}",
            self.line(n),
            self.describe(n),
            message.as_ref()
        )
    }

    /// Child `name` of `n` as a whole number of frames (FCP7 writes some as
    /// `1055.0`); a problem when missing (if `required`) or not a number.
    pub fn frames(&mut self, item: Node, n: Node, name: &str, required: bool) -> Option<i64> {
        let Some(c) = child(n, name) else {
            if required {
                self.problem(item, n, format!("no <{name}>"));
            }
            return None;
        };
        let t = c.text().unwrap_or("").trim();
        match t.parse::<f64>() {
            Ok(v) if v.is_finite() && v.abs() <= MAX_FRAMES => Some(v.round() as i64),
            _ => {
                self.problem(item, c, format!("<{name}> \"{t}\" is not a frame count"));
                None
            }
        }
    }

    /// The rate `n` declares (`<rate><timebase>`, `<ntsc>`), else `inherited`.
    pub fn rate(&mut self, item: Node, n: Node, inherited: Option<FrameRate>) -> Option<FrameRate> {
        let Some(r) = child(n, "rate") else {
            return inherited;
        };
        let ntsc = text(r, "ntsc").is_some_and(is_true);
        let Some(tb) = child(r, "timebase") else {
            self.problem(item, r, "<rate> has no <timebase>");
            return inherited;
        };
        let t = tb.text().unwrap_or("").trim();
        let v: f64 = match t.parse::<f64>() {
            Ok(v) if v.is_finite() => v,
            _ => {
                self.problem(item, tb, format!("timebase \"{t}\" is not a number"));
                return inherited;
            }
        };
        if v <= 0.0 || v > 1000.0 {
            self.problem(
                item,
                tb,
                format!("timebase {t} is not a frame rate (1 to 1000)"),
            );
            return inherited;
        }
        let whole = v.round();
        if (v - whole).abs() < 1e-6 {
            let n = whole as u32;
            return if ntsc {
                FrameRate::new(n * 1000, 1001)
            } else {
                FrameRate::new(n, 1)
            };
        }
        // A timebase written as 23.976 or 29.97 means the NTSC rate.
        let up = (v * 1.001).round();
        if (v * 1.001 - up).abs() < 1e-3 {
            return FrameRate::new(up as u32 * 1000, 1001);
        }
        self.problem(item, tb, format!("timebase {t} is not a whole number"));
        inherited
    }
}

/// The first child element of `n` called `name`.
pub(super) fn child<'a, 'input>(n: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// Every child element of `n` called `name`.
pub(super) fn children<'a, 'input: 'a>(
    n: Node<'a, 'input>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// The trimmed text of child `name` of `n`.
pub(super) fn text<'a>(n: Node<'a, '_>, name: &str) -> Option<&'a str> {
    child(n, name).map(|c| c.text().unwrap_or("").trim())
}

/// `t` on one line: control characters (Premiere's `&#13;` in title
/// names) become spaces.
pub(super) fn one_line(t: &str) -> String {
    t.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// FCP7 booleans: `TRUE`/`FALSE` (any case), `1`/`0`.
pub(super) fn is_true(t: &str) -> bool {
    t.eq_ignore_ascii_case("true") || t == "1"
}

/// `n` rescaled from rate `from` to rate `to`, to the nearest frame.
pub(super) fn rescale(n: i64, from: FrameRate, to: FrameRate) -> i64 {
    if from == to {
        return n;
    }
    let num = i128::from(n) * i128::from(to.num) * i128::from(from.den);
    let den = i128::from(to.den) * i128::from(from.num);
    let q = (2 * num + den).div_euclid(2 * den);
    q.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

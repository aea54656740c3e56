//! The Academy/ASC Common LUT Format (`.clf`): CLF v2, CLF v3 and SMPTE
//! ST 2136-1, read into grade's ops.
//!
//! A ProcessList holds process nodes applied in order: Matrix, LUT1D,
//! LUT3D, Range, Log, Exponent and ASC_CDL (Log and Exponent from CLF v3
//! on). Each node's `inBitDepth`/`outBitDepth` say how its parameters are
//! scaled (a 10i->12i LUT1D holds 12-bit codes); values are normalised here,
//! exactly as OpenColorIO does, so every op works on [0,1]-scaled floats.
//!
//! What OpenColorIO 2.1 tolerates is tolerated (unknown elements and
//! attributes, metadata anywhere, names in any letter case); what it rejects
//! is an error naming the file and line, and every problem in a file is
//! reported at once. Sizes in `dim` attributes are checked before use.
//! Deliberately stricter than OpenColorIO: a Matrix or LUT without its
//! Array, or with two, is an error (OpenColorIO takes an identity, or the
//! first Array).
//!
//! The same reader takes Autodesk CTF files (`.ctf`, a ProcessList with a
//! `version` attribute), whose operators are CLF's plus OpenColorIO's own;
//! of those it reads GradingHueCurve (CTF 2.5, `grading.rs`), which the
//! linked OpenColorIO is too old to know.

mod curves;
mod grading;
mod tables;

pub use curves::{exponent_style_name, log_style_name};

use std::path::Path;

use roxmltree::Node;

use super::xml::{self, Lines};
use crate::grade::Op;
use crate::{Error, Problems, Result};

/// The SMPTE ST 2136-1 namespace, which also stands for the version.
pub const SMPTE_NAMESPACE: &str = "http://www.smpte-ra.org/ns/2136-1/2024";

/// The `compCLFversion` spelling of SMPTE ST 2136-1.
const SMPTE_VERSION: &str = "ST2136-1:2024";

/// Reads a `.clf` file into ops, in order.
pub fn read(path: &Path) -> Result<Vec<Op>> {
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    parse(&bytes, path)
}

/// The ProcessList `name`, when the file has one (for `grade lut info`).
pub fn name(path: &Path) -> Result<Option<String>> {
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    let text = xml::utf8(&bytes, path)?;
    let doc = xml::document(text, path)?;
    Ok(attr(doc.root_element(), "name").map(str::to_string))
}

/// Which CLF a file is, as far as the ops it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    /// CLF v2 (compCLFversion <= 2, or a CTF `version` below 2): no Log,
    /// no Exponent.
    V2,
    /// CLF v3, SMPTE ST 2136-1, or CTF `version` 2.
    V3,
}

/// Per-node bit depth: what scale the node's parameters are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BitDepth {
    U8,
    U10,
    U12,
    U16,
    F16,
    F32,
}

impl BitDepth {
    fn parse(s: &str) -> Option<BitDepth> {
        Some(match s.to_ascii_lowercase().as_str() {
            "8i" => BitDepth::U8,
            "10i" => BitDepth::U10,
            "12i" => BitDepth::U12,
            "16i" => BitDepth::U16,
            "16f" => BitDepth::F16,
            "32f" => BitDepth::F32,
            _ => return None,
        })
    }

    /// The code value that stands for 1.0 (OpenColorIO `GetBitDepthMaxValue`).
    pub(crate) fn max(self) -> f64 {
        match self {
            BitDepth::U8 => 255.0,
            BitDepth::U10 => 1023.0,
            BitDepth::U12 => 4095.0,
            BitDepth::U16 => 65535.0,
            BitDepth::F16 | BitDepth::F32 => 1.0,
        }
    }

    fn name(self) -> &'static str {
        match self {
            BitDepth::U8 => "8i",
            BitDepth::U10 => "10i",
            BitDepth::U12 => "12i",
            BitDepth::U16 => "16i",
            BitDepth::F16 => "16f",
            BitDepth::F32 => "32f",
        }
    }
}

/// One process node being read: its element, bit depths, and where to put
/// problems.
pub(crate) struct NodeCx<'r, 'a, 'i> {
    pub node: Node<'a, 'i>,
    pub tag: &'static str,
    pub in_depth: BitDepth,
    pub out_depth: BitDepth,
    pub lines: &'r Lines<'i>,
    pub p: &'r mut Problems,
    /// Features of the file grade lacks, with their lines.
    pub gaps: &'r mut Vec<(usize, String)>,
    /// A CLF v2 file.
    pub v2: bool,
    /// Problems found in this node so far (the node yields no op if any).
    pub failed: bool,
}

impl<'a, 'i> NodeCx<'_, 'a, 'i> {
    /// A problem at `node`'s line.
    pub fn at(&mut self, node: Node, msg: impl Into<String>) {
        self.failed = true;
        let line = self.lines.of(node);
        self.p.at(line, format!("{}: {}", self.tag, msg.into()));
    }

    /// A problem at a given line.
    pub fn at_line(&mut self, line: usize, msg: impl Into<String>) {
        self.failed = true;
        self.p.at(line, format!("{}: {}", self.tag, msg.into()));
    }

    /// A problem at the node itself.
    pub fn here(&mut self, msg: impl Into<String>) {
        let node = self.node;
        self.at(node, msg);
    }

    /// A problem that is grade's gap, not the file's fault: reported with
    /// the others, and turns the whole result into `Unsupported` if it is
    /// the only kind of problem.
    pub fn unsupported(&mut self, msg: impl Into<String>) {
        self.failed = true;
        let line = self.lines.of(self.node);
        self.gaps
            .push((line, format!("{}: {}", self.tag, msg.into())));
    }

    /// The element children other than metadata (Description), by name.
    pub fn children(&self) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
        self.node
            .children()
            .filter(|n| n.is_element() && !is(*n, "Description"))
    }
}

/// Attribute by name, in any letter case (as OpenColorIO matches them).
pub(crate) fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name().eq_ignore_ascii_case(name))
        .map(|a| a.value())
}

/// Element name test, in any letter case.
pub(crate) fn is(node: Node, name: &str) -> bool {
    node.tag_name().name().eq_ignore_ascii_case(name)
}

/// Non-blank text directly inside a container element, which OpenColorIO
/// rejects.
fn stray_text<'a, 'i>(node: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_text() && c.text().is_some_and(|t| !t.trim().is_empty()))
}

/// Operators of Autodesk's CTF, which OpenColorIO reads from `.ctf` files
/// but refuses in a CLF.
const CTF_ONLY: &[&str] = &[
    "InverseLUT1D",
    "InverseLUT3D",
    "ACES",
    "FixedFunction",
    "Function",
    "ExposureContrast",
    "GradingPrimary",
    "GradingRGBCurve",
    "GradingTone",
    "GradingHueCurve",
    "Reference",
];

pub fn parse(bytes: &[u8], path: &Path) -> Result<Vec<Op>> {
    let text = xml::utf8(bytes, path)?;
    let doc = xml::document(text, path)?;
    let lines = Lines::new(text);
    let mut p = Problems::new(path);
    let root = doc.root_element();
    if !is(root, "ProcessList") {
        p.at(
            lines.of(root),
            format!(
                "root element <{}> is not a CLF <ProcessList>",
                root.tag_name().name()
            ),
        );
        return p.finish_with(Vec::new());
    }
    let version = process_list(root, &lines, &mut p);
    // An Autodesk CTF (a `version`, no `compCLFversion`), and its version.
    let ctf = match (attr(root, "compCLFversion"), attr(root, "version")) {
        (None, Some(v)) => parse_version(v),
        _ => None,
    };
    if let Some(t) = stray_text(root) {
        p.at(
            lines.of(t),
            format!(
                "text {:?} outside any element",
                t.text().unwrap_or("").trim()
            ),
        );
    }
    let mut ops = Vec::new();
    let mut nodes = 0usize;
    let mut gaps = Vec::new();
    let mut prev_out: Option<BitDepth> = None;
    for node in root.children().filter(Node::is_element) {
        let name = node.tag_name().name();
        let tag: &'static str = match name.to_ascii_lowercase().as_str() {
            "matrix" => "Matrix",
            "lut1d" => "LUT1D",
            "lut3d" => "LUT3D",
            "range" => "Range",
            "log" => "Log",
            "exponent" => "Exponent",
            // OpenColorIO 2.1 also takes CTF's name for Exponent in a CLF.
            "gamma" => "Gamma",
            "asc_cdl" => "ASC_CDL",
            "gradinghuecurve" if ctf.is_some() => "GradingHueCurve",
            _ => {
                if let Some(op) = CTF_ONLY.iter().find(|t| t.eq_ignore_ascii_case(name)) {
                    if ctf.is_some() {
                        gaps.push((
                            lines.of(node),
                            format!(
                                "<{op}>: of CTF's own operators grade reads GradingHueCurve only"
                            ),
                        ));
                    } else {
                        p.at(
                            lines.of(node),
                            format!("<{op}> is an Autodesk CTF operator, not part of CLF"),
                        );
                    }
                }
                // Description, InputDescriptor, OutputDescriptor, Info, Id
                // and anything unknown: metadata, ignored as OpenColorIO does.
                continue;
            }
        };
        nodes += 1;
        if tag == "GradingHueCurve" && ctf.is_some_and(|v| v < [2, 5, 0]) {
            p.at(
                lines.of(node),
                "<GradingHueCurve> needs CTF version 2.5 or newer (OpenColorIO 2.5 added it)",
            );
            continue;
        }
        if version == Some(Version::V2) && matches!(tag, "Log" | "Exponent" | "Gamma") {
            p.at(
                lines.of(node),
                format!("<{tag}> is not part of CLF v2 (CLF v3 added it)"),
            );
            continue;
        }
        let Some((in_depth, out_depth)) = depths(node, tag, &lines, &mut p) else {
            prev_out = None;
            continue;
        };
        if let Some(prev) = prev_out {
            if prev != in_depth {
                p.at(
                    lines.of(node),
                    format!(
                        "{tag}: inBitDepth {} does not match the previous node's outBitDepth {}",
                        in_depth.name(),
                        prev.name()
                    ),
                );
            }
        }
        prev_out = Some(out_depth);
        let mut cx = NodeCx {
            node,
            tag,
            in_depth,
            out_depth,
            lines: &lines,
            p: &mut p,
            gaps: &mut gaps,
            v2: version == Some(Version::V2),
            failed: false,
        };
        if let Some(t) = stray_text(node) {
            cx.at(
                t,
                format!(
                    "text {:?} outside any element",
                    t.text().unwrap_or("").trim()
                ),
            );
        }
        let built = match tag {
            "Matrix" => tables::matrix(&mut cx),
            "LUT1D" => tables::lut1d(&mut cx),
            "LUT3D" => tables::lut3d(&mut cx),
            "Range" => curves::range(&mut cx),
            "Log" => curves::log(&mut cx),
            "Exponent" | "Gamma" => curves::exponent(&mut cx),
            "GradingHueCurve" => grading::hue_curve(&mut cx),
            _ => curves::cdl(&mut cx),
        };
        let failed = cx.failed;
        match built {
            Some(op) if !failed => {
                if let Err(e) = op.validate() {
                    p.at(lines.of(node), format!("{tag}: {e}"));
                } else {
                    ops.push(op);
                }
            }
            _ => {}
        }
    }
    if nodes == 0 {
        p.at(
            lines.of(root),
            "the ProcessList holds no process node (Matrix, LUT1D, LUT3D, Range, Log, Exponent, ASC_CDL)",
        );
    }
    finish(p, gaps, ops)
}

/// Fails with every problem. A file that is valid but uses what grade lacks
/// is `Unsupported`; with other problems too, the gaps are listed with them.
fn finish(mut p: Problems, gaps: Vec<(usize, String)>, ops: Vec<Op>) -> Result<Vec<Op>> {
    if p.is_empty() && !gaps.is_empty() {
        let what = gaps
            .iter()
            .map(|(line, m)| format!("line {line}: {m}"))
            .collect::<Vec<_>>()
            .join("; ");
        return Err(Error::unsupported(p.path(), what));
    }
    for (line, m) in gaps {
        p.at(line, format!("not supported: {m}"));
    }
    p.finish_with(ops)
}

/// Checks the ProcessList attributes and finds the CLF version. `None`
/// when no usable version was found (already reported).
fn process_list(root: Node, lines: &Lines, p: &mut Problems) -> Option<Version> {
    let line = lines.of(root);
    let smpte = root.tag_name().namespace() == Some(SMPTE_NAMESPACE)
        || root.default_namespace() == Some(SMPTE_NAMESPACE);
    for key in ["id", "name", "inverseOf"] {
        if attr(root, key).is_some_and(|v| v.is_empty()) {
            p.at(line, format!("ProcessList attribute {key} is empty"));
        }
    }
    if attr(root, "id").is_none() && !smpte {
        p.at(line, "ProcessList has no id attribute (CLF requires one)");
    }
    let clf = attr(root, "compCLFversion");
    let ctf = attr(root, "version");
    match (clf, ctf) {
        (Some(_), Some(_)) => {
            p.at(line, "ProcessList has both compCLFversion and version");
            None
        }
        (Some(v), None) => {
            if v.trim() == SMPTE_VERSION {
                return Some(Version::V3);
            }
            match parse_version(v) {
                Some(n) if n > [3, 0, 0] => {
                    p.at(line, format!("compCLFversion {v:?} is newer than CLF v3"));
                    None
                }
                Some(n) if n <= [2, 0, 0] => Some(Version::V2),
                Some(_) => Some(Version::V3),
                None => {
                    p.at(
                        line,
                        format!("compCLFversion {v:?} is not a version number"),
                    );
                    None
                }
            }
        }
        (None, Some(v)) => {
            if smpte {
                p.at(line, "the SMPTE ST 2136-1 namespace and a CTF version attribute cannot both be given");
                return None;
            }
            // An Autodesk CTF version: 2.0 is the CLF v3 operator set.
            match parse_version(v) {
                Some(n) if n >= [3, 0, 0] => {
                    p.at(line, format!("version {v:?} is newer than CTF 2"));
                    None
                }
                Some(n) if n >= [2, 0, 0] => Some(Version::V3),
                Some(_) => Some(Version::V2),
                None => {
                    p.at(line, format!("version {v:?} is not a version number"));
                    None
                }
            }
        }
        (None, None) if smpte => Some(Version::V3),
        (None, None) => {
            p.at(
                line,
                "ProcessList has no compCLFversion (nor a SMPTE ST 2136-1 namespace)",
            );
            None
        }
    }
}

/// `MAJOR[.MINOR[.REVISION]]`.
fn parse_version(v: &str) -> Option<[u32; 3]> {
    let parts: Vec<&str> = v.trim().split('.').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut out = [0u32; 3];
    for (o, s) in out.iter_mut().zip(&parts) {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *o = s.parse().ok()?;
    }
    Some(out)
}

/// The node's bit depths, both required.
fn depths(node: Node, tag: &str, lines: &Lines, p: &mut Problems) -> Option<(BitDepth, BitDepth)> {
    let mut get = |key: &str| match attr(node, key) {
        None => {
            p.at(lines.of(node), format!("{tag}: {key} is missing"));
            None
        }
        Some(v) => match BitDepth::parse(v) {
            Some(d) => Some(d),
            None => {
                p.at(
                    lines.of(node),
                    format!("{tag}: {key} {v:?} is not one of 8i, 10i, 12i, 16i, 16f, 32f"),
                );
                None
            }
        },
    };
    let i = get("inBitDepth");
    let o = get("outBitDepth");
    Some((i?, o?))
}

#[cfg(test)]
mod tests;

//! The CLF nodes that carry an `<Array>`: Matrix, LUT1D and LUT3D, with
//! their bit-depth scaling as OpenColorIO applies it (matrix coefficients by
//! in/out, offsets and LUT entries by the out depth).
//!
//! Array values may be written `NaN` or `Inf`/`Infinity` (any letter case,
//! either sign). In a LUT, as OpenColorIO 2.6 applies them, a NaN entry is
//! 0 and an infinite one the largest finite f32 of its sign, after scaling.
//! A Matrix with a NaN or infinite value is refused (OpenColorIO would make
//! whole channels NaN).

use roxmltree::Node;

use super::{attr, is, NodeCx};
use crate::formats::xml;
use crate::grade::Op;
use crate::ops::lut1d::MAX_LUT1D_SIZE;
use crate::ops::{Direction, Interpolation, Lut1d, Lut3d, Matrix, MAX_LUT3D_SIZE};

/// The node's one Array, read: its `dim` numbers and its values. `expect`
/// checks the dims and says how many values they call for; sizes are
/// checked there, before anything is stored, and values are stored only as
/// they are read from the text.
fn array(
    cx: &mut NodeCx,
    expect: impl Fn(&[usize]) -> Result<usize, String>,
) -> Option<(Vec<usize>, Vec<f64>)> {
    let arrays: Vec<Node> = cx.children().filter(|n| is(*n, "Array")).collect();
    let Some(&node) = arrays.first() else {
        cx.here("has no <Array>");
        return None;
    };
    if let Some(&second) = arrays.get(1) {
        cx.at(second, "has more than one <Array>");
        return None;
    }
    let Some(dim) = attr(node, "dim") else {
        cx.at(node, "<Array> has no dim attribute");
        return None;
    };
    let dims: Option<Vec<usize>> = xml::tokens(dim)
        .map(|t| {
            if t.bytes().all(|b| b.is_ascii_digit()) {
                t.parse::<u32>().ok().map(|v| v as usize)
            } else {
                None
            }
        })
        .collect();
    let Some(dims) = dims else {
        cx.at(
            node,
            format!("<Array> dim {dim:?} is not a list of whole numbers"),
        );
        return None;
    };
    let expected = match expect(&dims) {
        Ok(n) => n,
        Err(e) => {
            cx.at(node, format!("<Array> dim {dim:?}: {e}"));
            return None;
        }
    };
    let mut values = Vec::new();
    let mut count = 0usize;
    let mut extra_line = None;
    let mut bad = false;
    for t in node.children().filter(|c| c.is_text()) {
        let Some(text) = t.text() else { continue };
        for word in xml::tokens(text) {
            count += 1;
            if count > expected {
                if extra_line.is_none() {
                    extra_line = Some(cx.lines.of_part(t, word));
                }
                continue;
            }
            match xml::array_value(word) {
                Ok(v) => values.push(v),
                Err(e) => {
                    bad = true;
                    let line = cx.lines.of_part(t, word);
                    cx.at_line(line, format!("<Array> value {e}"));
                }
            }
        }
    }
    if let Some(line) = extra_line {
        cx.at_line(
            line,
            format!("<Array> dim {dim:?} calls for {expected} values, found {count}"),
        );
        return None;
    }
    if count < expected {
        cx.at(
            node,
            format!("<Array> dim {dim:?} calls for {expected} values, found {count}"),
        );
        return None;
    }
    if bad {
        return None;
    }
    Some((dims, values))
}

/// Matrix: 3x3, 3x4 (offsets in the last column), 4x4 and 4x5 (RGBA, with
/// offsets) whose alpha row and column leave RGB and alpha apart, since
/// grade's ops never touch alpha. CLF v2's three-number dims are accepted.
pub(super) fn matrix(cx: &mut NodeCx) -> Option<Op> {
    let (dims, v) = array(cx, |d| {
        let ok = matches!(d.len(), 2 | 3)
            && matches!((d[0], d[1]), (3, 3) | (3, 4) | (4, 4) | (4, 5))
            && (d.len() == 2 || d[2] == d[0]);
        if ok {
            Ok(d[0] * d[1])
        } else {
            Err("a Matrix Array is 3 3, 3 4, 4 4 or 4 5".into())
        }
    })?;
    let (rows, cols) = (dims[0], dims[1]);
    let at = |r: usize, c: usize| v[r * cols + c];
    let mut m = [[0.0f64; 3]; 3];
    let mut offset = [0.0f64; 3];
    for (r, row) in m.iter_mut().enumerate() {
        for (c, x) in row.iter_mut().enumerate() {
            *x = at(r, c);
        }
        offset[r] = match cols {
            4 if rows == 3 => at(r, 3),
            5 => at(r, 4),
            _ => 0.0,
        };
    }
    if rows == 4 {
        let alpha_in = (0..3).any(|r| at(r, 3) != 0.0);
        let alpha_row: Vec<f64> = (0..cols).map(|c| at(3, c)).collect();
        let mut identity = vec![0.0, 0.0, 0.0, 1.0];
        identity.resize(cols, 0.0);
        if alpha_in || alpha_row != identity {
            cx.unsupported(
                "a Matrix that mixes alpha into RGB or changes alpha (grade's ops leave alpha as it is)",
            );
            return None;
        }
    }
    // OpenColorIO `MatrixOpData::scale(inMax, 1/outMax)`.
    let out_scale = 1.0 / cx.out_depth.max();
    let combined = cx.in_depth.max() * out_scale;
    for row in m.iter_mut() {
        for x in row.iter_mut() {
            *x *= combined;
        }
    }
    for o in offset.iter_mut() {
        *o *= out_scale;
    }
    Some(Op::Matrix(Matrix { m, offset }))
}

/// `true`/absent for halfDomain and rawHalfs; anything else is an error.
fn flag(cx: &mut NodeCx, key: &str) -> bool {
    match attr(cx.node, key) {
        None => false,
        Some(v) if v.eq_ignore_ascii_case("true") => true,
        Some(v) => {
            cx.here(format!("{key} {v:?} must be \"true\" when given"));
            false
        }
    }
}

/// LUT1D: N entries of 1 or 3 columns, in the out depth's codes; the input
/// is the normalised value (`halfDomain`: 65536 entries indexed by the
/// input's half-float bits); `rawHalfs` entries are half-float bit patterns.
pub(super) fn lut1d(cx: &mut NodeCx) -> Option<Op> {
    if let Some(i) = attr(cx.node, "interpolation") {
        if !matches!(i, "linear" | "default") {
            cx.here(format!(
                "interpolation {i:?} is not one a LUT1D has (linear)"
            ));
        }
    }
    let half_domain = flag(cx, "halfDomain");
    let raw_halfs = flag(cx, "rawHalfs");
    index_map_gap(cx);
    let (dims, v) = array(cx, |d| match d {
        [n, c] if (*c == 1 || *c == 3) && (2..=MAX_LUT1D_SIZE).contains(n) => Ok(n * c),
        [n, 1 | 3] => Err(format!(
            "a LUT1D has 2 to {MAX_LUT1D_SIZE} entries, not {n}"
        )),
        _ => Err("a LUT1D Array is \"N 1\" or \"N 3\"".into()),
    })?;
    let (n, channels) = (dims[0], dims[1]);
    if half_domain && n != 65536 {
        cx.here(format!(
            "a halfDomain LUT1D has 65536 entries, this one {n}"
        ));
        return None;
    }
    let mut entries = Vec::with_capacity(v.len());
    for (i, &x) in v.iter().enumerate() {
        if raw_halfs {
            if x.fract() != 0.0 || !(0.0..=65535.0).contains(&x) {
                cx.here(format!(
                    "rawHalfs entry {} is {x}, not a half-float bit pattern (0 to 65535)",
                    i / channels
                ));
                return None;
            }
            entries.push(half::f16::from_bits(x as u16).to_f32());
        } else {
            entries.push(x as f32);
        }
    }
    // OpenColorIO scales the float table by 1/outMax, in f32.
    let scale = 1.0f32 / cx.out_depth.max() as f32;
    let entry = |x: f32| {
        if raw_halfs {
            x * scale
        } else {
            finite_entry(x * scale)
        }
    };
    let table = entries
        .chunks_exact(channels)
        .map(|e| {
            if channels == 1 {
                [entry(e[0]); 3]
            } else {
                [entry(e[0]), entry(e[1]), entry(e[2])]
            }
        })
        .collect();
    Some(Op::Lut1d(Lut1d {
        table,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        half_domain,
        direction: Direction::Forward,
    }))
}

/// A CLF v2 IndexMap is a shaper grade does not build; CLF v3 dropped it
/// and OpenColorIO ignores it there.
fn index_map_gap(cx: &mut NodeCx) {
    if cx.v2 && cx.children().any(|n| is(n, "IndexMap")) {
        cx.unsupported("a CLF v2 LUT with an <IndexMap>");
    }
}

/// A LUT entry as OpenColorIO uses it: NaN is 0, an infinity the largest
/// finite value of its sign.
fn finite_entry(v: f32) -> f32 {
    if v.is_nan() {
        0.0
    } else {
        v.clamp(f32::MIN, f32::MAX)
    }
}

/// LUT3D: an N x N x N lattice, blue varying fastest, in the out depth's
/// codes. `interpolation` trilinear or tetrahedral; without one (or
/// `default`), trilinear, as the CLF specification and OpenColorIO's
/// default have it. `--interp` overrides either.
pub(super) fn lut3d(cx: &mut NodeCx) -> Option<Op> {
    let interpolation = match attr(cx.node, "interpolation") {
        None | Some("default") => Interpolation::Trilinear,
        Some("tetrahedral" | "4pt tetrahedral") => Interpolation::Tetrahedral,
        Some("trilinear") => Interpolation::Trilinear,
        Some(i) => {
            cx.here(format!(
                "interpolation {i:?} is not one a LUT3D has (trilinear, tetrahedral)"
            ));
            Interpolation::Tetrahedral
        }
    };
    index_map_gap(cx);
    let (dims, v) = array(cx, |d| match d {
        [a, b, c, 3] if a == b && b == c && (2..=MAX_LUT3D_SIZE).contains(a) => Ok(a * a * a * 3),
        [a, b, c, 3] if a == b && b == c => Err(format!(
            "a LUT3D lattice is 2 to {MAX_LUT3D_SIZE} on a side, not {a}"
        )),
        _ => Err("a LUT3D Array is \"N N N 3\"".into()),
    })?;
    let n = dims[0];
    let scale = 1.0f32 / cx.out_depth.max() as f32;
    // CLF runs blue fastest; grade's lattice runs red fastest.
    let mut data = vec![[0.0f32; 3]; n * n * n];
    for (i, e) in v.chunks_exact(3).enumerate() {
        let b = i % n;
        let g = (i / n) % n;
        let r = i / (n * n);
        data[r + n * (g + n * b)] = [
            finite_entry(e[0] as f32 * scale),
            finite_entry(e[1] as f32 * scale),
            finite_entry(e[2] as f32 * scale),
        ];
    }
    Some(Op::Lut3d(Lut3d {
        size: n,
        data,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        interpolation,
        direction: Direction::Forward,
    }))
}

//! Cinespace `.csp` LUTs (Rising Sun Research): a `CSPLUTV100` header, `1D`
//! or `3D`, an optional `BEGIN METADATA` ... `END METADATA` block, three
//! per-channel pre-LUT shapers (a point count, a line of input values and a
//! line of output values, spaced as the author liked), then a 1D table
//! (`N`, then N rows of `r g b`) or a 3D table (`R G B` sizes, then the
//! lattice with red varying fastest).
//!
//! Read as OpenColorIO reads it (FileFormatCSP.cpp): a shaper whose outputs
//! equal its inputs (to 1e-6 relative) is dropped; when any channel keeps
//! one, all three are resampled at 65536 evenly spaced inputs over each
//! channel's first..last input value through Cinespace's cubic interpolator,
//! in f32 as OCIO does, giving one 1D LUT over that domain. The table after
//! it covers [0, 1]. A lattice whose three sizes differ is valid Cinespace
//! but OpenColorIO refuses it and grade's 3D LUT is cubic, so it is
//! reported as unsupported, naming the sizes.

use std::path::Path;

use crate::grade::Op;
use crate::ops::lut1d::MAX_LUT1D_SIZE;
use crate::ops::{Direction, Interpolation, Lut1d, Lut3d, MAX_LUT3D_SIZE};
use crate::{Error, Problems, Result};

/// Samples of the resampled pre-LUT (OpenColorIO `NUM_PRELUT_SAMPLES`).
pub const PRELUT_SAMPLES: usize = 65536;

/// What a `.csp` file holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Csp {
    /// The lines between `BEGIN METADATA` and `END METADATA`.
    pub metadata: Vec<String>,
    /// The three shapers resampled into one 1D LUT, when any is not an
    /// identity.
    pub prelut: Option<Lut1d>,
    pub table: Table,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Table {
    Lut1d(Lut1d),
    Lut3d(Lut3d),
}

impl Csp {
    /// The pre-LUT (if any), then the table.
    pub fn ops(&self) -> Vec<Op> {
        let mut ops = Vec::new();
        if let Some(p) = &self.prelut {
            ops.push(Op::Lut1d(p.clone()));
        }
        ops.push(match &self.table {
            Table::Lut1d(l) => Op::Lut1d(l.clone()),
            Table::Lut3d(l) => Op::Lut3d(l.clone()),
        });
        ops
    }

    /// The metadata on one line, for `grade lut info`.
    pub fn title(&self) -> Option<String> {
        (!self.metadata.is_empty()).then(|| self.metadata.join(" / "))
    }
}

pub fn read(path: &Path) -> Result<Csp> {
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    parse(&String::from_utf8_lossy(&bytes), path)
}

pub fn load(path: &Path) -> Result<Vec<Op>> {
    Ok(read(path)?.ops())
}

/// Non-blank lines, trimmed, with their 1-based numbers (blank lines mean
/// nothing in a `.csp`, as OpenColorIO's `nextline` skips them).
struct Lines<'a> {
    lines: Vec<(usize, &'a str)>,
    at: usize,
    /// Number of the last line of the file, for "ends early" messages.
    last: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut last = 0;
        let mut lines = Vec::new();
        for (i, l) in text.lines().enumerate() {
            last = i + 1;
            let l = l.trim();
            if !l.is_empty() {
                lines.push((i + 1, l));
            }
        }
        Lines { lines, at: 0, last }
    }

    fn next(&mut self) -> Option<(usize, &'a str)> {
        let l = self.lines.get(self.at).copied();
        self.at += usize::from(l.is_some());
        l
    }

    fn peek(&self) -> Option<(usize, &'a str)> {
        self.lines.get(self.at).copied()
    }
}

/// Fails with the problems recorded so far (there is at least one).
fn stop<T>(p: Problems) -> Result<T> {
    let path = p.path().to_path_buf();
    p.finish()?;
    Err(Error::invalid(path, "malformed .csp file"))
}

fn starts_with_upper(line: &str, prefix: &str) -> bool {
    line.len() >= prefix.len()
        && line.is_char_boundary(prefix.len())
        && line[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn number(w: &str) -> std::result::Result<f32, String> {
    match w.parse::<f32>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("{w:?} is not a finite number")),
    }
}

/// Every word of `line` as a number; one problem per bad word.
fn numbers(p: &mut Problems, line_no: usize, line: &str) -> Option<Vec<f32>> {
    let mut out = Vec::new();
    let mut ok = true;
    for w in line.split_whitespace() {
        match number(w) {
            Ok(v) => out.push(v),
            Err(e) => {
                p.at(line_no, e);
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// One pre-LUT channel as written: input and output values.
struct Shaper {
    inputs: Vec<f32>,
    outputs: Vec<f32>,
}

impl Shaper {
    fn identity() -> Self {
        Shaper {
            inputs: vec![0.0, 1.0],
            outputs: vec![0.0, 1.0],
        }
    }

    /// OpenColorIO's test (`VecsEqualWithRelError`, 1e-6): every output
    /// within 1e-6 of its input, relative to the input.
    fn is_identity(&self) -> bool {
        self.inputs
            .iter()
            .zip(&self.outputs)
            .all(|(&i, &o)| (i - o).abs() <= 1e-6 * i.abs())
    }
}

fn early_end(p: &mut Problems, what: &str, last: usize) {
    p.at(last.max(1), format!("the file ends before {what}"));
}

pub fn parse(text: &str, path: &Path) -> Result<Csp> {
    let mut p = Problems::new(path);
    let mut lines = Lines::new(text);

    match lines.next() {
        Some((_, l)) if starts_with_upper(l, "CSPLUTV100") => {}
        Some((n, l)) => {
            p.at(n, format!("expected the CSPLUTV100 header, found {l:?}"));
            return stop(p);
        }
        None => {
            p.file("empty file: expected the CSPLUTV100 header");
            return stop(p);
        }
    }
    let three_d = match lines.next() {
        Some((_, l)) if l.eq_ignore_ascii_case("3D") => true,
        Some((_, l)) if l.eq_ignore_ascii_case("1D") => false,
        Some((n, l)) => {
            p.at(n, format!("expected the LUT type 1D or 3D, found {l:?}"));
            return stop(p);
        }
        None => {
            early_end(&mut p, "the LUT type (1D or 3D)", lines.last);
            return stop(p);
        }
    };

    let mut metadata = Vec::new();
    if let Some((begin, l)) = lines.peek() {
        if starts_with_upper(l, "BEGIN METADATA") {
            lines.next();
            let mut closed = false;
            while let Some((_, l)) = lines.next() {
                if starts_with_upper(l, "END METADATA") {
                    closed = true;
                    break;
                }
                metadata.push(l.to_string());
            }
            if !closed {
                p.at(begin, "BEGIN METADATA is never closed by END METADATA");
                return stop(p);
            }
        }
    }

    let mut shapers = Vec::with_capacity(3);
    for c in 0..3 {
        let channel = ["red", "green", "blue"][c];
        let Some((n, l)) = lines.next() else {
            early_end(
                &mut p,
                &format!("the {channel} pre-LUT point count"),
                lines.last,
            );
            return stop(p);
        };
        let count = match l.parse::<usize>() {
            Ok(k) if k <= MAX_LUT1D_SIZE => k,
            Ok(_) => {
                p.at(
                    n,
                    format!("{channel} pre-LUT has more than {MAX_LUT1D_SIZE} points"),
                );
                return stop(p);
            }
            Err(_) => {
                p.at(
                    n,
                    format!("expected the {channel} pre-LUT point count, found {l:?}"),
                );
                return stop(p);
            }
        };
        // As OpenColorIO: fewer than 2 points is an identity with no lines.
        if count < 2 {
            shapers.push(Shaper::identity());
            continue;
        }
        let mut rows = [Vec::new(), Vec::new()];
        for (k, row) in rows.iter_mut().enumerate() {
            let what = ["input", "output"][k];
            let Some((n, l)) = lines.next() else {
                early_end(
                    &mut p,
                    &format!("the {channel} pre-LUT {what} values"),
                    lines.last,
                );
                return stop(p);
            };
            if let Some(v) = numbers(&mut p, n, l) {
                if v.len() == count {
                    if k == 0 {
                        if let Some(i) = (1..v.len()).find(|&i| v[i] <= v[i - 1]) {
                            p.at(
                                n,
                                format!(
                                    "{channel} pre-LUT input values must increase: value {} ({}) follows {}",
                                    i + 1,
                                    v[i],
                                    v[i - 1]
                                ),
                            );
                        }
                    }
                    *row = v;
                } else {
                    p.at(
                        n,
                        format!(
                            "{channel} pre-LUT {what} values: expected {count}, found {}",
                            v.len()
                        ),
                    );
                }
            }
        }
        let [inputs, outputs] = rows;
        shapers.push(Shaper { inputs, outputs });
    }

    let table = if three_d {
        read_3d(&mut p, &mut lines, path)?
    } else {
        read_1d(&mut p, &mut lines)
    };
    let table = match table {
        Some(t) => t,
        None => return stop(p),
    };
    if let Some((n, _)) = lines.next() {
        p.at(n, "unexpected lines after the table");
    }
    p.finish()?;

    let prelut = if shapers.iter().all(Shaper::is_identity) {
        None
    } else {
        let lut = resample(&shapers);
        lut.validate().map_err(|e| Error::invalid(path, e))?;
        Some(lut)
    };
    Ok(Csp {
        metadata,
        prelut,
        table,
    })
}

/// The 1D table: a count line, then that many rows of three numbers. `None`
/// when the file cannot be read on (the problem is recorded).
fn read_1d(p: &mut Problems, lines: &mut Lines) -> Option<Table> {
    let Some((n, l)) = lines.next() else {
        p.at(lines.last.max(1), "the file ends before the 1D table size");
        return None;
    };
    let size = match l.parse::<usize>() {
        Ok(k) if (2..=MAX_LUT1D_SIZE).contains(&k) => k,
        _ => {
            p.at(
                n,
                format!("expected the 1D table size 2..={MAX_LUT1D_SIZE}, found {l:?}"),
            );
            return None;
        }
    };
    let rows = read_rows(p, lines, size, "1D table")?;
    Some(Table::Lut1d(Lut1d {
        table: rows,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        half_domain: false,
        direction: Direction::Forward,
    }))
}

/// The 3D table: a line of three sizes, then the lattice, red fastest.
fn read_3d(p: &mut Problems, lines: &mut Lines, path: &Path) -> Result<Option<Table>> {
    let Some((n, l)) = lines.next() else {
        p.at(lines.last.max(1), "the file ends before the 3D table sizes");
        return Ok(None);
    };
    let sizes: Vec<Option<usize>> = l.split_whitespace().map(|w| w.parse().ok()).collect();
    let [Some(r), Some(g), Some(b)] = sizes[..] else {
        p.at(
            n,
            format!("expected three 3D table sizes (red green blue), found {l:?}"),
        );
        return Ok(None);
    };
    if r != g || g != b {
        if !p.is_empty() {
            return Ok(None);
        }
        return Err(Error::unsupported(
            path,
            format!(
                "a {r}x{g}x{b} 3D table (line {n}): grade's 3D LUTs, like OpenColorIO's, have one size on all three axes"
            ),
        ));
    }
    if !(2..=MAX_LUT3D_SIZE).contains(&r) {
        p.at(
            n,
            format!("3D table size {r} is outside 2..={MAX_LUT3D_SIZE}"),
        );
        return Ok(None);
    }
    let Some(data) = read_rows(p, lines, r * r * r, "3D table") else {
        return Ok(None);
    };
    Ok(Some(Table::Lut3d(Lut3d {
        size: r,
        data,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        interpolation: Interpolation::Tetrahedral,
        direction: Direction::Forward,
    })))
}

/// `count` rows of three numbers, each bad row recorded. Grows with the
/// rows actually present, never with the count the file claims.
fn read_rows(
    p: &mut Problems,
    lines: &mut Lines,
    count: usize,
    what: &str,
) -> Option<Vec<[f32; 3]>> {
    let mut rows = Vec::new();
    let mut ok = true;
    for k in 0..count {
        let Some((n, l)) = lines.next() else {
            p.at(
                lines.last.max(1),
                format!("the file ends after {k} of the {count} rows of the {what}"),
            );
            return None;
        };
        match numbers(p, n, l) {
            Some(v) if v.len() == 3 => rows.push([v[0], v[1], v[2]]),
            Some(v) => {
                p.at(n, format!("expected 3 numbers, found {}", v.len()));
                ok = false;
            }
            None => ok = false,
        }
    }
    ok.then_some(rows)
}

/// Cinespace's 1D interpolator (`rsr_Interpolator1D` in OpenColorIO's
/// FileFormatCSP.cpp): piecewise cubic through the points, with the slope
/// at each inner point from its neighbours, quadratic in the two end
/// intervals, linear for two points. Evaluated in f32 in OpenColorIO's
/// operation order, since its resampled table is the reference.
struct Interpolator<'a> {
    stims: &'a [f32],
    /// Per interval: `1/delta, a, b, c, d`; `y = a + z*(b + z*(c + d*z))`
    /// with `z = (x - stims[i]) / delta`.
    params: Vec<[f32; 5]>,
    min_value: f32,
    max_value: f32,
}

impl<'a> Interpolator<'a> {
    /// `stims` strictly increasing, at least 2, as long as `values`.
    fn new(stims: &'a [f32], values: &[f32]) -> Self {
        let n = stims.len();
        let mut params = Vec::with_capacity(n - 1);
        if n == 2 {
            params.push([
                1.0 / (stims[1] - stims[0]),
                values[0],
                values[1] - values[0],
                0.0,
                0.0,
            ]);
        } else {
            for i in 0..n - 1 {
                let f0 = values[i];
                let f1 = values[i + 1];
                let inv_delta = 1.0 / (stims[i + 1] - stims[i]);
                let delta = stims[i + 1] - stims[i];
                // The products by 0 and 1 are kept: they are OpenColorIO's
                // arithmetic, and turn an infinite slope into NaN as it does.
                let coeffs = if i == 0 {
                    let delta2 = (stims[i + 2] - stims[i + 1]) / delta;
                    let f2 = values[i + 2];
                    let dfdx1 = (f2 - f0) / (1.0 + delta2);
                    [
                        1.0 * f0 + 0.0 * f1 + 0.0 * dfdx1,
                        -2.0 * f0 + 2.0 * f1 - 1.0 * dfdx1,
                        1.0 * f0 - 1.0 * f1 + 1.0 * dfdx1,
                        0.0,
                    ]
                } else if i == n - 2 {
                    let delta1 = (stims[i] - stims[i - 1]) / delta;
                    let fn1 = values[i - 1];
                    let dfdx0 = (f1 - fn1) / (1.0 + delta1);
                    [
                        1.0 * f0 + 0.0 * f1 + 0.0 * dfdx0,
                        0.0 * f0 + 0.0 * f1 + 1.0 * dfdx0,
                        -f0 + 1.0 * f1 - 1.0 * dfdx0,
                        0.0,
                    ]
                } else {
                    let fn1 = values[i - 1];
                    let delta1 = (stims[i] - stims[i - 1]) / delta;
                    let f2 = values[i + 2];
                    let delta2 = (stims[i + 2] - stims[i + 1]) / delta;
                    let dfdx0 = (f1 - fn1) / (1.0 + delta1);
                    let dfdx1 = (f2 - f0) / (1.0 + delta2);
                    [
                        1.0 * f0 + 0.0 * dfdx0 + 0.0 * f1 + 0.0 * dfdx1,
                        0.0 * f0 + 1.0 * dfdx0 + 0.0 * f1 + 0.0 * dfdx1,
                        -3.0 * f0 - 2.0 * dfdx0 + 3.0 * f1 - 1.0 * dfdx1,
                        2.0 * f0 + 1.0 * dfdx0 - 2.0 * f1 + 1.0 * dfdx1,
                    ]
                };
                params.push([inv_delta, coeffs[0], coeffs[1], coeffs[2], coeffs[3]]);
            }
        }
        Interpolator {
            stims,
            params,
            min_value: values[0],
            max_value: values[n - 1],
        }
    }

    /// The interval holding `x` (`stims[0] <= x <= stims[n-1]`), by
    /// OpenColorIO's bisection, so that a point on a knot picks the same
    /// interval.
    fn segment(&self, x: f32) -> usize {
        let (mut low, mut high) = (0, self.stims.len() - 1);
        while high - low > 1 {
            let mid = (low + high) / 2;
            if x < self.stims[mid] {
                high = mid;
            } else {
                low = mid;
            }
        }
        low
    }

    fn eval(&self, x: f32) -> f32 {
        if x.is_nan() {
            return x;
        }
        let n = self.stims.len();
        if x < self.stims[0] {
            return self.min_value;
        }
        if x > self.stims[n - 1] {
            return self.max_value;
        }
        let i = self.segment(x);
        let [inv_delta, a, b, c, d] = self.params[i];
        let z = (x - self.stims[i]) * inv_delta;
        a + z * (b + z * (c + d * z))
    }
}

/// The three shapers resampled into one 1D LUT of [`PRELUT_SAMPLES`]
/// entries, each channel over its own first..last input value.
fn resample(shapers: &[Shaper]) -> Lut1d {
    let mut table = vec![[0.0f32; 3]; PRELUT_SAMPLES];
    let mut domain_min = [0.0f32; 3];
    let mut domain_max = [1.0f32; 3];
    for (c, s) in shapers.iter().enumerate().take(3) {
        let from_min = s.inputs[0];
        let from_max = s.inputs[s.inputs.len() - 1];
        domain_min[c] = from_min;
        domain_max[c] = from_max;
        let interp = Interpolator::new(&s.inputs, &s.outputs);
        for (i, e) in table.iter_mut().enumerate() {
            let t = i as f32 / (PRELUT_SAMPLES - 1) as f32;
            // OpenColorIO's lerpf: (b - a) * t + a.
            let x = (from_max - from_min) * t + from_min;
            e[c] = interp.eval(x);
        }
    }
    Lut1d {
        table,
        domain_min,
        domain_max,
        half_domain: false,
        direction: Direction::Forward,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::fixtures_with_ext;

    fn parse_str(s: &str) -> Result<Csp> {
        parse(s, Path::new("t.csp"))
    }

    const HEAD3: &str = "CSPLUTV100\n3D\n\n2\n0 1\n0 1\n2\n0 1\n0 1\n2\n0 1\n0 1\n\n";

    #[test]
    fn public_fixtures_load() {
        let files = fixtures_with_ext("public", &["csp"]);
        assert!(files.len() >= 9, "{files:?}");
        for f in files {
            let csp = read(&f).unwrap_or_else(|e| panic!("{e}"));
            for op in csp.ops() {
                op.validate()
                    .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            }
        }
    }

    #[test]
    fn identity_shapers_are_dropped_and_others_resampled() {
        let dir =
            crate::testutil::fixture("public/colour/colour/io/luts/tests/resources/cinespace");
        let csp = read(&dir.join("Three_Dimensional_Table.csp")).unwrap();
        assert!(csp.prelut.is_none());
        assert_eq!(csp.metadata, ["LUT3D without My Shaper"]);
        let csp = read(&dir.join("Demo.csp")).unwrap();
        let pre = csp.prelut.unwrap();
        assert_eq!(pre.table.len(), PRELUT_SAMPLES);
        assert_eq!(pre.domain_min, [0.0; 3]);
        assert_eq!(pre.domain_max, [1.0, 2.0, 3.0]);
        // Two points: linear from 0 to 1 over the channel's domain.
        assert_eq!(pre.table[0], [0.0; 3]);
        assert_eq!(pre.table[PRELUT_SAMPLES - 1], [1.0; 3]);
        match csp.table {
            Table::Lut1d(l) => assert_eq!(l.table.len(), 3),
            Table::Lut3d(_) => panic!("Demo.csp is 1D"),
        }
    }

    #[test]
    fn interpolator_passes_through_its_points() {
        let stims = [0.0f32, 0.1, 0.4, 0.5, 1.0];
        let values = [0.0f32, 0.3, 0.5, 0.9, 1.2];
        let it = Interpolator::new(&stims, &values);
        for (x, y) in stims.iter().zip(&values) {
            // At a knot z is 0 (or 1 at the last), so a or a+b+c+d: f32
            // rounding of the coefficient sums only.
            assert!((it.eval(*x) - y).abs() < 1e-6, "{x}: {}", it.eval(*x));
        }
        assert_eq!(it.eval(-1.0), 0.0);
        assert_eq!(it.eval(2.0), 1.2);
        assert!(it.eval(f32::NAN).is_nan());
    }

    #[test]
    fn non_cubic_lattice_is_unsupported_naming_sizes_and_line() {
        let text = format!("{HEAD3}2 2 3\n");
        let e = parse_str(&text).unwrap_err();
        assert!(matches!(e, Error::Unsupported { .. }), "{e}");
        let msg = e.to_string();
        assert!(
            msg.contains("t.csp") && msg.contains("2x2x3") && msg.contains("line 14"),
            "{msg}"
        );
    }

    #[test]
    fn problems_are_collected_with_lines() {
        let text = "CSPLUTV100\n1D\n3\n0 0.5 x\n0 1 2\n0\n0\n3\n0 0 0\n1 1\n1 y 1\n";
        let msg = parse_str(text).unwrap_err().to_string();
        println!("{msg}");
        assert!(msg.contains("t.csp:4: \"x\""), "{msg}");
        assert!(
            msg.contains("t.csp:10: expected 3 numbers, found 2"),
            "{msg}"
        );
        assert!(msg.contains("t.csp:11: \"y\""), "{msg}");
    }

    #[test]
    fn shaper_inputs_must_increase() {
        let text = "CSPLUTV100\n1D\n3\n0 0.5 0.5\n0 1 2\n0\n0\n2\n0 0 0\n1 1 1\n";
        let msg = parse_str(text).unwrap_err().to_string();
        assert!(
            msg.contains("t.csp:4:") && msg.contains("must increase"),
            "{msg}"
        );
    }

    #[test]
    fn sizes_are_checked_before_reading() {
        let msg = parse_str(&format!("{HEAD3}1000 1000 1000\n"))
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("t.csp:14:") && msg.contains("outside"),
            "{msg}"
        );
        let msg = parse_str("CSPLUTV100\n1D\n0\n0\n0\n99999999999\n")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("t.csp:6:"), "{msg}");
        let msg = parse_str("CSPLUTV100\n1D\n99999999999\n")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("t.csp:3:"), "{msg}");
    }

    #[test]
    fn unclosed_metadata_and_trailing_lines_are_errors() {
        let msg = parse_str("CSPLUTV100\n3D\nBEGIN METADATA\nabc\n")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("t.csp:3:"), "{msg}");
        let text = format!("{HEAD3}2 2 2\n{}0 0 0\n", "0 0 0\n".repeat(8));
        let msg = parse_str(&text).unwrap_err().to_string();
        assert!(msg.contains("t.csp:23:"), "{msg}");
    }

    /// `--invert` of a 1D `.csp` (table inverse, then pre-LUT inverse)
    /// against OpenColorIO 2.1's inverse FileTransform at OPTIMIZATION_NONE
    /// (its exact inverse 1D LUT) on the dense inputs.
    #[cfg(feature = "ocio")]
    #[test]
    fn inverse_of_1d_files_matches_opencolorio() {
        use crate::grade::{dense::dense_rgba, Grade, Step};
        use crate::ocio::{FileInterpolation, Optimization, Processor};
        let mut checked = 0;
        for f in fixtures_with_ext("public", &["csp"]) {
            if !matches!(read(&f).unwrap().table, Table::Lut1d(_)) {
                continue;
            }
            let ocio = Processor::from_file(&f, None, FileInterpolation::Best, Direction::Inverse)
                .and_then(|p| p.with_optimization(Optimization::None))
                .unwrap();
            let program = Grade {
                steps: vec![Step::File {
                    path: f.clone(),
                    select: None,
                    interpolation: None,
                    cdl_style: None,
                    invert: true,
                }],
            }
            .compile_unoptimised()
            .unwrap();
            let mut want = dense_rgba();
            ocio.apply_rgba(&mut want).unwrap();
            let mut got = dense_rgba();
            crate::cpu::reference::apply(&program, &mut got);
            let worst = got
                .iter()
                .zip(&want)
                .map(|(a, b)| (a - b).abs() / a.abs().max(b.abs()).max(1.0))
                .fold(0.0f32, f32::max);
            println!("{}: worst inverse difference {worst:e}", f.display());
            // 1e-5 absolute (relative above 1), as every parity test here.
            assert!(worst <= 1e-5, "{}: {worst:e}", f.display());
            checked += 1;
        }
        assert!(checked >= 2);
    }

    #[test]
    fn truncated_prefixes_never_panic() {
        for f in fixtures_with_ext("public", &["csp"]) {
            let bytes = std::fs::read(&f).unwrap();
            for len in 0..=bytes.len() {
                let t = String::from_utf8_lossy(&bytes[..len]);
                let _ = parse(&t, &f);
            }
        }
    }
}

//! `.cube` LUTs: Resolve (LUT_1D_SIZE / LUT_3D_SIZE, LUT_*_INPUT_RANGE, a 1D
//! shaper and a 3D LUT in one file) and Iridas/Adobe (DOMAIN_MIN/MAX per
//! channel). Data rows are `r g b`, red varying fastest in 3D tables.

use std::io::Write;
use std::path::Path;

use crate::grade::Op;
use crate::ops::{Direction, Interpolation, Lut1d, Lut3d, MAX_LUT3D_SIZE};
use crate::{Error, Problems, Result};

/// Largest 1D table accepted.
pub const MAX_LUT1D_SIZE: usize = 1 << 20;

/// A parsed .cube file.
#[derive(Debug, Clone, PartialEq)]
pub struct Cube {
    pub title: Option<String>,
    pub shaper: Option<Lut1d>,
    pub lut: Option<Lut3d>,
}

impl Cube {
    pub fn ops(&self) -> Vec<Op> {
        let mut ops = Vec::new();
        if let Some(s) = &self.shaper {
            ops.push(Op::Lut1d(s.clone()));
        }
        if let Some(l) = &self.lut {
            ops.push(Op::Lut3d(l.clone()));
        }
        ops
    }
}

pub fn read(path: &Path) -> Result<Cube> {
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    parse(&bytes, path)
}

fn numbers<const N: usize>(words: &[&str]) -> std::result::Result<[f32; N], String> {
    if words.len() != N {
        return Err(format!("expected {N} numbers, found {}", words.len()));
    }
    let mut out = [0.0f32; N];
    for (o, w) in out.iter_mut().zip(words) {
        *o = w
            .parse::<f32>()
            .map_err(|_| format!("{w:?} is not a number"))?;
        if !o.is_finite() {
            return Err(format!("{w:?} is not a finite number"));
        }
    }
    Ok(out)
}

pub fn parse(bytes: &[u8], path: &Path) -> Result<Cube> {
    let text = String::from_utf8_lossy(bytes);
    let mut p = Problems::new(path);
    let mut title = None;
    let mut size1: Option<usize> = None;
    let mut size3: Option<usize> = None;
    let mut domain_min = [0.0f32; 3];
    let mut domain_max = [1.0f32; 3];
    let mut range1: Option<[f32; 2]> = None;
    let mut range3: Option<[f32; 2]> = None;
    let mut rows: Vec<[f32; 3]> = Vec::new();
    let mut first_row_line = 0;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let key = words[0];
        let args = &words[1..];
        let starts_numeric = key
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '+' || c == '.');
        if starts_numeric {
            if first_row_line == 0 {
                first_row_line = line_no;
            }
            match numbers::<3>(&words) {
                Ok(v) => {
                    if rows.len() < MAX_LUT1D_SIZE + MAX_LUT3D_SIZE.pow(3) {
                        rows.push(v);
                    }
                }
                Err(e) => p.at(line_no, e),
            }
            continue;
        }
        if first_row_line != 0 {
            p.at(
                line_no,
                format!("keyword {key} after the table started (line {first_row_line})"),
            );
            continue;
        }
        let size = |p: &mut Problems, max: usize| -> Option<usize> {
            match args {
                [n] => match n.parse::<usize>() {
                    Ok(n) if (2..=max).contains(&n) => Some(n),
                    Ok(n) => {
                        p.at(line_no, format!("{key} {n} is outside 2..={max}"));
                        None
                    }
                    Err(_) => {
                        p.at(line_no, format!("{key}: {n:?} is not a whole number"));
                        None
                    }
                },
                _ => {
                    p.at(line_no, format!("{key} takes one number"));
                    None
                }
            }
        };
        match key {
            "TITLE" => {
                let t = line["TITLE".len()..].trim().trim_matches('"').to_string();
                title = Some(t);
            }
            "LUT_1D_SIZE" => size1 = size(&mut p, MAX_LUT1D_SIZE),
            "LUT_3D_SIZE" => size3 = size(&mut p, MAX_LUT3D_SIZE),
            "DOMAIN_MIN" => match numbers::<3>(args) {
                Ok(v) => domain_min = v,
                Err(e) => p.at(line_no, format!("DOMAIN_MIN: {e}")),
            },
            "DOMAIN_MAX" => match numbers::<3>(args) {
                Ok(v) => domain_max = v,
                Err(e) => p.at(line_no, format!("DOMAIN_MAX: {e}")),
            },
            "LUT_1D_INPUT_RANGE" => match numbers::<2>(args) {
                Ok(v) => range1 = Some(v),
                Err(e) => p.at(line_no, format!("LUT_1D_INPUT_RANGE: {e}")),
            },
            "LUT_3D_INPUT_RANGE" => match numbers::<2>(args) {
                Ok(v) => range3 = Some(v),
                Err(e) => p.at(line_no, format!("LUT_3D_INPUT_RANGE: {e}")),
            },
            _ => p.at(line_no, format!("unknown keyword {key}")),
        }
    }
    if size1.is_none() && size3.is_none() && p.is_empty() {
        p.file("no LUT_1D_SIZE or LUT_3D_SIZE: not a .cube LUT");
    }
    for k in 0..3 {
        if domain_min[k] >= domain_max[k] {
            p.file(format!(
                "DOMAIN_MIN {} is not below DOMAIN_MAX {} for channel {k}",
                domain_min[k], domain_max[k]
            ));
        }
    }
    let n1 = size1.unwrap_or(0);
    let n3 = size3.map_or(0, |n| n * n * n);
    if p.is_empty() && rows.len() != n1 + n3 {
        p.file(format!(
            "expected {} table rows ({}{}{}), found {}",
            n1 + n3,
            if n1 > 0 {
                format!("{n1} 1D")
            } else {
                String::new()
            },
            if n1 > 0 && n3 > 0 { " + " } else { "" },
            if n3 > 0 {
                format!("{n3} 3D")
            } else {
                String::new()
            },
            rows.len()
        ));
    }
    p.finish()?;
    let domain = |r: Option<[f32; 2]>| match r {
        Some([lo, hi]) => ([lo; 3], [hi; 3]),
        None => (domain_min, domain_max),
    };
    let shaper = size1.map(|_| {
        let (lo, hi) = domain(range1);
        Lut1d {
            table: rows[..n1].to_vec(),
            domain_min: lo,
            domain_max: hi,
            half_domain: false,
            direction: Direction::Forward,
        }
    });
    let lut = size3.map(|n| {
        // With a shaper the 3D LUT's input is the shaper's output: its
        // domain is LUT_3D_INPUT_RANGE (default 0..1), not DOMAIN_*.
        let (lo, hi) = if shaper.is_some() {
            let r = range3.unwrap_or([0.0, 1.0]);
            ([r[0]; 3], [r[1]; 3])
        } else {
            domain(range3)
        };
        Lut3d {
            size: n,
            data: rows[n1..].to_vec(),
            domain_min: lo,
            domain_max: hi,
            interpolation: Interpolation::Tetrahedral,
            direction: Direction::Forward,
        }
    });
    Ok(Cube { title, shaper, lut })
}

/// Writes a Resolve-style .cube: optional 1D shaper, then the 3D table.
pub fn write_cube(
    out: &mut impl Write,
    title: &str,
    shaper: Option<&Lut1d>,
    lut: &Lut3d,
) -> Result<()> {
    let mut s = String::new();
    let title = title.replace('"', "'");
    s.push_str(&format!("TITLE \"{title}\"\n"));
    s.push_str("# written by grade\n");
    if let Some(sh) = shaper {
        s.push_str(&format!("LUT_1D_SIZE {}\n", sh.table.len()));
        s.push_str(&format!(
            "LUT_1D_INPUT_RANGE {} {}\n",
            sh.domain_min[0], sh.domain_max[0]
        ));
    }
    s.push_str(&format!("LUT_3D_SIZE {}\n", lut.size));
    if shaper.is_some() || lut.domain_min != [0.0; 3] || lut.domain_max != [1.0; 3] {
        s.push_str(&format!(
            "LUT_3D_INPUT_RANGE {} {}\n",
            lut.domain_min[0], lut.domain_max[0]
        ));
    }
    let row = |v: &[f32; 3]| format!("{:.6} {:.6} {:.6}\n", v[0], v[1], v[2]);
    if let Some(sh) = shaper {
        for v in &sh.table {
            s.push_str(&row(v));
        }
    }
    for v in &lut.data {
        s.push_str(&row(v));
    }
    out.write_all(s.as_bytes())
        .map_err(|e| Error::write(Path::new("<cube>"), e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{fixture, fixtures_with_ext};

    #[test]
    fn every_public_cube_parses() {
        let files = fixtures_with_ext("public", &["cube"]);
        assert!(files.len() >= 10);
        for f in files {
            let cube = read(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            assert!(
                cube.lut.is_some() || cube.shaper.is_some(),
                "{}",
                f.display()
            );
        }
    }

    #[test]
    fn resolve_shaper_and_3d_in_one_file() {
        let f = fixture("public/colour/colour/io/luts/tests/resources/resolve_cube/Three_Dimensional_Table_With_Shaper.cube");
        let cube = read(&f).unwrap();
        assert!(cube.shaper.is_some() && cube.lut.is_some());
    }

    #[test]
    fn problems_name_their_lines() {
        let err = parse(b"LUT_3D_SIZE 2\n0 0 0\n1 x 0\nFOO\n", Path::new("bad.cube")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("bad.cube:3:"), "{msg}");
        assert!(msg.contains("bad.cube:4:"), "{msg}");
    }

    #[test]
    fn write_then_read_round_trips() {
        let n = 3;
        let data: Vec<[f32; 3]> = (0..n * n * n)
            .map(|i| {
                [
                    (i % n) as f32 / 2.0,
                    ((i / n) % n) as f32 / 2.0,
                    (i / n / n) as f32 / 2.0,
                ]
            })
            .collect();
        let lut = Lut3d {
            size: n,
            data,
            domain_min: [0.0; 3],
            domain_max: [1.0; 3],
            interpolation: Interpolation::Tetrahedral,
            direction: Direction::Forward,
        };
        let mut out = Vec::new();
        write_cube(&mut out, "t", None, &lut).unwrap();
        let back = parse(&out, Path::new("t.cube")).unwrap();
        assert_eq!(back.lut.unwrap().data, lut.data);
    }
}

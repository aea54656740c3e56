//! Sony Pictures Imageworks LUT formats: `.spi1d` (1D table with a `From`
//! input range), `.spi3d` (3D table whose rows carry their own `r g b`
//! indices, in any order) and `.spimtx` (3x4 matrix, offsets in 16-bit code
//! values).

use std::path::Path;

use crate::formats::cube::MAX_LUT1D_SIZE;
use crate::grade::Op;
use crate::ops::{Direction, Interpolation, Lut1d, Lut3d, Matrix, MAX_LUT3D_SIZE};
use crate::{Error, Problems, Result};

fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn finite(w: &str) -> std::result::Result<f32, String> {
    match w.parse::<f32>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("{w:?} is not a finite number")),
    }
}

/// Reads a `.spi1d` file.
pub fn read_spi1d(path: &Path) -> Result<Lut1d> {
    parse_spi1d(&read_text(path)?, path)
}

pub fn parse_spi1d(text: &str, path: &Path) -> Result<Lut1d> {
    let mut p = Problems::new(path);
    let mut from = [0.0f32, 1.0];
    let mut length: Option<usize> = None;
    let mut components: Option<usize> = None;
    let mut in_data = false;
    let mut closed = false;
    let mut table: Vec<[f32; 3]> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        if line.is_empty() || closed || line.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if in_data {
            if line.starts_with('}') {
                closed = true;
                continue;
            }
            let comps = components.unwrap_or(1);
            if words.len() != comps {
                p.at(
                    line_no,
                    format!("expected {comps} values, found {}", words.len()),
                );
                continue;
            }
            let mut v = [0.0f32; 3];
            let mut ok = true;
            for (k, w) in words.iter().enumerate() {
                match finite(w) {
                    Ok(x) => v[k] = x,
                    Err(e) => {
                        p.at(line_no, e);
                        ok = false;
                    }
                }
            }
            if comps == 1 {
                v = [v[0]; 3];
            }
            if ok {
                if table.len() >= MAX_LUT1D_SIZE {
                    p.at(line_no, "more rows than the 1D LUT size limit");
                    break;
                }
                table.push(v);
            }
            continue;
        }
        match words[0] {
            "Version" => {}
            "From" => {
                if words.len() != 3 {
                    p.at(line_no, "From needs two numbers");
                } else {
                    match (finite(words[1]), finite(words[2])) {
                        (Ok(a), Ok(b)) => from = [a, b],
                        (Err(e), _) | (_, Err(e)) => p.at(line_no, e),
                    }
                }
            }
            "Length" => match words.get(1).and_then(|w| w.parse::<usize>().ok()) {
                Some(n) if (2..=MAX_LUT1D_SIZE).contains(&n) => length = Some(n),
                _ => p.at(line_no, format!("Length must be 2..={MAX_LUT1D_SIZE}")),
            },
            "Components" => match words.get(1).and_then(|w| w.parse::<usize>().ok()) {
                Some(n @ (1 | 3)) => components = Some(n),
                _ => p.at(line_no, "Components must be 1 or 3"),
            },
            "{" => in_data = true,
            other => p.at(line_no, format!("unknown keyword {other:?}")),
        }
    }
    if !in_data {
        p.file("no data block ({ ... })");
    } else if !closed {
        p.file("data block is not closed with }");
    }
    match length {
        None => p.file("missing Length"),
        Some(n) if in_data && closed && table.len() != n => p.file(format!(
            "Length is {n} but the data block holds {} rows",
            table.len()
        )),
        _ => {}
    }
    if from[0] >= from[1] {
        p.file("From range must increase");
    }
    p.finish()?;
    let lut = Lut1d {
        table,
        domain_min: [from[0]; 3],
        domain_max: [from[1]; 3],
        half_domain: false,
        direction: Direction::Forward,
    };
    lut.validate().map_err(|e| Error::invalid(path, e))?;
    Ok(lut)
}

/// Reads a `.spi3d` file.
pub fn read_spi3d(path: &Path) -> Result<Lut3d> {
    parse_spi3d(&read_text(path)?, path)
}

pub fn parse_spi3d(text: &str, path: &Path) -> Result<Lut3d> {
    let mut p = Problems::new(path);
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    match lines.next() {
        Some((_, l)) if l.trim_start().starts_with("SPILUT") => {}
        Some((i, _)) => p.at(i + 1, "expected the SPILUT header"),
        None => p.file("empty file"),
    }
    // Second line is "3 3" (input and output dimensions).
    let _ = lines.next();
    let mut size: Option<usize> = None;
    if let Some((i, l)) = lines.next() {
        let n: Vec<Option<usize>> = l.split_whitespace().map(|w| w.parse().ok()).collect();
        match n.as_slice() {
            [Some(a), Some(b), Some(c)] if a == b && b == c && (2..=MAX_LUT3D_SIZE).contains(a) => {
                size = Some(*a)
            }
            _ => p.at(
                i + 1,
                format!("expected three equal sizes 2..={MAX_LUT3D_SIZE}"),
            ),
        }
    } else {
        p.file("missing the size line");
    }
    let Some(n) = size else {
        p.finish()?;
        return Err(Error::invalid(path, "missing the size line"));
    };
    let mut data = vec![[0.0f32; 3]; n * n * n];
    let mut seen = vec![false; n * n * n];
    for (i, raw) in lines {
        let line_no = i + 1;
        let words: Vec<&str> = raw.split_whitespace().collect();
        if words.first().is_some_and(|w| w.starts_with('#')) {
            continue; // comment
        }
        if words.len() != 6 {
            p.at(line_no, format!("expected 6 values, found {}", words.len()));
            continue;
        }
        let idx: Vec<Option<usize>> = words[..3].iter().map(|w| w.parse().ok()).collect();
        let [Some(r), Some(g), Some(b)] = idx[..] else {
            p.at(line_no, "indices must be whole numbers");
            continue;
        };
        if r >= n || g >= n || b >= n {
            p.at(line_no, format!("index outside 0..{n}"));
            continue;
        }
        let mut v = [0.0f32; 3];
        let mut ok = true;
        for (k, w) in words[3..].iter().enumerate() {
            match finite(w) {
                Ok(x) => v[k] = x,
                Err(e) => {
                    p.at(line_no, e);
                    ok = false;
                }
            }
        }
        if ok {
            let at = r + n * (g + n * b);
            data[at] = v;
            seen[at] = true;
        }
    }
    let missing = seen.iter().filter(|s| !**s).count();
    if missing > 0 {
        p.file(format!("{missing} of {} lattice points missing", n * n * n));
    }
    p.finish()?;
    Ok(Lut3d {
        size: n,
        data,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        interpolation: Interpolation::Tetrahedral,
        direction: Direction::Forward,
    })
}

/// Reads a `.spimtx` file: 12 numbers, three rows of `m0 m1 m2 offset`,
/// offsets in 16-bit code values (divided by 65535).
pub fn read_spimtx(path: &Path) -> Result<Matrix> {
    parse_spimtx(&read_text(path)?, path)
}

pub fn parse_spimtx(text: &str, path: &Path) -> Result<Matrix> {
    let mut p = Problems::new(path);
    let mut v = Vec::new();
    for (i, l) in text.lines().enumerate() {
        for w in l.split_whitespace() {
            match finite(w) {
                Ok(x) => v.push(x as f64),
                Err(e) => p.at(i + 1, e),
            }
        }
    }
    if v.len() != 12 {
        p.file(format!("expected 12 numbers, found {}", v.len()));
    }
    p.finish()?;
    let row = |r: usize| [v[r * 4], v[r * 4 + 1], v[r * 4 + 2]];
    Ok(Matrix {
        m: [row(0), row(1), row(2)],
        offset: [v[3] / 65535.0, v[7] / 65535.0, v[11] / 65535.0],
    })
}

/// Reads any of the three into ops.
pub fn load(path: &Path, ext: &str) -> Result<Vec<Op>> {
    Ok(vec![match ext {
        "spi1d" => Op::Lut1d(read_spi1d(path)?),
        "spi3d" => Op::Lut3d(read_spi3d(path)?),
        _ => Op::Matrix(read_spimtx(path)?),
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_fixtures_load() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/public");
        let mut stack = vec![root];
        let mut n = 0;
        while let Some(d) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let ext = super::super::extension(&p);
                if matches!(ext.as_str(), "spi1d" | "spi3d" | "spimtx") {
                    let ops = load(&p, &ext).unwrap_or_else(|e| panic!("{e}"));
                    assert_eq!(ops.len(), 1);
                    n += 1;
                }
            }
        }
        println!("{n} spi fixtures loaded");
        assert!(n >= 5);
    }

    #[test]
    fn truncated_prefixes_never_panic() {
        let files = crate::testutil::fixtures_with_ext("public", &["spi1d", "spi3d", "spimtx"]);
        for p in files {
            let bytes = std::fs::read(&p).unwrap();
            let lens: Vec<usize> = if bytes.len() < 16 * 1024 {
                (0..=bytes.len()).collect()
            } else {
                (0..=300).map(|k| k * bytes.len() / 300).collect()
            };
            for len in lens {
                let t = String::from_utf8_lossy(&bytes[..len]);
                let _ = parse_spi1d(&t, &p);
                let _ = parse_spi3d(&t, &p);
                let _ = parse_spimtx(&t, &p);
            }
        }
    }

    #[test]
    fn malformed_names_line() {
        let e = parse_spi1d(
            "Version 1\nFrom 0 1\nLength 2\nComponents 1\n{\n0\nx\n}\n",
            Path::new("bad.spi1d"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("bad.spi1d") && e.contains('7'), "{e}");
    }
}

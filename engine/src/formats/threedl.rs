//! `.3dl` 3D LUTs (Discreet/Lustre/Nuke): an integer input mesh line whose
//! largest value gives the input bit depth, optional `3DMESH`/`Mesh` header,
//! integer (or float) rows with blue varying fastest, output scaled by the
//! bit depth the largest value implies.

use std::path::Path;

use crate::grade::Op;
use crate::ops::{Direction, Interpolation, Lut3d, MAX_LUT3D_SIZE};
use crate::{Error, Problems, Result};

/// The bit depth OpenColorIO infers from a table's largest value
/// (FileFormat3DL.cpp, `GetLikelyLutBitDepth`): the first even depth from 8
/// to 16 whose code range, allowing a 2x overshoot, holds it; 14 is read as
/// 16, anything larger as 16.
fn likely_bit_depth(v: f64) -> u32 {
    for bits in [8u32, 10, 12, 14, 16] {
        if v <= ((1u64 << bits) * 2 - 1) as f64 {
            return if bits == 14 { 16 } else { bits };
        }
    }
    16
}

pub fn read(path: &Path) -> Result<Lut3d> {
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    parse(&String::from_utf8_lossy(&bytes), path)
}

pub fn parse(text: &str, path: &Path) -> Result<Lut3d> {
    let mut p = Problems::new(path);
    let mut mesh: Option<Vec<f64>> = None;
    let mut rows: Vec<[f64; 3]> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if words[0].eq_ignore_ascii_case("3DMESH")
            || words[0].eq_ignore_ascii_case("Mesh")
            || words[0].eq_ignore_ascii_case("LUT8")
            || words[0].eq_ignore_ascii_case("gamma")
        {
            continue;
        }
        let nums: Vec<Option<f64>> = words
            .iter()
            .map(|w| w.parse::<f64>().ok().filter(|v| v.is_finite()))
            .collect();
        if nums.iter().any(|n| n.is_none()) {
            p.at(line_no, format!("{line:?} is not a row of numbers"));
            continue;
        }
        let nums: Vec<f64> = nums.into_iter().flatten().collect();
        if mesh.is_none() && rows.is_empty() && nums.len() != 3 && nums.len() >= 2 {
            if nums.len() > MAX_LUT3D_SIZE {
                p.at(line_no, format!("input mesh longer than {MAX_LUT3D_SIZE}"));
            }
            mesh = Some(nums);
        } else if nums.len() == 3 {
            if rows.len() >= MAX_LUT3D_SIZE.pow(3) {
                p.at(line_no, "more rows than the 3D LUT size limit");
                break;
            }
            rows.push([nums[0], nums[1], nums[2]]);
        } else {
            p.at(line_no, format!("expected 3 values, found {}", nums.len()));
        }
    }
    // Without an input mesh line the size comes from the row count and the
    // input covers 0..1.
    let n = match &mesh {
        Some(m) => m.len(),
        None => (1..=MAX_LUT3D_SIZE)
            .find(|k| k * k * k >= rows.len())
            .unwrap_or(0),
    };
    if n < 2 {
        p.file("no input mesh line and too few rows");
    }
    if n > MAX_LUT3D_SIZE || rows.len() != n * n * n {
        p.file(format!(
            "input mesh has {n} points, so {} rows are expected; found {}",
            n * n * n,
            rows.len()
        ));
    }
    p.finish()?;
    let (in_max, in_scale) = match &mesh {
        Some(m) => {
            let max = m.iter().cloned().fold(0.0f64, f64::max);
            (max, ((1u64 << likely_bit_depth(max)) - 1) as f64)
        }
        None => (1.0, 1.0),
    };
    let out_max = rows.iter().flatten().cloned().fold(0.0f64, f64::max);
    let out_scale = ((1u64 << likely_bit_depth(out_max)) - 1) as f64;
    let mut data = vec![[0.0f32; 3]; n * n * n];
    // File order: blue fastest; ours: red fastest.
    for (k, row) in rows.iter().enumerate() {
        let (r, g, b) = (k / (n * n), (k / n) % n, k % n);
        data[r + n * (g + n * b)] = [
            (row[0] / out_scale) as f32,
            (row[1] / out_scale) as f32,
            (row[2] / out_scale) as f32,
        ];
    }
    let hi = (in_max / in_scale) as f32;
    let lut = Lut3d {
        size: n,
        data,
        domain_min: [0.0; 3],
        domain_max: [if hi > 0.0 { hi } else { 1.0 }; 3],
        interpolation: Interpolation::Tetrahedral,
        direction: Direction::Forward,
    };
    lut.validate().map_err(|e| Error::invalid(path, e))?;
    Ok(lut)
}

pub fn load(path: &Path) -> Result<Vec<Op>> {
    Ok(vec![Op::Lut3d(read(path)?)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::fixtures_with_ext;

    #[test]
    fn truncated_prefixes_never_panic() {
        for p in fixtures_with_ext("public", &["3dl"]) {
            let bytes = std::fs::read(&p).unwrap();
            let lens: Vec<usize> = if bytes.len() < 16 * 1024 {
                (0..=bytes.len()).collect()
            } else {
                (0..=300).map(|k| k * bytes.len() / 300).collect()
            };
            for len in lens {
                let _ = parse(&String::from_utf8_lossy(&bytes[..len]), &p);
            }
        }
    }

    #[test]
    fn malformed_row_names_file_and_line() {
        let e = parse("0 512 1023\n0 0 0\nx 1 2\n", Path::new("bad.3dl"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("bad.3dl") && e.contains('3'), "{e}");
    }
}

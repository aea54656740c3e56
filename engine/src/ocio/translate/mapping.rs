//! The op mapping: each OpenColorIO transform the shim describes becomes
//! the grade op of the same meaning (the table in [`super`]), or, when grade
//! has no such op or does not accept its parameters, a name to bake.

use crate::grade::Op;
use crate::ops::rgb_curve::{BSplineCurve, RgbCurve, MAX_KNOTS};
use crate::ops::{
    Aces, AcesStyle, Cdl, CdlStyle, Direction, Exponent, ExponentStyle, Interpolation, Log,
    LogParams, LogStyle, Lut1d, Lut3d, Matrix, Range, RgbCurveStyle, MAX_LUT3D_SIZE,
};
use crate::Result;

use super::grading;
use super::wire::{Line, Numbers};

/// One transform of the processor: grade ops, or a name to bake.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Item {
    Ops(Vec<Op>),
    Bake(String),
}

/// Maps one line of `grade_ocio_describe` (grammar in `shim.h`) onto
/// grade ops, or names it for baking.
pub(super) fn map_line(text: &str) -> Result<Item> {
    let line = Line::parse(text)?;
    let bad = |what: &str| line.bad(what);
    let (direction, kind) = (line.direction, line.kind);
    let mut p = line.numbers();
    let item = match kind {
        "other" => Item::Bake(p.first().unwrap_or("Transform").to_string()),
        "matrix" => {
            let m = p.take::<16>().ok_or_else(|| bad("matrix"))?;
            let off = p.take::<4>().ok_or_else(|| bad("matrix offset"))?;
            matrix(m, off, direction)
        }
        "cdl" => {
            let style = match p.word() {
                Some("noclamp") => CdlStyle::NoClamp,
                _ => CdlStyle::Asc,
            };
            let (slope, offset, power) = (p.take::<3>(), p.take::<3>(), p.take::<3>());
            let sat = p.take::<1>();
            match (slope, offset, power, sat) {
                (Some(slope), Some(offset), Some(power), Some([saturation])) => checked(
                    "CDL",
                    Op::Cdl(Cdl {
                        id: None,
                        slope,
                        offset,
                        power,
                        saturation,
                        style,
                        direction,
                    }),
                ),
                _ => return Err(bad("cdl")),
            }
        }
        "lut1d" => lut1d(&mut p, direction).ok_or_else(|| bad("lut1d"))?,
        "lut3d" => lut3d(&mut p, direction).ok_or_else(|| bad("lut3d"))?,
        "aces" => aces(&mut p, direction).ok_or_else(|| bad("aces"))?,
        "rgbcurve" => rgb_curve(&mut p, direction).ok_or_else(|| bad("rgbcurve"))?,
        "range" => {
            let clamp = p.word() != Some("noclamp");
            let mut v = [None; 4];
            for x in v.iter_mut() {
                *x = match p.word().ok_or_else(|| bad("range"))? {
                    "-" => None,
                    w => Some(w.parse::<f64>().map_err(|_| bad("range"))?),
                };
            }
            let r = Range {
                min_in: v[0],
                max_in: v[1],
                min_out: v[2],
                max_out: v[3],
                clamp,
            };
            let r = match direction {
                Direction::Forward => r,
                Direction::Inverse => r.inverse(),
            };
            checked("Range", Op::Range(r))
        }
        "log" => {
            let [base] = p.take::<1>().ok_or_else(|| bad("log"))?;
            let style = match (base, direction) {
                (2.0, Direction::Forward) => LogStyle::Log2,
                (2.0, Direction::Inverse) => LogStyle::AntiLog2,
                (10.0, Direction::Forward) => LogStyle::Log10,
                (10.0, Direction::Inverse) => LogStyle::AntiLog10,
                (_, Direction::Forward) => LogStyle::LinToLog,
                (_, Direction::Inverse) => LogStyle::LogToLin,
            };
            let params = LogParams {
                base,
                ..LogParams::default()
            };
            checked(
                "Log",
                Op::Log(Log {
                    style,
                    params: [params; 3],
                }),
            )
        }
        "logaffine" | "logcamera" => {
            let camera = kind == "logcamera";
            let [base] = p.take::<1>().ok_or_else(|| bad(kind))?;
            let lss = p.take::<3>().ok_or_else(|| bad(kind))?;
            let lso = p.take::<3>().ok_or_else(|| bad(kind))?;
            let linss = p.take::<3>().ok_or_else(|| bad(kind))?;
            let linso = p.take::<3>().ok_or_else(|| bad(kind))?;
            let (brk, slope) = if camera {
                let brk = p.take::<3>().ok_or_else(|| bad(kind))?;
                let [has] = p.take::<1>().ok_or_else(|| bad(kind))?;
                let slope = p.take::<3>().ok_or_else(|| bad(kind))?;
                (Some(brk), (has != 0.0).then_some(slope))
            } else {
                (None, None)
            };
            let params = std::array::from_fn(|c| LogParams {
                base,
                log_side_slope: lss[c],
                log_side_offset: lso[c],
                lin_side_slope: linss[c],
                lin_side_offset: linso[c],
                lin_side_break: brk.map(|b| b[c]),
                linear_slope: slope.map(|s| s[c]),
            });
            let style = match (camera, direction) {
                (false, Direction::Forward) => LogStyle::LinToLog,
                (false, Direction::Inverse) => LogStyle::LogToLin,
                (true, Direction::Forward) => LogStyle::CameraLinToLog,
                (true, Direction::Inverse) => LogStyle::CameraLogToLin,
            };
            checked(
                if camera { "LogCamera" } else { "LogAffine" },
                Op::Log(Log { style, params }),
            )
        }
        "exponent" => {
            let neg = p.word().unwrap_or("");
            let v = p.take::<4>().ok_or_else(|| bad("exponent"))?;
            let fwd = direction == Direction::Forward;
            let style = match (neg, fwd) {
                ("clamp", true) => Some(ExponentStyle::BasicFwd),
                ("clamp", false) => Some(ExponentStyle::BasicRev),
                ("mirror", true) => Some(ExponentStyle::BasicMirrorFwd),
                ("mirror", false) => Some(ExponentStyle::BasicMirrorRev),
                ("passthru", true) => Some(ExponentStyle::BasicPassThruFwd),
                ("passthru", false) => Some(ExponentStyle::BasicPassThruRev),
                _ => None,
            };
            match style {
                Some(style) if v[3] == 1.0 => checked(
                    "Exponent",
                    Op::Exponent(Exponent {
                        style,
                        exponent: [v[0], v[1], v[2]],
                        offset: [0.0; 3],
                    }),
                ),
                _ => Item::Bake("Exponent".into()),
            }
        }
        "exponentlinear" => {
            let neg = p.word().unwrap_or("");
            let g = p.take::<4>().ok_or_else(|| bad("exponentlinear"))?;
            let o = p.take::<4>().ok_or_else(|| bad("exponentlinear"))?;
            let fwd = direction == Direction::Forward;
            let style = match (neg, fwd) {
                ("linear", true) => Some(ExponentStyle::MonCurveFwd),
                ("linear", false) => Some(ExponentStyle::MonCurveRev),
                ("mirror", true) => Some(ExponentStyle::MonCurveMirrorFwd),
                ("mirror", false) => Some(ExponentStyle::MonCurveMirrorRev),
                _ => None,
            };
            match style {
                Some(style) if g[3] == 1.0 && o[3] == 0.0 => checked(
                    "ExponentWithLinear",
                    Op::Exponent(Exponent {
                        style,
                        exponent: [g[0], g[1], g[2]],
                        offset: [o[0], o[1], o[2]],
                    }),
                ),
                _ => Item::Bake("ExponentWithLinear".into()),
            }
        }
        "exposurecontrast" => {
            grading::exposure_contrast(&mut p, direction).ok_or_else(|| bad(kind))?
        }
        "gradingprimary" => grading::grading_primary(&mut p, direction).ok_or_else(|| bad(kind))?,
        "gradingtone" => grading::grading_tone(&mut p, direction).ok_or_else(|| bad(kind))?,
        "fixed" => grading::fixed_function(&mut p, direction).ok_or_else(|| bad(kind))?,
        _ => Item::Bake(kind.to_string()),
    };
    Ok(item)
}

/// The op when grade accepts its parameters, else a bake of `name`.
pub(super) fn checked(name: &str, op: Op) -> Item {
    match op.validate() {
        Ok(()) => Item::Ops(vec![op]),
        Err(_) => Item::Bake(name.into()),
    }
}

fn matrix(m: [f64; 16], off: [f64; 4], direction: Direction) -> Item {
    let alpha_untouched = m[3] == 0.0
        && m[7] == 0.0
        && m[11] == 0.0
        && m[12] == 0.0
        && m[13] == 0.0
        && m[14] == 0.0
        && m[15] == 1.0
        && off[3] == 0.0;
    if !alpha_untouched {
        return Item::Bake("Matrix(alpha)".into());
    }
    let fwd = Matrix {
        m: [[m[0], m[1], m[2]], [m[4], m[5], m[6]], [m[8], m[9], m[10]]],
        offset: [off[0], off[1], off[2]],
    };
    let op = match direction {
        Direction::Forward => fwd,
        Direction::Inverse => match fwd.inverse() {
            Ok(m) => m,
            Err(_) => return Item::Bake("Matrix".into()),
        },
    };
    checked("Matrix", Op::Matrix(op))
}

fn lut1d(p: &mut Numbers, direction: Direction) -> Option<Item> {
    let interp = p.word()?.to_string();
    let half = p.word()? == "1";
    let hue = p.word()? == "1";
    let n = p.count(crate::ops::lut1d::MAX_LUT1D_SIZE)?;
    let table = p.rgb(n)?;
    if interp != "linear" || hue {
        return Some(Item::Bake("Lut1D".into()));
    }
    let lut = Lut1d {
        table,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        half_domain: half,
        direction,
    };
    let lut = super::curves::current_curve(&lut).unwrap_or(lut);
    Some(checked("Lut1D", Op::Lut1d(lut)))
}

fn lut3d(p: &mut Numbers, direction: Direction) -> Option<Item> {
    let interp = p.word()?;
    let interpolation = if interp == "tetrahedral" {
        Interpolation::Tetrahedral
    } else {
        Interpolation::Trilinear
    };
    let n: usize = p.word()?.parse().ok()?;
    if n > MAX_LUT3D_SIZE {
        return Some(Item::Bake("Lut3D".into()));
    }
    let data = p.rgb(n * n * n)?;
    // An inverse is OpenColorIO's exact inverse (`ops/lut3d/inverse.rs`).
    Some(checked(
        "Lut3D",
        Op::Lut3d(Lut3d {
            size: n,
            data,
            domain_min: [0.0; 3],
            domain_max: [1.0; 3],
            interpolation,
            direction,
        }),
    ))
}

/// `aces <Style> n params[n]`: an ACES 1.x fixed function.
fn aces(p: &mut Numbers, direction: Direction) -> Option<Item> {
    let name = p.word()?;
    let n: usize = p.word()?.parse().ok()?;
    if n > 16 {
        return None;
    }
    let mut params = Vec::with_capacity(n);
    for _ in 0..n {
        params.push(p.word()?.parse().ok()?);
    }
    Some(match AcesStyle::from_ocio_name(name) {
        Some(style) => checked(
            name,
            Op::Aces(Aces {
                style,
                direction,
                params,
            }),
        ),
        None => Item::Bake(format!("FixedFunction:{name}")),
    })
}

/// `rgbcurve style bypass` then four curves of `n x y ... slopes`.
fn rgb_curve(p: &mut Numbers, direction: Direction) -> Option<Item> {
    let style = match p.word()? {
        "lin" => RgbCurveStyle::Lin,
        "log" => RgbCurveStyle::Log,
        "video" => RgbCurveStyle::Video,
        _ => return None,
    };
    let bypass_lin_to_log = p.word()? == "1";
    let mut curves = Vec::with_capacity(4);
    let mut f32s =
        |n: usize| -> Option<Vec<f32>> { (0..n).map(|_| p.word()?.parse().ok()).collect() };
    for _ in 0..4 {
        let n: usize = f32s(1)?[0] as usize;
        if n > MAX_KNOTS {
            return None;
        }
        let xy = f32s(2 * n)?;
        curves.push(BSplineCurve {
            points: xy.chunks_exact(2).map(|c| [c[0], c[1]]).collect(),
            slopes: f32s(n)?,
        });
    }
    Some(checked(
        "GradingRGBCurve",
        Op::RgbCurve(RgbCurve {
            style,
            direction,
            bypass_lin_to_log,
            curves: curves.try_into().ok()?,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_kind() {
        let m = map_line("f matrix 2 0 0 0 0 2 0 0 0 0 2 0 0 0 0 1 0.1 0 0 0").unwrap();
        match m {
            Item::Ops(ops) => assert_eq!(
                ops,
                [Op::Matrix(Matrix::scale_offset([2.0; 3], [0.1, 0.0, 0.0]))]
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            map_line("f matrix 1 0 0 0.5 0 1 0 0 0 0 1 0 0 0 0 1 0 0 0 0").unwrap(),
            Item::Bake("Matrix(alpha)".into())
        );
        assert_eq!(
            map_line("f other FixedFunction:ACES_RedMod03").unwrap(),
            Item::Bake("FixedFunction:ACES_RedMod03".into())
        );
        let l = map_line("i lut3d tetrahedral 2 0 0 0 1 0 0 0 1 0 1 1 0 0 0 1 1 0 1 0 1 1 1 1 1")
            .unwrap();
        assert!(
            matches!(&l, Item::Ops(ops) if matches!(&ops[0], Op::Lut3d(l) if l.direction == Direction::Inverse)),
            "an inverse 3D LUT maps onto the op, not a bake: {l:?}"
        );
        match map_line("i log 2").unwrap() {
            Item::Ops(ops) => {
                assert!(matches!(&ops[0], Op::Log(l) if l.style == LogStyle::AntiLog2))
            }
            other => panic!("{other:?}"),
        }
        match map_line("f range clamp 0.1 - 0 -").unwrap() {
            Item::Ops(ops) => assert!(matches!(&ops[0], Op::Range(r) if r.max_out.is_none())),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn aces_fixed_functions_and_rgb_curves_map_to_their_ops() {
        match map_line("i aces ACES_GamutComp13 7 1.147 1.264 1.312 0.815 0.803 0.88 1.2").unwrap()
        {
            Item::Ops(ops) => {
                assert_eq!(
                    ops,
                    [Op::Aces(Aces::gamut_comp13_reference(Direction::Inverse))]
                )
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            map_line("f aces ACES_Glow10 0").unwrap(),
            Item::Ops(vec![Op::Aces(Aces::new(
                AcesStyle::Glow10,
                Direction::Forward
            ))])
        );
        // Parameters grade does not accept are baked, not mapped.
        assert_eq!(
            map_line("f aces ACES_GamutComp13 7 1.147 1.264 1.312 0.815 0.803 1.5 1.2").unwrap(),
            Item::Bake("ACES_GamutComp13".into())
        );
        let line = "f rgbcurve log 0 2 0 0 1 1 0 0 2 0 0 1 1 0 0 2 0 0 1 1 0 0 \
                    3 0 0.1 0.5 0.4 1 0.9 0 0 0";
        match map_line(line).unwrap() {
            Item::Ops(ops) => match &ops[0] {
                Op::RgbCurve(c) => {
                    assert_eq!(c.style, RgbCurveStyle::Log);
                    assert_eq!(c.curves[3].points, [[0.0, 0.1], [0.5, 0.4], [1.0, 0.9]]);
                    assert_eq!(c.curves[0], BSplineCurve::identity());
                }
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn malformed_lines_are_errors_not_panics() {
        for line in [
            "",
            "x matrix",
            "f matrix 1 2",
            "f lut1d linear 0 0 99999999999 1 2 3",
            "f lut3d tetrahedral 3 0 0",
            "f cdl asc 1 1",
            "f range clamp a b c d",
            "f logcamera 10 1 1 1",
            "f aces ACES_Glow10",
            "f aces ACES_GamutComp13 7 1 2",
            "f rgbcurve log 0 2 0 0 1",
            "f rgbcurve lin 1 99999999999",
            "f rgbcurve log 0 -3",
        ] {
            let _ = map_line(line);
        }
        assert!(map_line("f lut1d linear 0 0 4 0 0 0").is_err());
    }
}

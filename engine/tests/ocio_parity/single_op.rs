//! Every op style built here, written as a one-op CLF for OpenColorIO,
//! and compared op by op.

use super::*;

/// `v` as CLF text that reads back as the same number.
pub(crate) fn num(v: f64) -> String {
    format!("{v:?}")
}

/// One op as a CLF v3 ProcessList, as OCIO reads it. LUTs are written
/// forward whatever their direction (CLF v3 has no inverse LUT elements);
/// the caller asks OCIO for the inverse.
pub(crate) fn clf(op: &Op) -> String {
    const IO: &str = r#"inBitDepth="32f" outBitDepth="32f""#;
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ProcessList id=\"parity\" compCLFversion=\"3\">\n",
    );
    match op {
        Op::Log(l) => {
            let _ = writeln!(s, "<Log {IO} style=\"{}\">", log_style_name(l.style));
            if !matches!(
                l.style,
                LogStyle::Log10 | LogStyle::Log2 | LogStyle::AntiLog10 | LogStyle::AntiLog2
            ) {
                for (p, ch) in l.params.iter().zip(["R", "G", "B"]) {
                    let _ = write!(
                        s,
                        "<LogParams channel=\"{ch}\" base=\"{}\" logSideSlope=\"{}\" logSideOffset=\"{}\" linSideSlope=\"{}\" linSideOffset=\"{}\"",
                        num(p.base),
                        num(p.log_side_slope),
                        num(p.log_side_offset),
                        num(p.lin_side_slope),
                        num(p.lin_side_offset)
                    );
                    if let Some(b) = p.lin_side_break {
                        let _ = write!(s, " linSideBreak=\"{}\"", num(b));
                    }
                    if let Some(m) = p.linear_slope {
                        let _ = write!(s, " linearSlope=\"{}\"", num(m));
                    }
                    s.push_str("/>\n");
                }
            }
            s.push_str("</Log>\n");
        }
        Op::Exponent(e) => {
            let _ = writeln!(
                s,
                "<Exponent {IO} style=\"{}\">",
                exponent_style_name(e.style)
            );
            let moncurve = matches!(
                e.style,
                ExponentStyle::MonCurveFwd
                    | ExponentStyle::MonCurveRev
                    | ExponentStyle::MonCurveMirrorFwd
                    | ExponentStyle::MonCurveMirrorRev
            );
            for c in 0..3 {
                let _ = write!(
                    s,
                    "<ExponentParams channel=\"{}\" exponent=\"{}\"",
                    ["R", "G", "B"][c],
                    num(e.exponent[c])
                );
                if moncurve {
                    let _ = write!(s, " offset=\"{}\"", num(e.offset[c]));
                }
                s.push_str("/>\n");
            }
            s.push_str("</Exponent>\n");
        }
        Op::Range(r) => {
            let style = if r.clamp { "Clamp" } else { "noClamp" };
            let _ = writeln!(s, "<Range {IO} style=\"{style}\">");
            for (tag, v) in [
                ("minInValue", r.min_in),
                ("maxInValue", r.max_in),
                ("minOutValue", r.min_out),
                ("maxOutValue", r.max_out),
            ] {
                if let Some(v) = v {
                    let _ = writeln!(s, "<{tag}>{}</{tag}>", num(v));
                }
            }
            s.push_str("</Range>\n");
        }
        Op::Matrix(m) => {
            let _ = writeln!(s, "<Matrix {IO}>\n<Array dim=\"3 4 3\">");
            for i in 0..3 {
                let _ = writeln!(
                    s,
                    "{} {} {} {}",
                    num(m.m[i][0]),
                    num(m.m[i][1]),
                    num(m.m[i][2]),
                    num(m.offset[i])
                );
            }
            s.push_str("</Array>\n</Matrix>\n");
        }
        Op::Lut1d(l) => {
            let tag = "LUT1D";
            let half = if l.half_domain {
                " halfDomain=\"true\""
            } else {
                ""
            };
            let _ = writeln!(s, "<{tag} {IO}{half}>\n<Array dim=\"{} 3\">", l.table.len());
            for v in &l.table {
                let _ = writeln!(s, "{:?} {:?} {:?}", v[0], v[1], v[2]);
            }
            let _ = writeln!(s, "</Array>\n</{tag}>");
        }
        Op::Lut3d(l) => {
            let tag = "LUT3D";
            let interp = match l.interpolation {
                Interpolation::Tetrahedral => "tetrahedral",
                Interpolation::Trilinear => "trilinear",
            };
            let n = l.size;
            let _ = writeln!(
                s,
                "<{tag} {IO} interpolation=\"{interp}\">\n<Array dim=\"{n} {n} {n} 3\">"
            );
            // CLF lattices run blue fastest; grade's run red fastest.
            for r in 0..n {
                for g in 0..n {
                    for b in 0..n {
                        let v = l.data[r + n * (g + n * b)];
                        let _ = writeln!(s, "{:?} {:?} {:?}", v[0], v[1], v[2]);
                    }
                }
            }
            let _ = writeln!(s, "</Array>\n</{tag}>");
        }
        // CDLs and primaries are compared in cdl.rs; the ops of OpenColorIO
        // transforms that CLF v3 has no element for in their own tests.
        other => unreachable!("{} is not written as CLF here", other.name()),
    }
    s.push_str("</ProcessList>\n");
    s
}

/// Camera-log parameters in the manner of ARRI LogC, varied per channel so
/// that a channel mix-up shows.
pub(crate) fn camera_params(linear_slope: bool) -> [LogParams; 3] {
    [0.0, 0.01, -0.01].map(|d| LogParams {
        base: 10.0,
        log_side_slope: 0.247189 + d,
        log_side_offset: 0.385537,
        lin_side_slope: 5.555556 * (1.0 + d),
        lin_side_offset: 0.052272,
        lin_side_break: Some(0.010591),
        linear_slope: linear_slope.then_some(5.367655 * (1.0 + d)),
    })
}

pub(crate) fn lin_log_params() -> [LogParams; 3] {
    [0.0, 0.02, -0.02].map(|d| LogParams {
        base: 10.0,
        log_side_slope: 0.25 + d,
        log_side_offset: 0.6,
        lin_side_slope: 1.2,
        lin_side_offset: 0.05 + d,
        lin_side_break: None,
        linear_slope: None,
    })
}

/// A look over [0,1]: channel mixing then a soft S-curve.
pub(crate) fn look(r: f32, g: f32, b: f32) -> [f32; 3] {
    let s = |x: f32| {
        let x = x.clamp(0.0, 1.0);
        0.5 * (x + x * x * (3.0 - 2.0 * x))
    };
    [
        s(0.85 * r + 0.1 * g + 0.05 * b),
        s(0.05 * r + 0.9 * g + 0.05 * b),
        s(0.02 * r + 0.08 * g + 0.9 * b),
    ]
}

pub(crate) fn lut3d(size: usize, interpolation: Interpolation, direction: Direction) -> Lut3d {
    let f = |i: usize| i as f32 / (size - 1) as f32;
    let mut data = Vec::with_capacity(size * size * size);
    for b in 0..size {
        for g in 0..size {
            for r in 0..size {
                data.push(look(f(r), f(g), f(b)));
            }
        }
    }
    Lut3d {
        size,
        data,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        interpolation,
        direction,
    }
}

/// A monotonic per-channel curve with different shapes per channel.
pub(crate) fn lut1d(n: usize, direction: Direction) -> Lut1d {
    let table = (0..n)
        .map(|i| {
            let x = i as f32 / (n - 1) as f32;
            [x.powf(0.45), x.powf(0.6) * 1.1, 0.05 + 0.9 * x * x]
        })
        .collect();
    Lut1d {
        table,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        half_domain: false,
        direction,
    }
}

/// A half-domain 1D LUT: one entry per half-float bit pattern, a signed
/// square-root-like curve (NaN and infinite codes map to 0).
pub(crate) fn lut1d_half() -> Lut1d {
    let table = (0..=u16::MAX)
        .map(|h| {
            let x = half::f16::from_bits(h).to_f32();
            let v = if x.is_finite() {
                x.signum() * x.abs().powf(0.5)
            } else {
                0.0
            };
            [v, v * 0.9, v * 1.1]
        })
        .collect();
    Lut1d {
        table,
        domain_min: [0.0; 3],
        domain_max: [1.0; 3],
        half_domain: true,
        direction: Direction::Forward,
    }
}

/// Single ops covering every Log, Exponent and Range style, matrices and
/// LUTs, named for their trial.
pub(crate) fn single_ops() -> Vec<(String, Op)> {
    let mut ops = Vec::new();
    for style in [
        LogStyle::Log10,
        LogStyle::Log2,
        LogStyle::AntiLog10,
        LogStyle::AntiLog2,
        LogStyle::LinToLog,
        LogStyle::LogToLin,
        LogStyle::CameraLinToLog,
        LogStyle::CameraLogToLin,
    ] {
        let params = match style {
            LogStyle::CameraLinToLog | LogStyle::CameraLogToLin => camera_params(false),
            LogStyle::LinToLog | LogStyle::LogToLin => lin_log_params(),
            _ => [LogParams::default(); 3],
        };
        ops.push((format!("log::{style:?}"), Op::Log(Log { style, params })));
    }
    for style in [LogStyle::CameraLinToLog, LogStyle::CameraLogToLin] {
        let params = camera_params(true);
        ops.push((
            format!("log::{style:?}::linear_slope"),
            Op::Log(Log { style, params }),
        ));
    }
    for style in [
        ExponentStyle::BasicFwd,
        ExponentStyle::BasicRev,
        ExponentStyle::BasicMirrorFwd,
        ExponentStyle::BasicMirrorRev,
        ExponentStyle::BasicPassThruFwd,
        ExponentStyle::BasicPassThruRev,
        ExponentStyle::MonCurveFwd,
        ExponentStyle::MonCurveRev,
        ExponentStyle::MonCurveMirrorFwd,
        ExponentStyle::MonCurveMirrorRev,
    ] {
        let moncurve = format!("{style:?}").starts_with("MonCurve");
        let e = Exponent {
            style,
            exponent: [2.2, 2.4, 2.6],
            offset: if moncurve {
                [0.055, 0.099, 0.04]
            } else {
                [0.0; 3]
            },
        };
        ops.push((format!("exponent::{style:?}"), Op::Exponent(e)));
    }
    let range = |min_in, max_in, min_out, max_out, clamp| Range {
        min_in,
        max_in,
        min_out,
        max_out,
        clamp,
    };
    for (name, r) in [
        (
            "clamp",
            range(Some(0.1), Some(0.9), Some(-0.05), Some(1.05), true),
        ),
        (
            "no_clamp",
            range(Some(0.1), Some(0.9), Some(-0.05), Some(1.05), false),
        ),
        // One-sided ranges are clamps: CLF asks in == out for the bound given.
        (
            "min_only",
            range(Some(0.064), None, Some(0.064), None, true),
        ),
        ("max_only", range(None, Some(0.94), None, Some(0.94), true)),
    ] {
        ops.push((format!("range::{name}"), Op::Range(r)));
    }
    ops.push((
        "matrix::3x4".into(),
        Op::Matrix(Matrix {
            m: [[0.9, 0.08, 0.02], [0.05, 1.1, -0.15], [-0.02, 0.1, 0.92]],
            offset: [0.01, -0.02, 0.03],
        }),
    ));
    ops.push((
        "lut1d::1024".into(),
        Op::Lut1d(lut1d(1024, Direction::Forward)),
    ));
    ops.push((
        "lut1d::1024::inverse".into(),
        Op::Lut1d(lut1d(1024, Direction::Inverse)),
    ));
    ops.push(("lut1d::half_domain".into(), Op::Lut1d(lut1d_half())));
    for (name, interp) in [
        ("tetrahedral", Interpolation::Tetrahedral),
        ("trilinear", Interpolation::Trilinear),
    ] {
        for size in [17, 33] {
            ops.push((
                format!("lut3d::{size}::{name}"),
                Op::Lut3d(lut3d(size, interp, Direction::Forward)),
            ));
        }
    }
    ops.push((
        "lut3d::17::inverse".into(),
        Op::Lut3d(lut3d(17, Interpolation::Tetrahedral, Direction::Inverse)),
    ));
    ops
}

pub(crate) fn single_op_trial(name: &str, op: Op) -> Result<Completion, Failed> {
    let dir = tempfile::tempdir().map_err(|e| format!("temporary folder: {e}"))?;
    let path = dir.path().join(format!("{}.clf", name.replace("::", "_")));
    std::fs::write(&path, clf(&op)).map_err(|e| format!("{}: {e}", path.display()))?;
    let direction = match &op {
        Op::Lut1d(l) => l.direction,
        Op::Lut3d(l) => l.direction,
        _ => Direction::Forward,
    };
    let ocio = Processor::from_file(&path, None, FileInterpolation::Best, direction)
        .and_then(|p| p.with_optimization(Optimization::None))
        .map_err(|e| format!("OCIO: {e}"))?;
    // Every op here is well-formed; one grade declines is a known gap,
    // shown as ignored with grade's reason.
    if let Err(e) = op.validate() {
        return Ok(Completion::ignored_with(format!("grade: {e}")));
    }
    check(name, &Program { ops: vec![op] }, &ocio)?;
    Ok(Completion::Completed)
}

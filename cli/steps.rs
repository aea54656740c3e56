//! Turns the grade flags into an engine [`Grade`], in the order written.
//!
//! clap groups values by flag, so the order of steps is recovered from the
//! argument indices clap records: `--cdl a.cc --lut show.cube --exposure 0.5`
//! is three steps in that order, and `--invert` inverts the step written
//! just before it. Consecutive inline CDL flags (`--slope --offset --power
//! --sat`) make one CDL, as on a grading desk.

use anyhow::{bail, Context, Result};
use clap::ArgMatches;
use grade_engine::grade::{Grade, Op, Step};
use grade_engine::ops::{Cdl, CdlStyle, Interpolation, Primary};

use crate::args::{CdlStyleArg, GradeArgs, InterpArg};

#[derive(Debug)]
enum Raw {
    CdlFile(String),
    Lut(std::path::PathBuf),
    Slope([f64; 3]),
    Offset([f64; 3]),
    Power([f64; 3]),
    Sat(f64),
    Exposure(f64),
    Contrast(f64, f64),
    Lift([f64; 3]),
    Gamma([f64; 3]),
    Gain([f64; 3]),
    Saturation(f64),
    Invert,
    /// `--from A --to B`, placed at the first of the pair.
    Convert(String, String),
    /// `--colorspace`, `--look`, `--display`, `--ocio-file`.
    Ocio(OcioRaw),
}

/// An OpenColorIO step as written. Without the `ocio` feature the steps
/// are refused before their values are read.
#[derive(Debug)]
#[cfg_attr(not(feature = "ocio"), allow(dead_code))]
enum OcioRaw {
    Colorspace(String),
    Look(String),
    Display(String),
    File(std::path::PathBuf),
}

/// Values of a 1-or-3-valued flag, one triple per occurrence, with the index
/// of each occurrence's first value.
fn triples(m: &ArgMatches, id: &str) -> Result<Vec<(usize, [f64; 3])>> {
    let Some(occ) = m.get_occurrences::<f64>(id) else {
        return Ok(vec![]);
    };
    let indices: Vec<usize> = m.indices_of(id).map(|i| i.collect()).unwrap_or_default();
    let mut out = Vec::new();
    let mut k = 0;
    for values in occ {
        let v: Vec<f64> = values.copied().collect();
        let idx = indices.get(k).copied().unwrap_or(usize::MAX);
        k += v.len();
        let t = match v.as_slice() {
            [a] => [*a; 3],
            [r, g, b] => [*r, *g, *b],
            _ => bail!("--{id} takes one value or three (R G B), not {}", v.len()),
        };
        out.push((idx, t));
    }
    Ok(out)
}

fn singles<T: Clone + Send + Sync + 'static>(m: &ArgMatches, id: &str) -> Vec<(usize, T)> {
    match (m.get_many::<T>(id), m.indices_of(id)) {
        (Some(v), Some(i)) => i.zip(v.cloned()).collect(),
        _ => vec![],
    }
}

/// Builds the grade. `m` are the matches of the subcommand holding the
/// flattened [`GradeArgs`].
pub fn grade_from_args(args: &GradeArgs, m: &ArgMatches) -> Result<Grade> {
    build(raw_steps(args, m)?, args)
}

/// The grade steps in words, in order (`shot.cc`, `exposure 0.5`,
/// `logc3 to rec709`), for a title that says what a baked LUT holds.
pub fn describe(args: &GradeArgs, m: &ArgMatches) -> Result<Vec<String>> {
    fn name(p: &std::path::Path) -> String {
        p.file_name()
            .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into())
    }
    fn rgb(v: &[f64; 3]) -> String {
        if v[0] == v[1] && v[1] == v[2] {
            format!("{}", v[0])
        } else {
            format!("{} {} {}", v[0], v[1], v[2])
        }
    }
    let mut out: Vec<String> = Vec::new();
    for (_, r) in raw_steps(args, m)? {
        let label = match r {
            Raw::CdlFile(spec) => {
                let (path, id) = split_selector(&spec);
                match id {
                    Some(id) => format!("{}#{id}", name(&path)),
                    None => name(&path),
                }
            }
            Raw::Lut(p) => name(&p),
            Raw::Slope(v) => format!("slope {}", rgb(&v)),
            Raw::Offset(v) => format!("offset {}", rgb(&v)),
            Raw::Power(v) => format!("power {}", rgb(&v)),
            Raw::Sat(v) => format!("sat {v}"),
            Raw::Exposure(v) => format!("exposure {v}"),
            Raw::Contrast(v, _) => format!("contrast {v}"),
            Raw::Lift(v) => format!("lift {}", rgb(&v)),
            Raw::Gamma(v) => format!("gamma {}", rgb(&v)),
            Raw::Gain(v) => format!("gain {}", rgb(&v)),
            Raw::Saturation(v) => format!("saturation {v}"),
            Raw::Invert => {
                if let Some(last) = out.last_mut() {
                    last.push_str(" inverted");
                }
                continue;
            }
            Raw::Convert(a, b) => format!("{a} to {b}"),
            Raw::Ocio(OcioRaw::Colorspace(v)) => format!("colorspace {v}"),
            Raw::Ocio(OcioRaw::Look(v)) => format!("look {v}"),
            Raw::Ocio(OcioRaw::Display(v)) => format!("display {v}"),
            Raw::Ocio(OcioRaw::File(p)) => name(&p),
        };
        out.push(label);
    }
    Ok(out)
}

/// The grade flags as written, in command-line order.
fn raw_steps(args: &GradeArgs, m: &ArgMatches) -> Result<Vec<(usize, Raw)>> {
    let mut raw: Vec<(usize, Raw)> = Vec::new();
    raw.extend(
        singles::<String>(m, "cdl")
            .into_iter()
            .map(|(i, v)| (i, Raw::CdlFile(v))),
    );
    raw.extend(
        singles::<std::path::PathBuf>(m, "lut")
            .into_iter()
            .map(|(i, v)| (i, Raw::Lut(v))),
    );
    raw.extend(
        triples(m, "slope")?
            .into_iter()
            .map(|(i, v)| (i, Raw::Slope(v))),
    );
    raw.extend(
        triples(m, "offset")?
            .into_iter()
            .map(|(i, v)| (i, Raw::Offset(v))),
    );
    raw.extend(
        triples(m, "power")?
            .into_iter()
            .map(|(i, v)| (i, Raw::Power(v))),
    );
    raw.extend(
        singles::<f64>(m, "sat")
            .into_iter()
            .map(|(i, v)| (i, Raw::Sat(v))),
    );
    raw.extend(
        singles::<f64>(m, "exposure")
            .into_iter()
            .map(|(i, v)| (i, Raw::Exposure(v))),
    );
    for (i, s) in singles::<String>(m, "contrast") {
        let (v, pivot) = match s.split_once(':') {
            Some((v, p)) => (v, Some(p)),
            None => (s.as_str(), None),
        };
        let v: f64 = v
            .trim()
            .parse()
            .with_context(|| format!("--contrast {s}: expected a number, or V:PIVOT"))?;
        let pivot = match pivot {
            Some(p) => p
                .trim()
                .parse()
                .with_context(|| format!("--contrast {s}: the pivot is not a number"))?,
            None => Primary::default().pivot,
        };
        raw.push((i, Raw::Contrast(v, pivot)));
    }
    raw.extend(
        triples(m, "lift")?
            .into_iter()
            .map(|(i, v)| (i, Raw::Lift(v))),
    );
    raw.extend(
        triples(m, "gamma")?
            .into_iter()
            .map(|(i, v)| (i, Raw::Gamma(v))),
    );
    raw.extend(
        triples(m, "gain")?
            .into_iter()
            .map(|(i, v)| (i, Raw::Gain(v))),
    );
    raw.extend(
        singles::<f64>(m, "saturation")
            .into_iter()
            .map(|(i, v)| (i, Raw::Saturation(v))),
    );
    if !args.invert.is_empty()
        && m.value_source("invert") == Some(clap::parser::ValueSource::CommandLine)
    {
        if let Some(i) = m.indices_of("invert") {
            raw.extend(i.map(|i| (i, Raw::Invert)));
        }
    }
    let (froms, tos) = (singles::<String>(m, "from"), singles::<String>(m, "to"));
    if froms.len() != tos.len() {
        bail!(
            "each --from NAME needs a --to NAME (got {} --from, {} --to)",
            froms.len(),
            tos.len()
        );
    }
    for ((i, a), (j, b)) in froms.into_iter().zip(tos) {
        raw.push((i.min(j), Raw::Convert(a, b)));
    }
    for (id, make) in [
        ("colorspace", OcioRaw::Colorspace as fn(String) -> OcioRaw),
        ("look", OcioRaw::Look),
        ("display", OcioRaw::Display),
    ] {
        raw.extend(
            singles::<String>(m, id)
                .into_iter()
                .map(|(i, v)| (i, Raw::Ocio(make(v)))),
        );
    }
    raw.extend(
        singles::<std::path::PathBuf>(m, "ocio_file")
            .into_iter()
            .map(|(i, v)| (i, Raw::Ocio(OcioRaw::File(v)))),
    );
    raw.sort_by_key(|(i, _)| *i);
    Ok(raw)
}

/// `--ocio-config`, else `$OCIO`; `None` when neither is given (the caller
/// says how to give one).
pub fn ocio_config_path(flag: Option<&std::path::PathBuf>) -> Option<std::path::PathBuf> {
    flag.cloned().or_else(|| {
        std::env::var_os("OCIO")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
    })
}

fn build(raw: Vec<(usize, Raw)>, args: &GradeArgs) -> Result<Grade> {
    let ocio_config = ocio_config_path(args.ocio_config.as_ref());

    let style = match args.cdl_style {
        CdlStyleArg::Asc => CdlStyle::Asc,
        CdlStyleArg::NoClamp => CdlStyle::NoClamp,
    };
    // Without --interp each file keeps its own (formats::Format).
    let interp = args.interp.map(|i| match i {
        InterpArg::Tetrahedral => Interpolation::Tetrahedral,
        InterpArg::Trilinear => Interpolation::Trilinear,
    });

    let mut steps: Vec<Step> = Vec::new();
    // Which inline CDL fields the open inline CDL (the last step) has set.
    let mut open_cdl: Option<[bool; 4]> = None;
    let mut raw = raw.into_iter().peekable();
    while let Some((_, r)) = raw.next() {
        let cdl_field = match &r {
            Raw::Slope(_) => Some(0),
            Raw::Offset(_) => Some(1),
            Raw::Power(_) => Some(2),
            Raw::Sat(_) => Some(3),
            _ => None,
        };
        if let Some(f) = cdl_field {
            let reuse = matches!(open_cdl, Some(set) if !set[f]);
            if !reuse {
                steps.push(Step::Cdl(Cdl {
                    style,
                    ..Cdl::default()
                }));
                open_cdl = Some([false; 4]);
            }
            if let (Some(set), Some(Step::Cdl(cdl))) = (open_cdl.as_mut(), steps.last_mut()) {
                set[f] = true;
                match r {
                    Raw::Slope(v) => cdl.slope = v,
                    Raw::Offset(v) => cdl.offset = v,
                    Raw::Power(v) => cdl.power = v,
                    Raw::Sat(v) => cdl.saturation = v,
                    _ => {}
                }
            }
            continue;
        }
        open_cdl = None;
        let primary = |f: &dyn Fn(&mut Primary)| {
            let mut p = Primary::default();
            f(&mut p);
            Step::Primary(p)
        };
        let step = match r {
            Raw::CdlFile(spec) => {
                let (path, select) = split_selector(&spec);
                Step::File {
                    path,
                    select,
                    interpolation: interp,
                    cdl_style: Some(style),
                    invert: false,
                }
            }
            Raw::Lut(path) => Step::File {
                path,
                select: None,
                interpolation: interp,
                cdl_style: None,
                invert: false,
            },
            Raw::Exposure(v) => primary(&|p| p.exposure = [v; 3]),
            Raw::Contrast(v, pivot) => primary(&|p| {
                p.contrast = [v; 3];
                p.pivot = pivot;
            }),
            Raw::Lift(v) => primary(&|p| p.lift = v),
            Raw::Gamma(v) => primary(&|p| p.gamma = v),
            Raw::Gain(v) => primary(&|p| p.gain = v),
            Raw::Saturation(v) => primary(&|p| p.saturation = v),
            Raw::Convert(a, b) => {
                // A built-in conversion inverted is the conversion the other
                // way: each space's own decoding (a PQ table or an ACES output
                // transform has no op-by-op inverse to take).
                let invert = matches!(raw.peek(), Some((_, Raw::Invert)));
                if invert {
                    raw.next();
                }
                let (from, to) = if invert { (&b, &a) } else { (&a, &b) };
                Step::Ops {
                    ops: grade_engine::colorspace::conversion(from, to)?,
                    invert: false,
                }
            }
            Raw::Ocio(o) => {
                // OpenColorIO inverts its own transforms (a 3D LUT included),
                // so an --invert right after is handed to it.
                let invert = matches!(raw.peek(), Some((_, Raw::Invert)));
                if invert {
                    raw.next();
                }
                ocio_step(o, invert, ocio_config.as_deref())?
            }
            Raw::Invert => {
                let Some(last) = steps.pop() else {
                    bail!(
                        "--invert must follow the step it inverts (e.g. --lut look.cube --invert)"
                    );
                };
                invert_step(last)
            }
            Raw::Slope(_) | Raw::Offset(_) | Raw::Power(_) | Raw::Sat(_) => unreachable!(),
        };
        steps.push(step);
    }
    Ok(Grade { steps })
}

/// `--review-transform SPEC` as one step: built-in spaces `FROM:TO`, else
/// OpenColorIO colour spaces `FROM:TO` or `DISPLAY:VIEW:FROM` of `config`.
pub fn transform_step(spec: &str, config: Option<&std::path::Path>) -> Result<Step> {
    let flag = |e: &dyn std::fmt::Display| anyhow::anyhow!("--review-transform {spec}: {e}");
    match spec.split(':').collect::<Vec<_>>().as_slice() {
        [a, b] => match grade_engine::colorspace::conversion(a, b) {
            Ok(ops) => Ok(Step::Ops { ops, invert: false }),
            Err(_) if config.is_some() => {
                ocio_step(OcioRaw::Colorspace(spec.into()), false, config).map_err(|e| flag(&e))
            }
            Err(e) => Err(flag(&e)),
        },
        [_, _, _] => ocio_step(OcioRaw::Display(spec.into()), false, config).map_err(|e| flag(&e)),
        _ => Err(flag(&"expected FROM:TO or DISPLAY:VIEW:FROM")),
    }
}

/// `FILE#ID` -> the file and the ColorCorrection id (or position) to take
/// from it; `FILE` alone (or ending in `#`, or a file whose own name holds
/// the `#`) selects nothing.
pub fn split_selector(spec: &str) -> (std::path::PathBuf, Option<String>) {
    if std::path::Path::new(spec).exists() {
        return (spec.into(), None);
    }
    match spec.rsplit_once('#') {
        Some((p, id)) if !id.is_empty() => (p.into(), Some(id.to_string())),
        _ => (spec.into(), None),
    }
}

/// Splits `v` at ':' into 1..=3 parts as `flag` allows.
#[cfg(feature = "ocio")]
fn parts<'a>(flag: &str, v: &'a str, shape: &str, allowed: &[usize]) -> Result<Vec<&'a str>> {
    let p: Vec<&str> = v.split(':').collect();
    if !allowed.contains(&p.len()) || p.iter().any(|s| s.trim().is_empty()) {
        bail!("--{flag} takes {shape}, got '{v}'");
    }
    Ok(p)
}

#[cfg(feature = "ocio")]
fn ocio_step(o: OcioRaw, invert: bool, config: Option<&std::path::Path>) -> Result<Step> {
    use grade_engine::ocio::config::{ConfigStep, ConfigTransform};
    let transform = match &o {
        OcioRaw::Colorspace(v) => {
            let p = parts("colorspace", v, "FROM:TO", &[2])?;
            ConfigTransform::ColorSpaces {
                from: p[0].into(),
                to: p[1].into(),
            }
        }
        OcioRaw::Look(v) => {
            let p = parts("look", v, "NAME or NAME:FROM:TO", &[1, 3])?;
            ConfigTransform::Look {
                looks: p[0].into(),
                spaces: (p.len() == 3).then(|| (p[1].to_string(), p[2].to_string())),
            }
        }
        OcioRaw::Display(v) => {
            let p = parts("display", v, "DISPLAY:VIEW or DISPLAY:VIEW:FROM", &[2, 3])?;
            ConfigTransform::Display {
                display: p[0].into(),
                view: p[1].into(),
                from: p.get(2).map(|s| s.to_string()),
            }
        }
        OcioRaw::File(path) => ConfigTransform::File(path.clone()),
    };
    let step = ConfigStep { transform, invert };
    let t = step.translate(config)?;
    for note in &t.notes {
        eprintln!("grade: note: {note}");
    }
    Ok(Step::Ops {
        ops: t.ops,
        invert: false,
    })
}

#[cfg(not(feature = "ocio"))]
fn ocio_step(o: OcioRaw, _invert: bool, _config: Option<&std::path::Path>) -> Result<Step> {
    bail!("{o:?} needs OpenColorIO, and grade was built without it (feature `ocio`)")
}

fn invert_step(step: Step) -> Step {
    match step {
        Step::File {
            path,
            select,
            interpolation,
            cdl_style,
            invert,
        } => Step::File {
            path,
            select,
            interpolation,
            cdl_style,
            invert: !invert,
        },
        Step::Cdl(mut cdl) => {
            cdl.direction = cdl.direction.flip();
            Step::Cdl(cdl)
        }
        Step::Primary(p) => Step::Ops {
            ops: vec![Op::Primary(p)],
            invert: true,
        },
        Step::Ops { ops, invert } => Step::Ops {
            ops,
            invert: !invert,
        },
    }
}

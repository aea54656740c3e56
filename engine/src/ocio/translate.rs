//! OpenColorIO processors translated into grade's own ops, so that config
//! transforms run in grade's executors (reference CPU, fast CPU, GPU) like
//! any other step, instead of around them.
//!
//! [`translate`] asks the shim for the processor's transforms
//! ([`Processor::describe`]: `Processor::getOptimizedProcessor` at
//! [`LEVEL`], then `createGroupTransform`, one line of plain numbers per
//! transform) and maps each onto an [`Op`]:
//!
//! | OpenColorIO | grade |
//! |---|---|
//! | `MatrixTransform` (alpha untouched) | `Matrix` (inverse: the 3x3 inverse in f64) |
//! | `CDLTransform` | `Cdl`, same style and direction |
//! | `Lut1DTransform` (linear, no hue adjust) | `Lut1d` (half domain and inverse as OCIO) |
//! | `Lut3DTransform` forward | `Lut3d`, tetrahedral for `INTERP_BEST`/`TETRAHEDRAL`, else trilinear (as OCIO renders them) |
//! | `RangeTransform` | `Range` |
//! | `LogTransform` | `Log` `log2`/`log10` (other bases: `linToLog` with unit params) |
//! | `LogAffineTransform` | `Log` `linToLog` / `logToLin` |
//! | `LogCameraTransform` | `Log` `cameraLinToLog` / `cameraLogToLin` |
//! | `ExponentTransform` | `Exponent` basic / mirror / pass-through |
//! | `ExponentWithLinearTransform` | `Exponent` moncurve / moncurve mirror |
//!
//! Anything else (`FixedFunctionTransform`, an inverse 3D LUT,
//! `ExposureContrastTransform` (its linear style raises `max(0, x)` to a
//! power, which no grade op does), the `Grading*` transforms, a matrix that
//! touches alpha, parameters outside what grade's ops accept) is baked:
//! each contiguous span of such transforms becomes a shaper and a 3D LUT
//! filled by OpenColorIO's own CPU processor for that span. The span's
//! input range is measured by running the transform's probe inputs
//! ([`InputRange::probe`]) through the transforms before it. A range within
//! [-1, 2] is sampled uniformly by the 3D LUT's domain; a wider one goes
//! through an asinh shaper first (a half-domain 1D LUT: linear near 0, log2
//! above, both signs), whose table is inverted exactly to place the
//! lattice. The lattice size is the smallest of 17, 33, 65, 129 whose
//! measured error (against OCIO on the span's inputs plus a grid between
//! lattice points) is at most 1e-4, else at most 1e-3, else the most
//! accurate. Each bake is reported in one line ([`Translation::notes`]),
//! with the measured error of the span and of the whole translated
//! transform against OCIO on the probe inputs.
//!
//! [`LEVEL`] is `OPTIMIZATION_NONE`: every transform as the config wrote
//! it, which OCIO's CPU processor at the same level evaluates with exact
//! maths; grade's own optimise passes then fold what can be folded.

use crate::grade::{Op, Program};
use crate::ocio::{ColorSpaceInfo, Optimization, Processor};
use crate::ops::{
    Cdl, CdlStyle, Direction, Exponent, ExponentStyle, Interpolation, Log, LogParams, LogStyle,
    Lut1d, Lut3d, Matrix, Range, MAX_LUT3D_SIZE,
};
use crate::{Error, Result};

/// The optimisation level whose transforms are translated, and at which
/// OCIO evaluates baked spans and the comparisons.
pub const LEVEL: Optimization = Optimization::None;

/// 3D LUT sizes tried for a bake, smallest first.
pub const BAKE_SIZES: [usize; 4] = [17, 33, 65, 129];

/// Error bounds a bake tries to meet, tightest first (absolute up to 1,
/// relative above).
pub const BAKE_BOUNDS: [f64; 2] = [1e-4, 1e-3];

/// The values a transform's input is expected to take, for baking.
#[derive(Debug, Clone, PartialEq)]
pub enum InputRange {
    /// Display-referred or log-encoded values: the dense set over
    /// [-0.25, 1.25] and ramps over [-0.5, 2].
    Unit,
    /// Scene-linear values: as `Unit`, plus ramps from `2^min - offset` to
    /// `2^max - offset` (an OCIO `lg2` allocation).
    Stops { min: f64, max: f64, offset: f64 },
}

impl InputRange {
    /// From a colour space's allocation: `lg2` with its vars (OCIO's
    /// defaults `[-10, 0]` when none); a `scene-linear` encoding without
    /// an `lg2` allocation is taken as `[-8, 8]` stops; else [`Unit`].
    ///
    /// [`Unit`]: InputRange::Unit
    pub fn from_colorspace(cs: &ColorSpaceInfo) -> InputRange {
        let v = &cs.allocation_vars;
        match cs.allocation {
            crate::ocio::Allocation::Lg2 => InputRange::Stops {
                min: v.first().copied().unwrap_or(-10.0),
                max: v.get(1).copied().unwrap_or(0.0),
                offset: v.get(2).copied().unwrap_or(0.0),
            },
            crate::ocio::Allocation::Uniform if cs.encoding == "scene-linear" => {
                InputRange::Stops {
                    min: -8.0,
                    max: 8.0,
                    offset: 0.0,
                }
            }
            crate::ocio::Allocation::Uniform => InputRange::Unit,
        }
    }

    /// The probe inputs, interleaved RGBA (alpha 1): the dense set of
    /// [`crate::grade::dense`], then for [`InputRange::Stops`] a grey ramp,
    /// one ramp per channel (others at 0.18 of it) and a warm ramp over
    /// the stops, 512 steps each.
    pub fn probe(&self) -> Vec<f32> {
        let mut out = crate::grade::dense::dense_rgba();
        if let InputRange::Stops { min, max, offset } = *self {
            let (min, max) = (min.clamp(-24.0, 16.0), max.clamp(-24.0, 16.0));
            const STEPS: usize = 512;
            for k in 0..STEPS {
                let v =
                    ((min + (max - min) * k as f64 / (STEPS - 1) as f64).exp2() - offset) as f32;
                out.extend_from_slice(&[v, v, v, 1.0]);
                for c in 0..3 {
                    let mut p = [0.18 * v, 0.18 * v, 0.18 * v, 1.0];
                    p[c] = v;
                    out.extend_from_slice(&p);
                }
                out.extend_from_slice(&[v, 0.5 * v, 0.25 * v, 1.0]);
            }
        }
        out
    }
}

/// One baked span.
#[derive(Debug, Clone, PartialEq)]
pub struct Bake {
    /// The transforms baked, e.g. `FixedFunction:ACES_RedMod03`.
    pub what: Vec<String>,
    /// Lattice edge of the 3D LUT.
    pub size: usize,
    /// True when an asinh shaper runs before the 3D LUT.
    pub shaper: bool,
    /// The span's input range found from the probe, per channel.
    pub domain: ([f32; 3], [f32; 3]),
    /// Worst error of the span against OCIO's span (abs up to 1, rel above).
    pub span_error: f64,
}

/// A processor as grade ops.
#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    pub ops: Vec<Op>,
    pub bakes: Vec<Bake>,
    /// Worst error of the whole translation against OCIO's processor (at
    /// [`LEVEL`]) on the probe inputs, absolute up to 1 and relative above;
    /// measured only when something was baked.
    pub max_error: Option<f64>,
    /// One line per bake, for the user.
    pub notes: Vec<String>,
}

/// One transform of the processor: grade ops, or a name to bake.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Ops(Vec<Op>),
    Bake(String),
}

/// Translates `processor` (its transforms at [`LEVEL`]). `label` names the
/// step in notes (e.g. `colour space "log" -> "linear"`); `input` is what
/// the transform's input is expected to hold.
pub fn translate(processor: &Processor, label: &str, input: &InputRange) -> Result<Translation> {
    let text = processor.describe(LEVEL)?;
    let items: Vec<Item> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(parse_line)
        .collect::<Result<_>>()?;
    let mut out = Translation {
        ops: Vec::new(),
        bakes: Vec::new(),
        max_error: None,
        notes: Vec::new(),
    };
    let probe = input.probe();
    let mut i = 0;
    while i < items.len() {
        match &items[i] {
            Item::Ops(ops) => {
                out.ops.extend(ops.iter().cloned());
                i += 1;
            }
            Item::Bake(_) => {
                let start = i;
                while i < items.len() && matches!(items[i], Item::Bake(_)) {
                    i += 1;
                }
                let what: Vec<String> = items[start..i]
                    .iter()
                    .filter_map(|it| match it {
                        Item::Bake(n) => Some(n.clone()),
                        Item::Ops(_) => None,
                    })
                    .collect();
                let (ops, bake) = bake_span(processor, start, i, what, &probe)?;
                out.ops.extend(ops);
                out.bakes.push(bake);
            }
        }
    }
    if !out.bakes.is_empty() {
        let reference = processor.span(LEVEL, 0, items.len())?;
        let mut want = probe.clone();
        reference.apply_rgba(&mut want)?;
        let mut got = probe;
        crate::cpu::reference::apply(
            &Program {
                ops: out.ops.clone(),
            },
            &mut got,
        );
        let whole = worst(&got, &want);
        out.max_error = Some(whole);
        for b in &out.bakes {
            out.notes.push(format!(
                "{label}: {} baked to {}{}^3 LUT, max error {:.1e} over [{}, {}] \
                 ({:.1e} over the whole transform)",
                b.what.join(" + "),
                if b.shaper { "asinh shaper + " } else { "" },
                b.size,
                b.span_error,
                fmt_triple(b.domain.0),
                fmt_triple(b.domain.1),
                whole,
            ));
        }
    }
    Ok(out)
}

fn fmt_triple(v: [f32; 3]) -> String {
    if v[0] == v[1] && v[1] == v[2] {
        format!("{:.4}", v[0])
    } else {
        format!("({:.4} {:.4} {:.4})", v[0], v[1], v[2])
    }
}

/// Worst channel difference, absolute up to 1 and relative above; pixels
/// where OCIO gives a NaN or infinity are not counted.
fn worst(got: &[f32], want: &[f32]) -> f64 {
    got.chunks_exact(4)
        .zip(want.chunks_exact(4))
        .flat_map(|(g, w)| (0..3).map(move |c| (g[c] as f64, w[c] as f64)))
        .filter(|(_, w)| w.is_finite())
        .map(|(g, w)| {
            let d = (g - w).abs() / w.abs().max(1.0);
            if d.is_nan() {
                f64::INFINITY
            } else {
                d
            }
        })
        .fold(0.0, f64::max)
}

/// Parses one line of `grade_ocio_describe` (grammar in `shim.h`).
fn parse_line(line: &str) -> Result<Item> {
    let bad = |what: &str| Error::Unsupported {
        path: None,
        what: format!("OpenColorIO transform description ({what}): {line:.80}"),
    };
    let mut tokens = line.split_ascii_whitespace();
    let direction = match tokens.next() {
        Some("f") => Direction::Forward,
        Some("i") => Direction::Inverse,
        _ => return Err(bad("direction")),
    };
    let kind = tokens.next().ok_or_else(|| bad("kind"))?;
    let words: Vec<&str> = tokens.collect();
    let mut p = Numbers {
        words: &words,
        at: 0,
    };
    let item = match kind {
        "other" => Item::Bake(words.first().unwrap_or(&"Transform").to_string()),
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
        _ => Item::Bake(kind.to_string()),
    };
    Ok(item)
}

/// Reads the numbers of one line in order.
struct Numbers<'a> {
    words: &'a [&'a str],
    at: usize,
}

impl<'a> Numbers<'a> {
    fn word(&mut self) -> Option<&'a str> {
        let w = self.words.get(self.at).copied();
        self.at += 1;
        w
    }

    fn take<const N: usize>(&mut self) -> Option<[f64; N]> {
        let mut out = [0.0; N];
        for v in out.iter_mut() {
            *v = self.word()?.parse().ok()?;
        }
        Some(out)
    }

    fn count(&mut self, max: usize) -> Option<usize> {
        let n: usize = self.word()?.parse().ok()?;
        (n <= max && self.words.len().saturating_sub(self.at) >= n * 3).then_some(n)
    }

    fn rgb(&mut self, n: usize) -> Option<Vec<[f32; 3]>> {
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let mut v = [0.0f32; 3];
            for x in v.iter_mut() {
                *x = self.word()?.parse().ok()?;
            }
            out.push(v);
        }
        Some(out)
    }
}

/// The op when grade accepts its parameters, else a bake of `name`.
fn checked(name: &str, op: Op) -> Item {
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
    Some(checked(
        "Lut1D",
        Op::Lut1d(Lut1d {
            table,
            domain_min: [0.0; 3],
            domain_max: [1.0; 3],
            half_domain: half,
            direction,
        }),
    ))
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
    if direction == Direction::Inverse {
        return Some(Item::Bake("Lut3D(inverse)".into()));
    }
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

/// Constant of the asinh shaper: below about this value it is linear.
const SHAPER_KNEE: f64 = 1.0 / 64.0;

/// A half-domain 1D LUT mapping `[lo, hi]` per channel onto [0, 1] by
/// `asinh(x / SHAPER_KNEE)`.
fn asinh_shaper(lo: [f32; 3], hi: [f32; 3]) -> Lut1d {
    let a = |x: f64| (x / SHAPER_KNEE).asinh();
    let table = (0..=u16::MAX)
        .map(|bits| {
            let v = half::f16::from_bits(bits).to_f32();
            let v = if v.is_nan() {
                0.0
            } else {
                v.clamp(-65504.0, 65504.0)
            } as f64;
            std::array::from_fn(|c| {
                let (l, h) = (a(lo[c] as f64), a(hi[c] as f64));
                ((a(v) - l) / (h - l)) as f32
            })
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

/// How a bake's lattice coordinate `t` in [0, 1] maps back to an input.
enum Placement {
    Uniform { lo: [f32; 3], hi: [f32; 3] },
    Shaper(crate::ops::lut1d::Lut1dPrepared, [f32; 3], [f32; 3]),
}

impl Placement {
    /// The input of channel `c` at lattice coordinate `t`.
    fn input(&self, c: usize, t: f64) -> f32 {
        match self {
            Placement::Uniform { lo, hi } => {
                (lo[c] as f64 + (hi[c] as f64 - lo[c] as f64) * t) as f32
            }
            Placement::Shaper(render, lo, hi) => {
                // Bisection on the shaper as grade evaluates it (increasing).
                let (mut a, mut b) = (lo[c] as f64, hi[c] as f64);
                for _ in 0..80 {
                    let m = 0.5 * (a + b);
                    if (render.half1(c, m as f32) as f64) < t {
                        a = m;
                    } else {
                        b = m;
                    }
                }
                b as f32
            }
        }
    }
}

/// Bakes transforms `start..end` of `processor` into ops.
fn bake_span(
    processor: &Processor,
    start: usize,
    end: usize,
    what: Vec<String>,
    probe: &[f32],
) -> Result<(Vec<Op>, Bake)> {
    let before = processor.span(LEVEL, 0, start)?;
    let span = processor.span(LEVEL, start, end)?;
    let mut inputs = probe.to_vec();
    before.apply_rgba(&mut inputs)?;
    let mut lo = [f32::MAX; 3];
    let mut hi = [f32::MIN; 3];
    for px in inputs.chunks_exact(4) {
        for c in 0..3 {
            let v = px[c];
            if v.is_finite() {
                let v = v.clamp(-65504.0, 65504.0);
                lo[c] = lo[c].min(v);
                hi[c] = hi[c].max(v);
            }
        }
    }
    for c in 0..3 {
        if lo[c] > hi[c] {
            (lo[c], hi[c]) = (0.0, 1.0);
        }
        if hi[c] - lo[c] < 1e-6 {
            hi[c] = lo[c] + 1.0;
        }
    }
    let wide = (0..3).any(|c| lo[c] < -1.0 || hi[c] > 2.0);
    let (shaper, placement) = if wide {
        let s = asinh_shaper(lo, hi);
        let r = s.prepare();
        (Some(s), Placement::Shaper(r, lo, hi))
    } else {
        (None, Placement::Uniform { lo, hi })
    };

    // Measurement inputs: the span's inputs from the probe, then a grid
    // off the lattice of every size (coordinates (k + 0.5) / 37).
    const GRID: usize = 37;
    let coords: Vec<[f32; 3]> = (0..GRID)
        .map(|k| std::array::from_fn(|c| placement.input(c, (k as f64 + 0.5) / GRID as f64)))
        .collect();
    let mut measure = inputs;
    for b in 0..GRID {
        for g in 0..GRID {
            for r in 0..GRID {
                measure.extend_from_slice(&[coords[r][0], coords[g][1], coords[b][2], 1.0]);
            }
        }
    }
    let mut want = measure.clone();
    span.apply_rgba(&mut want)?;

    let mut tried: Vec<(usize, f64, Vec<Op>)> = Vec::new();
    for &n in &BAKE_SIZES {
        let nodes: Vec<[f32; 3]> = (0..n)
            .map(|j| std::array::from_fn(|c| placement.input(c, j as f64 / (n - 1) as f64)))
            .collect();
        let mut lattice = Vec::with_capacity(n * n * n * 4);
        for b in 0..n {
            for g in 0..n {
                for r in 0..n {
                    lattice.extend_from_slice(&[nodes[r][0], nodes[g][1], nodes[b][2], 1.0]);
                }
            }
        }
        span.apply_rgba(&mut lattice)?;
        let data = lattice
            .chunks_exact(4)
            .map(|px| [px[0], px[1], px[2]])
            .collect();
        let (domain_min, domain_max) = match placement {
            Placement::Uniform { lo, hi } => (lo, hi),
            Placement::Shaper(..) => ([0.0; 3], [1.0; 3]),
        };
        let lut = Op::Lut3d(Lut3d {
            size: n,
            data,
            domain_min,
            domain_max,
            interpolation: Interpolation::Tetrahedral,
            direction: Direction::Forward,
        });
        let ops: Vec<Op> = shaper.iter().cloned().map(Op::Lut1d).chain([lut]).collect();
        let mut got = measure.clone();
        crate::cpu::reference::apply(&Program { ops: ops.clone() }, &mut got);
        let err = worst(&got, &want);
        let done = err <= BAKE_BOUNDS[0];
        tried.push((n, err, ops));
        if done {
            break;
        }
    }
    let pick = BAKE_BOUNDS
        .iter()
        .find_map(|&bound| tried.iter().position(|t| t.1 <= bound))
        .unwrap_or_else(|| {
            (0..tried.len())
                .min_by(|&a, &b| tried[a].1.total_cmp(&tried[b].1))
                .unwrap_or(0)
        });
    let (size, span_error, ops) = tried.swap_remove(pick);
    Ok((
        ops,
        Bake {
            what,
            size,
            shaper: shaper.is_some(),
            domain: (lo, hi),
            span_error,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_kind() {
        let m = parse_line("f matrix 2 0 0 0 0 2 0 0 0 0 2 0 0 0 0 1 0.1 0 0 0").unwrap();
        match m {
            Item::Ops(ops) => assert_eq!(
                ops,
                [Op::Matrix(Matrix::scale_offset([2.0; 3], [0.1, 0.0, 0.0]))]
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse_line("f matrix 1 0 0 0.5 0 1 0 0 0 0 1 0 0 0 0 1 0 0 0 0").unwrap(),
            Item::Bake("Matrix(alpha)".into())
        );
        assert_eq!(
            parse_line("f other FixedFunction:ACES_RedMod03").unwrap(),
            Item::Bake("FixedFunction:ACES_RedMod03".into())
        );
        let l = parse_line("i lut3d tetrahedral 2 0 0 0 1 0 0 0 1 0 1 1 0 0 0 1 1 0 1 0 1 1 1 1 1")
            .unwrap();
        assert_eq!(l, Item::Bake("Lut3D(inverse)".into()));
        match parse_line("i log 2").unwrap() {
            Item::Ops(ops) => {
                assert!(matches!(&ops[0], Op::Log(l) if l.style == LogStyle::AntiLog2))
            }
            other => panic!("{other:?}"),
        }
        match parse_line("f range clamp 0.1 - 0 -").unwrap() {
            Item::Ops(ops) => assert!(matches!(&ops[0], Op::Range(r) if r.max_out.is_none())),
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
        ] {
            let _ = parse_line(line);
        }
        assert!(parse_line("f lut1d linear 0 0 4 0 0 0").is_err());
    }

    #[test]
    fn shaper_placement_inverts_the_table() {
        let (lo, hi) = ([-0.25f32; 3], [256.0f32; 3]);
        let s = asinh_shaper(lo, hi).prepare();
        let p = Placement::Shaper(s.clone(), lo, hi);
        for k in 0..=16 {
            let t = k as f64 / 16.0;
            let x = p.input(1, t);
            assert!((s.half1(1, x) as f64 - t).abs() < 1e-6, "t {t}: x {x}");
        }
    }
}

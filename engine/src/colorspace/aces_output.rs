//! The ACES output transforms built in, needing no OpenColorIO config:
//! ACES2065-1 to display code values, for `--to NAME` (and `--from NAME`,
//! the inverse) from any built-in colour space.
//!
//! Each is the display/view of OpenColorIO 2.6's built-in ACES studio
//! config of the same meaning, built as OpenColorIO builds it: the view's
//! `BuiltinTransform` (`transforms/builtins/ACES.cpp`, ACES2065-1 to CIE
//! XYZ D65) followed by the display's (`Displays.cpp`, CIE XYZ D65 to the
//! display's primaries and encoding), op for op with the same constants.
//!
//! - ACES 1.3 (`studio-config-v1.0.0_aces-v1.3_ocio-v2.1`): the RRT
//!   preamble (Glow10, RedMod10, AP1 clamp, RRT desaturation), the RRT and
//!   ODT tonescales as log10 B-spline curves (`ops/rgb_curve/`), the
//!   cinema black/white scaling, then for video the dark-to-dim surround
//!   and 100-nit desaturation, for HDR the limiting-primaries clamp and the
//!   nit scaling. Display encodings clamp negatives (`style=clamp`).
//! - ACES 2.0 (`studio-config-v4.0.0_aces-v2.0_ocio-v2.5`): the AP1 clamp,
//!   the `OutputTransform20` op (`ops/aces2/`), the peak-luminance clamp,
//!   then the limiting primaries to XYZ. Display encodings mirror
//!   negatives (`style=mirror`).
//!
//! PQ displays encode through the same half-domain table as the `pq`
//! space, and decode through that table's exact inverse (`ops/lut1d/`), as
//! OpenColorIO inverts a display.

// OpenColorIO's constants, as its source writes them.
#![allow(clippy::excessive_precision)]

use super::curves::pq_from_linear;
use super::gamut::{mul, von_kries, Adaptation, Primaries, M3};
use super::gamut::{AP0, AP1, D65, P3_D65, REC2020, REC709};
use crate::grade::Op;
use crate::ops::rgb_curve::{BSplineCurve, RgbCurve};
use crate::ops::{
    Aces, AcesStyle, Direction, Exponent, ExponentStyle, Log, LogParams, LogStyle, Matrix, Range,
    RgbCurveStyle,
};
use crate::Result;

/// One built-in output transform.
#[derive(Debug, Clone)]
pub struct OutputTransform {
    /// Short name as typed after `--to` / `--from`.
    pub name: &'static str,
    /// The studio config's `DISPLAY:VIEW` it equals.
    pub aliases: &'static [&'static str],
    pub description: &'static str,
    /// ACES2065-1 to CIE XYZ D65 (the view's built-in transform).
    view: fn() -> Vec<Op>,
    /// CIE XYZ D65 to the display's code values.
    display: Display,
}

/// A display colour space of the studio configs: CIE XYZ D65 to its
/// primaries, then its encoding.
#[derive(Debug, Clone, Copy)]
struct Display {
    primaries: Primaries,
    encoding: Encoding,
    /// Negative values mirrored through the curve (ACES 2.0 configs) rather
    /// than clamped to 0 (ACES 1.3).
    mirror: bool,
}

#[derive(Debug, Clone, Copy)]
enum Encoding {
    /// A pure power (BT.1886 2.4, cinema 2.6).
    Gamma(f64),
    /// The sRGB piecewise curve.
    Srgb,
    /// SMPTE ST 2084, 1.0 = 100 nits.
    Pq,
}

impl Display {
    /// The display's decoding: code values to linear in its primaries.
    fn decode(&self) -> Vec<Op> {
        use ExponentStyle::*;
        let exponent = |style, gamma, offset| {
            Op::Exponent(Exponent {
                style,
                exponent: [gamma; 3],
                offset: [offset; 3],
            })
        };
        match (self.encoding, self.mirror) {
            (Encoding::Gamma(g), false) => vec![exponent(BasicFwd, g, 0.0)],
            (Encoding::Gamma(g), true) => vec![exponent(BasicMirrorFwd, g, 0.0)],
            (Encoding::Srgb, false) => vec![exponent(MonCurveFwd, 2.4, 0.055)],
            (Encoding::Srgb, true) => vec![exponent(MonCurveMirrorFwd, 2.4, 0.055)],
            (Encoding::Pq, _) => pq_from_linear()
                .into_iter()
                .map(|op| match op {
                    Op::Lut1d(l) => Op::Lut1d(l.inverse()),
                    other => other,
                })
                .collect(),
        }
    }

    /// CIE XYZ D65 to code values.
    fn encode(&self) -> Result<Vec<Op>> {
        let mut ops = vec![matrix(inv(&rgb_to_xyz(&self.primaries)))];
        match self.encoding {
            Encoding::Pq => ops.extend(pq_from_linear()),
            _ => ops.extend(invert(self.decode())?),
        }
        Ok(ops)
    }

    /// Code values to CIE XYZ D65.
    fn decode_to_xyz(&self) -> Vec<Op> {
        let mut ops = self.decode();
        ops.push(matrix(rgb_to_xyz(&self.primaries)));
        ops
    }
}

impl OutputTransform {
    /// ACES2065-1 to display code values.
    pub fn forward(&self) -> Result<Vec<Op>> {
        let mut ops = (self.view)();
        ops.extend(self.display.encode()?);
        Ok(ops)
    }

    /// Display code values to ACES2065-1.
    pub fn inverse(&self) -> Result<Vec<Op>> {
        let mut ops = self.display.decode_to_xyz();
        ops.extend(invert((self.view)())?);
        Ok(ops)
    }
}

/// `ops` undone: each op's inverse, last first.
fn invert(ops: Vec<Op>) -> Result<Vec<Op>> {
    let mut out = Vec::new();
    for op in ops.iter().rev() {
        out.extend(op.inverse()?);
    }
    Ok(out)
}

const fn display(primaries: Primaries, encoding: Encoding, mirror: bool) -> Display {
    Display {
        primaries,
        encoding,
        mirror,
    }
}

/// Every built-in output transform.
pub fn output_transforms() -> Vec<OutputTransform> {
    use Encoding::*;
    let t = |name, alias: &'static [&'static str], description, view, display| OutputTransform {
        name,
        aliases: alias,
        description,
        view,
        display,
    };
    vec![
        t(
            "aces13-sdr-video-rec709",
            &["Rec.1886 Rec.709 - Display:ACES 1.0 - SDR Video"],
            "ACES 1.0 SDR video output transform, BT.1886 Rec.709 display",
            aces13::sdr_video,
            display(REC709, Gamma(2.4), false),
        ),
        t(
            "aces13-sdr-video-srgb",
            &["sRGB - Display:ACES 1.0 - SDR Video"],
            "ACES 1.0 SDR video output transform, sRGB display",
            aces13::sdr_video,
            display(REC709, Srgb, false),
        ),
        t(
            "aces13-sdr-cinema-p3d65",
            &["P3-D65 - Display:ACES 1.0 - SDR Cinema"],
            "ACES 1.0 SDR cinema output transform (48 nits), P3-D65 gamma 2.6 display",
            aces13::sdr_cinema,
            display(P3_D65, Gamma(2.6), false),
        ),
        t(
            "aces13-hdr-1000-p3lim-pq",
            &["ST2084-P3-D65 - Display:ACES 1.1 - HDR Video (1000 nits & P3 lim)"],
            "ACES 1.1 HDR video output transform, 1000 nits, P3-D65 limited, ST 2084 P3-D65 display",
            aces13::hdr_1000_p3lim,
            display(P3_D65, Pq, false),
        ),
        t(
            "aces20-sdr-100-rec709",
            &["Rec.1886 Rec.709 - Display:ACES 2.0 - SDR 100 nits (Rec.709)"],
            "ACES 2.0 SDR 100 nits output transform, Rec.709 limited, BT.1886 Rec.709 display",
            aces20::sdr_100_rec709,
            display(REC709, Gamma(2.4), true),
        ),
        t(
            "aces20-sdr-100-srgb",
            &["sRGB - Display:ACES 2.0 - SDR 100 nits (Rec.709)"],
            "ACES 2.0 SDR 100 nits output transform, Rec.709 limited, sRGB display",
            aces20::sdr_100_rec709,
            display(REC709, Srgb, true),
        ),
        t(
            "aces20-sdr-p3d65",
            &["P3-D65 - Display:ACES 2.0 - SDR 100 nits (P3 D65)"],
            "ACES 2.0 SDR output transform, P3-D65 limited, P3-D65 gamma 2.6 cinema display (48 nits)",
            aces20::sdr_100_p3d65,
            display(P3_D65, Gamma(2.6), true),
        ),
        t(
            "aces20-hdr-1000-p3lim-pq",
            &["Rec.2100-PQ - Display:ACES 2.0 - HDR 1000 nits (P3 D65)"],
            "ACES 2.0 HDR 1000 nits output transform, P3-D65 limited, Rec.2100 PQ display",
            aces20::hdr_1000_p3d65,
            display(REC2020, Pq, true),
        ),
        t(
            "aces20-hdr-4000-p3lim-pq",
            &["Rec.2100-PQ - Display:ACES 2.0 - HDR 4000 nits (P3 D65)"],
            "ACES 2.0 HDR 4000 nits output transform, P3-D65 limited, Rec.2100 PQ display",
            aces20::hdr_4000_p3d65,
            display(REC2020, Pq, true),
        ),
    ]
}

/// Finds an output transform by name or alias, case-insensitively.
pub fn find_output(name: &str) -> Option<OutputTransform> {
    let want = name.to_lowercase();
    output_transforms()
        .into_iter()
        .find(|t| t.name == want || t.aliases.iter().any(|a| a.to_lowercase() == want))
}

fn matrix(m: M3) -> Op {
    Op::Matrix(Matrix {
        m,
        offset: [0.0; 3],
    })
}

/// A 4x4 matrix as OpenColorIO's built-ins write them (rows of 4), its 3x3.
fn matrix_rows(m: [[f64; 4]; 3]) -> Op {
    matrix(m.map(|r| [r[0], r[1], r[2]]))
}

fn scale_offset(scale: f64, offset: f64) -> Op {
    Op::Matrix(Matrix {
        m: [[scale, 0.0, 0.0], [0.0, scale, 0.0], [0.0, 0.0, scale]],
        offset: [offset; 3],
    })
}

/// OpenColorIO's RangeOp: clamp to `[lo, hi]` (`None`: open).
fn clamp(lo: f64, hi: Option<f64>) -> Op {
    Op::Range(Range {
        min_in: Some(lo),
        max_in: hi,
        min_out: Some(lo),
        max_out: hi,
        clamp: true,
    })
}

fn log10(direction: Direction) -> Op {
    Op::Log(Log {
        style: match direction {
            Direction::Forward => LogStyle::Log10,
            Direction::Inverse => LogStyle::AntiLog10,
        },
        params: [LogParams {
            base: 10.0,
            ..LogParams::default()
        }; 3],
    })
}

/// RGB to XYZ and its inverse as OpenColorIO computes them
/// (`rgb2xyz_from_xy`, `MatrixArray::inverse`), to the bit of f64.
fn rgb_to_xyz(p: &Primaries) -> M3 {
    crate::ops::aces2::tables::rgb_to_xyz_d(&[p.red, p.green, p.blue, p.white])
}

fn inv(m: &M3) -> M3 {
    crate::ops::aces2::tables::inv_d(m)
}

/// `build_conversion_matrix_to_XYZ_D65`: RGB to XYZ, adapted to D65 by
/// Bradford when the white differs (`adapt`).
fn to_xyz_d65(p: &Primaries, adapt: bool) -> M3 {
    let m = rgb_to_xyz(p);
    if adapt && p.white != D65 {
        mul(&von_kries(Adaptation::Bradford, p.white, D65), &m)
    } else {
        m
    }
}

/// `build_conversion_matrix` without adaptation.
fn gamut(src: &Primaries, dst: &Primaries) -> M3 {
    mul(&inv(&rgb_to_xyz(dst)), &rgb_to_xyz(src))
}

/// The ACES 1.x output transforms of `ACES.cpp` (`ACES_OUTPUT`).
mod aces13 {
    use super::*;

    /// A log-style master B-spline curve, the other curves identity.
    fn tone_curve(points: &[[f32; 2]], slopes: &[f32]) -> Op {
        let id = BSplineCurve::identity();
        Op::RgbCurve(RgbCurve {
            style: RgbCurveStyle::Log,
            direction: Direction::Forward,
            bypass_lin_to_log: false,
            curves: [
                id.clone(),
                id.clone(),
                id,
                BSplineCurve {
                    points: points.to_vec(),
                    slopes: slopes.to_vec(),
                },
            ],
        })
    }

    /// `Generate_RRT_preamble_ops`.
    fn rrt_preamble() -> Vec<Op> {
        vec![
            Op::Aces(Aces::new(AcesStyle::Glow10, Direction::Forward)),
            Op::Aces(Aces::new(AcesStyle::RedMod10, Direction::Forward)),
            clamp(0.0, None),
            matrix(gamut(&AP0, &AP1)),
            clamp(0.0, None),
            matrix_rows([
                [0.970889148671, 0.026963270632, 0.002147580696, 0.],
                [0.010889148671, 0.986963270632, 0.002147580696, 0.],
                [0.010889148671, 0.026963270632, 0.962147580696, 0.],
            ]),
        ]
    }

    /// `Generate_tonecurve_ops`: the RRT and SDR ODT tonescales, 48 nits.
    fn sdr_tonecurve() -> Vec<Op> {
        const CINEMA_WHITE: f64 = 48.;
        const CINEMA_BLACK: f64 = 0.02;
        let scale = 1. / (CINEMA_WHITE - CINEMA_BLACK);
        vec![
            log10(Direction::Forward),
            tone_curve(
                &[
                    [-5.26017743, -4.],
                    [-3.75502745, -3.57868829],
                    [-2.24987747, -1.82131329],
                    [-0.74472749, 0.68124124],
                    [1.06145248, 2.87457742],
                    [2.86763245, 3.83406206],
                    [4.67381243, 4.],
                ],
                &[0., 0.55982688, 1.77532247, 1.55, 0.8787017, 0.18374463, 0.],
            ),
            tone_curve(
                &[
                    [-2.54062362, -1.69897000],
                    [-2.08035721, -1.58843500],
                    [-1.62009080, -1.35350000],
                    [-1.15982439, -1.04695000],
                    [-0.69955799, -0.65640000],
                    [-0.23929158, -0.22141000],
                    [0.22097483, 0.22814402],
                    [0.68124124, 0.68124124],
                    [1.01284632, 0.99142189],
                    [1.34445140, 1.25800000],
                    [1.67605648, 1.44995000],
                    [2.00766156, 1.55910000],
                    [2.33926665, 1.62260000],
                    [2.67087173, 1.66065457],
                    [3.00247681, 1.68124124],
                ],
                &[
                    0., 0.4803088, 0.5405565, 0.79149813, 0.9055625, 0.98460368, 0.96884766, 1.,
                    0.87078346, 0.73702127, 0.42068113, 0.23763206, 0.14535362, 0.08416378, 0.04,
                ],
            ),
            log10(Direction::Inverse),
            scale_offset(scale, -CINEMA_BLACK * scale),
        ]
    }

    /// `Generate_hdr_tonecurve_ops` for 1000 nits.
    fn hdr_tonecurve_1000() -> Vec<Op> {
        const Y_MAX: f64 = 1000.;
        const Y_MIN: f64 = 0.0001;
        let scale = 1. / (Y_MAX - Y_MIN);
        vec![
            log10(Direction::Forward),
            tone_curve(
                &[
                    [-5.60050155, -4.00000000],
                    [-4.09535157, -3.57868829],
                    [-2.59020159, -1.82131329],
                    [-1.08505161, 0.68124124],
                    [0.22347059, 2.22673503],
                    [1.53199279, 2.87906206],
                    [2.84051500, 3.00000000],
                ],
                &[0., 0.55982688, 1.77532247, 1.55, 0.81219728, 0.1848466, 0.],
            ),
            log10(Direction::Inverse),
            scale_offset(scale, -Y_MIN * scale),
        ]
    }

    /// "ACES-OUTPUT - ACES2065-1_to_CIE-XYZ-D65 - SDR-CINEMA_1.0".
    pub fn sdr_cinema() -> Vec<Op> {
        let mut ops = rrt_preamble();
        ops.extend(sdr_tonecurve());
        ops.push(matrix(to_xyz_d65(&AP1, true)));
        ops
    }

    /// "ACES-OUTPUT - ACES2065-1_to_CIE-XYZ-D65 - SDR-VIDEO_1.0".
    pub fn sdr_video() -> Vec<Op> {
        let mut ops = rrt_preamble();
        ops.extend(sdr_tonecurve());
        // Generate_video_adjustment_ops: surround, then the 100-nit desaturation.
        ops.push(Op::Aces(Aces::new(
            AcesStyle::DarkToDim10,
            Direction::Forward,
        )));
        ops.push(matrix_rows([
            [0.949056010175, 0.047185723607, 0.003758266219, 0.],
            [0.019056010175, 0.977185723607, 0.003758266219, 0.],
            [0.019056010175, 0.047185723607, 0.933758266219, 0.],
        ]));
        ops.push(matrix(to_xyz_d65(&AP1, true)));
        ops
    }

    /// "ACES-OUTPUT - ACES2065-1_to_CIE-XYZ-D65 -
    /// HDR-VIDEO-1000nit-15nit-P3lim_1.1".
    pub fn hdr_1000_p3lim() -> Vec<Op> {
        let mut ops = rrt_preamble();
        ops.extend(hdr_tonecurve_1000());
        // Generate_hdr_primary_clamp_ops(P3_D65).
        ops.push(matrix(gamut(&AP1, &P3_D65)));
        ops.push(clamp(0.0, Some(1.0)));
        ops.push(matrix(rgb_to_xyz(&P3_D65)));
        ops.push(matrix(von_kries(Adaptation::Bradford, AP0.white, D65)));
        // Generate_nit_normalization_ops(1000): 100 nits at 1.0.
        ops.push(scale_offset(1000. * 0.01, 0.0));
        ops
    }
}

/// The ACES 2.0 output transforms of `ACES.cpp` (`ACES2_OUTPUT`).
mod aces20 {
    use super::*;
    use crate::ops::Aces2;

    fn xy(p: &Primaries) -> [[f64; 2]; 4] {
        [p.red, p.green, p.blue, p.white]
    }

    /// `Generate_output_transform` with the encoding primaries the
    /// limiting ones (no white scaling) and no linear scale.
    fn output_transform(peak: f32, limit: &Primaries) -> Vec<Op> {
        let to_ap1 = gamut(&AP0, &AP1);
        let log = |v: f32| f64::from(v).ln() as f32;
        let upper = 8.0 * (128.0 + 768.0 * (log(peak / 100.0) / log(10000.0 / 100.0)));
        vec![
            matrix(to_ap1),
            clamp(0.0, Some(f64::from(upper))),
            matrix(inv(&to_ap1)),
            Op::Aces2(Aces2::output_transform(
                f64::from(peak),
                xy(limit),
                Direction::Forward,
            )),
            clamp(0.0, Some(f64::from(peak / 100.0))),
            matrix(to_xyz_d65(limit, false)),
        ]
    }

    /// "ACES-OUTPUT - ACES2065-1_to_CIE-XYZ-D65 - SDR-100nit-REC709_2.0".
    pub fn sdr_100_rec709() -> Vec<Op> {
        output_transform(100.0, &REC709)
    }

    /// "ACES-OUTPUT - ACES2065-1_to_CIE-XYZ-D65 - SDR-100nit-P3-D65_2.0".
    pub fn sdr_100_p3d65() -> Vec<Op> {
        output_transform(100.0, &P3_D65)
    }

    /// "ACES-OUTPUT - ACES2065-1_to_CIE-XYZ-D65 - HDR-1000nit-P3-D65_2.0".
    pub fn hdr_1000_p3d65() -> Vec<Op> {
        output_transform(1000.0, &P3_D65)
    }

    /// "ACES-OUTPUT - ACES2065-1_to_CIE-XYZ-D65 - HDR-4000nit-P3-D65_2.0".
    pub fn hdr_4000_p3d65() -> Vec<Op> {
        output_transform(4000.0, &P3_D65)
    }
}

#[cfg(test)]
mod gpu_reference;
#[cfg(test)]
mod tests;

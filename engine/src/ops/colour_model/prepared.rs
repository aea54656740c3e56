//! The colour-model op's prepared constants ([`ColourModelPrepared`]):
//! only the style, and the per-pixel maths both CPU executors run.
//!
//! Record layout: flags bits 8..15 =
//! [`ColourModelStyle`](crate::ops::ColourModelStyle) index; n, data, p: -.

#[allow(unused_imports)]
use super::*;
use crate::grade::packed::{self, OpRecord};
use crate::ops::mathf::powf;
use crate::ops::{clamp_nan_lo, per_pixel, Prepared};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColourModelPrepared {
    pub style: ColourModelStyle,
}

/// `min(a, b)` as `math.wgsl`'s `min_hi`: a NaN `a` gives `b`, so the GPU
/// repeats it bit for bit (std's min leaves -0/+0 ties to the compiler).
#[inline(always)]
fn min_of(a: f32, b: f32) -> f32 {
    if a.is_nan() || a > b {
        b
    } else {
        a
    }
}

/// `max(a, b)` as `math.wgsl`'s `max_lo`.
#[inline(always)]
fn max_of(a: f32, b: f32) -> f32 {
    if a.is_nan() || a < b {
        b
    } else {
        a
    }
}

/// `d == 0 ? 0 : 1 / d`, OpenColorIO's guard on every denominator here.
#[inline(always)]
fn recip_or_0(d: f32) -> f32 {
    if d == 0.0 {
        0.0
    } else {
        1.0 / d
    }
}

/// D65 white in u'v', as OpenColorIO writes it.
const WHITE_U: f32 = 0.197_83;
const WHITE_V: f32 = 0.46831999;

fn rgb_to_hsv([red, grn, blu]: [f32; 3]) -> [f32; 3] {
    // NaN anywhere gives NaN everywhere: the comparisons below would
    // otherwise depend on how a GPU compiler treats NaN.
    if red.is_nan() || grn.is_nan() || blu.is_nan() {
        return [f32::NAN; 3];
    }
    let rgb_min = min_of(min_of(red, grn), blu);
    let rgb_max = max_of(max_of(red, grn), blu);
    let mut val = rgb_max;
    let mut sat = 0.0;
    let mut hue = 0.0;
    if rgb_min != rgb_max {
        let delta = rgb_max - rgb_min;
        if rgb_max != 0.0 {
            sat = delta / rgb_max;
        }
        hue = if red == rgb_max {
            (grn - blu) / delta
        } else if grn == rgb_max {
            2.0 + (blu - red) / delta
        } else {
            4.0 + (red - grn) / delta
        };
        if hue < 0.0 {
            hue += 6.0;
        }
        hue *= 0.166_666_67;
    }
    // Extended range: negative values.
    if rgb_min < 0.0 {
        val += rgb_min;
    }
    if -rgb_min > rgb_max {
        sat = (rgb_max - rgb_min) / -rgb_min;
    }
    [hue, sat, val]
}

fn hsv_to_rgb([h, s, val]: [f32; 3]) -> [f32; 3] {
    const MAX_SAT: f32 = 1.999;
    let hue = (h - h.floor()) * 6.0;
    let sat = clamp_nan_lo(s, 0.0, MAX_SAT);
    let red = clamp_nan_lo((hue - 3.0).abs() - 1.0, 0.0, 1.0);
    let grn = clamp_nan_lo(2.0 - (hue - 2.0).abs(), 0.0, 1.0);
    let blu = clamp_nan_lo(2.0 - (hue - 4.0).abs(), 0.0, 1.0);
    let mut rgb_max = val;
    let mut rgb_min = val * (1.0 - sat);
    if sat > 1.0 {
        rgb_min = val * (1.0 - sat) / (2.0 - sat);
        rgb_max = val - rgb_min;
    }
    if val < 0.0 {
        rgb_min = val / (2.0 - sat);
        rgb_max = val - rgb_min;
    }
    let delta = rgb_max - rgb_min;
    [
        red * delta + rgb_min,
        grn * delta + rgb_min,
        blu * delta + rgb_min,
    ]
}

fn xyz_to_xyy([x, y, z]: [f32; 3]) -> [f32; 3] {
    let d = recip_or_0(x + y + z);
    [x * d, y * d, y]
}

fn xyy_to_xyz([x, y, yy]: [f32; 3]) -> [f32; 3] {
    let d = recip_or_0(y);
    [yy * x * d, yy, yy * (1.0 - x - y) * d]
}

/// u' and v' of XYZ.
fn uv([x, y, z]: [f32; 3]) -> (f32, f32) {
    let d = recip_or_0(x + 15.0 * y + 3.0 * z);
    (4.0 * x * d, 9.0 * y * d)
}

fn xyz_to_uvy(xyz: [f32; 3]) -> [f32; 3] {
    let (u, v) = uv(xyz);
    [u, v, xyz[1]]
}

fn uvy_to_xyz([u, v, y]: [f32; 3]) -> [f32; 3] {
    let d = recip_or_0(v);
    [
        (9.0 / 4.0) * y * u * d,
        y,
        (3.0 / 4.0) * y * (4.0 - u - 6.666_666_6 * v) * d,
    ]
}

fn xyz_to_luv(xyz: [f32; 3]) -> [f32; 3] {
    let (u, v) = uv(xyz);
    let y = xyz[1];
    let l = if y <= 0.008_856_452 {
        9.032_963 * y
    } else {
        1.16 * powf(y, 0.333_333_33) - 0.16
    };
    [l, 13.0 * l * (u - WHITE_U), 13.0 * l * (v - WHITE_V)]
}

fn luv_to_xyz([l, us, vs]: [f32; 3]) -> [f32; 3] {
    let d = if l == 0.0 { 0.0 } else { 0.076_923_08 / l };
    let u = us * d + WHITE_U;
    let v = vs * d + WHITE_V;
    let tmp = (l + 0.16) * 0.862_068_95;
    let y = if l <= 0.08 {
        0.110_705_644 * l
    } else {
        tmp * tmp * tmp
    };
    let dd = if v == 0.0 { 0.0 } else { 0.25 / v };
    [9.0 * y * u * dd, y, y * (12.0 - 3.0 * u - 20.0 * v) * dd]
}

/// OpenColorIO's `CLAMP(a, lo, hi)`: `a > hi ? hi : (lo > a ? lo : a)`.
#[inline(always)]
fn clamp_to(a: f32, lo: f32, hi: f32) -> f32 {
    if a > hi {
        hi
    } else if lo > a {
        lo
    } else {
        a
    }
}

/// HSY's constants as the kernel reads them from the record: 1/6 and 0.5
/// (hue offsets), the dark-saturation luma 0.001 and width 0.009, 1.4, 3,
/// 5 and 0.15. Loaded, not written in the WGSL, so Mesa's NIR can neither fold
/// `(h - 1/6) + 0.5` into `h + 1/3`, nor move a constant factor along a
/// product (`(s * 3) * l` to `(s * l) * 3`), nor turn a division by a
/// constant into a product, each of which changes the f32 result.
pub const HSY_RECORD: [[f32; 4]; 2] = [
    [1.0 / 6.0, 0.5, HSY_MIN_LUM, HSY_MAX_LUM - HSY_MIN_LUM],
    [1.4, 3.0, 5.0, 0.15],
];

/// HSY's saturation scaling: scene-linear, log or video code values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum HsyScale {
    Lin,
    Log,
    Vid,
}

/// The luma below which the linear style's saturation fades to its dark
/// measure, and its width: `maxLum`, `maxLum - minLum` in f32.
const HSY_MAX_LUM: f32 = 0.01;
const HSY_MIN_LUM: f32 = HSY_MAX_LUM * 0.1;

/// `applyRGBToHSY`. A NaN anywhere gives NaN in all three, as for HSV.
pub(crate) fn rgb_to_hsy([red, grn, blu]: [f32; 3], scale: HsyScale) -> [f32; 3] {
    if red.is_nan() || grn.is_nan() || blu.is_nan() {
        return [f32::NAN; 3];
    }
    let rgb_min = min_of(min_of(red, grn), blu);
    let rgb_max = max_of(max_of(red, grn), blu);
    let luma = 0.2126 * red + 0.7152 * grn + 0.0722 * blu;
    let dist = (red - luma).abs() + (grn - luma).abs() + (blu - luma).abs();
    let sat = match scale {
        HsyScale::Lin => {
            let sum = red + grn + blu;
            let sat_hi = dist / max_of(0.07 * dist + 1e-6, 0.15 + sum);
            let sat_lo = dist * 5.0;
            let alpha = clamp_to((luma - HSY_MIN_LUM) / (HSY_MAX_LUM - HSY_MIN_LUM), 0.0, 1.0);
            (sat_lo + alpha * (sat_hi - sat_lo)) * 1.4
        }
        HsyScale::Log => dist * 4.0,
        HsyScale::Vid => dist * 1.25,
    };
    let mut hue = 0.0;
    if rgb_min != rgb_max {
        let delta = rgb_max - rgb_min;
        hue = if red == rgb_max {
            1.0 + (grn - blu) / delta
        } else if grn == rgb_max {
            3.0 + (blu - red) / delta
        } else {
            5.0 + (red - grn) / delta
        };
        hue *= 0.166_666_67;
    }
    [hue, sat, luma]
}

/// `applyHSYToRGB`. A NaN anywhere gives NaN in all three.
pub(crate) fn hsy_to_rgb([h, s, luma]: [f32; 3], scale: HsyScale) -> [f32; 3] {
    if h.is_nan() || s.is_nan() || luma.is_nan() {
        return [f32::NAN; 3];
    }
    let mut hue = h - 1.0 / 6.0;
    let mut sat = s;
    if luma < 0.0 {
        hue += 0.5;
    }
    hue = (hue - hue.floor()) * 6.0;
    let mut red = clamp_to((hue - 3.0).abs() - 1.0, 0.0, 1.0);
    let mut grn = clamp_to(2.0 - (hue - 2.0).abs(), 0.0, 1.0);
    let mut blu = clamp_to(2.0 - (hue - 4.0).abs(), 0.0, 1.0);
    let curr_y = 0.2126 * red + 0.7152 * grn + 0.0722 * blu;
    red *= luma / curr_y;
    grn *= luma / curr_y;
    blu *= luma / curr_y;
    let dist = (red - luma).abs() + (grn - luma).abs() + (blu - luma).abs();
    let gain = match scale {
        HsyScale::Lin => {
            let sum = red + grn + blu;
            let (k, lo_gain) = (0.15f32, 5.0f32);
            sat /= 1.4;
            let tmp = max_of(1e-6, -sat * sum + sat * 3.0 * luma + dist);
            let s1 = min_of(sat * (k + 3.0 * luma) / tmp, 50.0);
            let s0 = sat / max_of(1e-10, dist * lo_gain);
            let alpha = clamp_to((luma - HSY_MIN_LUM) / (HSY_MAX_LUM - HSY_MIN_LUM), 0.0, 1.0);
            if alpha == 1.0 {
                s1
            } else if alpha == 0.0 {
                s0
            } else {
                let a = dist * lo_gain * (1.0 - alpha) * (sum - 3.0 * luma);
                let b = dist * lo_gain * (1.0 - alpha) * (k + 3.0 * luma) + dist * alpha
                    - sat * (sum - 3.0 * luma);
                let c = -sat * (k + 3.0 * luma);
                let discrim = (b * b - 4.0 * a * c).sqrt();
                let denom = -discrim - b;
                let g = (2.0 * c) / denom;
                if g >= 0.0 {
                    g
                } else {
                    (2.0 * c) / (denom + discrim * 2.0)
                }
            }
        }
        HsyScale::Log => sat / max_of(1e-10, dist * 4.0),
        HsyScale::Vid => sat / max_of(1e-10, dist * 1.25),
    };
    [
        luma + gain * (red - luma),
        luma + gain * (grn - luma),
        luma + gain * (blu - luma),
    ]
}

impl ColourModelPrepared {
    #[inline(always)]
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        use ColourModelStyle::*;
        match self.style {
            RgbToHsv => rgb_to_hsv(rgb),
            HsvToRgb => hsv_to_rgb(rgb),
            XyzToXyy => xyz_to_xyy(rgb),
            XyyToXyz => xyy_to_xyz(rgb),
            XyzToUvy => xyz_to_uvy(rgb),
            UvyToXyz => uvy_to_xyz(rgb),
            XyzToLuv => xyz_to_luv(rgb),
            LuvToXyz => luv_to_xyz(rgb),
            RgbToHsyLin => rgb_to_hsy(rgb, HsyScale::Lin),
            HsyLinToRgb => hsy_to_rgb(rgb, HsyScale::Lin),
            RgbToHsyLog => rgb_to_hsy(rgb, HsyScale::Log),
            HsyLogToRgb => hsy_to_rgb(rgb, HsyScale::Log),
            RgbToHsyVid => rgb_to_hsy(rgb, HsyScale::Vid),
            HsyVidToRgb => hsy_to_rgb(rgb, HsyScale::Vid),
        }
    }
}

impl Prepared for ColourModelPrepared {
    #[inline(always)]
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        ColourModelPrepared::apply(self, rgb)
    }

    #[inline(always)]
    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        per_pixel(r, g, b, |px| ColourModelPrepared::apply(self, px));
    }

    /// Flags bits 8..15 = the style's index; p0, p1 = [`HSY_RECORD`].
    fn pack(&self, record: &mut OpRecord, _data: &mut Vec<f32>) {
        record.flags = self.style.index() << packed::STYLE_SHIFT;
        record.p[0] = HSY_RECORD[0];
        record.p[1] = HSY_RECORD[1];
    }

    fn unpack(record: &OpRecord, _data: &[f32]) -> Result<Self, String> {
        if record.p[..2] != HSY_RECORD {
            return Err("colour model constants are not HSY's".into());
        }
        let style = (record.flags & packed::STYLE_MASK) >> packed::STYLE_SHIFT;
        Ok(ColourModelPrepared {
            style: ColourModelStyle::from_index(style).ok_or("unknown colour model style")?,
        })
    }
}

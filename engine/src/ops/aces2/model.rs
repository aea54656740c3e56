//! The ACES 2.0 colour appearance model and compressions, per pixel:
//! OpenColorIO 2.6's `ops/fixedfunction/ACES2/Transform.cpp`, function for
//! function, in f32 with the same operation order. The tables these read
//! are built once by [`super::tables`].

// OpenColorIO's constants, as its source writes them.
#![allow(clippy::excessive_precision)]

pub use super::libm::cos_sin;
use super::libm::log10f;
use crate::ops::mathf::{atan2f, powf};

pub type M33 = [f32; 9];
pub type F3 = [f32; 3];

/// OpenColorIO's `3.14159265358979f`: the float nearest pi.
pub const PI: f32 = std::f32::consts::PI;
pub const HUE_LIMIT: f32 = 360.0;
pub const REFERENCE_LUMINANCE: f32 = 100.0;
pub const L_A: f32 = 100.0;
pub const Y_B: f32 = 20.0;
pub const SURROUND: F3 = [0.9, 0.59, 0.9];
pub const J_SCALE: f32 = 100.0;
pub const CAM_NL_OFFSET: f32 = 0.2713 * 100.0;
pub const CAM_NL_SCALE: f32 = 4.0 * 100.0;
pub const CHROMA_COMPRESS: f32 = 2.4;
pub const CHROMA_COMPRESS_FACT: f32 = 3.3;
pub const CHROMA_EXPAND: f32 = 1.3;
pub const CHROMA_EXPAND_FACT: f32 = 0.69;
pub const CHROMA_EXPAND_THR: f32 = 0.5;
pub const SMOOTH_CUSPS: f32 = 0.12;
pub const SMOOTH_M: f32 = 0.27;
pub const CUSP_MID_BLEND: f32 = 1.3;
pub const FOCUS_GAIN_BLEND: f32 = 0.3;
pub const FOCUS_DISTANCE: f32 = 1.35;
pub const FOCUS_DISTANCE_SCALING: f32 = 1.75;
pub const COMPRESSION_THRESHOLD: f32 = 0.75;

/// Hue tables: 1 wrap entry below, 360 nominal (one per degree), 2 above.
pub const TABLE_NOMINAL: usize = 360;
pub const TABLE_TOTAL: usize = TABLE_NOMINAL + 3;
pub const TABLE_BASE: usize = 1;
pub const TABLE_UPPER_WRAP: usize = TABLE_BASE + TABLE_NOMINAL;
pub const TABLE_LAST_NOMINAL: usize = TABLE_UPPER_WRAP - 1;

/// C++'s `std::max(a, b)`: `a < b ? b : a`.
#[inline(always)]
pub fn cmax(a: f32, b: f32) -> f32 {
    if a < b {
        b
    } else {
        a
    }
}

/// C++'s `std::min(a, b)`: `b < a ? b : a`.
#[inline(always)]
pub fn cmin(a: f32, b: f32) -> f32 {
    if b < a {
        b
    } else {
        a
    }
}

/// OpenColorIO's `lerpf`.
#[inline(always)]
pub fn lerpf(a: f32, b: f32, t: f32) -> f32 {
    (b - a) * t + a
}

/// `sqrt` of a float through C's double `sqrt`: correctly rounded either way.
#[inline(always)]
pub fn sqrtf(x: f32) -> f32 {
    x.sqrt()
}


/// `std::copysign`.
#[inline(always)]
fn copysign(v: f32, s: f32) -> f32 {
    v.copysign(s)
}

pub fn mult_f3_f33(v: F3, m: &M33) -> F3 {
    [
        v[0] * m[0] + v[1] * m[1] + v[2] * m[2],
        v[0] * m[3] + v[1] * m[4] + v[2] * m[5],
        v[0] * m[6] + v[1] * m[7] + v[2] * m[8],
    ]
}

/// `to_radians`: degrees to radians.
#[inline(always)]
pub fn to_radians(v: f32) -> f32 {
    PI * v / 180.0
}

/// `wrap_to_hue_limit`: `fmod` then negatives up by 360.
#[inline(always)]
pub fn wrap_hue(hue: f32) -> f32 {
    let y = hue % HUE_LIMIT;
    if y < 0.0 {
        y + HUE_LIMIT
    } else {
        y
    }
}

/// `JMhParams`: one colour space's appearance-model constants.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Jmh {
    pub rgb_to_cam: M33,
    pub cam_to_rgb: M33,
    pub cone_to_aab: M33,
    pub aab_to_cone: M33,
    pub f_l_n: f32,
    pub cz: f32,
    pub inv_cz: f32,
    pub a_w_j: f32,
    pub inv_a_w_j: f32,
}

/// `ToneScaleParams` (the ones the pixels use).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Tonescale {
    pub n_r: f32,
    pub g: f32,
    pub t_1: f32,
    pub s_2: f32,
    pub m_2: f32,
    pub inverse_limit: f32,
}

/// `ResolvedSharedCompressionParameters`.
#[derive(Debug, Clone, Copy)]
pub struct Resolved {
    pub limit_j_max: f32,
    pub model_gamma_inv: f32,
    pub reach_max_m: f32,
}

/// `ChromaCompressParams`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Chroma {
    pub sat: f32,
    pub sat_thr: f32,
    pub compr: f32,
    pub scale: f32,
}

/// `GamutCompressParams` without its tables.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Gamut {
    pub mid_j: f32,
    pub focus_dist: f32,
    pub lower_hull_gamma_inv: f32,
    pub search: [i32; 2],
}

fn compress_fwd(rc: f32) -> f32 {
    let f_l_y = powf(rc, 0.42);
    f_l_y / (CAM_NL_OFFSET + f_l_y)
}

fn compress_inv(ra: f32) -> f32 {
    let ra_lim = cmin(ra, 0.99);
    let f_l_y = (CAM_NL_OFFSET * ra_lim) / (1.0 - ra_lim);
    powf(f_l_y, 1.0 / 0.42)
}

/// `post_adaptation_cone_response_compression_fwd`.
pub fn cone_compress_fwd(v: f32) -> f32 {
    copysign(compress_fwd(v.abs()), v)
}

fn cone_compress_inv(v: f32) -> f32 {
    copysign(compress_inv(v.abs()), v)
}

fn achromatic_to_j(a: f32, cz: f32) -> f32 {
    J_SCALE * powf(a, cz)
}

pub fn j_to_achromatic(j: f32, inv_cz: f32) -> f32 {
    powf(j * (1.0 / J_SCALE), inv_cz)
}

fn a_to_y(a: f32, p: &Jmh) -> f32 {
    let ra = p.a_w_j * a;
    compress_inv(ra) / p.f_l_n
}

fn j_to_y(abs_j: f32, p: &Jmh) -> f32 {
    a_to_y(j_to_achromatic(abs_j, p.inv_cz), p)
}

fn y_to_j_abs(abs_y: f32, p: &Jmh) -> f32 {
    let ra = compress_fwd(abs_y * p.f_l_n);
    achromatic_to_j(ra * p.inv_a_w_j, p.cz)
}

/// `Y_to_J`.
pub fn y_to_j(y: f32, p: &Jmh) -> f32 {
    copysign(y_to_j_abs(y.abs(), p), y)
}

/// `RGB_to_Aab`.
pub fn rgb_to_aab(rgb: F3, p: &Jmh) -> F3 {
    let m = mult_f3_f33(rgb, &p.rgb_to_cam);
    let a = m.map(cone_compress_fwd);
    mult_f3_f33(a, &p.cone_to_aab)
}

/// `Aab_to_JMh`: hue in degrees, [0, 360).
pub fn aab_to_jmh(aab: F3, p: &Jmh) -> F3 {
    if aab[0] <= 0.0 {
        return [0.0; 3];
    }
    let j = achromatic_to_j(aab[0], p.cz);
    let m = sqrtf(aab[1] * aab[1] + aab[2] * aab[2]);
    let h_rad = atan2f(aab[2], aab[1]);
    let h = 180.0 * h_rad / PI;
    [j, m, if h < 0.0 { h + HUE_LIMIT } else { h }]
}

pub fn rgb_to_jmh(rgb: F3, p: &Jmh) -> F3 {
    aab_to_jmh(rgb_to_aab(rgb, p), p)
}

/// `JMh_to_Aab` with the hue's cosine and sine given.
pub fn jmh_to_aab_cs(jmh: F3, cos_hr: f32, sin_hr: f32, p: &Jmh) -> F3 {
    let a = j_to_achromatic(jmh[0], p.inv_cz);
    [a, jmh[1] * cos_hr, jmh[1] * sin_hr]
}

pub fn jmh_to_aab(jmh: F3, p: &Jmh) -> F3 {
    let (c, s) = cos_sin(to_radians(jmh[2]));
    jmh_to_aab_cs(jmh, c, s, p)
}

/// `Aab_to_RGB`.
pub fn aab_to_rgb(aab: F3, p: &Jmh) -> F3 {
    let a = mult_f3_f33(aab, &p.aab_to_cone);
    let m = a.map(cone_compress_inv);
    mult_f3_f33(m, &p.cam_to_rgb)
}

pub fn jmh_to_rgb(jmh: F3, p: &Jmh) -> F3 {
    aab_to_rgb(jmh_to_aab(jmh, p), p)
}

/// `chroma_compress_norm`.
pub fn chroma_compress_norm(cos_hr1: f32, sin_hr1: f32, scale: f32) -> f32 {
    let cos_hr2 = 2.0 * cos_hr1 * cos_hr1 - 1.0;
    let sin_hr2 = 2.0 * cos_hr1 * sin_hr1;
    let cos_hr3 = 4.0 * cos_hr1 * cos_hr1 * cos_hr1 - 3.0 * cos_hr1;
    let sin_hr3 = 3.0 * sin_hr1 - 4.0 * sin_hr1 * sin_hr1 * sin_hr1;
    let m = 11.34072 * cos_hr1
        + 16.46899 * cos_hr2
        + 7.88380 * cos_hr3
        + 14.66441 * sin_hr1
        + -6.37224 * sin_hr2
        + 9.19364 * sin_hr3
        + 77.12896;
    m * scale
}

fn toe_fwd(x: f32, limit: f32, k1_in: f32, k2_in: f32) -> f32 {
    if x > limit {
        return x;
    }
    let k2 = cmax(k2_in, 0.001);
    let k1 = sqrtf(k1_in * k1_in + k2 * k2);
    let k3 = (limit + k1) / (limit + k2);
    let minus_b = k3 * x - k1;
    let minus_ac = k2 * k3 * x;
    0.5 * (minus_b + sqrtf(minus_b * minus_b + 4.0 * minus_ac))
}

fn toe_inv(x: f32, limit: f32, k1_in: f32, k2_in: f32) -> f32 {
    if x > limit {
        return x;
    }
    let k2 = cmax(k2_in, 0.001);
    let k1 = sqrtf(k1_in * k1_in + k2 * k2);
    let k3 = (limit + k1) / (limit + k2);
    (x * x + k1 * x) / (k3 * (x + k2))
}

fn aces_tonescale(y_in: f32, pt: &Tonescale, inverse: bool) -> f32 {
    if inverse {
        let y_ts_norm = y_in / REFERENCE_LUMINANCE;
        let z = cmax(0.0, cmin(pt.inverse_limit, y_ts_norm));
        let f = (z + sqrtf(z * (4.0 * pt.t_1 + z))) / 2.0;
        return pt.s_2 / (powf(pt.m_2 / f, 1.0 / pt.g) - 1.0);
    }
    let f = pt.m_2 * powf(y_in / (y_in + pt.s_2), pt.g);
    cmax(0.0, f * f / (f + pt.t_1)) * pt.n_r
}

/// `tonescale_fwd` / `tonescale_inv`: J to tone-mapped J.
pub fn tonescale(j: f32, p: &Jmh, pt: &Tonescale, inverse: bool) -> f32 {
    let y_in = j_to_y(j.abs(), p);
    let y_out = aces_tonescale(y_in, pt, inverse);
    copysign(y_to_j_abs(y_out, p), j)
}

/// `tonescale_A_to_J_fwd`.
pub fn tonescale_a_to_j(a: f32, p: &Jmh, pt: &Tonescale) -> f32 {
    let y_in = a_to_y(a, p);
    let y_out = aces_tonescale(y_in, pt, false);
    copysign(y_to_j_abs(y_out, p), a)
}

/// `chroma_compress_fwd`.
pub fn chroma_compress_fwd(jmh: F3, j_ts: f32, m_norm: f32, pr: &Resolved, pc: &Chroma) -> F3 {
    let [j, m, h] = jmh;
    let mut m_cp = m;
    if m != 0.0 {
        let nj = j_ts / pr.limit_j_max;
        let snj = cmax(0.0, 1.0 - nj);
        let limit = powf(nj, pr.model_gamma_inv) * pr.reach_max_m / m_norm;
        m_cp = m * powf(j_ts / j, pr.model_gamma_inv);
        m_cp /= m_norm;
        m_cp = limit
            - toe_fwd(
                limit - m_cp,
                limit - 0.001,
                snj * pc.sat,
                sqrtf(nj * nj + pc.sat_thr),
            );
        m_cp = toe_fwd(m_cp, limit, nj * pc.compr, snj);
        m_cp *= m_norm;
    }
    [j_ts, m_cp, h]
}

/// `chroma_compress_inv`.
pub fn chroma_compress_inv(jmh: F3, j: f32, m_norm: f32, pr: &Resolved, pc: &Chroma) -> F3 {
    let [j_ts, m_cp, h] = jmh;
    let mut m = m_cp;
    if m_cp != 0.0 {
        let nj = j_ts / pr.limit_j_max;
        let snj = cmax(0.0, 1.0 - nj);
        let limit = powf(nj, pr.model_gamma_inv) * pr.reach_max_m / m_norm;
        m = m_cp / m_norm;
        m = toe_inv(m, limit, nj * pc.compr, snj);
        m = limit
            - toe_inv(
                limit - m,
                limit - 0.001,
                snj * pc.sat,
                sqrtf(nj * nj + pc.sat_thr),
            );
        m *= m_norm;
        m *= powf(j_ts / j, -pr.model_gamma_inv);
    }
    [j, m, h]
}

/// `get_focus_gain`.
pub fn focus_gain(j: f32, analytical_threshold: f32, limit_j_max: f32, focus_dist: f32) -> f32 {
    let mut gain = limit_j_max * focus_dist;
    if j > analytical_threshold {
        let mut adj = log10f((limit_j_max - analytical_threshold) / cmax(0.0001, limit_j_max - j));
        adj = adj * adj + 1.0;
        gain *= adj;
    }
    gain
}

/// `solve_J_intersect`.
pub fn solve_j_intersect(j: f32, m: f32, focus_j: f32, max_j: f32, slope_gain: f32) -> f32 {
    let m_scaled = m / slope_gain;
    let a = m_scaled / focus_j;
    if j < focus_j {
        let b = 1.0 - m_scaled;
        let c = -j;
        let det = b * b - 4.0 * a * c;
        let root = sqrtf(det);
        -2.0 * c / (b + root)
    } else {
        let b = -(1.0 + m_scaled + max_j * a);
        let c = max_j * m_scaled + j;
        let det = b * b - 4.0 * a * c;
        let root = sqrtf(det);
        -2.0 * c / (b - root)
    }
}

fn smin_scaled(a: f32, b: f32, scale_reference: f32) -> f32 {
    let s_scaled = SMOOTH_CUSPS * scale_reference;
    let h = cmax(s_scaled - (a - b).abs(), 0.0) / s_scaled;
    cmin(a, b) - h * h * h * s_scaled * (1.0 / 6.0)
}

/// `compute_compression_vector_slope`.
pub fn compression_vector_slope(intersect_j: f32, focus_j: f32, limit_j_max: f32, slope_gain: f32) -> f32 {
    let direction_scaler = if intersect_j < focus_j {
        intersect_j
    } else {
        limit_j_max - intersect_j
    };
    direction_scaler * (intersect_j - focus_j) / (focus_j * slope_gain)
}

/// `estimate_line_and_boundary_intersection_M`.
pub fn line_boundary_m(j_axis: f32, slope: f32, inv_gamma: f32, j_max: f32, m_max: f32, j_ref: f32) -> f32 {
    let normalised_j = j_axis / j_ref;
    let shifted = j_ref * powf(normalised_j, inv_gamma);
    shifted * m_max / (j_max - slope * m_max)
}

/// `find_gamut_boundary_intersection`.
pub fn gamut_boundary(
    jm_cusp: [f32; 2],
    j_max: f32,
    gamma_top_inv: f32,
    gamma_bottom_inv: f32,
    j_intersect_source: f32,
    slope: f32,
    j_intersect_cusp: f32,
) -> f32 {
    let lower = line_boundary_m(
        j_intersect_source,
        slope,
        gamma_bottom_inv,
        jm_cusp[0],
        jm_cusp[1],
        j_intersect_cusp,
    );
    let f_cusp = j_max - j_intersect_cusp;
    let f_source = j_max - j_intersect_source;
    let f_cusp_j = j_max - jm_cusp[0];
    let upper = line_boundary_m(f_source, -slope, gamma_top_inv, f_cusp_j, jm_cusp[1], f_cusp);
    smin_scaled(lower, upper, jm_cusp[1])
}

fn remap_m(m: f32, gamut_boundary_m: f32, reach_boundary_m: f32, invert: bool) -> f32 {
    let boundary_ratio = gamut_boundary_m / reach_boundary_m;
    let proportion = cmax(boundary_ratio, COMPRESSION_THRESHOLD);
    let threshold = proportion * gamut_boundary_m;
    if m <= threshold || proportion >= 1.0 {
        return m;
    }
    let m_offset = m - threshold;
    let gamut_offset = gamut_boundary_m - threshold;
    let reach_offset = reach_boundary_m - threshold;
    let scale = reach_offset / ((reach_offset / gamut_offset) - 1.0);
    let nd = m_offset / scale;
    let remapped = if invert {
        if nd >= 1.0 {
            scale
        } else {
            scale * -(nd / (nd - 1.0))
        }
    } else {
        scale * nd / (1.0 + nd)
    };
    threshold + remapped
}

/// `HueDependantGamutParams`.
#[derive(Debug, Clone, Copy)]
pub struct HueGamut {
    pub gamma_bottom_inv: f32,
    pub jm_cusp: [f32; 2],
    pub gamma_top_inv: f32,
    pub focus_j: f32,
    pub analytical_threshold: f32,
}

/// `compute_focusJ`.
pub fn focus_j(cusp_j: f32, mid_j: f32, limit_j_max: f32) -> f32 {
    lerpf(cusp_j, mid_j, cmin(1.0, CUSP_MID_BLEND - (cusp_j / limit_j_max)))
}

/// `compressGamut`.
pub fn compress_gamut(jmh: F3, jx: f32, sr: &Resolved, g: &Gamut, hdp: &HueGamut, invert: bool) -> F3 {
    let [j, m, h] = jmh;
    let slope_gain = focus_gain(jx, hdp.analytical_threshold, sr.limit_j_max, g.focus_dist);
    let j_intersect_source = solve_j_intersect(j, m, hdp.focus_j, sr.limit_j_max, slope_gain);
    let gamut_slope =
        compression_vector_slope(j_intersect_source, hdp.focus_j, sr.limit_j_max, slope_gain);
    let j_intersect_cusp = solve_j_intersect(
        hdp.jm_cusp[0],
        hdp.jm_cusp[1],
        hdp.focus_j,
        sr.limit_j_max,
        slope_gain,
    );
    let gamut_boundary_m = gamut_boundary(
        hdp.jm_cusp,
        sr.limit_j_max,
        hdp.gamma_top_inv,
        hdp.gamma_bottom_inv,
        j_intersect_source,
        gamut_slope,
        j_intersect_cusp,
    );
    if gamut_boundary_m <= 0.0 {
        return [j, 0.0, h];
    }
    let reach_boundary_m = line_boundary_m(
        j_intersect_source,
        gamut_slope,
        sr.model_gamma_inv,
        sr.limit_j_max,
        sr.reach_max_m,
        sr.limit_j_max,
    );
    let remapped = remap_m(m, gamut_boundary_m, reach_boundary_m, invert);
    [j_intersect_source + remapped * gamut_slope, remapped, h]
}

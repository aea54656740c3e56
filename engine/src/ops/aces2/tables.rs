//! The ACES 2.0 constants and tables OpenColorIO builds once per op
//! (`init_JMhParams`, `init_ToneScaleParams`, the reach, hue and cusp
//! tables and the upper hull gammas of `Transform.cpp`), computed the same
//! way in f32 (matrices from f64 primaries, as OpenColorIO's
//! `build_conversion_matrix` makes them).

// OpenColorIO's constants, as its source writes them.
#![allow(clippy::excessive_precision)]

use super::model::*;
use super::libm::{log10f, logf};
use crate::ops::mathf::powf;

/// CIE xy of red, green, blue and white.
pub type Xy = [[f64; 2]; 4];

pub const AP0: Xy = [[0.7347, 0.2653], [0.0, 1.0], [0.0001, -0.077], [0.32168, 0.33767]];
pub const AP1: Xy = [[0.713, 0.293], [0.165, 0.830], [0.128, 0.044], [0.32168, 0.33767]];
const CAM16: Xy = [[0.8336, 0.1735], [2.3854, -1.4659], [0.087, -0.125], [0.333, 0.333]];

pub type D33 = [[f64; 3]; 3];

/// OpenColorIO's `MatrixArray::inverse` (Imath's Gauss-Jordan with
/// partial pivoting on the 4x4 matrix), so the f64 results, and the floats
/// made of them, are OpenColorIO's to the bit. A singular matrix (refused
/// by validation before this runs) gives non-finite values.
pub fn inv_d(m: &D33) -> D33 {
    let mut t = [[0.0f64; 4]; 4];
    let mut s = [[0.0f64; 4]; 4];
    for i in 0..3 {
        t[i][..3].copy_from_slice(&m[i]);
    }
    t[3][3] = 1.0;
    for (i, row) in s.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for i in 0..3 {
        let mut pivot = i;
        let mut pivotsize = t[i][i].abs();
        for (j, row) in t.iter().enumerate().skip(i + 1) {
            let tmp = row[i].abs();
            if tmp > pivotsize {
                pivot = j;
                pivotsize = tmp;
            }
        }
        if pivot != i {
            t.swap(i, pivot);
            s.swap(i, pivot);
        }
        for j in i + 1..4 {
            let f = t[j][i] / t[i][i];
            for k in 0..4 {
                t[j][k] -= f * t[i][k];
                s[j][k] -= f * s[i][k];
            }
        }
    }
    for i in (0..4).rev() {
        let f = t[i][i];
        for k in 0..4 {
            t[i][k] /= f;
            s[i][k] /= f;
        }
        for j in 0..i {
            let f = t[j][i];
            for k in 0..4 {
                t[j][k] -= f * t[i][k];
                s[j][k] -= f * s[i][k];
            }
        }
    }
    [
        [s[0][0], s[0][1], s[0][2]],
        [s[1][0], s[1][1], s[1][2]],
        [s[2][0], s[2][1], s[2][2]],
    ]
}

/// `rgb2xyz_from_xy` in f64.
pub fn rgb_to_xyz_d(p: &Xy) -> D33 {
    let col = |xy: [f64; 2]| [xy[0], xy[1], 1.0 - xy[0] - xy[1]];
    let (r, g, b) = (col(p[0]), col(p[1]), col(p[2]));
    let m = [[r[0], g[0], b[0]], [r[1], g[1], b[1]], [r[2], g[2], b[2]]];
    let mi = inv_d(&m);
    let w = [p[3][0] / p[3][1], 1.0, (1.0 - p[3][0] - p[3][1]) / p[3][1]];
    let mut out = [[0.0; 3]; 3];
    for i in 0..3 {
        let gain = w[0] * mi[i][0] + w[1] * mi[i][1] + w[2] * mi[i][2];
        for j in 0..3 {
            out[j][i] = gain * m[j][i];
        }
    }
    out
}

fn to_f33(m: &D33) -> M33 {
    [
        m[0][0] as f32, m[0][1] as f32, m[0][2] as f32, m[1][0] as f32, m[1][1] as f32,
        m[1][2] as f32, m[2][0] as f32, m[2][1] as f32, m[2][2] as f32,
    ]
}

/// `invert_f33`: the float matrix inverted in f64, rounded to float.
fn invert_f33(m: &M33) -> M33 {
    let d = [
        [m[0] as f64, m[1] as f64, m[2] as f64],
        [m[3] as f64, m[4] as f64, m[5] as f64],
        [m[6] as f64, m[7] as f64, m[8] as f64],
    ];
    to_f33(&inv_d(&d))
}

fn mult_f33_f33(a: &M33, b: &M33) -> M33 {
    let mut out = [0.0f32; 9];
    for i in 0..3 {
        for j in 0..3 {
            out[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
        }
    }
    out
}

/// `scale_f33(Identity_M33, s)`.
fn diag(s: F3) -> M33 {
    [s[0], 0.0, 0.0, 0.0, s[1], 0.0, 0.0, 0.0, s[2]]
}

fn model_gamma() -> f32 {
    SURROUND[1] * (1.48 + sqrtf(Y_B / REFERENCE_LUMINANCE))
}

/// `init_JMhParams`.
pub fn jmh_params(prims: &Xy) -> Jmh {
    let base_cone_to_aab: M33 = [
        2.0,
        1.0,
        1.0 / 20.0,
        1.0,
        -12.0 / 11.0,
        1.0 / 11.0,
        1.0 / 9.0,
        1.0 / 9.0,
        -2.0 / 9.0,
    ];
    let matrix_16 = to_f33(&inv_d(&rgb_to_xyz_d(&CAM16)));
    let rgb_to_xyz = to_f33(&rgb_to_xyz_d(prims));
    let xyz_w = mult_f3_f33([REFERENCE_LUMINANCE; 3], &rgb_to_xyz);
    let y_w = xyz_w[1];
    let rgb_w = mult_f3_f33(xyz_w, &matrix_16);

    const K: f32 = 1.0 / (5.0 * L_A + 1.0);
    const K4: f32 = K * K * K * K;
    let f_l = 0.2 * K4 * (5.0 * L_A) + 0.1 * powf(1.0 - K4, 2.0) * powf(5.0 * L_A, 1.0 / 3.0);
    let f_l_n = f_l / REFERENCE_LUMINANCE;
    let cz = model_gamma();
    let inv_cz = 1.0 / cz;

    let d_rgb = [
        f_l_n * y_w / rgb_w[0],
        f_l_n * y_w / rgb_w[1],
        f_l_n * y_w / rgb_w[2],
    ];
    let rgb_wc = [d_rgb[0] * rgb_w[0], d_rgb[1] * rgb_w[1], d_rgb[2] * rgb_w[2]];
    let rgb_aw = rgb_wc.map(cone_compress_fwd);

    let cone_to_aab = mult_f33_f33(&diag([CAM_NL_SCALE; 3]), &base_cone_to_aab);
    let a_w = cone_to_aab[0] * rgb_aw[0] + cone_to_aab[1] * rgb_aw[1] + cone_to_aab[2] * rgb_aw[2];
    let a_w_j = {
        let f_l_y = powf(f_l, 0.42);
        f_l_y / (CAM_NL_OFFSET + f_l_y)
    };
    let inv_a_w_j = 1.0 / a_w_j;

    // RGBtoRGB_f33(prims, CAM16): both float matrices, multiplied in float.
    let rgb_to_rgb16 = mult_f33_f33(&matrix_16, &rgb_to_xyz);
    let rgb_to_cam16 = mult_f33_f33(&rgb_to_rgb16, &diag([REFERENCE_LUMINANCE; 3]));
    let rgb_to_cam = mult_f33_f33(&diag(d_rgb), &rgb_to_cam16);
    let cam_to_rgb = invert_f33(&rgb_to_cam);

    // `c * 43.f * surround[2]`: (c * 43) * 0.9, two roundings.
    let c = &cone_to_aab;
    let s = |v: f32| v * 43.0 * SURROUND[2];
    let cone_to_aab_n: M33 = [
        c[0] / a_w,
        c[1] / a_w,
        c[2] / a_w,
        s(c[3]),
        s(c[4]),
        s(c[5]),
        s(c[6]),
        s(c[7]),
        s(c[8]),
    ];
    let aab_to_cone = invert_f33(&cone_to_aab_n);
    Jmh {
        rgb_to_cam,
        cam_to_rgb,
        cone_to_aab: cone_to_aab_n,
        aab_to_cone,
        f_l_n,
        cz,
        inv_cz,
        a_w_j,
        inv_a_w_j,
    }
}

/// `init_ToneScaleParams`: the pixel constants, plus `c_t`,
/// `forward_limit` and `log_peak` for the other initialisers.
pub fn tonescale_params(peak: f32) -> (Tonescale, f32, f32, f32) {
    let n = peak;
    let n_r = 100.0f32;
    let g = 1.15f32;
    let c = 0.18f32;
    let c_d = 10.013f32;
    let w_g = 0.14f32;
    let t_1 = 0.04f32;
    let r_hit_min = 128.0f32;
    let r_hit_max = 896.0f32;
    // `log` and `log10` of a float: logf and log10f (`log(10000.f/100.f)`
    // and `log(2.f)` are folded by the compiler: the correctly rounded
    // values, as f64's `ln` rounds them).
    let ln = |x: f32| f64::from(x).ln() as f32;
    let r_hit = r_hit_min + (r_hit_max - r_hit_min) * (logf(n / n_r) / ln(10000.0 / 100.0));
    let m_0 = n / n_r;
    let m_1 = 0.5 * (m_0 + sqrtf(m_0 * (m_0 + 4.0 * t_1)));
    let u = powf((r_hit / m_1) / ((r_hit / m_1) + 1.0), g);
    let m = m_1 / u;
    let w_i = logf(n / 100.0) / ln(2.0);
    let c_t = c_d / n_r * (1.0 + w_i * w_g);
    let g_ip = 0.5 * (c_t + sqrtf(c_t * (c_t + 4.0 * t_1)));
    let g_ipp2 = -(m_1 * powf(g_ip / m, 1.0 / g)) / (powf(g_ip / m, 1.0 / g) - 1.0);
    let w_2 = c / g_ipp2;
    let s_2 = w_2 * m_1 * REFERENCE_LUMINANCE;
    let u_2 = powf((r_hit / m_1) / ((r_hit / m_1) + w_2), g);
    let m_2 = m_1 / u_2;
    let inverse_limit = n / (u_2 * n_r);
    let forward_limit = 8.0 * r_hit;
    let log_peak = log10f(n / n_r);
    (
        Tonescale {
            n_r,
            g,
            t_1,
            s_2,
            m_2,
            inverse_limit,
        },
        c_t,
        forward_limit,
        log_peak,
    )
}

/// `limit_J_max` and `model_gamma_inv` of `init_SharedCompressionParams`.
pub fn shared_params(peak: f32, input: &Jmh) -> (f32, f32) {
    (y_to_j(peak, input), 1.0 / model_gamma())
}

/// `init_ChromaCompressParams`.
pub fn chroma_params(peak: f32, log_peak: f32) -> Chroma {
    Chroma {
        compr: CHROMA_COMPRESS + (CHROMA_COMPRESS * CHROMA_COMPRESS_FACT) * log_peak,
        sat: cmax(0.2, CHROMA_EXPAND - (CHROMA_EXPAND * CHROMA_EXPAND_FACT) * log_peak),
        sat_thr: CHROMA_EXPAND_THR / peak,
        scale: powf(0.03379 * peak, 0.30596) - 0.45135,
    }
}

/// `make_reach_m_table`.
pub fn reach_m_table(params: &Jmh, limit_j_max: f32) -> Vec<f32> {
    let mut t = vec![0.0f32; TABLE_TOTAL];
    let below = |rgb: F3| rgb[0] < 0.0 || rgb[1] < 0.0 || rgb[2] < 0.0;
    for i in 0..TABLE_NOMINAL {
        let hue = i as f32;
        let search_range = 50.0f32;
        let search_maximum = 1300.0f32;
        let mut low = 0.0f32;
        let mut high = low + search_range;
        let mut outside = false;
        while !outside && high < search_maximum {
            outside = below(jmh_to_rgb([limit_j_max, high, hue], params));
            if !outside {
                low = high;
                high += search_range;
            }
        }
        while high - low > 1e-2 {
            let sample_m = (high + low) / 2.0;
            if below(jmh_to_rgb([limit_j_max, sample_m, hue], params)) {
                high = sample_m;
            } else {
                low = sample_m;
            }
        }
        t[i + TABLE_BASE] = high;
    }
    t[0] = t[TABLE_LAST_NOMINAL];
    t[TABLE_UPPER_WRAP] = t[TABLE_BASE];
    t[TABLE_UPPER_WRAP + 1] = t[TABLE_BASE + 1];
    t
}

const CORNERS: usize = 6;
const TOTAL_CORNERS: usize = CORNERS + 2;

/// `generate_unit_cube_cusp_corners`: R, Y, G, C, B, M.
fn unit_corner(corner: usize) -> F3 {
    let on = |k: usize| if (corner + k) % CORNERS < 3 { 1.0 } else { 0.0 };
    [on(1), on(5), on(3)]
}

/// Rotates six corners so the lowest hue is at [1], with wrapped copies at
/// [0] and [7].
fn cycle<T: Copy>(temp: &[T; CORNERS], min_index: usize) -> [T; TOTAL_CORNERS] {
    let mut out = [temp[0]; TOTAL_CORNERS];
    for i in 0..CORNERS {
        out[i + 1] = temp[(i + min_index) % CORNERS];
    }
    out[0] = out[CORNERS];
    out[CORNERS + 1] = out[1];
    out
}

fn wrap_ends(jmh: &mut [F3; TOTAL_CORNERS]) {
    jmh[0][2] -= HUE_LIMIT;
    jmh[CORNERS + 1][2] += HUE_LIMIT;
}

/// `build_limiting_cusp_corners_tables`.
fn limiting_corners(params: &Jmh, peak: f32) -> ([F3; TOTAL_CORNERS], [F3; TOTAL_CORNERS]) {
    let mut rgb = [[0.0f32; 3]; CORNERS];
    let mut jmh = [[0.0f32; 3]; CORNERS];
    let mut min_index = 0;
    for i in 0..CORNERS {
        rgb[i] = unit_corner(i).map(|v| peak / REFERENCE_LUMINANCE * v);
        jmh[i] = rgb_to_jmh(rgb[i], params);
        if jmh[i][2] < jmh[min_index][2] {
            min_index = i;
        }
    }
    let rgb_c = cycle(&rgb, min_index);
    let mut jmh_c = cycle(&jmh, min_index);
    wrap_ends(&mut jmh_c);
    (rgb_c, jmh_c)
}

/// `find_reach_corners_table`.
fn reach_corners(params: &Jmh, limit_j: f32, maximum_source: f32) -> [F3; TOTAL_CORNERS] {
    let mut jmh = [[0.0f32; 3]; CORNERS];
    let limit_a = j_to_achromatic(limit_j, params.inv_cz);
    let mut min_index = 0;
    for i in 0..CORNERS {
        let v = unit_corner(i);
        let mut lower = 0.0f32;
        let mut upper = maximum_source;
        while (upper - lower) > 1e-3 {
            let test = (lower + upper) / 2.0;
            let a = rgb_to_aab(v.map(|c| test * c), params)[0];
            if a < limit_a {
                lower = test;
            } else {
                upper = test;
            }
            if a == limit_a {
                break;
            }
        }
        jmh[i] = rgb_to_jmh(v.map(|c| upper * c), params);
        if jmh[i][2] < jmh[min_index][2] {
            min_index = i;
        }
    }
    let mut out = cycle(&jmh, min_index);
    wrap_ends(&mut out);
    out
}

/// `extract_sorted_cube_hues`.
fn sorted_hues(reach: &[F3; TOTAL_CORNERS], display: &[F3; TOTAL_CORNERS]) -> Vec<f32> {
    let mut out = Vec::with_capacity(2 * CORNERS);
    let (mut r, mut d) = (1, 1);
    while r < CORNERS + 1 || d < CORNERS + 1 {
        let (rh, dh) = (reach[r][2], display[d][2]);
        if rh == dh {
            out.push(rh);
            r += 1;
            d += 1;
        } else if rh < dh {
            out.push(rh);
            r += 1;
        } else {
            out.push(dh);
            d += 1;
        }
    }
    out
}

fn sample_interval(samples: u32, lower: f32, upper: f32, table: &mut [f32], base: u32) {
    let delta = (upper - lower) / samples as f32;
    for i in 0..samples {
        if let Some(v) = table.get_mut((base + i) as usize) {
            *v = lower + i as f32 * delta;
        }
    }
}

/// `build_hue_table`.
fn hue_table(sorted: &[f32]) -> Vec<f32> {
    let nominal = TABLE_NOMINAL as u32;
    let mut table = vec![0.0f32; TABLE_TOTAL];
    let ideal_spacing = TABLE_NOMINAL as f32 / HUE_LIMIT;
    let mut counts = [0u32; 2 * CORNERS + 2];
    let mut last_idx = u32::MAX;
    let mut min_index: u32 = if sorted[0] == 0.0 { 0 } else { 1 };
    for (hue_idx, &hue) in sorted.iter().enumerate() {
        // C's (unsigned) of the rounded float; negatives wrap as on x86
        // (and are then clamped by the min below).
        let rounded = (hue * ideal_spacing).round();
        let as_u = if rounded < 0.0 {
            (rounded as i64) as u32
        } else {
            rounded as u32
        };
        let mut nominal_idx = as_u.max(min_index).min(nominal - 1);
        if last_idx == nominal_idx {
            if hue_idx > 1 && counts[hue_idx - 2] != counts[hue_idx - 1].wrapping_sub(1) {
                counts[hue_idx - 1] = counts[hue_idx - 1].wrapping_sub(1);
            } else {
                nominal_idx += 1;
            }
        }
        counts[hue_idx] = nominal_idx.min(nominal - 1);
        last_idx = nominal_idx;
        min_index = nominal_idx;
    }
    let mut total = 0u32;
    let mut i = 0;
    sample_interval(counts[0], 0.0, sorted[0], &mut table, total + 1);
    total += counts[0];
    i += 1;
    while i < sorted.len() {
        let samples = counts[i].wrapping_sub(counts[i - 1]);
        sample_interval(samples, sorted[i - 1], sorted[i], &mut table, total + 1);
        total = total.wrapping_add(samples);
        i += 1;
    }
    sample_interval(
        nominal.wrapping_sub(total),
        sorted[i - 1],
        HUE_LIMIT,
        &mut table,
        total + 1,
    );
    table[0] = table[TABLE_LAST_NOMINAL] - HUE_LIMIT;
    table[TABLE_UPPER_WRAP] = table[TABLE_BASE] + HUE_LIMIT;
    table[TABLE_UPPER_WRAP + 1] = table[TABLE_BASE + 1] + HUE_LIMIT;
    table
}

fn lerp3(a: F3, b: F3, t: f32) -> F3 {
    [lerpf(a[0], b[0], t), lerpf(a[1], b[1], t), lerpf(a[2], b[2], t)]
}

/// `find_display_cusp_for_hue`.
fn display_cusp(
    hue: f32,
    rgb_c: &[F3; TOTAL_CORNERS],
    jmh_c: &[F3; TOTAL_CORNERS],
    params: &Jmh,
    previous: &mut [f32; 2],
) -> [f32; 2] {
    let mut upper_corner = 1;
    for (i, c) in jmh_c.iter().enumerate().skip(1) {
        if c[2] > hue {
            upper_corner = i;
            break;
        }
    }
    let lower_corner = upper_corner - 1;
    if jmh_c[lower_corner][2] == hue {
        return [jmh_c[lower_corner][0], jmh_c[lower_corner][1]];
    }
    let (cusp_lower, cusp_upper) = (rgb_c[lower_corner], rgb_c[upper_corner]);
    let mut lower_t = if upper_corner as f32 == previous[0] {
        previous[1]
    } else {
        0.0
    };
    let mut upper_t = 1.0f32;
    while (upper_t - lower_t) > 1e-7 {
        let sample_t = (lower_t + upper_t) / 2.0;
        let jmh = rgb_to_jmh(lerp3(cusp_lower, cusp_upper, sample_t), params);
        if jmh[2] < jmh_c[lower_corner][2] {
            upper_t = sample_t;
        } else if jmh[2] >= jmh_c[upper_corner][2] {
            lower_t = sample_t;
        } else if jmh[2] > hue {
            upper_t = sample_t;
        } else {
            lower_t = sample_t;
        }
    }
    let sample_t = (lower_t + upper_t) / 2.0;
    let jmh = rgb_to_jmh(lerp3(cusp_lower, cusp_upper, sample_t), params);
    previous[0] = upper_corner as f32;
    previous[1] = sample_t;
    [jmh[0], jmh[1]]
}

/// The gamut compression's tables: hues, cusps (J, M, upper hull gamma
/// inverse) and the hue search range (`make_uniform_hue_gamut_table`,
/// `determine_hue_linearity_search_range`, `make_upper_hull_gamma`).
pub struct GamutTables {
    pub hues: Vec<f32>,
    pub cusps: Vec<F3>,
    pub search: [i32; 2],
}

#[allow(clippy::too_many_arguments)]
pub fn gamut_tables(
    reach: &Jmh,
    limit: &Jmh,
    peak: f32,
    forward_limit: f32,
    limit_j_max: f32,
    mid_j: f32,
    focus_dist: f32,
    lower_hull_gamma_inv: f32,
) -> GamutTables {
    let reach_c = reach_corners(reach, limit_j_max, forward_limit);
    let (rgb_c, jmh_c) = limiting_corners(limit, peak);
    let hues = hue_table(&sorted_hues(&reach_c, &jmh_c));

    let mut cusps = vec![[0.0f32; 3]; TABLE_TOTAL];
    let mut previous = [0.0f32; 2];
    for i in TABLE_BASE..TABLE_UPPER_WRAP {
        let jm = display_cusp(hues[i], &rgb_c, &jmh_c, limit, &mut previous);
        cusps[i] = [jm[0], jm[1] * (1.0 + SMOOTH_M * SMOOTH_CUSPS), hues[i]];
    }
    cusps[0] = [cusps[TABLE_LAST_NOMINAL][0], cusps[TABLE_LAST_NOMINAL][1], hues[0]];
    for k in 0..2 {
        let w = TABLE_UPPER_WRAP + k;
        cusps[w] = [cusps[TABLE_BASE + k][0], cusps[TABLE_BASE + k][1], hues[w]];
    }

    let mut search = [0i32, 1i32];
    for (i, c) in cusps.iter().enumerate().take(TABLE_UPPER_WRAP).skip(TABLE_BASE) {
        let pos = TABLE_BASE as i32 + c[2] as u32 as i32;
        let delta = i as i32 - pos;
        search[0] = search[0].min(delta);
        search[1] = search[1].max(delta + 1);
    }

    for i in TABLE_BASE..TABLE_UPPER_WRAP {
        let jm = [cusps[i][0], cusps[i][1]];
        cusps[i][2] = 1.0
            / upper_hull_gamma(
                jm,
                hues[i],
                peak,
                limit_j_max,
                mid_j,
                focus_dist,
                lower_hull_gamma_inv,
                limit,
            );
    }
    cusps[0][2] = cusps[TABLE_LAST_NOMINAL][2];
    cusps[TABLE_UPPER_WRAP][2] = cusps[TABLE_BASE][2];
    cusps[TABLE_UPPER_WRAP + 1][2] = cusps[TABLE_BASE + 1][2];
    GamutTables {
        hues,
        cusps,
        search,
    }
}

/// The search of `make_upper_hull_gamma` for one hue: the smallest gamma
/// (to 1e-5) whose hull puts every test point outside the limiting gamut.
#[allow(clippy::too_many_arguments)]
fn upper_hull_gamma(
    jm_cusp: [f32; 2],
    hue: f32,
    peak: f32,
    limit_j_max: f32,
    mid_j: f32,
    focus_dist: f32,
    lower_hull_gamma_inv: f32,
    limit: &Jmh,
) -> f32 {
    // generate_gamma_test_data
    const POSITIONS: [f32; 5] = [0.01, 0.1, 0.5, 0.8, 0.99];
    let analytical_threshold = lerpf(jm_cusp[0], limit_j_max, FOCUS_GAIN_BLEND);
    let fj = focus_j(jm_cusp[0], mid_j, limit_j_max);
    let data = POSITIONS.map(|pos| {
        let test_j = lerpf(jm_cusp[0], limit_j_max, pos);
        let slope_gain = focus_gain(test_j, analytical_threshold, limit_j_max, focus_dist);
        let j_intersect_source = solve_j_intersect(test_j, jm_cusp[1], fj, limit_j_max, slope_gain);
        (
            j_intersect_source,
            compression_vector_slope(j_intersect_source, fj, limit_j_max, slope_gain),
            solve_j_intersect(jm_cusp[0], jm_cusp[1], fj, limit_j_max, slope_gain),
        )
    });
    let luminance_limit = peak / REFERENCE_LUMINANCE;
    let fits = |gamma: f32| {
        let top_inv = 1.0 / gamma;
        data.iter().all(|&(j_source, slope, j_cusp)| {
            let m = gamut_boundary(
                jm_cusp,
                limit_j_max,
                top_inv,
                lower_hull_gamma_inv,
                j_source,
                slope,
                j_cusp,
            );
            let j = j_source + slope * m;
            let rgb = jmh_to_rgb([j, m, hue], limit);
            rgb[0] > luminance_limit || rgb[1] > luminance_limit || rgb[2] > luminance_limit
        })
    };
    let search_range = 0.4f32;
    let mut low = 0.0f32;
    let mut high = low + search_range;
    let mut outside = false;
    while !outside && high < 5.0 {
        if fits(high) {
            outside = true;
        } else {
            low = high;
            high += search_range;
        }
    }
    while (high - low) > 1e-5 {
        let test = (high + low) / 2.0;
        if fits(test) {
            high = test;
        } else {
            low = test;
        }
    }
    high
}

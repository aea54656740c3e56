//! The ACES 2.0 fixed functions' prepared constants ([`Aces2Prepared`]):
//! the appearance-model constants of the input (AP0, or the given
//! primaries for RgbToJmh20) and limiting primaries, the tonescale, chroma
//! and gamut compression constants, and the hue, reach and cusp tables,
//! as OpenColorIO's renderers hold them; and the per-pixel maths of each
//! style (`FixedFunctionOpCPU.cpp`'s `Renderer_ACES_*_20`).
//!
//! Record layout: flags bits 8..15 = [`Aces2Style`] index, `INVERSE` for
//! the inverse direction; `n` = [`DATA_LEN`]; p0..p6 the scalars in the
//! order of [`Aces2Prepared::scalars`]; `data` (at the record's offset):
//! the input's four matrices (RGB to CAM16, CAM16 to RGB, cone response to
//! Aab, Aab to cone response; 9 each, row-major), the limiting primaries'
//! four, then the reach table (363), the hue table (363) and the cusp
//! table (363 x (J, M, upper hull gamma inverse)).

#[allow(unused_imports)]
use super::*;
use super::model::*;
use crate::grade::packed::{self, OpRecord};
use crate::ops::{per_pixel, Prepared};

/// Floats of an op's table data.
pub const DATA_LEN: usize = 72 + 5 * TABLE_TOTAL;

/// Prepared ACES 2.0 fixed function.
#[derive(Debug, Clone, PartialEq)]
pub struct Aces2Prepared {
    pub style: Aces2Style,
    pub inverse: bool,
    /// AP0 (RgbToJmh20: the op's primaries); boxed, as the two sets of
    /// matrices would make every prepared op five times its size.
    pub input: Box<Jmh>,
    /// The limiting primaries.
    pub limit: Box<Jmh>,
    pub tonescale: Tonescale,
    pub limit_j_max: f32,
    pub model_gamma_inv: f32,
    pub chroma: Chroma,
    pub gamut: Gamut,
    /// Reach M per degree of hue, with wrap entries.
    pub reach: Vec<f32>,
    /// The gamut table's hues, with wrap entries.
    pub hues: Vec<f32>,
    /// Cusp J, M and upper hull gamma inverse per hue of `hues`.
    pub cusps: Vec<F3>,
}

/// `t[i]`, with `i` held inside the table (a NaN hue indexes 0).
#[inline(always)]
fn at<T: Copy>(t: &[T], i: usize) -> T {
    t[i.min(t.len() - 1)]
}

impl Aces2Prepared {
    /// The record's scalars, p0..p6 in order.
    fn scalars(&self) -> [f32; 28] {
        let (i, l, t, c, g) = (
            &self.input,
            &self.limit,
            &self.tonescale,
            &self.chroma,
            &self.gamut,
        );
        [
            i.f_l_n,
            i.cz,
            i.inv_cz,
            i.a_w_j,
            i.inv_a_w_j,
            l.f_l_n,
            l.cz,
            l.inv_cz,
            l.a_w_j,
            l.inv_a_w_j,
            t.n_r,
            t.g,
            t.t_1,
            t.s_2,
            t.m_2,
            t.inverse_limit,
            self.limit_j_max,
            self.model_gamma_inv,
            c.sat,
            c.sat_thr,
            c.compr,
            c.scale,
            g.mid_j,
            g.focus_dist,
            g.lower_hull_gamma_inv,
            g.search[0] as f32,
            g.search[1] as f32,
            0.0,
        ]
    }

    /// `resolve_CompressionParams`: the reach M of `hue` from the table
    /// (`reach_m_from_table`, one entry per degree).
    #[inline(always)]
    fn resolve(&self, h: f32) -> Resolved {
        let base = h as u32;
        let t = h - base as f32;
        let i_lo = base as usize + TABLE_BASE;
        Resolved {
            limit_j_max: self.limit_j_max,
            model_gamma_inv: self.model_gamma_inv,
            reach_max_m: lerpf(at(&self.reach, i_lo), at(&self.reach, i_lo + 1), t),
        }
    }

    /// `lookup_hue_interval`: the upper index of the hue table interval
    /// holding `h`.
    #[inline(always)]
    fn hue_interval(&self, h: f32) -> usize {
        let i = TABLE_BASE as i32 + h as u32 as i32;
        let mut lo = (i + self.gamut.search[0]).max(0);
        let mut hi = (i + self.gamut.search[1]).min(TABLE_UPPER_WRAP as i32);
        let mut i = i;
        while lo + 1 < hi {
            if h > at(&self.hues, i.max(0) as usize) {
                lo = i;
            } else {
                hi = i;
            }
            i = (lo + hi) / 2;
        }
        hi.max(1) as usize
    }

    /// `init_HueDependantGamutParams`.
    #[inline(always)]
    fn hue_gamut(&self, hue: f32) -> HueGamut {
        let i_hi = self.hue_interval(hue);
        let (h_lo, h_hi) = (at(&self.hues, i_hi - 1), at(&self.hues, i_hi));
        let t = (hue - h_lo) / (h_hi - h_lo);
        let (c_lo, c_hi) = (at(&self.cusps, i_hi - 1), at(&self.cusps, i_hi));
        let cusp = [
            lerpf(c_lo[0], c_hi[0], t),
            lerpf(c_lo[1], c_hi[1], t),
            lerpf(c_lo[2], c_hi[2], t),
        ];
        HueGamut {
            gamma_bottom_inv: self.gamut.lower_hull_gamma_inv,
            jm_cusp: [cusp[0], cusp[1]],
            gamma_top_inv: cusp[2],
            focus_j: focus_j(cusp[0], self.gamut.mid_j, self.limit_j_max),
            analytical_threshold: lerpf(cusp[0], self.limit_j_max, FOCUS_GAIN_BLEND),
        }
    }

    /// `gamut_compress_fwd` / `gamut_compress_inv`.
    #[inline(always)]
    fn gamut_compress(&self, jmh: F3, sr: &Resolved) -> F3 {
        let [j, m, h] = jmh;
        if j <= 0.0 {
            return [0.0, 0.0, h];
        }
        if m <= 0.0 || j > sr.limit_j_max {
            return [j, 0.0, h];
        }
        let hdp = self.hue_gamut(h);
        if !self.inverse {
            return compress_gamut(jmh, j, sr, &self.gamut, &hdp, false);
        }
        let mut jx = j;
        if jx > hdp.analytical_threshold {
            jx = compress_gamut(jmh, jx, sr, &self.gamut, &hdp, true)[0];
        }
        compress_gamut(jmh, jx, sr, &self.gamut, &hdp, true)
    }

    /// `Renderer_ACES_OutputTransform20::fwd`.
    #[inline(always)]
    fn output_fwd(&self, rgb: F3) -> F3 {
        let aab = rgb_to_aab(rgb, &self.input);
        let jmh = aab_to_jmh(aab, &self.input);
        let rp = self.resolve(jmh[2]);
        let (c, s) = cos_sin(to_radians(jmh[2]));
        let m_norm = chroma_compress_norm(c, s, self.chroma.scale);
        let j_ts = tonescale_a_to_j(aab[0], &self.input, &self.tonescale);
        let tone_mapped = chroma_compress_fwd(jmh, j_ts, m_norm, &rp, &self.chroma);
        let compressed = self.gamut_compress(tone_mapped, &rp);
        aab_to_rgb(jmh_to_aab_cs(compressed, c, s, &self.limit), &self.limit)
    }

    /// `Renderer_ACES_OutputTransform20::inv`.
    #[inline(always)]
    fn output_inv(&self, rgb: F3) -> F3 {
        let compressed = rgb_to_jmh(rgb, &self.limit);
        let rp = self.resolve(compressed[2]);
        let (c, s) = cos_sin(to_radians(compressed[2]));
        let m_norm = chroma_compress_norm(c, s, self.chroma.scale);
        let tone_mapped = self.gamut_compress(compressed, &rp);
        let j = tonescale(tone_mapped[0], &self.input, &self.tonescale, true);
        let jmh = chroma_compress_inv(tone_mapped, j, m_norm, &rp, &self.chroma);
        aab_to_rgb(jmh_to_aab_cs(jmh, c, s, &self.input), &self.input)
    }

    /// `Renderer_ACES_TONESCALE_COMPRESS_20`, both directions.
    #[inline(always)]
    fn tonescale_compress(&self, [j, m, h]: F3) -> F3 {
        let h = wrap_hue(h);
        let (c, s) = cos_sin(to_radians(h));
        let m_norm = chroma_compress_norm(c, s, self.chroma.scale);
        let rp = self.resolve(h);
        let t = tonescale(j, &self.input, &self.tonescale, self.inverse);
        if self.inverse {
            chroma_compress_inv([j, m, h], t, m_norm, &rp, &self.chroma)
        } else {
            chroma_compress_fwd([j, m, h], t, m_norm, &rp, &self.chroma)
        }
    }

    #[inline(always)]
    pub fn apply(&self, rgb: F3) -> F3 {
        match (self.style, self.inverse) {
            (Aces2Style::OutputTransform20, false) => self.output_fwd(rgb),
            (Aces2Style::OutputTransform20, true) => self.output_inv(rgb),
            (Aces2Style::RgbToJmh20, false) => rgb_to_jmh(rgb, &self.input),
            (Aces2Style::RgbToJmh20, true) => {
                jmh_to_rgb([rgb[0], rgb[1], wrap_hue(rgb[2])], &self.input)
            }
            (Aces2Style::TonescaleCompress20, _) => self.tonescale_compress(rgb),
            (Aces2Style::GamutCompress20, _) => {
                let h = wrap_hue(rgb[2]);
                self.gamut_compress([rgb[0], rgb[1], h], &self.resolve(h))
            }
        }
    }
}

fn matrices(p: &Jmh) -> impl Iterator<Item = f32> + '_ {
    [p.rgb_to_cam, p.cam_to_rgb, p.cone_to_aab, p.aab_to_cone]
        .into_iter()
        .flatten()
}

fn read_jmh(m: &[f32], s: &[f32]) -> Jmh {
    let mat = |k: usize| -> M33 { std::array::from_fn(|i| m[k * 9 + i]) };
    Jmh {
        rgb_to_cam: mat(0),
        cam_to_rgb: mat(1),
        cone_to_aab: mat(2),
        aab_to_cone: mat(3),
        f_l_n: s[0],
        cz: s[1],
        inv_cz: s[2],
        a_w_j: s[3],
        inv_a_w_j: s[4],
    }
}

impl Prepared for Aces2Prepared {
    #[inline(always)]
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        Aces2Prepared::apply(self, rgb)
    }

    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
        per_pixel(r, g, b, |px| self.apply(px));
    }

    fn pack(&self, record: &mut OpRecord, data: &mut Vec<f32>) {
        record.flags = self.style.index() << packed::STYLE_SHIFT;
        if self.inverse {
            record.flags |= packed::INVERSE;
        }
        let s = self.scalars();
        for (k, p) in record.p.iter_mut().enumerate() {
            *p = std::array::from_fn(|i| s[k * 4 + i]);
        }
        record.n = DATA_LEN as u32;
        record.data = data.len() as u32;
        data.extend(matrices(&self.input));
        data.extend(matrices(&self.limit));
        data.extend(&self.reach);
        data.extend(&self.hues);
        data.extend(self.cusps.iter().flatten());
    }

    fn unpack(record: &OpRecord, data: &[f32]) -> Result<Self, String> {
        let index = (record.flags & packed::STYLE_MASK) >> packed::STYLE_SHIFT;
        let style = Aces2Style::from_index(index).ok_or(format!("unknown style {index}"))?;
        if record.n as usize != DATA_LEN {
            return Err(format!("ACES 2.0 table of {} floats, not {DATA_LEN}", record.n));
        }
        let start = record.data as usize;
        let d = data
            .get(start..start + DATA_LEN)
            .ok_or("ACES 2.0 table outside the data")?;
        let s: Vec<f32> = record.p.iter().flatten().copied().collect();
        let search = [s[25], s[26]];
        let range = -(TABLE_TOTAL as f32)..=TABLE_TOTAL as f32;
        if !search.iter().all(|v| range.contains(v)) {
            return Err("ACES 2.0 hue search range out of bounds".into());
        }
        let t = 72;
        Ok(Aces2Prepared {
            style,
            inverse: record.flags & packed::INVERSE != 0,
            input: Box::new(read_jmh(&d[0..36], &s[0..5])),
            limit: Box::new(read_jmh(&d[36..72], &s[5..10])),
            tonescale: Tonescale {
                n_r: s[10],
                g: s[11],
                t_1: s[12],
                s_2: s[13],
                m_2: s[14],
                inverse_limit: s[15],
            },
            limit_j_max: s[16],
            model_gamma_inv: s[17],
            chroma: Chroma {
                sat: s[18],
                sat_thr: s[19],
                compr: s[20],
                scale: s[21],
            },
            gamut: Gamut {
                mid_j: s[22],
                focus_dist: s[23],
                lower_hull_gamma_inv: s[24],
                search: [search[0] as i32, search[1] as i32],
            },
            reach: d[t..t + TABLE_TOTAL].to_vec(),
            hues: d[t + TABLE_TOTAL..t + 2 * TABLE_TOTAL].to_vec(),
            cusps: d[t + 2 * TABLE_TOTAL..t + 5 * TABLE_TOTAL]
                .chunks_exact(3)
                .map(|c| [c[0], c[1], c[2]])
                .collect(),
        })
    }
}

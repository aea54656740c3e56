//! Gamut maths: CIE xy primaries of the gamuts grade knows, RGB to XYZ
//! (SMPTE RP 177), von Kries chromatic adaptation (Bradford, CAT02) and the
//! 3x3 matrix between two gamuts, all in f64 as OpenColorIO computes them.

/// CIE xy chromaticities of a gamut: red, green, blue, white.
#[derive(Debug, Clone, Copy)]
pub struct Primaries {
    pub red: [f64; 2],
    pub green: [f64; 2],
    pub blue: [f64; 2],
    pub white: [f64; 2],
}

/// ACES white point (SMPTE ST 2065-1).
const ACES_WHITE: [f64; 2] = [0.32168, 0.33767];
/// D65 as ITU-R BT.709 rounds it.
pub(super) const D65: [f64; 2] = [0.3127, 0.3290];

/// ACES AP0, SMPTE ST 2065-1.
pub const AP0: Primaries = Primaries {
    red: [0.7347, 0.2653],
    green: [0.0, 1.0],
    blue: [0.0001, -0.077],
    white: ACES_WHITE,
};
/// ACES AP1, Academy S-2014-004.
pub const AP1: Primaries = Primaries {
    red: [0.713, 0.293],
    green: [0.165, 0.830],
    blue: [0.128, 0.044],
    white: ACES_WHITE,
};
/// ITU-R BT.709.
pub const REC709: Primaries = Primaries {
    red: [0.64, 0.33],
    green: [0.30, 0.60],
    blue: [0.15, 0.06],
    white: D65,
};
/// ARRI Wide Gamut 3 (ARRI "ALEXA Log C Curve" white paper).
pub const AWG3: Primaries = Primaries {
    red: [0.6840, 0.3130],
    green: [0.2210, 0.8480],
    blue: [0.0861, -0.1020],
    white: D65,
};
/// Sony S-Gamut3 (Sony "Technical Summary for S-Gamut3.Cine/S-Log3").
pub const SGAMUT3: Primaries = Primaries {
    red: [0.730, 0.280],
    green: [0.140, 0.855],
    blue: [0.100, -0.050],
    white: D65,
};
/// Sony S-Gamut3.Cine (same source).
pub const SGAMUT3_CINE: Primaries = Primaries {
    red: [0.766, 0.275],
    green: [0.225, 0.800],
    blue: [0.089, -0.087],
    white: D65,
};
/// Panasonic V-Gamut ("V-Log/V-Gamut Reference Manual").
pub const VGAMUT: Primaries = Primaries {
    red: [0.730, 0.280],
    green: [0.165, 0.840],
    blue: [0.100, -0.030],
    white: D65,
};
/// REDWideGamutRGB (RED "White Paper on REDWideGamutRGB and Log3G10").
pub const RWG: Primaries = Primaries {
    red: [0.780308, 0.304253],
    green: [0.121595, 1.493994],
    blue: [0.095612, -0.084589],
    white: D65,
};
/// ARRI Wide Gamut 4 (ARRI "LogC4 Logarithmic Color Space Specification").
pub const AWG4: Primaries = Primaries {
    red: [0.7347, 0.2653],
    green: [0.1424, 0.8576],
    blue: [0.0991, -0.0308],
    white: D65,
};
/// Canon Cinema Gamut (Canon "Cinema Gamut" white paper), D65 white as
/// OpenColorIO's CanonCameras.cpp uses it.
pub const CINEMA_GAMUT: Primaries = Primaries {
    red: [0.74, 0.27],
    green: [0.17, 1.14],
    blue: [0.08, -0.10],
    white: D65,
};
/// Blackmagic Wide Gamut Gen 5 (Blackmagic Design "Blackmagic Generation 5
/// Color Science" technical note), with its own white point just off D65.
pub const BMD_WIDE_GAMUT_GEN5: Primaries = Primaries {
    red: [0.7177215, 0.3171181],
    green: [0.2280410, 0.8615690],
    blue: [0.1005841, -0.0820452],
    white: [0.3127170, 0.3290312],
};
/// DaVinci Wide Gamut (Blackmagic Design "DaVinci Resolve 17 Wide Gamut
/// Intermediate" technical note).
pub const DAVINCI_WIDE_GAMUT: Primaries = Primaries {
    red: [0.8000, 0.3130],
    green: [0.1682, 0.9877],
    blue: [0.0790, -0.1155],
    white: D65,
};
/// ITU-R BT.2020 (and BT.2100).
pub const REC2020: Primaries = Primaries {
    red: [0.708, 0.292],
    green: [0.170, 0.797],
    blue: [0.131, 0.046],
    white: D65,
};

/// DCI-P3 primaries with a D65 white (SMPTE EG 432-1), the P3-D65 displays.
pub const P3_D65: Primaries = Primaries {
    red: [0.680, 0.320],
    green: [0.265, 0.690],
    blue: [0.150, 0.060],
    white: D65,
};

pub(super) type M3 = [[f64; 3]; 3];

pub(super) fn mul(a: &M3, b: &M3) -> M3 {
    let mut out = [[0.0; 3]; 3];
    for (i, row) in out.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            *v = (0..3).map(|k| a[i][k] * b[k][j]).sum();
        }
    }
    out
}

pub(super) fn inv(m: &M3) -> M3 {
    let det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    let mut out = [[0.0; 3]; 3];
    for (i, row) in out.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            let (a, b) = ((j + 1) % 3, (j + 2) % 3);
            let (c, d) = ((i + 1) % 3, (i + 2) % 3);
            *v = (m[a][c] * m[b][d] - m[a][d] * m[b][c]) / det;
        }
    }
    out
}

fn xyz(xy: [f64; 2]) -> [f64; 3] {
    [xy[0] / xy[1], 1.0, (1.0 - xy[0] - xy[1]) / xy[1]]
}

/// RGB to CIE XYZ for a set of primaries (SMPTE RP 177).
pub fn rgb_to_xyz(p: &Primaries) -> M3 {
    let (r, g, b) = (xyz(p.red), xyz(p.green), xyz(p.blue));
    let m = [[r[0], g[0], b[0]], [r[1], g[1], b[1]], [r[2], g[2], b[2]]];
    let w = xyz(p.white);
    let mi = inv(&m);
    let s: Vec<f64> = (0..3)
        .map(|i| (0..3).map(|k| mi[i][k] * w[k]).sum())
        .collect();
    let mut out = m;
    for row in out.iter_mut() {
        for (j, v) in row.iter_mut().enumerate() {
            *v *= s[j];
        }
    }
    out
}

/// Cone-space matrices for chromatic adaptation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Adaptation {
    /// Bradford, as Panasonic and RED derive their gamut-to-ACES matrices.
    Bradford,
    /// CAT02, as the ACES input transforms for ARRI use.
    Cat02,
}

/// Von Kries chromatic adaptation from one white to another.
pub(super) fn von_kries(cat: Adaptation, from: [f64; 2], to: [f64; 2]) -> M3 {
    let b: M3 = match cat {
        Adaptation::Bradford => [
            [0.8951, 0.2664, -0.1614],
            [-0.7502, 1.7135, 0.0367],
            [0.0389, -0.0685, 1.0296],
        ],
        Adaptation::Cat02 => [
            [0.7328, 0.4296, -0.1624],
            [-0.7036, 1.6975, 0.0061],
            [0.0030, 0.0136, 0.9834],
        ],
    };
    let (ws, wd) = (xyz(from), xyz(to));
    let cs: Vec<f64> = (0..3)
        .map(|i| (0..3).map(|k| b[i][k] * ws[k]).sum())
        .collect();
    let cd: Vec<f64> = (0..3)
        .map(|i| (0..3).map(|k| b[i][k] * wd[k]).sum())
        .collect();
    let d = [
        [cd[0] / cs[0], 0.0, 0.0],
        [0.0, cd[1] / cs[1], 0.0],
        [0.0, 0.0, cd[2] / cs[2]],
    ];
    mul(&inv(&b), &mul(&d, &b))
}

/// Linear RGB in `src` primaries to linear RGB in `dst` primaries, with a
/// CAT02 adaptation when the white points differ.
pub fn gamut_matrix(src: &Primaries, dst: &Primaries, cat: Adaptation) -> M3 {
    let to_xyz = rgb_to_xyz(src);
    let from_xyz = inv(&rgb_to_xyz(dst));
    let cat = if src.white == dst.white {
        [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    } else {
        von_kries(cat, src.white, dst.white)
    };
    mul(&from_xyz, &mul(&cat, &to_xyz))
}

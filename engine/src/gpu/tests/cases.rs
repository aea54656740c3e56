//! The hand-packed op records of the twin tests: one named program per op
//! kind and style, built record by record as the WGSL reads them.

use super::*;

/// One named program per op kind and style.
pub(super) fn cases() -> Vec<(String, PackedProgram)> {
    use packed::*;
    let mut out: Vec<(String, PackedProgram)> = Vec::new();
    let mut add = |name: &str, p: PackedProgram| out.push((name.to_string(), p));

    add(
        "matrix",
        program(
            vec![rec(
                KIND_MATRIX,
                0,
                0,
                0,
                &[
                    [0.6274, 0.3293, 0.0433, 0.01],
                    [0.0691, 0.9195, 0.0114, -0.02],
                    [0.0164, 0.0880, 0.8956, 0.0],
                ],
            )],
            vec![],
        ),
    );
    for (name, flags) in [
        ("range clamp", RANGE_CLAMP_LOW | RANGE_CLAMP_HIGH),
        ("range clamp low", RANGE_CLAMP_LOW),
        ("range clamp high", RANGE_CLAMP_HIGH),
        ("range no clamp", 0),
    ] {
        add(
            name,
            program(
                vec![rec(
                    KIND_RANGE,
                    flags,
                    0,
                    0,
                    &[
                        [1.1678, 1.1678, 1.1678, 0.0],
                        [-0.0730, -0.0730, -0.0730, 0.0],
                        [0.0, 0.0, 0.0, 0.0],
                        [1.0, 1.0, 1.0, 0.0],
                    ],
                )],
                vec![],
            ),
        );
    }
    let cdl = [
        [1.2, 0.9, 1.05, 0.8],
        [0.02, -0.01, 0.03, 0.0],
        [1.1, 0.95, 1.3, 0.0],
    ];
    for (name, flags) in [
        ("cdl asc", CDL_CLAMP),
        ("cdl no-clamp", 0),
        ("cdl asc inverse", CDL_CLAMP | INVERSE),
        ("cdl no-clamp inverse", INVERSE),
    ] {
        add(
            name,
            program(vec![rec(KIND_CDL, flags, 0, 0, &cdl)], vec![]),
        );
    }

    // 1D: a gamma curve on [0,1] and on a wider domain, the inverse of a
    // prepared (non-decreasing, flat at the start) table, a decreasing one
    // (prepared as negated), and a half-domain table. Tables start past
    // other data to exercise `data` offsets.
    let n1 = 33u32;
    let last = (n1 - 1) as f32;
    let mut data = vec![9.0; 5];
    for i in 0..n1 {
        let x = i as f32 / last;
        data.extend_from_slice(&[x.powf(1.0 / 2.2), x * x, 0.1 + 0.8 * x]);
    }
    let dom01 = [[0.0; 4], [1.0, 1.0, 1.0, 0.0], [last, last, last, 0.0]];
    let wide = [
        [-0.5, -0.25, 0.0, 0.0],
        [2.0, 1.5, 1.0, 0.0],
        [last / 2.5, last / 1.75, last, 0.0],
    ];
    add(
        "lut1d",
        program(vec![rec(KIND_LUT1D, 0, n1, 5, &dom01)], data.clone()),
    );
    add(
        "lut1d domain",
        program(vec![rec(KIND_LUT1D, 0, n1, 5, &wide)], data.clone()),
    );
    let mut inv = Vec::new();
    for i in 0..n1 {
        let x = i as f32 / last;
        inv.extend_from_slice(&[x.powf(1.0 / 2.2), (x - 0.2).max(0.0), 0.1 + 0.8 * x]);
    }
    let inv_p = [
        [-0.5, 0.0, 0.0, 0.0],
        [2.0, 1.0, 1.0, 0.0],
        [2.5 / last, 1.0 / last, 1.0 / last, 0.0],
        [0.0, 6.0, 0.0, 0.0],
        [last, last, last, 0.0],
        [1.0, 1.0, 1.0, 0.0],
    ];
    add(
        "lut1d inverse",
        program(vec![rec(KIND_LUT1D, INVERSE, n1, 0, &inv_p)], inv),
    );
    let mut dec = Vec::new();
    for i in 0..n1 {
        let x = i as f32 / last;
        dec.extend_from_slice(&[-(1.0 - x * x), -(1.0 - x), -(0.9 - 0.7 * x)]);
    }
    let dec_p = [
        [0.0; 4],
        [1.0, 1.0, 1.0, 0.0],
        [1.0 / last, 1.0 / last, 1.0 / last, 0.0],
        [0.0; 4],
        [last, last, last, 0.0],
        [-1.0, -1.0, -1.0, 0.0],
    ];
    add(
        "lut1d inverse decreasing",
        program(vec![rec(KIND_LUT1D, INVERSE, n1, 0, &dec_p)], dec),
    );
    let mut half = Vec::with_capacity(65536 * 3);
    for h in 0..65536u32 {
        let v = half::f16::from_bits(h as u16).to_f32();
        let v = if v.is_finite() { v } else { 7.0 };
        half.extend_from_slice(&[v * 0.5 + 0.1, v * v, -v]);
    }
    add(
        "lut1d half domain",
        program(
            vec![rec(KIND_LUT1D, LUT1D_HALF_DOMAIN, 65536, 0, &[])],
            half,
        ),
    );

    // 3D: a smooth, channel-mixing look, on [0,1] and a wider domain.
    let n3 = 17u32;
    let last3 = (n3 - 1) as f32;
    let mut lattice = vec![0.0; 3];
    for b in 0..n3 {
        for g in 0..n3 {
            for r in 0..n3 {
                let (x, y, z) = (r as f32 / last3, g as f32 / last3, b as f32 / last3);
                lattice.extend_from_slice(&[
                    (0.8 * x + 0.2 * y).powf(0.8),
                    y * y * 0.9 + 0.1 * z,
                    (z + 0.3 * x * y).sin(),
                ]);
            }
        }
    }
    let dom3 = [[0.0; 4], [1.0, 1.0, 1.0, 0.0], [last3, last3, last3, 0.0]];
    let wide3 = [
        [-0.5, -0.25, 0.0, 0.0],
        [2.0, 1.5, 1.0, 0.0],
        [last3 / 2.5, last3 / 1.75, last3, 0.0],
    ];
    for (name, flags, p) in [
        ("lut3d tetrahedral", 0, dom3),
        ("lut3d trilinear", LUT3D_TRILINEAR, dom3),
        ("lut3d tetrahedral domain", 0, wide3),
    ] {
        add(
            name,
            program(vec![rec(KIND_LUT3D, flags, n3, 3, &p)], lattice.clone()),
        );
    }

    // Log: prepared constants k0..k6 in the shapes LogPrepared uses
    // (Cineon-like slopes, base 10, a camera break).
    let log10_2 = std::f32::consts::LOG10_2;
    let log2_10 = std::f32::consts::LOG2_10;
    let k_lin_to_log = [
        [2.0, 1.5, 1.0, 0.0],
        [0.01, 0.02, 0.03, 0.0],
        [0.25 * log10_2, 0.3 * log10_2, 0.35 * log10_2, 0.0],
        [0.5, 0.55, 0.6, 0.0],
        [0.05, 0.05, 0.05, 0.0],
        [4.0, 3.5, 3.0, 0.0],
        [0.2, 0.25, 0.3, 0.0],
    ];
    let k_log_to_lin = [
        [-0.5, -0.55, -0.6, 0.0],
        [log2_10 / 0.25, log2_10 / 0.3, log2_10 / 0.35, 0.0],
        [-0.01, -0.02, -0.03, 0.0],
        [0.5, 1.0 / 1.5, 1.0, 0.0],
        [0.2, 0.25, 0.3, 0.0],
        [0.25, 1.0 / 3.5, 1.0 / 3.0, 0.0],
        [-0.2, -0.25, -0.3, 0.0],
    ];
    let k_log10 = [[log10_2, log10_2, log10_2, 0.0]];
    let k_log2 = [[1.0, 1.0, 1.0, 0.0]];
    let k_alog10 = [[log2_10, log2_10, log2_10, 0.0]];
    for (s, name, k) in [
        (0u32, "log10", &k_log10[..]),
        (1, "log2", &k_log2[..]),
        (2, "antilog10", &k_alog10[..]),
        (3, "antilog2", &k_log2[..]),
        (4, "lin to log", &k_lin_to_log[..]),
        (5, "log to lin", &k_log_to_lin[..]),
        (6, "camera lin to log", &k_lin_to_log[..]),
        (7, "camera log to lin", &k_log_to_lin[..]),
    ] {
        add(
            &format!("log {name}"),
            program(vec![rec(KIND_LOG, style(s), 0, 0, k)], vec![]),
        );
    }

    // Exponent: p0 = power used; moncurve constants as ExponentPrepared
    // prepares them (sRGB-like 2.4 / 0.055 and Rec.709-like 2.2 / 0.099).
    let moncurve = |g: f32, off: f32, rev: bool| {
        let brk = off / (g - 1.0);
        let slope = ((g - 1.0) / off) * ((off * g) / ((g - 1.0) * (1.0 + off))).powf(g);
        if rev {
            (1.0 / g, off, brk * slope, 1.0 / slope, 1.0 + off)
        } else {
            (g, off / (1.0 + off), brk, slope, 1.0 / (1.0 + off))
        }
    };
    for (s, name) in [
        "basic fwd",
        "basic rev",
        "mirror fwd",
        "mirror rev",
        "pass-thru fwd",
        "pass-thru rev",
        "moncurve fwd",
        "moncurve rev",
        "moncurve mirror fwd",
        "moncurve mirror rev",
    ]
    .iter()
    .enumerate()
    {
        let rev = s % 2 == 1;
        let params = [(2.4f32, 0.055f32), (2.2, 0.099), (2.6, 0.04)];
        let mut p = [[0.0f32; 4]; 5];
        for (c, (g, off)) in params.iter().enumerate() {
            let (pw, o, brk, slope, scale) = if s >= 6 {
                moncurve(*g, *off, rev)
            } else {
                (if rev { 1.0 / g } else { *g }, 0.0, 0.0, 0.0, 0.0)
            };
            p[0][c] = pw;
            p[1][c] = o;
            p[2][c] = brk;
            p[3][c] = slope;
            p[4][c] = scale;
        }
        add(
            &format!("exponent {name}"),
            program(vec![rec(KIND_EXPONENT, style(s as u32), 0, 0, &p)], vec![]),
        );
    }

    add(
        "primary",
        program(
            vec![rec(
                KIND_PRIMARY,
                0,
                0,
                0,
                &[
                    [std::f32::consts::SQRT_2, 1.3, 1.5, 0.0],
                    [1.2, 1.1, 0.9, 0.18],
                    [0.02, 0.0, -0.01, 0.0],
                    [1.1, 1.0, 0.95, 0.0],
                    [0.833_333_3, 1.0, 1.1, 0.0],
                    [0.01, 0.0, -0.02, 0.0],
                    [1.1, 0.0, 0.0, 0.0],
                ],
            )],
            vec![],
        ),
    );
    out
}

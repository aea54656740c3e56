use std::path::{Path, PathBuf};

use super::*;
use crate::ops::{CdlStyle, Direction, ExponentStyle, Interpolation, LogStyle};
use crate::testutil::{fixture, fixtures_with_ext};

fn public_clf() -> Vec<PathBuf> {
    fixtures_with_ext("public", &["clf"])
}

fn in_illegal(p: &Path) -> bool {
    p.components().any(|c| c.as_os_str() == "illegal")
}

fn parse_str(text: &str) -> Result<Vec<Op>> {
    parse(text.as_bytes(), Path::new("t.clf"))
}

const HEAD: &str = "<ProcessList id=\"t\" compCLFversion=\"3\">\n";

#[test]
fn every_public_clf_reads() {
    let files: Vec<PathBuf> = public_clf()
        .into_iter()
        .filter(|p| !in_illegal(p))
        .collect();
    assert!(files.len() >= 30, "{} files", files.len());
    for f in files {
        let ops = read(&f).unwrap_or_else(|e| panic!("{e}"));
        assert!(!ops.is_empty(), "{}", f.display());
    }
}

/// OpenColorIO's own illegal CLFs: each is rejected, naming the file and
/// the line of the fault.
#[test]
fn ocio_illegal_files_name_file_and_line() {
    let dir = fixture("public/ocio/tests/data/files/clf/illegal");
    let cases = [
        ("array_bad_value.clf", 7, "\"P\" is not a number"),
        (
            "array_too_many_values.clf",
            9,
            "calls for 9 values, found 18",
        ),
        ("cdl_bad_style.clf", 4, "not an ASC_CDL style"),
        ("cdl_missing_power.clf", 5, "has no <Power>"),
        ("matrix_end_missing.clf", 5, "XML"),
        ("process_list_missing.clf", 1, "not a CLF <ProcessList>"),
        (
            "range_empty.clf",
            4,
            "needs its min values, its max values, or both",
        ),
        ("transform_empty.clf", 2, "holds no process node"),
    ];
    let on_disk = fixtures_with_ext("public/ocio/tests/data/files/clf/illegal", &["clf"]);
    assert_eq!(on_disk.len(), cases.len(), "every illegal file has a case");
    for (name, line, what) in cases {
        let path = dir.join(name);
        let err = read(&path).unwrap_err();
        assert!(matches!(err, Error::Invalid { .. }), "{name}: {err:?}");
        let msg = err.to_string();
        println!("{msg}");
        let want = format!("{}:{line}: ", path.display());
        assert!(msg.contains(&want), "{name}: expected {want:?} in {msg}");
        assert!(msg.contains(what), "{name}: expected {what:?} in {msg}");
    }
}

/// The project's own malformed CLFs (tests/data/illegal/, see its README).
#[test]
fn own_illegal_files_name_file_and_line() {
    let cases: [(&str, &[(usize, &str)]); 4] = [
        (
            "bad_bit_depth.clf",
            &[(4, "inBitDepth \"14i\" is not one of")],
        ),
        (
            "lut3d_wrong_count.clf",
            &[(5, "calls for 24 values, found 21")],
        ),
        ("non_numeric.clf", &[(9, "\"0.75x\" is not a number")]),
        (
            "several_problems.clf",
            &[
                (4, "a noClamp Range needs both its min and its max values"),
                (9, "style monCurveFwd needs an offset"),
            ],
        ),
    ];
    for (name, want) in cases {
        let path = fixture("illegal").join(name);
        let msg = crate::formats::load(&path, None).unwrap_err().to_string();
        println!("{msg}");
        for (line, what) in want {
            let at = format!("{}:{line}: ", path.display());
            assert!(
                msg.lines().any(|l| l.contains(&at) && l.contains(what)),
                "{name}: expected {at:?} with {what:?} in\n{msg}"
            );
        }
    }
}

/// Every byte prefix of every public CLF reads to ops or an error, never a
/// panic. Files over 8 KiB are cut at 400 evenly spaced lengths (plus the
/// first and last 200 bytes), which keeps the sweep to seconds.
#[test]
fn truncated_prefixes_never_panic() {
    let mut cuts = 0usize;
    for p in public_clf() {
        let bytes = std::fs::read(&p).unwrap();
        let n = bytes.len();
        let lens: Vec<usize> = if n <= 8 * 1024 {
            (0..=n).collect()
        } else {
            (0..=200)
                .chain((0..=400).map(|k| k * n / 400))
                .chain(n.saturating_sub(200)..=n)
                .collect()
        };
        for len in lens {
            cuts += 1;
            let _ = parse(&bytes[..len], &p);
        }
    }
    println!("{cuts} prefixes parsed");
}

#[test]
fn matrix_scales_by_in_and_out_depth() {
    // bit_depth_identity.clf: 8i -> 16i holds 257 on the diagonal, which is
    // 1.0 once normalised; its 16i LUT1D of 0..65535 is a ramp to 1.
    let ops = read(&fixture(
        "public/ocio/tests/data/files/clf/bit_depth_identity.clf",
    ))
    .unwrap();
    let Op::Matrix(m) = &ops[0] else {
        panic!("{ops:?}")
    };
    assert!((m.m[0][0] - 1.0).abs() < 1e-15 && m.m[0][1] == 0.0);
    let Op::Lut1d(l) = &ops[1] else {
        panic!("{ops:?}")
    };
    assert_eq!(l.table.len(), 7);
    assert_eq!(l.table[6], [1.0; 3]);
    assert_eq!(l.table[3], [32767.5f32 * (1.0 / 65535.0f32); 3]);
}

#[test]
fn matrix_3x4_keeps_offsets_scaled_by_out_depth() {
    // matrix_3x4_example.clf: 10i -> 12i; offsets in 12-bit codes.
    let ops = read(&fixture(
        "public/ocio/tests/data/files/clf/matrix_3x4_example.clf",
    ))
    .unwrap();
    let Op::Matrix(m) = &ops[0] else {
        panic!("{ops:?}")
    };
    let k = 1023.0 * (1.0 / 4095.0);
    assert!((m.m[0][0] - 3.6 * k).abs() < 1e-12);
    assert!((m.offset[0] - 0.3 / 4095.0).abs() < 1e-12);
    assert!((m.offset[2] + 0.4 / 4095.0).abs() < 1e-12);
}

#[test]
fn lut3d_reorders_blue_fastest_and_keeps_interpolation() {
    let text = format!(
        "{HEAD}<LUT3D inBitDepth=\"32f\" outBitDepth=\"10i\" interpolation=\"trilinear\"><Array dim=\"2 2 2 3\">\n\
         0 0 0  0 0 1023  0 1023 0  0 1023 1023  1023 0 0  1023 0 1023  1023 1023 0  1023 1023 1023\n\
         </Array></LUT3D></ProcessList>"
    );
    let ops = parse_str(&text).unwrap();
    let Op::Lut3d(l) = &ops[0] else {
        panic!("{ops:?}")
    };
    assert_eq!(l.interpolation, Interpolation::Trilinear);
    // grade's index r + 2*(g + 2*b): entry 1 is red.
    assert_eq!(l.data[1], [1.0, 0.0, 0.0]);
    assert_eq!(l.data[4], [0.0, 0.0, 1.0]);
    // Without the attribute (or with "default"), CLF's own default.
    for other in ["", " interpolation=\"default\""] {
        let text = text.replace(" interpolation=\"trilinear\"", other);
        let Op::Lut3d(l) = &parse_str(&text).unwrap()[0] else {
            panic!()
        };
        assert_eq!(l.interpolation, Interpolation::Trilinear, "{other:?}");
    }
    let tetra = text.replace("\"trilinear\"", "\"tetrahedral\"");
    let Op::Lut3d(l) = &parse_str(&tetra).unwrap()[0] else {
        panic!()
    };
    assert_eq!(l.interpolation, Interpolation::Tetrahedral);
}

#[test]
fn lut_nan_and_infinity_read_as_opencolorio_uses_them() {
    let text = format!(
        "{HEAD}<LUT1D inBitDepth=\"32f\" outBitDepth=\"10i\"><Array dim=\"3 3\">\n\
         NaN -nan 0\n INF Infinity 512\n -infinity -Inf 1023\n\
         </Array></LUT1D></ProcessList>"
    );
    let Op::Lut1d(l) = &parse_str(&text).unwrap()[0] else {
        panic!()
    };
    assert_eq!(l.table[0], [0.0, 0.0, 0.0]);
    assert_eq!(l.table[1][..2], [f32::MAX, f32::MAX]);
    assert_eq!(l.table[2], [f32::MIN, f32::MIN, 1.0]);
}

#[test]
fn matrix_nan_is_refused_with_its_line() {
    let text = format!(
        "{HEAD}<Matrix inBitDepth=\"32f\" outBitDepth=\"32f\">\n<Array dim=\"3 3\">1 0 0 0 NaN 0 0 0 1</Array></Matrix></ProcessList>"
    );
    let msg = parse_str(&text).unwrap_err().to_string();
    assert!(
        msg.contains(":2: Matrix:") && msg.contains("finite"),
        "{msg}"
    );
}

#[test]
fn styles_read_in_any_case_and_per_channel() {
    let text = format!(
        "{HEAD}<ASC_CDL inBitDepth=\"32f\" outBitDepth=\"32f\" style=\"noClampRev\"/>\n\
         <Exponent inBitDepth=\"32f\" outBitDepth=\"32f\" style=\"MONCURVEREV\"><ExponentParams channel=\"G\" exponent=\"2.4\" offset=\"0.055\"/></Exponent>\n\
         <Log inBitDepth=\"32f\" outBitDepth=\"32f\" style=\"antiLog10\"/>\n\
         </ProcessList>"
    );
    let ops = parse_str(&text).unwrap();
    let Op::Cdl(c) = &ops[0] else { panic!() };
    assert_eq!(
        (c.style, c.direction),
        (CdlStyle::NoClamp, Direction::Inverse)
    );
    let Op::Exponent(e) = &ops[1] else { panic!() };
    assert_eq!(e.style, ExponentStyle::MonCurveRev);
    assert_eq!(e.exponent, [1.0, 2.4, 1.0]);
    assert_eq!(e.offset, [0.0, 0.055, 0.0]);
    let Op::Log(l) = &ops[2] else { panic!() };
    assert_eq!(l.style, LogStyle::AntiLog10);
}

#[test]
fn versions_and_namespaces() {
    let m = "<Matrix inBitDepth=\"32f\" outBitDepth=\"32f\"><Array dim=\"3 3\">1 0 0 0 1 0 0 0 1</Array></Matrix>";
    let log = "<Log inBitDepth=\"32f\" outBitDepth=\"32f\" style=\"log2\"/>";
    let ok = |head: &str, body: &str| parse_str(&format!("{head}{body}</ProcessList>"));
    for head in [
        "<ProcessList id=\"a\" compCLFversion=\"3\">",
        "<ProcessList id=\"a\" compCLFversion=\"2.0\">",
        "<ProcessList id=\"a\" version=\"1.7\">",
        "<ProcessList id=\"a\" compCLFversion=\"3\" xmlns=\"urn:AMPAS:CLF:v3.0\">",
        "<ProcessList compCLFversion=\"ST2136-1:2024\" xmlns=\"http://www.smpte-ra.org/ns/2136-1/2024\">",
        "<ProcessList xmlns=\"http://www.smpte-ra.org/ns/2136-1/2024\">",
    ] {
        ok(head, m).unwrap_or_else(|e| panic!("{head}: {e}"));
    }
    ok("<ProcessList id=\"a\" compCLFversion=\"3.0\">", log).unwrap();
    for (head, body, what) in [
        (
            "<ProcessList id=\"a\" compCLFversion=\"2\">",
            log,
            "not part of CLF v2",
        ),
        (
            "<ProcessList id=\"a\" version=\"1.7\">",
            log,
            "not part of CLF v2",
        ),
        (
            "<ProcessList id=\"a\" compCLFversion=\"3.1\">",
            m,
            "newer than CLF v3",
        ),
        ("<ProcessList id=\"a\">", m, "no compCLFversion"),
        ("<ProcessList compCLFversion=\"3\">", m, "no id"),
        (
            "<ProcessList id=\"a\" compCLFversion=\"3\" version=\"2\">",
            m,
            "both compCLFversion and version",
        ),
    ] {
        let msg = ok(head, body).unwrap_err().to_string();
        assert!(
            msg.contains("t.clf:1: ") && msg.contains(what),
            "{head}: {msg}"
        );
    }
}

#[test]
fn bit_depths_must_chain_and_ctf_operators_are_refused() {
    let text = format!(
        "{HEAD}<Matrix inBitDepth=\"32f\" outBitDepth=\"10i\"><Array dim=\"3 3\">1 0 0 0 1 0 0 0 1</Array></Matrix>\n\
         <Range inBitDepth=\"12i\" outBitDepth=\"32f\"><minInValue>0</minInValue><minOutValue>0</minOutValue></Range>\n\
         <InverseLUT1D inBitDepth=\"32f\" outBitDepth=\"32f\"/>\n\
         </ProcessList>"
    );
    let msg = parse_str(&text).unwrap_err().to_string();
    assert!(
        msg.contains(
            "t.clf:3: Range: inBitDepth 12i does not match the previous node's outBitDepth 10i"
        ),
        "{msg}"
    );
    assert!(
        msg.contains("t.clf:4: <InverseLUT1D> is an Autodesk CTF operator"),
        "{msg}"
    );
}

#[test]
fn metadata_and_unknown_elements_are_ignored() {
    let text = format!(
        "{HEAD}<Description>d</Description><InputDescriptor>i</InputDescriptor><Info><Anything a=\"1\">x</Anything></Info>\n\
         <Unknown/><Range inBitDepth=\"32f\" outBitDepth=\"32f\" extra=\"1\"><Description>r</Description><minInValue>0</minInValue><minOutValue>0</minOutValue></Range>\n\
         </ProcessList>"
    );
    assert_eq!(parse_str(&text).unwrap().len(), 1);
}

#[test]
fn half_domain_raw_halfs_decode_bit_patterns() {
    let ops = read(&fixture(
        "public/ocio/tests/data/files/clf/lut1d_lut3d_lut1d.clf",
    ))
    .unwrap();
    let Op::Lut1d(l) = &ops[2] else {
        panic!("{ops:?}")
    };
    assert!(l.half_domain);
    assert_eq!(l.table.len(), 65536);
    // A small file of our own: entry i holds the half bits of i as a value.
    let mut body = String::new();
    for i in 0..65536u32 {
        body.push_str(&format!("{} ", if i == 15360 { 14336 } else { 0 }));
    }
    let text = format!(
        "{HEAD}<LUT1D inBitDepth=\"16f\" outBitDepth=\"16f\" halfDomain=\"true\" rawHalfs=\"true\"><Array dim=\"65536 1\">{body}</Array></LUT1D></ProcessList>"
    );
    let Op::Lut1d(l) = &parse_str(&text).unwrap()[0] else {
        panic!()
    };
    // Half 0x3C00 is 1.0; entry 0x3800 is 0.5.
    assert_eq!(l.table[15360], [0.5; 3]);
    assert_eq!(l.apply([1.0, 0.0, 0.0])[0], 0.5);
}

#[test]
fn alpha_mixing_matrices_are_unsupported_and_clean_4x4_reads() {
    let m44 = |v: &str| {
        format!("{HEAD}<Matrix inBitDepth=\"32f\" outBitDepth=\"32f\"><Array dim=\"4 4\">{v}</Array></Matrix></ProcessList>")
    };
    let ok = parse_str(&m44("2 0 0 0  0 1 0 0  0 0 1 0  0 0 0 1")).unwrap();
    assert!(matches!(&ok[0], Op::Matrix(m) if m.m[0][0] == 2.0));
    let err = parse_str(&m44("2 0 0 0.5  0 1 0 0  0 0 1 0  0 0 0 1")).unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err:?}");
    assert!(err.to_string().contains("line 2"), "{err}");
    let m45 = format!("{HEAD}<Matrix inBitDepth=\"32f\" outBitDepth=\"32f\"><Array dim=\"4 5\">2 0 0 0 0.1  0 1 0 0 0  0 0 1 0 0  0 0 0 1 0</Array></Matrix></ProcessList>");
    let Op::Matrix(m) = &parse_str(&m45).unwrap()[0] else {
        panic!()
    };
    assert_eq!(m.offset, [0.1, 0.0, 0.0]);
}

#[test]
fn range_bounds_follow_ocio_rules() {
    let r = |style: &str, body: &str| {
        parse_str(&format!(
            "{HEAD}<Range inBitDepth=\"8i\" outBitDepth=\"32f\"{style}>{body}</Range></ProcessList>"
        ))
    };
    let ops = r(
        "",
        "<maxInValue>255</maxInValue><maxOutValue>1</maxOutValue>",
    )
    .unwrap();
    let Op::Range(g) = &ops[0] else { panic!() };
    assert_eq!((g.max_in, g.max_out, g.clamp), (Some(1.0), Some(1.0), true));
    for (style, body, what) in [
        (
            "",
            "<minInValue>10</minInValue><minOutValue>0.5</minOutValue>",
            "must be equal",
        ),
        (
            "",
            "<minInValue>0</minInValue><maxInValue>255</maxInValue><minOutValue>1</minOutValue><maxOutValue>0</maxOutValue>",
            "maxOutValue is less than minOutValue",
        ),
        (
            "",
            "<minInValue>1 2</minInValue><minOutValue>0</minOutValue>",
            "holds 2 numbers",
        ),
    ] {
        let msg = r(style, body).unwrap_err().to_string();
        assert!(msg.contains(what), "{body}: {msg}");
    }
}

#[test]
fn inverting_a_file_inverts_every_op() {
    use crate::grade::{Grade, Step};
    let step = |path: PathBuf| Grade {
        steps: vec![Step::File {
            path,
            select: None,
            interpolation: None,
            cdl_style: None,
            invert: true,
        }],
    };
    let clf = fixture("public/ocio/tests/data/files/clf");
    // Matrix, LUT1D, Range, Log, Exponent, CDL: all invert, and the inverse
    // undoes the forward file on values inside every op's clamps.
    let fwd = Grade {
        steps: vec![Step::File {
            path: clf.join("multiple_ops.clf"),
            select: None,
            interpolation: None,
            cdl_style: None,
            invert: false,
        }],
    };
    // multiple_ops.clf ends in a LUT3D: its inverse (OpenColorIO's exact
    // inverse search) comes first.
    let inv = step(clf.join("multiple_ops.clf")).compile().unwrap();
    assert!(
        matches!(&inv.ops[0], crate::grade::Op::Lut3d(l) if l.direction == crate::ops::Direction::Inverse),
        "{:?}",
        inv.ops.first()
    );
    let inv = step(clf.join("xyz_to_rgb.clf")).compile().unwrap();
    assert_eq!(inv.ops.len(), 3);
    assert!(step(clf.join("lut1d_lut3d_lut1d.clf")).compile().is_ok());
    assert!(fwd.compile().is_ok());
    for name in [
        "log_all_styles.clf",
        "exponent_all_styles.clf",
        "cdl_all_styles.clf",
    ] {
        let inv = step(clf.join(name)).compile();
        assert!(inv.is_ok(), "{name}: {inv:?}");
    }
}

/// A CTF file (`version` 2.5, as OpenColorIO 2.5 writes it) with a
/// GradingHueCurve: the curves it gives replace the style's defaults, the
/// others stay; `hsyTransform="none"` and the inverse style are read; the
/// same node in a CLF, or in a CTF older than 2.5, is refused naming the
/// line.
#[test]
fn ctf_grading_hue_curve_reads() {
    let ctf = |version: &str, node: &str| {
        format!("<ProcessList id=\"t\" version=\"{version}\">\n{node}\n</ProcessList>\n")
    };
    let node = "<GradingHueCurve inBitDepth=\"32f\" outBitDepth=\"32f\" style=\"linearRev\" hsyTransform=\"none\">\n\
        <HueSat><ControlPoints> 0 1.2 0.25 0.9 0.5 1.1 0.75 1 </ControlPoints></HueSat>\n\
        <LumLum><ControlPoints> -7 -6.5 0 0.2 7 7 </ControlPoints><Slopes> 1 1.1 1 </Slopes></LumLum>\n\
        </GradingHueCurve>";
    let ops = parse(ctf("2.5", node).as_bytes(), Path::new("t.ctf")).unwrap();
    let [Op::HueCurve(h)] = ops.as_slice() else {
        panic!("{ops:?}")
    };
    assert_eq!(h.style, crate::ops::HueCurveStyle::LinRev);
    assert!(!h.rgb_to_hsy);
    let defaults = crate::ops::hue_curve::HueCurve::new(h.style);
    assert_eq!(
        h.curves[1].points,
        vec![[0.0, 1.2], [0.25, 0.9], [0.5, 1.1], [0.75, 1.0]]
    );
    assert_eq!(h.curves[5].slopes, vec![1.0, 1.1, 1.0]);
    for c in [0, 2, 3, 4, 6, 7] {
        assert_eq!(h.curves[c], defaults.curves[c], "curve {c}");
    }
    let err = parse(ctf("2.0", node).as_bytes(), Path::new("t.ctf"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("t.ctf:2: <GradingHueCurve> needs CTF version 2.5"),
        "{err}"
    );
    let clf = format!("{HEAD}{node}\n</ProcessList>\n");
    let err = parse_str(&clf).unwrap_err().to_string();
    assert!(
        err.contains("t.clf:2: <GradingHueCurve> is an Autodesk CTF operator"),
        "{err}"
    );
    let bad = node.replace("linearRev", "sideways");
    let err = parse(ctf("2.5", &bad).as_bytes(), Path::new("t.ctf"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("t.ctf:2: GradingHueCurve: style \"sideways\""),
        "{err}"
    );
}

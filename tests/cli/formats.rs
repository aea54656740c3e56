//! What grade makes of LUT and CDL files, and what it writes in headers:
//! CLF and CDL XML known by their root element (`.xml` included), each
//! format's own 3D LUT interpolation unless `--interp` is given, CDL
//! collections used without an id, the creator field of masters, and the
//! TITLE of `lut convert`. The fixtures in tests/data/clf were written by
//! OpenColorIO (scripts/reference/make_clf_fixtures.py), which the
//! ocio_parity test binary compares grade with.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::common::{data, exr_input, grade, run};

fn clf(name: &str) -> PathBuf {
    data(&format!("clf/{name}"))
}

fn lut_info(file: &Path) -> String {
    let out = run(grade().args(["lut", "info"]).arg(file));
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn lut_info_says_a_clf_published_as_xml_is_clf() {
    let text = lut_info(&clf("look_no_interpolation.xml"));
    assert!(text.contains("format: Common LUT Format (CLF)"), "{text}");
    assert!(text.contains("1: 1D LUT 64 entries"), "{text}");
    assert!(text.contains("2: 3D LUT 9x9x9"), "{text}");
    // No interpolation attribute: CLF's default.
    assert!(text.contains("trilinear"), "{text}");
    let text = lut_info(&clf("look_tetrahedral.clf"));
    assert!(text.contains("format: Common LUT Format (CLF)"), "{text}");
    assert!(text.contains("tetrahedral"), "{text}");

    let text = lut_info(&clf("grades.xml"));
    assert!(text.contains("format: ASC CDL XML"), "{text}");
    assert!(
        text.contains("1: ASC CDL sh010: slope [1.1, 1.0, 0.9]"),
        "{text}"
    );
    assert!(
        text.contains("2: ASC CDL sh020: slope [0.95, 1.0, 1.08]"),
        "{text}"
    );

    let text = lut_info(&data(
        "public/colour/colour/io/luts/tests/resources/cinespace/Colour_Correct.csp",
    ));
    assert!(text.contains("format: csp (Cinespace)"), "{text}");
}

#[test]
fn xml_that_is_neither_clf_nor_cdl_is_refused_naming_its_root() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("notes.xml");
    std::fs::write(&f, "<?xml version=\"1.0\"?>\n<Notes><Note/></Notes>\n").unwrap();
    let out = run(grade().args(["lut", "info"]).arg(&f));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("notes.xml") && err.contains("<Notes>"),
        "{err}"
    );
}

/// `grade apply` of `args` to a small float EXR, on the CPU; the output's
/// pixels.
fn apply(dir: &Path, input: &Path, name: &str, args: &[&OsStr]) -> Vec<f32> {
    let output = dir.join(format!("{name}.exr"));
    let out = run(grade()
        .args(["apply", "--backend", "cpu", "--depth", "float", "-i"])
        .arg(input)
        .args(args)
        .arg("-o")
        .arg(&output));
    assert_eq!(out.status.code(), Some(0), "{name}");
    grade_engine::io::read_frame(&output).unwrap().pixels
}

#[test]
fn a_lut3d_interpolates_as_its_file_says_unless_interp_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let (input, _) = exr_input(dir.path(), 24, 16);
    let d = dir.path();
    let none = clf("look_no_interpolation.xml");
    let tri = clf("look_trilinear.xml");
    let tet = clf("look_tetrahedral.clf");
    let run_with = |name: &str, lut: &Path, interp: Option<&str>| {
        let mut v: Vec<&OsStr> = vec!["--lut".as_ref(), lut.as_os_str()];
        if let Some(i) = interp {
            v.push("--interp".as_ref());
            v.push(i.as_ref());
        }
        apply(d, &input, name, &v)
    };
    // CLF: the attribute, trilinear without one.
    let own_none = run_with("none", &none, None);
    let own_tri = run_with("tri", &tri, None);
    let own_tet = run_with("tet", &tet, None);
    assert_eq!(own_none, own_tri);
    assert_ne!(own_none, own_tet);
    // --interp overrides the file, either way.
    assert_eq!(run_with("none_tet", &none, Some("tetrahedral")), own_tet);
    assert_eq!(run_with("tet_tri", &tet, Some("trilinear")), own_tri);

    // A .cube has no interpolation of its own: tetrahedral.
    let cube = d.join("look.cube");
    let out = run(grade()
        .args(["lut", "convert", "--size", "9"])
        .arg(&tet)
        .arg(&cube));
    assert_eq!(out.status.code(), Some(0));
    let own = run_with("cube", &cube, None);
    assert_eq!(own, run_with("cube_tet", &cube, Some("tetrahedral")));
    assert_ne!(own, run_with("cube_tri", &cube, Some("trilinear")));
}

#[test]
fn a_collection_used_without_an_id_is_refused_listing_its_ids() {
    let dir = tempfile::tempdir().unwrap();
    let (input, _) = exr_input(dir.path(), 4, 4);
    let ccc = data("public/ocio/tests/data/files/cdl_test1.ccc");
    let apply_cdl = |spec: &OsStr| {
        run(grade()
            .args(["apply", "--backend", "cpu", "-i"])
            .arg(&input)
            .arg("--cdl")
            .arg(spec)
            .arg("-o")
            .arg(dir.path().join("o.exr")))
    };
    let out = apply_cdl(ccc.as_os_str());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cdl_test1.ccc: holds 5 ColorCorrections; say which with FILE#ID (ids here: cc0001, cc0002, cc0003; and 2 without an id: #3, #4 by position, counting from 0)"),
        "{err}"
    );
    // An unknown id lists the same ids, with no empty entries.
    let mut spec = ccc.clone().into_os_string();
    spec.push("#cc0009");
    let out = apply_cdl(&spec);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no ColorCorrection with id \"cc0009\" (ids here: cc0001, cc0002, cc0003;"),
        "{err}"
    );
    assert!(!err.contains(", ,") && !err.contains(", )"), "{err}");
    // By id, or by position as OpenColorIO counts.
    for id in ["#cc0002", "#1", "#4"] {
        let mut spec = ccc.clone().into_os_string();
        spec.push(id);
        assert_eq!(apply_cdl(&spec).status.code(), Some(0), "{id}");
    }
    // One correction needs no id.
    let cc = data("public/ocio/tests/data/files/cdl_test1.cc");
    assert_eq!(apply_cdl(cc.as_os_str()).status.code(), Some(0));
    // lut info describes every correction.
    let text = lut_info(&ccc);
    assert!(text.contains("5: ASC CDL: slope"), "{text}");
}

#[test]
fn masters_name_grade_as_their_creator() {
    let Some(_) = grade_engine::testutil::reference_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (source, writer) in [
        (data("dpx/rgb_10a_be.dpx"), "make_dpx_fixtures.py"),
        (data("exr/editorial.exr"), "make_io_fixtures.py"),
    ] {
        // OpenImageIO names the field Software in DPX, software in EXR.
        let software = |path: &Path| {
            let h = grade_engine::testutil::oiio_read(path).unwrap().header;
            let a = &h["attributes"];
            a.get("Software")
                .or_else(|| a.get("software"))
                .cloned()
                .unwrap_or_default()
        };
        assert_eq!(software(&source), writer);
        for ext in ["dpx", "exr"] {
            let output = dir.path().join(format!("master.{ext}"));
            let out = run(grade()
                .args(["apply", "--backend", "cpu", "--exposure", "0.5", "-i"])
                .arg(&source)
                .arg("-o")
                .arg(&output));
            assert_eq!(out.status.code(), Some(0));
            // As OpenImageIO reads the header.
            assert_eq!(
                software(&output),
                grade_engine::CREATOR,
                "{} -> {ext}",
                source.display()
            );
            assert!(grade_engine::CREATOR.starts_with("grade 0."));
        }
    }
}

fn cube_title(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().next().unwrap_or("").to_string()
}

#[test]
fn lut_convert_titles_the_cube_with_what_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    let out_cube = dir.path().join("baked.cube");
    let cc = data("public/ocio/tests/data/files/cdl_test1.cc");
    let out = run(grade()
        .args(["lut", "convert", "--size", "3", "--cdl"])
        .arg(&cc)
        .arg("--lut")
        .arg(clf("look_tetrahedral.clf"))
        .args(["--exposure", "0.5"])
        .arg(&out_cube));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        cube_title(&out_cube),
        "TITLE \"cdl_test1.cc + look_tetrahedral.clf + exposure 0.5\""
    );
    // Positional inputs come first; a collection takes FILE#ID there too.
    let mut ccc = data("public/ocio/tests/data/files/cdl_test1.ccc").into_os_string();
    ccc.push("#cc0002");
    let out = run(grade()
        .args(["lut", "convert", "--size", "3"])
        .arg(clf("look_no_interpolation.xml"))
        .arg(&ccc)
        .args(["--from", "logc3", "--to", "rec709"])
        .arg(&out_cube));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        cube_title(&out_cube),
        "TITLE \"look_no_interpolation.xml + cdl_test1.ccc#cc0002 + logc3 to rec709\""
    );
}

//! Cinespace `.csp` files through `grade lut info`, `grade lut convert` and
//! `grade apply --lut`.

use crate::common::{data, exr_input, grade, run};

const DIR: &str = "public/colour/colour/io/luts/tests/resources/cinespace";

#[test]
fn lut_info_shows_the_prelut_the_table_and_the_metadata() {
    let f = data(&format!("{DIR}/Three_Dimensional_Table_With_Shaper.csp"));
    let out = run(grade().args(["lut", "info"]).arg(&f));
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("title: LUT3D with My Shaper"), "{text}");
    assert!(
        text.contains("1: 1D LUT 65536 entries, domain [-0.1, -0.1, -0.1]..[3.0, 3.0, 3.0]"),
        "{text}"
    );
    assert!(text.contains("2: 3D LUT 3x3x3"), "{text}");
}

#[test]
fn lut_convert_bakes_a_csp_to_a_cube_that_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let out_cube = dir.path().join("baked.cube");
    let f = data(&format!("{DIR}/Colour_Correct.csp"));
    let out = run(grade()
        .args(["lut", "convert", "--size", "4"])
        .arg(&f)
        .arg(&out_cube));
    assert_eq!(out.status.code(), Some(0));
    let baked = grade_engine::formats::load(&out_cube, None).unwrap();
    let source = grade_engine::formats::load(&f, None).unwrap();
    // Colour_Correct.csp is a 4^3 lattice over [0,1] with no shaper, so a
    // 4^3 bake samples its lattice points: the same numbers, to the
    // precision the .cube writer prints.
    let (grade_engine::grade::Op::Lut3d(a), grade_engine::grade::Op::Lut3d(b)) =
        (&baked[0], &source[0])
    else {
        panic!("{baked:?}");
    };
    for (x, y) in a.data.iter().flatten().zip(b.data.iter().flatten()) {
        assert!((x - y).abs() < 1e-6, "{x} vs {y}");
    }
}

#[test]
fn apply_with_a_malformed_csp_names_file_and_line_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let (input, _) = exr_input(dir.path(), 4, 4);
    let out = run(grade()
        .args(["apply", "-i"])
        .arg(&input)
        .arg("--lut")
        .arg(data("illegal/bad_value.csp"))
        .arg("-o")
        .arg(dir.path().join("o.exr")));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad_value.csp:18:"), "{err}");
}

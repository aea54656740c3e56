//! Unit tests of the kernel's make-up that need no adapter: the WGSL
//! `OpRecord` and constants against the Rust ones, and the composition of
//! the shader files from `ops/list.rs`. The tests that run the kernel are
//! `engine/tests/gpu/` (reported as ignored without an adapter).

use std::sync::OnceLock;

use super::{compose, context, Context};
use crate::grade::packed;
use crate::ops::OpKind;

/// The shared context for the GPU tests of other modules (the reformat's
/// resampler), or `None` (after saying why) outside CI.
pub(crate) fn ctx() -> Option<&'static Context> {
    static CTX: OnceLock<Result<Context, String>> = OnceLock::new();
    match CTX.get_or_init(|| Context::new().map_err(|e| e.to_string())) {
        Ok(c) => Some(c),
        Err(e) if crate::testutil::in_ci() => {
            panic!("{e}; under CI=true a missing GPU adapter is a failure, not a skip")
        }
        Err(e) => {
            eprintln!("skipped: {e}");
            None
        }
    }
}

#[test]
fn wgsl_op_record_matches_rust() {
    use context::sources::*;
    assert_eq!(
        WGSL_OP_RECORD_SIZE as usize,
        std::mem::size_of::<OpRecord>()
    );
    let rust = [
        ("kind", std::mem::offset_of!(OpRecord, kind)),
        ("flags", std::mem::offset_of!(OpRecord, flags)),
        ("n", std::mem::offset_of!(OpRecord, n)),
        ("data", std::mem::offset_of!(OpRecord, data)),
        ("p", std::mem::offset_of!(OpRecord, p)),
    ];
    for ((wn, wo), (rn, ro)) in WGSL_OP_RECORD_OFFSETS.iter().zip(rust) {
        assert_eq!((*wn, *wo as usize), (rn, ro));
    }
    // The kinds and styles are generated from ops/list.rs on both sides;
    // the flags are written twice and must agree.
    for kind in OpKind::ALL {
        let name = format!("KIND_{}", kind.name().to_ascii_uppercase());
        let wgsl = WGSL_U32_CONSTANTS.iter().find(|(n, _)| *n == name);
        assert_eq!(wgsl.map(|(_, v)| *v), Some(*kind as u32), "{name}");
    }
    use packed::*;
    let want = [
        ("CDL_CLAMP", CDL_CLAMP),
        ("INVERSE", INVERSE),
        ("LUT1D_HALF_DOMAIN", LUT1D_HALF_DOMAIN),
        ("LUT3D_TRILINEAR", LUT3D_TRILINEAR),
        ("RANGE_CLAMP_LOW", RANGE_CLAMP_LOW),
        ("RANGE_CLAMP_HIGH", RANGE_CLAMP_HIGH),
        ("STYLE_SHIFT", STYLE_SHIFT),
        ("STYLE_MASK", STYLE_MASK),
        ("WORKGROUP_SIZE", super::WORKGROUP_SIZE),
    ];
    for (name, value) in want {
        let wgsl = WGSL_U32_CONSTANTS.iter().find(|(n, _)| *n == name);
        assert_eq!(wgsl.map(|(_, v)| *v), Some(value), "{name}");
    }
}

#[test]
fn shader_files_compose_in_the_shared_order() {
    let names: Vec<&str> = context::sources::SHADER_SOURCES
        .iter()
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(names, compose::all_shader_files());
    for exact in [true, false] {
        let files = compose::shader_files(exact);
        let has_exact = files.iter().any(|f| f == compose::EXACT_MATHS);
        assert_eq!(has_exact, exact, "{files:?}");
        // One file per op of the list, and the dispatch generated from it.
        for (module, _) in compose::OPS {
            assert!(files.contains(&compose::op_file(module)), "{module}");
            assert!(compose::glue_wgsl().contains(&format!("return {module}_apply(v, op);")));
        }
    }
    let files = compose::shader_files(true);
    let c = compose::compose(files.iter().map(|n| context::source(n)));
    // The first line of each file maps back to line 1 of that file.
    let lines: Vec<&str> = c.source.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if let Some(name) = l
            .strip_prefix("// ---- engine/src/ops/")
            .and_then(|r| r.strip_suffix(" ----"))
        {
            assert_eq!(c.locate(i as u32 + 2), Some((name, 1)));
        }
    }
}

#[test]
fn a_kernel_for_some_ops_holds_only_their_files_and_cases() {
    let all = compose::OpSet::all();
    assert_eq!(all.modules().count(), compose::OPS.len());
    for (kind, (module, _)) in compose::OPS.iter().enumerate() {
        let one = compose::OpSet::one(kind);
        assert_eq!(one.modules().collect::<Vec<_>>(), vec![*module]);
        let files = compose::shader_files_for(true, one);
        let op_files: Vec<_> = compose::OPS
            .iter()
            .map(|(m, _)| compose::op_file(m))
            .filter(|f| files.contains(f))
            .collect();
        assert_eq!(op_files, vec![compose::op_file(module)]);
        let glue = compose::glue_wgsl_for(one);
        assert_eq!(glue.matches("_apply(v, op)").count(), 1, "{module}");
        assert!(glue.contains(&format!("return {module}_apply(v, op);")));
    }
    // Kinds outside the list (the empty program's placeholder) are left out.
    let set = compose::OpSet::of_kinds([0, 1, u32::MAX, 1000]);
    assert_eq!(set, compose::OpSet::of_kinds([1, 0]));
    assert_eq!(compose::OpSet::of_kinds([]), compose::OpSet::default());
}

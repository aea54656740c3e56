//! How the WGSL files under `engine/src/ops/` become one module:
//! concatenated in a fixed order (the shared helpers, one file per op of
//! `ops/list.rs`, the WGSL generated from that list, the entry point), each
//! behind a marker line, with a map from a line of the composed module back
//! to its file and line. Shared by the build script (which
//! validates the composed modules with naga) and the GPU context (which hands
//! them to wgpu), so both see exactly the same text.
//!
//! A kernel holds only the ops a program uses ([`OpSet`]): a shader
//! compiler (llvmpipe above all) makes slower code for every pixel when the
//! dispatch switch holds every op of the list, even the ones a program never
//! reaches.

// The op list, read here so that the build script (which includes this
// file) and the engine compose the same files.
include!("../ops/list.rs");

macro_rules! op_table {
    ($($Type:ident $module:ident [$($Style:ident: $($style:ident)*)?]),* $(,)?) => {
        /// Every op of `ops/list.rs` in record order: its folder (also the
        /// prefix of its WGSL file and of its `_apply` function) and the
        /// names of its styles (empty without a style enum).
        pub const OPS: &[(&str, &[&str])] = &[$((stringify!($module), &[$($(stringify!($style)),*)?])),*];
    };
}
with_every_op!(op_table);

/// Where the shader files live, as messages name them; the names of
/// [`shader_files`] are relative to it.
pub const SHADER_DIR: &str = "engine/src/ops/";

/// `exp2f`/`log2f`/`powf` in f64, the CPU's to the bit (needs the f64
/// shader capability, wgpu's `SHADER_F64`).
pub const EXACT_MATHS: &str = "mathf_exact.wgsl";

/// The same functions from WGSL's built-ins, for adapters without f64.
pub const BUILTIN_MATHS: &str = "mathf_builtin.wgsl";

/// The WGSL generated from the op list ([`glue_wgsl`]): no file of that
/// name exists; messages name it so.
pub const GLUE: &str = "list.rs.wgsl";

/// A set of ops of the list, by record kind (bit `kind`): the ops one
/// kernel can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct OpSet(u64);

// One bit per op: the list must stay within 64 ops.
const _: () = assert!(OPS.len() <= 64);

#[allow(dead_code)] // parts are read only by the build script or the engine
impl OpSet {
    /// Every op of the list.
    pub fn all() -> OpSet {
        OpSet(u64::MAX >> (64 - OPS.len()))
    }

    /// The op of record kind `kind` alone.
    pub fn one(kind: usize) -> OpSet {
        OpSet(1u64.checked_shl(kind as u32).unwrap_or(0) & Self::all().0)
    }

    /// The ops of these record kinds; kinds outside the list are left out.
    pub fn of_kinds(kinds: impl IntoIterator<Item = u32>) -> OpSet {
        kinds.into_iter().fold(OpSet::default(), |set, k| {
            OpSet(set.0 | OpSet::one(k as usize).0)
        })
    }

    pub fn contains(self, kind: usize) -> bool {
        self.0 & OpSet::one(kind).0 != 0
    }

    /// The folder names of the ops in the set, in record order.
    pub fn modules(self) -> impl Iterator<Item = &'static str> {
        OPS.iter()
            .enumerate()
            .filter(move |(k, _)| self.contains(*k))
            .map(|(_, (m, _))| *m)
    }
}

/// The files of one variant holding every op, in composition order:
/// helpers, the power/log/exp functions (exact or built-in), the fast CDL
/// power, the grading ops' log shaping, HSY and the B-spline curves, one file per op of the list, the generated kind and style
/// constants and dispatch ([`GLUE`]), then the entry point.
#[allow(dead_code)] // read by the build script and the tests
pub fn shader_files(exact: bool) -> Vec<String> {
    shader_files_for(exact, OpSet::all())
}

/// As [`shader_files`], with only the op files of `ops`.
pub fn shader_files_for(exact: bool, ops: OpSet) -> Vec<String> {
    let maths = if exact { EXACT_MATHS } else { BUILTIN_MATHS };
    let mut files = vec![
        "math.wgsl".to_string(),
        maths.to_string(),
        "fastpow.wgsl".to_string(),
        "grading_shaping.wgsl".to_string(),
        "hsy.wgsl".to_string(),
        "bspline.wgsl".to_string(),
    ];
    files.extend(ops.modules().map(op_file));
    files.push(GLUE.to_string());
    files.push("program.wgsl".to_string());
    files
}

/// The WGSL file of the op in folder `module`.
pub fn op_file(module: &str) -> String {
    format!("{module}/{module}.wgsl")
}

/// Every file either variant reads, each once.
#[allow(dead_code)] // read by the build script
pub fn all_shader_files() -> Vec<String> {
    let mut v = shader_files(true);
    v.push(BUILTIN_MATHS.to_string());
    v
}

/// `MonCurveMirrorFwd` -> `MON_CURVE_MIRROR_FWD`.
fn upper_snake(name: &str) -> String {
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_uppercase());
    }
    out
}

/// The WGSL that names every op of the list: `KIND_<OP>` (the record kind),
/// `<OP>_STYLE_<STYLE>` (the style index in flags bits 8..15), and
/// `apply_op`, the switch calling each op's `<op>_apply`. Generated, so a
/// new op cannot be left out of the kernel's dispatch.
#[allow(dead_code)] // read by the build script and the tests
pub fn glue_wgsl() -> String {
    glue_wgsl_for(OpSet::all())
}

/// As [`glue_wgsl`], with `apply_op` dispatching only the ops of `ops`
/// (every constant is still defined; a record of another kind passes
/// through unchanged, which the executor never sends).
pub fn glue_wgsl_for(ops: OpSet) -> String {
    let mut out =
        String::from("// Generated from engine/src/ops/list.rs by engine/src/gpu/compose.rs.\n\n");
    for (kind, (module, styles)) in OPS.iter().enumerate() {
        let op = module.to_ascii_uppercase();
        out.push_str(&format!("const KIND_{op}: u32 = {kind}u;\n"));
        for (i, style) in styles.iter().enumerate() {
            out.push_str(&format!(
                "const {op}_STYLE_{}: u32 = {i}u;\n",
                upper_snake(style)
            ));
        }
    }
    out.push_str(
        "\nfn apply_op(v: vec3<f32>, op: OpRecord) -> vec3<f32> {\n    switch op.kind {\n",
    );
    for module in ops.modules() {
        let op = module.to_ascii_uppercase();
        out.push_str(&format!(
            "        case KIND_{op}: {{\n            return {module}_apply(v, op);\n        }}\n"
        ));
    }
    // Only the placeholder record of an empty program reaches this: every
    // other kind was checked before upload.
    out.push_str("        default: {\n            return v;\n        }\n    }\n}\n");
    out
}

/// The composed module and where each file starts in it.
pub struct Composed {
    pub source: String,
    /// (1-based composed line of the file's first line, file name).
    starts: Vec<(u32, String)>,
}

/// Concatenates `(file name, text)` pairs in the order given.
pub fn compose<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Composed {
    let mut source = String::new();
    let mut starts = Vec::new();
    let mut line = 1u32;
    for (name, text) in files {
        source.push_str("// ---- ");
        source.push_str(SHADER_DIR);
        source.push_str(name);
        source.push_str(" ----\n");
        line += 1;
        starts.push((line, name.to_string()));
        source.push_str(text);
        line += text.matches('\n').count() as u32;
        if !text.ends_with('\n') {
            source.push('\n');
            line += 1;
        }
    }
    Composed { source, starts }
}

impl Composed {
    /// The file and 1-based line in it of 1-based `line` of the composed module.
    pub fn locate(&self, line: u32) -> Option<(&str, u32)> {
        self.starts
            .iter()
            .rev()
            .find(|(start, _)| *start <= line)
            .map(|(start, name)| (name.as_str(), line - start + 1))
    }

    /// Rewrites every `:LINE:` position wgpu or naga prints for the composed
    /// module (as `wgsl:LINE:COL`) into `engine/src/ops/FILE:LINE:COL`.
    pub fn relocate_message(&self, message: &str) -> String {
        let mut out = String::with_capacity(message.len());
        let mut rest = message;
        while let Some(at) = rest.find("wgsl:") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 5..];
            let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
            match digits.parse::<u32>().ok().and_then(|l| self.locate(l)) {
                Some((file, line)) => {
                    out.push_str(&format!("{SHADER_DIR}{file}:{line}"));
                    rest = &after[digits.len()..];
                }
                None => {
                    out.push_str("wgsl:");
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

//! How the WGSL files under `engine/src/ops/` become one module: concatenated in a fixed
//! order, each behind a marker line, with a map from a line of the composed
//! module back to its file and line. Shared by the build script (which
//! validates the composed module with naga) and the GPU context (which hands
//! it to wgpu), so both see exactly the same text.

/// The shader files, in composition order: helpers, the power/log/exp
/// functions ([`MATHS`] stands for one of the two variants), the fast
/// CDL power, then one file per op, then the entry point that calls them.
#[allow(dead_code)] // read by the build script and the tests
pub const SHADER_FILES: [&str; 12] = [
    "math.wgsl",
    MATHS,
    "fastpow.wgsl",
    "matrix/matrix.wgsl",
    "range/range.wgsl",
    "cdl/cdl.wgsl",
    "lut1d/lut1d.wgsl",
    "lut3d/lut3d.wgsl",
    "log/log.wgsl",
    "exponent/exponent.wgsl",
    "primary/primary.wgsl",
    "program.wgsl",
];

/// Where the shader files live, as messages name them; [`SHADER_FILES`]
/// are relative to it.
pub const SHADER_DIR: &str = "engine/src/ops/";

/// Placeholder in [`SHADER_FILES`] for the maths variant.
pub const MATHS: &str = "<maths>";

/// `exp2f`/`log2f`/`powf` in f64, the CPU's to the bit (needs the f64
/// shader capability, wgpu's `SHADER_F64`).
pub const EXACT_MATHS: &str = "mathf_exact.wgsl";

/// The same functions from WGSL's built-ins, for adapters without f64.
pub const BUILTIN_MATHS: &str = "mathf_builtin.wgsl";

/// The files of one variant, in composition order.
#[allow(dead_code)] // read by the build script and the tests
pub fn shader_files(exact: bool) -> [&'static str; 12] {
    SHADER_FILES.map(|f| match f {
        MATHS if exact => EXACT_MATHS,
        MATHS => BUILTIN_MATHS,
        f => f,
    })
}

/// Every file either variant reads, each once.
#[allow(dead_code)] // read by the build script
pub fn all_shader_files() -> Vec<&'static str> {
    let mut v: Vec<&str> = shader_files(true).to_vec();
    v.push(BUILTIN_MATHS);
    v
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

//! Shader check: parse and validate the composed WGSL program with naga.

pub fn check() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shaders");
    println!("cargo:rerun-if-changed={}", dir.display());
}

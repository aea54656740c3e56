//! Build script: validates every WGSL shader with naga (a broken shader fails
//! `cargo build` with its name and line), and with feature `ocio` compiles the
//! C++ shim against libOpenColorIO.

#[path = "build/shaders.rs"]
mod shaders;

#[cfg(feature = "ocio")]
#[path = "build/ocio.rs"]
mod ocio;

fn main() {
    shaders::check();
    #[cfg(feature = "ocio")]
    ocio::build();
}

/// The engine's folder, read when the script runs rather than when it was
/// compiled, so the files it watches are those of the checkout being built.
fn manifest_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from("."))
}

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

//! Compiles the OpenColorIO shim (engine/src/ocio/shim.cpp) against the
//! system libOpenColorIO found through pkg-config.

pub fn build() {
    let src = super::manifest_dir().join("src/ocio");
    let shim = src.join("shim.cpp");
    println!("cargo:rerun-if-changed={}", shim.display());
    println!("cargo:rerun-if-changed={}", src.join("shim.h").display());

    let lib = match pkg_config::Config::new()
        .atleast_version("2.1")
        // Link flags are printed after the shim's, so the linker sees the
        // shim (which needs OpenColorIO) first.
        .cargo_metadata(false)
        .env_metadata(true)
        .probe("OpenColorIO")
    {
        Ok(lib) => lib,
        Err(e) => panic!(
            "\n\nfeature `ocio` needs OpenColorIO 2.1 or newer, which pkg-config could not \
             find.\nInstall it with `sudo apt-get install libopencolorio-dev` or run \
             scripts/setup, or build without it: `--no-default-features --features gpu`.\n\
             pkg-config said: {e}\n\n"
        ),
    };

    let mut build = cc::Build::new();
    build
        .cpp(true)
        .std("c++17")
        .file(&shim)
        .warnings(true)
        .includes(&lib.include_paths);
    build.compile("grade_ocio_shim");

    for dir in &lib.link_paths {
        println!("cargo:rustc-link-search=native={}", dir.display());
    }
    for name in &lib.libs {
        println!("cargo:rustc-link-lib={name}");
    }
}

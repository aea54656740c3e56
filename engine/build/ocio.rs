//! Compiles the OpenColorIO shim (engine/src/ocio/shim.cpp).

pub fn build() {}

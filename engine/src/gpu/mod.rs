//! wgpu compute backend: headless context, one composed kernel that runs a
//! whole packed Program per pixel, and the executor.

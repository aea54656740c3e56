//! wgpu compute backend: a headless [`Context`] (adapter, device, a compute
//! pipeline per set of ops, `kernels.rs`), the composed WGSL kernel (`engine/src/ops/`, see
//! `engine/src/ops/README.md`) that runs a whole packed Program per pixel, and the
//! [`Executor`] that uploads frames, dispatches and reads them back.
//!
//! The kernel reads the same [`PackedProgram`](crate::grade::packed::PackedProgram)
//! as the fast CPU executor; only the maths is written twice, in the same
//! operation order, so the two agree to f32 rounding.

pub(crate) mod compose;
mod context;
mod executor;
mod kernels;

pub use context::{AdapterInfo, Context};
pub use executor::{Executor, GpuTimings, Ticket, WORKGROUP_SIZE};

#[cfg(test)]
pub(crate) mod tests;

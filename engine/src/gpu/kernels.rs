//! The compute pipelines a context has built, one per set of ops a program
//! uses ([`OpSet`]), each compiled the first time a program needs it and
//! kept for the life of the context. A conform whose shots share their
//! kinds of op (a CDL and a LUT, say) builds one kernel however many grades
//! it swaps in; a new kind of op costs one more build.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::grade::packed::PackedProgram;

use super::compose::{self, OpSet};
use super::context::{build_pipeline, source};

/// Builds and keeps the kernels of one device.
pub(crate) struct Kernels {
    device: wgpu::Device,
    layout: wgpu::BindGroupLayout,
    exact_maths: bool,
    /// The adapter's name, for messages.
    adapter: String,
    built: Mutex<HashMap<OpSet, wgpu::ComputePipeline>>,
}

impl Kernels {
    pub(crate) fn new(
        device: wgpu::Device,
        layout: wgpu::BindGroupLayout,
        exact_maths: bool,
        adapter: String,
    ) -> Kernels {
        Kernels {
            device,
            layout,
            exact_maths,
            adapter,
            built: Mutex::new(HashMap::new()),
        }
    }

    /// The ops `program` uses.
    pub(crate) fn ops_of(program: &PackedProgram) -> OpSet {
        OpSet::of_kinds(program.ops.iter().map(|r| r.kind))
    }

    /// The kernel running `program`, built now if no earlier program used
    /// the same ops.
    pub(crate) fn for_program(&self, program: &PackedProgram) -> Result<wgpu::ComputePipeline> {
        self.for_ops(Self::ops_of(program))
    }

    /// The kernel holding the ops of `ops`.
    pub(crate) fn for_ops(&self, ops: OpSet) -> Result<wgpu::ComputePipeline> {
        let mut built = self
            .built
            .lock()
            .map_err(|_| Error::Gpu("the GPU kernel cache is poisoned".into()))?;
        if let Some(p) = built.get(&ops) {
            return Ok(p.clone());
        }
        let glue = compose::glue_wgsl_for(ops);
        let files = compose::shader_files_for(self.exact_maths, ops);
        let composed = compose::compose(files.iter().map(|n| {
            if n == compose::GLUE {
                (compose::GLUE, glue.as_str())
            } else {
                source(n)
            }
        }));
        let pipeline = pollster::block_on(build_pipeline(&self.device, &self.layout, &composed))
            .map_err(|e| Error::Gpu(format!("on {}: {e}", self.adapter)))?;
        built.insert(ops, pipeline.clone());
        Ok(pipeline)
    }
}

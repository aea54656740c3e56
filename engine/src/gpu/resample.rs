//! The reformat on the GPU: a frame is uploaded once at its source size,
//! resampled by `engine/src/reformat/resample.wgsl` (rows, then columns),
//! graded in the same submission, and read back once at the output size.
//! With `--reformat-after` it is graded at the source size first.
//!
//! The kernel reads the plan's own spans and f32 weights (uploaded once per
//! plan) and adds the taps in the CPU's order, so both backends give the
//! same bits. Each of the source, the intermediate and the output must fit
//! one storage binding; a larger frame, or a rotated plan, is resampled on
//! the CPU instead ([`Executor::pipelines_reformat`] says which).

use std::sync::Arc;
use std::time::Instant;

use bytemuck::{Pod, Zeroable};

use super::{frame_floats, Executor, GpuTimings, Submitted, Ticket, PIXEL_BYTES};
use crate::error::{Error, Result};
use crate::gpu::context::{one_compile_at_a_time, storage_entry};
use crate::reformat::{Axis, Plan, Separable};

/// Keep in sync with `struct Pass` in engine/src/reformat/resample.wgsl.
#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
struct Pass {
    width: u32,
    height: u32,
    x0: u32,
    y0: u32,
    aw: u32,
    ah: u32,
    src_width: u32,
    row0: u32,
    stride: u32,
    pad: [u32; 3],
}

/// Invocations per workgroup of both entry points (`@workgroup_size(64)`).
const GROUP: u32 = 64;

/// A plan's records on the GPU.
struct PlanBuffers {
    plan: Arc<Plan>,
    x: (wgpu::Buffer, wgpu::Buffer, wgpu::Buffer),
    y: (wgpu::Buffer, wgpu::Buffer, wgpu::Buffer),
    groups_x: (u32, u32),
    groups_y: (u32, u32),
}

/// Working buffers of one executor slot.
#[derive(Default)]
struct Scratch {
    /// The source (before the grade) or the output (after it).
    other: Option<(wgpu::Buffer, u64)>,
    inter: Option<(wgpu::Buffer, u64)>,
}

/// The two pipelines and what they last ran.
pub(super) struct Resampler {
    layout: wgpu::BindGroupLayout,
    rows: wgpu::ComputePipeline,
    columns: wgpu::ComputePipeline,
    plan: Option<PlanBuffers>,
    scratch: [Scratch; 2],
}

impl Resampler {
    fn new(device: &wgpu::Device) -> Result<Resampler> {
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("reformat"),
            entries: &[
                storage_entry(0, true),
                storage_entry(1, false),
                storage_entry(2, true),
                storage_entry(3, true),
                // A uniform: downlevel devices allow 4 storage buffers.
                wgpu::BindGroupLayoutEntry {
                    binding: 4,
                    visibility: wgpu::ShaderStages::COMPUTE,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Uniform,
                        has_dynamic_offset: false,
                        min_binding_size: None,
                    },
                    count: None,
                },
            ],
        });
        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let compiling = one_compile_at_a_time();
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("reformat"),
            source: wgpu::ShaderSource::Wgsl(include_str!("../reformat/resample.wgsl").into()),
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("reformat"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let pipeline = |entry: &str| {
            device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some("reformat"),
                layout: Some(&pipeline_layout),
                module: &module,
                entry_point: Some(entry),
                compilation_options: Default::default(),
                cache: None,
            })
        };
        let (rows, columns) = (pipeline("rows"), pipeline("columns"));
        drop(compiling);
        if let Some(e) = pollster::block_on(scope.pop()) {
            return Err(Error::Gpu(format!(
                "the reformat shader (engine/src/reformat/resample.wgsl) failed to build: {e}"
            )));
        }
        Ok(Resampler {
            layout,
            rows,
            columns,
            plan: None,
            scratch: Default::default(),
        })
    }
}

/// A grid of workgroups covering `pixels` invocations within `max` per
/// dimension, and the invocations per grid row.
fn grid(pixels: u64, max: u32) -> Result<((u32, u32), u32)> {
    let groups = pixels.div_ceil(u64::from(GROUP)).max(1);
    let x = groups.min(u64::from(max));
    let y = groups.div_ceil(x);
    if y > u64::from(max) {
        return Err(Error::Gpu(format!(
            "{pixels} pixels need more workgroups than the device allows"
        )));
    }
    Ok(((x as u32, y as u32), x as u32 * GROUP))
}

fn storage(device: &wgpu::Device, label: &str, bytes: &[u8]) -> Result<wgpu::Buffer> {
    // A binding may not be empty.
    let pad = [0u8; 16];
    Executor::init_buffer(device, label, if bytes.is_empty() { &pad } else { bytes })
}

fn uniform(device: &wgpu::Device, bytes: &[u8]) -> wgpu::Buffer {
    let buf = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("reformat pass"),
        size: bytes.len() as u64,
        usage: wgpu::BufferUsages::UNIFORM,
        mapped_at_creation: true,
    });
    if let Ok(mut view) = buf.get_mapped_range_mut(..) {
        view.slice(..).copy_from_slice(bytes);
    }
    buf.unmap();
    buf
}

fn bytes_of(w: u32, h: u32) -> u64 {
    u64::from(w) * u64::from(h) * PIXEL_BYTES
}

impl Executor {
    /// Whether a frame reformatted by `plan` is resampled here: a separable
    /// plan whose source, intermediate and output each fit one binding and
    /// whose output is graded in one pass.
    pub fn pipelines_reformat(&self, plan: &Plan) -> bool {
        let Some(s) = plan.separable() else {
            return false;
        };
        let src = plan.source();
        let (w, h) = plan.output_size();
        let inter = (s.x.len() as u64) * u64::from(s.rows.1 - s.rows.0) * PIXEL_BYTES;
        let largest = bytes_of(src.width, src.height)
            .max(bytes_of(w, h))
            .max(inter);
        largest <= self.window_bytes && bytes_of(w, h) <= self.pass_bytes
    }

    /// Uploads `plan`'s spans and weights unless they are there already.
    fn load_plan(&mut self, plan: &Arc<Plan>, s: &Separable) -> Result<()> {
        if self.resampler.is_none() {
            self.resampler = Some(Resampler::new(&self.device)?);
        }
        let loaded = self
            .resampler
            .as_ref()
            .and_then(|r| r.plan.as_ref())
            .is_some_and(|p| Arc::ptr_eq(&p.plan, plan) || *p.plan == **plan);
        if loaded {
            return Ok(());
        }
        let src = plan.source();
        let (w, h) = plan.output_size();
        let (aw, rows) = (s.x.len() as u32, s.rows.1 - s.rows.0);
        let a = plan.active();
        let (groups_x, stride_x) = grid(u64::from(aw) * u64::from(rows), self.max_groups)?;
        let (groups_y, stride_y) = grid(u64::from(w) * u64::from(h), self.max_groups)?;
        let pass_x = Pass {
            width: aw,
            height: rows,
            x0: 0,
            y0: 0,
            aw,
            ah: rows,
            src_width: src.width,
            row0: s.rows.0,
            stride: stride_x,
            pad: [0; 3],
        };
        let pass_y = Pass {
            width: w,
            height: h,
            x0: a.x,
            y0: a.y,
            aw,
            ah: s.y.len() as u32,
            src_width: aw,
            row0: s.rows.0,
            stride: stride_y,
            pad: [0; 3],
        };
        let axis = |device: &wgpu::Device, a: &Axis, p: &Pass| -> Result<_> {
            Ok((
                storage(device, "reformat spans", bytemuck::cast_slice(&a.spans))?,
                storage(device, "reformat weights", bytemuck::cast_slice(&a.weights))?,
                uniform(device, bytemuck::bytes_of(p)),
            ))
        };
        let buffers = PlanBuffers {
            plan: plan.clone(),
            x: axis(&self.device, &s.x, &pass_x)?,
            y: axis(&self.device, &s.y, &pass_y)?,
            groups_x,
            groups_y,
        };
        if let Some(r) = self.resampler.as_mut() {
            r.plan = Some(buffers);
        }
        Ok(())
    }

    /// Makes `slot`'s intermediate and other buffer at least the sizes given.
    fn prepare_scratch(&mut self, slot: usize, other: u64, inter: u64) -> Result<()> {
        let device = self.device.clone();
        let Some(r) = self.resampler.as_mut() else {
            return Err(Error::Gpu("the resampler is not built".into()));
        };
        let grow = |b: &mut Option<(wgpu::Buffer, u64)>, bytes: u64, label| -> Result<()> {
            let bytes = bytes.max(PIXEL_BYTES);
            if b.as_ref().is_some_and(|(_, cap)| *cap >= bytes) {
                return Ok(());
            }
            let buf = super::pixel_buffer(&device, label, bytes)?;
            *b = Some((buf, bytes));
            Ok(())
        };
        let s = &mut r.scratch[slot];
        grow(&mut s.other, other, "reformat frame")?;
        grow(&mut s.inter, inter, "reformat intermediate")
    }

    /// Records both resampling passes, from `src` into `dst`.
    fn encode_resample(
        &self,
        slot: usize,
        src: &wgpu::Buffer,
        dst: &wgpu::Buffer,
        encoder: &mut wgpu::CommandEncoder,
    ) -> Result<()> {
        let r = self.resampler.as_ref();
        let p = r.and_then(|r| r.plan.as_ref());
        let inter = r.and_then(|r| r.scratch[slot].inter.as_ref());
        let (Some(r), Some(p), Some((inter, _))) = (r, p, inter) else {
            return Err(Error::Gpu("reformat buffers missing".into()));
        };
        let group = |input: &wgpu::Buffer,
                     output: &wgpu::Buffer,
                     axis: &(wgpu::Buffer, wgpu::Buffer, wgpu::Buffer)| {
            let buffers = [input, output, &axis.0, &axis.1, &axis.2];
            let entries: Vec<wgpu::BindGroupEntry<'_>> = buffers
                .iter()
                .zip(0u32..)
                .map(|(b, binding)| wgpu::BindGroupEntry {
                    binding,
                    resource: b.as_entire_binding(),
                })
                .collect();
            self.device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("reformat"),
                layout: &r.layout,
                entries: &entries,
            })
        };
        let rows = group(src, inter, &p.x);
        let columns = group(inter, dst, &p.y);
        let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
            label: Some("reformat"),
            timestamp_writes: None,
        });
        let s = p.plan.separable();
        if s.is_some_and(|s| !s.x.is_empty() && s.rows.1 > s.rows.0) {
            pass.set_pipeline(&r.rows);
            pass.set_bind_group(0, &rows, &[]);
            pass.dispatch_workgroups(p.groups_x.0, p.groups_x.1, 1);
        }
        pass.set_pipeline(&r.columns);
        pass.set_bind_group(0, &columns, &[]);
        pass.dispatch_workgroups(p.groups_y.0, p.groups_y.1, 1);
        Ok(())
    }

    /// [`Executor::submit_timed`] for a `width x height` source frame that
    /// `plan` reformats, before the grade or (`after_grade`) after it; the
    /// frame comes back from [`Executor::collect`] at the output size.
    pub fn submit_reformat_timed(
        &mut self,
        mut pixels: Vec<f32>,
        width: u32,
        height: u32,
        plan: &Arc<Plan>,
        after_grade: bool,
    ) -> Result<(Ticket, GpuTimings)> {
        frame_floats(pixels.len(), width, height)?;
        let src = plan.source();
        if (src.width, src.height) != (width, height) {
            return Err(Error::Internal(format!(
                "the reformat was planned for {}x{}, the frame is {width}x{height}",
                src.width, src.height
            )));
        }
        if !self.pipelines_reformat(plan) {
            return Err(Error::Usage(
                "this reformat is resampled on the CPU, not submitted".into(),
            ));
        }
        let Some(s) = plan.separable() else {
            return Err(Error::Usage("a rotated reformat runs on the CPU".into()));
        };
        let Some(slot) = self.slots.iter().position(|s| s.in_flight.is_none()) else {
            return Err(Error::Internal(format!(
                "{} frames are already in flight: collect one first",
                Self::FRAMES_IN_FLIGHT
            )));
        };
        self.load_plan(plan, s)?;
        let (w, h) = plan.output_size();
        let (src_bytes, out_bytes) = (bytes_of(width, height), bytes_of(w, h));
        let inter = (s.x.len() as u64) * u64::from(s.rows.1 - s.rows.0) * PIXEL_BYTES;
        let graded = if after_grade { src_bytes } else { out_bytes };
        let other = if after_grade { out_bytes } else { src_bytes };
        self.prepare(slot, graded)?;
        Self::ensure_readback(&self.device, &mut self.slots[slot], out_bytes)?;
        self.prepare_scratch(slot, other, inter)?;
        let (Some(px), Some(r)) = (self.slots[slot].pixels.clone(), self.resampler.as_ref()) else {
            return Err(Error::Gpu("reformat buffers missing".into()));
        };
        let Some((other_buf, _)) = r.scratch[slot].other.clone() else {
            return Err(Error::Gpu("reformat buffers missing".into()));
        };

        let id = self.next_id;
        self.next_id += 1;
        let mut t = GpuTimings::default();
        let start = Instant::now();
        let upload_to = if after_grade { &px } else { &other_buf };
        self.queue
            .write_buffer(upload_to, 0, bytemuck::cast_slice(&pixels));
        t.upload = start.elapsed();

        let start = Instant::now();
        let mut encoder = self.device.create_command_encoder(&Default::default());
        let result = if after_grade {
            self.encode_dispatch(slot, &mut encoder)?;
            self.encode_resample(slot, &px, &other_buf, &mut encoder)?;
            &other_buf
        } else {
            self.encode_resample(slot, &other_buf, &px, &mut encoder)?;
            self.encode_dispatch(slot, &mut encoder)?;
            &px
        };
        if let Some(rb) = &self.slots[slot].readback {
            encoder.copy_buffer_to_buffer(result, 0, rb, 0, out_bytes);
        }
        let idx = self.queue.submit([encoder.finish()]);
        let state = self.start_map(slot, out_bytes);
        let timer = self.start_timer_map(slot);
        t.dispatch = start.elapsed();
        pixels.resize((out_bytes / 4) as usize, 0.0);
        self.slots[slot].in_flight = Some(Submitted {
            id,
            pixels,
            pending: Some((idx, state)),
            timer,
            kernel: None,
        });
        Ok((Ticket { id, slot }, t))
    }
}

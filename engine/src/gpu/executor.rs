//! Runs a packed Program over RGBA f32 frames on the GPU.
//!
//! Two ways to use it:
//!
//! - [`Executor::apply`]: one frame, in place, synchronously; returns how long
//!   upload, dispatch and readback each took ([`GpuTimings`]). Each stage
//!   waits for the GPU, so the timings are honest, at some cost in throughput.
//! - [`Executor::submit`] / [`Executor::collect`]: the render pipeline's form,
//!   with up to two frames in flight. `submit` takes a frame's pixels, queues
//!   upload + dispatch + readback and returns a [`Ticket`] at once; `collect`
//!   waits for that frame and hands its pixels back (the same allocation).
//!   Submitting frame N+1 before collecting frame N lets the GPU work on one
//!   frame while the CPU copies out (and encodes) the other:
//!
//!   ```no_run
//!   # fn demo(ctx: &grade_engine::gpu::Context, p: &grade_engine::grade::packed::PackedProgram,
//!   #         frames: Vec<Vec<f32>>) -> grade_engine::Result<()> {
//!   use grade_engine::gpu::Executor;
//!   let mut ex = Executor::new(ctx, p)?;
//!   let mut pending = std::collections::VecDeque::new();
//!   for pixels in frames {
//!       if pending.len() == Executor::FRAMES_IN_FLIGHT {
//!           let done: Vec<f32> = ex.collect(pending.pop_front().unwrap())?;
//!           // write `done`...
//!       }
//!       pending.push_back(ex.submit(pixels, 1920, 1080)?);
//!   }
//!   for t in pending {
//!       let done = ex.collect(t)?;
//!   }
//!   # Ok(()) }
//!   ```
//!
//! Buffers (pixels, readback, op records, LUT tables) are created once and
//! reused for every frame; pixel buffers grow when a larger frame arrives.
//! [`Executor::set_program`] swaps the grade (per-shot grades in a conform);
//! a grade using a kind of op no earlier one used builds that kernel once. Large frames respect the device limits:
//! the pixel buffer is bound in windows no larger than
//! `max_storage_buffer_binding_size`, each dispatched as a 2D grid of
//! workgroups within `max_compute_workgroups_per_dimension`, and a frame
//! larger than `max_buffer_size` is processed in several passes.

use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::grade::packed::PackedProgram;

use super::context::{Context, ErrorLog};
use super::kernels::Kernels;

mod buffers;
mod readback;

use buffers::{frame_floats, pixel_buffer, FrameBuffers, Timer, TIMER_BYTES};
use readback::{wait, MapState};

// The reformat's resampler: more of this executor, in its own file.
#[path = "resample.rs"]
mod resample;

/// Invocations per workgroup. Keep in sync with `WORKGROUP_SIZE` in
/// engine/src/ops/program.wgsl.
pub const WORKGROUP_SIZE: u32 = 64;

/// Bytes per RGBA f32 pixel.
const PIXEL_BYTES: u64 = 16;

/// Wall-clock time of each stage of one [`Executor::apply`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct GpuTimings {
    /// Host -> GPU copy of the pixels.
    pub upload: Duration,
    /// The compute dispatch.
    pub dispatch: Duration,
    /// GPU -> host copy and map of the result.
    pub readback: Duration,
    /// The compute pass as the GPU timed it (timestamp queries), where the
    /// adapter has them: the kernel alone, without transfers or waits.
    pub kernel: Option<Duration>,
}

impl GpuTimings {
    pub fn total(&self) -> Duration {
        self.upload + self.dispatch + self.readback
    }
}

/// A frame submitted with [`Executor::submit`], to [`Executor::collect`].
#[derive(Debug, PartialEq, Eq)]
#[must_use = "a submitted frame must be collected"]
pub struct Ticket {
    id: u64,
    slot: usize,
}

struct Submitted {
    id: u64,
    pixels: Vec<f32>,
    /// None when the frame was already done at submit time.
    pending: Option<(wgpu::SubmissionIndex, MapState)>,
    /// The map of the frame's kernel timestamps, where they are taken.
    timer: Option<MapState>,
    /// Kernel time of a frame graded at submit time.
    kernel: Option<Duration>,
}

/// Runs one packed Program; see the module docs.
pub struct Executor {
    device: wgpu::Device,
    queue: wgpu::Queue,
    /// The kernel of the current program's ops.
    pipeline: wgpu::ComputePipeline,
    kernels: std::sync::Arc<Kernels>,
    layout: wgpu::BindGroupLayout,
    errors: ErrorLog,
    /// Largest binding window, in bytes (a multiple of the offset alignment).
    window_bytes: u64,
    /// Largest pass, in bytes (a multiple of `window_bytes`).
    pass_bytes: u64,
    max_groups: u32,
    ops: wgpu::Buffer,
    luts: wgpu::Buffer,
    slots: [FrameBuffers; 2],
    next_id: u64,
    /// Nanoseconds per timestamp tick; None without timestamp queries.
    tick_ns: Option<f64>,
    /// The reformat's resampler, built with the first reformatted frame.
    resampler: Option<resample::Resampler>,
}

impl Executor {
    /// How many frames [`Executor::submit`] accepts before one is collected.
    pub const FRAMES_IN_FLIGHT: usize = 2;

    pub fn new(ctx: &Context, program: &PackedProgram) -> Result<Executor> {
        let limits = &ctx.limits;
        let align = u64::from(limits.min_storage_buffer_offset_alignment.max(256));
        let window_bytes = (limits.max_storage_buffer_binding_size / align) * align;
        if window_bytes < PIXEL_BYTES {
            return Err(Error::Gpu(
                "the device's storage buffer binding limit is too small".into(),
            ));
        }
        // A pass is a whole number of windows, within the buffer size limit
        // (and 1 GiB, to keep host staging reasonable).
        let max_pass = limits.max_buffer_size.min(1 << 30);
        let pass_bytes = (max_pass / window_bytes).max(1) * window_bytes;
        let (ops, luts) = Self::program_buffers(&ctx.device, program)?;
        Ok(Executor {
            device: ctx.device.clone(),
            queue: ctx.queue.clone(),
            pipeline: ctx.kernels.for_program(program)?,
            kernels: ctx.kernels.clone(),
            layout: ctx.layout.clone(),
            errors: ctx.errors.clone(),
            window_bytes,
            pass_bytes,
            max_groups: limits.max_compute_workgroups_per_dimension.max(1),
            ops,
            luts,
            slots: [
                FrameBuffers {
                    timer: Self::timer(ctx),
                    ..Default::default()
                },
                FrameBuffers {
                    timer: Self::timer(ctx),
                    ..Default::default()
                },
            ],
            next_id: 0,
            tick_ns: ctx
                .timestamps
                .then(|| f64::from(ctx.queue.get_timestamp_period())),
            resampler: None,
        })
    }

    /// Whether [`GpuTimings::kernel`] is measured on this device.
    pub fn times_kernels(&self) -> bool {
        self.tick_ns.is_some()
    }

    /// Makes a small frame take the paths a huge one takes: binding windows
    /// of `window_bytes`, passes of `windows_per_pass` windows, and at most
    /// `max_groups` workgroups per dimension.
    #[doc(hidden)]
    pub fn shrink_limits_for_test(
        &mut self,
        window_bytes: u64,
        windows_per_pass: u64,
        max_groups: u32,
    ) {
        self.window_bytes = window_bytes;
        self.pass_bytes = window_bytes * windows_per_pass;
        self.max_groups = max_groups;
    }

    /// Swaps in another grade; buffers for pixels are kept.
    pub fn set_program(&mut self, program: &PackedProgram) -> Result<()> {
        if self.slots.iter().any(|s| s.in_flight.is_some()) {
            return Err(Error::Internal(
                "cannot change the grade while frames are in flight".into(),
            ));
        }
        let (ops, luts) = Self::program_buffers(&self.device, program)?;
        self.pipeline = self.kernels.for_program(program)?;
        self.ops = ops;
        self.luts = luts;
        for slot in &mut self.slots {
            slot.windows.clear();
            slot.bound_bytes = 0;
        }
        Ok(())
    }

    /// Records the dispatches for the pass prepared in `slot` (and, with a
    /// timer, the timestamps around them and their copy to the host).
    fn encode_dispatch(&self, slot: usize, encoder: &mut wgpu::CommandEncoder) -> Result<()> {
        let timer = self.slots[slot].timer.as_ref();
        self.encode_pass(slot, encoder, timer)?;
        if let Some(t) = timer {
            encoder.resolve_query_set(&t.queries, 0..2, &t.resolve, 0);
            encoder.copy_buffer_to_buffer(&t.resolve, 0, &t.readback, 0, TIMER_BYTES);
        }
        Ok(())
    }

    fn encode_pass(
        &self,
        slot: usize,
        encoder: &mut wgpu::CommandEncoder,
        timer: Option<&Timer>,
    ) -> Result<()> {
        let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
            label: Some("grade"),
            timestamp_writes: timer.map(|t| wgpu::ComputePassTimestampWrites {
                query_set: &t.queries,
                beginning_of_pass_write_index: Some(0),
                end_of_pass_write_index: Some(1),
            }),
        });
        pass.set_pipeline(&self.pipeline);
        for (size, group) in &self.slots[slot].windows {
            let pixels = size / PIXEL_BYTES;
            let groups = pixels.div_ceil(u64::from(WORKGROUP_SIZE));
            let x = groups.min(u64::from(self.max_groups));
            let y = groups.div_ceil(x);
            if y > u64::from(self.max_groups) {
                return Err(Error::Gpu(format!(
                    "{pixels} pixels need more workgroups than the device allows"
                )));
            }
            pass.set_bind_group(0, group, &[]);
            pass.dispatch_workgroups(x as u32, y as u32, 1);
        }
        Ok(())
    }

    fn encode_copy_out(&self, slot: usize, bytes: u64, encoder: &mut wgpu::CommandEncoder) {
        let s = &self.slots[slot];
        if let (Some(px), Some(rb)) = (&s.pixels, &s.readback) {
            encoder.copy_buffer_to_buffer(px, 0, rb, 0, bytes);
        }
    }

    /// Grades `rgba` (width*height RGBA f32 pixels) in place, synchronously.
    pub fn apply(&mut self, rgba: &mut [f32], width: u32, height: u32) -> Result<GpuTimings> {
        frame_floats(rgba.len(), width, height)?;
        if self.slots[0].in_flight.is_some() {
            return Err(Error::Internal(
                "cannot apply a frame while submitted frames are in flight".into(),
            ));
        }
        let mut t = GpuTimings::default();
        let pass_floats = (self.pass_bytes / 4) as usize;
        for chunk in rgba.chunks_mut(pass_floats) {
            let bytes = chunk.len() as u64 * 4;
            self.prepare(0, bytes)?;

            let start = Instant::now();
            self.upload(0, chunk);
            let idx = self.queue.submit([]);
            wait(&self.device, Some(idx))?;
            t.upload += start.elapsed();

            let start = Instant::now();
            let mut encoder = self.device.create_command_encoder(&Default::default());
            self.encode_dispatch(0, &mut encoder)?;
            let idx = self.queue.submit([encoder.finish()]);
            let timer = self.start_timer_map(0);
            wait(&self.device, Some(idx))?;
            t.dispatch += start.elapsed();
            if let Some(k) = self.finish_timer_map(0, timer)? {
                *t.kernel.get_or_insert(Duration::ZERO) += k;
            }

            let start = Instant::now();
            let mut encoder = self.device.create_command_encoder(&Default::default());
            self.encode_copy_out(0, bytes, &mut encoder);
            let idx = self.queue.submit([encoder.finish()]);
            let state = self.start_map(0, bytes);
            wait(&self.device, Some(idx))?;
            self.finish_map(0, &state, chunk)?;
            t.readback += start.elapsed();
            self.errors.take()?;
        }
        Ok(t)
    }

    /// Queues a frame for grading and returns at once; see the module docs.
    /// At most [`Executor::FRAMES_IN_FLIGHT`] frames may be in flight.
    pub fn submit(&mut self, pixels: Vec<f32>, width: u32, height: u32) -> Result<Ticket> {
        self.submit_timed(pixels, width, height)
            .map(|(ticket, _)| ticket)
    }

    /// [`Executor::submit`], also returning how long the copy into the GPU's
    /// staging memory took (as `upload`) and how long the submission itself
    /// (as `dispatch`: a driver may run the work inside it).
    pub fn submit_timed(
        &mut self,
        mut pixels: Vec<f32>,
        width: u32,
        height: u32,
    ) -> Result<(Ticket, GpuTimings)> {
        frame_floats(pixels.len(), width, height)?;
        let Some(slot) = self.slots.iter().position(|s| s.in_flight.is_none()) else {
            return Err(Error::Internal(format!(
                "{} frames are already in flight: collect one first",
                Self::FRAMES_IN_FLIGHT
            )));
        };
        let id = self.next_id;
        self.next_id += 1;
        let bytes = pixels.len() as u64 * 4;
        let mut t = GpuTimings::default();
        let mut timer = None;
        let pending = if bytes == 0 {
            None
        } else if bytes > self.pass_bytes {
            // Too large for one pass: graded now, in several.
            if slot != 0 {
                return Err(Error::Internal(
                    "a frame larger than one GPU pass cannot be pipelined".into(),
                ));
            }
            t = self.apply(&mut pixels, width, height)?;
            None
        } else {
            self.prepare(slot, bytes)?;
            let start = Instant::now();
            self.upload(slot, &pixels);
            t.upload = start.elapsed();
            let start = Instant::now();
            let mut encoder = self.device.create_command_encoder(&Default::default());
            self.encode_dispatch(slot, &mut encoder)?;
            self.encode_copy_out(slot, bytes, &mut encoder);
            let idx = self.queue.submit([encoder.finish()]);
            let state = self.start_map(slot, bytes);
            timer = self.start_timer_map(slot);
            t.dispatch = start.elapsed();
            Some((idx, state))
        };
        self.slots[slot].in_flight = Some(Submitted {
            id,
            pixels,
            pending,
            timer,
            kernel: t.kernel,
        });
        Ok((Ticket { id, slot }, t))
    }

    /// Whether a frame of `floats` floats is graded in one pass, so that
    /// [`Executor::submit`] queues it and returns at once (a larger one is
    /// graded during `submit`, in several passes).
    pub fn pipelines(&self, floats: usize) -> bool {
        (floats as u64) * 4 <= self.pass_bytes
    }

    /// Waits for a submitted frame and returns its graded pixels.
    pub fn collect(&mut self, ticket: Ticket) -> Result<Vec<f32>> {
        self.collect_timed(ticket).map(|(pixels, _)| pixels)
    }

    /// [`Executor::collect`], also returning how long it waited for the GPU
    /// (as `dispatch`: whatever of the frame's upload, kernel and copy out
    /// was not yet done) and how long the copy out of the mapped result
    /// took (as `readback`).
    pub fn collect_timed(&mut self, ticket: Ticket) -> Result<(Vec<f32>, GpuTimings)> {
        let slot = ticket.slot;
        let matches = self
            .slots
            .get(slot)
            .and_then(|s| s.in_flight.as_ref())
            .is_some_and(|f| f.id == ticket.id);
        if !matches {
            return Err(Error::Internal("unknown or already collected frame".into()));
        }
        let Some(mut frame) = self.slots[slot].in_flight.take() else {
            return Err(Error::Internal("unknown or already collected frame".into()));
        };
        let mut t = GpuTimings::default();
        if let Some((idx, state)) = frame.pending.take() {
            let start = Instant::now();
            wait(&self.device, Some(idx))?;
            t.dispatch = start.elapsed();
            let start = Instant::now();
            self.finish_map(slot, &state, &mut frame.pixels)?;
            t.readback = start.elapsed();
        }
        t.kernel = match frame.timer.take() {
            Some(timer) => self.finish_timer_map(slot, Some(timer))?,
            None => frame.kernel,
        };
        self.errors.take()?;
        Ok((frame.pixels, t))
    }
}

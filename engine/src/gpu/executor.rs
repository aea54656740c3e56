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
//! [`Executor::set_program`] swaps the grade (per-shot grades in a conform)
//! without rebuilding the pipeline. Large frames respect the device limits:
//! the pixel buffer is bound in windows no larger than
//! `max_storage_buffer_binding_size`, each dispatched as a 2D grid of
//! workgroups within `max_compute_workgroups_per_dimension`, and a frame
//! larger than `max_buffer_size` is processed in several passes.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::grade::packed::{OpRecord, PackedProgram};

use super::context::{Context, ErrorLog};

// The reformat's resampler: more of this executor, in its own file.
#[path = "resample.rs"]
mod resample;

/// Invocations per workgroup. Keep in sync with `WORKGROUP_SIZE` in
/// shaders/program.wgsl.
pub const WORKGROUP_SIZE: u32 = 64;

/// Bytes per RGBA f32 pixel.
const PIXEL_BYTES: u64 = 16;

/// How long to wait for a finished frame's readback to be mapped.
const MAP_TIMEOUT: Duration = Duration::from_secs(60);

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

/// Where a readback's map callback reports. A channel rather than a flag:
/// when several threads poll one device, the callback may run on another
/// thread that is still inside it when this thread's wait returns.
type MapState = mpsc::Receiver<std::result::Result<(), wgpu::BufferAsyncError>>;

struct InFlight {
    id: u64,
    pixels: Vec<f32>,
    /// None when the frame was already done at submit time.
    pending: Option<(wgpu::SubmissionIndex, MapState)>,
    /// The map of the frame's kernel timestamps, where they are taken.
    timer: Option<MapState>,
    /// Kernel time of a frame graded at submit time.
    kernel: Option<Duration>,
}

/// Two timestamps around a slot's compute pass, resolved on the GPU and
/// copied to a buffer the host maps.
struct Timer {
    queries: wgpu::QuerySet,
    resolve: wgpu::Buffer,
    readback: wgpu::Buffer,
}

/// Bytes of the two resolved timestamps.
const TIMER_BYTES: u64 = 16;

/// One set of GPU buffers for a frame in flight.
#[derive(Default)]
struct Slot {
    pixels: Option<wgpu::Buffer>,
    readback: Option<wgpu::Buffer>,
    capacity: u64,
    /// The readback's size (a reformatted frame may come back larger than
    /// the frame graded in `pixels`).
    readback_capacity: u64,
    /// Bind groups for the windows of a pass of `bound_bytes` bytes.
    windows: Vec<(u64, wgpu::BindGroup)>,
    bound_bytes: u64,
    in_flight: Option<InFlight>,
    timer: Option<Timer>,
}

/// Runs one packed Program; see the module docs.
pub struct Executor {
    device: wgpu::Device,
    queue: wgpu::Queue,
    pipeline: wgpu::ComputePipeline,
    layout: wgpu::BindGroupLayout,
    errors: ErrorLog,
    /// Largest binding window, in bytes (a multiple of the offset alignment).
    window_bytes: u64,
    /// Largest pass, in bytes (a multiple of `window_bytes`).
    pass_bytes: u64,
    max_groups: u32,
    ops: wgpu::Buffer,
    luts: wgpu::Buffer,
    slots: [Slot; 2],
    next_id: u64,
    /// Nanoseconds per timestamp tick; None without timestamp queries.
    tick_ns: Option<f64>,
    /// The reformat's resampler, built with the first reformatted frame.
    resampler: Option<resample::Resampler>,
}

/// Checks every record as the CPU does ([`PackedProgram::unpack`], the one
/// validator of packed records: kinds, styles, table bounds), so the kernel
/// never reads past a table.
fn check_program(p: &PackedProgram) -> Result<()> {
    p.unpack()
        .map(|_| ())
        .map_err(|e| Error::Gpu(format!("packed program, {e}")))
}

/// A record the kernel treats as "no op" (unknown kind), for an empty program.
fn noop_record() -> OpRecord {
    OpRecord {
        kind: u32::MAX,
        flags: 0,
        n: 0,
        data: 0,
        p: [[0.0; 4]; 7],
    }
}

fn frame_floats(len: usize, width: u32, height: u32) -> Result<usize> {
    let want = (width as usize)
        .checked_mul(height as usize)
        .and_then(|p| p.checked_mul(4))
        .ok_or_else(|| Error::Usage(format!("frame {width}x{height} is too large")))?;
    if want != len {
        return Err(Error::Usage(format!(
            "frame {width}x{height} needs {want} floats (RGBA), buffer holds {len}"
        )));
    }
    Ok(want)
}

/// Starts mapping the first `bytes` of `buffer` for reading.
fn map_for_read(buffer: &wgpu::Buffer, bytes: u64) -> MapState {
    let (tx, rx) = mpsc::channel();
    buffer.map_async(wgpu::MapMode::Read, 0..bytes, move |r| {
        let _ = tx.send(r);
    });
    rx
}

fn wait(device: &wgpu::Device, index: Option<wgpu::SubmissionIndex>) -> Result<()> {
    device
        .poll(wgpu::PollType::Wait {
            submission_index: index,
            timeout: None,
        })
        .map(|_| ())
        .map_err(|e| Error::Gpu(format!("waiting for the GPU: {e}")))
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
            pipeline: ctx.pipeline.clone(),
            layout: ctx.layout.clone(),
            errors: ctx.errors.clone(),
            window_bytes,
            pass_bytes,
            max_groups: limits.max_compute_workgroups_per_dimension.max(1),
            ops,
            luts,
            slots: [
                Slot {
                    timer: Self::timer(ctx),
                    ..Default::default()
                },
                Slot {
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

    /// A slot's kernel timer, where the device takes timestamps.
    fn timer(ctx: &Context) -> Option<Timer> {
        if !ctx.timestamps {
            return None;
        }
        let buffer = |label, usage| {
            ctx.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: TIMER_BYTES,
                usage,
                mapped_at_creation: false,
            })
        };
        Some(Timer {
            queries: ctx.device.create_query_set(&wgpu::QuerySetDescriptor {
                label: Some("grade kernel time"),
                ty: wgpu::QueryType::Timestamp,
                count: 2,
            }),
            resolve: buffer(
                "grade kernel time",
                wgpu::BufferUsages::QUERY_RESOLVE | wgpu::BufferUsages::COPY_SRC,
            ),
            readback: buffer(
                "grade kernel time readback",
                wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            ),
        })
    }

    /// Whether [`GpuTimings::kernel`] is measured on this device.
    pub fn times_kernels(&self) -> bool {
        self.tick_ns.is_some()
    }

    /// Makes a small frame take the paths a huge one takes: binding windows
    /// of `window_bytes`, passes of `windows_per_pass` windows, and at most
    /// `max_groups` workgroups per dimension.
    #[cfg(test)]
    pub(crate) fn shrink_limits_for_test(
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
            return Err(Error::Usage(
                "cannot change the grade while frames are in flight".into(),
            ));
        }
        let (ops, luts) = Self::program_buffers(&self.device, program)?;
        self.ops = ops;
        self.luts = luts;
        for slot in &mut self.slots {
            slot.windows.clear();
            slot.bound_bytes = 0;
        }
        Ok(())
    }

    fn program_buffers(
        device: &wgpu::Device,
        program: &PackedProgram,
    ) -> Result<(wgpu::Buffer, wgpu::Buffer)> {
        check_program(program)?;
        let noop = [noop_record()];
        let records: &[OpRecord] = if program.ops.is_empty() {
            &noop
        } else {
            &program.ops
        };
        let zero = [0.0f32];
        let data: &[f32] = if program.data.is_empty() {
            &zero
        } else {
            &program.data
        };
        let ops = Self::init_buffer(device, "grade ops", bytemuck::cast_slice(records))?;
        let luts = Self::init_buffer(device, "grade luts", bytemuck::cast_slice(data))?;
        Ok((ops, luts))
    }

    fn init_buffer(device: &wgpu::Device, label: &str, bytes: &[u8]) -> Result<wgpu::Buffer> {
        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let buf = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size: bytes.len() as u64,
            usage: wgpu::BufferUsages::STORAGE,
            mapped_at_creation: true,
        });
        if let Some(e) = pollster::block_on(scope.pop()) {
            return Err(Error::Gpu(format!("{label}: {e}")));
        }
        {
            let mut view = buf
                .get_mapped_range_mut(..)
                .map_err(|e| Error::Gpu(format!("{label}: {e}")))?;
            view.slice(..).copy_from_slice(bytes);
        }
        buf.unmap();
        Ok(buf)
    }

    /// Makes `slot` hold a pass of `bytes` bytes, with its bind groups.
    fn prepare(&mut self, slot: usize, bytes: u64) -> Result<()> {
        let device = &self.device;
        let s = &mut self.slots[slot];
        if s.capacity < bytes {
            s.pixels = Some(pixel_buffer(device, "grade pixels", bytes)?);
            s.capacity = bytes;
            s.bound_bytes = 0;
        }
        Self::ensure_readback(device, s, bytes)?;
        if s.bound_bytes != bytes || s.windows.is_empty() {
            let Some(pixels) = s.pixels.as_ref() else {
                return Err(Error::Gpu("pixel buffer missing".into()));
            };
            s.windows.clear();
            let mut offset = 0;
            while offset < bytes {
                let size = self.window_bytes.min(bytes - offset);
                let group = device.create_bind_group(&wgpu::BindGroupDescriptor {
                    label: Some("grade frame"),
                    layout: &self.layout,
                    entries: &[
                        wgpu::BindGroupEntry {
                            binding: 0,
                            resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                                buffer: pixels,
                                offset,
                                size: std::num::NonZeroU64::new(size),
                            }),
                        },
                        wgpu::BindGroupEntry {
                            binding: 1,
                            resource: self.ops.as_entire_binding(),
                        },
                        wgpu::BindGroupEntry {
                            binding: 2,
                            resource: self.luts.as_entire_binding(),
                        },
                    ],
                });
                s.windows.push((size, group));
                offset += size;
            }
            s.bound_bytes = bytes;
        }
        Ok(())
    }

    /// Makes `s`'s readback hold at least `bytes` bytes.
    fn ensure_readback(device: &wgpu::Device, s: &mut Slot, bytes: u64) -> Result<()> {
        if s.readback_capacity >= bytes {
            return Ok(());
        }
        let scope = device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        // MAP_READ buffers may only be copy destinations, so the result
        // is copied into a second buffer to be read by the host.
        let readback = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("grade readback"),
            size: bytes,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        if let Some(e) = pollster::block_on(scope.pop()) {
            return Err(Error::Gpu(format!("allocating {bytes} bytes: {e}")));
        }
        s.readback = Some(readback);
        s.readback_capacity = bytes;
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

    fn upload(&self, slot: usize, src: &[f32]) {
        if let Some(px) = &self.slots[slot].pixels {
            self.queue.write_buffer(px, 0, bytemuck::cast_slice(src));
        }
    }

    fn start_map(&self, slot: usize, bytes: u64) -> MapState {
        match &self.slots[slot].readback {
            Some(rb) => map_for_read(rb, bytes),
            // Never mapped: waiting on it reports the frame as not read back.
            None => mpsc::channel().1,
        }
    }

    fn start_timer_map(&self, slot: usize) -> Option<MapState> {
        let t = self.slots[slot].timer.as_ref()?;
        Some(map_for_read(&t.readback, TIMER_BYTES))
    }

    /// The kernel time of `slot`'s last pass, from its mapped timestamps
    /// (the submission that wrote them must be done).
    fn finish_timer_map(&self, slot: usize, state: Option<MapState>) -> Result<Option<Duration>> {
        let (Some(state), Some(t), Some(tick_ns)) =
            (state, self.slots[slot].timer.as_ref(), self.tick_ns)
        else {
            return Ok(None);
        };
        self.await_map(&state, "the kernel time")?;
        let ticks = {
            let view = t
                .readback
                .get_mapped_range(0..TIMER_BYTES)
                .map_err(|e| Error::Gpu(format!("reading the kernel time: {e}")))?;
            let stamps: &[u64] = bytemuck::cast_slice(&view);
            stamps[1].saturating_sub(stamps[0])
        };
        t.readback.unmap();
        Ok(Some(Duration::from_nanos((ticks as f64 * tick_ns) as u64)))
    }

    /// Waits until a buffer mapped with [`map_for_read`] is mapped; `what`
    /// names its contents in the error.
    fn await_map(&self, state: &MapState, what: &str) -> Result<()> {
        let mapped = match state.try_recv() {
            Ok(r) => Ok(r),
            Err(_) => {
                wait(&self.device, None)?;
                state.recv_timeout(MAP_TIMEOUT)
            }
        };
        match mapped {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(Error::Gpu(format!("reading {what} back: {e}"))),
            Err(_) => Err(Error::Gpu(format!("{what} was never read back"))),
        }
    }

    /// Copies the mapped readback of `slot` into `dst` and unmaps it.
    fn finish_map(&self, slot: usize, state: &MapState, dst: &mut [f32]) -> Result<()> {
        self.await_map(state, "the frame")?;
        let Some(rb) = &self.slots[slot].readback else {
            return Err(Error::Gpu("readback buffer missing".into()));
        };
        let bytes = (dst.len() as u64) * 4;
        {
            let view = rb
                .get_mapped_range(0..bytes)
                .map_err(|e| Error::Gpu(format!("reading the frame back: {e}")))?;
            bytemuck::cast_slice_mut::<f32, u8>(dst).copy_from_slice(&view);
        }
        rb.unmap();
        Ok(())
    }

    /// Grades `rgba` (width*height RGBA f32 pixels) in place, synchronously.
    pub fn apply(&mut self, rgba: &mut [f32], width: u32, height: u32) -> Result<GpuTimings> {
        frame_floats(rgba.len(), width, height)?;
        if self.slots[0].in_flight.is_some() {
            return Err(Error::Usage(
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
            return Err(Error::Usage(format!(
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
                return Err(Error::Usage(
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
        self.slots[slot].in_flight = Some(InFlight {
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
            return Err(Error::Usage("unknown or already collected frame".into()));
        }
        let Some(mut frame) = self.slots[slot].in_flight.take() else {
            return Err(Error::Usage("unknown or already collected frame".into()));
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

/// A storage buffer of `bytes` bytes for RGBA f32 pixels, copied in and
/// out; running out of device memory is an error, not a panic.
pub(super) fn pixel_buffer(device: &wgpu::Device, label: &str, bytes: u64) -> Result<wgpu::Buffer> {
    let scope = device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
    let buf = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size: bytes,
        usage: wgpu::BufferUsages::STORAGE
            | wgpu::BufferUsages::COPY_DST
            | wgpu::BufferUsages::COPY_SRC,
        mapped_at_creation: false,
    });
    if let Some(e) = pollster::block_on(scope.pop()) {
        return Err(Error::Gpu(format!("allocating {bytes} bytes: {e}")));
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::{samples, Op, Program};

    /// Where the device takes timestamps, every frame's kernel time comes
    /// back, from both forms; it is the compute pass alone, so no longer
    /// than the whole of the frame's wall time on the host.
    #[test]
    fn kernel_time_is_taken_where_the_device_has_timestamps() {
        let ctx = match Context::new() {
            Ok(c) => c,
            Err(e) if !crate::testutil::in_ci() => return eprintln!("skipped: {e}"),
            Err(e) => panic!("{e}; under CI=true a missing GPU adapter is a failure, not a skip"),
        };
        let cdl = samples::cdl(
            crate::ops::cdl::CdlStyle::Asc,
            crate::ops::Direction::Forward,
        );
        let program = Program {
            ops: vec![Op::Cdl(cdl)],
        }
        .pack();
        let mut ex = Executor::new(&ctx, &program).unwrap();
        println!(
            "{}: kernel timestamps {}",
            ctx.adapter_info().name,
            if ex.times_kernels() { "on" } else { "off" }
        );
        let (w, h) = (256, 64);
        let frame = vec![0.25f32; (w * h * 4) as usize];

        let mut pixels = frame.clone();
        let start = Instant::now();
        let t = ex.apply(&mut pixels, w, h).unwrap();
        let wall = start.elapsed();
        assert_eq!(t.kernel.is_some(), ex.times_kernels());

        let start = Instant::now();
        let a = ex.submit_timed(frame.clone(), w, h).unwrap();
        let b = ex.submit_timed(frame.clone(), w, h).unwrap();
        let (pa, ta) = ex.collect_timed(a.0).unwrap();
        let (pb, tb) = ex.collect_timed(b.0).unwrap();
        let wall2 = start.elapsed();
        assert!(pa == pixels && pb == pixels);
        for (k, w) in [(t.kernel, wall), (ta.kernel, wall2), (tb.kernel, wall2)] {
            assert_eq!(k.is_some(), ex.times_kernels());
            if let Some(k) = k {
                assert!(k <= w, "kernel {k:?} longer than the frame's {w:?}");
            }
        }
    }
}

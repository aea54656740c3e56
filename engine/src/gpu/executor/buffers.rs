//! The executor's GPU buffers: the op records and LUT tables of the
//! program, and per frame in flight a [`FrameBuffers`] (pixels, readback,
//! the bind groups of its binding windows, the kernel timer), created once
//! and grown when a larger frame arrives; running out of device memory is an
//! error, not a panic.

use super::{Context, Executor, Submitted};
use crate::error::{Error, Result};
use crate::grade::packed::{OpRecord, PackedProgram};

/// Two timestamps around a slot's compute pass, resolved on the GPU and
/// copied to a buffer the host maps.
pub(super) struct Timer {
    pub(super) queries: wgpu::QuerySet,
    pub(super) resolve: wgpu::Buffer,
    pub(super) readback: wgpu::Buffer,
}

/// Bytes of the two resolved timestamps.
pub(super) const TIMER_BYTES: u64 = 16;

/// The GPU buffers of one frame in flight (the executor has one set per
/// frame it can hold).
#[derive(Default)]
pub(super) struct FrameBuffers {
    pub(super) pixels: Option<wgpu::Buffer>,
    pub(super) readback: Option<wgpu::Buffer>,
    pub(super) capacity: u64,
    /// The readback's size (a reformatted frame may come back larger than
    /// the frame graded in `pixels`).
    pub(super) readback_capacity: u64,
    /// Bind groups for the windows of a pass of `bound_bytes` bytes.
    pub(super) windows: Vec<(u64, wgpu::BindGroup)>,
    pub(super) bound_bytes: u64,
    pub(super) in_flight: Option<Submitted>,
    pub(super) timer: Option<Timer>,
}

/// Checks every record as the CPU does ([`PackedProgram::unpack`], the one
/// validator of packed records: kinds, styles, table bounds), so the kernel
/// never reads past a table.
pub(super) fn check_program(p: &PackedProgram) -> Result<()> {
    p.unpack()
        .map(|_| ())
        .map_err(|e| Error::Internal(format!("packed program, {e}")))
}

/// A record the kernel treats as "no op" (unknown kind), for an empty program.
pub(super) fn noop_record() -> OpRecord {
    OpRecord {
        kind: u32::MAX,
        flags: 0,
        n: 0,
        data: 0,
        p: [[0.0; 4]; 7],
    }
}

pub(super) fn frame_floats(len: usize, width: u32, height: u32) -> Result<usize> {
    let want = (width as usize)
        .checked_mul(height as usize)
        .and_then(|p| p.checked_mul(4))
        .ok_or_else(|| Error::Internal(format!("frame {width}x{height} is too large")))?;
    if want != len {
        return Err(Error::Internal(format!(
            "frame {width}x{height} needs {want} floats (RGBA), buffer holds {len}"
        )));
    }
    Ok(want)
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

impl Executor {
    /// A slot's kernel timer, where the device takes timestamps.
    pub(super) fn timer(ctx: &Context) -> Option<Timer> {
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

    pub(super) fn program_buffers(
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

    pub(super) fn init_buffer(
        device: &wgpu::Device,
        label: &str,
        bytes: &[u8],
    ) -> Result<wgpu::Buffer> {
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
    pub(super) fn prepare(&mut self, slot: usize, bytes: u64) -> Result<()> {
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
    pub(super) fn ensure_readback(
        device: &wgpu::Device,
        s: &mut FrameBuffers,
        bytes: u64,
    ) -> Result<()> {
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

    pub(super) fn upload(&self, slot: usize, src: &[f32]) {
        if let Some(px) = &self.slots[slot].pixels {
            self.queue.write_buffer(px, 0, bytemuck::cast_slice(src));
        }
    }
}

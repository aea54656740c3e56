//! Reading results back from the GPU: mapping a readback buffer, waiting for
//! it (with a timeout, as a value rather than a hang), copying a frame or
//! the kernel's timestamps out.

use std::sync::mpsc;
use std::time::Duration;

use super::{Executor, TIMER_BYTES};
use crate::error::{Error, Result};

/// How long to wait for a finished frame's readback to be mapped.
pub(super) const MAP_TIMEOUT: Duration = Duration::from_secs(60);

/// Where a readback's map callback reports. A channel rather than a flag:
/// when several threads poll one device, the callback may run on another
/// thread that is still inside it when this thread's wait returns.
pub(super) type MapState = mpsc::Receiver<std::result::Result<(), wgpu::BufferAsyncError>>;

/// Starts mapping the first `bytes` of `buffer` for reading.
pub(super) fn map_for_read(buffer: &wgpu::Buffer, bytes: u64) -> MapState {
    let (tx, rx) = mpsc::channel();
    buffer.map_async(wgpu::MapMode::Read, 0..bytes, move |r| {
        let _ = tx.send(r);
    });
    rx
}

pub(super) fn wait(device: &wgpu::Device, index: Option<wgpu::SubmissionIndex>) -> Result<()> {
    device
        .poll(wgpu::PollType::Wait {
            submission_index: index,
            timeout: None,
        })
        .map(|_| ())
        .map_err(|e| Error::Gpu(format!("waiting for the GPU: {e}")))
}

impl Executor {
    pub(super) fn start_map(&self, slot: usize, bytes: u64) -> MapState {
        match &self.slots[slot].readback {
            Some(rb) => map_for_read(rb, bytes),
            // Never mapped: waiting on it reports the frame as not read back.
            None => mpsc::channel().1,
        }
    }

    pub(super) fn start_timer_map(&self, slot: usize) -> Option<MapState> {
        let t = self.slots[slot].timer.as_ref()?;
        Some(map_for_read(&t.readback, TIMER_BYTES))
    }

    /// The kernel time of `slot`'s last pass, from its mapped timestamps
    /// (the submission that wrote them must be done).
    pub(super) fn finish_timer_map(
        &self,
        slot: usize,
        state: Option<MapState>,
    ) -> Result<Option<Duration>> {
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
    pub(super) fn await_map(&self, state: &MapState, what: &str) -> Result<()> {
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
    pub(super) fn finish_map(&self, slot: usize, state: &MapState, dst: &mut [f32]) -> Result<()> {
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
}

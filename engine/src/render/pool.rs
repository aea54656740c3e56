//! The fixed set of frame buffers a render runs on: the bound on frames in
//! flight.
//!
//! A reader takes a [`Slot`] before it claims a frame and the slot travels
//! with that frame through grading and writing; dropping it (after the
//! write, or on any failure) puts it back. So no more than the pool's size
//! of frames are ever in memory, whatever the job's length, and since the
//! slots keep their buffers, frame memory is allocated and faulted in once
//! per slot rather than once per frame.
//!
//! Slots are handed out oldest-returned first, so the first `size` frames
//! of a job use every slot once and a short render already reaches the
//! memory of a long one.
//!
//! [`Pool::take`] waits while every slot is out; [`Pool::close`] (called
//! when the stage that returns slots stops) wakes every waiter with `None`,
//! so no reader can wait forever on a slot that nothing will return.

use std::collections::VecDeque;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use crate::reformat::{Order, Plan};
use crate::Frame;

/// What one frame in flight owns: its pixels (with every layer of a mix
/// stacked) and a byte buffer for the encoded file, read or written.
#[derive(Debug)]
pub struct Buffers {
    pub frame: Frame,
    pub bytes: Vec<u8>,
    /// Where each layer lies in `frame.pixels` as read, and its reformat.
    pub layers: Vec<LayerRead>,
}

/// One layer of a frame as read: its pixels at `frame.pixels[at..]`,
/// `width x height` of them, and the reformat that takes it to the output
/// size (`None` when it has that size already and nothing is asked).
#[derive(Debug, Clone)]
pub struct LayerRead {
    pub at: usize,
    pub width: u32,
    pub height: u32,
    pub reformat: Option<(Arc<Plan>, Order)>,
}

impl LayerRead {
    /// The layer's pixels' range in `frame.pixels`.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.at..self.at + self.width as usize * self.height as usize * 4
    }
}

#[derive(Debug)]
struct State {
    // Boxed: a slot is passed along channels and should be small to move.
    free: VecDeque<Box<Buffers>>,
    closed: bool,
}

#[derive(Debug)]
pub struct Pool {
    state: Mutex<State>,
    returned: Condvar,
}

impl Pool {
    /// A pool of `size` slots (at least one), their buffers still empty.
    pub fn new(size: usize) -> Pool {
        let free = (0..size.max(1))
            .map(|_| {
                Box::new(Buffers {
                    frame: Frame {
                        width: 0,
                        height: 0,
                        pixels: Vec::new(),
                        meta: Default::default(),
                        source: None,
                    },
                    bytes: Vec::new(),
                    layers: Vec::new(),
                })
            })
            .collect();
        Pool {
            state: Mutex::new(State {
                free,
                closed: false,
            }),
            returned: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves the queue intact.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The oldest free slot, waiting until one is returned; `None` once the
    /// pool is closed.
    pub fn take(&self) -> Option<Slot<'_>> {
        let mut st = self.lock();
        loop {
            if st.closed {
                return None;
            }
            if let Some(bufs) = st.free.pop_front() {
                return Some(Slot {
                    bufs: Some(bufs),
                    pool: self,
                });
            }
            st = self.returned.wait(st).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Refuses further takes and wakes everyone waiting in [`Pool::take`].
    pub fn close(&self) {
        self.lock().closed = true;
        self.returned.notify_all();
    }

    fn put(&self, bufs: Box<Buffers>) {
        self.lock().free.push_back(bufs);
        self.returned.notify_one();
    }

    #[cfg(test)]
    fn free(&self) -> usize {
        self.lock().free.len()
    }
}

/// A slot taken from a [`Pool`]; returned to it when dropped.
#[derive(Debug)]
pub struct Slot<'a> {
    bufs: Option<Box<Buffers>>,
    pool: &'a Pool,
}

impl Deref for Slot<'_> {
    type Target = Buffers;
    fn deref(&self) -> &Buffers {
        self.bufs
            .as_deref()
            .expect("a slot holds its buffers until dropped")
    }
}

impl DerefMut for Slot<'_> {
    fn deref_mut(&mut self) -> &mut Buffers {
        self.bufs
            .as_deref_mut()
            .expect("a slot holds its buffers until dropped")
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        if let Some(bufs) = self.bufs.take() {
            self.pool.put(bufs);
        }
    }
}

/// Closes a pool when dropped: held by the stage whose end means no slot
/// will come back, so that its end (even by a panic) frees every waiter.
pub struct CloseOnDrop<'a>(pub &'a Pool);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_come_back_when_dropped_oldest_first() {
        let pool = Pool::new(2);
        let mut a = pool.take().unwrap();
        a.bytes.push(1);
        let b = pool.take().unwrap();
        assert_eq!(pool.free(), 0);
        drop(a);
        drop(b);
        assert_eq!(pool.free(), 2);
        // `a` went back first, so it is handed out first.
        assert_eq!(pool.take().unwrap().bytes, [1]);
    }

    #[test]
    fn a_waiting_take_gets_a_returned_slot() {
        let pool = Pool::new(1);
        let held = pool.take().unwrap();
        std::thread::scope(|s| {
            let waiter = s.spawn(|| pool.take().is_some());
            drop(held);
            assert!(waiter.join().unwrap());
        });
    }

    #[test]
    fn close_wakes_a_waiting_take() {
        let pool = Pool::new(1);
        let _held = pool.take().unwrap();
        std::thread::scope(|s| {
            let waiter = s.spawn(|| pool.take().is_none());
            {
                let _closer = CloseOnDrop(&pool);
            }
            assert!(waiter.join().unwrap());
        });
    }
}

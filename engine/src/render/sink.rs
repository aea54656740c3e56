//! Sinks: where a render's graded frames go.
//!
//! A frame's recipe is a small tree: source layers (each read, reformatted
//! and graded by its program), mixed, then handed to every sink of the job
//! on a writer thread. The master file writer ([`FileSink`]) is the first
//! sink; further sinks ([`super::JobOptions::sinks`]: review movies, QC
//! statistics, checksum manifests) take the same graded frame after the
//! master has been written, so nothing they do can change the master's
//! bytes, and none of them reads a frame back from disk. A sink that needs
//! the master's bytes themselves (a checksum manifest) offers a
//! [`MasterTap`], which the file sink writes through.

use std::fmt::Debug;

use crate::io::{self, WriteOptions};
use crate::render::{FrameRecipe, RenderSummary};
use crate::{Frame, Result};

/// A destination of graded frames.
pub trait Sink: Send + Sync + Debug {
    /// Takes graded frame `index` of the job, made by `recipe`. Called on
    /// the writer threads, so frames arrive in any order and several at
    /// once; `scratch` is a buffer the calling thread keeps between frames.
    /// An error fails this frame (the job goes on with the others); the
    /// other sinks still get it.
    fn write(
        &self,
        index: usize,
        recipe: &FrameRecipe,
        frame: &Frame,
        scratch: &mut Vec<u8>,
    ) -> Result<()>;

    /// Frame `index` ended without reaching every sink: it failed (to
    /// read, grade or write the master, or a sink refused it) or was
    /// skipped. A sink that has not had it will not get it; one that has
    /// (another sink refused it) keeps it. Called on the thread that runs
    /// the job, as frames end; a sink that needs every frame (a movie)
    /// learns here that it will not have them.
    fn missing(&self, index: usize) {
        let _ = index;
    }

    /// Called once after every frame of the job has been written, skipped
    /// or failed (or the job was cancelled), in the order of
    /// [`super::JobOptions::sinks`]: a movie closes its file, a report or a
    /// manifest is written. `summary` says how the frames went. An error
    /// here is recorded in [`super::RenderSummary::sink_errors`] and fails
    /// the job; the later sinks still finish.
    fn finish(&self, summary: &RenderSummary) -> Result<()> {
        let _ = summary;
        Ok(())
    }

    /// A sink that must see the master's bytes as they are written (a
    /// checksum manifest) returns its tap; the job's [`FileSink`] writes
    /// through the first one it finds.
    fn master_tap(&self) -> Option<&dyn MasterTap> {
        None
    }
}

/// Sees each master file's bytes as [`FileSink`] writes them, so that
/// nothing has to read the master back.
pub trait MasterTap: Send + Sync {
    /// Writes frame `index` to `recipe.output` as [`io::write_frame_with`]
    /// does (normally through [`io::write_frame_teed`]).
    fn write_master(
        &self,
        index: usize,
        recipe: &FrameRecipe,
        frame: &Frame,
        write: &WriteOptions,
        scratch: &mut Vec<u8>,
    ) -> Result<()>;
}

/// The master: each frame to its recipe's output file, written under a
/// temporary name and renamed when complete ([`io::write_frame_with`]).
#[derive(Debug, Clone, Copy)]
pub struct FileSink<'a> {
    pub write: &'a WriteOptions,
    /// Writes through this when a sink asked to see the bytes.
    pub tap: Option<&'a dyn MasterTap>,
}

impl std::fmt::Debug for dyn MasterTap + '_ {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterTap")
    }
}

impl Sink for FileSink<'_> {
    fn write(
        &self,
        index: usize,
        recipe: &FrameRecipe,
        frame: &Frame,
        scratch: &mut Vec<u8>,
    ) -> Result<()> {
        match self.tap {
            Some(tap) => tap.write_master(index, recipe, frame, self.write, scratch),
            None => io::write_frame_with(&recipe.output, frame, self.write, scratch),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::atomic::AtomicBool;
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::grade::Program;
    use crate::io::BitDepth;
    use crate::render::{run, Backend, BackendChoice, JobOptions, Layer};
    use crate::testcard::test_card;
    use crate::Error;

    /// Records the pixels of every frame it is given; fails frame `fail`,
    /// and its finish when `fail_finish`.
    #[derive(Debug, Default)]
    struct Recorder {
        seen: Mutex<BTreeMap<usize, Vec<u32>>>,
        fail: Option<usize>,
        fail_finish: bool,
        finished: Mutex<Vec<usize>>,
    }

    impl Sink for Recorder {
        fn write(&self, index: usize, r: &FrameRecipe, f: &Frame, _: &mut Vec<u8>) -> Result<()> {
            // The master is on disk before any further sink sees the frame.
            assert!(r.output.exists(), "{} not written yet", r.output.display());
            if Some(index) == self.fail {
                return Err(Error::Usage(format!("sink refuses frame {index}")));
            }
            let bits = f.pixels.iter().map(|v| v.to_bits()).collect();
            self.seen.lock().unwrap().insert(index, bits);
            Ok(())
        }

        fn finish(&self, summary: &RenderSummary) -> Result<()> {
            // Every frame has been handed over before any sink finishes.
            self.finished
                .lock()
                .unwrap()
                .push(self.seen.lock().unwrap().len());
            if self.fail_finish {
                return Err(Error::Usage(format!(
                    "sink cannot close after {} frames",
                    summary.written
                )));
            }
            Ok(())
        }
    }

    #[test]
    fn every_sink_gets_the_frames_the_master_holds() {
        let dir = tempfile::tempdir().unwrap();
        let float = WriteOptions {
            depth: Some(BitDepth::Float),
            ..Default::default()
        };
        let recipes: Vec<FrameRecipe> = (0..8)
            .map(|n| {
                let src = dir.path().join(format!("s.{n}.exr"));
                io::write_frame(&src, &test_card(48, 20, n, [1.0, 0.9, 0.8]), &float).unwrap();
                FrameRecipe {
                    number: n,
                    output: dir.path().join(format!("o.{n}.exr")),
                    layers: vec![(
                        Layer::Source {
                            path: src,
                            program: 0,
                            reformat: None,
                        },
                        1.0,
                    )],
                    black_size: (48, 20),
                    over: Vec::new(),
                    meta: Default::default(),
                }
            })
            .collect();
        let a = Arc::new(Recorder::default());
        let b = Arc::new(Recorder {
            fail: Some(5),
            fail_finish: true,
            ..Default::default()
        });
        let opts = JobOptions {
            write: float,
            // The sink that refuses a frame first: the other still gets it.
            sinks: vec![b.clone(), a.clone()],
            ..Default::default()
        };
        let mut backend = Backend::new(BackendChoice::Cpu, &[Program::default()]).unwrap();
        let summary = run(
            &recipes,
            &mut backend,
            &opts,
            &AtomicBool::new(false),
            |_| {},
        );
        assert_eq!((summary.written, summary.failed), (7, 1), "{summary:?}");
        assert_eq!(
            *a.finished.lock().unwrap(),
            [8],
            "finished once, after every frame"
        );
        assert_eq!(*b.finished.lock().unwrap(), [7]);
        assert_eq!(summary.sink_errors, ["sink cannot close after 7 frames"]);
        let (a, b) = (a.seen.lock().unwrap(), b.seen.lock().unwrap());
        assert_eq!(a.len(), 8);
        assert_eq!(b.len(), 7);
        for (i, r) in recipes.iter().enumerate() {
            let master: Vec<u32> = io::read_frame(&r.output)
                .unwrap()
                .pixels
                .iter()
                .map(|v| v.to_bits())
                .collect();
            assert_eq!(a[&i], master, "frame {i}");
        }
    }
}

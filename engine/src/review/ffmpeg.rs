//! The ffmpeg process that encodes one review movie: found before the
//! render starts, spawned at the first frame, fed raw planes on its
//! standard input, and finished (or killed) at the end.
//!
//! ffmpeg reads a frame, then encodes it before it reads the next: a writer
//! thread that wrote to its pipe itself would wait out every encode, and
//! the render would stall behind the encoder. A feeder thread owns the pipe
//! instead and takes frames from a short queue ([`QUEUE`]), so the render
//! and the encode run side by side and memory stays bounded.
//!
//! ffmpeg writes to a temporary name in the movie's folder; only an exit
//! status of 0 renames it to the movie's name, so a movie that failed is
//! never left looking whole. Its standard error (`-loglevel error`) is kept,
//! last lines only, so a failure can name ffmpeg's own last error line.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::{Error, Result};

/// The environment variable that names the ffmpeg to run instead of the
/// one on `PATH`.
pub const FFMPEG_VAR: &str = "GRADE_FFMPEG";

/// Lines of ffmpeg's standard error kept for error messages.
const KEEP_LINES: usize = 20;

/// Frames queued for ffmpeg beyond the one it is reading.
pub const QUEUE: usize = 2;

/// The ffmpeg to run: `$GRADE_FFMPEG`, else `ffmpeg` on `PATH`. Missing is
/// an environment error (exit 3) that names ffmpeg.
pub fn locate() -> Result<PathBuf> {
    let missing = |path: &Path, why: &str| {
        Error::write(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, why.to_string()),
        )
    };
    if let Some(p) = std::env::var_os(FFMPEG_VAR).filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        return if is_executable(&p) {
            Ok(p)
        } else {
            Err(missing(
                &p,
                &format!("ffmpeg named by {FFMPEG_VAR} is not an executable file"),
            ))
        };
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join("ffmpeg"))
        .find(|p| is_executable(p))
        .ok_or_else(|| {
            missing(
                Path::new("ffmpeg"),
                "not found on PATH: review movies are encoded by ffmpeg \
                 (install it, or name it with GRADE_FFMPEG)",
            )
        })
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// A running ffmpeg writing `temporary`.
#[derive(Debug)]
pub struct Encoder {
    child: Child,
    /// Frames for the feeder thread; dropping it closes ffmpeg's input.
    frames: Option<crossbeam_channel::Sender<Vec<u8>>>,
    feeder: Option<JoinHandle<()>>,
    stderr: Arc<Mutex<VecDeque<String>>>,
    reader: Option<JoinHandle<()>>,
    pub temporary: PathBuf,
}

impl Encoder {
    /// Starts `ffmpeg args...`, reading frames on its standard input.
    pub fn spawn(ffmpeg: &Path, args: &[String], temporary: PathBuf) -> Result<Encoder> {
        let mut child = Command::new(ffmpeg)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Error::write(ffmpeg, e))?;
        let (frames, queued) = crossbeam_channel::bounded::<Vec<u8>>(QUEUE);
        let feeder = child.stdin.take().map(|mut stdin| {
            // Stops at the first failed write: the queue's receiver is then
            // gone, so the next `feed` fails and the caller asks ffmpeg why.
            std::thread::spawn(move || {
                for frame in queued {
                    if stdin.write_all(&frame).is_err() {
                        break;
                    }
                }
            })
        });
        let stderr = Arc::new(Mutex::new(VecDeque::new()));
        let reader = child.stderr.take().map(|err| {
            let kept = stderr.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(err).lines() {
                    let Ok(line) = line else { break };
                    let mut kept = kept.lock().unwrap_or_else(|e| e.into_inner());
                    if kept.len() == KEEP_LINES {
                        kept.pop_front();
                    }
                    kept.push_back(line);
                }
            })
        });
        Ok(Encoder {
            child,
            frames: feeder.is_some().then_some(frames),
            feeder,
            stderr,
            reader,
            temporary,
        })
    }

    /// Queues one frame's planes for ffmpeg, waiting only while the queue
    /// is full. A failure means ffmpeg has stopped reading (it exited, or
    /// closed its input): the caller then finishes the encoder to learn
    /// why.
    pub fn feed(&mut self, bytes: Vec<u8>) -> std::io::Result<()> {
        match &self.frames {
            Some(q) => q
                .send(bytes)
                .map_err(|_| std::io::ErrorKind::BrokenPipe.into()),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        }
    }

    /// Lets the feeder write what is queued, then closes ffmpeg's input.
    fn close_input(&mut self) {
        drop(self.frames.take());
        if let Some(f) = self.feeder.take() {
            let _ = f.join();
        }
    }

    /// Closes ffmpeg's input and waits for it. `Ok` when it exited with 0;
    /// otherwise ffmpeg's exit status and last error line. The temporary
    /// file is left for the caller to rename or remove.
    pub fn finish(mut self) -> std::result::Result<(), String> {
        self.close_input();
        let status = self.child.wait();
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        let last = self.last_error();
        match status {
            Ok(s) if s.success() => Ok(()),
            Ok(s) => Err(match last {
                Some(line) => format!("ffmpeg failed ({s}): {line}"),
                None => format!("ffmpeg failed ({s}) and printed nothing"),
            }),
            Err(e) => Err(format!("ffmpeg could not be waited for: {e}")),
        }
    }

    /// Stops ffmpeg and removes what it wrote.
    pub fn abort(mut self) {
        // Killed first, so a feeder blocked on a full pipe is let go.
        let _ = self.child.kill();
        self.close_input();
        let _ = self.child.wait();
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        let _ = std::fs::remove_file(&self.temporary);
    }

    /// ffmpeg's last non-empty line on standard error.
    fn last_error(&self) -> Option<String> {
        let kept = self.stderr.lock().unwrap_or_else(|e| e.into_inner());
        kept.iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.trim().to_string())
    }
}

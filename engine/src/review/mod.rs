//! Review movies: a ProRes or H.264 QuickTime made from the render's own
//! frames, with timecode and burn-ins, encoded by an ffmpeg subprocess.
//!
//! A [`ReviewSink`] is a render [`Sink`]: each graded frame, after the
//! master is on disk, is copied and taken through the review's own steps on
//! the writer thread (the review format through the CPU resampler, the
//! review LUT or transform through the fast CPU executor, the burn-ins),
//! then laid out as BT.709 limited-range Y'CbCr planes (`ycbcr.rs`). The
//! writers finish frames out of order, so converted frames wait in a small
//! reorder buffer (review frames, not master frames: the master's slot has
//! gone back to the pool) until their turn, and are fed to ffmpeg in job
//! order. A frame that will never come (it failed, or another sink refused
//! it) means the movie would skip it: the movie is abandoned, and the job
//! fails when the sink finishes.
//!
//! ffmpeg (`ffmpeg.rs`) is found before the render starts (exit 3 naming
//! it when missing), started at the first frame (its size and timecode are
//! the movie's) and writes to a temporary name renamed when it exits with
//! 0; the movie is tagged BT.709 primaries, transfer and matrix, limited
//! range, in the container and in the ProRes frame headers, with a
//! QuickTime timecode track from the first frame's record timecode.

pub mod burnin;
pub mod ffmpeg;
pub mod ycbcr;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard};

use crate::cpu::fast::Executor;
use crate::grade::Program;
use crate::io::sequence::Pattern;
use crate::io::temporary;
use crate::reformat::{PlanCache, Reformat, SourceGeometry};
use crate::render::{keys, FrameRecipe, Layer, RenderSummary, Sink};
use crate::timeline::Rate;
use crate::{Error, Frame, Result, SmpteTimecode};

use self::burnin::{Burnin, Position, Token};
use self::ffmpeg::Encoder;
use self::ycbcr::Layout;

/// The codecs of `--review-codec`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    ProresProxy,
    ProresLt,
    Prores,
    ProresHq,
    Prores4444,
    H264,
}

impl Codec {
    const NAMES: [(&'static str, Codec); 6] = [
        ("prores-proxy", Codec::ProresProxy),
        ("prores-lt", Codec::ProresLt),
        ("prores", Codec::Prores),
        ("prores-hq", Codec::ProresHq),
        ("prores-4444", Codec::Prores4444),
        ("h264", Codec::H264),
    ];

    /// Parses a `--review-codec` value.
    pub fn parse(s: &str) -> Result<Codec> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, c)| *c)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::NAMES.iter().map(|(n, _)| *n).collect();
                Error::Usage(format!(
                    "--review-codec {s}: not a codec (one of {})",
                    names.join(", ")
                ))
            })
    }

    pub fn names() -> impl Iterator<Item = &'static str> {
        Self::NAMES.iter().map(|(n, _)| *n)
    }

    /// The planes ffmpeg is fed.
    pub fn layout(self) -> Layout {
        match self {
            Codec::Prores4444 => Layout::Yuva444p10,
            Codec::H264 => Layout::Yuv420p8,
            _ => Layout::Yuv422p10,
        }
    }

    /// ffmpeg's encoder options.
    ///
    /// ProRes is encoded at a fixed quantiser per profile (`-q:v`), chosen
    /// so that the movie is about the size `prores_ks`'s own rate control
    /// gives (measured on ffmpeg's `testsrc2` at 2K): 8 for proxy, 4 for
    /// LT, 3 for standard, 2 for HQ and 4444. The rate control searches
    /// several quantisers for every slice and costs about 8x the CPU time
    /// of the encode itself (8.3 s against 1.1 s for 48 2K frames on one
    /// core), which made the review movie most of a one-pass delivery.
    fn encoder_args(self) -> Vec<String> {
        let prores = |profile: &str, quantiser: &str| {
            [
                "-c:v",
                "prores_ks",
                "-profile:v",
                profile,
                "-q:v",
                quantiser,
            ]
            .into_iter()
            .chain(["-vendor", "apl0"])
            .map(String::from)
            .collect()
        };
        match self {
            Codec::ProresProxy => prores("0", "8"),
            Codec::ProresLt => prores("1", "4"),
            Codec::Prores => prores("2", "3"),
            Codec::ProresHq => prores("3", "2"),
            Codec::Prores4444 => prores("4", "2"),
            Codec::H264 => ["-c:v", "libx264", "-preset", "medium", "-crf", "16"]
                .map(String::from)
                .to_vec(),
        }
    }
}

/// One review movie of a job.
#[derive(Debug, Clone)]
pub struct ReviewMovie {
    pub path: PathBuf,
    pub codec: Codec,
    /// Into the review format (`--review-format`), after the master.
    pub reformat: Option<Reformat>,
    /// The review's own steps (`--review-lut`, `--review-transform`), after
    /// the reformat; they never touch the master.
    pub program: Option<Program>,
    pub burnins: Vec<Burnin>,
    pub watermark: Option<String>,
    /// The movie's frame rate (and whether its timecode drops frames).
    pub rate: Rate,
    /// The job's version, for `{version}`.
    pub version: Option<u32>,
}

/// Converted frames a writer may hold ahead of the frame the movie waits
/// for before it waits too. Frames reach the writers in job order, so the
/// gap is at most the number of writers; this is a bound, not a target.
const REORDER: usize = 8;

/// A review movie as a render sink.
#[derive(Debug)]
pub struct ReviewSink {
    movie: ReviewMovie,
    ffmpeg: PathBuf,
    executor: Option<Executor>,
    plans: PlanCache,
    /// `{date}`: one date for the whole render.
    date: String,
    state: Mutex<State>,
    turn: Condvar,
}

/// A frame ready for ffmpeg.
#[derive(Debug)]
struct Converted {
    planes: Vec<u8>,
    width: u32,
    height: u32,
    timecode: SmpteTimecode,
}

#[derive(Debug, Default)]
struct State {
    /// The job index of the next frame ffmpeg takes.
    next: usize,
    held: BTreeMap<usize, Converted>,
    encoder: Option<Encoder>,
    size: Option<(u32, u32)>,
    /// Why the movie will not be written; set once.
    failed: Option<String>,
}

impl ReviewSink {
    /// Finds ffmpeg (an environment error naming it when there is none)
    /// and prepares the review steps. Nothing is started until the first
    /// frame.
    pub fn new(movie: ReviewMovie) -> Result<ReviewSink> {
        Self::with_ffmpeg(movie, ffmpeg::locate()?)
    }

    /// As [`ReviewSink::new`], with the ffmpeg to run. The movie's folder
    /// must exist (an environment error naming it, before any frame).
    pub fn with_ffmpeg(movie: ReviewMovie, ffmpeg: PathBuf) -> Result<ReviewSink> {
        let folder = match movie.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !folder.is_dir() {
            return Err(Error::write(
                &folder,
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "the review movie's folder does not exist",
                ),
            ));
        }
        // A movie of a render that was killed (SIGKILL, a node lost) is
        // left as its temporary: remove those whose writer is gone.
        if let Ok(p) = Pattern::parse(&movie.path.to_string_lossy()) {
            temporary::remove_orphans(&p);
        }
        let executor = match &movie.program {
            Some(p) if !p.ops.is_empty() => Some(Executor::new(&p.pack())?),
            _ => None,
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let date = crate::mhl::iso_date(now)[..10].to_string();
        Ok(ReviewSink {
            movie,
            ffmpeg,
            executor,
            plans: PlanCache::default(),
            date,
            state: Mutex::new(State::default()),
            turn: Condvar::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// An error of this movie: its path, then why.
    fn error(&self, why: &str) -> Error {
        Error::write(&self.movie.path, std::io::Error::other(why.to_string()))
    }

    /// The frame through the review steps, burnt in and laid out.
    fn convert(&self, recipe: &FrameRecipe, frame: &Frame) -> Result<Converted> {
        let (mut w, mut h) = (frame.width, frame.height);
        let Some(rgba) = frame.pixels.get(..frame.pixel_count() * 4) else {
            return Err(self.error(&format!("frame {} holds too few pixels", recipe.number)));
        };
        let timecode = frame
            .meta
            .timecode
            .unwrap_or_else(|| self.movie.rate.to_timecode(recipe.number));
        let lines: Vec<(Position, String)> = self
            .movie
            .burnins
            .iter()
            .map(|b| {
                (
                    b.position,
                    b.text(|t| self.token(t, recipe, frame, timecode)),
                )
            })
            .collect();
        let untouched = self.movie.reformat.is_none()
            && self.executor.is_none()
            && lines.is_empty()
            && self.movie.watermark.is_none();
        // A review of the master as it is encodes straight from its frame.
        let pixels: std::borrow::Cow<'_, [f32]> = if untouched {
            rgba.into()
        } else {
            let mut pixels = match &self.movie.reformat {
                Some(r) => {
                    let source = SourceGeometry {
                        width: w,
                        height: h,
                        par: frame.meta.pixel_aspect.unwrap_or(1.0),
                    };
                    let plan = self.plans.get(r, source)?;
                    let mut out = Vec::new();
                    plan.apply(rgba, &mut out);
                    (w, h) = plan.output_size();
                    out
                }
                None => rgba.to_vec(),
            };
            if let Some(e) = &self.executor {
                e.apply_parallel(&mut pixels);
            }
            burnin::draw(&mut pixels, w, h, &lines, self.movie.watermark.as_deref());
            pixels.into()
        };
        let layout = self.movie.codec.layout();
        if let Some(why) = layout.check(w, h) {
            return Err(self.error(&why));
        }
        let mut planes = Vec::new();
        ycbcr::encode(&pixels, w, h, layout, &mut planes);
        Ok(Converted {
            planes,
            width: w,
            height: h,
            timecode,
        })
    }

    /// What `token` shows on this frame (see `burnin.rs` for the table).
    fn token(&self, t: Token, recipe: &FrameRecipe, frame: &Frame, tc: SmpteTimecode) -> String {
        let extra = |k: &str| recipe.meta.extra.get(k).cloned();
        let clip = || {
            extra(keys::CLIP).unwrap_or_else(|| match recipe.layers.first() {
                Some((Layer::Source { path, .. }, _)) => crate::timeline::clip_name_of_file(path),
                _ => String::new(),
            })
        };
        match t {
            Token::Tc => tc.to_string(),
            Token::SrcTc => extra(keys::SOURCE_TIMECODE)
                .or_else(|| frame.meta.timecode.map(|t| t.to_string()))
                .unwrap_or_default(),
            Token::Frame => recipe.number.to_string(),
            Token::RecFrame => {
                extra(keys::RECORD_FRAME).unwrap_or_else(|| recipe.number.to_string())
            }
            Token::Clip => clip(),
            Token::Reel => extra(keys::SOURCE_REEL)
                .or_else(|| frame.meta.reel.clone())
                .unwrap_or_default(),
            Token::Event => extra(keys::EVENT).unwrap_or_default(),
            Token::Shot => extra(keys::SHOT).unwrap_or_else(clip),
            Token::Version => self
                .movie
                .version
                .map(|v| format!("v{v:03}"))
                .unwrap_or_default(),
            Token::Date => self.date.clone(),
            Token::Track => extra(keys::TRACK).unwrap_or_default(),
        }
    }

    /// ffmpeg's arguments for frames of `w x h` starting at `timecode`.
    fn args(&self, w: u32, h: u32, timecode: SmpteTimecode, temporary: &Path) -> Vec<String> {
        let rate = format!(
            "{}/{}",
            self.movie.rate.numerator(),
            self.movie.rate.denominator()
        );
        let tags = [
            "-color_primaries",
            "bt709",
            "-color_trc",
            "bt709",
            "-colorspace",
            "bt709",
            "-color_range",
            "tv",
        ]
        .map(String::from);
        let mut a: Vec<String> = [
            "-hide_banner",
            "-nostdin",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "rawvideo",
            "-pix_fmt",
            self.movie.codec.layout().pix_fmt(),
            "-s",
        ]
        .map(String::from)
        .to_vec();
        a.push(format!("{w}x{h}"));
        a.extend(["-framerate".into(), rate.clone()]);
        a.extend(tags.iter().cloned());
        a.extend(["-i".into(), "pipe:0".into()]);
        a.extend(self.movie.codec.encoder_args());
        a.extend([
            "-pix_fmt".into(),
            self.movie.codec.layout().pix_fmt().into(),
        ]);
        a.extend(tags.iter().cloned());
        a.extend(["-r".into(), rate, "-timecode".into(), timecode.to_string()]);
        a.extend(["-f".into(), "mov".into()]);
        a.push(temporary.to_string_lossy().into_owned());
        a
    }

    /// Feeds every frame whose turn has come. Returns the error of the
    /// frame whose feed found ffmpeg gone.
    fn feed_ready(&self, st: &mut State) -> Result<()> {
        while st.failed.is_none() {
            let Some(c) = st.held.remove(&st.next) else {
                break;
            };
            if st.encoder.is_none() {
                let temp = self.temporary();
                let args = self.args(c.width, c.height, c.timecode, &temp);
                match Encoder::spawn(&self.ffmpeg, &args, temp) {
                    Ok(e) => st.encoder = Some(e),
                    Err(e) => {
                        let why = format!("cannot start ffmpeg: {e}");
                        self.fail(st, why.clone());
                        return Err(self.error(&why));
                    }
                }
                st.size = Some((c.width, c.height));
            }
            if st.size != Some((c.width, c.height)) {
                let (w, h) = st.size.unwrap_or_default();
                let why = format!(
                    "frame {} is {}x{}, the movie is {w}x{h} (give --review-format)",
                    st.next, c.width, c.height
                );
                self.fail(st, why.clone());
                return Err(self.error(&why));
            }
            let fed = st.encoder.as_mut().map(|e| e.feed(c.planes));
            if let Some(Err(_)) = fed {
                // ffmpeg stopped reading: its exit says why.
                let mut why = "ffmpeg stopped reading frames".to_string();
                if let Some(e) = st.encoder.take() {
                    let temp = e.temporary.clone();
                    if let Err(said) = e.finish() {
                        why = said;
                    }
                    let _ = std::fs::remove_file(temp);
                }
                self.fail(st, why.clone());
                return Err(self.error(&why));
            }
            st.next += 1;
        }
        Ok(())
    }

    fn temporary(&self) -> PathBuf {
        let name = self
            .movie
            .path
            .file_name()
            .map_or_else(|| "review.mov".into(), |n| n.to_string_lossy().into_owned());
        self.movie.path.with_file_name(temporary::name(&name))
    }

    /// Abandons the movie: ffmpeg is stopped and its file removed.
    fn fail(&self, st: &mut State, why: String) {
        if st.failed.is_none() {
            st.failed = Some(why);
        }
        st.held.clear();
        if let Some(e) = st.encoder.take() {
            let temp = e.temporary.clone();
            e.abort();
            let _ = std::fs::remove_file(temp);
        }
        self.turn.notify_all();
    }
}

impl Sink for ReviewSink {
    fn write(
        &self,
        index: usize,
        recipe: &FrameRecipe,
        frame: &Frame,
        _: &mut Vec<u8>,
    ) -> Result<()> {
        if self.lock().failed.is_some() {
            return Ok(());
        }
        let converted = match self.convert(recipe, frame) {
            Ok(c) => c,
            Err(e) => {
                self.fail(&mut self.lock(), e.to_string());
                return Err(e);
            }
        };
        let mut st = self.lock();
        // Too far ahead: wait for the frames before this one (or for the
        // movie to be abandoned).
        while st.failed.is_none() && index > st.next + REORDER {
            st = self.turn.wait(st).unwrap_or_else(|e| e.into_inner());
        }
        if st.failed.is_some() {
            return Ok(());
        }
        st.held.insert(index, converted);
        let fed = self.feed_ready(&mut st);
        self.turn.notify_all();
        fed
    }

    fn missing(&self, index: usize) {
        let mut st = self.lock();
        if st.failed.is_none() && index >= st.next && !st.held.contains_key(&index) {
            let why = format!("not written: frame {index} of the job was not rendered");
            self.fail(&mut st, why);
        }
    }

    fn finish(&self, summary: &RenderSummary) -> Result<()> {
        let mut st = self.lock();
        if st.failed.is_none() && st.next < summary.frames {
            let why = format!(
                "not written: {} of the job's {} frames were rendered",
                st.next, summary.frames
            );
            self.fail(&mut st, why);
        }
        if let Some(why) = &st.failed {
            return Err(self.error(why));
        }
        let Some(encoder) = st.encoder.take() else {
            return Ok(());
        };
        let temp = encoder.temporary.clone();
        let done = encoder
            .finish()
            .and_then(|()| std::fs::rename(&temp, &self.movie.path).map_err(|e| e.to_string()));
        done.map_err(|why| {
            let _ = std::fs::remove_file(&temp);
            self.error(&why)
        })
    }
}

#[cfg(test)]
mod tests;

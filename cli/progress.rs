//! Progress for people and for farms: a bar on a terminal (nothing when
//! stderr is not one), `openjd_progress:` lines for Open Job Description,
//! or one JSON object per frame; always a final summary line.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use grade_engine::io::sequence;
use grade_engine::render::{FrameDone, FrameOutcome, RenderSummary};
use indicatif::{ProgressBar, ProgressStyle};

use crate::args::ProgressArg;

pub struct Reporter {
    mode: ProgressArg,
    quiet: bool,
    total: usize,
    done: usize,
    bar: Option<ProgressBar>,
    failed: Vec<(i64, String)>,
}

impl Reporter {
    pub fn new(mode: ProgressArg, quiet: bool, total: usize) -> Reporter {
        let bar =
            (mode == ProgressArg::Auto && !quiet && std::io::stderr().is_terminal()).then(|| {
                let bar = ProgressBar::new(total as u64);
                bar.set_style(
                    ProgressStyle::with_template(
                        "{bar:30} {pos}/{len} frames  {per_sec:>10}  ETA {eta}  {msg}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                bar.enable_steady_tick(Duration::from_millis(200));
                bar
            });
        if mode == ProgressArg::Openjd {
            outln!("openjd_status: rendering {total} frames");
            flush();
        }
        Reporter {
            mode,
            quiet,
            total,
            done: 0,
            bar,
            failed: Vec::new(),
        }
    }

    /// A note for the person at the terminal (not shown with --quiet).
    pub fn note(&self, msg: &str) {
        if self.quiet {
            return;
        }
        match &self.bar {
            Some(bar) => bar.println(format!("grade: {msg}")),
            None => eprintln!("grade: {msg}"),
        }
    }

    /// A line that is not an error but must not be missed (shown with
    /// --quiet too).
    fn warn(&self, line: String) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    pub fn frame(&mut self, d: &FrameDone<'_>, shot: &str) {
        self.done += 1;
        if let Some(why) = &d.warning {
            self.warn(format!(
                "grade: warning: frame {}: {}: rendering it again",
                d.recipe.number,
                why.replace('\n', "; ")
            ));
        }
        let (status, error) = match &d.outcome {
            FrameOutcome::Written => ("written", None),
            FrameOutcome::Skipped => ("skipped", None),
            FrameOutcome::Failed(e) => ("failed", Some(e.to_string())),
        };
        if let Some(err) = &error {
            self.warn(format!(
                "grade: error: frame {}: {}",
                d.recipe.number,
                err.replace('\n', "; ")
            ));
            self.failed.push((d.recipe.number, err.clone()));
        }
        match self.mode {
            ProgressArg::Openjd => {
                let pct = 100.0 * self.done as f64 / self.total.max(1) as f64;
                outln!("openjd_progress: {pct:.1}");
                flush();
            }
            ProgressArg::Json => {
                let obj = serde_json::json!({
                    "frame": d.recipe.number,
                    "output": d.recipe.output,
                    "status": status,
                    "error": error,
                    "warning": d.warning,
                    "shot": shot,
                    "done": self.done,
                    "total": self.total,
                });
                outln!("{obj}");
                flush();
            }
            ProgressArg::Auto | ProgressArg::None => {}
        }
        if let Some(bar) = &self.bar {
            bar.set_message(shot.to_string());
            bar.inc(1);
        }
    }

    /// Prints the summary line (always) and, with `stats`, stage timings.
    pub fn finish(&mut self, s: &RenderSummary, stats: bool, interrupted: bool) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        let secs = s.elapsed.as_secs_f64();
        let rendered = s.written + s.failed;
        let fps = if secs > 0.0 {
            s.written as f64 / secs
        } else {
            0.0
        };
        let mut line = format!("grade: {} frames: {} written", s.frames, s.written);
        if s.rerendered > 0 {
            line += &format!(" ({} over broken outputs)", s.rerendered);
        }
        line += &format!(", {} skipped, {} failed", s.skipped, s.failed);
        if s.cancelled > 0 {
            line += &format!(", {} not started", s.cancelled);
        }
        line += &format!(" in {secs:.2} s ({fps:.2} frames/s), backend {}", s.backend);
        if interrupted {
            line += " (interrupted)";
        }
        eprintln!("{line}");
        for e in &s.sink_errors {
            eprintln!("grade: error: {e}");
        }
        if let Some(volume) = &s.out_of_space {
            eprintln!(
                "grade: error: the output volume {volume} is full: stopped taking new frames ({} not started)",
                s.cancelled
            );
        }
        let mut failed: Vec<i64> = self.failed.iter().map(|(n, _)| *n).collect();
        failed.sort_unstable();
        failed.dedup();
        if let Some(list) = sequence::ranges_text(&failed) {
            eprintln!("grade: failed frames: {list}");
        }
        if stats && rendered > 0 {
            let per = |d: Duration| d.as_secs_f64() * 1000.0 / rendered as f64;
            let t = &s.stages;
            eprintln!(
                "grade: stage times per frame (ms): read {:.2}, grade {:.2} (upload {:.2}, kernel {:.2}, download {:.2}), write {:.2}",
                per(t.read),
                per(t.grade),
                per(t.upload),
                per(t.kernel),
                per(t.download),
                per(t.write)
            );
        }
        if self.mode == ProgressArg::Openjd {
            if let Some(volume) = &s.out_of_space {
                outln!("openjd_status: stopped, the output volume {volume} is full");
            } else if interrupted {
                outln!(
                    "openjd_status: interrupted, {} of {} frames done",
                    s.written + s.skipped,
                    s.frames
                );
            } else if s.failed > 0 {
                outln!("openjd_status: {} of {} frames failed", s.failed, s.frames);
            } else if !s.sink_errors.is_empty() {
                outln!("openjd_status: failed, {}", s.sink_errors[0]);
            } else {
                outln!("openjd_status: done, {} frames", s.frames);
            }
            flush();
        }
    }
}

fn flush() {
    let _ = std::io::stdout().flush();
}

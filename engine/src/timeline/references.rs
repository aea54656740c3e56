//! Media a timeline names itself: an OpenTimelineIO
//! `ImageSequenceReference` or `ExternalReference`, an FCP7 `pathurl` to an
//! image file ([`SequenceRef`]). These are read from the path given, not
//! matched through the media index; the planner adds each as a
//! [`SourceClip`] of the plan with the [`Reference`] that maps the clip's
//! source frames to file frames.
//!
//! A source frame `t` (at the clip's rate) is frame number
//! `start_frame + (t - available_start)`, as OpenTimelineIO's
//! `ImageSequenceReference.frame_for_time` computes it (frame_step plays no
//! part there), and shows the image file that holds it: images exist every
//! `frame_step` numbers from `start_frame` (`target_url_for_image_number`),
//! so with a step of 2 numbers 1001 and 1002 both show file 1001, as a
//! sequence rendered on twos plays ([`SequenceRef::file_frame`] in the
//! model, which the OpenTimelineIO parity test checks). A file frame that is
//! not on disk follows the reference's missing-frame policy: the event
//! fails (`error`), the nearest earlier frame is held (`hold`), or black is
//! shown (`black`).

use std::path::Path;

use crate::io::sequence::{discover, trailing_number, Pattern};
use crate::timeline::media::{clip_name_of_file, SourceClip};
use crate::timeline::model::{MissingFrame, SequenceRef};
use crate::timeline::timecode::Rate;

/// How a referenced clip's source frames map to its file frames.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub start_frame: i64,
    pub frame_step: i64,
    pub available_start: i64,
    pub missing: MissingFrame,
}

impl Reference {
    /// The file frame of source frame `t`.
    pub fn file_frame(&self, t: i64) -> i64 {
        let step = self.frame_step.max(1);
        self.start_frame
            .saturating_add(t.saturating_sub(self.available_start).div_euclid(step) * step)
    }
}

/// What a file frame of a referenced clip shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    File(i64),
    Black,
    /// Not on disk, and the policy is to fail.
    Missing,
}

impl Reference {
    /// File frame `f` of `clip`, or what the missing-frame policy shows
    /// instead.
    pub fn shown(&self, clip: &SourceClip, f: i64) -> Shown {
        if present(clip, f) {
            return Shown::File(f);
        }
        match self.missing {
            MissingFrame::Error => Shown::Missing,
            MissingFrame::Black => Shown::Black,
            MissingFrame::Hold => held(clip, f).map_or(Shown::Missing, Shown::File),
        }
    }

    /// Why frames `lo..=hi` (source frames) cannot all be shown, if so.
    pub fn check(&self, clip: &SourceClip, lo: i64, hi: i64) -> Option<String> {
        if self.missing != MissingFrame::Error {
            // Black shows anything; hold needs one frame at or before.
            let first = self.file_frame(lo).min(self.file_frame(hi));
            return (self.missing == MissingFrame::Hold
                && held(clip, first).is_none()
                && !(lo..=hi).any(|t| present(clip, self.file_frame(t))))
            .then(|| {
                format!(
                    "{}: no frame to hold before file frame {first}",
                    clip.pattern
                )
            });
        }
        let absent: Vec<i64> = (lo..=hi)
            .map(|t| self.file_frame(t))
            .filter(|&f| !present(clip, f))
            .take(4)
            .collect();
        match absent.as_slice() {
            [] => None,
            some => Some(format!(
                "{}: file frame(s) {} not on disk (missing_frame_policy error)",
                clip.pattern,
                some.iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

fn present(clip: &SourceClip, f: i64) -> bool {
    f >= clip.first_frame
        && f <= clip.last_frame
        && !clip.gaps.iter().any(|&(a, b)| a <= f && f <= b)
}

/// The nearest file frame at or before `f` that is on disk.
fn held(clip: &SourceClip, f: i64) -> Option<i64> {
    if f < clip.first_frame {
        return None;
    }
    let mut f = f.min(clip.last_frame);
    while let Some(&(a, _)) = clip.gaps.iter().find(|&&(a, b)| a <= f && f <= b) {
        f = a - 1;
    }
    (f >= clip.first_frame).then_some(f)
}

/// Reads the sequence `seq` names: its frames on disk and its first
/// frame's header. `rate` is the conform rate (the clip's source frames
/// are counted at it). An error says why, naming the path.
pub fn resolve(seq: &SequenceRef, rate: Rate) -> Result<(SourceClip, Reference), String> {
    let pattern = pattern_of(&seq.path)?;
    let found = discover(&pattern).map_err(|e| e.to_string())?;
    let (Some(&first), Some(&last)) = (found.frames.first(), found.frames.last()) else {
        return Err(format!("{}: no frames", seq.path));
    };
    let info = crate::io::read_info(&pattern.path(first)).map_err(|e| e.to_string())?;
    let start_frame = match seq.start_frame {
        Some(s) => s,
        None if pattern.is_single() => first,
        None => trailing_number(&seq.path).unwrap_or(first),
    };
    let reference = Reference {
        start_frame,
        frame_step: seq.frame_step.max(1),
        available_start: seq.available_start,
        missing: seq.missing,
    };
    let clip_name = seq
        .names
        .clip_name
        .clone()
        .unwrap_or_else(|| clip_name_of_file(&pattern.path(first)));
    let clip = SourceClip {
        reel: seq
            .names
            .reel
            .clone()
            .or_else(|| info.meta.reel.clone().filter(|r| !r.trim().is_empty())),
        clip_name,
        // Source frame t is file frame first + (t - start_tc) for a step of 1.
        start_tc: reference.available_start + (first - reference.start_frame),
        first_frame: first,
        last_frame: last,
        gaps: found.gaps,
        rate,
        header_rate: info.meta.fps.and_then(Rate::from_fps),
        width: info.width,
        height: info.height,
        pixel_aspect: info.meta.pixel_aspect.unwrap_or(1.0),
        pattern,
    };
    Ok((clip, reference))
}

/// The frame pattern of a reference path: a pattern as written (`####`,
/// `%07d`, `@`), else the sequence one numbered file belongs to, else the
/// single file.
fn pattern_of(path: &str) -> Result<Pattern, String> {
    let p = Pattern::parse(path).map_err(|e| e.to_string())?;
    if !p.is_single() {
        return Ok(p);
    }
    let file = Path::new(path);
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let dot = name.rfind('.').unwrap_or(name.len());
    let digits = name[..dot]
        .bytes()
        .rev()
        .take_while(u8::is_ascii_digit)
        .count();
    if digits == 0 || digits > 18 {
        return Ok(p);
    }
    let start = dot - digits;
    Ok(Pattern {
        dir: file.parent().map(Path::to_path_buf).unwrap_or_default(),
        prefix: name[..start].to_string(),
        suffix: name[dot..].to_string(),
        padding: Some(digits),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clip(first: i64, last: i64, gaps: Vec<(i64, i64)>) -> SourceClip {
        SourceClip {
            pattern: Pattern::parse("/x/A.####.dpx").unwrap(),
            reel: None,
            clip_name: "A".into(),
            start_tc: 0,
            first_frame: first,
            last_frame: last,
            gaps,
            rate: Rate::FPS_24,
            header_rate: None,
            width: 16,
            height: 16,
            pixel_aspect: 1.0,
        }
    }

    #[test]
    fn frames_step_from_the_start_frame() {
        let r = Reference {
            start_frame: 1001,
            frame_step: 2,
            available_start: 100,
            missing: MissingFrame::Error,
        };
        // OpenTimelineIO 0.18: frame_for_time is 1001, 1002, 1003, 1004 for
        // t = 100..103; target_url_for_image_number((n - 1001) // 2) names
        // files 1001, 1001, 1003, 1003.
        assert_eq!(r.file_frame(100), 1001);
        assert_eq!(r.file_frame(101), 1001);
        assert_eq!(r.file_frame(103), 1003);
    }

    #[test]
    fn missing_frames_follow_the_policy() {
        let c = clip(10, 20, vec![(13, 15)]);
        let mut r = Reference {
            start_frame: 10,
            frame_step: 1,
            available_start: 0,
            missing: MissingFrame::Hold,
        };
        assert_eq!(r.shown(&c, 14), Shown::File(12));
        assert_eq!(r.shown(&c, 25), Shown::File(20));
        assert_eq!(r.shown(&c, 5), Shown::Missing);
        assert_eq!(r.check(&c, 0, 10), None);
        r.missing = MissingFrame::Black;
        assert_eq!(r.shown(&c, 14), Shown::Black);
        r.missing = MissingFrame::Error;
        assert_eq!(r.shown(&c, 14), Shown::Missing);
        let why = r.check(&c, 0, 10).unwrap();
        assert!(why.contains("13, 14, 15"), "{why}");
    }

    #[test]
    fn a_numbered_file_names_its_sequence() {
        let p = pattern_of("/s/A001C003.0001001.dpx").unwrap();
        assert_eq!(
            p.to_string(),
            Pattern::parse("/s/A001C003.#######.dpx")
                .unwrap()
                .to_string()
        );
        assert!(pattern_of("/s/still.dpx").unwrap().is_single());
    }
}

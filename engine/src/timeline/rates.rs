//! Frame rates of a conform: the rate an EDL given without `--fps` runs at
//! (the one its matched sources' headers agree on, else 24 with a warning),
//! and which matched clips' header rates differ from the conform rate.
//!
//! A CMX3600 EDL carries no rate of its own: its timecode is read at the
//! rate the user names. Without one, each rate the media index's headers
//! give is tried in turn (most common first); the first under which the
//! EDL reads and every matched source's header gives that same rate wins.

use std::path::Path;

use crate::timeline::conform::{
    plan, ConformPlan, MatchOptions, MediaIndex, SideMatch, SourceClip,
};
use crate::timeline::edl::parse_bytes;
use crate::timeline::timecode::Rate;

/// The rate chosen for an EDL given without `--fps`.
#[derive(Debug, Clone, PartialEq)]
pub struct RateChoice {
    pub rate: Rate,
    /// What was chosen and why, for the terminal.
    pub note: String,
    /// The choice is a fallback the user should confirm with `--fps`.
    pub warning: bool,
}

/// Whether two rates run at the same speed (drop-frame labelling aside).
pub fn same_speed(a: Rate, b: Rate) -> bool {
    u64::from(a.numerator()) * u64::from(b.denominator())
        == u64::from(b.numerator()) * u64::from(a.denominator())
}

/// Plain rate name without the drop-frame suffix (`25`, `23.976`).
fn speed_name(r: Rate) -> String {
    let name = r.with_drop_frame(false).to_string();
    let name = name.trim_end_matches(" fps");
    name.trim_end_matches(" NDF").to_string()
}

/// Header rates of the clips `plan` matched (both sides of transitions),
/// each once, in the order first met.
pub fn matched_header_rates(plan: &ConformPlan) -> Vec<Rate> {
    let mut out: Vec<Rate> = Vec::new();
    let sides = plan
        .events
        .iter()
        .flat_map(|e| std::iter::once(&e.source).chain(e.from.as_ref()));
    for side in sides {
        let SideMatch::Matched { clip, .. } = side else {
            continue;
        };
        let Some(r) = plan.clips.get(*clip).and_then(|c| c.header_rate) else {
            continue;
        };
        if !out.iter().any(|o| same_speed(*o, r)) {
            out.push(r);
        }
    }
    out
}

/// The conform rate for the EDL `bytes` (read from `path`) given no
/// `--fps`: the rate every matched source's header agrees on, else 24.
pub fn agreed_rate(
    bytes: &[u8],
    path: &Path,
    index: &MediaIndex,
    opts: &MatchOptions,
) -> RateChoice {
    let mut counts: Vec<(Rate, usize)> = Vec::new();
    for r in index.clips().iter().filter_map(|c| c.header_rate) {
        match counts.iter_mut().find(|(o, _)| same_speed(*o, r)) {
            Some((_, n)) => *n += 1,
            None => counts.push((r.with_drop_frame(false), 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.fps().total_cmp(&b.0.fps())));
    let mut seen: Vec<Rate> = Vec::new();
    for (candidate, _) in &counts {
        let Ok(edl) = parse_bytes(bytes, path, *candidate) else {
            continue;
        };
        let matched = matched_header_rates(&plan(&edl, index, opts));
        if !matched.is_empty() && matched.iter().all(|r| same_speed(*r, *candidate)) {
            return RateChoice {
                rate: *candidate,
                note: format!(
                    "no --fps: conforming at {} fps, the rate the matched sources' headers give",
                    speed_name(*candidate)
                ),
                warning: false,
            };
        }
        for r in matched {
            if !seen.iter().any(|s| same_speed(*s, r)) {
                seen.push(r);
            }
        }
    }
    let why = if seen.is_empty() {
        "no matched source's header gives a rate".to_string()
    } else {
        let names: Vec<String> = seen.iter().map(|r| speed_name(*r)).collect();
        format!(
            "the matched sources' headers disagree ({} fps)",
            names.join(", ")
        )
    };
    RateChoice {
        rate: Rate::FPS_24,
        note: format!("no --fps, and {why}: conforming at 24 fps (give --fps to choose)"),
        warning: true,
    }
}

/// A warning when `clip`'s header rate differs from the conform rate.
pub fn rate_mismatch(clip: &SourceClip, conform: Rate) -> Option<String> {
    let header = clip.header_rate?;
    (!same_speed(header, conform)).then(|| {
        format!(
            "source {} runs at {} fps by its header; the conform runs at {} fps",
            clip.clip_name,
            speed_name(header),
            speed_name(conform)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::sequence::Pattern;

    const EDL: &str = "TITLE: R
001  A001 V     C        10:00:00:00 10:00:00:10 01:00:00:00 01:00:00:10
002  B001 V     C        11:00:00:20 11:00:00:24 01:00:00:10 01:00:00:14
";

    fn clip(reel: &str, hours: i64, header: Option<Rate>) -> SourceClip {
        let rate = header.unwrap_or(Rate::FPS_24);
        SourceClip {
            pattern: Pattern::parse(&format!("/m/{reel}.%07d.dpx")).unwrap(),
            reel: Some(reel.into()),
            clip_name: reel.into(),
            start_tc: hours * 3600 * i64::from(rate.nominal()),
            first_frame: 1,
            last_frame: 100,
            gaps: Vec::new(),
            rate,
            header_rate: header,
            width: 4,
            height: 4,
            pixel_aspect: 1.0,
        }
    }

    fn choose(clips: Vec<SourceClip>) -> RateChoice {
        let index = MediaIndex::new(clips);
        agreed_rate(
            EDL.as_bytes(),
            Path::new("r.edl"),
            &index,
            &MatchOptions::default(),
        )
    }

    #[test]
    fn the_rate_the_matched_headers_agree_on_wins() {
        // Frame label 24 exists only at 25 fps and above.
        let c = choose(vec![
            clip("A001", 10, Some(Rate::FPS_25)),
            clip("B001", 11, Some(Rate::FPS_25)),
            clip("Z001", 1, Some(Rate::FPS_24)),
            clip("Z002", 2, Some(Rate::FPS_24)),
            clip("Z003", 3, Some(Rate::FPS_24)),
        ]);
        assert_eq!(c.rate, Rate::FPS_25, "{c:?}");
        assert!(!c.warning);
    }

    #[test]
    fn disagreeing_or_silent_headers_give_24_with_a_warning() {
        let c = choose(vec![
            clip("A001", 10, Some(Rate::FPS_25)),
            clip("B001", 11, Some(Rate::FPS_30)),
        ]);
        assert_eq!(c.rate, Rate::FPS_24);
        assert!(c.warning && c.note.contains("disagree"), "{c:?}");
        let c = choose(vec![clip("A001", 10, None), clip("B001", 11, None)]);
        assert_eq!(c.rate, Rate::FPS_24);
        assert!(c.warning && c.note.contains("no matched source"), "{c:?}");
    }

    #[test]
    fn a_clip_at_another_rate_is_named() {
        let c = clip("A001", 10, Some(Rate::FPS_25));
        let w = rate_mismatch(&c, Rate::FPS_24).unwrap();
        assert!(
            w.contains("A001") && w.contains("25") && w.contains("24"),
            "{w}"
        );
        assert_eq!(rate_mismatch(&c, Rate::FPS_25), None);
        assert_eq!(rate_mismatch(&clip("A001", 10, None), Rate::FPS_25), None);
    }
}

//! Nested sequences flattened into the parent track: over the record range
//! the parent clipitem shows of the nested sequence, the top-most enabled
//! nested track with a clip wins (as the nested sequence's own picture
//! would show), and each winning clip is trimmed to the frames it shows,
//! its source range composed with the nesting.

use crate::timeline::model::{Clip, FrameRange, Item, Reposition, Track};

/// What the parent clipitem adds to every clip it shows.
pub(super) struct Outer<'a> {
    /// The parent clipitem's id: a piece is numbered `parent/inner`, so the
    /// pieces of a sequence nested twice are different events.
    pub id: &'a str,
    pub enabled: bool,
    pub reposition: Option<Reposition>,
    pub warnings: &'a [String],
}

/// Items showing frames `from..from + len` of the nested sequence whose
/// tracks (bottom first, laid out from frame 0) are `tracks`.
pub(super) fn flatten(tracks: &[Track], from: i64, len: i64, outer: &Outer) -> Vec<Item> {
    // Enabled clips of each enabled track: (start, end, clip), in order.
    let spans: Vec<Vec<(i64, i64, &Clip)>> = tracks
        .iter()
        .filter(|t| t.enabled)
        .map(|t| {
            let mut at = 0;
            let mut v = Vec::new();
            for item in &t.items {
                let d = item.duration();
                if let Item::Clip(c) = item {
                    if c.enabled && d > 0 {
                        v.push((at, at + d, &**c));
                    }
                }
                at += d;
            }
            v
        })
        .collect();
    let end = from.saturating_add(len.max(0));
    let mut cuts = vec![from, end];
    for track in &spans {
        for &(s, e, _) in track {
            cuts.extend([s, e].into_iter().filter(|&x| x > from && x < end));
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<Item> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let winner = spans.iter().rev().find_map(|track| {
            let i = track.partition_point(|&(s, _, _)| s <= a);
            let &(s, e, c) = track.get(i.checked_sub(1)?)?;
            (a >= s && b <= e).then_some((s, c))
        });
        match winner {
            Some((s, c)) => {
                let mut piece = c.clone();
                piece.source_range = FrameRange {
                    start: c.source_frame(a - s),
                    duration: b - a,
                };
                piece.origin.id = format!("{}/{}", outer.id, c.origin.id);
                piece.enabled &= outer.enabled;
                piece.reposition = compose(outer.reposition, c.reposition);
                piece.warnings.extend(outer.warnings.iter().cloned());
                // The same clip on both sides of a cut in a lower track: one piece.
                if let Some(Item::Clip(prev)) = out.last_mut() {
                    let joined = prev.origin == piece.origin
                        && prev.source_frame(prev.source_range.duration)
                            == piece.source_range.start
                        && prev.effects.is_empty();
                    if joined {
                        prev.source_range.duration += b - a;
                        continue;
                    }
                }
                out.push(Item::Clip(Box::new(piece)));
            }
            None => match out.last_mut() {
                Some(Item::Gap { duration }) => *duration += b - a,
                _ => out.push(Item::Gap { duration: b - a }),
            },
        }
    }
    out
}

/// `inner` placed inside a frame placed by `outer`: scales multiply,
/// rotations add, the inner centre offset is scaled by the outer scale
/// (the outer rotation is not applied to it).
fn compose(outer: Option<Reposition>, inner: Option<Reposition>) -> Option<Reposition> {
    match (outer, inner) {
        (None, r) | (r, None) => r,
        (Some(o), Some(i)) => Some(Reposition {
            scale: o.scale * i.scale,
            center: [
                o.center[0] + o.scale * i.center[0],
                o.center[1] + o.scale * i.center[1],
            ],
            rotation: o.rotation + i.rotation,
        }),
    }
}

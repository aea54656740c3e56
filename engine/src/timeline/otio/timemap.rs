//! How a composition's frames follow the record frames ([`TimeMap`]), and
//! the model tracks being built from what shows ([`Layer`]).

use crate::timeline::model::{apply_effects, Item, TimeEffect, Track};

/// A composition's own frames as a function of record frames.
#[derive(Debug, Clone, Default)]
pub struct TimeMap {
    pub base: i64,
    pub chain: Vec<TimeEffect>,
}

impl TimeMap {
    pub fn at(&self, r: i64) -> i64 {
        self.base.saturating_add(apply_effects(&self.chain, r))
    }

    /// Whether the composition runs at record speed (offsets only).
    pub fn is_shift(&self) -> bool {
        self.chain
            .iter()
            .all(|e| matches!(e, TimeEffect::Offset { .. }))
    }

    /// The map of an item at `a` of this composition's time whose own time
    /// starts at `entry` and runs through `own` effects.
    pub fn enter(&self, a: i64, entry: i64, own: &[TimeEffect]) -> TimeMap {
        let mut chain = self.chain.clone();
        push_offset(&mut chain, self.base.saturating_sub(a));
        chain.extend_from_slice(own);
        TimeMap { base: entry, chain }
    }

    /// Record frames of `window` whose time lies in `[a, b)`.
    pub fn span(&self, window: (i64, i64), a: i64, b: i64) -> (i64, i64) {
        let (lo, hi) = window;
        if hi <= lo || b <= a {
            return (lo, lo);
        }
        let rising = self.at(lo) <= self.at(hi - 1);
        let first = |pred: &dyn Fn(i64) -> bool| {
            let (mut l, mut h) = (lo, hi);
            while l < h {
                let m = l + (h - l) / 2;
                if pred(self.at(m)) {
                    h = m;
                } else {
                    l = m + 1;
                }
            }
            l
        };
        if rising {
            (first(&|t| t >= a), first(&|t| t >= b))
        } else {
            (first(&|t| t < b), first(&|t| t < a))
        }
    }
}

/// Appends an offset, folding it into a trailing one.
pub fn push_offset(chain: &mut Vec<TimeEffect>, frames: i64) {
    if frames == 0 {
        return;
    }
    if let Some(TimeEffect::Offset { frames: f }) = chain.last_mut() {
        *f = f.saturating_add(frames);
        if *f == 0 {
            chain.pop();
        }
        return;
    }
    chain.push(TimeEffect::Offset { frames });
}

/// Where a child lies in its composition: at `a` of its time, shown
/// within the record frames `window`, `depth` compositions down, `mixed`
/// when a transition is beside it.
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    pub a: i64,
    pub window: (i64, i64),
    pub depth: usize,
    pub mixed: bool,
}

/// A model track being built: pieces at record positions.
#[derive(Debug, Default)]
pub struct Layer {
    pub name: String,
    pub enabled: bool,
    /// (record start, record end, item); a transition has start == end.
    pub pieces: Vec<(i64, i64, Item)>,
}

impl Layer {
    /// The model track: pieces in record order with gaps between.
    pub fn into_track(mut self) -> Track {
        self.pieces.sort_by_key(|p| (p.0, p.1));
        let mut items = Vec::with_capacity(self.pieces.len());
        let mut at = 0;
        for (start, end, item) in self.pieces {
            if start > at {
                items.push(Item::Gap {
                    duration: start - at,
                });
            }
            // A zero-length gap only marks where the track ends.
            if !matches!(item, Item::Gap { duration: 0 }) {
                items.push(item);
            }
            at = at.max(end);
        }
        Track {
            name: self.name,
            enabled: self.enabled,
            items,
        }
    }
}

/// Offsets folded together, zero offsets dropped.
pub fn normalise(effects: Vec<TimeEffect>) -> Vec<TimeEffect> {
    let mut out = Vec::with_capacity(effects.len());
    for e in effects {
        match e {
            TimeEffect::Offset { frames } => push_offset(&mut out, frames),
            e => out.push(e),
        }
    }
    out
}

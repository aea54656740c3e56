//! A clip of the tree as a model clip: its media reference (by key, for
//! `Clip.2`), its time effects, media, grade and markers.

use super::flatten::Reader;
use super::media;
use super::raw::{RawMarker, RawObject, RawReference};
use super::time;
use super::timemap::{normalise, TimeMap};
use crate::timeline::model::{Clip, FrameRange, FrameRate, Marker, Origin, TimeEffect};

impl Reader<'_> {
    /// The clip's chosen media reference: `Some(None)` when it has none,
    /// `None` (with a problem) when the chosen key is not there.
    pub fn reference<'o>(
        &mut self,
        clip: &'o RawObject,
        who: &str,
    ) -> Option<Option<&'o RawReference>> {
        let wanted = self.opts.media_reference.as_deref();
        if let Some(refs) = &clip.media_references {
            let key = wanted
                .or(clip.active_media_reference_key.as_deref())
                .unwrap_or("DEFAULT_MEDIA");
            return match refs.get(key) {
                Some(r) => Some(Some(r)),
                None => {
                    let keys: Vec<&str> = refs.keys().map(String::as_str).collect();
                    self.problems.push(format!(
                        "{who}: no media reference {key:?} (it has {})",
                        if keys.is_empty() {
                            "none".to_string()
                        } else {
                            keys.join(", ")
                        }
                    ));
                    None
                }
            };
        }
        match wanted {
            Some(key) if key != "DEFAULT_MEDIA" => {
                self.problems.push(format!(
                    "{who}: no media reference {key:?} (it has DEFAULT_MEDIA)"
                ));
                None
            }
            _ => Some(clip.media_reference.as_deref()),
        }
    }

    /// The effects of `item` as model effects and its entry (first frame
    /// shown, in frames of its own time at `rate`) given its trimmed start
    /// and its duration in record frames.
    pub(super) fn own_effects(
        &mut self,
        item: &RawObject,
        start: i64,
        duration: i64,
        who: &str,
    ) -> (i64, Vec<TimeEffect>) {
        let mut scalar = 1.0f64;
        let mut frozen = false;
        for e in item.effects() {
            match e.schema() {
                "FreezeFrame" => frozen = true,
                "LinearTimeWarp" => {
                    let s = e.time_scalar.map_or(1.0, |n| n.0);
                    if !s.is_finite() {
                        self.problems
                            .push(format!("{who}: time_scalar {s} is not a number"));
                    } else if s == 0.0 {
                        frozen = true;
                    } else {
                        scalar *= s;
                    }
                }
                other => self.warnings.push(format!(
                    "{who}: effect {:?} ({other}) is not rendered",
                    e.name()
                )),
            }
        }
        if frozen {
            return (start, vec![TimeEffect::FreezeFrame]);
        }
        if scalar == 1.0 {
            return (start, Vec::new());
        }
        // A reverse starts from the last of the frames it consumes.
        let entry = if scalar < 0.0 {
            let consumed = (duration as f64 * scalar.abs() - 1e-9).ceil() as i64;
            start.saturating_add(consumed.max(1) - 1)
        } else {
            start
        };
        (
            entry,
            vec![TimeEffect::LinearTimeWarp {
                time_scalar: scalar,
            }],
        )
    }

    /// The model clip of `c` (at `a` of its parent's time, `duration`
    /// frames long) over record frames `[r0, r1)`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn clip(
        &mut self,
        c: &RawObject,
        a: i64,
        duration: i64,
        map: &TimeMap,
        r0: i64,
        r1: i64,
        who: &str,
    ) -> Option<Clip> {
        let reference = self.reference(c, who)?;
        // The clip's own frames are counted at its source range's rate.
        let range = c
            .source_range
            .or_else(|| reference.and_then(|r| r.available_range));
        let source_rate = range
            .and_then(|r| time::rate_of(r.start_time.rate.0))
            .unwrap_or(self.rate);
        let start = range
            .and_then(|r| time::frames(&r.start_time, source_rate).ok())
            .unwrap_or(0);
        let mark = self.warnings.len();
        let (entry, mut own) = self.own_effects(c, start, duration, who);
        if source_rate != self.rate && !own.contains(&TimeEffect::FreezeFrame) {
            self.warnings.push(format!(
                "{who}: source at {}/{} fps in a {}/{} fps timeline plays in real time",
                source_rate.num, source_rate.den, self.rate.num, self.rate.den
            ));
            own.insert(
                0,
                TimeEffect::LinearTimeWarp {
                    time_scalar: source_rate.fps() / self.rate.fps(),
                },
            );
        }
        // What is said about the clip stays with it.
        let mut warnings = self.warnings.split_off(mark);
        let media = media::media_of(c, reference, source_rate, &self.dir, who, &mut warnings);
        let cdl = media::cdl_of(c.metadata(), who, &mut warnings);
        // Record frame r0 + k shows the item's time at `map.at(r0 + k)`.
        let mut effects = vec![TimeEffect::Offset { frames: r0 }];
        effects.extend(map.enter(a, entry, &own).chain);
        let effects = normalise(effects);
        let markers = c
            .markers()
            .iter()
            .filter_map(|m| marker(m, source_rate))
            .collect();
        self.clips += 1;
        Some(Clip {
            name: c.name().to_string(),
            media,
            source_range: FrameRange {
                start: entry,
                duration: (r1 - r0).max(0),
            },
            source_rate,
            effects,
            enabled: c.enabled(),
            markers,
            cdl,
            unsupported: None,
            reposition: None,
            warnings,
            origin: Origin {
                id: if c.name().is_empty() {
                    who.to_string()
                } else {
                    c.name().to_string()
                },
                event: Some(self.clips - 1),
                ..Default::default()
            },
        })
    }

    /// Markers of a composition (the timeline's stack or a top-level
    /// track) at record frames: its time minus its map's base.
    pub fn record_markers(&self, item: &RawObject, global_start: i64) -> Vec<Marker> {
        let base = match &item.source_range {
            Some(r) => time::frames(&r.start_time, self.rate).unwrap_or(0),
            None => 0,
        };
        item.markers()
            .iter()
            .filter_map(|m| marker(m, self.rate))
            .map(|mut m| {
                m.frame = m.frame.saturating_sub(base).saturating_add(global_start);
                m
            })
            .collect()
    }
}

/// A marker at its start frame at `rate` (`Marker.1` says `range`).
fn marker(m: &RawMarker, rate: FrameRate) -> Option<Marker> {
    let r = m.marked_range.or(m.range)?;
    Some(Marker {
        frame: time::frames(&r.start_time, rate).ok()?,
        name: m.name().to_string(),
        color: m.color.as_ref().map_or("", |c| c.name()).to_string(),
    })
}

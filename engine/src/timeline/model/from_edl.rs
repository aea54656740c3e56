//! A CMX3600 EDL as a [`Timeline`]: one clip per video event, laid on V1
//! in record order with gaps between. A dissolve or wipe is a transition
//! after a zero-length clip of its outgoing side (which then plays on as a
//! handle), or after a zero-length gap when it dissolves from black. `M2`
//! speeds become [`TimeEffect::LinearTimeWarp`] and freezes
//! [`TimeEffect::FreezeFrame`]. Where events overlap (a later event wins in
//! an EDL) the later one goes on a track above.

use super::{
    Clip, ClipCdl, FrameRange, FrameRate, Item, Media, MediaNames, Origin, TimeEffect, Timeline,
    Track, Transition,
};
use crate::timeline::edl::{Edit, Edl, Event, Reel, Side, SourceRef};
use crate::timeline::timecode::Rate;

/// The timeline of `edl`'s video events (audio-only events are left out).
pub fn from_edl(edl: &Edl) -> Timeline {
    let rate = edl.rate;
    let video: Vec<(usize, &Event)> = edl
        .events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.channels.video)
        .collect();
    // Track of each event: above every earlier event it overlaps.
    let mut placed: Vec<(usize, usize, &Event)> = Vec::new();
    for &(i, e) in &video {
        let track = placed
            .iter()
            .filter(|(_, _, p)| overlaps(p, e))
            .map(|(t, _, _)| t + 1)
            .max()
            .unwrap_or(0);
        placed.push((track, i, e));
    }
    let global_start = video
        .iter()
        .filter(|(_, e)| e.record_frames() > 0)
        .map(|(_, e)| e.record_in.frames)
        .min()
        .unwrap_or(0);
    let n_tracks = placed.iter().map(|(t, _, _)| t + 1).max().unwrap_or(0);
    let mut tracks = Vec::with_capacity(n_tracks);
    for t in 0..n_tracks {
        let mut events: Vec<(usize, &Event)> = placed
            .iter()
            .filter(|(tr, _, e)| *tr == t && e.record_frames() > 0)
            .map(|(_, i, e)| (*i, *e))
            .collect();
        events.sort_by_key(|(i, e)| (e.record_in.frames, *i));
        let mut items = Vec::new();
        let mut end = global_start;
        for (i, e) in events {
            if e.record_in.frames > end {
                items.push(Item::Gap {
                    duration: e.record_in.frames - end,
                });
            }
            let frames = e.record_frames();
            let transition = match e.edit {
                Edit::Dissolve { .. } | Edit::Wipe { .. } => {
                    i64::from(e.edit.transition_frames()).min(frames)
                }
                _ => 0,
            };
            if transition > 0 {
                match &e.from {
                    Some(from) => items.push(Item::Clip(Box::new(clip(e, i, from, 0, rate)))),
                    None => items.push(Item::Gap { duration: 0 }),
                }
                items.push(Item::Transition(Transition {
                    kind: match e.edit {
                        Edit::Wipe { code, .. } => format!("SMPTE_Wipe {code:03}"),
                        _ => "SMPTE_Dissolve".into(),
                    },
                    in_offset: 0,
                    out_offset: transition,
                    origin: origin(e, i),
                }));
            }
            items.push(Item::Clip(Box::new(clip(e, i, &e.source, frames, rate))));
            end = e.record_out.frames;
        }
        tracks.push(Track {
            name: format!("V{}", t + 1),
            enabled: true,
            items,
        });
    }
    Timeline {
        name: edl.title.clone(),
        rate: FrameRate::from(rate),
        format: None,
        warnings: Vec::new(),
        global_start,
        tracks,
        markers: Vec::new(),
    }
}

/// What an EDL source names: black, bars, or media by reel and names.
pub fn media_of(src: &SourceRef) -> Media {
    match &src.reel {
        Reel::Black => Media::Black,
        Reel::Bars => Media::Bars,
        _ => Media::Named(MediaNames {
            reel: src.reel.tape().map(str::to_string),
            clip_name: src.clip_name.clone(),
            source_file: src.source_file.clone(),
            path: src.path.clone(),
        }),
    }
}

fn overlaps(a: &Event, b: &Event) -> bool {
    a.record_frames() > 0
        && b.record_frames() > 0
        && a.record_in.frames < b.record_out.frames
        && b.record_in.frames < a.record_out.frames
}

fn origin(e: &Event, i: usize) -> Origin {
    Origin {
        id: e.number_text.clone(),
        line: Some(e.line),
        event: Some(i),
        edit: Some(format!("{:?}", e.edit)),
        reel_text: Some(e.source.source.reel_text.clone()),
        source_text: Some([
            e.source.source_in.text.clone(),
            e.source.source_out.text.clone(),
        ]),
        grade_id: e.cc_id.clone(),
        cdl_line: e.cdl.as_ref().map(|c| c.line),
    }
}

/// One side of event `e` (index `i`) as a clip of `duration` record frames.
fn clip(e: &Event, i: usize, side: &Side, duration: i64, rate: Rate) -> Clip {
    let media = media_of(&side.source);
    // Side::source_frame: a freeze holds the M2 entry (else the source in);
    // a speed plays from the entry at fps / rate source frames per frame.
    let (start, effects) = match &side.speed {
        _ if side.freeze => (
            side.speed
                .as_ref()
                .map_or(side.source_in.frames, |s| s.entry.frames),
            vec![TimeEffect::FreezeFrame],
        ),
        Some(s) if s.fps == 0.0 => (s.entry.frames, vec![TimeEffect::FreezeFrame]),
        Some(s) => (
            s.entry.frames,
            vec![TimeEffect::LinearTimeWarp {
                time_scalar: s.fps / rate.fps(),
            }],
        ),
        None => (side.source_in.frames, Vec::new()),
    };
    Clip {
        name: e.name(),
        media,
        source_range: FrameRange { start, duration },
        source_rate: FrameRate::from(rate),
        effects,
        enabled: true,
        markers: Vec::new(),
        cdl: e.cdl.as_ref().map(|c| ClipCdl {
            slope: c.slope,
            offset: c.offset,
            power: c.power,
            saturation: c.saturation,
        }),
        unsupported: match &e.edit {
            Edit::Key { kind, .. } => Some(format!("key ({kind}) is not supported")),
            _ => None,
        },
        reposition: None,
        warnings: Vec::new(),
        origin: origin(e, i),
    }
}

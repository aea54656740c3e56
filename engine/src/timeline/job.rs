//! A conform plan turned into a render job: one program per event (the shot
//! grade between the show-wide steps) and one frame recipe per record frame,
//! every source layer fitted into the master format.
//!
//! The master format is `--format` when given, else the first matched
//! event's source format ([`master_format`]). A source layer is reformatted
//! only where its plan is not a pass-through ([`layer_reformat`]), so a
//! conform of sources that already have the master format renders exactly
//! the bytes it rendered before reformat existed. A clip the timeline places
//! itself (FCP7 Basic Motion) is reformatted with its placement on top
//! ([`placed_reformat`]).

use std::collections::HashMap;

use crate::grade::{Op, Program};
use crate::io::sequence::Pattern;
use crate::io::template::Values;
use crate::ops::{Cdl, CdlStyle};
use crate::reformat::{Format, Reformat, SourceGeometry};
use crate::render::{keys, FrameRecipe, Layer};
use crate::timeline::conform::{
    Composite, ConformPlan, Picture, RecordFrame, SideMatch, SourceClip,
};
use crate::timeline::model::{self, Clip, Media};
use crate::Metadata;

/// Which name of an event finds its grade in a `--grades` collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GradeKey {
    /// The event's clip name (`FROM CLIP NAME`, ...).
    #[default]
    Clip,
    Reel,
    /// The event number.
    Event,
}

/// A shot's grade and where it came from (for the report).
#[derive(Debug, Clone, PartialEq)]
pub struct ShotGrade {
    pub cdl: Option<Cdl>,
    pub source: String,
    /// Set when the EDL names a correction (`*ASC_CC_XML id`) that the
    /// collection does not hold.
    pub missing_id: Option<String>,
}

/// The shot grade of `clip`: its own CDL (an EDL's `*ASC_SOP`, an OTIO
/// clip's `metadata.cdl`), else the correction it names by id (`*ASC_CC_XML`),
/// else the correction keyed by `key` in `corrections` (exact id first,
/// then ignoring case).
pub fn shot_grade(clip: &Clip, corrections: &[Cdl], key: GradeKey, style: CdlStyle) -> ShotGrade {
    let found = |cdl: Option<Cdl>, source: String| ShotGrade {
        cdl,
        source,
        missing_id: None,
    };
    if let Some(c) = &clip.cdl {
        let cdl = Cdl {
            id: None,
            slope: c.slope,
            offset: c.offset,
            power: c.power,
            saturation: c.saturation.unwrap_or(1.0),
            style,
            direction: Default::default(),
        };
        let source = match clip.origin.written().cdl_line {
            Some(line) => format!("*ASC_SOP (line {line})"),
            None => "the timeline's CDL".to_string(),
        };
        return found(Some(cdl), source);
    }
    let find = |key: &str| {
        corrections
            .iter()
            .find(|c| c.id.as_deref() == Some(key))
            .or_else(|| {
                corrections.iter().find(|c| {
                    c.id.as_deref()
                        .is_some_and(|id| id.eq_ignore_ascii_case(key))
                })
            })
            .map(|c| Cdl { style, ..c.clone() })
    };
    if let Some(id) = &clip.origin.written().grade_id {
        return match find(id) {
            Some(c) => found(Some(c), format!("{id} from --grades")),
            None => ShotGrade {
                cdl: None,
                source: format!("{id} NOT FOUND"),
                missing_id: Some(id.clone()),
            },
        };
    }
    if corrections.is_empty() {
        return found(None, "none".into());
    }
    let key = match key {
        GradeKey::Clip => clip.name.clone(),
        GradeKey::Reel => reel_text(clip),
        GradeKey::Event => clip.origin.id.clone(),
    };
    match find(&key) {
        Some(c) => found(Some(c), format!("{key} from --grades")),
        None => found(None, "none".into()),
    }
}

/// The clip's reel as the timeline writes it (an EDL's reel field), else
/// the reel its media is found by, else empty.
pub fn reel_text(clip: &Clip) -> String {
    clip.origin
        .written()
        .reel_text
        .clone()
        .or_else(|| match &clip.media {
            Media::Named(n) => n.reel.clone(),
            Media::Sequence(s) => s.names.reel.clone(),
            _ => None,
        })
        .unwrap_or_default()
}

/// The job's programs: 0 = the show-wide steps alone (black, gaps); 1 + i =
/// planned event i, with its shot grade between `pre` and `post`.
pub fn programs(pre: &Program, post: &Program, grades: &[ShotGrade]) -> Vec<Program> {
    let mut programs = vec![Program {
        ops: [pre.ops.clone(), post.ops.clone()].concat(),
    }
    .optimise()];
    for g in grades {
        let mut ops = pre.ops.clone();
        if let Some(c) = &g.cdl {
            ops.push(Op::Cdl(c.clone()));
        }
        ops.extend(post.ops.iter().cloned());
        programs.push(Program { ops }.optimise());
    }
    programs
}

/// The master format: `asked` when given, else the first matched event's
/// source format, else HD.
pub fn master_format(plan: &ConformPlan, asked: Option<Format>) -> Format {
    asked.unwrap_or_else(|| {
        plan.events
            .iter()
            .find_map(|e| match &e.source {
                SideMatch::Matched { clip, .. } => plan.clips.get(*clip),
                _ => None,
            })
            .or(plan.clips.first())
            .map_or(
                Format {
                    width: 1920,
                    height: 1080,
                    par: 1.0,
                },
                |c| Format {
                    width: c.width,
                    height: c.height,
                    par: c.pixel_aspect,
                },
            )
    })
}

impl SourceGeometry {
    /// A media-index clip's size and pixel aspect.
    pub fn of_clip(c: &SourceClip) -> SourceGeometry {
        SourceGeometry {
            width: c.width,
            height: c.height,
            par: c.pixel_aspect,
        }
    }
}

/// The reformat a layer from `clip` needs: `None` where the plan is a
/// pass-through (the clip already has the master format and nothing else is
/// asked), so its pixels go to the grade untouched.
pub fn layer_reformat(master: &Reformat, clip: &SourceClip) -> Option<Reformat> {
    match master.plan(SourceGeometry::of_clip(clip)) {
        Ok(p) if p.is_identity() => None,
        // A plan that fails here fails again, with its message, when the
        // frame renders.
        _ => Some(master.clone()),
    }
}

/// The reformat of a layer from `clip` that the timeline places itself
/// (`placed`: an FCP7 Basic Motion), else [`layer_reformat`]'s.
pub fn placed_reformat(
    master: &Reformat,
    clip: &SourceClip,
    placed: Option<&model::Reposition>,
) -> Option<Reformat> {
    let Some(rp) = placed else {
        return layer_reformat(master, clip);
    };
    // A placement that fails here fails again, with its message, when the
    // frame renders.
    Some(
        master
            .placed(rp, SourceGeometry::of_clip(clip))
            .unwrap_or_else(|_| master.clone()),
    )
}

/// Where the master goes and how its frames are numbered.
#[derive(Debug, Clone)]
pub struct RecipeOptions<'a> {
    pub output: &'a Pattern,
    /// Added to record frame numbers to give master frame numbers.
    pub shift: i64,
    /// The master format and how sources are fitted into it.
    pub master: &'a Reformat,
    /// How the tracks of a frame make its picture (`--composite`).
    pub composite: Composite,
}

/// The recipes of the record frames `selected`, and for each the event
/// number it belongs to ("black" outside every event).
pub fn recipes(
    title: Option<&str>,
    plan: &ConformPlan,
    selected: &[i64],
    opts: &RecipeOptions<'_>,
) -> (Vec<FrameRecipe>, Vec<String>) {
    let size = (opts.master.format.width, opts.master.format.height);
    // `Side`: the event and whether it is its outgoing clip, whose
    // placement (if the timeline has one) the layer takes.
    type Side = Option<(usize, bool)>;
    let mut reformats: HashMap<(usize, Side), Option<Reformat>> = HashMap::new();
    let mut layer = |p: Picture, program: usize, side: Side| -> Layer {
        match p {
            Picture::Black => Layer::Black,
            Picture::Source { clip, file_frame } => {
                let c = &plan.clips[clip];
                let placed = side.and_then(|(e, from)| {
                    let ev = plan.events.get(e)?;
                    let timeline_clip = if from {
                        ev.from_clip.as_ref()?
                    } else {
                        &ev.clip
                    };
                    timeline_clip.reposition.as_ref()
                });
                let key = (clip, placed.and(side));
                let reformat = reformats
                    .entry(key)
                    .or_insert_with(|| placed_reformat(opts.master, c, placed))
                    .clone();
                Layer::Source {
                    path: c.path(file_frame),
                    program,
                    reformat,
                }
            }
        }
    };
    let mut recipes = Vec::with_capacity(selected.len());
    let mut shots = Vec::with_capacity(selected.len());
    for &f in selected {
        let ev = plan.event_at(f);
        // Each track's pictures with the event they belong to, bottom to top.
        let stack = match opts.composite {
            Composite::Over => plan.stack(f),
            Composite::Top => Vec::new(),
        };
        let over: Vec<usize> = stack.iter().map(|(_, l)| l.len()).collect();
        let tracks = if stack.is_empty() {
            vec![(ev, plan.layers(f))]
        } else {
            stack.into_iter().map(|(e, l)| (Some(e), l)).collect()
        };
        let mut layers = Vec::new();
        for (ev, mixed) in tracks {
            let mix = mixed.len() == 2;
            for (i, (p, program, w)) in mixed.into_iter().enumerate() {
                // The first of a mix is the outgoing side.
                let side = ev.map(|e| (e, mix && i == 0));
                layers.push((layer(p.unwrap_or(Picture::Black), program, side), w));
            }
        }
        let mut meta = Metadata {
            timecode: Some(plan.rate.to_timecode(f)),
            fps: Some(plan.rate.fps()),
            reel: title.map(str::to_string),
            project: title.map(str::to_string),
            ..Default::default()
        };
        meta.extra.insert(keys::RECORD_FRAME.into(), f.to_string());
        burnin_keys(plan, ev, f, &mut meta);
        recipes.push(FrameRecipe {
            number: f + opts.shift,
            output: opts.output.path(f + opts.shift),
            layers,
            black_size: size,
            over,
            meta,
        });
        shots.push(
            ev.map(|e| plan.events[e].number.clone())
                .unwrap_or_else(|| "black".into()),
        );
    }
    (recipes, shots)
}

/// What the burn-ins of a review movie show of record frame `f` of event
/// `ev` ([`keys`]): the event, the source clip shown (the incoming one of a
/// dissolve), its reel and source timecode, the timeline's clip name.
fn burnin_keys(plan: &ConformPlan, ev: Option<usize>, f: i64, meta: &mut Metadata) {
    let mut put = |k: &str, v: String| {
        meta.extra.insert(k.into(), v);
    };
    let Some(e) = ev else {
        put(keys::TRACK, "V1".into());
        return;
    };
    let event = &plan.events[e];
    put(keys::TRACK, format!("V{}", event.track + 1));
    put(keys::EVENT, event.number.clone());
    let picture = match plan.frame(f) {
        RecordFrame::Source { clip, file_frame } => Some((clip, file_frame)),
        RecordFrame::Dissolve {
            b: Picture::Source { clip, file_frame },
            ..
        } => Some((clip, file_frame)),
        _ => None,
    };
    let edl_clip = timeline_clip_name(&event.clip);
    if let Some((clip, file_frame)) = picture {
        let c = &plan.clips[clip];
        put(keys::CLIP, c.clip_name.clone());
        if let Some(reel) = &c.reel {
            put(keys::SOURCE_REEL, reel.clone());
        }
        let tc = c
            .rate
            .to_timecode(c.start_tc + (file_frame - c.first_frame));
        put(keys::SOURCE_TIMECODE, tc.to_string());
        put(keys::SHOT, edl_clip.unwrap_or_else(|| c.clip_name.clone()));
    } else if let Some(name) = edl_clip {
        put(keys::SHOT, name);
    }
}

/// The naming-template values of record frame `f` ([`crate::io::template`]):
/// its event's number as written, the source reel as the EDL writes it,
/// the clip (`* FROM CLIP NAME`, else the matched clip's name, else the
/// reel), the shot (the event's `*ASC_CC_XML` id, else the clip) and the
/// record timecode. Outside every event the timeline's names are `black`.
pub fn names(plan: &ConformPlan, f: i64) -> Values {
    let event = plan.event_at(f);
    let mut v = Values {
        tc: Some(plan.rate.to_timecode(f)),
        ..Default::default()
    };
    let black = || Some("black".to_string());
    let Some(pe) = event.map(|e| &plan.events[e]) else {
        (v.shot, v.clip, v.reel, v.event) = (black(), black(), black(), black());
        return v;
    };
    let matched = match &pe.source {
        SideMatch::Matched { clip, .. } => plan.clips.get(*clip).map(|c| c.clip_name.clone()),
        _ => None,
    };
    let clip = timeline_clip_name(&pe.clip)
        .or(matched)
        .unwrap_or_else(|| reel_text(&pe.clip));
    v.shot = Some(
        pe.clip
            .origin
            .written()
            .grade_id
            .clone()
            .unwrap_or_else(|| clip.clone()),
    );
    v.clip = Some(clip);
    v.reel = Some(reel_text(&pe.clip));
    v.event = Some(pe.clip.origin.id.clone());
    v
}

/// The clip name the timeline itself gives (an EDL's `* FROM CLIP NAME`,
/// an OTIO or FCP7 clip's name), if any.
fn timeline_clip_name(clip: &Clip) -> Option<String> {
    match &clip.media {
        Media::Named(n) => n.clip_name.clone(),
        Media::Sequence(s) => s.names.clip_name.clone(),
        _ => None,
    }
    .or_else(|| {
        (!clip.name.is_empty() && clip.origin.written().reel_text.is_none())
            .then(|| clip.name.clone())
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::reformat::{Filter, Order, Reposition, Resize};
    use crate::timeline::conform::{plan, MediaIndex};
    use crate::timeline::edl::parse_bytes;
    use crate::timeline::Rate;

    const EDL: &str = "TITLE: T
FCM: NON-DROP FRAME

001  A V C        01:00:00:00 01:00:00:02 10:00:00:00 10:00:00:02
002  B V C        02:00:00:00 02:00:00:02 10:00:00:02 10:00:00:04
003  A V C        01:00:00:02 01:00:00:02 10:00:00:04 10:00:00:04
003  B V D    002 02:00:00:02 02:00:00:04 10:00:00:04 10:00:00:06
";

    fn clip(reel: &str, start: i64, (width, height): (u32, u32), par: f64) -> SourceClip {
        SourceClip {
            pattern: Pattern::parse(&format!("/m/{reel}/{reel}.%04d.dpx")).unwrap(),
            reel: Some(reel.into()),
            clip_name: reel.into(),
            start_tc: start,
            first_frame: 1,
            last_frame: 100,
            gaps: Vec::new(),
            rate: Rate::FPS_24,
            header_rate: None,
            width,
            height,
            pixel_aspect: par,
        }
    }

    fn job(b: (u32, u32), b_par: f64, asked: Option<Format>) -> (Vec<FrameRecipe>, Format) {
        let r = Rate::FPS_24;
        let edl = parse_bytes(EDL.as_bytes(), Path::new("t.edl"), r).unwrap();
        let index = MediaIndex::new(vec![
            clip("A", r.parse_frames("01:00:00:00").unwrap(), (64, 36), 1.0),
            clip("B", r.parse_frames("02:00:00:00").unwrap(), b, b_par),
        ]);
        let p = plan(&edl, &index, &Default::default());
        let format = master_format(&p, asked);
        let master = Reformat {
            format,
            resize: Resize::Fit,
            filter: Filter::Lanczos3,
            source_par: None,
            crop: None,
            reposition: Reposition::default(),
            order: Order::BeforeGrade,
        };
        let out = Pattern::parse("/o/M.%07d.dpx").unwrap();
        let all: Vec<i64> = p.record.clone().collect();
        let opts = RecipeOptions {
            output: &out,
            shift: 0,
            master: &master,
            composite: Default::default(),
        };
        (recipes(edl.title.as_deref(), &p, &all, &opts).0, format)
    }

    fn reformats(r: &FrameRecipe) -> Vec<bool> {
        r.layers
            .iter()
            .map(|(l, _)| {
                matches!(
                    l,
                    Layer::Source {
                        reformat: Some(_),
                        ..
                    }
                )
            })
            .collect()
    }

    #[test]
    fn sources_of_the_master_format_pass_through() {
        let (recipes, format) = job((64, 36), 1.0, None);
        assert_eq!((format.width, format.height, format.par), (64, 36, 1.0));
        assert_eq!(recipes.len(), 6);
        for r in &recipes {
            assert!(reformats(r).iter().all(|&x| !x), "{r:?}");
            assert_eq!(r.black_size, (64, 36));
        }
    }

    #[test]
    fn the_first_event_sets_the_master_and_others_are_fitted_into_it() {
        let (recipes, format) = job((128, 54), 1.0, None);
        assert_eq!((format.width, format.height), (64, 36));
        assert_eq!(reformats(&recipes[0]), [false]);
        assert_eq!(reformats(&recipes[2]), [true]);
        // The dissolve mixes A (as it is) with B (fitted).
        assert_eq!(reformats(&recipes[4]), [false, true]);
        // A pixel aspect alone makes a source differ.
        let (recipes, _) = job((64, 36), 2.0, None);
        assert_eq!(reformats(&recipes[2]), [true]);
    }

    #[test]
    fn an_asked_format_reformats_every_source_of_another_size() {
        let hd = Format {
            width: 1920,
            height: 1080,
            par: 1.0,
        };
        let (recipes, format) = job((1920, 1080), 1.0, Some(hd));
        assert_eq!(format, hd);
        assert_eq!(reformats(&recipes[0]), [true]);
        assert_eq!(reformats(&recipes[2]), [false]);
        assert_eq!(recipes[0].black_size, (1920, 1080));
    }
}

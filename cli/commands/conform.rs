//! `grade conform`: EDL + source media -> graded master, and a report that
//! tells the truth about every event.
//!
//! Steps: read the EDL at `--fps`; index `--media`; match every video event
//! (engine `timeline::conform`); build one program per event (the `--pre`
//! files, then the shot's CDL from the EDL or `--grades`, then the grade
//! flags, which apply to every shot); turn the record frames selected by
//! `--frames/--chunk/--start/--end` into frame recipes (cuts, dissolves as a
//! mix of two graded sources, speed changes, freezes, black for gaps and BL);
//! render. Missing or ambiguous media fails the render with exit 1 unless
//! `--allow-missing`, which renders black for those frames and says so.

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::ArgMatches;
use grade_engine::color::{Cdl, CdlStyle};
use grade_engine::formats;
use grade_engine::grade::{Grade, Op, Program, Step};
use grade_engine::render::{FrameRecipe, Layer};
use grade_engine::timeline::conform::{MatchOptions, ScanOptions};
use grade_engine::timeline::{
    self, ConformPlan, MediaIndex, Picture, ProxyMap, Rate, RecordFrame, SideMatch,
};
use grade_engine::{Error, Metadata};
use regex::Regex;
use serde_json::json;

use super::render;
use crate::args::{CdlStyleArg, ConformArgs, GradeKeyArg};
use crate::{frames, steps, Outcome};

pub fn run(args: &ConformArgs, m: &ArgMatches) -> Result<Outcome> {
    let rate =
        Rate::parse(&args.fps).map_err(|e| Error::Usage(format!("--fps {}: {e}", args.fps)))?;
    let edl = timeline::parse_edl(&args.edl, rate)?;
    for w in &edl.warnings {
        if !args.run.quiet {
            match w.line {
                Some(l) => eprintln!("grade: warning: {}:{l}: {}", args.edl.display(), w.message),
                None => eprintln!("grade: warning: {}: {}", args.edl.display(), w.message),
            }
        }
    }
    let index = scan_media(args, rate)?;
    let proxy_map = match args.proxy_map.as_slice() {
        [] => None,
        [one] => Some(parse_proxy_map(one)?),
        _ => {
            return Err(
                Error::Usage("give --proxy-map once (a s/// rule or a CSV file)".into()).into(),
            )
        }
    };
    let opts = MatchOptions {
        handles: i64::from(args.handles),
        proxy_map,
        no_timecode_fallback: false,
    };
    let plan = timeline::plan(&edl, &index, &opts);

    // Programs: 0 = show-wide steps only; 1 + i = event i's shot grade too.
    let style = match args.grade.cdl_style {
        CdlStyleArg::Asc => CdlStyle::Asc,
        CdlStyleArg::NoClamp => CdlStyle::NoClamp,
    };
    let pre = Grade {
        steps: args
            .pre
            .iter()
            .map(|p| Step::File {
                path: p.clone(),
                select: None,
                interpolation: None,
                cdl_style: None,
                invert: false,
            })
            .collect(),
    }
    .compile()?;
    let post = steps::grade_from_args(&args.grade, m)?.compile()?;
    let corrections = match &args.grades {
        Some(path) => formats::cdl_xml::read_corrections(path)?,
        None => Vec::new(),
    };
    let mut shot_grades: Vec<(Option<Cdl>, String)> = Vec::new();
    let mut grade_problems = Vec::new();
    for pe in &plan.events {
        let ev = &edl.events[pe.edl_index];
        let (cdl, what) = shot_grade(args, ev, &corrections, style);
        if let Some(id) = &ev.cc_id {
            if cdl.is_none() {
                grade_problems.push(format!(
                    "event {} (line {}): *ASC_CC_XML {id} is not in {}",
                    pe.number,
                    pe.line,
                    args.grades
                        .as_deref()
                        .map_or("--grades (none given)".into(), |p| p.display().to_string())
                ));
            }
        }
        shot_grades.push((cdl, what));
    }
    let mut programs = vec![Program {
        ops: [pre.ops.clone(), post.ops.clone()].concat(),
    }
    .optimise()];
    for (cdl, _) in &shot_grades {
        let mut ops = pre.ops.clone();
        if let Some(c) = cdl {
            ops.push(Op::Cdl(c.clone()));
        }
        ops.extend(post.ops.iter().cloned());
        programs.push(Program { ops }.optimise());
    }

    // Record frames of this run.
    let all: Vec<i64> = plan.record.clone().collect();
    let selected = frames::select(&all, &args.run)?;
    let shift = args.start_frame.map_or(0, |s| s - plan.record.start);
    let output = match &args.output {
        Some(o) => Some(grade_engine::io::sequence::Pattern::parse(o)?),
        None if args.dry_run => None,
        None => {
            return Err(Error::Usage(
                "name the master with -o (e.g. master/R1.%07d.dpx), or use --dry-run".into(),
            )
            .into())
        }
    };

    let report = build_report(args, &edl, &plan, &shot_grades, output.as_ref(), shift);
    print_table(&report, args.run.quiet);
    if let Some(path) = &args.report {
        let text = serde_json::to_string_pretty(&report)?;
        std::fs::write(path, text + "\n").map_err(|e| Error::write(path, e))?;
    }
    let problems: Vec<String> = plan
        .problems()
        .map(|e| {
            plan.describe(
                plan.events
                    .iter()
                    .position(|x| std::ptr::eq(x, e))
                    .unwrap_or(0),
            )
        })
        .chain(grade_problems.iter().cloned())
        .collect();
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("grade: {}: {p}", args.edl.display());
        }
        if !args.allow_missing {
            eprintln!(
                "grade: {} event(s) cannot be conformed; nothing rendered (use --allow-missing to render black for them)",
                problems.len()
            );
            return Ok(Outcome::FramesFailed);
        }
        eprintln!(
            "grade: --allow-missing: rendering black for {} event(s)",
            problems.len()
        );
    }
    let Some(output) = output else {
        return Ok(Outcome::Ok);
    };
    if args.dry_run {
        return Ok(Outcome::Ok);
    }

    let black_size = plan
        .clips
        .first()
        .map_or((1920, 1080), |c| (c.width, c.height));
    let title = edl.title.clone();
    let event_of = |f: i64| -> Option<usize> {
        plan.events
            .iter()
            .rposition(|e| e.record_in <= f && f < e.record_out)
    };
    let layer = |p: Picture, program: usize| -> Layer {
        match p {
            Picture::Black => Layer::Black,
            Picture::Source { clip, file_frame } => Layer::Source {
                path: plan.clips[clip].path(file_frame),
                program,
            },
        }
    };
    let mut recipes = Vec::with_capacity(selected.len());
    let mut shot_of = Vec::with_capacity(selected.len());
    for &f in &selected {
        let ev = event_of(f);
        let program = ev.map_or(0, |e| e + 1);
        let layers = match plan.frame(f) {
            RecordFrame::Black | RecordFrame::Unavailable { .. } => vec![(Layer::Black, 1.0)],
            RecordFrame::Source { clip, file_frame } => {
                vec![(layer(Picture::Source { clip, file_frame }, program), 1.0)]
            }
            RecordFrame::Dissolve { a, b, weight } => {
                // The outgoing side keeps the grade of the event it came from.
                let a_program = ev.and_then(|e| e.checked_sub(1)).map_or(0, |prev| prev + 1);
                vec![
                    (layer(a, a_program), 1.0 - weight),
                    (layer(b, program), weight),
                ]
            }
        };
        let mut meta = Metadata {
            timecode: Some(plan.rate.to_timecode(f)),
            fps: Some(plan.rate.fps()),
            reel: title.clone(),
            project: title.clone(),
            ..Default::default()
        };
        meta.extra
            .insert("grade:record_frame".into(), f.to_string());
        recipes.push(FrameRecipe {
            number: f + shift,
            output: output.path(f + shift),
            layers,
            black_size,
            meta,
        });
        shot_of.push(
            ev.map(|e| plan.events[e].number.clone())
                .unwrap_or_else(|| "black".into()),
        );
    }
    render::render(&recipes, &output, &programs, &args.run, &args.out, &|i| {
        format!(
            "event {}",
            shot_of.get(i).map(String::as_str).unwrap_or("?")
        )
    })
}

fn parse_proxy_map(spec: &str) -> Result<ProxyMap> {
    let p = Path::new(spec);
    if spec.starts_with("s/") || !p.is_file() {
        Ok(ProxyMap::parse(spec)?)
    } else {
        Ok(ProxyMap::read_csv(p)?)
    }
}

/// Indexes `--media`, naming clips whose headers carry no reel by the
/// `--reel-from` rule.
fn scan_media(args: &ConformArgs, rate: Rate) -> Result<MediaIndex> {
    let index = MediaIndex::scan(
        &args.media,
        &ScanOptions {
            default_rate: Some(rate),
        },
    )?;
    let regex = match args.reel_from.as_str() {
        "folder" | "file" => None,
        r => Some(Regex::new(r).map_err(|e| Error::Usage(format!("--reel-from {r}: {e}")))?),
    };
    let mut clips = index.clips().to_vec();
    for c in &mut clips {
        if c.reel.is_some() {
            continue;
        }
        let first = c.path(c.first_frame);
        c.reel = match (&regex, args.reel_from.as_str()) {
            (Some(re), _) => re
                .captures(&first.to_string_lossy())
                .and_then(|cap| cap.get(1).or_else(|| cap.get(0)))
                .map(|m| m.as_str().to_string()),
            (None, "folder") => first
                .parent()
                .and_then(Path::file_name)
                .map(|n| n.to_string_lossy().into_owned()),
            _ => Some(c.clip_name.clone()),
        };
    }
    Ok(MediaIndex::new(clips))
}

/// The shot's CDL and a description of where it came from.
fn shot_grade(
    args: &ConformArgs,
    ev: &timeline::Event,
    corrections: &[Cdl],
    style: CdlStyle,
) -> (Option<Cdl>, String) {
    if let Some(c) = &ev.cdl {
        let cdl = Cdl {
            id: None,
            slope: c.slope,
            offset: c.offset,
            power: c.power,
            saturation: c.saturation.unwrap_or(1.0),
            style,
            direction: Default::default(),
        };
        return (Some(cdl), format!("*ASC_SOP (line {})", c.line));
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
    };
    if let Some(id) = &ev.cc_id {
        return match find(id) {
            Some(c) => (
                Some(Cdl { style, ..c.clone() }),
                format!("{id} from --grades"),
            ),
            None => (None, format!("{id} NOT FOUND")),
        };
    }
    if corrections.is_empty() {
        return (None, "none".into());
    }
    let key = match args.grade_key {
        GradeKeyArg::Clip => ev.name(),
        GradeKeyArg::Reel => ev.source.source.reel_text.clone(),
        GradeKeyArg::Event => ev.number_text.clone(),
    };
    match find(&key) {
        Some(c) => (
            Some(Cdl { style, ..c.clone() }),
            format!("{key} from --grades"),
        ),
        None => (None, "none".into()),
    }
}

fn build_report(
    args: &ConformArgs,
    edl: &timeline::Edl,
    plan: &ConformPlan,
    grades: &[(Option<Cdl>, String)],
    output: Option<&grade_engine::io::sequence::Pattern>,
    shift: i64,
) -> serde_json::Value {
    let rate = plan.rate;
    let tc = |f: i64| rate.to_timecode(f).to_string();
    let mut events = Vec::new();
    let (mut ok, mut missing, mut ambiguous, mut unsupported) = (0, 0, 0, 0);
    for (i, e) in plan.events.iter().enumerate() {
        let ev = &edl.events[e.edl_index];
        let (status, rule, clip, handles) = match (&e.unsupported, &e.source) {
            (Some(_), _) => ("unsupported", None, None, None),
            (
                None,
                SideMatch::Matched {
                    clip,
                    rule,
                    handles,
                },
            ) => (
                "ok",
                Some(rule.to_string()),
                plan.clips.get(*clip),
                Some(*handles),
            ),
            (None, SideMatch::Black) => ("ok", Some("black".into()), None, None),
            (None, SideMatch::Missing { .. }) => ("missing", None, None, None),
            (None, SideMatch::Ambiguous { .. }) => ("ambiguous", None, None, None),
            (None, SideMatch::Unsupported { .. }) => ("unsupported", None, None, None),
        };
        let status = if status == "ok" && e.from.as_ref().is_some_and(|f| !f.is_renderable()) {
            "missing"
        } else {
            status
        };
        match status {
            "ok" => ok += 1,
            "missing" => missing += 1,
            "ambiguous" => ambiguous += 1,
            _ => unsupported += 1,
        }
        let mid = (e.record_in + e.record_out - 1) / 2;
        let thumb_source = match plan.frame(mid) {
            RecordFrame::Source { clip, file_frame } => {
                plan.clips.get(clip).map(|c| c.path(file_frame))
            }
            RecordFrame::Dissolve {
                b: Picture::Source { clip, file_frame },
                ..
            } => plan.clips.get(clip).map(|c| c.path(file_frame)),
            _ => None,
        };
        let thumb_master: Option<PathBuf> = output.map(|o| o.path(mid + shift));
        events.push(json!({
            "event": e.number,
            "line": e.line,
            "edit": format!("{:?}", ev.edit),
            "reel": ev.source.source.reel_text,
            "clip_name": ev.name(),
            "record_in": tc(e.record_in),
            "record_out": tc(e.record_out),
            "record_frames": [e.record_in, e.record_out],
            "source_in": ev.source.source_in.text,
            "source_out": ev.source.source_out.text,
            "speed": ev.source.speed.as_ref().map(|s| s.fps),
            "freeze": ev.source.freeze,
            "transition_frames": e.transition,
            "status": status,
            "match": rule,
            "source_clip": clip.map(|c| c.clip_name.clone()),
            "source_pattern": clip.map(|c| c.pattern.to_string()),
            "source_frames": clip.map(|c| [c.first_frame, c.last_frame]),
            "handles": handles.map(|h| [h.before, h.after]),
            "grade": grades.get(i).map(|g| g.1.clone()),
            "detail": plan.describe(i),
            "thumbnail_source": thumb_source,
            "thumbnail_master": thumb_master,
        }));
    }
    json!({
        "edl": args.edl,
        "title": edl.title,
        "rate": rate.to_string(),
        "record_in": tc(plan.record.start),
        "record_out": tc(plan.record.end),
        "record_frames": [plan.record.start, plan.record.end],
        "clips_indexed": plan.clips.len(),
        "events": events,
        "totals": {
            "events": plan.events.len(),
            "ok": ok,
            "missing": missing,
            "ambiguous": ambiguous,
            "unsupported": unsupported,
            "frames": plan.record.end - plan.record.start,
        },
        "warnings": edl.warnings.iter().map(|w| json!({"line": w.line, "message": w.message})).collect::<Vec<_>>(),
    })
}

fn print_table(report: &serde_json::Value, quiet: bool) {
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("-").to_string();
    if !quiet {
        eprintln!(
            "{:<6} {:<11} {:<11} {:<20} {:<10} {:<24} {:<10} {:<18} source",
            "event", "rec in", "rec out", "clip", "status", "match", "handles", "grade"
        );
        for e in report["events"].as_array().into_iter().flatten() {
            let handles = e["handles"]
                .as_array()
                .map(|h| format!("{}/{}", h[0], h[1]))
                .unwrap_or_else(|| "-".into());
            eprintln!(
                "{:<6} {:<11} {:<11} {:<20} {:<10} {:<24} {:<10} {:<18} {}",
                s(&e["event"]),
                s(&e["record_in"]),
                s(&e["record_out"]),
                s(&e["clip_name"]).chars().take(20).collect::<String>(),
                s(&e["status"]),
                s(&e["match"]).chars().take(24).collect::<String>(),
                handles,
                s(&e["grade"]).chars().take(18).collect::<String>(),
                s(&e["source_pattern"]),
            );
        }
    }
    let t = &report["totals"];
    eprintln!(
        "grade: conform: {} events: {} ok, {} missing, {} ambiguous, {} unsupported; {} record frames {}-{}",
        t["events"], t["ok"], t["missing"], t["ambiguous"], t["unsupported"], t["frames"],
        s(&report["record_in"]),
        s(&report["record_out"])
    );
}

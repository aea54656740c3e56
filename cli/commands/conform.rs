//! `grade conform`: EDL + source media -> graded master, and a report that
//! tells the truth about every event.
//!
//! Steps: read the EDL at `--fps`; index `--media`; match every video event
//! (engine `timeline::conform`); build one program per event (the `--pre`
//! files, then the shot's CDL from the EDL or `--grades`, then the grade
//! flags, which apply to every shot: engine `timeline::job`); choose the
//! master format (`--format`, else the first event's source format) and fit
//! every other source into it; report (engine `timeline::report`); turn the
//! record frames selected by `--frames/--chunk/--start/--end` into frame
//! recipes (cuts, dissolves as a mix of two graded sources, speed changes,
//! freezes, black for gaps and BL); render. Missing or ambiguous media fails the render with exit 1 unless
//! `--allow-missing`, which renders black for those frames and says so.

use std::path::Path;

use anyhow::Result;
use clap::ArgMatches;
use grade_engine::formats;
use grade_engine::grade::{Grade, Step};
use grade_engine::io::write_text_atomically;
use grade_engine::ops::CdlStyle;
use grade_engine::reformat::SourceGeometry;
use grade_engine::timeline::conform::{Composite, MatchOptions, ScanOptions};
use grade_engine::timeline::job::{self, GradeKey, RecipeOptions, ShotGrade};
use grade_engine::timeline::read::{Loaded, ReadOptions, TimelineKind};
use grade_engine::timeline::report::{ConformReport, ReportInputs};
use grade_engine::timeline::{self, MediaIndex, ProxyMap, Rate, SideMatch};
use grade_engine::timeline::{export_otio, trace};
use grade_engine::Error;
use regex::Regex;

use grade_engine::io::template::Values;

use super::render;
use crate::args::{CdlStyleArg, CompositeArg, ConformArgs, GradeKeyArg};
use crate::deliver;
use crate::{frames, reformat, steps, Outcome};

pub fn run(args: &ConformArgs, m: &ArgMatches) -> Result<Outcome> {
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
    let (loaded, index) = load(args, &opts)?;
    if let Some(w) = index.unreadable_warning() {
        eprintln!("grade: warning: {w}");
    }
    if !args.run.quiet {
        for w in &loaded.info.warnings {
            match w.line {
                Some(l) => eprintln!("grade: warning: {}:{l}: {}", args.edl.display(), w.message),
                None => eprintln!("grade: warning: {}: {}", args.edl.display(), w.message),
            }
        }
    }
    let plan = timeline::conform::plan_timeline(&loaded.timeline, loaded.rate, &index, &opts);
    let title = loaded.info.title.as_deref();

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
    let key = match args.grade_key {
        GradeKeyArg::Clip => GradeKey::Clip,
        GradeKeyArg::Reel => GradeKey::Reel,
        GradeKeyArg::Event => GradeKey::Event,
    };
    let shot_grades: Vec<ShotGrade> = plan
        .events
        .iter()
        .map(|pe| job::shot_grade(&pe.clip, &corrections, key, style))
        .collect();
    let grade_problems: Vec<String> = plan
        .events
        .iter()
        .zip(&shot_grades)
        .filter_map(|(pe, g)| {
            let id = g.missing_id.as_ref()?;
            Some(format!(
                "event {} (line {}): *ASC_CC_XML {id} is not in {}",
                pe.number,
                pe.line,
                args.grades
                    .as_deref()
                    .map_or("--grades (none given)".into(), |p| p.display().to_string())
            ))
        })
        .collect();
    let programs = job::programs(&pre, &post, &shot_grades);
    // The sequence's own format (FCP7 XML) when no --format is asked.
    let asked = reformat::asked_format(&args.reformat)?.or_else(|| {
        loaded
            .timeline
            .format
            .map(|f| grade_engine::reformat::Format {
                width: f.width,
                height: f.height,
                par: f.pixel_aspect,
            })
    });
    let master = reformat::from_args(&args.reformat, job::master_format(&plan, asked))?;
    for e in &plan.events {
        if let SideMatch::Matched { clip, .. } = &e.source {
            reformat::check(&master, SourceGeometry::of_clip(&plan.clips[*clip]))?;
        }
    }

    // Record frames of this run.
    let all: Vec<i64> = plan.record.clone().collect();
    let selected = frames::select(&all, &args.run)?;
    let shift = args.start_frame.map_or(0, |s| s - plan.record.start);
    let template = args
        .output
        .as_deref()
        .map(|o| deliver::template(o, &args.deliver))
        .transpose()?;
    let values_of = |f: i64| {
        let base = template.as_ref().map(|t| t.1.clone()).unwrap_or_default();
        Values {
            version: base.version,
            date: base.date,
            ..job::names(&plan, f)
        }
    };
    let output = match &template {
        Some((t, _)) => Some(t.pattern(
            &values_of(selected.first().copied().unwrap_or(plan.record.start)),
            args.deliver.keep_names,
            &mut Default::default(),
        )?),
        None if args.dry_run => None,
        None => {
            return Err(Error::Usage(
                "name the master with -o (e.g. master/R1.%07d.dpx), or use --dry-run".into(),
            )
            .into())
        }
    };

    let composite = match args.composite {
        CompositeArg::Top => Composite::Top,
        CompositeArg::Over => Composite::Over,
    };
    let grades: Vec<String> = shot_grades.iter().map(|g| g.source.clone()).collect();
    let report = ConformReport::build(
        &loaded.info,
        &plan,
        &ReportInputs {
            grades: &grades,
            output: output.as_ref(),
            shift,
            master: Some(&master),
            composite,
        },
    );
    if !args.run.quiet {
        eprint!("{}", report.table());
        for e in &report.events {
            for w in &e.warnings {
                let at = match e.line {
                    0 => args.edl.display().to_string(),
                    n => format!("{}:{n}", args.edl.display()),
                };
                eprintln!("grade: warning: {at}: event {}: {w}", e.event);
            }
        }
    }
    eprintln!("grade: {}", report.summary_line());
    if let Some(path) = &args.report {
        let text = serde_json::to_string_pretty(&report)?;
        write_text_atomically(path, &(text + "\n"))?;
    }
    if let Some(path) = &args.export_otio {
        let cdls: Vec<_> = shot_grades.iter().map(|g| g.cdl.clone()).collect();
        write_text_atomically(path, &export_otio::export(&plan, title, &cdls))?;
    }
    if let Some(path) = &args.trace {
        write_text_atomically(
            path,
            &trace::to_json_lines(&trace::trace(&plan, &selected, composite)),
        )?;
    }
    let problems: Vec<String> = (0..plan.events.len())
        .filter(|&i| !plan.events[i].is_renderable())
        .map(|i| plan.describe(i))
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

    let (mut recipes, shot_of) = job::recipes(
        title,
        &plan,
        &selected,
        &RecipeOptions {
            output: &output,
            shift,
            master: &master,
            composite,
        },
    );
    if let Some((t, _)) = template.as_ref().filter(|(t, _)| t.varies()) {
        deliver::name_outputs(
            &mut recipes,
            t,
            args.deliver.keep_names,
            args.run.quiet,
            &|i| Ok(values_of(selected[i])),
        )?;
    }
    let delivery = render::Delivery {
        run: &args.run,
        out: &args.out,
        review: &args.review,
        deliver: &args.deliver,
        ocio_config: args.grade.ocio_config.as_ref(),
        matches: m,
        output: args.output.as_deref().unwrap_or_default(),
    };
    render::render_delivering(
        &delivery,
        (&recipes, &output, &programs),
        &|| Ok(plan.rate),
        &|i| {
            format!(
                "event {}",
                shot_of.get(i).map(String::as_str).unwrap_or("?")
            )
        },
    )
}

fn parse_proxy_map(spec: &str) -> Result<ProxyMap> {
    let p = Path::new(spec);
    if spec.starts_with("s/") || !p.is_file() {
        Ok(ProxyMap::parse(spec)?)
    } else {
        Ok(ProxyMap::read_csv(p)?)
    }
}

/// The timeline, read at the conform rate (`--fps`; else an OTIO or FCP7
/// timeline's own rate; else, for an EDL, the rate the matched sources'
/// headers agree on), and the media index read at it.
fn load(args: &ConformArgs, opts: &MatchOptions) -> Result<(Loaded, MediaIndex)> {
    let mut read_opts = ReadOptions {
        rate: None,
        media_reference: args.media_reference.clone(),
    };
    if let Some(fps) = &args.fps {
        let rate = Rate::parse(fps).map_err(|e| Error::Usage(format!("--fps {fps}: {e}")))?;
        read_opts.rate = Some(rate);
        let loaded = timeline::read::read(&args.edl, &read_opts)?;
        return Ok((loaded, scan_media(args, Some(rate))?));
    }
    let bytes = std::fs::read(&args.edl).map_err(|e| Error::read(&args.edl, e))?;
    if TimelineKind::of(&bytes, &args.edl).has_rate() {
        let loaded = timeline::read::read(&args.edl, &read_opts)?;
        let index = scan_media(args, Some(loaded.rate))?;
        return Ok((loaded, index));
    }
    let index = scan_media(args, None)?;
    let choice = timeline::rates::agreed_rate(&bytes, &args.edl, &index, opts);
    if choice.warning {
        eprintln!("grade: warning: {}: {}", args.edl.display(), choice.note);
    } else if !args.run.quiet {
        eprintln!("grade: {}: {}", args.edl.display(), choice.note);
    }
    read_opts.rate = Some(choice.rate);
    let loaded = timeline::read::read(&args.edl, &read_opts)?;
    // Clips with no rate in their header take the conform rate.
    if choice.rate != Rate::FPS_24 && index.clips().iter().any(|c| c.header_rate.is_none()) {
        return Ok((loaded, scan_media(args, Some(choice.rate))?));
    }
    Ok((loaded, index))
}

/// Indexes `--media`, naming clips whose headers carry no reel by the
/// `--reel-from` rule.
fn scan_media(args: &ConformArgs, default_rate: Option<Rate>) -> Result<MediaIndex> {
    let index = MediaIndex::scan(&args.media, &ScanOptions { default_rate })?;
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
    Ok(MediaIndex::new(clips).with_unreadable(index.unreadable().to_vec()))
}

//! `grade apply`: grade a frame or a sequence.

use anyhow::{bail, Context, Result};
use clap::ArgMatches;
use grade_engine::io::sequence::{self, Pattern};
use grade_engine::io::template::Token;
use grade_engine::reformat::SourceGeometry;
use grade_engine::render::{FrameRecipe, Layer};
use grade_engine::timeline::Rate;
use grade_engine::Metadata;

use super::render;
use crate::args::ApplyArgs;
use crate::deliver;
use crate::{frames, reformat, steps, Outcome};

pub fn run(args: &ApplyArgs, m: &ArgMatches) -> Result<Outcome> {
    let grade = steps::grade_from_args(&args.grade, m)?;
    let program = grade.compile()?.optimise();

    let input = Pattern::parse(&args.input).with_context(|| format!("input {}", args.input))?;
    let (template, mut values) = deliver::template(&args.output, &args.deliver)?;
    let clip = input.prefix.trim_end_matches(['.', '_', '-']).to_string();
    values.clip = Some(clip.clone());
    values.shot = Some(clip);
    let available: Vec<i64> = if !input.is_single() {
        let seq = sequence::discover(&input)?;
        if seq.frames.is_empty() {
            bail!(grade_engine::Error::read(
                input.path(0),
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no frames of this sequence found"
                )
            ));
        }
        seq.frames.clone()
    } else {
        let p = input.path(0);
        if !p.is_file() {
            return Err(grade_engine::Error::read(
                &p,
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            )
            .into());
        }
        vec![0]
    };
    let selected = frames::select(&available, &args.run)?;
    let tokens = template.tokens();
    let first_input = input.path(selected.first().copied().unwrap_or(available[0]));
    if tokens.contains(&Token::Reel) || tokens.contains(&Token::Tc) {
        let meta = grade_engine::io::read_info(&first_input)?.meta;
        values.reel = meta.reel;
        values.tc = meta.timecode;
    }
    let output = template
        .pattern(&values, args.deliver.keep_names, &mut Default::default())
        .with_context(|| format!("output {}", args.output))?;
    // A {tc} in the name gives every frame its own file.
    if output.is_single()
        && !tokens.contains(&Token::Tc)
        && !input.is_single()
        && available.len() > 1
    {
        bail!(
            "the input is a sequence of {} frames but the output {} is a single file: use a pattern like out.####.exr",
            available.len(),
            args.output
        );
    }
    // Output numbers follow the input's, or start at --start-frame counted
    // from the sequence's first frame on disk (not the chunk's), so every
    // chunk numbers its frames the same way.
    let shift = args.start_frame.map_or(0, |s| s - available[0]);
    let reformat = match reformat::asked(&args.reformat) {
        false => None,
        true => {
            let first = input.path(selected.first().copied().unwrap_or(available[0]));
            let info = grade_engine::io::read_info(&first)?;
            let src = SourceGeometry {
                width: info.width,
                height: info.height,
                par: info.meta.pixel_aspect.unwrap_or(1.0),
            };
            let format = match reformat::asked_format(&args.reformat)? {
                Some(f) => f,
                None => reformat::default_format(&args.reformat, src)?,
            };
            let r = reformat::from_args(&args.reformat, format)?;
            reformat::check(&r, src)?;
            Some(r)
        }
    };
    let mut recipes: Vec<FrameRecipe> = selected
        .iter()
        .map(|&f| FrameRecipe {
            number: f + shift,
            output: output.path(f + shift),
            layers: vec![(
                Layer::Source {
                    path: input.path(f),
                    program: 0,
                    reformat: reformat.clone(),
                },
                1.0,
            )],
            black_size: (0, 0),
            over: Vec::new(),
            meta: Metadata::default(),
        })
        .collect();
    if template.varies() {
        // {tc} is each source frame's own timecode.
        deliver::name_outputs(
            &mut recipes,
            &template,
            args.deliver.keep_names,
            args.run.quiet,
            &|i| {
                let mut v = values.clone();
                if tokens.contains(&Token::Tc) {
                    v.tc = grade_engine::io::read_info(&input.path(selected[i]))?
                        .meta
                        .timecode;
                }
                Ok(v)
            },
        )?;
    }
    let label = input.to_string();
    let delivery = render::Delivery {
        run: &args.run,
        out: &args.out,
        review: &args.review,
        deliver: &args.deliver,
        ocio_config: args.grade.ocio_config.as_ref(),
        matches: m,
        output: &args.output,
    };
    // The review movie's rate: the first source frame's, else 24.
    let rate = || {
        let first = input.path(selected.first().copied().unwrap_or(available[0]));
        let fps = grade_engine::io::read_info(&first)
            .ok()
            .and_then(|i| i.meta.fps);
        fps.and_then(Rate::from_fps)
            .or_else(|| Rate::from_fps(24.0))
            .ok_or_else(|| anyhow::anyhow!("no frame rate for the review movie"))
    };
    render::render_delivering(&delivery, (&recipes, &output, &[program]), &rate, &|_| {
        label.clone()
    })
}

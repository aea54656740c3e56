//! The deliverable flags of `apply` and `conform`: QC (`--qc`,
//! `--qc-fail`), a checksum manifest of the output folder (`--mhl`,
//! `--mhl-hash`) and naming templates (`--version`, `--keep-names`); the
//! sinks they add to the render and what is printed after it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use clap::Args;
use grade_engine::farm::stage::{self, HashPart, Hashed, QcPart};
use grade_engine::io::template::{Template, Values};
use grade_engine::io::{BitDepth, Format, WriteOptions};
use grade_engine::mhl::{HashFormat, MhlSink};
use grade_engine::qc::{Check, Levels, QcSink, Thresholds};
use grade_engine::render::{FrameRecipe, Sink};
use grade_engine::Error;

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Deliverables: QC, checksum manifest, names")]
pub struct DeliverArgs {
    /// Check every rendered frame (NaN/Inf, clipping, black, duplicate, flash frames) and the written sequence (missing, short files, size/depth changes, timecode, names); write the report as JSON.
    #[arg(long, value_name = "FILE.json")]
    pub qc: Option<PathBuf>,
    /// QC checks whose findings fail the job (exit 1), e.g. nan,missing,black; `none` for none (default: any finding of severity fail). Runs QC without --qc too.
    #[arg(long, value_name = "CHECKS", value_delimiter = ',')]
    pub qc_fail: Vec<String>,
    /// The output is video range: QC checks the legal range (64-940 in 10-bit codes) and black sits at 64.
    #[arg(long)]
    pub qc_video_range: bool,
    /// Seal the output folder with an ASC MHL generation when the job ends (frames hashed as they are written).
    #[arg(long)]
    pub mhl: bool,
    /// Hash format of the manifest.
    #[arg(long, value_name = "FORMAT", default_value = "xxh128", value_parser = ["xxh128", "md5", "sha1", "xxh64", "xxh3", "c4"])]
    pub mhl_hash: String,
    /// The value of {version} in the output template.
    #[arg(long, value_name = "N")]
    pub version: Option<u32>,
    /// Keep characters outside [A-Za-z0-9._-] in clip and reel names put into file names by template tokens (default: `_`, with a warning).
    #[arg(long)]
    pub keep_names: bool,
}

/// `grade qc`: check frames already on disk.
#[derive(Debug, Args)]
pub struct QcArgs {
    /// A sequence (plate.####.dpx, plate.%07d.exr), one frame, or a folder of sequences.
    pub target: String,
    /// Write the report (per-frame statistics and findings) as JSON.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Checks whose findings fail (exit 1), e.g. nan,missing,black; `none` for none (default: any finding of severity fail).
    #[arg(long, value_name = "CHECKS", value_delimiter = ',')]
    pub qc_fail: Vec<String>,
    /// The frames are video range: check the legal range (64-940 in 10-bit codes); black sits at 64.
    #[arg(long)]
    pub video_range: bool,
}

/// The checks `--qc-fail` names; `None` when it is not given.
pub fn qc_fail(names: &[String]) -> Result<Option<Vec<Check>>> {
    if names.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for name in names {
        match name.trim() {
            "none" => {}
            "all" => out.extend(Check::ALL),
            n => out.push(Check::from_name(n).ok_or_else(|| {
                let known: Vec<&str> = Check::ALL.iter().map(|c| c.name()).collect();
                Error::Usage(format!(
                    "--qc-fail {n}: no such check (known: {}, all, none)",
                    known.join(", ")
                ))
            })?),
        }
    }
    Ok(Some(out))
}

/// The sinks of a render, kept so that their results can be printed.
#[derive(Default)]
pub struct Deliver {
    qc: Option<Arc<QcSink>>,
    mhl: Option<Arc<MhlSink>>,
    target: String,
    qc_json: Option<PathBuf>,
    qc_fail: Option<Vec<String>>,
}

impl Deliver {
    /// The QC and MHL sinks `args` ask for over `recipes`, written with
    /// `write`; `target` names the output in the report. `staged`: a chunk
    /// of a farm job, whose QC statistics and digests are kept for `grade
    /// farm finalize` ([`Deliver::parts`]) instead of a report and a
    /// generation.
    pub fn new(
        args: &DeliverArgs,
        recipes: &[FrameRecipe],
        write: &WriteOptions,
        target: &str,
        staged: bool,
    ) -> Result<Deliver> {
        let mut d = Deliver::default();
        let fail_on = qc_fail(&args.qc_fail)?;
        if args.qc.is_some() || fail_on.is_some() {
            let depth = match write.depth {
                Some(d) => d,
                None => match recipes.first().map(|r| Format::from_path(&r.output)) {
                    Some(Ok(Format::Exr)) => BitDepth::Half,
                    _ => BitDepth::U16,
                },
            };
            let sink = QcSink::new(
                target,
                recipes,
                Levels::of_depth(depth, args.qc_video_range),
                Thresholds::default(),
                args.qc.clone(),
                fail_on,
            );
            d.qc = Some(Arc::new(if staged { sink.staged() } else { sink }));
        }
        if args.mhl {
            let format = HashFormat::from_name(&args.mhl_hash).unwrap_or(HashFormat::Xxh128);
            let sink = MhlSink::new(&common_folder(recipes), format);
            d.mhl = Some(Arc::new(if staged { sink.staged() } else { sink }));
        }
        d.target = target.to_string();
        d.qc_json = args.qc.clone();
        d.qc_fail = (!args.qc_fail.is_empty()).then(|| args.qc_fail.clone());
        Ok(d)
    }

    /// In the order they must run: QC, then the manifest last (it lists
    /// what the others wrote when they finished).
    pub fn sinks(&self) -> Vec<Arc<dyn Sink>> {
        let mut v: Vec<Arc<dyn Sink>> = Vec::new();
        if let Some(q) = &self.qc {
            v.push(q.clone());
        }
        if let Some(m) = &self.mhl {
            v.push(m.clone());
        }
        v
    }

    /// A staged chunk's QC part and hash list (each master's size and
    /// modification time read now, just after the render wrote it).
    pub fn parts(&self) -> (Option<QcPart>, Option<HashPart>) {
        let qc = self.qc.as_ref().map(|q| QcPart {
            target: self.target.clone(),
            json: self.qc_json.clone(),
            fail_on: self.qc_fail.clone(),
            files: q.files().to_vec(),
            frames: q.measured(),
        });
        let hashes = self.mhl.as_ref().map(|m| {
            let folder = stage::absolute(m.folder());
            let files = m
                .known()
                .into_iter()
                .filter_map(|(rel, (size, digest))| {
                    let (now, modified) = stage::size_and_time(&folder.join(&rel))?;
                    (now == size).then_some((
                        rel,
                        Hashed {
                            size,
                            modified,
                            digest,
                        },
                    ))
                })
                .collect();
            HashPart {
                folder,
                format: m.format().name().to_string(),
                files,
            }
        });
        (qc, hashes)
    }

    /// Prints the QC table and the manifest written.
    pub fn print(&self, quiet: bool) {
        if let Some(r) = self.qc.as_ref().and_then(|q| q.report()) {
            if !quiet || !r.findings.is_empty() {
                eprint!("{}", r.table());
            }
        }
        if let Some(m) = &self.mhl {
            if let Some(c) = m.created() {
                eprintln!(
                    "grade: ASC MHL generation {:04}: {} files ({} verified, {} new; {} hashed as written), {}",
                    c.generation,
                    c.files,
                    c.verified,
                    c.new.len(),
                    m.hashed_while_writing(),
                    c.manifest.display()
                );
            }
        }
    }
}

/// The folder holding every output of the job.
pub fn common_folder(recipes: &[FrameRecipe]) -> PathBuf {
    let parent = |p: &Path| -> PathBuf {
        match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        }
    };
    let mut common = recipes
        .first()
        .map_or_else(|| PathBuf::from("."), |r| parent(&r.output));
    for r in recipes {
        let dir = parent(&r.output);
        while !dir.starts_with(&common) {
            match common.parent() {
                Some(up) if !up.as_os_str().is_empty() => common = up.to_path_buf(),
                _ => return PathBuf::from("."),
            }
        }
    }
    common
}

/// The output template of `-o`, with today's date and `--version` in its
/// values.
pub fn template(text: &str, args: &DeliverArgs) -> Result<(Template, Values)> {
    let t = Template::parse(text)?;
    let today = grade_engine::mhl::iso_date(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64),
    );
    let values = Values {
        version: args.version,
        date: Some(today[..10].replace('-', "")),
        ..Default::default()
    };
    Ok((t, values))
}

/// Sets each recipe's output from `template` and the values `of(index)`
/// gives it; prints each changed name once.
pub fn name_outputs(
    recipes: &mut [FrameRecipe],
    template: &Template,
    keep_names: bool,
    quiet: bool,
    of: &dyn Fn(usize) -> Result<Values>,
) -> Result<()> {
    let mut warnings = BTreeSet::new();
    for (i, r) in recipes.iter_mut().enumerate() {
        r.output = template.path(&of(i)?, r.number, keep_names, &mut warnings)?;
    }
    if !quiet {
        for w in warnings {
            eprintln!("grade: warning: {w}");
        }
    }
    Ok(())
}

//! Command-line arguments (clap derive). Nothing outside `cli/` sees these
//! types: `commands/` turns them into engine jobs once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::deliver::{DeliverArgs, QcArgs};

const EXIT_CODES: &str = "\
Exit codes:
  0    everything done
  1    some frames failed (the summary lists them)
  2    bad input or usage (the message names the file and line), an output that is an input
  3    environment: no GPU for --backend gpu, output folder not writable, output volume full
  70   internal error: a bug in grade (please report it)
  130  interrupted by SIGINT (Ctrl-C); 143 terminated by SIGTERM";

#[derive(Debug, Parser)]
#[command(
    name = "grade",
    version,
    about = "Colour grading and conform for DPX, OpenEXR and TIFF frame sequences",
    long_about = "Colour grading and conform for DPX, OpenEXR and TIFF frame sequences.\n\n\
        Applies ASC CDL grades, primary corrections and 1D/3D LUTs on the GPU or the CPU, \
        and conforms CMX3600 EDLs cut on proxies back to source frames.",
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Grade frames or frame sequences: steps apply in the order written.
    #[command(after_help = APPLY_EXAMPLES)]
    Apply(Box<ApplyArgs>),
    /// Conform a timeline (CMX3600 EDL, OpenTimelineIO, FCP7 XML) to source media and render a graded master.
    #[command(after_help = CONFORM_EXAMPLES)]
    Conform(Box<ConformArgs>),
    /// Describe a frame or a sequence: format, size, bit depth, timecode, reel, range, gaps.
    #[command(after_help = PROBE_EXAMPLES)]
    Probe(ProbeArgs),
    /// Inspect and convert LUTs.
    #[command(subcommand)]
    Lut(Box<LutCommand>),
    /// Render-farm helpers.
    #[command(subcommand)]
    Farm(FarmCommand),
    /// List the built-in colour spaces usable with --from / --to.
    Transforms,
    /// OpenColorIO configs: list colour spaces, looks, displays and views.
    #[command(subcommand)]
    Ocio(OcioCommand),
    /// Generate demo media, conform and grade it to a 16-bit master, and report.
    Demo(DemoArgs),
    /// ASC MHL v2 checksum manifests: seal a folder, verify it.
    #[command(subcommand)]
    Mhl(MhlCommand),
    /// Quality control of frames on disk: missing, short, NaN, black, duplicate and flash frames, size, depth and timecode changes.
    Qc(QcArgs),
}

const APPLY_EXAMPLES: &str = "\
Examples:
  grade apply -i A001C003.exr --cdl A001C003.cc -o graded.exr
  grade apply -i 'A001C003.####.exr' --cdl shots.ccc#A001C003 --lut look.cube -o 'graded/A001C003.####.tif' --depth 16
  grade apply -i 'plate.%07d.dpx' --exposure 0.5 --slope 1.1 1 0.9 --sat 0.8 -o 'out.%07d.dpx' --frames 1001-1048
  grade apply -i in.exr --lut log_to_709.cube --invert -o back_to_log.exr
  grade apply -i 'plate.####.dpx' --lut show.cube -o 'out/plate.####.dpx' --chunk 2/8 --skip-existing --progress openjd";

const CONFORM_EXAMPLES: &str = "\
Examples:
  grade conform reel1.edl --media /scans --grades reel1.ccc --lut show.cube -o 'master/R1.%07d.dpx'
  grade conform reel1.edl --media /scans --proxy-map 's/_proxy$//' --dry-run --report reel1.json
  grade conform reel1.edl --media /scans --fps 23.976 --handles 8 --allow-missing -o 'master/R1.%07d.dpx' --frames 86400-86447";

const PROBE_EXAMPLES: &str = "\
Examples:
  grade probe A001C003.0001001.exr
  grade probe 'scans/R1.%07d.dpx' --json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CdlStyleArg {
    /// ASC CDL v1.2: clamp to [0,1] (OpenColorIO CDL_ASC).
    Asc,
    /// No clamping; negatives pass through the power (OpenColorIO CDL_NO_CLAMP).
    NoClamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InterpArg {
    Tetrahedral,
    Trilinear,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum CompositeArg {
    /// The top-most clip wins; a clip smaller than the frame shows black around it.
    #[default]
    Top,
    /// Each track alpha-over the tracks below, with its source's alpha (transparent outside a placed clip).
    Over,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BackendArg {
    /// A real GPU if there is one, else the CPU (software GPUs are slower than the CPU path).
    Auto,
    Gpu,
    Cpu,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DepthArg {
    #[value(name = "8")]
    U8,
    #[value(name = "10")]
    U10,
    #[value(name = "12")]
    U12,
    #[value(name = "16")]
    U16,
    Half,
    Float,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EndianArg {
    Big,
    Little,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressArg {
    /// A progress bar on a terminal, nothing otherwise.
    Auto,
    /// `openjd_progress: N` and `openjd_status: ...` lines (Open Job Description).
    Openjd,
    /// One JSON object per finished frame on stdout.
    Json,
    /// No progress output.
    None,
}

/// The grade steps shared by `apply`, `conform` and `lut convert`. They
/// apply in the order written on the command line.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Grade steps (applied in the order written)")]
pub struct GradeArgs {
    /// An ASC CDL file (.cc, .ccc, .cdl); FILE#ID picks one correction by id.
    #[arg(long, value_name = "FILE[#ID]")]
    pub cdl: Vec<String>,
    /// Built-in colour space conversion from NAME (paired with --to); see `grade transforms`.
    #[arg(long, value_name = "NAME")]
    pub from: Vec<String>,
    /// Built-in colour space conversion to NAME (paired with --from).
    #[arg(long, value_name = "NAME")]
    pub to: Vec<String>,
    /// Inline CDL slope (one value for all channels, or R G B).
    #[arg(long, num_args = 1..=3, value_name = "R G B", allow_negative_numbers = true)]
    pub slope: Vec<f64>,
    /// Inline CDL offset.
    #[arg(long, num_args = 1..=3, value_name = "R G B", allow_negative_numbers = true)]
    pub offset: Vec<f64>,
    /// Inline CDL power.
    #[arg(long, num_args = 1..=3, value_name = "R G B", allow_negative_numbers = true)]
    pub power: Vec<f64>,
    /// Inline CDL saturation.
    #[arg(long, value_name = "S", allow_negative_numbers = true)]
    pub sat: Vec<f64>,
    /// A LUT or transform file: .cube .3dl .spi1d .spi3d .spimtx .csp .clf, or a CDL file.
    #[arg(long, value_name = "FILE")]
    pub lut: Vec<PathBuf>,
    /// Exposure in stops.
    #[arg(long, value_name = "STOPS", allow_negative_numbers = true)]
    pub exposure: Vec<f64>,
    /// Contrast about a pivot (default pivot 0.18): V or V:PIVOT.
    #[arg(long, value_name = "V[:PIVOT]")]
    pub contrast: Vec<String>,
    /// Lift (one value or R G B).
    #[arg(long, num_args = 1..=3, value_name = "R G B", allow_negative_numbers = true)]
    pub lift: Vec<f64>,
    /// Gamma (one value or R G B).
    #[arg(long, num_args = 1..=3, value_name = "R G B", allow_negative_numbers = true)]
    pub gamma: Vec<f64>,
    /// Gain (one value or R G B).
    #[arg(long, num_args = 1..=3, value_name = "R G B", allow_negative_numbers = true)]
    pub gain: Vec<f64>,
    /// Saturation with Rec.709 luma weights.
    #[arg(long, value_name = "S", allow_negative_numbers = true)]
    pub saturation: Vec<f64>,
    /// OpenColorIO colour space conversion in the config: FROM:TO.
    #[arg(long, value_name = "FROM:TO")]
    pub colorspace: Vec<String>,
    /// OpenColorIO look(s) (a, +b, -c as OCIO writes them); without FROM:TO
    /// the look runs in its process space (the pixels are taken to be in it).
    #[arg(long, value_name = "NAME[:FROM:TO]")]
    pub look: Vec<String>,
    /// OpenColorIO display and view, from colour space FROM (default: the scene_linear role).
    #[arg(long, value_name = "DISPLAY:VIEW[:FROM]")]
    pub display: Vec<String>,
    /// Any file OpenColorIO reads, applied through its FileTransform.
    #[arg(long, value_name = "FILE")]
    pub ocio_file: Vec<PathBuf>,
    /// Invert the step written just before this flag.
    // Appended (not counted) so that clap keeps the position of every
    // occurrence: each --invert applies to the step before it.
    #[arg(long, action = clap::ArgAction::Append, num_args = 0, default_missing_value = "true")]
    pub invert: Vec<bool>,
    /// OpenColorIO config for --colorspace, --look and --display (default: $OCIO).
    #[arg(long, value_name = "FILE", help_heading = "Grade options")]
    pub ocio_config: Option<PathBuf>,
    /// CDL style for every CDL step.
    #[arg(
        long,
        value_enum,
        default_value = "asc",
        help_heading = "Grade options"
    )]
    pub cdl_style: CdlStyleArg,
    /// 3D LUT interpolation for every LUT step (default: the file's own: a
    /// CLF LUT3D's interpolation attribute, trilinear without one;
    /// tetrahedral for .cube, .3dl, .spi3d and .csp).
    #[arg(long, value_enum, help_heading = "Grade options")]
    pub interp: Option<InterpArg>,
}

/// Reformat: fit sources of any size and pixel aspect into one output
/// format. Runs before the grade unless --reformat-after.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Reformat (before the grade unless --reformat-after)")]
pub struct ReformatArgs {
    /// Output format: WxH[:PAR] or hd, uhd, 2k, 4k, 2k-flat, 4k-flat, 2k-scope, 4k-scope.
    /// Conform's default is the first event's source format.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// How a source of another shape fills the format: fit (whole picture, black bars),
    /// fill (cover, centre-cropped), width, height, stretch, none (1:1 pixels) [default: fit].
    #[arg(long, value_name = "MODE")]
    pub resize: Option<String>,
    /// Resampling filter: lanczos3, mitchell, catmull-rom, bilinear, box, nearest [default: lanczos3].
    #[arg(long, value_name = "FILTER")]
    pub filter: Option<String>,
    /// Source pixel aspect, overriding the file's (2.0, 1.8, 1.5, 1.3 for anamorphic scans).
    #[arg(long, value_name = "PAR", allow_negative_numbers = true)]
    pub source_par: Option<f64>,
    /// Crop X,Y,W,H in source pixels, applied first.
    #[arg(long, value_name = "X,Y,W,H")]
    pub crop: Option<String>,
    /// Reposition: scale the fitted picture about the frame centre.
    #[arg(long, value_name = "S", allow_negative_numbers = true)]
    pub scale: Option<f64>,
    /// Reposition: move the fitted picture by X Y output pixels (right, down).
    #[arg(long, num_args = 2, value_names = ["X", "Y"], allow_negative_numbers = true)]
    pub translate: Vec<f64>,
    /// Reposition: rotate the fitted picture by DEGREES (anticlockwise) about the frame centre.
    #[arg(long, value_name = "DEGREES", allow_negative_numbers = true)]
    pub rotate: Option<f64>,
    /// Reformat after the grade instead of before it (grades then see source pixels).
    #[arg(long)]
    pub reformat_after: bool,
}

/// How outputs are written.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Output bit depth (default: DPX 16, TIFF 16, EXR half).
    #[arg(long, value_enum)]
    pub depth: Option<DepthArg>,
    /// DPX byte order.
    #[arg(long, value_enum, default_value = "big")]
    pub dpx_endian: EndianArg,
    /// EXR compression: none, rle, zips, zip, piz, pxr24, b44, b44a, dwaa, dwab.
    #[arg(long, default_value = "zip")]
    pub exr_compression: String,
    /// Create missing output folders.
    #[arg(long)]
    pub create_dirs: bool,
    /// Skip outputs that are already whole frames of this job (format, size, depth, channels, every byte); render empty, truncated or foreign ones again, with a warning.
    #[arg(long)]
    pub skip_existing: bool,
    /// Refuse to overwrite existing outputs.
    #[arg(long, conflicts_with = "skip_existing")]
    pub no_clobber: bool,
    /// Allow outputs that are the job's own input files (same path, hard link or symbolic link); refused otherwise.
    #[arg(long)]
    pub overwrite_input: bool,
}

/// Frame selection, chunking and progress for farm and terminal use.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Frames, chunks and progress")]
pub struct RunArgs {
    /// Frames to render: 1001-1100, 1001,1005,1010-1020, 1-100x2.
    #[arg(long, value_name = "SET")]
    pub frames: Option<String>,
    /// Render chunk K of N (1-based, contiguous), e.g. --chunk $SLURM_ARRAY_TASK_ID/8.
    #[arg(long, value_name = "K/N")]
    pub chunk: Option<String>,
    /// Write this run's review segment, QC part and hash list to the staging folder beside the
    /// output folder, for `grade farm finalize` (implied by --chunk when the job has deliverables).
    #[arg(long)]
    pub stage: bool,
    /// First frame to render (OpenCue #FRAME_START#).
    #[arg(long, allow_negative_numbers = true)]
    pub start: Option<i64>,
    /// Last frame to render (OpenCue #FRAME_END#).
    #[arg(long, allow_negative_numbers = true)]
    pub end: Option<i64>,
    /// auto (GPU if a real one exists), gpu or cpu.
    #[arg(long, value_enum, default_value = "auto")]
    pub backend: BackendArg,
    /// Worker threads for the CPU backend (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Progress output.
    #[arg(long, value_enum, default_value = "auto")]
    pub progress: ProgressArg,
    /// Only errors and the final summary line.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print per-stage timings (read, upload, kernel, download, write).
    ///
    /// Milliseconds per frame. On the GPU, kernel is the compute pass as the
    /// GPU timed it where the device has timestamp queries, otherwise the
    /// time the grade stage waited for it; grade is the grade stage's own
    /// time, so frames overlapping on the GPU are not counted twice.
    #[arg(long)]
    pub stats: bool,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Input frame or sequence: plate.####.dpx, plate.%04d.exr, plate.@@@@.tif, or one file.
    #[arg(short, long, value_name = "IN")]
    pub input: String,
    /// Output frame or sequence pattern; the format follows the extension.
    #[arg(short, long, value_name = "OUT")]
    pub output: String,
    /// Number the first output frame N (default: output numbers follow the input's).
    #[arg(long, allow_negative_numbers = true)]
    pub start_frame: Option<i64>,
    #[command(flatten)]
    pub grade: GradeArgs,
    #[command(flatten)]
    pub reformat: ReformatArgs,
    #[command(flatten)]
    pub out: OutputArgs,
    #[command(flatten)]
    pub review: crate::review::ReviewArgs,
    #[command(flatten)]
    pub deliver: DeliverArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Args)]
pub struct ConformArgs {
    /// The cut: a CMX3600 EDL, an OpenTimelineIO .otio / .otioz or a Final Cut
    /// Pro 7 XML (recognised by content, then extension).
    #[arg(value_name = "TIMELINE")]
    pub edl: PathBuf,
    /// Folders to index for source frames (DPX, EXR, TIFF sequences).
    #[arg(long, required = true)]
    pub media: Vec<PathBuf>,
    /// Output master pattern, e.g. master/R1.%07d.dpx (not needed with --dry-run).
    #[arg(short, long)]
    pub output: Option<String>,
    /// Frame rate of the EDL's timecode: 23.976 24 25 29.97 30 47.952 48 50 59.94 60
    /// (default: an OTIO or FCP7 timeline's own rate; for an EDL the rate the
    /// matched sources' headers agree on, else 24).
    #[arg(long)]
    pub fps: Option<String>,
    /// OpenTimelineIO: use each clip's media reference of this key (e.g. a
    /// camera original beside the proxy) instead of its active one.
    #[arg(long, value_name = "KEY")]
    pub media_reference: Option<String>,
    /// Write, for every record frame, the layers it uses (source file and
    /// frame, weight, program) as JSON: diffable between two runs.
    #[arg(long, value_name = "FILE.json")]
    pub trace: Option<PathBuf>,
    /// Write the resolved conform as OpenTimelineIO, its clips pointing at
    /// the matched source frames (written with --dry-run too).
    #[arg(long, value_name = "FILE.otio")]
    pub export_otio: Option<PathBuf>,
    /// How the tracks of a frame make its picture: top (the top-most clip
    /// wins, black around a clip smaller than the frame) or over (each track
    /// alpha-over the ones below with its source's alpha; a source without
    /// alpha is opaque inside its placed picture, transparent outside it).
    #[arg(long, value_enum, default_value_t, value_name = "MODE")]
    pub composite: CompositeArg,
    /// Per-shot grades: a .ccc or .cdl looked up by *ASC_CC_XML id, else by --grade-key.
    #[arg(long, value_name = "FILE")]
    pub grades: Option<PathBuf>,
    /// How shots find their correction in --grades when the EDL names no id.
    #[arg(long, value_enum, default_value = "clip")]
    pub grade_key: GradeKeyArg,
    /// Show-wide steps applied to every shot before its own grade (LUT or CDL files).
    #[arg(long, value_name = "FILE")]
    pub pre: Vec<PathBuf>,
    /// Map proxy names to source names: s/REGEX/REPLACEMENT/ or a CSV of proxy,source.
    #[arg(long, value_name = "RULE")]
    pub proxy_map: Vec<String>,
    /// Reel name for sources whose headers carry none: folder, file, or a regex with one group.
    #[arg(long, default_value = "folder")]
    pub reel_from: String,
    /// Frames of handle a source must have beyond the event.
    #[arg(long, default_value_t = 0)]
    pub handles: u32,
    /// Render black for missing or ambiguous events instead of failing.
    #[arg(long)]
    pub allow_missing: bool,
    /// Number the first master frame N (default: from record timecode).
    #[arg(long, allow_negative_numbers = true)]
    pub start_frame: Option<i64>,
    /// Resolve everything and write only the report.
    #[arg(long)]
    pub dry_run: bool,
    /// Write the conform report as JSON.
    #[arg(long, value_name = "FILE.json")]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub grade: GradeArgs,
    #[command(flatten)]
    pub reformat: ReformatArgs,
    #[command(flatten)]
    pub out: OutputArgs,
    #[command(flatten)]
    pub review: crate::review::ReviewArgs,
    #[command(flatten)]
    pub deliver: DeliverArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GradeKeyArg {
    Clip,
    Reel,
    Event,
}

#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// A frame file or a sequence pattern.
    pub path: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub enum LutCommand {
    /// Print a LUT's kind, size, domain and ops.
    Info { file: PathBuf },
    /// Bake LUTs and grade steps into one Resolve .cube.
    #[command(
        after_help = "Examples:\n  grade lut convert look.clf look.cube --size 65\n  grade lut convert --cdl shot.cc --lut show.3dl baked.cube"
    )]
    Convert {
        /// Input LUT/CDL files, applied in order before any grade steps.
        inputs: Vec<PathBuf>,
        /// The .cube to write (last positional argument, or -o).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Lattice size of the baked 3D LUT.
        #[arg(long, default_value_t = 33)]
        size: usize,
        /// Title written into the .cube (default: the inputs and grade steps, in order).
        #[arg(long)]
        title: Option<String>,
        #[command(flatten)]
        grade: GradeArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum OcioCommand {
    /// Show a config's colour spaces (family, description), roles, looks, displays and views.
    List {
        /// The config (default: $OCIO).
        #[arg(long, value_name = "FILE")]
        ocio_config: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum MhlCommand {
    /// Hash every file of FOLDER into a new generation of FOLDER/ascmhl/.
    #[command(
        after_help = "Exit codes: 0 sealed; 1 files recorded earlier are mismatched or missing (listed); 2 no such folder or a broken manifest"
    )]
    Create {
        folder: PathBuf,
        /// Hash format of the new generation (files recorded earlier are also checked in theirs).
        #[arg(long, value_name = "FORMAT", default_value = "xxh128", value_parser = ["xxh128", "md5", "sha1", "xxh64", "xxh3", "c4"])]
        hash: String,
    },
    /// Check FOLDER against its ASC MHL history.
    #[command(
        after_help = "Exit codes: 0 intact; 1 mismatched, missing or new files (listed); 2 no such folder, no history or a broken manifest"
    )]
    Verify { folder: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum FarmCommand {
    /// Write an Open Job Description template that renders a grade job in chunks.
    #[command(
        after_help = "Example:\n  grade farm openjd --chunk-size 10 -o job.yaml -- apply -i 'plate.####.dpx' --lut show.cube -o 'out/plate.####.dpx'"
    )]
    Openjd {
        /// Frames per task.
        #[arg(long, default_value_t = 10)]
        chunk_size: u32,
        /// The template to write.
        #[arg(short, long)]
        output: PathBuf,
        /// Frame range of the job (default: the input sequence's, or the conform's record range).
        #[arg(long)]
        frames: Option<String>,
        /// The grade command to run: apply ... or conform ...
        #[arg(last = true, required = true)]
        command: Vec<String>,
    },
    /// Write a Slurm array script that renders a grade job in chunks, one task each.
    #[command(after_help = crate::commands::farm::slurm::EXAMPLES)]
    Slurm(crate::commands::farm::slurm::SlurmArgs),
    /// Join a chunked job's deliverables: the review segments, QC parts and hash lists its chunks staged beside the output folder.
    #[command(
        after_help = "Example:\n  grade farm finalize 'master/R1.%07d.dpx'\n\nExit codes: 0 joined; 1 chunks not complete (listed; nothing changed), QC findings that fail the job, or files the manifest found changed; 2 no staging folder or a broken part; 3 ffmpeg missing or a write failed"
    )]
    Finalize {
        /// The job's output pattern (master/R1.%07d.dpx) or the output folder.
        output: String,
        /// The job's frames (output frame numbers): frames no chunk rendered are missing.
        #[arg(long, value_name = "SET")]
        frames: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Folder for the demo media, master and report.
    #[arg(long, default_value = "demo")]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value = "auto")]
    pub backend: BackendArg,
}

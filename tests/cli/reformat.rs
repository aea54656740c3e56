//! Reformat through the binary: `apply --format` against OpenImageIO's
//! `oiiotool` on a real photograph (OpenEXR's Carrots.exr, see
//! tests/data/public/PROVENANCE.md), a conform that mixes a 2K DPX, a UHD
//! EXR and a 2x anamorphic DPX into one UHD master, the same conform on the
//! GPU and the CPU, and the flags' bad values.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use grade_engine::io::{self, BitDepth, WriteOptions};
use grade_engine::testcard::test_card;
use grade_engine::testutil::{in_ci, oiio_read, reference_python};
use grade_engine::SmpteTimecode;

use crate::common::{data, grade, run};

/// `oiiotool` beside the reference Python, or `None` outside CI when the
/// reference environment is absent.
fn oiiotool() -> Option<PathBuf> {
    let py = reference_python()?;
    let tool = py.parent()?.join("oiiotool");
    if !tool.exists() {
        assert!(!in_ci(), "oiiotool missing beside {}", py.display());
        eprintln!("skipped: no oiiotool beside {}", py.display());
        return None;
    }
    Some(tool)
}

fn oiio(tool: &Path, args: &[&str]) {
    let out = Command::new(tool)
        .args(args)
        .output()
        .expect("run oiiotool");
    assert!(
        out.status.success(),
        "oiiotool {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Mean, 99th percentile and largest absolute difference.
fn diff_stats(a: impl Iterator<Item = (f32, f32)>) -> (f64, f64, f64) {
    let mut d: Vec<f64> = a.map(|(x, y)| f64::from((x - y).abs())).collect();
    d.sort_by(f64::total_cmp);
    let mean = d.iter().sum::<f64>() / d.len().max(1) as f64;
    let p99 = d[(d.len() * 99 / 100).min(d.len() - 1)];
    (mean, p99, *d.last().unwrap_or(&0.0))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn fit_to_hd_matches_oiiotool_resize_on_a_photograph() {
    let Some(tool) = oiiotool() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let carrots = data("public/openexr-images/ScanLines/Carrots.exr");
    let uhd = d.join("uhd.0001.exr");
    oiio(
        &tool,
        &[
            s(&carrots),
            "--resize:filter=lanczos3",
            "3840x2160",
            "-d",
            "float",
            "-o",
            s(&uhd),
        ],
    );
    let out = run(grade()
        .args(["apply", "--backend", "cpu", "-i"])
        .arg(d.join("uhd.####.exr"))
        .args(["--format", "hd", "--resize", "fit", "--filter", "lanczos3"])
        .args(["--depth", "float", "-o"])
        .arg(d.join("hd.####.exr")));
    assert_eq!(out.status.code(), Some(0));
    let reference = d.join("ref.exr");
    oiio(
        &tool,
        &[
            s(&uhd),
            "--resize:filter=lanczos3",
            "1920x1080",
            "-d",
            "float",
            "-o",
            s(&reference),
        ],
    );
    let ours = io::read_frame(&d.join("hd.0001.exr")).unwrap();
    let Some(theirs) = oiio_read(&reference) else {
        return;
    };
    assert_eq!((ours.width, ours.height), (1920, 1080));
    assert_eq!(
        (theirs.width, theirs.height, theirs.channels),
        (1920, 1080, 4)
    );
    let (mean, p99, max) = diff_stats(ours.pixels.iter().copied().zip(theirs.pixels));
    eprintln!(
        "UHD -> HD lanczos3 against oiiotool: mean |diff| {mean:.3e}, p99 {p99:.3e}, max {max:.3e}"
    );
    assert!(mean <= 1e-3 && p99 <= 1e-2, "mean {mean}, p99 {p99}");
}

#[test]
fn scope_fitted_into_uhd_matches_oiiotool_fit_with_black_bars() {
    let Some(tool) = oiiotool() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let carrots = data("public/openexr-images/ScanLines/Carrots.exr");
    let scope = d.join("scope.0001.exr");
    oiio(
        &tool,
        &[
            s(&carrots),
            "--resize:filter=lanczos3",
            "4096x1716",
            "-d",
            "float",
            "-o",
            s(&scope),
        ],
    );
    let out = run(grade()
        .args(["apply", "--backend", "cpu", "-i"])
        .arg(d.join("scope.####.exr"))
        .args([
            "--format", "uhd", "--resize", "fit", "--depth", "float", "-o",
        ])
        .arg(d.join("uhd.####.exr")));
    assert_eq!(out.status.code(), Some(0));
    let reference = d.join("ref.exr");
    oiio(
        &tool,
        &[
            s(&scope),
            "--fit:filter=lanczos3:exact=1",
            "3840x2160",
            "-d",
            "float",
            "-o",
            s(&reference),
        ],
    );
    let ours = io::read_frame(&d.join("uhd.0001.exr")).unwrap();
    let Some(theirs) = oiio_read(&reference) else {
        return;
    };
    assert_eq!((ours.width, ours.height), (3840, 2160));
    assert_eq!((theirs.width, theirs.height), (3840, 2160));
    // 4096 -> 3840 is a scale of 0.9375: the picture is 1608.75 rows tall,
    // from row 275.625 to row 1884.375.
    let (top, bottom) = (275.625f64, 1884.375f64);
    let row = |f: &[f32], ch: usize, y: usize| -> Vec<f32> {
        (0..3840)
            .flat_map(|x| (0..3).map(move |c| (x, c)))
            .map(|(x, c)| f[(y * 3840 + x) * ch + c])
            .collect()
    };
    let inside = (top.ceil() as usize + 4)..(bottom.floor() as usize - 4);
    let pairs = inside.clone().flat_map(|y| {
        row(&ours.pixels, 4, y)
            .into_iter()
            .zip(row(&theirs.pixels, theirs.channels, y))
    });
    let (mean, p99, max) = diff_stats(pairs);
    eprintln!(
        "4096x1716 fit into UHD against oiiotool --fit:exact=1, rows {inside:?}: mean |diff| {mean:.3e}, p99 {p99:.3e}, max {max:.3e}"
    );
    assert!(mean <= 1e-3 && p99 <= 1e-2, "mean {mean}, p99 {p99}");
    let bars = (0..top.floor() as usize - 4).chain(bottom.ceil() as usize + 4..2160);
    for y in bars {
        assert!(
            row(&ours.pixels, 4, y).iter().all(|&v| v == 0.0),
            "row {y} of the letterbox is not black"
        );
    }
}

/// The conform of the mixed-format test: three reels, each frame a test
/// card carrying its frame number.
const MIXED_EDL: &str = "TITLE: MIXED FORMATS
FCM: NON-DROP FRAME

001  REEL_2K  V     C        10:00:00:00 10:00:00:02 01:00:00:00 01:00:00:02
002  REEL_UHD V     C        11:00:00:00 11:00:00:02 01:00:00:02 01:00:00:04
003  REEL_UHD V     C        11:00:00:02 11:00:00:02 01:00:00:04 01:00:00:04
003  REEL_ANA V     D    002 12:00:00:00 12:00:00:03 01:00:00:04 01:00:00:07
";

/// Source reels: (name, extension, width, height, pixel aspect, hours).
const REELS: [(&str, &str, u32, u32, f64, u8); 3] = [
    ("REEL_2K", "dpx", 2048, 1080, 1.0, 10),
    ("REEL_UHD", "exr", 3840, 2160, 1.0, 11),
    // A 2x anamorphic full-aperture scan: 3656x1556 once desqueezed.
    ("REEL_ANA", "dpx", 1828, 1556, 2.0, 12),
];

/// The media of the mixed-format conform, written once for this test
/// binary.
fn mixed_media() -> &'static Path {
    static MEDIA: OnceLock<tempfile::TempDir> = OnceLock::new();
    MEDIA
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            for (name, ext, w, h, par, hours) in REELS {
                let folder = dir.path().join("media").join(name);
                std::fs::create_dir_all(&folder).unwrap();
                let opts = WriteOptions {
                    depth: Some(if ext == "dpx" {
                        BitDepth::U10
                    } else {
                        BitDepth::Half
                    }),
                    ..Default::default()
                };
                for k in 0..4u8 {
                    let n = 1001 + i64::from(k);
                    let mut f = test_card(w, h, n, [1.0, 0.9, 0.8]);
                    f.meta.reel = Some(name.into());
                    f.meta.fps = Some(24.0);
                    f.meta.pixel_aspect = (par != 1.0).then_some(par);
                    f.meta.timecode = Some(SmpteTimecode {
                        hours,
                        minutes: 0,
                        seconds: 0,
                        frames: k,
                        drop_frame: false,
                    });
                    let path = folder.join(format!("{name}.{n:07}.{ext}"));
                    io::write_frame(&path, &f, &opts).unwrap();
                }
            }
            std::fs::write(dir.path().join("mixed.edl"), MIXED_EDL).unwrap();
            dir
        })
        .path()
}

fn conform_mixed(out: &Path, extra: &[&str]) -> std::process::Output {
    let media = mixed_media();
    run(grade()
        .arg("conform")
        .arg(media.join("mixed.edl"))
        .arg("--media")
        .arg(media.join("media"))
        .arg("--report")
        .arg(out.join("report.json"))
        .arg("--create-dirs")
        .args(extra))
}

#[test]
fn a_conform_of_mixed_formats_writes_every_frame_in_the_master_format() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let master = d.join("master");
    let out = conform_mixed(
        d,
        &[
            "--format",
            "uhd",
            "--backend",
            "cpu",
            "--depth",
            "10",
            "-o",
            s(&master.join("M.%07d.dpx")),
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let mut frames: Vec<PathBuf> = std::fs::read_dir(&master)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    frames.sort();
    assert_eq!(frames.len(), 7, "01:00:00:00 to 01:00:00:07");
    for f in &frames {
        let info = io::read_info(f).unwrap();
        assert_eq!((info.width, info.height), (3840, 2160), "{}", f.display());
    }
    // The 2K event is fitted: 2048x1080 x 1.875 = 3840x2025, bars of 67.5
    // rows; the anamorphic one, desqueezed to 3656x1556 then x 1.0503, has
    // bars of about 263 rows.
    let first = io::read_frame(&frames[0]).unwrap();
    let last = io::read_frame(&frames[6]).unwrap();
    let row_max = |f: &grade_engine::Frame, y: u32| {
        (0..f.width)
            .map(|x| f.pixel(x, y)[..3].iter().copied().fold(0.0f32, f32::max))
            .fold(0.0f32, f32::max)
    };
    assert_eq!(row_max(&first, 60), 0.0, "2K event: letterbox at row 60");
    assert!(row_max(&first, 80) > 0.0, "2K event: picture at row 80");
    assert_eq!(
        row_max(&last, 250),
        0.0,
        "anamorphic event: letterbox at row 250"
    );
    assert!(
        row_max(&last, 280) > 0.0,
        "anamorphic event: picture at row 280"
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["master_format"]["width"], 3840);
    let events = report["events"].as_array().unwrap();
    let scale = |i: usize| events[i]["reformat"]["scale_x"].as_f64();
    assert_eq!(scale(0), Some(1.875), "{}", events[0]);
    assert!(events[1]["reformat"].is_null(), "UHD passes through");
    // Event 003 dissolves from the UHD reel into the anamorphic one.
    assert_eq!(events[2]["source_format"]["pixel_aspect"], 2.0);
    // Desqueezed to 3656x1556, then fitted: 3840 / 3656 vertically, twice
    // that across each squeezed source pixel.
    let fit = 3840.0 / 3656.0;
    let ana_y = events[2]["reformat"]["scale_y"].as_f64().unwrap();
    assert!((ana_y - fit).abs() < 1e-9, "{}", events[2]);
    assert!(
        (scale(2).unwrap() - 2.0 * fit).abs() < 1e-9,
        "{}",
        events[2]
    );
    assert_eq!(report["totals"]["reformatted"], 2);
}

#[test]
fn gpu_and_cpu_masters_of_a_reformatted_conform_are_identical() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut masters = Vec::new();
    for backend in ["cpu", "gpu"] {
        let master = d.join(backend);
        let out = conform_mixed(
            d,
            &[
                "--format",
                "960x540",
                "--backend",
                backend,
                "--slope",
                "1.1",
                "--power",
                "0.9",
                "--depth",
                "16",
                "-o",
                s(&master.join("M.%07d.tif")),
            ],
        );
        let stderr = String::from_utf8_lossy(&out.stderr).to_lowercase();
        if backend == "gpu" && !out.status.success() && stderr.contains("adapter") {
            assert!(!in_ci(), "no GPU adapter: under CI=true this is a failure");
            eprintln!("skipped: no GPU adapter");
            return;
        }
        assert_eq!(out.status.code(), Some(0), "{backend}");
        masters.push(master);
    }
    let mut compared = 0;
    for k in 0..7 {
        let name = format!("M.{:07}.tif", 86400 + k);
        let a = io::read_frame(&masters[0].join(&name)).unwrap();
        let b = io::read_frame(&masters[1].join(&name)).unwrap();
        assert_eq!((a.width, a.height), (960, 540));
        let differ = a
            .pixels
            .iter()
            .zip(&b.pixels)
            .filter(|(x, y)| x.to_bits() != y.to_bits())
            .count();
        assert_eq!(
            differ, 0,
            "{name}: {differ} samples differ between GPU and CPU"
        );
        compared += a.pixels.len();
    }
    eprintln!("GPU vs CPU reformatted conform: 0 of {compared} samples differ");
}

#[test]
fn bad_reformat_values_exit_2_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    io::write_frame(
        &d.join("in.exr"),
        &test_card(64, 36, 1, [1.0; 3]),
        &WriteOptions::default(),
    )
    .unwrap();
    for (args, flag) in [
        (&["--format", "0x1080"][..], "--format"),
        (&["--format", "foo"], "--format"),
        (&["--format", "1920x1080:0"], "--format"),
        (&["--source-par", "0"], "--source-par"),
        (&["--source-par", "-2"], "--source-par"),
        (&["--crop", "10,10,100,20"], "--crop"),
        (&["--crop", "a,b"], "--crop"),
        (&["--format", "hd", "--scale", "1e6"], "--scale"),
        (&["--resize", "squash"], "--resize"),
        (&["--filter", "gauss9"], "--filter"),
    ] {
        let out = run(grade()
            .args(["apply", "--backend", "cpu", "-i"])
            .arg(d.join("in.exr"))
            .args(args)
            .arg("-o")
            .arg(d.join("out.exr")));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(flag), "{args:?} does not name {flag}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(!d.join("out.exr").exists());
    }
    let out = run(grade()
        .args(["apply", "-i"])
        .arg(d.join("in.exr"))
        .args(["--format", "hdd", "-o"])
        .arg(d.join("out.exr")));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("hd"),
        "an unknown name lists the nearest: {err}"
    );
}

//! Review movies through the binary, checked with ffmpeg's own tools:
//! ffprobe for codec, profile, size, rate, frame count, timecode and colour
//! tags; a decode for errors; a decoded frame against ffmpeg's own
//! correctly-tagged BT.709 4:2:2 encode of the master frame; and the ways a
//! review can fail (a bad token, no ffmpeg, ffmpeg dying mid-way).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use grade_engine::io::{self, BitDepth, WriteOptions};
use grade_engine::testutil::in_ci;
use grade_engine::{Frame, SmpteTimecode};

use crate::common::{files, grade, run, stderr, subdir};

const W: u32 = 320;
const H: u32 = 180;

/// `name` (ffmpeg or ffprobe) on PATH; `None` (skip) outside CI when it is
/// missing, a failure under CI=true.
pub(crate) fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|d| d.join(name))
        .find(|p| p.is_file());
    if found.is_none() {
        let msg = format!("{name} is not on PATH (scripts/setup installs it)");
        assert!(!in_ci(), "{msg}; under CI=true this is a failure");
        eprintln!("skipped: {msg}");
    }
    found
}

/// Smooth pictures (a review's 4:2:2 chroma has no sharp edge to blur),
/// each frame a little different, with a header timecode from `tc`.
fn sources(dir: &Path, first: i64, count: i64, fps: f64, tc: SmpteTimecode) {
    for k in 0..count {
        let mut f = Frame::new(W, H);
        for y in 0..H {
            for x in 0..W {
                let i = ((y * W + x) * 4) as usize;
                let (u, v) = (x as f32 / W as f32, y as f32 / H as f32);
                f.pixels[i] = 0.1 + 0.8 * u;
                f.pixels[i + 1] = 0.15 + 0.7 * v + 0.01 * k as f32;
                f.pixels[i + 2] = 0.5 + 0.35 * (6.0 * u).sin() * (4.0 * v).cos();
            }
        }
        f.meta.fps = Some(fps);
        let mut t = tc;
        t.frames += k as u8;
        f.meta.timecode = Some(t);
        f.meta.reel = Some("A001".into());
        let opts = WriteOptions {
            depth: Some(BitDepth::U16),
            ..Default::default()
        };
        io::write_frame(
            &dir.join(format!("A001C003.{:07}.dpx", first + k)),
            &f,
            &opts,
        )
        .unwrap();
    }
}

fn tc(h: u8, drop_frame: bool) -> SmpteTimecode {
    SmpteTimecode {
        hours: h,
        drop_frame,
        ..Default::default()
    }
}

/// ffprobe's streams and format of `movie`, as JSON.
fn probe(ffprobe: &Path, movie: &Path) -> serde_json::Value {
    let out = Command::new(ffprobe)
        .args([
            "-v",
            "error",
            "-show_streams",
            "-show_format",
            "-of",
            "json",
        ])
        .arg(movie)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn video(p: &serde_json::Value) -> &serde_json::Value {
    p["streams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["codec_type"] == "video")
        .expect("a video stream")
}

/// The movie's timecode as ffprobe reports it (the tmcd track's tag).
fn timecode(p: &serde_json::Value) -> String {
    p["streams"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|s| s["tags"]["timecode"].as_str())
        .unwrap_or_default()
        .to_string()
}

/// `ffmpeg -v error -xerror -i movie -f null -`: decodes with no error.
fn decodes_cleanly(ffmpeg: &Path, movie: &Path) {
    let out = Command::new(ffmpeg)
        .args(["-v", "error", "-xerror", "-i"])
        .arg(movie)
        .args(["-f", "null", "-"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && err.trim().is_empty(), "{err}");
}

/// The first frame of `input` as yuv422p10le words, through ffmpeg.
fn planes(ffmpeg: &Path, input: &Path, convert: &[&str]) -> Vec<u16> {
    let out = Command::new(ffmpeg)
        .args(["-v", "error", "-i"])
        .arg(input)
        .args(convert)
        .args([
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "yuv422p10le",
            "-",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
        .chunks_exact(2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .collect()
}

fn apply(dir: &Path, out: &str, extra: &[&str]) -> std::process::Output {
    run(grade()
        .current_dir(dir)
        .args([
            "apply",
            "-i",
            "src/A001C003.#######.dpx",
            "--saturation",
            "0.9",
        ])
        .args([
            "-o",
            out,
            "--depth",
            "16",
            "--backend",
            "cpu",
            "--create-dirs",
        ])
        .args(extra))
}

#[test]
fn prores_hq_review_is_the_master_in_bt709_with_timecode_and_tags() {
    let (Some(ffmpeg), Some(ffprobe)) = (tool("ffmpeg"), tool("ffprobe")) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    sources(&subdir(dir, "src"), 1001, 6, 24.0, tc(1, false));
    let with = apply(
        dir,
        "with/M.####.dpx",
        &[
            "--review",
            "with/review.mov",
            "--burn",
            "bl:{tc} {clip}",
            "--burn",
            "br:{frame}",
        ],
    );
    assert_eq!(with.status.code(), Some(0));
    let without = apply(dir, "without/M.####.dpx", &[]);
    assert_eq!(without.status.code(), Some(0));
    // The master's bytes do not depend on the review.
    let (a, b) = (files(&dir.join("with")), files(&dir.join("without")));
    for (name, bytes) in &b {
        assert!(a.get(name) == Some(bytes), "{name} differs with --review");
    }
    assert_eq!(
        a.len(),
        b.len() + 1,
        "the masters and the movie, nothing else: {:?}",
        a.keys()
    );

    let movie = dir.join("with/review.mov");
    let p = probe(&ffprobe, &movie);
    let v = video(&p);
    assert_eq!(v["codec_name"], "prores");
    assert_eq!(v["codec_tag_string"], "apch");
    assert_eq!(v["profile"], "HQ");
    assert_eq!(
        (v["width"].as_u64(), v["height"].as_u64()),
        (Some(320), Some(180))
    );
    assert_eq!(v["r_frame_rate"], "24/1");
    assert_eq!(v["nb_frames"], "6");
    assert_eq!(v["pix_fmt"], "yuv422p10le");
    for (key, want) in [
        ("color_space", "bt709"),
        ("color_transfer", "bt709"),
        ("color_primaries", "bt709"),
        ("color_range", "tv"),
    ] {
        assert_eq!(v[key], want, "{key}");
    }
    assert_eq!(timecode(&p), "01:00:00:00");
    decodes_cleanly(&ffmpeg, &movie);

    // The ProRes frame headers carry the tags too (prores_ks writes
    // "unspecified" unless told): the first frame's header (SMPTE RDD 36:
    // frame size, "icpf", then the frame header whose bytes 14-16 are the
    // colour primaries, transfer and matrix) holds 1, 1, 1, BT.709's codes.
    let raw = dir.join("review.prores");
    let out = Command::new(&ffmpeg)
        .args(["-v", "error", "-i"])
        .arg(&movie)
        .args([
            "-map",
            "0:v",
            "-c",
            "copy",
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
        ])
        .arg(&raw)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let frame = std::fs::read(&raw).unwrap();
    assert_eq!(&frame[4..8], b"icpf");
    assert_eq!(&frame[22..25], &[1, 1, 1], "primaries, transfer, matrix");

    // The first frame against ffmpeg's own BT.709 limited-range 4:2:2
    // conversion of the master frame (zimg, through zscale: swscale's
    // rgb48 to 10-bit path sits 1.3 codes above BT.709's formula on this
    // picture, zimg within 0.01): within a mean of 1 and a maximum of 6
    // ten-bit codes (ProRes is lossy, and the two subsample chroma a little
    // differently), away from the burn-ins at the bottom of title safe.
    let got = planes(&ffmpeg, &movie, &[]);
    let want = planes(
        &ffmpeg,
        &dir.join("with/M.1001.dpx"),
        &[
            "-vf",
            "zscale=matrix=709:range=limited:dither=none,format=yuv422p10le",
        ],
    );
    assert_eq!(got.len(), want.len());
    let n = (W * H) as usize;
    let rows = (H * 3 / 4) as usize;
    for (name, at, width) in [
        ("Y'", 0, W as usize),
        ("Cb", n, W as usize / 2),
        ("Cr", n + n / 2, W as usize / 2),
    ] {
        let (mut sum, mut max, mut count) = (0u64, 0u16, 0u64);
        for y in 0..rows {
            for x in 0..width {
                let d = got[at + y * width + x].abs_diff(want[at + y * width + x]);
                sum += u64::from(d);
                max = max.max(d);
                count += 1;
            }
        }
        let mean = sum as f64 / count as f64;
        eprintln!("{name}: mean {mean:.3}, max {max} ten-bit codes");
        assert!(mean <= 1.0 && max <= 6, "{name}: mean {mean:.3}, max {max}");
    }
}

/// A 29.97 drop-frame conform: both codecs in one pass, the timecode with
/// `;`, the rate rational.
#[test]
fn drop_frame_conform_review_in_prores_and_h264() {
    let (Some(ffmpeg), Some(ffprobe)) = (tool("ffmpeg"), tool("ffprobe")) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    sources(&subdir(dir, "media/A001"), 1, 12, 29.97, tc(10, true));
    std::fs::write(
        dir.join("cut.edl"),
        "TITLE: DF\nFCM: DROP FRAME\n\n\
         001  A001     V     C        10:00:00;02 10:00:00;08 01:00:00;00 01:00:00;06\n\
         * FROM CLIP NAME:  A001C003\n",
    )
    .unwrap();
    let out = run(grade()
        .current_dir(dir)
        .args(["conform", "cut.edl", "--media", "media", "--fps", "29.97df"])
        .args(["-o", "out/R1.%07d.dpx", "--create-dirs", "--backend", "cpu"])
        .args(["--review", "out/R1.mov", "--review", "out/R1_b.mov"])
        .args([
            "--burn",
            "tl:{event} {clip} {reel} {src_tc}",
            "--burn",
            "tr:{tc} {rec_frame}",
        ])
        .args(["--watermark", "CONFIDENTIAL"]));
    assert_eq!(out.status.code(), Some(0));
    for movie in ["R1.mov", "R1_b.mov"] {
        let movie = dir.join("out").join(movie);
        let p = probe(&ffprobe, &movie);
        let v = video(&p);
        assert_eq!(v["codec_name"], "prores");
        assert_eq!(v["r_frame_rate"], "30000/1001");
        assert_eq!(v["nb_frames"], "6");
        assert_eq!(timecode(&p), "01:00:00;00");
        decodes_cleanly(&ffmpeg, &movie);
    }
    let h264 = dir.join("out/R1_h264.mov");
    let out = run(grade()
        .current_dir(dir)
        .args(["conform", "cut.edl", "--media", "media", "--fps", "29.97df"])
        .args(["-o", "h/R1.%07d.dpx", "--create-dirs", "--backend", "cpu"])
        .args(["--review", "out/R1_h264.mov", "--review-codec", "h264"])
        .args([
            "--review-format",
            "256x144",
            "--review-transform",
            "lin-rec709:rec709",
        ]));
    assert_eq!(out.status.code(), Some(0));
    let p = probe(&ffprobe, &h264);
    let v = video(&p);
    assert_eq!(v["codec_name"], "h264");
    assert_eq!(
        (v["width"].as_u64(), v["height"].as_u64()),
        (Some(256), Some(144))
    );
    assert_eq!(v["pix_fmt"], "yuv420p");
    assert_eq!(v["color_space"], "bt709");
    assert_eq!(v["color_range"], "tv");
    assert_eq!(timecode(&p), "01:00:00;00");
    decodes_cleanly(&ffmpeg, &h264);
}

/// A stand-in ffmpeg that reads a little, then fails as a full disk would.
fn failing_ffmpeg(dir: &Path) -> PathBuf {
    let p = dir.join("ffmpeg");
    std::fs::write(
        &p,
        "#!/bin/sh\nhead -c 100000 > /dev/null\n\
         echo 'frame=    1 fps=0.0 q=0.0 size=       0kB' >&2\n\
         echo 'Error writing trailer of review.mov: No space left on device' >&2\nexit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

#[test]
fn review_failures_name_the_cause_and_leave_no_movie() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    sources(&subdir(dir, "src"), 1001, 6, 24.0, tc(1, false));

    // An unknown token: exit 2 naming it, before any frame.
    let out = apply(
        dir,
        "a/M.####.dpx",
        &["--review", "a/r.mov", "--burn", "bl:{tc} {scene}"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("{scene}"), "{}", stderr(&out));
    assert!(!dir.join("a").exists() || files(&dir.join("a")).is_empty());

    // No ffmpeg: exit 3 naming it, before any frame.
    for (var, value) in [
        ("GRADE_FFMPEG", dir.join("nowhere/ffmpeg")),
        ("PATH", dir.join("empty")),
    ] {
        let out = run(grade()
            .current_dir(dir)
            .env_remove("GRADE_FFMPEG")
            .env(var, &value)
            .args([
                "apply",
                "-i",
                "src/A001C003.#######.dpx",
                "--exposure",
                "0.5",
            ])
            .args(["-o", "b/M.####.dpx", "--create-dirs", "--review", "b/r.mov"]));
        assert_eq!(out.status.code(), Some(3), "{var}");
        assert!(stderr(&out).contains("ffmpeg"), "{}", stderr(&out));
        assert!(!dir.join("b").exists() || files(&dir.join("b")).is_empty());
    }

    // No folder for the movie (and no --create-dirs): exit 3 naming it.
    let out = run(grade()
        .current_dir(dir)
        .args([
            "apply",
            "-i",
            "src/A001C003.#######.dpx",
            "--exposure",
            "0.5",
        ])
        .args(["-o", "src/M.####.tif", "--review", "nowhere/r.mov"]));
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("nowhere"), "{}", stderr(&out));

    // ffmpeg failing mid-way: exit 1 naming its last error line; no movie
    // under its name and no temporary left.
    let fake = failing_ffmpeg(&subdir(dir, "bin"));
    let out = run(grade()
        .current_dir(dir)
        .env("GRADE_FFMPEG", &fake)
        .args([
            "apply",
            "-i",
            "src/A001C003.#######.dpx",
            "--exposure",
            "0.5",
        ])
        .args(["-o", "c/M.####.dpx", "--create-dirs", "--review", "c/r.mov"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("No space left on device"),
        "{}",
        stderr(&out)
    );
    let left: Vec<String> = files(&dir.join("c")).into_keys().collect();
    assert!(
        left.iter()
            .all(|n| n.ends_with(".dpx") && !n.starts_with('.')),
        "{left:?}"
    );
}

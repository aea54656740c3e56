//! Review movies without ffmpeg's encoders: the Y'CbCr codes against
//! BT.709's formulas, burn-in templates and layout, and the sink's order
//! and failures with stand-in "ffmpeg" scripts (the real encode is tested
//! through the binary, in tests/cli/review.rs).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::burnin::{self, Burnin, Position, Token};
use super::ycbcr::{self, Layout};
use super::*;
use crate::render::Layer;

/// BT.709 (ITU-R BT.709-6, items 3.2-3.5, and the 10-bit quantisation of
/// item 4.6): E'Y = 0.2126 R + 0.7152 G + 0.0722 B, E'CB = (B - Y) / 1.8556,
/// E'CR = (R - Y) / 1.5748, D'Y = round((219 E'Y + 16) * 4),
/// D'C = round((224 E'C + 128) * 4).
fn bt709(rgb: [f64; 3]) -> [u16; 3] {
    let y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
    let cb = (rgb[2] - y) / 1.8556;
    let cr = (rgb[0] - y) / 1.5748;
    [
        ((219.0 * y + 16.0) * 4.0).round() as u16,
        ((224.0 * cb + 128.0) * 4.0).round() as u16,
        ((224.0 * cr + 128.0) * 4.0).round() as u16,
    ]
}

#[test]
fn codes_follow_bt709_limited_range() {
    let colours = [
        [0.0, 0.0, 0.0],
        [1.0, 1.0, 1.0],
        [1.0, 0.0, 0.0],
        [0.0, 1.0, 0.0],
        [0.0, 0.0, 1.0],
        [0.18, 0.5, 0.9],
        [0.75, 0.75, 0.0],
    ];
    for c in colours {
        let [y, cb, cr] = ycbcr::ycbcr(c.map(|v: f64| v as f32));
        let got = [
            ycbcr::luma_code(y, 10),
            ycbcr::chroma_code(cb, 10),
            ycbcr::chroma_code(cr, 10),
        ];
        assert_eq!(got, bt709(c), "{c:?}");
    }
    // Out of range values and NaN are clamped, never wrapped.
    let [y, _, _] = ycbcr::ycbcr([f32::NAN, -1.0, 2.0]);
    assert!((0.0..=1.0).contains(&y));
}

#[test]
fn planes_have_ffmpegs_sizes_and_order() {
    // Two pixels, red then blue: one 4:2:2 chroma sample, their mean.
    let rgba = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0];
    let mut out = Vec::new();
    ycbcr::encode(&rgba, 2, 1, Layout::Yuv422p10, &mut out);
    let words: Vec<u16> = out
        .chunks_exact(2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .collect();
    let (r, b) = (bt709([1.0, 0.0, 0.0]), bt709([0.0, 0.0, 1.0]));
    assert_eq!(words.len(), 4);
    assert_eq!(&words[..2], &[r[0], b[0]]);
    for (k, w) in words[2..].iter().enumerate() {
        let mean = (f64::from(r[k + 1]) + f64::from(b[k + 1])) / 2.0;
        assert!(
            (f64::from(*w) - mean).abs() <= 1.0,
            "chroma {k}: {w} vs {mean}"
        );
    }
    ycbcr::encode(&[0.5; 16], 2, 2, Layout::Yuv420p8, &mut out);
    assert_eq!(out.len(), 6);
    ycbcr::encode(&[0.5; 8], 2, 1, Layout::Yuva444p10, &mut out);
    assert_eq!(out.len(), 2 * 4 * 2);
    assert_eq!(&out[12..14], &512u16.to_le_bytes(), "alpha 0.5 full range");
    assert!(Layout::Yuv422p10.check(3, 2).is_some());
    assert!(Layout::Yuv420p8.check(4, 3).is_some());
    assert!(Layout::Yuva444p10.check(3, 3).is_none());
}

#[test]
fn burn_in_templates_name_what_is_wrong() {
    let b = Burnin::parse("bl:TC {tc} / {clip}").unwrap();
    assert_eq!(b.position, Position::BottomLeft);
    let text = b.text(|t| match t {
        Token::Tc => "01:00:00:00".into(),
        Token::Clip => "A001".into(),
        _ => "?".into(),
    });
    assert_eq!(text, "TC 01:00:00:00 / A001");
    let e = Burnin::parse("tr:{tc} {scene}").unwrap_err().to_string();
    assert!(e.contains("{scene}") && e.contains("--burn"), "{e}");
    let e = Burnin::parse("middle:{tc}").unwrap_err().to_string();
    assert!(e.contains("'middle'"), "{e}");
    assert!(Burnin::parse("tc:{tc").is_err());
    assert!(Burnin::parse("no position").is_err());
}

#[test]
fn burn_ins_touch_only_their_boxes_inside_title_safe() {
    let (w, h) = (320u32, 180u32);
    let grey = vec![0.5f32; (w * h * 4) as usize];
    let lines = vec![
        (Position::TopLeft, "01:00:00:00".to_string()),
        (Position::TopLeft, "A001C003".to_string()),
        (Position::BottomRight, "1001".to_string()),
        (Position::BottomCentre, "x".to_string()),
    ];
    let boxes = burnin::layout(&lines, w, h);
    assert_eq!(boxes.len(), 4);
    for &(x, y, bw, bh) in &boxes {
        assert!(
            x >= 16 && y >= 9 && x + bw <= 304 && y + bh <= 171,
            "{boxes:?}"
        );
    }
    assert!(boxes[1].1 >= boxes[0].1 + boxes[0].3, "stacked: {boxes:?}");
    let mut drawn = grey.clone();
    burnin::draw(&mut drawn, w, h, &lines, None);
    let inside = |x: i64, y: i64| {
        boxes
            .iter()
            .any(|&(bx, by, bw, bh)| x >= bx && x < bx + bw && y >= by && y < by + bh)
    };
    let mut text = 0;
    for y in 0..h as i64 {
        for x in 0..w as i64 {
            let i = ((y * w as i64 + x) * 4) as usize;
            if inside(x, y) {
                // The box darkens; text is brighter than the box.
                assert!(drawn[i] <= 0.5 || drawn[i] > 0.5 * (1.0 - burnin::BOX_OPACITY));
                text += usize::from(drawn[i] > 0.5);
            } else {
                assert_eq!(
                    drawn[i..i + 4],
                    grey[i..i + 4],
                    "({x}, {y}) outside the boxes"
                );
            }
        }
    }
    assert!(text > 50, "only {text} text pixels");
    let mut marked = grey.clone();
    burnin::draw(&mut marked, w, h, &[], Some("CONFIDENTIAL"));
    let centre = marked[(90 * w as usize + 40) * 4..(90 * w as usize + 280) * 4].to_vec();
    assert!(
        centre.iter().any(|v| *v > 0.5),
        "the watermark crosses the middle"
    );
    assert!(centre
        .iter()
        .all(|v| *v <= 0.5 + burnin::WATERMARK_OPACITY * 0.5 + 1e-6));
}

/// A stand-in for ffmpeg: a shell script whose last argument is the file
/// it writes.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, format!("#!/bin/sh\nfor a; do last=$a; done\n{body}\n")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

fn movie(path: PathBuf) -> ReviewMovie {
    ReviewMovie {
        path,
        codec: Codec::ProresHq,
        reformat: None,
        program: None,
        burnins: Vec::new(),
        watermark: None,
        rate: Rate::parse("24").unwrap(),
        version: None,
    }
}

fn recipe(n: i64) -> FrameRecipe {
    FrameRecipe {
        number: n,
        output: PathBuf::from(format!("o.{n}.dpx")),
        layers: vec![(
            Layer::Source {
                path: PathBuf::from("A001C003.0001001.dpx"),
                program: 0,
                reformat: None,
            },
            1.0,
        )],
        black_size: (4, 2),
        over: Vec::new(),
        meta: Default::default(),
    }
}

/// A 4x2 frame of one grey, different for each frame.
fn frame(n: usize) -> Frame {
    let mut f = Frame::new(4, 2);
    for px in f.pixels.chunks_exact_mut(4) {
        px[..3].fill(n as f32 / 10.0);
    }
    f
}

fn summary(frames: usize) -> RenderSummary {
    RenderSummary {
        frames,
        written: frames,
        ..Default::default()
    }
}

#[test]
fn frames_reach_ffmpeg_in_job_order() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = script(tmp.path(), "ffmpeg", "cat > \"$last\"");
    let out = tmp.path().join("review.mov");
    let sink = ReviewSink::with_ffmpeg(movie(out.clone()), cat).unwrap();
    std::thread::scope(|s| {
        for order in [[3, 0, 5], [1, 4, 2]] {
            let sink = &sink;
            s.spawn(move || {
                for i in order {
                    sink.write(i, &recipe(i as i64), &frame(i), &mut Vec::new())
                        .unwrap();
                }
            });
        }
    });
    assert!(!out.exists(), "nothing under the final name before finish");
    sink.finish(&summary(6)).unwrap();
    let mut want = Vec::new();
    for i in 0..6 {
        let mut planes = Vec::new();
        let f = frame(i);
        ycbcr::encode(&f.pixels, 4, 2, Layout::Yuv422p10, &mut planes);
        want.extend(planes);
    }
    assert!(std::fs::read(&out).unwrap() == want, "frames out of order");
}

#[test]
fn a_killed_renders_movie_is_removed_and_a_live_ones_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = script(tmp.path(), "ffmpeg", "cat > \"$last\"");
    let host = crate::io::temporary::host();
    // No process has PID 4194304 (Linux's ceiling is 4194304 - 1).
    let dead = tmp.path().join(format!(".review.mov.tmp-{host}-4194304-0"));
    let live = tmp
        .path()
        .join(format!(".review.mov.tmp-{host}-{}-99", std::process::id()));
    std::fs::write(&dead, b"half a movie").unwrap();
    std::fs::write(&live, b"being written").unwrap();
    ReviewSink::with_ffmpeg(movie(tmp.path().join("review.mov")), cat).unwrap();
    assert!(!dead.exists() && live.exists());
}

#[test]
fn a_frame_that_never_comes_abandons_the_movie() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = script(tmp.path(), "ffmpeg", "cat > \"$last\"");
    let out = tmp.path().join("review.mov");
    let sink = ReviewSink::with_ffmpeg(movie(out.clone()), cat).unwrap();
    for i in [0, 2] {
        sink.write(i, &recipe(i as i64), &frame(i), &mut Vec::new())
            .unwrap();
    }
    sink.missing(1);
    let e = sink.finish(&summary(3)).unwrap_err().to_string();
    assert!(e.contains("frame 1") && e.contains("review.mov"), "{e}");
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "only the script is left: {left:?}");
}

#[test]
fn ffmpeg_failing_names_its_last_line_and_leaves_no_movie() {
    let tmp = tempfile::tempdir().unwrap();
    let broken = script(
        tmp.path(),
        "ffmpeg",
        "head -c 20 > \"$last\"; echo 'first line' >&2; echo 'Error: disk on fire' >&2; exit 1",
    );
    let out = tmp.path().join("review.mov");
    let sink = ReviewSink::with_ffmpeg(movie(out.clone()), broken).unwrap();
    // 32 KiB a frame: the pipe fills, so a write sees ffmpeg gone.
    let big = Frame::new(128, 64);
    let mut errors = Vec::new();
    for i in 0..40 {
        if let Err(e) = sink.write(i, &recipe(i as i64), &big, &mut Vec::new()) {
            errors.push(e.to_string());
        }
    }
    let e = sink.finish(&summary(40)).unwrap_err().to_string();
    assert!(e.contains("Error: disk on fire"), "{e}");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("Error: disk on fire"), "{errors:?}");
    assert!(!out.exists());
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "no temporary left: {left:?}");
}

#[test]
fn tokens_on_apply_fall_back_to_the_frame() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = script(tmp.path(), "ffmpeg", "cat > \"$last\"");
    let mut m = movie(tmp.path().join("r.mov"));
    m.version = Some(3);
    let sink = ReviewSink::with_ffmpeg(m, cat).unwrap();
    let r = recipe(1001);
    let f = frame(1);
    let tc = Rate::parse("24").unwrap().to_timecode(1001);
    let show = |t| sink.token(t, &r, &f, tc);
    assert_eq!(show(Token::Clip), "A001C003");
    assert_eq!(show(Token::Shot), "A001C003");
    assert_eq!(show(Token::Frame), "1001");
    assert_eq!(show(Token::RecFrame), "1001");
    assert_eq!(show(Token::Tc), "00:00:41:17");
    assert_eq!(show(Token::Version), "v003");
    assert_eq!(show(Token::Event), "");
    assert_eq!(show(Token::Date).len(), 10);
}

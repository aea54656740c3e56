//! `grade conform` end to end: generated source sequences whose frames carry
//! their own frame numbers, proxies under other names, and an EDL with cuts,
//! a dissolve, a speed change, a freeze, a gap, an ASC_SOP grade and a
//! missing reel. Every master frame is checked against what the EDL says it
//! must show (source frames worked out by hand from the EDL below).

use std::path::Path;

use grade_engine::grade::{Op, Program};
use grade_engine::io::{self, BitDepth, WriteOptions};
use grade_engine::ops::Cdl;
use grade_engine::testcard::{read_number, test_card};
use grade_engine::{Frame, SmpteTimecode};

use crate::common::{grade, run};

const W: u32 = 128;
const H: u32 = 16;

const EDL: &str = "TITLE: CONFORM TEST
FCM: NON-DROP FRAME

001  REEL_A01 V     C        10:00:00:00 10:00:00:12 01:00:00:00 01:00:00:12
* FROM CLIP NAME:  REEL_A01_proxy.mov
*ASC_SOP (1.2 1.0 0.8)(0.02 0.0 -0.02)(1.0 1.1 1.0)
*ASC_SAT 0.9

002  PRX_B    V     C        11:00:00:00 11:00:00:06 01:00:00:12 01:00:00:18
* FROM CLIP NAME:  REEL_B01_proxy.mov

003  PRX_B    V     C        11:00:00:06 11:00:00:06 01:00:00:18 01:00:00:18
003  REEL_A01 V     D    006 10:00:01:00 10:00:01:06 01:00:00:18 01:00:01:00
* FROM CLIP NAME:  REEL_B01_proxy.mov
* TO CLIP NAME:  REEL_A01_proxy.mov

004  REEL_A01 V     C        10:00:01:06 10:00:01:12 01:00:01:00 01:00:01:06
M2   REEL_A01       048.0                10:00:01:06

005  REEL_B01 V     C        11:00:01:00 11:00:01:01 01:00:01:06 01:00:01:12
M2   REEL_B01       000.0                11:00:01:00
* FREEZE FRAME

006  REEL_C99 V     C        12:00:00:00 12:00:00:06 01:00:01:18 01:00:02:00
";

/// What record frame k (from 01:00:00:00) must show, by the EDL above.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Want {
    /// Clip ('A' or 'B') file frame, and whether event 001's grade applies.
    Src(char, i64, bool),
    /// Dissolve: B frame under A frame, A's share.
    Mix(i64, i64, f32),
    Black,
}

pub(crate) fn want(k: i64) -> Want {
    match k {
        // 001: A from 10:00:00:00 = file frame 1001, graded by *ASC_SOP.
        0..=11 => Want::Src('A', 1001 + k, true),
        // 002: B (found through the proxy map) from 11:00:00:00 = 2001.
        12..=17 => Want::Src('B', 2001 + (k - 12), false),
        // 003: 6-frame dissolve from B (continuing at 2007) to A from
        // 10:00:01:00 = 1025; A's share (j + 0.5) / 6.
        18..=23 => {
            let j = k - 18;
            Want::Mix(2007 + j, 1025 + j, (j as f32 + 0.5) / 6.0)
        }
        // 004: M2 at 48 fps: every other frame from 10:00:01:06 = 1031.
        24..=29 => Want::Src('A', 1031 + 2 * (k - 24), false),
        // 005: freeze of 11:00:01:00 = 2025.
        30..=35 => Want::Src('B', 2025, false),
        // Gap, then 006 (missing reel, rendered black with --allow-missing).
        _ => Want::Black,
    }
}

pub(crate) fn write_sources(root: &Path) {
    let media = root.join("media");
    for (name, ext, first, hours, tint) in [
        ("REEL_A01", "dpx", 1001i64, 10u8, [1.0f32, 0.9, 0.8]),
        ("REEL_B01", "exr", 2001, 11, [0.8, 0.9, 1.0]),
    ] {
        let dir = media.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let opts = WriteOptions {
            depth: Some(if ext == "dpx" {
                BitDepth::U10
            } else {
                BitDepth::Half
            }),
            ..Default::default()
        };
        for k in 0..48 {
            let n = first + k;
            let mut f = test_card(W, H, n, tint);
            // DPX carries the reel in its header; for the EXR clip the
            // reelName attribute says the same.
            f.meta.reel = Some(name.to_string());
            f.meta.fps = Some(24.0);
            f.meta.timecode = Some(SmpteTimecode {
                hours,
                minutes: 0,
                seconds: (k / 24) as u8,
                frames: (k % 24) as u8,
                drop_frame: false,
            });
            io::write_frame(&dir.join(format!("{name}.{n:07}.{ext}")), &f, &opts).unwrap();
        }
    }
    // Proxies under other names, as an offline edit would have them.
    let proxies = root.join("proxies");
    std::fs::create_dir_all(&proxies).unwrap();
    for name in ["REEL_A01_proxy", "REEL_B01_proxy"] {
        io::write_frame(
            &proxies.join(format!("{name}.mov.exr")),
            &test_card(32, 4, 0, [1.0; 3]),
            &WriteOptions::default(),
        )
        .unwrap();
    }
    std::fs::write(root.join("cut.edl"), EDL).unwrap();
}

fn source(root: &Path, clip: char, n: i64) -> Frame {
    let p = match clip {
        'A' => root.join(format!("media/REEL_A01/REEL_A01.{n:07}.dpx")),
        _ => root.join(format!("media/REEL_B01/REEL_B01.{n:07}.exr")),
    };
    io::read_frame(&p).unwrap()
}

fn event1_grade(mut px: Vec<f32>) -> Vec<f32> {
    let program = Program {
        ops: vec![Op::Cdl(Cdl {
            slope: [1.2, 1.0, 0.8],
            offset: [0.02, 0.0, -0.02],
            power: [1.0, 1.1, 1.0],
            saturation: 0.9,
            ..Cdl::default()
        })],
    };
    grade_engine::cpu::reference::apply(&program, &mut px);
    px
}

pub(crate) fn conform(root: &Path, extra: &[&str]) -> std::process::Output {
    run(grade()
        .arg("conform")
        .arg(root.join("cut.edl"))
        .arg("--media")
        .arg(root.join("media"))
        .args([
            "--proxy-map",
            r"s/_proxy\.mov$//",
            "--backend",
            "cpu",
            "--report",
        ])
        .arg(root.join("report.json"))
        .arg("-o")
        .arg(root.join("master/CUT.%07d.dpx"))
        .args(["--create-dirs"])
        .args(extra))
}

#[test]
fn a_missing_reel_fails_the_render_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    write_sources(dir.path());
    let out = conform(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("006") && err.contains("REEL_C99"), "{err}");
    assert!(err.contains("--allow-missing"), "{err}");
    let rendered = std::fs::read_dir(dir.path().join("master")).map_or(0, |d| d.count());
    assert_eq!(rendered, 0, "nothing is rendered when media is missing");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    let statuses: Vec<&str> = report["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["ok", "ok", "ok", "ok", "ok", "missing"]);
}

#[test]
fn every_master_frame_shows_what_the_edl_says() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_sources(root);
    let out = conform(root, &["--allow-missing"]);
    assert_eq!(out.status.code(), Some(0));
    let master = root.join("master");
    let count = std::fs::read_dir(&master).unwrap().count();
    assert_eq!(count, 48, "01:00:00:00 to 01:00:02:00 at 24 fps");
    // 16-bit master of values computed in f32: within one code value.
    let tol = 1.0 / 65535.0 + 1e-6;
    for k in 0..48i64 {
        let number = 86_400 + k;
        let path = master.join(format!("CUT.{number:07}.dpx"));
        let got = io::read_frame(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((got.width, got.height), (W, H));
        let tc = got.meta.timecode.expect("record timecode in the header");
        assert_eq!(
            (tc.hours, tc.minutes, tc.seconds, tc.frames),
            (1, 0, (k / 24) as u8, (k % 24) as u8),
            "frame {number}"
        );
        let expected: Vec<f32> = match want(k) {
            Want::Src(c, n, graded) => {
                let src = source(root, c, n);
                if !graded {
                    assert_eq!(
                        read_number(&got, 0.5),
                        n,
                        "record frame {k} shows the wrong source frame"
                    );
                    src.pixels
                } else {
                    event1_grade(src.pixels)
                }
            }
            Want::Mix(b, a, w) => {
                let fb = source(root, 'B', b);
                let fa = source(root, 'A', a);
                fb.pixels
                    .iter()
                    .zip(&fa.pixels)
                    .map(|(x, y)| y.mul_add(w, x * (1.0 - w)))
                    .collect()
            }
            Want::Black => Frame::new(W, H).pixels,
        };
        for (i, (g, e)) in got.pixels.iter().zip(&expected).enumerate() {
            if i % 4 == 3 {
                continue;
            }
            let e = e.clamp(0.0, 1.0);
            assert!(
                (g - e).abs() <= tol,
                "record frame {k} ({:?}), sample {i}: got {g}, want {e}",
                want(k)
            );
        }
    }
}

#[test]
fn dry_run_reports_every_public_edl_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let media = dir.path().join("media");
    std::fs::create_dir_all(&media).unwrap();
    let edls = grade_engine::testutil::fixtures_with_ext("public", &["edl"]);
    assert!(edls.len() >= 20);
    for edl in edls {
        let report = dir.path().join("r.json");
        // The rates OpenTimelineIO's own tests read these files at.
        let name = edl.file_name().unwrap().to_string_lossy().into_owned();
        let fps = if name == "25fps.edl" || name == "test_25.edl" {
            "25"
        } else {
            "24"
        };
        let t = std::time::Instant::now();
        let out = run(grade()
            .arg("conform")
            .arg(&edl)
            .arg("--media")
            .arg(&media)
            .args([
                "--fps",
                fps,
                "--dry-run",
                "--allow-missing",
                "--quiet",
                "--report",
            ])
            .arg(&report));
        let secs = t.elapsed().as_secs_f64();
        assert_eq!(out.status.code(), Some(0), "{}", edl.display());
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
        let events = json["events"].as_array().unwrap();
        assert_eq!(
            json["totals"]["events"].as_u64().unwrap() as usize,
            events.len()
        );
        eprintln!("{}: {} events in {secs:.3} s", edl.display(), events.len());
        // A debug build: the release binary is several times faster.
        assert!(secs < 1.0, "{} took {secs:.2} s", edl.display());
    }
}

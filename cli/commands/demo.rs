//! `grade demo`: the whole product on generated media, in under a minute.
//!
//! Writes three source clips (10-bit DPX and half EXR sequences with reel
//! names and start timecodes in their headers, from three cameras: the
//! master's 1024x432, a 2048x864 plate and a 2x anamorphic 512x432 scan,
//! which the conform fits into the master format), small proxies under other
//! names, the cut as a CMX3600 EDL (cuts, a dissolve, a speed change, a
//! freeze, a gap, ASC_SOP grades) and a .ccc; then runs the same
//! `grade conform` an online editor would, prints its report, and writes a
//! contact sheet PNG (source and graded master side by side for each event,
//! labelled; drawn by `grade_engine::sheet`).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use grade_engine::io::sequence::trailing_number;
use grade_engine::io::{self, BitDepth, WriteOptions};
use grade_engine::sheet::{write_contact_sheet, SheetOptions, SheetRow, SheetSummary};
use grade_engine::testcard::test_card;
use grade_engine::timeline::Rate;
use grade_engine::{Frame, SmpteTimecode};

use crate::args::{BackendArg, DemoArgs};
use crate::Outcome;

const W: u32 = 1024;
const H: u32 = 432;
const FRAMES: i64 = 60;
const FIRST: i64 = 1001;

struct Clip {
    name: &'static str,
    ext: &'static str,
    /// Frame size and pixel aspect: the clips come from three cameras, so
    /// the conform fits two of them into the master format.
    size: (u32, u32),
    pixel_aspect: f64,
    hours: u8,
    minutes: u8,
    tint: [f32; 3],
}

const CLIPS: [Clip; 3] = [
    Clip {
        name: "A001C003",
        ext: "dpx",
        size: (W, H),
        pixel_aspect: 1.0,
        hours: 10,
        minutes: 0,
        tint: [1.0, 0.92, 0.85],
    },
    Clip {
        name: "A002C001",
        ext: "exr",
        size: (2 * W, 2 * H),
        pixel_aspect: 1.0,
        hours: 11,
        minutes: 30,
        tint: [0.85, 0.95, 1.0],
    },
    Clip {
        name: "B001C010",
        ext: "dpx",
        // A 2x anamorphic scan: 1024x432 once desqueezed.
        size: (W / 2, H),
        pixel_aspect: 2.0,
        hours: 14,
        minutes: 0,
        tint: [0.95, 1.0, 0.9],
    },
];

const EDL: &str = "TITLE: GRADE DEMO REEL 1
FCM: NON-DROP FRAME

001  A001C003 V     C        10:00:00:00 10:00:01:00 01:00:00:00 01:00:01:00
* FROM CLIP NAME:  A001C003_proxy.mov
*ASC_SOP (1.08 1.00 0.92)(0.01 0.00 -0.01)(1.00 1.00 1.04)
*ASC_SAT 0.90

002  A002C001 V     C        11:30:00:12 11:30:01:00 01:00:01:00 01:00:01:12
* FROM CLIP NAME:  A002C001_proxy.mov
*ASC_CC_XML A002C001_cool

003  A002C001 V     C        11:30:01:00 11:30:01:00 01:00:01:12 01:00:01:12
003  B001C010 V     D    012 14:00:00:00 14:00:01:00 01:00:01:12 01:00:02:12
* FROM CLIP NAME:  A002C001_proxy.mov
* TO CLIP NAME:  B001C010_proxy.mov
*ASC_CC_XML B001C010_warm

004  A001C003 V     C        10:00:01:00 10:00:01:12 01:00:02:12 01:00:03:00
M2   A001C003       048.0                10:00:01:00
* FROM CLIP NAME:  A001C003_proxy.mov
* SPEED CHANGE 200%

005  B001C010 V     C        14:00:01:12 14:00:01:13 01:00:03:06 01:00:03:18
M2   B001C010       000.0                14:00:01:12
* FROM CLIP NAME:  B001C010_proxy.mov
* FREEZE FRAME
";

const CCC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ColorCorrectionCollection xmlns="urn:ASC:CDL:v1.2">
  <Description>grade demo grades</Description>
  <ColorCorrection id="A002C001_cool">
    <SOPNode>
      <Slope>0.95 1.00 1.10</Slope>
      <Offset>0.00 0.00 0.02</Offset>
      <Power>1.05 1.00 0.95</Power>
    </SOPNode>
    <SatNode>
      <Saturation>1.10</Saturation>
    </SatNode>
  </ColorCorrection>
  <ColorCorrection id="B001C010_warm">
    <SOPNode>
      <Slope>1.12 1.02 0.90</Slope>
      <Offset>0.02 0.00 -0.01</Offset>
      <Power>0.95 1.00 1.05</Power>
    </SOPNode>
    <SatNode>
      <Saturation>1.05</Saturation>
    </SatNode>
  </ColorCorrection>
</ColorCorrectionCollection>
"#;

pub fn run(args: &DemoArgs) -> Result<Outcome> {
    let root = &args.out;
    let media = root.join("media");
    let proxies = root.join("proxies");
    let master = root.join("master");
    for d in [&media, &proxies, &master] {
        std::fs::create_dir_all(d).map_err(|e| grade_engine::Error::write(d, e))?;
    }
    eprintln!(
        "grade demo: writing source clips and proxies under {}",
        root.display()
    );
    for clip in &CLIPS {
        write_clip(&media, &proxies, clip)?;
    }
    let edl = root.join("demo.edl");
    let ccc = root.join("demo.ccc");
    std::fs::write(&edl, EDL).map_err(|e| grade_engine::Error::write(&edl, e))?;
    std::fs::write(&ccc, CCC).map_err(|e| grade_engine::Error::write(&ccc, e))?;

    let exe = std::env::current_exe().context("cannot find the grade executable")?;
    let report = root.join("report.json");
    let pattern = master.join("DEMO_R1.%07d.dpx");
    let backend = match args.backend {
        BackendArg::Auto => "auto",
        BackendArg::Cpu => "cpu",
        BackendArg::Gpu => "gpu",
    };
    let mut cmd = Command::new(&exe);
    cmd.arg("conform")
        .arg(&edl)
        .arg("--media")
        .arg(&media)
        .arg("--grades")
        .arg(&ccc)
        .args(["--proxy-map", r"s/_proxy\.mov$//"])
        .args(["--contrast", "1.1:0.4", "--saturation", "1.05"])
        .args(["--depth", "16", "--backend", backend, "--report"])
        .arg(&report)
        .arg("-o")
        .arg(&pattern);
    eprintln!("grade demo: {}", shell_line(&cmd));
    let status = cmd.status().context("cannot run grade conform")?;
    let sheet = root.join("contact_sheet.png");
    // Drawn even when frames failed (they show as missing), so the sheet
    // shows where; a conform that wrote no report has no sheet.
    let summary = contact_sheet(&report, &sheet);
    if !status.success() {
        if summary.is_ok() {
            eprintln!("grade demo: contact sheet {}", sheet.display());
        }
        bail!("the demo conform failed ({status})");
    }
    let summary = summary?;
    for (_, why) in &summary.unreadable {
        eprintln!("grade demo: contact sheet: {why}");
    }
    eprintln!(
        "grade demo: contact sheet of {} events, {} of {} thumbnails missing",
        summary.rows,
        summary.missing,
        2 * summary.rows
    );
    eprintln!(
        "grade demo: master in {}, report {}, contact sheet {}",
        master.display(),
        report.display(),
        sheet.display()
    );
    Ok(Outcome::Ok)
}

fn shell_line(cmd: &Command) -> String {
    let mut s = String::from("grade");
    for a in cmd.get_args() {
        let a = a.to_string_lossy();
        if a.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:%#".contains(c))
        {
            s += &format!(" {a}");
        } else {
            s += &format!(" '{a}'");
        }
    }
    s
}

fn write_clip(media: &Path, proxies: &Path, clip: &Clip) -> Result<()> {
    let dir = media.join(clip.name);
    std::fs::create_dir_all(&dir).map_err(|e| grade_engine::Error::write(&dir, e))?;
    let source_opts = WriteOptions {
        depth: Some(if clip.ext == "dpx" {
            BitDepth::U10
        } else {
            BitDepth::Half
        }),
        ..Default::default()
    };
    let proxy_opts = WriteOptions {
        depth: Some(BitDepth::Half),
        ..Default::default()
    };
    for k in 0..FRAMES {
        let number = FIRST + k;
        let mut f = test_card(clip.size.0, clip.size.1, number, clip.tint);
        f.meta.pixel_aspect = (clip.pixel_aspect != 1.0).then_some(clip.pixel_aspect);
        f.meta.reel = Some(clip.name.to_string());
        f.meta.fps = Some(24.0);
        f.meta.timecode = Some(timecode(clip, k));
        f.meta.source_file = Some(format!("{}.{number:07}.{}", clip.name, clip.ext));
        let path = dir.join(format!("{}.{number:07}.{}", clip.name, clip.ext));
        io::write_frame(&path, &f, &source_opts)?;
        let proxy = downscale(&f, 4);
        let ppath = proxies.join(format!("{}_proxy.{number:07}.exr", clip.name));
        io::write_frame(&ppath, &proxy, &proxy_opts)?;
    }
    Ok(())
}

fn timecode(clip: &Clip, k: i64) -> SmpteTimecode {
    let secs = k / 24;
    SmpteTimecode {
        hours: clip.hours,
        minutes: clip.minutes + (secs / 60) as u8,
        seconds: (secs % 60) as u8,
        frames: (k % 24) as u8,
        drop_frame: false,
    }
}

/// Box-filtered downscale by an integer factor.
fn downscale(f: &Frame, k: u32) -> Frame {
    let (w, h) = ((f.width / k).max(1), (f.height / k).max(1));
    let mut out = Frame::new(w, h);
    out.meta = f.meta.clone();
    let n = (k * k) as f32;
    for y in 0..h {
        for x in 0..w {
            let mut acc = [0.0f32; 4];
            for dy in 0..k {
                for dx in 0..k {
                    let p = f.pixel(
                        (x * k + dx).min(f.width - 1),
                        (y * k + dy).min(f.height - 1),
                    );
                    for (a, v) in acc.iter_mut().zip(p) {
                        *a += v;
                    }
                }
            }
            let i = ((y * w + x) * 4) as usize;
            for (o, a) in out.pixels[i..i + 4].iter_mut().zip(acc) {
                *o = a / n;
            }
        }
    }
    out
}

/// One row per event of the conform report: the source frame (before) and
/// the graded master frame (after) at the event's middle, as the report
/// names them, captioned with the record timecode of that frame.
fn contact_sheet(report: &Path, png_path: &Path) -> Result<SheetSummary> {
    let text = std::fs::read_to_string(report).map_err(|e| grade_engine::Error::read(report, e))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).context("reading the conform report")?;
    // The report writes rates as "24 fps", "29.97 DF fps".
    let rate = json["rate"]
        .as_str()
        .and_then(|r| Rate::parse(r.trim_end_matches("fps")).ok());
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "-".into(),
        other => other.to_string(),
    };
    let path = |v: &serde_json::Value| v.as_str().map(PathBuf::from);
    let rows: Vec<SheetRow> = json["events"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|ev| {
            let before = path(&ev["thumbnail_source"]);
            let frames = (
                ev["record_frames"][0].as_i64(),
                ev["record_frames"][1].as_i64(),
            );
            let record_tc = match (rate, frames) {
                (Some(rate), (Some(a), Some(b))) => rate.to_timecode((a + b - 1) / 2).to_string(),
                _ => text(&ev["record_in"]),
            };
            let source_frame = before
                .as_deref()
                .and_then(Path::file_name)
                .and_then(|n| trailing_number(&n.to_string_lossy()))
                .map_or("-".into(), |n| n.to_string());
            SheetRow {
                event: text(&ev["event"]),
                // The clip the pictures come from; the EDL's name if none.
                clip: ev["source_clip"]
                    .as_str()
                    .map_or_else(|| text(&ev["clip_name"]), str::to_string),
                record_tc,
                source_frame,
                after: path(&ev["thumbnail_master"]),
                before,
                // Reports that give formats give pixel aspects too.
                before_pixel_aspect: ev["source_format"]["pixel_aspect"].as_f64(),
                after_pixel_aspect: json["master_format"]["pixel_aspect"].as_f64(),
            }
        })
        .collect();
    let opts = SheetOptions {
        thumb_width: 320,
        thumb_height: 320 * H / W,
        title: json["title"].as_str().map(str::to_string),
        ..Default::default()
    };
    Ok(write_contact_sheet(&rows, &opts, png_path)?)
}

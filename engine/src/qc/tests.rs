use std::path::PathBuf;

use super::*;
use crate::io::{self, BitDepth, WriteOptions};
use crate::testcard::test_card;
use crate::Frame;

fn entry(n: i64, frame: &Frame, levels: &Levels) -> FrameEntry {
    FrameEntry {
        frame: n,
        file: PathBuf::from(format!("f.{n}.exr")),
        stats: measure(frame.width, frame.height, &frame.pixels, levels),
    }
}

fn grey(v: f32) -> Frame {
    let mut f = Frame::new(8, 4);
    for px in f.pixels.chunks_exact_mut(4) {
        px[..3].fill(v);
    }
    f
}

#[test]
fn statistics_count_what_the_file_will_hold() {
    let ten = Levels::of_depth(BitDepth::U10, false);
    let mut f = grey(0.5);
    f.pixels[0] = f32::NAN;
    f.pixels[1] = f32::INFINITY;
    f.pixels[4] = 0.0004; // rounds to code 0 at 10 bits
    f.pixels[8] = 0.9996; // rounds to 1023
    let s = measure(8, 4, &f.pixels, &ten);
    assert_eq!((s.nan, s.inf), (1, 1));
    assert_eq!(s.clipped_low, 1.0 / 96.0);
    assert_eq!(s.clipped_high, Some(1.0 / 96.0));
    assert_eq!(s.min[0], 0.0004);
    assert_eq!(s.max[0], 0.9996);
    assert_eq!(s.out_of_range, None);
    // Rows of any width, clean or not, give the same sums: the clean
    // rows' four-pixel path and the sample-by-sample path agree.
    let mut odd = Frame::new(7, 3);
    for (i, v) in odd.pixels.iter_mut().enumerate() {
        *v = (i % 11) as f32 / 10.0;
    }
    let clean = measure(7, 3, &odd.pixels, &ten);
    odd.pixels[4 * 7] = f32::NAN; // row 1, red: that row is measured again
    let dirty = measure(7, 3, &odd.pixels, &ten);
    assert_eq!((clean.nan, dirty.nan), (0, 1));
    assert_eq!(clean.max, dirty.max);
    assert_eq!(clean.mean[1], dirty.mean[1]);
    // 1.0 at i = 10, 21, 32, 54, 65, 76 (43 is an alpha sample).
    assert_eq!(clean.clipped_high, Some(6.0 / 63.0));
    // Half outputs clip nothing at the top.
    let half = measure(8, 4, &f.pixels, &Levels::of_depth(BitDepth::Half, false));
    assert_eq!(half.clipped_high, None);
    // Video range: 0.5 is legal, 0 and 1 are not.
    let video = Levels::of_depth(BitDepth::U10, true);
    let s = measure(8, 4, &grey(0.5).pixels, &video);
    assert_eq!(s.out_of_range, Some(0.0));
    let s = measure(8, 4, &grey(1.0).pixels, &video);
    assert_eq!(s.out_of_range, Some(1.0));
}

#[test]
fn frame_checks_name_the_frame() {
    let l = Levels::of_depth(BitDepth::U16, false);
    let mut frames: Vec<FrameEntry> = (0..9)
        .map(|n| entry(n, &grey(0.3 + 0.01 * n as f32), &l))
        .collect();
    frames[2] = entry(2, &grey(0.31), &l); // a duplicate of frame 1
    frames[4] = entry(4, &Frame::new(8, 4), &l); // black (a dark flash too)
    frames[7] = entry(7, &grey(1.0), &l); // a flash, and clipped
    let found: Vec<(Check, i64)> = check(&frames, &Thresholds::default())
        .iter()
        .map(|f| (f.check, f.frame.unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            (Check::Duplicate, 2),
            (Check::Clipped, 4),
            (Check::Black, 4),
            (Check::Flash, 4),
            (Check::Clipped, 7),
            (Check::Flash, 7)
        ]
    );
}

#[test]
fn file_checks_find_gaps_short_files_and_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let opts = WriteOptions {
        depth: Some(BitDepth::U10),
        ..Default::default()
    };
    let rate = crate::timeline::Rate::parse("24").unwrap();
    let files: Vec<(i64, PathBuf)> = (1..=6)
        .map(|n| (n, dir.path().join(format!("s.{n:04}.dpx"))))
        .collect();
    for (n, p) in &files {
        let mut f = test_card(8, 4, *n, [1.0, 1.0, 1.0]);
        let tc = if *n == 5 { 100 + n } else { 86400 + n };
        f.meta.timecode = Some(rate.to_timecode(tc));
        f.meta.fps = Some(24.0);
        if *n == 4 {
            f = Frame {
                meta: f.meta.clone(),
                ..test_card(10, 4, 4, [1.0, 1.0, 1.0])
            };
        }
        io::write_frame(p, &f, &opts).unwrap();
    }
    std::fs::remove_file(&files[1].1).unwrap();
    std::fs::write(&files[2].1, b"").unwrap();
    let (found, _) = sequence::check_files(&files);
    let found: Vec<(Check, i64)> = found.iter().map(|f| (f.check, f.frame.unwrap())).collect();
    assert_eq!(
        found,
        [
            (Check::Missing, 2),
            (Check::ShortFile, 3),
            (Check::Size, 4),
            (Check::Timecode, 5)
        ]
    );
    assert!(!sequence::portable_name("R1 final.0001.dpx"));
    assert!(sequence::portable_name("R1_final-v2.0001.dpx"));
}

#[test]
fn a_letterbox_warns_of_clipping_and_fails_nothing() {
    let ten = Levels::of_depth(BitDepth::U10, false);
    // A scope picture in a 16:9 frame: the top and bottom quarter at 0.
    let mut f = grey(0.5);
    for px in f.pixels.chunks_exact_mut(4).take(8) {
        px[..3].fill(0.0);
    }
    for px in f.pixels.chunks_exact_mut(4).skip(24) {
        px[..3].fill(0.0);
    }
    let found = check(&[entry(1, &f, &ten)], &Thresholds::default());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].check, found[0].severity),
        (Check::Clipped, Severity::Warn)
    );
}

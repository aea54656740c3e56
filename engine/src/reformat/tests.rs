//! Reformat tests: parsing and its errors, the geometry of each resize mode,
//! the weights, the identity pass-through, and the resampler against
//! OpenImageIO's `oiiotool --resize` on small frames.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;
use crate::io::{self, BitDepth, WriteOptions};
use crate::testcard::test_card;
use crate::Frame;

fn src(width: u32, height: u32) -> SourceGeometry {
    SourceGeometry {
        width,
        height,
        par: 1.0,
    }
}

fn fmt(s: &str) -> Format {
    Format::parse(s).unwrap()
}

fn summary(r: &Reformat, s: SourceGeometry) -> PlanSummary {
    r.plan(s).unwrap().summary()
}

fn usage(e: Error) -> String {
    match e {
        Error::Usage(m) => m,
        other => panic!("expected a usage error, got {other:?}"),
    }
}

#[test]
fn formats_parse_by_name_and_size() {
    assert_eq!(
        fmt("hd"),
        Format {
            width: 1920,
            height: 1080,
            par: 1.0
        }
    );
    assert_eq!(fmt("UHD").width, 3840);
    assert_eq!(
        fmt("4k-Scope"),
        Format {
            width: 4096,
            height: 1716,
            par: 1.0
        }
    );
    assert_eq!(fmt("2k-flat").width, 1998);
    assert_eq!(
        fmt("2048x858:2"),
        Format {
            width: 2048,
            height: 858,
            par: 2.0
        }
    );
    assert_eq!(fmt("720x576:1.0926").par, 1.0926);
    assert_eq!(Format::names().count(), 8);
    for name in Format::names() {
        assert_eq!(Format::parse(name).unwrap(), Format::named(name).unwrap());
    }
}

#[test]
fn bad_formats_name_the_flag() {
    for (arg, want) in [
        ("0x1080", "--format 0x1080: width is 0"),
        ("1920x0", "--format 1920x0: height is 0"),
        ("foo", "--format foo: unknown format name; nearest: "),
        ("uhdd", "nearest: uhd"),
        (
            "1920x1080:0",
            "--format 1920x1080:0: pixel aspect 0 must be a positive number",
        ),
        ("1920x1080:-2", "must be a positive number"),
        ("1920x1080:nan", "must be a positive number"),
        ("1920x1080:inf", "must be a positive number"),
        ("99999x10", "larger than grade accepts"),
        ("60000x60000", "more pixels than grade accepts"),
        ("19x20x3", "is not a whole number"),
        ("", "unknown format name"),
    ] {
        let m = usage(Format::parse(arg).unwrap_err());
        assert!(m.contains(want), "{arg}: {m}");
    }
    let m = usage(Resize::parse("fitt").unwrap_err());
    assert!(m.starts_with("--resize fitt: unknown; nearest: fit"), "{m}");
    let m = usage(Filter::parse("lanczos").unwrap_err());
    assert!(
        m.starts_with("--filter lanczos: unknown; nearest: lanczos3"),
        "{m}"
    );
    assert_eq!(Filter::parse("Catmull-Rom").unwrap(), Filter::CatmullRom);
    for f in Filter::names() {
        assert_eq!(Filter::parse(f).unwrap().name(), f);
    }
    for r in Resize::names() {
        assert_eq!(Resize::parse(r).unwrap().name(), r);
    }
    assert_eq!(
        Crop::parse("10, 20,30,40").unwrap(),
        Crop {
            x: 10,
            y: 20,
            width: 30,
            height: 40
        }
    );
    for bad in ["1,2,3", "1,2,0,4", "a,b,c,d", "-1,0,4,4"] {
        assert!(usage(Crop::parse(bad).unwrap_err()).starts_with(&format!("--crop {bad}: ")));
    }
}

#[test]
fn bad_plans_name_the_flag_and_never_panic() {
    let mut r = Reformat::to(fmt("hd"));
    r.crop = Some(Crop {
        x: 10,
        y: 10,
        width: 5000,
        height: 20,
    });
    let m = usage(r.plan(src(2048, 1080)).unwrap_err());
    assert!(
        m.starts_with("--crop 10,10,5000,20: outside the 2048x1080 source"),
        "{m}"
    );
    r.crop = Some(Crop {
        x: u32::MAX,
        y: 0,
        width: u32::MAX,
        height: 1,
    });
    assert!(r.plan(src(2048, 1080)).is_err());

    let mut r = Reformat::to(fmt("hd"));
    r.reposition.scale = 1e6;
    let m = usage(r.plan(src(1920, 1080)).unwrap_err());
    assert!(
        m.starts_with("--scale 1000000: ") && m.contains("larger than grade accepts"),
        "{m}"
    );
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        r.reposition.scale = bad;
        assert!(usage(r.plan(src(1920, 1080)).unwrap_err()).starts_with("--scale"));
    }

    let mut r = Reformat::to(fmt("hd"));
    r.source_par = Some(0.0);
    assert!(usage(r.plan(src(1920, 1080)).unwrap_err()).starts_with("--source-par 0: "));
    r.source_par = None;
    let m = usage(
        r.plan(SourceGeometry {
            par: -1.0,
            ..src(10, 10)
        })
        .unwrap_err(),
    );
    assert!(m.contains("--source-par"), "{m}");
    // A 1-pixel source into a huge frame is fine, and so is a tiny scale.
    Reformat::to(fmt("4096x4096")).plan(src(1, 1)).unwrap();
    let mut r = Reformat::to(fmt("64x64"));
    r.reposition.scale = 1e-9;
    let p = r.plan(src(64, 64)).unwrap();
    let mut out = Vec::new();
    p.apply(&vec![0.5; 64 * 64 * 4], &mut out);
    assert_eq!(out.len(), 64 * 64 * 4);
}

/// Sources the geometry tests place, as (width, height) of the picture.
fn picture(s: &PlanSummary) -> (f64, f64) {
    (
        s.scale_x * f64::from(s.source_width),
        s.scale_y * f64::from(s.source_height),
    )
}

#[test]
fn fit_letterboxes_and_pillarboxes() {
    // 2.39:1 into UHD: full width, bars top and bottom.
    let s = summary(&Reformat::to(fmt("uhd")), src(4096, 1716));
    assert_eq!((s.scale_x, s.scale_y), (0.9375, 0.9375));
    assert_eq!((s.offset_x, s.offset_y), (0.0, 275.625));
    assert_eq!(picture(&s), (3840.0, 1608.75));
    assert_eq!(
        s.active,
        Area {
            x: 0,
            y: 276,
            width: 3840,
            height: 1608
        }
    );
    // 4:3 into HD: full height, bars left and right.
    let s = summary(&Reformat::to(fmt("hd")), src(1440, 1080));
    assert_eq!((s.scale_x, s.offset_x, s.offset_y), (1.0, 240.0, 0.0));
    assert_eq!(
        s.active,
        Area {
            x: 240,
            y: 0,
            width: 1440,
            height: 1080
        }
    );
    assert_eq!((s.filter, s.resize), ("lanczos3", "fit"));
}

#[test]
fn each_resize_mode_places_the_picture() {
    let mode = |m: Resize, s: SourceGeometry, f: &str| {
        let mut r = Reformat::to(fmt(f));
        r.resize = m;
        summary(&r, s)
    };
    // Fill: cover the frame, the sides cropped.
    let s = mode(Resize::Fill, src(4096, 1716), "uhd");
    assert_eq!(s.scale_y, 2160.0 / 1716.0);
    assert!((s.offset_x - (3840.0 - 4096.0 * s.scale_x) / 2.0).abs() < 1e-9);
    assert!(s.offset_x < 0.0 && s.offset_y == 0.0);
    assert_eq!(
        s.active,
        Area {
            x: 0,
            y: 0,
            width: 3840,
            height: 2160
        }
    );
    // Width: the width matches, the height follows (here cropped).
    let s = mode(Resize::Width, src(1440, 1080), "hd");
    assert_eq!((s.scale_x, s.scale_y), (4.0 / 3.0, 4.0 / 3.0));
    assert_eq!((s.offset_x, s.offset_y), (0.0, -180.0));
    // Height: the height matches, the width follows (here padded).
    let s = mode(Resize::Height, src(1440, 1080), "hd");
    assert_eq!((s.scale_x, s.offset_x), (1.0, 240.0));
    // Stretch: both match, whatever the aspect.
    let s = mode(Resize::Stretch, src(1440, 1080), "hd");
    assert_eq!(
        (s.scale_x, s.scale_y, s.offset_x, s.offset_y),
        (4.0 / 3.0, 1.0, 0.0, 0.0)
    );
    // None: 1:1 pixels, padded (the odd pixel right/down) or cropped.
    let s = mode(Resize::None, src(1001, 500), "hd");
    assert_eq!(
        (s.scale_x, s.scale_y, s.offset_x, s.offset_y),
        (1.0, 1.0, 459.0, 290.0)
    );
    assert_eq!(
        s.active,
        Area {
            x: 459,
            y: 290,
            width: 1001,
            height: 500
        }
    );
    let s = mode(Resize::None, src(3840, 2160), "hd");
    assert_eq!((s.offset_x, s.offset_y), (-960.0, -540.0));
    assert_eq!(
        s.active,
        Area {
            x: 0,
            y: 0,
            width: 1920,
            height: 1080
        }
    );
}

#[test]
fn anamorphic_scope_desqueezes_into_square_uhd() {
    let s = summary(
        &Reformat::to(fmt("uhd")),
        SourceGeometry {
            width: 2048,
            height: 858,
            par: 2.0,
        },
    );
    // Displayed 4096x858: fitted to the width, 3840 x 804.375 square pixels.
    assert_eq!((s.scale_x, s.scale_y), (1.875, 0.9375));
    assert_eq!(picture(&s), (3840.0, 804.375));
    assert_eq!((s.offset_x, s.offset_y), (0.0, 677.8125));
    assert_eq!(
        s.active,
        Area {
            x: 0,
            y: 678,
            width: 3840,
            height: 804
        }
    );
    // --source-par overrides what the file says.
    let mut r = Reformat::to(fmt("uhd"));
    r.source_par = Some(2.0);
    assert_eq!(summary(&r, src(2048, 858)), s);
    // Into a 2x anamorphic format it stays 1:1 in shape.
    let s = summary(
        &Reformat::to(fmt("2048x858:2")),
        SourceGeometry {
            width: 2048,
            height: 858,
            par: 2.0,
        },
    );
    assert!(Reformat::to(fmt("2048x858:2"))
        .plan(SourceGeometry {
            width: 2048,
            height: 858,
            par: 2.0
        })
        .unwrap()
        .is_identity());
    assert_eq!((s.scale_x, s.scale_y), (1.0, 1.0));
}

#[test]
fn crop_and_reposition_move_the_picture() {
    let mut r = Reformat::to(fmt("hd"));
    r.crop = Some(Crop {
        x: 100,
        y: 50,
        width: 960,
        height: 540,
    });
    let s = summary(&r, src(2048, 1080));
    assert_eq!(
        (s.scale_x, s.scale_y, s.offset_x, s.offset_y),
        (2.0, 2.0, 0.0, 0.0)
    );
    r.crop = None;
    r.reposition = Reposition {
        scale: 0.5,
        translate: [10.0, -4.0],
        rotate: 0.0,
    };
    let s = summary(&r, src(1920, 1080));
    assert_eq!((s.scale_x, s.offset_x, s.offset_y), (0.5, 490.0, 266.0));
    assert_eq!(
        s.active,
        Area {
            x: 490,
            y: 266,
            width: 960,
            height: 540
        }
    );
}

#[test]
fn weights_sum_to_one() {
    for f in Filter::names().map(|n| Filter::parse(n).unwrap()) {
        for (len, out) in [
            (3840u32, 1920u32),
            (1920, 3840),
            (1000, 469),
            (17, 1001),
            (64, 64),
        ] {
            let scale = f64::from(out) / f64::from(len);
            let a = Axis::new(f, 0..out, scale, 0.0, 0, len);
            assert_eq!(a.len(), out as usize);
            for sp in &a.spans {
                let w = &a.weights[sp.at as usize..(sp.at + sp.count) as usize];
                let sum: f64 = w.iter().map(|v| f64::from(*v)).sum();
                assert!((sum - 1.0).abs() < 1e-6, "{f:?} {len}->{out}: {sum}");
                assert!(sp.first + sp.count <= len && sp.count >= 1);
            }
        }
    }
    // Shrinking by 2 widens lanczos3 to 12 taps (13 with the centre's
    // neighbours at exactly 0 trimmed).
    let a = Axis::new(Filter::Lanczos3, 0..960, 0.5, 0.0, 0, 1920);
    assert_eq!(a.spans[400].count, 12);
}

/// A frame with structure at every scale: a test card plus NaN-free ramps
/// and -0.0, so bit comparisons see every kind of value.
fn card(w: u32, h: u32) -> Vec<f32> {
    let mut f = test_card(w, h, 7, [1.0, 0.9, 0.8]);
    for (i, px) in f.pixels.chunks_exact_mut(4).enumerate() {
        px[3] = (i % 7) as f32 / 7.0;
    }
    f.pixels[0] = -0.0;
    f.pixels
}

#[test]
fn identity_is_the_same_bits() {
    let r = Reformat::to(fmt("96x54"));
    let p = r.plan(src(96, 54)).unwrap();
    assert!(p.is_identity());
    let mut px = card(96, 54);
    px[5] = f32::NAN;
    px[9] = f32::INFINITY;
    let mut out = vec![1.0; 3];
    p.apply(&px, &mut out);
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&out), bits(&px));
    // Not an identity: another size, pixel aspect, a crop or a reposition.
    assert!(!r
        .plan(SourceGeometry {
            par: 2.0,
            ..src(96, 54)
        })
        .unwrap()
        .is_identity());
    let mut c = r.clone();
    c.crop = Some(Crop {
        x: 0,
        y: 0,
        width: 95,
        height: 54,
    });
    assert!(!c.plan(src(96, 54)).unwrap().is_identity());
    // A 1:1 pad copies the pixels it keeps, exactly.
    let mut pad = Reformat::to(fmt("100x60"));
    pad.resize = Resize::None;
    let p = pad.plan(src(96, 54)).unwrap();
    p.apply(&px[..], &mut out);
    let s = p.summary();
    assert_eq!((s.offset_x, s.offset_y), (2.0, 3.0));
    for y in 0..54usize {
        let o = ((y + 3) * 100 + 2) * 4;
        assert_eq!(
            bits(&out[o..o + 96 * 4]),
            bits(&px[y * 96 * 4..(y + 1) * 96 * 4]),
            "row {y}"
        );
    }
}

#[test]
fn fit_bars_are_exactly_black() {
    let p = Reformat::to(fmt("64x48")).plan(src(64, 27)).unwrap();
    let a = p.active();
    // Placed at row 10.5: row 10's centre is the picture's top edge.
    assert_eq!((a.y, a.height), (10, 27));
    let mut out = Vec::new();
    p.apply(&card(64, 27), &mut out);
    for y in (0..10).chain(37..48) {
        for x in 0..64 {
            let i = (y * 64 + x) * 4;
            assert_eq!(out[i..i + 4], [0.0, 0.0, 0.0, 1.0], "({x},{y})");
        }
    }
    assert!(out[(20 * 64 + 30) * 4..].iter().take(4).any(|v| *v != 0.0));
}

#[test]
fn rotation_keeps_the_picture_centred() {
    let mut r = Reformat::to(fmt("64x64"));
    r.resize = Resize::None;
    r.reposition.rotate = 90.0;
    let p = r.plan(src(64, 64)).unwrap();
    let mut px = vec![0.0f32; 64 * 64 * 4];
    // A bright pixel right of centre ends up above it (counter-clockwise).
    px[(32 * 64 + 50) * 4] = 1.0;
    let mut out = Vec::new();
    p.apply(&px, &mut out);
    let at = |x: usize, y: usize| out[(y * 64 + x) * 4];
    assert!(at(32, 13) > 0.9, "{}", at(32, 13));
    assert!(at(50, 32).abs() < 1e-6);
}

/// `oiiotool` beside the reference Python, or `None` outside CI.
fn oiiotool() -> Option<PathBuf> {
    let py = crate::testutil::reference_python()?;
    Some(py.with_file_name("oiiotool"))
}

fn write_exr(path: &Path, w: u32, h: u32, pixels: Vec<f32>) {
    let mut f = Frame::new(w, h);
    f.pixels = pixels;
    let opts = WriteOptions {
        depth: Some(BitDepth::Float),
        alpha: Some(true),
        ..Default::default()
    };
    io::write_frame(path, &f, &opts).unwrap();
}

/// Our resize against `oiiotool --resize:filter=F WxH` on a small test
/// card, down and up, each filter OpenImageIO shares with us. Both use
/// pixel centres at +0.5, a kernel widened by 1/scale when shrinking and
/// edge pixels repeated; OpenImageIO evaluates in f32 and we in f64, so the
/// tolerance is a few f32 roundings of values up to about 1.
#[test]
fn resize_matches_oiiotool() {
    let Some(tool) = oiiotool() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (sw, sh) = (96, 54);
    let px = card(sw, sh);
    let input = tmp.path().join("in.exr");
    write_exr(&input, sw, sh, px.clone());
    for (filter, oiio) in [
        (Filter::Lanczos3, "lanczos3"),
        (Filter::CatmullRom, "catmull-rom"),
        (Filter::Mitchell, "mitchell"),
        (Filter::Bilinear, "triangle"),
        (Filter::Box, "box"),
    ] {
        for (w, h) in [(40, 22), (48, 27), (200, 117)] {
            if filter == Filter::Box && w > sw {
                // Enlarged, a box is the nearest pixel, and where an output
                // centre falls exactly between two source pixels OpenImageIO's
                // f32 arithmetic and our f64 choose differently.
                continue;
            }
            let out = tmp.path().join(format!("{oiio}.{w}.exr"));
            let st = Command::new(&tool)
                .arg(&input)
                .arg(format!("--resize:filter={oiio}"))
                .arg(format!("{w}x{h}"))
                .arg("-d")
                .arg("float")
                .arg("-o")
                .arg(&out)
                .status()
                .unwrap();
            assert!(st.success());
            let theirs = io::read_frame(&out).unwrap();
            let mut r = Reformat::to(Format {
                width: w,
                height: h,
                par: 1.0,
            });
            r.resize = Resize::Stretch;
            r.filter = filter;
            let mut ours = Vec::new();
            r.plan(src(sw, sh)).unwrap().apply(&px, &mut ours);
            let worst = ours
                .iter()
                .zip(&theirs.pixels)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0f32, f32::max);
            assert!(
                worst < 2e-5,
                "{oiio} {sw}x{sh} -> {w}x{h}: max |diff| {worst}"
            );
        }
    }
}

/// A 2.39:1 picture fitted into a 16:9 frame against `oiiotool
/// --fit:filter=lanczos3:exact=1`, which places it at the same fractional
/// offset. Its warp blends black into the picture's edge rows where ours
/// repeats the edge, so rows near the edges are left out; the bars must be
/// exactly black.
#[test]
fn fit_matches_oiiotool_fit_exact() {
    let Some(tool) = oiiotool() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (sw, sh, w, h) = (256, 107, 240, 135);
    let px = card(sw, sh);
    let input = tmp.path().join("in.exr");
    write_exr(&input, sw, sh, px.clone());
    let out = tmp.path().join("fit.exr");
    let st = Command::new(&tool)
        .arg(&input)
        .args(["--fit:filter=lanczos3:exact=1", &format!("{w}x{h}")])
        .args(["-d", "float", "-o"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(st.success());
    let theirs = io::read_frame(&out).unwrap();
    assert_eq!((theirs.width, theirs.height), (w, h));
    let p = Reformat::to(Format {
        width: w,
        height: h,
        par: 1.0,
    })
    .plan(src(sw, sh))
    .unwrap();
    let a = p.active();
    let mut ours = Vec::new();
    p.apply(&px, &mut ours);
    let (mut sum, mut n, mut worst) = (0.0f64, 0usize, 0.0f32);
    for y in a.y + 4..a.y + a.height - 4 {
        for x in 4..w - 4 {
            let i = ((y * w + x) * 4) as usize;
            for c in 0..3 {
                let d = (ours[i + c] - theirs.pixels[i + c]).abs();
                sum += f64::from(d);
                n += 1;
                worst = worst.max(d);
            }
        }
    }
    let mean = sum / n as f64;
    println!("fit vs oiiotool --fit:exact=1: mean |diff| {mean:.2e}, max {worst:.2e}");
    assert!(mean < 1e-3 && worst < 2e-2, "mean {mean}, max {worst}");
    for y in (0..a.y).chain(a.y + a.height..h) {
        let row = &ours[(y * w * 4) as usize..((y + 1) * w * 4) as usize];
        assert!(row.chunks(4).all(|p| p == [0.0, 0.0, 0.0, 1.0]), "row {y}");
    }
}

/// The GPU's resampler against this CPU code, to the bit: shrinking by 0.5
/// and by 0.46875, enlarging by 2, a 2x anamorphic desqueeze at 1.0
/// vertically, and a fit with a letterbox; each with no grade, and the fit
/// with a CDL before and after the reformat.
#[cfg(feature = "gpu")]
#[test]
fn gpu_resamples_to_the_cpu_bits() {
    use crate::gpu::Executor;
    use crate::grade::{samples, Op, Program};
    use crate::ops::{cdl::CdlStyle, Direction};
    let Some(ctx) = crate::gpu::tests::ctx() else {
        return;
    };
    let cdl = Program {
        ops: vec![Op::Cdl(samples::cdl(CdlStyle::Asc, Direction::Forward))],
    }
    .pack();
    let none = Program { ops: vec![] }.pack();
    type Case = (&'static str, (u32, u32, f64), (u32, u32), Resize);
    let cases: [Case; 5] = [
        ("0.5x", (96, 54, 1.0), (48, 27), Resize::Stretch),
        ("0.46875x", (128, 64, 1.0), (60, 30), Resize::Stretch),
        ("2x", (40, 24, 1.0), (80, 48), Resize::Stretch),
        ("1.0x, 2x anamorphic", (48, 20, 2.0), (96, 20), Resize::Fit),
        ("fit, letterbox", (128, 54, 1.0), (96, 54), Resize::Fit),
    ];
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    for (name, (sw, sh, par), (w, h), resize) in cases {
        let mut r = Reformat::to(Format {
            width: w,
            height: h,
            par: 1.0,
        });
        r.resize = resize;
        let plan = Arc::new(
            r.plan(SourceGeometry {
                width: sw,
                height: sh,
                par,
            })
            .unwrap(),
        );
        assert_eq!(plan.output_size(), (w, h));
        let px = card(sw, sh);
        let graded = if name.starts_with("fit") {
            vec![false, true]
        } else {
            vec![false]
        };
        for grade in graded {
            for after in [false, true] {
                let program = if grade { &cdl } else { &none };
                let fast = crate::cpu::fast::Executor::new(program).unwrap();
                let mut cpu = Vec::new();
                if after {
                    let mut src = px.clone();
                    fast.apply_parallel(&mut src);
                    plan.apply(&src, &mut cpu);
                } else {
                    plan.apply(&px, &mut cpu);
                    fast.apply_parallel(&mut cpu);
                }
                let mut ex = Executor::new(ctx, program).unwrap();
                assert!(ex.pipelines_reformat(&plan));
                let (t, _) = ex
                    .submit_reformat_timed(px.clone(), sw, sh, &plan, after)
                    .unwrap();
                let gpu = ex.collect(t).unwrap();
                let (c, g) = (bits(&cpu), bits(&gpu));
                let differ = c.iter().zip(&g).filter(|(a, b)| a != b).count();
                assert!(
                    c == g,
                    "{name} (grade {grade}, after {after}): {differ} of {} values differ; first at {:?}",
                    c.len(),
                    c.iter().zip(&g).position(|(a, b)| a != b)
                );
            }
        }
    }
}

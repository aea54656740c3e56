use std::path::{Path, PathBuf};

use super::*;
use crate::testcard::test_card;
use crate::Metadata;

fn source(dir: &Path, name: &str, (w, h): (u32, u32)) -> PathBuf {
    let path = dir.join(name);
    io::write_frame(
        &path,
        &test_card(w, h, 1, [1.0, 0.9, 0.8]),
        &Default::default(),
    )
    .unwrap();
    path
}

fn recipe(input: &Path, output: PathBuf) -> FrameRecipe {
    FrameRecipe {
        number: 1,
        output,
        layers: vec![(
            Layer::Source {
                path: input.to_path_buf(),
                program: 0,
                reformat: None,
            },
            1.0,
        )],
        black_size: (0, 0),
        over: Vec::new(),
        meta: Metadata::default(),
    }
}

#[test]
fn outputs_that_are_inputs_are_refused_naming_both() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let input = source(d, "in.1.dpx", (16, 8));
    let other = source(d, "in.2.dpx", (16, 8));
    std::fs::hard_link(&input, d.join("hard.dpx")).unwrap();
    std::os::unix::fs::symlink(d, d.join("link")).unwrap();
    for (output, how) in [
        (input.clone(), "the same path"),
        (d.join("hard.dpx"), "a hard link"),
        (d.join("link/in.1.dpx"), "symbolic link"),
        // Another frame's input is as much a source as its own.
        (other.clone(), "the same path"),
    ] {
        let e = refuse_inputs(&[
            recipe(&input, d.join("fine.dpx")),
            recipe(&input, output.clone()),
            recipe(&other, d.join("also-fine.dpx")),
        ])
        .unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        let msg = e.to_string();
        assert!(msg.contains(&output.display().to_string()), "{msg}");
        assert!(msg.contains("in.") && msg.contains(how), "{msg}");
        assert!(msg.contains("--overwrite-input"), "{msg}");
    }
    refuse_inputs(&[recipe(&input, d.join("out.dpx"))]).unwrap();
}

/// For each format and a few depths, a frame written by the writer with the
/// job's options is whole; an empty, a truncated, a wrong-size, a
/// wrong-depth and a foreign file are not, and say why.
#[test]
fn skip_existing_trusts_only_whole_frames_of_the_job() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let input = source(d, "in.dpx", (40, 24));
    let small = source(d, "small.dpx", (20, 12));
    let cases = [
        ("dpx", None, Some(BitDepth::U10)),
        ("dpx", None, None),
        ("exr", None, None),
        ("exr", None, Some(BitDepth::Float)),
        ("exr", Some(true), None),
        ("tif", None, None),
        ("tif", None, Some(BitDepth::U8)),
    ];
    for (i, (ext, alpha, depth)) in cases.into_iter().enumerate() {
        let opts = WriteOptions {
            depth,
            alpha,
            ..Default::default()
        };
        let label = format!("{ext} {depth:?} alpha {alpha:?}");
        let out = d.join(format!("out{i}.{ext}"));
        let r = recipe(&input, out.clone());
        assert_eq!(existing(&r, &opts), Existing::Absent, "{label}");
        let frame = io::read_frame(&input).unwrap();
        io::write_frame(&out, &frame, &opts).unwrap();
        assert_eq!(existing(&r, &opts), Existing::Whole, "{label}");
        let good = std::fs::read(&out).unwrap();

        let broken = |bytes: &[u8], why: &str| {
            std::fs::write(&out, bytes).unwrap();
            match existing(&r, &opts) {
                Existing::Broken(msg) => {
                    assert!(msg.contains(&format!("out{i}.")), "{label}: {msg}");
                    assert!(msg.contains(why), "{label}: {msg} (expected {why:?})");
                }
                other => panic!("{label} {why}: {other:?}"),
            }
        };
        broken(b"", "empty");
        broken(&good[..good.len() - 1], "");
        broken(&good[..good.len() / 2], "");
        // Another size.
        let f = io::read_frame(&small).unwrap();
        io::write_frame(&out, &f, &opts).unwrap();
        let bytes = std::fs::read(&out).unwrap();
        broken(&bytes, "20x12, where this job's frame is 40x24");
        // A reformat sets the size a whole output has.
        let mut to_small = r.clone();
        if let Layer::Source { reformat, .. } = &mut to_small.layers[0].0 {
            *reformat = Some(crate::reformat::Reformat::to(crate::reformat::Format {
                width: 20,
                height: 12,
                par: 1.0,
            }));
        }
        assert_eq!(existing(&to_small, &opts), Existing::Whole, "{label}");
        // Another depth.
        let other = WriteOptions {
            depth: Some(if ext == "exr" {
                if depth == Some(BitDepth::Float) {
                    BitDepth::Half
                } else {
                    BitDepth::Float
                }
            } else if depth == Some(BitDepth::U8) || depth == Some(BitDepth::U10) {
                BitDepth::U16
            } else {
                BitDepth::U8
            }),
            ..opts.clone()
        };
        io::write_frame(&out, &frame, &other).unwrap();
        let bytes = std::fs::read(&out).unwrap();
        broken(&bytes, "samples, where this job writes");
        // Another format's bytes under this name.
        let foreign = if ext == "dpx" { "exr" } else { "dpx" };
        let f = d.join(format!("foreign.{foreign}"));
        io::write_frame(&f, &frame, &Default::default()).unwrap();
        broken(&std::fs::read(&f).unwrap(), "");
    }
}

#[test]
fn full_volumes_are_told_from_other_write_errors() {
    let full = Error::write("a.dpx", std::io::Error::from_raw_os_error(libc::ENOSPC));
    assert!(out_of_space(&full));
    let quota = Error::write("a.dpx", std::io::Error::from_raw_os_error(libc::EDQUOT));
    assert!(out_of_space(&quota));
    let denied = Error::write("a.dpx", std::io::Error::from_raw_os_error(libc::EACCES));
    assert!(!out_of_space(&denied));
    let input = Error::read("a.dpx", std::io::Error::from_raw_os_error(libc::ENOSPC));
    assert!(!out_of_space(&input));

    let cancel = AtomicBool::new(false);
    let v = FullVolume::default();
    v.check(&denied, Path::new("/proc/self/x"), &cancel);
    assert!(!cancel.load(Ordering::SeqCst));
    v.check(&full, Path::new("/proc/self/x"), &cancel);
    assert!(cancel.load(Ordering::SeqCst));
    let volume = v.into_volume().unwrap();
    assert_eq!(volume, "/proc (proc)");
    assert_eq!(unescape_mount(r"/mnt/my\040disk\134x"), r"/mnt/my disk\x");
}

//! Shared helpers: run the binary, find fixtures, make test frames.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use grade_engine::io::{BitDepth, WriteOptions};
use grade_engine::Frame;

pub fn grade() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_grade"));
    c.env("NODEVICE_SELECT", "1");
    c
}

/// Runs and prints what the binary said (shown when a test fails).
pub fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("run grade");
    eprintln!(
        "grade exited {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

/// A frame whose pixels sweep [-0.25, 1.25] so clamps and negatives are exercised.
pub fn test_frame(w: u32, h: u32) -> Frame {
    let mut f = Frame::new(w, h);
    for y in 0..h {
        for x in 0..w {
            let i = ((y * w + x) * 4) as usize;
            let u = x as f32 / (w - 1) as f32;
            let v = y as f32 / (h - 1) as f32;
            f.pixels[i] = -0.25 + 1.5 * u;
            f.pixels[i + 1] = -0.25 + 1.5 * v;
            f.pixels[i + 2] = -0.25 + 1.5 * (1.0 - u * v);
        }
    }
    f
}

pub fn float_exr() -> WriteOptions {
    WriteOptions {
        depth: Some(BitDepth::Float),
        ..Default::default()
    }
}

/// Writes [`test_frame`] as a float EXR `in.exr` in `dir`; returns its path
/// and the frame.
pub fn exr_input(dir: &Path, w: u32, h: u32) -> (PathBuf, Frame) {
    let input = dir.join("in.exr");
    let frame = test_frame(w, h);
    grade_engine::io::write_frame(&input, &frame, &float_exr()).expect("write the test frame");
    (input, frame)
}

/// Every file in `dir` by name with its bytes.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// `root/name`, created.
pub fn subdir(root: &Path, name: &str) -> PathBuf {
    let p = root.join(name);
    std::fs::create_dir_all(&p).unwrap();
    p
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

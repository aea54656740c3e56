//! DPX tests. Expected pixels and attributes come from OpenImageIO 3.2
//! (`testutil::oiio_read`, scripts/reference/oiio_dump.py) reading the same
//! file; fixtures in tests/data/dpx/ were written by
//! scripts/reference/make_dpx_fixtures.py. One concern per file: against
//! OpenImageIO (`reference`), header fields (`fields`), writing (`write`),
//! damaged files (`damage`); the helpers they share are here.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::header::{self, timecode_from_bcd, timecode_to_bcd};
use super::*;
use crate::testutil::{fixture, fixtures_with_ext, oiio_read, reference_python, repo_root};
use crate::SmpteTimecode;

mod damage;
mod fields;
mod reference;
mod write;

fn nuke() -> PathBuf {
    fixture("public/oiio-images/dpx/dpx_nuke_10bits_rgb.dpx")
}

fn our_fixtures() -> Vec<PathBuf> {
    fixtures_with_ext("dpx", &["dpx"])
}

/// A frame whose samples are exact code values of `bits`, with metadata.
fn test_frame(width: u32, height: u32, bits: u32, alpha: bool) -> Frame {
    let max = ((1u32 << bits) - 1) as f32;
    let mut f = Frame::new(width, height);
    let mut seed = 0x2545_f491_u32;
    for (i, v) in f.pixels.iter_mut().enumerate() {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let code = match i {
            0 => 0,
            1 => (1u32 << bits) - 1,
            _ => seed % (1u32 << bits),
        };
        *v = code as f32 / max;
        if i % 4 == 3 && !alpha {
            *v = 1.0;
        }
    }
    f.meta = Metadata {
        timecode: Some(SmpteTimecode {
            hours: 1,
            minutes: 2,
            seconds: 3,
            frames: 4,
            drop_frame: false,
        }),
        user_bits: Some(0x1234_5678),
        fps: Some(24.0),
        reel: Some("A001R2AB".into()),
        source_file: Some("A001C003.0001001.dpx".into()),
        creator: Some("grade tests".into()),
        created: Some("2026:01:02:03:04:05Z".into()),
        project: Some("Project X".into()),
        copyright: Some("(c) nobody".into()),
        ..Metadata::default()
    };
    f.meta
        .extra
        .insert("dpx:SlateInfo".into(), "SC12 TK3".into());
    // Orientation 1 (right to left, top to bottom): OpenImageIO 3.2 maps
    // codes 0 and 1 the same way reading and writing, but swaps 2 and 3
    // when it rewrites a file (dpxinput.cpp and dpxoutput.cpp disagree).
    f.meta.extra.insert("dpx:Orientation".into(), "1".into());
    f
}

fn opts(depth: BitDepth, endian: Endian, alpha: bool) -> WriteOptions {
    WriteOptions {
        depth: Some(depth),
        dpx_endian: Some(endian),
        alpha: Some(alpha),
        ..WriteOptions::default()
    }
}

fn assert_same_meta(a: &Metadata, b: &Metadata) {
    assert_eq!(a.timecode, b.timecode);
    assert_eq!(a.user_bits, b.user_bits);
    assert_eq!(a.fps, b.fps);
    assert_eq!(a.reel, b.reel);
    for k in ["dpx:SlateInfo", "dpx:Orientation"] {
        assert_eq!(a.extra.get(k), b.extra.get(k), "{k}");
    }
}

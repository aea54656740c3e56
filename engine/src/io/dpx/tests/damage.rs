//! Damaged and truncated files: every prefix and every header edit gives
//! an error or a frame, never a panic.

use super::*;

#[test]
fn every_prefix_gives_an_error_or_a_frame() {
    let mut files = our_fixtures();
    files.push(nuke());
    let mut errors = 0usize;
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        // Every prefix of the small fixtures; for the 1 MB Nuke frame every
        // prefix through the header and a stride through the pixels.
        let step = if bytes.len() > 100_000 { 4093 } else { 1 };
        let mut n = 0;
        while n < bytes.len() {
            match read_bytes(&bytes[..n], f) {
                Ok(_) => panic!("{}: a {n}-byte prefix decoded", f.display()),
                Err(Error::Invalid { path, .. }) => assert_eq!(&path, f),
                Err(e) => panic!("{}: prefix {n}: unexpected error {e}", f.display()),
            }
            errors += 1;
            n += if n < 2100 { 1 } else { step };
        }
        read_bytes(&bytes, f).unwrap();
    }
    println!(
        "truncation sweep: {errors} prefixes of {} files, all errors, no panic",
        files.len()
    );
}

fn damaged(edit: impl FnOnce(&mut Vec<u8>)) -> Error {
    let mut bytes = std::fs::read(fixture("dpx/rgb_10a_be.dpx")).unwrap();
    edit(&mut bytes);
    read_bytes(&bytes, Path::new("damaged.dpx")).unwrap_err()
}

fn put_be(bytes: &mut [u8], at: usize, v: u32) {
    bytes[at..at + 4].copy_from_slice(&v.to_be_bytes());
}

#[test]
fn damaged_headers_give_errors() {
    let cases: Vec<(&str, Error, &str)> = vec![
        (
            "huge width",
            damaged(|b| put_be(b, header::PIXELS_PER_LINE, 0x7FFF_FFFF)),
            "larger than grade accepts",
        ),
        (
            "zero height",
            damaged(|b| put_be(b, header::LINES_PER_ELEMENT, 0)),
            "empty",
        ),
        (
            "big frame, small file",
            damaged(|b| {
                put_be(b, header::PIXELS_PER_LINE, 4096);
                put_be(b, header::LINES_PER_ELEMENT, 4096);
            }),
            "truncated",
        ),
        (
            "offset past end",
            damaged(|b| put_be(b, header::ELEMENT + header::EL_DATA_OFFSET, 0xFFFF_FF00)),
            "truncated",
        ),
        (
            "offset inside header",
            damaged(|b| put_be(b, header::ELEMENT + header::EL_DATA_OFFSET, 12)),
            "inside the header",
        ),
        (
            "bad magic",
            damaged(|b| b[..4].copy_from_slice(b"PNG!")),
            "not a DPX file",
        ),
        (
            "no elements",
            damaged(|b| b[header::ELEMENT_COUNT..header::ELEMENT_COUNT + 2].fill(0)),
            "image elements",
        ),
    ];
    for (what, err, needle) in cases {
        let msg = err.to_string();
        if what == "huge width" {
            assert!(matches!(err, Error::Limit { .. }), "{what}: {msg}");
        } else {
            assert!(matches!(err, Error::Invalid { .. }), "{what}: {msg}");
        }
        assert!(msg.starts_with("damaged.dpx: "), "{what}: {msg}");
        assert!(msg.contains(needle), "{what}: {msg}");
    }
    let unsupported: Vec<(&str, Error)> = vec![
        (
            "RLE",
            damaged(|b| b[header::ELEMENT + header::EL_ENCODING + 1] = 1),
        ),
        (
            "CbYCrY",
            damaged(|b| b[header::ELEMENT + header::EL_DESCRIPTOR] = 100),
        ),
        (
            "32-bit",
            damaged(|b| b[header::ELEMENT + header::EL_BIT_DEPTH] = 32),
        ),
        (
            "signed",
            damaged(|b| put_be(b, header::ELEMENT + header::EL_DATA_SIGN, 1)),
        ),
    ];
    for (what, err) in unsupported {
        assert!(matches!(err, Error::Unsupported { .. }), "{what}: {err}");
    }
}

#[test]
fn read_info_checks_the_file_length() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(fixture("dpx/rgb_16_le.dpx")).unwrap();
    let cut = dir.path().join("cut.dpx");
    std::fs::write(&cut, &bytes[..bytes.len() - 1]).unwrap();
    let err = read_info(&cut).unwrap_err().to_string();
    assert!(
        err.contains("cut.dpx") && err.contains("truncated"),
        "{err}"
    );
}

/// A small in-test fuzzer: random damage to the header fields that steer
/// decoding (and to random header bytes) gives a frame or an error.
#[test]
fn random_header_damage_never_panics() {
    let fields = [
        header::IMAGE_OFFSET,
        header::ELEMENT_COUNT,
        header::PIXELS_PER_LINE,
        header::LINES_PER_ELEMENT,
        header::ELEMENT + header::EL_DESCRIPTOR,
        header::ELEMENT + header::EL_BIT_DEPTH,
        header::ELEMENT + header::EL_PACKING,
        header::ELEMENT + header::EL_DATA_OFFSET,
        header::ELEMENT + header::EL_EOL_PADDING,
        header::TIMECODE,
        header::FILM_FRAME_RATE,
    ];
    let mut seed = 0x1234_5678u32;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    let (mut frames, mut errors) = (0, 0);
    for f in our_fixtures() {
        let clean = std::fs::read(&f).unwrap();
        for _ in 0..300 {
            let mut b = clean.clone();
            for _ in 0..1 + next() % 3 {
                let r = next();
                if r % 2 == 0 {
                    let at = fields[(next() as usize) % fields.len()];
                    // Small values are the interesting ones (bit depths,
                    // descriptors, packings, sizes just off the real one).
                    let v = if r % 4 == 0 { next() } else { next() % 80 };
                    b[at..at + 4].copy_from_slice(&v.to_be_bytes());
                } else {
                    let at = (next() as usize) % header::HEADER_END;
                    b[at] = next() as u8;
                }
            }
            match read_bytes(&b, &f) {
                Ok(frame) => {
                    assert_eq!(frame.pixels.len(), frame.pixel_count() * 4);
                    frames += 1;
                }
                Err(_) => errors += 1,
            }
        }
    }
    println!("random header damage: {frames} frames, {errors} errors, no panic");
}

use super::*;
use crate::io::{self, BitDepth, WriteOptions};

/// Decodes a written sheet: (width, height, RGB bytes).
fn read_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let file = std::fs::File::open(path).unwrap();
    let mut dec = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut buf = vec![0; dec.output_buffer_size().unwrap()];
    let info = dec.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn px(png: &(u32, u32, Vec<u8>), x: u32, y: u64) -> [u8; 3] {
    let i = (y as usize * png.0 as usize + x as usize) * 3;
    [png.2[i], png.2[i + 1], png.2[i + 2]]
}

/// Asserts that `c`'s glyph is drawn at (x, y) with `scale`: lit cells in
/// `ink`, unlit cells not.
fn assert_glyph(png: &(u32, u32, Vec<u8>), c: char, x: u32, y: u64, scale: u32, ink: [u8; 3]) {
    for (row, bits) in font::glyph(c).iter().enumerate() {
        for col in 0..font::GLYPH_WIDTH {
            let lit = bits & (0x10 >> col) != 0;
            for d in 0..scale {
                let got = px(
                    png,
                    x + col * scale + d,
                    y + (row as u32 * scale + d) as u64,
                );
                assert_eq!(got == ink, lit, "{c:?} at row {row} col {col}: {got:?}");
            }
        }
    }
}

fn row(event: &str, before: Option<PathBuf>, after: Option<PathBuf>) -> SheetRow {
    SheetRow {
        event: event.into(),
        clip: "A001C003".into(),
        record_tc: "01:00:00:12".into(),
        source_frame: "1012".into(),
        before,
        after,
        ..Default::default()
    }
}

/// A `w x h` frame of one colour, written as `name` (format by extension).
fn flat_frame(dir: &Path, name: &str, w: u32, h: u32, rgb: [f32; 3], depth: BitDepth) -> PathBuf {
    let mut f = Frame::new(w, h);
    for p in f.pixels.chunks_exact_mut(4) {
        p[..3].copy_from_slice(&rgb);
    }
    let path = dir.join(name);
    let opts = WriteOptions {
        depth: Some(depth),
        ..Default::default()
    };
    io::write_frame(&path, &f, &opts).unwrap();
    path
}

#[test]
fn layout_grows_by_one_row_height_per_event() {
    // Default geometry at label scale 2: margin 16, gap 8, text 16 tall,
    // caption band 20, row 20 + 180 + 16, header 16 + 16 + 16.
    let opts = SheetOptions::default();
    for n in [0usize, 1, 5, 1000] {
        let l = Layout::new(n, &opts).unwrap();
        assert_eq!(l.width, 16 + 320 + 8 + 320 + 16);
        assert_eq!(l.header, 48);
        assert_eq!(l.row_height, 216);
        assert_eq!(l.height as usize, 48 + 216 * n, "{n} rows");
    }
    let small = SheetOptions {
        thumb_width: 64,
        thumb_height: 27,
        label_scale: 1,
        ..Default::default()
    };
    let l = Layout::new(3, &small).unwrap();
    assert_eq!(
        (l.width, l.height),
        (8 + 64 + 4 + 64 + 8, 8 + 8 + 8 + 3 * (10 + 27 + 8))
    );
}

#[test]
fn written_sheet_has_the_layout_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sheet.png");
    let rows = [row("001", None, None), row("002", None, None)];
    let s = write_contact_sheet(&rows, &SheetOptions::default(), &path).unwrap();
    let l = Layout::new(2, &SheetOptions::default()).unwrap();
    let png = read_png(&path);
    assert_eq!((png.0, png.1), (l.width, l.height));
    assert_eq!((s.width, s.height, s.rows), (l.width, l.height, 2));
    // Only the finished file is left in the folder.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
}

#[test]
fn labels_are_drawn_where_the_layout_puts_them() {
    let dir = tempfile::tempdir().unwrap();
    let grey = flat_frame(dir.path(), "g.0001.dpx", 64, 36, [0.5; 3], BitDepth::U10);
    let path = dir.path().join("sheet.png");
    let stored = io::read_frame(&grey).unwrap().pixels[0];
    let rows = [row("007", Some(grey.clone()), Some(grey))];
    let opts = SheetOptions::default();
    let s = write_contact_sheet(&rows, &opts, &path).unwrap();
    assert_eq!((s.pictures, s.missing), (2, 0));
    let png = read_png(&path);
    let l = Layout::new(1, &opts).unwrap();
    let sc = l.scale;
    let adv = font::ADVANCE * sc;
    let top = l.row_y(0);
    // Caption: the event number in the accent colour, then the clip name.
    assert_glyph(&png, '0', l.margin, top, sc, ACCENT);
    assert_glyph(&png, '7', l.margin + 2 * adv, top, sc, ACCENT);
    assert_glyph(&png, 'A', l.margin + 5 * adv, top, sc, TEXT);
    // BEFORE and AFTER over the top-left of each picture.
    let pad = sc + sc / 2;
    let tag_y = top + (l.caption + pad) as u64;
    assert_glyph(&png, 'B', l.cell_x(0) + pad, tag_y, sc, TEXT);
    assert_glyph(&png, 'A', l.cell_x(1) + pad, tag_y, sc, TEXT);
    assert_glyph(&png, 'T', l.cell_x(1) + pad + 2 * adv, tag_y, sc, TEXT);
    // The header counts the events at the right margin.
    let count = font::text_width("1 EVENT".len(), sc) as u32;
    assert_glyph(
        &png,
        '1',
        l.width - l.margin - count,
        l.margin as u64,
        sc,
        DIM,
    );
    // The picture: the DPX's stored value, shown as its code value.
    let centre = px(&png, l.cell_x(1) + 160, top + (l.caption + 90) as u64);
    let want = (stored * 255.0 + 0.5) as u8;
    assert_eq!(centre, [want; 3]);
}

#[test]
fn a_frame_keeps_its_shape_inside_the_cell() {
    // 2.37:1 into 320x180: 320x135, centred, black above and below.
    let f = Frame::new(1024, 432);
    let Thumb::Picture { width, height, .. } = thumbnail(&f, None, 320, 180, SheetView::CodeValues)
    else {
        panic!("no picture");
    };
    assert_eq!((width, height), (320, 135));
    // Tall and tiny frames fit too, never to zero.
    let tall = Frame::new(3, 4000);
    let Thumb::Picture { width, height, .. } =
        thumbnail(&tall, None, 320, 180, SheetView::CodeValues)
    else {
        panic!("no picture");
    };
    assert_eq!((width, height), (1, 180));
    let tiny = Frame::new(2, 1);
    let Thumb::Picture { width, height, rgb } =
        thumbnail(&tiny, None, 320, 180, SheetView::CodeValues)
    else {
        panic!("no picture");
    };
    assert_eq!((width, height, rgb.len()), (320, 160, 320 * 160 * 3));
    // A 2x anamorphic 512x432 scan shows desqueezed, as 1024x432 would;
    // a nonsense pixel aspect is taken as square.
    let scan = Frame::new(512, 432);
    for (par, want) in [
        (Some(2.0), (320, 135)),
        (Some(f64::NAN), (213, 180)),
        (Some(0.0), (213, 180)),
    ] {
        let Thumb::Picture { width, height, .. } =
            thumbnail(&scan, par, 320, 180, SheetView::CodeValues)
        else {
            panic!("no picture");
        };
        assert_eq!((width, height), want, "{par:?}");
    }
}

#[test]
fn box_average_and_views() {
    // Left half 0, right half 1, halved: the middle column straddles both.
    let mut f = Frame::new(4, 2);
    for y in 0..2 {
        for x in 2..4 {
            let i = (y * 4 + x) * 4;
            f.pixels[i..i + 3].copy_from_slice(&[1.0; 3]);
        }
    }
    let Thumb::Picture { width, rgb, .. } = thumbnail(&f, None, 16, 16, SheetView::CodeValues)
    else {
        panic!("no picture");
    };
    assert_eq!(width, 16);
    assert_eq!(rgb[0], 0);
    assert_eq!(rgb[15 * 3], 255);
    // sRGB view: IEC 61966-2-1's encode written out in f64 (the engine's
    // moncurve op is tested against OpenColorIO in ops/exponent/tests.rs).
    let srgb = Display::new(SheetView::LinearToSrgb);
    for v in [0.001f64, 0.18, 0.5, 0.9] {
        let e = if v <= 0.003_130_8 {
            12.92 * v
        } else {
            1.055 * v.powf(1.0 / 2.4) - 0.055
        };
        assert_eq!(srgb.code(0, v as f32), (e * 255.0 + 0.5) as u8, "{v}");
    }
    assert_eq!(srgb.code(0, 0.0), 0);
    assert_eq!(srgb.code(0, 1.0), 255);
    let cv = Display::new(SheetView::CodeValues);
    assert_eq!(cv.code(1, f32::NAN), 0);
    assert_eq!(cv.code(1, f32::INFINITY), 255);
    assert_eq!(cv.code(1, -3.0), 0);
}

#[test]
fn missing_and_unreadable_thumbnails_are_grey_boxes() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.0001.exr");
    std::fs::write(&broken, b"not an exr").unwrap();
    let gone = dir.path().join("gone.0001.dpx");
    let path = dir.path().join("sheet.png");
    let rows = [
        row("001", None, Some(broken.clone())),
        row("002", Some(gone.clone()), None),
    ];
    let opts = SheetOptions::default();
    let s = write_contact_sheet(&rows, &opts, &path).unwrap();
    assert_eq!((s.pictures, s.missing), (0, 4));
    let named: Vec<_> = s.unreadable.iter().map(|(p, _)| p.clone()).collect();
    assert_eq!(named, [broken, gone]);
    let png = read_png(&path);
    let l = Layout::new(2, &opts).unwrap();
    let sc = l.scale;
    let word = font::text_width("missing".len(), sc) as u32;
    let text_h = font::GLYPH_HEIGHT * sc;
    for r in 0..2 {
        for c in 0..2 {
            let x = l.cell_x(c) + (l.thumb_width - word) / 2;
            let y = l.row_y(r) + (l.caption + (l.thumb_height - text_h) / 2) as u64;
            assert_glyph(&png, 'm', x, y, sc, MISSING_TEXT);
            let corner = px(
                &png,
                l.cell_x(c) + l.thumb_width - 1,
                l.row_y(r) + (l.caption + l.thumb_height - 1) as u64,
            );
            assert_eq!(corner, MISSING_BOX);
        }
    }
}

#[test]
fn no_rows_still_make_a_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sheet.png");
    let s = write_contact_sheet(&[], &SheetOptions::default(), &path).unwrap();
    let png = read_png(&path);
    assert_eq!((png.0, png.1), (s.width, 48));
    assert_eq!(s.rows, 0);
}

#[test]
fn huge_names_are_cut_with_an_ellipsis() {
    let huge = "X".repeat(100_000);
    let l = Layout::new(1, &SheetOptions::default()).unwrap();
    let max = l.line_chars();
    // A long clip name gives way first: record TC and source frame stay.
    let r = SheetRow {
        clip: huge.clone(),
        ..row("001", None, None)
    };
    let parts = caption(&r, max);
    let line: String = parts.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(line.chars().count(), max);
    assert!(line.ends_with("REC 01:00:00:12  SRC 1012"), "{line}");
    assert!(line.contains(&format!("X{}", font::ELLIPSIS)), "{line}");
    // Everything huge (and not ASCII): the line is cut at the margin.
    let r = SheetRow {
        event: "\u{00e9}".repeat(50_000),
        clip: huge.clone(),
        record_tc: huge.clone(),
        source_frame: huge,
        ..Default::default()
    };
    let line: String = caption(&r, max).iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(line.chars().count(), max);
    assert!(line.ends_with(font::ELLIPSIS));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sheet.png");
    let opts = SheetOptions {
        title: Some("T".repeat(10_000)),
        ..Default::default()
    };
    let s = write_contact_sheet(&[r], &opts, &path).unwrap();
    assert_eq!(s.missing, 2);
}

#[test]
fn bad_options_and_paths_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sheet.png");
    for opts in [
        SheetOptions {
            thumb_width: 0,
            ..Default::default()
        },
        SheetOptions {
            thumb_height: 100_000,
            ..Default::default()
        },
        SheetOptions {
            label_scale: 0,
            ..Default::default()
        },
    ] {
        let e = write_contact_sheet(&[], &opts, &path).unwrap_err();
        assert!(e.to_string().contains("contact sheet"), "{e}");
    }
    assert!(Layout::new(usize::MAX, &SheetOptions::default()).is_err());
    let nowhere = dir.path().join("no/such/folder/sheet.png");
    let e = write_contact_sheet(&[], &SheetOptions::default(), &nowhere).unwrap_err();
    assert_eq!(e.exit_code(), 3, "{e}");
    assert!(!path.exists());
}

#[test]
fn font_covers_printable_ascii() {
    // Every printable character but space has ink; others fall back to '?'.
    for c in '!'..='~' {
        assert!(font::glyph(c).iter().any(|&r| r != 0), "{c:?}");
        assert!(font::glyph(c).iter().all(|&r| r < 0x20), "{c:?}");
    }
    assert_eq!(font::glyph('\u{00e9}'), font::glyph('?'));
    assert_eq!(font::glyph('\n'), font::glyph('?'));
    assert_eq!(font::fit("ABCDEF", 4), format!("ABC{}", font::ELLIPSIS));
    assert_eq!(font::fit("ABC", 3), "ABC");
    assert_eq!(font::fit("ABC", 0), "");
    assert_eq!(font::text_width(0, 3), 0);
    assert_eq!(font::text_width(2, 3), 33);
}

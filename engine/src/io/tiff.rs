//! TIFF frames, through the tiff crate.
//!
//! Reading: the first image of the file; RGB, RGBA, grey and grey+alpha
//! (grey is shown as R=G=B); 8-, 16- and 32-bit unsigned integer samples
//! and packed 10-, 12- and 14-bit ones (any depth from 9 to 15 bits: libtiff
//! packs them most significant bit first, each row padded to a byte), all
//! scaled by 1/(2^bits-1); 16-, 32- and 64-bit float samples; contiguous
//! (RGBRGB) and planar (RRR.. GGG.. BBB..) storage; either byte order; the
//! compressions the tiff crate decodes (none, LZW, Deflate, PackBits, and
//! others it knows). Not supported: palette, CMYK (separated), YCbCr and
//! Lab images, white-is-zero grey, signed integers, other bit depths,
//! packed samples with a predictor or reversed fill order (libtiff refuses
//! a predictor on them too), and images with more than one extra sample.
//!
//! Alpha is returned as stored. A file marked with *unassociated* alpha
//! (ExtraSamples = 2) keeps its colour values unpremultiplied, where
//! OpenImageIO premultiplies them on reading by default.
//!
//! Writing: RGB or RGBA, 8- or 16-bit integer (default 16) or 32-bit float,
//! contiguous, uncompressed, little-endian. Alpha is written as associated
//! alpha (ExtraSamples = 1), so readers take the values as they are.
//! Integer codes: clamp to [0,1], scale, round to nearest, NaN -> 0.
//! `Software`, `DateTime`, `Copyright` carry creator, created and
//! copyright; `tiff:ImageDescription`, `tiff:Artist` and
//! `tiff:DocumentName` extras round-trip.

use std::io::Cursor;
use std::path::Path;

use tiff::decoder::{Decoder, DecodingResult, Limits};
use tiff::encoder::{colortype, TiffEncoder};
use tiff::tags::{ByteOrder, ExtraSamples, PhotometricInterpretation, PlanarConfiguration, Tag};
use tiff::{ColorType, TiffError};

use super::{limits, quantize, BitDepth, WriteOptions};
use crate::{Error, Frame, FrameInfo, Metadata, Result, SourceInfo};

mod packed;

/// Reads a whole TIFF frame.
pub fn read(path: &Path) -> Result<Frame> {
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    decode(path, &bytes)
}

/// Reads a TIFF header only.
pub fn read_info(path: &Path) -> Result<FrameInfo> {
    let file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let mut decoder = Decoder::new(std::io::BufReader::new(file)).map_err(|e| convert(path, e))?;
    let plan = Plan::new(path, &mut decoder)?;
    Ok(FrameInfo {
        width: plan.width,
        height: plan.height,
        meta: plan.meta,
        source: plan.source,
    })
}

/// Writes `frame` to `path` (the caller handles temporary names).
pub fn write(path: &Path, frame: &Frame, opts: &WriteOptions) -> Result<()> {
    let bytes = encode(path, frame, opts)?;
    std::fs::write(path, bytes).map_err(|e| Error::write(path, e))
}

fn convert(path: &Path, e: TiffError) -> Error {
    match e {
        TiffError::UnsupportedError(what) => Error::unsupported(path, format!("TIFF: {what}")),
        TiffError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            Error::invalid(path, "TIFF file is truncated")
        }
        TiffError::LimitsExceeded => Error::invalid(
            path,
            "TIFF needs more memory than grade allows for one frame",
        ),
        other => Error::invalid(path, format!("invalid TIFF: {other}")),
    }
}

/// Sample kind of the stored image.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Grey,
    GreyAlpha,
    Rgb,
    Rgba,
}

impl Kind {
    fn samples(self) -> usize {
        match self {
            Kind::Grey => 1,
            Kind::GreyAlpha => 2,
            Kind::Rgb => 3,
            Kind::Rgba => 4,
        }
    }
}

struct Plan {
    width: u32,
    height: u32,
    kind: Kind,
    /// Bits of a packed integer sample (9 to 15), else None.
    packed_bits: Option<u8>,
    planar: bool,
    compression: u16,
    meta: Metadata,
    source: SourceInfo,
}

impl Plan {
    fn new<R: std::io::Read + std::io::Seek>(path: &Path, d: &mut Decoder<R>) -> Result<Plan> {
        let (w, h) = d.dimensions().map_err(|e| convert(path, e))?;
        let (width, height) = limits::check_dimensions(path, w as u64, h as u64)?;
        let ct = d.colortype().map_err(|e| convert(path, e))?;
        let (kind, bits) = match ct {
            ColorType::Gray(b) => (Kind::Grey, b),
            ColorType::GrayA(b) => (Kind::GreyAlpha, b),
            ColorType::RGB(b) => (Kind::Rgb, b),
            ColorType::RGBA(b) => (Kind::Rgba, b),
            ColorType::CMYK(_) | ColorType::CMYKA(_) => {
                return Err(Error::unsupported(
                    path,
                    "TIFF CMYK (separated) images: grade reads RGB and grey TIFFs only; convert the file to RGB first",
                ))
            }
            other => {
                return Err(Error::unsupported(
                    path,
                    format!("TIFF colour type {other:?}"),
                ))
            }
        };
        let packed = matches!(bits, 9..=15);
        if !matches!(bits, 8 | 16 | 32 | 64) && !packed {
            return Err(Error::unsupported(
                path,
                format!("TIFF with {bits}-bit samples"),
            ));
        }
        let photometric = d
            .find_tag_unsigned::<u16>(Tag::PhotometricInterpretation)
            .map_err(|e| convert(path, e))?;
        if photometric == Some(PhotometricInterpretation::WhiteIsZero.to_u16()) {
            return Err(Error::unsupported(path, "TIFF white-is-zero grey"));
        }
        let sample_format = d
            .find_tag_unsigned_vec::<u16>(Tag::SampleFormat)
            .map_err(|e| convert(path, e))?
            .and_then(|v| v.first().copied())
            .unwrap_or(1);
        let float = match sample_format {
            1 => false,
            3 if packed => {
                return Err(Error::unsupported(
                    path,
                    format!("TIFF {bits}-bit float samples"),
                ))
            }
            3 => true,
            2 => return Err(Error::unsupported(path, "TIFF signed integer samples")),
            other => {
                return Err(Error::unsupported(
                    path,
                    format!("TIFF sample format {other}"),
                ))
            }
        };
        let planar = d
            .find_tag_unsigned::<u16>(Tag::PlanarConfiguration)
            .map_err(|e| convert(path, e))?
            == Some(PlanarConfiguration::Planar.to_u16());
        let compression = d
            .find_tag_unsigned::<u16>(Tag::Compression)
            .map_err(|e| convert(path, e))?
            .unwrap_or(1);
        if packed {
            let predictor = d
                .find_tag_unsigned::<u16>(Tag::Predictor)
                .map_err(|e| convert(path, e))?
                .unwrap_or(1);
            if predictor != 1 {
                return Err(Error::unsupported(
                    path,
                    format!("TIFF predictor {predictor} on {bits}-bit samples"),
                ));
            }
            let fill_order = d
                .find_tag_unsigned::<u16>(Tag::FillOrder)
                .map_err(|e| convert(path, e))?
                .unwrap_or(1);
            if fill_order != 1 {
                return Err(Error::unsupported(
                    path,
                    format!("TIFF {bits}-bit samples in fill order {fill_order}"),
                ));
            }
        }
        let extra = d
            .find_tag_unsigned_vec::<u16>(Tag::ExtraSamples)
            .map_err(|e| convert(path, e))?
            .unwrap_or_default();
        let endian = match d.byte_order() {
            ByteOrder::LittleEndian => "little-endian",
            ByteOrder::BigEndian => "big-endian",
        };
        let bit_depth = if float {
            match bits {
                16 => "half".to_string(),
                32 => "float".to_string(),
                b => format!("float{b}"),
            }
        } else {
            bits.to_string()
        };
        let alpha_note = match extra.first() {
            Some(1) => ", associated alpha",
            Some(2) => ", unassociated alpha",
            _ => "",
        };
        let channels: Vec<String> = match kind {
            Kind::Grey => vec!["Y".into()],
            Kind::GreyAlpha => vec!["Y".into(), "A".into()],
            Kind::Rgb => vec!["R".into(), "G".into(), "B".into()],
            Kind::Rgba => vec!["R".into(), "G".into(), "B".into(), "A".into()],
        };

        let mut meta = Metadata::default();
        let mut text = |tag: Tag| -> Option<String> {
            d.find_tag(tag)
                .ok()
                .flatten()
                .and_then(|v| v.into_string().ok())
                .map(|s| s.trim_end_matches('\0').to_string())
        };
        meta.creator = text(Tag::Software);
        meta.created = text(Tag::DateTime);
        meta.copyright = text(Tag::Copyright);
        for (tag, name) in [
            (Tag::ImageDescription, "tiff:ImageDescription"),
            (Tag::Artist, "tiff:Artist"),
            (Tag::Unknown(269), "tiff:DocumentName"),
        ] {
            if let Some(v) = text(tag) {
                meta.extra.insert(name.into(), v);
            }
        }

        Ok(Plan {
            width,
            height,
            kind,
            packed_bits: packed.then_some(bits),
            planar,
            compression,
            meta,
            source: SourceInfo {
                path: path.to_path_buf(),
                format: "tiff".into(),
                bit_depth,
                channels,
                layout: format!(
                    "{}, {endian}, {}{alpha_note}",
                    if planar { "planar" } else { "contiguous" },
                    compression_name(compression)
                ),
            },
        })
    }
}

fn compression_name(code: u16) -> String {
    match code {
        1 => "uncompressed".into(),
        5 => "LZW".into(),
        7 => "JPEG".into(),
        8 | 32946 => "Deflate".into(),
        32773 => "PackBits".into(),
        other => format!("compression {other}"),
    }
}

/// Decodes a TIFF held in memory; `path` names it in errors.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<Frame> {
    let mut d = Decoder::new(Cursor::new(bytes)).map_err(|e| convert(path, e))?;
    let plan = Plan::new(path, &mut d)?;
    let (w, h) = (plan.width as usize, plan.height as usize);
    let n = w * h;
    let spp = plan.kind.samples();
    // The largest buffer the decoder may allocate: one frame at 8 bytes a
    // sample, within the limits already checked on width and height.
    let mut limits = Limits::default();
    limits.decoding_buffer_size = n.saturating_mul(spp).saturating_mul(8).max(1 << 20);
    limits.intermediate_buffer_size = limits.decoding_buffer_size;
    let mut d = d.with_limits(limits);
    let (values, planes): (Vec<f32>, usize) = if let Some(bits) = plan.packed_bits {
        let shape = packed::Shape {
            width: w,
            height: h,
            samples: spp,
            planar: plan.planar,
            bits,
            compression: plan.compression,
        };
        let values = packed::read(path, bytes, &mut d, &shape)?;
        (values, if plan.planar { spp } else { 1 })
    } else {
        let mut buf = DecodingResult::U8(Vec::new());
        let layout = d
            .read_image_to_buffer(&mut buf)
            .map_err(|e| convert(path, e))?;
        let values = match buf {
            DecodingResult::U8(v) => v.iter().map(|&x| x as f32 / 255.0).collect(),
            DecodingResult::U16(v) => v.iter().map(|&x| x as f32 / 65535.0).collect(),
            DecodingResult::U32(v) => v
                .iter()
                .map(|&x| (x as f64 / u32::MAX as f64) as f32)
                .collect(),
            DecodingResult::U64(v) => v
                .iter()
                .map(|&x| (x as f64 / u64::MAX as f64) as f32)
                .collect(),
            DecodingResult::F16(v) => v.iter().map(|x| x.to_f32()).collect(),
            DecodingResult::F32(v) => v,
            DecodingResult::F64(v) => v.iter().map(|&x| x as f32).collect(),
            _ => return Err(Error::unsupported(path, "TIFF signed integer samples")),
        };
        (values, layout.planes)
    };
    if values.len() < n * spp {
        return Err(Error::invalid(
            path,
            format!(
                "TIFF decoded {} samples, expected {} ({} planes)",
                values.len(),
                n * spp,
                planes
            ),
        ));
    }
    let planar = planes > 1;
    // Planes follow one another; each is at least one frame of samples.
    let plane_len = if planar { values.len() / planes } else { 0 };
    if planar && (plane_len < n || planes < spp) {
        return Err(Error::invalid(
            path,
            "TIFF planes are smaller than the image",
        ));
    }
    let sample = |i: usize, c: usize| -> f32 {
        if planar {
            values[c * plane_len + i]
        } else {
            values[i * spp + c]
        }
    };
    let mut pixels = vec![0.0f32; n * 4];
    for (i, px) in pixels.chunks_exact_mut(4).enumerate() {
        match plan.kind {
            Kind::Grey => {
                let y = sample(i, 0);
                px.copy_from_slice(&[y, y, y, 1.0]);
            }
            Kind::GreyAlpha => {
                let y = sample(i, 0);
                px.copy_from_slice(&[y, y, y, sample(i, 1)]);
            }
            Kind::Rgb => px.copy_from_slice(&[sample(i, 0), sample(i, 1), sample(i, 2), 1.0]),
            Kind::Rgba => {
                px.copy_from_slice(&[sample(i, 0), sample(i, 1), sample(i, 2), sample(i, 3)])
            }
        }
    }
    Ok(Frame {
        width: plan.width,
        height: plan.height,
        pixels,
        meta: plan.meta,
        source: Some(plan.source),
    })
}

/// Encodes `frame` as a TIFF in memory; `path` names it in errors.
pub fn encode(path: &Path, frame: &Frame, opts: &WriteOptions) -> Result<Vec<u8>> {
    let depth = opts.depth.unwrap_or(BitDepth::U16);
    let alpha = super::wants_alpha(frame, opts);
    let (w, h) = (frame.width, frame.height);
    if w == 0 || h == 0 || frame.pixels.len() != w as usize * h as usize * 4 {
        return Err(Error::invalid(
            path,
            format!(
                "frame of {w}x{h} has {} values, expected {}",
                frame.pixels.len(),
                w as usize * h as usize * 4
            ),
        ));
    }
    let channels = if alpha { 4 } else { 3 };
    let mut out = Cursor::new(Vec::new());
    let map = |e: TiffError| Error::invalid(path, format!("TIFF could not be encoded: {e}"));
    let mut enc = TiffEncoder::new(&mut out).map_err(map)?;
    let take = |px: &[f32]| px[..channels].to_vec();
    let samples: Vec<f32> = frame.pixels.chunks_exact(4).flat_map(take).collect();
    macro_rules! image {
        ($ct:ty, $data:expr) => {{
            let mut img = enc.new_image::<$ct>(w, h).map_err(map)?;
            if alpha {
                img.extra_samples(&[ExtraSamples::AssociatedAlpha])
                    .map_err(map)?;
            }
            write_tags(img.encoder(), &frame.meta).map_err(map)?;
            img.write_data(&$data).map_err(map)?;
        }};
    }
    match depth {
        BitDepth::U8 => {
            let data: Vec<u8> = samples.iter().map(|&v| quantize(v, 255.0) as u8).collect();
            image!(colortype::RGB8, data)
        }
        BitDepth::U16 => {
            let data: Vec<u16> = samples
                .iter()
                .map(|&v| quantize(v, 65535.0) as u16)
                .collect();
            image!(colortype::RGB16, data)
        }
        BitDepth::Float => image!(colortype::RGB32Float, samples),
        other => {
            return Err(Error::unsupported(
                path,
                format!("TIFF files are written as 8-bit, 16-bit or float, not {other:?}"),
            ))
        }
    }
    Ok(out.into_inner())
}

fn write_tags<W: std::io::Write + std::io::Seek, K: tiff::encoder::TiffKind>(
    enc: &mut tiff::encoder::DirectoryEncoder<'_, W, K>,
    meta: &Metadata,
) -> tiff::TiffResult<()> {
    // TIFF ASCII is 7-bit; other characters become '?'.
    let ascii = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_ascii() && c != '\0' { c } else { '?' })
            .collect()
    };
    if let Some(s) = &meta.creator {
        enc.write_tag(Tag::Software, ascii(s).as_str())?;
    }
    if let Some(s) = &meta.created {
        enc.write_tag(Tag::DateTime, ascii(s).as_str())?;
    }
    if let Some(s) = &meta.copyright {
        enc.write_tag(Tag::Copyright, ascii(s).as_str())?;
    }
    for (tag, name) in [
        (Tag::ImageDescription, "tiff:ImageDescription"),
        (Tag::Artist, "tiff:Artist"),
        (Tag::Unknown(269), "tiff:DocumentName"),
    ] {
        if let Some(s) = meta.extra.get(name) {
            enc.write_tag(tag, ascii(s).as_str())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::process::Command;

    use super::*;
    use crate::io::test_support::{check_corruptions, check_prefixes, compare};
    use crate::testutil::{fixture, fixtures_with_ext, oiio_read, reference_python, repo_root};

    /// Every TIFF fixture: the public OpenImageIO images and the ones
    /// scripts/reference/make_io_fixtures.py wrote (with OpenImageIO, and two
    /// big-endian files laid out by hand).
    fn all_tiff() -> Vec<PathBuf> {
        let mut v = fixtures_with_ext("public", &["tif", "tiff"]);
        v.extend(fixtures_with_ext("tiff", &["tif", "tiff"]));
        v
    }

    /// Files grade does not read, with the reason.
    const NOT_SUPPORTED: &[(&str, &str)] = &[("flower-separated-contig-08.tif", "CMYK")];

    /// A packed 9- to 15-bit frame as OpenImageIO 3.2 reads the same file:
    /// it widens each code c to 16 bits as floor(c * 65535 / (2^bits-1))
    /// and multiplies by 1/65535 in f32, where grade reads c/(2^bits-1)
    /// (OpenImageIO's value is up to 1/65535 lower). Measured on the
    /// fixtures: neither bit replication nor rounding matches all its
    /// values, this does. None for other depths.
    fn as_openimageio_widens(f: &Frame) -> Option<Frame> {
        let src = f.source.as_ref()?;
        let bits: u32 = src
            .bit_depth
            .parse()
            .ok()
            .filter(|b| (9..=15).contains(b))?;
        let max = (1u32 << bits) - 1;
        let with_alpha = src.channels.iter().any(|c| c == "A");
        let mut out = f.clone();
        for px in out.pixels.chunks_exact_mut(4) {
            for (k, v) in px.iter_mut().enumerate() {
                if k < 3 || with_alpha {
                    let code = (*v * max as f32).round() as u32;
                    *v = (code * 65535 / max) as f32 * (1.0f32 / 65535.0);
                }
            }
        }
        Some(out)
    }

    #[test]
    fn every_tiff_decodes_as_openimageio_reads_it() {
        let files = all_tiff();
        assert!(
            files.len() >= 15,
            "expected the TIFF fixtures, found {}",
            files.len()
        );
        let mut results = Vec::new();
        for path in &files {
            let name = path
                .strip_prefix(repo_root())
                .unwrap_or(path)
                .display()
                .to_string();
            if let Some((_, why)) = NOT_SUPPORTED.iter().find(|(n, _)| name.ends_with(n)) {
                results.push((
                    name,
                    match read(path) {
                        Err(e @ Error::Unsupported { .. }) if e.to_string().contains(why) => {
                            Ok(format!("not supported ({why}): {e}"))
                        }
                        other => Err(format!("expected Unsupported, got {other:?}")),
                    },
                ));
                continue;
            }
            let Some(reference) = oiio_read(path) else {
                return;
            };
            // Integer codes become code/(2^bits-1) in both, but the division
            // may be done as a multiplication by the reciprocal: 1 f32 ulp
            // (relative 1.2e-7). Float samples are copied: exact, within the
            // same bound.
            let r = read(path).map_err(|e| e.to_string()).and_then(|f| {
                // OpenImageIO premultiplies unassociated alpha on reading.
                let unassociated = f
                    .source
                    .as_ref()
                    .is_some_and(|s| s.layout.contains("unassociated alpha"));
                if let Some(widened) = as_openimageio_widens(&f) {
                    // Packed 10/12/14-bit: the codes must be OpenImageIO's
                    // exactly, and the values within its widening (1/65535).
                    compare(&widened, &reference, 0.0, 0.0, unassociated)?;
                    return compare(&f, &reference, 1.0 / 65535.0, 0.0, unassociated)
                        .map(|d| format!("max |grade - OpenImageIO| = {d:e} (codes identical)"));
                }
                compare(&f, &reference, 0.0, 1.2e-7, unassociated)
                    .map(|d| format!("max |grade - OpenImageIO| = {d:e}"))
            });
            results.push((name, r));
        }
        for (name, r) in &results {
            match r {
                Ok(msg) => println!("{name}: {msg}"),
                Err(msg) => println!("{name}: FAILED {msg}"),
            }
        }
        for (name, r) in &results {
            assert!(r.is_ok(), "{name}: {}", r.as_ref().unwrap_err());
        }
    }

    #[test]
    fn damaged_copies_of_every_tiff_are_an_error_or_a_frame() {
        let mut total = 0;
        for path in all_tiff() {
            // Small files get more damaged copies; big ones cost more each.
            let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            let count = if len < 100_000 { 80 } else { 8 };
            match check_corruptions(&path, decode, count) {
                Ok(n) => total += n,
                Err(e) => panic!("{}: {e}", path.display()),
            }
        }
        println!("decoded {total} damaged tiff files without a panic");
    }

    #[test]
    fn every_prefix_of_every_tiff_is_an_error_or_a_frame() {
        let mut total = 0;
        for path in all_tiff() {
            match check_prefixes(&path, decode) {
                Ok(n) => total += n,
                Err(e) => panic!("{}: {e}", path.display()),
            }
        }
        println!("decoded {total} TIFF prefixes without a panic");
    }

    #[test]
    fn layouts_are_described() {
        let info = read_info(&fixture("tiff/rgb16_big_endian.tif")).unwrap();
        assert_eq!(info.source.bit_depth, "16");
        assert!(
            info.source.layout.contains("big-endian"),
            "{}",
            info.source.layout
        );
        let info = read_info(&fixture("tiff/rgba_float_planar.tif")).unwrap();
        assert_eq!(info.source.bit_depth, "float");
        assert_eq!(info.source.channels, ["R", "G", "B", "A"]);
        assert!(
            info.source.layout.starts_with("planar"),
            "{}",
            info.source.layout
        );
        let info = read_info(&fixture("tiff/grey8.tif")).unwrap();
        assert_eq!(info.source.channels, ["Y"]);
        assert!(
            info.source.layout.contains("PackBits"),
            "{}",
            info.source.layout
        );
    }

    /// A frame of exact 16-bit codes (and so exact 8-bit ones at multiples
    /// of 257), with alpha and metadata.
    fn coded_frame(step: u32) -> Frame {
        let mut f = Frame::new(53, 29);
        for (i, v) in f.pixels.iter_mut().enumerate() {
            *v = ((i as u32 * 7919) % 65536 / step * step) as f32 / 65535.0;
        }
        f.meta.creator = Some("grade".into());
        f.meta.created = Some("2026:01:02 03:04:05".into());
        f.meta.copyright = Some("Example Pictures".into());
        f
    }

    fn bits(f: &Frame) -> Vec<u32> {
        f.pixels.iter().map(|v| v.to_bits()).collect()
    }

    #[test]
    fn grade_to_grade_is_bit_exact() {
        let p = Path::new("rt.tif");
        for (depth, step) in [
            (BitDepth::U16, 1),
            (BitDepth::U8, 257),
            (BitDepth::Float, 1),
        ] {
            for alpha in [false, true] {
                let mut src = coded_frame(step);
                if !alpha {
                    for px in src.pixels.chunks_exact_mut(4) {
                        px[3] = 1.0;
                    }
                }
                let opts = WriteOptions {
                    depth: Some(depth),
                    alpha: Some(alpha),
                    ..Default::default()
                };
                let back = decode(p, &encode(p, &src, &opts).unwrap()).unwrap();
                assert!(
                    bits(&back) == bits(&src),
                    "{depth:?} alpha {alpha}: pixels differ"
                );
                assert_eq!(back.meta.creator, src.meta.creator);
                assert_eq!(back.meta.created, src.meta.created);
                assert_eq!(back.meta.copyright, src.meta.copyright);
            }
        }
    }

    #[test]
    fn grade_to_openimageio_to_grade_is_bit_exact() {
        let Some(py) = reference_python() else { return };
        let dir = tempfile::tempdir().unwrap();
        for depth in [BitDepth::U16, BitDepth::U8, BitDepth::Float] {
            let src = coded_frame(if depth == BitDepth::U8 { 257 } else { 1 });
            let a = dir.path().join(format!("ours_{depth:?}.tif"));
            let b = dir.path().join(format!("oiio_{depth:?}.tif"));
            let opts = WriteOptions {
                depth: Some(depth),
                alpha: Some(true),
                ..Default::default()
            };
            crate::io::write_frame(&a, &src, &opts).unwrap();
            let out = Command::new(&py)
                .arg(repo_root().join("scripts/reference/oiio_copy.py"))
                .arg(&a)
                .arg(&b)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let back = read(&b).unwrap();
            assert!(
                bits(&back) == bits(&src),
                "{depth:?} through OpenImageIO: pixels differ"
            );
            assert_eq!(back.meta.creator, src.meta.creator, "{depth:?}");
            assert_eq!(back.meta.copyright, src.meta.copyright, "{depth:?}");
            let reference = oiio_read(&a).unwrap();
            let d = compare(&src, &reference, 0.0, 1.2e-7, false);
            assert!(
                d.is_ok(),
                "{depth:?}: OpenImageIO reads our file differently: {d:?}"
            );
        }
    }

    #[test]
    fn integer_writes_clamp_round_and_zero_nan() {
        let p = Path::new("q.tif");
        let mut f = Frame::new(2, 1);
        f.pixels = vec![
            -0.5,
            1.5,
            f32::NAN,
            1.0,
            0.5,
            0.25 / 65535.0,
            0.75 / 65535.0,
            1.0,
        ];
        let back = decode(
            p,
            &encode(
                p,
                &f,
                &WriteOptions {
                    depth: Some(BitDepth::U16),
                    alpha: Some(false),
                    ..Default::default()
                },
            )
            .unwrap(),
        )
        .unwrap();
        let codes: Vec<u32> = back
            .pixels
            .iter()
            .map(|v| (v * 65535.0).round() as u32)
            .collect();
        // 0.5 * 65535 = 32767.5 rounds to 32768.
        assert_eq!(codes, [0, 65535, 0, 65535, 32768, 0, 1, 65535]);
    }

    #[test]
    fn packed_depths_are_described() {
        let info = read_info(&fixture(
            "public/oiio-images/libtiffpic/depth/flower-rgb-planar-12.tif",
        ))
        .unwrap();
        assert_eq!(info.source.bit_depth, "12");
        assert!(
            info.source.layout.starts_with("planar, big-endian"),
            "{}",
            info.source.layout
        );
        let info = read_info(&fixture("tiff/bits/rgba10_lzw.tif")).unwrap();
        assert_eq!(info.source.bit_depth, "10");
        assert_eq!(info.source.channels, ["R", "G", "B", "A"]);
        assert!(
            info.source
                .layout
                .starts_with("contiguous, little-endian, LZW"),
            "{}",
            info.source.layout
        );
    }

    #[test]
    fn cmyk_is_refused_saying_so() {
        let path = fixture("public/oiio-images/libtiffpic/depth/flower-separated-contig-08.tif");
        for e in [read(&path).unwrap_err(), read_info(&path).unwrap_err()] {
            assert!(matches!(e, Error::Unsupported { .. }), "{e}");
            let msg = e.to_string();
            assert!(msg.contains("flower-separated-contig-08.tif"), "{msg}");
            assert!(msg.contains("CMYK"), "{msg}");
        }
    }

    #[test]
    fn unsupported_depths_and_damaged_files() {
        let p = Path::new("x.tif");
        let f = Frame::new(4, 4);
        let e = encode(
            p,
            &f,
            &WriteOptions {
                depth: Some(BitDepth::U10),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(matches!(e, Error::Unsupported { .. }), "{e}");
        let e = decode(p, b"II*\0garbage").unwrap_err();
        assert!(matches!(e, Error::Invalid { .. }), "{e}");
        assert!(e.to_string().starts_with("x.tif: "), "{e}");
    }
}

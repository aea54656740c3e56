//! Encoding a frame as an EXR file: channels, sample type and compression
//! from the write options, header attributes from the frame's metadata.

use super::metadata::write_metadata;
use super::*;

/// Encodes `frame` as an EXR in memory; `path` names it in errors.
pub fn encode(path: &Path, frame: &Frame, opts: &WriteOptions) -> Result<Vec<u8>> {
    let float = match opts.depth {
        None | Some(BitDepth::Half) => false,
        Some(BitDepth::Float) => true,
        Some(other) => {
            return Err(Error::unsupported(
                path,
                format!("EXR files are written as half or float, not {other:?}"),
            ))
        }
    };
    let compression = match &opts.exr_compression {
        Some(name) => parse_compression(path, name)?,
        None => Compression::ZIP16,
    };
    let alpha = crate::io::wants_alpha(frame, opts);
    let (w, h) = (frame.width as usize, frame.height as usize);
    if frame.pixels.len() != w * h * 4 || w == 0 || h == 0 {
        return Err(Error::invalid(
            path,
            format!(
                "frame of {}x{} has {} values, expected {}",
                w,
                h,
                frame.pixels.len(),
                w * h * 4
            ),
        ));
    }
    let names = ["R", "G", "B", "A"];
    let count = if alpha { 4 } else { 3 };
    let mut list: SmallVec<[AnyChannel<FlatSamples>; 4]> = SmallVec::new();
    for (k, name) in names.iter().enumerate().take(count) {
        let samples = frame.pixels.chunks_exact(4).map(|p| p[k]);
        let data = if float {
            FlatSamples::F32(samples.collect())
        } else {
            FlatSamples::F16(samples.map(half::f16::from_f32).collect())
        };
        list.push(AnyChannel::new(*name, data));
    }
    let mut image_attributes = ImageAttributes::new(IntegerBounds::from_dimensions((w, h)));
    let mut layer_attributes = LayerAttributes::default();
    write_metadata(
        path,
        &frame.meta,
        &mut image_attributes,
        &mut layer_attributes,
    )?;
    if let Some(par) = frame
        .meta
        .pixel_aspect
        .filter(|p| p.is_finite() && *p > 0.0)
    {
        image_attributes.pixel_aspect = par as f32;
    }
    let layer = Layer::new(
        (w, h),
        layer_attributes,
        Encoding {
            compression,
            blocks: exr::image::Blocks::ScanLines,
            line_order: LineOrder::Increasing,
        },
        AnyChannels::sort(list),
    );
    let image = Image::new(image_attributes, layer);
    let mut out = Cursor::new(Vec::new());
    match catch_unwind(AssertUnwindSafe(|| image.write().to_buffered(&mut out))) {
        Ok(Ok(())) => Ok(out.into_inner()),
        Ok(Err(exr::error::Error::NotSupported(what))) => {
            Err(Error::unsupported(path, format!("EXR: {what}")))
        }
        Ok(Err(e)) => Err(Error::invalid(
            path,
            format!("EXR could not be encoded: {e}"),
        )),
        Err(_) => Err(Error::invalid(path, "EXR encoder failed on this frame")),
    }
}

fn parse_compression(path: &Path, name: &str) -> Result<Compression> {
    Ok(match name.to_ascii_lowercase().as_str() {
        "none" | "uncompressed" => Compression::Uncompressed,
        "rle" => Compression::RLE,
        "zips" => Compression::ZIP1,
        "zip" => Compression::ZIP16,
        "piz" => Compression::PIZ,
        "pxr24" => Compression::PXR24,
        "b44" => Compression::B44,
        "b44a" => Compression::B44A,
        "dwaa" => Compression::DWAA(None),
        "dwab" => Compression::DWAB(None),
        other => {
            return Err(Error::unsupported(
                path,
                format!(
                    "EXR compression {other:?} (choose one of {})",
                    COMPRESSIONS.join(", ")
                ),
            ))
        }
    })
}

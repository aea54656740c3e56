//! A frame's layers: read into its slot, each reformatted and graded, then
//! mixed.
//!
//! The reader stacks every layer of a recipe in the slot's pixels at the
//! size it was read, and plans each layer's reformat from that size and the
//! file's pixel aspect ([`PlanCache`] keeps one plan per source format). The
//! grade stage then takes each layer to the output size (reformat then
//! grade, or grade then reformat with `--reformat-after`) and mixes them in
//! a fixed order, so a dissolve between sources of different formats works.
//! A frame with no reformat to do is graded in place, as before reformat
//! existed, and gives the same bits.

use super::backend::Backend;
use super::pool::{Buffers, LayerRead};
use super::{FrameRecipe, Layer, StageTimes};
use crate::io;
use crate::reformat::{Plan, PlanCache, SourceGeometry};
use crate::{Error, Frame, Result};

/// Reads every layer of a recipe into the slot's frame, stacked: layer k at
/// `bufs.layers[k].at`, to be graded and mixed by the grade stage. The
/// frame's size is the output size (every layer's after its reformat).
/// Every field of the frame is set here, so nothing of the frame the slot
/// held before remains.
pub(super) fn read_layers(
    recipe: &FrameRecipe,
    bufs: &mut Buffers,
    plans: &PlanCache,
) -> Result<()> {
    let Buffers {
        frame,
        bytes,
        layers,
    } = bufs;
    layers.clear();
    // Black layers of a reformatted mix take the output format's size.
    let target = recipe.layers.iter().find_map(|(l, _)| match l {
        Layer::Source {
            reformat: Some(r), ..
        } => Some((r.format.width, r.format.height)),
        _ => None,
    });
    let mut size = None;
    for (k, (layer, _)) in recipe.layers.iter().enumerate() {
        let at = if k == 0 { 0 } else { frame.pixels.len() };
        let (got, reformat) = match layer {
            Layer::Source { path, reformat, .. } => {
                let got = io::read_frame_into(path, bytes, &mut frame.pixels, at)?;
                let plan = match reformat {
                    Some(r) => {
                        let source = SourceGeometry {
                            width: got.width,
                            height: got.height,
                            par: got.meta.pixel_aspect.unwrap_or(1.0),
                        };
                        let plan = plans.get(r, source)?;
                        (!plan.is_identity()).then_some((plan, r.order))
                    }
                    None => None,
                };
                (got, plan)
            }
            Layer::Black => {
                let (w, h) = target.or(size).unwrap_or(recipe.black_size);
                (black_into(&mut frame.pixels, at, w, h), None)
            }
        };
        let out = reformat
            .as_ref()
            .map_or((got.width, got.height), |(p, _)| p.output_size());
        let reformatted = reformat.as_ref().map(|(p, _)| p.output_par());
        layers.push(LayerRead {
            at,
            width: got.width,
            height: got.height,
            reformat,
        });
        match size {
            None => {
                size = Some(out);
                frame.width = out.0;
                frame.height = out.1;
                frame.meta = got.meta;
                frame.source = got.source;
                // The output format's pixel aspect, square included, so
                // the writers do not repeat the source's.
                if let Some(par) = reformatted {
                    frame.meta.pixel_aspect = Some(par);
                }
            }
            Some((w, h)) if out != (w, h) => {
                let path = match layer {
                    Layer::Source { path, .. } => path.clone(),
                    Layer::Black => recipe.output.clone(),
                };
                return Err(Error::invalid(
                    path,
                    format!(
                        "frame is {}x{} but the other layer of this mix is {w}x{h}",
                        out.0, out.1
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    if size.is_none() {
        let (w, h) = recipe.black_size;
        let black = black_into(&mut frame.pixels, 0, w, h);
        frame.width = w;
        frame.height = h;
        frame.meta = black.meta;
        frame.source = None;
        layers.push(LayerRead {
            at: 0,
            width: w,
            height: h,
            reformat: None,
        });
    }
    Ok(())
}

/// Fills `pixels[at..]` (resized to end there) with a `w x h` black, opaque
/// frame; returns its size and empty metadata.
fn black_into(pixels: &mut Vec<f32>, at: usize, w: u32, h: u32) -> Frame {
    pixels.resize(at + w as usize * h as usize * 4, 0.0);
    for px in pixels[at..].chunks_exact_mut(4) {
        px.copy_from_slice(&[0.0, 0.0, 0.0, 1.0]);
    }
    Frame {
        width: w,
        height: h,
        pixels: Vec::new(),
        meta: Default::default(),
        source: None,
    }
}

/// Takes every layer to the output size, graded, and mixes them into the
/// frame's pixels. `scratch` is the grade stage's spare buffer: reformatted
/// frames are written there and swapped in, so a render of reformatted
/// frames reuses its buffers rather than allocating per frame.
pub(super) fn grade_and_mix(
    recipe: &FrameRecipe,
    bufs: &mut Buffers,
    backend: &mut Backend,
    scratch: &mut Vec<f32>,
    times: &mut StageTimes,
) -> Result<()> {
    let Buffers { frame, layers, .. } = bufs;
    let (w, h) = (frame.width, frame.height);
    let n = frame.pixel_count() * 4;
    if layers.iter().all(|l| l.reformat.is_none()) {
        for ((layer, _), read) in recipe.layers.iter().zip(layers.iter()) {
            if let Layer::Source { program, .. } = layer {
                let px = &mut frame.pixels[read.range()];
                backend.grade(*program, px, w, h, times)?;
            }
        }
    } else {
        // Each layer at the output size, stacked in `scratch`.
        let mut layer_out = Vec::new();
        for (k, ((layer, _), read)) in recipe.layers.iter().zip(layers.iter()).enumerate() {
            let out = if k == 0 {
                &mut *scratch
            } else {
                &mut layer_out
            };
            let src = &mut frame.pixels[read.range()];
            match (layer, &read.reformat) {
                (Layer::Source { program, .. }, Some((plan, order))) => {
                    let (sw, sh) = (read.width, read.height);
                    backend.reformat_and_grade(*program, plan, *order, src, sw, sh, out, times)?
                }
                (Layer::Source { program, .. }, None) => {
                    backend.grade(*program, src, w, h, times)?;
                    out.clear();
                    out.extend_from_slice(src);
                }
                (Layer::Black, _) => {
                    out.clear();
                    out.extend_from_slice(src);
                }
            }
            if k > 0 {
                scratch.extend_from_slice(&layer_out);
            }
        }
        std::mem::swap(&mut frame.pixels, scratch);
    }
    if !recipe.over.is_empty() {
        let plans: Vec<_> = layers
            .iter()
            .map(|l| l.reformat.as_ref().map(|(p, _)| &**p))
            .collect();
        let over = composite_over(&frame.pixels, w, &recipe.over, &recipe.layers, &plans);
        frame.pixels[..n].copy_from_slice(&over);
    } else if recipe.layers.len() > 1 {
        // Mix in a fixed order (layer 0 first) so the result never depends
        // on anything but the recipe.
        let (first, rest) = frame.pixels.split_at_mut(n);
        let w0 = recipe.layers[0].1;
        for v in first.iter_mut() {
            *v *= w0;
        }
        for (k, (_, weight)) in recipe.layers.iter().enumerate().skip(1) {
            let src = &rest[(k - 1) * n..k * n];
            for (d, s) in first.iter_mut().zip(src) {
                *d = s.mul_add(*weight, *d);
            }
        }
    }
    frame.pixels.truncate(n);
    Ok(())
}

/// `--composite over` of the stacked layers in `pixels` (each `width` wide,
/// at the output size): the layers of each track (`tracks`: how many, bottom
/// to top) mixed by their weights in order, as a mix without tracks is,
/// then laid over what is below: `track + (1 - track alpha) * below`, the
/// premultiplied over of OpenEXR and compositing programs. Where a layer's
/// reformat does not cover a pixel (the black around a placed picture) the
/// layer is transparent there. The bottom is opaque black. Runs on the CPU
/// after either backend's grade, so both give the same bits.
pub(crate) fn composite_over(
    pixels: &[f32],
    width: u32,
    tracks: &[usize],
    layers: &[(Layer, f32)],
    plans: &[Option<&Plan>],
) -> Vec<f32> {
    let n = pixels.len() / layers.len().max(1);
    let mut out: Vec<f32> = [0.0, 0.0, 0.0, 1.0].repeat(n / 4);
    let mut first = 0;
    for &count in tracks {
        let group = first..(first + count).min(layers.len());
        first = group.end;
        for (p, below) in out.chunks_exact_mut(4).enumerate() {
            let (x, y) = ((p % width as usize) as u32, (p / width as usize) as u32);
            let mut track = [0.0f32; 4];
            for k in group.clone() {
                let covered = plans
                    .get(k)
                    .copied()
                    .flatten()
                    .is_none_or(|plan| plan.covers(x, y));
                if !covered {
                    continue;
                }
                let px = &pixels[k * n + p * 4..k * n + p * 4 + 4];
                let weight = layers[k].1;
                for (t, v) in track.iter_mut().zip(px) {
                    *t = v.mul_add(weight, *t);
                }
            }
            let clear = 1.0 - track[3];
            if clear == 0.0 {
                below.copy_from_slice(&track);
            } else {
                for (b, t) in below.iter_mut().zip(track) {
                    *b = b.mul_add(clear, t);
                }
            }
        }
    }
    out
}

//! Where the picture lands: [`Reformat::plan`] works out the crop, the
//! desqueeze, the resize mode and the reposition as one scale and offset per
//! axis (or a rotation), then the filter taps of each output column and row.

use super::filter::{self, Axis};
use super::{check_par, cpu, Area, Crop, Kind, Plan, Reformat, Resize, Separable, SourceGeometry};
use crate::io::limits::{MAX_DIMENSION, MAX_PIXELS};
use crate::{Error, Result};

impl Reformat {
    /// Works out the geometry and the filter weights for `src`. Errors name
    /// the flag at fault and never panic.
    pub fn plan(&self, src: SourceGeometry) -> Result<Plan> {
        let out = self.format;
        let fmt_err = |why: String| Error::Usage(format!("--format {out}: {why}"));
        if out.width == 0 || out.height == 0 {
            return Err(fmt_err("the format is empty".into()));
        }
        if out.width > MAX_DIMENSION
            || out.height > MAX_DIMENSION
            || u64::from(out.width) * u64::from(out.height) > MAX_PIXELS
        {
            return Err(fmt_err(format!(
                "larger than grade accepts ({MAX_DIMENSION} per side, {MAX_PIXELS} pixels)"
            )));
        }
        check_par(out.par).map_err(fmt_err)?;
        if src.width == 0 || src.height == 0 {
            return Err(Error::Usage(format!(
                "the source is {}x{}: nothing to reformat",
                src.width, src.height
            )));
        }
        let par_s = match self.source_par {
            Some(p) => {
                check_par(p).map_err(|why| Error::Usage(format!("--source-par {p}: {why}")))?
            }
            None => check_par(src.par).map_err(|why| {
                Error::Usage(format!(
                    "the source's pixel aspect: {why} (set --source-par)"
                ))
            })?,
        };
        let crop = match self.crop {
            None => Crop {
                x: 0,
                y: 0,
                width: src.width,
                height: src.height,
            },
            Some(c) => {
                let inside = u64::from(c.x) + u64::from(c.width) <= u64::from(src.width)
                    && u64::from(c.y) + u64::from(c.height) <= u64::from(src.height)
                    && c.width > 0
                    && c.height > 0;
                if !inside {
                    return Err(Error::Usage(format!(
                        "--crop {c}: outside the {}x{} source (the crop must lie within 0,0,{},{})",
                        src.width, src.height, src.width, src.height
                    )));
                }
                c
            }
        };
        let rp = self.reposition;
        let finite = rp.scale.is_finite()
            && rp.translate.iter().all(|t| t.is_finite())
            && rp.rotate.is_finite();
        if !finite || rp.scale <= 0.0 {
            return Err(Error::Usage(format!(
                "--scale {}: the reposition must be finite with a positive scale",
                rp.scale
            )));
        }
        let source = SourceGeometry {
            width: src.width,
            height: src.height,
            par: par_s,
        };
        let (cw, ch) = (f64::from(crop.width), f64::from(crop.height));
        let (w, h) = (f64::from(out.width), f64::from(out.height));
        // Display sizes, in units of one output row's height: the source
        // picture is cw * par_s wide, the frame w * par_o.
        let k_w = (w * out.par) / (cw * par_s);
        let k_h = h / ch;
        let (sx, sy) = match self.resize {
            Resize::Stretch => (w / cw, h / ch),
            Resize::None => (1.0, 1.0),
            mode => {
                let k = match mode {
                    Resize::Fit => k_w.min(k_h),
                    Resize::Fill => k_w.max(k_h),
                    Resize::Width => k_w,
                    _ => k_h,
                };
                // Where one scale meets the frame exactly, say so exactly.
                let sx = if k == k_w {
                    w / cw
                } else {
                    k * par_s / out.par
                };
                let sy = if k == k_h { h / ch } else { k };
                (sx, sy)
            }
        };
        let placed = |len: f64, s: f64, pic: f64| -> f64 {
            if self.resize == Resize::None {
                // Whole pixels: the extra (or missing) pixel goes right/down.
                ((len - pic) / 2.0).trunc()
            } else {
                (len - s * pic) / 2.0
            }
        };
        let (ox, oy) = (placed(w, sx, cw), placed(h, sy, ch));
        // The reposition about the frame centre.
        let (cx, cy) = (w / 2.0, h / 2.0);
        let scale = [sx * rp.scale, sy * rp.scale];
        let offset = [
            cx + rp.translate[0] + rp.scale * (ox - cx),
            cy + rp.translate[1] + rp.scale * (oy - cy),
        ];
        let (pw, ph) = (scale[0] * cw, scale[1] * ch);
        if !(pw.is_finite() && ph.is_finite())
            || pw > f64::from(MAX_DIMENSION)
            || ph > f64::from(MAX_DIMENSION)
            || pw * ph > MAX_PIXELS as f64
        {
            let flag = if rp.scale != 1.0 {
                format!("--scale {}", rp.scale)
            } else {
                format!("--format {out}")
            };
            return Err(Error::Usage(format!(
                "{flag}: the {}x{} picture would be {pw:.0}x{ph:.0} pixels, larger than grade accepts ({MAX_DIMENSION} per side, {MAX_PIXELS} pixels)",
                crop.width, crop.height
            )));
        }
        let identity = out.width == src.width
            && out.height == src.height
            && out.par == par_s
            && (crop.x, crop.y, crop.width, crop.height) == (0, 0, src.width, src.height)
            && rp.is_identity()
            && scale == [1.0, 1.0]
            && offset == [0.0, 0.0];
        let mut plan = Plan {
            source,
            output: out,
            filter: self.filter,
            resize: self.resize,
            scale,
            offset,
            active: Area::default(),
            kind: Kind::Identity,
        };
        if identity {
            plan.active = Area {
                x: 0,
                y: 0,
                width: out.width,
                height: out.height,
            };
            return Ok(plan);
        }
        if rp.rotate != 0.0 {
            let (rot, active) = cpu::Rotated::new(self.filter, crop, scale, offset, rp.rotate, out);
            plan.active = active;
            plan.kind = Kind::Rotated(rot);
            return Ok(plan);
        }
        let (x0, x1) = filter::active_range(out.width, offset[0], scale[0], cw);
        let (y0, y1) = filter::active_range(out.height, offset[1], scale[1], ch);
        plan.active = Area {
            x: x0,
            y: y0,
            width: x1 - x0,
            height: y1 - y0,
        };
        let x = Axis::new(self.filter, x0..x1, scale[0], offset[0], crop.x, crop.width);
        let y = Axis::new(
            self.filter,
            y0..y1,
            scale[1],
            offset[1],
            crop.y,
            crop.height,
        );
        let rows = y.source_range().unwrap_or((crop.y, crop.y));
        plan.kind = Kind::Separable(Separable { x, y, rows });
        Ok(plan)
    }
}

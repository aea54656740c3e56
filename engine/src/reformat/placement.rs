//! A clip's own placement in the frame, as an editor's motion controls
//! give it (FCP7 / Premiere Basic Motion: [`model::Reposition`]), turned
//! into the reformat stage's [`Reposition`] for one source.
//!
//! The editor's scale is relative to the source's native pixels: 100% shows
//! one source row per master row, so 93.75% of a 2048-wide source in a
//! 1920x1080 sequence shows it 1920 wide, whatever `--resize` would have
//! done. Horizontally the picture keeps its display aspect (desqueezed by
//! the source's and the master's pixel aspects, as the resize does). The
//! editor's centre is an offset as a fraction of the master's width and
//! height, applied after the rotation (the clip turns about its own
//! centre); the rotation is clockwise. A reposition of the master's own
//! (`--scale`, `--translate`, `--rotate`) applies on top.

use super::{Reformat, Reposition, SourceGeometry};
use crate::timeline::model;
use crate::Result;

impl Reformat {
    /// This reformat, placing a source of geometry `src` as `clip` says.
    /// Errors are the plan's (a source or format the reformat refuses).
    pub fn placed(&self, clip: &model::Reposition, src: SourceGeometry) -> Result<Reformat> {
        let mut base = self.clone();
        base.reposition = Reposition::default();
        // Output rows per source row of the picture as the resize fits it.
        let fitted = base.plan(src)?.summary().scale_y;
        let (w, h) = (f64::from(self.format.width), f64::from(self.format.height));
        let rotate = -clip.rotation;
        let offset = [clip.center[0] * w, clip.center[1] * h];
        // The stage rotates after it translates, about the frame centre: so
        // that the clip turns about its own centre, translate by the
        // offset turned back.
        let own = Reposition {
            scale: clip.scale / fitted,
            translate: turned_back(rotate, offset),
            rotate,
        };
        let m = self.reposition;
        let t = turned_back(own.rotate, m.translate);
        base.reposition = Reposition {
            scale: own.scale * m.scale,
            translate: [
                m.scale * own.translate[0] + t[0],
                m.scale * own.translate[1] + t[1],
            ],
            rotate: own.rotate + m.rotate,
        };
        Ok(base)
    }
}

/// `v` turned by `-degrees` as the stage turns pictures (the inverse of
/// its rotation, `reformat::cpu`).
fn turned_back(degrees: f64, v: [f64; 2]) -> [f64; 2] {
    if degrees == 0.0 {
        return v;
    }
    let (sin, cos) = degrees.to_radians().sin_cos();
    [cos * v[0] - sin * v[1], sin * v[0] + cos * v[1]]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reformat::{Format, Resize};

    fn hd() -> Reformat {
        Reformat::to(Format {
            width: 1920,
            height: 1080,
            par: 1.0,
        })
    }

    fn src(width: u32, height: u32, par: f64) -> SourceGeometry {
        SourceGeometry { width, height, par }
    }

    fn clip(scale: f64, center: [f64; 2], rotation: f64) -> model::Reposition {
        model::Reposition {
            scale,
            center,
            rotation,
        }
    }

    #[test]
    fn premiere_scale_is_relative_to_the_sources_native_pixels() {
        // 93.75% of a 2048x1080 source in a 1920x1080 sequence: 1920 wide.
        let r = hd().placed(&clip(0.9375, [0.0, 0.0], 0.0), src(2048, 1080, 1.0));
        let p = r.unwrap().plan(src(2048, 1080, 1.0)).unwrap().summary();
        assert_eq!((p.scale_x, p.scale_y), (0.9375, 0.9375));
        assert_eq!((p.offset_x, p.offset_y), (0.0, 33.75));
        assert_eq!((p.active.x, p.active.width), (0, 1920));
        // 100% of a UHD source in HD shows its middle quarter, not the
        // fitted picture: a fit would have scaled it by 0.5.
        let r = hd().placed(&clip(1.0, [0.0, 0.0], 0.0), src(3840, 2160, 1.0));
        let p = r.unwrap().plan(src(3840, 2160, 1.0)).unwrap().summary();
        assert_eq!((p.scale_x, p.scale_y), (1.0, 1.0));
        assert_eq!((p.offset_x, p.offset_y), (-960.0, -540.0));
    }

    #[test]
    fn the_resize_mode_does_not_change_a_placed_clip() {
        for resize in [Resize::Fit, Resize::Fill, Resize::Width, Resize::Height] {
            let r = Reformat { resize, ..hd() };
            let p = r
                .placed(&clip(0.5, [0.0, 0.0], 0.0), src(2048, 858, 1.0))
                .unwrap()
                .plan(src(2048, 858, 1.0))
                .unwrap()
                .summary();
            assert!((p.scale_x - 0.5).abs() < 1e-12, "{resize:?}: {p:?}");
            assert!((p.scale_y - 0.5).abs() < 1e-12, "{resize:?}: {p:?}");
        }
    }

    #[test]
    fn anamorphic_sources_keep_their_display_aspect() {
        // A 2x squeezed 1024x858 source at 100%: 858 rows tall, 2048 wide.
        let p = hd()
            .placed(&clip(1.0, [0.0, 0.0], 0.0), src(1024, 858, 2.0))
            .unwrap()
            .plan(src(1024, 858, 2.0))
            .unwrap()
            .summary();
        assert!((p.scale_y - 1.0).abs() < 1e-12, "{p:?}");
        assert!((p.scale_x - 2.0).abs() < 1e-12, "{p:?}");
    }

    #[test]
    fn the_centre_moves_the_clip_by_a_fraction_of_the_frame() {
        // A quarter of the width right, a tenth of the height down.
        let p = hd()
            .placed(&clip(1.0, [0.25, 0.1], 0.0), src(1920, 1080, 1.0))
            .unwrap()
            .plan(src(1920, 1080, 1.0))
            .unwrap()
            .summary();
        assert_eq!((p.offset_x, p.offset_y), (480.0, 108.0));
    }

    #[test]
    fn a_rotated_clip_turns_about_its_own_centre_then_moves() {
        // 90 degrees clockwise and moved right: the clip's centre lands at
        // the frame centre plus the offset, wherever the rotation turns it.
        let r = hd()
            .placed(&clip(0.25, [0.25, 0.0], 90.0), src(1920, 1080, 1.0))
            .unwrap();
        assert_eq!(r.reposition.rotate, -90.0);
        // The stage: centre + R(translate + s(p - centre)); at p = centre
        // that is centre + R(translate).
        let t = r.reposition.translate;
        let (sin, cos) = r.reposition.rotate.to_radians().sin_cos();
        let landed = [cos * t[0] + sin * t[1], -sin * t[0] + cos * t[1]];
        assert!((landed[0] - 480.0).abs() < 1e-9, "{landed:?}");
        assert!(landed[1].abs() < 1e-9, "{landed:?}");
    }

    #[test]
    fn the_masters_own_reposition_applies_on_top() {
        let mut m = hd();
        m.reposition = Reposition {
            scale: 2.0,
            translate: [10.0, 0.0],
            rotate: 0.0,
        };
        let r = m
            .placed(&clip(0.5, [0.1, 0.0], 0.0), src(1920, 1080, 1.0))
            .unwrap();
        assert_eq!(r.reposition.scale, 1.0);
        assert_eq!(r.reposition.translate, [2.0 * 192.0 + 10.0, 0.0]);
    }

    #[test]
    fn a_source_the_reformat_refuses_is_an_error() {
        assert!(hd()
            .placed(&clip(1.0, [0.0, 0.0], 0.0), src(0, 1080, 1.0))
            .is_err());
    }
}

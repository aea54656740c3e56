//! The grading operators of Autodesk's CTF that grade reads from a `.ctf`
//! file (OpenColorIO 2.5's `CTFReaderGradingHueCurveElt`): GradingHueCurve,
//! its `style` (log, linear, video, each with `Rev` for the inverse), an
//! optional `hsyTransform="none"`, and one element per curve (HueHue,
//! HueSat, HueLum, LumSat, SatSat, LumLum, SatLum, HueFx) holding its
//! `ControlPoints` (x y pairs) and optional `Slopes`. A curve the file
//! leaves out keeps OpenColorIO's default for the style.

use roxmltree::Node;

use super::curves::style;
use super::{is, NodeCx};
use crate::formats::xml;
use crate::grade::Op;
use crate::ops::hue_curve::HueCurve;
use crate::ops::HueCurveStyle;

/// The curve elements, in `HueCurve::curves` order.
const CURVES: [&str; 8] = [
    "HueHue", "HueSat", "HueLum", "LumSat", "SatSat", "LumLum", "SatLum", "HueFx",
];

/// The numbers an element holds, as f32 (as OpenColorIO reads them).
fn numbers(cx: &mut NodeCx, node: Node) -> Option<Vec<f32>> {
    let mut out = Vec::new();
    for word in xml::tokens(node.text().unwrap_or("")) {
        match xml::number(word) {
            Ok(v) => out.push(v as f32),
            Err(e) => {
                cx.at(node, format!("<{}>: {e}", node.tag_name().name()));
                return None;
            }
        }
    }
    Some(out)
}

/// GradingHueCurve.
pub(super) fn hue_curve(cx: &mut NodeCx) -> Option<Op> {
    let name = style(cx)?;
    let styles = [
        ("log", HueCurveStyle::LogFwd),
        ("logRev", HueCurveStyle::LogRev),
        ("linear", HueCurveStyle::LinFwd),
        ("linearRev", HueCurveStyle::LinRev),
        ("video", HueCurveStyle::VideoFwd),
        ("videoRev", HueCurveStyle::VideoRev),
    ];
    let Some(&(_, s)) = styles.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) else {
        cx.here(format!(
            "style {name:?} is not one of log, logRev, linear, linearRev, video, videoRev"
        ));
        return None;
    };
    let mut op = HueCurve::new(s);
    if let Some(h) = super::attr(cx.node, "hsyTransform") {
        if h.eq_ignore_ascii_case("none") {
            op.rgb_to_hsy = false;
        } else {
            cx.here(format!("hsyTransform {h:?} is not \"none\""));
        }
    }
    for child in cx.children().collect::<Vec<_>>() {
        let tag = child.tag_name().name();
        // DynamicParameter and anything unknown: ignored, as OpenColorIO does.
        let Some(c) = CURVES.iter().position(|n| n.eq_ignore_ascii_case(tag)) else {
            continue;
        };
        let (mut points, mut slopes) = (None, None);
        for part in child.children().filter(Node::is_element) {
            if is(part, "ControlPoints") {
                let v = numbers(cx, part)?;
                if v.len() % 2 != 0 || v.is_empty() {
                    cx.at(
                        part,
                        format!("<{tag}> control points: {} numbers, not x y pairs", v.len()),
                    );
                    return None;
                }
                points = Some(v.chunks_exact(2).map(|p| [p[0], p[1]]).collect::<Vec<_>>());
            } else if is(part, "Slopes") {
                slopes = Some(numbers(cx, part)?);
            }
        }
        let curve = &mut op.curves[c];
        if let Some(p) = points {
            curve.slopes = vec![0.0; p.len()];
            curve.points = p;
        }
        if let Some(s) = slopes {
            curve.slopes = s;
        }
    }
    Some(Op::HueCurve(op))
}

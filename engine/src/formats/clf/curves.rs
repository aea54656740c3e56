//! The CLF nodes set by parameters: Range, Log (LogParams), Exponent
//! (ExponentParams) and ASC_CDL (SOPNode, SatNode), each checked as
//! OpenColorIO checks them.

use roxmltree::Node;

use super::{attr, is, NodeCx};
use crate::formats::xml;
use crate::grade::Op;
use crate::ops::{
    Cdl, CdlStyle, Direction, Exponent, ExponentStyle, Log, LogParams, LogStyle, Range,
};

/// The single number an element holds.
fn single(cx: &mut NodeCx, node: Node) -> Option<f64> {
    let text = node.text().unwrap_or("");
    let words: Vec<&str> = xml::tokens(text).collect();
    if words.len() != 1 {
        cx.at(
            node,
            format!(
                "<{}> holds {} numbers; one is expected",
                node.tag_name().name(),
                words.len()
            ),
        );
        return None;
    }
    match xml::number(words[0]) {
        Ok(v) => Some(v),
        Err(e) => {
            cx.at(node, format!("<{}>: {e}", node.tag_name().name()));
            None
        }
    }
}

/// A numeric attribute, when present.
fn number_attr(cx: &mut NodeCx, node: Node, key: &str) -> Option<f64> {
    let v = attr(node, key)?;
    match xml::number(v.trim()) {
        Ok(x) => Some(x),
        Err(e) => {
            cx.at(node, format!("{key}: {e}"));
            None
        }
    }
}

/// A `channel` attribute: `None` for all channels, else 0, 1 or 2.
fn channel(cx: &mut NodeCx, node: Node) -> Result<Option<usize>, ()> {
    match attr(node, "channel") {
        None => Ok(None),
        Some(c) => match c.to_ascii_uppercase().as_str() {
            "R" => Ok(Some(0)),
            "G" => Ok(Some(1)),
            "B" => Ok(Some(2)),
            _ => {
                cx.at(node, format!("channel {c:?} is not R, G or B"));
                Err(())
            }
        },
    }
}

/// OpenColorIO's `RangeOpData::FloatsDiffer`: 1e-6 absolute near zero,
/// 1e-6 relative elsewhere.
fn floats_differ(a: f64, b: f64) -> bool {
    if a.abs() < 1e-3 {
        (a - b).abs() > 1e-6
    } else {
        (1.0 - b / a).abs() > 1e-6
    }
}

/// Range: bounds in the in depth's and out depth's codes; `style="noClamp"`
/// scales without clamping (both pairs needed); a one-sided range is a
/// clamp whose in and out bound must agree.
pub(super) fn range(cx: &mut NodeCx) -> Option<Op> {
    let clamp = !attr(cx.node, "style").is_some_and(|s| s.eq_ignore_ascii_case("noClamp"));
    let mut v: [Option<f64>; 4] = [None; 4];
    let children: Vec<Node> = cx.children().collect();
    for child in children {
        let slot = match child.tag_name().name().to_ascii_lowercase().as_str() {
            "mininvalue" => 0,
            "maxinvalue" => 1,
            "minoutvalue" => 2,
            "maxoutvalue" => 3,
            _ => continue,
        };
        if let Some(x) = single(cx, child) {
            v[slot] = Some(x);
        }
    }
    if cx.failed {
        return None;
    }
    let in_scale = 1.0 / cx.in_depth.max();
    let out_scale = 1.0 / cx.out_depth.max();
    let [min_in, max_in, min_out, max_out] = [
        v[0].map(|x| x * in_scale),
        v[1].map(|x| x * in_scale),
        v[2].map(|x| x * out_scale),
        v[3].map(|x| x * out_scale),
    ];
    let mut problems = Vec::new();
    if min_in.is_some() != min_out.is_some() {
        problems.push("minInValue and minOutValue must both be given or both be missing");
    }
    if max_in.is_some() != max_out.is_some() {
        problems.push("maxInValue and maxOutValue must both be given or both be missing");
    }
    if min_in.is_none() && max_in.is_none() {
        problems.push("a Range needs its min values, its max values, or both");
    }
    if let (Some(a), Some(b), Some(c), Some(d)) = (min_in, max_in, min_out, max_out) {
        if a > b {
            problems.push("maxInValue is less than minInValue");
        } else if (b - a).abs() < 1e-6 {
            problems.push("maxInValue is too close to minInValue");
        }
        if c > d {
            problems.push("maxOutValue is less than minOutValue");
        }
    }
    let (mut min_in, mut max_in) = (min_in, max_in);
    if max_in.is_none() {
        if let (Some(a), Some(c)) = (min_in, min_out) {
            if floats_differ(c, a) {
                problems.push("with no max values, minInValue and minOutValue must be equal");
            }
            // OpenColorIO clamps at the out bound with no offset.
            min_in = Some(c);
        }
    }
    if min_in.is_none() {
        if let (Some(b), Some(d)) = (max_in, max_out) {
            if floats_differ(d, b) {
                problems.push("with no min values, maxInValue and maxOutValue must be equal");
            }
            max_in = Some(d);
        }
    }
    if !clamp && (min_in.is_none() || max_in.is_none()) {
        problems.push("a noClamp Range needs both its min and its max values");
    }
    if !problems.is_empty() {
        for m in problems {
            cx.here(m);
        }
        return None;
    }
    Some(Op::Range(Range {
        min_in,
        max_in,
        min_out,
        max_out,
        clamp,
    }))
}

fn log_style(s: &str) -> Option<LogStyle> {
    LogStyle::ALL
        .into_iter()
        .find(|st| log_style_name(*st).eq_ignore_ascii_case(s))
}

/// The CLF spelling of a Log style.
pub fn log_style_name(style: LogStyle) -> &'static str {
    match style {
        LogStyle::Log10 => "log10",
        LogStyle::Log2 => "log2",
        LogStyle::AntiLog10 => "antiLog10",
        LogStyle::AntiLog2 => "antiLog2",
        LogStyle::LinToLog => "linToLog",
        LogStyle::LogToLin => "logToLin",
        LogStyle::CameraLinToLog => "cameraLinToLog",
        LogStyle::CameraLogToLin => "cameraLogToLin",
    }
}

/// The node's style attribute, required.
pub(super) fn style<'a>(cx: &mut NodeCx<'_, 'a, '_>) -> Option<&'a str> {
    let s = attr(cx.node, "style");
    if s.is_none() {
        cx.here("style is missing");
    }
    s
}

/// Log: the style, and LogParams for the lin/log and camera styles (one
/// for all channels, or per channel; a channel without one keeps the
/// identity parameters). One base for all channels.
pub(super) fn log(cx: &mut NodeCx) -> Option<Op> {
    let s = style(cx)?;
    let Some(style) = log_style(s) else {
        cx.here(format!(
            "style {s:?} is not a Log style (log10, log2, antiLog10, antiLog2, linToLog, logToLin, cameraLinToLog, cameraLogToLin)"
        ));
        return None;
    };
    use LogStyle::*;
    let takes_params = matches!(style, LinToLog | LogToLin | CameraLinToLog | CameraLogToLin);
    let camera = matches!(style, CameraLinToLog | CameraLogToLin);
    let mut params = [LogParams::default(); 3];
    let mut base: Option<f64> = None;
    let children: Vec<Node> = cx.children().filter(|n| is(*n, "LogParams")).collect();
    for node in children {
        // OpenColorIO ignores LogParams on the log2/log10 styles.
        if !takes_params {
            continue;
        }
        let Ok(chan) = channel(cx, node) else {
            continue;
        };
        let p = LogParams {
            base: 2.0,
            log_side_slope: number_attr(cx, node, "logSideSlope").unwrap_or(1.0),
            log_side_offset: number_attr(cx, node, "logSideOffset").unwrap_or(0.0),
            lin_side_slope: number_attr(cx, node, "linSideSlope").unwrap_or(1.0),
            lin_side_offset: number_attr(cx, node, "linSideOffset").unwrap_or(0.0),
            lin_side_break: number_attr(cx, node, "linSideBreak"),
            linear_slope: number_attr(cx, node, "linearSlope"),
        };
        if let Some(b) = number_attr(cx, node, "base") {
            match base {
                Some(prev) if prev != b => cx.at(
                    node,
                    format!("base {b} differs from base {prev} given before; a Log has one base"),
                ),
                _ => base = Some(b),
            }
        }
        if !camera && p.lin_side_break.is_some() {
            cx.at(node, "linSideBreak is only for the camera styles");
        }
        if !camera && p.linear_slope.is_some() {
            cx.at(node, "linearSlope is only for the camera styles");
        }
        if camera && p.lin_side_break.is_none() {
            cx.at(node, format!("style {s} needs linSideBreak"));
        }
        match chan {
            None => params = [p; 3],
            Some(c) => params[c] = p,
        }
    }
    if camera && !cx.failed && params.iter().any(|p| p.lin_side_break.is_none()) {
        cx.here(format!(
            "style {s} needs LogParams with linSideBreak for every channel"
        ));
    }
    let base = base.unwrap_or(match style {
        Log10 | AntiLog10 => 10.0,
        _ => 2.0,
    });
    for p in params.iter_mut() {
        p.base = base;
    }
    Some(Op::Log(Log { style, params }))
}

/// The CLF spelling of an Exponent style.
pub fn exponent_style_name(style: ExponentStyle) -> &'static str {
    match style {
        ExponentStyle::BasicFwd => "basicFwd",
        ExponentStyle::BasicRev => "basicRev",
        ExponentStyle::BasicMirrorFwd => "basicMirrorFwd",
        ExponentStyle::BasicMirrorRev => "basicMirrorRev",
        ExponentStyle::BasicPassThruFwd => "basicPassThruFwd",
        ExponentStyle::BasicPassThruRev => "basicPassThruRev",
        ExponentStyle::MonCurveFwd => "monCurveFwd",
        ExponentStyle::MonCurveRev => "monCurveRev",
        ExponentStyle::MonCurveMirrorFwd => "monCurveMirrorFwd",
        ExponentStyle::MonCurveMirrorRev => "monCurveMirrorRev",
    }
}

/// Exponent: the style, and ExponentParams (one for all channels, or per
/// channel; a channel without one keeps exponent 1, offset 0). The basic
/// styles take an exponent only, the monCurve styles an exponent and an
/// offset.
pub(super) fn exponent(cx: &mut NodeCx) -> Option<Op> {
    let s = style(cx)?;
    let Some(style) = ExponentStyle::ALL
        .into_iter()
        .find(|st| exponent_style_name(*st).eq_ignore_ascii_case(s))
    else {
        cx.here(format!(
            "style {s:?} is not an Exponent style (basicFwd, basicRev, basicMirrorFwd, basicMirrorRev, basicPassThruFwd, basicPassThruRev, monCurveFwd, monCurveRev, monCurveMirrorFwd, monCurveMirrorRev)"
        ));
        return None;
    };
    let moncurve = exponent_style_name(style).starts_with("monCurve");
    let mut exponent = [1.0f64; 3];
    let mut offset = [0.0f64; 3];
    let children: Vec<Node> = cx
        .children()
        .filter(|n| is(*n, "ExponentParams") || is(*n, "GammaParams"))
        .collect();
    for node in children {
        let Ok(chan) = channel(cx, node) else {
            continue;
        };
        let e = match number_attr(cx, node, "exponent") {
            Some(e) => Some(e),
            None => number_attr(cx, node, "gamma"),
        };
        let Some(e) = e else {
            if attr(node, "exponent").is_none() && attr(node, "gamma").is_none() {
                cx.at(node, "ExponentParams has no exponent");
            }
            continue;
        };
        let o = number_attr(cx, node, "offset");
        let o = match (moncurve, o, attr(node, "offset").is_some()) {
            (true, Some(o), _) => o,
            (true, None, false) => {
                cx.at(node, format!("style {s} needs an offset"));
                continue;
            }
            (false, _, true) => {
                cx.at(node, format!("style {s} takes no offset"));
                continue;
            }
            _ => 0.0,
        };
        match chan {
            None => {
                exponent = [e; 3];
                offset = [o; 3];
            }
            Some(c) => {
                exponent[c] = e;
                offset[c] = o;
            }
        }
    }
    Some(Op::Exponent(Exponent {
        style,
        exponent,
        offset,
    }))
}

/// ASC_CDL: `style` (CLF Fwd, Rev, FwdNoClamp, RevNoClamp, or the older
/// v1.2_Fwd, v1.2_Rev, noClampFwd, noClampRev; Fwd when absent), a SOPNode
/// (with all of Slope, Offset and Power) and a SatNode, either of which may
/// be missing (identity values).
pub(super) fn cdl(cx: &mut NodeCx) -> Option<Op> {
    let (style, direction) = match attr(cx.node, "style") {
        None => (CdlStyle::Asc, Direction::Forward),
        Some(s) => match s.to_ascii_lowercase().as_str() {
            "fwd" | "v1.2_fwd" => (CdlStyle::Asc, Direction::Forward),
            "rev" | "v1.2_rev" => (CdlStyle::Asc, Direction::Inverse),
            "fwdnoclamp" | "noclampfwd" => (CdlStyle::NoClamp, Direction::Forward),
            "revnoclamp" | "noclamprev" => (CdlStyle::NoClamp, Direction::Inverse),
            _ => {
                cx.here(format!(
                    "style {s:?} is not an ASC_CDL style (Fwd, Rev, FwdNoClamp, RevNoClamp)"
                ));
                return None;
            }
        },
    };
    let mut cdl = Cdl {
        id: attr(cx.node, "id").map(str::to_string),
        style,
        direction,
        ..Cdl::default()
    };
    let children: Vec<Node> = cx.children().collect();
    for node in children {
        if is(node, "SOPNode") {
            for (name, target) in [
                ("Slope", &mut cdl.slope),
                ("Offset", &mut cdl.offset),
                ("Power", &mut cdl.power),
            ] {
                let Some(field) = node.children().find(|n| n.is_element() && is(*n, name)) else {
                    cx.at(
                        node,
                        format!("<SOPNode> has no <{name}> (it needs Slope, Offset and Power)"),
                    );
                    continue;
                };
                match xml::triple(field.text().unwrap_or("")) {
                    Ok(v) => *target = v,
                    Err(e) => cx.at(field, format!("<{name}>: {e}")),
                }
            }
        } else if is(node, "SatNode") {
            if let Some(field) = node
                .children()
                .find(|n| n.is_element() && is(*n, "Saturation"))
            {
                if let Some(s) = single(cx, field) {
                    cdl.saturation = s;
                }
            }
        }
    }
    Some(Op::Cdl(cdl))
}

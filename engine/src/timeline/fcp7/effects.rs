//! A clipitem's filters: Time Remap at a constant speed (reverse included)
//! becomes a [`TimeEffect::LinearTimeWarp`], a variable-speed one its time
//! graph's keyframes (a [`TimeEffect::Remap`]), Basic Motion (scale, centre,
//! rotation) the clip's [`Reposition`]; every other filter is left out
//! with a warning naming the item.

use roxmltree::Node;

use super::xml::{child, children, is_true, one_line, text, Doc};
use crate::timeline::model::{Reposition, TimeEffect};

/// What a clipitem's filters ask for.
#[derive(Debug, Default)]
pub(super) struct Filters {
    /// Source frames per record frame (negative in reverse), when remapped.
    pub speed: Option<f64>,
    /// A variable-speed remap's time graph: `(when, value)` keyframes as the
    /// file writes them (the clip's in and out points' frames, and source
    /// frames from the start of its media), sorted by `when`.
    pub remap: Option<Vec<(f64, f64)>>,
    pub reposition: Option<Reposition>,
    pub warnings: Vec<String>,
}

impl Filters {
    pub fn effects(&self) -> Vec<TimeEffect> {
        match self.speed {
            Some(0.0) => vec![TimeEffect::FreezeFrame],
            Some(s) if s != 1.0 => vec![TimeEffect::LinearTimeWarp { time_scalar: s }],
            _ => Vec::new(),
        }
    }
}

/// Reads the `<filter>`s of `item`.
pub(super) fn filters(doc: &Doc, item: Node) -> Filters {
    let mut out = Filters::default();
    for f in children(item, "filter") {
        if text(f, "enabled").is_some_and(|t| !is_true(t)) {
            continue;
        }
        let Some(effect) = child(f, "effect") else {
            continue;
        };
        if text(effect, "mediatype").is_some_and(|m| m.eq_ignore_ascii_case("audio")) {
            continue;
        }
        let id = text(effect, "effectid").unwrap_or("").to_ascii_lowercase();
        let name = text(effect, "name").unwrap_or("");
        match id.as_str() {
            "timeremap" => time_remap(doc, item, effect, &mut out),
            "basic" => basic_motion(doc, item, effect, &mut out),
            "opacity" if param(doc, item, effect, "opacity", &mut out.warnings) == Some(100.0) => {}
            _ => out.warnings.push(doc.warning(
                item,
                format!("filter \"{}\" ({id}) is not applied", one_line(name)),
            )),
        }
    }
    out
}

fn time_remap(doc: &Doc, item: Node, effect: Node, out: &mut Filters) {
    let w = &mut out.warnings;
    let speed = param(doc, item, effect, "speed", w).unwrap_or(100.0);
    let reverse = param_node(effect, "reverse")
        .and_then(|p| text(p, "value"))
        .is_some_and(is_true);
    let variable = param_node(effect, "variablespeed")
        .and_then(|p| text(p, "value"))
        .is_some_and(|v| is_true(v) || v.parse::<f64>().is_ok_and(|x| x != 0.0));
    if variable {
        match time_graph(effect) {
            Some(keys) => {
                out.remap = Some(keys);
                return;
            }
            None => w.push(doc.warning(
                item,
                format!(
                    "variable-speed Time Remap: no keyframe of its time graph (graphdict) \
                     could be read; played at a constant {speed}%"
                ),
            )),
        }
    }
    // Past 1000x a remap is a mistake in the file (and would overflow frame
    // numbers): refused, not applied.
    if speed.abs() > 100_000.0 {
        w.push(doc.warning(item, format!("Time Remap speed {speed:e}% is not applied")));
        return;
    }
    let s = speed / 100.0;
    out.speed = Some(if reverse { -s.abs() } else { s });
}

/// The `(when, value)` keyframes of a remap's `graphdict` parameter that
/// read as numbers (within 1e12 frames), sorted by `when`; `None` without
/// one. Premiere and FCP7 write `when` in the clip's in/out frames and
/// `value` as the source frame from the start of the media.
fn time_graph(effect: Node) -> Option<Vec<(f64, f64)>> {
    let graph = param_node(effect, "graphdict")?;
    let num = |k: Node, name: &str| {
        text(k, name)
            .and_then(|t| t.trim().parse::<f64>().ok())
            .filter(|x| x.abs() < 1e12)
    };
    let mut keys: Vec<(f64, f64)> = children(graph, "keyframe")
        .filter_map(|k| Some((num(k, "when")?, num(k, "value")?)))
        .collect();
    keys.sort_by(|a, b| a.0.total_cmp(&b.0));
    (!keys.is_empty()).then_some(keys)
}

fn basic_motion(doc: &Doc, item: Node, effect: Node, out: &mut Filters) {
    let w = &mut out.warnings;
    let scale = param(doc, item, effect, "scale", w).unwrap_or(100.0);
    let rotation = param(doc, item, effect, "rotation", w).unwrap_or(0.0);
    let center = param_node(effect, "center")
        .and_then(|p| first_value(doc, item, p, w))
        .map_or([0.0, 0.0], |v| {
            let c = |k: &str| {
                text(v, k)
                    .and_then(|t| t.parse::<f64>().ok())
                    .filter(|x| x.is_finite())
                    .unwrap_or(0.0)
            };
            [c("horiz"), c("vert")]
        });
    if !(scale > 0.0 && scale <= 100_000.0) {
        w.push(doc.warning(
            item,
            format!("Basic Motion scale {scale:e}% is not applied"),
        ));
        return;
    }
    for other in ["anchorpoint", "centerOffset"] {
        let moved = param_node(effect, other)
            .and_then(|p| child(p, "value"))
            .is_some_and(|v| {
                ["horiz", "vert"].iter().any(|k| {
                    text(v, k)
                        .and_then(|t| t.parse::<f64>().ok())
                        .is_some_and(|x| x != 0.0)
                })
            });
        if moved {
            w.push(doc.warning(item, format!("Basic Motion {other} is not applied")));
        }
    }
    let rp = Reposition {
        scale: scale / 100.0,
        center,
        rotation,
    };
    if rp
        != (Reposition {
            scale: 1.0,
            center: [0.0, 0.0],
            rotation: 0.0,
        })
    {
        out.reposition = Some(rp);
    }
}

fn param_node<'a, 'i>(effect: Node<'a, 'i>, id: &str) -> Option<Node<'a, 'i>> {
    children(effect, "parameter")
        .find(|p| text(*p, "parameterid").is_some_and(|t| t.eq_ignore_ascii_case(id)))
}

/// The `<value>` of a parameter, or of its first keyframe (with a warning
/// when the parameter is animated).
fn first_value<'a, 'i>(
    doc: &Doc,
    item: Node,
    p: Node<'a, 'i>,
    warnings: &mut Vec<String>,
) -> Option<Node<'a, 'i>> {
    let keys: Vec<Node> = children(p, "keyframe").collect();
    if keys.len() > 1 {
        let pid = text(p, "parameterid").unwrap_or("");
        warnings.push(doc.warning(
            item,
            format!(
                "{pid} is animated ({} keyframes): its first value is used",
                keys.len()
            ),
        ));
    }
    child(p, "value").or_else(|| keys.first().and_then(|k| child(*k, "value")))
}

/// A numeric parameter.
fn param(doc: &Doc, item: Node, effect: Node, id: &str, w: &mut Vec<String>) -> Option<f64> {
    let p = param_node(effect, id)?;
    let v = first_value(doc, item, p, w)?;
    let t = v.text().unwrap_or("").trim();
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() => Some(x),
        _ => {
            w.push(doc.warning(item, format!("{id} value \"{t}\" is not a number")));
            None
        }
    }
}

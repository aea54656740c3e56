//! Range, as CLF defines it: `out = (in - min_in) * scale + min_out`, with
//! `scale = (max_out - min_out) / (max_in - min_in)`, clamped to the output
//! bounds that are given unless the style is no-clamp. With only the min
//! pair (or only the max pair) it is an offset and a one-sided clamp.

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Range {
    pub min_in: Option<f64>,
    pub max_in: Option<f64>,
    pub min_out: Option<f64>,
    pub max_out: Option<f64>,
    /// CLF style="Clamp" (default) or "noClamp".
    pub clamp: bool,
}

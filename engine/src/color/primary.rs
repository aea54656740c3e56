//! Primary correction as a colourist sets it at the desk: exposure in stops,
//! contrast about a pivot, lift/gamma/gain (Nuke Grade node convention with
//! black point 0 and white point 1: `out = ((gain-lift)*in + lift)^(1/gamma)`),
//! offset, and saturation with Rec.709 luma weights. Applied in that order.

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Primary {
    /// Stops: multiplies by `2^exposure`.
    pub exposure: [f64; 3],
    pub contrast: [f64; 3],
    /// Contrast pivot (linear value left unchanged by contrast).
    pub pivot: f64,
    pub lift: [f64; 3],
    pub gamma: [f64; 3],
    pub gain: [f64; 3],
    pub offset: [f64; 3],
    pub saturation: f64,
}

impl Default for Primary {
    fn default() -> Self {
        Primary {
            exposure: [0.0; 3],
            contrast: [1.0; 3],
            pivot: 0.18,
            lift: [0.0; 3],
            gamma: [1.0; 3],
            gain: [1.0; 3],
            offset: [0.0; 3],
            saturation: 1.0,
        }
    }
}

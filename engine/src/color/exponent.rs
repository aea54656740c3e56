//! Exponent (power) curves as CLF defines them: basic, mirrored, pass-through
//! and the monitor curve (moncurve) forms, forward and reverse.

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ExponentStyle {
    BasicFwd,
    BasicRev,
    BasicMirrorFwd,
    BasicMirrorRev,
    BasicPassThruFwd,
    BasicPassThruRev,
    MonCurveFwd,
    MonCurveRev,
    MonCurveMirrorFwd,
    MonCurveMirrorRev,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Exponent {
    pub style: ExponentStyle,
    /// Per channel R, G, B.
    pub exponent: [f64; 3],
    /// moncurve offset per channel; 0 for basic styles.
    pub offset: [f64; 3],
}

//! The SMPTE ST 2084 (PQ) curve as OpenColorIO 2.5's `FixedFunctionTransform`
//! `LIN_TO_PQ` does it: linear in units of 100 nits (1.0 = 100 nits) to PQ
//! code values, mirrored about 0 for negatives, and its inverse `PQ_TO_LIN`.
//! OpenColorIO's exact renderer (the one `OPTIMIZATION_NONE` runs: f32 with
//! the C library's `powf`), operation for operation.
//!
//! OpenColorIO 2.1 has no such style, so a processor from the linked 2.1
//! library never holds one; with a newer library (README: "A newer
//! OpenColorIO") it is translated onto this op.

mod prepared;
pub use prepared::*;

/// The styles, in record order, are in `ops/list.rs`.
pub use crate::ops::PqStyle;

/// ST 2084's constants, as OpenColorIO writes them (f64).
const M1: f64 = 0.25 * 2610. / 4096.;
const M2: f64 = 128. * 2523. / 4096.;
const C2: f64 = 32. * 2413. / 4096.;
const C3: f64 = 32. * 2392. / 4096.;
const C1: f64 = C3 - C2 + 1.;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Pq {
    pub style: PqStyle,
}

impl Pq {
    pub fn inverse(&self) -> Pq {
        Pq {
            style: match self.style {
                PqStyle::LinToPq => PqStyle::PqToLin,
                PqStyle::PqToLin => PqStyle::LinToPq,
            },
        }
    }

    /// The constants cast to f32 as OpenColorIO's `T(m1)` ... do.
    pub fn prepare(&self) -> PqPrepared {
        let (m1, m2) = (M1 as f32, M2 as f32);
        PqPrepared {
            style: self.style,
            m: [m1, m2, 1.0 / m2, 1.0 / m1],
            c: [C1 as f32, C2 as f32, C3 as f32],
        }
    }

    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.prepare().apply(rgb)
    }
}

impl crate::ops::OpData for Pq {
    type Prepared = PqPrepared;

    /// No parameters, nothing to check.
    fn validate(&self) -> Result<(), String> {
        Ok(())
    }

    fn is_identity(&self) -> bool {
        false
    }

    fn inverse_ops(&self) -> crate::Result<Vec<crate::ops::Op>> {
        Ok(vec![crate::ops::Op::Pq(self.inverse())])
    }

    fn prepare(&self) -> PqPrepared {
        Pq::prepare(self)
    }
}

/// Both directions, for `grade::samples::every_op`.
#[doc(hidden)]
pub fn samples() -> Vec<crate::ops::Op> {
    PqStyle::ALL
        .into_iter()
        .map(|style| crate::ops::Op::Pq(Pq { style }))
        .collect()
}

#[cfg(test)]
mod tests;

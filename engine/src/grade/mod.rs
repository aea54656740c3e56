//! Grades and programs.
//!
//! A [`Grade`] is what the user asked for, as ordered [`Step`]s (a CDL file, a
//! LUT, an exposure change...). [`Grade::compile`] resolves files and yields a
//! [`Program`]: a flat list of [`Op`]s, optimised by passes that never change
//! results beyond f32 rounding. [`packed`] turns a Program into the
//! `#[repr(C)]` records that the fast CPU executor and the GPU consume.

pub mod packed;

use crate::color::{Cdl, Exponent, Log, Lut1d, Lut3d, Matrix, Primary, Range};

/// One colour operation with its parameters.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub enum Op {
    Matrix(Matrix),
    Cdl(Cdl),
    Lut1d(Lut1d),
    Lut3d(Lut3d),
    Range(Range),
    Log(Log),
    Exponent(Exponent),
    Primary(Primary),
}

/// A compiled, ready-to-run list of ops.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Program {
    pub ops: Vec<Op>,
}

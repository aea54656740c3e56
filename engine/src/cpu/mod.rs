//! CPU executor: the scalar reference (the oracle for every other path) and a
//! fast path (row chunks on rayon, loops the compiler can vectorise) that
//! must agree with it to 1e-6.

pub mod fast;
pub mod reference;

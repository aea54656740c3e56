//! Frame I/O: DPX, OpenEXR and TIFF frames, frame sequences, and the limits
//! that keep untrusted headers from allocating without bound.

pub mod limits;

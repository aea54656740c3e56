//! Any bytes given to the TIFF decoder give a frame or an error, never a
//! panic or an unbounded allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = grade_engine::io::tiff::decode(std::path::Path::new("fuzz.tiff"), data);
});

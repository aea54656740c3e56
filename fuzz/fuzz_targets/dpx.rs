//! Any bytes given to the DPX decoder give a frame or an error, never a
//! panic or an unbounded allocation. Seed with `tests/data/dpx/`:
//! `cargo fuzz run dpx tests/data/dpx`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = grade_engine::io::dpx::read_bytes(data, std::path::Path::new("fuzz.dpx"));
});

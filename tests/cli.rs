//! Integration tests of the `grade` binary: each test runs the real binary in
//! a fresh temporary folder.

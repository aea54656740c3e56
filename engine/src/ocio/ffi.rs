//! Raw bindings to the C shim. Keep in sync with `shim.h`.

use std::os::raw::{c_char, c_double, c_float, c_int, c_long};

/// Opaque: an OCIO Processor and its CPU processor.
#[repr(C)]
pub struct RawProcessor {
    _private: [u8; 0],
}

pub const ERR_FILE: c_int = 1;

pub const OPT_NONE: c_int = 0;
pub const OPT_LOSSLESS: c_int = 1;
pub const OPT_DEFAULT: c_int = 2;

pub const INTERP_BEST: c_int = 0;
pub const INTERP_TETRAHEDRAL: c_int = 1;
pub const INTERP_TRILINEAR: c_int = 2;
pub const INTERP_LINEAR: c_int = 3;

extern "C" {
    pub fn grade_ocio_version() -> *const c_char;
    pub fn grade_ocio_free_string(s: *mut c_char);
    pub fn grade_ocio_free(p: *mut RawProcessor);

    pub fn grade_ocio_cdl(
        slope: *const c_double,
        offset: *const c_double,
        power: *const c_double,
        sat: c_double,
        style: c_int,
        inverse: c_int,
        optimization: c_int,
        err_kind: *mut c_int,
        err: *mut *mut c_char,
    ) -> *mut RawProcessor;

    pub fn grade_ocio_file(
        path: *const c_char,
        ccc_id: *const c_char,
        interp: c_int,
        inverse: c_int,
        optimization: c_int,
        err_kind: *mut c_int,
        err: *mut *mut c_char,
    ) -> *mut RawProcessor;

    pub fn grade_ocio_config_colorspaces(
        config: *const c_char,
        from: *const c_char,
        to: *const c_char,
        optimization: c_int,
        err_kind: *mut c_int,
        err: *mut *mut c_char,
    ) -> *mut RawProcessor;

    pub fn grade_ocio_config_display(
        config: *const c_char,
        from: *const c_char,
        display: *const c_char,
        view: *const c_char,
        inverse: c_int,
        optimization: c_int,
        err_kind: *mut c_int,
        err: *mut *mut c_char,
    ) -> *mut RawProcessor;

    pub fn grade_ocio_config_look(
        config: *const c_char,
        looks: *const c_char,
        from: *const c_char,
        to: *const c_char,
        inverse: c_int,
        optimization: c_int,
        err_kind: *mut c_int,
        err: *mut *mut c_char,
    ) -> *mut RawProcessor;

    pub fn grade_ocio_set_optimization(
        p: *mut RawProcessor,
        optimization: c_int,
        err: *mut *mut c_char,
    ) -> c_int;

    pub fn grade_ocio_apply_rgba(
        p: *const RawProcessor,
        rgba: *mut c_float,
        width: c_long,
        height: c_long,
        err: *mut *mut c_char,
    ) -> c_int;

    pub fn grade_ocio_config_names(
        config: *const c_char,
        err_kind: *mut c_int,
        err: *mut *mut c_char,
    ) -> *mut c_char;

    pub fn grade_ocio_describe(
        p: *const RawProcessor,
        optimization: c_int,
        err_kind: *mut c_int,
        err: *mut *mut c_char,
    ) -> *mut c_char;

    pub fn grade_ocio_span(
        p: *const RawProcessor,
        optimization: c_int,
        start: c_long,
        end: c_long,
        err_kind: *mut c_int,
        err: *mut *mut c_char,
    ) -> *mut RawProcessor;
}

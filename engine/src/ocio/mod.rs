//! OpenColorIO through a small C++ shim (feature `ocio`): a user feature and
//! the oracle the tests compare grade against.
//!
//! A [`Processor`] is OCIO's processor for one transform (an ASC CDL, a LUT
//! or CLF file, or a conversion within an OCIO config) together with its CPU
//! processor at an [`Optimization`] level, F32 RGBA in and out. The C++ side
//! is `shim.cpp`; no C++ exception crosses into Rust, each comes back as an
//! [`Error`]: [`Error::Invalid`] naming the file when OCIO cannot read a
//! LUT or config, [`Error::Unsupported`] otherwise.
//!
//! Worth knowing when comparing: OCIO 2.x reads `.cc`, `.ccc` and `.cdl`
//! files as `CDL_NO_CLAMP`, not the clamping ASC v1.2 style that is
//! [`CdlStyle`]'s default; a `CDLTransform` defaults to no-clamp too,
//! so [`Processor::cdl`] always sets the style explicitly.

pub mod config;
mod ffi;
pub mod translate;
mod version;

use std::ffi::{CStr, CString};
use std::os::raw::{c_char, c_int};
use std::path::Path;
use std::ptr::NonNull;

use crate::ops::{Cdl, CdlStyle, Direction};
use crate::{Error, Result};

/// How much OCIO may rewrite a processor's ops before running them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Optimization {
    /// `OPTIMIZATION_NONE`: every op as written, exact maths.
    None,
    /// `OPTIMIZATION_LOSSLESS`: only rewrites that do not change results.
    Lossless,
    /// `OPTIMIZATION_DEFAULT`: what OCIO applications use; includes fast
    /// approximations of pow/log/exp and LUT compositing.
    #[default]
    Default,
}

impl Optimization {
    fn raw(self) -> c_int {
        match self {
            Optimization::None => ffi::OPT_NONE,
            Optimization::Lossless => ffi::OPT_LOSSLESS,
            Optimization::Default => ffi::OPT_DEFAULT,
        }
    }
}

/// Interpolation asked of a LUT file (OCIO `FileTransform::setInterpolation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FileInterpolation {
    /// `INTERP_BEST`: linear for 1D LUTs, tetrahedral for 3D LUTs.
    #[default]
    Best,
    /// `INTERP_TETRAHEDRAL` (3D LUTs; 1D LUTs stay linear).
    Tetrahedral,
    /// `INTERP_LINEAR` on a 3D LUT: trilinear.
    Trilinear,
    /// `INTERP_LINEAR`.
    Linear,
}

impl FileInterpolation {
    fn raw(self) -> c_int {
        match self {
            FileInterpolation::Best => ffi::INTERP_BEST,
            FileInterpolation::Tetrahedral => ffi::INTERP_TETRAHEDRAL,
            FileInterpolation::Trilinear => ffi::INTERP_TRILINEAR,
            FileInterpolation::Linear => ffi::INTERP_LINEAR,
        }
    }
}

/// The version of the OpenColorIO library linked in, e.g. `"2.1.2"`.
pub fn version() -> String {
    // SAFETY: OCIO returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(ffi::grade_ocio_version()) }
        .to_string_lossy()
        .into_owned()
}

/// An OCIO processor and its CPU processor, ready to apply to RGBA f32.
#[derive(Debug)]
pub struct Processor {
    raw: NonNull<ffi::RawProcessor>,
    optimization: Optimization,
}

// SAFETY: the shim's processor owns OCIO's const Processor and CPUProcessor
// shared pointers and nothing else. OCIO processors are immutable once built
// and `CPUProcessor::apply` is documented as safe to call from several
// threads at once; the only mutation (`with_optimization`) takes `self` by
// value.
unsafe impl Send for Processor {}
unsafe impl Sync for Processor {}

impl Drop for Processor {
    fn drop(&mut self) {
        // SAFETY: `raw` came from the shim and is freed exactly once.
        unsafe { ffi::grade_ocio_free(self.raw.as_ptr()) }
    }
}

/// Takes ownership of a message the shim allocated.
fn take_message(err: *mut c_char) -> String {
    if err.is_null() {
        return "OpenColorIO failed without a message".into();
    }
    // SAFETY: the shim returns NUL-terminated strings from malloc, freed here once.
    let msg = unsafe { CStr::from_ptr(err) }
        .to_string_lossy()
        .into_owned();
    unsafe { ffi::grade_ocio_free_string(err) };
    msg
}

fn c_string(s: &str, what: &str) -> Result<CString> {
    CString::new(s).map_err(|_| Error::Usage(format!("{what} contains a NUL character: {s:?}")))
}

fn c_path(path: &Path) -> Result<CString> {
    let s = path.to_str().ok_or_else(|| Error::Unsupported {
        path: Some(path.to_path_buf()),
        what: "a path that is not UTF-8 cannot be passed to OpenColorIO".into(),
    })?;
    c_string(s, "path")
}

/// Fails with [`Error::Io`] when `path` cannot be read, before OCIO sees it.
fn check_readable(path: &Path) -> Result<()> {
    std::fs::File::open(path)
        .map(drop)
        .map_err(|e| Error::read(path, e))
}

/// As [`check_readable`] for a config, which must also not need a newer
/// OpenColorIO than the one linked in (`version.rs`).
fn check_config(config: &Path) -> Result<()> {
    let bytes = std::fs::read(config).map_err(|e| Error::read(config, e))?;
    version::check_profile_version(config, &String::from_utf8_lossy(&bytes), &version())
}

/// Calls a shim constructor and turns its error into ours: a file error
/// names `file`; anything else is [`Error::Unsupported`].
fn construct(
    file: Option<&Path>,
    optimization: Optimization,
    f: impl FnOnce(c_int, &mut c_int, &mut *mut c_char) -> *mut ffi::RawProcessor,
) -> Result<Processor> {
    let mut kind: c_int = 0;
    let mut err: *mut c_char = std::ptr::null_mut();
    let raw = f(optimization.raw(), &mut kind, &mut err);
    match NonNull::new(raw) {
        Some(raw) => Ok(Processor { raw, optimization }),
        None => Err(shim_error(file, kind, take_message(err))),
    }
}

fn shim_error(file: Option<&Path>, kind: c_int, msg: String) -> Error {
    match file {
        Some(path) if kind == ffi::ERR_FILE => {
            Error::invalid(path, format!("OpenColorIO cannot read it: {msg}"))
        }
        _ => Error::Unsupported {
            path: file.map(Path::to_path_buf),
            what: format!("OpenColorIO: {msg}"),
        },
    }
}

impl Processor {
    /// An ASC CDL as OCIO's `CDLTransform`: slope, offset, power, saturation,
    /// style (`CDL_ASC` or `CDL_NO_CLAMP`) and direction from `cdl`.
    pub fn cdl(cdl: &Cdl) -> Result<Processor> {
        let style = match cdl.style {
            CdlStyle::Asc => 0,
            CdlStyle::NoClamp => 1,
        };
        let inverse = c_int::from(cdl.direction == Direction::Inverse);
        construct(None, Optimization::Default, |opt, kind, err| {
            // SAFETY: the arrays hold 3 doubles each; the shim copies them.
            unsafe {
                ffi::grade_ocio_cdl(
                    cdl.slope.as_ptr(),
                    cdl.offset.as_ptr(),
                    cdl.power.as_ptr(),
                    cdl.saturation,
                    style,
                    inverse,
                    opt,
                    kind,
                    err,
                )
            }
        })
    }

    /// A LUT, CLF or CDL file as OCIO's `FileTransform`. `ccc_id` selects a
    /// ColorCorrection in a `.ccc`/`.cdl` (by id, or by index as OCIO allows).
    pub fn from_file(
        path: &Path,
        ccc_id: Option<&str>,
        interpolation: FileInterpolation,
        direction: Direction,
    ) -> Result<Processor> {
        check_readable(path)?;
        let c_path = c_path(path)?;
        let c_id = ccc_id
            .map(|id| c_string(id, "ColorCorrection id"))
            .transpose()?;
        let inverse = c_int::from(direction == Direction::Inverse);
        construct(Some(path), Optimization::Default, |opt, kind, err| {
            // SAFETY: the strings outlive the call; the shim copies them.
            unsafe {
                ffi::grade_ocio_file(
                    c_path.as_ptr(),
                    c_id.as_ref().map_or(std::ptr::null(), |s| s.as_ptr()),
                    interpolation.raw(),
                    inverse,
                    opt,
                    kind,
                    err,
                )
            }
        })
    }

    /// From colour space `from` to colour space `to` of the OCIO config file
    /// `config`.
    pub fn from_config_colorspaces(config: &Path, from: &str, to: &str) -> Result<Processor> {
        check_config(config)?;
        let (c_config, c_from, c_to) = (
            c_path(config)?,
            c_string(from, "colour space")?,
            c_string(to, "colour space")?,
        );
        construct(Some(config), Optimization::Default, |opt, kind, err| {
            // SAFETY: the strings outlive the call.
            unsafe {
                ffi::grade_ocio_config_colorspaces(
                    c_config.as_ptr(),
                    c_from.as_ptr(),
                    c_to.as_ptr(),
                    opt,
                    kind,
                    err,
                )
            }
        })
    }

    /// From colour space `from` to a display and view of `config` (or back,
    /// with [`Direction::Inverse`]).
    pub fn from_config_display(
        config: &Path,
        from: &str,
        display: &str,
        view: &str,
        direction: Direction,
    ) -> Result<Processor> {
        let inverse = c_int::from(direction == Direction::Inverse);
        check_config(config)?;
        let (c_config, c_from, c_display, c_view) = (
            c_path(config)?,
            c_string(from, "colour space")?,
            c_string(display, "display")?,
            c_string(view, "view")?,
        );
        construct(Some(config), Optimization::Default, |opt, kind, err| {
            // SAFETY: the strings outlive the call.
            unsafe {
                ffi::grade_ocio_config_display(
                    c_config.as_ptr(),
                    c_from.as_ptr(),
                    c_display.as_ptr(),
                    c_view.as_ptr(),
                    inverse,
                    opt,
                    kind,
                    err,
                )
            }
        })
    }

    /// Looks (OCIO syntax: `"look1, +look2, -look3"`) applied from colour
    /// space `from`, ending in colour space `to`, within `config` (or the
    /// way back, with [`Direction::Inverse`]).
    pub fn from_config_look(
        config: &Path,
        looks: &str,
        from: &str,
        to: &str,
        direction: Direction,
    ) -> Result<Processor> {
        let inverse = c_int::from(direction == Direction::Inverse);
        check_config(config)?;
        let (c_config, c_looks, c_from, c_to) = (
            c_path(config)?,
            c_string(looks, "looks")?,
            c_string(from, "colour space")?,
            c_string(to, "colour space")?,
        );
        construct(Some(config), Optimization::Default, |opt, kind, err| {
            // SAFETY: the strings outlive the call.
            unsafe {
                ffi::grade_ocio_config_look(
                    c_config.as_ptr(),
                    c_looks.as_ptr(),
                    c_from.as_ptr(),
                    c_to.as_ptr(),
                    inverse,
                    opt,
                    kind,
                    err,
                )
            }
        })
    }

    /// The processor's transforms, rebuilt at `optimization`, one line each
    /// in the grammar of `shim.h` (`grade_ocio_describe`); [`translate`]
    /// reads it.
    pub fn describe(&self, optimization: Optimization) -> Result<String> {
        let mut kind: c_int = 0;
        let mut err: *mut c_char = std::ptr::null_mut();
        // SAFETY: `raw` is live; the shim returns a malloc'd string or NULL.
        let text = unsafe {
            ffi::grade_ocio_describe(self.raw.as_ptr(), optimization.raw(), &mut kind, &mut err)
        };
        if text.is_null() {
            return Err(shim_error(None, kind, take_message(err)));
        }
        Ok(take_message(text))
    }

    /// A processor (CPU at `optimization`) for transforms `start..end` of
    /// [`Processor::describe`] at the same level.
    pub fn span(&self, optimization: Optimization, start: usize, end: usize) -> Result<Processor> {
        let too_many = |_| Error::Internal(format!("transform span {start}..{end} is too long"));
        let (s, e) = (
            std::os::raw::c_long::try_from(start).map_err(too_many)?,
            std::os::raw::c_long::try_from(end).map_err(too_many)?,
        );
        construct(None, optimization, |opt, kind, err| {
            // SAFETY: `raw` is live; the shim checks the span.
            unsafe { ffi::grade_ocio_span(self.raw.as_ptr(), opt, s, e, kind, err) }
        })
    }

    /// The same transform with its CPU processor rebuilt at `optimization`.
    /// Processors are built at [`Optimization::Default`].
    pub fn with_optimization(mut self, optimization: Optimization) -> Result<Processor> {
        if optimization == self.optimization {
            return Ok(self);
        }
        let mut err: *mut c_char = std::ptr::null_mut();
        // SAFETY: `raw` is live and owned by `self`, held by value here.
        let status = unsafe {
            ffi::grade_ocio_set_optimization(self.raw.as_ptr(), optimization.raw(), &mut err)
        };
        if status != 0 {
            return Err(shim_error(None, status, take_message(err)));
        }
        self.optimization = optimization;
        Ok(self)
    }

    pub fn optimization(&self) -> Optimization {
        self.optimization
    }

    /// Applies the processor in place to packed RGBA f32 pixels (alpha is
    /// passed through by every transform grade uses).
    pub fn apply_rgba(&self, rgba: &mut [f32]) -> Result<()> {
        if rgba.len() % 4 != 0 {
            return Err(Error::Internal(format!(
                "RGBA buffer of {} floats is not a whole number of pixels",
                rgba.len()
            )));
        }
        let pixels = rgba.len() / 4;
        if pixels == 0 {
            return Ok(());
        }
        let width = std::os::raw::c_long::try_from(pixels).map_err(|_| {
            Error::Internal(format!("{pixels} pixels are too many for OpenColorIO"))
        })?;
        let mut err: *mut c_char = std::ptr::null_mut();
        // SAFETY: `rgba` holds `width` packed RGBA f32 pixels and is
        // borrowed mutably for the call; `raw` is live.
        let status = unsafe {
            ffi::grade_ocio_apply_rgba(self.raw.as_ptr(), rgba.as_mut_ptr(), width, 1, &mut err)
        };
        if status != 0 {
            return Err(shim_error(None, status, take_message(err)));
        }
        Ok(())
    }
}

/// A display of an OCIO config and its views.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Display {
    pub name: String,
    pub views: Vec<String>,
}

/// How a colour space's values are spread for baking (OCIO `allocation`).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Allocation {
    /// Values in `[min, max]` (OCIO default `[0, 1]`).
    #[default]
    Uniform,
    /// `log2(x + offset)` spread over `[min, max]` stops (OCIO default
    /// `[-10, 0]`, offset 0).
    Lg2,
}

/// A colour space of a config, as `grade ocio list` shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ColorSpaceInfo {
    pub name: String,
    pub family: String,
    pub encoding: String,
    pub allocation: Allocation,
    /// The config's allocation vars (empty when it gives none).
    pub allocation_vars: Vec<f64>,
    pub description: String,
}

/// A look of a config.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LookInfo {
    pub name: String,
    pub process_space: String,
    pub description: String,
}

/// The names a user can pick from in an OCIO config.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConfigNames {
    pub colorspaces: Vec<ColorSpaceInfo>,
    /// (alias, colour space).
    pub aliases: Vec<(String, String)>,
    /// (role, colour space).
    pub roles: Vec<(String, String)>,
    pub looks: Vec<LookInfo>,
    pub displays: Vec<Display>,
}

impl ConfigNames {
    /// The colour space a name, role or alias stands for.
    pub fn colorspace(&self, name: &str) -> Option<&ColorSpaceInfo> {
        let target = self
            .roles
            .iter()
            .chain(&self.aliases)
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map_or(name, |(_, cs)| cs.as_str());
        self.colorspaces
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(target))
    }
}

/// Lists the colour spaces, roles, looks, displays and views of `config`.
pub fn config_names(config: &Path) -> Result<ConfigNames> {
    check_config(config)?;
    let c_config = c_path(config)?;
    let mut kind: c_int = 0;
    let mut err: *mut c_char = std::ptr::null_mut();
    // SAFETY: the string outlives the call.
    let text = unsafe { ffi::grade_ocio_config_names(c_config.as_ptr(), &mut kind, &mut err) };
    if text.is_null() {
        return Err(shim_error(Some(config), kind, take_message(err)));
    }
    let text = take_message(text);
    let mut names = ConfigNames::default();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let get = |i: usize| f.get(i).copied().unwrap_or("").to_string();
        match f.first().copied() {
            Some("c") => names.colorspaces.push(ColorSpaceInfo {
                name: get(1),
                family: get(2),
                encoding: get(3),
                allocation: if get(4) == "lg2" {
                    Allocation::Lg2
                } else {
                    Allocation::Uniform
                },
                allocation_vars: get(5).split(',').filter_map(|v| v.parse().ok()).collect(),
                description: get(6).trim().to_string(),
            }),
            Some("a") => names.aliases.push((get(1), get(2))),
            Some("r") => names.roles.push((get(1), get(2))),
            Some("l") => names.looks.push(LookInfo {
                name: get(1),
                process_space: get(2),
                description: get(3).trim().to_string(),
            }),
            Some("d") => names.displays.push(Display {
                name: get(1),
                views: Vec::new(),
            }),
            Some("v") => {
                let (display, view) = (get(1), get(2));
                if let Some(d) = names.displays.iter_mut().find(|d| d.name == display) {
                    d.views.push(view);
                }
            }
            _ => {}
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    //! Expected values here come from the ASC CDL v1.2 formula and the
    //! formulas written in the test configs, evaluated in f64; OCIO is what is
    //! being checked.

    use super::*;
    use crate::testutil::fixture;

    const LUMA: [f64; 3] = [0.2126, 0.7152, 0.0722];

    /// ASC CDL v1.2 forward, or OCIO's CDL_NO_CLAMP, in f64.
    fn cdl_formula(cdl: &Cdl, rgb: [f64; 3]) -> [f64; 3] {
        let clamp = cdl.style == CdlStyle::Asc;
        let mut v = [0.0; 3];
        for c in 0..3 {
            let mut x = rgb[c] * cdl.slope[c] + cdl.offset[c];
            if clamp {
                x = x.clamp(0.0, 1.0);
            }
            v[c] = if x > 0.0 { x.powf(cdl.power[c]) } else { x };
        }
        let luma: f64 = (0..3).map(|c| LUMA[c] * v[c]).sum();
        v.map(|x| {
            let y = luma + cdl.saturation * (x - luma);
            if clamp {
                y.clamp(0.0, 1.0)
            } else {
                y
            }
        })
    }

    /// The parity tests' dense input ([`crate::grade::dense`]), alpha 0.5
    /// so that alpha is seen to pass through.
    fn dense() -> Vec<f32> {
        let mut out = crate::grade::dense::dense_rgba();
        for px in out.chunks_exact_mut(4) {
            px[3] = 0.5;
        }
        out
    }

    fn sample_cdl(style: CdlStyle) -> Cdl {
        Cdl {
            slope: [1.2, 0.9, 1.05],
            offset: [0.02, -0.01, 0.03],
            power: [1.1, 0.95, 1.3],
            saturation: 0.85,
            style,
            ..Cdl::default()
        }
    }

    /// Largest difference between OCIO's output and `expected`, absolute up
    /// to 1 and relative above.
    fn worst(input: &[f32], output: &[f32], expected: impl Fn([f64; 3]) -> [f64; 3]) -> f64 {
        let mut worst = 0.0f64;
        for (i, o) in input.chunks_exact(4).zip(output.chunks_exact(4)) {
            let e = expected([i[0] as f64, i[1] as f64, i[2] as f64]);
            for c in 0..3 {
                worst = worst.max((o[c] as f64 - e[c]).abs() / e[c].abs().max(1.0));
            }
            assert_eq!(o[3], i[3], "alpha must pass through");
        }
        worst
    }

    #[test]
    fn version_is_2_1_or_newer() {
        let v = version();
        let mut parts = v.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
        let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        assert!((major, minor) >= (2, 1), "OpenColorIO {v}");
    }

    #[test]
    fn cdl_matches_asc_formula_in_both_styles() {
        for style in [CdlStyle::Asc, CdlStyle::NoClamp] {
            let cdl = sample_cdl(style);
            for opt in [Optimization::None, Optimization::Default] {
                let p = Processor::cdl(&cdl)
                    .unwrap()
                    .with_optimization(opt)
                    .unwrap();
                assert_eq!(p.optimization(), opt);
                let input = dense();
                let mut out = input.clone();
                p.apply_rgba(&mut out).unwrap();
                let err = worst(&input, &out, |rgb| cdl_formula(&cdl, rgb));
                // f32 evaluation plus OCIO's SSE pow approximation (relative
                // error about 1e-6 on values up to ~1.5).
                assert!(err < 2e-5, "{style:?} {opt:?}: worst error {err:e}");
            }
        }
    }

    #[test]
    fn inverse_cdl_undoes_forward() {
        let fwd = sample_cdl(CdlStyle::NoClamp);
        let inv = Cdl {
            direction: Direction::Inverse,
            ..fwd.clone()
        };
        let (f, i) = (Processor::cdl(&fwd).unwrap(), Processor::cdl(&inv).unwrap());
        let input = dense();
        let mut out = input.clone();
        f.apply_rgba(&mut out).unwrap();
        i.apply_rgba(&mut out).unwrap();
        let err = worst(&input, &out, |rgb| rgb);
        // Two f32 passes through pow and the saturation matrix.
        assert!(err < 1e-4, "round trip error {err:e}");
    }

    #[test]
    fn cc_file_matches_its_values() {
        // cdl_test1.cc: slope 1.1 1.2 1.3, offset 2.1 2.2 2.3, power 3.1 3.2
        // 3.3, saturation 0.7 (values read from the file's text). OCIO 2.x
        // reads a .cc file as CDL_NO_CLAMP, not the clamping ASC style.
        let path = fixture("public/ocio/tests/data/files/cdl_test1.cc");
        let cdl = Cdl {
            slope: [1.1, 1.2, 1.3],
            offset: [2.1, 2.2, 2.3],
            power: [3.1, 3.2, 3.3],
            saturation: 0.7,
            style: CdlStyle::NoClamp,
            ..Cdl::default()
        };
        let p =
            Processor::from_file(&path, None, FileInterpolation::Best, Direction::Forward).unwrap();
        let input = dense();
        let mut out = input.clone();
        p.apply_rgba(&mut out).unwrap();
        let err = worst(&input, &out, |rgb| cdl_formula(&cdl, rgb));
        assert!(err < 2e-5, "worst error {err:e}");
    }

    #[test]
    fn cube_file_loads_and_interpolates() {
        // A 2^3 .cube written here: identity lattice scaled by 0.5 per
        // channel, so any interpolation gives in*0.5 inside [0,1] and the
        // clamped value outside.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("half.cube");
        let mut text = String::from("LUT_3D_SIZE 2\n");
        for b in 0..2 {
            for g in 0..2 {
                for r in 0..2 {
                    text += &format!("{} {} {}\n", r as f32 * 0.5, g as f32 * 0.5, b as f32 * 0.5);
                }
            }
        }
        std::fs::write(&path, text).unwrap();
        for interp in [FileInterpolation::Tetrahedral, FileInterpolation::Trilinear] {
            let p = Processor::from_file(&path, None, interp, Direction::Forward).unwrap();
            let input = dense();
            let mut out = input.clone();
            p.apply_rgba(&mut out).unwrap();
            let err = worst(&input, &out, |rgb| rgb.map(|x| x.clamp(0.0, 1.0) * 0.5));
            assert!(err < 1e-6, "{interp:?}: worst error {err:e}");
        }
    }

    #[test]
    fn bad_file_is_invalid_and_names_it() {
        let path = fixture("public/ocio/tests/data/files/clf/illegal/cdl_bad_style.clf");
        let err = Processor::from_file(&path, None, FileInterpolation::Best, Direction::Forward)
            .unwrap_err();
        assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
        assert!(err.to_string().contains("cdl_bad_style.clf"), "{err}");

        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("junk.cube");
        std::fs::write(&junk, "LUT_3D_SIZE 2\n0 0 0\nnot numbers\n").unwrap();
        let err = Processor::from_file(&junk, None, FileInterpolation::Best, Direction::Forward)
            .unwrap_err();
        assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
        assert!(err.to_string().contains("junk.cube"), "{err}");
    }

    #[test]
    fn missing_file_is_an_input_io_error() {
        let err = Processor::from_file(
            Path::new("/nonexistent/look.cube"),
            None,
            FileInterpolation::Best,
            Direction::Forward,
        )
        .unwrap_err();
        assert!(matches!(err, Error::Io { input: true, .. }), "{err:?}");
    }

    #[test]
    fn rejects_partial_pixels() {
        let p = Processor::cdl(&Cdl::default()).unwrap();
        assert!(p.apply_rgba(&mut [0.0; 6]).is_err());
        p.apply_rgba(&mut []).unwrap();
    }

    #[test]
    fn processor_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Processor>();
        let p = Processor::cdl(&sample_cdl(CdlStyle::Asc)).unwrap();
        let input = dense();
        let mut whole = input.clone();
        p.apply_rgba(&mut whole).unwrap();
        let mut split = input.clone();
        std::thread::scope(|s| {
            for chunk in split.chunks_mut(4 * 100) {
                let p = &p;
                s.spawn(move || p.apply_rgba(chunk).unwrap());
            }
        });
        assert_eq!(whole, split);
    }

    const CONFIG: &str = r#"ocio_profile_version: 2

roles:
  default: linear
  scene_linear: linear

file_rules:
  - !<Rule> {name: Default, colorspace: default}

displays:
  monitor:
    - !<View> {name: gamma22, colorspace: gamma22}
    - !<View> {name: raw, colorspace: linear}

looks:
  - !<Look>
    name: warm
    process_space: linear
    transform: !<CDLTransform> {slope: [1.1, 1, 0.9]}

colorspaces:
  - !<ColorSpace>
    name: linear

  - !<ColorSpace>
    name: doubled
    from_scene_reference: !<MatrixTransform> {matrix: [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1]}

  - !<ColorSpace>
    name: gamma22
    from_scene_reference: !<ExponentTransform> {value: [2.2, 2.2, 2.2, 1], direction: inverse}
"#;

    fn write_config(dir: &Path) -> std::path::PathBuf {
        let path = dir.join("config.ocio");
        std::fs::write(&path, CONFIG).unwrap();
        path
    }

    fn unit_grid() -> Vec<f32> {
        dense()
            .chunks_exact(4)
            .filter(|p| p[..3].iter().all(|v| (0.0..=1.0).contains(v)))
            .flatten()
            .copied()
            .collect()
    }

    #[test]
    fn config_names_lists_everything() {
        let dir = tempfile::tempdir().unwrap();
        let names = config_names(&write_config(dir.path())).unwrap();
        let spaces: Vec<&str> = names.colorspaces.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(spaces, ["linear", "doubled", "gamma22"]);
        assert_eq!(names.looks[0].name, "warm");
        assert_eq!(names.looks[0].process_space, "linear");
        assert_eq!(names.colorspace("scene_linear").unwrap().name, "linear");
        assert_eq!(
            names.displays,
            [Display {
                name: "monitor".into(),
                views: vec!["gamma22".into(), "raw".into()],
            }]
        );
    }

    #[test]
    fn config_colorspaces_display_and_look() {
        let dir = tempfile::tempdir().unwrap();
        let config = write_config(dir.path());
        let input = unit_grid();
        // Tolerance: f32 maths, and OCIO's fast pow under the default
        // optimisation for the display's 1/2.2 exponent.
        type Expected = Box<dyn Fn([f64; 3]) -> [f64; 3]>;
        let cases: Vec<(Processor, Expected)> = vec![
            (
                Processor::from_config_colorspaces(&config, "linear", "doubled").unwrap(),
                Box::new(|rgb: [f64; 3]| rgb.map(|x| 2.0 * x)),
            ),
            (
                Processor::from_config_display(
                    &config,
                    "linear",
                    "monitor",
                    "gamma22",
                    Direction::Forward,
                )
                .unwrap(),
                Box::new(|rgb: [f64; 3]| rgb.map(|x| x.powf(1.0 / 2.2))),
            ),
            (
                Processor::from_config_look(
                    &config,
                    "warm",
                    "linear",
                    "doubled",
                    Direction::Forward,
                )
                .unwrap(),
                Box::new(|rgb: [f64; 3]| [2.2 * rgb[0], 2.0 * rgb[1], 1.8 * rgb[2]]),
            ),
        ];
        for (i, (p, expected)) in cases.iter().enumerate() {
            let mut out = input.clone();
            p.apply_rgba(&mut out).unwrap();
            let err = worst(&input, &out, expected);
            assert!(err < 1e-4, "case {i}: worst error {err:e}");
        }
    }

    #[test]
    fn config_errors() {
        let dir = tempfile::tempdir().unwrap();
        let config = write_config(dir.path());
        let err = Processor::from_config_colorspaces(&config, "linear", "nowhere").unwrap_err();
        assert!(matches!(err, Error::Unsupported { .. }), "{err:?}");
        assert!(err.to_string().contains("nowhere"), "{err}");

        let bad = dir.path().join("bad.ocio");
        std::fs::write(&bad, "ocio_profile_version: 2\ncolorspaces: [").unwrap();
        let err = config_names(&bad).unwrap_err();
        assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
        assert!(err.to_string().contains("bad.ocio"), "{err}");
    }
}

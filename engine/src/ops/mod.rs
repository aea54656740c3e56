//! Colour operations: the data of each op and its scalar maths.
//!
//! Each op lives in its own folder (`ops/<op>/`): its parameters,
//! validation, identity test, inverse where one exists ([`OpData`], in
//! `mod.rs`), its prepared constants with the per-pixel maths both CPU
//! executors run and its packed record ([`Prepared`], in `prepared.rs`),
//! and the same maths in WGSL (`<op>.wgsl`). `list.rs` is the one list of
//! ops: [`Op`], [`PreparedOp`], [`OpKind`], the style enums and every match
//! over ops are generated from it, as is the GPU kernel's dispatch
//! (`gpu/compose.rs`). Every op acts on RGB and leaves alpha untouched.
//!
//! Each op prepares its per-pixel constants once, in f64 where OpenColorIO
//! does its parameter set-up, then stored as f32 (the `*Prepared` structs).
//! The per-pixel maths runs in f32 exactly as OpenColorIO 2.1's CPU
//! renderers do (same operation order), so results agree with OpenColorIO
//! to about 1e-5. Powers, logs and exponentials are [`mathf`]'s `powf`,
//! `log2f` and `exp2f` (glibc's algorithms, computed so that the GPU can
//! repeat them to the bit). The reference executor and the fast executor
//! share these functions.
//!
//! # NaN and infinity
//!
//! We follow what OpenColorIO does where it defines it:
//! - every clamp sends NaN to its lower bound: ASC CDL clamps give 0,
//!   Range gives its low bound (or its high bound when it only clamps high);
//! - CDL no-clamp power: NaN becomes 0 (as OpenColorIO's SSE and scalar paths);
//! - LUT indices: NaN indexes entry 0 (1D, 3D); a half-domain 1D LUT looks NaN
//!   up by its bit pattern with fraction 0; +-Inf clamps to the domain ends
//!   (and to +-65504 for half-domain LUTs);
//! - basic exponent clamps NaN to 0 before the power; mirror, pass-through,
//!   moncurve, matrix, log and primary propagate NaN;
//! - log styles clamp their argument to the smallest normal f32 first, so 0,
//!   negatives and NaN give a large negative finite value;
//! - the ACES fixed functions and RGB curves do what OpenColorIO's C++ does
//!   with NaN: `max`/`min` are `std::max`/`std::min` (`a < b ? b : a`), a
//!   NaN hue is outside the red modifier's window, comparisons with NaN
//!   take the else branch.

/// `inverse`, `is_lin` and `is_forward` for the style enum of an op with
/// OpenColorIO's grading styles (log, lin and video, each forward and
/// reverse): GradingPrimary, GradingTone, GradingHueCurve.
macro_rules! grading_style_methods {
    ($style:ident) => {
        impl $style {
            /// The same style the other way.
            pub fn inverse(self) -> $style {
                use $style::*;
                match self {
                    LogFwd => LogRev,
                    LogRev => LogFwd,
                    LinFwd => LinRev,
                    LinRev => LinFwd,
                    VideoFwd => VideoRev,
                    VideoRev => VideoFwd,
                }
            }

            pub fn is_lin(self) -> bool {
                matches!(self, $style::LinFwd | $style::LinRev)
            }

            pub fn is_forward(self) -> bool {
                use $style::*;
                matches!(self, LogFwd | LinFwd | VideoFwd)
            }
        }
    };
}

pub(crate) mod fastmath;
pub mod mathf;
pub(crate) mod mathf_lanes;

pub use cdl::CdlStyle;
pub use log::LogParams;
pub use lut3d::{Interpolation, MAX_LUT3D_SIZE};
pub use primary::PrimaryInverse;

use crate::grade::packed::OpRecord;

/// Forward or inverse application of an op.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Direction {
    #[default]
    Forward,
    Inverse,
}

impl Direction {
    pub fn flip(self) -> Self {
        match self {
            Direction::Forward => Direction::Inverse,
            Direction::Inverse => Direction::Forward,
        }
    }
}

/// Rec.709 luma weights used by ASC CDL saturation (ASC CDL v1.2).
pub const REC709_LUMA: [f32; 3] = [0.2126, 0.7152, 0.0722];

/// Clamp with OpenColorIO's NaN rule: NaN becomes `lo`.
#[inline(always)]
pub(crate) fn clamp_nan_lo(x: f32, lo: f32, hi: f32) -> f32 {
    x.max(lo).min(hi)
}

/// ASC CDL saturation with Rec.709 weights, in OpenColorIO's operation order.
#[inline(always)]
pub(crate) fn saturate(v: [f32; 3], sat: f32) -> [f32; 3] {
    let luma = v[0] * REC709_LUMA[0] + v[1] * REC709_LUMA[1] + v[2] * REC709_LUMA[2];
    [
        luma + sat * (v[0] - luma),
        luma + sat * (v[1] - luma),
        luma + sat * (v[2] - luma),
    ]
}

/// Validation message for a parameter that must be finite.
pub(crate) fn check_finite(what: &str, values: &[f64]) -> Result<(), String> {
    if values.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        Err(format!("{what} must be finite numbers, got {values:?}"))
    }
}

// The op list and the code generated from it.
include!("list.rs");

/// What every op's data provides (its folder's `mod.rs`).
pub trait OpData {
    /// The per-pixel constants ([`Prepared`]) this op prepares.
    type Prepared: Prepared;
    /// Checks the parameters; the message names what is wrong (the caller
    /// adds the file or option it came from).
    fn validate(&self) -> std::result::Result<(), String>;
    /// True when the op leaves every input unchanged (clamping ops never are).
    fn is_identity(&self) -> bool;
    /// The ops that undo this one, in the order they apply.
    fn inverse_ops(&self) -> crate::Result<Vec<Op>>;
    /// The per-pixel constants, prepared once (in f64 where OpenColorIO
    /// does so, stored as f32).
    fn prepare(&self) -> Self::Prepared;
}

/// What every op's prepared constants provide (its folder's `prepared.rs`):
/// the per-pixel maths of both CPU executors and the packed record the GPU
/// kernel reads.
pub trait Prepared: Sized {
    /// One pixel, as the reference executor runs it.
    fn apply(&self, rgb: [f32; 3]) -> [f32; 3];
    /// A block of pixels as separate R, G and B arrays of one length, as the
    /// fast executor runs it: the same results as [`Prepared::apply`] (to
    /// 1e-6 where it uses a faster power), in loops that vectorise.
    fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]);
    /// Fills `record`'s flags, `n`, `data` and `p` (the kind is set by the
    /// caller); tables are appended to `data`.
    fn pack(&self, record: &mut OpRecord, data: &mut Vec<f32>);
    /// Reads a record back, checking everything the kernel relies on (styles,
    /// sizes, table bounds): a damaged record is an error, never a panic.
    fn unpack(record: &OpRecord, data: &[f32]) -> std::result::Result<Self, String>;
}

macro_rules! define_ops {
    ($($Type:ident $module:ident [$($Style:ident: $($style:ident)*)?]),* $(,)?) => {
        $(pub mod $module;)*
        $(pub use $module::$Type;)*

        /// One colour operation with its parameters.
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        pub enum Op {
            $($Type($Type),)*
        }

        /// An op with its per-pixel constants prepared (f32, as the packed
        /// record holds them). Both CPU executors run these.
        #[derive(Debug, Clone, PartialEq)]
        pub enum PreparedOp {
            $($Type(<$Type as OpData>::Prepared),)*
        }

        /// The kind of an op, as its packed record's `kind` (the order of
        /// `ops/list.rs`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u32)]
        pub enum OpKind {
            $($Type,)*
        }

        impl OpKind {
            /// Every kind, in record order.
            pub const ALL: &'static [OpKind] = &[$(OpKind::$Type,)*];

            /// The record kind of `kind`, if it is one.
            pub fn from_u32(kind: u32) -> Option<OpKind> {
                Self::ALL.get(kind as usize).copied()
            }

            /// Short name for messages: the op's folder.
            pub fn name(self) -> &'static str {
                match self {
                    $(OpKind::$Type => stringify!($module),)*
                }
            }

            /// How many styles the op has (packed in flags bits 8..15); 0
            /// for an op without a style enum.
            pub fn style_count(self) -> u32 {
                match self {
                    $(OpKind::$Type => 0 $(+ $Style::ALL.len() as u32)?,)*
                }
            }
        }

        $($(
            #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
            pub enum $Style {
                $($style,)*
            }

            impl $Style {
                /// Declaration order, as packed in `OpRecord` flags.
                pub const ALL: [$Style; [$(stringify!($style),)*].len()] = [$($Style::$style,)*];

                pub fn index(self) -> u32 {
                    self as u32
                }

                pub fn from_index(i: u32) -> Option<$Style> {
                    Self::ALL.get(i as usize).copied()
                }
            }
        )?)*

        impl Op {
            pub fn kind(&self) -> OpKind {
                match self {
                    $(Op::$Type(_) => OpKind::$Type,)*
                }
            }

            /// Short name for messages: `matrix`, `cdl`, `lut1d`, ...
            pub fn name(&self) -> &'static str {
                self.kind().name()
            }

            /// Checks the parameters ([`OpData::validate`]).
            pub fn validate(&self) -> std::result::Result<(), String> {
                match self {
                    $(Op::$Type(o) => OpData::validate(o),)*
                }
            }

            /// True when the op leaves every input unchanged.
            pub fn is_identity(&self) -> bool {
                match self {
                    $(Op::$Type(o) => OpData::is_identity(o),)*
                }
            }

            /// The ops that undo this one, in the order they apply (one op,
            /// except a primary: a matrix, a gamma and a scale). 3D LUTs and
            /// half-domain 1D LUTs have no inverse
            /// ([`Error::Unsupported`](crate::Error::Unsupported)); a
            /// singular matrix or a primary that cannot be undone is
            /// [`Error::Usage`](crate::Error::Usage).
            pub fn inverse(&self) -> crate::Result<Vec<Op>> {
                match self {
                    $(Op::$Type(o) => o.inverse_ops(),)*
                }
            }

            /// The op's per-pixel constants, prepared once. An op that fails
            /// [`Op::validate`] (which `Grade::compile` reports as an error)
            /// prepares as a pass-through rather than panicking on a
            /// malformed table.
            pub fn prepare(&self) -> PreparedOp {
                if self.validate().is_err() {
                    return PreparedOp::Matrix(OpData::prepare(&Matrix::IDENTITY));
                }
                match self {
                    $(Op::$Type(o) => PreparedOp::$Type(OpData::prepare(o)),)*
                }
            }

            /// Applies the op to one pixel. Prepares the constants on every
            /// call: for many pixels use [`Op::prepare`] once, or the
            /// executors in [`crate::cpu`].
            pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
                self.prepare().apply(rgb)
            }
        }

        impl PreparedOp {
            pub fn kind(&self) -> OpKind {
                match self {
                    $(PreparedOp::$Type(_) => OpKind::$Type,)*
                }
            }

            #[inline]
            pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
                match self {
                    $(PreparedOp::$Type(p) => Prepared::apply(p, rgb),)*
                }
            }

            /// Runs the op over a block of pixels ([`Prepared::apply_block`]).
            #[inline(always)]
            pub fn apply_block(&self, r: &mut [f32], g: &mut [f32], b: &mut [f32]) {
                let n = r.len().min(g.len()).min(b.len());
                let (r, g, b) = (&mut r[..n], &mut g[..n], &mut b[..n]);
                match self {
                    $(PreparedOp::$Type(p) => p.apply_block(r, g, b),)*
                }
            }

            /// This op's record; LUT tables are appended to `data`.
            pub fn to_record(&self, data: &mut Vec<f32>) -> OpRecord {
                let mut record = <OpRecord as bytemuck::Zeroable>::zeroed();
                record.kind = self.kind() as u32;
                match self {
                    $(PreparedOp::$Type(p) => p.pack(&mut record, data),)*
                }
                record
            }

            /// Reads a record back: the one validator of packed records
            /// (the fast CPU executor and the GPU both accept a program only
            /// through it). Checks kinds, styles and table bounds.
            pub fn from_record(record: &OpRecord, data: &[f32]) -> std::result::Result<PreparedOp, String> {
                let Some(kind) = OpKind::from_u32(record.kind) else {
                    return Err(format!("unknown op kind {}", record.kind));
                };
                let wrap = |e: String| format!("{}: {e}", kind.name());
                Ok(match kind {
                    $(OpKind::$Type => PreparedOp::$Type(
                        <<$Type as OpData>::Prepared as Prepared>::unpack(record, data).map_err(wrap)?,
                    ),)*
                })
            }
        }
    };
}

with_every_op!(define_ops);

/// Runs `f` on every pixel of a block.
#[inline(always)]
pub(crate) fn per_pixel(
    r: &mut [f32],
    g: &mut [f32],
    b: &mut [f32],
    f: impl Fn([f32; 3]) -> [f32; 3],
) {
    for i in 0..r.len().min(g.len()).min(b.len()) {
        let [x, y, z] = f([r[i], g[i], b[i]]);
        r[i] = x;
        g[i] = y;
        b[i] = z;
    }
}

/// For each value `x` of `ch`: `x = post(x, t)` where `t` is `pre(x)` after
/// `f` ran over a whole chunk of them: `f` is one of
/// [`mathf_lanes`](crate::ops::mathf_lanes)'s slice functions, so the
/// power, log or exponential runs several values at a time while `pre`
/// and `post` keep the op's per-value maths (and its bits).
#[inline(always)]
pub(crate) fn through(
    ch: &mut [f32],
    pre: impl Fn(f32) -> f32,
    f: impl Fn(&mut [f32]),
    post: impl Fn(f32, f32) -> f32,
) {
    let mut tmp = [0.0f32; 256];
    for chunk in ch.chunks_mut(256) {
        let t = &mut tmp[..chunk.len()];
        for (t, x) in t.iter_mut().zip(chunk.iter()) {
            *t = pre(*x);
        }
        f(t);
        for (x, t) in chunk.iter_mut().zip(t.iter()) {
            *x = post(*x, *t);
        }
    }
}

/// Runs `f(channel, value)` on every value of a block, channel by channel.
#[inline(always)]
pub(crate) fn per_channel(
    r: &mut [f32],
    g: &mut [f32],
    b: &mut [f32],
    f: impl Fn(usize, f32) -> f32,
) {
    for (c, ch) in [r, g, b].into_iter().enumerate() {
        for v in ch.iter_mut() {
            *v = f(c, *v);
        }
    }
}

/// `v` as a vec4 with w = 0, for a record's `p` rows.
pub(crate) fn rgb0(v: [f32; 3]) -> [f32; 4] {
    [v[0], v[1], v[2], 0.0]
}

/// The first three lanes of a record's `p` row.
pub(crate) fn xyz(v: [f32; 4]) -> [f32; 3] {
    [v[0], v[1], v[2]]
}

/// `count` RGB entries of a record's table in `data`, checked to lie inside it.
pub(crate) fn record_table(
    record: &OpRecord,
    data: &[f32],
    count: usize,
) -> std::result::Result<Vec<[f32; 3]>, String> {
    let start = record.data as usize;
    let len = count.checked_mul(3).ok_or("table too large")?;
    let slice = start
        .checked_add(len)
        .and_then(|end| data.get(start..end))
        .ok_or("table outside the data array")?;
    Ok(slice.chunks_exact(3).map(|c| [c[0], c[1], c[2]]).collect())
}

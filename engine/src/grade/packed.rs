//! The packed form of a [`Program`](super::Program): one fixed-size
//! `#[repr(C)]` [`OpRecord`] per op plus one shared `f32` data array for LUT
//! tables. The fast CPU executor and the GPU kernel both read exactly this,
//! so parameters are prepared once.
//!
//! Keep in sync with `shaders/program.wgsl` (`struct OpRecord`); a test checks
//! the sizes agree.
//!
//! Layout of `p` per kind (`pN` is `p[N]`, a vec4; unused lanes are 0).
//! Every value is the prepared per-pixel constant, computed once on the CPU
//! (in f64 where OpenColorIO does so) and stored as f32; the kernel only
//! evaluates. The per-pixel maths is in `color/*.rs` (`*Render::apply`).
//!
//! | kind | flags | n, data | p |
//! |---|---|---|---|
//! | `KIND_MATRIX` | 0 | - | p0..p2 = rows `(m_i0, m_i1, m_i2, offset_i)`; `out_i = m_i0*r + m_i1*g + m_i2*b + offset_i` summed left to right |
//! | `KIND_CDL` | bit0 `CDL_CLAMP` (ASC style), bit1 `INVERSE` | - | p0 = slope.rgb + sat in w, p1 = offset.rgb, p2 = power.rgb. With `INVERSE` these are already the reverse values: `1/max(slope,0.01)`, `-offset`, `1/max(power,0.01)`, `1/max(sat,0.01)`; the kernel runs OpenColorIO's reverse order: clamp (if `CDL_CLAMP`), saturation, power, `+offset`, `*slope`, clamp |
//! | `KIND_LUT1D` | bit1 `INVERSE`, bit2 `LUT1D_HALF_DOMAIN` | n entries, table at `data` as n*3 floats (rgb interleaved) | p0 = domain_min.rgb, p1 = domain_max.rgb, p2 = scale.rgb. Forward: `idx = clamp((in - p0) * p2, 0, n-1)` (NaN -> 0), lerp between `floor` and `ceil`. Half domain (n = 65536): index by the half-float bits of the input, lerp between the two half codes around it. `INVERSE`: the table is the prepared one (each channel negated if decreasing, then made non-decreasing); p3 = first effective index.rgb, p4 = last effective index.rgb (as floats), p5 = sign.rgb (1 or -1); the kernel does an exact search as OpenColorIO's CPU inverse does: `cv = clamp(in*p5, t[p3], t[p4])`, lower bound of cv in `t[p3..p4)`, step back one unless at p3, `delta = (cv - t[lo]) / (t[lo+1] - t[lo])` (0 on a flat spot), `out = (lo + delta) * p2 + p0` where p2 = (max-min)/(n-1) |
//! | `KIND_LUT3D` | bit3 `LUT3D_TRILINEAR` | n = edge size, n^3*3 floats at `data`, red fastest: `((b*n+g)*n+r)*3+c` | p0 = domain_min.rgb, p1 = domain_max.rgb, p2 = scale.rgb = (n-1)/(max-min): `idx = clamp((in - p0) * p2, 0, n-1)`, NaN -> 0 |
//! | `KIND_RANGE` | bit4 `RANGE_CLAMP_LOW`, bit5 `RANGE_CLAMP_HIGH` | - | p0 = scale.rgb, p1 = offset.rgb (`out = in*scale + offset`), p2 = low bound.rgb, p3 = high bound.rgb; `max(v, low)` then `min(v, high)` (NaN -> bound) |
//! | `KIND_LOG` | bits 8..15 = [`LogStyle`](crate::ops::LogStyle) index in declaration order | - | p0..p6 = the seven per-channel rows `k0..k6` of [`LogPrepared`](crate::ops::log::LogPrepared): log10/log2: `log2(max(x, FLT_MIN)) * k0`; antiLog: `exp2(x * k0)`; linToLog: `log2(max(x*k0 + k1, FLT_MIN)) * k2 + k3`; cameraLinToLog: `x < k4 ? k5*x + k6 : linToLog`; logToLin: `(exp2((x + k0) * k1) + k2) * k3`; cameraLogToLin: `x < k4 ? k5*(x + k6) : logToLin` |
//! | `KIND_EXPONENT` | bits 8..15 = [`ExponentStyle`](crate::ops::ExponentStyle) index | - | p0 = power used.rgb (1/exponent for reverse styles). Moncurve styles also: p1 = offset.rgb, p2 = break.rgb, p3 = slope.rgb, p4 = scale.rgb (fwd: `x <= brk ? x*slope : pow(x*scale + offset, p0)`; rev: `x <= brk ? x*slope : pow(x, p0)*scale - offset`); mirror styles apply to `abs(x)` and restore the sign |
//! | `KIND_PRIMARY` | 0 | - | p0 = 2^exposure.rgb, p1 = contrast.rgb + pivot w, p2 = lift.rgb, p3 = gain.rgb, p4 = 1/gamma.rgb, p5 = offset.rgb, p6.x = saturation |
//!
//! Derived values that are constant per op (like `2^exposure`, `1/gamma`,
//! camera-log break values) are computed once here in f64 and stored as f32.

use bytemuck::{Pod, Zeroable};

use super::{PreparedOp, Program};
use crate::ops::cdl::CdlPrepared;
use crate::ops::exponent::ExponentPrepared;
use crate::ops::log::LogPrepared;
use crate::ops::lut1d::Lut1dPrepared;
use crate::ops::lut3d::Lut3dPrepared;
use crate::ops::matrix::MatrixPrepared;
use crate::ops::primary::PrimaryPrepared;
use crate::ops::range::RangePrepared;
use crate::ops::{ExponentStyle, LogStyle};
use crate::{Error, Result};

pub const KIND_MATRIX: u32 = 0;
pub const KIND_CDL: u32 = 1;
pub const KIND_LUT1D: u32 = 2;
pub const KIND_LUT3D: u32 = 3;
pub const KIND_RANGE: u32 = 4;
pub const KIND_LOG: u32 = 5;
pub const KIND_EXPONENT: u32 = 6;
pub const KIND_PRIMARY: u32 = 7;

pub const CDL_CLAMP: u32 = 1 << 0;
pub const INVERSE: u32 = 1 << 1;
pub const LUT1D_HALF_DOMAIN: u32 = 1 << 2;
pub const LUT3D_TRILINEAR: u32 = 1 << 3;
pub const RANGE_CLAMP_LOW: u32 = 1 << 4;
pub const RANGE_CLAMP_HIGH: u32 = 1 << 5;
pub const STYLE_SHIFT: u32 = 8;
pub const STYLE_MASK: u32 = 0xff << STYLE_SHIFT;

/// One op, packed. 128 bytes. Keep in sync with `shaders/program.wgsl`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub struct OpRecord {
    pub kind: u32,
    pub flags: u32,
    /// LUT entry count (1D) or edge size (3D); 0 otherwise.
    pub n: u32,
    /// Offset of this op's table in [`PackedProgram::data`], in f32s.
    pub data: u32,
    pub p: [[f32; 4]; 7],
}

/// A whole program, packed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PackedProgram {
    pub ops: Vec<OpRecord>,
    pub data: Vec<f32>,
}

fn rgb(v: [f32; 3]) -> [f32; 4] {
    [v[0], v[1], v[2], 0.0]
}

fn xyz(v: [f32; 4]) -> [f32; 3] {
    [v[0], v[1], v[2]]
}

impl Program {
    /// Packs every op into an [`OpRecord`], LUT tables into the shared data.
    /// Ops are expected to be valid ([`Grade::compile`](super::Grade::compile)
    /// checks them); one that is not packs as an identity matrix.
    pub fn pack(&self) -> PackedProgram {
        let mut packed = PackedProgram::default();
        for op in &self.ops {
            let rec = op.prepare().to_record(&mut packed.data);
            packed.ops.push(rec);
        }
        packed
    }
}

impl PreparedOp {
    /// This op's record; LUT tables are appended to `data`.
    pub fn to_record(&self, data: &mut Vec<f32>) -> OpRecord {
        let mut r = OpRecord::zeroed();
        match self {
            PreparedOp::Matrix(m) => {
                r.kind = KIND_MATRIX;
                r.p[..3].copy_from_slice(&m.rows);
            }
            PreparedOp::Cdl(c) => {
                r.kind = KIND_CDL;
                if c.clamp {
                    r.flags |= CDL_CLAMP;
                }
                if c.reverse {
                    r.flags |= INVERSE;
                }
                r.p[0] = [c.slope[0], c.slope[1], c.slope[2], c.saturation];
                r.p[1] = rgb(c.offset);
                r.p[2] = rgb(c.power);
            }
            PreparedOp::Lut1d(l) => {
                r.kind = KIND_LUT1D;
                if l.inverse {
                    r.flags |= INVERSE;
                }
                if l.half_domain {
                    r.flags |= LUT1D_HALF_DOMAIN;
                }
                r.n = l.table.len() as u32;
                r.data = data.len() as u32;
                data.extend(l.table.iter().flatten());
                r.p[0] = rgb(l.domain_min);
                // Kept for readers of the table; the kernel uses p0 and p2.
                r.p[1] = rgb(std::array::from_fn(|c| {
                    if l.inverse {
                        l.domain_min[c] + l.scale[c] * (l.table.len() as f32 - 1.0)
                    } else {
                        l.domain_min[c] + (l.table.len() as f32 - 1.0) / l.scale[c]
                    }
                }));
                r.p[2] = rgb(l.scale);
                r.p[3] = rgb(l.start.map(|v| v as f32));
                r.p[4] = rgb(l.end.map(|v| v as f32));
                r.p[5] = rgb(l.flip);
            }
            PreparedOp::Lut3d(l) => {
                r.kind = KIND_LUT3D;
                if l.trilinear {
                    r.flags |= LUT3D_TRILINEAR;
                }
                r.n = l.size as u32;
                r.data = data.len() as u32;
                data.extend(l.data.iter().flatten());
                r.p[0] = rgb(l.domain_min);
                r.p[1] = rgb(std::array::from_fn(|c| {
                    l.domain_min[c] + (l.size as f32 - 1.0) / l.scale[c]
                }));
                r.p[2] = rgb(l.scale);
            }
            PreparedOp::Range(g) => {
                r.kind = KIND_RANGE;
                if g.clamp_low {
                    r.flags |= RANGE_CLAMP_LOW;
                }
                if g.clamp_high {
                    r.flags |= RANGE_CLAMP_HIGH;
                }
                r.p[0] = rgb([g.scale; 3]);
                r.p[1] = rgb([g.offset; 3]);
                r.p[2] = rgb([g.low; 3]);
                r.p[3] = rgb([g.high; 3]);
            }
            PreparedOp::Log(l) => {
                r.kind = KIND_LOG;
                r.flags = l.style.index() << STYLE_SHIFT;
                for (i, k) in l.k.iter().enumerate() {
                    r.p[i] = rgb(*k);
                }
            }
            PreparedOp::Exponent(e) => {
                r.kind = KIND_EXPONENT;
                r.flags = e.style.index() << STYLE_SHIFT;
                r.p[0] = rgb(e.gamma);
                r.p[1] = rgb(e.offset);
                r.p[2] = rgb(e.break_point);
                r.p[3] = rgb(e.slope);
                r.p[4] = rgb(e.scale);
            }
            PreparedOp::Primary(p) => {
                r.kind = KIND_PRIMARY;
                r.p[0] = rgb(p.exposure);
                r.p[1] = [p.contrast[0], p.contrast[1], p.contrast[2], p.pivot];
                r.p[2] = rgb(p.lift);
                r.p[3] = rgb(p.gain);
                r.p[4] = rgb(p.inv_gamma);
                r.p[5] = rgb(p.offset);
                r.p[6] = [p.saturation, 0.0, 0.0, 0.0];
            }
        }
        r
    }

    /// Reads a record back (the fast CPU executor's input). Checks kinds,
    /// styles and table bounds, so a damaged record is an error, not a panic.
    pub fn from_record(r: &OpRecord, data: &[f32]) -> Result<PreparedOp> {
        let bad = |what: &str| Error::Usage(format!("packed op {}: {what}", r.kind));
        let table = |count: usize| -> Result<Vec<[f32; 3]>> {
            let start = r.data as usize;
            let len = count.checked_mul(3).ok_or_else(|| bad("table too large"))?;
            let slice = start
                .checked_add(len)
                .and_then(|end| data.get(start..end))
                .ok_or_else(|| bad("table outside the data array"))?;
            Ok(slice.chunks_exact(3).map(|c| [c[0], c[1], c[2]]).collect())
        };
        let style = (r.flags & STYLE_MASK) >> STYLE_SHIFT;
        Ok(match r.kind {
            KIND_MATRIX => PreparedOp::Matrix(MatrixPrepared {
                rows: [r.p[0], r.p[1], r.p[2]],
            }),
            KIND_CDL => PreparedOp::Cdl(CdlPrepared {
                slope: xyz(r.p[0]),
                saturation: r.p[0][3],
                offset: xyz(r.p[1]),
                power: xyz(r.p[2]),
                clamp: r.flags & CDL_CLAMP != 0,
                reverse: r.flags & INVERSE != 0,
            }),
            KIND_LUT1D => {
                let n = r.n as usize;
                if n < 2 {
                    return Err(bad("1D LUT with fewer than 2 entries"));
                }
                let half_domain = r.flags & LUT1D_HALF_DOMAIN != 0;
                let inverse = r.flags & INVERSE != 0;
                if half_domain && (n != 65536 || inverse) {
                    return Err(bad("half-domain 1D LUT must be forward with 65536 entries"));
                }
                let idx = |v: [f32; 4]| -> Result<[u32; 3]> {
                    let mut out = [0u32; 3];
                    for c in 0..3 {
                        let x = v[c];
                        if !(x >= 0.0 && (x as usize) < n) {
                            return Err(bad("1D LUT index outside the table"));
                        }
                        out[c] = x as u32;
                    }
                    Ok(out)
                };
                let (start, end) = if inverse {
                    (idx(r.p[3])?, idx(r.p[4])?)
                } else {
                    ([0; 3], [(n - 1) as u32; 3])
                };
                if (0..3).any(|c| start[c] > end[c]) {
                    return Err(bad("1D LUT start after end"));
                }
                PreparedOp::Lut1d(Lut1dPrepared {
                    table: table(n)?,
                    half_domain,
                    inverse,
                    domain_min: xyz(r.p[0]),
                    scale: xyz(r.p[2]),
                    start,
                    end,
                    flip: if inverse { xyz(r.p[5]) } else { [1.0; 3] },
                })
            }
            KIND_LUT3D => {
                let n = r.n as usize;
                if !(2..=crate::ops::lut3d::MAX_LUT3D_SIZE).contains(&n) {
                    return Err(bad("3D LUT size out of range"));
                }
                PreparedOp::Lut3d(Lut3dPrepared {
                    size: n,
                    data: table(n * n * n)?,
                    domain_min: xyz(r.p[0]),
                    scale: xyz(r.p[2]),
                    trilinear: r.flags & LUT3D_TRILINEAR != 0,
                })
            }
            KIND_RANGE => PreparedOp::Range(RangePrepared {
                scale: r.p[0][0],
                offset: r.p[1][0],
                low: r.p[2][0],
                high: r.p[3][0],
                clamp_low: r.flags & RANGE_CLAMP_LOW != 0,
                clamp_high: r.flags & RANGE_CLAMP_HIGH != 0,
            }),
            KIND_LOG => PreparedOp::Log(LogPrepared {
                style: LogStyle::from_index(style).ok_or_else(|| bad("unknown log style"))?,
                k: std::array::from_fn(|i| xyz(r.p[i])),
            }),
            KIND_EXPONENT => PreparedOp::Exponent(ExponentPrepared {
                style: ExponentStyle::from_index(style)
                    .ok_or_else(|| bad("unknown exponent style"))?,
                gamma: xyz(r.p[0]),
                offset: xyz(r.p[1]),
                break_point: xyz(r.p[2]),
                slope: xyz(r.p[3]),
                scale: xyz(r.p[4]),
            }),
            KIND_PRIMARY => PreparedOp::Primary(PrimaryPrepared {
                exposure: xyz(r.p[0]),
                contrast: xyz(r.p[1]),
                pivot: r.p[1][3],
                lift: xyz(r.p[2]),
                gain: xyz(r.p[3]),
                inv_gamma: xyz(r.p[4]),
                offset: xyz(r.p[5]),
                saturation: r.p[6][0],
            }),
            _ => return Err(bad("unknown kind")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_record_is_128_bytes() {
        // Keep in sync with shaders/program.wgsl: 4 u32 + 7 vec4<f32>.
        assert_eq!(std::mem::size_of::<OpRecord>(), 128);
    }
}

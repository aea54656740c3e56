// OpenColorIO's GradingPrimary (log, lin and video styles, forward and
// inverse) from prepared constants, operation for operation as its Rust
// twin GradingPrimaryPrepared in engine/src/ops/grading_primary/prepared.rs.
// flags bits 8..15 = style (GRADING_PRIMARY_STYLE_*), bit 16 power step,
// bit 17 saturation, bit 18 bypass; p0 = add.rgb + pivot, p1 = scale.rgb +
// black pivot, p2 = contrast.rgb + white pivot, p3 = gamma.rgb +
// saturation, p4 = (black clamp, white clamp).

const GP_POWER: u32 = 0x10000u;
const GP_SATURATION: u32 = 0x20000u;
const GP_BYPASS: u32 = 0x40000u;

// The sign bit of s flipped into v, as the SSE code's xor.
fn gp_xor_sign(v: f32, s: f32) -> f32 {
    return bitcast<f32>(bitcast<u32>(v) ^ (bitcast<u32>(s) & 0x80000000u));
}

fn gp_abs(v: f32) -> f32 {
    return bitcast<f32>(bitcast<u32>(v) & 0x7fffffffu);
}

// The power step: lin contrast `sign(v) * |v/pivot|^contrast * pivot` or
// gamma `sign(t) * |t/range|^gamma * range + black`; one power either way.
fn gp_power(v: f32, op: OpRecord, c: u32, lin: bool) -> f32 {
    let black = op.p[1].w;
    let range = op.p[2].w - black;
    let t = select(v - black, v / op.p[0].w, lin);
    let a = select(gp_abs(t) / range, gp_abs(t), lin);
    let p = sse_pow(a, select(op.p[3][c], op.p[2][c], lin));
    return select(gp_xor_sign(p, t) * range + black, gp_xor_sign(p * op.p[0].w, t), lin);
}

fn gp_affine(v: f32, op: OpRecord, c: u32) -> f32 {
    let pivot = op.p[0].w;
    return (v - pivot) * op.p[2][c] + pivot;
}

fn gp_saturate(v: vec3<f32>, sat: f32) -> vec3<f32> {
    let l = luma709(v);
    return vec3<f32>(l + sat * (v.x - l), l + sat * (v.y - l), l + sat * (v.z - l));
}

fn gp_clamp(v: vec3<f32>, op: OpRecord) -> vec3<f32> {
    let lo = op.p[4].x;
    let hi = op.p[4].y;
    return vec3<f32>(clamp_nan_lo(v.x, lo, hi), clamp_nan_lo(v.y, lo, hi), clamp_nan_lo(v.z, lo, hi));
}

fn grading_primary_apply(rgb: vec3<f32>, op: OpRecord) -> vec3<f32> {
    if ((op.flags & GP_BYPASS) != 0u) {
        return rgb;
    }
    let style = (op.flags & STYLE_MASK) >> STYLE_SHIFT;
    let lin = style == GRADING_PRIMARY_STYLE_LIN_FWD || style == GRADING_PRIMARY_STYLE_LIN_REV;
    let forward = style == GRADING_PRIMARY_STYLE_LOG_FWD || style == GRADING_PRIMARY_STYLE_LIN_FWD
        || style == GRADING_PRIMARY_STYLE_VIDEO_FWD;
    let do_power = (op.flags & GP_POWER) != 0u;
    let do_sat = (op.flags & GP_SATURATION) != 0u;
    var v = rgb;
    if (forward) {
        for (var c = 0u; c < 3u; c = c + 1u) {
            var x = (v[c] + op.p[0][c]) * op.p[1][c];
            if (!lin) {
                x = gp_affine(x, op, c);
            }
            if (do_power) {
                x = gp_power(x, op, c, lin);
            }
            v[c] = x;
        }
        if (do_sat) {
            v = gp_saturate(v, op.p[3].w);
        }
        return gp_clamp(v, op);
    }
    v = gp_clamp(v, op);
    if (do_sat) {
        v = gp_saturate(v, op.p[3].w);
    }
    for (var c = 0u; c < 3u; c = c + 1u) {
        var x = v[c];
        if (do_power) {
            x = gp_power(x, op, c, lin);
        }
        if (!lin) {
            x = gp_affine(x, op, c);
        }
        v[c] = x * op.p[1][c] + op.p[0][c];
    }
    return v;
}

// ASC CDL v1.2, forward and inverse, ASC (clamping) and no-clamp styles,
// in OpenColorIO's operation order. Rust twin: CdlPrepared in
// engine/src/ops/cdl/prepared.rs.
// p0 = slope.rgb + saturation in w, p1 = offset.rgb, p2 = power.rgb. With
// INVERSE these are already the reverse values (reciprocals, -offset).

// The forward CDL computes what the fast CPU executor does (its power is
// fastmath.rs's, twinned in fastpow.wgsl); the reverse what the CPU
// reference does (powf, mathf_*.wgsl), which the fast executor also runs.

// One powf for either style (cdl_power_clamped or cdl_power_no_clamp).
fn cdl_power(v: f32, p: f32, clamp: bool) -> f32 {
    let pw = powf(select(v, clamp_nan_lo(v, 0.0, 1.0), clamp), p);
    if (clamp) {
        return pw;
    }
    if (is_nan(v)) {
        return 0.0;
    }
    if (v < 0.0) {
        return v;
    }
    return pw;
}

// The forward power as cpu/fast.rs's cdl_forward: clamp then fast_pow, or
// (no-clamp) fast_pow with NaN -> 0 and negatives passed through.
fn cdl_power_fast(v: f32, p: f32, clamp: bool) -> f32 {
    if (clamp) {
        return fast_pow(clamp_nan_lo(v, 0.0, 1.0), p);
    }
    let pw = fast_pow(v, p);
    if (is_nan(v)) {
        return 0.0;
    }
    if (v < 0.0) {
        return v;
    }
    return pw;
}

fn cdl_saturation(v: vec3<f32>, sat: f32) -> vec3<f32> {
    let l = luma709(v);
    return vec3<f32>(l + sat * (v.x - l), l + sat * (v.y - l), l + sat * (v.z - l));
}

fn cdl_apply(rgb: vec3<f32>, op: OpRecord) -> vec3<f32> {
    let clamp = (op.flags & CDL_CLAMP) != 0u;
    let slope = op.p[0].xyz;
    let sat = op.p[0].w;
    let offset = op.p[1].xyz;
    let power = op.p[2].xyz;
    var v = rgb;
    if ((op.flags & INVERSE) == 0u) {
        // in*slope + offset, power (clamping first in the ASC style),
        // saturation, clamp.
        v = v * slope + offset;
        v = vec3<f32>(cdl_power_fast(v.x, power.x, clamp), cdl_power_fast(v.y, power.y, clamp), cdl_power_fast(v.z, power.z, clamp));
        v = cdl_saturation(v, sat);
    } else {
        // Reverse: clamp, saturation, power, +offset, *slope, clamp.
        if (clamp) {
            v = clamp01_3(v);
        }
        v = cdl_saturation(v, sat);
        v = vec3<f32>(cdl_power(v.x, power.x, clamp), cdl_power(v.y, power.y, clamp), cdl_power(v.z, power.z, clamp));
        v = (v + offset) * slope;
    }
    if (clamp) {
        v = clamp01_3(v);
    }
    return v;
}

// OpenColorIO's RGB <-> HSY (FixedFunction RGB_TO_HSY_LIN, _LOG, _VID),
// shared by the colour-model and hue curve ops: the twin, operation for
// operation, of rgb_to_hsy / hsy_to_rgb in
// engine/src/ops/colour_model/prepared.rs. k = (1/6, 0.5, 0.001, 0.009) and
// k1 = (1.4, 3, 5, 0.15) are HSY's constants read from the op's record
// (HSY_RECORD there), so the compiler cannot fold or reassociate them.

// OpenColorIO's CLAMP(a, lo, hi): a > hi ? hi : (lo > a ? lo : a).
fn cm_clamp(a: f32, lo: f32, hi: f32) -> f32 {
    return select(select(a, lo, lo > a), hi, a > hi);
}

// HSY's scale: 0 scene-linear, 1 log, 2 video. The linear style fades
// its saturation between luma 0.001 and 0.01 (0.009 wide, both in f32 as
// OpenColorIO computes them).
fn cm_rgb_to_hsy(c: vec3<f32>, scale: u32, k: vec4<f32>, k1: vec4<f32>) -> vec3<f32> {
    if (is_nan(c.x) || is_nan(c.y) || is_nan(c.z)) {
        return vec3<f32>(bitcast<f32>(0x7fc00000u));
    }
    let rgb_min = min_hi(min_hi(c.x, c.y), c.z);
    let rgb_max = max_lo(max_lo(c.x, c.y), c.z);
    let luma = 0.2126f * c.x + 0.7152f * c.y + 0.0722f * c.z;
    let dist = abs(c.x - luma) + abs(c.y - luma) + abs(c.z - luma);
    var sat = dist * select(1.25f, 4.0f, scale == 1u);
    if (scale == 0u) {
        let sum = c.x + c.y + c.z;
        let sat_hi = dist / max_lo(0.07f * dist + 1e-6f, 0.15f + sum);
        let sat_lo = dist * 5.0f;
        let alpha = cm_clamp((luma - k.z) / k.w, 0.0f, 1.0f);
        sat = (sat_lo + alpha * (sat_hi - sat_lo)) * k1.x;
    }
    var hue = 0.0f;
    if (rgb_min != rgb_max) {
        let delta = rgb_max - rgb_min;
        if (c.x == rgb_max) {
            hue = 1.0f + (c.y - c.z) / delta;
        } else if (c.y == rgb_max) {
            hue = 3.0f + (c.z - c.x) / delta;
        } else {
            hue = 5.0f + (c.x - c.y) / delta;
        }
        hue = hue * 0.16666667f;
    }
    return vec3<f32>(hue, sat, luma);
}

// x as a value Mesa's NIR cannot see through, so that it keeps the CPU's
// order around it: its bits xor the sign bit of gate (HSY's 1.4, loaded, so
// 0 at run time but unknown to the compiler). A select was not enough:
// NIR moved the sum after it into its arms and reassociated it there.
fn cm_opaque(x: f32, gate: f32) -> f32 {
    return bitcast<f32>(bitcast<u32>(x) ^ (bitcast<u32>(gate) >> 31u));
}

fn cm_hsy_to_rgb(c: vec3<f32>, scale: u32, k: vec4<f32>, k1: vec4<f32>) -> vec3<f32> {
    if (is_nan(c.x) || is_nan(c.y) || is_nan(c.z)) {
        return vec3<f32>(bitcast<f32>(0x7fc00000u));
    }
    let luma = c.z;
    var hue = c.x - k.x;
    if (luma < 0.0f) {
        hue = hue + k.y;
    }
    hue = (hue - floor(hue)) * 6.0f;
    var red = cm_clamp(abs(hue - 3.0f) - 1.0f, 0.0f, 1.0f);
    var grn = cm_clamp(2.0f - abs(hue - 2.0f), 0.0f, 1.0f);
    var blu = cm_clamp(2.0f - abs(hue - 4.0f), 0.0f, 1.0f);
    let curr_y = 0.2126f * red + 0.7152f * grn + 0.0722f * blu;
    red = red * (luma / curr_y);
    grn = grn * (luma / curr_y);
    blu = blu * (luma / curr_y);
    let dist = abs(red - luma) + abs(grn - luma) + abs(blu - luma);
    var gain = c.y / max_lo(1e-10f, dist * select(1.25f, 4.0f, scale == 1u));
    if (scale == 0u) {
        // Every constant of the linear style is read from the record (k1 =
        // (1.4, 3, 5, 0.15)), and the partial sums pass through cm_opaque,
        // so neither a constant fold, nor factoring sat out of -sat * sum +
        // sat * 3 * luma, nor adding dist to sat * 3 * luma first (which
        // Mesa did: 1 ulp at HSY (-0.25, -0.25, 0.03125)) changes the CPU's
        // f32 steps.
        // Opaque channels too: Mesa otherwise sums red * q + grn * q + blu * q
        // as q * (red + grn + blu) (1 ulp of sum at HSY (1.203125, -0.25,
        // 0.03125)).
        let sum = cm_opaque(red, k1.x) + cm_opaque(grn, k1.x) + cm_opaque(blu, k1.x);
        let sat = c.y / k1.x;
        let sat_b = cm_opaque(sat, k1.x);
        let three_luma = k1.y * luma;
        let tmp = max_lo(cm_opaque(-sat * sum + sat_b * k1.y * luma, k1.x) + dist, 1e-6f);
        let s1 = min_hi(sat * (k1.w + three_luma) / tmp, 50.0f);
        let s0 = sat / max_lo(dist * k1.z, 1e-10f);
        let alpha = cm_clamp((luma - k.z) / k.w, 0.0f, 1.0f);
        if (alpha == 1.0f) {
            gain = s1;
        } else if (alpha == 0.0f) {
            gain = s0;
        } else {
            let d5a = cm_opaque(cm_opaque(dist * k1.z, k1.x) * (1.0f - alpha), k1.x);
            let a = d5a * (sum - three_luma);
            let b = cm_opaque(d5a * (k1.w + three_luma) + dist * alpha, k1.x) - sat * (sum - three_luma);
            let cc = -sat * (k1.w + three_luma);
            let discrim = sqrt(b * b - 4.0f * a * cc);
            let denom = -discrim - b;
            let g = (2.0f * cc) / denom;
            gain = select((2.0f * cc) / (denom + discrim * 2.0f), g, g >= 0.0f);
        }
    }
    return vec3<f32>(luma + gain * (red - luma), luma + gain * (grn - luma), luma + gain * (blu - luma));
}

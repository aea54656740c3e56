// OpenColorIO's colour-model FixedFunction styles (RGB <-> HSV, XYZ <->
// xyY, u'v'Y, CIELUV, RGB <-> HSY lin/log/vid), operation for operation as their Rust twin,
// ColourModelPrepared in engine/src/ops/colour_model/prepared.rs. HSY's
// functions are in hsy.wgsl (the hue curve op uses them too).
// flags bits 8..15 = style (the COLOUR_MODEL_STYLE_* constants); p0 =
// (1/6, 0.5, 0.001, 0.009), p1 = (1.4, 3, 5, 0.15): HSY's constants, loaded
// so the compiler cannot fold or reassociate them (HSY_RECORD in
// prepared.rs).

// d == 0 ? 0 : 1/d, OpenColorIO's guard on every denominator here.
fn cm_recip_or_0(d: f32) -> f32 {
    return select(1.0f / d, 0.0f, d == 0.0f);
}

fn cm_rgb_to_hsv(c: vec3<f32>) -> vec3<f32> {
    // NaN anywhere gives NaN everywhere, as the CPU (is_nan tests the bits,
    // so no compiler assumption about NaN changes it).
    if (is_nan(c.x) || is_nan(c.y) || is_nan(c.z)) {
        return vec3<f32>(bitcast<f32>(0x7fc00000u));
    }
    let rgb_min = min_hi(min_hi(c.x, c.y), c.z);
    let rgb_max = max_lo(max_lo(c.x, c.y), c.z);
    var val = rgb_max;
    var sat = 0.0f;
    var hue = 0.0f;
    if (rgb_min != rgb_max) {
        let delta = rgb_max - rgb_min;
        if (rgb_max != 0.0f) {
            sat = delta / rgb_max;
        }
        if (c.x == rgb_max) {
            hue = (c.y - c.z) / delta;
        } else if (c.y == rgb_max) {
            hue = 2.0f + (c.z - c.x) / delta;
        } else {
            hue = 4.0f + (c.x - c.y) / delta;
        }
        if (hue < 0.0f) {
            hue = hue + 6.0f;
        }
        hue = hue * 0.16666667f;
    }
    if (rgb_min < 0.0f) {
        val = val + rgb_min;
    }
    if (-rgb_min > rgb_max) {
        sat = (rgb_max - rgb_min) / -rgb_min;
    }
    return vec3<f32>(hue, sat, val);
}

fn cm_hsv_to_rgb(c: vec3<f32>) -> vec3<f32> {
    let hue = (c.x - floor(c.x)) * 6.0f;
    let sat = clamp_nan_lo(c.y, 0.0f, 1.999f);
    let val = c.z;
    let red = clamp_nan_lo(abs(hue - 3.0f) - 1.0f, 0.0f, 1.0f);
    let grn = clamp_nan_lo(2.0f - abs(hue - 2.0f), 0.0f, 1.0f);
    let blu = clamp_nan_lo(2.0f - abs(hue - 4.0f), 0.0f, 1.0f);
    var rgb_max = val;
    var rgb_min = val * (1.0f - sat);
    if (sat > 1.0f) {
        rgb_min = val * (1.0f - sat) / (2.0f - sat);
        rgb_max = val - rgb_min;
    }
    if (val < 0.0f) {
        rgb_min = val / (2.0f - sat);
        rgb_max = val - rgb_min;
    }
    let delta = rgb_max - rgb_min;
    return vec3<f32>(red * delta + rgb_min, grn * delta + rgb_min, blu * delta + rgb_min);
}

// u' and v' of XYZ.
fn cm_uv(c: vec3<f32>) -> vec2<f32> {
    let d = cm_recip_or_0(c.x + 15.0f * c.y + 3.0f * c.z);
    return vec2<f32>(4.0f * c.x * d, 9.0f * c.y * d);
}

fn colour_model_apply(c: vec3<f32>, op: OpRecord) -> vec3<f32> {
    let style = (op.flags & STYLE_MASK) >> STYLE_SHIFT;
    // One power whatever the style (on lavapipe every path costs time):
    // L* of XYZ_TO_LUV.
    let l_pow = 1.16f * powf(c.y, 0.33333334f) - 0.16f;
    switch style {
        case COLOUR_MODEL_STYLE_RGB_TO_HSV: {
            return cm_rgb_to_hsv(c);
        }
        case COLOUR_MODEL_STYLE_HSV_TO_RGB: {
            return cm_hsv_to_rgb(c);
        }
        case COLOUR_MODEL_STYLE_XYZ_TO_XYY: {
            let d = cm_recip_or_0(c.x + c.y + c.z);
            return vec3<f32>(c.x * d, c.y * d, c.y);
        }
        case COLOUR_MODEL_STYLE_XYY_TO_XYZ: {
            let d = cm_recip_or_0(c.y);
            return vec3<f32>(c.z * c.x * d, c.z, c.z * (1.0f - c.x - c.y) * d);
        }
        case COLOUR_MODEL_STYLE_XYZ_TO_UVY: {
            return vec3<f32>(cm_uv(c), c.y);
        }
        case COLOUR_MODEL_STYLE_UVY_TO_XYZ: {
            let d = cm_recip_or_0(c.y);
            return vec3<f32>(2.25f * c.z * c.x * d, c.z, 0.75f * c.z * (4.0f - c.x - 6.6666665f * c.y) * d);
        }
        case COLOUR_MODEL_STYLE_XYZ_TO_LUV: {
            let uv = cm_uv(c);
            let l = select(l_pow, 9.032963f * c.y, c.y <= 0.008856452f);
            // D65 white in u'v', as OpenColorIO writes it.
            return vec3<f32>(l, 13.0f * l * (uv.x - 0.19783001f), 13.0f * l * (uv.y - 0.46831998f));
        }
        case COLOUR_MODEL_STYLE_RGB_TO_HSY_LIN: {
            return cm_rgb_to_hsy(c, 0u, op.p[0], op.p[1]);
        }
        case COLOUR_MODEL_STYLE_HSY_LIN_TO_RGB: {
            return cm_hsy_to_rgb(c, 0u, op.p[0], op.p[1]);
        }
        case COLOUR_MODEL_STYLE_RGB_TO_HSY_LOG: {
            return cm_rgb_to_hsy(c, 1u, op.p[0], op.p[1]);
        }
        case COLOUR_MODEL_STYLE_HSY_LOG_TO_RGB: {
            return cm_hsy_to_rgb(c, 1u, op.p[0], op.p[1]);
        }
        case COLOUR_MODEL_STYLE_RGB_TO_HSY_VID: {
            return cm_rgb_to_hsy(c, 2u, op.p[0], op.p[1]);
        }
        case COLOUR_MODEL_STYLE_HSY_VID_TO_RGB: {
            return cm_hsy_to_rgb(c, 2u, op.p[0], op.p[1]);
        }
        // COLOUR_MODEL_STYLE_LUV_TO_XYZ
        default: {
            let l = c.x;
            let d = select(0.07692308f / l, 0.0f, l == 0.0f);
            let u = c.y * d + 0.19783001f;
            let v = c.z * d + 0.46831998f;
            let tmp = (l + 0.16f) * 0.86206895f;
            let y = select(tmp * tmp * tmp, 0.110705644f * l, l <= 0.08f);
            let dd = select(0.25f / v, 0.0f, v == 0.0f);
            return vec3<f32>(9.0f * y * u * dd, y, y * (12.0f - 3.0f * u - 20.0f * v) * dd);
        }
    }
}

// ASC CDL v1.2, forward and inverse, ASC (clamping) and no-clamp styles,
// in OpenColorIO's operation order. Rust twin: engine/src/color/cdl.rs.
// p0 = slope.rgb + saturation in w, p1 = offset.rgb, p2 = power.rgb.

fn cdl_power(v: f32, p: f32, clamp: bool) -> f32 {
    // No-clamp style: values <= 0 pass through the power unchanged.
    if (!clamp && !(v > 0.0)) {
        return v;
    }
    return pow_pos(v, p);
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
        v = v * slope + offset;
        if (clamp) {
            v = clamp01_3(v);
        }
        v = vec3<f32>(cdl_power(v.x, power.x, clamp), cdl_power(v.y, power.y, clamp), cdl_power(v.z, power.z, clamp));
        v = cdl_saturation(v, sat);
        if (clamp) {
            v = clamp01_3(v);
        }
    } else {
        if (clamp) {
            v = clamp01_3(v);
        }
        v = cdl_saturation(v, 1.0 / sat);
        if (clamp) {
            v = clamp01_3(v);
        }
        let inv_power = vec3<f32>(1.0) / power;
        v = vec3<f32>(cdl_power(v.x, inv_power.x, clamp), cdl_power(v.y, inv_power.y, clamp), cdl_power(v.z, inv_power.z, clamp));
        v = (v - offset) * (vec3<f32>(1.0) / slope);
        if (clamp) {
            v = clamp01_3(v);
        }
    }
    return v;
}

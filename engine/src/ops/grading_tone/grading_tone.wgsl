// OpenColorIO's GradingTone (log, lin and video styles, forward and
// inverse) from prepared constants, operation for operation as its Rust
// twin GradingTonePrepared in engine/src/ops/grading_tone/prepared.rs.
// flags bits 8..15 = style (GRADING_TONE_STYLE_*), bit 16 bypass; data =
// the table: red, green, blue, master blocks of GT_STRIDE f32s (midtones
// at 0: on, x0..x5, y0..y5, m0..m5; highlights at 19 and shadows at 28:
// mode, x0..x2, y0..y2, m0, m2; whites at 37 and blacks at 51: mode, x0,
// x1, y0, y1, m0, m1, gain, aa, bb, cc, brk, x0 and x1 again); p0 = (s-contrast on,
// contrast, pivot, -), p1 = top x1, x2, y1, y2, p2 = top m0, m3, bottom
// m0, m3, p3 = bottom x1, x2, y1, y2.

const GT_BYPASS: u32 = 0x10000u;
const GT_STRIDE: u32 = 65u;
const GT_HIGHLIGHTS: u32 = 19u;
const GT_SHADOWS: u32 = 28u;
const GT_WHITES: u32 = 37u;
const GT_BLACKS: u32 = 51u;

fn gt_segment(t: f32, x0: f32, x1: f32, y0: f32, m0: f32, m1: f32) -> f32 {
    let u = (t - x0) / (x1 - x0);
    return u * (x1 - x0) * (u * 0.5 * (m1 - m0) + m0) + y0;
}

fn gt_segment_rev(t: f32, x0: f32, x1: f32, y0: f32, m0: f32, m1: f32) -> f32 {
    let c = y0 - t;
    let b = m0 * (x1 - x0);
    let a = 0.5 * (m1 - m0) * (x1 - x0);
    let discrim = sqrt(b * b - 4.0 * a * c);
    let tmp = (2.0 * c) / (-discrim - b);
    return tmp * (x1 - x0) + x0;
}

// Midtone segment i of the block at k: x at k+1, y at k+7, m at k+13.
fn gt_mid(t: f32, k: u32, i: u32, rev: bool) -> f32 {
    let x0 = luts[k + 1u + i];
    let x1 = luts[k + 2u + i];
    let y0 = luts[k + 7u + i];
    let m0 = luts[k + 13u + i];
    let m1 = luts[k + 14u + i];
    if (rev) {
        return gt_segment_rev(t, x0, x1, y0, m0, m1);
    }
    return gt_segment(t, x0, x1, y0, m0, m1);
}

fn gt_mids(t: f32, k: u32, master: bool, fwd: bool) -> f32 {
    if (luts[k] == 0.0) {
        return t;
    }
    let x0 = luts[k + 1u];
    let x5 = luts[k + 6u];
    let y0 = luts[k + 7u];
    let y5 = luts[k + 12u];
    let m0 = luts[k + 13u];
    let m5 = luts[k + 18u];
    if (fwd) {
        var res = select(gt_mid(t, k, 1u, false), gt_mid(t, k, 0u, false), t < luts[k + 2u]);
        if (master) {
            let below = (t - x0) * m0 + y0;
            let above = (t - x5) * m5 + y5;
            res = select(gt_mid(t, k, 2u, false), res, t < luts[k + 3u]);
            res = select(gt_mid(t, k, 3u, false), res, t < luts[k + 4u]);
            res = select(gt_mid(t, k, 4u, false), res, t < luts[k + 5u]);
            res = select(res, below, t < x0);
            return select(above, res, t < x5);
        }
        if (t > luts[k + 3u]) {
            res = gt_mid(t, k, 2u, false);
        }
        if (t > luts[k + 4u]) {
            res = gt_mid(t, k, 3u, false);
        }
        if (t > luts[k + 5u]) {
            res = gt_mid(t, k, 4u, false);
        }
        if (t < x0) {
            res = y0 + (t - x0) * m0;
        }
        if (t > x5) {
            res = y5 + (t - x5) * m5;
        }
        return res;
    }
    if (master) {
        let above = x5 + (t - y5) / m5;
        let below = x0 + (t - y0) / m0;
        var res = select(gt_mid(t, k, 1u, true), gt_mid(t, k, 0u, true), t < luts[k + 8u]);
        res = select(gt_mid(t, k, 2u, true), res, t < luts[k + 9u]);
        res = select(gt_mid(t, k, 3u, true), res, t < luts[k + 10u]);
        res = select(gt_mid(t, k, 4u, true), res, t < luts[k + 11u]);
        res = select(res, below, t < y0);
        return select(above, res, t < y5);
    }
    if (t >= y5) {
        return x0 + (t - y0) / m0;
    }
    for (var i = 4; i >= 0; i = i - 1) {
        if (t >= luts[k + 7u + u32(i)]) {
            return gt_mid(t, k, u32(i), true);
        }
    }
    return x0 + (t - y0) / m0;
}

// A highlight or shadow bend at k: mode, x0..x2, y0..y2, m0, m2.
fn gt_bend(t: f32, k: u32, fwd: bool) -> f32 {
    let mode = luts[k];
    if (mode == 0.0) {
        return t;
    }
    let x0 = luts[k + 1u];
    let x1 = luts[k + 2u];
    let x2 = luts[k + 3u];
    let y0 = luts[k + 4u];
    let y1 = luts[k + 5u];
    let y2 = luts[k + 6u];
    let m0 = luts[k + 7u];
    let m2 = luts[k + 8u];
    if ((mode == 1.0) == fwd) {
        let tl = (t - x0) / (x1 - x0);
        let tr = (t - x1) / (x2 - x1);
        let fl = y0 * (1.0 - tl * tl) + y1 * tl * tl + m0 * (1.0 - tl) * tl * (x1 - x0);
        let fr = y1 * (1.0 - tr) * (1.0 - tr) + y2 * (2.0 - tr) * tr + m2 * (tr - 1.0) * tr * (x2 - x1);
        var res = select(fr, fl, t < x1);
        res = select(res, (t - x0) * m0 + y0, t < x0);
        return select((t - x2) * m2 + y2, res, t < x2);
    }
    let bl = m0 * (x1 - x0);
    let al = y1 - y0 - m0 * (x1 - x0);
    let cl = y0 - t;
    let dl = sqrt(bl * bl - 4.0 * al * cl);
    let out_l = (-2.0 * cl) / (dl + bl) * (x1 - x0) + x0;
    let br = 2.0 * y2 - 2.0 * y1 - m2 * (x2 - x1);
    let ar = y1 - y2 + m2 * (x2 - x1);
    let cr = y1 - t;
    let dr = sqrt(br * br - 4.0 * ar * cr);
    let out_r = (-2.0 * cr) / (dr + br) * (x2 - x1) + x1;
    var res = select(out_r, out_l, t < y1);
    res = select(res, (t - y0) / m0 + x0, t < y0);
    return select((t - y2) / m2 + x2, res, t < y2);
}

fn gt_toe_root(t: f32, x0: f32, x1: f32, y0: f32, m0: f32, m1: f32) -> f32 {
    let a = 0.5 * (m1 - m0) * (x1 - x0);
    let b = m0 * (x1 - x0);
    let c = y0 - t;
    let discrim = sqrt(b * b - 4.0 * a * c);
    let tmp = (-2.0 * c) / (discrim + b);
    let res = tmp * (x1 - x0) + x0;
    return select(res, x0 + (t - y0) / m0, t < y0);
}

fn gt_toe_eval(t: f32, x0: f32, x1: f32, y0: f32, m0: f32, m1: f32) -> f32 {
    let res = gt_segment(t, x0, x1, y0, m0, m1);
    return select(res, y0 + (t - x0) * m0, t < x0);
}

// A whites or blacks toe at k: mode, x0, x1, y0, y1, m0, m1, gain, aa,
// bb, cc, brk, x0, x1. The gain is taken about the second copy of the
// knot: with the same value `(t - x) * gain + x` later minus `x` (or
// compared with it) would be folded by Mesa's NIR to `(t - x) * gain`,
// which is not the CPU's f32 result.
fn gt_toe(t_in: f32, k: u32, black: bool, fwd: bool) -> f32 {
    let mode = luts[k];
    let x0 = luts[k + 1u];
    let x1 = luts[k + 2u];
    let y0 = luts[k + 3u];
    let y1 = luts[k + 4u];
    let m0 = luts[k + 5u];
    let m1 = luts[k + 6u];
    let gain = luts[k + 7u];
    if (mode == 1.0) {
        if (fwd) {
            let res = gt_toe_eval(t_in, x0, x1, y0, m0, m1);
            return select(y1 + (t_in - x1) * m1, res, t_in < x1);
        }
        let res = gt_toe_root(t_in, x0, x1, y0, m0, m1);
        return select(x1 + (t_in - y1) / m1, res, t_in < y1);
    }
    if (mode != 2.0) {
        return t_in;
    }
    let a = select(luts[k + 12u], luts[k + 13u], black);
    let t = (t_in - a) * gain + a;
    var res = select(gt_toe_eval(t, x0, x1, y0, m0, m1), gt_toe_root(t, x0, x1, y0, m0, m1), fwd);
    if (black) {
        if (fwd) {
            res = select(x1 + (t - y1) / m1, res, t < y1);
        } else {
            res = select(y1 + (t - x1) * m1, res, t < x1);
        }
        return (res - x1) / gain + x1;
    }
    let aa = luts[k + 8u];
    let bb = luts[k + 9u];
    let cc = luts[k + 10u];
    res = (res - x0) / gain + x0;
    let t2 = (t - x0) / gain + x0;
    if (fwd) {
        let res1 = (aa * t2 + bb) * t2 + cc;
        return select(res1, res, t2 < x1);
    }
    let c = cc - t2;
    let discrim = sqrt(bb * bb - 4.0 * aa * c);
    let res1 = (-2.0 * c) / (discrim + bb);
    return select(res1, res, t2 < luts[k + 11u]);
}

// One zone (0 mids, 1 highlights, 2 whites, 3 shadows, 4 blacks) on red,
// green, blue with their blocks, and on all three with master's (inverse:
// master first).
fn gt_zone_one(t: f32, k: u32, zone: u32, master: bool, fwd: bool) -> f32 {
    switch zone {
        case 0u: {
            return gt_mids(t, k, master, fwd);
        }
        case 1u: {
            return gt_bend(t, k + GT_HIGHLIGHTS, fwd);
        }
        case 2u: {
            return gt_toe(t, k + GT_WHITES, false, fwd);
        }
        case 3u: {
            return gt_bend(t, k + GT_SHADOWS, fwd);
        }
        default: {
            return gt_toe(t, k + GT_BLACKS, true, fwd);
        }
    }
}

fn gt_zone(v: vec3<f32>, base: u32, zone: u32, fwd: bool) -> vec3<f32> {
    var r = v;
    let km = base + 3u * GT_STRIDE;
    if (!fwd) {
        for (var c = 0u; c < 3u; c = c + 1u) {
            r[c] = gt_zone_one(r[c], km, zone, true, fwd);
        }
    }
    for (var c = 0u; c < 3u; c = c + 1u) {
        r[c] = gt_zone_one(r[c], base + c * GT_STRIDE, zone, false, fwd);
    }
    if (fwd) {
        for (var c = 0u; c < 3u; c = c + 1u) {
            r[c] = gt_zone_one(r[c], km, zone, true, fwd);
        }
    }
    return r;
}

fn gt_s_contrast(t: f32, op: OpRecord, fwd: bool) -> f32 {
    let contrast = op.p[0].y;
    let pivot = op.p[0].z;
    let top = op.p[1];
    let bot = op.p[3];
    if (fwd) {
        var out = (t - pivot) * contrast + pivot;
        out = select(gt_segment(t, top.x, top.y, top.z, op.p[2].x, op.p[2].y), out, t < top.x);
        out = select(top.w + (t - top.y) * op.p[2].y, out, t < top.y);
        out = select(out, gt_segment(t, bot.x, bot.y, bot.z, op.p[2].z, op.p[2].w), t < bot.y);
        return select(out, bot.z + (t - bot.x) * op.p[2].z, t < bot.x);
    }
    var out = (t - pivot) / contrast + pivot;
    out = select(gt_sc_root(t, top, op.p[2].x, op.p[2].y), out, t < top.z);
    out = select(top.y + (t - top.w) / op.p[2].y, out, t < top.w);
    out = select(out, gt_sc_root(t, bot, op.p[2].z, op.p[2].w), t < bot.w);
    return select(out, bot.x + (t - bot.z) / op.p[2].z, t < bot.z);
}

fn gt_sc_root(t: f32, k: vec4<f32>, m0: f32, m3: f32) -> f32 {
    let b = m0 * (k.y - k.x);
    let a = (m3 - m0) * 0.5 * (k.y - k.x);
    let c = k.z - t;
    let discrim = sqrt(b * b - 4.0 * a * c);
    return (k.y - k.x) * (-2.0 * c) / (discrim + b) + k.x;
}

// min(v, 65504) with NaN kept, as std::min(v, 65504.f).
fn gt_clamp_max(v: f32) -> f32 {
    return select(v, 65504.0, 65504.0 < v);
}

fn grading_tone_apply(rgb: vec3<f32>, op: OpRecord) -> vec3<f32> {
    if ((op.flags & GT_BYPASS) != 0u) {
        return rgb;
    }
    let style = (op.flags & STYLE_MASK) >> STYLE_SHIFT;
    let lin = style == GRADING_TONE_STYLE_LIN_FWD || style == GRADING_TONE_STYLE_LIN_REV;
    let fwd = style == GRADING_TONE_STYLE_LOG_FWD || style == GRADING_TONE_STYLE_LIN_FWD
        || style == GRADING_TONE_STYLE_VIDEO_FWD;
    let sc = op.p[0].x != 0.0;
    var v = rgb;
    if (lin) {
        v = vec3<f32>(grading_lin_to_log(v.x), grading_lin_to_log(v.y), grading_lin_to_log(v.z));
    }
    if (fwd) {
        for (var z = 0u; z < 5u; z = z + 1u) {
            v = gt_zone(v, op.data, z, true);
        }
        if (sc) {
            v = vec3<f32>(gt_s_contrast(v.x, op, true), gt_s_contrast(v.y, op, true), gt_s_contrast(v.z, op, true));
        }
    } else {
        if (sc) {
            v = vec3<f32>(gt_s_contrast(v.x, op, false), gt_s_contrast(v.y, op, false), gt_s_contrast(v.z, op, false));
        }
        for (var z = 5u; z > 0u; z = z - 1u) {
            v = gt_zone(v, op.data, z - 1u, false);
        }
    }
    if (lin) {
        v = vec3<f32>(grading_log_to_lin(v.x), grading_log_to_lin(v.y), grading_log_to_lin(v.z));
    }
    return vec3<f32>(gt_clamp_max(v.x), gt_clamp_max(v.y), gt_clamp_max(v.z));
}

// exp2f, log2f and powf computed in f64: the twin, operation for operation,
// of engine/src/ops/mathf.rs (ported from Arm's optimized-routines
// exp2f.c, log2f.c and powf.c; see that file for the source, licence and
// what differs from the C). Used when the adapter has SHADER_F64; the CPU
// and the GPU then round the same doubles and agree to the bit.
// Keep in sync with mathf.rs: a test compares these tables with its own.

// 2^(i/32) (exp2f_data.c tab with i << 47 added back).
const EXP2_SCALE = array<f64, 32>(
    0x1.0000000000000p+0lf, 0x1.059b0d3158574p+0lf, 0x1.0b5586cf9890fp+0lf, 0x1.11301d0125b51p+0lf,
    0x1.172b83c7d517bp+0lf, 0x1.1d4873168b9aap+0lf, 0x1.2387a6e756238p+0lf, 0x1.29e9df51fdee1p+0lf,
    0x1.306fe0a31b715p+0lf, 0x1.371a7373aa9cbp+0lf, 0x1.3dea64c123422p+0lf, 0x1.44e086061892dp+0lf,
    0x1.4bfdad5362a27p+0lf, 0x1.5342b569d4f82p+0lf, 0x1.5ab07dd485429p+0lf, 0x1.6247eb03a5585p+0lf,
    0x1.6a09e667f3bcdp+0lf, 0x1.71f75e8ec5f74p+0lf, 0x1.7a11473eb0187p+0lf, 0x1.82589994cce13p+0lf,
    0x1.8ace5422aa0dbp+0lf, 0x1.93737b0cdc5e5p+0lf, 0x1.9c49182a3f090p+0lf, 0x1.a5503b23e255dp+0lf,
    0x1.ae89f995ad3adp+0lf, 0x1.b7f76f2fb5e47p+0lf, 0x1.c199bdd85529cp+0lf, 0x1.cb720dcef9069p+0lf,
    0x1.d5818dcfba487p+0lf, 0x1.dfc97337b9b5fp+0lf, 0x1.ea4afa2a490dap+0lf, 0x1.f50765b6e4540p+0lf,
);

// exp2f_data.c poly (N = 32).
const EXP2_C0 = 0x1.c6af84b912394p-5lf;
const EXP2_C1 = 0x1.ebfce50fac4f3p-3lf;
const EXP2_C2 = 0x1.62e42ff0c52d6p-1lf;

// log2f_data.c tab: 1/c and log2(c) of the 16 subintervals.
const LOG2_INVC = array<f64, 16>(
    0x1.661ec79f8f3bep+0lf, 0x1.571ed4aaf883dp+0lf, 0x1.49539f0f010bp+0lf, 0x1.3c995b0b80385p+0lf,
    0x1.30d190c8864a5p+0lf, 0x1.25e227b0b8eap+0lf, 0x1.1bb4a4a1a343fp+0lf, 0x1.12358f08ae5bap+0lf,
    0x1.0953f419900a7p+0lf, 0x1p+0lf, 0x1.e608cfd9a47acp-1lf, 0x1.ca4b31f026aap-1lf,
    0x1.b2036576afce6p-1lf, 0x1.9c2d163a1aa2dp-1lf, 0x1.886e6037841edp-1lf, 0x1.767dcf5534862p-1lf,
);
const LOG2_LOGC = array<f64, 16>(
    -0x1.efec65b963019p-2lf, -0x1.b0b6832d4fca4p-2lf, -0x1.7418b0a1fb77bp-2lf, -0x1.39de91a6dcf7bp-2lf,
    -0x1.01d9bf3f2b631p-2lf, -0x1.97c1d1b3b7afp-3lf, -0x1.2f9e393af3c9fp-3lf, -0x1.960cbbf788d5cp-4lf,
    -0x1.a6f9db6475fcep-5lf, 0x0p+0lf, 0x1.338ca9f24f53dp-4lf, 0x1.476a9543891bap-3lf,
    0x1.e840b4ac4e4d2p-3lf, 0x1.40645f0c6651cp-2lf, 0x1.88e9c2c1b9ff8p-2lf, 0x1.ce0a44eb17bccp-2lf,
);

// log2f_data.c poly.
const LOG2_A0 = -0x1.712b6f70a7e4dp-2lf;
const LOG2_A1 = 0x1.ecabf496832ep-2lf;
const LOG2_A2 = -0x1.715479ffae3dep-1lf;
const LOG2_A3 = 0x1.715475f35c8b8p0lf;

// powf_log2_data.c poly.
const POW_A0 = 0x1.27616c9496e0bp-2lf;
const POW_A1 = -0x1.71969a075c67ap-2lf;
const POW_A2 = 0x1.ec70a6ca7baddp-2lf;
const POW_A3 = -0x1.7154748bef6c8p-1lf;
const POW_A4 = 0x1.71547652ab82bp0lf;

// powf.c: above this y*log2(x), x^y overflows f32.
const POW_OVERFLOW = 0x1.fffffffd1d571p+6lf;

const LOG2_OFF: u32 = 0x3f330000u;
const F32_INF_BITS: u32 = 0x7f800000u;
const F32_NAN_BITS: u32 = 0x7fc00000u;

// 2^e for -151 <= e <= 128, exactly: two f32 powers of two, as f64.
fn pow2i(e: i32) -> f64 {
    let e1 = e >> 1u;
    let e2 = e - e1;
    let a = bitcast<f32>(u32(e1 + 127) << 23u);
    let b = bitcast<f32>(u32(e2 + 127) << 23u);
    return f64(a) * f64(b);
}

// 2^(k/32 + r) for |r| <= 1/64, rounded once to f32.
fn exp2_tail(k: i32, r: f64) -> f32 {
    let s = EXP2_SCALE[k & 31] * pow2i(k >> 5u);
    let z = EXP2_C0 * r + EXP2_C1;
    let r2 = r * r;
    var y = EXP2_C2 * r + 1.0lf;
    y = z * r2 + y;
    y = y * s;
    return f32(y);
}

fn exp2f(x: f32) -> f32 {
    let ix = bitcast<u32>(x);
    let abstop = (ix >> 20u) & 0x7ffu;
    if (abstop >= 0x430u) {
        if (ix == 0xff800000u) {
            return 0.0;
        }
        if (abstop >= 0x7f8u) {
            return x + x;
        }
        if (x > 0.0) {
            return bitcast<f32>(F32_INF_BITS);
        }
        if (x <= -150.0) {
            return 0.0;
        }
    }
    let k = i32(round(x * 32.0));
    let r = f64(x) - f64(k) * 0.03125lf;
    return exp2_tail(k, r);
}

fn log2f(x: f32) -> f32 {
    return log2_times(x, 1.0lf);
}

// lnf in mathf.rs: log2f's f64 value times ln 2, rounded once.
fn lnf(x: f32) -> f32 {
    return log2_times(x, 0.6931471805599453lf);
}

fn log2_times(x: f32, scale: f64) -> f32 {
    var ix = bitcast<u32>(x);
    if (ix == 0x3f800000u) {
        return 0.0;
    }
    if (ix - 0x00800000u >= 0x7f800000u - 0x00800000u) {
        if (ix * 2u == 0u) {
            return -bitcast<f32>(F32_INF_BITS);
        }
        if (ix == 0x7f800000u) {
            return x;
        }
        if (ix * 2u > 0xff000000u) {
            return x;
        }
        if ((ix & 0x80000000u) != 0u) {
            return bitcast<f32>(F32_NAN_BITS);
        }
        ix = bitcast<u32>(x * 8388608.0);
        ix = ix - (23u << 23u);
    }
    let tmp = ix - LOG2_OFF;
    let i = (tmp >> 19u) % 16u;
    let top = tmp & 0xff800000u;
    let iz = ix - top;
    let k = bitcast<i32>(tmp) >> 23u;
    let invc = LOG2_INVC[i];
    let logc = LOG2_LOGC[i];
    let z = f64(bitcast<f32>(iz));
    let r = z * invc - 1.0lf;
    let y0 = logc + f64(k);
    let r2 = r * r;
    var y = LOG2_A1 * r + LOG2_A2;
    y = LOG2_A0 * r2 + y;
    let p = LOG2_A3 * r + y0;
    y = y * r2 + p;
    return f32(y * scale);
}

fn pow_log2(ix: u32) -> f64 {
    let tmp = ix - LOG2_OFF;
    let i = (tmp >> 19u) % 16u;
    let top = tmp & 0xff800000u;
    let iz = ix - top;
    let k = bitcast<i32>(top) >> 23u;
    let invc = LOG2_INVC[i];
    let logc = LOG2_LOGC[i];
    let z = f64(bitcast<f32>(iz));
    let r = z * invc - 1.0lf;
    let y0 = logc + f64(k);
    let r2 = r * r;
    var y = POW_A0 * r + POW_A1;
    let p = POW_A2 * r + POW_A3;
    let r4 = r2 * r2;
    var q = POW_A4 * r + y0;
    q = p * r2 + q;
    y = y * r4 + q;
    return y;
}

fn pow_checkint(iy: u32) -> u32 {
    let e = (iy >> 23u) & 0xffu;
    if (e < 0x7fu) {
        return 0u;
    }
    if (e > 0x7fu + 23u) {
        return 2u;
    }
    let bit = 1u << (0x7fu + 23u - e);
    if ((iy & (bit - 1u)) != 0u) {
        return 0u;
    }
    if ((iy & bit) != 0u) {
        return 1u;
    }
    return 2u;
}

fn pow_zeroinfnan(i: u32) -> bool {
    return i * 2u - 1u >= 0xff000000u - 1u;
}

fn powf(x: f32, y: f32) -> f32 {
    var negate = false;
    var ix = bitcast<u32>(x);
    let iy = bitcast<u32>(y);
    if (ix - 0x00800000u >= 0x7f800000u - 0x00800000u || pow_zeroinfnan(iy)) {
        if (pow_zeroinfnan(iy)) {
            if (iy * 2u == 0u) {
                return 1.0;
            }
            if (ix == 0x3f800000u) {
                return 1.0;
            }
            if (ix * 2u > 0xff000000u || iy * 2u > 0xff000000u) {
                return x + y;
            }
            if (ix * 2u == 0x7f000000u) {
                return 1.0;
            }
            if ((ix * 2u < 0x7f000000u) == ((iy & 0x80000000u) == 0u)) {
                return 0.0;
            }
            return y * y;
        }
        if (pow_zeroinfnan(ix)) {
            if (ix * 2u > 0xff000000u) {
                return x + y;
            }
            let odd = (ix & 0x80000000u) != 0u && pow_checkint(iy) == 1u;
            let inf = ((iy & 0x80000000u) != 0u) == (ix * 2u == 0u);
            let v = select(0.0, bitcast<f32>(F32_INF_BITS), inf);
            return select(v, -v, odd);
        }
        if ((ix & 0x80000000u) != 0u) {
            let yint = pow_checkint(iy);
            if (yint == 0u) {
                return bitcast<f32>(F32_NAN_BITS);
            }
            negate = yint == 1u;
            ix = ix & 0x7fffffffu;
        }
        if (ix < 0x00800000u) {
            ix = bitcast<u32>(bitcast<f32>(ix) * 8388608.0);
            ix = ix - (23u << 23u);
        }
    }
    let ylogx = f64(y) * pow_log2(ix);
    var out: f32;
    if (abs(ylogx) >= 126.0lf && ylogx > POW_OVERFLOW) {
        out = bitcast<f32>(F32_INF_BITS);
    } else if (abs(ylogx) >= 126.0lf && ylogx <= -150.0lf) {
        out = 0.0;
    } else {
        let k = i32(round(ylogx * 32.0lf));
        let r = ylogx - f64(k) * 0.03125lf;
        out = exp2_tail(k, r);
    }
    return select(out, -out, negate);
}

// f32_add, f32_sub, f32_mul, f32_div: one f32 operation done in f64 and
// rounded to f32, which is the IEEE f32 result (exact or rounded once in
// f64, and rounding that to f32 again is the same as rounding once:
// 53 >= 2 * 24 + 2). A compiler may turn a division by a constant into a
// multiply by a rounded reciprocal, fuse a multiply and an add, or
// reassociate a sum with constants; through f64 and back it cannot.
//
// atan2f: the twin of mathf.rs's atanf and atan2f (fdlibm's float
// algorithm, as glibc's atan2f), each f32 operation of the C through
// those.
const ATAN_HI_BITS = array<u32, 4>(0x3eed6338u, 0x3f490fdau, 0x3f7b985eu, 0x3fc90fdau);
const ATAN_LO_BITS = array<u32, 4>(0x31ac3769u, 0x33222168u, 0x33140fb4u, 0x33a22168u);
const ATAN_T_BITS = array<u32, 11>(
    0x3eaaaaabu, 0xbe4ccccdu, 0x3e124925u, 0xbde38e38u, 0x3dba2e6eu, 0xbd9d8795u,
    0x3d886b35u, 0xbd6ef16bu, 0x3d4bda59u, 0xbd15a221u, 0x3c8569d7u,
);
const ATAN2_PI_BITS = 0x40490fdbu;
const ATAN2_PI_LO_BITS = 0xb3bbbd2eu;
const ATAN2_PI_2_BITS = 0x3fc90fdbu;
const ATAN2_PI_4_BITS = 0x3f490fdbu;

fn f32_add(a: f32, b: f32) -> f32 {
    return f32(f64(a) + f64(b));
}

fn f32_sub(a: f32, b: f32) -> f32 {
    return f32(f64(a) - f64(b));
}

fn f32_mul(a: f32, b: f32) -> f32 {
    return f32(f64(a) * f64(b));
}

fn f32_div(a: f32, b: f32) -> f32 {
    return f32(f64(a) / f64(b));
}

fn atan_t(i: i32) -> f32 {
    return bitcast<f32>(ATAN_T_BITS[i]);
}

fn atanf(x_in: f32) -> f32 {
    let hx = bitcast<i32>(x_in);
    let ix = hx & 0x7fffffff;
    if (ix >= 0x4c000000) {
        if (ix > 0x7f800000) {
            return x_in + x_in;
        }
        let big = f32_add(bitcast<f32>(ATAN_HI_BITS[3]), bitcast<f32>(ATAN_LO_BITS[3]));
        return select(-big, big, hx > 0);
    }
    var x = x_in;
    var id = -1;
    if (ix < 0x3ee00000) {
        if (ix < 0x31000000) {
            return x_in;
        }
    } else {
        x = abs(x_in);
        if (ix < 0x3f980000) {
            if (ix < 0x3f300000) {
                id = 0;
                x = f32_div(f32_sub(f32_mul(2.0, x), 1.0), f32_add(2.0, x));
            } else {
                id = 1;
                x = f32_div(f32_sub(x, 1.0), f32_add(x, 1.0));
            }
        } else if (ix < 0x401c0000) {
            id = 2;
            x = f32_div(f32_sub(x, 1.5), f32_add(1.0, f32_mul(1.5, x)));
        } else {
            id = 3;
            x = f32_div(-1.0, x);
        }
    }
    let z = f32_mul(x, x);
    let w = f32_mul(z, z);
    var s1 = f32_add(atan_t(8), f32_mul(w, atan_t(10)));
    s1 = f32_add(atan_t(6), f32_mul(w, s1));
    s1 = f32_add(atan_t(4), f32_mul(w, s1));
    s1 = f32_add(atan_t(2), f32_mul(w, s1));
    s1 = f32_mul(z, f32_add(atan_t(0), f32_mul(w, s1)));
    var s2 = f32_add(atan_t(7), f32_mul(w, atan_t(9)));
    s2 = f32_add(atan_t(5), f32_mul(w, s2));
    s2 = f32_add(atan_t(3), f32_mul(w, s2));
    s2 = f32_mul(w, f32_add(atan_t(1), f32_mul(w, s2)));
    let s = f32_add(s1, s2);
    if (id < 0) {
        return f32_sub(x, f32_mul(x, s));
    }
    let hi = bitcast<f32>(ATAN_HI_BITS[id]);
    let lo = bitcast<f32>(ATAN_LO_BITS[id]);
    let r = f32_sub(hi, f32_sub(f32_sub(f32_mul(x, s), lo), x));
    return select(r, -r, hx < 0);
}

fn atan2f(y: f32, x: f32) -> f32 {
    let hx = bitcast<i32>(x);
    let hy = bitcast<i32>(y);
    let ix = hx & 0x7fffffff;
    let iy = hy & 0x7fffffff;
    if (ix > 0x7f800000 || iy > 0x7f800000) {
        return x + y;
    }
    if (hx == 0x3f800000) {
        return atanf(y);
    }
    let pi = bitcast<f32>(ATAN2_PI_BITS);
    let pi_lo = bitcast<f32>(ATAN2_PI_LO_BITS);
    let pi_2 = bitcast<f32>(ATAN2_PI_2_BITS);
    let pi_4 = bitcast<f32>(ATAN2_PI_4_BITS);
    let m = ((hy >> 31u) & 1) | ((hx >> 30u) & 2);
    if (iy == 0) {
        if (m < 2) {
            return y;
        }
        return select(-pi, pi, m == 2);
    }
    if (ix == 0) {
        return select(pi_2, -pi_2, hy < 0);
    }
    if (ix == 0x7f800000) {
        if (iy == 0x7f800000) {
            let three = f32_mul(3.0, pi_4);
            switch (m) {
                case 0: { return pi_4; }
                case 1: { return -pi_4; }
                case 2: { return three; }
                default: { return -three; }
            }
        }
        switch (m) {
            case 0: { return 0.0; }
            case 1: { return -0.0; }
            case 2: { return pi; }
            default: { return -pi; }
        }
    }
    if (iy == 0x7f800000) {
        return select(pi_2, -pi_2, hy < 0);
    }
    let k = (iy - ix) >> 23u;
    var z: f32;
    if (k > 60) {
        z = f32_add(pi_2, f32_mul(0.5, pi_lo));
    } else if (hx < 0 && k < -60) {
        z = 0.0;
    } else {
        z = atanf(abs(f32_div(y, x)));
    }
    switch (m) {
        case 0: { return z; }
        case 1: { return -z; }
        case 2: { return f32_sub(pi, f32_sub(z, pi_lo)); }
        default: { return f32_sub(f32_sub(z, pi_lo), pi); }
    }
}

// The cosine and sine of a float angle for the ACES 2.0 op: the twin of
// engine/src/ops/aces2/libm.rs's cos_sin (glibc's sincosf: a reduction by
// pi/2 and two polynomials in f64, rounded once to f32), for |x| < 120.
fn aces2_sincos_poly(x: f64, x2: f64, neg: bool, n: i32) -> vec2<f32> {
    let k = select(1.0lf, -1.0lf, neg);
    let c0 = k * 1.0lf;
    let c1 = k * -0.49999999725108224lf;
    let c2 = k * 0.041666623324344516lf;
    let c3 = k * -0.001388676379437604lf;
    let c4 = k * 2.4390450703564542e-05lf;
    let x4 = x2 * x2;
    let x3 = x2 * x;
    let cc2 = c3 + x2 * c4;
    let s1 = 0.008332178146138854lf + x2 * -0.00019517298981385725lf;
    let cc1 = c0 + x2 * c1;
    let x5 = x3 * x2;
    let x6 = x4 * x2;
    let s = x + x3 * -0.16666654943701084lf;
    let cc = cc1 + x4 * c2;
    let sn = f32(s + x5 * s1);
    let cs = f32(cc + x6 * cc2);
    return select(vec2<f32>(cs, sn), vec2<f32>(sn, cs), (n & 1) != 0);
}

fn aces2_cos_sin_impl(y: f32) -> vec2<f32> {
    let x = f64(y);
    let top = (bitcast<u32>(y) >> 20u) & 0x7ffu;
    if (top < 0x3f4u) {
        if (top < 0x398u) {
            return vec2<f32>(1.0, y);
        }
        return aces2_sincos_poly(x, x * x, false, 0);
    }
    if (top >= 0x42fu) {
        let nan = bitcast<f32>(0x7fc00000u);
        return vec2<f32>(nan, nan);
    }
    let r = x * 10680707.430881744lf;
    let n = (i32(r) + 0x800000) >> 24u;
    let xr = x - f64(n) * 1.5707963267948966lf;
    let s = select(1.0lf, -1.0lf, (n & 3) == 1 || (n & 3) == 2);
    return aces2_sincos_poly(xr * s, xr * xr, (n & 2) != 0, n);
}

// e_logf_data.c: log(c) (the 1/c are LOG2_INVC), ln 2 and the polynomial.
const ACES2_LOGF_LOGC = array<f64, 16>(
    -0x1.57bf7808caadep-2lf,
    -0x1.2bef0a7c06ddbp-2lf,
    -0x1.01eae7f513a67p-2lf,
    -0x1.b31d8a68224e9p-3lf,
    -0x1.6574f0ac07758p-3lf,
    -0x1.1aa2bc79c81p-3lf,
    -0x1.a4e76ce8c0e5ep-4lf,
    -0x1.1973c5a611cccp-4lf,
    -0x1.252f438e10c1ep-5lf,
    0x0p+0lf,
    0x1.aa5aa5df25984p-5lf,
    0x1.c5e53aa362eb4p-4lf,
    0x1.526e57720db08p-3lf,
    0x1.bc2860d22477p-3lf,
    0x1.1058bc8a07ee1p-2lf,
    0x1.4043057b6ee09p-2lf,
);
const ACES2_LOGF_LN2 = 0x1.62e42fefa39efp-1lf;
const ACES2_LOGF_A0 = -0x1.00ea348b88334p-2lf;
const ACES2_LOGF_A1 = 0x1.5575b0be00b6ap-2lf;
const ACES2_LOGF_A2 = -0x1.ffffef20a4123p-2lf;

// Arm's logf for a positive normal float: libm.rs's logf.
fn aces2_logf(x: f32) -> f32 {
    let ix = bitcast<u32>(x);
    if (ix == 0x3f800000u) {
        return 0.0;
    }
    let tmp = ix - 0x3f330000u;
    let i = (tmp >> 19u) % 16u;
    let k = bitcast<i32>(tmp) >> 23u;
    let iz = ix - (tmp & 0xff800000u);
    let z = f64(bitcast<f32>(iz));
    let r = z * LOG2_INVC[i] - 1.0lf;
    let y0 = ACES2_LOGF_LOGC[i] + f64(k) * ACES2_LOGF_LN2;
    let r2 = r * r;
    var y = ACES2_LOGF_A1 * r + ACES2_LOGF_A2;
    y = ACES2_LOGF_A0 * r2 + y;
    y = y * r2 + (y0 + r);
    return f32(y);
}

// fdlibm's float log10f around aces2_logf: libm.rs's log10f.
fn aces2_log10f_impl(x_in: f32) -> f32 {
    var x = x_in;
    var hx = bitcast<i32>(x);
    var k = 0;
    if (hx < 0x00800000) {
        if ((hx & 0x7fffffff) == 0) {
            return bitcast<f32>(0xff800000u);
        }
        if (hx < 0) {
            return bitcast<f32>(F32_NAN_BITS);
        }
        k = k - 25;
        x = x * bitcast<f32>(0x4c000000u);
        hx = bitcast<i32>(x);
    }
    if (hx >= 0x7f800000) {
        return x + x;
    }
    k = k + (hx >> 23u) - 127;
    let i = select(0, 1, k < 0);
    let m = (hx & 0x007fffff) | ((0x7f - i) << 23u);
    let y = f32(k + i);
    let z = y * bitcast<f32>(0x355427dbu) + bitcast<f32>(0x3ede5bd9u) * aces2_logf(bitcast<f32>(m));
    return z + y * bitcast<f32>(0x3e9a2080u);
}


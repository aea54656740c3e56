use super::*;

/// Every sign and exponent, 2048 mantissas each (the first, the last and
/// a spread between), then the special values.
fn sweep() -> Vec<f32> {
    let mut v = Vec::new();
    for sign in [0u32, 0x8000_0000] {
        for e in 0..=255u32 {
            for m in (0..0x0080_0000u32).step_by(4099).chain([1, 0x007f_ffff]) {
                v.push(f32::from_bits(sign | e << 23 | m));
            }
        }
    }
    v.extend([
        0.0,
        -0.0,
        1.0,
        -1.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        -f32::NAN,
        f32::MIN_POSITIVE,
        f32::MAX,
        128.0,
        -150.0,
        -149.99,
        127.99,
    ]);
    v
}

/// `lanes` over `input` (in slices of awkward lengths, so the scalar tails
/// run too) gives `scalar`'s bits on every value.
fn same_bits(name: &str, input: &[f32], lanes: impl Fn(&mut [f32]), scalar: impl Fn(f32) -> f32) {
    let mut got = input.to_vec();
    let mut start = 0;
    for len in [1usize, 7, 4, 513, 3, 1000].iter().cycle() {
        if start >= got.len() {
            break;
        }
        let end = (start + len).min(got.len());
        lanes(&mut got[start..end]);
        start = end;
    }
    for (x, g) in input.iter().zip(&got) {
        let want = scalar(*x);
        assert_eq!(
            g.to_bits(),
            want.to_bits(),
            "{name}({x:e}): {g:e}, scalar {want:e}"
        );
    }
}

#[test]
fn exp2f_each_gives_the_scalar_bits() {
    let mut input = sweep();
    // Dense over the range where the result is neither 0 nor inf.
    input.extend((0..2_000_000).map(|i| (-151.0 + 280.0 * i as f64 / 2e6) as f32));
    same_bits("exp2f", &input, exp2f_each, exp2f);
}

#[test]
fn log2f_each_gives_the_scalar_bits() {
    let mut input = sweep();
    // Every f32 in [0.5, 2), where the table's subintervals change.
    input.extend(
        (0.5f32.to_bits()..2.0f32.to_bits())
            .step_by(7)
            .map(f32::from_bits),
    );
    same_bits("log2f", &input, log2f_each, log2f);
}

#[test]
fn powf_each_gives_the_scalar_bits() {
    let input = sweep();
    for y in [
        1.0 / 2.4,
        2.4,
        1.0 / 2.2,
        2.2,
        0.9811 - 1.0,
        1.0192641 - 1.0,
        1.0,
        -1.0,
        0.5,
        3.0,
        -2.5,
        8.0,
        40.0,
        -40.0,
        1e-3,
        0.0,
        f32::INFINITY,
        f32::NAN,
    ] {
        same_bits(
            &format!("powf(x, {y})"),
            &input,
            |v| powf_each(v, y),
            |x| powf(x, y),
        );
    }
}

#[test]
fn atan2f_each_gives_the_scalar_bits() {
    let s = sweep();
    // Each value against a spread of others, in every quadrant.
    let mut xs: Vec<f32> = s.iter().step_by(s.len() / 24).copied().collect();
    xs.extend([
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        1e-40,
        f32::INFINITY,
        -f32::INFINITY,
        f32::NAN,
    ]);
    for &x in &xs {
        let mut y = s.clone();
        let x_all = vec![x; y.len()];
        atan2f_each(&mut y, &x_all);
        for (a, got) in s.iter().zip(&y) {
            let want = atan2f(*a, x);
            assert_eq!(got.to_bits(), want.to_bits(), "atan2f({a:e}, {x:e})");
        }
        // And swapped, with the slice as x.
        let mut y = vec![x; s.len()];
        atan2f_each(&mut y[..s.len() - 3], &s);
        for (b, got) in s.iter().zip(&y[..s.len() - 3]) {
            let want = atan2f(x, *b);
            assert_eq!(got.to_bits(), want.to_bits(), "atan2f({x:e}, {b:e})");
        }
    }
}

//! The delay distribution tables iproute2 installs for netem (`/usr/lib/x86_64-linux-gnu/tc/
//! {normal,pareto,paretonormal}.dist`), computed as iproute2's generators (`netem/normal.c`,
//! `netem/pareto.c`, `netem/paretonormal.c`) compute them at build time: 4096 values scaled by
//! `NETEM_DIST_SCALE` (8192), the inverse cumulative distribution sampled at even steps. `tc`
//! reads the file and sends the table in `TCA_NETEM_DELAY_DIST`; the kernel's `tabledist` picks
//! one entry per packet.
//!
//! Written from the generators' arithmetic (not a copy of the files); `erf` is the `libm` crate's
//! (the fdlibm algorithm glibc's also uses), `pow` the platform's. A test compares the tables
//! with fingerprints of the files iproute2 6.1 installed.
//! (`experimental.dist` comes from measured data through `maketable` and is not reproduced.)

/// `NETEM_DIST_SCALE`.
pub const NETEM_DIST_SCALE: i64 = 8192;
/// `TABLESIZE` of the generators.
const TABLESIZE: usize = 16384;

/// C's `rint` in the default rounding mode (ties to even).
fn rint(v: f64) -> f64 {
    v.round_ties_even()
}

/// The generators' `normal()`: the standard normal cumulative distribution.
fn normal_cdf(x: f64) -> f64 {
    0.5 + 0.5 * libm::erf(x / std::f64::consts::SQRT_2)
}

/// The inverse CDF sampled the generators' way: `x` walks from -10 in steps of 0.00005 and
/// each `table[rint(TABLESIZE * cdf(x))]` keeps the last `x` that lands there.
fn normal_inverse() -> Vec<f64> {
    let mut table = vec![0.0; TABLESIZE + 1];
    let mut x = -10.0f64;
    while x < 10.05 {
        let i = rint(TABLESIZE as f64 * normal_cdf(x)) as usize;
        table[i] = x;
        x += 0.00005;
    }
    table
}

/// `pareto.c`'s value for `i` in (0, 65536]: shape 3, mean moved to 0, scaled.
fn pareto_value(i: i32) -> i32 {
    let mut d = i as f64 / 65536.0;
    d = 1.0 / d.powf(1.0 / 3.0);
    d -= 1.5;
    d *= (4.0 / 3.0) * NETEM_DIST_SCALE as f64;
    if d > 32767.0 {
        d = 32767.0;
    }
    rint(d) as i32
}

/// `normal.dist` (values clamped to the s16 range, as the file has them).
pub fn normal() -> Vec<i16> {
    let t = normal_inverse();
    (0..TABLESIZE)
        .step_by(4)
        .map(|i| {
            let v = rint(t[i] * NETEM_DIST_SCALE as f64) as i64;
            v.clamp(i16::MIN as i64, i16::MAX as i64) as i16
        })
        .collect()
}

/// `pareto.dist`.
pub fn pareto() -> Vec<i16> {
    (0..4096)
        .map(|n| pareto_value(65536 - 16 * n) as i16)
        .collect()
}

/// `paretonormal.dist`: `(normal + 3 * pareto) / 4` (C's truncating division).
pub fn paretonormal() -> Vec<i16> {
    let t = normal_inverse();
    (0..TABLESIZE)
        .step_by(4)
        .map(|i| {
            let nv = rint(t[i] * NETEM_DIST_SCALE as f64) as i32;
            let pv = pareto_value(65536 - 4 * i as i32);
            ((nv + 3 * pv) / 4) as i16
        })
        .collect()
}

/// The table installed as `NAME.dist`, if iproute2 installs one that is modelled.
pub fn installed(name: &str) -> Option<Vec<i16>> {
    match name {
        "normal" => Some(normal()),
        "pareto" => Some(pareto()),
        "paretonormal" => Some(paretonormal()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fingerprint of a table as the file lists it: `s = s * 31 + (v as u16)` over the values.
    fn fingerprint(t: &[i16]) -> u64 {
        t.iter().fold(0u64, |s, &v| {
            s.wrapping_mul(31).wrapping_add(v as u16 as u64)
        })
    }

    /// The fingerprints, lengths and sample values of the files iproute2 6.1 (Debian
    /// 6.1.0-3) installed in /usr/lib/x86_64-linux-gnu/tc/.
    #[test]
    fn tables_equal_the_files_iproute2_installs() {
        let n = normal();
        assert_eq!(n.len(), 4096);
        assert_eq!(&n[..3], &[-32768, -28307, -26871]);
        assert_eq!(&n[2047..2050], &[-5, 0, 5]);
        assert_eq!(&n[4093..], &[26164, 27159, 28858]);
        assert_eq!(fingerprint(&n), 2071521600762034715);
        let p = pareto();
        assert_eq!(&p[..3], &[-5461, -5460, -5460]);
        assert_eq!(&p[4093..], &[32767, 32767, 32767]);
        assert_eq!(fingerprint(&p), 14602668283420784132);
        let pn = paretonormal();
        assert_eq!(&pn[..3], &[-12305, -11171, -10812]);
        assert_eq!(&pn[4093..], &[31116, 31365, 31789]);
        assert_eq!(fingerprint(&pn), 627196761968770208);
        assert!(installed("experimental").is_none());
    }
}

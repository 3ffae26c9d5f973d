// A benchmark measures wall time by design; the model itself never reads the clock.
#![allow(clippy::disallowed_methods)]
//! Engine benchmark: a flat L2 topology (one bridge `br0` in the root namespace, N namespaces
//! each with one veth port on it), built through `tools::run` with `ip` argv as a user would.
//!
//! * `hop/N`: every namespace i pings namespace (i+1)%N once (`ping -c 1`); the simulation runs
//!   until every ping has exited. Throughput is frame hops (`dev_queue_xmit` transmissions, the
//!   sum of `tx_packets` over all devices), so criterion reports hops/s.
//! * memory: resident-set growth (`/proc/self/statm`) while building N idle namespaces, printed
//!   as bytes per namespace.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use sim_models::kernel::Kernel;
use std::hint::black_box;
use std::time::Duration;

fn build(n: usize) -> Kernel {
    common::w1_build(n)
}

/// Starts the N pings and runs the simulation until all have exited; returns the frame hops.
fn ping_all(k: &mut Kernel, n: usize) -> u64 {
    common::ping_all(k, n, |i| common::w1_ping(i, n))
}

fn rss_bytes() -> usize {
    let s = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = s
        .split_whitespace()
        .nth(1)
        .and_then(|x| x.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

fn memory(_c: &mut Criterion) {
    for n in [1000usize, 10_000] {
        let before = rss_bytes();
        let k = build(n);
        let after = rss_bytes();
        let per = after.saturating_sub(before) as f64 / n as f64;
        println!(
            "memory: N={n} idle namespaces: RSS +{} KiB, {per:.0} bytes per namespace",
            after.saturating_sub(before) / 1024
        );
        drop(black_box(k));
    }
}

fn hop(c: &mut Criterion) {
    let mut g = c.benchmark_group("hop");
    for n in [10usize, 100, 1000] {
        let hops = ping_all(&mut build(n), n);
        println!("hop/{n}: {hops} frame hops per run");
        g.throughput(Throughput::Elements(hops));
        if n >= 1000 {
            g.sample_size(10)
                .sampling_mode(SamplingMode::Flat)
                .warm_up_time(Duration::from_millis(100))
                .measurement_time(Duration::from_secs(5));
        } else {
            g.sample_size(20)
                .warm_up_time(Duration::from_millis(500))
                .measurement_time(Duration::from_secs(2));
        }
        common::bench_pings(&mut g, n, hops, build, ping_all);
    }
    g.finish();
}

/// N=10000: one run takes minutes (ARP flooding over a 10000-port bridge is ~10^8 hops), far
/// beyond criterion's minimum of 10 samples, so it is timed once, outside criterion, and only
/// when `NSLAB_BENCH_10K=1` is set.
fn hop_10k(_c: &mut Criterion) {
    let n = 10_000;
    if std::env::var_os("NSLAB_BENCH_10K").is_none() {
        println!("hop/{n}: skipped (set NSLAB_BENCH_10K=1; one run takes ~3 minutes)");
        return;
    }
    let t = std::time::Instant::now();
    let mut k = build(n);
    let built = t.elapsed();
    let t = std::time::Instant::now();
    let hops = ping_all(&mut k, n);
    let ran = t.elapsed();
    println!(
        "hop/{n} (single run): setup {built:?}, pings {ran:?}, {hops} frame hops, {:.3} us/hop, {:.3} Melem/s",
        ran.as_secs_f64() * 1e6 / hops as f64,
        hops as f64 / ran.as_secs_f64() / 1e6
    );
}

criterion_group!(benches, memory, hop, hop_10k);
criterion_main!(benches);

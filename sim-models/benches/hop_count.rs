// A benchmark driver measures wall time by design; the model itself never reads the clock.
#![allow(clippy::disallowed_methods)]
//! A fixed amount of `hop/N` work for instruction counting (criterion's sample counts depend
//! on timing, so its runs cannot be compared by instructions): builds the engine benchmark's
//! topology and runs its pings `NSLAB_HOP_K` times (default 10) for `NSLAB_HOP_N` namespaces
//! (default 10), then prints the hops. Run under callgrind or `perf stat`:
//!
//! `valgrind --tool=callgrind target/release/deps/hop_count-* --bench`
//!
//! and subtract a run with `NSLAB_HOP_NOPING=1` (the K builds alone) to get the instructions of
//! the pings.

mod common;

use sim_models::kernel::Kernel;

fn build(n: usize) -> Kernel {
    common::w1_build(n)
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let n = env("NSLAB_HOP_N", 10);
    let runs = env("NSLAB_HOP_K", 10);
    let mut kernels: Vec<Kernel> = (0..runs).map(|_| build(n)).collect();
    let mut hops = 0;
    let t = std::time::Instant::now();
    let ping = std::env::var_os("NSLAB_HOP_NOPING").is_none();
    for k in kernels.iter_mut().filter(|_| ping) {
        hops += common::ping_all(k, n, |i| common::w1_ping(i, n));
    }
    let el = t.elapsed();
    println!(
        "hop_count: N={n} runs={runs} hops={hops} time={el:?} ({:.3} us/hop)",
        el.as_secs_f64() * 1e6 / hops.max(1) as f64
    );
}

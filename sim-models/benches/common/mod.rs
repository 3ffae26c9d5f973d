//! Setup and measurement shared by the benchmarks (`mod common;` in each): running `ip`-style
//! argv against a [`Kernel`], a kernel with capture and drop recording off, "every namespace
//! pings its successor once" and the criterion loop around it.

use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup};
use sim_models::kernel::{Kernel, NsId, Pid, ROOT_NS};
use sim_models::tools::{self, Exec};

/// Runs argv in `ns`, following `ip netns exec`; panics on a failing or unknown command.
pub fn run(k: &mut Kernel, ns: NsId, argv: Vec<String>) -> Option<Pid> {
    match tools::run(k, ns, &argv) {
        Exec::Done(o) => {
            assert_eq!(o.status, 0, "{argv:?}: {}", o.stderr);
            None
        }
        Exec::Spawned(pid) => Some(pid),
        Exec::InNetns(ns, inner) => run(k, ns, inner),
        Exec::Unknown => panic!("unknown program: {argv:?}"),
    }
}

/// Runs a whitespace-separated command line in the root namespace.
pub fn sh(k: &mut Kernel, cmd: &str) -> Option<Pid> {
    run(
        k,
        ROOT_NS,
        cmd.split_whitespace().map(String::from).collect(),
    )
}

/// A kernel seeded 1 with packet capture and drop recording off (they are not what is measured).
pub fn quiet_kernel() -> Kernel {
    let mut k = Kernel::new(1);
    k.capture.enabled = false;
    k.record_drops = false;
    k
}

/// Starts `ping(i)` for every i in 0..n (each a `ping -c 1` command line) and runs the
/// simulation until all have exited; asserts every ping succeeded and returns the frame hops
/// (the sum of `tx_packets` over all devices).
pub fn ping_all(k: &mut Kernel, n: usize, ping: impl Fn(usize) -> String) -> u64 {
    let pids: Vec<Pid> = (0..n)
        .map(|i| sh(k, &ping(i)).expect("ping spawns"))
        .collect();
    let mut next = 0;
    while next < pids.len() {
        if k.proc_exited(pids[next]).is_some() {
            next += 1;
        } else if !k.step() {
            break;
        }
    }
    for &p in &pids {
        assert_eq!(k.proc_exited(p), Some(0), "ping {p} did not succeed");
    }
    k.devs.iter().flatten().map(|d| d.stats.tx_packets).sum()
}

/// Benchmarks `n` in group `g`: each iteration builds a fresh topology (untimed) and times
/// `ping_all` on it, checking it makes the same `hops` as the reference run.
pub fn bench_pings(
    g: &mut BenchmarkGroup<'_, WallTime>,
    n: usize,
    hops: u64,
    build: impl Fn(usize) -> Kernel,
    ping_all: impl Fn(&mut Kernel, usize) -> u64,
) {
    g.bench_function(format!("{n}"), |b| {
        b.iter_batched(
            || build(n),
            |mut k| {
                let h = ping_all(&mut k, n);
                assert_eq!(h, hops);
                k
            },
            BatchSize::PerIteration,
        )
    });
}

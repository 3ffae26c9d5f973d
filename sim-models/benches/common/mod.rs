//! Setup and measurement shared by the benchmarks (`mod common;` in each, and in the root
//! package's `benches/scale.rs` by path): running `ip`-style argv against a [`Kernel`], a kernel
//! with capture and drop recording off, W1's topology (N pods on one bridge) as command lines,
//! "every namespace pings its successor once" and the criterion loop around it.

// Each bench uses part of it.
#![allow(dead_code)]

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

/// Splits a command line into words, with double quotes as the shell reads them (the engine
/// path has no shell; W4's comments have spaces).
pub fn words(line: &str) -> Vec<String> {
    let (mut v, mut cur, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    for c in line.chars() {
        match c {
            '"' => (quoted, any) = (!quoted, true),
            c if c.is_whitespace() && !quoted => {
                if any {
                    v.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        v.push(cur);
    }
    v
}

/// Runs a command line (words as [`words`] splits them) in the root namespace.
pub fn sh(k: &mut Kernel, cmd: &str) -> Option<Pid> {
    run(k, ROOT_NS, words(cmd))
}

/// The one ARP table of every namespace holds gc_thresh3 (1024) entries by default: cold W1
/// from 512 pods on (two entries per ping) would overflow it, as on the kernel. The workloads
/// raise the thresholds first, as a node running thousands of pods does.
pub fn gc_thresh_setup() -> Vec<String> {
    [(1, 1 << 20), (2, 1 << 21), (3, 1 << 22)]
        .iter()
        .map(|(i, v)| format!("sysctl -qw net.ipv4.neigh.default.gc_thresh{i}={v}"))
        .collect()
}

/// W1's pod `i`'s address: 10.0.0.0/8, host `i + 1`.
pub fn w1_addr(i: usize) -> std::net::Ipv4Addr {
    std::net::Ipv4Addr::from(0x0a00_0000 | (i as u32 + 1))
}

/// W1's setup (BENCHMARKS.md): bridge `br0` in the initial namespace, pods `ns0..ns{n-1}`,
/// each `eth0` (10.0.0.0/8 host I+1) veth-paired to port `vethI` of `br0`.
pub fn w1_setup(n: usize) -> Vec<String> {
    let mut setup = gc_thresh_setup();
    setup.extend([
        "ip link add br0 type bridge".to_string(),
        "ip link set br0 up".to_string(),
    ]);
    for i in 0..n {
        setup.push(format!("ip netns add ns{i}"));
        setup.push(format!(
            "ip link add veth{i} type veth peer name eth0 netns ns{i}"
        ));
        setup.push(format!("ip link set veth{i} master br0 up"));
        setup.push(format!(
            "ip netns exec ns{i} ip addr add {}/8 dev eth0",
            w1_addr(i)
        ));
        setup.push(format!("ip netns exec ns{i} ip link set eth0 up"));
    }
    setup
}

/// W1's traffic: pod `i` pings pod `(i + 1) mod n` once.
pub fn w1_ping(i: usize, n: usize) -> String {
    format!("ip netns exec ns{i} ping -c 1 {}", w1_addr((i + 1) % n))
}

/// W1's topology on a [`quiet_kernel`].
pub fn w1_build(n: usize) -> Kernel {
    let mut k = quiet_kernel();
    for l in w1_setup(n) {
        sh(&mut k, &l);
    }
    k
}

/// A kernel seeded 1 with packet capture and drop recording off (they are not what is measured).
pub fn quiet_kernel() -> Kernel {
    let mut k = Kernel::new(1);
    k.capture.set_enabled(false);
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

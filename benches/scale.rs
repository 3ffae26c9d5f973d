// A benchmark measures wall time by design; the model itself never reads the clock.
#![allow(clippy::disallowed_methods)]
//! Scale benchmarks (issue 16): each workload through the engine API (`tools::run` on a
//! `Kernel`, capture off) and as the lab script a user writes, run as `nslab run` runs it
//! (`Lab::new` + `Lab::run_shell`, capture on as `nslab run` has it). The script and the engine
//! run the same command lines; see BENCHMARKS.md for the workloads and how to read the figures.
//!
//! * `w1/{engine,script}-{cold,warm}/N`: N pods on one bridge, each pings the next once
//!   (`ping -c 1`, all at once; the script starts them as background jobs and `wait`s). Cold:
//!   from nothing (ARP floods); warm: after one untimed round (neighbours and fdb learned).
//! * `w2/{engine,script}/HxP`: H hosts on an underlay bridge, P pods behind each host's `cni0`,
//!   host-gw routes; every pod pings the pod of the same index on the next host, warm.
//! * `setup/{engine,script}/N`: N × (`ip netns add` + a veth into it from the root namespace).
//!
//! Sizes marked big (W1 10 000, W2 100×100, setup 100 000) run only with `NSLAB_BENCH_BIG=1`,
//! and once each outside criterion (which needs at least 10 samples): their setup and run
//! times are printed. `NSLAB_BENCH_ONLY=TEXT` picks the big runs whose name contains TEXT.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, SamplingMode};
use nslab::lab::Lab;
use sim_models::kernel::{Kernel, NsId, Pid, ROOT_NS};
use sim_models::tools::{self, Exec};
use std::time::Duration;

fn big() -> bool {
    std::env::var_os("NSLAB_BENCH_BIG").is_some()
}

/// Times `setup` then `run` once and prints both (a big size), if `NSLAB_BENCH_ONLY` (a
/// substring) is unset or found in `name`.
fn once<T>(name: &str, setup: impl FnOnce() -> T, run: impl FnOnce(&mut T)) {
    if std::env::var("NSLAB_BENCH_ONLY").is_ok_and(|o| !name.contains(&o)) {
        return;
    }
    let t = std::time::Instant::now();
    let mut x = setup();
    let built = t.elapsed();
    let t = std::time::Instant::now();
    run(&mut x);
    let ran = t.elapsed();
    println!("{name} (single run): setup {built:.3?}, run {ran:.3?}");
    drop(x);
}

/// A workload: setup lines, then ping lines (run all at once), run `rounds` times (the first
/// `rounds - 1` untimed: warm-up).
struct Workload {
    setup: Vec<String>,
    pings: Vec<String>,
}

fn w1(n: usize) -> Workload {
    let addr = |i: usize| {
        let a = 0x0a00_0000u32 | (i as u32 + 1);
        std::net::Ipv4Addr::from(a)
    };
    let mut setup = vec![
        "ip link add br0 type bridge".to_string(),
        "ip link set br0 up".to_string(),
    ];
    for i in 0..n {
        setup.push(format!("ip netns add ns{i}"));
        setup.push(format!(
            "ip link add veth{i} type veth peer name eth0 netns ns{i}"
        ));
        setup.push(format!("ip link set veth{i} master br0 up"));
        setup.push(format!(
            "ip netns exec ns{i} ip addr add {}/8 dev eth0",
            addr(i)
        ));
        setup.push(format!("ip netns exec ns{i} ip link set eth0 up"));
    }
    let pings = (0..n)
        .map(|i| format!("ip netns exec ns{i} ping -c 1 {}", addr((i + 1) % n)))
        .collect();
    Workload { setup, pings }
}

fn w2(hosts: usize, pods: usize) -> Workload {
    let mut setup = vec![
        "ip link add ul type bridge".to_string(),
        "ip link set ul up".to_string(),
    ];
    for h in 0..hosts {
        let x = |c: &str| format!("ip netns exec h{h} {c}");
        setup.push(format!("ip netns add h{h}"));
        setup.push(format!(
            "ip link add u{h} type veth peer name eth0 netns h{h}"
        ));
        setup.push(format!("ip link set u{h} master ul up"));
        setup.push(x(&format!("ip addr add 192.168.0.{}/24 dev eth0", h + 1)));
        setup.push(x("ip link set eth0 up"));
        setup.push(x("sysctl -w net.ipv4.ip_forward=1"));
        setup.push(x("ip link add cni0 type bridge"));
        setup.push(x(&format!("ip addr add 10.244.{h}.1/24 dev cni0")));
        setup.push(x("ip link set cni0 up"));
        for g in (0..hosts).filter(|&g| g != h) {
            setup.push(x(&format!(
                "ip route add 10.244.{g}.0/24 via 192.168.0.{}",
                g + 1
            )));
        }
        for p in 0..pods {
            let pod = format!("p{h}x{p}");
            setup.push(format!("ip netns add {pod}"));
            setup.push(x(&format!(
                "ip link add v{p} type veth peer name eth0 netns {pod}"
            )));
            setup.push(x(&format!("ip link set v{p} master cni0 up")));
            let y = |c: &str| format!("ip netns exec {pod} {c}");
            setup.push(y(&format!("ip addr add 10.244.{h}.{}/24 dev eth0", p + 2)));
            setup.push(y("ip link set eth0 up"));
            setup.push(y(&format!("ip route add default via 10.244.{h}.1")));
        }
    }
    let pings = (0..hosts)
        .flat_map(|h| {
            (0..pods).map(move |p| {
                format!(
                    "ip netns exec p{h}x{p} ping -c 1 10.244.{}.{}",
                    (h + 1) % hosts,
                    p + 2
                )
            })
        })
        .collect();
    Workload { setup, pings }
}

fn setup_only(n: usize) -> Vec<String> {
    let mut v = Vec::with_capacity(2 * n);
    for i in 0..n {
        v.push(format!("ip netns add ns{i}"));
        v.push(format!(
            "ip link add veth{i} type veth peer name eth0 netns ns{i}"
        ));
    }
    v
}

// ---- the engine path ----

fn run(k: &mut Kernel, ns: NsId, argv: Vec<String>) -> Option<Pid> {
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

fn sh(k: &mut Kernel, line: &str) -> Option<Pid> {
    run(
        k,
        ROOT_NS,
        line.split_whitespace().map(String::from).collect(),
    )
}

fn engine_setup(lines: &[String]) -> Kernel {
    let mut k = Kernel::new(1);
    k.capture.enabled = false;
    k.record_drops = false;
    for l in lines {
        sh(&mut k, l);
    }
    k
}

/// Starts every ping, steps until all have exited; returns the frame hops of this round.
fn engine_pings(k: &mut Kernel, pings: &[String]) -> u64 {
    let before: u64 = k.devs.iter().flatten().map(|d| d.stats.tx_packets).sum();
    let pids: Vec<Pid> = pings.iter().map(|l| sh(k, l).expect("spawns")).collect();
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
    k.devs
        .iter()
        .flatten()
        .map(|d| d.stats.tx_packets)
        .sum::<u64>()
        - before
}

// ---- the script path ----

fn script(lines: &[String]) -> String {
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

fn traffic_script(pings: &[String]) -> String {
    let mut s = String::new();
    for p in pings {
        s.push_str(p);
        s.push_str(" &\n");
    }
    s.push_str("wait\n");
    s
}

fn lab_setup(src: &str) -> Lab {
    let mut lab = Lab::new(1);
    let r = lab.run_shell(src, "setup.sh");
    assert_eq!(r.failures, 0, "{}", lab.output());
    lab
}

fn lab_pings(lab: &mut Lab, traffic: &str) {
    let r = lab.run_shell(traffic, "traffic.sh");
    assert_eq!(r.failures, 0, "{}", lab.output());
}

fn group_opts(g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(3));
}

fn bench_w1(c: &mut Criterion) {
    let mut g = c.benchmark_group("w1");
    group_opts(&mut g);
    if big() {
        let n = 10_000;
        let w = w1(n);
        let (setup, traffic) = (script(&w.setup), traffic_script(&w.pings));
        for warm in [false, true] {
            let t = if warm { "warm" } else { "cold" };
            once(
                &format!("w1/engine-{t}/{n}"),
                || {
                    let mut k = engine_setup(&w.setup);
                    if warm {
                        engine_pings(&mut k, &w.pings);
                    }
                    k
                },
                |k| println!("  {} frame hops", engine_pings(k, &w.pings)),
            );
            once(
                &format!("w1/script-{t}/{n}"),
                || {
                    let mut lab = lab_setup(&setup);
                    if warm {
                        lab_pings(&mut lab, &traffic);
                    }
                    lab
                },
                |lab| lab_pings(lab, &traffic),
            );
        }
    }
    for n in [100usize, 1000] {
        let w = w1(n);
        let (setup, traffic) = (script(&w.setup), traffic_script(&w.pings));
        for warm in [false, true] {
            let t = if warm { "warm" } else { "cold" };
            {
                let mut k = engine_setup(&w.setup);
                if warm {
                    engine_pings(&mut k, &w.pings);
                }
                println!(
                    "w1/{t}/{n}: {} frame hops per run",
                    engine_pings(&mut k, &w.pings)
                );
            }
            g.bench_function(format!("engine-{t}/{n}"), |b| {
                b.iter_batched(
                    || {
                        let mut k = engine_setup(&w.setup);
                        if warm {
                            engine_pings(&mut k, &w.pings);
                        }
                        k
                    },
                    |mut k| {
                        engine_pings(&mut k, &w.pings);
                        k
                    },
                    BatchSize::PerIteration,
                )
            });
            g.bench_function(format!("script-{t}/{n}"), |b| {
                b.iter_batched(
                    || {
                        let mut lab = lab_setup(&setup);
                        if warm {
                            lab_pings(&mut lab, &traffic);
                        }
                        lab
                    },
                    |mut lab| {
                        lab_pings(&mut lab, &traffic);
                        lab
                    },
                    BatchSize::PerIteration,
                )
            });
        }
    }
    g.finish();
}

fn bench_w2(c: &mut Criterion) {
    let mut g = c.benchmark_group("w2");
    group_opts(&mut g);
    if big() {
        let (h, p) = (100, 100);
        let w = w2(h, p);
        let (setup, traffic) = (script(&w.setup), traffic_script(&w.pings));
        once(
            &format!("w2/engine/{h}x{p}"),
            || {
                let mut k = engine_setup(&w.setup);
                engine_pings(&mut k, &w.pings);
                k
            },
            |k| println!("  {} frame hops", engine_pings(k, &w.pings)),
        );
        once(
            &format!("w2/script/{h}x{p}"),
            || {
                let mut lab = lab_setup(&setup);
                lab_pings(&mut lab, &traffic);
                lab
            },
            |lab| lab_pings(lab, &traffic),
        );
    }
    for (h, p) in [(10usize, 10usize), (10, 100)] {
        let w = w2(h, p);
        let (setup, traffic) = (script(&w.setup), traffic_script(&w.pings));
        {
            let mut k = engine_setup(&w.setup);
            engine_pings(&mut k, &w.pings);
            println!(
                "w2/{h}x{p}: {} frame hops per warm run",
                engine_pings(&mut k, &w.pings)
            );
        }
        g.bench_function(format!("engine/{h}x{p}"), |b| {
            b.iter_batched(
                || {
                    let mut k = engine_setup(&w.setup);
                    engine_pings(&mut k, &w.pings);
                    k
                },
                |mut k| {
                    engine_pings(&mut k, &w.pings);
                    k
                },
                BatchSize::PerIteration,
            )
        });
        g.bench_function(format!("script/{h}x{p}"), |b| {
            b.iter_batched(
                || {
                    let mut lab = lab_setup(&setup);
                    lab_pings(&mut lab, &traffic);
                    lab
                },
                |mut lab| {
                    lab_pings(&mut lab, &traffic);
                    lab
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

fn bench_setup(c: &mut Criterion) {
    let mut g = c.benchmark_group("setup");
    group_opts(&mut g);
    if big() {
        let n = 100_000;
        let lines = setup_only(n);
        let src = script(&lines);
        once(
            &format!("setup/engine/{n}"),
            || (),
            |_| drop(engine_setup(&lines)),
        );
        once(
            &format!("setup/script/{n}"),
            || (),
            |_| drop(lab_setup(&src)),
        );
    }
    let n = 10_000usize;
    let lines = setup_only(n);
    let src = script(&lines);
    g.bench_function(format!("engine/{n}"), |b| b.iter(|| engine_setup(&lines)));
    g.bench_function(format!("script/{n}"), |b| b.iter(|| lab_setup(&src)));
    g.finish();
}

criterion_group!(benches, bench_setup, bench_w1, bench_w2);
criterion_main!(benches);

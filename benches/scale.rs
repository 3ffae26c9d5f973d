// A benchmark measures wall time by design; the model itself never reads the clock.
#![allow(clippy::disallowed_methods)]
//! Scale benchmarks (issue 16): each workload through the engine API (`tools::run` on a
//! `Kernel`, capture off) and as the lab script a user writes, run as `nslab run` runs it
//! (`Lab::new` + `Lab::run_shell`, configured as `nslab run` without options: capture on
//! demand, no drop records, the terminal streamed). The script and the engine run the same
//! command lines; see BENCHMARKS.md for the workloads and how to read the figures.
//!
//! * `w1/{engine,script}-{cold,warm}/N`: N pods on one bridge, each pings the next once
//!   (`ping -c 1`, all at once; the script starts them as background jobs and `wait`s). Cold:
//!   from nothing (ARP floods); warm: after one untimed round (neighbours and fdb learned).
//! * `w2/{engine,script}/HxP`: H hosts on an underlay bridge, P pods behind each host's `cni0`,
//!   host-gw routes; every pod pings the pod of the same index on the next host, warm.
//! * `setup/{engine,script}/N`: N × (`ip netns add` + a veth into it from the root namespace).
//! * `w4/{engine,script}/S`: S ClusterIP services in kube-proxy's nat chain layout
//!   (KUBE-SERVICES -> KUBE-SVC-* -> KUBE-SEP-* DNAT) on a node that routes between a client
//!   bridge and an endpoint bridge; 100 client pods each open one TCP connection to a service
//!   (refused by the endpoint: SYN, RST), warm. S = 0 is the same traffic to the endpoints'
//!   own addresses with no rules (no nat table, so no conntrack either).
//!
//! Sizes marked big (W1 10 000, W2 100×100, setup 100 000) run only with `NSLAB_BENCH_BIG=1`,
//! and once each outside criterion (which needs at least 10 samples): their setup and run
//! times are printed. `NSLAB_BENCH_ONLY=TEXT` picks the big runs whose name contains TEXT.

// The engine benchmarks' builders (W1's topology, running command lines on a `Kernel`).
#[path = "../sim-models/benches/common/mod.rs"]
mod common;

use criterion::{criterion_group, BatchSize, Criterion, SamplingMode};
use nslab::lab::Lab;
use sim_models::kernel::{Kernel, Pid, ROOT_NS};
use sim_models::tools;
use std::time::Duration;

fn big() -> bool {
    std::env::var_os("NSLAB_BENCH_BIG").is_some()
}

/// `NSLAB_BENCH_ONLY` given: only the big single runs it names, no criterion benchmark (for
/// `/usr/bin/time -v` of one run).
fn only_big() -> bool {
    std::env::var_os("NSLAB_BENCH_ONLY").is_some()
}

/// `NSLAB_BENCH_WRITE=DIR`: writes each workload as the lab file a user would run
/// (`DIR/NAME.sh`: setup, then the timed round as background jobs and `wait`; a warm workload
/// runs its round twice), for `nslab run` under `/usr/bin/time -v` or a profiler.
fn write_lab(name: &str, w: &Workload, warm: bool) {
    let Some(dir) = std::env::var_os("NSLAB_BENCH_WRITE") else {
        return;
    };
    let mut s = w.setup_script();
    for _ in 0..if warm { 2 } else { 1 } {
        s.push_str(&traffic_script(&w.pings));
    }
    let p = std::path::Path::new(&dir).join(format!("{}.sh", name.replace('/', "-")));
    std::fs::write(&p, s).expect("writes the lab file");
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
    /// `iptables-restore --noflush` input run after `setup` (W4's rules).
    restore: Option<String>,
    pings: Vec<String>,
}

impl Workload {
    /// The engine path's setup: every line through `tools::run`, then the restore input.
    fn engine(&self) -> Kernel {
        let mut k = engine_setup(&self.setup);
        if let Some(text) = &self.restore {
            let o = tools::iptables::iptables_restore(&mut k, ROOT_NS, &["--noflush".into()], text);
            assert_eq!(o.status, 0, "iptables-restore: {}", o.stderr);
        }
        k
    }

    /// The script path's setup: the lines, then the restore input as a here-document.
    fn setup_script(&self) -> String {
        let mut s = script(&self.setup);
        if let Some(text) = &self.restore {
            s += "iptables-restore --noflush <<'EOF'\n";
            s += text;
            s += "EOF\n";
        }
        s
    }
}

fn w1(n: usize) -> Workload {
    Workload {
        setup: common::w1_setup(n),
        restore: None,
        pings: (0..n).map(|i| common::w1_ping(i, n)).collect(),
    }
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
    Workload {
        setup,
        restore: None,
        pings,
    }
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

/// W4's client pods, endpoint pods and the client -> service assignment.
const W4_CLIENTS: usize = 100;
const W4_ENDPOINTS: usize = 100;

/// A kube-proxy-like chain suffix (16 upper-case characters, as its base32 hashes).
fn w4_hash(tag: u64, j: usize) -> String {
    let mut x = (j as u64 ^ tag).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (0..16)
        .map(|_| {
            x = x.rotate_left(5);
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[(x & 31) as usize] as char
        })
        .collect()
}

fn w4_cluster_ip(j: usize) -> String {
    format!("10.96.{}.{}", j / 250, j % 250 + 1)
}

/// The service client `i` connects to: distinct endpoints for distinct clients, positions
/// spread over the whole KUBE-SERVICES chain.
fn w4_service(i: usize, services: usize) -> usize {
    let per = (services / W4_CLIENTS).max(1);
    (i + W4_CLIENTS * (i % per)) % services
}

fn w4(services: usize) -> Workload {
    let mut setup = vec!["sysctl -w net.ipv4.ip_forward=1".to_string()];
    for (br, net, pods, pfx) in [("cbr", 0, W4_CLIENTS, "c"), ("ebr", 1, W4_ENDPOINTS, "e")] {
        setup.push(format!("ip link add {br} type bridge"));
        setup.push(format!("ip addr add 10.244.{net}.1/24 dev {br}"));
        setup.push(format!("ip link set {br} up"));
        for i in 0..pods {
            let y = |c: &str| format!("ip netns exec {pfx}{i} {c}");
            setup.push(format!("ip netns add {pfx}{i}"));
            setup.push(format!(
                "ip link add {pfx}v{i} type veth peer name eth0 netns {pfx}{i}"
            ));
            setup.push(format!("ip link set {pfx}v{i} master {br} up"));
            setup.push(y(&format!(
                "ip addr add 10.244.{net}.{}/24 dev eth0",
                i + 2
            )));
            setup.push(y("ip link set eth0 up"));
            setup.push(y(&format!("ip route add default via 10.244.{net}.1")));
        }
    }
    let ep = |j: usize| format!("10.244.1.{}", j % W4_ENDPOINTS + 2);
    let mut restore = None;
    if services > 0 {
        // kube-proxy's iptables mode (v1.28, one TCP port per service, one endpoint each): it
        // makes sure of its jumps from the built-in chains with `iptables`, then writes its
        // chains with one `iptables-restore --noflush` (the nat table as `iptables-save -t
        // nat` shows it; the filter table's KUBE-FORWARD etc. are left out).
        let nat = |r: &str| format!("iptables -t nat {r}");
        for (hook, chain, what) in [
            ("PREROUTING", "KUBE-SERVICES", "kubernetes service portals"),
            ("OUTPUT", "KUBE-SERVICES", "kubernetes service portals"),
            (
                "POSTROUTING",
                "KUBE-POSTROUTING",
                "kubernetes postrouting rules",
            ),
        ] {
            if !setup.iter().any(|l| l.ends_with(&format!("-N {chain}"))) {
                setup.push(nat(&format!("-N {chain}")));
            }
            setup.push(nat(&format!(
                "-I {hook} -m comment --comment \"{what}\" -j {chain}"
            )));
        }
        let mut chains = String::from("*nat\n");
        let mut rules = String::new();
        for c in [
            "KUBE-SERVICES",
            "KUBE-POSTROUTING",
            "KUBE-MARK-MASQ",
            "KUBE-NODEPORTS",
        ] {
            chains += &format!(":{c} - [0:0]\n");
        }
        rules += "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN\n";
        rules += "-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0\n";
        rules += "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully\n";
        rules += "-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\n";
        let mut svcs = String::new();
        for j in 0..services {
            let (svc, sep) = (
                format!("KUBE-SVC-{}", w4_hash(1, j)),
                format!("KUBE-SEP-{}", w4_hash(2, j)),
            );
            let (cip, name, e) = (w4_cluster_ip(j), format!("default/svc{j}:http"), ep(j));
            chains += &format!(":{svc} - [0:0]\n:{sep} - [0:0]\n");
            svcs += &format!(
                "-A KUBE-SERVICES -d {cip}/32 -p tcp -m comment --comment \"{name} cluster IP\" -m tcp --dport 80 -j {svc}\n"
            );
            rules += &format!(
                "-A {svc} ! -s 10.244.0.0/16 -d {cip}/32 -p tcp -m comment --comment \"{name} cluster IP\" -m tcp --dport 80 -j KUBE-MARK-MASQ\n"
            );
            rules += &format!("-A {svc} -m comment --comment \"{name} -> {e}:8080\" -j {sep}\n");
            rules +=
                &format!("-A {sep} -s {e}/32 -m comment --comment \"{name}\" -j KUBE-MARK-MASQ\n");
            rules += &format!(
                "-A {sep} -p tcp -m comment --comment \"{name}\" -m tcp -j DNAT --to-destination {e}:8080\n"
            );
        }
        svcs += "-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\n";
        restore = Some(format!("{chains}{rules}{svcs}COMMIT\n"));
    }
    let pings = (0..W4_CLIENTS)
        .map(|i| {
            let to = if services == 0 {
                format!("{} 8080", ep(i))
            } else {
                format!("{} 80", w4_cluster_ip(w4_service(i, services)))
            };
            format!("ip netns exec c{i} nc -z -w 1 {to}")
        })
        .collect();
    Workload {
        setup,
        restore,
        pings,
    }
}

// ---- the engine path ----

fn sh(k: &mut Kernel, line: &str) -> Option<Pid> {
    common::sh(k, line)
}

fn engine_setup(lines: &[String]) -> Kernel {
    let mut k = common::quiet_kernel();
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

/// A lab configured as `nslab run` configures it without options: capture only on demand
/// (no frame is held), no drop records, the terminal streamed (here to nowhere).
fn nslab_run_lab() -> Lab {
    let mut lab = Lab::new(1);
    lab.kernel.record_drops = false;
    lab.capture_on_demand();
    lab.stream_terminal(Box::new(|_, _| {}));
    lab
}

fn lab_setup(src: &str) -> Lab {
    let mut lab = nslab_run_lab();
    let r = lab.run_shell(src, "setup.sh");
    assert_eq!(r.failures, 0, "setup failed");
    lab
}

/// The big runs' lab: without the front ends' default limits, which a 10^8-frame run
/// exceeds (as `nslab run --max-frames N --max-frame-rate N --max-memory N` with large N).
fn lab_setup_unlimited(src: &str) -> Lab {
    let mut lab = nslab_run_lab();
    lab.set_limits(u64::MAX, sim_core::Duration(u64::MAX), u64::MAX);
    lab.set_max_memory(u64::MAX);
    let r = lab.run_shell(src, "setup.sh");
    assert_eq!(r.failures, 0, "setup failed");
    lab
}

fn lab_pings(lab: &mut Lab, traffic: &str) {
    let r = lab.run_shell(traffic, "traffic.sh");
    assert_eq!(r.failures, 0, "a ping failed");
}

/// A script-path bench: each iteration a lab set up by `setup` (and, `warm`, one untimed
/// round of `traffic`), then the timed round of `traffic`, as `nslab run` runs them.
fn bench_script(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: String,
    setup: &str,
    traffic: &str,
    warm: bool,
) {
    g.bench_function(id, |b| {
        b.iter_batched(
            || {
                let mut lab = lab_setup(setup);
                if warm {
                    lab_pings(&mut lab, traffic);
                }
                lab
            },
            |mut lab| {
                lab_pings(&mut lab, traffic);
                lab
            },
            BatchSize::PerIteration,
        )
    });
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
        let (setup, traffic) = (w.setup_script(), traffic_script(&w.pings));
        for warm in [false, true] {
            let t = if warm { "warm" } else { "cold" };
            once(
                &format!("w1/engine-{t}/{n}"),
                || {
                    let mut k = w.engine();
                    if warm {
                        engine_pings(&mut k, &w.pings);
                    }
                    k
                },
                |k| println!("  {} frame hops", engine_pings(k, &w.pings)),
            );
            write_lab(&format!("w1-{t}-{n}"), &w, warm);
            once(
                &format!("w1/script-{t}/{n}"),
                || {
                    let mut lab = lab_setup_unlimited(&setup);
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
        let (setup, traffic) = (w.setup_script(), traffic_script(&w.pings));
        for warm in [false, true] {
            let t = if warm { "warm" } else { "cold" };
            write_lab(&format!("w1-{t}-{n}"), &w, warm);
            if only_big() {
                continue;
            }
            {
                let mut k = w.engine();
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
                        let mut k = w.engine();
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
            bench_script(&mut g, format!("script-{t}/{n}"), &setup, &traffic, warm);
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
        let (setup, traffic) = (w.setup_script(), traffic_script(&w.pings));
        once(
            &format!("w2/engine/{h}x{p}"),
            || {
                let mut k = w.engine();
                engine_pings(&mut k, &w.pings);
                k
            },
            |k| println!("  {} frame hops", engine_pings(k, &w.pings)),
        );
        write_lab(&format!("w2-{h}x{p}"), &w, true);
        once(
            &format!("w2/script/{h}x{p}"),
            || {
                let mut lab = lab_setup_unlimited(&setup);
                lab_pings(&mut lab, &traffic);
                lab
            },
            |lab| lab_pings(lab, &traffic),
        );
    }
    for (h, p) in [(10usize, 10usize), (10, 100)] {
        let w = w2(h, p);
        let (setup, traffic) = (w.setup_script(), traffic_script(&w.pings));
        write_lab(&format!("w2-{h}x{p}"), &w, true);
        if only_big() {
            continue;
        }
        {
            let mut k = w.engine();
            engine_pings(&mut k, &w.pings);
            println!(
                "w2/{h}x{p}: {} frame hops per warm run",
                engine_pings(&mut k, &w.pings)
            );
        }
        g.bench_function(format!("engine/{h}x{p}"), |b| {
            b.iter_batched(
                || {
                    let mut k = w.engine();
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
        bench_script(&mut g, format!("script/{h}x{p}"), &setup, &traffic, true);
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
        if let Some(dir) = std::env::var_os("NSLAB_BENCH_WRITE") {
            let p = std::path::Path::new(&dir).join(format!("setup-{n}.sh"));
            std::fs::write(p, &src).expect("writes the lab file");
        }
    }
    if only_big() {
        return g.finish();
    }
    let n = 10_000usize;
    let lines = setup_only(n);
    let src = script(&lines);
    g.bench_function(format!("engine/{n}"), |b| b.iter(|| engine_setup(&lines)));
    g.bench_function(format!("script/{n}"), |b| b.iter(|| lab_setup(&src)));
    g.finish();
}

/// Starts W4's connections, steps until all have exited; each must be refused by its endpoint
/// (status 1 within a few simulated milliseconds: a connection that was not translated would
/// time out after 1 s). Returns the frame hops of this round.
fn engine_connects(k: &mut Kernel, conns: &[String]) -> u64 {
    let before: u64 = k.devs.iter().flatten().map(|d| d.stats.tx_packets).sum();
    let t0 = k.now;
    let pids: Vec<Pid> = conns.iter().map(|l| sh(k, l).expect("spawns")).collect();
    let mut next = 0;
    while next < pids.len() {
        if k.proc_exited(pids[next]).is_some() {
            next += 1;
        } else if !k.step() {
            break;
        }
    }
    for &p in &pids {
        assert_eq!(k.proc_exited(p), Some(1), "nc {p} was not refused");
    }
    assert!(k.now.0 - t0.0 < 500_000_000, "a connection timed out");
    k.devs
        .iter()
        .flatten()
        .map(|d| d.stats.tx_packets)
        .sum::<u64>()
        - before
}

fn bench_w4(c: &mut Criterion) {
    let mut g = c.benchmark_group("w4");
    group_opts(&mut g);
    for s in [0usize, 10, 100, 1000] {
        let w = w4(s);
        write_lab(&format!("w4-{s}"), &w, true);
        if only_big() {
            continue;
        }
        let (setup, traffic) = (w.setup_script(), traffic_script(&w.pings));
        let warm = |k: &mut Kernel| engine_connects(k, &w.pings);
        {
            let mut k = w.engine();
            warm(&mut k);
            println!(
                "w4/{s}: {} rules, {} frame hops per warm run",
                w.setup.iter().filter(|l| l.contains(" -I ")).count()
                    + w.restore
                        .as_deref()
                        .map_or(0, |r| r.lines().filter(|l| l.starts_with("-A ")).count()),
                warm(&mut k)
            );
        }
        g.bench_function(format!("engine/{s}"), |b| {
            b.iter_batched(
                || {
                    let mut k = w.engine();
                    warm(&mut k);
                    k
                },
                |mut k| {
                    warm(&mut k);
                    k
                },
                BatchSize::PerIteration,
            )
        });
        bench_script(&mut g, format!("script/{s}"), &setup, &traffic, true);
    }
    g.finish();
}

/// `NSLAB_BENCH_COUNT=GROUP/PATH/SIZE` (e.g. `w4/engine/1000`, `w1/script-cold/1000`,
/// `w2/script/10x100`, `setup/script/100000`): builds that workload, runs its untimed warm-up
/// round, then `NSLAB_BENCH_ROUNDS` (default 1) measured rounds, and exits without criterion —
/// for instruction counts (`valgrind --tool=callgrind`: the count with ROUNDS=R minus the
/// count with ROUNDS=0, divided by R, is one round's) and profilers. A warm-up round is run
/// for the warm workloads (W1 warm, W2, W4) only.
fn count(name: &str) {
    let rounds: usize = std::env::var("NSLAB_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    let parts: Vec<&str> = name.split('/').collect();
    let [group, path, size] = parts[..] else {
        panic!("NSLAB_BENCH_COUNT: GROUP/PATH/SIZE, not {name}");
    };
    let num = |x: &str| x.parse::<usize>().expect("a size");
    if group == "setup" {
        let lines = setup_only(num(size));
        for _ in 0..rounds {
            if path == "engine" {
                drop(engine_setup(&lines));
            } else {
                drop(lab_setup(&script(&lines)));
            }
        }
        return;
    }
    let (w, warm) = match group {
        "w1" => (w1(num(size)), path.ends_with("warm")),
        "w2" => {
            let (h, p) = size.split_once('x').expect("HxP");
            (w2(num(h), num(p)), true)
        }
        "w4" => (w4(num(size)), true),
        _ => panic!("unknown group {group}"),
    };
    let round = |k: &mut Kernel| {
        if group == "w4" {
            engine_connects(k, &w.pings)
        } else {
            engine_pings(k, &w.pings)
        }
    };
    if path.starts_with("engine") {
        let mut k = w.engine();
        if warm {
            round(&mut k);
        }
        let mut hops = 0;
        for _ in 0..rounds {
            hops += round(&mut k);
        }
        println!("{name}: {rounds} rounds, {hops} frame hops");
    } else {
        let traffic = traffic_script(&w.pings);
        let mut lab = lab_setup_unlimited(&w.setup_script());
        if warm {
            lab_pings(&mut lab, &traffic);
        }
        for _ in 0..rounds {
            lab_pings(&mut lab, &traffic);
        }
        println!("{name}: {rounds} rounds");
    }
}

criterion_group!(benches, bench_setup, bench_w1, bench_w2, bench_w4);

fn main() {
    if let Ok(name) = std::env::var("NSLAB_BENCH_COUNT") {
        return count(&name);
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}

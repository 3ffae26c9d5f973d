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
//! * `w1/{engine,script}-static/N`: W1 warm without the cold round: the setup gives every pod
//!   a fixed MAC, permanent neighbours for the pods it pings and is pinged by, and the bridge a
//!   static fdb entry per pod (a cold round at N = 100 000 would flood 10^10 ARP copies), then
//!   one untimed round and the timed one, as warm.
//! * `w1/{engine,script}-warm-echo/N` and `w1/{engine,script}-static-echo/N`: W1 warm (or
//!   static) whose timed round is the "W1 N=1000 warm, 400 k hops": every pod sends
//!   100 echoes to the next, 1 ms apart (`ping -c 100 -i 0.001`), after the same one-ping
//!   warm-up round; 400 hops a pod, checked (a lost echo or an ARP exchange fails the run).
//!   A ping's start is 1 % of its round instead of all of it, so its hop figure is the frame
//!   path's.
//! * `w1/script-pcap-{cold,warm,static}/N`: the script path with `nslab run --pcap FILE`'s
//!   capture, every frame streamed as pcapng to a file (`NSLAB_BENCH_PCAP`, default
//!   `$TMPDIR/nslab-bench.pcapng`); against `w1/script-{cold,warm,static}/N`, the capture's
//!   cost.
//! * `w2/{engine,script}/HxP`: H hosts on an underlay bridge, P pods behind each host's `cni0`,
//!   host-gw routes; every pod pings the pod of the same index on the next host, warm.
//!   `w2/{engine,script}-static/HxP`: warm by configuration, as W1 static.
//! * `setup/{engine,script}/N`: N × (`ip netns add` + a veth into it from the root namespace).
//! * `w4/{engine,script}/S`: S ClusterIP services in kube-proxy's nat chain layout
//!   (KUBE-SERVICES -> KUBE-SVC-* -> KUBE-SEP-* DNAT) on a node that routes between a client
//!   bridge and an endpoint bridge; 100 client pods each open one TCP connection to a service
//!   (refused by the endpoint: SYN, RST), warm. S = 0 is the same traffic to the endpoints'
//!   own addresses with no rules (no nat table, so no conntrack either).
//!
//! Sizes marked big (W1 10 000 cold and warm, W1 static 100 000, W2 100×100, setup 100 000)
//! run only with `NSLAB_BENCH_BIG=1`, and once each outside criterion (which needs at least 10
//! samples): their setup and run times (wall and CPU) and peak RSS are printed.
//! `NSLAB_BENCH_ONLY=TEXT` picks the big runs whose name contains TEXT.
//! `NSLAB_BENCH_COUNT=GROUP/PATH/SIZE` runs one workload alone (see [`count`]).

// The engine benchmarks' builders (W1's topology, running command lines on a `Kernel`).
#[path = "../sim-models/benches/common/mod.rs"]
mod common;

use criterion::{criterion_group, BatchSize, Criterion, SamplingMode};
use nslab::lab::Lab;
use sim_models::kernel::{Kernel, Pid, ROOT_NS};
use sim_models::tools;
use std::time::Duration;

/// The allocator of the `nslab` binary (src/main.rs), so that the bench measures what `nslab
/// run` does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    if warm {
        s.push_str(&traffic_script(w.warmup_pings()));
    }
    s.push_str(&traffic_script(&w.pings));
    let p = std::path::Path::new(&dir).join(format!("{}.sh", name.replace('/', "-")));
    std::fs::write(&p, s).expect("writes the lab file");
}

/// The process's CPU time so far (user + system, `/proc/self/stat`, in clock ticks of 10 ms)
/// in seconds, and its peak RSS (`VmHWM`) in MB: on a loaded machine the wall time measures
/// the scheduler, the CPU time the work.
fn usage() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name's `)`: state is field 3, utime 14, stime 15.
    let f: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, r)| r)
        .split_whitespace()
        .collect();
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm_kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    ((tick(11) + tick(12)) / 100.0, hwm_kb / 1000.0)
}

/// Prints the CPU time since `since` and the peak RSS so far, as one phase of a run; returns
/// the CPU time now.
fn phase(name: &str, what: &str, since: f64) -> f64 {
    let (cpu, rss) = usage();
    println!(
        "{name}: {what}: CPU {:.2} s, peak RSS {rss:.1} MB",
        cpu - since
    );
    cpu
}

/// Runs `setup`, then (`warm`) the untimed `warmup`, then `run`, once, and prints each phase's
/// wall time, CPU time and the peak RSS (a big size), if `NSLAB_BENCH_ONLY` (a substring) is
/// unset or found in `name`.
fn once<T>(
    name: &str,
    warm: bool,
    setup: impl FnOnce() -> T,
    warmup: impl FnOnce(&mut T),
    run: impl FnOnce(&mut T),
) {
    if std::env::var("NSLAB_BENCH_ONLY").is_ok_and(|o| !name.contains(&o)) {
        return;
    }
    // Peak RSS from here on (Linux ≥ 4.0: "5" resets `VmHWM` to the current RSS).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let t = std::time::Instant::now();
    let cpu = usage().0;
    let mut x = setup();
    let mut cpu = phase(name, &format!("setup (wall {:.3?})", t.elapsed()), cpu);
    if warm {
        let t = std::time::Instant::now();
        warmup(&mut x);
        cpu = phase(name, &format!("warm-up (wall {:.3?})", t.elapsed()), cpu);
    }
    let t = std::time::Instant::now();
    run(&mut x);
    phase(name, &format!("run (wall {:.3?})", t.elapsed()), cpu);
    drop(x);
}

/// A workload: setup lines, then ping lines (run all at once), run `rounds` times (the first
/// `rounds - 1` untimed: warm-up).
struct Workload {
    setup: Vec<String>,
    /// `iptables-restore --noflush` input run after `setup` (W4's rules).
    restore: Option<String>,
    pings: Vec<String>,
    /// The warm-up round's lines when they are not `pings` (the echo variants warm up with
    /// W1's one-ping round).
    warmup: Option<Vec<String>>,
    /// The frame hops a timed round must make, when known (the echo variants: 4 a reply, so
    /// one lost echo or one ARP exchange fails the run).
    hops: Option<u64>,
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

    /// The untimed warm-up round's lines.
    fn warmup_pings(&self) -> &[String] {
        self.warmup.as_deref().unwrap_or(&self.pings)
    }

    /// A timed round's frame hops, or why they are not the workload's.
    fn check(&self, hops: u64) -> Result<u64, String> {
        match self.hops {
            Some(want) if want != hops => Err(format!(
                "{hops} frame hops, not {want}: an echo was lost or a neighbour not warm"
            )),
            _ => Ok(hops),
        }
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
        warmup: None,
        hops: None,
    }
}

/// W1's pod `i`'s fixed MAC in the static variant: 02:00 and host `i + 1`'s four bytes.
fn w1_mac(i: usize) -> String {
    let b = (i as u32 + 1).to_be_bytes();
    format!("02:00:{:02x}:{:02x}:{:02x}:{:02x}", b[0], b[1], b[2], b[3])
}

/// W1 warm without a cold round: W1's pods with fixed MACs, each with permanent neighbours for
/// the pod it pings (i + 1) and the one that pings it (i − 1), and a static fdb entry on
/// `br0` for each pod's MAC, so that no frame is flooded (no ARP, no unknown unicast).
fn w1_static(n: usize) -> Workload {
    let mut setup = vec![
        "ip link add br0 type bridge".to_string(),
        "ip link set br0 up".to_string(),
    ];
    for i in 0..n {
        let x = |c: &str| format!("ip netns exec ns{i} {c}");
        setup.push(format!("ip netns add ns{i}"));
        setup.push(format!(
            "ip link add veth{i} type veth peer name eth0 netns ns{i}"
        ));
        setup.push(format!("ip link set veth{i} master br0 up"));
        setup.push(format!(
            "bridge fdb add {} dev veth{i} master static",
            w1_mac(i)
        ));
        setup.push(x(&format!("ip addr add {}/8 dev eth0", common::w1_addr(i))));
        setup.push(x(&format!("ip link set eth0 address {} up", w1_mac(i))));
        let mut peers = vec![(i + 1) % n, (i + n - 1) % n];
        peers.dedup();
        for j in peers.into_iter().filter(|&j| j != i) {
            setup.push(x(&format!(
                "ip neigh add {} lladdr {} dev eth0 nud permanent",
                common::w1_addr(j),
                w1_mac(j)
            )));
        }
    }
    Workload {
        setup,
        restore: None,
        pings: (0..n).map(|i| common::w1_ping(i, n)).collect(),
        warmup: None,
        hops: None,
    }
}

/// Echoes a pod sends in a round of the echo variants.
const ECHOES: u64 = 100;

/// The echo variant of `w` (W1 warm or static): the same setup and the same one-ping warm-up
/// round, then a timed round in which every pod sends [`ECHOES`] echoes to the next, 1 ms
/// apart (`ping -c 100 -i 0.001`, all pods at once): the issue's "W1 N=1000 warm, 400 k
/// hops" (100 echoes a pod, 4 hops each), so a hop's figure is the frame path's and a
/// ping's start is 1 % of it. Every echo must be answered (the round's hops are checked).
fn w1_echo(mut w: Workload, n: usize) -> Workload {
    let pings = (0..n)
        .map(|i| {
            format!(
                "ip netns exec ns{i} ping -c {ECHOES} -i 0.001 {}",
                common::w1_addr((i + 1) % n)
            )
        })
        .collect();
    w.warmup = Some(std::mem::replace(&mut w.pings, pings));
    w.hops = Some(4 * ECHOES * n as u64);
    w
}

/// A W2 MAC: 02, `kind` (1 a host's `eth0`, 2 its `cni0`, 3 a pod's `eth0`), host, pod.
fn w2_mac(kind: u8, h: usize, p: usize) -> String {
    let (h, p) = ((h as u16).to_be_bytes(), (p as u16).to_be_bytes());
    format!(
        "02:{kind:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        h[0], h[1], p[0], p[1]
    )
}

/// W2; `stat`: warm by configuration as [`w1_static`] (fixed MACs; PERMANENT neighbours: a
/// pod's gateway, a host's pods and the next and previous hosts; static fdb entries on `ul`
/// and each `cni0`), so no frame floods and the many pods fit the one `arp_tbl`.
fn w2_with(hosts: usize, pods: usize, stat: bool) -> Workload {
    let mut setup = common::gc_thresh_setup();
    setup.extend([
        "ip link add ul type bridge".to_string(),
        "ip link set ul up".to_string(),
    ]);
    for h in 0..hosts {
        let x = |c: &str| format!("ip netns exec h{h} {c}");
        setup.push(format!("ip netns add h{h}"));
        setup.push(format!(
            "ip link add u{h} type veth peer name eth0 netns h{h}"
        ));
        setup.push(format!("ip link set u{h} master ul up"));
        setup.push(x(&format!("ip addr add 192.168.0.{}/24 dev eth0", h + 1)));
        if stat {
            let mac = w2_mac(1, h, 0);
            setup.push(format!("bridge fdb add {mac} dev u{h} master static"));
            setup.push(x(&format!("ip link set eth0 address {mac} up")));
            let mut peers = vec![(h + 1) % hosts, (h + hosts - 1) % hosts];
            peers.dedup();
            for g in peers.into_iter().filter(|&g| g != h) {
                setup.push(x(&format!(
                    "ip neigh add 192.168.0.{} lladdr {} dev eth0 nud permanent",
                    g + 1,
                    w2_mac(1, g, 0)
                )));
            }
        } else {
            setup.push(x("ip link set eth0 up"));
        }
        setup.push(x("sysctl -w net.ipv4.ip_forward=1"));
        setup.push(x("ip link add cni0 type bridge"));
        setup.push(x(&format!("ip addr add 10.244.{h}.1/24 dev cni0")));
        if stat {
            setup.push(x(&format!(
                "ip link set cni0 address {} up",
                w2_mac(2, h, 0)
            )));
        } else {
            setup.push(x("ip link set cni0 up"));
        }
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
            if stat {
                let mac = w2_mac(3, h, p);
                setup.push(y(&format!("ip link set eth0 address {mac} up")));
                setup.push(y(&format!(
                    "ip neigh add 10.244.{h}.1 lladdr {} dev eth0 nud permanent",
                    w2_mac(2, h, 0)
                )));
                setup.push(x(&format!("bridge fdb add {mac} dev v{p} master static")));
                setup.push(x(&format!(
                    "ip neigh add 10.244.{h}.{} lladdr {mac} dev cni0 nud permanent",
                    p + 2
                )));
            } else {
                setup.push(y("ip link set eth0 up"));
            }
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
        warmup: None,
        hops: None,
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
        warmup: None,
        hops: None,
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

/// Why a ping of these workloads could fail: each pod needs neighbour entries for the pod it
/// pings and the one that pings it, and the one table of all namespaces holds at most
/// `gc_thresh3` such entries (1024 by default; the workloads raise it with
/// `common::gc_thresh_setup`).
const OVERFLOW: &str = "more neighbour entries than gc_thresh3 in the one arp_tbl?";

/// Starts every ping, steps until all have exited; the frame hops of this round, or how many
/// pings failed.
fn try_engine_pings(k: &mut Kernel, pings: &[String]) -> Result<u64, String> {
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
    let failed = pids
        .iter()
        .filter(|&&p| k.proc_exited(p) != Some(0))
        .count();
    // The parent reaps its children, as the script path's `wait` does (an exited process
    // holds its output until then: 100 000 pings a round).
    for &p in &pids {
        k.proc_reap(p);
    }
    if failed > 0 {
        return Err(format!(
            "{failed} of {} pings failed ({OVERFLOW})",
            pids.len()
        ));
    }
    Ok(k.devs
        .iter()
        .flatten()
        .map(|d| d.stats.tx_packets)
        .sum::<u64>()
        - before)
}

/// [`try_engine_pings`], panicking on a failed ping.
fn engine_pings(k: &mut Kernel, pings: &[String]) -> u64 {
    try_engine_pings(k, pings).unwrap_or_else(|e| panic!("{e}"))
}

/// `w`'s timed round through the engine, its hops checked ([`Workload::check`]).
fn try_engine_round(k: &mut Kernel, w: &Workload) -> Result<u64, String> {
    try_engine_pings(k, &w.pings).and_then(|h| w.check(h))
}

/// [`try_engine_round`], panicking on a failure.
fn engine_round(k: &mut Kernel, w: &Workload) -> u64 {
    try_engine_round(k, w).unwrap_or_else(|e| panic!("{e}"))
}

// ---- the script path ----

thread_local! {
    /// Pings that reported no reply on the script path's terminal since the last round
    /// began (`wait` returns 0 whatever its jobs did, so the round's status cannot say).
    static LOST: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

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

/// Where the `pcap` benches stream their capture: `NSLAB_BENCH_PCAP`, or
/// `$TMPDIR/nslab-bench.pcapng`.
fn pcap_path() -> std::path::PathBuf {
    std::env::var_os("NSLAB_BENCH_PCAP")
        .map(Into::into)
        .unwrap_or_else(|| std::env::temp_dir().join("nslab-bench.pcapng"))
}

/// A lab configured as `nslab run` configures it: no drop records, the terminal streamed (here
/// to nowhere), and either capture only on demand (no option: no frame is held) or, `pcap`,
/// every frame written to [`pcap_path`] as it happens (`nslab run --pcap FILE`).
fn nslab_run_lab(pcap: bool) -> Lab {
    let mut lab = Lab::new(1);
    lab.kernel.record_drops = false;
    if pcap {
        let f = std::fs::File::create(pcap_path()).expect("creates the pcapng file");
        lab.stream_pcapng(Box::new(f), false);
    } else {
        lab.capture_on_demand();
    }
    lab.stream_terminal(Box::new(|_, data| {
        // (the harness's own check, not `nslab run`'s work: one substring search of the text,
        // vectorised by `str::contains`, instead of a comparison at every byte)
        const LOSS: &str = ", 0 received";
        let lost = match std::str::from_utf8(data) {
            Ok(s) if !s.contains(LOSS) => 0,
            Ok(s) => s.matches(LOSS).count(),
            Err(_) => data.windows(12).filter(|w| *w == LOSS.as_bytes()).count(),
        };
        LOST.with(|l| l.set(l.get() + lost));
    }));
    lab
}

fn lab_setup(src: &str) -> Lab {
    lab_setup_with(src, false, false)
}

/// The lab set up by `src`; `pcap`: capturing as `nslab run --pcap` does; `unlimited`: without
/// the front ends' default limits, which the big runs' 10^8 frames exceed (as `nslab run
/// --max-frames N --max-frame-rate N --max-memory N` with large N).
fn lab_setup_with(src: &str, pcap: bool, unlimited: bool) -> Lab {
    let mut lab = nslab_run_lab(pcap);
    if unlimited {
        lab.set_limits(u64::MAX, sim_core::Duration(u64::MAX), u64::MAX);
        lab.set_max_memory(u64::MAX);
    }
    let r = lab.run_shell(src, "setup.sh");
    assert_eq!(r.failures, 0, "setup failed");
    lab
}

/// Runs a round's script; whether a command failed or a ping got no reply, or (`hops`
/// given: a timed round of [`Workload::check`]) the round's frame hops were not `hops`.
fn try_lab_pings(lab: &mut Lab, traffic: &str, hops: Option<u64>) -> Result<(), String> {
    let tx = |lab: &Lab| -> u64 {
        lab.kernel
            .devs
            .iter()
            .flatten()
            .map(|d| d.stats.tx_packets)
            .sum()
    };
    let before = tx(lab);
    LOST.with(|l| l.set(0));
    let r = lab.run_shell(traffic, "traffic.sh");
    let lost = LOST.with(|l| l.get());
    let made = tx(lab) - before;
    match (r.failures, lost) {
        (0, 0) if hops.is_some_and(|h| h != made) => Err(format!(
            "{made} frame hops, not {}: an echo was lost or a neighbour not warm",
            hops.unwrap_or(0)
        )),
        (0, 0) => Ok(()),
        (0, _) => Err(format!("{lost} pings got no reply ({OVERFLOW})")),
        (f, _) => Err(format!("{f} commands failed")),
    }
}

/// [`try_lab_pings`], panicking on a failure.
fn lab_pings(lab: &mut Lab, traffic: &str, hops: Option<u64>) {
    try_lab_pings(lab, traffic, hops).unwrap_or_else(|e| panic!("{e}"));
}

/// A criterion bench's reference run through the engine (setup, warm-up round if `warm`,
/// one round): its frame hops, or why its pings fail (then the bench is skipped).
fn reference(w: &Workload, warm: bool) -> Result<u64, String> {
    let mut k = w.engine();
    if warm {
        try_engine_pings(&mut k, w.warmup_pings())?;
    }
    try_engine_round(&mut k, w)
}

/// The timed part of a script run: the round, and with `pcap` the end of the pcapng (what
/// `nslab run --pcap` writes after the lab; the frames were written as they happened).
fn lab_round(lab: &mut Lab, traffic: &str, hops: Option<u64>, pcap: bool) {
    lab_pings(lab, traffic, hops);
    if pcap {
        lab.finish_pcapng().expect("writes the pcapng");
    }
}

/// A script-path bench: each iteration a lab set up by `w`'s setup (and, `warm`, its untimed
/// warm-up round), then the timed round, as `nslab run` (with `pcap`: `nslab run --pcap
/// FILE`) runs them.
fn bench_script(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: String,
    w: &Workload,
    warm: bool,
    pcap: bool,
) {
    let setup = w.setup_script();
    let (warmup, traffic) = (traffic_script(w.warmup_pings()), traffic_script(&w.pings));
    g.bench_function(id, |b| {
        b.iter_batched(
            || {
                let mut lab = lab_setup_with(&setup, pcap, false);
                if warm {
                    lab_pings(&mut lab, &warmup, None);
                }
                lab
            },
            |mut lab| {
                lab_round(&mut lab, &traffic, w.hops, pcap);
                lab
            },
            BatchSize::PerIteration,
        )
    });
    if pcap {
        let _ = std::fs::remove_file(pcap_path());
    }
}

fn group_opts(g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(3));
}

/// W1's variants: `cold` (from nothing), `warm` (after a cold round), `static` (warm by
/// configuration, [`w1_static`]); returns the workload and whether it has a warm-up round.
fn w1_variant(n: usize, t: &str) -> (Workload, bool) {
    match t {
        "cold" => (w1(n), false),
        "warm" => (w1(n), true),
        "static" => (w1_static(n), true),
        "warm-echo" => (w1_echo(w1(n), n), true),
        "static-echo" => (w1_echo(w1_static(n), n), true),
        _ => panic!("W1 is cold, warm, static, warm-echo or static-echo, not {t}"),
    }
}

/// One big workload once through the engine and once through the script (outside criterion),
/// each with its setup, warm-up round (`warm`) and timed round printed apart.
fn once_both(engine: &str, script: &str, w: &Workload, warm: bool) {
    let setup = w.setup_script();
    let (warmup, traffic) = (traffic_script(w.warmup_pings()), traffic_script(&w.pings));
    once(
        engine,
        warm,
        || w.engine(),
        |k| {
            let hops = try_engine_pings(k, w.warmup_pings());
            println!("  warm-up: {hops:?} frame hops");
        },
        |k| println!("  {:?} frame hops", try_engine_round(k, w)),
    );
    once(
        script,
        warm,
        || lab_setup_with(&setup, false, true),
        |lab| println!("  warm-up: {:?}", try_lab_pings(lab, &warmup, None)),
        |lab| println!("  {:?}", try_lab_pings(lab, &traffic, w.hops)),
    );
}

fn bench_w1(c: &mut Criterion) {
    let mut g = c.benchmark_group("w1");
    group_opts(&mut g);
    if big() {
        for (n, t) in [
            (10_000, "cold"),
            (10_000, "warm"),
            (10_000, "static"),
            (10_000, "warm-echo"),
            (10_000, "static-echo"),
            (100_000, "static"),
        ] {
            let (w, warm) = w1_variant(n, t);
            write_lab(&format!("w1-{t}-{n}"), &w, warm);
            let name = |p: &str| format!("w1/{p}-{t}/{n}");
            once_both(&name("engine"), &name("script"), &w, warm);
        }
    }
    // 500: the largest W1 cold/warm whose neighbour entries fit the one arp_tbl (OVERFLOW).
    for n in [100usize, 500, 1000] {
        for t in ["cold", "warm", "static", "warm-echo"] {
            let (w, warm) = w1_variant(n, t);
            write_lab(&format!("w1-{t}-{n}"), &w, warm);
            if only_big() {
                continue;
            }
            match reference(&w, warm) {
                Ok(hops) => println!("w1/{t}/{n}: {hops} frame hops per run"),
                Err(e) => {
                    println!("w1/{t}/{n}: skipped: {e}");
                    continue;
                }
            }
            g.bench_function(format!("engine-{t}/{n}"), |b| {
                b.iter_batched(
                    || {
                        let mut k = w.engine();
                        if warm {
                            engine_pings(&mut k, w.warmup_pings());
                        }
                        k
                    },
                    |mut k| {
                        engine_round(&mut k, &w);
                        k
                    },
                    BatchSize::PerIteration,
                )
            });
            let id = |p: &str| format!("{p}-{t}/{n}");
            bench_script(&mut g, id("script"), &w, warm, false);
            bench_script(&mut g, id("script-pcap"), &w, warm, true);
        }
    }
    g.finish();
}

fn bench_w2(c: &mut Criterion) {
    let mut g = c.benchmark_group("w2");
    group_opts(&mut g);
    for (h, p, stat) in [(100, 100, false), (100, 100, true)]
        .into_iter()
        .filter(|_| big())
    {
        let w = w2_with(h, p, stat);
        let t = if stat { "-static" } else { "" };
        write_lab(&format!("w2{t}-{h}x{p}"), &w, true);
        let name = |path: &str| format!("w2/{path}{t}/{h}x{p}");
        once_both(&name("engine"), &name("script"), &w, true);
    }
    for (h, p) in [(10usize, 10usize), (10, 100)] {
        for stat in [false, true] {
            let w = w2_with(h, p, stat);
            let t = if stat { "-static" } else { "" };
            write_lab(&format!("w2{t}-{h}x{p}"), &w, true);
            if only_big() {
                continue;
            }
            match reference(&w, true) {
                Ok(hops) => println!("w2{t}/{h}x{p}: {hops} frame hops per warm run"),
                Err(e) => {
                    println!("w2{t}/{h}x{p}: skipped: {e}");
                    continue;
                }
            }
            g.bench_function(format!("engine{t}/{h}x{p}"), |b| {
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
            let id = format!("script{t}/{h}x{p}");
            bench_script(&mut g, id, &w, true, false);
        }
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
            false,
            || (),
            |_| (),
            |_| drop(engine_setup(&lines)),
        );
        once(
            &format!("setup/script/{n}"),
            false,
            || (),
            |_| (),
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
        bench_script(&mut g, format!("script/{s}"), &w, true, false);
    }
    g.finish();
}

/// `NSLAB_BENCH_COUNT=GROUP/PATH/SIZE` runs one workload alone and exits without criterion,
/// for `perf stat`, `/usr/bin/time -v`, callgrind and profilers: GROUP/PATH is one of
/// `w1/{engine,script,script-pcap}-{cold,warm,static,warm-echo,static-echo}`,
/// `w2/{engine,script,script-pcap}` and
/// `w2/{engine,script,script-pcap}-static` (SIZE `HxP`), `w4/{engine,script,script-pcap}`,
/// `setup/{engine,script}`. It builds the workload, runs its untimed warm-up round (W1 warm
/// and static, W2, W4), then
/// `NSLAB_BENCH_ROUNDS` (default 1) measured rounds, and prints each phase's CPU time and the
/// peak RSS so far (the harness's own building of the workload's lines and script is a phase
/// before the setup's). One round's instructions (callgrind) or CPU time (`perf stat`): the count
/// with ROUNDS=R minus the count with ROUNDS=0, divided by R. The script path runs without
/// the front ends' default limits (see [`lab_setup_with`]); `script-pcap` streams every frame
/// to [`pcap_path`] as `nslab run --pcap` does.
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
    let cpu = usage().0;
    if group == "setup" {
        let lines = setup_only(num(size));
        let text = script(&lines);
        let cpu = phase(name, "workload built (the harness's lines and script)", cpu);
        for _ in 0..rounds {
            if path == "engine" {
                drop(engine_setup(&lines));
            } else {
                drop(lab_setup(&text));
            }
        }
        phase(name, &format!("{rounds} setups"), cpu);
        return;
    }
    let (w, warm) = match group {
        "w1" => {
            // PATH is `engine-T`, `script-T` or `script-pcap-T`; T may hold a dash.
            let t = ["script-pcap-", "script-", "engine-"]
                .iter()
                .find_map(|p| path.strip_prefix(p))
                .unwrap_or(path);
            w1_variant(num(size), t)
        }
        "w2" => {
            let (h, p) = size.split_once('x').expect("HxP");
            (w2_with(num(h), num(p), path.ends_with("static")), true)
        }
        "w4" => (w4(num(size)), true),
        _ => panic!("unknown group {group}"),
    };
    // The lines and the script's text are the harness's work, which `nslab run` does not do (it
    // reads the file): their CPU is a phase of its own, not part of the setup's.
    let setup_text = (!path.starts_with("engine")).then(|| w.setup_script());
    let cpu = phase(name, "workload built (the harness's lines and script)", cpu);
    let round = |k: &mut Kernel| {
        if group == "w4" {
            engine_connects(k, &w.pings)
        } else {
            engine_round(k, &w)
        }
    };
    if path.starts_with("engine") {
        let mut k = w.engine();
        let mut cpu = phase(name, "setup", cpu);
        if warm {
            let hops = if group == "w4" {
                round(&mut k)
            } else {
                engine_pings(&mut k, w.warmup_pings())
            };
            cpu = phase(name, &format!("warm-up round, {hops} frame hops"), cpu);
        }
        let mut hops = 0;
        for _ in 0..rounds {
            hops += round(&mut k);
        }
        phase(name, &format!("{rounds} rounds, {hops} frame hops"), cpu);
    } else {
        let pcap = path.contains("pcap");
        let traffic = traffic_script(&w.pings);
        let mut lab = lab_setup_with(setup_text.as_deref().unwrap_or_default(), pcap, true);
        // Not kept through the rounds: the peak RSS is the lab's (as when the text was a
        // temporary of the setup's call).
        drop(setup_text);
        let mut cpu = phase(name, "setup", cpu);
        if warm {
            lab_pings(&mut lab, &traffic_script(w.warmup_pings()), None);
            cpu = phase(name, "warm-up round", cpu);
        }
        for _ in 0..rounds {
            lab_pings(&mut lab, &traffic, w.hops);
        }
        if pcap {
            lab.finish_pcapng().expect("writes the pcapng");
        }
        phase(name, &format!("{rounds} rounds"), cpu);
        if pcap {
            let len = std::fs::metadata(pcap_path()).map_or(0, |m| m.len());
            println!("{name}: {} written, {len} bytes", pcap_path().display());
        }
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

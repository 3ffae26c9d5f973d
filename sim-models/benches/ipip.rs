// A benchmark measures wall time by design; the model itself never reads the clock.
#![allow(clippy::disallowed_methods)]
//! Calico-IPIP cluster benchmark: N nodes (namespaces `nodeI`, `ens192` 10.7.0.I+1/16 on a
//! bridge `br0` in namespace `switch`), one pod per node (`podI`, 10.233.I.10/32 behind
//! `caliI` with proxy ARP for 169.254.1.1), `tunl0` up on every node with routes
//! `10.233.J.0/24 via NODE_J dev tunl0 onlink` to every other node's pod block. Built through
//! `tools::run` with the same argv a lab uses.
//!
//! `calico_ipip/N`: every pod i pings pod (i+1)%N once, all at once; the simulation runs until
//! every ping has exited (all succeed). Throughput is frame hops: transmissions on every device
//! (`tx_packets`), the tunnels' (inner packets) included.

mod common;

use common::{quiet_kernel, sh};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sim_models::kernel::Kernel;
use std::time::Duration;

fn node_ip(i: usize) -> String {
    format!("10.7.{}.{}", (i + 1) / 256, (i + 1) % 256)
}

fn pod_ip(i: usize) -> String {
    format!("10.233.{i}.10")
}

fn build(n: usize) -> Kernel {
    assert!(n <= 250, "pod blocks are 10.233.I.0/24");
    let mut k = quiet_kernel();
    // As the recording VM: the ipip module is loaded, every namespace gets tunl0.
    k.ipip_module_load();
    sh(&mut k, "ip netns add switch");
    sh(&mut k, "ip netns exec switch ip link add br0 type bridge");
    sh(&mut k, "ip netns exec switch ip link set br0 up");
    for i in 0..n {
        let (node, pod) = (format!("node{i}"), format!("pod{i}"));
        for c in [
            format!("ip netns add {node}"),
            format!("ip netns add {pod}"),
            format!(
                "ip netns exec switch ip link add p{i} type veth peer name ens192 netns {node}"
            ),
            format!("ip netns exec switch ip link set p{i} master br0 up"),
            format!("ip netns exec {node} sysctl -w net.ipv4.ip_forward=1"),
            format!(
                "ip netns exec {node} ip addr add {}/16 dev ens192",
                node_ip(i)
            ),
            format!("ip netns exec {node} ip link set ens192 up"),
            format!("ip netns exec {node} ip route add default via 10.7.0.254 dev ens192 onlink"),
            format!("ip netns exec {node} ip addr add 10.233.{i}.192/32 dev tunl0"),
            format!("ip netns exec {node} ip link set tunl0 up"),
            format!(
                "ip netns exec {node} ip link add cali{i} type veth peer name eth0 netns {pod}"
            ),
            format!("ip netns exec {node} ip link set cali{i} address ee:ee:ee:ee:ee:ee"),
            format!("ip netns exec {node} sysctl -w net.ipv4.conf.cali{i}.proxy_arp=1"),
            format!("ip netns exec {node} sysctl -w net.ipv4.neigh.cali{i}.proxy_delay=0"),
            format!("ip netns exec {node} ip link set cali{i} up"),
            format!(
                "ip netns exec {node} ip route add {}/32 dev cali{i} scope link",
                pod_ip(i)
            ),
            format!("ip netns exec {pod} ip addr add {}/32 dev eth0", pod_ip(i)),
            format!("ip netns exec {pod} ip link set eth0 up"),
            format!("ip netns exec {pod} ip route add 169.254.1.1 dev eth0 scope link"),
            format!("ip netns exec {pod} ip route add default via 169.254.1.1 dev eth0"),
        ] {
            sh(&mut k, &c);
        }
    }
    for i in 0..n {
        for j in (0..n).filter(|&j| j != i) {
            sh(
                &mut k,
                &format!(
                    "ip netns exec node{i} ip route add 10.233.{j}.0/24 via {} dev tunl0 onlink",
                    node_ip(j)
                ),
            );
        }
    }
    k
}

fn ping_all(k: &mut Kernel, n: usize) -> u64 {
    common::ping_all(k, n, |i| {
        format!("ip netns exec pod{i} ping -c 1 {}", pod_ip((i + 1) % n))
    })
}

fn calico_ipip(c: &mut Criterion) {
    let mut g = c.benchmark_group("calico_ipip");
    for n in [3usize, 50] {
        let t = std::time::Instant::now();
        let k = build(n);
        println!(
            "calico_ipip/{n}: setup {:?}, {} namespaces, {} devices",
            t.elapsed(),
            k.nets.iter().flatten().count(),
            k.devs.iter().flatten().count()
        );
        let hops = ping_all(&mut build(n), n);
        println!("calico_ipip/{n}: {hops} frame hops per run");
        g.throughput(Throughput::Elements(hops));
        g.sample_size(10)
            .warm_up_time(Duration::from_millis(200))
            .measurement_time(Duration::from_secs(2));
        common::bench_pings(&mut g, n, hops, build, ping_all);
    }
    g.finish();
}

criterion_group!(benches, calico_ipip);
criterion_main!(benches);

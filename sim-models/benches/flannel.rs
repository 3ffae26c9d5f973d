// A benchmark measures wall time by design; the model itself never reads the clock.
#![allow(clippy::disallowed_methods)]
//! Flannel-VXLAN cluster benchmark: an underlay bridge `br0` in namespace `underlay`; N nodes
//! `node{i}` (underlay 192.168.0.{i+1}/16 on eth0) each with `flannel.1` (VXLAN id 1, dstport
//! 8472, nolearning, 10.244.{i}.0/32), a `cni0` bridge 10.244.{i}.1/24 and one pod `pod{i}`
//! (10.244.{i}.2); for every other node j: `ip route 10.244.{j}.0/24 via 10.244.{j}.0 dev
//! flannel.1 onlink`, a permanent neighbour 10.244.{j}.0 → its flannel.1 MAC and an fdb entry
//! MAC → 192.168.0.{j+1}, as flanneld programs them. All built with `ip`/`bridge` argv.
//!
//! `flannel/N`: every pod i pings pod (i+1)%N once; throughput is frame hops (the sum of
//! `tx_packets`, each encapsulation counting on the flannel device and again on eth0).

mod common;

use common::{quiet_kernel, sh};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sim_models::kernel::Kernel;
use sim_models::wire::fmt_mac;
use std::time::Duration;

fn build(n: usize) -> Kernel {
    let mut k = quiet_kernel();
    sh(&mut k, "ip netns add underlay");
    sh(&mut k, "ip -n underlay link add br0 type bridge");
    sh(&mut k, "ip -n underlay link set br0 up");
    for i in 0..n {
        let (hi, lo) = ((i + 1) / 256, (i + 1) % 256);
        for c in [
            format!("ip netns add node{i}"),
            format!("ip netns add pod{i}"),
            format!("ip -n underlay link add p{i} type veth peer name eth0 netns node{i}"),
            format!("ip -n underlay link set p{i} master br0 up"),
            format!("ip -n node{i} addr add 192.168.{hi}.{lo}/16 dev eth0"),
            format!("ip -n node{i} link set eth0 up"),
            format!("ip netns exec node{i} sysctl -w net.ipv4.ip_forward=1"),
            format!("ip -n node{i} link add flannel.1 type vxlan id 1 local 192.168.{hi}.{lo} dev eth0 dstport 8472 nolearning"),
            format!("ip -n node{i} addr add 10.244.{i}.0/32 dev flannel.1"),
            format!("ip -n node{i} link set flannel.1 up"),
            format!("ip -n node{i} link add cni0 type bridge"),
            format!("ip -n node{i} addr add 10.244.{i}.1/24 dev cni0"),
            format!("ip -n node{i} link set cni0 up"),
            format!("ip -n node{i} link add veth0 type veth peer name eth0 netns pod{i}"),
            format!("ip -n node{i} link set veth0 master cni0 up"),
            format!("ip -n pod{i} addr add 10.244.{i}.2/24 dev eth0"),
            format!("ip -n pod{i} link set eth0 up"),
            format!("ip -n pod{i} route add default via 10.244.{i}.1"),
        ] {
            sh(&mut k, &c);
        }
    }
    let macs: Vec<String> = (0..n)
        .map(|i| {
            let ns = k.ns_by_name(&format!("node{i}")).expect("node");
            let d = k.dev_by_name(ns, "flannel.1").expect("flannel.1");
            fmt_mac(&k.dev(d).mac)
        })
        .collect();
    for i in 0..n {
        for (j, mac) in macs.iter().enumerate().filter(|(j, _)| *j != i) {
            let (hi, lo) = ((j + 1) / 256, (j + 1) % 256);
            for c in [
                format!("ip -n node{i} route add 10.244.{j}.0/24 via 10.244.{j}.0 dev flannel.1 onlink"),
                format!("ip -n node{i} neigh add 10.244.{j}.0 lladdr {mac} dev flannel.1"),
                format!("ip netns exec node{i} bridge fdb add {mac} dev flannel.1 dst 192.168.{hi}.{lo}"),
            ] {
                sh(&mut k, &c);
            }
        }
    }
    k
}

fn ping_all(k: &mut Kernel, n: usize) -> u64 {
    common::ping_all(k, n, |i| {
        format!("ip netns exec pod{i} ping -c 1 10.244.{}.2", (i + 1) % n)
    })
}

fn flannel(c: &mut Criterion) {
    let mut g = c.benchmark_group("flannel");
    for n in [3usize, 50] {
        let t = std::time::Instant::now();
        let k = build(n);
        println!("flannel/{n}: setup {:?}", t.elapsed());
        drop(k);
        let hops = ping_all(&mut build(n), n);
        println!("flannel/{n}: {hops} frame hops per run");
        g.throughput(Throughput::Elements(hops));
        g.sample_size(10)
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(2));
        common::bench_pings(&mut g, n, hops, build, ping_all);
    }
    g.finish();
}

criterion_group!(benches, flannel);
criterion_main!(benches);

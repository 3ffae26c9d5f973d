//! Unit tests of `show.rs`. Expected strings are copied from the real tools (iproute2 6.1, bridge-utils 1.7,
//! net-tools 2.10, ethtool 6.1) run in scratch namespaces, and from the lab recordings.
use super::*;
use crate::kernel::{DevId, DevKind, ROOT_NS};
use crate::net::bridge::Bridge;
use crate::net::bridge::{FdbEntry, FdbKey};
use crate::net::fib::{Route, RT_SCOPE_HOST};
use crate::net::fib::{RTPROT_KERNEL, RTPROT_STATIC, RT_SCOPE_LINK};
use crate::net::neigh::{NUD_PERMANENT, NUD_REACHABLE};
use crate::wire::parse_mac;
use sim_core::Instant;

fn mac(s: &str) -> Mac {
    parse_mac(s).expect("mac")
}

/// The ifindex (userspace's name for a device) of a fixture's device.
fn ix(k: &Kernel, d: DevId) -> IfIndex {
    k.dev(d).ifindex
}

fn ip(s: &str) -> Ipv4Addr {
    s.parse().expect("ip")
}

/// `ip link add A type veth peer name B`: the peer is registered first.
fn veth(k: &mut Kernel, ns: NsId, a: &str, mac_a: &str, b: &str, mac_b: &str) -> (DevId, DevId) {
    let db = k.dev_create(ns, b, DevKind::Veth { peer: None }, mac(mac_b), 1500);
    let da = k.dev_create(ns, a, DevKind::Veth { peer: Some(db) }, mac(mac_a), 1500);
    k.dev_mut(db).kind = DevKind::Veth { peer: Some(da) };
    (da, db)
}

fn bridge(k: &mut Kernel, ns: NsId, name: &str, m: &str) -> DevId {
    k.dev_create(
        ns,
        name,
        DevKind::Bridge(Box::new(Bridge::new())),
        mac(m),
        1500,
    )
}

/// `ip addr add LOCAL[ peer PEER]/PLEN scope SCOPE dev D` (`RTM_NEWADDR`).
fn addr(k: &mut Kernel, d: DevId, local: &str, peer: Option<&str>, plen: u8, scope: u8) {
    let local = ip(local);
    let (ns, ifindex) = (k.dev(d).ns, ix(k, d));
    let m = crate::net::rtnetlink::addr::AddrMsg {
        ifindex,
        local,
        address: peer.map(ip).unwrap_or(local),
        plen,
        broadcast: None,
        scope,
        label: None,
        has_peer: peer.is_some(),
        rt_priority: 0,
    };
    k.rtm_newaddr(ns, &m, false).expect("RTM_NEWADDR");
}

/// `ip link set lo up` (and 127.0.0.1/8, which the initial namespace's lo already has).
fn lo_up(k: &mut Kernel, ns: NsId) {
    let lo = k.if_nametoindex(ns, "lo").expect("lo");
    let up = crate::net::rtnetlink::link::SetLinkMsg {
        ifindex: lo,
        up: Some(true),
        ..Default::default()
    };
    k.rtm_setlink(ns, &up).expect("RTM_SETLINK");
    if k.rtnl_addr_dump(ns, Some(lo)).is_empty() {
        let m = crate::net::rtnetlink::addr::AddrMsg {
            ifindex: lo,
            local: ip("127.0.0.1"),
            address: ip("127.0.0.1"),
            plen: 8,
            broadcast: None,
            scope: RT_SCOPE_HOST,
            label: None,
            has_peer: false,
            rt_priority: 0,
        };
        k.rtm_newaddr(ns, &m, false).expect("RTM_NEWADDR");
    }
}

#[allow(clippy::too_many_arguments)]
fn route(
    k: &mut Kernel,
    ns: NsId,
    table: u32,
    rtype: RtnType,
    dst: &str,
    plen: u8,
    gw: Option<&str>,
    dev: Option<DevId>,
    proto: u8,
    scope: u8,
    metric: u32,
    onlink: bool,
) {
    use crate::net::rtnetlink::route::{RouteMsg, NLM_F_CREATE, NLM_F_EXCL};
    let m = RouteMsg {
        table,
        dst: ip(dst),
        plen,
        rtype,
        proto,
        scope: Some(scope),
        prefsrc: None,
        priority: Some(metric),
        gw: gw.map(ip),
        oif: dev.map(|d| ix(k, d)),
        onlink,
        ..RouteMsg::new(ip(dst), plen)
    };
    k.rtm_newroute(ns, &m, NLM_F_CREATE | NLM_F_EXCL)
        .expect("RTM_NEWROUTE");
}

struct Lab {
    k: Kernel,
    a: NsId,
    b: NsId,
    br0: DevId,
    brv0: DevId,
    x1: DevId,
    x2: DevId,
    br1: DevId,
}

/// The scratch topology the expected outputs were recorded on (namespaces tsA and tsB).
fn lab() -> Lab {
    let mut k = Kernel::new(1);
    let a = k.netns_add("tsA");
    let b = k.netns_add("tsB");
    lo_up(&mut k, a);
    let br0 = bridge(&mut k, a, "br0", "fe:00:00:00:00:01");
    k.dev_set_up(br0, true);
    let (veth0, brv0) = veth(
        &mut k,
        a,
        "veth0",
        "da:17:9b:b9:26:7b",
        "br-veth0",
        "ca:ec:c0:29:5e:16",
    );
    k.dev_change_net(veth0, b);
    k.br_add_if(br0, brv0);
    k.dev_set_up(brv0, true);
    addr(&mut k, veth0, "10.1.1.2", None, 24, RT_SCOPE_UNIVERSE);
    k.dev_set_up(veth0, true);
    addr(&mut k, br0, "10.1.1.1", None, 24, RT_SCOPE_UNIVERSE);
    let (x1, x2) = veth(
        &mut k,
        a,
        "x1",
        "fa:50:3d:cd:91:ab",
        "x2",
        "ce:92:d8:36:77:a5",
    );
    k.dev_set_up(x1, true);
    addr(&mut k, x1, "192.168.5.1", None, 24, RT_SCOPE_UNIVERSE);
    addr(
        &mut k,
        x1,
        "172.16.0.1",
        Some("172.16.0.2"),
        32,
        RT_SCOPE_UNIVERSE,
    );
    let br1 = bridge(&mut k, a, "br1", "62:8b:fd:46:79:9b");
    lo_up(&mut k, b);
    const MAIN: u32 = RT_TABLE_MAIN;
    use RtnType::*;
    route(
        &mut k,
        a,
        MAIN,
        Unicast,
        "0.0.0.0",
        0,
        Some("10.1.1.2"),
        Some(br0),
        RTPROT_BOOT,
        RT_SCOPE_UNIVERSE,
        0,
        false,
    );
    route(
        &mut k,
        a,
        MAIN,
        Unicast,
        "10.9.0.0",
        16,
        Some("192.168.5.7"),
        Some(x1),
        RTPROT_BOOT,
        RT_SCOPE_UNIVERSE,
        0,
        true,
    );
    route(
        &mut k,
        a,
        MAIN,
        Unicast,
        "10.8.0.0",
        16,
        None,
        Some(x1),
        RTPROT_STATIC,
        RT_SCOPE_LINK,
        100,
        false,
    );
    route(
        &mut k,
        a,
        MAIN,
        Unicast,
        "169.254.1.1",
        32,
        None,
        Some(br0),
        RTPROT_BOOT,
        RT_SCOPE_LINK,
        0,
        false,
    );
    route(
        &mut k,
        a,
        MAIN,
        Blackhole,
        "10.7.0.0",
        16,
        None,
        None,
        RTPROT_BOOT,
        RT_SCOPE_UNIVERSE,
        0,
        false,
    );
    route(
        &mut k,
        a,
        100,
        Unreachable,
        "10.6.0.0",
        16,
        None,
        None,
        RTPROT_BOOT,
        RT_SCOPE_UNIVERSE,
        0,
        false,
    );
    route(
        &mut k,
        a,
        MAIN,
        Unicast,
        "10.5.0.0",
        16,
        None,
        Some(br0),
        99,
        RT_SCOPE_LINK,
        0,
        false,
    );
    route(
        &mut k,
        a,
        MAIN,
        Unicast,
        "10.4.0.0",
        16,
        Some("192.168.5.9"),
        Some(x1),
        12,
        RT_SCOPE_UNIVERSE,
        0,
        false,
    );
    k.neigh_update(
        a,
        br0,
        ip("10.1.1.50"),
        Some(mac("aa:bb:cc:dd:ee:ff")),
        NUD_PERMANENT,
        true,
        true,
    );
    k.neigh_update(
        a,
        br0,
        ip("10.1.1.51"),
        Some(mac("aa:bb:cc:dd:ee:01")),
        NUD_REACHABLE,
        true,
        true,
    );
    k.neigh_update(a, br0, ip("10.1.1.52"), None, NUD_INCOMPLETE, true, true);
    k.dev_mut(br0).stats.tx_bytes = 108;
    k.dev_mut(br0).stats.tx_packets = 2;
    k.dev_mut(brv0).stats.tx_bytes = 54;
    k.dev_mut(brv0).stats.tx_packets = 1;
    Lab {
        k,
        a,
        b,
        br0,
        brv0,
        x1,
        x2,
        br1,
    }
}

const LINK: &str = "\
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether ca:ec:c0:29:5e:16 brd ff:ff:ff:ff:ff:ff
3: br-veth0@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000
    link/ether ca:ec:c0:29:5e:16 brd ff:ff:ff:ff:ff:ff link-netns tsB
5: x2@x1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether ce:92:d8:36:77:a5 brd ff:ff:ff:ff:ff:ff
6: x1@x2: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN mode DEFAULT group default qlen 1000
    link/ether fa:50:3d:cd:91:ab brd ff:ff:ff:ff:ff:ff
7: br1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 62:8b:fd:46:79:9b brd ff:ff:ff:ff:ff:ff
";

#[test]
fn link_plain_oneline_brief() {
    let l = lab();
    let o = ShowOpts::default();
    assert_eq!(ip_link_show(&l.k, l.a, None, &o), LINK);
    let one = ip_link_show(&l.k, l.a, None, &ShowOpts { oneline: true, ..o });
    assert_eq!(one, LINK.replace("\n    link/", "\\    link/"));
    let br = ip_link_show(&l.k, l.a, None, &ShowOpts { brief: true, ..o });
    assert_eq!(
        br,
        "\
lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> 
br0              UP             ca:ec:c0:29:5e:16 <BROADCAST,MULTICAST,UP,LOWER_UP> 
br-veth0@if4     UP             ca:ec:c0:29:5e:16 <BROADCAST,MULTICAST,UP,LOWER_UP> 
x2@x1            DOWN           ce:92:d8:36:77:a5 <BROADCAST,MULTICAST> 
x1@x2            LOWERLAYERDOWN fa:50:3d:cd:91:ab <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> 
br1              DOWN           62:8b:fd:46:79:9b <BROADCAST,MULTICAST> 
"
    );
    assert_eq!(
            ip_link_show(&l.k, l.b, None, &o),
            "\
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
4: veth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether da:17:9b:b9:26:7b brd ff:ff:ff:ff:ff:ff link-netns tsA
"
        );
    let x1 = ip_link_show(&l.k, l.a, Some(ix(&l.k, l.x1)), &o);
    assert!(x1.starts_with("6: x1@x2: <NO-CARRIER"), "{x1}");
    assert_eq!(x1.lines().count(), 2);
}

#[test]
fn link_details() {
    let l = lab();
    let o = ShowOpts {
        details: true,
        ..Default::default()
    };
    let tail = "addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n";
    assert_eq!(
            ip_link_show(&l.k, l.a, l.k.if_nametoindex(l.a, "lo"), &o),
            format!(
                "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n    \
                 link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 {tail}"
            )
        );
    let br0 = "2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether ca:ec:c0:29:5e:16 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 bridge_id 8000.ca:ec:c0:29:5e:16 designated_root 8000.ca:ec:c0:29:5e:16 root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer  297.34 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
";
    assert_eq!(
        ip_link_show(&l.k, l.a, Some(ix(&l.k, l.br0)), &o),
        br0.replace("gc_timer  297.34", "gc_timer    0.00")
    );
    let port = "3: br-veth0@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000
    link/ether ca:ec:c0:29:5e:16 brd ff:ff:ff:ff:ff:ff link-netns tsB promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535 
    veth 
    bridge_slave state forwarding priority 32 cost 2 hairpin off guard off root_block off fastleave off learning on flood on port_id 0x8001 port_no 0x1 designated_port 32769 designated_cost 0 designated_bridge 8000.ca:ec:c0:29:5e:16 designated_root 8000.ca:ec:c0:29:5e:16 hold_timer    0.00 message_age_timer    0.00 forward_delay_timer   12.26 topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
";
    assert_eq!(
        ip_link_show(&l.k, l.a, Some(ix(&l.k, l.brv0)), &o),
        port.replace("timer   12.26", "timer    0.00")
    );
    let x2 = "5: x2@x1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether ce:92:d8:36:77:a5 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    veth addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
";
    assert_eq!(ip_link_show(&l.k, l.a, Some(ix(&l.k, l.x2)), &o), x2);
    let br1 = ip_link_show(&l.k, l.a, Some(ix(&l.k, l.br1)), &o);
    assert!(
        br1.contains(" bridge_id 8000.0:0:0:0:0:0 designated_root 8000.0:0:0:0:0:0 "),
        "{br1}"
    );
    assert!(br1.contains(" tso_max_size 65536 "), "{br1}");
    // -d -o: the lines are joined with `\`, exactly as the recordings show.
    let one = ip_link_show(
        &l.k,
        l.a,
        Some(ix(&l.k, l.x2)),
        &ShowOpts { oneline: true, ..o },
    );
    assert_eq!(one, x2.trim_end_matches('\n').replace('\n', "\\") + "\n");
}

#[test]
fn link_stats() {
    let l = lab();
    let o = ShowOpts {
        stats: true,
        ..Default::default()
    };
    assert_eq!(
            ip_link_show(&l.k, l.a, Some(ix(&l.k, l.br0)), &o),
            "\
2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether ca:ec:c0:29:5e:16 brd ff:ff:ff:ff:ff:ff
    RX:  bytes packets errors dropped  missed   mcast           
             0       0      0       0       0       0 
    TX:  bytes packets errors dropped carrier collsns           
           108       2      0       0       0       0 
"
        );
    let mut k = l.k;
    k.dev_mut(l.br0).stats.rx_bytes = 12_345_678_901;
    let s = ip_link_show(&k, l.a, Some(ix(&k, l.br0)), &o);
    assert!(s.contains("\n    RX:   bytes packets"), "{s}");
    assert!(s.contains("\n    12345678901       0 "), "{s}");
}

#[test]
fn addr_forms() {
    let mut l = lab();
    // A secondary: `ip addr add 10.1.1.9/24 dev br0`.
    addr(&mut l.k, l.br0, "10.1.1.9", None, 24, RT_SCOPE_UNIVERSE);
    let o = ShowOpts::default();
    assert_eq!(
            ip_addr_show(&l.k, l.a, None, &o),
            "\
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether ca:ec:c0:29:5e:16 brd ff:ff:ff:ff:ff:ff
    inet 10.1.1.1/24 scope global br0
       valid_lft forever preferred_lft forever
    inet 10.1.1.9/24 scope global secondary br0
       valid_lft forever preferred_lft forever
3: br-veth0@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP group default qlen 1000
    link/ether ca:ec:c0:29:5e:16 brd ff:ff:ff:ff:ff:ff link-netns tsB
5: x2@x1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default qlen 1000
    link/ether ce:92:d8:36:77:a5 brd ff:ff:ff:ff:ff:ff
6: x1@x2: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN group default qlen 1000
    link/ether fa:50:3d:cd:91:ab brd ff:ff:ff:ff:ff:ff
    inet 192.168.5.1/24 scope global x1
       valid_lft forever preferred_lft forever
    inet 172.16.0.1 peer 172.16.0.2/32 scope global x1
       valid_lft forever preferred_lft forever
7: br1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default qlen 1000
    link/ether 62:8b:fd:46:79:9b brd ff:ff:ff:ff:ff:ff
"
        );
    assert_eq!(
            ip_addr_show(&l.k, l.a, None, &ShowOpts { family4: true, ..o }),
            "\
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    inet 10.1.1.1/24 scope global br0
       valid_lft forever preferred_lft forever
    inet 10.1.1.9/24 scope global secondary br0
       valid_lft forever preferred_lft forever
6: x1@x2: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN group default qlen 1000
    inet 192.168.5.1/24 scope global x1
       valid_lft forever preferred_lft forever
    inet 172.16.0.1 peer 172.16.0.2/32 scope global x1
       valid_lft forever preferred_lft forever
"
        );
    let one = "\
1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
2: br0    inet 10.1.1.1/24 scope global br0\\       valid_lft forever preferred_lft forever
2: br0    inet 10.1.1.9/24 scope global secondary br0\\       valid_lft forever preferred_lft forever
6: x1    inet 192.168.5.1/24 scope global x1\\       valid_lft forever preferred_lft forever
6: x1    inet 172.16.0.1 peer 172.16.0.2/32 scope global x1\\       valid_lft forever preferred_lft forever
";
    assert_eq!(
        ip_addr_show(&l.k, l.a, None, &ShowOpts { oneline: true, ..o }),
        one
    );
    assert_eq!(
        ip_addr_show(
            &l.k,
            l.a,
            None,
            &ShowOpts {
                oneline: true,
                family4: true,
                ..o
            }
        ),
        one
    );
    assert_eq!(
        ip_addr_show(&l.k, l.a, None, &ShowOpts { brief: true, ..o }),
        "\
lo               UNKNOWN        127.0.0.1/8 
br0              UP             10.1.1.1/24 10.1.1.9/24 
br-veth0@if4     UP             
x2@x1            DOWN           
x1@x2            LOWERLAYERDOWN 192.168.5.1/24 172.16.0.1 peer 172.16.0.2/32 
br1              DOWN           
"
    );
    assert_eq!(
            ip_addr_show(&l.k, l.b, None, &o),
            "\
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
4: veth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether da:17:9b:b9:26:7b brd ff:ff:ff:ff:ff:ff link-netns tsA
    inet 10.1.1.2/24 scope global veth0
       valid_lft forever preferred_lft forever
"
        );
    assert_eq!(
            ip_addr_show(&l.k, l.b, None, &ShowOpts { brief: true, ..o }),
            "lo               UNKNOWN        127.0.0.1/8 \nveth0@if3        UP             10.1.1.2/24 \n"
        );
}

#[test]
fn addr_details_and_stats() {
    let mut l = lab();
    let v = l.k.dev_by_name(l.b, "veth0").expect("veth0");
    l.k.dev_mut(v).stats.rx_bytes = 54;
    l.k.dev_mut(v).stats.rx_packets = 1;
    l.k.dev_mut(v).stats.tx_bytes = 256;
    l.k.dev_mut(v).stats.tx_packets = 4;
    let d = ShowOpts {
        details: true,
        ..Default::default()
    };
    assert_eq!(
            ip_addr_show(&l.k, l.b, Some(ix(&l.k, v)), &d),
            "\
4: veth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether da:17:9b:b9:26:7b brd ff:ff:ff:ff:ff:ff link-netns tsA promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    veth numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
    inet 10.1.1.2/24 scope global veth0
       valid_lft forever preferred_lft forever
"
        );
    let s = ShowOpts {
        stats: true,
        ..Default::default()
    };
    assert_eq!(
            ip_addr_show(&l.k, l.b, Some(ix(&l.k, v)), &s),
            "\
4: veth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether da:17:9b:b9:26:7b brd ff:ff:ff:ff:ff:ff link-netns tsA
    inet 10.1.1.2/24 scope global veth0
       valid_lft forever preferred_lft forever
    RX:  bytes packets errors dropped  missed   mcast           
            54       1      0       0       0       0 
    TX:  bytes packets errors dropped carrier collsns           
           256       4      0       0       0       0 
"
        );
    assert_eq!(
            ip_link_show(&l.k, l.b, Some(ix(&l.k, v)), &ShowOpts { oneline: true, ..s }),
            "4: veth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether da:17:9b:b9:26:7b brd ff:ff:ff:ff:ff:ff link-netns tsA\\    RX:  bytes packets errors dropped  missed   mcast           \\            54       1      0       0       0       0 \\    TX:  bytes packets errors dropped carrier collsns           \\           256       4      0       0       0       0 \n"
        );
    assert_eq!(
        ip_link_show(&l.k, l.b, Some(ix(&l.k, v)), &ShowOpts { brief: true, ..s }),
        "veth0@if3        UP             da:17:9b:b9:26:7b <BROADCAST,MULTICAST,UP,LOWER_UP> \n"
    );
}

const MAIN_ROUTES: &str = "\
default via 10.1.1.2 dev br0 
10.1.1.0/24 dev br0 proto kernel scope link src 10.1.1.1 
10.4.0.0/16 via 192.168.5.9 dev x1 proto bird linkdown 
10.5.0.0/16 dev br0 proto openr scope link 
blackhole 10.7.0.0/16 
10.8.0.0/16 dev x1 proto static scope link metric 100 linkdown 
10.9.0.0/16 via 192.168.5.7 dev x1 onlink linkdown 
169.254.1.1 dev br0 scope link 
172.16.0.2 dev x1 proto kernel scope link src 172.16.0.1 linkdown 
192.168.5.0/24 dev x1 proto kernel scope link src 192.168.5.1 linkdown 
";

const LOCAL_ROUTES: &str = "\
local 10.1.1.1 dev br0 table local proto kernel scope host src 10.1.1.1 
broadcast 10.1.1.255 dev br0 table local proto kernel scope link src 10.1.1.1 
local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1 
local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1 
broadcast 127.255.255.255 dev lo table local proto kernel scope link src 127.0.0.1 
local 172.16.0.1 dev x1 table local proto kernel scope host src 172.16.0.1 
local 192.168.5.1 dev x1 table local proto kernel scope host src 192.168.5.1 
broadcast 192.168.5.255 dev x1 table local proto kernel scope link src 192.168.5.1 linkdown 
";

#[test]
fn routes() {
    let l = lab();
    let none = RouteFilter::default();
    assert_eq!(ip_route_show(&l.k, l.a, TableSel::Main, &none), MAIN_ROUTES);
    assert_eq!(
        ip_route_show(&l.k, l.a, TableSel::Id(RT_TABLE_MAIN), &none),
        MAIN_ROUTES
    );
    let all = format!("unreachable 10.6.0.0/16 table 100 \n{MAIN_ROUTES}{LOCAL_ROUTES}");
    assert_eq!(ip_route_show(&l.k, l.a, TableSel::All, &none), all);
    assert_eq!(
        ip_route_show(&l.k, l.a, TableSel::Local, &none),
        LOCAL_ROUTES.replace("table local ", "")
    );
    assert_eq!(
        ip_route_show(&l.k, l.a, TableSel::Id(100), &none),
        "unreachable 10.6.0.0/16 \n"
    );
    assert_eq!(
        ip_route_show(&l.k, l.b, TableSel::Main, &none),
        "10.1.1.0/24 dev veth0 proto kernel scope link src 10.1.1.2 \n"
    );
    let f = RouteFilter {
        dev: Some(ix(&l.k, l.br0)),
        ..Default::default()
    };
    assert_eq!(
            ip_route_show(&l.k, l.a, TableSel::Main, &f),
            "default via 10.1.1.2 \n10.1.1.0/24 proto kernel scope link src 10.1.1.1 \n10.5.0.0/16 proto openr scope link \n169.254.1.1 scope link \n"
        );
    let f = RouteFilter {
        prefix: Some((ip("10.1.1.0"), 24)),
        ..Default::default()
    };
    assert_eq!(
        ip_route_show(&l.k, l.a, TableSel::Main, &f),
        "10.1.1.0/24 dev br0 proto kernel scope link src 10.1.1.1 \n"
    );
    let f = RouteFilter {
        rtype: Some(RtnType::Unreachable),
        ..Default::default()
    };
    assert_eq!(
        ip_route_show(&l.k, l.a, TableSel::All, &f),
        "unreachable 10.6.0.0/16 table 100 \n"
    );
}

#[test]
fn routes_after_carrier_and_filters() {
    let mut l = lab();
    // `ip link set x2 master br0; ip link set x2 up`: x1 gets its carrier back.
    l.k.br_add_if(l.br0, l.x2);
    l.k.dev_set_up(l.x2, true);
    let f = RouteFilter {
        scope: Some(RT_SCOPE_LINK),
        ..Default::default()
    };
    assert_eq!(
        ip_route_show(&l.k, l.a, TableSel::Main, &f),
        "\
10.1.1.0/24 dev br0 proto kernel src 10.1.1.1 
10.5.0.0/16 dev br0 proto openr 
10.8.0.0/16 dev x1 proto static metric 100 
169.254.1.1 dev br0 
172.16.0.2 dev x1 proto kernel src 172.16.0.1 
192.168.5.0/24 dev x1 proto kernel src 192.168.5.1 
"
    );
    let f = RouteFilter {
        proto: Some(RTPROT_KERNEL),
        ..Default::default()
    };
    assert_eq!(
        ip_route_show(&l.k, l.a, TableSel::Main, &f),
        "\
10.1.1.0/24 dev br0 scope link src 10.1.1.1 
172.16.0.2 dev x1 scope link src 172.16.0.1 
192.168.5.0/24 dev x1 scope link src 192.168.5.1 
"
    );
    assert_eq!(
            brctl_showmacs(&l.k, l.a, ix(&l.k, l.br0)),
            "port no\tmac addr\t\tis local?\tageing timer\n  1\tca:ec:c0:29:5e:16\tyes\t\t   0.00\n  2\tce:92:d8:36:77:a5\tyes\t\t   0.00\n"
        );
}

#[test]
fn route_n_output() {
    let mut l = lab();
    let a = l.a;
    route(
        &mut l.k,
        a,
        RT_TABLE_MAIN,
        RtnType::Unreachable,
        "10.3.0.0",
        16,
        None,
        None,
        RTPROT_BOOT,
        RT_SCOPE_UNIVERSE,
        0,
        false,
    );
    route(
        &mut l.k,
        a,
        RT_TABLE_MAIN,
        RtnType::Prohibit,
        "10.2.0.0",
        16,
        None,
        None,
        RTPROT_BOOT,
        RT_SCOPE_UNIVERSE,
        0,
        false,
    );
    assert_eq!(
        route_n(&l.k, l.a),
        "\
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
0.0.0.0         10.1.1.2        0.0.0.0         UG    0      0        0 br0
10.1.1.0        0.0.0.0         255.255.255.0   U     0      0        0 br0
10.2.0.0        -               255.255.0.0     !     0      -        0 -
10.3.0.0        -               255.255.0.0     !     0      -        0 -
10.4.0.0        192.168.5.9     255.255.0.0     UG    0      0        0 x1
10.5.0.0        0.0.0.0         255.255.0.0     U     0      0        0 br0
10.7.0.0        0.0.0.0         255.255.0.0     U     0      0        0 *
10.8.0.0        0.0.0.0         255.255.0.0     U     100    0        0 x1
10.9.0.0        192.168.5.7     255.255.0.0     UG    0      0        0 x1
169.254.1.1     0.0.0.0         255.255.255.255 UH    0      0        0 br0
172.16.0.2      0.0.0.0         255.255.255.255 UH    0      0        0 x1
192.168.5.0     0.0.0.0         255.255.255.0   U     0      0        0 x1
"
    );
    assert_eq!(
        ip_route_show(
            &l.k,
            l.a,
            TableSel::Main,
            &RouteFilter {
                rtype: Some(RtnType::Unreachable),
                ..Default::default()
            }
        ),
        "unreachable 10.3.0.0/16 \n"
    );
}

#[test]
fn neigh() {
    let l = lab();
    let want = "\
10.1.1.50 dev br0 lladdr aa:bb:cc:dd:ee:ff PERMANENT 
10.1.1.51 dev br0 lladdr aa:bb:cc:dd:ee:01 REACHABLE 
10.1.1.52 dev br0 INCOMPLETE 
";
    assert_eq!(ip_neigh_show(&l.k, l.a, None), want);
    assert_eq!(ip_neigh_show(&l.k, l.b, None), "");
    let mut k = l.k;
    let (a, br0) = (l.a, l.br0);
    k.neigh_update(
        a,
        br0,
        ip("10.1.1.53"),
        Some(mac("02:00:00:00:00:53")),
        crate::net::neigh::NUD_STALE,
        true,
        true,
    );
    k.neigh_update(
        a,
        br0,
        ip("10.1.1.54"),
        Some(mac("02:00:00:00:00:54")),
        NUD_NOARP,
        true,
        true,
    );
    k.neigh_update(a, br0, ip("10.1.1.55"), None, NUD_FAILED, true, true);
    assert_eq!(
        ip_neigh_show(&k, a, Some(ix(&k, br0))),
        "\
10.1.1.50 lladdr aa:bb:cc:dd:ee:ff PERMANENT 
10.1.1.51 lladdr aa:bb:cc:dd:ee:01 REACHABLE 
10.1.1.52 INCOMPLETE 
10.1.1.53 lladdr 02:00:00:00:00:53 STALE 
10.1.1.55 FAILED 
"
    );
    assert_eq!(
            ip_addr_show(&k, a, None, &ShowOpts { brief: true, family4: true, ..Default::default() }),
            "lo               UNKNOWN        127.0.0.1/8 \nbr0              UP             10.1.1.1/24 \nx1@x2            LOWERLAYERDOWN 192.168.5.1/24 172.16.0.1 peer 172.16.0.2/32 \n"
        );
}

#[test]
fn fdb_and_brctl() {
    let mut l = lab();
    assert_eq!(
        bridge_fdb_show(&l.k, l.a),
        "\
33:33:00:00:00:01 dev br0 self permanent
01:00:5e:00:00:6a dev br0 self permanent
33:33:00:00:00:6a dev br0 self permanent
01:00:5e:00:00:01 dev br0 self permanent
ca:ec:c0:29:5e:16 dev br-veth0 master br0 permanent
33:33:00:00:00:01 dev br-veth0 self permanent
01:00:5e:00:00:01 dev br-veth0 self permanent
33:33:00:00:00:01 dev x2 self permanent
33:33:00:00:00:01 dev x1 self permanent
01:00:5e:00:00:01 dev x1 self permanent
33:33:00:00:00:01 dev br1 self permanent
62:8b:fd:46:79:9b dev br1 master br1 permanent
"
    );
    assert_eq!(
        bridge_fdb_show(&l.k, l.b),
        "33:33:00:00:00:01 dev veth0 self permanent\n01:00:5e:00:00:01 dev veth0 self permanent\n"
    );
    assert_eq!(
            brctl_show(&l.k, l.a),
            "bridge name\tbridge id\t\tSTP enabled\tinterfaces\nbr0\t\t8000.caecc0295e16\tno\t\tbr-veth0\nbr1\t\t8000.000000000000\tno\t\t\n"
        );
    assert_eq!(
        brctl_showmacs(&l.k, l.a, ix(&l.k, l.br0)),
        "port no\tmac addr\t\tis local?\tageing timer\n  1\tca:ec:c0:29:5e:16\tyes\t\t   0.00\n"
    );
    // A second bridge with two ports, and x2 joining br0.
    let a = l.a;
    let lb = bridge(&mut l.k, a, "longbridgename1", "fe:00:00:00:00:02");
    let (p1, p0) = veth(
        &mut l.k,
        a,
        "p1",
        "b2:9e:00:da:4c:1a",
        "p0",
        "ea:c8:39:d7:17:20",
    );
    l.k.br_add_if(lb, p1);
    l.k.br_add_if(lb, p0);
    l.k.br_add_if(l.br0, l.x2);
    l.k.dev_set_up(l.x2, true);
    assert_eq!(
        brctl_show(&l.k, l.a),
        "\
bridge name\tbridge id\t\tSTP enabled\tinterfaces
br0\t\t8000.caecc0295e16\tno\t\tbr-veth0
\t\t\t\t\t\t\tx2
br1\t\t8000.000000000000\tno\t\t
longbridgename1\t\t8000.b29e00da4c1a\tno\t\tp0
\t\t\t\t\t\t\tp1
"
    );
    // br1 up without ports; br-veth0 down.
    l.k.dev_set_up(l.br1, true);
    l.k.dev_set_up(l.brv0, false);
    assert_eq!(
            ip_link_show(&l.k, l.a, Some(ix(&l.k, l.br1)), &ShowOpts::default()),
            "7: br1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n    link/ether 62:8b:fd:46:79:9b brd ff:ff:ff:ff:ff:ff\n"
        );
    assert_eq!(
            ip_link_show(&l.k, l.b, l.k.if_nametoindex(l.b, "veth0"), &ShowOpts::default()),
            "4: veth0@if3: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000\n    link/ether da:17:9b:b9:26:7b brd ff:ff:ff:ff:ff:ff link-netns tsA\n"
        );
    let fdb = bridge_fdb_show(&l.k, l.a);
    assert!(
            fdb.contains(
                "33:33:00:00:00:01 dev br1 self permanent\n01:00:5e:00:00:6a dev br1 self permanent\n33:33:00:00:00:6a dev br1 self permanent\n01:00:5e:00:00:01 dev br1 self permanent\n62:8b:fd:46:79:9b dev br1 master br1 permanent\n"
            ),
            "{fdb}"
        );
    assert!(
        fdb.ends_with(
            "33:33:00:00:00:01 dev longbridgename1 self permanent
ea:c8:39:d7:17:20 dev p0 master longbridgename1 permanent
33:33:00:00:00:01 dev p0 self permanent
b2:9e:00:da:4c:1a dev p1 master longbridgename1 permanent
33:33:00:00:00:01 dev p1 self permanent
"
        ),
        "{fdb}"
    );
}

/// Excerpts of the seed003-bridge recording's state/{root,ns1}.txt (verbatim).
const SEED003_ROOT: &str = r#"### ip -d -o link
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\    link/ether e6:16:38:dc:23:19 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 bridge_id 8000.e6:16:38:dc:23:19 designated_root 8000.e6:16:38:dc:23:19 root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer  296.29 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
3: br-veth0@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000\    link/ether fa:da:92:76:9c:8f brd ff:ff:ff:ff:ff:ff link-netns ns1 promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535 \    veth \    bridge_slave state forwarding priority 32 cost 2 hairpin off guard off root_block off fastleave off learning on flood on port_id 0x8001 port_no 0x1 designated_port 32769 designated_cost 0 designated_bridge 8000.e6:16:38:dc:23:19 designated_root 8000.e6:16:38:dc:23:19 hold_timer    0.00 message_age_timer    0.00 forward_delay_timer   11.27 topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
5: br-veth1@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000\    link/ether e6:16:38:dc:23:19 brd ff:ff:ff:ff:ff:ff link-netns ns2 promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535 \    veth \    bridge_slave state forwarding priority 32 cost 2 hairpin off guard off root_block off fastleave off learning on flood on port_id 0x8002 port_no 0x2 designated_port 32770 designated_cost 0 designated_bridge 8000.e6:16:38:dc:23:19 designated_root 8000.e6:16:38:dc:23:19 hold_timer    0.00 message_age_timer    0.00 forward_delay_timer   11.29 topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
### ip -4 -o addr
1: lo    inet 127.0.0.1/8 scope host lo\       valid_lft forever preferred_lft forever
### ip -4 route show table all
local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1 
local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1 
broadcast 127.255.255.255 dev lo table local proto kernel scope link src 127.0.0.1 
### ip -4 neigh
### bridge fdb show
33:33:00:00:00:01 dev br0 self permanent
01:00:5e:00:00:6a dev br0 self permanent
33:33:00:00:00:6a dev br0 self permanent
01:00:5e:00:00:01 dev br0 self permanent
a6:41:75:ea:36:e2 dev br-veth0 master br0 
fa:da:92:76:9c:8f dev br-veth0 master br0 permanent
33:33:00:00:00:01 dev br-veth0 self permanent
01:00:5e:00:00:01 dev br-veth0 self permanent
16:60:99:d6:70:7c dev br-veth1 master br0 
e6:16:38:dc:23:19 dev br-veth1 master br0 permanent
33:33:00:00:00:01 dev br-veth1 self permanent
01:00:5e:00:00:01 dev br-veth1 self permanent
"#;
const SEED003_NS1: &str = r#"### ip -d -o link
1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
4: veth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\    link/ether a6:41:75:ea:36:e2 brd ff:ff:ff:ff:ff:ff link-netns nsl-root promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \    veth addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
### ip -4 -o addr
4: veth0    inet 10.1.1.2/24 scope global veth0\       valid_lft forever preferred_lft forever
### ip -4 route show table all
10.1.1.0/24 dev veth0 proto kernel scope link src 10.1.1.2 
local 10.1.1.2 dev veth0 table local proto kernel scope host src 10.1.1.2 
broadcast 10.1.1.255 dev veth0 table local proto kernel scope link src 10.1.1.2 
### ip -4 neigh
10.1.1.3 dev veth0 lladdr 16:60:99:d6:70:7c REACHABLE 
### bridge fdb show
33:33:00:00:00:01 dev veth0 self permanent
01:00:5e:00:00:01 dev veth0 self permanent
"#;

/// The lab seed003-bridge as recorded on the kernel (state/root.txt, state/ns1.txt).
#[test]
fn seed003_bridge_recording() {
    let mut k = Kernel::new(1);
    let root = ROOT_NS;
    let ns1 = k.netns_add("ns1");
    let ns2 = k.netns_add("ns2");
    let br0 = bridge(&mut k, root, "br0", "fe:00:00:00:00:09");
    k.dev_set_up(br0, true);
    let (veth0, brv0) = veth(
        &mut k,
        root,
        "veth0",
        "a6:41:75:ea:36:e2",
        "br-veth0",
        "fa:da:92:76:9c:8f",
    );
    let (veth1, brv1) = veth(
        &mut k,
        root,
        "veth1",
        "16:60:99:d6:70:7c",
        "br-veth1",
        "e6:16:38:dc:23:19",
    );
    k.dev_change_net(veth0, ns1);
    k.br_add_if(br0, brv0);
    k.dev_set_up(brv0, true);
    k.dev_change_net(veth1, ns2);
    k.br_add_if(br0, brv1);
    k.dev_set_up(brv1, true);
    addr(&mut k, veth0, "10.1.1.2", None, 24, RT_SCOPE_UNIVERSE);
    k.dev_set_up(veth0, true);
    addr(&mut k, veth1, "10.1.1.3", None, 24, RT_SCOPE_UNIVERSE);
    k.dev_set_up(veth1, true);
    lo_up(&mut k, root);
    k.neigh_update(
        ns1,
        veth0,
        ip("10.1.1.3"),
        Some(mac("16:60:99:d6:70:7c")),
        NUD_REACHABLE,
        true,
        false,
    );
    k.now = Instant(1_000_000_000);
    if let DevKind::Bridge(b) = &mut k.dev_mut(br0).kind {
        let now = Instant(500_000_000);
        b.fdb.insert(
            FdbKey::new(mac("a6:41:75:ea:36:e2"), 0),
            FdbEntry {
                port: Some(brv0),
                local: false,
                is_static: false,
                sticky: false,
                updated: now,
                seq: 100,
            },
        );
        b.fdb.insert(
            FdbKey::new(mac("16:60:99:d6:70:7c"), 0),
            FdbEntry {
                port: Some(brv1),
                local: false,
                is_static: false,
                sticky: false,
                updated: now,
                seq: 101,
            },
        );
    }
    let rec_root = SEED003_ROOT;
    let rec_ns1 = SEED003_NS1;
    let section = |rec: &str, name: &str| -> String {
        let start = rec
            .find(&format!("### {name}\n"))
            .map(|i| i + name.len() + 5)
            .unwrap_or(0);
        let rest = &rec[start..];
        if rest.starts_with("###") {
            return String::new();
        }
        rest[..rest.find("\n###").map(|i| i + 1).unwrap_or(rest.len())].to_string()
    };
    let d = ShowOpts {
        details: true,
        oneline: true,
        ..Default::default()
    };
    let o4 = ShowOpts {
        family4: true,
        oneline: true,
        ..Default::default()
    };
    let untimed = |s: String| {
        s.replace("gc_timer  296.29", "gc_timer    0.00")
            .replace("timer   11.27", "timer    0.00")
            .replace("timer   11.29", "timer    0.00")
    };
    assert_eq!(
        ip_link_show(&k, root, None, &d),
        untimed(section(rec_root, "ip -d -o link"))
    );
    assert_eq!(
        ip_addr_show(&k, root, None, &o4),
        section(rec_root, "ip -4 -o addr")
    );
    assert_eq!(
        ip_route_show(&k, root, TableSel::All, &RouteFilter::default()),
        section(rec_root, "ip -4 route show table all")
    );
    assert_eq!(
        ip_neigh_show(&k, root, None),
        section(rec_root, "ip -4 neigh")
    );
    assert_eq!(
        bridge_fdb_show(&k, root),
        section(rec_root, "bridge fdb show")
    );
    // The recording's "root" is a named namespace (nsl-root); the initial one has no name.
    let ns1_link =
        section(rec_ns1, "ip -d -o link").replace("link-netns nsl-root", "link-netnsid 0");
    assert_eq!(ip_link_show(&k, ns1, None, &d), ns1_link);
    assert_eq!(
        ip_addr_show(&k, ns1, None, &o4),
        section(rec_ns1, "ip -4 -o addr")
    );
    assert_eq!(
        ip_route_show(&k, ns1, TableSel::All, &RouteFilter::default()),
        section(rec_ns1, "ip -4 route show table all")
    );
    assert_eq!(
        ip_neigh_show(&k, ns1, None),
        section(rec_ns1, "ip -4 neigh")
    );
    assert_eq!(
        bridge_fdb_show(&k, ns1),
        section(rec_ns1, "bridge fdb show")
    );
    assert_eq!(
            brctl_showmacs(&k, root, ix(&k, br0)),
            "port no\tmac addr\t\tis local?\tageing timer\n  2\t16:60:99:d6:70:7c\tno\t\t   0.50\n  1\ta6:41:75:ea:36:e2\tno\t\t   0.50\n  2\te6:16:38:dc:23:19\tyes\t\t   0.00\n  1\tfa:da:92:76:9c:8f\tyes\t\t   0.00\n"
        );
    // After ageing (300 s) the learned entries are no longer shown.
    k.now = Instant(400_000_000_000);
    assert!(!bridge_fdb_show(&k, root).contains("a6:41:75:ea:36:e2"));
    assert_eq!(
        ethtool_s(&k, root, ix(&k, brv0)).lines().nth(1),
        Some("     peer_ifindex: 4")
    );
    // Moving veth0 and veth1 out gave the initial namespace ids for ns1 and ns2
    // (dev_change_net_namespace's peernet2id_alloc; recorded in tests/recorded/json/netns-ids).
    assert_eq!(ip_netns_list(&k, ROOT_NS), "ns1 (id: 0)\nns2 (id: 1)\n");
}

#[test]
fn ethtool_veth() {
    let l = lab();
    assert_eq!(
        ethtool_s(&l.k, l.a, ix(&l.k, l.brv0)),
        "\
NIC statistics:
     peer_ifindex: 4
     rx_queue_0_xdp_packets: 0
     rx_queue_0_xdp_bytes: 0
     rx_queue_0_drops: 0
     rx_queue_0_xdp_redirect: 0
     rx_queue_0_xdp_drops: 0
     rx_queue_0_xdp_tx: 0
     rx_queue_0_xdp_tx_errors: 0
     tx_queue_0_xdp_xmit: 0
     tx_queue_0_xdp_xmit_errors: 0
"
    );
    assert_eq!(
        ethtool_s(&l.k, l.a, ix(&l.k, l.br0)),
        "no stats available\n"
    );
    assert_eq!(ip_netns_list(&l.k, ROOT_NS), "tsA\ntsB\n");
}

/// Dead ids, deleted namespaces and dangling peers never panic.
#[test]
fn robust_on_any_state() {
    let mut l = lab();
    let o = ShowOpts {
        details: true,
        stats: true,
        ..Default::default()
    };
    assert_eq!(ip_link_show(&l.k, 999, None, &o), "");
    assert_eq!(ip_link_show(&l.k, l.a, Some(999), &o), "");
    assert_eq!(
        ip_route_show(&l.k, 999, TableSel::All, &RouteFilter::default()),
        ""
    );
    assert_eq!(
        brctl_showmacs(&l.k, l.a, 999),
        "port no\tmac addr\t\tis local?\tageing timer\n"
    );
    assert_eq!(ethtool_s(&l.k, l.a, 999), "no stats available\n");
    // A veth whose peer id is dead, a bridge whose port id is dead, a route to a dead device.
    l.k.dev_mut(l.x1).kind = DevKind::Veth { peer: Some(12345) };
    if let DevKind::Bridge(b) = &mut l.k.dev_mut(l.br1).kind {
        b.ports.push_back(54321);
        b.fdb.insert(
            FdbKey::new([2, 0, 0, 0, 0, 1], 0),
            FdbEntry {
                port: Some(54321),
                local: true,
                is_static: true,
                sticky: false,
                updated: Instant(0),
                seq: 0,
            },
        );
    }
    let a = l.a;
    // A route to a dead device (no request makes one: the FIB entry is written directly).
    l.k.net_mut(a).fib.table(RT_TABLE_MAIN).insert(Route {
        table: RT_TABLE_MAIN,
        dst: ip("10.99.0.0"),
        plen: 16,
        rtype: RtnType::Unicast,
        proto: RTPROT_BOOT,
        scope: RT_SCOPE_LINK,
        prefsrc: None,
        metric: 0,
        gw: None,
        dev: Some(777),
        onlink: false,
        nh_scope: RT_SCOPE_LINK,
        nhid: None,
        nhs: Vec::new(),
        metrics: None,
    });
    l.k.netns_del(l.b);
    for opts in [
        o,
        ShowOpts::default(),
        ShowOpts { brief: true, ..o },
        ShowOpts {
            oneline: true,
            family4: true,
            ..o
        },
    ] {
        let _ = ip_link_show(&l.k, a, None, &opts);
        let _ = ip_addr_show(&l.k, a, None, &opts);
    }
    let _ = ip_route_show(&l.k, a, TableSel::All, &RouteFilter::default());
    let _ = route_n(&l.k, a);
    let _ = ip_neigh_show(&l.k, a, None);
    let _ = bridge_fdb_show(&l.k, a);
    let _ = brctl_show(&l.k, a);
    let _ = brctl_showmacs(&l.k, a, ix(&l.k, l.br1));
    let _ = ethtool_s(&l.k, a, ix(&l.k, l.x1));
    assert_eq!(ip_netns_list(&l.k, ROOT_NS), "tsA\n");
}

/// `ip -4 netconf show` in a fresh namespace, recorded on the host kernel (iproute2 6.1): by
/// ifindex, then `all` and `default`; `all.forwarding` propagates, `rp_filter` is per device.
#[test]
fn netconf_as_recorded() {
    let mut k = Kernel::new(1);
    let ns = k.netns_add("nc");
    for cmd in [
        "ip link add v0 type veth peer name v1",
        "ip link add br0 type bridge",
    ] {
        let argv: Vec<String> = cmd.split(' ').map(String::from).collect();
        let _ = crate::tools::run(&mut k, ns, &argv);
    }
    let line = |n: &str, f: &str, rp: &str| {
        format!("inet {n} forwarding {f} rp_filter {rp} mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off \n")
    };
    let want: String = ["lo", "v1", "v0", "br0", "all", "default"]
        .iter()
        .map(|n| line(n, "off", "off"))
        .collect();
    assert_eq!(ip_netconf_show(&k, ns, None), want);
    let v0 = k.if_nametoindex(ns, "v0");
    assert!(v0.is_some());
    assert_eq!(ip_netconf_show(&k, ns, v0), line("v0", "off", "off"));
    for cmd in [
        "sysctl -w net.ipv4.conf.v0.rp_filter=2",
        "sysctl -w net.ipv4.conf.all.forwarding=1",
    ] {
        let argv: Vec<String> = cmd.split(' ').map(String::from).collect();
        let _ = crate::tools::run(&mut k, ns, &argv);
    }
    let want: String = ["lo", "v1", "v0", "br0", "all", "default"]
        .iter()
        .map(|n| line(n, "on", if *n == "v0" { "loose" } else { "off" }))
        .collect();
    assert_eq!(ip_netconf_show(&k, ns, None), want);
}

//! Read-only renderers of the model's state in the exact text formats of the real tools:
//! `ip link`, `ip addr`, `ip route`, `ip neigh` (iproute2 6.1), `bridge fdb show`, `brctl show`,
//! `brctl showmacs` (bridge-utils), `route -n` (net-tools), `ip netns list` and `ethtool -S`.
//!
//! Every function is pure: it never mutates the kernel and never panics on any state (dead
//! device ids, missing namespaces and dangling peers are skipped or rendered as the tools would).
//!
//! # Differences from the real tools
//! * Timers in `ip -d link` (`gc_timer`, `forward_delay_timer`, ...) are printed as `0.00`.
//! * The bridge id is all-zero while a bridge has no ports and no user-set address (the kernel
//!   keeps the last id after the last port leaves).
//! * `ip neigh` lists entries by (device ifindex, address); Linux walks its hash table.
//! * A veth whose peer lives in the initial namespace shows `link-netnsid 0` (what iproute2
//!   prints when that namespace has no name); a peer in a named namespace shows `link-netns NAME`.

use crate::kernel::{DevId, DevKind, Kernel, Net, NetDevice, NsId, ROOT_NS};
use crate::net::bridge::Bridge;
use crate::net::fib::{
    mask, Route, RtnType, RTPROT_BOOT, RT_SCOPE_HOST, RT_SCOPE_UNIVERSE, RT_TABLE_LOCAL,
    RT_TABLE_MAIN,
};
use crate::net::neigh::{nud_name, NUD_FAILED, NUD_INCOMPLETE, NUD_NOARP, NUD_NONE, NUD_VALID};
use crate::wire::{fmt_mac, Mac};
use std::fmt::Write as _;
use std::net::Ipv4Addr;

/// Global options of `ip` that change the rendering (`-d`, `-o`, `-br`, `-4`, `-s`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ShowOpts {
    pub details: bool,
    pub oneline: bool,
    pub brief: bool,
    pub family4: bool,
    pub stats: bool,
}

/// Which routing tables `ip route show` dumps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TableSel {
    #[default]
    Main,
    Local,
    All,
    Id(u32),
}

/// The selectors of `ip route show` (`dev`, `proto`, `scope`, `type`, and an exact prefix).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RouteFilter {
    pub dev: Option<DevId>,
    pub proto: Option<u8>,
    pub scope: Option<u8>,
    pub rtype: Option<RtnType>,
    pub prefix: Option<(Ipv4Addr, u8)>,
}

// ------------------------------------------------------------------ safe accessors

/// An unset selector matches everything.
fn opt_eq<T: PartialEq>(f: Option<T>, v: T) -> bool {
    match f {
        None => true,
        Some(x) => x == v,
    }
}

fn dev_get(k: &Kernel, d: DevId) -> Option<&NetDevice> {
    k.devs.get(d).and_then(|x| x.as_ref())
}

fn net_get(k: &Kernel, ns: NsId) -> Option<&Net> {
    k.nets.get(ns).and_then(|x| x.as_ref())
}

/// The live devices of a namespace in ifindex order.
fn ns_devs(k: &Kernel, ns: NsId) -> Vec<(DevId, &NetDevice)> {
    let Some(net) = net_get(k, ns) else {
        return Vec::new();
    };
    let mut v: Vec<(DevId, &NetDevice)> = net
        .devs
        .iter()
        .filter_map(|&d| dev_get(k, d).map(|x| (d, x)))
        .collect();
    v.sort_by_key(|(_, x)| x.ifindex);
    v
}

fn dev_name(k: &Kernel, d: DevId) -> String {
    dev_get(k, d)
        .map(|x| x.name.clone())
        .unwrap_or_else(|| format!("if{d}"))
}

fn bridge_of(dev: &NetDevice) -> Option<&Bridge> {
    match &dev.kind {
        DevKind::Bridge(b) => Some(b),
        _ => None,
    }
}

fn veth_peer<'a>(k: &'a Kernel, dev: &NetDevice) -> Option<(DevId, &'a NetDevice)> {
    match dev.kind {
        DevKind::Veth { peer: Some(p) } => dev_get(k, p).map(|x| (p, x)),
        _ => None,
    }
}

/// Carrier as the kernel reports it (`netif_carrier_ok`): veth when both ends are up; a bridge
/// when a port is forwarding, or when it has no port at all (a fresh bridge keeps the carrier it
/// was registered with); loopback and dummy always.
fn carrier(k: &Kernel, d: DevId) -> bool {
    dev_get(k, d).is_some() && k.carrier(d)
}

/// `dev->operstate` as `rfc2863_policy` / `default_operstate` compute it.
fn operstate(k: &Kernel, d: DevId) -> &'static str {
    let Some(dev) = dev_get(k, d) else {
        return "DOWN";
    };
    if !dev.up {
        return "DOWN";
    }
    match &dev.kind {
        DevKind::Loopback | DevKind::Dummy | DevKind::Vxlan(_) | DevKind::Ipip(_) => "UNKNOWN",
        DevKind::Bridge(br) if br.ports.is_empty() => "UNKNOWN",
        DevKind::Bridge(_) => {
            if carrier(k, d) {
                "UP"
            } else {
                "DOWN"
            }
        }
        DevKind::Veth { .. } => {
            if carrier(k, d) {
                return "UP";
            }
            // default_operstate: the iflink (peer ifindex) is looked up in the device's own
            // namespace; LOWERLAYERDOWN when that device exists and has no carrier.
            let Some((_, peer)) = veth_peer(k, dev) else {
                return "DOWN";
            };
            if peer.ifindex == dev.ifindex {
                return "DOWN";
            }
            match ns_devs(k, dev.ns)
                .into_iter()
                .find(|(_, x)| x.ifindex == peer.ifindex)
            {
                Some((l, _)) if !carrier(k, l) => "LOWERLAYERDOWN",
                _ => "DOWN",
            }
        }
    }
}

/// `IFF_RUNNING` (`netif_oper_up`).
fn running(k: &Kernel, d: DevId) -> bool {
    matches!(operstate(k, d), "UP" | "UNKNOWN") && dev_get(k, d).is_some_and(|x| x.up)
}

/// `name`, `name@peer` (peer in the same namespace) or `name@ifN` (peer elsewhere), and whether
/// iproute2 adds `M-DOWN` (a same-namespace peer that is down).
fn link_name(k: &Kernel, dev: &NetDevice) -> (String, bool) {
    if let DevKind::Ipip(t) = &dev.kind {
        // IFLA_LINK is the tunnel's underlay device; 0 prints as `@NONE`.
        let link = t.parms.link;
        let at = match ns_devs(k, dev.ns)
            .into_iter()
            .find(|(_, x)| x.ifindex == link)
        {
            _ if link == 0 => "NONE".to_string(),
            Some((_, x)) => x.name.clone(),
            None => format!("if{link}"),
        };
        return (format!("{}@{}", dev.name, at), false);
    }
    match veth_peer(k, dev) {
        Some((_, p)) if p.ns == dev.ns => (format!("{}@{}", dev.name, p.name), !p.up),
        Some((_, p)) => (format!("{}@if{}", dev.name, p.ifindex), false),
        None => (dev.name.clone(), false),
    }
}

fn link_flags(k: &Kernel, d: DevId, dev: &NetDevice, mdown: bool) -> String {
    let mut f: Vec<&str> = Vec::new();
    let run = running(k, d);
    if dev.up && !run {
        f.push("NO-CARRIER");
    }
    match dev.kind {
        DevKind::Loopback => f.push("LOOPBACK"),
        DevKind::Dummy => f.extend(["BROADCAST", "NOARP"]),
        DevKind::Ipip(ref t) => {
            if ipip_pointopoint(t) {
                f.push("POINTOPOINT");
            }
            f.push("NOARP");
        }
        _ => f.extend(["BROADCAST", "MULTICAST"]),
    }
    if dev.up {
        f.push("UP");
        if carrier(k, d) {
            f.push("LOWER_UP");
        }
    }
    let mut s = f.join(",");
    if mdown {
        s.push_str(",M-DOWN");
    }
    s
}

/// `noqueue` once a device was opened (also after it is set down again), `noop` before and
/// after a namespace move.
fn qdisc(dev: &NetDevice) -> &'static str {
    if dev.up || dev.qdisc_attached {
        "noqueue"
    } else {
        "noop"
    }
}

/// The first line of `ip link` / `ip addr` (without the newline).
fn link_header(k: &Kernel, d: DevId, dev: &NetDevice, with_mode: bool) -> String {
    let (name, mdown) = link_name(k, dev);
    let mut s = format!(
        "{}: {}: <{}> mtu {} qdisc {}",
        dev.ifindex,
        name,
        link_flags(k, d, dev, mdown),
        dev.mtu,
        qdisc(dev)
    );
    if let Some(m) = dev.master.and_then(|m| dev_get(k, m)) {
        let _ = write!(s, " master {}", m.name);
    }
    let _ = write!(s, " state {}", operstate(k, d));
    if with_mode {
        s.push_str(" mode DEFAULT");
    }
    s.push_str(" group default qlen 1000");
    s
}

/// `glibc ether_ntoa`: hex bytes without zero padding.
fn ether_ntoa(m: &Mac) -> String {
    m.iter()
        .map(|b| format!("{b:x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// The bridge id's address: the bridge MAC once it has had a port or a user-set address.
fn bridge_id_mac(dev: &NetDevice) -> Mac {
    match bridge_of(dev) {
        Some(b) if b.ports.is_empty() && !dev.mac_set => [0; 6],
        _ => dev.mac,
    }
}

fn timer(v: f64) -> String {
    format!("{v:7.2}")
}

const TAIL_STATS: &str = "gso_max_size 65536 gso_max_segs 65535";

fn tso_max_size(k: &Kernel, dev: &NetDevice) -> u32 {
    match &dev.kind {
        DevKind::Loopback | DevKind::Veth { .. } => 524280,
        DevKind::Dummy | DevKind::Ipip(_) => 65536,
        // netif_inherit_tso_max from the underlay device.
        DevKind::Vxlan(v) => v
            .link
            .and_then(|l| dev_get(k, l))
            .map_or(65536, |l| tso_max_size(k, l)),
        DevKind::Bridge(b) => b
            .ports
            .iter()
            .filter_map(|&p| dev_get(k, p))
            .filter(|p| !matches!(p.kind, DevKind::Bridge(_)))
            .map(|p| tso_max_size(k, p))
            .min()
            .unwrap_or(65536),
    }
}

/// The `-d` part after the `link/...` address: promiscuity, kind data, slave data, queues.
/// `addrgen`: `ip link` prints `addrgenmode eui64` (from the inet6 AF_SPEC); `ip addr` does not.
fn link_details(k: &Kernel, d: DevId, dev: &NetDevice, addrgen: bool) -> String {
    let port = dev
        .master
        .and_then(|m| dev_get(k, m).map(|x| (m, x)))
        .filter(|(_, m)| bridge_of(m).is_some());
    let promisc = u8::from(port.is_some());
    let (minmtu, maxmtu) = match &dev.kind {
        DevKind::Loopback | DevKind::Dummy => (0, 0),
        DevKind::Ipip(t) if t.mtu_limits => (68, crate::net::ipip::IPIP_MAX_MTU),
        DevKind::Ipip(_) => (0, 0),
        _ => (68, 65535),
    };
    let mut s =
        format!(" promiscuity {promisc}  allmulti {promisc} minmtu {minmtu} maxmtu {maxmtu} ");
    match &dev.kind {
        DevKind::Loopback => {}
        DevKind::Veth { .. } => s.push_str("\n    veth "),
        DevKind::Dummy => s.push_str("\n    dummy "),
        DevKind::Vxlan(v) => {
            s.push_str("\n    vxlan ");
            s.push_str(&vxlan_details(k, v));
        }
        DevKind::Ipip(t) => s.push_str(&iptnl_print_opt(k, dev, t)),
        DevKind::Bridge(b) => {
            let id = format!("8000.{}", ether_ntoa(&bridge_id_mac(dev)));
            let _ = write!(
                s,
                "\n    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time {} stp_state 0 priority 32768 vlan_filtering 0 \
                 bridge_id {id} designated_root {id} root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 \
                 hello_timer {t} tcn_timer {t} topology_change_timer {t} gc_timer {t} group_fwd_mask 0 group_address 01:80:c2:00:00:00 \
                 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 \
                 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 \
                 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 \
                 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 \
                 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 ",
                b.ageing / 10_000_000,
                t = timer(0.0)
            );
        }
    }
    if let Some((m, mdev)) = port {
        let no = bridge_of(mdev)
            .and_then(|b| b.port_no.get(&d).copied())
            .unwrap_or(0);
        let state = if k.dev_alive(m) && dev.up && carrier(k, d) && mdev.up {
            "forwarding"
        } else {
            "disabled"
        };
        let id = format!("8000.{}", ether_ntoa(&bridge_id_mac(mdev)));
        let pid = 0x8000u32 | u32::from(no);
        let _ = write!(
            s,
            "\n    bridge_slave state {state} priority 32 cost 2 hairpin off guard off root_block off fastleave off learning on flood on \
             port_id 0x{pid:x} port_no 0x{no:x} designated_port {pid} designated_cost 0 designated_bridge {id} designated_root {id} \
             hold_timer {t} message_age_timer {t} forward_delay_timer {t} topology_change_ack 0 config_pending 0 proxy_arp off \
             proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off \
             group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off ",
            t = timer(0.0)
        );
    }
    let nq = if matches!(dev.kind, DevKind::Veth { .. }) {
        2
    } else {
        1
    };
    // A tunnel gets its inet6 device (and so IFLA_INET6_ADDR_GEN_MODE) when it comes up.
    if addrgen && (dev.up || !matches!(dev.kind, DevKind::Ipip(_))) {
        s.push_str("addrgenmode eui64 ");
    }
    let _ = write!(
        s,
        "numtxqueues {nq} numrxqueues {nq} {TAIL_STATS} tso_max_size {} tso_max_segs 65535 gro_max_size 65536 ",
        tso_max_size(k, dev)
    );
    s
}

/// `vxlan_print_opt` of what `vxlan_fill_info` reports.
fn vxlan_details(k: &Kernel, v: &crate::net::vxlan::Vxlan) -> String {
    let mut s = format!("id {} ", v.vni);
    if !v.remote.is_unspecified() {
        let what = if v.remote.is_multicast() {
            "group"
        } else {
            "remote"
        };
        let _ = write!(s, "{what} {} ", v.remote);
    }
    if !v.local.is_unspecified() {
        let _ = write!(s, "local {} ", v.local);
    }
    if let Some(l) = v.link.and_then(|l| dev_get(k, l)) {
        let _ = write!(s, "dev {} ", l.name);
    }
    let _ = write!(
        s,
        "srcport {} {} dstport {} ",
        v.port_min, v.port_max, v.dstport
    );
    if !v.learning {
        s.push_str("nolearning ");
    }
    match v.tos {
        0 => {}
        1 => s.push_str("tos inherit "),
        t => {
            let _ = write!(s, "tos {t:#x} ");
        }
    }
    if v.ttl == 0 {
        s.push_str("ttl auto ");
    } else {
        let _ = write!(s, "ttl {} ", v.ttl);
    }
    if v.ageing == 0 {
        s.push_str("ageing none ");
    } else {
        let _ = write!(s, "ageing {} ", v.ageing);
    }
    s.push_str(if v.udp_csum { "udpcsum " } else { "noudpcsum " });
    s.push_str("noudp6zerocsumtx noudp6zerocsumrx ");
    s
}

/// The `link/...` line (without the leading indentation's newline), with `link-netns`.
fn link_addr_line(k: &Kernel, dev: &NetDevice) -> String {
    let mut s = match dev.kind {
        DevKind::Loopback => format!(
            "    link/loopback {} brd 00:00:00:00:00:00",
            fmt_mac(&dev.mac)
        ),
        DevKind::Ipip(ref t) => format!(
            "    link/ipip {} {} {}",
            t.parms.local,
            if ipip_pointopoint(t) { "peer" } else { "brd" },
            t.parms.remote
        ),
        _ => format!("    link/ether {} brd ff:ff:ff:ff:ff:ff", fmt_mac(&dev.mac)),
    };
    if let Some((_, p)) = veth_peer(k, dev) {
        if p.ns != dev.ns {
            if p.ns == ROOT_NS {
                s.push_str(" link-netnsid 0");
            } else {
                let name = net_get(k, p.ns).map(|n| n.name.clone()).unwrap_or_default();
                let _ = write!(s, " link-netns {name}");
            }
        }
    }
    s
}

/// IFF_POINTOPOINT of a tunnel: set by `ip_tunnel_bind_dev` for a unicast remote.
fn ipip_pointopoint(t: &crate::net::ipip::IpTunnel) -> bool {
    !t.parms.remote.is_unspecified() && !t.parms.remote.is_multicast()
}

/// A tunnel endpoint as iproute2 prints it: the address, or `any` for 0.0.0.0.
fn addr_or_any(a: std::net::Ipv4Addr) -> String {
    if a.is_unspecified() {
        "any".to_string()
    } else {
        a.to_string()
    }
}

/// The name of the device with `ifindex` in `ns` (a tunnel's `link`).
fn ifindex_name(k: &Kernel, ns: NsId, ifindex: u32) -> Option<&str> {
    ns_devs(k, ns)
        .into_iter()
        .find(|(_, x)| x.ifindex == ifindex)
        .map(|(_, x)| x.name.as_str())
}

/// iproute2 `iptnl_print_opt`: the `-d` line of an ipip device.
fn iptnl_print_opt(k: &Kernel, dev: &NetDevice, t: &crate::net::ipip::IpTunnel) -> String {
    let p = &t.parms;
    let proto = if p.proto == crate::wire::IPPROTO_IPIP {
        "ipip"
    } else {
        "any"
    };
    let mut s = format!(
        "\n    ipip {proto} remote {} local {} ",
        addr_or_any(p.remote),
        addr_or_any(p.local)
    );
    if p.link != 0 {
        let name =
            ifindex_name(k, dev.ns, p.link).map_or_else(|| format!("if{}", p.link), String::from);
        let _ = write!(s, "dev {name} ");
    }
    if p.ttl == 0 {
        s.push_str("ttl inherit ");
    } else {
        let _ = write!(s, "ttl {} ", p.ttl);
    }
    if p.tos == 1 {
        s.push_str("tos inherit ");
    } else if p.tos != 0 {
        let _ = write!(s, "tos {:#x} ", p.tos);
    }
    s.push_str(if p.pmtudisc {
        "pmtudisc "
    } else {
        "nopmtudisc "
    });
    s
}

/// `ip tunnel show`: the IPv4 tunnels of a namespace (`/proc/net/dev` order), `print_tunnel`.
pub fn ip_tunnel_show(k: &Kernel, ns: NsId, name: Option<&str>) -> String {
    let mut out = String::new();
    for (_, dev) in ns_devs(k, ns) {
        let DevKind::Ipip(t) = &dev.kind else {
            continue;
        };
        if name.is_some_and(|n| n != dev.name) {
            continue;
        }
        out.push_str(&print_tunnel(k, dev, t));
        out.push('\n');
    }
    out
}

/// iproute2 `print_tunnel` (without the final newline).
pub fn print_tunnel(k: &Kernel, dev: &NetDevice, t: &crate::net::ipip::IpTunnel) -> String {
    let p = &t.parms;
    let proto = if p.proto == crate::wire::IPPROTO_IPIP {
        "ip"
    } else {
        "any"
    };
    let mut s = format!(
        "{}: {proto}/ip remote {} local {}",
        dev.name,
        addr_or_any(p.remote),
        addr_or_any(p.local)
    );
    if p.link != 0 {
        if let Some(name) = ifindex_name(k, dev.ns, p.link) {
            let _ = write!(s, " dev {name}");
        }
    }
    if p.ttl == 0 {
        s.push_str(" ttl inherit");
    } else {
        let _ = write!(s, " ttl {}", p.ttl);
    }
    if p.tos == 1 {
        s.push_str(" tos inherit");
    } else if p.tos != 0 {
        if p.tos & 1 != 0 {
            let _ = write!(s, " tos inherit/0x{:x}", p.tos & !1);
        } else {
            let _ = write!(s, " tos 0x{:x}", p.tos);
        }
    }
    if !p.pmtudisc {
        s.push_str(" nopmtudisc");
    }
    s
}

/// `print_link_stats64` with `-s`.
fn link_stats(dev: &NetDevice) -> String {
    let st = &dev.stats;
    let mut cols: [usize; 7] = [10, 7, 6, 7, 7, 7, 10];
    let rx = [st.rx_bytes, st.rx_packets, 0, st.rx_dropped, 0, 0];
    let tx = [st.tx_bytes, st.tx_packets, 0, st.tx_dropped, 0, 0];
    for row in [&rx, &tx] {
        for (i, v) in row.iter().enumerate() {
            cols[i] = cols[i].max(v.to_string().len());
        }
    }
    let mut s = String::new();
    let hdr = |s: &mut String, what: &str, c4: &str, c5: &str| {
        let _ = write!(
            s,
            "\n    {what}: {:>w0$} {:>w1$} {:>w2$} {:>w3$} {:>w4$} {:>w5$} {:>w6$}",
            "bytes",
            "packets",
            "errors",
            "dropped",
            c4,
            c5,
            "",
            w0 = cols[0] - 4,
            w1 = cols[1],
            w2 = cols[2],
            w3 = cols[3],
            w4 = cols[4],
            w5 = cols[5],
            w6 = cols[6]
        );
    };
    let nums = |s: &mut String, row: &[u64; 6]| {
        s.push_str("\n    ");
        for (i, v) in row.iter().enumerate() {
            let _ = write!(s, "{:>w$} ", v, w = cols[i]);
        }
    };
    hdr(&mut s, "RX", "missed", "mcast");
    nums(&mut s, &rx);
    hdr(&mut s, "TX", "carrier", "collsns");
    nums(&mut s, &tx);
    s
}

/// One device's record of `ip link show` (lines joined by `\n`, no final newline).
fn link_record(k: &Kernel, d: DevId, dev: &NetDevice, o: &ShowOpts, with_mode: bool) -> String {
    let mut s = link_header(k, d, dev, with_mode);
    s.push('\n');
    s.push_str(&link_addr_line(k, dev));
    if o.details {
        s.push_str(&link_details(k, d, dev, true));
    }
    if o.stats {
        s.push_str(&link_stats(dev));
    }
    s
}

fn finish_record(out: &mut String, rec: &str, oneline: bool) {
    if oneline {
        out.push_str(&rec.replace('\n', "\\"));
    } else {
        out.push_str(rec);
    }
    out.push('\n');
}

fn selected(k: &Kernel, ns: NsId, dev: Option<DevId>) -> Vec<(DevId, &NetDevice)> {
    ns_devs(k, ns)
        .into_iter()
        .filter(|(d, _)| opt_eq(dev, *d))
        .collect()
}

/// `ip [-d] [-o] [-br] [-s] link show [dev DEV]`.
pub fn ip_link_show(k: &Kernel, ns: NsId, dev: Option<DevId>, o: &ShowOpts) -> String {
    let mut out = String::new();
    for (d, x) in selected(k, ns, dev) {
        if o.brief {
            let (name, mdown) = link_name(k, x);
            // ll_addr_n2a: a tunnel's 4-byte address prints as an IPv4 address.
            let addr = match &x.kind {
                DevKind::Ipip(t) => t.parms.local.to_string(),
                _ => fmt_mac(&x.mac),
            };
            let _ = writeln!(
                out,
                "{:<16} {:<14} {} <{}> ",
                name,
                operstate(k, d),
                addr,
                link_flags(k, d, x, mdown)
            );
            continue;
        }
        let rec = link_record(k, d, x, o, true);
        finish_record(&mut out, &rec, o.oneline);
    }
    out
}

fn scope_name(s: u8) -> String {
    match s {
        0 => "global".into(),
        200 => "site".into(),
        253 => "link".into(),
        254 => "host".into(),
        255 => "nowhere".into(),
        n => n.to_string(),
    }
}

fn inet_text(a: &crate::kernel::IfAddr) -> String {
    if a.has_peer {
        format!("{} peer {}/{}", a.local, a.address, a.plen)
    } else {
        format!("{}/{}", a.local, a.plen)
    }
}

fn inet_line(a: &crate::kernel::IfAddr, devname: &str) -> String {
    let mut s = format!("    inet {} ", inet_text(a));
    if let Some(b) = a.broadcast {
        let _ = write!(s, "brd {b} ");
    }
    let _ = write!(s, "scope {} ", scope_name(a.scope));
    if a.secondary {
        s.push_str("secondary ");
    }
    let label = if a.label.is_empty() {
        devname
    } else {
        a.label.as_str()
    };
    let _ = write!(s, "{label}\n       valid_lft forever preferred_lft forever");
    s
}

/// `ip [-4] [-d] [-o] [-br] [-s] addr show [dev DEV]`.
pub fn ip_addr_show(k: &Kernel, ns: NsId, dev: Option<DevId>, o: &ShowOpts) -> String {
    let mut out = String::new();
    for (d, x) in selected(k, ns, dev) {
        if o.brief {
            if o.family4 && x.addrs.is_empty() {
                continue;
            }
            let (name, _) = link_name(k, x);
            let _ = write!(out, "{:<16} {:<14} ", name, operstate(k, d));
            for a in &x.addrs {
                let _ = write!(out, "{} ", inet_text(a));
            }
            out.push('\n');
            continue;
        }
        if o.oneline {
            // `-o addr` prints one record per address (and only addresses).
            for a in &x.addrs {
                let rec = format!("{}: {}{}", x.ifindex, x.name, inet_line(a, &x.name));
                finish_record(&mut out, &rec, true);
            }
            continue;
        }
        if o.family4 && x.addrs.is_empty() {
            continue;
        }
        let mut rec = if o.family4 {
            link_header(k, d, x, false)
        } else {
            let mut r = link_header(k, d, x, false);
            r.push('\n');
            r.push_str(&link_addr_line(k, x));
            if o.details {
                r.push_str(&link_details(k, d, x, false));
            }
            r
        };
        for a in &x.addrs {
            rec.push('\n');
            rec.push_str(&inet_line(a, &x.name));
        }
        if o.stats {
            rec.push_str(&link_stats(x));
        }
        finish_record(&mut out, &rec, false);
    }
    out
}

// ------------------------------------------------------------------ routes

fn table_name(t: u32) -> String {
    match t {
        RT_TABLE_MAIN => "main".into(),
        RT_TABLE_LOCAL => "local".into(),
        253 => "default".into(),
        n => n.to_string(),
    }
}

/// `/etc/iproute2/rt_protos` as shipped with iproute2 6.1.
fn proto_name(p: u8) -> String {
    match p {
        0 => "unspec".into(),
        1 => "redirect".into(),
        2 => "kernel".into(),
        3 => "boot".into(),
        4 => "static".into(),
        8 => "gated".into(),
        9 => "ra".into(),
        10 => "mrt".into(),
        11 => "zebra".into(),
        12 => "bird".into(),
        13 => "dnrouted".into(),
        14 => "xorp".into(),
        15 => "ntk".into(),
        16 => "dhcp".into(),
        18 => "keepalived".into(),
        42 => "babel".into(),
        99 => "openr".into(),
        186 => "bgp".into(),
        187 => "isis".into(),
        188 => "ospf".into(),
        189 => "rip".into(),
        192 => "eigrp".into(),
        n => n.to_string(),
    }
}

fn dst_text(r: &Route) -> String {
    if r.plen == 0 && r.dst.is_unspecified() {
        "default".into()
    } else if r.plen == 32 {
        r.dst.to_string()
    } else {
        format!("{}/{}", r.dst, r.plen)
    }
}

/// The routes of the selected tables in dump order: tables by id (main 254 before local 255),
/// inside a table by key, a longer prefix first for the same key, then the aliases' order.
fn dump_routes(net: &Net, table: TableSel) -> Vec<&Route> {
    let want = |id: u32| match table {
        TableSel::Main => id == RT_TABLE_MAIN,
        TableSel::Local => id == RT_TABLE_LOCAL,
        TableSel::All => true,
        TableSel::Id(t) => id == t,
    };
    let mut ids: Vec<u32> = net
        .fib
        .tables
        .keys()
        .copied()
        .filter(|&id| want(id))
        .collect();
    ids.sort_by_key(|&id| (id & 0xff, id));
    let mut out = Vec::new();
    for id in ids {
        let Some(t) = net.fib.tables.get(&id) else {
            continue;
        };
        let mut keys: Vec<(u32, u8)> = t.routes.keys().copied().collect();
        keys.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        for key in keys {
            if let Some(v) = t.routes.get(&key) {
                out.extend(v.iter());
            }
        }
    }
    out
}

fn route_matches(r: &Route, f: &RouteFilter) -> bool {
    (f.dev.is_none() || f.dev == r.dev)
        && opt_eq(f.proto, r.proto)
        && opt_eq(f.scope, r.scope)
        && opt_eq(f.rtype, r.rtype)
        && f.prefix
            .is_none_or(|(a, l)| l == r.plen && u32::from(a) & mask(l) == u32::from(r.dst))
}

/// Whether `ip route` flags the route `linkdown` (its nexthop device has no carrier; host-scope
/// routes have a `RT_SCOPE_NOWHERE` nexthop that `fib_sync_down_dev` leaves alone).
fn route_linkdown(k: &Kernel, r: &Route) -> bool {
    match r.dev {
        Some(d) if r.scope != RT_SCOPE_HOST => dev_get(k, d).is_some() && !carrier(k, d),
        _ => false,
    }
}

fn route_line(k: &Kernel, r: &Route, show_table: bool, f: &RouteFilter) -> String {
    let mut s = String::new();
    if r.rtype != RtnType::Unicast {
        let _ = write!(s, "{} ", r.rtype.name());
    }
    let _ = write!(s, "{} ", dst_text(r));
    if let Some(g) = r.gw {
        let _ = write!(s, "via {g} ");
    }
    if let Some(d) = r.dev {
        if f.dev.is_none() {
            let _ = write!(s, "dev {} ", dev_name(k, d));
        }
    }
    if show_table && r.table != RT_TABLE_MAIN {
        let _ = write!(s, "table {} ", table_name(r.table));
    }
    if r.proto != RTPROT_BOOT && f.proto.is_none() {
        let _ = write!(s, "proto {} ", proto_name(r.proto));
    }
    if r.scope != RT_SCOPE_UNIVERSE && f.scope.is_none() {
        let _ = write!(s, "scope {} ", scope_name(r.scope));
    }
    if let Some(p) = r.prefsrc {
        let _ = write!(s, "src {p} ");
    }
    if r.metric != 0 {
        let _ = write!(s, "metric {} ", r.metric);
    }
    if r.onlink {
        s.push_str("onlink ");
    }
    if route_linkdown(k, r) {
        s.push_str("linkdown ");
    }
    s
}

/// `ip -4 route show [table main|local|all|N] [dev D] [proto P] [scope S] [type T] [PREFIX]`.
pub fn ip_route_show(k: &Kernel, ns: NsId, table: TableSel, filter: &RouteFilter) -> String {
    let Some(net) = net_get(k, ns) else {
        return String::new();
    };
    let mut out = String::new();
    for r in dump_routes(net, table) {
        if route_matches(r, filter) {
            out.push_str(&route_line(k, r, table == TableSel::All, filter));
            out.push('\n');
        }
    }
    out
}

/// net-tools `route -n` (`/proc/net/route`: the main table without broadcast routes).
pub fn route_n(k: &Kernel, ns: NsId) -> String {
    let mut out = String::from(
        "Kernel IP routing table\nDestination     Gateway         Genmask         Flags Metric Ref    Use Iface\n",
    );
    let Some(net) = net_get(k, ns) else {
        return out;
    };
    for r in dump_routes(net, TableSel::Main) {
        if r.rtype == RtnType::Broadcast {
            continue;
        }
        let genmask = Ipv4Addr::from(mask(r.plen));
        let reject = matches!(r.rtype, RtnType::Unreachable | RtnType::Prohibit);
        if reject {
            let _ = writeln!(
                out,
                "{:<15} {:<15} {:<15} {:<5} {:<6} {:<2} {:>7} -",
                r.dst, "-", genmask, "!", r.metric, "-", 0
            );
            continue;
        }
        let mut flags = String::from("U");
        if r.gw.is_some() {
            flags.push('G');
        }
        if r.plen == 32 {
            flags.push('H');
        }
        let gw = r.gw.unwrap_or(Ipv4Addr::UNSPECIFIED);
        let iface = r.dev.map(|d| dev_name(k, d)).unwrap_or_else(|| "*".into());
        let _ = writeln!(
            out,
            "{:<15} {:<15} {:<15} {:<5} {:<6} {:<2} {:>7} {}",
            r.dst, gw, genmask, flags, r.metric, 0, 0, iface
        );
    }
    out
}

// ------------------------------------------------------------------ neighbours

/// `ip -4 neigh show [dev DEV]`: NOARP and NONE entries are not listed.
pub fn ip_neigh_show(k: &Kernel, ns: NsId, dev: Option<DevId>) -> String {
    let Some(net) = net_get(k, ns) else {
        return String::new();
    };
    let mut rows: Vec<(u32, Ipv4Addr, String)> = Vec::new();
    for (&(d, ip), n) in &net.neigh.entries {
        if dev.is_some_and(|x| x != d) || n.state == NUD_NONE || n.state & NUD_NOARP != 0 {
            continue;
        }
        let Some(x) = dev_get(k, d) else { continue };
        let mut s = format!("{ip} ");
        if dev.is_none() {
            let _ = write!(s, "dev {} ", x.name);
        }
        if n.state & NUD_VALID != 0 && n.state & (NUD_INCOMPLETE | NUD_FAILED) == 0 {
            let _ = write!(s, "lladdr {} ", fmt_mac(&n.lladdr));
        }
        let _ = write!(s, "{} ", nud_name(n.state));
        rows.push((x.ifindex, ip, s));
    }
    rows.sort_by_key(|a| (a.0, a.1));
    rows.into_iter().map(|(_, _, s)| s + "\n").collect()
}

// ------------------------------------------------------------------ bridge

/// Whether a learned fdb entry has aged out (`has_expired`).
fn fdb_expired(k: &Kernel, b: &Bridge, e: &crate::net::bridge::FdbEntry) -> bool {
    !e.is_static && k.now.0 > e.updated.0.saturating_add(b.ageing)
}

/// `bridge fdb show`.
pub fn bridge_fdb_show(k: &Kernel, ns: NsId) -> String {
    let mut out = String::new();
    for (d, x) in ns_devs(k, ns) {
        if matches!(x.kind, DevKind::Loopback | DevKind::Ipip(_)) {
            continue;
        }
        // The master's entries for this port (learned ones, then static and local ones).
        if let Some((mname, b)) = x
            .master
            .and_then(|m| dev_get(k, m))
            .and_then(|m| bridge_of(m).map(|b| (&m.name, b)))
        {
            let mut rows: Vec<(bool, Mac, String)> = Vec::new();
            for (mac, e) in &b.fdb {
                if e.port != Some(d) || fdb_expired(k, b, e) {
                    continue;
                }
                let tail = if e.local {
                    "permanent"
                } else if e.is_static {
                    "static"
                } else {
                    ""
                };
                rows.push((
                    e.local || e.is_static,
                    *mac,
                    format!("{} dev {} master {} {}", fmt_mac(mac), x.name, mname, tail),
                ));
            }
            rows.sort_by_key(|a| (a.0, a.1));
            for (_, _, s) in rows {
                let _ = writeln!(out, "{s}");
            }
        }
        // A VXLAN device dumps its own fdb (`vxlan_fdb_dump`) instead of its address lists.
        if let DevKind::Vxlan(v) = &x.kind {
            for f in &v.fdb {
                if v.expired(f, k.now) {
                    continue;
                }
                for r in &f.remotes {
                    let mut line = format!("{} dev {} dst {} ", fmt_mac(&f.mac), x.name, r.ip);
                    if r.port != 0 && r.port != v.dstport {
                        let _ = write!(line, "port {} ", r.port);
                    }
                    if let Some(vni) = r.vni.filter(|&n| n != v.vni) {
                        let _ = write!(line, "vni {vni} ");
                    }
                    if r.ifindex != 0 {
                        let via = ns_devs(k, ns)
                            .into_iter()
                            .find(|(_, y)| y.ifindex == r.ifindex)
                            .map_or_else(|| format!("if{}", r.ifindex), |(_, y)| y.name.clone());
                        let _ = write!(line, "via {via} ");
                    }
                    line.push_str("self ");
                    line.push_str(crate::net::vxlan::fdb_state_name(f.state));
                    let _ = writeln!(out, "{line}");
                }
            }
            continue;
        }
        // The device's own unicast then multicast lists (`self`, `ndo_dflt_fdb_dump`).
        for m in &x.uc {
            let _ = writeln!(out, "{} dev {} self permanent", fmt_mac(m), x.name);
        }
        let mut mc: Vec<&str> = vec!["33:33:00:00:00:01"];
        if x.up {
            if bridge_of(x).is_some() {
                mc.extend(["01:00:5e:00:00:6a", "33:33:00:00:00:6a"]);
            }
            mc.push("01:00:5e:00:00:01");
        }
        for m in mc {
            let _ = writeln!(out, "{m} dev {} self permanent", x.name);
        }
        // A bridge's entries that belong to no port (its own address when no port has it).
        if let Some(b) = bridge_of(x) {
            // The kernel inserts the bridge's own address at creation; render it even if the
            // model has not recorded it yet.
            if !b.fdb.contains_key(&x.mac) {
                let _ = writeln!(
                    out,
                    "{} dev {} master {} permanent",
                    fmt_mac(&x.mac),
                    x.name,
                    x.name
                );
            }
            for (mac, e) in &b.fdb {
                if e.port.is_none() && !fdb_expired(k, b, e) {
                    let tail = if e.local { "permanent" } else { "static" };
                    let _ = writeln!(
                        out,
                        "{} dev {} master {} {}",
                        fmt_mac(mac),
                        x.name,
                        x.name,
                        tail
                    );
                }
            }
        }
    }
    out
}

fn bridges_by_name(k: &Kernel, ns: NsId) -> Vec<(DevId, &NetDevice)> {
    let mut v: Vec<(DevId, &NetDevice)> = ns_devs(k, ns)
        .into_iter()
        .filter(|(_, x)| bridge_of(x).is_some())
        .collect();
    v.sort_by(|a, b| a.1.name.as_bytes().cmp(b.1.name.as_bytes()));
    v
}

/// bridge-utils `brctl show`.
pub fn brctl_show(k: &Kernel, ns: NsId) -> String {
    let mut out = String::from("bridge name\tbridge id\t\tSTP enabled\tinterfaces\n");
    for (_, x) in bridges_by_name(k, ns) {
        let Some(b) = bridge_of(x) else { continue };
        let id: String = bridge_id_mac(x)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let _ = write!(out, "{}\t\t8000.{}\tno\t\t", x.name, id);
        let mut ports: Vec<&str> = b
            .ports
            .iter()
            .filter_map(|&p| dev_get(k, p))
            .map(|p| p.name.as_str())
            .collect();
        ports.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        if ports.is_empty() {
            out.push('\n');
        }
        for (i, p) in ports.iter().enumerate() {
            if i > 0 {
                out.push_str("\t\t\t\t\t\t\t");
            }
            let _ = writeln!(out, "{p}");
        }
    }
    out
}

/// bridge-utils `brctl showmacs BRIDGE` (sorted by address; the bridge's own entry is hidden).
pub fn brctl_showmacs(k: &Kernel, ns: NsId, br: DevId) -> String {
    let mut out = String::from("port no\tmac addr\t\tis local?\tageing timer\n");
    let Some(x) = dev_get(k, br).filter(|x| x.ns == ns) else {
        return out;
    };
    let Some(b) = bridge_of(x) else { return out };
    for (mac, e) in &b.fdb {
        let Some(p) = e.port else { continue };
        if fdb_expired(k, b, e) {
            continue;
        }
        let no = b.port_no.get(&p).copied().unwrap_or(0);
        let age = if e.is_static {
            0
        } else {
            k.now.0.saturating_sub(e.updated.0) / 10_000_000
        };
        let _ = writeln!(
            out,
            "{:>3}\t{}\t{}\t\t{:>4}.{:02}",
            no,
            fmt_mac(mac),
            if e.local { "yes" } else { "no" },
            age / 100,
            age % 100
        );
    }
    out
}

// ------------------------------------------------------------------ misc

/// `ip netns list`: the named namespaces in creation order (the initial one is not listed).
pub fn ip_netns_list(k: &Kernel) -> String {
    let mut out = String::new();
    for (i, n) in k.nets.iter().enumerate() {
        if i == ROOT_NS {
            continue;
        }
        if let Some(n) = n {
            let _ = writeln!(out, "{}", n.name);
        }
    }
    out
}

/// `ethtool -S DEV`: a veth's statistics (`veth_get_ethtool_stats`); other kinds have none.
pub fn ethtool_s(k: &Kernel, ns: NsId, dev: DevId) -> String {
    let Some(x) = dev_get(k, dev).filter(|x| x.ns == ns) else {
        return "no stats available\n".into();
    };
    if !matches!(x.kind, DevKind::Veth { .. }) {
        return "no stats available\n".into();
    }
    let peer = veth_peer(k, x).map(|(_, p)| p.ifindex).unwrap_or(0);
    let mut out = format!("NIC statistics:\n     peer_ifindex: {peer}\n");
    for f in [
        "rx_queue_0_xdp_packets",
        "rx_queue_0_xdp_bytes",
        "rx_queue_0_drops",
        "rx_queue_0_xdp_redirect",
        "rx_queue_0_xdp_drops",
        "rx_queue_0_xdp_tx",
        "rx_queue_0_xdp_tx_errors",
        "tx_queue_0_xdp_xmit",
        "tx_queue_0_xdp_xmit_errors",
    ] {
        let _ = writeln!(out, "     {f}: 0");
    }
    out
}

#[cfg(test)]
mod tests {
    //! Expected strings are copied from the real tools (iproute2 6.1, bridge-utils 1.7,
    //! net-tools 2.10, ethtool 6.1) run in scratch namespaces, and from the lab recordings.
    use super::*;
    use crate::kernel::IfAddr;
    use crate::net::bridge::FdbEntry;
    use crate::net::fib::{RTPROT_KERNEL, RTPROT_STATIC, RT_SCOPE_LINK};
    use crate::net::neigh::{NUD_PERMANENT, NUD_REACHABLE};
    use crate::wire::parse_mac;
    use sim_core::Instant;

    fn mac(s: &str) -> Mac {
        parse_mac(s).expect("mac")
    }

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().expect("ip")
    }

    /// `ip link add A type veth peer name B`: the peer is registered first.
    fn veth(
        k: &mut Kernel,
        ns: NsId,
        a: &str,
        mac_a: &str,
        b: &str,
        mac_b: &str,
    ) -> (DevId, DevId) {
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

    fn addr(k: &mut Kernel, d: DevId, local: &str, peer: Option<&str>, plen: u8, scope: u8) {
        let local = ip(local);
        let ifa = IfAddr {
            local,
            address: peer.map(ip).unwrap_or(local),
            plen,
            broadcast: None,
            scope,
            label: k.dev(d).name.clone(),
            secondary: false,
            has_peer: peer.is_some(),
        };
        k.dev_mut(d).addrs.push(ifa.clone());
        k.fib_add_ifaddr(d, &ifa);
    }

    fn lo_up(k: &mut Kernel, ns: NsId) {
        let lo = k.dev_by_name(ns, "lo").expect("lo");
        k.dev_set_up(lo, true);
        // The initial namespace's lo already has 127.0.0.1/8.
        if k.dev(lo).addrs.is_empty() {
            addr(k, lo, "127.0.0.1", None, 8, RT_SCOPE_HOST);
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
        let r = Route {
            table,
            dst: ip(dst),
            plen,
            rtype,
            proto,
            scope,
            prefsrc: None,
            metric,
            gw: gw.map(ip),
            dev,
            onlink,
            nh_scope: RT_SCOPE_LINK,
        };
        k.net_mut(ns).fib.table(table).insert(r);
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
        let x1 = ip_link_show(&l.k, l.a, Some(l.x1), &o);
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
            ip_link_show(&l.k, l.a, l.k.dev_by_name(l.a, "lo"), &o),
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
            ip_link_show(&l.k, l.a, Some(l.br0), &o),
            br0.replace("gc_timer  297.34", "gc_timer    0.00")
        );
        let port = "3: br-veth0@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000
    link/ether ca:ec:c0:29:5e:16 brd ff:ff:ff:ff:ff:ff link-netns tsB promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535 
    veth 
    bridge_slave state forwarding priority 32 cost 2 hairpin off guard off root_block off fastleave off learning on flood on port_id 0x8001 port_no 0x1 designated_port 32769 designated_cost 0 designated_bridge 8000.ca:ec:c0:29:5e:16 designated_root 8000.ca:ec:c0:29:5e:16 hold_timer    0.00 message_age_timer    0.00 forward_delay_timer   12.26 topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
";
        assert_eq!(
            ip_link_show(&l.k, l.a, Some(l.brv0), &o),
            port.replace("timer   12.26", "timer    0.00")
        );
        let x2 = "5: x2@x1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether ce:92:d8:36:77:a5 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 
    veth addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
";
        assert_eq!(ip_link_show(&l.k, l.a, Some(l.x2), &o), x2);
        let br1 = ip_link_show(&l.k, l.a, Some(l.br1), &o);
        assert!(
            br1.contains(" bridge_id 8000.0:0:0:0:0:0 designated_root 8000.0:0:0:0:0:0 "),
            "{br1}"
        );
        assert!(br1.contains(" tso_max_size 65536 "), "{br1}");
        // -d -o: the lines are joined with `\`, exactly as the recordings show.
        let one = ip_link_show(&l.k, l.a, Some(l.x2), &ShowOpts { oneline: true, ..o });
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
            ip_link_show(&l.k, l.a, Some(l.br0), &o),
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
        let s = ip_link_show(&k, l.a, Some(l.br0), &o);
        assert!(s.contains("\n    RX:   bytes packets"), "{s}");
        assert!(s.contains("\n    12345678901       0 "), "{s}");
    }

    #[test]
    fn addr_forms() {
        let mut l = lab();
        // A secondary, as `ip addr add 10.1.1.9/24 dev br0` makes it.
        let sec = IfAddr {
            local: ip("10.1.1.9"),
            address: ip("10.1.1.9"),
            plen: 24,
            broadcast: None,
            scope: 0,
            label: "br0".into(),
            secondary: true,
            has_peer: false,
        };
        l.k.dev_mut(l.br0).addrs.push(sec);
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
            ip_addr_show(&l.k, l.b, Some(v), &d),
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
            ip_addr_show(&l.k, l.b, Some(v), &s),
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
            ip_link_show(&l.k, l.b, Some(v), &ShowOpts { oneline: true, ..s }),
            "4: veth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether da:17:9b:b9:26:7b brd ff:ff:ff:ff:ff:ff link-netns tsA\\    RX:  bytes packets errors dropped  missed   mcast           \\            54       1      0       0       0       0 \\    TX:  bytes packets errors dropped carrier collsns           \\           256       4      0       0       0       0 \n"
        );
        assert_eq!(
            ip_link_show(&l.k, l.b, Some(v), &ShowOpts { brief: true, ..s }),
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
            dev: Some(l.br0),
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
            brctl_showmacs(&l.k, l.a, l.br0),
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
            ip_neigh_show(&k, a, Some(br0)),
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
        assert_eq!(bridge_fdb_show(&l.k, l.b), "33:33:00:00:00:01 dev veth0 self permanent\n01:00:5e:00:00:01 dev veth0 self permanent\n");
        assert_eq!(
            brctl_show(&l.k, l.a),
            "bridge name\tbridge id\t\tSTP enabled\tinterfaces\nbr0\t\t8000.caecc0295e16\tno\t\tbr-veth0\nbr1\t\t8000.000000000000\tno\t\t\n"
        );
        assert_eq!(brctl_showmacs(&l.k, l.a, l.br0), "port no\tmac addr\t\tis local?\tageing timer\n  1\tca:ec:c0:29:5e:16\tyes\t\t   0.00\n");
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
            ip_link_show(&l.k, l.a, Some(l.br1), &ShowOpts::default()),
            "7: br1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n    link/ether 62:8b:fd:46:79:9b brd ff:ff:ff:ff:ff:ff\n"
        );
        assert_eq!(
            ip_link_show(&l.k, l.b, l.k.dev_by_name(l.b, "veth0"), &ShowOpts::default()),
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
                mac("a6:41:75:ea:36:e2"),
                FdbEntry {
                    port: Some(brv0),
                    local: false,
                    is_static: false,
                    updated: now,
                },
            );
            b.fdb.insert(
                mac("16:60:99:d6:70:7c"),
                FdbEntry {
                    port: Some(brv1),
                    local: false,
                    is_static: false,
                    updated: now,
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
            brctl_showmacs(&k, root, br0),
            "port no\tmac addr\t\tis local?\tageing timer\n  2\t16:60:99:d6:70:7c\tno\t\t   0.50\n  1\ta6:41:75:ea:36:e2\tno\t\t   0.50\n  2\te6:16:38:dc:23:19\tyes\t\t   0.00\n  1\tfa:da:92:76:9c:8f\tyes\t\t   0.00\n"
        );
        // After ageing (300 s) the learned entries are no longer shown.
        k.now = Instant(400_000_000_000);
        assert!(!bridge_fdb_show(&k, root).contains("a6:41:75:ea:36:e2"));
        assert_eq!(
            ethtool_s(&k, root, brv0).lines().nth(1),
            Some("     peer_ifindex: 4")
        );
        assert_eq!(ip_netns_list(&k), "ns1\nns2\n");
    }

    #[test]
    fn ethtool_veth() {
        let l = lab();
        assert_eq!(
            ethtool_s(&l.k, l.a, l.brv0),
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
        assert_eq!(ethtool_s(&l.k, l.a, l.br0), "no stats available\n");
        assert_eq!(ip_netns_list(&l.k), "tsA\ntsB\n");
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
            b.ports.push(54321);
            b.fdb.insert(
                [2, 0, 0, 0, 0, 1],
                FdbEntry {
                    port: Some(54321),
                    local: true,
                    is_static: true,
                    updated: Instant(0),
                },
            );
        }
        let a = l.a;
        route(
            &mut l.k,
            a,
            RT_TABLE_MAIN,
            RtnType::Unicast,
            "10.99.0.0",
            16,
            None,
            Some(777),
            RTPROT_BOOT,
            RT_SCOPE_LINK,
            0,
            false,
        );
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
        let _ = brctl_showmacs(&l.k, a, l.br1);
        let _ = ethtool_s(&l.k, a, l.x1);
        assert_eq!(ip_netns_list(&l.k), "tsA\n");
    }
}

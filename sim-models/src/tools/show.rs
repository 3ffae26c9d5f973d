//! Read-only renderers of the model's state in the exact text formats of the real tools:
//! `ip link`, `ip addr`, `ip route`, `ip neigh` (iproute2 6.1), `bridge fdb show`, `brctl show`,
//! `brctl showmacs` (bridge-utils), `route -n` (net-tools), `ip netns list` and `ethtool -S`.
//!
//! Every function is pure: it never mutates the kernel and never panics on any state (dead
//! device ids, missing namespaces and dangling peers are skipped or rendered as the tools would).
//!
//! # Differences from the real tools
//! * Timers in `ip -d link` (`gc_timer`, `forward_delay_timer`, ...) are printed as `0.00`.
//! * `qdisc` is `noqueue` for a device that is up and `noop` for one that is down (the kernel
//!   keeps `noqueue` on a device that was up once and then set down; the model does not record
//!   that history).
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
    let Some(dev) = dev_get(k, d) else {
        return false;
    };
    match &dev.kind {
        DevKind::Veth { .. } => dev.up && veth_peer(k, dev).is_some_and(|(_, p)| p.up),
        DevKind::Bridge(br) => {
            br.ports.is_empty()
                || br.ports.iter().any(|&p| {
                    dev_get(k, p).is_some_and(|pd| {
                        pd.up && !matches!(pd.kind, DevKind::Bridge(_)) && carrier(k, p)
                    })
                })
        }
        DevKind::Loopback | DevKind::Dummy => true,
    }
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
        DevKind::Loopback | DevKind::Dummy => "UNKNOWN",
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

fn qdisc(dev: &NetDevice) -> &'static str {
    if dev.up {
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
        DevKind::Dummy => 65536,
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
fn link_details(k: &Kernel, d: DevId, dev: &NetDevice) -> String {
    let port = dev
        .master
        .and_then(|m| dev_get(k, m).map(|x| (m, x)))
        .filter(|(_, m)| bridge_of(m).is_some());
    let promisc = u8::from(port.is_some());
    let (minmtu, maxmtu) = match dev.kind {
        DevKind::Loopback | DevKind::Dummy => (0, 0),
        _ => (68, 65535),
    };
    let mut s =
        format!(" promiscuity {promisc}  allmulti {promisc} minmtu {minmtu} maxmtu {maxmtu} ");
    match &dev.kind {
        DevKind::Loopback => {}
        DevKind::Veth { .. } => s.push_str("\n    veth "),
        DevKind::Dummy => s.push_str("\n    dummy "),
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
    let _ = write!(
        s,
        "addrgenmode eui64 numtxqueues {nq} numrxqueues {nq} {TAIL_STATS} tso_max_size {} tso_max_segs 65535 gro_max_size 65536 ",
        tso_max_size(k, dev)
    );
    s
}

/// The `link/...` line (without the leading indentation's newline), with `link-netns`.
fn link_addr_line(k: &Kernel, dev: &NetDevice) -> String {
    let mut s = match dev.kind {
        DevKind::Loopback => format!(
            "    link/loopback {} brd 00:00:00:00:00:00",
            fmt_mac(&dev.mac)
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

/// `print_link_stats64` with `-s`.
fn link_stats(dev: &NetDevice) -> String {
    let st = &dev.stats;
    let mut cols: [usize; 7] = [9, 7, 6, 7, 7, 7, 10];
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
        s.push_str(&link_details(k, d, dev));
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
            let _ = writeln!(
                out,
                "{:<16} {:<14} {} <{}> ",
                name,
                operstate(k, d),
                fmt_mac(&x.mac),
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
                r.push_str(&link_details(k, d, x));
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
        if matches!(x.kind, DevKind::Loopback) {
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
        // The device's own multicast list (`self`).
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

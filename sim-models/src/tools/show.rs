//! Read-only renderers of the model's state in the exact text formats of the real tools:
//! `ip link`, `ip addr`, `ip route`, `ip neigh` (iproute2 6.1), `bridge fdb show`, `brctl show`,
//! `brctl showmacs` (bridge-utils), `route -n` (net-tools), `ip netns list` and `ethtool -S`.
//!
//! Every function formats rtnetlink dump messages ([`crate::net::rtnetlink::dump`]) as the tool
//! formats what the kernel sends it; none reads the kernel's structures. None mutates the kernel
//! or panics on any state (dead devices, missing namespaces and dangling peers are skipped or
//! rendered as the tools would).
//!
//! # Differences from the real tools
//! * Timers in `ip -d link` (`gc_timer`, `forward_delay_timer`, ...) are printed as `0.00`.
//! * The bridge id is all-zero while a bridge has no ports and no user-set address (the kernel
//!   keeps the last id after the last port leaves).
//! * `ip neigh` lists entries by (device ifindex, address); Linux walks its hash table.
//! * A veth whose peer lives in the initial namespace shows `link-netnsid 0` (what iproute2
//!   prints when that namespace has no name); a peer in a named namespace shows `link-netns NAME`.

use crate::kernel::{Kernel, NsId};
use crate::net::addrconf::{Inet6Ifaddr, IFA_F_NODAD};
use crate::net::fib::{
    mask, RtnType, RTPROT_BOOT, RT_SCOPE_UNIVERSE, RT_TABLE_LOCAL, RT_TABLE_MAIN,
};
use crate::net::neigh::{nud_name, NUD_FAILED, NUD_INCOMPLETE, NUD_NOARP, NUD_NONE, NUD_VALID};
use crate::net::rtnetlink::dump::{
    AddrMsg, FdbMsg, IptunInfo, LinkInfo, LinkMsg, LinkStats, MacvlanInfo, NetnsMsg, RouteMsg,
    VlanInfo, VxlanInfo, ARPHRD_LOOPBACK, ARPHRD_TUNNEL, IFA_F_SECONDARY, IFF_BROADCAST,
    IFF_LOOPBACK, IFF_LOWER_UP, IFF_MASTER, IFF_MULTICAST, IFF_NOARP, IFF_POINTOPOINT, IFF_RUNNING,
    IFF_SLAVE, IFF_UP, NTF_SELF, RTNH_F_DEAD, RTNH_F_LINKDOWN, RTNH_F_ONLINK,
};
use crate::net::rtnetlink::IfIndex;
use crate::wire::{fmt_mac, Mac};
use std::fmt::Write as _;
use std::net::Ipv4Addr;

/// Global options of `ip` that change the rendering (`-d`, `-o`, `-br`, `-4`, `-s`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ShowOpts {
    /// `-j`: JSON (`show/json.rs`); `-p` with it: pretty JSON.
    pub json: bool,
    pub pretty: bool,
    pub details: bool,
    pub oneline: bool,
    pub brief: bool,
    pub family4: bool,
    /// `-6`: only IPv6 (addresses are configuration only, see net/addrconf.rs).
    pub family6: bool,
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
    pub dev: Option<IfIndex>,
    pub proto: Option<u8>,
    pub scope: Option<u8>,
    pub rtype: Option<RtnType>,
    pub prefix: Option<(Ipv4Addr, u8)>,
    /// `root PREFIX`: routes inside the prefix (as long or longer).
    pub root: Option<(Ipv4Addr, u8)>,
    /// `match PREFIX`: routes containing the prefix (as long or shorter).
    pub mdst: Option<(Ipv4Addr, u8)>,
    /// `vrf NAME`: its table without local and broadcast routes (`filter.typemask`).
    pub no_local_bcast: bool,
}

// ------------------------------------------------------------------ helpers

/// An unset selector matches everything.
fn opt_eq<T: PartialEq>(f: Option<T>, v: T) -> bool {
    match f {
        None => true,
        Some(x) => x == v,
    }
}

/// iproute2's link cache (`ll_map`): the namespace's links for index → name lookups.
struct LinkCache(Vec<LinkMsg>);

impl LinkCache {
    fn new(k: &Kernel, ns: NsId) -> LinkCache {
        LinkCache(k.rtnl_link_dump(ns))
    }

    fn get(&self, ifindex: IfIndex) -> Option<&LinkMsg> {
        self.0.iter().find(|l| l.ifindex == ifindex)
    }

    /// `ll_index_to_name`: the name, or `ifN` for an unknown index.
    fn name(&self, ifindex: IfIndex) -> String {
        self.get(ifindex)
            .map_or_else(|| format!("if{ifindex}"), |l| l.name.clone())
    }
}

/// `name`, `name@peer` (peer in the same namespace) or `name@ifN` (peer elsewhere), and whether
/// iproute2 adds `M-DOWN` (a same-namespace veth peer that is down).
fn link_name(c: &LinkCache, l: &LinkMsg) -> (String, bool) {
    match (&l.info, l.link) {
        // IFLA_LINK is the tunnel's underlay device; 0 prints as `@NONE`.
        (Some(LinkInfo::Ipip(_) | LinkInfo::Gre(_)), Some(link)) => {
            let at = if link == 0 {
                "NONE".to_string()
            } else {
                c.name(link)
            };
            (format!("{}@{}", l.name, at), false)
        }
        (_, Some(link)) if l.link_netnsid.is_some() => (format!("{}@if{}", l.name, link), false),
        (_, Some(link)) => match c.get(link) {
            Some(p) => (format!("{}@{}", l.name, p.name), !p.is_up()),
            None => (format!("{}@if{}", l.name, link), false),
        },
        _ => (l.name.clone(), false),
    }
}

/// iproute2 `print_link_flags`.
fn link_flags(l: &LinkMsg, mdown: bool) -> String {
    let mut f: Vec<&str> = Vec::new();
    if l.flags & IFF_UP != 0 && l.flags & IFF_RUNNING == 0 {
        f.push("NO-CARRIER");
    }
    for (bit, name) in [
        (IFF_LOOPBACK, "LOOPBACK"),
        (IFF_BROADCAST, "BROADCAST"),
        (IFF_POINTOPOINT, "POINTOPOINT"),
        (IFF_MULTICAST, "MULTICAST"),
        (IFF_NOARP, "NOARP"),
        (IFF_MASTER, "MASTER"),
        (IFF_SLAVE, "SLAVE"),
        (IFF_UP, "UP"),
        (IFF_LOWER_UP, "LOWER_UP"),
    ] {
        if l.flags & bit != 0 {
            f.push(name);
        }
    }
    let mut s = f.join(",");
    if mdown {
        s.push_str(",M-DOWN");
    }
    s
}

/// The first line of `ip link` / `ip addr` (without the newline).
fn link_header(c: &LinkCache, l: &LinkMsg, with_mode: bool) -> String {
    let (name, mdown) = link_name(c, l);
    let mut s = format!(
        "{}: {}: <{}> mtu {} qdisc {}",
        l.ifindex,
        name,
        link_flags(l, mdown),
        l.mtu,
        l.qdisc
    );
    if let Some(m) = l.master.and_then(|m| c.get(m)) {
        let _ = write!(s, " master {}", m.name);
    }
    let _ = write!(s, " state {}", l.operstate.name());
    if with_mode {
        s.push_str(" mode DEFAULT");
    }
    s.push_str(" group default qlen 1000");
    s
}

/// The header of `ip -6 addr show` without `dev`: iproute2 dumps the links with family
/// `AF_INET6`, which the kernel answers with `inet6_dump_ifinfo` (no qdisc, master or group;
/// recorded, iproute2 6.1: `3: v0@v1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP
/// qlen 1000`).
fn link_header_inet6(c: &LinkCache, l: &LinkMsg) -> String {
    let (name, mdown) = link_name(c, l);
    format!(
        "{}: {}: <{}> mtu {} state {} qlen 1000",
        l.ifindex,
        name,
        link_flags(l, mdown),
        l.mtu,
        l.operstate.name()
    )
}

/// `glibc ether_ntoa`: hex bytes without zero padding.
fn ether_ntoa(m: &Mac) -> String {
    m.iter()
        .map(|b| format!("{b:x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn timer(v: f64) -> String {
    format!("{v:7.2}")
}

/// A timer's centiseconds as iproute2's `print_timer` shows them (`%4i.%.2i`).
fn timer_cs(cs: u64) -> String {
    format!("{:4}.{:02}", cs / 100, cs % 100)
}

/// iproute2's `br_dump_bridge_id`: priority in hex, a dot, the address as `ether_ntoa`.
fn br_id(id: &crate::net::br_stp::BridgeId) -> String {
    let addr: Mac = id[2..].try_into().unwrap_or_default();
    format!("{:02x}{:02x}.{}", id[0], id[1], ether_ntoa(&addr))
}

const TAIL_STATS: &str = "gso_max_size 65536 gso_max_segs 65535";

/// The `-d` part after the `link/...` address: promiscuity, kind data, slave data, queues.
/// `addrgen`: `ip link` prints `addrgenmode eui64` (from the inet6 AF_SPEC); `ip addr` does not.
fn link_details(c: &LinkCache, l: &LinkMsg, addrgen: bool) -> String {
    let mut s = format!(
        " promiscuity {}  allmulti {} minmtu {} maxmtu {} ",
        l.promiscuity, l.allmulti, l.min_mtu, l.max_mtu
    );
    match &l.info {
        None => {}
        Some(LinkInfo::Veth) => s.push_str("\n    veth "),
        Some(LinkInfo::Dummy) => s.push_str("\n    dummy "),
        Some(LinkInfo::Vrf { table }) => {
            let _ = write!(s, "\n    vrf table {table} ");
        }
        Some(LinkInfo::Vxlan(v)) => {
            s.push_str("\n    vxlan ");
            s.push_str(&vxlan_details(c, v));
        }
        Some(LinkInfo::Ipip(t)) => s.push_str(&iptnl_print_opt(c, t)),
        Some(LinkInfo::Gre(g)) => {
            let _ = write!(
                s,
                "\n    {} {}",
                g.kind.name(),
                super::iplink_gre::gre_print_opt(g, |i| c.name(i))
            );
        }
        Some(LinkInfo::Ipvlan(v)) => {
            use crate::net::ipvlan::*;
            let mode = match v.mode {
                IPVLAN_MODE_L2 => "l2",
                IPVLAN_MODE_L3 => "l3",
                IPVLAN_MODE_L3S => "l3s",
                _ => "unknown",
            };
            let flag = if v.flags & IPVLAN_F_PRIVATE != 0 {
                "private"
            } else if v.flags & IPVLAN_F_VEPA != 0 {
                "vepa"
            } else {
                "bridge"
            };
            let _ = write!(s, "\n    ipvlan  mode {mode} {flag} ");
        }
        Some(LinkInfo::Bond(b)) => {
            use crate::net::bonding::*;
            let _ = write!(
                s,
                "\n    bond mode {} ",
                BOND_MODE_NAMES
                    .get(usize::from(b.mode))
                    .unwrap_or(&"unknown")
            );
            if let Some(a) = b.active_slave {
                let _ = write!(s, "active_slave {} ", c.name(a));
            }
            let _ = write!(
                s,
                "miimon {} updelay 0 downdelay 0 peer_notify_delay 0 use_carrier 1 arp_interval 0 \
                 arp_missed_max 2 arp_validate none arp_all_targets any ",
                b.miimon,
            );
            if let Some(p) = b.primary {
                let _ = write!(s, "primary {} ", c.name(p));
            }
            let _ = write!(
                s,
                "primary_reselect {} fail_over_mac none xmit_hash_policy {} resend_igmp 1 \
                 num_grat_arp {} all_slaves_active 0 min_links 0 lp_interval 1 packets_per_slave 1 \
                 lacp_active on lacp_rate slow ad_select stable tlb_dynamic_lb 1 ",
                BOND_PRI_RESELECT_NAMES
                    .get(usize::from(b.primary_reselect))
                    .unwrap_or(&"unknown"),
                BOND_XMIT_POLICY_NAMES
                    .get(usize::from(b.xmit_hash_policy))
                    .unwrap_or(&"unknown"),
                b.num_peer_notif
            );
        }
        Some(LinkInfo::Vlan(v)) => {
            s.push_str("\n    vlan ");
            s.push_str(&vlan_print_opt(v));
        }
        Some(LinkInfo::Macvlan(m)) => {
            s.push_str("\n    macvlan ");
            s.push_str(&macvlan_print_opt(m));
        }
        Some(LinkInfo::Bridge(b)) => {
            let id = br_id(&b.bridge_id);
            // iproute2 6.1's bridge_print_opt formats IFLA_BR_ROOT_ID from IFLA_BR_BRIDGE_ID's
            // data (recorded: a bridge whose root is another shows its own id there).
            let root = br_id(&b.bridge_id);
            let _ = write!(
                s,
                "\n    bridge forward_delay {} hello_time {} max_age {} ageing_time {} stp_state {} priority {} vlan_filtering {}{} \
                 bridge_id {id} designated_root {root} root_port {} root_path_cost {} topology_change {} topology_change_detected {} \
                 hello_timer {} tcn_timer {} topology_change_timer {} gc_timer {t}{} group_fwd_mask 0 group_address 01:80:c2:00:00:00 \
                 mcast_snooping {} no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 \
                 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 \
                 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 \
                 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 \
                 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 ",
                b.forward_delay,
                b.hello_time,
                b.max_age,
                b.ageing_time,
                b.stp_state,
                b.priority,
                u8::from(b.vlan_filtering),
                match b.vlan {
                    Some((p, _)) if p == crate::net::vlan::ETH_P_8021AD => " vlan_protocol 802.1ad",
                    Some(_) => " vlan_protocol 802.1Q",
                    None => "",
                },
                b.root_port,
                b.root_path_cost,
                u8::from(b.topology_change),
                u8::from(b.topology_change_detected),
                timer_cs(b.hello_timer),
                timer_cs(b.tcn_timer),
                timer_cs(b.topology_change_timer),
                match b.vlan {
                    Some((_, pvid)) => format!(
                        " vlan_default_pvid {pvid} vlan_stats_enabled 0 vlan_stats_per_port 0"
                    ),
                    None => String::new(),
                },
                u8::from(b.mcast_snooping),
                t = timer(0.0)
            );
        }
    }
    if let Some(t) = l.vrf_slave {
        let _ = write!(s, "\n    vrf_slave table {t} ");
    }
    if let Some(b) = &l.bond_slave {
        let _ = write!(
            s,
            "\n    bond_slave state {} mii_status {} link_failure_count {} perm_hwaddr {} queue_id 0 prio 0 ",
            if b.active { "ACTIVE" } else { "BACKUP" },
            if b.mii_up { "UP" } else { "DOWN" },
            b.link_failure_count,
            fmt_mac(&b.perm_hwaddr)
        );
    }
    if let Some(p) = &l.slave {
        let state = crate::net::br_stp::br_port_state_name(p.state);
        let f = &p.flags;
        let on = |b: bool| if b { "on" } else { "off" };
        let id = br_id(&p.designated_bridge);
        let root = br_id(&p.designated_root);
        let _ = write!(
            s,
            "\n    bridge_slave state {state} priority {prio} cost {cost} hairpin {hp} guard off root_block off fastleave off learning {ln} flood {fl} \
             port_id 0x{pid:x} port_no 0x{no:x} designated_port {dport} designated_cost {dcost} designated_bridge {id} designated_root {root} \
             hold_timer {} message_age_timer {} forward_delay_timer {} topology_change_ack {} config_pending {} proxy_arp off \
             proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood {mf} bcast_flood {bf} mcast_to_unicast off neigh_suppress {ns} \
             group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated {iso} locked off ",
            timer_cs(p.hold_timer),
            timer_cs(p.message_age_timer),
            timer_cs(p.forward_delay_timer),
            u8::from(p.topology_change_ack),
            u8::from(p.config_pending),
            prio = p.priority,
            dport = p.designated_port,
            dcost = p.designated_cost,
            cost = p.cost,
            hp = on(f.hairpin),
            ln = on(f.learning),
            fl = on(f.flood),
            mf = on(f.mcast_flood),
            bf = on(f.bcast_flood),
            ns = on(f.neigh_suppress),
            iso = on(f.isolated),
            pid = p.port_id,
            no = p.port_no,
        );
    }
    if addrgen && l.inet6_addr_gen_mode {
        s.push_str("addrgenmode eui64 ");
    }
    let _ = write!(
        s,
        "numtxqueues {} numrxqueues {} {TAIL_STATS} tso_max_size {} tso_max_segs 65535 gro_max_size 65536 ",
        l.num_tx_queues, l.num_rx_queues, l.tso_max_size
    );
    s
}

/// iproute2's `vlan_print_opt` (protocol, id, the flags in `<...>`, the QoS maps).
fn vlan_print_opt(v: &VlanInfo) -> String {
    let mut s = vlan_print_id_flags(v);
    // vlan_print_map: print_nl(), then `      NAME { FROM:TO ... } `.
    for (name, map) in [
        ("ingress-qos-map", &v.ingress_qos),
        ("egress-qos-map", &v.egress_qos),
    ] {
        if let Some(map) = map {
            let _ = write!(s, "\n      {name} {{ ");
            for (from, to) in map {
                let _ = write!(s, "{from}:{to} ");
            }
            s.push_str("} ");
        }
    }
    s
}

fn vlan_print_id_flags(v: &VlanInfo) -> String {
    let proto = super::iplink_vlan::vlan_proto_name(v.protocol);
    let mut s = format!("protocol {proto} id {} ", v.id);
    // vlan_fill_info sends IFLA_VLAN_FLAGS only when a flag is set.
    if v.flags == 0 {
        return s;
    }
    s.push('<');
    let mut flags = v.flags;
    for (bit, name) in super::iplink_vlan::VLAN_FLAG_NAMES {
        if flags & bit != 0 {
            flags &= !bit;
            s.push_str(name);
            if flags != 0 {
                s.push(',');
            }
        }
    }
    if flags != 0 {
        let _ = write!(s, "{flags:x}");
    }
    s.push_str("> ");
    s
}

/// iproute2's `macvlan_print_opt`.
fn macvlan_print_opt(m: &MacvlanInfo) -> String {
    use crate::net::macvlan::*;
    let mode = match m.mode {
        MACVLAN_MODE_PRIVATE => "private",
        MACVLAN_MODE_VEPA => "vepa",
        MACVLAN_MODE_BRIDGE => "bridge",
        MACVLAN_MODE_PASSTHRU => "passthru",
        MACVLAN_MODE_SOURCE => "source",
        _ => "unknown",
    };
    let mut s = format!("mode {mode} ");
    if m.flags & MACVLAN_FLAG_NOPROMISC != 0 {
        s.push_str("nopromisc ");
    }
    if m.flags & MACVLAN_FLAG_NODST != 0 {
        s.push_str("nodst ");
    }
    let _ = write!(
        s,
        "bcqueuelen {} usedbcqueuelen {} ",
        m.bc_queue_len, m.bc_queue_len_used
    );
    if m.mode == MACVLAN_MODE_SOURCE {
        let _ = write!(s, "remotes ({}) ", m.macaddr_count);
        for a in &m.macaddr_data {
            let _ = write!(
                s,
                "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x} ",
                a[0], a[1], a[2], a[3], a[4], a[5]
            );
        }
    }
    s
}

/// `vxlan_print_opt` of what `vxlan_fill_info` reports.
fn vxlan_details(c: &LinkCache, v: &VxlanInfo) -> String {
    let mut s = format!("id {} ", v.id);
    if !v.group.is_unspecified() {
        let what = if v.group.is_multicast() {
            "group"
        } else {
            "remote"
        };
        let _ = write!(s, "{what} {} ", v.group);
    }
    if !v.local.is_unspecified() {
        let _ = write!(s, "local {} ", v.local);
    }
    if let Some(l) = v.link.and_then(|l| c.get(l)) {
        let _ = write!(s, "dev {} ", l.name);
    }
    let _ = write!(
        s,
        "srcport {} {} dstport {} ",
        v.port_min, v.port_max, v.port
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
    // vxlan_print_opt: `unset` only in JSON.
    match v.df {
        crate::net::vxlan::VXLAN_DF_SET => s.push_str("df set "),
        crate::net::vxlan::VXLAN_DF_INHERIT => s.push_str("df inherit "),
        _ => {}
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

/// An address of `IFLA_ADDRESS`/`IFLA_BROADCAST` as `ll_addr_n2a` prints it: a 4-byte one as
/// IPv4, else colon-separated hex.
fn ll_addr_n2a(a: &[u8]) -> String {
    match <[u8; 4]>::try_from(a) {
        Ok(b) => Ipv4Addr::from(b).to_string(),
        Err(_) => a
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(":"),
    }
}

/// The `link/...` line (without the leading indentation's newline), with `link-netns`.
fn link_addr_line(netns: &[NetnsMsg], l: &LinkMsg) -> String {
    let mut s = match l.link_type {
        ARPHRD_LOOPBACK => format!(
            "    link/loopback {} brd {}",
            ll_addr_n2a(&l.address),
            ll_addr_n2a(&l.broadcast)
        ),
        ARPHRD_TUNNEL | crate::net::ip_gre::ARPHRD_IPGRE => format!(
            "    link/{} {} {} {}",
            if l.link_type == ARPHRD_TUNNEL {
                "ipip"
            } else {
                "gre"
            },
            ll_addr_n2a(&l.address),
            if l.flags & IFF_POINTOPOINT != 0 {
                "peer"
            } else {
                "brd"
            },
            ll_addr_n2a(&l.broadcast)
        ),
        _ => format!(
            "    link/ether {} brd {}",
            ll_addr_n2a(&l.address),
            ll_addr_n2a(&l.broadcast)
        ),
    };
    if let Some(id) = l.link_netnsid {
        // iproute2 names the nsid when a /var/run/netns file matches it (get_name_from_nsid:
        // RTM_GETNSID of each file).
        match netns
            .iter()
            .find(|n| l.link_net.is_some_and(|p| n.nsid == p as i32) && n.named && id >= 0)
        {
            Some(n) => {
                let _ = write!(s, " link-netns {}", n.name);
            }
            None => {
                let _ = write!(s, " link-netnsid {id}");
            }
        }
    }
    s
}

/// A tunnel endpoint as iproute2 prints it: the address, or `any` for 0.0.0.0.
fn addr_or_any(a: Ipv4Addr) -> String {
    if a.is_unspecified() {
        "any".to_string()
    } else {
        a.to_string()
    }
}

/// iproute2 `iptnl_print_opt`: the `-d` line of an ipip device.
fn iptnl_print_opt(c: &LinkCache, p: &IptunInfo) -> String {
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
        let _ = write!(s, "dev {} ", c.name(p.link));
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

/// `ip tunnel show`: the IPv4 tunnels of a namespace (`/proc/net/dev` order: the devices of
/// type `ARPHRD_TUNNEL` and `ARPHRD_IPGRE`), `print_tunnel`.
pub fn ip_tunnel_show(k: &Kernel, ns: NsId, name: Option<&str>) -> String {
    let c = LinkCache::new(k, ns);
    let mut out = String::new();
    for l in &c.0 {
        if l.iptnl_parms().is_none() || name.is_some_and(|n| n != l.name) {
            continue;
        }
        out.push_str(&print_tunnel_msg(&c, l));
        out.push('\n');
    }
    out
}

/// iproute2 `print_tunnel` of the tunnel with `ifindex` in `ns` (without the final newline);
/// empty when there is no such tunnel.
pub fn print_tunnel_ifindex(k: &Kernel, ns: NsId, ifindex: IfIndex) -> String {
    let c = LinkCache::new(k, ns);
    c.get(ifindex)
        .map(|l| print_tunnel_msg(&c, l))
        .unwrap_or_default()
}

/// iproute2 `print_tunnel` (without the final newline); empty for a link that is no tunnel.
fn print_tunnel_msg(c: &LinkCache, l: &LinkMsg) -> String {
    use crate::net::ip_tunnel::*;
    let Some((_, p)) = l.iptnl_parms() else {
        return String::new();
    };
    let proto = match p.proto {
        crate::wire::IPPROTO_IPIP => "ip",
        crate::net::ip_gre::IPPROTO_GRE => "gre",
        _ => "any",
    };
    let mut s = format!(
        "{}: {proto}/ip remote {} local {}",
        l.name,
        addr_or_any(p.remote),
        addr_or_any(p.local)
    );
    if p.link != 0 {
        if let Some(x) = c.get(p.link) {
            let _ = write!(s, " dev {}", x.name);
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
    let (ik, ok) = (p.i_flags & TUNNEL_KEY != 0, p.o_flags & TUNNEL_KEY != 0);
    if ik && ok && p.i_key == p.o_key {
        let _ = write!(s, " key {}", p.i_key);
    } else {
        if ik {
            let _ = write!(s, " ikey {}", p.i_key);
        }
        if ok {
            let _ = write!(s, " okey {}", p.o_key);
        }
    }
    for (f, line) in [
        (p.i_flags & TUNNEL_SEQ, "Drop packets out of sequence."),
        (
            p.i_flags & TUNNEL_CSUM,
            "Checksum in received packet is required.",
        ),
        (p.o_flags & TUNNEL_SEQ, "Sequence packets on output."),
        (p.o_flags & TUNNEL_CSUM, "Checksum output packets."),
    ] {
        if f != 0 {
            let _ = write!(s, "\n  {line}");
        }
    }
    s
}

/// `print_link_stats64` with `-s`.
fn link_stats(st: &LinkStats) -> String {
    let mut cols: [usize; 7] = [10, 7, 6, 7, 7, 7, 10];
    let rx = [st.rx_bytes, st.rx_packets, 0, st.rx_dropped, 0, 0];
    let tx = [
        st.tx_bytes,
        st.tx_packets,
        st.tx_errors,
        st.tx_dropped,
        0,
        0,
    ];
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
fn link_record(
    c: &LinkCache,
    netns: &[NetnsMsg],
    l: &LinkMsg,
    o: &ShowOpts,
    with_mode: bool,
) -> String {
    let mut s = link_header(c, l, with_mode);
    s.push('\n');
    s.push_str(&link_addr_line(netns, l));
    if o.details {
        s.push_str(&link_details(c, l, true));
    }
    if o.stats {
        s.push_str(&link_stats(&l.stats));
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

/// The links a `dev` selector (an ifindex; `None` = every link) picks.
/// The selectors of `ip link show` / `ip addr show` (iproute2 6.1): `dev`, `master` and
/// `type KIND` go into the dump request (`iplink_filter_req`: the kernel leaves the other
/// devices out), `up` is checked by `print_linkinfo` after it opened the device's JSON object
/// (so `ip -j link show up` prints `{}` for a device that is down).
#[derive(Clone, Debug, Default)]
pub struct LinkSel {
    pub dev: Option<IfIndex>,
    pub up: bool,
    pub master: Option<IfIndex>,
    /// `type KIND`; `KIND_slave` selects the ports of a KIND master.
    pub kind: Option<String>,
}

/// What a selection does with one device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pick {
    /// Not dumped.
    Drop,
    /// Dumped, filtered by the printer (`{}` in JSON, nothing in text).
    Empty,
    Show,
}

/// The link kinds the model's kernel knows (`rtnl_link_ops_get`); a `type` the kernel does
/// not know filters nothing (`link_kind_filtered` with no ops).
const KNOWN_KINDS: &[&str] = &[
    "veth", "dummy", "bridge", "vxlan", "ipip", "macvlan", "vlan", "ipvlan", "bond", "vrf",
];

fn pick(c: &LinkCache, l: &LinkMsg, sel: &LinkSel) -> Pick {
    if sel.dev.is_some_and(|d| d != l.ifindex) || sel.master.is_some_and(|m| l.master != Some(m)) {
        return Pick::Drop;
    }
    if let Some(kind) = &sel.kind {
        let (want, slave) = match kind.strip_suffix("_slave") {
            Some(k) => (k, true),
            None => (kind.as_str(), false),
        };
        if KNOWN_KINDS.contains(&want) {
            let have = if slave {
                l.master.and_then(|m| c.get(m)).and_then(|m| m.kind())
            } else {
                l.kind()
            };
            if have != Some(want) {
                return Pick::Drop;
            }
        }
    }
    if sel.up && !l.is_up() {
        return Pick::Empty;
    }
    Pick::Show
}

/// The devices a selection shows, as text prints them (in ifindex order).
pub fn link_sel_list(k: &Kernel, ns: NsId, sel: &LinkSel) -> Vec<IfIndex> {
    let c = LinkCache::new(k, ns);
    c.0.iter()
        .filter(|l| pick(&c, l, sel) == Pick::Show)
        .map(|l| l.ifindex)
        .collect()
}

fn selected(c: &LinkCache, sel: Option<IfIndex>) -> Vec<&LinkMsg> {
    c.0.iter()
        .filter(|l| sel.is_none_or(|s| s == l.ifindex))
        .collect()
}

/// `ip [-d] [-o] [-br] [-s] link show [dev DEV]`.
pub fn ip_link_show(k: &Kernel, ns: NsId, dev: Option<IfIndex>, o: &ShowOpts) -> String {
    if o.json {
        let sel = LinkSel {
            dev,
            ..Default::default()
        };
        return json::ip_link_json(k, ns, &sel, o);
    }
    let c = LinkCache::new(k, ns);
    let netns = k.netns_dump();
    let mut out = String::new();
    for l in selected(&c, dev) {
        if o.brief {
            let (name, mdown) = link_name(&c, l);
            let _ = writeln!(
                out,
                "{:<16} {:<14} {} <{}> ",
                name,
                l.operstate.name(),
                ll_addr_n2a(&l.address),
                link_flags(l, mdown)
            );
            continue;
        }
        let rec = link_record(&c, &netns, l, o, true);
        finish_record(&mut out, &rec, o.oneline);
    }
    out
}

pub(crate) fn scope_name(s: u8) -> String {
    match s {
        0 => "global".into(),
        200 => "site".into(),
        253 => "link".into(),
        254 => "host".into(),
        255 => "nowhere".into(),
        n => n.to_string(),
    }
}

fn inet_text(a: &AddrMsg) -> String {
    if a.has_peer() {
        format!("{} peer {}/{}", a.local, a.address, a.prefixlen)
    } else {
        format!("{}/{}", a.local, a.prefixlen)
    }
}

fn inet_line(a: &AddrMsg) -> String {
    let mut s = format!("    inet {} ", inet_text(a));
    if a.rt_priority != 0 {
        let _ = write!(s, "metric {} ", a.rt_priority);
    }
    if let Some(b) = a.broadcast {
        let _ = write!(s, "brd {b} ");
    }
    let _ = write!(s, "scope {} ", scope_name(a.scope));
    if a.flags & IFA_F_SECONDARY != 0 {
        s.push_str("secondary ");
    }
    let _ = write!(
        s,
        "{}\n       valid_lft forever preferred_lft forever",
        a.label
    );
    s
}

/// An IPv6 address as `print_addrinfo` prints it (recorded, iproute2 6.1): the flags
/// (`nodad` before `tentative`) each end with a space, so the line does too; no label.
fn inet6_line(a: &Inet6Ifaddr, now: sim_core::Instant) -> String {
    let mut s = format!(
        "    inet6 {}/{} scope {} ",
        a.addr,
        a.plen,
        scope_name(a.scope)
    );
    if a.flags & IFA_F_NODAD != 0 {
        s.push_str("nodad ");
    }
    if a.tentative(now) {
        s.push_str("tentative ");
    }
    s.push_str("\n       valid_lft forever preferred_lft forever");
    s
}

/// `ip [-4|-6] [-d] [-o] [-br] [-s] addr show [dev DEV]`.
pub fn ip_addr_show(k: &Kernel, ns: NsId, dev: Option<IfIndex>, o: &ShowOpts) -> String {
    if o.json {
        let sel = LinkSel {
            dev,
            ..Default::default()
        };
        return json::ip_addr_json(k, ns, &sel, o);
    }
    let c = LinkCache::new(k, ns);
    let netns = k.netns_dump();
    let addrs = k.rtnl_addr_dump(ns, dev);
    let mut out = String::new();
    for x in selected(&c, dev) {
        let mine: Vec<&AddrMsg> = if o.family6 {
            Vec::new()
        } else {
            addrs.iter().filter(|a| a.ifindex == x.ifindex).collect()
        };
        let mine6: Vec<Inet6Ifaddr> = match k.dev_by_ifindex(ns, x.ifindex) {
            Some(d) if !o.family4 => k.dev(d).inet6.clone(),
            _ => Vec::new(),
        };
        let family = o.family4 || o.family6;
        if o.brief {
            if family && mine.is_empty() && mine6.is_empty() {
                continue;
            }
            let (name, _) = link_name(&c, x);
            let _ = write!(out, "{:<16} {:<14} ", name, x.operstate.name());
            for a in &mine {
                let _ = write!(out, "{} ", inet_text(a));
            }
            for a in &mine6 {
                let _ = write!(out, "{}/{} ", a.addr, a.plen);
            }
            out.push('\n');
            continue;
        }
        if o.oneline {
            // `-o addr` prints one record per address (and only addresses).
            for a in &mine {
                let rec = format!("{}: {}{}", x.ifindex, x.name, inet_line(a));
                finish_record(&mut out, &rec, true);
            }
            for a in &mine6 {
                let rec = format!("{}: {}{}", x.ifindex, x.name, inet6_line(a, k.now));
                finish_record(&mut out, &rec, true);
            }
            continue;
        }
        if family && mine.is_empty() && mine6.is_empty() {
            continue;
        }
        let mut rec = if o.family6 && dev.is_none() {
            link_header_inet6(&c, x)
        } else if family {
            // iproute2 skips the link/ line with `-4` but still prints the peer's namespace
            // (recorded: `ip -4 addr show dev vb` ends the first line with `link-netns A`).
            let mut r = link_header(&c, x, false);
            let ll = link_addr_line(&netns, x);
            if let Some(p) = ll.find(" link-netns") {
                r.push_str(&ll[p..]);
            }
            r
        } else {
            let mut r = link_header(&c, x, false);
            r.push('\n');
            r.push_str(&link_addr_line(&netns, x));
            if o.details {
                r.push_str(&link_details(&c, x, false));
            }
            r
        };
        for a in &mine {
            rec.push('\n');
            rec.push_str(&inet_line(a));
        }
        for a in &mine6 {
            rec.push('\n');
            rec.push_str(&inet6_line(a, k.now));
        }
        if o.stats {
            rec.push_str(&link_stats(&x.stats));
        }
        finish_record(&mut out, &rec, false);
    }
    out
}

// ------------------------------------------------------------------ routes

pub(crate) fn table_name(t: u32) -> String {
    match t {
        RT_TABLE_MAIN => "main".into(),
        RT_TABLE_LOCAL => "local".into(),
        253 => "default".into(),
        n => n.to_string(),
    }
}

/// `/etc/iproute2/rt_protos` as shipped with iproute2 6.1.
pub(crate) fn proto_name(p: u8) -> String {
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

fn dst_text(r: &RouteMsg) -> String {
    if r.dst_len == 0 && r.dst.is_unspecified() {
        "default".into()
    } else if r.dst_len == 32 {
        r.dst.to_string()
    } else {
        format!("{}/{}", r.dst, r.dst_len)
    }
}

/// The routes of the selected tables in the kernel's dump order.
fn dump_routes(k: &Kernel, ns: NsId, table: TableSel) -> Vec<RouteMsg> {
    let t = match table {
        TableSel::Main => Some(RT_TABLE_MAIN),
        TableSel::Local => Some(RT_TABLE_LOCAL),
        TableSel::All => None,
        TableSel::Id(t) => Some(t),
    };
    k.rtnl_route_dump(ns, t)
}

fn route_matches(r: &RouteMsg, f: &RouteFilter) -> bool {
    f.dev.is_none_or(|d| Some(d) == r.oif)
        && opt_eq(f.proto, r.protocol)
        && opt_eq(f.scope, r.scope)
        && opt_eq(f.rtype, r.rtype)
        && !(f.no_local_bcast && matches!(r.rtype, RtnType::Local | RtnType::Broadcast))
        && f.prefix
            .is_none_or(|(a, l)| l == r.dst_len && u32::from(a) & mask(l) == u32::from(r.dst))
        && f.root.is_none_or(|(a, l)| {
            l <= r.dst_len && u32::from(r.dst) & mask(l) == u32::from(a) & mask(l)
        })
        && f.mdst.is_none_or(|(a, l)| {
            l >= r.dst_len && u32::from(a) & mask(r.dst_len) == u32::from(r.dst)
        })
}

fn route_line(c: &LinkCache, r: &RouteMsg, show_table: bool, f: &RouteFilter) -> String {
    let mut s = String::new();
    if r.rtype != RtnType::Unicast {
        let _ = write!(s, "{} ", r.rtype.name());
    }
    let _ = write!(s, "{} ", dst_text(r));
    if let Some(id) = r.nhid {
        let _ = write!(s, "nhid {id} ");
    }
    if let Some(g) = r.gateway {
        let _ = write!(s, "via {g} ");
    }
    if let Some(d) = r.oif {
        if f.dev.is_none() {
            let _ = write!(s, "dev {} ", c.name(d));
        }
    }
    if show_table && r.table != RT_TABLE_MAIN {
        let _ = write!(s, "table {} ", table_name(r.table));
    }
    if r.protocol != RTPROT_BOOT && f.proto.is_none() {
        let _ = write!(s, "proto {} ", proto_name(r.protocol));
    }
    if r.scope != RT_SCOPE_UNIVERSE && f.scope.is_none() {
        let _ = write!(s, "scope {} ", scope_name(r.scope));
    }
    if let Some(p) = r.prefsrc {
        let _ = write!(s, "src {p} ");
    }
    if r.priority != 0 {
        let _ = write!(s, "metric {} ", r.priority);
    }
    print_rt_flags(&mut s, r.flags);
    if let Some(m) = &r.metrics {
        print_rta_metrics(&mut s, m);
    }
    // print_rta_multipath: each nexthop on its own line.
    for n in &r.multipath {
        s.push_str("\n\tnexthop ");
        if let Some(g) = n.gateway {
            let _ = write!(s, "via {g} ");
        }
        if let Some(d) = n.ifindex {
            let _ = write!(s, "dev {} ", c.name(d));
        }
        let _ = write!(s, "weight {} ", n.weight);
        print_rt_flags(&mut s, n.flags);
    }
    // print_rta_multipath
    for (gw, oif, weight) in &r.nh_group {
        s.push_str("\n\tnexthop ");
        if let Some(g) = gw {
            let _ = write!(s, "via {g} ");
        }
        if let Some(d) = oif {
            let _ = write!(s, "dev {} ", c.name(*d));
        }
        let _ = write!(s, "weight {weight} ");
    }
    s
}

/// iproute2 `print_rt_flags` (the flags nslab sets).
fn print_rt_flags(s: &mut String, flags: u32) {
    if flags & RTNH_F_DEAD != 0 {
        s.push_str("dead ");
    }
    if flags & RTNH_F_ONLINK != 0 {
        s.push_str("onlink ");
    }
    if flags & RTNH_F_LINKDOWN != 0 {
        s.push_str("linkdown ");
    }
}

/// iproute2 `print_rta_metrics`: by `RTAX_*` type, `lock` before a locked one's value.
pub(crate) fn print_rta_metrics(s: &mut String, m: &crate::net::fib::FibMetrics) {
    use crate::net::fib::RTAX_CC_ALGO;
    let mut types: Vec<u16> = m.vals.iter().map(|v| v.0).collect();
    if m.cc_algo.is_some() {
        types.push(RTAX_CC_ALGO);
    }
    for i in 2..=31u16 {
        if m.locks & (1 << i) != 0 && !types.contains(&i) {
            types.push(i);
        }
    }
    types.sort_unstable();
    types.dedup();
    for t in types {
        let _ = write!(s, "{} ", rtax_name(t));
        if m.locks & (1 << t) != 0 {
            s.push_str("lock ");
        }
        if t == RTAX_CC_ALGO {
            let _ = write!(s, "{} ", m.cc_algo.as_deref().unwrap_or(""));
        } else {
            let _ = write!(s, "{} ", m.get(t).unwrap_or(0));
        }
    }
}

/// iproute2's `mx_names`.
pub fn rtax_name(t: u16) -> &'static str {
    match t {
        2 => "mtu",
        3 => "window",
        4 => "rtt",
        5 => "rttvar",
        6 => "ssthresh",
        7 => "cwnd",
        8 => "advmss",
        9 => "reordering",
        10 => "hoplimit",
        11 => "initcwnd",
        12 => "features",
        13 => "rto_min",
        14 => "initrwnd",
        15 => "quickack",
        16 => "congctl",
        17 => "fastopen_no_cookie",
        _ => "?",
    }
}

/// `ip -4 route show [table main|local|all|N] [dev D] [proto P] [scope S] [type T] [PREFIX]`.
pub fn ip_route_show(k: &Kernel, ns: NsId, table: TableSel, filter: &RouteFilter) -> String {
    let c = LinkCache::new(k, ns);
    let mut out = String::new();
    for r in dump_routes(k, ns, table) {
        if route_matches(&r, filter) {
            out.push_str(&route_line(&c, &r, table == TableSel::All, filter));
            out.push('\n');
        }
    }
    out
}

/// One FIB entry (table, prefix, priority) as `ip route show table all` prints it.
pub fn ip_route_show_entry(
    k: &Kernel,
    ns: NsId,
    table: u32,
    prefix: (Ipv4Addr, u8),
    metric: u32,
    filter: &RouteFilter,
    show_table: bool,
) -> String {
    let c = LinkCache::new(k, ns);
    k.rtnl_route_dump(ns, Some(table))
        .iter()
        .find(|r| r.dst == prefix.0 && r.dst_len == prefix.1 && r.priority == metric)
        .map(|r| format!("{}\n", route_line(&c, r, show_table, filter)))
        .unwrap_or_default()
}

/// net-tools `route -n` (`/proc/net/route`: the main table without broadcast routes).
pub fn route_n(k: &Kernel, ns: NsId) -> String {
    let mut out = String::from(
        "Kernel IP routing table\nDestination     Gateway         Genmask         Flags Metric Ref    Use Iface\n",
    );
    let c = LinkCache::new(k, ns);
    for r in dump_routes(k, ns, TableSel::Main) {
        if r.rtype == RtnType::Broadcast {
            continue;
        }
        let genmask = Ipv4Addr::from(mask(r.dst_len));
        let reject = matches!(r.rtype, RtnType::Unreachable | RtnType::Prohibit);
        if reject {
            let _ = writeln!(
                out,
                "{:<15} {:<15} {:<15} {:<5} {:<6} {:<2} {:>7} -",
                r.dst, "-", genmask, "!", r.priority, "-", 0
            );
            continue;
        }
        // fib_route_seq_show: a multipath route shows its first nexthop.
        let (gateway, oif) = match r.multipath.first() {
            Some(n) => (n.gateway, n.ifindex),
            None => (r.gateway, r.oif),
        };
        let mut flags = String::from("U");
        if gateway.is_some() {
            flags.push('G');
        }
        if r.dst_len == 32 {
            flags.push('H');
        }
        let gw = gateway.unwrap_or(Ipv4Addr::UNSPECIFIED);
        let iface = oif.map(|d| c.name(d)).unwrap_or_else(|| "*".into());
        let _ = writeln!(
            out,
            "{:<15} {:<15} {:<15} {:<5} {:<6} {:<2} {:>7} {}",
            r.dst, gw, genmask, flags, r.priority, 0, 0, iface
        );
    }
    out
}

// ------------------------------------------------------------------ neighbours

/// `ip -4 neigh show [dev DEV]`: NOARP and NONE entries are not listed.
pub fn ip_neigh_show(k: &Kernel, ns: NsId, dev: Option<IfIndex>) -> String {
    ip_neigh_show_states(k, ns, dev, 0xff & !u16::from(NUD_NOARP))
}

/// `ip -4 neigh show [dev DEV] [nud STATE...]`: iproute2's `print_neigh` with `filter.state`
/// (default every state but NOARP; entries in NUD_NONE only with bit 0x100, `nud all`).
pub fn ip_neigh_show_states(k: &Kernel, ns: NsId, dev: Option<IfIndex>, states: u16) -> String {
    let c = LinkCache::new(k, ns);
    let mut out = String::new();
    for n in k.rtnl_neigh_dump(ns) {
        let shown = if n.state == NUD_NONE {
            states & 0x100 != 0
        } else {
            states & u16::from(n.state) != 0
        };
        if dev.is_some_and(|s| s != n.ifindex) || !shown {
            continue;
        }
        let Some(x) = c.get(n.ifindex) else { continue };
        let _ = write!(out, "{} ", n.dst);
        if dev.is_none() {
            let _ = write!(out, "dev {} ", x.name);
        }
        if let Some(ll) = n
            .lladdr
            .filter(|_| n.state & NUD_VALID != 0 && n.state & (NUD_INCOMPLETE | NUD_FAILED) == 0)
        {
            let _ = write!(out, "lladdr {} ", fmt_mac(&ll));
        }
        let _ = writeln!(out, "{} ", nud_name(n.state));
    }
    out
}

// ------------------------------------------------------------------ bridge

/// iproute2 `bridge/fdb.c` `state_n2a`.
fn fdb_state_n2a(s: u8) -> &'static str {
    use crate::net::neigh::{NUD_PERMANENT, NUD_STALE};
    if s & NUD_PERMANENT != 0 {
        "permanent"
    } else if s & NUD_NOARP != 0 {
        "static"
    } else if s & NUD_STALE != 0 {
        "stale"
    } else {
        ""
    }
}

/// What `bridge fdb show` selects: `dev DEV` (`filter_index`: also leaves `dev` out of each
/// line), `br BRIDGE` (the bridge and its ports, the kernel's `rtnl_fdb_dump` with
/// `IFLA_MASTER`), `vlan VID`.
#[derive(Clone, Copy, Debug, Default)]
pub struct FdbFilter {
    pub dev: Option<IfIndex>,
    pub br: Option<IfIndex>,
    pub vlan: Option<u16>,
}

/// The fdb dump's messages `f` selects, in dump order.
fn fdb_selected(c: &LinkCache, k: &Kernel, ns: NsId, f: &FdbFilter) -> Vec<FdbMsg> {
    k.rtnl_fdb_dump(ns)
        .into_iter()
        .filter(|m| f.dev.is_none_or(|d| d == m.ifindex))
        .filter(|m| {
            f.br.is_none_or(|b| {
                m.ifindex == b || c.get(m.ifindex).is_some_and(|l| l.master == Some(b))
            })
        })
        .filter(|m| f.vlan.is_none_or(|v| m.vlan == Some(v)))
        .collect()
}

/// iproute2 `print_fdb` of one message (`dev` left out under a device filter).
fn fdb_line(c: &LinkCache, f: &FdbMsg, filter_index: bool) -> String {
    let mut s = format!("{} ", fmt_mac(&f.lladdr));
    if !filter_index {
        let _ = write!(s, "dev {} ", c.name(f.ifindex));
    }
    if let Some(d) = f.dst {
        let _ = write!(s, "dst {d} ");
    }
    if let Some(v) = f.vlan {
        let _ = write!(s, "vlan {v} ");
    }
    if let Some(p) = f.port {
        let _ = write!(s, "port {p} ");
    }
    if let Some(v) = f.vni {
        let _ = write!(s, "vni {v} ");
    }
    if let Some(v) = f.via {
        let _ = write!(s, "via {} ", c.name(v));
    }
    if f.flags & NTF_SELF != 0 {
        s.push_str("self ");
    }
    if f.flags & crate::net::rtnetlink::dump::NTF_STICKY != 0 {
        s.push_str("sticky ");
    }
    if let Some(m) = f.master {
        let _ = write!(s, "master {} ", c.name(m));
    }
    s.push_str(fdb_state_n2a(f.state));
    s
}

/// `bridge fdb show`.
/// `bridge [-d] link show` (iproute2 6.1 `bridge/link.c`): the bridge ports (the `AF_BRIDGE`
/// link dump). The name after `@` is the `IFLA_LINK` ifindex looked up in this namespace even
/// when the peer is elsewhere (recorded: a veth port whose peer is ifindex 2 of another
/// namespace prints as `p1@br0` beside a `br0` of ifindex 2).
pub fn bridge_link_show(k: &Kernel, ns: NsId, dev: Option<IfIndex>, details: bool) -> String {
    let c = LinkCache::new(k, ns);
    let mut out = String::new();
    for l in selected(&c, dev) {
        let Some(p) = &l.slave else { continue };
        let state = crate::net::br_stp::br_port_state_name(p.state);
        // br_fill_ifinfo sends IFLA_LINK only when it is not the port's own ifindex.
        let at = l
            .link
            .filter(|&i| i != l.ifindex)
            .map(|i| format!("@{}", c.name(i)))
            .unwrap_or_default();
        let master = l.master.map(|m| c.name(m)).unwrap_or_default();
        let _ = writeln!(
            out,
            "{}: {}{}: <{}> mtu {} master {} state {} priority {} cost {} ",
            l.ifindex,
            l.name,
            at,
            link_flags(l, false),
            l.mtu,
            master,
            state,
            p.priority,
            p.cost
        );
        if details {
            let f = &p.flags;
            let on = |b: bool| if b { "on" } else { "off" };
            let _ = writeln!(
                out,
                "    hairpin {} guard off root_block off fastleave off learning {} flood {} mcast_flood {} bcast_flood {} mcast_router 1 mcast_to_unicast off neigh_suppress {} vlan_tunnel off isolated {} locked off ",
                on(f.hairpin),
                on(f.learning),
                on(f.flood),
                on(f.mcast_flood),
                on(f.bcast_flood),
                on(f.neigh_suppress),
                on(f.isolated)
            );
        }
    }
    out
}

pub fn bridge_fdb_show(k: &Kernel, ns: NsId) -> String {
    bridge_fdb_list(k, ns, &FdbFilter::default())
}

/// `bridge fdb show [dev DEV] [br BR] [vlan VID]`.
pub fn bridge_fdb_list(k: &Kernel, ns: NsId, filter: &FdbFilter) -> String {
    let c = LinkCache::new(k, ns);
    let mut out = String::new();
    for f in fdb_selected(&c, k, ns, filter) {
        let _ = writeln!(out, "{}", fdb_line(&c, &f, filter.dev.is_some()));
    }
    out
}

/// bridge-utils `brctl show` (bridges by name, their ports by name).
pub fn brctl_show(k: &Kernel, ns: NsId) -> String {
    let c = LinkCache::new(k, ns);
    let mut out = String::from("bridge name\tbridge id\t\tSTP enabled\tinterfaces\n");
    let mut bridges: Vec<(&LinkMsg, (crate::net::br_stp::BridgeId, bool))> =
        c.0.iter()
            .filter_map(|l| match &l.info {
                Some(LinkInfo::Bridge(b)) => Some((l, (b.bridge_id, b.stp_state != 0))),
                _ => None,
            })
            .collect();
    bridges.sort_by(|a, b| a.0.name.as_bytes().cmp(b.0.name.as_bytes()));
    for (x, bid) in bridges {
        let (bid, stp) = bid;
        let id: String = bid[2..].iter().map(|b| format!("{b:02x}")).collect();
        let _ = write!(
            out,
            "{}\t\t{:02x}{:02x}.{}\t{}\t\t",
            x.name,
            bid[0],
            bid[1],
            id,
            if stp { "yes" } else { "no" }
        );
        let mut ports: Vec<&str> =
            c.0.iter()
                .filter(|p| p.master == Some(x.ifindex))
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
pub fn brctl_showmacs(k: &Kernel, ns: NsId, br: IfIndex) -> String {
    let mut out = String::from("port no\tmac addr\t\tis local?\tageing timer\n");
    for e in k.br_fdb_brforward(ns, br) {
        let age = e.ageing_timer;
        let _ = writeln!(
            out,
            "{:>3}\t{}\t{}\t\t{:>4}.{:02}",
            e.port_no,
            fmt_mac(&e.mac),
            if e.is_local { "yes" } else { "no" },
            age / 100,
            age % 100
        );
    }
    out
}

// ------------------------------------------------------------------ misc

/// `ip netns list` run in `ns`: the named namespaces in creation order (the initial one is
/// not listed), each with ` (id: N)` when `ns` has an nsid for it (`RTM_GETNSID`, which
/// allocates none).
pub fn ip_netns_list(k: &Kernel, ns: NsId) -> String {
    let mut out = String::new();
    for n in k.netns_dump().into_iter().filter(|n| n.named) {
        let id = k
            .netns_get_by_name(&n.name)
            .and_then(|peer| k.peernet2id(ns, peer));
        match id {
            Some(id) => {
                let _ = writeln!(out, "{} (id: {id})", n.name);
            }
            None => {
                let _ = writeln!(out, "{}", n.name);
            }
        }
    }
    out
}

/// `ip -4 netconf show [dev DEV]` (iproute2 `print_netconf`): one line per device, then `all`
/// and `default` (IPv6 is off in every namespace, so there are no `inet6` lines).
pub fn ip_netconf_show(k: &Kernel, ns: NsId, dev: Option<IfIndex>) -> String {
    use crate::net::rtnetlink::dump::{NETCONFA_IFINDEX_ALL, NETCONFA_IFINDEX_DEFAULT};
    let c = LinkCache::new(k, ns);
    let onoff = |v: i64| if v != 0 { "on" } else { "off" };
    let mut out = String::new();
    for m in k.rtnl_netconf_dump(ns) {
        let name = match m.ifindex {
            NETCONFA_IFINDEX_ALL => "all".to_string(),
            NETCONFA_IFINDEX_DEFAULT => "default".to_string(),
            i => c.name(u32::try_from(i).unwrap_or(0)),
        };
        if dev.is_some_and(|s| i32::try_from(s).ok() != Some(m.ifindex)) {
            continue;
        }
        let rp = match m.rp_filter {
            0 => "off",
            1 => "strict",
            2 => "loose",
            _ => "unknown mode",
        };
        let _ = writeln!(
            out,
            "inet {name} forwarding {} rp_filter {rp} mc_forwarding {} proxy_neigh {} ignore_routes_with_linkdown {} ",
            onoff(m.forwarding),
            onoff(m.mc_forwarding),
            onoff(m.proxy_neigh),
            onoff(m.ignore_routes_with_linkdown)
        );
    }
    out
}

/// `ethtool -S DEV`: a veth's statistics (`veth_get_ethtool_stats`); other kinds have none.
pub fn ethtool_s(k: &Kernel, ns: NsId, dev: IfIndex) -> String {
    let Some(l) = k.rtnl_link_get(ns, dev) else {
        return "no stats available\n".into();
    };
    if !matches!(l.info, Some(LinkInfo::Veth)) {
        return "no stats available\n".into();
    }
    let peer = l.link.unwrap_or(0);
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
mod tests;

pub mod json;

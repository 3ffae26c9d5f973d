//! `ip -j [-p] link|addr show`: iproute2 6.1's JSON (`print_linkinfo`/`print_addrinfo` with
//! `PRINT_JSON`), written by a port of its `json_writer.c` layout: compact, or with `-p` the
//! writer's own pretty form (4 spaces per level, `[ {` / `} ]`, arrays of values on one line) —
//! hand-written because a generic JSON printer does not reproduce that layout.

use super::{link_flags, link_name, LinkCache};
use crate::kernel::{Kernel, NsId};
use crate::net::rtnetlink::dump::{
    AddrMsg, LinkInfo, LinkMsg, ARPHRD_LOOPBACK, ARPHRD_TUNNEL, IFA_F_SECONDARY,
};
use crate::net::rtnetlink::IfIndex;

/// A JSON value in the order iproute2 prints its members.
pub enum J {
    Str(String),
    Num(i64),
    Bool(bool),
    Arr(Vec<J>),
    Obj(Vec<(&'static str, J)>),
}

fn s(v: impl Into<String>) -> J {
    J::Str(v.into())
}

/// `jsonw_escape`-style string quoting (the names the model has need none but `"` and `\`).
fn quote(out: &mut String, v: &str) {
    out.push('"');
    for c in v.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn eol(out: &mut String, pretty: bool, depth: usize) {
    if pretty {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("    ");
        }
    }
}

/// json_writer.c: `jsonw_begin`/`jsonw_end`/`jsonw_name`/`jsonw_eor` as iproute2 uses them.
fn write(out: &mut String, v: &J, pretty: bool, depth: usize) {
    match v {
        J::Str(x) => quote(out, x),
        J::Num(n) => out.push_str(&n.to_string()),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Arr(items) => {
            out.push('[');
            if pretty {
                out.push(' ');
            }
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(out, it, pretty, depth + 1);
            }
            if pretty && !items.is_empty() {
                out.push(' ');
            }
            out.push(']');
        }
        J::Obj(members) => {
            out.push('{');
            for (i, (name, it)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                eol(out, pretty, depth + 1);
                quote(out, name);
                out.push(':');
                if pretty {
                    out.push(' ');
                }
                write(out, it, pretty, depth + 1);
            }
            if !members.is_empty() {
                eol(out, pretty, depth);
            }
            out.push('}');
        }
    }
}

/// The whole output: the top-level array and its final newline.
pub fn render(v: &J, pretty: bool) -> String {
    let mut out = String::new();
    write(&mut out, v, pretty, 0);
    out.push('\n');
    out
}

/// `print_linkinfo`'s members up to `broadcast`/`link_netnsid` (`with_mode`: `ip link`
/// prints `linkmode`, `ip addr` does not).
fn link_members(c: &LinkCache, l: &LinkMsg, with_mode: bool) -> Vec<(&'static str, J)> {
    let mut m: Vec<(&'static str, J)> = vec![("ifindex", J::Num(l.ifindex as i64))];
    let (_, mdown) = link_name(c, l);
    if let Some(link) = l.link {
        if l.link_netnsid.is_some() {
            m.push(("link_index", J::Num(link as i64)));
        } else if link != 0 {
            m.push(("link", s(c.name(link))));
        }
    }
    m.push(("ifname", s(l.name.clone())));
    let flags = link_flags(l, mdown);
    m.push((
        "flags",
        J::Arr(flags.split(',').filter(|f| !f.is_empty()).map(s).collect()),
    ));
    m.push(("mtu", J::Num(l.mtu as i64)));
    m.push(("qdisc", s(l.qdisc)));
    if let Some(master) = l.master.and_then(|x| c.get(x)) {
        m.push(("master", s(master.name.clone())));
    }
    m.push(("operstate", s(l.operstate.name())));
    if with_mode {
        m.push(("linkmode", s("DEFAULT")));
    }
    m.push(("group", s("default")));
    m.push(("txqlen", J::Num(1000)));
    let (lt, addr, brd) = match l.link_type {
        ARPHRD_LOOPBACK => ("loopback", &l.address, &l.broadcast),
        ARPHRD_TUNNEL => ("ipip", &l.address, &l.broadcast),
        crate::net::ip_gre::ARPHRD_IPGRE => ("gre", &l.address, &l.broadcast),
        _ => ("ether", &l.address, &l.broadcast),
    };
    m.push(("link_type", s(lt)));
    m.push(("address", s(super::ll_addr_n2a(addr))));
    m.push(("broadcast", s(super::ll_addr_n2a(brd))));
    if let Some(id) = l.link_netnsid {
        m.push(("link_netnsid", J::Num(id as i64)));
    }
    m
}

/// Whether `ip -j -d link` is modelled for the devices it shows (`dev`, or every device of
/// `ns`): devices without kind data or slave data (loopback, veth, dummy) and VLAN devices.
pub fn link_details_modelled(k: &Kernel, ns: NsId, dev: Option<IfIndex>) -> bool {
    let c = LinkCache::new(k, ns);
    c.0.iter()
        .filter(|l| dev.is_none_or(|d| d == l.ifindex))
        .all(|l| {
            l.slave.is_none()
                && l.bond_slave.is_none()
                && l.vrf_slave.is_none()
                && matches!(
                    l.info,
                    None | Some(LinkInfo::Veth | LinkInfo::Dummy | LinkInfo::Vlan(_))
                )
        })
}

/// `print_linkinfo`'s `-d` members after the addresses (as `link_details` prints them in
/// text): promiscuity, MTU bounds, `linkinfo` (`vlan_print_opt`'s members for a VLAN
/// device), the address generation mode, the queue and GSO/TSO/GRO numbers.
fn link_details(l: &LinkMsg, m: &mut Vec<(&'static str, J)>) {
    m.push(("promiscuity", J::Num(i64::from(l.promiscuity))));
    m.push(("allmulti", J::Num(i64::from(l.allmulti))));
    m.push(("min_mtu", J::Num(i64::from(l.min_mtu))));
    m.push(("max_mtu", J::Num(i64::from(l.max_mtu))));
    let kind = |k: &str| ("info_kind", s(k.to_string()));
    match &l.info {
        Some(LinkInfo::Veth) => m.push(("linkinfo", J::Obj(vec![kind("veth")]))),
        Some(LinkInfo::Dummy) => m.push(("linkinfo", J::Obj(vec![kind("dummy")]))),
        Some(LinkInfo::Vlan(v)) => {
            let proto = crate::tools::iplink_vlan::vlan_proto_name(v.protocol);
            let mut d: Vec<(&'static str, J)> =
                vec![("protocol", s(proto)), ("id", J::Num(i64::from(v.id)))];
            if v.flags != 0 {
                let mut f = Vec::new();
                for (bit, name) in crate::tools::iplink_vlan::VLAN_FLAG_NAMES {
                    if v.flags & bit != 0 {
                        f.push(s(name));
                    }
                }
                d.push(("flags", J::Arr(f)));
            }
            for (name, map) in [
                ("ingress_qos", &v.ingress_qos),
                ("egress_qos", &v.egress_qos),
            ] {
                if let Some(map) = map {
                    let arr = map
                        .iter()
                        .map(|&(from, to)| {
                            J::Obj(vec![
                                ("from", J::Num(i64::from(from))),
                                ("to", J::Num(i64::from(to))),
                            ])
                        })
                        .collect();
                    d.push((name, J::Arr(arr)));
                }
            }
            m.push((
                "linkinfo",
                J::Obj(vec![kind("vlan"), ("info_data", J::Obj(d))]),
            ));
        }
        _ => {}
    }
    if l.inet6_addr_gen_mode {
        m.push(("inet6_addr_gen_mode", s("eui64")));
    }
    m.push(("num_tx_queues", J::Num(i64::from(l.num_tx_queues))));
    m.push(("num_rx_queues", J::Num(i64::from(l.num_rx_queues))));
    m.push(("gso_max_size", J::Num(65536)));
    m.push(("gso_max_segs", J::Num(65535)));
    m.push(("tso_max_size", J::Num(i64::from(l.tso_max_size))));
    m.push(("tso_max_segs", J::Num(65535)));
    m.push(("gro_max_size", J::Num(65536)));
}

fn addr_obj(a: &AddrMsg) -> J {
    let mut m: Vec<(&'static str, J)> =
        vec![("family", s("inet")), ("local", s(a.local.to_string()))];
    if a.has_peer() {
        m.push(("address", s(a.address.to_string())));
    }
    m.push(("prefixlen", J::Num(a.prefixlen as i64)));
    if let Some(b) = a.broadcast {
        m.push(("broadcast", s(b.to_string())));
    }
    m.push(("scope", s(super::scope_name(a.scope))));
    if a.flags & IFA_F_SECONDARY != 0 {
        m.push(("secondary", J::Bool(true)));
    }
    m.push(("label", s(a.label.clone())));
    m.push(("valid_life_time", J::Num(4_294_967_295)));
    m.push(("preferred_life_time", J::Num(4_294_967_295)));
    J::Obj(m)
}

/// The selection's JSON objects: `{}` where `print_linkinfo` filtered the device (`up`).
fn sel_objs<'a>(
    c: &'a LinkCache,
    sel: &super::LinkSel,
    mut obj: impl FnMut(&'a LinkMsg) -> Option<J>,
) -> Vec<J> {
    c.0.iter()
        .filter_map(|l| match super::pick(c, l, sel) {
            super::Pick::Drop => None,
            super::Pick::Empty => Some(J::Obj(Vec::new())),
            super::Pick::Show => obj(l),
        })
        .collect()
}

/// `ip -j -br link`: `print_linkinfo_brief`'s members.
fn brief_link(c: &LinkCache, l: &LinkMsg, with_addr: bool) -> Vec<(&'static str, J)> {
    let mut m: Vec<(&'static str, J)> = Vec::new();
    if let Some(link) = l.link {
        if l.link_netnsid.is_some() {
            m.push(("link_index", J::Num(link as i64)));
        } else if link != 0 {
            m.push(("link", s(c.name(link))));
        }
    }
    m.push(("ifname", s(l.name.clone())));
    m.push(("operstate", s(l.operstate.name())));
    if with_addr {
        m.push(("address", s(super::ll_addr_n2a(&l.address))));
        let (_, mdown) = link_name(c, l);
        m.push((
            "flags",
            J::Arr(
                link_flags(l, mdown)
                    .split(',')
                    .filter(|f| !f.is_empty())
                    .map(s)
                    .collect(),
            ),
        ));
    }
    m
}

/// `ip -j [-br] link show [SELECTORS]`.
pub fn ip_link_json(k: &Kernel, ns: NsId, sel: &super::LinkSel, o: &super::ShowOpts) -> String {
    let c = LinkCache::new(k, ns);
    let links = sel_objs(&c, sel, |l| {
        Some(J::Obj(if o.brief {
            brief_link(&c, l, true)
        } else {
            let mut m = link_members(&c, l, true);
            if o.details {
                link_details(l, &mut m);
            }
            m
        }))
    });
    render(&J::Arr(links), o.pretty)
}

/// `ip -j [-4] [-br] addr show [SELECTORS]` (IPv4; the model's labs have IPv6 disabled).
/// With `-4`, devices without an IPv4 address are left out (`ipaddr_filter`) and the
/// link-layer members are not printed.
pub fn ip_addr_json(k: &Kernel, ns: NsId, sel: &super::LinkSel, o: &super::ShowOpts) -> String {
    let c = LinkCache::new(k, ns);
    let addrs = k.rtnl_addr_dump(ns, sel.dev);
    let links =
        c.0.iter()
            .filter(|l| !o.family4 || addrs.iter().any(|a| a.ifindex == l.ifindex))
            .filter_map(|l| match super::pick(&c, l, sel) {
                super::Pick::Drop => None,
                super::Pick::Empty => Some(J::Obj(Vec::new())),
                super::Pick::Show => {
                    let mine = addrs.iter().filter(|a| a.ifindex == l.ifindex);
                    let mut m = if o.brief {
                        brief_link(&c, l, false)
                    } else {
                        let mut m = link_members(&c, l, false);
                        if o.family4 {
                            m.retain(|(k, _)| !matches!(*k, "link_type" | "address" | "broadcast"));
                        }
                        m
                    };
                    let info = if o.brief {
                        mine.map(|a| {
                            J::Obj(vec![
                                ("local", s(a.local.to_string())),
                                ("prefixlen", J::Num(a.prefixlen as i64)),
                            ])
                        })
                        .collect()
                    } else {
                        mine.map(addr_obj).collect()
                    };
                    m.push(("addr_info", J::Arr(info)));
                    Some(J::Obj(m))
                }
            })
            .collect();
    render(&J::Arr(links), o.pretty)
}

/// `ip -j route show ...`: `print_route`'s members in `route_line`'s order.
pub fn ip_route_json(
    k: &Kernel,
    ns: NsId,
    table: super::TableSel,
    filter: &super::RouteFilter,
    pretty: bool,
) -> String {
    use super::*;
    let c = LinkCache::new(k, ns);
    let show_table = table == TableSel::All;
    let routes = dump_routes(k, ns, table)
        .into_iter()
        .filter(|r| route_matches(r, filter))
        .map(|r| {
            let mut m: Vec<(&'static str, J)> = Vec::new();
            if r.rtype != RtnType::Unicast {
                m.push(("type", s(r.rtype.name())));
            }
            m.push(("dst", s(dst_text(&r))));
            if let Some(g) = r.gateway {
                m.push(("gateway", s(g.to_string())));
            }
            if let (Some(d), None) = (r.oif, filter.dev) {
                m.push(("dev", s(c.name(d))));
            }
            if show_table && r.table != RT_TABLE_MAIN {
                m.push(("table", s(table_name(r.table))));
            }
            if r.protocol != RTPROT_BOOT && filter.proto.is_none() {
                m.push(("protocol", s(proto_name(r.protocol))));
            }
            if r.scope != RT_SCOPE_UNIVERSE && filter.scope.is_none() {
                m.push(("scope", s(scope_name(r.scope))));
            }
            if let Some(p) = r.prefsrc {
                m.push(("prefsrc", s(p.to_string())));
            }
            if r.priority != 0 {
                m.push(("metric", J::Num(r.priority as i64)));
            }
            let mut flags = Vec::new();
            if r.flags & RTNH_F_ONLINK != 0 {
                flags.push(s("onlink"));
            }
            if r.flags & RTNH_F_LINKDOWN != 0 {
                flags.push(s("linkdown"));
            }
            m.push(("flags", J::Arr(flags)));
            J::Obj(m)
        })
        .collect();
    render(&J::Arr(routes), pretty)
}

/// `ip -j neigh [show [dev DEV]]`: `print_neigh`'s members as `ip_neigh_show` prints them.
pub fn ip_neigh_json(k: &Kernel, ns: NsId, dev: Option<IfIndex>, pretty: bool) -> String {
    use super::*;
    let c = LinkCache::new(k, ns);
    let mut v = Vec::new();
    for n in k.rtnl_neigh_dump(ns) {
        if dev.is_some_and(|s| s != n.ifindex) || n.state == NUD_NONE || n.state & NUD_NOARP != 0 {
            continue;
        }
        let Some(x) = c.get(n.ifindex) else { continue };
        let mut m: Vec<(&'static str, J)> = vec![("dst", s(n.dst.to_string()))];
        if dev.is_none() {
            m.push(("dev", s(x.name.clone())));
        }
        if let Some(ll) = n
            .lladdr
            .filter(|_| n.state & NUD_VALID != 0 && n.state & (NUD_INCOMPLETE | NUD_FAILED) == 0)
        {
            m.push(("lladdr", s(fmt_mac(&ll))));
        }
        m.push((
            "state",
            J::Arr(nud_name(n.state).split_whitespace().map(s).collect()),
        ));
        v.push(J::Obj(m));
    }
    render(&J::Arr(v), pretty)
}

/// `bridge -j fdb show [dev DEV] [br BR] [vlan VID]`: iproute2 6.1 `print_fdb`'s members
/// (`flags` always, an empty `state` printed as `""`).
pub fn bridge_fdb_json(k: &Kernel, ns: NsId, f: &super::FdbFilter, pretty: bool) -> String {
    use super::*;
    let c = LinkCache::new(k, ns);
    let v = fdb_selected(&c, k, ns, f)
        .into_iter()
        .map(|e| {
            let mut m: Vec<(&'static str, J)> = vec![("mac", s(fmt_mac(&e.lladdr)))];
            if f.dev.is_none() {
                m.push(("ifname", s(c.name(e.ifindex))));
            }
            if let Some(d) = e.dst {
                m.push(("dst", s(d.to_string())));
            }
            if let Some(v) = e.vlan {
                m.push(("vlan", J::Num(i64::from(v))));
            }
            if let Some(p) = e.port {
                m.push(("port", J::Num(i64::from(p))));
            }
            if let Some(v) = e.vni {
                m.push(("vni", J::Num(i64::from(v))));
            }
            if let Some(v) = e.via {
                m.push(("viaIf", s(c.name(v))));
            }
            let mut flags = Vec::new();
            if e.flags & NTF_SELF != 0 {
                flags.push(s("self"));
            }
            m.push(("flags", J::Arr(flags)));
            if let Some(x) = e.master {
                m.push(("master", s(c.name(x))));
            }
            m.push(("state", s(fdb_state_n2a(e.state))));
            J::Obj(m)
        })
        .collect();
    render(&J::Arr(v), pretty)
}

/// `bridge -j [-d] link show [dev DEV]`: iproute2 6.1 `bridge/link.c`'s `print_linkinfo` of
/// the ports, with `-d` the port options (`print_protinfo`) as booleans.
pub fn bridge_link_json(
    k: &Kernel,
    ns: NsId,
    dev: Option<IfIndex>,
    details: bool,
    pretty: bool,
) -> String {
    use super::*;
    let c = LinkCache::new(k, ns);
    let mut v = Vec::new();
    for l in selected(&c, dev) {
        let Some(p) = &l.slave else { continue };
        let mut m: Vec<(&'static str, J)> = vec![("ifindex", J::Num(i64::from(l.ifindex)))];
        // br_fill_ifinfo: no IFLA_LINK when it is the port's own ifindex.
        if let Some(i) = l.link.filter(|&i| i != l.ifindex) {
            m.push(("link", s(c.name(i))));
        }
        m.push(("ifname", s(l.name.clone())));
        m.push((
            "flags",
            J::Arr(
                link_flags(l, false)
                    .split(',')
                    .filter(|f| !f.is_empty())
                    .map(s)
                    .collect(),
            ),
        ));
        m.push(("mtu", J::Num(i64::from(l.mtu))));
        if let Some(x) = l.master {
            m.push(("master", s(c.name(x))));
        }
        let state = crate::net::br_stp::br_port_state_name(p.state);
        m.push(("state", s(state)));
        m.push(("priority", J::Num(i64::from(p.priority))));
        m.push(("cost", J::Num(i64::from(p.cost))));
        if details {
            let f = &p.flags;
            m.push(("hairpin", J::Bool(f.hairpin)));
            m.push(("guard", J::Bool(false)));
            m.push(("root_block", J::Bool(false)));
            m.push(("fastleave", J::Bool(false)));
            m.push(("learning", J::Bool(f.learning)));
            m.push(("flood", J::Bool(f.flood)));
            m.push(("mcast_flood", J::Bool(f.mcast_flood)));
            m.push(("bcast_flood", J::Bool(f.bcast_flood)));
            m.push(("mcast_router", J::Num(1)));
            m.push(("mcast_to_unicast", J::Bool(false)));
            m.push(("neigh_suppress", J::Bool(f.neigh_suppress)));
            m.push(("vlan_tunnel", J::Bool(false)));
            m.push(("isolated", J::Bool(f.isolated)));
            m.push(("locked", J::Bool(false)));
        }
        v.push(J::Obj(m));
    }
    render(&J::Arr(v), pretty)
}

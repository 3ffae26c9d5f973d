//! `ip` (iproute2): argv → the change in the model → output, with iproute2's abbreviations
//! (`ip l a`, `ip a a`, `ip r`, `ip netns a`) and its error messages.

use super::show::{self, RouteFilter, ShowOpts, TableSel};
use super::ToolOutput;
use crate::kernel::{DevId, DevKind, IfAddr, Kernel, NsId};
use crate::net::bridge::Bridge;
use crate::net::fib::*;
use crate::net::neigh::*;
use crate::wire::{parse_mac, Mac};
use std::net::Ipv4Addr;

type R = Result<String, String>;

/// iproute2's `matches(arg, full)`: `arg` is a non-empty prefix of `full`.
pub fn matches(arg: &str, full: &str) -> bool {
    !arg.is_empty() && full.starts_with(arg)
}

const OBJECTS: [&str; 12] = [
    "address",
    "addrlabel",
    "maddress",
    "route",
    "rule",
    "neighbor",
    "neighbour",
    "ntable",
    "link",
    "tunnel",
    "tunl",
    "netns",
];

/// Runs `ip ARGS...` in namespace `ns`. `ip netns exec` is handled by the caller (it runs another
/// program); here it is reported as `Err(None)`.
pub fn ip(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    let mut opts = ShowOpts::default();
    let mut ns = ns;
    let mut i = 0;
    while i < args.len() && args[i].starts_with('-') && args[i].len() > 1 {
        let a = args[i].trim_start_matches('-');
        match a {
            "d" | "details" => opts.details = true,
            "o" | "oneline" => opts.oneline = true,
            "br" | "brief" => opts.brief = true,
            "4" => opts.family4 = true,
            "s" | "stats" | "statistics" => opts.stats = true,
            "c" | "color" | "p" | "pretty" => {}
            "n" | "netns" => {
                i += 1;
                let Some(name) = args.get(i) else {
                    return err("Option \"-n\" requires an argument\n", 255);
                };
                match k.ns_by_name(name) {
                    Some(x) if name != "root" => ns = x,
                    _ => {
                        return err(
                            &format!(
                                "Cannot open network namespace \"{}\": No such file or directory\n",
                                name
                            ),
                            255,
                        )
                    }
                }
            }
            "6" => {
                return err(
                    "nslab: ip -6: IPv6 is disabled in every namespace of a lab\n",
                    255,
                )
            }
            "j" | "json" => return err("nslab: ip -j (JSON output) is not supported\n", 255),
            _ => {
                return err(
                    &format!("Option \"{}\" is unknown, try \"ip -help\".\n", args[i]),
                    255,
                )
            }
        }
        i += 1;
    }
    let Some(obj) = args.get(i) else {
        return err("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n", 255);
    };
    let rest = &args[i + 1..];
    let Some(full) = OBJECTS.iter().find(|o| matches(obj, o)) else {
        return err(
            &format!("Object \"{}\" is unknown, try \"ip help\".\n", obj),
            1,
        );
    };
    if k.dev_by_name(ns, "tunl0").is_none() && rest.iter().any(|a| a == "tunl0") {
        // ll_name_to_index → if_nametoindex → dev_load("tunl0") loads the ipip module.
        k.ipip_module_load();
    }
    if *full == "tunnel" || *full == "tunl" {
        return super::iptunnel::ip_tunnel(k, ns, rest);
    }
    let r = match *full {
        "link" if super::vxlan::is_vxlan_add(rest) => {
            return super::vxlan::with_status(ip_link(k, ns, rest, &opts));
        }
        "link" => ip_link(k, ns, rest, &opts),
        "address" => ip_addr(k, ns, rest, &opts),
        "route" => ip_route(k, ns, rest, &opts),
        "neighbor" | "neighbour" => ip_neigh(k, ns, rest),
        "netns" => ip_netns(k, rest),
        o => Err(format!("nslab: ip {} is not supported\n", o)),
    };
    match r {
        Ok(s) => ToolOutput {
            stdout: s,
            stderr: String::new(),
            status: 0,
            not_modelled: None,
        },
        Err(e) => {
            let status = if e_is_usage(&e) { 255 } else { 2 };
            ToolOutput {
                stdout: String::new(),
                stderr: e,
                status,
                not_modelled: None,
            }
        }
    }
}

fn e_is_usage(e: &str) -> bool {
    e.starts_with("Command \"") || e.starts_with("Object ")
}

fn err(msg: &str, status: i32) -> ToolOutput {
    ToolOutput {
        stdout: String::new(),
        stderr: msg.to_string(),
        status,
        not_modelled: None,
    }
}

/// Looks a device up by name: iproute2's `Cannot find device "X"` when it is missing.
pub fn find_dev(k: &Kernel, ns: NsId, name: &str) -> Result<DevId, String> {
    k.dev_by_name(ns, name)
        .ok_or_else(|| format!("Cannot find device \"{}\"\n", name))
}

fn exists() -> String {
    "RTNETLINK answers: File exists\n".into()
}

pub(crate) fn next<'a>(args: &'a [String], i: &mut usize, _what: &str) -> Result<&'a str, String> {
    *i += 1;
    args.get(*i)
        .map(|s| s.as_str())
        .ok_or_else(|| "Command line is not complete. Try option \"help\"\n".to_string())
}

/// Parses `A.B.C.D[/N]`; iproute2's "any valid prefix" message on failure.
pub fn parse_prefix(s: &str) -> Result<(Ipv4Addr, u8, bool), String> {
    let bad = || {
        format!(
            "Error: any valid prefix is expected rather than \"{}\".\n",
            s
        )
    };
    let (a, p) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let addr = parse_addr_loose(a).ok_or_else(bad)?;
    let plen = match p {
        Some(p) => {
            let n: u8 = p.parse().map_err(|_| bad())?;
            if n > 32 {
                return Err(bad());
            }
            n
        }
        None => 32,
    };
    Ok((addr, plen, p.is_some()))
}

/// inet_aton-style parse as iproute2's get_addr_1 (allows `1.2.3` = 1.2.3.0).
fn parse_addr_loose(s: &str) -> Option<Ipv4Addr> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.is_empty() || parts.len() > 4 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let mut o = [0u8; 4];
    for (i, p) in parts.iter().enumerate() {
        o[i] = p.parse().ok()?;
    }
    Some(Ipv4Addr::from(o))
}

pub(crate) fn parse_addr(s: &str) -> Result<Ipv4Addr, String> {
    s.parse::<Ipv4Addr>()
        .map_err(|_| format!("Error: inet address is expected rather than \"{}\".\n", s))
}

// ------------------------------------------------------------------------- ip link

fn ip_link(k: &mut Kernel, ns: NsId, args: &[String], opts: &ShowOpts) -> R {
    let Some(cmd) = args.first() else {
        return Ok(show::ip_link_show(k, ns, None, opts));
    };
    let rest = &args[1..];
    if matches(cmd, "add") {
        link_add(k, ns, rest)
    } else if matches(cmd, "set") || matches(cmd, "change") {
        link_set(k, ns, rest)
    } else if matches(cmd, "delete") {
        let name = match rest {
            [d, n] if d == "dev" => n,
            [n] => n,
            _ => return Err("Not enough information: \"dev\" argument is required.\n".into()),
        };
        let d = find_dev(k, ns, name)?;
        if matches!(k.dev(d).kind, DevKind::Loopback) {
            return Err("RTNETLINK answers: Operation not supported\n".into());
        }
        if k.ipip_tunnel(d).is_some_and(|t| t.fallback) {
            // ip_tunnel_dellink: the fallback device is kept (and no error is reported).
            return Ok(String::new());
        }
        k.dev_del(d);
        Ok(String::new())
    } else if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        let mut dev = None;
        let mut i = 0;
        while i < rest.len() {
            match rest[i].as_str() {
                "dev" => dev = Some(find_dev(k, ns, next(rest, &mut i, "dev")?)?),
                "up" => {}
                n => dev = Some(find_dev(k, ns, n)?),
            }
            i += 1;
        }
        Ok(show::ip_link_show(k, ns, dev, opts))
    } else {
        Err(format!(
            "Command \"{}\" is unknown, try \"ip link help\".\n",
            cmd
        ))
    }
}

struct LinkAttrs {
    name: Option<String>,
    kind: Option<String>,
    mac: Option<Mac>,
    mtu: Option<u32>,
    netns: Option<NsId>,
    up: Option<bool>,
}

fn parse_netns(k: &Kernel, v: &str) -> Result<NsId, String> {
    match k.ns_by_name(v) {
        Some(x) if v != "root" => Ok(x),
        _ => Err(format!(
            "Error: argument \"{}\" is wrong: Invalid \"netns\" value\n\n",
            v
        )),
    }
}

fn parse_mtu(v: &str) -> Result<u32, String> {
    v.parse().map_err(|_| {
        format!(
            "Error: argument \"{}\" is wrong: Invalid \"mtu\" value\n\n",
            v
        )
    })
}

fn parse_lladdr(v: &str) -> Result<Mac, String> {
    parse_mac(v).ok_or_else(|| format!("\"{}\" is invalid lladdr.\n", v))
}

/// Parses the attributes of `ip link add` (before `type`) or of the veth peer.
fn parse_link_attrs(
    k: &Kernel,
    args: &[String],
    i: &mut usize,
    stop_at_type: bool,
) -> Result<LinkAttrs, String> {
    let mut a = LinkAttrs {
        name: None,
        kind: None,
        mac: None,
        mtu: None,
        netns: None,
        up: None,
    };
    while *i < args.len() {
        let w = args[*i].as_str();
        match w {
            "type" if stop_at_type => {
                a.kind = Some(next(args, i, "type")?.to_string());
                *i += 1;
                return Ok(a);
            }
            "name" | "dev" => a.name = Some(next(args, i, w)?.to_string()),
            "mtu" => a.mtu = Some(parse_mtu(next(args, i, w)?)?),
            "netns" => a.netns = Some(parse_netns(k, next(args, i, w)?)?),
            "up" => a.up = Some(true),
            "down" => a.up = Some(false),
            "txqueuelen" | "qlen" | "numtxqueues" | "numrxqueues" => {
                next(args, i, w)?;
            }
            _ if matches(w, "address") && w.len() > 1 || w == "a" => {
                a.mac = Some(parse_lladdr(next(args, i, w)?)?)
            }
            _ if a.name.is_none() => a.name = Some(w.to_string()),
            _ => {
                return Err(format!(
                    "Error: either \"dev\" is duplicate, or \"{}\" is a garbage.\n",
                    w
                ))
            }
        }
        *i += 1;
    }
    Ok(a)
}

pub(crate) fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty()
        || name.len() > 15
        || name.contains('/')
        || name.contains(char::is_whitespace)
    {
        return Err(format!(
            "Error: argument \"{}\" is wrong: \"name\" not a valid ifname\n",
            name
        ));
    }
    Ok(())
}

fn link_add(k: &mut Kernel, ns: NsId, args: &[String]) -> R {
    let mut i = 0;
    let a = parse_link_attrs(k, args, &mut i, true)?;
    let Some(kind) = a.kind.clone() else {
        return Err("Not enough information: \"type\" argument is required\n".into());
    };
    let name = match &a.name {
        Some(n) => n.clone(),
        None => return Err("Not enough information: \"dev\" argument is required.\n".into()),
    };
    check_name(&name)?;
    let home = a.netns.unwrap_or(ns);
    if kind == "vxlan" {
        // Options are parsed (and the dstport warning printed) before the kernel answers.
        let va = super::vxlan::parse_vxlan_args(k, ns, &args[i..])?;
        if k.dev_by_name(home, &name).is_some() {
            return Err(format!("{}{}", va.warning, exists()));
        }
        let (d, warning) = super::vxlan::vxlan_newlink(k, home, &name, a.mtu, a.mac, va)?;
        if a.up == Some(true) {
            k.dev_set_up(d, true);
        }
        return Ok(warning);
    }
    if k.dev_by_name(home, &name).is_some() {
        return Err(exists());
    }
    match kind.as_str() {
        "veth" => {
            let mut peer = LinkAttrs {
                name: None,
                kind: None,
                mac: None,
                mtu: None,
                netns: None,
                up: None,
            };
            if i < args.len() {
                if args[i] != "peer" {
                    return Err(format!(
                        "Error: either \"dev\" is duplicate, or \"{}\" is a garbage.\n",
                        args[i]
                    ));
                }
                i += 1;
                peer = parse_link_attrs(k, args, &mut i, false)?;
            }
            let peer_ns = peer.netns.unwrap_or(ns);
            let peer_name = match peer.name.clone() {
                Some(n) => n,
                None => next_free_name(k, peer_ns, "veth"),
            };
            check_name(&peer_name)?;
            if k.dev_by_name(peer_ns, &peer_name).is_some()
                || (peer_ns == home && peer_name == name)
            {
                return Err(exists());
            }
            let pmac = peer.mac.unwrap_or_else(|| k.rng.eth_random_addr());
            let mac = a.mac.unwrap_or_else(|| k.rng.eth_random_addr());
            let p = k.dev_create(
                peer_ns,
                &peer_name,
                DevKind::Veth { peer: None },
                pmac,
                peer.mtu.or(a.mtu).unwrap_or(1500),
            );
            let d = k.dev_create(
                home,
                &name,
                DevKind::Veth { peer: Some(p) },
                mac,
                a.mtu.unwrap_or(1500),
            );
            k.dev_mut(p).kind = DevKind::Veth { peer: Some(d) };
            k.dev_mut(p).mac_set = peer.mac.is_some();
            k.dev_mut(d).mac_set = a.mac.is_some();
            if a.up == Some(true) {
                k.dev_set_up(d, true);
            }
            if peer.up == Some(true) {
                k.dev_set_up(p, true);
            }
        }
        "bridge" | "dummy" => {
            if i < args.len() {
                let w = &args[i];
                if kind == "bridge"
                    && matches!(
                        w.as_str(),
                        "stp_state"
                            | "ageing_time"
                            | "forward_delay"
                            | "vlan_filtering"
                            | "mcast_snooping"
                    )
                {
                    return Err(format!("nslab: bridge option \"{}\" is not supported\n", w));
                }
                return Err(format!(
                    "Error: either \"dev\" is duplicate, or \"{}\" is a garbage.\n",
                    w
                ));
            }
            let mac = a.mac.unwrap_or_else(|| k.rng.eth_random_addr());
            let dk = if kind == "bridge" {
                DevKind::Bridge(Box::new(Bridge::new()))
            } else {
                DevKind::Dummy
            };
            let d = k.dev_create(home, &name, dk, mac, a.mtu.unwrap_or(1500));
            k.dev_mut(d).mac_set = a.mac.is_some();
            if kind == "bridge" {
                k.br_recalculate_mac(d);
            }
            if a.up == Some(true) {
                k.dev_set_up(d, true);
            }
        }
        "ipip" => {
            return super::iptunnel::link_add_ipip(
                k,
                home,
                &name,
                a.mtu,
                a.up == Some(true),
                &args[i..],
            );
        }
        "gre" | "sit" | "tun" | "macvlan" | "ipvlan" | "vrf" | "bond" | "geneve" | "wireguard" => {
            return Err(format!(
                "nslab: link type \"{}\" is not supported yet\n",
                kind
            ));
        }
        _ => return Err("Error: Unknown device type.\n".into()),
    }
    Ok(String::new())
}

fn next_free_name(k: &Kernel, ns: NsId, base: &str) -> String {
    (0..)
        .map(|n| format!("{}{}", base, n))
        .find(|n| k.dev_by_name(ns, n).is_none())
        .expect("a free name")
}

fn link_set(k: &mut Kernel, ns: NsId, args: &[String]) -> R {
    let mut dev: Option<DevId> = None;
    let mut i = 0;
    // Collect actions first (iproute2 sends one request), then apply in the kernel's order.
    let mut up = None;
    let mut new_name = None;
    let mut mac = None;
    let mut mtu = None;
    let mut netns = None;
    let mut master: Option<Option<DevId>> = None;
    while i < args.len() {
        let w = args[i].as_str();
        match w {
            "dev" => {
                let n = next(args, &mut i, w)?;
                if dev.is_some() {
                    return Err(format!(
                        "Error: either \"dev\" is duplicate, or \"{}\" is a garbage.\n",
                        n
                    ));
                }
                dev = Some(find_dev(k, ns, n)?);
            }
            "up" => up = Some(true),
            "down" => up = Some(false),
            "name" => new_name = Some(next(args, &mut i, w)?.to_string()),
            "mtu" => mtu = Some(parse_mtu(next(args, &mut i, w)?)?),
            "netns" => netns = Some(parse_netns(k, next(args, &mut i, w)?)?),
            "master" => master = Some(Some(find_dev(k, ns, next(args, &mut i, w)?)?)),
            "nomaster" => master = Some(None),
            "promisc" | "arp" | "multicast" | "allmulticast" | "txqueuelen" | "qlen" => {
                next(args, &mut i, w)?;
            }
            _ if (matches(w, "address") && w.len() > 1) || w == "a" => {
                mac = Some(parse_lladdr(next(args, &mut i, w)?)?)
            }
            _ if dev.is_none() => dev = Some(find_dev(k, ns, w)?),
            _ => {
                return Err(format!(
                    "Error: either \"dev\" is duplicate, or \"{}\" is a garbage.\n",
                    w
                ))
            }
        }
        i += 1;
    }
    let Some(d) = dev else {
        return Err("Not enough information: \"dev\" argument is required.\n".into());
    };
    if let Some(to) = netns {
        // dev_change_net_namespace: NETIF_F_NETNS_LOCAL (lo, tunl0) is refused before the
        // name check.
        if matches!(k.dev(d).kind, DevKind::Loopback)
            || k.ipip_tunnel(d).is_some_and(|t| t.fallback)
        {
            return Err("RTNETLINK answers: Invalid argument\n".into());
        }
        if k.dev_by_name(to, &k.dev(d).name).is_some() && to != k.dev(d).ns {
            return Err(exists());
        }
        if k.ipip_tunnel(d).is_some() {
            return Err("nslab: moving a tunnel to another namespace (its outer packets stay in the old one) is not modelled\n".into());
        }
        k.dev_change_net(d, to);
    }
    if let Some(n) = new_name {
        check_name(&n)?;
        let home = k.dev(d).ns;
        if k.dev(d).name != n {
            if k.dev_by_name(home, &n).is_some() {
                return Err(exists());
            }
            if k.dev(d).up {
                return Err("RTNETLINK answers: Device or resource busy\n".into());
            }
            k.dev_mut(d).name = n;
            k.cap_refresh(d);
        }
    }
    if let Some(m) = mac {
        if m[0] & 1 == 1 {
            return Err("RTNETLINK answers: Cannot assign requested address\n".into());
        }
        let old = k.dev(d).mac;
        k.dev_mut(d).mac = m;
        k.dev_mut(d).mac_set = true;
        k.cap_refresh(d);
        if let Some(br) = k.dev(d).master {
            if let DevKind::Bridge(b) = &mut k.dev_mut(br).kind {
                if let Some(e) = b.fdb.remove(&old) {
                    b.fdb.insert(m, e);
                }
            }
            k.br_recalculate_mac(br);
        }
        if matches!(k.dev(d).kind, DevKind::Bridge(_)) {
            k.br_recalculate_mac(d);
        }
    }
    if let Some(m) = mtu {
        let (min, max) = match &k.dev(d).kind {
            DevKind::Loopback => (0, u32::MAX),
            // No min/max_mtu (netlink-created, tunl0): ip_tunnel_change_mtu says EINVAL.
            DevKind::Ipip(t)
                if !t.mtu_limits && !(68..=crate::net::ipip::IPIP_MAX_MTU).contains(&m) =>
            {
                return Err("RTNETLINK answers: Invalid argument\n".into());
            }
            DevKind::Ipip(_) => (68, crate::net::ipip::IPIP_MAX_MTU),
            _ => (68, 65535),
        };
        if m > max {
            return Err("Error: mtu greater than device maximum.\n".into());
        }
        if m < min {
            return Err("Error: mtu less than device minimum.\n".into());
        }
        // vxlan_change_mtu: at most the underlay's MTU minus the VXLAN headroom.
        if let DevKind::Vxlan(v) = &k.dev(d).kind {
            let lower = v.link.filter(|&l| k.dev_alive(l)).map(|l| k.dev(l).mtu);
            if lower.is_some_and(|l| m + crate::net::vxlan::VXLAN_HEADROOM > l) {
                return Err("RTNETLINK answers: Invalid argument\n".into());
            }
        }
        k.dev_mut(d).mtu = m;
        // br_change_mtu marks a bridge's MTU as the user's; a port's change re-adjusts its
        // bridge (br_device_event NETDEV_CHANGEMTU).
        if let DevKind::Bridge(b) = &mut k.dev_mut(d).kind {
            b.mtu_set_by_user = true;
        } else if let Some(br) = k.dev(d).master.filter(|&b| k.is_bridge(b)) {
            k.br_mtu_auto_adjust(br);
        }
    }
    if let Some(m) = master {
        let cur = k.dev(d).master;
        match m {
            Some(br) => {
                if !k.is_bridge(br) {
                    return Err("RTNETLINK answers: Operation not supported\n".into());
                }
                // br_add_if: no bridging of non-Ethernet devices (loopback, tunnels).
                if br == d || matches!(k.dev(d).kind, DevKind::Loopback | DevKind::Ipip(_)) {
                    return Err("RTNETLINK answers: Invalid argument\n".into());
                }
                if cur != Some(br) {
                    if let Some(c) = cur {
                        k.br_del_if(c, d);
                    }
                    k.br_add_if(br, d);
                }
            }
            None => {
                if let Some(c) = cur {
                    k.br_del_if(c, d);
                }
            }
        }
    }
    if let Some(u) = up {
        k.dev_set_up(d, u);
    }
    Ok(String::new())
}

// ------------------------------------------------------------------------- ip addr

fn ip_addr(k: &mut Kernel, ns: NsId, args: &[String], opts: &ShowOpts) -> R {
    let Some(cmd) = args.first() else {
        return Ok(show::ip_addr_show(k, ns, None, opts));
    };
    let rest = &args[1..];
    if matches(cmd, "add") || matches(cmd, "replace") || matches(cmd, "change") {
        addr_add(k, ns, rest, cmd.starts_with('r') || cmd.starts_with('c'))
    } else if matches(cmd, "delete") {
        addr_del(k, ns, rest)
    } else if matches(cmd, "flush") {
        let d = dev_arg(k, ns, rest)?.ok_or("Flush requires arguments.\n")?;
        for a in k.dev(d).addrs.clone() {
            k.dev_mut(d).addrs.retain(|x| x != &a);
            k.fib_del_ifaddr(d, &a);
        }
        Ok(String::new())
    } else if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        let d = dev_arg(k, ns, rest)?;
        Ok(show::ip_addr_show(k, ns, d, opts))
    } else {
        Err(format!(
            "Command \"{}\" is unknown, try \"ip address help\".\n",
            cmd
        ))
    }
}

fn dev_arg(k: &Kernel, ns: NsId, rest: &[String]) -> Result<Option<DevId>, String> {
    let mut i = 0;
    let mut d = None;
    while i < rest.len() {
        match rest[i].as_str() {
            "dev" => d = Some(find_dev(k, ns, next(rest, &mut i, "dev")?)?),
            "up" | "permanent" | "primary" | "secondary" => {}
            "scope" | "label" | "to" => {
                next(rest, &mut i, "")?;
            }
            n => d = Some(find_dev(k, ns, n)?),
        }
        i += 1;
    }
    Ok(d)
}

fn addr_add(k: &mut Kernel, ns: NsId, args: &[String], replace: bool) -> R {
    let mut local = None;
    let mut peer = None;
    let mut brd: Option<String> = None;
    let mut dev = None;
    let mut scope = None;
    let mut label = None;
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        match w {
            "peer" | "remote" => peer = Some(parse_prefix(next(args, &mut i, w)?)?),
            "broadcast" | "brd" => brd = Some(next(args, &mut i, w)?.to_string()),
            "dev" => dev = Some(find_dev(k, ns, next(args, &mut i, w)?)?),
            "scope" => {
                let s = next(args, &mut i, w)?;
                scope = Some(parse_scope(s).ok_or_else(|| {
                    format!("Error: argument \"{}\" is wrong: invalid scope value.\n", s)
                })?);
            }
            "label" => label = Some(next(args, &mut i, w)?.to_string()),
            "valid_lft" | "preferred_lft" | "metric" | "proto" => {
                next(args, &mut i, w)?;
            }
            "noprefixroute" | "home" | "nodad" | "noprefix" => {}
            "local" => local = Some(parse_prefix(next(args, &mut i, w)?)?),
            _ if local.is_none() => local = Some(parse_prefix(w)?),
            _ => {
                return Err(format!(
                    "Error: either \"local\" is duplicate, or \"{}\" is a garbage.\n",
                    w
                ))
            }
        }
        i += 1;
    }
    let Some(d) = dev else {
        return Err("Not enough information: \"dev\" argument is required.\n".into());
    };
    let Some((la, lplen, lhas)) = local else {
        return Err("Not enough information: \"local\" argument is required.\n".into());
    };
    let (address, plen, has_peer) = match peer {
        Some((p, pl, phas)) => (p, if phas { pl } else { 32 }, true),
        None => (la, if lhas { lplen } else { 32 }, false),
    };
    let broadcast = match brd.as_deref() {
        None => None,
        Some("+") => Some(Ipv4Addr::from(u32::from(address) | !mask(plen))),
        Some("-") => Some(Ipv4Addr::from(u32::from(address) & mask(plen))),
        Some(b) => Some(parse_addr(b)?),
    };
    let scope = scope.unwrap_or(if la.is_loopback() {
        RT_SCOPE_HOST
    } else {
        RT_SCOPE_UNIVERSE
    });
    let label = label.unwrap_or_else(|| k.dev(d).name.clone());
    // Same local and prefix already on the device?
    if let Some(pos) = k.dev(d).addrs.iter().position(|a| {
        a.local == la && a.plen == plen && prefix_of(a.address, a.plen) == prefix_of(address, plen)
    }) {
        if !replace {
            return Err("Error: ipv4: Address already assigned.\n".into());
        }
        let old = k.dev(d).addrs[pos].clone();
        k.fib_del_ifaddr(d, &old);
        k.dev_mut(d).addrs.remove(pos);
    }
    let secondary = k.dev(d).addrs.iter().any(|a| {
        a.plen == plen && prefix_of(a.address, a.plen) == prefix_of(address, plen) && !a.secondary
    });
    let ifa = IfAddr {
        local: la,
        address,
        plen,
        broadcast,
        scope,
        label,
        secondary,
        has_peer,
    };
    k.dev_mut(d).addrs.push(ifa.clone());
    k.fib_add_ifaddr(d, &ifa);
    Ok(String::new())
}

fn addr_del(k: &mut Kernel, ns: NsId, args: &[String]) -> R {
    let mut local = None;
    let mut dev = None;
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        match w {
            "dev" => dev = Some(find_dev(k, ns, next(args, &mut i, w)?)?),
            "peer" | "brd" | "broadcast" | "scope" | "label" => {
                next(args, &mut i, w)?;
            }
            _ => local = Some(parse_prefix(w)?),
        }
        i += 1;
    }
    let Some(d) = dev else {
        return Err("Not enough information: \"dev\" argument is required.\n".into());
    };
    let Some((la, plen, has)) = local else {
        return Err("Not enough information: \"local\" argument is required.\n".into());
    };
    let pos = k
        .dev(d)
        .addrs
        .iter()
        .position(|a| a.local == la && (!has || a.plen == plen))
        .ok_or("Error: ipv4: Address not found.\n")?;
    let a = k.dev_mut(d).addrs.remove(pos);
    k.fib_del_ifaddr(d, &a);
    // Promote a secondary of the same subnet (promote_secondaries is 1 by default since 6.x? no: 0)
    // — with promote_secondaries=0 the kernel deletes the secondaries too.
    if !a.secondary {
        let secs: Vec<IfAddr> = k
            .dev(d)
            .addrs
            .iter()
            .filter(|x| {
                x.secondary
                    && x.plen == a.plen
                    && prefix_of(x.address, x.plen) == prefix_of(a.address, a.plen)
            })
            .cloned()
            .collect();
        for s in secs {
            k.dev_mut(d).addrs.retain(|x| x != &s);
            k.fib_del_ifaddr(d, &s);
        }
    }
    Ok(String::new())
}

pub fn parse_scope(s: &str) -> Option<u8> {
    Some(match s {
        "global" | "universe" => RT_SCOPE_UNIVERSE,
        "link" => RT_SCOPE_LINK,
        "host" => RT_SCOPE_HOST,
        "nowhere" => RT_SCOPE_NOWHERE,
        "site" => 200,
        n => n.parse().ok()?,
    })
}

// ------------------------------------------------------------------------- ip route

fn parse_table(s: &str) -> Option<u32> {
    Some(match s {
        "main" => RT_TABLE_MAIN,
        "local" => RT_TABLE_LOCAL,
        "default" => RT_TABLE_DEFAULT,
        n => n.parse().ok()?,
    })
}

pub fn parse_proto(s: &str) -> Option<u8> {
    Some(match s {
        "kernel" => RTPROT_KERNEL,
        "boot" => RTPROT_BOOT,
        "static" => RTPROT_STATIC,
        "redirect" => 1,
        "dhcp" => 16,
        "bird" => 12,
        "zebra" => 11,
        "bgp" => 186,
        n => n.parse().ok()?,
    })
}

struct RouteSpec {
    rtype: RtnType,
    dst: Option<(Ipv4Addr, u8)>,
    gw: Option<Ipv4Addr>,
    dev: Option<DevId>,
    onlink: bool,
    metric: u32,
    src: Option<Ipv4Addr>,
    scope: Option<u8>,
    proto: u8,
    table: u32,
}

fn parse_route_spec(k: &Kernel, ns: NsId, args: &[String]) -> Result<RouteSpec, String> {
    let mut s = RouteSpec {
        rtype: RtnType::Unicast,
        dst: None,
        gw: None,
        dev: None,
        onlink: false,
        metric: 0,
        src: None,
        scope: None,
        proto: RTPROT_BOOT,
        table: RT_TABLE_MAIN,
    };
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        match w {
            "via" => {
                let v = next(args, &mut i, w)?;
                let v = if v == "inet" {
                    next(args, &mut i, w)?
                } else {
                    v
                };
                s.gw = Some(parse_addr(v)?);
            }
            "dev" | "oif" => s.dev = Some(find_dev(k, ns, next(args, &mut i, w)?)?),
            "onlink" => s.onlink = true,
            "metric" | "priority" | "preference" => {
                let v = next(args, &mut i, w)?;
                s.metric = v.parse().map_err(|_| {
                    format!(
                        "Error: argument \"{}\" is wrong: \"metric\" value is invalid\n\n",
                        v
                    )
                })?;
            }
            "src" => s.src = Some(parse_addr(next(args, &mut i, w)?)?),
            "scope" => {
                let v = next(args, &mut i, w)?;
                s.scope = Some(parse_scope(v).ok_or_else(|| {
                    format!(
                        "Error: argument \"{}\" is wrong: invalid \"scope\" value\n\n",
                        v
                    )
                })?);
            }
            "proto" | "protocol" => {
                let v = next(args, &mut i, w)?;
                s.proto = parse_proto(v).ok_or_else(|| {
                    format!(
                        "Error: argument \"{}\" is wrong: \"protocol\" value is invalid\n\n",
                        v
                    )
                })?;
            }
            "table" => {
                let v = next(args, &mut i, w)?;
                s.table = parse_table(v).ok_or_else(|| {
                    format!(
                        "Error: argument \"{}\" is wrong: \"table\" value is invalid\n\n",
                        v
                    )
                })?;
            }
            "to" => {
                let v = next(args, &mut i, w)?;
                s.dst = Some(parse_dst(v)?);
            }
            "mtu" | "advmss" | "realm" | "tos" | "dsfield" | "initcwnd" => {
                return Err(format!(
                    "nslab: route attribute \"{}\" is not supported\n",
                    w
                ));
            }
            _ => {
                if let Some(t) = RtnType::parse(w).filter(|_| s.dst.is_none()) {
                    s.rtype = t;
                } else if s.dst.is_none() {
                    s.dst = Some(parse_dst(w)?);
                } else {
                    return Err(format!(
                        "Error: either \"to\" is duplicate, or \"{}\" is a garbage.\n",
                        w
                    ));
                }
            }
        }
        i += 1;
    }
    let local_type = s.rtype == RtnType::Local || s.rtype == RtnType::Broadcast;
    if local_type && s.table == RT_TABLE_MAIN && !args.iter().any(|a| a == "table") {
        s.table = RT_TABLE_LOCAL;
    }
    Ok(s)
}

fn parse_dst(v: &str) -> Result<(Ipv4Addr, u8), String> {
    if v == "default" || v == "all" || v == "any" {
        return Ok((Ipv4Addr::UNSPECIFIED, 0));
    }
    let (a, p, _) = parse_prefix(v)?;
    if u32::from(a) & !mask(p) != 0 {
        return Err("Error: Invalid prefix for given prefix length.\n".to_string());
    }
    Ok((a, p))
}

fn ip_route(k: &mut Kernel, ns: NsId, args: &[String], _opts: &ShowOpts) -> R {
    let Some(cmd) = args.first() else {
        return Ok(show::ip_route_show(
            k,
            ns,
            TableSel::Main,
            &RouteFilter::default(),
        ));
    };
    let rest = &args[1..];
    if matches(cmd, "add") {
        route_modify(k, ns, rest, true, false)
    } else if matches(cmd, "change") || matches(cmd, "replace") {
        route_modify(k, ns, rest, false, true)
    } else if matches(cmd, "append") || matches(cmd, "prepend") {
        route_modify(k, ns, rest, false, false)
    } else if matches(cmd, "delete") {
        route_del(k, ns, rest)
    } else if matches(cmd, "show") || matches(cmd, "list") || matches(cmd, "lst") {
        route_show(k, ns, rest)
    } else if matches(cmd, "get") {
        route_get(k, ns, rest)
    } else if matches(cmd, "flush") {
        let spec = parse_route_spec(k, ns, rest)?;
        let t = spec.table;
        let dev = spec.dev;
        k.net_mut(ns)
            .fib
            .table(t)
            .retain(|r| dev.is_some_and(|d| r.dev != Some(d)));
        Ok(String::new())
    } else {
        Err(format!(
            "Command \"{}\" is unknown, try \"ip route help\".\n",
            cmd
        ))
    }
}

fn route_show(k: &Kernel, ns: NsId, args: &[String]) -> R {
    let mut sel = TableSel::Main;
    let mut f = RouteFilter::default();
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        match w {
            "table" => {
                let v = next(args, &mut i, w)?;
                sel = match v {
                    "all" => TableSel::All,
                    "main" => TableSel::Main,
                    "local" => TableSel::Local,
                    n => TableSel::Id(parse_table(n).ok_or_else(|| {
                        format!(
                            "Error: argument \"{}\" is wrong: table id value is invalid\n\n",
                            n
                        )
                    })?),
                };
            }
            "dev" => f.dev = Some(find_dev(k, ns, next(args, &mut i, w)?)?),
            "proto" | "protocol" => {
                f.proto = Some(
                    parse_proto(next(args, &mut i, w)?).ok_or("Error: invalid \"protocol\"\n")?,
                )
            }
            "scope" => {
                f.scope =
                    Some(parse_scope(next(args, &mut i, w)?).ok_or("Error: invalid \"scope\"\n")?)
            }
            "type" => {
                f.rtype = Some(
                    RtnType::parse(next(args, &mut i, w)?).ok_or("Error: invalid \"type\"\n")?,
                )
            }
            "via" => return Err("nslab: ip route show via is not supported\n".into()),
            "root" | "match" | "exact" => {
                let v = next(args, &mut i, w)?;
                f.prefix = Some(parse_dst(v)?);
            }
            _ => f.prefix = Some(parse_dst(w)?),
        }
        i += 1;
    }
    Ok(show::ip_route_show(k, ns, sel, &f))
}

fn route_modify(k: &mut Kernel, ns: NsId, args: &[String], excl: bool, replace: bool) -> R {
    let s = parse_route_spec(k, ns, args)?;
    let Some((dst, plen)) = s.dst else {
        return Err("Error: either \"to\" is duplicate, or \"\" is a garbage.\n".into());
    };
    let is_unicast = s.rtype == RtnType::Unicast;
    if is_unicast && s.dev.is_none() && s.gw.is_none() {
        return Err("Error: Device for nexthop is not up.\n".into());
    }
    // fib_check_nh: the gateway must be reachable by a link-scope route, unless onlink.
    let mut dev = s.dev;
    let mut nh_scope = RT_SCOPE_HOST;
    if let Some(gw) = s.gw {
        if s.onlink {
            let d = dev.ok_or("Error: Nexthop device required for onlink.\n")?;
            if !k.dev(d).up {
                return Err("Error: Nexthop device is not up.\n".into());
            }
            nh_scope = RT_SCOPE_LINK;
        } else {
            if k.inet_addr_is_local(ns, gw) {
                return Err("Error: Nexthop has invalid gateway.\n".into());
            }
            let usable = |r: &Route| dev.is_none() || r.dev == dev;
            let r = k
                .net(ns)
                .fib
                .tables
                .get(&RT_TABLE_MAIN)
                .and_then(|t| t.lookup(gw, &usable))
                .cloned();
            match r {
                Some(r)
                    if r.rtype == RtnType::Unicast
                        && r.gw.is_none()
                        && r.scope >= RT_SCOPE_LINK =>
                {
                    dev = r.dev;
                    nh_scope = RT_SCOPE_LINK;
                }
                _ => return Err("Error: Nexthop has invalid gateway.\n".into()),
            }
        }
    } else if let Some(d) = dev {
        if !k.dev(d).up && is_unicast {
            return Err("Error: Device for nexthop is not up.\n".into());
        }
    }
    let scope = s.scope.unwrap_or(match s.rtype {
        RtnType::Local => RT_SCOPE_HOST,
        RtnType::Broadcast => RT_SCOPE_LINK,
        RtnType::Unicast if s.gw.is_none() => RT_SCOPE_LINK,
        _ => RT_SCOPE_UNIVERSE,
    });
    if let Some(src) = s.src {
        if !k.inet_addr_is_local(ns, src) {
            return Err("Error: Invalid prefsrc address.\n".into());
        }
    }
    let route = Route {
        table: s.table,
        dst,
        plen,
        rtype: s.rtype,
        proto: s.proto,
        scope,
        prefsrc: s.src,
        metric: s.metric,
        gw: s.gw,
        dev,
        onlink: s.onlink,
        nh_scope,
    };
    let t = k.net_mut(ns).fib.table(s.table);
    let key = (u32::from(dst), plen);
    let same = t
        .routes
        .get(&key)
        .and_then(|v| v.iter().position(|r| r.metric == s.metric));
    match same {
        Some(_) if excl => return Err(exists()),
        Some(pos) if replace => {
            t.routes.get_mut(&key).expect("present")[pos] = route;
        }
        _ => t.insert(route),
    }
    Ok(String::new())
}

fn route_del(k: &mut Kernel, ns: NsId, args: &[String]) -> R {
    let s = parse_route_spec(k, ns, args)?;
    let (dst, plen) = s.dst.unwrap_or((Ipv4Addr::UNSPECIFIED, 0));
    let has_metric = args.iter().any(|a| a == "metric" || a == "priority");
    let t = k.net_mut(ns).fib.table(s.table);
    let key = (u32::from(dst), plen);
    let Some(v) = t.routes.get_mut(&key) else {
        return Err("RTNETLINK answers: No such process\n".into());
    };
    let pos = v.iter().position(|r| {
        (!has_metric || r.metric == s.metric)
            && s.gw.is_none_or(|g| r.gw == Some(g))
            && s.dev.is_none_or(|d| r.dev == Some(d))
    });
    match pos {
        Some(p) => {
            v.remove(p);
            if v.is_empty() {
                t.routes.remove(&key);
            }
            Ok(String::new())
        }
        None => Err("RTNETLINK answers: No such process\n".into()),
    }
}

fn route_get(k: &Kernel, ns: NsId, args: &[String]) -> R {
    let mut dst = None;
    let mut from = Ipv4Addr::UNSPECIFIED;
    let mut oif = None;
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        match w {
            "from" => from = parse_addr(next(args, &mut i, w)?)?,
            "oif" | "dev" => oif = Some(find_dev(k, ns, next(args, &mut i, w)?)?),
            "iif" | "mark" | "tos" | "uid" => {
                return Err(format!("nslab: ip route get {} is not supported\n", w))
            }
            "to" => dst = Some(parse_addr(next(args, &mut i, w)?)?),
            _ => dst = Some(parse_addr(w.split('/').next().unwrap_or(w))?),
        }
        i += 1;
    }
    let dst = dst.ok_or("need at least a destination address\n")?;
    let rt = k.ip_route_output(ns, dst, from, oif).map_err(|e| match e {
        crate::net::route::RouteErr::NetUnreach => {
            "RTNETLINK answers: Network is unreachable\n".to_string()
        }
        crate::net::route::RouteErr::HostUnreach => {
            "RTNETLINK answers: No route to host\n".to_string()
        }
        crate::net::route::RouteErr::Invalid | crate::net::route::RouteErr::Perm => {
            "RTNETLINK answers: Permission denied\n".to_string()
        }
    })?;
    let mut s = String::new();
    if rt.rtype == RtnType::Local {
        s += "local ";
    } else if rt.rtype == RtnType::Broadcast {
        s += "broadcast ";
    }
    s += &dst.to_string();
    if !from.is_unspecified() {
        s += &format!(" from {}", from);
    }
    if let Some(g) = rt.gw {
        s += &format!(" via {}", g);
    }
    s += &format!(" dev {}", k.dev(rt.dev).name);
    if rt.table != RT_TABLE_MAIN && rt.table != RT_TABLE_LOCAL {
        s += &format!(" table {}", rt.table);
    }
    if from.is_unspecified() {
        s += &format!(" src {}", rt.src);
    }
    s += " uid 0 \n    cache ";
    if rt.rtype == RtnType::Local {
        s += "<local> ";
    }
    s += "\n";
    Ok(s)
}

// ------------------------------------------------------------------------- ip neigh

fn ip_neigh(k: &mut Kernel, ns: NsId, args: &[String]) -> R {
    let Some(cmd) = args.first() else {
        return Ok(show::ip_neigh_show(k, ns, None));
    };
    let rest = &args[1..];
    if matches(cmd, "add") || matches(cmd, "replace") || matches(cmd, "change") || cmd == "chg" {
        let mut ip = None;
        let mut dev = None;
        let mut lladdr = None;
        let mut nud = NUD_PERMANENT;
        let mut i = 0;
        while i < rest.len() {
            let w = rest[i].as_str();
            match w {
                "dev" => dev = Some(find_dev(k, ns, next(rest, &mut i, w)?)?),
                "lladdr" => lladdr = Some(parse_lladdr(next(rest, &mut i, w)?)?),
                "nud" => {
                    let v = next(rest, &mut i, w)?;
                    nud = nud_parse(v).ok_or_else(|| {
                        format!("Error: argument \"{}\" is wrong: nud state is bad\n\n", v)
                    })?;
                }
                "router" | "proxy" | "extern_learn" => {}
                "to" => ip = Some(parse_addr(next(rest, &mut i, w)?)?),
                "permanent" => nud = NUD_PERMANENT,
                "noarp" => nud = NUD_NOARP,
                "reachable" => nud = NUD_REACHABLE,
                "stale" => nud = NUD_STALE,
                _ => ip = Some(parse_addr(w)?),
            }
            i += 1;
        }
        let d = dev.ok_or("Device and destination are required arguments.\n")?;
        let ip = ip.ok_or("Device and destination are required arguments.\n")?;
        let exists_ = k.net(ns).neigh.entries.contains_key(&(d, ip));
        if matches(cmd, "add") && exists_ {
            return Err(exists());
        }
        if (cmd == "chg" || matches(cmd, "change")) && !exists_ {
            return Err("RTNETLINK answers: No such file or directory\n".into());
        }
        k.neigh_update(ns, d, ip, lladdr, nud, true, true);
        Ok(String::new())
    } else if matches(cmd, "delete") {
        let mut ip = None;
        let mut dev = None;
        let mut i = 0;
        while i < rest.len() {
            let w = rest[i].as_str();
            match w {
                "dev" => dev = Some(find_dev(k, ns, next(rest, &mut i, w)?)?),
                "lladdr" | "nud" => {
                    next(rest, &mut i, w)?;
                }
                _ => ip = Some(parse_addr(w)?),
            }
            i += 1;
        }
        let d = dev.ok_or("Device and destination are required arguments.\n")?;
        let ip = ip.ok_or("Device and destination are required arguments.\n")?;
        if k.neigh_remove(ns, d, ip) {
            Ok(String::new())
        } else {
            Err("RTNETLINK answers: No such file or directory\n".into())
        }
    } else if matches(cmd, "show") || matches(cmd, "list") || matches(cmd, "lst") {
        let d = dev_arg(k, ns, rest)?;
        Ok(show::ip_neigh_show(k, ns, d))
    } else if matches(cmd, "flush") {
        let d = if rest.iter().any(|a| a == "all") {
            None
        } else {
            dev_arg(k, ns, rest)?
        };
        if d.is_none() && !rest.iter().any(|a| a == "all") {
            return Err("Flush requires arguments.\n".into());
        }
        let keys: Vec<(DevId, Ipv4Addr)> = k
            .net(ns)
            .neigh
            .entries
            .iter()
            .filter(|(key, n)| {
                d.is_none_or(|d| key.0 == d) && n.state & (NUD_PERMANENT | NUD_NOARP) == 0
            })
            .map(|(key, _)| *key)
            .collect();
        for (dv, ip) in keys {
            k.neigh_remove(ns, dv, ip);
        }
        Ok(String::new())
    } else {
        Err(format!(
            "Command \"{}\" is unknown, try \"ip neigh help\".\n",
            cmd
        ))
    }
}

// ------------------------------------------------------------------------- ip netns

fn ip_netns(k: &mut Kernel, args: &[String]) -> R {
    let Some(cmd) = args.first() else {
        return Ok(show::ip_netns_list(k));
    };
    let rest = &args[1..];
    if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        Ok(show::ip_netns_list(k))
    } else if matches(cmd, "add") {
        let name = rest.first().ok_or("No netns name specified\n")?;
        if name.contains('/') || name == "." || name == ".." || name.is_empty() {
            return Err(format!("Invalid netns name \"{}\"\n", name));
        }
        if k.ns_by_name(name).is_some() {
            return Err(format!(
                "Cannot create namespace file \"/run/netns/{}\": File exists\n",
                name
            ));
        }
        k.netns_add(name);
        Ok(String::new())
    } else if matches(cmd, "delete") {
        let name = rest.first().ok_or("No netns name specified\n")?;
        match k.ns_by_name(name) {
            Some(x) if name != "root" => {
                k.netns_del(x);
                Ok(String::new())
            }
            _ => Err(format!(
                "Cannot remove namespace file \"/run/netns/{}\": No such file or directory\n",
                name
            )),
        }
    } else {
        Err(format!(
            "Command \"{}\" is unknown, try \"ip netns help\".\n",
            cmd
        ))
    }
}

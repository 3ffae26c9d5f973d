//! `ip` (iproute2): argv → rtnetlink request → text, with iproute2's abbreviations
//! (`ip l a`, `ip a a`, `ip r`, `ip netns a`), its error messages and exit statuses: its own
//! parse errors exit 255 (`invarg`, `duparg`, `Command "x" is unknown`) or 1 (`get_prefix`,
//! `Cannot find device`), kernel refusals 2 (`RTNETLINK answers: ...`, `Error: EXTACK.`).

use super::show::{self, RouteFilter, ShowOpts, TableSel};
use super::{ToolError, ToolOutput};
use crate::kernel::{Kernel, NsId};
use crate::net::fib::*;
use crate::net::neigh::*;
use crate::net::rtnetlink::addr::AddrMsg;
use crate::net::rtnetlink::link::{LinkAttrs, LinkInfo, NewLinkMsg, SetLinkMsg};
use crate::net::rtnetlink::neigh::NeighMsg;
use crate::net::rtnetlink::route::*;
use crate::net::rtnetlink::{IfIndex, RtnlError};
use crate::wire::Mac;
use std::net::Ipv4Addr;

type R = Result<String, ToolError>;

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

/// iproute2's own usage errors (`invarg`, `duparg`, `incomplete_command`, unknown commands):
/// `exit(-1)`, status 255.
pub(crate) fn usage(msg: impl Into<String>) -> ToolError {
    ToolError::usage(255, msg)
}

/// A parse error iproute2 reports with status 1 (`get_prefix`, `get_addr`, a bad lladdr).
pub(crate) fn bad_arg(msg: impl Into<String>) -> ToolError {
    ToolError::usage(1, msg)
}

/// A kernel refusal: `RTNETLINK answers: ...` or `Error: EXTACK.`, status 2.
pub(crate) fn rtnl_err(e: RtnlError) -> ToolError {
    if let Some(what) = e.not_modelled {
        return ToolError::not_modelled(what);
    }
    ToolError::failed(2, e.iproute2_text())
}

/// `Cannot find device "X"` (`ll_name_to_index` failed): status 1.
pub(crate) fn nodev(name: &str) -> ToolError {
    ToolError::failed(1, format!("Cannot find device \"{name}\"\n"))
}

/// Runs `ip ARGS...` in namespace `ns`. `ip netns exec` is handled by the caller (it runs another
/// program).
pub fn ip(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    match ip_main(k, ns, args) {
        Ok(o) => o,
        Err(e) => e.into(),
    }
}

fn ip_main(k: &mut Kernel, ns: NsId, args: &[String]) -> Result<ToolOutput, ToolError> {
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
            // iproute2 takes any prefix of `-netns` (`matches(opt, "-netns")`).
            "n" | "ne" | "net" | "netn" | "netns" => {
                i += 1;
                let Some(name) = args.get(i) else {
                    return Err(usage("Option \"-n\" requires an argument\n"));
                };
                match k.netns_get_by_name(name) {
                    Some(x) if name != "root" => ns = x,
                    _ => {
                        return Err(usage(format!(
                            "Cannot open network namespace \"{name}\": No such file or directory\n"
                        )))
                    }
                }
            }
            // IPv6 addresses, routes and rules are configuration only (tools/ip6.rs).
            "6" => opts.family6 = true,
            "f" | "fa" | "fam" | "fami" | "famil" | "family" => {
                i += 1;
                match args.get(i).map(String::as_str) {
                    Some("inet") => opts.family4 = true,
                    Some("inet6") => opts.family6 = true,
                    Some(f) => return Err(ToolError::not_modelled(format!("ip -family {f}"))),
                    None => {
                        return Err(usage(format!(
                            "Option \"{}\" requires an argument\n",
                            args[i - 1]
                        )))
                    }
                }
            }
            "j" | "json" => return Err(ToolError::not_modelled("ip -j (JSON output)")),
            _ => {
                return Err(usage(format!(
                    "Option \"{}\" is unknown, try \"ip -help\".\n",
                    args[i]
                )))
            }
        }
        i += 1;
    }
    let Some(obj) = args.get(i) else {
        return Err(usage("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n"));
    };
    let rest = &args[i + 1..];
    let Some(full) = OBJECTS.iter().find(|o| matches(obj, o)) else {
        // Recorded (iproute2 6.1): `ip foo` exits 1.
        return Err(ToolError::usage(
            1,
            format!("Object \"{obj}\" is unknown, try \"ip help\".\n"),
        ));
    };
    if rest.iter().any(|a| a == "tunl0") {
        // ll_name_to_index → if_nametoindex → dev_load("tunl0") loads the ipip module.
        k.if_nametoindex_load(ns, "tunl0");
    }
    if *full == "tunnel" || *full == "tunl" {
        return Ok(super::iptunnel::ip_tunnel(k, ns, rest));
    }
    if *full == "rule" && opts.family6 {
        return super::ip6::ip6_rule(k, ns, rest);
    }
    if *full == "rule" {
        return super::iprule::ip_rule(k, ns, rest);
    }
    // `ip -6 addr|route|rule`, and `ip addr add|del ADDR6` (the family inferred from the
    // address as iproute2's get_prefix does).
    let inet6_arg = rest.iter().skip(1).any(|w| super::ip6::is_inet6(w))
        && rest.first().is_some_and(|c| {
            ["add", "delete", "replace", "change"]
                .iter()
                .any(|f| matches(c, f))
        });
    if *full == "address" && (opts.family6 || inet6_arg) {
        return Ok(ToolOutput::ok(super::ip6::ip6_addr(k, ns, rest, &opts)?));
    }
    let route6_arg = rest.first().is_some_and(|c| {
        ["add", "delete", "replace", "append"]
            .iter()
            .any(|f| matches(c, f))
    }) && rest.iter().skip(1).any(|w| super::ip6::is_inet6(w));
    if *full == "route" && (opts.family6 || route6_arg) {
        return Ok(ToolOutput::ok(super::ip6::ip6_route(k, ns, rest)?));
    }
    if opts.family6 && !matches!(*full, "link" | "netns") {
        return Err(ToolError::not_modelled(format!("ip -6 {full}")));
    }
    let out = match *full {
        "link" => return ip_link(k, ns, rest, &opts),
        "address" if rest.first().is_some_and(|c| matches(c, "delete")) => {
            return addr_del(k, ns, &rest[1..]);
        }
        "address" => ip_addr(k, ns, rest, &opts)?,
        "route" => ip_route(k, ns, rest)?,
        "neighbor" | "neighbour" => ip_neigh(k, ns, rest)?,
        "netns" => ip_netns(k, ns, rest)?,
        o => return Err(ToolError::not_modelled(format!("ip {o}"))),
    };
    Ok(ToolOutput::ok(out))
}

/// Looks a device up by name (`ll_name_to_index`): `Cannot find device "X"` when it is missing.
pub fn find_dev(k: &Kernel, ns: NsId, name: &str) -> Result<IfIndex, ToolError> {
    k.if_nametoindex(ns, name).ok_or_else(|| nodev(name))
}

/// A show filter's device: `Device "X" does not exist.` (status 1) when it is missing.
fn show_dev(k: &Kernel, ns: NsId, name: &str) -> Result<IfIndex, ToolError> {
    k.if_nametoindex(ns, name)
        .ok_or_else(|| ToolError::failed(1, format!("Device \"{name}\" does not exist.\n")))
}

/// A show with iproute2's `up` selector (only devices with `IFF_UP`; recorded: `ip addr show
/// lo up` prints nothing while lo is down): the devices' own listings, in order.
fn show_filtered(
    k: &Kernel,
    ns: NsId,
    dev: Option<IfIndex>,
    up: bool,
    show: impl Fn(Option<IfIndex>) -> String,
) -> String {
    if !up {
        return show(dev);
    }
    k.rtnl_link_dump(ns)
        .into_iter()
        .filter(|l| l.is_up() && dev.is_none_or(|d| d == l.ifindex))
        .map(|l| show(Some(l.ifindex)))
        .collect()
}

pub(crate) fn next<'a>(
    args: &'a [String],
    i: &mut usize,
    _what: &str,
) -> Result<&'a str, ToolError> {
    *i += 1;
    args.get(*i)
        .map(|s| s.as_str())
        .ok_or_else(|| usage("Command line is not complete. Try option \"help\"\n"))
}

/// Parses `A.B.C.D[/N]`; iproute2's "any valid prefix" message on failure (status 1).
pub fn parse_prefix(s: &str) -> Result<(Ipv4Addr, u8, bool), ToolError> {
    let bad = || {
        bad_arg(format!(
            "Error: any valid prefix is expected rather than \"{s}\".\n"
        ))
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

pub(crate) fn parse_addr(s: &str) -> Result<Ipv4Addr, ToolError> {
    s.parse::<Ipv4Addr>().map_err(|_| {
        bad_arg(format!(
            "Error: inet address is expected rather than \"{s}\".\n"
        ))
    })
}

fn garbage(key: &str, w: &str) -> ToolError {
    usage(format!(
        "Error: either \"{key}\" is duplicate, or \"{w}\" is a garbage.\n"
    ))
}

// ------------------------------------------------------------------------- ip link

fn ip_link(
    k: &mut Kernel,
    ns: NsId,
    args: &[String],
    opts: &ShowOpts,
) -> Result<ToolOutput, ToolError> {
    let Some(cmd) = args.first() else {
        return Ok(ToolOutput::ok(show::ip_link_show(k, ns, None, opts)));
    };
    let rest = &args[1..];
    let out = if matches(cmd, "add") {
        // The vxlan option parser's warning goes to stderr, with status 0.
        let warning = link_add(k, ns, rest)?;
        return Ok(ToolOutput {
            stderr: warning,
            ..Default::default()
        });
    } else if matches(cmd, "set") || matches(cmd, "change") {
        link_set(k, ns, rest)?
    } else if matches(cmd, "delete") {
        // iplink_modify's parse: `dev NAME` or a bare name, `type KIND` (matched by the kernel
        // only with options), `group` not modelled.
        let mut name = None;
        let mut i = 0;
        while i < rest.len() {
            let w = rest[i].as_str();
            match w {
                "dev" => name = Some(next(rest, &mut i, w)?),
                "type" => {
                    next(rest, &mut i, w)?;
                }
                "group" => return Err(ToolError::not_modelled("ip link delete group")),
                _ if name.is_none() => name = Some(w),
                _ => return Err(garbage("dev", w)),
            }
            i += 1;
        }
        let Some(name) = name else {
            return Err(usage(
                "Not enough information: \"dev\" argument is required.\n",
            ));
        };
        let d = find_dev(k, ns, name)?;
        k.rtm_dellink(ns, d).map_err(rtnl_err)?;
        String::new()
    } else if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        let mut dev = None;
        let mut up = false;
        let mut master = None;
        let mut i = 0;
        while i < rest.len() {
            match rest[i].as_str() {
                "dev" => dev = Some(show_dev(k, ns, next(rest, &mut i, "dev")?)?),
                "up" => up = true,
                // iplink_filter_req: IFLA_MASTER, the kernel dumps the master's ports only.
                "master" => master = Some(show_dev(k, ns, next(rest, &mut i, "master")?)?),
                n => dev = Some(show_dev(k, ns, n)?),
            }
            i += 1;
        }
        match master {
            Some(m) => k
                .rtnl_link_dump(ns)
                .into_iter()
                .filter(|l| l.master == Some(m) && (!up || l.is_up()))
                .filter(|l| dev.is_none_or(|d| d == l.ifindex))
                .map(|l| show::ip_link_show(k, ns, Some(l.ifindex), opts))
                .collect(),
            None => show_filtered(k, ns, dev, up, |d| show::ip_link_show(k, ns, d, opts)),
        }
    } else {
        return Err(usage(format!(
            "Command \"{cmd}\" is unknown, try \"ip link help\".\n"
        )));
    };
    Ok(ToolOutput::ok(out))
}

fn parse_netns(k: &Kernel, v: &str) -> Result<NsId, ToolError> {
    match k.netns_get_by_name(v) {
        Some(x) if v != "root" => Ok(x),
        _ => Err(usage(format!(
            "Error: argument \"{v}\" is wrong: Invalid \"netns\" value\n\n"
        ))),
    }
}

fn parse_mtu(v: &str) -> Result<u32, ToolError> {
    v.parse().map_err(|_| {
        usage(format!(
            "Error: argument \"{v}\" is wrong: Invalid \"mtu\" value\n\n"
        ))
    })
}

/// iproute2's `ll_addr_a2n`: colon-separated hex bytes; a bad byte is reported by itself
/// (`"zz" is invalid lladdr.`, status 1).
fn ll_addr_a2n(v: &str) -> Result<Vec<u8>, ToolError> {
    let mut out = Vec::new();
    for part in v.split(':').take(32) {
        let hex = part
            .strip_prefix("0x")
            .or_else(|| part.strip_prefix("0X"))
            .unwrap_or(part);
        let byte = u32::from_str_radix(hex, 16)
            .ok()
            .filter(|&b| b <= 255 && !hex.is_empty());
        match byte {
            Some(b) => out.push(b as u8),
            None => return Err(bad_arg(format!("\"{part}\" is invalid lladdr.\n"))),
        }
    }
    Ok(out)
}

/// An Ethernet address argument: `ll_addr_a2n`, then the length check iproute2 makes
/// against the device (`Invalid address length 5 - must be 6 bytes`, status 1).
fn parse_lladdr(v: &str) -> Result<Mac, ToolError> {
    let b = ll_addr_a2n(v)?;
    <[u8; 6]>::try_from(b.as_slice()).map_err(|_| {
        bad_arg(format!(
            "Invalid address length {} - must be 6 bytes\n",
            b.len()
        ))
    })
}

/// Parses the attributes of `ip link add` (before `type`) or of the veth peer.
fn parse_link_attrs(
    k: &Kernel,
    args: &[String],
    i: &mut usize,
    stop_at_type: bool,
) -> Result<(LinkAttrs, Option<String>), ToolError> {
    let mut a = LinkAttrs::default();
    while *i < args.len() {
        let w = args[*i].as_str();
        match w {
            "type" if stop_at_type => {
                let kind = next(args, i, "type")?.to_string();
                *i += 1;
                return Ok((a, Some(kind)));
            }
            "name" => {
                let n = next(args, i, w)?;
                check_name(n)?;
                a.name = Some(n.to_string());
            }
            "dev" => {
                let n = next(args, i, w)?;
                check_altifname(n)?;
                a.name = Some(n.to_string());
            }
            "mtu" => a.mtu = Some(parse_mtu(next(args, i, w)?)?),
            "netns" => a.netns = Some(parse_netns(k, next(args, i, w)?)?),
            "up" => a.up = true,
            "down" => a.up = false,
            "txqueuelen" | "qlen" | "numtxqueues" | "numrxqueues" => {
                next(args, i, w)?;
            }
            _ if matches(w, "address") && w.len() > 1 || w == "a" => {
                a.mac = Some(parse_lladdr(next(args, i, w)?)?)
            }
            _ if a.name.is_none() => {
                check_altifname(w)?;
                a.name = Some(w.to_string());
            }
            _ => return Err(garbage("dev", w)),
        }
        *i += 1;
    }
    Ok((a, None))
}

/// iproute2's `check_ifname`.
pub(crate) fn check_name(name: &str) -> Result<(), ToolError> {
    if name.is_empty()
        || name.len() > 15
        || name.contains('/')
        || name.contains(char::is_whitespace)
    {
        return Err(usage(format!(
            "Error: argument \"{name}\" is wrong: \"name\" not a valid ifname\n"
        )));
    }
    Ok(())
}

/// iproute2's `check_altifname` for a device named by `dev NAME` or a bare word: anything a
/// netlink `IFLA_ALT_IFNAME` could be (recorded: `ip link add a/b type veth` → `Error: argument
/// "a/b" is wrong: "dev" not a valid ifname`, 255; a 16-character name passes to the kernel).
fn check_altifname(name: &str) -> Result<(), ToolError> {
    if name.is_empty()
        || name.len() >= 128
        || name.contains('/')
        || name.contains(char::is_whitespace)
    {
        return Err(usage(format!(
            "Error: argument \"{name}\" is wrong: \"dev\" not a valid ifname\n"
        )));
    }
    Ok(())
}

/// `ip link add`: answers the text iproute2 prints on stderr on success (the vxlan warning).
fn link_add(k: &mut Kernel, ns: NsId, args: &[String]) -> R {
    let mut i = 0;
    let (a, kind) = parse_link_attrs(k, args, &mut i, true)?;
    let Some(kind) = kind else {
        return Err(bad_arg(
            "Not enough information: \"type\" argument is required\n",
        ));
    };
    let Some(name) = a.name.clone() else {
        return Err(usage(
            "Not enough information: \"dev\" argument is required.\n",
        ));
    };
    let mut warning = String::new();
    let info = match kind.as_str() {
        // Recorded (iproute2 6.1): `ip link add vx type vxlan` sends no IFLA_INFO_DATA and
        // the kernel answers "Error: Required attributes not provided to perform the
        // operation." (status 2).
        "vxlan" if i == args.len() => LinkInfo::Vxlan {
            cfg: None,
            link: None,
        },
        "vxlan" => {
            // Options are parsed (and the dstport warning printed) before the kernel answers.
            let va = super::vxlan::parse_vxlan_args(k, ns, &args[i..])?;
            warning = va.warning;
            LinkInfo::Vxlan {
                cfg: Some(Box::new(va.cfg)),
                link: va.link,
            }
        }
        "veth" => {
            let mut peer = LinkAttrs::default();
            if i < args.len() {
                if args[i] != "peer" {
                    return Err(garbage("dev", &args[i]));
                }
                i += 1;
                peer = parse_link_attrs(k, args, &mut i, false)?.0;
            }
            LinkInfo::Veth { peer }
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
                    // The kernel's EEXIST comes before anything nslab would refuse.
                    if k.if_nametoindex(a.netns.unwrap_or(ns), &name).is_some() {
                        return Err(rtnl_err(crate::errno::Errno::EEXIST.into()));
                    }
                    return Err(ToolError::not_modelled(format!("bridge option \"{w}\"")));
                }
                return Err(garbage("dev", w));
            }
            if kind == "bridge" {
                LinkInfo::Bridge
            } else {
                LinkInfo::Dummy
            }
        }
        "ipip" => LinkInfo::Ipip(super::iptunnel::parse_ipip_link_args(k, ns, &args[i..])?),
        "gre" | "sit" | "tun" | "macvlan" | "ipvlan" | "vrf" | "bond" | "geneve" | "wireguard" => {
            return Err(ToolError::not_modelled(format!("link type \"{kind}\"")));
        }
        _ => {
            return Err(rtnl_err(RtnlError::extack(
                crate::errno::Errno::EOPNOTSUPP,
                "Unknown device type",
            )))
        }
    };
    match k.rtm_newlink(ns, NewLinkMsg { attrs: a, info }) {
        Ok(_) => Ok(warning),
        Err(e) => {
            let mut e = rtnl_err(e);
            e.msg = format!("{warning}{}", e.msg);
            Err(e)
        }
    }
}

fn link_set(k: &mut Kernel, ns: NsId, args: &[String]) -> R {
    let mut dev: Option<&str> = None;
    let mut i = 0;
    // Collect the attributes first (iproute2 sends one request).
    let mut m = SetLinkMsg::default();
    while i < args.len() {
        let w = args[i].as_str();
        match w {
            "dev" => {
                let n = next(args, &mut i, w)?;
                if dev.is_some() {
                    return Err(garbage("dev", n));
                }
                check_altifname(n)?;
                dev = Some(n);
            }
            "up" => m.up = Some(true),
            "down" => m.up = Some(false),
            "name" => {
                let n = next(args, &mut i, w)?;
                check_name(n)?;
                m.name = Some(n.to_string());
            }
            "mtu" => m.mtu = Some(parse_mtu(next(args, &mut i, w)?)?),
            "netns" => m.netns = Some(parse_netns(k, next(args, &mut i, w)?)?),
            "master" => {
                let n = next(args, &mut i, w)?;
                // Recorded (iproute2 6.1): `ip link set v1 master nosuch` →
                // `Error: argument "nosuch" is wrong: Device does not exist` + empty line, 255.
                let b = k.if_nametoindex(ns, n).ok_or_else(|| {
                    usage(format!(
                        "Error: argument \"{n}\" is wrong: Device does not exist\n\n"
                    ))
                })?;
                m.master = Some(Some(b));
            }
            "nomaster" => m.master = Some(None),
            "type" => {
                // The kind's own options go to its changelink (IFLA_INFO_DATA); with none the
                // kernel ignores the kind (recorded: `ip link set VETH type bridge` → 0).
                let k_ = next(args, &mut i, w)?;
                if i + 1 < args.len() {
                    return Err(ToolError::not_modelled(format!(
                        "ip link set ... type {k_} options"
                    )));
                }
            }
            "promisc" | "arp" | "multicast" | "allmulticast" | "txqueuelen" | "qlen" => {
                next(args, &mut i, w)?;
            }
            _ if (matches(w, "address") && w.len() > 1) || w == "a" => {
                m.mac = Some(parse_lladdr(next(args, &mut i, w)?)?)
            }
            _ if dev.is_none() => {
                check_altifname(w)?;
                dev = Some(w);
            }
            _ => return Err(garbage("dev", w)),
        }
        i += 1;
    }
    let Some(name) = dev else {
        return Err(usage(
            "Not enough information: \"dev\" argument is required.\n",
        ));
    };
    // iplink_modify looks the device up after parsing every argument.
    m.ifindex = find_dev(k, ns, name)?;
    k.rtm_setlink(ns, &m).map_err(rtnl_err)?;
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
        Ok(addr_del(k, ns, rest)?.stdout)
    } else if matches(cmd, "flush") {
        let d = dev_arg(k, ns, rest, true)?
            .ok_or_else(|| ToolError::failed(1, "Flush requires arguments.\n"))?;
        k.rtm_flushaddr(ns, d).map_err(rtnl_err)?;
        if !opts.family4 {
            k.inet6_flushaddr(ns, d).map_err(rtnl_err)?;
        }
        Ok(String::new())
    } else if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        let d = dev_arg(k, ns, rest, true)?;
        let up = rest.iter().any(|a| a == "up");
        Ok(show_filtered(k, ns, d, up, |d| {
            show::ip_addr_show(k, ns, d, opts)
        }))
    } else {
        Err(usage(format!(
            "Command \"{cmd}\" is unknown, try \"ip address help\".\n"
        )))
    }
}

/// The `dev NAME` of a show/flush selector: `Device "X" does not exist.` for `ip addr`
/// (`show`), `Cannot find device` for `ip neigh`.
fn dev_arg(
    k: &Kernel,
    ns: NsId,
    rest: &[String],
    addr: bool,
) -> Result<Option<IfIndex>, ToolError> {
    let look = |n: &str| {
        if addr {
            show_dev(k, ns, n)
        } else {
            find_dev(k, ns, n)
        }
    };
    let mut i = 0;
    let mut d = None;
    while i < rest.len() {
        match rest[i].as_str() {
            "dev" => d = Some(look(next(rest, &mut i, "dev")?)?),
            "up" | "permanent" | "primary" | "secondary" => {}
            "scope" | "label" | "to" => {
                next(rest, &mut i, "")?;
            }
            n => d = Some(look(n)?),
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
                    usage(format!(
                        "Error: argument \"{s}\" is wrong: invalid scope value.\n"
                    ))
                })?);
            }
            "label" => label = Some(next(args, &mut i, w)?.to_string()),
            "valid_lft" | "preferred_lft" | "metric" | "proto" => {
                next(args, &mut i, w)?;
            }
            "noprefixroute" | "home" | "nodad" | "noprefix" => {}
            "local" => local = Some(parse_prefix(next(args, &mut i, w)?)?),
            _ if local.is_none() => local = Some(parse_prefix(w)?),
            _ => return Err(garbage("local", w)),
        }
        i += 1;
    }
    let Some(d) = dev else {
        // Recorded (iproute2 6.1): status 1 for `ip addr add 10.0.0.1/24`.
        return Err(bad_arg(
            "Not enough information: \"dev\" argument is required.\n",
        ));
    };
    let Some((la, lplen, lhas)) = local else {
        // Recorded (iproute2 6.1): `ip addr add dev lo` sends the request without IFA_LOCAL.
        return Err(rtnl_err(crate::errno::Errno::EOPNOTSUPP.into()));
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
    let m = AddrMsg {
        ifindex: d,
        local: la,
        address,
        plen,
        broadcast,
        scope,
        label,
        has_peer,
    };
    k.rtm_newaddr(ns, &m, replace).map_err(rtnl_err)?;
    Ok(String::new())
}

/// `ip addr del`: without a prefix length iproute2 warns on stderr (recorded, 6.1) and the
/// kernel deletes the first address with that local.
fn addr_del(k: &mut Kernel, ns: NsId, args: &[String]) -> Result<ToolOutput, ToolError> {
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
        return Err(bad_arg(
            "Not enough information: \"dev\" argument is required.\n",
        ));
    };
    let Some((la, plen, has)) = local else {
        return Err(bad_arg(
            "Not enough information: \"local\" argument is required.\n",
        ));
    };
    let warning = if has {
        String::new()
    } else {
        format!(
            "Warning: Executing wildcard deletion to stay compatible with old scripts.\n         Explicitly specify the prefix length ({la}/32) to avoid this warning.\n         This special behaviour is likely to disappear in further releases,\n         fix your scripts!\n"
        )
    };
    match k.rtm_deladdr(ns, d, la, has.then_some(plen)) {
        Ok(()) => Ok(ToolOutput {
            stderr: warning,
            ..Default::default()
        }),
        Err(e) => {
            let mut e = rtnl_err(e);
            e.msg = format!("{warning}{}", e.msg);
            Err(e)
        }
    }
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

pub(crate) fn parse_table(s: &str) -> Option<u32> {
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
        "bird" => RTPROT_BIRD,
        "zebra" => 11,
        "bgp" => 186,
        n => n.parse().ok()?,
    })
}

/// `iproute_modify`'s parse: the request, and whether `to` was given.
fn parse_route_spec(k: &Kernel, ns: NsId, args: &[String]) -> Result<(RouteMsg, bool), ToolError> {
    let mut s = RouteMsg::new(Ipv4Addr::UNSPECIFIED, 0);
    let mut have_dst = false;
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
            "dev" | "oif" => s.oif = Some(find_dev(k, ns, next(args, &mut i, w)?)?),
            "onlink" => s.onlink = true,
            "metric" | "priority" | "preference" => {
                let v = next(args, &mut i, w)?;
                s.priority = Some(v.parse().map_err(|_| {
                    usage(format!(
                        "Error: argument \"{v}\" is wrong: \"metric\" value is invalid\n\n"
                    ))
                })?);
            }
            "src" => s.prefsrc = Some(parse_addr(next(args, &mut i, w)?)?),
            "scope" => {
                let v = next(args, &mut i, w)?;
                s.scope = Some(parse_scope(v).ok_or_else(|| {
                    usage(format!(
                        "Error: argument \"{v}\" is wrong: invalid \"scope\" value\n\n"
                    ))
                })?);
            }
            "proto" | "protocol" => {
                let v = next(args, &mut i, w)?;
                s.proto = parse_proto(v).ok_or_else(|| {
                    usage(format!(
                        "Error: argument \"{v}\" is wrong: \"protocol\" value is invalid\n\n"
                    ))
                })?;
            }
            "table" => {
                let v = next(args, &mut i, w)?;
                s.table = parse_table(v).ok_or_else(|| {
                    usage(format!(
                        "Error: argument \"{v}\" is wrong: \"table\" value is invalid\n\n"
                    ))
                })?;
            }
            "to" => {
                let v = next(args, &mut i, w)?;
                (s.dst, s.plen) = parse_dst(v)?;
                have_dst = true;
            }
            "mtu" | "advmss" | "realm" | "tos" | "dsfield" | "initcwnd" => {
                return Err(ToolError::not_modelled(format!("route attribute \"{w}\"")));
            }
            _ => {
                if let Some(t) = RtnType::parse(w).filter(|_| !have_dst) {
                    s.rtype = t;
                } else if !have_dst {
                    (s.dst, s.plen) = parse_dst(w)?;
                    have_dst = true;
                } else {
                    return Err(garbage("to", w));
                }
            }
        }
        i += 1;
    }
    let local_type = s.rtype == RtnType::Local || s.rtype == RtnType::Broadcast;
    if local_type && s.table == RT_TABLE_MAIN && !args.iter().any(|a| a == "table") {
        s.table = RT_TABLE_LOCAL;
    }
    Ok((s, have_dst))
}

fn parse_dst(v: &str) -> Result<(Ipv4Addr, u8), ToolError> {
    if v == "default" || v == "all" || v == "any" {
        return Ok((Ipv4Addr::UNSPECIFIED, 0));
    }
    let (a, p, _) = parse_prefix(v)?;
    Ok((a, p))
}

fn ip_route(k: &mut Kernel, ns: NsId, args: &[String]) -> R {
    let Some(cmd) = args.first() else {
        return Ok(show::ip_route_show(
            k,
            ns,
            TableSel::Main,
            &RouteFilter::default(),
        ));
    };
    let rest = &args[1..];
    // iproute2's flags: add = CREATE|EXCL, change = REPLACE, replace = CREATE|REPLACE,
    // prepend = CREATE, append = CREATE|APPEND.
    let modify = |flags: u16| (flags, true);
    let (flags, is_modify) = if matches(cmd, "add") {
        modify(NLM_F_CREATE | NLM_F_EXCL)
    } else if matches(cmd, "change") || cmd == "chg" {
        modify(NLM_F_REPLACE)
    } else if matches(cmd, "replace") {
        modify(NLM_F_CREATE | NLM_F_REPLACE)
    } else if matches(cmd, "prepend") {
        modify(NLM_F_CREATE)
    } else if matches(cmd, "append") {
        modify(NLM_F_CREATE | NLM_F_APPEND)
    } else {
        (0, false)
    };
    if is_modify {
        let (m, have_dst) = parse_route_spec(k, ns, rest)?;
        if !have_dst {
            return Err(garbage("to", ""));
        }
        let m = RouteMsg {
            priority: Some(m.priority.unwrap_or(0)),
            ..m
        };
        k.rtm_newroute(ns, &m, flags).map_err(rtnl_err)?;
        Ok(String::new())
    } else if matches(cmd, "delete") {
        let (mut m, _) = parse_route_spec(k, ns, rest)?;
        // iproute2 sends RTPROT_UNSPEC in a delete unless `proto` is given.
        if !rest.iter().any(|a| a == "proto" || a == "protocol") {
            m.proto = 0;
        }
        k.rtm_delroute(ns, &m).map_err(rtnl_err)?;
        Ok(String::new())
    } else if matches(cmd, "show") || matches(cmd, "list") || matches(cmd, "lst") {
        route_show(k, ns, rest)
    } else if matches(cmd, "get") {
        route_get(k, ns, rest)
    } else if matches(cmd, "flush") && rest.first().is_some_and(|a| matches(a, "cache")) {
        // iproute_flush_cache: writes -1 to /proc/sys/net/ipv4/route/flush (rt_cache_flush
        // bumps the namespace's route generation; nslab caches no dst entries, and route
        // exceptions survive it as on Linux), then ends for IPv4.
        Ok(String::new())
    } else if matches(cmd, "flush") {
        let (m, _) = parse_route_spec(k, ns, rest)?;
        k.rtm_flushroute(ns, m.table, m.oif);
        Ok(String::new())
    } else if matches(cmd, "help") {
        Err(usage(IP_ROUTE_USAGE))
    } else {
        Err(usage(format!(
            "Command \"{cmd}\" is unknown, try \"ip route help\".\n"
        )))
    }
}

fn route_show(k: &Kernel, ns: NsId, args: &[String]) -> R {
    let mut sel = TableSel::Main;
    let mut f = RouteFilter::default();
    let mut i = 0;
    let prefix = |v: &str| -> Result<(Ipv4Addr, u8), ToolError> {
        let (a, p) = parse_dst(v)?;
        crate::net::rtnetlink::route::fib_prefix_check(a, p).map_err(rtnl_err)?;
        Ok((a, p))
    };
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
                        usage(format!(
                            "Error: argument \"{n}\" is wrong: table id value is invalid\n\n"
                        ))
                    })?),
                };
            }
            "dev" => {
                let d = find_dev(k, ns, next(args, &mut i, w)?)?;
                f.dev = Some(d);
            }
            "proto" | "protocol" => {
                f.proto = Some(
                    parse_proto(next(args, &mut i, w)?)
                        .ok_or_else(|| usage("Error: invalid \"protocol\"\n"))?,
                )
            }
            "scope" => {
                f.scope = Some(
                    parse_scope(next(args, &mut i, w)?)
                        .ok_or_else(|| usage("Error: invalid \"scope\"\n"))?,
                )
            }
            "type" => {
                f.rtype = Some(
                    RtnType::parse(next(args, &mut i, w)?)
                        .ok_or_else(|| usage("Error: invalid \"type\"\n"))?,
                )
            }
            "via" => return Err(ToolError::not_modelled("ip route show via")),
            "root" | "match" | "exact" => {
                let v = next(args, &mut i, w)?;
                f.prefix = Some(prefix(v)?);
            }
            _ => f.prefix = Some(prefix(w)?),
        }
        i += 1;
    }
    Ok(show::ip_route_show(k, ns, sel, &f))
}

/// `ip route help` (iproute2 6.1, on stderr, status 255).
pub const IP_ROUTE_USAGE: &str = "Usage: ip route { list | flush } SELECTOR
       ip route save SELECTOR
       ip route restore
       ip route showdump
       ip route get [ ROUTE_GET_FLAGS ] ADDRESS
                            [ from ADDRESS iif STRING ]
                            [ oif STRING ] [ tos TOS ]
                            [ mark NUMBER ] [ vrf NAME ]
                            [ uid NUMBER ] [ ipproto PROTOCOL ]
                            [ sport NUMBER ] [ dport NUMBER ]
       ip route { add | del | change | append | replace } ROUTE
SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]
            [ table TABLE_ID ] [ vrf NAME ] [ proto RTPROTO ]
            [ type TYPE ] [ scope SCOPE ]
ROUTE := NODE_SPEC [ INFO_SPEC ]
NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]
             [ table TABLE_ID ] [ proto RTPROTO ]
             [ scope SCOPE ] [ metric METRIC ]
             [ ttl-propagate { enabled | disabled } ]
INFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...
NH := [ encap ENCAPTYPE ENCAPHDR ] [ via [ FAMILY ] ADDRESS ]
      [ dev STRING ] [ weight NUMBER ] NHFLAGS
FAMILY := [ inet | inet6 | mpls | bridge | link ]
OPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ] [ as [ to ] ADDRESS ]
           [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]
           [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ]
           [ ssthresh NUMBER ] [ realms REALM ] [ src ADDRESS ]
           [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ]
           [ features FEATURES ] [ quickack BOOL ] [ congctl NAME ]
           [ pref PREF ] [ expires TIME ] [ fastopen_no_cookie BOOL ]
TYPE := { unicast | local | broadcast | multicast | throw |
          unreachable | prohibit | blackhole | nat }
TABLE_ID := [ local | main | default | all | NUMBER ]
SCOPE := [ host | link | global | NUMBER ]
NHFLAGS := [ onlink | pervasive ]
RTPROTO := [ kernel | boot | static | NUMBER ]
PREF := [ low | medium | high ]
TIME := NUMBER[s|ms]
BOOL := [1|0]
FEATURES := ecn
ENCAPTYPE := [ mpls | ip | ip6 | seg6 | seg6local | rpl | ioam6 | xfrm ]
ENCAPHDR := [ MPLSLABEL | SEG6HDR | SEG6LOCAL | IOAM6HDR | XFRMINFO ]
SEG6HDR := [ mode SEGMODE ] segs ADDR1,ADDRi,ADDRn [hmac HMACKEYID] [cleanup]
SEGMODE := [ encap | encap.red | inline | l2encap | l2encap.red ]
SEG6LOCAL := action ACTION [ OPTIONS ] [ count ]
ACTION := { End | End.X | End.T | End.DX2 | End.DX6 | End.DX4 |
            End.DT6 | End.DT4 | End.DT46 | End.B6 | End.B6.Encaps |
            End.BM | End.S | End.AS | End.AM | End.BPF }
OPTIONS := OPTION [ OPTIONS ]
OPTION := { flavors FLAVORS | srh SEG6HDR | nh4 ADDR | nh6 ADDR | iif DEV | oif DEV |
            table TABLEID | vrftable TABLEID | endpoint PROGNAME }
FLAVORS := { FLAVOR[,FLAVOR] }
FLAVOR := { psp | usp | usd | next-csid }
IOAM6HDR := trace prealloc type IOAM6_TRACE_TYPE ns IOAM6_NAMESPACE size IOAM6_TRACE_SIZE
XFRMINFO := if_id IF_ID [ link_dev LINK ]
ROUTE_GET_FLAGS := [ fibmatch ]
";

/// `ip route get` (iproute2 6.1 `iproute_get`: its keyword order and texts).
fn route_get(k: &Kernel, ns: NsId, args: &[String]) -> R {
    use crate::net::rtnetlink::route::RouteGetReq;
    let invarg =
        |msg: &str, arg: &str| usage(format!("Error: argument \"{arg}\" is wrong: {msg}\n"));
    let mut q = RouteGetReq::new(Ipv4Addr::UNSPECIFIED, Ipv4Addr::UNSPECIFIED);
    let mut dst = None;
    let mut from = false;
    let mut iif_name = None;
    let mut fibmatch = false;
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        if w == "tos" || matches(w, "dsfield") {
            let v = next(args, &mut i, w)?;
            let h = v.strip_prefix("0x").unwrap_or(v);
            q.tos = u8::from_str_radix(h, 16).map_err(|_| invarg("TOS value is invalid\n", v))?;
        } else if matches(w, "from") {
            let v = next(args, &mut i, w)?;
            q.src = parse_prefix(v)?.0;
            from = true;
        } else if matches(w, "iif") {
            let v = next(args, &mut i, w)?;
            q.iif = Some(find_dev(k, ns, v)?);
            iif_name = Some(v.to_string());
        } else if matches(w, "mark") {
            let v = next(args, &mut i, w)?;
            q.mark =
                super::iprule::get_u32_base0(v).ok_or_else(|| invarg("invalid mark value", v))?;
        } else if matches(w, "oif") || w == "dev" {
            q.oif = Some(find_dev(k, ns, next(args, &mut i, w)?)?);
        } else if matches(w, "uid") {
            let v = next(args, &mut i, w)?;
            q.uid =
                Some(super::iprule::get_u32_base0(v).ok_or_else(|| invarg("invalid UID\n", v))?);
        } else if matches(w, "fibmatch") {
            fibmatch = true;
        } else if w == "sport" || w == "dport" {
            let v = next(args, &mut i, w)?;
            let p = super::iprule::get_u32_base0(v)
                .and_then(|p| u16::try_from(p).ok())
                .ok_or_else(|| invarg(&format!("invalid {w}\n"), v))?;
            if w == "sport" {
                q.sport = p;
            } else {
                q.dport = p;
            }
        } else if matches(w, "ipproto") {
            let v = next(args, &mut i, w)?;
            q.ipproto = super::iprule::ipproto_a2n(v)
                .ok_or_else(|| invarg("Invalid \"ipproto\" value\n", v))?;
        } else if matches(w, "vrf") || matches(w, "connected") || matches(w, "notify") || w == "as"
        {
            return Err(ToolError::not_modelled(format!("ip route get {w}")));
        } else {
            let mut w = w;
            if w == "to" {
                w = next(args, &mut i, w)?;
            }
            if matches(w, "help") {
                return Err(usage(IP_ROUTE_USAGE));
            }
            dst = Some(parse_prefix(w)?.0);
        }
        i += 1;
    }
    let dst = dst.ok_or_else(|| ToolError::failed(1, "need at least a destination address\n"))?;
    q.dst = dst;
    let rt = k.rtm_getroute_req(ns, &q).map_err(rtnl_err)?;
    if fibmatch {
        return Ok(route_get_fibmatch(k, ns, &rt));
    }
    let mut s = String::new();
    if rt.rtype == RtnType::Local {
        s += "local ";
    } else if rt.rtype == RtnType::Broadcast {
        s += "broadcast ";
    }
    s += &dst.to_string();
    if from {
        s += &format!(" from {}", q.src);
    }
    if let Some(g) = rt.gw {
        s += &format!(" via {g}");
    }
    s += &format!(" dev {}", k.if_indextoname(ns, rt.oif).unwrap_or_default());
    if rt.table != RT_TABLE_MAIN && (rt.table != RT_TABLE_LOCAL || rt.iif.is_some()) {
        s += &format!(" table {}", show::table_name(rt.table));
    }
    if !from && rt.iif.is_none() {
        s += &format!(" src {}", rt.prefsrc);
    }
    if rt.iif.is_none() {
        if q.mark != 0 {
            s += &format!(" mark 0x{:x}", q.mark);
        }
        s += &format!(" uid {} ", q.uid.unwrap_or(0));
    } else {
        s += " ";
    }
    s += "\n    cache ";
    if rt.rtype == RtnType::Local {
        s += "<local> ";
    } else if rt.rtype == RtnType::Broadcast {
        s += "<local,brd> ";
    }
    if rt.redirect {
        s += "<redirect> ";
    }
    if let Some(name) = iif_name {
        s += &format!("iif {name} ");
    }
    s += "\n";
    Ok(s)
}

/// `ip route get fibmatch`: the FIB entry the lookup matched, as `ip route show table all`
/// prints it (`table T` for other tables than main).
fn route_get_fibmatch(
    k: &Kernel,
    ns: NsId,
    rt: &crate::net::rtnetlink::route::RouteGetReply,
) -> String {
    let Some(prefix) = rt.route else {
        return String::new();
    };
    let f = RouteFilter {
        prefix: Some(prefix),
        ..Default::default()
    };
    let tag = format!(" table {} ", show::table_name(rt.table));
    let out = show::ip_route_show(k, ns, TableSel::All, &f);
    out.lines()
        .find(|l| {
            if rt.table == RT_TABLE_MAIN {
                !l.contains(" table ")
            } else {
                l.contains(&tag)
            }
        })
        .map(|l| format!("{l}\n"))
        .unwrap_or_default()
}

// ------------------------------------------------------------------------- ip neigh

/// `ip neigh get ADDR dev DEV` (iproute2 6.1 `ipneigh_get`; the kernel's `neigh_get`): the
/// entry as `ip neigh show` prints it, with its device.
fn neigh_get(k: &Kernel, ns: NsId, args: &[String]) -> R {
    let mut dev = None;
    let mut dst: Option<Ipv4Addr> = None;
    let mut i = 0;
    while i < args.len() {
        let mut w = args[i].as_str();
        if w == "dev" {
            dev = Some(next(args, &mut i, w)?);
        } else if matches(w, "proxy") {
            return Err(ToolError::not_modelled("ip neigh get proxy"));
        } else {
            if matches(w, "to") {
                w = next(args, &mut i, w)?;
            }
            let a = parse_addr_loose(w)
                .filter(|_| !w.contains('/'))
                .ok_or_else(|| {
                    bad_arg(format!(
                        "Error: any valid address is expected rather than \"{w}\".\n"
                    ))
                })?;
            if dst.is_some() {
                return Err(garbage("to", w));
            }
            dst = Some(a);
        }
        i += 1;
    }
    let (Some(name), Some(dst)) = (dev, dst) else {
        return Err(ToolError::usage(
            1,
            "Device and address are required arguments.\n",
        ));
    };
    find_dev(k, ns, name)?;
    let prefix = format!("{dst} dev {name} ");
    match show::ip_neigh_show(k, ns, None)
        .lines()
        .find(|l| l.starts_with(&prefix))
    {
        Some(l) => Ok(format!("{l}\n")),
        None => Err(ToolError::failed(2, "Error: Neighbour entry not found.\n")),
    }
}

fn ip_neigh(k: &mut Kernel, ns: NsId, args: &[String]) -> R {
    let Some(cmd) = args.first() else {
        return Ok(show::ip_neigh_show(k, ns, None));
    };
    let rest = &args[1..];
    let required = || usage("Device and destination are required arguments.\n");
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
                "lladdr" => lladdr = Some(ll_addr_a2n(next(rest, &mut i, w)?)?),
                "nud" => {
                    let v = next(rest, &mut i, w)?;
                    nud = nud_parse(v).ok_or_else(|| {
                        usage(format!(
                            "Error: argument \"{v}\" is wrong: nud state is bad\n\n"
                        ))
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
        let d = dev.ok_or_else(required)?;
        let ip = ip.ok_or_else(required)?;
        let flags = if matches(cmd, "add") {
            NLM_F_CREATE | NLM_F_EXCL
        } else if matches(cmd, "replace") {
            NLM_F_CREATE | NLM_F_REPLACE
        } else {
            NLM_F_REPLACE
        };
        let m = NeighMsg {
            ifindex: d,
            dst: ip,
            lladdr,
            state: nud,
        };
        k.rtm_newneigh(ns, &m, flags).map_err(rtnl_err)?;
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
        let d = dev.ok_or_else(required)?;
        let ip = ip.ok_or_else(required)?;
        k.rtm_delneigh(ns, d, ip).map_err(rtnl_err)?;
        Ok(String::new())
    } else if matches(cmd, "get") {
        neigh_get(k, ns, rest)
    } else if matches(cmd, "show") || matches(cmd, "list") || matches(cmd, "lst") {
        let f = neigh_filter(k, ns, rest)?;
        let text = show::ip_neigh_show(k, ns, f.dev);
        // The selectors the show function lacks, on its lines (`ADDR ... STATE `).
        Ok(text
            .lines()
            .filter(|l| {
                f.to.as_ref()
                    .is_none_or(|a| l.starts_with(&format!("{a} ")))
            })
            .filter(|l| {
                f.nud.is_none_or(|st| {
                    st == NUD_FILTER_ALL
                        || NUD_NAMES
                            .iter()
                            .any(|(b, n)| st & b != 0 && l.ends_with(&format!(" {n} ")))
                })
            })
            .map(|l| format!("{l}\n"))
            .collect())
    } else if matches(cmd, "flush") {
        let f = neigh_filter(k, ns, rest)?;
        if f.dev.is_none() && !f.all {
            return Err(ToolError::failed(1, "Flush requires arguments.\n"));
        }
        // iproute2's flush filter: by default neither permanent nor noarp.
        let states = f
            .nud
            .unwrap_or(NUD_FILTER_ALL & !u16::from(NUD_PERMANENT | NUD_NOARP));
        k.rtm_flushneigh(ns, f.dev, states);
        Ok(String::new())
    } else {
        Err(usage(format!(
            "Command \"{cmd}\" is unknown, try \"ip neigh help\".\n"
        )))
    }
}

/// `nud all`: every state, and entries in NUD_NONE (iproute2's 0x100 bit).
const NUD_FILTER_ALL: u16 = 0x1ff;

/// The state names `ip neigh` prints, by bit.
const NUD_NAMES: [(u16, &str); 8] = [
    (NUD_INCOMPLETE as u16, "INCOMPLETE"),
    (NUD_REACHABLE as u16, "REACHABLE"),
    (NUD_STALE as u16, "STALE"),
    (NUD_DELAY as u16, "DELAY"),
    (NUD_PROBE as u16, "PROBE"),
    (NUD_FAILED as u16, "FAILED"),
    (NUD_NOARP as u16, "NOARP"),
    (NUD_PERMANENT as u16, "PERMANENT"),
];

/// `ip neigh show|flush` selectors.
struct NeighFilter {
    dev: Option<IfIndex>,
    to: Option<String>,
    nud: Option<u16>,
    all: bool,
}

fn neigh_filter(k: &Kernel, ns: NsId, rest: &[String]) -> Result<NeighFilter, ToolError> {
    let mut f = NeighFilter {
        dev: None,
        to: None,
        nud: None,
        all: false,
    };
    let mut i = 0;
    while i < rest.len() {
        let w = rest[i].as_str();
        match w {
            "dev" => f.dev = Some(find_dev(k, ns, next(rest, &mut i, w)?)?),
            "all" => f.all = true,
            "nud" => {
                let v = next(rest, &mut i, w)?;
                let bits = if v == "all" {
                    NUD_FILTER_ALL
                } else {
                    let st = nud_parse(v).ok_or_else(|| {
                        usage(format!(
                            "Error: argument \"{v}\" is wrong: nud state is bad\n\n"
                        ))
                    })?;
                    if st == NUD_NONE {
                        0x100
                    } else {
                        u16::from(st)
                    }
                };
                // The first `nud` replaces the default filter, the next ones add to it.
                f.nud = Some(f.nud.map_or(bits, |b| b | bits));
            }
            "proxy" | "unused" => {
                return Err(ToolError::not_modelled(format!("ip neigh {w}")));
            }
            "to" => f.to = Some(next(rest, &mut i, w)?.to_string()),
            _ if w.parse::<Ipv4Addr>().is_ok() => f.to = Some(w.to_string()),
            _ => f.dev = Some(find_dev(k, ns, w)?),
        }
        i += 1;
    }
    Ok(f)
}

// ------------------------------------------------------------------------- ip netns

fn ip_netns(k: &mut Kernel, ns: NsId, args: &[String]) -> R {
    let Some(cmd) = args.first() else {
        return Ok(show::ip_netns_list(k));
    };
    let rest = &args[1..];
    let no_name = || ToolError::failed(1, "No netns name specified\n");
    if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        Ok(show::ip_netns_list(k))
    } else if matches(cmd, "add") {
        let name = rest.first().ok_or_else(no_name)?;
        if name.contains('/') || name == "." || name == ".." || name.is_empty() {
            // Recorded (iproute2 6.1): status 255.
            return Err(usage(format!("Invalid netns name \"{name}\"\n")));
        }
        k.rtnl_netns_add(name).map_err(|e| {
            ToolError::failed(
                1,
                format!("Cannot create namespace file \"/run/netns/{name}\": {e}\n"),
            )
        })?;
        Ok(String::new())
    } else if matches(cmd, "identify") {
        // The /var/run/netns name whose namespace is ours (none for the initial one: an
        // empty line, status 0; recorded with iproute2 6.1).
        if !rest.is_empty() {
            return Err(ToolError::not_modelled("ip netns identify PID"));
        }
        let name = k
            .netns_dump()
            .into_iter()
            .find(|n| n.named && k.netns_get_by_name(&n.name) == Some(ns))
            .map(|n| n.name)
            .unwrap_or_default();
        Ok(format!("{name}\n"))
    } else if matches(cmd, "set") || matches(cmd, "pids") || matches(cmd, "attach") {
        // nsid assignment (`set`), the processes of a namespace (`pids`) and attaching a
        // process's namespace (`attach`) are not modelled: the model's nsids are fixed.
        Err(ToolError::not_modelled(format!("ip netns {cmd}")))
    } else if matches(cmd, "delete") {
        let name = rest.first().ok_or_else(no_name)?;
        k.rtnl_netns_del(name).map_err(|e| {
            ToolError::failed(
                1,
                format!("Cannot remove namespace file \"/run/netns/{name}\": {e}\n"),
            )
        })?;
        Ok(String::new())
    } else {
        Err(usage(format!(
            "Command \"{cmd}\" is unknown, try \"ip netns help\".\n"
        )))
    }
}

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

const OBJECTS: [&str; 14] = [
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
    "vrf",
    "nexthop",
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
            "c" | "color" => {}
            "p" | "pretty" => opts.pretty = true,
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
            "j" | "json" => opts.json = true,
            _ => {
                return Err(usage(format!(
                    "Option \"{}\" is unknown, try \"ip -help\".\n",
                    args[i]
                )))
            }
        }
        i += 1;
    }
    // `ip` alone and `ip help` (any prefix; no other object starts with `h`): the usage on
    // stderr, status 255.
    let Some(obj) = args.get(i).filter(|o| !matches(o, "help")) else {
        return Err(usage(IP_USAGE));
    };
    let rest = &args[i + 1..];
    let Some(full) = OBJECTS.iter().find(|o| matches(obj, o)) else {
        // Recorded (iproute2 6.1): `ip foo` exits 1.
        return Err(ToolError::usage(
            1,
            format!("Object \"{obj}\" is unknown, try \"ip help\".\n"),
        ));
    };
    ip_fill_link_netnsids(k, ns, full, rest);
    if rest.iter().any(|a| a == "tunl0") {
        // ll_name_to_index → if_nametoindex → dev_load("tunl0") loads the ipip module.
        k.if_nametoindex_load(ns, "tunl0");
    }
    // `-j`: the JSON of `ip link` and `ip addr` (tools/show/json.rs); not yet the others'.
    if opts.json
        && !matches!(
            *full,
            "link" | "address" | "route" | "neighbor" | "neighbour"
        )
    {
        return Err(ToolError::not_modelled(format!("ip -j {full}")));
    }
    // `ip -j -d link` is checked against the devices it shows (ip_link).
    let json_details = opts.json && opts.details && !opts.stats && *full == "link";
    if opts.json
        && (opts.details || opts.stats)
        && matches!(*full, "link" | "address")
        && !json_details
    {
        // print_linkinfo's `-d` (linkinfo, the kind's data) and `-s` (stats64) members.
        return Err(ToolError::not_modelled(format!(
            "ip -j {} {full}",
            if opts.details { "-d" } else { "-s" }
        )));
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
    // `inet6_arg`: whether the command is one of `verbs` and an argument after it is an IPv6
    // address; asked only for the object it concerns (the address scans cost more than the
    // rest of a command's dispatch, and `ip link` and `ip neigh` lines have MACs, with colons).
    let inet6_arg = |verbs: [&str; 4]| {
        rest.first()
            .is_some_and(|c| verbs.iter().any(|f| matches(c, f)))
            && rest.iter().skip(1).any(|w| super::ip6::is_inet6(w))
    };
    if *full == "address" && (opts.family6 || inet6_arg(["add", "delete", "replace", "change"])) {
        return Ok(ToolOutput::ok(super::ip6::ip6_addr(k, ns, rest, &opts)?));
    }
    if *full == "route" && (opts.family6 || inet6_arg(["add", "delete", "replace", "append"])) {
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
        "route" => ip_route(k, ns, rest, &opts)?,
        "nexthop" => super::ipnexthop::ip_nexthop(k, ns, rest)?,
        "neighbor" | "neighbour" => ip_neigh(k, ns, rest, &opts)?,
        "netns" => ip_netns(k, ns, rest)?,
        "vrf" => return super::ipvrf::ip_vrf(k, ns, rest),
        o => return Err(ToolError::not_modelled(format!("ip {o}"))),
    };
    Ok(ToolOutput::ok(out))
}

/// The link messages iproute2 has the kernel fill for this command, each allocating this
/// namespace's nsid for the device's link namespace (`rtnl_fill_link_netnsid`): every device
/// named in the arguments (`ll_name_to_index` asks `RTM_GETLINK` by name), and every device
/// for a listing that dumps the links (`ip addr show`, `ip link show` but with `dev` alone,
/// which gets that one device).
fn ip_fill_link_netnsids(k: &mut Kernel, ns: NsId, obj: &str, rest: &[String]) {
    let named: Vec<_> = rest.iter().filter_map(|w| k.dev_by_name(ns, w)).collect();
    let show = rest
        .first()
        .is_none_or(|c| matches(c, "show") || matches(c, "list") || matches(c, "lst"));
    let dump = match obj {
        "address" => show,
        "link" => {
            show && !(named.len() == 1
                && rest[1..]
                    .iter()
                    .all(|w| w == "dev" || k.dev_by_name(ns, w).is_some()))
        }
        _ => false,
    };
    for d in named {
        k.rtnl_fill_link_netnsid(ns, d);
    }
    if dump {
        for d in k.net(ns).devs.clone() {
            k.rtnl_fill_link_netnsid(ns, d);
        }
    }
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

/// iproute2's `invarg`: `Error: argument "ARG" is wrong: MSG` (MSG ends in its own newline),
/// status 255.
pub(crate) fn invarg(msg: &str, arg: &str) -> ToolError {
    usage(format!("Error: argument \"{arg}\" is wrong: {msg}\n"))
}

/// `vrf NAME` of `ip link|addr show` (`ipaddr_list_flush_or_save`): a VRF's ifindex, or
/// `Not a valid VRF name` (status 255) for a missing device or one that is not a VRF.
fn vrf_arg(k: &Kernel, ns: NsId, name: &str) -> Result<IfIndex, ToolError> {
    match k.if_nametoindex(ns, name) {
        Some(i) if ipvrf_get_table(k, ns, name).is_some() => Ok(i),
        _ => Err(invarg("Not a valid VRF name\n", name)),
    }
}

/// iproute2's `ipvrf_get_table` (`name_is_vrf` + the link's `IFLA_VRF_TABLE`): the table of
/// the VRF device `name`, None when there is no such device or it is not a VRF.
pub(crate) fn ipvrf_get_table(k: &Kernel, ns: NsId, name: &str) -> Option<u32> {
    let i = k.if_nametoindex(ns, name)?;
    match k.rtnl_link_get(ns, i)?.info? {
        crate::net::rtnetlink::dump::LinkInfo::Vrf { table } => Some(table),
        _ => None,
    }
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

pub(crate) fn garbage(key: &str, w: &str) -> ToolError {
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
    let json_details_unmodelled = |k: &Kernel, dev: Option<u32>| {
        if opts.json && opts.details && !show::json::link_details_modelled(k, ns, dev) {
            Err(ToolError::not_modelled("ip -j -d link"))
        } else {
            Ok(())
        }
    };
    let Some(cmd) = args.first() else {
        json_details_unmodelled(k, None)?;
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
        let sel = link_sel(k, ns, rest, false)?;
        json_details_unmodelled(k, sel.dev)?;
        show_sel(
            k,
            ns,
            &sel,
            opts,
            show::ip_link_show,
            show::json::ip_link_json,
        )
    } else if matches(cmd, "help") {
        // `ip link help TYPE` prints the type's own usage
        if !rest.is_empty() {
            return Err(ToolError::not_modelled("ip link help TYPE"));
        }
        return Err(usage(IPLINK_USAGE));
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
        // iproute2 takes a number that names no namespace as a PID (IFLA_NET_NS_PID).
        None if v.parse::<u32>().is_ok() => Err(ToolError::not_modelled("ip link set netns PID")),
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
    ll_addr_a2n_len(v, 32)
}

/// `ll_addr_a2n` into a buffer of `len` bytes: the bytes after the first `len` are ignored.
pub(crate) fn ll_addr_a2n_len(v: &str, len: usize) -> Result<Vec<u8>, ToolError> {
    // (room for a MAC's six bytes at once, not grown from four)
    let mut out = Vec::with_capacity(len.min(8));
    for part in v.split(':').take(len) {
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

/// What `iplink_parse` collected: the request's attributes plus what nslab does not model yet
/// (reported once the whole command line parsed, as iproute2 parses everything before it talks
/// to the kernel).
#[derive(Default)]
struct LinkReq {
    /// `name NAME`
    name: Option<String>,
    /// `dev NAME` or a bare word
    dev: Option<String>,
    up: Option<bool>,
    mtu: Option<u32>,
    mac: Option<Mac>,
    netns: Option<NsId>,
    master: Option<Option<IfIndex>>,
    carrier: Option<bool>,
    /// `link DEV` (vlan/macvlan lower device)
    link: Option<String>,
    /// `type KIND`: the words after it are the kind's own options.
    kind: Option<String>,
    unmodelled: Option<String>,
}

impl LinkReq {
    fn unmodelled(&mut self, what: &str) {
        self.unmodelled
            .get_or_insert_with(|| format!("ip link {what}"));
    }

    fn attrs(&self) -> LinkAttrs {
        LinkAttrs {
            name: self.name.clone().or_else(|| self.dev.clone()),
            mtu: self.mtu,
            mac: self.mac,
            netns: self.netns,
            up: self.up.unwrap_or(false),
            // (`link DEV` is looked up by the caller: `link_ifindex`)
            link: None,
        }
    }
}

/// iproute2's `on_off`: `return on_off(...)` from `iplink_parse`, status 1.
fn on_off(what: &str, v: &str) -> Result<(), ToolError> {
    match v {
        "on" | "off" => Ok(()),
        _ => Err(bad_arg(format!(
            "Error: argument of \"{what}\" must be \"on\" or \"off\", not \"{v}\"\n"
        ))),
    }
}

/// iproute2 6.1's `iplink_parse` (ip/iplink.c), keyword by keyword in its order of checks:
/// `strcmp` where it compares exactly and `matches` (a prefix) where it abbreviates, so
/// `ip link set br up` reads `br` as `broadcast` and fails with `"up" is invalid lladdr.`
/// (status 1), `t` is `txqueuelen` (checked before `type`), `n` is `nomaster`, `d` is `dynamic`.
/// Stops after `type KIND` (the kind's options are the caller's); `*i` is left on the first
/// word not consumed.
fn iplink_parse(
    k: &Kernel,
    ns: NsId,
    args: &[String],
    i: &mut usize,
) -> Result<LinkReq, ToolError> {
    let mut r = LinkReq::default();
    let mut qlen_seen = false;
    let mut numtx_seen = false;
    let mut numrx_seen = false;
    let mut index_seen = false;
    let mut link_netnsid_seen = false;
    let invarg = |msg: &str, v: &str| usage(format!("Error: argument \"{v}\" is wrong: {msg}\n"));
    while *i < args.len() {
        let w = args[*i].as_str();
        if w == "up" {
            r.up = Some(true);
        } else if w == "down" {
            r.up = Some(false);
        } else if w == "name" {
            let n = next(args, i, w)?;
            if r.name.is_some() {
                return Err(duparg("name", n));
            }
            check_name(n)?;
            r.name = Some(n.to_string());
        } else if w == "index" {
            let v = next(args, i, w)?;
            if index_seen {
                return Err(duparg("index", v));
            }
            index_seen = true;
            if atoi(v) <= 0 {
                return Err(invarg("Invalid \"index\" value", v));
            }
            r.unmodelled("index");
        } else if matches(w, "link") {
            r.link = Some(next(args, i, w)?.to_string());
        } else if matches(w, "address") {
            r.mac = Some(parse_lladdr(next(args, i, w)?)?);
        } else if matches(w, "broadcast") || w == "brd" {
            ll_addr_a2n(next(args, i, w)?)?;
            r.unmodelled("broadcast");
        } else if matches(w, "txqueuelen") || w == "qlen" || matches(w, "txqlen") {
            let v = next(args, i, w)?;
            if qlen_seen {
                return Err(duparg("txqueuelen", v));
            }
            qlen_seen = true;
            get_integer(v).ok_or_else(|| invarg("Invalid \"txqueuelen\" value\n", v))?;
        } else if w == "mtu" {
            let v = next(args, i, w)?;
            if r.mtu.is_some() {
                return Err(duparg("mtu", v));
            }
            r.mtu = Some(parse_mtu(v)?);
        } else if matches!(w, "xdpgeneric" | "xdpdrv" | "xdpoffload" | "xdp") {
            return Err(ToolError::not_modelled(format!("ip link {w}")));
        } else if w == "netns" {
            let v = next(args, i, w)?;
            if r.netns.is_some() {
                return Err(duparg("netns", v));
            }
            r.netns = Some(parse_netns(k, v)?);
        } else if matches!(w, "multicast" | "allmulticast" | "promisc" | "arp") {
            // Flags nslab keeps no state for; their on/off is checked as iproute2 does.
            on_off(w, next(args, i, w)?)?;
            if w == "arp" && args[*i] == "off" {
                r.unmodelled("arp off");
            }
        } else if w == "trailers" {
            on_off(w, next(args, i, w)?)?;
        } else if w == "carrier" {
            let v = next(args, i, w)?;
            on_off(w, v)?;
            r.carrier = Some(v == "on");
        } else if w == "vf" {
            return Err(ToolError::not_modelled("ip link vf"));
        } else if matches(w, "master") {
            let n = next(args, i, w)?;
            // Recorded (iproute2 6.1): `ip link set v1 master nosuch` →
            // `Error: argument "nosuch" is wrong: Device does not exist` + empty line, 255.
            let b = k
                .if_nametoindex(ns, n)
                .ok_or_else(|| invarg("Device does not exist\n", n))?;
            r.master = Some(Some(b));
        } else if w == "vrf" {
            // iplink_parse: `vrf NAME` is IFLA_MASTER of a VRF.
            let n = next(args, i, w)?;
            let m = vrf_arg(k, ns, n)?;
            r.master = Some(Some(m));
        } else if matches(w, "nomaster") {
            r.master = Some(None);
        } else if matches(w, "dynamic") {
            on_off("dynamic", next(args, i, w)?)?;
        } else if matches(w, "type") {
            r.kind = Some(next(args, i, w)?.to_string());
            *i += 1;
            return Ok(r);
        } else if matches(w, "alias") {
            let v = next(args, i, w)?;
            if v.len() >= 256 {
                return Err(invarg("alias too long\n", v));
            }
            r.unmodelled("alias");
        } else if w == "group" {
            next(args, i, w)?;
            return Err(ToolError::not_modelled("ip link group"));
        } else if w == "mode" || w == "state" {
            next(args, i, w)?;
            r.unmodelled(w);
        } else if matches(w, "numtxqueues") || matches(w, "numrxqueues") {
            let seen = if matches(w, "numtxqueues") {
                &mut numtx_seen
            } else {
                &mut numrx_seen
            };
            let what = if matches(w, "numtxqueues") {
                "numtxqueues"
            } else {
                "numrxqueues"
            };
            let v = next(args, i, w)?;
            if *seen {
                return Err(duparg(what, v));
            }
            *seen = true;
            get_integer(v).ok_or_else(|| invarg(&format!("Invalid \"{what}\" value\n"), v))?;
        } else if matches(w, "addrgenmode") {
            // IPv6 address generation: IPv6 is not modelled (the labs disable it).
            next(args, i, w)?;
            r.unmodelled("addrgenmode");
        } else if matches(w, "link-netns") || matches(w, "link-netnsid") {
            let v = next(args, i, w)?;
            if link_netnsid_seen {
                return Err(duparg("link-netns/link-netnsid", v));
            }
            link_netnsid_seen = true;
            r.unmodelled("link-netns");
        } else if matches!(
            w,
            "protodown"
                | "protodown_reason"
                | "gso_max_size"
                | "gso_max_segs"
                | "gro_max_size"
                | "parentdev"
        ) {
            next(args, i, w)?;
            r.unmodelled(w);
        } else {
            if matches(w, "help") {
                return Err(ToolError::not_modelled("ip link help"));
            }
            let n = if w == "dev" { next(args, i, w)? } else { w };
            // iproute2 compares the pointers: `dev` may only repeat `name`'s word.
            if r.dev.is_some() {
                return Err(garbage("dev", n));
            }
            check_altifname(n)?;
            r.dev = Some(n.to_string());
        }
        *i += 1;
    }
    Ok(r)
}

/// iproute2's `duparg`: `Error: duplicate "KEY": "ARG" is the second value.`, status 255.
fn duparg(key: &str, arg: &str) -> ToolError {
    usage(format!(
        "Error: duplicate \"{key}\": \"{arg}\" is the second value.\n"
    ))
}

/// glibc `atoi`: leading blanks, a sign, the digits that follow; 0 for anything else.
fn atoi(s: &str) -> i64 {
    let t = s.trim_start();
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let digits: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .take(18)
        .collect();
    let v: i64 = digits.parse().unwrap_or(0);
    if neg {
        -v
    } else {
        v
    }
}

/// iproute2's `get_integer(&v, arg, 0)`: `strtol` with base 0 (`0x`, leading `0` octal), the
/// whole word, within `int`.
pub(crate) fn get_integer(s: &str) -> Option<i32> {
    let (neg, t) = match s.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let v = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if t.len() > 1 && t.starts_with('0') {
        i64::from_str_radix(&t[1..], 8).ok()?
    } else {
        t.parse::<i64>().ok()?
    };
    let v = if neg { -v } else { v };
    i32::try_from(v).ok()
}

/// iplink_parse's `link NAME`: `ll_name_to_index`, else `Cannot find device` (status 1).
fn link_ifindex(k: &Kernel, ns: NsId, name: Option<&str>) -> Result<Option<IfIndex>, ToolError> {
    let Some(n) = name else {
        return Ok(None);
    };
    k.if_nametoindex(ns, n).map(Some).ok_or_else(|| nodev(n))
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
    let req = iplink_parse(k, ns, args, &mut i)?;
    check_create_names(&req)?;
    let Some(kind) = req.kind.clone() else {
        return Err(bad_arg(
            "Not enough information: \"type\" argument is required\n",
        ));
    };
    let mut a = req.attrs();
    a.link = link_ifindex(k, ns, req.link.as_deref())?;
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
                // link_veth.c: the peer's words are another `iplink_parse`; a `type` there is
                // `duparg("type", ...)`.
                let p = iplink_parse(k, ns, args, &mut i)?;
                if p.kind.is_some() {
                    return Err(duparg("type", &args[i - 1]));
                }
                check_create_names(&p)?;
                if let Some(w) = p
                    .unmodelled
                    .clone()
                    .or(p.link.as_ref().map(|_| "ip link add ... peer link".into()))
                    .or(p.master.map(|_| "ip link add ... peer master".into()))
                {
                    return Err(ToolError::not_modelled(w));
                }
                peer = p.attrs();
            }
            LinkInfo::Veth { peer }
        }
        // `type bridge OPTIONS`: the options go to br_changelink.
        "bridge" if i < args.len() => {
            LinkInfo::BridgeOpts(super::iplink_bridge::parse_bridge_args(&args[i..])?)
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
        "gre" | "gretap" => {
            let tk = if kind == "gre" {
                crate::net::ip_tunnel::TnlKind::Gre
            } else {
                crate::net::ip_tunnel::TnlKind::Gretap
            };
            LinkInfo::Gre(super::iplink_gre::parse_gre_link_args(
                k,
                ns,
                tk,
                &args[i..],
            )?)
        }
        "erspan" => return Err(ToolError::not_modelled("link type \"erspan\"")),
        "macvlan" => LinkInfo::Macvlan(super::iplink_macvlan::parse_macvlan_args(&args[i..])?),
        "ipvlan" => LinkInfo::Ipvlan(super::iplink_ipvlan::parse_ipvlan_args(&args[i..])?),
        // Without options iproute2 sends no IFLA_INFO_DATA.
        "vlan" if i == args.len() => LinkInfo::Vlan(None),
        "vlan" => LinkInfo::Vlan(Some(super::iplink_vlan::parse_vlan_args(&args[i..])?)),
        "bond" => LinkInfo::Bond(super::iplink_bond::parse_bond_args(k, ns, &args[i..])?),
        "vrf" => LinkInfo::Vrf(super::ipvrf::parse_vrf_args(&args[i..])?),
        "team" => return Err(ToolError::not_modelled("the team driver")),
        "sit" | "tun" | "geneve" | "wireguard" => {
            return Err(ToolError::not_modelled(format!("link type \"{kind}\"")));
        }
        _ => {
            return Err(rtnl_err(RtnlError::extack(
                crate::errno::Errno::EOPNOTSUPP,
                "Unknown device type",
            )))
        }
    };
    if let Some(w) = req.unmodelled.clone() {
        return Err(ToolError::not_modelled(w));
    }
    if req.link.is_some() && !matches!(kind.as_str(), "macvlan" | "ipvlan" | "vlan") {
        return Err(ToolError::not_modelled(format!(
            "ip link add link DEV ... type {kind}"
        )));
    }
    if req.master.is_some() {
        return Err(ToolError::not_modelled("ip link add ... master"));
    }
    match k.rtm_newlink(ns, NewLinkMsg { attrs: a, info }) {
        Ok(_) => Ok(warning),
        Err(e) => {
            let mut e = rtnl_err(e);
            e.msg = format!("{warning}{}", e.msg);
            Err(e)
        }
    }
}

/// `both "name" and "dev" cannot be used when creating devices.` (iplink_parse, create).
fn check_create_names(r: &LinkReq) -> Result<(), ToolError> {
    match (&r.name, &r.dev) {
        (Some(n), Some(d)) if n != d => Err(usage(
            "both \"name\" and \"dev\" cannot be used when creating devices.\n",
        )),
        _ => Ok(()),
    }
}

fn link_set(k: &mut Kernel, ns: NsId, args: &[String]) -> R {
    let mut i = 0;
    // iproute2 parses the whole line into one request before talking to the kernel.
    let r = iplink_parse(k, ns, args, &mut i)?;
    let mut brport = None;
    let mut bropts = None;
    let mut bondopts = None;
    let mut mvopts = None;
    // `type vlan` without options sends no IFLA_INFO_DATA, which vlan_validate refuses.
    let mut vlanopts = None;
    if r.kind.as_deref() == Some("vlan") {
        vlanopts = Some(if i < args.len() {
            Some(super::iplink_vlan::parse_vlan_args(&args[i..])?)
        } else {
            None
        });
    }
    if let Some(kind) = r.kind.as_deref().filter(|&k| k != "vlan") {
        // The kind's own options go to its changelink (IFLA_INFO_DATA); with none the
        // kernel ignores the kind (recorded: `ip link set VETH type bridge` → 0).
        if i < args.len() {
            match kind {
                "bridge_slave" => {
                    brport = Some(super::bridge_link::parse_bridge_slave_args(&args[i..])?)
                }
                "bridge" => bropts = Some(super::iplink_bridge::parse_bridge_args(&args[i..])?),
                "bond" => bondopts = Some(super::iplink_bond::parse_bond_args(k, ns, &args[i..])?),
                "macvlan" => mvopts = Some(super::iplink_macvlan::parse_macvlan_args(&args[i..])?),
                _ => {
                    return Err(ToolError::not_modelled(format!(
                        "ip link set ... type {kind} options"
                    )))
                }
            }
        }
    }
    let Some(name) = r.dev.as_deref().or(r.name.as_deref()) else {
        return Err(usage(
            "Not enough information: \"dev\" argument is required.\n",
        ));
    };
    // iplink_parse looks the device up after parsing every argument.
    let ifindex = find_dev(k, ns, name)?;
    if let Some(w) = r.unmodelled.clone() {
        return Err(ToolError::not_modelled(w));
    }
    if r.link.is_some() {
        return Err(ToolError::not_modelled("ip link set ... link DEV"));
    }
    let m = SetLinkMsg {
        ifindex,
        up: r.up,
        // "Not renaming to the same name": `name` alone names the device.
        name: r.name.clone().filter(|_| r.dev.is_some()),
        mtu: r.mtu,
        mac: r.mac,
        netns: r.netns,
        master: r.master,
        carrier: r.carrier,
    };
    // rtnl_newlink on an existing device: the kind's changelink before do_setlink.
    if let Some(o) = bondopts {
        k.rtm_changelink_bond(ns, m.ifindex, &o).map_err(rtnl_err)?;
    }
    if let Some(o) = mvopts {
        k.rtm_changelink_macvlan(ns, m.ifindex, &o)
            .map_err(rtnl_err)?;
    }
    if let Some(o) = vlanopts {
        k.rtm_changelink_vlan(ns, m.ifindex, m.mac, o.as_ref())
            .map_err(rtnl_err)?;
    }
    k.rtm_setlink(ns, &m).map_err(rtnl_err)?;
    if let Some(o) = brport {
        k.rtm_setlink_brport(ns, m.ifindex, &o).map_err(rtnl_err)?;
    }
    if let Some(o) = bropts {
        k.rtm_changelink_bridge(ns, m.ifindex, &o)
            .map_err(rtnl_err)?;
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
        Ok(addr_del(k, ns, rest)?.stdout)
    } else if matches(cmd, "flush") {
        let d = dev_arg(k, ns, rest, true)?
            .ok_or_else(|| ToolError::failed(1, "Flush requires arguments.\n"))?;
        k.rtm_flushaddr(ns, d).map_err(rtnl_err)?;
        if !opts.family4 {
            k.inet6_flushaddr(ns, d).map_err(rtnl_err)?;
        }
        Ok(String::new())
    } else if matches(cmd, "help") {
        Err(usage(IP_ADDR_USAGE))
    } else if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        let sel = link_sel(k, ns, rest, true)?;
        Ok(show_sel(
            k,
            ns,
            &sel,
            opts,
            show::ip_addr_show,
            show::json::ip_addr_json,
        ))
    } else {
        Err(usage(format!(
            "Command \"{cmd}\" is unknown, try \"ip address help\".\n"
        )))
    }
}

/// The selectors of `ip link show` / `ip addr show` (`dev`, a bare name, `up`, `master DEV`,
/// `type KIND`; `ip addr` also takes and skips `scope`, `label`, `to` and the address flags).
pub(crate) fn link_sel(
    k: &Kernel,
    ns: NsId,
    rest: &[String],
    addr: bool,
) -> Result<show::LinkSel, ToolError> {
    let mut sel = show::LinkSel::default();
    let mut i = 0;
    while i < rest.len() {
        match rest[i].as_str() {
            "dev" => sel.dev = Some(show_dev(k, ns, next(rest, &mut i, "dev")?)?),
            "up" => sel.up = true,
            // iplink_filter_req: IFLA_MASTER, the kernel dumps the master's ports only.
            "master" => sel.master = Some(show_dev(k, ns, next(rest, &mut i, "master")?)?),
            // ipaddr_list_flush_or_save: `vrf NAME` is `master NAME` of a VRF.
            "vrf" => sel.master = Some(vrf_arg(k, ns, next(rest, &mut i, "vrf")?)?),
            "type" => sel.kind = Some(next(rest, &mut i, "type")?.to_string()),
            "permanent" | "primary" | "secondary" | "tentative" | "-tentative" if addr => {}
            "scope" | "label" | "to" if addr => {
                next(rest, &mut i, "")?;
            }
            n => sel.dev = Some(show_dev(k, ns, n)?),
        }
        i += 1;
    }
    Ok(sel)
}

/// A link or address show of a selection: the JSON of the whole selection, or the text of
/// each device it shows (the whole listing at once when only `dev` selects).
fn show_sel(
    k: &Kernel,
    ns: NsId,
    sel: &show::LinkSel,
    opts: &ShowOpts,
    text: fn(&Kernel, NsId, Option<IfIndex>, &ShowOpts) -> String,
    json: fn(&Kernel, NsId, &show::LinkSel, &ShowOpts) -> String,
) -> String {
    if opts.json {
        return json(k, ns, sel, opts);
    }
    if !sel.up && sel.master.is_none() && sel.kind.is_none() {
        return text(k, ns, sel.dev, opts);
    }
    show::link_sel_list(k, ns, sel)
        .into_iter()
        .map(|d| text(k, ns, Some(d), opts))
        .collect()
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
    let mut metric = None;
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        match w {
            "peer" | "remote" => peer = Some(parse_prefix(next(args, &mut i, w)?)?),
            // ipaddr_modify's checks: `broadcast`, `metric`/`priority`/`preference`,
            // `valid_lft`, `preferred_lft` and `help` by `matches` (abbreviations), the
            // rest exactly.
            _ if matches(w, "broadcast") || w == "brd" => {
                brd = Some(next(args, &mut i, w)?.to_string())
            }
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
            _ if matches(w, "metric") || matches(w, "priority") || matches(w, "preference") => {
                let v = next(args, &mut i, w)?;
                if metric.is_some() {
                    return Err(duparg("metric", v));
                }
                metric = Some(v.parse::<u32>().map_err(|_| {
                    usage(format!(
                        "Error: argument \"{v}\" is wrong: \"metric\" value is invalid\n\n"
                    ))
                })?);
            }
            _ if matches(w, "valid_lft") || matches(w, "preferred_lft") || w == "proto" => {
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
        rt_priority: metric.unwrap_or(0),
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
            // ipaddr_modify sends IFA_RT_PRIORITY; inet_rtm_deladdr does not match on it.
            _ if matches(w, "metric") || matches(w, "priority") || matches(w, "preference") => {
                let v = next(args, &mut i, w)?;
                v.parse::<u32>().map_err(|_| {
                    usage(format!(
                        "Error: argument \"{v}\" is wrong: \"metric\" value is invalid\n\n"
                    ))
                })?;
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
    let mut table_set = false;
    let mut i = 0;
    let invarg = |msg: &str, v: &str| usage(format!("Error: argument \"{v}\" is wrong: {msg}\n"));
    // iproute_modify's checks in its order: `strcmp` where it compares exactly, `matches` (an
    // abbreviation) where it does, so `d` is `dsfield`, `t` is `table`, `p` is `priority`.
    while i < args.len() {
        let w = args[i].as_str();
        if w == "src" {
            s.prefsrc = Some(parse_addr(next(args, &mut i, w)?)?);
        } else if w == "via" {
            let v = next(args, &mut i, w)?;
            let v = if v == "inet" {
                next(args, &mut i, w)?
            } else {
                v
            };
            s.gw = Some(parse_addr(v)?);
        } else if w == "nhid" {
            let v = next(args, &mut i, w)?;
            s.nhid = Some(
                get_integer(v)
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| invarg("\"id\" value is invalid\n", v))?,
            );
        } else if w == "nexthop" {
            // iproute_modify: everything from the first `nexthop` on is parse_nexthops'.
            s.mp = parse_nexthops(k, ns, &args[i..])?;
            break;
        } else if w == "as" || w == "from" || w == "expires" {
            return Err(ToolError::not_modelled(format!("route attribute \"{w}\"")));
        } else if w == "tos" || matches(w, "dsfield") {
            let v = next(args, &mut i, w)?;
            if get_integer(v).is_none_or(|t| !(0..=255).contains(&t)) {
                return Err(invarg("\"tos\" value is invalid\n", v));
            }
            return Err(ToolError::not_modelled("route attribute \"tos\""));
        } else if matches(w, "metric") || matches(w, "priority") || w == "preference" {
            let v = next(args, &mut i, w)?;
            s.priority = Some(
                v.parse()
                    .map_err(|_| invarg("\"metric\" value is invalid\n", v))?,
            );
        } else if w == "scope" {
            let v = next(args, &mut i, w)?;
            s.scope = Some(parse_scope(v).ok_or_else(|| invarg("invalid \"scope\" value\n", v))?);
        } else if let Some(name) = rtax_keyword(w) {
            let mx = s.metrics.get_or_insert_with(Default::default);
            parse_metric(mx, name, args, &mut i)?;
        } else if w == "onlink" {
            s.onlink = true;
        } else if matches(w, "protocol") {
            let v = next(args, &mut i, w)?;
            s.proto = parse_proto(v).ok_or_else(|| invarg("\"protocol\" value is invalid\n", v))?;
        } else if matches(w, "table") {
            let v = next(args, &mut i, w)?;
            s.table = parse_table(v).ok_or_else(|| invarg("\"table\" value is invalid\n", v))?;
            table_set = true;
        } else if matches(w, "vrf") {
            // iproute_modify: the VRF's table.
            let v = next(args, &mut i, w)?;
            s.table = ipvrf_get_table(k, ns, v).ok_or_else(|| invarg("Invalid VRF\n", v))?;
            table_set = true;
        } else if w == "dev" || w == "oif" {
            s.oif = Some(find_dev(k, ns, next(args, &mut i, w)?)?);
        } else if matches(w, "pref")
            || w == "encap"
            || w == "ttl-propagate"
            || matches(w, "fastopen_no_cookie")
        {
            return Err(ToolError::not_modelled(format!("route attribute \"{w}\"")));
        } else {
            let mut v = w;
            if v == "to" {
                v = next(args, &mut i, v)?;
            }
            if !v.starts_with(|c: char| c.is_ascii_digit()) {
                if let Some(t) = rtnl_rtntype_a2n(v)? {
                    v = next(args, &mut i, v)?;
                    s.rtype = t;
                }
            }
            if matches(v, "help") {
                return Err(ToolError::not_modelled("ip route help"));
            }
            if have_dst {
                return Err(garbage("to", v));
            }
            (s.dst, s.plen) = parse_dst(v)?;
            have_dst = true;
        }
        i += 1;
    }
    let local_type = s.rtype == RtnType::Local || s.rtype == RtnType::Broadcast;
    if local_type && s.table == RT_TABLE_MAIN && !table_set {
        s.table = RT_TABLE_LOCAL;
    }
    Ok((s, have_dst))
}

/// The route metric keyword `w` names (iproute_modify: `mtu`, `hoplimit`, `advmss`, `rtt`,
/// `rto_min` exactly, the others by abbreviation, in its order).
fn rtax_keyword(w: &str) -> Option<&'static str> {
    if let Some(x) = ["mtu", "hoplimit", "advmss", "rtt", "rto_min"]
        .into_iter()
        .find(|x| *x == w)
    {
        return Some(x);
    }
    [
        "reordering",
        "window",
        "cwnd",
        "initcwnd",
        "initrwnd",
        "features",
        "quickack",
        "congctl",
        "rttvar",
        "ssthresh",
        "realms",
    ]
    .into_iter()
    .find(|full| matches(w, full))
}

/// One metric of iproute_modify (`[lock] VALUE`), into `RTA_METRICS`; a value of 0 is no
/// metric (the kernel keeps none).
fn parse_metric(
    mx: &mut FibMetrics,
    name: &'static str,
    args: &[String],
    i: &mut usize,
) -> Result<(), ToolError> {
    let invarg = |msg: &str, v: &str| usage(format!("Error: argument \"{v}\" is wrong: {msg}\n"));
    let t: u16 = match name {
        "mtu" => RTAX_MTU,
        "hoplimit" => RTAX_HOPLIMIT,
        "advmss" => RTAX_ADVMSS,
        "reordering" => RTAX_REORDERING,
        "window" => RTAX_WINDOW,
        "cwnd" => RTAX_CWND,
        "initcwnd" => RTAX_INITCWND,
        "initrwnd" => RTAX_INITRWND,
        "quickack" => RTAX_QUICKACK,
        "congctl" => RTAX_CC_ALGO,
        "ssthresh" => RTAX_SSTHRESH,
        _ => {
            return Err(ToolError::not_modelled(format!(
                "route attribute \"{name}\""
            )))
        }
    };
    let mut v = next(args, i, name)?;
    if v == "lock" && name != "quickack" {
        mx.locks |= 1 << t;
        v = next(args, i, name)?;
    }
    if t == RTAX_CC_ALGO {
        mx.cc_algo = Some(v.to_string());
        return Ok(());
    }
    let msg = match name {
        "advmss" => "\"mss\" value is invalid\n".to_string(),
        "quickack" => "\"quickack\" value should be 0 or 1\n".to_string(),
        n => format!("\"{n}\" value is invalid\n"),
    };
    let val = get_unsigned(v).ok_or_else(|| invarg(&msg, v))?;
    if (t == RTAX_HOPLIMIT && val > 255) || (t == RTAX_QUICKACK && val > 1) {
        return Err(invarg(&msg, v));
    }
    // ip_metrics_convert: advmss 0 is 1; otherwise 0 is no metric.
    let val = if t == RTAX_ADVMSS && val == 0 { 1 } else { val };
    mx.vals.retain(|x| x.0 != t);
    if val != 0 {
        mx.vals.push((t, val));
        mx.vals.sort_unstable();
    }
    Ok(())
}

/// iproute2 `get_unsigned` (strtoul base 0, whole string, fits 32 bits).
fn get_unsigned(v: &str) -> Option<u32> {
    super::iprule::get_u32_base0(v)
}

/// iproute2 `parse_nexthops` / `parse_one_nh`: `nexthop [via [inet] ADDR] [dev NAME]
/// [weight 1..256] [onlink]`, repeated.
fn parse_nexthops(k: &Kernel, ns: NsId, args: &[String]) -> Result<Vec<RtNexthop>, ToolError> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if args[i] != "nexthop" {
            return Err(usage(format!(
                "Error: \"nexthop\" or end of line is expected instead of \"{}\"\n",
                args[i]
            )));
        }
        if i + 1 >= args.len() {
            return Err(usage("Error: unexpected end of line after \"nexthop\"\n"));
        }
        let mut nh = RtNexthop {
            gw: None,
            oif: None,
            weight: 1,
            onlink: false,
        };
        i += 1;
        while i < args.len() {
            let w = args[i].as_str();
            if w == "via" {
                let mut v = next(args, &mut i, w)?;
                if v == "inet" {
                    v = next(args, &mut i, w)?;
                }
                nh.gw = Some(parse_addr(v)?);
            } else if w == "dev" {
                nh.oif = Some(find_dev(k, ns, next(args, &mut i, w)?)?);
            } else if w == "weight" {
                let v = next(args, &mut i, w)?;
                nh.weight = get_unsigned(v)
                    .filter(|w| (1..=256).contains(w))
                    .ok_or_else(|| {
                        usage(format!(
                            "Error: argument \"{v}\" is wrong: \"weight\" is invalid\n\n"
                        ))
                    })?;
            } else if w == "onlink" {
                nh.onlink = true;
            } else if matches(w, "realms") || w == "encap" || w == "as" {
                return Err(ToolError::not_modelled(format!(
                    "nexthop attribute \"{w}\""
                )));
            } else {
                break;
            }
            i += 1;
        }
        out.push(nh);
    }
    Ok(out)
}

/// iproute2's `rtnl_rtntype_a2n` (ip/rtm_map.c): `local`, `nat`, `throw` exactly, the others by
/// abbreviation (`b`/`brd` broadcast, `u` unreachable — checked before `unicast` —, `bl`
/// blackhole, `p` prohibit), or a number. `Ok(None)`: not a type.
fn rtnl_rtntype_a2n(v: &str) -> Result<Option<RtnType>, ToolError> {
    let t = if v == "local" {
        RtnType::Local
    } else if matches(v, "broadcast") || v == "brd" {
        RtnType::Broadcast
    } else if v == "nat" || matches(v, "anycast") || matches(v, "multicast") {
        return Err(ToolError::not_modelled(format!("route type \"{v}\"")));
    } else if matches(v, "prohibit") {
        RtnType::Prohibit
    } else if matches(v, "unreachable") {
        RtnType::Unreachable
    } else if matches(v, "blackhole") {
        RtnType::Blackhole
    } else if matches(v, "xresolve") {
        return Err(ToolError::not_modelled(format!("route type \"{v}\"")));
    } else if matches(v, "unicast") {
        RtnType::Unicast
    } else if v == "throw" {
        RtnType::Throw
    } else {
        return Ok(None);
    };
    Ok(Some(t))
}

fn parse_dst(v: &str) -> Result<(Ipv4Addr, u8), ToolError> {
    if v == "default" || v == "all" || v == "any" {
        return Ok((Ipv4Addr::UNSPECIFIED, 0));
    }
    let (a, p, _) = parse_prefix(v)?;
    Ok((a, p))
}

fn ip_route(k: &mut Kernel, ns: NsId, args: &[String], opts: &ShowOpts) -> R {
    let Some(cmd) = args.first() else {
        return Ok(route_print(
            k,
            ns,
            TableSel::Main,
            &RouteFilter::default(),
            opts,
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
        route_show(k, ns, rest, opts)
    } else if matches(cmd, "get") {
        route_get(k, ns, rest)
    } else if matches(cmd, "flush") {
        if rest.first().is_some_and(|w| matches(w, "cache")) {
            // iproute_flush_cache: writes -1 to /proc/sys/net/ipv4/route/flush (route
            // exceptions and cached routes go).
            let _ = k.proc_sys_write(ns, &["net", "ipv4", "route", "flush"], "-1");
            return Ok(String::new());
        }
        let (m, have_dst) = parse_route_spec(k, ns, rest)?;
        k.rtm_flushroute(ns, m.table, m.oif, have_dst.then_some((m.dst, m.plen)));
        Ok(String::new())
    } else if matches(cmd, "help") {
        Err(usage(IP_ROUTE_USAGE))
    } else {
        Err(usage(format!(
            "Command \"{cmd}\" is unknown, try \"ip route help\".\n"
        )))
    }
}

/// `ip route show`'s text, or with `-j` its JSON.
fn route_print(k: &Kernel, ns: NsId, sel: TableSel, f: &RouteFilter, opts: &ShowOpts) -> String {
    if opts.json {
        show::json::ip_route_json(k, ns, sel, f, opts.pretty)
    } else {
        show::ip_route_show(k, ns, sel, f)
    }
}

fn route_show(k: &Kernel, ns: NsId, args: &[String], opts: &ShowOpts) -> R {
    let mut sel = TableSel::Main;
    let mut f = RouteFilter::default();
    let mut i = 0;
    let prefix = |v: &str| -> Result<(Ipv4Addr, u8), ToolError> {
        let (a, p) = parse_dst(v)?;
        crate::net::rtnetlink::route::fib_prefix_check(a, p).map_err(rtnl_err)?;
        Ok((a, p))
    };
    let mut cache = false;
    while i < args.len() {
        let w = args[i].as_str();
        match w {
            // iproute_list_flush_or_save: `cloned`/`cached` (RTM_F_CLONED)
            _ if matches(w, "cache") || matches(w, "cloned") => cache = true,
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
            // iproute_list_flush_or_save: the VRF's table, without local and broadcast routes.
            _ if matches(w, "vrf") => {
                let v = next(args, &mut i, w)?;
                let t = ipvrf_get_table(k, ns, v).ok_or_else(|| invarg("Invalid VRF\n", v))?;
                sel = TableSel::Id(t);
                f.no_local_bcast = true;
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
            "root" => f.root = Some(parse_dst(next(args, &mut i, w)?)?),
            "match" => f.mdst = Some(parse_dst(next(args, &mut i, w)?)?),
            "exact" => {
                let v = next(args, &mut i, w)?;
                f.prefix = Some(prefix(v)?);
            }
            _ => f.prefix = Some(prefix(w)?),
        }
        i += 1;
    }
    if cache {
        return Ok(route_show_cache(k, ns, &f, opts.oneline));
    }
    Ok(route_print(k, ns, sel, &f, opts))
}

/// `ip route list cache`: the route exceptions as `print_route` prints a cloned route.
fn route_show_cache(k: &Kernel, ns: NsId, f: &RouteFilter, oneline: bool) -> String {
    let sl = if oneline { "\\" } else { "\n" };
    let mut out = String::new();
    for c in k.fib_dump_info_fnhe(ns) {
        if f.prefix.is_some_and(|(a, l)| {
            l != 32 && u32::from(c.dst) & mask(l) != u32::from(a) || l == 32 && c.dst != a
        }) || f.dev.is_some_and(|d| d != c.oif)
        {
            continue;
        }
        let mut s = c.dst.to_string();
        if let Some(g) = c.gw {
            s += &format!(" via {g}");
        }
        if f.dev.is_none() {
            s += &format!(" dev {}", k.if_indextoname(ns, c.oif).unwrap_or_default());
        }
        if c.table != RT_TABLE_MAIN {
            s += &format!(" table {}", show::table_name(c.table));
        }
        s += " ";
        s += sl;
        s += "    cache ";
        if c.redirected {
            s += "<redirected> ";
        }
        s += &format!("expires {}sec ", c.expires_secs);
        if c.pmtu != 0 {
            s += &format!(
                "mtu {}{} ",
                if c.pmtu_locked { "lock " } else { "" },
                c.pmtu
            );
        }
        out += &s;
        out.push('\n');
    }
    out
}

/// `ip address help` (iproute2 6.1, on stderr, status 255).
/// iproute2 6.1 `ip`'s usage (recorded: `ip help 2> ip_usage.txt`).
const IP_USAGE: &str = include_str!("ip_usage.txt");

/// iproute2 6.1 `ip link`'s usage (recorded: `ip link help 2> iplink_usage.txt`).
const IPLINK_USAGE: &str = include_str!("iplink_usage.txt");

pub const IP_ADDR_USAGE: &str =
    "Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]
                                                      [ CONFFLAG-LIST ]
       ip address del IFADDR dev IFNAME [mngtmpaddr]
       ip address {save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]
                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]
       ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]
                         [ nomaster ]
                         [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]
                         [ label LABEL ] [up] [ vrf NAME ] ]
       ip address {showdump|restore}
IFADDR := PREFIX | ADDR peer PREFIX
          [ broadcast ADDR ] [ anycast ADDR ]
          [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]
SCOPE-ID := [ host | link | global | NUMBER ]
FLAG-LIST := [ FLAG-LIST ] FLAG
FLAG  := [ permanent | dynamic | secondary | primary |
           [-]tentative | [-]deprecated | [-]dadfailed | temporary |
           CONFFLAG-LIST ]
CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG
CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]
LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]
LFT := forever | SECONDS
TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |
          dsa | dummy | erspan | geneve | gre | gretap | gtp | ifb |
          ip6erspan | ip6gre | ip6gretap | ip6tnl |
          ipip | ipoib | ipvlan | ipvtap |
          macsec | macvlan | macvtap |
          netdevsim | nlmon | rmnet | sit | team | team_slave |
          vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |
          xfrm | virt_wifi }
";

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
            q.fib_match = true;
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
        } else if matches(w, "vrf") {
            // iproute_get: RTA_OIF of the VRF device.
            let v = next(args, &mut i, w)?;
            if ipvrf_get_table(k, ns, v).is_none() {
                return Err(invarg("Invalid VRF\n", v));
            }
            q.oif = Some(find_dev(k, ns, v)?);
        } else if matches(w, "connected") || matches(w, "notify") || w == "as" {
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
    // (An output route's table is main while the local table is merged into it: the
    // rtnetlink reply says so.)
    if rt.table != RT_TABLE_MAIN {
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
    } else if rt.redirected {
        s += "<redirected> ";
    }
    // RTA_CACHEINFO's rta_expires (clock_t) / USER_HZ.
    if let Some(secs) = rt.expires_secs {
        s += &format!("expires {secs}sec ");
    }
    // print_rta_metrics after the cache info.
    // rt_fill_info: the route's metrics, with an exception's path MTU as RTAX_MTU.
    let mut mx = rt.metrics.as_deref().cloned().unwrap_or_default();
    if rt.pmtu != 0 {
        mx.vals.retain(|v| v.0 != RTAX_MTU);
        mx.vals.insert(0, (RTAX_MTU, rt.pmtu));
        // fnhe_mtu_locked: learnt below min_pmtu
        if rt.pmtu_locked {
            mx.locks |= 1 << RTAX_MTU;
        } else {
            mx.locks &= !(1 << RTAX_MTU);
        }
    }
    show::print_rta_metrics(&mut s, &mx);
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
    // The matched alias's own table (a local route while the local table is merged into main:
    // its entry, printed as the lookup's table, main, without `table local`).
    show::ip_route_show_entry(
        k,
        ns,
        rt.route_table,
        prefix,
        rt.route_metric,
        &f,
        rt.table == rt.route_table,
    )
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

fn ip_neigh(k: &mut Kernel, ns: NsId, args: &[String], opts: &ShowOpts) -> R {
    let Some(cmd) = args.first() else {
        if opts.json {
            return Ok(show::json::ip_neigh_json(k, ns, None, opts.pretty));
        }
        return Ok(show::ip_neigh_show(k, ns, None));
    };
    if opts.json {
        // `-j`: the plain listing and `show dev DEV`; not yet the other selectors
        let show = matches(cmd, "show") || matches(cmd, "list") || matches(cmd, "lst");
        return match (show, &args[1..]) {
            (true, []) => Ok(show::json::ip_neigh_json(k, ns, None, opts.pretty)),
            (true, [d, name]) if d == "dev" => {
                let dev = find_dev(k, ns, name)?;
                Ok(show::json::ip_neigh_json(k, ns, Some(dev), opts.pretty))
            }
            _ => Err(ToolError::not_modelled(format!(
                "ip -j neigh {}",
                args.join(" ")
            ))),
        };
    }
    let rest = &args[1..];
    let required = || usage("Device and destination are required arguments.\n");
    if matches(cmd, "add") || matches(cmd, "replace") || matches(cmd, "change") || cmd == "chg" {
        // ipneigh_modify's checks in its order (`lladdr`, `proxy`, `extern_learn` and
        // `protocol` abbreviate; `nud` values by nud_state_a2n).
        let mut ip = None;
        let mut dev = None;
        let mut lla: Option<&str> = None;
        let mut nud = NUD_PERMANENT;
        let mut unmodelled = None;
        let mut i = 0;
        while i < rest.len() {
            let w = rest[i].as_str();
            if matches(w, "lladdr") {
                let v = next(rest, &mut i, w)?;
                if lla.is_some() {
                    return Err(duparg("lladdr", v));
                }
                lla = Some(v);
            } else if w == "nud" {
                let v = next(rest, &mut i, w)?;
                nud = nud_state_a2n(v).ok_or_else(|| {
                    usage(format!(
                        "Error: argument \"{v}\" is wrong: nud state is bad\n"
                    ))
                })?;
            } else if matches(w, "proxy") {
                next(rest, &mut i, w)?;
                return Err(ToolError::not_modelled("ip neigh ... proxy"));
            } else if w == "router" || matches(w, "extern_learn") {
                // Flags of the entry nslab does not keep.
            } else if w == "use" || w == "managed" {
                unmodelled.get_or_insert(format!("ip neigh ... {w}"));
            } else if w == "dev" {
                dev = Some(next(rest, &mut i, w)?);
            } else if matches(w, "protocol") {
                let v = next(rest, &mut i, w)?;
                parse_proto(v).ok_or_else(|| {
                    usage(format!(
                        "Error: argument \"{v}\" is wrong: \"protocol\" value is invalid\n\n"
                    ))
                })?;
                unmodelled.get_or_insert("ip neigh ... protocol".to_string());
            } else {
                let mut v = w;
                if v == "to" {
                    v = next(rest, &mut i, v)?;
                }
                if matches(v, "help") {
                    v = next(rest, &mut i, v)?;
                }
                if ip.is_some() {
                    return Err(garbage("to", v));
                }
                ip = Some(parse_addr(v)?);
            }
            i += 1;
        }
        let (Some(d), Some(ip)) = (dev, ip) else {
            return Err(required());
        };
        let lladdr = match lla {
            Some(l) if l != "null" => Some(ll_addr_a2n(l)?),
            _ => None,
        };
        let d = find_dev(k, ns, d)?;
        if let Some(w) = unmodelled {
            return Err(ToolError::not_modelled(w));
        }
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
        let states = f.nud.unwrap_or(0xff & !u16::from(NUD_NOARP));
        let text = show::ip_neigh_show_states(k, ns, f.dev, states);
        // The selectors the show function lacks, on its lines (`ADDR ... STATE `).
        Ok(text
            .lines()
            .filter(|l| {
                f.to.as_ref()
                    .is_none_or(|a| l.starts_with(&format!("{a} ")))
            })
            .filter(|l| {
                f.slaves
                    .as_ref()
                    .is_none_or(|v| v.iter().any(|n| l.contains(&format!(" dev {n} "))))
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
    /// `vrf NAME`: the names of the VRF's slaves (`filter.master`).
    slaves: Option<Vec<String>>,
    to: Option<String>,
    nud: Option<u16>,
    all: bool,
}

/// iproute2's `nud_state_a2n` (ip/ipneigh.c): `permanent`, `reachable` and `failed` abbreviate,
/// the others are exact, or a number with one bit set below 0x100.
fn nud_state_a2n(v: &str) -> Option<u8> {
    Some(if matches(v, "permanent") {
        NUD_PERMANENT
    } else if matches(v, "reachable") {
        NUD_REACHABLE
    } else if v == "noarp" {
        NUD_NOARP
    } else if v == "none" {
        NUD_NONE
    } else if v == "stale" {
        NUD_STALE
    } else if v == "incomplete" {
        NUD_INCOMPLETE
    } else if v == "delay" {
        NUD_DELAY
    } else if v == "probe" {
        NUD_PROBE
    } else if matches(v, "failed") {
        NUD_FAILED
    } else {
        let n = u32::try_from(get_integer(v)?).ok()?;
        if n >= 0x100 || n & n.wrapping_sub(1) != 0 {
            return None;
        }
        n as u8
    })
}

fn neigh_filter(k: &Kernel, ns: NsId, rest: &[String]) -> Result<NeighFilter, ToolError> {
    let mut f = NeighFilter {
        dev: None,
        slaves: None,
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
            // ipneigh: `vrf NAME` is `master NAME` of a VRF.
            "vrf" => {
                let m = vrf_arg(k, ns, next(rest, &mut i, w)?)?;
                f.slaves = Some(
                    k.rtnl_link_dump(ns)
                        .into_iter()
                        .filter(|l| l.master == Some(m))
                        .map(|l| l.name)
                        .collect(),
                );
            }
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

/// iproute2's error when the namespace file cannot be opened (`ip netns pids NAME`,
/// `ip netns identify PID`): recorded with iproute2 6.1, status 1.
fn netns_open_err() -> ToolError {
    ToolError::failed(
        1,
        "Cannot open network namespace: No such file or directory\n",
    )
}

/// The network namespace of the process PID (`/proc/PID/ns/net`) for `ip netns identify PID`.
/// PID is shown as `$!` and `ss -p` show it ([`super::sockets::pid_of`]).
fn netns_proc_of(k: &Kernel, pid: &str) -> Result<NsId, ToolError> {
    if pid.is_empty() {
        // Recorded (iproute2 6.1): status 255.
        return Err(usage("Invalid netns name \"\"\n".to_string()));
    }
    if !pid.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ToolError::failed(
            1,
            format!("Specified string '{pid}' is not a pid\n"),
        ));
    }
    // procfs takes no leading zero (name_to_int), so "0123" names no process.
    if pid.len() > 1 && pid.starts_with('0') {
        return Err(netns_open_err());
    }
    pid.parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(super::sockets::pid_of(0)))
        .and_then(|kpid| k.proc_netns(kpid))
        .ok_or_else(netns_open_err)
}

/// `ip netns help` (iproute2 6.1), printed for a bad `list-id` argument (status 255).
const IP_NETNS_USAGE: &str = "Usage:\tip netns list\n\
    \tip netns add NAME\n\
    \tip netns attach NAME PID\n\
    \tip netns set NAME NETNSID\n\
    \tip [-all] netns delete [NAME]\n\
    \tip netns identify [PID]\n\
    \tip netns pids NAME\n\
    \tip [-all] netns exec [NAME] cmd ...\n\
    \tip netns monitor\n\
    \tip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]\n\
    NETNSID := auto | POSITIVE-INT\n";

fn ip_netns(k: &mut Kernel, ns: NsId, args: &[String]) -> R {
    let Some(cmd) = args.first() else {
        return Ok(show::ip_netns_list(k, ns));
    };
    let rest = &args[1..];
    let no_name = || ToolError::failed(1, "No netns name specified\n");
    if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        Ok(show::ip_netns_list(k, ns))
    } else if matches(cmd, "list-id") {
        // netns_list_id: the RTM_GETNSID dump (ids in ascending order), each named when a
        // /run/netns file is that namespace (recorded with iproute2 6.1).
        let mut only = None;
        match rest {
            [] => {}
            [w] if w == "nsid" || w == "target-nsid" => {
                return Err(usage("Command line is not complete. Try option \"help\"\n"))
            }
            [w, v] if w == "nsid" => match get_integer(v).filter(|&n| n >= 0) {
                Some(n) if k.net(ns).netns_ids.contains(n) => only = Some(n),
                Some(_) => {
                    return Err(ToolError::failed(
                        2,
                        "Error: Peer netns reference is invalid.\n",
                    ))
                }
                None => {
                    return Err(usage(format!(
                        "Error: argument \"{v}\" is wrong: \"nsid\" value is invalid\n"
                    )))
                }
            },
            [w, ..] if w == "target-nsid" || w == "nsid" => {
                return Err(ToolError::not_modelled(format!(
                    "ip netns list-id {}",
                    rest.join(" ")
                )))
            }
            _ => return Err(usage(IP_NETNS_USAGE)),
        }
        let names = k.netns_dump();
        Ok(k.net(ns)
            .netns_ids
            .iter()
            .filter(|&(id, _)| only.is_none_or(|o| o == id))
            .map(
                |(id, peer)| match names.iter().find(|n| n.named && n.nsid == peer as i32) {
                    Some(n) => format!("nsid {id} (iproute2 netns name: {})\n", n.name),
                    None => format!("nsid {id} \n"),
                },
            )
            .collect())
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
    } else if matches(cmd, "attach") {
        // netns_attach: texts and statuses recorded with iproute2 6.1. An unnamed namespace
        // (`unshare --net`) takes the name; a second name for a named one, or the initial
        // namespace's, is not modelled.
        let [name, pid] = rest else {
            return Err(ToolError::failed(1, "No netns name and PID specified\n"));
        };
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ToolError::failed(1, format!("Invalid PID: {pid}\n")));
        }
        if k.ns_by_name(name).is_some() {
            return Err(ToolError::failed(
                1,
                format!("Cannot create namespace file \"/run/netns/{name}\": File exists\n"),
            ));
        }
        let target = netns_proc_of(k, pid).map_err(|_| {
            ToolError::failed(
                1,
                format!(
                    "Bind /proc/{pid}/ns/net -> /run/netns/{name} failed: No such file or directory\n"
                ),
            )
        })?;
        if !k.net(target).name.starts_with('/') {
            return Err(ToolError::not_modelled(
                "ip netns attach of a namespace that already has a name",
            ));
        }
        k.netns_attach_anon(target, name).map_err(|e| {
            ToolError::failed(
                1,
                format!("Cannot create namespace file \"/run/netns/{name}\": {e}\n"),
            )
        })?;
        Ok(String::new())
    } else if matches(cmd, "identify") {
        // The /var/run/netns name whose namespace is ours, or PID's (none for the initial
        // one: an empty line, status 0). Texts and statuses recorded with iproute2 6.1.
        let target = match rest {
            [] => ns,
            [pid] => netns_proc_of(k, pid)?,
            _ => return Err(ToolError::failed(1, "extra arguments specified\n")),
        };
        let name = k
            .netns_dump()
            .into_iter()
            .find(|n| n.named && k.netns_get_by_name(&n.name) == Some(target))
            .map(|n| n.name)
            .unwrap_or_default();
        Ok(format!("{name}\n"))
    } else if matches(cmd, "set") {
        // iproute2 netns_set: recorded texts and statuses (iproute2 6.1).
        let name = rest.first().ok_or_else(no_name)?;
        let id = rest
            .get(1)
            .ok_or_else(|| ToolError::failed(1, "No nsid specified\n"))?;
        let invarg = |msg: &str| usage(format!("Error: argument \"{id}\" is wrong: {msg}\n"));
        let nsid = if id == "auto" {
            -1
        } else {
            match get_integer(id) {
                None => return Err(invarg("Invalid \"netnsid\" value")),
                Some(v) if v < 0 => return Err(invarg("\"netnsid\" value should be >= 0")),
                Some(v) => v,
            }
        };
        let peer = k
            .netns_get_by_name(name)
            .filter(|_| name != "root")
            .ok_or_else(|| {
                ToolError::failed(
                    1,
                    format!(
                        "Cannot open network namespace \"{name}\": No such file or directory\n"
                    ),
                )
            })?;
        k.rtnl_net_newid(ns, peer, nsid).map_err(rtnl_err)?;
        Ok(String::new())
    } else if matches(cmd, "pids") {
        // iproute2 netns_pids: the processes whose network namespace is NAME's, in /proc
        // order (ascending pid), the pids as the shell's `$!` and `ss -p` show them.
        let name = match rest {
            [] => return Err(no_name()),
            [name] => name,
            _ => return Err(ToolError::failed(1, "extra arguments specified\n")),
        };
        if name.contains('/') || name == "." || name == ".." || name.is_empty() {
            return Err(usage(format!("Invalid netns name \"{name}\"\n")));
        }
        let target = k.netns_get_by_name(name).ok_or_else(netns_open_err)?;
        Ok(k.netns_pids(target)
            .into_iter()
            .map(|pid| format!("{}\n", super::sockets::pid_of(pid)))
            .collect())
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

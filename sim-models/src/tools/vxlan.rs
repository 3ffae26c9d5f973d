//! The VXLAN parts of the tools: `ip link add NAME type vxlan ...` (iproute2
//! `ip/iplink_vxlan.c` `vxlan_parse_opt`, then the kernel's `vxlan_newlink` checks) and
//! `bridge fdb add|append|replace|del` on a VXLAN device (`bridge/fdb.c` `fdb_modify`, then
//! `vxlan_fdb_add` / `vxlan_fdb_delete`).

use super::ip::{matches, rtnl_err, usage};
use super::{ToolError, ToolOutput};
use crate::kernel::{Kernel, NsId};
use crate::net::neigh::{NUD_NOARP, NUD_PERMANENT, NUD_REACHABLE};
use crate::net::rtnetlink::neigh::FdbMsg;
use crate::net::rtnetlink::route::{NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use crate::net::rtnetlink::IfIndex;
use crate::net::vxlan::*;
use crate::wire::*;
use std::net::Ipv4Addr;

/// The usage text `explain()` prints after a bad option.
const VXLAN_USAGE: &str = "Usage: ... vxlan id VNI
\t\t[ { group | remote } IP_ADDRESS ]
\t\t[ local ADDR ]
\t\t[ ttl TTL ]
\t\t[ tos TOS ]
\t\t[ df DF ]
\t\t[ flowlabel LABEL ]
\t\t[ dev PHYS_DEV ]
\t\t[ dstport PORT ]
\t\t[ srcport MIN MAX ]
\t\t[ [no]learning ]
\t\t[ [no]proxy ]
\t\t[ [no]rsc ]
\t\t[ [no]l2miss ]
\t\t[ [no]l3miss ]
\t\t[ ageing SECONDS ]
\t\t[ maxaddress NUMBER ]
\t\t[ [no]udpcsum ]
\t\t[ [no]udp6zerocsumtx ]
\t\t[ [no]udp6zerocsumrx ]
\t\t[ [no]remcsumtx ] [ [no]remcsumrx ]
\t\t[ [no]external ] [ gbp ] [ gpe ]
\t\t[ [no]vnifilter ]

Where:\tVNI\t:= 0-16777215
\tADDR\t:= { IP_ADDRESS | any }
\tTOS\t:= { NUMBER | inherit }
\tTTL\t:= { 1..255 | auto | inherit }
\tDF\t:= { unset | set | inherit }
\tLABEL := 0-1048575
";

/// iproute2's `invarg`: status 255.
fn invarg(msg: &str, arg: &str) -> ToolError {
    usage(format!("Error: argument \"{arg}\" is wrong: {msg}\n"))
}

/// An error of `vxlan_parse_opt` itself (`fprintf` + `return -1`): status 1.
fn vxlan_err(msg: impl Into<String>) -> ToolError {
    ToolError::usage(1, msg)
}

fn get_u32(s: &str) -> Option<u32> {
    // get_u32(..., 0): strtoul with base 0 (0x.. hex, 0.. octal).
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        u32::from_str_radix(h, 16).ok()
    } else if s.len() > 1 && s.starts_with('0') {
        u32::from_str_radix(&s[1..], 8).ok()
    } else {
        s.parse().ok()
    }
}

/// What `ip link add ... type vxlan` was given, after iproute2's checks.
pub struct VxlanArgs {
    /// The configuration; its `link` stays unset, the underlay is `link`.
    pub cfg: Vxlan,
    /// `dev PHYS_DEV` (`IFLA_VXLAN_LINK`).
    pub link: Option<IfIndex>,
    /// iproute2's warning when `dstport` is missing.
    pub warning: String,
}

/// `vxlan_parse_opt`: the words after `type vxlan`. Errors carry iproute2's text.
pub fn parse_vxlan_args(k: &Kernel, ns: NsId, args: &[String]) -> Result<VxlanArgs, ToolError> {
    let mut v = Vxlan::new(0);
    let mut link = None;
    let mut id_set = false;
    let mut port_set = false;
    let mut seen: Vec<&str> = Vec::new();
    let mut i = 0;
    let dup = |seen: &mut Vec<&'static str>, key: &'static str, arg: &str| {
        if seen.contains(&key) {
            return Err(usage(format!(
                "Error: either \"{key}\" is duplicate, or \"{arg}\" is a garbage.\n"
            )));
        }
        seen.push(key);
        Ok(())
    };
    let next = |i: &mut usize| super::ip::next(args, i, "");
    while i < args.len() {
        let w = args[i].as_str();
        if matches(w, "id") || matches(w, "vni") {
            let a = next(&mut i)?;
            dup(&mut seen, "id", a)?;
            v.vni = get_u32(a)
                .filter(|&n| n < 1 << 24)
                .ok_or_else(|| invarg("invalid id", a))?;
            id_set = true;
        } else if matches(w, "group") || matches(w, "remote") {
            let group = matches(w, "group");
            if !v.remote.is_unspecified() && v.remote.is_multicast() != group {
                return Err(vxlan_err(
                    "vxlan: both group and remote cannot be specified\n",
                ));
            }
            let a = next(&mut i)?;
            dup(&mut seen, "group", a)?;
            let ip: Ipv4Addr = a.parse().map_err(|_| {
                if group {
                    invarg("invalid group address", a)
                } else {
                    invarg("invalid remote address", a)
                }
            })?;
            if ip.is_multicast() != group {
                return Err(invarg(
                    if group {
                        "invalid group address"
                    } else {
                        "invalid remote address"
                    },
                    a,
                ));
            }
            v.remote = ip;
        } else if matches(w, "local") {
            let a = next(&mut i)?;
            dup(&mut seen, "local", a)?;
            let ip: Ipv4Addr = if a == "any" {
                Ipv4Addr::UNSPECIFIED
            } else {
                a.parse().map_err(|_| invarg("invalid local address", a))?
            };
            if ip.is_multicast() {
                return Err(invarg("invalid local address", a));
            }
            v.local = ip;
        } else if matches(w, "dev") {
            let a = next(&mut i)?;
            dup(&mut seen, "dev", a)?;
            // Recorded (iproute2 6.1): `Cannot find device "nosuch"` here exits 255.
            link = Some(
                k.if_nametoindex(ns, a)
                    .ok_or_else(|| usage(format!("Cannot find device \"{a}\"\n")))?,
            );
        } else if matches(w, "ttl") || matches(w, "hoplimit") {
            let a = next(&mut i)?;
            dup(&mut seen, "ttl", a)?;
            v.ttl = match a {
                "auto" => 0,
                "inherit" => {
                    return Err(ToolError::not_modelled("vxlan \"ttl inherit\""));
                }
                _ => {
                    let n = get_u32(a).ok_or_else(|| invarg("invalid TTL", a))?;
                    if n > 255 {
                        return Err(invarg("TTL must be <= 255", a));
                    }
                    n as u8
                }
            };
        } else if matches(w, "tos") || matches(w, "dsfield") {
            let a = next(&mut i)?;
            dup(&mut seen, "tos", a)?;
            v.tos = if a == "inherit" {
                1
            } else {
                get_u32(a)
                    .filter(|&n| n <= 255)
                    .ok_or_else(|| invarg("bad TOS value", a))? as u8
            };
        } else if matches(w, "ageing") {
            let a = next(&mut i)?;
            dup(&mut seen, "ageing", a)?;
            v.ageing = if a == "none" {
                0
            } else {
                get_u32(a).ok_or_else(|| invarg("ageing timer", a))?
            };
        } else if matches(w, "port") || matches(w, "srcport") {
            let a = next(&mut i)?;
            dup(&mut seen, "srcport", a)?;
            let lo = get_u32(a)
                .filter(|&n| n <= 0xffff)
                .ok_or_else(|| invarg("min port", a))?;
            let b = next(&mut i)?;
            let hi = get_u32(b)
                .filter(|&n| n <= 0xffff)
                .ok_or_else(|| invarg("max port", b))?;
            v.port_min = lo as u16;
            v.port_max = hi as u16;
        } else if matches(w, "dstport") {
            let a = next(&mut i)?;
            dup(&mut seen, "dstport", a)?;
            let p = get_u32(a)
                .filter(|&n| n <= 0xffff)
                .ok_or_else(|| invarg("dst port", a))?;
            v.dstport = if p == 0 { VXLAN_DEFAULT_PORT } else { p as u16 };
            port_set = true;
        } else if matches(w, "df") {
            let a = next(&mut i)?;
            dup(&mut seen, "df", a)?;
            v.df = match a {
                "unset" => VXLAN_DF_UNSET,
                "set" => VXLAN_DF_SET,
                "inherit" => VXLAN_DF_INHERIT,
                _ => return Err(invarg("DF must be 'unset', 'set' or 'inherit'", a)),
            };
        } else if matches(w, "nolearning") {
            dup(&mut seen, "learning", w)?;
            v.learning = false;
        } else if matches(w, "learning") {
            dup(&mut seen, "learning", w)?;
            v.learning = true;
        } else if matches(w, "udpcsum") {
            dup(&mut seen, "udpcsum", w)?;
            v.udp_csum = true;
        } else if matches(w, "noudpcsum") {
            dup(&mut seen, "udpcsum", w)?;
            v.udp_csum = false;
        } else if ["noproxy", "norsc", "nol2miss", "nol3miss", "noexternal"].contains(&w)
            || ["udp6zerocsumtx", "noudp6zerocsumtx", "udp6zerocsumrx"].contains(&w)
            || ["noudp6zerocsumrx", "noremcsumtx", "noremcsumrx"].contains(&w)
        {
            // The defaults (or IPv6-only knobs): nothing changes for an IPv4 VXLAN.
        } else if matches(w, "help") {
            return Err(vxlan_err(VXLAN_USAGE));
        } else if [
            "proxy",
            "rsc",
            "l2miss",
            "l3miss",
            "external",
            "gbp",
            "gpe",
            "remcsumtx",
            "remcsumrx",
            "flowlabel",
            "label",
            "maxaddress",
        ]
        .contains(&w)
        {
            return Err(ToolError::not_modelled(format!("vxlan option \"{w}\"")));
        } else {
            return Err(vxlan_err(format!(
                "vxlan: unknown command \"{w}\"?\n{VXLAN_USAGE}"
            )));
        }
        i += 1;
    }
    if !id_set {
        return Err(vxlan_err("vxlan: missing virtual network identifier\n"));
    }
    if v.remote.is_multicast() && link.is_none() {
        return Err(vxlan_err("vxlan: 'group' requires 'dev' to be specified\n"));
    }
    let warning = if port_set {
        String::new()
    } else {
        "vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\nUse 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n".to_string()
    };
    Ok(VxlanArgs {
        cfg: v,
        link,
        warning,
    })
}

/// `bridge fdb add|append|replace|del|delete` (`fdb_modify`). Every failure of `bridge`
/// exits 255 (recorded, iproute2 6.1: `Cannot find device`, `Invalid mac address`, `RTNETLINK
/// answers: File exists`).
pub fn bridge_fdb_modify(k: &mut Kernel, ns: NsId, cmd: &str, args: &[String]) -> ToolOutput {
    match fdb_modify(k, ns, cmd, args) {
        Ok(()) => ToolOutput::ok(String::new()),
        Err(e) => e.into(),
    }
}

fn fdb_modify(k: &mut Kernel, ns: NsId, cmd: &str, args: &[String]) -> Result<(), ToolError> {
    let mut dev = None;
    let mut addr: Option<&str> = None;
    let mut dst: Option<Ipv4Addr> = None;
    let mut port = 0u16;
    let mut vni = None;
    let mut via = 0u32;
    // iproute2 starts from NUD_NOARP: `static` is NOARP|REACHABLE, `dynamic` REACHABLE.
    let mut state = NUD_NOARP;
    let mut master = false;
    let mut sticky = false;
    let mut i = 0;
    let next = |i: &mut usize| super::ip::next(args, i, "");
    while i < args.len() {
        let w = args[i].as_str();
        match w {
            "dev" => dev = Some(next(&mut i)?),
            "dst" => {
                let a = next(&mut i)?;
                if dst.is_some() {
                    return Err(usage(format!(
                        "Error: either \"dst\" is duplicate, or \"{a}\" is a garbage.\n"
                    )));
                }
                dst = Some(a.parse().map_err(|_| {
                    usage(format!(
                        "Error: any valid prefix is expected rather than \"{a}\".\n"
                    ))
                })?);
            }
            "port" => {
                let a = next(&mut i)?;
                port = get_u32(a)
                    .filter(|&n| n <= 0xffff)
                    .ok_or_else(|| invarg("invalid port\n", a))? as u16;
            }
            "vni" => {
                let a = next(&mut i)?;
                vni = Some(
                    get_u32(a)
                        .filter(|&n| n < 1 << 24)
                        .ok_or_else(|| invarg("invalid VNI\n", a))?,
                );
            }
            "via" => {
                let a = next(&mut i)?;
                via = k
                    .if_nametoindex(ns, a)
                    .ok_or_else(|| usage(format!("Cannot find device \"{a}\"\n")))?;
            }
            "self" => {}
            _ if matches(w, "master") => master = true,
            _ if matches(w, "sticky") => sticky = true,
            _ if matches(w, "router") || matches(w, "use") => {}
            _ if matches(w, "local") || matches(w, "permanent") => state |= NUD_PERMANENT,
            _ if matches(w, "temp") || matches(w, "static") => state |= NUD_REACHABLE,
            _ if matches(w, "dynamic") => {
                state |= NUD_REACHABLE;
                state &= !NUD_NOARP;
            }
            _ if matches(w, "vlan") || matches(w, "src_vni") || matches(w, "nhid") => {
                return Err(ToolError::not_modelled(format!(
                    "bridge fdb option \"{w}\""
                )));
            }
            _ => {
                let a = if w == "to" { next(&mut i)? } else { w };
                if addr.is_some() {
                    return Err(usage(format!(
                        "Error: either \"to\" is duplicate, or \"{a}\" is a garbage.\n"
                    )));
                }
                addr = Some(a);
            }
        }
        i += 1;
    }
    let (Some(dname), Some(addr)) = (dev, addr) else {
        return Err(usage("Device and address are required arguments.\n"));
    };
    if state & (NUD_PERMANENT | NUD_REACHABLE) == 0 {
        state |= NUD_PERMANENT;
    }
    let Some(mac) = parse_mac(addr) else {
        return Err(usage(format!("Invalid mac address {addr}\n")));
    };
    let Some(d) = k.if_nametoindex(ns, dname) else {
        return Err(usage(format!("Cannot find device \"{dname}\"\n")));
    };
    let m = FdbMsg {
        ifindex: d,
        mac,
        dst,
        port,
        vni,
        via,
        state,
        master,
        sticky,
    };
    let r = match cmd {
        "del" | "delete" => k.rtm_delneigh_fdb(ns, &m),
        "add" => k.rtm_newneigh_fdb(ns, &m, NLM_F_CREATE | NLM_F_EXCL),
        "append" => k.rtm_newneigh_fdb(ns, &m, NLM_F_CREATE | NLM_F_APPEND),
        _ => k.rtm_newneigh_fdb(ns, &m, NLM_F_CREATE | NLM_F_REPLACE),
    };
    r.map_err(|e| {
        let mut t = rtnl_err(e);
        if t.kind != super::ErrorKind::NotModelled {
            t.status = 255;
        }
        t
    })
}

//! The VXLAN parts of the tools: `ip link add NAME type vxlan ...` (iproute2
//! `ip/iplink_vxlan.c` `vxlan_parse_opt`, then the kernel's `vxlan_newlink` checks) and
//! `bridge fdb add|append|replace|del` on a VXLAN device (`bridge/fdb.c` `fdb_modify`, then
//! `vxlan_fdb_add` / `vxlan_fdb_delete`).

use super::ip::{find_dev, matches};
use super::ToolOutput;
use crate::kernel::{DevKind, Kernel, NsId};
use crate::net::neigh::{NUD_NOARP, NUD_PERMANENT, NUD_REACHABLE};
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

fn invarg(msg: &str, arg: &str) -> String {
    format!("Error: argument \"{arg}\" is wrong: {msg}\n")
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
    pub cfg: Vxlan,
    /// iproute2's warning when `dstport` is missing.
    pub warning: String,
}

/// `vxlan_parse_opt`: the words after `type vxlan`. Errors carry iproute2's text.
pub fn parse_vxlan_args(k: &Kernel, ns: NsId, args: &[String]) -> Result<VxlanArgs, String> {
    let mut v = Vxlan::new(0);
    let mut id_set = false;
    let mut port_set = false;
    let mut seen: Vec<&str> = Vec::new();
    let mut i = 0;
    let dup = |seen: &mut Vec<&'static str>, key: &'static str, arg: &str| {
        if seen.contains(&key) {
            return Err(format!(
                "Error: either \"{key}\" is duplicate, or \"{arg}\" is a garbage.\n"
            ));
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
                return Err("vxlan: both group and remote cannot be specified\n".into());
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
            v.link = Some(find_dev(k, ns, a)?);
        } else if matches(w, "ttl") || matches(w, "hoplimit") {
            let a = next(&mut i)?;
            dup(&mut seen, "ttl", a)?;
            v.ttl = match a {
                "auto" => 0,
                "inherit" => {
                    return Err("nslab: vxlan \"ttl inherit\" is not supported\n".into());
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
            return Err(VXLAN_USAGE.to_string());
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
            "df",
            "flowlabel",
            "label",
            "maxaddress",
        ]
        .contains(&w)
        {
            return Err(format!("nslab: vxlan option \"{w}\" is not supported\n"));
        } else {
            return Err(format!("vxlan: unknown command \"{w}\"?\n{VXLAN_USAGE}"));
        }
        i += 1;
    }
    if !id_set {
        return Err("vxlan: missing virtual network identifier\n".into());
    }
    if v.remote.is_multicast() && v.link.is_none() {
        return Err("vxlan: 'group' requires 'dev' to be specified\n".into());
    }
    let warning = if port_set {
        String::new()
    } else {
        "vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\nUse 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n".to_string()
    };
    Ok(VxlanArgs { cfg: v, warning })
}

/// `vxlan_newlink`: the kernel's checks, then the device (random MAC, MTU from the underlay),
/// and the all-zeros default entry when `remote`/`group` was given. Returns the warning text.
pub fn vxlan_newlink(
    k: &mut Kernel,
    ns: NsId,
    name: &str,
    mtu: Option<u32>,
    mac: Option<Mac>,
    a: VxlanArgs,
) -> Result<(DevId, String), String> {
    let v = a.cfg;
    // vxlan_config_validate: one device per (VNI, port) in a namespace.
    let clash = k.net(ns).devs.iter().any(|&d| match &k.dev(d).kind {
        DevKind::Vxlan(o) => o.vni == v.vni && o.dstport == v.dstport,
        _ => false,
    });
    if clash {
        return Err(format!(
            "{}Error: A VXLAN device with the specified VNI already exists.\n",
            a.warning
        ));
    }
    // vxlan_config_apply: MTU = underlay MTU - VXLAN_HEADROOM (at least 68), else 1500.
    let max_mtu = v.link.map_or(65535, |l| {
        k.dev(l).mtu.saturating_sub(VXLAN_HEADROOM).max(68)
    });
    // A requested MTU is checked against the device limits (`dev_validate_mtu`), then
    // clamped to what the underlay allows.
    let mtu = match mtu {
        Some(m) if m < 68 => {
            return Err(format!(
                "{}Error: MTU must be between 68 and 65535.\n",
                a.warning
            ))
        }
        Some(m) => m.min(max_mtu),
        None if v.link.is_some() => max_mtu,
        None => 1500,
    };
    let mac_given = mac.is_some();
    let mac = mac.unwrap_or_else(|| k.rng.eth_random_addr());
    let remote = v.remote;
    let link_ifindex = v.link.map_or(0, |l| k.dev(l).ifindex);
    let d = k.dev_create(ns, name, DevKind::Vxlan(Box::new(v)), mac, mtu);
    k.dev_mut(d).mac_set = mac_given;
    if !remote.is_unspecified() {
        let rd = VxlanRdst {
            ip: remote,
            port: 0,
            vni: None,
            ifindex: link_ifindex,
        };
        let _ = k.vxlan_fdb_add(d, ETH_ZERO, rd, NUD_REACHABLE | NUD_PERMANENT, FdbOp::Add);
    }
    Ok((d, a.warning))
}

use crate::kernel::DevId;

/// Whether `ip link ARGS` is `add ... type vxlan ...`.
pub fn is_vxlan_add(args: &[String]) -> bool {
    args.first().is_some_and(|a| matches(a, "add"))
        && args.windows(2).any(|w| w[0] == "type" && w[1] == "vxlan")
}

/// The exit status iproute2 gives each outcome of `ip link add ... type vxlan`: option errors
/// from `vxlan_parse_opt` 1, `invarg`/`duparg`/`nodev` exits 255, kernel errors 2; the dstport
/// warning goes to stderr with status 0.
pub fn with_status(r: Result<String, String>) -> ToolOutput {
    match r {
        Ok(s) => ToolOutput {
            stdout: String::new(),
            stderr: s,
            status: 0,
            not_modelled: None,
        },
        Err(e) => {
            let last = e
                .lines()
                .rfind(|l| !l.starts_with("Use '") && !l.starts_with("Will use"));
            let first = e.lines().next().unwrap_or("");
            let status = if first.starts_with("vxlan: ") && !first.starts_with("vxlan: destination")
            {
                1
            } else if e.starts_with("Error: argument")
                || e.starts_with("Error: either")
                || e.starts_with("Cannot find device")
                || e.starts_with("Command line is not complete")
            {
                255
            } else if last.is_some_and(|l| l.starts_with("nslab: ")) {
                1
            } else {
                2
            };
            ToolOutput {
                stdout: String::new(),
                stderr: e,
                status,
                not_modelled: None,
            }
        }
    }
}

/// `bridge fdb add|append|replace|del|delete` (`fdb_modify`).
pub fn bridge_fdb_modify(k: &mut Kernel, ns: NsId, cmd: &str, args: &[String]) -> ToolOutput {
    let fail = |msg: String| ToolOutput::err(msg, 255);
    let mut dev = None;
    let mut addr: Option<&str> = None;
    let mut dst: Option<Ipv4Addr> = None;
    let mut port = 0u16;
    let mut vni = None;
    let mut via = 0u32;
    let mut state = 0u8;
    let mut master = false;
    let mut i = 0;
    let next = |i: &mut usize| super::ip::next(args, i, "");
    while i < args.len() {
        let w = args[i].as_str();
        let r: Result<(), String> = (|| {
            match w {
                "dev" => dev = Some(next(&mut i)?),
                "dst" => {
                    let a = next(&mut i)?;
                    if dst.is_some() {
                        return Err(format!(
                            "Error: either \"dst\" is duplicate, or \"{a}\" is a garbage.\n"
                        ));
                    }
                    dst = Some(a.parse().map_err(|_| {
                        format!("Error: any valid prefix is expected rather than \"{a}\".\n")
                    })?);
                }
                "port" => {
                    let a = next(&mut i)?;
                    port = get_u32(a)
                        .filter(|&n| n <= 0xffff)
                        .ok_or_else(|| invarg("invalid port\n", a))?
                        as u16;
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
                        .dev_by_name(ns, a)
                        .map(|d| k.dev(d).ifindex)
                        .ok_or_else(|| format!("Cannot find device \"{a}\"\n"))?;
                }
                "self" => {}
                _ if matches(w, "master") => master = true,
                _ if matches(w, "router") || matches(w, "use") => {}
                _ if matches(w, "local") || matches(w, "permanent") => state |= NUD_PERMANENT,
                _ if matches(w, "temp") || matches(w, "static") => state |= NUD_REACHABLE,
                _ if matches(w, "dynamic") => {
                    state |= NUD_REACHABLE;
                    state &= !NUD_NOARP;
                }
                _ if matches(w, "vlan") || matches(w, "src_vni") || matches(w, "nhid") => {
                    return Err(format!(
                        "nslab: bridge fdb option \"{w}\" is not supported\n"
                    ));
                }
                _ => {
                    let a = if w == "to" { next(&mut i)? } else { w };
                    if addr.is_some() {
                        return Err(format!(
                            "Error: either \"to\" is duplicate, or \"{a}\" is a garbage.\n"
                        ));
                    }
                    addr = Some(a);
                }
            }
            Ok(())
        })();
        if let Err(e) = r {
            return fail(e);
        }
        i += 1;
    }
    let (Some(dname), Some(addr)) = (dev, addr) else {
        return fail("Device and address are required arguments.\n".into());
    };
    if state & (NUD_PERMANENT | NUD_REACHABLE) == 0 {
        state |= NUD_PERMANENT;
    }
    let Some(mac) = parse_mac(addr) else {
        return fail(format!("Invalid mac address {addr}\n"));
    };
    let Some(d) = k.dev_by_name(ns, dname) else {
        return fail(format!("Cannot find device \"{dname}\"\n"));
    };
    let is_del = cmd == "del" || cmd == "delete";
    let is_vxlan = matches!(k.dev(d).kind, DevKind::Vxlan(_));
    let brport = k.dev(d).master.is_some_and(|m| k.is_bridge(m));
    if master && !brport && !k.is_bridge(d) {
        // rtnl_fdb_add/del: neither the master's nor the device's own handler ran.
        return fail("RTNETLINK answers: Operation not supported\n".into());
    }
    if master || k.is_bridge(d) {
        return fail(format!(
            "nslab: bridge fdb {cmd} on a bridge or with \"master\" is not modelled yet\n"
        ));
    }
    if !is_vxlan {
        // ndo_dflt_fdb_add/del: the device's unicast address list; `dst` and the like are
        // ignored, only permanent entries exist.
        if mac_is_multicast(&mac) {
            return fail(format!(
                "nslab: bridge fdb {cmd} of a multicast address is not modelled yet\n"
            ));
        }
        let have = k.dev(d).uc.contains(&mac);
        if is_del {
            if !have {
                return fail("RTNETLINK answers: No such file or directory\n".into());
            }
            k.dev_mut(d).uc.retain(|m| *m != mac);
            return ToolOutput::ok(String::new());
        }
        if state & NUD_PERMANENT == 0 {
            return fail("RTNETLINK answers: Invalid argument\n".into());
        }
        if have {
            return if cmd == "add" {
                fail("RTNETLINK answers: File exists\n".into())
            } else {
                ToolOutput::ok(String::new())
            };
        }
        k.dev_mut(d).uc.push(mac);
        return ToolOutput::ok(String::new());
    }
    let r = if is_del {
        k.vxlan_fdb_del(d, mac, dst)
    } else {
        let op = match cmd {
            "add" => FdbOp::Add,
            "append" => FdbOp::Append,
            _ => FdbOp::Replace,
        };
        let rd = VxlanRdst {
            ip: dst.unwrap_or(Ipv4Addr::UNSPECIFIED),
            port,
            vni,
            ifindex: via,
        };
        k.vxlan_fdb_add(d, mac, rd, state, op)
    };
    match r {
        Ok(()) => ToolOutput::ok(String::new()),
        Err(e) => fail(e.text().to_string()),
    }
}

//! `ip tunnel` (iproute2 `ip/iptunnel.c`, the SIOC*TUNNEL ioctls) for ipip and GRE tunnels,
//! and `ip link add ... type ipip` (`ip/link_iptnl.c`, netlink). SIT and VTI modes are not
//! modelled and say so.

use super::ip::{check_name, matches, next, nodev, parse_addr, usage};
use super::show;
use super::{ToolError, ToolOutput};
use crate::errno::Errno;
use crate::kernel::{Kernel, NsId};
use crate::net::ip_gre::IPPROTO_GRE;
use crate::net::ip_tunnel::{gre_flags_to_tnl_flags, TnlKind, GRE_CSUM, GRE_KEY, GRE_SEQ};
use crate::net::ipip::TunnelParms;
use crate::wire::IPPROTO_IPIP;
use std::net::Ipv4Addr;

fn out(stdout: String) -> ToolOutput {
    ToolOutput {
        stdout,
        stderr: String::new(),
        status: 0,
        not_modelled: None,
    }
}

fn fail(msg: String, status: i32) -> ToolOutput {
    ToolOutput {
        stdout: String::new(),
        stderr: msg,
        status,
        not_modelled: None,
    }
}

/// What `parse_args` collected (`struct ip_tunnel_parm` plus the name and the `dev` name).
struct Parsed {
    name: String,
    parms: TunnelParms,
    /// `iph.protocol` as given (0 = not given).
    proto: u8,
    other_mode: Option<String>,
}

/// iproute2 `get_addr32`: a dotted quad or `any`.
fn get_addr32(s: &str) -> Result<Ipv4Addr, ToolOutput> {
    if s == "any" {
        return Ok(Ipv4Addr::UNSPECIFIED);
    }
    s.parse().map_err(|_| {
        fail(
            format!("Error: an IP address is expected rather than \"{s}\"\n"),
            1,
        )
    })
}

fn nxt<'a>(args: &'a [String], i: &mut usize) -> Result<&'a str, ToolOutput> {
    next(args, i, "").map_err(ToolOutput::from)
}

/// `parse_args` of `ip/iptunnel.c`.
fn parse_args(k: &Kernel, ns: NsId, args: &[String], change: bool) -> Result<Parsed, ToolOutput> {
    let mut p = Parsed {
        name: String::new(),
        parms: TunnelParms {
            proto: 0,
            ..TunnelParms::new()
        },
        proto: 0,
        other_mode: None,
    };
    let mut medium: Option<String> = None;
    let (mut iflags, mut oflags) = (0u16, 0u16);
    let mut count = 0;
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        match w {
            "mode" => {
                let m = nxt(args, &mut i)?;
                let proto = match m {
                    "ipip" | "ip/ip" => IPPROTO_IPIP,
                    "gre" | "gre/ip" => IPPROTO_GRE,
                    "sit" | "ipv6/ip" | "isatap" | "vti" => {
                        p.other_mode = Some(m.to_string());
                        255
                    }
                    _ => return Err(fail(format!("Unknown tunnel mode \"{m}\"\n"), 255)),
                };
                if p.proto != 0 && p.proto != proto {
                    return Err(fail(
                        "You managed to ask for more than one tunnel mode.\n".into(),
                        255,
                    ));
                }
                p.proto = proto;
            }
            "key" | "ikey" | "okey" => {
                let v = nxt(args, &mut i)?;
                let key = super::iplink_gre::tnl_parse_key(w, v).map_err(ToolOutput::from)?;
                if w != "okey" {
                    iflags |= GRE_KEY;
                    p.parms.i_key = key;
                }
                if w != "ikey" {
                    oflags |= GRE_KEY;
                    p.parms.o_key = key;
                }
            }
            // GRE flags (the ipip ioctl clears them: `ipip_tunnel_ctl`).
            "seq" => {
                iflags |= GRE_SEQ;
                oflags |= GRE_SEQ;
            }
            "iseq" => iflags |= GRE_SEQ,
            "oseq" => oflags |= GRE_SEQ,
            "csum" => {
                iflags |= GRE_CSUM;
                oflags |= GRE_CSUM;
            }
            "icsum" => iflags |= GRE_CSUM,
            "ocsum" => oflags |= GRE_CSUM,
            "nopmtudisc" => p.parms.pmtudisc = false,
            "pmtudisc" => p.parms.pmtudisc = true,
            "remote" => p.parms.remote = get_addr32(nxt(args, &mut i)?)?,
            "local" => p.parms.local = get_addr32(nxt(args, &mut i)?)?,
            "dev" => medium = Some(nxt(args, &mut i)?.to_string()),
            "ttl" | "hoplimit" | "hlim" => {
                let v = nxt(args, &mut i)?;
                p.parms.ttl = if v == "inherit" {
                    0
                } else {
                    v.parse::<u8>().map_err(|_| {
                        fail(
                            format!("Error: argument \"{v}\" is wrong: invalid TTL\n\n"),
                            255,
                        )
                    })?
                };
            }
            "tos" | "tclass" | "dsfield" => {
                let v = nxt(args, &mut i)?;
                let (inherit, val) = match v.split_once('/') {
                    Some(("inherit", rest)) => (true, Some(rest)),
                    None if v == "inherit" => (true, None),
                    _ => (false, Some(v)),
                };
                let mut tos = u8::from(inherit);
                if let Some(val) = val {
                    let n = u8::from_str_radix(val.trim_start_matches("0x"), 16).map_err(|_| {
                        fail(
                            format!("Error: argument \"{v}\" is wrong: bad TOS value\n"),
                            255,
                        )
                    })?;
                    tos |= n;
                }
                p.parms.tos = tos;
            }
            _ => {
                let name = if w == "name" {
                    nxt(args, &mut i)?
                } else if matches(w, "help") {
                    return Err(fail(USAGE.into(), 255));
                } else {
                    w
                };
                if !p.name.is_empty() {
                    return Err(fail(
                        format!(
                            "Error: either \"name\" is duplicate, or \"{name}\" is a garbage.\n"
                        ),
                        255,
                    ));
                }
                if check_name(name).is_err() {
                    return Err(fail(
                        format!(
                            "Error: argument \"{name}\" is wrong: \"name\" not a valid ifname\n"
                        ),
                        255,
                    ));
                }
                p.name = name.to_string();
                if change && count == 0 {
                    // `ip tunnel change NAME ...` starts from the tunnel's current parameters.
                    // SIOCGETTUNNEL failed: the ioctl's -1, negated by ip's do_cmd (status 1).
                    let t = k
                        .if_nametoindex(ns, name)
                        .and_then(|i| k.rtnl_link_get(ns, i))
                        .and_then(|l| l.iptnl_parms())
                        .ok_or_else(|| {
                            fail(format!("get tunnel \"{name}\" failed: No such device\n"), 1)
                        })?
                        .1;
                    p.proto = t.proto;
                    iflags = crate::net::ip_tunnel::gre_tnl_flags_to_gre_flags(t.i_flags);
                    oflags = crate::net::ip_tunnel::gre_tnl_flags_to_gre_flags(t.o_flags);
                    p.parms = t;
                }
            }
        }
        count += 1;
        i += 1;
    }
    p.parms.i_flags = gre_flags_to_tnl_flags(iflags);
    p.parms.o_flags = gre_flags_to_tnl_flags(oflags);
    if p.proto == 0 {
        if p.name.starts_with("gre") {
            p.proto = IPPROTO_GRE;
        } else if p.name.starts_with("ipip") {
            p.proto = IPPROTO_IPIP;
        } else if ["sit", "isatap", "vti"]
            .iter()
            .any(|x| p.name.starts_with(x))
        {
            p.other_mode = Some(p.name.clone());
            p.proto = 255;
        }
    }
    if let Some(m) = medium {
        p.parms.link = k
            .if_nametoindex(ns, &m)
            .ok_or_else(|| ToolOutput::from(nodev(&m)))?;
    }
    if (iflags | oflags) & GRE_KEY != 0 && p.proto != IPPROTO_GRE && p.other_mode.is_none() {
        return Err(fail(
            "Keys are not allowed with ipip and sit tunnels\n".into(),
            1,
        ));
    }
    if p.parms.remote.is_multicast() && p.parms.local.is_unspecified() {
        return Err(fail(
            "A broadcast tunnel requires a source address\n".into(),
            255,
        ));
    }
    Ok(p)
}

const USAGE: &str = "Usage: ip tunnel { add | change | del | show | prl | 6rd } [ NAME ]\n\
\t [ mode { ipip | gre | sit | isatap | vti } ] [ remote ADDR ] [ local ADDR ]\n\
\t [ [i|o]seq ] [ [i|o]key KEY ] [ [i|o]csum ]\n\
\t [ prl-default ADDR ] [ prl-nodefault ADDR ] [ prl-delete ADDR ]\n\
\t [ 6rd-prefix ADDR ] [ 6rd-relay_prefix ADDR ] [ 6rd-reset ]\n\
\t [ ttl TTL ] [ tos TOS ] [ [no]pmtudisc ] [ dev PHYS_DEV ]\n\
\n\
Where:\tNAME := STRING\n\
\tADDR := { IP_ADDRESS | any }\n\
\tTOS  := { STRING | 00..ff | inherit | inherit/STRING | inherit/00..ff }\n\
\tTTL  := { 1..255 | inherit }\n\
\tKEY  := { DOTTED_QUAD | NUMBER }\n";

fn unsupported_mode(m: &str) -> ToolOutput {
    ToolError::not_modelled(format!("ip tunnel mode \"{m}\" (ipip and gre are)")).into()
}

/// The tunnel kind of an `ip tunnel` request's protocol, and the fallback device its ioctls
/// go to.
fn kind_of(proto: u8) -> (TnlKind, &'static str) {
    if proto == IPPROTO_GRE {
        (TnlKind::Gre, "gre0")
    } else {
        (TnlKind::Ipip, "tunl0")
    }
}

/// `ip tunnel ...` in namespace `ns`.
pub fn ip_tunnel(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    if let Some(m) = args
        .windows(2)
        .find(|w| w[0] == "mode")
        .map(|w| w[1].as_str())
    {
        if [
            "ipv6/ipv6",
            "ip6ip6",
            "vti6",
            "ip/ipv6",
            "ipv4/ipv6",
            "ipip6",
            "ip4ip6",
            "ip6gre",
            "gre/ipv6",
            "any/ipv6",
            "any",
        ]
        .contains(&m)
        {
            return ToolError::not_modelled(
                "ip -6 tunnel (IPv6 is disabled in every namespace of a lab)",
            )
            .into();
        }
    }
    let Some(cmd) = args.first() else {
        return do_show(k, ns, &[]);
    };
    let rest = &args[1..];
    if matches(cmd, "add") {
        do_add(k, ns, rest, false)
    } else if matches(cmd, "change") {
        do_add(k, ns, rest, true)
    } else if matches(cmd, "delete") {
        do_del(k, ns, rest)
    } else if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        do_show(k, ns, rest)
    } else if matches(cmd, "prl") || matches(cmd, "6rd") {
        ToolError::not_modelled(format!("ip tunnel {cmd} (ISATAP/6rd)")).into()
    } else if matches(cmd, "help") {
        fail(USAGE.into(), 255)
    } else {
        fail(
            format!("Command \"{cmd}\" is unknown, try \"ip tunnel help\"\n"),
            255,
        )
    }
}

/// An ioctl's failure: `add tunnel "tunl0" failed: No such device`; the ioctl's -1 is negated
/// by ip's `do_cmd` (recorded, iproute2 6.1: status 1).
fn ioctl_failed(what: &str, ifname: &str, e: Errno) -> ToolOutput {
    fail(format!("{what} tunnel \"{ifname}\" failed: {e}\n"), 1)
}

/// `do_add`: SIOCADDTUNNEL (sent to `tunl0`, which loads the module) or SIOCCHGTUNNEL.
fn do_add(k: &mut Kernel, ns: NsId, args: &[String], change: bool) -> ToolOutput {
    let p = match parse_args(k, ns, args, change) {
        Ok(p) => p,
        Err(e) => return e,
    };
    // `fprintf` + `return -1`, negated by ip's do_cmd (recorded: status 1).
    if p.parms.ttl != 0 && !p.parms.pmtudisc {
        return fail("ttl != 0 and nopmtudisc are incompatible\n".into(), 1);
    }
    if let Some(m) = &p.other_mode {
        return unsupported_mode(m);
    }
    if p.proto != IPPROTO_IPIP && p.proto != IPPROTO_GRE {
        return fail(
            "cannot determine tunnel mode (ipip, gre, vti or sit)\n".into(),
            1,
        );
    }
    let (kind, fb) = kind_of(p.proto);
    let mut parms = p.parms.clone();
    parms.proto = p.proto;
    if kind == TnlKind::Ipip {
        parms.i_flags = 0;
        parms.o_flags = 0;
    }
    if parms.ttl != 0 {
        parms.pmtudisc = true;
    }
    let ifname = if change && !p.name.is_empty() {
        p.name.clone()
    } else {
        fb.to_string()
    };
    let r = if change {
        k.siocchgtunnel(ns, kind, &ifname, parms)
    } else {
        let name = (!p.name.is_empty()).then_some(p.name.as_str());
        k.siocaddtunnel(ns, kind, name, parms).map(|_| ())
    };
    match r {
        Ok(()) => out(String::new()),
        Err(e) => ioctl_failed("add", &ifname, e),
    }
}

/// `do_del`: SIOCDELTUNNEL to NAME (or to `tunl0`, which finds the tunnel by parameters).
fn do_del(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    let p = match parse_args(k, ns, args, false) {
        Ok(p) => p,
        Err(e) => return e,
    };
    if let Some(m) = &p.other_mode {
        return unsupported_mode(m);
    }
    let (kind, fb) = kind_of(p.proto);
    let ifname = if p.name.is_empty() {
        fb.to_string()
    } else {
        p.name.clone()
    };
    let mut parms = p.parms.clone();
    if parms.ttl != 0 {
        parms.pmtudisc = true;
    }
    match k.siocdeltunnel(ns, kind, &ifname, &parms) {
        Ok(()) => out(String::new()),
        Err(e) => ioctl_failed("delete", &ifname, e),
    }
}

/// `do_show`: one tunnel (SIOCGETTUNNEL) when the mode is known, else the `/proc/net/dev` list
/// filtered by name, endpoints and link.
fn do_show(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    let p = match parse_args(k, ns, args, false) {
        Ok(p) => p,
        Err(e) => return e,
    };
    if let Some(m) = &p.other_mode {
        return unsupported_mode(m);
    }
    if p.proto == IPPROTO_IPIP || p.proto == IPPROTO_GRE {
        let (kind, fb) = kind_of(p.proto);
        let ifname = if p.name.is_empty() { fb } else { &p.name };
        return match k.siocgettunnel(ns, kind, ifname, &p.parms) {
            Ok(i) => {
                let name = k.if_indextoname(ns, i).unwrap_or_default();
                out(show::ip_tunnel_show(k, ns, Some(&name)))
            }
            Err(e) => ioctl_failed("get", ifname, e),
        };
    }
    let mut s = String::new();
    for l in k.rtnl_link_dump(ns) {
        let Some((_, q)) = l.iptnl_parms() else {
            continue;
        };
        let name = l.name;
        let f = &p.parms;
        if (f.link != 0 && f.link != q.link)
            || (!p.name.is_empty() && p.name != name)
            || (!f.remote.is_unspecified() && f.remote != q.remote)
            || (!f.local.is_unspecified() && f.local != q.local)
        {
            continue;
        }
        s += &show::ip_tunnel_show(k, ns, Some(&name));
    }
    out(s)
}

/// The words after `ip link add NAME ... type ipip`: `[remote ADDR] [local ADDR]
/// [ttl TTL|inherit] [tos TOS] [dev PHYS] [[no]pmtudisc] [mode ipip|any]` (`link_iptnl.c`),
/// as the `IFLA_IPTUN_*` attributes of the request.
pub fn parse_ipip_link_args(
    k: &Kernel,
    ns: NsId,
    args: &[String],
) -> Result<TunnelParms, ToolError> {
    let mut parms = TunnelParms {
        proto: 0,
        ..TunnelParms::new()
    };
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        match w {
            "remote" | "local" => {
                let v = next(args, &mut i, w)?;
                let a = if v == "any" {
                    Ipv4Addr::UNSPECIFIED
                } else {
                    parse_addr(v)?
                };
                if w == "remote" {
                    parms.remote = a;
                } else {
                    parms.local = a;
                }
            }
            "ttl" | "hoplimit" | "hlim" => {
                let v = next(args, &mut i, w)?;
                parms.ttl = if v == "inherit" {
                    0
                } else {
                    v.parse::<u8>().map_err(|_| {
                        usage(format!("Error: argument \"{v}\" is wrong: invalid TTL\n\n"))
                    })?
                };
            }
            "tos" | "tclass" | "dsfield" => {
                let v = next(args, &mut i, w)?;
                parms.tos = if v == "inherit" {
                    1
                } else {
                    u8::from_str_radix(v.trim_start_matches("0x"), 16).map_err(|_| {
                        usage(format!("Error: argument \"{v}\" is wrong: bad TOS value\n"))
                    })?
                };
            }
            "pmtudisc" => parms.pmtudisc = true,
            "nopmtudisc" => parms.pmtudisc = false,
            "dev" => {
                let v = next(args, &mut i, w)?;
                parms.link = k.if_nametoindex(ns, v).ok_or_else(|| nodev(v))?;
            }
            "mode" => {
                let v = next(args, &mut i, w)?;
                parms.proto = match v {
                    "ipip" | "ip/ip" => IPPROTO_IPIP,
                    "any" | "any/ip" => 0,
                    _ => return Err(ToolError::not_modelled(format!("ipip mode \"{v}\""))),
                };
            }
            _ => {
                return Err(ToolError::not_modelled(format!(
                    "ipip option \"{w}\" (remote, local, ttl, tos, dev, [no]pmtudisc, mode are)"
                )))
            }
        }
        i += 1;
    }
    if parms.ttl != 0 && !parms.pmtudisc {
        // link_iptnl.c exits -1 here (recorded: status 255).
        return Err(usage("ttl != 0 and nopmtudisc are incompatible\n"));
    }
    Ok(parms)
}

//! `ip nexthop` (iproute2 6.1 `ip/ipnexthop.c`): `add`/`replace` (`ipnh_modify`), `del`,
//! `get`, `list`/`show` with `id`, `dev`, `groups`, `fdb` and `protocol` selectors, `flush`,
//! `help`. Parsing and printing are hand-written to iproute2's words (its `invarg` texts,
//! `print_nexthop`'s order and trailing spaces).

use super::ip::{get_integer, matches, next, parse_proto, usage};
use super::show::{proto_name, scope_name};
use super::ToolError;
use crate::kernel::{Kernel, NsId};
use crate::net::fib::RT_SCOPE_UNIVERSE;
use crate::net::rtnetlink::nexthop::{NexthopDump, NexthopFilter, NexthopMsg};
use crate::net::rtnetlink::route::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use std::fmt::Write;
use std::net::Ipv4Addr;

/// `usage()` of ip/ipnexthop.c (iproute2 6.1), on stderr with status 255.
pub const IP_NEXTHOP_USAGE: &str = "Usage: ip nexthop { list | flush } [ protocol ID ] SELECTOR
       ip nexthop { add | replace } id ID NH [ protocol ID ]
       ip nexthop { get | del } id ID
       ip nexthop bucket list BUCKET_SELECTOR
       ip nexthop bucket get id ID index INDEX
SELECTOR := [ id ID ] [ dev DEV ] [ vrf NAME ] [ master DEV ]
            [ groups ] [ fdb ]
BUCKET_SELECTOR := SELECTOR | [ nhid ID ]
NH := { blackhole | [ via ADDRESS ] [ dev DEV ] [ onlink ]
        [ encap ENCAPTYPE ENCAPHDR ] |
        group GROUP [ fdb ] [ type TYPE [ TYPE_ARGS ] ] }
GROUP := [ <id[,weight]>/<id[,weight]>/... ]
TYPE := { mpath | resilient }
TYPE_ARGS := [ RESILIENT_ARGS ]
RESILIENT_ARGS := [ buckets BUCKETS ] [ idle_timer IDLE ]
                  [ unbalanced_timer UNBALANCED ]
ENCAPTYPE := [ mpls ]
ENCAPHDR := [ MPLSLABEL ]
";

type R = Result<String, ToolError>;

fn invarg(msg: &str, arg: &str) -> ToolError {
    usage(format!("Error: argument \"{arg}\" is wrong: {msg}\n"))
}

fn rtnl_err(e: crate::net::rtnetlink::RtnlError) -> ToolError {
    super::ip::rtnl_err(e)
}

/// `get_unsigned(&id, arg, 0)`.
fn get_unsigned(s: &str) -> Option<u32> {
    if s.starts_with('-') {
        return None;
    }
    get_integer(s)
        .and_then(|v| u32::try_from(v).ok())
        .or_else(|| s.parse().ok())
}

/// Runs `ip nexthop ARGS...`.
pub fn ip_nexthop(k: &mut Kernel, ns: NsId, args: &[String]) -> R {
    let Some(cmd) = args.first().map(String::as_str) else {
        return ipnh_list(k, ns, &[]);
    };
    let rest = &args[1..];
    if matches(cmd, "add") {
        ipnh_modify(k, ns, rest, NLM_F_CREATE | NLM_F_EXCL)
    } else if matches(cmd, "replace") {
        ipnh_modify(k, ns, rest, NLM_F_CREATE | NLM_F_REPLACE)
    } else if matches(cmd, "delete") {
        let id = ipnh_get_id_arg(rest, false)?;
        k.rtm_del_nexthop(ns, id).map_err(rtnl_err)?;
        Ok(String::new())
    } else if matches(cmd, "get") {
        let id = ipnh_get_id_arg(rest, true)?;
        let d = k.rtm_get_nexthop(ns, id).map_err(rtnl_err)?;
        Ok(print_nexthop(k, ns, &d))
    } else if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        ipnh_list(k, ns, rest)
    } else if matches(cmd, "flush") {
        let mut f = ipnh_filter(k, ns, rest)?.0;
        // ipnh_flush(all): without a selector the groups go first, then the rest.
        let mut n = 0;
        if rest.is_empty() {
            f.groups = true;
            n += k.rtm_flush_nexthop(ns, &f);
            f.groups = false;
        }
        n += k.rtm_flush_nexthop(ns, &f);
        match n {
            0 => Ok("Nothing to flush\n".into()),
            n => Ok(format!("Flushed {n} nexthops\n")),
        }
    } else if matches(cmd, "bucket") {
        Err(ToolError::not_modelled("ip nexthop bucket"))
    } else if matches(cmd, "help") {
        Err(usage(IP_NEXTHOP_USAGE))
    } else {
        Err(usage(format!(
            "Command \"{cmd}\" is unknown, try \"ip nexthop help\".\n"
        )))
    }
}

/// `ipnh_get`/`ipnh_del`'s arguments: `id ID`; `get` without an id prints the usage.
fn ipnh_get_id_arg(args: &[String], usage_if_none: bool) -> Result<Option<u32>, ToolError> {
    let mut id = None;
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        if w == "id" {
            let v = next(args, &mut i, w)?;
            id = Some(get_unsigned(v).ok_or_else(|| invarg("invalid id value", v))?);
        } else {
            return Err(invarg("", w));
        }
        i += 1;
    }
    if id.is_none() && usage_if_none {
        return Err(usage(IP_NEXTHOP_USAGE));
    }
    Ok(id)
}

/// The list/flush selectors: the dump filter, an `id` (a get), a protocol.
fn ipnh_filter(
    k: &Kernel,
    ns: NsId,
    args: &[String],
) -> Result<(NexthopFilter, Option<u32>, Option<u8>), ToolError> {
    let mut f = NexthopFilter::default();
    let (mut id, mut proto) = (None, None);
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        if w == "dev" {
            let v = next(args, &mut i, w)?;
            f.oif = Some(
                k.if_nametoindex(ns, v)
                    .ok_or_else(|| invarg("Device does not exist\n", v))?,
            );
        } else if w == "groups" {
            f.groups = true;
        } else if w == "fdb" {
            f.fdb = true;
        } else if w == "id" {
            let v = next(args, &mut i, w)?;
            id = Some(get_unsigned(v).ok_or_else(|| invarg("invalid id value", v))?);
        } else if matches(w, "protocol") {
            let v = next(args, &mut i, w)?;
            proto = Some(parse_proto(v).ok_or_else(|| invarg("invalid protocol value", v))?);
        } else if w == "vrf" || w == "master" {
            return Err(ToolError::not_modelled(format!("ip nexthop list {w}")));
        } else if matches(w, "help") {
            return Err(usage(IP_NEXTHOP_USAGE));
        } else {
            return Err(invarg("", w));
        }
        i += 1;
    }
    Ok((f, id, proto))
}

fn ipnh_list(k: &Kernel, ns: NsId, args: &[String]) -> R {
    let (f, id, proto) = ipnh_filter(k, ns, args)?;
    if let Some(id) = id {
        let d = k.rtm_get_nexthop(ns, Some(id)).map_err(rtnl_err)?;
        return Ok(print_nexthop(k, ns, &d));
    }
    Ok(k.rtm_dump_nexthop(ns, &f)
        .iter()
        .filter(|d| proto.is_none_or(|p| p == d.protocol))
        .map(|d| print_nexthop(k, ns, d))
        .collect())
}

/// `ipnh_modify`: `id`, `via`, `dev`, `onlink`, `blackhole`, `fdb`, `group`, `protocol`.
fn ipnh_modify(k: &mut Kernel, ns: NsId, args: &[String], flags: u16) -> R {
    let mut m = NexthopMsg::default();
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        if w == "id" {
            let v = next(args, &mut i, w)?;
            m.id = Some(get_unsigned(v).ok_or_else(|| invarg("invalid id value", v))?);
        } else if w == "dev" {
            let v = next(args, &mut i, w)?;
            m.oif = Some(
                k.if_nametoindex(ns, v)
                    .ok_or_else(|| invarg("Device does not exist\n", v))?,
            );
        } else if w == "via" {
            let v = next(args, &mut i, w)?;
            let v = if v == "inet" {
                next(args, &mut i, w)?
            } else {
                v
            };
            if super::ip6::is_inet6(v) {
                return Err(ToolError::not_modelled("IPv6 nexthop objects"));
            }
            m.gw = Some(v.parse::<Ipv4Addr>().map_err(|_| {
                super::ip::bad_arg(format!(
                    "Error: inet address is expected rather than \"{v}\".\n"
                ))
            })?);
        } else if w == "blackhole" {
            m.blackhole = true;
        } else if w == "fdb" {
            m.fdb = true;
        } else if w == "onlink" {
            m.onlink = true;
        } else if w == "group" {
            let v = next(args, &mut i, w)?;
            m.group = Some(parse_group(v)?);
        } else if matches(w, "protocol") {
            let v = next(args, &mut i, w)?;
            m.protocol =
                parse_proto(v).ok_or_else(|| invarg("\"protocol\" value is invalid\n", v))?;
        } else if w == "type" || w == "encap" {
            return Err(ToolError::not_modelled(format!("ip nexthop {w}")));
        } else if matches(w, "help") {
            return Err(usage(IP_NEXTHOP_USAGE));
        } else {
            return Err(invarg("", w));
        }
        i += 1;
    }
    k.rtm_new_nexthop(ns, &m, flags).map_err(rtnl_err)?;
    Ok(String::new())
}

/// `add_nh_group_attr`: `ID[,WEIGHT]/...`, a weight from 1 to 256.
fn parse_group(v: &str) -> Result<Vec<(u32, u32)>, ToolError> {
    let mut out = Vec::new();
    for part in v.split('/') {
        let (id, w) = match part.split_once(',') {
            Some((id, w)) => (id, Some(w)),
            None => (part, None),
        };
        let id = get_unsigned(id).ok_or_else(|| invarg("\"group\" value is invalid\n", v))?;
        let weight = match w {
            Some(w) => get_unsigned(w)
                .filter(|w| (1..=256).contains(w))
                .ok_or_else(|| invarg("\"weight\" is invalid\n", w))?,
            None => 1,
        };
        out.push((id, weight));
    }
    Ok(out)
}

/// `print_nexthop`.
fn print_nexthop(k: &Kernel, ns: NsId, d: &NexthopDump) -> String {
    let mut s = format!("id {} ", d.id);
    if let Some(g) = &d.group {
        let members: Vec<String> = g
            .iter()
            .map(|&(id, w)| {
                if w == 1 {
                    id.to_string()
                } else {
                    format!("{id},{w}")
                }
            })
            .collect();
        let _ = write!(s, "group {} ", members.join("/"));
    }
    if d.blackhole {
        s.push_str("blackhole ");
    } else if d.group.is_none() {
        if let Some(g) = d.gw {
            let _ = write!(s, "via {g} ");
        }
        if let Some(o) = d.oif {
            let _ = write!(s, "dev {} ", k.if_indextoname(ns, o).unwrap_or_default());
        }
        if d.scope != RT_SCOPE_UNIVERSE {
            let _ = write!(s, "scope {} ", scope_name(d.scope));
        }
    }
    if d.protocol != 0 {
        let _ = write!(s, "proto {} ", proto_name(d.protocol));
    }
    if d.onlink {
        s.push_str("onlink ");
    }
    if d.fdb {
        s.push_str("fdb");
    }
    s.push('\n');
    s
}

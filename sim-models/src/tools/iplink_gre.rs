//! `ip link add ... type gre|gretap` options (iproute2 6.1 `ip/link_gre.c`, `gre_parse_opt`)
//! into the `IFLA_GRE_*` attributes, and their `-d` rendering (`gre_print_opt`). A failed
//! parse: an unknown word prints the help and returns -1 (status 1); `invarg` and a bad key
//! exit -1 (255); `get_addr` exits 1; an unknown `dev` exits -1 (255).

use super::ip::{matches, next, usage};
use super::iplink_vlan::get_unsigned;
use super::ToolError;
use crate::kernel::{Kernel, NsId};
use crate::net::ip_tunnel::{TnlKind, GRE_CSUM, GRE_KEY, GRE_SEQ};
use crate::net::rtnetlink::dump::GreInfo;
use std::fmt::Write;
use std::net::Ipv4Addr;

/// `gre_print_help` (6.1), with the kind padded as `%-9s`.
fn help(kind: &str) -> String {
    format!(
        "Usage: ... {kind:<9}\t[ remote ADDR ]\n\
\t\t\t[ local ADDR ]\n\
\t\t\t[ [no][i|o]seq ]\n\
\t\t\t[ [i|o]key KEY | no[i|o]key ]\n\
\t\t\t[ [no][i|o]csum ]\n\
\t\t\t[ ttl TTL ]\n\
\t\t\t[ tos TOS ]\n\
\t\t\t[ [no]pmtudisc ]\n\
\t\t\t[ [no]ignore-df ]\n\
\t\t\t[ dev PHYS_DEV ]\n\
\t\t\t[ fwmark MARK ]\n\
\t\t\t[ external ]\n\
\t\t\t[ noencap ]\n\
\t\t\t[ encap {{ fou | gue | none }} ]\n\
\t\t\t[ encap-sport PORT ]\n\
\t\t\t[ encap-dport PORT ]\n\
\t\t\t[ [no]encap-csum ]\n\
\t\t\t[ [no]encap-csum6 ]\n\
\t\t\t[ [no]encap-remcsum ]\n\
\n\
Where:\tADDR := {{ IP_ADDRESS | any }}\n\
\tTOS  := {{ NUMBER | inherit }}\n\
\tTTL  := {{ 1..255 | inherit }}\n\
\tKEY  := {{ DOTTED_QUAD | NUMBER }}\n\
\tMARK := {{ 0x0..0xffffffff }}\n"
    )
}

fn invarg(msg: &str, arg: &str) -> ToolError {
    usage(format!("Error: argument \"{arg}\" is wrong: {msg}\n"))
}

/// iproute2 `get_addr_ipv4`: up to four dot-separated parts, each a `strtoul` base-0 number
/// up to 255 (missing trailing parts are 0).
fn get_addr_ipv4(s: &str) -> Option<Ipv4Addr> {
    let mut b = [0u8; 4];
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() > 4 {
        return None;
    }
    for (i, part) in parts.iter().enumerate() {
        b[i] = get_unsigned(part, 255)? as u8;
    }
    Some(Ipv4Addr::from(b))
}

/// `tnl_parse_key`: a dotted quad (`get_addr32`) or an unsigned number (base 0); host order.
pub(crate) fn tnl_parse_key(name: &str, key: &str) -> Result<u32, ToolError> {
    if key.contains('.') {
        return get_addr_ipv4(key).map(u32::from).ok_or_else(|| {
            ToolError::usage(
                1,
                format!("Error: an IP address is expected rather than \"{key}\"\n"),
            )
        });
    }
    get_unsigned(key, u64::from(u32::MAX))
        .map(|v| v as u32)
        .ok_or_else(|| {
            usage(format!(
                "invalid value for \"{name}\": \"{key}\"; it should be an unsigned integer\n"
            ))
        })
}

/// `get_addr(..., AF_INET)`: `any` (and 0.0.0.0) is "unspecified", which `gre_parse_opt`
/// leaves out of the request.
fn get_addr(s: &str) -> Result<Ipv4Addr, ToolError> {
    if matches!(s, "any" | "default" | "all") {
        return Ok(Ipv4Addr::UNSPECIFIED);
    }
    get_addr_ipv4(s).ok_or_else(|| {
        ToolError::usage(
            1,
            format!("Error: inet address is expected rather than \"{s}\".\n"),
        )
    })
}

/// `rtnl_dsfield_a2n`: a hexadecimal number up to 255 (no names file in a lab).
fn dsfield(s: &str) -> Option<u8> {
    let h = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    if h.is_empty() || !h.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(h, 16)
        .ok()
        .and_then(|v| u8::try_from(v).ok())
}

/// `gre_parse_opt` for a new device (`NLM_F_CREATE`: no current values to start from).
pub fn parse_gre_link_args(
    k: &Kernel,
    ns: NsId,
    kind: TnlKind,
    args: &[String],
) -> Result<GreInfo, ToolError> {
    let mut g = GreInfo {
        kind,
        link: 0,
        iflags: 0,
        oflags: 0,
        ikey: 0,
        okey: 0,
        local: Ipv4Addr::UNSPECIFIED,
        remote: Ipv4Addr::UNSPECIFIED,
        ttl: 0,
        tos: 0,
        pmtudisc: true,
        erspan: None,
    };
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        if matches(w, "key") {
            let v = next(args, &mut i, w)?;
            g.iflags |= GRE_KEY;
            g.oflags |= GRE_KEY;
            g.ikey = tnl_parse_key("key", v)?;
            g.okey = g.ikey;
        } else if matches(w, "nokey") {
            g.iflags &= !GRE_KEY;
            g.oflags &= !GRE_KEY;
            g.ikey = 0;
            g.okey = 0;
        } else if matches(w, "ikey") {
            let v = next(args, &mut i, w)?;
            g.iflags |= GRE_KEY;
            g.ikey = tnl_parse_key("ikey", v)?;
        } else if matches(w, "noikey") {
            g.iflags &= !GRE_KEY;
            g.ikey = 0;
        } else if matches(w, "okey") {
            let v = next(args, &mut i, w)?;
            g.oflags |= GRE_KEY;
            g.okey = tnl_parse_key("okey", v)?;
        } else if matches(w, "nookey") {
            g.oflags &= !GRE_KEY;
            g.okey = 0;
        } else if matches(w, "seq") {
            g.iflags |= GRE_SEQ;
            g.oflags |= GRE_SEQ;
        } else if matches(w, "noseq") {
            g.iflags &= !GRE_SEQ;
            g.oflags &= !GRE_SEQ;
        } else if matches(w, "iseq") {
            g.iflags |= GRE_SEQ;
        } else if matches(w, "noiseq") {
            g.iflags &= !GRE_SEQ;
        } else if matches(w, "oseq") {
            g.oflags |= GRE_SEQ;
        } else if matches(w, "nooseq") {
            g.oflags &= !GRE_SEQ;
        } else if matches(w, "csum") {
            g.iflags |= GRE_CSUM;
            g.oflags |= GRE_CSUM;
        } else if matches(w, "nocsum") {
            g.iflags &= !GRE_CSUM;
            g.oflags &= !GRE_CSUM;
        } else if matches(w, "icsum") {
            g.iflags |= GRE_CSUM;
        } else if matches(w, "noicsum") {
            g.iflags &= !GRE_CSUM;
        } else if matches(w, "ocsum") {
            g.oflags |= GRE_CSUM;
        } else if matches(w, "noocsum") {
            g.oflags &= !GRE_CSUM;
        } else if matches(w, "nopmtudisc") {
            g.pmtudisc = false;
        } else if matches(w, "pmtudisc") {
            g.pmtudisc = true;
        } else if matches(w, "remote") {
            g.remote = get_addr(next(args, &mut i, w)?)?;
        } else if matches(w, "local") {
            g.local = get_addr(next(args, &mut i, w)?)?;
        } else if matches(w, "dev") {
            let v = next(args, &mut i, w)?;
            g.link = k
                .if_nametoindex(ns, v)
                .ok_or_else(|| usage(format!("Cannot find device \"{v}\"\n")))?;
        } else if matches(w, "ttl") || matches(w, "hoplimit") || matches(w, "hlim") {
            let v = next(args, &mut i, w)?;
            g.ttl = if v == "inherit" {
                0
            } else {
                get_unsigned(v, 255).ok_or_else(|| invarg("invalid TTL\n", v))? as u8
            };
        } else if matches(w, "tos") || matches(w, "tclass") || matches(w, "dsfield") {
            let v = next(args, &mut i, w)?;
            g.tos = if v == "inherit" {
                1
            } else {
                dsfield(v).ok_or_else(|| invarg("bad TOS value", v))?
            };
        } else if w == "noencap" || w == "noignore-df" {
        } else if w == "encap" {
            let v = next(args, &mut i, w)?;
            match v {
                "none" => {}
                "fou" | "gue" => {
                    return Err(ToolError::not_modelled(format!("GRE encap {v}")));
                }
                _ => return Err(invarg("Invalid encap type.", v)),
            }
        } else if w == "fwmark" {
            let v = next(args, &mut i, w)?;
            match get_unsigned(v, u64::from(u32::MAX)) {
                Some(0) => {}
                Some(_) => return Err(ToolError::not_modelled("GRE fwmark")),
                None => return Err(invarg("invalid fwmark\n", v)),
            }
        } else if [
            "external",
            "ignore-df",
            "encap-sport",
            "encap-dport",
            "encap-csum",
            "noencap-csum",
            "encap-udp6-csum",
            "noencap-udp6-csum",
            "encap-remcsum",
            "noencap-remcsum",
            "erspan",
            "erspan_ver",
            "erspan_dir",
            "erspan_hwid",
        ]
        .contains(&w)
        {
            return Err(ToolError::not_modelled(format!("GRE option \"{w}\"")));
        } else {
            return Err(ToolError::usage(1, help(kind.name())));
        }
        i += 1;
    }
    if g.remote.is_multicast() {
        return Err(ToolError::not_modelled("multicast (broadcast) GRE tunnels"));
    }
    Ok(g)
}

/// A tunnel endpoint as `gre_print_opt` prints it.
fn any(a: Ipv4Addr) -> String {
    if a.is_unspecified() {
        "any".into()
    } else {
        a.to_string()
    }
}

/// `gre_print_opt` (the words after the kind; `name_of` names a link ifindex).
pub fn gre_print_opt(g: &GreInfo, name_of: impl Fn(u32) -> String) -> String {
    let mut s = format!("remote {} local {} ", any(g.remote), any(g.local));
    if g.link != 0 {
        let _ = write!(s, "dev {} ", name_of(g.link));
    }
    if g.ttl != 0 {
        let _ = write!(s, "ttl {} ", g.ttl);
    } else {
        s.push_str("ttl inherit ");
    }
    if g.tos == 1 {
        s.push_str("tos inherit ");
    } else if g.tos != 0 {
        let _ = write!(s, "tos 0x{:x} ", g.tos);
    }
    if !g.pmtudisc {
        s.push_str("nopmtudisc ");
    }
    if g.iflags & GRE_KEY != 0 {
        let _ = write!(s, "ikey {} ", Ipv4Addr::from(g.ikey));
    }
    if g.oflags & GRE_KEY != 0 {
        let _ = write!(s, "okey {} ", Ipv4Addr::from(g.okey));
    }
    for (f, word) in [
        (g.iflags & GRE_SEQ, "iseq "),
        (g.oflags & GRE_SEQ, "oseq "),
        (g.iflags & GRE_CSUM, "icsum "),
        (g.oflags & GRE_CSUM, "ocsum "),
    ] {
        if f != 0 {
            s.push_str(word);
        }
    }
    if let Some((idx, ver)) = g.erspan {
        let _ = write!(s, "erspan_index {idx} erspan_ver {ver} ");
    }
    s
}

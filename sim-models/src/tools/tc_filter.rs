//! `tc filter add|del|show` (iproute2 6.1 `tc/tc_filter.c`) with the u32 (`f_u32.c`: `match ip
//! src|dst|tos|dsfield|protocol|sport|dport|icmp_type|icmp_code`, `match u32|u16|u8 VAL MASK
//! at OFF`) and flower (`f_flower.c`: `dst_mac src_mac vlan_id ip_proto src_ip dst_ip src_port
//! dst_port skip_hw skip_sw`) classifiers and the gact and mirred actions (`m_gact.c`,
//! `m_mirred.c`), through `rtm_newtfilter` / `rtm_deltfilter` / `rtnl_dump_tfilter`. The usage
//! texts are tc's as it prints them (recorded). Other classifiers, actions and keys say they
//! are not modelled.

use std::net::Ipv4Addr;

use super::ip::matches;
use super::{ToolError, ToolOutput};
use crate::kernel::{Kernel, NsId};
use crate::net::act_api::{ActKind, TcAct, TcAction};
use crate::net::cls_api::{TcfNode, ETH_P_ALL};
use crate::net::cls_flower::FlowerKeys;
use crate::net::cls_u32::{pack_key, pack_key16, pack_key8, U32Key};
use crate::net::rtnetlink::qdisc::{
    ActReq, ClsOpts, TfDump, TfMsg, TC_H_MIN_EGRESS, TC_H_MIN_INGRESS,
};
use crate::net::rtnetlink::route::{NLM_F_CREATE, NLM_F_EXCL};
use crate::net::rtnetlink::RtnlError;

const FLOWER_USAGE: &str = include_str!("tc_flower_usage.txt");
const GACT_USAGE: &str = include_str!("tc_gact_usage.txt");

fn incomplete() -> ToolError {
    ToolError::usage(255, "Command line is not complete. Try option \"help\"\n")
}

fn next<'a>(args: &'a [String], i: &mut usize) -> Result<&'a str, ToolError> {
    *i += 1;
    args.get(*i).map(|s| s.as_str()).ok_or_else(incomplete)
}

/// `ll_proto_a2n`.
fn ll_proto_a2n(s: &str) -> Option<u16> {
    Some(match s.to_ascii_lowercase().as_str() {
        "all" => ETH_P_ALL,
        "ip" => 0x0800,
        "ipv6" => 0x86dd,
        "arp" => 0x0806,
        "802.1q" => 0x8100,
        "802.1ad" => 0x88a8,
        _ => {
            let h = s.strip_prefix("0x").unwrap_or(s);
            u16::from_str_radix(h, 16).ok()?
        }
    })
}

/// `ll_proto_n2a`.
fn ll_proto_n2a(p: u16) -> String {
    match p {
        ETH_P_ALL => "all".into(),
        0x0800 => "ip".into(),
        0x86dd => "ipv6".into(),
        0x0806 => "arp".into(),
        0x8100 => "802.1Q".into(),
        0x88a8 => "802.1ad".into(),
        _ => format!("0x{p:x}"),
    }
}

fn rtnl_err(e: RtnlError) -> ToolError {
    match e.not_modelled {
        Some(what) => ToolError::not_modelled(what),
        None => ToolError::failed(
            2,
            e.iproute2_text() + "We have an error talking to the kernel\n",
        ),
    }
}

/// `tc [-s] filter ...`.
pub fn do_filter(
    k: &mut Kernel,
    ns: NsId,
    args: &[String],
    stats: bool,
) -> Result<String, ToolError> {
    let Some(cmd) = args.first() else {
        return tc_filter_list(k, ns, &[], stats);
    };
    let rest = &args[1..];
    if matches(cmd, "add") {
        tc_filter_modify(k, ns, rest, Some(NLM_F_EXCL | NLM_F_CREATE))
    } else if matches(cmd, "delete") {
        tc_filter_modify(k, ns, rest, None)
    } else if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        tc_filter_list(k, ns, rest, stats)
    } else if ["change", "replace", "get"].iter().any(|c| matches(cmd, c)) {
        Err(ToolError::not_modelled(format!("tc filter {cmd}")))
    } else {
        Err(ToolError::usage(
            255,
            format!("Command \"{cmd}\" is unknown, try \"tc filter help\".\n"),
        ))
    }
}

/// The words before the classifier: `dev`, the parent, `pref`, `protocol`.
struct Head<'a> {
    dev: Option<&'a str>,
    m: TfMsg,
    protocol_set: bool,
    rest: usize,
}

fn parse_head<'a>(args: &'a [String], show: bool) -> Result<Head<'a>, ToolError> {
    let mut h = Head {
        dev: None,
        m: TfMsg::default(),
        protocol_set: false,
        rest: args.len(),
    };
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let a = a.as_str();
        if a == "dev" {
            let d = next(args, &mut i)?;
            if h.dev.is_some() {
                return Err(ToolError::usage(
                    255,
                    format!("Error: duplicate \"dev\": \"{d}\" is the second value.\n"),
                ));
            }
            h.dev = Some(d);
        } else if a == "ingress" || a == "egress" {
            if h.m.parent != 0 {
                return Err(ToolError::usage(
                    255,
                    format!("Error: \"{a}\" is duplicate parent ID\n"),
                ));
            }
            let min = if a == "ingress" {
                TC_H_MIN_INGRESS
            } else {
                TC_H_MIN_EGRESS
            };
            h.m.parent = 0xFFFF_0000 | min;
        } else if a == "root" || a == "parent" || a == "handle" || a == "chain" {
            return Err(ToolError::not_modelled(format!("tc filter {a}")));
        } else if matches(a, "preference") || matches(a, "priority") {
            let v = next(args, &mut i)?;
            h.m.prio = super::iprule::get_u32_base0(v)
                .ok_or_else(|| ToolError::failed(1, "Illegal \"priority\"\n"))?;
        } else if matches(a, "protocol") {
            let v = next(args, &mut i)?;
            h.m.protocol =
                ll_proto_a2n(v).ok_or_else(|| ToolError::failed(1, "Illegal \"protocol\"\n"))?;
            h.protocol_set = true;
        } else if matches(a, "estimator") {
            return Err(ToolError::not_modelled("tc filter estimator"));
        } else if matches(a, "help") {
            return Err(ToolError::not_modelled("tc filter help"));
        } else if show {
            return Err(ToolError::usage(
                255,
                format!("What is \"{a}\"? Try \"tc filter help\"\n"),
            ));
        } else {
            h.m.kind = Some(a.to_string());
            h.rest = i + 1;
            return Ok(h);
        }
        i += 1;
    }
    Ok(h)
}

/// `tc_filter_modify`: `flags` for `RTM_NEWTFILTER`, `None` for `RTM_DELTFILTER`.
fn tc_filter_modify(
    k: &mut Kernel,
    ns: NsId,
    args: &[String],
    flags: Option<u16>,
) -> Result<String, ToolError> {
    let mut h = parse_head(args, false)?;
    if flags.is_some() && !h.protocol_set {
        h.m.protocol = ETH_P_ALL;
    }
    let opts = &args[h.rest.min(args.len())..];
    match h.m.kind.as_deref() {
        Some("u32") => {
            let (keys, acts) = u32_parse_opt(k, ns, opts)?;
            h.m.opts = Some(ClsOpts::U32(keys));
            h.m.actions = acts;
        }
        Some("flower") => {
            let (keys, acts) = flower_parse_opt(k, ns, h.m.protocol, opts)?;
            h.m.opts = Some(ClsOpts::Flower(keys));
            h.m.actions = acts;
        }
        Some(
            kind @ ("basic" | "bpf" | "cgroup" | "flow" | "fw" | "matchall" | "route" | "tcindex"),
        ) => return Err(ToolError::not_modelled(format!("tc filter {kind}"))),
        Some(kind) => {
            if let Some(o) = opts.first() {
                return Err(ToolError::failed(
                    1,
                    format!("Unknown filter \"{kind}\", hence option \"{o}\" is unparsable\n"),
                ));
            }
        }
        None => {}
    }
    if let Some(d) = h.dev {
        h.m.ifindex = k
            .if_nametoindex(ns, d)
            .ok_or_else(|| ToolError::failed(1, format!("Cannot find device \"{d}\"\n")))?;
    }
    match flags {
        Some(f) => k.rtm_newtfilter(ns, &h.m, f),
        None => k.rtm_deltfilter(ns, &h.m),
    }
    .map_err(rtnl_err)?;
    Ok(String::new())
}

/// `parse_action` for each `action`/`actions` word from `i` on.
fn parse_actions(
    k: &Kernel,
    ns: NsId,
    args: &[String],
    i: &mut usize,
) -> Result<Vec<ActReq>, ToolError> {
    let illegal_action = || ToolError::failed(1, "Illegal \"action\"\n");
    let mut out = Vec::new();
    while args
        .get(*i)
        .is_some_and(|a| a == "action" || a == "actions")
    {
        let kind = next(args, i)?;
        // parse_action's count of the words left from the action's kind on.
        let left = args.len() - *i;
        let verdict = |w: &str| -> Option<TcAct> {
            Some(match w {
                "reclassify" => TcAct::Reclassify,
                "drop" | "shot" => TcAct::Shot,
                "continue" => TcAct::Unspec,
                "pass" | "ok" => TcAct::Ok,
                "pipe" => TcAct::Pipe,
                _ => return None,
            })
        };
        if kind == "mirred" {
            let dir = next(args, i)?;
            if dir != "egress" {
                return Err(ToolError::not_modelled(format!("tc action mirred {dir}")));
            }
            let what = next(args, i)?;
            let redirect = match what {
                "redirect" => true,
                "mirror" => false,
                _ => return Err(ToolError::not_modelled(format!("tc action mirred {what}"))),
            };
            if next(args, i)? != "dev" {
                return Err(illegal_action());
            }
            let d = next(args, i)?;
            let ifindex = k.if_nametoindex(ns, d).ok_or_else(|| {
                ToolError::failed(
                    1,
                    format!(
                        "Cannot find device \"{d}\"\nbad action parsing\nparse_action: bad value ({left}:mirred)!\nIllegal \"action\"\n"
                    ),
                )
            })?;
            *i += 1;
            out.push(ActReq::Mirred {
                redirect,
                ifindex,
                action: if redirect { TcAct::Stolen } else { TcAct::Pipe },
            });
            continue;
        }
        let w = if kind == "gact" { next(args, i)? } else { kind };
        match verdict(w) {
            Some(v) => out.push(ActReq::Gact(v)),
            None => {
                if kind == "gact"
                    || ![
                        "bpf",
                        "connmark",
                        "csum",
                        "ct",
                        "police",
                        "skbedit",
                        "vlan",
                        "pedit",
                        "nat",
                        "tunnel_key",
                        "sample",
                        "simple",
                    ]
                    .contains(&kind)
                {
                    return Err(ToolError::usage(
                        255,
                        format!("Bad action type {w}\n{GACT_USAGE}"),
                    ));
                }
                return Err(ToolError::not_modelled(format!("tc action {kind}")));
            }
        }
        *i += 1;
    }
    Ok(out)
}

/// `u32_parse_opt`: `match` selectors, then the actions.
fn u32_parse_opt(
    k: &Kernel,
    ns: NsId,
    args: &[String],
) -> Result<(Vec<U32Key>, Vec<ActReq>), ToolError> {
    let illegal = || ToolError::failed(1, "Illegal \"match\"\n");
    let mut keys = Vec::new();
    let mut acts = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let a = a.as_str();
        if matches(a, "match") {
            let (Some(what), Some(field)) = (args.get(i + 1), args.get(i + 2)) else {
                return Err(illegal());
            };
            let val = args.get(i + 3);
            let mask = args.get(i + 4);
            let num = |s: Option<&String>, radix: u32| -> Option<u32> {
                let s = s?;
                if radix == 16 {
                    u32::from_str_radix(s.trim_start_matches("0x"), 16).ok()
                } else {
                    super::iprule::get_u32_base0(s)
                }
            };
            let used = match (what.as_str(), field.as_str()) {
                ("ip", f @ ("src" | "dst")) => {
                    let v = val.ok_or_else(illegal)?;
                    let (addr, len) = match v.split_once('/') {
                        Some((a, l)) => (a, l.parse::<u8>().ok().filter(|&l| l <= 32)),
                        None => (v.as_str(), Some(32)),
                    };
                    let addr: Ipv4Addr = addr.parse().map_err(|_| illegal())?;
                    let len = len.ok_or_else(illegal)?;
                    let m = if len == 0 {
                        0
                    } else {
                        u32::MAX << (32 - u32::from(len))
                    };
                    pack_key(
                        &mut keys,
                        u32::from(addr),
                        m,
                        if f == "src" { 12 } else { 16 },
                    )
                    .ok_or_else(illegal)?;
                    4
                }
                ("ip", f @ ("tos" | "dsfield" | "protocol" | "icmp_type" | "icmp_code")) => {
                    let off = match f {
                        "tos" | "dsfield" => 1,
                        "protocol" => 9,
                        "icmp_type" => 20,
                        _ => 21,
                    };
                    let (v, m) = (
                        num(val, 0).ok_or_else(illegal)?,
                        num(mask, 16).ok_or_else(illegal)?,
                    );
                    pack_key8(&mut keys, v, m, off).ok_or_else(illegal)?;
                    5
                }
                ("ip", f @ ("sport" | "dport")) => {
                    let (v, m) = (
                        num(val, 0).ok_or_else(illegal)?,
                        num(mask, 16).ok_or_else(illegal)?,
                    );
                    pack_key16(&mut keys, v, m, if f == "sport" { 20 } else { 22 })
                        .ok_or_else(illegal)?;
                    5
                }
                ("u32" | "u16" | "u8", _) => {
                    // match uN VAL MASK at OFF
                    let v = num(Some(field), 0).ok_or_else(illegal)?;
                    let m = num(val, 16).ok_or_else(illegal)?;
                    if mask.map(String::as_str) != Some("at") {
                        return Err(illegal());
                    }
                    let off: i32 = args
                        .get(i + 5)
                        .and_then(|o| o.parse().ok())
                        .ok_or_else(illegal)?;
                    match what.as_str() {
                        "u32" => pack_key(&mut keys, v, m, off),
                        "u16" => pack_key16(&mut keys, v, m, off),
                        _ => pack_key8(&mut keys, v, m, off),
                    }
                    .ok_or_else(illegal)?;
                    6
                }
                ("ip" | "ip6" | "tcp" | "udp" | "icmp" | "mark" | "ether", _) => {
                    if what == "ip"
                        && !["ihl", "nofrag", "firstfrag", "df", "mf"].contains(&field.as_str())
                    {
                        return Err(illegal());
                    }
                    return Err(ToolError::not_modelled(format!(
                        "tc filter u32 match {what} {field}"
                    )));
                }
                _ => return Err(illegal()),
            };
            i += used;
            continue;
        } else if a == "action" || a == "actions" {
            acts = parse_actions(k, ns, args, &mut i)?;
            continue;
        } else if [
            "classid", "flowid", "divisor", "link", "ht", "sample", "offset", "hashkey", "order",
            "indev", "skip_hw", "skip_sw", "police",
        ]
        .contains(&a)
        {
            return Err(ToolError::not_modelled(format!("tc filter u32 {a}")));
        } else {
            // (tc's u32 usage text is not recorded.)
            return Err(ToolError::not_modelled(format!("tc filter u32 {a}")));
        }
    }
    Ok((keys, acts))
}

/// `flower_parse_opt` of the modelled keys.
fn flower_parse_opt(
    k: &Kernel,
    ns: NsId,
    protocol: u16,
    args: &[String],
) -> Result<(FlowerKeys, Vec<ActReq>), ToolError> {
    let mut keys = FlowerKeys::default();
    let mut acts = Vec::new();
    let is_ip = protocol == 0x0800;
    let illegal = |w: &str| ToolError::failed(1, format!("Illegal \"{w}\"\n"));
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let a = a.as_str();
        match a {
            "dst_mac" | "src_mac" => {
                let v = next(args, &mut i)?;
                let mac = parse_mac(v).ok_or_else(|| illegal(a))?;
                if a == "dst_mac" {
                    keys.dst_mac = Some(mac);
                } else {
                    keys.src_mac = Some(mac);
                }
            }
            "vlan_id" => {
                let v = next(args, &mut i)?;
                if !matches!(protocol, 0x8100 | 0x88a8) {
                    return Err(ToolError::failed(
                        1,
                        "Can't set \"vlan_id\" if ethertype isn't 802.1Q or 802.1AD and num_of_vlans is 0\n",
                    ));
                }
                keys.vlan_id = Some(
                    v.parse::<u16>()
                        .ok()
                        .filter(|&v| v < 4096)
                        .ok_or_else(|| illegal("vlan id"))?,
                );
            }
            "ip_proto" => {
                let v = next(args, &mut i)?;
                if !is_ip {
                    return Err(illegal("eth_type for ip proto"));
                }
                keys.ip_proto = Some(match v {
                    "tcp" => 6,
                    "udp" => 17,
                    "sctp" => 132,
                    "icmp" => 1,
                    _ => u8::from_str_radix(v.trim_start_matches("0x"), 16)
                        .map_err(|_| illegal("ip_proto"))?,
                });
            }
            "src_ip" | "dst_ip" => {
                let v = next(args, &mut i)?;
                if !is_ip {
                    return Err(illegal("eth_type for ip address"));
                }
                let (addr, len) = match v.split_once('/') {
                    Some((x, l)) => (x, l.parse::<u8>().ok().filter(|&l| l <= 32)),
                    None => (v, Some(32)),
                };
                let addr: Ipv4Addr = addr.parse().map_err(|_| illegal(a))?;
                let p = (addr, len.ok_or_else(|| illegal(a))?);
                if a == "src_ip" {
                    keys.src_ip = Some(p);
                } else {
                    keys.dst_ip = Some(p);
                }
            }
            "src_port" | "dst_port" => {
                let v = next(args, &mut i)?;
                if !matches!(keys.ip_proto, Some(6 | 17 | 132)) {
                    return Err(illegal("ip_proto for port"));
                }
                let p = v.parse::<u16>().map_err(|_| illegal(a))?;
                if a == "src_port" {
                    keys.src_port = Some(p);
                } else {
                    keys.dst_port = Some(p);
                }
            }
            "skip_hw" | "skip_sw" | "verbose" => {}
            "action" | "actions" => {
                acts = parse_actions(k, ns, args, &mut i)?;
                continue;
            }
            "help" => return Err(ToolError::failed(1, FLOWER_USAGE)),
            _ if [
                "indev",
                "num_of_vlans",
                "vlan_prio",
                "vlan_ethtype",
                "cvlan_id",
                "cvlan_prio",
                "cvlan_ethtype",
                "ip_tos",
                "ip_ttl",
                "tcp_flags",
                "type",
                "code",
                "arp_tip",
                "arp_sip",
                "arp_op",
                "enc_key_id",
                "ct_state",
                "classid",
                "flowid",
                "mpls_label",
            ]
            .contains(&a) =>
            {
                return Err(ToolError::not_modelled(format!("tc filter flower {a}")))
            }
            _ => {
                return Err(ToolError::failed(
                    1,
                    format!("What is \"{a}\"?\n{FLOWER_USAGE}"),
                ))
            }
        }
        i += 1;
    }
    Ok((keys, acts))
}

/// `ll_addr_a2n` of a MAC (six hex bytes separated by colons).
fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let mut m = [0u8; 6];
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() != 6 {
        return None;
    }
    for (b, p) in m.iter_mut().zip(parts) {
        if p.is_empty() || p.len() > 2 {
            return None;
        }
        *b = u8::from_str_radix(p, 16).ok()?;
    }
    Some(m)
}

/// `tc_filter_list` + `print_filter`.
fn tc_filter_list(
    k: &mut Kernel,
    ns: NsId,
    args: &[String],
    stats: bool,
) -> Result<String, ToolError> {
    let mut h = parse_head(args, true)?;
    let Some(d) = h.dev else {
        return Err(ToolError::not_modelled("tc filter show without dev"));
    };
    h.m.ifindex = k
        .if_nametoindex(ns, d)
        .ok_or_else(|| ToolError::failed(1, format!("Cannot find device \"{d}\"\n")))?;
    if h.m.parent == 0 {
        // The root qdisc has no filters in this model.
        return Ok(String::new());
    }
    let dump = k.rtnl_dump_tfilter(ns, &h.m).map_err(rtnl_err)?;
    let now = k.now.0;
    let mut out = String::new();
    for f in &dump {
        print_filter(k, f, h.m.parent, stats, now, &mut out);
    }
    Ok(out)
}

fn print_filter(k: &Kernel, f: &TfDump, want_parent: u32, stats: bool, now: u64, out: &mut String) {
    let tp = &f.tp;
    out.push_str("filter ");
    if f.parent != want_parent {
        match f.parent & 0xFFFF {
            TC_H_MIN_INGRESS => out.push_str("ingress "),
            _ => out.push_str("egress "),
        }
    }
    out.push_str(&format!(
        "protocol {} pref {} {} chain 0 ",
        ll_proto_n2a(tp.protocol),
        tp.prio,
        tp.kind
    ));
    let Some(i) = f.node else {
        out.push('\n');
        return;
    };
    if i == usize::MAX {
        out.push_str(&format!("fh {:x}: ht divisor 1 \n", tp.ht));
        return;
    }
    match &tp.nodes[i] {
        TcfNode::U32(n, acts) => {
            let ht = n.handle >> 20;
            let id = n.handle & 0xFFF;
            out.push_str(&format!(
                "fh {ht:x}::{id:x} order {id} key ht {ht:x} bkt 0 terminal flowid not_in_hw "
            ));
            if stats {
                out.push_str(&format!("(rule hit {} success {})", n.rcnt, n.rhit));
            }
            out.push('\n');
            for key in &n.keys {
                out.push_str(&format!(
                    "  match {:08x}/{:08x} at {}",
                    key.val, key.mask, key.off
                ));
                if stats {
                    out.push_str(&format!(" (success {} ) ", key.success));
                }
                out.push('\n');
            }
            print_actions(k, acts, stats, now, out);
        }
        TcfNode::Flower(fl, acts) => {
            out.push_str(&format!("handle 0x{:x} \n", fl.handle));
            let key = &fl.keys;
            if let Some(v) = key.vlan_id {
                out.push_str(&format!("  vlan_id {v}\n"));
            }
            let mac = |m: &[u8; 6]| {
                m.iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<Vec<_>>()
                    .join(":")
            };
            if let Some(m) = &key.dst_mac {
                out.push_str(&format!("  dst_mac {}\n", mac(m)));
            }
            if let Some(m) = &key.src_mac {
                out.push_str(&format!("  src_mac {}\n", mac(m)));
            }
            if key.eth_type == Some(0x0800) {
                out.push_str("  eth_type ipv4\n");
            }
            if let Some(p) = key.ip_proto {
                let name = match p {
                    6 => "tcp".to_string(),
                    17 => "udp".into(),
                    132 => "sctp".into(),
                    1 => "icmp".into(),
                    _ => format!("{p:02x}"),
                };
                out.push_str(&format!("  ip_proto {name}\n"));
            }
            for (name, ip) in [("dst_ip", key.dst_ip), ("src_ip", key.src_ip)] {
                if let Some((a, len)) = ip {
                    if len == 32 {
                        out.push_str(&format!("  {name} {a}\n"));
                    } else {
                        out.push_str(&format!("  {name} {a}/{len}\n"));
                    }
                }
            }
            if let Some(p) = key.dst_port {
                out.push_str(&format!("  dst_port {p}\n"));
            }
            if let Some(p) = key.src_port {
                out.push_str(&format!("  src_port {p}\n"));
            }
            out.push_str("  not_in_hw\n");
            print_actions(k, acts, stats, now, out);
        }
    }
}

/// `tcf_action_print` of a filter's actions (`tc_print_action`), then an empty line.
fn print_actions(k: &Kernel, acts: &[TcAction], stats: bool, now: u64, out: &mut String) {
    for (n, a) in acts.iter().enumerate() {
        out.push_str(&format!("\taction order {}: ", n + 1));
        let index = match &a.kind {
            ActKind::Gact(v) => {
                out.push_str(&format!(
                    "gact action {}\n\t random type none pass val 0\n",
                    v.name()
                ));
                format!("\t index {} ref 1 bind 1", a.index)
            }
            ActKind::Mirred {
                redirect,
                dev,
                action,
            } => {
                // A deleted target dumps ifindex 0, which tc names `*`.
                let name = if k.dev_alive(*dev) {
                    k.dev(*dev).name.as_str()
                } else {
                    "*"
                };
                out.push_str(&format!(
                    "mirred (Egress {} to device {name}) {}\n",
                    if *redirect { "Redirect" } else { "Mirror" },
                    action.name()
                ));
                format!("\tindex {} ref 1 bind 1", a.index)
            }
        };
        out.push_str(&index);
        if stats {
            // tcf_tm_dump: seconds since install, last use and first use (jiffies to
            // clock_t, printed divided by USER_HZ).
            let secs = |t: u64| now.saturating_sub(t) / 1_000_000_000;
            out.push_str(&format!(
                " installed {} sec used {} sec",
                secs(a.install),
                secs(a.lastuse)
            ));
            if a.firstuse != 0 {
                out.push_str(&format!(" firstused {} sec", secs(a.firstuse)));
            }
            out.push_str(&format!(
                "\n\tAction statistics:\n\tSent {} bytes {} pkt (dropped {}, overlimits {} requeues 0) \n\tbacklog 0b 0p requeues 0\n",
                a.bytes, a.packets, a.drops, a.overlimits
            ));
        } else {
            out.push('\n');
        }
    }
    out.push('\n');
}

/// `tc -s filter ...` entry from `tc.rs`.
pub fn tc_filter(k: &mut Kernel, ns: NsId, args: &[String], stats: bool) -> ToolOutput {
    do_filter(k, ns, args, stats).into()
}

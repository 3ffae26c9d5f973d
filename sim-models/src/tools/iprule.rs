//! `ip rule` (iproute2 6.1 `ip/iprule.c`): add, del, flush, list/show with selectors, help.
//! Texts recorded from the real `ip` 6.1 (tests in `tools/iprule_tests.rs`).

use super::ip::{matches, next, parse_proto, parse_table, rtnl_err, usage};
use super::{ToolError, ToolOutput};
use crate::kernel::{Kernel, NsId};
use crate::net::fib::RT_TABLE_MAIN;
use crate::net::fib_rules::{FibRule, FrAction};
use crate::net::rtnetlink::rule::{RuleMsg, RuleReq};
use std::net::Ipv4Addr;

/// `ip rule help` (iproute2 6.1, status 255, on stderr).
pub const IP_RULE_USAGE: &str = "\
Usage: ip rule { add | del } SELECTOR ACTION
       ip rule { flush | save | restore }
       ip rule [ list [ SELECTOR ]]
SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]
            [ fwmark FWMARK[/MASK] ]
            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]
            [ uidrange NUMBER-NUMBER ]
            [ ipproto PROTOCOL ]
            [ sport [ NUMBER | NUMBER-NUMBER ]
            [ dport [ NUMBER | NUMBER-NUMBER ] ]
ACTION := [ table TABLE_ID ]
          [ protocol PROTO ]
          [ nat ADDRESS ]
          [ realms [SRCREALM/]DSTREALM ]
          [ goto NUMBER ]
          SUPPRESSOR
SUPPRESSOR := [ suppress_prefixlength NUMBER ]
              [ suppress_ifgroup DEVGROUP ]
TABLE_ID := [ local | main | default | NUMBER ]
";

/// iproute2's `invarg`: `Error: argument "ARG" is wrong: MSG` (MSG may end in its own `\n`).
fn invarg(msg: &str, arg: &str) -> ToolError {
    usage(format!("Error: argument \"{arg}\" is wrong: {msg}\n"))
}

/// `get_u32(&v, arg, 0)`: strtoul with base 0 (`0x` hex, leading 0 octal), whole word.
pub(crate) fn get_u32_base0(s: &str) -> Option<u32> {
    let (digits, radix) = if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (h, 16)
    } else if s.len() > 1 && s.starts_with('0') {
        (&s[1..], 8)
    } else {
        (s, 10)
    };
    if digits.is_empty() {
        return None;
    }
    u32::from_str_radix(digits, radix).ok()
}

/// `rtnl_dsfield_a2n`: a number (base 16, as `strtoul(arg, &end, 16)`) or a name of
/// `/etc/iproute2/rt_dsfield`.
fn dsfield_a2n(s: &str) -> Option<u8> {
    let named = [
        ("CS0", 0x00),
        ("CS1", 0x20),
        ("CS2", 0x40),
        ("CS3", 0x60),
        ("CS4", 0x80),
        ("CS5", 0xa0),
        ("CS6", 0xc0),
        ("CS7", 0xe0),
        ("EF", 0xb8),
    ];
    if let Some((_, v)) = named.iter().find(|(n, _)| *n == s) {
        return Some(*v);
    }
    let h = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    let v = u32::from_str_radix(h, 16).ok()?;
    u8::try_from(v).ok()
}

/// `/etc/protocols` names iproute2's `inet_proto_a2n`/`n2a` use for the common protocols.
const IPPROTOS: &[(u8, &str)] = &[
    (0, "ip"),
    (1, "icmp"),
    (2, "igmp"),
    (4, "ipencap"),
    (6, "tcp"),
    (17, "udp"),
    (41, "ipv6"),
    (47, "gre"),
    (50, "esp"),
    (51, "ah"),
    (58, "ipv6-icmp"),
    (132, "sctp"),
];

pub(crate) fn ipproto_a2n(s: &str) -> Option<u8> {
    if let Some((n, _)) = IPPROTOS.iter().find(|(_, name)| *name == s) {
        return Some(*n);
    }
    let v = get_u32_base0(s)?;
    u8::try_from(v).ok()
}

fn ipproto_n2a(p: u8) -> String {
    match IPPROTOS.iter().find(|(n, _)| *n == p) {
        Some((_, name)) => (*name).to_string(),
        None => format!("ipproto-{p}"),
    }
}

/// `sscanf(arg, "%hu-%hu", ...)`: one number or a range (values wrap at 16 bits as `%hu`).
fn port_range(s: &str) -> Option<(u16, u16)> {
    let num = |x: &str| -> Option<u16> {
        let d: String = x.chars().take_while(|c| c.is_ascii_digit()).collect();
        if d.is_empty() {
            return None;
        }
        Some((d.parse::<u64>().ok()? & 0xffff) as u16)
    };
    match s.split_once('-') {
        Some((a, b)) => Some((num(a)?, num(b).unwrap_or(num(a)?))),
        None => {
            let a = num(s)?;
            Some((a, a))
        }
    }
}

/// What a rule selector/action parse gave (`iprule_modify` / `iprule_list_flush_or_save`).
struct Parsed {
    req: RuleReq,
    /// For `list`: which selectors were given (a rule must match each).
    has_table: bool,
    has_src: bool,
    has_dst: bool,
}

fn parse_rule(k: &Kernel, ns: NsId, args: &[String], add: bool) -> Result<Parsed, ToolError> {
    let _ = (k, ns);
    let mut r = FibRule::new(0, 0);
    let mut p = Parsed {
        req: RuleReq {
            rule: r.clone(),
            has_pref: false,
            action: add.then_some(FrAction::ToTbl),
            table: 0,
        },
        has_table: false,
        has_src: false,
        has_dst: false,
    };
    let mut i = 0;
    let prefix = |w: &str| -> Result<(Ipv4Addr, u8), ToolError> {
        let (a, l, _) = super::ip::parse_prefix(w)?;
        Ok((a, l))
    };
    while i < args.len() {
        let w = args[i].as_str();
        if w == "not" {
            r.invert = true;
        } else if w == "from" {
            let v = next(args, &mut i, w)?;
            if v != "all" {
                (r.src, r.src_len) = prefix(v)?;
                p.has_src = true;
            }
        } else if w == "to" {
            let v = next(args, &mut i, w)?;
            if v != "all" {
                (r.dst, r.dst_len) = prefix(v)?;
                p.has_dst = true;
            }
        } else if matches(w, "preference") || matches(w, "order") || matches(w, "priority") {
            let v = next(args, &mut i, w)?;
            r.pref = get_u32_base0(v).ok_or_else(|| invarg("preference value is invalid\n", v))?;
            p.req.has_pref = true;
        } else if w == "tos" || matches(w, "dsfield") {
            let v = next(args, &mut i, w)?;
            r.tos = dsfield_a2n(v).ok_or_else(|| invarg("TOS value is invalid\n", v))?;
        } else if matches(w, "fwmark") {
            let v = next(args, &mut i, w)?;
            let (m, mask) = match v.split_once('/') {
                Some((m, mask)) => (m, Some(mask)),
                None => (v, None),
            };
            r.mark = get_u32_base0(m).ok_or_else(|| invarg("fwmark value is invalid\n", m))?;
            r.mark_mask = match mask {
                Some(mask) => {
                    get_u32_base0(mask).ok_or_else(|| invarg("fwmask value is invalid\n", mask))?
                }
                None => u32::MAX,
            };
            r.has_mark = true;
        } else if matches(w, "realms") || w == "nat" || matches(w, "map-to") {
            return Err(ToolError::not_modelled(format!("ip rule {w}")));
        } else if matches(w, "protocol") {
            let v = next(args, &mut i, w)?;
            r.proto = parse_proto(v).ok_or_else(|| invarg("\"protocol\" value is invalid\n", v))?;
        } else if matches(w, "table") || w == "lookup" {
            let v = next(args, &mut i, w)?;
            p.req.table = parse_table(v).ok_or_else(|| invarg("invalid table ID\n", v))?;
            p.has_table = true;
        } else if matches(w, "suppress_prefixlength") || w == "sup_pl" {
            let v = next(args, &mut i, w)?;
            r.suppress_prefixlen = v
                .parse()
                .map_err(|_| invarg("suppress_prefixlength value is invalid\n", v))?;
        } else if matches(w, "suppress_ifgroup") || w == "sup_group" {
            return Err(ToolError::not_modelled("ip rule suppress_ifgroup"));
        } else if matches(w, "dev") || matches(w, "iif") {
            r.iifname = Some(next(args, &mut i, w)?.to_string());
        } else if matches(w, "oif") {
            r.oifname = Some(next(args, &mut i, w)?.to_string());
        } else if matches(w, "l3mdev") {
            r.l3mdev = true;
        } else if matches(w, "uidrange") {
            let v = next(args, &mut i, w)?;
            let bad = || invarg("invalid UID range\n", v);
            let (a, b) = v.split_once('-').ok_or_else(bad)?;
            r.uid_range = Some((a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?));
        } else if matches(w, "ipproto") {
            let v = next(args, &mut i, w)?;
            r.ip_proto = ipproto_a2n(v).ok_or_else(|| invarg("Invalid \"ipproto\" value\n", v))?;
        } else if matches(w, "sport") {
            let v = next(args, &mut i, w)?;
            r.sport = Some(port_range(v).ok_or_else(|| invarg("invalid sport range\n", v))?);
        } else if matches(w, "dport") {
            let v = next(args, &mut i, w)?;
            r.dport = Some(port_range(v).ok_or_else(|| invarg("invalid dport range\n", v))?);
        } else if matches(w, "help") {
            return Err(usage(IP_RULE_USAGE));
        } else if matches(w, "goto") {
            let v = next(args, &mut i, w)?;
            let t = get_u32_base0(v).ok_or_else(|| invarg("invalid target\n", v))?;
            p.req.action = Some(FrAction::Goto(t));
        } else if matches(w, "nop") {
            p.req.action = Some(FrAction::Nop);
        } else {
            // rtnl_rtntype_a2n
            p.req.action = Some(match w {
                "unicast" => FrAction::ToTbl,
                "blackhole" => FrAction::Blackhole,
                "unreachable" => FrAction::Unreachable,
                "prohibit" => FrAction::Prohibit,
                _ => return Err(invarg("Failed to parse rule type", w)),
            });
        }
        i += 1;
    }
    // iproute2 asks for the main table only for a `lookup` action (recorded: `ip rule add
    // from 1.2.3.4 goto 300` shows no `lookup`)
    if add && !p.has_table && p.req.action == Some(FrAction::ToTbl) {
        p.req.table = RT_TABLE_MAIN;
    }
    if r.l3mdev && p.has_table {
        return Err(ToolError::usage(
            22,
            "table can not be specified for l3mdev rules\n",
        ));
    }
    p.req.rule = r;
    Ok(p)
}

/// One line of `ip rule show` (`print_rule`); `prefs` are the dump's priorities (a goto whose
/// target priority has no rule is `[unresolved]`).
fn print_rule(m: &RuleMsg, prefs: &[u32]) -> String {
    let r = &m.rule;
    let mut t: Vec<String> = Vec::new();
    if r.invert {
        t.push("not".into());
    }
    let pfx = |a: Ipv4Addr, l: u8| {
        if l == 32 {
            a.to_string()
        } else {
            format!("{a}/{l}")
        }
    };
    if r.src_len > 0 {
        t.push(format!("from {}", pfx(r.src, r.src_len)));
    } else {
        t.push("from all".into());
    }
    if r.dst_len > 0 {
        t.push(format!("to {}", pfx(r.dst, r.dst_len)));
    }
    if r.tos != 0 {
        t.push(format!("tos 0x{:x}", r.tos));
    }
    if r.has_mark {
        if r.mark_mask != u32::MAX {
            t.push(format!("fwmark 0x{:x}/0x{:x}", r.mark, r.mark_mask));
        } else {
            t.push(format!("fwmark 0x{:x}", r.mark));
        }
    }
    if let Some(n) = &r.iifname {
        t.push(format!("iif {n}"));
        if m.iif_detached {
            t.push("[detached]".into());
        }
    }
    if let Some(n) = &r.oifname {
        t.push(format!("oif {n}"));
        if m.oif_detached {
            t.push("[detached]".into());
        }
    }
    if r.l3mdev {
        t.push("lookup [l3mdev-table]".into());
    }
    if let Some((a, b)) = r.uid_range {
        t.push(format!("uidrange {a}-{b}"));
    }
    if r.ip_proto != 0 {
        t.push(format!("ipproto {}", ipproto_n2a(r.ip_proto)));
    }
    for (name, range) in [("sport", r.sport), ("dport", r.dport)] {
        match range {
            Some((a, b)) if a == b => t.push(format!("{name} {a}")),
            Some((a, b)) => t.push(format!("{name} {a}-{b}")),
            None => {}
        }
    }
    if r.table != 0 {
        t.push(format!("lookup {}", super::show::table_name(r.table)));
        if r.suppress_prefixlen != -1 {
            t.push(format!("suppress_prefixlength {}", r.suppress_prefixlen));
        }
    }
    match r.action {
        FrAction::ToTbl => {}
        FrAction::Goto(target) => {
            t.push(format!("goto {target}"));
            if !prefs.contains(&target) {
                t.push("[unresolved]".into());
            }
        }
        FrAction::Nop => t.push("nop".into()),
        FrAction::Blackhole => t.push("blackhole".into()),
        FrAction::Unreachable => t.push("unreachable".into()),
        FrAction::Prohibit => t.push("prohibit".into()),
    }
    // RTPROT_KERNEL is not printed without -d (the default rules carry it)
    if r.proto != 0 && r.proto != crate::net::fib::RTPROT_KERNEL {
        t.push(format!("proto {}", super::show::proto_name(r.proto)));
    }
    format!("{}:\t{}\n", r.pref, t.join(" "))
}

/// Does dumped rule `m` pass `ip rule list`'s selectors (`filter_nlmsg`)?
fn filter_rule(p: &Parsed, m: &RuleMsg) -> bool {
    let q = &p.req.rule;
    let r = &m.rule;
    !((p.req.has_pref && r.pref != q.pref)
        || (q.invert && !r.invert)
        || (p.has_src && (r.src_len != q.src_len || r.src != q.src))
        || (p.has_dst && (r.dst_len != q.dst_len || r.dst != q.dst))
        || (q.tos != 0 && r.tos != q.tos)
        || (q.has_mark && (r.mark != q.mark || r.mark_mask != q.mark_mask))
        || (q.iifname.is_some() && r.iifname != q.iifname)
        || (q.oifname.is_some() && r.oifname != q.oifname)
        || (q.l3mdev && !r.l3mdev)
        || (q.uid_range.is_some() && r.uid_range != q.uid_range)
        || (q.ip_proto != 0 && r.ip_proto != q.ip_proto)
        || (q.sport.is_some() && r.sport != q.sport)
        || (q.dport.is_some() && r.dport != q.dport)
        || (p.has_table && r.table != p.req.table)
        || (q.proto != 0 && r.proto != q.proto)
        || (q.suppress_prefixlen != -1 && r.suppress_prefixlen != q.suppress_prefixlen))
}

/// `ip rule ...`
pub fn ip_rule(k: &mut Kernel, ns: NsId, args: &[String]) -> Result<ToolOutput, ToolError> {
    let cmd = args.first().map(String::as_str).unwrap_or("list");
    let rest = if args.is_empty() { args } else { &args[1..] };
    if matches(cmd, "add") {
        if rest.is_empty() {
            return Err(ToolError::usage(1, "\"ip rule add\" requires arguments.\n"));
        }
        let p = parse_rule(k, ns, rest, true)?;
        k.fib_nl_newrule(ns, &p.req).map_err(rtnl_err)?;
        Ok(ToolOutput::ok(String::new()))
    } else if matches(cmd, "delete") {
        let p = parse_rule(k, ns, rest, false)?;
        k.fib_nl_delrule(ns, &p.req).map_err(rtnl_err)?;
        Ok(ToolOutput::ok(String::new()))
    } else if matches(cmd, "flush") {
        // iprule_list_flush_or_save: every rule but those of priority 0
        for m in k.fib_rules_dump(ns) {
            if m.rule.pref == 0 {
                continue;
            }
            let req = RuleReq {
                rule: m.rule.clone(),
                has_pref: true,
                action: Some(m.rule.action),
                table: m.rule.table,
            };
            k.fib_nl_delrule(ns, &req).map_err(rtnl_err)?;
        }
        Ok(ToolOutput::ok(String::new()))
    } else if matches(cmd, "list") || matches(cmd, "lst") || matches(cmd, "show") {
        let p = parse_rule(k, ns, rest, false)?;
        let dump = k.fib_rules_dump(ns);
        let prefs: Vec<u32> = dump.iter().map(|m| m.rule.pref).collect();
        let mut out = String::new();
        for m in dump.iter().filter(|m| filter_rule(&p, m)) {
            out += &print_rule(m, &prefs);
        }
        Ok(ToolOutput::ok(out))
    } else if matches(cmd, "help") {
        Err(usage(IP_RULE_USAGE))
    } else if matches(cmd, "save") || matches(cmd, "restore") {
        Err(ToolError::not_modelled(format!("ip rule {cmd}")))
    } else {
        Err(usage(format!(
            "Command \"{cmd}\" is unknown, try \"ip rule help\".\n"
        )))
    }
}

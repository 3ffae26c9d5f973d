//! `ip -6 address|route|rule` and the IPv6 forms of `ip address` (the family inferred from
//! the address, as iproute2's `get_prefix` does): IPv6 configuration only (net/addrconf.rs).

use super::ip::{bad_arg, find_dev, garbage, next, rtnl_err, usage};
use super::show::{self, ShowOpts};
use super::ToolError;
use crate::kernel::{Kernel, NsId};
use crate::net::addrconf::{Addr6Msg, IFA_F_NODAD};
use crate::tools::ip::matches;
use std::net::Ipv6Addr;

type R = Result<String, ToolError>;

/// Whether an `ip` argument is an IPv6 address or prefix (`2001:db8::1`, `2001:db8::/64`).
pub fn is_inet6(w: &str) -> bool {
    let a = w.split_once('/').map_or(w, |(a, _)| a);
    a.contains(':') && a.parse::<Ipv6Addr>().is_ok()
}

/// `get_prefix` for `AF_INET6`: `ADDR[/LEN]`, LEN 0..=128 (128 when absent).
pub fn parse_prefix6(s: &str) -> Result<(Ipv6Addr, u8, bool), ToolError> {
    let bad = || {
        usage(format!(
            "Error: inet6 prefix is expected rather than \"{s}\".\n"
        ))
    };
    let (a, l) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let addr: Ipv6Addr = a.parse().map_err(|_| bad())?;
    match l {
        None => Ok((addr, 128, false)),
        Some(l) => match l.parse::<u8>() {
            Ok(n) if n <= 128 => Ok((addr, n, true)),
            _ => Err(bad()),
        },
    }
}

/// `ip -6 address ...`.
pub fn ip6_addr(k: &mut Kernel, ns: NsId, args: &[String], opts: &ShowOpts) -> R {
    let Some(cmd) = args.first() else {
        return Ok(show::ip_addr_show(k, ns, None, opts));
    };
    let rest = &args[1..];
    if matches(cmd, "add") || matches(cmd, "replace") || matches(cmd, "change") {
        addr6_add(k, ns, rest)
    } else if matches(cmd, "delete") {
        addr6_del(k, ns, rest)
    } else if matches(cmd, "flush") {
        let d = dev_of(k, ns, rest)?
            .ok_or_else(|| ToolError::failed(1, "Flush requires arguments.\n"))?;
        k.inet6_flushaddr(ns, d).map_err(rtnl_err)?;
        Ok(String::new())
    } else if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        let d = dev_of(k, ns, rest)?;
        Ok(show::ip_addr_show(k, ns, d, opts))
    } else {
        Err(usage(format!(
            "Command \"{cmd}\" is unknown, try \"ip address help\".\n"
        )))
    }
}

/// The device of a show/flush selector (`dev X` or a bare name): `ip addr`'s selector parser,
/// shared with IPv4 (`ip::link_sel`).
fn dev_of(k: &Kernel, ns: NsId, rest: &[String]) -> Result<Option<u32>, ToolError> {
    Ok(super::ip::link_sel(k, ns, rest, true)?.dev)
}

/// `ip [-6] addr add ADDR6[/LEN] dev D [nodad] [valid_lft ...]`.
pub fn addr6_add(k: &mut Kernel, ns: NsId, args: &[String]) -> R {
    let mut local = None;
    let mut dev = None;
    let mut flags = 0;
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        match w {
            "dev" => dev = Some(find_dev(k, ns, next(args, &mut i, w)?)?),
            "nodad" => flags |= IFA_F_NODAD,
            "noprefixroute" | "home" | "optimistic" | "mngtmpaddr" | "autojoin" => {}
            "valid_lft" | "preferred_lft" | "metric" | "proto" | "scope" | "label" => {
                next(args, &mut i, w)?;
            }
            "local" => local = Some(parse_prefix6(next(args, &mut i, w)?)?),
            _ if local.is_none() => local = Some(parse_prefix6(w)?),
            _ => return Err(garbage("local", w)),
        }
        i += 1;
    }
    let Some(d) = dev else {
        return Err(bad_arg(
            "Not enough information: \"dev\" argument is required.\n",
        ));
    };
    let Some((addr, plen, _)) = local else {
        return Err(rtnl_err(crate::errno::Errno::EOPNOTSUPP.into()));
    };
    k.inet6_rtm_newaddr(
        ns,
        &Addr6Msg {
            ifindex: d,
            addr,
            plen,
            flags,
        },
    )
    .map_err(rtnl_err)?;
    Ok(String::new())
}

/// `ip [-6] addr del ADDR6[/LEN] dev D`.
pub fn addr6_del(k: &mut Kernel, ns: NsId, args: &[String]) -> R {
    let mut local = None;
    let mut dev = None;
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        match w {
            "dev" => dev = Some(find_dev(k, ns, next(args, &mut i, w)?)?),
            "scope" | "label" => {
                next(args, &mut i, w)?;
            }
            _ => local = Some(parse_prefix6(w)?),
        }
        i += 1;
    }
    let Some(d) = dev else {
        return Err(bad_arg(
            "Not enough information: \"dev\" argument is required.\n",
        ));
    };
    let Some((addr, plen, _)) = local else {
        return Err(bad_arg(
            "Not enough information: \"local\" argument is required.\n",
        ));
    };
    k.inet6_rtm_deladdr(ns, d, addr, plen).map_err(rtnl_err)?;
    Ok(String::new())
}

/// `ip -6 route ...` (and `ip route add|del|replace` whose prefix or gateway is IPv6).
pub fn ip6_route(k: &mut Kernel, ns: NsId, args: &[String]) -> R {
    let Some(cmd) = args.first() else {
        return route6_show(k, ns, &[]);
    };
    let rest = &args[1..];
    if let Some(at) = rest
        .iter()
        .position(|w| w == "nexthop")
        .filter(|_| matches(cmd, "add") || matches(cmd, "replace") || matches(cmd, "append"))
    {
        // A multipath route: IPv6 keeps one sibling route per nexthop (ip6_route_multipath_add);
        // each is stored as configuration like a single-path route.
        let mut msgs = Vec::new();
        for seg in rest[at..].split(|w| w == "nexthop").skip(1) {
            let mut spec = rest[..at].to_vec();
            // a sibling's weight is not kept (no IPv6 forwarding is modelled)
            let mut it = seg.iter();
            while let Some(w) = it.next() {
                if w == "weight" {
                    it.next();
                } else {
                    spec.push(w.clone());
                }
            }
            msgs.push(parse_route6(k, ns, &spec)?);
        }
        for (n, m) in msgs.iter().enumerate() {
            if n == 0 {
                k.ip6_route_add(ns, m, matches(cmd, "replace"))
            } else {
                k.ip6_route_append(ns, m)
            }
            .map_err(rtnl_err)?;
        }
        return Ok(String::new());
    }
    if matches(cmd, "add") || matches(cmd, "replace") || matches(cmd, "append") {
        let m = parse_route6(k, ns, rest)?;
        k.ip6_route_add(ns, &m, matches(cmd, "replace"))
            .map_err(rtnl_err)?;
        Ok(String::new())
    } else if matches(cmd, "delete") {
        let m = parse_route6(k, ns, rest)?;
        k.ip6_route_del(ns, &m).map_err(rtnl_err)?;
        Ok(String::new())
    } else if matches(cmd, "show") || matches(cmd, "list") || matches(cmd, "lst") {
        route6_show(k, ns, rest)
    } else if matches(cmd, "flush") && rest.first().is_some_and(|w| w == "cache") {
        // no route exceptions are kept for IPv6: nothing to flush
        Ok(String::new())
    } else if matches(cmd, "get") {
        Err(ToolError::not_modelled("ip -6 route get"))
    } else {
        Err(ToolError::not_modelled(format!("ip -6 route {cmd}")))
    }
}

/// `ip -6 route add|del [TYPE] PREFIX [via GW] [dev D] [metric M] [table T] [proto P]`.
fn parse_route6(
    k: &Kernel,
    ns: NsId,
    args: &[String],
) -> Result<crate::net::ip6_route::Route6Msg, ToolError> {
    use crate::net::ip6_route::*;
    let mut m = Route6Msg::default();
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        match w {
            "via" => {
                let g = next(args, &mut i, w)?;
                let g = g.strip_prefix("inet6 ").unwrap_or(g);
                m.gw = Some(parse_prefix6(g)?.0);
            }
            "dev" | "oif" => {
                let n = next(args, &mut i, w)?;
                let ix = find_dev(k, ns, n)?;
                m.dev = k.dev_by_ifindex(ns, ix);
            }
            "metric" | "preference" | "priority" => {
                let v = next(args, &mut i, w)?;
                m.metric = Some(v.parse().map_err(|_| {
                    usage(format!(
                        "Error: argument \"{v}\" is wrong: \"metric\" value is invalid\n\n"
                    ))
                })?);
            }
            "table" => {
                let v = next(args, &mut i, w)?;
                m.table = Some(super::ip::parse_table(v).ok_or_else(|| {
                    usage(format!(
                        "Error: argument \"{v}\" is wrong: \"table\" value is invalid\n\n"
                    ))
                })?);
            }
            "proto" | "protocol" => {
                let v = next(args, &mut i, w)?;
                m.proto = Some(super::ip::parse_proto(v).ok_or_else(|| {
                    usage(format!(
                        "Error: argument \"{v}\" is wrong: \"protocol\" value is invalid\n\n"
                    ))
                })?);
            }
            "pref" => {
                next(args, &mut i, w)?;
            }
            "onlink" => {}
            "unicast" => m.rtype = Some(RTN_UNICAST),
            "unreachable" => m.rtype = Some(RTN_UNREACHABLE),
            "prohibit" => m.rtype = Some(RTN_PROHIBIT),
            "blackhole" => m.rtype = Some(RTN_BLACKHOLE),
            "to" => {
                let v = next(args, &mut i, w)?;
                m.dst = Some(route6_dst(v)?);
            }
            "mtu" | "advmss" | "hoplimit" | "nhid" | "nexthop" | "vrf" | "expires" | "src"
            | "from" | "encap" | "congctl" | "initcwnd" | "rtt" => {
                return Err(ToolError::not_modelled(format!("ip -6 route {w}")));
            }
            _ if m.dst.is_none() => m.dst = Some(route6_dst(w)?),
            _ => {
                return Err(usage(format!(
                    "Error: either \"to\" is duplicate, or \"{w}\" is a garbage.\n"
                )))
            }
        }
        i += 1;
    }
    Ok(m)
}

fn route6_dst(v: &str) -> Result<(Ipv6Addr, u8), ToolError> {
    if v == "default" || v == "all" || v == "any" {
        return Ok((Ipv6Addr::UNSPECIFIED, 0));
    }
    let (a, l, _) = parse_prefix6(v)?;
    Ok((a, l))
}

/// `ip -6 route [show] [table T|all] [dev D]`: the stored routes in the `fib6` dump order
/// (recorded, iproute2 6.1: `2001:db8:5::/64 via 2001:db8::3 dev v0 metric 1024 pref medium`,
/// `unreachable default dev lo metric 8192 pref medium`).
fn route6_show(k: &Kernel, ns: NsId, args: &[String]) -> R {
    use crate::net::fib::{RTPROT_BOOT, RT_TABLE_MAIN};
    use crate::net::ip6_route::*;
    let mut table = Some(RT_TABLE_MAIN);
    let mut dev = None;
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        match w {
            "table" => {
                let v = next(args, &mut i, w)?;
                table = if v == "all" {
                    None
                } else {
                    Some(super::ip::parse_table(v).ok_or_else(|| {
                        usage(format!(
                            "Error: argument \"{v}\" is wrong: table id value is invalid\n\n"
                        ))
                    })?)
                };
            }
            "dev" | "oif" => {
                let n = next(args, &mut i, w)?;
                let ix = find_dev(k, ns, n)?;
                dev = k.dev_by_ifindex(ns, ix);
            }
            _ => return Err(ToolError::not_modelled(format!("ip -6 route show {w}"))),
        }
        i += 1;
    }
    let mut routes: Vec<&Rt6Info> = k
        .net(ns)
        .rt6
        .iter()
        .filter(|r| table.is_none_or(|t| r.table == t) && dev.is_none_or(|d| r.dev == Some(d)))
        .collect();
    routes.sort_by(|a, b| fib6_dump_order(a, b));
    let mut out = String::new();
    for r in routes {
        match r.rtype {
            RTN_UNREACHABLE => out.push_str("unreachable "),
            RTN_PROHIBIT => out.push_str("prohibit "),
            RTN_BLACKHOLE => out.push_str("blackhole "),
            _ => {}
        }
        if r.plen == 0 {
            out.push_str("default ");
        } else if r.plen == 128 {
            out.push_str(&format!("{} ", r.dst));
        } else {
            out.push_str(&format!("{}/{} ", r.dst, r.plen));
        }
        if let Some(g) = r.gw {
            out.push_str(&format!("via {g} "));
        }
        if let Some(d) = r.dev {
            out.push_str(&format!("dev {} ", k.dev(d).name));
        }
        if r.table != RT_TABLE_MAIN {
            out.push_str(&format!("table {} ", super::show::table_name(r.table)));
        }
        if r.proto != RTPROT_BOOT {
            out.push_str(&format!("proto {} ", super::show::proto_name(r.proto)));
        }
        out.push_str(&format!("metric {} pref medium\n", r.metric));
    }
    Ok(out)
}

/// `ip -6 rule ...`: the IPv4 rule parser and printer (tools/iprule.rs) over the namespace's
/// IPv6 rule list, for the selectors that are not addresses (priority, table, iif/oif, fwmark,
/// dsfield, ipproto, ports, uidrange, suppress_prefixlength); `from`/`to` with an IPv6 prefix
/// are not modelled yet (the rule's addresses are IPv4-typed).
pub fn ip6_rule(k: &mut Kernel, ns: NsId, args: &[String]) -> Result<super::ToolOutput, ToolError> {
    if args
        .iter()
        .any(|w| matches!(w.as_str(), "from" | "to" | "src" | "dst"))
    {
        return Err(ToolError::not_modelled("ip -6 rule from|to"));
    }
    let add = args.first().is_some_and(|c| matches(c, "add"));
    {
        let net = k.net_mut(ns);
        std::mem::swap(&mut net.fib.rules, &mut net.rules6);
    }
    let r = super::iprule::ip_rule(k, ns, args);
    {
        let net = k.net_mut(ns);
        std::mem::swap(&mut net.fib.rules, &mut net.rules6);
    }
    if add && r.as_ref().is_ok_and(|o| o.status == 0) {
        k.ipv6_configured = true;
    }
    r
}

#[cfg(test)]
mod tests {
    //! Expected texts recorded with iproute2 6.1 on this host's kernel, in a scratch namespace
    //! with IPv6 enabled (v0 02:00:00:00:00:01 set by hand, v1's MAC as the kernel drew it).
    use crate::kernel::Kernel;
    use crate::tools::ip::ip;

    fn run(k: &mut Kernel, ns: crate::kernel::NsId, line: &str) -> (String, String) {
        let a: Vec<String> = line.split_whitespace().map(String::from).collect();
        let o = ip(k, ns, &a);
        (o.stdout, o.stderr)
    }

    #[test]
    fn inet6_addresses_as_iproute2_prints_them() {
        let mut k = Kernel::new(1);
        k.set_ipv6_netns(true);
        let ns = k.netns_add("a");
        for l in [
            "link add v0 type veth peer name v1",
            "link set v0 address 02:00:00:00:00:01",
            "link set v1 address 36:17:db:4d:ed:00",
            "link set v0 up",
            "link set v1 up",
            "-6 addr add 2001:db8::1/64 dev v0",
            "addr add 2001:db8:1::1/64 dev v0 nodad",
            "addr add 10.0.0.1/24 dev v0",
        ] {
            assert_eq!(run(&mut k, ns, l), (String::new(), String::new()), "{l}");
        }
        let v0_tentative = "    inet6 2001:db8:1::1/64 scope global nodad 
       valid_lft forever preferred_lft forever
    inet6 2001:db8::1/64 scope global tentative 
       valid_lft forever preferred_lft forever
    inet6 fe80::ff:fe00:1/64 scope link tentative 
       valid_lft forever preferred_lft forever
";
        let v1 = "    inet6 fe80::3417:dbff:fe4d:ed00/64 scope link tentative 
       valid_lft forever preferred_lft forever
";
        assert_eq!(
            run(&mut k, ns, "-6 addr show").0,
            format!(
                "2: v1@v0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP qlen 1000\n{v1}\
                 3: v0@v1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP qlen 1000\n\
                 {v0_tentative}"
            )
        );
        let head = "3: v0@v1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP \
                    group default qlen 1000\n";
        assert_eq!(
            run(&mut k, ns, "addr show dev v0").0,
            format!(
                "{head}    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff
    inet 10.0.0.1/24 scope global v0
       valid_lft forever preferred_lft forever
{v0_tentative}"
            )
        );
        // DAD is over 2.5 s later (sleep 2.5 on the kernel)
        k.now += sim_core::Duration::from_millis(2500);
        assert_eq!(
            run(&mut k, ns, "-6 addr show dev v0").0,
            format!(
                "{head}    inet6 2001:db8:1::1/64 scope global nodad 
       valid_lft forever preferred_lft forever
    inet6 2001:db8::1/64 scope global 
       valid_lft forever preferred_lft forever
    inet6 fe80::ff:fe00:1/64 scope link 
       valid_lft forever preferred_lft forever
"
            )
        );
    }

    #[test]
    fn inet6_errors_as_the_kernel_gives_them() {
        let mut k = Kernel::new(1);
        k.set_ipv6_netns(true);
        let ns = k.netns_add("a");
        // (the recording's namespace held v0/v1 first: d2 is ifindex 4)
        run(&mut k, ns, "link add v0 type veth peer name v1");
        run(&mut k, ns, "link add d1 type veth peer name d2");
        k.proc_sys_write(ns, &["net", "ipv6", "conf", "d1", "disable_ipv6"], "1")
            .expect("sysctl");
        let e = |m: &str| (String::new(), format!("Error: ipv6: {m}.\n"));
        assert_eq!(
            run(&mut k, ns, "-6 addr add 2001:db8::5/64 dev d1"),
            e("IPv6 is disabled on this device")
        );
        run(&mut k, ns, "addr add 2001:db8::6/64 dev d2");
        assert_eq!(
            run(&mut k, ns, "-6 addr add 2001:db8::6/64 dev d2"),
            e("address already assigned")
        );
        assert_eq!(
            run(&mut k, ns, "-6 addr del 2001:db8::7/64 dev d2"),
            e("address not found")
        );
        // a device that is down keeps a new address tentative
        assert_eq!(
            run(&mut k, ns, "-6 addr show dev d2").0,
            "4: d2@d1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN group default \
             qlen 1000\n    inet6 2001:db8::6/64 scope global tentative \n       valid_lft \
             forever preferred_lft forever\n"
        );
        run(&mut k, ns, "-6 addr flush dev d2");
        assert_eq!(run(&mut k, ns, "-6 addr show dev d2").0, "");
    }

    #[test]
    fn inet6_routes_as_iproute2_lists_them() {
        let mut k = Kernel::new(1);
        k.set_ipv6_netns(true);
        let ns = k.netns_add("a");
        for l in [
            "link add v0 type veth peer name v1",
            "link set v0 up",
            "link set v1 up",
            "link set lo up",
            "addr add 2001:db8::1/64 dev v0 nodad",
            "-6 ro add default via 2001:db8::2 dev v0",
            "-6 ro add 2001:db8:5::/64 via 2001:db8::3",
            "-6 ro add unreachable default metric 8192",
            "-6 route add 2001:db8:3::/64 dev v0 metric 10",
        ] {
            assert_eq!(run(&mut k, ns, l), (String::new(), String::new()), "{l}");
        }
        let e = |m: &str| (String::new(), format!("RTNETLINK answers: {m}\n"));
        assert_eq!(
            run(&mut k, ns, "-6 ro add 2001:db8:5::/64 via 2001:db8::3"),
            e("File exists")
        );
        assert_eq!(
            run(&mut k, ns, "-6 ro del 2001:db8:9::/64"),
            e("No such process")
        );
        assert_eq!(
            run(&mut k, ns, "-6 ro add 2001:db8:7::/64 via 2001:db8:99::3"),
            e("No route to host")
        );
        assert_eq!(
            run(&mut k, ns, "-6 route").0,
            "2001:db8::/64 dev v0 proto kernel metric 256 pref medium
2001:db8:3::/64 dev v0 metric 10 pref medium
2001:db8:5::/64 via 2001:db8::3 dev v0 metric 1024 pref medium
fe80::/64 dev v1 proto kernel metric 256 pref medium
fe80::/64 dev v0 proto kernel metric 256 pref medium
default via 2001:db8::2 dev v0 metric 1024 pref medium
unreachable default dev lo metric 8192 pref medium
"
        );
    }

    #[test]
    fn inet6_rules_as_iproute2_lists_them() {
        let mut k = Kernel::new(1);
        let ns = k.netns_add("a");
        // (the IPv6 rule list exists with IPv6 disabled too: recorded so)
        assert_eq!(
            run(&mut k, ns, "-6 rule").0,
            "0:\tfrom all lookup local\n32766:\tfrom all lookup main\n"
        );
        for l in [
            "-6 rule add pref 32765 table local",
            "-6 rule del pref 0",
            "-6 rule add table main suppress_prefixlength 0",
            "-6 rule add fwmark 0x10 iif lo table 100",
        ] {
            assert_eq!(run(&mut k, ns, l), (String::new(), String::new()), "{l}");
        }
        assert_eq!(
            run(&mut k, ns, "-6 rule").0,
            "32764:\tfrom all fwmark 0x10 iif lo lookup 100\n\
             32765:\tfrom all lookup local\n\
             32765:\tfrom all lookup main suppress_prefixlength 0\n\
             32766:\tfrom all lookup main\n"
        );
        assert_eq!(
            run(&mut k, ns, "-6 rule del pref 9999").1,
            "RTNETLINK answers: No such file or directory\n"
        );
        // the IPv4 rules are untouched
        assert_eq!(
            run(&mut k, ns, "rule").0,
            "0:\tfrom all lookup local\n32766:\tfrom all lookup main\n\
             32767:\tfrom all lookup default\n"
        );
    }
}

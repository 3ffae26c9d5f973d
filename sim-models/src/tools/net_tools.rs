//! `bridge`, `brctl` (bridge-utils), `route` (net-tools), `ethtool -S`.

use super::ip::parse_prefix;
use super::show;
use super::{ToolError, ToolOutput};
use crate::errno::Errno;
use crate::kernel::{Kernel, NsId};
use crate::net::rtnetlink::link::{LinkAttrs, LinkInfo, NewLinkMsg, SetLinkMsg};
use crate::net::rtnetlink::route::{RouteMsg, NLM_F_CREATE};
use std::net::Ipv4Addr;

/// `bridge fdb show` / `bridge link`.
pub fn bridge(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    // Global options (`-n NS`, `-d`), then the object.
    let (ns, details, i) = match super::bridge_link::bridge_global_opts(k, ns, args) {
        Ok(x) => x,
        Err(e) => return e.into(),
    };
    let args = &args[i..];
    if args
        .first()
        .is_some_and(|o| o == "link" || o == "l" || o == "li" || o == "lin")
    {
        return super::bridge_link::bridge_link(k, ns, &args[1..], details);
    }
    let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    match a.as_slice() {
        ["fdb"] | ["fdb", "show"] | ["fdb", "list"] => {
            k.rtnl_fdb_age(ns, None);
            ToolOutput::ok(show::bridge_fdb_show(k, ns))
        }
        ["fdb", "show" | "list", "dev", name] | ["fdb", "show" | "list", "brport", name] => {
            // A device filter: iproute2 then leaves out `dev NAME` (filter_index set).
            // Recorded (iproute2 6.1): `bridge fdb show dev nosuch` exits 255.
            let Some(d) = k.if_nametoindex(ns, name) else {
                return ToolError::usage(255, format!("Cannot find device \"{name}\"\n")).into();
            };
            k.rtnl_fdb_age(ns, Some(d));
            let tag = format!(" dev {name} ");
            let out: String = show::bridge_fdb_show(k, ns)
                .lines()
                .filter(|l| l.contains(&tag))
                .map(|l| format!("{}\n", l.replacen(&tag, " ", 1)))
                .collect();
            ToolOutput::ok(out)
        }
        ["fdb", cmd, ..] if ["add", "append", "replace", "del", "delete"].contains(cmd) => {
            super::vxlan::bridge_fdb_modify(k, ns, cmd, &args[2..])
        }
        [obj, ..]
            if !["fdb", "link", "vlan", "mdb", "monitor"]
                .iter()
                .any(|o| o.starts_with(obj)) =>
        {
            // Recorded (iproute2 6.1): `bridge foo` exits 255.
            ToolError::usage(
                255,
                format!("Object \"{obj}\" is unknown, try \"bridge help\".\n"),
            )
            .into()
        }
        _ => ToolError::not_modelled(format!("bridge {}", args.join(" "))).into(),
    }
}

/// bridge-utils `brctl` (its ioctls and sysfs reads become rtnetlink requests; every failure
/// exits 1, recorded with bridge-utils 1.7.1).
pub fn brctl(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    let link = |k: &Kernel, name: &str| {
        k.if_nametoindex(ns, name)
            .and_then(|i| k.rtnl_link_get(ns, i))
    };
    let r: Result<String, String> = match a.as_slice() {
        ["addbr", name] => {
            let m = NewLinkMsg {
                attrs: LinkAttrs {
                    name: Some(name.to_string()),
                    ..Default::default()
                },
                info: LinkInfo::Bridge,
            };
            match k.rtm_newlink(ns, m) {
                Ok(_) => Ok(String::new()),
                Err(e) if e.errno == Errno::EEXIST => Err(format!(
                    "device {name} already exists; can't create bridge with the same name\n"
                )),
                Err(e) => Err(format!("add bridge failed: {}\n", e.errno)),
            }
        }
        ["delbr", name] => match link(k, name) {
            None => Err(format!("bridge {name} doesn't exist; can't delete it\n")),
            Some(l) if l.is_up() => Err(format!("bridge {name} is still up; can't delete it\n")),
            Some(l) if l.kind() != Some("bridge") => {
                Err(format!("bridge {name} doesn't exist; can't delete it\n"))
            }
            Some(l) => k
                .rtm_dellink(ns, l.ifindex)
                .map(|_| String::new())
                .map_err(|e| format!("can't delete bridge {name}: {}\n", e.errno)),
        },
        ["addif", br, port] => match (link(k, br).filter(|l| l.kind() == Some("bridge")), link(k, port)) {
            (None, _) => Err(format!("bridge {br} does not exist!\n")),
            (_, None) => Err(format!("interface {port} does not exist!\n")),
            // bridge-utils checks sysfs first (recorded: `brctl addif br9 br9`).
            (Some(_), Some(p)) if p.kind() == Some("bridge") => Err(format!(
                "device {port} is a bridge device itself; can't add a bridge device to a bridge device.\n"
            )),
            (Some(_), Some(p)) if p.master.is_some() => Err(format!(
                "device {port} is already a member of a bridge; can't enslave it to bridge {br}.\n"
            )),
            (Some(b), Some(p)) => {
                let m = SetLinkMsg {
                    ifindex: p.ifindex,
                    master: Some(Some(b.ifindex)),
                    ..Default::default()
                };
                k.rtm_setlink(ns, &m)
                    .map(|_| String::new())
                    .map_err(|e| format!("can't add {port} to bridge {br}: {}\n", e.errno))
            }
        },
        ["delif", br, port] => match (link(k, br), link(k, port)) {
            (Some(b), Some(p)) if p.master == Some(b.ifindex) => {
                let m = SetLinkMsg {
                    ifindex: p.ifindex,
                    master: Some(None),
                    ..Default::default()
                };
                k.rtm_setlink(ns, &m)
                    .map(|_| String::new())
                    .map_err(|e| format!("can't delete {port} from {br}: {}\n", e.errno))
            }
            (_, Some(_)) => Err(format!("device {port} is not a slave of {br}\n")),
            _ => Err(format!("interface {port} does not exist!\n")),
        },
        ["show"] | [] => Ok(show::brctl_show(k, ns)),
        ["show", br] => match link(k, br) {
            Some(_) => {
                let all = show::brctl_show(k, ns);
                let mut lines = all.lines();
                let mut o: String = lines.next().map(|l| format!("{l}\n")).unwrap_or_default();
                o.extend(
                    lines
                        .filter(|l| l.starts_with(br))
                        .map(|l| format!("{l}\n")),
                );
                Ok(o)
            }
            None => Err(format!("bridge {br} does not exist!\n")),
        },
        ["showmacs", br] => match link(k, br).filter(|l| l.kind() == Some("bridge")) {
            Some(b) => {
                k.rtnl_fdb_age(ns, Some(b.ifindex));
                Ok(show::brctl_showmacs(k, ns, b.ifindex))
            }
            None => Err("read of forward table failed: No such device\n".to_string()),
        },
        ["stp", _br, "off"] | ["stp", _br, "no"] => Ok(String::new()),
        ["hairpin", br, port, v] => super::bridge_link::brctl_hairpin(k, ns, br, port, v),
        [cmd, ..] => Err(format!("never heard of command [{cmd}]\n")),
    };
    match r {
        Ok(s) => ToolOutput::ok(s),
        Err(e) => ToolError::failed(1, e).into(),
    }
}

/// net-tools 2.10 `route`'s usage (on stderr, status 3 for an unknown word; recorded with
/// `route foo`).
const ROUTE_USAGE: &str = concat!(
    "Usage: route [-nNvee] [-FC] [<AF>]           List kernel routing tables\n",
    "       route [-v] [-FC] {add|del|flush} ...  Modify routing table for AF.\n",
    "\n",
    "       route {-h|--help} [<AF>]              Detailed usage syntax for specified AF.\n",
    "       route {-V|--version}                  Display version/author and exit.\n",
    "\n",
    "        -v, --verbose            be verbose\n",
    "        -n, --numeric            don't resolve names\n",
    "        -e, --extend             display other/more information\n",
    "        -F, --fib                display Forwarding Information Base (default)\n",
    "        -C, --cache              display routing cache instead of FIB\n",
    "\n",
    "  <AF>=Use -4, -6, '-A <af>' or '--<af>'; default: inet\n",
    "  List of possible address families (which support routing):\n",
    "    inet (DARPA Internet) inet6 (IPv6) ax25 (AMPR AX.25) \n",
    "    netrom (AMPR NET/ROM) rose (AMPR ROSE) ipx (Novell IPX) \n",
    "    ddp (Appletalk DDP) x25 (CCITT X.25) \n",
);

/// net-tools 2.10 `inet_route`'s usage (recorded: `route add` alone prints it on stdout with
/// status 0; after "netmask doesn't match route address" or a bad metric, on stderr with
/// status 3).
const INET_ROUTE_USAGE: &str = concat!(
    "Usage: inet_route [-vF] del {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]\n",
    "       inet_route [-vF] add {-host|-net} Target[/prefix] [gw Gw] [metric M]\n",
    "                              [netmask N] [mss Mss] [window W] [irtt I]\n",
    "                              [mod] [dyn] [reinstate] [[dev] If]\n",
    "       inet_route [-vF] add {-host|-net} Target[/prefix] [metric M] reject\n",
    "       inet_route [-FC] flush      NOT supported\n",
);

/// net-tools `route`: `-n` listing and `add|del [-net|-host] TARGET [netmask M] [gw G]
/// [metric N] [dev D]`, sent as `SIOCADDRT`/`SIOCDELRT` (`ip_rt_ioctl` → `fib_table_insert` /
/// `fib_table_delete` with the same checks as an rtnetlink request). Kernel refusals print
/// `SIOCADDRT: STRERROR` and exit 7 (recorded, net-tools 2.10).
pub fn route(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    if a.is_empty() || a.iter().all(|x| x.starts_with('-')) {
        return ToolOutput::ok(show::route_n(k, ns));
    }
    let (add, rest) = match a[0] {
        "add" => (true, &a[1..]),
        "del" => (false, &a[1..]),
        _ => return ToolError::usage(3, ROUTE_USAGE).into(),
    };
    if rest.is_empty() {
        return ToolOutput::ok(INET_ROUTE_USAGE.to_string());
    }
    let inet_usage = || ToolOutput::from(ToolError::usage(3, INET_ROUTE_USAGE));
    let mut host = false;
    let mut target = None;
    let mut netmask = None;
    let mut gw = None;
    let mut dev = None;
    let mut metric = 0u32;
    let mut i = 0;
    while i < rest.len() {
        match rest[i] {
            "-net" => host = false,
            "-host" => host = true,
            "netmask" | "gw" | "dev" | "metric" => {
                let Some(v) = rest.get(i + 1) else {
                    return inet_usage();
                };
                match rest[i] {
                    "netmask" => netmask = v.parse::<Ipv4Addr>().ok(),
                    "gw" => match v.parse::<Ipv4Addr>() {
                        Ok(g) => gw = Some(g),
                        // Recorded: `route add -net 10.50.0.0/24 gw bogus` → status 6.
                        Err(_) => {
                            return ToolError::failed(6, format!("{v}: Unknown host\n")).into()
                        }
                    },
                    "dev" => dev = Some(v.to_string()),
                    _ => match v.parse() {
                        Ok(n) => metric = n,
                        Err(_) => return inet_usage(),
                    },
                }
                i += 1;
            }
            "default" => target = Some((Ipv4Addr::UNSPECIFIED, 0)),
            t => match parse_prefix(t) {
                Ok((ip, p, _)) => target = Some((ip, p)),
                // Recorded: `route add -net bogus dev d0` → "bogus: Host name lookup failure"
                // (getnetbyname), `-host bogus` → "bogus: Unknown host"; status 6.
                Err(_) => {
                    let why = if host {
                        "Unknown host"
                    } else {
                        "Host name lookup failure"
                    };
                    return ToolError::failed(6, format!("{t}: {why}\n")).into();
                }
            },
        }
        i += 1;
    }
    let Some((dst, mut plen)) = target else {
        return inet_usage();
    };
    if let Some(m) = netmask {
        plen = u32::from(m).count_ones() as u8;
    } else if host {
        plen = 32;
    }
    if u32::from(dst) & !crate::net::fib::mask(plen) != 0 {
        let mut o = inet_usage();
        o.stderr = format!("route: netmask doesn't match route address\n{}", o.stderr);
        return o;
    }
    let op = if add { "SIOCADDRT" } else { "SIOCDELRT" };
    let siocrt_err = |e: Errno| ToolError::failed(7, format!("{op}: {e}\n"));
    let oif = match dev {
        Some(d) => match k.if_nametoindex(ns, &d) {
            Some(i) => Some(i),
            None => return siocrt_err(Errno::ENODEV).into(),
        },
        None => None,
    };
    let m = RouteMsg {
        gw,
        oif,
        // net-tools sends RTPROT_BOOT; a delete matches any protocol and metric 0 means any.
        priority: if metric > 0 || add {
            Some(metric)
        } else {
            None
        },
        proto: if add { crate::net::fib::RTPROT_BOOT } else { 0 },
        ..RouteMsg::new(
            Ipv4Addr::from(u32::from(dst) & crate::net::fib::mask(plen)),
            plen,
        )
    };
    let r = if add {
        k.rtm_newroute(ns, &m, NLM_F_CREATE)
    } else {
        k.rtm_delroute(ns, &m)
    };
    match r {
        Ok(()) => ToolOutput::ok(String::new()),
        // ip_rt_ioctl has no extack: the errno is what route prints.
        Err(e) => siocrt_err(e.errno).into(),
    }
}

/// `ethtool -S DEV`.
pub fn ethtool(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    match args
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["-S", dev] => match k.if_nametoindex(ns, dev) {
            Some(d) => ToolOutput::ok(show::ethtool_s(k, ns, d)),
            None => ToolError::failed(
                1,
                format!("netlink error: no device matches name ({dev})\n"),
            )
            .into(),
        },
        _ => ToolError::not_modelled(format!("ethtool {} (only -S is)", args.join(" "))).into(),
    }
}

//! `bridge`, `brctl` (bridge-utils), `route` (net-tools), `ethtool -S` and `ethtool -K ... off`.

use super::ip::parse_prefix;
use super::show;
use super::{ToolError, ToolOutput};
use crate::errno::Errno;
use crate::kernel::{Kernel, NsId};
use crate::net::rtnetlink::link::{LinkAttrs, LinkInfo, NewLinkMsg, SetLinkMsg};
use crate::net::rtnetlink::route::{RouteMsg, NLM_F_CREATE, NLM_F_EXCL};
use std::net::Ipv4Addr;

/// iproute2 6.1 `bridge`'s usage (recorded: `bridge help 2> bridge_usage.txt`).
const BRIDGE_USAGE: &str = include_str!("bridge_usage.txt");

/// `bridge fdb show` / `bridge link`.
pub fn bridge(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    // Global options (`-n NS`, `-d`, `-j`, `-p`), then the object.
    let (ns, o, i) = match super::bridge_link::bridge_global_opts(k, ns, args) {
        Ok(x) => x,
        Err(e) => return e.into(),
    };
    let args = &args[i..];
    // `bridge` alone and `bridge help` (any prefix): the usage on stderr, status 255.
    if args.first().is_none_or(|o| super::ip::matches(o, "help")) {
        return ToolError::usage(255, BRIDGE_USAGE).into();
    }
    if args
        .first()
        .is_some_and(|o| o == "link" || o == "l" || o == "li" || o == "lin")
    {
        return super::bridge_link::bridge_link(k, ns, &args[1..], &o);
    }
    if args
        .first()
        .is_some_and(|o| !o.is_empty() && "vlan".starts_with(o.as_str()))
    {
        return super::bridge_vlan::bridge_vlan(k, ns, &args[1..], &o);
    }
    let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    match a.as_slice() {
        ["fdb"] => fdb_show(k, ns, &[], &o).unwrap_or_else(Into::into),
        ["fdb", c, rest @ ..]
            if super::ip::matches(c, "show")
                || super::ip::matches(c, "lst")
                || super::ip::matches(c, "list") =>
        {
            fdb_show(k, ns, rest, &o).unwrap_or_else(Into::into)
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

/// iproute2 6.1 `fdb_show`: `dev|brport DEV` (the device's entries, printed without `dev`),
/// `br BRIDGE` (the dump request's `IFLA_MASTER`: the bridge and its ports), `vlan VID`; other
/// words are skipped, as iproute2 does. Then `print_fdb` of each message, as text or JSON.
fn fdb_show(
    k: &mut Kernel,
    ns: NsId,
    args: &[&str],
    o: &super::bridge_link::BridgeOpts,
) -> Result<ToolOutput, ToolError> {
    let (mut dev, mut br, mut vlan) = (None, None, None::<u16>);
    let mut i = 0;
    let next = |i: &mut usize| -> Result<&str, ToolError> {
        *i += 1;
        args.get(*i).copied().ok_or_else(|| {
            ToolError::usage(255, "Command line is not complete. Try option \"help\"\n")
        })
    };
    while i < args.len() {
        match args[i] {
            "dev" | "brport" => dev = Some(next(&mut i)?),
            "br" => br = Some(next(&mut i)?),
            "vlan" => {
                let v = next(&mut i)?;
                if vlan.is_some() {
                    return Err(ToolError::usage(
                        255,
                        format!("Error: duplicate \"vlan\": \"{v}\" is the second value.\n"),
                    ));
                }
                // atoi, as iproute2 (0 means no filter).
                vlan = Some(v.parse::<u16>().unwrap_or(0)).filter(|&v| v != 0);
            }
            "state" => return Err(ToolError::not_modelled("bridge fdb show state")),
            w if super::ip::matches(w, "help") => {
                return Err(ToolError::not_modelled("bridge fdb help"))
            }
            _ => {}
        }
        i += 1;
    }
    let br = match br {
        Some(b) => Some(k.if_nametoindex(ns, b).ok_or_else(|| {
            ToolError::usage(255, format!("Cannot find bridge device \"{b}\"\n"))
        })?),
        None => None,
    };
    // Recorded (iproute2 6.1): `bridge fdb show dev nosuch` exits 255.
    let dev = match dev {
        Some(d) => Some(
            k.if_nametoindex(ns, d)
                .ok_or_else(|| ToolError::usage(255, format!("Cannot find device \"{d}\"\n")))?,
        ),
        None => None,
    };
    k.rtnl_fdb_age(ns, dev);
    let f = show::FdbFilter { dev, br, vlan };
    Ok(ToolOutput::ok(if o.json {
        show::json::bridge_fdb_json(k, ns, &f, o.pretty)
    } else {
        show::bridge_fdb_list(k, ns, &f)
    }))
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
        ["showstp", ..] => return ToolError::not_modelled("brctl showstp").into(),
        // br_cmd_stp: sysfs `bridge/stp_state` (br_stp_set_enabled).
        ["stp", br, v] => {
            let on = match *v {
                "on" | "yes" | "1" => 1,
                "off" | "no" | "0" => 0,
                _ => return ToolError::failed(1, "expect on/off for argument\n").into(),
            };
            match link(k, br).filter(|l| l.kind() == Some("bridge")) {
                Some(b) => {
                    let o = crate::net::bridge::BrDevOpts {
                        stp_state: Some(on),
                        ..Default::default()
                    };
                    k.rtm_changelink_bridge(ns, b.ifindex, &o)
                        .map(|_| String::new())
                        .map_err(|e| format!("set stp status failed: {}\n", e.errno))
                }
                None => Err("set stp status failed: No such device\n".to_string()),
            }
        }
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
        // Recorded: `route add` of a prefix the kernel already has (another fib_info) is
        // EEXIST, as an exclusive create.
        k.rtm_newroute(ns, &m, NLM_F_CREATE | NLM_F_EXCL)
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
        [opt, dev, feats @ ..] if matches!(*opt, "-K" | "--features" | "--offload") => {
            ethtool_features(k, ns, dev, feats)
        }
        _ => ToolError::not_modelled(format!("ethtool {} (only -S and -K is)", args.join(" ")))
            .into(),
    }
}

/// Offloads `ethtool -K` may turn off: nslab's stack has none of them on (every TCP segment is
/// built MSS-sized, no GSO/GRO aggregates), so turning them off changes nothing, as on a device
/// whose features are already off (ethtool prints nothing then).
const ETHTOOL_OFFLOADS: &[&str] = &["tso", "gso", "gro", "lro", "sg", "tx", "rx", "ufo"];

/// `ethtool -K DEV FEATURE on|off ...`.
fn ethtool_features(k: &mut Kernel, ns: NsId, dev: &str, feats: &[&str]) -> ToolOutput {
    if k.if_nametoindex(ns, dev).is_none() {
        return ToolError::failed(
            1,
            "netlink error: no device matches name (offset 24)\nnetlink error: No such device\n",
        )
        .into();
    }
    if feats.is_empty() || !feats.len().is_multiple_of(2) {
        return ToolError::not_modelled(format!("ethtool -K {dev} {}", feats.join(" "))).into();
    }
    for pair in feats.chunks(2) {
        if !ETHTOOL_OFFLOADS.contains(&pair[0]) || pair[1] != "off" {
            return ToolError::not_modelled(format!("ethtool -K {dev} {} {}", pair[0], pair[1]))
                .into();
        }
    }
    ToolOutput::ok(String::new())
}

// ------------------------------------------------------------------ ifconfig / arp (net-tools)

/// net-tools' `print_bytes_scaled`: the count, then one truncated decimal in binary units.
fn bytes_scaled(n: u64) -> String {
    const EXT: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let (mut v, mut frac, mut i) = (n, 0, 0);
    while v >= 1024 && i < EXT.len() - 1 {
        frac = ((v % 1024) * 10) / 1024;
        v /= 1024;
        i += 1;
    }
    format!("{n} ({v}.{frac} {})", EXT[i])
}

/// net-tools' `ife_print_long` for one device (IPv6 is off in every lab namespace, so no
/// `inet6` lines; the counters the model keeps no errors for are 0).
fn ifconfig_print(k: &Kernel, ns: NsId, l: &crate::net::rtnetlink::dump::LinkMsg) -> String {
    use crate::net::rtnetlink::dump::*;
    use std::fmt::Write as _;
    // SIOCGIFFLAGS: the low 16 bits of dev_get_flags.
    let flags = l.flags & 0xffff;
    const NAMES: [(u32, &str); 13] = [
        (0x1, "UP"),
        (0x2, "BROADCAST"),
        (0x4, "DEBUG"),
        (0x8, "LOOPBACK"),
        (0x10, "POINTOPOINT"),
        (0x20, "NOTRAILERS"),
        (0x40, "RUNNING"),
        (0x80, "NOARP"),
        (0x100, "PROMISC"),
        (0x200, "ALLMULTI"),
        (0x400, "MASTER"),
        (0x800, "SLAVE"),
        (0x1000, "MULTICAST"),
    ];
    let names: Vec<&str> = NAMES
        .iter()
        .filter(|(b, _)| flags & b != 0)
        .map(|(_, n)| *n)
        .collect();
    let mut out = format!(
        "{}: flags={flags}<{}>  mtu {}\n",
        l.name,
        names.join(","),
        l.mtu
    );
    // SIOCGIFADDR: the first address labelled with the device's name.
    if let Some(a) = k
        .rtnl_addr_dump(ns, Some(l.ifindex))
        .into_iter()
        .find(|a| a.label == l.name)
    {
        let mask = if a.prefixlen == 0 {
            Ipv4Addr::UNSPECIFIED
        } else {
            Ipv4Addr::from(u32::MAX << (32 - u32::from(a.prefixlen)))
        };
        let _ = write!(out, "        inet {}  netmask {mask}", a.local);
        if flags & IFF_BROADCAST != 0 {
            let b = a.broadcast.unwrap_or(Ipv4Addr::UNSPECIFIED);
            let _ = write!(out, "  broadcast {b}");
        }
        if flags & IFF_POINTOPOINT != 0 {
            let _ = write!(out, "  destination {}", a.address);
        }
        out.push('\n');
    }
    if flags & IFF_LOOPBACK != 0 {
        out.push_str("        loop  txqueuelen 1000  (Local Loopback)\n");
    } else if let Some(m) = l.mac() {
        let _ = writeln!(
            out,
            "        ether {}  txqueuelen 1000  (Ethernet)",
            crate::wire::fmt_mac(&m)
        );
    } else {
        out.push_str("        tunnel   txqueuelen 1000  (IPIP Tunnel)\n");
    }
    let s = &l.stats;
    let _ = writeln!(
        out,
        "        RX packets {}  bytes {}",
        s.rx_packets,
        bytes_scaled(s.rx_bytes)
    );
    let _ = writeln!(
        out,
        "        RX errors 0  dropped {}  overruns 0  frame 0",
        s.rx_dropped
    );
    let _ = writeln!(
        out,
        "        TX packets {}  bytes {}",
        s.tx_packets,
        bytes_scaled(s.tx_bytes)
    );
    let _ = writeln!(
        out,
        "        TX errors 0  dropped {} overruns 0  carrier 0  collisions 0\n",
        s.tx_dropped
    );
    out
}

/// `inet_abc_len`: the classful prefix length SIOCSIFADDR gives a new address, None for class
/// D/E (EINVAL).
fn inet_abc_len(a: Ipv4Addr) -> Option<u8> {
    let o = a.octets()[0];
    if a.is_unspecified() {
        Some(0)
    } else if o < 128 {
        Some(8)
    } else if o < 192 {
        Some(16)
    } else if o < 224 {
        Some(24)
    } else {
        None
    }
}

/// `ifconfig [-a] [IF [ADDR[/LEN]] [netmask M] [broadcast B] [mtu N] [up|down]]` (net-tools
/// 2.10): the display, and the settings as the ioctls do them (SIOCSIFADDR replaces the
/// device's primary address with a classful mask, SIOCSIFNETMASK/SIOCSIFBRDADDR change it,
/// SIOCSIFFLAGS/SIOCSIFMTU). Texts and statuses recorded on this machine.
pub fn ifconfig(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    let (all, a) = match a.first() {
        Some(&"-a") => (true, &a[1..]),
        _ => (false, &a[..]),
    };
    let Some(&name) = a.first() else {
        let out: String = k
            .rtnl_link_dump(ns)
            .iter()
            .filter(|l| all || l.is_up())
            .map(|l| ifconfig_print(k, ns, l))
            .collect();
        return ToolOutput::ok(out);
    };
    let Some(ifindex) = k.if_nametoindex(ns, name) else {
        return if a.len() == 1 {
            ToolError::failed(
                1,
                format!("{name}: error fetching interface information: Device not found\n"),
            )
            .into()
        } else if a[1].parse::<Ipv4Addr>().is_ok() || a[1].contains('/') {
            ToolError::failed(1, "SIOCSIFADDR: No such device\n").into()
        } else {
            ToolError::failed(
                255,
                format!("{name}: ERROR while getting interface flags: No such device\n"),
            )
            .into()
        };
    };
    if a.len() == 1 {
        let l = k.rtnl_link_get(ns, ifindex).expect("just found");
        return ToolOutput::ok(ifconfig_print(k, ns, &l));
    }
    let mut i = 1;
    while i < a.len() {
        let w = a[i];
        let value = a.get(i + 1).copied();
        let r: Result<(), ToolError> = match w {
            "up" | "down" => {
                let m = SetLinkMsg {
                    ifindex,
                    up: Some(w == "up"),
                    ..Default::default()
                };
                k.rtm_setlink(ns, &m)
                    .map_err(|e| ToolError::failed(1, format!("SIOCSIFFLAGS: {}\n", e.errno)))
            }
            "mtu" | "netmask" | "broadcast" if value.is_none() => {
                return ToolError::failed(
                    1,
                    format!("ifconfig: option `{w}' requires an argument\n"),
                )
                .into()
            }
            "mtu" => {
                i += 1;
                match value.and_then(|v| v.parse::<u32>().ok()) {
                    Some(mtu) => {
                        let m = SetLinkMsg {
                            ifindex,
                            mtu: Some(mtu),
                            ..Default::default()
                        };
                        k.rtm_setlink(ns, &m)
                            .map_err(|e| ToolError::failed(1, format!("SIOCSIFMTU: {}\n", e.errno)))
                    }
                    None => Err(ToolError::failed(1, "SIOCSIFMTU: Invalid argument\n")),
                }
            }
            "netmask" => {
                i += 1;
                match value.and_then(|v| v.parse::<Ipv4Addr>().ok()) {
                    Some(m) if (!u32::from(m)).wrapping_add(1) & !u32::from(m) == 0 => {
                        ifconfig_set(
                            k,
                            ns,
                            ifindex,
                            None,
                            Some(u32::from(m).count_ones() as u8),
                            None,
                        )
                    }
                    _ => Err(ToolError::failed(1, "SIOCSIFNETMASK: Invalid argument\n")),
                }
            }
            "broadcast" => {
                i += 1;
                match value.and_then(|v| v.parse::<Ipv4Addr>().ok()) {
                    Some(b) => ifconfig_set(k, ns, ifindex, None, None, Some(b)),
                    None => Err(ToolError::failed(
                        1,
                        format!("{}: Unknown host\n", value.unwrap_or_default()),
                    )),
                }
            }
            _ => {
                let (addr, plen) = match w.split_once('/') {
                    Some((ad, p)) => (ad, p.parse::<u8>().ok().filter(|&p| p <= 32)),
                    None => (w, None),
                };
                match addr.parse::<Ipv4Addr>() {
                    Ok(ad) if !w.contains('/') || plen.is_some() => {
                        ifconfig_set(k, ns, ifindex, Some(ad), plen, None)
                    }
                    _ if w.starts_with('-')
                        || matches!(
                            w,
                            "hw" | "promisc"
                                | "arp"
                                | "add"
                                | "del"
                                | "pointopoint"
                                | "dstaddr"
                                | "txqueuelen"
                                | "multicast"
                                | "allmulti"
                        ) =>
                    {
                        return ToolError::not_modelled(format!("ifconfig {w}")).into()
                    }
                    _ => Err(ToolError::failed(
                        1,
                        format!("{w}: Unknown host\nifconfig: `--help' gives usage information.\n"),
                    )),
                }
            }
        };
        if let Err(e) = r {
            return e.into();
        }
        i += 1;
    }
    ToolOutput::default()
}

/// SIOCSIFADDR (`local`: replaces the primary address, classful prefix), SIOCSIFNETMASK
/// (`plen`) and SIOCSIFBRDADDR (`brd`) on the device's primary address, as `devinet_ioctl`.
fn ifconfig_set(
    k: &mut Kernel,
    ns: NsId,
    ifindex: crate::net::rtnetlink::IfIndex,
    local: Option<Ipv4Addr>,
    plen: Option<u8>,
    brd: Option<Ipv4Addr>,
) -> Result<(), ToolError> {
    use crate::net::rtnetlink::addr::AddrMsg;
    let name = k.if_indextoname(ns, ifindex).unwrap_or_default();
    let cur = k
        .rtnl_addr_dump(ns, Some(ifindex))
        .into_iter()
        .find(|a| a.label == name);
    let (new_local, mut new_plen, mut new_brd) = match (&cur, local) {
        (_, Some(l)) => {
            let Some(abc) = inet_abc_len(l) else {
                return Err(ToolError::failed(1, "SIOCSIFADDR: Invalid argument\n"));
            };
            if cur.as_ref().is_some_and(|c| c.local == l) && plen.is_none() {
                return Ok(());
            }
            (l, abc, None)
        }
        (Some(c), None) => (c.local, c.prefixlen, c.broadcast),
        (None, None) => {
            let what = if plen.is_some() {
                "SIOCSIFNETMASK"
            } else {
                "SIOCSIFBRDADDR"
            };
            return Err(ToolError::failed(
                1,
                format!("{what}: Cannot assign requested address\n"),
            ));
        }
    };
    let same_local = cur.as_ref().is_some_and(|c| c.local == new_local);
    if same_local && local.is_some() {
        // SIOCSIFADDR with the same address does nothing; the mask change follows.
        new_plen = cur.as_ref().map_or(new_plen, |c| c.prefixlen);
        new_brd = cur.as_ref().and_then(|c| c.broadcast);
    }
    let brd_capable = k
        .rtnl_link_get(ns, ifindex)
        .is_some_and(|l| l.flags & crate::net::rtnetlink::dump::IFF_BROADCAST != 0);
    let bcast = |p: u8| {
        (p < 31 && brd_capable).then(|| {
            let mask = if p == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(p))
            };
            Ipv4Addr::from((u32::from(new_local) & mask) | !mask)
        })
    };
    if local.is_some() && !same_local {
        new_brd = bcast(new_plen);
    }
    if let Some(p) = plen {
        if p != new_plen {
            new_plen = p;
            new_brd = bcast(p);
        }
    }
    if let Some(b) = brd {
        new_brd = Some(b);
    }
    if let Some(c) = &cur {
        if c.local == new_local && c.prefixlen == new_plen && c.broadcast == new_brd {
            return Ok(());
        }
        k.rtm_deladdr(ns, ifindex, c.local, Some(c.prefixlen))
            .map_err(|e| ToolError::failed(1, format!("SIOCSIFADDR: {}\n", e.errno)))?;
    }
    let m = AddrMsg {
        ifindex,
        local: new_local,
        address: new_local,
        plen: new_plen,
        broadcast: new_brd,
        // inet_set_ifa: a loopback address gets host scope.
        scope: if new_local.octets()[0] == 127 {
            crate::net::fib::RT_SCOPE_HOST
        } else {
            0
        },
        label: None,
        has_peer: false,
        rt_priority: 0,
    };
    k.rtm_newaddr(ns, &m, false)
        .map_err(|e| ToolError::failed(1, format!("SIOCSIFADDR: {}\n", e.errno)))
}

/// `arp [-n] [-a] [-i IF] [HOST]`, `arp -s HOST MAC`, `arp -d HOST` (net-tools 2.10): the
/// table from the neighbour dump (/proc/net/arp lists every state but NONE and NOARP), the
/// SIOCSARP/SIOCDARP requests as neighbour requests. Texts recorded on this machine.
pub fn arp(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    use crate::net::neigh::*;
    use crate::net::rtnetlink::neigh::NeighMsg;
    use crate::net::rtnetlink::route::NLM_F_REPLACE;
    let mut bsd = false;
    let mut dev: Option<String> = None;
    let mut set = false;
    let mut del = false;
    let mut ops: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        if let Some(flags) = w.strip_prefix('-').filter(|f| !f.is_empty()) {
            for (j, c) in flags.chars().enumerate() {
                match c {
                    'n' | 'v' | 'e' => {}
                    'a' => bsd = true,
                    's' => set = true,
                    'd' => del = true,
                    'i' => {
                        let rest = &flags[j + 1..];
                        if rest.is_empty() {
                            i += 1;
                            dev = args.get(i).cloned();
                        } else {
                            dev = Some(rest.to_string());
                        }
                        break;
                    }
                    _ => return ToolError::not_modelled(format!("arp -{c}")).into(),
                }
            }
        } else {
            ops.push(w);
        }
        i += 1;
    }
    let ifindex = match &dev {
        Some(d) => match k.if_nametoindex(ns, d) {
            Some(x) => Some(x),
            None => return ToolError::failed(255, "SIOCGIFINDEX: No such device\n").into(),
        },
        None => None,
    };
    let parse_host = |h: &str| -> Result<Ipv4Addr, ToolError> {
        h.parse::<Ipv4Addr>()
            .map_err(|_| ToolError::failed(255, format!("{h}: Unknown host\n")))
    };
    if set {
        let (Some(h), Some(mac)) = (ops.first(), ops.get(1)) else {
            return ToolError::usage(255, "arp: need host name\n").into();
        };
        let ip = match parse_host(h) {
            Ok(ip) => ip,
            Err(e) => return e.into(),
        };
        let lladdr: Option<Vec<u8>> = {
            let parts: Vec<Option<u8>> = mac
                .split(':')
                .map(|p| {
                    (!p.is_empty() && p.len() <= 2)
                        .then(|| u8::from_str_radix(p, 16).ok())
                        .flatten()
                })
                .collect();
            (parts.len() == 6 && parts.iter().all(Option::is_some))
                .then(|| parts.into_iter().flatten().collect())
        };
        let Some(lladdr) = lladdr else {
            return ToolError::failed(255, "arp: invalid hardware address\n").into();
        };
        // arp_req_set: without a device, the route to the address picks it.
        let oif = match ifindex {
            Some(x) => x,
            None => match k.rtm_getroute(ns, ip, Ipv4Addr::UNSPECIFIED, None) {
                Ok(r) => r.oif,
                Err(e) => return ToolError::failed(255, format!("SIOCSARP: {}\n", e.errno)).into(),
            },
        };
        let m = NeighMsg {
            ifindex: oif,
            dst: ip,
            lladdr: Some(lladdr),
            state: NUD_PERMANENT,
        };
        return match k.rtm_newneigh(ns, &m, NLM_F_CREATE | NLM_F_REPLACE) {
            Ok(()) => ToolOutput::default(),
            Err(e) => ToolError::failed(255, format!("SIOCSARP: {}\n", e.errno)).into(),
        };
    }
    if del {
        let Some(h) = ops.first() else {
            return ToolError::usage(255, "arp: need host name\n").into();
        };
        let ip = match parse_host(h) {
            Ok(ip) => ip,
            Err(e) => return e.into(),
        };
        let entry = k.rtnl_neigh_dump(ns).into_iter().find(|n| {
            n.dst == ip
                && ifindex.is_none_or(|x| x == n.ifindex)
                && n.state != NUD_NONE
                && n.state & NUD_NOARP == 0
        });
        return match entry {
            Some(n) => match k.rtm_delneigh(ns, n.ifindex, ip) {
                Ok(()) => ToolOutput::default(),
                Err(e) => {
                    ToolError::failed(255, format!("SIOCDARP(dontpub): {}\n", e.errno)).into()
                }
            },
            None => ToolError::failed(255, format!("No ARP entry for {ip}\n")).into(),
        };
    }
    let host = match ops.first().map(|h| parse_host(h)) {
        Some(Ok(ip)) => Some(ip),
        Some(Err(e)) => return e.into(),
        None => None,
    };
    let mut out = String::new();
    let mut shown = 0;
    for n in k.rtnl_neigh_dump(ns) {
        if n.state == NUD_NONE || n.state & NUD_NOARP != 0 {
            continue;
        }
        if ifindex.is_some_and(|x| x != n.ifindex) || host.is_some_and(|h| h != n.dst) {
            continue;
        }
        let ifname = k.if_indextoname(ns, n.ifindex).unwrap_or_default();
        let complete = n.state & NUD_VALID != 0;
        let mac = n
            .lladdr
            .filter(|_| complete)
            .map(|m| crate::wire::fmt_mac(&m));
        let perm = n.state & NUD_PERMANENT != 0;
        if bsd {
            match &mac {
                Some(m) => out.push_str(&format!(
                    "? ({}) at {m} [ether] {}on {ifname}\n",
                    n.dst,
                    if perm { "PERM " } else { "" }
                )),
                None => out.push_str(&format!("? ({}) at <incomplete> on {ifname}\n", n.dst)),
            }
        } else {
            if shown == 0 {
                out.push_str("Address                  HWtype  HWaddress           Flags Mask            Iface\n");
            }
            let (hwtype, hw, flags) = match &mac {
                Some(m) => ("ether", m.clone(), if perm { "CM" } else { "C" }),
                None => ("", "(incomplete)".to_string(), ""),
            };
            out.push_str(&format!(
                "{:<23.23}  {hwtype:<6.6}  {hw:<18.18}  {flags:<5.5} {:<15.15} {ifname}\n",
                n.dst.to_string(),
                ""
            ));
        }
        shown += 1;
    }
    if let (Some(h), 0) = (host, shown) {
        out.push_str(&format!("{h} ({h}) -- no entry\n"));
    }
    ToolOutput::ok(out)
}

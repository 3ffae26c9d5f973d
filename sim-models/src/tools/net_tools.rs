//! `bridge`, `brctl` (bridge-utils), `route` (net-tools), `ethtool -S`.

use super::ip::{find_dev, parse_prefix};
use super::show;
use super::ToolOutput;
use crate::kernel::{DevKind, Kernel, NsId};
use crate::net::bridge::Bridge;
use std::net::Ipv4Addr;

fn done(r: Result<String, String>, status: i32) -> ToolOutput {
    match r {
        Ok(s) => ToolOutput::ok(s),
        Err(e) => ToolOutput::err(e, status),
    }
}

/// `bridge fdb show` / `bridge link`.
pub fn bridge(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    match a.as_slice() {
        ["fdb"] | ["fdb", "show"] | ["fdb", "list"] => {
            let brs: Vec<_> = k
                .net(ns)
                .devs
                .iter()
                .copied()
                .filter(|&d| k.is_bridge(d))
                .collect();
            for b in brs {
                k.br_fdb_cleanup(b);
            }
            ToolOutput::ok(show::bridge_fdb_show(k, ns))
        }
        ["fdb", "show" | "list", "dev", name] | ["fdb", "show" | "list", "brport", name] => {
            // A device filter: iproute2 then leaves out `dev NAME` (filter_index set).
            let Some(d) = k.dev_by_name(ns, name) else {
                return ToolOutput::err(format!("Cannot find device \"{name}\"\n"), 1);
            };
            if let Some(m) = k.dev(d).master.filter(|&m| k.is_bridge(m)) {
                k.br_fdb_cleanup(m);
            }
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
            ToolOutput::err(
                format!("Object \"{}\" is unknown, try \"bridge help\".\n", obj),
                1,
            )
        }
        _ => ToolOutput::err(
            format!("nslab: bridge {} is not supported\n", args.join(" ")),
            1,
        ),
    }
}

/// bridge-utils `brctl`.
pub fn brctl(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    let r: Result<String, String> = match a.as_slice() {
        ["addbr", name] => {
            if k.dev_by_name(ns, name).is_some() {
                Err(format!(
                    "device {} already exists; can't create bridge with the same name\n",
                    name
                ))
            } else {
                let mac = k.rng.eth_random_addr();
                let d = k.dev_create(
                    ns,
                    name,
                    DevKind::Bridge(Box::new(Bridge::new())),
                    mac,
                    1500,
                );
                k.br_recalculate_mac(d);
                Ok(String::new())
            }
        }
        ["delbr", name] => match k.dev_by_name(ns, name) {
            None => Err(format!("bridge {} doesn't exist; can't delete it\n", name)),
            Some(d) if k.dev(d).up => {
                Err(format!("bridge {} is still up; can't delete it\n", name))
            }
            Some(d) if !k.is_bridge(d) => {
                Err(format!("bridge {} doesn't exist; can't delete it\n", name))
            }
            Some(d) => {
                k.dev_del(d);
                Ok(String::new())
            }
        },
        ["addif", br, port] => {
            match (
                k.dev_by_name(ns, br).filter(|&b| k.is_bridge(b)),
                k.dev_by_name(ns, port),
            ) {
                (None, _) => Err(format!("bridge {} does not exist!\n", br)),
                (_, None) => Err(format!("interface {} does not exist!\n", port)),
                (Some(b), Some(p)) if k.dev(p).master.is_some() => {
                    let _ = b;
                    Err(format!("device {} is already a member of a bridge; can't enslave it to bridge {}.\n", port, br))
                }
                (Some(_), Some(p))
                    if matches!(k.dev(p).kind, DevKind::Loopback | DevKind::Ipip(_)) =>
                {
                    // br_add_if refuses non-Ethernet devices with EINVAL.
                    Err(format!(
                        "can't add {} to bridge {}: Invalid argument\n",
                        port, br
                    ))
                }
                (Some(b), Some(p)) => {
                    k.br_add_if(b, p);
                    Ok(String::new())
                }
            }
        }
        ["delif", br, port] => match (k.dev_by_name(ns, br), k.dev_by_name(ns, port)) {
            (Some(b), Some(p)) if k.dev(p).master == Some(b) => {
                k.br_del_if(b, p);
                Ok(String::new())
            }
            (_, Some(_)) => Err(format!("device {} is not a slave of {}\n", port, br)),
            _ => Err(format!("interface {} does not exist!\n", port)),
        },
        ["show"] | [] => Ok(show::brctl_show(k, ns)),
        ["show", br] => match k.dev_by_name(ns, br) {
            Some(_) => Ok(show::brctl_show(k, ns)
                .lines()
                .take(1)
                .map(|l| format!("{}\n", l))
                .collect::<String>()
                + &show::brctl_show(k, ns)
                    .lines()
                    .skip(1)
                    .filter(|l| l.starts_with(br))
                    .map(|l| format!("{}\n", l))
                    .collect::<String>()),
            None => Err(format!("bridge {} does not exist!\n", br)),
        },
        ["showmacs", br] => match k.dev_by_name(ns, br).filter(|&b| k.is_bridge(b)) {
            Some(b) => {
                k.br_fdb_cleanup(b);
                Ok(show::brctl_showmacs(k, ns, b))
            }
            None => Err("read of forward table failed: No such device\n".to_string()),
        },
        ["stp", _br, "off"] | ["stp", _br, "no"] => Ok(String::new()),
        [cmd, ..] => Err(format!("never heard of command [{}]\n", cmd)),
    };
    done(r, 1)
}

/// net-tools `route`: `-n` listing and `add|del [-net|-host] TARGET [netmask M] [gw G] [dev D]`.
pub fn route(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    if a.is_empty() || a.iter().all(|x| x.starts_with('-')) {
        return ToolOutput::ok(show::route_n(k, ns));
    }
    let (add, rest) = match a[0] {
        "add" => (true, &a[1..]),
        "del" => (false, &a[1..]),
        _ => {
            return ToolOutput::err(
                format!(
                    "route: bogus option: {}\nUsage: route [-nNvee] [-FC] [<AF>]\n",
                    a[0]
                ),
                4,
            )
        }
    };
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
                    return ToolOutput::err("route: missing argument\n".into(), 4);
                };
                match rest[i] {
                    "netmask" => netmask = v.parse::<Ipv4Addr>().ok(),
                    "gw" => gw = v.parse::<Ipv4Addr>().ok(),
                    "dev" => dev = Some(v.to_string()),
                    _ => metric = v.parse().unwrap_or(0),
                }
                i += 1;
            }
            "default" => target = Some((Ipv4Addr::UNSPECIFIED, 0)),
            t => match parse_prefix(t) {
                Ok((ip, p, _)) => target = Some((ip, p)),
                Err(_) => return ToolOutput::err(format!("{}: Unknown host\n", t), 4),
            },
        }
        i += 1;
    }
    let Some((dst, mut plen)) = target else {
        return ToolOutput::err("Usage: route add ...\n".into(), 4);
    };
    if let Some(m) = netmask {
        plen = u32::from(m).count_ones() as u8;
    } else if host {
        plen = 32;
    }
    let mut argv: Vec<String> = vec![
        if add { "add".into() } else { "del".into() },
        format!("{}/{}", dst, plen),
    ];
    if let Some(g) = gw {
        argv.push("via".into());
        argv.push(g.to_string());
    }
    if let Some(d) = dev {
        argv.push("dev".into());
        argv.push(d);
    }
    if metric > 0 {
        argv.push("metric".into());
        argv.push(metric.to_string());
    }
    let mut full = vec!["route".to_string()];
    full.extend(argv);
    let r = super::ip::ip(k, ns, &full);
    if r.status == 0 {
        return r;
    }
    let errno = if r.stderr.contains("File exists") {
        "File exists"
    } else if r.stderr.contains("No such process") {
        "No such process"
    } else if r.stderr.contains("Cannot find device") {
        "No such device"
    } else {
        "Network is unreachable"
    };
    ToolOutput::err(
        format!("SIOC{}RT: {}\n", if add { "ADD" } else { "DEL" }, errno),
        7,
    )
}

/// `ethtool -S DEV`.
pub fn ethtool(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    match args
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["-S", dev] => match find_dev(k, ns, dev) {
            Ok(d) => ToolOutput::ok(show::ethtool_s(k, ns, d)),
            Err(_) => ToolOutput::err(
                format!("netlink error: no device matches name ({})\n", dev),
                1,
            ),
        },
        _ => ToolOutput::err(
            format!(
                "nslab: ethtool {} is not supported (only -S)\n",
                args.join(" ")
            ),
            1,
        ),
    }
}

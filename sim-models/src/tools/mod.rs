//! The userspace tools' behaviour: argv in, output text and exit status out, in the real tools'
//! formats and words. Long-running programs (ping) become processes; the caller runs the
//! simulation until they exit.

pub mod conntrack;
pub mod error;
pub mod ip;
pub mod iptables;
pub mod iptunnel;
pub mod net_tools;
pub mod show;
pub mod sockets;
pub mod sysctl;
pub mod vxlan;

pub use error::{ErrorKind, ToolError, ToolOutput, NOT_MODELLED_STATUS};

use crate::apps::ping::{PingOpts, PmtuDisc};
use crate::kernel::{Kernel, NsId, Pid};
use sim_core::Duration;
use std::net::Ipv4Addr;

/// What running a program did.
pub enum Exec {
    /// It finished at once.
    Done(ToolOutput),
    /// It became a process; run the simulation until it exits.
    Spawned(Pid),
    /// `ip netns exec NS PROG...`: run PROG in namespace NS.
    InNetns(NsId, Vec<String>),
    /// The program is not one the model knows.
    Unknown,
}

/// Programs the model implements (for `command -v` style checks and error messages).
pub const PROGRAMS: [&str; 17] = [
    "tcpdump",
    "ip",
    "sysctl",
    "ping",
    "bridge",
    "brctl",
    "route",
    "ethtool",
    "iptables",
    "iptables-save",
    "iptables-restore",
    "conntrack",
    "dmesg",
    "python3",
    "curl",
    "nc",
    "ss",
];

/// Runs `argv` in namespace `ns` with `stdin` (what the shell pipes in; `nc` sends it).
pub fn run_with_stdin(k: &mut Kernel, ns: NsId, argv: &[String], stdin: &[u8]) -> Exec {
    match argv.first().map(|p| p.rsplit('/').next().unwrap_or(p)) {
        Some("nc") => sockets::nc(k, ns, &argv[1..], stdin),
        _ => run(k, ns, argv),
    }
}

/// Runs `argv` in namespace `ns`.
pub fn run(k: &mut Kernel, ns: NsId, argv: &[String]) -> Exec {
    let Some(prog) = argv.first() else {
        return Exec::Done(ToolOutput::default());
    };
    let prog_name = prog.rsplit('/').next().unwrap_or(prog);
    let args = &argv[1..];
    let out = match prog_name {
        "ip" => {
            if let Some(e) = netns_exec(k, args) {
                return e;
            }
            ip::ip(k, ns, args)
        }
        "sysctl" => sysctl::sysctl_cmd(k, ns, args),
        "ping" => return ping(k, ns, args),
        "tcpdump" => {
            return match crate::apps::tcpdump::parse_args(k, ns, args) {
                Ok(t) => Exec::Spawned(k.tcpdump_spawn(ns, t)),
                Err(o) => Exec::Done(o),
            }
        }
        "bridge" => net_tools::bridge(k, ns, args),
        "brctl" => net_tools::brctl(k, ns, args),
        "route" => net_tools::route(k, ns, args),
        "ethtool" => net_tools::ethtool(k, ns, args),
        "iptables" | "iptables-legacy" => iptables::iptables(k, ns, args),
        "iptables-save" | "iptables-legacy-save" => iptables::iptables_save(k, ns, args),
        "conntrack" => conntrack::conntrack(k, ns, args),
        "dmesg" => conntrack::dmesg(k, args),
        "python3" => return sockets::python3(k, ns, args),
        "curl" => return sockets::curl(k, ns, args),
        "nc" => return sockets::nc(k, ns, args, &[]),
        "ss" => sockets::ss(k, ns, args),
        _ => return Exec::Unknown,
    };
    Exec::Done(out)
}

/// `ip [-n NS] netns exec NS PROG ARGS...` → `Exec::InNetns`.
fn netns_exec(k: &Kernel, args: &[String]) -> Option<Exec> {
    let mut i = 0;
    while i < args.len() && args[i].starts_with('-') {
        i += 1;
    }
    let obj = args.get(i)?;
    if !(ip::matches(obj, "netns") && obj.len() >= 2 || obj == "netns") {
        return None;
    }
    let cmd = args.get(i + 1)?;
    if !ip::matches(cmd, "exec") {
        return None;
    }
    let Some(name) = args.get(i + 2) else {
        return Some(Exec::Done(ToolOutput::err(
            "No netns name specified\n".into(),
            255,
        )));
    };
    let prog: Vec<String> = args[i + 3..].to_vec();
    if prog.is_empty() {
        return Some(Exec::Done(ToolOutput::err(
            "No command specified\n".into(),
            255,
        )));
    }
    match k.ns_by_name(name) {
        Some(x) if name != "root" => Some(Exec::InNetns(x, prog)),
        _ => Some(Exec::Done(ToolOutput::err(
            format!(
                "Cannot open network namespace \"{}\": No such file or directory\n",
                name
            ),
            255,
        ))),
    }
}

/// getopt's `optarg` for a short option that takes a value: the rest of its cluster (`-c5`,
/// `rest` = the characters after the option letter) or else the next argument (`-c 5`: `*i`
/// advances to it); `None` when there is none ("option requires an argument").
pub fn optarg(rest: &[char], args: &[String], i: &mut usize) -> Option<String> {
    if !rest.is_empty() {
        return Some(rest.iter().collect());
    }
    *i += 1;
    args.get(*i).cloned()
}

fn ping_usage(msg: &str) -> Exec {
    Exec::Done(ToolOutput::err(
        format!("{}\nUsage\n  ping [options] <destination>\n", msg),
        2,
    ))
}

/// Parses iputils' ping options (they may follow the destination, as getopt permutes).
fn ping(k: &mut Kernel, ns: NsId, args: &[String]) -> Exec {
    let mut dst = None;
    let mut o = PingOpts::new(Ipv4Addr::UNSPECIFIED);
    let mut i = 0;
    let secs = |v: &str| v.parse::<f64>().ok().filter(|x| x.is_finite() && *x >= 0.0);
    while i < args.len() {
        let a = args[i].as_str();
        if a.starts_with('-') && a.len() > 1 {
            let flag = &a[1..2];
            let inline = &a[2..];
            let needs = matches!(
                flag,
                "c" | "i" | "s" | "M" | "W" | "w" | "t" | "Q" | "I" | "p" | "l"
            );
            let val = if needs {
                if !inline.is_empty() {
                    inline.to_string()
                } else {
                    i += 1;
                    match args.get(i) {
                        Some(v) => v.clone(),
                        None => {
                            return ping_usage(&format!(
                                "ping: option requires an argument -- '{}'",
                                flag
                            ))
                        }
                    }
                }
            } else {
                String::new()
            };
            match flag {
                "c" => match val.parse::<u32>() {
                    Ok(n) if n > 0 => o.count = Some(n),
                    _ => return Exec::Done(ToolOutput::err(format!("ping: invalid argument: '{}': out of range: 1 <= value <= 9223372036854775807\n", val), 1)),
                },
                "i" => match secs(&val) {
                    Some(s) => o.interval = Duration::from_secs_f64(s),
                    None => return Exec::Done(ToolOutput::err(format!("ping: bad timing interval: {}\n", val), 1)),
                },
                "s" => match val.parse::<usize>() {
                    Ok(n) if n <= 65507 => o.size = n,
                    _ => return Exec::Done(ToolOutput::err(format!("ping: invalid argument: '{}': out of range: 0 <= value <= 65507\n", val), 1)),
                },
                "M" => {
                    o.pmtudisc = match val.as_str() {
                        "do" => PmtuDisc::Do,
                        "dont" => PmtuDisc::Dont,
                        "want" => PmtuDisc::Want,
                        _ => return Exec::Done(ToolOutput::err(format!("ping: invalid -M argument: {}\n", val), 2)),
                    }
                }
                "W" => match secs(&val) {
                    Some(s) => o.timeout = Some(Duration::from_secs_f64(s)),
                    None => return Exec::Done(ToolOutput::err(format!("ping: bad linger time: {}\n", val), 1)),
                },
                "w" => match secs(&val) {
                    Some(s) => o.deadline = Some(Duration::from_secs_f64(s)),
                    None => return Exec::Done(ToolOutput::err(format!("ping: bad wait time: {}\n", val), 1)),
                },
                "t" => match val.parse::<u8>() {
                    Ok(t) if t > 0 => o.ttl = t,
                    _ => return Exec::Done(ToolOutput::err(format!("ping: invalid argument: '{}': out of range: 1 <= value <= 255\n", val), 1)),
                },
                "Q" => o.tos = val.parse().unwrap_or(0),
                "q" => o.quiet = true,
                "n" | "4" | "v" | "D" | "O" => {}
                "I" | "p" | "l" => return Exec::Done(ToolOutput::err(format!("nslab: ping -{} is not supported\n", flag), 2)),
                _ => return ping_usage(&format!("ping: invalid option -- '{}'", flag)),
            }
        } else if dst.is_none() {
            match a.parse::<Ipv4Addr>() {
                Ok(ip) => dst = Some(ip),
                Err(_) => {
                    return Exec::Done(ToolOutput::err(
                        format!("ping: {}: Name or service not known\n", a),
                        2,
                    ))
                }
            }
        } else {
            return ping_usage("ping: too many arguments");
        }
        i += 1;
    }
    let Some(dst) = dst else {
        return ping_usage("ping: usage error: Destination address required");
    };
    o.dst = dst;
    Exec::Spawned(k.ping_spawn(ns, o))
}

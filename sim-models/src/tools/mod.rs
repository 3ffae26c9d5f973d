//! The userspace tools' behaviour: argv in, output text and exit status out, in the real tools'
//! formats and words. Long-running programs (ping) become processes; the caller runs the
//! simulation until they exit.

pub mod arping;
pub mod bridge_link;
pub mod bridge_vlan;
pub mod conntrack;
pub mod curl;
pub mod error;
pub mod ip;
pub mod ip6;
pub mod iplink_bond;
pub mod iplink_bridge;
pub mod iplink_gre;
pub mod iplink_ipvlan;
pub mod iplink_macvlan;
pub mod iplink_vlan;
pub mod ipnexthop;
pub mod iprule;
pub mod iptables;
pub mod iptunnel;
pub mod ipvrf;
pub mod net_tools;
pub mod ping;
pub mod show;
pub mod socat;
pub mod sockets;
pub mod sysctl;
pub mod tc;
pub mod tc_filter;
pub mod tc_netem_dist;
pub mod traceroute;
pub mod vxlan;

#[cfg(test)]
mod getopt_tests;

pub use error::{ErrorKind, ToolError, ToolOutput, NOT_MODELLED_STATUS};

use crate::kernel::{Kernel, NsId, Pid};

/// Runs a tool's command line (split at spaces) in `ns` for a unit test, which fails unless it
/// finished at once with status 0.
#[cfg(test)]
pub(crate) fn run_ok(k: &mut Kernel, ns: NsId, line: &str) {
    let argv: Vec<String> = line.split_whitespace().map(String::from).collect();
    match run(k, ns, &argv) {
        Exec::Done(o) => assert_eq!(o.status, 0, "{line}: {}", o.stderr),
        _ => panic!("{line}: not a tool"),
    }
}

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
pub const PROGRAMS: &[&str] = &[
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
    "socat",
    "ss",
    "ifconfig",
    "arp",
    "arping",
    "traceroute",
    "tc",
];

/// Runs `argv` in namespace `ns` with `stdin` (what the shell pipes in; `nc` sends it).
pub fn run_with_stdin(k: &mut Kernel, ns: NsId, argv: &[String], stdin: &[u8]) -> Exec {
    match argv.first().map(|p| p.rsplit('/').next().unwrap_or(p)) {
        Some("nc") => sockets::nc(k, ns, &argv[1..], stdin),
        Some("socat") => socat::socat(k, ns, &argv[1..], stdin),
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
            if let Some(e) = ipvrf::vrf_exec(k, ns, args) {
                return e;
            }
            ip::ip(k, ns, args)
        }
        "sysctl" => sysctl::sysctl_cmd(k, ns, args),
        "ping" => return ping::ping(k, ns, args),
        "arping" => return arping::arping(k, ns, args),
        "traceroute" => return traceroute::traceroute(k, ns, args),
        "tcpdump" => {
            return match crate::apps::tcpdump::parse_args(k, ns, args) {
                Ok(t) => Exec::Spawned(k.tcpdump_spawn(ns, t)),
                Err(o) => Exec::Done(o),
            }
        }
        "bridge" => {
            // `bridge -n NS ...` / `-netns NS`: iproute2's netns_switch, as for `ip -n`.
            match args.first().map(String::as_str) {
                Some("-n" | "-ne" | "-net" | "-netn" | "-netns") => match args.get(1) {
                    Some(name) => match k.netns_get_by_name(name) {
                        Some(x) if name != "root" => net_tools::bridge(k, x, &args[2..]),
                        _ => ToolError::usage(
                            255,
                            format!(
                                "Cannot open network namespace \"{name}\": No such file or directory\n"
                            ),
                        )
                        .into(),
                    },
                    None => ToolError::usage(255, "Option \"-n\" requires an argument\n").into(),
                },
                _ => net_tools::bridge(k, ns, args),
            }
        }
        "brctl" => net_tools::brctl(k, ns, args),
        "route" => net_tools::route(k, ns, args),
        "ifconfig" => net_tools::ifconfig(k, ns, args),
        "arp" => net_tools::arp(k, ns, args),
        "ethtool" => net_tools::ethtool(k, ns, args),
        "iptables" | "iptables-legacy" => iptables::iptables(k, ns, args),
        "iptables-save" | "iptables-legacy-save" => iptables::iptables_save(k, ns, args),
        "conntrack" => conntrack::conntrack(k, ns, args),
        "dmesg" => conntrack::dmesg(k, args),
        "python3" => return sockets::python3(k, ns, args),
        "curl" => return sockets::curl(k, ns, args),
        "nc" => return sockets::nc(k, ns, args, &[]),
        "socat" => return socat::socat(k, ns, args, &[]),
        "ss" => sockets::ss(k, ns, args),
        "tc" => tc::tc(k, ns, args),
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

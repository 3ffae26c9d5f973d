//! conntrack-tools 1.4.7 `conntrack`: `-L`, `-D`, `-F`, `-C` with the `-p`, `-s`, `-d`,
//! `--sport`, `--dport` filters, in the real tool's words (checked against it in a namespace).

use super::ToolOutput;
use crate::kernel::{Kernel, NsId};
use crate::net::netfilter::nf_conntrack::{conntrack_line, Conn};
use crate::wire::*;
use std::net::Ipv4Addr;

const PROG: &str = "conntrack v1.4.7 (conntrack-tools): ";

fn usage(msg: String) -> ToolOutput {
    ToolOutput::err(
        format!(
            "{}{}\nTry `conntrack -h' or 'conntrack --help' for more information.\n",
            PROG, msg
        ),
        2,
    )
}

#[derive(Default)]
struct Filter {
    proto: Option<u8>,
    src: Option<Ipv4Addr>,
    dst: Option<Ipv4Addr>,
    sport: Option<u16>,
    dport: Option<u16>,
}

impl Filter {
    fn matches(&self, c: &Conn) -> bool {
        self.proto.is_none_or(|p| c.orig.proto == p)
            && self.src.is_none_or(|a| c.orig.src == a)
            && self.dst.is_none_or(|a| c.orig.dst == a)
            && self.sport.is_none_or(|p| c.orig.sport == p)
            && self.dport.is_none_or(|p| c.orig.dport == p)
    }
}

pub fn conntrack(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    let mut cmd = None;
    let mut f = Filter::default();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let mut val = || {
            i += 1;
            args.get(i).cloned()
        };
        match a {
            "-L" | "--dump" => cmd = Some('L'),
            "-D" | "--delete" => cmd = Some('D'),
            "-F" | "--flush" => cmd = Some('F'),
            "-C" | "--count" => cmd = Some('C'),
            "-n" | "--src-nat" | "-g" | "--dst-nat" | "-o" => {}
            "-p" | "--proto" => {
                let Some(v) = val() else {
                    return usage(format!("option `{}' requires an argument", a));
                };
                f.proto = Some(match v.as_str() {
                    "tcp" | "6" => IPPROTO_TCP,
                    "udp" | "17" => IPPROTO_UDP,
                    "icmp" | "1" => IPPROTO_ICMP,
                    _ => return usage(format!("`{}' unsupported protocol", v)),
                });
            }
            "-s" | "--src" | "--orig-src" | "-d" | "--dst" | "--orig-dst" => {
                let Some(v) = val() else {
                    return usage(format!("option `{}' requires an argument", a));
                };
                let Ok(ip) = v.parse::<Ipv4Addr>() else {
                    return usage(format!("Invalid IP address `{}'", v));
                };
                if a.contains('s') {
                    f.src = Some(ip);
                } else {
                    f.dst = Some(ip);
                }
            }
            "--sport" | "--orig-port-src" | "--dport" | "--orig-port-dst" => {
                let Some(v) = val() else {
                    return usage(format!("option `{}' requires an argument", a));
                };
                let Ok(p) = v.parse::<u16>() else {
                    return usage(format!("invalid port `{}'", v));
                };
                if a.contains("sport") || a.contains("src") {
                    f.sport = Some(p);
                } else {
                    f.dport = Some(p);
                }
            }
            _ => return usage(format!("unknown option `{}'", a)),
        }
        i += 1;
    }
    let now = k.now;
    let ct = &mut k.net_mut(ns).nf.ct;
    ct.gc(now);
    match cmd.unwrap_or('L') {
        'L' => {
            let lines: Vec<String> = ct
                .conns
                .values()
                .rev()
                .filter(|c| f.matches(c))
                .map(|c| conntrack_line(c, now) + "\n")
                .collect();
            ToolOutput {
                stdout: lines.concat(),
                stderr: format!("{}{} flow entries have been shown.\n", PROG, lines.len()),
                status: 0,
                not_modelled: None,
            }
        }
        'D' => {
            let ids: Vec<u64> = ct
                .conns
                .values()
                .filter(|c| f.matches(c))
                .map(|c| c.id)
                .collect();
            let mut out = String::new();
            for id in ids.iter().rev() {
                if let Some(c) = ct.remove(*id) {
                    out += &conntrack_line(&c, now);
                    out.push('\n');
                }
            }
            ToolOutput {
                stdout: out,
                stderr: format!("{}{} flow entries have been deleted.\n", PROG, ids.len()),
                status: if ids.is_empty() { 1 } else { 0 },
                not_modelled: None,
            }
        }
        'F' => {
            *ct = Default::default();
            ToolOutput {
                stdout: String::new(),
                stderr: format!("{}connection tracking table has been emptied.\n", PROG),
                status: 0,
                not_modelled: None,
            }
        }
        _ => ToolOutput::ok(format!("{}\n", ct.conns.len())),
    }
}

/// `dmesg`: the kernel log (netfilter LOG lines), `[seconds.micros] text`; `-c` clears it.
pub fn dmesg(k: &mut Kernel, args: &[String]) -> ToolOutput {
    let mut out = String::new();
    for (t, line) in &k.klog {
        let ns = t.as_nanos();
        out += &format!(
            "[{:>5}.{:06}] {}\n",
            ns / 1_000_000_000,
            ns % 1_000_000_000 / 1000,
            line
        );
    }
    if args.iter().any(|a| a == "-c" || a == "-C") {
        k.klog.clear();
    }
    ToolOutput::ok(out)
}

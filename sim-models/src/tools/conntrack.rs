//! conntrack-tools 1.4.7 `conntrack`: `-L`, `-D`, `-F`, `-C` with the `-p`, `-s`, `-d`,
//! `--sport`, `--dport` filters, in the real tool's words (checked against it in a namespace).

use super::{ToolError, ToolOutput};
use crate::kernel::{Kernel, NsId};
use crate::net::netfilter::nf_conntrack::{conntrack_line, Conn, IPS_DST_NAT, IPS_SRC_NAT};
use crate::wire::*;
use std::net::Ipv4Addr;
use userland::getopt::{Getopt, GetoptError, HasArg, LongOpt};

const PROG: &str = "conntrack v1.4.7 (conntrack-tools): ";

fn usage(msg: String) -> ToolOutput {
    ToolError::usage(
        2,
        format!(
            "{}{}\nTry `conntrack -h' or 'conntrack --help' for more information.\n",
            PROG, msg
        ),
    )
    .into()
}

/// conntrack-tools 1.4.7's getopt_long optstring (missing arguments reported silently: it
/// prints its own words).
const OPTSTRING: &str =
    ":L::I::U::D::G::E::F::hVs:d:r:q:p:t:u:e:a:z[:]:{:}:m:i:f:o:n::g::c:b:C::Sj::w:l:<:>::(:):";

/// conntrack-tools 1.4.7's `original_opts`.
const ORIGINAL_OPTS: [LongOpt; 42] = [
    LongOpt::new("dump", HasArg::Optional, 'L'),
    LongOpt::new("create", HasArg::Optional, 'I'),
    LongOpt::new("delete", HasArg::Optional, 'D'),
    LongOpt::new("update", HasArg::Optional, 'U'),
    LongOpt::new("get", HasArg::Optional, 'G'),
    LongOpt::new("flush", HasArg::Optional, 'F'),
    LongOpt::new("event", HasArg::Optional, 'E'),
    LongOpt::new("counter", HasArg::Optional, 'C'),
    LongOpt::new("stats", HasArg::No, 'S'),
    LongOpt::new("version", HasArg::No, 'V'),
    LongOpt::new("help", HasArg::No, 'h'),
    LongOpt::new("orig-src", HasArg::Required, 's'),
    LongOpt::new("src", HasArg::Required, 's'),
    LongOpt::new("orig-dst", HasArg::Required, 'd'),
    LongOpt::new("dst", HasArg::Required, 'd'),
    LongOpt::new("reply-src", HasArg::Required, 'r'),
    LongOpt::new("reply-dst", HasArg::Required, 'q'),
    LongOpt::new("protonum", HasArg::Required, 'p'),
    LongOpt::new("timeout", HasArg::Required, 't'),
    LongOpt::new("status", HasArg::Required, 'u'),
    LongOpt::new("zero", HasArg::No, 'z'),
    LongOpt::new("event-mask", HasArg::Required, 'e'),
    LongOpt::new("tuple-src", HasArg::Required, '['),
    LongOpt::new("tuple-dst", HasArg::Required, ']'),
    LongOpt::new("mask-src", HasArg::Required, '{'),
    LongOpt::new("mask-dst", HasArg::Required, '}'),
    LongOpt::new("nat-range", HasArg::Required, 'a'),
    LongOpt::new("mark", HasArg::Required, 'm'),
    LongOpt::new("secmark", HasArg::Required, 'c'),
    LongOpt::new("id", HasArg::Optional, 'i'),
    LongOpt::new("family", HasArg::Required, 'f'),
    LongOpt::new("src-nat", HasArg::Optional, 'n'),
    LongOpt::new("dst-nat", HasArg::Optional, 'g'),
    LongOpt::new("output", HasArg::Required, 'o'),
    LongOpt::new("buffer-size", HasArg::Required, 'b'),
    LongOpt::new("any-nat", HasArg::Optional, 'j'),
    LongOpt::new("zone", HasArg::Required, 'w'),
    LongOpt::new("label", HasArg::Required, 'l'),
    LongOpt::new("label-add", HasArg::Required, '<'),
    LongOpt::new("label-del", HasArg::Optional, '>'),
    LongOpt::new("orig-zone", HasArg::Required, '('),
    LongOpt::new("reply-zone", HasArg::Required, ')'),
];

/// The port options the tcp and udp protocol handlers add once `-p` names them.
const PORT_OPTS: [LongOpt; 6] = [
    LongOpt::new("orig-port-src", HasArg::Required, '\u{e000}'),
    LongOpt::new("orig-port-dst", HasArg::Required, '\u{e001}'),
    LongOpt::new("reply-port-src", HasArg::Required, '\u{e002}'),
    LongOpt::new("reply-port-dst", HasArg::Required, '\u{e003}'),
    LongOpt::new("sport", HasArg::Required, '\u{e000}'),
    LongOpt::new("dport", HasArg::Required, '\u{e001}'),
];

#[derive(Default)]
struct Filter {
    proto: Option<u8>,
    src: Option<Ipv4Addr>,
    dst: Option<Ipv4Addr>,
    sport: Option<u16>,
    dport: Option<u16>,
    /// `-n` / `-g` without an address: entries with source / destination NAT.
    snat: bool,
    dnat: bool,
}

impl Filter {
    fn matches(&self, c: &Conn) -> bool {
        self.proto.is_none_or(|p| c.orig.proto == p)
            && self.src.is_none_or(|a| c.orig.src == a)
            && self.dst.is_none_or(|a| c.orig.dst == a)
            && self.sport.is_none_or(|p| c.orig.sport == p)
            && self.dport.is_none_or(|p| c.orig.dport == p)
            && (!self.snat || c.status & IPS_SRC_NAT != 0)
            && (!self.dnat || c.status & IPS_DST_NAT != 0)
    }
}

/// `get_optional_arg`: the next word unless it starts with `-` or `!`. An argument attached to
/// the option (`-LD`, `--src-nat=1.2.3.4`) is ignored: conntrack-tools 1.4.7 returns NULL when
/// getopt set `optarg` (recorded: `conntrack -LD` lists the conntrack table).
fn optional_arg(g: &mut Getopt, arg: Option<String>) -> Option<String> {
    match arg {
        Some(_) => None,
        None => g.take_word(),
    }
}

/// `conntrack ARGS` (conntrack-tools 1.4.7): `-L`, `-D`, `-F`, `-C` of the conntrack table
/// with the `-p`, `-s`, `-d`, `--sport`, `--dport`, `-n`, `-g` filters, talking to the kernel
/// through ctnetlink only.
pub fn conntrack(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    let mut cmd = None;
    let mut f = Filter::default();
    let mut g = Getopt::new(args, OPTSTRING, &ORIGINAL_OPTS);
    while let Some(r) = g.next() {
        let o = match r {
            Ok(o) => o,
            Err(e) => {
                let word = g.prev_word().unwrap_or("conntrack");
                return match e {
                    GetoptError::MissingArgument { .. }
                    | GetoptError::LongRequiresArgument { .. } => {
                        usage(format!("option `{}' requires an argument", word))
                    }
                    _ => usage(format!("unknown option `{}'", word)),
                };
            }
        };
        let v = o.arg.clone().unwrap_or_default();
        match o.opt {
            c @ ('L' | 'D' | 'F' | 'C') => {
                if cmd.is_some() {
                    return usage("Invalid commands combination".into());
                }
                cmd = Some(c);
                // check_type(): the table, by prefix.
                if let Some(t) = optional_arg(&mut g, o.arg) {
                    if !"conntrack".starts_with(t.as_str()) {
                        if ["expect", "dying", "unconfirmed"]
                            .iter()
                            .any(|x| x.starts_with(t.as_str()))
                        {
                            return ToolError::not_modelled(format!("conntrack -{c} {t}")).into();
                        }
                        return usage(format!("unknown type `{}'", t));
                    }
                }
            }
            'p' => {
                f.proto = Some(match v.as_str() {
                    "tcp" | "6" => IPPROTO_TCP,
                    "udp" | "17" => IPPROTO_UDP,
                    "icmp" | "1" => IPPROTO_ICMP,
                    _ => return usage(format!("`{}' unsupported protocol", v)),
                });
                // The protocol handler's options join the table.
                if f.proto != Some(IPPROTO_ICMP) {
                    let mut longs = ORIGINAL_OPTS.to_vec();
                    longs.extend(PORT_OPTS);
                    g.set_longs(&longs);
                }
            }
            c @ ('s' | 'd') => {
                let Ok(ip) = v.parse::<Ipv4Addr>() else {
                    return usage(format!("Invalid IP address `{}'", v));
                };
                if c == 's' {
                    f.src = Some(ip);
                } else {
                    f.dst = Some(ip);
                }
            }
            c @ ('\u{e000}' | '\u{e001}') => {
                let Ok(p) = v.parse::<u16>() else {
                    return usage(format!("invalid port `{}'", v));
                };
                if c == '\u{e000}' {
                    f.sport = Some(p);
                } else {
                    f.dport = Some(p);
                }
            }
            c @ ('n' | 'g') => match optional_arg(&mut g, o.arg) {
                None if c == 'n' => f.snat = true,
                None => f.dnat = true,
                Some(a) => {
                    if a.parse::<Ipv4Addr>().is_err() {
                        return usage(format!("Invalid IP address `{}'", a));
                    }
                    return ToolError::not_modelled(format!("conntrack -{c} ADDRESS")).into();
                }
            },
            'f' if v == "ipv4" => {}
            c => {
                let what = match o.long {
                    Some(l) => format!("conntrack --{l}"),
                    None => format!("conntrack -{c}"),
                };
                return ToolError::not_modelled(what).into();
            }
        }
    }
    // Other operands are ignored (recorded: `conntrack -L -s 1.2.3.4 x` lists).
    match cmd.unwrap_or('L') {
        'L' => {
            let d = k.ctnetlink_dump(ns);
            let lines: Vec<String> = d
                .conns
                .iter()
                .rev()
                .filter(|c| f.matches(c))
                .map(|c| conntrack_line(c, d.now) + "\n")
                .collect();
            ToolOutput {
                stdout: lines.concat(),
                stderr: format!("{}{} flow entries have been shown.\n", PROG, lines.len()),
                status: 0,
                not_modelled: None,
            }
        }
        'D' => {
            let d = k.ctnetlink_dump(ns);
            let mut out = String::new();
            let mut n = 0;
            for c in d.conns.iter().rev().filter(|c| f.matches(c)) {
                if let Ok(c) = k.ctnetlink_delete(ns, c.id) {
                    out += &conntrack_line(&c, d.now);
                    out.push('\n');
                    n += 1;
                }
            }
            ToolOutput {
                stdout: out,
                stderr: format!("{}{} flow entries have been deleted.\n", PROG, n),
                status: if n == 0 { 1 } else { 0 },
                not_modelled: None,
            }
        }
        'F' => {
            k.ctnetlink_flush(ns);
            ToolOutput {
                stdout: String::new(),
                stderr: format!("{}connection tracking table has been emptied.\n", PROG),
                status: 0,
                not_modelled: None,
            }
        }
        _ => ToolOutput::ok(format!("{}\n", k.ctnetlink_dump(ns).conns.len())),
    }
}

/// `dmesg`: the kernel log (netfilter LOG lines), `[seconds.micros] text`, read with
/// syslog(2); `-c` reads and clears it, `-C` clears it and prints nothing (util-linux).
pub fn dmesg(k: &mut Kernel, args: &[String]) -> ToolOutput {
    use crate::apps::SyslogAction;
    let action = if args.iter().any(|a| a == "-C") {
        SyslogAction::Clear
    } else if args.iter().any(|a| a == "-c") {
        SyslogAction::ReadClear
    } else {
        SyslogAction::ReadAll
    };
    let mut out = String::new();
    for (t, line) in k.syslog(action) {
        let ns = t.as_nanos();
        out += &format!(
            "[{:>5}.{:06}] {}\n",
            ns / 1_000_000_000,
            ns % 1_000_000_000 / 1000,
            line
        );
    }
    ToolOutput::ok(out)
}

#[cfg(test)]
mod tests {
    use crate::kernel::Kernel;
    use crate::tools::{self, Exec};

    fn run(k: &mut Kernel, ns: crate::kernel::NsId, line: &str) -> (String, i32) {
        let argv: Vec<String> = line.split(' ').map(String::from).collect();
        match tools::run(k, ns, &argv) {
            Exec::Done(o) => (o.stdout, o.status),
            _ => panic!("{line} is a command run to completion"),
        }
    }

    /// util-linux dmesg(1): plain `dmesg` reads the log (SYSLOG_ACTION_READ_ALL) and leaves it,
    /// `-c` prints then clears (READ_CLEAR), `-C` clears without printing (CLEAR).
    #[test]
    fn dmesg_read_all_read_clear_and_clear() {
        let mut k = Kernel::new(1);
        let ns = k.netns_add("n");
        // xt_check_target's refusal is logged (see getopt_tests' iptables targets).
        let log_one = |k: &mut Kernel| {
            let _ = run(k, ns, "iptables -t mangle -A PREROUTING -j REJECT");
        };
        log_one(&mut k);
        let (first, st) = run(&mut k, ns, "dmesg");
        assert_eq!(st, 0);
        assert!(
            first.contains("REJECT target: only valid in filter table"),
            "{first}"
        );
        assert_eq!(run(&mut k, ns, "dmesg"), (first.clone(), 0));
        assert_eq!(run(&mut k, ns, "dmesg -c"), (first, 0));
        assert_eq!(run(&mut k, ns, "dmesg"), (String::new(), 0));
        log_one(&mut k);
        assert_eq!(run(&mut k, ns, "dmesg -C"), (String::new(), 0));
        assert_eq!(run(&mut k, ns, "dmesg"), (String::new(), 0));
    }
}

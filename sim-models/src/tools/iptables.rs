//! `iptables` (legacy, v1.8.9), `iptables-save` and `iptables-restore`: the command line as the
//! seeds and kube-proxy write it, onto the rule model of `net::netfilter::ip_tables`. Output and
//! error texts are the real tool's (checked against `iptables-legacy` 1.8.9 in a namespace).

use super::{ToolError, ToolOutput};
use crate::errno::Errno;
use crate::kernel::{Kernel, NsId};
use crate::net::netfilter::ip_tables::*;
use std::net::Ipv4Addr;
use userland::getopt::{Getopt, GetoptError, HasArg, LongOpt, OPERAND};

const PROG: &str = "iptables v1.8.9 (legacy): ";

/// An error: parameter problems (exit 2, with the "Try" line), or the kernel's answer (exit 1).
#[derive(Debug)]
enum Err {
    Param(String),
    Other(String),
    NoTable(String),
    /// Printed as is before the "Try" line (`Bad argument `x'`, from fprintf), status 2.
    Bare(String),
    /// Not an error: what `-V` prints, status 0.
    Print(String),
    /// Something the model lacks (`iptables -m limit`).
    NotModelled(String),
}

fn param<T>(s: impl Into<String>) -> Result<T, Err> {
    Err(Err::Param(s.into()))
}
fn other<T>(s: &str) -> Result<T, Err> {
    Err(Err::Other(format!("iptables: {}.\n", s)))
}

fn render(e: Err, prog: &str, line: Option<usize>) -> ToolOutput {
    match e {
        Err::Param(m) => {
            let mut s = format!("{} v1.8.9 (legacy): {}\n", prog, m);
            if let Some(l) = line {
                s += &format!("Error occurred at line: {}\n", l);
            }
            s += &format!(
                "Try `{} -h' or '{} --help' for more information.\n",
                prog, prog
            );
            ToolOutput::err(s, 2)
        }
        Err::Bare(m) => {
            let mut s = m;
            if let Some(l) = line {
                s += &format!("Error occurred at line: {}\n", l);
            }
            s += &format!(
                "Try `{} -h' or '{} --help' for more information.\n",
                prog, prog
            );
            ToolOutput::err(s, 2)
        }
        Err::Print(m) => ToolOutput::ok(m),
        Err::NotModelled(w) => ToolError::not_modelled(w).into(),
        Err::Other(m) => ToolOutput::err(m, 1),
        Err::NoTable(t) => ToolOutput::err(
            format!("{}can't initialize iptables table `{}': Table does not exist (do you need to insmod?)\nPerhaps iptables or your kernel needs to be upgraded.\n", PROG, t),
            3,
        ),
    }
}

/// `-m statistic` options: mode, probability, every, packet.
type StatOpts = (String, Option<String>, Option<String>, Option<String>);

#[derive(Default)]
struct Cmd {
    cmd: Option<char>,
    chain: Option<String>,
    rulenum: Option<usize>,
    policy: Option<String>,
    newname: Option<String>,
    table: String,
    numeric: bool,
    verbose: bool,
    exact: bool,
    line_numbers: bool,
    rule: Option<Rule>,
}

fn empty_rule() -> Rule {
    Rule {
        src: None,
        dst: None,
        iif: None,
        oif: None,
        proto: None,
        matches: Vec::new(),
        target: Target::None,
        goto: false,
        pkts: 0,
        bytes: 0,
        nth_count: 0,
        jump: Default::default(),
    }
}

fn parse_addr(s: &str) -> Result<(Ipv4Addr, u8), Err> {
    let (a, p) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let ip: Ipv4Addr = a
        .parse()
        .or_else(|_| param(format!("host/network `{}' not found", a)))?;
    let plen = match p {
        None => 32,
        Some(p) => match p.parse::<u8>() {
            Ok(n) if n <= 32 => n,
            _ => match p.parse::<Ipv4Addr>() {
                Ok(m) if u32::from(m).leading_ones() == u32::from(m).count_ones() => {
                    u32::from(m).count_ones() as u8
                }
                _ => return param(format!("invalid mask `{}' specified", p)),
            },
        },
    };
    let m = if plen == 0 {
        0
    } else {
        u32::MAX << (32 - plen)
    };
    Ok((Ipv4Addr::from(u32::from(ip) & m), plen))
}

fn parse_proto(s: &str) -> Result<u8, Err> {
    let l = s.to_ascii_lowercase();
    for p in 0..=255u8 {
        if proto_name(p) == Some(l.as_str()) {
            return Ok(p);
        }
    }
    match l.parse::<u8>() {
        Ok(p) => Ok(p),
        Err(_) => param(format!("unknown protocol \"{}\" specified", s)),
    }
}

fn parse_port(s: &str, udp: bool) -> Result<u16, Err> {
    if let Ok(p) = s.parse::<u32>() {
        if p <= 65535 {
            return Ok(p as u16);
        }
    }
    if let Some(p) = crate::tcpdump::port_by_name(s, if udp { "udp" } else { "tcp" }) {
        return Ok(p);
    }
    param(format!("invalid port/service `{}' specified", s))
}

fn parse_port_range(s: &str, udp: bool, inv: bool) -> Result<PortRange, Err> {
    let (lo, hi) = match s.split_once(':') {
        Some((a, b)) => (
            if a.is_empty() { 0 } else { parse_port(a, udp)? },
            if b.is_empty() {
                65535
            } else {
                parse_port(b, udp)?
            },
        ),
        None => {
            let p = parse_port(s, udp)?;
            (p, p)
        }
    };
    Ok(PortRange { lo, hi, inv })
}

fn parse_mark(s: &str) -> Result<(u32, Option<u32>), Err> {
    let num = |x: &str| -> Option<u32> {
        if let Some(h) = x.strip_prefix("0x").or_else(|| x.strip_prefix("0X")) {
            u32::from_str_radix(h, 16).ok()
        } else {
            x.parse().ok()
        }
    };
    let bad = || Err::Param(format!("Bad MARK value \"{}\"", s));
    match s.split_once('/') {
        Some((v, m)) => Ok((num(v).ok_or_else(bad)?, Some(num(m).ok_or_else(bad)?))),
        None => Ok((num(s).ok_or_else(bad)?, None)),
    }
}

/// `--to-destination`/`--to-source` `[IP[-IP]][:PORT[-PORT]]`.
fn parse_nat_range(s: &str, proto: Option<(u8, bool)>) -> Result<NatRange, Err> {
    let (ips, ports) = match s.split_once(':') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let mut r = NatRange::default();
    if let Some(p) = ports {
        if !matches!(proto, Some((6 | 17 | 132 | 33 | 136, false))) {
            return param("Need TCP, UDP, SCTP or DCCP with port specification");
        }
        let bad = || Err::Param(format!("Port `{}' not valid", p));
        let (lo, hi) = match p.split_once('-') {
            Some((a, b)) => (a, b),
            None => (p, p),
        };
        let lo: u16 = lo.parse().ok().filter(|&x| x > 0).ok_or_else(bad)?;
        let hi: u16 = hi.parse().ok().filter(|&x| x > 0).ok_or_else(bad)?;
        if hi < lo {
            return Err(bad());
        }
        r.ports = Some((lo, hi));
    }
    if !ips.is_empty() {
        let (a, b) = match ips.split_once('-') {
            Some((a, b)) => (a, Some(b)),
            None => (ips, None),
        };
        let ip = |x: &str| {
            x.parse::<Ipv4Addr>()
                .map_err(|_| Err::Param(format!("Bad IP address \"{}\"", x)))
        };
        r.min_ip = Some(ip(a)?);
        r.max_ip = Some(match b {
            Some(b) => ip(b)?,
            None => ip(a)?,
        });
    }
    Ok(r)
}

const MATCHES: [&str; 10] = [
    "tcp",
    "udp",
    "icmp",
    "multiport",
    "comment",
    "conntrack",
    "state",
    "addrtype",
    "statistic",
    "mark",
];
const TARGETS: [&str; 10] = [
    "ACCEPT",
    "DROP",
    "RETURN",
    "REJECT",
    "DNAT",
    "SNAT",
    "MASQUERADE",
    "MARK",
    "LOG",
    "QUEUE",
];

/// iptables 1.8.9's getopt_long optstring (`do_command4`): operands come back in place, missing
/// arguments silently (`opterr = 0`: iptables prints its own words).
const OPTSTRING: &str = "-:A:C:D:R:I:L::S::M:F::Z::N:X::E:P:Vh::o:p:s:d:j:i:fbvw::W::nt:m:xc:g:46";

/// iptables 1.8.9's `original_opts`.
const ORIGINAL_OPTS: [LongOpt; 37] = [
    LongOpt::new("append", HasArg::Required, 'A'),
    LongOpt::new("delete", HasArg::Required, 'D'),
    LongOpt::new("check", HasArg::Required, 'C'),
    LongOpt::new("insert", HasArg::Required, 'I'),
    LongOpt::new("replace", HasArg::Required, 'R'),
    LongOpt::new("list", HasArg::Optional, 'L'),
    LongOpt::new("list-rules", HasArg::Optional, 'S'),
    LongOpt::new("flush", HasArg::Optional, 'F'),
    LongOpt::new("zero", HasArg::Optional, 'Z'),
    LongOpt::new("new-chain", HasArg::Required, 'N'),
    LongOpt::new("delete-chain", HasArg::Optional, 'X'),
    LongOpt::new("rename-chain", HasArg::Required, 'E'),
    LongOpt::new("policy", HasArg::Required, 'P'),
    LongOpt::new("source", HasArg::Required, 's'),
    LongOpt::new("destination", HasArg::Required, 'd'),
    LongOpt::new("src", HasArg::Required, 's'),
    LongOpt::new("dst", HasArg::Required, 'd'),
    LongOpt::new("protocol", HasArg::Required, 'p'),
    LongOpt::new("in-interface", HasArg::Required, 'i'),
    LongOpt::new("jump", HasArg::Required, 'j'),
    LongOpt::new("table", HasArg::Required, 't'),
    LongOpt::new("match", HasArg::Required, 'm'),
    LongOpt::new("numeric", HasArg::No, 'n'),
    LongOpt::new("out-interface", HasArg::Required, 'o'),
    LongOpt::new("verbose", HasArg::No, 'v'),
    LongOpt::new("wait", HasArg::Optional, 'w'),
    LongOpt::new("wait-interval", HasArg::Optional, 'W'),
    LongOpt::new("exact", HasArg::No, 'x'),
    LongOpt::new("fragments", HasArg::No, 'f'),
    LongOpt::new("version", HasArg::No, 'V'),
    LongOpt::new("help", HasArg::Optional, 'h'),
    LongOpt::new("line-numbers", HasArg::No, '0'),
    LongOpt::new("modprobe", HasArg::Required, 'M'),
    LongOpt::new("set-counters", HasArg::Required, 'c'),
    LongOpt::new("goto", HasArg::Required, 'g'),
    LongOpt::new("ipv4", HasArg::No, '4'),
    LongOpt::new("ipv6", HasArg::No, '6'),
];

use HasArg::{No as NoArg, Required as Req};

/// The options the extensions the model knows bring when loaded (as `iptables -m X -h` and
/// `-j X -h` list them in 1.8.9): (extension, option, argument). Each option's `val` is its
/// index here from U+E100, so abbreviations resolve per extension as glibc does.
const EXT_OPTS: [(&str, &str, HasArg); 55] = [
    ("tcp", "source-port", Req),
    ("tcp", "sport", Req),
    ("tcp", "destination-port", Req),
    ("tcp", "dport", Req),
    ("tcp", "syn", NoArg),
    ("tcp", "tcp-flags", Req),
    ("tcp", "tcp-option", Req),
    ("udp", "source-port", Req),
    ("udp", "sport", Req),
    ("udp", "destination-port", Req),
    ("udp", "dport", Req),
    ("icmp", "icmp-type", Req),
    ("multiport", "source-ports", Req),
    ("multiport", "sports", Req),
    ("multiport", "destination-ports", Req),
    ("multiport", "dports", Req),
    ("multiport", "ports", Req),
    ("comment", "comment", Req),
    ("conntrack", "ctstate", Req),
    ("conntrack", "ctproto", Req),
    ("conntrack", "ctorigsrc", Req),
    ("conntrack", "ctorigdst", Req),
    ("conntrack", "ctreplsrc", Req),
    ("conntrack", "ctrepldst", Req),
    ("conntrack", "ctorigsrcport", Req),
    ("conntrack", "ctorigdstport", Req),
    ("conntrack", "ctreplsrcport", Req),
    ("conntrack", "ctrepldstport", Req),
    ("conntrack", "ctstatus", Req),
    ("conntrack", "ctexpire", Req),
    ("conntrack", "ctdir", Req),
    ("state", "state", Req),
    ("addrtype", "src-type", Req),
    ("addrtype", "dst-type", Req),
    ("addrtype", "limit-iface-in", NoArg),
    ("addrtype", "limit-iface-out", NoArg),
    ("statistic", "mode", Req),
    ("statistic", "probability", Req),
    ("statistic", "every", Req),
    ("statistic", "packet", Req),
    ("mark", "mark", Req),
    ("REJECT", "reject-with", Req),
    ("DNAT", "to-destination", Req),
    ("DNAT", "random", NoArg),
    ("DNAT", "persistent", NoArg),
    ("SNAT", "to-source", Req),
    ("SNAT", "random", NoArg),
    ("SNAT", "random-fully", NoArg),
    ("SNAT", "persistent", NoArg),
    ("MASQUERADE", "to-ports", Req),
    ("MASQUERADE", "random", NoArg),
    ("MASQUERADE", "random-fully", NoArg),
    ("MARK", "set-mark", Req),
    ("MARK", "set-xmark", Req),
    ("LOG", "log-prefix", Req),
];

/// `EXT_OPTS` continued (its `val`s follow on).
const EXT_OPTS_MORE: [(&str, &str, HasArg); 8] = [
    ("MARK", "and-mark", Req),
    ("MARK", "or-mark", Req),
    ("MARK", "xor-mark", Req),
    ("LOG", "log-level", Req),
    ("LOG", "log-tcp-sequence", NoArg),
    ("LOG", "log-tcp-options", NoArg),
    ("LOG", "log-ip-options", NoArg),
    ("LOG", "log-uid", NoArg),
];

/// The extension option with this `val`, as `--name`.
fn ext_opt_name(val: char) -> Option<&'static str> {
    let i = (val as u32).checked_sub(0xe100)? as usize;
    EXT_OPTS
        .iter()
        .chain(EXT_OPTS_MORE.iter())
        .nth(i)
        .map(|(_, n, _)| *n)
}

/// `original_opts` followed by the options of the extensions loaded, in load order
/// (`xtables_merge_options`).
fn merged_opts(loaded: &[&str]) -> Vec<LongOpt> {
    let mut v = ORIGINAL_OPTS.to_vec();
    for ext in loaded {
        for (i, (e, name, has)) in EXT_OPTS.iter().chain(EXT_OPTS_MORE.iter()).enumerate() {
            if e == ext {
                let val = char::from_u32(0xe100 + i as u32).expect("private use");
                v.push(LongOpt::new(name, *has, val));
            }
        }
    }
    v
}

/// Extensions iptables 1.8.9 ships (`/usr/lib/x86_64-linux-gnu/xtables` on the recorder): a
/// match or target among these that the model lacks is "not modelled", any other name is
/// no extension at all.
const XT_MATCHES: [&str; 59] = [
    "addrtype",
    "ah",
    "bpf",
    "cgroup",
    "cluster",
    "comment",
    "connbytes",
    "connlabel",
    "connlimit",
    "connmark",
    "conntrack",
    "cpu",
    "dccp",
    "devgroup",
    "dscp",
    "ecn",
    "esp",
    "hashlimit",
    "helper",
    "icmp",
    "ipcomp",
    "iprange",
    "ipvs",
    "length",
    "limit",
    "mac",
    "mark",
    "multiport",
    "nfacct",
    "osf",
    "owner",
    "physdev",
    "pkttype",
    "policy",
    "quota",
    "rateest",
    "realm",
    "recent",
    "rpfilter",
    "sctp",
    "set",
    "socket",
    "state",
    "statistic",
    "string",
    "tcp",
    "tcpmss",
    "time",
    "tos",
    "ttl",
    "u32",
    "udp",
    "standard",
    "icmp6",
    "hl",
    "frag",
    "rt",
    "mh",
    "eui64",
];
const XT_TARGETS: [&str; 39] = [
    "AUDIT",
    "CHECKSUM",
    "CLASSIFY",
    "CLUSTERIP",
    "CONNMARK",
    "CONNSECMARK",
    "CT",
    "DNAT",
    "DSCP",
    "ECN",
    "HMARK",
    "IDLETIMER",
    "LED",
    "LOG",
    "MARK",
    "MASQUERADE",
    "NETMAP",
    "NFLOG",
    "NFQUEUE",
    "NOTRACK",
    "RATEEST",
    "REDIRECT",
    "REJECT",
    "SECMARK",
    "SET",
    "SNAT",
    "SYNPROXY",
    "TCPMSS",
    "TCPOPTSTRIP",
    "TEE",
    "TOS",
    "TPROXY",
    "TRACE",
    "TTL",
    "ULOG",
    "QUEUE",
    "ACCEPT",
    "DROP",
    "RETURN",
];

/// `parse_rulenumber`: 1..=INT_MAX.
fn parse_rulenumber(s: &str) -> Result<usize, Err> {
    match s.parse::<u32>() {
        Ok(n) if (1..=i32::MAX as u32).contains(&n) => Ok(n as usize),
        _ => param(format!("Invalid rule number `{}'", s)),
    }
}

/// Parses an iptables command line (without the program name) as `do_command4` does: glibc
/// getopt_long over `original_opts` plus the options of each match and target as it is
/// loaded (`-m`, `-j`, and the protocol's match when an option is unknown after `-p`).
fn parse(args: &[String]) -> Result<Cmd, Err> {
    let mut c = Cmd {
        table: "filter".into(),
        ..Default::default()
    };
    let mut r = empty_rule();
    let mut has_rule_opts = false;
    let mut loaded: Vec<&str> = Vec::new();
    let mut proto_used = false;
    let mut target: Option<String> = None;
    let mut tgt_opts: Vec<(String, Option<String>)> = Vec::new();
    let mut stat: Option<StatOpts> = None;
    let mut inv = false;
    let mut g = Getopt::new(args, OPTSTRING, &ORIGINAL_OPTS);
    let set_cmd = |c: &mut Cmd, ch: char| -> Result<(), Err> {
        if let Some(old) = c.cmd {
            return param(format!("Cannot use -{} with -{}\n", ch, old));
        }
        c.cmd = Some(ch);
        Ok(())
    };
    while let Some(res) = g.next() {
        let o = match res {
            Ok(o) => o,
            Err(e) => {
                // command_default(): load the protocol's match once and parse the word again.
                let pname = match r.proto {
                    Some((6, _)) => Some("tcp"),
                    Some((17, _)) => Some("udp"),
                    Some((1, _)) => Some("icmp"),
                    _ => None,
                };
                if let Some(pn) = pname.filter(|_| !proto_used) {
                    proto_used = true;
                    if !loaded.contains(&pn) {
                        loaded.push(pn);
                        if pn != "icmp" {
                            r.matches.push(Match::Ports {
                                udp: pn == "udp",
                                sport: None,
                                dport: None,
                            });
                        }
                        g.set_longs(&merged_opts(&loaded));
                        g.rewind();
                        continue;
                    }
                }
                let word = g.prev_word().unwrap_or("iptables");
                return match e {
                    GetoptError::MissingArgument { .. }
                    | GetoptError::LongRequiresArgument { .. } => {
                        param(format!("option \"{}\" requires an argument", word))
                    }
                    _ => param(format!("unknown option \"{}\"", word)),
                };
            }
        };
        let v = o.arg.clone();
        // The model's spelling of the option: "-X" for the built-in ones, "--name" for an
        // extension's.
        let key: String = match o.opt {
            OPERAND => {
                let w = v.clone().unwrap_or_default();
                if w == "!" {
                    if inv {
                        return param("multiple consecutive ! not allowed");
                    }
                    inv = true;
                    continue;
                }
                return Err(Err::Bare(format!("Bad argument `{}'\n", w)));
            }
            c if (c as u32) >= 0xe100 => format!("--{}", ext_opt_name(c).unwrap_or("")),
            '0' => "--line-numbers".into(),
            c => format!("-{c}"),
        };
        let opt = key.as_str();
        macro_rules! val {
            () => {{
                v.clone().unwrap_or_default()
            }};
        }
        match opt {
            "-A" | "-C" | "-D" | "-I" | "-R" | "-N" | "-P" | "-E" => {
                let ch = opt.chars().nth(1).unwrap_or('A');
                set_cmd(&mut c, ch)?;
                c.chain = Some(val!());
                match ch {
                    'D' | 'I' => {
                        if let Some(w) = g.take_word() {
                            c.rulenum = Some(parse_rulenumber(&w)?);
                        }
                    }
                    'R' => match g.take_word() {
                        Some(w) => c.rulenum = Some(parse_rulenumber(&w)?),
                        None => return param("-R requires a rule number"),
                    },
                    'P' => match g.take_word() {
                        Some(w) => c.policy = Some(w),
                        None => return param("-P requires a chain and a policy"),
                    },
                    'E' => match g.take_word() {
                        Some(w) => c.newname = Some(w),
                        None => return param("-E requires old-chain-name and new-chain-name"),
                    },
                    _ => {}
                }
            }
            "-L" | "-S" | "-F" | "-Z" | "-X" => {
                let ch = opt.chars().nth(1).unwrap_or('L');
                set_cmd(&mut c, ch)?;
                c.chain = v.clone().or_else(|| g.take_word());
                if matches!(ch, 'L' | 'S' | 'Z') {
                    if let Some(w) = g.take_word() {
                        c.rulenum = Some(parse_rulenumber(&w)?);
                    }
                }
            }
            "-t" => {
                if inv {
                    return param("unexpected ! flag before --table");
                }
                c.table = val!();
            }
            "-n" => c.numeric = true,
            "-v" => c.verbose = true,
            "-x" => c.exact = true,
            "--line-numbers" => c.line_numbers = true,
            "-w" | "-W" => {
                if v.is_none() {
                    g.take_word();
                }
            }
            "-4" => {}
            "-6" => return Err(Err::Bare(String::new())),
            "-V" => return Err(Err::Print("iptables v1.8.9 (legacy)\n".into())),
            "-s" | "-d" => {
                let v = val!();
                let (addr, plen) = parse_addr(&v)?;
                let m = Some(AddrMatch { addr, plen, inv });
                if opt == "-s" {
                    r.src = m;
                } else {
                    r.dst = m;
                }
                has_rule_opts = true;
            }
            "-i" | "-o" => {
                let name = val!();
                if name.is_empty() {
                    return param("Empty interface is likely to be undesired");
                }
                let m = Some(IfMatch { name, inv });
                if opt == "-i" {
                    r.iif = m;
                } else {
                    r.oif = m;
                }
                has_rule_opts = true;
            }
            "-p" => {
                let v = val!().to_ascii_lowercase();
                r.proto = Some((parse_proto(&v)?, inv));
                has_rule_opts = true;
            }
            "-j" | "-g" => {
                let v = val!();
                r.goto = opt == "-g";
                if XT_TARGETS.contains(&v.as_str()) && !TARGETS.contains(&v.as_str()) {
                    return Err(Err::NotModelled(format!("iptables -j {v}")));
                }
                if matches!(
                    v.as_str(),
                    "REJECT" | "DNAT" | "SNAT" | "MASQUERADE" | "MARK" | "LOG"
                ) && !loaded.contains(&v.as_str())
                {
                    let name = TARGETS.iter().find(|t| **t == v).copied().unwrap_or("");
                    loaded.push(name);
                    g.set_longs(&merged_opts(&loaded));
                }
                target = Some(v);
                has_rule_opts = true;
            }
            "-m" => {
                let v = val!();
                match MATCHES.iter().find(|m| **m == v) {
                    Some(m) => {
                        loaded.push(m);
                        g.set_longs(&merged_opts(&loaded));
                        if matches!(*m, "tcp" | "udp") {
                            r.matches.push(Match::Ports {
                                udp: *m == "udp",
                                sport: None,
                                dport: None,
                            });
                        }
                    }
                    None if XT_MATCHES.contains(&v.as_str()) => {
                        return Err(Err::NotModelled(format!("iptables -m {v}")))
                    }
                    None => {
                        return param(format!(
                            "Couldn't load match `{}':No such file or directory\n",
                            v
                        ))
                    }
                }
                has_rule_opts = true;
            }
            "-f" | "-c" | "-h" | "-M" | "-b" => {
                return Err(Err::NotModelled(format!(
                    "iptables {}",
                    o.long.map_or(opt.to_string(), |l| format!("--{l}"))
                )))
            }
            "--tcp-flags" | "--tcp-option" | "--ctproto" | "--ctorigsrc" | "--ctorigdst"
            | "--ctreplsrc" | "--ctrepldst" | "--ctorigsrcport" | "--ctorigdstport"
            | "--ctreplsrcport" | "--ctrepldstport" | "--ctstatus" | "--ctexpire" | "--ctdir"
            | "--limit-iface-in" | "--limit-iface-out" | "--log-tcp-sequence"
            | "--log-tcp-options" | "--log-ip-options" | "--log-uid" => {
                return Err(Err::NotModelled(format!("iptables {opt}")))
            }
            "--syn" => {
                // libxt_tcp: `--syn` is `--tcp-flags FIN,SYN,RST,ACK SYN`, part of the tcp match.
                let idx = match r
                    .matches
                    .iter()
                    .rposition(|m| matches!(m, Match::Ports { udp: false, .. }))
                {
                    Some(x) => x,
                    None if r.proto == Some((6, false)) => {
                        r.matches.push(Match::Ports {
                            udp: false,
                            sport: None,
                            dport: None,
                        });
                        r.matches.len() - 1
                    }
                    None => return param(format!("unknown option \"{}\"", opt)),
                };
                let flags = Match::TcpFlags {
                    mask: 0x17,
                    cmp: 0x02,
                    inv,
                };
                match r.matches.get(idx + 1) {
                    Some(Match::TcpFlags { .. }) => {
                        return param("Only one of `--syn' or `--tcp-flags'  allowed");
                    }
                    _ => r.matches.insert(idx + 1, flags),
                }
            }
            "--sport" | "--source-port" | "--dport" | "--destination-port" => {
                let v = val!();
                // Implicit `-m tcp|udp` from `-p`.
                let idx = match r
                    .matches
                    .iter()
                    .rposition(|m| matches!(m, Match::Ports { .. }))
                {
                    Some(x) => x,
                    None => match r.proto {
                        Some((6, false)) | Some((17, false)) => {
                            let udp = r.proto == Some((17, false));
                            r.matches.push(Match::Ports {
                                udp,
                                sport: None,
                                dport: None,
                            });
                            r.matches.len() - 1
                        }
                        _ => return param(format!("unknown option \"{}\"", opt)),
                    },
                };
                if let Match::Ports { udp, sport, dport } = &mut r.matches[idx] {
                    let pr = parse_port_range(&v, *udp, inv)?;
                    if opt.contains('s') && (opt == "--sport" || opt == "--source-port") {
                        *sport = Some(pr);
                    } else {
                        *dport = Some(pr);
                    }
                }
            }
            "--icmp-type" => {
                let v = val!();
                if r.proto != Some((1, false)) && !loaded.contains(&"icmp") {
                    return param(format!("unknown option \"{}\"", opt));
                }
                let (ty, code) = icmp_type_by_name(&v)
                    .ok_or_else(|| Err::Param(format!("Invalid ICMP type `{}'\n", v)))?;
                r.matches.push(Match::Icmp { ty, code, inv });
            }
            "--sports" | "--source-ports" | "--dports" | "--destination-ports" | "--ports" => {
                let v = val!();
                if !loaded.contains(&"multiport") {
                    return param(format!("unknown option \"{}\"", opt));
                }
                if !matches!(r.proto, Some((6 | 17 | 132 | 33 | 136, false))) {
                    return param(
                        "multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'",
                    );
                }
                let udp = r.proto == Some((17, false));
                let mut ports = Vec::new();
                for p in v.split(',') {
                    let pr = parse_port_range(p, udp, false)?;
                    ports.push((pr.lo, pr.hi));
                }
                let dir = match opt {
                    "--sports" | "--source-ports" => 0,
                    "--ports" => 2,
                    _ => 1,
                };
                r.matches.push(Match::Multiport { dir, ports, inv });
            }
            "--comment" => {
                let v = val!();
                if !loaded.contains(&"comment") {
                    return param(format!("unknown option \"{}\"", opt));
                }
                r.matches.push(Match::Comment(v));
            }
            "--ctstate" | "--state" => {
                let v = val!();
                let state = opt == "--state";
                if !loaded.contains(&if state { "state" } else { "conntrack" }) {
                    return param(format!("unknown option \"{}\"", opt));
                }
                let mut mask = 0u8;
                for s in v.split(',') {
                    mask |= match s {
                        "INVALID" => CT_INVALID,
                        "NEW" => CT_NEW,
                        "RELATED" => CT_RELATED,
                        "ESTABLISHED" => CT_ESTABLISHED,
                        "UNTRACKED" => CT_UNTRACKED,
                        "SNAT" if !state => CT_SNAT,
                        "DNAT" if !state => CT_DNAT,
                        _ => return param(format!("Bad ctstate \"{}\"", s)),
                    };
                }
                r.matches.push(Match::CtState { mask, inv, state });
            }
            "--src-type" | "--dst-type" => {
                let v = val!();
                if !loaded.contains(&"addrtype") {
                    return param(format!("unknown option \"{}\"", opt));
                }
                let mut mask = 0u16;
                for s in v.split(',') {
                    match ADDRTYPES.iter().position(|t| t.eq_ignore_ascii_case(s)) {
                        Some(b) => mask |= 1 << b,
                        None => return param(format!("addrtype: bad type \"{}\"", s)),
                    }
                }
                let idx = match r
                    .matches
                    .iter()
                    .rposition(|m| matches!(m, Match::AddrType { .. }))
                {
                    Some(x) => x,
                    None => {
                        r.matches.push(Match::AddrType {
                            src: None,
                            dst: None,
                        });
                        r.matches.len() - 1
                    }
                };
                if let Match::AddrType { src, dst } = &mut r.matches[idx] {
                    if opt == "--src-type" {
                        *src = Some((mask, inv));
                    } else {
                        *dst = Some((mask, inv));
                    }
                }
            }
            "--mode" | "--probability" | "--every" | "--packet" => {
                let v = val!();
                if !loaded.contains(&"statistic") {
                    return param(format!("unknown option \"{}\"", opt));
                }
                let s = stat.get_or_insert((String::new(), None, None, None));
                match opt {
                    "--mode" => s.0 = v,
                    "--probability" => s.1 = Some(v),
                    "--every" => s.2 = Some(v),
                    _ => s.3 = Some(v),
                }
            }
            "--mark" => {
                let v = val!();
                if !loaded.contains(&"mark") {
                    return param(format!("unknown option \"{}\"", opt));
                }
                let (value, mask) = parse_mark(&v)?;
                r.matches.push(Match::Mark {
                    value,
                    mask: mask.unwrap_or(u32::MAX),
                    inv,
                });
            }
            "--reject-with" | "--to-destination" | "--to-source" | "--to-ports" | "--to"
            | "--set-mark" | "--set-xmark" | "--or-mark" | "--and-mark" | "--xor-mark"
            | "--log-prefix" | "--log-level" => {
                let v = val!();
                tgt_opts.push((opt.to_string(), Some(v)));
            }
            "--random" | "--random-fully" | "--persistent" => {
                tgt_opts.push((opt.to_string(), None));
            }
            _ => {
                if opt.starts_with('-') {
                    return param(format!("unknown option \"{}\"", opt));
                }
                return param(format!("Bad argument `{}'", opt));
            }
        }
        inv = false;
    }
    // Finish the statistic match in the place it was loaded.
    if let Some((mode, prob, every, packet)) = stat {
        let m = match mode.as_str() {
            "random" => {
                let p: f64 = prob
                    .as_deref()
                    .and_then(|p| p.parse().ok())
                    .filter(|p: &f64| (0.0..=1.0).contains(p))
                    .ok_or_else(|| {
                        Err::Param("--probability can only be in the range of 0.0 - 1.0".into())
                    })?;
                Match::StatRandom {
                    prob: (p * 2147483648.0).round() as u32,
                }
            }
            "nth" => {
                let every: u32 = every
                    .as_deref()
                    .and_then(|p| p.parse().ok())
                    .filter(|&e| e > 0)
                    .ok_or_else(|| Err::Param("the --every value must be > 0".into()))?;
                let packet: u32 = packet.as_deref().and_then(|p| p.parse().ok()).unwrap_or(0);
                if packet >= every {
                    return param("the --packet p must be 0 <= p <= n-1");
                }
                r.nth_count = every - 1 - packet;
                Match::StatNth { every, packet }
            }
            _ => return param(format!("Bad mode \"{}\"", mode)),
        };
        r.matches.push(m);
    }
    if let Some(t) = &target {
        r.target = parse_target(t, &tgt_opts, r.proto)?;
    } else if let Some((o, _)) = tgt_opts.first() {
        return param(format!("unknown option \"{}\"", o));
    }
    if !g.operands().is_empty() {
        return param("unknown arguments found on commandline");
    }
    if c.cmd.is_none() {
        return param("no command specified");
    }
    if inv {
        return param("nothing appropriate following !");
    }
    if has_rule_opts || target.is_some() {
        c.rule = Some(r);
    }
    Ok(c)
}

fn parse_target(
    t: &str,
    opts: &[(String, Option<String>)],
    proto: Option<(u8, bool)>,
) -> Result<Target, Err> {
    let get = |o: &str| {
        opts.iter()
            .rev()
            .find(|x| x.0 == o)
            .and_then(|x| x.1.clone())
    };
    let flag = |o: &str| opts.iter().any(|x| x.0 == o);
    let allowed: &[&str] = match t {
        "REJECT" => &["--reject-with"],
        "DNAT" => &["--to-destination", "--random", "--persistent"],
        "SNAT" => &["--to-source", "--random", "--random-fully", "--persistent"],
        "MASQUERADE" => &["--to-ports", "--random", "--random-fully"],
        "MARK" => &[
            "--set-mark",
            "--set-xmark",
            "--or-mark",
            "--and-mark",
            "--xor-mark",
        ],
        "LOG" => &["--log-prefix", "--log-level"],
        _ => &[],
    };
    if let Some((o, _)) = opts.iter().find(|x| !allowed.contains(&x.0.as_str())) {
        return param(format!("unknown option \"{}\"", o));
    }
    Ok(match t {
        "ACCEPT" => Target::Accept,
        "DROP" => Target::Drop,
        "RETURN" => Target::Return,
        "REJECT" => {
            let w = match get("--reject-with") {
                None => RejectWith::PortUnreach,
                Some(v) => REJECT_NAMES
                    .iter()
                    .find(|x| x.1 == v || x.2 == v)
                    .map(|x| x.0)
                    .ok_or_else(|| Err::Param(format!("unknown reject type \"{}\"", v)))?,
            };
            Target::Reject(w)
        }
        "DNAT" | "SNAT" => {
            let o = if t == "DNAT" {
                "--to-destination"
            } else {
                "--to-source"
            };
            let Some(v) = get(o) else {
                return param(format!("{}: option \"{}\" must be specified\n", t, o));
            };
            let mut r = parse_nat_range(&v, proto)?;
            r.random = flag("--random");
            r.random_fully = flag("--random-fully");
            r.persistent = flag("--persistent");
            if t == "DNAT" {
                Target::Dnat(r)
            } else {
                Target::Snat(r)
            }
        }
        "MASQUERADE" => {
            let mut r = NatRange {
                random: flag("--random"),
                random_fully: flag("--random-fully"),
                ..NatRange::default()
            };
            if let Some(p) = get("--to-ports") {
                if !matches!(proto, Some((6 | 17 | 132 | 33 | 136, false))) {
                    return param("Need TCP, UDP, SCTP or DCCP with port specification");
                }
                let bad = || Err::Param(format!("Port \"{}\" not valid\n", p));
                let (lo, hi) = p.split_once('-').unwrap_or((&p, &p));
                let lo: u16 = lo.parse().map_err(|_| bad())?;
                let hi: u16 = hi.parse().map_err(|_| bad())?;
                r.ports = Some((lo, hi));
            }
            Target::Masquerade(r)
        }
        "MARK" => {
            let (value, mask) = if let Some(v) = get("--set-xmark") {
                let (v, m) = parse_mark(&v)?;
                (v, m.unwrap_or(u32::MAX))
            } else if let Some(v) = get("--set-mark") {
                let (v, m) = parse_mark(&v)?;
                (v, v | m.unwrap_or(u32::MAX))
            } else if let Some(v) = get("--or-mark") {
                let (v, _) = parse_mark(&v)?;
                (v, v)
            } else if let Some(v) = get("--and-mark") {
                let (v, _) = parse_mark(&v)?;
                (0, !v)
            } else if let Some(v) = get("--xor-mark") {
                let (v, _) = parse_mark(&v)?;
                (v, 0)
            } else {
                return param("MARK target: Parameter --set/and/or/xor-mark is required");
            };
            Target::Mark { value, mask }
        }
        "LOG" => {
            let level = match get("--log-level") {
                None => 4,
                Some(l) => match l.parse::<u8>() {
                    Ok(n) if n <= 7 => n,
                    _ => {
                        let names = [
                            "emerg", "alert", "crit", "error", "warning", "notice", "info", "debug",
                        ];
                        match names.iter().position(|x| *x == l) {
                            Some(n) => n as u8,
                            None => return param(format!("log-level `{}' unknown", l)),
                        }
                    }
                },
            };
            Target::Log {
                prefix: get("--log-prefix"),
                level,
            }
        }
        "QUEUE" => return Err(Err::NotModelled("iptables -j QUEUE".into())),
        name => Target::Chain(name.to_string()),
    })
}

fn check_table(table: &str) -> Result<(), Err> {
    if TABLES.contains(&table) {
        Ok(())
    } else {
        Err(Err::NoTable(table.to_string()))
    }
}

/// Checks a rule against its table and chain, as the kernel's `checkentry`s do.
fn check_rule(t: &Table, chain: &str, r: &Rule) -> Result<(), Err> {
    if let Target::Chain(n) = &r.target {
        if TARGETS.contains(&n.as_str()) || t.chain(n).is_none() {
            if r.goto {
                return param(format!("goto '{}' is not a chain", n));
            }
            return param(format!(
                "Couldn't load target `{}':No such file or directory\n",
                n
            ));
        }
    }
    if t.name == "nat" && r.target == Target::Drop {
        return param("\nThe \"nat\" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n");
    }
    let builtin = builtin_chains(&t.name).contains(&chain);
    if builtin {
        if r.oif.is_some() && matches!(chain, "INPUT" | "PREROUTING") {
            return param(format!("Can't use -o with {}\n", chain));
        }
        if r.iif.is_some() && matches!(chain, "OUTPUT" | "POSTROUTING") {
            return param(format!("Can't use -i with {}\n", chain));
        }
    }
    // Which table and hooks a target may be used from is the kernel's check, at replace
    // (`xt_check_target` in sockopt.rs).
    Ok(())
}

fn fmt_num(n: u64, kmg: bool, notable: bool) -> String {
    if !kmg {
        return if notable {
            format!("{} ", n)
        } else {
            format!("{:>8} ", n)
        };
    }
    if n <= 99999 {
        return if notable {
            format!("{} ", n)
        } else {
            format!("{:>5} ", n)
        };
    }
    let mut v = n;
    for suffix in ["K", "M", "G"] {
        v = (v + 500) / 1000;
        if v <= 9999 {
            return if notable {
                format!("{}{} ", v, suffix)
            } else {
                format!("{:>4}{} ", v, suffix)
            };
        }
    }
    v = (v + 500) / 1000;
    if notable {
        format!("{}T ", v)
    } else {
        format!("{:>4}T ", v)
    }
}

/// `iptables -L` (`list_entries`).
fn list(t: &Table, c: &Cmd) -> Result<String, Err> {
    let mut s = String::new();
    let kmg = !c.exact;
    let mut found = false;
    for ch in &t.chains {
        if c.chain.as_ref().is_some_and(|n| n != &ch.name) {
            continue;
        }
        if found {
            s.push('\n');
        }
        found = true;
        if c.rulenum.is_none() {
            s += &format!("Chain {}", ch.name);
            match ch.policy {
                Some(p) => {
                    s += &format!(" (policy {}", p.name());
                    if c.verbose {
                        s += " ";
                        s += &fmt_num(ch.pkts, kmg, true);
                        s += "packets, ";
                        s += &fmt_num(ch.bytes, kmg, true);
                        s += "bytes";
                    }
                    s += ")\n";
                }
                None => s += &format!(" ({} references)\n", t.references(&ch.name)),
            }
            if c.line_numbers {
                s += "num  ";
            }
            if c.verbose {
                if kmg {
                    s += " pkts bytes ";
                } else {
                    s += "    pkts      bytes ";
                }
            }
            s += "target     prot opt ";
            if c.verbose {
                s += "in     out     ";
            }
            s += "source               destination         \n";
        }
        for (n, r) in ch.rules.iter().enumerate() {
            if c.rulenum.is_some_and(|x| x != n + 1) {
                continue;
            }
            if c.line_numbers {
                s += &format!("{:<4} ", n + 1);
            }
            if c.verbose {
                s += &fmt_num(r.pkts, kmg, false);
                s += &fmt_num(r.bytes, kmg, false);
            }
            s += &r.list(c.numeric, c.verbose);
            s.push('\n');
        }
    }
    if !found {
        return other("No chain/target/match by that name");
    }
    Ok(s)
}

/// `iptables -S`.
fn list_rules(t: &Table, c: &Cmd, counters: bool) -> Result<String, Err> {
    let mut s = String::new();
    if let Some(n) = &c.chain {
        if t.chain(n).is_none() {
            return other("No chain/target/match by that name");
        }
    }
    let chains: Vec<&Chain> = t
        .chains
        .iter()
        .filter(|ch| c.chain.as_ref().is_none_or(|n| n == &ch.name))
        .collect();
    if c.rulenum.is_none() {
        for ch in &chains {
            match ch.policy {
                Some(p) => {
                    s += &format!("-P {} {}", ch.name, p.name());
                    if counters {
                        s += &format!(" -c {} {}", ch.pkts, ch.bytes);
                    }
                    s.push('\n');
                }
                None => s += &format!("-N {}\n", ch.name),
            }
        }
    }
    for ch in &chains {
        for (n, r) in ch.rules.iter().enumerate() {
            if c.rulenum.is_some_and(|x| x != n + 1) {
                continue;
            }
            let line = r.save(&ch.name);
            if counters {
                // `-c PKTS BYTES` goes before the target.
                match line.find(" -j ").or_else(|| line.find(" -g ")) {
                    Some(at) => {
                        s += &format!("{} -c {} {}{}\n", &line[..at], r.pkts, r.bytes, &line[at..])
                    }
                    None => s += &format!("{} -c {} {}\n", line, r.pkts, r.bytes),
                }
            } else {
                s += &line;
                s.push('\n');
            }
        }
    }
    Ok(s)
}

/// Runs a parsed command against the kernel as libiptc does: the whole table read
/// (`iptc_init`), the command applied to that copy, and, when the command changes it, the new
/// table handed back (`iptc_commit`: `IPT_SO_SET_REPLACE`, which the kernel may refuse).
fn exec(k: &mut Kernel, ns: NsId, c: Cmd) -> Result<String, Err> {
    check_table(&c.table)?;
    let cmd = match c.cmd {
        Some(x) => x,
        None => return param("no command specified"),
    };
    let mut t = k
        .ipt_get_table(ns, &c.table)
        .map_err(|_| Err::NoTable(c.table.clone()))?;
    let out = exec_on(&mut t, &c)?;
    if matches!(
        cmd,
        'A' | 'I' | 'R' | 'D' | 'N' | 'X' | 'F' | 'P' | 'E' | 'Z'
    ) {
        if cmd != 'Z' {
            // iptables-legacy 1.8.9 (the recorder's): committing a changed table leaves its
            // built-in chains' policy counters at [0:0]; rule counters are kept (recorded with
            // oracle/run-kernel for -A, -R, -I, -D).
            for ch in &mut t.chains {
                if ch.policy.is_some() {
                    (ch.pkts, ch.bytes) = (0, 0);
                }
            }
        }
        k.ipt_replace(ns, &c.table, t).map_err(|e| {
            // iptc_strerror's words for the commit's errno.
            let what = match e {
                Errno::EINVAL => "Invalid argument. Run `dmesg' for more information",
                e => e.strerror(),
            };
            Err::Other(format!("iptables: {}.\n", what))
        })?;
    }
    Ok(out)
}

/// One command on a table copy (libiptc's handle): the edit or the listing.
fn exec_on(t: &mut Table, c: &Cmd) -> Result<String, Err> {
    let cmd = c.cmd.unwrap_or('L');
    let need_chain = |t: &Table, n: &Option<String>| -> Result<String, Err> {
        match n {
            Some(n) if t.chain(n).is_some() => Ok(n.clone()),
            _ => other("No chain/target/match by that name"),
        }
    };
    if matches!(cmd, 'A' | 'I' | 'D' | 'R' | 'C') {
        let chain = c.chain.clone().unwrap_or_default();
        if let Some(r) = &c.rule {
            if matches!(cmd, 'A' | 'I' | 'R') || c.rulenum.is_none() {
                // A target that is neither known nor a chain.
                check_rule(t, &chain, r).or_else(|e| match (&e, t.chain(&chain)) {
                    (Err::Other(_), None) => other("No chain/target/match by that name"),
                    _ => Err(e),
                })?;
            }
        }
    }
    match cmd {
        'A' | 'I' => {
            let chain = need_chain(t, &c.chain)?;
            let r = c.rule.clone().unwrap_or_else(empty_rule);
            let ch = t.chain_mut(&chain).expect("checked");
            if cmd == 'A' {
                ch.rules.push(r);
            } else {
                let n = c.rulenum.unwrap_or(1);
                if n > ch.rules.len() + 1 {
                    return other("Index of insertion too big");
                }
                ch.rules.insert(n - 1, r);
            }
            Ok(String::new())
        }
        'R' => {
            let chain = need_chain(t, &c.chain)?;
            let r = c.rule.clone().unwrap_or_else(empty_rule);
            let ch = t.chain_mut(&chain).expect("checked");
            let n = c.rulenum.unwrap_or(0);
            if n == 0 || n > ch.rules.len() {
                return other("Index of replacement too big");
            }
            ch.rules[n - 1] = r;
            Ok(String::new())
        }
        'D' | 'C' => {
            let chain = need_chain(t, &c.chain)?;
            let ch = t.chain_mut(&chain).expect("checked");
            if let (Some(n), 'D') = (c.rulenum, cmd) {
                if c.rule.is_some() {
                    return param("Illegal option with -D CHAIN RULENUM");
                }
                if n > ch.rules.len() {
                    return other("Index of deletion too big");
                }
                ch.rules.remove(n - 1);
                return Ok(String::new());
            }
            let r = c.rule.clone().unwrap_or_else(empty_rule);
            match ch.rules.iter().position(|x| x.same_spec(&r)) {
                Some(p) => {
                    if cmd == 'D' {
                        ch.rules.remove(p);
                    }
                    Ok(String::new())
                }
                None => other("Bad rule (does a matching rule exist in that chain?)"),
            }
        }
        'N' => {
            let n = c.chain.clone().unwrap_or_default();
            if TARGETS.contains(&n.as_str()) {
                return param("chain name may not clash with target name\n");
            }
            if n.starts_with('-') || n.starts_with('!') {
                return param(format!(
                    "chain name not allowed to start with `{}'\n",
                    &n[..1]
                ));
            }
            if n.len() >= 29 {
                return param(format!(
                    "chain name `{}' too long (must be under 29 chars)",
                    n
                ));
            }
            if t.chain(&n).is_some() {
                return other("Chain already exists");
            }
            t.add_chain(&n);
            Ok(String::new())
        }
        'X' => {
            let names: Vec<String> = match &c.chain {
                Some(n) => {
                    let n = need_chain(t, &Some(n.clone()))?;
                    if builtin_chains(&t.name).contains(&n.as_str()) {
                        return other("Invalid argument. Run `dmesg' for more information");
                    }
                    vec![n]
                }
                None => t
                    .chains
                    .iter()
                    .filter(|ch| ch.policy.is_none())
                    .map(|ch| ch.name.clone())
                    .collect(),
            };
            for n in &names {
                if t.references(n) > 0 {
                    return other("Too many links");
                }
                if !t.chain(n).is_some_and(|ch| ch.rules.is_empty()) {
                    return other("Directory not empty");
                }
            }
            t.chains.retain(|ch| !names.contains(&ch.name));
            Ok(String::new())
        }
        'F' | 'Z' => {
            if let Some(n) = &c.chain {
                need_chain(t, &Some(n.clone()))?;
            }
            let listing = String::new();
            for ch in t.chains.iter_mut() {
                if c.chain.as_ref().is_some_and(|n| n != &ch.name) {
                    continue;
                }
                if cmd == 'F' {
                    ch.rules.clear();
                } else {
                    ch.pkts = 0;
                    ch.bytes = 0;
                    for r in ch.rules.iter_mut() {
                        r.pkts = 0;
                        r.bytes = 0;
                    }
                }
            }
            Ok(listing)
        }
        'P' => {
            let n = c.chain.clone().unwrap_or_default();
            let pol = c.policy.clone().unwrap_or_default();
            match t.chain(&n) {
                None => return other("Bad built-in chain name"),
                Some(ch) if ch.policy.is_none() => return other("Bad built-in chain name"),
                _ => {}
            }
            let p = match pol.as_str() {
                "ACCEPT" => Policy::Accept,
                "DROP" => Policy::Drop,
                _ => return other("Bad policy name. Run `dmesg' for more information"),
            };
            t.chain_mut(&n).expect("checked").policy = Some(p);
            Ok(String::new())
        }
        'E' => {
            let old = need_chain(t, &c.chain)?;
            let new = c.newname.clone().unwrap_or_default();
            if t.chain(&new).is_some() {
                return other("File exists");
            }
            if builtin_chains(&t.name).contains(&old.as_str()) {
                return other("Invalid argument. Run `dmesg' for more information");
            }
            for ch in t.chains.iter_mut() {
                for r in ch.rules.iter_mut() {
                    if r.target == Target::Chain(old.clone()) {
                        r.target = Target::Chain(new.clone());
                    }
                }
            }
            let pos = t
                .chains
                .iter()
                .position(|ch| ch.name == old)
                .expect("checked");
            let ch = t.chains.remove(pos);
            t.add_chain(&new);
            let ch2 = t.chain_mut(&new).expect("added");
            ch2.rules = ch.rules;
            Ok(String::new())
        }
        'L' => {
            let t = &*t;
            let out = list(t, c)?;
            if cmd == 'L' && c.verbose && c.chain.is_none() {
                return Ok(out);
            }
            Ok(out)
        }
        'S' => list_rules(t, c, c.verbose),
        _ => param("no command specified"),
    }
}

/// `iptables ARGS`.
pub fn iptables(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    let c = match parse(args) {
        Ok(c) => c,
        Err(e) => return render(e, "iptables", None),
    };
    match exec(k, ns, c) {
        Ok(s) => ToolOutput::ok(s),
        Err(e) => render(e, "iptables", None),
    }
}

/// The `# Generated by`/`# Completed on` date: the simulated clock as `ctime` prints it (UTC).
fn ctime(k: &Kernel) -> String {
    let secs = (k.ktime_get_real().0 / 1_000_000_000) as i64;
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    let (y, mo, d) = crate::apps::http_server::civil(days);
    let wd = (days + 4).rem_euclid(7);
    const WD: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    format!(
        "{} {} {:>2} {:02}:{:02}:{:02} {}",
        WD[wd as usize],
        crate::apps::http_server::MONTHS[(mo - 1) as usize],
        d,
        h,
        m,
        s,
        y
    )
}

/// `iptables-save [-c] [-t TABLE]`: the namespace's instantiated tables, newest first (the order
/// of `/proc/net/ip_tables_names`).
pub fn iptables_save(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    let mut counters = false;
    let mut only: Option<String> = None;
    // iptables-save.c: getopt_long with "bcdt:M:f:V"; glibc prints its message, then the
    // pointer to the manual page, exit 1.
    const SAVE_OPTS: [LongOpt; 6] = [
        LongOpt::new("counters", HasArg::No, 'c'),
        LongOpt::new("dump", HasArg::No, 'd'),
        LongOpt::new("table", HasArg::Required, 't'),
        LongOpt::new("modprobe", HasArg::Required, 'M'),
        LongOpt::new("file", HasArg::Required, 'f'),
        LongOpt::new("version", HasArg::No, 'V'),
    ];
    let mut g = Getopt::new(args, "bcdt:M:f:V", &SAVE_OPTS);
    while let Some(r) = g.next() {
        let o = match r {
            Ok(o) => o,
            Err(e) => {
                return ToolOutput::err(
                    format!(
                        "{}Look at manual page `iptables-save.8' for more information.\n",
                        e.glibc_message("iptables-save")
                    ),
                    1,
                )
            }
        };
        match o.opt {
            'c' => counters = true,
            't' => only = o.arg,
            'V' => return ToolOutput::ok("iptables-save v1.8.9 (legacy)\n".into()),
            c => {
                return ToolError::not_modelled(match o.long {
                    Some(l) => format!("iptables-save --{l}"),
                    None => format!("iptables-save -{c}"),
                })
                .into()
            }
        }
    }
    if !g.operands().is_empty() {
        return ToolOutput::err("Unknown arguments found on commandline\n".into(), 1);
    }
    if let Some(t) = &only {
        if !TABLES.contains(&t.as_str()) {
            return ToolOutput::err(
                "iptables-save v1.8.9 (legacy): Cannot initialize: Table does not exist (do you need to insmod?)\n".to_string(),
                1,
            );
        }
    }
    // /proc/net/ip_tables_names, then each table through getsockopt (asking for the -t table
    // loads it).
    let names = match &only {
        Some(t) => vec![t.clone()],
        None => k.ipt_table_names(ns),
    };
    let date = ctime(k);
    let mut s = String::new();
    for name in names {
        let Ok(t) = k.ipt_get_table(ns, &name) else {
            continue;
        };
        s += &format!(
            "# Generated by iptables-save v1.8.9 on {}\n*{}\n",
            date, t.name
        );
        for ch in &t.chains {
            match ch.policy {
                Some(p) => s += &format!(":{} {} [{}:{}]\n", ch.name, p.name(), ch.pkts, ch.bytes),
                None => s += &format!(":{} - [0:0]\n", ch.name),
            }
        }
        for ch in &t.chains {
            for r in &ch.rules {
                if counters {
                    s += &format!("[{}:{}] ", r.pkts, r.bytes);
                }
                s += &r.save(&ch.name);
                s.push('\n');
            }
        }
        s += &format!("COMMIT\n# Completed on {}\n", date);
    }
    ToolOutput::ok(s)
}

/// Splits a rule line of iptables-restore into words (double quotes group, as its tokenizer).
fn split_words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' | '\t' if !quoted => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `iptables-restore [--noflush] [-c]` reading `input` (a file or stdin).
pub fn iptables_restore(k: &mut Kernel, ns: NsId, args: &[String], input: &str) -> ToolOutput {
    let mut noflush = false;
    let mut counters = false;
    // iptables-restore.c: getopt_long; glibc prints its message, then the pointer to -h,
    // exit 1.
    const RESTORE_OPTS: [LongOpt; 10] = [
        LongOpt::new("counters", HasArg::No, 'c'),
        LongOpt::new("verbose", HasArg::No, 'v'),
        LongOpt::new("version", HasArg::No, 'V'),
        LongOpt::new("test", HasArg::No, 't'),
        LongOpt::new("help", HasArg::No, 'h'),
        LongOpt::new("noflush", HasArg::No, 'n'),
        LongOpt::new("modprobe", HasArg::Required, 'M'),
        LongOpt::new("table", HasArg::Required, 'T'),
        LongOpt::new("wait", HasArg::Optional, 'w'),
        LongOpt::new("wait-interval", HasArg::Optional, 'W'),
    ];
    let mut g = Getopt::new(args, "bcvVthnw::W::M:T:", &RESTORE_OPTS);
    while let Some(r) = g.next() {
        let o = match r {
            Ok(o) => o,
            Err(e) => {
                return ToolOutput::err(
                    format!(
                        "{}Try `iptables-restore -h' for more information.\n",
                        e.glibc_message("iptables-restore")
                    ),
                    1,
                )
            }
        };
        match o.opt {
            'n' => noflush = true,
            'c' => counters = true,
            // The lock is not contended in a lab.
            'w' | 'W' => {}
            c => {
                return ToolError::not_modelled(match o.long {
                    Some(l) => format!("iptables-restore --{l}"),
                    None => format!("iptables-restore -{c}"),
                })
                .into()
            }
        }
    }
    let prog = "iptables-restore";
    // Each table is built aside and swapped in at COMMIT (atomically, as the kernel replaces a
    // table).
    let mut cur: Option<Table> = None;
    let mut lines = 0;
    for (n, raw) in input.lines().enumerate() {
        lines = n + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('*') {
            if !TABLES.contains(&name) {
                return render(
                    Err::Param(format!(
                        "iptables-restore: unable to initialize table '{}'",
                        name
                    )),
                    prog,
                    Some(n + 1),
                );
            }
            let mut t = if noflush {
                match k.ipt_get_table(ns, name) {
                    Ok(t) => t,
                    Err(_) => Table::new(name),
                }
            } else {
                Table::new(name)
            };
            if !noflush {
                // Keep the counters of built-in chains only when given.
                for ch in t.chains.iter_mut() {
                    ch.pkts = 0;
                    ch.bytes = 0;
                }
            }
            t.name = name.to_string();
            cur = Some(t);
            continue;
        }
        let Some(t) = cur.as_mut() else {
            return ToolOutput::err(
                format!(
                    "iptables-restore: no command specified\nError occurred at line: {}\n",
                    n + 1
                ),
                1,
            );
        };
        if line == "COMMIT" {
            let t = cur.take().expect("in a table");
            let name = t.name.clone();
            if k.ipt_replace(ns, &name, t).is_err() {
                return ToolOutput::err(format!("iptables-restore: line {} failed\n", n + 1), 1);
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix(':') {
            let w: Vec<&str> = rest.split_whitespace().collect();
            let (Some(name), Some(pol)) = (w.first(), w.get(1)) else {
                return render(Err::Param("Bad chain line".into()), prog, Some(n + 1));
            };
            let (pk, by) = w
                .get(2)
                .and_then(|c| c.strip_prefix('[')?.strip_suffix(']')?.split_once(':'))
                .map(|(a, b)| (a.parse().unwrap_or(0), b.parse().unwrap_or(0)))
                .unwrap_or((0, 0));
            if *pol == "-" {
                if t.chain(name).is_none() {
                    t.add_chain(name);
                } else if let Some(ch) = t.chain_mut(name) {
                    ch.rules.clear();
                }
            } else {
                let p = match *pol {
                    "ACCEPT" => Policy::Accept,
                    "DROP" => Policy::Drop,
                    _ => {
                        return render(
                            Err::Param(format!(
                                "Can't set policy `{}' on `{}' line {}: Bad policy name",
                                pol,
                                name,
                                n + 1
                            )),
                            prog,
                            None,
                        )
                    }
                };
                match t.chain_mut(name) {
                    Some(ch) if ch.policy.is_some() => {
                        ch.policy = Some(p);
                        if counters {
                            ch.pkts = pk;
                            ch.bytes = by;
                        }
                    }
                    _ => {
                        return render(
                            Err::Param(format!(
                                "Can't set policy `{}' on `{}' line {}: Bad built-in chain name",
                                pol,
                                name,
                                n + 1
                            )),
                            prog,
                            None,
                        )
                    }
                }
            }
            continue;
        }
        // A rule line: an iptables command against the table being built.
        let mut words = split_words(line);
        let mut cnt = None;
        if counters && words.first().is_some_and(|w| w.starts_with('[')) {
            let w = words.remove(0);
            cnt = w
                .trim_matches(|c| c == '[' || c == ']')
                .split_once(':')
                .map(|(a, b)| (a.parse().unwrap_or(0), b.parse().unwrap_or(0)));
        }
        let mut c = match parse(&words) {
            Ok(c) => c,
            Err(e) => return render(e, prog, Some(n + 1)),
        };
        c.table = t.name.clone();
        // The command applies to the table being built, committed at COMMIT (a failed line
        // ends the restore before its COMMIT: the table is dropped, so no copy per line).
        let r = exec_on(t, &c);
        match r {
            Ok(_) => {
                if let Some((p, b)) = cnt {
                    if let Some(r) = t
                        .chains
                        .iter_mut()
                        .flat_map(|ch| ch.rules.iter_mut())
                        .last()
                    {
                        r.pkts = p;
                        r.bytes = b;
                    }
                }
            }
            Err(Err::Param(m)) => return render(Err::Param(m), prog, Some(n + 1)),
            Err(Err::Other(m)) => {
                return ToolOutput::err(
                    format!(
                        "{}Error occurred at line: {}\n",
                        m.replace("iptables:", "iptables-restore:"),
                        n + 1
                    ),
                    1,
                )
            }
            Err(e) => return render(e, prog, Some(n + 1)),
        }
    }
    if cur.is_some() {
        return ToolOutput::err(
            format!("iptables-restore: COMMIT expected at line {}\n", lines + 1),
            1,
        );
    }
    ToolOutput::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(k: &mut Kernel, line: &str) -> ToolOutput {
        let args: Vec<String> = split_words(line);
        iptables(k, 0, &args)
    }

    #[test]
    fn save_and_list_forms_match_iptables_1_8_9() {
        let mut k = Kernel::new(1);
        for l in [
            "-t nat -N KUBE-SVC-ABC",
            "-t nat -A KUBE-SVC-ABC -m comment --comment \"default/svc:http\" -m statistic --mode random --probability 0.33333333349 -j DNAT --to-destination 10.0.0.1:8080 -p tcp",
            "-t nat -I POSTROUTING -s 192.168.10.0/24 ! -o br0 -j MASQUERADE",
            "-t nat -A PREROUTING -d 11.96.10.3 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.168.10.3:80",
            "-t nat -A PREROUTING -j KUBE-SVC-ABC",
        ] {
            let o = run(&mut k, l);
            assert_eq!(o.status, 0, "{}: {}", l, o.stderr);
        }
        let o = run(&mut k, "-t nat -S");
        assert_eq!(
            o.stdout,
            "-P PREROUTING ACCEPT\n-P INPUT ACCEPT\n-P OUTPUT ACCEPT\n-P POSTROUTING ACCEPT\n-N KUBE-SVC-ABC\n\
-A PREROUTING -d 11.96.10.3/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.168.10.3:80\n\
-A PREROUTING -j KUBE-SVC-ABC\n\
-A POSTROUTING -s 192.168.10.0/24 ! -o br0 -j MASQUERADE\n\
-A KUBE-SVC-ABC -p tcp -m comment --comment \"default/svc:http\" -m statistic --mode random --probability 0.33333333349 -j DNAT --to-destination 10.0.0.1:8080\n"
        );
        let o = run(&mut k, "-t nat -vnL POSTROUTING");
        assert_eq!(
            o.stdout,
            "Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)\n pkts bytes target     prot opt in     out     source               destination         \n    0     0 MASQUERADE  0    --  *      !br0    192.168.10.0/24      0.0.0.0/0           \n"
        );
    }

    #[test]
    fn ctime_of_the_epoch_and_a_recent_date() {
        let mut k = Kernel::new(1);
        assert_eq!(ctime(&k), "Thu Jan  1 00:00:00 1970");
        k.now = sim_core::Instant(1_795_387_294_000_000_000);
        assert_eq!(ctime(&k), "Sun Nov 22 22:41:34 2026");
    }
}

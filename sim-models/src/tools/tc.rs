//! `tc` (iproute2 6.1): `tc qdisc add|change|replace|link|del|show` for a device's root qdisc,
//! with the options of netem (`tc/q_netem.c`), tbf (`tc/q_tbf.c`), the fifos (`tc/q_fifo.c`)
//! and pfifo_fast's printer (`tc/q_prio.c`), through `rtm_newqdisc` / `rtm_delqdisc` /
//! `rtnl_dump_qdisc`. Classes, filters, actions and the other qdisc kinds are not modelled.
//!
//! iproute2 parses with its own `matches()` prefix rule and C's `strtod` (not getopt): the
//! number parsers below (`get_time`, `get_ticks`, `get_size`, `get_rate64`, `parse_percent`)
//! and printers (`print_time`, `sprint_rate`, `print_size`) keep its quirks — times travel as
//! 64 ns psched ticks in a u32, so `delay 100us` comes back as `99us`, and an out-of-range
//! time wraps as C's double → unsigned conversion does.

use super::ip::matches;
use super::ping::strtod;
use super::{ToolError, ToolOutput};
use crate::kernel::{Kernel, NsId};
use crate::net::rtnetlink::qdisc::{
    QdiscMsg, QdiscOpts, TcMsg, TC_H_INGRESS, TC_H_INGRESS_HANDLE, TC_H_ROOT,
};
use crate::net::rtnetlink::route::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use crate::net::rtnetlink::RtnlError;
use crate::net::sch_netem::{
    NetemLossModel, NetemOpts, TcNetemCorr, TcNetemProb, TcNetemQopt, TcNetemSlot,
};
use crate::net::sch_tbf::{TbfOpts, TcRatespec};
use crate::tools::tc_netem_dist;

const USAGE: &str = "Usage:\ttc [ OPTIONS ] OBJECT { COMMAND | help }
\ttc [-force] -batch filename
where  OBJECT := { qdisc | class | filter | chain |
\t\t    action | monitor | exec }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[aw] |
\t\t    -o[neline] | -j[son] | -p[retty] | -c[olor]
\t\t    -b[atch] [filename] | -n[etns] name | -N[umeric] |
\t\t     -nm | -nam[es] | { -cf | -conf } path
\t\t     -br[ief] }
";

const QDISC_USAGE: &str = "Usage: tc qdisc [ add | del | replace | change | show ] dev STRING
       [ handle QHANDLE ] [ root | ingress | clsact | parent CLASSID ]
       [ estimator INTERVAL TIME_CONSTANT ]
       [ stab [ help | STAB_OPTIONS] ]
       [ ingress_block BLOCK_INDEX ] [ egress_block BLOCK_INDEX ]
       [ [ QDISC_KIND ] [ help | OPTIONS ] ]

       tc qdisc { show | list } [ dev STRING ] [ QDISC_ID ] [ invisible ]
Where:
QDISC_KIND := { [p|b]fifo | tbf | prio | cbq | red | etc. }
OPTIONS := ... try tc qdisc add <desired QDISC_KIND> help
STAB_OPTIONS := ... try tc qdisc add stab help
QDISC_ID := { root | ingress | handle QHANDLE | parent CLASSID }
";

const NETEM_USAGE: &str = "Usage: ... netem [ limit PACKETS ]
                 [ delay TIME [ JITTER [CORRELATION]]]
                 [ distribution {uniform|normal|pareto|paretonormal} ]
                 [ corrupt PERCENT [CORRELATION]]
                 [ duplicate PERCENT [CORRELATION]]
                 [ loss random PERCENT [CORRELATION]]
                 [ loss state P13 [P31 [P32 [P23 P14]]]
                 [ loss gemodel PERCENT [R [1-H [1-K]]]
                 [ ecn ]
                 [ reorder PERCENT [CORRELATION] [ gap DISTANCE ]]
                 [ rate RATE [PACKETOVERHEAD] [CELLSIZE] [CELLOVERHEAD]]
                 [ slot MIN_DELAY [MAX_DELAY] [packets MAX_PACKETS] [bytes MAX_BYTES]]
                 [ slot distribution {uniform|normal|pareto|paretonormal|custom}
                   DELAY JITTER [packets MAX_PACKETS] [bytes MAX_BYTES]]
";

/// The qdisc kinds tc 6.1 has a parser for besides netem (their options are not modelled).
const TC_KINDS: &[&str] = &[
    "bfifo",
    "cake",
    "cbq",
    "cbs",
    "choke",
    "clsact",
    "codel",
    "drr",
    "etf",
    "ets",
    "fq",
    "fq_codel",
    "fq_pie",
    "gred",
    "hfsc",
    "hhf",
    "htb",
    "ingress",
    "mq",
    "mqprio",
    "multiq",
    "noqueue",
    "pfifo",
    "pfifo_fast",
    "pfifo_head_drop",
    "pie",
    "plug",
    "prio",
    "qfq",
    "red",
    "sfb",
    "sfq",
    "skbprio",
    "taprio",
    "tbf",
];

/// `tick_in_usec` from the kernel's `/proc/net/psched` (1000/64 since psched ticks are 64 ns).
const TICK_IN_USEC: f64 = 15.625;
const TIME_UNITS_PER_SEC: f64 = 1_000_000.0;

fn incomplete() -> ToolError {
    ToolError::usage(255, "Command line is not complete. Try option \"help\"\n")
}

/// `NEXT_ARG()`.
fn next<'a>(args: &'a [String], i: &mut usize) -> Result<&'a str, ToolError> {
    *i += 1;
    args.get(*i).map(|s| s.as_str()).ok_or_else(incomplete)
}

/// `NEXT_IS_NUMBER()`: the next argument starts with a digit.
/// q_netem.c's `PERCENT [CORRELATION]` of `reorder` and `corrupt`: the probability and, when
/// a number follows, its correlation (true: TCA_NETEM_CORR is present).
fn netem_prob(
    args: &[String],
    i: &mut usize,
    what: &str,
) -> Result<(TcNetemProb, bool), ToolError> {
    let illegal = || ToolError::failed(1, format!("Illegal \"{what}\"\n"));
    let probability = get_percent(next(args, i)?).ok_or_else(illegal)?;
    let mut r = TcNetemProb {
        probability,
        correlation: 0,
    };
    let corr = next_is_number(args, *i);
    if corr {
        r.correlation = get_percent(next(args, i)?).ok_or_else(illegal)?;
    }
    Ok((r, corr))
}

fn next_is_number(args: &[String], i: usize) -> bool {
    args.get(i + 1)
        .is_some_and(|a| a.as_bytes().first().is_some_and(u8::is_ascii_digit))
}

/// C's conversion of a double to `unsigned int` on x86-64 (through a 64-bit integer).
fn c_uint(t: f64) -> u32 {
    t as i64 as u32
}

/// `get_time`: a time in microseconds (`s`, `ms`, `us` suffixes; none means microseconds).
fn get_time(s: &str) -> Option<u32> {
    let (mut t, end) = strtod(s);
    if end == 0 {
        return None;
    }
    let suf = s[end..].to_ascii_lowercase();
    match suf.as_str() {
        "" => {}
        "s" | "sec" | "secs" => t *= TIME_UNITS_PER_SEC,
        "ms" | "msec" | "msecs" => t *= TIME_UNITS_PER_SEC / 1000.0,
        "us" | "usec" | "usecs" => {}
        _ => return None,
    }
    Some(c_uint(t))
}

/// `get_time64`: a time in nanoseconds (`s`, `ms`, `us`, `ns` suffixes; none means ns).
fn get_time64(s: &str) -> Option<i64> {
    let (mut t, end) = strtod(s);
    if end == 0 {
        return None;
    }
    match s[end..].to_ascii_lowercase().as_str() {
        "" | "ns" | "nsec" | "nsecs" => {}
        "s" | "sec" | "secs" => t *= 1e9,
        "ms" | "msec" | "msecs" => t *= 1e6,
        "us" | "usec" | "usecs" => t *= 1e3,
        _ => return None,
    }
    Some(t as i64)
}

/// `sprint_time64`: nanoseconds as `%.3g` of the largest unit it reaches.
fn sprint_time64(t: i64) -> String {
    let f = t as f64;
    if f >= 1e9 {
        format!("{}s", userland::fmt_g(f / 1e9, 3))
    } else if f >= 1e6 {
        format!("{}ms", userland::fmt_g(f / 1e6, 3))
    } else if f >= 1e3 {
        format!("{}us", userland::fmt_g(f / 1e3, 3))
    } else {
        format!("{t}ns")
    }
}

/// `get_distribution`: the table iproute2 installed as `NAME.dist`.
fn get_distribution(name: &str) -> Result<Vec<i16>, ToolError> {
    if name == "experimental" {
        return Err(ToolError::not_modelled(
            "tc qdisc netem distribution experimental",
        ));
    }
    tc_netem_dist::installed(name).ok_or_else(|| {
        ToolError::failed(
            1,
            format!(
                "No distribution data for {name} (/usr/lib/x86_64-linux-gnu/tc//{name}.dist: No such file or directory)\n"
            ),
        )
    })
}

/// `get_s32(&v, arg, 0)`: strtol with base 0, whole word, within the s32 range.
fn get_s32_base0(s: &str) -> Option<i32> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let v = super::iprule::get_u32_base0(body)? as i64;
    i32::try_from(if neg { -v } else { v }).ok()
}

/// `parse_percent` without the scaling: a fraction in [0, 1].
fn parse_percent(s: &str) -> Option<f64> {
    let (v, end) = strtod(s);
    let rest = &s[end..];
    if end == 0 || (!rest.is_empty() && rest != "%") {
        return None;
    }
    Some(v / 100.0)
}

/// `set_percent`.
fn set_percent(per: f64) -> u32 {
    (per * u32::MAX as f64).round_ties_even() as u32
}

/// `get_ticks`: a time converted to psched ticks; `Illegal N time (too large)` past u32 ticks.
fn get_ticks(s: &str, err: &mut String) -> Option<u32> {
    let t = get_time(s)?;
    if ((t as u64 as f64 * TICK_IN_USEC) as u64) >> 32 != 0 {
        err.push_str(&format!("Illegal {t} time (too large)\n"));
        return None;
    }
    Some((t as f64 * TICK_IN_USEC) as u32)
}

/// `parse_percent` + `set_percent`: `N` or `N%` in [0, 100], scaled to `u32::MAX`.
fn get_percent(s: &str) -> Option<u32> {
    let (v, end) = strtod(s);
    let per = v / 100.0;
    if !(0.0..=1.0).contains(&per) {
        return None;
    }
    let rest = &s[end..];
    if !rest.is_empty() && rest != "%" {
        return None;
    }
    Some((per * u32::MAX as f64).round_ties_even() as u32)
}

/// `get_size`: bytes with `k`/`kb`/`m`/`mb`/`g`/`gb`/`kbit`/`mbit`/`gbit`/`b` suffixes.
fn get_size(s: &str) -> Option<u32> {
    let (mut sz, end) = strtod(s);
    if end == 0 {
        return None;
    }
    match s[end..].to_ascii_lowercase().as_str() {
        "" | "b" => {}
        "kb" | "k" => sz *= 1024.0,
        "gb" | "g" => sz *= 1024.0 * 1024.0 * 1024.0,
        "gbit" => sz *= 1024.0 * 1024.0 * 1024.0 / 8.0,
        "mb" | "m" => sz *= 1024.0 * 1024.0,
        "mbit" => sz *= 1024.0 * 1024.0 / 8.0,
        "kbit" => sz *= 1024.0 / 8.0,
        _ => return None,
    }
    Some(c_uint(sz))
}

/// `get_rate64`: a rate in bits per second (no suffix) or with tc's suffixes, as bytes/s.
fn get_rate64(s: &str) -> Option<u64> {
    const SUFFIXES: &[(&str, f64)] = &[
        ("bit", 1.),
        ("kibit", 1024.),
        ("kbit", 1000.),
        ("mibit", 1024. * 1024.),
        ("mbit", 1_000_000.),
        ("gibit", 1024. * 1024. * 1024.),
        ("gbit", 1_000_000_000.),
        ("tibit", 1024. * 1024. * 1024. * 1024.),
        ("tbit", 1_000_000_000_000.),
        ("bps", 8.),
        ("kibps", 8. * 1024.),
        ("kbps", 8000.),
        ("mibps", 8. * 1024. * 1024.),
        ("mbps", 8_000_000.),
        ("gibps", 8. * 1024. * 1024. * 1024.),
        ("gbps", 8_000_000_000.),
        ("tibps", 8. * 1024. * 1024. * 1024. * 1024.),
        ("tbps", 8_000_000_000_000.),
    ];
    let (mut bps, end) = strtod(s);
    if end == 0 {
        return None;
    }
    let suf = s[end..].to_ascii_lowercase();
    if !suf.is_empty() {
        let (_, scale) = SUFFIXES.iter().find(|(n, _)| *n == suf)?;
        bps *= scale;
    }
    Some((bps / 8.0) as u64)
}

/// `print_time` of a time in microseconds.
fn print_time(time: u32) -> String {
    let t = time as f64;
    if t >= TIME_UNITS_PER_SEC {
        format!("{}s", userland::fmt_g(t / TIME_UNITS_PER_SEC, 3))
    } else if t >= TIME_UNITS_PER_SEC / 1000.0 {
        format!(
            "{}ms",
            userland::fmt_g(t / (TIME_UNITS_PER_SEC / 1000.0), 3)
        )
    } else {
        format!("{time}us")
    }
}

/// `sprint_ticks`: ticks back to microseconds (`tc_core_tick2time`), then `print_time`.
fn sprint_ticks(ticks: u32) -> String {
    print_time((ticks as f64 / TICK_IN_USEC) as u32)
}

/// `" %g%%"` of a scaled probability.
fn print_percent(p: u32) -> String {
    format!(
        "{}%",
        userland::fmt_g(100.0 * p as f64 / u32::MAX as f64, 6)
    )
}

/// `sprint_rate` (SI units).
fn sprint_rate(rate: u64) -> String {
    const UNITS: [&str; 5] = ["", "K", "M", "G", "T"];
    let kilo = 1000u64;
    let mut rate = rate << 3;
    let mut i = 0;
    while i < UNITS.len() - 1 {
        if rate < kilo || (!rate.is_multiple_of(kilo) && rate < 1000 * kilo) {
            break;
        }
        rate /= kilo;
        i += 1;
    }
    format!("{}{}bit", rate, UNITS[i])
}

/// `print_size` of a byte count (the backlog).
fn print_size(sz: u32) -> String {
    let t = sz as f64;
    let mb = 1024.0 * 1024.0;
    if t >= mb && (mb * (t / mb).round_ties_even() - t).abs() < 1024.0 {
        format!("{}Mb", userland::fmt_g((t / mb).round_ties_even(), 6))
    } else if t >= 1024.0 && (1024.0 * (t / 1024.0).round_ties_even() - t).abs() < 16.0 {
        format!("{}Kb", userland::fmt_g((t / 1024.0).round_ties_even(), 6))
    } else {
        format!("{sz}b")
    }
}

/// `tc [OPTIONS] OBJECT ...`.
pub fn tc(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    let mut stats = false;
    let mut details = false;
    let mut i = 0;
    while let Some(a) = args.get(i).filter(|a| a.starts_with('-')) {
        let opt = a.as_str();
        if matches(opt, "-stats") || matches(opt, "-statistics") {
            stats = true;
        } else if matches(opt, "-details") {
            details = true;
        } else if matches(opt, "-Version") {
            return ToolOutput::ok("tc utility, iproute2-6.1.0, libbpf 1.1.2\n".into());
        } else if matches(opt, "-help") {
            return ToolOutput {
                stderr: USAGE.into(),
                ..Default::default()
            };
        } else if [
            "-raw", "-pretty", "-graph", "-iec", "-force", "-batch", "-netns", "-Numeric",
        ]
        .iter()
        .chain(&[
            "-names",
            "-nm",
            "-cf",
            "-conf",
            "-color",
            "-timestamp",
            "-tshort",
        ])
        .chain(&["-json", "-oneline", "-brief"])
        .any(|o| matches(opt, o))
        {
            return ToolError::not_modelled(format!("tc {opt}")).into();
        } else {
            return ToolError::usage(
                255,
                format!("Option \"{opt}\" is unknown, try \"tc -help\".\n"),
            )
            .into();
        }
        i += 1;
    }
    let Some(obj) = args.get(i) else {
        return ToolOutput {
            stderr: USAGE.into(),
            ..Default::default()
        };
    };
    let rest = &args[i + 1..];
    let r = if matches(obj, "qdisc") {
        do_qdisc(k, ns, rest, Show { stats, details })
    } else if matches(obj, "help") {
        return ToolOutput {
            stderr: USAGE.into(),
            ..Default::default()
        };
    } else if matches(obj, "class") {
        Err(ToolError::not_modelled("tc class"))
    } else if matches(obj, "filter") {
        super::tc_filter::do_filter(k, ns, rest, stats)
    } else if ["chain", "actions", "monitor", "exec"]
        .iter()
        .any(|o| matches(obj, o))
    {
        let full = ["chain", "actions", "monitor", "exec"]
            .into_iter()
            .find(|o| matches(obj, o))
            .unwrap_or("class");
        Err(ToolError::not_modelled(format!("tc {full}")))
    } else {
        Err(ToolError::usage(
            255,
            format!("Object \"{obj}\" is unknown, try \"tc help\".\n"),
        ))
    };
    r.into()
}

/// `-s` and `-d`.
#[derive(Clone, Copy)]
struct Show {
    stats: bool,
    details: bool,
}

fn do_qdisc(k: &mut Kernel, ns: NsId, args: &[String], show: Show) -> Result<String, ToolError> {
    let Some(cmd) = args.first() else {
        return tc_qdisc_list(k, ns, &[], show);
    };
    let rest = &args[1..];
    if matches(cmd, "add") {
        tc_qdisc_modify(k, ns, rest, Some(NLM_F_EXCL | NLM_F_CREATE))
    } else if matches(cmd, "change") {
        tc_qdisc_modify(k, ns, rest, Some(0))
    } else if matches(cmd, "replace") {
        tc_qdisc_modify(k, ns, rest, Some(NLM_F_CREATE | NLM_F_REPLACE))
    } else if matches(cmd, "link") {
        tc_qdisc_modify(k, ns, rest, Some(NLM_F_REPLACE))
    } else if matches(cmd, "delete") {
        tc_qdisc_modify(k, ns, rest, None)
    } else if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        tc_qdisc_list(k, ns, rest, show)
    } else if matches(cmd, "help") {
        Err(ToolError {
            status: 0,
            ..ToolError::usage(0, QDISC_USAGE)
        })
    } else {
        Err(ToolError::usage(
            255,
            format!("Command \"{cmd}\" is unknown, try \"tc qdisc help\".\n"),
        ))
    }
}

fn rtnl_err(e: RtnlError) -> ToolError {
    match e.not_modelled {
        Some(what) => ToolError::not_modelled(what),
        None => ToolError::failed(2, e.iproute2_text()),
    }
}

/// `get_qdisc_handle`: `MAJ[:]` in hex, or `none`.
fn get_qdisc_handle(s: &str) -> Option<u32> {
    if s == "none" {
        return Some(0);
    }
    let end = s
        .bytes()
        .position(|b| !b.is_ascii_hexdigit())
        .unwrap_or(s.len());
    if end == 0 {
        return None;
    }
    let maj = u64::from_str_radix(&s[..end], 16).unwrap_or(u64::MAX);
    if maj >= 1 << 16 || !matches!(&s[end..], "" | ":") {
        return None;
    }
    Some((maj as u32) << 16)
}

/// `tc_qdisc_modify`: `flags` for `RTM_NEWQDISC`, `None` for `RTM_DELQDISC`.
fn tc_qdisc_modify(
    k: &mut Kernel,
    ns: NsId,
    args: &[String],
    flags: Option<u16>,
) -> Result<String, ToolError> {
    let mut dev: Option<&str> = None;
    let mut m = TcMsg::default();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "dev" => {
                let d = next(args, &mut i)?;
                if dev.is_some() {
                    return Err(ToolError::usage(
                        255,
                        format!("Error: duplicate \"dev\": \"{d}\" is the second value.\n"),
                    ));
                }
                dev = Some(d);
            }
            "handle" => {
                let h = next(args, &mut i)?;
                if m.handle != 0 {
                    return Err(ToolError::usage(
                        255,
                        format!("Error: duplicate \"handle\": \"{h}\" is the second value.\n"),
                    ));
                }
                m.handle = get_qdisc_handle(h).ok_or_else(|| {
                    ToolError::usage(
                        255,
                        format!("Error: argument \"{h}\" is wrong: invalid qdisc ID\n"),
                    )
                })?;
            }
            "root" => {
                if m.parent != 0 {
                    return Err(ToolError::usage(
                        255,
                        "Error: \"root\" is duplicate parent ID\n",
                    ));
                }
                m.parent = TC_H_ROOT;
            }
            "clsact" | "ingress" => {
                if m.parent != 0 {
                    return Err(ToolError::usage(
                        255,
                        "Error: qdisc can't have more than 1 parent.\n",
                    ));
                }
                m.parent = TC_H_INGRESS;
                m.kind = Some(a.to_string());
                m.handle = TC_H_INGRESS_HANDLE;
                i += 1;
                break;
            }
            "parent" => return Err(ToolError::not_modelled(format!("tc qdisc {a}"))),
            _ if ["estimator", "stab", "ingress_block", "egress_block"]
                .iter()
                .any(|o| matches(a, o)) =>
            {
                return Err(ToolError::not_modelled(format!("tc qdisc {a}")))
            }
            _ if matches(a, "help") => {
                return Err(ToolError::usage(255, QDISC_USAGE));
            }
            kind => {
                m.kind = Some(kind.to_string());
                i += 1;
                break;
            }
        }
        i += 1;
    }
    let opts = &args[i.min(args.len())..];
    match m.kind.as_deref() {
        Some("netem") => m.opts = Some(QdiscOpts::Netem(netem_parse_opt(opts)?)),
        Some("tbf") => m.opts = Some(QdiscOpts::Tbf(tbf_parse_opt(opts)?)),
        // ingress_parse_opt / clsact_parse_opt.
        Some("clsact" | "ingress") if m.parent == TC_H_INGRESS => {
            if let Some(o) = opts.first() {
                return Err(ToolError::failed(1, format!("What is \"{o}\"?\n")));
            }
        }
        Some(kind @ ("pfifo" | "bfifo" | "pfifo_head_drop")) => {
            m.opts = fifo_parse_opt(kind, opts)?.map(|limit| QdiscOpts::Fifo { limit })
        }
        // pfifo_fast's util has a printer only.
        Some(kind @ "pfifo_fast") if !opts.is_empty() => {
            return Err(ToolError::usage(
                255,
                format!("qdisc '{kind}' does not support option parsing\n"),
            ));
        }
        Some("pfifo_fast") => {}
        Some("fq_codel") => m.opts = Some(QdiscOpts::FqCodel(fq_codel_parse_opt(opts)?)),
        Some(kind) if TC_KINDS.contains(&kind) && kind != "noqueue" => {
            return Err(ToolError::not_modelled(format!("tc qdisc {kind}")))
        }
        // parse_noqopt of a kind tc has no parser for.
        Some(kind) => {
            if let Some(o) = opts.first() {
                return Err(ToolError::failed(
                    1,
                    format!("Unknown qdisc \"{kind}\", hence option \"{o}\" is unparsable\n"),
                ));
            }
        }
        None => {}
    }
    if let Some(d) = dev {
        m.ifindex = k
            .if_nametoindex(ns, d)
            .ok_or_else(|| ToolError::failed(1, format!("Cannot find device \"{d}\"\n")))?;
    }
    match flags {
        Some(f) => k.rtm_newqdisc(ns, &m, f),
        None => k.rtm_delqdisc(ns, &m),
    }
    .map_err(rtnl_err)?;
    Ok(String::new())
}

const FIFO_USAGE: &str = "Usage: ... <[p|b]fifo | pfifo_head_drop> [ limit NUMBER ]\n";

/// `fifo_parse_opt`: the limit, if given (without it no options go: the kernel's default).
fn fifo_parse_opt(id: &str, args: &[String]) -> Result<Option<u32>, ToolError> {
    let mut limit = None;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == "limit" {
            let v = next(args, &mut i)?;
            limit = Some(get_size(v).ok_or_else(|| {
                ToolError::failed(1, format!("{id}: Illegal value for \"limit\": \"{v}\"\n"))
            })?);
        } else if a == "help" {
            return Err(ToolError::failed(1, FIFO_USAGE));
        } else {
            return Err(ToolError::failed(
                1,
                format!("{id}: unknown parameter \"{a}\"\n{FIFO_USAGE}"),
            ));
        }
        i += 1;
    }
    Ok(limit)
}

const TBF_USAGE: &str =
    "Usage: ... tbf limit BYTES burst BYTES[/BYTES] rate KBPS [ mtu BYTES[/BYTES] ]
\t[ peakrate KBPS ] [ latency TIME ] [ overhead BYTES ] [ linklayer TYPE ]
";

/// `get_size_and_cell`: `SIZE[/CELL]`, the cell a power of two (only tc's rate table uses it).
fn get_size_and_cell(s: &str) -> Option<(u32, u8)> {
    let (size, cell) = match s.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let size = get_size(size)?;
    let Some(cell) = cell else {
        return Some((size, 0));
    };
    let cell = get_s32_base0(cell)?;
    (0..32)
        .find(|&i| 1i64 << i == i64::from(cell))
        .map(|i| (size, i as u8))
}

/// `tbf_parse_opt`: what tc sends (`TCA_TBF_PARMS` with the bucket in ticks, `TCA_TBF_BURST`,
/// and with a peak rate `TCA_TBF_PBURST`; the rate tables the kernel ignores are left out).
/// `fq_codel`'s usage (`tc/q_fq_codel.c` `explain`, as tc 6.1 prints it).
const FQ_CODEL_USAGE: &str = "Usage: ... fq_codel\t[ limit PACKETS ] [ flows NUMBER ]\n\
[ memory_limit BYTES ]\n\
[ target TIME ] [ interval TIME ]\n\
[ quantum BYTES ] [ [no]ecn ]\n\
[ ce_threshold TIME ]\n\
[ ce_threshold_selector VALUE/MASK ]\n\
[ drop_batch SIZE ]\n";

/// `fq_codel_parse_opt` (tc 6.1): the words compared exactly (`strcmp`), numbers with
/// `get_unsigned`, times with `get_time`, the memory limit with `get_size`; a member that is 0
/// is not sent (but `ce_threshold` is), so the kernel keeps its value.
fn fq_codel_parse_opt(args: &[String]) -> Result<crate::net::sch_fq_codel::FqCodelOpts, ToolError> {
    let mut o = crate::net::sch_fq_codel::FqCodelOpts::default();
    let illegal = |what: &str| ToolError::failed(1, format!("Illegal \"{what}\"\n"));
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let a = a.as_str();
        match a {
            "limit" | "flows" | "quantum" | "drop_batch" => {
                let v = next(args, &mut i)?;
                let n = super::iplink_vlan::get_unsigned(v, u64::from(u32::MAX))
                    .ok_or_else(|| illegal(a))? as u32;
                let n = (n != 0).then_some(n);
                match a {
                    "limit" => o.limit = n,
                    "flows" => o.flows = n,
                    "quantum" => o.quantum = n,
                    _ => o.drop_batch = n,
                }
            }
            "target" | "ce_threshold" | "interval" => {
                let v = next(args, &mut i)?;
                let t = get_time(v).ok_or_else(|| illegal(a))?;
                match a {
                    "target" => o.target = (t != 0).then_some(t),
                    "ce_threshold" => o.ce_threshold = Some(t),
                    _ => o.interval = (t != 0).then_some(t),
                }
            }
            "memory_limit" => {
                let v = next(args, &mut i)?;
                let m = get_size(v).ok_or_else(|| illegal(a))?;
                o.memory_limit = (m != 0).then_some(m);
            }
            "ce_threshold_selector" => {
                return Err(ToolError::not_modelled("fq_codel ce_threshold_selector"))
            }
            "ecn" => o.ecn = Some(true),
            "noecn" => o.ecn = Some(false),
            "help" => return Err(ToolError::failed(1, FQ_CODEL_USAGE)),
            _ => {
                return Err(ToolError::failed(
                    1,
                    format!("What is \"{a}\"?\n{FQ_CODEL_USAGE}"),
                ))
            }
        }
        i += 1;
    }
    Ok(o)
}

/// `fq_codel_print_opt`.
fn fq_codel_print_opt(o: &crate::net::sch_fq_codel::FqCodelOpts, out: &mut String) {
    use std::fmt::Write;
    if let Some(l) = o.limit {
        let _ = write!(out, "limit {l}p ");
    }
    if let Some(f) = o.flows {
        let _ = write!(out, "flows {f} ");
    }
    if let Some(q) = o.quantum {
        let _ = write!(out, "quantum {q} ");
    }
    if let Some(t) = o.target {
        let _ = write!(out, "target {} ", print_time(t));
    }
    if let Some(t) = o.ce_threshold {
        let _ = write!(out, "ce_threshold {} ", print_time(t));
    }
    if let Some(t) = o.interval {
        let _ = write!(out, "interval {} ", print_time(t));
    }
    if let Some(m) = o.memory_limit {
        let _ = write!(out, "memory_limit {} ", print_size(m));
    }
    if o.ecn == Some(true) {
        out.push_str("ecn ");
    }
    if let Some(b) = o.drop_batch {
        let _ = write!(out, "drop_batch {b} ");
    }
}

fn tbf_parse_opt(args: &[String]) -> Result<TbfOpts, ToolError> {
    let illegal = |arg: &str, val: &str| {
        ToolError::failed(1, format!("tbf: illegal value for \"{arg}\": \"{val}\"\n"))
    };
    let fail = |msg: &str| ToolError::failed(1, format!("tbf: {msg}\n"));
    let (mut limit, mut latency, mut buffer, mut mtu, mut mpu) = (0u32, 0u32, 0u32, 0u32, 0u32);
    let (mut rate64, mut prate64, mut overhead) = (0u64, 0u64, 0u16);
    let (mut rcell, mut pcell) = (0u8, 0u8);
    let rate_of = |name: &str, v: &str| -> Result<u64, ToolError> {
        if v.contains('%') {
            return Err(ToolError::not_modelled(format!(
                "tc qdisc tbf {name} PERCENT"
            )));
        }
        get_rate64(v).ok_or_else(|| illegal(name, v))
    };
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let a = a.as_str();
        if matches(a, "limit") {
            let v = next(args, &mut i)?;
            if limit != 0 {
                return Err(fail("duplicate \"limit\" specification"));
            }
            if latency != 0 {
                return Err(fail(
                    "specifying both \"latency\" and \"limit\" is not allowed",
                ));
            }
            limit = get_size(v).ok_or_else(|| illegal("limit", v))?;
        } else if matches(a, "latency") {
            let v = next(args, &mut i)?;
            if latency != 0 {
                return Err(fail("duplicate \"latency\" specification"));
            }
            if limit != 0 {
                return Err(fail(
                    "specifying both \"limit\" and \"/latency\" is not allowed",
                ));
            }
            latency = get_time(v).ok_or_else(|| illegal("latency", v))?;
        } else if matches(a, "burst") || a == "buffer" || a == "maxburst" {
            let v = next(args, &mut i)?;
            if buffer != 0 {
                return Err(fail("duplicate \"buffer/burst/maxburst\" specification"));
            }
            (buffer, rcell) = get_size_and_cell(v).ok_or_else(|| illegal(a, v))?;
        } else if a == "mtu" || a == "minburst" {
            let v = next(args, &mut i)?;
            if mtu != 0 {
                return Err(fail("duplicate \"mtu/minburst\" specification"));
            }
            (mtu, pcell) = get_size_and_cell(v).ok_or_else(|| illegal(a, v))?;
        } else if a == "mpu" {
            let v = next(args, &mut i)?;
            if mpu != 0 {
                return Err(fail("duplicate \"mpu\" specification"));
            }
            mpu = get_size(v).ok_or_else(|| illegal("mpu", v))?;
        } else if a == "rate" {
            let v = next(args, &mut i)?;
            if rate64 != 0 {
                return Err(fail("duplicate \"rate\" specification"));
            }
            rate64 = rate_of("rate", v)?;
        } else if matches(a, "peakrate") {
            let v = next(args, &mut i)?;
            if prate64 != 0 {
                return Err(fail("duplicate \"peakrate\" specification"));
            }
            prate64 = rate_of("peakrate", v)?;
        } else if matches(a, "overhead") {
            let v = next(args, &mut i)?;
            if overhead != 0 {
                return Err(fail("duplicate \"overhead\" specification"));
            }
            overhead = v
                .parse::<u16>()
                .ok()
                .filter(|_| v.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| illegal("overhead", v))?;
        } else if matches(a, "linklayer") {
            let v = next(args, &mut i)?;
            match v {
                "ethernet" => {}
                "atm" | "adsl" => {
                    return Err(ToolError::not_modelled("tc qdisc tbf linklayer atm"))
                }
                _ => return Err(illegal("linklayer", v)),
            }
        } else if a == "help" {
            return Err(ToolError::failed(1, TBF_USAGE));
        } else {
            return Err(ToolError::failed(
                1,
                format!("tbf: unknown parameter \"{a}\"\n{TBF_USAGE}"),
            ));
        }
        i += 1;
    }
    // All the complaints at once.
    let mut complaints = String::new();
    if rate64 == 0 {
        complaints.push_str("tbf: the \"rate\" parameter is mandatory.\n");
    }
    if buffer == 0 {
        complaints.push_str("tbf: the \"burst\" parameter is mandatory.\n");
    }
    if prate64 != 0 && mtu == 0 {
        complaints
            .push_str("tbf: when \"peakrate\" is specified, \"mtu\" must also be specified.\n");
    }
    if limit == 0 && latency == 0 {
        complaints.push_str("tbf: either \"limit\" or \"latency\" is required.\n");
    }
    if !complaints.is_empty() {
        return Err(ToolError::failed(1, complaints + TBF_USAGE));
    }
    let clamp32 = |r: u64| if r >= 1 << 32 { u32::MAX } else { r as u32 };
    if limit == 0 {
        let mut lim = rate64 as f64 * latency as f64 / TIME_UNITS_PER_SEC + buffer as f64;
        if prate64 != 0 {
            let lim2 = prate64 as f64 * latency as f64 / TIME_UNITS_PER_SEC + mtu as f64;
            if lim2 < lim {
                lim = lim2;
            }
        }
        limit = c_uint(lim);
    }
    // tc_calc_xmittime: the bucket as ticks (the kernel recomputes it from TCA_TBF_BURST).
    let xmittime = |rate: u64, size: u32| {
        (c_uint(TIME_UNITS_PER_SEC * (size as f64 / rate as f64)) as f64 * TICK_IN_USEC) as u32
    };
    let peak = prate64 != 0;
    Ok(TbfOpts {
        rate: TcRatespec {
            rate: clamp32(rate64),
            overhead,
            mpu: mpu as u16,
            cell_log: rcell,
        },
        peakrate: if peak {
            TcRatespec {
                rate: clamp32(prate64),
                overhead,
                mpu: mpu as u16,
                cell_log: pcell,
            }
        } else {
            TcRatespec::default()
        },
        limit,
        buffer: xmittime(rate64, buffer),
        mtu: if peak { xmittime(prate64, mtu) } else { 0 },
        rate64: (rate64 >= 1 << 32).then_some(rate64),
        prate64: (peak && prate64 >= 1 << 32).then_some(prate64),
        burst: Some(buffer),
        pburst: peak.then_some(mtu),
    })
}

/// `netem_parse_opt`.
fn netem_parse_opt(args: &[String]) -> Result<NetemOpts, ToolError> {
    let illegal = |what: &str| ToolError::failed(1, format!("Illegal \"{what}\"\n"));
    let explain = |what: &str| ToolError::failed(1, format!("{what}\n{NETEM_USAGE}"));
    let mut opt = TcNetemQopt {
        limit: 1000,
        ..Default::default()
    };
    let mut cor = TcNetemCorr::default();
    let mut corr_present = false;
    let mut rate = None;
    let mut reorder: Option<TcNetemProb> = None;
    let mut corrupt: Option<TcNetemProb> = None;
    let mut loss_model: Option<NetemLossModel> = None;
    let mut delay_dist: Option<Vec<i16>> = None;
    let mut slot: Option<TcNetemSlot> = None;
    let mut slot_dist: Option<Vec<i16>> = None;
    let mut ecn = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let a = a.as_str();
        if matches(a, "limit") {
            let v = next(args, &mut i)?;
            opt.limit = get_size(v).ok_or_else(|| illegal("limit"))?;
        } else if matches(a, "latency") || matches(a, "delay") {
            let mut err = String::new();
            let mut ticks = |s: &str| {
                get_ticks(s, &mut err)
                    .ok_or_else(|| ToolError::failed(1, format!("{err}Illegal \"latency\"\n")))
            };
            let v = next(args, &mut i)?;
            opt.latency = ticks(v)?;
            if next_is_number(args, i) {
                let v = next(args, &mut i)?;
                opt.jitter = ticks(v)?;
                if next_is_number(args, i) {
                    let v = next(args, &mut i)?;
                    corr_present = true;
                    cor.delay_corr = get_percent(v).ok_or_else(|| illegal("latency"))?;
                }
            }
        } else if matches(a, "loss") || matches(a, "drop") {
            if opt.loss > 0 || loss_model.is_some() {
                return Err(illegal("duplicate loss argument\n"));
            }
            let mut v = next(args, &mut i)?;
            let numeric = v.as_bytes().first().is_some_and(u8::is_ascii_digit);
            if !numeric && v == "state" {
                let v = next(args, &mut i)?;
                let p13 = parse_percent(v).ok_or_else(|| illegal("loss p13"))?;
                // The defaults, then the probabilities given.
                let mut p = [
                    set_percent(p13),
                    set_percent(1.0 - p13),
                    set_percent(0.0),
                    set_percent(1.0),
                    set_percent(0.0),
                ];
                for (slot_i, name) in ["loss p31", "loss p32", "loss p23", "loss p14"]
                    .into_iter()
                    .enumerate()
                {
                    if !next_is_number(args, i) {
                        break;
                    }
                    let v = next(args, &mut i)?;
                    p[slot_i + 1] = get_percent(v).ok_or_else(|| illegal(name))?;
                }
                let [p13, p31, p32, p23, p14] = p;
                loss_model = Some(NetemLossModel::Gi {
                    p13,
                    p31,
                    p32,
                    p14,
                    p23,
                });
                i += 1;
                continue;
            } else if !numeric && v == "gemodel" {
                let v = next(args, &mut i)?;
                let pp = parse_percent(v).ok_or_else(|| illegal("loss gemodel p"))?;
                let mut p = [set_percent(pp), set_percent(1.0 - pp), 0, 0];
                for (slot_i, name) in ["loss gemodel r", "loss gemodel h", "loss gemodel k"]
                    .into_iter()
                    .enumerate()
                {
                    if !next_is_number(args, i) {
                        break;
                    }
                    let v = next(args, &mut i)?;
                    p[slot_i + 1] = get_percent(v).ok_or_else(|| illegal(name))?;
                    if slot_i == 1 {
                        // The option is "1-h"; the kernel expects h.
                        p[2] = u32::MAX - p[2];
                    }
                }
                let [p, r, h, k1] = p;
                loss_model = Some(NetemLossModel::Ge { p, r, h, k1 });
                i += 1;
                continue;
            } else if !numeric {
                if v != "random" {
                    return Err(ToolError::failed(
                        1,
                        format!("Unknown loss parameter: {v}\n"),
                    ));
                }
                v = next(args, &mut i)?;
            }
            opt.loss = get_percent(v).ok_or_else(|| illegal("loss percent"))?;
            if next_is_number(args, i) {
                let v = next(args, &mut i)?;
                corr_present = true;
                cor.loss_corr = get_percent(v).ok_or_else(|| illegal("loss correlation"))?;
            }
        } else if matches(a, "ecn") {
            ecn = true;
        } else if matches(a, "reorder") {
            let (r, corr) = netem_prob(args, &mut i, "reorder")?;
            corr_present |= corr;
            reorder = Some(r);
        } else if matches(a, "corrupt") {
            let (r, corr) = netem_prob(args, &mut i, "corrupt")?;
            corr_present |= corr;
            corrupt = Some(r);
        } else if matches(a, "gap") {
            let v = next(args, &mut i)?;
            opt.gap = super::iprule::get_u32_base0(v).ok_or_else(|| illegal("gap"))?;
        } else if matches(a, "duplicate") {
            let v = next(args, &mut i)?;
            opt.duplicate = get_percent(v).ok_or_else(|| illegal("duplicate"))?;
            if next_is_number(args, i) {
                let v = next(args, &mut i)?;
                // (q_netem.c does not mark TCA_NETEM_CORR present for this one.)
                cor.dup_corr = get_percent(v).ok_or_else(|| illegal("duplicate"))?;
            }
        } else if matches(a, "distribution") {
            let v = next(args, &mut i)?;
            delay_dist = Some(get_distribution(v)?);
        } else if matches(a, "rate") {
            let v = next(args, &mut i)?;
            if v.contains('%') {
                return Err(ToolError::not_modelled("tc qdisc netem rate PERCENT"));
            }
            rate = Some(get_rate64(v).ok_or_else(|| illegal("rate"))?);
            if args
                .get(i + 1)
                .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit() || c == '-'))
            {
                return Err(ToolError::not_modelled(
                    "tc qdisc netem rate with packet overhead or cells",
                ));
            }
        } else if matches(a, "slot") {
            let mut sl = TcNetemSlot::default();
            if next_is_number(args, i) {
                let v = next(args, &mut i)?;
                sl.min_delay = get_time64(v).ok_or_else(|| illegal("slot min_delay"))?;
                if next_is_number(args, i) {
                    let v = next(args, &mut i)?;
                    sl.max_delay = get_time64(v)
                        .filter(|&m| m >= sl.min_delay)
                        .ok_or_else(|| illegal("slot max_delay"))?;
                } else {
                    sl.max_delay = sl.min_delay;
                }
            } else {
                let v = next(args, &mut i)?;
                if v != "distribution" {
                    return Err(ToolError::failed(
                        1,
                        format!("Unknown slot parameter: {v}\n"),
                    ));
                }
                let v = next(args, &mut i)?;
                slot_dist = Some(get_distribution(v)?);
                let v = next(args, &mut i)?;
                sl.dist_delay = get_time64(v).ok_or_else(|| illegal("slot delay"))?;
                let v = next(args, &mut i)?;
                sl.dist_jitter = get_time64(v).ok_or_else(|| illegal("slot jitter"))?;
                if sl.dist_jitter <= 0 {
                    return Err(ToolError::failed(1, "Non-positive jitter\n"));
                }
            }
            if args.get(i + 1).is_some_and(|n| matches(n, "packets")) {
                i += 1;
                sl.max_packets = args
                    .get(i + 1)
                    .and_then(|v| get_s32_base0(v))
                    .ok_or_else(|| illegal("slot packets"))?;
                i += 1;
            }
            if args.get(i + 1).is_some_and(|n| matches(n, "bytes")) {
                i += 1;
                sl.max_bytes = args
                    .get(i + 1)
                    .and_then(|v| get_size(v))
                    .ok_or_else(|| illegal("slot bytes"))? as i32;
                i += 1;
            }
            slot = Some(sl);
        } else {
            let what = if a == "help" {
                String::new()
            } else {
                format!("What is \"{a}\"?\n")
            };
            return Err(ToolError::failed(1, what + NETEM_USAGE));
        }
        i += 1;
    }
    if reorder.is_some_and(|r| r.probability != 0) {
        if opt.latency == 0 {
            return Err(explain(
                "reordering not possible without specifying some delay",
            ));
        }
        if opt.gap == 0 {
            opt.gap = 1;
        }
    } else if opt.gap > 0 {
        return Err(explain("gap specified without reorder probability"));
    }
    if ecn && opt.loss == 0 && loss_model.is_none() {
        return Err(explain("ecn requested without loss model"));
    }
    if delay_dist.is_some() && (opt.latency == 0 || opt.jitter == 0) {
        return Err(explain(
            "distribution specified but no latency and jitter values",
        ));
    }
    Ok(NetemOpts {
        qopt: opt,
        corr: corr_present.then_some(cor),
        rate,
        reorder,
        corrupt,
        loss_model,
        delay_dist,
        slot,
        slot_dist,
        ecn: ecn.then_some(1),
    })
}

/// `tc_qdisc_list` + `print_qdisc`.
fn tc_qdisc_list(k: &Kernel, ns: NsId, args: &[String], show: Show) -> Result<String, ToolError> {
    let mut dev = None;
    let mut root = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "dev" => dev = Some(next(args, &mut i)?),
            "root" => {
                if root {
                    return Err(ToolError::usage(255, "Duplicate parent ID\n"));
                }
                root = true;
            }
            "parent" | "handle" | "invisible" => {
                return Err(ToolError::not_modelled(format!("tc qdisc show {a}")))
            }
            _ if matches(a, "help") => return Err(ToolError::usage(255, QDISC_USAGE)),
            _ => {
                return Err(ToolError::usage(
                    255,
                    format!("What is \"{a}\"? Try \"tc qdisc help\".\n"),
                ))
            }
        }
        i += 1;
    }
    let filter = match dev {
        Some(d) => Some(
            k.if_nametoindex(ns, d)
                .ok_or_else(|| ToolError::failed(1, format!("Cannot find device \"{d}\"\n")))?,
        ),
        None => None,
    };
    let mut out = String::new();
    for q in k.rtnl_dump_qdisc(ns) {
        if filter.is_some_and(|f| f != q.ifindex) {
            continue;
        }
        print_qdisc(k, ns, &q, filter.is_none(), show, &mut out);
    }
    Ok(out)
}

fn print_qdisc(k: &Kernel, ns: NsId, q: &QdiscMsg, show_dev: bool, show: Show, out: &mut String) {
    out.push_str(&format!("qdisc {} {:x}:", q.kind, q.handle >> 16));
    if show_dev {
        let name = k.if_indextoname(ns, q.ifindex).unwrap_or_default();
        out.push_str(&format!(" dev {name}"));
    }
    if q.parent == TC_H_ROOT {
        out.push_str(" root");
    } else if q.parent != 0 {
        out.push_str(&format!(
            " parent {:x}:{:x}",
            q.parent >> 16,
            q.parent & 0xFFFF
        ));
    }
    if q.refcnt != 1 {
        out.push_str(&format!(" refcnt {}", q.refcnt));
    }
    out.push(' ');
    if q.kind == "ingress" {
        // ingress_print_opt.
        out.push_str("---------------- ");
    }
    match &q.opts {
        Some(QdiscOpts::Netem(n)) => netem_print_opt(n, out),
        Some(QdiscOpts::Tbf(t)) => tbf_print_opt(t, show.details, out),
        Some(QdiscOpts::Fifo { limit }) if q.kind == "bfifo" => {
            out.push_str(&format!("limit {}", print_size(*limit)))
        }
        Some(QdiscOpts::Fifo { limit }) if q.kind != "pfifo_fast" => {
            out.push_str(&format!("limit {limit}p"))
        }
        // pfifo_fast dumps its fixed prio options (prio_print_opt).
        Some(QdiscOpts::Fifo { .. }) => {
            out.push_str("bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1")
        }
        Some(QdiscOpts::FqCodel(o)) => fq_codel_print_opt(o, out),
        None => {}
    }
    out.push('\n');
    if show.stats {
        let st = &q.stats;
        out.push_str(&format!(
            " Sent {} bytes {} pkt (dropped {}, overlimits {} requeues {}) \n backlog {} {}p requeues {}\n",
            st.bytes,
            st.packets as u32,
            st.drops as u32,
            st.overlimits as u32,
            st.requeues as u32,
            print_size(st.backlog as u32),
            st.qlen,
            st.requeues as u32
        ));
        // fq_codel_print_xstats: nothing was ever queued (every frame bypassed the qdisc).
        if matches!(q.opts, Some(QdiscOpts::FqCodel(_))) {
            out.push_str(
                "  maxpacket 0 drop_overlimit 0 new_flow_count 0 ecn_mark 0\n  new_flows_len 0 old_flows_len 0\n",
            );
        }
    }
}

/// `tc_core_tick2time`: psched ticks to microseconds (an unsigned int, truncated).
fn tick2time(ticks: u32) -> u32 {
    (ticks as f64 / TICK_IN_USEC) as u32
}

/// `tc_calc_xmitsize`: the bytes `ticks` hold at `rate` bytes/s.
fn tc_calc_xmitsize(rate: u64, ticks: u32) -> f64 {
    rate as f64 * tick2time(ticks) as f64 / TIME_UNITS_PER_SEC
}

/// `tbf_print_opt` (text form).
fn tbf_print_opt(o: &TbfOpts, details: bool, out: &mut String) {
    let rate64 = o.rate64.unwrap_or(u64::from(o.rate.rate));
    out.push_str(&format!("rate {} ", sprint_rate(rate64)));
    let buffer = tc_calc_xmitsize(rate64, o.buffer);
    if details {
        out.push_str(&format!(
            "burst {}/{} mpu {} ",
            print_size(c_uint(buffer)),
            1u32 << o.rate.cell_log,
            print_size(u32::from(o.rate.mpu))
        ));
    } else {
        out.push_str(&format!("burst {} ", print_size(c_uint(buffer))));
    }
    let prate64 = o.prate64.unwrap_or(u64::from(o.peakrate.rate));
    if prate64 != 0 {
        out.push_str(&format!("peakrate {} ", sprint_rate(prate64)));
        if o.mtu != 0 || o.peakrate.mpu != 0 {
            let mtu = tc_calc_xmitsize(prate64, o.mtu);
            if details {
                out.push_str(&format!(
                    "mtu {}/{} mpu {} ",
                    print_size(c_uint(mtu)),
                    1u32 << o.peakrate.cell_log,
                    print_size(u32::from(o.peakrate.mpu))
                ));
            } else {
                out.push_str(&format!("minburst {} ", print_size(c_uint(mtu))));
            }
        }
    }
    let mut latency =
        TIME_UNITS_PER_SEC * (o.limit as f64 / rate64 as f64) - tick2time(o.buffer) as f64;
    if prate64 != 0 {
        let lat2 = TIME_UNITS_PER_SEC * (o.limit as f64 / prate64 as f64) - tick2time(o.mtu) as f64;
        if lat2 > latency {
            latency = lat2;
        }
    }
    if latency >= 0.0 {
        out.push_str(&format!("lat {} ", print_time(c_uint(latency))));
    } else {
        out.push_str(&format!("limit {} ", print_size(o.limit)));
    }
    if o.rate.overhead != 0 {
        out.push_str(&format!("overhead {} ", o.rate.overhead));
    }
    if details {
        out.push_str("linklayer ethernet ");
    }
}

/// `netem_print_opt` (text form).
fn netem_print_opt(n: &NetemOpts, out: &mut String) {
    let o = &n.qopt;
    let cor = n.corr.unwrap_or_default();
    out.push_str(&format!("limit {}", o.limit));
    if o.latency != 0 {
        out.push_str(&format!(" delay {}", sprint_ticks(o.latency)));
        if o.jitter != 0 {
            out.push_str(&format!("  {}", sprint_ticks(o.jitter)));
            if cor.delay_corr != 0 {
                out.push_str(&format!(" {}", print_percent(cor.delay_corr)));
            }
        }
    }
    if o.loss != 0 {
        out.push_str(&format!(" loss {}", print_percent(o.loss)));
        if cor.loss_corr != 0 {
            out.push_str(&format!(" {}", print_percent(cor.loss_corr)));
        }
    }
    match n.loss_model {
        Some(NetemLossModel::Gi {
            p13,
            p31,
            p32,
            p14,
            p23,
        }) => out.push_str(&format!(
            " loss state p13 {} p31 {} p32 {} p23 {} p14 {}",
            print_percent(p13),
            print_percent(p31),
            print_percent(p32),
            print_percent(p23),
            print_percent(p14)
        )),
        Some(NetemLossModel::Ge { p, r, h, k1 }) => out.push_str(&format!(
            " loss gemodel p {} r {} 1-h {} 1-k {}",
            print_percent(p),
            print_percent(r),
            print_percent(u32::MAX - h),
            print_percent(k1)
        )),
        None => {}
    }
    if o.duplicate != 0 {
        out.push_str(&format!(" duplicate {}", print_percent(o.duplicate)));
        if cor.dup_corr != 0 {
            out.push_str(&format!(" {}", print_percent(cor.dup_corr)));
        }
    }
    if let Some(r) = n.reorder.filter(|r| r.probability != 0) {
        out.push_str(&format!(" reorder {}", print_percent(r.probability)));
        if r.correlation != 0 {
            out.push_str(&format!(" {}", print_percent(r.correlation)));
        }
    }
    if let Some(r) = n.corrupt.filter(|r| r.probability != 0) {
        out.push_str(&format!(" corrupt {}", print_percent(r.probability)));
        if r.correlation != 0 {
            out.push_str(&format!(" {}", print_percent(r.correlation)));
        }
    }
    if let Some(r) = n.rate.filter(|&r| r != 0) {
        out.push_str(&format!(" rate {}", sprint_rate(r)));
    }
    if let Some(sl) = n.slot {
        if sl.dist_jitter > 0 {
            out.push_str(&format!(
                " slot distribution {} {}",
                sprint_time64(sl.dist_delay),
                sprint_time64(sl.dist_jitter)
            ));
        } else {
            out.push_str(&format!(
                " slot {} {}",
                sprint_time64(sl.min_delay),
                sprint_time64(sl.max_delay)
            ));
        }
        if sl.max_packets != 0 {
            out.push_str(&format!(" packets {}", sl.max_packets));
        }
        if sl.max_bytes != 0 {
            out.push_str(&format!(" bytes {}", sl.max_bytes));
        }
    }
    if n.ecn.is_some_and(|e| e != 0) {
        out.push_str(" ecn ");
    }
    if o.gap != 0 {
        out.push_str(&format!(" gap {}", o.gap));
    }
}

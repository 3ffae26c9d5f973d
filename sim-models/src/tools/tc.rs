//! `tc` (iproute2 6.1): `tc qdisc add|change|replace|link|del|show` for a device's root qdisc,
//! with netem's options (`tc/q_netem.c`), through `rtm_newqdisc` / `rtm_delqdisc` /
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
use crate::net::rtnetlink::qdisc::{QdiscMsg, TcMsg, TC_H_ROOT};
use crate::net::rtnetlink::route::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use crate::net::rtnetlink::RtnlError;
use crate::net::sch_netem::{
    NetemLossModel, NetemOpts, TcNetemCorr, TcNetemProb, TcNetemQopt, TcNetemSlot,
};
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
    let mut i = 0;
    while let Some(a) = args.get(i).filter(|a| a.starts_with('-')) {
        let opt = a.as_str();
        if matches(opt, "-stats") || matches(opt, "-statistics") {
            stats = true;
        } else if matches(opt, "-details") {
            // Nothing netem prints differs with -d.
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
        do_qdisc(k, ns, rest, stats)
    } else if matches(obj, "help") {
        return ToolOutput {
            stderr: USAGE.into(),
            ..Default::default()
        };
    } else if ["class", "filter", "chain", "actions", "monitor", "exec"]
        .iter()
        .any(|o| matches(obj, o))
    {
        let full = ["class", "filter", "chain", "actions", "monitor", "exec"]
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

fn do_qdisc(k: &mut Kernel, ns: NsId, args: &[String], stats: bool) -> Result<String, ToolError> {
    let Some(cmd) = args.first() else {
        return tc_qdisc_list(k, ns, &[], stats);
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
        tc_qdisc_list(k, ns, rest, stats)
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
            "clsact" | "ingress" | "parent" => {
                return Err(ToolError::not_modelled(format!("tc qdisc {a}")))
            }
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
        Some("netem") => m.netem = Some(netem_parse_opt(opts)?),
        Some(kind) if TC_KINDS.contains(&kind) => {
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
            let v = next(args, &mut i)?;
            let mut r = TcNetemProb {
                probability: get_percent(v).ok_or_else(|| illegal("reorder"))?,
                correlation: 0,
            };
            if next_is_number(args, i) {
                let v = next(args, &mut i)?;
                corr_present = true;
                r.correlation = get_percent(v).ok_or_else(|| illegal("reorder"))?;
            }
            reorder = Some(r);
        } else if matches(a, "corrupt") {
            let v = next(args, &mut i)?;
            let mut r = TcNetemProb {
                probability: get_percent(v).ok_or_else(|| illegal("corrupt"))?,
                correlation: 0,
            };
            if next_is_number(args, i) {
                let v = next(args, &mut i)?;
                corr_present = true;
                r.correlation = get_percent(v).ok_or_else(|| illegal("corrupt"))?;
            }
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
fn tc_qdisc_list(k: &Kernel, ns: NsId, args: &[String], stats: bool) -> Result<String, ToolError> {
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
            "ingress" | "clsact" | "parent" | "handle" | "invisible" => {
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
        print_qdisc(k, ns, &q, filter.is_none(), stats, &mut out);
    }
    Ok(out)
}

fn print_qdisc(k: &Kernel, ns: NsId, q: &QdiscMsg, show_dev: bool, stats: bool, out: &mut String) {
    out.push_str(&format!("qdisc {} {:x}:", q.kind, q.handle >> 16));
    if show_dev {
        let name = k.if_indextoname(ns, q.ifindex).unwrap_or_default();
        out.push_str(&format!(" dev {name}"));
    }
    if q.parent == TC_H_ROOT {
        out.push_str(" root");
    }
    out.push_str(&format!(" refcnt {} ", q.refcnt));
    if let Some(n) = &q.netem {
        netem_print_opt(n, out);
    }
    out.push('\n');
    if stats {
        out.push_str(&format!(
            " Sent {} bytes {} pkt (dropped {}, overlimits 0 requeues {}) \n backlog {} {}p requeues {}\n",
            q.bytes,
            q.packets as u32,
            q.drops as u32,
            q.requeues as u32,
            print_size(q.backlog),
            q.qlen,
            q.requeues as u32
        ));
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

//! date (the simulated clock, UTC), id (the lab runs as root), which, xargs and timeout (which
//! run other programs through [`Ctx::run_program`]).

use super::text::opts;
use super::{bad_option, error, quote, try_help, usage_error};
use crate::getopt::{Getopt, HasArg, LongOpt};
use crate::Ctx;

// ---------------------------------------------------------------- date

/// (year, month 1-12, day 1-31) of a day count since 1970-01-01 (Howard Hinnant's
/// civil_from_days).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// strftime in the C locale, UTC, with GNU date's `%N` and `%-`/`%_`/`%0` flags.
pub fn strftime(fmt: &str, secs: i64, nanos: u32) -> String {
    let days = secs.div_euclid(86400);
    let sod = secs.rem_euclid(86400);
    let (y, mo, d) = civil_from_days(days);
    let (h, mi, s) = (sod / 3600, (sod / 60) % 60, sod % 60);
    let wday = (days + 4).rem_euclid(7) as usize;
    let yday = days - days_from_civil(y, 1, 1);
    let f: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < f.len() {
        if f[i] != '%' || i + 1 >= f.len() {
            out.push(f[i]);
            i += 1;
            continue;
        }
        i += 1;
        let mut flag = None;
        if matches!(f[i], '-' | '_' | '0' | '^') && i + 1 < f.len() {
            flag = Some(f[i]);
            i += 1;
        }
        let mut width = String::new();
        while i < f.len() && f[i].is_ascii_digit() {
            width.push(f[i]);
            i += 1;
        }
        let Some(&c) = f.get(i) else { break };
        i += 1;
        // (text, default pad char, default width) for numbers
        let num = |v: i64, w: usize, pad: char| -> String {
            let (pad, w) = match flag {
                Some('-') => (' ', 0),
                Some('_') => (' ', w),
                Some('0') => ('0', w),
                _ => (pad, w),
            };
            let s = v.to_string();
            if s.len() >= w {
                s
            } else {
                format!("{}{s}", pad.to_string().repeat(w - s.len()))
            }
        };
        let h12 = if h % 12 == 0 { 12 } else { h % 12 };
        let iso_week = {
            let wd = (wday + 6) % 7; // Monday 0
            let thursday = days - wd as i64 + 3;
            let (ty, _, _) = civil_from_days(thursday);
            let w = (thursday - days_from_civil(ty, 1, 1)) / 7 + 1;
            (ty, w)
        };
        let t = match c {
            'Y' => y.to_string(),
            'C' => num(y / 100, 2, '0'),
            'y' => num(y % 100, 2, '0'),
            'm' => num(i64::from(mo), 2, '0'),
            'd' => num(i64::from(d), 2, '0'),
            'e' => num(i64::from(d), 2, ' '),
            'H' => num(h, 2, '0'),
            'k' => num(h, 2, ' '),
            'I' => num(h12, 2, '0'),
            'l' => num(h12, 2, ' '),
            'M' => num(mi, 2, '0'),
            'S' => num(s, 2, '0'),
            'j' => num(yday + 1, 3, '0'),
            'u' => (if wday == 0 { 7 } else { wday }).to_string(),
            'w' => wday.to_string(),
            'a' => DAYS[wday][..3].to_string(),
            'A' => DAYS[wday].to_string(),
            'b' | 'h' => MONTHS[mo as usize - 1][..3].to_string(),
            'B' => MONTHS[mo as usize - 1].to_string(),
            'p' => (if h < 12 { "AM" } else { "PM" }).to_string(),
            'P' => (if h < 12 { "am" } else { "pm" }).to_string(),
            'Z' => "UTC".to_string(),
            'z' => "+0000".to_string(),
            's' => secs.to_string(),
            'N' => {
                let n = format!("{nanos:09}");
                let w: usize = width.parse().unwrap_or(9).min(9);
                n[..w].to_string()
            }
            'F' => format!("{y}-{mo:02}-{d:02}"),
            'T' => format!("{h:02}:{mi:02}:{s:02}"),
            'R' => format!("{h:02}:{mi:02}"),
            'D' | 'x' => format!("{mo:02}/{d:02}/{:02}", y % 100),
            'X' => format!("{h:02}:{mi:02}:{s:02}"),
            'c' => format!(
                "{} {} {:>2} {h:02}:{mi:02}:{s:02} {y}",
                &DAYS[wday][..3],
                &MONTHS[mo as usize - 1][..3],
                d
            ),
            'G' => iso_week.0.to_string(),
            'V' => num(iso_week.1, 2, '0'),
            'U' => num((yday + 7 - wday as i64) / 7, 2, '0'),
            'n' => "\n".to_string(),
            't' => "\t".to_string(),
            '%' => "%".to_string(),
            other => format!("%{other}"),
        };
        let t = if flag == Some('^') {
            t.to_uppercase()
        } else {
            t
        };
        out.push_str(&t);
    }
    out
}

/// `date -d`'s STRING, the forms scripts use: `@SECONDS`, `now`, `YYYY-MM-DD[ HH:MM[:SS]]`.
fn parse_date(s: &str, now: i64) -> Option<i64> {
    let t = s.trim();
    if let Some(n) = t.strip_prefix('@') {
        return n.trim().parse().ok();
    }
    if t.is_empty() || t.eq_ignore_ascii_case("now") || t.eq_ignore_ascii_case("today") {
        return Some(now);
    }
    let (date, time) = match t.split_once([' ', 'T']) {
        Some((a, b)) => (a, Some(b.trim_end_matches('Z'))),
        None => (t, None),
    };
    let p: Vec<&str> = date.split('-').collect();
    if p.len() != 3 {
        return None;
    }
    let y: i64 = p[0].parse().ok()?;
    let m: u32 = p[1].parse().ok()?;
    let d: u32 = p[2].parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut secs = days_from_civil(y, m, d) * 86400;
    if let Some(tm) = time {
        let q: Vec<&str> = tm.split(':').collect();
        if q.len() < 2 || q.len() > 3 {
            return None;
        }
        let h: i64 = q[0].parse().ok()?;
        let mi: i64 = q[1].parse().ok()?;
        let s: i64 = q.get(2).map_or(Some(0), |s| s.parse().ok())?;
        if h > 23 || mi > 59 || s > 60 {
            return None;
        }
        secs += h * 3600 + mi * 60 + s;
    }
    Some(secs)
}

pub fn date(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("utc", HasArg::No, 'u'),
        LongOpt::new("universal", HasArg::No, 'u'),
        LongOpt::new("date", HasArg::Required, 'd'),
        LongOpt::new("rfc-email", HasArg::No, 'R'),
        LongOpt::new("iso-8601", HasArg::Optional, 'I'),
        LongOpt::new("rfc-3339", HasArg::Required, '\u{e000}'),
    ];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "ud:RI::", LONGS);
    let now = (ctx.now_ns / 1_000_000_000) as i64;
    let mut secs = now;
    let mut nanos = (ctx.now_ns % 1_000_000_000) as u32;
    let mut fmt: Option<String> = None;
    opts!(ctx, g, 1, |o| {
        match o.opt {
            'd' => {
                let a = o.arg.unwrap_or_default();
                match parse_date(&a, now) {
                    Some(s) => {
                        if s != now {
                            nanos = 0;
                        }
                        secs = s;
                    }
                    None => {
                        error(ctx, &format!("invalid date {}", quote(&a)));
                        return 1;
                    }
                }
            }
            'R' => fmt = Some("%a, %d %b %Y %H:%M:%S %z".into()),
            'I' => {
                let f = match o.arg.as_deref() {
                    None | Some("date") | Some("d") => "%Y-%m-%d",
                    Some("hours") => "%Y-%m-%dT%H+00:00",
                    Some("minutes") => "%Y-%m-%dT%H:%M+00:00",
                    Some("seconds") => "%Y-%m-%dT%H:%M:%S+00:00",
                    Some("ns") => "%Y-%m-%dT%H:%M:%S,%N+00:00",
                    Some(x) => {
                        error(
                            ctx,
                            &format!("invalid argument {} for {}", quote(x), quote("--iso-8601")),
                        );
                        return 1;
                    }
                };
                fmt = Some(f.into());
            }
            '\u{e000}' => {
                let f = match o.arg.as_deref() {
                    Some("date") => "%Y-%m-%d",
                    Some("seconds") => "%Y-%m-%d %H:%M:%S+00:00",
                    Some("ns") => "%Y-%m-%d %H:%M:%S.%N+00:00",
                    _ => {
                        error(ctx, "invalid argument for --rfc-3339");
                        return 1;
                    }
                };
                fmt = Some(f.into());
            }
            _ => {}
        }
    });
    let ops = g.into_operands();
    for o in &ops {
        if let Some(f) = o.strip_prefix('+') {
            if fmt.is_some() {
                error(ctx, "multiple output formats specified");
                return 1;
            }
            fmt = Some(f.to_string());
        } else {
            // setting the clock: not something a lab does
            return usage_error(ctx, &format!("invalid date {}", quote(o)), 1);
        }
    }
    let f = fmt.unwrap_or_else(|| "%a %b %e %H:%M:%S %Z %Y".into());
    ctx.out(strftime(&f, secs, nanos) + "\n");
    0
}

// ---------------------------------------------------------------- id

pub fn id(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("user", HasArg::No, 'u'),
        LongOpt::new("group", HasArg::No, 'g'),
        LongOpt::new("groups", HasArg::No, 'G'),
        LongOpt::new("name", HasArg::No, 'n'),
        LongOpt::new("real", HasArg::No, 'r'),
    ];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "ugGnrzaZ", LONGS);
    let (mut what, mut name) = (None, false);
    opts!(ctx, g, 1, |o| {
        match o.opt {
            'u' | 'g' | 'G' => {
                if what.is_some_and(|w| w != o.opt) {
                    error(ctx, "cannot print \"only\" of more than one choice");
                    return 1;
                }
                what = Some(o.opt);
            }
            'n' => name = true,
            _ => {}
        }
    });
    let ops = g.into_operands();
    if let Some(u) = ops.first() {
        if u != "root" && u != "0" {
            error(ctx, &format!("{}: no such user", quote(u)));
            return 1;
        }
    }
    // the lab's processes run as root
    match what {
        Some(_) if name => ctx.out("root\n"),
        Some(_) => ctx.out("0\n"),
        None if name => {
            error(ctx, "cannot print only names or real IDs in default format");
            return 1;
        }
        None => ctx.out("uid=0(root) gid=0(root) groups=0(root)\n"),
    }
    0
}

// ---------------------------------------------------------------- which

/// Where Debian 12 installs the programs labs run (looked up when the lab's files do not hold
/// the name in a `PATH` directory).
const INSTALLED: &[(&str, &str)] = &[
    ("arping", "/usr/bin"),
    ("bridge", "/usr/sbin"),
    ("brctl", "/usr/sbin"),
    ("conntrack", "/usr/sbin"),
    ("curl", "/usr/bin"),
    ("ethtool", "/usr/sbin"),
    ("ip", "/usr/sbin"),
    ("iptables", "/usr/sbin"),
    ("iptables-restore", "/usr/sbin"),
    ("iptables-save", "/usr/sbin"),
    ("kill", "/usr/bin"),
    ("nc", "/usr/bin"),
    // the kernel selftests' helper: listed so lib.sh's presence check (`which nettest`) finds
    // it, as the kernel baseline's placeholder did; running it is refused (src/programs.rs)
    ("nettest", "/usr/bin"),
    ("ping", "/usr/bin"),
    ("python3", "/usr/bin"),
    ("route", "/usr/sbin"),
    ("sleep", "/usr/bin"),
    ("socat", "/usr/bin"),
    ("ss", "/usr/bin"),
    ("sysctl", "/usr/sbin"),
    ("tc", "/usr/sbin"),
    ("tcpdump", "/usr/bin"),
    ("traceroute", "/usr/sbin"),
];

/// The full path `name` has on the lab's machine, if it is installed.
pub fn installed_path(ctx: &mut Ctx, name: &str) -> Option<String> {
    let path = ctx.env.get("PATH").cloned().unwrap_or_default();
    for d in path.split(':').filter(|d| !d.is_empty()) {
        let p = format!("{}/{name}", d.trim_end_matches('/'));
        if ctx
            .fs
            .stat(&p)
            .is_ok_and(|m| !m.is_dir && m.mode & 0o111 != 0)
        {
            return Some(p);
        }
    }
    if let Some((_, d)) = INSTALLED.iter().find(|(n, _)| *n == name) {
        return Some(format!("{d}/{name}"));
    }
    if crate::programs::find(name).is_some() {
        return Some(format!("/usr/bin/{name}"));
    }
    None
}

pub fn which(ctx: &mut Ctx) -> i32 {
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "as", &[]);
    opts!(ctx, g, 2, |_o| {});
    let mut st = 0;
    for n in g.into_operands() {
        let found = if n.contains('/') {
            let p = ctx.abs(&n);
            ctx.fs
                .stat(&p)
                .is_ok_and(|m| !m.is_dir && m.mode & 0o111 != 0)
                .then_some(n.clone())
        } else {
            installed_path(ctx, &n)
        };
        match found {
            Some(p) => ctx.out(p + "\n"),
            None => st = 1,
        }
    }
    st
}

// ---------------------------------------------------------------- xargs

/// Splits xargs input into arguments: blanks and newlines separate; `'...'`, `"..."` and `\`
/// quote (GNU xargs without -0/-d). Each item carries whether it ended a line (for -L).
fn xargs_words(input: &str) -> Result<Vec<(String, bool)>, &'static str> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut have = false;
    let mut it = input.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if have {
                    out.push((std::mem::take(&mut cur), c == '\n'));
                    have = false;
                } else if c == '\n' {
                    if let Some(l) = out.last_mut() {
                        l.1 = true;
                    }
                }
            }
            '\'' | '"' => {
                have = true;
                loop {
                    match it.next() {
                        Some(q) if q == c => break,
                        Some('\n') | None => {
                            return Err(if c == '\'' { "single" } else { "double" });
                        }
                        Some(x) => cur.push(x),
                    }
                }
            }
            '\\' => {
                have = true;
                if let Some(x) = it.next() {
                    cur.push(x);
                }
            }
            _ => {
                have = true;
                cur.push(c);
            }
        }
    }
    if have {
        out.push((cur, true));
    }
    Ok(out)
}

pub fn xargs(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("null", HasArg::No, '0'),
        LongOpt::new("delimiter", HasArg::Required, 'd'),
        LongOpt::new("max-args", HasArg::Required, 'n'),
        LongOpt::new("max-lines", HasArg::Optional, 'l'),
        LongOpt::new("replace", HasArg::Optional, 'i'),
        LongOpt::new("no-run-if-empty", HasArg::No, 'r'),
        LongOpt::new("verbose", HasArg::No, 't'),
        LongOpt::new("max-procs", HasArg::Required, 'P'),
    ];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "+0d:n:L:I:rtP:s:x", LONGS);
    let (mut nul, mut delim, mut max_args, mut max_lines) = (false, None, None, None);
    let (mut replace, mut no_empty, mut trace) = (None::<String>, false, false);
    opts!(ctx, g, 1, |o| {
        match o.opt {
            '0' => nul = true,
            'd' => {
                let a = o.arg.unwrap_or_default();
                let (b, _) = super::printf::escapes(&a, false);
                delim = b.first().copied();
            }
            'n' | 'L' | 'l' => {
                let a = o.arg.unwrap_or_else(|| "1".into());
                let v: i64 = match a.parse() {
                    Ok(v) => v,
                    Err(_) => {
                        error(
                            ctx,
                            &format!("invalid number {} for -{} option", quote(&a), o.opt),
                        );
                        return try_help(ctx, 1);
                    }
                };
                if v < 1 {
                    error(
                        ctx,
                        &format!("value {v} for -{} option should be >= 1", o.opt),
                    );
                    return try_help(ctx, 1);
                }
                if o.opt == 'n' {
                    max_args = Some(v as usize);
                } else {
                    max_lines = Some(v as usize);
                }
            }
            'I' | 'i' => {
                replace = Some(o.arg.unwrap_or_else(|| "{}".into()));
            }
            'r' => no_empty = true,
            't' => trace = true,
            _ => {}
        }
    });
    let mut cmd = g.into_operands();
    if cmd.is_empty() {
        cmd.push("echo".into());
    }
    let input = String::from_utf8_lossy(ctx.stdin).into_owned();
    let items: Vec<(String, bool)> = if nul || delim.is_some() {
        let d = if nul {
            '\0'
        } else {
            delim.unwrap_or(b'\n') as char
        };
        let mut v: Vec<(String, bool)> = input.split(d).map(|s| (s.to_string(), true)).collect();
        if v.last().is_some_and(|l| l.0.is_empty()) {
            v.pop();
        }
        v
    } else if replace.is_some() {
        // -I: one argument per line, leading blanks removed
        input
            .lines()
            .map(|l| l.trim_start_matches([' ', '\t']).to_string())
            .filter(|l| !l.is_empty())
            .map(|l| (l, true))
            .collect()
    } else {
        match xargs_words(&input) {
            Ok(w) => w,
            Err(q) => {
                error(ctx, &format!("unmatched {q} quote; by default quotes are special to xargs unless you use the -0 option"));
                return 1;
            }
        }
    };
    // group the items into invocations
    let mut groups: Vec<Vec<String>> = Vec::new();
    if replace.is_some() {
        groups = items.into_iter().map(|(s, _)| vec![s]).collect();
    } else if let Some(l) = max_lines {
        let mut cur = Vec::new();
        let mut lines = 0;
        for (s, eol) in items {
            cur.push(s);
            if eol {
                lines += 1;
                if lines == l {
                    groups.push(std::mem::take(&mut cur));
                    lines = 0;
                }
            }
        }
        if !cur.is_empty() {
            groups.push(cur);
        }
    } else {
        let all: Vec<String> = items.into_iter().map(|(s, _)| s).collect();
        match max_args {
            Some(n) => groups = all.chunks(n).map(<[String]>::to_vec).collect(),
            None if !all.is_empty() => groups.push(all),
            None => {}
        }
    }
    if groups.is_empty() && !no_empty && replace.is_none() {
        groups.push(Vec::new());
    }
    let mut status = 0;
    for grp in groups {
        let argv: Vec<String> = match &replace {
            Some(r) => cmd.iter().map(|a| a.replace(r.as_str(), &grp[0])).collect(),
            None => cmd.iter().cloned().chain(grp).collect(),
        };
        if trace {
            ctx.err(argv.join(" ") + "\n");
        }
        let (out, err, st) = ctx.run_program(&argv, b"");
        ctx.out(out);
        ctx.err(err);
        match st {
            0 => {}
            127 => {
                return 127;
            }
            255 => {
                error(
                    ctx,
                    &format!("{}: exited with status 255; aborting", argv[0]),
                );
                return 124;
            }
            1..=125 => status = 123,
            _ => return 125,
        }
    }
    status
}

// ---------------------------------------------------------------- timeout

fn parse_duration(s: &str) -> Option<f64> {
    let (num, mult) = match s.chars().last() {
        Some('s') => (&s[..s.len() - 1], 1.0),
        Some('m') => (&s[..s.len() - 1], 60.0),
        Some('h') => (&s[..s.len() - 1], 3600.0),
        Some('d') => (&s[..s.len() - 1], 86400.0),
        _ => (s, 1.0),
    };
    let v: f64 = num.parse().ok()?;
    (v >= 0.0 && v.is_finite() && !num.starts_with('+')).then_some(v * mult)
}

/// timeout DURATION COMMAND: the command runs through [`Ctx::run_program`]; a program of this
/// crate finishes without simulated time passing, so the limit never strikes here (a lab's
/// long-running process under timeout is the shell's to stop).
pub fn timeout(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("signal", HasArg::Required, 's'),
        LongOpt::new("kill-after", HasArg::Required, 'k'),
        LongOpt::new("preserve-status", HasArg::No, '\u{e000}'),
        LongOpt::new("foreground", HasArg::No, '\u{e001}'),
        LongOpt::new("verbose", HasArg::No, 'v'),
    ];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "+s:k:v", LONGS);
    opts!(ctx, g, 125, |o| {
        if o.opt == 'k' {
            let a = o.arg.unwrap_or_default();
            if parse_duration(&a).is_none() {
                return usage_error(ctx, &format!("invalid time interval {}", quote(&a)), 125);
            }
        }
    });
    let ops = g.into_operands();
    if ops.len() < 2 {
        if ops.len() == 1 {
            return usage_error(
                ctx,
                &format!("missing operand after {}", quote(&ops[0])),
                125,
            );
        }
        return try_help(ctx, 125);
    }
    if parse_duration(&ops[0]).is_none() {
        return usage_error(
            ctx,
            &format!("invalid time interval {}", quote(&ops[0])),
            125,
        );
    }
    let stdin = ctx.stdin;
    let (out, err, st) = ctx.run_program(&ops[1..], stdin);
    ctx.out(out);
    if st == 127 && ctx.exec.is_none() {
        error(
            ctx,
            &format!(
                "failed to run command {}: No such file or directory",
                quote(&ops[1])
            ),
        );
        return 127;
    }
    ctx.err(err);
    let _ = bad_option;
    st
}

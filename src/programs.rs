//! The program table: which code runs for a command name, in one place.
//!
//! A command behaves the same wherever it is run: at the shell's top level, under
//! `ip netns exec NS`, `sudo`, `bash -c`/`sh -c`, `nsenter`, `env`, `timeout`, `xargs`, in a
//! pipe or a background job. The shell ([`crate::shell`]) looks a name up here once it has
//! ruled out its functions; the lab ([`crate::lab::Lab`]) looks it up again to run the
//! [`Kind::Kernel`], [`Kind::Bird`] and [`Kind::NotModelled`] ones in a namespace.

use userland::getopt::{Getopt, GetoptError, HasArg, LongOpt};
/// What runs for a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A bash builtin with no program behind it (`cd`, `export`, `local`, ...): it changes the
    /// shell itself, so only the shell runs it; under a wrapper it is "not found" in the
    /// wrapper's words (`exec of "export" failed: No such file or directory`).
    Special,
    /// A bash builtin that is also a program (`echo`, `printf`, `test`, `[`, `true`, `false`,
    /// `pwd`, `kill`): one implementation with bash's semantics, used both ways.
    Builtin,
    /// A program the shell runs itself (`sleep`: it advances the simulated clock).
    Text,
    /// A program of `userland::programs` (coreutils, grep, sed, awk, jq, ...): a pure function
    /// of its argv, stdin, environment and the lab's files.
    Userland,
    /// A network tool of `sim_models::tools::run` (`ip`, `sysctl`, `ping`, `iptables`, ...),
    /// run by the lab in the command's namespace.
    Kernel,
    /// `bird` and `birdc` (read the lab's files, find the daemon by its control socket).
    Bird,
    /// A program that runs another one.
    Wrapper(Wrapper),
    /// A program a lab may type that nslab does not model: "nslab: X is not modelled yet",
    /// status 127, counted per run.
    NotModelled,
}

/// The programs that run other programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Wrapper {
    /// `ip [-n NS] netns exec NS PROG...` (only when argv is `ip ... netns exec`).
    IpNetnsExec,
    Sudo,
    Nsenter,
    Env,
    Timeout,
    /// `bash`/`sh`: `-c STRING [ARG0 ARGS...]` or a script file.
    Shell,
    /// `command [-v|-V] NAME...` (a bash builtin: not under other wrappers).
    Command,
    /// `exec PROG...` (a bash builtin).
    Exec,
    Xargs,
    /// `nohup PROG...`, `stdbuf -oL PROG...`, `setsid PROG...`, `chrt [-f|-r|...] PRIO PROG...`:
    /// run PROG unchanged (nslab has no CPU scheduler: a scheduling policy changes nothing).
    Transparent,
    /// `unshare --net PROG...`: PROG in a new network namespace.
    Unshare,
}

/// util-linux's answer to a getopt error: glibc's message (naming `argv[0]` as typed) and
/// `errtryhelp` (naming the program by its short name), status 1.
fn util_linux_getopt_error(argv: &[String], e: &GetoptError) -> String {
    format!(
        "{}Try '{} --help' for more information.",
        e.glibc_message(&argv[0]),
        base_name(&argv[0])
    )
}

/// util-linux's `warnx(_("bad usage")); errtryhelp(EXIT_FAILURE)`.
fn util_linux_bad_usage(argv: &[String]) -> String {
    let prog = base_name(&argv[0]);
    format!("{prog}: bad usage\nTry '{prog} --help' for more information.")
}

/// chrt's `struct option longopts` (util-linux 2.38.1, schedutils/chrt.c).
const CHRT_LONGOPTS: &[LongOpt] = &[
    LongOpt::new("all-tasks", HasArg::No, 'a'),
    LongOpt::new("batch", HasArg::No, 'b'),
    LongOpt::new("deadline", HasArg::No, 'd'),
    LongOpt::new("fifo", HasArg::No, 'f'),
    LongOpt::new("idle", HasArg::No, 'i'),
    LongOpt::new("pid", HasArg::No, 'p'),
    LongOpt::new("help", HasArg::No, 'h'),
    LongOpt::new("max", HasArg::No, 'm'),
    LongOpt::new("other", HasArg::No, 'o'),
    LongOpt::new("rr", HasArg::No, 'r'),
    LongOpt::new("sched-runtime", HasArg::Required, 'T'),
    LongOpt::new("sched-period", HasArg::Required, 'P'),
    LongOpt::new("sched-deadline", HasArg::Required, 'D'),
    LongOpt::new("reset-on-fork", HasArg::No, 'R'),
    LongOpt::new("verbose", HasArg::No, 'v'),
    LongOpt::new("version", HasArg::No, 'V'),
];

/// `chrt [POLICY] PRIO PROG...` (util-linux 2.38.1): `Ok(index of PROG)`; `Err(Some(message))`
/// for what chrt refuses (status 1): an option getopt rejects, a bad usage (no PRIO or no
/// PROG), a priority `strtos32_or_err` cannot read or the policy does not take;
/// `Err(None)` for what is not modelled (`-p PID`, `-m`, `-h`, `-V`, `-a`, `-v`, the deadline
/// options). The policy options are util-linux's (`-f` FIFO and `-r` RR take 1-99, RR the
/// default; `-o` other, `-b` batch and `-i` idle take 0; `-R` resets on fork), parsed by glibc
/// getopt with chrt's optstring `+abdD:fiphmoP:T:rRvV` (options end at the first operand).
pub fn chrt_args(argv: &[String]) -> Result<usize, Option<String>> {
    let args = argv.get(1..).unwrap_or(&[]);
    let mut g = Getopt::new(args, "+abdD:fiphmoP:T:rRvV", CHRT_LONGOPTS);
    let mut realtime = true;
    let mut unmodelled = false;
    while let Some(o) = g.next() {
        match o.map_err(|e| Some(util_linux_getopt_error(argv, &e)))?.opt {
            'f' | 'r' => realtime = true,
            'o' | 'b' | 'i' => realtime = false,
            'R' => {}
            // Flags chrt only records: a later bad option is still reported.
            'a' | 'd' | 'v' => unmodelled = true,
            // -p and -T/-P/-D read their value at once (a bad one ends chrt there); -h, -m
            // and -V print and exit.
            _ => return Err(None),
        }
    }
    let ops = g.operands();
    if ops.len() < 2 {
        return Err(Some(util_linux_bad_usage(argv)));
    }
    if unmodelled {
        return Err(None);
    }
    let word = &ops[0];
    let prio = strtos32_or_err(word)
        .map_err(|e| Some(format!("chrt: invalid priority argument: '{word}'{e}")))?;
    let ok = if realtime {
        (1..=99).contains(&prio)
    } else {
        prio == 0
    };
    if ok {
        Ok(argv.len() - ops.len() + 1)
    } else {
        Err(Some(format!(
            "chrt: unsupported priority value for the policy: {prio}: see --max for valid range"
        )))
    }
}

/// util-linux's `strtos32_or_err` (`ul_strtos64` = `strtoimax(str, &end, 10)`, then the
/// int32 range): leading white space and a sign are taken, nothing may follow the digits.
/// The error's suffix: `": Numerical result out of range"` for a number out of range (`err`
/// with ERANGE), empty for anything else (`errx`).
fn strtos32_or_err(word: &str) -> Result<i32, &'static str> {
    const ERANGE: &str = ": Numerical result out of range";
    // C isspace in the "C" locale
    let t = word.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("");
    }
    // strtoimax saturates (ERANGE) past 64 bits; strtos32_or_err then checks 32.
    let mut v: i128 = 0;
    for b in digits.bytes() {
        v = (v * 10 + i128::from(b - b'0')).min(i128::from(u64::MAX));
    }
    let v = if neg { -v } else { v };
    i32::try_from(v).map_err(|_| ERANGE)
}

/// taskset's `struct option longopts` (util-linux 2.38.1, schedutils/taskset.c).
const TASKSET_LONGOPTS: &[LongOpt] = &[
    LongOpt::new("all-tasks", HasArg::No, 'a'),
    LongOpt::new("pid", HasArg::No, 'p'),
    LongOpt::new("cpu-list", HasArg::No, 'c'),
    LongOpt::new("help", HasArg::No, 'h'),
    LongOpt::new("version", HasArg::No, 'V'),
];

/// util-linux's `taskset [-a] [-c] MASK|LIST PROG ARGS...` (glibc getopt, optstring `+apchV`):
/// the index of PROG. nslab runs every process on one CPU, CPU 0, so a set that includes it is
/// what the model does anyway and the command just runs; a set without it, `-p` (another
/// process's affinity), `-h` and `-V` are not modelled (`Err(None)`); an option getopt
/// rejects, a bad usage (no set or no PROG) and a set that does not parse are taskset's
/// errors (`Err(Some(text))`, status 1).
pub fn taskset_args(argv: &[String]) -> Result<usize, Option<String>> {
    let args = argv.get(1..).unwrap_or(&[]);
    let mut g = Getopt::new(args, "+apchV", TASKSET_LONGOPTS);
    let mut list = false;
    while let Some(o) = g.next() {
        match o.map_err(|e| Some(util_linux_getopt_error(argv, &e)))?.opt {
            // -a matters with -p only
            'a' => {}
            'c' => list = true,
            // -p reads the PID (the last word) at once; -h and -V print and exit.
            _ => return Err(None),
        }
    }
    let ops = g.operands();
    if ops.len() < 2 {
        return Err(Some(util_linux_bad_usage(argv)));
    }
    let i = argv.len() - ops.len();
    let word = &argv[i];
    let cpu0 = if list {
        // cpulist_parse: N, N-M or N-M:STRIDE, comma separated.
        let mut cpu0 = false;
        for part in word.split(',') {
            let (range, stride) = match part.split_once(':') {
                Some((r, s)) => (r, Some(s)),
                None => (part, None),
            };
            let (a, b) = range.split_once('-').unwrap_or((range, range));
            let num = |x: &str| {
                (!x.is_empty() && x.bytes().all(|c| c.is_ascii_digit()))
                    .then(|| x.parse::<u32>().ok())
                    .flatten()
            };
            let stride_ok = stride.is_none_or(|s| num(s).is_some_and(|n| n > 0));
            match (num(a), num(b)) {
                (Some(x), Some(y)) if x <= y && stride_ok => cpu0 |= x == 0,
                _ => return Err(Some(format!("taskset: failed to parse CPU list: {word}"))),
            }
        }
        cpu0
    } else {
        // cpumask_parse: hexadecimal, an optional 0x.
        let hex = word
            .strip_prefix("0x")
            .or_else(|| word.strip_prefix("0X"))
            .unwrap_or(word);
        if hex.is_empty() || !hex.bytes().all(|c| c.is_ascii_hexdigit() || c == b',') {
            return Err(Some(format!("taskset: failed to parse CPU mask: {word}")));
        }
        hex.bytes()
            .rev()
            .find(|&c| c != b',')
            .and_then(|c| (c as char).to_digit(16))
            .is_some_and(|d| d & 1 == 1)
    };
    if !cpu0 {
        return Err(None);
    }
    Ok(i + 1)
}

/// bash builtins that are no program.
const SPECIAL: &[&str] = &[
    ".",
    ":",
    "alias",
    "bg",
    "break",
    "builtin",
    "caller",
    "cd",
    "compgen",
    "complete",
    "continue",
    "declare",
    "dirs",
    "disown",
    "enable",
    "eval",
    "exit",
    "export",
    "fc",
    "fg",
    "getopts",
    "hash",
    "help",
    "history",
    "jobs",
    "let",
    "local",
    "logout",
    "mapfile",
    "popd",
    "pushd",
    "read",
    "readarray",
    "readonly",
    "return",
    "set",
    "shift",
    "shopt",
    "source",
    "suspend",
    "times",
    "trap",
    "type",
    "typeset",
    "ulimit",
    "umask",
    "unalias",
    "unset",
    "wait",
];

/// bash builtins that are also programs (coreutils / procps).
const BUILTIN: &[&str] = &[
    "[", "echo", "false", "kill", "printf", "pwd", "test", "true",
];

/// Programs the shell runs itself although they are no bash builtin: `sleep` advances the
/// simulated clock, which only the shell and the lab can do.
const TEXT: &[&str] = &["sleep"];

/// Programs `sim_models::tools::run` (or the lab, for the restore tools) implements besides
/// `tools::PROGRAMS`.
const KERNEL_EXTRA: &[&str] = &[
    "iptables-legacy",
    "iptables-legacy-restore",
    "iptables-legacy-save",
    "iptables-restore",
];

/// Programs users type that nslab does not model yet.
pub const NOT_MODELLED: &[&str] = &[
    "arptables",
    "bpftool",
    "dhclient",
    "dig",
    "dnsmasq",
    "ebtables",
    "host",
    "hping3",
    "ip6tables",
    "ip6tables-restore",
    "ip6tables-save",
    "iperf",
    "iperf3",
    "ipset",
    "ipvsadm",
    "iw",
    "mausezahn",
    "modprobe",
    "mtr",
    "ndisc6",
    "netperf",
    "netserver",
    "netstat",
    // The kernel selftests' helper (tools/testing/selftests/net/nettest.c): fib_rule_tests.sh
    // checks that it exists before any test (`which nettest`); the IPv4 subtests nslab runs
    // never call it, so it is listed (found by `command -v`/`which`) and refused when run.
    "nettest",
    "nft",
    "nslookup",
    "nstat",
    "ovs-vsctl",
    "perl",
    "ping6",
    "python",
    "teamd",
    "tracepath",
    "tshark",
    "wg",
];

/// Where `command -v` finds a program (Debian's merged /usr, as on the recording machine).
const SBIN: &[&str] = &[
    "arp",
    "arptables",
    "bridge",
    "brctl",
    "conntrack",
    "ebtables",
    "ethtool",
    "ifconfig",
    "ip",
    "ip6tables",
    "ipset",
    "iptables",
    "iptables-legacy",
    "iptables-legacy-restore",
    "iptables-legacy-save",
    "iptables-restore",
    "iptables-save",
    "modprobe",
    "nft",
    "route",
    "sysctl",
    "tc",
    "bird",
    "birdc",
];

/// The kind of program called `name` (a path's last component), `None` for an unknown one.
/// `argv` lets `ip netns exec` be told from other `ip` commands.
pub fn lookup(name: &str) -> Option<Kind> {
    let base = base_name(name);
    if base.len() != name.len() && (SPECIAL.contains(&base) || base == "command" || base == "exec")
    {
        // `/usr/bin/cd` does not exist
        return None;
    }
    let (t, first, ip) = table();
    // `ip`, most of a lab's commands (several lookups each): its kind, found once
    if base == "ip" {
        return *ip;
    }
    search(t, first, base)
}

/// `name`'s kind in the table: a search among the names of its first byte only.
fn search(t: &[(&'static str, Kind)], first: &[u32; 257], name: &str) -> Option<Kind> {
    let b = usize::from(*name.as_bytes().first()?);
    let t = &t[first[b] as usize..first[b + 1] as usize];
    t.binary_search_by(|(n, _)| (n.len(), *n).cmp(&(name.len(), name)))
        .ok()
        .map(|i| t[i].1)
}

/// The table of names (sorted by first byte, length and name), for each byte value B where
/// the names whose first byte is B start (`first[B]..first[B + 1]`), and the kind of `ip`.
type Table = (Vec<(&'static str, Kind)>, [u32; 257], Option<Kind>);

/// Every name [`lookup`] knows with its kind, sorted by name, built once: the lists in the
/// order `lookup` decides (a name in several lists is of the first one's kind), so a lookup is
/// one binary search instead of a scan of each list (it runs for every command).
fn table() -> &'static Table {
    static TABLE: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let wrappers: &[(&[&'static str], Wrapper)] = &[
            (&["sudo"], Wrapper::Sudo),
            (&["nsenter"], Wrapper::Nsenter),
            (&["unshare"], Wrapper::Unshare),
            (&["env"], Wrapper::Env),
            (&["timeout"], Wrapper::Timeout),
            (&["bash", "sh", "dash"], Wrapper::Shell),
            (&["command"], Wrapper::Command),
            (&["exec"], Wrapper::Exec),
            (&["xargs"], Wrapper::Xargs),
            (
                &["nohup", "setsid", "stdbuf", "chrt", "taskset"],
                Wrapper::Transparent,
            ),
        ];
        let mut lists: Vec<(&[&'static str], Kind)> =
            vec![(SPECIAL, Kind::Special), (BUILTIN, Kind::Builtin)];
        lists.extend(wrappers.iter().map(|&(names, w)| (names, Kind::Wrapper(w))));
        let userland: Vec<&'static str> = userland::programs::PROGRAMS
            .iter()
            .map(|(n, _)| *n)
            .collect();
        lists.push((&userland, Kind::Userland));
        lists.push((TEXT, Kind::Text));
        lists.push((&["bird", "birdc"], Kind::Bird));
        lists.push((sim_models::tools::PROGRAMS, Kind::Kernel));
        lists.push((KERNEL_EXTRA, Kind::Kernel));
        lists.push((NOT_MODELLED, Kind::NotModelled));
        let mut t: Vec<(&'static str, Kind)> = lists
            .iter()
            .flat_map(|&(names, k)| names.iter().map(move |&n| (n, k)))
            .collect();
        // a stable sort keeps a name's first kind first; dedup keeps that one
        t.sort_by(|a, b| a.0.cmp(b.0));
        t.dedup_by(|b, a| a.0 == b.0);
        // then by first byte, length and name: a search within a first byte's names
        // compares lengths, and the bytes only of the names as long as the one looked up
        t.sort_by(|a, b| {
            (a.0.as_bytes().first(), a.0.len(), a.0).cmp(&(b.0.as_bytes().first(), b.0.len(), b.0))
        });
        let mut first = [0u32; 257];
        for (b, f) in first.iter_mut().enumerate() {
            *f = t
                .iter()
                .take_while(|(n, _)| n.as_bytes().first().map_or(0, |&c| usize::from(c)) < b)
                .count() as u32;
        }
        let ip = search(&t, &first, "ip");
        (t, first, ip)
    })
}

/// A path's last component (`/sbin/ip` → `ip`). (A byte scan: `rsplit('/')` costs a
/// hundred instructions a call, and it runs several times for every command.)
pub fn base_name(path: &str) -> &str {
    match path.bytes().rposition(|b| b == b'/') {
        Some(i) => &path[i + 1..],
        None => path,
    }
}

/// The kind of the command `argv`: as [`lookup`], but `ip ... netns exec` is a wrapper.
pub fn lookup_argv(argv: &[String]) -> Option<Kind> {
    let name = argv.first()?;
    let kind = lookup(name);
    if kind == Some(Kind::Kernel) && base_name(name) == "ip" && ip_netns_exec(argv) {
        return Some(Kind::Wrapper(Wrapper::IpNetnsExec));
    }
    kind
}

/// Is `argv` `ip [OPTIONS] netns exec ...` (iproute2's abbreviations: `netn`, `e`)?
fn ip_netns_exec(argv: &[String]) -> bool {
    let args = &argv[1..];
    let mut i = 0;
    while i < args.len() && args[i].starts_with('-') {
        // options with a value
        if matches!(
            args[i].as_str(),
            "-n" | "-ne"
                | "-net"
                | "-netn"
                | "-netns"
                | "-f"
                | "-family"
                | "-b"
                | "-batch"
                | "-rc"
                | "-rcvbuf"
                | "-l"
                | "-loops"
        ) {
            i += 1;
        }
        i += 1;
    }
    let (Some(obj), Some(cmd)) = (args.get(i), args.get(i + 1)) else {
        return false;
    };
    let abbrev = |w: &str, full: &str, min: usize| w.len() >= min && full.starts_with(w);
    abbrev(obj, "netns", 2) && abbrev(cmd, "exec", 1)
}

/// Where `ip netns exec`'s program starts in `argv` (after `exec NAME`), and the name.
pub fn ip_netns_exec_split(argv: &[String]) -> (Option<&str>, &[String]) {
    let mut i = 1;
    while i < argv.len() && argv[i].starts_with('-') {
        if matches!(
            argv[i].as_str(),
            "-n" | "-ne"
                | "-net"
                | "-netn"
                | "-netns"
                | "-f"
                | "-family"
                | "-b"
                | "-batch"
                | "-rc"
                | "-rcvbuf"
                | "-l"
                | "-loops"
        ) {
            i += 1;
        }
        i += 1;
    }
    // argv[i] = netns, argv[i+1] = exec
    let name = argv.get(i + 2).map(String::as_str);
    (name, argv.get(i + 3..).unwrap_or(&[]))
}

/// What `command -v NAME` prints for a program (not a builtin or function), `None` if there
/// is no such program.
pub fn path_of(name: &str) -> Option<String> {
    if name.contains('/') {
        return lookup(name).map(|_| name.to_string());
    }
    match lookup(name)? {
        Kind::Special | Kind::Wrapper(Wrapper::Command) | Kind::Wrapper(Wrapper::Exec) => None,
        _ if SBIN.contains(&name) => Some(format!("/usr/sbin/{name}")),
        _ => Some(format!("/usr/bin/{name}")),
    }
}

/// Is `name` a bash builtin (for `type`, `command -v`)?
pub fn is_bash_builtin(name: &str) -> bool {
    SPECIAL.contains(&name) || BUILTIN.contains(&name) || matches!(name, "command" | "exec")
}

/// Every name in the table with its kind (for the both-ways test and `--help` style lists).
pub fn all() -> Vec<(&'static str, Kind)> {
    let mut v: Vec<(&'static str, Kind)> = Vec::new();
    for n in SPECIAL
        .iter()
        .chain(BUILTIN)
        .chain(TEXT)
        .chain(KERNEL_EXTRA)
        .chain(NOT_MODELLED)
        .chain(sim_models::tools::PROGRAMS.iter())
        .chain(userland::programs::PROGRAMS.iter().map(|(n, _)| n))
        .chain(&[
            "bird", "birdc", "sudo", "nsenter", "unshare", "env", "timeout", "bash", "sh",
            "command", "exec", "xargs", "nohup", "setsid", "stdbuf", "chrt", "taskset",
        ])
    {
        if let Some(k) = lookup(n) {
            if !v.iter().any(|(m, _)| m == n) {
                v.push((n, k));
            }
        }
    }
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::Lab;

    /// The table gives every name the kind of the first list holding it, as the scan of the
    /// lists in `lookup`'s order did (`[` and `kill` are builtins before they are userland
    /// programs, `bash` a wrapper).
    #[test]
    fn lookup_table_keeps_the_lists_order() {
        let first_kind = |n: &str| {
            if SPECIAL.contains(&n) {
                Some(Kind::Special)
            } else if BUILTIN.contains(&n) {
                Some(Kind::Builtin)
            } else if let Some(w) = match n {
                "sudo" => Some(Wrapper::Sudo),
                "nsenter" => Some(Wrapper::Nsenter),
                "unshare" => Some(Wrapper::Unshare),
                "env" => Some(Wrapper::Env),
                "timeout" => Some(Wrapper::Timeout),
                "bash" | "sh" | "dash" => Some(Wrapper::Shell),
                "command" => Some(Wrapper::Command),
                "exec" => Some(Wrapper::Exec),
                "xargs" => Some(Wrapper::Xargs),
                "nohup" | "setsid" | "stdbuf" | "chrt" | "taskset" => Some(Wrapper::Transparent),
                _ => None,
            } {
                Some(Kind::Wrapper(w))
            } else if userland::programs::find(n).is_some() {
                Some(Kind::Userland)
            } else if TEXT.contains(&n) {
                Some(Kind::Text)
            } else if n == "bird" || n == "birdc" {
                Some(Kind::Bird)
            } else if sim_models::tools::PROGRAMS.contains(&n) || KERNEL_EXTRA.contains(&n) {
                Some(Kind::Kernel)
            } else if NOT_MODELLED.contains(&n) {
                Some(Kind::NotModelled)
            } else {
                None
            }
        };
        let userland: Vec<&str> = userland::programs::PROGRAMS
            .iter()
            .map(|(n, _)| *n)
            .collect();
        let all = [
            SPECIAL,
            BUILTIN,
            TEXT,
            KERNEL_EXTRA,
            NOT_MODELLED,
            sim_models::tools::PROGRAMS,
            &userland,
            &["bird", "birdc", "sudo", "bash", "chrt", "nosuchprogram", ""],
        ];
        for n in all.iter().flat_map(|l| l.iter()) {
            assert_eq!(lookup(n), first_kind(n), "{n}");
            // `/usr/bin/cd` does not exist
            let path = format!("/usr/bin/{n}");
            let expect = match first_kind(n) {
                Some(Kind::Special | Kind::Wrapper(Wrapper::Command | Wrapper::Exec)) => None,
                k => k,
            };
            assert_eq!(lookup(&path), expect, "{path}");
        }
        assert_eq!(lookup("["), Some(Kind::Builtin));
        assert_eq!(lookup("bash"), Some(Kind::Wrapper(Wrapper::Shell)));
        assert_eq!(lookup("ip"), Some(Kind::Kernel));
    }

    /// A command line exercising `name` whose output does not depend on the namespace it runs
    /// in (an error, a constant, the standard input), `None` for bash-only builtins.
    fn example(name: &str, kind: Kind) -> Option<String> {
        let s = match (name, kind) {
            (_, Kind::Special) | ("command" | "exec", _) => return None,
            ("echo", _) => "echo -n hi -e 'a\\tb'".into(),
            ("printf", _) => "printf '%s=%03d %q\\n' a 7 'x y'".into(),
            ("test", _) => "test 3 -gt 2 -a -n x".into(),
            ("[", _) => "[ a = b ]".into(),
            ("true" | "false", _) => name.into(),
            ("pwd", _) => "pwd".into(),
            ("kill", _) => "kill -l".into(),
            ("grep", _) => "grep -c b".into(),
            ("wc", _) => "wc -l".into(),
            ("head" | "tail", _) => format!("{name} -n 1"),
            ("cat", _) => "cat - /etc/hosts".into(),
            ("sort", _) => "sort -r".into(),
            ("seq", _) => "seq 2 4".into(),
            ("sleep", _) => "sleep 0.5".into(),
            ("ip", _) => "ip link show dev nosuch".into(),
            ("sysctl", _) => "sysctl net.ipv4.conf.all.forwarding net.nosuch".into(),
            ("ping", _) => "ping -c 1 nosuch.invalid".into(),
            ("python3", _) => "python3 -c 'print(1)'".into(),
            ("bird", _) => "bird -c nosuch.conf".into(),
            ("birdc", _) => "birdc show status".into(),
            ("iptables-restore" | "iptables-legacy-restore", _) => format!("{name} nosuch.rules"),
            ("sudo" | "nohup" | "setsid", _) => format!("{name} echo hi"),
            ("stdbuf", _) => "stdbuf -oL echo hi".into(),
            ("chrt", _) => "chrt -f 50 echo hi".into(),
            ("taskset", _) => "taskset -c 0 echo hi".into(),
            ("env", _) => "env -i A=1 B=2 env".into(),
            ("timeout", _) => "timeout 5 echo hi".into(),
            ("bash" | "sh", _) => format!("{name} -c 'echo $0 $1; exit 3' a b"),
            ("nsenter", _) => "nsenter --net=/var/run/netns/ns1 sysctl net.ipv4.ip_forward".into(),
            ("xargs", _) => "xargs -n 1 echo x".into(),
            (_, Kind::Userland) => format!("{name} --version"),
            (_, Kind::NotModelled) => format!("{name} -x"),
            _ => format!("{name} --nslab-no-such-option"),
        };
        Some(s)
    }

    fn terminal(cmd: &str) -> String {
        let src = format!("ip netns add ns1\nprintf 'a\\nb\\n' | {cmd}; echo \"st=$?\"\n");
        let mut lab = Lab::new(1);
        lab.run_shell(&src, "lab.sh");
        lab.output()
    }

    /// `cmd` as a background job whose status `wait` collects.
    fn terminal_bg(cmd: &str) -> String {
        let src =
            format!("ip netns add ns1\n{cmd} <<'EOF' &\na\nb\nEOF\nwait $!; echo \"st=$?\"\n");
        let mut lab = Lab::new(1);
        lab.run_shell(&src, "lab.sh");
        lab.output()
    }

    /// `s` single-quoted for the shell.
    fn sq(s: &str) -> String {
        format!("'{}'", s.replace('\'', "'\\''"))
    }

    #[test]
    fn every_program_runs_the_same_at_the_top_level_and_under_wrappers() {
        let mut checked = 0;
        for (name, kind) in all() {
            let Some(cmd) = example(name, kind) else {
                continue;
            };
            let top = terminal(&cmd);
            assert!(top.contains("st="), "{name}: {top}");
            for w in [
                "ip netns exec ns1 ",
                "sudo ",
                "nsenter --net=/var/run/netns/ns1 ",
                "timeout 10 ",
            ] {
                let wrapped = terminal(&format!("{w}{cmd}"));
                assert_eq!(top, wrapped, "{name} under `{w}`");
            }
            // bash -c (its own errors name `bash: -c`, so only programs that print none)
            let via_bash = terminal(&format!("bash -c {}", sq(&cmd)));
            if !top.contains("lab.sh: line") {
                assert_eq!(top, via_bash, "{name} under bash -c");
            }
            assert_eq!(top, terminal_bg(&cmd), "{name} as a background job");
            checked += 1;
        }
        assert!(checked > 40, "{checked}");
    }

    #[test]
    fn shell_only_builtins_are_not_programs_under_wrappers() {
        // recorded with iproute2 6.1, util-linux 2.38, coreutils 9.1
        assert_eq!(
            terminal("ip netns exec ns1 export"),
            "lab.sh:2: exec of \"export\" failed: No such file or directory\nst=1\n"
        );
        assert_eq!(
            terminal("nsenter --net=/var/run/netns/ns1 cd"),
            "lab.sh:2: nsenter: failed to execute cd: No such file or directory\nst=127\n"
        );
        assert_eq!(
            terminal("env local"),
            "lab.sh:2: env: \u{2018}local\u{2019}: No such file or directory\nst=127\n"
        );
        assert_eq!(
            terminal("timeout 1 set"),
            "lab.sh:2: timeout: failed to run command \u{2018}set\u{2019}: No such file or directory\nst=127\n"
        );
        assert_eq!(
            terminal("ip netns exec nope true"),
            "lab.sh:2: Cannot open network namespace \"nope\": No such file or directory\nst=255\n"
        );
        assert_eq!(
            terminal("nsenter --net=/var/run/netns/nope true"),
            "lab.sh:2: nsenter: cannot open /var/run/netns/nope: No such file or directory\nst=1\n"
        );
    }

    #[test]
    fn chrt_runs_its_program() {
        // recorded with util-linux 2.38's chrt
        assert_eq!(terminal("chrt -f 50 echo hi"), "hi\nst=0\n");
        assert_eq!(terminal("chrt 50 echo hi"), "hi\nst=0\n");
        assert_eq!(
            terminal("chrt -o 50 echo hi"),
            "lab.sh:2: chrt: unsupported priority value for the policy: 50: see --max for valid range\nst=1\n"
        );
        assert_eq!(
            terminal("chrt -f 0 echo hi"),
            "lab.sh:2: chrt: unsupported priority value for the policy: 0: see --max for valid range\nst=1\n"
        );
        assert_eq!(
            terminal("chrt -f 50 nosuch"),
            "lab.sh:2: chrt: failed to execute nosuch: No such file or directory\nst=127\n"
        );
        assert!(terminal("chrt -p 1").contains("nslab: chrt -p 1 is not modelled yet"));
    }

    #[test]
    fn taskset_runs_its_program() {
        // recorded with util-linux 2.38.1's taskset
        assert_eq!(terminal("taskset -c 0 echo hi"), "hi\nst=0\n");
        assert_eq!(terminal("taskset 1 echo hi"), "hi\nst=0\n");
        assert_eq!(terminal("taskset -c 0-1 echo hi"), "hi\nst=0\n");
        assert_eq!(
            terminal("taskset -c x echo hi"),
            "lab.sh:2: taskset: failed to parse CPU list: x\nst=1\n"
        );
        assert_eq!(
            terminal("taskset zz echo hi"),
            "lab.sh:2: taskset: failed to parse CPU mask: zz\nst=1\n"
        );
        assert_eq!(
            terminal("taskset -c 0 nosuchcmd"),
            "lab.sh:2: taskset: failed to execute nosuchcmd: No such file or directory\nst=127\n"
        );
        // The model is one CPU: another CPU, another process's affinity are not modelled.
        assert!(terminal("taskset -c 1 echo hi").contains("is not modelled yet"));
        assert!(terminal("taskset -p 1").contains("is not modelled yet"));
    }

    /// chrt and taskset through glibc getopt, as util-linux 2.38.1 on Debian 12 answers:
    /// `(command line, its stderr, its status)`, each recorded by running the real tool
    /// (`bash -c 'CMD'`; the successful ones print `hi`). A getopt error is glibc's text (the
    /// program as typed) and util-linux's `Try '... --help'` (its short name); a bad usage, a
    /// priority chrt cannot read or its policy refuses are chrt's texts.
    const UTIL_LINUX_RECORDED: &[(&str, &str, i32)] = &[
        ("chrt -z 1 echo", "chrt: invalid option -- 'z'\nTry 'chrt --help' for more information.\n", 1),
        ("/usr/bin/chrt -z 1 echo", "/usr/bin/chrt: invalid option -- 'z'\nTry 'chrt --help' for more information.\n", 1),
        ("chrt", "chrt: bad usage\nTry 'chrt --help' for more information.\n", 1),
        ("chrt 50", "chrt: bad usage\nTry 'chrt --help' for more information.\n", 1),
        ("chrt -f", "chrt: bad usage\nTry 'chrt --help' for more information.\n", 1),
        ("chrt -f 50", "chrt: bad usage\nTry 'chrt --help' for more information.\n", 1),
        ("chrt --foo 1 echo hi", "chrt: unrecognized option '--foo'\nTry 'chrt --help' for more information.\n", 1),
        ("chrt -T", "chrt: option requires an argument -- 'T'\nTry 'chrt --help' for more information.\n", 1),
        ("chrt --sched-runtime", "chrt: option '--sched-runtime' requires an argument\nTry 'chrt --help' for more information.\n", 1),
        ("chrt --fifo=1 50 echo hi", "chrt: option '--fifo' doesn't allow an argument\nTry 'chrt --help' for more information.\n", 1),
        ("chrt -z -h", "chrt: invalid option -- 'z'\nTry 'chrt --help' for more information.\n", 1),
        ("chrt -f -5 echo hi", "chrt: invalid option -- '5'\nTry 'chrt --help' for more information.\n", 1),
        ("chrt -f x echo hi", "chrt: invalid priority argument: 'x'\n", 1),
        ("chrt -f 0x10 echo hi", "chrt: invalid priority argument: '0x10'\n", 1),
        ("chrt -f '5 ' echo hi", "chrt: invalid priority argument: '5 '\n", 1),
        ("chrt -f '' echo hi", "chrt: invalid priority argument: ''\n", 1),
        ("chrt -f 99999999999 echo hi", "chrt: invalid priority argument: '99999999999': Numerical result out of range\n", 1),
        ("chrt -f 100 echo hi", "chrt: unsupported priority value for the policy: 100: see --max for valid range\n", 1),
        ("chrt -f -- -5 echo hi", "chrt: unsupported priority value for the policy: -5: see --max for valid range\n", 1),
        ("chrt -i 1 echo hi", "chrt: unsupported priority value for the policy: 1: see --max for valid range\n", 1),
        ("chrt 50 -- echo hi", "chrt: failed to execute --: No such file or directory\n", 127),
        ("chrt -f 50 -x", "chrt: failed to execute -x: No such file or directory\n", 127),
        ("chrt --fi 50 echo hi", "", 0),
        ("chrt --f 50 echo hi", "", 0),
        ("chrt -- 50 echo hi", "", 0),
        ("chrt -f -- 50 echo hi", "", 0),
        ("chrt -f ' 5' echo hi", "", 0),
        ("chrt -f +5 echo hi", "", 0),
        ("chrt -f 010 echo hi", "", 0),
        ("chrt -b 0 echo hi", "", 0),
        ("chrt -R 50 echo hi", "", 0),
        ("chrt -fo 0 echo hi", "", 0),
        ("chrt -of 50 echo hi", "", 0),
        ("chrt --other --rr 5 echo hi", "", 0),
        ("taskset -x 1 echo hi", "taskset: invalid option -- 'x'\nTry 'taskset --help' for more information.\n", 1),
        ("/usr/bin/taskset -x", "/usr/bin/taskset: invalid option -- 'x'\nTry 'taskset --help' for more information.\n", 1),
        ("taskset", "taskset: bad usage\nTry 'taskset --help' for more information.\n", 1),
        ("taskset 1", "taskset: bad usage\nTry 'taskset --help' for more information.\n", 1),
        ("taskset -c", "taskset: bad usage\nTry 'taskset --help' for more information.\n", 1),
        ("taskset -c 0", "taskset: bad usage\nTry 'taskset --help' for more information.\n", 1),
        ("taskset --foo 1 echo hi", "taskset: unrecognized option '--foo'\nTry 'taskset --help' for more information.\n", 1),
        ("taskset --cpu-list=0 0 echo hi", "taskset: option '--cpu-list' doesn't allow an argument\nTry 'taskset --help' for more information.\n", 1),
        ("taskset -c -1 echo hi", "taskset: invalid option -- '1'\nTry 'taskset --help' for more information.\n", 1),
        ("taskset -x -h", "taskset: invalid option -- 'x'\nTry 'taskset --help' for more information.\n", 1),
        ("taskset 1 -- echo hi", "taskset: failed to execute --: No such file or directory\n", 127),
        ("taskset 1 -x", "taskset: failed to execute -x: No such file or directory\n", 127),
        ("taskset --cpu 0 echo hi", "", 0),
        ("taskset --c 0 echo hi", "", 0),
        ("taskset -- 1 echo hi", "", 0),
        ("taskset -ac 0 echo hi", "", 0),
        ("taskset -c -- 0 echo hi", "", 0),
        ("taskset -a 1 echo hi", "", 0),
        ("taskset --all 1 echo hi", "", 0),
        ("taskset --a 1 echo hi", "", 0),
    ];

    #[test]
    fn chrt_and_taskset_options_answer_as_util_linux() {
        for (cmd, stderr, status) in UTIL_LINUX_RECORDED {
            let want = match (*stderr, *status) {
                ("", 0) => "hi\nst=0\n".to_string(),
                (e, st) => format!("lab.sh:2: {e}st={st}\n"),
            };
            assert_eq!(terminal(cmd), want, "{cmd}");
        }
    }

    /// The recorded table against the real chrt and taskset where they are installed (their
    /// error cases only: those fail before any scheduling call, so they change nothing on the
    /// machine and need no privilege).
    #[test]
    fn recorded_chrt_and_taskset_errors_are_the_installed_tools() {
        let mut checked = 0;
        for (cmd, stderr, status) in UTIL_LINUX_RECORDED {
            let prog = cmd.split(' ').next().unwrap_or("");
            let bin = format!("/usr/bin/{}", prog.trim_start_matches("/usr/bin/"));
            if *status == 0 || !std::path::Path::new(&bin).exists() {
                continue;
            }
            let Ok(out) = std::process::Command::new("bash")
                .arg("-c")
                .arg(cmd)
                .output()
            else {
                continue;
            };
            assert_eq!(
                (
                    String::from_utf8_lossy(&out.stderr).as_ref(),
                    out.status.code()
                ),
                (*stderr, Some(*status)),
                "{cmd}"
            );
            checked += 1;
        }
        eprintln!("{checked} chrt/taskset errors checked against the installed tools");
    }

    #[test]
    fn not_modelled_programs_are_counted_per_run() {
        let mut lab = Lab::new(1);
        lab.run_shell(
            "nft list ruleset\nip netns add a\nip netns exec a nft list ruleset\nebtables -L\n",
            "lab.sh",
        );
        assert_eq!(
            lab.output(),
            "lab.sh:1: nslab: nft is not modelled yet\nlab.sh:3: nslab: nft is not modelled yet\n\
             lab.sh:4: nslab: ebtables is not modelled yet\nnslab: not modelled in this lab: ebtables (1), nft (2)\n"
        );
    }
}

#[cfg(test)]
mod timeout_tests {
    use crate::lab::Lab;

    #[test]
    fn timeout_stops_a_program_at_its_deadline_with_status_124() {
        // recorded: `ip netns exec X timeout 2.5 ping 127.0.0.1` (iputils 20221126) prints three
        // replies and no statistics (SIGTERM is not one of the signals ping reports on), and
        // timeout exits 124; `timeout 1 sleep 3` exits 124 after 1 s
        let mut lab = Lab::new(1);
        lab.run_shell(
            "ip netns add a\nip -n a link set lo up\ntimeout 2.5 ip netns exec a ping 127.0.0.1; echo \"st=$?\"\ntimeout 1 sleep 3; echo \"st=$?\"\n",
            "lab.sh",
        );
        let out = lab.output();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 6, "{out}");
        assert_eq!(lines[0], "PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.");
        assert!(lines[3].starts_with("64 bytes from 127.0.0.1: icmp_seq=3 ttl=64 time="));
        assert_eq!(&lines[4..], ["st=124", "st=124"]);
    }
}

#[cfg(test)]
mod background_tests {
    use crate::lab::Lab;

    #[test]
    fn background_servers_under_wrappers_are_processes_in_their_namespace() {
        // `nsenter --net=...`, `ip netns exec X bash -c "..."` and `env A=1 ...` in the
        // background (and `chrt -f 50 ...` under it) start the server in namespace a (they used
        // to run in the foreground
        // until the command time limit)
        let mut lab = Lab::new(1);
        lab.run_shell(
            "ip netns add a\nip -n a link set lo up\n\
             nsenter --net=/var/run/netns/a python3 -m http.server 8000 &\n\
             ip netns exec a bash -c \"python3 -m http.server 8001\" &\n\
             env A=1 ip netns exec a python3 -m http.server 8002 &\n\
             ip netns exec a chrt -f 50 python3 -m http.server 8003 &\n\
             sleep 1\nip netns exec a ss -ltn\nss -ltn\n",
            "lab.sh",
        );
        let out = lab.output();
        for port in ["8000", "8001", "8002", "8003"] {
            assert_eq!(
                out.matches(&format!("0.0.0.0:{port} ")).count(),
                1,
                "{port} listens in a only: {out}"
            );
        }
        assert!(
            lab.kernel.now.0 < 10_000_000_000,
            "no command waited for a server"
        );
    }
}

/// The forms of the network programs the model runs (what README's generated list says about
/// each; kept next to the table so a new program or option is listed where it is added).
pub const NETWORK_FORMS: &[(&str, &str)] = &[
    ("arp", "`-n`, `-a`, `-i IF`, `HOST`, `-s HOST MAC`, `-d HOST`"),
    ("arping", "`-c`, `-w`, `-i`, `-I IF`, `-s SRC`, `-U`, `-A`, `-D`, `-f`, `-q`, `-b`"),
    ("brctl", "`addbr`, `delbr`, `addif`, `delif`, `show`, `showmacs`"),
    ("bridge", "`-n NS`, `-d`, `-j`, `-p`; `fdb` show (`dev`, `br`, `vlan`)/add/append/replace/del (VXLAN `dst`); `link` show/set; `vlan` add/del/show"),
    ("conntrack", "`-L`, `-D`, `-F` with the tuple filters (`-p`, `-s`, `-d`, `--sport`, `--dport`, ...)"),
    ("curl", "plain HTTP GET: `-s`, `-S`, `-v`, `-i`, `-I`, `-f`, `-m`, `--connect-timeout`, `-o`, `-w`"),
    ("dmesg", "`-c`, `-C`"),
    ("ethtool", "`-S`; `-K DEV tso|gso|gro|... off` (nslab has no offloads on)"),
    ("ifconfig", "show (`-a`, `IF`); `IF ADDR[/LEN]`, `netmask`, `broadcast`, `mtu`, `up`, `down`"),
    ("ip", "`-n`, `-o`, `-d`, `-br`, `-4`, `-s`; `link` (veth, bridge, vxlan, ipip; `show master`), `address`, `route`, `neighbour` (incl. `get`), `netns` (add, delete, list, list-id, set, attach of an unnamed namespace, exec, identify, pids), `tunnel`, `netconf`; show selectors `dev`, `up`, `master`, `type`; `-j` and `-j -p` for `link`, `address` (with `-br`, `-4`), `route` and `neighbour` (not yet the other objects, `-j -d`, `-j -s`); `-6` for `address`, `route`, `rule` (configuration)"),
    ("iptables", "filter/nat/mangle/raw tables, `-A/-I/-D/-R/-N/-X/-F/-Z/-P/-L/-S`, the common matches and targets; `iptables-save`, `iptables-restore`"),
    ("nc", "openbsd nc: `-l`, `-u`, `-z`, `-v`, `-w`, `-N`, `-k`, `-p`, `-n`, `-4`"),
    ("ping", "`-c`, `-i`, `-s`, `-t`, `-W`, `-w`, `-M`, `-Q`, `-q`, `-D`, `-O`, `-n`, `-4`, `-I DEV|ADDR`, `-b`"),
    ("python3", "`-m http.server [PORT] [--bind ADDR] [--protocol HTTP/1.x]`"),
    ("route", "`-n`; `add`/`del` `-net|-host` `netmask`, `gw`, `dev`, `metric`"),
    ("socat", "`-u`, `-U`, `-d`, `-t`; `-`/`STDIO`/`STDIN`/`STDOUT` with one of `TCP-LISTEN:PORT[,fork][,reuseaddr]`, `TCP[4]:HOST:PORT`, `UDP-LISTEN:PORT`, `UDP-RECV:PORT`, `UDP[4]:HOST:PORT`, `UDP-SENDTO:HOST:PORT`"),
    ("ss", "`-t`, `-u`, `-l`, `-a`, `-n`, `-p`, `-H`"),
    ("sysctl", "`-w`, `-q`, `-n`, `-N`, `-e`, `-p FILE`; `net.ipv4.*`, `net.bridge.*`"),
    ("tcpdump", "`-i`, `-n`, `-e`, `-v`, `-t`, `-c`, `-w`, `-r`, `-A`, filter expressions"),
    ("traceroute", "UDP probes (default) or `-I`; `-n`, `-q`, `-w MAX[,HERE,NEAR]`, `-m`, `-f`, `-p`, `-4`, `host [packetlen]`"),
];

/// README's generated list of programs: every name of the table by kind, and the forms of
/// the network programs. `tests/web.rs` keeps README.md's copy (between the
/// `<!-- programs:begin -->` and `<!-- programs:end -->` markers) equal to it.
pub fn readme_programs() -> String {
    let all = all();
    let names = |pred: &dyn Fn(Kind) -> bool| -> String {
        all.iter()
            .filter(|(_, k)| pred(*k))
            .map(|(n, _)| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut s = String::from(
        "<!-- programs:begin -->\n<!-- generated from src/programs.rs by `NSLAB_UPDATE_README=1 cargo test --test integration readme_program_list`; do not edit -->\n",
    );
    s.push_str("### Programs a lab can run\n\n");
    s.push_str(&format!(
        "- bash builtins: {}\n",
        names(&|k| matches!(k, Kind::Special | Kind::Builtin))
    ));
    s.push_str(&format!(
        "- programs that run another one: {}\n",
        names(&|k| matches!(k, Kind::Wrapper(_)))
    ));
    s.push_str(&format!(
        "- text and file tools (GNU behaviour, on the lab's in-memory files): {}\n",
        names(&|k| matches!(k, Kind::Userland | Kind::Text))
    ));
    s.push_str(&format!(
        "- network programs: {}\n",
        names(&|k| matches!(k, Kind::Kernel | Kind::Bird))
    ));
    s.push_str(&format!(
        "- known but not modelled (they print `nslab: X is not modelled yet`): {}\n\n",
        names(&|k| k == Kind::NotModelled)
    ));
    s.push_str("| network program | forms modelled |\n|---|---|\n");
    for (n, forms) in NETWORK_FORMS {
        s.push_str(&format!("| `{n}` | {forms} |\n"));
    }
    s.push_str("<!-- programs:end -->\n");
    s
}

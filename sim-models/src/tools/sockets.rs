//! Socket programs' command lines: `python3 -m http.server`, `curl`, `nc`, and `ss` with
//! iproute2 6.1's column layout (each column as wide as its widest cell; addresses
//! right-aligned before the `:`, ports left-aligned after it).

use super::{Exec, ToolError, ToolOutput};
use crate::apps::nc::NcOpts;
use crate::kernel::{Kernel, NsId};
use crate::net::sock::Proto;
use sim_core::Duration;
use std::net::{Ipv4Addr, SocketAddrV4};
use userland::getopt::{Getopt, HasArg, LongOpt};

/// `python3 -m http.server [-b ADDR|--bind ADDR] [-p VERSION|--protocol VERSION] [PORT]`.
pub fn python3(k: &mut Kernel, ns: NsId, args: &[String]) -> Exec {
    if args.len() < 2 || args[0] != "-m" || args[1] != "http.server" {
        // Only the web server module is a program of the model; `python3 -c CODE`, scripts
        // and other modules say so (counted like every unmodelled program).
        let what = match args.first().map(String::as_str) {
            Some("-c") => "python3 -c".to_string(),
            Some("-m") => format!("python3 -m {}", args.get(1).map_or("", |s| s.as_str())),
            Some(a) if !a.starts_with('-') => "python3 SCRIPT".to_string(),
            Some(a) => format!("python3 {a}"),
            None => "python3 (interactive)".to_string(),
        };
        return Exec::Done(ToolError::not_modelled(what).into());
    }
    let usage = "usage: server.py [-h] [--cgi] [-b ADDRESS] [-d DIRECTORY] [-p VERSION] [port]\n";
    let mut bind = Ipv4Addr::UNSPECIFIED;
    let mut port: u16 = 8000;
    let mut protocol = "HTTP/1.0".to_string();
    let mut i = 2;
    let mut have_port = false;
    while i < args.len() {
        let a = args[i].as_str();
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a, None),
        };
        let value = |i: &mut usize| -> Option<String> {
            if let Some(v) = inline.clone() {
                return Some(v);
            }
            *i += 1;
            args.get(*i).cloned()
        };
        match flag {
            "-b" | "--bind" => {
                let Some(v) = value(&mut i) else {
                    return Exec::Done(ToolOutput::err(
                        format!(
                            "{}server.py: error: argument -b/--bind: expected one argument\n",
                            usage
                        ),
                        2,
                    ));
                };
                match v.parse::<Ipv4Addr>() {
                    Ok(a) => bind = a,
                    Err(_) => {
                        return Exec::Done(ToolOutput::err(
                            format!("nslab: python3 -m http.server: bind address {} is not an IPv4 address (not modelled)\n", v),
                            1,
                        ))
                    }
                }
            }
            "-p" | "--protocol" => {
                let Some(v) = value(&mut i) else {
                    return Exec::Done(ToolOutput::err(
                        format!(
                            "{}server.py: error: argument -p/--protocol: expected one argument\n",
                            usage
                        ),
                        2,
                    ));
                };
                protocol = v;
            }
            "-d" | "--directory" | "--cgi" => {
                return Exec::Done(ToolOutput::err(
                    format!("nslab: python3 -m http.server {}: not modelled (the server serves the lab's working directory)\n", flag),
                    2,
                ))
            }
            _ if !a.starts_with('-') && !have_port => match a.parse::<u16>() {
                Ok(p) => {
                    port = p;
                    have_port = true;
                }
                Err(_) => {
                    return Exec::Done(ToolOutput::err(
                        format!(
                            "{}server.py: error: argument port: invalid int value: '{}'\n",
                            usage, a
                        ),
                        2,
                    ))
                }
            },
            _ => {
                return Exec::Done(ToolOutput::err(
                    format!("{}server.py: error: unrecognized arguments: {}\n", usage, a),
                    2,
                ))
            }
        }
        i += 1;
    }
    Exec::Spawned(k.http_server_spawn(ns, SocketAddrV4::new(bind, port), &protocol))
}

/// Parses a URL `[http://]HOST[:PORT][/PATH]`.
fn parse_url(u: &str) -> Result<(String, u16, String), String> {
    let rest = match u.split_once("://") {
        Some((scheme, r)) => {
            if !scheme.eq_ignore_ascii_case("http") {
                return Err(format!(
                    "Protocol \"{}\" not supported or disabled in libcurl",
                    scheme
                ));
            }
            r
        }
        None => u,
    };
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => match p.parse::<u16>() {
            Ok(p) => (h.to_string(), p),
            Err(_) => return Err("URL using bad/illegal format or missing URL".into()),
        },
        None => (hostport.to_string(), 80),
    };
    if host.is_empty() {
        return Err("URL using bad/illegal format or missing URL".into());
    }
    Ok((host, port, path))
}

/// `curl [-s] [-S] [-v] [-i] [-I] [-f] [-m T] [--connect-timeout T] [-o FILE] URL`, its
/// command line read as curl 7.88.1 reads it (`super::curl`).
pub fn curl(k: &mut Kernel, ns: NsId, args: &[String]) -> Exec {
    let bad = |m: String, code: i32| Exec::Done(ToolOutput::err(m, code));
    let super::curl::CurlArgs { mut opts, urls } = match super::curl::parse_args(args) {
        Ok(a) => a,
        Err(e) => return Exec::Done(e.into()),
    };
    let o = &mut opts;
    if urls.len() > 1 {
        return Exec::Done(ToolError::not_modelled("curl with several URLs").into());
    }
    let url = urls.into_iter().next();
    let Some(url) = url else {
        return Exec::Done(
            ToolError::usage(
                2,
                "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n",
            )
            .into(),
        );
    };
    let (host, port, path) = match parse_url(&url) {
        Ok(x) => x,
        Err(m) => {
            let code = if m.starts_with("Protocol") { 1 } else { 3 };
            let show = !o.silent || o.show_error;
            return bad(
                if show {
                    format!("curl: ({}) {}\n", code, m)
                } else {
                    String::new()
                },
                code,
            );
        }
    };
    // curl resolves `localhost` (and `*.localhost`) itself, without the resolver (7.85 on):
    // 127.0.0.1 where IPv6 is off, as in the lab's namespaces.
    let lh =
        host.eq_ignore_ascii_case("localhost") || host.to_ascii_lowercase().ends_with(".localhost");
    o.dst = if lh {
        Some(Ipv4Addr::LOCALHOST)
    } else {
        host.parse::<Ipv4Addr>().ok()
    }
    .map(|ip| SocketAddrV4::new(ip, port));
    o.host = host;
    o.port = port;
    o.path = path;
    if let Some(f) = o.output.clone() {
        if f != "-" && f != "/dev/null" {
            k.vfs_truncate(&f);
        }
    }
    Exec::Spawned(k.curl_spawn(ns, opts))
}

/// netcat-openbsd 1.219's optstring.
const NC_OPTSTRING: &str = "46bCDdFhI:i:klM:m:NnO:P:p:q:rSs:T:tUuV:vW:w:X:x:Zz";

/// netcat-openbsd 1.219's `usage(1)` text (stderr).
const NC_USAGE: &str = "usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]\n";

/// OpenBSD's `strtonum(s, min, max, &errstr)`: a whole decimal number within [min, max], else
/// the error word netcat prints ("invalid", "too small", "too large").
fn strtonum(s: &str, min: i128, max: i128) -> Result<i128, &'static str> {
    let (v, end, erange) = super::ping::strtol(s, 10);
    if end == 0 || end != s.len() {
        return Err("invalid");
    }
    if (erange && v < 0) || v < min {
        return Err("too small");
    }
    if erange || v > max {
        return Err("too large");
    }
    Ok(v)
}

/// `nc [-l] [-u] [-z] [-v] [-N] [-n] [-4] [-w SECS] [-p PORT] [ADDR] [PORT]` (netcat-openbsd
/// 1.219): glibc getopt with netcat's optstring (clusters such as `-zvw1`, options after the
/// operands), then netcat's own checks of the operands, in its words.
pub fn nc(k: &mut Kernel, ns: NsId, args: &[String], stdin: &[u8]) -> Exec {
    match nc_parse(args, stdin) {
        Ok(o) => Exec::Spawned(k.nc_spawn(ns, o)),
        Err(e) => Exec::Done(e.into()),
    }
}

fn nc_parse(args: &[String], stdin: &[u8]) -> Result<NcOpts, ToolError> {
    let mut o = NcOpts {
        stdin: stdin.to_vec(),
        ..Default::default()
    };
    let mut pflag: Option<String> = None;
    let mut kflag = false;
    let mut g = Getopt::new(args, NC_OPTSTRING, &[]);
    while let Some(r) = g.next() {
        let opt =
            r.map_err(|e| ToolError::usage(1, format!("{}{NC_USAGE}", e.glibc_message("nc"))))?;
        let arg = opt.arg.as_deref().unwrap_or("");
        match opt.opt {
            'l' => o.listen = true,
            'u' => o.udp = true,
            'z' => o.zero = true,
            'v' => o.verbose = true,
            'N' => o.shutdown_on_eof = true,
            'k' => kflag = true,
            // Numeric hosts only (-n) and IPv4 only (-4): nothing changes.
            'n' | '4' => {}
            'p' => pflag = Some(arg.to_string()),
            'w' => {
                let n = strtonum(arg, 0, i128::from(i32::MAX / 1000))
                    .map_err(|e| ToolError::failed(1, format!("nc: timeout {e}: {arg}\n")))?;
                o.wait = Some(Duration::from_secs(n as u64));
            }
            c => return Err(ToolError::not_modelled(format!("nc -{c}"))),
        }
    }
    let argv = g.into_operands();
    // netcat's "cruft to make sure options are clean, and used properly".
    let (host, uport): (Option<&str>, Option<&str>) = if argv.is_empty() && o.listen {
        (None, pflag.as_deref())
    } else if argv.len() == 1 && pflag.is_none() {
        (
            None,
            if o.listen {
                Some(argv[0].as_str())
            } else {
                None
            },
        )
    } else if argv.len() >= 2 {
        if o.listen && (pflag.is_some() || argv.len() > 2) {
            return Err(ToolError::usage(1, NC_USAGE));
        }
        (Some(argv[0].as_str()), Some(argv[1].as_str()))
    } else {
        return Err(ToolError::usage(1, NC_USAGE));
    };
    let Some(uport) = uport.filter(|p| !p.is_empty()) else {
        return Err(ToolError::failed(1, "nc: missing port number\n"));
    };
    if o.listen && o.zero {
        return Err(ToolError::failed(1, "nc: cannot use -z and -l\n"));
    }
    if !o.listen && kflag {
        return Err(ToolError::failed(1, "nc: must use -l with -k\n"));
    }
    if kflag {
        return Err(ToolError::not_modelled(
            "nc -k (one connection per listener)",
        ));
    }
    if o.listen {
        // local_listen(): getaddrinfo(host, port, AI_PASSIVE).
        let Ok(port) = uport.parse::<u16>() else {
            return Err(ToolError::failed(
                1,
                "nc: getaddrinfo: Servname not supported for ai_socktype\n",
            ));
        };
        o.port = port;
        if let Some(h) = host {
            match h.parse::<Ipv4Addr>() {
                Ok(a) => o.addr = Some(a),
                Err(_) => return Err(ToolError::not_modelled("nc -l with a host name")),
            }
        }
        return Ok(o);
    }
    if pflag.is_some() {
        return Err(ToolError::not_modelled("nc -p with a client"));
    }
    // build_ports(): one port (ranges and lists are not modelled).
    let port = match strtonum(uport, 1, 65535) {
        Ok(p) => p as u16,
        Err(_) if uport.contains('-') => {
            return Err(ToolError::not_modelled("nc with a port range"))
        }
        Err(_) => {
            return Err(ToolError::failed(
                1,
                format!("nc: port number invalid: {uport}\n"),
            ))
        }
    };
    if argv.len() > 2 {
        return Err(ToolError::not_modelled("nc with several ports"));
    }
    let host = host.unwrap_or_default();
    match host.parse::<Ipv4Addr>() {
        Ok(a) => o.addr = Some(a),
        Err(_) => {
            return Err(ToolError::failed(
                1,
                format!(
                    "nc: getaddrinfo for host \"{host}\" port {uport}: Name or service not known\n"
                ),
            ))
        }
    }
    o.port = port;
    Ok(o)
}

pub use crate::net::netfilter::ip_tables::service_name;

struct Row {
    netid: &'static str,
    state: String,
    recvq: String,
    sendq: String,
    laddr: String,
    lport: String,
    paddr: String,
    pport: String,
    process: String,
}

/// iproute2 6.1's ss optstring and `long_opts` (`OPT_*` values as private-use characters).
const SS_OPTSTRING: &str = "dhaletuwxnro460spTbEf:mMiA:D:F:vVzZN:KHSO";
const SS_LONG_OPTS: [LongOpt; 43] = [
    LongOpt::new("numeric", HasArg::No, 'n'),
    LongOpt::new("resolve", HasArg::No, 'r'),
    LongOpt::new("options", HasArg::No, 'o'),
    LongOpt::new("extended", HasArg::No, 'e'),
    LongOpt::new("memory", HasArg::No, 'm'),
    LongOpt::new("info", HasArg::No, 'i'),
    LongOpt::new("processes", HasArg::No, 'p'),
    LongOpt::new("threads", HasArg::No, 'T'),
    LongOpt::new("bpf", HasArg::No, 'b'),
    LongOpt::new("events", HasArg::No, 'E'),
    LongOpt::new("dccp", HasArg::No, 'd'),
    LongOpt::new("tcp", HasArg::No, 't'),
    LongOpt::new("sctp", HasArg::No, 'S'),
    LongOpt::new("udp", HasArg::No, 'u'),
    LongOpt::new("raw", HasArg::No, 'w'),
    LongOpt::new("unix", HasArg::No, 'x'),
    LongOpt::new("tipc", HasArg::No, '\u{e101}'),
    LongOpt::new("vsock", HasArg::No, '\u{e100}'),
    LongOpt::new("all", HasArg::No, 'a'),
    LongOpt::new("listening", HasArg::No, 'l'),
    LongOpt::new("ipv4", HasArg::No, '4'),
    LongOpt::new("ipv6", HasArg::No, '6'),
    LongOpt::new("packet", HasArg::No, '0'),
    LongOpt::new("family", HasArg::Required, 'f'),
    LongOpt::new("socket", HasArg::Required, 'A'),
    LongOpt::new("query", HasArg::Required, 'A'),
    LongOpt::new("summary", HasArg::No, 's'),
    LongOpt::new("diag", HasArg::Required, 'D'),
    LongOpt::new("filter", HasArg::Required, 'F'),
    LongOpt::new("version", HasArg::No, 'V'),
    LongOpt::new("help", HasArg::No, 'h'),
    LongOpt::new("context", HasArg::No, 'Z'),
    LongOpt::new("contexts", HasArg::No, 'z'),
    LongOpt::new("net", HasArg::Required, 'N'),
    LongOpt::new("tipcinfo", HasArg::No, '\u{e102}'),
    LongOpt::new("tos", HasArg::No, '\u{e103}'),
    LongOpt::new("cgroup", HasArg::No, '\u{e105}'),
    LongOpt::new("kill", HasArg::No, 'K'),
    LongOpt::new("no-header", HasArg::No, 'H'),
    LongOpt::new("xdp", HasArg::No, '\u{e104}'),
    LongOpt::new("mptcp", HasArg::No, 'M'),
    LongOpt::new("oneline", HasArg::No, 'O'),
    LongOpt::new("inet-sockopt", HasArg::No, '\u{e106}'),
];

/// ss's `_usage()` text (iproute2 6.1, recorded with `ss -h`).
const SS_USAGE: &str = "Usage: ss [ OPTIONS ]
       ss [ OPTIONS ] [ FILTER ]
   -h, --help          this message
   -V, --version       output version information
   -n, --numeric       don't resolve service names
   -r, --resolve       resolve host names
   -a, --all           display all sockets
   -l, --listening     display listening sockets
   -o, --options       show timer information
   -e, --extended      show detailed socket information
   -m, --memory        show socket memory usage
   -p, --processes     show process using socket
   -T, --threads       show thread using socket
   -i, --info          show internal TCP information
       --tipcinfo      show internal tipc socket information
   -s, --summary       show socket usage summary
       --tos           show tos and priority information
       --cgroup        show cgroup information
   -b, --bpf           show bpf filter socket information
   -E, --events        continually display sockets as they are destroyed
   -Z, --context       display task SELinux security contexts
   -z, --contexts      display task and socket SELinux security contexts
   -N, --net           switch to the specified network namespace name

   -4, --ipv4          display only IP version 4 sockets
   -6, --ipv6          display only IP version 6 sockets
   -0, --packet        display PACKET sockets
   -t, --tcp           display only TCP sockets
   -M, --mptcp         display only MPTCP sockets
   -S, --sctp          display only SCTP sockets
   -u, --udp           display only UDP sockets
   -d, --dccp          display only DCCP sockets
   -w, --raw           display only RAW sockets
   -x, --unix          display only Unix domain sockets
       --tipc          display only TIPC sockets
       --vsock         display only vsock sockets
       --xdp           display only XDP sockets
   -f, --family=FAMILY display sockets of type FAMILY
       FAMILY := {inet|inet6|link|unix|netlink|vsock|tipc|xdp|help}

   -K, --kill          forcibly close sockets, display what was closed
   -H, --no-header     Suppress header line
   -O, --oneline       socket's data printed on a single line
       --inet-sockopt  show various inet socket options

   -A, --query=QUERY, --socket=QUERY
       QUERY := {all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|packet_raw|packet_dgram|netlink|dccp|sctp|vsock_stream|vsock_dgram|tipc|xdp}[,QUERY]

   -D, --diag=FILE     Dump raw information about TCP sockets to FILE
   -F, --filter=FILE   read filter information from FILE
       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]
       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}
         TCP-STATES := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|closed|close-wait|last-ack|listening|closing}
          connected := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
       synchronized := {established|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
             bucket := {syn-recv|time-wait}
                big := {established|syn-sent|fin-wait-{1,2}|closed|close-wait|last-ack|listening|closing}
";

/// `ss [-t] [-u] [-l] [-a] [-n] [-p] [-4]` (without `-n` ports show their /etc/services names; addresses are always numeric).
pub fn ss(k: &Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    let (mut tcp, mut udp, mut listen, mut all, mut procs) = (false, false, false, false, false);
    let mut numeric = false;
    let mut noheader = false;
    let mut g = Getopt::new(args, SS_OPTSTRING, &SS_LONG_OPTS);
    while let Some(r) = g.next() {
        let o = match r {
            Ok(o) => o,
            // glibc's message, then usage() on stderr and exit(-1).
            Err(e) => return ToolOutput::err(format!("{}{SS_USAGE}", e.glibc_message("ss")), 255),
        };
        match o.opt {
            't' => tcp = true,
            'u' => udp = true,
            'l' => listen = true,
            'a' => all = true,
            'p' => procs = true,
            'n' => numeric = true,
            'H' => noheader = true,
            '4' => {}
            'h' => return ToolOutput::ok(SS_USAGE.into()),
            'V' => return ToolOutput::ok("ss utility, iproute2-6.1.0\n".into()),
            c => {
                let what = match o.long {
                    Some(l) => format!("ss --{l}"),
                    None => format!("ss -{c}"),
                };
                return ToolError::not_modelled(what).into();
            }
        }
    }
    if let Some(a) = g.operands().first() {
        return ToolError::not_modelled(format!("ss filter expressions ({a})")).into();
    }
    if !tcp && !udp {
        tcp = true;
    }
    let show_netid = tcp && udp;
    let mut rows = Vec::new();
    // One inet_diag dump; the state filter and the columns are ss's.
    for m in k.inet_diag_dump(ns, tcp, udp) {
        let is_udp = m.proto == Proto::Udp;
        let state = match m.state {
            None => "UNCONN".to_string(),
            Some(st) => st.ss_name().to_string(),
        };
        let listening = state == "LISTEN" || state == "UNCONN";
        if listen && !all && !listening {
            continue;
        }
        if !listen && !all {
            if listening {
                continue;
            }
            if matches!(state.as_str(), "TIME-WAIT" | "SYN-RECV") {
                continue;
            }
        }
        let port_s = |p: u16| match service_name(p, is_udp) {
            Some(n) if !numeric => n.to_string(),
            _ => p.to_string(),
        };
        let (paddr, pport) = match m.peer {
            Some(p) => (p.ip().to_string(), port_s(p.port())),
            None => ("0.0.0.0".to_string(), "*".to_string()),
        };
        rows.push(Row {
            netid: if is_udp { "udp" } else { "tcp" },
            state,
            recvq: m.rqueue.to_string(),
            sendq: m.wqueue.to_string(),
            laddr: format!("{}:", m.local.ip()),
            lport: port_s(m.local.port()),
            paddr: format!("{}:", paddr),
            pport,
            process: match (&m.owner, procs) {
                (Some((comm, pid)), true) => {
                    format!(" users:((\"{}\",pid={},fd={}))", comm, pid_of(*pid), 3)
                }
                _ => String::new(),
            },
        });
    }
    ToolOutput::ok(render(&rows, show_netid, noheader))
}

/// The pid `ss -p` shows for a model process (a stable, plausible number).
pub fn pid_of(pid: usize) -> usize {
    1000 + pid
}

fn render(rows: &[Row], netid: bool, noheader: bool) -> String {
    let header = Row {
        netid: "Netid",
        state: "State".into(),
        recvq: "Recv-Q".into(),
        sendq: "Send-Q".into(),
        laddr: "Local Address:".into(),
        lport: "Port".into(),
        paddr: "Peer Address:".into(),
        pport: "Port".into(),
        process: "Process".into(),
    };
    let mut all: Vec<&Row> = Vec::new();
    if !noheader {
        all.push(&header);
    }
    all.extend(rows.iter());
    let w = |f: &dyn Fn(&Row) -> usize| all.iter().map(|r| f(r)).max().unwrap_or(0);
    let wn = w(&|r| r.netid.len());
    let ws = w(&|r| r.state.len());
    let wr = w(&|r| r.recvq.len());
    let wq = w(&|r| r.sendq.len());
    let wla = w(&|r| r.laddr.len());
    let wlp = w(&|r| r.lport.len());
    let wpa = w(&|r| r.paddr.len());
    let wpp = w(&|r| r.pport.len());
    let wp = w(&|r| r.process.len());
    let mut out = String::new();
    for r in all {
        let mut l = String::new();
        if netid {
            l += &format!("{:<wn$} ", r.netid);
        }
        l += &format!(
            "{:<ws$} {:<wr$} {:<wq$} {:>wla$}{:<wlp$} {:>wpa$}{:<wpp$}{:<wp$}",
            r.state, r.recvq, r.sendq, r.laddr, r.lport, r.paddr, r.pport, r.process,
        );
        out += &l;
        out.push('\n');
    }
    out
}

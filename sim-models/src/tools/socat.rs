//! `socat [OPTIONS] ADDRESS ADDRESS` (socat 1.7.4): the options and address forms tutorials
//! use, with socat's own error texts for what it rejects (recorded in
//! `tests/recorded/web17/socat.sh`). socat reads its command line by hand (no getopt): options
//! are the words before the first address, `-` alone is an address.

use super::{Exec, ToolError};
use crate::apps::socat::{SocatOpts, SocatSock};
use crate::kernel::{Kernel, NsId};
use sim_core::Duration;
use std::net::{Ipv4Addr, SocketAddrV4};

/// socat's address types that nslab does not model (they say so instead of socat's
/// `unknown device/address`).
const NOT_MODELLED: &[&str] = &[
    "ABSTRACT-CONNECT",
    "ABSTRACT-LISTEN",
    "CREATE",
    "EXEC",
    "FD",
    "GOPEN",
    "INTERFACE",
    "IP-DATAGRAM",
    "IP-RECV",
    "IP-RECVFROM",
    "IP-SENDTO",
    "IP4-SENDTO",
    "OPEN",
    "OPENSSL",
    "OPENSSL-CONNECT",
    "OPENSSL-LISTEN",
    "PIPE",
    "PROXY",
    "PTY",
    "READLINE",
    "SCTP-CONNECT",
    "SCTP-LISTEN",
    "SOCKS4",
    "SOCKS4A",
    "STDERR",
    "SYSTEM",
    "TCP6",
    "TCP6-LISTEN",
    "TUN",
    "UDP-DATAGRAM",
    "UDP-RECVFROM",
    "UDP4-RECVFROM",
    "UDP6",
    "UDP6-LISTEN",
    "UNIX",
    "UNIX-CLIENT",
    "UNIX-CONNECT",
    "UNIX-LISTEN",
    "UNIX-RECV",
    "UNIX-RECVFROM",
    "UNIX-SENDTO",
    "VSOCK-CONNECT",
    "VSOCK-LISTEN",
];

/// One parsed address: stdio or a socket.
enum Addr {
    Stdio,
    Sock(SocatSock),
}

/// socat's address parsing, `Err(Ok(text))` for socat's own error, `Err(Err(e))` for what
/// nslab does not model.
fn address(a: &str) -> Result<Addr, Result<String, ToolError>> {
    let mut words = a.split(',');
    let head = words.next().unwrap_or("");
    let opts: Vec<&str> = words.collect();
    let mut parts = head.split(':');
    let kw = parts.next().unwrap_or("");
    let params: Vec<&str> = parts.collect();
    let up = kw.to_ascii_uppercase();
    let mut fork = false;
    for o in &opts {
        match o.to_ascii_lowercase().as_str() {
            "fork" => fork = true,
            // reuseaddr/reuseport: nslab's bind() does not refuse a port in TIME_WAIT anyway.
            "reuseaddr" | "so-reuseaddr" | "reuseport" | "so-reuseport" => {}
            _ => {
                return Err(Err(ToolError::not_modelled(format!(
                    "socat address option {o}"
                ))))
            }
        }
    }
    let want = |n: usize| -> Result<(), Result<String, ToolError>> {
        if params.len() != n {
            return Err(Ok(format!(
                "{kw}: wrong number of parameters ({} instead of {n})",
                params.len()
            )));
        }
        Ok(())
    };
    let port = |p: &str| -> Result<u16, Result<String, ToolError>> {
        p.parse::<u16>()
            .map_err(|_| Err(ToolError::not_modelled("socat with a service name")))
    };
    let host = |h: &str| -> Result<Ipv4Addr, Result<String, ToolError>> {
        if h.eq_ignore_ascii_case("localhost") {
            return Ok(Ipv4Addr::LOCALHOST);
        }
        h.parse::<Ipv4Addr>()
            .map_err(|_| Err(ToolError::not_modelled("socat with a host name")))
    };
    let dst = |params: &[&str]| -> Result<SocketAddrV4, Result<String, ToolError>> {
        Ok(SocketAddrV4::new(host(params[0])?, port(params[1])?))
    };
    let sock = match up.as_str() {
        "-" | "STDIO" | "STDIN" | "STDOUT" if params.is_empty() => return Ok(Addr::Stdio),
        "TCP-LISTEN" | "TCP4-LISTEN" | "TCP-L" | "TCP4-L" => {
            want(1)?;
            SocatSock::TcpListen {
                port: port(params[0])?,
                fork,
            }
        }
        "TCP" | "TCP4" | "TCP-CONNECT" | "TCP4-CONNECT" => {
            want(2)?;
            SocatSock::TcpConnect(dst(&params)?)
        }
        "UDP-LISTEN" | "UDP4-LISTEN" | "UDP-L" | "UDP4-L" => {
            want(1)?;
            SocatSock::UdpListen(port(params[0])?)
        }
        "UDP-RECV" | "UDP4-RECV" => {
            want(1)?;
            SocatSock::UdpRecv(port(params[0])?)
        }
        "UDP" | "UDP4" | "UDP-CONNECT" | "UDP4-CONNECT" => {
            want(2)?;
            SocatSock::UdpSend {
                dst: dst(&params)?,
                connect: true,
            }
        }
        "UDP-SENDTO" | "UDP4-SENDTO" => {
            want(2)?;
            SocatSock::UdpSend {
                dst: dst(&params)?,
                connect: false,
            }
        }
        _ if NOT_MODELLED.contains(&up.as_str()) => {
            return Err(Err(ToolError::not_modelled(format!("socat {up}"))))
        }
        // a path (GOPEN) or a number (FD) without a keyword
        _ if params.is_empty() && (kw.contains('/') || kw.parse::<u32>().is_ok()) => {
            return Err(Err(ToolError::not_modelled("socat GOPEN and FD addresses")))
        }
        _ => return Err(Ok(format!("unknown device/address \"{kw}\""))),
    };
    if fork && !matches!(sock, SocatSock::TcpListen { .. }) {
        return Err(Err(ToolError::not_modelled(format!(
            "socat fork with {up}"
        ))));
    }
    Ok(Addr::Sock(sock))
}

/// `socat [-u|-U] [-d] [-t SECS] [-4] ADDRESS ADDRESS`: spawns the process, which reports
/// socat's own errors with its pid; what nslab does not model is refused here.
pub fn socat(k: &mut Kernel, ns: NsId, args: &[String], stdin: &[u8]) -> Exec {
    let mut o = SocatOpts {
        sock: SocatSock::UdpRecv(0),
        to_sock: true,
        from_sock: true,
        close_wait: Duration::from_millis(500),
        stdin: stdin.to_vec(),
        error: None,
    };
    let (mut unidir, mut reverse, mut debug) = (false, false, 0);
    let mut i = 0;
    while let Some(a) = args.get(i).filter(|a| a.starts_with('-') && a.len() > 1) {
        match a.as_str() {
            "-u" => unidir = true,
            "-U" => reverse = true,
            // One -d shows warnings (none here); -d -d also notices, not modelled.
            "-d" if debug == 0 => debug += 1,
            "-d" => return Exec::Done(ToolError::not_modelled("socat -d -d (notices)").into()),
            // -4 prefers IPv4 (the lab has no other).
            "-4" => {}
            _ if a.starts_with("-t") => {
                let v = if a.len() > 2 {
                    a[2..].to_string()
                } else {
                    i += 1;
                    args.get(i).cloned().unwrap_or_default()
                };
                match v.parse::<f64>() {
                    Ok(s) if s >= 0.0 && s.is_finite() => {
                        o.close_wait = Duration::from_secs_f64(s.min(1e6))
                    }
                    _ => {
                        return Exec::Done(ToolError::not_modelled(format!("socat -t {v}")).into())
                    }
                }
            }
            _ => return Exec::Done(ToolError::not_modelled(format!("socat {a}")).into()),
        }
        i += 1;
    }
    let addrs = &args[i.min(args.len())..];
    if addrs.len() != 2 {
        o.error = Some(format!(
            "exactly 2 addresses required (there are {}); use option \"-h\" for help",
            addrs.len()
        ));
        return Exec::Spawned(k.socat_spawn(ns, o));
    }
    let mut parsed = Vec::new();
    for a in addrs {
        match address(a) {
            Ok(x) => parsed.push(x),
            Err(Ok(e)) => {
                o.error = Some(e);
                return Exec::Spawned(k.socat_spawn(ns, o));
            }
            Err(Err(e)) => return Exec::Done(e.into()),
        }
    }
    // Data flows left to right with -u, right to left with -U.
    let (stdio_left, sock) = match (&parsed[0], &parsed[1]) {
        (Addr::Stdio, Addr::Sock(s)) => (true, *s),
        (Addr::Sock(s), Addr::Stdio) => (false, *s),
        (Addr::Sock(_), Addr::Sock(_)) => {
            return Exec::Done(ToolError::not_modelled("socat between two sockets").into())
        }
        (Addr::Stdio, Addr::Stdio) => {
            return Exec::Done(ToolError::not_modelled("socat between stdio and stdio").into())
        }
    };
    o.sock = sock;
    if unidir || reverse {
        let left_to_right = !reverse;
        o.to_sock = left_to_right == stdio_left;
        o.from_sock = !o.to_sock;
    }
    if matches!(sock, SocatSock::UdpRecv(_)) && o.to_sock {
        return Exec::Done(ToolError::not_modelled("socat UDP-RECV without -u").into());
    }
    Exec::Spawned(k.socat_spawn(ns, o))
}

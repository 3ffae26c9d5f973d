//! `traceroute` 2.1.2 (Debian's, Dmitry Butskoy's) for IPv4: UDP probes to port 33434 and up
//! (default) or ICMP echo (`-I`), `-q` probes per hop, up to 16 probes in flight, a probe given
//! up after `-w MAX` seconds or HERE (3) times the round trip of a reply from the same hop /
//! NEAR (10) times that of a later hop (traceroute's `get_timeout`), hops printed in order as
//! they complete, ending at the hop the destination answered. The errors a probe meets come
//! back on the process's raw ICMP socket (the UDP socket's `IP_RECVERR` queue in traceroute;
//! the lines are the same). Texts recorded on this machine.
//!
//! # Differences from traceroute
//! No name resolution (a reply is shown as `ADDR (ADDR)` without `-n`), no ICMP extensions,
//! IPv4 only.

use super::App;
use crate::kernel::{Kernel, NsId, Pid};
use crate::net::route::RouteErr;
use crate::wire::*;
use sim_core::{Duration, Instant};
use std::fmt::Write as _;
use std::net::Ipv4Addr;

/// traceroute's `sim_probes` default.
const SIM_PROBES: usize = 16;

#[derive(Clone, Debug)]
pub struct TracerouteOpts {
    pub dst: Ipv4Addr,
    pub icmp: bool,
    pub numeric: bool,
    pub first_ttl: u8,
    pub max_ttl: u8,
    pub nqueries: usize,
    /// `-w MAX,HERE,NEAR`.
    pub wait_max: f64,
    pub wait_here: f64,
    pub wait_near: f64,
    /// `-p`: the first UDP port (33434) or ICMP sequence (1).
    pub port: Option<u16>,
    pub packetlen: usize,
}

#[derive(Clone, Debug, Default)]
struct Probe {
    sent: Option<Instant>,
    /// The reply: who, when, an annotation (`!H`, ...), the destination reached.
    recv: Option<(Ipv4Addr, Instant)>,
    note: &'static str,
    done: bool,
    final_: bool,
    port: u16,
}

#[derive(Debug)]
pub struct Traceroute {
    pub opts: TracerouteOpts,
    probes: Vec<Probe>,
    ident: u16,
    sport: u16,
    src: Ipv4Addr,
    printed: usize,
    end_hop: Option<usize>,
    /// stdout is a pipe or file in a lab: fully buffered, written at exit (after the header
    /// traceroute printed on stderr).
    out_buf: String,
}

impl Kernel {
    pub fn traceroute_spawn(&mut self, ns: NsId, opts: TracerouteOpts) -> Pid {
        let hops = usize::from(opts.max_ttl.saturating_sub(opts.first_ttl)) + 1;
        let n = hops * opts.nqueries;
        let ident = (self.rng.next_u32() & 0xffff) as u16;
        let sport = 32768 + (self.rng.next_u32() % 28232) as u16;
        self.spawn(
            ns,
            App::Traceroute(Box::new(Traceroute {
                probes: vec![Probe::default(); n],
                opts,
                ident,
                sport,
                src: Ipv4Addr::UNSPECIFIED,
                printed: 0,
                end_hop: None,
                out_buf: String::new(),
            })),
        )
    }

    fn tr(&mut self, pid: Pid) -> Option<&mut Traceroute> {
        match &mut self.proc_mut(pid)?.app {
            App::Traceroute(t) => Some(t),
            _ => None,
        }
    }

    pub(crate) fn traceroute_start(&mut self, pid: Pid) {
        let Some(p) = self.proc(pid) else { return };
        let ns = p.ns;
        let App::Traceroute(t) = &p.app else { return };
        let o = t.opts.clone();
        let err = format!(
            "traceroute to {} ({}), {} hops max, {} byte packets\n",
            o.dst, o.dst, o.max_ttl, o.packetlen
        );
        self.proc_err(pid, err.as_bytes());
        match self.ip_route_output(ns, o.dst, Ipv4Addr::UNSPECIFIED, None) {
            Ok(rt) => {
                if let Some(t) = self.tr(pid) {
                    t.src = rt.src;
                }
            }
            Err(e) => {
                let m = match e {
                    RouteErr::NetUnreach => "connect: Network is unreachable\n",
                    RouteErr::HostUnreach => "connect: No route to host\n",
                    _ => "connect: Invalid argument\n",
                };
                self.proc_err(pid, m.as_bytes());
                self.proc_exit(pid, 1);
                return;
            }
        }
        self.traceroute_pump(pid);
    }

    /// Sends probes while fewer than `sim_probes` are in flight, expires the ones waited for
    /// long enough, prints finished hops, and arms the timer for the next expiry.
    fn traceroute_pump(&mut self, pid: Pid) {
        let now = self.now;
        let Some(t) = self.tr(pid) else { return };
        let q = t.opts.nqueries;
        // expiries (get_timeout)
        for i in 0..t.probes.len() {
            let Some(sent) = t.probes[i].sent else {
                continue;
            };
            if t.probes[i].done {
                continue;
            }
            let limit = probe_timeout(t, i);
            if now - sent >= limit {
                t.probes[i].done = true;
            }
        }
        // print finished hops in order
        let mut out = String::new();
        let mut finished = false;
        while t.printed * q < t.probes.len() {
            let hop = t.printed;
            let ps = &t.probes[hop * q..(hop + 1) * q];
            if !ps.iter().all(|p| p.done) {
                break;
            }
            let ttl = usize::from(t.opts.first_ttl) + hop;
            let _ = write!(out, "{ttl:2} ");
            let mut last: Option<Ipv4Addr> = None;
            for p in ps {
                match (p.recv, p.sent) {
                    (Some((from, at)), Some(sent)) => {
                        if last != Some(from) {
                            if t.opts.numeric {
                                let _ = write!(out, " {from}");
                            } else {
                                let _ = write!(out, " {from} ({from})");
                            }
                            last = Some(from);
                        }
                        let us = (at - sent).as_nanos() / 1000;
                        let _ = write!(out, "  {}.{:03} ms", us / 1000, us % 1000);
                        if !p.note.is_empty() {
                            let _ = write!(out, " {}", p.note);
                        }
                    }
                    _ => out.push_str(" *"),
                }
            }
            out.push('\n');
            t.printed += 1;
            if ps.iter().any(|p| p.final_) || t.end_hop.is_some_and(|e| e < t.printed) {
                finished = true;
                break;
            }
        }
        if t.printed * q >= t.probes.len() {
            finished = true;
        }
        t.out_buf.push_str(&out);
        if finished {
            let buf = std::mem::take(&mut t.out_buf);
            self.proc_out(pid, buf.as_bytes());
            self.proc_exit(pid, 0);
            return;
        }
        // send more
        loop {
            let Some(t) = self.tr(pid) else { return };
            let inflight = t
                .probes
                .iter()
                .filter(|p| p.sent.is_some() && !p.done)
                .count();
            let next = t.probes.iter().position(|p| p.sent.is_none());
            let stop = t.end_hop.is_some_and(|e| next.is_some_and(|n| n / q > e));
            match next {
                Some(i) if inflight < SIM_PROBES && !stop => self.traceroute_send(pid, i),
                _ => break,
            }
        }
        // the next expiry
        let Some(t) = self.tr(pid) else { return };
        let next = (0..t.probes.len())
            .filter(|&i| !t.probes[i].done)
            .filter_map(|i| t.probes[i].sent.map(|s| s + probe_timeout(t, i)))
            .min();
        if let Some(at) = next {
            let after = Duration(at.0.saturating_sub(now.0).max(1));
            self.proc_arm(pid, after);
        }
    }

    fn traceroute_send(&mut self, pid: Pid, i: usize) {
        let now = self.now;
        let Some(ns) = self.proc(pid).map(|p| p.ns) else {
            return;
        };
        let Some(t) = self.tr(pid) else { return };
        let o = t.opts.clone();
        let ttl = o.first_ttl + (i / o.nqueries) as u8;
        let data_len = o.packetlen.saturating_sub(28);
        let data: Vec<u8> = (0..data_len).map(|k| 0x40 + (k % 64) as u8).collect();
        let (proto, payload, port) = if o.icmp {
            let seq = o.port.unwrap_or(1).wrapping_add(i as u16);
            let icmp = IcmpRepr {
                ty: ICMP_ECHO,
                code: 0,
                rest: [
                    (t.ident >> 8) as u8,
                    t.ident as u8,
                    (seq >> 8) as u8,
                    seq as u8,
                ],
                data,
            };
            (IPPROTO_ICMP, icmp.emit(), seq)
        } else {
            let port = o.port.unwrap_or(33434).wrapping_add(i as u16);
            let len = (8 + data.len()) as u16;
            let mut u = Vec::with_capacity(len as usize);
            u.extend_from_slice(&t.sport.to_be_bytes());
            u.extend_from_slice(&port.to_be_bytes());
            u.extend_from_slice(&len.to_be_bytes());
            u.extend_from_slice(&[0, 0]);
            u.extend_from_slice(&data);
            let c = csum_fold(csum_partial(
                &u,
                csum_tcpudp_nofold(t.src, o.dst, u32::from(len), IPPROTO_UDP, 0),
            ));
            let c = if c == 0 { 0xffff } else { c };
            u[6..8].copy_from_slice(&c.to_be_bytes());
            (IPPROTO_UDP, u, port)
        };
        let src = t.src;
        t.probes[i].sent = Some(now);
        t.probes[i].port = port;
        let id = self.next_ip_id(ns);
        let ip = Ipv4Repr {
            tos: 0,
            total_len: 0,
            id,
            frag: 0,
            ttl,
            proto,
            src,
            dst: o.dst,
            options: vec![],
        };
        if self.ip_send(ns, ip, payload).is_err() {
            if let Some(t) = self.tr(pid) {
                t.probes[i].done = true;
            }
        }
    }

    pub(crate) fn traceroute_timer(&mut self, pid: Pid) {
        self.traceroute_pump(pid);
    }

    /// An ICMP message on the raw socket: an echo reply (`-I`) or an error quoting a probe.
    pub(crate) fn traceroute_input(&mut self, pid: Pid, ip: &Ipv4Repr, icmp: &IcmpRepr) {
        let now = self.now;
        let Some(t) = self.tr(pid) else { return };
        let o = t.opts.clone();
        let (idx, from_dst_echo) = if icmp.ty == ICMP_ECHOREPLY {
            if !o.icmp || icmp.echo_id() != t.ident {
                return;
            }
            let seq = icmp.echo_seq();
            let Some(i) = t
                .probes
                .iter()
                .position(|p| p.sent.is_some() && p.port == seq)
            else {
                return;
            };
            (i, true)
        } else if icmp.ty == ICMP_TIME_EXCEEDED || icmp.ty == ICMP_DEST_UNREACH {
            let Ok((q, hl)) = Ipv4Repr::parse_quoted(&icmp.data) else {
                return;
            };
            let inner = &icmp.data[hl..];
            if q.dst != o.dst || inner.len() < 8 {
                return;
            }
            let key = if o.icmp {
                if q.proto != IPPROTO_ICMP || inner[0] != ICMP_ECHO {
                    return;
                }
                if u16::from_be_bytes([inner[4], inner[5]]) != t.ident {
                    return;
                }
                u16::from_be_bytes([inner[6], inner[7]])
            } else {
                if q.proto != IPPROTO_UDP || u16::from_be_bytes([inner[0], inner[1]]) != t.sport {
                    return;
                }
                u16::from_be_bytes([inner[2], inner[3]])
            };
            let Some(i) = t
                .probes
                .iter()
                .position(|p| p.sent.is_some() && p.port == key)
            else {
                return;
            };
            (i, false)
        } else {
            return;
        };
        let p = &mut t.probes[idx];
        if p.done {
            return;
        }
        p.recv = Some((ip.src, now));
        p.done = true;
        let q = o.nqueries;
        let mut fin = from_dst_echo;
        if icmp.ty == ICMP_DEST_UNREACH {
            // traceroute's annotations; port unreachable from the destination ends the trace
            p.note = match icmp.code {
                ICMP_PORT_UNREACH if !o.icmp => "",
                0 => "!N",
                1 => "!H",
                2 => "!P",
                ICMP_FRAG_NEEDED => "!F",
                9 | 10 | 13 => "!X",
                _ => "!",
            };
            fin = true;
        }
        if fin {
            p.final_ = true;
            let hop = idx / q;
            t.end_hop = Some(t.end_hop.map_or(hop, |e| e.min(hop)));
        }
        self.traceroute_pump(pid);
    }
}

/// traceroute's `get_timeout`: MAX, or HERE times the round trip of a reply from the same
/// hop, or NEAR times one from a later hop, whichever is smallest.
fn probe_timeout(t: &Traceroute, i: usize) -> Duration {
    let q = t.opts.nqueries;
    let hop = i / q;
    let rtt = |p: &Probe| match (p.recv, p.sent) {
        (Some((_, at)), Some(s)) => Some((at - s).as_nanos() as f64 / 1e9),
        _ => None,
    };
    let mut tmo = t.opts.wait_max;
    if t.opts.wait_here > 0.0 {
        if let Some(r) = t.probes[hop * q..(hop + 1) * q]
            .iter()
            .filter_map(rtt)
            .next()
        {
            tmo = tmo.min(r * t.opts.wait_here);
        }
    }
    if t.opts.wait_near > 0.0 {
        if let Some(r) = t.probes[((hop + 1) * q).min(t.probes.len())..]
            .iter()
            .filter_map(rtt)
            .next()
        {
            tmo = tmo.min(r * t.opts.wait_near);
        }
    }
    Duration((tmo * 1e9) as u64)
}

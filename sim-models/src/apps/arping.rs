//! `arping` as iputils 20221126 behaves: ARP requests (or, with `-A`, replies) sent on an
//! `AF_PACKET` socket bound to one device, one per interval; replies from the target counted
//! and printed; `-U`/`-A` (unsolicited, update the neighbours), `-D` (duplicate address
//! detection), `-c`, `-w`, `-i`, `-f`, `-q`, `-b`, `-s`. Texts and exit statuses recorded on this
//! machine.

use super::App;
use crate::kernel::{DevId, Kernel, NsId, Pid};
use crate::wire::*;
use sim_core::{Duration, Instant};
use std::net::Ipv4Addr;

#[derive(Clone, Debug)]
pub struct ArpingOpts {
    pub dst: Ipv4Addr,
    pub device: Option<String>,
    pub source: Option<Ipv4Addr>,
    pub count: Option<u32>,
    pub deadline: Option<Duration>,
    pub interval: Duration,
    pub quiet: bool,
    pub dad: bool,
    pub unsolicited: bool,
    pub advert: bool,
    pub quit_on_reply: bool,
    pub broadcast_only: bool,
}

impl ArpingOpts {
    pub fn new(dst: Ipv4Addr) -> ArpingOpts {
        ArpingOpts {
            dst,
            device: None,
            source: None,
            count: None,
            deadline: None,
            interval: Duration::from_secs(1),
            quiet: false,
            dad: false,
            unsolicited: false,
            advert: false,
            quit_on_reply: false,
            broadcast_only: false,
        }
    }
}

#[derive(Debug)]
pub struct Arping {
    pub opts: ArpingOpts,
    pub dev: Option<DevId>,
    pub src: Ipv4Addr,
    /// The target's hardware address: broadcast until a reply makes arping unicast.
    pub he: Mac,
    pub sent: u32,
    pub brd_sent: u32,
    pub received: u32,
    pub brd_recv: u32,
    pub start: Instant,
    pub last_send: Instant,
}

impl Kernel {
    pub fn arping_spawn(&mut self, ns: NsId, opts: ArpingOpts) -> Pid {
        let now = self.now;
        self.spawn(
            ns,
            App::Arping(Box::new(Arping {
                opts,
                dev: None,
                src: Ipv4Addr::UNSPECIFIED,
                he: ETH_BROADCAST,
                sent: 0,
                brd_sent: 0,
                received: 0,
                brd_recv: 0,
                start: now,
                last_send: now,
            })),
        )
    }

    fn arping(&mut self, pid: Pid) -> Option<&mut Arping> {
        match &mut self.proc_mut(pid)?.app {
            App::Arping(a) => Some(a),
            _ => None,
        }
    }

    fn arping_fail(&mut self, pid: Pid, msg: &str) {
        self.proc_err(pid, msg.as_bytes());
        self.proc_exit(pid, 2);
    }

    pub(crate) fn arping_start(&mut self, pid: Pid) {
        let Some(p) = self.proc(pid) else { return };
        let ns = p.ns;
        let App::Arping(a) = &p.app else { return };
        let o = a.opts.clone();
        // The device: -I, else the one the route to the target leaves by.
        let dev = match &o.device {
            Some(name) => match self.dev_by_name(ns, name) {
                Some(d) => d,
                None => {
                    return self
                        .arping_fail(pid, &format!("arping: Device {name} not available.\n"))
                }
            },
            None => match self.ip_route_output(ns, o.dst, Ipv4Addr::UNSPECIFIED, None) {
                Ok(rt) if !matches!(self.dev(rt.dev).kind, crate::kernel::DevKind::Loopback) => {
                    rt.dev
                }
                _ => {
                    return self.arping_fail(
                        pid,
                        "arping: Suitable device could not be determined. Please, use option -I.\n",
                    )
                }
            },
        };
        if !self.dev(dev).up {
            let name = self.dev(dev).name.clone();
            return self.arping_fail(pid, &format!("arping: Interface \"{name}\" is down\n"));
        }
        let src = if let Some(s) = o.source {
            if !self.inet_addr_is_local(ns, s) {
                return self.arping_fail(pid, "arping: bind: Cannot assign requested address\n");
            }
            s
        } else if o.dad {
            Ipv4Addr::UNSPECIFIED
        } else if o.unsolicited {
            o.dst
        } else {
            // A UDP probe socket bound to the device connect()s to the target.
            match self.ip_route_output(ns, o.dst, Ipv4Addr::UNSPECIFIED, Some(dev)) {
                Ok(rt) => rt.src,
                Err(_) => self.inet_select_addr(dev, o.dst, crate::net::fib::RT_SCOPE_LINK),
            }
        };
        let name = self.dev(dev).name.clone();
        if let Some(a) = self.arping(pid) {
            a.dev = Some(dev);
            a.src = src;
        }
        if !o.quiet {
            self.proc_out(
                pid,
                format!("ARPING {} from {src} {name}\n", o.dst).as_bytes(),
            );
        }
        self.arping_send(pid);
    }

    fn arping_send(&mut self, pid: Pid) {
        let now = self.now;
        let Some(a) = self.arping(pid) else { return };
        let Some(dev) = a.dev else { return };
        let (he, src, o) = (a.he, a.src, a.opts.clone());
        a.sent += 1;
        if he == ETH_BROADCAST {
            a.brd_sent += 1;
        }
        a.last_send = now;
        let me = self.dev(dev).mac;
        let arp = ArpRepr {
            op: if o.advert { ARPOP_REPLY } else { ARPOP_REQUEST },
            sha: me,
            sip: src,
            tha: if o.advert { me } else { he },
            tip: o.dst,
        };
        let frame = EthRepr {
            dst: he,
            src: me,
            ethertype: ETH_P_ARP,
        }
        .emit(&arp.emit());
        self.packet_sendmsg(dev, frame);
        let iv = o.interval;
        self.proc_arm(pid, iv);
    }

    pub(crate) fn arping_timer(&mut self, pid: Pid) {
        let now = self.now;
        let Some(a) = self.arping(pid) else { return };
        let o = &a.opts;
        if o.deadline.is_some_and(|d| now - a.start >= d)
            || (o.deadline.is_none() && o.count.is_some_and(|c| a.sent >= c))
        {
            return self.arping_finish(pid);
        }
        self.arping_send(pid);
    }

    /// `recv_pack`: a frame on the bound device from the target about us counts as a reply.
    pub(crate) fn arping_rcv(&mut self, pid: Pid, d: DevId, frame: &[u8]) {
        let now = self.now;
        let Some(a) = self.arping(pid) else { return };
        if a.dev != Some(d) {
            return;
        }
        let Ok(eth) = EthRepr::parse(frame) else {
            return;
        };
        if eth.ethertype != ETH_P_ARP {
            return;
        }
        let Ok(arp) = ArpRepr::parse(&frame[ETH_HLEN..]) else {
            return;
        };
        if arp.op != ARPOP_REQUEST && arp.op != ARPOP_REPLY {
            return;
        }
        let me = self.dev(d).mac;
        let Some(a) = self.arping(pid) else { return };
        // PACKET_OTHERHOST frames are not for us.
        let host = eth.dst == me;
        if !host && eth.dst[0] & 1 == 0 {
            return;
        }
        if arp.sip != a.opts.dst {
            return;
        }
        if !a.opts.dad {
            if arp.tip != a.src || arp.tha != me {
                return;
            }
        } else if arp.tip != a.opts.dst && !arp.tip.is_unspecified() {
            return;
        }
        let us = (now - a.last_send).as_nanos() / 1000;
        let quiet = a.opts.quiet;
        let line = format!(
            "{} {} from {} [{}]  {}.{:03}ms\n",
            if host { "Unicast" } else { "Broadcast" },
            if arp.op == ARPOP_REPLY {
                "reply"
            } else {
                "request"
            },
            arp.sip,
            arp.sha
                .iter()
                .map(|b| format!("{b:02X}"))
                .collect::<Vec<_>>()
                .join(":"),
            us / 1000,
            us % 1000
        );
        a.received += 1;
        if !host {
            a.brd_recv += 1;
        }
        let done = (a.opts.deadline.is_some() && a.opts.count.is_some_and(|c| a.received >= c))
            || a.opts.quit_on_reply
            || a.opts.dad;
        if !a.opts.broadcast_only {
            a.he = arp.sha;
        }
        if !quiet {
            self.proc_out(pid, line.as_bytes());
        }
        if done {
            self.arping_finish(pid);
        }
    }

    /// The statistics and the exit status (`-D`: 1 when someone answered; `-U`/`-A`: 0;
    /// else 1 when nobody did).
    pub(crate) fn arping_finish(&mut self, pid: Pid) {
        let Some(a) = self.arping(pid) else { return };
        let (sent, brd, recv, brd_recv) = (a.sent, a.brd_sent, a.received, a.brd_recv);
        let o = a.opts.clone();
        if !o.quiet {
            let mut s =
                format!("Sent {sent} probes ({brd} broadcast(s))\nReceived {recv} response(s)");
            if brd_recv > 0 {
                s.push_str(&format!(" ({brd_recv} broadcast(s))"));
            }
            s.push('\n');
            self.proc_out(pid, s.as_bytes());
        }
        let status = if o.dad {
            i32::from(recv > 0)
        } else if o.unsolicited {
            0
        } else {
            i32::from(recv == 0)
        };
        self.proc_exit(pid, status);
    }
}

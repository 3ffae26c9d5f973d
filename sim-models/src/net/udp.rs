//! UDP sockets: bind, sendto (auto-binding an ephemeral port), demultiplexing (`udp_rcv`:
//! exact local address first, then the wildcard) and ICMP port unreachable when no socket
//! listens.

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, Kernel, NsId, Pid};
use crate::net::route::RouteErr;
use crate::net::skbuff::SkBuff;
use crate::net::sock::{Errno, Proto, Sock, SockEvent, SockId};
use crate::wire::*;
use std::net::{Ipv4Addr, SocketAddrV4};

fn route_errno(e: RouteErr) -> Errno {
    e.errno()
}

impl Kernel {
    /// `socket(SOCK_DGRAM); bind(addr)` (port 0: an ephemeral port).
    pub fn udp_bind(&mut self, pid: Pid, ns: NsId, addr: SocketAddrV4) -> Result<SockId, Errno> {
        let ip = *addr.ip();
        if !ip.is_unspecified() && !self.inet_addr_is_local(ns, ip) {
            return Err(Errno::EADDRNOTAVAIL);
        }
        let used = |t: &crate::net::sock::SockTables, p: u16| {
            t.udp
                .keys()
                .any(|&(a, q)| q == p && (a == ip || a.is_unspecified() || ip.is_unspecified()))
        };
        let port = if addr.port() == 0 {
            self.ephemeral_port(ns, &used).ok_or(Errno::EADDRINUSE)?
        } else {
            if used(&self.net(ns).socks, addr.port()) {
                return Err(Errno::EADDRINUSE);
            }
            addr.port()
        };
        let s = self.sock_alloc(Sock {
            ns,
            owner: pid,
            proto: Proto::Udp,
            local: SocketAddrV4::new(ip, port),
            peer: None,
            tcp: None,
            closed_by_user: false,
        });
        self.net_mut(ns).socks.udp.insert((ip, port), s);
        Ok(s)
    }

    /// `sendto()`: routes (errors as errno), picks the source from the route when the socket is
    /// bound to the wildcard, sends one datagram (DF when it fits, as IP_PMTUDISC_WANT).
    pub fn udp_sendto(&mut self, s: SockId, dst: SocketAddrV4, data: &[u8]) -> Result<(), Errno> {
        let Some(sk) = self.sock(s) else {
            return Err(Errno::EINVAL);
        };
        let ns = sk.ns;
        let local = sk.local;
        let rt = self
            .ip_route_output(ns, *dst.ip(), *local.ip(), None)
            .map_err(route_errno)?;
        let src = if local.ip().is_unspecified() {
            rt.src
        } else {
            *local.ip()
        };
        let mtu = self.dev(rt.dev).mtu as usize;
        let len = 8 + data.len();
        let mut b = Vec::with_capacity(len);
        b.extend_from_slice(&local.port().to_be_bytes());
        b.extend_from_slice(&dst.port().to_be_bytes());
        b.extend_from_slice(&(len as u16).to_be_bytes());
        b.extend_from_slice(&[0, 0]);
        b.extend_from_slice(data);
        let c = crate::net::vxlan::udp4_checksum(src, *dst.ip(), &b);
        b[6..8].copy_from_slice(&c.to_be_bytes());
        let id = self.next_ip_id(ns);
        let ttl = self.default_ttl(ns);
        let ip = Ipv4Repr {
            tos: 0,
            total_len: 0,
            id,
            frag: if len + 20 <= mtu { IP_DF } else { 0 },
            ttl,
            proto: IPPROTO_UDP,
            src,
            dst: *dst.ip(),
            options: vec![],
        };
        // udp_send_skb: ENOBUFS is not reported to a socket without IP_RECVERR.
        match self.ip_send(ns, ip, b) {
            Err(RouteErr::NoBufs) => Ok(()),
            r => r.map_err(route_errno),
        }
    }

    /// `connect()` on a UDP socket (`ip4_datagram_connect`): the socket receives only from
    /// `dst` from now on, and ICMP errors about its datagrams reach it (`__udp4_lib_err`).
    /// The local address stays as bound (the kernel fills in the route's source).
    pub fn udp_connect(&mut self, s: SockId, dst: SocketAddrV4) {
        if let Some(sk) = self.sock_mut(s) {
            sk.peer = Some(dst);
        }
    }

    /// `__udp4_lib_err`: an ICMP error quoting one of our datagrams. A connected socket
    /// (without IP_RECVERR, the only kind modelled) gets the hard errors of
    /// `icmp_err_convert` as its pending error (read() returns it); unconnected ones ignore it.
    pub(crate) fn udp_err(&mut self, ns: NsId, icmp: &IcmpRepr) {
        let Ok((qip, hl)) = Ipv4Repr::parse_quoted(&icmp.data) else {
            return;
        };
        if qip.proto != IPPROTO_UDP || icmp.data.len() < hl + 4 {
            return;
        }
        let q = &icmp.data[hl..];
        let sport = u16::from_be_bytes([q[0], q[1]]);
        let dport = u16::from_be_bytes([q[2], q[3]]);
        let t = &self.net(ns).socks.udp;
        let Some(s) = t
            .get(&(qip.src, sport))
            .or_else(|| t.get(&(Ipv4Addr::UNSPECIFIED, sport)))
            .copied()
        else {
            return;
        };
        if self.sock(s).and_then(|x| x.peer) != Some(SocketAddrV4::new(qip.dst, dport)) {
            return;
        }
        let err = match (icmp.ty, icmp.code) {
            (ICMP_DEST_UNREACH, ICMP_NET_UNREACH) => Errno::ENETUNREACH,
            (ICMP_DEST_UNREACH, ICMP_PORT_UNREACH) => Errno::ECONNREFUSED,
            (ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED) | (ICMP_DEST_UNREACH, 2) => return,
            (ICMP_DEST_UNREACH, 6 | 9 | 10) => Errno::ENETUNREACH,
            (ICMP_DEST_UNREACH, _) => Errno::EHOSTUNREACH,
            // time exceeded is a soft error: not reported without IP_RECVERR.
            _ => return,
        };
        self.trace(ns, || format!("udp: ICMP error {err:?} for socket {s}"));
        self.sock_event(s, SockEvent::Error(err));
    }

    pub fn udp_close(&mut self, s: SockId) {
        let Some(sk) = self.sock(s) else { return };
        let (ns, key) = (sk.ns, (*sk.local.ip(), sk.local.port()));
        if self.nets.get(ns).is_some_and(|n| n.is_some()) {
            let t = &mut self.net_mut(ns).socks.udp;
            if t.get(&key) == Some(&s) {
                t.remove(&key);
            }
        }
        self.socks.remove(s);
    }

    /// `__udp4_lib_rcv`: hands a datagram to the bound socket, or answers ICMP port unreachable
    /// (not for broadcasts) and drops it with NO_SOCKET.
    pub fn udp_rcv(&mut self, d: DevId, skb: &SkBuff, hl: usize, ip: &Ipv4Repr, bcast: bool) {
        let ns = self.dev(d).ns;
        let pkt = skb.data();
        let u = &pkt[hl..];
        if u.len() < 8 {
            return self.kfree_skb_reason(Some(d), SkbDropReason::PktTooSmall, "__udp4_lib_rcv");
        }
        let sport = u16::from_be_bytes([u[0], u[1]]);
        let dport = u16::from_be_bytes([u[2], u[3]]);
        let ulen = (u16::from_be_bytes([u[4], u[5]]) as usize).clamp(8, u.len());
        let t = &self.net(ns).socks.udp;
        let sock = t
            .get(&(ip.dst, dport))
            .or_else(|| t.get(&(Ipv4Addr::UNSPECIFIED, dport)))
            .copied()
            // compute_score: a connected socket matches its peer's datagrams only.
            .filter(|&s| {
                self.sock(s)
                    .and_then(|x| x.peer)
                    .is_none_or(|p| p == SocketAddrV4::new(ip.src, sport))
            });
        match sock {
            Some(s) => {
                self.trace(ns, || {
                    format!(
                        "udp: {}:{} -> {}:{} delivered to socket {}",
                        ip.src, sport, ip.dst, dport, s
                    )
                });
                let from = SocketAddrV4::new(ip.src, sport);
                let data = u[8..ulen].to_vec();
                self.sock_event(s, SockEvent::Datagram { from, data });
            }
            None => {
                self.trace(ns, || {
                    format!(
                        "udp: no socket for {}:{} -> {}:{}",
                        ip.src, sport, ip.dst, dport
                    )
                });
                if !bcast {
                    self.icmp_send(
                        ns,
                        Some(d),
                        skb,
                        ICMP_DEST_UNREACH,
                        ICMP_PORT_UNREACH,
                        [0; 4],
                    );
                }
                let at = if bcast {
                    "ip_local_deliver_finish"
                } else {
                    "__udp4_lib_rcv"
                };
                self.kfree_skb_reason(Some(d), SkbDropReason::NoSocket, at);
            }
        }
    }
}

//! TCP as Linux 6.x does it on the wire: SYN options (MSS from the route's MTU, SACK permitted,
//! timestamps, window scale), initial windows, ISN and TSval offsets from the seeded RNG, MSS
//! segmentation with Nagle (Minshall) for sockets without TCP_NODELAY, quick ACKs at the start of
//! a connection then delayed ACKs (40 ms ATO, pingpong mode for request/response), the FIN
//! handshake and TIME_WAIT, RST for segments to no socket, retransmission with a 1 s initial RTO
//! and exponential backoff (`tcp_syn_retries` 6, `tcp_synack_retries` 5, `tcp_retries2` 15).
//!
//! # Differences from Linux
//! Out-of-order segments are dropped (no SACK blocks are generated, no reassembly queue); the
//! receive window does not auto-tune; congestion control is Reno slow start without fast
//! retransmit; listeners keep a full child socket per SYN (no request-sock minisocks, no SYN
//! cookies); no keepalive, no urgent data. Segments carry full checksums (the kernel's captures
//! on lo/veth show CHECKSUM_PARTIAL pseudo-header sums, which the comparison ignores); receivers
//! do not verify them.

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, Event, Kernel, NsId, Pid};
use crate::net::sock::{Errno, Proto, Sock, SockEvent, SockId, SockOpts};
use crate::wire::*;
use sim_core::{Duration, Instant};
use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddrV4};

pub const TCP_FIN: u8 = 0x01;
pub const TCP_SYN: u8 = 0x02;
pub const TCP_RST: u8 = 0x04;
pub const TCP_PSH: u8 = 0x08;
pub const TCP_ACK: u8 = 0x10;

/// `TCP_TIMEOUT_INIT`.
pub const TCP_TIMEOUT_INIT: Duration = Duration::from_secs(1);
/// `TCP_RTO_MIN` / `TCP_RTO_MAX`.
pub const TCP_RTO_MIN: Duration = Duration::from_millis(200);
pub const TCP_RTO_MAX: Duration = Duration::from_secs(120);
/// `TCP_ATO_MIN` (= `TCP_DELACK_MIN`, HZ/25).
pub const TCP_ATO_MIN: Duration = Duration::from_millis(40);
/// `TCP_TIMEWAIT_LEN`.
pub const TCP_TIMEWAIT_LEN: Duration = Duration::from_secs(60);
/// `TCP_MAX_QUICKACKS`.
const TCP_MAX_QUICKACKS: u32 = 16;
/// Window scale this kernel advertises (the recordings show 10 on lo and veth).
pub const TCP_WSCALE: u8 = 10;
/// `TCP_INIT_CWND`.
const TCP_INIT_CWND: u32 = 10;
const SYN_RETRIES: u32 = 6;
const SYNACK_RETRIES: u32 = 5;
const RETRIES2: u32 = 15;
/// `listen()` backlog default when none is given (`SOMAXCONN`).
pub const SOMAXCONN: u32 = 4096;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TcpState {
    Listen,
    SynSent,
    SynRecv,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
    Closed,
}

impl TcpState {
    /// The name `ss` prints.
    pub fn ss_name(self) -> &'static str {
        match self {
            TcpState::Listen => "LISTEN",
            TcpState::SynSent => "SYN-SENT",
            TcpState::SynRecv => "SYN-RECV",
            TcpState::Established => "ESTAB",
            TcpState::FinWait1 => "FIN-WAIT-1",
            TcpState::FinWait2 => "FIN-WAIT-2",
            TcpState::CloseWait => "CLOSE-WAIT",
            TcpState::Closing => "CLOSING",
            TcpState::LastAck => "LAST-ACK",
            TcpState::TimeWait => "TIME-WAIT",
            TcpState::Closed => "UNCONN",
        }
    }
}

/// Which of a connection's timers fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TcpTimer {
    Retransmit,
    DelAck,
    TimeWait,
}

/// `struct tcp_sock`, reduced to what the wire behaviour needs.
#[derive(Debug)]
pub struct TcpCb {
    pub state: TcpState,
    /// `sk_dst_pending_confirm`: an ACK showed the peer reachable (`sk_dst_confirm`); the next
    /// segment sent confirms the neighbour (`sock_confirm_neigh`).
    pub dst_pending_confirm: bool,
    pub iss: u32,
    pub snd_una: u32,
    pub snd_nxt: u32,
    /// Peer's window in bytes (scaled).
    pub snd_wnd: u32,
    pub rcv_nxt: u32,
    /// `rcv_wup`: rcv_nxt when we last sent an ACK.
    pub rcv_wup: u32,
    /// Our receive window in bytes.
    pub rcv_wnd: u32,
    pub snd_wscale: u8,
    pub rcv_wscale: u8,
    pub wscale_ok: bool,
    pub sack_ok: bool,
    pub ts_ok: bool,
    pub ts_offset: u32,
    pub ts_recent: u32,
    /// Our MSS option (`advmss`).
    pub advmss: u16,
    /// Send MSS (payload bytes per segment, options deducted).
    pub mss: u32,
    /// Bytes from snd_una on: sent-unacked then unsent.
    pub sendq: VecDeque<u8>,
    /// Sequence numbers where a `send()` ended (PSH goes on the segment ending there).
    pub push_marks: VecDeque<u32>,
    pub fin_queued: bool,
    pub fin_sent: bool,
    pub fin_rcvd: bool,
    pub nodelay: bool,
    /// End of the last sub-MSS segment sent (`snd_sml`, Minshall's Nagle).
    pub snd_sml: u32,
    pub cwnd: u32,
    pub rto: Duration,
    pub srtt: Option<Duration>,
    pub rttvar: Duration,
    pub rtt_probe: Option<(u32, Instant)>,
    pub retries: u32,
    pub timer_gen: [u64; 3],
    pub timer_at: [Option<Instant>; 3],
    /// Delayed-ACK state (`icsk_ack`).
    pub ato: Duration,
    pub lrcvtime: Instant,
    pub quick: u32,
    pub pingpong: bool,
    pub ack_pending: bool,
    pub ip_id: u16,
    /// A child not yet accepted: its listener.
    pub listener: Option<SockId>,
    /// `listen()` backlog (listeners only).
    pub backlog: u32,
    /// `IP_TTL` (None: `net.ipv4.ip_default_ttl`) and `IP_TOS`; children inherit them.
    pub ttl: Option<u8>,
    pub tos: u8,
}

/// A parsed TCP segment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TcpSeg {
    pub sport: u16,
    pub dport: u16,
    pub seq: u32,
    pub ack: u32,
    pub flags: u8,
    pub wnd: u16,
    pub mss: Option<u16>,
    pub wscale: Option<u8>,
    pub sack_perm: bool,
    pub ts: Option<(u32, u32)>,
    pub data: Vec<u8>,
}

impl TcpSeg {
    pub fn parse(b: &[u8]) -> Result<TcpSeg, SkbDropReason> {
        if b.len() < 20 {
            return Err(SkbDropReason::PktTooSmall);
        }
        let doff = (b[12] >> 4) as usize * 4;
        if doff < 20 || doff > b.len() {
            return Err(SkbDropReason::PktTooSmall);
        }
        let mut s = TcpSeg {
            sport: u16::from_be_bytes([b[0], b[1]]),
            dport: u16::from_be_bytes([b[2], b[3]]),
            seq: u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
            ack: u32::from_be_bytes([b[8], b[9], b[10], b[11]]),
            flags: b[13],
            wnd: u16::from_be_bytes([b[14], b[15]]),
            data: b[doff..].to_vec(),
            ..Default::default()
        };
        let o = &b[20..doff];
        let mut i = 0;
        while i < o.len() {
            match o[i] {
                0 => break,
                1 => i += 1,
                kind => {
                    let Some(&len) = o.get(i + 1) else { break };
                    let len = len as usize;
                    if len < 2 || i + len > o.len() {
                        break;
                    }
                    let v = &o[i + 2..i + len];
                    match (kind, len) {
                        (2, 4) => s.mss = Some(u16::from_be_bytes([v[0], v[1]])),
                        (3, 3) => s.wscale = Some(v[0].min(14)),
                        (4, 2) => s.sack_perm = true,
                        (8, 10) => {
                            s.ts = Some((
                                u32::from_be_bytes([v[0], v[1], v[2], v[3]]),
                                u32::from_be_bytes([v[4], v[5], v[6], v[7]]),
                            ))
                        }
                        _ => {}
                    }
                    i += len;
                }
            }
        }
        Ok(s)
    }
}

/// Serializes a TCP header + options + data with its checksum.
pub fn tcp_emit(src: Ipv4Addr, dst: Ipv4Addr, seg: &TcpSeg, opts: &[u8]) -> Vec<u8> {
    let hl = 20 + opts.len();
    let mut b = Vec::with_capacity(hl + seg.data.len());
    b.extend_from_slice(&seg.sport.to_be_bytes());
    b.extend_from_slice(&seg.dport.to_be_bytes());
    b.extend_from_slice(&seg.seq.to_be_bytes());
    b.extend_from_slice(&seg.ack.to_be_bytes());
    b.push(((hl / 4) as u8) << 4);
    b.push(seg.flags);
    b.extend_from_slice(&seg.wnd.to_be_bytes());
    b.extend_from_slice(&[0, 0, 0, 0]);
    b.extend_from_slice(opts);
    b.extend_from_slice(&seg.data);
    let c = l4_checksum(src, dst, IPPROTO_TCP, &b);
    b[16..18].copy_from_slice(&c.to_be_bytes());
    b
}

/// The TCP/UDP checksum over the pseudo-header and `seg` (whose checksum field is zero).
pub fn l4_checksum(src: Ipv4Addr, dst: Ipv4Addr, proto: u8, seg: &[u8]) -> u16 {
    let ph = csum_tcpudp_nofold(src, dst, seg.len() as u32, proto, 0);
    csum_fold(csum_partial(seg, ph))
}

fn seq_lt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}
fn seq_le(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) <= 0
}

/// Largest multiple of `mss` that fits 65535: the initial window `tcp_select_initial_window`
/// gives (64240 for MSS 1460, 65495 on lo).
fn initial_window(mss: u32) -> u32 {
    let mss = mss.max(1);
    if mss > 65535 {
        return 65535;
    }
    (65535 / mss) * mss
}

impl TcpCb {
    fn new(advmss: u16, iss: u32, ts_offset: u32, ip_id: u16) -> TcpCb {
        TcpCb {
            state: TcpState::Closed,
            dst_pending_confirm: false,
            iss,
            snd_una: iss,
            snd_nxt: iss,
            snd_wnd: 0,
            rcv_nxt: 0,
            rcv_wup: 0,
            rcv_wnd: initial_window(advmss as u32),
            snd_wscale: 0,
            rcv_wscale: TCP_WSCALE,
            wscale_ok: false,
            sack_ok: false,
            ts_ok: false,
            ts_offset,
            ts_recent: 0,
            advmss,
            mss: 536,
            sendq: VecDeque::new(),
            push_marks: VecDeque::new(),
            fin_queued: false,
            fin_sent: false,
            fin_rcvd: false,
            nodelay: false,
            snd_sml: iss,
            cwnd: TCP_INIT_CWND,
            rto: TCP_TIMEOUT_INIT,
            srtt: None,
            rttvar: Duration::ZERO,
            rtt_probe: None,
            retries: 0,
            timer_gen: [0; 3],
            timer_at: [None; 3],
            ato: Duration::ZERO,
            lrcvtime: Instant::EPOCH,
            quick: 0,
            pingpong: false,
            ack_pending: false,
            ip_id,
            listener: None,
            backlog: 0,
            ttl: None,
            tos: 0,
        }
    }

    /// The window field for a non-SYN segment (`tcp_select_window`).
    fn wnd_field(&self) -> u16 {
        let shift = if self.wscale_ok { self.rcv_wscale } else { 0 };
        let unit = 1u32 << shift;
        let w = self.rcv_wnd.div_ceil(unit) * unit;
        (w >> shift).min(65535) as u16
    }
}

fn timer_idx(t: TcpTimer) -> usize {
    match t {
        TcpTimer::Retransmit => 0,
        TcpTimer::DelAck => 1,
        TcpTimer::TimeWait => 2,
    }
}

impl Kernel {
    fn tcb(&self, s: SockId) -> Option<&TcpCb> {
        self.sock(s).and_then(|x| x.tcp.as_deref())
    }
    fn tcb_mut(&mut self, s: SockId) -> Option<&mut TcpCb> {
        self.sock_mut(s).and_then(|x| x.tcp.as_deref_mut())
    }

    /// A connection's state (None for a freed or non-TCP socket).
    pub fn tcp_state(&self, s: SockId) -> Option<TcpState> {
        self.tcb(s).map(|t| t.state)
    }

    /// `setsockopt(TCP_NODELAY)`.
    pub fn tcp_set_nodelay(&mut self, s: SockId, on: bool) {
        if let Some(t) = self.tcb_mut(s) {
            t.nodelay = on;
        }
    }

    /// `setsockopt(IP_TTL)` (bird sets 1 for a directly connected eBGP peer).
    pub fn tcp_set_ttl(&mut self, s: SockId, ttl: u8) {
        if let Some(t) = self.tcb_mut(s) {
            t.ttl = Some(ttl);
        }
    }

    /// `setsockopt(IP_TOS)` (bird sets 0xc0, internetwork control).
    pub fn tcp_set_tos(&mut self, s: SockId, tos: u8) {
        if let Some(t) = self.tcb_mut(s) {
            t.tos = tos;
        }
    }

    /// `socket(); bind(addr); listen()`.
    pub fn tcp_listen(&mut self, pid: Pid, ns: NsId, addr: SocketAddrV4) -> Result<SockId, Errno> {
        self.tcp_listen_backlog(pid, ns, addr, SOMAXCONN)
    }

    /// `listen(backlog)`; the backlog shows as Send-Q in `ss -l`.
    pub fn tcp_listen_backlog(
        &mut self,
        pid: Pid,
        ns: NsId,
        addr: SocketAddrV4,
        backlog: u32,
    ) -> Result<SockId, Errno> {
        let ip = *addr.ip();
        if !ip.is_unspecified() && !self.inet_addr_is_local(ns, ip) {
            return Err(Errno::EADDRNOTAVAIL);
        }
        let port = if addr.port() == 0 {
            self.ephemeral_port(ns, &|t, p| t.tcp_port_used(ip, p))
                .ok_or(Errno::EADDRINUSE)?
        } else {
            addr.port()
        };
        if self.net(ns).socks.tcp_port_used(ip, port) {
            return Err(Errno::EADDRINUSE);
        }
        let mut cb = TcpCb::new(0, 0, 0, 0);
        cb.state = TcpState::Listen;
        cb.backlog = backlog.min(SOMAXCONN);
        let s = self.sock_alloc(Sock {
            ns,
            owner: pid,
            proto: Proto::Tcp,
            local: SocketAddrV4::new(ip, port),
            peer: None,
            tcp: Some(Box::new(cb)),
            closed_by_user: false,
        });
        self.net_mut(ns).socks.tcp_listen.insert((ip, port), s);
        self.trace(ns, || format!("tcp: listen on {}:{}", ip, port));
        Ok(s)
    }

    /// `socket(); [bind()]; connect()`: routes first (ENETUNREACH before any packet), picks the
    /// source address and an ephemeral port, sends the SYN. Completion comes as
    /// `SockEvent::Connected` or `SockEvent::Error`.
    pub fn tcp_connect(
        &mut self,
        pid: Pid,
        ns: NsId,
        dst: SocketAddrV4,
        bind: Option<SocketAddrV4>,
    ) -> Result<SockId, Errno> {
        self.tcp_connect_with(pid, ns, dst, bind, SockOpts::default())
    }

    /// `socket(); setsockopt(...); [bind()]; connect()`: as [`Kernel::tcp_connect`], with the
    /// options set before the SYN leaves (bird sets `IP_TTL` and `IP_TOS` in `sk_setup`
    /// before its `connect()`), so the SYN carries them.
    pub fn tcp_connect_with(
        &mut self,
        pid: Pid,
        ns: NsId,
        dst: SocketAddrV4,
        bind: Option<SocketAddrV4>,
        opts: SockOpts,
    ) -> Result<SockId, Errno> {
        let bind_ip = bind.map_or(Ipv4Addr::UNSPECIFIED, |b| *b.ip());
        if !bind_ip.is_unspecified() && !self.inet_addr_is_local(ns, bind_ip) {
            return Err(Errno::EADDRNOTAVAIL);
        }
        let rt = self
            .ip_route_output(ns, *dst.ip(), bind_ip, None)
            .map_err(|e| e.errno())?;
        if dst.ip().is_broadcast()
            || dst.ip().is_multicast()
            || rt.rtype == crate::net::fib::RtnType::Broadcast
        {
            return Err(Errno::ENETUNREACH);
        }
        let src = rt.src;
        let (dip, dport) = (*dst.ip(), dst.port());
        let port = match bind.map(|b| b.port()).filter(|&p| p != 0) {
            Some(p) => {
                if self
                    .net(ns)
                    .socks
                    .tcp_conn
                    .contains_key(&(src, p, dip, dport))
                    || self.net(ns).socks.tcp_listen.contains_key(&(bind_ip, p))
                {
                    return Err(Errno::EADDRINUSE);
                }
                p
            }
            None => self
                .ephemeral_port(ns, &|t, p| {
                    t.tcp_conn.contains_key(&(src, p, dip, dport))
                        || t.tcp_listen.keys().any(|&(_, lp)| lp == p)
                })
                .ok_or(Errno::EADDRNOTAVAIL)?,
        };
        let mtu = self.dev(rt.dev).mtu.min(65535);
        let advmss = (mtu - 40) as u16;
        let iss = self.rng.next_u32();
        let ts_offset = self.rng.next_u32();
        let ip_id = self.rng.next_u32() as u16;
        let mut cb = TcpCb::new(advmss, iss, ts_offset, ip_id);
        cb.state = TcpState::SynSent;
        (cb.ttl, cb.tos, cb.nodelay) = (opts.ttl, opts.tos, opts.nodelay);
        let s = self.sock_alloc(Sock {
            ns,
            owner: pid,
            proto: Proto::Tcp,
            local: SocketAddrV4::new(src, port),
            peer: Some(dst),
            tcp: Some(Box::new(cb)),
            closed_by_user: false,
        });
        self.net_mut(ns)
            .socks
            .tcp_conn
            .insert((src, port, dip, dport), s);
        self.trace(ns, || {
            format!("tcp: connect {}:{} -> {}:{} (SYN)", src, port, dip, dport)
        });
        self.tcp_send_syn(s);
        Ok(s)
    }

    /// Queues bytes for sending (`send()`), then pushes what the windows and Nagle allow.
    pub fn tcp_send(&mut self, s: SockId, data: &[u8]) {
        let Some(t) = self.tcb_mut(s) else { return };
        if t.fin_queued
            || !matches!(
                t.state,
                TcpState::Established | TcpState::CloseWait | TcpState::SynSent | TcpState::SynRecv
            )
        {
            return;
        }
        if data.is_empty() {
            return;
        }
        t.sendq.extend(data.iter().copied());
        let end = t.snd_una.wrapping_add(t.sendq.len() as u32);
        t.push_marks.push_back(end);
        self.tcp_push(s, false);
    }

    /// Bytes queued but not yet acknowledged (`ss` Send-Q for connections).
    pub fn tcp_send_queue(&self, s: SockId) -> usize {
        self.tcb(s).map_or(0, |t| t.sendq.len())
    }

    /// `close()`: a listener stops; a connection sends FIN after its queued data (or nothing
    /// before the handshake); the socket is orphaned and finishes the handshake by itself.
    pub fn tcp_close(&mut self, s: SockId) {
        let Some(sk) = self.sock_mut(s) else { return };
        if sk.closed_by_user {
            return;
        }
        sk.closed_by_user = true;
        let Some(t) = self.tcb_mut(s) else { return };
        match t.state {
            TcpState::Listen => {
                // Children not yet accepted are reset (inet_csk_listen_stop).
                let children = self.sock_children(s);
                for c in children {
                    self.tcp_send_rst_on(c);
                    self.tcp_done(c);
                }
                self.tcp_done(s);
            }
            TcpState::SynSent | TcpState::Closed => self.tcp_done(s),
            _ => self.tcp_shutdown_wr(s),
        }
    }

    /// `shutdown(SHUT_WR)`: FIN after the queued data; the socket still receives.
    pub fn tcp_shutdown_wr(&mut self, s: SockId) {
        let ns = self.sock(s).map_or(0, |x| x.ns);
        let Some(t) = self.tcb_mut(s) else { return };
        if t.fin_queued {
            return;
        }
        match t.state {
            TcpState::SynRecv | TcpState::Established => {
                t.state = TcpState::FinWait1;
                t.fin_queued = true;
                self.trace(ns, || "tcp: FIN queued → FIN-WAIT-1".into());
                self.tcp_push(s, true);
            }
            TcpState::CloseWait => {
                t.state = TcpState::LastAck;
                t.fin_queued = true;
                self.trace(ns, || "tcp: FIN queued → LAST-ACK".into());
                self.tcp_push(s, true);
            }
            _ => {}
        }
    }

    /// Frees a connection: removes it from the tables and the arena.
    fn tcp_done(&mut self, s: SockId) {
        let Some(sk) = self.sock(s) else { return };
        let ns = sk.ns;
        let key_l = (*sk.local.ip(), sk.local.port());
        let key_c = sk
            .peer
            .map(|p| (*sk.local.ip(), sk.local.port(), *p.ip(), p.port()));
        if self.nets.get(ns).is_some_and(|n| n.is_some()) {
            let t = &mut self.net_mut(ns).socks;
            if t.tcp_listen.get(&key_l) == Some(&s) {
                t.tcp_listen.remove(&key_l);
            }
            if let Some(k) = key_c {
                if t.tcp_conn.get(&k) == Some(&s) {
                    t.tcp_conn.remove(&k);
                }
            }
        }
        self.socks.remove(s);
    }

    fn tcp_arm(&mut self, s: SockId, which: TcpTimer, after: Duration) {
        let now = self.now;
        let Some(t) = self.tcb_mut(s) else { return };
        let i = timer_idx(which);
        t.timer_gen[i] += 1;
        t.timer_at[i] = Some(now + after);
        let gen = t.timer_gen[i];
        // sk_reset_timer → mod_timer(jiffies + when): the retransmit, delayed-ACK and
        // TIME_WAIT timers run when their wheel bucket does (`crate::timer`).
        let at = self.mod_timer_at(after);
        self.schedule_in(
            at.saturating_since(now),
            Event::TcpTimer {
                sock: s,
                which,
                gen,
            },
        );
    }

    fn tcp_disarm(&mut self, s: SockId, which: TcpTimer) {
        if let Some(t) = self.tcb_mut(s) {
            let i = timer_idx(which);
            t.timer_gen[i] += 1;
            t.timer_at[i] = None;
        }
    }

    /// A connection timer fired (`tcp_retransmit_timer`, `tcp_delack_timer`, `tcp_time_wait`).
    pub(crate) fn tcp_timer(&mut self, s: SockId, which: TcpTimer, gen: u64) {
        let Some(t) = self.tcb_mut(s) else { return };
        let i = timer_idx(which);
        if t.timer_gen[i] != gen {
            return;
        }
        t.timer_at[i] = None;
        match which {
            TcpTimer::TimeWait => self.tcp_done(s),
            TcpTimer::DelAck => {
                if t.ack_pending {
                    if t.pingpong {
                        // Delayed ACK missed: leave pingpong mode.
                        t.pingpong = false;
                        t.ato = TCP_ATO_MIN;
                    }
                    self.tcp_send_ack(s);
                }
            }
            TcpTimer::Retransmit => self.tcp_retransmit_timer(s),
        }
    }

    fn tcp_retransmit_timer(&mut self, s: SockId) {
        let ns = self.sock(s).map_or(0, |x| x.ns);
        let Some(t) = self.tcb_mut(s) else { return };
        let limit = match t.state {
            TcpState::SynSent => SYN_RETRIES,
            TcpState::SynRecv => SYNACK_RETRIES,
            _ => RETRIES2,
        };
        if t.retries >= limit {
            let state = t.state;
            self.trace(ns, || {
                format!("tcp: retransmissions exhausted in {:?}", state)
            });
            if state == TcpState::SynRecv {
                self.tcp_done(s);
            } else {
                self.sock_event(s, SockEvent::Error(Errno::ETIMEDOUT));
                self.tcp_done(s);
            }
            return;
        }
        t.retries += 1;
        t.rto = (t.rto + t.rto).min(TCP_RTO_MAX);
        t.rtt_probe = None;
        t.cwnd = 1;
        let state = t.state;
        let retries = t.retries;
        self.trace(ns, || {
            format!("tcp: retransmit #{} in {:?}", retries, state)
        });
        match state {
            TcpState::SynSent => self.tcp_send_syn(s),
            TcpState::SynRecv => self.tcp_send_synack(s),
            _ => {
                // Retransmit the head segment (or the lone FIN).
                let rto = self.tcb(s).map_or(TCP_TIMEOUT_INIT, |t| t.rto);
                let una = self.tcb(s).map_or(0, |t| t.snd_una);
                self.tcp_xmit_from(s, una, true);
                self.tcp_arm(s, TcpTimer::Retransmit, rto);
            }
        }
    }

    fn tcp_ts_now(&self, t: &TcpCb) -> u32 {
        ((self.now.as_nanos() / 1_000_000) as u32).wrapping_add(t.ts_offset)
    }

    /// Builds and sends one segment from this connection.
    fn tcp_output(&mut self, s: SockId, seq: u32, flags: u8, data: Vec<u8>, syn_opts: bool) {
        let Some(sk) = self.sock(s) else { return };
        let ns = sk.ns;
        let (src, sport) = (*sk.local.ip(), sk.local.port());
        let Some(peer) = sk.peer else { return };
        let t = sk.tcp.as_deref().expect("tcp sock");
        let tsval = self.tcp_ts_now(t);
        let mut opts = Vec::new();
        let wnd = if syn_opts {
            // mss, sackOK, TS, nop, wscale — Linux's order for a SYN/SYN-ACK with all options.
            opts.extend_from_slice(&[2, 4]);
            opts.extend_from_slice(&t.advmss.to_be_bytes());
            let synack = flags & TCP_ACK != 0;
            if !synack || t.sack_ok {
                if !synack || t.ts_ok {
                    opts.extend_from_slice(&[4, 2, 8, 10]);
                    opts.extend_from_slice(&tsval.to_be_bytes());
                    opts.extend_from_slice(&(if synack { t.ts_recent } else { 0 }).to_be_bytes());
                } else {
                    opts.extend_from_slice(&[1, 1, 4, 2]);
                }
            } else if t.ts_ok {
                opts.extend_from_slice(&[1, 1, 8, 10]);
                opts.extend_from_slice(&tsval.to_be_bytes());
                opts.extend_from_slice(&t.ts_recent.to_be_bytes());
            }
            if !synack || t.wscale_ok {
                opts.extend_from_slice(&[1, 3, 3, t.rcv_wscale]);
            }
            t.rcv_wnd.min(65535) as u16
        } else {
            if t.ts_ok {
                opts.extend_from_slice(&[1, 1, 8, 10]);
                opts.extend_from_slice(&tsval.to_be_bytes());
                opts.extend_from_slice(&t.ts_recent.to_be_bytes());
            }
            t.wnd_field()
        };
        let ack = if flags & TCP_ACK != 0 { t.rcv_nxt } else { 0 };
        let seg = TcpSeg {
            sport,
            dport: peer.port(),
            seq,
            ack,
            flags,
            wnd,
            data,
            ..Default::default()
        };
        let bytes = tcp_emit(src, *peer.ip(), &seg, &opts);
        // A SYN-ACK goes out through ip_build_and_send_pkt with DF and IP id 0; a full socket
        // counts its own ids.
        let id = if flags & (TCP_SYN | TCP_ACK) == TCP_SYN | TCP_ACK {
            0
        } else {
            let t = self.tcb_mut(s).expect("tcp sock");
            let id = t.ip_id;
            t.ip_id = t.ip_id.wrapping_add(1);
            id
        };
        if flags & TCP_ACK != 0 {
            let t = self.tcb_mut(s).expect("tcp sock");
            t.ack_pending = false;
            t.rcv_wup = t.rcv_nxt;
            if t.quick > 0 && !t.pingpong {
                t.quick -= 1;
            }
            self.tcp_disarm(s, TcpTimer::DelAck);
        }
        let (ttl, tos) = self.tcb(s).map_or((None, 0), |t| (t.ttl, t.tos));
        let ttl = ttl.unwrap_or_else(|| self.default_ttl(ns));
        // skb->dst_pending_confirm from the socket; sock_confirm_neigh clears the socket's.
        let mut skb = crate::net::skbuff::SkBuff::new(bytes);
        skb.dst_pending_confirm = self
            .tcb_mut(s)
            .is_some_and(|t| std::mem::take(&mut t.dst_pending_confirm));
        let ip = Ipv4Repr {
            tos,
            total_len: 0,
            id,
            frag: IP_DF,
            ttl,
            proto: IPPROTO_TCP,
            src,
            dst: *peer.ip(),
            options: vec![],
        };
        let _ = self.ip_send_skb(ns, ip, skb);
    }

    pub(crate) fn default_ttl(&self, ns: NsId) -> u8 {
        self.net(ns).misc_sysctl.ip_default_ttl
    }

    fn tcp_send_syn(&mut self, s: SockId) {
        let Some(t) = self.tcb(s) else { return };
        let iss = t.iss;
        self.tcp_output(s, iss, TCP_SYN, vec![], true);
        if let Some(t) = self.tcb_mut(s) {
            t.snd_nxt = iss.wrapping_add(1);
            let rto = t.rto;
            self.tcp_arm(s, TcpTimer::Retransmit, rto);
        }
    }

    fn tcp_send_synack(&mut self, s: SockId) {
        let Some(t) = self.tcb(s) else { return };
        let iss = t.iss;
        self.tcp_output(s, iss, TCP_SYN | TCP_ACK, vec![], true);
        if let Some(t) = self.tcb_mut(s) {
            t.snd_nxt = iss.wrapping_add(1);
            let rto = t.rto;
            self.tcp_arm(s, TcpTimer::Retransmit, rto);
        }
    }

    fn tcp_send_ack(&mut self, s: SockId) {
        let Some(t) = self.tcb(s) else { return };
        let seq = t.snd_nxt;
        self.tcp_output(s, seq, TCP_ACK, vec![], false);
    }

    /// Sends what the send queue, the peer's window, cwnd and Nagle allow (`tcp_write_xmit`);
    /// `force` pushes a small tail segment regardless of Nagle (close, FIN).
    fn tcp_push(&mut self, s: SockId, force: bool) {
        let Some(t) = self.tcb(s) else { return };
        if matches!(
            t.state,
            TcpState::SynSent | TcpState::SynRecv | TcpState::Listen
        ) {
            return;
        }
        let nxt = t.snd_nxt;
        let _ = force;
        self.tcp_xmit_from(s, nxt, false);
    }

    /// Sends segments starting at `from` (snd_nxt for new data, snd_una for a retransmission of
    /// the head segment only).
    fn tcp_xmit_from(&mut self, s: SockId, from: u32, retransmit: bool) {
        let mut seq = from;
        loop {
            let now = self.now;
            let Some(t) = self.tcb(s) else { return };
            let off = seq.wrapping_sub(t.snd_una) as usize;
            let queued = t.sendq.len();
            let fin_pending = t.fin_queued && (!t.fin_sent || retransmit);
            if off > queued || (off == queued && !fin_pending) {
                return;
            }
            let mss = t.mss.max(1) as usize;
            let mut len = (queued - off).min(mss);
            // Receiver window and congestion window (in segments).
            let wnd_end = t
                .snd_una
                .wrapping_add(t.snd_wnd.max(if len == 0 { 1 } else { 0 }));
            let in_flight = t.snd_nxt.wrapping_sub(t.snd_una) as usize;
            if !retransmit {
                if len > 0 && seq_lt(wnd_end, seq.wrapping_add(len as u32)) {
                    let room = wnd_end.wrapping_sub(seq) as i64;
                    if room <= 0 {
                        return;
                    }
                    len = room as usize;
                }
                if len > 0 && in_flight >= (t.cwnd as usize) * mss {
                    return;
                }
            }
            let data: Vec<u8> = t.sendq.iter().skip(off).take(len).copied().collect();
            let end = seq.wrapping_add(len as u32);
            let is_tail = off + len == queued;
            // Nagle (Minshall): hold a sub-MSS tail while an earlier small segment is unacked.
            if !retransmit
                && len > 0
                && len < mss
                && is_tail
                && !t.nodelay
                && !t.fin_queued
                && seq_lt(t.snd_una, t.snd_sml)
                && seq_le(t.snd_sml, t.snd_nxt)
            {
                return;
            }
            let fin = is_tail && t.fin_queued;
            let psh = len > 0 && (is_tail || t.push_marks.iter().any(|&m| m == end));
            let mut flags = TCP_ACK;
            if psh {
                flags |= TCP_PSH;
            }
            if fin {
                flags |= TCP_FIN;
            }
            let rto = t.rto;
            let probe_free = t.rtt_probe.is_none();
            let rto_armed = t.timer_at[0].is_some();
            self.tcp_output(s, seq, flags, data, false);
            let t = self.tcb_mut(s).expect("tcp sock");
            let seg_end = end.wrapping_add(fin as u32);
            if seq_lt(t.snd_nxt, seg_end) {
                t.snd_nxt = seg_end;
            }
            if len > 0 && len < mss {
                t.snd_sml = end;
            }
            if fin {
                t.fin_sent = true;
            }
            if len > 0 && !retransmit {
                if probe_free {
                    t.rtt_probe = Some((end, now));
                }
                // tcp_event_data_sent: data sent soon after data arrived → pingpong (interactive).
                if t.ato > Duration::ZERO && now < t.lrcvtime + t.ato {
                    t.pingpong = true;
                }
            }
            if !rto_armed || retransmit {
                self.tcp_arm(s, TcpTimer::Retransmit, rto);
            }
            if retransmit || fin {
                return;
            }
            seq = end;
        }
    }

    /// Sends a RST for a connection being aborted (`tcp_send_active_reset`).
    fn tcp_send_rst_on(&mut self, s: SockId) {
        let Some(t) = self.tcb(s) else { return };
        let seq = t.snd_nxt;
        self.tcp_output(s, seq, TCP_RST | TCP_ACK, vec![], false);
    }

    /// `tcp_v4_send_reset`: the answer to a segment for which no socket exists.
    fn tcp_v4_send_reset(&mut self, ns: NsId, ip: &Ipv4Repr, seg: &TcpSeg) {
        if seg.flags & TCP_RST != 0 {
            return;
        }
        let (seq, ack, flags) = if seg.flags & TCP_ACK != 0 {
            (seg.ack, 0, TCP_RST)
        } else {
            let len = seg.data.len() as u32
                + (seg.flags & TCP_SYN != 0) as u32
                + (seg.flags & TCP_FIN != 0) as u32;
            (0, seg.seq.wrapping_add(len), TCP_RST | TCP_ACK)
        };
        let rst = TcpSeg {
            sport: seg.dport,
            dport: seg.sport,
            seq,
            ack,
            flags,
            wnd: 0,
            ..Default::default()
        };
        let bytes = tcp_emit(ip.dst, ip.src, &rst, &[]);
        let ttl = self.default_ttl(ns);
        let out = Ipv4Repr {
            tos: ip.tos,
            total_len: 0,
            id: 0,
            frag: IP_DF,
            ttl,
            proto: IPPROTO_TCP,
            src: ip.dst,
            dst: ip.src,
            options: vec![],
        };
        let _ = self.ip_send(ns, out, bytes);
    }

    /// `tcp_v4_rcv`: demultiplexes a segment to a connection, a listener, or answers RST.
    pub fn tcp_v4_rcv(&mut self, d: DevId, pkt: &[u8], hl: usize, ip: &Ipv4Repr) {
        let ns = self.dev(d).ns;
        let seg = match TcpSeg::parse(&pkt[hl..]) {
            Ok(s) => s,
            Err(r) => return self.kfree_skb_reason(Some(d), r, "tcp_v4_rcv"),
        };
        let tables = &self.net(ns).socks;
        let conn = tables
            .tcp_conn
            .get(&(ip.dst, seg.dport, ip.src, seg.sport))
            .copied();
        if let Some(s) = conn {
            self.trace(ns, || {
                format!(
                    "tcp: {}:{} -> {}:{} delivered to socket {}",
                    ip.src, seg.sport, ip.dst, seg.dport, s
                )
            });
            return self.tcp_rcv_state_process(s, seg);
        }
        let listener = tables
            .tcp_listen
            .get(&(ip.dst, seg.dport))
            .or_else(|| tables.tcp_listen.get(&(Ipv4Addr::UNSPECIFIED, seg.dport)))
            .copied();
        if let Some(l) = listener {
            if seg.flags & (TCP_SYN | TCP_ACK | TCP_RST) == TCP_SYN {
                self.trace(ns, || {
                    format!(
                        "tcp: SYN to listener {}:{} (socket {})",
                        ip.dst, seg.dport, l
                    )
                });
                return self.tcp_conn_request(l, d, ip, seg);
            }
            if seg.flags & TCP_RST != 0 {
                return self.kfree_skb_reason(Some(d), SkbDropReason::NoSocket, "tcp_v4_rcv");
            }
        }
        self.trace(ns, || {
            format!(
                "tcp: no socket for {}:{} -> {}:{}, reset",
                ip.src, seg.sport, ip.dst, seg.dport
            )
        });
        self.tcp_v4_send_reset(ns, ip, &seg);
        self.kfree_skb_reason(Some(d), SkbDropReason::NoSocket, "tcp_v4_rcv");
    }

    /// `tcp_conn_request`: a SYN on a listener makes a SYN-RECV child and sends SYN-ACK.
    fn tcp_conn_request(&mut self, l: SockId, d: DevId, ip: &Ipv4Repr, seg: TcpSeg) {
        let ns = self.dev(d).ns;
        let owner = self.sock(l).map_or(0, |x| x.owner);
        let pending = self.sock_children(l).len() as u32;
        let backlog = self.tcb(l).map_or(0, |t| t.backlog);
        if pending > backlog {
            return self.kfree_skb_reason(
                Some(d),
                SkbDropReason::TcpListenOverflow,
                "tcp_conn_request",
            );
        }
        let mtu = match self.ip_route_output(ns, ip.src, ip.dst, None) {
            Ok(rt) => self.dev(rt.dev).mtu.min(65535),
            Err(_) => {
                return self.kfree_skb_reason(
                    Some(d),
                    SkbDropReason::IpOutNoRoutes,
                    "tcp_conn_request",
                )
            }
        };
        let advmss = (mtu - 40) as u16;
        let iss = self.rng.next_u32();
        let ts_offset = self.rng.next_u32();
        let ip_id = self.rng.next_u32() as u16;
        let mut cb = TcpCb::new(advmss, iss, ts_offset, ip_id);
        cb.state = TcpState::SynRecv;
        cb.listener = Some(l);
        if let Some(lt) = self.tcb(l) {
            (cb.ttl, cb.tos, cb.nodelay) = (lt.ttl, lt.tos, lt.nodelay);
        }
        cb.irs_init(&seg, advmss, mtu);
        let s = self.sock_alloc(Sock {
            ns,
            owner,
            proto: Proto::Tcp,
            local: SocketAddrV4::new(ip.dst, seg.dport),
            peer: Some(SocketAddrV4::new(ip.src, seg.sport)),
            tcp: Some(Box::new(cb)),
            closed_by_user: false,
        });
        self.net_mut(ns)
            .socks
            .tcp_conn
            .insert((ip.dst, seg.dport, ip.src, seg.sport), s);
        self.tcp_send_synack(s);
    }

    fn tcp_rcv_state_process(&mut self, s: SockId, seg: TcpSeg) {
        let ns = self.sock(s).map_or(0, |x| x.ns);
        let Some(t) = self.tcb_mut(s) else { return };
        let state = t.state;
        if state == TcpState::SynSent {
            return self.tcp_rcv_synsent(s, seg);
        }
        if let Some((tsval, _)) = seg.ts {
            if t.ts_ok && seq_le(seg.seq, t.rcv_nxt) {
                t.ts_recent = tsval;
            }
        }
        if seg.flags & TCP_RST != 0 {
            // Acceptable if in window (we only check exact/ in-window start).
            self.trace(ns, || format!("tcp: RST received in {:?}", state));
            let err = match state {
                TcpState::SynRecv => None,
                TcpState::CloseWait | TcpState::LastAck | TcpState::TimeWait => {
                    Some(SockEvent::Closed)
                }
                _ => Some(SockEvent::Error(Errno::ECONNRESET)),
            };
            if let Some(e) = err {
                self.sock_event(s, e);
            }
            return self.tcp_done(s);
        }
        if seg.flags & TCP_SYN != 0 {
            if state == TcpState::SynRecv && seg.flags & TCP_ACK == 0 {
                // A retransmitted SYN: answer with the SYN-ACK again.
                return self.tcp_send_synack(s);
            }
            // Challenge ACK.
            return self.tcp_send_ack(s);
        }
        if seg.flags & TCP_ACK == 0 {
            return;
        }
        if state == TcpState::TimeWait {
            if seg.flags & TCP_FIN != 0 {
                self.tcp_send_ack(s);
                self.tcp_arm(s, TcpTimer::TimeWait, TCP_TIMEWAIT_LEN);
            }
            return;
        }
        // ACK processing.
        let t = self.tcb_mut(s).expect("tcp");
        if seq_lt(t.snd_nxt, seg.ack) {
            // Acks something we never sent.
            return self.tcp_send_ack(s);
        }
        if state == TcpState::SynRecv {
            if seg.ack != t.snd_nxt {
                return;
            }
            t.state = TcpState::Established;
            t.snd_una = seg.ack;
            // tcp_ack acks the SYN: forward progress, sk_dst_confirm.
            t.dst_pending_confirm = true;
            t.snd_sml = seg.ack;
            t.snd_wnd = (seg.wnd as u32) << t.snd_wscale;
            t.retries = 0;
            t.rto = TCP_TIMEOUT_INIT;
            let l = t.listener.take();
            self.tcp_disarm(s, TcpTimer::Retransmit);
            let peer = self.sock_peer(s).expect("connected");
            self.trace(ns, || format!("tcp: {} established (accepted)", peer));
            if let Some(l) = l {
                if self.sock(l).is_some_and(|x| !x.closed_by_user) {
                    self.sock_event(l, SockEvent::Accepted { child: s, peer });
                } else {
                    self.tcp_send_rst_on(s);
                    return self.tcp_done(s);
                }
            }
            if self.sock(s).is_none() {
                return;
            }
        } else {
            self.tcp_ack(s, &seg);
        }
        if self.sock(s).is_none() {
            return;
        }
        self.tcp_data_and_fin(s, seg);
    }

    /// Processes an acceptable ACK in a synchronized state (`tcp_ack`).
    fn tcp_ack(&mut self, s: SockId, seg: &TcpSeg) {
        let now = self.now;
        let Some(t) = self.tcb_mut(s) else { return };
        let wnd = (seg.wnd as u32) << t.snd_wscale;
        // sk_dst_confirm on forward progress, or on a pure duplicate ACK (!FLAG_NOT_DUP: no
        // data, no window update, nothing acked).
        let progress = seq_lt(t.snd_una, seg.ack);
        if progress || (seg.data.is_empty() && wnd == t.snd_wnd) {
            t.dst_pending_confirm = true;
        }
        t.snd_wnd = wnd;
        if seq_lt(t.snd_una, seg.ack) {
            let acked = seg.ack.wrapping_sub(t.snd_una) as usize;
            let data_acked = acked.min(t.sendq.len());
            t.sendq.drain(..data_acked);
            t.snd_una = seg.ack;
            while t.push_marks.front().is_some_and(|&m| seq_le(m, seg.ack)) {
                t.push_marks.pop_front();
            }
            t.retries = 0;
            if let Some((end, at)) = t.rtt_probe {
                if seq_le(end, seg.ack) {
                    let r = now - at;
                    match t.srtt {
                        None => {
                            t.srtt = Some(r);
                            t.rttvar = Duration(r.0 / 2);
                        }
                        Some(sr) => {
                            let diff = sr.0.abs_diff(r.0);
                            t.rttvar = Duration((3 * t.rttvar.0 + diff) / 4);
                            t.srtt = Some(Duration((7 * sr.0 + r.0) / 8));
                        }
                    }
                    t.rtt_probe = None;
                }
            }
            let srtt = t.srtt.unwrap_or(TCP_TIMEOUT_INIT);
            t.rto = (srtt + Duration((4 * t.rttvar.0).max(TCP_RTO_MIN.0))).min(TCP_RTO_MAX);
            // Slow start.
            let mss = t.mss.max(1) as usize;
            t.cwnd += data_acked.div_ceil(mss) as u32;
            let all_acked = t.snd_una == t.snd_nxt;
            let fin_acked = t.fin_sent && all_acked;
            let rto = t.rto;
            if all_acked {
                self.tcp_disarm(s, TcpTimer::Retransmit);
            } else {
                self.tcp_arm(s, TcpTimer::Retransmit, rto);
            }
            if fin_acked {
                let t = self.tcb_mut(s).expect("tcp");
                match t.state {
                    TcpState::FinWait1 => t.state = TcpState::FinWait2,
                    TcpState::Closing => {
                        t.state = TcpState::TimeWait;
                        self.tcp_arm(s, TcpTimer::TimeWait, TCP_TIMEWAIT_LEN);
                    }
                    TcpState::LastAck => {
                        self.sock_event(s, SockEvent::Closed);
                        return self.tcp_done(s);
                    }
                    _ => {}
                }
            }
        }
        self.tcp_push(s, false);
    }

    /// In-order data and FIN (`tcp_data_queue`, `tcp_fin`), then the ACK decision
    /// (`__tcp_ack_snd_check`).
    fn tcp_data_and_fin(&mut self, s: SockId, seg: TcpSeg) {
        let now = self.now;
        let ns = self.sock(s).map_or(0, |x| x.ns);
        let Some(t) = self.tcb_mut(s) else { return };
        let fin = seg.flags & TCP_FIN != 0;
        if seg.data.is_empty() && !fin {
            return;
        }
        if seg.seq != t.rcv_nxt || t.fin_rcvd {
            // Out of order or a duplicate: ACK at once (dupack), drop the data.
            self.tcp_send_ack(s);
            return self.kfree_skb_reason_ns(ns, SkbDropReason::TcpOfoDrop, "tcp_data_queue");
        }
        let mut deliver = None;
        if !seg.data.is_empty() {
            if self.sock(s).is_some_and(|x| x.closed_by_user) {
                // Data for a closed socket: abort with RST (tcp_rcv_state_process, TCPAbortOnData).
                self.trace(ns, || "tcp: data after close, reset".into());
                self.tcp_send_rst_on(s);
                return self.tcp_done(s);
            }
            let t = self.tcb_mut(s).expect("tcp");
            t.rcv_nxt = t.rcv_nxt.wrapping_add(seg.data.len() as u32);
            t.ack_pending = true;
            // tcp_event_data_recv: the first data starts quickack mode.
            if t.ato == Duration::ZERO {
                t.quick = TCP_MAX_QUICKACKS;
                t.ato = TCP_ATO_MIN;
            } else {
                let m = now - t.lrcvtime;
                if m.0 <= TCP_ATO_MIN.0 / 2 {
                    t.ato = Duration(t.ato.0 / 2 + TCP_ATO_MIN.0 / 2);
                } else if m < t.ato {
                    t.ato = Duration((t.ato.0 / 2 + m.0).min(t.rto.0));
                } else if m > t.rto {
                    t.quick = TCP_MAX_QUICKACKS;
                }
            }
            t.lrcvtime = now;
            deliver = Some(seg.data);
        }
        let t = self.tcb_mut(s).expect("tcp");
        let mut eof = false;
        if fin {
            t.rcv_nxt = t.rcv_nxt.wrapping_add(1);
            t.fin_rcvd = true;
            t.ack_pending = true;
            eof = true;
            match t.state {
                TcpState::Established => {
                    t.state = TcpState::CloseWait;
                    t.pingpong = true;
                }
                TcpState::FinWait1 => {
                    // Our FIN not yet acked: simultaneous close.
                    t.state = TcpState::Closing;
                    self.tcp_send_ack(s);
                }
                TcpState::FinWait2 => {
                    t.state = TcpState::TimeWait;
                    self.tcp_send_ack(s);
                    self.tcp_disarm(s, TcpTimer::Retransmit);
                    self.tcp_arm(s, TcpTimer::TimeWait, TCP_TIMEWAIT_LEN);
                }
                _ => {}
            }
            self.trace(ns, || "tcp: FIN received".into());
        }
        // __tcp_ack_snd_check.
        if let Some(t) = self.tcb(s) {
            if t.ack_pending {
                let unacked = t.rcv_nxt.wrapping_sub(t.rcv_wup);
                let quick = t.quick > 0 && !t.pingpong;
                if unacked > t.mss || quick {
                    self.tcp_send_ack(s);
                } else if t.timer_at[1].is_none() {
                    let ato = if t.ato == Duration::ZERO {
                        TCP_ATO_MIN
                    } else {
                        t.ato
                    };
                    let ato = if t.pingpong {
                        ato.min(Duration::from_millis(500))
                    } else {
                        ato
                    };
                    self.tcp_arm(s, TcpTimer::DelAck, ato);
                }
            }
        }
        if let Some(d) = deliver {
            self.sock_event(s, SockEvent::Data(d));
        }
        if eof && self.sock(s).is_some() {
            self.sock_event(s, SockEvent::Eof);
        }
    }

    /// `tcp_v4_err`: an ICMP error quoting one of our segments. Hard errors abort a connection
    /// that is still being set up (connect() fails: EHOSTUNREACH after a failed ARP, etc.);
    /// established connections only note a soft error (IP_RECVERR is off), as Linux.
    pub(crate) fn tcp_v4_err(&mut self, ns: NsId, icmp: &IcmpRepr) {
        let Ok((qip, hl)) = Ipv4Repr::parse_quoted(&icmp.data) else {
            return;
        };
        if qip.proto != IPPROTO_TCP || icmp.data.len() < hl + 8 {
            return;
        }
        let q = &icmp.data[hl..];
        let sport = u16::from_be_bytes([q[0], q[1]]);
        let dport = u16::from_be_bytes([q[2], q[3]]);
        let Some(&s) = self
            .net(ns)
            .socks
            .tcp_conn
            .get(&(qip.src, sport, qip.dst, dport))
        else {
            return;
        };
        // icmp_err_convert: which codes are fatal and their errno.
        let err = match (icmp.ty, icmp.code) {
            (ICMP_DEST_UNREACH, ICMP_NET_UNREACH) => Some(Errno::ENETUNREACH),
            (ICMP_DEST_UNREACH, ICMP_PORT_UNREACH) => Some(Errno::ECONNREFUSED),
            (ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED) => None,
            (ICMP_DEST_UNREACH, 6) => Some(Errno::ENETUNREACH),
            (ICMP_DEST_UNREACH, 9..=10) => Some(Errno::ENETUNREACH),
            (ICMP_DEST_UNREACH, 2) => None,
            (ICMP_DEST_UNREACH, _) => Some(Errno::EHOSTUNREACH),
            _ => None,
        };
        let Some(err) = err else { return };
        let state = self.tcp_state(s);
        self.trace(ns, || {
            format!("tcp: ICMP error {:?} for socket {} in {:?}", err, s, state)
        });
        if matches!(state, Some(TcpState::SynSent) | Some(TcpState::SynRecv)) {
            if state == Some(TcpState::SynSent) {
                self.sock_event(s, SockEvent::Error(err));
            }
            self.tcp_done(s);
        }
    }

    /// SYN-SENT: the SYN-ACK completes the handshake; a RST means ECONNREFUSED.
    fn tcp_rcv_synsent(&mut self, s: SockId, seg: TcpSeg) {
        let ns = self.sock(s).map_or(0, |x| x.ns);
        let now = self.now;
        let Some(t) = self.tcb_mut(s) else { return };
        if seg.flags & TCP_ACK != 0 && seg.ack != t.snd_nxt {
            if seg.flags & TCP_RST == 0 {
                let rst = TcpSeg {
                    seq: seg.ack,
                    ..Default::default()
                };
                let _ = rst;
            }
            return;
        }
        if seg.flags & TCP_RST != 0 {
            if seg.flags & TCP_ACK != 0 {
                self.trace(ns, || "tcp: RST in SYN-SENT: connection refused".into());
                self.sock_event(s, SockEvent::Error(Errno::ECONNREFUSED));
                self.tcp_done(s);
            }
            return;
        }
        if seg.flags & TCP_SYN == 0 || seg.flags & TCP_ACK == 0 {
            return;
        }
        let mtu = (t.advmss as u32) + 40;
        t.irs_init(&seg, t.advmss, mtu);
        t.state = TcpState::Established;
        t.snd_una = seg.ack;
        // tcp_ack acks the SYN: forward progress, sk_dst_confirm.
        t.dst_pending_confirm = true;
        t.snd_sml = seg.ack;
        t.snd_wnd = seg.wnd as u32; // SYN-ACK window is never scaled
        t.retries = 0;
        t.rto = TCP_TIMEOUT_INIT;
        t.lrcvtime = now;
        self.tcp_disarm(s, TcpTimer::Retransmit);
        self.trace(ns, || "tcp: SYN-ACK received, established".into());
        self.tcp_send_ack(s);
        self.sock_event(s, SockEvent::Connected);
        self.tcp_push(s, false);
    }
}

impl TcpCb {
    /// Takes the peer's ISN and SYN options (`tcp_parse_options` + `tcp_sync_mss`).
    fn irs_init(&mut self, seg: &TcpSeg, advmss: u16, mtu: u32) {
        self.rcv_nxt = seg.seq.wrapping_add(1);
        self.rcv_wup = self.rcv_nxt;
        self.sack_ok = seg.sack_perm;
        self.ts_ok = seg.ts.is_some();
        if let Some((v, _)) = seg.ts {
            self.ts_recent = v;
        }
        self.wscale_ok = seg.wscale.is_some();
        self.snd_wscale = seg.wscale.unwrap_or(0);
        if !self.wscale_ok {
            self.rcv_wscale = 0;
        }
        let peer_mss = seg.mss.unwrap_or(536) as u32;
        let opt_len = if self.ts_ok { 12 } else { 0 };
        self.mss = peer_mss
            .min(mtu.saturating_sub(40))
            .saturating_sub(opt_len)
            .max(48);
        if self.state == TcpState::SynRecv {
            // tcp_openreq_init_rwin: the SYN-ACK's window counts the timestamp option.
            self.rcv_wnd = initial_window(advmss as u32 - opt_len);
        } else {
            self.snd_wnd = seg.wnd as u32;
        }
    }
}

/// The `SocketAddrV4` of a connection's peer, for callers that know it is connected.
pub fn ep(ip: Ipv4Addr, port: u16) -> SocketAddrV4 {
    SocketAddrV4::new(ip, port)
}

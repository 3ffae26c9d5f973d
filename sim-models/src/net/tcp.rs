//! TCP as Linux 6.x does it on the wire: SYN options (MSS from the route's MTU, SACK permitted,
//! timestamps, window scale), initial windows, ISN and TSval offsets from the seeded RNG, MSS
//! segmentation with Nagle (Minshall) for sockets without TCP_NODELAY, quick ACKs at the start of
//! a connection then delayed ACKs (40 ms ATO, pingpong mode for request/response), the FIN
//! handshake and TIME_WAIT, RST for segments to no socket, retransmission with a 1 s initial RTO
//! and exponential backoff (`tcp_syn_retries` 6, `tcp_synack_retries` 5, `tcp_retries2` 15).
//! Loss recovery with SACK: the receiver's out-of-order queue with SACK and D-SACK blocks, the
//! sender's scoreboard, RACK loss detection (reordering window and timer), fast recovery with
//! PRR, and `tcp_enter_loss` on a timeout (tests/kernel/nslab-tcp-sack-recovery); tail loss
//! probes (tests/kernel/nslab-tcp-tail-loss).
//!
//! # Differences from Linux
//! The receive window does not auto-tune and there is no send-buffer limit; slow start and
//! congestion avoidance are Reno-like after CUBIC's multiplicative decrease (the recording
//! host's namespaces run BBR, whose window the loss labs so far do not show); no SACK
//! compression, no D-SACK undo, no duplicate-ACK recovery for peers without SACK, no 3 s
//! fallback RTO after a handshake without an RTT sample (`tcp_init_metrics`); listeners keep
//! a full child socket per SYN (no request-sock minisocks, no SYN cookies); no keepalive, no
//! urgent data. Segments carry full checksums (the kernel's captures on lo/veth show
//! CHECKSUM_PARTIAL pseudo-header sums, which the comparison ignores), and receivers verify
//! them, as the kernel does for a segment netem corrupted.

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
/// `TCP_TIMEOUT_FALLBACK`: the RTO of a connection whose handshake gave no RTT sample
/// (RFC 6298 5.7).
pub const TCP_TIMEOUT_FALLBACK: Duration = Duration::from_secs(3);
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
/// `TCP_INFINITE_SSTHRESH`.
const TCP_INFINITE_SSTHRESH: u32 = 0x7fff_ffff;
/// `net.ipv4.tcp_reordering`: SACKed segments past a hole that make it lost (dupthresh).
const TCP_REORDERING: u32 = 3;
/// `net.ipv4.tcp_max_reordering`.
const TCP_MAX_REORDERING: u32 = 300;
/// `TCP_RACK_RECOVERY_THRESH`: recoveries a grown reordering window lasts.
const TCP_RACK_RECOVERY_THRESH: u32 = 16;
/// `TCP_NUM_SACKS`: SACK blocks the receiver remembers.
const TCP_NUM_SACKS: usize = 4;
/// Out-of-order segments a receiver keeps: the kernel bounds its queue by the receive buffer
/// (`tcp_rmem` 131072 bytes of skb truesize, some 768 bytes each for small segments) and
/// prunes it (`tcp_prune_ofo_queue`); nslab bounds the count.
const TCP_OFO_MAX_SEGS: usize = 256;
/// `TCP_TIMEOUT_MIN_US` (2 ms): added to RACK's reordering timeout, and the loss probe's
/// floor with several segments in flight.
const TCP_TIMEOUT_MIN_US: Duration = Duration::from_millis(2);
/// CUBIC's multiplicative decrease (`beta` 717/1024) for `ssthresh` on loss.
const CUBIC_BETA: u32 = 717;
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

/// The congestion-avoidance state (`icsk_ca_state`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CaState {
    Open,
    /// SACKs or duplicate ACKs seen, nothing marked lost yet.
    Disorder,
    /// Fast recovery: a hole was marked lost (RACK), retransmitted as PRR allows.
    Recovery,
    /// After a retransmission timeout: every un-SACKed segment is lost.
    Loss,
}

/// What the retransmit timer slot is armed for (`icsk_pending`: the RTO, or RACK's
/// reordering timeout `ICSK_TIME_REO_TIMEOUT`, which shares the slot).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XmitTimer {
    Rto,
    ReoTimeout,
    /// The tail loss probe (`ICSK_TIME_LOSS_PROBE`, `tcp_send_loss_probe`).
    LossProbe,
}

/// One sent, not yet cumulatively acknowledged segment: an skb of the retransmit queue with
/// its `tcp_skb_cb` scoreboard bits (`TCPCB_SACKED_ACKED`, `TCPCB_LOST`,
/// `TCPCB_SACKED_RETRANS`) and its transmit time (`skb_mstamp_ns`) for RACK.
#[derive(Clone, Debug)]
pub struct TxSeg {
    pub seq: u32,
    /// End sequence, a FIN included.
    pub end: u32,
    pub sacked: bool,
    pub lost: bool,
    pub retrans: bool,
    /// Sent more than once, a loss probe included (`TCPCB_EVER_RETRANS`): RACK does not
    /// trust an RTT from it shorter than min_rtt.
    pub ever_retrans: bool,
    pub xmit: Instant,
    /// Transmit order within the connection (the kernel's `tsorted_sent_queue` order): breaks
    /// ties between segments sent at the same simulated instant, where the kernel's
    /// microsecond clocks would differ.
    pub order: u64,
}

/// A segment held in the out-of-order queue (`out_of_order_queue`).
#[derive(Clone, Debug)]
pub struct OfoSeg {
    pub seq: u32,
    pub data: Vec<u8>,
    pub fin: bool,
}

impl OfoSeg {
    fn end(&self) -> u32 {
        self.seq
            .wrapping_add(self.data.len() as u32)
            .wrapping_add(self.fin as u32)
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
    /// Sent segments not yet cumulatively acked, in sequence order (the retransmit queue).
    pub rtx: VecDeque<TxSeg>,
    pub ca_state: CaState,
    pub ssthresh: u32,
    /// snd_nxt when recovery or loss began (`high_seq`).
    pub high_seq: u32,
    /// Proportional rate reduction (`prior_cwnd`, `prr_delivered`, `prr_out`).
    pub prior_cwnd: u32,
    pub prr_delivered: u32,
    pub prr_out: u32,
    /// Congestion avoidance's ACK count (`snd_cwnd_cnt`).
    pub cwnd_cnt: u32,
    /// RACK: transmit time and order of the most recently sent segment (s)acked, and its RTT.
    pub rack_xmit: Option<(Instant, u64)>,
    /// Transmissions so far (`TxSeg::order`).
    pub xmit_count: u64,
    pub rack_rtt: Duration,
    /// Reordering was seen (`reord_seen`): RACK keeps its reordering window.
    pub reord_seen: bool,
    /// `tp->reordering`: how many segments out of order the path was seen to deliver
    /// (`tcp_check_sack_reordering`, at most `tcp_max_reordering` 300).
    pub reordering: u32,
    /// RACK's reordering window in min_rtt/4 steps (`rack.reo_wnd_steps`), grown by
    /// D-SACKs (`rack.dsack_seen`) and kept for `rack.reo_wnd_persist` recoveries.
    pub reo_wnd_steps: u32,
    pub reo_wnd_persist: u32,
    pub rack_dsack_seen: bool,
    /// Undo state (`undo_marker`: snd_una when recovery began; `undo_retrans`: its
    /// retransmissions not yet D-SACKed, -1 for none; `prior_ssthresh`), the TSval of the
    /// first retransmission (`retrans_stamp`), and the counts a D-SACK is checked against
    /// (`total_retrans`, `dsack_dups`).
    pub undo_marker: Option<u32>,
    pub undo_retrans: i32,
    pub prior_ssthresh: u32,
    pub retrans_stamp: Option<u32>,
    pub total_retrans: u32,
    pub dsack_dups: u32,
    pub min_rtt: Option<Duration>,
    pub xmit_timer: XmitTimer,
    /// The tail loss probe in flight: snd_nxt when it was sent (`tlp_high_seq`), and whether
    /// it resent the last segment rather than new data (`tlp_retrans`).
    pub tlp_high_seq: Option<u32>,
    pub tlp_retrans: bool,
    /// Receiver: the out-of-order queue, in sequence order, not overlapping.
    pub ofo: Vec<OfoSeg>,
    /// Receiver: SACK blocks to send (`selective_acks`, most recent first) and a D-SACK.
    pub sacks: Vec<(u32, u32)>,
    pub dsack: Option<(u32, u32)>,
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
    /// SACK blocks (option 5).
    pub sacks: Vec<(u32, u32)>,
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
                        (5, 10 | 18 | 26 | 34) => {
                            for b in v.chunks_exact(8) {
                                s.sacks.push((
                                    u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
                                    u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
                                ));
                            }
                        }
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
fn seq_max(a: u32, b: u32) -> u32 {
    if seq_lt(a, b) {
        b
    } else {
        a
    }
}
fn seq_min(a: u32, b: u32) -> u32 {
    if seq_lt(a, b) {
        a
    } else {
        b
    }
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
            rtx: VecDeque::new(),
            ca_state: CaState::Open,
            ssthresh: TCP_INFINITE_SSTHRESH,
            high_seq: iss,
            prior_cwnd: 0,
            prr_delivered: 0,
            prr_out: 0,
            cwnd_cnt: 0,
            rack_xmit: None,
            xmit_count: 0,
            rack_rtt: Duration::ZERO,
            reord_seen: false,
            reordering: TCP_REORDERING,
            reo_wnd_steps: 1,
            reo_wnd_persist: 0,
            rack_dsack_seen: false,
            undo_marker: None,
            undo_retrans: -1,
            prior_ssthresh: 0,
            retrans_stamp: None,
            total_retrans: 0,
            dsack_dups: 0,
            min_rtt: None,
            xmit_timer: XmitTimer::Rto,
            tlp_high_seq: None,
            tlp_retrans: false,
            ofo: Vec::new(),
            sacks: Vec::new(),
            dsack: None,
        }
    }

    /// `tcp_packets_in_flight`: packets_out - (sacked_out + lost_out) + retrans_out.
    /// `tcp_enter_recovery` → `tcp_init_cwnd_reduction`, with CUBIC's ssthresh.
    fn tcp_enter_recovery(&mut self) {
        // tcp_init_undo, and prior_ssthresh = tcp_current_ssthresh.
        self.tcp_init_undo();
        self.prior_ssthresh = self.ssthresh.max((self.cwnd >> 1) + (self.cwnd >> 2));
        self.prior_cwnd = self.cwnd;
        self.ssthresh = (self.cwnd * CUBIC_BETA / 1024).max(2);
        self.high_seq = self.snd_nxt;
        self.tlp_high_seq = None;
        self.prr_delivered = 0;
        self.prr_out = 0;
        self.cwnd_cnt = 0;
        self.ca_state = CaState::Recovery;
    }

    /// `tcp_init_undo`: recovery (or loss) begins at snd_una; the retransmissions out (and a
    /// probe that resent data) must all be D-SACKed for an undo.
    fn tcp_init_undo(&mut self) {
        self.undo_marker = Some(self.snd_una);
        let mut n = self.rtx.iter().filter(|x| x.retrans).count() as i32;
        if self.tlp_high_seq.is_some() && self.tlp_retrans {
            n += 1;
        }
        self.undo_retrans = if n == 0 { -1 } else { n };
    }

    /// `tcp_packet_delayed`: the ACK echoes a timestamp older than the first retransmission
    /// (the original arrived, not the resend); with no retransmission yet, a SACK connection
    /// counts as delayed (6.18).
    fn tcp_packet_delayed(&self, tsecr: Option<u32>) -> bool {
        match self.retrans_stamp {
            Some(rs) => tsecr.is_some_and(|e| self.ts_ok && e != 0 && seq_lt(e, rs)),
            None => self.sack_ok,
        }
    }

    /// `tcp_may_undo`.
    fn tcp_may_undo(&self, tsecr: Option<u32>) -> bool {
        self.undo_marker.is_some() && (self.undo_retrans == 0 || self.tcp_packet_delayed(tsecr))
    }

    /// `tcp_undo_cwnd_reduction`: CUBIC's `undo_cwnd` (the larger of cwnd and the cwnd before
    /// the reduction) and the ssthresh before it; `unmark_loss` forgets the lost marks.
    fn tcp_undo_cwnd_reduction(&mut self, unmark_loss: bool) {
        if unmark_loss {
            for x in self.rtx.iter_mut() {
                x.lost = false;
            }
        }
        if self.prior_ssthresh > 0 {
            self.cwnd = self.cwnd.max(self.prior_cwnd);
            if self.prior_ssthresh > self.ssthresh {
                self.ssthresh = self.prior_ssthresh;
            }
        }
        self.undo_marker = None;
    }

    /// `tcp_try_undo_dsack`: every retransmission of the episode was D-SACKed.
    fn tcp_try_undo_dsack(&mut self) -> bool {
        if self.undo_marker.is_some() && self.undo_retrans == 0 {
            self.reo_wnd_persist = (self.reo_wnd_persist + 1).min(TCP_RACK_RECOVERY_THRESH);
            self.tcp_undo_cwnd_reduction(false);
            return true;
        }
        false
    }

    /// `tcp_any_retrans_done`: retransmissions out, or the head was ever resent.
    fn tcp_any_retrans_done(&self) -> bool {
        self.rtx.iter().any(|x| x.retrans) || self.rtx.front().is_some_and(|h| h.ever_retrans)
    }

    /// `tcp_try_to_open`: Disorder while anything is SACKed or resent, else Open.
    fn tcp_try_to_open(&mut self) {
        if !self.tcp_any_retrans_done() {
            self.retrans_stamp = None;
        }
        self.ca_state = if self.sacked_out() > 0 || self.tcp_any_retrans_done() {
            CaState::Disorder
        } else {
            CaState::Open
        };
    }

    /// `tcp_check_dsack` + `tcp_dsack_seen`: a first SACK block below the cumulative ACK, or
    /// inside the second, reports data received twice. One the sender cannot have caused
    /// (more D-SACKed segments than it ever resent, or longer than the window) is skipped;
    /// otherwise each D-SACKed resend counts off `undo_retrans`, and after reordering RACK's
    /// window is to grow (not for a D-SACK of the loss probe). Returns whether it was one.
    fn tcp_check_dsack(&mut self, sacks: &[(u32, u32)], ack: u32, prior_snd_una: u32) -> bool {
        let Some((a, b)) = sacks.first().copied().filter(|&(a, b)| {
            seq_lt(a, b)
                && (seq_lt(a, ack)
                    || sacks
                        .get(1)
                        .is_some_and(|&(c, d)| seq_le(b, d) && seq_le(c, a)))
        }) else {
            return false;
        };
        let len = b.wrapping_sub(a);
        let mss = self.mss.max(1);
        let dup_segs = if len > mss { len.div_ceil(mss) } else { 1 };
        let dsack_tlp = len <= mss && self.tlp_high_seq == Some(b);
        if len > self.snd_wnd.max(65535) {
            return false;
        }
        self.dsack_dups = self.dsack_dups.saturating_add(dup_segs);
        if self.dsack_dups > self.total_retrans {
            return false;
        }
        if self.reord_seen && !dsack_tlp {
            self.rack_dsack_seen = true;
        }
        if let Some(m) = self.undo_marker {
            if self.undo_retrans > 0 && seq_lt(m, b) {
                if seq_le(b, prior_snd_una) {
                    // D-SACK for data already cumulatively acked: dumb counting.
                    self.undo_retrans = (self.undo_retrans - dup_segs as i32).max(0);
                } else {
                    // D-SACK of resent segments still queued (tcp_sacktag_one, dup_sack).
                    let resent = self
                        .rtx
                        .iter()
                        .filter(|x| x.ever_retrans && seq_le(a, x.seq) && seq_le(x.end, b))
                        .count() as i32;
                    self.undo_retrans = (self.undo_retrans - resent).max(0);
                }
            }
        }
        true
    }

    /// `tcp_retransmit_skb`'s accounting: counted for undo, the first resend's TSval kept
    /// (`retrans_stamp`).
    fn tcp_note_retransmit(&mut self, ts: u32) {
        self.total_retrans = self.total_retrans.saturating_add(1);
        self.retrans_stamp.get_or_insert(ts);
        self.undo_retrans = self.undo_retrans.max(0).saturating_add(1);
    }

    /// `tcp_check_sack_reordering`: a segment never resent was (s)acked at `low_seq`, below
    /// the highest SACKed sequence: the path reorders by that many segments.
    fn tcp_check_sack_reordering(&mut self, low_seq: u32, fack: u32) {
        if !seq_lt(low_seq, fack) {
            return;
        }
        let mss = self.mss.max(1);
        let metric = fack.wrapping_sub(low_seq);
        if metric > self.reordering * mss {
            self.reordering = metric.div_ceil(mss).min(TCP_MAX_REORDERING);
        }
        self.reord_seen = true;
    }

    /// `tcp_process_tlp_ack`: an ACK during a tail loss probe episode. Once it covers the
    /// probe: a probe of new data, or a probe the receiver D-SACKs (the original arrived
    /// too), ends the episode; an ACK past it shows the probe repaired a real loss, which
    /// reduces cwnd as recovery would (`tcp_init_cwnd_reduction`, CWR, `tcp_end_cwnd_reduction`,
    /// `tcp_try_keep_open`); a pure duplicate ACK ends it too.
    fn tcp_process_tlp_ack(
        &mut self,
        ack: u32,
        high: u32,
        una_advanced: bool,
        not_dup: bool,
        data_sacked: bool,
        dsack_tlp: bool,
    ) {
        if seq_lt(ack, high) {
            return;
        }
        if !self.tlp_retrans || dsack_tlp {
            self.tlp_high_seq = None;
        } else if seq_lt(high, ack) {
            self.high_seq = self.snd_nxt;
            self.tlp_high_seq = None;
            self.prior_cwnd = self.cwnd;
            self.prr_delivered = 0;
            self.prr_out = 0;
            self.ssthresh = (self.cwnd * CUBIC_BETA / 1024).max(2);
            self.cwnd = self.ssthresh;
            self.cwnd_cnt = 0;
            let retrans_done = self.rtx.iter().any(|x| x.retrans)
                || self.rtx.front().is_some_and(|h| h.ever_retrans);
            self.ca_state = if self.sacked_out() + self.lost_out() > 0 || retrans_done {
                CaState::Disorder
            } else {
                CaState::Open
            };
        } else if !(una_advanced || not_dup || data_sacked) {
            self.tlp_high_seq = None;
        }
    }

    /// `tcp_rtt_estimator` + `tcp_set_rto`: one RTT sample.
    fn tcp_rtt_estimator(&mut self, r: Duration) {
        match self.srtt {
            None => {
                self.srtt = Some(r);
                self.rttvar = Duration(r.0 / 2);
            }
            Some(sr) => {
                let diff = sr.0.abs_diff(r.0);
                self.rttvar = Duration((3 * self.rttvar.0 + diff) / 4);
                self.srtt = Some(Duration((7 * sr.0 + r.0) / 8));
            }
        }
        self.min_rtt = Some(self.min_rtt.map_or(r, |m| m.min(r)));
        let srtt = self.srtt.unwrap_or(TCP_TIMEOUT_INIT);
        self.rto = (srtt + Duration((4 * self.rttvar.0).max(TCP_RTO_MIN.0))).min(TCP_RTO_MAX);
    }

    /// `tcp_rtt_tsopt_us(tp, 1)`: the RTT the echoed timestamp gives (ms granularity, at
    /// least 1 ms), when the connection uses timestamps and the peer echoed one.
    fn tcp_rtt_tsopt(&self, ts_now: u32, tsecr: Option<u32>) -> Option<Duration> {
        let ecr = tsecr.filter(|&e| e != 0 && self.ts_ok)?;
        let delta = ts_now.wrapping_sub(ecr);
        (delta < i32::MAX as u32 / 1000).then(|| Duration::from_millis(delta.max(1) as u64))
    }

    /// The handshake's ACK (`tcp_ack_update_rtt` with `FLAG_SYN_ACKED`): an RTT sample from
    /// the SYN (or SYN-ACK) sent once, else from the echoed timestamp; then
    /// `tcp_init_transfer`: `tcp_init_metrics` (no cached metrics: ssthresh back to infinite,
    /// and without a sample the 3 s fallback RTO), and cwnd 1 after more than one SYN
    /// retransmission (`total_retrans > 1 && undo_marker`: the active side's
    /// `tcp_enter_loss` set undo_marker), else the initial window.
    fn tcp_handshake_done(&mut self, now: Instant, ts_now: u32, tsecr: Option<u32>, active: bool) {
        self.rto = TCP_TIMEOUT_INIT;
        match self.rtt_probe.take() {
            Some((_, at)) => self.tcp_rtt_estimator(now - at),
            None => {
                if let Some(r) = self.tcp_rtt_tsopt(ts_now, tsecr) {
                    self.tcp_rtt_estimator(r);
                }
            }
        }
        self.ssthresh = TCP_INFINITE_SSTHRESH;
        if self.srtt.is_none() {
            self.rttvar = TCP_TIMEOUT_FALLBACK;
            self.rto = TCP_TIMEOUT_FALLBACK;
        }
        self.cwnd = if active && self.retries > 1 {
            1
        } else {
            TCP_INIT_CWND
        };
        self.ca_state = CaState::Open;
        self.retries = 0;
    }

    /// `tcp_rto_delta_us`: how far in the future the head segment's RTO is (its last
    /// transmission plus `icsk_rto`, a whole number of jiffies), in ns; may be negative.
    fn tcp_rto_delta(&self, now: Instant) -> i64 {
        let rto = (crate::timer::to_jiffies(self.rto) * crate::timer::TICK_NSEC) as i64;
        match self.rtx.front() {
            Some(h) => h.xmit.as_nanos() as i64 + rto - now.as_nanos() as i64,
            None => rto,
        }
    }

    fn packets_in_flight(&self) -> u32 {
        self.rtx
            .iter()
            .filter(|x| !x.sacked && (!x.lost || x.retrans))
            .count() as u32
    }

    fn sacked_out(&self) -> u32 {
        self.rtx.iter().filter(|x| x.sacked).count() as u32
    }

    /// `tcp_highest_sack_seq`: the end of the highest SACKed segment, if any is.
    fn tcp_highest_sack_seq(&self) -> Option<u32> {
        self.rtx
            .iter()
            .filter(|x| x.sacked)
            .map(|x| x.end)
            .next_back()
    }

    fn lost_out(&self) -> u32 {
        self.rtx.iter().filter(|x| x.lost).count() as u32
    }

    /// `tcp_rack_advance`: a segment sent at `xmit` (transmission `order`) was (s)acked: its
    /// RTT becomes `rack.rtt_us` whether or not it was the most recently sent. A
    /// retransmitted one (s)acked sooner than min_rtt after its last transmission was an
    /// earlier copy arriving: ambiguous, not used.
    fn rack_advance(&mut self, x: &TxSeg, now: Instant) {
        let rtt = now - x.xmit;
        if x.ever_retrans && self.min_rtt.is_some_and(|m| rtt < m) {
            return;
        }
        let newer = match self.rack_xmit {
            None => true,
            Some((t, o)) => x.xmit > t || (x.xmit == t && x.order > o),
        };
        // The RTT is the last (s)acked segment's, newest or not; only the send time and
        // sequence track the most recently sent one.
        self.rack_rtt = rtt;
        if newer {
            self.rack_xmit = Some((x.xmit, x.order));
        }
    }

    /// `tcp_rack_reo_wnd`: no reordering window once `tcp_reordering` segments are SACKed or
    /// in recovery (unless reordering was seen), else min_rtt/4 (at most srtt).
    fn rack_reo_wnd(&self) -> Duration {
        if !self.reord_seen
            && (self.ca_state >= CaState::Recovery || self.sacked_out() >= self.reordering)
        {
            return Duration::ZERO;
        }
        let q = Duration(self.min_rtt.unwrap_or(Duration::ZERO).0 / 4 * self.reo_wnd_steps as u64);
        match self.srtt {
            Some(sr) => q.min(sr),
            None => q,
        }
    }

    /// `tcp_rack_detect_loss`: marks lost every segment sent before the last (s)acked one
    /// whose RTT plus the reordering window has passed; returns the longest wait left for
    /// the others (the reordering timeout), zero if none.
    fn rack_detect_loss(&mut self, now: Instant) -> Duration {
        let Some((rx, rorder)) = self.rack_xmit else {
            return Duration::ZERO;
        };
        let reo_wnd = self.rack_reo_wnd();
        let rtt = self.rack_rtt;
        let mut wait = Duration::ZERO;
        for x in self.rtx.iter_mut() {
            if x.sacked || (x.lost && !x.retrans) {
                continue;
            }
            let sent_before = rx > x.xmit || (rx == x.xmit && x.order < rorder);
            if !sent_before {
                continue;
            }
            let waited = now - x.xmit;
            let limit = rtt + reo_wnd;
            if waited >= limit {
                x.lost = true;
                x.retrans = false;
            } else {
                wait = wait.max(Duration(limit.0 - waited.0));
            }
        }
        wait
    }

    /// `tcp_enter_quickack_mode`: ACK the next segments at once, leave pingpong mode.
    fn enter_quickack_mode(&mut self) {
        self.quick = TCP_MAX_QUICKACKS;
        self.pingpong = false;
        self.ato = TCP_ATO_MIN;
    }

    /// `tcp_data_queue_ofo`: queues an out-of-order segment (merged with what it overlaps) and
    /// updates the SACK blocks; a segment the queue already holds is D-SACKed instead.
    /// Returns whether it added anything.
    fn data_queue_ofo(&mut self, seq: u32, data: Vec<u8>, fin: bool) -> bool {
        let new = OfoSeg { seq, data, fin };
        let end = new.end();
        if self.ofo.is_empty() {
            self.sacks = vec![(seq, end)];
            self.ofo.push(new);
            return true;
        }
        if self
            .ofo
            .iter()
            .any(|o| seq_le(o.seq, seq) && seq_le(end, o.end()))
        {
            if self.sack_ok {
                self.dsack = Some((seq, end));
            }
            return false;
        }
        // Merge with every queued segment it overlaps.
        let mut start = seq;
        let mut stop = end;
        let mut over = Vec::new();
        let mut i = 0;
        while i < self.ofo.len() {
            let o = &self.ofo[i];
            if seq_lt(o.seq, end) && seq_lt(seq, o.end()) {
                start = seq_min(start, o.seq);
                stop = seq_max(stop, o.end());
                over.push(self.ofo.remove(i));
            } else {
                i += 1;
            }
        }
        let merged = if over.is_empty() {
            new
        } else {
            let any_fin = new.fin || over.iter().any(|o| o.fin);
            let len = stop.wrapping_sub(start).wrapping_sub(any_fin as u32) as usize;
            let mut buf = vec![0u8; len];
            for o in over.iter().chain(std::iter::once(&new)) {
                let off = o.seq.wrapping_sub(start) as usize;
                let n = o.data.len().min(len.saturating_sub(off));
                buf[off..off + n].copy_from_slice(&o.data[..n]);
            }
            OfoSeg {
                seq: start,
                data: buf,
                fin: any_fin,
            }
        };
        let at = self
            .ofo
            .iter()
            .position(|o| seq_lt(merged.seq, o.seq))
            .unwrap_or(self.ofo.len());
        self.ofo.insert(at, merged);
        if self.sack_ok {
            self.sack_new_ofo(seq, end);
        }
        true
    }

    /// `tcp_ofo_queue`: moves the queued segments that now follow rcv_nxt into the stream;
    /// returns their bytes and whether a FIN came with them.
    fn ofo_queue(&mut self) -> (Vec<u8>, bool) {
        let mut out = Vec::new();
        let mut fin = false;
        while let Some(o) = self.ofo.first() {
            if seq_lt(self.rcv_nxt, o.seq) {
                break;
            }
            let o = self.ofo.remove(0);
            if seq_le(o.end(), self.rcv_nxt) {
                continue;
            }
            let cut = (self.rcv_nxt.wrapping_sub(o.seq) as usize).min(o.data.len());
            out.extend_from_slice(&o.data[cut..]);
            self.rcv_nxt = self.rcv_nxt.wrapping_add((o.data.len() - cut) as u32);
            if o.fin {
                fin = true;
                self.ofo.clear();
                break;
            }
        }
        (out, fin)
    }

    /// `tcp_sack_new_ofo_skb`: a new out-of-order segment extends a SACK block (which moves to
    /// the front) or starts a new one at the front; at most `TCP_NUM_SACKS` are kept.
    fn sack_new_ofo(&mut self, seq: u32, end: u32) {
        if let Some(i) = self
            .sacks
            .iter()
            .position(|&(a, b)| seq_le(a, end) && seq_le(seq, b))
        {
            let (a, b) = self.sacks.remove(i);
            let mut blk = (seq_min(a, seq), seq_max(b, end));
            // tcp_sack_maybe_coalesce.
            let mut j = 0;
            while j < self.sacks.len() {
                let (c, d) = self.sacks[j];
                if seq_le(c, blk.1) && seq_le(blk.0, d) {
                    blk = (seq_min(c, blk.0), seq_max(d, blk.1));
                    self.sacks.remove(j);
                } else {
                    j += 1;
                }
            }
            self.sacks.insert(0, blk);
            return;
        }
        self.sacks.truncate(TCP_NUM_SACKS - 1);
        self.sacks.insert(0, (seq, end));
    }

    /// The window field for a non-SYN segment (`tcp_select_window`).
    fn wnd_field(&self) -> u16 {
        let shift = if self.wscale_ok { self.rcv_wscale } else { 0 };
        let unit = 1u32 << shift;
        let w = self.rcv_wnd.div_ceil(unit) * unit;
        (w >> shift).min(65535) as u16
    }
}

/// What `tcp_xmit_from` sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Xmit {
    /// New data as the windows and Nagle allow (`tcp_write_xmit`).
    New,
    /// The head segment again (the retransmission timer).
    Head,
    /// One new segment as a loss probe (`tcp_write_xmit(.., push_one = 2)`).
    Probe,
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
        // tcp_syn_options: the SYN offers timestamps when net.ipv4.tcp_timestamps is set.
        cb.ts_ok = self.tcp_timestamps(ns);
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

    /// `send(); close()` with nothing between: the data and the FIN are queued before anything
    /// is pushed, so a tail that fits goes out with the FIN on it (a server that writes its
    /// last bytes and closes before the peer's ACK of them can come back).
    /// Each of `writes` is one `send()` (PSH goes where each ends).
    pub fn tcp_send_and_close(&mut self, s: SockId, writes: &[&[u8]]) {
        let Some(t) = self.tcb_mut(s) else { return };
        if !t.fin_queued && matches!(t.state, TcpState::Established | TcpState::CloseWait) {
            for data in writes.iter().filter(|d| !d.is_empty()) {
                t.sendq.extend(data.iter().copied());
                let end = t.snd_una.wrapping_add(t.sendq.len() as u32);
                t.push_marks.push_back(end);
            }
        }
        self.tcp_close(s);
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
        if which == TcpTimer::Retransmit {
            t.xmit_timer = XmitTimer::Rto;
        }
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
            TcpTimer::Retransmit if t.xmit_timer == XmitTimer::ReoTimeout => {
                self.tcp_rack_reo_timeout(s)
            }
            TcpTimer::Retransmit if t.xmit_timer == XmitTimer::LossProbe => {
                self.tcp_send_loss_probe(s)
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
        t.tlp_high_seq = None;
        if !matches!(t.state, TcpState::SynSent | TcpState::SynRecv) {
            // tcp_enter_loss: CUBIC's ssthresh (unless already in loss for this window),
            // every segment not SACKed is lost.
            if t.ca_state <= CaState::Disorder
                || !seq_lt(t.snd_una, t.high_seq)
                || (t.ca_state == CaState::Loss && t.retries == 1)
            {
                t.ssthresh = (t.cwnd * CUBIC_BETA / 1024).max(2);
            }
            for x in t.rtx.iter_mut() {
                if !x.sacked {
                    x.lost = true;
                    x.retrans = false;
                }
            }
            t.ca_state = CaState::Loss;
            // The undo of an RTO (tcp_init_undo here, tcp_try_undo_loss, F-RTO) is not
            // modelled: no earlier recovery's undo state outlives the loss.
            t.undo_marker = None;
            t.high_seq = t.snd_nxt;
            t.cwnd_cnt = 0;
        }
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
                // Retransmit the head segment (or the lone FIN): the first lost one.
                let rto = self.tcb(s).map_or(TCP_TIMEOUT_INIT, |t| t.rto);
                let una = self.tcb(s).map_or(0, |t| t.snd_una);
                if self.tcb(s).is_some_and(|t| t.rtx.is_empty()) {
                    self.tcp_xmit_from(s, una, Xmit::Head);
                } else {
                    self.tcp_xmit_retransmit_queue(s);
                }
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
        let mut sent_dsack = false;
        let wnd = if syn_opts {
            // mss, sackOK, TS, nop, wscale — Linux's order for a SYN/SYN-ACK with all options.
            opts.extend_from_slice(&[2, 4]);
            opts.extend_from_slice(&t.advmss.to_be_bytes());
            let synack = flags & TCP_ACK != 0;
            if !synack || t.sack_ok {
                if t.ts_ok {
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
            // tcp_established_options: the D-SACK block first, then the SACK blocks, as
            // many as the option space leaves (3 beside timestamps).
            if t.sack_ok && (t.dsack.is_some() || !t.sacks.is_empty()) {
                let max = if t.ts_ok { 3 } else { 4 };
                let mut blocks: Vec<(u32, u32)> = t.dsack.into_iter().collect();
                sent_dsack = t.dsack.is_some();
                blocks.extend(t.sacks.iter().copied());
                blocks.truncate(max);
                opts.extend_from_slice(&[1, 1, 5, 2 + 8 * blocks.len() as u8]);
                for (a, b) in blocks {
                    opts.extend_from_slice(&a.to_be_bytes());
                    opts.extend_from_slice(&b.to_be_bytes());
                }
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
        if sent_dsack {
            if let Some(t) = self.tcb_mut(s) {
                t.dsack = None;
            }
        }
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
        // __ip_queue_xmit: skb->priority = sk->sk_priority, which IP_TOS set to
        // rt_tos2priority(tos) (__ip_sock_set_tos; the model has no SO_PRIORITY user).
        skb.priority = crate::net::route::rt_tos2priority(tos);
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

    /// `net.ipv4.tcp_timestamps` is not 0 (1: with a random offset per connection, 2:
    /// without; nslab always draws the offset).
    fn tcp_timestamps(&self, ns: NsId) -> bool {
        self.net(ns)
            .misc_sysctl
            .get("net.ipv4.tcp_timestamps")
            .is_none_or(|v| v.trim() != "0")
    }

    pub(crate) fn default_ttl(&self, ns: NsId) -> u8 {
        self.net(ns).misc_sysctl.ip_default_ttl
    }

    fn tcp_send_syn(&mut self, s: SockId) {
        let now = self.now;
        let Some(t) = self.tcb(s) else { return };
        let iss = t.iss;
        self.tcp_output(s, iss, TCP_SYN, vec![], true);
        if let Some(t) = self.tcb_mut(s) {
            t.snd_nxt = iss.wrapping_add(1);
            // The SYN-ACK gives an RTT sample unless the SYN was sent again (Karn).
            t.rtt_probe = (t.retries == 0).then_some((t.snd_nxt, now));
            let rto = t.rto;
            self.tcp_arm(s, TcpTimer::Retransmit, rto);
        }
    }

    fn tcp_send_synack(&mut self, s: SockId) {
        let now = self.now;
        let Some(t) = self.tcb(s) else { return };
        let iss = t.iss;
        self.tcp_output(s, iss, TCP_SYN | TCP_ACK, vec![], true);
        if let Some(t) = self.tcb_mut(s) {
            t.snd_nxt = iss.wrapping_add(1);
            // tcp_synack_rtt_meas: the handshake's ACK gives an RTT sample unless the SYN-ACK
            // was sent again.
            t.rtt_probe = (t.retries == 0).then_some((t.snd_nxt, now));
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
        self.tcp_xmit_from(s, nxt, Xmit::New);
    }

    /// Sends segments starting at `from` (`tcp_write_xmit` from snd_nxt for new data, snd_una
    /// for a retransmission of the head segment only, or one new segment as a loss probe).
    /// New data (re)arms the RTO when nothing was in flight or a loss probe was pending
    /// (`tcp_event_new_data_sent`), then schedules the loss probe (`tcp_schedule_loss_probe`,
    /// not for the probe itself: one probe per tail loss episode). Returns the segments sent.
    fn tcp_xmit_from(&mut self, s: SockId, from: u32, how: Xmit) -> u32 {
        let retransmit = how == Xmit::Head;
        let probe = how == Xmit::Probe;
        let mut seq = from;
        let mut sent_new = 0;
        loop {
            let now = self.now;
            let Some(t) = self.tcb(s) else {
                return sent_new;
            };
            let off = seq.wrapping_sub(t.snd_una) as usize;
            let queued = t.sendq.len();
            let fin_pending = t.fin_queued && (!t.fin_sent || retransmit);
            if off > queued || (off == queued && !fin_pending) {
                break;
            }
            let mss = t.mss.max(1) as usize;
            let mut len = (queued - off).min(mss);
            // Receiver window and congestion window (in segments); a loss probe goes out
            // whatever cwnd says (`push_one == 2`).
            let wnd_end = t
                .snd_una
                .wrapping_add(t.snd_wnd.max(if len == 0 { 1 } else { 0 }));
            let in_flight = t.packets_in_flight();
            if !retransmit {
                if len > 0 && seq_lt(wnd_end, seq.wrapping_add(len as u32)) {
                    let room = wnd_end.wrapping_sub(seq) as i64;
                    if room <= 0 {
                        break;
                    }
                    len = room as usize;
                }
                if len > 0 && in_flight >= t.cwnd && !probe {
                    break;
                }
            }
            let data: Vec<u8> = t.sendq.iter().skip(off).take(len).copied().collect();
            let end = seq.wrapping_add(len as u32);
            let is_tail = off + len == queued;
            // Nagle (Minshall): hold a sub-MSS tail while an earlier small segment is unacked
            // (a loss probe is sent with TCP_NAGLE_OFF).
            if !retransmit
                && !probe
                && len > 0
                && len < mss
                && is_tail
                && !t.nodelay
                && !t.fin_queued
                && seq_lt(t.snd_una, t.snd_sml)
                && seq_le(t.snd_sml, t.snd_nxt)
            {
                break;
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
            let prior_packets = t.rtx.len();
            let tlp_pending = t.timer_at[0].is_some() && t.xmit_timer == XmitTimer::LossProbe;
            self.tcp_output(s, seq, flags, data, false);
            let t = self.tcb_mut(s).expect("tcp sock");
            let seg_end = end.wrapping_add(fin as u32);
            t.xmit_count += 1;
            let order = t.xmit_count;
            let new_data = !retransmit && seq_lt(t.snd_nxt, seg_end);
            if new_data {
                t.rtx.push_back(TxSeg {
                    seq,
                    end: seg_end,
                    sacked: false,
                    lost: false,
                    retrans: false,
                    ever_retrans: false,
                    xmit: now,
                    order,
                });
                if t.ca_state == CaState::Recovery {
                    t.prr_out += 1;
                }
            } else if retransmit {
                if let Some(x) = t.rtx.iter_mut().find(|x| x.seq == seq) {
                    x.retrans = true;
                    x.ever_retrans = true;
                    x.xmit = now;
                    x.order = order;
                }
            }
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
            if retransmit {
                self.tcp_arm(s, TcpTimer::Retransmit, rto);
                return 0;
            }
            if new_data {
                sent_new += 1;
                if prior_packets == 0 || tlp_pending {
                    self.tcp_rearm_rto(s);
                }
            }
            if fin || probe {
                break;
            }
            seq = end;
        }
        if sent_new > 0 && !probe {
            self.tcp_schedule_loss_probe(s, false);
        }
        sent_new
    }

    /// `tcp_rearm_rto`: the retransmit timer for the head segment, or off when nothing is in
    /// flight. Replacing a pending loss probe or reordering timer keeps the time already
    /// waited (`tcp_rto_delta_us`).
    fn tcp_rearm_rto(&mut self, s: SockId) {
        let now = self.now;
        let Some(t) = self.tcb(s) else { return };
        if t.rtx.is_empty() {
            return self.tcp_disarm(s, TcpTimer::Retransmit);
        }
        let pending = t.timer_at[0].map(|_| t.xmit_timer);
        let after = if matches!(pending, Some(XmitTimer::ReoTimeout | XmitTimer::LossProbe)) {
            let tick = crate::timer::TICK_NSEC;
            let delta = t.tcp_rto_delta(now).max(1_000) as u64;
            Duration(delta.div_ceil(tick) * tick)
        } else {
            t.rto
        };
        self.tcp_arm(s, TcpTimer::Retransmit, after);
    }

    /// `tcp_schedule_loss_probe`: for a SACK connection in the Open state with data in flight,
    /// the probe timeout is 2 RTT plus `TCP_TIMEOUT_MIN_US` (2 ms), or plus `tcp_rto_min`
    /// (200 ms, for the peer's delayed ACK) when one segment is in flight, rounded up to
    /// jiffies, but never later than the RTO would fire (`icsk_rto` from now when an ACK
    /// advanced, else from the head's transmission). Returns whether it armed the probe.
    fn tcp_schedule_loss_probe(&mut self, s: SockId, advancing_rto: bool) -> bool {
        let now = self.now;
        let Some(t) = self.tcb(s) else { return false };
        if t.rtx.is_empty() || !t.sack_ok || t.ca_state != CaState::Open {
            return false;
        }
        let to_j = crate::timer::to_jiffies;
        let mut timeout = match t.srtt {
            Some(srtt) => {
                let floor = if t.rtx.len() == 1 {
                    TCP_RTO_MIN
                } else {
                    TCP_TIMEOUT_MIN_US
                };
                to_j(srtt + srtt + floor)
            }
            None => to_j(TCP_TIMEOUT_INIT),
        };
        let rto_delta = if advancing_rto {
            (to_j(t.rto) * crate::timer::TICK_NSEC) as i64
        } else {
            t.tcp_rto_delta(now)
        };
        if rto_delta > 0 {
            timeout = timeout.min(to_j(Duration(rto_delta as u64)));
        }
        self.tcp_arm(
            s,
            TcpTimer::Retransmit,
            Duration(timeout * crate::timer::TICK_NSEC),
        );
        if let Some(t) = self.tcb_mut(s) {
            t.xmit_timer = XmitTimer::LossProbe;
        }
        true
    }

    /// `tcp_set_xmit_timer`: after an ACK that acked data, the loss probe if it applies, else
    /// the RTO.
    fn tcp_set_xmit_timer(&mut self, s: SockId) {
        if !self.tcp_schedule_loss_probe(s, true) {
            self.tcp_rearm_rto(s);
        }
    }

    /// `tcp_send_loss_probe` (the probe timer fired): one new segment if the window allows,
    /// else the last segment sent again (`tlp_retrans`), at most one probe outstanding
    /// (`tlp_high_seq`, snd_nxt at the probe); then the RTO, counted from the probe.
    fn tcp_send_loss_probe(&mut self, s: SockId) {
        let now = self.now;
        let Some(t) = self.tcb_mut(s) else { return };
        // The probe timer's slot stays "pending" until a probe goes out (icsk_pending).
        t.timer_at[0] = Some(now);
        t.xmit_timer = XmitTimer::LossProbe;
        let mut sent = false;
        if t.tlp_high_seq.is_none() {
            t.tlp_retrans = false;
            let nxt = t.snd_nxt;
            let off = (nxt.wrapping_sub(t.snd_una) as usize).min(t.sendq.len());
            let unsent = off < t.sendq.len() || (t.fin_queued && !t.fin_sent);
            // tcp_snd_wnd_test: the next segment fits the peer's window.
            let next_len = (t.sendq.len() - off).min(t.mss.max(1) as usize);
            let fits = seq_le(
                nxt.wrapping_add(next_len as u32),
                t.snd_una.wrapping_add(t.snd_wnd),
            );
            let last = t.rtx.back().map(|x| (x.seq, x.end));
            if unsent && fits {
                sent = self.tcp_xmit_from(s, nxt, Xmit::Probe) > 0;
            } else if let Some((seq, end)) = last {
                // __tcp_retransmit_skb of the last segment: resent as it was.
                self.tcp_retransmit_seg(s, seq, end);
                let Some(t) = self.tcb_mut(s) else { return };
                t.xmit_count += 1;
                // __tcp_retransmit_skb counts it; undo does not wait for it.
                t.total_retrans = t.total_retrans.saturating_add(1);
                let order = t.xmit_count;
                if let Some(x) = t.rtx.back_mut() {
                    x.ever_retrans = true;
                    x.xmit = now;
                    x.order = order;
                }
                t.tlp_retrans = true;
                sent = true;
            } else {
                return self.tcp_disarm(s, TcpTimer::Retransmit);
            }
        }
        let ns = self.sock(s).map_or(0, |x| x.ns);
        let Some(t) = self.tcb_mut(s) else { return };
        if sent {
            t.tlp_high_seq = Some(t.snd_nxt);
            // Reset so that tcp_rearm_rto counts the RTO from now.
            t.timer_at[0] = None;
            let retrans = t.tlp_retrans;
            self.trace(ns, || {
                format!(
                    "tcp: tail loss probe ({})",
                    if retrans {
                        "last segment again"
                    } else {
                        "new data"
                    }
                )
            });
        }
        self.tcp_rearm_rto(s);
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
        // tcp_v4_rcv → tcp_checksum_complete: every segment nslab builds carries its full
        // checksum (there is no CHECKSUM_PARTIAL), so a wrong one was corrupted on the way.
        let tot = if ip.total_len as usize >= hl {
            (ip.total_len as usize).min(pkt.len())
        } else {
            pkt.len()
        };
        if pkt.len() >= hl + 20 && l4_checksum(ip.src, ip.dst, IPPROTO_TCP, &pkt[hl..tot]) != 0 {
            self.trace(ns, || "tcp: bad checksum".into());
            return self.kfree_skb_reason(Some(d), SkbDropReason::TcpCsum, "tcp_v4_rcv");
        }
        let seg = match TcpSeg::parse(&pkt[hl..tot]) {
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
        // tcp_parse_options on a SYN reads the timestamp only when net.ipv4.tcp_timestamps
        // is set.
        cb.ts_ok = self.tcp_timestamps(ns);
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
        let now = self.now;
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
            // tcp_synack_rtt_meas, then tcp_init_transfer.
            let ts_now = ((now.as_nanos() / 1_000_000) as u32).wrapping_add(t.ts_offset);
            t.tcp_handshake_done(now, ts_now, seg.ts.map(|x| x.1), false);
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

    /// Processes an acceptable ACK in a synchronized state (`tcp_ack`): the cumulative ACK
    /// cleans the retransmit queue (`tcp_clean_rtx_queue`), SACK blocks mark the scoreboard
    /// (`tcp_sacktag_write_queue`), RACK marks lost what was sent before a (s)acked segment
    /// and has not arrived within an RTT plus the reordering window (`tcp_rack_mark_lost`),
    /// a loss starts fast recovery with PRR (`tcp_fastretrans_alert`, `tcp_cwnd_reduction`),
    /// and lost segments are retransmitted before new data (`tcp_xmit_recovery`).
    fn tcp_ack(&mut self, s: SockId, seg: &TcpSeg) {
        let now = self.now;
        let Some(t) = self.tcb_mut(s) else { return };
        let wnd = (seg.wnd as u32) << t.snd_wscale;
        // sk_dst_confirm on forward progress, or on a pure duplicate ACK (!FLAG_NOT_DUP: no
        // data, no window update, nothing acked).
        let progress = seq_lt(t.snd_una, seg.ack);
        let window_update = wnd != t.snd_wnd;
        if progress || (seg.data.is_empty() && !window_update) {
            t.dst_pending_confirm = true;
        }
        t.snd_wnd = wnd;
        let prior_unsacked = t.rtx.len() as u32 - t.sacked_out();
        // The highest SACKed sequence before this ACK (`tcp_highest_sack_seq`, prior_fack).
        let prior_fack = t.tcp_highest_sack_seq().unwrap_or(t.snd_una);
        let mut data_acked = 0usize;
        let mut rack_advanced = false;
        // FLAG_ACKED: a whole segment left the retransmit queue (FLAG_SET_XMIT_TIMER).
        let mut acked_any = false;
        let prior_snd_una = t.snd_una;
        let tsecr = seg.ts.map(|x| x.1);
        // The lowest never-resent segment (s)acked below prior_fack (`state->reord`).
        let mut reord: Option<u32> = None;
        // tcp_clean_rtx_queue's first_ackt (the oldest newly acked segment never resent;
        // FLAG_RETRANS_DATA_ACKED voids it) and tcp_sacktag's first_sackt: this ACK's RTT
        // sample for tcp_ack_update_rtt.
        let mut first_ackt: Option<Instant> = None;
        let mut retrans_data_acked = false;
        let mut first_sackt: Option<Instant> = None;
        if progress {
            let acked = seg.ack.wrapping_sub(t.snd_una) as usize;
            data_acked = acked.min(t.sendq.len());
            t.sendq.drain(..data_acked);
            t.snd_una = seg.ack;
            while t.push_marks.front().is_some_and(|&m| seq_le(m, seg.ack)) {
                t.push_marks.pop_front();
            }
            t.retries = 0;
            // tcp_clean_rtx_queue.
            while let Some(x) = t.rtx.front_mut() {
                if seq_le(x.end, seg.ack) {
                    let x = t.rtx.pop_front().expect("front");
                    acked_any = true;
                    if !x.sacked {
                        if x.ever_retrans {
                            retrans_data_acked = true;
                        } else {
                            first_ackt.get_or_insert(x.xmit);
                        }
                        if !x.ever_retrans && seq_lt(x.seq, prior_fack) {
                            // Arrived after later data was SACKed without being resent.
                            reord.get_or_insert(x.seq);
                        }
                        t.rack_advance(&x, now);
                        rack_advanced = true;
                    }
                } else {
                    if seq_lt(x.seq, seg.ack) {
                        x.seq = seg.ack;
                    }
                    break;
                }
            }
            let mut sampled = false;
            if let Some((end, at)) = t.rtt_probe {
                if seq_le(end, seg.ack) {
                    // Without a sample from the queue (tcp_ack_update_rtt below), the timed
                    // segment's.
                    if first_ackt.is_none() || retrans_data_acked {
                        t.tcp_rtt_estimator(now - at);
                    }
                    t.rtt_probe = None;
                    sampled = true;
                }
            }
            if let Some(at) = first_ackt.filter(|_| !retrans_data_acked) {
                t.tcp_rtt_estimator(now - at);
                sampled = true;
            }
            // tcp_ack_update_rtt → tcp_set_rto: with timestamps every ACK of new data gives
            // a sample (nslab keeps the smoothed one); without, only an unambiguous one does
            // (Karn), and a backed-off RTO stays until then.
            if let Some(srtt) = t.srtt.filter(|_| t.ts_ok || sampled) {
                t.rto = (srtt + Duration((4 * t.rttvar.0).max(TCP_RTO_MIN.0))).min(TCP_RTO_MAX);
            }
        }
        // tcp_sacktag_write_queue: blocks at or below snd_una are D-SACKs, blocks past snd_nxt
        // are invalid.
        let mut newly_sacked = 0u32;
        let mut dsack = false;
        if t.sack_ok {
            dsack = t.tcp_check_dsack(&seg.sacks, seg.ack, prior_snd_una);
            let (una, nxt) = (t.snd_una, t.snd_nxt);
            let mut advanced = Vec::new();
            for &(a, b) in &seg.sacks {
                if seq_le(b, una) || seq_lt(nxt, b) || !seq_lt(a, b) {
                    continue;
                }
                for x in t.rtx.iter_mut() {
                    if !x.sacked && seq_le(a, x.seq) && seq_le(x.end, b) {
                        x.sacked = true;
                        x.lost = false;
                        if !x.ever_retrans {
                            first_sackt.get_or_insert(x.xmit);
                        }
                        if !x.ever_retrans
                            && seq_lt(x.seq, prior_fack)
                            && reord.is_none_or(|r| seq_lt(x.seq, r))
                        {
                            reord = Some(x.seq);
                        }
                        newly_sacked += 1;
                        advanced.push(x.clone());
                    }
                }
            }
            if let Some(low) = reord {
                let fack = t
                    .tcp_highest_sack_seq()
                    .map_or(prior_fack, |f| seq_max(f, prior_fack));
                t.tcp_check_sack_reordering(low, fack);
            }
            for x in advanced {
                t.rack_advance(&x, now);
                rack_advanced = true;
            }
            // tcp_ack_update_rtt: with no sample from cumulatively acked data, the SACKed
            // one's (seq_rtt_us = sack_rtt_us).
            if let Some(at) = first_sackt.filter(|_| first_ackt.is_none() || retrans_data_acked) {
                t.tcp_rtt_estimator(now - at);
                let srtt = t.srtt.unwrap_or(TCP_TIMEOUT_INIT);
                t.rto = (srtt + Duration((4 * t.rttvar.0).max(TCP_RTO_MIN.0))).min(TCP_RTO_MAX);
            }
        }
        let dup_ack = !progress && seg.data.is_empty() && !window_update;
        if let Some(high) = t.tlp_high_seq {
            // tcp_dsack_seen: a D-SACK of one segment ending at tlp_high_seq (FLAG_DSACK_TLP).
            let dsack_tlp = seg.sacks.first().is_some_and(|&(a, b)| {
                let dsack = seq_lt(a, seg.ack)
                    || seg
                        .sacks
                        .get(1)
                        .is_some_and(|&(c, d)| seq_le(c, a) && seq_le(b, d));
                dsack && seq_lt(a, b) && b.wrapping_sub(a) <= t.mss && b == high
            });
            let not_dup = !seg.data.is_empty() || window_update || acked_any;
            t.tcp_process_tlp_ack(
                seg.ack,
                high,
                progress,
                not_dup,
                newly_sacked > 0,
                dsack_tlp,
            );
        }
        let newly_acked_sacked = prior_unsacked.saturating_sub(t.rtx.len() as u32 - t.sacked_out());
        let mut reo_wait = Duration::ZERO;
        // tcp_rack_update_reo_wnd (for an ACK that delivered something): a D-SACK after
        // reordering widens RACK's window by a step, kept for 16 recoveries.
        if newly_acked_sacked > 0 || acked_any {
            if t.rack_dsack_seen {
                t.reo_wnd_steps = (t.reo_wnd_steps + 1).min(0xff);
                t.rack_dsack_seen = false;
                t.reo_wnd_persist = TCP_RACK_RECOVERY_THRESH;
            } else if t.reo_wnd_persist == 0 {
                t.reo_wnd_steps = 1;
            }
        }
        // tcp_ack_is_dubious: a duplicate ACK, new SACK or D-SACK information, or not Open.
        if t.sack_ok && (dup_ack || newly_sacked > 0 || dsack || t.ca_state != CaState::Open) {
            // tcp_fastretrans_alert. D: leave recovery (or loss) once high_seq is acked.
            let mut hold = false;
            if t.ca_state == CaState::Open {
                t.retrans_stamp = None;
            } else if matches!(t.ca_state, CaState::Recovery | CaState::Loss)
                && !seq_lt(t.snd_una, t.high_seq)
            {
                if t.ca_state == CaState::Recovery {
                    // tcp_try_undo_recovery: nothing was really lost (every resend D-SACKed,
                    // or the ACK echoes a timestamp from before the first resend), else
                    // tcp_end_cwnd_reduction.
                    if t.tcp_may_undo(tsecr) {
                        t.tcp_undo_cwnd_reduction(false);
                    } else {
                        t.reo_wnd_persist = t.reo_wnd_persist.saturating_sub(1);
                        if t.ssthresh < TCP_INFINITE_SSTHRESH && t.undo_marker.is_some() {
                            t.cwnd = t.ssthresh;
                        }
                    }
                }
                t.ca_state = CaState::Open;
            }
            // E: process the state.
            if t.ca_state == CaState::Recovery {
                if progress && t.undo_marker.is_some() && t.tcp_packet_delayed(tsecr) {
                    // tcp_try_undo_partial: the hole was filled by the original, not the
                    // resend: the path reorders; undo once no resend is out, and until then
                    // mark nothing more lost.
                    let fack = t.tcp_highest_sack_seq().unwrap_or(t.snd_una);
                    t.tcp_check_sack_reordering(prior_snd_una, fack);
                    if t.rtx.iter().any(|x| x.retrans) {
                        hold = true;
                    } else {
                        if !t.tcp_any_retrans_done() {
                            t.retrans_stamp = None;
                        }
                        t.tcp_undo_cwnd_reduction(true);
                        // tcp_try_keep_open.
                        let state = if t.sacked_out() + t.lost_out() > 0 || t.tcp_any_retrans_done()
                        {
                            CaState::Disorder
                        } else {
                            CaState::Open
                        };
                        if t.ca_state != state {
                            t.ca_state = state;
                            t.high_seq = t.snd_nxt;
                        }
                    }
                }
                if !hold && t.tcp_try_undo_dsack() {
                    t.tcp_try_to_open();
                }
            } else if t.ca_state <= CaState::Disorder {
                t.tcp_try_undo_dsack();
            }
            if !hold {
                if rack_advanced {
                    reo_wait = t.rack_detect_loss(now);
                }
                if t.lost_out() > 0 && t.ca_state < CaState::Recovery {
                    t.tcp_enter_recovery();
                } else if t.ca_state <= CaState::Disorder {
                    t.tcp_try_to_open();
                }
            }
        }
        // tcp_cong_control: PRR in recovery, else slow start / congestion avoidance.
        if t.ca_state == CaState::Recovery {
            if newly_acked_sacked > 0 && t.prior_cwnd > 0 {
                let in_flight = t.packets_in_flight() as i64;
                let delta = t.ssthresh as i64 - in_flight;
                t.prr_delivered += newly_acked_sacked;
                let mut sndcnt = if delta < 0 {
                    (t.ssthresh as u64 * t.prr_delivered as u64).div_ceil(t.prior_cwnd as u64)
                        as i64
                        - t.prr_out as i64
                } else {
                    let mut n =
                        (t.prr_delivered as i64 - t.prr_out as i64).max(newly_acked_sacked as i64);
                    if progress {
                        n += 1;
                    }
                    n.min(delta)
                };
                sndcnt = sndcnt.max(if t.prr_out > 0 { 0 } else { 1 });
                t.cwnd = (in_flight + sndcnt).max(1) as u32;
            }
        } else if progress && data_acked > 0 {
            let mss = t.mss.max(1) as usize;
            let acked = data_acked.div_ceil(mss) as u32;
            if t.cwnd < t.ssthresh {
                t.cwnd = (t.cwnd + acked).min(t.ssthresh.max(t.cwnd));
            } else {
                t.cwnd_cnt += acked;
                if t.cwnd_cnt >= t.cwnd {
                    t.cwnd_cnt -= t.cwnd;
                    t.cwnd += 1;
                }
            }
        }
        let recovering = matches!(t.ca_state, CaState::Recovery | CaState::Loss);
        // RACK's reordering timer (armed in tcp_fastretrans_alert), else, when the ACK acked
        // a segment, the loss probe or the RTO (FLAG_SET_XMIT_TIMER → tcp_set_xmit_timer).
        if reo_wait > Duration::ZERO {
            self.tcp_arm_reo(s, reo_wait);
        } else if acked_any {
            self.tcp_set_xmit_timer(s);
        }
        if progress {
            let t = self.tcb_mut(s).expect("tcp");
            let fin_acked = t.fin_sent && t.snd_una == t.snd_nxt;
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
        if recovering {
            self.tcp_xmit_retransmit_queue(s);
        }
        self.tcp_push(s, false);
    }

    /// RACK's reordering timer (`ICSK_TIME_REO_TIMEOUT` in the retransmit timer's slot):
    /// `usecs_to_jiffies(wait + TCP_TIMEOUT_MIN_US)` (6.7 on; before, 2 jiffies were added
    /// after the rounding). tests/kernel/nslab-tcp-tail-loss: the hole resent 7 ms after the
    /// SACK, one jiffy of timeout on the wheel.
    fn tcp_arm_reo(&mut self, s: SockId, wait: Duration) {
        let tick = crate::timer::TICK_NSEC;
        let after = Duration((wait.0 + TCP_TIMEOUT_MIN_US.0).div_ceil(tick) * tick);
        self.tcp_arm(s, TcpTimer::Retransmit, after);
        if let Some(t) = self.tcb_mut(s) {
            t.xmit_timer = XmitTimer::ReoTimeout;
        }
    }

    /// `tcp_rack_reo_timeout`: the reordering window has passed; what RACK now finds lost is
    /// retransmitted (entering recovery), then the RTO is armed again.
    fn tcp_rack_reo_timeout(&mut self, s: SockId) {
        let now = self.now;
        let Some(t) = self.tcb_mut(s) else { return };
        t.xmit_timer = XmitTimer::Rto;
        let prior_in_flight = t.packets_in_flight();
        let wait = t.rack_detect_loss(now);
        if prior_in_flight != t.packets_in_flight() {
            if t.ca_state != CaState::Recovery {
                t.tcp_enter_recovery();
                // tcp_cwnd_reduction(sk, 1, 0): the first retransmission may go.
                t.prr_delivered += 1;
                let in_flight = t.packets_in_flight();
                t.cwnd = in_flight + 1;
            }
            self.tcp_xmit_retransmit_queue(s);
        }
        if wait > Duration::ZERO {
            return self.tcp_arm_reo(s, wait);
        }
        let Some(t) = self.tcb(s) else { return };
        if t.snd_una != t.snd_nxt {
            let rto = t.rto;
            self.tcp_arm(s, TcpTimer::Retransmit, rto);
        }
    }

    /// `tcp_xmit_retransmit_queue`: retransmits lost segments in sequence order while the
    /// congestion window has room.
    fn tcp_xmit_retransmit_queue(&mut self, s: SockId) {
        loop {
            let now = self.now;
            let Some(t) = self.tcb(s) else { return };
            if t.packets_in_flight() >= t.cwnd {
                return;
            }
            let Some(i) = t.rtx.iter().position(|x| x.lost && !x.retrans && !x.sacked) else {
                return;
            };
            let (seq, end) = (t.rtx[i].seq, t.rtx[i].end);
            let rearm = i == 0 && t.xmit_timer != XmitTimer::ReoTimeout;
            self.tcp_retransmit_seg(s, seq, end);
            let ts = self.tcb(s).map_or(0, |t| self.tcp_ts_now(t));
            let Some(t) = self.tcb_mut(s) else { return };
            t.xmit_count += 1;
            t.tcp_note_retransmit(ts);
            let order = t.xmit_count;
            if let Some(x) = t.rtx.get_mut(i) {
                x.retrans = true;
                x.ever_retrans = true;
                x.xmit = now;
                x.order = order;
            }
            if matches!(t.ca_state, CaState::Recovery) {
                t.prr_out += 1;
            }
            let rto = t.rto;
            if rearm {
                self.tcp_arm(s, TcpTimer::Retransmit, rto);
            }
        }
    }

    /// Sends the queued bytes `seq..end` again (`__tcp_retransmit_skb`), a FIN included when
    /// `end` covers it.
    fn tcp_retransmit_seg(&mut self, s: SockId, seq: u32, end: u32) {
        let Some(t) = self.tcb_mut(s) else { return };
        let off = seq.wrapping_sub(t.snd_una) as usize;
        let queued = t.sendq.len();
        if off > queued {
            return;
        }
        let want = end.wrapping_sub(seq) as usize;
        let len = want.min(queued - off);
        let fin = want > len && t.fin_sent;
        let data: Vec<u8> = t.sendq.iter().skip(off).take(len).copied().collect();
        let data_end = seq.wrapping_add(len as u32);
        let is_tail = off + len == queued;
        let psh = len > 0 && (is_tail || t.push_marks.iter().any(|&m| m == data_end));
        // Karn: no RTT sample from a segment sent twice.
        if t.rtt_probe.is_some_and(|(pend, _)| seq_lt(seq, pend)) {
            t.rtt_probe = None;
        }
        let mut flags = TCP_ACK;
        if psh {
            flags |= TCP_PSH;
        }
        if fin {
            flags |= TCP_FIN;
        }
        self.tcp_output(s, seq, flags, data, false);
    }

    /// In-order data and FIN (`tcp_data_queue`, `tcp_fin`), then the ACK decision
    /// (`__tcp_ack_snd_check`).
    fn tcp_data_and_fin(&mut self, s: SockId, mut seg: TcpSeg) {
        let now = self.now;
        let ns = self.sock(s).map_or(0, |x| x.ns);
        let Some(t) = self.tcb_mut(s) else { return };
        let mut fin = seg.flags & TCP_FIN != 0;
        if seg.data.is_empty() && !fin {
            return;
        }
        if t.fin_rcvd {
            // Anything after the peer's FIN: ACK at once, drop it.
            self.tcp_send_ack(s);
            return self.kfree_skb_reason_ns(ns, SkbDropReason::TcpOfoDrop, "tcp_data_queue");
        }
        let end = seg
            .seq
            .wrapping_add(seg.data.len() as u32)
            .wrapping_add(fin as u32);
        if seq_le(end, t.rcv_nxt) {
            // A retransmission of what we have: D-SACK it, quick ACK mode, ACK at once.
            if t.sack_ok {
                t.dsack = Some((seg.seq, end));
            }
            t.enter_quickack_mode();
            self.tcp_send_ack(s);
            return self.kfree_skb_reason_ns(ns, SkbDropReason::TcpOldData, "tcp_data_queue");
        }
        if seq_lt(seg.seq, t.rcv_nxt) {
            // Partly old: D-SACK the old part, keep the rest.
            if t.sack_ok {
                t.dsack = Some((seg.seq, t.rcv_nxt));
            }
            let cut = (t.rcv_nxt.wrapping_sub(seg.seq) as usize).min(seg.data.len());
            seg.data.drain(..cut);
            seg.seq = t.rcv_nxt;
        }
        if !seg.data.is_empty() && self.sock(s).is_some_and(|x| x.closed_by_user) {
            // Data for a closed socket: abort with RST (tcp_rcv_state_process, TCPAbortOnData).
            self.trace(ns, || "tcp: data after close, reset".into());
            self.tcp_send_rst_on(s);
            return self.tcp_done(s);
        }
        let t = self.tcb_mut(s).expect("tcp");
        if seg.seq != t.rcv_nxt {
            if !seq_lt(seg.seq, t.rcv_nxt.wrapping_add(t.rcv_wnd.max(1))) {
                // Past the window: quick ACK, drop.
                t.enter_quickack_mode();
                self.tcp_send_ack(s);
                return self.kfree_skb_reason_ns(ns, SkbDropReason::TcpOfoDrop, "tcp_data_queue");
            }
            if t.ofo.len() >= TCP_OFO_MAX_SEGS {
                // No receive memory left for it (tcp_try_rmem_schedule fails): dropped.
                return self.kfree_skb_reason_ns(
                    ns,
                    SkbDropReason::TcpOfoDrop,
                    "tcp_data_queue_ofo",
                );
            }
            // tcp_data_queue_ofo: keep it, SACK it, ACK at once (a duplicate ACK).
            let seq = seg.seq;
            let queued = t.data_queue_ofo(seg.seq, seg.data, fin);
            t.ack_pending = true;
            if queued {
                self.trace(ns, || format!("tcp: out-of-order segment {} queued", seq));
            }
            return self.tcp_send_ack(s);
        }
        let mut deliver = None;
        let mut ack_now = false;
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
        if !fin && !t.ofo.is_empty() {
            // tcp_ofo_queue: what the hole held back follows; an emptied queue is ACKed at once.
            let (more, ofo_fin) = t.ofo_queue();
            if !more.is_empty() {
                deliver.get_or_insert_with(Vec::new).extend(more);
            }
            fin = ofo_fin;
            ack_now = t.ofo.is_empty();
            t.ack_pending = true;
        }
        // tcp_sack_remove.
        if t.ofo.is_empty() {
            t.sacks.clear();
        } else {
            let nxt = t.rcv_nxt;
            t.sacks.retain(|&(a, _)| seq_lt(nxt, a));
        }
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
                if unacked > t.mss || quick || ack_now || !t.ofo.is_empty() {
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
                                    // tcp_ack of the SYN (tcp_ack_update_rtt), then tcp_finish_connect →
                                    // tcp_init_transfer.
        let ts_now = ((now.as_nanos() / 1_000_000) as u32).wrapping_add(t.ts_offset);
        t.tcp_handshake_done(now, ts_now, seg.ts.map(|x| x.1), true);
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
        self.ts_ok = self.ts_ok && seg.ts.is_some();
        if let Some((v, _)) = seg.ts.filter(|_| self.ts_ok) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn receiver(rcv_nxt: u32) -> TcpCb {
        let mut t = TcpCb::new(1460, 1000, 0, 0);
        t.rcv_nxt = rcv_nxt;
        t.sack_ok = true;
        t
    }

    #[test]
    fn sack_blocks_grow_move_to_the_front_and_drop_when_the_hole_fills() {
        let mut t = receiver(100);
        // tests/kernel/nslab-tcp-sack-recovery: one block that grows with each segment.
        assert!(t.data_queue_ofo(200, vec![1; 100], false));
        assert_eq!(t.sacks, [(200, 300)]);
        assert!(t.data_queue_ofo(300, vec![2; 100], false));
        assert_eq!(t.sacks, [(200, 400)]);
        // A second hole: the newest block first (tcp_sack_new_ofo_skb).
        assert!(t.data_queue_ofo(500, vec![3; 50], false));
        assert_eq!(t.sacks, [(500, 550), (200, 400)]);
        // Extending the older block moves it to the front; filling 400..500 merges both.
        assert!(t.data_queue_ofo(400, vec![4; 100], false));
        assert_eq!(t.sacks, [(200, 550)]);
        // A segment the queue holds: a D-SACK, nothing queued.
        assert!(!t.data_queue_ofo(300, vec![2; 100], false));
        assert_eq!(t.dsack, Some((300, 400)));
        // The hole 100..200 filled: everything queued follows.
        t.rcv_nxt = 200;
        let (bytes, fin) = t.ofo_queue();
        assert_eq!(bytes.len(), 350);
        assert_eq!(&bytes[..100], &[1; 100][..]);
        assert_eq!(&bytes[300..], &[3; 50][..]);
        assert!(!fin);
        assert_eq!(t.rcv_nxt, 550);
        assert!(t.ofo.is_empty());
    }

    #[test]
    fn overlapping_out_of_order_segments_merge_and_a_queued_fin_comes_out() {
        let mut t = receiver(0);
        assert!(t.data_queue_ofo(10, vec![7; 10], false));
        assert!(t.data_queue_ofo(15, vec![7; 10], true));
        assert_eq!(t.ofo.len(), 1);
        assert_eq!((t.ofo[0].seq, t.ofo[0].end()), (10, 26));
        t.rcv_nxt = 12;
        let (bytes, fin) = t.ofo_queue();
        assert_eq!(bytes, vec![7; 13]);
        assert!(fin);
        assert_eq!(t.rcv_nxt, 25);
    }

    #[test]
    fn at_most_four_sack_blocks_are_kept() {
        let mut t = receiver(0);
        for i in 0..6u32 {
            t.data_queue_ofo(100 * (i + 1), vec![0; 10], false);
        }
        assert_eq!(t.sacks, [(600, 610), (500, 510), (400, 410), (300, 310)]);
    }

    fn seg(seq: u32, order: u64) -> TxSeg {
        TxSeg {
            seq,
            end: seq + 100,
            sacked: false,
            lost: false,
            retrans: false,
            ever_retrans: false,
            xmit: Instant::EPOCH,
            order,
        }
    }

    #[test]
    fn an_ack_past_the_loss_probe_reduces_cwnd_a_dsack_of_it_does_not() {
        // tcp_process_tlp_ack: the probe resent the last segment, 100..200, snd_nxt 200.
        let probe = |t: &mut TcpCb| {
            t.cwnd = 10;
            t.snd_nxt = 200;
            t.tlp_high_seq = Some(200);
            t.tlp_retrans = true;
        };
        let mut t = receiver(0);
        probe(&mut t);
        // An ACK below the probe's snd_nxt leaves the episode open.
        t.tcp_process_tlp_ack(150, 200, true, true, false, false);
        assert_eq!((t.tlp_high_seq, t.cwnd), (Some(200), 10));
        // The receiver D-SACKs the probe: the original arrived too, no loss.
        t.tcp_process_tlp_ack(200, 200, false, false, false, true);
        assert_eq!((t.tlp_high_seq, t.cwnd), (None, 10));
        // An ACK past the probe (new data sent after it): the probe repaired a loss.
        let mut t = receiver(0);
        probe(&mut t);
        t.snd_nxt = 300;
        t.tcp_process_tlp_ack(250, 200, true, true, false, false);
        assert_eq!((t.tlp_high_seq, t.cwnd, t.ssthresh), (None, 7, 7));
        assert_eq!((t.ca_state, t.high_seq), (CaState::Open, 300));
        // A probe of new data ends the episode once acked, whatever the ACK says.
        let mut t = receiver(0);
        probe(&mut t);
        t.tlp_retrans = false;
        t.tcp_process_tlp_ack(250, 200, true, true, false, false);
        assert_eq!((t.tlp_high_seq, t.cwnd), (None, 10));
    }

    /// tcp_rack_advance (6.6 and later): rack.rtt_us is the RTT of the last segment
    /// (s)acked, newest or not; rack.mstamp only moves to a more recently sent one. A late
    /// original acked after a quick reordered segment was SACKed lengthens RACK's wait.
    #[test]
    fn rack_rtt_is_the_last_sacked_segments_even_an_older_one() {
        let mut t = receiver(0);
        t.min_rtt = Some(Duration::from_micros(20));
        t.srtt = Some(Duration::from_millis(10));
        t.rtx = (0..4).map(|i| seg(100 * i, i as u64 + 1)).collect();
        // The last segment overtook the others: SACKed 20 us after all four were sent.
        let early = Instant::EPOCH + Duration::from_micros(20);
        let x = t.rtx[3].clone();
        t.rack_advance(&x, early);
        assert_eq!(t.rack_rtt, Duration::from_micros(20));
        // The first arrives 10 ms late: its RTT is RACK's, the newest sent stays the fourth.
        let late = Instant::EPOCH + Duration::from_millis(10);
        let x = t.rtx[0].clone();
        t.rack_advance(&x, late);
        assert_eq!(t.rack_rtt, Duration::from_millis(10));
        assert_eq!(t.rack_xmit.map(|r| r.1), Some(4));
        t.rtx.pop_front();
        t.rtx[2].sacked = true;
        // Segments two and three, sent with the fourth, are not lost yet.
        assert!(t.rack_detect_loss(late) > Duration::ZERO);
        assert_eq!(t.lost_out(), 0);
    }

    #[test]
    fn rack_marks_the_hole_lost_once_three_segments_are_sacked() {
        let mut t = receiver(0);
        t.min_rtt = Some(Duration::from_micros(40));
        t.srtt = Some(Duration::from_micros(40));
        t.rtx = (0..5).map(|i| seg(100 * i, i as u64 + 1)).collect();
        let now = Instant::EPOCH + Duration::from_micros(40);
        // One segment SACKed after the hole: wait min_rtt/4 (the reordering window).
        t.rtx[2].sacked = true;
        let x = t.rtx[2].clone();
        t.rack_advance(&x, now);
        assert_eq!(t.rack_detect_loss(now), Duration::from_micros(10));
        assert_eq!(t.lost_out(), 0);
        // Three SACKed: no reordering window, the two segments before them are lost... the
        // first one was acked already in the recording; here both unacked ones are.
        for i in [3, 4] {
            t.rtx[i].sacked = true;
            let x = t.rtx[i].clone();
            t.rack_advance(&x, now);
        }
        assert_eq!(t.rack_detect_loss(now), Duration::ZERO);
        assert!(t.rtx[0].lost && t.rtx[1].lost);
        assert_eq!(t.packets_in_flight(), 0);
        // A retransmission sent after the SACKed segments is not lost by them.
        t.rtx[1].retrans = true;
        t.rtx[1].order = 9;
        assert_eq!(t.rack_detect_loss(now), Duration::ZERO);
        assert_eq!(t.packets_in_flight(), 1);
    }

    /// A sender in fast recovery over five 100-byte segments from 0, the second resent.
    fn recovering() -> TcpCb {
        let mut t = receiver(0);
        t.iss = 0;
        t.snd_una = 0;
        t.snd_nxt = 500;
        t.snd_wnd = 65535;
        t.mss = 100;
        t.ts_ok = true;
        t.cwnd = 10;
        t.rtx = (0..5).map(|i| seg(100 * i, i as u64 + 1)).collect();
        t.rtx[1].lost = true;
        t.tcp_enter_recovery();
        t.cwnd = 7;
        t.rtx[1].retrans = true;
        t.rtx[1].ever_retrans = true;
        t.tcp_note_retransmit(5000);
        t
    }

    #[test]
    fn a_dsack_of_every_retransmission_undoes_the_reduction() {
        // tcp_enter_recovery: undo_marker at snd_una, nothing resent yet (-1), CUBIC's
        // ssthresh, prior_ssthresh = tcp_current_ssthresh (still infinite).
        let mut t = recovering();
        assert_eq!((t.undo_marker, t.undo_retrans), (Some(0), 1));
        assert_eq!((t.ssthresh, t.prior_cwnd), (7, 10));
        assert_eq!(t.prior_ssthresh, TCP_INFINITE_SSTHRESH);
        assert!(!t.tcp_try_undo_dsack());
        // The resend is acked, then the original arrives and is D-SACKed (block below the
        // cumulative ACK): tcp_try_undo_dsack restores cwnd and ssthresh.
        t.rtx.clear();
        t.snd_una = 500;
        assert!(t.tcp_check_dsack(&[(100, 200)], 500, 500));
        assert_eq!(t.undo_retrans, 0);
        assert!(t.tcp_try_undo_dsack());
        assert_eq!(
            (t.cwnd, t.ssthresh, t.undo_marker),
            (10, TCP_INFINITE_SSTHRESH, None)
        );
        assert_eq!(t.reo_wnd_persist, 1);
    }

    #[test]
    fn a_dsack_the_sender_cannot_have_caused_or_of_one_resend_of_two_does_not_undo() {
        // Two resends; a D-SACK of one leaves one that may have been needed.
        let mut t = recovering();
        t.rtx[2].lost = true;
        t.rtx[2].retrans = true;
        t.rtx[2].ever_retrans = true;
        t.tcp_note_retransmit(5000);
        assert_eq!(t.undo_retrans, 2);
        // A D-SACK inside the second block (data above snd_una received twice).
        assert!(t.tcp_check_dsack(&[(100, 200), (100, 300)], 0, 0));
        assert_eq!(t.undo_retrans, 1);
        assert!(!t.tcp_try_undo_dsack());
        // No retransmission at all: the receiver's D-SACK (netem duplicate) is dubious.
        let mut t = receiver(0);
        t.mss = 100;
        assert!(!t.tcp_check_dsack(&[(100, 200)], 500, 500));
        // Not a D-SACK: a block above the ACK, not inside the next one.
        let mut t = recovering();
        assert!(!t.tcp_check_dsack(&[(300, 400)], 100, 100));
        assert_eq!(t.undo_retrans, 1);
    }

    #[test]
    fn an_echo_from_before_the_first_resend_shows_the_packet_was_only_delayed() {
        let t = recovering();
        // tcp_packet_delayed: retrans_stamp is the first resend's TSval (5000).
        assert!(t.tcp_packet_delayed(Some(4999)));
        assert!(!t.tcp_packet_delayed(Some(5000)));
        assert!(!t.tcp_packet_delayed(None));
        assert!(t.tcp_may_undo(Some(4999)) && !t.tcp_may_undo(Some(5001)));
    }

    #[test]
    fn reordering_grows_tp_reordering_and_rack_window_steps() {
        let mut t = receiver(0);
        t.mss = 100;
        t.min_rtt = Some(Duration::from_micros(400));
        t.srtt = Some(Duration::from_millis(1));
        // A segment 500 bytes below the highest SACK arrives: 5 segments of reordering.
        t.tcp_check_sack_reordering(100, 600);
        assert_eq!((t.reordering, t.reord_seen), (5, true));
        // Less than tp->reordering: unchanged.
        t.tcp_check_sack_reordering(400, 600);
        assert_eq!(t.reordering, 5);
        // RACK's window: min_rtt/4 per step, at most srtt.
        assert_eq!(t.rack_reo_wnd(), Duration::from_micros(100));
        t.reo_wnd_steps = 3;
        assert_eq!(t.rack_reo_wnd(), Duration::from_micros(300));
        t.reo_wnd_steps = 20;
        assert_eq!(t.rack_reo_wnd(), Duration::from_millis(1));
        // Without reordering seen, tp->reordering SACKed segments close the window.
        let mut t = receiver(0);
        t.min_rtt = Some(Duration::from_micros(400));
        t.reordering = 5;
        t.rtx = (0..5).map(|i| seg(100 * i, i as u64 + 1)).collect();
        for x in t.rtx.iter_mut().take(4) {
            x.sacked = true;
        }
        assert_eq!(t.rack_reo_wnd(), Duration::from_micros(100));
        t.rtx[4].sacked = true;
        assert_eq!(t.rack_reo_wnd(), Duration::ZERO);
    }
}

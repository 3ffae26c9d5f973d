//! Connection tracking (`net/netfilter/nf_conntrack_core.c` and the TCP, UDP and ICMP trackers):
//! tuples, the two-direction table, states and the kernel's default timeouts, and the
//! `conntrack -L` line of conntrack-tools 1.4.7.
//!
//! # Differences from Linux
//! The TCP tracker follows the kernel's state table (`tcp_conntracks`) on flags only: no window
//! tracking, so out-of-window segments are never INVALID. No helpers/expectations, no zones.

use crate::wire::*;
use sim_core::{Duration, Instant};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// `struct nf_conntrack_tuple`: for TCP/UDP the ports; for ICMP `sport` is the id and `dport`
/// is `type << 8 | code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tuple {
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
    pub proto: u8,
    pub sport: u16,
    pub dport: u16,
}

impl Tuple {
    /// The tuple as one integer (addresses, protocol, ports): what the table's tuple index
    /// hashes and compares (the kernel hashes the same fields, `hash_conntrack_raw`).
    pub fn key(&self) -> u128 {
        u128::from(u32::from(self.src)) << 72
            | u128::from(u32::from(self.dst)) << 40
            | u128::from(self.proto) << 32
            | u128::from(self.sport) << 16
            | u128::from(self.dport)
    }
}

/// The reply type of an ICMP query type (`invmap` in nf_conntrack_proto_icmp.c).
pub fn icmp_inverse(ty: u8) -> Option<u8> {
    match ty {
        ICMP_ECHO => Some(ICMP_ECHOREPLY),
        ICMP_ECHOREPLY => Some(ICMP_ECHO),
        13 => Some(14),
        14 => Some(13),
        15 => Some(16),
        16 => Some(15),
        17 => Some(18),
        18 => Some(17),
        _ => None,
    }
}

/// ICMP types that are errors carrying the offending packet.
pub fn icmp_is_error(ty: u8) -> bool {
    matches!(ty, 3 | 4 | 5 | 11 | 12)
}

impl Tuple {
    /// `nf_ct_invert_tuple`.
    pub fn invert(&self) -> Option<Tuple> {
        if self.proto == IPPROTO_ICMP {
            let ty = icmp_inverse((self.dport >> 8) as u8)?;
            return Some(Tuple {
                src: self.dst,
                dst: self.src,
                proto: self.proto,
                sport: self.sport,
                dport: (ty as u16) << 8 | (self.dport & 0xff),
            });
        }
        Some(Tuple {
            src: self.dst,
            dst: self.src,
            proto: self.proto,
            sport: self.dport,
            dport: self.sport,
        })
    }

    /// The tuple of an IPv4 packet (`nf_ct_get_tuple`); `quoted` allows a truncated packet
    /// (the one inside an ICMP error). None for fragments after the first and for packets
    /// without the needed header.
    pub fn of_packet(pkt: &[u8], quoted: bool) -> Option<Tuple> {
        let (ip, hl) = if quoted {
            Ipv4Repr::parse_quoted(pkt).ok()?
        } else {
            Ipv4Repr::parse(pkt).ok()?
        };
        if ip.frag & 0x1fff != 0 {
            return None;
        }
        let l4 = pkt.get(hl..)?;
        let (sport, dport) = match ip.proto {
            IPPROTO_TCP | IPPROTO_UDP => {
                if l4.len() < 4 {
                    return None;
                }
                (
                    u16::from_be_bytes([l4[0], l4[1]]),
                    u16::from_be_bytes([l4[2], l4[3]]),
                )
            }
            IPPROTO_ICMP => {
                if l4.len() < 8 {
                    return None;
                }
                (
                    u16::from_be_bytes([l4[4], l4[5]]),
                    (l4[0] as u16) << 8 | l4[1] as u16,
                )
            }
            _ => (0, 0),
        };
        Some(Tuple {
            src: ip.src,
            dst: ip.dst,
            proto: ip.proto,
            sport,
            dport,
        })
    }

    fn fmt_l4(&self) -> String {
        match self.proto {
            IPPROTO_TCP | IPPROTO_UDP => format!("sport={} dport={} ", self.sport, self.dport),
            IPPROTO_ICMP => format!(
                "type={} code={} id={} ",
                self.dport >> 8,
                self.dport & 0xff,
                self.sport
            ),
            _ => String::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dir {
    Orig,
    Reply,
}

/// `enum ip_conntrack_info` as the matches see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CtInfo {
    New,
    Established,
    Related,
    EstablishedReply,
    RelatedReply,
}

impl CtInfo {
    pub fn dir(self) -> Dir {
        match self {
            CtInfo::EstablishedReply | CtInfo::RelatedReply => Dir::Reply,
            _ => Dir::Orig,
        }
    }
}

/// TCP conntrack states (`enum tcp_conntrack`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TcpState {
    None,
    SynSent,
    SynRecv,
    Established,
    FinWait,
    CloseWait,
    LastAck,
    TimeWait,
    Close,
    SynSent2,
}

impl TcpState {
    pub fn name(self) -> &'static str {
        match self {
            TcpState::None => "NONE",
            TcpState::SynSent => "SYN_SENT",
            TcpState::SynRecv => "SYN_RECV",
            TcpState::Established => "ESTABLISHED",
            TcpState::FinWait => "FIN_WAIT",
            TcpState::CloseWait => "CLOSE_WAIT",
            TcpState::LastAck => "LAST_ACK",
            TcpState::TimeWait => "TIME_WAIT",
            TcpState::Close => "CLOSE",
            TcpState::SynSent2 => "SYN_SENT2",
        }
    }
    /// `tcp_timeouts[]` defaults.
    pub fn timeout(self) -> Duration {
        Duration::from_secs(match self {
            TcpState::SynSent | TcpState::SynSent2 => 120,
            TcpState::SynRecv => 60,
            TcpState::Established => 432000,
            TcpState::FinWait => 120,
            TcpState::CloseWait => 60,
            TcpState::LastAck => 30,
            TcpState::TimeWait => 120,
            TcpState::Close | TcpState::None => 10,
        })
    }
}

pub const IPS_SEEN_REPLY: u32 = 1 << 1;
pub const IPS_ASSURED: u32 = 1 << 2;
pub const IPS_CONFIRMED: u32 = 1 << 3;
pub const IPS_SRC_NAT: u32 = 1 << 4;
pub const IPS_DST_NAT: u32 = 1 << 5;
pub const IPS_NAT_MASK: u32 = IPS_SRC_NAT | IPS_DST_NAT;
pub const IPS_SRC_NAT_DONE: u32 = 1 << 7;
pub const IPS_DST_NAT_DONE: u32 = 1 << 8;

/// `struct nf_conn`.
#[derive(Clone, Debug)]
pub struct Conn {
    pub id: u64,
    pub orig: Tuple,
    pub reply: Tuple,
    pub status: u32,
    pub tcp: TcpState,
    pub timeout: Instant,
    pub mark: u32,
    /// UDP: when the flow counts as a stream (2 s after creation).
    pub stream_ts: Instant,
}

impl Conn {
    pub fn tuple(&self, d: Dir) -> &Tuple {
        match d {
            Dir::Orig => &self.orig,
            Dir::Reply => &self.reply,
        }
    }
}

/// The tuple index, a hash table as the kernel's `nf_conntrack_hash` (an array of buckets
/// indexed by a hash of the tuple), keyed by [`Tuple::key`]: a lookup costs the same however
/// many connections the table holds. It is `hashbrown`'s `HashTable` with a fixed hash of the
/// key (no random state), as the bridge's fdb; nothing iterates it, so no run depends on its
/// layout (std's `HashMap` is banned for its random iteration order).
#[derive(Clone, Debug, Default)]
pub struct TupleHash {
    /// Each entry: the key, the connection, the direction the key is.
    table: hashbrown::HashTable<(u128, u64, Dir)>,
}

impl TupleHash {
    /// The table's hash of a key: both halves mixed by multiplication (hashbrown takes the
    /// bucket from the low bits and its tag from the top ones, so the product's high half is
    /// folded onto its low half).
    #[inline]
    fn hash(key: u128) -> u64 {
        let (lo, hi) = (key as u64, (key >> 64) as u64);
        let x = (lo ^ hi.wrapping_mul(0xff51_afd7_ed55_8ccd)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        x ^ (x >> 32)
    }

    #[inline]
    pub fn get(&self, key: u128) -> Option<(u64, Dir)> {
        self.table
            .find(Self::hash(key), |e| e.0 == key)
            .map(|&(_, id, dir)| (id, dir))
    }

    /// Adds or replaces `key`'s entry.
    pub fn insert(&mut self, key: u128, id: u64, dir: Dir) {
        match self
            .table
            .entry(Self::hash(key), |e| e.0 == key, |e| Self::hash(e.0))
        {
            hashbrown::hash_table::Entry::Occupied(mut o) => *o.get_mut() = (key, id, dir),
            hashbrown::hash_table::Entry::Vacant(v) => {
                v.insert((key, id, dir));
            }
        }
    }

    pub fn remove(&mut self, key: u128) {
        if let Ok(o) = self.table.find_entry(Self::hash(key), |e| e.0 == key) {
            o.remove();
        }
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}

/// One namespace's conntrack table: confirmed connections, indexed by both tuples.
#[derive(Debug, Default)]
pub struct ConnTable {
    pub conns: BTreeMap<u64, Conn>,
    /// Both tuples of each confirmed connection (the kernel's `nf_conntrack_hash`): looked
    /// up for every tracked packet.
    pub by_tuple: TupleHash,
    pub next_id: u64,
    /// Entries left after the last sweep on insertion (see `nf_conntrack_confirm`).
    pub gc_size: usize,
}

impl ConnTable {
    pub fn find(&self, t: &Tuple) -> Option<(u64, Dir)> {
        self.by_tuple.get(t.key())
    }
    pub fn insert(&mut self, c: Conn) {
        self.by_tuple.insert(c.orig.key(), c.id, Dir::Orig);
        self.by_tuple.insert(c.reply.key(), c.id, Dir::Reply);
        self.conns.insert(c.id, c);
    }
    pub fn remove(&mut self, id: u64) -> Option<Conn> {
        let c = self.conns.remove(&id)?;
        if self.by_tuple.get(c.orig.key()).is_some_and(|x| x.0 == id) {
            self.by_tuple.remove(c.orig.key());
        }
        if self.by_tuple.get(c.reply.key()).is_some_and(|x| x.0 == id) {
            self.by_tuple.remove(c.reply.key());
        }
        Some(c)
    }
    /// Drops expired entries (the gc worker).
    pub fn gc(&mut self, now: Instant) {
        let dead: Vec<u64> = self
            .conns
            .values()
            .filter(|c| c.timeout <= now)
            .map(|c| c.id)
            .collect();
        for id in dead {
            self.remove(id);
        }
    }
}

/// `get_conntrack_index`: which column of the state table a segment's flags select.
fn tcp_index(flags: u8) -> usize {
    const FIN: u8 = 1;
    const SYN: u8 = 2;
    const RST: u8 = 4;
    const ACK: u8 = 16;
    if flags & RST != 0 {
        3
    } else if flags & SYN != 0 {
        if flags & ACK != 0 {
            1
        } else {
            0
        }
    } else if flags & FIN != 0 {
        2
    } else if flags & ACK != 0 {
        4
    } else {
        5
    }
}

/// The next TCP state for a segment with `flags` in direction `dir` (`tcp_conntracks`); None
/// for an invalid transition (the state is kept), and `Some(same)` when ignored.
pub fn tcp_next(cur: TcpState, dir: Dir, flags: u8) -> Option<TcpState> {
    use TcpState::*;
    let idx = tcp_index(flags);
    let s = match cur {
        None => 0,
        SynSent => 1,
        SynRecv => 2,
        Established => 3,
        FinWait => 4,
        CloseWait => 5,
        LastAck => 6,
        TimeWait => 7,
        Close => 8,
        SynSent2 => 9,
    };
    // Rows: syn, synack, fin, rst, ack, none; columns: sNO sSS sSR sES sFW sCW sLA sTW sCL sS2.
    // `Option::None` marks sIV; `Some(cur)` approximates sIG.
    let iv: Option<TcpState> = Option::None;
    let ig = Some(cur);
    // The fin and rst rows are the same in both directions.
    let fin = [
        iv,
        iv,
        Some(FinWait),
        Some(FinWait),
        Some(LastAck),
        Some(LastAck),
        Some(LastAck),
        Some(TimeWait),
        Some(Close),
        iv,
    ];
    let rst = [
        iv,
        Some(Close),
        Some(Close),
        Some(Close),
        Some(Close),
        Some(Close),
        Some(Close),
        Some(Close),
        Some(Close),
        Some(Close),
    ];
    let orig: [[Option<TcpState>; 10]; 6] = [
        [
            Some(SynSent),
            Some(SynSent),
            ig,
            ig,
            ig,
            ig,
            ig,
            Some(SynSent),
            Some(SynSent),
            Some(SynSent2),
        ],
        [iv, iv, ig, ig, ig, ig, ig, ig, ig, Some(SynRecv)],
        fin,
        rst,
        [
            Some(Established),
            iv,
            Some(Established),
            Some(Established),
            Some(CloseWait),
            Some(CloseWait),
            Some(TimeWait),
            Some(TimeWait),
            Some(Close),
            iv,
        ],
        [iv; 10],
    ];
    let reply: [[Option<TcpState>; 10]; 6] = [
        [
            iv,
            Some(SynSent2),
            iv,
            iv,
            iv,
            iv,
            iv,
            ig,
            iv,
            Some(SynSent2),
        ],
        [iv, Some(SynRecv), ig, ig, ig, ig, ig, ig, ig, Some(SynRecv)],
        fin,
        rst,
        [
            iv,
            ig,
            Some(SynRecv),
            Some(Established),
            Some(CloseWait),
            Some(CloseWait),
            Some(TimeWait),
            Some(TimeWait),
            Some(Close),
            ig,
        ],
        [iv; 10],
    ];
    match dir {
        Dir::Orig => orig[idx][s],
        Dir::Reply => reply[idx][s],
    }
}

/// One `conntrack -L` line (conntrack-tools 1.4.7, `snprintf_default`).
pub fn conntrack_line(c: &Conn, now: Instant) -> String {
    let pname = match c.orig.proto {
        IPPROTO_TCP => "tcp",
        IPPROTO_UDP => "udp",
        IPPROTO_ICMP => "icmp",
        _ => "unknown",
    };
    let secs = c.timeout.0.saturating_sub(now.0) / 1_000_000_000;
    let mut s = format!("{:<8} {} {} ", pname, c.orig.proto, secs);
    if c.orig.proto == IPPROTO_TCP {
        s += c.tcp.name();
        s.push(' ');
    }
    s += &format!("src={} dst={} ", c.orig.src, c.orig.dst);
    s += &c.orig.fmt_l4();
    if c.status & IPS_SEEN_REPLY == 0 {
        s += "[UNREPLIED] ";
    }
    s += &format!("src={} dst={} ", c.reply.src, c.reply.dst);
    s += &c.reply.fmt_l4();
    if c.status & IPS_ASSURED != 0 {
        s += "[ASSURED] ";
    }
    s += &format!("mark={} use=1", c.mark);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuple_hash_finds_replaces_and_forgets_across_growth() {
        let key = |i: u32| {
            Tuple {
                src: Ipv4Addr::from(0x0af4_0000 + i),
                dst: Ipv4Addr::new(10, 96, 0, 1),
                proto: 6,
                sport: 40000 + (i % 7) as u16,
                dport: 80,
            }
            .key()
        };
        let mut h = TupleHash::default();
        assert_eq!(h.get(key(1)), None);
        for i in 0..5000 {
            h.insert(key(i), u64::from(i), Dir::Orig);
        }
        for i in (0..5000).step_by(2) {
            h.remove(key(i));
        }
        h.insert(key(3), 99, Dir::Reply);
        for i in 0..5000 {
            let want = match i {
                3 => Some((99, Dir::Reply)),
                _ if i % 2 == 0 => None,
                _ => Some((u64::from(i), Dir::Orig)),
            };
            assert_eq!(h.get(key(i)), want, "key {i}");
        }
        for i in (0..5000).step_by(2) {
            h.insert(key(i), 7, Dir::Orig);
        }
        assert_eq!(h.get(key(4998)), Some((7, Dir::Orig)));
        assert_eq!(h.len(), 5000);
    }

    #[test]
    fn tcp_states_of_a_client_closing_first() {
        use TcpState::*;
        const SYN: u8 = 2;
        const ACK: u8 = 16;
        const FIN: u8 = 1;
        let mut s = None;
        for (dir, fl, want) in [
            (Dir::Orig, SYN, SynSent),
            (Dir::Reply, SYN | ACK, SynRecv),
            (Dir::Orig, ACK, Established),
            (Dir::Orig, ACK, Established),
            (Dir::Reply, ACK, Established),
            (Dir::Orig, FIN | ACK, FinWait),
            (Dir::Reply, ACK, CloseWait),
            (Dir::Reply, FIN | ACK, LastAck),
            (Dir::Orig, ACK, TimeWait),
        ] {
            s = tcp_next(s, dir, fl).unwrap();
            assert_eq!(s, want);
        }
        assert_eq!(s.timeout(), Duration::from_secs(120));
    }

    #[test]
    fn icmp_tuple_inverts_to_the_reply_type() {
        let t = Tuple {
            src: Ipv4Addr::new(10, 0, 0, 1),
            dst: Ipv4Addr::new(10, 0, 0, 2),
            proto: IPPROTO_ICMP,
            sport: 7,
            dport: 8 << 8,
        };
        let r = t.invert().unwrap();
        assert_eq!((r.src, r.sport, r.dport), (t.dst, 7, 0));
        let err = Tuple { dport: 3 << 8, ..t };
        assert!(err.invert().is_none());
    }

    #[test]
    fn conntrack_line_format() {
        let o = Tuple {
            src: Ipv4Addr::new(192, 168, 10, 1),
            dst: Ipv4Addr::new(11, 96, 10, 3),
            proto: IPPROTO_TCP,
            sport: 46876,
            dport: 8080,
        };
        let r = Tuple {
            src: Ipv4Addr::new(192, 168, 10, 3),
            dst: o.src,
            proto: IPPROTO_TCP,
            sport: 80,
            dport: 46876,
        };
        let c = Conn {
            id: 1,
            orig: o,
            reply: r,
            status: IPS_SEEN_REPLY | IPS_ASSURED,
            tcp: TcpState::TimeWait,
            timeout: Instant(120_000_000_000),
            mark: 0,
            stream_ts: Instant(0),
        };
        assert_eq!(
            conntrack_line(&c, Instant(1_500_000_000)),
            "tcp      6 118 TIME_WAIT src=192.168.10.1 dst=11.96.10.3 sport=46876 dport=8080 src=192.168.10.3 dst=192.168.10.1 sport=80 dport=46876 [ASSURED] mark=0 use=1"
        );
    }
}

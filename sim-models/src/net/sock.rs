//! Sockets: the arena of TCP and UDP sockets, per-namespace lookup tables, errno values and the
//! events a socket hands to its owning process.
//!
//! In-kernel apps (http.server, curl, nc, bird) own sockets by [`Pid`]; whatever happens on a
//! socket reaches the owner as a [`SockEvent`] through `Kernel::proc_sock_event` (apps/mod.rs).
//! Lookups are `BTreeMap`s keyed by address tuples, so iteration order is deterministic.

use crate::kernel::{Kernel, NsId, Pid};
use crate::net::tcp::TcpCb;
use std::collections::{BTreeMap, BTreeSet};
use std::net::{Ipv4Addr, SocketAddrV4};

/// A socket's id: allocated in creation order and never given to another socket, so an id a
/// process or a timer still holds after the socket was freed finds nothing.
pub type SockId = usize;

pub use crate::errno::Errno;

/// What a socket tells its owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SockEvent {
    /// A `tcp_connect` completed the handshake.
    Connected,
    /// A listening socket accepted a connection (already ESTABLISHED, owned by the same pid).
    Accepted { child: SockId, peer: SocketAddrV4 },
    /// In-order bytes arrived (TCP).
    Data(Vec<u8>),
    /// The peer sent FIN (read returns 0).
    Eof,
    /// The connection is gone (fully closed after our close, or reset); the id is freed.
    Closed,
    /// A pending connect or an established connection failed.
    Error(Errno),
    /// A UDP datagram arrived.
    Datagram { from: SocketAddrV4, data: Vec<u8> },
}

/// Socket options set between `socket()` and `connect()` (`setsockopt` before the SYN), so
/// they apply to every segment of the connection, the SYN included. The default is a fresh
/// socket's: TTL from `net.ipv4.ip_default_ttl`, TOS 0, Nagle on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SockOpts {
    /// `IP_TTL` (None: the namespace's `net.ipv4.ip_default_ttl`).
    pub ttl: Option<u8>,
    /// `IP_TOS`.
    pub tos: u8,
    /// `TCP_NODELAY`.
    pub nodelay: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proto {
    Tcp,
    Udp,
}

#[derive(Debug)]
pub struct Sock {
    pub ns: NsId,
    pub owner: Pid,
    pub proto: Proto,
    pub local: SocketAddrV4,
    pub peer: Option<SocketAddrV4>,
    /// TCP control block (None for UDP).
    pub tcp: Option<Box<TcpCb>>,
    /// The owner closed it (no more events are delivered).
    pub closed_by_user: bool,
}

/// A namespace's socket lookup tables (`inet_hashinfo`, `udp_table`).
#[derive(Debug, Default)]
pub struct SockTables {
    /// Listening TCP sockets by bound (address, port); address 0.0.0.0 is a wildcard.
    pub tcp_listen: BTreeMap<(Ipv4Addr, u16), SockId>,
    /// Connected TCP sockets by (local addr, local port, remote addr, remote port).
    pub tcp_conn: BTreeMap<(Ipv4Addr, u16, Ipv4Addr, u16), SockId>,
    /// Bound UDP sockets by (address, port).
    pub udp: BTreeMap<(Ipv4Addr, u16), SockId>,
}

impl SockTables {
    /// Whether a local TCP port is in use (by a listener or a connection) for `addr`.
    pub fn tcp_port_used(&self, addr: Ipv4Addr, port: u16) -> bool {
        self.tcp_listen
            .keys()
            .any(|&(a, p)| p == port && (a == addr || a.is_unspecified() || addr.is_unspecified()))
            || self
                .tcp_conn
                .keys()
                .any(|&(a, p, _, _)| p == port && (a == addr || addr.is_unspecified()))
    }
}

/// The machine's sockets: the live ones by id, and each process's by id (what its file
/// descriptor table would hold). A socket is freed when the kernel frees it (`tcp_done`: a
/// reset, the end of TIME_WAIT after `TCP_TIMEWAIT_LEN`, a listener's close; `udp_close`), so
/// the table holds what is alive, not every socket a run ever made, and a process's exit
/// closes its own sockets without a walk over everyone's.
#[derive(Debug, Default)]
pub struct SockArena {
    live: BTreeMap<SockId, Sock>,
    by_owner: BTreeSet<(Pid, SockId)>,
    next: SockId,
}

impl SockArena {
    pub fn get(&self, s: SockId) -> Option<&Sock> {
        self.live.get(&s)
    }
    pub fn get_mut(&mut self, s: SockId) -> Option<&mut Sock> {
        self.live.get_mut(&s)
    }
    fn insert(&mut self, sock: Sock) -> SockId {
        let id = self.next;
        self.next += 1;
        self.by_owner.insert((sock.owner, id));
        self.live.insert(id, sock);
        id
    }
    /// Frees a socket (`sk_free`).
    pub fn remove(&mut self, s: SockId) -> Option<Sock> {
        let sk = self.live.remove(&s)?;
        self.by_owner.remove(&(sk.owner, s));
        Some(sk)
    }
    /// The sockets `pid` owns, in creation order.
    pub fn owned_by(&self, pid: Pid) -> impl Iterator<Item = SockId> + '_ {
        self.by_owner
            .range((pid, 0)..=(pid, SockId::MAX))
            .map(|&(_, s)| s)
    }
    /// Live sockets.
    pub fn len(&self) -> usize {
        self.live.len()
    }
    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }
    /// Every live socket in creation order.
    pub fn iter(&self) -> impl Iterator<Item = (SockId, &Sock)> + '_ {
        self.live.iter().map(|(&s, sk)| (s, sk))
    }
    /// Frees every socket of a namespace that goes (`cleanup_net`).
    pub(crate) fn remove_ns(&mut self, ns: NsId) {
        let gone: Vec<SockId> = self
            .live
            .iter()
            .filter(|(_, sk)| sk.ns == ns)
            .map(|(&s, _)| s)
            .collect();
        for s in gone {
            self.remove(s);
        }
    }
}

impl Kernel {
    pub fn sock(&self, s: SockId) -> Option<&Sock> {
        self.socks.get(s)
    }
    pub fn sock_mut(&mut self, s: SockId) -> Option<&mut Sock> {
        self.socks.get_mut(s)
    }

    /// The socket's local address (`getsockname`).
    pub fn sock_local(&self, s: SockId) -> Option<SocketAddrV4> {
        self.sock(s).map(|x| x.local)
    }

    /// The socket's peer (`getpeername`).
    pub fn sock_peer(&self, s: SockId) -> Option<SocketAddrV4> {
        self.sock(s).and_then(|x| x.peer)
    }

    pub(crate) fn sock_alloc(&mut self, sock: Sock) -> SockId {
        self.socks.insert(sock)
    }

    /// A listener's children not yet accepted (`inet_csk_reqsk_queue_len` and the accept
    /// queue): they belong to the listener's owner, so only that process's sockets are looked
    /// at.
    pub(crate) fn sock_children(&self, l: SockId) -> Vec<SockId> {
        let Some(owner) = self.sock(l).map(|x| x.owner) else {
            return Vec::new();
        };
        self.socks
            .owned_by(owner)
            .filter(|&c| {
                self.sock(c)
                    .and_then(|x| x.tcp.as_ref())
                    .is_some_and(|t| t.listener == Some(l))
            })
            .collect()
    }

    /// Hands an event to the socket's owner, unless the owner closed the socket or exited.
    pub(crate) fn sock_event(&mut self, s: SockId, ev: SockEvent) {
        let Some(sk) = self.sock(s) else { return };
        if sk.closed_by_user {
            return;
        }
        let pid = sk.owner;
        if self.proc(pid).is_none_or(|p| p.exit.is_some()) {
            return;
        }
        self.proc_sock_event(pid, s, ev);
    }

    /// Picks a free ephemeral port as `inet_hash_connect` does: a random start inside
    /// `net.ipv4.ip_local_port_range`, then the next free one (even ports first, as Linux ≥ 4.6
    /// prefers for connect()).
    pub(crate) fn ephemeral_port(
        &mut self,
        ns: NsId,
        used: &dyn Fn(&SockTables, u16) -> bool,
    ) -> Option<u16> {
        let (lo, hi) = self.net(ns).misc_sysctl.ip_local_port_range;
        let lo = lo.unwrap_or(32768).max(1);
        let hi = hi.unwrap_or(60999).clamp(lo, 65535);
        let n = hi - lo + 1;
        let start = self.rng.next_u32() % n;
        for parity in [0u32, 1] {
            for i in 0..n {
                let port = lo + (start + i) % n;
                if n > 1 && (port & 1) != parity {
                    continue;
                }
                if !used(&self.net(ns).socks, port as u16) {
                    return Some(port as u16);
                }
            }
        }
        None
    }

    /// Closes every socket a process owns (its exit closes its file descriptors), in the
    /// order it made them.
    pub fn sock_close_all(&mut self, pid: Pid) {
        let owned: Vec<SockId> = self
            .socks
            .owned_by(pid)
            .filter(|&s| self.sock(s).is_some_and(|x| !x.closed_by_user))
            .collect();
        for s in owned {
            match self.sock(s).map(|x| x.proto) {
                Some(Proto::Tcp) => self.tcp_close(s),
                Some(Proto::Udp) => self.udp_close(s),
                None => {}
            }
        }
    }
}

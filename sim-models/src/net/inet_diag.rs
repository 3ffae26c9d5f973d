//! `NETLINK_SOCK_DIAG` / `inet_diag` (net/ipv4/inet_diag.c, tcp_diag.c, udp_diag.c): the dump
//! `ss` asks for, one message per socket with the fields ss prints. It is the only way
//! userspace sees the socket tables.

use crate::kernel::{Kernel, NsId};
use crate::net::sock::Proto;
use crate::net::tcp::TcpState;
use std::net::SocketAddrV4;

/// One `inet_diag_msg`, as `ss` uses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InetDiagMsg {
    pub proto: Proto,
    /// `idiag_state` for TCP; `None` for UDP (TCP_CLOSE: ss prints UNCONN).
    pub state: Option<TcpState>,
    pub local: SocketAddrV4,
    pub peer: Option<SocketAddrV4>,
    /// `idiag_rqueue`.
    pub rqueue: usize,
    /// `idiag_wqueue`: unsent bytes, or a listener's backlog.
    pub wqueue: usize,
    /// The owning process while it holds the socket open: its command name and pid (what
    /// `ss -p` finds by scanning /proc/PID/fd for the socket's inode).
    pub owner: Option<(String, usize)>,
}

impl Kernel {
    /// An inet_diag dump of `ns`: UDP sockets, then TCP listeners, then TCP connections, each
    /// in its hash table's order.
    pub fn inet_diag_dump(&self, ns: NsId, tcp: bool, udp: bool) -> Vec<InetDiagMsg> {
        let t = &self.net(ns).socks;
        let mut ids = Vec::new();
        if udp {
            ids.extend(t.udp.values().copied());
        }
        if tcp {
            ids.extend(t.tcp_listen.values().copied());
            ids.extend(t.tcp_conn.values().copied());
        }
        ids.into_iter()
            .filter_map(|s| {
                let sk = self.sock(s)?;
                let (state, wqueue) = match sk.proto {
                    Proto::Udp => (None, 0),
                    Proto::Tcp => {
                        let cb = sk.tcp.as_ref()?;
                        let q = if cb.state == TcpState::Listen {
                            cb.backlog as usize
                        } else {
                            self.tcp_send_queue(s)
                        };
                        (Some(cb.state), q)
                    }
                };
                let alive =
                    self.proc(sk.owner).is_some_and(|p| p.exit.is_none()) && !sk.closed_by_user;
                let owner = alive
                    .then(|| self.proc(sk.owner))
                    .flatten()
                    .map(|p| (p.app.comm().to_string(), sk.owner));
                Some(InetDiagMsg {
                    proto: sk.proto,
                    state,
                    local: sk.local,
                    peer: sk.peer,
                    rqueue: 0,
                    wqueue,
                    owner,
                })
            })
            .collect()
    }
}

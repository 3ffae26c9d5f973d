//! `socat` (1.7.4) between the process's stdio and one socket: `TCP-LISTEN` (`fork`), `TCP`,
//! `UDP-LISTEN`, `UDP-RECV`, `UDP`, `UDP-SENDTO`, with `-u`/`-U` for one direction and `-t`
//! for the time socat waits for the other direction after one side's EOF. The command line is
//! read in [`crate::tools::socat`]; the sockets are the kernel's, as nc's.
//!
//! socat's messages are `YYYY/MM/DD HH:MM:SS socat[PID] E ...` on stderr, with the simulated
//! clock's date and the process's pid as the shell shows it (`$!`, `ss -p`).
//!
//! # Differences from socat 1.7.4
//! stdin is what the shell handed over when the process started (it is at EOF once sent);
//! `STDOUT` used in both directions is only written (socat also reads fd 1, and fails with
//! `E read(1, ...): Bad file descriptor` when fd 1 is a file or a pipe); a `fork` listener
//! handles its connections in the one process (no child pids, a child's 0.5 s closing delay
//! is not modelled); a `UDP-LISTEN` connected to its first peer ignores other peers'
//! datagrams without the ICMP port unreachable the kernel would send.

use super::App;
use crate::kernel::{Kernel, NsId, Pid};
use crate::net::sock::{SockEvent, SockId};
use sim_core::Duration;
use std::net::{Ipv4Addr, SocketAddrV4};

/// The socket end of a socat command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SocatSock {
    /// `TCP-LISTEN:PORT[,fork]`.
    TcpListen { port: u16, fork: bool },
    /// `TCP:HOST:PORT`, `TCP4:`, `TCP-CONNECT:`.
    TcpConnect(SocketAddrV4),
    /// `UDP-LISTEN:PORT`: connects to the first peer.
    UdpListen(u16),
    /// `UDP-RECV:PORT`: reads every datagram, never sends.
    UdpRecv(u16),
    /// `UDP:HOST:PORT` (connected: only the peer's datagrams, its ICMP errors) and
    /// `UDP-SENDTO:HOST:PORT` (unconnected).
    UdpSend { dst: SocketAddrV4, connect: bool },
}

#[derive(Clone, Debug)]
pub struct SocatOpts {
    pub sock: SocatSock,
    /// Bytes go from stdin to the socket.
    pub to_sock: bool,
    /// Bytes go from the socket to stdout.
    pub from_sock: bool,
    /// `-t`: how long socat goes on after one direction's EOF (0.5 s).
    pub close_wait: Duration,
    pub stdin: Vec<u8>,
    /// An error socat reports before it opens anything (its text after `E `).
    pub error: Option<String>,
}

#[derive(Debug)]
pub struct Socat {
    pub opts: SocatOpts,
    /// The listening or UDP socket.
    pub sock: Option<SockId>,
    /// TCP connections (several with `fork`).
    pub conns: Vec<SockId>,
    /// The UDP peer a `UDP-LISTEN` connected to.
    pub peer: Option<SocketAddrV4>,
    /// A connection came up (connect() returned).
    pub up: bool,
    /// Connections whose data went out and whose stdin EOF socat has yet to act on, with the
    /// number of times it looked.
    pub eof_pending: Vec<(SockId, u32)>,
}

/// How long socat's EOF waits at most for the ACK of the data it wrote (see
/// [`Kernel::socat_timer`]), in looks every [`crate::kernel::HOP_DELAY`].
const EOF_LOOKS: u32 = 100;

impl Kernel {
    pub fn socat_spawn(&mut self, ns: NsId, opts: SocatOpts) -> Pid {
        self.spawn(
            ns,
            App::Socat(Box::new(Socat {
                opts,
                sock: None,
                conns: Vec::new(),
                peer: None,
                up: false,
                eof_pending: Vec::new(),
            })),
        )
    }

    fn socats(&mut self, pid: Pid) -> Option<&mut Socat> {
        match &mut self.proc_mut(pid)?.app {
            App::Socat(s) => Some(s),
            _ => None,
        }
    }

    /// socat's error message (`msg()` with its default `%Y/%m/%d %H:%M:%S` time stamp) and
    /// exit status 1.
    fn socat_fail(&mut self, pid: Pid, what: &str) {
        let secs = self.ktime_get_real().as_nanos() / 1_000_000_000;
        let (y, mo, d) = super::http_server::civil((secs / 86400) as i64);
        let t = secs % 86400;
        let l = format!(
            "{y}/{mo:02}/{d:02} {:02}:{:02}:{:02} socat[{}] E {what}\n",
            t / 3600,
            t / 60 % 60,
            t % 60,
            crate::tools::sockets::pid_of(pid)
        );
        self.proc_err(pid, l.as_bytes());
        self.proc_exit(pid, 1);
    }

    pub(crate) fn socat_start(&mut self, pid: Pid) {
        let Some(p) = self.proc(pid) else { return };
        let ns = p.ns;
        let App::Socat(s) = &p.app else { return };
        let o = s.opts.clone();
        if let Some(e) = &o.error {
            return self.socat_fail(pid, e);
        }
        let any = |port| SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port);
        let r = match o.sock {
            // socat's default listen backlog is 5.
            SocatSock::TcpListen { port, .. } => self
                .tcp_listen_backlog(pid, ns, any(port), 5)
                .map_err(|e| format!("bind(5, {{AF=2 0.0.0.0:{port}}}, 16): {}", e.strerror())),
            SocatSock::UdpListen(port) | SocatSock::UdpRecv(port) => self
                .udp_bind(pid, ns, any(port))
                .map_err(|e| format!("bind(5, {{AF=2 0.0.0.0:{port}}}, 16): {}", e.strerror())),
            SocatSock::TcpConnect(dst) => {
                let r = self.tcp_connect(pid, ns, dst, None);
                if let Ok(c) = r {
                    if let Some(s) = self.socats(pid) {
                        s.conns.push(c);
                    }
                }
                r.map_err(|e| connect_error(dst, e.strerror()))
            }
            SocatSock::UdpSend { dst, connect } => self
                .udp_bind(pid, ns, any(0))
                .and_then(|s| {
                    if connect {
                        self.udp_connect(s, dst);
                    }
                    if o.to_sock && !o.stdin.is_empty() {
                        self.udp_sendto(s, dst, &o.stdin)?;
                    }
                    Ok(s)
                })
                .map_err(|e| connect_error(dst, e.strerror())),
        };
        let s = match r {
            Ok(s) => s,
            Err(e) => return self.socat_fail(pid, &e),
        };
        match o.sock {
            SocatSock::TcpConnect(_) => {}
            SocatSock::UdpSend { .. } => {
                if let Some(x) = self.socats(pid) {
                    x.sock = Some(s);
                }
                // stdin is at EOF: with -u socat is done; else it waits -t for replies.
                if o.from_sock {
                    self.proc_arm(pid, o.close_wait);
                } else {
                    self.proc_exit(pid, 0);
                }
            }
            _ => {
                if let Some(x) = self.socats(pid) {
                    x.sock = Some(s);
                }
            }
        }
    }

    /// A TCP connection is up (connected or accepted): stdin goes out, then its EOF.
    fn socat_conn_up(&mut self, pid: Pid, c: SockId, o: &SocatOpts) {
        if let Some(s) = self.socats(pid) {
            s.up = true;
        }
        if o.to_sock && !o.stdin.is_empty() {
            self.tcp_send(c, &o.stdin);
            // On the real machine the peer's ACK of a write on a lab's veth path comes back
            // within write() (the receiver runs in the sender's softirq), before socat's
            // next poll() finds stdin's EOF: the FIN follows the ACK. nslab's hops take
            // HOP_DELAY each, so socat acts on the EOF once its data is acknowledged (or
            // after EOF_LOOKS looks, as a FIN would leave before a delayed ACK).
            if let Some(s) = self.socats(pid) {
                s.eof_pending.push((c, 0));
            }
            return self.proc_arm(pid, crate::kernel::HOP_DELAY);
        }
        self.socat_stdin_eof(pid, c, o);
    }

    /// stdin's EOF reaches a connection.
    fn socat_stdin_eof(&mut self, pid: Pid, c: SockId, o: &SocatOpts) {
        let fork = matches!(o.sock, SocatSock::TcpListen { fork: true, .. });
        if !o.from_sock {
            // -u from stdin: its EOF ends the transfer; close() sends the FIN.
            self.tcp_close(c);
            if !fork {
                self.proc_exit(pid, 0);
            }
        } else if o.to_sock {
            // stdin's EOF goes on as shutdown(SHUT_WR); socat waits -t for the other side.
            self.tcp_shutdown_wr(c);
            if !fork {
                self.proc_arm(pid, o.close_wait);
            }
        }
    }

    pub(crate) fn socat_timer(&mut self, pid: Pid) {
        let Some(s) = self.socats(pid) else { return };
        if s.eof_pending.is_empty() {
            // The -t wait after one direction's EOF is over.
            return self.proc_exit(pid, 0);
        }
        let o = s.opts.clone();
        let pending = std::mem::take(&mut s.eof_pending);
        let mut left = Vec::new();
        for (c, looks) in pending {
            if self.tcp_send_queue(c) == 0 || looks >= EOF_LOOKS {
                self.socat_stdin_eof(pid, c, &o);
            } else {
                left.push((c, looks + 1));
            }
        }
        if !left.is_empty() {
            if let Some(s) = self.socats(pid) {
                s.eof_pending = left;
            }
            self.proc_arm(pid, crate::kernel::HOP_DELAY);
        }
    }

    pub(crate) fn socat_event(&mut self, pid: Pid, sock: SockId, ev: SockEvent) {
        let Some(s) = self.socats(pid) else { return };
        let o = s.opts.clone();
        match ev {
            SockEvent::Accepted { child, .. } => {
                let fork = matches!(o.sock, SocatSock::TcpListen { fork: true, .. });
                if !fork && !s.conns.is_empty() {
                    return self.tcp_close(child);
                }
                s.conns.push(child);
                if !fork {
                    // Without fork socat closes the listener once it has its connection.
                    if let Some(l) = s.sock.take() {
                        self.tcp_close(l);
                    }
                }
                self.socat_conn_up(pid, child, &o);
            }
            SockEvent::Connected => self.socat_conn_up(pid, sock, &o),
            SockEvent::Data(d) => {
                if o.from_sock {
                    self.proc_out(pid, &d);
                }
            }
            SockEvent::Datagram { from, data } => {
                match o.sock {
                    SocatSock::UdpListen(_) => match s.peer {
                        Some(p) if p != from => return,
                        Some(_) => {}
                        None => {
                            s.peer = Some(from);
                            // socat connects the socket to its first peer.
                            self.udp_connect(sock, from);
                            if o.to_sock {
                                if !o.stdin.is_empty() {
                                    let _ = self.udp_sendto(sock, from, &o.stdin);
                                }
                                self.proc_arm(pid, o.close_wait);
                            }
                        }
                    },
                    SocatSock::UdpSend { dst, .. } if from != dst => return,
                    _ => {}
                }
                if o.from_sock {
                    self.proc_out(pid, &data);
                }
            }
            SockEvent::Eof | SockEvent::Closed => {
                if matches!(o.sock, SocatSock::TcpListen { fork: true, .. }) {
                    // A child of the fork listener ends with its connection.
                    s.conns.retain(|&c| c != sock);
                    return self.tcp_close(sock);
                }
                self.tcp_close(sock);
                self.proc_exit(pid, 0);
            }
            SockEvent::Error(e) => {
                let connecting = !s.up;
                match o.sock {
                    SocatSock::TcpConnect(dst) if connecting => {
                        self.socat_fail(pid, &connect_error(dst, e.strerror()))
                    }
                    SocatSock::TcpListen { fork: true, .. } => {
                        s.conns.retain(|&c| c != sock);
                    }
                    // The buffer's address is socat's heap (random with ASLR): one fixed value.
                    _ => self.socat_fail(
                        pid,
                        &format!("read(5, 0x55864b435000, 8192): {}", e.strerror()),
                    ),
                }
            }
        }
    }
}

/// socat's `E connect(5, AF=2 ADDR:PORT, 16): ERROR`.
fn connect_error(dst: SocketAddrV4, err: &str) -> String {
    format!("connect(5, AF=2 {}:{}, 16): {err}", dst.ip(), dst.port())
}

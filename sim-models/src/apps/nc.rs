//! `nc` (netcat-openbsd) for simple exchanges: `-l` servers (TCP: one connection, its bytes to
//! stdout, exit at EOF; UDP: datagrams to stdout), clients that send their stdin and print what
//! comes back, `-z` port probes with `-v` messages, `-w` timeouts.
//!
//! # Differences from netcat-openbsd
//! stdin is what the shell handed over when the process started (no interactive input); no
//! `-k`, `-p` with a client, proxies or unix sockets.

use super::App;
use crate::kernel::{Kernel, NsId, Pid};
use crate::net::sock::{SockEvent, SockId};
use sim_core::Duration;
use std::net::{Ipv4Addr, SocketAddrV4};

#[derive(Clone, Debug, Default)]
pub struct NcOpts {
    pub listen: bool,
    pub udp: bool,
    pub zero: bool,
    pub verbose: bool,
    pub wait: Option<Duration>,
    /// `-N`: shutdown(SHUT_WR) after stdin's EOF.
    pub shutdown_on_eof: bool,
    pub addr: Option<Ipv4Addr>,
    pub port: u16,
    pub stdin: Vec<u8>,
}

#[derive(Debug)]
pub struct Nc {
    pub opts: NcOpts,
    pub sock: Option<SockId>,
    pub conn: Option<SockId>,
}

/// The service name nc -v shows (`*` when /etc/services has none).
fn service(port: u16, udp: bool) -> &'static str {
    crate::tools::sockets::service_name(port, udp).unwrap_or("*")
}

impl Kernel {
    pub fn nc_spawn(&mut self, ns: NsId, opts: NcOpts) -> Pid {
        self.spawn(
            ns,
            App::Nc(Nc {
                opts,
                sock: None,
                conn: None,
            }),
        )
    }

    fn ncs(&mut self, pid: Pid) -> Option<&mut Nc> {
        match &mut self.proc_mut(pid)?.app {
            App::Nc(n) => Some(n),
            _ => None,
        }
    }

    pub(crate) fn nc_start(&mut self, pid: Pid) {
        let Some(p) = self.proc(pid) else { return };
        let ns = p.ns;
        let App::Nc(n) = &p.app else { return };
        let o = n.opts.clone();
        let addr = o.addr.unwrap_or(Ipv4Addr::UNSPECIFIED);
        let proto = if o.udp { "udp" } else { "tcp" };
        if o.listen {
            let bind = SocketAddrV4::new(addr, o.port);
            let r = if o.udp {
                self.udp_bind(pid, ns, bind)
            } else {
                self.tcp_listen_backlog(pid, ns, bind, 1)
            };
            match r {
                Ok(s) => {
                    if let Some(n) = self.ncs(pid) {
                        n.sock = Some(s);
                    }
                    if o.verbose {
                        let l = format!("Listening on {} {}\n", addr, o.port);
                        self.proc_err(pid, l.as_bytes());
                    }
                }
                Err(e) => {
                    self.proc_err(pid, format!("nc: {}\n", e.strerror()).as_bytes());
                    self.proc_exit(pid, 1);
                }
            }
            return;
        }
        let dst = SocketAddrV4::new(addr, o.port);
        if o.udp {
            match self.udp_bind(pid, ns, SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0)) {
                Ok(s) => {
                    if let Some(n) = self.ncs(pid) {
                        n.sock = Some(s);
                    }
                    if !o.stdin.is_empty() && !o.zero {
                        if let Err(e) = self.udp_sendto(s, dst, &o.stdin) {
                            self.proc_err(
                                pid,
                                format!("nc: write failed: {}\n", e.strerror()).as_bytes(),
                            );
                        }
                    }
                    if o.verbose {
                        let l = format!(
                            "Connection to {} {} port [{}/{}] succeeded!\n",
                            addr,
                            o.port,
                            proto,
                            service(o.port, true)
                        );
                        self.proc_err(pid, l.as_bytes());
                    }
                    if o.zero {
                        return self.proc_exit(pid, 0);
                    }
                    if let Some(w) = o.wait {
                        self.proc_arm(pid, w);
                    }
                }
                Err(e) => {
                    self.proc_err(pid, format!("nc: {}\n", e.strerror()).as_bytes());
                    self.proc_exit(pid, 1);
                }
            }
            return;
        }
        match self.tcp_connect(pid, ns, dst, None) {
            Ok(s) => {
                if let Some(n) = self.ncs(pid) {
                    n.conn = Some(s);
                }
                if let Some(w) = o.wait {
                    self.proc_arm(pid, w);
                }
            }
            Err(e) => {
                // openbsd nc's remote_connect warns only with -v (recorded: `nc -z 127.0.0.1 9`
                // and `nc 127.0.0.1 9` print nothing and exit 1).
                if o.verbose {
                    let l = format!(
                        "nc: connect to {} port {} ({}) failed: {}\n",
                        addr,
                        o.port,
                        proto,
                        e.strerror()
                    );
                    self.proc_err(pid, l.as_bytes());
                }
                self.proc_exit(pid, 1);
            }
        }
    }

    pub(crate) fn nc_timer(&mut self, pid: Pid) {
        let Some(n) = self.ncs(pid) else { return };
        let (o, conn) = (n.opts.clone(), n.conn);
        let connecting =
            conn.is_some_and(|s| self.tcp_state(s) == Some(crate::net::tcp::TcpState::SynSent));
        if connecting {
            // timeout_connect's ETIMEDOUT is reported by the same -v-only warn.
            if o.verbose {
                let addr = o.addr.unwrap_or(Ipv4Addr::UNSPECIFIED);
                let l = format!(
                    "nc: connect to {} port {} (tcp) timed out: Operation now in progress\n",
                    addr, o.port
                );
                self.proc_err(pid, l.as_bytes());
            }
            return self.proc_exit(pid, 1);
        }
        self.proc_exit(pid, 0);
    }

    pub(crate) fn nc_event(&mut self, pid: Pid, sock: SockId, ev: SockEvent) {
        let Some(n) = self.ncs(pid) else { return };
        let o = n.opts.clone();
        let addr = o.addr.unwrap_or(Ipv4Addr::UNSPECIFIED);
        match ev {
            SockEvent::Accepted { child, peer } => {
                if n.conn.is_some() {
                    return self.tcp_close(child);
                }
                n.conn = Some(child);
                let lsock = n.sock.take();
                if let Some(l) = lsock {
                    // openbsd nc stops listening once it has its connection.
                    self.tcp_close(l);
                }
                if o.verbose {
                    let l = format!("Connection received on {} {}\n", peer.ip(), peer.port());
                    self.proc_err(pid, l.as_bytes());
                }
                if !o.stdin.is_empty() {
                    self.tcp_send(child, &o.stdin);
                }
                if o.shutdown_on_eof {
                    self.tcp_shutdown_wr(child);
                }
            }
            SockEvent::Connected => {
                // "Connection to ... succeeded!" is a -v message (recorded: `nc -z` alone is
                // silent on success).
                if o.verbose {
                    let l = format!(
                        "Connection to {} {} port [tcp/{}] succeeded!\n",
                        addr,
                        o.port,
                        service(o.port, false)
                    );
                    self.proc_err(pid, l.as_bytes());
                }
                if o.zero {
                    self.tcp_close(sock);
                    return self.proc_exit(pid, 0);
                }
                if !o.stdin.is_empty() {
                    self.tcp_send(sock, &o.stdin);
                }
                // stdin is at EOF: with -N nc shuts down its sending side; without, it keeps the
                // socket open until the peer closes or -w expires.
                if o.shutdown_on_eof {
                    self.tcp_shutdown_wr(sock);
                }
            }
            SockEvent::Data(d) => self.proc_out(pid, &d),
            SockEvent::Datagram { from, data } => {
                let first = n.conn.is_none();
                n.conn = Some(sock);
                if first && o.verbose && o.listen {
                    let l = format!("Connection received on {} {}\n", from.ip(), from.port());
                    self.proc_err(pid, l.as_bytes());
                }
                self.proc_out(pid, &data);
            }
            SockEvent::Eof => {
                self.tcp_close(sock);
                self.proc_exit(pid, 0);
            }
            SockEvent::Closed => self.proc_exit(pid, 0),
            SockEvent::Error(e) => {
                if o.verbose {
                    let l = format!(
                        "nc: connect to {} port {} (tcp) failed: {}\n",
                        addr,
                        o.port,
                        e.strerror()
                    );
                    self.proc_err(pid, l.as_bytes());
                }
                self.proc_exit(pid, 1);
            }
        }
    }
}

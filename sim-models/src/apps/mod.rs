//! Userspace processes: each an explicit state machine driven by timers and by packets its
//! socket receives. Output is collected per process; the front end decides where it goes.

pub mod arping;
pub mod bird;
pub mod curl;
pub mod http_server;
pub mod nc;
pub mod ping;
pub mod socat;
pub mod tcpdump;
pub mod traceroute;

use crate::kernel::{Event, Kernel, NsId, Pid};
use crate::net::sock::{SockEvent, SockId};
use crate::wire::{IcmpRepr, Ipv4Repr};
use sim_core::{Duration, Instant};

#[derive(Debug)]
pub enum App {
    Ping(ping::Ping),
    Arping(Box<arping::Arping>),
    Traceroute(Box<traceroute::Traceroute>),
    /// `sleep DURATION` in the background: a process that exits after its time.
    Sleep(Duration),
    Tcpdump(Box<tcpdump::Tcpdump>),
    HttpServer(http_server::HttpServer),
    Curl(curl::Curl),
    Nc(nc::Nc),
    Socat(Box<socat::Socat>),
    Bird(Box<bird::Bird>),
}

impl App {
    /// The program name (`ss -p` shows it).
    pub fn comm(&self) -> &'static str {
        match self {
            App::Ping(_) => "ping",
            App::Arping(_) => "arping",
            App::Traceroute(_) => "traceroute",
            App::Sleep(_) => "sleep",
            App::Tcpdump(_) => "tcpdump",
            App::HttpServer(_) => "python3",
            App::Curl(_) => "curl",
            App::Nc(_) => "nc",
            App::Socat(_) => "socat",
            App::Bird(_) => "bird",
        }
    }
}

#[derive(Debug)]
pub struct Process {
    pub ns: NsId,
    pub app: App,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Where each stderr write fell: (stdout's length, stderr's length) just before it
    /// ([`Process::write_err`]), so the two streams can be put back in the order they were
    /// written when both go to one file (`> f 2>&1`, the recorder's capture of a lab's output).
    pub err_marks: Vec<(usize, usize)>,
    pub exit: Option<i32>,
    /// Token of the live timer; stale timer events carry an older token and are ignored.
    pub token: u64,
}

impl Process {
    /// Appends to stderr and marks where the write fell relative to stdout.
    pub fn write_err(&mut self, s: &[u8]) {
        if s.is_empty() {
            return;
        }
        self.err_marks.push((self.stdout.len(), self.stderr.len()));
        self.stderr.extend_from_slice(s);
    }

    /// The write order of stdout and stderr for a program whose stdout reaches its file at
    /// every line (iputils ping flushes stdout after each line, openbsd nc writes received data
    /// with write(2)): the marks of [`Process::write_err`]. Empty for a program whose stdout
    /// is a block-buffered stdio stream when it is not a terminal (curl, traceroute,
    /// tcpdump): what it printed reaches a file at exit, after its stderr.
    pub fn output_order(&self) -> Vec<(usize, usize)> {
        if matches!(self.app, App::Ping(_) | App::Nc(_) | App::Socat(_)) {
            self.err_marks.clone()
        } else {
            Vec::new()
        }
    }
}

/// Processes that may have new output or an exit status since the front end last looked
/// (`Kernel::proc_mut` marks them): the front end routes background jobs' output by draining
/// this list instead of visiting every job after every event. Each process is listed at most
/// once, so the list stays bounded when nobody drains it (engine users).
#[derive(Debug, Default)]
pub struct Touched {
    list: Vec<Pid>,
    listed: Vec<bool>,
}

impl Touched {
    #[inline]
    fn mark(&mut self, pid: Pid) {
        if self.listed.len() <= pid {
            self.listed.resize(pid + 1, false);
        }
        if !self.listed[pid] {
            self.listed[pid] = true;
            self.list.push(pid);
        }
    }

    /// Whether no process was touched.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Moves the touched processes into `into` (cleared first), in the order first touched,
    /// and empties the list.
    pub fn drain_into(&mut self, into: &mut Vec<Pid>) {
        into.clear();
        for &pid in &self.list {
            self.listed[pid] = false;
        }
        std::mem::swap(&mut self.list, into);
    }
}

/// The syslog(2) actions on the kernel log that `dmesg` uses (`SYSLOG_ACTION_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyslogAction {
    /// `SYSLOG_ACTION_READ_ALL` (3): `dmesg`.
    ReadAll,
    /// `SYSLOG_ACTION_READ_CLEAR` (4): `dmesg -c`.
    ReadClear,
    /// `SYSLOG_ACTION_CLEAR` (5): `dmesg -C`.
    Clear,
}

/// A file's absolute path: relative paths are in the lab's working directory, /lab.
pub fn vfs_path(path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/lab/{}", path.trim_start_matches("./"))
    }
}

impl Kernel {
    pub fn spawn(&mut self, ns: NsId, app: App) -> Pid {
        let pid = self.procs.len();
        if matches!(app, App::Ping(_) | App::Traceroute(_)) {
            self.net_mut(ns).icmp_socks.push(pid);
        }
        if matches!(app, App::Arping(_)) {
            self.net_mut(ns).packet_socks.push(pid);
        }
        self.procs.push(Some(Box::new(Process {
            ns,
            app,
            stdout: Vec::new(),
            stderr: Vec::new(),
            err_marks: Vec::new(),
            exit: None,
            token: 0,
        })));
        self.proc_start(pid);
        pid
    }

    pub fn proc(&self, pid: Pid) -> Option<&Process> {
        self.procs.get(pid).and_then(|p| p.as_deref())
    }

    /// A process to change: it is marked touched (see [`Touched`]).
    pub fn proc_mut(&mut self, pid: Pid) -> Option<&mut Process> {
        let p = self.procs.get_mut(pid)?.as_deref_mut()?;
        self.touched.mark(pid);
        Some(p)
    }

    /// The live processes whose network namespace is `ns`, in ascending pid order (the order
    /// of /proc that `ip netns pids` walks). An exited process is gone from /proc.
    pub fn netns_pids(&self, ns: NsId) -> Vec<Pid> {
        (0..self.procs.len())
            .filter(|&pid| {
                self.proc(pid)
                    .is_some_and(|p| p.exit.is_none() && p.ns == ns)
            })
            .collect()
    }

    /// The network namespace of a live process (`/proc/PID/ns/net`); None when no such
    /// process runs.
    pub fn proc_netns(&self, pid: Pid) -> Option<NsId> {
        self.proc(pid).filter(|p| p.exit.is_none()).map(|p| p.ns)
    }

    pub fn proc_exited(&self, pid: Pid) -> Option<i32> {
        self.proc(pid).and_then(|p| p.exit)
    }

    /// `sleep DURATION &`: a process that exits with 0 after `d` (143 on SIGTERM).
    pub fn sleep_spawn(&mut self, ns: NsId, d: Duration) -> Pid {
        self.spawn(ns, App::Sleep(d))
    }

    /// Arms the process's (single) timer `after` from now.
    pub fn proc_arm(&mut self, pid: Pid, after: Duration) {
        let Some(p) = self.proc_mut(pid) else { return };
        p.token += 1;
        let token = p.token;
        self.schedule_in(after, Event::ProcTimer { pid, token });
    }

    fn proc_start(&mut self, pid: Pid) {
        let Some(p) = self.proc(pid) else { return };
        match &p.app {
            App::Ping(_) => self.ping_start(pid),
            App::Arping(_) => self.arping_start(pid),
            App::Traceroute(_) => self.traceroute_start(pid),
            App::Sleep(d) => {
                let d = *d;
                self.proc_arm(pid, d);
            }
            // tcpdump only watches the capture; nothing to start.
            App::Tcpdump(_) => {}
            App::HttpServer(_) => self.http_server_start(pid),
            App::Curl(_) => self.curl_start(pid),
            App::Nc(_) => self.nc_start(pid),
            App::Socat(_) => self.socat_start(pid),
            App::Bird(_) => self.bird_start(pid),
        }
    }

    /// Something happened on a socket the process owns (one arm per socket-using app).
    pub(crate) fn proc_sock_event(&mut self, pid: Pid, sock: SockId, ev: SockEvent) {
        let Some(p) = self.proc(pid) else { return };
        if p.exit.is_some() {
            return;
        }
        match &p.app {
            App::Ping(_)
            | App::Arping(_)
            | App::Traceroute(_)
            | App::Sleep(_)
            | App::Tcpdump(_) => {}
            App::HttpServer(_) => self.http_server_event(pid, sock, ev),
            App::Curl(_) => self.curl_event(pid, sock, ev),
            App::Nc(_) => self.nc_event(pid, sock, ev),
            App::Socat(_) => self.socat_event(pid, sock, ev),
            App::Bird(_) => self.bird_sock_event(pid, sock, ev),
        }
    }

    /// The process ends with `status`: its sockets are closed (FIN/RST as close() sends).
    pub fn proc_exit(&mut self, pid: Pid, status: i32) {
        let Some(p) = self.proc_mut(pid) else { return };
        if p.exit.is_some() {
            return;
        }
        p.exit = Some(status);
        p.token += 1;
        self.sock_close_all(pid);
    }

    /// `wait()` by the parent shell: an exited process whose output has been taken is freed
    /// (its pid is not reused: the arena keeps an empty slot). bird stays: the lab reads a
    /// daemon's final state after its end. A deleted namespace lived on for its processes:
    /// with the last one reaped, it goes too.
    pub fn proc_reap(&mut self, pid: Pid) {
        let reapable = self
            .proc(pid)
            .is_some_and(|p| p.exit.is_some() && !matches!(p.app, App::Bird(_)));
        if reapable {
            let ns = self.proc(pid).map(|p| p.ns);
            self.procs[pid] = None;
            self.capture.forget(pid);
            if let Some(ns) = ns {
                self.netns_release(ns);
            }
        }
    }

    /// Reads a whole file (`open`, `read` to EOF); `None` when there is no such file
    /// (relative paths are in the lab's working directory, /lab).
    pub fn vfs_read(&self, path: &str) -> Option<Vec<u8>> {
        self.vfs.get(&vfs_path(path)).map(|(data, _)| data.clone())
    }

    /// `clock_gettime(CLOCK_REALTIME)` (`ktime_get_real`): the simulated wall clock.
    pub fn ktime_get_real(&self) -> Instant {
        self.now
    }

    /// syslog(2) (`do_syslog` in kernel/printk/printk.c) on the kernel log: READ_ALL and
    /// READ_CLEAR return the records (time, text), READ_CLEAR and CLEAR empty the log after.
    pub fn syslog(&mut self, action: SyslogAction) -> Vec<(Instant, String)> {
        match action {
            SyslogAction::ReadAll => self.klog.clone(),
            SyslogAction::ReadClear => std::mem::take(&mut self.klog),
            SyslogAction::Clear => {
                self.klog.clear();
                Vec::new()
            }
        }
    }

    /// Appends to a file (relative paths are in the lab's working directory, /lab).
    pub fn vfs_append(&mut self, path: &str, data: &[u8]) {
        let p = vfs_path(path);
        let now = self.now;
        let e = self.vfs.entry(p.clone()).or_insert((Vec::new(), now));
        e.0.extend_from_slice(data);
        e.1 = now;
        if !self.vfs_written.contains(&p) {
            self.vfs_written.push(p);
        }
    }

    /// Creates or truncates a file (`open(O_TRUNC)`).
    pub fn vfs_truncate(&mut self, path: &str) {
        self.vfs_append(path, &[]);
        if let Some(e) = self.vfs.get_mut(&vfs_path(path)) {
            e.0.clear();
        }
    }

    /// Writes a whole file (`open(O_TRUNC)`, `write`): `tcpdump -w`.
    pub fn vfs_write(&mut self, path: &str, data: &[u8]) {
        self.vfs_truncate(path);
        self.vfs_append(path, data);
    }

    /// Appends to the process's stdout / stderr.
    pub fn proc_out(&mut self, pid: Pid, s: &[u8]) {
        if let Some(p) = self.proc_mut(pid) {
            p.stdout.extend_from_slice(s);
        }
    }
    pub fn proc_err(&mut self, pid: Pid, s: &[u8]) {
        if let Some(p) = self.proc_mut(pid) {
            p.write_err(s);
        }
    }

    pub(crate) fn proc_timer(&mut self, pid: Pid, token: u64) {
        let Some(p) = self.proc(pid) else { return };
        if p.token != token || p.exit.is_some() {
            return;
        }
        match &p.app {
            App::Ping(_) => self.ping_timer(pid),
            App::Arping(_) => self.arping_timer(pid),
            App::Traceroute(_) => self.traceroute_timer(pid),
            App::Sleep(_) => self.proc_exit(pid, 0),
            App::Tcpdump(_) => {}
            App::HttpServer(_) => self.http_server_timer(pid),
            App::Curl(_) => self.curl_timer(pid),
            App::Nc(_) => self.nc_timer(pid),
            App::Socat(_) => self.socat_timer(pid),
            App::Bird(_) => self.bird_timer(pid),
        }
    }

    /// SIGTERM/SIGINT: a ping prints its statistics and exits, as iputils does on SIGINT.
    pub fn proc_kill(&mut self, pid: Pid) {
        let Some(p) = self.proc(pid) else { return };
        if p.exit.is_some() {
            return;
        }
        match &p.app {
            App::Ping(_) => self.ping_finish(pid),
            App::Arping(_) => self.arping_finish(pid),
            App::Traceroute(_) | App::Sleep(_) => self.proc_exit(pid, 143),
            App::Tcpdump(_) => self.tcpdump_finish(pid),
            // SIGTERM's default action: the process dies, the kernel closes its sockets.
            App::HttpServer(_) | App::Curl(_) | App::Nc(_) | App::Socat(_) => {
                self.proc_exit(pid, 143)
            }
            App::Bird(_) => self.bird_shutdown(pid),
        }
    }

    /// Hands an ICMP message received in `ns` to the raw ICMP sockets there (ping).
    pub(crate) fn ping_rcv(&mut self, ns: NsId, ip: &Ipv4Repr, icmp: &IcmpRepr) {
        // One live socket, the common case: no change to the list, no copy of it.
        if let Some(pid) = self.icmp_sock_one(ns) {
            return self.icmp_sock_deliver(pid, ip, icmp);
        }
        for pid in self.icmp_socks_live(ns) {
            self.icmp_sock_deliver(pid, ip, icmp);
        }
    }

    /// [`Kernel::ping_rcv`] for an echo reply `msg` (its ICMP header and data, the checksum
    /// checked), which a ping takes from the header's fields without a parsed copy of its
    /// data ([`IcmpRepr::parse`]'s).
    #[inline]
    pub(crate) fn ping_rcv_echo_reply(&mut self, ns: NsId, ip: &Ipv4Repr, msg: &[u8]) {
        if msg.len() < 8 {
            return;
        }
        let (id, seq) = (
            u16::from_be_bytes([msg[4], msg[5]]),
            u16::from_be_bytes([msg[6], msg[7]]),
        );
        let one = self.icmp_sock_one(ns);
        let many = if one.is_none() {
            self.icmp_socks_live(ns)
        } else {
            Vec::new()
        };
        for pid in one.into_iter().chain(many) {
            // A traceroute's socket takes the parsed message (rare: traceroute -I).
            if matches!(self.proc(pid).map(|p| &p.app), Some(App::Traceroute(_))) {
                if let Ok(icmp) = IcmpRepr::parse(msg) {
                    self.traceroute_input(pid, ip, &icmp);
                }
            } else {
                self.ping_echo_reply(pid, ip.src, ip.ttl, id, seq, msg.len() - 8);
            }
        }
    }

    /// The ICMP socket of `ns` when it is the only one and its process lives.
    fn icmp_sock_one(&self, ns: NsId) -> Option<Pid> {
        match self.net(ns).icmp_socks[..] {
            [pid] if self.proc(pid).is_some_and(|p| p.exit.is_none()) => Some(pid),
            _ => None,
        }
    }

    /// The ICMP sockets of `ns` whose processes live (the others' sockets are closed: gone
    /// from the list), as they are now: a delivery may send, and a send may deliver.
    fn icmp_socks_live(&mut self, ns: NsId) -> Vec<Pid> {
        let mut socks = std::mem::take(&mut self.net_mut(ns).icmp_socks);
        socks.retain(|&pid| self.proc(pid).is_some_and(|p| p.exit.is_none()));
        let live = socks.clone();
        self.net_mut(ns).icmp_socks = socks;
        live
    }

    fn icmp_sock_deliver(&mut self, pid: Pid, ip: &Ipv4Repr, icmp: &IcmpRepr) {
        if matches!(self.proc(pid).map(|p| &p.app), Some(App::Traceroute(_))) {
            self.traceroute_input(pid, ip, icmp);
        } else {
            self.ping_input(pid, ip, icmp);
        }
    }
}

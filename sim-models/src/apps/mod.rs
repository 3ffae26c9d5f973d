//! Userspace processes: each an explicit state machine driven by timers and by packets its
//! socket receives. Output is collected per process; the front end decides where it goes.

pub mod bird;
pub mod ping;

use crate::kernel::{Event, Kernel, NsId, Pid};
use crate::wire::{IcmpRepr, Ipv4Repr};
use sim_core::Duration;

#[derive(Debug)]
pub enum App {
    Ping(ping::Ping),
    Bird(Box<bird::Bird>),
}

#[derive(Debug)]
pub struct Process {
    pub ns: NsId,
    pub app: App,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub exit: Option<i32>,
    /// Token of the live timer; stale timer events carry an older token and are ignored.
    pub token: u64,
}

impl Kernel {
    pub fn spawn(&mut self, ns: NsId, app: App) -> Pid {
        let pid = self.procs.len();
        if matches!(app, App::Ping(_)) {
            self.net_mut(ns).icmp_socks.push(pid);
        }
        self.procs.push(Some(Process {
            ns,
            app,
            stdout: Vec::new(),
            stderr: Vec::new(),
            exit: None,
            token: 0,
        }));
        self.proc_start(pid);
        pid
    }

    pub fn proc(&self, pid: Pid) -> Option<&Process> {
        self.procs.get(pid).and_then(|p| p.as_ref())
    }

    pub fn proc_mut(&mut self, pid: Pid) -> Option<&mut Process> {
        self.procs.get_mut(pid).and_then(|p| p.as_mut())
    }

    pub fn proc_exited(&self, pid: Pid) -> Option<i32> {
        self.proc(pid).and_then(|p| p.exit)
    }

    /// Arms the process's (single) timer `after` from now.
    pub fn proc_arm(&mut self, pid: Pid, after: Duration) {
        let Some(p) = self.proc_mut(pid) else { return };
        p.token += 1;
        let token = p.token;
        self.schedule_in(after, Event::ProcTimer { pid, token });
    }

    fn proc_start(&mut self, pid: Pid) {
        match self.proc(pid).map(|p| &p.app) {
            Some(App::Ping(_)) => self.ping_start(pid),
            Some(App::Bird(_)) => self.bird_start(pid),
            None => {}
        }
    }

    pub(crate) fn proc_timer(&mut self, pid: Pid, token: u64) {
        let Some(p) = self.proc(pid) else { return };
        if p.token != token || p.exit.is_some() {
            return;
        }
        match &p.app {
            App::Ping(_) => self.ping_timer(pid),
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
            App::Bird(_) => self.bird_shutdown(pid),
        }
    }

    /// Hands an ICMP message received in `ns` to the raw ICMP sockets there (ping).
    pub(crate) fn ping_rcv(&mut self, ns: NsId, ip: &Ipv4Repr, icmp: &IcmpRepr) {
        // Sockets of exited processes are closed.
        let mut socks = std::mem::take(&mut self.net_mut(ns).icmp_socks);
        socks.retain(|&pid| self.proc(pid).is_some_and(|p| p.exit.is_none()));
        let pids = socks.clone();
        self.net_mut(ns).icmp_socks = socks;
        for pid in pids {
            self.ping_input(pid, ip, icmp);
        }
    }
}

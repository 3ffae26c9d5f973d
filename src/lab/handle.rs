//! The `Lab` handle for tests and embedders (turmoil's `Sim` is the model): build a lab, run shell
//! text or one command in a namespace, move the clock, and read what happened as data — the
//! capture, the trace, the drops, a namespace's state — without reaching into the model.
//!
//! ```
//! use nslab::Lab;
//!
//! let mut lab = Lab::builder().seed(1).build();
//! let r = lab.sh(
//!     "ip netns add a\n\
//!      ip netns add b\n\
//!      ip -n a link add eth0 type veth peer name eth0 netns b\n\
//!      ip -n a addr add 10.0.0.1/24 dev eth0\n\
//!      ip -n b addr add 10.0.0.2/24 dev eth0\n\
//!      ip -n a link set eth0 up\n\
//!      ip -n b link set eth0 up\n",
//! );
//! assert_eq!(r.failures, 0);
//!
//! // One command line in a namespace: its status and what it printed.
//! let ping = lab.exec("a", "ping -c 1 10.0.0.2");
//! assert_eq!(ping.status, 0);
//! assert!(ping.stdout.contains("1 packets transmitted, 1 received"));
//! let bad = lab.exec("a", "ip route add 10.9.0.0/24 via 10.99.0.1");
//! assert_eq!(bad.status, 2);
//! assert_eq!(bad.stderr, "Error: Nexthop has invalid gateway.\n");
//!
//! // The clock moves only when asked: events run in time order.
//! let t = lab.now() + nslab::Duration::from_secs(10);
//! lab.run_until(t);
//! assert_eq!(lab.now(), t);
//!
//! // What happened, as data.
//! assert!(lab.packets().iter().any(|p| lab.interfaces()[p.iface].name == "b:eth0"));
//! assert!(lab.state("a").contains("10.0.0.2 dev eth0 lladdr"));
//! assert!(lab.pcapng().starts_with(&[0x0a, 0x0d, 0x0d, 0x0a]));
//! assert_eq!(lab.namespaces(), ["root", "a", "b"]);
//! ```

use super::{state_dump, Lab};
use crate::shell::{self, ShellOptions, Stream};
use sim_core::{Duration, Instant};

/// The file name the shell reports for [`Lab::exec`]'s command line (its `exec:1: ` pointers
/// before tool errors are left out of the output: the real tool prints none).
const EXEC_FILE: &str = "exec";

/// What one command printed and its exit status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Options of a new lab: [`Lab::builder`].
#[derive(Clone, Debug)]
pub struct LabBuilder {
    seed: u64,
    trace: bool,
    ipip: bool,
    limits: sim_models::limits::Limits,
    max_command_time: Duration,
    max_commands: u64,
}

impl LabBuilder {
    /// The seed of the lab's RNG (ISNs, ping ids, MACs...): same seed, same bytes.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Record packet-path notes from the start ([`Lab::trace`], [`Lab::trace_notes`]).
    pub fn trace(mut self, on: bool) -> Self {
        self.trace = on;
        self
    }

    /// Boot with the `ipip` module loaded (`tunl0` is ifindex 2 in every namespace), as the
    /// recording VM does for IPIP labs. [`Lab::sh`] does it by itself when the lab's first
    /// script uses `ipip` or `tunl0`.
    pub fn ipip(mut self, on: bool) -> Self {
        self.ipip = on;
        self
    }

    /// The most simulated time the run may reach (default one day): the clock stops there
    /// and [`Lab::limit_hit`] says so.
    pub fn max_sim_time(mut self, d: Duration) -> Self {
        self.limits.max_sim_time = d;
        self
    }

    /// The most frames the run's devices may transmit (default 100 million).
    pub fn max_frames(mut self, n: u64) -> Self {
        self.limits.max_frames = n;
        self
    }

    /// Frames per simulated second (all devices) above which the run is a storm and stops
    /// (default 200 000).
    pub fn max_frame_rate(mut self, n: u64) -> Self {
        self.limits.storm_rate = n;
        self
    }

    /// Bytes of state the lab may hold (files it wrote, terminal output, frames held; default
    /// 1 GiB).
    pub fn max_memory(mut self, bytes: u64) -> Self {
        self.limits.max_memory = bytes;
        self
    }

    /// The size of the lab's disk, bytes its files may hold (default 256 MiB); past it writes
    /// fail with ENOSPC and the run goes on.
    pub fn max_files(mut self, bytes: u64) -> Self {
        self.limits.max_files = bytes;
        self
    }

    /// Simple commands a run may execute (default 1 000 000): an endless loop stops there.
    pub fn max_commands(mut self, n: u64) -> Self {
        self.max_commands = n;
        self
    }

    /// The longest one foreground command may run in simulated time (default 3600 s).
    pub fn max_command_time(mut self, d: Duration) -> Self {
        self.max_command_time = d;
        self
    }

    pub fn build(self) -> Lab {
        let mut lab = Lab::new(self.seed);
        lab.kernel.limits = self.limits;
        lab.max_command_time = self.max_command_time;
        lab.max_commands = self.max_commands;
        if self.trace {
            lab.enable_trace();
        }
        if self.ipip {
            lab.kernel.ipip_module_load();
        }
        lab
    }
}

/// One capture interface: `namespace:ifname`, its link type (1 Ethernet, 101 raw IP...), MAC,
/// device kind (`veth`, `bridge`, `loopback`...) and how many frames it captured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaptureIface {
    pub name: String,
    pub linktype: u16,
    pub mac: Option<[u8; 6]>,
    pub kind: &'static str,
    pub npkts: u64,
}

/// One captured frame: the index of its interface in [`Lab::interfaces`], when, and its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Packet<'a> {
    pub iface: usize,
    pub time: Instant,
    pub data: &'a [u8],
}

impl Lab {
    /// A new lab: `Lab::builder().seed(7).trace(true).build()`.
    pub fn builder() -> LabBuilder {
        LabBuilder {
            seed: 1,
            trace: false,
            ipip: false,
            limits: Default::default(),
            max_command_time: super::MAX_COMMAND_TIME,
            max_commands: ShellOptions::default().max_commands,
        }
    }

    /// Runs shell text in the lab's shell (in `/lab`, the initial namespace), its output on the
    /// lab's terminal ([`Lab::output`]). Background jobs keep running; the lab does not end —
    /// [`Lab::finish`] ends it as [`Lab::run_shell`] does.
    pub fn sh(&mut self, script: &str) -> shell::ScriptResult {
        let first = self.file.is_empty();
        if first {
            self.file = "lab.sh".into();
            self.kernel_config_for(script);
        }
        let opts = ShellOptions {
            pwd: "/lab".into(),
            max_commands: self.max_commands,
            ..ShellOptions::default()
        };
        shell::run_script(script, &self.file.clone(), self, &opts)
    }

    /// Runs one command line in namespace `ns` (`root`: the initial one) as
    /// `ip netns exec NS CMDLINE` typed in the lab's shell (words, quotes, redirections and
    /// expansions as the shell reads them; a pipeline's later commands run in the initial
    /// namespace), to completion, the clock advancing as in a lab. What it prints is returned,
    /// not written to the lab's terminal.
    pub fn exec(&mut self, ns: &str, cmdline: &str) -> Output {
        let line = if ns.is_empty() || ns == "root" {
            cmdline.to_string()
        } else {
            format!("ip netns exec {} {}", shell_quote(ns), cmdline)
        };
        let mark = (
            self.terminal.len(),
            self.terminal.last().map_or(0, |c| c.data.len()),
        );
        let opts = ShellOptions {
            pwd: "/lab".into(),
            ..ShellOptions::default()
        };
        let r = shell::run_script(&line, EXEC_FILE, self, &opts);
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let first = mark.0.saturating_sub(1);
        for (i, c) in self.terminal.iter_mut().enumerate().skip(first) {
            let from = if i + 1 == mark.0 { mark.1 } else { 0 };
            let to = match c.stream {
                Stream::Stdout => &mut stdout,
                Stream::Stderr => &mut stderr,
            };
            // the real tool prints no `exec:1: ` pointer
            if !c.loc {
                to.extend_from_slice(&c.data[from.min(c.data.len())..]);
            }
            if i + 1 == mark.0 {
                c.data.truncate(mark.1);
            }
        }
        self.terminal.truncate(mark.0);
        Output {
            status: r.status,
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    /// Runs the next event (frames, timers, processes); false when nothing is scheduled.
    pub fn step(&mut self) -> bool {
        let ran = self.kernel.step();
        self.flush_jobs();
        ran
    }

    /// Runs every event up to `t` in order, then sets the clock to `t` (no-op for a past `t`).
    pub fn run_until(&mut self, t: Instant) {
        while self.kernel.queue.peek_time().is_some_and(|e| e <= t) {
            self.kernel.step();
            self.flush_jobs();
        }
        self.kernel.run_until(t);
        self.flush_jobs();
    }

    /// [`Lab::run_until`] `d` from now.
    pub fn run_for(&mut self, d: Duration) {
        self.run_until(self.kernel.now + d);
    }

    /// The simulated clock (a lab starts at the Unix epoch).
    pub fn now(&self) -> Instant {
        self.kernel.now
    }

    /// How many events have run so far (frames, timers, process steps).
    pub fn events_processed(&self) -> u64 {
        self.kernel.events_processed
    }

    /// Namespace names in creation order, the initial one as `root`.
    pub fn namespaces(&self) -> Vec<String> {
        self.kernel
            .nets
            .iter()
            .flatten()
            .filter(|n| !n.detached)
            .map(|n| n.name.clone())
            .collect()
    }

    /// Every device as `(namespace, name)`, in creation order.
    pub fn devices(&self) -> Vec<(String, String)> {
        self.kernel
            .devs
            .iter()
            .flatten()
            .map(|d| (self.kernel.net(d.ns).name.clone(), d.name.clone()))
            .collect()
    }

    /// Delivers `frame` to device `dev` of namespace `ns` now, as if its link had received it
    /// (the capture sees it; the device's receive path handles it).
    pub fn inject(&mut self, ns: &str, dev: &str, frame: Vec<u8>) -> Result<(), String> {
        let n = self
            .kernel
            .ns_by_name(ns)
            .ok_or_else(|| format!("no namespace {ns}"))?;
        let d = self
            .kernel
            .dev_by_name(n, dev)
            .ok_or_else(|| format!("no device {dev} in {ns}"))?;
        self.kernel
            .netif_receive_skb(d, sim_models::net::skbuff::SkBuff::new(frame));
        self.flush_jobs();
        Ok(())
    }

    /// Loads a kernel module as `modprobe` would; only `ipip` is modelled (it adds a DOWN
    /// `tunl0` to every namespace, existing and future).
    pub fn modprobe(&mut self, module: &str) -> Result<(), String> {
        match module {
            "ipip" => {
                self.kernel.ipip_module_load();
                Ok(())
            }
            m => Err(format!("nslab: module {m} is not modelled yet")),
        }
    }

    /// The capture interfaces, in the order the capture (and the pcapng) lists them.
    pub fn interfaces(&self) -> Vec<CaptureIface> {
        self.kernel
            .capture
            .ifaces
            .iter()
            .map(|c| CaptureIface {
                name: c.name.clone(),
                linktype: c.linktype,
                mac: c.mac,
                kind: c.kind,
                npkts: c.npkts,
            })
            .collect()
    }

    /// Every captured frame in time order (setup included; see [`Lab::pcapng_traffic`]).
    pub fn packets(&self) -> Vec<Packet<'_>> {
        self.kernel
            .capture
            .packets
            .iter()
            .map(|(i, ts, data)| Packet {
                iface: *i as usize,
                time: Instant(*ts),
                data,
            })
            .collect()
    }

    /// Starts or stops capturing (a lab with a traffic marker stops at its end, as the
    /// recorder's captures do).
    pub fn set_capturing(&mut self, on: bool) {
        self.kernel.capture.set_enabled(on);
    }

    /// The lab's topology as `nslab graph` draws it (namespaces, devices, links).
    pub fn topology(&self) -> crate::graph::Topology {
        crate::graph::topology(&self.kernel)
    }

    /// Every dropped frame with the kernel's drop reason and function, then counts per reason
    /// (`nslab run --drops`).
    pub fn drops(&self) -> String {
        super::drops_report(self)
    }

    /// What the state commands print for namespace `ns` (its section of `nslab run --state`:
    /// addresses, routes, neighbours, fdb, tunnels, netfilter), empty for an unknown namespace.
    pub fn state(&mut self, ns: &str) -> String {
        let dump = state_dump(self);
        let head = format!("### {ns}\n");
        let Some(start) = dump
            .match_indices(&head)
            .map(|(i, _)| i)
            .find(|&i| i == 0 || dump.as_bytes()[i - 1] == b'\n')
        else {
            return String::new();
        };
        let body = &dump[start + head.len()..];
        let end = body.find("\n### ").map_or(body.len(), |e| e + 1);
        body[..end].to_string()
    }
}

/// `s` as one shell word.
fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:@%+=/".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

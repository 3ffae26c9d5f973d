//! The `Lab` API: one simulated machine plus the shell that drives it. A shell lab's commands
//! reach the model through [`Host`]; the lab's terminal output, files and capture are kept here.

use crate::programs::{self, Kind};
use crate::shell::{self, CmdOutput, Host, JobId, Loc, ShellOptions, Sink, Stream};
use sim_core::pcapng::PcapngWriter;
use sim_core::rng::SimRng;
use sim_core::{Duration, Instant};
use sim_models::apps::bird::cli as bird_cli;
use sim_models::apps::bird::show as bird_show;
use sim_models::kernel::{NsId, Pid, ROOT_NS};
use sim_models::tools::ToolError;
use sim_models::tools::{self, sysctl, Exec};
use sim_models::Kernel;
use std::collections::{BTreeMap, BTreeSet};

/// Simulated time a lab runs on after its last command, as the kernel recorder waits 1 s before
/// stopping its captures (late replies and timers still show).
pub const FINAL_SETTLE: Duration = Duration::from_secs(1);

/// Time from a foreground process's exit to the shell's next command (wait + fork + exec).
pub const PROC_EXIT_LATENCY: Duration = Duration::from_millis(1);

/// Time between a lab's last command and the recorder killing its background jobs.
pub const JOB_KILL_DELAY: Duration = Duration::from_millis(2);

/// The longest a foreground command (or `wait` for a job) may run in simulated time before the
/// lab gives up on it (the default of [`Lab::max_command_time`]).
pub const MAX_COMMAND_TIME: Duration = Duration::from_secs(3600);

pub use sim_models::limits::LimitHit;

struct Job {
    pid: Option<Pid>,
    /// The command line and where it was started (for the limit message of `wait`): the
    /// script's name shared with the lab's other jobs of that script ([`Lab::job_file`]), none
    /// once the job has finished.
    argv: Vec<String>,
    file: Option<std::rc::Rc<str>>,
    line: u32,
    /// Started before the `# --- traffic ---` marker (a daemon of the setup phase).
    setup: bool,
    out: Sink,
    err: Sink,
    status: Option<i32>,
}

/// Where [`Lab::stream_terminal`] writes the terminal's output as it is produced.
pub type TermSink = Box<dyn FnMut(Stream, &[u8])>;

/// One chunk of the lab's terminal output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermChunk {
    pub stream: Stream,
    pub data: Vec<u8>,
    /// nslab's `FILE:LINE: ` before a program's error ([`Host::emit_loc`]): on the terminal,
    /// not in what bash would print ([`Lab::traffic_stdout`], [`Lab::bash_output`]).
    pub loc: bool,
}

pub struct Lab {
    pub kernel: Kernel,
    /// The lab's working directory: files written by redirections and heredocs.
    pub files: BTreeMap<String, Vec<u8>>,
    pub terminal: Vec<TermChunk>,
    jobs: Vec<Job>,
    /// The job of each background process (an index into `jobs`).
    job_of: jobs::LiveJobs,
    /// Scratch: the processes touched by the last events, then the jobs among them.
    touched: Vec<Pid>,
    touched_jobs: Vec<usize>,
    pub file: String,
    /// Simulated time of the `# --- traffic ---` marker, if the lab has one.
    pub traffic_start: Option<Instant>,
    /// Standard input of the command being run (a heredoc or pipe), for programs reading it.
    stdin: Vec<u8>,
    /// Where the terminal was at the marker (chunk index, bytes of it already written): the
    /// recorder keeps setup output apart.
    pub traffic_term: (usize, usize),
    /// Where the capture was at the marker: the kernel recorder's captures start there.
    pub traffic_pkt: Option<usize>,
    /// Capture interfaces of devices that were down at the marker: the recorder's tcpdump
    /// skips them (it refuses a down interface), so `pcapng_traffic` leaves their frames out.
    pub traffic_down: BTreeSet<usize>,
    /// Directories a lab made (`mkdir`), besides those every lab has and those holding files.
    pub dirs: BTreeSet<String>,
    /// The namespace the shell's current command runs in (`ip netns exec`, `nsenter`).
    pub cur_ns: NsId,
    /// The shell's randomness (`$RANDOM`, `mktemp`): from the seed, apart from the kernel's.
    shell_rng: SimRng,
    /// Commands nslab does not model that the lab ran, with how often.
    pub not_modelled: BTreeMap<String, u32>,
    /// The lab was told that its IPv6 configuration is kept as configuration only.
    ipv6_noted: bool,
    /// The full-disk note was shown (`limits::files_full_note`).
    files_full_noted: bool,
    /// The real directory of the lab script: `source FILE` may read files there (read-only).
    pub script_dir: Option<std::path::PathBuf>,
    /// `nslab run LAB.sh -- ARGS...`: the script's positional parameters.
    pub script_args: Vec<String>,
    /// `timeout DURATION` around the current command.
    timeout: Option<Duration>,
    /// The first limit that stopped something in the lab (`nslab` then exits 3).
    pub limit_note: Option<String>,
    /// The commands that failed where `set -e` would stop: where, the command, its status
    /// (the first [`MAX_FAILED_KEPT`]), and how many failed in all.
    pub failed_commands: Vec<(Loc, String, i32)>,
    pub failed_count: u64,
    /// The longest a foreground command may run (`--max-command-time`).
    pub max_command_time: Duration,
    /// Simple commands a run may execute (`--max-commands`; endless loops).
    pub max_commands: u64,
    /// The limit that stopped the run has been reported on the terminal.
    limit_reported: bool,
    /// Where the terminal's output goes as it is produced ([`Lab::stream_terminal`]).
    term_stream: Option<TermSink>,
    /// Bytes of terminal output held in `terminal`.
    term_bytes: u64,
    /// The script [`Lab::run_shell`] ran has a syntax error (`nslab run` then exits 2).
    pub syntax_error: bool,
    /// The script name of the last job started, shared by the jobs of that script.
    job_file: Option<std::rc::Rc<str>>,
}

/// How many failed commands a lab keeps for the end-of-run summary.
pub const MAX_FAILED_KEPT: usize = 20;

impl Lab {
    pub fn new(seed: u64) -> Lab {
        let mut kernel = Kernel::new(seed);
        // A lab runs with the front ends' limits (`--max-frames`, ...); the bare engine has none.
        kernel.limits = sim_models::limits::Limits::default();
        Lab {
            kernel,
            files: BTreeMap::new(),
            terminal: Vec::new(),
            jobs: Vec::new(),
            job_of: jobs::LiveJobs::default(),
            touched: Vec::new(),
            touched_jobs: Vec::new(),
            file: String::new(),
            traffic_start: None,
            stdin: Vec::new(),
            traffic_term: (0, 0),
            traffic_pkt: None,
            traffic_down: BTreeSet::new(),
            dirs: BTreeSet::new(),
            cur_ns: ROOT_NS,
            shell_rng: SimRng::new(seed ^ 0x5348_454c_4c5f_524e),
            not_modelled: BTreeMap::new(),
            ipv6_noted: false,
            files_full_noted: false,
            script_dir: None,
            script_args: Vec::new(),
            timeout: None,
            limit_note: None,
            failed_commands: Vec::new(),
            failed_count: 0,
            max_command_time: MAX_COMMAND_TIME,
            max_commands: ShellOptions::default().max_commands,
            limit_reported: false,
            term_stream: None,
            term_bytes: 0,
            syntax_error: false,
            job_file: None,
        }
    }

    /// The limit of the run (frames, simulated time, a storm) that stopped it, if any: the
    /// front end's "a limit was hit" (exit status 3 of `nslab run`).
    pub fn limit_hit(&self) -> Option<&LimitHit> {
        self.kernel.limits.hit.as_ref()
    }

    /// Whether any limit stopped something: one of the run's ([`Lab::limit_hit`]) or the
    /// shell's and the commands' ([`Lab::limit_note`]).
    pub fn limited(&self) -> bool {
        self.limit_note.is_some() || self.limit_hit().is_some()
    }

    /// Sets the run's limits: transmitted frames, simulated time, frames per simulated second
    /// before the run counts as a storm (`nslab run --max-frames`, `--max-sim-time`,
    /// `--max-frame-rate`).
    pub fn set_limits(&mut self, max_frames: u64, max_sim_time: Duration, max_frame_rate: u64) {
        let l = &mut self.kernel.limits;
        l.max_frames = max_frames;
        l.max_sim_time = max_sim_time;
        l.storm_rate = max_frame_rate;
    }

    /// Bytes of state the lab may hold: files it wrote, terminal output not streamed, frames
    /// held (`nslab run --max-memory MIB`; default 1 GiB).
    pub fn set_max_memory(&mut self, bytes: u64) {
        self.kernel.limits.max_memory = bytes;
    }

    /// The size of the lab's disk: bytes its files may hold (`nslab run --max-files MIB`;
    /// default 256 MiB). Past it writes fail with ENOSPC and the run goes on.
    pub fn set_max_files(&mut self, bytes: u64) {
        self.kernel.limits.max_files = bytes;
    }

    /// Bytes the lab's files hold.
    fn files_bytes(&self) -> u64 {
        self.files.values().map(|f| f.len() as u64).sum()
    }

    /// Appends `data` to (or, without `append`, replaces) the lab file `path` as a disk of
    /// `max_files` bytes takes it: what fits is written; false when not all of it did (the
    /// writer gets ENOSPC, and the lab a note once).
    pub(crate) fn write_lab_file(&mut self, path: String, data: &[u8], append: bool) -> bool {
        let max = self.kernel.limits.max_files;
        let mut used = self.files_bytes();
        let f = self.files.entry(path).or_default();
        if !append {
            used -= f.len() as u64;
            f.clear();
        }
        let room = max.saturating_sub(used).min(usize::MAX as u64) as usize;
        let fits = data.len() <= room;
        f.extend_from_slice(&data[..data.len().min(room)]);
        if !fits {
            self.kernel.limits.files_full = true;
            self.note_files_full();
        }
        fits
    }

    /// Says once, on stderr, that the lab's disk is full and how to make it larger.
    fn note_files_full(&mut self) {
        if self.kernel.limits.files_full && !self.files_full_noted {
            self.files_full_noted = true;
            let m = sim_models::limits::files_full_note(self.kernel.limits.max_files);
            self.emit(Stream::Stderr, m.as_bytes());
        }
    }

    /// Prints the limit that stopped the run on the terminal's stderr, once; true if stopped.
    fn report_limit(&mut self) -> bool {
        let Some(hit) = self.kernel.limits.hit.clone() else {
            return false;
        };
        if !self.limit_reported {
            self.limit_reported = true;
            self.flush_jobs();
            self.emit(Stream::Stderr, format!("{hit}\n").as_bytes());
        }
        true
    }

    /// Says once per lab, on stderr, that the IPv6 configuration it made (addresses, routes,
    /// rules) is kept but no IPv6 packet is modelled (net/addrconf.rs), so nothing is silently
    /// ignored.
    fn note_ipv6_configured(&mut self) {
        if self.kernel.ipv6_configured && !self.ipv6_noted {
            self.ipv6_noted = true;
            self.emit(
                Stream::Stderr,
                b"nslab: IPv6 packets are not modelled yet (IPv6 addresses, routes and rules are \
                  kept as configuration; no neighbour discovery, MLD or DAD frames)\n",
            );
        }
    }

    /// Lists the commands not modelled that the lab ran, on the terminal's stderr
    /// (`nslab: not modelled in this lab: tc (3), python3 -c (1)`).
    pub(crate) fn report_not_modelled(&mut self) {
        if self.kernel.ipv6_disabled_refused {
            // The kernel's refusal is right for the recorder's setting, but a person pasting an
            // IPv6 tutorial would not know that nslab starts namespaces that way.
            self.kernel.ipv6_disabled_refused = false;
            self.emit(
                Stream::Stderr,
                b"nslab: namespaces start with IPv6 disabled, as the kernel recordings are made \
                  (net.ipv6.conf.all.disable_ipv6=1); `nslab run --ipv6` starts them enabled and \
                  keeps IPv6 addresses, routes and rules (IPv6 packets are not modelled yet)\n",
            );
        }
        if self.not_modelled.is_empty() {
            return;
        }
        let list: Vec<String> = self
            .not_modelled
            .iter()
            .map(|(w, n)| format!("{w} ({n})"))
            .collect();
        let m = format!("nslab: not modelled in this lab: {}\n", list.join(", "));
        self.emit(Stream::Stderr, m.as_bytes());
    }

    /// The kernel configuration a lab's recordings come from, chosen by what the lab uses:
    /// `ipip` loaded at boot (the VM that records IPIP labs loads it, so every namespace, the
    /// initial one too, has `tunl0` as ifindex 2 from its creation) and
    /// `CONFIG_BRIDGE_VLAN_FILTERING` (the VM's kernel has it, the recording host's has not).
    pub(crate) fn kernel_config_for(&mut self, text: &str) {
        if uses_ipip(text) {
            self.kernel.ipip_module_load();
        }
        if uses_bridge_vlan(text) {
            self.kernel.br_vlan_config = true;
        }
    }

    /// Runs a shell lab to its end, then lets the simulation settle for [`FINAL_SETTLE`].
    pub fn run_shell(&mut self, src: &str, file: &str) -> shell::ScriptResult {
        self.file = file.to_string();
        self.kernel_config_for(src);
        let path = std::path::Path::new(file);
        if self.script_dir.is_none() && path.is_file() {
            self.script_dir = path
                .canonicalize()
                .ok()
                .and_then(|p| p.parent().map(std::path::Path::to_path_buf));
        }
        let opts = ShellOptions {
            pwd: "/lab".into(),
            args: self.script_args.clone(),
            max_commands: self.max_commands,
            ..ShellOptions::default()
        };
        let (r, syntax_error) = shell::run_script_checked(src, file, self, &opts);
        self.syntax_error = syntax_error;
        self.finish();
        self.report_limit();
        self.report_not_modelled();
        r
    }

    /// Runs a lab given as already parsed parts (e.g. a converted topology whose lines name its
    /// YAML, then a traffic script), one shell per part, then settles as [`Lab::run_shell`].
    /// `text` is the whole lab's text (what `run_shell` would get), for module loading.
    pub fn run_parts(&mut self, parts: &[shell::Script], text: &str) -> shell::ScriptResult {
        self.file = parts.first().map(|p| p.file.clone()).unwrap_or_default();
        self.kernel_config_for(text);
        let opts = ShellOptions {
            pwd: "/lab".into(),
            max_commands: self.max_commands,
            ..ShellOptions::default()
        };
        let mut r = shell::ScriptResult {
            status: 0,
            failures: 0,
        };
        for p in parts {
            let pr = shell::run_parsed(p, self, &opts);
            r.status = pr.status;
            r.failures += pr.failures;
        }
        self.finish();
        self.report_limit();
        self.report_not_modelled();
        r
    }

    /// Ends the lab: background jobs are terminated (as the recorder kills them), the clock runs
    /// on for [`FINAL_SETTLE`].
    ///
    /// With a traffic marker, as the recorder: the traffic phase's jobs are killed, the clock runs
    /// on, the captures stop, and only then are the setup phase's daemons (bird) ended.
    pub fn finish(&mut self) {
        // The recorder's driver kills the jobs (`kill $(jobs -p)`) a moment after the script's
        // last command: a client's FIN exchange on lo/veth completes before the server dies.
        let kill_at = self.kernel.now + JOB_KILL_DELAY;
        self.kernel.run_until(kill_at);
        self.flush_jobs();
        let phased = self.traffic_start.is_some();
        self.terminate_jobs(|j| !(phased && j.setup));
        self.flush_jobs();
        let deadline = self.kernel.now + FINAL_SETTLE;
        self.kernel.run_until(deadline);
        if phased {
            self.kernel.capture.set_enabled(false);
            self.terminate_jobs(|j| j.setup);
            self.flush_jobs();
        }
    }

    fn terminate_jobs(&mut self, which: impl Fn(&Job) -> bool) {
        // Only the jobs still running, in job order: `job_of` holds them (a finished job's
        // process has exited, or is reaped: there is nothing to end), so a lab's end does not
        // walk every job it ever ran (the job table grows by each `&` of every script run).
        let mut live: Vec<usize> = self.job_of.jobs().collect();
        live.sort_unstable();
        for j in live {
            if !which(&self.jobs[j]) {
                continue;
            }
            if let Some(pid) = self.jobs[j].pid {
                if self.kernel.proc_exited(pid).is_none() {
                    self.terminate(pid);
                }
            }
        }
    }

    fn terminate(&mut self, pid: Pid) {
        // tcpdump prints what it captured and its statistics on SIGTERM.
        let tcpdump = self
            .kernel
            .proc(pid)
            .is_some_and(|p| matches!(p.app, sim_models::apps::App::Tcpdump(_)));
        if tcpdump {
            self.kernel.proc_kill(pid);
            return;
        }
        // SIGTERM: the process dies and the kernel closes its sockets.
        self.kernel.proc_exit(pid, 143);
    }

    /// Shows the lab's files to processes (http.server lists them) and takes back what
    /// processes wrote (curl -o, tcpdump -w).
    fn sync_vfs(&mut self) {
        for p in std::mem::take(&mut self.kernel.vfs_written) {
            if let Some((d, _)) = self.kernel.vfs.get(&p) {
                self.files.insert(p, d.clone());
            }
        }
        let now = self.kernel.now;
        for (p, d) in &self.files {
            let same = self.kernel.vfs.get(p).is_some_and(|(v, _)| v == d);
            if !same {
                self.kernel.vfs.insert(p.clone(), (d.clone(), now));
            }
        }
        let files = &self.files;
        self.kernel.vfs.retain(|p, _| files.contains_key(p));
    }

    /// Appends to the terminal (or streams it out).
    fn emit_chunk(&mut self, stream: Stream, data: &[u8], loc: bool) {
        if let Some(out) = &mut self.term_stream {
            out(stream, data);
            return;
        }
        self.term_bytes += data.len() as u64;
        match self.terminal.last_mut() {
            Some(c) if c.stream == stream && c.loc == loc => c.data.extend_from_slice(data),
            _ => self.terminal.push(TermChunk {
                stream,
                data: data.to_vec(),
                loc,
            }),
        }
    }

    /// The terminal output as `bash LAB > FILE 2>&1` writes it: without nslab's `FILE:LINE: `
    /// pointers before programs' errors.
    pub fn bash_output(&self) -> String {
        let mut s = Vec::new();
        for c in self.terminal.iter().filter(|c| !c.loc) {
            s.extend_from_slice(&c.data);
        }
        String::from_utf8_lossy(&s).into_owned()
    }

    /// The whole terminal output as text (stdout and stderr interleaved in order).
    pub fn output(&self) -> String {
        let mut s = Vec::new();
        for c in &self.terminal {
            s.extend_from_slice(&c.data);
        }
        String::from_utf8_lossy(&s).into_owned()
    }

    /// The terminal output (stdout and stderr, as the recorder's `2>&1`) written after the
    /// `# --- traffic ---` marker: what the recorder's `stdout.txt` holds (so without nslab's
    /// `FILE:LINE: ` pointers, which bash does not print).
    pub fn traffic_stdout(&self) -> String {
        let mut s = Vec::new();
        let (first, skip) = self.traffic_term;
        for (i, c) in self.terminal.iter().enumerate().skip(first) {
            if c.loc {
                continue;
            }
            let from = if i == first {
                skip.min(c.data.len())
            } else {
                0
            };
            s.extend_from_slice(&c.data[from..]);
        }
        String::from_utf8_lossy(&s).into_owned()
    }

    /// Runs a command line's argv in a namespace as `ip netns exec` would, to completion.
    pub fn exec_in(&mut self, ns: NsId, argv: &[String], loc: &Loc) -> CmdOutput {
        match self.start(ns, argv, loc) {
            Started::Done(o) => o,
            Started::Proc(pid) => {
                let mut timed_out = false;
                if let Some(t) = self.timeout {
                    // `timeout DURATION PROG`: SIGTERM at the deadline, status 124
                    let deadline = self.kernel.now + t;
                    while self.kernel.proc_exited(pid).is_none() {
                        match self.kernel.queue.peek_time() {
                            Some(at) if at <= deadline => {
                                if !self.kernel.step() {
                                    break;
                                }
                                self.flush_jobs();
                            }
                            _ => break,
                        }
                    }
                    if self.kernel.proc_exited(pid).is_none() {
                        self.kernel.run_until(deadline);
                        self.terminate(pid);
                        timed_out = true;
                    }
                }
                let limit = self.kernel.now + self.max_command_time;
                self.run_while_alive(pid, limit);
                if self.kernel.proc_exited(pid).is_none() {
                    if self.kernel.limits.hit.is_none() {
                        self.command_limit(argv, loc, limit, "stopped it");
                    }
                    self.kernel.proc_exit(pid, 124);
                }
                let p = self.kernel.proc_mut(pid).expect("live process");
                let o = CmdOutput {
                    order: p.output_order(),
                    stdout: std::mem::take(&mut p.stdout),
                    stderr: std::mem::take(&mut p.stderr),
                    status: if timed_out {
                        124
                    } else {
                        p.exit.unwrap_or(124)
                    },
                    located: false,
                };
                self.kernel.proc_reap(pid);
                // The shell reaps the process and forks the next command: the kernel goes on
                // meanwhile (a closed connection's last ACK is sent before the next command).
                let t = self.kernel.now + PROC_EXIT_LATENCY;
                self.kernel.run_until(t);
                self.flush_jobs();
                o
            }
        }
    }

    /// Runs the machine until process `pid` exits, the clock passes `limit`, nothing is left
    /// to happen or a limit of the run is hit.
    fn run_while_alive(&mut self, pid: Pid, limit: Instant) {
        // (A background job's process is freed once flush_jobs has its status. A job in
        // `job_of` has no status yet: `flush_job` sets it as it removes the job from there, so
        // the job table need not be asked; pids are not reused.)
        let done =
            |lab: &Lab| lab.kernel.proc_exited(pid).is_some() || lab.kernel.proc(pid).is_none();
        while !done(self) {
            match self.kernel.queue.peek_time() {
                Some(t) if t <= limit => {
                    if !self.kernel.step() {
                        break;
                    }
                    self.flush_jobs();
                }
                // Nothing happens before the limit: the clock runs to it.
                Some(_) => {
                    self.kernel.run_until(limit);
                    break;
                }
                None => break,
            }
        }
    }

    /// A foreground command (or a `wait`ed job) that is still running at its limit: on a real
    /// machine the lab would hang here (a server started without `&`). Says so on the terminal
    /// and records the limit; the caller stops the process or the wait (status 124).
    fn command_limit(&mut self, argv: &[String], loc: &Loc, limit: Instant, action: &str) {
        if self.kernel.now >= limit {
            // It ran out its time: the limit is named with the flag that raises it.
            let secs = self.max_command_time.as_nanos() as f64 / 1e9;
            let prog = if action == "stopped it" {
                argv[0].as_str()
            } else {
                "wait"
            };
            let m = format!(
                "nslab: {prog} still running after {secs} s of simulated time (the command time limit): stopped with status 124 (raise it with --max-command-time SECONDS)\n"
            );
            self.emit(Stream::Stderr, m.as_bytes());
            Host::limit_hit(self, m.trim_end());
            return;
        }
        let what = "nothing is left to happen in the lab, so it would wait forever";
        let at = if loc.line > 0 {
            format!("{}:{}: ", loc.file, loc.line)
        } else {
            String::new()
        };
        let m = format!(
            "nslab: {at}`{}` did not exit: {what}; {action} (status 124). \
             A server started without `&` never returns: end its line with `&` to run it \
             in the background\n",
            argv.join(" "),
        );
        self.emit(Stream::Stderr, m.as_bytes());
        Host::limit_hit(self, m.trim_end());
    }

    fn start(&mut self, ns: NsId, argv: &[String], loc: &Loc) -> Started {
        self.sync_vfs();
        // A command starts in the default VRF; `ip vrf exec` sets its program's.
        self.kernel.exec_vrf = None;
        let mut ns = ns;
        // (copied only when a wrapper the tools resolve gives another program to run)
        let mut argv = std::borrow::Cow::Borrowed(argv);
        // Each command starts its own packet journeys (trace).
        self.kernel.tracer.cur = 0;
        loop {
            let prog = argv.first().map(|p| programs::base_name(p));
            let kind = prog.and_then(programs::lookup);
            let exec = match (kind, prog) {
                (Some(_), Some(p)) if ipv6::ipv6_input(p, &argv[1..]) => {
                    Exec::Done(ToolError::not_modelled("IPv6").into())
                }
                // bird reads its configuration from the lab's files; birdc finds the daemon by
                // its control socket path.
                (Some(Kind::Bird), Some("bird")) => {
                    let files = &self.files;
                    let read = |p: &str| {
                        files
                            .get(&abs_path(p))
                            .cloned()
                            .ok_or_else(|| "No such file or directory".to_string())
                    };
                    bird_cli::bird(&mut self.kernel, ns, &argv[1..], &read, &abs_path)
                }
                (Some(Kind::Bird), _) => {
                    Exec::Done(bird_cli::birdc(&self.kernel, &argv[1..], &abs_path))
                }
                // `sleep N &`: a process of the simulated clock (in the foreground the shell
                // sleeps itself)
                (Some(Kind::Text), Some("sleep")) => {
                    let secs: Option<f64> = argv[1..]
                        .iter()
                        .map(|a| crate::shell::parse_duration(a))
                        .sum();
                    match secs {
                        Some(s) if argv.len() > 1 => {
                            Exec::Spawned(self.kernel.sleep_spawn(ns, Duration::from_secs_f64(s)))
                        }
                        _ => Exec::Unknown,
                    }
                }
                (Some(Kind::NotModelled), Some(p)) => {
                    Exec::Done(ToolError::not_modelled(p.to_string()).into())
                }
                (Some(Kind::Kernel), Some("iptables-restore" | "iptables-legacy-restore")) => {
                    return Started::Done(self.iptables_restore(ns, &argv))
                }
                _ => tools::run_with_stdin(&mut self.kernel, ns, &argv, &self.stdin),
            };
            if let Exec::Done(o) = &exec {
                if let Some(w) = &o.not_modelled {
                    *self.not_modelled.entry(w.clone()).or_default() += 1;
                }
            }
            self.note_ipv6_configured();
            match exec {
                Exec::Done(o) => {
                    return Started::Done(CmdOutput {
                        stdout: o.stdout.into_bytes(),
                        stderr: o.stderr.into_bytes(),
                        status: o.status,
                        located: true,
                        order: Vec::new(),
                    });
                }
                Exec::Spawned(pid) => return Started::Proc(pid),
                Exec::InNetns(n, prog) => {
                    ns = n;
                    argv = std::borrow::Cow::Owned(prog);
                }
                Exec::Unknown => return Started::Done(self.builtin(ns, &argv, loc)),
            }
        }
    }

    /// `iptables-restore [OPTIONS] [FILE]`: the rules from FILE or stdin.
    fn iptables_restore(&mut self, ns: NsId, argv: &[String]) -> CmdOutput {
        let file = argv[1..].iter().find(|a| !a.starts_with('-'));
        let input = match file {
            Some(f) => match self.read_in(ns, f) {
                Ok(d) => d,
                Err(e) => {
                    return CmdOutput {
                        located: true,
                        ..CmdOutput::error(1, format!("iptables-restore: {f}: {e}\n"))
                    }
                }
            },
            None => self.stdin.clone(),
        };
        let opts: Vec<String> = argv[1..]
            .iter()
            .filter(|a| a.starts_with('-'))
            .cloned()
            .collect();
        let o = sim_models::tools::iptables::iptables_restore(
            &mut self.kernel,
            ns,
            &opts,
            &String::from_utf8_lossy(&input),
        );
        CmdOutput {
            stdout: o.stdout.into_bytes(),
            stderr: o.stderr.into_bytes(),
            status: o.status,
            located: true,
            order: Vec::new(),
        }
    }

    /// A program the table does not know (the shell runs every other kind itself).
    fn builtin(&mut self, _ns: NsId, argv: &[String], loc: &Loc) -> CmdOutput {
        CmdOutput::error(
            127,
            format!(
                "{}: line {}: {}: command not found\n",
                loc.file, loc.line, argv[0]
            ),
        )
    }

    fn read_in(&self, ns: NsId, path: &str) -> Result<Vec<u8>, String> {
        if let Some(key) = sysctl::proc_path_to_key(path) {
            return sysctl::sysctl_read(&self.kernel, ns, &key)
                .map(|v| format!("{}\n", v).into_bytes())
                .map_err(|e| e.to_string());
        }
        self.files
            .get(&self.abs(path))
            .cloned()
            .ok_or_else(|| "No such file or directory".to_string())
    }

    fn abs(&self, path: &str) -> String {
        abs_path(path)
    }

    /// `file` as a job's script name: the last one's, shared, when it is the same (a lab's
    /// jobs come from one or a few scripts: no copy of the name per job).
    fn job_file(&mut self, file: &str) -> std::rc::Rc<str> {
        match &self.job_file {
            Some(f) if **f == *file => f.clone(),
            _ => {
                let f: std::rc::Rc<str> = file.into();
                self.job_file = Some(f.clone());
                f
            }
        }
    }

    /// Routes background jobs' new output to their sinks and notes their exit.
    ///
    /// Only the processes the kernel marked touched since the last call are looked at (their
    /// jobs in job order, as a walk over all jobs would meet them), so the cost per event does
    /// not grow with the number of background jobs.
    fn flush_jobs(&mut self) {
        if !self.kernel.vfs_written.is_empty() {
            self.sync_vfs();
        }
        if self.kernel.touched.is_empty() {
            return;
        }
        self.kernel.touched.drain_into(&mut self.touched);
        self.touched_jobs.clear();
        for pid in &self.touched {
            if let Some(j) = self.job_of.get(*pid) {
                self.touched_jobs.push(j);
            }
        }
        // (most events touch one job: no sort then)
        if self.touched_jobs.len() > 1 {
            self.touched_jobs.sort_unstable();
        }
        for i in 0..self.touched_jobs.len() {
            let j = self.touched_jobs[i];
            self.flush_job(j);
        }
    }

    fn flush_job(&mut self, j: usize) {
        let Some(pid) = self.jobs[j].pid else {
            return;
        };
        // Not `proc_mut`: taking the output is not a change to report again.
        let Some(p) = self.kernel.procs.get_mut(pid).and_then(|p| p.as_mut()) else {
            return;
        };
        let order = p.output_order();
        let out = std::mem::take(&mut p.stdout);
        let err = std::mem::take(&mut p.stderr);
        p.err_marks.clear();
        let exit = p.exit;
        if !out.is_empty() || !err.is_empty() {
            let (o, e) = (self.jobs[j].out.clone(), self.jobs[j].err.clone());
            if !order.is_empty() {
                // A program whose stdout reaches its file at every line (ping, nc): the pieces
                // in the order it wrote them (ping's warnings come before its PING line), as
                // a foreground command's (`write_in_order` in the shell).
                for (stream, r) in pieces_in_order(&order, out.len(), err.len()) {
                    let data = if stream == Stream::Stdout { &out } else { &err };
                    let sink = if stream == Stream::Stdout { &o } else { &e };
                    self.sink(sink, stream, &data[r]);
                }
            } else if o == e && matches!(o, Sink::File { .. }) {
                // Both into one file: stdio holds a block-buffered stdout, stderr goes first
                // (as a foreground command's `> f 2>&1`).
                self.sink(&e, Stream::Stderr, &err);
                self.sink(&o, Stream::Stdout, &out);
            } else {
                self.sink(&o, Stream::Stdout, &out);
                self.sink(&e, Stream::Stderr, &err);
            }
        }
        if let Some(s) = exit {
            // A finished job keeps only what `wait` and `$!` ask for (its status and pid): its
            // command line, place and sinks go, so a lab's memory does not grow with the
            // background commands it has run.
            let job = &mut self.jobs[j];
            job.status = Some(s);
            job.argv = Vec::new();
            job.file = None;
            job.out = Sink::Null;
            job.err = Sink::Null;
            self.job_of.remove(pid);
            self.kernel.proc_reap(pid);
        }
    }

    fn sink(&mut self, s: &Sink, stream: Stream, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        match s {
            Sink::Terminal => self.emit(stream, data),
            Sink::Null => {}
            Sink::File { path, .. } => {
                // (a background program writing to a full disk: what fits is written)
                let p = self.abs(path);
                self.write_lab_file(p, data, true);
                self.check_memory();
            }
        }
    }

    /// The run's memory limit: the bytes of state the lab holds for the user (files it wrote,
    /// terminal output not streamed, frames held for an in-lab tcpdump or the `Lab` API) —
    /// what grows with a run's length; the model's own state is bounded by what it models.
    fn check_memory(&mut self) {
        let files: usize = self.files.values().map(Vec::len).sum();
        let held = self.kernel.capture.held_bytes;
        self.kernel
            .limits
            .memory_ok(files as u64 + self.term_bytes + held);
    }

    /// The capture as one pcapng: one IDB per interface (`ns:ifname`), packets in time order.
    pub fn pcapng(&self) -> Vec<u8> {
        self.pcapng_with(false, 0, false)
    }

    /// The capture from the `# --- traffic ---` marker on (all of it without a marker): what
    /// the kernel recorder's tcpdumps see, which start after setup. Kernel comparisons use it.
    pub fn pcapng_traffic(&self) -> Vec<u8> {
        self.pcapng_with(false, self.traffic_pkt.unwrap_or(0), true)
    }

    /// The capture with each packet's trace notes as its `opt_comment` (needs
    /// [`Lab::enable_trace`] before the run), so Wireshark shows the decisions next to it.
    pub fn pcapng_with_comments(&self) -> Vec<u8> {
        self.pcapng_with(true, 0, false)
    }

    fn pcapng_with(&self, comments: bool, first: usize, traffic: bool) -> Vec<u8> {
        let mut w = PcapngWriter::new();
        for ci in &self.kernel.capture.ifaces {
            w.add_interface(&ci.name, ci.linktype, ci.mac);
        }
        let notes = if comments {
            self.kernel.trace_comments()
        } else {
            BTreeMap::new()
        };
        let c = &self.kernel.capture;
        for (k, (i, ts, data)) in c.packets.iter().enumerate() {
            let k = k + c.base;
            // From the marker on (the recorder's view), not on interfaces down at the marker.
            if k >= first && !(traffic && self.traffic_down.contains(&(*i as usize))) {
                w.add_packet(*i, *ts, data, notes.get(&k).map(|s| s.as_str()));
            }
        }
        w.finish()
    }

    /// Writes the capture to `out` as it happens (`nslab run --pcap FILE`), through a bounded
    /// buffer, instead of holding it: the lab keeps no frames but those an in-lab tcpdump
    /// still has to print. `traffic_only`: from the `# --- traffic ---` marker on
    /// (`--pcap-traffic`). End with [`Lab::finish_pcapng`].
    pub fn stream_pcapng(&mut self, out: Box<dyn std::io::Write + Send>, traffic_only: bool) {
        let c = &mut self.kernel.capture;
        c.set_stream(Some(sim_models::kernel::CaptureStream::new(
            sim_core::pcapng::PcapngStream::new(out),
            !traffic_only,
        )));
        c.set_enabled(true);
        c.set_keep(false);
    }

    /// Completes the streamed pcapng (interfaces that captured nothing, the buffer); the
    /// first write error, if any.
    pub fn finish_pcapng(&mut self) -> Result<(), String> {
        self.kernel.capture.finish_stream()
    }

    /// Capture only when something needs it (`nslab run` without `--pcap`): frames are not
    /// kept, and the taps run only once an in-lab tcpdump or the trace asks for them.
    pub fn capture_on_demand(&mut self) {
        let on = self.kernel.tracer.enabled;
        let c = &mut self.kernel.capture;
        c.set_keep(false);
        c.set_enabled(on);
    }

    /// Writes the lab's terminal output as it is produced (`nslab run`): `out` gets every chunk
    /// of stdout and stderr in order, and the lab holds none of it ([`Lab::output`] is then
    /// empty).
    pub fn stream_terminal(&mut self, out: TermSink) {
        self.term_stream = Some(out);
    }

    /// Records packet-path notes from now on (`nslab run --trace`).
    pub fn enable_trace(&mut self) {
        self.kernel.tracer.enabled = true;
    }

    /// The packet-path trace of every journey whose first frame matches the tcpdump filter
    /// `expr` (empty: all), or the filter's error.
    pub fn trace(&self, expr: &str) -> Result<String, String> {
        let f = sim_models::tcpdump::filter::parse(expr)?;
        Ok(self.kernel.trace_text(&f))
    }

    /// The trace notes themselves (time, namespace, journey, text, packet).
    pub fn trace_notes(&self) -> &[sim_models::trace::TraceNote] {
        &self.kernel.tracer.notes
    }

    /// `mac<TAB>label:ifname` for every Ethernet interface, with the oracle's rules: a MAC shared
    /// by several interfaces is `*`, except a bridge whose address came from one of its ports.
    pub fn macmap(&self) -> String {
        // (label, is a bridge, (namespace, ifindex), (namespace, master ifindex))
        type Owner = (String, bool, (String, u32), Option<(String, u32)>);
        let mut owners: BTreeMap<[u8; 6], Vec<Owner>> = BTreeMap::new();
        let k = &self.kernel;
        for n in k.netns_dump() {
            let Some(ns) = k.netns_get_by_name(&n.name) else {
                continue;
            };
            for l in k.rtnl_link_dump(ns) {
                use sim_models::net::rtnetlink::dump::{LinkInfo, ARPHRD_ETHER};
                let Some(mac) = l.mac().filter(|_| l.link_type == ARPHRD_ETHER) else {
                    continue;
                };
                let label = format!("{}:{}", n.name, l.name);
                let is_bridge = matches!(l.info, Some(LinkInfo::Bridge(_)));
                owners.entry(mac).or_default().push((
                    label,
                    is_bridge,
                    (n.name.clone(), l.ifindex),
                    l.master.map(|m| (n.name.clone(), m)),
                ));
            }
        }
        let mut s = String::new();
        for (mac, o) in owners {
            // A bridge owns the address it took from one of its ports (the others sharing it
            // are its ports); an address shared otherwise (a VLAN device on the bridge) is `*`.
            let bridges: Vec<&Owner> = o.iter().filter(|x| x.1).collect();
            let owner = if o.len() == 1 {
                o[0].0.clone()
            } else if bridges.len() == 1
                && o.iter().all(|x| x.1 || x.3.as_ref() == Some(&bridges[0].2))
            {
                bridges[0].0.clone()
            } else {
                "*".into()
            };
            s += &format!("{}\t{}\n", sim_models::wire::fmt_mac(&mac), owner);
        }
        s
    }
}

/// A path in the lab's working directory `/lab`.
fn abs_path(path: &str) -> String {
    sim_models::apps::vfs_path(path)
}

enum Started {
    Done(CmdOutput),
    Proc(Pid),
}

impl Host for Lab {
    fn run(&mut self, argv: &[String], stdin: &[u8], loc: &Loc) -> CmdOutput {
        self.stdin = stdin.to_vec();
        let o = self.exec_in(self.cur_ns, argv, loc);
        self.stdin.clear();
        o
    }

    fn spawn(
        &mut self,
        argv: Vec<String>,
        stdin: &[u8],
        out: Sink,
        err: Sink,
        loc: &Loc,
    ) -> Result<JobId, CmdOutput> {
        let id = JobId(self.jobs.len() as u32 + 1);
        let setup = self.traffic_start.is_none();
        self.stdin = stdin.to_vec();
        let started = self.start(self.cur_ns, &argv, loc);
        self.stdin.clear();
        match started {
            Started::Done(o) => {
                self.sink(&out, Stream::Stdout, &o.stdout);
                if o.located && err == Sink::Terminal && !o.stderr.is_empty() {
                    let m = [format!("{}:{}: ", loc.file, loc.line).as_bytes(), &o.stderr].concat();
                    self.sink(&err, Stream::Stderr, &m);
                } else {
                    self.sink(&err, Stream::Stderr, &o.stderr);
                }
                // (finished: nothing of it is needed but its status, as in `flush_job`)
                self.jobs.push(Job {
                    pid: None,
                    argv: Vec::new(),
                    file: None,
                    line: loc.line,
                    setup,
                    out: Sink::Null,
                    err: Sink::Null,
                    status: Some(o.status),
                });
            }
            Started::Proc(pid) => {
                self.job_of.insert(pid, self.jobs.len());
                let file = Some(self.job_file(&loc.file));
                self.jobs.push(Job {
                    pid: Some(pid),
                    argv,
                    file,
                    line: loc.line,
                    setup,
                    out,
                    err,
                    status: None,
                });
                self.flush_jobs();
            }
        }
        Ok(id)
    }

    fn wait(&mut self, job: JobId) -> i32 {
        let Some(j) = self.jobs.get(job.0.wrapping_sub(1) as usize) else {
            return 127;
        };
        if let Some(s) = j.status {
            return s;
        }
        let pid = j.pid.expect("running job has a process");
        let limit = self.kernel.now + self.max_command_time;
        self.run_while_alive(pid, limit);
        if self.kernel.proc_exited(pid).is_none() && self.kernel.limits.hit.is_none() {
            let j = &self.jobs[job.0 as usize - 1];
            if j.status.is_none() {
                let loc = Loc {
                    file: j.file.as_deref().unwrap_or_default().to_string(),
                    line: j.line,
                };
                let argv = j.argv.clone();
                self.command_limit(&argv, &loc, limit, "`wait` gave up on it");
            }
        }
        self.flush_jobs();
        self.jobs[job.0 as usize - 1].status.unwrap_or(124)
    }

    fn job_pid(&self, job: JobId) -> Option<u32> {
        let j = self.jobs.get(job.0.wrapping_sub(1) as usize)?;
        u32::try_from(sim_models::tools::sockets::pid_of(j.pid?)).ok()
    }

    fn kill(&mut self, job: JobId) -> Result<(), String> {
        let Some(j) = self.jobs.get(job.0.wrapping_sub(1) as usize) else {
            return Err("no such job".into());
        };
        if let Some(pid) = j.pid {
            let bird = self
                .kernel
                .proc(pid)
                .is_some_and(|p| matches!(p.app, sim_models::apps::App::Bird(_)));
            if self.kernel.proc_exited(pid).is_none() {
                if bird {
                    // bird handles SIGTERM: Cease to its peers, its kernel routes removed
                    self.kernel.proc_kill(pid);
                } else {
                    self.terminate(pid);
                }
            }
        }
        self.flush_jobs();
        Ok(())
    }

    fn sleep(&mut self, secs: f64) {
        let deadline = self.kernel.now + Duration::from_secs_f64(secs);
        while let Some(t) = self.kernel.queue.peek_time() {
            if t > deadline || !self.kernel.step() {
                break;
            }
            self.flush_jobs();
        }
        self.kernel.run_until(deadline);
        self.flush_jobs();
    }

    fn emit(&mut self, stream: Stream, data: &[u8]) {
        self.emit_chunk(stream, data, false);
    }

    fn emit_loc(&mut self, data: &[u8]) {
        self.emit_chunk(Stream::Stderr, data, true);
    }

    fn write_file(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), String> {
        if let Some(key) = sysctl::proc_path_to_key(path) {
            if data.is_empty() {
                // Opening for writing: the knob must exist; the value comes with the next write.
                return sysctl::sysctl_read(&self.kernel, self.cur_ns, &key)
                    .map(|_| ())
                    .map_err(|e| format!("{}: {}", path, e));
            }
            let v = String::from_utf8_lossy(data).into_owned();
            return sysctl::sysctl_write(&mut self.kernel, self.cur_ns, &key, &v)
                .map_err(|e| format!("{}: {}", path, e));
        }
        if path == "/dev/full" {
            // Opens; every write fails with ENOSPC (drivers/char/mem.c `write_full`).
            return if data.is_empty() {
                Ok(())
            } else {
                Err(shell::host::ENOSPC_WRITE.to_string())
            };
        }
        if path.starts_with("/proc/") || path.starts_with("/sys/") {
            return Err(format!("{}: No such file or directory", path));
        }
        let p = self.abs(path);
        let fits = self.write_lab_file(p, data, append);
        self.check_memory();
        if !fits {
            return Err(shell::host::ENOSPC_WRITE.to_string());
        }
        Ok(())
    }

    fn read_file(&mut self, path: &str) -> Result<Vec<u8>, String> {
        userland::Fs::read(self, &self.abs(path)).map_err(|e| format!("{}: {}", path, e))
    }

    fn netns_open(&mut self, name: &str) -> Option<u32> {
        match self.kernel.ns_by_name(name) {
            Some(ns) if name != "root" => u32::try_from(ns).ok(),
            _ => None,
        }
    }

    fn set_netns(&mut self, ns: u32) {
        self.cur_ns = ns as NsId;
    }

    fn netns_unshare(&mut self) -> Option<u32> {
        u32::try_from(self.kernel.unshare_net()).ok()
    }

    fn netns_release(&mut self, ns: u32) {
        self.kernel.netns_release_anon(ns as NsId);
    }

    fn set_timeout(&mut self, secs: Option<f64>) {
        self.timeout = secs.map(Duration::from_secs_f64);
    }

    fn run_userland(
        &mut self,
        prog: userland::programs::Program,
        argv: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> CmdOutput {
        self.sync_vfs();
        let mut rng = std::mem::replace(&mut self.shell_rng, SimRng::new(0));
        let mut random = || rng.next_u64();
        let now_ns = self.kernel.now.0;
        let mut ctx = userland::Ctx {
            argv,
            stdin,
            stdout: Vec::new(),
            stderr: Vec::new(),
            env,
            cwd,
            fs: self,
            now_ns,
            random: &mut random,
            // The shell runs `xargs` and `timeout` itself (wrappers of the program table);
            // awk's `system()` and pipes reach only the userland programs (no network tools).
            exec: None,
        };
        let status = prog(&mut ctx);
        let (stdout, stderr) = (ctx.stdout, ctx.stderr);
        self.shell_rng = rng;
        CmdOutput {
            stdout,
            stderr,
            status,
            located: false,
            order: Vec::new(),
        }
    }

    fn random(&mut self) -> u64 {
        self.shell_rng.next_u64()
    }

    fn read_source(&mut self, path: &str) -> Result<Vec<u8>, String> {
        // the lab's files, then the real file next to the lab script (read-only)
        userland::Fs::read(self, &self.abs(path)).map_err(|e| format!("{path}: {e}"))
    }

    fn not_modelled(&mut self, what: &str) {
        *self.not_modelled.entry(what.to_string()).or_default() += 1;
    }

    fn command_failed(&mut self, loc: &Loc, cmd: &str, status: i32) {
        self.failed_count += 1;
        if self.failed_commands.len() < MAX_FAILED_KEPT {
            self.failed_commands
                .push((loc.clone(), cmd.to_string(), status));
        }
    }

    fn as_any_mut(&mut self) -> Option<&mut dyn std::any::Any> {
        Some(self)
    }

    fn limit_hit(&mut self, what: &str) {
        self.limit_note.get_or_insert_with(|| what.to_string());
    }

    fn read_dir(&mut self, path: &str) -> Option<Vec<String>> {
        userland::Fs::read_dir(self, &self.abs(path)).ok()
    }

    fn stopped(&mut self) -> bool {
        self.check_memory();
        self.note_files_full();
        // Before each command what the run captured so far is on disk (a run that is killed
        // keeps it).
        if let Some(s) = self.kernel.capture.stream_mut() {
            let _ = s.w.flush();
        }
        self.report_limit()
    }

    fn marker(&mut self, text: &str) {
        if text.trim() == "# --- traffic ---" {
            self.traffic_start = Some(self.kernel.now);
            self.traffic_term = match self.terminal.last() {
                Some(c) => (self.terminal.len() - 1, c.data.len()),
                None => (0, 0),
            };
            // The recorder starts its captures here: what setup sent (BGP sessions, ARP) is
            // not in the kernel's pcaps (`pcapng_traffic`); the full capture keeps it.
            self.traffic_pkt = Some(self.kernel.capture.len());
            self.traffic_down = self
                .kernel
                .devs
                .iter()
                .flatten()
                .filter(|d| !d.up)
                .map(|d| d.cap)
                .collect();
            if let Some(s) = self.kernel.capture.stream_mut() {
                s.start();
            }
        }
    }
}

/// Whether a lab's commands (comments aside) use the VLAN-aware bridge: `vlan_filtering`,
/// `vlan_default_pvid` or `vlan_protocol` as a word, or a `bridge ... vlan` command. Such a lab
/// runs on a kernel with `CONFIG_BRIDGE_VLAN_FILTERING` (as the oracle VM's that recorded
/// them); the others on one without (as the recording host's), see `net/br_vlan.rs`.
pub fn uses_bridge_vlan(src: &str) -> bool {
    // (every word it looks for holds `vlan`: most labs are told apart without a word split)
    if !src.contains("vlan") {
        return false;
    }
    src.lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .any(|l| {
            // one pass over the line's words, nothing collected (this runs over every line)
            let (mut bridge, mut vlan) = (false, false);
            for w in l.split(|c: char| c.is_whitespace() || c == ';' || c == '"') {
                match w {
                    "vlan_filtering" | "vlan_default_pvid" | "vlan_protocol" => return true,
                    "bridge" => bridge = true,
                    "vlan" => vlan = true,
                    _ => {}
                }
            }
            bridge && vlan
        })
}

/// Whether a lab's commands (comments aside) use an IPIP tunnel (`ipip` or `tunl0` as a word).
pub fn uses_ipip(src: &str) -> bool {
    if !src.contains("ipip") && !src.contains("tunl0") {
        return false;
    }
    src.lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .flat_map(|l| l.split(|c: char| c.is_whitespace() || c == ';' || c == '"'))
        .any(|w| w == "ipip" || w == "tunl0")
}

/// One command of a state dump run in `ns`: `$ CMD`, then what it printed (stdout, stderr).
fn state_cmd(lab: &mut Lab, ns: NsId, cmd: &[&str]) -> String {
    let argv: Vec<String> = cmd.iter().map(|x| x.to_string()).collect();
    let loc = Loc {
        file: "state".into(),
        line: 0,
    };
    let o = lab.exec_in(ns, &argv, &loc);
    format!(
        "$ {}\n{}{}",
        cmd.join(" "),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `ip addr`, `ip route show table all`, `ip neigh` and `bridge fdb show` of every namespace, as
/// the final state of a lab (namespaces in creation order, the initial one as `root`).
pub fn state_dump(lab: &mut Lab) -> String {
    let mut s = String::new();
    let names: Vec<String> = lab
        .kernel
        .netns_dump()
        .into_iter()
        .map(|n| n.name)
        .collect();
    for name in names {
        let ns = lab.kernel.ns_by_name(&name).expect("listed");
        s += &format!("### {}\n", name);
        // `ip tunnel show` where the ipip module is loaded: its fallback `tunl0` is then in
        // every namespace.
        let ipip = lab.kernel.rtnl_link_dump(ns).iter().any(|l| {
            matches!(
                l.info,
                Some(sim_models::net::rtnetlink::dump::LinkInfo::Ipip(_))
            )
        });
        let tunnels: &[&[&str]] = if ipip {
            &[&["ip", "tunnel", "show"]]
        } else {
            &[]
        };
        for cmd in [
            &["ip", "addr"][..],
            &["ip", "route", "show", "table", "all"],
            &["ip", "neigh"],
            &["bridge", "fdb", "show"],
        ]
        .into_iter()
        .chain(tunnels.iter().copied())
        {
            s += &state_cmd(lab, ns, cmd);
        }
        // Overlay devices: their `ip -d link` details (VNI, VTEP, port, learning).
        let vx: Vec<String> = lab
            .kernel
            .rtnl_link_dump(ns)
            .into_iter()
            .filter(|l| {
                matches!(
                    l.info,
                    Some(sim_models::net::rtnetlink::dump::LinkInfo::Vxlan(_))
                )
            })
            .map(|l| l.name)
            .collect();
        for name in vx {
            s += &state_cmd(lab, ns, &["ip", "-d", "link", "show", "dev", &name]);
        }
        // Netfilter state where a table exists (as the recorder's iptables-save/conntrack -L):
        // the nat counters and the connections.
        let nf = &lab.kernel.net(ns).nf;
        let mut cmds: Vec<&[&str]> = Vec::new();
        if nf.table("filter").is_some() {
            cmds.push(&["iptables", "-vnL"]);
        }
        if nf.table("nat").is_some() {
            cmds.push(&["iptables", "-t", "nat", "-vnL"]);
        }
        if nf.ct_enabled() {
            cmds.push(&["conntrack", "-L"]);
        }
        {
            for cmd in cmds {
                let argv: Vec<String> = cmd.iter().map(|x| x.to_string()).collect();
                s += &format!("$ {}\n", cmd.join(" "));
                let o = sim_models::tools::run(&mut lab.kernel, ns, &argv);
                if let sim_models::tools::Exec::Done(o) = o {
                    s += &o.stdout;
                    s += &o.stderr;
                }
            }
        }
    }
    // Every bird daemon's view, as `birdc show protocols` and `birdc show route` print it
    // (read from the daemon's state: the lab's end has already stopped it).
    let k = &lab.kernel;
    for p in k.procs.iter().flatten() {
        if let sim_models::apps::App::Bird(b) = &p.app {
            s += &format!(
                "### bird {} ({})
",
                k.net(p.ns).name,
                b.ctl
            );
            s += "$ birdc show protocols
";
            s += &bird_show::show_protocols(k, p.ns, b, false, None).unwrap_or_default();
            s += "$ birdc show route
";
            s += &bird_show::show_route(k, b, false);
        }
    }
    s
}

/// Every frame that was not delivered: where, the kernel drop reason, which packet and why in
/// the lab's terms; then counts per reason ([`drops::drops_report`]).
pub fn drops_report(lab: &Lab) -> String {
    drops::drops_report(lab)
}

/// Why a lab exits 1, for the end of `nslab run`: each failed command with its `FILE:LINE`
/// (`nslab: lab.sh:7: \`ping -c 1 10.0.0.9\` failed (status 1)`), empty when none failed.
pub fn failed_report(lab: &Lab) -> String {
    let mut s = String::new();
    for (loc, cmd, status) in &lab.failed_commands {
        s += &format!(
            "nslab: {}:{}: `{cmd}` failed (status {status})\n",
            loc.file, loc.line
        );
    }
    let more = lab.failed_count - lab.failed_commands.len() as u64;
    if more > 0 {
        s += &format!("nslab: ... and {more} more failed commands\n");
    }
    s
}

mod drops;
mod handle;
mod ipv6;
mod jobs;
pub use handle::{CaptureIface, LabBuilder, Output, Packet};

/// The pieces of a process's stdout (`out_len` bytes) and stderr (`err_len`) in the order it
/// wrote them: `marks` are [`Process::write_err`]'s (stdout's length, stderr's length) before
/// each stderr write. Stderr written without a mark goes with the piece before it.
///
/// [`Process::write_err`]: sim_models::apps::Process::write_err
fn pieces_in_order(
    marks: &[(usize, usize)],
    out_len: usize,
    err_len: usize,
) -> Vec<(Stream, std::ops::Range<usize>)> {
    let mut v = Vec::with_capacity(2 * marks.len() + 2);
    let (mut o, mut e) = (0, 0);
    for (i, &(at, _)) in marks.iter().enumerate() {
        let at = at.clamp(o, out_len);
        v.push((Stream::Stdout, o..at));
        o = at;
        let end = marks
            .get(i + 1)
            .map_or(err_len, |&(_, n)| n)
            .clamp(e, err_len);
        v.push((Stream::Stderr, e..end));
        e = end;
    }
    v.push((Stream::Stdout, o..out_len));
    v.push((Stream::Stderr, e..err_len));
    v.retain(|(_, r)| !r.is_empty());
    v
}

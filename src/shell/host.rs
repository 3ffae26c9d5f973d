//! The interface between the shell front end and the simulated machine.
//!
//! The shell parses and interprets the script; everything that touches "the machine" goes through
//! [`Host`]: running programs (`ip`, `ping`, `sysctl`, ...), background jobs, simulated time, the
//! lab's terminal and the lab's files (including `/proc/sys`). The shell never runs a real program.

/// Where a command is in its script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loc {
    /// The script's name as given to [`crate::shell::run_script`] (e.g. `lab.sh`).
    pub file: String,
    /// 1-based line of the command in the script.
    pub line: u32,
}

/// The error [`Host::write_file`] answers for a device that takes no data (`/dev/full`):
/// `write(2)`'s ENOSPC as the tools print it after their name.
pub const ENOSPC_WRITE: &str = "write error: No space left on device";

/// What a foreground command produced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CmdOutput {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Exit status as bash reports it (`$?`): 0 success, 127 command not found, 128+N killed by N.
    pub status: i32,
    /// `stderr` is the program's own text: where it reaches the terminal's stderr (not a pipe,
    /// a file or `2>&1` into them) the shell puts the command's `FILE:LINE: ` before it, nslab's
    /// pointer to the line (bash prints none; under a redirection the text stays the tool's).
    pub located: bool,
    /// The order the program wrote its two streams in, for a program whose stdout reaches a
    /// file at every line (ping): (stdout's length, stderr's length) before each stderr write.
    /// Empty: stdout is block-buffered (it reaches a shared file after stderr) or unknown.
    pub order: Vec<(usize, usize)>,
}

impl CmdOutput {
    /// A failed command with a message on stderr.
    pub fn error(status: i32, message: impl Into<String>) -> Self {
        CmdOutput {
            stdout: Vec::new(),
            stderr: message.into().into_bytes(),
            status,
            located: false,
            order: Vec::new(),
        }
    }
}

/// One of the terminal's two streams.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// A background job, as numbered by the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct JobId(pub u32);

/// Where a background job's stdout or stderr goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sink {
    /// The lab's terminal (as [`Host::emit`]).
    Terminal,
    /// `/dev/null`.
    Null,
    /// A file (as [`Host::write_file`]): `append` false for `> f` (the host truncates it when
    /// the job starts), true for `>> f`.
    File { path: String, append: bool },
}

/// The simulated machine as the shell sees it.
///
/// File redirections: for `> f` / `>> f` the shell first calls `write_file(f, b"", append)`
/// (bash's `open(O_CREAT|O_TRUNC or O_APPEND)`: an error here fails the command before it runs),
/// then, once the command has finished, `write_file(f, output, true)` with everything it wrote,
/// if it wrote anything. A host must therefore treat an empty write as "open only" (for a
/// `/proc/sys` file: check that it exists and is writable, change nothing).
pub trait Host {
    /// Runs a non-builtin simple command in the foreground (argv after expansion; argv\[0\] is the
    /// program, e.g. "ip", "ping", "sysctl", "iptables"). The host handles `ip netns exec NS ...`,
    /// advances simulated time as the command needs, and returns its output; the shell routes it
    /// per redirections/pipes. Unknown programs: the host returns status 127 and an error message.
    fn run(&mut self, argv: &[String], stdin: &[u8], loc: &Loc) -> CmdOutput;
    /// Starts a non-builtin command in the background (`cmd &`). `out`/`err` say where its
    /// output goes. On error, the output of the failed start (status 127 for an unknown program).
    /// (`argv` is given, not lent: the job keeps it.)
    fn spawn(
        &mut self,
        argv: Vec<String>,
        stdin: &[u8],
        out: Sink,
        err: Sink,
        loc: &Loc,
    ) -> Result<JobId, CmdOutput>;
    /// Waits (advancing simulated time) for a background job; returns its exit status.
    fn wait(&mut self, job: JobId) -> i32;
    /// Sends SIGTERM to a background job (bash `kill %N`).
    fn kill(&mut self, job: JobId) -> Result<(), String>;
    /// The pid of a background job's process as the model shows it (`ip netns pids`,
    /// `ss -p`), which `$!` then is; None lets the shell number the job itself.
    fn job_pid(&self, _job: JobId) -> Option<u32> {
        None
    }
    /// `sleep SECS`: advance simulated time.
    fn sleep(&mut self, secs: f64);
    /// The lab's terminal: everything not redirected goes here, in order.
    fn emit(&mut self, stream: Stream, data: &[u8]);
    /// nslab's `FILE:LINE: ` pointer before a program's error on the terminal's stderr (bash
    /// prints none: a host may keep it apart from what bash would have printed).
    fn emit_loc(&mut self, data: &[u8]) {
        self.emit(Stream::Stderr, data)
    }
    /// File writes from redirections and heredocs. Paths under /proc/sys go to the model's
    /// sysctls; others to the lab's in-memory working directory. Errors are bash-style messages
    /// without the "file: line N:" prefix (e.g. "/proc/sys/x: No such file or directory").
    fn write_file(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), String>;
    /// File reads for `< f`, `cat f`, `grep P f`, `[ -f f ]`; same paths and errors as
    /// [`Host::write_file`].
    fn read_file(&mut self, path: &str) -> Result<Vec<u8>, String>;
    /// Called for every full-line comment starting with `# ---` (e.g. `# --- traffic ---`) when
    /// execution reaches it; `text` is the whole comment line, trimmed.
    fn marker(&mut self, _text: &str) {}

    /// `ip netns exec NAME`, `nsenter --net=/var/run/netns/NAME`: the namespace called `name`
    /// as a handle for [`Host::set_netns`] (0 is the initial namespace), `None` if there is no
    /// such namespace.
    fn netns_open(&mut self, _name: &str) -> Option<u32> {
        None
    }
    /// The namespace following `run`/`spawn`/file calls act in (0: the initial one). The shell
    /// sets it around the program a wrapper (`ip netns exec`, `nsenter`) runs.
    fn set_netns(&mut self, _ns: u32) {}
    /// `unshare --net`: a new network namespace with no name (not under /var/run/netns), as
    /// a handle for [`Host::set_netns`]; `None` if the host has no namespaces.
    fn netns_unshare(&mut self) -> Option<u32> {
        None
    }
    /// The last process of an unnamed namespace exited: the namespace goes away (its devices
    /// with it).
    fn netns_release(&mut self, _ns: u32) {}
    /// `timeout DURATION PROG`: the next foreground program gets SIGTERM after `secs` of
    /// simulated time and then reports status 124 (`None`: no limit).
    fn set_timeout(&mut self, _secs: Option<f64>) {}
    /// Runs a program of `userland::programs` with the lab's files, clock and seed.
    fn run_userland(
        &mut self,
        _prog: userland::programs::Program,
        argv: &[String],
        _stdin: &[u8],
        _env: &std::collections::BTreeMap<String, String>,
        _cwd: &str,
    ) -> CmdOutput {
        CmdOutput::error(127, format!("{}: command not found\n", argv[0]))
    }
    /// A number from the lab's seed (`$RANDOM`, `mktemp` names).
    fn random(&mut self) -> u64 {
        0
    }
    /// The text of a script for `source FILE` / `. FILE`: the lab's files, then the real file
    /// next to the lab script (read-only).
    fn read_source(&mut self, path: &str) -> Result<Vec<u8>, String> {
        self.read_file(path)
    }
    /// A command nslab does not model was run (counted per run).
    fn not_modelled(&mut self, _what: &str) {}
    /// A command failed where `set -e` would stop (its location, its words as `set -x` shows
    /// them, its status): `nslab run` names the failed commands at the end.
    fn command_failed(&mut self, _loc: &Loc, _cmd: &str, _status: i32) {}
    /// The host itself, for a front end that drives a [`crate::shell::Session`] and needs the
    /// machine between lines (`nslab shell`'s `:trace`, `:pcap`).
    fn as_any_mut(&mut self) -> Option<&mut dyn std::any::Any> {
        None
    }
    /// A limit stopped the script (the command count): `nslab` exits 3.
    fn limit_hit(&mut self, _what: &str) {}
    /// Names in a directory of the lab's files, sorted (globbing); `None` if it is no directory.
    fn read_dir(&mut self, _path: &str) -> Option<Vec<String>> {
        None
    }
    /// Whether the run was stopped by one of its limits (frames, simulated time, a storm): the
    /// shell then runs no further command and exits. The host reports which limit.
    fn stopped(&mut self) -> bool {
        false
    }
}

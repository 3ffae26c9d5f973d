//! nslab's userland: what a lab's programs share that is not the network.
//!
//! - [`getopt`]: glibc's `getopt`/`getopt_long`, used by every program nslab models (network
//!   tools in `sim-models` included), so option clusters, abbreviations and error texts are the
//!   same everywhere.
//! - [`Ctx`] and [`Fs`]: how a program that touches no network (coreutils, grep, sed, awk, jq,
//!   ...) runs: a pure function of its argv, stdin, environment and the lab's in-memory files,
//!   writing stdout/stderr and returning an exit status. Nothing here touches the real machine.
#![forbid(unsafe_code)]

pub mod getopt;
pub mod programs;
pub mod testkit;

pub mod awk;
pub mod bc;
mod coreutils;
pub mod grep;
pub mod jq;
mod posix_re;
pub mod sed;

/// Days since 1970-01-01 → (year, month 1-12, day 1-31): the one civil-date conversion (`date`,
/// http.server's and iptables-save's dates, birdc's times).
pub use coreutils::sys::civil_from_days;

/// Backslash escapes as printf, `%b` and `echo -e` interpret them (coreutils' and bash's rules).
pub use coreutils::printf::{escapes_as, Escapes};

/// C's `%.{prec}g` of `v` (the one float formatter: tc prints times and percentages this way).
pub fn fmt_g(v: f64, prec: usize) -> String {
    let spec = coreutils::printf::Spec {
        prec: Some(prec),
        conv: 'g',
        ..Default::default()
    };
    coreutils::printf::fmt_float(&spec, v)
}

use std::collections::BTreeMap;

/// Why a file operation failed, as `errno` (the program prints `strerror`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsError {
    /// ENOENT
    NotFound,
    /// EISDIR
    IsADirectory,
    /// ENOTDIR
    NotADirectory,
    /// EEXIST
    Exists,
    /// EACCES
    PermissionDenied,
    /// EINVAL (e.g. a `/proc/sys` value the kernel refuses)
    InvalidArgument,
    /// ENOTEMPTY
    NotEmpty,
    /// ENOSPC (`/dev/full`)
    NoSpace,
}

impl FsError {
    /// glibc's `strerror` text.
    pub fn strerror(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::IsADirectory => "Is a directory",
            FsError::NotADirectory => "Not a directory",
            FsError::Exists => "File exists",
            FsError::PermissionDenied => "Permission denied",
            FsError::InvalidArgument => "Invalid argument",
            FsError::NotEmpty => "Directory not empty",
            FsError::NoSpace => "No space left on device",
        }
    }
}

impl std::fmt::Display for FsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.strerror())
    }
}

/// What `stat` says of a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meta {
    pub is_dir: bool,
    pub len: u64,
    /// Permission bits (`0o644`, `0o755`).
    pub mode: u32,
    /// Modification time, nanoseconds of the simulated clock.
    pub mtime_ns: u64,
}

/// The lab's file system as a program sees it: the lab's working directory and the files a lab
/// may read (`/etc/hosts`, `/proc/sys/...`, `/sys/class/net/...`), all in memory. Paths are
/// absolute (programs join relative paths with [`Ctx::cwd`] through [`Ctx::abs`]).
pub trait Fs {
    fn read(&mut self, path: &str) -> Result<Vec<u8>, FsError>;
    /// Creates or truncates (`append` false), or appends.
    fn write(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), FsError>;
    fn stat(&mut self, path: &str) -> Result<Meta, FsError>;
    /// Names in a directory, sorted.
    fn read_dir(&mut self, path: &str) -> Result<Vec<String>, FsError>;
    fn remove(&mut self, path: &str) -> Result<(), FsError>;
    fn mkdir(&mut self, path: &str) -> Result<(), FsError>;
}

/// One run of a userland program.
pub struct Ctx<'a> {
    /// `argv[0]` as invoked (`sed`, `/usr/bin/sed`), then the arguments.
    pub argv: &'a [String],
    pub stdin: &'a [u8],
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// The exported environment.
    pub env: &'a BTreeMap<String, String>,
    /// The working directory (absolute).
    pub cwd: &'a str,
    pub fs: &'a mut dyn Fs,
    /// The simulated clock, nanoseconds since the Unix epoch (`date`).
    pub now_ns: u64,
    /// Randomness from the lab's seed (`mktemp` names, `shuf`).
    pub random: &'a mut dyn FnMut() -> u64,
    /// How a program runs another program (`xargs`, `timeout`): the lab's own command lookup,
    /// given the argv and the stdin, answering (stdout, stderr, exit status) — 127 for a name
    /// it does not know, as `execvp` failing. `None` where the lab gives no such hook: those
    /// programs then run only the programs of this crate ([`programs::find`]).
    pub exec: Option<&'a mut Exec<'a>>,
}

/// The callback type of [`Ctx::exec`].
pub type Exec<'a> = dyn FnMut(&[String], &[u8]) -> (Vec<u8>, Vec<u8>, i32) + 'a;

impl Ctx<'_> {
    /// The program's name as glibc's `program_invocation_short_name` (for messages).
    pub fn prog(&self) -> &str {
        let a0 = self.argv.first().map(String::as_str).unwrap_or("");
        a0.rsplit('/').next().unwrap_or(a0)
    }

    /// The arguments after `argv[0]`.
    pub fn args(&self) -> &[String] {
        self.argv.get(1..).unwrap_or(&[])
    }

    /// An absolute path for `p` relative to the working directory, with `.`/`..` resolved.
    pub fn abs(&self, p: &str) -> String {
        abs_path(self.cwd, p)
    }

    pub fn out(&mut self, s: impl AsRef<[u8]>) {
        self.stdout.extend_from_slice(s.as_ref());
    }

    pub fn err(&mut self, s: impl AsRef<[u8]>) {
        self.stderr.extend_from_slice(s.as_ref());
    }

    /// Reads a file operand (`-` and `/dev/stdin` are stdin, `/dev/null` is empty), the path
    /// relative to the working directory.
    pub fn read_file(&mut self, name: &str) -> Result<Vec<u8>, FsError> {
        match name {
            "-" | "/dev/stdin" => return Ok(self.stdin.to_vec()),
            "/dev/null" => return Ok(Vec::new()),
            _ => {}
        }
        let p = self.abs(name);
        self.fs.read(&p)
    }

    /// Writes (or appends to) a file named by the program's user: `/dev/null` discards,
    /// `/dev/stdout` and `/dev/stderr` are the program's own streams, other paths are the
    /// lab's files relative to the working directory.
    pub fn write_file(&mut self, name: &str, data: &[u8], append: bool) -> Result<(), FsError> {
        match name {
            "/dev/null" => Ok(()),
            "/dev/stdout" => {
                self.out(data);
                Ok(())
            }
            "/dev/stderr" => {
                self.err(data);
                Ok(())
            }
            _ => {
                let p = self.abs(name);
                self.fs.write(&p, data, append)
            }
        }
    }

    /// Runs another program (`xargs`, `timeout`, `find -exec`): through [`Ctx::exec`] when the
    /// lab gave one, else this crate's programs; (stdout, stderr, status), 127 when unknown.
    pub fn run_program(&mut self, argv: &[String], stdin: &[u8]) -> (Vec<u8>, Vec<u8>, i32) {
        if let Some(exec) = self.exec.as_mut() {
            return exec(argv, stdin);
        }
        // `sh -c 'cmd args'` (awk's system, pipes) without the lab's shell: simple words only
        if argv.len() == 3
            && argv[0] == "sh"
            && argv[1] == "-c"
            && !argv[2].contains(['|', ';', '&', '>', '<', '$', '`', '\'', '"'])
        {
            let words: Vec<String> = argv[2].split_whitespace().map(str::to_string).collect();
            if !words.is_empty() {
                return self.run_program(&words, stdin);
            }
        }
        let Some(prog) = argv.first().and_then(|n| programs::find(n)) else {
            let name = argv.first().map(String::as_str).unwrap_or("");
            return (
                Vec::new(),
                format!("{}: {name}: No such file or directory\n", self.prog()).into_bytes(),
                127,
            );
        };
        let mut sub = Ctx {
            argv,
            stdin,
            stdout: Vec::new(),
            stderr: Vec::new(),
            env: self.env,
            cwd: self.cwd,
            fs: &mut *self.fs,
            now_ns: self.now_ns,
            random: &mut *self.random,
            exec: None,
        };
        let st = prog(&mut sub);
        (sub.stdout, sub.stderr, st)
    }
}

/// The deepest nesting of `(`, `[`, `{` in a program text (strings not excluded): the
/// interpreters here parse recursively, so they refuse texts nested deeper than a stack allows.
pub(crate) fn nesting(src: &str) -> usize {
    let (mut d, mut max) = (0usize, 0usize);
    for c in src.chars() {
        match c {
            '(' | '[' | '{' => {
                d += 1;
                max = max.max(d);
            }
            ')' | ']' | '}' => d = d.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// The nesting [`nesting`] allows.
pub(crate) const MAX_NESTING: usize = 40;

/// `p` made absolute against `cwd`, `.` and `..` resolved lexically (`/..` is `/`).
pub fn abs_path(cwd: &str, p: &str) -> String {
    let joined = if p.starts_with('/') {
        p.to_string()
    } else {
        format!("{}/{}", cwd.trim_end_matches('/'), p)
    };
    let mut parts: Vec<&str> = Vec::new();
    for c in joined.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::abs_path;

    #[test]
    fn paths_resolve_lexically() {
        assert_eq!(abs_path("/lab", "a/../b/./c"), "/lab/b/c");
        assert_eq!(abs_path("/lab", "/etc/hosts"), "/etc/hosts");
        assert_eq!(abs_path("/", "../x"), "/x");
        assert_eq!(abs_path("/lab/", "."), "/lab");
    }
}

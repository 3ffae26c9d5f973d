//! The interpreter: runs a parsed [`Script`] against a [`Host`].

use super::ast::*;
use super::builtins;
use super::host::{Host, JobId, Loc, Sink, Stream};
use super::parser::{self, is_name};
use super::{ScriptResult, ShellOptions};
use std::collections::{BTreeMap, BTreeSet};

/// Non-local control flow out of a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ctl {
    Break(u32),
    Continue(u32),
    Exit(i32),
}

pub(crate) type Res = Result<i32, Ctl>;

/// Where a stream goes while a command runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dest {
    /// The lab's terminal, on one of its two streams.
    Tty(Stream),
    Null,
    /// A capture buffer (pipe, `$(...)`, or an open file written when the command ends).
    Buf(usize),
}

/// The standard streams of a command.
#[derive(Clone, Debug)]
pub(crate) struct Io {
    pub stdin: Vec<u8>,
    pub out: Dest,
    pub err: Dest,
}

/// A file opened by a redirection: its buffer is written to the host when the command ends.
struct OpenFile {
    buf: usize,
    path: String,
}

struct Job {
    num: u32,
    pid: u32,
    /// None for a job the shell ran itself (builtins, compound commands): already finished.
    id: Option<JobId>,
    status: Option<i32>,
}

pub(crate) struct Shell<'h> {
    pub host: &'h mut dyn Host,
    /// The script's name (for `Loc` and error messages).
    pub file: String,
    /// Prefix of error messages (`lab.sh` or `bash: -c`).
    label: String,
    /// Inside `sh -c`: the line of the outer command, used for every `Loc`.
    line_override: Option<u32>,
    pub line: u32,
    vars: BTreeMap<String, String>,
    exported: BTreeSet<String>,
    positional: Vec<String>,
    pub status: i32,
    last_bg: Option<u32>,
    jobs: Vec<Job>,
    next_pid: u32,
    pub errexit: bool,
    pub xtrace: bool,
    pub verbose: bool,
    pub pipefail: bool,
    pub nounset: bool,
    pub failures: u32,
    pub bufs: Vec<Vec<u8>>,
    /// `$(...)` nesting (xtrace prints one `+` per level).
    subst_depth: usize,
    loop_depth: u32,
    /// > 0 while running a condition (if/while, all but the last of && ||, `!`).
    ignore_err: u32,
    subst_status: Option<i32>,
    pwd: String,
    /// Buffers of files opened by redirections: buffer index -> path.
    file_bufs: BTreeMap<usize, String>,
    commands_run: u64,
    max_commands: u64,
}

/// Bash builtins and keywords nslab knows but does not implement: a clear error, not "not found".
const UNSUPPORTED_BUILTINS: &[&str] = &[
    "source",
    ".",
    "eval",
    "exec",
    "trap",
    "read",
    "local",
    "return",
    "shift",
    "readonly",
    "declare",
    "typeset",
    "let",
    "alias",
    "unalias",
    "getopts",
    "pushd",
    "popd",
    "dirs",
    "disown",
    "fg",
    "bg",
    "jobs",
    "umask",
    "ulimit",
    "hash",
    "type",
    "command",
    "builtin",
    "enable",
    "mapfile",
    "readarray",
    "shopt",
    "complete",
    "history",
    "fc",
    "logout",
    "suspend",
    "times",
    "caller",
];

fn is_shell_builtin(name: &str) -> bool {
    builtins::is_builtin(name) || UNSUPPORTED_BUILTINS.contains(&name)
}

fn is_ifs(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n')
}

/// Quotes a word as bash's xtrace does.
pub(crate) fn xtrace_quote(w: &str) -> String {
    let meta = |c: char| {
        matches!(
            c,
            ' ' | '\t'
                | '\n'
                | '\''
                | '"'
                | '\\'
                | '|'
                | '&'
                | ';'
                | '('
                | ')'
                | '<'
                | '>'
                | '!'
                | '{'
                | '}'
                | '*'
                | '['
                | '?'
                | ']'
                | '^'
                | '$'
                | '`'
        )
    };
    if w.is_empty() {
        return "''".into();
    }
    if !w.chars().any(meta) && !w.starts_with('~') && !w.starts_with('#') {
        return w.to_string();
    }
    format!("'{}'", w.replace('\'', "'\\''"))
}

impl<'h> Shell<'h> {
    pub fn new(host: &'h mut dyn Host, file: &str, opts: &ShellOptions) -> Self {
        let mut vars = opts.env.clone();
        vars.insert("PWD".into(), opts.pwd.clone());
        let exported = vars.keys().cloned().collect();
        Shell {
            host,
            file: file.to_string(),
            label: file.to_string(),
            line_override: None,
            line: 0,
            vars,
            exported,
            positional: vec![file.to_string()],
            status: 0,
            last_bg: None,
            jobs: Vec::new(),
            next_pid: 4000,
            errexit: opts.errexit,
            xtrace: opts.xtrace,
            verbose: opts.verbose,
            pipefail: opts.pipefail,
            nounset: false,
            failures: 0,
            bufs: Vec::new(),
            subst_depth: 0,
            loop_depth: 0,
            ignore_err: 0,
            subst_status: None,
            pwd: opts.pwd.clone(),
            file_bufs: BTreeMap::new(),
            commands_run: 0,
            max_commands: opts.max_commands,
        }
    }

    pub fn run_script(&mut self, script: &Script) -> ScriptResult {
        let io = Io {
            stdin: Vec::new(),
            out: Dest::Tty(Stream::Stdout),
            err: Dest::Tty(Stream::Stderr),
        };
        for item in &script.items {
            if self.verbose {
                self.host.emit(Stream::Stderr, item.source.as_bytes());
            }
            match self.exec_list(&item.list, &io) {
                Ok(_) => {}
                Err(Ctl::Exit(s)) => {
                    self.status = s;
                    break;
                }
                Err(Ctl::Break(_)) | Err(Ctl::Continue(_)) => {}
            }
        }
        ScriptResult {
            status: self.status,
            failures: self.failures,
        }
    }

    // ------------------------------------------------------------ output

    pub fn write(&mut self, d: Dest, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        match d {
            Dest::Tty(s) => self.host.emit(s, data),
            Dest::Null => {}
            Dest::Buf(i) => {
                if let Some(b) = self.bufs.get_mut(i) {
                    b.extend_from_slice(data)
                }
            }
        }
    }

    /// Writes to a stderr destination (same as [`Shell::write`]; kept for readability).
    pub fn write_err(&mut self, d: Dest, data: &[u8]) {
        self.write(d, data)
    }

    /// A bash-style error: `lab.sh: line N: msg`.
    pub fn error(&mut self, err: Dest, msg: &str) {
        let line = format!("{}: line {}: {}\n", self.label, self.line, msg);
        self.write_err(err, line.as_bytes());
    }

    fn alloc_buf(&mut self) -> usize {
        self.bufs.push(Vec::new());
        self.bufs.len() - 1
    }

    fn take_buf(&mut self, i: usize) -> Vec<u8> {
        let data = self.bufs.get_mut(i).map(std::mem::take).unwrap_or_default();
        if i + 1 == self.bufs.len() {
            self.bufs.pop();
        }
        data
    }

    pub fn loc(&self) -> Loc {
        Loc {
            file: self.file.clone(),
            line: self.line_override.unwrap_or(self.line),
        }
    }

    // ------------------------------------------------------------ lists

    pub fn exec_list(&mut self, list: &List, io: &Io) -> Res {
        let mut status = self.status;
        for item in list {
            status = if item.background {
                self.exec_background(&item.and_or, io)?
            } else {
                self.exec_and_or(&item.and_or, io)?
            };
        }
        Ok(status)
    }

    fn exec_and_or(&mut self, ao: &AndOr, io: &Io) -> Res {
        let n = ao.rest.len();
        let mut status = self.exec_pipeline_cond(&ao.first, io, n > 0)?;
        for (i, (op, p)) in ao.rest.iter().enumerate() {
            let run = match op {
                AndOrOp::And => status == 0,
                AndOrOp::Or => status != 0,
            };
            if run {
                status = self.exec_pipeline_cond(p, io, i + 1 < n)?;
            }
        }
        Ok(status)
    }

    fn exec_pipeline_cond(&mut self, p: &Pipeline, io: &Io, cond: bool) -> Res {
        if cond {
            self.ignore_err += 1;
        }
        let r = self.exec_pipeline(p, io);
        if cond {
            self.ignore_err -= 1;
        }
        r
    }

    /// Runs a list as a condition (if/while): failures there neither count nor trigger `set -e`.
    fn exec_cond(&mut self, list: &List, io: &Io) -> Res {
        self.ignore_err += 1;
        let r = self.exec_list(list, io);
        self.ignore_err -= 1;
        r
    }

    fn exec_pipeline(&mut self, p: &Pipeline, io: &Io) -> Res {
        if let [Command::Marker(m)] = p.cmds.as_slice() {
            self.host.marker(m);
            return Ok(self.status);
        }
        if p.bang {
            self.ignore_err += 1;
        }
        let r = self.exec_pipeline_inner(p, io);
        if p.bang {
            self.ignore_err -= 1;
        }
        let mut status = r?;
        if p.bang {
            status = i32::from(status == 0);
        }
        self.status = status;
        let checked = p.cmds.len() > 1 || matches!(p.cmds.first(), Some(Command::Simple(_)));
        if status != 0 && !p.bang && self.ignore_err == 0 && checked {
            self.failures += 1;
            if self.errexit {
                return Err(Ctl::Exit(status));
            }
        }
        Ok(status)
    }

    fn exec_pipeline_inner(&mut self, p: &Pipeline, io: &Io) -> Res {
        if p.cmds.len() == 1 {
            return self.exec_command(&p.cmds[0], io);
        }
        let mut input = io.stdin.clone();
        let mut statuses = Vec::new();
        let n = p.cmds.len();
        for (i, cmd) in p.cmds.iter().enumerate() {
            let last = i + 1 == n;
            let buf = if last { None } else { Some(self.alloc_buf()) };
            let stage_io = Io {
                stdin: std::mem::take(&mut input),
                out: buf.map_or(io.out, Dest::Buf),
                err: io.err,
            };
            // every stage runs in a subshell: exit/break end only that stage
            let saved_loop = self.loop_depth;
            self.loop_depth = 0;
            let st = match self.exec_command(cmd, &stage_io) {
                Ok(s) | Err(Ctl::Exit(s)) => s,
                Err(_) => 0,
            };
            self.loop_depth = saved_loop;
            statuses.push(st);
            if let Some(b) = buf {
                input = self.take_buf(b);
            }
        }
        let last = statuses.last().copied().unwrap_or(0);
        if self.pipefail {
            Ok(statuses
                .iter()
                .rev()
                .find(|s| **s != 0)
                .copied()
                .unwrap_or(0))
        } else {
            Ok(last)
        }
    }

    fn exec_command(&mut self, cmd: &Command, io: &Io) -> Res {
        match cmd {
            Command::Marker(m) => {
                self.host.marker(m);
                Ok(self.status)
            }
            Command::Simple(s) => self.exec_simple(s, io),
            Command::Compound(c, redirs) => {
                let (io2, files) = match self.open_redirs(redirs, io) {
                    Ok(x) => x,
                    Err(st) => return Ok(st),
                };
                let r = self.exec_compound(c, &io2);
                self.close_redirs(files, io.err);
                r
            }
        }
    }

    fn exec_compound(&mut self, c: &Compound, io: &Io) -> Res {
        match c {
            Compound::Group(list) => self.exec_list(list, io),
            Compound::If {
                branches,
                otherwise,
            } => {
                for (cond, body) in branches {
                    if self.exec_cond(cond, io)? == 0 {
                        return self.exec_list(body, io);
                    }
                }
                match otherwise {
                    Some(body) => self.exec_list(body, io),
                    None => {
                        self.status = 0;
                        Ok(0)
                    }
                }
            }
            Compound::For {
                var,
                words,
                body,
                header,
            } => {
                let items = match words {
                    Some(ws) => {
                        let mut v = Vec::new();
                        for w in ws {
                            match self.expand_word(w, io.err) {
                                Ok(f) => v.extend(f),
                                Err(m) => return self.expansion_failed(&m, io),
                            }
                        }
                        v
                    }
                    None => self.positional.iter().skip(1).cloned().collect(),
                };
                let mut status = 0;
                self.loop_depth += 1;
                let mut result = Ok(());
                for it in items {
                    if self.xtrace {
                        let t = format!("{} {header}\n", "+".repeat(self.subst_depth + 1));
                        self.write_err(io.err, t.as_bytes());
                    }
                    self.vars.insert(var.clone(), it);
                    match self.exec_list(body, io) {
                        Ok(s) => status = s,
                        Err(Ctl::Break(n)) => {
                            status = 0;
                            if n > 1 {
                                result = Err(Ctl::Break(n - 1));
                            }
                            break;
                        }
                        Err(Ctl::Continue(n)) => {
                            status = 0;
                            if n > 1 {
                                result = Err(Ctl::Continue(n - 1));
                                break;
                            }
                        }
                        Err(e) => {
                            result = Err(e);
                            break;
                        }
                    }
                }
                self.loop_depth -= 1;
                result?;
                self.status = status;
                Ok(status)
            }
            Compound::While { until, cond, body } => {
                let mut status = 0;
                self.loop_depth += 1;
                let mut result = Ok(());
                loop {
                    let c = match self.exec_cond(cond, io) {
                        Ok(c) => c,
                        Err(e) => {
                            result = Err(e);
                            break;
                        }
                    };
                    if (c == 0) == *until {
                        break;
                    }
                    match self.exec_list(body, io) {
                        Ok(s) => status = s,
                        Err(Ctl::Break(n)) => {
                            status = 0;
                            if n > 1 {
                                result = Err(Ctl::Break(n - 1));
                            }
                            break;
                        }
                        Err(Ctl::Continue(n)) => {
                            status = 0;
                            if n > 1 {
                                result = Err(Ctl::Continue(n - 1));
                                break;
                            }
                        }
                        Err(e) => {
                            result = Err(e);
                            break;
                        }
                    }
                }
                self.loop_depth -= 1;
                match result {
                    Err(Ctl::Break(n)) => Err(Ctl::Break(n)),
                    Err(e) => Err(e),
                    Ok(()) => {
                        self.status = status;
                        Ok(status)
                    }
                }
            }
        }
    }

    /// An expansion error (`set -u`): bash prints it and a non-interactive shell exits.
    fn expansion_failed(&mut self, msg: &str, io: &Io) -> Res {
        self.error(io.err, msg);
        self.status = 1;
        Err(Ctl::Exit(1))
    }

    // ------------------------------------------------------------ simple commands

    fn exec_simple(&mut self, cmd: &SimpleCmd, io: &Io) -> Res {
        self.line = cmd.line;
        self.commands_run += 1;
        if self.commands_run > self.max_commands {
            if self.commands_run == self.max_commands + 1 {
                let m = format!(
                    "nslab: more than {} commands run (endless loop?): stopping",
                    self.max_commands
                );
                self.error(Dest::Tty(Stream::Stderr), &m);
            }
            return Err(Ctl::Exit(124));
        }
        self.subst_status = None;
        let mut argv = Vec::new();
        for w in &cmd.words {
            match self.expand_word(w, io.err) {
                Ok(f) => argv.extend(f),
                Err(m) => return self.expansion_failed(&m, io),
            }
        }
        let mut assigns = Vec::new();
        for (name, w) in &cmd.assigns {
            match self.expand_string(&w.parts, io.err) {
                Ok(v) => assigns.push((name.clone(), v)),
                Err(m) => return self.expansion_failed(&m, io),
            }
        }
        self.line = cmd.line;
        if self.xtrace {
            let plus = "+".repeat(self.subst_depth + 1);
            for (n, v) in &assigns {
                let t = format!("{plus} {n}={}\n", xtrace_quote(v));
                self.write_err(io.err, t.as_bytes());
            }
            if !argv.is_empty() {
                let words: Vec<String> = argv.iter().map(|a| xtrace_quote(a)).collect();
                let t = format!("{plus} {}\n", words.join(" "));
                self.write_err(io.err, t.as_bytes());
            }
        }
        if argv.is_empty() {
            for (n, v) in assigns {
                self.vars.insert(n, v);
            }
            let st = self.subst_status.unwrap_or(0);
            let (_, files) = match self.open_redirs(&cmd.redirs, io) {
                Ok(x) => x,
                Err(st) => return Ok(st),
            };
            self.close_redirs(files, io.err);
            return Ok(st);
        }
        // `VAR=x cmd`: the host has no environment; the assignment is visible to builtins only
        let saved: Vec<(String, Option<String>)> = assigns
            .iter()
            .map(|(n, _)| (n.clone(), self.vars.get(n).cloned()))
            .collect();
        for (n, v) in assigns {
            self.vars.insert(n, v);
        }
        let (io2, files) = match self.open_redirs(&cmd.redirs, io) {
            Ok(x) => x,
            Err(st) => {
                self.restore(saved);
                return Ok(st);
            }
        };
        let r = self.dispatch(&argv, &io2);
        self.close_redirs(files, io.err);
        self.restore(saved);
        r
    }

    fn restore(&mut self, saved: Vec<(String, Option<String>)>) {
        for (n, v) in saved {
            match v {
                Some(v) => self.vars.insert(n, v),
                None => self.vars.remove(&n),
            };
        }
    }

    /// Runs an expanded command: builtin, `sh -c`, or the host.
    pub fn dispatch(&mut self, argv: &[String], io: &Io) -> Res {
        let name = argv[0].as_str();
        if builtins::is_builtin(name) {
            return builtins::run(self, argv, io);
        }
        if UNSUPPORTED_BUILTINS.contains(&name) {
            self.error(
                io.err,
                &format!("{name}: shell builtin not supported by nslab"),
            );
            return Ok(2);
        }
        if (name == "sh" || name == "bash") && argv.get(1).map(String::as_str) == Some("-c") {
            return Ok(self.sub_shell_c(argv, io));
        }
        let loc = self.loc();
        let out = self.host.run(argv, &io.stdin, &loc);
        self.write(io.out, &out.stdout);
        self.write_err(io.err, &out.stderr);
        Ok(out.status)
    }

    /// `sh -c STRING [ARG0 ARGS...]`: parse and run STRING in a subshell.
    fn sub_shell_c(&mut self, argv: &[String], io: &Io) -> i32 {
        let Some(src) = argv.get(2) else {
            let m = format!("{}: -c: option requires an argument\n", argv[0]);
            self.write_err(io.err, m.as_bytes());
            return 2;
        };
        let label = format!("{}: -c", argv[0]);
        let script = match parser::parse(src, &label) {
            Ok(s) => s,
            Err(e) => {
                let m = format!("{e}\n");
                self.write_err(io.err, m.as_bytes());
                return 2;
            }
        };
        let outer_line = self.line_override.unwrap_or(self.line);
        let saved_vars = self.vars.clone();
        let saved_pos = std::mem::replace(
            &mut self.positional,
            if argv.len() > 3 {
                argv[3..].to_vec()
            } else {
                vec![argv[0].clone()]
            },
        );
        let saved_label = std::mem::replace(&mut self.label, label);
        let saved_override = self.line_override.replace(outer_line);
        let saved_flags = (
            self.errexit,
            self.xtrace,
            self.verbose,
            self.pipefail,
            self.nounset,
            self.loop_depth,
        );
        let saved_ignore = self.ignore_err;
        self.loop_depth = 0;
        let mut status = 0;
        for item in &script.items {
            match self.exec_list(&item.list, io) {
                Ok(s) => status = s,
                Err(Ctl::Exit(s)) => {
                    status = s;
                    break;
                }
                Err(_) => {}
            }
        }
        self.vars = saved_vars;
        self.positional = saved_pos;
        self.label = saved_label;
        self.line_override = saved_override;
        (
            self.errexit,
            self.xtrace,
            self.verbose,
            self.pipefail,
            self.nounset,
            self.loop_depth,
        ) = saved_flags;
        self.ignore_err = saved_ignore;
        self.line = outer_line;
        status
    }

    // ------------------------------------------------------------ background jobs

    fn exec_background(&mut self, ao: &AndOr, io: &Io) -> Res {
        // a single simple external command goes to the host; anything else runs to completion now
        if ao.rest.is_empty() && !ao.first.bang && ao.first.cmds.len() == 1 {
            if let Command::Simple(cmd) = &ao.first.cmds[0] {
                if let Some(st) = self.spawn_simple(cmd, io)? {
                    return Ok(st);
                }
            }
        }
        let saved_loop = self.loop_depth;
        self.loop_depth = 0;
        self.ignore_err += 1;
        let st = match self.exec_and_or(ao, io) {
            Ok(s) | Err(Ctl::Exit(s)) => s,
            Err(_) => 0,
        };
        self.ignore_err -= 1;
        self.loop_depth = saved_loop;
        self.add_job(None, Some(st));
        self.status = 0;
        Ok(0)
    }

    fn add_job(&mut self, id: Option<JobId>, status: Option<i32>) -> u32 {
        let num = self.jobs.iter().map(|j| j.num).max().unwrap_or(0) + 1;
        self.next_pid += 1;
        let pid = self.next_pid;
        self.jobs.push(Job {
            num,
            pid,
            id,
            status,
        });
        self.last_bg = Some(pid);
        pid
    }

    /// Returns None when the command is not for the host (a builtin).
    fn spawn_simple(&mut self, cmd: &SimpleCmd, io: &Io) -> Result<Option<i32>, Ctl> {
        self.line = cmd.line;
        let mut argv = Vec::new();
        for w in &cmd.words {
            match self.expand_word(w, io.err) {
                Ok(f) => argv.extend(f),
                Err(m) => return self.expansion_failed(&m, io).map(Some),
            }
        }
        self.line = cmd.line;
        let Some(name) = argv.first() else {
            return Ok(None);
        };
        if is_shell_builtin(name)
            || ((name == "sh" || name == "bash") && argv.get(1).map(String::as_str) == Some("-c"))
        {
            return Ok(None);
        }
        if self.xtrace {
            let words: Vec<String> = argv.iter().map(|a| xtrace_quote(a)).collect();
            let t = format!("{} {}\n", "+".repeat(self.subst_depth + 1), words.join(" "));
            self.write_err(io.err, t.as_bytes());
        }
        // redirections: sinks for the host
        let mut stdin = io.stdin.clone();
        let mut out = self.sink_of(io.out);
        let mut err = self.sink_of(io.err);
        for r in &cmd.redirs {
            let target = |s: &mut Self, w: &Word| -> Result<String, ()> {
                match s.expand_word(w, io.err) {
                    Ok(f) if f.len() == 1 => Ok(f[0].clone()),
                    _ => {
                        s.error(io.err, "ambiguous redirect");
                        Err(())
                    }
                }
            };
            let file_sink = |path: String, append: bool| match path.as_str() {
                "/dev/null" => Sink::Null,
                "/dev/stdout" | "/dev/tty" => Sink::Terminal,
                _ => Sink::File { path, append },
            };
            match &r.op {
                RedirOp::Out(w) | RedirOp::Append(w) | RedirOp::OutErr(w) => {
                    let Ok(path) = target(self, w) else {
                        return Ok(Some(1));
                    };
                    let append = matches!(r.op, RedirOp::Append(_));
                    let s = file_sink(path, append);
                    match (&r.op, r.fd) {
                        (RedirOp::OutErr(_), _) => {
                            out = s.clone();
                            err = s;
                        }
                        (_, 1) => out = s,
                        (_, 2) => err = s,
                        _ => {}
                    }
                }
                RedirOp::Dup(m) => {
                    let src = match m {
                        1 => out.clone(),
                        2 => err.clone(),
                        _ => {
                            self.error(io.err, &format!("{m}: Bad file descriptor"));
                            return Ok(Some(1));
                        }
                    };
                    match r.fd {
                        1 => out = src,
                        2 => err = src,
                        _ => {}
                    }
                }
                RedirOp::Close => match r.fd {
                    1 => out = Sink::Null,
                    2 => err = Sink::Null,
                    _ => {}
                },
                RedirOp::In(w) => {
                    let Ok(path) = target(self, w) else {
                        return Ok(Some(1));
                    };
                    match self.read_path(&path) {
                        Ok(d) => stdin = d,
                        Err(m) => {
                            self.error(io.err, &m);
                            return Ok(Some(1));
                        }
                    }
                }
                RedirOp::HereDoc { body, .. } => match self.expand_string(body, io.err) {
                    Ok(s) => stdin = s.into_bytes(),
                    Err(m) => return self.expansion_failed(&m, io).map(Some),
                },
            }
        }
        let loc = self.loc();
        match self.host.spawn(&argv, &stdin, out, err, &loc) {
            Ok(id) => {
                self.add_job(Some(id), None);
            }
            Err(o) => {
                self.write(io.out, &o.stdout);
                self.write_err(io.err, &o.stderr);
                self.add_job(None, Some(o.status));
            }
        }
        self.status = 0;
        Ok(Some(0))
    }

    fn sink_of(&self, d: Dest) -> Sink {
        match d {
            Dest::Tty(_) => Sink::Terminal,
            Dest::Null => Sink::Null,
            Dest::Buf(i) => match self.file_bufs.get(&i) {
                Some(path) => Sink::File {
                    path: path.clone(),
                    append: true,
                },
                None => Sink::Null,
            },
        }
    }

    /// `wait [ID...]`.
    pub fn wait_builtin(&mut self, args: &[String], io: &Io) -> i32 {
        if args.is_empty() {
            let jobs = std::mem::take(&mut self.jobs);
            for j in jobs {
                if let (Some(id), None) = (j.id, j.status) {
                    self.host.wait(id);
                }
            }
            return 0;
        }
        let mut status = 0;
        for a in args {
            match self.find_job(a) {
                Some(i) => {
                    let j = self.jobs.remove(i);
                    status = match (j.id, j.status) {
                        (_, Some(s)) => s,
                        (Some(id), None) => self.host.wait(id),
                        (None, None) => 0,
                    };
                }
                None if a.starts_with('%') => {
                    self.error(io.err, &format!("wait: {a}: no such job"));
                    status = 127;
                }
                None if a.chars().all(|c| c.is_ascii_digit()) && !a.is_empty() => {
                    self.error(
                        io.err,
                        &format!("wait: pid {a} is not a child of this shell"),
                    );
                    status = 127;
                }
                None => {
                    self.error(io.err, &format!("wait: `{a}': not a pid or valid job spec"));
                    status = 2;
                }
            }
        }
        status
    }

    fn find_job(&self, spec: &str) -> Option<usize> {
        if let Some(n) = spec.strip_prefix('%') {
            let num: u32 = match n {
                "" | "%" | "+" => self.jobs.iter().map(|j| j.num).max()?,
                "-" => {
                    let mut nums: Vec<u32> = self.jobs.iter().map(|j| j.num).collect();
                    nums.sort_unstable();
                    nums.iter().rev().nth(1).copied().or(nums.last().copied())?
                }
                n => n.parse().ok()?,
            };
            self.jobs.iter().position(|j| j.num == num)
        } else {
            let pid: u32 = spec.parse().ok()?;
            self.jobs.iter().position(|j| j.pid == pid)
        }
    }

    /// `kill [-SIG | -s SIG] ID...`.
    pub fn kill_builtin(&mut self, args: &[String], io: &Io) -> i32 {
        let mut i = 0;
        while i < args.len() && args[i].starts_with('-') && args[i] != "-" {
            if args[i] == "-s" || args[i] == "-n" {
                i += 1;
            } else if args[i] == "--" {
                i += 1;
                break;
            } else if args[i] == "-l" || args[i] == "-L" {
                self.write(
                    io.out,
                    b"HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM\n",
                );
                return 0;
            }
            i += 1;
        }
        let ids = &args[i.min(args.len())..];
        if ids.is_empty() {
            self.error(
                io.err,
                "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ...",
            );
            return 2;
        }
        let mut status = 0;
        for a in ids {
            match self.find_job(a) {
                Some(k) => {
                    let (pid, id, done) = (
                        self.jobs[k].pid,
                        self.jobs[k].id,
                        self.jobs[k].status.is_some(),
                    );
                    match id {
                        Some(id) if !done => {
                            if let Err(m) = self.host.kill(id) {
                                self.error(io.err, &format!("kill: {m}"));
                                status = 1;
                            }
                        }
                        _ => {
                            self.error(io.err, &format!("kill: ({pid}) - No such process"));
                            status = 1;
                        }
                    }
                }
                None if a.starts_with('%') => {
                    self.error(io.err, &format!("kill: {a}: no such job"));
                    status = 1;
                }
                None if !a.is_empty() && a.chars().all(|c| c.is_ascii_digit()) => {
                    self.error(io.err, &format!("kill: ({a}) - No such process"));
                    status = 1;
                }
                None => {
                    self.error(
                        io.err,
                        &format!("kill: {a}: arguments must be process or job IDs"),
                    );
                    status = 1;
                }
            }
        }
        status
    }

    // ------------------------------------------------------------ redirections

    pub fn read_path(&mut self, path: &str) -> Result<Vec<u8>, String> {
        match path {
            "/dev/null" => Ok(Vec::new()),
            _ => self.host.read_file(path),
        }
    }

    /// Applies redirections left to right. On failure prints bash's message and returns the
    /// command's status (1).
    fn open_redirs(&mut self, redirs: &[Redir], io: &Io) -> Result<(Io, Vec<OpenFile>), i32> {
        let mut io2 = io.clone();
        let mut files: Vec<OpenFile> = Vec::new();
        for r in redirs {
            let res = self.open_one(r, &mut io2, &mut files, io.err);
            if let Err(m) = res {
                if let Some(m) = m {
                    self.error(io.err, &m);
                }
                self.close_redirs(files, io.err);
                return Err(1);
            }
        }
        Ok((io2, files))
    }

    fn open_one(
        &mut self,
        r: &Redir,
        io2: &mut Io,
        files: &mut Vec<OpenFile>,
        err: Dest,
    ) -> Result<(), Option<String>> {
        let target = |s: &mut Self, w: &Word| -> Result<String, Option<String>> {
            match s.expand_word(w, err) {
                Ok(f) if f.len() == 1 => Ok(f[0].clone()),
                Ok(_) => Err(Some(format!("{}: ambiguous redirect", word_source(w)))),
                Err(m) => Err(Some(m)),
            }
        };
        match &r.op {
            RedirOp::Out(w) | RedirOp::Append(w) | RedirOp::OutErr(w) => {
                let path = target(self, w)?;
                let append = matches!(r.op, RedirOp::Append(_));
                let d = match path.as_str() {
                    "/dev/null" => Dest::Null,
                    "/dev/stdout" => io2.out,
                    "/dev/stderr" => io2.err,
                    "/dev/tty" => Dest::Tty(Stream::Stdout),
                    _ => {
                        self.host.write_file(&path, b"", append).map_err(Some)?;
                        let buf = self.alloc_buf();
                        self.file_bufs.insert(buf, path.clone());
                        files.push(OpenFile { buf, path });
                        Dest::Buf(buf)
                    }
                };
                match (&r.op, r.fd) {
                    (RedirOp::OutErr(_), _) => {
                        io2.out = d;
                        io2.err = d;
                    }
                    (_, 1) => io2.out = d,
                    (_, 2) => io2.err = d,
                    _ => {}
                }
            }
            RedirOp::Dup(m) => {
                let src = match m {
                    0 => return Ok(()),
                    1 => io2.out,
                    2 => io2.err,
                    m => return Err(Some(format!("{m}: Bad file descriptor"))),
                };
                match r.fd {
                    1 => io2.out = src,
                    2 => io2.err = src,
                    _ => {}
                }
            }
            RedirOp::Close => match r.fd {
                1 => io2.out = Dest::Null,
                2 => io2.err = Dest::Null,
                _ => {}
            },
            RedirOp::In(w) => {
                let path = target(self, w)?;
                let d = self.read_path(&path).map_err(Some)?;
                if r.fd == 0 {
                    io2.stdin = d;
                }
            }
            RedirOp::HereDoc { body, .. } => {
                let s = self.expand_string(body, err).map_err(Some)?;
                if r.fd == 0 {
                    io2.stdin = s.into_bytes();
                }
            }
        }
        Ok(())
    }

    fn close_redirs(&mut self, files: Vec<OpenFile>, err: Dest) {
        // written in order; buffers released last-first (they are a stack)
        let mut datas = Vec::new();
        for f in files.iter().rev() {
            self.file_bufs.remove(&f.buf);
            datas.push((f.path.clone(), self.take_buf(f.buf)));
        }
        for (path, data) in datas.into_iter().rev() {
            if !data.is_empty() {
                if let Err(m) = self.host.write_file(&path, &data, true) {
                    self.error(err, &m);
                }
            }
        }
    }

    // ------------------------------------------------------------ expansion

    fn param(&mut self, name: &str) -> Result<Option<String>, String> {
        let v = match name {
            "?" => Some(self.status.to_string()),
            "!" => self.last_bg.map(|p| p.to_string()),
            "#" => Some(self.positional.len().saturating_sub(1).to_string()),
            "$" => Some("4000".to_string()),
            "@" | "*" => Some(
                self.positional
                    .iter()
                    .skip(1)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            "-" => {
                let mut f = String::new();
                for (on, c) in [
                    (self.errexit, 'e'),
                    (self.nounset, 'u'),
                    (self.verbose, 'v'),
                    (self.xtrace, 'x'),
                ] {
                    if on {
                        f.push(c);
                    }
                }
                f.push_str("hB");
                Some(f)
            }
            n if n.chars().all(|c| c.is_ascii_digit()) => {
                let i: usize = n.parse().unwrap_or(usize::MAX);
                self.positional.get(i).cloned()
            }
            n => self.vars.get(n).cloned(),
        };
        if v.is_none() && self.nounset && name != "!" && name != "@" && name != "*" {
            return Err(format!("{name}: unbound variable"));
        }
        Ok(v)
    }

    /// Runs `$(...)`: a subshell whose stdout is captured, trailing newlines removed.
    fn cmd_subst(&mut self, list: &List, err: Dest) -> String {
        let buf = self.alloc_buf();
        let io = Io {
            stdin: Vec::new(),
            out: Dest::Buf(buf),
            err,
        };
        let saved_vars = self.vars.clone();
        let saved_line = self.line;
        let saved_loop = self.loop_depth;
        let saved_status = self.status;
        let saved_ignore = self.ignore_err;
        let saved_subst = self.subst_status;
        let saved_errexit = self.errexit;
        // bash (without `shopt -s inherit_errexit`) runs $(...) without errexit; its commands'
        // failures are a value for the outer command, not counted as failures of the script
        self.errexit = false;
        self.loop_depth = 0;
        self.ignore_err = 1;
        self.subst_depth += 1;
        let st = match self.exec_list(list, &io) {
            Ok(s) | Err(Ctl::Exit(s)) => s,
            Err(_) => self.status,
        };
        self.subst_depth -= 1;
        self.errexit = saved_errexit;
        self.vars = saved_vars;
        self.line = saved_line;
        self.loop_depth = saved_loop;
        self.ignore_err = saved_ignore;
        self.status = saved_status;
        let _ = saved_subst;
        self.subst_status = Some(st);
        let data = self.take_buf(buf);
        let mut s = String::from_utf8_lossy(&data).into_owned();
        while s.ends_with('\n') {
            s.pop();
        }
        s
    }

    fn expand_part_value(&mut self, p: &WordPart, err: Dest) -> Result<String, String> {
        Ok(match p {
            WordPart::Lit(s) | WordPart::Quoted(s) => s.clone(),
            WordPart::DQuoted(ps) => self.expand_string(ps, err)?,
            WordPart::Param(n) => self.param(n)?.unwrap_or_default(),
            WordPart::Default { name, colon, word } => {
                let saved = self.nounset;
                self.nounset = false;
                let v = self.param(name);
                self.nounset = saved;
                match v? {
                    Some(v) if !(*colon && v.is_empty()) => v,
                    _ => self.expand_string(word, err)?,
                }
            }
            WordPart::CmdSub(list) => self.cmd_subst(list, err),
        })
    }

    /// Expands parts to one string without field splitting (double quotes, heredocs,
    /// assignments).
    pub fn expand_string(&mut self, parts: &[WordPart], err: Dest) -> Result<String, String> {
        let mut s = String::new();
        for p in parts {
            s.push_str(&self.expand_part_value(p, err)?);
        }
        Ok(s)
    }

    /// Expands a word into fields (unquoted expansions are split on blanks; no globbing).
    pub fn expand_word(&mut self, w: &Word, err: Dest) -> Result<Vec<String>, String> {
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut has = false;
        for p in &w.parts {
            match p {
                WordPart::Lit(s) | WordPart::Quoted(s) => {
                    cur.push_str(s);
                    has = true;
                }
                WordPart::DQuoted(ps) if matches!(ps.as_slice(), [WordPart::Param(n)] if n == "@") =>
                {
                    let args: Vec<String> = self.positional.iter().skip(1).cloned().collect();
                    let n = args.len();
                    for (i, a) in args.into_iter().enumerate() {
                        cur.push_str(&a);
                        has = true;
                        if i + 1 < n {
                            fields.push(std::mem::take(&mut cur));
                        }
                    }
                }
                WordPart::DQuoted(ps) => {
                    cur.push_str(&self.expand_string(ps, err)?);
                    has = true;
                }
                p => {
                    let v = self.expand_part_value(p, err)?;
                    for c in v.chars() {
                        if is_ifs(c) {
                            if has {
                                fields.push(std::mem::take(&mut cur));
                                has = false;
                            }
                        } else {
                            cur.push(c);
                            has = true;
                        }
                    }
                }
            }
        }
        if has {
            fields.push(cur);
        }
        Ok(fields)
    }

    // ------------------------------------------------------------ state for builtins

    pub fn set_var(&mut self, name: &str, value: &str) {
        self.vars.insert(name.to_string(), value.to_string());
    }

    pub fn unset_var(&mut self, name: &str) {
        self.vars.remove(name);
        self.exported.remove(name);
    }

    pub fn export(&mut self, name: &str) {
        self.exported.insert(name.to_string());
    }

    pub fn set_positional(&mut self, args: &[String]) {
        self.positional.truncate(1);
        self.positional.extend(args.iter().cloned());
    }

    pub fn in_loop(&self) -> bool {
        self.loop_depth > 0
    }

    pub fn pwd(&self) -> String {
        self.pwd.clone()
    }
}

/// A word's text for error messages (unexpanded).
fn word_source(w: &Word) -> String {
    let mut s = String::new();
    for p in &w.parts {
        match p {
            WordPart::Lit(t) | WordPart::Quoted(t) => s.push_str(t),
            WordPart::Param(n) => {
                s.push('$');
                s.push_str(n)
            }
            _ => s.push_str("..."),
        }
    }
    s
}

/// Is `name` a valid identifier (for `export`/`unset`)?
pub(crate) fn valid_name(name: &str) -> bool {
    is_name(name)
}

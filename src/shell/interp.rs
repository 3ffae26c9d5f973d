//! The interpreter: runs a parsed [`Script`] against a [`Host`].

use super::arith;
use super::ast::*;
use super::builtins;
use super::host::{CmdOutput, Host, JobId, Loc, Sink, Stream};
use super::parser::{self, is_name};
use super::pattern;
use super::{ScriptResult, ShellOptions};
use crate::programs::{self, Kind, Wrapper};
use std::collections::{BTreeMap, BTreeSet};

/// Non-local control flow out of a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ctl {
    Break(u32),
    Continue(u32),
    Exit(i32),
    /// `return N` from a function or sourced file.
    Return(i32),
    /// An error that abandons the whole top-level command (an arithmetic error, an assignment
    /// to a readonly variable): bash goes on with the next one.
    Abort(i32),
}

/// Marks an expansion error that aborts the top-level command instead of exiting.
pub(crate) const ABORT_MARK: char = '\u{1}';

#[path = "lang.rs"]
mod lang;
pub(crate) use lang::{program_file, quote_q};
use lang::{Arr, Func};
use std::cell::RefCell;
use std::rc::Rc;

/// A command's standard input: shared by the commands of a compound command, so `read` in a
/// `while` loop takes one line after another (a file offset, as in bash).
#[derive(Clone, Debug, Default)]
pub(crate) struct Stdin(Rc<RefCell<(Vec<u8>, usize)>>);

impl Stdin {
    pub fn new(data: Vec<u8>) -> Self {
        Stdin(Rc::new(RefCell::new((data, 0))))
    }

    /// The rest of the input, consumed (a program that reads its input to the end).
    pub fn take(&self) -> Vec<u8> {
        let mut b = self.0.borrow_mut();
        let rest = b.0[b.1.min(b.0.len())..].to_vec();
        b.1 = b.0.len();
        rest
    }

    /// The rest of the input, left for the next command (a program that may not read it).
    pub fn rest(&self) -> Vec<u8> {
        let b = self.0.borrow();
        b.0[b.1.min(b.0.len())..].to_vec()
    }

    /// One record up to `delim` (not included) and whether the delimiter was there; `None`
    /// at the end of the input.
    pub fn read_until(&self, delim: u8) -> Option<(Vec<u8>, bool)> {
        let mut b = self.0.borrow_mut();
        let start = b.1;
        if start >= b.0.len() {
            return None;
        }
        match b.0[start..].iter().position(|c| *c == delim) {
            Some(p) => {
                b.1 = start + p + 1;
                Some((b.0[start..start + p].to_vec(), true))
            }
            None => {
                b.1 = b.0.len();
                Some((b.0[start..].to_vec(), false))
            }
        }
    }
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

/// A shell's state saved while a subshell runs.
struct Saved {
    vars: BTreeMap<String, String>,
    arrays: BTreeMap<String, Arr>,
    funcs: BTreeMap<String, std::rc::Rc<Func>>,
    traps: BTreeMap<String, String>,
    readonly: BTreeSet<String>,
    exported: BTreeSet<String>,
    positional: Vec<String>,
    label: String,
    line_override: Option<u32>,
    line: u32,
    flags: (bool, bool, bool, bool, bool, u32),
    ignore_err: u32,
    cur_ns: u32,
    pwd: String,
}

/// The standard streams of a command.
#[derive(Clone, Debug)]
pub(crate) struct Io {
    pub stdin: Stdin,
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
    /// The namespace it was started in (`nsenter -t PID -n`).
    ns: u32,
}

/// Builtins whose assignment arguments are assignments (`local a=(x y)`).
const DECLARATION: &[&str] = &["declare", "typeset", "local", "readonly", "export"];

/// How deep `bash -c` may nest (each level is a new shell process in bash; here a recursion of
/// the interpreter, so it is bounded).
const MAX_SHELL_DEPTH: u32 = 16;

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
    /// The last simple command's words (for [`Host::command_failed`]): shared with the
    /// command's own argv while it runs, not a copy of its strings per command.
    last_argv: Rc<Vec<String>>,
    /// A top-level command of plain words, read from the script and run once: its argv, the
    /// words' own strings moved out of the parsed command (not copies of them), for the
    /// command at that address ([`Shell::take_words`]).
    taken_argv: Option<(*const SimpleCmd, Vec<String>)>,
    /// The last background job's place, kept to be updated in place ([`Shell::job_loc`]).
    job_loc: Loc,
    /// The network namespace commands run in (0: the initial one; `ip netns exec` changes it
    /// for the program it runs).
    pub cur_ns: u32,
    /// Nested `bash -c` / `sh -c` shells.
    shell_depth: u32,
    /// The parents of the bash an interactive session entered ([`Shell::enter_child`]).
    child_stack: Vec<Saved>,
    arrays: BTreeMap<String, Arr>,
    /// The statuses of the stages of the pipeline that just ended (for `$PIPESTATUS`).
    pipe_statuses: Option<Vec<i32>>,
    funcs: BTreeMap<String, Rc<Func>>,
    /// One frame per running function: what its `local`s hid.
    local_frames: Vec<Vec<lang::Saved>>,
    /// `FUNCNAME` (innermost last) and the files the functions were defined in.
    funcname: Vec<String>,
    func_files: Vec<String>,
    /// Files being `source`d (innermost last).
    source_stack: Vec<String>,
    /// The file of the code running (sourced files and functions defined there), innermost
    /// last: errors name it as bash does.
    file_stack: Vec<String>,
    readonly: BTreeSet<String>,
    /// `declare -i` variables.
    integer: BTreeSet<String>,
    traps: BTreeMap<String, String>,
    in_err_trap: bool,
    /// Control flow (`exit`, `break`) out of a sourced file, passed on by its `source`.
    pending_ctl: Option<Ctl>,
    eval_depth: u32,
    /// getopts' position inside a cluster (`-abc`) and the OPTIND it belongs to.
    getopts_pos: usize,
    getopts_ind: usize,
    /// The stack address when the shell started ([`Shell::stack_exhausted`]).
    stack_base: usize,
    /// Process substitutions of the current command (`/dev/fd/63`, 62, ...).
    procsub_count: u32,
    /// Functions exported with `export -f`.
    exported_funcs: BTreeSet<String>,
}

/// A program's name without its directory (`/usr/bin/echo` is `echo`).
/// A wrapper's option parser: the index of the program it runs, or its own error text
/// (`None`: an option nslab does not model).
type ArgsFn = fn(&[String]) -> Result<usize, Option<String>>;

fn base_name(p: &str) -> &str {
    programs::base_name(p)
}

/// Can a wrapper (`sudo`, `ip netns exec`, ...) execute `name`: a program, not a builtin
/// that exists only inside bash?
fn runnable(name: &str) -> bool {
    !matches!(
        programs::lookup(name),
        None | Some(Kind::Special)
            | Some(Kind::Wrapper(Wrapper::Command))
            | Some(Kind::Wrapper(Wrapper::Exec))
    )
}

/// nsenter's options: the namespace file it enters (`--net=PATH`, `-t PID -n`) and where the
/// program starts in argv.
/// What `unshare`'s options (util-linux 2.38.1) ask for.
#[derive(Debug, PartialEq, Eq)]
enum UnshareOpts {
    /// Run the program (index into argv), in a new network namespace with `net`.
    Run { net: bool, prog: usize },
    /// `-V`/`--version`.
    Version,
    /// An option nslab does not carry out (`nslab: unshare X is not modelled yet`).
    NotModelled(String),
    /// getopt's error, then `Try 'unshare --help'...` (status 1).
    Usage(String),
}

/// util-linux 2.38.1 `unshare`'s `struct option` table, in its order (glibc lists ambiguous
/// prefixes in this order).
const UNSHARE_LONGS: &[userland::getopt::LongOpt] = {
    use userland::getopt::{HasArg::*, LongOpt as L};
    &[
        L::new("help", No, 'h'),
        L::new("version", No, 'V'),
        L::new("mount", Optional, 'm'),
        L::new("uts", Optional, 'u'),
        L::new("ipc", Optional, 'i'),
        L::new("net", Optional, 'n'),
        L::new("pid", Optional, 'p'),
        L::new("user", Optional, 'U'),
        L::new("cgroup", Optional, 'C'),
        L::new("time", Optional, 'T'),
        L::new("fork", No, 'f'),
        L::new("kill-child", Optional, '\u{e000}'),
        L::new("mount-proc", Optional, '\u{e001}'),
        L::new("map-user", Required, '\u{e002}'),
        L::new("map-users", Required, '\u{e003}'),
        L::new("map-group", Required, '\u{e004}'),
        L::new("map-groups", Required, '\u{e005}'),
        L::new("map-root-user", No, 'r'),
        L::new("map-current-user", No, 'c'),
        L::new("map-auto", No, '\u{e006}'),
        L::new("propagation", Required, '\u{e007}'),
        L::new("setgroups", Required, '\u{e008}'),
        L::new("keep-caps", No, '\u{e009}'),
        L::new("setuid", Required, 'S'),
        L::new("setgid", Required, 'G'),
        L::new("root", Required, 'R'),
        L::new("wd", Required, 'w'),
        L::new("monotonic", Required, '\u{e00a}'),
        L::new("boottime", Required, '\u{e00b}'),
    ]
};

/// `unshare`'s command line through glibc's getopt_long with its optstring
/// (`+fhVmuinpCTUrR:w:S:G:c`: options stop at the program). Only the network namespace
/// changes what a lab sees; the lab is root, so the user-namespace options (`-U`, `-r`, `-c`,
/// `--map-root-user`...), `-f` and `--kill-child` change nothing; the other namespaces and
/// `--net=FILE` (a persistent namespace) are not modelled.
fn unshare_args(argv: &[String]) -> UnshareOpts {
    let args = argv.get(1..).unwrap_or(&[]);
    let mut g = userland::getopt::Getopt::new(args, "+fhVmuinpCTUrR:w:S:G:c", UNSHARE_LONGS);
    let mut net = false;
    while let Some(r) = g.next() {
        let o = match r {
            Ok(o) => o,
            Err(e) => return UnshareOpts::Usage(e.glibc_message("unshare")),
        };
        let word = || match o.long {
            Some(l) => format!("--{l}"),
            None => format!("-{}", o.opt),
        };
        match o.opt {
            'n' if o.arg.is_some() => return UnshareOpts::NotModelled(format!("{}=FILE", word())),
            'n' => net = true,
            'V' => return UnshareOpts::Version,
            'f' | 'U' | 'r' | 'c' | '\u{e000}' | '\u{e006}' => {}
            _ => return UnshareOpts::NotModelled(word()),
        }
    }
    // POSIX order: the operands are the program and its arguments.
    UnshareOpts::Run {
        net,
        prog: argv.len() - g.operands().len(),
    }
}

fn nsenter_args(argv: &[String]) -> Result<(String, usize), String> {
    let mut i = 1;
    let mut target: Option<String> = None;
    let mut net: Option<Option<String>> = None;
    while i < argv.len() && argv[i].starts_with('-') {
        let a = argv[i].clone();
        i += 1;
        if a == "--" {
            break;
        }
        if a == "-t" || a == "--target" {
            target = argv.get(i).cloned();
            i += 1;
        } else if let Some(t) = a.strip_prefix("--target=") {
            target = Some(t.to_string());
        } else if let Some(t) = a.strip_prefix("-t") {
            target = Some(t.to_string());
        } else if a == "-n" || a == "--net" {
            net = Some(None);
        } else if let Some(p) = a.strip_prefix("--net=") {
            net = Some(Some(p.to_string()));
        } else if let Some(p) = a.strip_prefix("-n") {
            net = Some(Some(p.to_string()));
        } else if a == "-a" || a == "--all" {
            net = net.or(Some(None));
        }
    }
    let path = match (net, target) {
        (Some(Some(p)), _) => p,
        (Some(None), Some(t)) => format!("/proc/{t}/ns/net"),
        (Some(None), None) => return Err("nsenter: no target PID specified for --net".into()),
        // no namespace to enter: nsenter runs the program where it is
        (None, _) => "/proc/self/ns/net".to_string(),
    };
    Ok((path, i))
}

/// The argv of `bash -c STRING` when STRING is one plain command (literal words only), so a
/// background `bash -c "python3 -m http.server" &` is a process of the host.
fn plain_command(src: &str) -> Option<Vec<String>> {
    let script = parser::parse(src, "-c").ok()?;
    let [item] = script.items.as_slice() else {
        return None;
    };
    let [li] = item.list.as_slice() else {
        return None;
    };
    if li.background || !li.and_or.rest.is_empty() || li.and_or.first.bang {
        return None;
    }
    let [Command::Simple(c)] = li.and_or.first.cmds.as_slice() else {
        return None;
    };
    if !c.assigns.is_empty() || !c.redirs.is_empty() {
        return None;
    }
    c.words
        .iter()
        .map(|w| {
            let mut s = String::new();
            for p in &w.parts {
                match p {
                    WordPart::Lit(t) | WordPart::Quoted(t) => s.push_str(t),
                    WordPart::DQuoted(ps) => {
                        for q in ps {
                            match q {
                                WordPart::Lit(t) | WordPart::Quoted(t) => s.push_str(t),
                                _ => return None,
                            }
                        }
                    }
                    _ => return None,
                }
            }
            Some(s)
        })
        .collect()
}

/// `timeout`'s DURATION: a number with an optional s/m/h/d suffix.
pub(crate) fn parse_duration(s: &str) -> Option<f64> {
    let (num, mul) = match s.chars().last()? {
        's' => (&s[..s.len() - 1], 1.0),
        'm' => (&s[..s.len() - 1], 60.0),
        'h' => (&s[..s.len() - 1], 3600.0),
        'd' => (&s[..s.len() - 1], 86400.0),
        _ => (s, 1.0),
    };
    let v: f64 = num.parse().ok()?;
    (v.is_finite() && v >= 0.0).then_some(v * mul)
}

/// bash's reserved words (`type`, `command -v`).
fn is_keyword(n: &str) -> bool {
    matches!(
        n,
        "if" | "then"
            | "else"
            | "elif"
            | "fi"
            | "case"
            | "esac"
            | "for"
            | "select"
            | "while"
            | "until"
            | "do"
            | "done"
            | "in"
            | "function"
            | "time"
            | "{"
            | "}"
            | "!"
            | "[["
            | "]]"
            | "coproc"
    )
}

impl Wrapper {
    fn from_name(n: &str) -> Wrapper {
        match n {
            "exec" => Wrapper::Exec,
            _ => Wrapper::Command,
        }
    }
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
        // bash starts with OPTIND=1 and OPTERR=1 (not exported): `shift $((OPTIND-1))` after a
        // getopts loop that saw no option shifts 0
        vars.insert("OPTIND".into(), "1".into());
        vars.insert("OPTERR".into(), "1".into());
        Shell {
            host,
            file: file.to_string(),
            label: file.to_string(),
            line_override: None,
            line: 0,
            vars,
            exported,
            positional: std::iter::once(file.to_string())
                .chain(opts.args.iter().cloned())
                .collect(),
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
            last_argv: Rc::default(),
            taken_argv: None,
            job_loc: Loc {
                file: String::new(),
                line: 0,
            },
            cur_ns: 0,
            shell_depth: 0,
            child_stack: Vec::new(),
            arrays: BTreeMap::new(),
            pipe_statuses: None,
            funcs: BTreeMap::new(),
            local_frames: Vec::new(),
            funcname: Vec::new(),
            func_files: Vec::new(),
            source_stack: Vec::new(),
            file_stack: Vec::new(),
            readonly: BTreeSet::new(),
            integer: BTreeSet::new(),
            traps: BTreeMap::new(),
            in_err_trap: false,
            pending_ctl: None,
            eval_depth: 0,
            getopts_pos: 1,
            getopts_ind: 1,
            procsub_count: 0,
            exported_funcs: BTreeSet::new(),
            stack_base: {
                let here = 0u8;
                std::ptr::addr_of!(here) as usize
            },
        }
    }

    pub fn run_script(&mut self, script: &Script) -> ScriptResult {
        self.run_script_until(script, None)
    }

    /// Runs the commands read before a syntax error, then reports the error (status 2) as
    /// bash does when it reaches it.
    pub fn run_script_until(
        &mut self,
        script: &Script,
        err: Option<&parser::ShellError>,
    ) -> ScriptResult {
        let mut items = script
            .items
            .iter()
            .map(|i| Ok(std::borrow::Cow::Borrowed(i)))
            .chain(err.map(Err));
        self.run_items(|_| items.next())
    }

    /// Runs a script's top-level commands as they come (each parsed when the previous one has
    /// run, as bash reads a script: what a finished command was parsed into is dropped), up to
    /// a syntax error, which is reported (status 2) as bash does when it reaches it; then the
    /// EXIT trap. `next(verbose)` gives the next command, with its source text when `verbose`
    /// (`set -v` is on when it is read: bash echoes the lines as it reads them).
    /// A command read from a script (`Cow::Owned`) runs once and is dropped: its plain words
    /// become the argv themselves ([`Shell::take_words`]).
    pub fn run_items<'s, E: std::fmt::Display>(
        &mut self,
        mut next: impl FnMut(bool) -> Option<Result<std::borrow::Cow<'s, TopItem>, E>>,
    ) -> ScriptResult {
        let io = Io {
            stdin: Stdin::default(),
            out: Dest::Tty(Stream::Stdout),
            err: Dest::Tty(Stream::Stderr),
        };
        while let Some(item) = next(self.verbose) {
            let item = match item {
                Ok(item) => item,
                Err(e) => {
                    self.host.emit(Stream::Stderr, format!("{e}\n").as_bytes());
                    self.status = 2;
                    self.failures += 1;
                    break;
                }
            };
            let mut item = item;
            if let std::borrow::Cow::Owned(item) = &mut item {
                self.take_words(item);
            }
            if self.verbose {
                self.host.emit(Stream::Stderr, item.source.as_bytes());
            }
            let r = self.exec_list(&item.list, &io);
            // (the address may be another command's once this one is dropped)
            self.taken_argv = None;
            match r {
                Ok(_) => {}
                Err(Ctl::Exit(s)) => {
                    self.status = s;
                    break;
                }
                Err(Ctl::Abort(s)) => {
                    self.status = s;
                    self.failures += 1;
                }
                Err(Ctl::Break(_)) | Err(Ctl::Continue(_)) | Err(Ctl::Return(_)) => {}
            }
        }
        self.run_exit_trap(&io);
        ScriptResult {
            status: self.status,
            failures: self.failures,
        }
    }

    /// When `item` is one simple command whose words are each a plain literal (no expansion:
    /// the words [`Shell::expand_word_into`] gives as they are) and the first is no
    /// declaration builtin, its argv is those strings, moved out of the command (which runs
    /// once and is then dropped) instead of copied when it runs.
    fn take_words(&mut self, item: &mut TopItem) {
        let [li] = item.list.as_mut_slice() else {
            return;
        };
        if !li.and_or.rest.is_empty() {
            return;
        }
        let [Command::Simple(c)] = li.and_or.first.cmds.as_mut_slice() else {
            return;
        };
        // (the parser's plain-line path has checked the words as it read them)
        if !item.plain_words {
            let plain =
                |w: &Word| matches!(w.parts.as_slice(), [WordPart::Lit(t)] if !glob_or_brace(t));
            match c.words.first().and_then(Word::as_plain) {
                Some(first) if !DECLARATION.contains(&first) => {}
                _ => return,
            }
            if !c.words.iter().all(plain) {
                return;
            }
        }
        let mut argv = Vec::with_capacity(c.words.len());
        for w in &mut c.words {
            if let Some(WordPart::Lit(t)) = w.parts.first_mut() {
                argv.push(std::mem::take(t));
            }
        }
        self.taken_argv = Some((c as *const SimpleCmd, argv));
    }

    /// The argv [`Shell::take_words`] took from `cmd`'s words, if it is that command.
    fn taken_words(&mut self, cmd: &SimpleCmd) -> Option<Vec<String>> {
        match &self.taken_argv {
            Some((p, _)) if std::ptr::eq(*p, cmd) => self.taken_argv.take().map(|(_, a)| a),
            _ => None,
        }
    }

    /// `cmd`'s argv: its words expanded (or the words taken from it).
    fn command_argv(&mut self, cmd: &SimpleCmd, err: Dest) -> Result<Vec<String>, String> {
        if let Some(argv) = self.taken_words(cmd) {
            return Ok(argv);
        }
        let mut argv = Vec::with_capacity(cmd.words.len());
        for w in &cmd.words {
            self.expand_word_into(w, err, &mut argv)?;
        }
        Ok(argv)
    }

    /// Runs one line typed at an interactive prompt: the shell goes on afterwards (no EXIT
    /// trap). `Some(status)` when the line ran `exit`.
    pub fn run_interactive(&mut self, script: &Script) -> Option<i32> {
        let io = Io {
            stdin: Stdin::default(),
            out: Dest::Tty(Stream::Stdout),
            err: Dest::Tty(Stream::Stderr),
        };
        for item in &script.items {
            match self.exec_list(&item.list, &io) {
                Ok(_) => {}
                Err(Ctl::Exit(s)) => {
                    self.status = s;
                    return Some(s);
                }
                Err(Ctl::Abort(s)) => {
                    self.status = s;
                    self.failures += 1;
                }
                Err(Ctl::Break(_)) | Err(Ctl::Continue(_)) | Err(Ctl::Return(_)) => {}
            }
        }
        None
    }

    /// Ends an interactive session as a script ends: the EXIT trap runs.
    pub fn end_interactive(&mut self) {
        let io = Io {
            stdin: Stdin::default(),
            out: Dest::Tty(Stream::Stdout),
            err: Dest::Tty(Stream::Stderr),
        };
        self.run_exit_trap(&io);
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

    /// A program's stderr: on the terminal's stderr the lab's `FILE:LINE: ` comes first when
    /// the host asks for it ([`CmdOutput::located`]); into a pipe, a file or `2>&1` the text
    /// goes as the program wrote it, as under bash.
    fn write_prog_err(&mut self, d: Dest, out: &CmdOutput, loc: &Loc) {
        if out.located && d == Dest::Tty(Stream::Stderr) && !out.stderr.is_empty() {
            self.host
                .emit_loc(format!("{}:{}: ", loc.file, loc.line).as_bytes());
            self.write_err(d, &out.stderr);
        } else {
            self.write_err(d, &out.stderr);
        }
    }

    /// A bash-style error: `lab.sh: line N: msg`.
    pub fn error(&mut self, err: Dest, msg: &str) {
        let msg = msg.trim_start_matches(ABORT_MARK);
        // `bash -c STRING`: bash names itself, without a line (`bash: x: unbound variable`)
        if let (Some(_), Some(prog)) = (self.line_override, self.label.strip_suffix(": -c")) {
            let line = format!("{prog}: {msg}\n");
            self.write_err(err, line.as_bytes());
            return;
        }
        let label = match (self.line_override, self.file_stack.last()) {
            (None, Some(f)) => f.clone(),
            _ => self.label.clone(),
        };
        let line = format!("{}: line {}: {}\n", label, self.line, msg);
        self.write_err(err, line.as_bytes());
    }

    pub(crate) fn alloc_buf(&mut self) -> usize {
        self.bufs.push(Vec::new());
        self.bufs.len() - 1
    }

    pub(crate) fn take_buf(&mut self, i: usize) -> Vec<u8> {
        let data = self.bufs.get_mut(i).map(std::mem::take).unwrap_or_default();
        if i + 1 == self.bufs.len() {
            self.bufs.pop();
        }
        data
    }

    /// [`Shell::loc`] for a background job, without a copy of the script's name when it is
    /// the last job's (a lab starts its jobs from one script, one a line): the place the last
    /// job was given, updated. Given back with [`Shell::job_loc_done`].
    fn job_loc(&mut self) -> Loc {
        let mut loc = std::mem::replace(
            &mut self.job_loc,
            Loc {
                file: String::new(),
                line: 0,
            },
        );
        let file = match (self.line_override, self.file_stack.last()) {
            (None, Some(f)) => f,
            _ => &self.file,
        };
        if loc.file != *file {
            loc.file.clone_from(file);
        }
        loc.line = self.line_override.unwrap_or(self.line);
        loc
    }

    fn job_loc_done(&mut self, loc: Loc) {
        self.job_loc = loc;
    }

    pub fn loc(&self) -> Loc {
        Loc {
            file: match (self.line_override, self.file_stack.last()) {
                (None, Some(f)) => f.clone(),
                _ => self.file.clone(),
            },
            line: self.line_override.unwrap_or(self.line),
        }
    }

    // ------------------------------------------------------------ lists

    /// One round of a loop's body (`for`, `while`/`until`, `for ((;;))`), as bash runs them:
    /// `break N` ends this loop (and `N - 1` more outward), `continue` goes on (`continue N`
    /// with N > 1 ends this loop and continues an outer one), another control flow or error
    /// ends the loop with it. Returns whether the loop ends.
    pub(crate) fn loop_body(
        &mut self,
        body: &List,
        io: &Io,
        status: &mut i32,
        result: &mut Result<(), Ctl>,
    ) -> bool {
        match self.exec_list(body, io) {
            Ok(s) => {
                *status = s;
                false
            }
            Err(Ctl::Break(n)) => {
                *status = 0;
                if n > 1 {
                    *result = Err(Ctl::Break(n - 1));
                }
                true
            }
            Err(Ctl::Continue(n)) => {
                *status = 0;
                if n > 1 {
                    *result = Err(Ctl::Continue(n - 1));
                    return true;
                }
                false
            }
            Err(e) => {
                *result = Err(e);
                true
            }
        }
    }

    pub fn exec_list(&mut self, list: &[ListItem], io: &Io) -> Res {
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
        // $PIPESTATUS: every stage's status (before `!`), one for a lone command.
        let taken = self.pipe_statuses.take();
        let one = [status];
        let stages: &[i32] = taken.as_deref().unwrap_or(&one);
        // (most commands leave it as it was, `(0)`: then it is not built again)
        let same = matches!(
            self.arrays.get("PIPESTATUS"),
            Some(Arr::Indexed(m)) if m.len() == stages.len()
                && m.iter().zip(stages).enumerate().all(|(i, ((k, v), s))| {
                    *k == i as i64 && is_decimal_of(v, *s)
                })
        );
        if !same {
            self.arrays.insert(
                "PIPESTATUS".to_string(),
                Arr::Indexed(
                    stages
                        .iter()
                        .enumerate()
                        .map(|(i, s)| (i as i64, s.to_string()))
                        .collect(),
                ),
            );
        }
        if p.bang {
            status = i32::from(status == 0);
        }
        self.status = status;
        let checked = p.cmds.len() > 1
            || matches!(
                p.cmds.first(),
                Some(Command::Simple(_))
                    | Some(Command::Compound(
                        Compound::Arith(..) | Compound::Cond(..) | Compound::Subshell(_),
                        _
                    ))
            );
        if status != 0 && !p.bang && self.ignore_err == 0 && checked {
            self.failures += 1;
            let words: Vec<String> = self.last_argv.iter().map(|a| xtrace_quote(a)).collect();
            let loc = self.loc();
            self.host.command_failed(&loc, &words.join(" "), status);
            // the ERR trap is not inherited by functions (no `set -E`); $LINENO is the
            // failed command's
            if self.funcname.is_empty() {
                self.line = p.line;
                self.run_err_trap(io);
            }
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
        let (statuses, _) = self.run_stages(p, io, p.cmds.len());
        let last = statuses.last().copied().unwrap_or(0);
        self.pipe_statuses = Some(statuses.clone());
        Ok(self.pipeline_status(&statuses, last))
    }

    /// The status of a pipeline whose stages ended with `statuses` (`set -o pipefail`: the
    /// last failing stage's).
    fn pipeline_status(&self, statuses: &[i32], last: i32) -> i32 {
        if self.pipefail {
            statuses
                .iter()
                .rev()
                .find(|s| **s != 0)
                .copied()
                .unwrap_or(last)
        } else {
            last
        }
    }

    /// Runs the first `upto` stages of a pipeline one after the other, each reading what the
    /// one before wrote; returns their statuses and the output of the last stage run when it
    /// was not the pipeline's last one (the input of the next stage).
    fn run_stages(&mut self, p: &Pipeline, io: &Io, upto: usize) -> (Vec<i32>, Stdin) {
        let mut input = io.stdin.clone();
        let mut statuses = Vec::new();
        let n = p.cmds.len();
        for (i, cmd) in p.cmds.iter().enumerate().take(upto) {
            let last = i + 1 == n;
            let buf = if last { None } else { Some(self.alloc_buf()) };
            let err_too = p.err_pipe.get(i).copied().unwrap_or(false);
            let stage_io = Io {
                stdin: std::mem::take(&mut input),
                out: buf.map_or(io.out, Dest::Buf),
                err: match buf {
                    Some(b) if err_too => Dest::Buf(b),
                    _ => io.err,
                },
            };
            // every stage runs in a subshell: exit/break end only that stage
            let saved_loop = self.loop_depth;
            self.loop_depth = 0;
            let st = match self.exec_command(cmd, &stage_io) {
                Ok(s) | Err(Ctl::Exit(s)) | Err(Ctl::Abort(s)) => s,
                Err(_) => 0,
            };
            self.loop_depth = saved_loop;
            statuses.push(st);
            if let Some(b) = buf {
                input = Stdin::new(self.take_buf(b));
            }
        }
        (statuses, input)
    }

    fn exec_command(&mut self, cmd: &Command, io: &Io) -> Res {
        match cmd {
            Command::Marker(m) => {
                self.host.marker(m);
                Ok(self.status)
            }
            Command::FuncDef {
                name, body, text, ..
            } => {
                if self.readonly.contains(&format!("f:{name}")) {
                    self.error(io.err, &format!("{name}: readonly function"));
                    return Ok(1);
                }
                self.define_function(name, body, text);
                self.status = 0;
                Ok(0)
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
            Compound::Subshell(list) => {
                let saved_loop = self.loop_depth;
                let r = self.subshell(|sh| sh.exec_list(list, io));
                self.loop_depth = saved_loop;
                let st = match r {
                    Ok(s) | Err(Ctl::Exit(s)) | Err(Ctl::Return(s)) | Err(Ctl::Abort(s)) => s,
                    Err(_) => self.status,
                };
                self.status = st;
                Ok(st)
            }
            Compound::Case { word, arms } => self.case_command(word, arms, io),
            Compound::Arith(parts, line) => self.arith_command(parts, *line, io),
            Compound::ForArith {
                init,
                cond,
                step,
                body,
                line,
            } => self.for_arith(init, cond, step, body, *line, io),
            Compound::Cond(e, line) => self.cond_command(e, *line, io),
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
                    if let Err(m) = self.assign_var(var, it) {
                        self.error(io.err, &m);
                    }
                    if self.loop_body(body, io, &mut status, &mut result) {
                        break;
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
                    if self.loop_body(body, io, &mut status, &mut result) {
                        break;
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
        if msg.starts_with(ABORT_MARK) {
            return Err(Ctl::Abort(1));
        }
        Err(Ctl::Exit(1))
    }

    // ------------------------------------------------------------ simple commands

    fn exec_simple(&mut self, cmd: &SimpleCmd, io: &Io) -> Res {
        self.line = cmd.line;
        self.procsub_count = 0;
        self.commands_run += 1;
        if self.host.stopped() {
            return Err(Ctl::Exit(3));
        }
        if self.commands_run > self.max_commands {
            if self.commands_run == self.max_commands + 1 {
                let m = format!(
                    "nslab: more than {} commands run (endless loop?): stopping (raise the limit with --max-commands N)",
                    self.max_commands
                );
                self.error(Dest::Tty(Stream::Stderr), &m);
                self.host.limit_hit(&m);
            }
            return Err(Ctl::Exit(124));
        }
        self.subst_status = None;
        if let Some(first) = cmd.words.first().and_then(Word::as_plain) {
            if DECLARATION.contains(&first) && !self.funcs.contains_key(first) {
                for a in &cmd.assigns {
                    if let Err(m) = self.do_assign(a, io.err) {
                        self.error(io.err, &m);
                    }
                }
                let (io2, files) = match self.open_redirs(&cmd.redirs, io) {
                    Ok(x) => x,
                    Err(st) => return Ok(st),
                };
                let r = self.declaration(cmd, &io2);
                if self.xtrace {
                    let mut words = Vec::new();
                    for w in &cmd.words {
                        match w.parts.as_slice() {
                            [WordPart::AssignWord(a, _)] => words.push(self.assign_trace(a)),
                            _ => words.push(word_source(w)),
                        }
                    }
                    let t = format!("{} {}\n", "+".repeat(self.subst_depth + 1), words.join(" "));
                    self.write_err(io.err, t.as_bytes());
                }
                self.close_redirs(files, io.err);
                return r;
            }
        }
        let argv = match self.command_argv(cmd, io.err) {
            Ok(argv) => argv,
            Err(m) => return self.expansion_failed(&m, io),
        };
        self.line = cmd.line;
        if argv.is_empty() {
            let mut st = 0;
            for a in &cmd.assigns {
                if let Err(m) = self.do_assign(a, io.err) {
                    if m.ends_with("readonly variable") {
                        self.error(io.err, &m);
                        self.status = 1;
                        return Err(Ctl::Abort(1));
                    }
                    if m.ends_with("unbound variable")
                        || m.contains("parameter null or not set")
                        || m.starts_with(ABORT_MARK)
                        || m.contains(": ")
                    {
                        return self.expansion_failed(&m, io);
                    }
                    self.error(io.err, &m);
                    st = 1;
                }
                if self.xtrace {
                    let t = format!(
                        "{} {}\n",
                        "+".repeat(self.subst_depth + 1),
                        self.assign_trace(a)
                    );
                    self.write_err(io.err, t.as_bytes());
                }
            }
            let st = if st != 0 {
                st
            } else {
                self.subst_status.unwrap_or(0)
            };
            let (_, files) = match self.open_redirs(&cmd.redirs, io) {
                Ok(x) => x,
                Err(st) => return Ok(st),
            };
            self.close_redirs(files, io.err);
            return Ok(st);
        }
        let argv = Rc::new(argv);
        self.last_argv = Rc::clone(&argv);
        let mut assigns = Vec::new();
        for a in &cmd.assigns {
            let AssignValue::Scalar(w) = &a.value else {
                continue;
            };
            match self.expand_string(&w.parts, io.err) {
                Ok(v) => assigns.push((a.name.clone(), v)),
                Err(m) => return self.expansion_failed(&m, io),
            }
        }
        if self.xtrace {
            let plus = "+".repeat(self.subst_depth + 1);
            for (n, v) in &assigns {
                let t = format!("{plus} {n}={}\n", xtrace_quote(v));
                self.write_err(io.err, t.as_bytes());
            }
            let words: Vec<String> = argv.iter().map(|a| xtrace_quote(a)).collect();
            let t = format!("{plus} {}\n", words.join(" "));
            self.write_err(io.err, t.as_bytes());
        }
        // `VAR=x cmd`: exported for the command only
        let saved: Vec<(String, Option<String>, bool)> = assigns
            .iter()
            .map(|(n, _)| {
                (
                    n.clone(),
                    self.vars.get(n).cloned(),
                    self.exported.contains(n),
                )
            })
            .collect();
        for (n, v) in assigns {
            self.exported.insert(n.clone());
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
        let full = self.close_redirs_of(files, io.err, argv.first().map(String::as_str));
        self.restore(saved);
        if let Some(st) = full {
            return r.map(|_| st);
        }
        r
    }

    fn restore(&mut self, saved: Vec<(String, Option<String>, bool)>) {
        for (n, v, exp) in saved {
            if !exp {
                self.exported.remove(&n);
            }
            match v {
                Some(v) => self.vars.insert(n, v),
                None => self.vars.remove(&n),
            };
        }
    }

    /// Runs an expanded command: a shell builtin, or a program of the table
    /// ([`crate::programs`]).
    pub fn dispatch(&mut self, argv: &[String], io: &Io) -> Res {
        let name = argv[0].as_str();
        if let Some(f) = self.funcs.get(name).cloned() {
            return self.call_function(f, argv, io);
        }
        if let Some(r) = self.lang_builtin(argv, io) {
            if let Some(c) = self.pending_ctl.take() {
                return Err(c);
            }
            return r;
        }
        if programs::lookup(name) == Some(Kind::Special) || name == "command" || name == "exec" {
            if name == "command" || name == "exec" {
                return self.wrapper(Wrapper::from_name(name), argv, io);
            }
            if builtins::is_builtin(name) {
                return builtins::run(self, argv, io);
            }
            self.error(
                io.err,
                &format!("{name}: shell builtin not supported by nslab"),
            );
            return Ok(2);
        }
        self.exec_program(argv, io)
    }

    /// Runs a program as `execve` would find it (no shell functions, no special builtins):
    /// the same code at the top level and under every wrapper.
    pub fn exec_program(&mut self, argv: &[String], io: &Io) -> Res {
        match programs::lookup_argv(argv) {
            Some(Kind::Builtin) | Some(Kind::Text) => {
                let mut a = argv.to_vec();
                a[0] = base_name(&argv[0]).to_string();
                builtins::run(self, &a, io)
            }
            Some(Kind::Userland) => {
                let Some(prog) = userland::programs::find(&argv[0]) else {
                    return Ok(127);
                };
                let env = self.environment();
                let pwd = self.pwd.clone();
                self.host.set_netns(self.cur_ns);
                let input = io.stdin.take();
                let out = self.host.run_userland(prog, argv, &input, &env, &pwd);
                self.write(io.out, &out.stdout);
                self.write_err(io.err, &out.stderr);
                Ok(out.status)
            }
            Some(Kind::Wrapper(w)) => self.wrapper(w, argv, io),
            _ => {
                let loc = self.loc();
                self.host.set_netns(self.cur_ns);
                let input = io.stdin.rest();
                let out = self.host.run(argv, &input, &loc);
                if !out.order.is_empty() {
                    // A program whose stdout reaches its file at every line (ping): both
                    // streams in the order it wrote them, as one file (`2>&1`, the terminal
                    // the recorder captures) shows them.
                    self.write_in_order(io, &out, &loc);
                } else if matches!((io.out, io.err), (Dest::Buf(a), Dest::Buf(b)) if a == b) {
                    // `2>&1` into a pipe or file: the program's stdout there is fully
                    // buffered and written at exit, its stderr at once (tcpdump's and
                    // traceroute's banners come before their lines)
                    self.write_prog_err(io.err, &out, &loc);
                    self.write(io.out, &out.stdout);
                } else {
                    self.write(io.out, &out.stdout);
                    self.write_prog_err(io.err, &out, &loc);
                }
                Ok(out.status)
            }
        }
    }

    /// Writes a program's stdout and stderr piece by piece in the order of `out.order`; on the
    /// terminal's stderr, nslab's `FILE:LINE: ` pointer comes before the first stderr piece (as
    /// `write_prog_err` puts it before the whole).
    fn write_in_order(&mut self, io: &Io, out: &CmdOutput, loc: &Loc) {
        let (mut o, mut e) = (0, 0);
        let mut pointer = out.located && io.err == Dest::Tty(Stream::Stderr);
        for (i, &(at, _)) in out.order.iter().enumerate() {
            let at = at.clamp(o, out.stdout.len());
            self.write(io.out, &out.stdout[o..at]);
            o = at;
            // this stderr write, up to the next one
            let end = out
                .order
                .get(i + 1)
                .map_or(out.stderr.len(), |&(_, n)| n)
                .clamp(e, out.stderr.len());
            if pointer && end > e {
                pointer = false;
                self.host
                    .emit_loc(format!("{}:{}: ", loc.file, loc.line).as_bytes());
            }
            self.write_err(io.err, &out.stderr[e..end]);
            e = end;
        }
        self.write(io.out, &out.stdout[o..]);
        if pointer && out.stderr.len() > e {
            self.host
                .emit_loc(format!("{}:{}: ", loc.file, loc.line).as_bytes());
        }
        self.write_err(io.err, &out.stderr[e..]);
    }

    /// The exported variables (a program's environment).
    pub fn environment(&self) -> BTreeMap<String, String> {
        self.exported
            .iter()
            .filter_map(|n| self.vars.get(n).map(|v| (n.clone(), v.clone())))
            .collect()
    }

    /// The program a namespace wrapper (`nsenter`, `unshare`) is to run: none (an interactive
    /// shell, not modelled) or one that cannot be found (util-linux's `failed to execute`)
    /// gives the wrapper's status 127; None when it can run.
    fn wrapped_program_missing(&mut self, tool: &str, prog: &[String], io: &Io) -> Option<i32> {
        let Some(p) = prog.first() else {
            let m = format!("nslab: an interactive shell from {tool} is not modelled yet");
            self.tool_err(io.err, &m);
            self.host.not_modelled(&format!("{tool} without a program"));
            return Some(127);
        };
        if !runnable(p) {
            let m = format!("{tool}: failed to execute {p}: No such file or directory");
            self.tool_err(io.err, &m);
            return Some(127);
        }
        None
    }

    /// A wrapper's own error, prefixed as the lab prefixes a tool's stderr (`lab.sh:7: `).
    fn tool_err(&mut self, err: Dest, text: &str) {
        let loc = self.loc();
        let o = CmdOutput {
            stderr: format!("{text}\n").into_bytes(),
            located: true,
            ..CmdOutput::default()
        };
        self.write_prog_err(err, &o, &loc);
    }

    /// Runs `argv` as a program in namespace `ns`.
    fn program_in(&mut self, ns: u32, argv: &[String], io: &Io) -> Res {
        let saved = std::mem::replace(&mut self.cur_ns, ns);
        self.host.set_netns(ns);
        let r = self.exec_program(argv, io);
        self.cur_ns = saved;
        self.host.set_netns(self.cur_ns);
        r
    }

    /// A program that runs another one (`ip netns exec`, `sudo`, `nsenter`, `env`, `timeout`,
    /// `bash -c`, `command`, `exec`, `xargs`).
    fn wrapper(&mut self, w: Wrapper, argv: &[String], io: &Io) -> Res {
        match w {
            Wrapper::IpNetnsExec => {
                if argv[1..]
                    .iter()
                    .take_while(|a| a.starts_with('-'))
                    .any(|a| a == "-all" || a == "-a")
                {
                    self.tool_err(io.err, "nslab: ip -all netns exec is not modelled yet");
                    self.host.not_modelled("ip -all netns exec");
                    return Ok(127);
                }
                let (name, prog) = programs::ip_netns_exec_split(argv);
                let Some(name) = name else {
                    self.tool_err(io.err, "No netns name specified");
                    return Ok(255);
                };
                if prog.is_empty() {
                    self.tool_err(io.err, "No command specified");
                    return Ok(255);
                }
                let Some(ns) = self.host.netns_open(name) else {
                    self.tool_err(
                        io.err,
                        &format!(
                            "Cannot open network namespace \"{name}\": No such file or directory"
                        ),
                    );
                    return Ok(255);
                };
                if !runnable(&prog[0]) {
                    let m = format!("exec of \"{}\" failed: No such file or directory", prog[0]);
                    self.tool_err(io.err, &m);
                    return Ok(1);
                }
                self.program_in(ns, prog, io)
            }
            Wrapper::Sudo => {
                let mut i = 1;
                while i < argv.len() && argv[i].starts_with('-') {
                    let a = argv[i].as_str();
                    i += 1;
                    if a == "--" {
                        break;
                    }
                    if matches!(
                        a,
                        "-u" | "-g" | "-C" | "-D" | "-h" | "-p" | "-r" | "-t" | "-U"
                    ) {
                        i += 1;
                    }
                }
                let mut assigns = Vec::new();
                while i < argv.len() {
                    match argv[i].split_once('=') {
                        Some((n, v)) if valid_name(n) => {
                            assigns.push((n.to_string(), v.to_string()))
                        }
                        _ => break,
                    }
                    i += 1;
                }
                let prog = argv.get(i..).unwrap_or(&[]);
                if prog.is_empty() {
                    self.tool_err(io.err, "usage: sudo -h | -K | -k | -V");
                    return Ok(1);
                }
                if !runnable(&prog[0]) {
                    let m = format!("sudo: {}: command not found", prog[0]);
                    self.tool_err(io.err, &m);
                    return Ok(1);
                }
                self.with_env(&assigns, false, |sh| sh.exec_program(prog, io))
            }
            Wrapper::Env => {
                let mut i = 1;
                let mut clear = false;
                let mut unset = Vec::new();
                while i < argv.len() && argv[i].starts_with('-') {
                    match argv[i].as_str() {
                        "-i" | "-" | "--ignore-environment" => clear = true,
                        "-u" => {
                            i += 1;
                            unset.extend(argv.get(i).cloned());
                        }
                        "--" => {
                            i += 1;
                            break;
                        }
                        _ => {}
                    }
                    i += 1;
                }
                let mut assigns = Vec::new();
                while i < argv.len() {
                    match argv[i].split_once('=') {
                        Some((n, v)) if !n.is_empty() => {
                            assigns.push((n.to_string(), v.to_string()))
                        }
                        _ => break,
                    }
                    i += 1;
                }
                let prog = argv.get(i..).unwrap_or(&[]).to_vec();
                self.with_env(&assigns, clear, |sh| {
                    for u in &unset {
                        sh.exported.remove(u);
                    }
                    if prog.is_empty() {
                        let mut s = String::new();
                        for (n, v) in sh.environment() {
                            s.push_str(&format!("{n}={v}\n"));
                        }
                        sh.write(io.out, s.as_bytes());
                        return Ok(0);
                    }
                    if !runnable(&prog[0]) {
                        let m = format!(
                            "env: \u{2018}{}\u{2019}: No such file or directory",
                            prog[0]
                        );
                        sh.tool_err(io.err, &m);
                        return Ok(127);
                    }
                    sh.exec_program(&prog, io)
                })
            }
            Wrapper::Timeout => {
                let mut i = 1;
                while i < argv.len() && argv[i].starts_with('-') && argv[i].len() > 1 {
                    let a = argv[i].as_str();
                    i += 1;
                    if a == "--" {
                        break;
                    }
                    if matches!(a, "-s" | "-k" | "--signal" | "--kill-after") {
                        i += 1;
                    }
                }
                if i >= argv.len() {
                    self.tool_err(
                        io.err,
                        "timeout: missing operand\nTry 'timeout --help' for more information.",
                    );
                    return Ok(125);
                }
                let dur = argv[i].clone();
                let prog = argv.get(i + 1..).unwrap_or(&[]);
                if parse_duration(&dur).is_none() {
                    let m = format!("timeout: invalid time interval \u{2018}{dur}\u{2019}\nTry 'timeout --help' for more information.");
                    self.tool_err(io.err, &m);
                    return Ok(125);
                }
                if prog.is_empty() {
                    let m = format!("timeout: missing operand after \u{2018}{dur}\u{2019}\nTry 'timeout --help' for more information.");
                    self.tool_err(io.err, &m);
                    return Ok(125);
                }
                if !runnable(&prog[0]) {
                    let m = format!(
                        "timeout: failed to run command \u{2018}{}\u{2019}: No such file or directory",
                        prog[0]
                    );
                    self.tool_err(io.err, &m);
                    return Ok(127);
                }
                let secs = parse_duration(&dur).unwrap_or(0.0);
                if base_name(&prog[0]) == "sleep" {
                    // the shell's sleep: cut at the deadline
                    let want = prog.get(1).and_then(|a| parse_duration(a)).unwrap_or(0.0);
                    if want > secs {
                        self.host.sleep(secs);
                        return Ok(124);
                    }
                }
                self.host.set_timeout(Some(secs));
                let r = self.exec_program(prog, io);
                self.host.set_timeout(None);
                r
            }
            Wrapper::Nsenter => {
                let (path, i) = match nsenter_args(argv) {
                    Ok(x) => x,
                    Err(m) => {
                        self.tool_err(io.err, &m);
                        return Ok(1);
                    }
                };
                let ns = self.netns_of_path(&path);
                let Some(ns) = ns else {
                    let m = format!("nsenter: cannot open {path}: No such file or directory");
                    self.tool_err(io.err, &m);
                    return Ok(1);
                };
                let prog = argv.get(i..).unwrap_or(&[]);
                if let Some(status) = self.wrapped_program_missing("nsenter", prog, io) {
                    return Ok(status);
                }
                self.program_in(ns, prog, io)
            }
            Wrapper::Unshare => {
                let (net, i) = match unshare_args(argv) {
                    UnshareOpts::Run { net, prog } => (net, prog),
                    UnshareOpts::Version => {
                        self.write(io.out, b"unshare from util-linux 2.38.1\n");
                        return Ok(0);
                    }
                    UnshareOpts::NotModelled(w) => {
                        self.tool_err(io.err, &format!("nslab: unshare {w} is not modelled yet"));
                        self.host.not_modelled(&format!("unshare {w}"));
                        return Ok(127);
                    }
                    UnshareOpts::Usage(m) => {
                        let m = format!("{m}Try 'unshare --help' for more information.");
                        self.tool_err(io.err, &m);
                        return Ok(1);
                    }
                };
                let prog = argv.get(i..).unwrap_or(&[]);
                if let Some(status) = self.wrapped_program_missing("unshare", prog, io) {
                    return Ok(status);
                }
                if !net {
                    return self.exec_program(prog, io);
                }
                let Some(ns) = self.host.netns_unshare() else {
                    return self.exec_program(prog, io);
                };
                let r = self.program_in(ns, prog, io);
                self.host.netns_release(ns);
                r
            }
            Wrapper::Shell => Ok(self.shell_program(argv, io)),
            Wrapper::Command => self.command_builtin(argv, io),
            Wrapper::Exec => {
                if argv.len() == 1 {
                    return Ok(0);
                }
                let prog = &argv[1..];
                if !runnable(&prog[0]) {
                    let m = format!("{}: not found", prog[0]);
                    self.error(io.err, &m);
                    return Err(Ctl::Exit(127));
                }
                let st = self.exec_program(prog, io)?;
                Err(Ctl::Exit(st))
            }
            Wrapper::Xargs => Ok(self.xargs(argv, io)),
            Wrapper::Transparent => {
                let mut i = 1;
                // util-linux's chrt and taskset: their own options, then a program they
                // exec (its failure in their words, status 127).
                let util_linux: Option<(ArgsFn, &str)> = match base_name(&argv[0]) {
                    "chrt" => Some((programs::chrt_args, "chrt other than POLICY PRIO PROG")),
                    "taskset" => Some((
                        programs::taskset_args,
                        "taskset other than [-c] SET-WITH-CPU-0 PROG",
                    )),
                    _ => None,
                };
                if let Some((args, unmodelled)) = util_linux {
                    match args(argv) {
                        Ok(p) => i = p,
                        Err(Some(m)) => {
                            self.tool_err(io.err, &m);
                            return Ok(1);
                        }
                        Err(None) => {
                            let m = format!("nslab: {} is not modelled yet", argv.join(" "));
                            self.tool_err(io.err, &m);
                            self.host.not_modelled(unmodelled);
                            return Ok(1);
                        }
                    }
                    if !runnable(&argv[i]) {
                        let m = format!(
                            "{}: failed to execute {}: No such file or directory",
                            base_name(&argv[0]),
                            argv[i]
                        );
                        self.tool_err(io.err, &m);
                        return Ok(127);
                    }
                }
                if base_name(&argv[0]) == "stdbuf" {
                    while i < argv.len() && argv[i].starts_with('-') {
                        i += 1;
                    }
                }
                let prog = argv.get(i..).unwrap_or(&[]);
                if prog.is_empty() || !runnable(&prog[0]) {
                    let m = format!(
                        "{}: failed to run command \u{2018}{}\u{2019}: No such file or directory",
                        base_name(&argv[0]),
                        prog.first().map(String::as_str).unwrap_or("")
                    );
                    self.tool_err(io.err, &m);
                    return Ok(127);
                }
                self.exec_program(prog, io)
            }
        }
    }

    /// The namespace a `/var/run/netns/NAME`, `/run/netns/NAME` or `/proc/PID/ns/net` path
    /// names.
    fn netns_of_path(&mut self, path: &str) -> Option<u32> {
        let cur = self.cur_ns;
        self.netns_of_path_in(path, cur)
    }

    /// As [`Shell::netns_of_path`], `/proc/self` being namespace `cur`.
    fn netns_of_path_in(&mut self, path: &str, cur: u32) -> Option<u32> {
        if let Some(name) = path
            .strip_prefix("/var/run/netns/")
            .or_else(|| path.strip_prefix("/run/netns/"))
        {
            return self.host.netns_open(name);
        }
        let pid = path.strip_prefix("/proc/")?.strip_suffix("/ns/net")?;
        if pid == "self" || pid == "4000" || pid == "$$" {
            return Some(cur);
        }
        if pid == "1" {
            // init lives in the lab's initial namespace
            return Some(0);
        }
        let pid: u32 = pid.parse().ok()?;
        self.jobs.iter().find(|j| j.pid == pid).map(|j| j.ns)
    }

    /// Runs `f` with `assigns` exported (and nothing else when `clear`), then restores.
    fn with_env(
        &mut self,
        assigns: &[(String, String)],
        clear: bool,
        f: impl FnOnce(&mut Self) -> Res,
    ) -> Res {
        let saved_vars = self.vars.clone();
        let saved_exp = self.exported.clone();
        if clear {
            self.exported.clear();
        }
        for (n, v) in assigns {
            self.vars.insert(n.clone(), v.clone());
            self.exported.insert(n.clone());
        }
        let r = f(self);
        self.vars = saved_vars;
        self.exported = saved_exp;
        r
    }

    /// `command [-pVv] NAME [ARGS...]`.
    fn command_builtin(&mut self, argv: &[String], io: &Io) -> Res {
        let mut i = 1;
        let mut mode = None;
        while i < argv.len() && argv[i].starts_with('-') && argv[i].len() > 1 {
            if argv[i] == "--" {
                i += 1;
                break;
            }
            for c in argv[i][1..].chars() {
                match c {
                    'v' => mode = Some('v'),
                    'V' => mode = Some('V'),
                    'p' => {}
                    _ => {
                        self.error(io.err, &format!("command: -{c}: invalid option"));
                        self.error(io.err, "command: usage: command [-pVv] command [arg ...]");
                        return Ok(2);
                    }
                }
            }
            i += 1;
        }
        let names = argv.get(i..).unwrap_or(&[]);
        match mode {
            None => {
                if names.is_empty() {
                    return Ok(0);
                }
                if programs::lookup(&names[0]) == Some(Kind::Special)
                    || names[0] == "command"
                    || names[0] == "exec"
                {
                    return self.dispatch(names, io);
                }
                self.exec_program(names, io)
            }
            Some(m) => {
                let mut st = 0;
                for n in names {
                    let text = self.describe(n, m == 'V');
                    match text {
                        Some(t) => self.write(io.out, format!("{t}\n").as_bytes()),
                        None => {
                            st = 1;
                            if m == 'V' {
                                self.error(io.err, &format!("command: {n}: not found"));
                            }
                        }
                    }
                }
                Ok(st)
            }
        }
    }

    /// What `command -v` (`verbose`: `command -V`, `type`) says of a name.
    pub fn describe(&mut self, n: &str, verbose: bool) -> Option<String> {
        if is_keyword(n) {
            return Some(if verbose {
                format!("{n} is a shell keyword")
            } else {
                n.to_string()
            });
        }
        if self.has_function(n) {
            return Some(if verbose {
                self.function_text(n)
                    .map(|t| format!("{n} is a function\n{t}"))
                    .unwrap_or_else(|| format!("{n} is a function"))
            } else {
                n.to_string()
            });
        }
        if programs::is_bash_builtin(n) {
            return Some(if verbose {
                format!("{n} is a shell builtin")
            } else {
                n.to_string()
            });
        }
        let p = programs::path_of(n)?;
        Some(if verbose { format!("{n} is {p}") } else { p })
    }

    /// `xargs [-0] [-r] [-n N] [-I R] [PROG ARGS...]`.
    fn xargs(&mut self, argv: &[String], io: &Io) -> i32 {
        let mut i = 1;
        let mut max_n: Option<usize> = None;
        let mut repl: Option<String> = None;
        let mut nul = false;
        while i < argv.len() && argv[i].starts_with('-') && argv[i].len() > 1 {
            let a = argv[i].clone();
            i += 1;
            match a.as_str() {
                "--" => break,
                "-0" | "--null" => nul = true,
                "-r" | "--no-run-if-empty" | "-t" => {}
                "-n" => {
                    max_n = argv.get(i).and_then(|v| v.parse().ok());
                    i += 1;
                }
                "-I" => {
                    repl = argv.get(i).cloned();
                    i += 1;
                }
                a if a.starts_with("-n") => max_n = a[2..].parse().ok(),
                a if a.starts_with("-I") => repl = Some(a[2..].to_string()),
                _ => {}
            }
        }
        let mut prog: Vec<String> = argv.get(i..).unwrap_or(&[]).to_vec();
        if prog.is_empty() {
            prog.push("echo".into());
        }
        let input = String::from_utf8_lossy(&io.stdin.take()).into_owned();
        let items: Vec<String> = if nul {
            input
                .split('\0')
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        } else if repl.is_some() {
            input
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.trim().to_string())
                .collect()
        } else {
            input.split_whitespace().map(String::from).collect()
        };
        if !runnable(&prog[0]) {
            let m = format!("xargs: {}: No such file or directory", prog[0]);
            self.tool_err(io.err, &m);
            return 127;
        }
        let sub_io = Io {
            stdin: Stdin::default(),
            out: io.out,
            err: io.err,
        };
        let batches: Vec<Vec<String>> = match (&repl, max_n) {
            (Some(r), _) => items
                .iter()
                .map(|it| prog.iter().map(|a| a.replace(r.as_str(), it)).collect())
                .collect(),
            (None, Some(n)) if n > 0 => items
                .chunks(n)
                .map(|c| prog.iter().cloned().chain(c.iter().cloned()).collect())
                .collect(),
            _ if items.is_empty() && base_name(&prog[0]) != "echo" => Vec::new(),
            _ => vec![prog.iter().cloned().chain(items.iter().cloned()).collect()],
        };
        let mut status = 0;
        for b in batches {
            match self.exec_program(&b, &sub_io) {
                Ok(0) => {}
                Ok(255) => return 124,
                Ok(_) => status = 123,
                Err(_) => status = 1,
            }
        }
        status
    }

    /// `bash`/`sh` as a program: `[-exuv] [-o OPT] -c STRING [ARG0 ARGS...]`, `FILE [ARGS...]`,
    /// or the script on stdin; run in a subshell (nothing leaks back).
    fn shell_program(&mut self, argv: &[String], io: &Io) -> i32 {
        let prog = base_name(&argv[0]).to_string();
        let mut i = 1;
        let mut cmd_mode = false;
        let mut flags: Vec<(char, bool)> = Vec::new();
        while i < argv.len() {
            let a = argv[i].as_str();
            if a == "--" || a == "-" {
                i += 1;
                break;
            }
            if a.starts_with("--") {
                i += 1;
                continue;
            }
            let (on, rest) = match a.strip_prefix('-') {
                Some(r) if !r.is_empty() => (true, r),
                _ => match a.strip_prefix('+') {
                    Some(r) if !r.is_empty() => (false, r),
                    _ => break,
                },
            };
            i += 1;
            for c in rest.chars() {
                match c {
                    'c' => cmd_mode = true,
                    'o' => {
                        if argv.get(i).map(String::as_str) == Some("pipefail") {
                            flags.push(('p', on));
                        }
                        i += 1;
                    }
                    c => flags.push((c, on)),
                }
            }
        }
        let (src, label, pos) = if cmd_mode {
            let Some(src) = argv.get(i) else {
                let m = format!("{prog}: -c: option requires an argument\n");
                self.write_err(io.err, m.as_bytes());
                return 2;
            };
            let pos = if argv.len() > i + 1 {
                argv[i + 1..].to_vec()
            } else {
                vec![prog.clone()]
            };
            (src.clone(), format!("{prog}: -c"), pos)
        } else if let Some(file) = argv.get(i) {
            match self.host.read_source(file) {
                Ok(d) => (
                    String::from_utf8_lossy(&d).into_owned(),
                    file.clone(),
                    argv[i..].to_vec(),
                ),
                Err(_) => {
                    let m = format!("{prog}: {file}: No such file or directory\n");
                    self.write_err(io.err, m.as_bytes());
                    return 127;
                }
            }
        } else {
            (
                String::from_utf8_lossy(&io.stdin.take()).into_owned(),
                prog.clone(),
                vec![prog.clone()],
            )
        };
        if self.shell_depth >= MAX_SHELL_DEPTH || self.stack_exhausted() {
            let m = format!(
                "{prog}: nslab: more than {MAX_SHELL_DEPTH} nested shells (endless recursion?): stopping\n"
            );
            self.write_err(io.err, m.as_bytes());
            return 126;
        }
        let script = match parser::parse(&src, &label) {
            Ok(s) => s,
            Err(e) => {
                let m = format!("{e}\n");
                self.write_err(io.err, m.as_bytes());
                return 2;
            }
        };
        let sub_io = Io {
            stdin: if cmd_mode || argv.get(i).is_some() {
                io.stdin.clone()
            } else {
                Stdin::default()
            },
            out: io.out,
            err: io.err,
        };
        self.shell_depth += 1;
        let st = self.subshell(|sh| {
            sh.positional = pos;
            // a new bash: only exported functions (`export -f`) come along
            let exported = sh.exported_funcs.clone();
            sh.funcs.retain(|n, _| exported.contains(n));
            sh.label = label;
            if cmd_mode {
                let outer = sh.line_override.unwrap_or(sh.line);
                sh.line_override = Some(outer);
            }
            for (c, on) in flags {
                match c {
                    'e' => sh.errexit = on,
                    'x' => sh.xtrace = on,
                    'u' => sh.nounset = on,
                    'v' => sh.verbose = on,
                    'p' => sh.pipefail = on,
                    _ => {}
                }
            }
            // a new shell: not in a function, loop or condition of its parent
            sh.ignore_err = 0;
            let mut status = 0;
            for item in &script.items {
                match sh.exec_list(&item.list, &sub_io) {
                    Ok(s) => status = s,
                    Err(Ctl::Exit(s)) | Err(Ctl::Abort(s)) => {
                        status = s;
                        break;
                    }
                    Err(_) => {}
                }
            }
            Ok(status)
        });
        self.shell_depth -= 1;
        match st {
            Ok(s) | Err(Ctl::Exit(s)) | Err(Ctl::Abort(s)) => s,
            Err(_) => self.status,
        }
    }

    /// Runs `f` in a subshell: variables, options, positional parameters, functions, the
    /// working directory and the namespace are restored afterwards.
    pub fn subshell(&mut self, f: impl FnOnce(&mut Self) -> Res) -> Res {
        let saved = self.save_state();
        self.loop_depth = 0;
        let r = f(self);
        self.restore_state(saved);
        r
    }

    /// What a subshell changes and its parent gets back ([`Shell::subshell`]).
    fn save_state(&mut self) -> Saved {
        Saved {
            vars: self.vars.clone(),
            arrays: self.arrays.clone(),
            funcs: self.funcs.clone(),
            traps: std::mem::take(&mut self.traps),
            readonly: self.readonly.clone(),
            exported: self.exported.clone(),
            positional: self.positional.clone(),
            label: self.label.clone(),
            line_override: self.line_override,
            line: self.line,
            flags: (
                self.errexit,
                self.xtrace,
                self.verbose,
                self.pipefail,
                self.nounset,
                self.loop_depth,
            ),
            ignore_err: self.ignore_err,
            cur_ns: self.cur_ns,
            pwd: self.pwd.clone(),
        }
    }

    /// The subshell exits: its EXIT trap runs, then the parent's state comes back.
    fn restore_state(&mut self, saved: Saved) {
        let io = Io {
            stdin: Stdin::default(),
            out: Dest::Tty(Stream::Stdout),
            err: Dest::Tty(Stream::Stderr),
        };
        if self.traps.contains_key("EXIT") {
            self.run_exit_trap(&io);
        }
        self.traps = saved.traps;
        self.vars = saved.vars;
        self.arrays = saved.arrays;
        self.funcs = saved.funcs;
        self.readonly = saved.readonly;
        self.exported = saved.exported;
        self.positional = saved.positional;
        self.label = saved.label;
        self.line_override = saved.line_override;
        self.line = saved.line;
        (
            self.errexit,
            self.xtrace,
            self.verbose,
            self.pipefail,
            self.nounset,
            self.loop_depth,
        ) = saved.flags;
        self.ignore_err = saved.ignore_err;
        self.cur_ns = saved.cur_ns;
        self.pwd = saved.pwd;
        self.host.set_netns(self.cur_ns);
    }

    /// `nslab shell`'s `ip netns exec NS bash`: from now on the lines run in a new bash in
    /// namespace `ns` reading its script from standard input (as `ip netns exec NS bash
    /// <<'EOF'` runs them: label `bash`, lines counted from 1), until [`Shell::leave_child`].
    pub fn enter_child(&mut self, ns: u32) {
        let saved = self.save_state();
        self.child_stack.push(saved);
        self.loop_depth = 0;
        self.shell_depth += 1;
        self.positional = vec!["bash".to_string()];
        let exported = self.exported_funcs.clone();
        self.funcs.retain(|n, _| exported.contains(n));
        self.label = "bash".to_string();
        self.ignore_err = 0;
        self.cur_ns = ns;
        self.host.set_netns(ns);
    }

    /// Leaves the namespace's bash entered by [`Shell::enter_child`] (its `exit`).
    /// `loc` is the `ip netns exec NS bash` command's, which fails (as a command of the parent)
    /// with its bash's last status; it is reported as a script's `ip netns exec NS bash
    /// <<'EOF'` is, by the last command that ran.
    pub fn leave_child(&mut self, loc: &Loc) {
        if let Some(saved) = self.child_stack.pop() {
            let status = self.status;
            self.shell_depth -= 1;
            self.restore_state(saved);
            self.status = status;
            if status != 0 {
                self.failures += 1;
                let words: Vec<String> = self.last_argv.iter().map(|a| xtrace_quote(a)).collect();
                self.host.command_failed(loc, &words.join(" "), status);
            }
        }
    }

    /// An assignment as xtrace prints it once done: `a=x`, `'a=x y'` (declarations quote the
    /// whole word), `a=(1 2)`.
    pub(crate) fn assign_trace(&mut self, a: &Assign) -> String {
        let op = if a.append { "+=" } else { "=" };
        match &a.value {
            AssignValue::Scalar(_) if a.index.is_none() => {
                let v = self.get_var(&a.name).unwrap_or_default();
                let quoted = xtrace_quote(&v);
                if quoted == v {
                    format!("{}{op}{v}", a.name)
                } else {
                    format!("{}{op}{quoted}", a.name)
                }
            }
            AssignValue::Scalar(_) => format!("{}[...]{op}...", a.name),
            AssignValue::Array(_) => {
                let vals: Vec<String> = match self.arrays.get(&a.name) {
                    Some(Arr::Indexed(m)) => m.values().map(|v| xtrace_quote(v)).collect(),
                    Some(Arr::Assoc(m)) => m
                        .iter()
                        .map(|(k, v)| format!("[{k}]={}", xtrace_quote(v)))
                        .collect(),
                    None => Vec::new(),
                };
                format!("{}{op}({})", a.name, vals.join(" "))
            }
        }
    }

    /// Writes an xtrace line (`+ text`).
    pub(crate) fn trace(&mut self, err: Dest, text: &str) {
        if self.xtrace {
            let t = format!("{} {text}\n", "+".repeat(self.subst_depth + 1));
            self.write_err(err, t.as_bytes());
        }
    }

    /// Is `name` a shell function?
    pub fn has_function(&self, name: &str) -> bool {
        self.funcs.contains_key(name)
    }

    /// A function's text as `type` prints it (its source text).
    pub fn function_text(&self, name: &str) -> Option<String> {
        self.funcs.get(name).map(|f| f.text.clone())
    }

    /// A background command the host can run as a process: the namespace and argv after the
    /// wrappers that only choose where it runs (`ip netns exec`, `sudo`, `timeout`, `nohup`):
    /// `(ns, skip, None)` when the program's argv is `argv[skip..]`, `(ns, _, Some(argv))`
    /// when a wrapper gave another command line (`bash -c 'CMD'`). (`argv` is only read: the
    /// caller keeps it for a builtin when this is no program of the host.)
    fn spawn_target(&mut self, argv: &[String]) -> Option<(u32, usize, Option<Vec<String>>)> {
        let mut ns = self.cur_ns;
        if self.has_function(&argv[0]) {
            return None;
        }
        // the command line as the wrappers leave it: `argv[off..]`, or `owned[off..]` once a
        // wrapper gave another one
        let mut owned: Option<Vec<String>> = None;
        let mut off = 0;
        for _ in 0..16 {
            let a: &[String] = match &owned {
                Some(v) => &v[off..],
                None => &argv[off..],
            };
            match programs::lookup_argv(a) {
                Some(Kind::Wrapper(Wrapper::IpNetnsExec)) => {
                    let (name, prog) = programs::ip_netns_exec_split(a);
                    let name = name?;
                    if prog.is_empty() {
                        return None;
                    }
                    let skip = a.len() - prog.len();
                    ns = self.host.netns_open(name)?;
                    off += skip;
                }
                Some(Kind::Wrapper(Wrapper::Transparent)) if base_name(&a[0]) == "chrt" => {
                    off += programs::chrt_args(a).ok()?;
                }
                Some(Kind::Wrapper(Wrapper::Transparent)) if base_name(&a[0]) == "taskset" => {
                    off += programs::taskset_args(a).ok()?;
                }
                Some(Kind::Wrapper(Wrapper::Sudo)) | Some(Kind::Wrapper(Wrapper::Transparent))
                    if a.len() > 1 && !a[1].starts_with('-') && !a[1].contains('=') =>
                {
                    off += 1;
                }
                Some(Kind::Wrapper(Wrapper::Timeout))
                    if a.len() > 2 && parse_duration(&a[1]).is_some() =>
                {
                    off += 2;
                }
                Some(Kind::Wrapper(Wrapper::Nsenter)) => {
                    let (path, i) = nsenter_args(a).ok()?;
                    ns = self.netns_of_path_in(&path, ns)?;
                    if i >= a.len() {
                        return None;
                    }
                    off += i;
                }
                Some(Kind::Wrapper(Wrapper::Env)) => {
                    // assignments only (the host's programs take no environment)
                    let mut i = 1;
                    while i < a.len() && a[i].contains('=') && !a[i].starts_with('-') {
                        i += 1;
                    }
                    if i >= a.len() || a[i].starts_with('-') {
                        return None;
                    }
                    off += i;
                }
                Some(Kind::Wrapper(Wrapper::Shell))
                    if a.len() == 3 && a[1] == "-c" && self.funcs.is_empty() =>
                {
                    let v = plain_command(&a[2])?;
                    if v.is_empty() {
                        return None;
                    }
                    owned = Some(v);
                    off = 0;
                }
                Some(Kind::Kernel) | Some(Kind::Bird) | Some(Kind::NotModelled) | None => {
                    return Some(Self::target(ns, off, owned))
                }
                // `sleep N &` is a process on the simulated clock, not a pause of the lab
                Some(Kind::Text)
                    if base_name(&a[0]) == "sleep"
                        && a.len() > 1
                        && a[1..].iter().all(|x| parse_duration(x).is_some()) =>
                {
                    return Some(Self::target(ns, off, owned))
                }
                _ => return None,
            }
        }
        None
    }

    fn target(
        ns: u32,
        off: usize,
        owned: Option<Vec<String>>,
    ) -> (u32, usize, Option<Vec<String>>) {
        (
            ns,
            off,
            owned.map(|mut v| {
                v.drain(..off);
                v
            }),
        )
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
        if ao.rest.is_empty() && !ao.first.bang && ao.first.cmds.len() > 1 {
            return self.exec_background_pipeline(&ao.first, io);
        }
        let saved_loop = self.loop_depth;
        self.loop_depth = 0;
        self.ignore_err += 1;
        let st = match self.exec_and_or(ao, io) {
            Ok(s) | Err(Ctl::Exit(s)) | Err(Ctl::Abort(s)) => s,
            Err(_) => 0,
        };
        self.ignore_err -= 1;
        self.loop_depth = saved_loop;
        self.add_job(None, Some(st), self.cur_ns);
        self.status = 0;
        Ok(0)
    }

    /// `a | b &`: bash runs the whole pipeline as one background job and `$!` is the pid of
    /// its last command. Here the stages before the last run to completion now (their output
    /// is the last stage's input) and the last one goes to the host as a process when it is a
    /// program the host runs (a server such as `nc -l` keeps running in the background);
    /// otherwise it too runs now and the job is a finished one.
    fn exec_background_pipeline(&mut self, p: &Pipeline, io: &Io) -> Res {
        let n = p.cmds.len();
        let saved_loop = self.loop_depth;
        self.loop_depth = 0;
        self.ignore_err += 1;
        let (mut statuses, input) = self.run_stages(p, io, n - 1);
        let last_io = Io {
            stdin: input,
            out: io.out,
            err: io.err,
        };
        let spawned = match &p.cmds[n - 1] {
            Command::Simple(cmd) => self.spawn_simple(cmd, &last_io),
            _ => Ok(None),
        };
        let r = match spawned {
            Ok(Some(st)) => Ok(st),
            Ok(None) => {
                let st = match self.exec_command(&p.cmds[n - 1], &last_io) {
                    Ok(s) | Err(Ctl::Exit(s)) | Err(Ctl::Abort(s)) => s,
                    Err(_) => 0,
                };
                statuses.push(st);
                let st = self.pipeline_status(&statuses, st);
                self.add_job(None, Some(st), self.cur_ns);
                Ok(0)
            }
            Err(e) => Err(e),
        };
        self.ignore_err -= 1;
        self.loop_depth = saved_loop;
        self.status = 0;
        r
    }

    fn add_job(&mut self, id: Option<JobId>, status: Option<i32>, ns: u32) -> u32 {
        // (jobs are numbered in the order they are added, so the last has the highest number)
        let num = self.jobs.last().map_or(0, |j| j.num) + 1;
        let pid = match id.and_then(|id| self.host.job_pid(id)) {
            Some(pid) => pid,
            None => {
                self.next_pid += 1;
                self.next_pid
            }
        };
        self.jobs.push(Job {
            num,
            pid,
            id,
            status,
            ns,
        });
        self.last_bg = Some(pid);
        pid
    }

    /// Returns None when the command is not for the host (a builtin).
    fn spawn_simple(&mut self, cmd: &SimpleCmd, io: &Io) -> Result<Option<i32>, Ctl> {
        self.line = cmd.line;
        let taken = matches!(&self.taken_argv, Some((p, _)) if std::ptr::eq(*p, cmd));
        let argv = match self.command_argv(cmd, io.err) {
            Ok(argv) => argv,
            Err(m) => return self.expansion_failed(&m, io).map(Some),
        };
        self.line = cmd.line;
        if argv.is_empty() {
            return Ok(None);
        }
        // (the trace line is of the whole command, written once it is known to be a job)
        let trace = self.xtrace.then(|| {
            let words: Vec<String> = argv.iter().map(|a| xtrace_quote(a)).collect();
            format!("{} {}\n", "+".repeat(self.subst_depth + 1), words.join(" "))
        });
        let Some((ns, skip, replaced)) = self.spawn_target(&argv) else {
            // (run as a builtin or function instead: with the words it took, if any)
            if taken {
                self.taken_argv = Some((cmd as *const SimpleCmd, argv));
            }
            return Ok(None);
        };
        let target = match replaced {
            Some(t) => t,
            None => {
                let mut argv = argv;
                argv.drain(..skip);
                argv
            }
        };
        if let Some(t) = trace {
            self.write_err(io.err, t.as_bytes());
        }
        // redirections: sinks for the host
        let mut stdin = io.stdin.rest();
        let mut out = self.sink_of(io.out);
        let mut err = self.sink_of(io.err);
        if !cmd.redirs.is_empty() {
            if let Err(r) = self.job_redirs(cmd, io, &mut stdin, &mut out, &mut err) {
                return r;
            }
        }
        let loc = self.job_loc();
        self.host.set_netns(ns);
        let r = self.host.spawn(target, &stdin, out, err, &loc);
        self.host.set_netns(self.cur_ns);
        match r {
            Ok(id) => {
                self.add_job(Some(id), None, ns);
            }
            Err(o) => {
                self.write(io.out, &o.stdout);
                self.write_prog_err(io.err, &o, &loc);
                self.add_job(None, Some(o.status), ns);
            }
        }
        self.job_loc_done(loc);
        self.status = 0;
        Ok(Some(0))
    }

    /// A background job's redirections: its stdin and where its two streams go. `Err` holds
    /// what [`Shell::spawn_simple`] returns when one fails. (Out of line: most background
    /// commands have none, and the common path's code stays small.)
    #[inline(never)]
    fn job_redirs(
        &mut self,
        cmd: &SimpleCmd,
        io: &Io,
        stdin: &mut Vec<u8>,
        out: &mut Sink,
        err: &mut Sink,
    ) -> Result<(), Result<Option<i32>, Ctl>> {
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
                RedirOp::Out(w)
                | RedirOp::Append(w)
                | RedirOp::OutErr(w)
                | RedirOp::AppendErr(w) => {
                    let Ok(path) = target(self, w) else {
                        return Err(Ok(Some(1)));
                    };
                    let append = matches!(r.op, RedirOp::Append(_) | RedirOp::AppendErr(_));
                    let s = file_sink(path, append);
                    match (&r.op, r.fd) {
                        (RedirOp::OutErr(_) | RedirOp::AppendErr(_), _) => {
                            *out = s.clone();
                            *err = s;
                        }
                        (_, 1) => *out = s,
                        (_, 2) => *err = s,
                        _ => {}
                    }
                }
                RedirOp::Dup(m) => {
                    let src = match m {
                        1 => out.clone(),
                        2 => err.clone(),
                        _ => {
                            self.error(io.err, &format!("{m}: Bad file descriptor"));
                            return Err(Ok(Some(1)));
                        }
                    };
                    match r.fd {
                        1 => *out = src,
                        2 => *err = src,
                        _ => {}
                    }
                }
                RedirOp::Close => match r.fd {
                    1 => *out = Sink::Null,
                    2 => *err = Sink::Null,
                    _ => {}
                },
                RedirOp::In(w) => {
                    let Ok(path) = target(self, w) else {
                        return Err(Ok(Some(1)));
                    };
                    match self.read_path(&path) {
                        Ok(d) => *stdin = d,
                        Err(m) => {
                            self.error(io.err, &m);
                            return Err(Ok(Some(1)));
                        }
                    }
                }
                RedirOp::HereDoc { body, .. } => match self.expand_string(body, io.err) {
                    Ok(s) => *stdin = s.into_bytes(),
                    Err(m) => return Err(self.expansion_failed(&m, io).map(Some)),
                },
                RedirOp::HereString(w) => match self.expand_string(&w.parts, io.err) {
                    Ok(s) => *stdin = format!("{s}\n").into_bytes(),
                    Err(m) => return Err(self.expansion_failed(&m, io).map(Some)),
                },
            }
        }
        Ok(())
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
            RedirOp::Out(w) | RedirOp::Append(w) | RedirOp::OutErr(w) | RedirOp::AppendErr(w) => {
                let path = target(self, w)?;
                let append = matches!(r.op, RedirOp::Append(_) | RedirOp::AppendErr(_));
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
                    (RedirOp::OutErr(_) | RedirOp::AppendErr(_), _) => {
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
                    io2.stdin = Stdin::new(d);
                }
            }
            RedirOp::HereDoc { body, .. } => {
                let s = self.expand_string(body, err).map_err(Some)?;
                if r.fd == 0 {
                    io2.stdin = Stdin::new(s.into_bytes());
                }
            }
            RedirOp::HereString(w) => {
                let s = self.expand_string(&w.parts, err).map_err(Some)?;
                if r.fd == 0 {
                    io2.stdin = Stdin::new(format!("{s}\n").into_bytes());
                }
            }
        }
        Ok(())
    }

    fn close_redirs(&mut self, files: Vec<OpenFile>, err: Dest) {
        self.close_redirs_of(files, err, None);
    }

    /// Writes the command's redirected output to its files. A write the device refuses
    /// (`/dev/full`: the host answers [`super::host::ENOSPC_WRITE`]) failed inside the program:
    /// it says so in its own words — a bash builtin as `FILE: line N: echo: write error: ...`,
    /// a program as `crate::labfs::dev_full_error` records — and the command's status is the
    /// one returned.
    fn close_redirs_of(
        &mut self,
        files: Vec<OpenFile>,
        err: Dest,
        prog: Option<&str>,
    ) -> Option<i32> {
        // written in order; buffers released last-first (they are a stack)
        let mut datas = Vec::new();
        for f in files.iter().rev() {
            self.file_bufs.remove(&f.buf);
            datas.push((f.path.clone(), self.take_buf(f.buf)));
        }
        let mut failed = None;
        for (path, data) in datas.into_iter().rev() {
            if !data.is_empty() {
                match self.host.write_file(&path, &data, true) {
                    Err(m) if m == super::host::ENOSPC_WRITE => {
                        let p = prog.map(|p| p.rsplit('/').next().unwrap_or(p));
                        let kind = p.and_then(crate::programs::lookup);
                        match (p, kind) {
                            (
                                Some(p),
                                Some(
                                    crate::programs::Kind::Builtin | crate::programs::Kind::Special,
                                ),
                            ) => {
                                self.error(err, &format!("{p}: {m}"));
                                failed = Some(1);
                            }
                            (Some(p), _) => {
                                if let Some((text, st)) = crate::labfs::dev_full_error(p) {
                                    self.write_err(err, text.as_bytes());
                                    failed = Some(st);
                                }
                            }
                            (None, _) => self.error(err, &m),
                        }
                    }
                    Err(m) => self.error(err, &m),
                    Ok(()) => {}
                }
            }
        }
        failed
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
            "RANDOM" if !self.vars.contains_key("RANDOM") => {
                Some((self.host.random() % 32768).to_string())
            }
            "LINENO" => Some(self.line_override.unwrap_or(self.line).to_string()),
            "FUNCNAME" => self.funcname.last().cloned(),
            "BASH_SOURCE" => Some(
                self.func_files
                    .last()
                    .or(self.source_stack.last())
                    .cloned()
                    .unwrap_or_else(|| self.file.clone()),
            ),
            "BASHPID" => Some("4000".to_string()),
            "SHELL" if !self.vars.contains_key("SHELL") => Some("/bin/bash".into()),
            "BASH_VERSION" => Some("5.2.15(1)-release".into()),
            n => self.get_var(n),
        };
        if v.is_none() && self.nounset && name != "!" && name != "@" && name != "*" {
            // bash names positional parameters with their `$`
            let shown = if name.chars().all(|c| c.is_ascii_digit()) {
                format!("${name}")
            } else {
                name.to_string()
            };
            return Err(format!("{shown}: unbound variable"));
        }
        Ok(v)
    }

    /// `<(list)`: runs the list (a subshell) and gives its output as a file `/dev/fd/N` of
    /// the lab (N from 63 down, as bash numbers them). `>(list)` is not modelled.
    fn proc_subst(&mut self, list: &List, output: bool, err: Dest) -> Result<String, String> {
        if output {
            self.host.not_modelled(">(...)");
            return Err("nslab: process substitution >(...) is not modelled yet".into());
        }
        let buf = self.alloc_buf();
        let io = Io {
            stdin: Stdin::default(),
            out: Dest::Buf(buf),
            err,
        };
        let saved_status = self.status;
        let saved_subst = self.subst_status;
        let saved_count = self.procsub_count;
        let saved_line = self.line;
        let _ = self.subshell(|sh| sh.exec_list(list, &io));
        self.status = saved_status;
        self.subst_status = saved_subst;
        self.procsub_count = saved_count;
        self.line = saved_line;
        let data = self.take_buf(buf);
        let path = format!("/dev/fd/{}", 63u32.saturating_sub(self.procsub_count));
        self.procsub_count = (self.procsub_count + 1) % 50;
        self.host.write_file(&path, b"", false)?;
        if !data.is_empty() {
            self.host.write_file(&path, &data, true)?;
        }
        Ok(path)
    }

    /// Runs `$(...)`: a subshell whose stdout is captured, trailing newlines removed.
    fn cmd_subst(&mut self, list: &List, err: Dest) -> String {
        // `$(< file)`: the file's text, without a command
        if let [ListItem {
            and_or: AndOr { first, rest },
            background: false,
        }] = list.as_slice()
        {
            if let ([Command::Simple(c)], true) = (first.cmds.as_slice(), rest.is_empty()) {
                if let (
                    [],
                    [],
                    [Redir {
                        fd: 0,
                        op: RedirOp::In(w),
                    }],
                ) = (
                    c.words.as_slice(),
                    c.assigns.as_slice(),
                    c.redirs.as_slice(),
                ) {
                    self.line = c.line;
                    let path = self.expand_string(&w.parts, err).unwrap_or_default();
                    let mut s = match self.read_path(&path) {
                        Ok(d) => String::from_utf8_lossy(&d).into_owned(),
                        Err(m) => {
                            self.error(err, &m);
                            self.subst_status = Some(1);
                            return String::new();
                        }
                    };
                    while s.ends_with('\n') {
                        s.pop();
                    }
                    self.subst_status = Some(0);
                    return s;
                }
            }
        }
        let buf = self.alloc_buf();
        let io = Io {
            stdin: Stdin::default(),
            out: Dest::Buf(buf),
            err,
        };
        let saved_vars = self.vars.clone();
        let saved_arrays = self.arrays.clone();
        let saved_funcs = self.funcs.clone();
        let saved_pos = self.positional.clone();
        let saved_count = self.procsub_count;
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
            Ok(s) | Err(Ctl::Exit(s)) | Err(Ctl::Abort(s)) => s,
            Err(_) => self.status,
        };
        self.subst_depth -= 1;
        self.errexit = saved_errexit;
        self.vars = saved_vars;
        self.arrays = saved_arrays;
        self.funcs = saved_funcs;
        self.positional = saved_pos;
        self.procsub_count = saved_count;
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
            WordPart::Expand(e) => {
                let sep = if matches!(
                    e.index.as_deref(),
                    Some([WordPart::Lit(x) | WordPart::Quoted(x)]) if x == "*"
                ) || (e.index.is_none() && e.name == "*")
                {
                    self.get_var("IFS")
                        .map_or(" ".to_string(), |i| i.chars().take(1).collect())
                } else {
                    " ".to_string()
                };
                self.expand_param(e, err)?.join(&sep)
            }
            WordPart::Arith(ps) => self.arith_expand(ps, err)?,
            WordPart::CmdSub(list) => self.cmd_subst(list, err),
            WordPart::ProcSub(list, output) => self.proc_subst(list, *output, err)?,
            WordPart::AssignWord(_, raw) => raw.clone(),
        })
    }

    /// The values of an unquoted or quoted multi-valued expansion (`$@`, `${a[@]}`), `None`
    /// for a single-valued part.
    fn multi_values(&mut self, p: &WordPart, err: Dest) -> Result<Option<Vec<String>>, String> {
        match p {
            WordPart::Param(n) if n == "@" => {
                Ok(Some(self.positional.iter().skip(1).cloned().collect()))
            }
            WordPart::Expand(e)
                if !e.length
                    && (matches!(e.index.as_deref(), Some([WordPart::Lit(x) | WordPart::Quoted(x)]) if x == "@")
                        || (e.index.is_none() && e.name == "@" && !e.indirect)) =>
            {
                Ok(Some(self.expand_param(e, err)?))
            }
            _ => Ok(None),
        }
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

    /// Expands a word into fields: unquoted expansions are split on `IFS`, `"$@"` and
    /// `"${a[@]}"` give one field per element, unquoted glob characters match the lab's files.
    pub fn expand_word(&mut self, w: &Word, err: Dest) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        self.expand_word_into(w, err, &mut out)?;
        Ok(out)
    }

    /// As [`Shell::expand_word`], the fields appended to `out` (a command's argv, without a
    /// vector per word).
    pub fn expand_word_into(
        &mut self,
        w: &Word,
        err: Dest,
        out: &mut Vec<String>,
    ) -> Result<(), String> {
        // A word of plain and single-quoted text with no brace, glob or escape character (most
        // words of a lab: `ip`, `netns`, addresses) is itself, one field.
        let special = glob_or_brace;
        if let [WordPart::Lit(t)] = w.parts.as_slice() {
            if !special(t) {
                out.push(t.clone());
                return Ok(());
            }
        }
        if !w.parts.is_empty()
            && w.parts.iter().all(|p| match p {
                WordPart::Lit(t) => !special(t),
                WordPart::Quoted(_) => true,
                _ => false,
            })
        {
            let mut s = String::new();
            for p in &w.parts {
                if let WordPart::Lit(t) | WordPart::Quoted(t) = p {
                    s.push_str(t);
                }
            }
            out.push(s);
            return Ok(());
        }
        let fields = self.expand_word_fields(w, err)?;
        out.extend(fields);
        Ok(())
    }

    /// The general expansion of a word (brace expansion, parameters, field splitting, globs).
    fn expand_word_fields(&mut self, w: &Word, err: Dest) -> Result<Vec<String>, String> {
        // brace expansion first, on unquoted text (`{4,6}`, `{0..7}`)
        for (i, p) in w.parts.iter().enumerate() {
            let WordPart::Lit(t) = p else { continue };
            if let Some(alts) = pattern::brace(t) {
                let mut out = Vec::new();
                for a in alts {
                    let mut parts = w.parts[..i].to_vec();
                    parts.push(WordPart::Lit(a));
                    parts.extend(w.parts[i + 1..].iter().cloned());
                    out.extend(self.expand_word(&Word::from(parts), err)?);
                }
                return Ok(out);
            }
        }
        // (text, pattern with quoted characters escaped, may glob)
        let mut fields: Vec<(String, String, bool)> = Vec::new();
        let mut cur = String::new();
        let mut pat = String::new();
        let mut glob = false;
        let mut has = false;
        let ifs = self.get_var("IFS").unwrap_or_else(|| " \t\n".to_string());
        for p in &w.parts {
            match p {
                WordPart::Lit(s) => {
                    cur.push_str(s);
                    pat.push_str(&s.replace('\\', "\\\\"));
                    glob |= pattern::has_glob(s);
                    has = true;
                }
                WordPart::Quoted(s) => {
                    cur.push_str(s);
                    pat.push_str(&pattern::escape(s));
                    has = true;
                }
                WordPart::DQuoted(ps) => {
                    // "pre$@post": the first value joins pre, the last joins post
                    let mut pieces: Vec<Vec<String>> = Vec::new();
                    let mut any_multi = false;
                    for q in ps {
                        match self.multi_values(q, err)? {
                            Some(vals) => {
                                any_multi = true;
                                pieces.push(vals);
                            }
                            None => pieces.push(vec![self.expand_part_value(q, err)?]),
                        }
                    }
                    if !any_multi {
                        let v: String = pieces.concat().concat();
                        cur.push_str(&v);
                        pat.push_str(&pattern::escape(&v));
                        has = true;
                        continue;
                    }
                    let mut out: Vec<String> = vec![String::new()];
                    let mut nonempty = false;
                    for (q, vals) in ps.iter().zip(pieces) {
                        let _ = q;
                        let n = vals.len();
                        for (i, v) in vals.into_iter().enumerate() {
                            if let Some(last) = out.last_mut() {
                                last.push_str(&v);
                            }
                            nonempty = true;
                            if i + 1 < n {
                                out.push(String::new());
                            }
                        }
                    }
                    let only_multi = ps.len() == 1;
                    if only_multi && !nonempty {
                        continue;
                    }
                    let k = out.len();
                    for (i, v) in out.into_iter().enumerate() {
                        cur.push_str(&v);
                        pat.push_str(&pattern::escape(&v));
                        has = true;
                        if i + 1 < k {
                            fields.push((std::mem::take(&mut cur), std::mem::take(&mut pat), glob));
                            glob = false;
                        }
                    }
                }
                p => {
                    let vals = match self.multi_values(p, err)? {
                        Some(v) => v,
                        None => vec![self.expand_part_value(p, err)?],
                    };
                    let n = vals.len();
                    for (i, v) in vals.into_iter().enumerate() {
                        for c in v.chars() {
                            if ifs.contains(c) {
                                if c.is_whitespace() {
                                    if has {
                                        fields.push((
                                            std::mem::take(&mut cur),
                                            std::mem::take(&mut pat),
                                            glob,
                                        ));
                                        glob = false;
                                        has = false;
                                    }
                                } else {
                                    fields.push((
                                        std::mem::take(&mut cur),
                                        std::mem::take(&mut pat),
                                        glob,
                                    ));
                                    glob = false;
                                    has = false;
                                }
                            } else {
                                cur.push(c);
                                if c == '\\' {
                                    pat.push_str("\\\\");
                                } else {
                                    pat.push(c);
                                }
                                glob |= matches!(c, '*' | '?' | '[');
                                has = true;
                            }
                        }
                        if i + 1 < n && has {
                            fields.push((std::mem::take(&mut cur), std::mem::take(&mut pat), glob));
                            glob = false;
                            has = false;
                        }
                    }
                }
            }
        }
        if has {
            fields.push((cur, pat, glob));
        }
        let mut out = Vec::new();
        for (text, pat, glob) in fields {
            if glob && pattern::has_glob(&pat) {
                let m = self.glob(&pat);
                if !m.is_empty() {
                    out.extend(m);
                    continue;
                }
            }
            out.push(text);
        }
        Ok(out)
    }

    /// Pathname expansion against the lab's files (sorted; dot files only for a leading `.`).
    fn glob(&mut self, pat: &str) -> Vec<String> {
        let absolute = pat.starts_with('/');
        let mut cands: Vec<(String, String)> = vec![(
            if absolute {
                "/".to_string()
            } else {
                self.pwd.clone()
            },
            if absolute {
                "/".to_string()
            } else {
                String::new()
            },
        )];
        let comps: Vec<&str> = pat.split('/').filter(|c| !c.is_empty()).collect();
        let n = comps.len();
        for (ci, comp) in comps.iter().enumerate() {
            let mut next = Vec::new();
            for (dir, disp) in &cands {
                let join = |d: &str, name: &str| {
                    if d.ends_with('/') {
                        format!("{d}{name}")
                    } else {
                        format!("{d}/{name}")
                    }
                };
                let sep_disp = |name: &str| {
                    if disp.is_empty() || disp.ends_with('/') {
                        format!("{disp}{name}")
                    } else {
                        format!("{disp}/{name}")
                    }
                };
                if pattern::has_glob(comp) {
                    let Some(names) = self.host.read_dir(dir) else {
                        continue;
                    };
                    for name in names {
                        if name.starts_with('.')
                            && !comp.starts_with('.')
                            && !comp.starts_with("\\.")
                        {
                            continue;
                        }
                        if pattern::matches(comp, &name) {
                            next.push((join(dir, &name), sep_disp(&name)));
                        }
                    }
                } else {
                    let lit = pattern::unescape(comp);
                    let p = join(dir, &lit);
                    let exists = self.host.read_dir(&p).is_some()
                        || (ci + 1 == n && self.host.read_file(&p).is_ok());
                    if exists {
                        next.push((p, sep_disp(&lit)));
                    }
                }
            }
            cands = next;
            if cands.is_empty() {
                break;
            }
        }
        let mut out: Vec<String> = cands.into_iter().map(|(_, d)| d).collect();
        out.sort();
        out
    }

    // ------------------------------------------------------------ state for builtins

    pub fn set_var(&mut self, name: &str, value: &str) {
        self.vars.insert(name.to_string(), value.to_string());
    }

    /// `unset NAME`, `unset 'NAME[KEY]'`, `unset -f NAME`.
    pub fn unset_var(&mut self, name: &str) {
        if let Some(f) = name.strip_prefix("-f ") {
            self.funcs.remove(f);
            return;
        }
        if let Some((n, k)) = name.strip_suffix(']').and_then(|t| t.split_once('[')) {
            let idx = match self.arrays.get(n) {
                Some(Arr::Indexed(_)) => arith::eval(k, self).ok().map(|i| i.to_string()),
                _ => Some(k.to_string()),
            };
            match (self.arrays.get_mut(n), idx) {
                (Some(Arr::Indexed(m)), Some(i)) => {
                    if let Ok(i) = i.parse::<i64>() {
                        let i = if i < 0 {
                            m.keys().next_back().map_or(0, |l| l + 1) + i
                        } else {
                            i
                        };
                        m.remove(&i);
                    }
                }
                (Some(Arr::Assoc(m)), Some(k)) => {
                    m.remove(&k);
                }
                _ => {}
            }
            return;
        }
        if self.readonly.contains(name) {
            return;
        }
        self.vars.remove(name);
        self.arrays.remove(name);
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
/// Is `v` the decimal text of `n` (what `n.to_string()` gives), without building that text?
fn is_decimal_of(v: &str, n: i32) -> bool {
    let mut buf = [0u8; 12];
    let mut i = buf.len();
    let mut u = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (u % 10) as u8;
        u /= 10;
        if u == 0 {
            break;
        }
    }
    if n < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    v.as_bytes() == &buf[i..]
}

/// Does unquoted text hold a brace, glob or escape character (it is not itself as a word)?
/// (A byte scan: `str::contains` of a character set decodes every character.)
fn glob_or_brace(t: &str) -> bool {
    t.bytes()
        .any(|b| matches!(b, b'{' | b'*' | b'?' | b'[' | b'\\'))
}

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

#[cfg(test)]
mod unit {
    use super::is_decimal_of;

    #[test]
    fn is_decimal_of_is_to_string() {
        for n in [0, 1, 9, 10, 127, 255, -1, -10, i32::MAX, i32::MIN] {
            assert!(is_decimal_of(&n.to_string(), n), "{n}");
        }
        for (v, n) in [
            ("", 0),
            ("00", 0),
            ("+1", 1),
            ("01", 1),
            ("1", 2),
            ("-0", 0),
            ("12", 1),
        ] {
            assert!(!is_decimal_of(v, n), "{v} {n}");
        }
    }
}

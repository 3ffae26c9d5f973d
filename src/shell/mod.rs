//! The shell-lab front end: a parser and interpreter for the bash that lab scripts and the
//! kernel's net selftests use, with bash 5.2's semantics and error texts.
//!
//! Users paste the commands they would type on a real machine; [`run_script`] parses the script
//! and runs it against a [`Host`] (the simulated machine). The shell never runs a real program.
//! Which code runs for a command name is decided once, in [`crate::programs`]: the shell's own
//! builtins (`cd`, `export`, `local`, ...), bash builtins that are also programs (`echo`,
//! `printf`, `test`/`[`, `true`, `false`: one implementation both ways), `sleep` (it advances
//! the simulated clock),
//! `userland::programs` (through [`Host::run_userland`]), and the network tools, bird and the
//! not-modelled programs ([`Host::run`]/[`Host::spawn`] in the namespace set by
//! [`Host::set_netns`]). Wrappers (`ip netns exec`, `sudo`, `nsenter`, `env`, `timeout`,
//! `bash -c`, `command`, `exec`, `xargs`, `nohup`) are resolved here, so a command behaves the
//! same under any of them, in pipes and in background jobs.
//!
//! # Why a hand-written parser
//! `brush-parser` 0.4 was evaluated first: it parses every lab and has source positions, but
//! (1) its words are raw text, so quoting, `$VAR`, `${VAR}` and `$(...)` would still need a
//! parser of our own; (2) it drops comments, and the lab's `# ---` markers must be run in order;
//! (3) its errors do not name the offending token the way bash does; (4) it brings a large
//! dependency tree (peg, bon, cached, tracing, and insta as a normal dependency). The
//! recursive-descent parser ([`parser`]) reports `file: line N: ...` as bash does.
//!
//! # Supported
//! Comments; `# ---` markers ([`Host::marker`]); quoting (`'...'`, `"..."`, `\`, `$'...'`);
//! `$VAR`, `${VAR}`, `$?`, `$!`, `$#`, `$0`..`$9`, `$@`, `$*`, `$-`, `$$`, `$RANDOM` (the lab's
//! seed), `$LINENO`, `FUNCNAME`, `BASH_SOURCE`, `BASH_REMATCH`; parameter operators `:-` `-`
//! `:=` `=` `:?` `?` `:+` `+` `#` `##` `%` `%%` `/` `//` `/#` `/%` `^` `^^` `,` `,,`
//! `:off:len` `${#x}` `${!x}` `${x@Q}`; `$(...)`, `$(< file)`, backquotes, `$(( ))`, `<(...)` (a lab file `/dev/fd/63`);
//! field splitting on
//! `IFS`; brace expansion (`{a,b}`, `{1..5}`); globbing against the lab's files; indexed and
//! associative arrays (`a=(x y)`, `a+=(z)`, `a[i]=v`, `${a[@]}`, `${#a[@]}`, `${!a[@]}`,
//! `declare -A`); functions (`f() {...}`, `function f {...}`) with `local` and `return`;
//! `if`, `for v [in ...]`, `for ((;;))`, `while`, `until`, `case` (`;;`, `;&`, `;;&`),
//! `{ ...; }`, subshells `( ... )`, `(( ))`, `[[ ]]` (`==`/`!=` patterns, `=~` with
//! `BASH_REMATCH`, `<`, `>`, `-eq`..., `-n`/`-z`/`-f`/`-d`/`-e`..., `&&`, `||`, `!`, `( )`),
//! `!`, `&&`, `||`, `;`, `&`, pipelines and `|&`; redirections `>`, `>|`, `>>`, `<`, `&>`,
//! `&>>`, `N>&M`, `N>&-`, heredocs `<<`, `<<-`, here-strings `<<<`; builtins `set` (`-e -u -x
//! -v -o pipefail` with bash's errexit rules in functions and conditions), `export`, `unset`,
//! `declare`/`typeset`/`local`/`readonly` (`-a -A -i -r -x -g -p -f`), `source`/`.`, `eval`,
//! `read` (`-r -a -d`, `IFS`), `mapfile`, `shift`, `getopts`, `trap` (EXIT, ERR), `let`,
//! `type`, `command -v/-V`, `printf` (`%q`, `%b`, `-v`), `wait`, `kill` (`%N`/`$!`), `exit`,
//! `break`/`continue`; `bash`/`sh` with `-c STRING ARGS`, a file or stdin. A script runs up
//! to its first syntax error, as bash reads one command at a time; an arithmetic error or an
//! assignment to a readonly variable abandons the top-level command and the script goes on.
//! Recursion is bounded (functions: 100 levels with bash's FUNCNEST message, `bash -c`: 16,
//! `eval`: 100, `source`: 32, and a stack budget under them), never a stack overflow.
//!
//! # Not supported (an error naming file and line, never skipped)
//! `select`, `coproc`, `time` (parse errors); `>(...)`; `exec` with only redirections; `extglob`
//! patterns; tilde expansion; `cd` other than to the lab directory; `declare -f`/`type` print a function's source text, not bash's reformatted
//! one; `=~` uses the regex crate (leftmost-first alternation, not POSIX leftmost-longest).
//! A background job that is not a program the host runs as a process (`{ ...; } &`,
//! `sleep 1 &`, a function) runs to completion when started and is then a finished job. In a
//! background pipeline (`printf hi | nc -l -p 9000 &`) the stages before the last run to
//! completion when it starts and the last one is the job (`$!` its pid, as in bash).

mod arith;
mod ast;
mod builtins;
pub mod host;
mod interp;
mod parser;
mod pattern;

#[cfg(test)]
mod tests;

pub use ast::map_lines;
pub use ast::*;
pub use host::{CmdOutput, Host, JobId, Loc, Sink, Stream};
pub(crate) use interp::parse_duration;
pub use parser::{items, parse, parse_partial, Items, ShellError};

use std::collections::BTreeMap;

/// Is `path` the file of a program of the table (`/usr/sbin/ip`, `/bin/grep`)?
pub fn is_program_file(path: &str) -> bool {
    interp::program_file(path)
}

/// How to start the shell (like `bash -e -x -v lab.sh`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellOptions {
    /// `set -e` from the start.
    pub errexit: bool,
    /// `set -x` from the start.
    pub xtrace: bool,
    /// `set -v` from the start.
    pub verbose: bool,
    /// `set -o pipefail` from the start.
    pub pipefail: bool,
    /// The lab's working directory (`$PWD`).
    pub pwd: String,
    /// Initial (exported) variables.
    pub env: BTreeMap<String, String>,
    /// The script's arguments (`$1`, `$@`).
    pub args: Vec<String>,
    /// Guard against endless loops: after this many simple commands the script stops with
    /// status 124 and a message on stderr.
    pub max_commands: u64,
}

impl Default for ShellOptions {
    fn default() -> Self {
        ShellOptions {
            errexit: false,
            xtrace: false,
            verbose: false,
            pipefail: false,
            pwd: "/lab".to_string(),
            env: BTreeMap::new(),
            args: Vec::new(),
            max_commands: 1_000_000,
        }
    }
}

/// What a script run ended with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScriptResult {
    /// bash's exit status of the script (`exit N`, the `set -e` failure, or the last command's).
    pub status: i32,
    /// Commands that exited non-zero where `set -e` would stop (conditions of if/while, all but
    /// the last command of `&&`/`||` lists and `!` pipelines do not count). A syntax error counts
    /// as one.
    pub failures: u32,
}

/// Parses and runs a script. A syntax error is printed to the terminal's stderr like bash
/// (`lab.sh: line 7: syntax error near unexpected token `fi'` and `lab.sh: line 7: `fi'`); what
/// precedes it runs (status 2).
pub fn run_script(src: &str, file: &str, host: &mut dyn Host, opts: &ShellOptions) -> ScriptResult {
    run_script_checked(src, file, host, opts).0
}

/// [`run_script`], and whether the script has a syntax error (where the run stopped, or in the
/// text after an `exit`: the whole file is read, as `bash -n` would).
pub fn run_script_checked(
    src: &str,
    file: &str,
    host: &mut dyn Host,
    opts: &ShellOptions,
) -> (ScriptResult, bool) {
    // bash reads and runs one complete command at a time: what precedes a syntax error runs,
    // and a command's parsed form is dropped once it has run (memory does not grow with the
    // script's length)
    let mut items = parser::items(src, file);
    let mut syntax_error = false;
    let r = {
        let mut sh = interp::Shell::new(host, file, opts);
        sh.run_items(|verbose| {
            let i = items.next_item(verbose);
            syntax_error |= matches!(i, Some(Err(_)));
            i.map(|r| r.map(std::borrow::Cow::Owned))
        })
    };
    let syntax_error = syntax_error || items.any(|i| i.is_err());
    (r, syntax_error)
}

/// An interactive shell (`nslab shell`): one interpreter for all the lines of a session, so
/// variables, functions and jobs persist from line to line as in bash reading a terminal.
pub struct Session<'h> {
    sh: interp::Shell<'h>,
}

impl<'h> Session<'h> {
    pub fn new(host: &'h mut dyn Host, file: &str, opts: &ShellOptions) -> Self {
        Session {
            sh: interp::Shell::new(host, file, opts),
        }
    }

    /// Runs one parsed line; `Some(status)` when it ran `exit`.
    pub fn run(&mut self, script: &Script) -> Option<i32> {
        self.sh.run_interactive(script)
    }

    /// The machine the shell drives.
    pub fn host(&mut self) -> &mut dyn Host {
        &mut *self.sh.host
    }

    /// `$?` after the last line, and the failures counted so far.
    pub fn result(&self) -> ScriptResult {
        ScriptResult {
            status: self.sh.status,
            failures: self.sh.failures,
        }
    }

    /// `ip netns exec NAME bash` typed at the prompt: the following lines run in a new bash in
    /// that namespace (its variables last from line to line) until [`Session::leave_child`].
    /// False when there is no such namespace.
    pub fn enter_child(&mut self, name: &str) -> bool {
        match self.sh.host.netns_open(name) {
            Some(ns) => {
                self.sh.enter_child(ns);
                true
            }
            None => false,
        }
    }

    /// The namespace's bash exits: back to the session's shell.
    /// `file`:`line` is where its `ip netns exec NS bash` line is.
    pub fn leave_child(&mut self, file: &str, line: u32) {
        let loc = Loc {
            file: file.to_string(),
            line,
        };
        self.sh.leave_child(&loc);
    }

    /// Ends the session (the EXIT trap).
    pub fn end(&mut self) {
        self.sh.end_interactive();
    }
}

/// Runs an already parsed script.
pub fn run_parsed(script: &Script, host: &mut dyn Host, opts: &ShellOptions) -> ScriptResult {
    let mut sh = interp::Shell::new(host, &script.file, opts);
    sh.run_script(script)
}

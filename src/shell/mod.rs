//! The shell-lab front end: a parser and interpreter for the bash subset that lab scripts use.
//!
//! Users paste the commands they would type on a real machine; [`run_script`] parses the script
//! and runs it against a [`Host`] (the simulated machine). The shell never runs a real program:
//! builtins (echo, printf, test/[, set, export, cd, exit, break/continue, wait, kill, sleep and the
//! text tools grep, wc, head, tail, cat, sort, seq) run inside the shell and use the host only for
//! files, time and the terminal; everything else (`ip`, `ping`, `sysctl`, ...) is
//! [`Host::run`]/[`Host::spawn`].
//!
//! # Why a hand-written parser
//! `brush-parser` 0.4 was evaluated first: it parses every lab and has source positions, but
//! (1) its words are raw text, so quoting, `$VAR`, `${VAR}` and `$(...)` would still need a
//! parser of our own; (2) it drops comments, and the lab's `# ---` markers must be run in order;
//! (3) it parses all of bash, so every unsupported construct (case, functions, arrays, `[[`,
//! arithmetic) would have to be found and rejected again in its AST, and its errors do not name the
//! offending token the way bash does; (4) it brings a large dependency tree (peg, bon, cached,
//! tracing, and insta as a normal dependency). The subset here is small enough for a ~1k-line
//! recursive-descent parser ([`parser`]) that reports `file: line N: ...` for everything it
//! does not support.
//!
//! # Supported
//! Comments; `# ---` markers ([`Host::marker`]); simple commands with `'...'`, `"..."`, `\`
//! escapes, `$VAR`, `${VAR}`, `${VAR:-w}`, `${VAR-w}`, `$?`, `$!`, `$#`, `$0`..`$9`, `$@`, `$*`,
//! `$-`, `$$`, `$(...)` (nested, multi-line); unquoted expansions are field-split on blanks;
//! assignments (`a=1`, `VAR=x cmd`), `export`, `unset`; `if/elif/else/fi`, `for v [in ...]`,
//! `while`, `until`, `break [N]`, `continue [N]`, `{ ...; }`, `!`, `&&`, `||`, `;`, `&`,
//! pipelines; redirections `>`, `>|`, `>>`, `<`, `&>`, `N>&M`, `N>&-`, heredocs `<<`, `<<-`
//! (quoted delimiter = no expansion); `set -e/-x/-v/-u/-o pipefail` (and `+`); `wait`, `kill`
//! with `%N`/`$!`; `sh -c`/`bash -c STRING`.
//!
//! # Not supported (a parse or runtime error naming file and line, never skipped)
//! `case`, functions, arrays, `[[ ]]`, `(( ))`, `$(( ))`, backquotes, subshells `( ... )`,
//! here-strings `<<<`, `|&`, `&>>`, `$'...'`, parameter operators other than `:-`/`-`; builtins
//! such as `source`, `eval`, `read`, `trap`, `local`, `shift` (runtime error, status 2).
//! No globbing (`*` stays literal), no tilde expansion, no environment for host commands (exports
//! and `VAR=x cmd` are visible to the shell only), `cd` only to the lab directory. A
//! background job that is not a single external command (`{ ...; } &`, `sleep 1 &`) runs to
//! completion when started and is then a finished job.

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
pub use parser::{parse, parse_partial, ShellError};

use std::collections::BTreeMap;

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
/// (`lab.sh: line 7: syntax error near unexpected token 'fi'`) and nothing runs (status 2).
pub fn run_script(src: &str, file: &str, host: &mut dyn Host, opts: &ShellOptions) -> ScriptResult {
    // bash reads and runs one complete command at a time: what precedes a syntax error runs
    let (script, err) = parser::parse_partial(src, file);
    let mut sh = interp::Shell::new(host, &script.file, opts);
    sh.run_script_until(&script, err.as_ref())
}

/// Runs an already parsed script.
pub fn run_parsed(script: &Script, host: &mut dyn Host, opts: &ShellOptions) -> ScriptResult {
    let mut sh = interp::Shell::new(host, &script.file, opts);
    sh.run_script(script)
}

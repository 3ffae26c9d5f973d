//! `nslab`'s exit statuses: one scheme for every subcommand and every front end (shell, YAML,
//! RON), so a script calling nslab can tell a failed lab command from a lab that cannot run.

use std::process::ExitCode;

/// What a run of `nslab` ended with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// 0: every command of the lab succeeded.
    Ok,
    /// 1: a command of the lab failed (its message names `FILE:LINE`).
    Failed,
    /// 2: usage error (unknown option, missing value), a lab file that cannot be read, or a
    /// syntax or schema error in any front end (shell, YAML, RON).
    Usage,
    /// 3: a limit stopped the lab: a command still running after the per-command limit of
    /// simulated time, the shell's command count, or a limit given on the command line.
    Limit,
    /// 4: an output file (`--pcap`, `--macmap`, `:save`) could not be written.
    Output,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Ok => 0,
            Exit::Failed => 1,
            Exit::Usage => 2,
            Exit::Limit => 3,
            Exit::Output => 4,
        }
    }

    /// The status of a lab run: a limit wins over a syntax error, which wins over a failed
    /// command.
    pub fn of_run(r: &crate::shell::ScriptResult, syntax_error: bool, limit: bool) -> Exit {
        if limit {
            Exit::Limit
        } else if syntax_error {
            Exit::Usage
        } else if r.status != 0 || r.failures != 0 {
            Exit::Failed
        } else {
            Exit::Ok
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e.code())
    }
}

/// The scheme as `nslab --help` and the README show it.
pub const EXIT_STATUS_HELP: &str = "\
Exit status (every subcommand, every lab format):
  0  every command of the lab succeeded
  1  a command of the lab failed (its message on stderr names FILE:LINE)
  2  usage error, unreadable lab file, or a syntax/schema error (shell, YAML, RON)
  3  a limit stopped the lab (a command still running after 3600 s of simulated time,
     more than 1000000 commands, or a limit given on the command line)
  4  an output file (--pcap, --macmap, :save) could not be written";

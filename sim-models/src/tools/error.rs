//! Typed results of a tool invocation: one error type carrying the exit status, so the status
//! and the class of a failure are decided where the failure is, never from message text.

/// What kind of failure a tool reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The command line is wrong (unknown option or keyword, missing argument): the tool's
    /// usage status, e.g. iproute2's 255 for `Command "x" is unknown`, glibc getopt errors.
    Usage,
    /// The request was understood and failed: the kernel refused it (`RTNETLINK answers: File
    /// exists`, an extack `Error: ...`), a file or device is missing.
    Failed,
    /// Something nslab does not model; the message is always "nslab: X is not modelled yet".
    NotModelled,
}

/// A failed tool invocation: its class, exit status and the text it prints on stderr.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToolError {
    pub kind: ErrorKind,
    pub status: i32,
    /// What the tool prints on stderr, newline-terminated.
    pub msg: String,
    /// For [`ErrorKind::NotModelled`], the feature (`ip -6`, `tc`), as the run summary lists it.
    pub what: Option<String>,
}

/// The exit status of something nslab does not model. A program nslab lacks behaves as a
/// missing command (bash's 127); a modelled program asked for a feature nslab lacks exits with
/// the same status, so scripts and the run summary see one class.
pub const NOT_MODELLED_STATUS: i32 = 127;

impl ToolError {
    pub fn usage(status: i32, msg: impl Into<String>) -> ToolError {
        ToolError {
            kind: ErrorKind::Usage,
            status,
            msg: msg.into(),
            what: None,
        }
    }

    pub fn failed(status: i32, msg: impl Into<String>) -> ToolError {
        ToolError {
            kind: ErrorKind::Failed,
            status,
            msg: msg.into(),
            what: None,
        }
    }

    /// `nslab: WHAT is not modelled yet`.
    pub fn not_modelled(what: impl Into<String>) -> ToolError {
        let what = what.into();
        ToolError {
            kind: ErrorKind::NotModelled,
            status: NOT_MODELLED_STATUS,
            msg: format!("nslab: {what} is not modelled yet\n"),
            what: Some(what),
        }
    }
}

impl std::fmt::Display for ToolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.msg)
    }
}

impl std::error::Error for ToolError {}

/// What a finished tool invocation produced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ToolOutput {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
    /// Set when the invocation failed on something nslab does not model (the feature's name).
    pub not_modelled: Option<String>,
}

impl ToolOutput {
    pub fn ok(s: String) -> ToolOutput {
        ToolOutput {
            stdout: s,
            ..Default::default()
        }
    }

    pub fn err(s: String, status: i32) -> ToolOutput {
        ToolOutput {
            stderr: s,
            status,
            ..Default::default()
        }
    }
}

impl From<ToolError> for ToolOutput {
    fn from(e: ToolError) -> ToolOutput {
        ToolOutput {
            stdout: String::new(),
            stderr: e.msg,
            status: e.status,
            not_modelled: e.what.filter(|_| e.kind == ErrorKind::NotModelled),
        }
    }
}

impl From<Result<String, ToolError>> for ToolOutput {
    fn from(r: Result<String, ToolError>) -> ToolOutput {
        match r {
            Ok(s) => ToolOutput::ok(s),
            Err(e) => e.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_modelled_is_one_class_with_one_text() {
        let o: ToolOutput = ToolError::not_modelled("tc").into();
        assert_eq!(o.stderr, "nslab: tc is not modelled yet\n");
        assert_eq!(o.status, NOT_MODELLED_STATUS);
        assert_eq!(o.not_modelled.as_deref(), Some("tc"));
        let o: ToolOutput = Err(ToolError::failed(2, "RTNETLINK answers: File exists\n")).into();
        assert_eq!((o.status, o.not_modelled), (2, None));
    }
}

//! The syntax tree of the supported bash subset.

/// A parsed script: one item per complete command (a line, or several lines for compound
/// commands and heredocs).
#[derive(Clone, Debug, PartialEq)]
pub struct Script {
    pub file: String,
    pub items: Vec<TopItem>,
}

/// A top-level complete command and the source text bash would echo for it under `set -v`
/// (the lines read since the previous item, comments included).
#[derive(Clone, Debug, PartialEq)]
pub struct TopItem {
    pub list: List,
    pub source: String,
}

/// `a; b & c` — and-or lists, each run in the foreground or background.
pub type List = Vec<ListItem>;

#[derive(Clone, Debug, PartialEq)]
pub struct ListItem {
    pub and_or: AndOr,
    pub background: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AndOrOp {
    And,
    Or,
}

/// `p1 && p2 || p3`.
#[derive(Clone, Debug, PartialEq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(AndOrOp, Pipeline)>,
}

/// `[!] c1 | c2 | ...`.
#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    pub bang: bool,
    pub cmds: Vec<Command>,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Simple(SimpleCmd),
    Compound(Compound, Vec<Redir>),
    /// A full-line comment starting with `# ---`.
    Marker(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct SimpleCmd {
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Compound {
    Group(List),
    If {
        branches: Vec<(List, List)>,
        otherwise: Option<List>,
    },
    For {
        var: String,
        words: Option<Vec<Word>>,
        body: List,
        /// The source text `for v in w1 w2` (bash's xtrace prints it for every iteration).
        header: String,
    },
    While {
        until: bool,
        cond: List,
        body: List,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Redir {
    /// The file descriptor redirected (0, 1, 2, ...).
    pub fd: u32,
    pub op: RedirOp,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RedirOp {
    /// `> w`, `>| w`
    Out(Word),
    /// `>> w`
    Append(Word),
    /// `< w`
    In(Word),
    /// `&> w` (stdout and stderr)
    OutErr(Word),
    /// `N>&M`
    Dup(u32),
    /// `N>&-`, `N<&-`
    Close,
    /// `<< DELIM` / `<<- DELIM`: the body, already tab-stripped; expanded unless the delimiter
    /// was quoted.
    HereDoc { body: Vec<WordPart>, expand: bool },
}

/// A word: the concatenation of its parts, then field-split where unquoted expansions occur.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Word {
    pub parts: Vec<WordPart>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum WordPart {
    /// Unquoted literal text (escapes already removed).
    Lit(String),
    /// Quoted literal text ('...', escaped characters, literal parts of "...").
    Quoted(String),
    /// `"..."`: its parts are never field-split.
    DQuoted(Vec<WordPart>),
    /// `$name`, `${name}`, `$?`, `$!`, `$#`, `$0`..`$9`, `$@`, `$*`, `$$`.
    Param(String),
    /// `${name:-word}` (colon = true) / `${name-word}`.
    Default {
        name: String,
        colon: bool,
        word: Vec<WordPart>,
    },
    /// `$(list)`.
    CmdSub(List),
}

impl Word {
    /// The word's text when it is a plain unquoted literal (for reserved words).
    pub fn as_plain(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [WordPart::Lit(s)] => Some(s),
            _ => None,
        }
    }
}

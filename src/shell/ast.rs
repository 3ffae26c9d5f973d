//! The syntax tree of the supported bash subset.

/// A parsed script: one item per complete command (a line, or several lines for compound
/// commands and heredocs).
#[derive(Clone, Debug, PartialEq)]
pub struct Script {
    pub file: String,
    pub items: Vec<TopItem>,
}

/// A top-level complete command and the source text bash would echo for it under `set -v`
/// (the lines read since the previous item, comments included; empty when read by
/// [`crate::shell::Items::next_item`] without `set -v`).
#[derive(Clone, Debug, PartialEq)]
pub struct TopItem {
    /// (most top-level commands are one and-or list: held inline, no allocation)
    pub list: smallvec::SmallVec<[ListItem; 1]>,
    pub source: String,
    /// Known by the parser's plain-line path (false where not known): the item is one simple
    /// command in the foreground or background whose words are each a plain literal with no
    /// glob or brace character, the first no declaration builtin — what the interpreter checks
    /// before it moves a command's words into its argv, so it need not scan them again.
    pub plain_words: bool,
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
    /// (most pipelines are one command: held inline, no allocation)
    pub cmds: smallvec::SmallVec<[Command; 1]>,
    /// Stages followed by `|&` (their stderr goes down the pipe too).
    pub err_pipe: Vec<bool>,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Simple(SimpleCmd),
    Compound(Compound, Vec<Redir>),
    /// `name() { ...; }` / `function name { ...; }`: `text` is the definition's source (for
    /// `type` and `declare -f`).
    FuncDef {
        name: String,
        body: std::rc::Rc<Command>,
        text: String,
        line: u32,
    },
    /// A full-line comment starting with `# ---`.
    Marker(String),
}

/// The value of an assignment: `a=w`, `a=(w1 w2 [k]=w3)`.
#[derive(Clone, Debug, PartialEq)]
pub enum AssignValue {
    Scalar(Word),
    /// Elements, each with an optional `[key]=`.
    Array(Vec<(Option<Word>, Word)>),
}

/// `name[=|+=]value`, `name[index]=value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Assign {
    pub name: String,
    pub index: Option<Word>,
    pub append: bool,
    pub value: AssignValue,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SimpleCmd {
    pub assigns: Vec<Assign>,
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
    /// `( list )`
    Subshell(List),
    /// `case WORD in PATTERNS) LIST ;; ... esac`
    Case {
        word: Word,
        arms: Vec<CaseArm>,
    },
    /// `(( expr ))`: the expression's text (expanded as in double quotes, then evaluated).
    Arith(Vec<WordPart>, u32),
    /// `for (( init; cond; step ))`
    ForArith {
        init: Vec<WordPart>,
        cond: Vec<WordPart>,
        step: Vec<WordPart>,
        body: List,
        line: u32,
    },
    /// `[[ expr ]]`
    Cond(CondExpr, u32),
}

#[derive(Clone, Debug, PartialEq)]
pub struct CaseArm {
    pub patterns: Vec<Word>,
    pub body: List,
    /// `;;` (false) or `;&` / `;;&` (fall through / test next: true, with `test_next`).
    pub fallthrough: bool,
    pub test_next: bool,
}

/// A `[[ ... ]]` expression.
#[derive(Clone, Debug, PartialEq)]
pub enum CondExpr {
    /// `-f w`, `-n w`, ...
    Unary(String, Word),
    /// `a == b`, `a -eq b`, `a < b`, ...
    Binary(Word, String, Word),
    /// `a =~ regex`: the regex's parts (quoted parts match literally).
    Regex(Word, Word),
    /// A lone word: true when non-empty.
    Word(Word),
    Not(Box<CondExpr>),
    And(Box<CondExpr>, Box<CondExpr>),
    Or(Box<CondExpr>, Box<CondExpr>),
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
    /// `&>> w`
    AppendErr(Word),
    /// `<<< w`
    HereString(Word),
    /// `<< DELIM` / `<<- DELIM`: the body, already tab-stripped; expanded unless the delimiter
    /// was quoted.
    HereDoc { body: Vec<WordPart>, expand: bool },
}

/// A word: the concatenation of its parts, then field-split where unquoted expansions occur.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Word {
    pub parts: Parts,
}

/// A word's parts: one part (most words of a lab: `ip`, `netns`, an address) is held in the
/// word itself, so a plain word is one allocation (its text), not two.
pub type Parts = smallvec::SmallVec<[WordPart; 1]>;

impl Word {
    /// A word of one part.
    pub fn one(p: WordPart) -> Word {
        Word {
            parts: smallvec::smallvec![p],
        }
    }
}

impl From<Vec<WordPart>> for Word {
    fn from(parts: Vec<WordPart>) -> Word {
        Word {
            parts: Parts::from_vec(parts),
        }
    }
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
    /// `${...}` with an operator, an index, `#` or `!`.
    Expand(Box<ParamExp>),
    /// `$(list)`.
    CmdSub(List),
    /// `$(( expr ))`: the expression's parts.
    Arith(Vec<WordPart>),
    /// `<(list)` (false) / `>(list)` (true): a `/dev/fd/N` path.
    ProcSub(List, bool),
    /// An assignment argument of `local`/`declare`/`export`/`readonly` (and its source text).
    AssignWord(Box<Assign>, String),
}

/// `${[!|#]name[[index]][op word]}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamExp {
    pub name: String,
    /// `[...]` after the name (`@`, `*`, or an expression / key).
    pub index: Option<Vec<WordPart>>,
    /// `${#x}`
    pub length: bool,
    /// `${!x}` (indirection) or `${!a[@]}` (keys).
    pub indirect: bool,
    pub op: ParamOp,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ParamOp {
    None,
    /// `-`, `=`, `?`, `+` with or without `:`.
    Test {
        colon: bool,
        kind: char,
        word: Vec<WordPart>,
    },
    /// `#`, `##`, `%`, `%%`.
    Trim {
        suffix: bool,
        longest: bool,
        pattern: Vec<WordPart>,
    },
    /// `/pat/rep`, `//pat/rep`, `/#pat/rep`, `/%pat/rep` (`mode` is '/', 'a', '#', '%').
    Replace {
        mode: char,
        pattern: Vec<WordPart>,
        with: Vec<WordPart>,
    },
    /// `^`, `^^`, `,`, `,,`.
    Case {
        upper: bool,
        all: bool,
    },
    /// `:offset[:length]` (arithmetic texts).
    Substr {
        offset: Vec<WordPart>,
        length: Option<Vec<WordPart>>,
    },
    /// `@Q`, `@E`, ...
    Transform(char),
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

/// Rewrites every line number in `list` (commands, pipelines, and everything nested in words,
/// redirections and function bodies) with `f`.
pub fn map_lines(list: &mut [ListItem], f: &dyn Fn(u32) -> u32) {
    for item in list {
        map_pipeline(&mut item.and_or.first, f);
        for (_, p) in &mut item.and_or.rest {
            map_pipeline(p, f);
        }
    }
}

fn map_pipeline(p: &mut Pipeline, f: &dyn Fn(u32) -> u32) {
    p.line = f(p.line);
    for c in &mut p.cmds {
        map_command(c, f);
    }
}

fn map_command(c: &mut Command, f: &dyn Fn(u32) -> u32) {
    match c {
        Command::Simple(s) => {
            s.line = f(s.line);
            for a in &mut s.assigns {
                map_assign(a, f);
            }
            for w in &mut s.words {
                map_parts(&mut w.parts, f);
            }
            map_redirs(&mut s.redirs, f);
        }
        Command::Compound(comp, redirs) => {
            match comp {
                Compound::Group(l) | Compound::Subshell(l) => map_lines(l, f),
                Compound::If {
                    branches,
                    otherwise,
                } => {
                    for (c, b) in branches {
                        map_lines(c, f);
                        map_lines(b, f);
                    }
                    if let Some(o) = otherwise {
                        map_lines(o, f);
                    }
                }
                Compound::For { words, body, .. } => {
                    for w in words.iter_mut().flatten() {
                        map_parts(&mut w.parts, f);
                    }
                    map_lines(body, f);
                }
                Compound::While { cond, body, .. } => {
                    map_lines(cond, f);
                    map_lines(body, f);
                }
                Compound::Case { word, arms } => {
                    map_parts(&mut word.parts, f);
                    for a in arms {
                        for p in &mut a.patterns {
                            map_parts(&mut p.parts, f);
                        }
                        map_lines(&mut a.body, f);
                    }
                }
                Compound::Arith(parts, line) => {
                    *line = f(*line);
                    map_parts(parts, f);
                }
                Compound::ForArith {
                    init,
                    cond,
                    step,
                    body,
                    line,
                } => {
                    *line = f(*line);
                    map_parts(init, f);
                    map_parts(cond, f);
                    map_parts(step, f);
                    map_lines(body, f);
                }
                Compound::Cond(e, line) => {
                    *line = f(*line);
                    map_cond(e, f);
                }
            }
            map_redirs(redirs, f);
        }
        Command::FuncDef { body, line, .. } => {
            *line = f(*line);
            map_command(std::rc::Rc::make_mut(body), f);
        }
        Command::Marker(_) => {}
    }
}

fn map_cond(e: &mut CondExpr, f: &dyn Fn(u32) -> u32) {
    match e {
        CondExpr::Unary(_, w) | CondExpr::Word(w) => map_parts(&mut w.parts, f),
        CondExpr::Binary(a, _, b) | CondExpr::Regex(a, b) => {
            map_parts(&mut a.parts, f);
            map_parts(&mut b.parts, f);
        }
        CondExpr::Not(a) => map_cond(a, f),
        CondExpr::And(a, b) | CondExpr::Or(a, b) => {
            map_cond(a, f);
            map_cond(b, f);
        }
    }
}

fn map_assign(a: &mut Assign, f: &dyn Fn(u32) -> u32) {
    if let Some(i) = &mut a.index {
        map_parts(&mut i.parts, f);
    }
    match &mut a.value {
        AssignValue::Scalar(w) => map_parts(&mut w.parts, f),
        AssignValue::Array(items) => {
            for (k, v) in items {
                if let Some(k) = k {
                    map_parts(&mut k.parts, f);
                }
                map_parts(&mut v.parts, f);
            }
        }
    }
}

fn map_redirs(redirs: &mut [Redir], f: &dyn Fn(u32) -> u32) {
    for r in redirs {
        match &mut r.op {
            RedirOp::Out(w)
            | RedirOp::Append(w)
            | RedirOp::In(w)
            | RedirOp::OutErr(w)
            | RedirOp::AppendErr(w)
            | RedirOp::HereString(w) => map_parts(&mut w.parts, f),
            RedirOp::HereDoc { body, .. } => map_parts(body, f),
            RedirOp::Dup(_) | RedirOp::Close => {}
        }
    }
}

fn map_parts(parts: &mut [WordPart], f: &dyn Fn(u32) -> u32) {
    for p in parts {
        match p {
            WordPart::CmdSub(l) | WordPart::ProcSub(l, _) => map_lines(l, f),
            WordPart::DQuoted(ps) | WordPart::Arith(ps) => map_parts(ps, f),
            WordPart::Expand(e) => {
                if let Some(i) = &mut e.index {
                    map_parts(i, f);
                }
                match &mut e.op {
                    ParamOp::Test { word, .. } => map_parts(word, f),
                    ParamOp::Trim { pattern, .. } => map_parts(pattern, f),
                    ParamOp::Replace { pattern, with, .. } => {
                        map_parts(pattern, f);
                        map_parts(with, f);
                    }
                    ParamOp::Substr { offset, length } => {
                        map_parts(offset, f);
                        if let Some(l) = length {
                            map_parts(l, f);
                        }
                    }
                    ParamOp::None | ParamOp::Case { .. } | ParamOp::Transform(_) => {}
                }
            }
            WordPart::AssignWord(a, _) => map_assign(a, f),
            WordPart::Lit(_) | WordPart::Quoted(_) | WordPart::Param(_) => {}
        }
    }
}

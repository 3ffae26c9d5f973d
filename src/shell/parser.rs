//! A hand-written lexer + recursive-descent parser for the supported bash subset.
//!
//! The lexer works on the script's characters with one token of look-ahead; `$(...)` and the
//! bodies of unquoted heredocs are parsed recursively from the same buffer, so every command
//! knows its real line number. Heredoc bodies are read when their `<<` operator is lexed and the
//! lexer jumps over them when it reaches the end of that line.

use super::ast::*;
use std::fmt;

/// A syntax error, displayed like bash 5.2: `lab.sh: line 7: syntax error near unexpected token
/// `fi'`, and for an unexpected token a second line with the input line that holds it
/// (`lab.sh: line 7: `fi'`, bash's `print_offending_line`, which a non-interactive shell prints).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellError {
    pub file: String,
    pub line: u32,
    pub message: String,
    /// The text of the line holding the unexpected token (bash's `shell_input_line` without
    /// its trailing newlines), `None` for errors bash reports on one line (end of file).
    pub input_line: Option<String>,
}

impl ShellError {
    /// The first line alone, as an interactive shell prints it.
    pub fn first_line(&self) -> String {
        format!("{}: line {}: {}", self.file, self.line, self.message)
    }
}

impl fmt::Display for ShellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: line {}: {}", self.file, self.line, self.message)?;
        if let Some(t) = &self.input_line {
            write!(f, "\n{}: line {}: `{}'", self.file, self.line, t)?;
        }
        Ok(())
    }
}

impl std::error::Error for ShellError {}

/// Parses a whole script.
pub fn parse(src: &str, file: &str) -> Result<Script, ShellError> {
    match parse_partial(src, file) {
        (s, None) => Ok(s),
        (_, Some(e)) => Err(e),
    }
}

/// Parses a script up to its first syntax error: the commands before it, and the error (bash
/// runs those commands, then reports the error when it reads it).
pub fn parse_partial(src: &str, file: &str) -> (Script, Option<ShellError>) {
    let mut p = Parser::new(src, file);
    let mut items = Vec::new();
    let r = p.parse_script(&mut items);
    (
        Script {
            file: file.to_string(),
            items,
        },
        r.err().map(|e| *e),
    )
}

/// A script's top-level complete commands, parsed one at a time as bash reads them (a command is
/// parsed when the previous one has run, so a script's commands are never all held at once);
/// the first syntax error ends it.
pub struct Items<'a> {
    p: Parser<'a>,
    src_start: usize,
    done: bool,
}

impl Items<'_> {
    /// The next command; its [`TopItem::source`] is copied only when `source` is asked for (the
    /// shell's `set -v`: otherwise it is left empty, no copy of each line's text).
    pub fn next_item(&mut self, source: bool) -> Option<Result<TopItem, ShellError>> {
        if self.done {
            return None;
        }
        let r = self
            .p
            .parse_top_item(&mut self.src_start, source)
            .transpose()
            .map(|r| r.map_err(|e| *e));
        self.done = !matches!(r, Some(Ok(_)));
        r
    }
}

impl Iterator for Items<'_> {
    type Item = Result<TopItem, ShellError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_item(true)
    }
}

/// The top-level commands of `src`, parsed as they are asked for.
pub fn items<'a>(src: &'a str, file: &str) -> Items<'a> {
    Items {
        p: Parser::new(src, file),
        src_start: 0,
        done: false,
    }
}

/// Nesting limit (compound commands, `$(...)`), so hostile input cannot overflow the stack.
const MAX_DEPTH: usize = 64;

const RESERVED_TERMINATORS: &[&str] = &["then", "elif", "else", "fi", "do", "done", "}", "esac"];
const UNSUPPORTED_WORDS: &[(&str, &str)] = &[
    ("select", "'select' is not supported"),
    ("coproc", "'coproc' is not supported"),
    ("time", "'time' is not supported"),
];

/// Words that start something other than a simple command where a command starts (what
/// `parse_command_inner` looks at before it parses a simple command).
fn is_command_word(s: &str) -> bool {
    UNSUPPORTED_WORDS.iter().any(|(k, _)| *k == s)
        || RESERVED_TERMINATORS.contains(&s)
        || matches!(
            s,
            "function" | "if" | "for" | "while" | "until" | "case" | "[[" | "{"
        )
}

/// [`BYTE_CLASS`]: a character of a plain word (`lex_word_parts`'s plain run: no metacharacter,
/// quote, `\\`, `$` or backquote).
const PLAIN_BYTE: u8 = 1;
/// [`BYTE_CLASS`]: a glob or brace character (`{`, `*`, `?`, `[`): a word holding one is
/// expanded, not taken as it is.
const GLOB_BYTE: u8 = 2;

/// The class of each byte of an ASCII script for [`Parser::plain_line`]'s scan.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 128 {
        let ch = c as u8 as char;
        let meta = matches!(
            ch,
            ' ' | '\t' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>'
        );
        if !meta && !matches!(ch, '\\' | '\'' | '"' | '$' | '`') {
            t[c] = PLAIN_BYTE;
        }
        if matches!(ch, '{' | '*' | '?' | '[') {
            t[c] |= GLOB_BYTE;
        }
        c += 1;
    }
    t
};

/// Builtins whose assignment arguments are parsed as assignments (`local a=(x y)`).
const DECLARATION: &[&str] = &["declare", "typeset", "local", "readonly", "export"];

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// A word and where its source text ends (the text from the token's start, taken only
    /// where it is needed: assignments, function names, `for` headers, error messages).
    Word(Word, usize),
    Redir(Redir),
    Semi,
    Amp,
    AndIf,
    OrIf,
    Pipe,
    /// `|&`
    PipeAmp,
    /// `;;`, `;&`, `;;&`
    CaseEnd(u8),
    /// `(( ... ))` (the text between the parentheses)
    Arith(String),
    LParen,
    RParen,
    Newline,
    Marker(String),
    Eof,
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    start: usize,
}

/// The script's characters: borrowed bytes when it is all ASCII (a character index is a byte
/// index, and a piece of text is one copy of a slice), else decoded characters.
enum Src<'a> {
    Ascii(&'a str),
    Chars(Vec<char>),
}

impl Src<'_> {
    fn len(&self) -> usize {
        match self {
            Src::Ascii(s) => s.len(),
            Src::Chars(c) => c.len(),
        }
    }

    fn get(&self, i: usize) -> Option<char> {
        match self {
            Src::Ascii(s) => s.as_bytes().get(i).map(|b| char::from(*b)),
            Src::Chars(c) => c.get(i).copied(),
        }
    }

    /// The character at `i` (`'\0'` past the end: callers check the length first).
    fn at(&self, i: usize) -> char {
        self.get(i).unwrap_or('\0')
    }

    fn text(&self, from: usize, to: usize) -> String {
        let (from, to) = (from.min(self.len()), to.min(self.len()));
        match self {
            Src::Ascii(s) => s.get(from..to).unwrap_or_default().to_string(),
            Src::Chars(c) => c.get(from..to).unwrap_or_default().iter().collect(),
        }
    }
}

struct Parser<'a> {
    file: String,
    s: Src<'a>,
    pos: usize,
    line_starts: Vec<usize>,
    /// The index in `line_starts` of the line [`Parser::line_of`] last found (the parser
    /// asks for the line of positions in order: most are on that line or the next).
    last_line: std::cell::Cell<usize>,
    /// (position of a newline, where to continue after it): heredoc bodies to jump over.
    skips: Vec<(usize, usize)>,
    peeked: Option<Token>,
    depth: usize,
    /// [`Parser::plain_line`] is tried at each top-level command (off only in the tests that
    /// check it against the general path).
    plain_lines: bool,
}

/// (the error boxed: the parser's results, a token in most, stay small to move)
type PResult<T> = Result<T, Box<ShellError>>;

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn is_meta(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>'
    )
}

/// Is `s` a valid variable name?
pub fn is_name(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if is_name_start(c)) && cs.all(is_name_char)
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, file: &str) -> Self {
        let s = if src.is_ascii() {
            Src::Ascii(src)
        } else {
            // (sized once: collecting `chars()` grows the vector from a quarter of the length)
            let mut s = Vec::with_capacity(src.len());
            s.extend(src.chars());
            Src::Chars(s)
        };
        let mut line_starts = vec![0];
        match &s {
            // (`match_indices` of a character finds it with `memchr`, a word at a time)
            Src::Ascii(t) => line_starts.extend(t.match_indices('\n').map(|(i, _)| i + 1)),
            Src::Chars(c) => line_starts.extend(
                c.iter()
                    .enumerate()
                    .filter(|&(_, &ch)| ch == '\n')
                    .map(|(i, _)| i + 1),
            ),
        }
        Parser {
            file: file.to_string(),
            s,
            pos: 0,
            line_starts,
            last_line: std::cell::Cell::new(0),
            skips: Vec::new(),
            peeked: None,
            depth: 0,
            plain_lines: true,
        }
    }

    fn line_of(&self, pos: usize) -> u32 {
        let on = |i: usize| {
            self.line_starts.get(i).is_some_and(|&s| s <= pos)
                && self.line_starts.get(i + 1).is_none_or(|&n| pos < n)
        };
        let last = self.last_line.get();
        let idx = if on(last) {
            last
        } else if on(last + 1) {
            last + 1
        } else {
            match self.line_starts.binary_search(&pos) {
                Ok(i) => i,
                Err(i) => i.saturating_sub(1),
            }
        };
        self.last_line.set(idx);
        u32::try_from(idx + 1).unwrap_or(u32::MAX)
    }

    fn err_at<T>(&self, pos: usize, message: impl Into<String>) -> PResult<T> {
        let message = message.into();
        let line = self.line_of(pos);
        // report_syntax_error: an unexpected token is followed by print_offending_line.
        let input_line = message
            .starts_with("syntax error near unexpected token")
            .then(|| self.line_text(line));
        Err(Box::new(ShellError {
            file: self.file.clone(),
            line,
            message,
            input_line,
        }))
    }

    /// The text of line `line` (1-based) without its newline.
    fn line_text(&self, line: u32) -> String {
        let i = (line as usize).saturating_sub(1);
        let from = self.line_starts.get(i).copied().unwrap_or(self.s.len());
        let to = self
            .line_starts
            .get(i + 1)
            .map_or(self.s.len(), |n| n.saturating_sub(1));
        self.text(from, to.max(from))
    }

    fn ch(&self, off: usize) -> Option<char> {
        self.s.get(self.pos + off)
    }

    fn text(&self, from: usize, to: usize) -> String {
        self.s.text(from, to)
    }

    /// Consumes a newline at `self.pos`, jumping over heredoc bodies.
    fn eat_newline(&mut self) {
        let at = self.pos;
        self.pos += 1;
        if let Some(i) = self.skips.iter().position(|(nl, _)| *nl == at) {
            self.pos = self.skips[i].1;
            self.skips.remove(i);
        }
    }

    // ---------------------------------------------------------------- lexer

    fn peek(&mut self) -> PResult<&Token> {
        if self.peeked.is_none() {
            let t = self.lex()?;
            self.peeked = Some(t);
        }
        match &self.peeked {
            Some(t) => Ok(t),
            None => self.err_at(self.pos, "internal error: no token"),
        }
    }

    fn next(&mut self) -> PResult<Token> {
        self.peek()?;
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.err_at(self.pos, "internal error: no token"),
        }
    }

    fn skip_blanks(&mut self) {
        loop {
            match self.ch(0) {
                Some(' ') | Some('\t') | Some('\r') => self.pos += 1,
                Some('\\') if self.ch(1) == Some('\n') => self.pos += 2,
                _ => break,
            }
        }
    }

    fn lex(&mut self) -> PResult<Token> {
        self.skip_blanks();
        let start = self.pos;
        let Some(c) = self.ch(0) else {
            return Ok(Token {
                tok: Tok::Eof,
                start,
            });
        };
        let tok = match c {
            '#' => {
                let line_start = self.line_starts[(self.line_of(start) - 1) as usize];
                let full_line = (line_start..start).all(|i| self.s.at(i).is_whitespace());
                while let Some(c) = self.ch(0) {
                    if c == '\n' {
                        break;
                    }
                    self.pos += 1;
                }
                let text = self.text(start, self.pos);
                if full_line && text.starts_with("# ---") {
                    Tok::Marker(text.trim().to_string())
                } else {
                    return self.lex();
                }
            }
            '\n' => {
                self.eat_newline();
                Tok::Newline
            }
            ';' => match (self.ch(1), self.ch(2)) {
                (Some(';'), Some('&')) => {
                    self.pos += 3;
                    Tok::CaseEnd(2)
                }
                (Some(';'), _) => {
                    self.pos += 2;
                    Tok::CaseEnd(0)
                }
                (Some('&'), _) => {
                    self.pos += 2;
                    Tok::CaseEnd(1)
                }
                _ => {
                    self.pos += 1;
                    Tok::Semi
                }
            },
            '&' => match self.ch(1) {
                Some('&') => {
                    self.pos += 2;
                    Tok::AndIf
                }
                Some('>') => {
                    if self.ch(2) == Some('>') {
                        self.pos += 3;
                        let w = self.redir_target(start)?;
                        return Ok(Token {
                            tok: Tok::Redir(Redir {
                                fd: 1,
                                op: RedirOp::AppendErr(w),
                            }),
                            start,
                        });
                    }
                    self.pos += 2;
                    let w = self.redir_target(start)?;
                    Tok::Redir(Redir {
                        fd: 1,
                        op: RedirOp::OutErr(w),
                    })
                }
                _ => {
                    self.pos += 1;
                    Tok::Amp
                }
            },
            '|' => match self.ch(1) {
                Some('|') => {
                    self.pos += 2;
                    Tok::OrIf
                }
                Some('&') => {
                    self.pos += 2;
                    Tok::PipeAmp
                }
                _ => {
                    self.pos += 1;
                    Tok::Pipe
                }
            },
            '(' => {
                if self.ch(1) == Some('(') {
                    if let Some(end) = self.arith_end(self.pos + 2) {
                        let t = self.text(self.pos + 2, end);
                        self.pos = end + 2;
                        return Ok(Token {
                            tok: Tok::Arith(t),
                            start,
                        });
                    }
                }
                self.pos += 1;
                Tok::LParen
            }
            ')' => {
                self.pos += 1;
                Tok::RParen
            }
            '<' | '>' if self.ch(1) == Some('(') => {
                let p = self.lex_procsub()?;
                Tok::Word(Word::one(p), self.pos)
            }
            '<' | '>' => Tok::Redir(self.lex_redir(None, start)?),
            c if c.is_ascii_digit() => {
                let mut n = 0;
                while self.ch(n).is_some_and(|c| c.is_ascii_digit()) {
                    n += 1;
                }
                if matches!(self.ch(n), Some('<') | Some('>')) {
                    let fd: u32 = self
                        .text(self.pos, self.pos + n)
                        .parse()
                        .unwrap_or(u32::MAX);
                    if fd > 9 {
                        return self.err_at(start, format!("{fd}: bad file descriptor"));
                    }
                    self.pos += n;
                    Tok::Redir(self.lex_redir(Some(fd), start)?)
                } else {
                    let w = self.lex_word_parts()?;
                    Tok::Word(w, self.pos)
                }
            }
            _ => {
                let w = self.lex_word_parts()?;
                Tok::Word(w, self.pos)
            }
        };
        Ok(Token { tok, start })
    }

    fn redir_target(&mut self, op_start: usize) -> PResult<Word> {
        self.skip_blanks();
        let start = self.pos;
        match self.ch(0) {
            None => self.err_at(op_start, "syntax error near unexpected token `newline'"),
            Some('<' | '>') if self.ch(1) == Some('(') => Ok(Word::one(self.lex_procsub()?)),
            Some(c) if is_meta(c) => {
                let t = if c == '\n' {
                    "newline".to_string()
                } else {
                    c.to_string()
                };
                self.err_at(
                    op_start,
                    format!("syntax error near unexpected token `{t}'"),
                )
            }
            Some(_) => Ok(self.lex_word(start)?.0),
        }
    }

    fn lex_redir(&mut self, fd: Option<u32>, start: usize) -> PResult<Redir> {
        let c = self.ch(0).unwrap_or('>');
        let c1 = self.ch(1);
        if c == '<' {
            let fd = fd.unwrap_or(0);
            match c1 {
                Some('<') if self.ch(2) == Some('<') => {
                    self.pos += 3;
                    Ok(Redir {
                        fd,
                        op: RedirOp::HereString(self.redir_target(start)?),
                    })
                }
                Some('<') => {
                    let strip = self.ch(2) == Some('-');
                    self.pos += if strip { 3 } else { 2 };
                    let op = self.heredoc(strip, start)?;
                    Ok(Redir { fd, op })
                }
                Some('&') => {
                    self.pos += 2;
                    self.dup_target(fd, start)
                }
                Some('>') => self.err_at(start, "'<>' redirections are not supported"),
                _ => {
                    self.pos += 1;
                    Ok(Redir {
                        fd,
                        op: RedirOp::In(self.redir_target(start)?),
                    })
                }
            }
        } else {
            let fd = fd.unwrap_or(1);
            match c1 {
                Some('>') => {
                    self.pos += 2;
                    Ok(Redir {
                        fd,
                        op: RedirOp::Append(self.redir_target(start)?),
                    })
                }
                Some('&') => {
                    self.pos += 2;
                    self.dup_target(fd, start)
                }
                Some('|') => {
                    self.pos += 2;
                    Ok(Redir {
                        fd,
                        op: RedirOp::Out(self.redir_target(start)?),
                    })
                }
                _ => {
                    self.pos += 1;
                    Ok(Redir {
                        fd,
                        op: RedirOp::Out(self.redir_target(start)?),
                    })
                }
            }
        }
    }

    fn dup_target(&mut self, fd: u32, start: usize) -> PResult<Redir> {
        let w = self.redir_target(start)?;
        match w.as_plain() {
            Some("-") => Ok(Redir {
                fd,
                op: RedirOp::Close,
            }),
            Some(n) if n.len() == 1 && n.chars().all(|c| c.is_ascii_digit()) => Ok(Redir {
                fd,
                op: RedirOp::Dup(n.parse().unwrap_or(1)),
            }),
            _ if fd == 1 => Ok(Redir {
                fd,
                op: RedirOp::OutErr(w),
            }),
            _ => self.err_at(start, "ambiguous redirect"),
        }
    }

    /// After `<<` / `<<-`: reads the delimiter and the body (from the line after this one).
    fn heredoc(&mut self, strip: bool, start: usize) -> PResult<RedirOp> {
        let w = self.redir_target(start)?;
        let mut quoted = false;
        let mut delim = String::new();
        for part in &w.parts {
            match part {
                WordPart::Lit(s) => delim.push_str(s),
                WordPart::Quoted(s) => {
                    quoted = true;
                    delim.push_str(s)
                }
                WordPart::DQuoted(ps) => {
                    quoted = true;
                    for p in ps {
                        match p {
                            WordPart::Quoted(s) | WordPart::Lit(s) => delim.push_str(s),
                            _ => {
                                return self.err_at(
                                    start,
                                    "expansions in a heredoc delimiter are not supported",
                                )
                            }
                        }
                    }
                }
                _ => {
                    return self
                        .err_at(start, "expansions in a heredoc delimiter are not supported")
                }
            }
        }
        // Where this line ends, and where the body starts (after earlier heredocs on this line).
        let mut nl = self.pos;
        while nl < self.s.len() && self.s.at(nl) != '\n' {
            nl += 1;
        }
        let existing = self.skips.iter().position(|(p, _)| *p == nl);
        let body_start = match existing {
            Some(i) => self.skips[i].1,
            None => (nl + 1).min(self.s.len()),
        };
        // Collect the body's lines: (content start, content end) after tab stripping.
        let mut lines = Vec::new();
        let mut p = body_start;
        let mut end = self.s.len();
        let mut terminated = false;
        while p < self.s.len() {
            let mut q = p;
            while q < self.s.len() && self.s.at(q) != '\n' {
                q += 1;
            }
            let mut cs = p;
            if strip {
                while cs < q && self.s.at(cs) == '\t' {
                    cs += 1;
                }
            }
            let next = (q + 1).min(self.s.len());
            if self.text(cs, q) == delim {
                end = next;
                terminated = true;
                break;
            }
            lines.push((cs, q));
            p = next;
        }
        if !terminated {
            // bash only warns and takes the rest of the script as the body; in a lab a missing
            // delimiter is a mistake, so it is an error here
            let line = self.line_of(start);
            return self.err_at(
                start,
                format!("here-document at line {line} delimited by end-of-file (wanted '{delim}')"),
            );
        }
        match existing {
            Some(i) => self.skips[i].1 = end,
            None => self.skips.push((nl, end)),
        }
        let mut body = Vec::new();
        if quoted {
            let mut t = String::new();
            for (a, b) in &lines {
                t.push_str(&self.text(*a, *b));
                t.push('\n');
            }
            body.push(WordPart::Quoted(t));
        } else {
            let save = self.pos;
            let save_peek = self.peeked.take();
            for (a, b) in &lines {
                self.pos = *a;
                self.lex_dq_parts(&mut body, Some(*b))?;
                push_lit(&mut body, "\n", true);
            }
            self.pos = save;
            self.peeked = save_peek;
        }
        Ok(RedirOp::HereDoc {
            body,
            expand: !quoted,
        })
    }

    /// Lexes one word (the caller has checked that it does not start with a metacharacter).
    fn lex_word(&mut self, start: usize) -> PResult<(Word, String)> {
        let w = self.lex_word_parts()?;
        Ok((w, self.text(start, self.pos)))
    }

    /// Lexes one word from `self.pos` (as [`Parser::lex_word`], without its source text).
    fn lex_word_parts(&mut self) -> PResult<Word> {
        // A word of plain characters alone (most words of a lab) is one literal.
        let plain = |c: char| !is_meta(c) && !matches!(c, '\\' | '\'' | '"' | '$' | '`');
        let mut end = self.pos;
        match &self.s {
            // (an ASCII script's bytes scanned directly)
            Src::Ascii(t) => {
                let b = t.as_bytes();
                while end < b.len() && plain(char::from(b[end])) {
                    end += 1;
                }
            }
            Src::Chars(_) => {
                while self.s.get(end).is_some_and(plain) {
                    end += 1;
                }
            }
        }
        if end > self.pos && self.s.get(end).is_none_or(is_meta) {
            let text = self.text(self.pos, end);
            self.pos = end;
            return Ok(Word::one(WordPart::Lit(text)));
        }
        let mut parts = Parts::new();
        while let Some(c) = self.ch(0) {
            if is_meta(c) {
                break;
            }
            match c {
                '\\' => match self.ch(1) {
                    Some('\n') => self.pos += 2,
                    Some(e) => {
                        self.pos += 2;
                        push_lit(&mut parts, &e.to_string(), true);
                    }
                    None => {
                        self.pos += 1;
                        push_lit(&mut parts, "\\", false);
                    }
                },
                '\'' => {
                    let q = self.pos;
                    self.pos += 1;
                    let mut t = String::new();
                    loop {
                        match self.ch(0) {
                            None => {
                                return self
                                    .err_at(q, "unexpected EOF while looking for matching `''")
                            }
                            Some('\'') => {
                                self.pos += 1;
                                break;
                            }
                            Some(c) => {
                                t.push(c);
                                self.pos += 1;
                            }
                        }
                    }
                    push_lit(&mut parts, &t, true);
                }
                '"' => {
                    let q = self.pos;
                    self.pos += 1;
                    let mut inner = Vec::new();
                    self.lex_dq_parts(&mut inner, None)?;
                    if self.ch(0) != Some('"') {
                        return self.err_at(q, "unexpected EOF while looking for matching `\"'");
                    }
                    self.pos += 1;
                    parts.push(WordPart::DQuoted(inner));
                }
                '$' => {
                    let p = self.lex_dollar()?;
                    match p {
                        WordPart::Lit(s) => push_lit(&mut parts, &s, false),
                        p => parts.push(p),
                    }
                }
                '`' => {
                    let p = self.lex_backquote()?;
                    parts.push(p);
                }
                _ => {
                    // a run of plain characters at once (most of a lab's text)
                    let from = self.pos;
                    self.pos += 1;
                    while self
                        .ch(0)
                        .is_some_and(|c| !is_meta(c) && !matches!(c, '\\' | '\'' | '"' | '$' | '`'))
                    {
                        self.pos += 1;
                    }
                    let run = self.text(from, self.pos);
                    match parts.last_mut() {
                        Some(WordPart::Lit(t)) => t.push_str(&run),
                        _ => parts.push(WordPart::Lit(run)),
                    }
                }
            }
        }
        Ok(Word { parts })
    }

    /// Lexes the inside of "..." (stops at the closing quote, not consumed) or a heredoc line
    /// (stops at `until`).
    fn lex_dq_parts(&mut self, out: &mut Vec<WordPart>, until: Option<usize>) -> PResult<()> {
        loop {
            if until.is_some_and(|u| self.pos >= u) {
                return Ok(());
            }
            let Some(c) = self.ch(0) else { return Ok(()) };
            match c {
                '"' if until.is_none() => return Ok(()),
                '\\' => match self.ch(1) {
                    Some('\n') => self.pos += 2,
                    Some(e @ ('$' | '`' | '\\')) => {
                        self.pos += 2;
                        push_lit(out, &e.to_string(), true);
                    }
                    Some('"') if until.is_none() => {
                        self.pos += 2;
                        push_lit(out, "\"", true);
                    }
                    _ => {
                        self.pos += 1;
                        push_lit(out, "\\", true);
                    }
                },
                '$' => {
                    let p = self.lex_dollar()?;
                    match p {
                        WordPart::Lit(s) => push_lit(out, &s, true),
                        p => out.push(p),
                    }
                }
                '`' => {
                    let p = self.lex_backquote()?;
                    out.push(p);
                }
                c => {
                    self.pos += 1;
                    push_lit(out, &c.to_string(), true);
                }
            }
        }
    }

    /// Where the `))` closing an arithmetic `((` opened just before `from` is, if the text
    /// is one (parentheses balance before a `))`).
    fn arith_end(&self, from: usize) -> Option<usize> {
        let mut depth = 0i32;
        let mut i = from;
        let mut quote: Option<char> = None;
        while i < self.s.len() {
            let c = self.s.at(i);
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '(') => depth += 1,
                (None, ')') if depth == 0 => {
                    return (self.s.get(i + 1) == Some(')')).then_some(i);
                }
                (None, ')') => depth -= 1,
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// At a backquote: `` `cmd` `` as a command substitution (`\\`, `` \` `` and `\$`
    /// unescaped, as bash does inside backquotes).
    fn lex_backquote(&mut self) -> PResult<WordPart> {
        let start = self.pos;
        self.pos += 1;
        let mut inner = String::new();
        loop {
            match self.ch(0) {
                None => return self.err_at(start, "unexpected EOF while looking for matching ``'"),
                Some('`') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') if matches!(self.ch(1), Some('\\' | '`' | '$')) => {
                    inner.push(self.ch(1).unwrap_or('\\'));
                    self.pos += 2;
                }
                Some(c) => {
                    inner.push(c);
                    self.pos += 1;
                }
            }
        }
        self.enter(start)?;
        let mut sub = Parser::new(&inner, &self.file);
        sub.depth = self.depth;
        let line0 = self.line_of(start);
        let mut items = Vec::new();
        let r = sub.parse_script(&mut items);
        self.depth -= 1;
        if let Err(mut e) = r {
            e.line += line0 - 1;
            return Err(e);
        }
        let mut list = Vec::new();
        for it in items {
            list.extend(it.list);
        }
        shift_lines(&mut list, line0 - 1);
        Ok(WordPart::CmdSub(list))
    }

    /// At `<(` or `>(`: a process substitution.
    fn lex_procsub(&mut self) -> PResult<WordPart> {
        let start = self.pos;
        let output = self.ch(0) == Some('>');
        self.pos += 2;
        self.enter(start)?;
        let saved = self.peeked.take();
        let list = self.parse_compound_list(&[], true)?;
        let t = self.next()?;
        if t.tok != Tok::RParen {
            return self.unexpected(&t);
        }
        self.peeked = saved;
        self.depth -= 1;
        Ok(WordPart::ProcSub(list, output))
    }

    /// At a `$`: parses an expansion (or returns a literal `$`).
    fn lex_dollar(&mut self) -> PResult<WordPart> {
        let start = self.pos;
        self.pos += 1;
        match self.ch(0) {
            Some('(') => {
                if self.ch(1) == Some('(') {
                    if let Some(end) = self.arith_end(self.pos + 2) {
                        let text = self.text(self.pos + 2, end);
                        let parts = self.sub_dq(&text, start)?;
                        self.pos = end + 2;
                        return Ok(WordPart::Arith(parts));
                    }
                }
                self.pos += 1;
                self.enter(start)?;
                let saved = self.peeked.take();
                let list = self.parse_compound_list(&[], true)?;
                let t = self.next()?;
                if t.tok != Tok::RParen {
                    return self.unexpected(&t);
                }
                self.peeked = saved;
                self.depth -= 1;
                Ok(WordPart::CmdSub(list))
            }
            Some('{') => {
                self.pos += 1;
                self.enter(start)?;
                let r = self.lex_brace_param(start);
                self.depth -= 1;
                r
            }
            Some(c) if is_name_start(c) => {
                let ns = self.pos;
                while self.ch(0).is_some_and(is_name_char) {
                    self.pos += 1;
                }
                Ok(WordPart::Param(self.text(ns, self.pos)))
            }
            Some(c)
                if c.is_ascii_digit() || matches!(c, '?' | '!' | '#' | '$' | '@' | '*' | '-') =>
            {
                self.pos += 1;
                Ok(WordPart::Param(c.to_string()))
            }
            Some('\'') => {
                self.pos += 1;
                let mut raw = String::new();
                loop {
                    match self.ch(0) {
                        None => {
                            return self
                                .err_at(start, "unexpected EOF while looking for matching `''")
                        }
                        Some('\'') => {
                            self.pos += 1;
                            break;
                        }
                        Some('\\') => {
                            raw.push('\\');
                            if let Some(c) = self.ch(1) {
                                raw.push(c);
                            }
                            self.pos += 2;
                        }
                        Some(c) => {
                            raw.push(c);
                            self.pos += 1;
                        }
                    }
                }
                Ok(WordPart::Quoted(ansi_c(&raw)))
            }
            _ => Ok(WordPart::Lit("$".to_string())),
        }
    }

    /// Parses `text` (from this script, at `at`) as the inside of double quotes.
    fn sub_dq(&self, text: &str, at: usize) -> PResult<Vec<WordPart>> {
        let mut sub = Parser::new(text, &self.file);
        sub.depth = self.depth + 1;
        if sub.depth > MAX_DEPTH {
            return self.err_at(at, "nesting too deep");
        }
        let mut out = Vec::new();
        let n = sub.s.len();
        let line0 = self.line_of(at);
        sub.lex_dq_parts(&mut out, Some(n)).map_err(|mut e| {
            e.line += line0 - 1;
            e
        })?;
        Ok(out)
    }

    /// After `${`: the parameter, its index and its operator, up to the closing `}`.
    fn lex_brace_param(&mut self, start: usize) -> PResult<WordPart> {
        let mut length = false;
        let mut indirect = false;
        if self.ch(0) == Some('#') && !matches!(self.ch(1), Some('}') | None) {
            length = true;
            self.pos += 1;
        } else if self.ch(0) == Some('!') && !matches!(self.ch(1), Some('}') | None) {
            indirect = true;
            self.pos += 1;
        }
        let ns = self.pos;
        match self.ch(0) {
            Some(c) if is_name_start(c) => {
                while self.ch(0).is_some_and(is_name_char) {
                    self.pos += 1;
                }
            }
            Some(c) if c.is_ascii_digit() => {
                while self.ch(0).is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
            }
            Some('?' | '!' | '#' | '$' | '@' | '*' | '-') => self.pos += 1,
            _ => {
                return self.err_at(
                    start,
                    format!("{}: bad substitution", self.bad_subst(start)),
                )
            }
        }
        let name = self.text(ns, self.pos);
        let mut index = None;
        if self.ch(0) == Some('[') {
            let is = self.pos + 1;
            let mut depth = 0;
            let mut i = is;
            while i < self.s.len() {
                match self.s.at(i) {
                    '[' => depth += 1,
                    ']' if depth == 0 => break,
                    ']' => depth -= 1,
                    _ => {}
                }
                i += 1;
            }
            if i >= self.s.len() {
                return self.err_at(
                    start,
                    format!("{}: bad substitution", self.bad_subst(start)),
                );
            }
            let text = self.text(is, i);
            index = Some(self.sub_dq(&text, start)?);
            self.pos = i + 1;
        }
        let op = match (self.ch(0), self.ch(1)) {
            (Some('}'), _) => {
                self.pos += 1;
                ParamOp::None
            }
            (Some(':'), Some(k @ ('-' | '=' | '?' | '+')))
            | (Some(k @ ('-' | '=' | '?' | '+')), _) => {
                let colon = self.ch(0) == Some(':');
                self.pos += if colon { 2 } else { 1 };
                let mut word = Vec::new();
                self.lex_brace_word_until(&mut word, start, &['}'])?;
                ParamOp::Test {
                    colon,
                    kind: k,
                    word,
                }
            }
            (Some(':'), _) => {
                self.pos += 1;
                let mut offset = Vec::new();
                let end = self.lex_brace_word_until(&mut offset, start, &[':', '}'])?;
                let length = if end == ':' {
                    let mut l = Vec::new();
                    self.lex_brace_word_until(&mut l, start, &['}'])?;
                    Some(l)
                } else {
                    None
                };
                ParamOp::Substr { offset, length }
            }
            (Some(c @ ('#' | '%')), n) => {
                let longest = n == Some(c);
                self.pos += if longest { 2 } else { 1 };
                let mut pattern = Vec::new();
                self.lex_brace_word_until(&mut pattern, start, &['}'])?;
                ParamOp::Trim {
                    suffix: c == '%',
                    longest,
                    pattern,
                }
            }
            (Some('/'), n) => {
                let mode = match n {
                    Some('/') => 'a',
                    Some('#') => '#',
                    Some('%') => '%',
                    _ => '/',
                };
                self.pos += if mode == '/' { 1 } else { 2 };
                let mut pattern = Vec::new();
                let end = self.lex_brace_word_until(&mut pattern, start, &['/', '}'])?;
                let mut with = Vec::new();
                if end == '/' {
                    self.lex_brace_word_until(&mut with, start, &['}'])?;
                }
                ParamOp::Replace {
                    mode,
                    pattern,
                    with,
                }
            }
            (Some(c @ ('^' | ',')), n) => {
                let all = n == Some(c);
                self.pos += if all { 2 } else { 1 };
                let mut ignored = Vec::new();
                self.lex_brace_word_until(&mut ignored, start, &['}'])?;
                ParamOp::Case {
                    upper: c == '^',
                    all,
                }
            }
            (Some('@'), Some(t)) if t.is_ascii_alphabetic() && self.ch(2) == Some('}') => {
                self.pos += 3;
                ParamOp::Transform(t)
            }
            _ => {
                return self.err_at(
                    start,
                    format!("{}: bad substitution", self.bad_subst(start)),
                )
            }
        };
        if op == ParamOp::None && index.is_none() && !length && !indirect {
            return Ok(WordPart::Param(name));
        }
        Ok(WordPart::Expand(Box::new(ParamExp {
            name,
            index,
            length,
            indirect,
            op,
        })))
    }

    fn bad_subst(&self, start: usize) -> String {
        let mut end = start;
        while end < self.s.len() && self.s.at(end) != '}' && self.s.at(end) != '\n' {
            end += 1;
        }
        self.text(start, (end + 1).min(self.s.len()))
    }

    /// The word of `${X:-word}` up to one of `stops` at the top level (consumed, returned).
    fn lex_brace_word_until(
        &mut self,
        out: &mut Vec<WordPart>,
        start: usize,
        stops: &[char],
    ) -> PResult<char> {
        let mut depth = 0;
        loop {
            match self.ch(0) {
                None => return self.err_at(start, "unexpected EOF while looking for matching `}'"),
                Some(c) if depth == 0 && stops.contains(&c) => {
                    self.pos += 1;
                    return Ok(c);
                }
                Some('\\') => {
                    let e = self.ch(1).unwrap_or('\\');
                    self.pos = (self.pos + 2).min(self.s.len());
                    push_lit(out, &e.to_string(), true);
                }
                Some('\'') => {
                    let q = self.pos;
                    self.pos += 1;
                    let mut t = String::new();
                    loop {
                        match self.ch(0) {
                            None => {
                                return self
                                    .err_at(q, "unexpected EOF while looking for matching `''")
                            }
                            Some('\'') => break,
                            Some(c) => t.push(c),
                        }
                        self.pos += 1;
                    }
                    self.pos += 1;
                    push_lit(out, &t, true);
                }
                Some('"') => {
                    let q = self.pos;
                    self.pos += 1;
                    let mut inner = Vec::new();
                    self.lex_dq_parts(&mut inner, None)?;
                    if self.ch(0) != Some('"') {
                        return self.err_at(q, "unexpected EOF while looking for matching `\"'");
                    }
                    self.pos += 1;
                    out.push(WordPart::DQuoted(inner));
                }
                Some('$') => {
                    let p = self.lex_dollar()?;
                    match p {
                        WordPart::Lit(s) => push_lit(out, &s, false),
                        p => out.push(p),
                    }
                }
                Some('`') => {
                    let p = self.lex_backquote()?;
                    out.push(p);
                }
                Some(c) => {
                    if c == '{' {
                        depth += 1;
                    } else if c == '}' {
                        depth -= 1;
                    }
                    self.pos += 1;
                    push_lit(out, &c.to_string(), false);
                }
            }
        }
    }

    fn enter(&mut self, at: usize) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err_at(at, "nesting too deep");
        }
        Ok(())
    }

    // ---------------------------------------------------------------- parser

    fn unexpected<T>(&self, t: &Token) -> PResult<T> {
        let what = match &t.tok {
            Tok::Eof => {
                // bash counts the end of a last line without a newline as one more line
                let extra = u32::from(self.s.len() > 0 && self.s.at(self.s.len() - 1) != '\n');
                return Err(Box::new(ShellError {
                    file: self.file.clone(),
                    line: self.line_of(t.start) + extra,
                    message: "syntax error: unexpected end of file".into(),
                    input_line: None,
                }));
            }
            Tok::Word(_, end) => self.text(t.start, *end),
            Tok::Redir(_) => self.text(t.start, self.pos).trim().to_string(),
            Tok::Semi => ";".into(),
            Tok::Amp => "&".into(),
            Tok::AndIf => "&&".into(),
            Tok::OrIf => "||".into(),
            Tok::Pipe => "|".into(),
            Tok::PipeAmp => "|&".into(),
            Tok::CaseEnd(0) => ";;".into(),
            Tok::CaseEnd(1) => ";&".into(),
            Tok::CaseEnd(_) => ";;&".into(),
            Tok::Arith(t) => format!("(({t}))"),
            Tok::LParen => "(".into(),
            Tok::RParen => ")".into(),
            Tok::Newline => "newline".into(),
            Tok::Marker(_) => "newline".into(),
        };
        self.err_at(
            t.start,
            format!("syntax error near unexpected token `{what}'"),
        )
    }

    fn parse_script(&mut self, items: &mut Vec<TopItem>) -> PResult<()> {
        let mut src_start = 0;
        while let Some(item) = self.parse_top_item(&mut src_start, true)? {
            items.push(item);
        }
        Ok(())
    }

    /// The next top-level complete command (bash reads and runs one at a time), `None` at the
    /// end of the script. `src_start` is where the text not yet given to an item starts; the
    /// item's source text is copied only when `want_source` (else it is empty).
    fn parse_top_item(
        &mut self,
        src_start: &mut usize,
        want_source: bool,
    ) -> PResult<Option<TopItem>> {
        if let Some(item) = self.plain_line(src_start, want_source) {
            return Ok(Some(item));
        }
        loop {
            let t = self.next()?;
            match t.tok {
                Tok::Eof => {
                    // (the end stays the next token: a later call returns `None` again)
                    self.peeked = Some(t);
                    return Ok(None);
                }
                Tok::Newline => continue,
                Tok::Marker(m) => {
                    // include the marker line's newline in its source text
                    let source = if want_source {
                        self.text(*src_start, self.pos.max(*src_start)) + "\n"
                    } else {
                        String::new()
                    };
                    let item = TopItem {
                        list: smallvec::smallvec![marker_item(m, self.line_of(t.start))],
                        source,
                        plain_words: false,
                    };
                    if self.ch(0) == Some('\n') {
                        self.eat_newline();
                    }
                    *src_start = self.pos;
                    return Ok(Some(item));
                }
                tok => {
                    self.peeked = Some(Token {
                        tok,
                        start: t.start,
                    });
                    let mut list = smallvec::SmallVec::<[ListItem; 1]>::new();
                    loop {
                        let and_or = self.parse_and_or()?;
                        let t = self.next()?;
                        match t.tok {
                            Tok::Semi | Tok::Amp => {
                                list.push(ListItem {
                                    and_or,
                                    background: t.tok == Tok::Amp,
                                });
                                let n = self.peek()?;
                                if matches!(n.tok, Tok::Newline | Tok::Eof | Tok::Marker(_)) {
                                    break;
                                }
                            }
                            Tok::Newline | Tok::Eof => {
                                list.push(ListItem {
                                    and_or,
                                    background: false,
                                });
                                if t.tok == Tok::Eof {
                                    self.peeked = Some(t);
                                }
                                break;
                            }
                            Tok::Marker(m) => {
                                // `cmd # --- x` cannot happen (not a full-line comment)
                                list.push(ListItem {
                                    and_or,
                                    background: false,
                                });
                                list.push(marker_item(m, self.line_of(t.start)));
                                break;
                            }
                            _ => return self.unexpected(&t),
                        }
                    }
                    if self.peeked.as_ref().is_some_and(|t| t.tok == Tok::Newline) {
                        self.peeked = None;
                    }
                    let end = match &self.peeked {
                        Some(t) => t.start,
                        None => self.pos,
                    };
                    let item = TopItem {
                        list,
                        source: if want_source {
                            self.text(*src_start, end)
                        } else {
                            String::new()
                        },
                        plain_words: false,
                    };
                    *src_start = end;
                    return Ok(Some(item));
                }
            }
        }
    }

    /// The next top-level command when its line is plain words alone, run in the foreground
    /// or ended by `;` or `&` (`ip netns exec ns1 ping -c 1 10.0.0.2 &`: most of a lab's
    /// lines): parsed in one scan of the line's bytes into the item [`Parser::parse_top_item`]'s
    /// general path gives for it (its words, line, source text and background flag), without
    /// the lexer's tokens and the parser's descent, whose code is most of what a plain command
    /// costs. `None` when the line holds anything else (quotes, `\`, `$`, redirections,
    /// operators, a comment after a word, a first word that is a reserved word, `!`, a
    /// declaration builtin or an assignment, a non-ASCII script): then nothing of the command
    /// has been consumed (only the blank lines and comments before it, which the lexer would
    /// skip the same way) and the general path parses it.
    fn plain_line(&mut self, src_start: &mut usize, want_source: bool) -> Option<TopItem> {
        if self.peeked.is_some() || !self.plain_lines {
            return None;
        }
        let t = match &self.s {
            Src::Ascii(t) => *t,
            Src::Chars(_) => return None,
        };
        let b = t.as_bytes();
        // the lexer's blanks (`skip_blanks`; a backslash-newline goes the general way)
        let blank = |c: Option<&u8>| matches!(c, Some(b' ' | b'\t' | b'\r'));
        let plain = |c: u8| BYTE_CLASS[usize::from(c)] & PLAIN_BYTE != 0;
        // (a glob or brace character in a word: the words are then not taken as they are)
        let mut glob = 0;
        // blank lines and comments before the command, skipped as `lex` skips them
        loop {
            while blank(b.get(self.pos)) {
                self.pos += 1;
            }
            match b.get(self.pos) {
                Some(b'\n') => self.eat_newline(),
                Some(b'#') => {
                    let start = self.pos;
                    let line_start = self.line_starts[(self.line_of(start) - 1) as usize];
                    let full_line = b[line_start..start]
                        .iter()
                        .all(|&c| char::from(c).is_whitespace());
                    let end = b[start..]
                        .iter()
                        .position(|&c| c == b'\n')
                        .map_or(b.len(), |n| start + n);
                    if full_line && b[start..end].starts_with(b"# ---") {
                        return None;
                    }
                    self.pos = end;
                }
                _ => break,
            }
        }
        let start = self.pos;
        // (a lab's lines have up to ~13 words: `ip netns exec NS ip neigh add A lladdr M dev D
        // nud permanent`; one allocation for them, not two or three as the vector grows)
        let mut words: Vec<Word> = Vec::with_capacity(16);
        let mut i = start;
        let background = loop {
            let from = i;
            while let Some(&c) = b.get(i) {
                let class = BYTE_CLASS[usize::from(c)];
                if class & PLAIN_BYTE == 0 {
                    break;
                }
                glob |= class;
                i += 1;
            }
            if i == from {
                return None;
            }
            words.push(Word::one(WordPart::Lit(t[from..i].to_string())));
            while blank(b.get(i)) {
                i += 1;
            }
            match b.get(i) {
                None | Some(b'\n') => break false,
                Some(b';') if !matches!(b.get(i + 1), Some(b';' | b'&')) => {
                    i += 1;
                    break false;
                }
                Some(b'&') if !matches!(b.get(i + 1), Some(b'&' | b'>')) => {
                    i += 1;
                    break true;
                }
                // the next word (`#` there starts a comment)
                Some(&c) if c != b'#' && plain(c) => {}
                _ => return None,
            }
        };
        // after `;` or `&`: the end of the line
        while blank(b.get(i)) {
            i += 1;
        }
        if !matches!(b.get(i), None | Some(b'\n')) {
            return None;
        }
        let first = words[0].as_plain().unwrap_or_default();
        if is_command_word(first)
            || first == "!"
            || first.contains('=')
            || DECLARATION.contains(&first)
        {
            return None;
        }
        let line = self.line_of(start);
        self.pos = i;
        if b.get(i) == Some(&b'\n') {
            self.eat_newline();
        }
        let end = self.pos;
        let source = if want_source {
            self.text(*src_start, end)
        } else {
            String::new()
        };
        *src_start = end;
        let cmd = SimpleCmd {
            assigns: Vec::new(),
            words,
            redirs: Vec::new(),
            line,
        };
        Some(TopItem {
            list: smallvec::smallvec![ListItem {
                and_or: AndOr {
                    first: Pipeline {
                        bang: false,
                        cmds: smallvec::smallvec![Command::Simple(cmd)],
                        err_pipe: Vec::new(),
                        line,
                    },
                    rest: Vec::new(),
                },
                background,
            }],
            source,
            plain_words: glob & GLOB_BYTE == 0,
        })
    }

    /// Skips newlines (and marker comments) where bash allows a line break.
    fn skip_newlines(&mut self) -> PResult<()> {
        while matches!(self.peek()?.tok, Tok::Newline | Tok::Marker(_)) {
            self.next()?;
        }
        Ok(())
    }

    fn is_terminator(&self, t: &Token, terms: &[&str], paren: bool) -> bool {
        match &t.tok {
            Tok::Eof => true,
            Tok::RParen => paren,
            Tok::CaseEnd(_) => terms.contains(&"esac"),
            Tok::Word(w, _) => w.as_plain().is_some_and(|s| terms.contains(&s)),
            _ => false,
        }
    }

    /// A list of commands inside a compound command or `$(...)`, up to (not including) one of
    /// the reserved words `terms` (or `)` when `paren`).
    fn parse_compound_list(&mut self, terms: &[&str], paren: bool) -> PResult<List> {
        let mut list = Vec::new();
        loop {
            loop {
                let t = self.peek()?.clone();
                match &t.tok {
                    Tok::Newline => {
                        self.next()?;
                    }
                    Tok::Marker(m) => {
                        let item = marker_item(m.clone(), self.line_of(t.start));
                        self.next()?;
                        list.push(item);
                    }
                    _ => break,
                }
            }
            let t = self.peek()?.clone();
            if self.is_terminator(&t, terms, paren) {
                if !list.iter().any(|i: &ListItem| !is_marker(i)) {
                    return self.unexpected(&t);
                }
                return Ok(list);
            }
            let and_or = self.parse_and_or()?;
            let t = self.peek()?.clone();
            let background = match t.tok {
                Tok::Semi | Tok::Newline => {
                    self.next()?;
                    false
                }
                Tok::Amp => {
                    self.next()?;
                    true
                }
                _ if self.is_terminator(&t, terms, paren) => false,
                _ => return self.unexpected(&t),
            };
            list.push(ListItem { and_or, background });
        }
    }

    fn parse_and_or(&mut self) -> PResult<AndOr> {
        let first = self.parse_pipeline()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek()?.tok {
                Tok::AndIf => AndOrOp::And,
                Tok::OrIf => AndOrOp::Or,
                _ => break,
            };
            self.next()?;
            self.skip_newlines()?;
            rest.push((op, self.parse_pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn parse_pipeline(&mut self) -> PResult<Pipeline> {
        let t = self.peek()?;
        let start = t.start;
        let bang = matches!(&t.tok, Tok::Word(w, _) if w.as_plain() == Some("!"));
        let line = self.line_of(start);
        if bang {
            self.next()?;
        }
        let mut cmds = smallvec::smallvec![self.parse_command()?];
        let mut err_pipe = Vec::new();
        while matches!(self.peek()?.tok, Tok::Pipe | Tok::PipeAmp) {
            err_pipe.push(self.next()?.tok == Tok::PipeAmp);
            self.skip_newlines()?;
            cmds.push(self.parse_command()?);
        }
        Ok(Pipeline {
            bang,
            cmds,
            err_pipe,
            line,
        })
    }

    fn peek_word(&mut self) -> Option<&str> {
        match &self.peek().ok()?.tok {
            Tok::Word(w, _) => w.as_plain(),
            _ => None,
        }
    }

    fn expect_word(&mut self, word: &str) -> PResult<()> {
        let t = self.next()?;
        match &t.tok {
            Tok::Word(w, _) if w.as_plain() == Some(word) => Ok(()),
            _ => self.unexpected(&t),
        }
    }

    fn parse_command(&mut self) -> PResult<Command> {
        let t = self.peek()?;
        let start = t.start;
        // A simple command whose first word is no reserved word (most commands) is parsed
        // without a copy of its first token.
        let simple = match &t.tok {
            Tok::Redir(_) => true,
            Tok::Word(w, _) => w.as_plain().is_none_or(|s| !is_command_word(s)),
            _ => false,
        };
        self.enter(start)?;
        let r = if simple {
            self.parse_simple()
        } else {
            let t = self.peek()?.clone();
            self.parse_command_inner(t)
        };
        self.depth -= 1;
        r
    }

    fn parse_command_inner(&mut self, t: Token) -> PResult<Command> {
        match &t.tok {
            Tok::Word(w, _) => {
                if let Some(s) = w.as_plain() {
                    if let Some((_, msg)) = UNSUPPORTED_WORDS.iter().find(|(k, _)| *k == s) {
                        return self.err_at(t.start, format!("{msg}: found '{s}'"));
                    }
                    if RESERVED_TERMINATORS.contains(&s) {
                        return self.unexpected(&t);
                    }
                    if s == "function" {
                        return self.parse_function_kw(t.start);
                    }
                    let compound = match s {
                        "if" => Some(self.parse_if()?),
                        "for" => Some(self.parse_for()?),
                        "while" | "until" => Some(self.parse_while(s == "until")?),
                        "case" => Some(self.parse_case()?),
                        "[[" => {
                            self.next()?;
                            let line = self.line_of(t.start);
                            let e = self.parse_cond_or(t.start)?;
                            Some(Compound::Cond(e, line))
                        }
                        "{" => {
                            self.next()?;
                            let body = self.parse_compound_list(&["}"], false)?;
                            self.expect_word("}")?;
                            Some(Compound::Group(body))
                        }
                        _ => None,
                    };
                    if let Some(c) = compound {
                        let mut redirs = Vec::new();
                        while let Tok::Redir(_) = self.peek()?.tok {
                            if let Tok::Redir(r) = self.next()?.tok {
                                redirs.push(r);
                            }
                        }
                        if let Tok::Word(..) | Tok::LParen = self.peek()?.tok {
                            let t = self.peek()?.clone();
                            return self.unexpected(&t);
                        }
                        return Ok(Command::Compound(c, redirs));
                    }
                }
                self.parse_simple()
            }
            Tok::Redir(_) => self.parse_simple(),
            Tok::LParen | Tok::Arith(_) => {
                let c = if let Tok::Arith(text) = &t.tok {
                    self.next()?;
                    let parts = self.sub_dq(text, t.start)?;
                    Compound::Arith(parts, self.line_of(t.start))
                } else {
                    self.next()?;
                    let body = self.parse_compound_list(&[], true)?;
                    let r = self.next()?;
                    if r.tok != Tok::RParen {
                        return self.unexpected(&r);
                    }
                    Compound::Subshell(body)
                };
                let mut redirs = Vec::new();
                while let Tok::Redir(_) = self.peek()?.tok {
                    if let Tok::Redir(r) = self.next()?.tok {
                        redirs.push(r);
                    }
                }
                Ok(Command::Compound(c, redirs))
            }
            _ => self.unexpected(&t),
        }
    }

    fn parse_simple(&mut self) -> PResult<Command> {
        let start = self.peek()?.start;
        let line = self.line_of(start);
        let mut cmd = SimpleCmd {
            assigns: Vec::new(),
            // (sized for most commands at once rather than grown from 1 to 2, 4 and 8)
            words: Vec::with_capacity(8),
            redirs: Vec::new(),
            line,
        };
        // (whether the first word is a declaration builtin: known once it is read)
        let mut decl = false;
        loop {
            // The token is taken, not cloned (a command's words are most of a script).
            match &self.peek()?.tok {
                Tok::Redir(_) | Tok::Word(..) => {}
                Tok::LParen => {
                    let t = self.peek()?.clone();
                    return self.unexpected(&t);
                }
                _ => break,
            }
            let t = self.next()?;
            match t.tok {
                Tok::Redir(r) => cmd.redirs.push(r),
                Tok::Word(w, end) => {
                    if cmd.words.is_empty() || decl {
                        if let Some(mut a) = split_assignment(&w) {
                            let raw = self.text(t.start, end);
                            if self.peek()?.tok == Tok::LParen
                                && raw.ends_with('=')
                                && a.index.is_none()
                            {
                                self.next()?;
                                a.value = self.parse_array_literal()?;
                            }
                            if decl {
                                cmd.words
                                    .push(Word::one(WordPart::AssignWord(Box::new(a), raw)));
                            } else {
                                cmd.assigns.push(a);
                            }
                            continue;
                        }
                    }
                    if cmd.words.is_empty()
                        && cmd.assigns.is_empty()
                        && self.peek()?.tok == Tok::LParen
                    {
                        let raw = self.text(t.start, end);
                        return self.parse_function_def(raw, t.start);
                    }
                    if cmd.words.is_empty() {
                        decl = w.as_plain().is_some_and(|n| DECLARATION.contains(&n));
                    }
                    cmd.words.push(w);
                }
                _ => break,
            }
        }
        Ok(Command::Simple(cmd))
    }

    /// `( w1 [k]=w2 ... )` after `name=`.
    fn parse_array_literal(&mut self) -> PResult<AssignValue> {
        let mut items = Vec::new();
        loop {
            let t = self.next()?;
            match t.tok {
                Tok::RParen => break,
                Tok::Newline => continue,
                Tok::Word(w, _) => {
                    // `[key]=value`
                    if let Some(WordPart::Lit(first)) = w.parts.first() {
                        if first.starts_with('[') {
                            if let Some(a) = split_assignment(&Word {
                                parts: std::iter::once(WordPart::Lit(format!("x{first}")))
                                    .chain(w.parts[1..].iter().cloned())
                                    .collect(),
                            }) {
                                if let (Some(k), AssignValue::Scalar(v)) = (a.index, a.value) {
                                    items.push((Some(k), v));
                                    continue;
                                }
                            }
                        }
                    }
                    items.push((None, w));
                }
                _ => return self.unexpected(&t),
            }
        }
        Ok(AssignValue::Array(items))
    }

    /// `name ( ) compound-command` (the name already read; `(` is next).
    fn parse_function_def(&mut self, name: String, start: usize) -> PResult<Command> {
        self.next()?; // (
        let t = self.next()?;
        if t.tok != Tok::RParen {
            return self.unexpected(&t);
        }
        self.finish_function(name, start)
    }

    /// `function name [()] compound-command`.
    fn parse_function_kw(&mut self, start: usize) -> PResult<Command> {
        self.next()?; // function
        let t = self.next()?;
        let Tok::Word(_, end) = t.tok else {
            return self.unexpected(&t);
        };
        let name = self.text(t.start, end);
        if self.peek()?.tok == Tok::LParen {
            self.next()?;
            let t = self.next()?;
            if t.tok != Tok::RParen {
                return self.unexpected(&t);
            }
        }
        self.finish_function(name, start)
    }

    fn finish_function(&mut self, name: String, start: usize) -> PResult<Command> {
        self.skip_newlines()?;
        let t = self.peek()?.clone();
        let ok = match &t.tok {
            Tok::Word(w, _) => matches!(
                w.as_plain(),
                Some("{" | "if" | "for" | "while" | "until" | "case" | "[[")
            ),
            Tok::LParen | Tok::Arith(_) => true,
            _ => false,
        };
        if !ok {
            return self.unexpected(&t);
        }
        let body = self.parse_command()?;
        let end = match &self.peeked {
            Some(t) => t.start,
            None => self.pos,
        };
        let text = self.text(start, end).trim_end().to_string();
        Ok(Command::FuncDef {
            name,
            body: std::rc::Rc::new(body),
            text,
            line: self.line_of(start),
        })
    }

    /// `case WORD in [(]PAT[|PAT]) LIST ;; ... esac`.
    fn parse_case(&mut self) -> PResult<Compound> {
        self.next()?; // case
        let t = self.next()?;
        let Tok::Word(word, _) = t.tok else {
            return self.unexpected(&t);
        };
        self.skip_newlines()?;
        self.expect_word("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines()?;
            let t = self.next()?;
            let mut patterns = Vec::new();
            let mut t = match t.tok {
                Tok::Word(ref w, _) if w.as_plain() == Some("esac") => break,
                Tok::LParen => self.next()?,
                _ => t,
            };
            loop {
                match t.tok {
                    Tok::Word(w, _) => patterns.push(w),
                    _ => return self.unexpected(&t),
                }
                let n = self.next()?;
                match n.tok {
                    Tok::Pipe => t = self.next()?,
                    Tok::RParen => break,
                    _ => return self.unexpected(&n),
                }
            }
            let body = self.parse_case_body()?;
            let t = self.next()?;
            let (fallthrough, test_next, done) = match &t.tok {
                Tok::CaseEnd(0) => (false, false, false),
                Tok::CaseEnd(1) => (true, false, false),
                Tok::CaseEnd(_) => (false, true, false),
                Tok::Word(w, _) if w.as_plain() == Some("esac") => (false, false, true),
                _ => return self.unexpected(&t),
            };
            arms.push(CaseArm {
                patterns,
                body,
                fallthrough,
                test_next,
            });
            if done {
                break;
            }
        }
        Ok(Compound::Case { word, arms })
    }

    /// A case arm's list (possibly empty) up to `;;`/`;&`/`;;&`/`esac`.
    fn parse_case_body(&mut self) -> PResult<List> {
        let mut list = Vec::new();
        loop {
            self.skip_newlines()?;
            let t = self.peek()?.clone();
            match &t.tok {
                Tok::CaseEnd(_) => return Ok(list),
                Tok::Word(w, _) if w.as_plain() == Some("esac") => return Ok(list),
                Tok::Eof => return self.unexpected(&t),
                _ => {}
            }
            let and_or = self.parse_and_or()?;
            let t = self.peek()?.clone();
            let background = match t.tok {
                Tok::Semi | Tok::Newline => {
                    self.next()?;
                    false
                }
                Tok::Amp => {
                    self.next()?;
                    true
                }
                Tok::CaseEnd(_) => false,
                Tok::Word(ref w, _) if w.as_plain() == Some("esac") => false,
                _ => return self.unexpected(&t),
            };
            list.push(ListItem { and_or, background });
        }
    }

    /// The raw tokens of `[[ ... ]]` up to `]]`: words, `&&`, `||`, `!`, `(`, `)`, `<`, `>`.
    fn cond_token(&mut self) -> PResult<(String, Option<Word>, usize)> {
        self.skip_blanks();
        while self.ch(0) == Some('\n') {
            self.eat_newline();
            self.skip_blanks();
        }
        let start = self.pos;
        let two = self.text(self.pos, self.pos + 2);
        for op in ["&&", "||"] {
            if two == op {
                self.pos += 2;
                return Ok((op.into(), None, start));
            }
        }
        match self.ch(0) {
            None => self.err_at(start, "unexpected EOF while looking for `]]'"),
            Some(c @ ('(' | ')' | '<' | '>')) => {
                self.pos += 1;
                Ok((c.to_string(), None, start))
            }
            Some(_) => {
                let (w, raw) = self.lex_word(start)?;
                if raw.is_empty() {
                    let c = self.ch(0).unwrap_or(' ');
                    return self.err_at(
                        start,
                        format!("syntax error in conditional expression: unexpected token `{c}'"),
                    );
                }
                Ok((raw, Some(w), start))
            }
        }
    }

    fn cond_peek(&mut self) -> PResult<(String, Option<Word>, usize)> {
        let save = self.pos;
        let t = self.cond_token()?;
        self.pos = save;
        Ok(t)
    }

    fn parse_cond_or(&mut self, start: usize) -> PResult<CondExpr> {
        let mut e = self.parse_cond_and(start)?;
        loop {
            let (raw, w, _) = self.cond_peek()?;
            if raw == "||" && w.is_none() {
                self.cond_token()?;
                let r = self.parse_cond_and(start)?;
                e = CondExpr::Or(Box::new(e), Box::new(r));
            } else if raw == "]]" && w.is_some() {
                self.cond_token()?;
                return Ok(e);
            } else if raw == ")" {
                return Ok(e);
            } else {
                return self.err_at(
                    start,
                    format!("syntax error in conditional expression: unexpected token `{raw}'"),
                );
            }
        }
    }

    fn parse_cond_and(&mut self, start: usize) -> PResult<CondExpr> {
        let mut e = self.parse_cond_not(start)?;
        loop {
            let (raw, w, _) = self.cond_peek()?;
            if raw == "&&" && w.is_none() {
                self.cond_token()?;
                let r = self.parse_cond_not(start)?;
                e = CondExpr::And(Box::new(e), Box::new(r));
            } else {
                return Ok(e);
            }
        }
    }

    fn parse_cond_not(&mut self, start: usize) -> PResult<CondExpr> {
        self.enter(start)?;
        let r = self.parse_cond_not_inner(start);
        self.depth -= 1;
        r
    }

    fn parse_cond_not_inner(&mut self, start: usize) -> PResult<CondExpr> {
        let (raw, w, _) = self.cond_token()?;
        if raw == "!" && w.is_some() {
            return Ok(CondExpr::Not(Box::new(self.parse_cond_not(start)?)));
        }
        if raw == "(" && w.is_none() {
            let e = self.parse_cond_or_paren(start)?;
            return Ok(e);
        }
        let Some(w1) = w else {
            return self.err_at(
                start,
                format!("syntax error in conditional expression: unexpected token `{raw}'"),
            );
        };
        if raw == "]]" {
            return self.err_at(start, "syntax error near `]]'");
        }
        // unary operators
        if raw.len() == 2 && raw.starts_with('-') && "abcdefghknoprstuvwxzGLNOS".contains(&raw[1..])
        {
            let (r2, w2, _) = self.cond_peek()?;
            if let Some(w2) = w2 {
                if r2 != "]]" || self.cond_peek_after_is_close()? {
                    self.cond_token()?;
                    return Ok(CondExpr::Unary(raw, w2));
                }
            }
        }
        let (op, opw, _) = self.cond_peek()?;
        let binary = matches!(
            op.as_str(),
            "==" | "="
                | "!="
                | "<"
                | ">"
                | "-eq"
                | "-ne"
                | "-lt"
                | "-le"
                | "-gt"
                | "-ge"
                | "-nt"
                | "-ot"
                | "-ef"
        );
        if op == "=~" && opw.is_some() {
            self.cond_token()?;
            let re = self.cond_regex(start)?;
            return Ok(CondExpr::Regex(w1, re));
        }
        if binary {
            self.cond_token()?;
            let (r2, w2, _) = self.cond_token()?;
            let Some(w2) = w2 else {
                return self.err_at(
                    start,
                    format!("syntax error in conditional expression: unexpected token `{r2}'"),
                );
            };
            return Ok(CondExpr::Binary(w1, op, w2));
        }
        Ok(CondExpr::Word(w1))
    }

    /// After `-x ]]`: is the `]]` followed by another `]]` (so the first is an operand)?
    fn cond_peek_after_is_close(&mut self) -> PResult<bool> {
        let save = self.pos;
        self.cond_token()?;
        let (r, w, _) = self.cond_token().unwrap_or_default();
        self.pos = save;
        Ok(r == "]]" && w.is_some())
    }

    fn parse_cond_or_paren(&mut self, start: usize) -> PResult<CondExpr> {
        let mut e = self.parse_cond_and(start)?;
        loop {
            let (raw, w, _) = self.cond_token()?;
            match (raw.as_str(), w.is_some()) {
                ("||", false) => {
                    let r = self.parse_cond_and(start)?;
                    e = CondExpr::Or(Box::new(e), Box::new(r));
                }
                (")", false) => return Ok(e),
                _ => {
                    return self.err_at(
                        start,
                        format!("syntax error in conditional expression: unexpected token `{raw}'"),
                    )
                }
            }
        }
    }

    /// The right side of `=~`: up to a blank outside parentheses and quotes; `(`, `)` and `|`
    /// are part of the regex there.
    fn cond_regex(&mut self, start: usize) -> PResult<Word> {
        self.skip_blanks();
        let mut parts: Vec<WordPart> = Vec::new();
        let mut depth = 0;
        while let Some(c) = self.ch(0) {
            match c {
                ' ' | '\t' | '\n' if depth == 0 => break,
                '\\' => {
                    let e = self.ch(1).unwrap_or('\\');
                    self.pos += 2;
                    push_lit(&mut parts, &e.to_string(), true);
                }
                '\'' | '"' | '$' => {
                    let s0 = self.pos;
                    // one quoted piece or expansion through the word lexer
                    if c == '$' {
                        let p = self.lex_dollar()?;
                        parts.push(p);
                    } else {
                        let (w, _) = self.lex_quoted_only(s0)?;
                        parts.extend(w.parts);
                    }
                }
                '(' => {
                    depth += 1;
                    self.pos += 1;
                    push_lit(&mut parts, "(", false);
                }
                ')' => {
                    depth -= 1;
                    self.pos += 1;
                    push_lit(&mut parts, ")", false);
                }
                c => {
                    self.pos += 1;
                    push_lit(&mut parts, &c.to_string(), false);
                }
            }
        }
        if parts.is_empty() {
            return self.err_at(start, "syntax error in conditional expression");
        }
        Ok(Word::from(parts))
    }

    /// One `'...'` or `"..."` at `start`.
    fn lex_quoted_only(&mut self, start: usize) -> PResult<(Word, String)> {
        let mut parts = Vec::new();
        if self.ch(0) == Some('\'') {
            self.pos += 1;
            let mut t = String::new();
            loop {
                match self.ch(0) {
                    None => {
                        return self.err_at(start, "unexpected EOF while looking for matching `''")
                    }
                    Some('\'') => {
                        self.pos += 1;
                        break;
                    }
                    Some(c) => {
                        t.push(c);
                        self.pos += 1;
                    }
                }
            }
            parts.push(WordPart::Quoted(t));
        } else {
            self.pos += 1;
            let mut inner = Vec::new();
            self.lex_dq_parts(&mut inner, None)?;
            if self.ch(0) != Some('"') {
                return self.err_at(start, "unexpected EOF while looking for matching `\"'");
            }
            self.pos += 1;
            parts.push(WordPart::DQuoted(inner));
        }
        Ok((Word::from(parts), self.text(start, self.pos)))
    }

    fn parse_if(&mut self) -> PResult<Compound> {
        self.next()?; // if
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.parse_compound_list(&["then"], false)?;
            self.expect_word("then")?;
            let body = self.parse_compound_list(&["elif", "else", "fi"], false)?;
            branches.push((cond, body));
            let t = self.next()?;
            match &t.tok {
                Tok::Word(w, _) if w.as_plain() == Some("elif") => continue,
                Tok::Word(w, _) if w.as_plain() == Some("else") => {
                    otherwise = Some(self.parse_compound_list(&["fi"], false)?);
                    self.expect_word("fi")?;
                    break;
                }
                Tok::Word(w, _) if w.as_plain() == Some("fi") => break,
                _ => return self.unexpected(&t),
            }
        }
        Ok(Compound::If {
            branches,
            otherwise,
        })
    }

    fn parse_for(&mut self) -> PResult<Compound> {
        self.next()?; // for
        let t = self.next()?;
        let var = match &t.tok {
            Tok::Word(w, end) => match w.as_plain() {
                Some(s) if is_name(s) => s.to_string(),
                _ => {
                    let raw = self.text(t.start, *end);
                    return self.err_at(t.start, format!("`{raw}': not a valid identifier"));
                }
            },
            Tok::Arith(text) => {
                let pieces: Vec<&str> = text.split(';').collect();
                if pieces.len() != 3 {
                    return self.err_at(t.start, "syntax error: `;' unexpected");
                }
                let line = self.line_of(t.start);
                let init = self.sub_dq(pieces[0], t.start)?;
                let cond = self.sub_dq(pieces[1], t.start)?;
                let step = self.sub_dq(pieces[2], t.start)?;
                if matches!(self.peek()?.tok, Tok::Semi) {
                    self.next()?;
                }
                self.skip_newlines()?;
                let body = if self.peek_word() == Some("{") {
                    self.next()?;
                    let b = self.parse_compound_list(&["}"], false)?;
                    self.expect_word("}")?;
                    b
                } else {
                    self.expect_word("do")?;
                    let b = self.parse_compound_list(&["done"], false)?;
                    self.expect_word("done")?;
                    b
                };
                return Ok(Compound::ForArith {
                    init,
                    cond,
                    step,
                    body,
                    line,
                });
            }
            _ => return self.unexpected(&t),
        };
        let mut words = None;
        let mut header = format!("for {var}");
        let t = self.peek()?.clone();
        match &t.tok {
            Tok::Semi => {
                self.next()?;
            }
            Tok::Newline => {}
            Tok::Word(w, _) if w.as_plain() == Some("in") => {
                self.next()?;
                header.push_str(" in");
                let mut ws = Vec::new();
                loop {
                    let t = self.next()?;
                    match t.tok {
                        Tok::Word(w, end) => {
                            header.push(' ');
                            header.push_str(&self.text(t.start, end));
                            ws.push(w)
                        }
                        Tok::Semi | Tok::Newline => break,
                        _ => return self.unexpected(&t),
                    }
                }
                words = Some(ws);
            }
            Tok::Word(w, _) if w.as_plain() == Some("do") => {}
            _ => return self.unexpected(&t),
        }
        self.skip_newlines()?;
        self.expect_word("do")?;
        let body = self.parse_compound_list(&["done"], false)?;
        self.expect_word("done")?;
        Ok(Compound::For {
            var,
            words,
            body,
            header,
        })
    }

    fn parse_while(&mut self, until: bool) -> PResult<Compound> {
        self.next()?;
        let cond = self.parse_compound_list(&["do"], false)?;
        self.expect_word("do")?;
        let body = self.parse_compound_list(&["done"], false)?;
        self.expect_word("done")?;
        Ok(Compound::While { until, cond, body })
    }
}

fn is_marker(i: &ListItem) -> bool {
    i.and_or.rest.is_empty() && matches!(i.and_or.first.cmds.as_slice(), [Command::Marker(_)])
}

fn marker_item(text: String, line: u32) -> ListItem {
    ListItem {
        and_or: AndOr {
            first: Pipeline {
                bang: false,
                err_pipe: Vec::new(),
                cmds: smallvec::smallvec![Command::Marker(text)],
                line,
            },
            rest: Vec::new(),
        },
        background: false,
    }
}

/// Appends literal text, merging with a preceding literal of the same kind.
fn push_lit<V>(parts: &mut V, s: &str, quoted: bool)
where
    V: std::ops::DerefMut<Target = [WordPart]> + Extend<WordPart>,
{
    match (parts.last_mut(), quoted) {
        (Some(WordPart::Lit(t)), false) | (Some(WordPart::Quoted(t)), true) => t.push_str(s),
        _ => parts.extend(std::iter::once(if quoted {
            WordPart::Quoted(s.to_string())
        } else {
            WordPart::Lit(s.to_string())
        })),
    }
}

/// `NAME=value`, `NAME+=value`, `NAME[INDEX]=value` at the start of a word.
fn split_assignment(w: &Word) -> Option<Assign> {
    let WordPart::Lit(first) = w.parts.first()? else {
        return None;
    };
    let name_end = first
        .char_indices()
        .find(|(_, c)| !is_name_char(*c))
        .map_or(first.len(), |(i, _)| i);
    let name = &first[..name_end];
    if !is_name(name) {
        return None;
    }
    let rest = &first[name_end..];
    // `[index]`: may span parts (`a[$i]=x`)
    let (index, after_parts, after): (Option<Word>, usize, String) =
        if let Some(inner) = rest.strip_prefix('[') {
            let mut idx = Vec::new();
            if let Some(close) = inner.find(']') {
                if !inner[..close].is_empty() {
                    idx.push(WordPart::Lit(inner[..close].to_string()));
                }
                (Some(Word::from(idx)), 1, inner[close + 1..].to_string())
            } else {
                if !inner.is_empty() {
                    idx.push(WordPart::Lit(inner.to_string()));
                }
                let mut k = 1;
                let mut found = None;
                while k < w.parts.len() {
                    match &w.parts[k] {
                        WordPart::Lit(t) if t.contains(']') => {
                            let c = t.find(']').unwrap_or(0);
                            if c > 0 {
                                idx.push(WordPart::Lit(t[..c].to_string()));
                            }
                            found = Some((k + 1, t[c + 1..].to_string()));
                            break;
                        }
                        p => idx.push(p.clone()),
                    }
                    k += 1;
                }
                let (n, after) = found?;
                (Some(Word::from(idx)), n, after)
            }
        } else {
            (None, 1, rest.to_string())
        };
    let (append, value_text) = if let Some(v) = after.strip_prefix("+=") {
        (true, v)
    } else if let Some(v) = after.strip_prefix('=') {
        (false, v)
    } else {
        return None;
    };
    let mut parts = Vec::new();
    if !value_text.is_empty() {
        parts.push(WordPart::Lit(value_text.to_string()));
    }
    parts.extend(w.parts[after_parts..].iter().cloned());
    Some(Assign {
        name: name.to_string(),
        index,
        append,
        value: AssignValue::Scalar(Word::from(parts)),
    })
}

/// `$'...'`: bash's ANSI-C escapes.
pub fn ansi_c(raw: &str) -> String {
    let cs: Vec<char> = raw.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c != '\\' || i + 1 >= cs.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let e = cs[i + 1];
        i += 2;
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'e' | 'E' => out.push('\u{1b}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            '?' => out.push('?'),
            'x' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 && i < cs.len() && cs[i].is_ascii_hexdigit() {
                    v = v * 16 + cs[i].to_digit(16).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                if n == 0 {
                    out.push_str("\\x");
                } else {
                    out.push(char::from_u32(v).unwrap_or('?'));
                }
            }
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap_or(0);
                let mut n = 1;
                while n < 3 && i < cs.len() && cs[i].is_digit(8) {
                    v = v * 8 + cs[i].to_digit(8).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                out.push(char::from_u32(v).unwrap_or('?'));
            }
            c => {
                out.push('\\');
                out.push(c);
            }
        }
    }
    out
}

/// Adds `by` to the line numbers of a list parsed from a piece of a script.
fn shift_lines(list: &mut List, by: u32) {
    if by > 0 {
        map_lines(list, &|l| l + by);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `src` parsed item by item (with the source texts when `source`), with or without the
    /// plain-line path; the items with `plain_words`, the error if any.
    fn items_of(src: &str, plain: bool, source: bool) -> (Vec<TopItem>, Option<String>) {
        let mut p = Parser::new(src, "t.sh");
        p.plain_lines = plain;
        let mut start = 0;
        let mut out = Vec::new();
        loop {
            match p.parse_top_item(&mut start, source) {
                Ok(Some(i)) => out.push(i),
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e.to_string())),
            }
        }
    }

    /// The plain-line path gives what the general path gives (words, lines, background, source
    /// texts, errors after it), for the lines it takes and for the ones it leaves to the
    /// general path.
    #[test]
    fn plain_lines_parse_as_the_general_path() {
        let cases = [
            "ip netns exec ns1 ping -c 1 10.0.0.2 &\nwait\n",
            "a b c\n\n  \t d e;\nf &   \ng\t;  \n",
            "# a comment\n   # another\nip link\n# --- traffic ---\nping x &\n",
            "x  # trailing comment\ny & # c\nz ; # c\n",
            "a\r\n\rb c\r \n",
            "last line without newline &",
            "last line without newline",
            "trailing blanks   ",
            "  ",
            "",
            "a; b\nc & d &\ne && f\ng || h\ni | j\nk |& l\n",
            "a;; b\n",
            "a ;& b\n",
            "a &> f\nb &>> f\nc&\nd&&e\n",
            "echo {a,b} x* y? [z] ok\n",
            "echo \"q\" 'r' $v `w` \\x\n",
            "ip link add a$b type dummy\n",
            "if true; then a; fi\n",
            "{ a; }\n} x\n",
            "! a\n",
            "[[ a ]]\n",
            "time a\n",
            "x=1 a\na x=1\nexport x=1 y\nlocal a=(1 2)\nf() { a; }\nf ()\n",
            "2>f a\n2 a\na 2>f\na 1\n",
            "a (b)\n",
            "cat <<EOF\nbody\nEOF\nplain after heredoc &\n",
            "a \\\n b\nc &\\\n\n",
            "((x = 1))\na\n",
            "a # --- not a marker\n  # --- indented marker\nb\n",
            "a & ;\n",
            "a &|\n",
            "for i in 1 2; do a; done\na\n",
        ];
        for src in cases {
            for source in [false, true] {
                let (fast, fast_err) = items_of(src, true, source);
                let (slow, slow_err) = items_of(src, false, source);
                assert_eq!(fast_err, slow_err, "{src:?}");
                assert_eq!(fast.len(), slow.len(), "{src:?}");
                for (f, s) in fast.iter().zip(&slow) {
                    assert_eq!(f.list, s.list, "{src:?}");
                    assert_eq!(f.source, s.source, "{src:?}");
                    assert!(!s.plain_words);
                }
            }
        }
        // a non-ASCII script goes the general way
        let (items, _) = items_of("a é\n", true, false);
        assert!(!items[0].plain_words);
    }

    /// Which lines the plain-line path takes, and whether their words can be taken as they
    /// are.
    #[test]
    fn plain_words_of_plain_lines() {
        let plain = |src: &str| items_of(src, true, false).0.first().map(|i| i.plain_words);
        assert_eq!(
            plain("ip netns exec ns1 ping -c 1 10.0.0.2 &\n"),
            Some(true)
        );
        assert_eq!(plain("a b;\n"), Some(true));
        assert_eq!(plain("echo {a,b}\n"), Some(false));
        assert_eq!(plain("ls *.txt\n"), Some(false));
        assert_eq!(plain("echo a?\n"), Some(false));
        assert_eq!(plain("echo [a]\n"), Some(false));
        assert_eq!(plain("echo $a\n"), Some(false));
        assert_eq!(plain("export a\n"), Some(false));
    }

    /// The byte classes of the plain-line scan agree with the lexer's character tests.
    #[test]
    fn byte_classes_agree_with_the_lexer() {
        for c in 0u8..=255 {
            let ch = char::from(c);
            let plain =
                c.is_ascii() && !is_meta(ch) && !matches!(ch, '\\' | '\'' | '"' | '$' | '`');
            assert_eq!(BYTE_CLASS[usize::from(c)] & PLAIN_BYTE != 0, plain, "{c}");
            assert_eq!(
                BYTE_CLASS[usize::from(c)] & GLOB_BYTE != 0,
                matches!(ch, '{' | '*' | '?' | '['),
                "{c}"
            );
        }
    }
}

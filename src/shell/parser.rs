//! A hand-written lexer + recursive-descent parser for the supported bash subset.
//!
//! The lexer works on the script's characters with one token of look-ahead; `$(...)` and the
//! bodies of unquoted heredocs are parsed recursively from the same buffer, so every command
//! knows its real line number. Heredoc bodies are read when their `<<` operator is lexed and the
//! lexer jumps over them when it reaches the end of that line.

use super::ast::*;
use std::fmt;

/// A syntax error, displayed like bash: `lab.sh: line 7: syntax error near unexpected token 'fi'`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellError {
    pub file: String,
    pub line: u32,
    pub message: String,
}

impl fmt::Display for ShellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: line {}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for ShellError {}

/// Parses a whole script.
pub fn parse(src: &str, file: &str) -> Result<Script, ShellError> {
    let mut p = Parser::new(src, file);
    p.parse_script()
}

/// Nesting limit (compound commands, `$(...)`), so hostile input cannot overflow the stack.
const MAX_DEPTH: usize = 64;

const RESERVED_TERMINATORS: &[&str] = &["then", "elif", "else", "fi", "do", "done", "}", "esac"];
const UNSUPPORTED_WORDS: &[(&str, &str)] = &[
    ("case", "'case' statements are not supported"),
    ("esac", "'case' statements are not supported"),
    ("function", "function definitions are not supported"),
    ("select", "'select' is not supported"),
    ("[[", "'[[ ... ]]' is not supported (use '[ ... ]')"),
    ("((", "arithmetic commands '(( ... ))' are not supported"),
    ("coproc", "'coproc' is not supported"),
    ("time", "'time' is not supported"),
];

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Word(Word, String),
    Redir(Redir),
    Semi,
    Amp,
    AndIf,
    OrIf,
    Pipe,
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

struct Parser {
    file: String,
    s: Vec<char>,
    pos: usize,
    line_starts: Vec<usize>,
    /// (position of a newline, where to continue after it): heredoc bodies to jump over.
    skips: Vec<(usize, usize)>,
    peeked: Option<Token>,
    depth: usize,
}

type PResult<T> = Result<T, ShellError>;

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

impl Parser {
    fn new(src: &str, file: &str) -> Self {
        let s: Vec<char> = src.chars().collect();
        let mut line_starts = vec![0];
        for (i, c) in s.iter().enumerate() {
            if *c == '\n' {
                line_starts.push(i + 1);
            }
        }
        Parser {
            file: file.to_string(),
            s,
            pos: 0,
            line_starts,
            skips: Vec::new(),
            peeked: None,
            depth: 0,
        }
    }

    fn line_of(&self, pos: usize) -> u32 {
        let idx = match self.line_starts.binary_search(&pos) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        u32::try_from(idx + 1).unwrap_or(u32::MAX)
    }

    fn err_at<T>(&self, pos: usize, message: impl Into<String>) -> PResult<T> {
        Err(ShellError {
            file: self.file.clone(),
            line: self.line_of(pos),
            message: message.into(),
        })
    }

    fn ch(&self, off: usize) -> Option<char> {
        self.s.get(self.pos + off).copied()
    }

    fn text(&self, from: usize, to: usize) -> String {
        self.s[from.min(self.s.len())..to.min(self.s.len())]
            .iter()
            .collect()
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
                let full_line = self.s[line_start..start].iter().all(|c| c.is_whitespace());
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
            ';' => {
                if self.ch(1) == Some(';') {
                    return self.err_at(
                        start,
                        "syntax error near unexpected token ';;' ('case' is not supported)",
                    );
                }
                self.pos += 1;
                Tok::Semi
            }
            '&' => match self.ch(1) {
                Some('&') => {
                    self.pos += 2;
                    Tok::AndIf
                }
                Some('>') => {
                    if self.ch(2) == Some('>') {
                        return self.err_at(start, "'&>>' is not supported");
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
                Some('&') => return self.err_at(start, "'|&' is not supported"),
                _ => {
                    self.pos += 1;
                    Tok::Pipe
                }
            },
            '(' => {
                self.pos += 1;
                Tok::LParen
            }
            ')' => {
                self.pos += 1;
                Tok::RParen
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
                    let (w, raw) = self.lex_word(start)?;
                    Tok::Word(w, raw)
                }
            }
            _ => {
                let (w, raw) = self.lex_word(start)?;
                Tok::Word(w, raw)
            }
        };
        Ok(Token { tok, start })
    }

    fn redir_target(&mut self, op_start: usize) -> PResult<Word> {
        self.skip_blanks();
        let start = self.pos;
        match self.ch(0) {
            None => self.err_at(op_start, "syntax error near unexpected token 'newline'"),
            Some(c) if is_meta(c) => {
                let t = if c == '\n' {
                    "newline".to_string()
                } else {
                    c.to_string()
                };
                self.err_at(
                    op_start,
                    format!("syntax error near unexpected token '{t}'"),
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
                    self.err_at(start, "here-strings '<<<' are not supported")
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
        while nl < self.s.len() && self.s[nl] != '\n' {
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
            while q < self.s.len() && self.s[q] != '\n' {
                q += 1;
            }
            let mut cs = p;
            if strip {
                while cs < q && self.s[cs] == '\t' {
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
        let mut parts: Vec<WordPart> = Vec::new();
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
                    return self.err_at(
                        self.pos,
                        "backquote command substitution is not supported (use $(...))",
                    )
                }
                c => {
                    self.pos += 1;
                    push_lit(&mut parts, &c.to_string(), false);
                }
            }
        }
        let raw = self.text(start, self.pos);
        Ok((Word { parts }, raw))
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
                    return self.err_at(
                        self.pos,
                        "backquote command substitution is not supported (use $(...))",
                    )
                }
                c => {
                    self.pos += 1;
                    push_lit(out, &c.to_string(), true);
                }
            }
        }
    }

    /// At a `$`: parses an expansion (or returns a literal `$`).
    fn lex_dollar(&mut self) -> PResult<WordPart> {
        let start = self.pos;
        self.pos += 1;
        match self.ch(0) {
            Some('(') => {
                if self.ch(1) == Some('(') {
                    return self.err_at(start, "arithmetic expansion '$((...))' is not supported");
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
                match (self.ch(0), self.ch(1)) {
                    (Some('}'), _) => {
                        self.pos += 1;
                        Ok(WordPart::Param(name))
                    }
                    (Some(':'), Some('-')) | (Some('-'), _) => {
                        let colon = self.ch(0) == Some(':');
                        self.pos += if colon { 2 } else { 1 };
                        let mut word = Vec::new();
                        self.enter(start)?;
                        self.lex_brace_word(&mut word, start)?;
                        self.depth -= 1;
                        Ok(WordPart::Default { name, colon, word })
                    }
                    (Some('['), _) => self.err_at(start, "arrays are not supported"),
                    _ => self.err_at(
                        start,
                        format!("{}: this parameter expansion is not supported (only ${{X}}, ${{X:-w}}, ${{X-w}})", self.bad_subst(start)),
                    ),
                }
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
            Some('\'') => self.err_at(start, "ANSI-C quoting $'...' is not supported"),
            _ => Ok(WordPart::Lit("$".to_string())),
        }
    }

    fn bad_subst(&self, start: usize) -> String {
        let mut end = start;
        while end < self.s.len() && self.s[end] != '}' && self.s[end] != '\n' {
            end += 1;
        }
        self.text(start, (end + 1).min(self.s.len()))
    }

    /// The `word` of `${X:-word}` up to the matching `}`.
    fn lex_brace_word(&mut self, out: &mut Vec<WordPart>, start: usize) -> PResult<()> {
        loop {
            match self.ch(0) {
                None => return self.err_at(start, "unexpected EOF while looking for matching `}'"),
                Some('}') => {
                    self.pos += 1;
                    return Ok(());
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
                Some(c) => {
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
                let extra = u32::from(self.s.last().is_some_and(|c| *c != '\n'));
                return Err(ShellError {
                    file: self.file.clone(),
                    line: self.line_of(t.start) + extra,
                    message: "syntax error: unexpected end of file".into(),
                });
            }
            Tok::Word(_, raw) => raw.clone(),
            Tok::Redir(_) => self.text(t.start, self.pos).trim().to_string(),
            Tok::Semi => ";".into(),
            Tok::Amp => "&".into(),
            Tok::AndIf => "&&".into(),
            Tok::OrIf => "||".into(),
            Tok::Pipe => "|".into(),
            Tok::LParen => "(".into(),
            Tok::RParen => ")".into(),
            Tok::Newline => "newline".into(),
            Tok::Marker(_) => "newline".into(),
        };
        self.err_at(
            t.start,
            format!("syntax error near unexpected token '{what}'"),
        )
    }

    fn parse_script(&mut self) -> PResult<Script> {
        let mut items = Vec::new();
        let mut src_start = 0;
        loop {
            let t = self.next()?;
            match t.tok {
                Tok::Eof => break,
                Tok::Newline => continue,
                Tok::Marker(m) => {
                    let source = self.text(src_start, self.pos.max(src_start));
                    // include the marker line's newline in its source text
                    items.push(TopItem {
                        list: vec![marker_item(m, self.line_of(t.start))],
                        source: source + "\n",
                    });
                    if self.ch(0) == Some('\n') {
                        self.eat_newline();
                    }
                    src_start = self.pos;
                }
                tok => {
                    self.peeked = Some(Token {
                        tok,
                        start: t.start,
                    });
                    let mut list = Vec::new();
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
                    items.push(TopItem {
                        list,
                        source: self.text(src_start, end),
                    });
                    src_start = end;
                }
            }
        }
        Ok(Script {
            file: self.file.clone(),
            items,
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
        let t = self.peek()?.clone();
        let line = self.line_of(t.start);
        let mut bang = false;
        if let Tok::Word(w, _) = &t.tok {
            if w.as_plain() == Some("!") {
                self.next()?;
                bang = true;
            }
        }
        let mut cmds = vec![self.parse_command()?];
        while self.peek()?.tok == Tok::Pipe {
            self.next()?;
            self.skip_newlines()?;
            cmds.push(self.parse_command()?);
        }
        Ok(Pipeline { bang, cmds, line })
    }

    fn expect_word(&mut self, word: &str) -> PResult<()> {
        let t = self.next()?;
        match &t.tok {
            Tok::Word(w, _) if w.as_plain() == Some(word) => Ok(()),
            _ => self.unexpected(&t),
        }
    }

    fn parse_command(&mut self) -> PResult<Command> {
        let t = self.peek()?.clone();
        self.enter(t.start)?;
        let r = self.parse_command_inner(t);
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
                    if s.starts_with("((") {
                        return self
                            .err_at(t.start, "arithmetic commands '(( ... ))' are not supported");
                    }
                    if RESERVED_TERMINATORS.contains(&s) {
                        return self.unexpected(&t);
                    }
                    let compound = match s {
                        "if" => Some(self.parse_if()?),
                        "for" => Some(self.parse_for()?),
                        "while" | "until" => Some(self.parse_while(s == "until")?),
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
            Tok::LParen => self.err_at(t.start, "subshells '( ... )' are not supported"),
            _ => self.unexpected(&t),
        }
    }

    fn parse_simple(&mut self) -> PResult<Command> {
        let start = self.peek()?.start;
        let line = self.line_of(start);
        let mut cmd = SimpleCmd {
            assigns: Vec::new(),
            words: Vec::new(),
            redirs: Vec::new(),
            line,
        };
        loop {
            let t = self.peek()?.clone();
            match t.tok {
                Tok::Redir(r) => {
                    self.next()?;
                    cmd.redirs.push(r);
                }
                Tok::Word(w, raw) => {
                    self.next()?;
                    if cmd.words.is_empty() {
                        if let Some((name, value)) = split_assignment(&w) {
                            if self.peek()?.tok == Tok::LParen && raw.ends_with('=') {
                                return self.err_at(
                                    t.start,
                                    format!("arrays are not supported: found '{raw}('"),
                                );
                            }
                            cmd.assigns.push((name, value));
                            continue;
                        }
                        if self.peek()?.tok == Tok::LParen {
                            return self.err_at(
                                t.start,
                                format!("function definitions are not supported: found '{raw} ('"),
                            );
                        }
                    }
                    cmd.words.push(w);
                }
                Tok::LParen => return self.unexpected(&t),
                _ => break,
            }
        }
        Ok(Command::Simple(cmd))
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
            Tok::Word(w, raw) => match w.as_plain() {
                Some(s) if is_name(s) => s.to_string(),
                _ if raw.starts_with("((") => {
                    return self.err_at(t.start, "arithmetic 'for ((...))' loops are not supported")
                }
                _ => return self.err_at(t.start, format!("'{raw}': not a valid identifier")),
            },
            Tok::LParen => {
                return self.err_at(t.start, "arithmetic 'for ((...))' loops are not supported")
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
                        Tok::Word(w, raw) => {
                            header.push(' ');
                            header.push_str(&raw);
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
                cmds: vec![Command::Marker(text)],
                line,
            },
            rest: Vec::new(),
        },
        background: false,
    }
}

/// Appends literal text, merging with a preceding literal of the same kind.
fn push_lit(parts: &mut Vec<WordPart>, s: &str, quoted: bool) {
    match (parts.last_mut(), quoted) {
        (Some(WordPart::Lit(t)), false) | (Some(WordPart::Quoted(t)), true) => t.push_str(s),
        _ => parts.push(if quoted {
            WordPart::Quoted(s.to_string())
        } else {
            WordPart::Lit(s.to_string())
        }),
    }
}

/// `NAME=value` as the first part of a word: (NAME, value).
fn split_assignment(w: &Word) -> Option<(String, Word)> {
    let WordPart::Lit(first) = w.parts.first()? else {
        return None;
    };
    let eq = first.find('=')?;
    let name = &first[..eq];
    if !is_name(name) {
        return None;
    }
    let mut parts = Vec::new();
    let rest = &first[eq + 1..];
    if !rest.is_empty() {
        parts.push(WordPart::Lit(rest.to_string()));
    }
    parts.extend(w.parts[1..].iter().cloned());
    Some((name.to_string(), Word { parts }))
}

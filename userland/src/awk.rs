//! awk with gawk 5.2's semantics for the subset scripts use: patterns (expressions, regexes,
//! ranges, `BEGIN`/`END`), fields and `NF`/`$0` rebuilding, `-F` (`t` is a tab), `-v`, `-f`,
//! operand assignments, `print`/`printf` (to stdout, `>`/`>>` files, `| cmd`), variables,
//! associative arrays (`in`, `delete`, `SUBSEP`), user functions (arrays by reference),
//! `if`/`while`/`do`/`for`/`for-in`, `next`, `exit`, `getline` (plain, `< file`, `cmd |`),
//! the string functions (`length substr index split sub gsub gensub match sprintf tolower
//! toupper`), arithmetic functions, `system`, and strnum comparison rules.
//!
//! Hand-written (no crate interprets awk). Known differences: `for (k in a)` visits keys in
//! insertion order (gawk: integer keys ascending, like here, strings in hash order); regex
//! matching is leftmost-first, not leftmost-longest (see [`crate::posix_re`]); syntax errors
//! name the line but the caret and text are simpler than gawk's.

use crate::coreutils::printf::{cap_len, fmt_float, fmt_int, fmt_str, parse_spec};
use crate::getopt::{Getopt, HasArg, LongOpt};
use crate::posix_re;
use crate::Ctx;
use regex::Regex;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

// ------------------------------------------------------------------ lexer

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Ere(String),
    Name(String),
    FuncName(String),
    Builtin(String),
    Kw(&'static str),
    P(&'static str),
    Newline,
    Eof,
}

const KEYWORDS: &[&str] = &[
    "BEGIN", "END", "function", "func", "if", "else", "while", "for", "do", "break", "continue",
    "next", "nextfile", "exit", "return", "delete", "in", "getline", "print", "printf",
];
const BUILTINS: &[&str] = &[
    "length", "substr", "index", "split", "sub", "gsub", "gensub", "match", "sprintf", "tolower",
    "toupper", "int", "sqrt", "exp", "log", "sin", "cos", "atan2", "rand", "srand", "system",
    "close", "fflush", "systime", "strftime",
];
const PUNCT: &[&str] = &[
    "**=", "&&", "||", "==", "<=", ">=", "!=", "++", "--", "+=", "-=", "*=", "/=", "%=", "^=",
    "!~", ">>", "**", "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!",
    ">", "<", "|", "?", ":", "~", "$", "=",
];

struct Lexer {
    c: Vec<char>,
    i: usize,
    line: usize,
    /// whether a `/` now starts a regex (the previous token cannot end an operand)
    regex_ok: bool,
    /// where the last token started
    start: usize,
}

impl Lexer {
    fn err(&self, m: &str) -> String {
        format!("awk: cmd. line:{}: {m}\n", self.line)
    }

    fn next(&mut self) -> Result<Tok, String> {
        loop {
            match self.c.get(self.i) {
                Some(' ' | '\t' | '\r') => self.i += 1,
                Some('\\') if self.c.get(self.i + 1) == Some(&'\n') => {
                    self.i += 2;
                    self.line += 1;
                }
                Some('#') => {
                    while self.c.get(self.i).is_some_and(|&c| c != '\n') {
                        self.i += 1;
                    }
                }
                _ => break,
            }
        }
        self.start = self.i;
        let Some(&c) = self.c.get(self.i) else {
            return Ok(Tok::Eof);
        };
        let t = if c == '\n' {
            self.i += 1;
            self.line += 1;
            Tok::Newline
        } else if c == '"' {
            self.i += 1;
            let mut s = String::new();
            loop {
                let Some(&c) = self.c.get(self.i) else {
                    return Err(self.err("unterminated string"));
                };
                self.i += 1;
                match c {
                    '"' => break,
                    '\n' => return Err(self.err("unterminated string")),
                    '\\' => {
                        let Some(&e) = self.c.get(self.i) else { break };
                        self.i += 1;
                        match e {
                            'n' => s.push('\n'),
                            't' => s.push('\t'),
                            'r' => s.push('\r'),
                            '\\' => s.push('\\'),
                            '"' => s.push('"'),
                            '/' => s.push('/'),
                            'a' => s.push('\x07'),
                            'b' => s.push('\x08'),
                            'f' => s.push('\x0c'),
                            'v' => s.push('\x0b'),
                            '\n' => {
                                self.line += 1;
                            }
                            '0'..='7' => {
                                let mut v = e.to_digit(8).unwrap_or(0);
                                let mut k = 0;
                                while k < 2 {
                                    match self.c.get(self.i).and_then(|c| c.to_digit(8)) {
                                        Some(d) => {
                                            v = v * 8 + d;
                                            self.i += 1;
                                        }
                                        None => break,
                                    }
                                    k += 1;
                                }
                                s.push(char::from_u32(v).unwrap_or('?'));
                            }
                            // gawk keeps the backslash of an unknown escape (with a warning)
                            other => {
                                s.push('\\');
                                s.push(other);
                            }
                        }
                    }
                    c => s.push(c),
                }
            }
            Tok::Str(s)
        } else if c == '/' && self.regex_ok {
            self.i += 1;
            let mut s = String::new();
            let mut in_br = false;
            loop {
                let Some(&c) = self.c.get(self.i) else {
                    return Err(self.err("unterminated regexp"));
                };
                self.i += 1;
                match c {
                    '\n' => return Err(self.err("unterminated regexp")),
                    '/' if !in_br => break,
                    '[' => {
                        in_br = true;
                        s.push(c);
                        if self.c.get(self.i) == Some(&'^') {
                            s.push('^');
                            self.i += 1;
                        }
                        if self.c.get(self.i) == Some(&']') {
                            s.push(']');
                            self.i += 1;
                        }
                    }
                    ']' => {
                        in_br = false;
                        s.push(c);
                    }
                    '\\' => {
                        let Some(&e) = self.c.get(self.i) else { break };
                        self.i += 1;
                        if e == '/' {
                            s.push('/');
                        } else {
                            s.push('\\');
                            s.push(e);
                        }
                    }
                    c => s.push(c),
                }
            }
            Tok::Ere(s)
        } else if c.is_ascii_digit()
            || (c == '.' && self.c.get(self.i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let st = self.i;
            if c == '0'
                && matches!(self.c.get(self.i + 1), Some('x' | 'X'))
                && self
                    .c
                    .get(self.i + 2)
                    .is_some_and(|d| d.is_ascii_hexdigit())
            {
                self.i += 2;
                while self.c.get(self.i).is_some_and(|d| d.is_ascii_hexdigit()) {
                    self.i += 1;
                }
                let h: String = self.c[st + 2..self.i].iter().collect();
                return self.tok(Tok::Num(i64::from_str_radix(&h, 16).unwrap_or(0) as f64));
            }
            while self
                .c
                .get(self.i)
                .is_some_and(|d| d.is_ascii_digit() || *d == '.')
            {
                self.i += 1;
            }
            if matches!(self.c.get(self.i), Some('e' | 'E')) {
                let save = self.i;
                self.i += 1;
                if matches!(self.c.get(self.i), Some('+' | '-')) {
                    self.i += 1;
                }
                if self.c.get(self.i).is_some_and(|d| d.is_ascii_digit()) {
                    while self.c.get(self.i).is_some_and(|d| d.is_ascii_digit()) {
                        self.i += 1;
                    }
                } else {
                    self.i = save;
                }
            }
            let s: String = self.c[st..self.i].iter().collect();
            if s.len() > 1 && s.starts_with('0') && s.chars().all(|c| c.is_digit(8)) {
                // gawk reads octal constants in the program text
                Tok::Num(i64::from_str_radix(&s, 8).unwrap_or(0) as f64)
            } else {
                Tok::Num(prefix_num(&s))
            }
        } else if c.is_alphabetic() || c == '_' {
            let st = self.i;
            while self
                .c
                .get(self.i)
                .is_some_and(|d| d.is_alphanumeric() || *d == '_')
            {
                self.i += 1;
            }
            let s: String = self.c[st..self.i].iter().collect();
            if let Some(k) = KEYWORDS.iter().find(|k| **k == s) {
                Tok::Kw(k)
            } else if BUILTINS.contains(&s.as_str()) {
                Tok::Builtin(s)
            } else if self.c.get(self.i) == Some(&'(') {
                Tok::FuncName(s)
            } else {
                Tok::Name(s)
            }
        } else {
            let rest: String = self.c[self.i..(self.i + 3).min(self.c.len())]
                .iter()
                .collect();
            let Some(p) = PUNCT.iter().find(|p| rest.starts_with(**p)) else {
                self.i += 1;
                return Err(self.err(&format!("invalid char '{c}' in expression")));
            };
            self.i += p.chars().count();
            Tok::P(p)
        };
        self.tok(t)
    }

    fn tok(&mut self, t: Tok) -> Result<Tok, String> {
        self.regex_ok = !matches!(
            t,
            Tok::Num(_)
                | Tok::Str(_)
                | Tok::Ere(_)
                | Tok::Name(_)
                | Tok::Builtin(_)
                | Tok::P(")")
                | Tok::P("]")
                | Tok::P("$")
                | Tok::P("++")
                | Tok::P("--")
        );
        Ok(t)
    }
}

// ------------------------------------------------------------------ AST

#[derive(Clone, Debug)]
enum Var {
    Global(usize),
    Local(usize),
}

#[derive(Clone, Debug)]
enum Lv {
    Var(Var),
    Field(Box<Expr>),
    Index(Var, Vec<Expr>),
}

#[derive(Clone, Debug)]
enum Expr {
    Num(f64),
    Str(String),
    Re(usize),
    Lv(Lv),
    Assign(Box<Lv>, Option<&'static str>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    In(Vec<Expr>, Var),
    Match(bool, Box<Expr>, Box<Expr>),
    Cmp(&'static str, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    Bin(&'static str, Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
    Plus(Box<Expr>),
    Not(Box<Expr>),
    Incr(bool, f64, Box<Lv>),
    Call(String, Vec<Expr>),
    Builtin(String, Vec<Expr>),
    Getline(Option<Box<Lv>>, Option<Box<Expr>>, Option<Box<Expr>>),
    Group(Box<Expr>),
}

#[derive(Clone, Debug)]
enum Redir {
    None,
    File(Expr),
    Append(Expr),
    Pipe(Expr),
}

#[derive(Clone, Debug)]
enum Stmt {
    Expr(Expr),
    Print(Vec<Expr>, Redir),
    Printf(Vec<Expr>, Redir),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    Do(Box<Stmt>, Expr),
    For(Option<Expr>, Option<Expr>, Option<Expr>, Box<Stmt>),
    ForIn(Var, Var, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    NextFile,
    Exit(Option<Expr>),
    Return(Option<Expr>),
    Break,
    Continue,
    Delete(Var, Option<Vec<Expr>>),
    Getline(Expr),
}

#[derive(Clone, Debug)]
enum Pattern {
    Begin,
    End,
    All,
    Expr(Expr),
    Range(Expr, Expr, usize),
}

/// The program's pattern-action items in order.
type Items = Vec<(Pattern, Option<Vec<Stmt>>)>;

struct Func {
    nparams: usize,
    array_params: Vec<bool>,
    body: Rc<Vec<Stmt>>,
}

// special variables' global slots
const NR: usize = 0;
const NF: usize = 1;
const FNR: usize = 2;
const FS: usize = 3;
const OFS: usize = 4;
const ORS: usize = 5;
const RS: usize = 6;
const FILENAME: usize = 7;
const SUBSEP: usize = 8;
const RSTART: usize = 9;
const RLENGTH: usize = 10;
const CONVFMT: usize = 11;
const OFMT: usize = 12;
const ENVIRON: usize = 13;
const ARGC: usize = 14;
const ARGV: usize = 15;
const SPECIALS: &[&str] = &[
    "NR", "NF", "FNR", "FS", "OFS", "ORS", "RS", "FILENAME", "SUBSEP", "RSTART", "RLENGTH",
    "CONVFMT", "OFMT", "ENVIRON", "ARGC", "ARGV",
];

// ------------------------------------------------------------------ parser

struct Parser {
    lex: Lexer,
    tok: Tok,
    globals: Vec<String>,
    locals: Vec<String>,
    regexes: Vec<String>,
    ranges: usize,
    /// inside print's expression list (a `>` is a redirection) — depth of parentheses
    no_gt: bool,
    no_in: bool,
}

type P<T> = Result<T, String>;

impl Parser {
    fn advance(&mut self) -> P<()> {
        self.tok = self.lex.next()?;
        Ok(())
    }

    fn err<T>(&self) -> P<T> {
        let what = match &self.tok {
            Tok::Eof | Tok::Newline => "unexpected newline or end of string".to_string(),
            _ => "syntax error".to_string(),
        };
        // the source line, then a caret under the position
        let mut st = self.lex.i.min(self.lex.c.len());
        while st > 0 && self.lex.c[st - 1] != '\n' {
            st -= 1;
        }
        let mut en = st;
        while en < self.lex.c.len() && self.lex.c[en] != '\n' {
            en += 1;
        }
        let line: String = self.lex.c[st..en].iter().collect();
        let at_end = matches!(self.tok, Tok::Eof | Tok::Newline);
        let col = self.lex.start.saturating_sub(st)
            + usize::from(at_end && self.lex.start < self.lex.c.len());
        let l = if matches!(self.tok, Tok::Newline) {
            self.lex.line - 1
        } else {
            self.lex.line
        };
        Err(format!(
            "awk: cmd. line:{l}: {line}\nawk: cmd. line:{l}: {}^ {what}\n",
            " ".repeat(col)
        ))
    }

    fn is(&self, p: &str) -> bool {
        matches!(&self.tok, Tok::P(x) if *x == p)
    }

    fn is_kw(&self, k: &str) -> bool {
        matches!(&self.tok, Tok::Kw(x) if *x == k)
    }

    fn expect(&mut self, p: &str) -> P<()> {
        if self.is(p) {
            self.advance()
        } else {
            self.err()
        }
    }

    fn opt_newlines(&mut self) -> P<()> {
        while self.tok == Tok::Newline {
            self.advance()?;
        }
        Ok(())
    }

    fn var(&mut self, name: &str) -> Var {
        if let Some(i) = self.locals.iter().position(|n| n == name) {
            return Var::Local(i);
        }
        if let Some(i) = self.globals.iter().position(|n| n == name) {
            return Var::Global(i);
        }
        self.globals.push(name.to_string());
        Var::Global(self.globals.len() - 1)
    }

    fn program(&mut self) -> P<(Items, BTreeMap<String, Func>)> {
        let mut items = Vec::new();
        let mut funcs = BTreeMap::new();
        loop {
            while self.tok == Tok::Newline || self.is(";") {
                self.advance()?;
            }
            if self.tok == Tok::Eof {
                break;
            }
            if self.is_kw("function") || self.is_kw("func") {
                self.advance()?;
                let name = match &self.tok {
                    Tok::FuncName(n) | Tok::Name(n) => n.clone(),
                    _ => return self.err(),
                };
                self.advance()?;
                self.expect("(")?;
                let mut params = Vec::new();
                while let Tok::Name(n) = &self.tok {
                    params.push(n.clone());
                    self.advance()?;
                    if self.is(",") {
                        self.advance()?;
                        self.opt_newlines()?;
                    }
                }
                self.expect(")")?;
                self.opt_newlines()?;
                self.locals = params.clone();
                let body = self.block()?;
                self.locals.clear();
                let array_params = (0..params.len()).map(|i| uses_as_array(&body, i)).collect();
                funcs.insert(
                    name,
                    Func {
                        nparams: params.len(),
                        array_params,
                        body: Rc::new(body),
                    },
                );
                continue;
            }
            let pat = if self.is_kw("BEGIN") {
                self.advance()?;
                Pattern::Begin
            } else if self.is_kw("END") {
                self.advance()?;
                Pattern::End
            } else if self.is("{") {
                Pattern::All
            } else {
                let e = self.expr()?;
                if self.is(",") {
                    self.advance()?;
                    self.opt_newlines()?;
                    let e2 = self.expr()?;
                    self.ranges += 1;
                    Pattern::Range(e, e2, self.ranges - 1)
                } else {
                    Pattern::Expr(e)
                }
            };
            if self.is("{") {
                let b = self.block()?;
                items.push((pat, Some(b)));
            } else {
                if matches!(pat, Pattern::Begin | Pattern::End) {
                    return self.err();
                }
                items.push((pat, None));
            }
        }
        Ok((items, funcs))
    }

    fn block(&mut self) -> P<Vec<Stmt>> {
        self.expect("{")?;
        let mut v = Vec::new();
        loop {
            while self.tok == Tok::Newline || self.is(";") {
                self.advance()?;
            }
            if self.is("}") {
                self.advance()?;
                return Ok(v);
            }
            if self.tok == Tok::Eof {
                return self.err();
            }
            v.push(self.stmt()?);
        }
    }

    /// A simple statement's end: `;`, newline, or before `}`.
    fn end_simple(&mut self) -> P<()> {
        if self.is(";") || self.tok == Tok::Newline {
            self.advance()
        } else if self.is("}") || self.tok == Tok::Eof {
            Ok(())
        } else {
            self.err()
        }
    }

    fn stmt_body(&mut self) -> P<Stmt> {
        self.opt_newlines()?;
        if self.is(";") {
            self.advance()?;
            return Ok(Stmt::Block(Vec::new()));
        }
        self.stmt()
    }

    fn stmt(&mut self) -> P<Stmt> {
        if self.is("{") {
            return Ok(Stmt::Block(self.block()?));
        }
        if let Tok::Kw(k) = self.tok.clone() {
            match k {
                "if" => {
                    self.advance()?;
                    self.expect("(")?;
                    let c = self.expr()?;
                    self.expect(")")?;
                    let then = self.stmt_body()?;
                    // `else` may follow newlines / a `;`
                    let save = (
                        self.lex.i,
                        self.lex.line,
                        self.tok.clone(),
                        self.lex.regex_ok,
                    );
                    while self.tok == Tok::Newline || self.is(";") {
                        self.advance()?;
                    }
                    if self.is_kw("else") {
                        self.advance()?;
                        let e = self.stmt_body()?;
                        return Ok(Stmt::If(c, Box::new(then), Some(Box::new(e))));
                    }
                    (self.lex.i, self.lex.line, self.tok, self.lex.regex_ok) = save;
                    return Ok(Stmt::If(c, Box::new(then), None));
                }
                "while" => {
                    self.advance()?;
                    self.expect("(")?;
                    let c = self.expr()?;
                    self.expect(")")?;
                    if self.is(";") {
                        self.advance()?;
                        return Ok(Stmt::While(c, Box::new(Stmt::Block(Vec::new()))));
                    }
                    let b = self.stmt_body()?;
                    return Ok(Stmt::While(c, Box::new(b)));
                }
                "do" => {
                    self.advance()?;
                    let b = self.stmt_body()?;
                    while self.tok == Tok::Newline || self.is(";") {
                        self.advance()?;
                    }
                    if !self.is_kw("while") {
                        return self.err();
                    }
                    self.advance()?;
                    self.expect("(")?;
                    let c = self.expr()?;
                    self.expect(")")?;
                    self.end_simple()?;
                    return Ok(Stmt::Do(Box::new(b), c));
                }
                "for" => {
                    self.advance()?;
                    self.expect("(")?;
                    // for (k in a)
                    if let Tok::Name(k) = self.tok.clone() {
                        let save = (
                            self.lex.i,
                            self.lex.line,
                            self.tok.clone(),
                            self.lex.regex_ok,
                        );
                        self.advance()?;
                        if self.is_kw("in") {
                            self.advance()?;
                            if let Tok::Name(a) = self.tok.clone() {
                                self.advance()?;
                                if self.is(")") {
                                    self.advance()?;
                                    let kv = self.var(&k);
                                    let av = self.var(&a);
                                    let b = self.stmt_body()?;
                                    return Ok(Stmt::ForIn(kv, av, Box::new(b)));
                                }
                            }
                        }
                        (self.lex.i, self.lex.line, self.tok, self.lex.regex_ok) = save;
                    }
                    let init = if self.is(";") {
                        None
                    } else {
                        Some(self.simple_or_expr()?)
                    };
                    self.expect(";")?;
                    self.opt_newlines()?;
                    let cond = if self.is(";") {
                        None
                    } else {
                        Some(self.expr()?)
                    };
                    self.expect(";")?;
                    self.opt_newlines()?;
                    let step = if self.is(")") {
                        None
                    } else {
                        Some(self.simple_or_expr()?)
                    };
                    self.expect(")")?;
                    if self.is(";") {
                        self.advance()?;
                        return Ok(Stmt::For(
                            init,
                            cond,
                            step,
                            Box::new(Stmt::Block(Vec::new())),
                        ));
                    }
                    let b = self.stmt_body()?;
                    return Ok(Stmt::For(init, cond, step, Box::new(b)));
                }
                "next" | "nextfile" | "break" | "continue" => {
                    self.advance()?;
                    self.end_simple()?;
                    return Ok(match k {
                        "next" => Stmt::Next,
                        "nextfile" => Stmt::NextFile,
                        "break" => Stmt::Break,
                        _ => Stmt::Continue,
                    });
                }
                "exit" | "return" => {
                    self.advance()?;
                    let e = if self.is(";")
                        || self.is("}")
                        || self.tok == Tok::Newline
                        || self.tok == Tok::Eof
                    {
                        None
                    } else {
                        Some(self.expr()?)
                    };
                    self.end_simple()?;
                    return Ok(if k == "exit" {
                        Stmt::Exit(e)
                    } else {
                        Stmt::Return(e)
                    });
                }
                "delete" => {
                    self.advance()?;
                    let Tok::Name(n) = self.tok.clone() else {
                        return self.err();
                    };
                    self.advance()?;
                    let v = self.var(&n);
                    let idx = if self.is("[") {
                        self.advance()?;
                        let l = self.expr_list()?;
                        self.expect("]")?;
                        Some(l)
                    } else {
                        None
                    };
                    self.end_simple()?;
                    return Ok(Stmt::Delete(v, idx));
                }
                "print" | "printf" => {
                    self.advance()?;
                    let mut args = Vec::new();
                    self.no_gt = true;
                    if !(self.is(";")
                        || self.is("}")
                        || self.is(">")
                        || self.is(">>")
                        || self.is("|")
                        || self.tok == Tok::Newline
                        || self.tok == Tok::Eof)
                    {
                        args = self.expr_list()?;
                    }
                    self.no_gt = false;
                    // print (a, b): the parenthesized list is the argument list
                    if args.len() == 1 {
                        if let Expr::Group(g) = &args[0] {
                            if let Expr::Call(n, l) = &**g {
                                if n == "\u{0}list" {
                                    args = l.clone();
                                }
                            }
                        }
                    }
                    let redir = if self.is(">") || self.is(">>") || self.is("|") {
                        let op = if self.is(">") {
                            0
                        } else if self.is(">>") {
                            1
                        } else {
                            2
                        };
                        self.advance()?;
                        let t = self.concat_expr()?;
                        match op {
                            0 => Redir::File(t),
                            1 => Redir::Append(t),
                            _ => Redir::Pipe(t),
                        }
                    } else {
                        Redir::None
                    };
                    self.end_simple()?;
                    return Ok(if k == "print" {
                        Stmt::Print(args, redir)
                    } else {
                        Stmt::Printf(args, redir)
                    });
                }
                "getline" => {}
                _ => return self.err(),
            }
        }
        let e = self.expr()?;
        self.end_simple()?;
        Ok(if matches!(e, Expr::Getline(..)) {
            Stmt::Getline(e)
        } else {
            Stmt::Expr(e)
        })
    }

    fn simple_or_expr(&mut self) -> P<Expr> {
        self.expr()
    }

    fn expr_list(&mut self) -> P<Vec<Expr>> {
        let mut v = vec![self.expr()?];
        while self.is(",") {
            self.advance()?;
            self.opt_newlines()?;
            v.push(self.expr()?);
        }
        Ok(v)
    }

    fn expr(&mut self) -> P<Expr> {
        self.ternary()
    }

    fn ternary(&mut self) -> P<Expr> {
        let c = self.or()?;
        if self.is("?") {
            self.advance()?;
            self.opt_newlines()?;
            let a = self.ternary()?;
            self.opt_newlines()?;
            self.expect(":")?;
            self.opt_newlines()?;
            let b = self.ternary()?;
            return Ok(Expr::Cond(Box::new(c), Box::new(a), Box::new(b)));
        }
        // assignment: the left side must be an lvalue
        let op = match &self.tok {
            Tok::P("=") => Some(None),
            Tok::P("+=") => Some(Some("+")),
            Tok::P("-=") => Some(Some("-")),
            Tok::P("*=") => Some(Some("*")),
            Tok::P("/=") => Some(Some("/")),
            Tok::P("%=") => Some(Some("%")),
            Tok::P("^=") | Tok::P("**=") => Some(Some("^")),
            _ => None,
        };
        if let Some(op) = op {
            if let Expr::Lv(lv) = c {
                self.advance()?;
                self.opt_newlines()?;
                let r = self.ternary()?;
                return Ok(Expr::Assign(Box::new(lv), op, Box::new(r)));
            }
        }
        Ok(c)
    }

    fn or(&mut self) -> P<Expr> {
        let mut l = self.and()?;
        while self.is("||") {
            self.advance()?;
            self.opt_newlines()?;
            let r = self.and()?;
            l = Expr::Or(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn and(&mut self) -> P<Expr> {
        let mut l = self.in_expr()?;
        while self.is("&&") {
            self.advance()?;
            self.opt_newlines()?;
            let r = self.in_expr()?;
            l = Expr::And(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn in_expr(&mut self) -> P<Expr> {
        let mut l = self.match_expr()?;
        while self.is_kw("in") && !self.no_in {
            self.advance()?;
            let Tok::Name(a) = self.tok.clone() else {
                return self.err();
            };
            self.advance()?;
            let v = self.var(&a);
            let keys = match l {
                Expr::Group(g) => match *g {
                    Expr::Call(n, l) if n == "\u{0}list" => l,
                    e => vec![e],
                },
                e => vec![e],
            };
            l = Expr::In(keys, v);
        }
        Ok(l)
    }

    fn match_expr(&mut self) -> P<Expr> {
        let mut l = self.cmp()?;
        while self.is("~") || self.is("!~") {
            let neg = self.is("!~");
            self.advance()?;
            let r = self.cmp()?;
            l = Expr::Match(neg, Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn cmp(&mut self) -> P<Expr> {
        let l = self.concat_expr()?;
        let op = match &self.tok {
            Tok::P(p @ ("<" | "<=" | "!=" | "==" | ">=")) => *p,
            Tok::P(">") if !self.no_gt => ">",
            _ => return Ok(l),
        };
        self.advance()?;
        let r = self.concat_expr()?;
        Ok(Expr::Cmp(op, Box::new(l), Box::new(r)))
    }

    fn starts_operand(&self) -> bool {
        match &self.tok {
            Tok::Num(_)
            | Tok::Str(_)
            | Tok::Ere(_)
            | Tok::Name(_)
            | Tok::FuncName(_)
            | Tok::Builtin(_) => true,
            Tok::P(p) => matches!(*p, "$" | "!" | "(" | "-" | "+" | "++" | "--"),
            Tok::Kw(_) => false,
            _ => false,
        }
    }

    fn concat_expr(&mut self) -> P<Expr> {
        let mut l = self.additive()?;
        while self.starts_operand() && !self.is("-") && !self.is("+") && !self.is("!") {
            if self.is_kw("in") {
                break;
            }
            let r = self.additive()?;
            l = Expr::Concat(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn additive(&mut self) -> P<Expr> {
        let mut l = self.mul()?;
        loop {
            let op = match &self.tok {
                Tok::P("+") => "+",
                Tok::P("-") => "-",
                _ => return Ok(l),
            };
            self.advance()?;
            let r = self.mul()?;
            l = Expr::Bin(op, Box::new(l), Box::new(r));
        }
    }

    fn mul(&mut self) -> P<Expr> {
        let mut l = self.unary()?;
        loop {
            let op = match &self.tok {
                Tok::P("*") => "*",
                Tok::P("/") => "/",
                Tok::P("%") => "%",
                _ => return Ok(l),
            };
            self.advance()?;
            let r = self.unary()?;
            if op != "*" && matches!(r, Expr::Num(n) if n == 0.0) {
                // gawk folds constant divisors at parse time
                let what = if op == "/" {
                    "division by zero attempted"
                } else {
                    "division by zero attempted in `%'"
                };
                return Err(format!("awk: cmd. line:{}: error: {what}\n", self.lex.line));
            }
            l = Expr::Bin(op, Box::new(l), Box::new(r));
        }
    }

    fn unary(&mut self) -> P<Expr> {
        match &self.tok {
            Tok::P("!") => {
                self.advance()?;
                Ok(Expr::Not(Box::new(self.unary()?)))
            }
            Tok::P("-") => {
                self.advance()?;
                Ok(Expr::Neg(Box::new(self.unary()?)))
            }
            Tok::P("+") => {
                self.advance()?;
                Ok(Expr::Plus(Box::new(self.unary()?)))
            }
            _ => self.power(),
        }
    }

    fn power(&mut self) -> P<Expr> {
        let b = self.postfix()?;
        if self.is("^") || self.is("**") {
            self.advance()?;
            // right associative, and binds tighter than unary minus on its left only
            let e = match &self.tok {
                Tok::P("-") => {
                    self.advance()?;
                    Expr::Neg(Box::new(self.power()?))
                }
                Tok::P("+") => {
                    self.advance()?;
                    self.power()?
                }
                Tok::P("!") => {
                    self.advance()?;
                    Expr::Not(Box::new(self.power()?))
                }
                _ => self.power()?,
            };
            return Ok(Expr::Bin("^", Box::new(b), Box::new(e)));
        }
        Ok(b)
    }

    fn postfix(&mut self) -> P<Expr> {
        if self.is("++") || self.is("--") {
            let d = if self.is("++") { 1.0 } else { -1.0 };
            self.advance()?;
            let e = self.postfix()?;
            let Expr::Lv(lv) = e else { return self.err() };
            return Ok(Expr::Incr(true, d, Box::new(lv)));
        }
        let e = self.primary()?;
        if let Expr::Lv(lv) = &e {
            if self.is("++") || self.is("--") {
                let d = if self.is("++") { 1.0 } else { -1.0 };
                self.advance()?;
                return Ok(Expr::Incr(false, d, Box::new(lv.clone())));
            }
        }
        // cmd | getline [var]
        if self.is("|") {
            let save = (
                self.lex.i,
                self.lex.line,
                self.tok.clone(),
                self.lex.regex_ok,
            );
            self.advance()?;
            if self.is_kw("getline") {
                self.advance()?;
                let v = self.opt_lvalue()?;
                return Ok(Expr::Getline(v.map(Box::new), None, Some(Box::new(e))));
            }
            (self.lex.i, self.lex.line, self.tok, self.lex.regex_ok) = save;
        }
        Ok(e)
    }

    fn opt_lvalue(&mut self) -> P<Option<Lv>> {
        match &self.tok {
            Tok::Name(_) | Tok::P("$") => {
                let e = self.primary()?;
                match e {
                    Expr::Lv(l) => Ok(Some(l)),
                    _ => self.err(),
                }
            }
            _ => Ok(None),
        }
    }

    fn primary(&mut self) -> P<Expr> {
        let t = self.tok.clone();
        match t {
            Tok::Num(n) => {
                self.advance()?;
                Ok(Expr::Num(n))
            }
            Tok::Str(s) => {
                self.advance()?;
                Ok(Expr::Str(s))
            }
            Tok::Ere(r) => {
                self.advance()?;
                self.regexes.push(r);
                Ok(Expr::Re(self.regexes.len() - 1))
            }
            Tok::P("$") => {
                self.advance()?;
                let e = if self.is("++") || self.is("--") {
                    self.postfix()?
                } else if self.is("-") {
                    self.advance()?;
                    Expr::Neg(Box::new(self.primary()?))
                } else {
                    self.primary()?
                };
                Ok(Expr::Lv(Lv::Field(Box::new(e))))
            }
            Tok::P("(") => {
                self.advance()?;
                let save = (self.no_gt, self.no_in);
                self.no_gt = false;
                self.no_in = false;
                self.opt_newlines()?;
                let l = self.expr_list()?;
                self.opt_newlines()?;
                (self.no_gt, self.no_in) = save;
                self.expect(")")?;
                if l.len() == 1 {
                    Ok(Expr::Group(Box::new(
                        l.into_iter().next().unwrap_or(Expr::Num(0.0)),
                    )))
                } else {
                    // (a, b) in arr / print (a, b)
                    Ok(Expr::Group(Box::new(Expr::Call("\u{0}list".into(), l))))
                }
            }
            Tok::Name(n) => {
                self.advance()?;
                let v = self.var(&n);
                if self.is("[") {
                    self.advance()?;
                    let l = self.expr_list()?;
                    self.expect("]")?;
                    return Ok(Expr::Lv(Lv::Index(v, l)));
                }
                Ok(Expr::Lv(Lv::Var(v)))
            }
            Tok::FuncName(n) => {
                self.advance()?;
                self.expect("(")?;
                let mut args = Vec::new();
                self.opt_newlines()?;
                if !self.is(")") {
                    let save = self.no_gt;
                    self.no_gt = false;
                    args = self.expr_list()?;
                    self.no_gt = save;
                }
                self.opt_newlines()?;
                self.expect(")")?;
                Ok(Expr::Call(n, args))
            }
            Tok::Builtin(n) => {
                self.advance()?;
                let mut args = Vec::new();
                if self.is("(") {
                    self.advance()?;
                    self.opt_newlines()?;
                    if !self.is(")") {
                        let save = self.no_gt;
                        self.no_gt = false;
                        args = self.expr_list()?;
                        self.no_gt = save;
                    }
                    self.expect(")")?;
                } else if n != "length" {
                    return self.err();
                }
                Ok(Expr::Builtin(n, args))
            }
            Tok::Kw("getline") => {
                self.advance()?;
                let v = self.opt_lvalue()?;
                let file = if self.is("<") {
                    self.advance()?;
                    Some(Box::new(self.primary()?))
                } else {
                    None
                };
                Ok(Expr::Getline(v.map(Box::new), file, None))
            }
            _ => self.err(),
        }
    }
}

/// Whether a function's parameter `i` is used as an array in its body.
fn uses_as_array(body: &[Stmt], i: usize) -> bool {
    fn is_p(v: &Var, i: usize) -> bool {
        matches!(v, Var::Local(k) if *k == i)
    }
    fn e(x: &Expr, i: usize) -> bool {
        match x {
            Expr::Lv(lv) => lvx(lv, i),
            Expr::Assign(l, _, r) => lvx(l, i) || e(r, i),
            Expr::Cond(a, b, c) => e(a, i) || e(b, i) || e(c, i),
            Expr::And(a, b)
            | Expr::Or(a, b)
            | Expr::Match(_, a, b)
            | Expr::Cmp(_, a, b)
            | Expr::Concat(a, b)
            | Expr::Bin(_, a, b) => e(a, i) || e(b, i),
            Expr::In(k, v) => is_p(v, i) || k.iter().any(|x| e(x, i)),
            Expr::Neg(a) | Expr::Plus(a) | Expr::Not(a) | Expr::Group(a) => e(a, i),
            Expr::Incr(_, _, l) => lvx(l, i),
            Expr::Call(_, a) => a.iter().any(|x| e(x, i)),
            Expr::Builtin(n, a) => {
                (n == "split"
                    && a.get(1)
                        .is_some_and(|x| matches!(x, Expr::Lv(Lv::Var(v)) if is_p(v, i))))
                    || a.iter().any(|x| e(x, i))
            }
            Expr::Getline(l, f, c) => {
                l.as_ref().is_some_and(|l| lvx(l, i))
                    || f.as_ref().is_some_and(|x| e(x, i))
                    || c.as_ref().is_some_and(|x| e(x, i))
            }
            Expr::Num(_) | Expr::Str(_) | Expr::Re(_) => false,
        }
    }
    fn lvx(l: &Lv, i: usize) -> bool {
        match l {
            Lv::Var(_) => false,
            Lv::Field(x) => e(x, i),
            Lv::Index(v, k) => is_p(v, i) || k.iter().any(|x| e(x, i)),
        }
    }
    fn s(st: &Stmt, i: usize) -> bool {
        match st {
            Stmt::Expr(x) | Stmt::Getline(x) => e(x, i),
            Stmt::Print(a, _) | Stmt::Printf(a, _) => a.iter().any(|x| e(x, i)),
            Stmt::If(c, a, b) => e(c, i) || s(a, i) || b.as_ref().is_some_and(|b| s(b, i)),
            Stmt::While(c, b) | Stmt::Do(b, c) => e(c, i) || s(b, i),
            Stmt::For(a, b, c, d) => {
                [a, b, c]
                    .iter()
                    .any(|x| x.as_ref().is_some_and(|x| e(x, i)))
                    || s(d, i)
            }
            Stmt::ForIn(_, a, b) => is_p(a, i) || s(b, i),
            Stmt::Block(b) => b.iter().any(|x| s(x, i)),
            Stmt::Delete(v, _) => is_p(v, i),
            Stmt::Exit(x) | Stmt::Return(x) => x.as_ref().is_some_and(|x| e(x, i)),
            _ => false,
        }
    }
    body.iter().any(|st| s(st, i))
}

// ------------------------------------------------------------------ values

#[derive(Clone, Debug)]
enum V {
    Num(f64),
    Str(String),
    /// input that looks numeric compares as a number (POSIX strnum)
    StrNum(String),
}

fn prefix_num(s: &str) -> f64 {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let ds = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i == ds || (i == ds + 1 && b[ds] == b'.') {
        // gawk accepts "+inf"/"-nan" with a sign only
        let low = t.to_ascii_lowercase();
        if low.starts_with("+inf") || low.starts_with("-inf") {
            return if low.starts_with('-') {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
        }
        if low.starts_with("+nan") || low.starts_with("-nan") {
            return f64::NAN;
        }
        return 0.0;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    t[..i].parse().unwrap_or(0.0)
}

/// Whether a whole string is a number (for strnum): blanks, a number, blanks.
fn looks_numeric(s: &str) -> bool {
    let t = s.trim_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    if t.is_empty() {
        return false;
    }
    let b = t.as_bytes();
    let mut i = 0;
    if b[0] == b'+' || b[0] == b'-' {
        i += 1;
    }
    let low = t[i..].to_ascii_lowercase();
    if i == 1 && (low == "inf" || low == "nan") {
        return true;
    }
    let ds = i;
    let mut digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        digits += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            digits += 1;
        }
    }
    let _ = ds;
    if digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let st = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == st {
            return false;
        }
    }
    i == b.len()
}

/// A number as awk prints it: integers as integers, others through `fmt` (CONVFMT/OFMT).
fn num_to_str(n: f64, fmt: &str) -> String {
    if n.is_nan() {
        return if n.is_sign_negative() {
            "-nan".into()
        } else {
            "+nan".into()
        };
    }
    if n.is_infinite() {
        return if n < 0.0 {
            "-inf".into()
        } else {
            "+inf".into()
        };
    }
    if n == n.trunc() && n.abs() < 1e16 {
        return format!("{}", n as i64);
    }
    if n == n.trunc() && n.abs() < 1e30 {
        // gawk prints integral values exactly (%d)
        return format!("{n:.0}");
    }
    sprintf(fmt, &[V::Num(n)], "%.6g")
}

fn to_num(v: &V) -> f64 {
    match v {
        V::Num(n) => *n,
        V::Str(s) | V::StrNum(s) => prefix_num(s),
    }
}

fn to_str(v: &V, convfmt: &str) -> String {
    match v {
        V::Num(n) => num_to_str(*n, convfmt),
        V::Str(s) | V::StrNum(s) => s.clone(),
    }
}

fn truthy(v: &V) -> bool {
    match v {
        V::Num(n) => *n != 0.0,
        V::Str(s) => !s.is_empty(),
        V::StrNum(s) => {
            if looks_numeric(s) {
                prefix_num(s) != 0.0
            } else {
                !s.is_empty()
            }
        }
    }
}

/// awk's sprintf over values.
fn sprintf(fmt: &str, args: &[V], convfmt: &str) -> String {
    let f: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut ai = 0;
    let mut i = 0;
    let next = |ai: &mut usize| -> V {
        let v = args.get(*ai).cloned().unwrap_or(V::Str(String::new()));
        *ai += 1;
        v
    };
    while i < f.len() {
        if f[i] != '%' {
            out.push(f[i]);
            i += 1;
            continue;
        }
        if f.get(i + 1) == Some(&'%') {
            out.push('%');
            i += 2;
            continue;
        }
        let Some((mut spec, j, sw, sp)) = parse_spec(&f, i) else {
            out.extend(&f[i..]);
            break;
        };
        if sw {
            let w = to_num(&next(&mut ai)) as i64;
            if w < 0 {
                spec.minus = true;
            }
            spec.width = Some(cap_len(
                usize::try_from(w.unsigned_abs()).unwrap_or(usize::MAX),
            ));
        }
        if sp {
            let p = to_num(&next(&mut ai)) as i64;
            spec.prec = if p < 0 {
                None
            } else {
                Some(cap_len(usize::try_from(p).unwrap_or(usize::MAX)))
            };
        }
        match spec.conv {
            'd' | 'i' | 'o' | 'x' | 'X' | 'u' => {
                let n = to_num(&next(&mut ai));
                if n.is_finite() {
                    out.push_str(&fmt_int(&spec, n.trunc() as i128));
                } else {
                    let mut s2 = spec.clone();
                    s2.conv = 'f';
                    out.push_str(&fmt_float(&s2, n));
                }
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'a' | 'A' => {
                let n = to_num(&next(&mut ai));
                out.push_str(&fmt_float(&spec, n));
            }
            'c' => {
                let v = next(&mut ai);
                let s = match v {
                    V::Num(n) => char::from_u32(n as u32)
                        .map(String::from)
                        .unwrap_or_default(),
                    V::Str(s) | V::StrNum(s) => {
                        s.chars().next().map(String::from).unwrap_or_default()
                    }
                };
                let mut s2 = spec.clone();
                s2.prec = None;
                out.push_str(&fmt_str(&s2, &s));
            }
            's' => {
                let v = next(&mut ai);
                out.push_str(&fmt_str(&spec, &to_str(&v, convfmt)));
            }
            _ => {
                out.extend(&f[i..j]);
            }
        }
        i = j;
    }
    out
}

// ------------------------------------------------------------------ interpreter

#[derive(Clone, Debug, Default)]
struct Arr {
    map: BTreeMap<String, V>,
    order: Vec<String>,
}

impl Arr {
    fn get(&mut self, k: &str) -> V {
        if let Some(v) = self.map.get(k) {
            return v.clone();
        }
        self.set(k, V::StrNum(String::new()));
        V::StrNum(String::new())
    }

    fn set(&mut self, k: &str, v: V) {
        if self.map.insert(k.to_string(), v).is_none() {
            self.order.push(k.to_string());
        }
    }

    fn delete(&mut self, k: &str) {
        if self.map.remove(k).is_some() {
            self.order.retain(|x| x != k);
        }
    }

    fn keys(&self) -> Vec<String> {
        // gawk walks integer keys in ascending order when all keys are integers
        if !self.order.is_empty()
            && self
                .order
                .iter()
                .all(|k| k.parse::<i64>().is_ok_and(|n| n.to_string() == *k))
        {
            let mut v = self.order.clone();
            v.sort_by_key(|k| k.parse::<i64>().unwrap_or(0));
            return v;
        }
        self.order.clone()
    }
}

#[derive(Clone, Debug)]
enum Cell {
    Val(V),
    Arr(Rc<RefCell<Arr>>),
}

impl Default for Cell {
    fn default() -> Self {
        Cell::Val(V::StrNum(String::new()))
    }
}

enum Jump {
    Next,
    NextFile,
    Exit(i32),
    Return(V),
    Break,
    Continue,
    Fatal(String),
}

type R<T> = Result<T, Jump>;

struct Interp<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    globals: Vec<Cell>,
    frames: Vec<Vec<Cell>>,
    funcs: BTreeMap<String, Func>,
    regexes: Vec<Regex>,
    dyn_re: BTreeMap<String, Regex>,
    record: String,
    fields: Vec<String>,
    range_on: Vec<bool>,
    outputs: Vec<(String, Vec<u8>, bool)>,
    pipes: Vec<(String, Vec<u8>)>,
    readers: Vec<(String, Vec<String>, usize)>,
    /// main input: the records not yet read, and the operands not yet opened
    main: Vec<String>,
    main_pos: usize,
    operands: Vec<String>,
    op_pos: usize,
    rand_seed: f64,
    rng: u64,
    exit_code: i32,
    depth: usize,
    global_names: Vec<String>,
    steps: u64,
}

/// Statements one awk run may execute, and bytes it may print.
const STEP_BUDGET: u64 = 2_000_000;
/// Fields a record may be given by assignment.
const MAX_FIELDS: usize = 1 << 20;
/// Nesting of user function calls (bounded by the stack; test threads have 2 MiB).
const MAX_CALL_DEPTH: usize = 60;
const OUTPUT_BUDGET: usize = 64 << 20;

impl Interp<'_, '_> {
    fn fatal<T>(&self, m: &str) -> R<T> {
        let where_ = if self.main_pos > 0 || self.op_pos > 0 {
            let f = to_str(&self.gv(FILENAME), "%.6g");
            format!(
                "(FILENAME={} FNR={}) ",
                if f.is_empty() { "-".to_string() } else { f },
                to_str(&self.gv(FNR), "%.6g")
            )
        } else {
            String::new()
        };
        Err(Jump::Fatal(format!(
            "awk: cmd. line:1: {where_}fatal: {m}\n"
        )))
    }

    fn gv(&self, i: usize) -> V {
        match &self.globals[i] {
            Cell::Val(v) => v.clone(),
            Cell::Arr(_) => V::Str(String::new()),
        }
    }

    fn gs(&self, i: usize) -> String {
        to_str(&self.gv(i), "%.6g")
    }

    fn convfmt(&self) -> String {
        self.gs(CONVFMT)
    }

    fn set_global(&mut self, i: usize, v: V) {
        self.globals[i] = Cell::Val(v);
        if i == NF {
            let n = (to_num(&self.gv(NF)).max(0.0) as usize).min(MAX_FIELDS);
            self.fields.resize(n, String::new());
            self.rebuild();
        }
    }

    fn split_record(&mut self) {
        let fs = self.gs(FS);
        let rs = self.gs(RS);
        self.fields = self.split_with(&self.record.clone(), &fs, rs.is_empty());
        self.globals[NF] = Cell::Val(V::Num(self.fields.len() as f64));
    }

    fn split_with(&mut self, s: &str, fs: &str, paragraph: bool) -> Vec<String> {
        if fs == " " {
            return s
                .split([' ', '\t', '\n'])
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect();
        }
        if s.is_empty() {
            return Vec::new();
        }
        let mut v: Vec<String> = if fs.chars().count() == 1 && fs != "\\" {
            // a single character other than space (and backslash) separates literally
            let c = fs.chars().next().unwrap_or(' ');
            if c != '\\' {
                s.split(c).map(str::to_string).collect()
            } else {
                match self.dyn_regex(fs) {
                    Ok(r) => r.split(s).map(str::to_string).collect(),
                    Err(_) => vec![s.to_string()],
                }
            }
        } else {
            match self.dyn_regex(fs) {
                Ok(r) => r.split(s).map(str::to_string).collect(),
                Err(_) => vec![s.to_string()],
            }
        };
        if paragraph {
            v = v
                .into_iter()
                .flat_map(|f| f.split('\n').map(str::to_string).collect::<Vec<_>>())
                .collect();
        }
        v
    }

    fn rebuild(&mut self) {
        let ofs = self.gs(OFS);
        self.record = self.fields.join(&ofs);
    }

    fn get_field(&mut self, i: usize) -> V {
        if i == 0 {
            return V::StrNum(self.record.clone());
        }
        match self.fields.get(i - 1) {
            Some(f) => V::StrNum(f.clone()),
            None => V::StrNum(String::new()),
        }
    }

    fn set_field(&mut self, i: usize, s: String) {
        if i == 0 {
            self.record = s;
            self.split_record();
            return;
        }
        if self.fields.len() < i {
            self.fields.resize(i, String::new());
        }
        self.fields[i - 1] = s;
        self.globals[NF] = Cell::Val(V::Num(self.fields.len() as f64));
        self.rebuild();
    }

    fn dyn_regex(&mut self, s: &str) -> Result<Regex, String> {
        if let Some(r) = self.dyn_re.get(s) {
            return Ok(r.clone());
        }
        let r = compile_awk_re(s)?;
        if self.dyn_re.len() > 500 {
            self.dyn_re.clear();
        }
        self.dyn_re.insert(s.to_string(), r.clone());
        Ok(r)
    }

    fn regex_of(&mut self, e: &Expr) -> R<Regex> {
        if let Expr::Re(i) = e {
            return Ok(self.regexes[*i].clone());
        }
        let v = self.eval(e)?;
        let s = to_str(&v, &self.convfmt());
        match self.dyn_regex(&s) {
            Ok(r) => Ok(r),
            Err(m) => self.fatal(&format!("invalid regexp /{s}/: {m}")),
        }
    }

    fn cell(&mut self, v: &Var) -> &mut Cell {
        match v {
            Var::Global(i) => &mut self.globals[*i],
            Var::Local(i) => {
                let f = self.frames.last_mut().expect("in a function");
                &mut f[*i]
            }
        }
    }

    fn arr(&mut self, v: &Var) -> R<Rc<RefCell<Arr>>> {
        let c = self.cell(v);
        match c {
            Cell::Arr(a) => Ok(a.clone()),
            Cell::Val(V::StrNum(s)) if s.is_empty() => {
                let a = Rc::new(RefCell::new(Arr::default()));
                *c = Cell::Arr(a.clone());
                Ok(a)
            }
            Cell::Val(_) => self.fatal("attempt to use scalar as array"),
        }
    }

    fn subscript(&mut self, k: &[Expr]) -> R<String> {
        let mut parts = Vec::new();
        for e in k {
            let v = self.eval(e)?;
            parts.push(to_str(&v, &self.convfmt()));
        }
        Ok(parts.join(&self.gs(SUBSEP)))
    }

    fn get_lv(&mut self, lv: &Lv) -> R<V> {
        match lv {
            Lv::Var(v) => match self.cell(v).clone() {
                Cell::Val(x) => Ok(x),
                Cell::Arr(_) => self.fatal("attempt to use array in a scalar context"),
            },
            Lv::Field(e) => {
                let n = to_num(&self.eval(e)?);
                if n < 0.0 {
                    return self.fatal(&format!("attempt to access field {}", n as i64));
                }
                Ok(self.get_field(n as usize))
            }
            Lv::Index(v, k) => {
                let key = self.subscript(k)?;
                let a = self.arr(v)?;
                let r = a.borrow_mut().get(&key);
                Ok(r)
            }
        }
    }

    fn set_lv(&mut self, lv: &Lv, val: V) -> R<()> {
        match lv {
            Lv::Var(Var::Global(i)) => {
                if matches!(self.globals[*i], Cell::Arr(_)) {
                    return self.fatal("attempt to use array in a scalar context");
                }
                self.set_global(*i, val);
            }
            Lv::Var(v) => {
                let c = self.cell(v);
                if matches!(c, Cell::Arr(_)) {
                    return self.fatal("attempt to use array in a scalar context");
                }
                *c = Cell::Val(val);
            }
            Lv::Field(e) => {
                let n = to_num(&self.eval(e)?);
                if n < 0.0 {
                    return self.fatal(&format!("attempt to access field {}", n as i64));
                }
                if n > MAX_FIELDS as f64 {
                    return self.fatal(&format!(
                        "nslab: awk field ${n} is not modelled (more than {MAX_FIELDS} fields)"
                    ));
                }
                let s = to_str(&val, &self.convfmt());
                self.set_field(n as usize, s);
            }
            Lv::Index(v, k) => {
                let key = self.subscript(k)?;
                let a = self.arr(v)?;
                a.borrow_mut().set(&key, val);
            }
        }
        Ok(())
    }

    fn compare(&self, op: &str, a: &V, b: &V) -> bool {
        let numeric = |v: &V| match v {
            V::Num(_) => true,
            V::StrNum(s) => s.is_empty() || looks_numeric(s),
            V::Str(_) => false,
        };
        let ord = if numeric(a) && numeric(b) {
            let (x, y) = (to_num(a), to_num(b));
            match x.partial_cmp(&y) {
                Some(o) => o,
                None => return op == "!=",
            }
        } else {
            let cf = self.convfmt();
            to_str(a, &cf).cmp(&to_str(b, &cf))
        };
        match op {
            "<" => ord.is_lt(),
            "<=" => ord.is_le(),
            ">" => ord.is_gt(),
            ">=" => ord.is_ge(),
            "==" => ord.is_eq(),
            _ => ord.is_ne(),
        }
    }

    fn eval(&mut self, e: &Expr) -> R<V> {
        Ok(match e {
            Expr::Num(n) => V::Num(*n),
            Expr::Str(s) => V::Str(s.clone()),
            Expr::Re(i) => {
                let r = self.regexes[*i].clone();
                V::Num(f64::from(u8::from(r.is_match(&self.record))))
            }
            Expr::Group(g) => match &**g {
                Expr::Call(n, l) if n == "\u{0}list" => {
                    // (a, b) outside `in`/print: gawk concatenates with SUBSEP
                    let k = self.subscript(l)?;
                    V::Str(k)
                }
                g => self.eval(g)?,
            },
            Expr::Lv(lv) => self.get_lv(lv)?,
            Expr::Assign(lv, op, r) => {
                let rv = self.eval(r)?;
                let v = match op {
                    None => match rv {
                        V::Num(n) => V::Num(n),
                        V::Str(s) => V::Str(s),
                        V::StrNum(s) => V::StrNum(s),
                    },
                    Some(op) => {
                        let l = to_num(&self.get_lv(lv)?);
                        V::Num(self.arith(op, l, to_num(&rv))?)
                    }
                };
                self.set_lv(lv, v.clone())?;
                v
            }
            Expr::Cond(c, a, b) => {
                if truthy(&self.eval(c)?) {
                    self.eval(a)?
                } else {
                    self.eval(b)?
                }
            }
            Expr::And(a, b) => V::Num(f64::from(u8::from(
                truthy(&self.eval(a)?) && truthy(&self.eval(b)?),
            ))),
            Expr::Or(a, b) => V::Num(f64::from(u8::from(
                truthy(&self.eval(a)?) || truthy(&self.eval(b)?),
            ))),
            Expr::In(k, v) => {
                let key = self.subscript(k)?;
                let a = self.arr(v)?;
                let has = a.borrow().map.contains_key(&key);
                V::Num(f64::from(u8::from(has)))
            }
            Expr::Match(neg, l, r) => {
                let s = self.eval(l)?;
                let s = to_str(&s, &self.convfmt());
                let re = self.regex_of(r)?;
                V::Num(f64::from(u8::from(re.is_match(&s) != *neg)))
            }
            Expr::Cmp(op, a, b) => {
                let x = self.eval(a)?;
                let y = self.eval(b)?;
                V::Num(f64::from(u8::from(self.compare(op, &x, &y))))
            }
            Expr::Concat(a, b) => {
                let x = self.eval(a)?;
                let y = self.eval(b)?;
                let cf = self.convfmt();
                V::Str(to_str(&x, &cf) + &to_str(&y, &cf))
            }
            Expr::Bin(op, a, b) => {
                let x = to_num(&self.eval(a)?);
                let y = to_num(&self.eval(b)?);
                V::Num(self.arith(op, x, y)?)
            }
            Expr::Neg(a) => V::Num(-to_num(&self.eval(a)?)),
            Expr::Plus(a) => V::Num(to_num(&self.eval(a)?)),
            Expr::Not(a) => V::Num(f64::from(u8::from(!truthy(&self.eval(a)?)))),
            Expr::Incr(pre, d, lv) => {
                let old = to_num(&self.get_lv(lv)?);
                self.set_lv(lv, V::Num(old + d))?;
                V::Num(if *pre { old + d } else { old })
            }
            Expr::Call(name, args) => self.call(name, args)?,
            Expr::Builtin(name, args) => self.builtin(name, args)?,
            Expr::Getline(lv, file, cmd) => {
                self.getline(lv.as_deref(), file.as_deref(), cmd.as_deref())?
            }
        })
    }

    fn arith(&self, op: &str, x: f64, y: f64) -> R<f64> {
        Ok(match op {
            "+" => x + y,
            "-" => x - y,
            "*" => x * y,
            "/" => {
                if y == 0.0 {
                    return self.fatal("division by zero attempted");
                }
                x / y
            }
            "%" => {
                if y == 0.0 {
                    return self.fatal("division by zero attempted in `%'");
                }
                x % y
            }
            _ => x.powf(y),
        })
    }

    fn call(&mut self, name: &str, args: &[Expr]) -> R<V> {
        let Some(f) = self.funcs.get(name) else {
            return self.fatal(&format!("function `{name}' not defined"));
        };
        let (np, arrp) = (f.nparams, f.array_params.clone());
        if args.len() > np {
            return self.fatal(&format!(
                "function `{name}' called with more arguments than declared"
            ));
        }
        let mut frame = Vec::with_capacity(np);
        for (k, a) in args.iter().enumerate() {
            // arrays go by reference; an untyped variable becomes an array if the function
            // uses the parameter as one
            let cell = match a {
                Expr::Lv(Lv::Var(v)) => {
                    let c = self.cell(v).clone();
                    match c {
                        Cell::Arr(r) => Cell::Arr(r),
                        Cell::Val(V::StrNum(s)) if s.is_empty() && arrp[k] => {
                            Cell::Arr(self.arr(v)?)
                        }
                        Cell::Val(x) => Cell::Val(x),
                    }
                }
                e => Cell::Val(self.eval(e)?),
            };
            frame.push(cell);
        }
        while frame.len() < np {
            frame.push(Cell::default());
        }
        if self.depth > MAX_CALL_DEPTH {
            return self.fatal("function call nesting too deep");
        }
        self.depth += 1;
        self.frames.push(frame);
        let body = self
            .funcs
            .get(name)
            .map(|f| f.body.clone())
            .unwrap_or_default();
        let r = self.block(&body);
        self.frames.pop();
        self.depth -= 1;
        match r {
            Ok(()) => Ok(V::StrNum(String::new())),
            Err(Jump::Return(v)) => Ok(v),
            Err(Jump::Break) | Err(Jump::Continue) => Ok(V::StrNum(String::new())),
            Err(j) => Err(j),
        }
    }

    fn sub(&mut self, args: &[Expr], global: bool) -> R<V> {
        if args.len() < 2 {
            return self.fatal("sub: not enough arguments");
        }
        let re = self.regex_of(&args[0])?;
        let repl = to_str(&self.eval(&args[1])?, &self.convfmt());
        let target = match args.get(2) {
            Some(Expr::Lv(lv)) => lv.clone(),
            Some(_) => return self.fatal("sub third parameter is not a changeable object"),
            None => Lv::Field(Box::new(Expr::Num(0.0))),
        };
        let s = to_str(&self.get_lv(&target)?, &self.convfmt());
        let (out, n) = substitute(&re, &s, &repl, if global { 0 } else { 1 }, false);
        if n > 0 {
            self.set_lv(&target, V::Str(out))?;
        }
        Ok(V::Num(n as f64))
    }

    fn builtin(&mut self, name: &str, args: &[Expr]) -> R<V> {
        let cf = self.convfmt();
        let sv = |me: &mut Self, k: usize| -> R<String> {
            match args.get(k) {
                Some(e) => {
                    let v = me.eval(e)?;
                    Ok(to_str(&v, &cf))
                }
                None => Ok(String::new()),
            }
        };
        Ok(match name {
            "length" => match args.first() {
                None => V::Num(self.record.chars().count() as f64),
                Some(Expr::Lv(Lv::Var(v))) if matches!(self.cell(v), Cell::Arr(_)) => {
                    let a = self.arr(v)?;
                    let n = a.borrow().map.len();
                    V::Num(n as f64)
                }
                Some(_) => V::Num(sv(self, 0)?.chars().count() as f64),
            },
            "substr" => {
                // gawk truncates start and length; a start before 1 is 1 (the length kept)
                let s: Vec<char> = sv(self, 0)?.chars().collect();
                let m = to_num(&self.eval(args.get(1).unwrap_or(&Expr::Num(1.0)))?);
                let start = if m.is_nan() { 1.0 } else { m.trunc().max(1.0) };
                let len = match args.get(2) {
                    Some(e) => {
                        let n = to_num(&self.eval(e)?);
                        if n.is_nan() {
                            0.0
                        } else {
                            n.trunc()
                        }
                    }
                    None => f64::INFINITY,
                };
                let a = start;
                let b = (start + len).min(s.len() as f64 + 1.0);
                if b <= a || a > s.len() as f64 {
                    V::Str(String::new())
                } else {
                    V::Str(s[(a as usize - 1)..(b as usize - 1)].iter().collect())
                }
            }
            "index" => {
                let s = sv(self, 0)?;
                let t = sv(self, 1)?;
                V::Num(match s.find(&t) {
                    Some(i) => (s[..i].chars().count() + 1) as f64,
                    None => 0.0,
                })
            }
            "split" => {
                let s = sv(self, 0)?;
                let Some(Expr::Lv(Lv::Var(v))) = args.get(1) else {
                    return self.fatal("split: second argument is not an array");
                };
                let parts = match args.get(2) {
                    Some(Expr::Re(i)) => {
                        let r = self.regexes[*i].clone();
                        if s.is_empty() {
                            Vec::new()
                        } else {
                            r.split(&s).map(str::to_string).collect()
                        }
                    }
                    Some(e) => {
                        let fs = to_str(&self.eval(e)?, &cf);
                        self.split_with(&s, &fs, false)
                    }
                    None => {
                        let fs = self.gs(FS);
                        self.split_with(&s, &fs, false)
                    }
                };
                let a = self.arr(v)?;
                let mut a = a.borrow_mut();
                *a = Arr::default();
                for (k, p) in parts.iter().enumerate() {
                    a.set(&(k + 1).to_string(), V::StrNum(p.clone()));
                }
                V::Num(parts.len() as f64)
            }
            "sub" => self.sub(args, false)?,
            "gsub" => self.sub(args, true)?,
            "gensub" => {
                if args.len() < 3 {
                    return self.fatal("gensub: not enough arguments");
                }
                let re = self.regex_of(&args[0])?;
                let repl = sv(self, 1)?;
                let how = sv(self, 2)?;
                let s = match args.get(3) {
                    Some(e) => to_str(&self.eval(e)?, &cf),
                    None => self.record.clone(),
                };
                let which = if how.starts_with(['g', 'G']) {
                    0
                } else {
                    (prefix_num(&how) as usize).max(1)
                };
                V::Str(substitute(&re, &s, &repl, which, true).0)
            }
            "match" => {
                let s = sv(self, 0)?;
                let re = self.regex_of(args.get(1).unwrap_or(&Expr::Str(String::new())))?;
                let (st, len) = match re.find(&s) {
                    Some(m) => (
                        s[..m.start()].chars().count() + 1,
                        m.as_str().chars().count() as i64,
                    ),
                    None => (0, -1),
                };
                if let Some(Expr::Lv(Lv::Var(v))) = args.get(2) {
                    let caps = re.captures(&s);
                    let a = self.arr(v)?;
                    let mut a = a.borrow_mut();
                    *a = Arr::default();
                    if let Some(c) = caps {
                        for (k, g) in c.iter().enumerate() {
                            if let Some(g) = g {
                                a.set(&k.to_string(), V::StrNum(g.as_str().to_string()));
                            }
                        }
                    }
                }
                self.globals[RSTART] = Cell::Val(V::Num(st as f64));
                self.globals[RLENGTH] = Cell::Val(V::Num(len as f64));
                V::Num(st as f64)
            }
            "sprintf" => {
                if args.is_empty() {
                    return self.fatal("sprintf: no arguments");
                }
                let f = sv(self, 0)?;
                let mut vals = Vec::new();
                for a in &args[1..] {
                    vals.push(self.eval(a)?);
                }
                V::Str(sprintf(&f, &vals, &cf))
            }
            "tolower" => V::Str(sv(self, 0)?.to_lowercase()),
            "toupper" => V::Str(sv(self, 0)?.to_uppercase()),
            "int" => V::Num(to_num(&self.eval(args.first().unwrap_or(&Expr::Num(0.0)))?).trunc()),
            "sqrt" | "exp" | "log" | "sin" | "cos" => {
                let x = to_num(&self.eval(args.first().unwrap_or(&Expr::Num(0.0)))?);
                V::Num(match name {
                    "sqrt" => x.sqrt(),
                    "exp" => x.exp(),
                    "log" => x.ln(),
                    "sin" => x.sin(),
                    _ => x.cos(),
                })
            }
            "atan2" => {
                let y = to_num(&self.eval(args.first().unwrap_or(&Expr::Num(0.0)))?);
                let x = to_num(&self.eval(args.get(1).unwrap_or(&Expr::Num(0.0)))?);
                V::Num(y.atan2(x))
            }
            "rand" => {
                // the lab's seeded randomness (gawk's random() sequence is not reproduced)
                self.rng = self
                    .rng
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                V::Num((self.rng >> 11) as f64 / (1u64 << 53) as f64)
            }
            "srand" => {
                let old = self.rand_seed;
                self.rand_seed = match args.first() {
                    Some(e) => to_num(&self.eval(e)?),
                    None => (self.ctx.now_ns / 1_000_000_000) as f64,
                };
                self.rng = self.rand_seed.to_bits();
                V::Num(old)
            }
            "systime" => V::Num((self.ctx.now_ns / 1_000_000_000) as f64),
            "strftime" => {
                let f = if args.is_empty() {
                    "%a %b %e %H:%M:%S %Z %Y".to_string()
                } else {
                    sv(self, 0)?
                };
                let t = match args.get(1) {
                    Some(e) => to_num(&self.eval(e)?) as i64,
                    None => (self.ctx.now_ns / 1_000_000_000) as i64,
                };
                V::Str(crate::coreutils::sys::strftime(&f, t, 0))
            }
            "system" => {
                let cmd = sv(self, 0)?;
                self.flush_stdout();
                let argv = vec!["sh".to_string(), "-c".to_string(), cmd];
                let (o, e, st) = self.ctx.run_program(&argv, b"");
                self.ctx.out(o);
                self.ctx.err(e);
                V::Num(f64::from(st))
            }
            "close" => {
                let n = sv(self, 0)?;
                self.close(&n);
                V::Num(0.0)
            }
            "fflush" => V::Num(0.0),
            _ => return self.fatal(&format!("function `{name}' not defined")),
        })
    }

    fn flush_stdout(&mut self) {}

    fn close(&mut self, name: &str) {
        if let Some(i) = self.pipes.iter().position(|(n, _)| n == name) {
            let (cmd, data) = self.pipes.remove(i);
            let argv = vec!["sh".to_string(), "-c".to_string(), cmd];
            let (o, e, _) = self.ctx.run_program(&argv, &data);
            self.ctx.out(o);
            self.ctx.err(e);
        }
        if let Some(i) = self.outputs.iter().position(|(n, _, _)| n == name) {
            let (n, d, append) = self.outputs.remove(i);
            let _ = self.ctx.write_file(&n, &d, append);
        }
        self.readers.retain(|(n, _, _)| n != name);
    }

    /// The next main-input record (None at the end of all input).
    fn next_main_record(&mut self) -> R<Option<String>> {
        loop {
            if self.main_pos < self.main.len() {
                let r = self.main[self.main_pos].clone();
                self.main_pos += 1;
                return Ok(Some(r));
            }
            // open the next operand (assignments apply as they are reached)
            let rs = self.gs(RS);
            loop {
                if self.op_pos >= self.operands.len() {
                    if self.op_pos == self.operands.len()
                        && !self.operands.iter().any(|o| !is_assignment(o))
                    {
                        // no file operands: stdin, once
                        self.op_pos += 1;
                        let d = String::from_utf8_lossy(self.ctx.stdin).into_owned();
                        self.main = split_records(&d, &rs);
                        self.main_pos = 0;
                        self.globals[FNR] = Cell::Val(V::Num(0.0));
                        break;
                    }
                    return Ok(None);
                }
                let o = self.operands[self.op_pos].clone();
                self.op_pos += 1;
                if is_assignment(&o) {
                    let (n, v) = o.split_once('=').unwrap_or((&o, ""));
                    self.assign_var(n, v);
                    continue;
                }
                let argv_k = self.op_pos.to_string();
                let _ = argv_k;
                let data = match self.ctx.read_file(&o) {
                    Ok(d) => d,
                    Err(crate::FsError::IsADirectory) => {
                        self.ctx.err(format!(
                            "awk: warning: command line argument `{o}' is a directory: skipped\n"
                        ));
                        continue;
                    }
                    Err(e) => {
                        let at = if to_num(&self.gv(NR)) > 0.0 {
                            "cmd. line:1: "
                        } else {
                            ""
                        };
                        self.ctx.err(format!(
                            "awk: {at}fatal: cannot open file `{o}' for reading: {e}\n"
                        ));
                        return Err(Jump::Exit(2));
                    }
                };
                self.globals[FILENAME] = Cell::Val(V::Str(o.clone()));
                let d = String::from_utf8_lossy(&data).into_owned();
                let rs = self.gs(RS);
                self.main = split_records(&d, &rs);
                self.main_pos = 0;
                self.globals[FNR] = Cell::Val(V::Num(0.0));
                break;
            }
        }
    }

    fn assign_var(&mut self, name: &str, val: &str) {
        let v = V::StrNum(process_escapes(val));
        if let Some(i) = SPECIALS.iter().position(|s| *s == name) {
            self.set_global(i, v);
            return;
        }
        if let Some(i) = self.global_names.iter().position(|n| n == name) {
            self.set_global(i, v);
        }
    }

    fn set_record(&mut self, r: String) {
        self.record = r;
        self.split_record();
        let nr = to_num(&self.gv(NR)) + 1.0;
        let fnr = to_num(&self.gv(FNR)) + 1.0;
        self.globals[NR] = Cell::Val(V::Num(nr));
        self.globals[FNR] = Cell::Val(V::Num(fnr));
    }

    fn getline(&mut self, lv: Option<&Lv>, file: Option<&Expr>, cmd: Option<&Expr>) -> R<V> {
        let src = match (file, cmd) {
            (Some(f), _) => Some((to_str(&self.eval(f)?, &self.convfmt()), false)),
            (_, Some(c)) => Some((to_str(&self.eval(c)?, &self.convfmt()), true)),
            _ => None,
        };
        let Some((name, is_cmd)) = src else {
            // from the main input
            let Some(r) = self.next_main_record()? else {
                return Ok(V::Num(0.0));
            };
            match lv {
                None => self.set_record(r),
                Some(lv) => {
                    self.set_lv(lv, V::StrNum(r))?;
                    let nr = to_num(&self.gv(NR)) + 1.0;
                    let fnr = to_num(&self.gv(FNR)) + 1.0;
                    self.globals[NR] = Cell::Val(V::Num(nr));
                    self.globals[FNR] = Cell::Val(V::Num(fnr));
                }
            }
            return Ok(V::Num(1.0));
        };
        if !self.readers.iter().any(|(n, _, _)| *n == name) {
            let data = if is_cmd {
                self.flush_stdout();
                let argv = vec!["sh".to_string(), "-c".to_string(), name.clone()];
                let (o, e, _) = self.ctx.run_program(&argv, b"");
                self.ctx.err(e);
                o
            } else if name == "-" || name == "/dev/stdin" {
                self.ctx.stdin.to_vec()
            } else {
                match self.ctx.read_file(&name) {
                    Ok(d) => d,
                    Err(_) => return Ok(V::Num(-1.0)),
                }
            };
            let rs = self.gs(RS);
            let recs = split_records(&String::from_utf8_lossy(&data), &rs);
            self.readers.push((name.clone(), recs, 0));
        }
        let Some(rd) = self.readers.iter_mut().find(|(n, _, _)| *n == name) else {
            return Ok(V::Num(-1.0));
        };
        if rd.2 >= rd.1.len() {
            return Ok(V::Num(0.0));
        }
        let r = rd.1[rd.2].clone();
        rd.2 += 1;
        // `getline < file` sets $0 and NF; `cmd | getline` also NR (POSIX)
        match lv {
            None => {
                self.record = r;
                self.split_record();
            }
            Some(lv) => self.set_lv(lv, V::StrNum(r))?,
        }
        if is_cmd {
            let nr = to_num(&self.gv(NR)) + 1.0;
            self.globals[NR] = Cell::Val(V::Num(nr));
        }
        Ok(V::Num(1.0))
    }

    fn output(&mut self, redir: &Redir, text: String) -> R<()> {
        match redir {
            Redir::None => self.ctx.out(text),
            Redir::File(e) | Redir::Append(e) => {
                let name = to_str(&self.eval(e)?, &self.convfmt());
                if name == "/dev/stdout" || name == "-" {
                    self.ctx.out(text);
                    return Ok(());
                }
                if name == "/dev/stderr" {
                    self.ctx.err(text);
                    return Ok(());
                }
                match self.outputs.iter_mut().find(|(n, _, _)| *n == name) {
                    Some(o) => o.1.extend_from_slice(text.as_bytes()),
                    None => self.outputs.push((
                        name,
                        text.into_bytes(),
                        matches!(redir, Redir::Append(_)),
                    )),
                }
            }
            Redir::Pipe(e) => {
                let name = to_str(&self.eval(e)?, &self.convfmt());
                match self.pipes.iter_mut().find(|(n, _)| *n == name) {
                    Some(p) => p.1.extend_from_slice(text.as_bytes()),
                    None => self.pipes.push((name, text.into_bytes())),
                }
            }
        }
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt) -> R<()> {
        // bad input never hangs the lab: a budget of statements and output
        self.steps += 1;
        if self.steps > STEP_BUDGET || self.ctx.stdout.len() > OUTPUT_BUDGET {
            return Err(Jump::Fatal(
                "nslab: awk programs running this long are not modelled yet\n".into(),
            ));
        }
        match s {
            Stmt::Expr(e) | Stmt::Getline(e) => {
                self.eval(e)?;
            }
            Stmt::Print(args, redir) => {
                let ofmt = self.gs(OFMT);
                let mut parts = Vec::new();
                if args.is_empty() {
                    parts.push(self.record.clone());
                }
                for a in args {
                    let v = self.eval(a)?;
                    parts.push(match v {
                        V::Num(n) => num_to_str(n, &ofmt),
                        V::Str(s) | V::StrNum(s) => s,
                    });
                }
                let text = parts.join(&self.gs(OFS)) + &self.gs(ORS);
                self.output(redir, text)?;
            }
            Stmt::Printf(args, redir) => {
                if args.is_empty() {
                    return self.fatal("printf: no format");
                }
                let f = to_str(&self.eval(&args[0])?, &self.convfmt());
                let mut vals = Vec::new();
                for a in &args[1..] {
                    vals.push(self.eval(a)?);
                }
                let text = sprintf(&f, &vals, &self.convfmt());
                self.output(redir, text)?;
            }
            Stmt::If(c, a, b) => {
                if truthy(&self.eval(c)?) {
                    self.stmt(a)?;
                } else if let Some(b) = b {
                    self.stmt(b)?;
                }
            }
            Stmt::While(c, b) => {
                while truthy(&self.eval(c)?) {
                    match self.stmt(b) {
                        Err(Jump::Break) => break,
                        Err(Jump::Continue) | Ok(()) => {}
                        Err(j) => return Err(j),
                    }
                }
            }
            Stmt::Do(b, c) => loop {
                match self.stmt(b) {
                    Err(Jump::Break) => break,
                    Err(Jump::Continue) | Ok(()) => {}
                    Err(j) => return Err(j),
                }
                if !truthy(&self.eval(c)?) {
                    break;
                }
            },
            Stmt::For(init, cond, step, b) => {
                if let Some(i) = init {
                    self.eval(i)?;
                }
                loop {
                    if let Some(c) = cond {
                        if !truthy(&self.eval(c)?) {
                            break;
                        }
                    }
                    match self.stmt(b) {
                        Err(Jump::Break) => break,
                        Err(Jump::Continue) | Ok(()) => {}
                        Err(j) => return Err(j),
                    }
                    if let Some(s) = step {
                        self.eval(s)?;
                    }
                }
            }
            Stmt::ForIn(k, a, b) => {
                let arr = self.arr(a)?;
                let keys = arr.borrow().keys();
                for key in keys {
                    if !arr.borrow().map.contains_key(&key) {
                        continue;
                    }
                    self.set_lv(&Lv::Var(k.clone()), V::StrNum(key))?;
                    match self.stmt(b) {
                        Err(Jump::Break) => break,
                        Err(Jump::Continue) | Ok(()) => {}
                        Err(j) => return Err(j),
                    }
                }
            }
            Stmt::Block(b) => self.block(b)?,
            Stmt::Next => return Err(Jump::Next),
            Stmt::NextFile => return Err(Jump::NextFile),
            Stmt::Exit(e) => {
                let c = match e {
                    Some(e) => to_num(&self.eval(e)?) as i32,
                    None => self.exit_code,
                };
                return Err(Jump::Exit(c));
            }
            Stmt::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => V::StrNum(String::new()),
                };
                return Err(Jump::Return(v));
            }
            Stmt::Break => return Err(Jump::Break),
            Stmt::Continue => return Err(Jump::Continue),
            Stmt::Delete(v, idx) => {
                let a = self.arr(v)?;
                match idx {
                    None => *a.borrow_mut() = Arr::default(),
                    Some(k) => {
                        let key = self.subscript(k)?;
                        a.borrow_mut().delete(&key);
                    }
                }
            }
        }
        Ok(())
    }

    fn block(&mut self, b: &[Stmt]) -> R<()> {
        for s in b {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn finish(&mut self) {
        for (n, _, _) in self.outputs.clone() {
            self.close(&n);
        }
        for (n, _) in self.pipes.clone() {
            self.close(&n);
        }
    }
}

fn is_assignment(o: &str) -> bool {
    match o.split_once('=') {
        Some((n, _)) => {
            !n.is_empty()
                && n.chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || c == '_')
                && n.chars().all(|c| c.is_alphanumeric() || c == '_')
        }
        None => false,
    }
}

/// Escape sequences in `-v` values and operand assignments (as in string literals).
fn process_escapes(s: &str) -> String {
    let mut lx = Lexer {
        c: format!("\"{}\"", s.replace('"', "\\\"")).chars().collect(),
        i: 0,
        line: 1,
        regex_ok: false,
        start: 0,
    };
    match lx.next() {
        Ok(Tok::Str(t)) => t,
        _ => s.to_string(),
    }
}

fn split_records(d: &str, rs: &str) -> Vec<String> {
    if d.is_empty() {
        return Vec::new();
    }
    if rs.is_empty() {
        // paragraph mode: blank lines separate records; leading newlines skipped
        let t = d.trim_start_matches('\n');
        let mut v = Vec::new();
        for p in t.split("\n\n") {
            let p = p.trim_start_matches('\n');
            if !p.is_empty() {
                v.push(p.trim_end_matches('\n').to_string());
            }
        }
        return v;
    }
    if rs.chars().count() == 1 {
        let c = rs.chars().next().unwrap_or('\n');
        let mut v: Vec<String> = d.split(c).map(str::to_string).collect();
        if d.ends_with(c) {
            v.pop();
        }
        return v;
    }
    match compile_awk_re(rs) {
        Ok(r) => {
            let mut v: Vec<String> = r.split(d).map(str::to_string).collect();
            if v.last().is_some_and(|l| l.is_empty()) {
                v.pop();
            }
            v
        }
        Err(_) => vec![d.to_string()],
    }
}

fn compile_awk_re(s: &str) -> Result<Regex, String> {
    // gawk's \y is a word boundary
    let t = s.replace("\\y", "\\b");
    posix_re::compile_flags(&t, true, false, true).map_err(|e| match e {
        posix_re::ReError::Syntax(m) | posix_re::ReError::NotModelled(m) => m.to_string(),
    })
}

/// sub/gsub (`which` 1 / 0 = all) or gensub (`gensub`: `\0`..`\9` and `&`): the result and
/// the count of replacements.
fn substitute(re: &Regex, s: &str, repl: &str, which: usize, gensub: bool) -> (String, usize) {
    let mut out = String::new();
    let mut at = 0;
    let mut count = 0;
    let mut nmatch = 0;
    let mut prev_end: Option<usize> = None;
    while at <= s.len() {
        let Some(c) = re.captures_at(s, at) else {
            break;
        };
        let m = c.get(0).expect("group 0");
        if m.start() == m.end() && prev_end == Some(m.start()) {
            let Some(ch) = s[m.start()..].chars().next() else {
                break;
            };
            out.push_str(&s[at..m.start() + ch.len_utf8()]);
            at = m.start() + ch.len_utf8();
            continue;
        }
        nmatch += 1;
        out.push_str(&s[at..m.start()]);
        if which == 0 || nmatch == which {
            count += 1;
            let r: Vec<char> = repl.chars().collect();
            let mut k = 0;
            while k < r.len() {
                match r[k] {
                    '\\' if k + 1 < r.len() && r[k + 1] == '&' => {
                        out.push('&');
                        k += 2;
                    }
                    '\\' if gensub && k + 1 < r.len() && r[k + 1].is_ascii_digit() => {
                        let g = r[k + 1] as usize - '0' as usize;
                        out.push_str(c.get(g).map_or("", |m| m.as_str()));
                        k += 2;
                    }
                    '\\' if k + 1 < r.len() && r[k + 1] == '\\' => {
                        out.push('\\');
                        k += 2;
                    }
                    '&' => {
                        out.push_str(m.as_str());
                        k += 1;
                    }
                    ch => {
                        out.push(ch);
                        k += 1;
                    }
                }
            }
        } else {
            out.push_str(m.as_str());
        }
        prev_end = Some(m.end());
        if m.end() == m.start() {
            match s[m.end()..].chars().next() {
                Some(ch) => {
                    out.push(ch);
                    at = m.end() + ch.len_utf8();
                }
                None => {
                    at = s.len() + 1;
                    break;
                }
            }
        } else {
            at = m.end();
        }
        if which != 0 && nmatch >= which {
            break;
        }
    }
    if at <= s.len() {
        out.push_str(&s[at..]);
    }
    (out, count)
}

const USAGE: &str = "Usage: awk [POSIX or GNU style options] -f progfile [--] file ...
Usage: awk [POSIX or GNU style options] [--] 'program' file ...
POSIX options:\t\tGNU long options: (standard)
\t-f progfile\t\t--file=progfile
\t-F fs\t\t\t--field-separator=fs
\t-v var=val\t\t--assign=var=val
Short options:\t\tGNU long options: (extensions)
\t-b\t\t\t--characters-as-bytes
\t-c\t\t\t--traditional
\t-C\t\t\t--copyright
\t-d[file]\t\t--dump-variables[=file]
\t-D[file]\t\t--debug[=file]
\t-e 'program-text'\t--source='program-text'
\t-E file\t\t\t--exec=file
\t-g\t\t\t--gen-pot
\t-h\t\t\t--help
\t-i includefile\t\t--include=includefile
\t-I\t\t\t--trace
\t-l library\t\t--load=library
\t-L[fatal|invalid|no-ext]\t--lint[=fatal|invalid|no-ext]
\t-M\t\t\t--bignum
\t-N\t\t\t--use-lc-numeric
\t-n\t\t\t--non-decimal-data
\t-o[file]\t\t--pretty-print[=file]
\t-O\t\t\t--optimize
\t-p[file]\t\t--profile[=file]
\t-P\t\t\t--posix
\t-r\t\t\t--re-interval
\t-s\t\t\t--no-optimize
\t-S\t\t\t--sandbox
\t-t\t\t\t--lint-old
\t-V\t\t\t--version

To report bugs, use the `gawkbug' program.
For full instructions, see the node `Bugs' in `gawk.info'
which is section `Reporting Problems and Bugs' in the
printed version.  This same information may be found at
https://www.gnu.org/software/gawk/manual/html_node/Bugs.html.
PLEASE do NOT try to report bugs by posting in comp.lang.awk,
or by using a web forum such as Stack Overflow.

gawk is a pattern scanning and processing language.
By default it reads standard input and writes standard output.

Examples:
\tawk '{ sum += $1 }; END { print sum }' file
\tawk -F: '{ print $1 }' /etc/passwd
";

pub fn awk(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("file", HasArg::Required, 'f'),
        LongOpt::new("field-separator", HasArg::Required, 'F'),
        LongOpt::new("assign", HasArg::Required, 'v'),
        LongOpt::new("source", HasArg::Required, 'e'),
        LongOpt::new("posix", HasArg::No, 'P'),
        LongOpt::new("re-interval", HasArg::No, 'r'),
        LongOpt::new("traditional", HasArg::No, 'c'),
    ];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "+f:F:v:e:Prc", LONGS);
    let mut src = String::new();
    let mut have_src = false;
    let mut fs = None;
    let mut assigns = Vec::new();
    while let Some(r) = g.next() {
        let o = match r {
            Ok(o) => o,
            Err(_) => {
                // gawk prints only its usage for a bad option
                ctx.err(USAGE);
                return 1;
            }
        };
        let a = o.arg.unwrap_or_default();
        match o.opt {
            'f' => match ctx.read_file(&a) {
                Ok(d) => {
                    src.push_str(&String::from_utf8_lossy(&d));
                    src.push('\n');
                    have_src = true;
                }
                Err(e) => {
                    ctx.err(format!(
                        "awk: fatal: can't open source file `{a}' for reading: {e}\n"
                    ));
                    return 2;
                }
            },
            'e' => {
                src.push_str(&a);
                src.push('\n');
                have_src = true;
            }
            'F' => fs = Some(process_escapes(&a)),
            'v' => {
                if !is_assignment(&a) {
                    ctx.err(format!(
                        "awk: `{a}' argument to `-v' not in `var=value' form\n\n"
                    ));
                    ctx.err(USAGE);
                    return 2;
                }
                assigns.push(a);
            }
            _ => {}
        }
    }
    let mut ops = g.into_operands();
    if !have_src {
        if ops.is_empty() {
            ctx.err(USAGE);
            return 1;
        }
        src = ops.remove(0);
    }
    if crate::nesting(&src) > crate::MAX_NESTING {
        ctx.err("nslab: awk programs nested this deep are not modelled yet\n");
        return 127;
    }
    let mut p = Parser {
        lex: Lexer {
            c: src.chars().collect(),
            i: 0,
            line: 1,
            regex_ok: true,
            start: 0,
        },
        tok: Tok::Eof,
        globals: SPECIALS.iter().map(|s| s.to_string()).collect(),
        locals: Vec::new(),
        regexes: Vec::new(),
        ranges: 0,
        no_gt: false,
        no_in: false,
    };
    let parsed = p.advance().and_then(|_| p.program());
    let (items, funcs) = match parsed {
        Ok(x) => x,
        Err(e) => {
            ctx.err(e);
            return 1;
        }
    };
    let mut regexes = Vec::new();
    for r in &p.regexes {
        match compile_awk_re(r) {
            Ok(x) => regexes.push(x),
            Err(m) => {
                ctx.err(format!("awk: cmd. line:1: error: {m}: /{r}/\n"));
                return 1;
            }
        }
    }
    let mut globals: Vec<Cell> = vec![Cell::default(); p.globals.len()];
    let set = |g: &mut Vec<Cell>, i: usize, v: V| g[i] = Cell::Val(v);
    set(&mut globals, NR, V::Num(0.0));
    set(&mut globals, NF, V::Num(0.0));
    set(&mut globals, FNR, V::Num(0.0));
    set(&mut globals, FS, V::Str(" ".into()));
    set(&mut globals, OFS, V::Str(" ".into()));
    set(&mut globals, ORS, V::Str("\n".into()));
    set(&mut globals, RS, V::Str("\n".into()));
    set(&mut globals, FILENAME, V::Str(String::new()));
    set(&mut globals, SUBSEP, V::Str("\x1c".into()));
    set(&mut globals, RSTART, V::Num(0.0));
    set(&mut globals, RLENGTH, V::Num(-1.0));
    set(&mut globals, CONVFMT, V::Str("%.6g".into()));
    set(&mut globals, OFMT, V::Str("%.6g".into()));
    let mut env = Arr::default();
    for (k, v) in ctx.env.iter() {
        env.set(k, V::StrNum(v.clone()));
    }
    globals[ENVIRON] = Cell::Arr(Rc::new(RefCell::new(env)));
    let mut argv = Arr::default();
    argv.set("0", V::Str("awk".into()));
    for (k, o) in ops.iter().enumerate() {
        argv.set(&(k + 1).to_string(), V::StrNum(o.clone()));
    }
    globals[ARGV] = Cell::Arr(Rc::new(RefCell::new(argv)));
    set(&mut globals, ARGC, V::Num((ops.len() + 1) as f64));
    let global_names = p.globals.clone();
    let mut it = Interp {
        ctx,
        globals,
        frames: Vec::new(),
        funcs,
        regexes,
        dyn_re: BTreeMap::new(),
        record: String::new(),
        fields: Vec::new(),
        range_on: vec![false; p.ranges],
        outputs: Vec::new(),
        pipes: Vec::new(),
        readers: Vec::new(),
        main: Vec::new(),
        main_pos: 0,
        operands: ops,
        op_pos: 0,
        rand_seed: 0.0,
        rng: 0,
        exit_code: 0,
        depth: 0,
        global_names,
        steps: 0,
    };
    if let Some(f) = fs {
        it.set_global(FS, V::Str(f));
    }
    for a in assigns {
        let (n, v) = a.split_once('=').unwrap_or((&a, ""));
        it.assign_var(n, v);
    }
    let status = run_program(&mut it, &items);
    it.finish();
    status
}

impl Interp<'_, '_> {
    fn report(&mut self, j: Jump) -> Option<i32> {
        match j {
            Jump::Exit(c) => Some(c),
            Jump::Fatal(m) => {
                self.ctx.err(m);
                Some(2)
            }
            _ => None,
        }
    }
}

fn run_program(it: &mut Interp, items: &[(Pattern, Option<Vec<Stmt>>)]) -> i32 {
    let print_rec = |it: &mut Interp| {
        let t = it.record.clone() + &it.gs(ORS);
        it.ctx.out(t);
    };
    let mut exit: Option<i32> = None;
    for (p, a) in items {
        if matches!(p, Pattern::Begin) {
            if let Err(j) = it.block(a.as_deref().unwrap_or(&[])) {
                if let Some(c) = it.report(j) {
                    exit = Some(c);
                    break;
                }
            }
        }
    }
    let has_main = items.iter().any(|(p, _)| !matches!(p, Pattern::Begin));
    if exit.is_none() && has_main {
        'records: loop {
            let r = match it.next_main_record() {
                Ok(Some(r)) => r,
                Ok(None) => break,
                Err(j) => {
                    exit = it.report(j);
                    break;
                }
            };
            it.set_record(r);
            for (p, a) in items {
                let sel = match p {
                    Pattern::Begin | Pattern::End => continue,
                    Pattern::All => Ok(true),
                    Pattern::Expr(e) => it.eval(e).map(|v| truthy(&v)),
                    Pattern::Range(s, e, k) => {
                        if it.range_on[*k] {
                            match it.eval(e) {
                                Ok(v) => {
                                    if truthy(&v) {
                                        it.range_on[*k] = false;
                                    }
                                    Ok(true)
                                }
                                Err(j) => Err(j),
                            }
                        } else {
                            match it.eval(s) {
                                Ok(v) if truthy(&v) => match it.eval(e) {
                                    Ok(v2) => {
                                        it.range_on[*k] = !truthy(&v2);
                                        Ok(true)
                                    }
                                    Err(j) => Err(j),
                                },
                                Ok(_) => Ok(false),
                                Err(j) => Err(j),
                            }
                        }
                    }
                };
                let r = match sel {
                    Ok(true) => match a {
                        Some(b) => it.block(b),
                        None => {
                            print_rec(it);
                            Ok(())
                        }
                    },
                    Ok(false) => Ok(()),
                    Err(j) => Err(j),
                };
                match r {
                    Ok(()) => {}
                    Err(Jump::Next) => continue 'records,
                    Err(Jump::NextFile) => {
                        it.main_pos = it.main.len();
                        continue 'records;
                    }
                    Err(j) => {
                        if let Some(c) = it.report(j) {
                            exit = Some(c);
                            break 'records;
                        }
                    }
                }
            }
        }
    }
    // END runs after exit in BEGIN/main, not after a fatal error
    let fatal = it.ctx.stderr.windows(6).any(|w| w == b"fatal:");
    if !fatal {
        if let Some(c) = exit {
            it.exit_code = c;
        }
        for (p, a) in items {
            if matches!(p, Pattern::End) {
                if let Err(j) = it.block(a.as_deref().unwrap_or(&[])) {
                    if let Some(c) = it.report(j) {
                        exit = Some(c);
                        break;
                    }
                }
            }
        }
    }
    exit.unwrap_or(0)
}

//! jq 1.6 for what `ip -j ... | jq` pipelines and tutorials use: paths (`.a.b`, `.[N]`,
//! `.[]`, `.[a:b]`, `?`, `..`), `|`, `,`, literals, array/object construction, string
//! interpolation, arithmetic and comparisons, `and`/`or`/`not`, `//`, `if`/`elif`/`else`,
//! `try`/`catch`, `reduce`, `as $x`, `def`, `--arg`/`--argjson`/`$ENV`, the common builtins
//! and `@csv @tsv @json @text @sh @base64`; options `-r -j -c -n -s -e -S --tab --indent`.
//!
//! Hand-written (jaq's texts and number formatting differ from jq 1.6's): objects keep their
//! insertion order, numbers print as jq 1.6's `jvp_dtoa_fmt` (shortest round-trip digits,
//! exponent when the decimal point is below -4 or more than 15 places past the digits),
//! errors are jq's words with its exit statuses (2 input/usage, 3 compile, 5 runtime). Not
//! modelled: assignment operators (`|=`, `=`, `+=`...), `path()`/`paths`/`del`, `label`,
//! `limit`'s laziness, `input`/`inputs`, regex captures (`match`, `capture`, `sub`).

use crate::getopt::{Getopt, HasArg, LongOpt};
use crate::Ctx;
use std::cmp::Ordering;
use std::rc::Rc;

#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

// ------------------------------------------------------------------ JSON text

struct JsonParser<'s> {
    s: &'s [u8],
    i: usize,
    depth: usize,
}

impl JsonParser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    /// (line, column) of the current position, as jq reports parse errors.
    fn pos(&self) -> (usize, usize) {
        let before = &self.s[..self.i.min(self.s.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let col = before.iter().rev().take_while(|&&b| b != b'\n').count();
        (line, col)
    }

    fn err<T>(&self, m: &str) -> Result<T, String> {
        let (l, c) = self.pos();
        Err(format!("{m} at line {l}, column {c}"))
    }

    fn value(&mut self) -> Result<Json, String> {
        self.depth += 1;
        let r = self.value_inner();
        self.depth -= 1;
        r
    }

    fn value_inner(&mut self) -> Result<Json, String> {
        self.ws();
        let Some(&c) = self.s.get(self.i) else {
            return self.err("Unfinished JSON term at EOF");
        };
        match c {
            b'{' => {
                self.i += 1;
                // jq 1.6's MAX_PARSING_DEPTH
                if self.depth > 256 {
                    return self.err("Exceeds depth limit for parsing");
                }
                let mut o: Vec<(String, Json)> = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(Json::Obj(o));
                }
                loop {
                    self.ws();
                    if self.s.get(self.i) != Some(&b'"') {
                        if self.i >= self.s.len() {
                            return self.err("Unfinished JSON term at EOF");
                        }
                        return self.err("Object keys must be strings");
                    }
                    let k = self.string()?;
                    self.ws();
                    if self.s.get(self.i) != Some(&b':') {
                        if self.i >= self.s.len() {
                            return self.err("Unfinished JSON term at EOF");
                        }
                        while self.i < self.s.len()
                            && !matches!(self.s[self.i], b',' | b']' | b'}' | b' ' | b'\n')
                        {
                            self.i += 1;
                        }
                        self.ws();
                        self.i = (self.i + 1).min(self.s.len());
                        return self.err("Expected separator between values");
                    }
                    self.i += 1;
                    let v = self.value()?;
                    obj_set(&mut o, k, v);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Json::Obj(o));
                        }
                        None => return self.err("Unfinished JSON term at EOF"),
                        _ => return self.err("Expected separator between values"),
                    }
                }
            }
            b'[' => {
                self.i += 1;
                if self.depth > 256 {
                    return self.err("Exceeds depth limit for parsing");
                }
                let mut a = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(Json::Arr(a));
                }
                loop {
                    a.push(self.value()?);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Json::Arr(a));
                        }
                        None => return self.err("Unfinished JSON term at EOF"),
                        _ => return self.err("Expected separator between values"),
                    }
                }
            }
            b'"' => Ok(Json::Str(self.string()?)),
            _ => {
                let st = self.i;
                while self.i < self.s.len()
                    && !matches!(
                        self.s[self.i],
                        b' ' | b'\t'
                            | b'\n'
                            | b'\r'
                            | b','
                            | b']'
                            | b'}'
                            | b'['
                            | b'{'
                            | b':'
                            | b'"'
                    )
                {
                    self.i += 1;
                }
                let w = String::from_utf8_lossy(&self.s[st..self.i]).into_owned();
                match w.as_str() {
                    "null" => Ok(Json::Null),
                    "true" => Ok(Json::Bool(true)),
                    "false" => Ok(Json::Bool(false)),
                    "nan" => Ok(Json::Num(f64::NAN)),
                    _ => match w.parse::<f64>() {
                        Ok(n)
                            if !w.starts_with('+')
                                && !w.is_empty()
                                && !w.contains(['i', 'I', 'n', 'N']) =>
                        {
                            Ok(Json::Num(n))
                        }
                        _ => {
                            if self.i >= self.s.len() && st < self.i {
                                // jq reads a bare word to EOF before judging it
                            }
                            if w.is_empty() {
                                self.i += 1;
                            }
                            let at_eof = if self.i >= self.s.len() {
                                " at EOF"
                            } else {
                                ""
                            };
                            if w.starts_with(|c: char| c.is_ascii_alphabetic()) {
                                return self.err(&format!("Invalid literal{at_eof}"));
                            }
                            self.err(&format!("Invalid numeric literal{at_eof}"))
                        }
                    },
                }
            }
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(&c) = self.s.get(self.i) else {
                return self.err("Unfinished string at EOF");
            };
            self.i += 1;
            match c {
                b'"' => return Ok(String::from_utf8_lossy(&out).into_owned()),
                b'\\' => {
                    let Some(&e) = self.s.get(self.i) else {
                        return self.err("Unfinished string at EOF");
                    };
                    self.i += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'/' => out.push(b'/'),
                        b'\\' => out.push(b'\\'),
                        b'"' => out.push(b'"'),
                        b'u' => {
                            let hex = |p: &mut Self| -> Option<u32> {
                                let h = p.s.get(p.i..p.i + 4)?;
                                let v =
                                    u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()?;
                                p.i += 4;
                                Some(v)
                            };
                            let Some(mut v) = hex(self) else {
                                return self.err("Invalid escape");
                            };
                            if (0xd800..0xdc00).contains(&v)
                                && self.s.get(self.i..self.i + 2) == Some(b"\\u")
                            {
                                self.i += 2;
                                if let Some(lo) = hex(self) {
                                    v = 0x10000
                                        + ((v - 0xd800) << 10)
                                        + (lo.wrapping_sub(0xdc00) & 0x3ff);
                                }
                            }
                            let ch = char::from_u32(v).unwrap_or('\u{fffd}');
                            let mut b = [0; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
                        }
                        _ => return self.err("Invalid escape"),
                    }
                }
                c => out.push(c),
            }
        }
    }
}

fn obj_set(o: &mut Vec<(String, Json)>, k: String, v: Json) {
    match o.iter_mut().find(|(n, _)| *n == k) {
        Some(e) => e.1 = v,
        None => o.push((k, v)),
    }
}

fn obj_get<'j>(o: &'j [(String, Json)], k: &str) -> Option<&'j Json> {
    o.iter().find(|(n, _)| n == k).map(|(_, v)| v)
}

/// jq 1.6's number text (`jvp_dtoa_fmt`).
fn fmt_num(n: f64) -> String {
    if n.is_nan() {
        return "null".into();
    }
    let n = if n.is_infinite() {
        f64::MAX.copysign(n)
    } else {
        n
    };
    if n == 0.0 {
        return if n.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let e = format!("{:e}", n.abs());
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    let decpt = exp + 1;
    let nd = digits.len() as i32;
    let sign = if n < 0.0 { "-" } else { "" };
    if decpt <= -4 || decpt > nd + 15 {
        let rest = if nd > 1 {
            format!(".{}", &digits[1..])
        } else {
            String::new()
        };
        let x = decpt - 1;
        return format!(
            "{sign}{}{rest}e{}{:02}",
            &digits[..1],
            if x < 0 { '-' } else { '+' },
            x.abs()
        );
    }
    if decpt <= 0 {
        return format!("{sign}0.{}{digits}", "0".repeat((-decpt) as usize));
    }
    if decpt >= nd {
        return format!("{sign}{digits}{}", "0".repeat((decpt - nd) as usize));
    }
    format!(
        "{sign}{}.{}",
        &digits[..decpt as usize],
        &digits[decpt as usize..]
    )
}

fn esc_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Serializes `j`: `indent` None is compact (`-c`, `tojson`), else the indent unit.
fn dump(j: &Json, indent: Option<&str>, sort: bool, level: usize, out: &mut String) {
    match j {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Num(n) => out.push_str(&fmt_num(*n)),
        Json::Str(s) => esc_str(s, out),
        Json::Arr(a) => {
            if a.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (k, v) in a.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                if let Some(ind) = indent {
                    out.push('\n');
                    out.push_str(&ind.repeat(level + 1));
                }
                dump(v, indent, sort, level + 1, out);
            }
            if let Some(ind) = indent {
                out.push('\n');
                out.push_str(&ind.repeat(level));
            }
            out.push(']');
        }
        Json::Obj(o) => {
            if o.is_empty() {
                out.push_str("{}");
                return;
            }
            let mut items: Vec<&(String, Json)> = o.iter().collect();
            if sort {
                items.sort_by(|a, b| a.0.cmp(&b.0));
            }
            out.push('{');
            for (k, (n, v)) in items.into_iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                if let Some(ind) = indent {
                    out.push('\n');
                    out.push_str(&ind.repeat(level + 1));
                }
                esc_str(n, out);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                dump(v, indent, sort, level + 1, out);
            }
            if let Some(ind) = indent {
                out.push('\n');
                out.push_str(&ind.repeat(level));
            }
            out.push('}');
        }
    }
}

fn to_json(j: &Json) -> String {
    let mut s = String::new();
    dump(j, None, false, 0, &mut s);
    s
}

fn type_name(j: &Json) -> &'static str {
    match j {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Num(_) => "number",
        Json::Str(_) => "string",
        Json::Arr(_) => "array",
        Json::Obj(_) => "object",
    }
}

fn order_rank(j: &Json) -> u8 {
    match j {
        Json::Null => 0,
        Json::Bool(false) => 1,
        Json::Bool(true) => 2,
        Json::Num(_) => 3,
        Json::Str(_) => 4,
        Json::Arr(_) => 5,
        Json::Obj(_) => 6,
    }
}

/// jq's total order.
fn cmp_json(a: &Json, b: &Json) -> Ordering {
    let r = order_rank(a).cmp(&order_rank(b));
    if r.is_ne() {
        return r;
    }
    match (a, b) {
        (Json::Num(x), Json::Num(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Json::Str(x), Json::Str(y)) => x.cmp(y),
        (Json::Arr(x), Json::Arr(y)) => {
            for (p, q) in x.iter().zip(y) {
                let o = cmp_json(p, q);
                if o.is_ne() {
                    return o;
                }
            }
            x.len().cmp(&y.len())
        }
        (Json::Obj(x), Json::Obj(y)) => {
            let mut kx: Vec<&String> = x.iter().map(|(k, _)| k).collect();
            let mut ky: Vec<&String> = y.iter().map(|(k, _)| k).collect();
            kx.sort();
            ky.sort();
            let o = kx.cmp(&ky);
            if o.is_ne() {
                return o;
            }
            for k in kx {
                let o = cmp_json(
                    obj_get(x, k).unwrap_or(&Json::Null),
                    obj_get(y, k).unwrap_or(&Json::Null),
                );
                if o.is_ne() {
                    return o;
                }
            }
            Ordering::Equal
        }
        _ => Ordering::Equal,
    }
}

fn truthy(j: &Json) -> bool {
    !matches!(j, Json::Null | Json::Bool(false))
}

// ------------------------------------------------------------------ filter language

#[derive(Clone, Debug)]
enum Ast {
    Identity,
    RecurseAll,
    Lit(Json),
    Interp(Vec<Part>, Option<String>),
    Format(String),
    Index(Box<Ast>, Box<Ast>),
    Slice(Box<Ast>, Option<Box<Ast>>, Option<Box<Ast>>),
    Iter(Box<Ast>),
    Try(Box<Ast>, Option<Box<Ast>>),
    Array(Option<Box<Ast>>),
    Object(Vec<(Ast, Option<Ast>)>),
    Neg(Box<Ast>),
    Pipe(Box<Ast>, Box<Ast>),
    Comma(Box<Ast>, Box<Ast>),
    Bin(&'static str, Box<Ast>, Box<Ast>),
    And(Box<Ast>, Box<Ast>),
    Or(Box<Ast>, Box<Ast>),
    Alt(Box<Ast>, Box<Ast>),
    If(Box<Ast>, Box<Ast>, Option<Box<Ast>>),
    Reduce(Box<Ast>, String, Box<Ast>, Box<Ast>),
    Foreach(Box<Ast>, String, Box<Ast>, Box<Ast>, Option<Box<Ast>>),
    As(Box<Ast>, String, Box<Ast>),
    Var(String),
    Call(String, Vec<Ast>),
    Def(Rc<FuncDef>, Box<Ast>),
    /// `lhs |= f` (op "|="), `lhs = v`, `lhs op= v` (op "+", "-", ..., "//")
    Update(&'static str, Box<Ast>, Box<Ast>),
}

#[derive(Clone, Debug)]
enum Part {
    Lit(String),
    Expr(Ast),
}

#[derive(Debug)]
struct FuncDef {
    name: String,
    params: Vec<String>,
    body: Ast,
}

#[derive(Clone, Debug, PartialEq)]
enum T {
    Dot,
    DotDot,
    Field(String),
    Var(String),
    Ident(String),
    Fmt(String),
    Num(f64),
    Str(Vec<StrPart>),
    P(&'static str),
    Eof,
}

#[derive(Clone, Debug, PartialEq)]
enum StrPart {
    Lit(String),
    Src(String),
}

const OPS: &[&str] = &[
    "?//", "|=", "+=", "-=", "*=", "/=", "%=", "//=", "==", "!=", "<=", ">=", "//", "|", ",", "+",
    "-", "*", "/", "%", "<", ">", "(", ")", "[", "]", "{", "}", ":", ";", "?", "=",
];

fn lex(src: &str) -> Result<Vec<T>, String> {
    lex_pos(src).map(|v| v.into_iter().map(|(t, _)| t).collect())
}

/// Tokens with the char offset where each ends.
fn lex_pos(src: &str) -> Result<Vec<(T, usize)>, String> {
    let c: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut out: Vec<(T, usize)> = Vec::new();
    macro_rules! push {
        ($t:expr) => {
            out.push(($t, i))
        };
    }
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    while i < c.len() {
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
            continue;
        }
        if ch == '#' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if ch == '.' {
            if c.get(i + 1) == Some(&'.') {
                i += 2;
                push!(T::DotDot);
                continue;
            }
            if c.get(i + 1)
                .is_some_and(|&d| d.is_ascii_alphabetic() || d == '_')
            {
                let st = i + 1;
                i += 1;
                while i < c.len() && ident(c[i]) {
                    i += 1;
                }
                push!(T::Field(c[st..i].iter().collect()));
                continue;
            }
            if c.get(i + 1) == Some(&'"') {
                i += 1;
                push!(T::Dot);
                continue;
            }
            if c.get(i + 1).is_some_and(|d| d.is_ascii_digit()) {
                // .5
            } else {
                i += 1;
                push!(T::Dot);
                continue;
            }
        }
        if ch == '$' || ch == '@' {
            let st = i + 1;
            i += 1;
            while i < c.len()
                && (ident(c[i]) || (ch == '$' && c[i] == ':' && c.get(i + 1) == Some(&':')))
            {
                i += 1;
            }
            let name: String = c[st..i].iter().collect();
            push!(if ch == '$' {
                T::Var(name)
            } else {
                T::Fmt(name)
            });
            continue;
        }
        if ch.is_ascii_digit() || ch == '.' {
            let st = i;
            while i < c.len() && (c[i].is_ascii_digit() || c[i] == '.') {
                i += 1;
            }
            if i < c.len() && (c[i] == 'e' || c[i] == 'E') {
                i += 1;
                if i < c.len() && (c[i] == '+' || c[i] == '-') {
                    i += 1;
                }
                while i < c.len() && c[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let s: String = c[st..i].iter().collect();
            push!(T::Num(s.parse().map_err(|_| {
                "syntax error, unexpected INVALID_CHARACTER".to_string()
            })?));
            continue;
        }
        if ch.is_ascii_alphabetic() || ch == '_' {
            let st = i;
            while i < c.len() && (ident(c[i]) || (c[i] == ':' && c.get(i + 1) == Some(&':'))) {
                if c[i] == ':' {
                    i += 2;
                } else {
                    i += 1;
                }
            }
            push!(T::Ident(c[st..i].iter().collect()));
            continue;
        }
        if ch == '"' {
            i += 1;
            let mut parts = Vec::new();
            let mut lit = String::new();
            loop {
                let Some(&d) = c.get(i) else {
                    return Err("syntax error, unexpected $end, expecting QQSTRING_TEXT or QQSTRING_INTERP_START or QQSTRING_END".into());
                };
                i += 1;
                match d {
                    '"' => break,
                    '\\' => {
                        let Some(&e) = c.get(i) else { continue };
                        i += 1;
                        match e {
                            'n' => lit.push('\n'),
                            't' => lit.push('\t'),
                            'r' => lit.push('\r'),
                            'b' => lit.push('\u{8}'),
                            'f' => lit.push('\u{c}'),
                            '/' => lit.push('/'),
                            '\\' => lit.push('\\'),
                            '"' => lit.push('"'),
                            'u' => {
                                let h: String = c[i..(i + 4).min(c.len())].iter().collect();
                                i += 4;
                                lit.push(
                                    u32::from_str_radix(&h, 16)
                                        .ok()
                                        .and_then(char::from_u32)
                                        .unwrap_or('\u{fffd}'),
                                );
                            }
                            '(' => {
                                let st = i;
                                let mut depth = 1;
                                let mut in_str = false;
                                while i < c.len() {
                                    match c[i] {
                                        '"' if c[i - 1] != '\\' => in_str = !in_str,
                                        '(' if !in_str => depth += 1,
                                        ')' if !in_str => {
                                            depth -= 1;
                                            if depth == 0 {
                                                break;
                                            }
                                        }
                                        _ => {}
                                    }
                                    i += 1;
                                }
                                parts.push(StrPart::Lit(std::mem::take(&mut lit)));
                                parts.push(StrPart::Src(c[st..i.min(c.len())].iter().collect()));
                                i += 1;
                            }
                            other => return Err(format!("syntax error: invalid escape \\{other}")),
                        }
                    }
                    d => lit.push(d),
                }
            }
            parts.push(StrPart::Lit(lit));
            push!(T::Str(parts));
            continue;
        }
        let rest: String = c[i..(i + 3).min(c.len())].iter().collect();
        match OPS.iter().find(|o| rest.starts_with(**o)) {
            Some(o) => {
                i += o.chars().count();
                push!(T::P(o));
            }
            None => return Err("syntax error, unexpected INVALID_CHARACTER".into()),
        }
    }
    push!(T::Eof);
    Ok(out)
}

struct Parser {
    t: Vec<T>,
    i: usize,
    /// where each token ends (char offsets), for jq's error display
    ends: Vec<usize>,
}

type PR<T> = Result<T, String>;

impl Parser {
    fn peek(&self) -> &T {
        &self.t[self.i.min(self.t.len() - 1)]
    }

    fn is(&self, p: &str) -> bool {
        matches!(self.peek(), T::P(x) if *x == p)
    }

    fn is_kw(&self, k: &str) -> bool {
        matches!(self.peek(), T::Ident(x) if x == k)
    }

    fn bump(&mut self) -> T {
        let t = self.peek().clone();
        self.i += 1;
        t
    }

    fn unexpected<X>(&self) -> PR<X> {
        let what = match self.peek() {
            T::Eof => "$end".to_string(),
            T::P(p) => format!("'{p}'"),
            T::Ident(i)
                if [
                    "then", "else", "elif", "end", "as", "and", "or", "catch", "reduce", "foreach",
                    "if", "def", "try",
                ]
                .contains(&i.as_str()) =>
            {
                i.to_string()
            }
            T::Ident(i) => format!("IDENT {i}"),
            T::Num(_) => "LITERAL".into(),
            T::Str(_) => "QQSTRING_START".into(),
            T::Field(f) => format!("FIELD .{f}"),
            T::Var(_) => "'$'".into(),
            _ => "token".into(),
        };
        let end = self.ends.get(self.i).copied().unwrap_or(0);
        Err(format!("syntax error, unexpected {what}\u{0}{end}"))
    }

    fn expect(&mut self, p: &str) -> PR<()> {
        if self.is(p) {
            self.i += 1;
            Ok(())
        } else {
            self.unexpected()
        }
    }

    fn expect_kw(&mut self, k: &str) -> PR<()> {
        if self.is_kw(k) {
            self.i += 1;
            Ok(())
        } else {
            self.unexpected()
        }
    }

    fn pipe(&mut self) -> PR<Ast> {
        if self.is_kw("def") {
            self.i += 1;
            let T::Ident(name) = self.bump() else {
                return self.unexpected();
            };
            let mut params = Vec::new();
            if self.is("(") {
                self.i += 1;
                loop {
                    match self.bump() {
                        T::Ident(p) => params.push(p),
                        T::Var(v) => params.push(format!("${v}")),
                        _ => return self.unexpected(),
                    }
                    if self.is(";") {
                        self.i += 1;
                        continue;
                    }
                    self.expect(")")?;
                    break;
                }
            }
            self.expect(":")?;
            let body = self.pipe()?;
            self.expect(";")?;
            let rest = self.pipe()?;
            return Ok(Ast::Def(
                Rc::new(FuncDef { name, params, body }),
                Box::new(rest),
            ));
        }
        let l = self.comma()?;
        if self.is_kw("as") {
            self.i += 1;
            let T::Var(v) = self.bump() else {
                return self.unexpected();
            };
            self.expect("|")?;
            let body = self.pipe()?;
            return Ok(Ast::As(Box::new(l), v, Box::new(body)));
        }
        if self.is("|") {
            self.i += 1;
            let r = self.pipe()?;
            return Ok(Ast::Pipe(Box::new(l), Box::new(r)));
        }
        Ok(l)
    }

    fn comma(&mut self) -> PR<Ast> {
        let mut l = self.assign()?;
        while self.is(",") {
            self.i += 1;
            let r = self.assign()?;
            l = Ast::Comma(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn assign(&mut self) -> PR<Ast> {
        let l = self.alt()?;
        for (tok, op) in [
            ("|=", "|="),
            ("=", "="),
            ("+=", "+"),
            ("-=", "-"),
            ("*=", "*"),
            ("/=", "/"),
            ("%=", "%"),
            ("//=", "//"),
        ] {
            if self.is(tok) {
                self.i += 1;
                let r = self.alt()?;
                return Ok(Ast::Update(op, Box::new(l), Box::new(r)));
            }
        }
        Ok(l)
    }

    fn alt(&mut self) -> PR<Ast> {
        let l = self.or()?;
        if self.is("//") {
            self.i += 1;
            let r = self.alt()?;
            return Ok(Ast::Alt(Box::new(l), Box::new(r)));
        }
        Ok(l)
    }

    fn or(&mut self) -> PR<Ast> {
        let mut l = self.and()?;
        while self.is_kw("or") {
            self.i += 1;
            let r = self.and()?;
            l = Ast::Or(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn and(&mut self) -> PR<Ast> {
        let mut l = self.cmp()?;
        while self.is_kw("and") {
            self.i += 1;
            let r = self.cmp()?;
            l = Ast::And(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn cmp(&mut self) -> PR<Ast> {
        let l = self.add()?;
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if self.is(op) {
                self.i += 1;
                let r = self.add()?;
                return Ok(Ast::Bin(op, Box::new(l), Box::new(r)));
            }
        }
        Ok(l)
    }

    fn add(&mut self) -> PR<Ast> {
        let mut l = self.mul()?;
        loop {
            let op = if self.is("+") {
                "+"
            } else if self.is("-") {
                "-"
            } else {
                return Ok(l);
            };
            self.i += 1;
            let r = self.mul()?;
            l = Ast::Bin(op, Box::new(l), Box::new(r));
        }
    }

    fn mul(&mut self) -> PR<Ast> {
        let mut l = self.unary()?;
        loop {
            let op = if self.is("*") {
                "*"
            } else if self.is("/") {
                "/"
            } else if self.is("%") {
                "%"
            } else {
                return Ok(l);
            };
            self.i += 1;
            let r = self.unary()?;
            l = Ast::Bin(op, Box::new(l), Box::new(r));
        }
    }

    fn unary(&mut self) -> PR<Ast> {
        if self.is("-") {
            self.i += 1;
            return Ok(Ast::Neg(Box::new(self.postfix()?)));
        }
        self.postfix()
    }

    fn postfix(&mut self) -> PR<Ast> {
        let mut e = self.term()?;
        loop {
            match self.peek().clone() {
                T::Field(f) => {
                    self.i += 1;
                    e = Ast::Index(Box::new(e), Box::new(Ast::Lit(Json::Str(f))));
                }
                T::Dot if matches!(self.t.get(self.i + 1), Some(T::Str(_))) => {
                    self.i += 1;
                    let k = self.term()?;
                    e = Ast::Index(Box::new(e), Box::new(k));
                }
                T::Dot if matches!(self.t.get(self.i + 1), Some(T::P("["))) => {
                    self.i += 1;
                }
                T::P("[") => {
                    self.i += 1;
                    if self.is("]") {
                        self.i += 1;
                        e = Ast::Iter(Box::new(e));
                        continue;
                    }
                    if self.is(":") {
                        self.i += 1;
                        let hi = self.pipe()?;
                        self.expect("]")?;
                        e = Ast::Slice(Box::new(e), None, Some(Box::new(hi)));
                        continue;
                    }
                    let idx = self.pipe()?;
                    if self.is(":") {
                        self.i += 1;
                        let hi = if self.is("]") {
                            None
                        } else {
                            Some(Box::new(self.pipe()?))
                        };
                        self.expect("]")?;
                        e = Ast::Slice(Box::new(e), Some(Box::new(idx)), hi);
                        continue;
                    }
                    self.expect("]")?;
                    e = Ast::Index(Box::new(e), Box::new(idx));
                }
                T::P("?") => {
                    self.i += 1;
                    e = Ast::Try(Box::new(e), None);
                }
                _ => return Ok(e),
            }
        }
    }

    fn term(&mut self) -> PR<Ast> {
        let t = self.bump();
        Ok(match t {
            T::Dot => {
                if let T::Str(_) = self.peek() {
                    let k = self.term()?;
                    return Ok(Ast::Index(Box::new(Ast::Identity), Box::new(k)));
                }
                Ast::Identity
            }
            T::DotDot => Ast::RecurseAll,
            T::Field(f) => Ast::Index(Box::new(Ast::Identity), Box::new(Ast::Lit(Json::Str(f)))),
            T::Num(n) => Ast::Lit(Json::Num(n)),
            T::Str(parts) => self.string(parts, None)?,
            T::Fmt(f) => {
                if let T::Str(parts) = self.peek().clone() {
                    self.i += 1;
                    return self.string(parts, Some(f));
                }
                Ast::Format(f)
            }
            T::Var(v) => Ast::Var(v),
            T::P("(") => {
                let e = self.pipe()?;
                self.expect(")")?;
                e
            }
            T::P("[") => {
                if self.is("]") {
                    self.i += 1;
                    Ast::Array(None)
                } else {
                    let e = self.pipe()?;
                    self.expect("]")?;
                    Ast::Array(Some(Box::new(e)))
                }
            }
            T::P("{") => {
                let mut items = Vec::new();
                loop {
                    if self.is("}") {
                        self.i += 1;
                        break;
                    }
                    let key = match self.bump() {
                        T::Ident(k) => Ast::Lit(Json::Str(k)),
                        T::Var(v) => {
                            items.push((Ast::Lit(Json::Str(v.clone())), Some(Ast::Var(v))));
                            if self.is(",") {
                                self.i += 1;
                            }
                            continue;
                        }
                        T::Str(p) => self.string(p, None)?,
                        T::Num(n) => Ast::Lit(Json::Str(fmt_num(n))),
                        T::P("(") => {
                            let e = self.pipe()?;
                            self.expect(")")?;
                            e
                        }
                        _ => {
                            self.i -= 1;
                            return self.unexpected();
                        }
                    };
                    let val = if self.is(":") {
                        self.i += 1;
                        Some(self.objval()?)
                    } else {
                        None
                    };
                    items.push((key, val));
                    if self.is(",") {
                        self.i += 1;
                    } else if !self.is("}") {
                        return self.unexpected();
                    }
                }
                Ast::Object(items)
            }
            T::Ident(k) => match k.as_str() {
                "if" => {
                    let c = self.pipe()?;
                    self.expect_kw("then")?;
                    let a = self.pipe()?;
                    self.if_rest(c, a)?
                }
                "try" => {
                    let b = self.postfix_only()?;
                    let c = if self.is_kw("catch") {
                        self.i += 1;
                        Some(Box::new(self.postfix_only()?))
                    } else {
                        None
                    };
                    Ast::Try(Box::new(b), c)
                }
                "reduce" => {
                    let src = self.postfix_only()?;
                    self.expect_kw("as")?;
                    let T::Var(v) = self.bump() else {
                        return self.unexpected();
                    };
                    self.expect("(")?;
                    let init = self.pipe()?;
                    self.expect(";")?;
                    let upd = self.pipe()?;
                    self.expect(")")?;
                    Ast::Reduce(Box::new(src), v, Box::new(init), Box::new(upd))
                }
                "foreach" => {
                    let src = self.postfix_only()?;
                    self.expect_kw("as")?;
                    let T::Var(v) = self.bump() else {
                        return self.unexpected();
                    };
                    self.expect("(")?;
                    let init = self.pipe()?;
                    self.expect(";")?;
                    let upd = self.pipe()?;
                    let ext = if self.is(";") {
                        self.i += 1;
                        Some(Box::new(self.pipe()?))
                    } else {
                        None
                    };
                    self.expect(")")?;
                    Ast::Foreach(Box::new(src), v, Box::new(init), Box::new(upd), ext)
                }
                "null" => Ast::Lit(Json::Null),
                "true" => Ast::Lit(Json::Bool(true)),
                "false" => Ast::Lit(Json::Bool(false)),
                "then" | "else" | "elif" | "end" | "as" | "and" | "or" | "catch" => {
                    self.i -= 1;
                    return self.unexpected();
                }
                _ => {
                    let mut args = Vec::new();
                    if self.is("(") {
                        self.i += 1;
                        loop {
                            args.push(self.pipe()?);
                            if self.is(";") {
                                self.i += 1;
                                continue;
                            }
                            self.expect(")")?;
                            break;
                        }
                    }
                    Ast::Call(k, args)
                }
            },
            _ => {
                self.i -= 1;
                return self.unexpected();
            }
        })
    }

    fn postfix_only(&mut self) -> PR<Ast> {
        self.postfix()
    }

    fn objval(&mut self) -> PR<Ast> {
        // an object value: a term with postfixes, or `a | b` without commas
        let mut l = self.alt_noc()?;
        while self.is("|") {
            self.i += 1;
            let r = self.alt_noc()?;
            l = Ast::Pipe(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn alt_noc(&mut self) -> PR<Ast> {
        self.alt()
    }

    fn if_rest(&mut self, c: Ast, a: Ast) -> PR<Ast> {
        if self.is_kw("elif") {
            self.i += 1;
            let c2 = self.pipe()?;
            self.expect_kw("then")?;
            let a2 = self.pipe()?;
            let rest = self.if_rest(c2, a2)?;
            return Ok(Ast::If(Box::new(c), Box::new(a), Some(Box::new(rest))));
        }
        if self.is_kw("else") {
            self.i += 1;
            let b = self.pipe()?;
            self.expect_kw("end")?;
            return Ok(Ast::If(Box::new(c), Box::new(a), Some(Box::new(b))));
        }
        self.expect_kw("end")?;
        Ok(Ast::If(Box::new(c), Box::new(a), None))
    }

    fn string(&mut self, parts: Vec<StrPart>, fmt: Option<String>) -> PR<Ast> {
        if parts.len() == 1 {
            if let StrPart::Lit(s) = &parts[0] {
                return Ok(Ast::Lit(Json::Str(s.clone())));
            }
        }
        let mut out = Vec::new();
        for p in parts {
            match p {
                StrPart::Lit(s) => out.push(Part::Lit(s)),
                StrPart::Src(src) => {
                    let toks = lex(&src)?;
                    let mut sub = Parser {
                        t: toks,
                        i: 0,
                        ends: Vec::new(),
                    };
                    let e = sub.pipe()?;
                    if *sub.peek() != T::Eof {
                        return sub.unexpected();
                    }
                    out.push(Part::Expr(e));
                }
            }
        }
        Ok(Ast::Interp(out, fmt))
    }
}

// ------------------------------------------------------------------ evaluation

enum Err {
    /// a jq error value (`error(x)`, type errors: a string)
    Val(Json),
    /// an early stop that is not an error (reserved for `label`/`break`, not modelled)
    #[allow(dead_code)]
    Stop,
}

type ER<T> = Result<T, Err>;

fn err<T>(m: impl Into<String>) -> ER<T> {
    Err(Err::Val(Json::Str(m.into())))
}

#[derive(Clone)]
enum Env {
    Nil,
    Var(String, Json, Rc<Env>),
    Func(Rc<FuncDef>, Rc<Env>),
    /// a filter parameter bound to its argument (evaluated in the caller's env)
    Closure(String, Ast, Rc<Env>, Rc<Env>),
}

fn lookup_var(env: &Rc<Env>, name: &str) -> Option<Json> {
    let mut e = env.clone();
    loop {
        let next = match &*e {
            Env::Nil => return None,
            Env::Var(n, v, rest) => {
                if n == name {
                    return Some(v.clone());
                }
                rest.clone()
            }
            Env::Func(_, rest) | Env::Closure(_, _, _, rest) => rest.clone(),
        };
        e = next;
    }
}

enum Found {
    Def(Rc<FuncDef>, Rc<Env>),
    Closure(Ast, Rc<Env>),
}

fn lookup_fn(env: &Rc<Env>, name: &str, arity: usize) -> Option<Found> {
    let mut e = env.clone();
    loop {
        let next = match &*e {
            Env::Nil => return None,
            Env::Var(_, _, rest) => rest.clone(),
            Env::Func(f, rest) => {
                if f.name == name && f.params.len() == arity {
                    return Some(Found::Def(f.clone(), e.clone()));
                }
                rest.clone()
            }
            Env::Closure(n, body, cenv, rest) => {
                if n == name && arity == 0 {
                    return Some(Found::Closure(body.clone(), cenv.clone()));
                }
                rest.clone()
            }
        };
        e = next;
    }
}

struct Jq {
    steps: u64,
    /// nesting of function calls being evaluated (bounded: the stack is)
    depth: usize,
    env_obj: Json,
}

fn index(v: &Json, k: &Json) -> ER<Json> {
    match (v, k) {
        (Json::Null, Json::Str(_) | Json::Num(_) | Json::Null) => Ok(Json::Null),
        (Json::Obj(o), Json::Str(s)) => Ok(obj_get(o, s).cloned().unwrap_or(Json::Null)),
        (Json::Arr(a), Json::Num(n)) => {
            let i = n.floor() as i64;
            let i = if i < 0 { a.len() as i64 + i } else { i };
            Ok(if i < 0 {
                Json::Null
            } else {
                a.get(i as usize).cloned().unwrap_or(Json::Null)
            })
        }
        (Json::Obj(_), Json::Num(_)) => err("Cannot index object with number"),
        (_, Json::Str(s)) => err(format!("Cannot index {} with string \"{s}\"", type_name(v))),
        (_, k) => err(format!(
            "Cannot index {} with {}",
            type_name(v),
            type_name(k)
        )),
    }
}

fn add(a: &Json, b: &Json) -> ER<Json> {
    Ok(match (a, b) {
        (Json::Null, x) | (x, Json::Null) => x.clone(),
        (Json::Num(x), Json::Num(y)) => Json::Num(x + y),
        (Json::Str(x), Json::Str(y)) => Json::Str(format!("{x}{y}")),
        (Json::Arr(x), Json::Arr(y)) => Json::Arr(x.iter().chain(y).cloned().collect()),
        (Json::Obj(x), Json::Obj(y)) => {
            let mut o = x.clone();
            for (k, v) in y {
                obj_set(&mut o, k.clone(), v.clone());
            }
            Json::Obj(o)
        }
        _ => {
            return err(format!(
                "{} ({}) and {} ({}) cannot be added",
                type_name(a),
                short(a),
                type_name(b),
                short(b)
            ))
        }
    })
}

/// A value as jq quotes it in error messages (truncated JSON).
fn short(j: &Json) -> String {
    let s = to_json(j);
    if s.len() > 11 {
        format!(
            "{}...",
            &s[..s.char_indices().nth(10).map_or(s.len(), |(i, _)| i)]
        )
    } else {
        s
    }
}

fn arith(op: &str, a: &Json, b: &Json) -> ER<Json> {
    match op {
        "+" => add(a, b),
        "-" => match (a, b) {
            (Json::Num(x), Json::Num(y)) => Ok(Json::Num(x - y)),
            (Json::Arr(x), Json::Arr(y)) => Ok(Json::Arr(
                x.iter().filter(|e| !y.contains(e)).cloned().collect(),
            )),
            _ => err(format!(
                "{} ({}) and {} ({}) cannot be subtracted",
                type_name(a),
                short(a),
                type_name(b),
                short(b)
            )),
        },
        "*" => match (a, b) {
            (Json::Num(x), Json::Num(y)) => Ok(Json::Num(x * y)),
            (Json::Str(s), Json::Num(n)) | (Json::Num(n), Json::Str(s)) => {
                if *n <= 0.0 {
                    return Ok(Json::Null);
                }
                let k = (*n as usize).max(1);
                if k.saturating_mul(s.len()) > 64 << 20 {
                    return err("nslab: jq strings this long are not modelled yet");
                }
                Ok(Json::Str(s.repeat(k)))
            }
            (Json::Obj(_), Json::Obj(_)) => Ok(deep_merge(a, b)),
            _ => err(format!(
                "{} ({}) and {} ({}) cannot be multiplied",
                type_name(a),
                short(a),
                type_name(b),
                short(b)
            )),
        },
        "/" => match (a, b) {
            (Json::Num(x), Json::Num(y)) => {
                if *y == 0.0 {
                    return err(format!(
                        "{} ({}) and {} ({}) cannot be divided because the divisor is zero",
                        type_name(a),
                        short(a),
                        type_name(b),
                        short(b)
                    ));
                }
                Ok(Json::Num(x / y))
            }
            (Json::Str(x), Json::Str(y)) => Ok(Json::Arr(split_str(x, y))),
            _ => err(format!(
                "{} ({}) and {} ({}) cannot be divided",
                type_name(a),
                short(a),
                type_name(b),
                short(b)
            )),
        },
        _ => match (a, b) {
            (Json::Num(x), Json::Num(y)) => {
                let (x, y) = (*x as i64, *y as i64);
                if y == 0 {
                    return err(format!(
                        "{} ({}) and {} ({}) cannot be divided because the divisor is zero",
                        type_name(a),
                        short(a),
                        type_name(b),
                        short(b)
                    ));
                }
                Ok(Json::Num((x % y.abs()) as f64))
            }
            _ => err(format!(
                "{} ({}) and {} ({}) cannot be divided",
                type_name(a),
                short(a),
                type_name(b),
                short(b)
            )),
        },
    }
}

fn deep_merge(a: &Json, b: &Json) -> Json {
    match (a, b) {
        (Json::Obj(x), Json::Obj(y)) => {
            let mut o = x.clone();
            for (k, v) in y {
                let nv = match obj_get(&o, k) {
                    Some(old @ Json::Obj(_)) if matches!(v, Json::Obj(_)) => deep_merge(old, v),
                    _ => v.clone(),
                };
                obj_set(&mut o, k.clone(), nv);
            }
            Json::Obj(o)
        }
        _ => b.clone(),
    }
}

fn split_str(s: &str, sep: &str) -> Vec<Json> {
    if s.is_empty() {
        return Vec::new();
    }
    if sep.is_empty() {
        return s.chars().map(|c| Json::Str(c.to_string())).collect();
    }
    s.split(sep).map(|p| Json::Str(p.to_string())).collect()
}

fn tostring(j: &Json) -> String {
    match j {
        Json::Str(s) => s.clone(),
        other => to_json(other),
    }
}

fn length(j: &Json) -> ER<Json> {
    Ok(Json::Num(match j {
        Json::Null => 0.0,
        Json::Bool(_) => return err("boolean (true) has no length".replace("true", &to_json(j))),
        Json::Num(n) => n.abs(),
        Json::Str(s) => s.chars().count() as f64,
        Json::Arr(a) => a.len() as f64,
        Json::Obj(o) => o.len() as f64,
    }))
}

fn keys(j: &Json, sorted: bool) -> ER<Json> {
    match j {
        Json::Obj(o) => {
            let mut k: Vec<String> = o.iter().map(|(k, _)| k.clone()).collect();
            if sorted {
                k.sort();
            }
            Ok(Json::Arr(k.into_iter().map(Json::Str).collect()))
        }
        Json::Arr(a) => Ok(Json::Arr(
            (0..a.len()).map(|i| Json::Num(i as f64)).collect(),
        )),
        _ => err(format!("{} ({}) has no keys", type_name(j), short(j))),
    }
}

fn values_of(j: &Json) -> ER<Vec<Json>> {
    match j {
        Json::Arr(a) => Ok(a.clone()),
        Json::Obj(o) => Ok(o.iter().map(|(_, v)| v.clone()).collect()),
        _ => err(format!(
            "Cannot iterate over {}{}",
            type_name(j),
            if matches!(j, Json::Null) {
                String::new()
            } else {
                format!(" ({})", short(j))
            }
        )),
    }
}

fn contains(a: &Json, b: &Json) -> ER<bool> {
    Ok(match (a, b) {
        (Json::Obj(x), Json::Obj(y)) => {
            for (k, v) in y {
                match obj_get(x, k) {
                    Some(xv) => {
                        if !contains(xv, v)? {
                            return Ok(false);
                        }
                    }
                    None => return Ok(false),
                }
            }
            true
        }
        (Json::Arr(x), Json::Arr(y)) => {
            for v in y {
                let mut any = false;
                for xv in x {
                    if contains(xv, v)? {
                        any = true;
                        break;
                    }
                }
                if !any {
                    return Ok(false);
                }
            }
            true
        }
        (Json::Str(x), Json::Str(y)) => x.contains(y.as_str()),
        _ if type_name(a) == type_name(b) => a == b,
        _ => {
            return err(format!(
                "{} ({}) and {} ({}) cannot have their containment checked",
                type_name(a),
                short(a),
                type_name(b),
                short(b)
            ))
        }
    })
}

fn format_value(f: &str, v: &Json) -> ER<String> {
    Ok(match f {
        "text" => tostring(v),
        "json" => to_json(v),
        "csv" | "tsv" => {
            let Json::Arr(a) = v else {
                return err(format!(
                    "{} ({}) cannot be {}-formatted, only an array can be",
                    type_name(v),
                    short(v),
                    f
                ));
            };
            let mut parts = Vec::new();
            for x in a {
                parts.push(match x {
                    Json::Num(n) => fmt_num(*n),
                    Json::Str(s) if f == "csv" => format!("\"{}\"", s.replace('"', "\"\"")),
                    Json::Str(s) => s
                        .replace('\\', "\\\\")
                        .replace('\t', "\\t")
                        .replace('\n', "\\n")
                        .replace('\r', "\\r"),
                    Json::Bool(b) => b.to_string(),
                    Json::Null => String::new(),
                    other => {
                        return err(format!(
                            "{} ({}) is not valid in a csv row",
                            type_name(other),
                            short(other)
                        ))
                    }
                });
            }
            parts.join(if f == "csv" { "," } else { "\t" })
        }
        "sh" => {
            let q = |x: &Json| -> ER<String> {
                match x {
                    Json::Str(s) => Ok(format!("'{}'", s.replace('\'', "'\\''"))),
                    Json::Arr(_) | Json::Obj(_) => err(format!(
                        "{} ({}) can not be escaped for shell",
                        type_name(x),
                        short(x)
                    )),
                    other => Ok(to_json(other)),
                }
            };
            match v {
                Json::Arr(a) => a.iter().map(q).collect::<ER<Vec<_>>>()?.join(" "),
                other => q(other)?,
            }
        }
        "base64" => {
            const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            let b = tostring(v).into_bytes();
            let mut s = String::new();
            for c in b.chunks(3) {
                let n = (u32::from(c[0]) << 16)
                    | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
                    | u32::from(*c.get(2).unwrap_or(&0));
                for k in 0..4 {
                    if k <= c.len() {
                        s.push(T[((n >> (18 - 6 * k)) & 63) as usize] as char);
                    } else {
                        s.push('=');
                    }
                }
            }
            s
        }
        "html" => tostring(v)
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('\'', "&#39;")
            .replace('"', "&quot;"),
        "uri" => {
            let mut s = String::new();
            for b in tostring(v).bytes() {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    s.push(b as char);
                } else {
                    s.push_str(&format!("%{b:02X}"));
                }
            }
            s
        }
        _ => return err(format!("{f} is not a valid format")),
    })
}

impl Jq {
    fn eval(&mut self, a: &Ast, v: &Json, env: &Rc<Env>) -> ER<Vec<Json>> {
        self.steps += 1;
        if self.steps > 20_000_000 {
            return err("nslab: jq programs running this long are not modelled yet");
        }
        Ok(match a {
            Ast::Identity => vec![v.clone()],
            Ast::RecurseAll => {
                let mut out = Vec::new();
                recurse_all(v, &mut out);
                out
            }
            Ast::Lit(j) => vec![j.clone()],
            Ast::Format(f) => vec![Json::Str(format_value(f, v)?)],
            Ast::Interp(parts, fmt) => {
                let mut acc = vec![String::new()];
                for p in parts {
                    match p {
                        Part::Lit(s) => acc.iter_mut().for_each(|a| a.push_str(s)),
                        Part::Expr(e) => {
                            let vals = self.eval(e, v, env)?;
                            let mut next = Vec::new();
                            for a in &acc {
                                for x in &vals {
                                    let s = match fmt {
                                        Some(f) => format_value(f, x)?,
                                        None => tostring(x),
                                    };
                                    next.push(format!("{a}{s}"));
                                }
                            }
                            acc = next;
                        }
                    }
                }
                acc.into_iter().map(Json::Str).collect()
            }
            Ast::Index(t, k) => {
                let mut out = Vec::new();
                for tv in self.eval(t, v, env)? {
                    for kv in self.eval(k, v, env)? {
                        out.push(index(&tv, &kv)?);
                    }
                }
                out
            }
            Ast::Slice(t, lo, hi) => {
                let mut out = Vec::new();
                for tv in self.eval(t, v, env)? {
                    let lo = match lo {
                        Some(e) => self
                            .eval(e, v, env)?
                            .into_iter()
                            .next()
                            .unwrap_or(Json::Null),
                        None => Json::Null,
                    };
                    let hi = match hi {
                        Some(e) => self
                            .eval(e, v, env)?
                            .into_iter()
                            .next()
                            .unwrap_or(Json::Null),
                        None => Json::Null,
                    };
                    out.push(slice(&tv, &lo, &hi)?);
                }
                out
            }
            Ast::Iter(t) => {
                let mut out = Vec::new();
                for tv in self.eval(t, v, env)? {
                    out.extend(values_of(&tv)?);
                }
                out
            }
            Ast::Try(b, c) => match self.eval(b, v, env) {
                Ok(x) => x,
                Err(Err::Val(e)) => match c {
                    Some(c) => self.eval(c, &e, env)?,
                    None => Vec::new(),
                },
                Err(Err::Stop) => return Err(Err::Stop),
            },
            Ast::Array(e) => vec![Json::Arr(match e {
                Some(e) => self.eval(e, v, env)?,
                None => Vec::new(),
            })],
            Ast::Object(items) => {
                let mut objs: Vec<Vec<(String, Json)>> = vec![Vec::new()];
                for (k, val) in items {
                    let ks = self.eval(k, v, env)?;
                    let vs = match val {
                        Some(e) => self.eval(e, v, env)?,
                        None => {
                            let mut r = Vec::new();
                            for kk in &ks {
                                r.push(index(v, kk)?);
                            }
                            r
                        }
                    };
                    let mut next = Vec::new();
                    for o in &objs {
                        for kk in &ks {
                            let Json::Str(name) = kk else {
                                return err("Object keys must be strings");
                            };
                            for vv in &vs {
                                let mut o2 = o.clone();
                                obj_set(&mut o2, name.clone(), vv.clone());
                                next.push(o2);
                            }
                        }
                    }
                    objs = next;
                }
                objs.into_iter().map(Json::Obj).collect()
            }
            Ast::Neg(e) => {
                let mut out = Vec::new();
                for x in self.eval(e, v, env)? {
                    match x {
                        Json::Num(n) => out.push(Json::Num(-n)),
                        other => {
                            return err(format!(
                                "{} ({}) cannot be negated",
                                type_name(&other),
                                short(&other)
                            ))
                        }
                    }
                }
                out
            }
            Ast::Pipe(l, r) => {
                let mut out = Vec::new();
                for x in self.eval(l, v, env)? {
                    out.extend(self.eval(r, &x, env)?);
                }
                out
            }
            Ast::Comma(l, r) => {
                let mut out = self.eval(l, v, env)?;
                out.extend(self.eval(r, v, env)?);
                out
            }
            Ast::Bin(op, l, r) => {
                let mut out = Vec::new();
                // jq evaluates the right side in the outer loop
                let rs = self.eval(r, v, env)?;
                let ls = self.eval(l, v, env)?;
                for b in &rs {
                    for a in &ls {
                        out.push(match *op {
                            "==" => Json::Bool(cmp_json(a, b).is_eq()),
                            "!=" => Json::Bool(cmp_json(a, b).is_ne()),
                            "<" => Json::Bool(cmp_json(a, b).is_lt()),
                            "<=" => Json::Bool(cmp_json(a, b).is_le()),
                            ">" => Json::Bool(cmp_json(a, b).is_gt()),
                            ">=" => Json::Bool(cmp_json(a, b).is_ge()),
                            op => arith(op, a, b)?,
                        });
                    }
                }
                out
            }
            Ast::And(l, r) => {
                let mut out = Vec::new();
                for a in self.eval(l, v, env)? {
                    if !truthy(&a) {
                        out.push(Json::Bool(false));
                        continue;
                    }
                    for b in self.eval(r, v, env)? {
                        out.push(Json::Bool(truthy(&b)));
                    }
                }
                out
            }
            Ast::Or(l, r) => {
                let mut out = Vec::new();
                for a in self.eval(l, v, env)? {
                    if truthy(&a) {
                        out.push(Json::Bool(true));
                        continue;
                    }
                    for b in self.eval(r, v, env)? {
                        out.push(Json::Bool(truthy(&b)));
                    }
                }
                out
            }
            Ast::Alt(l, r) => {
                let ls: Vec<Json> = match self.eval(l, v, env) {
                    Ok(x) => x.into_iter().filter(truthy).collect(),
                    Err(Err::Val(_)) => Vec::new(),
                    Err(e) => return Err(e),
                };
                if ls.is_empty() {
                    self.eval(r, v, env)?
                } else {
                    ls
                }
            }
            Ast::If(c, a, b) => {
                let mut out = Vec::new();
                for cv in self.eval(c, v, env)? {
                    if truthy(&cv) {
                        out.extend(self.eval(a, v, env)?);
                    } else {
                        match b {
                            Some(b) => out.extend(self.eval(b, v, env)?),
                            None => out.push(v.clone()),
                        }
                    }
                }
                out
            }
            Ast::Reduce(src, var, init, upd) => {
                let mut out = Vec::new();
                for acc0 in self.eval(init, v, env)? {
                    let mut acc = Some(acc0);
                    for x in self.eval(src, v, env)? {
                        let e2 = Rc::new(Env::Var(var.clone(), x, env.clone()));
                        let cur = acc.take().unwrap_or(Json::Null);
                        acc = self.eval(upd, &cur, &e2)?.into_iter().last();
                    }
                    out.push(acc.unwrap_or(Json::Null));
                }
                out
            }
            Ast::Foreach(src, var, init, upd, ext) => {
                let mut out = Vec::new();
                for acc0 in self.eval(init, v, env)? {
                    let mut acc = acc0;
                    for x in self.eval(src, v, env)? {
                        let e2 = Rc::new(Env::Var(var.clone(), x, env.clone()));
                        for nv in self.eval(upd, &acc, &e2)? {
                            acc = nv;
                            match ext {
                                Some(ex) => out.extend(self.eval(ex, &acc, &e2)?),
                                None => out.push(acc.clone()),
                            }
                        }
                    }
                }
                out
            }
            Ast::As(src, var, body) => {
                let mut out = Vec::new();
                for x in self.eval(src, v, env)? {
                    let e2 = Rc::new(Env::Var(var.clone(), x, env.clone()));
                    out.extend(self.eval(body, v, &e2)?);
                }
                out
            }
            Ast::Var(n) => {
                if n == "ENV" {
                    return Ok(vec![self.env_obj.clone()]);
                }
                match lookup_var(env, n) {
                    Some(x) => vec![x],
                    None => return err(format!("${n} is not defined")),
                }
            }
            Ast::Def(f, rest) => {
                let e2 = Rc::new(Env::Func(f.clone(), env.clone()));
                self.eval(rest, v, &e2)?
            }
            Ast::Call(name, args) => {
                if self.depth >= MAX_CALL_DEPTH {
                    return err("nslab: jq recursion this deep is not modelled yet");
                }
                self.depth += 1;
                let r = self.call(name, args, v, env);
                self.depth -= 1;
                r?
            }
            Ast::Update(op, lhs, rhs) => {
                let paths = self.paths(lhs, v, env)?;
                if *op == "|=" {
                    let mut root = v.clone();
                    for p in paths {
                        let old = getpath(&root, &p)?;
                        let new = self
                            .eval(rhs, &old, env)?
                            .into_iter()
                            .next()
                            .unwrap_or(Json::Null);
                        root = setpath(&root, &p, new)?;
                    }
                    return Ok(vec![root]);
                }
                let mut out = Vec::new();
                for x in self.eval(rhs, v, env)? {
                    let mut root = v.clone();
                    for p in &paths {
                        let new = match *op {
                            "=" => x.clone(),
                            "//" => {
                                let old = getpath(&root, p)?;
                                if truthy(&old) {
                                    old
                                } else {
                                    x.clone()
                                }
                            }
                            o => arith(o, &getpath(&root, p)?, &x)?,
                        };
                        root = setpath(&root, p, new)?;
                    }
                    out.push(root);
                }
                out
            }
        })
    }

    /// The paths a path expression selects in `v` (jq's `path(f)`).
    fn paths(&mut self, a: &Ast, v: &Json, env: &Rc<Env>) -> ER<Vec<Vec<Json>>> {
        let mut out = Vec::new();
        self.paths_from(a, v, env, Vec::new(), &mut out)?;
        Ok(out)
    }

    fn paths_from(
        &mut self,
        a: &Ast,
        root: &Json,
        env: &Rc<Env>,
        base: Vec<Json>,
        out: &mut Vec<Vec<Json>>,
    ) -> ER<()> {
        let cur = getpath(root, &base)?;
        match a {
            Ast::Identity => out.push(base),
            Ast::RecurseAll => {
                let mut all = Vec::new();
                recurse_paths(&cur, base, &mut all);
                out.extend(all);
            }
            Ast::Index(t, k) => {
                let mut ts = Vec::new();
                self.paths_from(t, root, env, base, &mut ts)?;
                for tp in ts {
                    for kv in self.eval(k, &cur, env)? {
                        let tv = getpath(root, &tp)?;
                        index(&tv, &kv)?;
                        let mut p = tp.clone();
                        p.push(kv);
                        out.push(p);
                    }
                }
            }
            Ast::Iter(t) => {
                let mut ts = Vec::new();
                self.paths_from(t, root, env, base, &mut ts)?;
                for tp in ts {
                    let tv = getpath(root, &tp)?;
                    let keys: Vec<Json> = match &tv {
                        Json::Arr(x) => (0..x.len()).map(|i| Json::Num(i as f64)).collect(),
                        Json::Obj(o) => o.iter().map(|(k, _)| Json::Str(k.clone())).collect(),
                        Json::Null => Vec::new(),
                        _ => return err(format!("Cannot iterate over {}", type_name(&tv))),
                    };
                    for k in keys {
                        let mut p = tp.clone();
                        p.push(k);
                        out.push(p);
                    }
                }
            }
            Ast::Pipe(l, r) => {
                let mut ls = Vec::new();
                self.paths_from(l, root, env, base, &mut ls)?;
                for lp in ls {
                    self.paths_from(r, root, env, lp, out)?;
                }
            }
            Ast::Comma(l, r) => {
                self.paths_from(l, root, env, base.clone(), out)?;
                self.paths_from(r, root, env, base, out)?;
            }
            Ast::If(c, t, e) => {
                for cv in self.eval(c, &cur, env)? {
                    if truthy(&cv) {
                        self.paths_from(t, root, env, base.clone(), out)?;
                    } else if let Some(e) = e {
                        self.paths_from(e, root, env, base.clone(), out)?;
                    } else {
                        out.push(base.clone());
                    }
                }
            }
            Ast::Try(b, _) => {
                let mut tmp = Vec::new();
                match self.paths_from(b, root, env, base, &mut tmp) {
                    Ok(()) => out.extend(tmp),
                    Err(Err::Val(_)) => out.extend(tmp),
                    Err(e) => return Err(e),
                }
            }
            Ast::Alt(l, r) => {
                let mut tmp = Vec::new();
                let _ = self.paths_from(l, root, env, base.clone(), &mut tmp);
                let good: Vec<Vec<Json>> = tmp
                    .into_iter()
                    .filter(|p| getpath(root, p).is_ok_and(|x| truthy(&x)))
                    .collect();
                if good.is_empty() {
                    self.paths_from(r, root, env, base, out)?;
                } else {
                    out.extend(good);
                }
            }
            Ast::As(src, var, body) => {
                for x in self.eval(src, &cur, env)? {
                    let e2 = Rc::new(Env::Var(var.clone(), x, env.clone()));
                    self.paths_from(body, root, &e2, base.clone(), out)?;
                }
            }
            Ast::Call(n, args) if lookup_fn(env, n, args.len()).is_none() => {
                match (n.as_str(), args.len()) {
                    ("select", 1) => {
                        for c in self.eval(&args[0], &cur, env)? {
                            if truthy(&c) {
                                out.push(base.clone());
                            }
                        }
                    }
                    ("empty", 0) => {}
                    ("recurse", 0) => {
                        let mut all = Vec::new();
                        recurse_paths(&cur, base, &mut all);
                        out.extend(all);
                    }
                    ("first", 0) | ("last", 0) => {
                        let mut p = base;
                        p.push(Json::Num(if n == "first" { 0.0 } else { -1.0 }));
                        out.push(p);
                    }
                    ("getpath", 1) => {
                        for pv in self.eval(&args[0], &cur, env)? {
                            let Json::Arr(extra) = pv else {
                                return err("Path must be specified as an array");
                            };
                            let mut p = base.clone();
                            p.extend(extra);
                            out.push(p);
                        }
                    }
                    ("first", 1) => {
                        let mut tmp = Vec::new();
                        self.paths_from(&args[0], root, env, base, &mut tmp)?;
                        out.extend(tmp.into_iter().take(1));
                    }
                    _ => {
                        return err(format!(
                            "Invalid path expression with result {}",
                            short(
                                &self
                                    .eval(a, &cur, env)?
                                    .into_iter()
                                    .next()
                                    .unwrap_or(Json::Null)
                            )
                        ))
                    }
                }
            }
            Ast::Call(n, args) => {
                // a user function: its body as a path expression
                match lookup_fn(env, n, args.len()) {
                    Some(Found::Def(def, denv)) if def.params.is_empty() => {
                        self.paths_from(&def.body.clone(), root, &denv, base, out)?
                    }
                    Some(Found::Closure(body, cenv)) => {
                        self.paths_from(&body, root, &cenv, base, out)?
                    }
                    _ => {
                        return err(
                            "nslab: jq paths through functions with arguments are not modelled yet",
                        )
                    }
                }
            }
            other => {
                let r = self
                    .eval(other, &cur, env)?
                    .into_iter()
                    .next()
                    .unwrap_or(Json::Null);
                return err(format!("Invalid path expression with result {}", short(&r)));
            }
        }
        Ok(())
    }

    fn one(&mut self, a: &Ast, v: &Json, env: &Rc<Env>) -> ER<Json> {
        Ok(self
            .eval(a, v, env)?
            .into_iter()
            .next()
            .unwrap_or(Json::Null))
    }

    fn call(&mut self, name: &str, args: &[Ast], v: &Json, env: &Rc<Env>) -> ER<Vec<Json>> {
        if let Some(f) = lookup_fn(env, name, args.len()) {
            return match f {
                Found::Closure(body, cenv) => self.eval(&body, v, &cenv),
                Found::Def(def, denv) => {
                    // the definition's env (with itself, for recursion), plus its parameters
                    let mut e = denv;
                    let mut var_params = Vec::new();
                    for (p, a) in def.params.iter().zip(args) {
                        if let Some(vn) = p.strip_prefix('$') {
                            var_params.push((vn.to_string(), a.clone()));
                            e = Rc::new(Env::Closure(vn.to_string(), a.clone(), env.clone(), e));
                        } else {
                            e = Rc::new(Env::Closure(p.clone(), a.clone(), env.clone(), e));
                        }
                    }
                    if var_params.is_empty() {
                        return self.eval(&def.body, v, &e);
                    }
                    // $params: every combination of their values
                    let mut envs = vec![e];
                    for (vn, a) in var_params {
                        let vals = self.eval(&a, v, env)?;
                        let mut next = Vec::new();
                        for en in &envs {
                            for x in &vals {
                                next.push(Rc::new(Env::Var(vn.clone(), x.clone(), en.clone())));
                            }
                        }
                        envs = next;
                    }
                    let mut out = Vec::new();
                    for en in envs {
                        out.extend(self.eval(&def.body, v, &en)?);
                    }
                    Ok(out)
                }
            };
        }
        self.builtin(name, args, v, env)
    }

    /// The builtins: kept out of [`Jq::call`]'s frame, which user-function recursion repeats.
    #[inline(never)]
    fn builtin(&mut self, name: &str, args: &[Ast], v: &Json, env: &Rc<Env>) -> ER<Vec<Json>> {
        let a0 = args.first();
        let n = args.len();
        Ok(match (name, n) {
            ("empty", 0) => Vec::new(),
            ("not", 0) => vec![Json::Bool(!truthy(v))],
            ("length", 0) => vec![length(v)?],
            ("utf8bytelength", 0) => match v {
                Json::Str(s) => vec![Json::Num(s.len() as f64)],
                _ => {
                    return err(format!(
                        "{} ({}) only strings have UTF-8 byte length",
                        type_name(v),
                        short(v)
                    ))
                }
            },
            ("keys", 0) => vec![keys(v, true)?],
            ("keys_unsorted", 0) => vec![keys(v, false)?],
            ("values", 0) => {
                if matches!(v, Json::Null) {
                    vec![]
                } else {
                    vec![v.clone()]
                }
            }
            ("has", 1) => {
                let k = self.one(&args[0], v, env)?;
                vec![Json::Bool(match (v, &k) {
                    (Json::Obj(o), Json::Str(s)) => obj_get(o, s).is_some(),
                    (Json::Arr(a), Json::Num(i)) => *i >= 0.0 && (*i as usize) < a.len(),
                    _ => {
                        return err(format!(
                            "Cannot check whether {} has a {} key",
                            type_name(v),
                            type_name(&k)
                        ))
                    }
                })]
            }
            ("in", 1) => {
                let o = self.one(&args[0], v, env)?;
                let mut out = Vec::new();
                out.extend(self.call("has", &[Ast::Lit(v.clone())], &o, env)?);
                out
            }
            ("contains", 1) => {
                let b = self.one(&args[0], v, env)?;
                vec![Json::Bool(contains(v, &b)?)]
            }
            ("inside", 1) => {
                let b = self.one(&args[0], v, env)?;
                vec![Json::Bool(contains(&b, v)?)]
            }
            ("map", 1) => {
                let mut out = Vec::new();
                for x in values_of(v)? {
                    out.extend(self.eval(&args[0], &x, env)?);
                }
                vec![Json::Arr(out)]
            }
            ("map_values", 1) => match v {
                Json::Obj(o) => {
                    let mut r = Vec::new();
                    for (k, x) in o {
                        if let Some(y) = self.eval(&args[0], x, env)?.into_iter().next() {
                            r.push((k.clone(), y));
                        }
                    }
                    vec![Json::Obj(r)]
                }
                _ => {
                    let mut r = Vec::new();
                    for x in values_of(v)? {
                        if let Some(y) = self.eval(&args[0], &x, env)?.into_iter().next() {
                            r.push(y);
                        }
                    }
                    vec![Json::Arr(r)]
                }
            },
            ("select", 1) => {
                let mut out = Vec::new();
                for c in self.eval(&args[0], v, env)? {
                    if truthy(&c) {
                        out.push(v.clone());
                    }
                }
                out
            }
            ("recurse", 0) => {
                let mut out = Vec::new();
                recurse_all(v, &mut out);
                out
            }
            ("recurse", 1) => {
                let mut out = Vec::new();
                let mut stack = vec![v.clone()];
                while let Some(x) = stack.pop() {
                    out.push(x.clone());
                    let next = match self.eval(&args[0], &x, env) {
                        Ok(n) => n,
                        Err(Err::Val(_)) => Vec::new(),
                        Err(e) => return Err(e),
                    };
                    for y in next.into_iter().rev() {
                        stack.push(y);
                    }
                    if out.len() > 1_000_000 {
                        return err("nslab: jq recursion this deep is not modelled yet");
                    }
                }
                out
            }
            ("error", 0) => return Err(Err::Val(v.clone())),
            ("error", 1) => return Err(Err::Val(self.one(&args[0], v, env)?)),
            ("add", 0) => {
                let mut acc = Json::Null;
                for x in values_of(v)? {
                    acc = add(&acc, &x)?;
                }
                vec![acc]
            }
            ("any", 0) => vec![Json::Bool(values_of(v)?.iter().any(truthy))],
            ("all", 0) => vec![Json::Bool(values_of(v)?.iter().all(truthy))],
            ("any", 1) | ("all", 1) => {
                let mut res = name == "all";
                for x in values_of(v)? {
                    let t = self.eval(&args[0], &x, env)?.iter().any(truthy);
                    if name == "any" && t {
                        res = true;
                        break;
                    }
                    if name == "all" && !t {
                        res = false;
                        break;
                    }
                }
                vec![Json::Bool(res)]
            }
            ("range", 1) | ("range", 2) => {
                let (lo, hi) = if n == 1 {
                    (0.0, num_of(&self.one(&args[0], v, env)?)?)
                } else {
                    (
                        num_of(&self.one(&args[0], v, env)?)?,
                        num_of(&self.one(&args[1], v, env)?)?,
                    )
                };
                let mut out = Vec::new();
                let mut x = lo;
                while x < hi {
                    if out.len() >= 1_000_000 {
                        return err("nslab: jq ranges this long are not modelled yet");
                    }
                    out.push(Json::Num(x));
                    x += 1.0;
                }
                out
            }
            ("floor", 0) => vec![Json::Num(num_of(v)?.floor())],
            ("ceil", 0) => vec![Json::Num(num_of(v)?.ceil())],
            ("round", 0) => vec![Json::Num(num_of(v)?.round())],
            ("fabs", 0) => vec![Json::Num(num_of(v)?.abs())],
            ("sqrt", 0) => vec![Json::Num(num_of(v)?.sqrt())],
            ("log", 0) => vec![Json::Num(num_of(v)?.ln())],
            ("exp", 0) => vec![Json::Num(num_of(v)?.exp())],
            ("pow", 2) => {
                let a = num_of(&self.one(&args[0], v, env)?)?;
                let b = num_of(&self.one(&args[1], v, env)?)?;
                vec![Json::Num(a.powf(b))]
            }
            ("tostring", 0) => vec![Json::Str(tostring(v))],
            ("tonumber", 0) => match v {
                Json::Num(_) => vec![v.clone()],
                Json::Str(s) => match s.trim().parse::<f64>() {
                    Ok(x) => vec![Json::Num(x)],
                    Err(_) => return err(format!("Cannot parse '{s}' as JSON")),
                },
                _ => {
                    return err(format!(
                        "{} ({}) cannot be parsed as a number",
                        type_name(v),
                        short(v)
                    ))
                }
            },
            ("tojson", 0) => vec![Json::Str(to_json(v))],
            ("fromjson", 0) => match v {
                Json::Str(s) => {
                    let mut p = JsonParser {
                        s: s.as_bytes(),
                        i: 0,
                        depth: 0,
                    };
                    match p.value() {
                        Ok(j) => vec![j],
                        Err(e) => return err(format!("{e} (while parsing '{s}')")),
                    }
                }
                _ => {
                    return err(format!(
                        "{} ({}) cannot be parsed as JSON",
                        type_name(v),
                        short(v)
                    ))
                }
            },
            ("type", 0) => vec![Json::Str(type_name(v).into())],
            ("infinite", 0) => vec![Json::Num(f64::INFINITY)],
            ("nan", 0) => vec![Json::Num(f64::NAN)],
            ("isnan", 0) => vec![Json::Bool(num_of(v)?.is_nan())],
            ("null", 0) => vec![Json::Null],
            ("sort", 0) => {
                let mut a = arr_of(v, "sorted")?;
                a.sort_by(cmp_json);
                vec![Json::Arr(a)]
            }
            ("sort_by", 1) | ("group_by", 1) | ("unique_by", 1) | ("min_by", 1) | ("max_by", 1) => {
                let a = arr_of(v, "sorted")?;
                let mut keyed = Vec::new();
                for x in a {
                    let k = Json::Arr(self.eval(&args[0], &x, env)?);
                    keyed.push((k, x));
                }
                keyed.sort_by(|p, q| cmp_json(&p.0, &q.0));
                match name {
                    "sort_by" => vec![Json::Arr(keyed.into_iter().map(|p| p.1).collect())],
                    "min_by" => vec![keyed.into_iter().next().map_or(Json::Null, |p| p.1)],
                    "max_by" => vec![keyed.into_iter().last().map_or(Json::Null, |p| p.1)],
                    _ => {
                        let mut groups: Vec<(Json, Vec<Json>)> = Vec::new();
                        for (k, x) in keyed {
                            match groups.last_mut() {
                                Some(g) if cmp_json(&g.0, &k).is_eq() => g.1.push(x),
                                _ => groups.push((k, vec![x])),
                            }
                        }
                        if name == "group_by" {
                            vec![Json::Arr(
                                groups.into_iter().map(|g| Json::Arr(g.1)).collect(),
                            )]
                        } else {
                            vec![Json::Arr(
                                groups
                                    .into_iter()
                                    .filter_map(|g| g.1.into_iter().next())
                                    .collect(),
                            )]
                        }
                    }
                }
            }
            ("unique", 0) => {
                let mut a = arr_of(v, "sorted")?;
                a.sort_by(cmp_json);
                a.dedup_by(|x, y| cmp_json(x, y).is_eq());
                vec![Json::Arr(a)]
            }
            ("min", 0) | ("max", 0) => {
                let mut a = arr_of(v, "sorted")?;
                a.sort_by(cmp_json);
                vec![if name == "min" {
                    a.first().cloned()
                } else {
                    a.last().cloned()
                }
                .unwrap_or(Json::Null)]
            }
            ("reverse", 0) => match v {
                Json::Arr(a) => vec![Json::Arr(a.iter().rev().cloned().collect())],
                Json::Str(s) => vec![Json::Str(s.chars().rev().collect())],
                Json::Null => vec![Json::Arr(Vec::new())],
                _ => return err(format!("Cannot reverse {}", type_name(v))),
            },
            ("flatten", 0) | ("flatten", 1) => {
                let depth = if n == 1 {
                    num_of(&self.one(&args[0], v, env)?)?
                } else {
                    1e9
                };
                if depth < 0.0 {
                    return err("flatten depth must not be negative");
                }
                let mut out = Vec::new();
                flatten(&arr_of(v, "flattened")?, depth as usize, &mut out);
                vec![Json::Arr(out)]
            }
            ("to_entries", 0) => match v {
                Json::Obj(o) => vec![Json::Arr(
                    o.iter()
                        .map(|(k, x)| {
                            Json::Obj(vec![
                                ("key".into(), Json::Str(k.clone())),
                                ("value".into(), x.clone()),
                            ])
                        })
                        .collect(),
                )],
                _ => return err(format!("{} ({}) has no keys", type_name(v), short(v))),
            },
            ("from_entries", 0) => {
                let mut o = Vec::new();
                for e in arr_of(v, "iterated")? {
                    let Json::Obj(eo) = &e else {
                        return err(format!("Cannot index {} with \"key\"", type_name(&e)));
                    };
                    let k = ["key", "k", "name", "Name", "Key", "K"]
                        .iter()
                        .find_map(|n| obj_get(eo, n).filter(|x| truthy(x)).cloned())
                        .unwrap_or(Json::Null);
                    let val = ["value", "v", "Value", "V"]
                        .iter()
                        .find_map(|n| obj_get(eo, n).cloned())
                        .unwrap_or(Json::Null);
                    let key = match k {
                        Json::Str(s) => s,
                        Json::Num(n) => fmt_num(n),
                        Json::Bool(b) => b.to_string(),
                        Json::Null => "null".into(),
                        other => {
                            return err(format!(
                                "Cannot use {} ({}) as object key",
                                type_name(&other),
                                short(&other)
                            ))
                        }
                    };
                    obj_set(&mut o, key, val);
                }
                vec![Json::Obj(o)]
            }
            ("with_entries", 1) => {
                let entries = self.call("to_entries", &[], v, env)?;
                let mapped = self.call("map", args, &entries[0], env)?;
                self.call("from_entries", &[], &mapped[0], env)?
            }
            ("join", 1) => {
                let sep = tostring(&self.one(&args[0], v, env)?);
                let mut parts = Vec::new();
                for x in values_of(v)? {
                    parts.push(match x {
                        Json::Null => String::new(),
                        Json::Str(s) => s,
                        Json::Num(n) => fmt_num(n),
                        Json::Bool(b) => b.to_string(),
                        other => return err(format!("Cannot join with {}", type_name(&other))),
                    });
                }
                vec![Json::Str(parts.join(&sep))]
            }
            ("split", 1) => {
                let sep = self.one(&args[0], v, env)?;
                match (v, &sep) {
                    (Json::Str(s), Json::Str(p)) => vec![Json::Arr(split_str(s, p))],
                    _ => return err("split input and separator must be strings"),
                }
            }
            ("ascii_downcase", 0) | ("ascii_upcase", 0) => match v {
                Json::Str(s) => vec![Json::Str(if name == "ascii_downcase" {
                    s.to_ascii_lowercase()
                } else {
                    s.to_ascii_uppercase()
                })],
                _ => {
                    return err(format!(
                        "{} ({}) cannot be {}",
                        type_name(v),
                        short(v),
                        if name == "ascii_downcase" {
                            "lowercased"
                        } else {
                            "uppercased"
                        }
                    ))
                }
            },
            ("ltrimstr", 1) | ("rtrimstr", 1) => {
                let p = self.one(&args[0], v, env)?;
                match (v, &p) {
                    (Json::Str(s), Json::Str(p)) => {
                        let r = if name == "ltrimstr" {
                            s.strip_prefix(p.as_str())
                        } else {
                            s.strip_suffix(p.as_str())
                        };
                        vec![Json::Str(r.unwrap_or(s).to_string())]
                    }
                    _ => vec![v.clone()],
                }
            }
            ("startswith", 1) | ("endswith", 1) => {
                let p = self.one(&args[0], v, env)?;
                match (v, &p) {
                    (Json::Str(s), Json::Str(p)) => vec![Json::Bool(if name == "startswith" {
                        s.starts_with(p.as_str())
                    } else {
                        s.ends_with(p.as_str())
                    })],
                    _ => return err(format!("{name}() requires string inputs")),
                }
            }
            ("test", 1) | ("test", 2) => {
                let re = tostring(&self.one(&args[0], v, env)?);
                let flags = if n == 2 {
                    tostring(&self.one(&args[1], v, env)?)
                } else {
                    String::new()
                };
                let Json::Str(s) = v else {
                    return err(format!(
                        "{} ({}) cannot be matched, as it is not a string",
                        type_name(v),
                        short(v)
                    ));
                };
                // Oniguruma's syntax is close to the regex crate's for what scripts use
                let pat = format!("{}{re}", if flags.contains('i') { "(?i)" } else { "" });
                match regex::Regex::new(&pat) {
                    Ok(r) => vec![Json::Bool(r.is_match(s))],
                    Err(_) => return err(format!("{re} (at offset 0) is not a valid regex")),
                }
            }
            ("explode", 0) => match v {
                Json::Str(s) => vec![Json::Arr(
                    s.chars().map(|c| Json::Num(f64::from(c as u32))).collect(),
                )],
                _ => return err("explode input must be a string"),
            },
            ("implode", 0) => {
                let mut s = String::new();
                for x in arr_of(v, "imploded")? {
                    s.push(char::from_u32(num_of(&x)? as u32).unwrap_or('\u{fffd}'));
                }
                vec![Json::Str(s)]
            }
            ("first", 0) => vec![index(v, &Json::Num(0.0))?],
            ("last", 0) => vec![index(v, &Json::Num(-1.0))?],
            ("nth", 1) => {
                let i = self.one(&args[0], v, env)?;
                vec![index(v, &i)?]
            }
            ("first", 1) => self.eval(&args[0], v, env)?.into_iter().take(1).collect(),
            ("last", 1) => self
                .eval(&args[0], v, env)?
                .into_iter()
                .last()
                .into_iter()
                .collect(),
            ("limit", 2) => {
                let k = num_of(&self.one(&args[0], v, env)?)?;
                self.eval(&args[1], v, env)?
                    .into_iter()
                    .take(k.max(0.0) as usize)
                    .collect()
            }
            ("isempty", 1) => vec![Json::Bool(self.eval(&args[0], v, env)?.is_empty())],
            ("env", 0) => vec![self.env_obj.clone()],
            ("objects", 0)
            | ("arrays", 0)
            | ("strings", 0)
            | ("numbers", 0)
            | ("booleans", 0)
            | ("nulls", 0)
            | ("iterables", 0)
            | ("scalars", 0) => {
                let t = type_name(v);
                let keep = match name {
                    "objects" => t == "object",
                    "arrays" => t == "array",
                    "strings" => t == "string",
                    "numbers" => t == "number",
                    "booleans" => t == "boolean",
                    "nulls" => t == "null",
                    "iterables" => t == "array" || t == "object",
                    _ => t != "array" && t != "object",
                };
                if keep {
                    vec![v.clone()]
                } else {
                    vec![]
                }
            }
            ("index", 1) | ("rindex", 1) | ("indices", 1) => {
                let p = self.one(&args[0], v, env)?;
                let found: Vec<usize> = match (v, &p) {
                    (Json::Null, _) | (_, Json::Null) => return Ok(vec![Json::Null]),
                    (Json::Str(s), Json::Str(p)) => {
                        if p.is_empty() {
                            return Ok(vec![Json::Null]);
                        }
                        let mut r = Vec::new();
                        let mut at = 0;
                        while let Some(i) = s[at..].find(p.as_str()) {
                            r.push(at + i);
                            at += i + 1;
                            while !s.is_char_boundary(at) {
                                at += 1;
                            }
                        }
                        r
                    }
                    (Json::Arr(a), Json::Arr(b)) => {
                        if b.is_empty() {
                            return Ok(vec![Json::Null]);
                        }
                        (0..a.len())
                            .filter(|&i| a.len() >= i + b.len() && a[i..i + b.len()] == b[..])
                            .collect()
                    }
                    (Json::Arr(a), x) => (0..a.len())
                        .filter(|&i| cmp_json(&a[i], x).is_eq())
                        .collect(),
                    _ => {
                        return err(format!(
                            "Cannot determine the indices of {} in {}",
                            type_name(&p),
                            type_name(v)
                        ))
                    }
                };
                vec![match name {
                    "index" => found.first().map_or(Json::Null, |&i| Json::Num(i as f64)),
                    "rindex" => found.last().map_or(Json::Null, |&i| Json::Num(i as f64)),
                    _ => Json::Arr(found.into_iter().map(|i| Json::Num(i as f64)).collect()),
                }]
            }
            ("path", 1) => self
                .paths(&args[0], v, env)?
                .into_iter()
                .map(Json::Arr)
                .collect(),
            ("paths", 0) | ("leaf_paths", 0) => {
                let mut all = Vec::new();
                recurse_paths(v, Vec::new(), &mut all);
                all.into_iter()
                    .filter(|p| !p.is_empty())
                    .filter(|p| {
                        name == "paths"
                            || getpath(v, p)
                                .is_ok_and(|x| !matches!(x, Json::Arr(_) | Json::Obj(_)))
                    })
                    .map(Json::Arr)
                    .collect()
            }
            ("del", 1) => {
                let ps = self.paths(&args[0], v, env)?;
                vec![delpaths(v, ps)?]
            }
            ("getpath", 1) => {
                let mut out = Vec::new();
                for p in self.eval(&args[0], v, env)? {
                    let Json::Arr(p) = p else {
                        return err("Path must be specified as an array");
                    };
                    out.push(getpath(v, &p).unwrap_or(Json::Null));
                }
                out
            }
            ("setpath", 2) => {
                let mut out = Vec::new();
                for p in self.eval(&args[0], v, env)? {
                    let Json::Arr(p) = p else {
                        return err("Path must be specified as an array");
                    };
                    for x in self.eval(&args[1], v, env)? {
                        out.push(setpath(v, &p, x)?);
                    }
                }
                out
            }
            ("tostream", 0)
            | ("input", 0)
            | ("inputs", 0)
            | ("match", _)
            | ("capture", _)
            | ("sub", _)
            | ("gsub", _) => {
                return err(format!("nslab: jq's {name} is not modelled yet"));
            }
            _ => {
                let _ = a0;
                return err(format!("{name}/{n} is not defined"));
            }
        })
    }
}

fn recurse_paths(v: &Json, base: Vec<Json>, out: &mut Vec<Vec<Json>>) {
    out.push(base.clone());
    match v {
        Json::Arr(a) => {
            for (i, x) in a.iter().enumerate() {
                let mut p = base.clone();
                p.push(Json::Num(i as f64));
                recurse_paths(x, p, out);
            }
        }
        Json::Obj(o) => {
            for (k, x) in o {
                let mut p = base.clone();
                p.push(Json::Str(k.clone()));
                recurse_paths(x, p, out);
            }
        }
        _ => {}
    }
}

fn getpath(v: &Json, p: &[Json]) -> ER<Json> {
    let mut cur = v.clone();
    for k in p {
        if matches!(cur, Json::Null) {
            return Ok(Json::Null);
        }
        cur = index(&cur, k)?;
    }
    Ok(cur)
}

fn setpath(v: &Json, p: &[Json], new: Json) -> ER<Json> {
    let Some((k, rest)) = p.split_first() else {
        return Ok(new);
    };
    match (v, k) {
        (Json::Obj(_) | Json::Null, Json::Str(s)) => {
            let mut o = match v {
                Json::Obj(o) => o.clone(),
                _ => Vec::new(),
            };
            let child = obj_get(&o, s).cloned().unwrap_or(Json::Null);
            let nv = setpath(&child, rest, new)?;
            obj_set(&mut o, s.clone(), nv);
            Ok(Json::Obj(o))
        }
        (Json::Arr(_) | Json::Null, Json::Num(n)) => {
            let mut a = match v {
                Json::Arr(a) => a.clone(),
                _ => Vec::new(),
            };
            let i = if *n < 0.0 {
                a.len() as f64 + n.floor()
            } else {
                n.floor()
            };
            if i < 0.0 {
                return err("Out of bounds negative array index");
            }
            let i = i as usize;
            if i > 1_000_000 {
                return err("nslab: jq arrays this large are not modelled yet");
            }
            if a.len() <= i {
                a.resize(i + 1, Json::Null);
            }
            a[i] = setpath(&a[i], rest, new)?;
            Ok(Json::Arr(a))
        }
        (_, Json::Str(s)) => err(format!("Cannot index {} with \"{s}\"", type_name(v))),
        (_, k) => err(format!(
            "Cannot index {} with {}",
            type_name(v),
            type_name(k)
        )),
    }
}

fn delpaths(v: &Json, mut paths: Vec<Vec<Json>>) -> ER<Json> {
    // longest and last first, so earlier indices stay valid
    paths.sort_by(|a, b| cmp_json(&Json::Arr(b.clone()), &Json::Arr(a.clone())));
    let mut root = v.clone();
    for p in paths {
        root = delpath(&root, &p)?;
    }
    Ok(root)
}

fn delpath(v: &Json, p: &[Json]) -> ER<Json> {
    let Some((k, rest)) = p.split_first() else {
        return Ok(Json::Null);
    };
    match (v, k) {
        (Json::Null, _) => Ok(Json::Null),
        (Json::Obj(o), Json::Str(s)) => {
            let mut o = o.clone();
            if rest.is_empty() {
                o.retain(|(n, _)| n != s);
            } else if let Some(e) = o.iter_mut().find(|(n, _)| n == s) {
                e.1 = delpath(&e.1, rest)?;
            }
            Ok(Json::Obj(o))
        }
        (Json::Arr(a), Json::Num(n)) => {
            let mut a = a.clone();
            let i = if *n < 0.0 { a.len() as f64 + n } else { *n };
            if i >= 0.0 && (i as usize) < a.len() {
                let i = i as usize;
                if rest.is_empty() {
                    a.remove(i);
                } else {
                    a[i] = delpath(&a[i], rest)?;
                }
            }
            Ok(Json::Arr(a))
        }
        _ => err(format!(
            "Cannot delete field at {} index of {}",
            type_name(k),
            type_name(v)
        )),
    }
}

fn num_of(j: &Json) -> ER<f64> {
    match j {
        Json::Num(n) => Ok(*n),
        _ => err(format!("{} ({}) number required", type_name(j), short(j))),
    }
}

fn arr_of(j: &Json, what: &str) -> ER<Vec<Json>> {
    match j {
        Json::Arr(a) => Ok(a.clone()),
        _ => err(format!(
            "{} ({}) cannot be {what}, as it is not an array",
            type_name(j),
            short(j)
        )),
    }
}

fn flatten(a: &[Json], depth: usize, out: &mut Vec<Json>) {
    for x in a {
        match x {
            Json::Arr(b) if depth > 0 => flatten(b, depth - 1, out),
            other => out.push(other.clone()),
        }
    }
}

fn recurse_all(v: &Json, out: &mut Vec<Json>) {
    out.push(v.clone());
    match v {
        Json::Arr(a) => a.iter().for_each(|x| recurse_all(x, out)),
        Json::Obj(o) => o.iter().for_each(|(_, x)| recurse_all(x, out)),
        _ => {}
    }
}

fn slice(v: &Json, lo: &Json, hi: &Json) -> ER<Json> {
    let len = match v {
        Json::Null => return Ok(Json::Null),
        Json::Arr(a) => a.len(),
        Json::Str(s) => s.chars().count(),
        _ => return err(format!("Cannot index {} with object", type_name(v))),
    } as f64;
    let clamp = |x: &Json, d: f64| -> ER<f64> {
        let n = match x {
            Json::Null => d,
            Json::Num(n) => *n,
            _ => return err("Start and end indices of an array slice must be numbers"),
        };
        let n = if n < 0.0 { len + n } else { n };
        Ok(n.clamp(0.0, len))
    };
    let a = clamp(lo, 0.0)?.floor() as usize;
    let b = clamp(hi, len)?.ceil() as usize;
    let b = b.max(a);
    Ok(match v {
        Json::Arr(x) => Json::Arr(x[a..b].to_vec()),
        Json::Str(s) => Json::Str(s.chars().skip(a).take(b - a).collect()),
        _ => Json::Null,
    })
}

pub fn jq(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("raw-output", HasArg::No, 'r'),
        LongOpt::new("join-output", HasArg::No, 'j'),
        LongOpt::new("compact-output", HasArg::No, 'c'),
        LongOpt::new("null-input", HasArg::No, 'n'),
        LongOpt::new("slurp", HasArg::No, 's'),
        LongOpt::new("exit-status", HasArg::No, 'e'),
        LongOpt::new("sort-keys", HasArg::No, 'S'),
        LongOpt::new("monochrome-output", HasArg::No, 'M'),
        LongOpt::new("color-output", HasArg::No, 'C'),
        LongOpt::new("ascii-output", HasArg::No, 'a'),
        LongOpt::new("tab", HasArg::No, '\u{e000}'),
        LongOpt::new("indent", HasArg::Required, '\u{e001}'),
        LongOpt::new("arg", HasArg::Required, '\u{e002}'),
        LongOpt::new("argjson", HasArg::Required, '\u{e003}'),
        LongOpt::new("raw-input", HasArg::No, 'R'),
    ];
    // jq parses its own options (`--arg NAME VALUE` takes two words): pre-split them
    let raw = ctx.args().to_vec();
    let mut args = Vec::new();
    let mut named: Vec<(String, Json)> = Vec::new();
    let mut k = 0;
    while k < raw.len() {
        let a = &raw[k];
        if a == "--arg" || a == "--argjson" {
            let (Some(n), Some(val)) = (raw.get(k + 1), raw.get(k + 2)) else {
                ctx.err(format!("jq: {a} takes two parameters (e.g. {a} varname value)\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://stedolan.github.io/jq\n"));
                return 2;
            };
            let v = if a == "--arg" {
                Json::Str(val.clone())
            } else {
                let mut p = JsonParser {
                    s: val.as_bytes(),
                    i: 0,
                    depth: 0,
                };
                match p.value() {
                    Ok(j) => j,
                    Err(_) => {
                        ctx.err("jq: Invalid JSON text passed to --argjson\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://stedolan.github.io/jq\n");
                        return 2;
                    }
                }
            };
            named.push((n.clone(), v));
            k += 3;
            continue;
        }
        args.push(a.clone());
        k += 1;
    }
    let mut g = Getopt::new(&args, "rjcnseSMCaR", LONGS);
    let (mut rawout, mut join, mut compact, mut null_in, mut slurp, mut exit_st, mut sort) =
        (false, false, false, false, false, false, false);
    let mut raw_in = false;
    let mut indent = "  ".to_string();
    while let Some(r) = g.next() {
        let o = match r {
            Ok(o) => o,
            Err(e) => {
                let bad = match &e {
                    crate::getopt::GetoptError::InvalidOption(c) => format!("-{c}"),
                    crate::getopt::GetoptError::UnrecognizedOption(t) => t.clone(),
                    _ => String::new(),
                };
                ctx.err(format!("jq: Unknown option {bad}\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://stedolan.github.io/jq\n"));
                return 2;
            }
        };
        match o.opt {
            'r' => rawout = true,
            'j' => {
                rawout = true;
                join = true;
            }
            'c' => compact = true,
            'n' => null_in = true,
            's' => slurp = true,
            'e' => exit_st = true,
            'S' => sort = true,
            'R' => raw_in = true,
            '\u{e000}' => indent = "\t".into(),
            '\u{e001}' => {
                let n: usize = o.arg.unwrap_or_default().parse().unwrap_or(2);
                if n > 7 {
                    ctx.err("jq: Cannot indent more than 7 characters\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://stedolan.github.io/jq\n");
                    return 2;
                }
                indent = " ".repeat(n);
                if n == 0 {
                    compact = true;
                }
            }
            _ => {}
        }
    }
    let mut ops = g.into_operands();
    if ops.is_empty() {
        // jq 1.6 without a filter, not on a terminal, runs `.`
        ops.push(".".into());
    }
    let filter = ops.remove(0);
    if crate::nesting(&filter) > crate::MAX_NESTING {
        ctx.err("nslab: jq programs nested this deep are not modelled yet\n");
        return 127;
    }
    let ast = match lex_pos(&filter).and_then(|t| {
        let ends = t.iter().map(|x| x.1).collect();
        let mut p = Parser {
            t: t.into_iter().map(|x| x.0).collect(),
            i: 0,
            ends,
        };
        let a = p.pipe()?;
        if *p.peek() != T::Eof {
            return p.unexpected();
        }
        Ok(a)
    }) {
        Ok(a) => a,
        Err(e) if e.starts_with("nslab:") => {
            ctx.err(format!("{e}\n"));
            return 127;
        }
        Err(e) => {
            // jq 1.6 prints the program followed by blanks up to the bad token's end
            let (msg, end) = match e.split_once('\u{0}') {
                Some((m, n)) => (m.to_string(), n.parse::<usize>().unwrap_or(0)),
                None => (e.clone(), 0),
            };
            let pad = " ".repeat(end.saturating_sub(1));
            ctx.err(format!("jq: error: {msg} (Unix shell quoting issues?) at <top-level>, line 1:\n{filter}{pad}\njq: 1 compile error\n"));
            return 3;
        }
    };
    // names not defined anywhere are compile errors in jq
    if let Some(undef) = undefined(&ast, &named, &mut Vec::new()) {
        ctx.err(format!("jq: error: {undef} is not defined at <top-level>, line 1:\n{filter}\njq: 1 compile error\n"));
        return 3;
    }
    let mut env = Rc::new(Env::Nil);
    for (n, v) in &named {
        env = Rc::new(Env::Var(n.clone(), v.clone(), env));
    }
    let env_obj = Json::Obj(
        ctx.env
            .iter()
            .map(|(k, v)| (k.clone(), Json::Str(v.clone())))
            .collect(),
    );
    // the inputs
    let mut texts: Vec<(String, Vec<u8>)> = Vec::new();
    if ops.is_empty() {
        texts.push(("<stdin>".into(), ctx.stdin.to_vec()));
    } else {
        for f in &ops {
            match ctx.read_file(f) {
                Ok(d) => texts.push((f.clone(), d)),
                Err(e) => {
                    ctx.err(format!("jq: error: Could not open file {f}: {e}\n"));
                    return 2;
                }
            }
        }
    }
    let mut jq = Jq {
        steps: 0,
        depth: 0,
        env_obj,
    };
    let mut status = 0;
    let mut last: Option<Json> = None;
    let mut out = String::new();
    let emit = |out: &mut String, j: &Json| {
        match j {
            Json::Str(s) if rawout => out.push_str(s),
            _ => dump(j, if compact { None } else { Some(&indent) }, sort, 0, out),
        }
        if !join {
            out.push('\n');
        }
    };
    let mut run_one = |jq: &mut Jq,
                       input: &Json,
                       name: &str,
                       line: usize,
                       out: &mut String,
                       ctx: &mut Ctx|
     -> bool {
        match jq.eval(&ast, input, &env) {
            Ok(vals) => {
                for v in &vals {
                    emit(out, v);
                }
                if let Some(v) = vals.last() {
                    last = Some(v.clone());
                }
                true
            }
            Err(Err::Val(e)) => {
                ctx.out(std::mem::take(out));
                let msg = match &e {
                    Json::Str(s) => s.clone(),
                    other => format!("{} (not a string)", to_json(other)),
                };
                if msg.starts_with("nslab:") {
                    ctx.err(format!("{msg}\n"));
                } else {
                    let at = if null_in {
                        "<unknown>".to_string()
                    } else {
                        format!("{name}:{line}")
                    };
                    ctx.err(format!("jq: error (at {at}): {msg}\n"));
                }
                false
            }
            Err(Err::Stop) => true,
        }
    };
    if null_in {
        if !run_one(&mut jq, &Json::Null, "", 0, &mut out, ctx) {
            status = 5;
        }
    } else {
        let mut all = Vec::new();
        let mut parse_err = None;
        for (name, data) in &texts {
            if raw_in {
                let t = String::from_utf8_lossy(data).into_owned();
                if slurp {
                    all.push((Json::Str(t), name.clone(), 0));
                } else {
                    for l in t.lines() {
                        all.push((Json::Str(l.to_string()), name.clone(), 0));
                    }
                }
                continue;
            }
            let mut p = JsonParser {
                s: data,
                i: 0,
                depth: 0,
            };
            loop {
                p.ws();
                if p.i >= data.len() {
                    break;
                }
                match p.value() {
                    Ok(j) => {
                        // jq reports the line the parser stands on after the value
                        let mut look = p.i;
                        while look < data.len() && matches!(data[look], b' ' | b'\t' | b'\r') {
                            look += 1;
                        }
                        let consumed = if look < data.len() && data[look] == b'\n' {
                            look + 1
                        } else {
                            p.i
                        };
                        let line = data[..consumed].iter().filter(|&&b| b == b'\n').count();
                        all.push((
                            j,
                            if ops.is_empty() {
                                "<stdin>".to_string()
                            } else {
                                name.clone()
                            },
                            line,
                        ));
                    }
                    Err(e) => {
                        parse_err = Some(e);
                        break;
                    }
                }
            }
            if parse_err.is_some() {
                break;
            }
        }
        if slurp && !raw_in {
            let arr = Json::Arr(all.iter().map(|x| x.0.clone()).collect());
            if parse_err.is_none() && !run_one(&mut jq, &arr, "<stdin>", 0, &mut out, ctx) {
                status = 5;
            }
        } else if slurp {
            let s: String = all.iter().map(|x| tostring(&x.0)).collect();
            if !run_one(&mut jq, &Json::Str(s), "<stdin>", 0, &mut out, ctx) {
                status = 5;
            }
        } else {
            for (j, name, line) in &all {
                if !run_one(&mut jq, j, name, *line, &mut out, ctx) {
                    status = 5;
                }
            }
        }
        if let Some(e) = parse_err {
            ctx.out(std::mem::take(&mut out));
            ctx.err(format!("parse error: {e}\n"));
            return 4;
        }
    }
    ctx.out(out);
    if status != 0 {
        return status;
    }
    if exit_st {
        return match last {
            None => 4,
            Some(Json::Null) | Some(Json::Bool(false)) => 1,
            Some(_) => 0,
        };
    }
    0
}

/// The first function or variable the filter uses without defining (jq's compile check).
fn undefined(a: &Ast, named: &[(String, Json)], scope: &mut Vec<String>) -> Option<String> {
    const BUILTIN: &[(&str, usize)] = &[
        ("empty", 0),
        ("not", 0),
        ("length", 0),
        ("utf8bytelength", 0),
        ("keys", 0),
        ("keys_unsorted", 0),
        ("values", 0),
        ("has", 1),
        ("in", 1),
        ("contains", 1),
        ("inside", 1),
        ("map", 1),
        ("map_values", 1),
        ("select", 1),
        ("recurse", 0),
        ("recurse", 1),
        ("error", 0),
        ("error", 1),
        ("add", 0),
        ("any", 0),
        ("all", 0),
        ("any", 1),
        ("all", 1),
        ("range", 1),
        ("range", 2),
        ("floor", 0),
        ("ceil", 0),
        ("round", 0),
        ("fabs", 0),
        ("sqrt", 0),
        ("log", 0),
        ("exp", 0),
        ("pow", 2),
        ("tostring", 0),
        ("tonumber", 0),
        ("tojson", 0),
        ("fromjson", 0),
        ("type", 0),
        ("infinite", 0),
        ("nan", 0),
        ("isnan", 0),
        ("null", 0),
        ("sort", 0),
        ("sort_by", 1),
        ("group_by", 1),
        ("unique_by", 1),
        ("min_by", 1),
        ("max_by", 1),
        ("unique", 0),
        ("min", 0),
        ("max", 0),
        ("reverse", 0),
        ("flatten", 0),
        ("flatten", 1),
        ("to_entries", 0),
        ("from_entries", 0),
        ("with_entries", 1),
        ("join", 1),
        ("split", 1),
        ("ascii_downcase", 0),
        ("ascii_upcase", 0),
        ("ltrimstr", 1),
        ("rtrimstr", 1),
        ("startswith", 1),
        ("endswith", 1),
        ("test", 1),
        ("test", 2),
        ("explode", 0),
        ("implode", 0),
        ("first", 0),
        ("last", 0),
        ("nth", 1),
        ("first", 1),
        ("last", 1),
        ("limit", 2),
        ("isempty", 1),
        ("env", 0),
        ("objects", 0),
        ("arrays", 0),
        ("strings", 0),
        ("numbers", 0),
        ("booleans", 0),
        ("nulls", 0),
        ("iterables", 0),
        ("scalars", 0),
        ("index", 1),
        ("rindex", 1),
        ("indices", 1),
        ("tostream", 0),
        ("paths", 0),
        ("path", 1),
        ("del", 1),
        ("input", 0),
        ("inputs", 0),
        ("match", 1),
        ("match", 2),
        ("capture", 1),
        ("capture", 2),
        ("sub", 2),
        ("sub", 3),
        ("gsub", 2),
        ("gsub", 3),
        ("getpath", 1),
        ("setpath", 2),
        ("leaf_paths", 0),
    ];
    let rec = |x: &Ast, scope: &mut Vec<String>| undefined(x, named, scope);
    match a {
        Ast::Var(n) => {
            if n == "ENV"
                || n == "__loc__"
                || named.iter().any(|(m, _)| m == n)
                || scope.iter().any(|s| *s == format!("${n}"))
            {
                None
            } else {
                Some(format!("${n}"))
            }
        }
        Ast::Call(n, args) => {
            let key = format!("{n}/{}", args.len());
            let known = BUILTIN.contains(&(n.as_str(), args.len())) || scope.contains(&key);
            if !known {
                return Some(key);
            }
            args.iter().find_map(|x| rec(x, scope))
        }
        Ast::Def(f, rest) => {
            let key = format!("{}/{}", f.name, f.params.len());
            let mark = scope.len();
            scope.push(key.clone());
            for p in &f.params {
                match p.strip_prefix('$') {
                    Some(v) => {
                        scope.push(format!("${v}"));
                        scope.push(format!("{v}/0"));
                    }
                    None => scope.push(format!("{p}/0")),
                }
            }
            let r = rec(&f.body, scope);
            scope.truncate(mark);
            if r.is_some() {
                return r;
            }
            scope.push(key);
            let r = rec(rest, scope);
            scope.truncate(mark);
            r
        }
        Ast::As(s, v, b) | Ast::Reduce(s, v, _, b) => {
            if let Some(x) = rec(s, scope) {
                return Some(x);
            }
            if let Ast::Reduce(_, _, init, _) = a {
                if let Some(x) = rec(init, scope) {
                    return Some(x);
                }
            }
            scope.push(format!("${v}"));
            let r = rec(b, scope);
            scope.pop();
            r
        }
        Ast::Foreach(s, v, i, u, e) => rec(s, scope).or_else(|| rec(i, scope)).or_else(|| {
            scope.push(format!("${v}"));
            let r = rec(u, scope).or_else(|| e.as_ref().and_then(|e| rec(e, scope)));
            scope.pop();
            r
        }),
        Ast::Interp(parts, _) => parts.iter().find_map(|p| match p {
            Part::Expr(e) => rec(e, scope),
            Part::Lit(_) => None,
        }),
        Ast::Update(_, x, y)
        | Ast::Index(x, y)
        | Ast::Pipe(x, y)
        | Ast::Comma(x, y)
        | Ast::Bin(_, x, y)
        | Ast::And(x, y)
        | Ast::Or(x, y)
        | Ast::Alt(x, y) => rec(x, scope).or_else(|| rec(y, scope)),
        Ast::Slice(x, l, h) => rec(x, scope)
            .or_else(|| l.as_ref().and_then(|l| rec(l, scope)))
            .or_else(|| h.as_ref().and_then(|h| rec(h, scope))),
        Ast::Iter(x) | Ast::Neg(x) => rec(x, scope),
        Ast::Try(x, c) => rec(x, scope).or_else(|| c.as_ref().and_then(|c| rec(c, scope))),
        Ast::Array(x) => x.as_ref().and_then(|x| rec(x, scope)),
        Ast::Object(items) => items
            .iter()
            .find_map(|(k, v)| rec(k, scope).or_else(|| v.as_ref().and_then(|v| rec(v, scope)))),
        Ast::If(c, t, e) => rec(c, scope)
            .or_else(|| rec(t, scope))
            .or_else(|| e.as_ref().and_then(|e| rec(e, scope))),
        Ast::Identity | Ast::RecurseAll | Ast::Lit(_) | Ast::Format(_) => None,
    }
}

/// Nesting of calls the evaluator allows (its frames are large in debug builds; test threads
/// have 2 MiB stacks).
const MAX_CALL_DEPTH: usize = 60;

//! bash's arithmetic (`$(( ))`, `(( ))`, `let`, `for (( ))`, array indices): 64-bit signed
//! integers with wrapping, C operators and precedence, variables evaluated recursively, and
//! bash's error texts (`division by 0 (error token is "0")`).

/// What arithmetic needs from the shell: variables.
pub trait Vars {
    /// The value of `name` (`name[index]` for an array element), empty if unset.
    fn get(&mut self, name: &str, index: Option<i64>) -> Result<String, String>;
    fn set(&mut self, name: &str, index: Option<i64>, value: i64) -> Result<(), String>;
}

#[derive(Clone, Debug, PartialEq)]
enum T {
    Num(i64),
    Name(String),
    Op(&'static str),
}

const OPS: &[&str] = &[
    "<<=", ">>=", "**", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "*=", "/=",
    "%=", "+=", "-=", "&=", "^=", "|=", "+", "-", "*", "/", "%", "<", ">", "=", "!", "~", "&", "^",
    "|", "?", ":", ",", "(", ")", "[", "]",
];

/// Too deep a chain of variables holding expressions, or of nested parentheses.
const MAX_RECURSION: u32 = 1024;

struct P<'v> {
    toks: Vec<(T, usize)>,
    i: usize,
    text: String,
    vars: &'v mut dyn Vars,
    depth: u32,
}

/// Evaluates `text`. Errors are bash's message without the `file: line N:` prefix
/// (`1/0: division by 0 (error token is "0")`).
pub fn eval(text: &str, vars: &mut dyn Vars) -> Result<i64, String> {
    eval_depth(text, vars, 0)
}

fn eval_depth(text: &str, vars: &mut dyn Vars, depth: u32) -> Result<i64, String> {
    if depth > MAX_RECURSION {
        return Err(format!(
            "{text}: expression recursion level exceeded (error token is \"{text}\")"
        ));
    }
    let toks = lex(text)?;
    if toks.is_empty() {
        return Ok(0);
    }
    let mut p = P {
        toks,
        i: 0,
        text: text.to_string(),
        vars,
        depth,
    };
    let v = p.comma(true)?;
    if p.i < p.toks.len() {
        return Err(p.err("syntax error in expression"));
    }
    Ok(v)
}

fn lex(text: &str) -> Result<Vec<(T, usize)>, String> {
    let cs: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c.is_ascii_digit() {
            while i < cs.len()
                && (cs[i].is_ascii_alphanumeric() || cs[i] == '#' || cs[i] == '_' || cs[i] == '@')
            {
                i += 1;
            }
            let s: String = cs[start..i].iter().collect();
            let v = parse_number(&s).ok_or_else(|| {
                let rest: String = cs[start..].iter().collect();
                format!("{text}: value too great for base (error token is \"{rest}\")")
            })?;
            out.push((T::Num(v), start));
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            while i < cs.len() && (cs[i].is_ascii_alphanumeric() || cs[i] == '_') {
                i += 1;
            }
            out.push((T::Name(cs[start..i].iter().collect()), start));
            continue;
        }
        let rest: String = cs[i..].iter().collect();
        let Some(op) = OPS.iter().find(|o| rest.starts_with(**o)) else {
            return Err(format!(
                "{text}: syntax error: invalid arithmetic operator (error token is \"{rest}\")"
            ));
        };
        out.push((T::Op(op), start));
        i += op.chars().count();
    }
    Ok(out)
}

/// `42`, `0x2a`, `052`, `16#2a`, `2#101010`.
fn parse_number(s: &str) -> Option<i64> {
    if let Some((b, d)) = s.split_once('#') {
        let base: u32 = b.parse().ok()?;
        if !(2..=64).contains(&base) {
            return None;
        }
        let mut v: i64 = 0;
        for c in d.chars() {
            let dv = match c {
                '0'..='9' => c as u32 - '0' as u32,
                'a'..='z' => c as u32 - 'a' as u32 + 10,
                'A'..='Z' if base <= 36 => c as u32 - 'A' as u32 + 10,
                'A'..='Z' => c as u32 - 'A' as u32 + 36,
                '@' => 62,
                '_' => 63,
                _ => return None,
            };
            if dv >= base {
                return None;
            }
            v = v.wrapping_mul(base as i64).wrapping_add(dv as i64);
        }
        return Some(v);
    }
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return u64::from_str_radix(h, 16).ok().map(|v| v as i64);
    }
    if s.len() > 1 && s.starts_with('0') {
        return u64::from_str_radix(&s[1..], 8).ok().map(|v| v as i64);
    }
    s.parse::<u64>().ok().map(|v| v as i64)
}

impl P<'_> {
    fn peek(&self) -> Option<&T> {
        self.toks.get(self.i).map(|(t, _)| t)
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(T::Op(o)) if *o == op)
    }

    fn err(&self, msg: &str) -> String {
        let rest: String = match self.toks.get(self.i) {
            Some((_, pos)) => self.text.chars().skip(*pos).collect(),
            None => String::new(),
        };
        format!("{}: {msg} (error token is \"{rest}\")", self.text)
    }

    fn comma(&mut self, ev: bool) -> Result<i64, String> {
        let mut v = self.assign(ev)?;
        while self.is_op(",") {
            self.i += 1;
            v = self.assign(ev)?;
        }
        Ok(v)
    }

    fn assign(&mut self, ev: bool) -> Result<i64, String> {
        // NAME [index] op= expr
        if let Some(T::Name(n)) = self.peek().cloned() {
            let save = self.i;
            self.i += 1;
            let mut idx = None;
            if self.is_op("[") {
                self.i += 1;
                idx = Some(self.comma(ev)?);
                if !self.is_op("]") {
                    return Err(self.err("syntax error: invalid arithmetic operator"));
                }
                self.i += 1;
            }
            let op = match self.peek() {
                Some(T::Op(o))
                    if matches!(
                        *o,
                        "=" | "*=" | "/=" | "%=" | "+=" | "-=" | "<<=" | ">>=" | "&=" | "^=" | "|="
                    ) =>
                {
                    *o
                }
                _ => {
                    self.i = save;
                    return self.ternary(ev);
                }
            };
            self.i += 1;
            let rhs = self.assign(ev)?;
            if !ev {
                return Ok(0);
            }
            let v = if op == "=" {
                rhs
            } else {
                let cur = self.var(&n, idx)?;
                self.binop(&op[..op.len() - 1], cur, rhs)?
            };
            self.vars.set(&n, idx, v)?;
            return Ok(v);
        }
        self.ternary(ev)
    }

    fn ternary(&mut self, ev: bool) -> Result<i64, String> {
        let c = self.binary(0, ev)?;
        if !self.is_op("?") {
            return Ok(c);
        }
        self.i += 1;
        let a = self.assign(ev && c != 0)?;
        if !self.is_op(":") {
            return Err(self.err("syntax error in expression"));
        }
        self.i += 1;
        let b = self.assign(ev && c == 0)?;
        Ok(if c != 0 { a } else { b })
    }

    fn binary(&mut self, level: usize, ev: bool) -> Result<i64, String> {
        const LEVELS: &[&[&str]] = &[
            &["||"],
            &["&&"],
            &["|"],
            &["^"],
            &["&"],
            &["==", "!="],
            &["<", ">", "<=", ">="],
            &["<<", ">>"],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        if level >= LEVELS.len() {
            return self.power(ev);
        }
        let mut v = self.binary(level + 1, ev)?;
        loop {
            let op = match self.peek() {
                Some(T::Op(o)) if LEVELS[level].contains(o) => *o,
                _ => return Ok(v),
            };
            self.i += 1;
            if op == "||" || op == "&&" {
                let short = if op == "||" { v != 0 } else { v == 0 };
                let r = self.binary(level + 1, ev && !short)?;
                v = i64::from(if op == "||" {
                    v != 0 || r != 0
                } else {
                    v != 0 && r != 0
                });
                continue;
            }
            let r = self.binary(level + 1, ev)?;
            v = if ev { self.binop_at(op, v, r)? } else { 0 };
        }
    }

    fn power(&mut self, ev: bool) -> Result<i64, String> {
        let b = self.unary(ev)?;
        if self.is_op("**") {
            self.i += 1;
            let e = self.power(ev)?;
            if !ev {
                return Ok(0);
            }
            if e < 0 {
                return Err(self.err("exponent less than 0"));
            }
            return Ok(b.wrapping_pow(e.min(u32::MAX as i64) as u32));
        }
        Ok(b)
    }

    fn unary(&mut self, ev: bool) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > MAX_RECURSION {
            return Err(self.err("expression recursion level exceeded"));
        }
        let r = self.unary_inner(ev);
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self, ev: bool) -> Result<i64, String> {
        match self.peek().cloned() {
            Some(T::Op(o @ ("!" | "~" | "-" | "+"))) => {
                self.i += 1;
                let v = self.unary(ev)?;
                Ok(match o {
                    "!" => i64::from(v == 0),
                    "~" => !v,
                    "-" => v.wrapping_neg(),
                    _ => v,
                })
            }
            Some(T::Op(o @ ("++" | "--"))) => {
                self.i += 1;
                let Some(T::Name(n)) = self.peek().cloned() else {
                    return Err(self.err("syntax error: operand expected"));
                };
                self.i += 1;
                let idx = self.index(ev)?;
                if !ev {
                    return Ok(0);
                }
                let v = self
                    .var(&n, idx)?
                    .wrapping_add(if o == "++" { 1 } else { -1 });
                self.vars.set(&n, idx, v)?;
                Ok(v)
            }
            Some(T::Op("(")) => {
                self.i += 1;
                let v = self.comma(ev)?;
                if !self.is_op(")") {
                    return Err(self.err("syntax error: `)' expected"));
                }
                self.i += 1;
                Ok(v)
            }
            Some(T::Num(n)) => {
                self.i += 1;
                Ok(n)
            }
            Some(T::Name(n)) => {
                self.i += 1;
                let idx = self.index(ev)?;
                if let Some(T::Op(o @ ("++" | "--"))) = self.peek().cloned() {
                    self.i += 1;
                    if !ev {
                        return Ok(0);
                    }
                    let v = self.var(&n, idx)?;
                    self.vars
                        .set(&n, idx, v.wrapping_add(if o == "++" { 1 } else { -1 }))?;
                    return Ok(v);
                }
                if !ev {
                    return Ok(0);
                }
                self.var(&n, idx)
            }
            _ => Err(self.err("syntax error: operand expected")),
        }
    }

    fn index(&mut self, ev: bool) -> Result<Option<i64>, String> {
        if !self.is_op("[") {
            return Ok(None);
        }
        self.i += 1;
        let v = self.comma(ev)?;
        if !self.is_op("]") {
            return Err(self.err("syntax error: invalid arithmetic operator"));
        }
        self.i += 1;
        Ok(Some(v))
    }

    /// A variable's value as a number: its text evaluated as an expression.
    fn var(&mut self, name: &str, idx: Option<i64>) -> Result<i64, String> {
        let s = self.vars.get(name, idx)?;
        let t = s.trim();
        if t.is_empty() {
            return Ok(0);
        }
        if let Ok(v) = t.parse::<i64>() {
            return Ok(v);
        }
        eval_depth(t, self.vars, self.depth + 1)
    }

    fn binop_at(&self, op: &str, a: i64, b: i64) -> Result<i64, String> {
        self.binop(op, a, b)
    }

    fn binop(&self, op: &str, a: i64, b: i64) -> Result<i64, String> {
        Ok(match op {
            "+" => a.wrapping_add(b),
            "-" => a.wrapping_sub(b),
            "*" => a.wrapping_mul(b),
            "/" | "%" => {
                if b == 0 {
                    // the error token is the divisor's text
                    let rest: String = match self.toks.get(self.i.saturating_sub(1)) {
                        Some((_, pos)) => self.text.chars().skip(*pos).collect(),
                        None => String::new(),
                    };
                    return Err(format!(
                        "{}: division by 0 (error token is \"{rest}\")",
                        self.text
                    ));
                }
                if op == "/" {
                    a.wrapping_div(b)
                } else {
                    a.wrapping_rem(b)
                }
            }
            "<<" => a.wrapping_shl(b as u32),
            ">>" => a.wrapping_shr(b as u32),
            "<" => i64::from(a < b),
            ">" => i64::from(a > b),
            "<=" => i64::from(a <= b),
            ">=" => i64::from(a >= b),
            "==" => i64::from(a == b),
            "!=" => i64::from(a != b),
            "&" => a & b,
            "^" => a ^ b,
            "|" => a | b,
            _ => return Err(self.err("syntax error in expression")),
        })
    }
}

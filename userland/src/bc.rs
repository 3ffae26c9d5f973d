//! bc (GNU bc 1.07) for the arithmetic scripts pipe into it: numbers with their own scale,
//! `scale=`, `+ - * / % ^`, comparisons, `! && ||`, variables, `++`/`--`, `sqrt()`,
//! `length()`, `scale()`, `-l` (scale 20; `s c a l e` functions are not modelled), and the
//! printing rules (`.5`, trailing zeros kept).
//!
//! Hand-written on fixed-point `i128` (38 digits): numbers beyond that end in nslab's
//! not-modelled error instead of bc's arbitrary precision.

use crate::getopt::{Getopt, HasArg, LongOpt};
use crate::Ctx;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug)]
struct Num {
    m: i128,
    s: u32,
}

const TOO_BIG: &str = "nslab: bc numbers beyond 38 digits are not modelled yet";

fn pow10(n: u32) -> Result<i128, String> {
    10i128.checked_pow(n).ok_or_else(|| TOO_BIG.to_string())
}

impl Num {
    fn int(v: i128) -> Num {
        Num { m: v, s: 0 }
    }

    fn rescale(self, s: u32) -> Result<Num, String> {
        if s >= self.s {
            let m = self.m.checked_mul(pow10(s - self.s)?).ok_or(TOO_BIG)?;
            Ok(Num { m, s })
        } else {
            Ok(Num {
                m: self.m / pow10(self.s - s)?,
                s,
            })
        }
    }

    fn is_zero(self) -> bool {
        self.m == 0
    }

    fn cmp(self, o: Num) -> Result<std::cmp::Ordering, String> {
        let s = self.s.max(o.s);
        Ok(self.rescale(s)?.m.cmp(&o.rescale(s)?.m))
    }

    fn text(self) -> String {
        let neg = self.m < 0;
        let digits = self.m.unsigned_abs().to_string();
        let s = self.s as usize;
        let (int, frac) = if digits.len() > s {
            (
                digits[..digits.len() - s].to_string(),
                digits[digits.len() - s..].to_string(),
            )
        } else {
            (
                String::new(),
                format!("{}{digits}", "0".repeat(s - digits.len())),
            )
        };
        let int = int.trim_start_matches('0').to_string();
        if int.is_empty() && frac.chars().all(|c| c == '0') {
            return "0".into();
        }
        let mut t = String::new();
        if neg {
            t.push('-');
        }
        t.push_str(&int);
        if s > 0 {
            t.push('.');
            t.push_str(&frac);
        }
        // bc breaks lines longer than 70 characters with a backslash
        let mut out = String::new();
        let chars: Vec<char> = t.chars().collect();
        for (k, c) in chars.chunks(69).enumerate() {
            if k > 0 {
                out.push_str("\\\n");
            }
            out.extend(c);
        }
        out
    }
}

#[derive(Clone, Debug)]
enum E {
    Num(Num),
    Var(String),
    Assign(String, Option<char>, Box<E>),
    Bin(char, Box<E>, Box<E>),
    Cmp(&'static str, Box<E>, Box<E>),
    Neg(Box<E>),
    Not(Box<E>),
    And(Box<E>, Box<E>),
    Or(Box<E>, Box<E>),
    Incr(String, bool, i128),
    Call(String, Box<E>),
}

struct P {
    c: Vec<char>,
    i: usize,
}

impl P {
    fn ws(&mut self) {
        while self.i < self.c.len() && matches!(self.c[self.i], ' ' | '\t' | '\r') {
            self.i += 1;
        }
        if self.c.get(self.i) == Some(&'\\') && self.c.get(self.i + 1) == Some(&'\n') {
            self.i += 2;
            self.ws();
        }
        if self.c.get(self.i) == Some(&'/') && self.c.get(self.i + 1) == Some(&'*') {
            while self.i + 1 < self.c.len() && !(self.c[self.i] == '*' && self.c[self.i + 1] == '/')
            {
                self.i += 1;
            }
            self.i += 2;
            self.ws();
        }
        if self.c.get(self.i) == Some(&'#') {
            while self.i < self.c.len() && self.c[self.i] != '\n' {
                self.i += 1;
            }
        }
    }

    fn eat(&mut self, s: &str) -> bool {
        self.ws();
        let t: Vec<char> = s.chars().collect();
        if self.c[self.i.min(self.c.len())..].starts_with(&t) {
            // `=` must not be the start of `==`
            if s == "=" && self.c.get(self.i + 1) == Some(&'=') {
                return false;
            }
            if (s == "<" || s == ">" || s == "!") && self.c.get(self.i + 1) == Some(&'=') {
                return false;
            }
            self.i += t.len();
            return true;
        }
        false
    }

    fn name(&mut self) -> Option<String> {
        self.ws();
        let st = self.i;
        while self.i < self.c.len()
            && (self.c[self.i].is_ascii_lowercase()
                || self.c[self.i].is_ascii_digit()
                || self.c[self.i] == '_')
        {
            if self.i == st && !self.c[self.i].is_ascii_lowercase() {
                break;
            }
            self.i += 1;
        }
        (self.i > st).then(|| self.c[st..self.i].iter().collect())
    }

    fn expr(&mut self) -> Option<E> {
        // assignment
        let save = self.i;
        if let Some(n) = self.name() {
            for (op, k) in [
                ("=", None),
                ("+=", Some('+')),
                ("-=", Some('-')),
                ("*=", Some('*')),
                ("/=", Some('/')),
                ("%=", Some('%')),
                ("^=", Some('^')),
            ] {
                if self.eat(op) {
                    let r = self.expr()?;
                    return Some(E::Assign(n, k, Box::new(r)));
                }
            }
        }
        self.i = save;
        self.or()
    }

    fn or(&mut self) -> Option<E> {
        let mut l = self.and()?;
        while self.eat("||") {
            l = E::Or(Box::new(l), Box::new(self.and()?));
        }
        Some(l)
    }

    fn and(&mut self) -> Option<E> {
        let mut l = self.not()?;
        while self.eat("&&") {
            l = E::And(Box::new(l), Box::new(self.not()?));
        }
        Some(l)
    }

    fn not(&mut self) -> Option<E> {
        if self.eat("!") {
            return Some(E::Not(Box::new(self.not()?)));
        }
        self.rel()
    }

    fn rel(&mut self) -> Option<E> {
        let l = self.add()?;
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if self.eat(op) {
                let r = self.add()?;
                return Some(E::Cmp(op, Box::new(l), Box::new(r)));
            }
        }
        Some(l)
    }

    fn add(&mut self) -> Option<E> {
        let mut l = self.mul()?;
        loop {
            self.ws();
            let op = match self.c.get(self.i) {
                Some('+')
                    if self.c.get(self.i + 1) != Some(&'=')
                        && self.c.get(self.i + 1) != Some(&'+') =>
                {
                    '+'
                }
                Some('-')
                    if self.c.get(self.i + 1) != Some(&'=')
                        && self.c.get(self.i + 1) != Some(&'-') =>
                {
                    '-'
                }
                _ => return Some(l),
            };
            self.i += 1;
            l = E::Bin(op, Box::new(l), Box::new(self.mul()?));
        }
    }

    fn mul(&mut self) -> Option<E> {
        let mut l = self.pow()?;
        loop {
            self.ws();
            let op = match self.c.get(self.i) {
                Some(c @ ('*' | '/' | '%')) if self.c.get(self.i + 1) != Some(&'=') => *c,
                _ => return Some(l),
            };
            self.i += 1;
            l = E::Bin(op, Box::new(l), Box::new(self.pow()?));
        }
    }

    fn pow(&mut self) -> Option<E> {
        let b = self.unary()?;
        self.ws();
        if self.c.get(self.i) == Some(&'^') && self.c.get(self.i + 1) != Some(&'=') {
            self.i += 1;
            let e = self.pow()?;
            return Some(E::Bin('^', Box::new(b), Box::new(e)));
        }
        Some(b)
    }

    fn unary(&mut self) -> Option<E> {
        self.ws();
        if self.c.get(self.i) == Some(&'-') && self.c.get(self.i + 1) != Some(&'-') {
            self.i += 1;
            return Some(E::Neg(Box::new(self.unary()?)));
        }
        self.postfix()
    }

    fn postfix(&mut self) -> Option<E> {
        self.ws();
        for (op, d) in [("++", 1), ("--", -1)] {
            if self.eat(op) {
                let n = self.name()?;
                return Some(E::Incr(n, true, d));
            }
        }
        let c = *self.c.get(self.i)?;
        if c == '(' {
            self.i += 1;
            let e = self.expr()?;
            if !self.eat(")") {
                return None;
            }
            return Some(e);
        }
        if c.is_ascii_digit() || c == '.' || c.is_ascii_uppercase() {
            let st = self.i;
            while self.i < self.c.len()
                && (self.c[self.i].is_ascii_digit()
                    || self.c[self.i] == '.'
                    || self.c[self.i].is_ascii_uppercase())
            {
                self.i += 1;
            }
            let t: String = self.c[st..self.i].iter().collect();
            let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
            if frac.contains('.') {
                return None;
            }
            let digits = format!("{int}{frac}");
            // hex-digit letters in base 10 count as 9 (bc's quirk); not modelled beyond that
            let m: i128 = digits.chars().try_fold(0i128, |a, c| {
                a.checked_mul(10)?
                    .checked_add(i128::from(c.to_digit(16)?.min(9) as u8))
            })?;
            return Some(E::Num(Num {
                m,
                s: frac.len() as u32,
            }));
        }
        let n = self.name()?;
        self.ws();
        if self.c.get(self.i) == Some(&'(') {
            self.i += 1;
            let a = self.expr()?;
            if !self.eat(")") {
                return None;
            }
            return Some(E::Call(n, Box::new(a)));
        }
        for (op, d) in [("++", 1), ("--", -1)] {
            if self.eat(op) {
                return Some(E::Incr(n, false, d));
            }
        }
        Some(E::Var(n))
    }
}

/// Unsigned 256-bit integers (four 64-bit limbs, least significant first), enough for
/// `sqrt` at scale 20 of 38-digit numbers.
#[derive(Clone, Copy, PartialEq, Eq)]
struct U256([u64; 4]);

impl Ord for U256 {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0.iter().rev().cmp(o.0.iter().rev())
    }
}

impl PartialOrd for U256 {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl U256 {
    fn from(v: u128) -> U256 {
        U256([v as u64, (v >> 64) as u64, 0, 0])
    }

    fn mul_small(self, k: u64) -> Option<U256> {
        let mut out = [0u64; 4];
        let mut carry = 0u128;
        for (o, &l) in out.iter_mut().zip(self.0.iter()) {
            let t = u128::from(l) * u128::from(k) + carry;
            *o = t as u64;
            carry = t >> 64;
        }
        (carry == 0).then_some(U256(out))
    }

    fn square(r: u128) -> U256 {
        let l = [r as u64, (r >> 64) as u64];
        let mut out = [0u64; 4];
        for i in 0..2 {
            let mut carry = 0u128;
            for j in 0..2 {
                let t = u128::from(l[i]) * u128::from(l[j]) + u128::from(out[i + j]) + carry;
                out[i + j] = t as u64;
                carry = t >> 64;
            }
            let mut k = i + 2;
            while carry > 0 && k < 4 {
                let t = u128::from(out[k]) + carry;
                out[k] = t as u64;
                carry = t >> 64;
                k += 1;
            }
        }
        U256(out)
    }
}

struct Bc {
    vars: BTreeMap<String, Num>,
    scale: u32,
}

impl Bc {
    fn get(&self, n: &str) -> Num {
        if n == "scale" {
            return Num::int(i128::from(self.scale));
        }
        self.vars.get(n).copied().unwrap_or(Num::int(0))
    }

    fn set(&mut self, n: &str, v: Num) -> Result<(), String> {
        if n == "scale" {
            let s = v.rescale(0)?.m;
            if !(0..=38).contains(&s) {
                return Err(TOO_BIG.into());
            }
            self.scale = s as u32;
            return Ok(());
        }
        if n == "ibase" || n == "obase" {
            if v.rescale(0)?.m != 10 {
                return Err("nslab: bc ibase/obase other than 10 are not modelled yet".into());
            }
            return Ok(());
        }
        self.vars.insert(n.to_string(), v);
        Ok(())
    }

    fn bin(&self, op: char, a: Num, b: Num) -> Result<Num, String> {
        Ok(match op {
            '+' | '-' => {
                let s = a.s.max(b.s);
                let (x, y) = (a.rescale(s)?.m, b.rescale(s)?.m);
                let m = if op == '+' {
                    x.checked_add(y)
                } else {
                    x.checked_sub(y)
                }
                .ok_or(TOO_BIG)?;
                Num { m, s }
            }
            '*' => {
                let full = a.s + b.s;
                let s = full.min(self.scale.max(a.s).max(b.s));
                let m = a.m.checked_mul(b.m).ok_or(TOO_BIG)?;
                Num { m, s: full }.rescale(s)?
            }
            '/' => {
                if b.is_zero() {
                    return Err("Runtime error (func=(main), adr=3): Divide by zero".into());
                }
                let s = self.scale;
                // a / b at scale s: a.m * 10^(s + b.s - a.s) / b.m
                let shift = (s + b.s) as i64 - a.s as i64;
                let num = if shift >= 0 {
                    a.m.checked_mul(pow10(shift as u32)?).ok_or(TOO_BIG)?
                } else {
                    a.m / pow10((-shift) as u32)?
                };
                Num { m: num / b.m, s }
            }
            '%' => {
                if b.is_zero() {
                    return Err("Runtime error (func=(main), adr=3): Modulo by zero".into());
                }
                // a - (a / b) * b, the division at `scale`, the result at max(scale + b.s, a.s)
                let q = self.bin('/', a, b)?;
                let s = (self.scale + b.s).max(a.s);
                let qb = Num {
                    m: q.m.checked_mul(b.m).ok_or(TOO_BIG)?,
                    s: q.s + b.s,
                };
                let s2 = s.max(qb.s);
                let r = a
                    .rescale(s2)?
                    .m
                    .checked_sub(qb.rescale(s2)?.m)
                    .ok_or(TOO_BIG)?;
                Num { m: r, s: s2 }.rescale(s)?
            }
            _ => {
                let e = b.rescale(0)?.m;
                let mut r = Num::int(1);
                let n = e.unsigned_abs();
                if n > 10_000 {
                    return Err(TOO_BIG.into());
                }
                for _ in 0..n {
                    let full = r.s + a.s;
                    r = Num {
                        m: r.m.checked_mul(a.m).ok_or(TOO_BIG)?,
                        s: full,
                    };
                }
                if e < 0 {
                    return self.bin('/', Num::int(1), r);
                }
                let s = (a.s * n as u32).min(self.scale.max(a.s));
                r.rescale(s)?
            }
        })
    }

    fn eval(&mut self, e: &E) -> Result<Num, String> {
        Ok(match e {
            E::Num(n) => *n,
            E::Var(n) => self.get(n),
            E::Assign(n, op, r) => {
                let v = self.eval(r)?;
                let v = match op {
                    None => v,
                    Some(o) => self.bin(*o, self.get(n), v)?,
                };
                self.set(n, v)?;
                v
            }
            E::Bin(op, a, b) => {
                let (x, y) = (self.eval(a)?, self.eval(b)?);
                self.bin(*op, x, y)?
            }
            E::Cmp(op, a, b) => {
                let o = self.eval(a)?.cmp(self.eval(b)?)?;
                let t = match *op {
                    "==" => o.is_eq(),
                    "!=" => o.is_ne(),
                    "<" => o.is_lt(),
                    "<=" => o.is_le(),
                    ">" => o.is_gt(),
                    _ => o.is_ge(),
                };
                Num::int(i128::from(t))
            }
            E::Neg(a) => {
                let v = self.eval(a)?;
                Num { m: -v.m, s: v.s }
            }
            E::Not(a) => Num::int(i128::from(self.eval(a)?.is_zero())),
            E::And(a, b) => Num::int(i128::from(
                !self.eval(a)?.is_zero() && !self.eval(b)?.is_zero(),
            )),
            E::Or(a, b) => Num::int(i128::from(
                !self.eval(a)?.is_zero() || !self.eval(b)?.is_zero(),
            )),
            E::Incr(n, pre, d) => {
                let old = self.get(n);
                let new = self.bin('+', old, Num::int(*d))?;
                self.set(n, new)?;
                if *pre {
                    new
                } else {
                    old
                }
            }
            E::Call(f, a) => {
                let v = self.eval(a)?;
                match f.as_str() {
                    "sqrt" => {
                        if v.m < 0 {
                            return Err("Runtime error (func=(main), adr=4): Square root of a negative number".into());
                        }
                        let s = self.scale.max(v.s);
                        // floor(sqrt(v.m * 10^(2s - v.s))) in 256-bit arithmetic
                        let mut x = U256::from(v.m.unsigned_abs());
                        for _ in 0..(2 * s - v.s) {
                            x = x.mul_small(10).ok_or(TOO_BIG)?;
                        }
                        let (mut lo, mut hi) = (0u128, u128::MAX);
                        while lo < hi {
                            let mid = lo + (hi - lo) / 2 + 1;
                            if U256::square(mid) <= x {
                                lo = mid;
                            } else {
                                hi = mid - 1;
                            }
                        }
                        Num {
                            m: i128::try_from(lo).map_err(|_| TOO_BIG)?,
                            s,
                        }
                    }
                    "length" => {
                        let d =
                            v.m.unsigned_abs()
                                .to_string()
                                .trim_start_matches('0')
                                .len()
                                .max(v.s as usize);
                        Num::int(d.max(1) as i128)
                    }
                    "scale" => Num::int(i128::from(v.s)),
                    _ => return Err(format!("nslab: bc function {f}() is not modelled yet")),
                }
            }
        })
    }
}

pub fn bc(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("mathlib", HasArg::No, 'l'),
        LongOpt::new("quiet", HasArg::No, 'q'),
        LongOpt::new("standard", HasArg::No, 's'),
        LongOpt::new("warn", HasArg::No, 'w'),
    ];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "lqswi", LONGS);
    let mut bc = Bc {
        vars: BTreeMap::new(),
        scale: 0,
    };
    while let Some(r) = g.next() {
        match r {
            Ok(o) if o.opt == 'l' => bc.scale = 20,
            Ok(_) => {}
            Err(e) => {
                ctx.err(e.glibc_message("bc"));
                ctx.err("usage: bc [options] [file ...]\n");
                return 1;
            }
        }
    }
    let mut src = String::new();
    for f in g.into_operands() {
        match ctx.read_file(&f) {
            Ok(d) => src.push_str(&String::from_utf8_lossy(&d)),
            Err(e) => {
                ctx.err(format!("File {f} is unavailable.\n"));
                let _ = e;
                return 1;
            }
        }
    }
    src.push_str(&String::from_utf8_lossy(ctx.stdin));
    if crate::nesting(&src) > crate::MAX_NESTING {
        ctx.err("nslab: bc programs nested this deep are not modelled yet\n");
        return 127;
    }
    let mut p = P {
        c: src.chars().collect(),
        i: 0,
    };
    let mut line = 1;
    loop {
        p.ws();
        let Some(&c) = p.c.get(p.i) else { break };
        if c == '\n' || c == ';' {
            if c == '\n' {
                line += 1;
            }
            p.i += 1;
            continue;
        }
        if p.eat("quit") {
            break;
        }
        let st = p.i;
        let parsed = p.expr();
        p.ws();
        let ended = matches!(p.c.get(p.i), None | Some('\n') | Some(';'));
        let Some(e) = parsed.filter(|_| ended) else {
            // skip to the end of the line, as bc recovers
            let nl_before = p.c[st..p.i.min(p.c.len())]
                .iter()
                .filter(|&&c| c == '\n')
                .count();
            while p.i < p.c.len() && p.c[p.i] != '\n' {
                p.i += 1;
            }
            let at_eof = p.i >= p.c.len() || p.c[p.i..].iter().all(|c| c.is_whitespace());
            let l = line + nl_before + usize::from(at_eof && src.ends_with('\n'));
            ctx.err(format!("(standard_in) {l}: syntax error\n"));
            continue;
        };
        match bc.eval(&e) {
            Ok(v) => {
                if !matches!(e, E::Assign(..)) {
                    ctx.out(v.text() + "\n");
                }
            }
            Err(m) => {
                if m.starts_with("nslab:") {
                    ctx.err(m + "\n");
                    return 127;
                }
                ctx.err(m + "\n");
            }
        }
    }
    0
}

//! The bash language beyond simple commands: functions and `local`, arrays, parameter
//! operators, arithmetic, `[[ ]]`, `case`, `source`/`eval`, `read`, `getopts`, `trap`,
//! `declare` and friends. A second `impl Shell` block (a child module of `interp`, so it sees
//! the shell's state).

use super::super::arith;
use super::super::ast::*;
use super::super::parser;
use super::super::pattern;
use super::{Ctl, Dest, Io, Res, Shell};
use std::collections::BTreeMap;
use std::rc::Rc;

/// An array variable.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Arr {
    Indexed(BTreeMap<i64, String>),
    Assoc(BTreeMap<String, String>),
}

/// A function definition.
#[derive(Clone, Debug)]
pub(crate) struct Func {
    pub body: Rc<Command>,
    pub text: String,
    pub file: String,
}

/// Stack the interpreter may use (test threads have 2 MiB; a debug build's function call
/// takes about 11 KiB of it).
pub(crate) const STACK_BUDGET: usize = 1_500_000;

/// What a `local` saved, to restore when its function returns.
#[derive(Clone, Debug)]
pub(crate) struct Saved {
    name: String,
    scalar: Option<String>,
    array: Option<Arr>,
    exported: bool,
    readonly: bool,
}

/// How deep functions may call each other: bash has no limit of its own (FUNCNEST unset) and
/// crashes when its stack runs out; here the interpreter's recursion is bounded, with the
/// message bash prints when FUNCNEST is set.
pub(crate) const MAX_FUNC_DEPTH: usize = 100;

impl Shell<'_> {
    // ------------------------------------------------------------ variables

    /// A variable's value: a scalar, or element 0 of an array.
    pub(crate) fn get_var(&self, name: &str) -> Option<String> {
        if let Some(v) = self.vars.get(name) {
            return Some(v.clone());
        }
        match self.arrays.get(name)? {
            Arr::Indexed(m) => m.get(&0).cloned(),
            Arr::Assoc(m) => m.get("0").cloned(),
        }
    }

    /// Assigns a scalar (element 0 of an array variable); fails on a readonly variable.
    pub(crate) fn assign_var(&mut self, name: &str, value: String) -> Result<(), String> {
        if self.readonly.contains(name) {
            return Err(format!("{name}: readonly variable"));
        }
        match self.arrays.get_mut(name) {
            Some(Arr::Indexed(m)) => {
                m.insert(0, value);
            }
            Some(Arr::Assoc(m)) => {
                m.insert("0".into(), value);
            }
            None => {
                self.vars.insert(name.to_string(), value);
            }
        }
        Ok(())
    }

    fn array_index(&mut self, name: &str, idx: &str) -> Result<i64, String> {
        let mut v = arith::eval(idx, self)?;
        if v < 0 {
            let len = match self.arrays.get(name) {
                Some(Arr::Indexed(m)) => m.keys().next_back().map_or(0, |k| k + 1),
                _ => 0,
            };
            v += len;
            if v < 0 {
                return Err(format!("{name}[{idx}]: bad array subscript"));
            }
        }
        Ok(v)
    }

    fn set_element(
        &mut self,
        name: &str,
        idx: &str,
        value: String,
        append: bool,
    ) -> Result<(), String> {
        if self.readonly.contains(name) {
            return Err(format!("{name}: readonly variable"));
        }
        if !self.arrays.contains_key(name) {
            let mut m = BTreeMap::new();
            if let Some(v) = self.vars.remove(name) {
                m.insert(0, v);
            }
            self.arrays.insert(name.to_string(), Arr::Indexed(m));
        }
        let assoc = matches!(self.arrays.get(name), Some(Arr::Assoc(_)));
        if assoc {
            if let Some(Arr::Assoc(m)) = self.arrays.get_mut(name) {
                let e = m.entry(idx.to_string()).or_default();
                if append {
                    e.push_str(&value);
                } else {
                    *e = value;
                }
            }
            return Ok(());
        }
        let i = self.array_index(name, idx)?;
        if let Some(Arr::Indexed(m)) = self.arrays.get_mut(name) {
            let e = m.entry(i).or_default();
            if append {
                e.push_str(&value);
            } else {
                *e = value;
            }
        }
        Ok(())
    }

    /// Runs one assignment (`a=w`, `a+=w`, `a[i]=w`, `a=(...)`, `a+=(...)`).
    pub(crate) fn do_assign(&mut self, a: &Assign, err: Dest) -> Result<(), String> {
        match &a.value {
            AssignValue::Scalar(w) => {
                let v = self.expand_string(&w.parts, err)?;
                if let Some(idx) = &a.index {
                    let i = self.expand_string(&idx.parts, err)?;
                    return self.set_element(&a.name, &i, v, a.append);
                }
                if a.append {
                    if let Some(Arr::Indexed(m)) = self.arrays.get(&a.name) {
                        let cur = m.get(&0).cloned().unwrap_or_default();
                        return self.assign_var(&a.name, cur + &v);
                    }
                    let cur = self.get_var(&a.name).unwrap_or_default();
                    if self.integer.contains(&a.name) {
                        let n = arith::eval(&format!("{cur}+({v})"), self)?;
                        return self.assign_var(&a.name, n.to_string());
                    }
                    return self.assign_var(&a.name, cur + &v);
                }
                let v = if self.integer.contains(&a.name) {
                    arith::eval(&v, self)?.to_string()
                } else {
                    v
                };
                self.assign_var(&a.name, v)
            }
            AssignValue::Array(items) => {
                if self.readonly.contains(&a.name) {
                    return Err(format!("{}: readonly variable", a.name));
                }
                let assoc = matches!(self.arrays.get(&a.name), Some(Arr::Assoc(_)));
                let mut vals: Vec<(Option<String>, String)> = Vec::new();
                for (k, v) in items {
                    let key = match k {
                        Some(k) => Some(self.expand_string(&k.parts, err)?),
                        None => None,
                    };
                    if key.is_some() || assoc {
                        vals.push((key, self.expand_string(&v.parts, err)?));
                    } else {
                        for f in self.expand_word(v, err)? {
                            vals.push((None, f));
                        }
                    }
                }
                self.vars.remove(&a.name);
                if assoc {
                    let mut m = match (a.append, self.arrays.remove(&a.name)) {
                        (true, Some(Arr::Assoc(m))) => m,
                        _ => BTreeMap::new(),
                    };
                    for (k, v) in vals {
                        m.insert(k.unwrap_or_default(), v);
                    }
                    self.arrays.insert(a.name.clone(), Arr::Assoc(m));
                } else {
                    let mut m = match (a.append, self.arrays.remove(&a.name)) {
                        (true, Some(Arr::Indexed(m))) => m,
                        _ => BTreeMap::new(),
                    };
                    let mut next = m.keys().next_back().map_or(0, |k| k + 1);
                    self.arrays
                        .insert(a.name.clone(), Arr::Indexed(BTreeMap::new()));
                    for (k, v) in vals {
                        let i = match k {
                            Some(k) => self.array_index(&a.name, &k)?,
                            None => next,
                        };
                        m.insert(i, v);
                        next = i + 1;
                    }
                    self.arrays.insert(a.name.clone(), Arr::Indexed(m));
                }
                Ok(())
            }
        }
    }

    /// `FUNCNAME` and `BASH_SOURCE` as bash keeps them (innermost first, `main` and the
    /// script at the bottom); `None` for other names.
    fn call_stack_array(&self, name: &str) -> Option<Vec<String>> {
        if self.vars.contains_key(name) || self.arrays.contains_key(name) {
            return None;
        }
        let top_file = self
            .source_stack
            .first()
            .cloned()
            .unwrap_or_else(|| self.file.clone());
        match name {
            "FUNCNAME" if self.funcname.is_empty() => Some(Vec::new()),
            "FUNCNAME" => Some(
                self.funcname
                    .iter()
                    .rev()
                    .cloned()
                    .chain(std::iter::once("main".to_string()))
                    .collect(),
            ),
            "BASH_SOURCE" if self.funcname.is_empty() => {
                Some(vec![self.source_stack.last().cloned().unwrap_or(top_file)])
            }
            "BASH_SOURCE" => Some(
                self.func_files
                    .iter()
                    .rev()
                    .cloned()
                    .chain(std::iter::once(top_file))
                    .collect(),
            ),
            _ => None,
        }
    }

    /// The values of `name[idx]` for `@`/`*` (all elements) or one element.
    fn array_values(&mut self, name: &str, idx: &str) -> Result<Vec<String>, String> {
        if let Some(v) = self.call_stack_array(name) {
            if idx == "@" || idx == "*" {
                return Ok(v);
            }
            let i = arith::eval(idx, self)?;
            return Ok(usize::try_from(i)
                .ok()
                .and_then(|i| v.get(i).cloned())
                .into_iter()
                .collect());
        }
        if idx == "@" || idx == "*" {
            if name == "@" || name == "*" {
                return Ok(self.positional.iter().skip(1).cloned().collect());
            }
            return Ok(match self.arrays.get(name) {
                Some(Arr::Indexed(m)) => m.values().cloned().collect(),
                Some(Arr::Assoc(m)) => m.values().cloned().collect(),
                None => self.special_or_var(name)?.into_iter().collect(),
            });
        }
        match self.arrays.get(name) {
            Some(Arr::Assoc(m)) => Ok(m.get(idx).cloned().into_iter().collect()),
            Some(Arr::Indexed(_)) => {
                let i = self.array_index(name, idx)?;
                match self.arrays.get(name) {
                    Some(Arr::Indexed(m)) => Ok(m.get(&i).cloned().into_iter().collect()),
                    _ => Ok(Vec::new()),
                }
            }
            None => {
                let i = arith::eval(idx, self)?;
                Ok(if i == 0 {
                    self.special_or_var(name)?.into_iter().collect()
                } else {
                    Vec::new()
                })
            }
        }
    }

    fn array_keys(&self, name: &str) -> Vec<String> {
        match self.arrays.get(name) {
            Some(Arr::Indexed(m)) => m.keys().map(|k| k.to_string()).collect(),
            Some(Arr::Assoc(m)) => m.keys().cloned().collect(),
            None => self
                .get_var(name)
                .map(|_| vec!["0".to_string()])
                .unwrap_or_default(),
        }
    }

    fn special_or_var(&mut self, name: &str) -> Result<Option<String>, String> {
        let saved = self.nounset;
        self.nounset = false;
        let r = self.param(name);
        self.nounset = saved;
        r
    }

    // ------------------------------------------------------------ parameter expansion

    /// `${...}` with an operator: its values (several for `${a[@]}`, `${!a[@]}`). `quoted`:
    /// inside double quotes.
    pub(crate) fn expand_param(&mut self, e: &ParamExp, err: Dest) -> Result<Vec<String>, String> {
        let idx = match &e.index {
            Some(p) => Some(self.expand_string(p, err)?),
            None => None,
        };
        let all = matches!(idx.as_deref(), Some("@" | "*"))
            || (e.index.is_none() && matches!(e.name.as_str(), "@" | "*"));
        // ${!a[@]}: the keys; ${!x}: indirection
        if e.indirect {
            if let Some(i) = idx.as_deref() {
                if i == "@" || i == "*" {
                    return Ok(self.array_keys(&e.name));
                }
            }
            let target = self.special_or_var(&e.name)?.unwrap_or_default();
            if target.is_empty() {
                return Err(format!("{}: invalid indirect expansion", e.name));
            }
            let inner = ParamExp {
                name: target.clone(),
                index: None,
                length: e.length,
                indirect: false,
                op: e.op.clone(),
            };
            // `${!x}` where x is `a[1]`
            if let Some((n, i)) = target.strip_suffix(']').and_then(|t| t.split_once('[')) {
                let inner = ParamExp {
                    name: n.to_string(),
                    index: Some(vec![WordPart::Lit(i.to_string())]),
                    ..inner
                };
                return self.expand_param(&inner, err);
            }
            return self.expand_param(&inner, err);
        }
        let vals: Vec<String> = match &idx {
            Some(i) => self.array_values(&e.name, i)?,
            None if all => self.positional.iter().skip(1).cloned().collect(),
            None => {
                let check = !matches!(e.op, ParamOp::Test { .. });
                let v = if check {
                    self.param(&e.name)?
                } else {
                    self.special_or_var(&e.name)?
                };
                v.into_iter().collect()
            }
        };
        if e.length {
            if all {
                return Ok(vec![vals.len().to_string()]);
            }
            return Ok(vec![vals
                .first()
                .map_or(0, |v| v.chars().count())
                .to_string()]);
        }
        let set = !vals.is_empty();
        match &e.op {
            ParamOp::None => Ok(if all { vals } else { vec![vals.concat()] }),
            ParamOp::Test { colon, kind, word } => {
                let null = !set
                    || (*colon && vals.iter().all(String::is_empty) && (!all || vals.len() <= 1));
                let empty = if *colon { null } else { !set };
                match kind {
                    '-' => {
                        if empty {
                            Ok(vec![self.expand_string(word, err)?])
                        } else {
                            Ok(if all { vals } else { vec![vals.concat()] })
                        }
                    }
                    '=' => {
                        if empty {
                            let w = self.expand_string(word, err)?;
                            match &idx {
                                Some(i) => self.set_element(&e.name, i, w.clone(), false)?,
                                None => {
                                    if !super::valid_name(&e.name) {
                                        return Err(format!(
                                            "${}: cannot assign in this way",
                                            e.name
                                        ));
                                    }
                                    self.assign_var(&e.name, w.clone())?
                                }
                            }
                            Ok(vec![w])
                        } else {
                            Ok(vec![vals.concat()])
                        }
                    }
                    '?' => {
                        if empty {
                            let w = self.expand_string(word, err)?;
                            let m = if w.is_empty() {
                                "parameter null or not set".to_string()
                            } else {
                                w
                            };
                            Err(format!("{}: {m}", e.name))
                        } else {
                            Ok(vec![vals.concat()])
                        }
                    }
                    _ => {
                        if empty {
                            Ok(vec![String::new()])
                        } else {
                            Ok(vec![self.expand_string(word, err)?])
                        }
                    }
                }
            }
            ParamOp::Trim {
                suffix,
                longest,
                pattern,
            } => {
                let p = self.expand_pattern(pattern, err)?;
                let out: Vec<String> = vals
                    .iter()
                    .map(|v| pattern::trim(v, &p, *suffix, *longest))
                    .collect();
                Ok(if all { out } else { vec![out.concat()] })
            }
            ParamOp::Replace {
                mode,
                pattern: pat,
                with,
            } => {
                let p = self.expand_pattern(pat, err)?;
                let w = self.expand_string(with, err)?;
                let out: Vec<String> = vals
                    .iter()
                    .map(|v| pattern::replace(v, &p, &w, *mode))
                    .collect();
                Ok(if all { out } else { vec![out.concat()] })
            }
            ParamOp::Case { upper, all: every } => {
                let conv = |s: &str| -> String {
                    let mut out = String::new();
                    for (i, c) in s.chars().enumerate() {
                        if i == 0 || *every {
                            if *upper {
                                out.extend(c.to_uppercase());
                            } else {
                                out.extend(c.to_lowercase());
                            }
                        } else {
                            out.push(c);
                        }
                    }
                    out
                };
                let out: Vec<String> = vals.iter().map(|v| conv(v)).collect();
                Ok(if all { out } else { vec![out.concat()] })
            }
            ParamOp::Substr { offset, length } => {
                let o = self.expand_string(offset, err)?;
                let o = arith::eval(&o, self)?;
                let l = match length {
                    Some(l) => {
                        let t = self.expand_string(l, err)?;
                        Some(arith::eval(&t, self)?)
                    }
                    None => None,
                };
                if all {
                    let n = vals.len() as i64;
                    let start = if o < 0 { (n + o).max(0) } else { o.min(n) };
                    let end = match l {
                        Some(l) if l < 0 => return Err(format!("{l}: substring expression < 0")),
                        Some(l) => (start + l).min(n),
                        None => n,
                    };
                    return Ok(vals[start as usize..end as usize].to_vec());
                }
                let s: Vec<char> = vals.concat().chars().collect();
                let n = s.len() as i64;
                let start = if o < 0 { n + o } else { o };
                if start < 0 || start > n {
                    return Ok(vec![String::new()]);
                }
                let end = match l {
                    Some(l) if l < 0 => {
                        let e = n + l;
                        if e < start {
                            return Err(format!("{l}: substring expression < 0"));
                        }
                        e
                    }
                    Some(l) => (start + l).min(n),
                    None => n,
                };
                Ok(vec![s[start as usize..end as usize].iter().collect()])
            }
            ParamOp::Transform(t) => {
                let f = |v: &str| -> String {
                    match t {
                        'Q' => quote_q(v),
                        'U' => v.to_uppercase(),
                        'L' => v.to_lowercase(),
                        'E' => parser::ansi_c(v),
                        _ => v.to_string(),
                    }
                };
                let out: Vec<String> = vals.iter().map(|v| f(v)).collect();
                Ok(if all { out } else { vec![out.join(" ")] })
            }
        }
    }

    /// Expands a pattern: quoted characters escaped, unquoted ones active.
    pub(crate) fn expand_pattern(
        &mut self,
        parts: &[WordPart],
        err: Dest,
    ) -> Result<String, String> {
        let mut s = String::new();
        for p in parts {
            match p {
                WordPart::Lit(t) => s.push_str(t),
                WordPart::Quoted(t) => s.push_str(&pattern::escape(t)),
                WordPart::DQuoted(ps) => {
                    let v = self.expand_string(ps, err)?;
                    s.push_str(&pattern::escape(&v));
                }
                p => {
                    let v = self.expand_string(std::slice::from_ref(p), err)?;
                    s.push_str(&v);
                }
            }
        }
        Ok(s)
    }

    /// `$(( ))`.
    pub(crate) fn arith_expand(&mut self, parts: &[WordPart], err: Dest) -> Result<String, String> {
        let text = self.expand_string(parts, err)?;
        arith::eval(&text, self)
            .map(|v| v.to_string())
            .map_err(|m| format!("{}{m}", super::ABORT_MARK))
    }

    // ------------------------------------------------------------ compound commands

    /// `(( expr ))`: status 0 when the value is not 0; errors as bash (status 1).
    pub(crate) fn arith_command(&mut self, parts: &[WordPart], line: u32, io: &Io) -> Res {
        self.line = line;
        let r = self.arith_expand(parts, io.err);
        if self.xtrace {
            let t = format!(
                "{} (( {} ))\n",
                "+".repeat(self.subst_depth + 1),
                self.expand_string(parts, io.err).unwrap_or_default()
            );
            self.write_err(io.err, t.as_bytes());
        }
        match r {
            Ok(v) => Ok(i32::from(v == "0")),
            Err(m) => {
                let m = m.trim_start_matches(super::ABORT_MARK);
                self.error(io.err, &format!("((: {m}"));
                Ok(1)
            }
        }
    }

    pub(crate) fn for_arith(
        &mut self,
        init: &[WordPart],
        cond: &[WordPart],
        step: &[WordPart],
        body: &List,
        line: u32,
        io: &Io,
    ) -> Res {
        self.line = line;
        let eval = |sh: &mut Self, p: &[WordPart]| -> Result<i64, String> {
            let t = sh.expand_string(p, io.err)?;
            if t.trim().is_empty() {
                return Ok(1);
            }
            sh.trace(io.err, &format!("(( {} ))", t.trim()));
            arith::eval(&t, sh)
        };
        if let Err(m) = eval(self, init) {
            self.error(io.err, &m);
            return Ok(1);
        }
        let mut status = 0;
        self.loop_depth += 1;
        let mut result = Ok(());
        loop {
            match eval(self, cond) {
                Ok(0) => break,
                Ok(_) => {}
                Err(m) => {
                    self.error(io.err, &m);
                    status = 1;
                    break;
                }
            }
            if self.loop_body(body, io, &mut status, &mut result) {
                break;
            }
            if let Err(m) = eval(self, step) {
                self.error(io.err, &m);
                status = 1;
                break;
            }
        }
        self.loop_depth -= 1;
        result?;
        self.status = status;
        Ok(status)
    }

    pub(crate) fn case_command(&mut self, word: &Word, arms: &[CaseArm], io: &Io) -> Res {
        let w = match self.expand_string(&word.parts, io.err) {
            Ok(w) => w,
            Err(m) => return self.expansion_failed_pub(&m, io),
        };
        self.trace(io.err, &format!("case {} in", super::xtrace_quote(&w)));
        let mut status = 0;
        let mut i = 0;
        let mut run_next = false;
        while i < arms.len() {
            let arm = &arms[i];
            let mut hit = run_next;
            if !hit {
                for p in &arm.patterns {
                    let pat = match self.expand_pattern(&p.parts, io.err) {
                        Ok(p) => p,
                        Err(m) => return self.expansion_failed_pub(&m, io),
                    };
                    if pattern::matches(&pat, &w) {
                        hit = true;
                        break;
                    }
                }
            }
            if hit {
                status = self.exec_list(&arm.body, io)?;
                if arm.fallthrough {
                    run_next = true;
                    i += 1;
                    continue;
                }
                if !arm.test_next {
                    break;
                }
            }
            run_next = false;
            i += 1;
        }
        self.status = status;
        Ok(status)
    }

    /// `[[ expr ]]`.
    pub(crate) fn cond_command(&mut self, e: &CondExpr, line: u32, io: &Io) -> Res {
        self.line = line;
        if self.xtrace {
            let t = self.cond_trace(e, io);
            self.trace(io.err, &format!("[[ {t} ]]"));
        }
        match self.cond_eval(e, io) {
            Ok(b) => Ok(i32::from(!b)),
            Err(Some(m)) => {
                let m = m.trim_start_matches(super::ABORT_MARK);
                if m.contains("(error token is") {
                    self.error(io.err, &format!("[[: {m}"));
                    return Ok(1);
                }
                self.error(io.err, m);
                Ok(2)
            }
            Err(None) => Ok(2),
        }
    }

    /// `[[ ... ]]` as xtrace prints it: operands expanded.
    fn cond_trace(&mut self, e: &CondExpr, io: &Io) -> String {
        let w = |sh: &mut Self, w: &Word| {
            super::xtrace_quote(&sh.expand_string(&w.parts, io.err).unwrap_or_default())
        };
        match e {
            CondExpr::Not(a) => format!("! {}", self.cond_trace(a, io)),
            CondExpr::And(a, b) => {
                format!("{} && {}", self.cond_trace(a, io), self.cond_trace(b, io))
            }
            CondExpr::Or(a, b) => {
                format!("{} || {}", self.cond_trace(a, io), self.cond_trace(b, io))
            }
            CondExpr::Word(x) => w(self, x),
            CondExpr::Unary(op, x) => format!("{op} {}", w(self, x)),
            CondExpr::Binary(a, op, b) => format!("{} {op} {}", w(self, a), w(self, b)),
            CondExpr::Regex(a, b) => format!("{} =~ {}", w(self, a), w(self, b)),
        }
    }

    fn cond_word(&mut self, w: &Word, io: &Io) -> Result<String, Option<String>> {
        self.expand_string(&w.parts, io.err).map_err(Some)
    }

    fn cond_eval(&mut self, e: &CondExpr, io: &Io) -> Result<bool, Option<String>> {
        Ok(match e {
            CondExpr::Not(a) => !self.cond_eval(a, io)?,
            CondExpr::And(a, b) => self.cond_eval(a, io)? && self.cond_eval(b, io)?,
            CondExpr::Or(a, b) => self.cond_eval(a, io)? || self.cond_eval(b, io)?,
            CondExpr::Word(w) => !self.cond_word(w, io)?.is_empty(),
            CondExpr::Unary(op, w) => {
                let v = self.cond_word(w, io)?;
                match op.as_str() {
                    "-n" => !v.is_empty(),
                    "-z" => v.is_empty(),
                    "-v" => self.get_var(&v).is_some() || self.arrays.contains_key(&v),
                    "-o" => match v.as_str() {
                        "errexit" => self.errexit,
                        "nounset" => self.nounset,
                        "xtrace" => self.xtrace,
                        "pipefail" => self.pipefail,
                        _ => false,
                    },
                    "-t" => false,
                    op => self.file_test(op, &v),
                }
            }
            CondExpr::Binary(a, op, b) => {
                let l = self.cond_word(a, io)?;
                match op.as_str() {
                    "==" | "=" | "!=" => {
                        let p = self.expand_pattern(&b.parts, io.err).map_err(Some)?;
                        let m = pattern::matches(&p, &l);
                        if op == "!=" {
                            !m
                        } else {
                            m
                        }
                    }
                    "<" => l < self.cond_word(b, io)?,
                    ">" => l > self.cond_word(b, io)?,
                    "-nt" | "-ot" | "-ef" => false,
                    _ => {
                        let r = self.cond_word(b, io)?;
                        let x = arith::eval(&l, self).map_err(Some)?;
                        let y = arith::eval(&r, self).map_err(Some)?;
                        match op.as_str() {
                            "-eq" => x == y,
                            "-ne" => x != y,
                            "-lt" => x < y,
                            "-le" => x <= y,
                            "-gt" => x > y,
                            _ => x >= y,
                        }
                    }
                }
            }
            CondExpr::Regex(a, re) => {
                let l = self.cond_word(a, io)?;
                let mut pat = String::new();
                for p in &re.parts {
                    match p {
                        WordPart::Lit(t) => pat.push_str(t),
                        WordPart::Quoted(t) => pat.push_str(&regex::escape(t)),
                        WordPart::DQuoted(ps) => {
                            let v = self.expand_string(ps, io.err).map_err(Some)?;
                            pat.push_str(&regex::escape(&v));
                        }
                        p => {
                            let v = self
                                .expand_string(std::slice::from_ref(p), io.err)
                                .map_err(Some)?;
                            pat.push_str(&v);
                        }
                    }
                }
                // POSIX ERE through the regex crate (leftmost-first, not leftmost-longest:
                // alternations whose first branch is a prefix of a later one differ)
                let Ok(rx) = regex::Regex::new(&pat) else {
                    return Err(None);
                };
                match rx.captures(&l) {
                    Some(c) => {
                        let mut m = BTreeMap::new();
                        for (i, g) in c.iter().enumerate() {
                            m.insert(
                                i as i64,
                                g.map(|g| g.as_str().to_string()).unwrap_or_default(),
                            );
                        }
                        self.vars.remove("BASH_REMATCH");
                        self.arrays.insert("BASH_REMATCH".into(), Arr::Indexed(m));
                        true
                    }
                    None => {
                        self.arrays
                            .insert("BASH_REMATCH".into(), Arr::Indexed(BTreeMap::new()));
                        false
                    }
                }
            }
        })
    }

    /// `-f`, `-d`, `-e`, `-x`, ... on the lab's files (programs of the table are executable
    /// files at their `command -v` path).
    pub(crate) fn file_test(&mut self, op: &str, path: &str) -> bool {
        if path.is_empty() {
            return false;
        }
        let abs = userland::abs_path(&self.pwd, path);
        let is_dir = abs == self.pwd
            || matches!(abs.as_str(), "/" | "/proc" | "/proc/sys" | "/dev")
            || self.host.read_dir(&abs).is_some();
        let program = program_file(&abs);
        let file = !is_dir && (program || self.read_path(path).is_ok());
        match op {
            "-d" => is_dir,
            "-f" => file,
            "-e" | "-a" => is_dir || file,
            "-s" => file && (program || self.read_path(path).is_ok_and(|d| !d.is_empty())),
            "-r" | "-w" => is_dir || file,
            "-x" => is_dir || program,
            _ => false,
        }
    }

    // ------------------------------------------------------------ functions

    /// A safety net under the nesting limits: has the interpreter used more than
    /// [`STACK_BUDGET`] bytes of stack since the shell started (measured by the address of a
    /// local)? Deep recursion then fails like the nesting limits instead of overflowing.
    pub(crate) fn stack_exhausted(&self) -> bool {
        let here = 0u8;
        let addr = std::ptr::addr_of!(here) as usize;
        self.stack_base.saturating_sub(addr) > STACK_BUDGET
    }

    pub(crate) fn define_function(&mut self, name: &str, body: &Rc<Command>, text: &str) {
        let f = Func {
            body: body.clone(),
            text: text.to_string(),
            file: self
                .source_stack
                .last()
                .cloned()
                .unwrap_or_else(|| self.file.clone()),
        };
        self.funcs.insert(name.to_string(), Rc::new(f));
    }

    pub(crate) fn call_function(&mut self, f: Rc<Func>, argv: &[String], io: &Io) -> Res {
        if self.funcname.len() >= MAX_FUNC_DEPTH || self.stack_exhausted() {
            let m = format!(
                "{}: maximum function nesting level exceeded ({MAX_FUNC_DEPTH})",
                argv[0]
            );
            self.error(io.err, &m);
            self.status = 1;
            return Err(Ctl::Abort(1));
        }
        let mut pos = vec![self.positional[0].clone()];
        pos.extend(argv[1..].iter().cloned());
        let saved_pos = std::mem::replace(&mut self.positional, pos);
        self.local_frames.push(Vec::new());
        self.funcname.push(argv[0].clone());
        self.func_files.push(f.file.clone());
        self.file_stack.push(f.file.clone());
        let saved_loop = self.loop_depth;
        self.loop_depth = 0;
        let r = self.exec_command(&f.body, io);
        self.loop_depth = saved_loop;
        self.func_files.pop();
        self.file_stack.pop();
        self.funcname.pop();
        if let Some(frame) = self.local_frames.pop() {
            for s in frame.into_iter().rev() {
                self.vars.remove(&s.name);
                self.arrays.remove(&s.name);
                if let Some(v) = s.scalar {
                    self.vars.insert(s.name.clone(), v);
                }
                if let Some(a) = s.array {
                    self.arrays.insert(s.name.clone(), a);
                }
                if s.readonly {
                    self.readonly.insert(s.name.clone());
                } else {
                    self.readonly.remove(&s.name);
                }
                if s.exported {
                    self.exported.insert(s.name);
                } else {
                    self.exported.remove(&s.name);
                }
            }
        }
        self.positional = saved_pos;
        match r {
            Err(Ctl::Return(n)) => {
                self.status = n;
                Ok(n)
            }
            Err(Ctl::Break(_)) | Err(Ctl::Continue(_)) => Ok(0),
            r => r,
        }
    }

    fn save_local(&mut self, name: &str) {
        let Some(frame) = self.local_frames.last() else {
            return;
        };
        if frame.iter().any(|s| s.name == name) {
            return;
        }
        let s = Saved {
            name: name.to_string(),
            scalar: self.vars.get(name).cloned(),
            array: self.arrays.get(name).cloned(),
            exported: self.exported.contains(name),
            readonly: self.readonly.contains(name),
        };
        if let Some(frame) = self.local_frames.last_mut() {
            frame.push(s);
        }
    }

    // ------------------------------------------------------------ declaration builtins

    /// `local`, `declare`/`typeset`, `readonly`, `export` with their words (assignments kept
    /// whole).
    pub(crate) fn declaration(&mut self, cmd: &SimpleCmd, io: &Io) -> Res {
        let name = cmd.words[0].as_plain().unwrap_or("").to_string();
        if name == "local" && self.local_frames.is_empty() {
            self.error(io.err, "local: can only be used in a function");
            return Ok(1);
        }
        let mut flags: Vec<(char, bool)> = Vec::new();
        let mut items: Vec<Result<Assign, String>> = Vec::new();
        let mut print = false;
        let mut funcs = false;
        for w in &cmd.words[1..] {
            if let [WordPart::AssignWord(a, _)] = w.parts.as_slice() {
                items.push(Ok((**a).clone()));
                continue;
            }
            let fields = match self.expand_word(w, io.err) {
                Ok(f) => f,
                Err(m) => return self.expansion_failed_pub(&m, io),
            };
            for f in fields {
                if items.is_empty() && (f.starts_with('-') || f.starts_with('+')) && f.len() > 1 {
                    let on = f.starts_with('-');
                    for c in f[1..].chars() {
                        match c {
                            'p' => print = true,
                            'f' | 'F' => funcs = true,
                            c => flags.push((c, on)),
                        }
                    }
                    continue;
                }
                // `declare x=1` built by an expansion: an assignment too
                match f.split_once('=') {
                    Some((n, v)) => items.push(Ok(Assign {
                        name: n.trim_end_matches('+').to_string(),
                        index: None,
                        append: n.ends_with('+'),
                        value: AssignValue::Scalar(Word::one(WordPart::Quoted(v.to_string()))),
                    })),
                    None => items.push(Err(f)),
                }
            }
        }
        let has = |c: char| flags.iter().any(|(x, on)| *x == c && *on);
        let global = has('g');
        let is_local = name == "local"
            || ((name == "declare" || name == "typeset")
                && !global
                && !self.local_frames.is_empty());
        let export = name == "export" || has('x');
        let readonly = name == "readonly" || has('r');
        if funcs {
            let mut st = 0;
            let names: Vec<String> = items
                .iter()
                .map(|i| match i {
                    Ok(a) => a.name.clone(),
                    Err(n) => n.clone(),
                })
                .collect();
            if name == "export" || has('x') {
                // `export -f f`: the function is passed to child shells (`bash -c`)
                let mut st = 0;
                for n in names {
                    if self.funcs.contains_key(&n) {
                        self.exported_funcs.insert(n);
                    } else {
                        self.error(io.err, &format!("{name}: {n}: not a function"));
                        st = 1;
                    }
                }
                return Ok(st);
            }
            for n in names {
                match self.funcs.get(&n) {
                    Some(f) => {
                        if !print || has('F') {
                            let t = format!("{}\n", f.text);
                            self.write(io.out, t.as_bytes());
                        }
                    }
                    None => st = 1,
                }
            }
            return Ok(st);
        }
        if items.is_empty() || print {
            return Ok(self.print_declared(&name, &items, io));
        }
        let mut status = 0;
        for it in items {
            let (n, assign) = match it {
                Ok(a) => (a.name.clone(), Some(a)),
                Err(n) => (n, None),
            };
            if !super::valid_name(&n) {
                self.error(io.err, &format!("{name}: `{n}': not a valid identifier"));
                status = 1;
                continue;
            }
            if is_local {
                self.save_local(&n);
                if assign.is_none() && !has('a') && !has('A') {
                    // `local x`: declared, no value (a value of an outer x is hidden)
                    if !export && !readonly {
                        self.vars.remove(&n);
                        self.arrays.remove(&n);
                    }
                }
            }
            if has('A') && !matches!(self.arrays.get(&n), Some(Arr::Assoc(_))) {
                self.vars.remove(&n);
                self.arrays.insert(n.clone(), Arr::Assoc(BTreeMap::new()));
            } else if has('a') && !self.arrays.contains_key(&n) {
                let mut m = BTreeMap::new();
                if let Some(v) = self.vars.remove(&n) {
                    m.insert(0, v);
                }
                self.arrays.insert(n.clone(), Arr::Indexed(m));
            }
            if has('i') {
                self.integer.insert(n.clone());
            }
            if let Some(a) = assign {
                if let Err(m) = self.do_assign(&a, io.err) {
                    self.error(io.err, &m);
                    status = 1;
                    continue;
                }
            }
            if export {
                self.exported.insert(n.clone());
            }
            if flags.iter().any(|(c, on)| *c == 'x' && !on) {
                self.exported.remove(&n);
            }
            if readonly {
                self.readonly.insert(n.clone());
            }
        }
        Ok(status)
    }

    fn print_declared(&mut self, name: &str, items: &[Result<Assign, String>], io: &Io) -> i32 {
        let names: Vec<String> = if items.is_empty() {
            let mut v: Vec<String> = match name {
                "export" => self.exported.iter().cloned().collect(),
                "readonly" => self.readonly.iter().cloned().collect(),
                _ => self
                    .vars
                    .keys()
                    .chain(self.arrays.keys())
                    .cloned()
                    .collect(),
            };
            v.sort();
            v.dedup();
            v
        } else {
            items
                .iter()
                .map(|i| match i {
                    Ok(a) => a.name.clone(),
                    Err(n) => n.clone(),
                })
                .collect()
        };
        let mut st = 0;
        let mut out = String::new();
        for n in names {
            let mut f = String::new();
            match self.arrays.get(&n) {
                Some(Arr::Indexed(_)) => f.push('a'),
                Some(Arr::Assoc(_)) => f.push('A'),
                None => {}
            }
            if self.integer.contains(&n) {
                f.push('i');
            }
            if self.readonly.contains(&n) {
                f.push('r');
            }
            if self.exported.contains(&n) {
                f.push('x');
            }
            if f.is_empty() {
                f.push('-');
            }
            let val = match self.arrays.get(&n) {
                Some(Arr::Indexed(m)) => Some(format!(
                    "({})",
                    m.iter()
                        .map(|(k, v)| format!("[{k}]={}", dq(v)))
                        .collect::<Vec<_>>()
                        .join(" ")
                )),
                Some(Arr::Assoc(m)) => Some(format!(
                    "({})",
                    m.iter()
                        .map(|(k, v)| format!("[{k}]={} ", dq(v)))
                        .collect::<String>()
                )),
                None => self.vars.get(&n).map(|v| dq(v)),
            };
            match val {
                Some(v) => out.push_str(&format!("declare -{f} {n}={v}\n")),
                None if self.exported.contains(&n) || self.readonly.contains(&n) => {
                    out.push_str(&format!("declare -{f} {n}\n"))
                }
                None => {
                    if !items.is_empty() {
                        self.error(io.err, &format!("{name}: {n}: not found"));
                        st = 1;
                    }
                }
            }
        }
        self.write(io.out, out.as_bytes());
        st
    }

    // ------------------------------------------------------------ other builtins

    /// Builtins implemented here; `None` if `argv[0]` is not one of them.
    pub(crate) fn lang_builtin(&mut self, argv: &[String], io: &Io) -> Option<Res> {
        let args = &argv[1..];
        Some(match argv[0].as_str() {
            "return" => {
                if self.local_frames.is_empty() && self.source_stack.is_empty() {
                    self.error(
                        io.err,
                        "return: can only `return' from a function or sourced script",
                    );
                    return Some(Ok(2));
                }
                let n = match args.first() {
                    None => self.status,
                    Some(a) => match a.parse::<i64>() {
                        Ok(n) => (n & 0xff) as i32,
                        Err(_) => {
                            self.error(io.err, &format!("return: {a}: numeric argument required"));
                            2
                        }
                    },
                };
                Err(Ctl::Return(n))
            }
            "shift" => {
                let n = match args.first().map(|a| a.parse::<i64>()) {
                    None => 1,
                    Some(Ok(n)) if n >= 0 => n as usize,
                    Some(Ok(_)) => {
                        self.error(
                            io.err,
                            &format!("shift: {}: shift count out of range", args[0]),
                        );
                        return Some(Ok(1));
                    }
                    Some(Err(_)) => {
                        self.error(
                            io.err,
                            &format!("shift: {}: numeric argument required", args[0]),
                        );
                        return Some(Ok(1));
                    }
                };
                if n > self.positional.len() - 1 {
                    return Some(Ok(1));
                }
                self.positional.drain(1..1 + n);
                Ok(0)
            }
            "source" | "." => Ok(self.source(argv, io)),
            "eval" => {
                let src = args.join(" ");
                self.eval_string(&src, io)
            }
            "let" => {
                if args.is_empty() {
                    self.error(io.err, "let: expression expected");
                    return Some(Ok(1));
                }
                let mut v = 0;
                for a in args {
                    match arith::eval(a, self) {
                        Ok(x) => v = x,
                        Err(m) => {
                            self.error(io.err, &format!("let: {m}"));
                            return Some(Ok(1));
                        }
                    }
                }
                Ok(i32::from(v == 0))
            }
            "read" => Ok(self.read_builtin(args, io)),
            "getopts" => Ok(self.getopts(args, io)),
            "trap" => Ok(self.trap(args, io)),
            "type" => {
                let mut st = 0;
                let (flag_t, names): (bool, Vec<&String>) = match args.first().map(String::as_str) {
                    Some("-t") => (true, args[1..].iter().collect()),
                    _ => (false, args.iter().collect()),
                };
                for n in names {
                    if flag_t {
                        let k = if super::is_keyword(n) {
                            "keyword"
                        } else if self.funcs.contains_key(n.as_str()) {
                            "function"
                        } else if crate::programs::is_bash_builtin(n) {
                            "builtin"
                        } else if crate::programs::path_of(n).is_some() {
                            "file"
                        } else {
                            st = 1;
                            continue;
                        };
                        self.write(io.out, format!("{k}\n").as_bytes());
                        continue;
                    }
                    match self.describe(n, true) {
                        Some(t) => self.write(io.out, format!("{t}\n").as_bytes()),
                        None => {
                            self.error(io.err, &format!("type: {n}: not found"));
                            st = 1;
                        }
                    }
                }
                Ok(st)
            }
            "shopt" | "ulimit" | "umask" | "hash" | "enable" | "alias" | "unalias" | "disown"
            | "builtin" => {
                if argv[0] == "builtin" && !args.is_empty() {
                    return Some(self.dispatch(args, io));
                }
                Ok(0)
            }
            "caller" => {
                let n = self.funcname.len();
                if n == 0 {
                    return Some(Ok(1));
                }
                let t = format!(
                    "{} {}\n",
                    self.line,
                    if n >= 2 {
                        self.funcname[n - 2].clone()
                    } else {
                        "main".into()
                    }
                );
                self.write(io.out, t.as_bytes());
                Ok(0)
            }
            "mapfile" | "readarray" => Ok(self.mapfile(args, io)),
            _ => return None,
        })
    }

    /// `source FILE [ARGS...]`.
    fn source(&mut self, argv: &[String], io: &Io) -> i32 {
        let Some(file) = argv.get(1) else {
            self.error(io.err, &format!("{}: filename argument required", argv[0]));
            self.error(
                io.err,
                &format!("{}: usage: {} filename [arguments]", argv[0], argv[0]),
            );
            return 2;
        };
        let data = match self.host.read_source(file) {
            Ok(d) => d,
            Err(_) => {
                self.error(io.err, &format!("{file}: No such file or directory"));
                return 1;
            }
        };
        if self.source_stack.len() >= 32 || self.stack_exhausted() {
            self.error(
                io.err,
                &format!("{file}: nslab: sourced too deep (recursion?)"),
            );
            return 1;
        }
        let src = String::from_utf8_lossy(&data).into_owned();
        let saved_pos = if argv.len() > 2 {
            let mut p = vec![self.positional[0].clone()];
            p.extend(argv[2..].iter().cloned());
            Some(std::mem::replace(&mut self.positional, p))
        } else {
            None
        };
        let saved_label = std::mem::replace(&mut self.label, file.clone());
        let saved_line = self.line;
        self.source_stack.push(file.clone());
        self.file_stack.push(file.clone());
        let mut status = 0;
        let mut ctl = None;
        // (read and run one command at a time, as bash does)
        let mut perr = None;
        let mut items = parser::items(&src, file);
        while let Some(item) = items.next_item(false) {
            let item = match item {
                Ok(item) => item,
                Err(e) => {
                    perr = Some(e);
                    break;
                }
            };
            match self.exec_list(&item.list, io) {
                Ok(s) => status = s,
                Err(Ctl::Return(n)) => {
                    status = n;
                    break;
                }
                Err(e) => {
                    ctl = Some(e);
                    break;
                }
            }
        }
        if ctl.is_none() {
            if let Some(e) = perr {
                let m = format!("{e}\n");
                self.write_err(io.err, m.as_bytes());
                status = 2;
            }
        }
        self.source_stack.pop();
        self.file_stack.pop();
        self.label = saved_label;
        self.line = saved_line;
        if let Some(p) = saved_pos {
            self.positional = p;
        }
        if let Some(e) = ctl {
            self.pending_ctl = Some(e);
        }
        status
    }

    /// `eval STRING`: parsed and run in this shell.
    pub(crate) fn eval_string(&mut self, src: &str, io: &Io) -> Res {
        if self.eval_depth >= 100 || self.stack_exhausted() {
            self.error(io.err, "eval: nslab: nested too deep (recursion?)");
            self.status = 1;
            return Err(Ctl::Abort(1));
        }
        let label = self.label.clone();
        let (script, perr) = parser::parse_partial(src, &label);
        let line0 = self.line;
        self.eval_depth += 1;
        let mut status = 0;
        let mut r = Ok(());
        for item in &script.items {
            let mut list = item.list.clone();
            map_lines(&mut list, &|l| l + line0 - 1);
            match self.exec_list(&list, io) {
                Ok(s) => status = s,
                Err(e) => {
                    r = Err(e);
                    break;
                }
            }
        }
        self.eval_depth -= 1;
        r?;
        if let Some(e) = perr {
            // bash: `lab.sh: eval: line N: MSG` (and print_offending_line's second line); under
            // `bash -c` its eval errors carry no file or line (`bash: MSG`).
            let prefix = match label.strip_suffix(": -c") {
                Some(prog) => format!("{prog}: "),
                None => format!("{}: eval: line {}: ", label, line0 + e.line - 1),
            };
            let mut m = format!("{prefix}{}\n", e.message);
            if let Some(t) = &e.input_line {
                m.push_str(&format!("{prefix}`{t}'\n"));
            }
            self.write_err(io.err, m.as_bytes());
            return Ok(2);
        }
        Ok(status)
    }

    /// `read [-r] [-a NAME] [-d DELIM] [-p PROMPT] [-t N] [-u FD] [NAME...]`.
    fn read_builtin(&mut self, args: &[String], io: &Io) -> i32 {
        let mut raw = false;
        let mut array: Option<String> = None;
        let mut delim = b'\n';
        let mut i = 0;
        while i < args.len() && args[i].starts_with('-') && args[i].len() > 1 {
            let a = args[i].clone();
            i += 1;
            let mut cs = a[1..].chars();
            while let Some(c) = cs.next() {
                let rest: String = cs.clone().collect();
                let mut val = || -> Option<String> {
                    if !rest.is_empty() {
                        Some(rest.clone())
                    } else {
                        i += 1;
                        args.get(i - 1).cloned()
                    }
                };
                match c {
                    'r' => raw = true,
                    's' => {}
                    'a' => {
                        array = val();
                        break;
                    }
                    'd' => {
                        delim = val().and_then(|v| v.bytes().next()).unwrap_or(0);
                        break;
                    }
                    'p' | 't' | 'u' | 'n' | 'N' | 'i' | 'e' => {
                        let _ = val();
                        break;
                    }
                    c => {
                        self.error(io.err, &format!("read: -{c}: invalid option"));
                        return 2;
                    }
                }
            }
        }
        let names: Vec<String> = args[i.min(args.len())..].to_vec();
        let Some((line, found)) = io.stdin.read_until(delim) else {
            // EOF: variables emptied
            for n in &names {
                let _ = self.assign_var(n, String::new());
            }
            if names.is_empty() && array.is_none() {
                let _ = self.assign_var("REPLY", String::new());
            }
            return 1;
        };
        let mut text = String::from_utf8_lossy(&line).into_owned();
        if !raw {
            // backslash-newline joins lines; other backslashes escape the next character
            let mut out = String::new();
            let mut cs = text.chars();
            while let Some(c) = cs.next() {
                if c == '\\' {
                    if let Some(n) = cs.next() {
                        out.push(n);
                    }
                } else {
                    out.push(c);
                }
            }
            text = out;
        }
        let ifs = self.get_var("IFS").unwrap_or_else(|| " \t\n".to_string());
        if names.is_empty() && array.is_none() {
            let _ = self.assign_var("REPLY", text);
            return i32::from(!found);
        }
        let is_ws = |c: char| ifs.contains(c) && c.is_whitespace();
        let is_sep = |c: char| ifs.contains(c);
        let t = text.trim_matches(is_ws).to_string();
        let mut fields: Vec<String> = Vec::new();
        let n_names = if array.is_some() {
            usize::MAX
        } else {
            names.len()
        };
        let mut rest = t.as_str();
        while !rest.is_empty() {
            if fields.len() + 1 == n_names {
                fields.push(rest.trim_end_matches(is_ws).to_string());
                rest = "";
                break;
            }
            match rest.find(is_sep) {
                Some(p) => {
                    fields.push(rest[..p].to_string());
                    let mut r = &rest[p..];
                    r = r.trim_start_matches(is_ws);
                    if let Some(c) = r.chars().next() {
                        if is_sep(c)
                            && !c.is_whitespace()
                            && !rest[p..].starts_with(|x: char| !x.is_whitespace() && is_sep(x))
                        {
                            // a non-blank separator after blanks
                            r = &r[c.len_utf8()..];
                            r = r.trim_start_matches(is_ws);
                        } else if is_sep(c) && !c.is_whitespace() {
                            r = r[c.len_utf8()..].trim_start_matches(is_ws);
                        }
                    } else if rest[p..].starts_with(|x: char| !x.is_whitespace()) {
                        r = "";
                    }
                    rest = r;
                }
                None => {
                    fields.push(rest.to_string());
                    rest = "";
                }
            }
        }
        let _ = rest;
        if let Some(a) = array {
            let m: BTreeMap<i64, String> = fields
                .into_iter()
                .enumerate()
                .map(|(i, f)| (i as i64, f))
                .collect();
            self.vars.remove(&a);
            self.arrays.insert(a, Arr::Indexed(m));
        } else {
            for (k, n) in names.iter().enumerate() {
                let v = fields.get(k).cloned().unwrap_or_default();
                if let Err(m) = self.assign_var(n, v) {
                    self.error(io.err, &m);
                    return 1;
                }
            }
        }
        i32::from(!found)
    }

    /// `mapfile [-t] NAME` from stdin.
    fn mapfile(&mut self, args: &[String], io: &Io) -> i32 {
        let trim = args.iter().any(|a| a == "-t");
        let name = args
            .iter()
            .rfind(|a| !a.starts_with('-'))
            .cloned()
            .unwrap_or_else(|| "MAPFILE".into());
        let data = io.stdin.take();
        let text = String::from_utf8_lossy(&data).into_owned();
        let mut m = BTreeMap::new();
        for (i, l) in text.split_inclusive('\n').enumerate() {
            let v = if trim { l.trim_end_matches('\n') } else { l };
            m.insert(i as i64, v.to_string());
        }
        self.vars.remove(&name);
        self.arrays.insert(name, Arr::Indexed(m));
        0
    }

    /// `getopts OPTSTRING NAME [ARGS...]` (bash's own texts, `OPTIND`/`OPTARG`).
    fn getopts(&mut self, args: &[String], io: &Io) -> i32 {
        let (Some(spec), Some(var)) = (args.first(), args.get(1)) else {
            self.error(io.err, "getopts: usage: getopts optstring name [arg ...]");
            return 2;
        };
        let argv: Vec<String> = if args.len() > 2 {
            args[2..].to_vec()
        } else {
            self.positional[1..].to_vec()
        };
        let silent = spec.starts_with(':');
        let spec = spec.trim_start_matches(':');
        let mut optind: usize = self
            .get_var("OPTIND")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
            .max(1);
        let mut sub = self.getopts_pos;
        if optind != self.getopts_ind {
            sub = 1;
        }
        let Some(arg) = argv.get(optind - 1).cloned() else {
            let _ = self.assign_var(var, "?".into());
            return 1;
        };
        if sub == 1 && (!arg.starts_with('-') || arg == "-") {
            let _ = self.assign_var(var, "?".into());
            return 1;
        }
        if sub == 1 && arg == "--" {
            optind += 1;
            let _ = self.assign_var("OPTIND", optind.to_string());
            self.getopts_ind = optind;
            let _ = self.assign_var(var, "?".into());
            return 1;
        }
        let cs: Vec<char> = arg.chars().collect();
        let c = cs[sub];
        let mut next_sub = sub + 1;
        let pos = spec.find(c).filter(|_| c != ':');
        self.vars.remove("OPTARG");
        let result: char;
        match pos {
            None => {
                if silent {
                    let _ = self.assign_var("OPTARG", c.to_string());
                } else {
                    let m = format!("{}: illegal option -- {c}\n", self.positional[0]);
                    self.write_err(io.err, m.as_bytes());
                }
                result = '?';
            }
            Some(p) if spec[p + 1..].starts_with(':') => {
                if next_sub < cs.len() {
                    let _ = self.assign_var("OPTARG", cs[next_sub..].iter().collect());
                    next_sub = cs.len();
                    result = c;
                } else if let Some(v) = argv.get(optind) {
                    let _ = self.assign_var("OPTARG", v.clone());
                    optind += 1;
                    result = c;
                } else if silent {
                    let _ = self.assign_var("OPTARG", c.to_string());
                    result = ':';
                } else {
                    let m = format!(
                        "{}: option requires an argument -- {c}\n",
                        self.positional[0]
                    );
                    self.write_err(io.err, m.as_bytes());
                    result = '?';
                }
            }
            Some(_) => result = c,
        }
        if next_sub >= cs.len() {
            optind += 1;
            next_sub = 1;
        }
        self.getopts_pos = next_sub;
        self.getopts_ind = optind;
        let _ = self.assign_var("OPTIND", optind.to_string());
        let _ = self.assign_var(var, result.to_string());
        0
    }

    /// `trap [ACTION SIGNAL...]`, `trap -p`, `trap - SIGNAL`.
    fn trap(&mut self, args: &[String], io: &Io) -> i32 {
        if args.is_empty() || args[0] == "-p" {
            let mut out = String::new();
            for (s, a) in &self.traps {
                out.push_str(&format!("trap -- {} {s}\n", quote_q(a)));
            }
            self.write(io.out, out.as_bytes());
            return 0;
        }
        let (action, sigs) = if args.len() == 1 {
            ("-".to_string(), args)
        } else {
            (args[0].clone(), &args[1..])
        };
        let mut st = 0;
        for s in sigs {
            let name = s.trim_start_matches("SIG").to_ascii_uppercase();
            let name = match name.as_str() {
                "0" => "EXIT".to_string(),
                "2" => "INT".to_string(),
                "15" => "TERM".to_string(),
                "1" => "HUP".to_string(),
                n => n.to_string(),
            };
            if !matches!(
                name.as_str(),
                "EXIT"
                    | "ERR"
                    | "DEBUG"
                    | "RETURN"
                    | "INT"
                    | "TERM"
                    | "HUP"
                    | "QUIT"
                    | "USR1"
                    | "USR2"
                    | "PIPE"
                    | "ALRM"
                    | "CHLD"
                    | "KILL"
                    | "STOP"
            ) {
                self.error(io.err, &format!("trap: {s}: invalid signal specification"));
                st = 1;
                continue;
            }
            if action == "-" {
                self.traps.remove(&name);
            } else {
                self.traps.insert(name, action.clone());
            }
        }
        st
    }

    /// Runs the EXIT trap (once).
    pub(crate) fn run_exit_trap(&mut self, io: &Io) {
        if let Some(a) = self.traps.remove("EXIT") {
            let st = self.status;
            let _ = self.eval_string(&a, io);
            self.status = st;
        }
    }

    /// Runs the ERR trap after a failed command.
    pub(crate) fn run_err_trap(&mut self, io: &Io) {
        if self.in_err_trap {
            return;
        }
        if let Some(a) = self.traps.get("ERR").cloned() {
            self.in_err_trap = true;
            let st = self.status;
            let _ = self.eval_string(&a, io);
            self.status = st;
            self.in_err_trap = false;
        }
    }

    /// An expansion error: printed, and a non-interactive shell exits.
    pub(crate) fn expansion_failed_pub(&mut self, m: &str, io: &Io) -> Res {
        self.error(io.err, m);
        self.status = 1;
        Err(Ctl::Exit(1))
    }
}

impl arith::Vars for Shell<'_> {
    fn get(&mut self, name: &str, index: Option<i64>) -> Result<String, String> {
        match index {
            Some(i) => Ok(match self.arrays.get(name) {
                Some(Arr::Indexed(m)) => m.get(&i).cloned().unwrap_or_default(),
                Some(Arr::Assoc(m)) => m.get(&i.to_string()).cloned().unwrap_or_default(),
                None if i == 0 => self.get_var(name).unwrap_or_default(),
                None => String::new(),
            }),
            None => match self.special_or_var(name)? {
                Some(v) => Ok(v),
                None if self.nounset => Err(format!("{name}: unbound variable")),
                None => Ok(String::new()),
            },
        }
    }

    fn set(&mut self, name: &str, index: Option<i64>, value: i64) -> Result<(), String> {
        match index {
            Some(i) => self.set_element(name, &i.to_string(), value.to_string(), false),
            None => self.assign_var(name, value.to_string()),
        }
    }
}

/// Is `abs` a program's file (`/usr/sbin/ip`, `/sbin/ip`, `/usr/bin/grep`, `/bin/grep`)?
pub(crate) fn program_file(abs: &str) -> bool {
    let Some((dir, name)) = abs.rsplit_once('/') else {
        return false;
    };
    let Some(p) = crate::programs::path_of(name) else {
        return false;
    };
    let (pdir, _) = p.rsplit_once('/').unwrap_or(("", ""));
    let canon = match dir {
        "/bin" => "/usr/bin",
        "/sbin" => "/usr/sbin",
        d => d,
    };
    canon == pdir
}

/// `"..."` as `declare -p` prints a value.
fn dq(v: &str) -> String {
    let mut s = String::from("\"");
    for c in v.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('"');
    s
}

/// bash's `printf %q` / `${x@Q}`-style quoting (`%q` form: backslashes, `$'...'` for controls).
pub(crate) fn quote_q(v: &str) -> String {
    if v.is_empty() {
        return "''".into();
    }
    if v.chars().any(|c| c.is_control()) {
        let mut s = String::from("$'");
        for c in v.chars() {
            match c {
                '\n' => s.push_str("\\n"),
                '\t' => s.push_str("\\t"),
                '\r' => s.push_str("\\r"),
                '\u{1b}' => s.push_str("\\E"),
                '\'' => s.push_str("\\'"),
                '\\' => s.push_str("\\\\"),
                c if c.is_control() => s.push_str(&format!("\\{:03o}", c as u32)),
                c => s.push(c),
            }
        }
        s.push('\'');
        return s;
    }
    let mut s = String::new();
    for (i, c) in v.chars().enumerate() {
        let special = matches!(
            c,
            ' ' | '\''
                | '"'
                | '\\'
                | '|'
                | '&'
                | ';'
                | '('
                | ')'
                | '<'
                | '>'
                | '!'
                | '{'
                | '}'
                | '*'
                | '['
                | ']'
                | '?'
                | '^'
                | '$'
                | '`'
                | ','
        ) || (i == 0 && matches!(c, '~' | '#'));
        if special {
            s.push('\\');
        }
        s.push(c);
    }
    s
}

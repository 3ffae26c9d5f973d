//! Builtins: the shell's own (echo, printf, test, set, wait, kill, ...) and `sleep`, all run
//! inside the shell. The text tools (grep, wc, sed, awk, ...) are `userland` programs.

use super::interp::{valid_name, Ctl, Io, Res, Shell};

const BUILTINS: &[&str] = &[
    "echo", "printf", "grep", "wc", "head", "tail", "cat", "sort", "seq", "test", "[", "sleep",
    "wait", "kill", "set", "true", "false", ":", "export", "unset", "cd", "pwd", "exit", "break",
    "continue",
];

pub(crate) fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name)
}

pub(crate) fn run(sh: &mut Shell<'_>, argv: &[String], io: &Io) -> Res {
    let args = &argv[1..];
    let st = match argv[0].as_str() {
        "true" | ":" => 0,
        "false" => 1,
        "echo" => echo(sh, args, io),
        "printf" => printf(sh, args, io),
        "test" => test(sh, "test", args, io),
        "[" => match args.last().map(String::as_str) {
            Some("]") => test(sh, "[", &args[..args.len() - 1], io),
            _ => {
                sh.error(io.err, "[: missing `]'");
                2
            }
        },
        "sleep" => sleep(sh, args, io),
        "wait" => sh.wait_builtin(args, io),
        "kill" => sh.kill_builtin(args, io),
        "set" => set(sh, args, io),
        "export" => export(sh, args, io),
        "unset" => {
            let funcs = args.iter().any(|a| a == "-f");
            for a in args.iter().filter(|a| !a.starts_with('-')) {
                if funcs {
                    sh.unset_var(&format!("-f {a}"));
                } else {
                    sh.unset_var(a);
                }
            }
            0
        }
        "cd" => {
            let pwd = sh.pwd();
            match args.first().map(String::as_str) {
                None | Some(".") | Some("./") => 0,
                Some(d) if d == pwd || d.trim_end_matches('/') == pwd => 0,
                Some(d) => {
                    sh.error(
                        io.err,
                        &format!("cd: {d}: changing directory is not supported in a lab"),
                    );
                    1
                }
            }
        }
        "pwd" => {
            let p = format!("{}\n", sh.pwd());
            sh.write(io.out, p.as_bytes());
            0
        }
        "exit" => {
            let st = match args.first() {
                None => sh.status,
                Some(a) => match a.parse::<i64>() {
                    Ok(n) => (n & 0xff) as i32,
                    Err(_) => {
                        sh.error(io.err, &format!("exit: {a}: numeric argument required"));
                        2
                    }
                },
            };
            return Err(Ctl::Exit(st));
        }
        "break" | "continue" => {
            let n = match args.first().map(|a| a.parse::<u32>()) {
                None => 1,
                Some(Ok(n)) if n > 0 => n,
                Some(_) => {
                    sh.error(
                        io.err,
                        &format!("{}: {}: loop count out of range", argv[0], args[0]),
                    );
                    return Ok(1);
                }
            };
            if !sh.in_loop() {
                sh.error(
                    io.err,
                    &format!(
                        "{}: only meaningful in a `for', `while', or `until' loop",
                        argv[0]
                    ),
                );
                return Ok(0);
            }
            return Err(if argv[0] == "break" {
                Ctl::Break(n)
            } else {
                Ctl::Continue(n)
            });
        }
        other => {
            sh.error(io.err, &format!("{other}: not a builtin"));
            2
        }
    };
    Ok(st)
}

/// Backslash escapes by bash's rules (`echo -e`, printf's format and `%b`), as bytes; text
/// the shell keeps as a `String` (printf) takes bytes above 0x7f lossily.
fn bash_escapes(s: &str, d: userland::Escapes) -> (String, bool) {
    let (b, stop) = userland::escapes_as(s, d);
    (String::from_utf8_lossy(&b).into_owned(), stop)
}

fn echo(sh: &mut Shell<'_>, args: &[String], io: &Io) -> i32 {
    let mut newline = true;
    let mut interp = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| matches!(c, 'n' | 'e' | 'E'))
        {
            for c in a[1..].chars() {
                match c {
                    'n' => newline = false,
                    'e' => interp = true,
                    _ => interp = false,
                }
            }
            i += 1;
        } else {
            break;
        }
    }
    let text = args[i..].join(" ");
    let mut out = if interp {
        let (t, stop) = userland::escapes_as(&text, userland::Escapes::BashEcho);
        if stop {
            newline = false;
        }
        t
    } else {
        text.into_bytes()
    };
    if newline {
        out.push(b'\n');
    }
    sh.write(io.out, &out);
    0
}

fn printf(sh: &mut Shell<'_>, args: &[String], io: &Io) -> i32 {
    let Some(fmt) = args.first() else {
        sh.error(io.err, "printf: usage: printf [-v var] format [arguments]");
        return 2;
    };
    if fmt == "-v" {
        let Some(var) = args.get(1) else {
            sh.error(io.err, "printf: -v: option requires an argument");
            sh.error(io.err, "printf: usage: printf [-v var] format [arguments]");
            return 2;
        };
        let buf = sh.alloc_buf();
        let sub = Io {
            stdin: io.stdin.clone(),
            out: super::interp::Dest::Buf(buf),
            err: io.err,
        };
        let st = printf(sh, &args[2..], &sub);
        let data = sh.take_buf(buf);
        if let Err(m) = sh.assign_var(var, String::from_utf8_lossy(&data).into_owned()) {
            sh.error(io.err, &m);
            return 1;
        }
        return st;
    }
    let fmt: Vec<char> = fmt.chars().collect();
    let rest = &args[1..];
    let mut ai = 0;
    let mut out = String::new();
    let mut status = 0;
    loop {
        let mut i = 0;
        let mut used = false;
        while i < fmt.len() {
            let c = fmt[i];
            if c == '\\' {
                let mut j = i + 1;
                if j < fmt.len() {
                    j += 1;
                    // octal / hex take more digits; let `escapes` handle them
                    while j < fmt.len()
                        && j < i + 5
                        && (fmt[j].is_ascii_hexdigit())
                        && matches!(fmt[i + 1], '0'..='7' | 'x')
                    {
                        j += 1;
                    }
                }
                let chunk: String = fmt[i..j].iter().collect();
                let (t, stop) = bash_escapes(&chunk, userland::Escapes::BashFormat);
                out.push_str(&t);
                if stop {
                    sh.write(io.out, out.as_bytes());
                    return status;
                }
                i = j;
                continue;
            }
            if c != '%' {
                out.push(c);
                i += 1;
                continue;
            }
            if fmt.get(i + 1) == Some(&'%') {
                out.push('%');
                i += 2;
                continue;
            }
            // %[flags][width][.prec]conv
            let mut j = i + 1;
            let mut flags = String::new();
            while j < fmt.len() && matches!(fmt[j], '-' | '+' | ' ' | '0' | '#') {
                flags.push(fmt[j]);
                j += 1;
            }
            let mut width = String::new();
            while j < fmt.len() && fmt[j].is_ascii_digit() {
                width.push(fmt[j]);
                j += 1;
            }
            let mut prec: Option<usize> = None;
            if fmt.get(j) == Some(&'.') {
                j += 1;
                let mut p = String::new();
                while j < fmt.len() && fmt[j].is_ascii_digit() {
                    p.push(fmt[j]);
                    j += 1;
                }
                prec = Some(p.parse::<usize>().unwrap_or(0).min(4096));
            }
            let Some(&conv) = fmt.get(j) else {
                out.push_str(&fmt[i..].iter().collect::<String>());
                break;
            };
            j += 1;
            let arg = rest.get(ai).cloned();
            if arg.is_some() {
                used = true;
            }
            ai += 1;
            let arg = arg.unwrap_or_default();
            let body = match conv {
                's' => match prec {
                    Some(p) => arg.chars().take(p).collect(),
                    None => arg,
                },
                'b' => bash_escapes(&arg, userland::Escapes::BashPercentB).0,
                'q' => super::interp::quote_q(&arg),
                'c' => arg.chars().next().map(String::from).unwrap_or_default(),
                'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                    let n = if arg.is_empty() {
                        0
                    } else if let Some(ch) =
                        arg.strip_prefix('\'').or_else(|| arg.strip_prefix('"'))
                    {
                        ch.chars().next().map_or(0, |c| c as i64)
                    } else {
                        match parse_int(&arg) {
                            Some(n) => n,
                            None => {
                                sh.error(io.err, &format!("printf: {arg}: invalid number"));
                                status = 1;
                                0
                            }
                        }
                    };
                    match conv {
                        'x' => format!("{n:x}"),
                        'X' => format!("{n:X}"),
                        'o' => format!("{n:o}"),
                        _ if flags.contains('+') && n >= 0 => format!("+{n}"),
                        _ => n.to_string(),
                    }
                }
                'f' | 'e' | 'g' => {
                    let v: f64 = if arg.is_empty() {
                        0.0
                    } else {
                        arg.parse().unwrap_or_else(|_| {
                            sh.error(io.err, &format!("printf: {arg}: invalid number"));
                            status = 1;
                            0.0
                        })
                    };
                    match conv {
                        'e' => format!("{:.*e}", prec.unwrap_or(6), v),
                        _ => format!("{:.*}", prec.unwrap_or(6), v),
                    }
                }
                other => {
                    sh.error(
                        io.err,
                        &format!("printf: `{other}': invalid format character"),
                    );
                    sh.write(io.out, out.as_bytes());
                    return 1;
                }
            };
            let w: usize = width.parse().unwrap_or(0).min(4096);
            let len = body.chars().count();
            if len < w {
                let pad = w - len;
                if flags.contains('-') {
                    out.push_str(&body);
                    out.push_str(&" ".repeat(pad));
                } else if flags.contains('0') && !matches!(conv, 's' | 'c' | 'b') {
                    let (sign, digits) = match body.strip_prefix('-') {
                        Some(d) => ("-", d.to_string()),
                        None => ("", body.clone()),
                    };
                    out.push_str(sign);
                    out.push_str(&"0".repeat(pad));
                    out.push_str(&digits);
                } else {
                    out.push_str(&" ".repeat(pad));
                    out.push_str(&body);
                }
            } else {
                out.push_str(&body);
            }
            i = j;
        }
        if !used || ai >= rest.len() {
            break;
        }
    }
    sh.write(io.out, out.as_bytes());
    status
}

fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim();
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let v = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if t.len() > 1 && t.starts_with('0') {
        i64::from_str_radix(&t[1..], 8).ok()?
    } else {
        t.parse().ok()?
    };
    Some(if neg { -v } else { v })
}

fn sleep(sh: &mut Shell<'_>, args: &[String], io: &Io) -> i32 {
    if args.is_empty() {
        sh.write_err(io.err, b"sleep: missing operand\n");
        return 1;
    }
    let mut total = 0.0;
    for a in args {
        let (num, mult) = match a.chars().last() {
            Some('s') => (&a[..a.len() - 1], 1.0),
            Some('m') => (&a[..a.len() - 1], 60.0),
            Some('h') => (&a[..a.len() - 1], 3600.0),
            Some('d') => (&a[..a.len() - 1], 86400.0),
            _ => (a.as_str(), 1.0),
        };
        match num.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => total += v * mult,
            _ => {
                let m = format!("sleep: invalid time interval '{a}'\n");
                sh.write_err(io.err, m.as_bytes());
                return 1;
            }
        }
    }
    sh.host.sleep(total);
    0
}

fn set(sh: &mut Shell<'_>, args: &[String], io: &Io) -> i32 {
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            sh.set_positional(&args[i + 1..]);
            return 0;
        }
        let on = a.starts_with('-');
        if !(on || a.starts_with('+')) || a.len() < 2 {
            sh.set_positional(&args[i..]);
            return 0;
        }
        for c in a[1..].chars() {
            let name = if c == 'o' {
                i += 1;
                match args.get(i).map(String::as_str) {
                    Some("errexit") => 'e',
                    Some("xtrace") => 'x',
                    Some("verbose") => 'v',
                    Some("nounset") => 'u',
                    Some("pipefail") => 'p',
                    Some(o) => {
                        sh.error(io.err, &format!("set: {o}: invalid option name"));
                        return 2;
                    }
                    None => return 0,
                }
            } else {
                c
            };
            match name {
                'e' => sh.errexit = on,
                'x' => sh.xtrace = on,
                'v' => sh.verbose = on,
                'u' => sh.nounset = on,
                'p' => sh.pipefail = on,
                c => {
                    sh.error(
                        io.err,
                        &format!("set: {}{c}: invalid option", if on { '-' } else { '+' }),
                    );
                    return 2;
                }
            }
        }
        i += 1;
    }
    0
}

fn export(sh: &mut Shell<'_>, args: &[String], io: &Io) -> i32 {
    let mut st = 0;
    for a in args {
        if a.starts_with('-') {
            continue;
        }
        let (name, value) = match a.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (a.as_str(), None),
        };
        if !valid_name(name) {
            sh.error(io.err, &format!("export: `{a}': not a valid identifier"));
            st = 1;
            continue;
        }
        if let Some(v) = value {
            sh.set_var(name, v);
        }
        sh.export(name);
    }
    st
}

// ---------------------------------------------------------------- test / [

struct TestCtx<'a, 'h> {
    sh: &'a mut Shell<'h>,
    args: &'a [String],
    pos: usize,
    name: &'a str,
    err: Option<String>,
}

const UNARY: &[&str] = &[
    "-z", "-n", "-f", "-e", "-d", "-s", "-r", "-w", "-x", "-L", "-h",
];
const BINARY: &[&str] = &[
    "=", "==", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "<", ">",
];

impl TestCtx<'_, '_> {
    fn peek(&self, k: usize) -> Option<&str> {
        self.args.get(self.pos + k).map(String::as_str)
    }

    fn fail(&mut self, m: String) -> bool {
        if self.err.is_none() {
            self.err = Some(m);
        }
        false
    }

    fn expr(&mut self) -> bool {
        let mut v = self.and();
        while self.peek(0) == Some("-o") {
            self.pos += 1;
            let r = self.and();
            v = v || r;
        }
        v
    }

    fn and(&mut self) -> bool {
        let mut v = self.not();
        while self.peek(0) == Some("-a") {
            self.pos += 1;
            let r = self.not();
            v = v && r;
        }
        v
    }

    fn not(&mut self) -> bool {
        if self.peek(0) == Some("!") && self.peek(1).is_some() {
            self.pos += 1;
            return !self.not();
        }
        self.primary()
    }

    fn primary(&mut self) -> bool {
        let Some(a) = self.peek(0).map(str::to_string) else {
            let n = self.name;
            return self.fail(format!("{n}: argument expected"));
        };
        if a == "(" {
            self.pos += 1;
            let v = self.expr();
            if self.peek(0) == Some(")") {
                self.pos += 1;
            } else {
                let n = self.name;
                return self.fail(format!("{n}: `)' expected"));
            }
            return v;
        }
        if let (Some(op), Some(b)) = (
            self.peek(1).map(str::to_string),
            self.peek(2).map(str::to_string),
        ) {
            if BINARY.contains(&op.as_str()) {
                self.pos += 3;
                return self.binary(&a, &op, &b);
            }
        }
        if UNARY.contains(&a.as_str()) {
            if let Some(b) = self.peek(1).map(str::to_string) {
                self.pos += 2;
                return self.unary(&a, &b);
            }
        }
        self.pos += 1;
        !a.is_empty()
    }

    fn int(&mut self, s: &str) -> Option<i64> {
        match s.trim().parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                let n = self.name;
                self.fail(format!("{n}: {s}: integer expression expected"));
                None
            }
        }
    }

    fn binary(&mut self, a: &str, op: &str, b: &str) -> bool {
        match op {
            "=" | "==" => a == b,
            "!=" => a != b,
            "<" => a < b,
            ">" => a > b,
            _ => {
                let (Some(x), Some(y)) = (self.int(a), self.int(b)) else {
                    return false;
                };
                match op {
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

    fn unary(&mut self, op: &str, b: &str) -> bool {
        match op {
            "-z" => b.is_empty(),
            "-n" => !b.is_empty(),
            op => self.sh.file_test(op, b),
        }
    }
}

fn test(sh: &mut Shell<'_>, name: &str, args: &[String], io: &Io) -> i32 {
    if args.is_empty() {
        return 1;
    }
    let mut t = TestCtx {
        sh,
        args,
        pos: 0,
        name,
        err: None,
    };
    let v = t.expr();
    if t.err.is_none() && t.pos < args.len() {
        let extra = args[t.pos].clone();
        t.err = Some(format!("{name}: {extra}: binary operator expected"));
        if args.len() == 2 {
            t.err = Some(format!("{name}: {}: unary operator expected", args[0]));
        } else if args.len() > 3 {
            t.err = Some(format!("{name}: too many arguments"));
        }
    }
    if let Some(m) = t.err {
        sh.error(io.err, &m);
        return 2;
    }
    i32::from(!v)
}

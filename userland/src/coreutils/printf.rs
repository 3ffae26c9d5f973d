//! echo and printf (coreutils 9.1), and the C `printf` directive formatter awk shares.

use super::{error, quote};
use crate::Ctx;

/// Widths and precisions beyond this are clipped: bad input never grows memory without bound
/// (glibc would print them; no script does).
pub const MAX_FIELD: usize = u16::MAX as usize;

pub fn cap_len(n: usize) -> usize {
    n.min(MAX_FIELD)
}

/// One `%[flags][width][.prec]conv` directive, parsed.
#[derive(Clone, Debug, Default)]
pub struct Spec {
    pub minus: bool,
    pub plus: bool,
    pub space: bool,
    pub zero: bool,
    pub alt: bool,
    pub width: Option<usize>,
    pub prec: Option<usize>,
    pub conv: char,
}

fn pad(spec: &Spec, body: String, numeric: bool) -> String {
    let w = spec.width.unwrap_or(0);
    let len = body.chars().count();
    if len >= w {
        return body;
    }
    let n = w - len;
    if spec.minus {
        format!("{body}{}", " ".repeat(n))
    } else if spec.zero && numeric && !body.ends_with("inf") && !body.ends_with("nan") {
        // zeros go after the sign / 0x prefix
        let (sign, rest) = split_sign(&body);
        format!("{sign}{}{rest}", "0".repeat(n))
    } else {
        format!("{}{body}", " ".repeat(n))
    }
}

fn split_sign(s: &str) -> (&str, &str) {
    for p in ["-0x", "-0X", "+0x", "+0X", " 0x", "0x", "0X", "-", "+", " "] {
        if let Some(r) = s.strip_prefix(p) {
            return (&s[..p.len()], r);
        }
    }
    ("", s)
}

fn sign_of(spec: &Spec, neg: bool) -> &'static str {
    if neg {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    }
}

/// `%d %i %o %u %x %X %c`-style integer formatting of `v`.
pub fn fmt_int(spec: &Spec, v: i128) -> String {
    let neg = v < 0;
    let mag = v.unsigned_abs();
    let (digits, unsigned) = match spec.conv {
        'o' => (format!("{mag:o}"), true),
        'x' => (format!("{mag:x}"), true),
        'X' => (format!("{mag:X}"), true),
        _ => (mag.to_string(), spec.conv == 'u'),
    };
    let digits = if unsigned && neg {
        // two's complement at 64 bits, as C's unsigned conversions
        let u = v as i64 as u64;
        match spec.conv {
            'o' => format!("{u:o}"),
            'x' => format!("{u:x}"),
            'X' => format!("{u:X}"),
            _ => u.to_string(),
        }
    } else {
        digits
    };
    let neg = neg && !unsigned;
    let mut digits = digits;
    if let Some(p) = spec.prec {
        if p == 0 && v == 0 {
            digits.clear();
        }
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    if spec.alt {
        match spec.conv {
            'o' if !digits.starts_with('0') => digits.insert(0, '0'),
            'x' if v != 0 => digits.insert_str(0, "0x"),
            'X' if v != 0 => digits.insert_str(0, "0X"),
            _ => {}
        }
    }
    let body = format!("{}{digits}", if unsigned { "" } else { sign_of(spec, neg) });
    let numeric = spec.prec.is_none();
    pad(spec, body, numeric)
}

/// `%e` body (no sign) of a finite non-negative `v`.
fn exp_body(v: f64, prec: usize, upper: bool) -> String {
    let s = format!("{v:.prec$e}");
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let t = format!(
        "{m}{}{}{:02}",
        if upper { 'E' } else { 'e' },
        if e < 0 { '-' } else { '+' },
        e.abs()
    );
    t
}

/// `%f %e %g %a`-style formatting of `v`.
pub fn fmt_float(spec: &Spec, v: f64) -> String {
    let neg = v.is_sign_negative();
    let neg = neg && !v.is_nan();
    let a = v.abs();
    let upper = spec.conv.is_ascii_uppercase();
    let prec = spec.prec.unwrap_or(6);
    let body = if !a.is_finite() {
        let t = if a.is_nan() { "nan" } else { "inf" };
        if upper {
            t.to_uppercase()
        } else {
            t.to_string()
        }
    } else {
        match spec.conv.to_ascii_lowercase() {
            'f' => {
                let mut s = format!("{a:.prec$}");
                if spec.alt && prec == 0 {
                    s.push('.');
                }
                s
            }
            'e' => exp_body(a, prec, upper),
            'a' => exp_body(a, prec, upper),
            _ => {
                // %g: precision P (0 → 1); exponent X from %e; use %f if P > X >= -4
                let p = if prec == 0 { 1 } else { prec };
                let e = if a == 0.0 {
                    0
                } else {
                    let s = format!("{a:.*e}", p - 1);
                    s.split_once('e')
                        .and_then(|(_, e)| e.parse::<i32>().ok())
                        .unwrap_or(0)
                };
                let mut s = if (e as i64) < p as i64 && e >= -4 {
                    let fp = (p as i64 - 1 - e as i64).max(0) as usize;
                    format!("{a:.fp$}")
                } else {
                    exp_body(a, p - 1, upper)
                };
                if !spec.alt {
                    // strip trailing zeros of the fraction
                    let (m, ex) = match s.find(['e', 'E']) {
                        Some(i) => (s[..i].to_string(), s[i..].to_string()),
                        None => (s.clone(), String::new()),
                    };
                    let m = if m.contains('.') {
                        m.trim_end_matches('0').trim_end_matches('.').to_string()
                    } else {
                        m
                    };
                    s = m + &ex;
                }
                s
            }
        }
    };
    let body = format!("{}{body}", sign_of(spec, neg));
    pad(spec, body, true)
}

/// `%s` with precision and width.
pub fn fmt_str(spec: &Spec, s: &str) -> String {
    let s: String = match spec.prec {
        Some(p) => s.chars().take(p).collect(),
        None => s.to_string(),
    };
    pad(spec, s, false)
}

/// Parses a directive at `f[i] == '%'` (without `*` widths): the spec and the index after it.
pub fn parse_spec(f: &[char], i: usize) -> Option<(Spec, usize, bool, bool)> {
    let mut j = i + 1;
    let mut s = Spec::default();
    while j < f.len() {
        match f[j] {
            '-' => s.minus = true,
            '+' => s.plus = true,
            ' ' => s.space = true,
            '0' => s.zero = true,
            '#' => s.alt = true,
            '\'' => {}
            _ => break,
        }
        j += 1;
    }
    let mut star_w = false;
    let mut star_p = false;
    if f.get(j) == Some(&'*') {
        star_w = true;
        j += 1;
    } else {
        let mut w = String::new();
        while j < f.len() && f[j].is_ascii_digit() {
            w.push(f[j]);
            j += 1;
        }
        if !w.is_empty() {
            s.width = w.parse::<usize>().ok().map(cap_len);
        }
    }
    if f.get(j) == Some(&'.') {
        j += 1;
        if f.get(j) == Some(&'*') {
            star_p = true;
            j += 1;
        } else {
            let mut p = String::new();
            while j < f.len() && f[j].is_ascii_digit() {
                p.push(f[j]);
                j += 1;
            }
            s.prec = Some(cap_len(p.parse().unwrap_or(usize::MAX)));
        }
    }
    // length modifiers are accepted and ignored
    while j < f.len() && matches!(f[j], 'h' | 'l' | 'L' | 'q' | 'j' | 'z' | 't') {
        j += 1;
    }
    let c = *f.get(j)?;
    s.conv = c;
    Some((s, j + 1, star_w, star_p))
}

/// `seq -f FORMAT`: the one float directive of FORMAT applied to `v`.
pub fn format_float_directive(fmt: &str, v: f64) -> String {
    let f: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < f.len() {
        if f[i] == '%' {
            if f.get(i + 1) == Some(&'%') {
                out.push('%');
                i += 2;
                continue;
            }
            if let Some((s, j, _, _)) = parse_spec(&f, i) {
                out.push_str(&fmt_float(&s, v));
                i = j;
                continue;
            }
        }
        out.push(f[i]);
        i += 1;
    }
    out
}

/// Whose backslash escapes: coreutils' printf FORMAT (`\NNN`) and `%b`/`echo -e` (`\0NNN`
/// or `\NNN`), or bash's builtins, which add `\E` and whose `echo -e` takes octal only after
/// `\0` (`echo -e '\101'` prints `\101`; bash 5.2, checked).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Escapes {
    Format,
    PercentB,
    BashFormat,
    BashPercentB,
    BashEcho,
}

/// Backslash escapes of printf's FORMAT (`octal3`: `\NNN`) or of `%b`/`echo -e` (`\0NNN`).
/// Returns the bytes and whether `\c` stopped the output.
pub fn escapes(s: &str, percent_b: bool) -> (Vec<u8>, bool) {
    escapes_as(
        s,
        if percent_b {
            Escapes::PercentB
        } else {
            Escapes::Format
        },
    )
}

/// [`escapes`] with the rules of `dialect`.
pub fn escapes_as(s: &str, dialect: Escapes) -> (Vec<u8>, bool) {
    let percent_b = !matches!(dialect, Escapes::Format | Escapes::BashFormat);
    let bash = matches!(
        dialect,
        Escapes::BashFormat | Escapes::BashPercentB | Escapes::BashEcho
    );
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' || i + 1 >= b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        i += 1;
        let e = b[i];
        i += 1;
        match e {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'e' => out.push(27),
            b'E' if bash => out.push(27),
            b'\\' => out.push(b'\\'),
            b'"' if !percent_b => out.push(b'"'),
            // bash's printf FORMAT keeps `\c` as text (only `%b` and `echo -e` stop there).
            b'c' if dialect == Escapes::BashFormat => out.extend_from_slice(b"\\c"),
            b'c' => return (out, true),
            b'x' => {
                let mut v = 0u32;
                let mut k = 0;
                while k < 2 && i < b.len() && b[i].is_ascii_hexdigit() {
                    v = v * 16 + (b[i] as char).to_digit(16).unwrap_or(0);
                    i += 1;
                    k += 1;
                }
                if k == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(v as u8);
                }
            }
            b'1'..=b'7' if dialect == Escapes::BashEcho => {
                out.push(b'\\');
                out.push(e);
            }
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                let mut max = 2;
                if percent_b && e == b'0' {
                    max = 3;
                }
                let mut k = 0;
                while k < max && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                    v = v * 8 + u32::from(b[i] - b'0');
                    i += 1;
                    k += 1;
                }
                out.push(v as u8);
            }
            _ => {
                out.push(b'\\');
                out.push(e);
            }
        }
    }
    (out, false)
}

pub fn echo(ctx: &mut Ctx) -> i32 {
    let args = ctx.args().to_vec();
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
    if interp {
        let (t, stop) = escapes(&text, true);
        ctx.out(t);
        if stop {
            return 0;
        }
    } else {
        ctx.out(text);
    }
    if newline {
        ctx.out("\n");
    }
    0
}

/// A numeric argument as coreutils printf reads it (`'c` is the character's code, `0x` hex,
/// leading `0` octal); errors are reported and the value is what was converted.
fn num_arg(ctx: &mut Ctx, a: &str, bad: &mut bool) -> (i128, f64) {
    if let Some(c) = a.strip_prefix(['\'', '"']) {
        let v = c.chars().next().map(|c| c as i128).unwrap_or(0);
        return (v, v as f64);
    }
    let t = a.trim_start();
    let (neg, body) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (radix, digits) =
        if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, h)
        } else if body.starts_with('0') && body.len() > 1 && !body.contains(['.', 'e', 'E']) {
            (8, &body[1..])
        } else {
            (10, body)
        };
    let n: String = digits.chars().take_while(|c| c.is_digit(radix)).collect();
    // floats: the longest prefix that parses
    let mut fl = 0.0;
    let mut flen = 0;
    for k in (1..=body.len()).rev() {
        if body.is_char_boundary(k) {
            if let Ok(v) = body[..k].parse::<f64>() {
                if !body[..k].contains(['i', 'I', 'n', 'N'])
                    || body[..k].eq_ignore_ascii_case("inf")
                    || body[..k].eq_ignore_ascii_case("nan")
                {
                    fl = v;
                    flen = k;
                    break;
                }
            }
        }
    }
    let iv = i128::from_str_radix(&n, radix).unwrap_or(0);
    let consumed_int = n.len() + (body.len() - digits.len());
    let iv = if neg { -iv } else { iv };
    let fl = if neg { -fl } else { fl };
    if a.is_empty() || (n.is_empty() && flen == 0) {
        if !a.is_empty() {
            error(ctx, &format!("{}: expected a numeric value", quote(a)));
            *bad = true;
        }
        return (0, 0.0);
    }
    if consumed_int < body.len() && flen < body.len() {
        error(
            ctx,
            &format!("{}: value not completely converted", quote(a)),
        );
        *bad = true;
    }
    (iv, fl)
}

pub fn printf(ctx: &mut Ctx) -> i32 {
    let args = ctx.args().to_vec();
    let args: &[String] = if args.first().map(String::as_str) == Some("--") {
        &args[1..]
    } else {
        &args
    };
    let Some(fmt) = args.first() else {
        return super::usage_error(ctx, "missing operand", 1);
    };
    let f: Vec<char> = fmt.chars().collect();
    let rest = &args[1..];
    let mut ai = 0;
    let mut bad = false;
    let mut out: Vec<u8> = Vec::new();
    loop {
        let mut i = 0;
        while i < f.len() {
            let c = f[i];
            if c == '\\' {
                let mut j = i + 1;
                if j < f.len() {
                    j += 1;
                    let lim = match f[i + 1] {
                        'x' => i + 4,
                        '0'..='7' => i + 4,
                        _ => j,
                    };
                    while j < lim && j < f.len() && f[j].is_ascii_hexdigit() {
                        if f[i + 1] != 'x' && !('0'..='7').contains(&f[j]) {
                            break;
                        }
                        j += 1;
                    }
                }
                let chunk: String = f[i..j].iter().collect();
                let (t, _) = escapes(&chunk, false);
                if chunk == "\\c" {
                    ctx.out(out);
                    return i32::from(bad);
                }
                out.extend(t);
                i = j;
                continue;
            }
            if c != '%' {
                let mut b = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
                i += 1;
                continue;
            }
            if f.get(i + 1) == Some(&'%') {
                out.push(b'%');
                i += 2;
                continue;
            }
            let Some((mut spec, j, sw, sp)) = parse_spec(&f, i) else {
                let d: String = f[i..].iter().collect();
                error(ctx, &format!("{d}: invalid conversion specification"));
                ctx.out(out);
                return 1;
            };
            let mut next = |ctx: &mut Ctx, bad: &mut bool| -> Option<String> {
                let _ = (ctx, bad);
                let a = rest.get(ai).cloned();
                if a.is_some() {
                    ai += 1;
                }
                a
            };
            if sw {
                let a = next(ctx, &mut bad).unwrap_or_default();
                let (v, _) = num_arg(ctx, &a, &mut bad);
                if v < 0 {
                    spec.minus = true;
                }
                spec.width = Some(cap_len(
                    usize::try_from(v.unsigned_abs()).unwrap_or(usize::MAX),
                ));
            }
            if sp {
                let a = next(ctx, &mut bad).unwrap_or_default();
                let (v, _) = num_arg(ctx, &a, &mut bad);
                spec.prec = if v < 0 {
                    None
                } else {
                    Some(cap_len(usize::try_from(v).unwrap_or(usize::MAX)))
                };
            }
            let arg = next(ctx, &mut bad);
            match spec.conv {
                'd' | 'i' | 'o' | 'u' | 'x' | 'X' => {
                    let (v, _) = num_arg(ctx, arg.as_deref().unwrap_or(""), &mut bad);
                    out.extend(fmt_int(&spec, v).into_bytes());
                }
                'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'a' | 'A' => {
                    let (_, v) = num_arg(ctx, arg.as_deref().unwrap_or(""), &mut bad);
                    out.extend(fmt_float(&spec, v).into_bytes());
                }
                'c' => {
                    let s: String = arg.unwrap_or_default().chars().take(1).collect();
                    out.extend(fmt_str(&spec, &s).into_bytes());
                }
                's' => out.extend(fmt_str(&spec, arg.as_deref().unwrap_or("")).into_bytes()),
                'b' => {
                    let (t, stop) = escapes(arg.as_deref().unwrap_or(""), true);
                    let s = String::from_utf8_lossy(&t).into_owned();
                    out.extend(fmt_str(&spec, &s).into_bytes());
                    if stop {
                        ctx.out(out);
                        return i32::from(bad);
                    }
                }
                'q' => out.extend(super::quotef(arg.as_deref().unwrap_or("''")).into_bytes()),
                other => {
                    let d: String = f[i..j].iter().collect();
                    let _ = other;
                    error(ctx, &format!("{d}: invalid conversion specification"));
                    ctx.out(out);
                    return 1;
                }
            }
            i = j;
        }
        if ai == 0 || ai >= rest.len() {
            break;
        }
    }
    if !rest.is_empty() && ai == 0 {
        // a format without directives ignores its arguments (coreutils warns)
        error(
            ctx,
            &format!(
                "warning: ignoring excess arguments, starting with {}",
                quote(&rest[0])
            ),
        );
    }
    ctx.out(out);
    i32::from(bad)
}

//! cat, head, tail, wc, sort, uniq, cut, tr, tee, seq (GNU coreutils 9.1).

use super::{
    bad_option, error, lines, lines_by, parse_count, quote, quoteaf, quotef, read_inputs,
    usage_error,
};
use crate::getopt::{Getopt, HasArg, LongOpt};
use crate::Ctx;

macro_rules! opts {
    ($ctx:expr, $g:ident, $code:expr, |$o:ident| $body:block) => {
        while let Some(r) = $g.next() {
            match r {
                Ok($o) => $body,
                Err(e) => return bad_option($ctx, &e, $code),
            }
        }
    };
}
pub(crate) use opts;

// ---------------------------------------------------------------- cat

pub fn cat(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("number", HasArg::No, 'n'),
        LongOpt::new("number-nonblank", HasArg::No, 'b'),
        LongOpt::new("show-ends", HasArg::No, 'E'),
        LongOpt::new("squeeze-blank", HasArg::No, 's'),
        LongOpt::new("show-tabs", HasArg::No, 'T'),
        LongOpt::new("show-nonprinting", HasArg::No, 'v'),
        LongOpt::new("show-all", HasArg::No, 'A'),
    ];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "benstuvAET", LONGS);
    let (mut num, mut nonblank, mut ends, mut squeeze, mut tabs, mut nonp) =
        (false, false, false, false, false, false);
    opts!(ctx, g, 1, |o| {
        match o.opt {
            'n' => num = true,
            'b' => nonblank = true,
            'E' => ends = true,
            's' => squeeze = true,
            'T' => tabs = true,
            'v' => nonp = true,
            'A' => (nonp, ends, tabs) = (true, true, true),
            'e' => (nonp, ends) = (true, true),
            't' => (nonp, tabs) = (true, true),
            _ => {}
        }
    });
    let files = g.into_operands();
    let files = if files.is_empty() {
        vec!["-".to_string()]
    } else {
        files
    };
    let plain = !(num || nonblank || ends || squeeze || tabs || nonp);
    let mut bad = false;
    // cat numbers lines across files, as one stream
    let mut n = 0u64;
    let mut prev_blank = false;
    let mut at_line_start = true;
    for f in &files {
        let data = match ctx.read_file(f) {
            Ok(d) => d,
            Err(e) => {
                error(ctx, &format!("{}: {e}", quotef(f)));
                bad = true;
                continue;
            }
        };
        if plain {
            ctx.out(&data);
            continue;
        }
        let mut out = Vec::new();
        for piece in data.split_inclusive(|&b| b == b'\n') {
            let nl = piece.ends_with(b"\n");
            let body = if nl { &piece[..piece.len() - 1] } else { piece };
            if at_line_start {
                let blank = body.is_empty() && nl;
                if squeeze && blank && prev_blank {
                    continue;
                }
                prev_blank = blank;
                if (num && !nonblank) || (nonblank && !blank) {
                    n += 1;
                    out.extend_from_slice(format!("{n:>6}\t").as_bytes());
                }
            }
            for &b in body {
                match b {
                    b'\t' if tabs => out.extend_from_slice(b"^I"),
                    b'\t' => out.push(b),
                    _ if nonp => show_nonprinting(&mut out, b),
                    _ => out.push(b),
                }
            }
            if nl {
                if ends {
                    out.push(b'$');
                }
                out.push(b'\n');
            }
            at_line_start = nl;
        }
        ctx.out(&out);
    }
    i32::from(bad)
}

fn show_nonprinting(out: &mut Vec<u8>, b: u8) {
    let mut c = b;
    if c >= 128 {
        out.extend_from_slice(b"M-");
        c -= 128;
    }
    if c < 32 {
        out.push(b'^');
        out.push(c + 64);
    } else if c == 127 {
        out.extend_from_slice(b"^?");
    } else {
        out.push(c);
    }
}

// ---------------------------------------------------------------- head / tail

/// `-5` (obsolete form) → `-n 5`, as head/tail accept it first.
fn obsolete_count(args: &[String]) -> Vec<String> {
    let mut v = args.to_vec();
    if let Some(a) = v.first() {
        let body = a.strip_prefix('-').unwrap_or("");
        if !body.is_empty() && body.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            let d: String = body.chars().take_while(|c| c.is_ascii_digit()).collect();
            let rest = &body[d.len()..];
            let flag = if rest.contains('c') { "-c" } else { "-n" };
            v[0] = flag.to_string();
            v.insert(1, d);
        }
    }
    v
}

pub fn head(ctx: &mut Ctx) -> i32 {
    head_tail(ctx, true)
}

pub fn tail(ctx: &mut Ctx) -> i32 {
    head_tail(ctx, false)
}

fn head_tail(ctx: &mut Ctx, head: bool) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("lines", HasArg::Required, 'n'),
        LongOpt::new("bytes", HasArg::Required, 'c'),
        LongOpt::new("quiet", HasArg::No, 'q'),
        LongOpt::new("silent", HasArg::No, 'q'),
        LongOpt::new("verbose", HasArg::No, 'v'),
        LongOpt::new("follow", HasArg::Optional, 'f'),
        LongOpt::new("zero-terminated", HasArg::No, 'z'),
    ];
    let args = obsolete_count(ctx.args());
    let optstring = if head { "n:c:qvz" } else { "n:c:qvfFz" };
    let mut g = Getopt::new(&args, optstring, LONGS);
    let mut bytes = false;
    // head: Some(n) first n, negative (all but last n); tail: from_start(+n) or last n
    let mut count: u64 = 10;
    let mut sign = ' ';
    let mut verbose = None;
    let mut zero = false;
    opts!(ctx, g, 1, |o| {
        match o.opt {
            'n' | 'c' => {
                bytes = o.opt == 'c';
                let a = o.arg.unwrap_or_default();
                let (s, body) = match a.chars().next() {
                    Some(c @ ('+' | '-')) => (c, &a[1..]),
                    _ => (' ', a.as_str()),
                };
                let Some(n) = parse_count(body) else {
                    let what = if bytes { "bytes" } else { "lines" };
                    error(ctx, &format!("invalid number of {what}: {}", quote(&a)));
                    return 1;
                };
                count = n;
                sign = s;
            }
            'q' => verbose = Some(false),
            'v' => verbose = Some(true),
            'z' => zero = true,
            // tail -f: the lab's files do not grow while a pipeline runs; what is there is
            // printed and tail exits (the real one would wait for more)
            _ => {}
        }
    });
    let files = g.into_operands();
    let files = if files.is_empty() {
        vec!["-".to_string()]
    } else {
        files
    };
    let show_names = verbose.unwrap_or(files.len() > 1);
    let sep = if zero { 0u8 } else { b'\n' };
    let mut bad = false;
    let mut first = true;
    let prog = if head { "head" } else { "tail" };
    for f in &files {
        let data = match ctx.read_file(f) {
            Ok(d) => d,
            Err(e) => {
                error(ctx, &format!("cannot open {} for reading: {e}", quoteaf(f)));
                bad = true;
                continue;
            }
        };
        if show_names {
            let name = if f == "-" { "standard input" } else { f };
            ctx.out(format!("{}==> {name} <==\n", if first { "" } else { "\n" }));
        }
        first = false;
        let n = usize::try_from(count).unwrap_or(usize::MAX);
        let piece: &[u8] = if bytes {
            match (head, sign) {
                (true, '-') => &data[..data.len().saturating_sub(n)],
                (true, _) => &data[..n.min(data.len())],
                (false, '+') => &data[n.saturating_sub(1).min(data.len())..],
                (false, _) => &data[data.len().saturating_sub(n)..],
            }
        } else {
            // byte offsets where each line starts
            let mut starts = vec![0usize];
            for (i, &b) in data.iter().enumerate() {
                if b == sep && i + 1 < data.len() {
                    starts.push(i + 1);
                }
            }
            let nlines = if data.is_empty() { 0 } else { starts.len() };
            let off = |k: usize| if k >= nlines { data.len() } else { starts[k] };
            match (head, sign) {
                (true, '-') => &data[..off(nlines.saturating_sub(n))],
                (true, _) => &data[..off(n)],
                (false, '+') => &data[off(n.saturating_sub(1))..],
                (false, _) => &data[off(nlines.saturating_sub(n))..],
            }
        };
        ctx.out(piece);
    }
    let _ = prog;
    i32::from(bad)
}

// ---------------------------------------------------------------- wc

pub fn wc(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("lines", HasArg::No, 'l'),
        LongOpt::new("words", HasArg::No, 'w'),
        LongOpt::new("bytes", HasArg::No, 'c'),
        LongOpt::new("chars", HasArg::No, 'm'),
        LongOpt::new("max-line-length", HasArg::No, 'L'),
    ];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "lwcmL", LONGS);
    let mut want = [false; 5]; // lines words chars bytes maxlen (wc's print order)
    opts!(ctx, g, 1, |o| {
        match o.opt {
            'l' => want[0] = true,
            'w' => want[1] = true,
            'm' => want[2] = true,
            'c' => want[3] = true,
            'L' => want[4] = true,
            _ => {}
        }
    });
    if !want.iter().any(|&w| w) {
        want = [true, true, false, true, false];
    }
    let files = g.into_operands();
    let names = if files.is_empty() {
        vec![]
    } else {
        files.clone()
    };
    let mut counts: Vec<(Option<String>, [u64; 5])> = Vec::new();
    let mut bad = false;
    let mut regular_total = 0u64;
    let mut min_width = 1;
    let inputs: Vec<String> = if names.is_empty() {
        vec!["-".into()]
    } else {
        names
    };
    let mut readable = Vec::new();
    for f in &inputs {
        match ctx.read_file(f) {
            Ok(d) => {
                if f == "-" {
                    // the lab's stdin is a pipe
                    min_width = 7;
                } else {
                    regular_total += d.len() as u64;
                }
                readable.push((f.clone(), d));
            }
            Err(e) => {
                error(ctx, &format!("{}: {e}", quotef(f)));
                bad = true;
            }
        }
    }
    for (f, d) in &readable {
        let text = String::from_utf8_lossy(d);
        let l = d.iter().filter(|&&b| b == b'\n').count() as u64;
        let w = text.split_ascii_whitespace().count() as u64;
        let m = text.chars().count() as u64;
        let maxlen = text
            .split('\n')
            .map(|s| {
                s.chars().fold(0u64, |col, c| {
                    if c == '\t' {
                        col + 8 - col % 8
                    } else {
                        col + 1
                    }
                })
            })
            .max()
            .unwrap_or(0);
        let name = if files.is_empty() {
            None
        } else {
            Some(f.clone())
        };
        counts.push((name, [l, w, m, d.len() as u64, maxlen]));
    }
    let mut width = 1;
    let mut t = regular_total;
    while t >= 10 {
        width += 1;
        t /= 10;
    }
    width = width.max(min_width);
    if want.iter().filter(|&&w| w).count() == 1 && inputs.len() == 1 {
        width = 1;
    }
    if counts.len() > 1 {
        let mut tot = [0u64; 5];
        for (_, c) in &counts {
            for i in 0..4 {
                tot[i] += c[i];
            }
            tot[4] = tot[4].max(c[4]);
        }
        counts.push((Some("total".into()), tot));
    }
    for (name, c) in counts {
        let mut parts: Vec<String> = (0..5)
            .filter(|&i| want[i])
            .map(|i| format!("{:>width$}", c[i]))
            .collect();
        if let Some(n) = name {
            parts.push(n);
        }
        ctx.out(parts.join(" ") + "\n");
    }
    i32::from(bad)
}

// ---------------------------------------------------------------- sort

#[derive(Clone, Default, Debug)]
struct KeyOpts {
    numeric: bool,
    general: bool,
    human: bool,
    version: bool,
    reverse: bool,
    fold: bool,
    blanks: bool,
}

#[derive(Clone, Debug)]
struct Key {
    sf: usize,
    sc: usize,
    ef: Option<usize>,
    ec: usize,
    opts: KeyOpts,
    has_opts: bool,
}

fn key_opts(s: &str, o: &mut KeyOpts) -> bool {
    for c in s.chars() {
        match c {
            'n' => o.numeric = true,
            'g' => o.general = true,
            'h' => o.human = true,
            'V' => o.version = true,
            'r' => o.reverse = true,
            'f' => o.fold = true,
            'b' => o.blanks = true,
            'd' | 'i' | 'M' | 'R' => {}
            _ => return false,
        }
    }
    true
}

fn parse_key(spec: &str) -> Option<Key> {
    let (a, b) = match spec.split_once(',') {
        Some((a, b)) => (a, Some(b)),
        None => (spec, None),
    };
    let mut opts = KeyOpts::default();
    let mut has_opts = false;
    let field = |s: &str, opts: &mut KeyOpts, has: &mut bool| -> Option<(usize, usize)> {
        let d: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
        let mut rest = &s[d.len()..];
        let f: usize = d.parse().ok()?;
        let mut c = 0;
        if let Some(r) = rest.strip_prefix('.') {
            let cd: String = r.chars().take_while(|c| c.is_ascii_digit()).collect();
            c = cd.parse().ok()?;
            rest = &r[cd.len()..];
        }
        if !rest.is_empty() {
            *has = true;
            if !key_opts(rest, opts) {
                return None;
            }
        }
        Some((f, c))
    };
    let (sf, sc) = field(a, &mut opts, &mut has_opts)?;
    if sf == 0 {
        return None;
    }
    let (ef, ec) = match b {
        Some(b) => {
            let (f, c) = field(b, &mut opts, &mut has_opts)?;
            (Some(f), c)
        }
        None => (None, 0),
    };
    Some(Key {
        sf,
        sc: sc.max(1),
        ef,
        ec,
        opts,
        has_opts,
    })
}

/// The part of `line` a key selects (coreutils' `begfield`/`limfield`).
fn key_slice<'l>(line: &'l [u8], k: &Key, tab: Option<u8>) -> &'l [u8] {
    let blank = |b: u8| b == b' ' || b == b'\t';
    // field starts: with -t, after each separator; without, a field is blanks + non-blanks
    let field_start = |n: usize| -> usize {
        let mut pos = 0;
        for _ in 1..n {
            match tab {
                Some(t) => match line[pos..].iter().position(|&b| b == t) {
                    Some(i) => pos += i + 1,
                    None => return line.len(),
                },
                None => {
                    while pos < line.len() && blank(line[pos]) {
                        pos += 1;
                    }
                    while pos < line.len() && !blank(line[pos]) {
                        pos += 1;
                    }
                }
            }
        }
        pos
    };
    let mut beg = field_start(k.sf);
    if k.opts.blanks {
        while beg < line.len() && blank(line[beg]) {
            beg += 1;
        }
    }
    beg = (beg + k.sc - 1).min(line.len());
    let end = match k.ef {
        None => line.len(),
        Some(ef) => {
            let fs = field_start(ef);
            if k.ec == 0 {
                // end of field ef
                let mut e = fs;
                match tab {
                    Some(t) => {
                        while e < line.len() && line[e] != t {
                            e += 1;
                        }
                    }
                    None => {
                        while e < line.len() && blank(line[e]) {
                            e += 1;
                        }
                        while e < line.len() && !blank(line[e]) {
                            e += 1;
                        }
                    }
                }
                e
            } else {
                let mut s = fs;
                if k.opts.blanks {
                    while s < line.len() && blank(line[s]) {
                        s += 1;
                    }
                }
                (s + k.ec).min(line.len())
            }
        }
    };
    if end <= beg {
        &line[beg..beg]
    } else {
        &line[beg..end]
    }
}

/// A number's value the way `sort -n` reads it: blanks, `-`, digits, one `.`, nothing else
/// (no `+`, no exponent); anything else is 0.
fn num_prefix(s: &[u8]) -> f64 {
    let s = String::from_utf8_lossy(s);
    let t = s.trim_start_matches([' ', '\t']);
    let mut end = 0;
    let b = t.as_bytes();
    if end < b.len() && b[end] == b'-' {
        end += 1;
    }
    let mut dot = false;
    while end < b.len() && (b[end].is_ascii_digit() || (b[end] == b'.' && !dot)) {
        if b[end] == b'.' {
            dot = true;
        }
        end += 1;
    }
    t[..end].parse().unwrap_or(0.0)
}

fn human(s: &[u8]) -> f64 {
    let v = num_prefix(s);
    let s = String::from_utf8_lossy(s);
    let t = s.trim_start();
    let num_len = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .unwrap_or(t.len());
    let p = match t[num_len..].chars().next() {
        Some('K' | 'k') => 1,
        Some('M') => 2,
        Some('G') => 3,
        Some('T') => 4,
        Some('P') => 5,
        Some('E') => 6,
        _ => 0,
    };
    // sort -h orders by suffix first, then by value
    (p as f64) * 1e300_f64.sqrt() * v.signum() + v
}

fn version_cmp(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    // digit runs compare numerically, the rest bytewise (filevercmp, simplified)
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let si = i;
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            let sj = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let na = String::from_utf8_lossy(&a[si..i])
                .trim_start_matches('0')
                .to_string();
            let nb = String::from_utf8_lossy(&b[sj..j])
                .trim_start_matches('0')
                .to_string();
            let o = na.len().cmp(&nb.len()).then(na.cmp(&nb));
            if o.is_ne() {
                return o;
            }
        } else {
            let o = a[i].cmp(&b[j]);
            if o.is_ne() {
                return o;
            }
            i += 1;
            j += 1;
        }
    }
    (a.len() - i).cmp(&(b.len() - j))
}

fn cmp_by(a: &[u8], b: &[u8], o: &KeyOpts) -> std::cmp::Ordering {
    let ord = if o.numeric {
        num_prefix(a).total_cmp(&num_prefix(b))
    } else if o.general {
        let g = |s: &[u8]| -> f64 {
            String::from_utf8_lossy(s)
                .trim()
                .parse::<f64>()
                .unwrap_or(f64::NEG_INFINITY)
        };
        g(a).total_cmp(&g(b))
    } else if o.human {
        human(a).total_cmp(&human(b))
    } else if o.version {
        version_cmp(a, b)
    } else if o.fold {
        a.to_ascii_uppercase().cmp(&b.to_ascii_uppercase())
    } else {
        a.cmp(b)
    };
    if o.reverse {
        ord.reverse()
    } else {
        ord
    }
}

pub fn sort(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("numeric-sort", HasArg::No, 'n'),
        LongOpt::new("general-numeric-sort", HasArg::No, 'g'),
        LongOpt::new("human-numeric-sort", HasArg::No, 'h'),
        LongOpt::new("version-sort", HasArg::No, 'V'),
        LongOpt::new("reverse", HasArg::No, 'r'),
        LongOpt::new("unique", HasArg::No, 'u'),
        LongOpt::new("key", HasArg::Required, 'k'),
        LongOpt::new("field-separator", HasArg::Required, 't'),
        LongOpt::new("ignore-case", HasArg::No, 'f'),
        LongOpt::new("ignore-leading-blanks", HasArg::No, 'b'),
        LongOpt::new("stable", HasArg::No, 's'),
        LongOpt::new("output", HasArg::Required, 'o'),
        LongOpt::new("zero-terminated", HasArg::No, 'z'),
        LongOpt::new("check", HasArg::No, 'c'),
    ];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "ngVhrufbsk:t:o:zcdiMR", LONGS);
    let mut global = KeyOpts::default();
    let (mut unique, mut stable, mut zero, mut check) = (false, false, false, false);
    let mut keys = Vec::new();
    let mut tab = None;
    let mut output = None;
    opts!(ctx, g, 2, |o| {
        match o.opt {
            'k' => {
                let a = o.arg.unwrap_or_default();
                match parse_key(&a) {
                    Some(k) => keys.push(k),
                    None => {
                        error(
                            ctx,
                            &format!(
                                "invalid number at field start: invalid count at start of {}",
                                quote(&a)
                            ),
                        );
                        return 2;
                    }
                }
            }
            't' => {
                let a = o.arg.unwrap_or_default();
                if a.len() != 1 {
                    let text = if a.is_empty() {
                        "empty tab".to_string()
                    } else {
                        format!("multi-character tab {}", quote(&a))
                    };
                    error(ctx, &text);
                    return 2;
                }
                tab = Some(a.as_bytes()[0]);
            }
            'o' => output = o.arg,
            'u' => unique = true,
            's' => stable = true,
            'z' => zero = true,
            'c' => check = true,
            c => {
                key_opts(&c.to_string(), &mut global);
            }
        }
    });
    for k in &mut keys {
        if !k.has_opts {
            k.opts = global.clone();
        }
    }
    let files = g.into_operands();
    let (ins, bad) = {
        let mut out = Vec::new();
        let mut bad = false;
        let fl = if files.is_empty() {
            vec!["-".to_string()]
        } else {
            files
        };
        for f in &fl {
            match ctx.read_file(f) {
                Ok(d) => out.push(d),
                Err(e) => {
                    error(ctx, &format!("cannot read: {}: {e}", quotef(f)));
                    bad = true;
                }
            }
        }
        (out, bad)
    };
    if bad {
        return 2;
    }
    let sep = if zero { 0 } else { b'\n' };
    let mut all: Vec<&[u8]> = Vec::new();
    for d in &ins {
        all.extend(lines_by(d, sep));
    }
    let cmp_keys = |a: &[u8], b: &[u8]| -> std::cmp::Ordering {
        if keys.is_empty() {
            return cmp_by(a, b, &global);
        }
        for k in &keys {
            let o = cmp_by(key_slice(a, k, tab), key_slice(b, k, tab), &k.opts);
            if o.is_ne() {
                return o;
            }
        }
        std::cmp::Ordering::Equal
    };
    let full = |a: &[u8], b: &[u8]| -> std::cmp::Ordering {
        let o = cmp_keys(a, b);
        if o.is_ne() || unique || stable {
            return o;
        }
        // the last-resort comparison: the whole lines, bytewise (reversed by a global -r)
        let lr = a.cmp(b);
        if global.reverse {
            lr.reverse()
        } else {
            lr
        }
    };
    if check {
        for w in all.windows(2) {
            let o = full(w[0], w[1]);
            if o.is_gt() || (unique && o.is_eq()) {
                let name = "-";
                let pos = all.iter().position(|l| std::ptr::eq(*l, w[1])).unwrap_or(0) + 1;
                ctx.err(format!(
                    "sort: {name}:{pos}: disorder: {}\n",
                    String::from_utf8_lossy(w[1])
                ));
                return 1;
            }
        }
        return 0;
    }
    all.sort_by(|a, b| full(a, b));
    if unique {
        all.dedup_by(|b, a| cmp_keys(a, b).is_eq());
    }
    let mut out = Vec::new();
    for l in all {
        out.extend_from_slice(l);
        out.push(sep);
    }
    match output {
        Some(o) => {
            if let Err(e) = ctx.write_file(&o, &out, false) {
                error(ctx, &format!("open failed: {}: {e}", quotef(&o)));
                return 2;
            }
        }
        None => ctx.out(out),
    }
    0
}

// ---------------------------------------------------------------- uniq

pub fn uniq(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("count", HasArg::No, 'c'),
        LongOpt::new("repeated", HasArg::No, 'd'),
        LongOpt::new("unique", HasArg::No, 'u'),
        LongOpt::new("ignore-case", HasArg::No, 'i'),
        LongOpt::new("skip-fields", HasArg::Required, 'f'),
        LongOpt::new("skip-chars", HasArg::Required, 's'),
        LongOpt::new("check-chars", HasArg::Required, 'w'),
    ];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "cdDuif:s:w:z", LONGS);
    let (mut count, mut dup, mut uniq_only, mut icase) = (false, false, false, false);
    let (mut skip_f, mut skip_c, mut check) = (0usize, 0usize, usize::MAX);
    opts!(ctx, g, 1, |o| {
        let num = |o: &crate::getopt::Opt| o.arg.as_deref().and_then(|a| a.parse::<usize>().ok());
        match o.opt {
            'c' => count = true,
            'd' | 'D' => dup = true,
            'u' => uniq_only = true,
            'i' => icase = true,
            'f' | 's' | 'w' => {
                let Some(n) = num(&o) else {
                    let what = match o.opt {
                        'f' => "number of fields to skip",
                        's' => "number of bytes to skip",
                        _ => "number of bytes to compare",
                    };
                    error(
                        ctx,
                        &format!("{}: invalid {what}", o.arg.unwrap_or_default()),
                    );
                    return 1;
                };
                match o.opt {
                    'f' => skip_f = n,
                    's' => skip_c = n,
                    _ => check = n,
                }
            }
            _ => {}
        }
    });
    let ops = g.into_operands();
    let input = match ops.first() {
        Some(f) => match ctx.read_file(f) {
            Ok(d) => d,
            Err(e) => {
                error(ctx, &format!("{}: {e}", quotef(f)));
                return 1;
            }
        },
        None => ctx.stdin.to_vec(),
    };
    let key = |l: &[u8]| -> Vec<u8> {
        let mut p = 0;
        for _ in 0..skip_f {
            while p < l.len() && (l[p] == b' ' || l[p] == b'\t') {
                p += 1;
            }
            while p < l.len() && !(l[p] == b' ' || l[p] == b'\t') {
                p += 1;
            }
        }
        p = (p + skip_c).min(l.len());
        let e = p.saturating_add(check).min(l.len());
        let k = &l[p..e];
        if icase {
            k.to_ascii_lowercase()
        } else {
            k.to_vec()
        }
    };
    let ls = lines(&input);
    let mut out = Vec::new();
    let mut i = 0;
    while i < ls.len() {
        let k = key(ls[i]);
        let mut j = i + 1;
        while j < ls.len() && key(ls[j]) == k {
            j += 1;
        }
        let n = j - i;
        if (!dup || n > 1) && (!uniq_only || n == 1) {
            if count {
                out.extend_from_slice(format!("{n:>7} ").as_bytes());
            }
            out.extend_from_slice(ls[i]);
            out.push(b'\n');
        }
        i = j;
    }
    match ops.get(1) {
        Some(o) => {
            if let Err(e) = ctx.write_file(o, &out, false) {
                error(ctx, &format!("{}: {e}", quotef(o)));
                return 1;
            }
        }
        None => ctx.out(out),
    }
    0
}

// ---------------------------------------------------------------- cut

fn parse_list(s: &str) -> Option<Vec<(usize, usize)>> {
    let mut v = Vec::new();
    for part in s.split([',', ' ']) {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a, Some(b)),
            None => (part, None),
        };
        let lo = if a.is_empty() { 1 } else { a.parse().ok()? };
        let hi = match b {
            None => lo,
            Some("") => usize::MAX,
            Some(b) => b.parse().ok()?,
        };
        if lo == 0 || (a.is_empty() && b == Some("")) {
            return None;
        }
        v.push((lo, hi));
    }
    Some(v)
}

pub fn cut(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("bytes", HasArg::Required, 'b'),
        LongOpt::new("characters", HasArg::Required, 'c'),
        LongOpt::new("fields", HasArg::Required, 'f'),
        LongOpt::new("delimiter", HasArg::Required, 'd'),
        LongOpt::new("only-delimited", HasArg::No, 's'),
        LongOpt::new("complement", HasArg::No, '\u{e000}'),
        LongOpt::new("output-delimiter", HasArg::Required, '\u{e001}'),
    ];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "b:c:f:d:sn", LONGS);
    let mut list: Option<(char, String)> = None;
    let mut delim = b'\t';
    let mut only = false;
    let mut complement = false;
    let mut out_delim: Option<Vec<u8>> = None;
    opts!(ctx, g, 1, |o| {
        match o.opt {
            'b' | 'c' | 'f' => {
                if list.is_some() {
                    return usage_error(ctx, "only one type of list may be specified", 1);
                }
                list = Some((o.opt, o.arg.unwrap_or_default()));
            }
            'd' => {
                let a = o.arg.unwrap_or_default();
                if a.chars().count() > 1 {
                    return usage_error(ctx, "the delimiter must be a single character", 1);
                }
                delim = a.bytes().next().unwrap_or(0);
            }
            's' => only = true,
            '\u{e000}' => complement = true,
            '\u{e001}' => out_delim = Some(o.arg.unwrap_or_default().into_bytes()),
            _ => {}
        }
    });
    let Some((kind, spec)) = list else {
        return usage_error(
            ctx,
            "you must specify a list of bytes, characters, or fields",
            1,
        );
    };
    let Some(ranges) = parse_list(&spec) else {
        let what = if kind == 'f' {
            "field"
        } else {
            "byte/character"
        };
        let msg = if spec.contains('-') && spec.split([',']).any(|p| p == "-") {
            "invalid range with no endpoint: -".to_string()
        } else if spec.split(',').any(|p| p == "0" || p.starts_with("0-")) {
            format!("{what}s are numbered from 1")
        } else {
            format!("invalid {what} list")
        };
        return usage_error(ctx, &msg, 1);
    };
    let sel = |i: usize| ranges.iter().any(|&(lo, hi)| i >= lo && i <= hi) != complement;
    let files = g.into_operands();
    let (ins, bad) = read_inputs(ctx, &files);
    let mut out = Vec::new();
    for (_, d) in &ins {
        for l in lines(d) {
            if kind == 'f' {
                if !l.contains(&delim) {
                    if !only {
                        out.extend_from_slice(l);
                        out.push(b'\n');
                    }
                    continue;
                }
                let od = out_delim.clone().unwrap_or_else(|| vec![delim]);
                let mut first = true;
                for (i, f) in l.split(|&b| b == delim).enumerate() {
                    if sel(i + 1) {
                        if !first {
                            out.extend_from_slice(&od);
                        }
                        out.extend_from_slice(f);
                        first = false;
                    }
                }
            } else {
                // -c is bytes in coreutils 9.1 (no multibyte support)
                let mut prev = false;
                for (i, &b) in l.iter().enumerate() {
                    let s = sel(i + 1);
                    if s {
                        if let Some(od) = &out_delim {
                            if !prev && i > 0 && out.last().is_some_and(|&c| c != b'\n') {
                                out.extend_from_slice(od);
                            }
                        }
                        out.push(b);
                    }
                    prev = s;
                }
            }
            out.push(b'\n');
        }
    }
    ctx.out(out);
    i32::from(bad)
}

// ---------------------------------------------------------------- tr

/// A tr SET expanded into bytes (`a-z`, `[:alpha:]`, `\n`, `\012`, `[c*n]`).
fn tr_set(s: &str) -> Result<Vec<u8>, String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let one = |i: &mut usize| -> u8 {
        let c = b[*i];
        if c == b'\\' && *i + 1 < b.len() {
            *i += 1;
            let e = b[*i];
            *i += 1;
            match e {
                b'n' => b'\n',
                b't' => b'\t',
                b'r' => b'\r',
                b'a' => 7,
                b'b' => 8,
                b'f' => 12,
                b'v' => 11,
                b'0'..=b'7' => {
                    let mut v = u32::from(e - b'0');
                    let mut k = 0;
                    while k < 2 && *i < b.len() && (b'0'..=b'7').contains(&b[*i]) {
                        v = v * 8 + u32::from(b[*i] - b'0');
                        *i += 1;
                        k += 1;
                    }
                    v as u8
                }
                e => e,
            }
        } else {
            *i += 1;
            c
        }
    };
    while i < b.len() {
        if b[i] == b'[' && b.get(i + 1) == Some(&b':') {
            if let Some(end) = s[i + 2..].find(":]") {
                let name = &s[i + 2..i + 2 + end];
                let pred: fn(&u8) -> bool = match name {
                    "alpha" => u8::is_ascii_alphabetic,
                    "digit" => u8::is_ascii_digit,
                    "alnum" => u8::is_ascii_alphanumeric,
                    "upper" => u8::is_ascii_uppercase,
                    "lower" => u8::is_ascii_lowercase,
                    "space" => |c| c.is_ascii_whitespace() || *c == 11,
                    "blank" => |c| *c == b' ' || *c == b'\t',
                    "punct" => u8::is_ascii_punctuation,
                    "cntrl" => u8::is_ascii_control,
                    "xdigit" => u8::is_ascii_hexdigit,
                    "print" => |c| (32..127).contains(c),
                    "graph" => u8::is_ascii_graphic,
                    _ => return Err(format!("invalid character class {}", quote(name))),
                };
                out.extend((0..=255u8).filter(pred));
                i += end + 4;
                continue;
            }
        }
        if b[i] == b'[' {
            // [c*n] / [c*]
            if let Some(close) = s[i..].find(']') {
                let inner = &s[i + 1..i + close];
                if let Some((c, n)) = inner.split_once('*') {
                    let mut k = 0;
                    let cb = c.as_bytes();
                    if !cb.is_empty() {
                        let ch = {
                            let mut j = 0;
                            let st = c;
                            let _ = st;
                            let r = if cb[0] == b'\\' {
                                tr_set(c)?.first().copied().unwrap_or(0)
                            } else {
                                cb[0]
                            };
                            j += 1;
                            let _ = j;
                            r
                        };
                        let n: usize = if n.is_empty() {
                            0
                        } else {
                            n.parse().map_err(|_| {
                                format!("invalid repeat count {} in [c*n] construct", quote(n))
                            })?
                        };
                        // n = 0: fill to the length of SET1 (done by the caller as padding)
                        let reps = if n == 0 { 1 } else { n };
                        while k < reps {
                            out.push(ch);
                            k += 1;
                        }
                        i += close + 1;
                        continue;
                    }
                }
            }
        }
        let c = one(&mut i);
        if i < b.len() && b[i] == b'-' && i + 1 < b.len() {
            i += 1;
            let hi = one(&mut i);
            if hi < c {
                return Err(format!(
                    "range-endpoints of '{}-{}' are in reverse collating sequence order",
                    c as char, hi as char
                ));
            }
            out.extend(c..=hi);
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

pub fn tr(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("delete", HasArg::No, 'd'),
        LongOpt::new("squeeze-repeats", HasArg::No, 's'),
        LongOpt::new("complement", HasArg::No, 'c'),
        LongOpt::new("truncate-set1", HasArg::No, 't'),
    ];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "dscCt", LONGS);
    let (mut del, mut squeeze, mut comp, mut trunc) = (false, false, false, false);
    opts!(ctx, g, 1, |o| {
        match o.opt {
            'd' => del = true,
            's' => squeeze = true,
            'c' | 'C' => comp = true,
            't' => trunc = true,
            _ => {}
        }
    });
    let ops = g.into_operands();
    let need = if del == squeeze && del {
        2
    } else if del || (squeeze && ops.len() < 2) {
        1
    } else {
        2
    };
    if ops.is_empty() {
        return usage_error(ctx, "missing operand", 1);
    }
    if ops.len() < need {
        let prog = ctx.prog().to_string();
        ctx.err(format!(
            "{prog}: missing operand after {}\n",
            quote(&ops[ops.len() - 1])
        ));
        if !del {
            ctx.err("Two strings must be given when translating.\n");
        } else {
            ctx.err("Two strings must be given when deleting and squeezing.\n");
        }
        return super::try_help(ctx, 1);
    }
    if ops.len() > need {
        let prog = ctx.prog().to_string();
        ctx.err(format!("{prog}: extra operand {}\n", quote(&ops[need])));
        if del && need == 1 {
            ctx.err("Only one string may be given when deleting without squeezing repeats.\n");
        }
        return super::try_help(ctx, 1);
    }
    let set1 = match tr_set(&ops[0]) {
        Ok(s) => s,
        Err(e) => {
            error(ctx, &e);
            return 1;
        }
    };
    let set2 = match ops.get(1).map(|s| tr_set(s)).transpose() {
        Ok(s) => s,
        Err(e) => {
            error(ctx, &e);
            return 1;
        }
    };
    let mut in1 = [false; 256];
    for &c in &set1 {
        in1[c as usize] = true;
    }
    if comp {
        for v in in1.iter_mut() {
            *v = !*v;
        }
    }
    let mut map: [u8; 256] = std::array::from_fn(|i| i as u8);
    let translating = !del && set2.is_some();
    if translating {
        let s2 = set2.clone().unwrap_or_default();
        if s2.is_empty() {
            error(ctx, "when not truncating set1, string2 must be non-empty");
            return 1;
        }
        let src: Vec<u8> = if comp {
            (0..=255u8).filter(|&c| in1[c as usize]).collect()
        } else {
            set1.clone()
        };
        for (k, &c) in src.iter().enumerate() {
            let t = match s2.get(k) {
                Some(&t) => t,
                None if trunc => continue,
                None => *s2.last().unwrap_or(&c),
            };
            map[c as usize] = t;
        }
    }
    let mut sq = [false; 256];
    if squeeze {
        let last: &[u8] = if translating || del {
            set2.as_deref().unwrap_or(&[])
        } else {
            &set1
        };
        if !translating && !del {
            sq = in1;
        } else {
            for &c in last {
                sq[c as usize] = true;
            }
        }
    }
    let mut out = Vec::with_capacity(ctx.stdin.len());
    let input = ctx.stdin.to_vec();
    for &b in &input {
        if del && in1[b as usize] {
            continue;
        }
        let c = if translating { map[b as usize] } else { b };
        if squeeze && sq[c as usize] && out.last() == Some(&c) {
            continue;
        }
        out.push(c);
    }
    ctx.out(out);
    0
}

// ---------------------------------------------------------------- tee

pub fn tee(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("append", HasArg::No, 'a'),
        LongOpt::new("ignore-interrupts", HasArg::No, 'i'),
    ];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "aip", LONGS);
    let mut append = false;
    opts!(ctx, g, 1, |o| {
        if o.opt == 'a' {
            append = true;
        }
    });
    let data = ctx.stdin.to_vec();
    let mut bad = false;
    for f in g.into_operands() {
        if f == "-" {
            ctx.out(&data);
            continue;
        }
        if let Err(e) = ctx.write_file(&f, &data, append) {
            error(ctx, &format!("{}: {e}", quotef(&f)));
            bad = true;
        }
    }
    ctx.out(&data);
    i32::from(bad)
}

// ---------------------------------------------------------------- seq

pub fn seq(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("separator", HasArg::Required, 's'),
        LongOpt::new("equal-width", HasArg::No, 'w'),
        LongOpt::new("format", HasArg::Required, 'f'),
    ];
    // negative numbers are operands, not options: seq stops option parsing at them
    let mut args = ctx.args().to_vec();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let negnum = a.len() > 1
            && a.starts_with('-')
            && a[1..].starts_with(|c: char| c.is_ascii_digit() || c == '.');
        if negnum {
            args.insert(i, "--".into());
            break;
        }
        if !a.starts_with('-') || a == "--" {
            break;
        }
        // -s SEP / -f FMT take the next word
        if a == "-s" || a == "-f" {
            i += 1;
        }
        i += 1;
    }
    let mut g = Getopt::new(&args, "+s:wf:", LONGS);
    let mut sep = "\n".to_string();
    let mut width = false;
    let mut fmt = None;
    opts!(ctx, g, 1, |o| {
        match o.opt {
            's' => sep = o.arg.unwrap_or_default(),
            'w' => width = true,
            'f' => fmt = o.arg,
            _ => {}
        }
    });
    let ops = g.into_operands();
    if ops.is_empty() {
        return usage_error(ctx, "missing operand", 1);
    }
    if ops.len() > 3 {
        return usage_error(ctx, &format!("extra operand {}", quote(&ops[3])), 1);
    }
    let mut vals = Vec::new();
    let mut prec = 0usize;
    for o in &ops {
        let t = o.trim_start_matches('+');
        match t.parse::<f64>() {
            Ok(v) if !t.is_empty() && !t.contains(['e', 'E', 'x', 'X', 'n', 'N', 'i', 'I']) => {
                if let Some(d) = t.find('.') {
                    prec = prec.max(t.len() - d - 1);
                }
                vals.push(v);
            }
            _ => {
                return usage_error(
                    ctx,
                    &format!("invalid floating point argument: {}", quote(o)),
                    1,
                );
            }
        }
    }
    let (first, step, last) = match vals.len() {
        1 => (1.0, 1.0, vals[0]),
        2 => (vals[0], 1.0, vals[1]),
        _ => (vals[0], vals[1], vals[2]),
    };
    // the precision of LAST does not count (seq uses FIRST's and INCR's)
    if ops.len() >= 2 {
        prec = 0;
        for o in &ops[..ops.len() - 1] {
            if let Some(d) = o.find('.') {
                prec = prec.max(o.len() - d - 1);
            }
        }
    }
    if step == 0.0 {
        return usage_error(
            ctx,
            &format!("invalid Zero increment value: {}", quote(&ops[1])),
            1,
        );
    }
    let fmt_one = |v: f64| -> String {
        match &fmt {
            Some(f) => super::printf::format_float_directive(f, v),
            None => format!("{v:.prec$}"),
        }
    };
    let mut items = Vec::new();
    let mut k = 0u64;
    loop {
        let v = first + step * k as f64;
        if (step > 0.0 && v > last + 1e-12) || (step < 0.0 && v < last - 1e-12) {
            break;
        }
        items.push(fmt_one(v));
        k += 1;
        if items.len() >= 1_000_000 {
            // a lab's pipeline never needs more; bad input must not fill memory
            error(ctx, "nslab: seq beyond 1000000 numbers is not modelled yet");
            return 127;
        }
    }
    if width && fmt.is_none() {
        let w = items.iter().map(String::len).max().unwrap_or(0);
        for it in &mut items {
            if let Some(d) = it.strip_prefix('-') {
                *it = format!("-{:0>w$}", d, w = w - 1);
            } else {
                *it = format!("{it:0>w$}");
            }
        }
    }
    if !items.is_empty() {
        ctx.out(items.join(&sep));
        ctx.out("\n");
    }
    0
}

/// Whether `-z`/`--null-data` is among a program's arguments (grep's NUL-separated lines).
pub(crate) fn zero_flag(args: &[String]) -> bool {
    args.iter().any(|a| {
        a == "--null-data"
            || (a.starts_with('-') && !a.starts_with("--") && a[1..].contains('z') && a.len() < 6)
    })
}

//! GNU grep 3.8: -G/-E/-F/-P, -e/-f, -i/-y, -v, -w, -x, -c, -q, -s, -o, -n, -h/-H, -l/-L, -m,
//! -A/-B/-C, -r over the lab's files. Matching through [`crate::posix_re`] (BRE/ERE) or the
//! `regex` crate directly (-P, whose syntax is close to Perl's).

use crate::coreutils::quotef;
use crate::getopt::{Getopt, GetoptError, HasArg, LongOpt};
use crate::posix_re::{self, ReError};
use crate::Ctx;
use regex::Regex;

fn usage(ctx: &mut Ctx, e: Option<&GetoptError>) -> i32 {
    if let Some(e) = e {
        ctx.err(e.glibc_message("grep"));
    }
    ctx.err(
        "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
    );
    2
}

struct Matcher {
    re: Regex,
    word: bool,
    line: bool,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl Matcher {
    /// The matches of one line (byte ranges), as grep selects them.
    fn matches(&self, l: &str) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        if self.line {
            if let Some(m) = self.re.find(l) {
                if m.start() == 0 && m.end() == l.len() {
                    v.push((0, l.len()));
                }
            }
            return v;
        }
        let mut at = 0;
        while at <= l.len() {
            let Some(m) = self.re.find_at(l, at) else {
                break;
            };
            let (s, e) = (m.start(), m.end());
            if self.word {
                let before = l[..s].chars().next_back().is_some_and(is_word);
                let after = l[e..].chars().next().is_some_and(is_word);
                if before || after {
                    // GNU tries a later start (and shorter matches; not modelled)
                    at = s + l[s..].chars().next().map_or(1, char::len_utf8);
                    continue;
                }
            }
            v.push((s, e));
            at = if e == s {
                e + l[e..].chars().next().map_or(1, char::len_utf8)
            } else {
                e
            };
        }
        v
    }
}

pub fn grep(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("extended-regexp", HasArg::No, 'E'),
        LongOpt::new("fixed-strings", HasArg::No, 'F'),
        LongOpt::new("basic-regexp", HasArg::No, 'G'),
        LongOpt::new("perl-regexp", HasArg::No, 'P'),
        LongOpt::new("regexp", HasArg::Required, 'e'),
        LongOpt::new("file", HasArg::Required, 'f'),
        LongOpt::new("ignore-case", HasArg::No, 'i'),
        LongOpt::new("no-ignore-case", HasArg::No, '\u{e000}'),
        LongOpt::new("invert-match", HasArg::No, 'v'),
        LongOpt::new("word-regexp", HasArg::No, 'w'),
        LongOpt::new("line-regexp", HasArg::No, 'x'),
        LongOpt::new("count", HasArg::No, 'c'),
        LongOpt::new("quiet", HasArg::No, 'q'),
        LongOpt::new("silent", HasArg::No, 'q'),
        LongOpt::new("no-messages", HasArg::No, 's'),
        LongOpt::new("only-matching", HasArg::No, 'o'),
        LongOpt::new("line-number", HasArg::No, 'n'),
        LongOpt::new("with-filename", HasArg::No, 'H'),
        LongOpt::new("no-filename", HasArg::No, 'h'),
        LongOpt::new("files-with-matches", HasArg::No, 'l'),
        LongOpt::new("files-without-match", HasArg::No, 'L'),
        LongOpt::new("max-count", HasArg::Required, 'm'),
        LongOpt::new("after-context", HasArg::Required, 'A'),
        LongOpt::new("before-context", HasArg::Required, 'B'),
        LongOpt::new("context", HasArg::Required, 'C'),
        LongOpt::new("recursive", HasArg::No, 'r'),
        LongOpt::new("color", HasArg::Optional, '\u{e001}'),
        LongOpt::new("colour", HasArg::Optional, '\u{e001}'),
        LongOpt::new("text", HasArg::No, 'a'),
        LongOpt::new("null-data", HasArg::No, 'z'),
    ];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "EFGPe:f:iyvwxcqsonHhlLm:A:B:C:rRaz0123456789", LONGS);
    let mut mode = 'G';
    let mut pats: Vec<String> = Vec::new();
    let mut have_pats = false;
    let (mut icase, mut invert, mut word, mut linex) = (false, false, false, false);
    let (mut count, mut quiet, mut silent, mut only, mut number) =
        (false, false, false, false, false);
    let (mut with_name, mut list, mut list_not, mut recursive) = (None, false, false, false);
    let mut max: Option<u64> = None;
    let (mut after, mut before) = (0usize, 0usize);
    let mut digits_ctx = String::new();
    while let Some(r) = g.next() {
        let o = match r {
            Ok(o) => o,
            Err(e) => return usage(ctx, Some(&e)),
        };
        let num = |ctx: &mut Ctx, what: &str, a: &str| -> Option<usize> {
            match a.parse::<usize>() {
                Ok(v) => Some(v),
                Err(_) => {
                    ctx.err(format!("grep: {a}: invalid {what} argument\n"));
                    None
                }
            }
        };
        let arg = o.arg.clone().unwrap_or_default();
        match o.opt {
            'E' | 'F' | 'G' | 'P' => mode = o.opt,
            'e' => {
                pats.extend(arg.split('\n').map(str::to_string));
                have_pats = true;
            }
            'f' => match ctx.read_file(&arg) {
                Ok(d) => {
                    let t = String::from_utf8_lossy(&d).into_owned();
                    pats.extend(
                        crate::coreutils::lines(t.as_bytes())
                            .iter()
                            .map(|l| String::from_utf8_lossy(l).into_owned()),
                    );
                    have_pats = true;
                }
                Err(e) => {
                    ctx.err(format!("grep: {}: {e}\n", quotef(&arg)));
                    return 2;
                }
            },
            'i' | 'y' => icase = true,
            '\u{e000}' => icase = false,
            'v' => invert = true,
            'w' => word = true,
            'x' => linex = true,
            'c' => count = true,
            'q' => quiet = true,
            's' => silent = true,
            'o' => only = true,
            'n' => number = true,
            'H' => with_name = Some(true),
            'h' => with_name = Some(false),
            'l' => list = true,
            'L' => list_not = true,
            'r' | 'R' => recursive = true,
            'm' => match arg.parse::<i64>() {
                Ok(v) => max = if v < 0 { None } else { Some(v as u64) },
                Err(_) => {
                    ctx.err("grep: invalid max count\n");
                    return 2;
                }
            },
            'A' | 'B' | 'C' => {
                let Some(v) = num(ctx, "context length", &arg) else {
                    return 2;
                };
                match o.opt {
                    'A' => after = v,
                    'B' => before = v,
                    _ => (after, before) = (v, v),
                }
            }
            c if c.is_ascii_digit() => {
                digits_ctx.push(c);
                let v: usize = digits_ctx.parse().unwrap_or(0);
                (after, before) = (v, v);
            }
            _ => {}
        }
    }
    let mut ops = g.into_operands();
    if !have_pats {
        if ops.is_empty() {
            return usage(ctx, None);
        }
        let p = ops.remove(0);
        pats.extend(p.split('\n').map(str::to_string));
    }
    // one expression: the patterns as alternatives
    let mut parts = Vec::new();
    for p in &pats {
        let t = match mode {
            'F' => Ok(regex::escape(p)),
            'P' => Ok(p.clone()),
            _ => posix_re::translate(p, mode == 'E'),
        };
        match t {
            Ok(t) => parts.push(format!("(?:{t})")),
            Err(ReError::Syntax(m)) => {
                ctx.err(format!("grep: {m}\n"));
                return 2;
            }
            Err(ReError::NotModelled(m)) => {
                ctx.err(format!("nslab: {m} is not modelled yet\n"));
                return 127;
            }
        }
    }
    let mut src = parts.join("|");
    if pats.is_empty() {
        src = "[^\\s\\S]".into();
    }
    if icase {
        src = format!("(?i){src}");
    }
    let re = match Regex::new(&src) {
        Ok(r) => r,
        Err(_) => {
            ctx.err("grep: Invalid regular expression\n");
            return 2;
        }
    };
    let m = Matcher {
        re,
        word,
        line: linex,
    };
    if ops.is_empty() {
        ops.push(if recursive { ".".into() } else { "-".into() });
    }
    // expand directories under -r
    let mut files = Vec::new();
    for o in ops {
        if recursive && o != "-" {
            let mut stack = vec![o];
            while let Some(f) = stack.pop() {
                let p = ctx.abs(&f);
                if ctx.fs.stat(&p).is_ok_and(|m| m.is_dir) {
                    if let Ok(names) = ctx.fs.read_dir(&p) {
                        for n in names.into_iter().rev() {
                            let child = if f == "." && recursive {
                                n
                            } else {
                                format!("{}/{n}", f.trim_end_matches('/'))
                            };
                            stack.push(child);
                        }
                    }
                } else {
                    files.push(f);
                }
            }
        } else {
            files.push(o);
        }
    }
    let show_name = with_name.unwrap_or(files.len() > 1 || recursive);
    let mut any = false;
    let mut errors = false;
    let mut out: Vec<u8> = Vec::new();
    let sep = if crate::coreutils::text::zero_flag(&args) {
        0u8
    } else {
        b'\n'
    };
    'files: for f in &files {
        let display = if f == "-" {
            "(standard input)".to_string()
        } else {
            f.clone()
        };
        let data = match ctx.read_file(f) {
            Ok(d) => d,
            Err(e) => {
                if !silent {
                    ctx.err(format!("grep: {}: {e}\n", display));
                }
                errors = true;
                continue;
            }
        };
        let binary =
            data.contains(&0) && sep != 0 && !args.iter().any(|a| a == "-a" || a == "--text");
        let text = String::from_utf8_lossy(&data).into_owned();
        let ls: Vec<&str> = crate::coreutils::lines_by(text.as_bytes(), sep)
            .into_iter()
            .map(|b| std::str::from_utf8(b).unwrap_or(""))
            .collect();
        let mut n_sel = 0u64;
        let mut last_printed: Option<usize> = None;
        let mut after_left = 0usize;
        let prefix = |out: &mut Vec<u8>, i: usize, c: char| {
            if show_name {
                out.extend_from_slice(display.as_bytes());
                out.push(c as u8);
            }
            if number {
                out.extend_from_slice(format!("{}{c}", i + 1).as_bytes());
            }
        };
        let quiet_like = quiet || list || list_not || count;
        for (i, l) in ls.iter().enumerate() {
            if max.is_some_and(|mx| n_sel >= mx) {
                // trailing context after the last selected line still prints
                if after_left > 0 && !quiet_like {
                    let sel = m.matches(l).is_empty() == invert;
                    if sel {
                        break;
                    }
                    prefix(&mut out, i, '-');
                    out.extend_from_slice(l.as_bytes());
                    out.push(sep);
                    last_printed = Some(i);
                    after_left -= 1;
                    continue;
                }
                break;
            }
            let ms = m.matches(l);
            let selected = ms.is_empty() == invert;
            if selected {
                n_sel += 1;
                any = true;
                if quiet {
                    ctx.out(out);
                    return 0;
                }
                if quiet_like || binary {
                    continue;
                }
                // before-context and the group separator
                let from = i.saturating_sub(before);
                let from = match last_printed {
                    Some(lp) if lp + 1 > from => lp + 1,
                    _ => from,
                };
                if (before > 0 || after > 0) && last_printed.is_some_and(|lp| from > lp + 1) {
                    out.extend_from_slice(b"--\n");
                }
                for (k, cl) in ls.iter().enumerate().take(i).skip(from) {
                    prefix(&mut out, k, '-');
                    out.extend_from_slice(cl.as_bytes());
                    out.push(sep);
                }
                if only {
                    if !invert {
                        for (s, e) in ms {
                            if e > s {
                                prefix(&mut out, i, ':');
                                out.extend_from_slice(&l.as_bytes()[s..e]);
                                out.push(sep);
                            }
                        }
                    }
                } else {
                    prefix(&mut out, i, ':');
                    out.extend_from_slice(l.as_bytes());
                    out.push(sep);
                }
                last_printed = Some(i);
                after_left = after;
            } else if after_left > 0 && !quiet_like && !binary {
                prefix(&mut out, i, '-');
                out.extend_from_slice(l.as_bytes());
                out.push(sep);
                last_printed = Some(i);
                after_left -= 1;
            }
        }
        if count {
            if show_name {
                out.extend_from_slice(format!("{display}:").as_bytes());
            }
            out.extend_from_slice(format!("{n_sel}\n").as_bytes());
        }
        if list && n_sel > 0 {
            out.extend_from_slice(format!("{display}\n").as_bytes());
        }
        if list_not && n_sel == 0 {
            out.extend_from_slice(format!("{display}\n").as_bytes());
        }
        if binary && n_sel > 0 && !quiet_like {
            ctx.out(std::mem::take(&mut out));
            ctx.err(format!("grep: {display}: binary file matches\n"));
        }
        let _ = &mut errors;
        continue 'files;
    }
    ctx.out(out);
    if errors && !(quiet && any) {
        2
    } else if any {
        0
    } else {
        1
    }
}

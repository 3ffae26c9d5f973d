//! GNU coreutils 9.1 programs (and the few others scripts use alongside them), as they behave
//! in the `C.UTF-8` locale the recordings were made in (byte-order sorting, `‘’` around quoted
//! values, shell-style quotes around file names).

pub mod files;
pub mod printf;
pub mod sys;
pub mod test;
pub mod text;

use crate::getopt::GetoptError;
use crate::Ctx;

/// coreutils' reaction to a bad option: glibc's message, then the "Try" line; status 1 (`code`
/// for programs whose usage status differs: sort, test and grep use 2).
pub(crate) fn bad_option(ctx: &mut Ctx, e: &GetoptError, code: i32) -> i32 {
    let prog = ctx.prog().to_string();
    ctx.err(e.glibc_message(&prog));
    try_help(ctx, code)
}

/// The "Try 'prog --help'" line; returns `code`.
pub(crate) fn try_help(ctx: &mut Ctx, code: i32) -> i32 {
    let prog = ctx.prog().to_string();
    ctx.err(format!("Try '{prog} --help' for more information.\n"));
    code
}

/// `prog: TEXT` + the Try line, status `code`.
pub(crate) fn usage_error(ctx: &mut Ctx, text: &str, code: i32) -> i32 {
    let prog = ctx.prog().to_string();
    ctx.err(format!("{prog}: {text}\n"));
    try_help(ctx, code)
}

/// `prog: TEXT` (no Try line).
pub(crate) fn error(ctx: &mut Ctx, text: &str) {
    let prog = ctx.prog().to_string();
    ctx.err(format!("{prog}: {text}\n"));
}

/// gnulib's `quotef`/`quoteaf` (shell-escape style) of a file name: plain when it needs no
/// quoting, else in single quotes (double quotes when it holds a `'`).
pub(crate) fn quotef(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:+,@%=^".contains(c));
    if plain {
        name.to_string()
    } else if name.contains('\'') {
        format!("\"{name}\"")
    } else {
        format!("'{name}'")
    }
}

/// `quoteaf` that always quotes (`cannot open 'x' for reading`).
pub(crate) fn quoteaf(name: &str) -> String {
    if name.contains('\'') {
        format!("\"{name}\"")
    } else {
        format!("'{name}'")
    }
}

/// gnulib's `quote` (locale style) in a UTF-8 locale: ‘value’.
pub(crate) fn quote(v: &str) -> String {
    format!("\u{2018}{v}\u{2019}")
}

/// Reads every operand (`-` or none: stdin), reporting errors as `prog: NAME: strerror`.
/// Returns the contents in order and whether any failed.
pub(crate) fn read_inputs(ctx: &mut Ctx, files: &[String]) -> (Vec<(String, Vec<u8>)>, bool) {
    let mut out = Vec::new();
    let mut bad = false;
    if files.is_empty() {
        out.push(("-".to_string(), ctx.stdin.to_vec()));
        return (out, false);
    }
    for f in files {
        match ctx.read_file(f) {
            Ok(d) => out.push((f.clone(), d)),
            Err(e) => {
                error(ctx, &format!("{}: {e}", quotef(f)));
                bad = true;
            }
        }
    }
    (out, bad)
}

/// Lines of `data` without their terminators; a last line without newline counts.
pub(crate) fn lines(data: &[u8]) -> Vec<&[u8]> {
    lines_by(data, b'\n')
}

pub(crate) fn lines_by(data: &[u8], sep: u8) -> Vec<&[u8]> {
    let mut v: Vec<&[u8]> = data.split(|&b| b == sep).collect();
    if data.is_empty() || data.ends_with(&[sep]) {
        v.pop();
    }
    v
}

/// Parses a count the way coreutils' `xstrtoumax` does for `head -n`/`tail -n`: digits with
/// an optional multiplier suffix (b, K, KB, KiB, M, ...).
pub(crate) fn parse_count(s: &str) -> Option<u64> {
    let d: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if d.is_empty() {
        return None;
    }
    let n: u64 = d.parse().ok()?;
    let mult: u64 = match &s[d.len()..] {
        "" => 1,
        "b" => 512,
        "kB" | "KB" => 1000,
        "K" | "k" | "KiB" => 1024,
        "MB" => 1000 * 1000,
        "M" | "MiB" => 1 << 20,
        "GB" => 1000 * 1000 * 1000,
        "G" | "GiB" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(mult)
}

/// `prog: missing operand` + the Try line, status 1.
pub(crate) fn missing_operand(ctx: &mut Ctx) -> i32 {
    usage_error(ctx, "missing operand", 1)
}

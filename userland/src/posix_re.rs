//! POSIX regular expressions (GNU flavour: BRE for `grep`/`sed`, ERE for `grep -E`/`sed -E`/
//! awk) translated into the `regex` crate's syntax, which then does the matching.
//!
//! Hand-written because the translation is where GNU's rules live: in a BRE `\( \) \{ \} \| \+
//! \?` are operators and the bare characters literals; `*` at the start of an expression (or
//! after `\(`, `\|`, `^`) is a literal; `^`/`$` anchor only at the ends of a BRE (or next to
//! `\(`, `\)`, `\|`); a `]` first in a bracket is a member and `\` inside brackets is literal;
//! GNU's `\< \> \b \B \w \W \s \S` and `` \` `` `\'` are kept. Known difference: POSIX matches
//! leftmost-longest, `regex` leftmost-first, so an alternation whose earlier branch is a prefix
//! of a later one (`a|ab`) matches less. Back-references are not modelled.

use regex::Regex;

/// Why a pattern was refused: GNU regcomp's text, or something nslab does not model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReError {
    Syntax(&'static str),
    NotModelled(&'static str),
}

/// A compiled POSIX expression.
#[allow(dead_code)] // the tests' shorthand
pub fn compile(pat: &str, extended: bool, icase: bool) -> Result<Regex, ReError> {
    compile_flags(pat, extended, icase, false)
}

/// `dot_nl`: `.` matches a newline too (sed's pattern space, awk strings).
pub fn compile_flags(
    pat: &str,
    extended: bool,
    icase: bool,
    dot_nl: bool,
) -> Result<Regex, ReError> {
    let t = translate(pat, extended)?;
    let mut flags = String::new();
    if icase {
        flags.push('i');
    }
    if dot_nl {
        flags.push('s');
    }
    let full = if flags.is_empty() {
        t
    } else {
        format!("(?{flags}){t}")
    };
    Regex::new(&full).map_err(|_| ReError::Syntax("Invalid regular expression"))
}

fn push_lit(out: &mut String, c: char) {
    if "\\.+*?()|[]{}^$#&-~".contains(c) {
        out.push('\\');
    }
    out.push(c);
}

/// The `regex` crate's spelling of a POSIX BRE (`extended` false) or ERE.
pub fn translate(pat: &str, extended: bool) -> Result<String, ReError> {
    let p: Vec<char> = pat.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut depth = 0usize;
    // true where a `*` would be literal / `^` an anchor (start of an expression)
    let mut at_start = true;
    while i < p.len() {
        let c = p[i];
        let start = at_start;
        at_start = false;
        match c {
            '\\' => {
                let Some(&n) = p.get(i + 1) else {
                    return Err(ReError::Syntax("Trailing backslash"));
                };
                i += 2;
                match n {
                    '(' if !extended => {
                        depth += 1;
                        out.push('(');
                        at_start = true;
                    }
                    ')' if !extended => {
                        if depth == 0 {
                            return Err(ReError::Syntax("Unmatched ) or \\)"));
                        }
                        depth -= 1;
                        out.push(')');
                    }
                    '|' => {
                        if extended {
                            out.push_str("\\|");
                        } else {
                            out.push('|');
                            at_start = true;
                        }
                    }
                    '{' if !extended => {
                        if start {
                            return Err(ReError::Syntax("Invalid preceding regular expression"));
                        }
                        let (iv, len) = interval(&p[i..], true)
                            .ok_or(ReError::Syntax("Invalid content of \\{\\}"))?;
                        out.push_str(&iv);
                        i += len;
                    }
                    '+' | '?' if !extended => {
                        if start {
                            push_lit(&mut out, n);
                        } else {
                            out.push(n);
                        }
                    }
                    '<' => out.push_str("\\b{start}"),
                    '>' => out.push_str("\\b{end}"),
                    '`' => out.push_str("\\A"),
                    '\'' => out.push_str("\\z"),
                    'b' | 'B' | 'w' | 'W' | 's' | 'S' => {
                        out.push('\\');
                        out.push(n);
                    }
                    'n' => out.push_str("\\n"),
                    't' => out.push_str("\\t"),
                    '1'..='9' => {
                        return Err(ReError::NotModelled("regular expression back-references"))
                    }
                    _ => push_lit(&mut out, n),
                }
                continue;
            }
            '[' => {
                let (cls, len) = bracket(&p[i..])?;
                out.push_str(&cls);
                i += len;
                continue;
            }
            '*' => {
                if start {
                    out.push_str("\\*");
                } else {
                    out.push('*');
                }
            }
            '^' => {
                if extended || start {
                    out.push('^');
                    at_start = true;
                } else {
                    out.push_str("\\^");
                }
            }
            '$' => {
                let at_end = extended
                    || i + 1 == p.len()
                    || (p[i + 1] == '\\' && matches!(p.get(i + 2), Some(')') | Some('|')));
                if at_end {
                    out.push('$');
                } else {
                    out.push_str("\\$");
                }
            }
            '.' => out.push('.'),
            '(' if extended => {
                depth += 1;
                out.push('(');
                at_start = true;
            }
            ')' if extended => {
                if depth == 0 {
                    out.push_str("\\)");
                } else {
                    depth -= 1;
                    out.push(')');
                }
            }
            '|' if extended => {
                out.push('|');
                at_start = true;
            }
            '+' | '?' if extended => {
                if start {
                    push_lit(&mut out, c);
                } else {
                    out.push(c);
                }
            }
            '{' if extended => match interval(&p[i + 1..], false) {
                Some((iv, len)) if !start => {
                    out.push_str(&iv);
                    i += 1 + len;
                    continue;
                }
                _ => out.push_str("\\{"),
            },
            _ => push_lit(&mut out, c),
        }
        i += 1;
    }
    if depth > 0 {
        return Err(ReError::Syntax("Unmatched ( or \\("));
    }
    Ok(out)
}

/// An interval's body after `{` (`m}`, `m,}`, `m,n}`, `,n}`; BRE ends with `\}`): its `regex`
/// spelling and how many characters it took.
fn interval(p: &[char], bre: bool) -> Option<(String, usize)> {
    let mut i = 0;
    let mut lo = String::new();
    while i < p.len() && p[i].is_ascii_digit() {
        lo.push(p[i]);
        i += 1;
    }
    let mut hi = None;
    if p.get(i) == Some(&',') {
        i += 1;
        let mut h = String::new();
        while i < p.len() && p[i].is_ascii_digit() {
            h.push(p[i]);
            i += 1;
        }
        hi = Some(h);
    }
    if bre {
        if p.get(i) != Some(&'\\') {
            return None;
        }
        i += 1;
    }
    if p.get(i) != Some(&'}') {
        return None;
    }
    i += 1;
    if lo.is_empty() && hi.is_none() {
        return None;
    }
    let lo = if lo.is_empty() { "0".to_string() } else { lo };
    let s = match hi {
        None => format!("{{{lo}}}"),
        Some(h) if h.is_empty() => format!("{{{lo},}}"),
        Some(h) => {
            if h.parse::<u32>().ok()? < lo.parse::<u32>().ok()? {
                return None;
            }
            format!("{{{lo},{h}}}")
        }
    };
    Some((s, i))
}

/// A bracket expression starting at `p[0] == '['`.
fn bracket(p: &[char]) -> Result<(String, usize), ReError> {
    const UNMATCHED: ReError = ReError::Syntax("Unmatched [, [^, [:, [., or [=");
    let mut i = 1;
    let mut out = String::from("[");
    if p.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let first = i;
    loop {
        let Some(&c) = p.get(i) else {
            return Err(UNMATCHED);
        };
        if c == ']' && i > first {
            out.push(']');
            return Ok((out, i + 1));
        }
        if c == '[' && matches!(p.get(i + 1), Some(':') | Some('=') | Some('.')) {
            let kind = p[i + 1];
            let mut j = i + 2;
            while j + 1 < p.len() && !(p[j] == kind && p[j + 1] == ']') {
                j += 1;
            }
            if j + 1 >= p.len() {
                return Err(UNMATCHED);
            }
            let name: String = p[i + 2..j].iter().collect();
            if kind == ':' {
                const CLASSES: [&str; 12] = [
                    "alpha", "digit", "alnum", "upper", "lower", "space", "blank", "punct",
                    "print", "graph", "cntrl", "xdigit",
                ];
                if !CLASSES.contains(&name.as_str()) {
                    return Err(ReError::Syntax("Invalid character class name"));
                }
                out.push_str(&format!("[:{name}:]"));
            } else {
                for ch in name.chars() {
                    push_lit(&mut out, ch);
                }
            }
            i = j + 2;
            continue;
        }
        if c == '-' {
            let last = p.get(i + 1) == Some(&']');
            if i == first || last {
                out.push_str("\\-");
            } else {
                out.push('-');
            }
            i += 1;
            continue;
        }
        if "\\[]^&~".contains(c) {
            out.push('\\');
        }
        out.push(c);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, ext: bool, s: &str) -> bool {
        compile(p, ext, false).unwrap().is_match(s)
    }

    #[test]
    fn bre_and_ere_operators() {
        assert!(m("a\\(b\\)*c", false, "abbc"));
        assert!(m("a(b)", false, "a(b)"));
        assert!(m("a+", false, "a+"));
        assert!(m("^*a", false, "*a"));
        assert!(m("a\\{2\\}", false, "xaax"));
        assert!(!m("^a\\{2\\}$", false, "a"));
        assert!(m("a|b", false, "a|b"));
        assert!(m("x\\|y", false, "y"));
        assert!(m("a$b", false, "a$b"));
        assert!(m("(a|b)+$", true, "xab"));
        assert!(m("a{", true, "a{"));
        assert!(m("[]a]", true, "]"));
        assert!(m("[^]a]", true, "b"));
        assert!(m("[[:digit:]-]", true, "-"));
        assert!(m("[a\\]", true, "\\"));
        assert!(m("\\<ab\\>", false, "x ab y"));
        assert!(!m("\\<ab\\>", false, "xab"));
        assert_eq!(
            compile("[a", false, false).unwrap_err(),
            ReError::Syntax("Unmatched [, [^, [:, [., or [=")
        );
        assert_eq!(
            compile("\\(a", false, false).unwrap_err(),
            ReError::Syntax("Unmatched ( or \\(")
        );
    }
}

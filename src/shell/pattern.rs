//! bash's pattern matching (`case`, `[[ == ]]`, `${x#pat}`, `${x/pat/rep}`, globbing): `*`,
//! `?`, `[...]` with ranges, `!`/`^` negation and `[:class:]`. A pattern is given with its
//! quoted characters escaped by a backslash (`\*` matches a star).

#[derive(Clone, Debug, PartialEq)]
enum P {
    Lit(char),
    Star,
    Any,
    Class { neg: bool, items: Vec<Item> },
}

#[derive(Clone, Debug, PartialEq)]
enum Item {
    Ch(char),
    Range(char, char),
    Named(String),
}

fn compile(pat: &str) -> Vec<P> {
    let cs: Vec<char> = pat.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        match cs[i] {
            '\\' if i + 1 < cs.len() => {
                out.push(P::Lit(cs[i + 1]));
                i += 2;
            }
            '*' => {
                if out.last() != Some(&P::Star) {
                    out.push(P::Star);
                }
                i += 1;
            }
            '?' => {
                out.push(P::Any);
                i += 1;
            }
            '[' => match class(&cs, i) {
                Some((p, next)) => {
                    out.push(p);
                    i = next;
                }
                None => {
                    out.push(P::Lit('['));
                    i += 1;
                }
            },
            c => {
                out.push(P::Lit(c));
                i += 1;
            }
        }
    }
    out
}

/// `[...]` starting at `cs[at]`: the class and the index after it.
fn class(cs: &[char], at: usize) -> Option<(P, usize)> {
    let mut i = at + 1;
    let neg = matches!(cs.get(i), Some('!' | '^'));
    if neg {
        i += 1;
    }
    let mut items = Vec::new();
    let mut first = true;
    loop {
        let c = *cs.get(i)?;
        if c == ']' && !first {
            return Some((P::Class { neg, items }, i + 1));
        }
        first = false;
        if c == '[' && cs.get(i + 1) == Some(&':') {
            let rest: String = cs[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                items.push(Item::Named(rest[..end].to_string()));
                i += 2 + rest[..end].chars().count() + 2;
                continue;
            }
        }
        let c = if c == '\\' && i + 1 < cs.len() {
            i += 1;
            cs[i]
        } else {
            c
        };
        if cs.get(i + 1) == Some(&'-') && cs.get(i + 2).is_some_and(|e| *e != ']') {
            items.push(Item::Range(c, cs[i + 2]));
            i += 3;
        } else {
            items.push(Item::Ch(c));
            i += 1;
        }
    }
}

fn class_has(items: &[Item], c: char) -> bool {
    items.iter().any(|it| match it {
        Item::Ch(x) => *x == c,
        Item::Range(a, b) => *a <= c && c <= *b,
        Item::Named(n) => match n.as_str() {
            "alpha" => c.is_alphabetic(),
            "digit" => c.is_ascii_digit(),
            "alnum" => c.is_alphanumeric(),
            "upper" => c.is_uppercase(),
            "lower" => c.is_lowercase(),
            "space" => c.is_whitespace(),
            "blank" => c == ' ' || c == '\t',
            "punct" => c.is_ascii_punctuation(),
            "xdigit" => c.is_ascii_hexdigit(),
            "cntrl" => c.is_control(),
            "print" => !c.is_control(),
            "graph" => !c.is_control() && c != ' ',
            "word" => c.is_alphanumeric() || c == '_',
            _ => false,
        },
    })
}

fn one(p: &P, c: char) -> bool {
    match p {
        P::Lit(x) => *x == c,
        P::Any => true,
        P::Class { neg, items } => class_has(items, c) != *neg,
        P::Star => true,
    }
}

fn match_compiled(p: &[P], s: &[char]) -> bool {
    // iterative matching with backtracking to the last star
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && p[pi] == P::Star {
            star = Some((pi, si));
            pi += 1;
        } else if pi < p.len() && one(&p[pi], s[si]) {
            pi += 1;
            si += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == P::Star {
        pi += 1;
    }
    pi == p.len()
}

/// Does `s` match the whole pattern?
pub fn matches(pat: &str, s: &str) -> bool {
    let p = compile(pat);
    let cs: Vec<char> = s.chars().collect();
    match_compiled(&p, &cs)
}

/// Does the pattern contain an unescaped `*`, `?` or `[`?
pub fn has_glob(pat: &str) -> bool {
    let mut esc = false;
    for c in pat.chars() {
        if esc {
            esc = false;
        } else if c == '\\' {
            esc = true;
        } else if matches!(c, '*' | '?' | '[') {
            return true;
        }
    }
    false
}

/// The pattern with its escapes removed (the literal text).
pub fn unescape(pat: &str) -> String {
    let mut out = String::new();
    let mut esc = false;
    for c in pat.chars() {
        if esc {
            out.push(c);
            esc = false;
        } else if c == '\\' {
            esc = true;
        } else {
            out.push(c);
        }
    }
    if esc {
        out.push('\\');
    }
    out
}

/// Escapes `s` so that it matches only itself.
pub fn escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `${x#p}` / `${x##p}` / `${x%p}` / `${x%%p}`.
pub fn trim(s: &str, pat: &str, suffix: bool, longest: bool) -> String {
    let p = compile(pat);
    let cs: Vec<char> = s.chars().collect();
    let n = cs.len();
    let cands: Vec<usize> = if longest {
        (0..=n).rev().collect()
    } else {
        (0..=n).collect()
    };
    for k in cands {
        if suffix {
            if match_compiled(&p, &cs[n - k..]) {
                return cs[..n - k].iter().collect();
            }
        } else if match_compiled(&p, &cs[..k]) {
            return cs[k..].iter().collect();
        }
    }
    s.to_string()
}

/// `${x/p/r}` (mode '/'), `${x//p/r}` ('a'), `${x/#p/r}` ('#'), `${x/%p/r}` ('%').
pub fn replace(s: &str, pat: &str, with: &str, mode: char) -> String {
    let p = compile(pat);
    let cs: Vec<char> = s.chars().collect();
    let n = cs.len();
    match mode {
        '#' => {
            for k in (0..=n).rev() {
                if match_compiled(&p, &cs[..k]) {
                    return format!("{with}{}", cs[k..].iter().collect::<String>());
                }
            }
            s.to_string()
        }
        '%' => {
            for k in 0..=n {
                if match_compiled(&p, &cs[k..]) {
                    return format!("{}{with}", cs[..k].iter().collect::<String>());
                }
            }
            s.to_string()
        }
        _ => {
            if pat.is_empty() {
                return s.to_string();
            }
            let mut out = String::new();
            let mut i = 0;
            let mut done = false;
            while i < n {
                if !done {
                    // longest match starting at i
                    let mut found = None;
                    for e in (i + 1..=n).rev() {
                        if match_compiled(&p, &cs[i..e]) {
                            found = Some(e);
                            break;
                        }
                    }
                    if let Some(e) = found {
                        out.push_str(with);
                        i = e;
                        if mode != 'a' {
                            done = true;
                        }
                        continue;
                    }
                }
                out.push(cs[i]);
                i += 1;
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_patterns() {
        assert!(matches("*.sh", "lib.sh"));
        assert!(!matches("\\*.sh", "lib.sh"));
        assert!(matches("[a-c]?", "bx"));
        assert!(matches("[!a-c]*", "dx"));
        assert!(matches("[[:digit:]]*", "1a"));
        assert!(matches("", ""));
        // recorded with bash 5.2: x=a/b/c; ${x#*/} ${x##*/} ${x%/*} ${x%%/*}
        assert_eq!(trim("a/b/c", "*/", false, false), "b/c");
        assert_eq!(trim("a/b/c", "*/", false, true), "c");
        assert_eq!(trim("a/b/c", "/*", true, false), "a/b");
        assert_eq!(trim("a/b/c", "/*", true, true), "a");
        // x=aXbXc; ${x/X/-} ${x//X/-} ${x/#a/-} ${x/%c/-}
        assert_eq!(replace("aXbXc", "X", "-", '/'), "a-bXc");
        assert_eq!(replace("aXbXc", "X", "-", 'a'), "a-b-c");
        assert_eq!(replace("aXbXc", "a", "-", '#'), "-XbXc");
        assert_eq!(replace("aXbXc", "c", "-", '%'), "aXbX-");
    }
}

/// Brace expansion of one unquoted text: `a{b,c}d` → `abd acd`, `{1..3}`, `{a..c}`,
/// `{01..10..2}`; `None` when the text has no brace expression.
pub fn brace(text: &str) -> Option<Vec<String>> {
    let cs: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        if cs[i] == '\\' {
            i += 2;
            continue;
        }
        if cs[i] != '{' {
            i += 1;
            continue;
        }
        // the matching close and the top-level commas
        let mut depth = 0;
        let mut commas = Vec::new();
        let mut close = None;
        let mut j = i + 1;
        while j < cs.len() {
            match cs[j] {
                '\\' => j += 1,
                '{' => depth += 1,
                '}' if depth == 0 => {
                    close = Some(j);
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => commas.push(j),
                _ => {}
            }
            j += 1;
        }
        let close = close?;
        let pre: String = cs[..i].iter().collect();
        let post: String = cs[close + 1..].iter().collect();
        let inner: String = cs[i + 1..close].iter().collect();
        let alts: Vec<String> = if !commas.is_empty() {
            let mut v = Vec::new();
            let mut s = i + 1;
            for c in commas.iter().copied().chain(std::iter::once(close)) {
                v.push(cs[s..c].iter().collect());
                s = c + 1;
            }
            v
        } else if let Some(seq) = sequence(&inner) {
            seq
        } else {
            i += 1;
            continue;
        };
        let mut out = Vec::new();
        for a in alts {
            let w = format!("{pre}{a}{post}");
            match brace(&w) {
                Some(more) => out.extend(more),
                None => out.push(w),
            }
        }
        return Some(out);
    }
    None
}

/// `1..5`, `5..1`, `a..e`, `01..10`, `1..10..3`.
fn sequence(s: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = s.split("..").collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let step: i64 = match parts.get(2) {
        Some(p) => p.parse::<i64>().ok()?.abs().max(1),
        None => 1,
    };
    if let (Ok(a), Ok(b)) = (parts[0].parse::<i64>(), parts[1].parse::<i64>()) {
        let width = if (parts[0].starts_with('0') && parts[0].len() > 1)
            || (parts[1].starts_with('0') && parts[1].len() > 1)
            || parts[0].starts_with("-0")
        {
            parts[0].len().max(parts[1].len())
        } else {
            0
        };
        if (b - a).abs() / step > 100_000 {
            return None;
        }
        let mut v = Vec::new();
        let mut x = a;
        loop {
            v.push(if width > 0 {
                format!("{x:0width$}")
            } else {
                x.to_string()
            });
            if x == b || (a < b && x + step > b) || (a > b && x - step < b) {
                break;
            }
            x = if a < b { x + step } else { x - step };
        }
        return Some(v);
    }
    let (ca, cb) = (
        parts[0].chars().collect::<Vec<_>>(),
        parts[1].chars().collect::<Vec<_>>(),
    );
    if ca.len() == 1 && cb.len() == 1 && ca[0].is_ascii_alphabetic() && cb[0].is_ascii_alphabetic()
    {
        let (a, b) = (ca[0] as i64, cb[0] as i64);
        let mut v = Vec::new();
        let mut x = a;
        loop {
            v.push(char::from_u32(x as u32).unwrap_or('?').to_string());
            if x == b || (a < b && x + step > b) || (a > b && x - step < b) {
                break;
            }
            x = if a < b { x + step } else { x - step };
        }
        return Some(v);
    }
    None
}

#[cfg(test)]
mod brace_tests {
    use super::brace;

    #[test]
    fn brace_expansion_as_bash() {
        // bash 5.2: echo a{b,c}d {1..3} {3..1} {a..c} {01..03} {1..7..3} x{4,6}y{a,b}
        assert_eq!(brace("a{b,c}d").unwrap(), ["abd", "acd"]);
        assert_eq!(brace("{1..3}").unwrap(), ["1", "2", "3"]);
        assert_eq!(brace("{3..1}").unwrap(), ["3", "2", "1"]);
        assert_eq!(brace("{a..c}").unwrap(), ["a", "b", "c"]);
        assert_eq!(brace("{01..03}").unwrap(), ["01", "02", "03"]);
        assert_eq!(brace("{1..7..3}").unwrap(), ["1", "4", "7"]);
        assert_eq!(
            brace("x{4,6}y{a,b}").unwrap(),
            ["x4ya", "x4yb", "x6ya", "x6yb"]
        );
        assert_eq!(brace("{a}"), None);
        assert_eq!(brace("{}"), None);
    }
}

//! glibc's `getopt` / `getopt_long` (posix/getopt.c, glibc 2.36), the one option parser every
//! program in nslab uses.
//!
//! Semantics kept from glibc, because scripts depend on them:
//! - short options cluster (`-qc1` = `-q -c 1`; `-nc 1` = `-n -c 1`); a required argument is the
//!   rest of the cluster or else the next word; an optional one (`c::`) only the rest of the
//!   cluster;
//! - long options take `--name=value` or `--name value` (required) and only `--name=value`
//!   (optional); any unambiguous prefix of a name is that option (`--cou 2` = `--count 2`); an
//!   exact match wins over longer names; prefixes of several options that all mean the same
//!   thing are not ambiguous;
//! - by default the words are permuted: options may follow operands (`ping 10.0.0.1 -c 1`);
//!   an optstring starting with `+` stops at the first operand (POSIX order), one starting
//!   with `-` returns each operand in place as option [`OPERAND`] (iptables);
//! - `--` ends the options; a lone `-` is an operand;
//! - an optstring whose first character (after `+`) is `:` reports a missing argument as
//!   [`GetoptError::MissingArgument`] with `silent` set, and such programs print their own text.
//!
//! Errors are values: [`GetoptError::glibc_message`] gives glibc's exact text (with `argv[0]` as
//! the program name, as glibc prints it); programs that set `opterr = 0` and print their own words
//! (iptables, curl) match on the variant instead.

/// Whether a long option takes an argument (`no_argument`, `required_argument`,
/// `optional_argument`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HasArg {
    No,
    Required,
    Optional,
}

/// One entry of a `struct option` table. `val` is what the option returns: usually the short
/// option it stands for (`--count` → `'c'`); options with no short form use a character no short
/// option uses (by convention here, from the Unicode private-use area, e.g. `'\u{e000}'`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LongOpt {
    pub name: &'static str,
    pub has_arg: HasArg,
    pub val: char,
}

impl LongOpt {
    pub const fn new(name: &'static str, has_arg: HasArg, val: char) -> LongOpt {
        LongOpt { name, has_arg, val }
    }
}

/// What an optstring starting with `-` returns for an operand (glibc returns 1, with the word
/// in `optarg`).
pub const OPERAND: char = '\u{1}';

/// What `getopt` found that it rejects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GetoptError {
    /// `-x` where `x` is not in the optstring (glibc returns `'?'`, optopt = `x`).
    InvalidOption(char),
    /// `-c` at the end of the words, where `c` requires an argument (glibc returns `'?'`, or
    /// `':'` when the optstring starts with `:`: then `silent` is true).
    MissingArgument { opt: char, silent: bool },
    /// `--word` (as typed, with its `=value`) that is no option's name or prefix.
    UnrecognizedOption(String),
    /// `--word` (as typed) is a prefix of several different options, listed in table order.
    Ambiguous {
        typed: String,
        candidates: Vec<&'static str>,
    },
    /// `--name=value` for an option that takes none (`name` is the option's full name).
    NoArgumentAllowed { name: &'static str },
    /// `--name` at the end of the words for an option that requires an argument.
    LongRequiresArgument { name: &'static str },
}

impl GetoptError {
    /// glibc's message for this error, newline-terminated, `prog` being `argv[0]`.
    pub fn glibc_message(&self, prog: &str) -> String {
        match self {
            GetoptError::InvalidOption(c) => format!("{prog}: invalid option -- '{c}'\n"),
            GetoptError::MissingArgument { opt, .. } => {
                format!("{prog}: option requires an argument -- '{opt}'\n")
            }
            GetoptError::UnrecognizedOption(t) => format!("{prog}: unrecognized option '{t}'\n"),
            GetoptError::Ambiguous { typed, candidates } => {
                let mut s = format!("{prog}: option '{typed}' is ambiguous; possibilities:");
                for c in candidates {
                    s.push_str(&format!(" '--{c}'"));
                }
                s.push('\n');
                s
            }
            GetoptError::NoArgumentAllowed { name } => {
                format!("{prog}: option '--{name}' doesn't allow an argument\n")
            }
            GetoptError::LongRequiresArgument { name } => {
                format!("{prog}: option '--{name}' requires an argument\n")
            }
        }
    }

    /// The option character glibc leaves in `optopt` (0 for long-option errors but
    /// `LongRequiresArgument`/`NoArgumentAllowed`, where it is the option's `val`; here `None`).
    pub fn optopt(&self) -> Option<char> {
        match self {
            GetoptError::InvalidOption(c) => Some(*c),
            GetoptError::MissingArgument { opt, .. } => Some(*opt),
            _ => None,
        }
    }
}

/// One option found: its character (`val` for a long option) and its argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opt {
    pub opt: char,
    pub arg: Option<String>,
    /// The long option's name when it was given in long form (`--count`), else `None`.
    pub long: Option<&'static str>,
}

/// `c`'s entry in an optstring (flags stripped): glibc's `strchr(optstring, c)` and the colons
/// after it. `:` is never an option.
fn short_spec(optstring: &str, c: char) -> Option<HasArg> {
    if c == ':' {
        return None;
    }
    let mut it = optstring.char_indices().peekable();
    while let Some((_, ch)) = it.next() {
        let mut colons = 0;
        while it.peek().is_some_and(|&(_, n)| n == ':') {
            it.next();
            colons += 1;
        }
        if ch == c {
            let has_arg = match colons {
                0 => HasArg::No,
                1 => HasArg::Required,
                _ => HasArg::Optional,
            };
            return Some(has_arg);
        }
    }
    None
}

/// An option parser over `args` (the words after `argv[0]`).
///
/// Call [`Getopt::next`] until it returns `None`; then [`Getopt::operands`] are the non-option
/// words in order. An `Err` does not stop parsing: like glibc, the next call continues after
/// the bad word (most programs print their usage and exit at the first one).
#[derive(Debug)]
pub struct Getopt<'a> {
    args: &'a [String],
    /// The optstring without its `+`/`-`/`:` flags, looked up per option character (no
    /// table is built: programs create a parser per invocation, and ping's start is on the
    /// engine benchmark's path).
    shorts: &'a str,
    /// The long options (a program may change them between calls, as iptables does when a
    /// match or target brings its options).
    longs: std::borrow::Cow<'a, [LongOpt]>,
    /// `+` in the optstring: stop at the first operand.
    posix: bool,
    /// `-` in the optstring: return operands in place as [`OPERAND`].
    in_order: bool,
    /// (ind, pos, operands, done) before the last call to `next`, for [`Getopt::rewind`].
    saved: (usize, usize, usize, bool),
    /// `:` in the optstring: missing arguments are reported silently.
    silent: bool,
    /// Index of the word being parsed.
    ind: usize,
    /// Position inside a short-option cluster (byte offset into `args[ind]`), 0 when between
    /// words.
    pos: usize,
    operands: Vec<String>,
    done: bool,
}

impl<'a> Getopt<'a> {
    /// `optstring` as glibc takes it (`"c:i:qn"`, `"+ab:"`, `":c:"`); `longs` may be empty.
    pub fn new(args: &'a [String], optstring: &'a str, longs: &'a [LongOpt]) -> Getopt<'a> {
        let mut s = optstring;
        let mut posix = false;
        let mut in_order = false;
        if let Some(r) = s.strip_prefix('+') {
            posix = true;
            s = r;
        } else if let Some(r) = s.strip_prefix('-') {
            in_order = true;
            s = r;
        }
        let mut silent = false;
        if let Some(r) = s.strip_prefix(':') {
            silent = true;
            s = r;
        }
        let shorts = s;
        Getopt {
            args,
            shorts,
            longs: std::borrow::Cow::Borrowed(longs),
            posix,
            in_order,
            saved: (0, 0, 0, false),
            silent,
            ind: 0,
            pos: 0,
            operands: Vec::new(),
            done: false,
        }
    }

    /// The next option, `None` when there are no more.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Result<Opt, GetoptError>> {
        self.saved = (self.ind, self.pos, self.operands.len(), self.done);
        if self.pos > 0 {
            return Some(self.short());
        }
        loop {
            if self.done || self.ind >= self.args.len() {
                self.finish();
                return None;
            }
            let w = self.args[self.ind].as_str();
            if w == "--" {
                self.ind += 1;
                self.finish();
                return None;
            }
            if !w.starts_with('-') || w == "-" {
                if self.in_order {
                    self.ind += 1;
                    return Some(Ok(Opt {
                        opt: OPERAND,
                        arg: Some(w.to_string()),
                        long: None,
                    }));
                }
                if self.posix {
                    self.finish();
                    return None;
                }
                self.operands.push(w.to_string());
                self.ind += 1;
                continue;
            }
            if let Some(body) = w.strip_prefix("--") {
                if !self.longs.is_empty() {
                    self.ind += 1;
                    return Some(self.long(body));
                }
            }
            self.pos = 1;
            return Some(self.short());
        }
    }

    /// The operands (non-option words) in order, once [`Getopt::next`] returned `None`: those
    /// met while permuting, then everything after `--` or (POSIX order) the first operand.
    pub fn operands(&self) -> &[String] {
        &self.operands
    }

    /// Takes the operands, for callers that own them afterwards.
    pub fn into_operands(self) -> Vec<String> {
        self.operands
    }

    /// Replaces the long options from the next call on (iptables loads a match's options when
    /// it meets `-m NAME`, `-p NAME` or `-j NAME`).
    pub fn set_longs(&mut self, longs: &[LongOpt]) {
        self.longs = std::borrow::Cow::Owned(longs.to_vec());
    }

    /// Undoes the last call to [`Getopt::next`], so that the same word is parsed again (after
    /// [`Getopt::set_longs`]: iptables' `optind--` once it has loaded the protocol's match).
    pub fn rewind(&mut self) {
        let (ind, pos, n, done) = self.saved;
        self.ind = ind;
        self.pos = pos;
        self.operands.truncate(n);
        self.done = done;
    }

    /// Takes the next word as an extra argument when there is one that does not start with
    /// `-` or `!` (iptables' `xs_has_arg(argc, argv)` then `argv[optind++]`: `-D CHAIN 3`,
    /// `-L CHAIN`). Never inside a cluster.
    pub fn take_word(&mut self) -> Option<String> {
        if self.pos > 0 || self.done {
            return None;
        }
        let w = self.args.get(self.ind)?;
        if w.starts_with('-') || w.starts_with('!') {
            return None;
        }
        self.ind += 1;
        Some(w.clone())
    }

    /// glibc's `argv[optind - 1]` after the last call: the word just finished, or, inside a
    /// cluster, the word before it (`None` for `argv[0]`). iptables names it in its errors.
    pub fn prev_word(&self) -> Option<&'a str> {
        let i = self.ind.checked_sub(1)?;
        self.args.get(i).map(String::as_str)
    }

    /// Index (into `args`) of the first word not yet looked at: glibc's `optind - 1` while
    /// parsing, for programs that stop early and take the rest themselves.
    pub fn index(&self) -> usize {
        self.ind
    }

    fn finish(&mut self) {
        if !self.done {
            self.done = true;
            self.operands
                .extend(self.args[self.ind.min(self.args.len())..].iter().cloned());
            self.ind = self.args.len();
        }
    }

    fn short(&mut self) -> Result<Opt, GetoptError> {
        let w = self.args[self.ind].as_str();
        let c = w[self.pos..].chars().next().expect("inside a cluster");
        self.pos += c.len_utf8();
        let rest = &w[self.pos..];
        let at_end = rest.is_empty();
        let Some(has_arg) = short_spec(self.shorts, c) else {
            if at_end {
                self.next_word();
            }
            return Err(GetoptError::InvalidOption(c));
        };
        match has_arg {
            HasArg::No => {
                if at_end {
                    self.next_word();
                }
                Ok(Opt {
                    opt: c,
                    arg: None,
                    long: None,
                })
            }
            HasArg::Optional => {
                let arg = (!at_end).then(|| rest.to_string());
                self.next_word();
                Ok(Opt {
                    opt: c,
                    arg,
                    long: None,
                })
            }
            HasArg::Required => {
                if !at_end {
                    let arg = rest.to_string();
                    self.next_word();
                    return Ok(Opt {
                        opt: c,
                        arg: Some(arg),
                        long: None,
                    });
                }
                self.next_word();
                match self.args.get(self.ind) {
                    Some(a) => {
                        let arg = a.clone();
                        self.ind += 1;
                        Ok(Opt {
                            opt: c,
                            arg: Some(arg),
                            long: None,
                        })
                    }
                    None => Err(GetoptError::MissingArgument {
                        opt: c,
                        silent: self.silent,
                    }),
                }
            }
        }
    }

    fn next_word(&mut self) {
        self.ind += 1;
        self.pos = 0;
    }

    fn long(&mut self, body: &str) -> Result<Opt, GetoptError> {
        let (name, value) = match body.find('=') {
            Some(i) => (&body[..i], Some(&body[i + 1..])),
            None => (body, None),
        };
        let typed = format!("--{body}");
        let found = match self.longs.iter().find(|o| o.name == name) {
            Some(o) => *o,
            None => {
                let prefixed: Vec<&LongOpt> = self
                    .longs
                    .iter()
                    .filter(|o| !name.is_empty() && o.name.starts_with(name))
                    .collect();
                let Some(first) = prefixed.first().copied() else {
                    return Err(GetoptError::UnrecognizedOption(typed));
                };
                // glibc marks the first match and every later one that differs from it.
                let differing: Vec<&'static str> = prefixed
                    .iter()
                    .filter(|o| o.has_arg != first.has_arg || o.val != first.val)
                    .map(|o| o.name)
                    .collect();
                if !differing.is_empty() {
                    let mut candidates = vec![first.name];
                    candidates.extend(differing);
                    // Listed in table order.
                    candidates.sort_by_key(|n| self.longs.iter().position(|o| o.name == *n));
                    return Err(GetoptError::Ambiguous { typed, candidates });
                }
                *first
            }
        };
        let arg = match (found.has_arg, value) {
            (HasArg::No, Some(_)) => {
                return Err(GetoptError::NoArgumentAllowed { name: found.name })
            }
            (HasArg::No, None) => None,
            (HasArg::Optional, v) => v.map(str::to_string),
            (HasArg::Required, Some(v)) => Some(v.to_string()),
            (HasArg::Required, None) => match self.args.get(self.ind) {
                Some(a) => {
                    self.ind += 1;
                    Some(a.clone())
                }
                None => return Err(GetoptError::LongRequiresArgument { name: found.name }),
            },
        };
        Ok(Opt {
            opt: found.val,
            arg,
            long: Some(found.name),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    fn all(args: &[String], optstring: &str, longs: &[LongOpt]) -> (Vec<String>, Vec<String>) {
        let mut g = Getopt::new(args, optstring, longs);
        let mut out = Vec::new();
        while let Some(r) = g.next() {
            out.push(match r {
                Ok(o) => match o.arg {
                    Some(a) => format!("{}={}", o.opt, a),
                    None => o.opt.to_string(),
                },
                Err(e) => format!("E:{}", e.glibc_message("p").trim_end()),
            });
        }
        (out, g.into_operands())
    }

    #[test]
    fn clusters_and_attached_arguments() {
        let (o, ops) = all(&words("-qc1 10.0.0.2"), "c:qn", &[]);
        assert_eq!(o, ["q", "c=1"]);
        assert_eq!(ops, ["10.0.0.2"]);
        let (o, ops) = all(&words("-nc 1 X"), "c:qn", &[]);
        assert_eq!(o, ["n", "c=1"]);
        assert_eq!(ops, ["X"]);
    }

    #[test]
    fn permutation_and_double_dash() {
        let (o, ops) = all(&words("a -c 2 b -- -q c"), "c:q", &[]);
        assert_eq!(o, ["c=2"]);
        assert_eq!(ops, ["a", "b", "-q", "c"]);
        let (o, ops) = all(&words("a -q"), "+q", &[]);
        assert!(o.is_empty());
        assert_eq!(ops, ["a", "-q"]);
        let (_, ops) = all(&words("- -q"), "q", &[]);
        assert_eq!(ops, ["-"]);
    }

    #[test]
    fn errors_have_glibc_texts() {
        let (o, _) = all(&words("-x"), "c:", &[]);
        assert_eq!(o, ["E:p: invalid option -- 'x'"]);
        let (o, _) = all(&words("-c"), "c:", &[]);
        assert_eq!(o, ["E:p: option requires an argument -- 'c'"]);
        let mut g = Getopt::new(&[], ":c:", &[]);
        assert!(g.next().is_none());
        let a = words("-c");
        let mut g = Getopt::new(&a, ":c:", &[]);
        assert_eq!(
            g.next(),
            Some(Err(GetoptError::MissingArgument {
                opt: 'c',
                silent: true
            }))
        );
    }

    const L: [LongOpt; 4] = [
        LongOpt::new("count", HasArg::Required, 'c'),
        LongOpt::new("color", HasArg::Optional, '\u{e000}'),
        LongOpt::new("verbose", HasArg::No, 'v'),
        LongOpt::new("verb", HasArg::No, 'V'),
    ];

    #[test]
    fn long_options_and_abbreviations() {
        let (o, ops) = all(&words("--count=3 --cou 4 x --verb --verbo"), "c:v", &L);
        assert_eq!(o, ["c=3", "c=4", "V", "v"]);
        assert_eq!(ops, ["x"]);
        let (o, _) = all(&words("--co"), "c:v", &L);
        assert_eq!(
            o,
            ["E:p: option '--co' is ambiguous; possibilities: '--count' '--color'"]
        );
        let (o, _) = all(&words("--verbose=1 --nope=2 --count"), "c:v", &L);
        assert_eq!(
            o,
            [
                "E:p: option '--verbose' doesn't allow an argument",
                "E:p: unrecognized option '--nope=2'",
                "E:p: option '--count' requires an argument"
            ]
        );
        let (o, ops) = all(&words("--color x --color=always"), "", &L);
        assert_eq!(o, ["\u{e000}", "\u{e000}=always"]);
        assert_eq!(ops, ["x"]);
    }

    #[test]
    fn same_meaning_prefixes_are_not_ambiguous() {
        const A: [LongOpt; 2] = [
            LongOpt::new("new-chain", HasArg::Required, 'N'),
            LongOpt::new("new", HasArg::Required, 'N'),
        ];
        let (o, _) = all(&words("--ne X"), "N:", &A);
        assert_eq!(o, ["N=X"]);
    }

    #[test]
    fn in_order_operands_extra_words_and_rewind() {
        // iptables: `-A CHAIN x`, `-D CHAIN 3`, `-nqL` (q unknown: argv[optind-1] is argv[0]).
        let a = words("-A INPUT x -D FWD 3 -nqL");
        let mut g = Getopt::new(&a, "-:A:D:L::n", &[]);
        assert_eq!(g.next().unwrap().unwrap().arg.as_deref(), Some("INPUT"));
        let o = g.next().unwrap().unwrap();
        assert_eq!((o.opt, o.arg.as_deref()), (OPERAND, Some("x")));
        assert_eq!(g.next().unwrap().unwrap().arg.as_deref(), Some("FWD"));
        assert_eq!(g.take_word().as_deref(), Some("3"));
        assert_eq!(g.next().unwrap().unwrap().opt, 'n');
        assert_eq!(g.take_word(), None);
        assert_eq!(g.next(), Some(Err(GetoptError::InvalidOption('q'))));
        assert_eq!(g.prev_word(), Some("3"));
        // A table change, then the same word again.
        const O: [LongOpt; 1] = [LongOpt::new("append", HasArg::Required, 'A')];
        const L: [LongOpt; 2] = [O[0], LongOpt::new("dport", HasArg::Required, 'd')];
        let a = words("--dport 80");
        let mut g = Getopt::new(&a, "-:", &O);
        assert!(matches!(
            g.next(),
            Some(Err(GetoptError::UnrecognizedOption(_)))
        ));
        assert_eq!(g.prev_word(), Some("--dport"));
        g.set_longs(&L);
        g.rewind();
        assert_eq!(g.next().unwrap().unwrap().arg.as_deref(), Some("80"));
        assert!(g.next().is_none());
    }
}

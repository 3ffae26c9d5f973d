//! GNU sed 4.9: the script language (addresses `N`, `$`, `/re/I`, `\cREc`, `first~step`,
//! ranges with `addr,+N`, `addr,~N`, `0,/re/`, `!`; commands `{ } s y d D p P q Q n N g G h H
//! x a i c = l r w b t T : z F #`; `s` flags `g p N I M w`, `\U \L \u \l \E` in replacements),
//! `-n -e -f -E/-r -i[SUF] -s -z`, errors in sed's words with its positions.
//!
//! Hand-written: the parser follows sed/compile.c's order of checks so the error texts and
//! `char N` positions are GNU's; execution follows sed/execute.c (GNU's `N` on the last line
//! prints the pattern space, `n` at end of input quits after autoprint, appended text is
//! flushed when the next line is read). Regexes go through [`crate::posix_re`].

use crate::coreutils::quotef;
use crate::getopt::{Getopt, HasArg, LongOpt};
use crate::posix_re::{self, ReError};
use crate::Ctx;
use regex::Regex;

const USAGE: &str = "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the `l' command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
";

#[derive(Clone, Debug)]
enum Addr {
    Line(usize),
    Last,
    Re(Option<Regex>),
    Step(usize, usize),
    Zero,
}

#[derive(Clone, Debug)]
enum Addr2 {
    None,
    A(Addr),
    Plus(usize),
    Tilde(usize),
}

#[derive(Clone, Debug)]
enum Repl {
    Lit(String),
    Group(usize),
    Case(char),
}

#[derive(Clone, Debug)]
struct Subst {
    re: Option<Regex>,
    repl: Vec<Repl>,
    global: bool,
    nth: usize,
    print: usize,
    wfile: Option<String>,
}

#[derive(Clone, Debug)]
enum Op {
    Block(usize),
    EndBlock,
    S(Box<Subst>),
    Y(Vec<(char, char)>),
    D,
    BigD,
    P,
    BigP,
    Q(i32),
    BigQ(i32),
    N,
    BigN,
    G,
    BigG,
    H,
    BigH,
    X,
    A(String),
    I(String),
    C(String),
    Eq,
    L,
    R(String),
    W(String),
    B(Option<String>, usize),
    T(Option<String>, usize),
    BigT(Option<String>, usize),
    Label,
    Z,
    F,
}

#[derive(Clone, Debug)]
struct Cmd {
    a1: Option<Addr>,
    a2: Addr2,
    neg: bool,
    op: Op,
    /// range state: active, and the line where it ends (for numeric/+N ends)
    active: bool,
    end_line: usize,
}

struct Parser<'s> {
    c: Vec<char>,
    /// (expression number, position in it) of each char; `None` for -f files (line)
    loc: Vec<(usize, usize)>,
    i: usize,
    ext: bool,
    names: &'s [String],
}

type PResult<T> = Result<T, String>;

impl Parser<'_> {
    fn err(&self, m: &str) -> String {
        let i = self.i.min(self.loc.len());
        let (e, p) = if i == 0 { (1, 0) } else { self.loc[i - 1] };
        match self.names.get(e - 1) {
            Some(f) if !f.is_empty() => format!("sed: file {f} line {p}: {m}\n"),
            _ => format!("sed: -e expression #{e}, char {p}: {m}\n"),
        }
    }

    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.i += 1;
        }
        c
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.i += 1;
        }
    }

    fn number(&mut self) -> usize {
        let mut n = 0usize;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            n = n.saturating_mul(10).saturating_add(d as usize);
            self.i += 1;
        }
        n
    }

    /// Text up to an unescaped `delim` (`\delim` → delim, `\n` → newline for regexes kept
    /// as `\n`). `None` at end of script or newline (for `s`).
    fn delimited(&mut self, delim: char, regex: bool) -> Option<String> {
        let mut s = String::new();
        loop {
            let c = self.next()?;
            if c == delim {
                return Some(s);
            }
            if c == '\\' {
                let n = self.next()?;
                if n == delim {
                    s.push(n);
                } else if n == '\n' && !regex {
                    s.push_str("\\\n");
                } else {
                    s.push('\\');
                    s.push(n);
                }
                continue;
            }
            if c == '\n' && regex {
                return None;
            }
            s.push(c);
        }
    }

    fn regex(&self, pat: &str, icase: bool, multiline: bool) -> PResult<Option<Regex>> {
        if pat.is_empty() {
            return Ok(None); // the last regex used
        }
        let t = match posix_re::translate(pat, self.ext) {
            Ok(t) => t,
            Err(ReError::Syntax(m)) => return Err(self.err(m)),
            Err(ReError::NotModelled(m)) => {
                return Err(format!("nslab: {m} is not modelled yet\n"))
            }
        };
        let flags = format!(
            "(?{}{})",
            if icase { "i" } else { "" },
            if multiline { "m" } else { "s" }
        );
        Regex::new(&format!("{flags}{t}"))
            .map(Some)
            .map_err(|_| self.err("Invalid regular expression"))
    }

    fn addr(&mut self) -> PResult<Option<Addr>> {
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                let n = self.number();
                if self.peek() == Some('~') {
                    self.i += 1;
                    let s = self.number();
                    return Ok(Some(Addr::Step(n, s)));
                }
                Ok(Some(if n == 0 { Addr::Zero } else { Addr::Line(n) }))
            }
            Some('$') => {
                self.i += 1;
                Ok(Some(Addr::Last))
            }
            Some(c @ ('/' | '\\')) => {
                self.i += 1;
                let d = if c == '\\' {
                    match self.next() {
                        Some(d) => d,
                        None => return Err(self.err("unexpected `,'")),
                    }
                } else {
                    '/'
                };
                let Some(p) = self.delimited(d, true) else {
                    return Err(self.err("unterminated address regex"));
                };
                let (mut ic, mut ml) = (false, false);
                loop {
                    match self.peek() {
                        Some('I') => ic = true,
                        Some('M') => ml = true,
                        _ => break,
                    }
                    self.i += 1;
                }
                Ok(Some(Addr::Re(self.regex(&p, ic, ml)?)))
            }
            _ => Ok(None),
        }
    }

    /// Text of `a`, `i`, `c`: GNU's one-line form (`a text`) or `a\` + lines.
    fn text(&mut self) -> PResult<String> {
        self.skip_ws();
        let mut s = String::new();
        if self.peek() == Some('\\') {
            self.i += 1;
            if self.peek() == Some('\n') {
                self.i += 1;
            } else {
                // `a\text`: the text keeps its leading blanks
            }
        } else if self.peek().is_none() {
            return Err(self.err("expected \\ after `a', `c' or `i'"));
        }
        while let Some(c) = self.next() {
            match c {
                '\n' => break,
                '\\' => match self.next() {
                    Some('\n') => s.push('\n'),
                    Some('n') => s.push('\n'),
                    Some('t') => s.push('\t'),
                    Some(x) => s.push(x),
                    None => {}
                },
                c => s.push(c),
            }
        }
        s.push('\n');
        Ok(s)
    }

    fn label(&mut self) -> String {
        self.skip_ws();
        let mut s = String::new();
        while let Some(c) = self.peek() {
            if c == '\n' || c == ';' {
                break;
            }
            s.push(c);
            self.i += 1;
        }
        s.trim_end().to_string()
    }

    fn filename(&mut self) -> String {
        self.skip_ws();
        let mut s = String::new();
        while let Some(c) = self.peek() {
            if c == '\n' {
                break;
            }
            s.push(c);
            self.i += 1;
        }
        s
    }

    /// After a command: blanks, then `;`, newline, `}`, `#` or the end.
    fn end_cmd(&mut self) -> PResult<()> {
        self.skip_ws();
        match self.peek() {
            None | Some('\n') | Some(';') => {
                self.next();
                Ok(())
            }
            Some('}') | Some('#') => Ok(()),
            Some(_) => {
                self.i += 1;
                Err(self.err("extra characters after command"))
            }
        }
    }

    fn subst(&mut self) -> PResult<Subst> {
        let Some(d) = self.next() else {
            return Err(self.err("unterminated `s' command"));
        };
        if d == '\n' || d == '\\' {
            return Err(self.err("unterminated `s' command"));
        }
        let Some(pat) = self.delimited(d, true) else {
            return Err(self.err("unterminated `s' command"));
        };
        let Some(rep) = self.delimited(d, false) else {
            return Err(self.err("unterminated `s' command"));
        };
        let (mut global, mut nth, mut print, mut ic, mut ml) = (false, 0usize, 0, false, false);
        let mut wfile = None;
        loop {
            match self.peek() {
                Some('g') => {
                    if global {
                        self.i += 1;
                        return Err(self.err("multiple `g' options to `s' command"));
                    }
                    global = true;
                }
                Some('p') => {
                    if print > 0 {
                        self.i += 1;
                        return Err(self.err("multiple `p' options to `s' command"));
                    }
                    print += 1;
                }
                Some('i' | 'I') => ic = true,
                Some('m' | 'M') => ml = true,
                Some('e') => {
                    self.i += 1;
                    return Err("nslab: sed's s///e is not modelled yet\n".into());
                }
                Some(c) if c.is_ascii_digit() => {
                    if nth > 0 {
                        self.i += 1;
                        return Err(self.err("multiple number options to `s' command"));
                    }
                    let n = self.number();
                    if n == 0 {
                        return Err(self.err("number option to `s' command may not be zero"));
                    }
                    nth = n;
                    continue;
                }
                Some('w') => {
                    self.i += 1;
                    wfile = Some(self.filename());
                    break;
                }
                None | Some('\n' | ';' | '}' | '#' | ' ' | '\t') => break,
                Some(_) => {
                    self.i += 1;
                    return Err(self.err("unknown option to `s'"));
                }
            }
            self.i += 1;
        }
        let re = self.regex(&pat, ic, ml)?;
        let groups = re.as_ref().map_or(9, |r| r.captures_len() - 1);
        // the replacement
        let mut repl = Vec::new();
        let mut lit = String::new();
        let rc: Vec<char> = rep.chars().collect();
        let mut k = 0;
        while k < rc.len() {
            let c = rc[k];
            k += 1;
            if c == '&' {
                repl.push(Repl::Lit(std::mem::take(&mut lit)));
                repl.push(Repl::Group(0));
                continue;
            }
            if c != '\\' || k >= rc.len() {
                lit.push(c);
                continue;
            }
            let n = rc[k];
            k += 1;
            match n {
                '0'..='9' => {
                    let g = n as usize - '0' as usize;
                    if g > groups {
                        return Err(
                            self.err(&format!("invalid reference \\{g} on `s' command's RHS"))
                        );
                    }
                    repl.push(Repl::Lit(std::mem::take(&mut lit)));
                    repl.push(Repl::Group(g));
                }
                'n' => lit.push('\n'),
                't' => lit.push('\t'),
                'r' => lit.push('\r'),
                'a' => lit.push('\x07'),
                'f' => lit.push('\x0c'),
                'v' => lit.push('\x0b'),
                'L' | 'U' | 'l' | 'u' | 'E' => {
                    repl.push(Repl::Lit(std::mem::take(&mut lit)));
                    repl.push(Repl::Case(n));
                }
                '\n' => lit.push('\n'),
                other => lit.push(other),
            }
        }
        repl.push(Repl::Lit(lit));
        Ok(Subst {
            re,
            repl,
            global,
            nth: nth.max(1),
            print,
            wfile,
        })
    }

    fn parse(&mut self) -> PResult<Vec<Cmd>> {
        let mut cmds: Vec<Cmd> = Vec::new();
        let mut open: Vec<(usize, usize)> = Vec::new();
        loop {
            // separators
            while matches!(self.peek(), Some(' ' | '\t' | '\n' | ';')) {
                self.i += 1;
            }
            let Some(c) = self.peek() else { break };
            if c == '#' {
                while !matches!(self.next(), None | Some('\n')) {}
                continue;
            }
            let a1 = self.addr()?;
            let mut a2 = Addr2::None;
            if a1.is_some() && self.peek() == Some(',') {
                self.i += 1;
                self.skip_ws();
                match self.peek() {
                    Some('+') => {
                        self.i += 1;
                        a2 = Addr2::Plus(self.number());
                    }
                    Some('~') => {
                        self.i += 1;
                        a2 = Addr2::Tilde(self.number());
                    }
                    _ => match self.addr()? {
                        Some(Addr::Zero) => return Err(self.err("invalid usage of line address 0")),
                        Some(a) => a2 = Addr2::A(a),
                        None => {
                            self.i += 1;
                            return Err(self.err("unexpected `,'"));
                        }
                    },
                }
            }
            if matches!(a1, Some(Addr::Zero)) && !matches!(a2, Addr2::A(Addr::Re(_))) {
                return Err(self.err("invalid usage of line address 0"));
            }
            self.skip_ws();
            let mut neg = false;
            while self.peek() == Some('!') {
                if neg {
                    self.i += 1;
                    return Err(self.err("multiple `!'s"));
                }
                neg = true;
                self.i += 1;
                self.skip_ws();
            }
            let Some(cc) = self.next() else {
                return Err(self.err("missing command"));
            };
            let has_addr = a1.is_some();
            let op = match cc {
                '{' => {
                    open.push((cmds.len(), self.i));
                    Op::Block(0)
                }
                '}' => {
                    if has_addr {
                        return Err(self.err("} doesn't want any addresses"));
                    }
                    let Some((o, _)) = open.pop() else {
                        return Err(self.err("unexpected `}'"));
                    };
                    let here = cmds.len();
                    cmds[o].op = Op::Block(here + 1);
                    self.end_cmd()?;
                    cmds.push(Cmd {
                        a1: None,
                        a2: Addr2::None,
                        neg: false,
                        op: Op::EndBlock,
                        active: false,
                        end_line: 0,
                    });
                    continue;
                }
                's' => Op::S(Box::new(self.subst()?)),
                'y' => {
                    let Some(d) = self.next() else {
                        return Err(self.err("unterminated `y' command"));
                    };
                    let Some(a) = self.delimited(d, false) else {
                        return Err(self.err("unterminated `y' command"));
                    };
                    let Some(b) = self.delimited(d, false) else {
                        return Err(self.err("unterminated `y' command"));
                    };
                    let un = |s: &str| -> Vec<char> {
                        let mut v = Vec::new();
                        let mut it = s.chars();
                        while let Some(c) = it.next() {
                            if c == '\\' {
                                match it.next() {
                                    Some('n') => v.push('\n'),
                                    Some('t') => v.push('\t'),
                                    Some('\\') => v.push('\\'),
                                    Some(x) => v.push(x),
                                    None => v.push('\\'),
                                }
                            } else {
                                v.push(c);
                            }
                        }
                        v
                    };
                    let (a, b) = (un(&a), un(&b));
                    if a.len() != b.len() {
                        return Err(self.err("strings for `y' command are different lengths"));
                    }
                    Op::Y(a.into_iter().zip(b).collect())
                }
                'd' => Op::D,
                'D' => Op::BigD,
                'p' => Op::P,
                'P' => Op::BigP,
                'n' => Op::N,
                'N' => Op::BigN,
                'g' => Op::G,
                'G' => Op::BigG,
                'h' => Op::H,
                'H' => Op::BigH,
                'x' => Op::X,
                'z' => Op::Z,
                'F' => Op::F,
                '=' => Op::Eq,
                'l' => Op::L,
                'q' | 'Q' => {
                    if matches!(a2, Addr2::A(_) | Addr2::Plus(_) | Addr2::Tilde(_)) {
                        return Err(self.err("command only uses one address"));
                    }
                    self.skip_ws();
                    let code = self.number() as i32;
                    if cc == 'q' {
                        Op::Q(code)
                    } else {
                        Op::BigQ(code)
                    }
                }
                'a' | 'i' | 'c' => {
                    let t = self.text()?;
                    match cc {
                        'a' => Op::A(t),
                        'i' => Op::I(t),
                        _ => Op::C(t),
                    }
                }
                'r' => Op::R(self.filename()),
                'w' => Op::W(self.filename()),
                ':' => {
                    if has_addr {
                        return Err(self.err(": doesn't want any addresses"));
                    }
                    let l = self.label();
                    if l.is_empty() {
                        return Err(self.err("\":\" lacks a label"));
                    }
                    cmds.push(Cmd {
                        a1: None,
                        a2: Addr2::None,
                        neg: false,
                        op: Op::Label,
                        active: false,
                        end_line: 0,
                    });
                    labels_push(&mut cmds, l);
                    continue;
                }
                'b' | 't' | 'T' => {
                    let l = self.label();
                    let l = if l.is_empty() { None } else { Some(l) };
                    match cc {
                        'b' => Op::B(l, usize::MAX),
                        't' => Op::T(l, usize::MAX),
                        _ => Op::BigT(l, usize::MAX),
                    }
                }
                'e' => return Err("nslab: sed's e command is not modelled yet\n".into()),
                _ => return Err(self.err(&format!("unknown command: `{cc}'"))),
            };
            let text_cmd = matches!(
                op,
                Op::A(_) | Op::I(_) | Op::C(_) | Op::R(_) | Op::W(_) | Op::Block(_)
            );
            let ends_itself = matches!(&op, Op::S(s) if s.wfile.is_some());
            cmds.push(Cmd {
                a1,
                a2,
                neg,
                op,
                active: false,
                end_line: 0,
            });
            if !text_cmd
                && !ends_itself
                && !matches!(
                    cmds.last().map(|c| &c.op),
                    Some(Op::B(..) | Op::T(..) | Op::BigT(..))
                )
            {
                self.end_cmd()?;
            } else if matches!(
                cmds.last().map(|c| &c.op),
                Some(Op::B(..) | Op::T(..) | Op::BigT(..))
            ) && self.peek() == Some(';')
            {
                self.i += 1;
            }
        }
        if let Some((_, _)) = open.first() {
            let e = (1usize, 0usize);
            return Err(format!(
                "sed: -e expression #{}, char {}: unmatched `{{'\n",
                e.0, e.1
            ));
        }
        // resolve branch targets
        let labels: Vec<(String, usize)> = LABELS.with(|l| std::mem::take(&mut *l.borrow_mut()));
        for cmd in cmds.iter_mut() {
            let target = match &cmd.op {
                Op::B(l, _) | Op::T(l, _) | Op::BigT(l, _) => l.clone(),
                _ => continue,
            };
            let idx = match target {
                None => usize::MAX,
                Some(name) => match labels.iter().find(|(n, _)| *n == name) {
                    Some((_, i)) => *i,
                    None => return Err(format!("sed: can't find label for jump to `{name}'\n")),
                },
            };
            match &mut cmd.op {
                Op::B(_, t) | Op::T(_, t) | Op::BigT(_, t) => *t = idx,
                _ => {}
            }
        }
        Ok(cmds)
    }
}

thread_local! {
    // labels met while parsing (name, command index); taken at the end of `parse`
    static LABELS: std::cell::RefCell<Vec<(String, usize)>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn labels_push(cmds: &mut [Cmd], name: String) {
    let idx = cmds.len() - 1;
    LABELS.with(|l| l.borrow_mut().push((name, idx)));
}

/// One input line and whether it had a terminator.
struct Input {
    lines: Vec<(String, bool)>,
    /// index of the first line of each file (for -s/-i)
    pos: usize,
}

struct Exec<'x> {
    cmds: Vec<Cmd>,
    quiet: bool,
    sep: char,
    last_re: Option<Regex>,
    out: Vec<u8>,
    append: Vec<String>,
    wfiles: Vec<(String, Vec<u8>)>,
    reads: &'x mut dyn FnMut(&str) -> Option<Vec<u8>>,
    file_name: String,
    missing_nl: bool,
    steps: u64,
}

enum Flow {
    Next,
    Quit(i32),
    QuitSilent(i32),
    Restart,
}

impl Exec<'_> {
    /// Writes output; a line printed without its newline (the input's last) gets one first
    /// when more output follows (GNU's `output_missing_newline`).
    fn put(&mut self, b: &[u8]) {
        if self.missing_nl && !b.is_empty() {
            self.out.push(self.sep as u8);
            self.missing_nl = false;
        }
        self.out.extend_from_slice(b);
    }

    fn emit(&mut self, s: &str, nl: bool) {
        self.put(s.as_bytes());
        if nl {
            self.out.push(self.sep as u8);
        } else {
            self.missing_nl = true;
        }
    }

    fn flush_append(&mut self) {
        for a in std::mem::take(&mut self.append) {
            self.put(a.as_bytes());
        }
    }

    fn matches_addr(
        &mut self,
        a: &Addr,
        ps: &str,
        line: usize,
        last: bool,
    ) -> Result<bool, String> {
        Ok(match a {
            Addr::Line(n) => line == *n,
            Addr::Zero => false,
            Addr::Last => last,
            Addr::Step(f, s) => {
                if *s == 0 {
                    line == *f
                } else {
                    line >= *f && (line - f).checked_rem(*s) == Some(0)
                }
            }
            Addr::Re(r) => {
                let r = match r {
                    Some(r) => {
                        self.last_re = Some(r.clone());
                        r.clone()
                    }
                    None => match &self.last_re {
                        Some(r) => r.clone(),
                        None => return Err("sed: no previous regular expression\n".into()),
                    },
                };
                r.is_match(ps)
            }
        })
    }

    fn selected(&mut self, k: usize, ps: &str, line: usize, last: bool) -> Result<bool, String> {
        let c = self.cmds[k].clone();
        let Some(a1) = &c.a1 else { return Ok(true) };
        let r = match &c.a2 {
            Addr2::None => self.matches_addr(a1, ps, line, last)?,
            a2 => {
                if c.active {
                    // is this the range's last line?
                    let end = match a2 {
                        Addr2::A(Addr::Line(_)) | Addr2::Plus(_) | Addr2::Tilde(_) => {
                            line >= c.end_line
                        }
                        Addr2::A(a) => self.matches_addr(a, ps, line, last)?,
                        Addr2::None => true,
                    };
                    if end {
                        self.cmds[k].active = false;
                    }
                    true
                } else {
                    let start = match a1 {
                        Addr::Zero => true,
                        _ => self.matches_addr(a1, ps, line, last)?,
                    };
                    if matches!(a1, Addr::Zero) && line == 1 {
                        // 0,/re/: the end may match on line 1 itself
                        if let Addr2::A(a) = a2 {
                            if self.matches_addr(a, ps, line, last)? {
                                self.cmds[k].a1 = Some(Addr::Line(usize::MAX));
                                return Ok(!c.neg);
                            }
                        }
                        self.cmds[k].active = true;
                        self.cmds[k].a1 = Some(Addr::Line(usize::MAX));
                        return Ok(!c.neg);
                    }
                    if start {
                        let (active, end_line) = match a2 {
                            Addr2::A(Addr::Line(n)) => (*n > line, *n),
                            Addr2::Plus(n) => (*n > 0, line + n),
                            Addr2::Tilde(n) => {
                                let e = if *n == 0 { line } else { line.div_ceil(*n) * n };
                                (e > line, e)
                            }
                            Addr2::A(Addr::Last) => (!last, usize::MAX),
                            _ => (!last, usize::MAX),
                        };
                        self.cmds[k].active = active;
                        self.cmds[k].end_line = end_line;
                    }
                    start
                }
            }
        };
        Ok(r != c.neg)
    }

    fn subst(&mut self, s: &Subst, ps: &mut String) -> Result<bool, String> {
        let re = match &s.re {
            Some(r) => {
                self.last_re = Some(r.clone());
                r.clone()
            }
            None => match &self.last_re {
                Some(r) => r.clone(),
                None => return Err("sed: no previous regular expression\n".into()),
            },
        };
        let mut out = String::new();
        let mut at = 0;
        let mut count = 0;
        let mut did = false;
        let mut prev_end: Option<usize> = None;
        while at <= ps.len() {
            let Some(caps) = re.captures_at(ps, at) else {
                break;
            };
            let m = caps.get(0).expect("group 0");
            // an empty match right after the previous match is not a match (GNU)
            if m.start() == m.end() && prev_end == Some(m.start()) {
                let Some(ch) = ps[m.start()..].chars().next() else {
                    break;
                };
                out.push_str(&ps[at..m.start() + ch.len_utf8()]);
                at = m.start() + ch.len_utf8();
                continue;
            }
            count += 1;
            out.push_str(&ps[at..m.start()]);
            if count >= s.nth {
                did = true;
                let mut case: Option<char> = None;
                let mut one: Option<char> = None;
                for r in &s.repl {
                    let text: String = match r {
                        Repl::Lit(t) => t.clone(),
                        Repl::Group(g) => caps.get(*g).map_or("", |m| m.as_str()).to_string(),
                        Repl::Case(c) => {
                            match c {
                                'U' | 'L' => case = Some(*c),
                                'E' => case = None,
                                _ => one = Some(*c),
                            }
                            continue;
                        }
                    };
                    let mut text = match case {
                        Some('U') => text.to_uppercase(),
                        Some('L') => text.to_lowercase(),
                        _ => text,
                    };
                    if let Some(o) = one {
                        if let Some(f) = text.chars().next() {
                            let fl: String = if o == 'u' {
                                f.to_uppercase().collect()
                            } else {
                                f.to_lowercase().collect()
                            };
                            text = fl + &text[f.len_utf8()..];
                            one = None;
                        }
                    }
                    out.push_str(&text);
                }
            } else {
                out.push_str(m.as_str());
            }
            prev_end = Some(m.end());
            if m.end() == m.start() {
                match ps[m.end()..].chars().next() {
                    Some(ch) => {
                        out.push(ch);
                        at = m.end() + ch.len_utf8();
                    }
                    None => {
                        at = ps.len() + 1;
                        break;
                    }
                }
            } else {
                at = m.end();
            }
            if did && !s.global {
                break;
            }
        }
        if !did {
            return Ok(false);
        }
        if at <= ps.len() {
            out.push_str(&ps[at..]);
        }
        *ps = out;
        Ok(true)
    }

    /// Runs the script over `input`; returns the exit status.
    fn run(&mut self, input: &mut Input, hold: &mut String) -> Result<Option<i32>, String> {
        let mut restart_ps: Option<String> = None;
        loop {
            let mut ps;
            let mut nl;
            if let Some(p) = restart_ps.take() {
                ps = p;
                nl = true;
            } else {
                if input.pos >= input.lines.len() {
                    return Ok(None);
                }
                (ps, nl) = input.lines[input.pos].clone();
                input.pos += 1;
            }
            let mut tflag = false;
            let mut k = 0;
            let mut flow = Flow::Next;
            'cmds: while k < self.cmds.len() {
                // bad input never hangs the lab (`:a;ba`)
                self.steps += 1;
                if self.steps > 5_000_000 || self.out.len() > 64 << 20 {
                    return Err(
                        "nslab: sed scripts running this long are not modelled yet\n".into(),
                    );
                }
                let line = input.pos;
                let last = input.pos >= input.lines.len();
                if !self.selected(k, &ps, line, last)? {
                    if let Op::Block(end) = self.cmds[k].op {
                        k = end;
                    } else {
                        k += 1;
                    }
                    continue;
                }
                let op = self.cmds[k].op.clone();
                k += 1;
                match op {
                    Op::Block(_) | Op::EndBlock | Op::Label => {}
                    Op::S(s) => {
                        if self.subst(&s, &mut ps)? {
                            tflag = true;
                            if s.print > 0 {
                                let p = ps.clone();
                                self.emit(&p, true);
                            }
                            if let Some(w) = &s.wfile {
                                let p = ps.clone();
                                self.write_to(w, &p);
                            }
                        }
                    }
                    Op::Y(map) => {
                        ps = ps
                            .chars()
                            .map(|c| map.iter().find(|(a, _)| *a == c).map_or(c, |(_, b)| *b))
                            .collect();
                    }
                    Op::D => {
                        flow = Flow::Restart;
                        ps.clear();
                        break 'cmds;
                    }
                    Op::BigD => match ps.find('\n') {
                        None => {
                            flow = Flow::Restart;
                            ps.clear();
                            break 'cmds;
                        }
                        Some(i) => {
                            let rest = ps[i + 1..].to_string();
                            self.flush_append();
                            restart_ps = Some(rest);
                            flow = Flow::Restart;
                            ps.clear();
                            break 'cmds;
                        }
                    },
                    Op::P => {
                        let p = ps.clone();
                        self.emit(&p, true);
                    }
                    Op::BigP => {
                        let p = ps.split('\n').next().unwrap_or("").to_string();
                        self.emit(&p, true);
                    }
                    Op::Q(c) => {
                        flow = Flow::Quit(c);
                        break 'cmds;
                    }
                    Op::BigQ(c) => {
                        flow = Flow::QuitSilent(c);
                        break 'cmds;
                    }
                    Op::N => {
                        if input.pos >= input.lines.len() {
                            // no next line: GNU quits, autoprinting
                            flow = Flow::Quit(0);
                            break 'cmds;
                        }
                        if !self.quiet {
                            let p = ps.clone();
                            self.emit(&p, nl);
                        }
                        self.flush_append();
                        (ps, nl) = input.lines[input.pos].clone();
                        input.pos += 1;
                    }
                    Op::BigN => {
                        if input.pos >= input.lines.len() {
                            flow = Flow::Quit(0);
                            break 'cmds;
                        }
                        self.flush_append();
                        let (n, l) = input.lines[input.pos].clone();
                        input.pos += 1;
                        ps.push('\n');
                        ps.push_str(&n);
                        nl = l;
                    }
                    Op::G => ps = hold.clone(),
                    Op::BigG => {
                        ps.push('\n');
                        ps.push_str(hold);
                    }
                    Op::H => *hold = ps.clone(),
                    Op::BigH => {
                        hold.push('\n');
                        hold.push_str(&ps);
                    }
                    Op::X => std::mem::swap(&mut ps, hold),
                    Op::Z => ps.clear(),
                    Op::F => {
                        let f = self.file_name.clone();
                        self.emit(&f, true);
                    }
                    Op::A(t) => self.append.push(t),
                    Op::I(t) => self.put(t.as_bytes()),
                    Op::C(t) => {
                        // with a range, the text goes out at its end
                        let c = &self.cmds[k - 1];
                        if c.neg || !c.active || matches!(c.a2, Addr2::None) {
                            self.put(t.as_bytes());
                        }
                        flow = Flow::Restart;
                        ps.clear();
                        break 'cmds;
                    }
                    Op::Eq => {
                        let l = format!("{}\n", input.pos);
                        self.put(l.as_bytes());
                    }
                    Op::L => {
                        let t = l_format(&ps);
                        self.put(t.as_bytes());
                    }
                    Op::R(f) => {
                        if let Some(d) = (self.reads)(&f) {
                            self.append.push(String::from_utf8_lossy(&d).into_owned());
                        }
                    }
                    Op::W(f) => {
                        let p = ps.clone();
                        self.write_to(&f, &p);
                    }
                    Op::B(_, t) => {
                        k = if t == usize::MAX { self.cmds.len() } else { t };
                    }
                    Op::T(_, t) => {
                        if tflag {
                            tflag = false;
                            k = if t == usize::MAX { self.cmds.len() } else { t };
                        }
                    }
                    Op::BigT(_, t) => {
                        if !tflag {
                            k = if t == usize::MAX { self.cmds.len() } else { t };
                        } else {
                            tflag = false;
                        }
                    }
                }
            }
            match flow {
                Flow::Next => {
                    if !self.quiet {
                        self.emit(&ps, nl);
                    }
                    self.flush_append();
                }
                Flow::Restart => {
                    self.flush_append();
                }
                Flow::Quit(c) => {
                    if !self.quiet {
                        self.emit(&ps, nl);
                    }
                    self.flush_append();
                    return Ok(Some(c));
                }
                Flow::QuitSilent(c) => return Ok(Some(c)),
            }
        }
    }

    fn write_to(&mut self, f: &str, line: &str) {
        if f == "/dev/stdout" {
            self.emit(line, true);
            return;
        }
        let sep = self.sep;
        match self.wfiles.iter_mut().find(|(n, _)| n == f) {
            Some((_, d)) => {
                d.extend_from_slice(line.as_bytes());
                d.push(sep as u8);
            }
            None => {
                let mut d = line.as_bytes().to_vec();
                d.push(sep as u8);
                self.wfiles.push((f.to_string(), d));
            }
        }
    }
}

/// The `l` command's unambiguous form, wrapped at 70 columns.
fn l_format(ps: &str) -> String {
    let mut pieces = Vec::new();
    for b in ps.bytes() {
        let p = match b {
            b'\\' => "\\\\".to_string(),
            7 => "\\a".into(),
            8 => "\\b".into(),
            12 => "\\f".into(),
            b'\n' => "\\n".into(),
            b'\r' => "\\r".into(),
            b'\t' => "\\t".into(),
            11 => "\\v".into(),
            32..=126 => (b as char).to_string(),
            _ => format!("\\{b:03o}"),
        };
        pieces.push(p);
    }
    let mut out = String::new();
    let mut col = 0;
    for p in pieces {
        if col + p.len() > 69 {
            out.push_str("\\\n");
            col = 0;
        }
        col += p.len();
        out.push_str(&p);
    }
    out.push_str("$\n");
    out
}

fn split_lines(data: &[u8], sep: char) -> Vec<(String, bool)> {
    let text = String::from_utf8_lossy(data);
    let mut v: Vec<(String, bool)> = Vec::new();
    let mut rest: &str = &text;
    while !rest.is_empty() {
        match rest.find(sep) {
            Some(i) => {
                v.push((rest[..i].to_string(), true));
                rest = &rest[i + 1..];
            }
            None => {
                v.push((rest.to_string(), false));
                rest = "";
            }
        }
    }
    v
}

pub fn sed(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("quiet", HasArg::No, 'n'),
        LongOpt::new("silent", HasArg::No, 'n'),
        LongOpt::new("expression", HasArg::Required, 'e'),
        LongOpt::new("file", HasArg::Required, 'f'),
        LongOpt::new("regexp-extended", HasArg::No, 'E'),
        LongOpt::new("in-place", HasArg::Optional, 'i'),
        LongOpt::new("separate", HasArg::No, 's'),
        LongOpt::new("null-data", HasArg::No, 'z'),
        LongOpt::new("posix", HasArg::No, '\u{e000}'),
        LongOpt::new("unbuffered", HasArg::No, 'u'),
        LongOpt::new("debug", HasArg::No, '\u{e001}'),
        LongOpt::new("sandbox", HasArg::No, '\u{e002}'),
        LongOpt::new("line-length", HasArg::Required, 'l'),
    ];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "ne:f:Ei::rsuzl:", LONGS);
    let (mut quiet, mut ext, mut separate, mut zero) = (false, false, false, false);
    let mut in_place: Option<String> = None;
    let mut script = String::new();
    let mut loc: Vec<(usize, usize)> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut have = false;
    let add = |script: &mut String,
               loc: &mut Vec<(usize, usize)>,
               names: &mut Vec<String>,
               text: &str,
               file: Option<&str>| {
        if !script.is_empty() {
            script.push('\n');
            let l = loc.last().copied().unwrap_or((1, 0));
            loc.push((l.0, l.1 + 1));
        }
        names.push(file.unwrap_or("").to_string());
        let e = names.len();
        let mut line = 1;
        for (k, c) in text.chars().enumerate() {
            script.push(c);
            loc.push((e, if file.is_some() { line } else { k + 1 }));
            if c == '\n' {
                line += 1;
            }
        }
    };
    while let Some(r) = g.next() {
        let o = match r {
            Ok(o) => o,
            Err(e) => {
                ctx.err(e.glibc_message("sed"));
                ctx.err(USAGE);
                return 1;
            }
        };
        match o.opt {
            'n' => quiet = true,
            'e' => {
                add(
                    &mut script,
                    &mut loc,
                    &mut names,
                    &o.arg.unwrap_or_default(),
                    None,
                );
                have = true;
            }
            'f' => {
                let f = o.arg.unwrap_or_default();
                match ctx.read_file(&f) {
                    Ok(d) => {
                        let t = String::from_utf8_lossy(&d).into_owned();
                        let t = t.strip_suffix('\n').unwrap_or(&t).to_string();
                        add(&mut script, &mut loc, &mut names, &t, Some(&f));
                        have = true;
                    }
                    Err(e) => {
                        ctx.err(format!("sed: couldn't open file {f}: {e}\n"));
                        return 1;
                    }
                }
            }
            'E' | 'r' => ext = true,
            'i' => {
                in_place = Some(o.arg.unwrap_or_default());
                separate = true;
            }
            's' => separate = true,
            'z' => zero = true,
            _ => {}
        }
    }
    let mut files = g.into_operands();
    if !have {
        if files.is_empty() {
            ctx.err(USAGE);
            return 1;
        }
        let s = files.remove(0);
        add(&mut script, &mut loc, &mut names, &s, None);
    }
    let mut p = Parser {
        c: script.chars().collect(),
        loc,
        i: 0,
        ext,
        names: &names,
    };
    LABELS.with(|l| l.borrow_mut().clear());
    let cmds = match p.parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.starts_with("nslab:") {
                127
            } else if e.contains("can't find label") {
                4
            } else {
                1
            };
            ctx.err(e);
            return code;
        }
    };
    let sep = if zero { '\0' } else { '\n' };
    if files.is_empty() {
        if in_place.is_some() {
            ctx.err("sed: no input files\n");
            return 1;
        }
        files.push("-".into());
    }
    // read the inputs (missing ones: an error, status 2, the rest still run)
    let mut status = 0;
    let mut inputs: Vec<(String, Vec<(String, bool)>)> = Vec::new();
    for f in &files {
        match ctx.read_file(f) {
            Ok(d) => inputs.push((f.clone(), split_lines(&d, sep))),
            Err(e) => {
                let what = if e == crate::FsError::IsADirectory && in_place.is_none() {
                    format!("sed: read error on {f}: Is a directory\n")
                } else if in_place.is_some() && e == crate::FsError::IsADirectory {
                    format!("sed: couldn't edit {f}: not a regular file\n")
                } else {
                    format!("sed: can't read {}: {e}\n", quotef(f))
                };
                ctx.err(what);
                status = 2;
            }
        }
    }
    let stdin_files: Vec<(String, Vec<u8>)> = Vec::new();
    let _ = stdin_files;
    let mut fsnap: Vec<(String, Option<Vec<u8>>)> = Vec::new();
    for c in &cmds {
        if let Op::R(f) = &c.op {
            let p = ctx.abs(f);
            fsnap.push((f.clone(), ctx.fs.read(&p).ok()));
        }
    }
    let mut reads = move |f: &str| {
        fsnap
            .iter()
            .find(|(n, _)| n == f)
            .and_then(|(_, d)| d.clone())
    };
    let mut ex = Exec {
        cmds,
        quiet,
        sep,
        last_re: None,
        out: Vec::new(),
        append: Vec::new(),
        wfiles: Vec::new(),
        reads: &mut reads,
        file_name: String::new(),
        missing_nl: false,
        steps: 0,
    };
    let mut hold = String::new();
    let mut quit = None;
    if separate {
        for (name, lines) in inputs {
            ex.file_name = name.clone();
            let mut inp = Input { lines, pos: 0 };
            for c in &mut ex.cmds {
                c.active = false;
            }
            let r = ex.run(&mut inp, &mut hold);
            let out = std::mem::take(&mut ex.out);
            ex.missing_nl = false;
            match r {
                Ok(q) => {
                    if in_place.is_some() && name != "-" {
                        let p = ctx.abs(&name);
                        if let Some(suf) = in_place.as_deref().filter(|s| !s.is_empty()) {
                            let orig = ctx.fs.read(&p).unwrap_or_default();
                            let bak = if suf.contains('*') {
                                suf.replace('*', &name)
                            } else {
                                format!("{name}{suf}")
                            };
                            let bp = ctx.abs(&bak);
                            let _ = ctx.fs.write(&bp, &orig, false);
                        }
                        if let Err(e) = ctx.fs.write(&p, &out, false) {
                            ctx.err(format!("sed: couldn't open file {name}: {e}\n"));
                            status = 4;
                        }
                    } else {
                        ctx.out(out);
                    }
                    if q.is_some() {
                        quit = q;
                        break;
                    }
                }
                Err(e) => {
                    ctx.out(out);
                    ctx.err(e);
                    return 4;
                }
            }
        }
    } else {
        let mut all = Vec::new();
        for (name, lines) in inputs {
            ex.file_name = if name == "-" { "-".into() } else { name };
            all.extend(lines);
        }
        let mut inp = Input { lines: all, pos: 0 };
        let r = ex.run(&mut inp, &mut hold);
        let out = std::mem::take(&mut ex.out);
        ctx.out(out);
        match r {
            Ok(q) => quit = q,
            Err(e) => {
                ctx.err(e);
                return 4;
            }
        }
    }
    for (f, d) in std::mem::take(&mut ex.wfiles) {
        if f == "/dev/stderr" {
            ctx.err(d);
            continue;
        }
        if let Err(e) = ctx.write_file(&f, &d, false) {
            ctx.err(format!("sed: couldn't open file {f}: {e}\n"));
            status = 4;
        }
    }
    match quit {
        Some(c) if c != 0 => c,
        _ => status,
    }
}

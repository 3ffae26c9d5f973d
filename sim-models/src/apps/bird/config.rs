//! A parser for the subset of the BIRD 2 configuration language the labs use: `router id`, `log`,
//! `protocol device|direct|kernel|bgp`, channels (`ipv4 { import ...; export ...; }`) and filters
//! (`all`, `none`, `where EXPR`, `filter NAME`, `filter { ... }`, named `filter NAME { ... }`).
//!
//! Errors carry BIRD's own text and position: `FILE:LINE:COL MESSAGE`, the column being the first
//! character of the offending token (BIRD's `cf_error`: `chno - toklen + 1`). A grammar error is
//! bison's `syntax error, unexpected TOKEN`; a statement BIRD knows but this model does not is
//! named (`... is not modelled`).
//!
//! # Differences from BIRD
//! Only the statements above; no templates, no `include`, no functions, no IPv6 channels, no
//! route attributes in filters beyond `source`, `net`, `proto`.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// A parsed configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub router_id: Option<Ipv4Addr>,
    pub protocols: Vec<ProtoCfg>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtoCfg {
    pub name: String,
    pub disabled: bool,
    pub kind: ProtoKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProtoKind {
    Device {
        scan_time: u32,
    },
    Direct {
        interfaces: Vec<String>,
        channel: Channel,
    },
    Kernel {
        scan_time: u32,
        learn: bool,
        persist: bool,
        metric: u32,
        channel: Channel,
    },
    Bgp(BgpCfg),
}

impl ProtoKind {
    /// BIRD's protocol class name (`show protocols` column Proto).
    pub fn class(&self) -> &'static str {
        match self {
            ProtoKind::Device { .. } => "Device",
            ProtoKind::Direct { .. } => "Direct",
            ProtoKind::Kernel { .. } => "Kernel",
            ProtoKind::Bgp(_) => "BGP",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BgpCfg {
    pub local_ip: Option<Ipv4Addr>,
    pub local_as: u32,
    pub neighbor: Ipv4Addr,
    pub remote_as: u32,
    pub hold_time: u32,
    pub keepalive_time: u32,
    pub connect_delay_time: u32,
    pub connect_retry_time: u32,
    /// 0: direct (single hop); otherwise the TTL.
    pub multihop: u32,
    pub passive: bool,
    pub channel: Channel,
}

/// An `ipv4` channel: its import and export filters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Channel {
    pub import: Filter,
    pub export: Filter,
    pub next_hop_self: bool,
}

/// A filter: accept everything, nothing, or run statements (no final verdict = reject).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filter {
    All,
    None,
    Stmts(Vec<Stmt>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stmt {
    Accept,
    Reject,
    If(Expr, Vec<Stmt>, Vec<Stmt>),
}

/// Route sources (`RTS_*`), as `source` compares them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RtSource {
    Static,
    Inherit,
    Device,
    StaticDevice,
    Redirect,
    Rip,
    Ospf,
    Bgp,
    Pipe,
    Babel,
}

impl RtSource {
    fn parse(s: &str) -> Option<RtSource> {
        Some(match s {
            "RTS_STATIC" => RtSource::Static,
            "RTS_INHERIT" => RtSource::Inherit,
            "RTS_DEVICE" => RtSource::Device,
            "RTS_STATIC_DEVICE" => RtSource::StaticDevice,
            "RTS_REDIRECT" => RtSource::Redirect,
            "RTS_RIP" => RtSource::Rip,
            "RTS_OSPF" => RtSource::Ospf,
            "RTS_BGP" => RtSource::Bgp,
            "RTS_PIPE" => RtSource::Pipe,
            "RTS_BABEL" => RtSource::Babel,
            _ => return None,
        })
    }
}

/// One item of a prefix set: `A/L`, `A/L+`, `A/L-`, `A/L{lo,hi}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrefixPat {
    pub addr: Ipv4Addr,
    pub plen: u8,
    pub lo: u8,
    pub hi: u8,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    True,
    False,
    SourceEq(RtSource, bool),
    NetIn(Vec<PrefixPat>, bool),
    NetEq((Ipv4Addr, u8), bool),
    ProtoEq(String, bool),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

/// What a filter sees of a route.
pub struct RouteView<'a> {
    pub net: (Ipv4Addr, u8),
    pub source: RtSource,
    pub proto: &'a str,
}

impl Expr {
    pub fn eval(&self, r: &RouteView) -> bool {
        match self {
            Expr::True => true,
            Expr::False => false,
            Expr::SourceEq(s, eq) => (r.source == *s) == *eq,
            Expr::NetIn(set, eq) => set.iter().any(|p| p.matches(r.net)) == *eq,
            Expr::NetEq(n, eq) => (r.net == *n) == *eq,
            Expr::ProtoEq(p, eq) => (r.proto == p) == *eq,
            Expr::Not(e) => !e.eval(r),
            Expr::And(a, b) => a.eval(r) && b.eval(r),
            Expr::Or(a, b) => a.eval(r) || b.eval(r),
        }
    }
}

impl PrefixPat {
    fn matches(&self, (a, l): (Ipv4Addr, u8)) -> bool {
        l >= self.lo && l <= self.hi && prefix(a, self.plen) == prefix(self.addr, self.plen)
    }
}

fn prefix(a: Ipv4Addr, plen: u8) -> u32 {
    let m = if plen == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(plen))
    };
    u32::from(a) & m
}

impl Filter {
    /// Runs the filter: true = accept.
    pub fn accepts(&self, r: &RouteView) -> bool {
        match self {
            Filter::All => true,
            Filter::None => false,
            Filter::Stmts(s) => run_stmts(s, r).unwrap_or(false),
        }
    }
}

fn run_stmts(stmts: &[Stmt], r: &RouteView) -> Option<bool> {
    for s in stmts {
        let v = match s {
            Stmt::Accept => Some(true),
            Stmt::Reject => Some(false),
            Stmt::If(e, t, f) => run_stmts(if e.eval(r) { t } else { f }, r),
        };
        if v.is_some() {
            return v;
        }
    }
    None
}

/// A configuration error: `FILE:LINE:COL MESSAGE` as BIRD prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfError {
    pub line: usize,
    pub col: usize,
    pub msg: String,
}

impl ConfError {
    pub fn render(&self, file: &str) -> String {
        format!("{}:{}:{} {}", file, self.line, self.col, self.msg)
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Word(String),
    Num(u64),
    /// A number that overflowed u32 (BIRD: `Number out of range`).
    BigNum,
    Ip(Ipv4Addr),
    Str(String),
    Sym(&'static str),
    Eof,
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    line: usize,
    col: usize,
}

const SYMS: [&str; 21] = [
    "!=", "&&", "||", "<=", ">=", "{", "}", ";", ",", "(", ")", "[", "]", "=", "~", "!", "+", "-",
    "/", "<", ">",
];

fn lex(src: &str) -> Result<Vec<Token>, ConfError> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut line, mut lstart) = (0usize, 1usize, 0usize);
    while i < b.len() {
        let c = b[i];
        let col = i - lstart + 1;
        if c == b'\n' {
            line += 1;
            i += 1;
            lstart = i;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'#' {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                if b[i] == b'\n' {
                    line += 1;
                    lstart = i + 1;
                }
                i += 1;
            }
            if i >= b.len() {
                return Err(ConfError {
                    line,
                    col: i - lstart + 1,
                    msg: "Unterminated comment".into(),
                });
            }
            i += 2;
            continue;
        }
        if c == b'"' {
            let start = i + 1;
            i += 1;
            while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                i += 1;
            }
            if i >= b.len() || b[i] != b'"' {
                return Err(ConfError {
                    line,
                    col,
                    msg: "Unterminated string".into(),
                });
            }
            out.push(Token {
                tok: Tok::Str(src[start..i].to_string()),
                line,
                col,
            });
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            let text = &src[start..i];
            let tok = if text.contains('.') {
                match text.parse::<Ipv4Addr>() {
                    Ok(a) => Tok::Ip(a),
                    Err(_) => {
                        return Err(ConfError {
                            line,
                            col,
                            msg: "Invalid IPv4 address".into(),
                        })
                    }
                }
            } else {
                match text.parse::<u64>() {
                    Ok(n) if n <= u64::from(u32::MAX) => Tok::Num(n),
                    _ => Tok::BigNum,
                }
            };
            out.push(Token { tok, line, col });
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Word(src[start..i].to_string()),
                line,
                col,
            });
            continue;
        }
        let rest = &src[i..];
        match SYMS.iter().find(|s| rest.starts_with(**s)) {
            Some(s) => {
                out.push(Token {
                    tok: Tok::Sym(s),
                    line,
                    col,
                });
                i += s.len();
            }
            None => {
                return Err(ConfError {
                    line,
                    col,
                    msg: format!("Unknown character '{}'", rest.chars().next().unwrap_or('?')),
                })
            }
        }
    }
    out.push(Token {
        tok: Tok::Eof,
        line,
        col: i - lstart + 1,
    });
    Ok(out)
}

/// BIRD's keywords that the model's statements use or that BIRD would accept but the model does
/// not implement: a word in this list is a keyword token, anything else `CF_SYM_UNDEFINED`.
const KEYWORDS: [&str; 64] = [
    "router",
    "id",
    "log",
    "protocol",
    "device",
    "direct",
    "kernel",
    "bgp",
    "static",
    "ospf",
    "rip",
    "babel",
    "pipe",
    "bfd",
    "rpki",
    "radv",
    "scan",
    "time",
    "interface",
    "ipv4",
    "ipv6",
    "import",
    "export",
    "all",
    "none",
    "where",
    "filter",
    "learn",
    "persist",
    "local",
    "neighbor",
    "as",
    "hold",
    "keepalive",
    "connect",
    "retry",
    "delay",
    "multihop",
    "passive",
    "next",
    "hop",
    "self",
    "source",
    "net",
    "proto",
    "if",
    "then",
    "else",
    "accept",
    "reject",
    "true",
    "false",
    "on",
    "off",
    "yes",
    "no",
    "disabled",
    "debug",
    "metric",
    "table",
    "graceful",
    "restart",
    "define",
    "function",
];

/// The bison name of a token, for `syntax error, unexpected X`.
fn tok_name(t: &Tok) -> String {
    match t {
        Tok::Word(w) if KEYWORDS.contains(&w.to_ascii_lowercase().as_str()) => {
            w.to_ascii_uppercase()
        }
        Tok::Word(w) if w.starts_with("RTS_") => "CF_SYM_KNOWN".into(),
        Tok::Word(_) => "CF_SYM_UNDEFINED".into(),
        Tok::Num(_) | Tok::BigNum => "NUM".into(),
        Tok::Ip(_) => "IP4".into(),
        Tok::Str(_) => "TEXT".into(),
        Tok::Sym(s) => match *s {
            "!=" => "NEQ".into(),
            "&&" => "AND".into(),
            "||" => "OR".into(),
            "<=" => "LEQ".into(),
            ">=" => "GEQ".into(),
            s => format!("'{}'", s),
        },
        Tok::Eof => "end of file".into(),
    }
}

struct P<'a> {
    t: &'a [Token],
    i: usize,
    /// Protocol instance counters per class, for default names (`kernel1`, `bgp2`).
    counters: BTreeMap<&'static str, u32>,
    filters: BTreeMap<String, Filter>,
}

type R<T> = Result<T, ConfError>;

impl<'a> P<'a> {
    fn peek(&self) -> &Tok {
        &self.t[self.i].tok
    }
    fn peek2(&self) -> &Tok {
        &self.t[(self.i + 1).min(self.t.len() - 1)].tok
    }
    fn cur(&self) -> &Token {
        &self.t[self.i]
    }
    fn bump(&mut self) -> Token {
        let t = self.t[self.i].clone();
        if self.i + 1 < self.t.len() {
            self.i += 1;
        }
        t
    }
    fn err_at(&self, t: &Token, msg: impl Into<String>) -> ConfError {
        ConfError {
            line: t.line,
            col: t.col,
            msg: msg.into(),
        }
    }
    fn unexpected(&self) -> ConfError {
        let t = self.cur();
        self.err_at(t, format!("syntax error, unexpected {}", tok_name(&t.tok)))
    }
    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Word(x) if x.eq_ignore_ascii_case(w))
    }
    fn is_sym(&self, s: &str) -> bool {
        matches!(self.peek(), Tok::Sym(x) if *x == s)
    }
    fn word(&mut self, w: &str) -> R<()> {
        if self.is_word(w) {
            self.bump();
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }
    fn sym(&mut self, s: &str) -> R<()> {
        if self.is_sym(s) {
            self.bump();
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }
    /// Reads the `;` ending a statement: range checks in BIRD's rule actions run after it, so
    /// their errors point at it.
    fn expect_semi(&mut self) -> R<()> {
        self.sym(";")
    }
    fn eat_sym(&mut self, s: &str) -> bool {
        if self.is_sym(s) {
            self.bump();
            true
        } else {
            false
        }
    }
    fn num(&mut self) -> R<u32> {
        match self.peek().clone() {
            Tok::Num(n) => {
                self.bump();
                Ok(n as u32)
            }
            Tok::BigNum => Err(self.err_at(self.cur(), "Number out of range")),
            _ => Err(self.unexpected()),
        }
    }
    fn ip(&mut self) -> R<Ipv4Addr> {
        match self.peek().clone() {
            Tok::Ip(a) => {
                self.bump();
                Ok(a)
            }
            _ => Err(self.unexpected()),
        }
    }
    fn text(&mut self) -> R<String> {
        match self.peek().clone() {
            Tok::Str(s) => {
                self.bump();
                Ok(s)
            }
            _ => Err(self.unexpected()),
        }
    }
    /// `yes|no|on|off|true|false` (BIRD's `bool`); an absent value means yes.
    fn opt_bool(&mut self) -> R<bool> {
        for (w, v) in [
            ("yes", true),
            ("on", true),
            ("true", true),
            ("no", false),
            ("off", false),
            ("false", false),
        ] {
            if self.is_word(w) {
                self.bump();
                return Ok(v);
            }
        }
        Ok(true)
    }
    fn not_modelled(&self, t: &Token, what: &str) -> ConfError {
        self.err_at(t, format!("{} is not modelled (nslab)", what))
    }

    fn config(&mut self) -> R<Config> {
        let mut cfg = Config {
            router_id: None,
            protocols: Vec::new(),
        };
        loop {
            let t = self.cur().clone();
            match &t.tok {
                Tok::Eof => break,
                Tok::Sym(";") => {
                    self.bump();
                }
                Tok::Word(w) => match w.to_ascii_lowercase().as_str() {
                    "router" => {
                        self.bump();
                        self.word("id")?;
                        cfg.router_id = Some(match self.peek().clone() {
                            Tok::Ip(a) => {
                                self.bump();
                                a
                            }
                            Tok::Num(n) => {
                                self.bump();
                                Ipv4Addr::from(n as u32)
                            }
                            _ => return Err(self.unexpected()),
                        });
                        self.sym(";")?;
                    }
                    "log" => {
                        // `log syslog|stderr|"file" [all|{ classes }];`: logging has no effect here.
                        self.bump();
                        while !self.is_sym(";") {
                            if matches!(self.peek(), Tok::Eof) {
                                return Err(self.unexpected());
                            }
                            self.bump();
                        }
                        self.bump();
                    }
                    "protocol" => {
                        self.bump();
                        let p = self.protocol(&cfg)?;
                        cfg.protocols.push(p);
                    }
                    "filter" => {
                        self.bump();
                        let name = match self.peek().clone() {
                            Tok::Word(n) => {
                                self.bump();
                                n
                            }
                            _ => return Err(self.unexpected()),
                        };
                        let body = self.block()?;
                        self.filters.insert(name, Filter::Stmts(body));
                    }
                    "debug" => {
                        self.bump();
                        while !self.is_sym(";") && !matches!(self.peek(), Tok::Eof) {
                            self.bump();
                        }
                        self.sym(";")?;
                    }
                    "define" | "function" | "template" | "include" | "table" | "ipv4" | "ipv6"
                    | "roa4" | "roa6" | "attribute" | "timeformat" | "mrtdump" | "watchdog"
                    | "graceful" | "hostname" => {
                        return Err(self.not_modelled(&t, &format!("'{}'", w)))
                    }
                    _ => return Err(self.unexpected()),
                },
                _ => return Err(self.unexpected()),
            }
        }
        Ok(cfg)
    }

    fn protocol(&mut self, cfg: &Config) -> R<ProtoCfg> {
        let t = self.cur().clone();
        let class = match &t.tok {
            Tok::Word(w) => w.to_ascii_lowercase(),
            _ => return Err(self.unexpected()),
        };
        let class: &'static str = match class.as_str() {
            "device" => "device",
            "direct" => "direct",
            "kernel" => "kernel",
            "bgp" => "bgp",
            "static" | "ospf" | "rip" | "babel" | "pipe" | "bfd" | "rpki" | "radv" | "mrt"
            | "perf" | "l3vpn" | "aggregator" => {
                return Err(self.not_modelled(&t, &format!("protocol {}", class)))
            }
            _ => return Err(self.unexpected()),
        };
        self.bump();
        let n = self.counters.entry(class).or_insert(0);
        *n += 1;
        let default_name = format!("{}{}", class, n);
        let name = match self.peek().clone() {
            Tok::Word(w) if !KEYWORDS.contains(&w.to_ascii_lowercase().as_str()) => {
                self.bump();
                if cfg.protocols.iter().any(|p| p.name == w) {
                    let t = self.t[self.i - 1].clone();
                    return Err(self.err_at(&t, format!("Duplicate symbol '{}'", w)));
                }
                w
            }
            _ => default_name,
        };
        self.sym("{")?;
        let mut disabled = false;
        let kind = match class {
            "device" => {
                let mut scan_time = 60;
                while !self.eat_sym("}") {
                    if self.common_item(&mut disabled)? {
                        continue;
                    }
                    let t = self.cur().clone();
                    if self.is_word("scan") {
                        self.bump();
                        self.word("time")?;
                        scan_time = self.num()?;
                    } else if self.is_word("interface") {
                        return Err(self.not_modelled(&t, "device interface patterns"));
                    } else {
                        return Err(self.unexpected());
                    }
                    self.sym(";")?;
                }
                ProtoKind::Device { scan_time }
            }
            "direct" => {
                let mut interfaces = Vec::new();
                let mut channel = None;
                while !self.eat_sym("}") {
                    if self.common_item(&mut disabled)? {
                        continue;
                    }
                    if self.is_word("ipv4") {
                        channel = Some(self.channel(Filter::All, Filter::None, false)?);
                    } else if self.is_word("interface") {
                        self.bump();
                        loop {
                            interfaces.push(self.text()?);
                            if !self.eat_sym(",") {
                                break;
                            }
                        }
                    } else if self.is_word("ipv6") {
                        let t = self.cur().clone();
                        return Err(self.not_modelled(&t, "ipv6 channel"));
                    } else {
                        return Err(self.unexpected());
                    }
                    self.sym(";")?;
                }
                let Some(channel) = channel else {
                    let t = self.t[self.i - 1].clone();
                    return Err(self.err_at(
                        &t,
                        "Protocol direct has no ipv4 channel (nslab models only ipv4)",
                    ));
                };
                ProtoKind::Direct {
                    interfaces,
                    channel,
                }
            }
            "kernel" => {
                let (mut scan_time, mut learn, mut persist, mut metric) = (60, false, false, 32);
                let mut channel = None;
                while !self.eat_sym("}") {
                    if self.common_item(&mut disabled)? {
                        continue;
                    }
                    let t = self.cur().clone();
                    if self.is_word("ipv4") {
                        channel = Some(self.channel(Filter::All, Filter::None, false)?);
                    } else if self.is_word("scan") {
                        self.bump();
                        self.word("time")?;
                        scan_time = self.num()?;
                    } else if self.is_word("learn") {
                        self.bump();
                        learn = self.opt_bool()?;
                    } else if self.is_word("persist") {
                        self.bump();
                        persist = self.opt_bool()?;
                    } else if self.is_word("metric") {
                        self.bump();
                        metric = self.num()?;
                    } else if self.is_word("kernel") || self.is_word("graceful") {
                        return Err(self.not_modelled(&t, "this kernel protocol option"));
                    } else {
                        return Err(self.unexpected());
                    }
                    self.sym(";")?;
                }
                let Some(channel) = channel else {
                    let t = self.t[self.i - 1].clone();
                    return Err(self.err_at(
                        &t,
                        "Protocol kernel has no ipv4 channel (nslab models only ipv4)",
                    ));
                };
                ProtoKind::Kernel {
                    scan_time,
                    learn,
                    persist,
                    metric,
                    channel,
                }
            }
            _ => ProtoKind::Bgp(self.bgp(&mut disabled)?),
        };
        Ok(ProtoCfg {
            name,
            disabled,
            kind,
        })
    }

    /// `disabled`, `debug ...`, `description "..."`; true if one was consumed (with its `;`).
    fn common_item(&mut self, disabled: &mut bool) -> R<bool> {
        if self.is_word("disabled") {
            self.bump();
            *disabled = self.opt_bool()?;
        } else if self.is_word("debug") || self.is_word("description") {
            self.bump();
            while !self.is_sym(";") && !matches!(self.peek(), Tok::Eof) {
                self.bump();
            }
        } else {
            return Ok(false);
        }
        self.sym(";")?;
        Ok(true)
    }

    fn bgp(&mut self, disabled: &mut bool) -> R<BgpCfg> {
        let mut local_ip = None;
        let mut local_as = 0u32;
        let mut neighbor: Option<Ipv4Addr> = None;
        let mut remote_as = 0u32;
        let mut hold_time = 240;
        let mut keepalive_time = 0;
        let mut connect_delay_time = 5;
        let mut connect_retry_time = 120;
        let mut multihop: Option<u32> = None;
        let mut passive = false;
        let mut channel = None;
        loop {
            if self.is_sym("}") {
                break;
            }
            if self.common_item(disabled)? {
                continue;
            }
            let t = self.cur().clone();
            let w = match &t.tok {
                Tok::Word(w) => w.to_ascii_lowercase(),
                _ => return Err(self.unexpected()),
            };
            match w.as_str() {
                "ipv4" => channel = Some(self.channel(Filter::None, Filter::None, true)?),
                "local" => {
                    self.bump();
                    if let Tok::Ip(a) = self.peek().clone() {
                        self.bump();
                        local_ip = Some(a);
                    }
                    while !self.is_sym(";") {
                        if self.is_word("as") {
                            self.bump();
                            local_as = self.num()?;
                        } else if self.is_word("port") {
                            return Err(self.not_modelled(self.cur(), "'local port'"));
                        } else {
                            return Err(self.unexpected());
                        }
                    }
                }
                "neighbor" => {
                    self.bump();
                    if let Tok::Ip(a) = self.peek().clone() {
                        self.bump();
                        if neighbor.is_some() {
                            return Err(
                                self.err_at(&t, "Only one neighbor per BGP instance is allowed")
                            );
                        }
                        neighbor = Some(a);
                    }
                    while !self.is_sym(";") {
                        if self.is_word("as") {
                            self.bump();
                            remote_as = self.num()?;
                        } else if self.is_word("port")
                            || self.is_word("internal")
                            || self.is_word("external")
                            || self.is_word("range")
                        {
                            let c = self.cur().clone();
                            return Err(self.not_modelled(&c, "this neighbor option"));
                        } else {
                            return Err(self.unexpected());
                        }
                    }
                }
                "hold" => {
                    self.bump();
                    self.word("time")?;
                    hold_time = self.num()?;
                    if (hold_time != 0 && hold_time < 3) || hold_time > 65535 {
                        self.expect_semi()?;
                        return Err(self.err_at(
                            &self.t[self.i - 1].clone(),
                            "Hold time must be in range 3-65535 or zero",
                        ));
                    }
                }
                "keepalive" => {
                    self.bump();
                    self.word("time")?;
                    keepalive_time = self.num()?;
                    if !(1..=65535).contains(&keepalive_time) {
                        self.expect_semi()?;
                        return Err(self.err_at(
                            &self.t[self.i - 1].clone(),
                            "Keepalive time must be in range 1-65535",
                        ));
                    }
                }
                "connect" => {
                    self.bump();
                    if self.is_word("retry") {
                        self.bump();
                        self.word("time")?;
                        connect_retry_time = self.num()?;
                    } else if self.is_word("delay") {
                        self.bump();
                        self.word("time")?;
                        connect_delay_time = self.num()?;
                    } else {
                        return Err(self.unexpected());
                    }
                }
                "multihop" => {
                    // Multihop sessions resolve their next hops recursively, which the model
                    // does not: refuse them rather than run them as direct eBGP.
                    return Err(self.not_modelled(&t, "BGP option 'multihop'"));
                }
                "direct" => {
                    self.bump();
                    multihop = Some(0);
                }
                "passive" => {
                    self.bump();
                    passive = self.opt_bool()?;
                }
                "source" => {
                    self.bump();
                    self.word("address")?;
                    local_ip = Some(self.ip()?);
                }
                "graceful" | "password" | "bfd" | "rr" | "rs" | "confederation" | "ttl"
                | "enable" | "add" | "interface" | "check" | "error" | "startup" | "min"
                | "allow" | "capabilities" | "strict" | "free" | "long" | "prefer"
                | "deterministic" | "default" | "path" | "med" | "igp" | "interpret" | "setkey"
                | "require" | "advertise" | "ipv6" | "dynamic" | "send" | "enforce" | "disable" => {
                    return Err(self.not_modelled(&t, &format!("BGP option '{}'", w)))
                }
                _ => return Err(self.unexpected()),
            }
            self.sym(";")?;
        }
        let close = self.bump();
        // bgp_postconfig's checks, reported at the protocol's closing brace.
        if local_as == 0 {
            return Err(self.err_at(&close, "Local AS number must be set"));
        }
        let Some(neighbor) = neighbor else {
            return Err(self.err_at(&close, "Neighbor must be configured"));
        };
        if remote_as == 0 {
            return Err(self.err_at(&close, "Remote AS number (or peer type) must be set"));
        }
        let Some(channel) = channel else {
            return Err(self.err_at(
                &close,
                "No channel configured (nslab models the ipv4 channel only)",
            ));
        };
        let internal = local_as == remote_as;
        if internal {
            // iBGP (no AS prepend, recursive next hops, no re-export to iBGP peers) is not
            // modelled; running it as eBGP would put wrong AS paths on the wire.
            return Err(self.not_modelled(&close, "iBGP (local AS equal to neighbor AS)"));
        }
        Ok(BgpCfg {
            local_ip,
            local_as,
            neighbor,
            remote_as,
            hold_time,
            keepalive_time,
            connect_delay_time,
            connect_retry_time,
            multihop: multihop.unwrap_or(if internal { 64 } else { 0 }),
            passive,
            channel,
        })
    }

    /// `ipv4 [{ import F; export F; next hop self; ... }]` (the caller checks the `;`).
    fn channel(&mut self, import: Filter, export: Filter, bgp: bool) -> R<Channel> {
        self.bump(); // ipv4
        let mut ch = Channel {
            import,
            export,
            next_hop_self: false,
        };
        if !self.eat_sym("{") {
            return Ok(ch);
        }
        while !self.eat_sym("}") {
            let t = self.cur().clone();
            if self.is_word("import") {
                self.bump();
                ch.import = self.filter_spec()?;
            } else if self.is_word("export") {
                self.bump();
                ch.export = self.filter_spec()?;
            } else if bgp && self.is_word("next") {
                self.bump();
                self.word("hop")?;
                if self.is_word("self") {
                    self.bump();
                    ch.next_hop_self = self.opt_bool()?;
                } else {
                    return Err(self.not_modelled(self.cur(), "this next hop option"));
                }
            } else if self.is_word("table")
                || self.is_word("preference")
                || self.is_word("import")
                || self.is_word("receive")
                || self.is_word("gateway")
                || self.is_word("add")
                || self.is_word("graceful")
                || self.is_word("extended")
            {
                return Err(self.not_modelled(&t, "this channel option"));
            } else {
                return Err(self.unexpected());
            }
            self.sym(";")?;
        }
        Ok(ch)
    }

    fn filter_spec(&mut self) -> R<Filter> {
        let t = self.cur().clone();
        if self.is_word("all") {
            self.bump();
            Ok(Filter::All)
        } else if self.is_word("none") {
            self.bump();
            Ok(Filter::None)
        } else if self.is_word("where") {
            self.bump();
            let e = self.expr()?;
            Ok(Filter::Stmts(vec![Stmt::If(
                e,
                vec![Stmt::Accept],
                vec![Stmt::Reject],
            )]))
        } else if self.is_word("filter") {
            self.bump();
            if self.is_sym("{") {
                return Ok(Filter::Stmts(self.block()?));
            }
            match self.peek().clone() {
                Tok::Word(n) => match self.filters.get(&n).cloned() {
                    Some(f) => {
                        self.bump();
                        Ok(f)
                    }
                    None => Err(self.err_at(self.cur(), format!("No such filter: {}", n))),
                },
                _ => Err(self.unexpected()),
            }
        } else if matches!(t.tok, Tok::Word(ref w) if w.eq_ignore_ascii_case("limit") || w.eq_ignore_ascii_case("keep"))
        {
            Err(self.not_modelled(&t, "import/export limits"))
        } else {
            Err(self.unexpected())
        }
    }

    /// `{ stmt* }`
    fn block(&mut self) -> R<Vec<Stmt>> {
        self.sym("{")?;
        let mut v = Vec::new();
        while !self.eat_sym("}") {
            v.extend(self.stmt()?);
        }
        Ok(v)
    }

    fn stmt(&mut self) -> R<Vec<Stmt>> {
        let t = self.cur().clone();
        if self.is_sym("{") {
            return self.block();
        }
        if self.is_word("accept") || self.is_word("reject") {
            let acc = self.is_word("accept");
            self.bump();
            if let Tok::Str(_) = self.peek() {
                self.bump();
            }
            self.sym(";")?;
            return Ok(vec![if acc { Stmt::Accept } else { Stmt::Reject }]);
        }
        if self.is_word("if") {
            self.bump();
            let e = self.expr()?;
            self.word("then")?;
            let th = self.stmt()?;
            let el = if self.is_word("else") {
                self.bump();
                self.stmt()?
            } else {
                Vec::new()
            };
            return Ok(vec![Stmt::If(e, th, el)]);
        }
        if let Tok::Word(w) = &t.tok {
            if [
                "print",
                "bgp_path",
                "bgp_local_pref",
                "bgp_med",
                "preference",
                "case",
                "return",
            ]
            .contains(&w.to_ascii_lowercase().as_str())
            {
                return Err(self.not_modelled(&t, &format!("filter statement '{}'", w)));
            }
        }
        Err(self.unexpected())
    }

    fn expr(&mut self) -> R<Expr> {
        let mut e = self.and_expr()?;
        while self.eat_sym("||") {
            let r = self.and_expr()?;
            e = Expr::Or(Box::new(e), Box::new(r));
        }
        Ok(e)
    }

    fn and_expr(&mut self) -> R<Expr> {
        let mut e = self.unary()?;
        while self.eat_sym("&&") {
            let r = self.unary()?;
            e = Expr::And(Box::new(e), Box::new(r));
        }
        Ok(e)
    }

    fn unary(&mut self) -> R<Expr> {
        if self.eat_sym("!") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.eat_sym("(") {
            let e = self.expr()?;
            self.sym(")")?;
            return Ok(e);
        }
        let t = self.cur().clone();
        let w = match &t.tok {
            Tok::Word(w) => w.to_ascii_lowercase(),
            _ => return Err(self.unexpected()),
        };
        match w.as_str() {
            "true" => {
                self.bump();
                Ok(Expr::True)
            }
            "false" => {
                self.bump();
                Ok(Expr::False)
            }
            "source" => {
                self.bump();
                let eq = self.eq_op()?;
                let t = self.cur().clone();
                match &t.tok {
                    Tok::Word(w) => match RtSource::parse(w) {
                        Some(s) => {
                            self.bump();
                            Ok(Expr::SourceEq(s, eq))
                        }
                        None => Err(self.unexpected()),
                    },
                    _ => Err(self.unexpected()),
                }
            }
            "proto" => {
                self.bump();
                let eq = self.eq_op()?;
                Ok(Expr::ProtoEq(self.text()?, eq))
            }
            "net" => {
                self.bump();
                if self.eat_sym("~") {
                    return Ok(Expr::NetIn(self.prefix_set()?, true));
                }
                if self.is_sym("!") && self.peek2() == &Tok::Sym("~") {
                    self.bump();
                    self.bump();
                    return Ok(Expr::NetIn(self.prefix_set()?, false));
                }
                let eq = self.eq_op()?;
                let (a, l) = self.prefix()?;
                Ok(Expr::NetEq((a, l), eq))
            }
            _ if KEYWORDS.contains(&w.as_str()) || w.starts_with("bgp_") || w == "dest" => {
                Err(self.not_modelled(&t, &format!("filter expression on '{}'", w)))
            }
            _ => Err(self.unexpected()),
        }
    }

    fn eq_op(&mut self) -> R<bool> {
        if self.eat_sym("=") {
            Ok(true)
        } else if self.eat_sym("!=") {
            Ok(false)
        } else {
            Err(self.unexpected())
        }
    }

    fn prefix(&mut self) -> R<(Ipv4Addr, u8)> {
        let a = self.ip()?;
        self.sym("/")?;
        let t = self.cur().clone();
        let l = self.num()?;
        if l > 32 {
            return Err(self.err_at(&t, "Invalid prefix length"));
        }
        if prefix(a, l as u8) != u32::from(a) {
            return Err(self.err_at(&t, format!("Invalid network prefix: {}/{}", a, l)));
        }
        Ok((a, l as u8))
    }

    fn prefix_set(&mut self) -> R<Vec<PrefixPat>> {
        self.sym("[")?;
        let mut v = Vec::new();
        loop {
            let (addr, plen) = self.prefix()?;
            let (mut lo, mut hi) = (plen, plen);
            if self.eat_sym("+") {
                hi = 32;
            } else if self.eat_sym("-") {
                lo = 0;
            } else if self.eat_sym("{") {
                let t = self.cur().clone();
                let a = self.num()?;
                self.sym(",")?;
                let b = self.num()?;
                self.sym("}")?;
                if a > b || b > 32 || a < u32::from(plen) {
                    return Err(self.err_at(&t, "Invalid prefix pattern range"));
                }
                lo = a as u8;
                hi = b as u8;
            }
            v.push(PrefixPat { addr, plen, lo, hi });
            if !self.eat_sym(",") {
                break;
            }
        }
        self.sym("]")?;
        Ok(v)
    }
}

/// Parses a configuration text.
pub fn parse(src: &str) -> Result<Config, ConfError> {
    let toks = lex(src)?;
    let mut p = P {
        t: &toks,
        i: 0,
        counters: BTreeMap::new(),
        filters: BTreeMap::new(),
    };
    p.config()
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORKER: &str = "router id 192.168.210.21;
protocol kernel {
  scan time 60;
  ipv4 { import all; export where source = RTS_BGP; };
}
protocol device { scan time 60; }
protocol direct { ipv4; interface \"br0\"; }
protocol bgp upstream {
  local 192.168.210.21 as 65001;
  neighbor 192.168.210.254 as 65000;
  ipv4 { import all; export where source = RTS_DEVICE; };
}
";

    fn err(src: &str) -> String {
        parse(src).unwrap_err().render("bird.conf")
    }

    #[test]
    fn the_lab_worker_config() {
        let c = parse(WORKER).unwrap();
        assert_eq!(c.router_id, Some(Ipv4Addr::new(192, 168, 210, 21)));
        let names: Vec<&str> = c.protocols.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["kernel1", "device1", "direct1", "upstream"]);
        let ProtoKind::Bgp(b) = &c.protocols[3].kind else {
            panic!("bgp")
        };
        assert_eq!(
            (b.local_ip, b.local_as, b.neighbor, b.remote_as, b.hold_time),
            (
                Some(Ipv4Addr::new(192, 168, 210, 21)),
                65001,
                Ipv4Addr::new(192, 168, 210, 254),
                65000,
                240
            )
        );
        assert_eq!(b.multihop, 0);
        let dev = RouteView {
            net: (Ipv4Addr::new(192, 168, 10, 0), 24),
            source: RtSource::Device,
            proto: "direct1",
        };
        let bgp = RouteView {
            source: RtSource::Bgp,
            ..dev
        };
        assert!(b.channel.export.accepts(&dev));
        assert!(!b.channel.export.accepts(&bgp));
        let ProtoKind::Kernel {
            channel, metric, ..
        } = &c.protocols[0].kind
        else {
            panic!("kernel")
        };
        assert_eq!(*metric, 32);
        assert!(channel.export.accepts(&bgp));
        assert!(!channel.export.accepts(&dev));
        let ProtoKind::Direct { interfaces, .. } = &c.protocols[2].kind else {
            panic!("direct")
        };
        assert_eq!(interfaces, &["br0".to_string()]);
    }

    #[test]
    fn filters_prefix_sets_and_named_filters() {
        let c = parse(
            "filter pods { if net ~ [ 10.244.0.0/16{24,24}, 192.168.0.0/16+ ] then accept; reject; }
protocol bgp { local as 1; neighbor 10.0.0.1 as 2; ipv4 { import filter pods; export none; }; }",
        )
        .unwrap();
        let ProtoKind::Bgp(b) = &c.protocols[0].kind else {
            panic!()
        };
        assert_eq!(c.protocols[0].name, "bgp1");
        let v = |a: [u8; 4], l| RouteView {
            net: (Ipv4Addr::from(a), l),
            source: RtSource::Bgp,
            proto: "x",
        };
        assert!(b.channel.import.accepts(&v([10, 244, 3, 0], 24)));
        assert!(!b.channel.import.accepts(&v([10, 244, 0, 0], 16)));
        assert!(b.channel.import.accepts(&v([192, 168, 1, 128], 25)));
        assert!(!b.channel.import.accepts(&v([172, 16, 0, 0], 12)));
        assert!(!b.channel.export.accepts(&v([10, 244, 3, 0], 24)));
    }

    #[test]
    fn unknown_protocol_option_is_a_syntax_error_at_the_token() {
        assert_eq!(
            err("protocol bgp x {\n  local as 1;\n  frobnicate 3;\n}\n"),
            "bird.conf:3:3 syntax error, unexpected CF_SYM_UNDEFINED"
        );
        assert_eq!(
            err("protocol device {\n scan 60; }"),
            "bird.conf:2:7 syntax error, unexpected NUM"
        );
    }

    #[test]
    fn bad_asn_and_missing_neighbor_as() {
        assert_eq!(
            err("protocol bgp {\n  local as 4294967296;\n}"),
            "bird.conf:2:12 Number out of range"
        );
        assert_eq!(
            err("protocol bgp {\n  local as 65001;\n  neighbor 10.0.0.1;\n  ipv4;\n}"),
            "bird.conf:5:1 Remote AS number (or peer type) must be set"
        );
        assert_eq!(
            err("protocol bgp {\n  local as 65001;\n  ipv4;\n}"),
            "bird.conf:4:1 Neighbor must be configured"
        );
        assert_eq!(
            err("protocol bgp { neighbor 10.0.0.1 as 2; ipv4; }"),
            "bird.conf:1:46 Local AS number must be set"
        );
        assert_eq!(
            err("protocol bgp { local as 1; neighbor 10.0.0.1 as 2; hold time 2; ipv4; }"),
            "bird.conf:1:63 Hold time must be in range 3-65535 or zero"
        );
    }

    #[test]
    fn unsupported_statements_are_named() {
        assert_eq!(
            err("protocol ospf { }"),
            "bird.conf:1:10 protocol ospf is not modelled (nslab)"
        );
        assert_eq!(
            err("protocol bgp { graceful restart on; }"),
            "bird.conf:1:16 BGP option 'graceful' is not modelled (nslab)"
        );
    }

    #[test]
    fn arbitrary_text_never_panics() {
        for n in 0..=WORKER.len() {
            if WORKER.is_char_boundary(n) {
                let _ = parse(&WORKER[..n]);
            }
        }
        let toks = [
            "protocol",
            "bgp",
            "kernel",
            "direct",
            "device",
            "{",
            "}",
            ";",
            "ipv4",
            "import",
            "export",
            "where",
            "source",
            "=",
            "RTS_BGP",
            "net",
            "~",
            "[",
            "]",
            "10.0.0.0/8+",
            "local",
            "as",
            "1",
            "neighbor",
            "10.0.0.1",
            "filter",
            "if",
            "then",
            "accept",
            "!",
            "&&",
            "(",
            ")",
            "\"x\"",
            "/*",
            "#",
            "999999999999",
            "/",
            "{1,2}",
        ];
        let mut x: u32 = 7;
        for _ in 0..3000 {
            let mut src = String::new();
            for _ in 0..(x % 30) {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                src += toks[(x >> 16) as usize % toks.len()];
                src.push(' ');
            }
            x = x.wrapping_add(1);
            let _ = parse(&src);
        }
    }
}

//! Rust port of the kernel oracle's `normalize`, `split-pcapng` and `compare`
//! (`shared/oracle/`), so a simulator capture can be checked against a recorded
//! kernel run without python or tcpdump.
//!
//! The regular expressions of the python script are implemented by hand with
//! the same matching semantics (leftmost, non-overlapping, the same look-around
//! conditions); `tests/recordings.rs` proves byte equality on every recorded lab.
//!
//! Test support only: the root package and `sim-models` use this crate as a
//! dev-dependency, so nothing shipped carries it. [`pcap`] is the capture
//! reader (classic pcap and pcapng) the comparison and the tests read
//! recordings with.
#![forbid(unsafe_code)]

pub mod pcap;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::pcap::read_capture;
use sim_models::tcpdump::{tt_timestamp, Formatter};

/// MAC address (lower-case `aa:bb:cc:dd:ee:ff`) -> owner `label:ifname` (or `*`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MacMap {
    /// The mapping; owner `*` means "shared, keep literal".
    pub owners: BTreeMap<String, String>,
}

impl MacMap {
    /// Parses `macmap.tsv` exactly like normalize's `load_macmap`.
    pub fn parse(text: &str) -> MacMap {
        let mut owners = BTreeMap::new();
        for line in text.split_inclusive('\n') {
            let line = line.strip_suffix('\n').unwrap_or(line);
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let parts: Vec<&str> = line.split('\t').collect();
            if parts.len() >= 2 {
                owners.insert(py_lower(parts[0]), parts[1].to_string());
            }
        }
        MacMap { owners }
    }

    /// split-pcapng's rule: each interface's `if_MACaddr`; a MAC carried by
    /// several interfaces is owned by `*`. `ifaces` = (name, mac).
    pub fn from_interfaces<'a>(ifaces: impl IntoIterator<Item = (&'a str, [u8; 6])>) -> MacMap {
        let mut by_mac: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, mac) in ifaces {
            by_mac
                .entry(mac_text(&mac))
                .or_default()
                .push(name.to_string());
        }
        let owners = by_mac
            .into_iter()
            .map(|(mac, names)| {
                let o = if names.len() == 1 {
                    names[0].clone()
                } else {
                    "*".to_string()
                };
                (mac, o)
            })
            .collect();
        MacMap { owners }
    }

    /// The `macmap.tsv` text (sorted by MAC, like split-pcapng writes it).
    pub fn to_tsv(&self) -> String {
        self.owners
            .iter()
            .map(|(m, o)| format!("{m}\t{o}\n"))
            .collect()
    }
}

fn mac_text(mac: &[u8; 6]) -> String {
    mac.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn py_lower(s: &str) -> String {
    s.to_lowercase()
}

/// Python's `str.isspace` (also true for the ASCII separators 0x1c..0x1f).
fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

fn py_strip(s: &str) -> &str {
    s.trim_matches(py_space)
}

/// Python's `str.splitlines()` (without keepends).
pub fn py_splitlines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut it = text.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\r' => {
                if it.peek() == Some(&'\n') {
                    it.next();
                }
                out.push(std::mem::take(&mut cur));
            }
            '\n' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\u{85}' | '\u{2028}'
            | '\u{2029}' => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `^\d+\.\d{6,9} `: the length of the timestamp prefix (including the space).
fn ts_prefix(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == 0 || b.get(i) != Some(&b'.') {
        return None;
    }
    let j = i + 1;
    let mut k = j;
    while k < b.len() && b[k].is_ascii_digit() {
        k += 1;
    }
    let n = k - j;
    if (6..=9).contains(&n) && b.get(k) == Some(&b' ') {
        Some(k + 1)
    } else {
        None
    }
}

/// normalize's `logical_lines` (rule R1): one line per packet.
pub fn logical_lines(lines: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    for raw in lines {
        if ts_prefix(raw).is_some() {
            if let Some(c) = cur.take() {
                out.push(c);
            }
            cur = Some(py_strip(raw).to_string());
        } else if let Some(c) = cur.as_mut() {
            let piece = py_strip(raw);
            if !piece.is_empty() {
                c.push(' ');
                c.push_str(piece);
            }
        }
    }
    out.extend(cur);
    out
}

/// The python `normalize` on `tcpdump -nn -e -v -tt` output lines: R1..R9.
pub fn normalize(lines: &[String], macmap: &MacMap) -> Vec<String> {
    logical_lines(lines)
        .iter()
        .map(|l| normalize_line(l, macmap))
        .collect()
}

/// [`normalize`] on the whole text of tcpdump's output.
pub fn normalize_text(text: &str, macmap: &MacMap) -> Vec<String> {
    normalize(&py_splitlines(text), macmap)
}

/// normalize's `normalize_line` (rules R2..R9) on one logical line.
pub fn normalize_line(s: &str, macmap: &MacMap) -> String {
    let s = match ts_prefix(s) {
        Some(n) => &s[n..],
        None => s,
    };
    let s = norm_tcp(s);
    let s = norm_ports(&s);
    let s = sub_word_digits(&s, "id ", "id *");
    let s = norm_cksum(&s);
    let s = norm_macs(&s, macmap);
    collapse_spaces(&s).trim_end_matches(py_space).to_string()
}

fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_space = false;
    for c in s.chars() {
        if c == ' ' {
            if !prev_space {
                out.push(' ');
            }
            prev_space = true;
        } else {
            out.push(c);
            prev_space = false;
        }
    }
    out
}

fn digits_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    i
}

fn hex_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < b.len() && matches!(b[i], b'0'..=b'9' | b'a'..=b'f') {
        i += 1;
    }
    i
}

/// Generic left-to-right, non-overlapping substitution: `m(s, pos)` tries a
/// match starting exactly at `pos` (which starts with `lit`) and returns its end.
fn sub_at<F>(s: &str, lit: &str, repl: &str, mut m: F) -> String
where
    F: FnMut(&str, usize) -> Option<usize>,
{
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    let mut from = 0;
    while let Some(off) = s[from..].find(lit) {
        let pos = from + off;
        if let Some(end) = m(s, pos) {
            out.push_str(&s[last..pos]);
            out.push_str(repl);
            last = end;
            from = end.max(pos + 1);
            if end == pos {
                // empty match cannot happen with a literal prefix; guard anyway
                from = pos + lit.len().max(1);
            }
        } else {
            from = pos + s[pos..].chars().next().map_or(1, char::len_utf8);
        }
        if from > s.len() {
            break;
        }
    }
    out.push_str(&s[last..]);
    out
}

/// `lit\d+` -> `repl`.
fn sub_lit_digits(s: &str, lit: &str, repl: &str) -> String {
    sub_at(s, lit, repl, |s, pos| {
        let b = s.as_bytes();
        let e = digits_end(b, pos + lit.len());
        (e > pos + lit.len()).then_some(e)
    })
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `\blit\d+` -> `repl` (`lit` starts with a word character).
fn sub_word_digits(s: &str, lit: &str, repl: &str) -> String {
    sub_at(s, lit, repl, |s, pos| {
        if s[..pos].chars().next_back().is_some_and(is_word_char) {
            return None;
        }
        let b = s.as_bytes();
        let e = digits_end(b, pos + lit.len());
        (e > pos + lit.len()).then_some(e)
    })
}

/// `lit[^c]*c` -> `repl`.
fn sub_until(s: &str, lit: &str, close: char, repl: &str) -> String {
    sub_at(s, lit, repl, |s, pos| {
        let start = pos + lit.len();
        s[start..].find(close).map(|i| start + i + close.len_utf8())
    })
}

/// Position of `: Flags \[[^\]]*\]` (or `Flags \[...\]` when `colon` is false):
/// returns (start, end) of the first match.
fn find_flags(s: &str, from: usize, colon: bool) -> Option<(usize, usize)> {
    let lit = if colon { ": Flags [" } else { "Flags [" };
    let mut f = from;
    while let Some(off) = s[f..].find(lit) {
        let pos = f + off;
        let start = pos + lit.len();
        if let Some(i) = s[start..].find(']') {
            return Some((pos, start + i + 1));
        }
        f = pos + 1;
    }
    None
}

fn norm_tcp(s: &str) -> String {
    let is_tcp = s.contains("proto TCP (6)") || find_flags(s, 0, true).is_some();
    if !is_tcp {
        return s.to_string();
    }
    let mut s = s.to_string();
    // (Flags \[[^\]]*\].*?, length \d+): cut after the first such match.
    let mut from = 0;
    while let Some((_, fend)) = find_flags(&s, from, false) {
        let b = s.as_bytes();
        let mut cut = None;
        let mut f = fend;
        while let Some(off) = s[f..].find(", length ") {
            let p = f + off + ", length ".len();
            let e = digits_end(b, p);
            if e > p {
                cut = Some(e);
                break;
            }
            f = f + off + 1;
        }
        if let Some(e) = cut {
            s.truncate(e);
            break;
        }
        // no `, length N` after this Flags: a later `Flags [` cannot have one either
        let _ = fend;
        from = s.len();
    }
    let s = sub_at(&s, ", seq ", "", |s, pos| {
        let b = s.as_bytes();
        let p = pos + ", seq ".len();
        let e = digits_end(b, p);
        if e == p {
            return None;
        }
        if b.get(e) == Some(&b':') {
            let e2 = digits_end(b, e + 1);
            if e2 > e + 1 {
                return Some(e2);
            }
        }
        Some(e)
    });
    let s = sub_lit_digits(&s, ", ack ", "");
    let s = sub_lit_digits(&s, ", win ", "");
    let s = sub_lit_digits(&s, ", urg ", "");
    let s = sub_until(&s, ", options [", ']', "");
    sub_word_digits(&s, "length ", "length *")
}

/// Maximal runs of bytes satisfying `pred`: (start, end).
fn runs(b: &[u8], pred: impl Fn(u8) -> bool) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if pred(b[i]) {
            let st = i;
            while i < b.len() && pred(b[i]) {
                i += 1;
            }
            v.push((st, i));
        } else {
            i += 1;
        }
    }
    v
}

/// Splits a `[\d.]` run into its dot-separated groups; `Some` iff it is exactly
/// `n` non-empty digit groups.
fn groups(run: &str, n: usize) -> Option<Vec<&str>> {
    let g: Vec<&str> = run.split('.').collect();
    (g.len() == n && g.iter().all(|x| !x.is_empty())).then_some(g)
}

fn norm_ports(s: &str) -> String {
    // R4: (\d+\.\d+\.\d+\.\d+)\.(\d+) > (\d+\.\d+\.\d+\.\d+)\.(4789|8472|6081):
    let mut out = String::new();
    let mut last = 0;
    let mut from = 0;
    let b = s.as_bytes();
    while let Some(off) = s[from..].find(" > ") {
        let gt = from + off;
        from = gt + 1;
        // A part: suffix of the [\d.] run ending at gt with exactly 5 groups.
        let mut st = gt;
        while st > last && (b[st - 1].is_ascii_digit() || b[st - 1] == b'.') {
            st -= 1;
        }
        let run = &s[st..gt];
        let parts: Vec<&str> = run.split('.').collect();
        if parts.len() < 5 || parts[parts.len() - 5..].iter().any(|p| p.is_empty()) {
            continue;
        }
        let a_start = gt - parts[parts.len() - 5..].join(".").len();
        let a_parts = &parts[parts.len() - 5..];
        // B part: D+.D+.D+.D+.(4789|8472|6081):
        let bs = gt + 3;
        let mut be = bs;
        while be < b.len() && (b[be].is_ascii_digit() || b[be] == b'.') {
            be += 1;
        }
        let Some(bg) = groups(&s[bs..be], 5) else {
            continue;
        };
        if b.get(be) != Some(&b':') || !matches!(bg[4], "4789" | "8472" | "6081") {
            continue;
        }
        out.push_str(&s[last..a_start]);
        out.push_str(&format!(
            "{}.* > {}.{}:",
            a_parts[..4].join("."),
            bg[..4].join("."),
            bg[4]
        ));
        last = be + 1;
        from = last;
    }
    out.push_str(&s[last..]);
    // R5: (?<![\d.])(\d+\.\d+\.\d+\.\d+)\.(\d+)(?=[ :,)]|$)
    let b = out.as_bytes();
    let mut res = String::with_capacity(out.len());
    let mut last = 0;
    for (st, en) in runs(b, |c| c.is_ascii_digit() || c == b'.') {
        let Some(g) = groups(&out[st..en], 5) else {
            continue;
        };
        if !(en == b.len() || matches!(b[en], b' ' | b':' | b',' | b')')) {
            continue;
        }
        let port = g[4].trim_start_matches('0');
        let big = port.len() > 5 || port.parse::<u32>().is_ok_and(|p| p >= 32768);
        if big {
            res.push_str(&out[last..st]);
            res.push_str(&g[..4].join("."));
            res.push_str(".EPH");
            last = en;
        }
    }
    res.push_str(&out[last..]);
    res
}

fn norm_cksum(s: &str) -> String {
    let hex_then = |lit_after: &'static str| {
        move |s: &str, pos: usize| -> Option<usize> {
            let b = s.as_bytes();
            let p = pos + "cksum 0x".len();
            let e = hex_end(b, p);
            (e > p && s[e..].starts_with(lit_after)).then_some(e + lit_after.len())
        }
    };
    let s = sub_at(s, "cksum 0x", "cksum (correct)", hex_then(" (correct)"));
    let s = sub_at(&s, "cksum 0x", "cksum (incorrect)", |s, pos| {
        let b = s.as_bytes();
        let p = pos + "cksum 0x".len();
        let e = hex_end(b, p);
        if e == p || !s[e..].starts_with(" (incorrect") {
            return None;
        }
        let q = e + " (incorrect".len();
        s[q..].find(')').map(|i| q + i + 1)
    });
    let s = sub_until(&s, "[bad udp cksum", ']', "[bad udp cksum]");
    let s = sub_at(&s, "bad cksum ", "bad cksum!", |s, pos| {
        let b = s.as_bytes();
        let p = pos + "bad cksum ".len();
        let e = hex_end(b, p);
        if e == p || !s[e..].starts_with(" (->") {
            return None;
        }
        let q = e + " (->".len();
        let e2 = hex_end(b, q);
        (e2 > q && s[e2..].starts_with(")!")).then_some(e2 + 2)
    });
    sub_at(&s, "cksum 0x", "cksum", |s, pos| {
        let p = pos + "cksum 0x".len();
        let e = hex_end(s.as_bytes(), p);
        (e > p).then_some(e)
    })
}

fn norm_macs(s: &str, macmap: &MacMap) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for (st, en) in runs(b, |c| c.is_ascii_hexdigit() || c == b':') {
        let run = &s[st..en];
        let ok = run.len() == 17
            && run
                .split(':')
                .all(|p| p.len() == 2 && p.bytes().all(|c| c.is_ascii_hexdigit()));
        if !ok {
            continue;
        }
        let mac = run.to_ascii_lowercase();
        let rep = if mac == "ff:ff:ff:ff:ff:ff" || mac == "00:00:00:00:00:00" {
            mac
        } else {
            match macmap.owners.get(&mac) {
                Some(o) if o != "*" => o.clone(),
                _ => mac,
            }
        };
        out.push_str(&s[last..st]);
        out.push_str(&rep);
        last = en;
    }
    out.push_str(&s[last..]);
    out
}

/// Packets of one interface: (ns timestamp, captured bytes).
pub type Packets = Vec<(u64, Vec<u8>)>;

/// One interface of a split pcapng (interfaces with the same name merged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitIface {
    /// `if_name` or `if<N>`, `/` replaced by `_`.
    pub name: String,
    /// Link type of the first IDB with this name.
    pub linktype: u16,
    /// First `if_MACaddr` seen for this name.
    pub mac: Option<[u8; 6]>,
    /// (ns timestamp, bytes) in file order.
    pub packets: Vec<(u64, Vec<u8>)>,
}

/// split-pcapng's interface list of a pcapng (or classic pcap) capture.
pub fn split_pcapng(bytes: &[u8]) -> Result<Vec<SplitIface>, String> {
    let ifs = read_capture(bytes)?;
    let mut out: Vec<SplitIface> = Vec::new();
    for (n, itf) in ifs.into_iter().enumerate() {
        let name = match &itf.name {
            Some(x) if !x.is_empty() => x.clone(),
            _ => format!("if{n}"),
        }
        .replace('/', "_");
        if let Some(first) = out.iter_mut().find(|f| f.name == name) {
            first.packets.extend(itf.packets);
            first.mac = first.mac.or(itf.mac);
        } else {
            out.push(SplitIface {
                name,
                linktype: itf.linktype,
                mac: itf.mac,
                packets: itf.packets,
            });
        }
    }
    Ok(out)
}

/// The macmap split-pcapng derives from the IDBs.
pub fn macmap_of(ifaces: &[SplitIface]) -> MacMap {
    MacMap::from_interfaces(
        ifaces
            .iter()
            .filter_map(|i| i.mac.map(|m| (i.name.as_str(), m))),
    )
}

/// One frame as our tcpdump printer formats it, continuation lines joined into one (as the
/// normalize rule R1 does), without a timestamp: for tests that look for a packet's text.
pub fn packet_line(linktype: u16, data: &[u8]) -> String {
    sim_models::tcpdump::format_packet_line(linktype, data)
}

/// `tcpdump -nn -e -v -tt` output lines for one interface's packets, produced
/// by our formatter (one [`Formatter`] per interface, like one tcpdump run).
pub fn tcpdump_lines(linktype: u16, packets: &[(u64, Vec<u8>)]) -> Vec<String> {
    let mut f = Formatter::new();
    let mut lines = Vec::new();
    for (ts, p) in packets {
        let text = format!("{} {}", tt_timestamp(*ts), f.format(linktype, p));
        lines.extend(text.split('\n').map(str::to_string));
    }
    lines
}

/// Formats and normalizes one interface's packets.
pub fn normalize_packets(
    linktype: u16,
    packets: &[(u64, Vec<u8>)],
    macmap: &MacMap,
) -> Vec<String> {
    normalize(&tcpdump_lines(linktype, packets), macmap)
}

/// split-pcapng + normalize: `label:if` -> normalized lines, with the macmap
/// taken from the IDBs' `if_MACaddr` (shared MAC -> `*`).
pub fn split_and_normalize(bytes: &[u8]) -> Result<BTreeMap<String, Vec<String>>, String> {
    split_and_normalize_with(bytes, None)
}

/// Like [`split_and_normalize`], with an explicit macmap (split-pcapng's MACMAP argument).
pub fn split_and_normalize_with(
    bytes: &[u8],
    macmap: Option<&MacMap>,
) -> Result<BTreeMap<String, Vec<String>>, String> {
    let ifaces = split_pcapng(bytes)?;
    let derived;
    let mm = match macmap {
        Some(m) => m,
        None => {
            derived = macmap_of(&ifaces);
            &derived
        }
    };
    Ok(ifaces
        .iter()
        .map(|i| {
            (
                i.name.clone(),
                normalize_packets(i.linktype, &i.packets, mm),
            )
        })
        .collect())
}

/// A recorded `<lab>.kernel/` directory.
#[derive(Debug, Clone, Default)]
pub struct KernelDir {
    /// `norm/<label>:<if>.txt`, blank lines dropped (like compare's `load`).
    pub norm: BTreeMap<String, Vec<String>>,
    /// `macmap.tsv`.
    pub macmap: MacMap,
    /// `stdout.norm.txt` lines, when present.
    pub stdout_norm: Option<Vec<String>>,
    /// `pcap/<label>:<if>.pcap`: (link type, packets), when present.
    pub pcaps: BTreeMap<String, (u16, Packets)>,
}

impl KernelDir {
    /// Re-normalizes `pcap/` with our formatter and the recorded macmap.
    pub fn renormalize(&self) -> BTreeMap<String, Vec<String>> {
        self.pcaps
            .iter()
            .map(|(n, (lt, pk))| (n.clone(), normalize_packets(*lt, pk, &self.macmap)))
            .collect()
    }
}

fn read_text(p: &Path) -> Result<String, String> {
    std::fs::read(p)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|e| format!("{}: {e}", p.display()))
}

fn sorted_entries(dir: &Path, ext: &str) -> Vec<(String, std::path::PathBuf)> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<(String, std::path::PathBuf)> = rd
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(ext).map(|n| (n.to_string(), e.path()))
        })
        .collect();
    v.sort();
    v
}

/// compare's `load`: lines of a norm file, blank ones dropped.
pub fn norm_file_lines(text: &str) -> Vec<String> {
    text.split_inclusive('\n')
        .filter(|l| !py_strip(l).is_empty())
        .map(|l| l.strip_suffix('\n').unwrap_or(l).to_string())
        .collect()
}

/// Reads a `<lab>.kernel/` directory (norm/*.txt, macmap.tsv, stdout.norm.txt, pcap/*.pcap).
pub fn load_kernel_dir(path: &Path) -> Result<KernelDir, String> {
    let mut kd = KernelDir::default();
    if !path.join("norm").is_dir() {
        return Err(format!("{} has no norm/ directory", path.display()));
    }
    for (name, p) in sorted_entries(&path.join("norm"), ".txt") {
        kd.norm.insert(name, norm_file_lines(&read_text(&p)?));
    }
    let mm = path.join("macmap.tsv");
    if mm.exists() {
        kd.macmap = MacMap::parse(&read_text(&mm)?);
    }
    let so = path.join("stdout.norm.txt");
    if so.exists() {
        let t = read_text(&so)?;
        kd.stdout_norm = Some(
            t.split_inclusive('\n')
                .map(|l| l.strip_suffix('\n').unwrap_or(l).to_string())
                .collect(),
        );
    }
    for (name, p) in sorted_entries(&path.join("pcap"), ".pcap") {
        let bytes = std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        let ifs = read_capture(&bytes).map_err(|e| format!("{}: {e}", p.display()))?;
        if let Some(i) = ifs.into_iter().next() {
            kd.pcaps.insert(name, (i.linktype, i.packets));
        }
    }
    Ok(kd)
}

/// One row of the comparison table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareRow {
    /// `label:if` (or `(stdout)`).
    pub interface: String,
    /// Kernel packet count, `None` if the kernel side has no such interface.
    pub kernel_pkts: Option<usize>,
    /// Other side's packet count, `None` if missing.
    pub other_pkts: Option<usize>,
    /// `same` | `DIFF` | `only-kernel` | `only-other` | `both-empty`.
    pub status: &'static str,
}

/// compare's result: table rows and unified diffs of the differing interfaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareReport {
    /// Rows over the sorted union of interface names.
    pub rows: Vec<CompareRow>,
    /// (interface, unified diff lines) for every differing interface, in table order.
    pub diffs: Vec<(String, Vec<String>)>,
    /// How many diffs `Display` prints (compare's `--diffs N`, default 3).
    pub max_diffs: usize,
}

impl CompareReport {
    /// True iff every interface matches (compare's exit status 0).
    pub fn is_identical(&self) -> bool {
        self.diffs.is_empty()
    }

    /// Names of the differing interfaces.
    pub fn differing(&self) -> Vec<&str> {
        self.diffs.iter().map(|(n, _)| n.as_str()).collect()
    }
}

impl fmt::Display for CompareReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = self
            .rows
            .iter()
            .map(|r| r.interface.chars().count())
            .chain(std::iter::once("interface".len()))
            .max()
            .unwrap_or(9);
        writeln!(
            f,
            "{:<w$}  {:>11}  {:>10}  status",
            "interface", "kernel_pkts", "other_pkts"
        )?;
        let c = |n: Option<usize>| n.map_or("-".to_string(), |n| n.to_string());
        for r in &self.rows {
            writeln!(
                f,
                "{:<w$}  {:>11}  {:>10}  {}",
                r.interface,
                c(r.kernel_pkts),
                c(r.other_pkts),
                r.status
            )?;
        }
        writeln!(
            f,
            "# {} interfaces, {} differ",
            self.rows.len(),
            self.diffs.len()
        )?;
        for (n, d) in self.diffs.iter().take(self.max_diffs) {
            writeln!(f)?;
            writeln!(f, "=== unified diff: {n} ===")?;
            for l in d {
                writeln!(f, "{l}")?;
            }
        }
        Ok(())
    }
}

fn strip_tcp_cksum(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            if l.contains("proto TCP (6)") {
                l.replace(", cksum (correct)", "")
                    .replace(", cksum (incorrect)", "")
            } else {
                l.clone()
            }
        })
        .collect()
}

/// compare: per-interface comparison of normalized lines (kernel vs. other).
pub fn compare(
    kernel: &BTreeMap<String, Vec<String>>,
    ours: &BTreeMap<String, Vec<String>>,
    ignore_tcp_cksum: bool,
) -> CompareReport {
    let prep = |m: &BTreeMap<String, Vec<String>>| -> BTreeMap<String, Vec<String>> {
        m.iter()
            .map(|(k, v)| {
                let v = if ignore_tcp_cksum {
                    strip_tcp_cksum(v)
                } else {
                    v.clone()
                };
                (k.clone(), mask_per_run(&v))
            })
            .collect()
    };
    let (k, o) = (prep(kernel), prep(ours));
    let mut names: Vec<&String> = k.keys().chain(o.keys()).collect();
    names.sort();
    names.dedup();
    let mut rows = Vec::new();
    let mut diffs = Vec::new();
    for n in names {
        let (kl, ol) = (k.get(n), o.get(n));
        let status = match (kl, ol) {
            (Some(a), Some(b)) => {
                if a == b {
                    "same"
                } else {
                    "DIFF"
                }
            }
            (Some(a), None) if a.is_empty() => "both-empty",
            (None, Some(b)) if b.is_empty() => "both-empty",
            (Some(_), None) => "only-kernel",
            _ => "only-other",
        };
        if !matches!(status, "same" | "both-empty") {
            let empty = Vec::new();
            diffs.push((
                n.clone(),
                unified_diff(
                    kl.unwrap_or(&empty),
                    ol.unwrap_or(&empty),
                    &format!("kernel/{n}"),
                    &format!("other/{n}"),
                ),
            ));
        }
        rows.push(CompareRow {
            interface: n.clone(),
            kernel_pkts: kl.map(Vec::len),
            other_pkts: ol.map(Vec::len),
            status,
        });
    }
    CompareReport {
        rows,
        diffs,
        max_diffs: 3,
    }
}

/// The per-run values the oracle's normalizers leave and that differ between two kernel runs of
/// the same lab (issue 13), masked in the project's comparison on both sides: curl's elapsed
/// time (`after 1001 milliseconds`, `after 0 ms:`) and the port tcpdump prints for a REJECTed
/// echo request (`protocol 1 port 4660 unreachable`: the "port" is the echo's random id).
pub fn mask_per_run(lines: &[String]) -> Vec<String> {
    lines.iter().map(|l| mask_line(l)).collect()
}

fn mask_line(l: &str) -> String {
    /// Replaces the digits between `pre` and `post` with `X`, everywhere in `l`.
    fn mask(l: &str, pre: &str, post: &str) -> String {
        let mut out = String::new();
        let mut rest = l;
        while let Some(i) = rest.find(pre) {
            let after = &rest[i + pre.len()..];
            let n = after
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after.len());
            out.push_str(&rest[..i + pre.len()]);
            if n > 0 && after[n..].starts_with(post) {
                out.push('X');
                rest = &after[n..];
            } else {
                rest = after;
            }
        }
        out.push_str(rest);
        out
    }
    let l = mask(l, " after ", " milliseconds");
    let l = mask(&l, " after ", " ms:");
    mask(&l, " protocol 1 port ", " unreachable")
}

/// A unified diff (3 lines of context, difflib's header and hunk format; the
/// alignment is a longest-common-subsequence one, which can differ from
/// difflib's heuristics on ambiguous inputs).
pub fn unified_diff(a: &[String], b: &[String], from: &str, to: &str) -> Vec<String> {
    // LCS table (inputs are per-interface packet lists: small).
    let (n, m) = (a.len(), b.len());
    let mut t = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[i][j] = if a[i] == b[j] {
                t[i + 1][j + 1] + 1
            } else {
                t[i + 1][j].max(t[i][j + 1])
            };
        }
    }
    // ops: (tag, i, j) with tag ' ', '-', '+'
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push((' ', i, j));
            i += 1;
            j += 1;
        } else if j < m && (i == n || t[i][j + 1] >= t[i + 1][j]) {
            ops.push(('+', i, j));
            j += 1;
        } else {
            ops.push(('-', i, j));
            i += 1;
        }
    }
    if ops.iter().all(|o| o.0 == ' ') {
        return Vec::new();
    }
    // Like difflib's replace opcodes: within a block of changes, deletions first.
    let mut k = 0;
    while k < ops.len() {
        if ops[k].0 == ' ' {
            k += 1;
            continue;
        }
        let st = k;
        while k < ops.len() && ops[k].0 != ' ' {
            k += 1;
        }
        ops[st..k].sort_by_key(|o| o.0 != '-');
    }
    let mut out = vec![format!("--- {from}"), format!("+++ {to}")];
    let changes: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != ' ').collect();
    let mut k = 0;
    while k < changes.len() {
        let start = changes[k].saturating_sub(3);
        let mut end = changes[k];
        while k < changes.len() && changes[k] <= end + 6 {
            end = changes[k];
            k += 1;
        }
        let end = (end + 4).min(ops.len());
        let hunk = &ops[start..end];
        let a0 = hunk[0].1;
        let b0 = hunk[0].2;
        let alen = hunk.iter().filter(|o| o.0 != '+').count();
        let blen = hunk.iter().filter(|o| o.0 != '-').count();
        let range = |s: usize, l: usize| match l {
            0 => format!("{s},0"),
            1 => format!("{}", s + 1),
            _ => format!("{},{}", s + 1, l),
        };
        out.push(format!("@@ -{} +{} @@", range(a0, alen), range(b0, blen)));
        for &(tag, i, j) in hunk {
            match tag {
                ' ' => out.push(format!(" {}", a[i])),
                '-' => out.push(format!("-{}", a[i])),
                _ => out.push(format!("+{}", b[j])),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mm() -> MacMap {
        MacMap::parse("7e:8f:2d:cf:b4:3a\tns1:eth0\nee:ee:ee:ee:ee:ee\t*\n# c\n\nAA:BB:CC:DD:EE:01\troot:br0\n")
    }

    #[test]
    fn normalize_rules() {
        let lines: Vec<String> = [
            "1700000000.123456 7e:8f:2d:cf:b4:3a > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 74: (tos 0x0, ttl 64, id 6257, offset 0, flags [DF], proto TCP (6), length 60)",
            "    10.0.0.1.33420 > 10.0.0.2.80: Flags [P.], cksum 0x4057 (incorrect -> 0x9d14), seq 1:77, ack 5, win 64800, options [nop,nop,TS val 1 ecr 0], length 76: HTTP, length: 76",
            "\tGET / HTTP/1.1",
            "\t",
            "1700000000.223456 aa:bb:cc:dd:ee:01 > ff:ff:ff:ff:ff:ff, ethertype IPv4 (0x0800), length 148: (tos 0x0, ttl 64, id 60815, offset 0, flags [none], proto UDP (17), length 134)",
            "    192.168.210.22.60388 > 192.168.230.23.4789: VXLAN, flags [I] (0x08), vni 100",
            "00:00:ff:ff:20:04 > 00:00:ff:ff:30:04, ethertype IPv4 (0x0800), length 98: (tos 0x0, ttl 63, id 10925, offset 0, flags [DF], proto ICMP (1), length 84)",
            "    192.168.20.1 > 192.168.30.1: ICMP echo request, id 23919, seq 1, length 64",
            "1700000001.000000 x, bad cksum 1234 (->abcd)! cksum 0x12ab [bad udp cksum 0x1 -> 0x2!] 10.0.0.1.40000 > 10.0.0.2.53:  trailing  ",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let n = normalize(&lines, &mm());
        assert_eq!(
            n,
            vec![
                "ns1:eth0 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length *: (tos 0x0, ttl 64, id *, offset 0, flags [DF], proto TCP (6), length *) 10.0.0.1.EPH > 10.0.0.2.80: Flags [P.], cksum (incorrect), length *",
                "root:br0 > ff:ff:ff:ff:ff:ff, ethertype IPv4 (0x0800), length 148: (tos 0x0, ttl 64, id *, offset 0, flags [none], proto UDP (17), length 134) 192.168.210.22.* > 192.168.230.23.4789: VXLAN, flags [I] (0x08), vni 100 00:00:ff:ff:20:04 > 00:00:ff:ff:30:04, ethertype IPv4 (0x0800), length 98: (tos 0x0, ttl 63, id *, offset 0, flags [DF], proto ICMP (1), length 84) 192.168.20.1 > 192.168.30.1: ICMP echo request, id *, seq 1, length 64",
                "x, bad cksum! cksum [bad udp cksum] 10.0.0.1.EPH > 10.0.0.2.53: trailing",
            ]
        );
    }

    #[test]
    fn macmap_from_interfaces_and_compare() {
        let m = MacMap::from_interfaces([
            ("root:a", [2, 0, 0, 0, 0, 1]),
            ("root:b", [2, 0, 0, 0, 0, 1]),
            ("ns1:eth0", [2, 0, 0, 0, 0, 2]),
        ]);
        assert_eq!(
            m.to_tsv(),
            "02:00:00:00:00:01\t*\n02:00:00:00:00:02\tns1:eth0\n"
        );
        let mut k = BTreeMap::new();
        let mut o = BTreeMap::new();
        k.insert("a".to_string(), vec!["x".to_string(), "y".to_string()]);
        o.insert("a".to_string(), vec!["x".to_string(), "z".to_string()]);
        k.insert("b".to_string(), Vec::new());
        o.insert("c".to_string(), vec!["q".to_string()]);
        let r = compare(&k, &o, false);
        assert!(!r.is_identical());
        let st: Vec<&str> = r.rows.iter().map(|r| r.status).collect();
        assert_eq!(st, ["DIFF", "both-empty", "only-other"]);
        let text = r.to_string();
        assert!(text.starts_with("interface  kernel_pkts  other_pkts  status\na                    2           2  DIFF\n"), "{text}");
        assert!(
            text.contains(
                "=== unified diff: a ===\n--- kernel/a\n+++ other/a\n@@ -1,2 +1,2 @@\n x\n-y\n+z\n"
            ),
            "{text}"
        );
        let tcp = |c: &str| {
            vec![format!(
                "(proto TCP (6), length *) a > b: Flags [S], cksum ({c}), length *"
            )]
        };
        let mut k2 = BTreeMap::new();
        let mut o2 = BTreeMap::new();
        k2.insert("i".to_string(), tcp("incorrect"));
        o2.insert("i".to_string(), tcp("correct"));
        assert!(!compare(&k2, &o2, false).is_identical());
        assert!(compare(&k2, &o2, true).is_identical());
    }
}

/// `\[\d+/\w+/\d+ \d+:\d+:\d+\]` (an http.server log stamp) becomes `[X]`.
fn log_stamp(line: &str) -> String {
    fn is_stamp(s: &str) -> bool {
        let Some((date, time)) = s.split_once(' ') else {
            return false;
        };
        let d: Vec<&str> = date.split('/').collect();
        let t: Vec<&str> = time.split(':').collect();
        let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
        d.len() == 3
            && digits(d[0])
            && !d[1].is_empty()
            && d[1].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && digits(d[2])
            && t.len() == 3
            && t.iter().all(|x| digits(x))
    }
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find('[') {
        let after = &rest[i + 1..];
        match after.find(']') {
            Some(j) if is_stamp(&after[..j]) => {
                out.push_str(&rest[..i]);
                out.push_str("[X]");
                rest = &after[j + 1..];
            }
            _ => {
                out.push_str(&rest[..i + 1]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `lib/normstdout.py`: ping times, rtt summaries, http.server log stamps and `Date:` headers
/// become `X`, so a lab's stdout compares with the recording's `stdout.norm.txt`.
pub fn normalize_stdout(text: &str) -> Vec<String> {
    fn subst(line: &str, pre: &str, ok: fn(char) -> bool, post: &str) -> String {
        let mut out = String::new();
        let mut rest = line;
        while let Some(i) = rest.find(pre) {
            let after = &rest[i + pre.len()..];
            let n = after.find(|c: char| !ok(c)).unwrap_or(after.len());
            if n > 0 && after[n..].starts_with(post) {
                out.push_str(&rest[..i]);
                out.push_str(pre);
                out.push('X');
                out.push_str(post);
                rest = &after[n + post.len()..];
            } else {
                out.push_str(&rest[..i + pre.len()]);
                rest = after;
            }
        }
        out.push_str(rest);
        out
    }
    fn num(c: char) -> bool {
        c.is_ascii_digit() || c == '.'
    }
    text.lines()
        .map(|l| {
            if l.starts_with("Date:") {
                return "Date: X".to_string();
            }
            let l = subst(l, "time=", num, " ms");
            let l = subst(&l, "time ", |c| c.is_ascii_digit(), "ms");
            let l = subst(
                &l,
                "rtt min/avg/max/mdev = ",
                |c| c.is_ascii_digit() || c == '.' || c == '/',
                " ms",
            );
            log_stamp(&l)
        })
        .collect()
}

#[cfg(test)]
mod mask_tests {
    #[test]
    fn per_run_values_are_masked() {
        let l = |s: &str| vec![s.to_string()];
        // Texts as the real tools print them (curl 7.88.1, tcpdump 4.99 -v).
        assert_eq!(
            super::mask_per_run(&l(
                "curl: (28) Connection timed out after 1001 milliseconds"
            )),
            l("curl: (28) Connection timed out after X milliseconds")
        );
        assert_eq!(
            super::mask_per_run(&l("curl: (7) Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server")),
            l("curl: (7) Failed to connect to 127.0.0.1 port 9 after X ms: Couldn't connect to server")
        );
        assert_eq!(
            super::mask_per_run(&l(
                "10.0.0.2 > 10.0.0.1: ICMP 10.0.0.2 protocol 1 port 4660 unreachable, length 92"
            )),
            l("10.0.0.2 > 10.0.0.1: ICMP 10.0.0.2 protocol 1 port X unreachable, length 92")
        );
        // Other numbers stay.
        assert_eq!(
            super::mask_per_run(&l("udp port 53 unreachable after 3 tries")),
            l("udp port 53 unreachable after 3 tries")
        );
    }
}

#[cfg(test)]
mod stdout_tests {
    #[test]
    fn normalize_stdout_as_normstdout_py() {
        let t = "64 bytes from 1.2.3.4: icmp_seq=1 ttl=64 time=0.042 ms\n\
                 3 packets transmitted, 3 received, 0% packet loss, time 400ms\n\
                 rtt min/avg/max/mdev = 0.022/0.029/0.042/0.009 ms\n\
                 10.0.0.1 - - [22/Nov/2026 10:57:11] \"GET / HTTP/1.1\" 200 -\n\
                 Date: Sun, 22 Nov 2026 11:46:24 GMT\n\
                 time=abc ms [x]\n";
        assert_eq!(
            super::normalize_stdout(t),
            [
                "64 bytes from 1.2.3.4: icmp_seq=1 ttl=64 time=X ms",
                "3 packets transmitted, 3 received, 0% packet loss, time Xms",
                "rtt min/avg/max/mdev = X ms",
                "10.0.0.1 - - [X] \"GET / HTTP/1.1\" 200 -",
                "Date: X",
                "time=abc ms [x]",
            ]
        );
    }
}

//! tcpdump/pcap filter expressions (the subset labs use), parsed and evaluated over the bytes
//! of an Ethernet frame: `host`, `src`/`dst`, `net`, `port`, `portrange`, `proto N`, `ip`,
//! `arp`, `icmp`, `udp`, `tcp`, `ether host|src|dst`, `vlan [ID]`, `and`/`or`/`not`/`&&`/`||`/`!` and
//! parentheses, with pcap's rule that a bare value repeats the previous qualifiers
//! (`host 10.0.0.1 or 10.0.0.2`). Errors are pcap's own messages (without the `tcpdump: `
//! prefix).

use std::net::Ipv4Addr;

/// Direction qualifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    SrcOrDst,
    Src,
    Dst,
}

/// A parsed filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filter {
    True,
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    /// `host` (IPv4 or ARP addresses).
    Host(Dir, Ipv4Addr),
    /// `net A/len`.
    Net(Dir, Ipv4Addr, u8),
    /// `[tcp|udp] port|portrange`: (protocol or any of tcp/udp, low, high).
    Port(Dir, Option<u8>, u16, u16),
    /// `ether host|src|dst`.
    EtherHost(Dir, [u8; 6]),
    /// `ip proto N` (`icmp`, `tcp`, `udp` too).
    IpProto(u8),
    /// `ether proto` (`ip`, `arp`).
    EtherType(u16),
    /// `vlan [ID]`: the frame carries an 802.1Q/802.1ad tag (with that id). On Linux the tag
    /// is skb metadata (VLAN offload; libpcap tests it with the `SKF_AD_VLAN_TAG*`
    /// extensions), so the other primitives look at the frame without its tag.
    Vlan(Option<u16>),
}

const SYNTAX: &str = "can't parse filter expression: syntax error";

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(String),
    And,
    Or,
    Not,
    LParen,
    RParen,
}

fn lex(s: &str) -> Vec<Tok> {
    let mut v = Vec::new();
    let b: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            v.push(Tok::LParen);
            i += 1;
        } else if c == ')' {
            v.push(Tok::RParen);
            i += 1;
        } else if c == '!' {
            v.push(Tok::Not);
            i += 1;
        } else if c == '&' && b.get(i + 1) == Some(&'&') {
            v.push(Tok::And);
            i += 2;
        } else if c == '|' && b.get(i + 1) == Some(&'|') {
            v.push(Tok::Or);
            i += 2;
        } else {
            let st = i;
            while i < b.len() && !b[i].is_whitespace() && !"()!&|".contains(b[i]) {
                i += 1;
            }
            if st == i {
                // A lone '&' or '|'.
                v.push(Tok::Word(c.to_string()));
                i += 1;
                continue;
            }
            let w: String = b[st..i].iter().collect();
            v.push(match w.as_str() {
                "and" => Tok::And,
                "or" => Tok::Or,
                "not" => Tok::Not,
                _ => Tok::Word(w),
            });
        }
    }
    v
}

/// The qualifiers in force (pcap repeats them for a bare value after and/or).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Host,
    Net,
    Port,
    PortRange,
    EtherHost,
}

#[derive(Clone, Copy, Debug)]
struct Quals {
    dir: Dir,
    kind: Kind,
    proto: Option<u8>,
}

struct Parser {
    toks: Vec<Tok>,
    i: usize,
    last: Option<Quals>,
}

/// Parses a filter expression given as tcpdump's arguments (joined with spaces).
pub fn parse(expr: &str) -> Result<Filter, String> {
    let toks = lex(expr);
    if toks.is_empty() {
        return Ok(Filter::True);
    }
    let mut p = Parser {
        toks,
        i: 0,
        last: None,
    };
    let f = p.or()?;
    if p.i != p.toks.len() {
        return Err(SYNTAX.into());
    }
    Ok(f)
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i)
    }
    fn word(&self) -> Option<&str> {
        match self.peek() {
            Some(Tok::Word(w)) => Some(w.as_str()),
            _ => None,
        }
    }
    fn or(&mut self) -> Result<Filter, String> {
        let mut l = self.and()?;
        while self.peek() == Some(&Tok::Or) {
            self.i += 1;
            let r = self.and()?;
            l = Filter::Or(Box::new(l), Box::new(r));
        }
        Ok(l)
    }
    fn and(&mut self) -> Result<Filter, String> {
        let mut l = self.unary()?;
        while self.peek() == Some(&Tok::And) {
            self.i += 1;
            let r = self.unary()?;
            l = Filter::And(Box::new(l), Box::new(r));
        }
        Ok(l)
    }
    fn unary(&mut self) -> Result<Filter, String> {
        match self.peek() {
            Some(Tok::Not) => {
                self.i += 1;
                Ok(Filter::Not(Box::new(self.unary()?)))
            }
            Some(Tok::LParen) => {
                self.i += 1;
                let f = self.or()?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(SYNTAX.into());
                }
                self.i += 1;
                Ok(f)
            }
            Some(Tok::Word(_)) => self.primitive(),
            _ => Err(SYNTAX.into()),
        }
    }

    fn next_word(&mut self) -> Result<String, String> {
        match self.word() {
            Some(w) => {
                let w = w.to_string();
                self.i += 1;
                Ok(w)
            }
            None => Err(SYNTAX.into()),
        }
    }

    fn primitive(&mut self) -> Result<Filter, String> {
        let w = self.next_word()?;
        let proto = match w.as_str() {
            "tcp" => Some(6u8),
            "udp" => Some(17),
            _ => None,
        };
        match w.as_str() {
            "ip" if self.word() == Some("proto") => {
                self.i += 1;
                return self.proto_num();
            }
            "proto" => return self.proto_num(),
            "ip" => return Ok(Filter::EtherType(0x0800)),
            "arp" => return Ok(Filter::EtherType(0x0806)),
            "vlan" => {
                let id = match self.word() {
                    Some(w) if w.chars().all(|c| c.is_ascii_digit()) => {
                        let v: u32 = w.parse().map_err(|_| SYNTAX.to_string())?;
                        self.i += 1;
                        if v > 4095 {
                            return Err(format!("VLAN tag {v} greater than maximum 4095"));
                        }
                        Some(v as u16)
                    }
                    _ => None,
                };
                return Ok(Filter::Vlan(id));
            }
            "icmp" => return Ok(Filter::IpProto(1)),
            "tcp" | "udp" if !matches!(self.word(), Some("port" | "portrange" | "src" | "dst")) => {
                return Ok(Filter::IpProto(proto.unwrap_or(0)));
            }
            "ether" => {
                let q = self.next_word()?;
                let dir = match q.as_str() {
                    "host" => Dir::SrcOrDst,
                    "src" => Dir::Src,
                    "dst" => Dir::Dst,
                    _ => return Err(SYNTAX.into()),
                };
                if dir != Dir::SrcOrDst && self.word() == Some("host") {
                    self.i += 1;
                }
                let v = self.next_word()?;
                self.last = Some(Quals {
                    dir,
                    kind: Kind::EtherHost,
                    proto: None,
                });
                return Ok(Filter::EtherHost(dir, parse_mac(&v)?));
            }
            _ => {}
        }
        // [tcp|udp] [src|dst] [host|net|port|portrange] VALUE, or a bare VALUE.
        let mut i = self.i - 1;
        let mut q = Quals {
            dir: Dir::SrcOrDst,
            kind: Kind::Host,
            proto,
        };
        let mut any = false;
        if proto.is_some() {
            i += 1;
            any = true;
        }
        let word = |i: usize| match self.toks.get(i) {
            Some(Tok::Word(w)) => Some(w.clone()),
            _ => None,
        };
        if let Some(d) = word(i) {
            match d.as_str() {
                "src" => {
                    q.dir = Dir::Src;
                    i += 1;
                    any = true;
                }
                "dst" => {
                    q.dir = Dir::Dst;
                    i += 1;
                    any = true;
                }
                _ => {}
            }
        }
        if let Some(k) = word(i) {
            let kind = match k.as_str() {
                "host" => Some(Kind::Host),
                "net" => Some(Kind::Net),
                "port" => Some(Kind::Port),
                "portrange" => Some(Kind::PortRange),
                _ => None,
            };
            if let Some(kind) = kind {
                q.kind = kind;
                i += 1;
                any = true;
            }
        }
        if !any {
            // A bare value: the previous qualifiers (after and/or), else a syntax error.
            match self.last {
                Some(l) => q = l,
                None => return Err(SYNTAX.into()),
            }
        }
        if q.proto.is_some() && matches!(q.kind, Kind::Host | Kind::Net) {
            return Err(SYNTAX.into());
        }
        self.i = i;
        let v = self.next_word()?;
        self.last = Some(q);
        self.value(q, &v)
    }

    fn proto_num(&mut self) -> Result<Filter, String> {
        let v = self.next_word()?;
        let v = v.trim_start_matches('\\');
        let n = match v {
            "icmp" => 1,
            "igmp" => 2,
            "ipip" => 4,
            "tcp" => 6,
            "udp" => 17,
            "gre" => 47,
            _ => v.parse::<u32>().map_err(|_| SYNTAX.to_string())?,
        };
        if n > 255 {
            // pcap accepts it; no IPv4 packet carries it.
            return Ok(Filter::Not(Box::new(Filter::True)));
        }
        Ok(Filter::IpProto(n as u8))
    }

    fn value(&self, q: Quals, v: &str) -> Result<Filter, String> {
        match q.kind {
            Kind::Host => Ok(Filter::Host(q.dir, parse_host(v)?)),
            Kind::Net => {
                let (a, len) = parse_net(v)?;
                Ok(Filter::Net(q.dir, a, len))
            }
            Kind::Port => {
                let p = parse_port(v, q.proto)?;
                Ok(Filter::Port(q.dir, q.proto, p, p))
            }
            Kind::PortRange => {
                let (a, b) = v.split_once('-').ok_or_else(|| SYNTAX.to_string())?;
                if b.is_empty() || a.is_empty() {
                    return Err(SYNTAX.into());
                }
                let (a, b) = (parse_port(a, q.proto)?, parse_port(b, q.proto)?);
                Ok(Filter::Port(q.dir, q.proto, a.min(b), a.max(b)))
            }
            Kind::EtherHost => Ok(Filter::EtherHost(q.dir, parse_mac(v)?)),
        }
    }
}

fn parse_host(v: &str) -> Result<Ipv4Addr, String> {
    if v == "localhost" {
        return Ok(Ipv4Addr::LOCALHOST);
    }
    if v.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return v
            .parse::<Ipv4Addr>()
            .map_err(|_| format!("invalid IPv4 address '{v}'"));
    }
    // A lab has no resolver beyond /etc/hosts.
    Err(format!("unknown host '{v}'"))
}

fn parse_net(v: &str) -> Result<(Ipv4Addr, u8), String> {
    let (a, len) = match v.split_once('/') {
        Some((a, l)) => {
            let l: u32 = l.parse().map_err(|_| SYNTAX.to_string())?;
            if l > 32 {
                return Err("mask length must be <= 32".into());
            }
            (a, l as u8)
        }
        None => {
            // A network without a length: as many octets as given (pcap's classful rule).
            let n = v.split('.').count();
            (v, (8 * n.min(4)) as u8)
        }
    };
    let mut parts: Vec<u8> = Vec::new();
    for p in a.split('.') {
        parts.push(
            p.parse()
                .map_err(|_| format!("invalid IPv4 address '{a}'"))?,
        );
    }
    if parts.len() > 4 || parts.is_empty() {
        return Err(format!("invalid IPv4 address '{a}'"));
    }
    parts.resize(4, 0);
    let addr = u32::from_be_bytes([parts[0], parts[1], parts[2], parts[3]]);
    let mask = if len == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(len))
    };
    if addr & !mask != 0 {
        return Err(format!("non-network bits set in \"{v}\""));
    }
    Ok((Ipv4Addr::from(addr), len))
}

fn parse_port(v: &str, proto: Option<u8>) -> Result<u16, String> {
    if let Ok(n) = v.parse::<u64>() {
        if n > 65535 {
            return Err(format!("illegal port number {n} > 65535"));
        }
        return Ok(n as u16);
    }
    let protos: &[&str] = match proto {
        Some(6) => &["tcp"],
        Some(17) => &["udp"],
        _ => &["tcp", "udp"],
    };
    for p in protos {
        if let Some(n) = super::port_by_name(v, p) {
            return Ok(n);
        }
    }
    Err(format!("unknown port '{v}'"))
}

fn parse_mac(v: &str) -> Result<[u8; 6], String> {
    let parts: Vec<&str> = v.split([':', '-', '.']).collect();
    let mut m = [0u8; 6];
    if parts.len() == 6 {
        for (k, p) in parts.iter().enumerate() {
            m[k] = u8::from_str_radix(p, 16).map_err(|_| bogus(v))?;
        }
        return Ok(m);
    }
    Err(bogus(v))
}

fn bogus(v: &str) -> String {
    // pcap prints the address as far as its scanner read it; labs see the whole text.
    format!("bogus ethernet address {v}")
}

/// The fields a filter looks at, parsed from an Ethernet frame.
struct View<'a> {
    /// The outer tag's VLAN id.
    vlan: Option<u16>,
    src_mac: [u8; 6],
    dst_mac: [u8; 6],
    ethertype: u16,
    l3: &'a [u8],
}

fn view(frame: &[u8]) -> Option<View<'_>> {
    if frame.len() < 14 {
        return None;
    }
    let mut src = [0u8; 6];
    let mut dst = [0u8; 6];
    dst.copy_from_slice(&frame[0..6]);
    src.copy_from_slice(&frame[6..12]);
    let ethertype = u16::from_be_bytes([frame[12], frame[13]]);
    if matches!(ethertype, 0x8100 | 0x88a8 | 0x9100) && frame.len() >= 18 {
        return Some(View {
            vlan: Some(u16::from_be_bytes([frame[14], frame[15]]) & 0xfff),
            src_mac: src,
            dst_mac: dst,
            ethertype: u16::from_be_bytes([frame[16], frame[17]]),
            l3: &frame[18..],
        });
    }
    Some(View {
        vlan: None,
        src_mac: src,
        dst_mac: dst,
        ethertype,
        l3: &frame[14..],
    })
}

fn ip4(b: &[u8], i: usize) -> Option<Ipv4Addr> {
    let s = b.get(i..i + 4)?;
    Some(Ipv4Addr::new(s[0], s[1], s[2], s[3]))
}

fn dir_match<T: PartialEq>(
    dir: Dir,
    src: Option<T>,
    dst: Option<T>,
    want: impl Fn(&T) -> bool,
) -> bool {
    let s = src.as_ref().is_some_and(&want);
    let d = dst.as_ref().is_some_and(&want);
    match dir {
        Dir::SrcOrDst => s || d,
        Dir::Src => s,
        Dir::Dst => d,
    }
}

/// A raw-IP packet (an IPIP tunnel's capture, `LINKTYPE_RAW`) seen as an Ethernet frame without
/// addresses, so the same evaluator applies (`ether host` never matches it, as in libpcap, where
/// link-layer qualifiers are rejected for raw captures).
pub fn as_ethernet(linktype: u16, frame: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if linktype == super::LINKTYPE_ETHERNET {
        return std::borrow::Cow::Borrowed(frame);
    }
    if linktype == super::LINKTYPE_LINUX_SLL {
        // The cooked header's protocol becomes the ethertype.
        let mut f = vec![0u8; 12];
        f.extend_from_slice(frame.get(14..).unwrap_or(&[]));
        return std::borrow::Cow::Owned(f);
    }
    let mut f = vec![0u8; 12];
    let ethertype: u16 = match frame.first().map(|b| b >> 4) {
        Some(6) => 0x86dd,
        _ => 0x0800,
    };
    f.extend_from_slice(&ethertype.to_be_bytes());
    f.extend_from_slice(frame);
    std::borrow::Cow::Owned(f)
}

impl Filter {
    /// Whether a captured frame of the given link type passes the filter.
    pub fn matches_linktype(&self, linktype: u16, frame: &[u8]) -> bool {
        self.matches(&as_ethernet(linktype, frame))
    }

    /// Whether an Ethernet frame passes the filter (as the compiled BPF program would).
    pub fn matches(&self, frame: &[u8]) -> bool {
        let Some(v) = view(frame) else {
            return matches!(self, Filter::True);
        };
        self.eval(&v)
    }

    fn addrs(v: &View) -> (Option<Ipv4Addr>, Option<Ipv4Addr>) {
        match v.ethertype {
            0x0800 => (ip4(v.l3, 12), ip4(v.l3, 16)),
            // ARP/RARP: sender and target protocol addresses (Ethernet/IPv4 layout).
            0x0806 | 0x8035 => (ip4(v.l3, 14), ip4(v.l3, 24)),
            _ => (None, None),
        }
    }

    fn eval(&self, v: &View) -> bool {
        match self {
            Filter::True => true,
            Filter::And(a, b) => a.eval(v) && b.eval(v),
            Filter::Or(a, b) => a.eval(v) || b.eval(v),
            Filter::Not(a) => !a.eval(v),
            Filter::EtherType(t) => v.ethertype == *t,
            Filter::Vlan(id) => v.vlan.is_some() && (id.is_none() || v.vlan == *id),
            Filter::IpProto(p) => v.ethertype == 0x0800 && v.l3.get(9) == Some(p),
            Filter::EtherHost(dir, m) => {
                dir_match(*dir, Some(v.src_mac), Some(v.dst_mac), |x| x == m)
            }
            Filter::Host(dir, a) => {
                let (s, d) = Self::addrs(v);
                dir_match(*dir, s, d, |x| x == a)
            }
            Filter::Net(dir, a, len) => {
                let mask = if *len == 0 {
                    0
                } else {
                    u32::MAX << (32 - u32::from(*len))
                };
                let net = u32::from(*a);
                let (s, d) = Self::addrs(v);
                dir_match(*dir, s, d, |x| u32::from(*x) & mask == net)
            }
            Filter::Port(dir, proto, lo, hi) => {
                if v.ethertype != 0x0800 || v.l3.len() < 20 {
                    return false;
                }
                let p = v.l3[9];
                let ok_proto = match proto {
                    Some(x) => p == *x,
                    None => matches!(p, 6 | 17 | 132),
                };
                // Only first fragments carry ports.
                let frag = u16::from_be_bytes([v.l3[6], v.l3[7]]) & 0x1fff;
                if !ok_proto || frag != 0 {
                    return false;
                }
                let hl = usize::from(v.l3[0] & 0x0f) * 4;
                let port = |i: usize| {
                    v.l3.get(hl + i..hl + i + 2)
                        .map(|b| u16::from_be_bytes([b[0], b[1]]))
                };
                dir_match(*dir, port(0), port(2), |x| (*lo..=*hi).contains(x))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_reports_pcap_errors() {
        assert_eq!(parse("").unwrap(), Filter::True);
        assert!(parse("host 10.0.0.1 or 10.0.0.2").is_ok());
        assert!(parse("src 10.0.0.1 and (icmp || arp) && !tcp").is_ok());
        assert!(parse("tcp port http").is_ok());
        for (e, msg) in [
            ("host", SYNTAX.to_string()),
            ("foo", SYNTAX.to_string()),
            ("(icmp", SYNTAX.to_string()),
            ("icmp)", SYNTAX.to_string()),
            ("and", SYNTAX.to_string()),
            ("tcp port 80 and", SYNTAX.to_string()),
            ("portrange 5-", SYNTAX.to_string()),
            (
                "host 10.0.0.300",
                "invalid IPv4 address '10.0.0.300'".to_string(),
            ),
            (
                "port 99999",
                "illegal port number 99999 > 65535".to_string(),
            ),
            (
                "net 10.0.0.1/8",
                "non-network bits set in \"10.0.0.1/8\"".to_string(),
            ),
            ("net 10.1.2.0/33", "mask length must be <= 32".to_string()),
            ("host foo.invalid", "unknown host 'foo.invalid'".to_string()),
        ] {
            assert_eq!(parse(e), Err(msg), "{e}");
        }
    }

    /// Recorded with tcpdump 4.99 (libpcap 1.10) capturing live on a veth whose peer sent three
    /// ICMP echoes through a packet socket: tagged VLAN 10 (802.1Q), tagged VLAN 20 (802.1ad),
    /// untagged. The receiving veth holds the tag as metadata, so `icmp` matches all three.
    #[test]
    fn vlan_keyword_as_live_linux_captures_see_it() {
        let frame = |tag: Option<(u16, u16)>| {
            let mut f = vec![2, 0, 0, 0, 0xb, 1, 2, 0, 0, 0, 0xa, 1];
            if let Some((tpid, id)) = tag {
                f.extend(tpid.to_be_bytes());
                f.extend(id.to_be_bytes());
            }
            f.extend([0x08, 0x00, 0x45, 0, 0, 0x54, 0, 1, 0x40, 0, 0x40, 1, 0, 0]);
            f.extend([10, 10, 0, 1, 10, 10, 0, 2, 8, 0, 0xf7, 0xff, 0, 0, 0, 0]);
            f.extend([0u8; 56]);
            f
        };
        let frames = [
            frame(Some((0x8100, 10))),
            frame(Some((0x88a8, 20))),
            frame(None),
        ];
        for (expr, want) in [
            ("vlan", [true, true, false]),
            ("vlan 10", [true, false, false]),
            ("vlan 20", [false, true, false]),
            ("icmp", [true, true, true]),
            ("vlan and icmp", [true, true, false]),
            ("not vlan", [false, false, true]),
        ] {
            let f = parse(expr).unwrap();
            let got: Vec<bool> = frames.iter().map(|x| f.matches(x)).collect();
            assert_eq!(got, want, "{expr}");
        }
        assert_eq!(
            parse("vlan 5000"),
            Err("VLAN tag 5000 greater than maximum 4095".to_string())
        );
    }

    #[test]
    fn evaluates_on_frame_bytes() {
        // ARP request 10.0.0.1 → who-has 10.0.0.2 and an ICMP echo 10.0.0.1 > 10.0.0.2.
        let mut arp = vec![0xff; 6];
        arp.extend([2, 0, 0, 0, 0, 1, 0x08, 0x06]);
        arp.extend([0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1]);
        arp.extend([0, 0, 0, 0, 0, 0, 10, 0, 0, 2]);
        let mut icmp = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
        icmp.extend([
            0x45, 0, 0, 28, 0, 1, 0x40, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ]);
        icmp.extend([8, 0, 0, 0, 0, 1, 0, 1]);
        let m = |e: &str, f: &[u8]| parse(e).unwrap().matches(f);
        assert!(m("arp", &arp) && !m("arp", &icmp));
        assert!(m("icmp", &icmp) && !m("icmp", &arp));
        assert!(m("host 10.0.0.2", &arp) && m("dst 10.0.0.2", &icmp));
        assert!(!m("src host 10.0.0.2", &icmp));
        assert!(m("net 10.0.0.0/24 and not arp", &icmp));
        assert!(!m("port 80", &icmp) && !m("tcp", &icmp));
        assert!(m("ether dst ff:ff:ff:ff:ff:ff", &arp));
        assert!(m("ether host 02:00:00:00:00:02", &icmp));
        assert!(m("host 10.0.0.9 or 10.0.0.1", &icmp));
        assert!(m("proto 1", &icmp) && m("ip proto \\icmp", &icmp));
    }
}

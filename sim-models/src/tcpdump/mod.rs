//! Packet text exactly as `tcpdump -nn -e -v` (tcpdump 4.99) prints it, without
//! the timestamp.
//!
//! Supported: Ethernet (link type 1, with 802.1Q/QinQ tags) and raw IPv4 (101,
//! 228, 12); ARP; IPv4 with
//! options; ICMP (echo, unreachable incl. the quoted packet, time exceeded,
//! redirect, parameter problem); UDP (generic, VXLAN on 4789, OTV on 8472);
//! TCP (flags, checksum verdict, relative seq/ack like tcpdump without `-S`,
//! options, HTTP text on ports 80/8080); IP in IP; IGMP v1/v2/v3. Anything
//! truncated prints tcpdump's `[|proto]` marker; malformed bytes never panic.
//!
//! STP BPDUs (LLC 42 42 03: config and TCN, `print-stp.c`).
//!
//! Not decoded like tcpdump (printed differently): IPv6, other LLC/802.3 frames,
//! GRE/ESP/OSPF/... (printed as `ip-proto-N LEN`), and the UDP/TCP application
//! dissectors other than VXLAN, OTV and HTTP (DNS, DHCP, NTP, BGP, ...: their
//! packets print as plain `UDP, length N` / TCP header only).
//!
//! tcpdump keeps state across the packets of one file (relative TCP sequence
//! numbers): use [`Formatter`] to print a whole capture, or the stateless
//! [`format_packet`] for a single packet (as if it were the first one read).

pub mod filter;

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Ethernet link type.
pub const LINKTYPE_ETHERNET: u16 = 1;
/// Raw IP link type (what tcpdump records on an IPIP tunnel device).
pub const LINKTYPE_RAW: u16 = 101;
/// Raw IPv4 link type.
pub const LINKTYPE_IPV4: u16 = 228;

/// Formats one packet like `tcpdump -nn -e -v` (multi-line, without timestamp
/// and without the final newline). Stateless: TCP seq/ack are printed as if this
/// were the first packet of the file.
pub fn format_packet(linktype: u16, data: &[u8]) -> String {
    Formatter::new().format(linktype, data)
}

/// [`format_packet`] joined into one line like the oracle's normalize rule R1:
/// every continuation line is trimmed and appended after a single space.
pub fn format_packet_line(linktype: u16, data: &[u8]) -> String {
    join_lines(&format_packet(linktype, data))
}

/// [`format_packet`] prefixed with the `-tt` timestamp (`1700000000.123456 `,
/// microseconds, truncated like tcpdump).
pub fn format_with_ts(ts_ns: u64, linktype: u16, data: &[u8]) -> String {
    format!("{} {}", tt_timestamp(ts_ns), format_packet(linktype, data))
}

/// The `-tt` timestamp text for `ts_ns` (µs resolution).
pub fn tt_timestamp(ts_ns: u64) -> String {
    format!(
        "{}.{:06}",
        ts_ns / 1_000_000_000,
        (ts_ns % 1_000_000_000) / 1000
    )
}

/// Joins tcpdump's continuation lines into one line (normalize rule R1).
pub fn join_lines(text: &str) -> String {
    let mut out = String::new();
    for (i, raw) in text.split('\n').enumerate() {
        if i == 0 {
            out.push_str(raw.trim());
        } else {
            let piece = raw.trim();
            if !piece.is_empty() {
                out.push(' ');
                out.push_str(piece);
            }
        }
    }
    out
}

/// tcpdump's `tha`: (lower address, higher address, ports).
type TcpKey = ([u8; 4], [u8; 4], u32);

/// Stateful formatter: reproduces tcpdump's per-file TCP conversation table
/// (relative sequence numbers). Feed the packets of one capture in order.
#[derive(Debug, Clone, Default)]
pub struct Formatter {
    tcp_seq: BTreeMap<TcpKey, (u32, u32)>,
    /// The command-line flags that change the text.
    pub opts: Opts,
}

/// tcpdump's printing flags: `-e`, `-v`/`-vv`, `-n`/`-nn`, `-A`. The default is
/// `-nn -e -v` (what the kernel recordings were printed with).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Opts {
    /// `-e`: print the link-level header.
    pub eflag: bool,
    /// Number of `-v`.
    pub vflag: u8,
    /// Number of `-n`: 0 names hosts, MACs' OUIs and ports; 1 or 2 names nothing.
    pub nflag: u8,
    /// `-A`: each packet's bytes (after the link header) as ASCII.
    pub aflag: bool,
}

impl Default for Opts {
    fn default() -> Self {
        Opts {
            eflag: true,
            vflag: 1,
            nflag: 2,
            aflag: false,
        }
    }
}

/// Port names as tcpdump gets them from `getservent` (Debian's `/etc/services`, netbase).
const SERVICES: &str = include_str!("services");

/// `tcpport_string` / `udpport_string`: the first `/etc/services` name for the port.
pub fn port_name(port: u16, proto: &str) -> Option<&'static str> {
    for line in SERVICES.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut it = line.split_whitespace();
        let (Some(name), Some(pp)) = (it.next(), it.next()) else {
            continue;
        };
        let Some((p, pr)) = pp.split_once('/') else {
            continue;
        };
        if pr == proto && p.parse::<u16>().ok() == Some(port) {
            return Some(name);
        }
    }
    None
}

/// The port `/etc/services` gives a name (or alias) for `proto`.
pub fn port_by_name(name: &str, proto: &str) -> Option<u16> {
    for line in SERVICES.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut it = line.split_whitespace();
        let (Some(n), Some(pp)) = (it.next(), it.next()) else {
            continue;
        };
        let Some((p, pr)) = pp.split_once('/') else {
            continue;
        };
        if pr == proto && (n == name || it.any(|a| a == name)) {
            return p.parse().ok();
        }
    }
    None
}

/// `etheraddr_string`: with name resolution, the broadcast address is `Broadcast` and other
/// addresses carry their OUI's name (tcpdump's `oui_values`, `Unknown` for the rest).
pub fn mac_name(s: &[u8], nflag: u8) -> String {
    let m = mac_str(s);
    if nflag > 0 || s.len() != 6 {
        return m;
    }
    if s.iter().all(|&b| b == 0xff) {
        return "Broadcast".into();
    }
    let oui = u32::from(s[0]) << 16 | u32::from(s[1]) << 8 | u32::from(s[2]);
    let name = match oui {
        0x000000 => "Ethernet",
        0x00000c => "Cisco",
        0x0000f8 => "Cisco",
        0x00e02b => "Extreme",
        0x0080c2 => "IEEE 802.1",
        0x00906b => "Cisco",
        0x00e04c => "Realtek",
        0x000a5e => "3Com",
        0x00001c => "Juniper",
        0x0007c6 => "Cisco",
        0x00000d => "Cisco",
        0x002092 => "OAM",
        0x00b0ac => "Gplane",
        0x00120f => "IEEE 802.3",
        _ => "Unknown",
    };
    format!("{m} (oui {name})")
}

/// `ipaddr_string`: without `-n` tcpdump asks the resolver; a lab has only `/etc/hosts`
/// (`127.0.0.1 localhost`) and no DNS server, so other addresses stay numeric.
fn host(a: String, nflag: u8) -> String {
    if nflag == 0 && a == "127.0.0.1" {
        "localhost".into()
    } else {
        a
    }
}

/// The `HH:MM:SS.uuuuuu` timestamp tcpdump prints by default (local time; the lab's TZ is UTC).
pub fn time_of_day(ts_ns: u64) -> String {
    let secs = ts_ns / 1_000_000_000;
    let us = (ts_ns % 1_000_000_000) / 1000;
    let d = secs % 86400;
    format!("{:02}:{:02}:{:02}.{:06}", d / 3600, d / 60 % 60, d % 60, us)
}

/// tcpdump's `-A` dump (`ascii_print`): a newline, then the bytes, non-printables as `.`,
/// CR dropped before LF.
pub fn ascii_dump(d: &[u8]) -> String {
    let mut o = String::from("\n");
    for (i, &c) in d.iter().enumerate() {
        if c == b'\r' {
            if i + 1 < d.len() && d[i + 1] != b'\n' {
                o.push('.');
            }
        } else if c.is_ascii_graphic() || c == b'\t' || c == b' ' || c == b'\n' {
            o.push(c as char);
        } else {
            o.push('.');
        }
    }
    o
}

impl Formatter {
    /// A formatter with an empty TCP conversation table.
    pub fn new() -> Self {
        Self::default()
    }

    /// A formatter printing with `opts`.
    pub fn with_opts(opts: Opts) -> Self {
        Formatter {
            opts,
            ..Self::default()
        }
    }

    /// Formats one packet; see [`format_packet`].
    pub fn format(&mut self, linktype: u16, data: &[u8]) -> String {
        self.format_wire(linktype, data, data.len())
    }

    /// Formats one packet whose original (wire) length is `wire_len` (>= captured bytes).
    pub fn format_wire(&mut self, linktype: u16, data: &[u8], wire_len: usize) -> String {
        let mut p = Printer {
            out: String::new(),
            proto: "",
            st: self,
        };
        let wire = wire_len.max(data.len()) as u32;
        let r = match linktype {
            LINKTYPE_ETHERNET => p.ether(data, wire),
            LINKTYPE_LINUX_SLL2 => p.sll2(data, wire),
            LINKTYPE_LINUX_SLL => p.sll(data, wire),
            LINKTYPE_RAW | LINKTYPE_IPV4 | 12 | 14 => {
                p.proto = "raw";
                if p.st.opts.eflag {
                    p.out.push_str("ip: ");
                }
                p.ip_n(data, wire)
            }
            other => {
                p.out.push_str(&format!("unsupported link type {other}"));
                Ok(())
            }
        };
        if r.is_err() {
            let proto = p.proto;
            p.out.push_str(&format!(" [|{proto}]"));
        }
        p.out
    }
}

/// A fetch beyond the captured bytes (tcpdump's longjmp to `[|proto]`).
#[derive(Debug)]
struct Trunc;

type R = Result<(), Trunc>;

fn u8_(b: &[u8], i: usize) -> Result<u8, Trunc> {
    b.get(i).copied().ok_or(Trunc)
}
fn u16_(b: &[u8], i: usize) -> Result<u16, Trunc> {
    Ok(u16::from(u8_(b, i)?) << 8 | u16::from(u8_(b, i + 1)?))
}
fn u24_(b: &[u8], i: usize) -> Result<u32, Trunc> {
    Ok(u32::from(u8_(b, i)?) << 16 | u32::from(u16_(b, i + 1)?))
}
fn u32_(b: &[u8], i: usize) -> Result<u32, Trunc> {
    Ok(u32::from(u16_(b, i)?) << 16 | u32::from(u16_(b, i + 2)?))
}
fn ip_(b: &[u8], i: usize) -> Result<String, Trunc> {
    let s = b.get(i..i + 4).ok_or(Trunc)?;
    Ok(format!("{}.{}.{}.{}", s[0], s[1], s[2], s[3]))
}
fn mac_str(s: &[u8]) -> String {
    let mut o = String::new();
    for (k, x) in s.iter().enumerate() {
        if k > 0 {
            o.push(':');
        }
        let _ = write!(o, "{x:02x}");
    }
    o
}

/// tcpdump's `in_cksum` (0 = correct), in big-endian terms.
fn in_cksum(data: &[u8], acc: u32) -> u16 {
    crate::wire::csum_fold(crate::wire::csum_partial(data, acc))
}

/// tcpdump's `in_cksum_shouldbe`.
fn cksum_shouldbe(sum: u16, computed: u16) -> u16 {
    let mut s = u32::from(sum) + u32::from(computed);
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    s as u16
}

fn pseudo_sum(ip: &[u8], proto: u8, len: u32) -> u32 {
    let mut acc = 0u32;
    for k in [12usize, 14, 16, 18] {
        acc += u32::from(u16::from_be_bytes([ip[k], ip[k + 1]]));
    }
    acc += u32::from(proto);
    acc += len & 0xffff;
    acc += len >> 16;
    acc
}

fn ethertype_name(t: u16) -> Option<&'static str> {
    Some(match t {
        0x0800 => "IPv4",
        0x0806 => "ARP",
        0x86dd => "IPv6",
        0x8100 => "802.1Q",
        0x88a8 => "802.1Q-QinQ",
        0x9100 => "802.1Q-9100",
        0x9200 => "802.1Q-9200",
        0x8035 => "Reverse ARP",
        0x88cc => "LLDP",
        0x9000 => "Loopback",
        0x8847 => "MPLS unicast",
        0x8848 => "MPLS multicast",
        0x8863 => "PPPoE D",
        0x8864 => "PPPoE S",
        0x888e => "EAPOL",
        0x6558 => "TEB",
        _ => return None,
    })
}

fn ipproto_name(p: u8) -> &'static str {
    match p {
        0 => "Options",
        1 => "ICMP",
        2 => "IGMP",
        4 => "IPIP",
        6 => "TCP",
        8 => "EGP",
        9 => "IGRP",
        17 => "UDP",
        33 => "DCCP",
        41 => "IPv6",
        43 => "Routing",
        44 => "Fragment",
        46 => "RSVP",
        47 => "GRE",
        50 => "ESP",
        51 => "AH",
        55 => "Mobile IP",
        58 => "ICMPv6",
        62 => "Mobile IP (old)",
        88 => "EIGRP",
        89 => "OSPF",
        103 => "PIM",
        108 => "Compressed IP",
        112 => "VRRP",
        113 => "PGM",
        132 => "SCTP",
        135 => "Mobility",
        _ => "unknown",
    }
}

/// TCP/UDP ports whose payload tcpdump hands to a dissector this module does not
/// implement (their text would differ from tcpdump's).
const HTTP_CMDS: &[&str] = &[
    "GET",
    "PUT",
    "COPY",
    "HEAD",
    "LOCK",
    "MOVE",
    "POLL",
    "POST",
    "BCOPY",
    "BMOVE",
    "MKCOL",
    "TRACE",
    "LABEL",
    "MERGE",
    "DELETE",
    "SEARCH",
    "UNLOCK",
    "REPORT",
    "UPDATE",
    "NOTIFY",
    "BDELETE",
    "CONNECT",
    "OPTIONS",
    "CHECKIN",
    "PROPFIND",
    "CHECKOUT",
    "SUBSCRIBE",
    "PROPPATCH",
    "BPROPFIND",
    "BPROPPATCH",
    "UNCHECKOUT",
    "MKACTIVITY",
    "MKWORKSPACE",
    "UNSUBSCRIBE",
    "RPC_CONNECT",
    "VERSION-CONTROL",
    "BASELINE-CONTROL",
];

enum OptEnd {
    Done,
    Bad,
    Trunc,
}

struct Printer<'a> {
    out: String,
    proto: &'static str,
    st: &'a mut Formatter,
}

impl Printer<'_> {
    fn p(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// A port as tcpdump 4.99 prints it: by name without `-n` (already `-n` prints numbers).
    fn port(&self, port: u16, proto: &str) -> String {
        if self.st.opts.nflag == 0 {
            if let Some(n) = port_name(port, proto) {
                return n.to_string();
            }
        }
        port.to_string()
    }

    /// `ND_DEFAULTPRINT`: hex and ASCII dump, lines prefixed with "\n\t".
    fn hex_ascii(&mut self, data: &[u8], length: usize) {
        let (length, truncated) = if length > data.len() {
            (data.len(), true)
        } else {
            (length, false)
        };
        for (n, chunk) in data[..length].chunks(16).enumerate() {
            let mut hex = String::new();
            let mut asc = String::new();
            for pair in chunk.chunks(2) {
                hex.push(' ');
                for b in pair {
                    let _ = write!(hex, "{b:02x}");
                    asc.push(if b.is_ascii_graphic() {
                        *b as char
                    } else {
                        '.'
                    });
                }
            }
            let _ = write!(self.out, "\n\t0x{:04x}: {:<40}  {}", n * 16, hex, asc);
        }
        if truncated {
            let proto = self.proto;
            let _ = write!(self.out, " [|{proto}]");
        }
    }

    fn ether(&mut self, d: &[u8], length: u32) -> R {
        self.proto = "ether";
        if d.len() < 14 || length < 14 {
            return Err(Trunc);
        }
        let mut t = u16_(d, 12)?;
        let n = self.st.opts.nflag;
        let src = mac_name(&d[6..12], n);
        let dst = mac_name(&d[0..6], n);
        let eflag = self.st.opts.eflag;
        if eflag {
            let _ = write!(self.out, "{src} > {dst}, ");
        }
        let mut body = &d[14..];
        let mut blen = length - 14;
        let mut printed_length = false;
        while matches!(t, 0x8100 | 0x9100 | 0x9200 | 0x88a8) {
            if body.len() < 4 || blen < 4 {
                self.proto = "vlan";
                return Err(Trunc);
            }
            let tci = u16_(body, 0)?;
            // ether_common_print: the tag is shown with -e only.
            if eflag {
                self.ethertype_text(t, length, &mut printed_length);
                let _ = write!(self.out, "vlan {}, p {}", tci & 0xfff, tci >> 13);
                if tci & 0x1000 != 0 {
                    self.p(", DEI");
                }
                self.p(", ");
            }
            t = u16_(body, 2)?;
            body = &body[4..];
            blen -= 4;
        }
        if t <= 1500 {
            let take = body.len().min(usize::from(t));
            let stp = body.len() >= 3 && body[0] == 0x42 && body[1] == 0x42 && body[2] == 0x03;
            // The field is the payload's length, which tcpdump prints with -e (an LLC frame it
            // decodes shows nothing of its Ethernet header without -e).
            if printed_length {
                self.p("802.3, ");
            } else if eflag || !stp {
                let _ = write!(self.out, "802.3, length {t}: ");
            }
            if stp {
                return self.stp_llc(&body[..take], u32::from(t));
            }
            let n = body.len();
            self.hex_ascii(body, n);
            return Ok(());
        }
        if eflag || !matches!(t, 0x0800 | 0x0806) {
            self.ethertype_text(t, length, &mut printed_length);
        }
        match t {
            0x0800 => self.ip(body, blen),
            0x0806 => self.arp(body, blen),
            _ => {
                let n = body.len();
                self.hex_ascii(body, n);
                Ok(())
            }
        }
    }

    /// `llc_print` of a UI frame from SAP 0x42 to 0x42, then `stp_print` (print-stp.c) of a
    /// config or TCN BPDU.
    fn stp_llc(&mut self, d: &[u8], length: u32) -> R {
        if self.st.opts.eflag {
            self.p("LLC, dsap STP (0x42) Individual, ssap STP (0x42) Command, ctrl 0x03: ");
        }
        self.proto = "stp";
        let b = &d[3..];
        let length = length.saturating_sub(3);
        if b.len() < 4 {
            return Err(Trunc);
        }
        if u16_(b, 0)? != 0 {
            let _ = write!(self.out, "unknown STP protocol ID 0x{:04x}", u16_(b, 0)?);
            return Ok(());
        }
        let version = b[2];
        match version {
            0 => self.p("STP 802.1d"),
            2 => self.p("STP 802.1w"),
            3 => self.p("STP 802.1s"),
            v => {
                let _ = write!(self.out, "STP Unknown STP protocol (0x{v:02x})");
            }
        }
        let ty = b[3];
        match ty {
            0x00 => self.p(", Config"),
            0x02 => self.p(", Rapid STP"),
            0x80 => self.p(", Topology Change"),
            t => {
                let _ = write!(self.out, ", Unknown BPDU Type (0x{t:02x})");
            }
        }
        if version != 0 || ty != 0 {
            return Ok(());
        }
        if b.len() < 35 {
            return Err(Trunc);
        }
        let id = |o: usize| {
            format!(
                "{:02x}{:02x}.{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
                b[o],
                b[o + 1],
                b[o + 2],
                b[o + 3],
                b[o + 4],
                b[o + 5],
                b[o + 6],
                b[o + 7]
            )
        };
        // stp_bpdu_flag_values, bittok2str's ", " between names.
        let names = [
            (0x01, "Topology change"),
            (0x02, "Proposal"),
            (0x10, "Learn"),
            (0x20, "Forward"),
            (0x40, "Agreement"),
            (0x80, "Topology change ACK"),
        ];
        let f: Vec<&str> = names
            .iter()
            .filter(|(m, _)| b[4] & m != 0)
            .map(|(_, n)| *n)
            .collect();
        let flags = if f.is_empty() {
            "none".to_string()
        } else {
            f.join(", ")
        };
        let _ = write!(
            self.out,
            ", Flags [{flags}], bridge-id {}.{:04x}, length {length}",
            id(17),
            u16_(b, 25)?
        );
        if self.st.opts.vflag == 0 {
            return Ok(());
        }
        let t = |o: usize| f32::from(u16::from_be_bytes([b[o], b[o + 1]])) / 256.0;
        let _ = write!(
            self.out,
            "\n\tmessage-age {:.2}s, max-age {:.2}s, hello-time {:.2}s, forwarding-delay {:.2}s",
            t(27),
            t(29),
            t(31),
            t(33)
        );
        let _ = write!(
            self.out,
            "\n\troot-id {}, root-pathcost {}",
            id(5),
            u32::from_be_bytes([b[13], b[14], b[15], b[16]])
        );
        Ok(())
    }

    /// `sll_print` (`LINKTYPE_LINUX_SLL`, what libpcap captures on a device it has no link
    /// type for, e.g. a GRE tunnel): with `-e` the direction, a 6-byte address, the ethertype.
    fn sll(&mut self, d: &[u8], length: u32) -> R {
        self.proto = "sll";
        if d.len() < 16 || length < 16 {
            return Err(Trunc);
        }
        let t = u16_(d, 14)?;
        let mut printed_length = false;
        if self.st.opts.eflag {
            let dir = match u16_(d, 0)? {
                0 => "In",
                1 => "B",
                2 => "M",
                3 => "P",
                4 => "Out",
                _ => "?",
            };
            let _ = write!(self.out, "{dir:>3} ");
            if u16_(d, 4)? == 6 {
                let m = mac_name(&d[6..12], self.st.opts.nflag);
                let _ = write!(self.out, "{m} ");
            }
            self.ethertype_text(t, length, &mut printed_length);
        }
        let body = &d[16..];
        match t {
            0x0800 => self.ip(body, length - 16),
            0x0806 => self.arp(body, length - 16),
            _ => {
                let n = body.len();
                self.hex_ascii(body, n);
                Ok(())
            }
        }
    }

    /// `gre_print` → `gre_print_0` (version 0): flags (`-v`), checksum and offset, key,
    /// sequence number, protocol (`-e`), length, then the payload (IPv4, or an Ethernet frame
    /// for `ETH_P_TEB`).
    fn gre(&mut self, d: &[u8], length: u32) -> R {
        self.proto = "gre";
        let flags = u16_(d, 0)?;
        let vers = flags & 7;
        let _ = write!(self.out, "GREv{vers}");
        if vers != 0 {
            let _ = write!(self.out, " ERROR: unknown-version");
            return Ok(());
        }
        let v = self.st.opts.vflag > 0;
        if v {
            let names: Vec<&str> = [
                (0x8000, "checksum present"),
                (0x4000, "routing present"),
                (0x2000, "key present"),
                (0x1000, "sequence# present"),
                (0x0800, "source routing present"),
                (0x0080, "ack present"),
            ]
            .iter()
            .filter(|(b, _)| flags & b != 0)
            .map(|x| x.1)
            .collect();
            let _ = write!(
                self.out,
                ", Flags [{}]",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            );
        }
        let prot = u16_(d, 2)?;
        let mut off = 4;
        if flags & 0xc000 != 0 {
            if v {
                let _ = write!(self.out, ", sum 0x{:x}", u16_(d, off)?);
            }
            let _ = write!(self.out, ", off 0x{:x}", u16_(d, off + 2)?);
            off += 4;
        }
        if flags & 0x2000 != 0 {
            let _ = write!(self.out, ", key=0x{:x}", u32_(d, off)?);
            off += 4;
        }
        if flags & 0x1000 != 0 {
            let _ = write!(self.out, ", seq {}", u32_(d, off)?);
            off += 4;
        }
        if flags & 0x4000 != 0 {
            // Source routing entries: not produced by Linux; shown as tcpdump gives up.
            return Err(Trunc);
        }
        if self.st.opts.eflag {
            let _ = write!(
                self.out,
                ", proto {} (0x{prot:04x})",
                ethertype_name(prot).unwrap_or("unknown")
            );
        }
        let _ = write!(self.out, ", length {length}");
        self.p(if v { "\n\t" } else { ": " });
        let body = d.get(off..).ok_or(Trunc)?;
        let blen = length.saturating_sub(off as u32);
        match prot {
            0x0800 => self.ip(body, blen),
            0x6558 => self.ether(body, blen),
            _ => {
                let _ = write!(self.out, "gre-proto-0x{prot:x}");
                Ok(())
            }
        }
    }

    /// `sll2_if_print` after the interface name and direction (printed by the caller).
    fn sll2(&mut self, d: &[u8], length: u32) -> R {
        self.proto = "sll2";
        if d.len() < 20 || length < 20 {
            return Err(Trunc);
        }
        let t = u16_(d, 0)?;
        let mut printed_length = false;
        if self.st.opts.eflag {
            let _ = write!(self.out, "ifindex {} ", u32_(d, 4)?);
            if d[11] == 6 {
                let m = mac_name(&d[12..18], self.st.opts.nflag);
                let _ = write!(self.out, "{m} ");
            }
        }
        if self.st.opts.eflag || !matches!(t, 0x0800 | 0x0806) {
            self.ethertype_text(t, length, &mut printed_length);
        }
        let body = &d[20..];
        match t {
            0x0800 => self.ip(body, length - 20),
            0x0806 => self.arp(body, length - 20),
            _ => {
                let n = body.len();
                self.hex_ascii(body, n);
                Ok(())
            }
        }
    }

    fn ethertype_text(&mut self, t: u16, length: u32, printed_length: &mut bool) {
        let name = ethertype_name(t).unwrap_or("Unknown");
        let _ = write!(self.out, "ethertype {name} (0x{t:04x})");
        if *printed_length {
            self.p(", ");
        } else {
            let _ = write!(self.out, ", length {length}: ");
            *printed_length = true;
        }
    }

    fn arp(&mut self, d: &[u8], length: u32) -> R {
        self.proto = "arp";
        if d.len() < 8 {
            return Err(Trunc);
        }
        let hrd = u16_(d, 0)?;
        let pro = u16_(d, 2)?;
        let hln = usize::from(u8_(d, 4)?);
        let pln = usize::from(u8_(d, 5)?);
        let op = u16_(d, 6)?;
        let sha = 8;
        let spa = sha + hln;
        let tha = spa + pln;
        let tpa = tha + hln;
        if d.len() < tpa + pln {
            return Err(Trunc);
        }
        let hname = match hrd {
            1 => "Ethernet".to_string(),
            6 => "TokenRing".to_string(),
            7 => "ArcNet".to_string(),
            15 => "FrameRelay".to_string(),
            23 => "STRIP".to_string(),
            24 => "IEEE 1394".to_string(),
            n => format!("Unknown Hardware ({n})"),
        };
        let pname = match ethertype_name(pro) {
            Some(n) => n.to_string(),
            None => format!("Unknown Protocol (0x{pro:04x})"),
        };
        if !self.st.opts.eflag {
            self.p("ARP, ");
        }
        if self.st.opts.vflag > 0 {
            let _ = write!(self.out, "{hname} (len {hln}), {pname} (len {pln}), ");
        }
        let opname = match op {
            1 => "Request".to_string(),
            2 => "Reply".to_string(),
            3 => "Reverse Request".to_string(),
            4 => "Reverse Reply".to_string(),
            8 => "Inverse Request".to_string(),
            9 => "Inverse Reply".to_string(),
            10 => "NACK Reply".to_string(),
            n => format!("Unknown ({n})"),
        };
        let _ = write!(self.out, "{opname} ");
        let nflag = self.st.opts.nflag;
        let paddr = |off: usize| -> String {
            if pro != 0x0800 && pro != 0x1000 {
                "<wrong proto type>".to_string()
            } else if pln != 4 {
                "<wrong len>".to_string()
            } else {
                host(ip_(d, off).unwrap_or_default(), nflag)
            }
        };
        let laddr = |off: usize| -> String {
            if hln == 0 {
                "<empty>".to_string()
            } else {
                mac_name(&d[off..off + hln], nflag)
            }
        };
        match op {
            1 => {
                let _ = write!(self.out, "who-has {}", paddr(tpa));
                if d[tha..tha + hln].iter().any(|&b| b != 0) {
                    let _ = write!(self.out, " ({})", laddr(tha));
                }
                let _ = write!(self.out, " tell {}", paddr(spa));
            }
            2 => {
                let _ = write!(self.out, "{} is-at {}", paddr(spa), laddr(sha));
            }
            3 => {
                let _ = write!(self.out, "who-is {} tell {}", laddr(tha), laddr(sha));
            }
            4 => {
                let _ = write!(self.out, "{} at {}", laddr(tha), paddr(tpa));
            }
            8 => {
                let _ = write!(self.out, "who-is {} tell {}", laddr(tha), laddr(sha));
            }
            9 => {
                let _ = write!(self.out, "{} at {}", laddr(sha), paddr(spa));
            }
            _ => {
                let n = d.len();
                self.hex_ascii(d, n);
                return Ok(());
            }
        }
        let _ = write!(self.out, ", length {length}");
        Ok(())
    }

    fn ip_n(&mut self, d: &[u8], length: u32) -> R {
        if length < 1 {
            let _ = write!(self.out, "truncated-ip {length}");
            return Ok(());
        }
        let v = u8_(d, 0)? >> 4;
        match v {
            4 => self.ip(d, length),
            6 => {
                self.proto = "ip6";
                if d.len() < 40 {
                    return Err(Trunc);
                }
                self.p("IP6 (not decoded)");
                Ok(())
            }
            v => {
                let _ = write!(self.out, "unknown ip {v}");
                Ok(())
            }
        }
    }

    fn ip(&mut self, d: &[u8], length: u32) -> R {
        self.proto = "ip";
        if !self.st.opts.eflag {
            self.p("IP ");
        }
        if d.len() < 20 {
            return Err(Trunc);
        }
        let v = d[0] >> 4;
        if v != 4 {
            if v == 6 {
                self.p("IP6, wrong link type.");
            } else {
                let _ = write!(self.out, "IP{v}");
            }
            self.p(" (invalid)");
            return Ok(());
        }
        if length < 20 {
            let _ = write!(self.out, "truncated-ip {length}");
            return Ok(());
        }
        let hlen = u32::from(d[0] & 0x0f) * 4;
        if hlen < 20 {
            let _ = write!(self.out, "bad-hlen {hlen}");
            return Ok(());
        }
        let ip_len = u32::from(u16_(d, 2)?);
        let len = ip_len;
        if len > length {
            let _ = write!(self.out, "truncated-ip - {} bytes missing! ", len - length);
        }
        if len < hlen {
            let _ = write!(self.out, "bad-len {len}");
            return Ok(());
        }
        // Cut the snapshot at the end of the IP datagram.
        let d = &d[..d.len().min(len as usize)];
        let payload_len = len - hlen;
        let off = u16_(d, 6)?;
        let proto = u8_(d, 9)?;
        let tos = d[1];
        let mut truncated = false;
        if self.st.opts.vflag > 0 {
            let _ = write!(self.out, "(tos 0x{tos:x}");
            match tos & 3 {
                1 => self.p(",ECT(1)"),
                2 => self.p(",ECT(0)"),
                3 => self.p(",CE"),
                _ => {}
            }
            let ttl = d[8];
            if ttl >= 1 {
                let _ = write!(self.out, ", ttl {ttl}");
            }
            let mut flags = Vec::new();
            if off & 0x2000 != 0 {
                flags.push("+");
            }
            if off & 0x4000 != 0 {
                flags.push("DF");
            }
            if off & 0x8000 != 0 {
                flags.push("rsvd");
            }
            let flags = if flags.is_empty() {
                "none".to_string()
            } else {
                flags.join(", ")
            };
            let _ = write!(
                self.out,
                ", id {}, offset {}, flags [{}], proto {} ({})",
                u16_(d, 4)?,
                u32::from(off & 0x1fff) * 8,
                flags,
                ipproto_name(proto),
                proto
            );
            let _ = write!(self.out, ", length {ip_len}");
            if hlen > 20 {
                self.p(", options (");
                let end = (hlen as usize).min(d.len());
                let opts = &d[20..end];
                if !self.ip_options(opts, hlen as usize - 20)? {
                    self.p(" [truncated-option]");
                    truncated = true;
                }
                self.p(")");
            }
            if d.len() >= hlen as usize {
                let sum = in_cksum(&d[..hlen as usize], 0);
                if sum != 0 {
                    let ck = u16_(d, 10)?;
                    let _ = write!(
                        self.out,
                        ", bad cksum {:x} (->{:x})!",
                        ck,
                        cksum_shouldbe(ck, sum)
                    );
                }
            }
            self.p(")\n    ");
        }
        let src = host(ip_(d, 12)?, self.st.opts.nflag);
        let dst = host(ip_(d, 16)?, self.st.opts.nflag);
        if truncated {
            let _ = write!(self.out, "{src} > {dst}: ");
            return Err(Trunc);
        }
        if off & 0x1fff == 0 {
            if proto != 6 && proto != 17 && proto != 132 && proto != 33 {
                let _ = write!(self.out, "{src} > {dst}: ");
            }
            if d.len() < hlen as usize {
                let _ = write!(
                    self.out,
                    " [remaining caplen({}) < header length({})]",
                    d.len(),
                    hlen
                );
                return Err(Trunc);
            }
            let hdr = &d[..hlen as usize];
            let body = &d[hlen as usize..];
            let fragmented = off & 0x2000 != 0;
            self.ip_demux(body, payload_len, hdr, proto, fragmented)
        } else {
            let _ = write!(self.out, "{src} > {dst}: ip-proto-{proto}");
            Ok(())
        }
    }

    /// `Ok(false)`: tcpdump's "[truncated-option]" (-1); `Err`: longjmp truncation.
    fn ip_options(&mut self, mut cp: &[u8], mut length: usize) -> Result<bool, Trunc> {
        let mut sep = "";
        while length > 0 {
            self.p(sep);
            sep = ",";
            let code = u8_(cp, 0)?;
            let name = match code {
                0 => "EOL".to_string(),
                1 => "NOP".to_string(),
                68 => "timestamp".to_string(),
                130 => "security".to_string(),
                7 => "RR".to_string(),
                137 => "SSRR".to_string(),
                131 => "LSRR".to_string(),
                148 => "RA".to_string(),
                82 => "traceroute".to_string(),
                n => format!("unknown {n}"),
            };
            self.p(&name);
            let olen = if code == 0 || code == 1 {
                1
            } else {
                let l = usize::from(u8_(cp, 1)?);
                if l < 2 {
                    let _ = write!(self.out, " [bad length {l}]");
                    return Ok(true);
                }
                l
            };
            if olen > length {
                let _ = write!(self.out, " [bad length {olen}]");
                return Ok(true);
            }
            if cp.len() < olen {
                return Ok(false);
            }
            match code {
                0 => return Ok(true),
                7 | 131 | 137 => self.ip_route(cp, olen)?,
                68 => self.ip_ts(cp, olen)?,
                148 => {
                    if olen < 4 {
                        let _ = write!(self.out, " [bad length {olen}]");
                    } else {
                        let v = u16_(cp, 2)?;
                        if v != 0 {
                            let _ = write!(self.out, " value {v}");
                        }
                    }
                }
                _ => {}
            }
            cp = &cp[olen..];
            length -= olen;
        }
        Ok(true)
    }

    fn ip_route(&mut self, cp: &[u8], length: usize) -> R {
        if length < 3 {
            let _ = write!(self.out, " [bad length {length}]");
            return Ok(());
        }
        if (length + 1) & 3 != 0 {
            let _ = write!(self.out, " [bad length {length}]");
        }
        let raw_ptr = u8_(cp, 2)?;
        let ptr = u32::from(raw_ptr).wrapping_sub(1);
        if ptr < 3 || (ptr + 1) & 3 != 0 || ptr > length as u32 + 1 {
            let _ = write!(self.out, " [bad ptr {raw_ptr}]");
        }
        let mut len = 3usize;
        while len < length {
            let a = ip_(cp, len)?;
            let _ = write!(self.out, " {a}");
            if ptr > len as u32 {
                self.p(",");
            }
            len += 4;
        }
        Ok(())
    }

    fn ip_ts(&mut self, cp: &[u8], length: usize) -> R {
        if length < 4 {
            let _ = write!(self.out, "[bad length {length}]");
            return Ok(());
        }
        self.p(" TS{");
        let b3 = u8_(cp, 3)?;
        let hoplen = if b3 & 0xf != 0 { 8 } else { 4 };
        if (length - 4) & (hoplen - 1) != 0 {
            let _ = write!(self.out, "[bad length {length}]");
        }
        let raw_ptr = u8_(cp, 2)?;
        let ptr = usize::from(raw_ptr).wrapping_sub(1);
        let mut len = 0usize;
        if ptr < 4 || (ptr.wrapping_sub(4)) & (hoplen - 1) != 0 || ptr > length + 1 {
            let _ = write!(self.out, "[bad ptr {raw_ptr}]");
        }
        let known = match b3 & 0xf {
            0 => {
                self.p("TSONLY");
                true
            }
            1 => {
                self.p("TS+ADDR");
                true
            }
            3 => {
                self.p("PRESPEC");
                true
            }
            n => {
                let _ = write!(self.out, "[bad ts type {n}]");
                false
            }
        };
        if known {
            let mut type_ = " ";
            len = 4;
            while len < length {
                if ptr == len {
                    type_ = " ^ ";
                }
                if cp.len() < len + hoplen {
                    return Err(Trunc);
                }
                let v = u32_(cp, len + hoplen - 4)?;
                let a = if hoplen == 8 {
                    ip_(cp, len)?
                } else {
                    String::new()
                };
                let _ = write!(self.out, "{type_}{v}@{a}");
                type_ = " ";
                len += hoplen;
            }
        }
        if ptr == len {
            self.p(" ^ ");
        }
        if b3 >> 4 != 0 {
            let _ = write!(self.out, " [{} hops not recorded]}} ", b3 >> 4);
        } else {
            self.p("}");
        }
        Ok(())
    }

    fn ip_demux(&mut self, body: &[u8], length: u32, iph: &[u8], nh: u8, frag: bool) -> R {
        match nh {
            1 => self.icmp(body, length, frag),
            2 => self.igmp(body, length),
            4 => {
                // IP in IP: tcpdump calls ip_print again (no "IP " prefix with -e).
                self.ip(body, length)
            }
            6 => self.tcp(body, length, iph, frag),
            17 => self.udp(body, length, iph, frag),
            47 => self.gre(body, length),
            _ => {
                let _ = write!(self.out, " ip-proto-{nh} {length}");
                Ok(())
            }
        }
    }

    fn icmp(&mut self, d: &[u8], plen: u32, frag: bool) -> R {
        self.proto = "icmp";
        let t = u8_(d, 0)?;
        let code = u8_(d, 1)?;
        let nf = self.st.opts.nflag;
        let dst = || ip_(d, 8 + 16).map(|a| host(a, nf));
        let text = match t {
            0 | 8 => format!(
                "echo {}, id {}, seq {}",
                if t == 8 { "request" } else { "reply" },
                u16_(d, 4)?,
                u16_(d, 6)?
            ),
            3 => match code {
                0 => format!("net {} unreachable", dst()?),
                1 => format!("host {} unreachable", dst()?),
                2 => format!("{} protocol {} unreachable", dst()?, u8_(d, 8 + 9)?),
                3 => {
                    u8_(d, 8 + 9)?;
                    let hl = usize::from(u8_(d, 8)? & 0x0f) * 4;
                    let dport = u16_(d, 8 + hl + 2)?;
                    let p = u8_(d, 8 + 9)?;
                    let odst = dst()?;
                    match p {
                        6 => format!("{odst} tcp port {} unreachable", self.port(dport, "tcp")),
                        17 => format!("{odst} udp port {} unreachable", self.port(dport, "udp")),
                        _ => format!("{odst} protocol {p} port {dport} unreachable"),
                    }
                }
                4 => {
                    let mtu = u16_(d, 6)?;
                    if mtu != 0 {
                        format!("{} unreachable - need to frag (mtu {mtu})", dst()?)
                    } else {
                        format!("{} unreachable - need to frag", dst()?)
                    }
                }
                5 => format!("{} unreachable - source route failed", dst()?),
                6 => format!("net {} unreachable - unknown", dst()?),
                7 => format!("host {} unreachable - unknown", dst()?),
                8 => format!("{} unreachable - source host isolated", dst()?),
                9 => format!("net {} unreachable - admin prohibited", dst()?),
                10 => format!("host {} unreachable - admin prohibited", dst()?),
                11 => format!("net {} unreachable - tos prohibited", dst()?),
                12 => format!("host {} unreachable - tos prohibited", dst()?),
                13 => format!("host {} unreachable - admin prohibited filter", dst()?),
                14 => format!("host {} unreachable - host precedence violation", dst()?),
                15 => format!("host {} unreachable - precedence cutoff", dst()?),
                c => format!("{} unreachable - #{c}", dst()?),
            },
            5 => {
                let gw = ip_(d, 4)?;
                let od = dst()?;
                match code {
                    0 => format!("redirect {od} to net {gw}"),
                    1 => format!("redirect {od} to host {gw}"),
                    2 => format!("redirect-tos {od} to net {gw}"),
                    3 => format!("redirect-tos {od} to host {gw}"),
                    c => format!("redirect-#{c} {od} to {gw}"),
                }
            }
            11 => {
                dst()?;
                match code {
                    0 => "time exceeded in-transit".to_string(),
                    1 => "ip reassembly time exceeded".to_string(),
                    c => format!("time exceeded-#{c}"),
                }
            }
            12 => {
                if code != 0 {
                    format!("parameter problem - code {code}")
                } else {
                    format!("parameter problem - octet {}", u8_(d, 4)?)
                }
            }
            4 => "source quench".to_string(),
            10 => "router solicitation".to_string(),
            13 => format!("time stamp query id {} seq {}", u16_(d, 4)?, u16_(d, 6)?),
            14 => format!(
                "time stamp reply id {} seq {}: org {}, recv {}, xmit {}",
                u16_(d, 4)?,
                u16_(d, 6)?,
                icmp_tstamp(u32_(d, 8)?),
                icmp_tstamp(u32_(d, 12)?),
                icmp_tstamp(u32_(d, 16)?)
            ),
            18 => format!("address mask is 0x{:08x}", u32_(d, 8)?),
            15 => "information request".to_string(),
            16 => "information reply".to_string(),
            17 => "address mask request".to_string(),
            t => format!("type-#{t}"),
        };
        let _ = write!(self.out, "ICMP {text}, length {plen}");
        let v = self.st.opts.vflag;
        if v > 0 && !frag && d.len() >= plen as usize {
            let sum = in_cksum(&d[..plen as usize], 0);
            if sum != 0 {
                let ck = u16_(d, 2)?;
                let _ = write!(
                    self.out,
                    " (wrong icmp cksum {:x} (->{:x})!)",
                    ck,
                    cksum_shouldbe(ck, sum)
                );
            }
        }
        if v > 0 && matches!(t, 3 | 4 | 5 | 11 | 12) {
            self.p("\n\t");
            let inner = d.get(8..).unwrap_or(&[]);
            let ilen = u16_(inner, 2)?;
            let cut = &inner[..inner.len().min(usize::from(ilen))];
            let saved = self.proto;
            let r = self.ip(cut, u32::from(ilen));
            r?;
            self.proto = saved;
        }
        if v > 0 && matches!(t, 3 | 11 | 12) && plen > 136 {
            if d.len() < 8 {
                return Err(Trunc);
            }
            let hlen = (plen - 136) as usize;
            if u8_(d, 5)? == 0 && d.len() >= 136 + hlen && in_cksum(&d[136..136 + hlen], 0) != 0 {
                return Ok(());
            }
            if u8_(d, 5)? == 0 && d.len() < 136 + hlen {
                // tcpdump prints the extension header even when it cannot verify.
            }
            let ver = u8_(d, 136)? >> 4;
            let _ = write!(self.out, "\n\tICMP Multi-Part extension v{ver}");
            if ver != 2 {
                self.p(" packet not supported");
                return Ok(());
            }
            if d.len() >= 136 + hlen {
                let ok = in_cksum(&d[136..136 + hlen], 0) == 0;
                let _ = write!(
                    self.out,
                    ", checksum 0x{:04x} ({}correct), length {}",
                    u16_(d, 138)?,
                    if ok { "" } else { "in" },
                    hlen
                );
            }
        }
        Ok(())
    }

    fn igmp(&mut self, d: &[u8], len: u32) -> R {
        self.proto = "igmp";
        let t = u8_(d, 0)?;
        match t {
            0x11 => {
                self.p("igmp query");
                if len >= 12 {
                    self.igmpv3_query(d, len)?;
                } else {
                    let mrt = u8_(d, 1)?;
                    if mrt != 0 {
                        self.p(" v2");
                        if mrt != 100 {
                            let _ = write!(self.out, " [max resp time {mrt}]");
                        }
                    } else {
                        self.p(" v1");
                    }
                    if u32_(d, 4)? != 0 {
                        let _ = write!(self.out, " [gaddr {}]", ip_(d, 4)?);
                    }
                    if len != 8 {
                        let _ = write!(self.out, " [len {len}]");
                    }
                }
            }
            0x12 => {
                let g = ip_(d, 4)?;
                let _ = write!(self.out, "igmp v1 report {g}");
                if len != 8 {
                    let _ = write!(self.out, " [len {len}]");
                }
            }
            0x16 => {
                let g = ip_(d, 4)?;
                let _ = write!(self.out, "igmp v2 report {g}");
            }
            0x17 => {
                let g = ip_(d, 4)?;
                let _ = write!(self.out, "igmp leave {g}");
            }
            0x22 => {
                self.p("igmp v3 report");
                self.igmpv3_report(d, len)?;
            }
            t => {
                let _ = write!(self.out, "igmp-{t}");
            }
        }
        if len >= 4 && d.len() >= len as usize && in_cksum(&d[..len as usize], 0) != 0 {
            let _ = write!(self.out, " bad igmp cksum {:x}!", u16_(d, 2)?);
        }
        Ok(())
    }

    fn igmpv3_query(&mut self, d: &[u8], len: u32) -> R {
        self.p(" v3");
        if len < 12 || len & 3 != 0 {
            let _ = write!(self.out, " [invalid len {len}]");
            return Ok(());
        }
        let mrc = u32::from(u8_(d, 1)?);
        let mrt = if mrc < 128 {
            mrc
        } else {
            ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3)
        };
        if mrc != 100 {
            self.p(" [max resp time ");
            if mrt < 600 {
                let _ = write!(self.out, "{}.{}s", mrt / 10, mrt % 10);
            } else {
                self.relts(mrt / 10);
            }
            self.p("]");
        }
        if u32_(d, 4)? == 0 {
            return Ok(());
        }
        let _ = write!(self.out, " [gaddr {}", ip_(d, 4)?);
        let nsrcs = u32::from(u16_(d, 10)?);
        if nsrcs > 0 {
            if len < 12 + (nsrcs << 2) {
                self.p(" [invalid number of sources]");
                return Ok(());
            }
            let _ = write!(self.out, ", {nsrcs} source(s)");
        }
        self.p("]");
        Ok(())
    }

    /// tcpdump's `unsigned_relts_print`.
    fn relts(&mut self, mut secs: u32) {
        const UNITS: [(&str, u32); 5] = [
            ("y", 365 * 24 * 3600),
            ("w", 7 * 24 * 3600),
            ("d", 24 * 3600),
            ("h", 3600),
            ("m", 60),
        ];
        if secs == 0 {
            self.p("0s");
            return;
        }
        for (n, s) in UNITS {
            if secs >= s {
                let _ = write!(self.out, "{}{}", secs / s, n);
                secs %= s;
            }
        }
        if secs > 0 {
            let _ = write!(self.out, "{secs}s");
        }
    }

    fn igmpv3_report(&mut self, d: &[u8], len: u32) -> R {
        if len < 16 || len & 3 != 0 {
            let _ = write!(self.out, " [invalid len {len}]");
            return Ok(());
        }
        let ngroups = u16_(d, 6)?;
        let _ = write!(self.out, ", {ngroups} group record(s)");
        let mut group = 8u32;
        for _ in 0..ngroups {
            if len < group + 8 {
                self.p(" [invalid number of groups]");
                return Ok(());
            }
            let g = group as usize;
            let _ = write!(self.out, " [gaddr {}", ip_(d, g + 4)?);
            let rt = u8_(d, g)?;
            let rname = match rt {
                1 => "is_in".to_string(),
                2 => "is_ex".to_string(),
                3 => "to_in".to_string(),
                4 => "to_ex".to_string(),
                5 => "allow".to_string(),
                6 => "block".to_string(),
                n => format!(" [v3-report-#{n}]"),
            };
            let _ = write!(self.out, " {rname}");
            let nsrcs = u32::from(u16_(d, g + 2)?);
            if len < group + 8 + (nsrcs << 2) {
                let _ = write!(self.out, " [invalid number of sources {nsrcs}]");
                return Ok(());
            }
            let _ = write!(self.out, ", {nsrcs} source(s)");
            group += 8 + (nsrcs << 2);
            self.p("]");
        }
        Ok(())
    }

    fn udp(&mut self, d: &[u8], length: u32, iph: &[u8], frag: bool) -> R {
        self.proto = "udp";
        let src = host(ip_(iph, 12)?, self.st.opts.nflag);
        let dst = host(ip_(iph, 16)?, self.st.opts.nflag);
        if d.len() < 4 {
            let _ = write!(self.out, "{src} > {dst}: ");
            return Err(Trunc);
        }
        let sport = u16_(d, 0)?;
        let dport = u16_(d, 2)?;
        let addrs = format!(
            "{src}.{} > {dst}.{}: ",
            self.port(sport, "udp"),
            self.port(dport, "udp")
        );
        if length < 8 {
            let _ = write!(self.out, "{addrs}truncated-udp {length}");
            return Ok(());
        }
        let Ok(ulen) = u16_(d, 4) else {
            self.p(&addrs);
            return Err(Trunc);
        };
        let mut ulen = u32::from(ulen);
        if ulen < 8 {
            let _ = write!(self.out, "{addrs}truncated-udplength {ulen}");
            return Ok(());
        }
        ulen -= 8;
        let mut length = length - 8;
        if ulen < length {
            length = ulen;
        }
        self.p(&addrs);
        if d.len() < 8 {
            return Err(Trunc);
        }
        if self.st.opts.vflag > 1 && !frag && iph[0] >> 4 == 4 {
            let ck = u16_(d, 6)?;
            let ulen_all = (length + 8) as usize;
            if ck == 0 {
                self.p("[no cksum] ");
            } else if d.len() >= ulen_all {
                let sum = in_cksum(&d[..ulen_all], pseudo_sum(iph, 17, ulen_all as u32));
                if sum != 0 {
                    let _ = write!(
                        self.out,
                        "[bad udp cksum 0x{ck:04x} -> 0x{:04x}!] ",
                        cksum_shouldbe(ck, sum)
                    );
                } else {
                    self.p("[udp sum ok] ");
                }
            }
        }
        let body = &d[8..];
        let is = |p: u16| sport == p || dport == p;
        if is(4789) {
            self.vxlan(body, length)
        } else if is(8472) {
            self.otv(body, length)
        } else {
            if ulen > length && !frag {
                let _ = write!(self.out, "UDP, bad length {ulen} > {length}");
            } else {
                let _ = write!(self.out, "UDP, length {ulen}");
            }
            Ok(())
        }
    }

    fn vxlan(&mut self, d: &[u8], len: u32) -> R {
        self.proto = "vxlan";
        self.p("VXLAN");
        if len < 8 {
            self.p(" (invalid)");
            return Ok(());
        }
        let flags = u8_(d, 0)?;
        let _ = write!(
            self.out,
            ", flags [{}] (0x{:02x}), ",
            if flags & 8 != 0 { "I" } else { "invalid" },
            flags
        );
        let vni = u24_(d, 4)?;
        let _ = writeln!(self.out, "vni {vni}");
        u8_(d, 7)?;
        self.ether(&d[8..], len - 8)
    }

    fn otv(&mut self, d: &[u8], len: u32) -> R {
        self.proto = "otv";
        self.p("OTV, ");
        if len < 8 {
            let _ = write!(self.out, "[length {len} < 8]");
            self.p(" (invalid)");
            return Ok(());
        }
        let flags = u8_(d, 0)?;
        let _ = write!(
            self.out,
            "flags [{}] (0x{:02x}), ",
            if flags & 8 != 0 { "I" } else { "." },
            flags
        );
        let _ = write!(self.out, "overlay {}, ", u24_(d, 1)?);
        let _ = writeln!(self.out, "instance {}", u24_(d, 4)?);
        self.ether(&d[8..], len - 8)
    }

    fn tcp(&mut self, d: &[u8], length: u32, iph: &[u8], frag: bool) -> R {
        self.proto = "tcp";
        let src = host(ip_(iph, 12)?, self.st.opts.nflag);
        let dst = host(ip_(iph, 16)?, self.st.opts.nflag);
        if d.len() < 4 {
            let _ = write!(self.out, "{src} > {dst}:");
            return Err(Trunc);
        }
        let sport = u16_(d, 0)?;
        let dport = u16_(d, 2)?;
        let (sp, dp) = (self.port(sport, "tcp"), self.port(dport, "tcp"));
        let _ = write!(self.out, "{src}.{sp} > {dst}.{dp}: ");
        if d.len() < 20 {
            return Err(Trunc);
        }
        let mut hlen = u32::from(d[12] >> 4) * 4;
        if hlen < 20 {
            let _ = write!(
                self.out,
                " tcp {} [bad hdr length {} - too short, < 20]",
                length.wrapping_sub(hlen),
                hlen
            );
            return Ok(());
        }
        let mut seq = u32_(d, 4)?;
        let mut ack = u32_(d, 8)?;
        let win = u16_(d, 14)?;
        let urp = u16_(d, 18)?;
        let flags = d[13];
        const FL: [(u8, char); 8] = [
            (0x01, 'F'),
            (0x02, 'S'),
            (0x04, 'R'),
            (0x08, 'P'),
            (0x10, '.'),
            (0x20, 'U'),
            (0x40, 'E'),
            (0x80, 'W'),
        ];
        let fs: String = FL
            .iter()
            .filter(|(b, _)| flags & b != 0)
            .map(|(_, c)| *c)
            .collect();
        let _ = write!(
            self.out,
            "Flags [{}]",
            if fs.is_empty() { "none" } else { fs.as_str() }
        );
        let mut rev = false;
        let (mut thseq, mut thack) = (0u32, 0u32);
        if flags & 0x10 != 0 {
            let s: [u8; 4] = iph[12..16].try_into().unwrap_or([0; 4]);
            let t: [u8; 4] = iph[16..20].try_into().unwrap_or([0; 4]);
            if sport > dport || (sport == dport && s > t) {
                rev = true;
            }
            let key = if rev {
                (t, s, u32::from(dport) << 16 | u32::from(sport))
            } else {
                (s, t, u32::from(sport) << 16 | u32::from(dport))
            };
            let found = self.st.tcp_seq.get(&key).copied();
            match found {
                Some(e) if flags & 0x02 == 0 => {
                    if rev {
                        seq = seq.wrapping_sub(e.1);
                        ack = ack.wrapping_sub(e.0);
                    } else {
                        seq = seq.wrapping_sub(e.0);
                        ack = ack.wrapping_sub(e.1);
                    }
                    (thseq, thack) = e;
                }
                _ => {
                    let e = if rev {
                        (ack.wrapping_sub(1), seq)
                    } else {
                        (seq, ack.wrapping_sub(1))
                    };
                    self.st.tcp_seq.insert(key, e);
                    (thseq, thack) = e;
                }
            }
        }
        if hlen > length {
            let _ = write!(self.out, " [bad hdr length {hlen} - too long, > {length}]");
            return Ok(());
        }
        if self.st.opts.vflag > 0 && !frag && d.len() >= length as usize {
            let sum = in_cksum(&d[..length as usize], pseudo_sum(iph, 6, length));
            let ck = u16_(d, 16)?;
            let _ = write!(self.out, ", cksum 0x{ck:04x}");
            if sum != 0 {
                let _ = write!(
                    self.out,
                    " (incorrect -> 0x{:04x})",
                    cksum_shouldbe(ck, sum)
                );
            } else {
                self.p(" (correct)");
            }
        }
        let length = length - hlen;
        if self.st.opts.vflag > 1 || length > 0 || flags & 0x07 != 0 {
            let _ = write!(self.out, ", seq {seq}");
            if length > 0 {
                let _ = write!(self.out, ":{}", seq.wrapping_add(length));
            }
        }
        if flags & 0x10 != 0 {
            let _ = write!(self.out, ", ack {ack}");
        }
        let _ = write!(self.out, ", win {win}");
        if flags & 0x20 != 0 {
            let _ = write!(self.out, ", urg {urp}");
        }
        if hlen > 20 {
            hlen -= 20;
            self.p(", options [");
            let mut cp = 20usize;
            let mut ch = false;
            let r = self.tcp_options(d, &mut cp, hlen, &mut ch, rev, thseq, thack);
            match r? {
                OptEnd::Done => self.p("]"),
                OptEnd::Bad => {
                    self.p("[bad opt]");
                    if ch {
                        self.p("]");
                    }
                    return Ok(());
                }
                OptEnd::Trunc => {
                    self.p(" [|tcp]");
                    if ch {
                        self.p(">");
                    }
                    return Ok(());
                }
            }
        }
        let _ = write!(self.out, ", length {length}");
        if length == 0 {
            return Ok(());
        }
        let off = (u32::from(d[12] >> 4) * 4) as usize;
        let payload = d.get(off..).unwrap_or(&[]);
        if flags & 0x04 != 0 {
            self.p(" [RST");
            let mut n = length as usize;
            if n > 30 {
                n = 30;
                self.p("+");
            }
            self.p(" ");
            for &b in payload.iter().take(n) {
                if b.is_ascii() && !b.is_ascii_control() || b == b' ' {
                    self.out.push(b as char);
                } else {
                    let _ = write!(self.out, "\\{b:03o}");
                }
            }
            self.p("]");
            return Ok(());
        }
        let is = |p: u16| sport == p || dport == p;
        if is(80) || is(8080) {
            self.p(": ");
            self.http(payload, length)?;
        }
        Ok(())
    }

    /// tcpdump's option loop; `Err` is a longjmp truncation, `OptEnd::Trunc` its local one.
    #[allow(clippy::too_many_arguments)]
    fn tcp_options(
        &mut self,
        d: &[u8],
        cp: &mut usize,
        mut hlen: u32,
        ch: &mut bool,
        rev: bool,
        thseq: u32,
        thack: u32,
    ) -> Result<OptEnd, Trunc> {
        while hlen > 0 {
            if *ch {
                self.p(",");
            }
            let opt = u8_(d, *cp)?;
            *cp += 1;
            let len: u32;
            if opt == 0 || opt == 1 {
                len = 1;
            } else {
                len = u32::from(u8_(d, *cp)?);
                *cp += 1;
                if len < 2 || len > hlen {
                    return Ok(OptEnd::Bad);
                }
                hlen -= 1;
            }
            hlen -= 1;
            let name = match opt {
                0 => "eol".to_string(),
                1 => "nop".to_string(),
                2 => "mss".to_string(),
                3 => "wscale".to_string(),
                4 => "sackOK".to_string(),
                5 => "sack".to_string(),
                6 => "echo".to_string(),
                7 => "echoreply".to_string(),
                8 => "TS".to_string(),
                11 => "cc".to_string(),
                12 => "ccnew".to_string(),
                13 => String::new(),
                19 => "md5".to_string(),
                20 => "scps".to_string(),
                28 => "uto".to_string(),
                29 => "tcp-ao".to_string(),
                30 => "mptcp".to_string(),
                34 => "tfo".to_string(),
                254 => "exp".to_string(),
                n => format!("unknown-{n}"),
            };
            self.p(&name);
            let datalen: u32;
            macro_rules! lencheck {
                ($l:expr) => {{
                    let l: u32 = $l;
                    if l > hlen {
                        return Ok(OptEnd::Bad);
                    }
                    if d.len() < *cp + l as usize {
                        return Ok(OptEnd::Trunc);
                    }
                }};
            }
            match opt {
                2 => {
                    datalen = 2;
                    lencheck!(2);
                    let _ = write!(self.out, " {}", u16_(d, *cp)?);
                }
                3 => {
                    datalen = 1;
                    lencheck!(1);
                    let _ = write!(self.out, " {}", u8_(d, *cp)?);
                }
                5 => {
                    datalen = len - 2;
                    if datalen & 7 != 0 {
                        self.p(" invalid sack");
                    } else {
                        let _ = write!(self.out, " {} ", datalen / 8);
                        let mut i = 0;
                        while i < datalen {
                            lencheck!(i + 4);
                            let mut s = u32_(d, *cp + i as usize)?;
                            lencheck!(i + 8);
                            let mut e = u32_(d, *cp + i as usize + 4)?;
                            if rev {
                                s = s.wrapping_sub(thseq);
                                e = e.wrapping_sub(thseq);
                            } else {
                                s = s.wrapping_sub(thack);
                                e = e.wrapping_sub(thack);
                            }
                            let _ = write!(self.out, "{{{s}:{e}}}");
                            i += 8;
                        }
                    }
                }
                8 => {
                    datalen = 8;
                    lencheck!(8);
                    let _ = write!(self.out, " val {} ecr {}", u32_(d, *cp)?, u32_(d, *cp + 4)?);
                }
                0 | 1 | 4 => {
                    datalen = 0;
                }
                _ => {
                    datalen = len.saturating_sub(2);
                    if datalen > 0 {
                        self.p(" 0x");
                    }
                    for i in 0..datalen {
                        lencheck!(i + 1);
                        let _ = write!(self.out, "{:02x}", u8_(d, *cp + i as usize)?);
                    }
                }
            }
            *cp += datalen as usize;
            hlen -= datalen;
            let mut dl = datalen + 1;
            if opt != 0 && opt != 1 {
                dl += 1;
            }
            if dl != len {
                let _ = write!(self.out, "[len {len}]");
            }
            *ch = true;
            if opt == 0 {
                break;
            }
        }
        Ok(OptEnd::Done)
    }

    fn http(&mut self, d: &[u8], len: u32) -> R {
        self.proto = "http";
        let len = len as usize;
        let mut print_this = false;
        // fetch_token on the first and (response code) second tokens.
        if let Some((idx, tok)) = fetch_token(d, 0, len) {
            if HTTP_CMDS.iter().any(|c| c.eq_ignore_ascii_case(&tok)) {
                print_this = true;
            }
            if let Some((_, tok2)) = fetch_token(d, idx, len) {
                let t = tok2.as_bytes();
                if t.len() == 3 && t.iter().all(u8::is_ascii_digit) {
                    print_this = true;
                }
            }
        }
        self.p("HTTP");
        if print_this && self.st.opts.vflag == 0 {
            // Only the first line, after ": " (print_txt_line with that prefix).
            let mut probe = Printer {
                out: String::new(),
                proto: "http",
                st: self.st,
            };
            let r = probe.txt_line(d, 0, len);
            let first = probe.out;
            match r {
                Ok(Some(_)) | Err(Trunc) => {
                    self.p(": ");
                    self.p(first.trim_start_matches("\n\t"));
                }
                Ok(None) => {}
            }
            return r.map(|_| ());
        }
        if print_this {
            let _ = write!(self.out, ", length: {len}");
            let mut idx = 0usize;
            while idx < len {
                match self.txt_line(d, idx, len)? {
                    Some(eol) => idx = eol,
                    None => break,
                }
            }
        }
        Ok(())
    }

    fn txt_line(&mut self, d: &[u8], mut idx: usize, len: usize) -> Result<Option<usize>, Trunc> {
        let start = idx;
        while idx < len {
            let c = u8_(d, idx)?;
            if c == b'\n' {
                self.txt_emit(&d[start..idx]);
                return Ok(Some(idx + 1));
            } else if c == b'\r' {
                if idx + 1 >= len {
                    return Ok(None);
                }
                if u8_(d, idx + 1)? == b'\n' {
                    self.txt_emit(&d[start..idx]);
                    return Ok(Some(idx + 2));
                }
                return Ok(None);
            } else if !(c.is_ascii_graphic() || c == b' ') && c != b'\t' {
                return Ok(None);
            }
            idx += 1;
        }
        self.txt_emit(&d[start..idx]);
        Err(Trunc)
    }

    fn txt_emit(&mut self, s: &[u8]) {
        self.p("\n\t");
        self.out.push_str(&String::from_utf8_lossy(s));
    }
}

/// tcpdump's `icmp_tstamp_print`.
fn icmp_tstamp(t: u32) -> String {
    let msec = t % 1000;
    let sec = t / 1000;
    let min = sec / 60;
    let sec = sec - min * 60;
    let hrs = min / 60;
    let min = min - hrs * 60;
    format!("{hrs:02}:{min:02}:{sec:02}.{msec:03}")
}

/// tcpdump's `fetch_token`: (index after the token and its trailing blanks, token).
fn fetch_token(d: &[u8], mut idx: usize, len: usize) -> Option<(usize, String)> {
    let mut tok = String::new();
    while idx < len {
        let c = *d.get(idx)?;
        if !c.is_ascii() {
            return None;
        }
        if matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
            break;
        }
        if !c.is_ascii_graphic() {
            return None;
        }
        if tok.len() + 2 > 129 {
            return None;
        }
        tok.push(c as char);
        idx += 1;
    }
    if tok.is_empty() {
        return None;
    }
    while idx < len {
        let Some(&c) = d.get(idx) else { break };
        if c == b'\r' || c == b'\n' {
            break;
        }
        if !(c.is_ascii_graphic() || c == b' ') {
            break;
        }
        if c != b' ' && c != b'\t' {
            break;
        }
        idx += 1;
    }
    Some((idx, tok))
}

#[cfg(test)]
mod tests;

/// Link-header length `-A` skips (tcpdump's `ndo_ll_hdr_len`).
fn ll_hdr_len(linktype: u16) -> usize {
    match linktype {
        LINKTYPE_ETHERNET => 14,
        LINKTYPE_LINUX_SLL2 => 20,
        LINKTYPE_LINUX_SLL => 16,
        _ => 0,
    }
}

/// `LINKTYPE_LINUX_SLL`: libpcap's cooked capture of a device without a link type of its own.
pub const LINKTYPE_LINUX_SLL: u16 = 113;

/// `LINKTYPE_LINUX_SLL2`: what `tcpdump -i any` captures.
pub const LINKTYPE_LINUX_SLL2: u16 = 276;

impl Formatter {
    /// One packet as tcpdump prints it to stdout with these options: the `HH:MM:SS.uuuuuu`
    /// timestamp, the text, the `-A` dump, and the final newline.
    pub fn print_line(
        &mut self,
        ts_ns: u64,
        linktype: u16,
        data: &[u8],
        wire_len: usize,
    ) -> String {
        let mut s = time_of_day(ts_ns);
        s.push(' ');
        s.push_str(&self.format_wire(linktype, data, wire_len));
        if self.opts.aflag {
            let h = ll_hdr_len(linktype).min(data.len());
            s.push_str(&ascii_dump(&data[h..]));
        }
        s.push('\n');
        s
    }
}

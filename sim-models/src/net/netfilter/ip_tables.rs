//! The iptables rule model (`net/ipv4/netfilter/ip_tables.c` plus the xt matches and targets the
//! labs use): tables of chains of rules, the `ipt_do_table` walk, and the two textual forms the
//! tool prints for a rule (`-S`/`iptables-save`, and the `-L` listing), both in iptables 1.8.9's
//! words (checked against the real `iptables-legacy` in a namespace).

use std::fmt::Write as _;
use std::net::Ipv4Addr;

pub const TABLES: [&str; 4] = ["filter", "nat", "mangle", "raw"];

/// The built-in chains of a table, in the kernel's (hook) order.
pub fn builtin_chains(table: &str) -> &'static [&'static str] {
    match table {
        "filter" => &["INPUT", "FORWARD", "OUTPUT"],
        "nat" => &["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
        "mangle" => &["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
        "raw" => &["PREROUTING", "OUTPUT"],
        _ => &[],
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    Accept,
    Drop,
}

impl Policy {
    pub fn name(self) -> &'static str {
        match self {
            Policy::Accept => "ACCEPT",
            Policy::Drop => "DROP",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain {
    pub name: String,
    /// Built-in chains have a policy; user chains none.
    pub policy: Option<Policy>,
    pub rules: Vec<Rule>,
    /// Each rule's fixed part (`struct ipt_ip`), in rule order: what `ipt_do_table` tests
    /// first, rule after rule, before any match or target (see [`IptIps`]).
    pub ipt_ip: IptIps,
    pub pkts: u64,
    pub bytes: u64,
}

impl Chain {
    fn new(name: &str, policy: Option<Policy>) -> Chain {
        Chain {
            name: name.to_string(),
            policy,
            rules: Vec::new(),
            ipt_ip: IptIps::default(),
            pkts: 0,
            bytes: 0,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub name: String,
    /// Built-in chains first (hook order), then user chains sorted by name (as libiptc keeps them).
    pub chains: Vec<Chain>,
}

impl Table {
    pub fn new(name: &str) -> Table {
        Table {
            name: name.to_string(),
            chains: builtin_chains(name)
                .iter()
                .map(|c| Chain::new(c, Some(Policy::Accept)))
                .collect(),
        }
    }
    pub fn chain(&self, name: &str) -> Option<&Chain> {
        self.chains.iter().find(|c| c.name == name)
    }
    pub fn chain_mut(&mut self, name: &str) -> Option<&mut Chain> {
        self.chains.iter_mut().find(|c| c.name == name)
    }
    pub fn add_chain(&mut self, name: &str) {
        let nb = builtin_chains(&self.name).len();
        let pos = self.chains[nb..]
            .iter()
            .position(|c| c.name.as_str() > name)
            .map_or(self.chains.len(), |p| p + nb);
        self.chains.insert(pos, Chain::new(name, None));
    }
    /// Fills each chain's [`IptIps`] from its rules: the entries' fixed parts as userspace
    /// hands them to `IPT_SO_SET_REPLACE` (iptables writes `struct ipt_ip` when it parses a
    /// rule; the model's tools edit [`Rule`]s, so the kernel side derives it once per
    /// replacement, never per packet).
    pub fn fill_ipt_ip(&mut self) {
        for c in &mut self.chains {
            c.ipt_ip = IptIps(c.rules.iter().map(Rule::ipt_ip).collect());
        }
    }
    /// How many rules jump or go to `name`.
    pub fn references(&self, name: &str) -> usize {
        self.chains
            .iter()
            .flat_map(|c| c.rules.iter())
            .filter(|r| matches!(&r.target, Target::Chain(n) if n == name))
            .count()
    }
}

/// `IFNAMSIZ`: an interface name and its NUL in `struct ipt_ip`'s fixed-size fields.
pub const IFNAMSIZ: usize = 16;

/// `ipt_ip.invflags` bits (`include/uapi/linux/netfilter_ipv4/ip_tables.h`).
pub const IPT_INV_VIA_IN: u8 = 0x01;
pub const IPT_INV_VIA_OUT: u8 = 0x02;
pub const IPT_INV_SRCIP: u8 = 0x08;
pub const IPT_INV_DSTIP: u8 = 0x10;
pub const IPT_INV_PROTO: u8 = 0x40;

/// `struct ipt_ip`: a rule's fixed part, which `ip_packet_match` tests before the rule's
/// matches. Addresses are host-order, `src`/`dst` already masked (iptables stores them so);
/// interface names are NUL-padded with a byte mask (`0xff` for each byte compared: the name
/// and its NUL, or only the prefix before a `+`). A plain `Copy` value, kept apart from the
/// rules in one contiguous array per chain, so the linear walk over rules that do not match
/// reads nothing else. Laid out as the kernel's (`src`, `dst`, then `smsk`, `dmsk`), so
/// each pair is one 8-byte word (see [`IptIp::matches`]).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IptIp {
    pub src: u32,
    pub dst: u32,
    pub smsk: u32,
    pub dmsk: u32,
    /// Protocol number, 0 for any.
    pub proto: u8,
    pub invflags: u8,
    pub iniface: [u8; IFNAMSIZ],
    pub iniface_mask: [u8; IFNAMSIZ],
    pub outiface: [u8; IFNAMSIZ],
    pub outiface_mask: [u8; IFNAMSIZ],
}

/// What `ip_packet_match` reads of a packet and its hook: the header's addresses and
/// protocol, and the devices' names as `ipt_do_table` passes them (no device: all zero, the
/// kernel's `nulldevname`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct IptPkt {
    pub saddr: u32,
    pub daddr: u32,
    pub protocol: u8,
    pub indev: [u8; IFNAMSIZ],
    pub outdev: [u8; IFNAMSIZ],
}

/// Two adjacent 32-bit fields as the one word they occupy (low half first, little-endian:
/// the compiler reads it with one load).
#[inline(always)]
fn pair(lo: u32, hi: u32) -> u64 {
    u64::from(lo) | u64::from(hi) << 32
}

/// A device name in `IFNAMSIZ` bytes, NUL-padded (device names are at most `IFNAMSIZ - 1`
/// bytes: rtnetlink's policy).
pub fn ifname_bytes(name: &str) -> [u8; IFNAMSIZ] {
    let mut b = [0u8; IFNAMSIZ];
    let n = name.len().min(IFNAMSIZ);
    b[..n].copy_from_slice(&name.as_bytes()[..n]);
    b
}

/// `ifname_compare_aligned`: whether the masked bytes differ (two words, as the kernel).
#[inline(always)]
fn ifname_differs(dev: &[u8; IFNAMSIZ], name: &[u8; IFNAMSIZ], mask: &[u8; IFNAMSIZ]) -> bool {
    (u128::from_ne_bytes(*dev) ^ u128::from_ne_bytes(*name)) & u128::from_ne_bytes(*mask) != 0
}

impl IptIp {
    /// `ip_packet_match`: each test XOR its inversion flag (`NF_INVF`), in the kernel's order.
    /// Without an inverted address (nearly every rule) both address tests are one: the
    /// masked (saddr, daddr) word against (src, dst).
    #[inline(always)]
    pub fn matches(&self, p: &IptPkt) -> bool {
        let inv = |f: u8| self.invflags & f != 0;
        if self.invflags & (IPT_INV_SRCIP | IPT_INV_DSTIP) == 0 {
            if pair(p.saddr, p.daddr) & pair(self.smsk, self.dmsk) != pair(self.src, self.dst) {
                return false;
            }
        } else if ((p.saddr & self.smsk) != self.src) != inv(IPT_INV_SRCIP)
            || ((p.daddr & self.dmsk) != self.dst) != inv(IPT_INV_DSTIP)
        {
            return false;
        }
        if ifname_differs(&p.indev, &self.iniface, &self.iniface_mask) != inv(IPT_INV_VIA_IN)
            || ifname_differs(&p.outdev, &self.outiface, &self.outiface_mask)
                != inv(IPT_INV_VIA_OUT)
        {
            return false;
        }
        self.proto == 0 || (p.protocol != self.proto) == inv(IPT_INV_PROTO)
    }
}

/// The walk's inner loop: the first of `ips` whose fixed part matches the packet, testing
/// them in order (the kernel's linear `ipt_do_table`, one `ip_packet_match` a rule). Kept
/// out of line so the loop has the packet in registers.
#[inline(never)]
pub fn ipt_first_match(ips: &[IptIp], p: &IptPkt) -> Option<usize> {
    // The index from the found entry's address: the loop then steps one pointer, not a
    // pointer and a count.
    let hit = ips.iter().find(|ip| ip.matches(p))?;
    let at = std::ptr::from_ref(hit).addr() - ips.as_ptr().addr();
    Some(at / std::mem::size_of::<IptIp>())
}

/// A chain's rules' [`IptIp`]s, filled by [`Table::fill_ipt_ip`] when a table is installed
/// (`ipt_replace`); derived from the rules, so never part of a chain's identity (compares
/// equal to any other, like [`JumpHint`]).
#[derive(Clone, Debug, Default)]
pub struct IptIps(pub Vec<IptIp>);

impl PartialEq for IptIps {
    fn eq(&self, _: &IptIps) -> bool {
        true
    }
}

impl Eq for IptIps {}

/// An address match `[!] -s ADDR[/PLEN]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddrMatch {
    pub addr: Ipv4Addr,
    pub plen: u8,
    pub inv: bool,
}

impl AddrMatch {
    pub fn mask(&self) -> u32 {
        if self.plen == 0 {
            0
        } else {
            u32::MAX << (32 - self.plen)
        }
    }
}

/// An interface match `[!] -i NAME[+]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IfMatch {
    pub name: String,
    pub inv: bool,
}

impl IfMatch {
    /// The name and mask iptables puts in `struct ipt_ip` (`xtables_parse_interface`): a
    /// trailing `+` compares only the bytes before it, otherwise the name and its NUL.
    pub fn name_and_mask(&self) -> ([u8; IFNAMSIZ], [u8; IFNAMSIZ]) {
        let (name, n) = match self.name.strip_suffix('+') {
            Some(prefix) => (prefix, prefix.len()),
            None => (self.name.as_str(), self.name.len() + 1),
        };
        let mut mask = [0u8; IFNAMSIZ];
        mask[..n.min(IFNAMSIZ)].fill(0xff);
        (ifname_bytes(name), mask)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortRange {
    pub lo: u16,
    pub hi: u16,
    pub inv: bool,
}

impl PortRange {
    pub fn matches(&self, p: u16) -> bool {
        (self.lo <= p && p <= self.hi) != self.inv
    }
}

pub const CT_INVALID: u8 = 1;
pub const CT_NEW: u8 = 2;
pub const CT_RELATED: u8 = 4;
pub const CT_ESTABLISHED: u8 = 8;
pub const CT_UNTRACKED: u8 = 16;
pub const CT_SNAT: u8 = 32;
pub const CT_DNAT: u8 = 64;
const CT_NAMES: [(u8, &str); 7] = [
    (CT_INVALID, "INVALID"),
    (CT_NEW, "NEW"),
    (CT_RELATED, "RELATED"),
    (CT_ESTABLISHED, "ESTABLISHED"),
    (CT_UNTRACKED, "UNTRACKED"),
    (CT_SNAT, "SNAT"),
    (CT_DNAT, "DNAT"),
];

/// `RTN_*` address types for `-m addrtype`, as bits `1 << type`.
pub const ADDRTYPES: [&str; 12] = [
    "UNSPEC",
    "UNICAST",
    "LOCAL",
    "BROADCAST",
    "ANYCAST",
    "MULTICAST",
    "BLACKHOLE",
    "UNREACHABLE",
    "PROHIBIT",
    "THROW",
    "NAT",
    "XRESOLVE",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Match {
    /// `-m tcp` / `-m udp` (`udp` false for tcp).
    Ports {
        udp: bool,
        sport: Option<PortRange>,
        dport: Option<PortRange>,
    },
    /// The tcp match's `--syn` (`--tcp-flags FIN,SYN,RST,ACK SYN`): `flg_mask`, `flg_cmp` and
    /// `XT_TCP_INV_FLAGS`. Kept right after the rule's `Ports` match, whose extension prints it.
    TcpFlags {
        mask: u8,
        cmp: u8,
        inv: bool,
    },
    /// `-m icmp --icmp-type T[/C]`.
    Icmp {
        ty: u8,
        code: Option<u8>,
        inv: bool,
    },
    /// `-m multiport --sports|--dports|--ports LIST`.
    Multiport {
        dir: u8, // 0 src, 1 dst, 2 either
        ports: Vec<(u16, u16)>,
        inv: bool,
    },
    Comment(String),
    /// `-m conntrack --ctstate` (state=false) or `-m state --state` (state=true).
    CtState {
        mask: u8,
        inv: bool,
        state: bool,
    },
    AddrType {
        src: Option<(u16, bool)>,
        dst: Option<(u16, bool)>,
    },
    StatRandom {
        prob: u32,
    },
    StatNth {
        every: u32,
        packet: u32,
    },
    Mark {
        value: u32,
        mask: u32,
        inv: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RejectWith {
    NetUnreach,
    HostUnreach,
    PortUnreach,
    ProtoUnreach,
    NetProhib,
    HostProhib,
    AdminProhib,
    TcpReset,
}

pub const REJECT_NAMES: [(RejectWith, &str, &str); 8] = [
    (
        RejectWith::NetUnreach,
        "icmp-net-unreachable",
        "net-unreach",
    ),
    (
        RejectWith::HostUnreach,
        "icmp-host-unreachable",
        "host-unreach",
    ),
    (
        RejectWith::PortUnreach,
        "icmp-port-unreachable",
        "port-unreach",
    ),
    (
        RejectWith::ProtoUnreach,
        "icmp-proto-unreachable",
        "proto-unreach",
    ),
    (RejectWith::NetProhib, "icmp-net-prohibited", "net-prohib"),
    (
        RejectWith::HostProhib,
        "icmp-host-prohibited",
        "host-prohib",
    ),
    (
        RejectWith::AdminProhib,
        "icmp-admin-prohibited",
        "admin-prohib",
    ),
    (RejectWith::TcpReset, "tcp-reset", "tcp-rst"),
];

impl RejectWith {
    pub fn name(self) -> &'static str {
        REJECT_NAMES
            .iter()
            .find(|x| x.0 == self)
            .map_or("?", |x| x.1)
    }
    /// The ICMP destination-unreachable code sent.
    pub fn icmp_code(self) -> u8 {
        match self {
            RejectWith::NetUnreach => 0,
            RejectWith::HostUnreach => 1,
            RejectWith::ProtoUnreach => 2,
            RejectWith::PortUnreach | RejectWith::TcpReset => 3,
            RejectWith::NetProhib => 9,
            RejectWith::HostProhib => 10,
            RejectWith::AdminProhib => 13,
        }
    }
}

/// A NAT range: `--to-destination`/`--to-source` `[IP[-IP]][:PORT[-PORT]]`, or MASQUERADE's
/// `--to-ports`. The default is the empty range (no address, no ports, no flags): the null
/// binding a NAT hook sets up when no rule matched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NatRange {
    pub min_ip: Option<Ipv4Addr>,
    pub max_ip: Option<Ipv4Addr>,
    pub ports: Option<(u16, u16)>,
    pub random: bool,
    pub random_fully: bool,
    pub persistent: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// No `-j`: only counts.
    None,
    Accept,
    Drop,
    Return,
    /// A jump (`-j CHAIN`) or with `goto`, a `-g CHAIN`.
    Chain(String),
    Reject(RejectWith),
    Dnat(NatRange),
    Snat(NatRange),
    Masquerade(NatRange),
    /// `MARK --set-xmark value/mask`: `mark = (mark & !mask) ^ value`.
    Mark {
        value: u32,
        mask: u32,
    },
    Log {
        prefix: Option<String>,
        level: u8,
    },
}

impl Target {
    pub fn name(&self) -> &str {
        match self {
            Target::None => "",
            Target::Accept => "ACCEPT",
            Target::Drop => "DROP",
            Target::Return => "RETURN",
            Target::Chain(c) => c,
            Target::Reject(_) => "REJECT",
            Target::Dnat(_) => "DNAT",
            Target::Snat(_) => "SNAT",
            Target::Masquerade(_) => "MASQUERADE",
            Target::Mark { .. } => "MARK",
            Target::Log { .. } => "LOG",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub src: Option<AddrMatch>,
    pub dst: Option<AddrMatch>,
    pub iif: Option<IfMatch>,
    pub oif: Option<IfMatch>,
    /// Protocol number (0 = all) and inversion.
    pub proto: Option<(u8, bool)>,
    pub matches: Vec<Match>,
    pub target: Target,
    pub goto: bool,
    pub pkts: u64,
    pub bytes: u64,
    /// The nth match's counter (kernel: in the match's private data).
    pub nth_count: u32,
    /// Where a jump's chain was found last (`ipt_do_table`'s cache of the kernel's jump offset).
    pub jump: JumpHint,
}

/// The index of the chain a `-j CHAIN` rule jumped to last: a cache, never part of a rule's
/// identity (it compares equal to any other).
#[derive(Clone, Debug, Default)]
pub struct JumpHint(usize);

impl JumpHint {
    pub fn get(&self) -> usize {
        self.0
    }
    pub fn set(&mut self, i: usize) {
        self.0 = i;
    }
}

impl PartialEq for JumpHint {
    fn eq(&self, _: &JumpHint) -> bool {
        true
    }
}

impl Eq for JumpHint {}

impl Rule {
    /// The rule's fixed part as `struct ipt_ip` (what iptables' parser writes in the entry).
    pub fn ipt_ip(&self) -> IptIp {
        let mut ip = IptIp::default();
        if let Some(a) = self.src {
            ip.smsk = a.mask();
            ip.src = u32::from(a.addr) & ip.smsk;
            if a.inv {
                ip.invflags |= IPT_INV_SRCIP;
            }
        }
        if let Some(a) = self.dst {
            ip.dmsk = a.mask();
            ip.dst = u32::from(a.addr) & ip.dmsk;
            if a.inv {
                ip.invflags |= IPT_INV_DSTIP;
            }
        }
        if let Some(i) = &self.iif {
            (ip.iniface, ip.iniface_mask) = i.name_and_mask();
            if i.inv {
                ip.invflags |= IPT_INV_VIA_IN;
            }
        }
        if let Some(i) = &self.oif {
            (ip.outiface, ip.outiface_mask) = i.name_and_mask();
            if i.inv {
                ip.invflags |= IPT_INV_VIA_OUT;
            }
        }
        if let Some((p, inv)) = self.proto {
            ip.proto = p;
            if inv {
                ip.invflags |= IPT_INV_PROTO;
            }
        }
        ip
    }

    /// Two rules are the same for `-D`/`-C` when everything but the counters is equal.
    pub fn same_spec(&self, o: &Rule) -> bool {
        self.src == o.src
            && self.dst == o.dst
            && self.iif == o.iif
            && self.oif == o.oif
            && self.proto == o.proto
            && self.matches == o.matches
            && self.target == o.target
            && self.goto == o.goto
    }
}

pub fn proto_name(p: u8) -> Option<&'static str> {
    match p {
        0 => Some("all"),
        1 => Some("icmp"),
        6 => Some("tcp"),
        17 => Some("udp"),
        4 => Some("ipencap"),
        47 => Some("gre"),
        50 => Some("esp"),
        51 => Some("ah"),
        132 => Some("sctp"),
        136 => Some("udplite"),
        _ => None,
    }
}

fn mask_str(plen: u8) -> String {
    format!("/{}", plen)
}

/// `xtables_save_string`: quoted unless only `[_-0-9A-Za-z]`.
pub fn save_string(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return s.to_string();
    }
    let mut o = String::from("\"");
    for c in s.chars() {
        if c == '"' || c == '\\' || c == '\'' {
            o.push('\\');
        }
        o.push(c);
    }
    o.push('"');
    o
}

fn port_range_save(p: &PortRange) -> String {
    if p.lo == p.hi {
        p.lo.to_string()
    } else {
        format!("{}:{}", p.lo, p.hi)
    }
}

/// `getservbyport`: the first name Debian's `/etc/services` (netbase) gives the port.
pub fn service_name(port: u16, udp: bool) -> Option<&'static str> {
    crate::tcpdump::port_name(port, if udp { "udp" } else { "tcp" })
}

fn port_list(p: u16, udp: bool, numeric: bool) -> String {
    if numeric {
        return p.to_string();
    }
    service_name(p, udp).map_or(p.to_string(), |s| s.to_string())
}

const ICMP_NAMES: [(u8, Option<u8>, &str); 12] = [
    (0, None, "echo-reply"),
    (3, None, "destination-unreachable"),
    (3, Some(0), "network-unreachable"),
    (3, Some(1), "host-unreachable"),
    (3, Some(2), "protocol-unreachable"),
    (3, Some(3), "port-unreachable"),
    (3, Some(4), "fragmentation-needed"),
    (5, None, "redirect"),
    (8, None, "echo-request"),
    (11, None, "time-exceeded"),
    (11, Some(0), "ttl-zero-during-transit"),
    (12, None, "parameter-problem"),
];

pub fn icmp_type_by_name(s: &str) -> Option<(u8, Option<u8>)> {
    let names = [
        ("any", 255u8, None),
        ("pong", 0, None),
        ("ping", 8, None),
        ("ttl-exceeded", 11, None),
    ];
    if let Some(x) = names.iter().find(|x| x.0 == s) {
        return Some((x.1, x.2));
    }
    ICMP_NAMES
        .iter()
        .find(|x| x.2 == s)
        .map(|x| (x.0, x.1))
        .or_else(|| {
            let (t, c) = match s.split_once('/') {
                Some((t, c)) => (t, Some(c)),
                None => (s, None),
            };
            let t: u8 = t.parse().ok()?;
            let c = match c {
                Some(c) => Some(c.parse::<u8>().ok()?),
                None => None,
            };
            Some((t, c))
        })
}

fn addrtype_list(mask: u16) -> String {
    ADDRTYPES
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, n)| *n)
        .collect::<Vec<_>>()
        .join(",")
}

fn ct_list(mask: u8) -> String {
    CT_NAMES
        .iter()
        .filter(|(b, _)| mask & b != 0)
        .map(|(_, n)| *n)
        .collect::<Vec<_>>()
        .join(",")
}

fn stat_prob(p: u32) -> String {
    format!("{:.11}", p as f64 / 2147483648.0)
}

fn nat_range_str(r: &NatRange) -> String {
    let mut s = String::new();
    if let Some(a) = r.min_ip {
        s += &a.to_string();
        if let Some(b) = r.max_ip.filter(|b| *b != a) {
            s += &format!("-{}", b);
        }
    }
    if let Some((lo, hi)) = r.ports {
        s += &format!(":{}", lo);
        if hi != lo {
            s += &format!("-{}", hi);
        }
    }
    s
}

impl Match {
    /// The ` -m NAME ...` text of `-S` / `iptables-save`.
    pub fn save(&self) -> String {
        let inv = |b: bool| if b { " !" } else { "" };
        match self {
            Match::Ports { udp, sport, dport } => {
                let mut s = format!(" -m {}", if *udp { "udp" } else { "tcp" });
                if let Some(p) = sport {
                    s += &format!("{} --sport {}", inv(p.inv), port_range_save(p));
                }
                if let Some(p) = dport {
                    s += &format!("{} --dport {}", inv(p.inv), port_range_save(p));
                }
                s
            }
            Match::TcpFlags { mask, cmp, inv: i } => {
                format!("{} --tcp-flags {} {}", inv(*i), tcpf(*mask), tcpf(*cmp))
            }
            Match::Icmp { ty, code, inv: i } => {
                if *ty == 255 {
                    return format!(" -m icmp{} --icmp-type any", inv(*i));
                }
                let c = code.map_or(String::new(), |c| format!("/{}", c));
                format!(" -m icmp{} --icmp-type {}{}", inv(*i), ty, c)
            }
            Match::Multiport { dir, ports, inv: i } => {
                let opt = ["--sports", "--dports", "--ports"][*dir as usize];
                format!(" -m multiport{} {} {}", inv(*i), opt, multiport_list(ports))
            }
            Match::Comment(c) => format!(" -m comment --comment {}", save_string(c)),
            Match::CtState {
                mask,
                inv: i,
                state,
            } => {
                if *state {
                    format!(" -m state{} --state {}", inv(*i), ct_list(*mask))
                } else {
                    format!(" -m conntrack{} --ctstate {}", inv(*i), ct_list(*mask))
                }
            }
            Match::AddrType { src, dst } => {
                let mut s = " -m addrtype".to_string();
                if let Some((m, i)) = src {
                    s += &format!("{} --src-type {}", inv(*i), addrtype_list(*m));
                }
                if let Some((m, i)) = dst {
                    s += &format!("{} --dst-type {}", inv(*i), addrtype_list(*m));
                }
                s
            }
            Match::StatRandom { prob } => {
                format!(
                    " -m statistic --mode random --probability {}",
                    stat_prob(*prob)
                )
            }
            Match::StatNth { every, packet } => format!(
                " -m statistic --mode nth --every {} --packet {}",
                every, packet
            ),
            Match::Mark {
                value,
                mask,
                inv: i,
            } => format!(" -m mark{} --mark {}", inv(*i), mark_str(*value, *mask)),
        }
    }

    /// The `-L` text (the caller puts the leading space, as the extensions print " text");
    /// `proto` is the rule's, for service names (`/etc/services` is per protocol).
    pub fn list(&self, numeric: bool, proto: u8) -> String {
        match self {
            Match::Ports { udp, sport, dport } => {
                let mut s = if *udp { "udp" } else { "tcp" }.to_string();
                for (p, n) in [(sport, "spt"), (dport, "dpt")] {
                    if let Some(p) = p {
                        let i = if p.inv { "!" } else { "" };
                        if p.lo == p.hi {
                            s += &format!(" {}:{}{}", n, i, port_list(p.lo, *udp, numeric));
                        } else {
                            s += &format!(
                                " {}s:{}{}:{}",
                                n,
                                i,
                                port_list(p.lo, *udp, numeric),
                                port_list(p.hi, *udp, numeric)
                            );
                        }
                    }
                }
                s
            }
            Match::Icmp { ty, code, inv } => {
                let i = if *inv { "!" } else { "" };
                if numeric {
                    let mut s = format!("icmptype {}{}", i, ty);
                    if let Some(c) = code {
                        s += &format!(" code {}", c);
                    }
                    s
                } else {
                    let name = ICMP_NAMES
                        .iter()
                        .find(|x| x.0 == *ty && x.1 == *code)
                        .map(|x| x.2.to_string())
                        .unwrap_or_else(|| match code {
                            Some(c) => format!("type {} code {}", ty, c),
                            None => format!("type {}", ty),
                        });
                    format!("icmp {}{}", i, name)
                }
            }
            Match::Multiport { dir, ports, inv } => {
                let d = ["sports", "dports", "ports"][*dir as usize];
                let list: Vec<String> = ports
                    .iter()
                    .map(|(lo, hi)| {
                        if lo == hi {
                            port_list(*lo, proto == 17, numeric)
                        } else {
                            format!(
                                "{}:{}",
                                port_list(*lo, proto == 17, numeric),
                                port_list(*hi, proto == 17, numeric)
                            )
                        }
                    })
                    .collect();
                format!(
                    "multiport {} {}{}",
                    d,
                    if *inv { " !" } else { "" },
                    list.join(",")
                )
            }
            Match::Comment(c) => format!("/* {} */", c),
            Match::CtState { mask, inv, state } => format!(
                "{}{} {}",
                if *inv { "! " } else { "" },
                if *state { "state" } else { "ctstate" },
                ct_list(*mask)
            ),
            Match::AddrType { src, dst } => {
                let mut s = "ADDRTYPE match".to_string();
                if let Some((m, i)) = src {
                    s += &format!(
                        " src-type {}{}",
                        if *i { "!" } else { "" },
                        addrtype_list(*m)
                    );
                }
                if let Some((m, i)) = dst {
                    s += &format!(
                        " dst-type {}{}",
                        if *i { "!" } else { "" },
                        addrtype_list(*m)
                    );
                }
                s
            }
            // libxt_tcp's print_flags (the caller's space stands for its leading one).
            Match::TcpFlags { mask, cmp, inv } => {
                let i = if *inv { "!" } else { "" };
                if numeric {
                    format!("flags:{i}0x{mask:02X}/0x{cmp:02X}")
                } else {
                    format!("flags:{i}{}/{}", tcpf(*mask), tcpf(*cmp))
                }
            }
            Match::StatRandom { prob } => {
                format!("statistic mode random probability {}", stat_prob(*prob))
            }
            Match::StatNth { every, packet } => {
                let mut s = format!("statistic mode nth every {}", every);
                if *packet != 0 {
                    s += &format!(" packet {}", packet);
                }
                s
            }
            Match::Mark { value, mask, inv } => format!(
                "mark match {}{}",
                if *inv { "! " } else { "" },
                mark_str(*value, *mask)
            ),
        }
    }
}

/// libxt_tcp's `print_tcpf`: flag names lowest bit first, `NONE` for none.
fn tcpf(mut flags: u8) -> String {
    const NAMES: [(&str, u8); 6] = [
        ("FIN", 0x01),
        ("SYN", 0x02),
        ("RST", 0x04),
        ("PSH", 0x08),
        ("ACK", 0x10),
        ("URG", 0x20),
    ];
    let mut out = Vec::new();
    for (n, f) in NAMES {
        if flags & f != 0 {
            out.push(n);
            flags &= !f;
        }
    }
    if out.is_empty() {
        return "NONE".into();
    }
    out.join(",")
}

fn mark_str(value: u32, mask: u32) -> String {
    if mask == u32::MAX {
        format!("0x{:x}", value)
    } else {
        format!("0x{:x}/0x{:x}", value, mask)
    }
}

fn multiport_list(ports: &[(u16, u16)]) -> String {
    ports
        .iter()
        .map(|(lo, hi)| {
            if lo == hi {
                lo.to_string()
            } else {
                format!("{}:{}", lo, hi)
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

const LOG_LEVELS: [&str; 8] = [
    "emerg", "alert", "crit", "error", "warn", "notice", "info", "debug",
];

impl Target {
    /// The target's options in `-S` form (after `-j NAME`).
    pub fn save(&self) -> String {
        match self {
            Target::Reject(w) => format!(" --reject-with {}", w.name()),
            Target::Dnat(r) | Target::Snat(r) => {
                let opt = if matches!(self, Target::Dnat(_)) {
                    "--to-destination"
                } else {
                    "--to-source"
                };
                let mut s = if r.min_ip.is_some() || r.ports.is_some() {
                    format!(" {} {}", opt, nat_range_str(r))
                } else {
                    String::new()
                };
                if r.random {
                    s += " --random";
                }
                if r.random_fully {
                    s += " --random-fully";
                }
                if r.persistent {
                    s += " --persistent";
                }
                s
            }
            Target::Masquerade(r) => {
                let mut s = String::new();
                if let Some((lo, hi)) = r.ports {
                    s += &format!(" --to-ports {}", lo);
                    if hi != lo {
                        s += &format!("-{}", hi);
                    }
                }
                if r.random {
                    s += " --random";
                }
                if r.random_fully {
                    s += " --random-fully";
                }
                s
            }
            Target::Mark { value, mask } => format!(" --set-xmark 0x{:x}/0x{:x}", value, mask),
            Target::Log { prefix, level } => {
                let mut s = String::new();
                if let Some(p) = prefix {
                    s += &format!(" --log-prefix {}", save_string(p));
                }
                if *level != 4 {
                    s += &format!(" --log-level {}", level);
                }
                s
            }
            _ => String::new(),
        }
    }

    /// The target's text in `-L` (without the leading space).
    pub fn list(&self, numeric: bool) -> String {
        match self {
            Target::Reject(w) => format!("reject-with {}", w.name()),
            Target::Dnat(r) | Target::Snat(r) => {
                let mut s = String::new();
                if r.min_ip.is_some() || r.ports.is_some() {
                    s += &format!("to:{}", nat_range_str(r));
                }
                if r.random {
                    s += " random";
                }
                if r.random_fully {
                    s += " random-fully";
                }
                if r.persistent {
                    s += " persistent";
                }
                s
            }
            Target::Masquerade(r) => {
                let mut s = String::new();
                if let Some((lo, hi)) = r.ports {
                    s += &format!("masq ports: {}", lo);
                    if hi != lo {
                        s += &format!("-{}", hi);
                    }
                }
                if r.random {
                    s += " random";
                }
                if r.random_fully {
                    s += " random-fully";
                }
                s.trim_start().to_string()
            }
            Target::Mark { value, mask } => {
                if *value == 0 {
                    format!("MARK and 0x{:x}", !mask)
                } else if value == mask {
                    format!("MARK or 0x{:x}", value)
                } else if *mask == 0 {
                    format!("MARK xor 0x{:x}", value)
                } else if *mask == u32::MAX {
                    format!("MARK set 0x{:x}", value)
                } else {
                    format!("MARK xset 0x{:x}/0x{:x}", value, mask)
                }
            }
            Target::Log { prefix, level } => {
                let mut s = if numeric {
                    format!("LOG flags 0 level {}", level)
                } else {
                    format!("LOG level {}", LOG_LEVELS[(*level as usize).min(7)])
                };
                if let Some(p) = prefix {
                    s += &format!(" prefix \"{}\"", p);
                }
                s
            }
            _ => String::new(),
        }
    }
}

impl Rule {
    /// `-A CHAIN ...` as `iptables -S` and `iptables-save` print it.
    pub fn save(&self, chain: &str) -> String {
        let mut s = format!("-A {}", chain);
        for (opt, a) in [("-s", &self.src), ("-d", &self.dst)] {
            if let Some(a) = a {
                let _ = write!(
                    s,
                    "{} {} {}/{}",
                    if a.inv { " !" } else { "" },
                    opt,
                    a.addr,
                    a.plen
                );
            }
        }
        for (opt, i) in [("-i", &self.iif), ("-o", &self.oif)] {
            if let Some(i) = i {
                let _ = write!(s, "{} {} {}", if i.inv { " !" } else { "" }, opt, i.name);
            }
        }
        if let Some((p, inv)) = self.proto.filter(|p| p.0 != 0 || p.1) {
            let name = proto_name(p).map_or(p.to_string(), |n| n.to_string());
            let _ = write!(s, "{} -p {}", if inv { " !" } else { "" }, name);
        }
        for m in &self.matches {
            s += &m.save();
        }
        match &self.target {
            Target::None => {}
            t => {
                let _ = write!(
                    s,
                    " {} {}{}",
                    if self.goto { "-g" } else { "-j" },
                    t.name(),
                    t.save()
                );
            }
        }
        s
    }

    /// One `iptables -L` line after the line-number and counter columns, as `print_firewall`
    /// prints it: fixed-width columns, then each extension's " text".
    pub fn list(&self, numeric: bool, verbose: bool) -> String {
        let mut s = format!("{:<9} ", self.target.name());
        let (p, pinv) = self.proto.unwrap_or((0, false));
        s.push(if pinv { '!' } else { ' ' });
        let pname = if numeric {
            p.to_string()
        } else {
            proto_name(p).map_or(p.to_string(), |n| n.to_string())
        };
        let _ = write!(s, "{:<5}", pname);
        s += "-- ";
        if verbose {
            let any = if numeric { "*" } else { "any" };
            let name = |i: &Option<IfMatch>| match i {
                Some(i) => format!("{}{}", if i.inv { "!" } else { "" }, i.name),
                None => any.to_string(),
            };
            let _ = write!(s, " {:<6} {:<6} ", name(&self.iif), name(&self.oif));
        }
        for a in [&self.src, &self.dst] {
            let t = match a {
                Some(a) if a.plen == 32 => a.addr.to_string(),
                Some(a) => format!("{}{}", a.addr, mask_str(a.plen)),
                None if numeric => "0.0.0.0/0".to_string(),
                None => "anywhere".to_string(),
            };
            s.push(if a.is_some_and(|a| a.inv) { '!' } else { ' ' });
            let _ = write!(s, "{:<19} ", t);
        }
        if self.goto {
            s += "[goto] ";
        }
        for m in &self.matches {
            s.push(' ');
            s += &m.list(numeric, p);
        }
        let t = self.target.list(numeric);
        if !t.is_empty() {
            s.push(' ');
            s += &t;
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ip_packet_match` on a rule's `IptIp`: prefixes, exact names (the NUL compared), no
    /// device, inversions, protocol.
    #[test]
    fn ipt_ip_matches_as_ip_packet_match() {
        let rule = |src: Option<(&str, u8, bool)>, iif: Option<(&str, bool)>, proto| Rule {
            src: src.map(|(a, plen, inv)| AddrMatch {
                addr: a.parse().unwrap(),
                plen,
                inv,
            }),
            dst: None,
            iif: iif.map(|(n, inv)| IfMatch {
                name: n.to_string(),
                inv,
            }),
            oif: None,
            proto,
            matches: vec![],
            target: Target::Accept,
            goto: false,
            pkts: 0,
            bytes: 0,
            nth_count: 0,
            jump: JumpHint::default(),
        };
        let pkt = |src: &str, dev: Option<&str>, protocol| IptPkt {
            saddr: u32::from(src.parse::<Ipv4Addr>().unwrap()),
            daddr: u32::from(Ipv4Addr::new(10, 96, 0, 1)),
            protocol,
            indev: dev.map_or([0; IFNAMSIZ], ifname_bytes),
            outdev: [0; IFNAMSIZ],
        };
        let m = |r: &Rule, p: &IptPkt| r.ipt_ip().matches(p);
        let eth_prefix = rule(None, Some(("eth+", false)), None);
        assert!(m(&eth_prefix, &pkt("1.2.3.4", Some("eth0"), 6)));
        assert!(!m(&eth_prefix, &pkt("1.2.3.4", Some("et"), 6)));
        assert!(!m(&eth_prefix, &pkt("1.2.3.4", None, 6)));
        let eth0 = rule(None, Some(("eth0", false)), None);
        assert!(m(&eth0, &pkt("1.2.3.4", Some("eth0"), 6)));
        assert!(!m(&eth0, &pkt("1.2.3.4", Some("eth01"), 6)));
        let not_eth0 = rule(None, Some(("eth0", true)), None);
        assert!(m(&not_eth0, &pkt("1.2.3.4", None, 6)));
        assert!(!m(&not_eth0, &pkt("1.2.3.4", Some("eth0"), 6)));
        let not_pods = rule(Some(("10.244.0.0", 16, true)), None, Some((6, false)));
        assert!(m(&not_pods, &pkt("192.168.1.1", None, 6)));
        assert!(!m(&not_pods, &pkt("10.244.3.7", None, 6)));
        assert!(!m(&not_pods, &pkt("192.168.1.1", None, 17)));
        let not_udp = rule(Some(("10.244.0.0", 16, false)), None, Some((17, true)));
        assert!(m(&not_udp, &pkt("10.244.3.7", None, 6)));
        assert!(!m(&not_udp, &pkt("10.244.3.7", None, 17)));
        assert!(!m(&not_udp, &pkt("10.245.3.7", None, 6)));
    }
}

//! Netfilter for IPv4: the five hooks, called from `ip_rcv`, `ip_local_deliver`, `ip_forward`,
//! the local output path and the bridge (br_netfilter), each running in the kernel's priority
//! order: raw (-300), conntrack (-200), mangle (-150), nat DNAT (-100), filter (0), nat SNAT
//! (100), conntrack confirm (last).
//!
//! A packet's conntrack association and mark are fields of its
//! [`SkBuff`] (`skb->_nfct`, `skb->mark`), set at the hook where the packet enters a
//! namespace's stack (PREROUTING, OUTPUT) and carried with it until it leaves (INPUT,
//! POSTROUTING); a device hop scrubs them.
//!
//! # Differences from Linux
//! Tables are instantiated on first use in a namespace (as the legacy modules do per netns);
//! conntrack runs in a namespace once it has a nat table or a rule that needs conntrack (the
//! kernel's `nf_ct_netns_get`). No conntrack helpers, zones or expectations; NAT of an IP range
//! picks the address by a fixed hash of the tuple, not the kernel's jhash.

pub mod ip_tables;
pub mod nf_conntrack;
pub mod nf_nat;
pub mod sockopt;

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, Kernel, NsId};
use crate::net::fib::RtnType;
use crate::net::skbuff::{NfBridgeInfo, SkBuff};
use crate::wire::*;
use ip_tables::*;
use nf_conntrack::*;
use nf_nat::Manip;
use sim_core::Duration;
use std::net::Ipv4Addr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NfHook {
    PreRouting,
    LocalIn,
    Forward,
    LocalOut,
    PostRouting,
}

impl NfHook {
    pub fn chain(self) -> &'static str {
        match self {
            NfHook::PreRouting => "PREROUTING",
            NfHook::LocalIn => "INPUT",
            NfHook::Forward => "FORWARD",
            NfHook::LocalOut => "OUTPUT",
            NfHook::PostRouting => "POSTROUTING",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NfVerdict {
    Accept,
    /// Dropped (already accounted with `kfree_skb_reason`).
    Drop,
}

impl NfVerdict {
    pub fn dropped(self) -> bool {
        self == NfVerdict::Drop
    }
}

/// One namespace's netfilter state.
#[derive(Debug, Default)]
pub struct Netfilter {
    /// Instantiated tables, in the order they were created.
    pub tables: Vec<Table>,
    pub ct: ConnTable,
    /// `ipt_do_table`'s stack of return points (the kernel's per-table `jumpstack`, allocated
    /// when a table is loaded): kept between walks, so a jump allocates nothing.
    jumpstack: Vec<(usize, usize)>,
    /// [`Netfilter::ct_enabled`], set when a table is created or replaced.
    ct_needed: bool,
}

impl Netfilter {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
    /// The table, instantiating it on first use (as `xt_find_table_lock` loads it per netns).
    /// A table's rules change only through [`Netfilter::replace_table`].
    pub fn table_mut(&mut self, name: &str) -> &mut Table {
        match self.tables.iter().position(|t| t.name == name) {
            Some(i) => &mut self.tables[i],
            None => {
                self.tables.push(Table::new(name));
                self.ct_needed = self.ct_needed_by_tables();
                self.tables.last_mut().expect("just pushed")
            }
        }
    }
    /// Installs `new` as table `name` (`xt_replace_table`'s swap).
    pub fn replace_table(&mut self, name: &str, new: Table) {
        *self.table_mut(name) = new;
        self.ct_needed = self.ct_needed_by_tables();
    }
    /// Whether conntrack is needed: a nat table or a rule using conntrack state (the kernel's
    /// `nf_ct_netns_get`, taken when such a table or rule is loaded). Asked at every hook,
    /// so kept from the last table change rather than found by reading every rule.
    pub fn ct_enabled(&self) -> bool {
        self.ct_needed
    }
    fn ct_needed_by_tables(&self) -> bool {
        self.tables.iter().any(|t| {
            t.name == "nat"
                || t.chains
                    .iter()
                    .flat_map(|c| c.rules.iter())
                    .any(|r| r.matches.iter().any(|m| matches!(m, Match::CtState { .. })))
        })
    }
}

/// The packet's conntrack entry: confirmed (in the table) or still unconfirmed (first packet).
#[derive(Clone, Debug)]
pub enum CtRef {
    Confirmed(u64),
    Unconfirmed(Box<Conn>),
}

/// The fields of a packet the rules look at.
struct PktInfo {
    src: Ipv4Addr,
    dst: Ipv4Addr,
    proto: u8,
    frag: bool,
    sport: Option<u16>,
    dport: Option<u16>,
    icmp: Option<(u8, u8)>,
    /// The TCP header's flags byte (a whole, unfragmented TCP header only).
    tcp_flags: Option<u8>,
    len: u64,
    /// The hook's devices (alive ones only); their names are read where a rule asks.
    iif: Option<DevId>,
    oif: Option<DevId>,
}

enum TableVerdict {
    Accept,
    Drop,
    Reject(RejectWith),
    Nat(Target),
}

/// A built-in chain's policy applies to a packet of `len` bytes: counts it on the chain and
/// gives the verdict (a chain without a policy accepts).
fn chain_policy(chain: &mut Chain, len: u64) -> TableVerdict {
    chain.pkts += 1;
    chain.bytes += len;
    match chain.policy.unwrap_or(Policy::Accept) {
        Policy::Accept => TableVerdict::Accept,
        Policy::Drop => TableVerdict::Drop,
    }
}

impl Kernel {
    fn nf_pktinfo(&self, pkt: &[u8], indev: Option<DevId>, outdev: Option<DevId>) -> PktInfo {
        let (ip, hl) = match Ipv4Repr::parse(pkt) {
            Ok(x) => x,
            Err(_) => (
                Ipv4Repr {
                    tos: 0,
                    total_len: pkt.len() as u16,
                    id: 0,
                    frag: 0,
                    ttl: 0,
                    proto: 0,
                    src: Ipv4Addr::UNSPECIFIED,
                    dst: Ipv4Addr::UNSPECIFIED,
                    options: vec![],
                },
                pkt.len(),
            ),
        };
        let frag = ip.frag & 0x1fff != 0;
        let l4 = pkt.get(hl..).unwrap_or(&[]);
        let ports =
            (matches!(ip.proto, IPPROTO_TCP | IPPROTO_UDP) && !frag && l4.len() >= 4).then(|| {
                (
                    u16::from_be_bytes([l4[0], l4[1]]),
                    u16::from_be_bytes([l4[2], l4[3]]),
                )
            });
        let icmp = (ip.proto == IPPROTO_ICMP && !frag && l4.len() >= 2).then(|| (l4[0], l4[1]));
        let tcp_flags = (ip.proto == IPPROTO_TCP && !frag && l4.len() >= 20).then(|| l4[13]);
        let alive = |d: Option<DevId>| d.filter(|&d| self.dev_alive(d));
        PktInfo {
            src: ip.src,
            dst: ip.dst,
            proto: ip.proto,
            frag,
            sport: ports.map(|p| p.0),
            dport: ports.map(|p| p.1),
            icmp,
            tcp_flags,
            len: ip.total_len as u64,
            iif: alive(indev),
            oif: alive(outdev),
        }
    }

    /// The name `-i`/`-o` and the LOG target see for a hook's device.
    fn nf_dev_name(&self, d: Option<DevId>) -> Option<&str> {
        d.map(|d| self.dev(d).name.as_str())
    }

    /// `inet_addr_type` as a `1 << RTN_*` bit for `-m addrtype`.
    fn nf_addrtype(&self, ns: NsId, ip: Ipv4Addr) -> u16 {
        if ip.is_unspecified() {
            return 1 << 0;
        }
        if ip.is_broadcast() {
            return 1 << 3;
        }
        if ip.is_multicast() {
            return 1 << 5;
        }
        match self.net(ns).fib.lookup(ip, &|_| true).map(|r| r.rtype) {
            Some(RtnType::Local) => 1 << 2,
            Some(RtnType::Broadcast) => 1 << 3,
            Some(RtnType::Blackhole) => 1 << 6,
            Some(RtnType::Unreachable) => 1 << 7,
            Some(RtnType::Prohibit) => 1 << 8,
            _ => 1 << 1,
        }
    }

    fn nf_ctstate(&self, ns: NsId, skb: &SkBuff) -> u8 {
        let Some((r, info)) = skb.nfct() else {
            return CT_INVALID;
        };
        let mut bits = match info {
            CtInfo::New => CT_NEW,
            CtInfo::Established | CtInfo::EstablishedReply => CT_ESTABLISHED,
            CtInfo::Related | CtInfo::RelatedReply => CT_RELATED,
        };
        let status = match r {
            CtRef::Confirmed(id) => self.net(ns).nf.ct.conns.get(id).map_or(0, |c| c.status),
            CtRef::Unconfirmed(c) => c.status,
        };
        if status & IPS_SRC_NAT != 0 {
            bits |= CT_SNAT;
        }
        if status & IPS_DST_NAT != 0 {
            bits |= CT_DNAT;
        }
        bits
    }

    /// A rule's matches (`xt_match`es), tested only once its fixed part matched
    /// ([`IptIp::matches`]).
    fn nf_rule_matches(&mut self, ns: NsId, r: &Rule, pi: &PktInfo, skb: &SkBuff) -> bool {
        for m in &r.matches {
            let ok = match m {
                Match::Ports { sport, dport, .. } => {
                    let (Some(s), Some(d)) = (pi.sport, pi.dport) else {
                        return false;
                    };
                    sport.is_none_or(|p| p.matches(s)) && dport.is_none_or(|p| p.matches(d))
                }
                // tcp_mt: (flags & flg_mask) == flg_cmp, XOR the inversion; a packet without
                // a whole TCP header does not match (the kernel hotdrops it).
                Match::TcpFlags { mask, cmp, inv } => match pi.tcp_flags {
                    Some(f) => ((f & mask) == *cmp) != *inv,
                    None => false,
                },
                Match::Icmp { ty, code, inv } => match pi.icmp {
                    Some((t, c)) => {
                        (*ty == 255 || (t == *ty && code.is_none_or(|x| x == c))) != *inv
                    }
                    None => false,
                },
                Match::Multiport { dir, ports, inv } => {
                    let (Some(s), Some(d)) = (pi.sport, pi.dport) else {
                        return false;
                    };
                    let hit = |p: u16| ports.iter().any(|(lo, hi)| *lo <= p && p <= *hi);
                    let m = match dir {
                        0 => hit(s),
                        1 => hit(d),
                        _ => hit(s) || hit(d),
                    };
                    m != *inv
                }
                Match::Comment(_) => true,
                Match::CtState { mask, inv, .. } => (self.nf_ctstate(ns, skb) & mask != 0) != *inv,
                Match::AddrType { src, dst } => {
                    src.is_none_or(|(m, i)| (self.nf_addrtype(ns, pi.src) & m != 0) != i)
                        && dst.is_none_or(|(m, i)| (self.nf_addrtype(ns, pi.dst) & m != 0) != i)
                }
                Match::Mark { value, mask, inv } => ((skb.mark & mask) == *value) != *inv,
                Match::StatRandom { prob } => (self.rng.next_u64() as u32 & 0x7fff_ffff) < *prob,
                Match::StatNth { .. } => true, // decided with the rule's counter below
            };
            if !ok {
                return false;
            }
        }
        let _ = pi.frag;
        true
    }

    /// `ipt_do_table`: walks `table`'s `chain` for the packet.
    fn ipt_do_table(
        &mut self,
        ns: NsId,
        tname: &str,
        hook: NfHook,
        skb: &mut SkBuff,
        indev: Option<DevId>,
        outdev: Option<DevId>,
    ) -> TableVerdict {
        let Some(ti) = self.net(ns).nf.tables.iter().position(|t| t.name == tname) else {
            return TableVerdict::Accept;
        };
        let Some(start) = self.net(ns).nf.tables[ti]
            .chains
            .iter()
            .position(|c| c.name == hook.chain())
        else {
            return TableVerdict::Accept;
        };
        let pi = self.nf_pktinfo(skb.data(), indev, outdev);
        // What ip_packet_match reads, once per walk: the device names as `IFNAMSIZ` bytes
        // (as ipt_do_table passes `indev`/`outdev`), not a string comparison per rule.
        let ifname = |d: Option<DevId>| self.nf_dev_name(d).map_or([0; IFNAMSIZ], ifname_bytes);
        let pk = IptPkt {
            saddr: u32::from(pi.src),
            daddr: u32::from(pi.dst),
            protocol: pi.proto,
            indev: ifname(pi.iif),
            outdev: ifname(pi.oif),
        };
        let nf = &mut self.net_mut(ns).nf;
        let mut t = std::mem::replace(&mut nf.tables[ti], Table::new(""));
        let mut stack = std::mem::take(&mut nf.jumpstack);
        stack.clear();
        let (mut ci, mut ri) = (start, 0usize);
        let verdict = loop {
            // ip_packet_match, rule after rule, on the chain's array of fixed parts: a rule
            // whose addresses, devices or protocol do not match costs that test and nothing
            // else (its matches and target are not read), as in the kernel's linear walk.
            let chain = &t.chains[ci];
            debug_assert_eq!(chain.ipt_ip.0.len(), chain.rules.len());
            match chain
                .ipt_ip
                .0
                .get(ri..)
                .and_then(|ips| ipt_first_match(ips, &pk))
            {
                Some(n) => ri += n,
                None => ri = chain.rules.len(),
            }
            if ri >= t.chains[ci].rules.len() {
                if let Some(p) = t.chains[ci].policy {
                    if stack.is_empty() {
                        self.trace(ns, || {
                            format!("nf {} {}: policy {}", tname, t.chains[ci].name, p.name())
                        });
                        break chain_policy(&mut t.chains[ci], pi.len);
                    }
                }
                match stack.pop() {
                    Some((c, r)) => {
                        ci = c;
                        ri = r;
                        continue;
                    }
                    None => {
                        // Fell off a user chain reached by goto from the base chain: the base
                        // chain's policy applies.
                        break chain_policy(&mut t.chains[start], pi.len);
                    }
                }
            }
            // (The rule is borrowed from the table, taken out of `self`: no copy per packet.)
            let mut hit = self.nf_rule_matches(ns, &t.chains[ci].rules[ri], &pi, skb);
            if hit {
                let nth = t.chains[ci].rules[ri].matches.iter().find_map(|m| match m {
                    Match::StatNth { every, .. } => Some(*every),
                    _ => None,
                });
                if let Some(every) = nth {
                    // xt_statistic nth: the counter (starting at every-1-packet) cycles
                    // 0..=every-1; the packet that wraps it to 0 matches.
                    let r = &mut t.chains[ci].rules[ri];
                    let last = every.saturating_sub(1);
                    r.nth_count = if r.nth_count >= last {
                        0
                    } else {
                        r.nth_count + 1
                    };
                    hit = r.nth_count == 0;
                }
            }
            if !hit {
                ri += 1;
                continue;
            }
            {
                let r = &mut t.chains[ci].rules[ri];
                r.pkts += 1;
                r.bytes += pi.len;
            }
            let (chain, rule) = (&t.chains[ci], &t.chains[ci].rules[ri]);
            if !matches!(rule.target, Target::None | Target::Mark { .. }) {
                self.trace(ns, || format!("nf {} {}", tname, rule.save(&chain.name)));
            }
            let goto = rule.goto;
            if let Target::Chain(name) = &rule.target {
                // ipt_do_table follows a jump by the offset translate_table resolved when the
                // rules were loaded; here the rule keeps the index it found last time (checked
                // by name, so a chain added or deleted since costs one search, not a wrong
                // jump), instead of a search by name over all chains per jump.
                let hint = rule.jump.get();
                let next = if t.chains.get(hint).is_some_and(|c| c.name == *name) {
                    Some(hint)
                } else {
                    t.chains.iter().position(|c| c.name == *name)
                };
                match next {
                    Some(next) => {
                        t.chains[ci].rules[ri].jump.set(next);
                        if !goto {
                            stack.push((ci, ri + 1));
                        }
                        ci = next;
                        ri = 0;
                    }
                    None => ri += 1,
                }
                continue;
            }
            // Only the target is copied (a NAT range, a LOG prefix), and only on a hit.
            let target = rule.target.clone();
            match &target {
                Target::None => ri += 1,
                Target::Accept => break TableVerdict::Accept,
                Target::Drop => break TableVerdict::Drop,
                Target::Reject(w) => break TableVerdict::Reject(*w),
                Target::Dnat(_) | Target::Snat(_) | Target::Masquerade(_) => {
                    break TableVerdict::Nat(target)
                }
                Target::Mark { value, mask } => {
                    skb.mark = (skb.mark & !mask) ^ value;
                    ri += 1;
                }
                Target::Log { prefix, level } => {
                    let line = self.nf_log_line(prefix.as_deref(), skb.data(), &pi);
                    self.trace(ns, || format!("nf LOG <{}>{}", level, line));
                    // nf_log: namespaces other than the initial one log only with
                    // net.netfilter.nf_log_all_netns=1 (a knob of the initial namespace).
                    let all = self
                        .net(crate::kernel::ROOT_NS)
                        .misc_sysctl
                        .nf_log_all_netns;
                    if ns == crate::kernel::ROOT_NS || all {
                        self.printk(line);
                    }
                    ri += 1;
                }
                Target::Return => match stack.pop() {
                    Some((c, r)) => {
                        ci = c;
                        ri = r;
                    }
                    None => {
                        break chain_policy(&mut t.chains[start], pi.len);
                    }
                },
                Target::Chain(_) => unreachable!("jumps are followed above"),
            }
        };
        let nf = &mut self.net_mut(ns).nf;
        nf.tables[ti] = t;
        nf.jumpstack = stack;
        verdict
    }

    /// The LOG target's line (`nf_log_ip_packet` / `dump_ipv4_packet`).
    fn nf_log_line(&self, prefix: Option<&str>, pkt: &[u8], pi: &PktInfo) -> String {
        let mut s = format!(
            "{}IN={} OUT={} ",
            prefix.unwrap_or(""),
            self.nf_dev_name(pi.iif).unwrap_or(""),
            self.nf_dev_name(pi.oif).unwrap_or("")
        );
        if let Ok((ip, hl)) = Ipv4Repr::parse(pkt) {
            s += &format!(
                "SRC={} DST={} LEN={} TOS=0x{:02X} PREC=0x{:02X} TTL={} ID={} ",
                ip.src,
                ip.dst,
                ip.total_len,
                ip.tos & 0x1e,
                ip.tos & 0xe0,
                ip.ttl,
                ip.id
            );
            if ip.df() {
                s += "DF ";
            }
            let l4 = &pkt[hl..];
            match ip.proto {
                IPPROTO_TCP if l4.len() >= 20 => {
                    s += &format!(
                        "PROTO=TCP SPT={} DPT={} WINDOW={} RES=0x{:02x} ",
                        u16::from_be_bytes([l4[0], l4[1]]),
                        u16::from_be_bytes([l4[2], l4[3]]),
                        u16::from_be_bytes([l4[14], l4[15]]),
                        (l4[12] & 0x0f) << 2
                    );
                    for (bit, name) in [
                        (0x80, "CWR"),
                        (0x40, "ECE"),
                        (0x20, "URG"),
                        (0x10, "ACK"),
                        (0x08, "PSH"),
                        (0x04, "RST"),
                        (0x02, "SYN"),
                        (0x01, "FIN"),
                    ] {
                        if l4[13] & bit != 0 {
                            s += name;
                            s.push(' ');
                        }
                    }
                    s += &format!("URGP={} ", u16::from_be_bytes([l4[18], l4[19]]));
                }
                IPPROTO_UDP if l4.len() >= 8 => {
                    s += &format!(
                        "PROTO=UDP SPT={} DPT={} LEN={} ",
                        u16::from_be_bytes([l4[0], l4[1]]),
                        u16::from_be_bytes([l4[2], l4[3]]),
                        u16::from_be_bytes([l4[4], l4[5]])
                    );
                }
                IPPROTO_ICMP if l4.len() >= 8 => {
                    s += &format!("PROTO=ICMP TYPE={} CODE={} ", l4[0], l4[1]);
                    if matches!(l4[0], 0 | 8) {
                        s += &format!(
                            "ID={} SEQ={} ",
                            u16::from_be_bytes([l4[4], l4[5]]),
                            u16::from_be_bytes([l4[6], l4[7]])
                        );
                    }
                }
                p => s += &format!("PROTO={} ", p),
            }
        }
        s
    }

    // ------------------------------------------------------------ conntrack

    /// `nf_conntrack_in`: finds or creates the packet's connection and updates its state.
    fn nf_conntrack_in(&mut self, ns: NsId, skb: &mut SkBuff) {
        let now = self.now;
        let pkt = skb.data();
        let Some(t) = Tuple::of_packet(pkt, false) else {
            return;
        };
        // ICMP errors belong to the connection of the packet they quote (RELATED).
        if t.proto == IPPROTO_ICMP && icmp_is_error((t.dport >> 8) as u8) {
            let hl = (pkt[0] & 0x0f) as usize * 4;
            let inner = pkt
                .get(hl + 8..)
                .and_then(|q| Tuple::of_packet(q, true))
                .and_then(|q| q.invert());
            let found = inner.and_then(|q| self.net(ns).nf.ct.find(&q));
            if let Some((id, dir)) = found {
                let info = if dir == Dir::Reply {
                    CtInfo::RelatedReply
                } else {
                    CtInfo::Related
                };
                self.trace(ns, || format!("conntrack: related to #{}", id));
                *skb.nfct_mut() = Some((CtRef::Confirmed(id), info));
            }
            return;
        }
        let mut found = self.net(ns).nf.ct.find(&t);
        if let Some((id, _)) = found {
            if self
                .net(ns)
                .nf
                .ct
                .conns
                .get(&id)
                .is_some_and(|c| c.timeout <= now)
            {
                self.net_mut(ns).nf.ct.remove(id);
                found = None;
            }
        }
        let tcp_flags = if t.proto == IPPROTO_TCP {
            let hl = (pkt[0] & 0x0f) as usize * 4;
            pkt.get(hl + 13).copied().unwrap_or(0)
        } else {
            0
        };
        let (mut conn, dir, confirmed) = match found {
            Some((id, dir)) => {
                let c = self.net(ns).nf.ct.conns[&id].clone();
                (c, dir, true)
            }
            None => {
                let Some(reply) = t.invert() else {
                    return; // an ICMP type that cannot start a connection: untracked
                };
                if t.proto == IPPROTO_ICMP && !matches!((t.dport >> 8) as u8, 8 | 13 | 15 | 17) {
                    return;
                }
                let tcp = if t.proto == IPPROTO_TCP {
                    match tcp_next(TcpState::None, Dir::Orig, tcp_flags) {
                        Some(s) => s,
                        None => return, // INVALID: no conntrack
                    }
                } else {
                    TcpState::None
                };
                let ct = &mut self.net_mut(ns).nf.ct;
                ct.next_id += 1;
                let c = Conn {
                    id: ct.next_id,
                    orig: t,
                    reply,
                    status: 0,
                    tcp,
                    timeout: now,
                    mark: 0,
                    stream_ts: now + Duration::from_secs(2),
                };
                self.trace(ns, || format!("conntrack: new #{}", c.id));
                (c, Dir::Orig, false)
            }
        };
        let info = match dir {
            Dir::Reply => CtInfo::EstablishedReply,
            Dir::Orig if conn.status & IPS_SEEN_REPLY != 0 => CtInfo::Established,
            Dir::Orig => CtInfo::New,
        };
        if confirmed {
            let id = conn.id;
            self.trace(ns, || format!("conntrack: #{} {:?}", id, info));
        }
        // The protocol trackers: state and timeout.
        let timeout = match t.proto {
            IPPROTO_TCP => {
                let old = conn.tcp;
                let new = if confirmed {
                    tcp_next(old, dir, tcp_flags).unwrap_or(old)
                } else {
                    old
                };
                if conn.status & IPS_ASSURED == 0
                    && matches!(old, TcpState::SynRecv | TcpState::Established)
                    && new == TcpState::Established
                {
                    conn.status |= IPS_ASSURED;
                }
                conn.tcp = new;
                new.timeout()
            }
            IPPROTO_UDP => {
                if conn.status & IPS_SEEN_REPLY != 0 {
                    if now > conn.stream_ts {
                        conn.status |= IPS_ASSURED;
                        Duration::from_secs(120)
                    } else {
                        Duration::from_secs(30)
                    }
                } else {
                    Duration::from_secs(30)
                }
            }
            IPPROTO_ICMP => Duration::from_secs(30),
            _ => Duration::from_secs(600),
        };
        conn.timeout = now + timeout;
        if dir == Dir::Reply {
            conn.status |= IPS_SEEN_REPLY;
        }
        let r = if confirmed {
            let id = conn.id;
            self.net_mut(ns).nf.ct.conns.insert(id, conn);
            CtRef::Confirmed(id)
        } else {
            CtRef::Unconfirmed(Box::new(conn))
        };
        *skb.nfct_mut() = Some((r, info));
    }

    /// `__nf_conntrack_confirm`: a new connection enters the table when its first packet leaves
    /// (INPUT or POSTROUTING).
    fn nf_conntrack_confirm(&mut self, ns: NsId, skb: &mut SkBuff) {
        if !matches!(skb.nfct(), Some((CtRef::Unconfirmed(_), i)) if i.dir() == Dir::Orig) {
            return; // only the original direction confirms
        }
        let Some((CtRef::Unconfirmed(c), info)) = skb.nfct_mut().take() else {
            return;
        };
        let mut c = *c;
        let id = c.id;
        c.status |= IPS_CONFIRMED;
        *skb.nfct_mut() = Some((CtRef::Confirmed(id), info));
        let now = self.now;
        let ct = &mut self.net_mut(ns).nf.ct;
        if ct.find(&c.orig).is_some() || ct.find(&c.reply).is_some() {
            return; // a clash: the kernel drops the packet; the first entry wins here
        }
        ct.insert(c);
        // gc_worker: a table that has grown past what labs hold is swept of expired entries
        // (amortized: at each doubling), so many short flows do not grow memory for the
        // length of a run.
        if ct.conns.len() >= CT_GC_MIN && ct.conns.len() >= 2 * ct.gc_size {
            ct.gc(now);
            ct.gc_size = ct.conns.len();
        }
    }

    fn nf_conn<F: FnOnce(&mut Conn) -> R, R>(
        &mut self,
        ns: NsId,
        nfct: &mut Option<(CtRef, CtInfo)>,
        f: F,
    ) -> Option<R> {
        match nfct {
            Some((CtRef::Unconfirmed(c), _)) => Some(f(c)),
            Some((CtRef::Confirmed(id), _)) => {
                let id = *id;
                let c = self.net_mut(ns).nf.ct.conns.get_mut(&id)?;
                Some(f(c))
            }
            None => None,
        }
    }

    // ------------------------------------------------------------ NAT

    /// Whether `t` is the reply of another connection (`nf_nat_used_tuple`).
    fn nf_nat_used_tuple(&self, ns: NsId, t: &Tuple, me: u64) -> bool {
        t.invert()
            .and_then(|r| self.net(ns).nf.ct.find(&r))
            .is_some_and(|(id, _)| id != me)
    }

    /// `get_unique_tuple` + `nf_nat_l4proto_unique_tuple`.
    fn nf_nat_unique_tuple(
        &mut self,
        ns: NsId,
        orig: Tuple,
        range: &NatRange,
        manip: Manip,
        me: u64,
    ) -> Tuple {
        let mut t = orig;
        let random_all = range.random || range.random_fully;
        let in_ip_range = |ip: Ipv4Addr| match (range.min_ip, range.max_ip) {
            (Some(lo), Some(hi)) => lo <= ip && ip <= hi,
            (Some(lo), None) => ip == lo,
            _ => true,
        };
        let has_ports = matches!(t.proto, IPPROTO_TCP | IPPROTO_UDP);
        let key = |t: &Tuple| match manip {
            Manip::Src => t.sport,
            Manip::Dst => t.dport,
        };
        let in_port_range = |p: u16| {
            range
                .ports
                .is_none_or(|(lo, hi)| !has_ports || (lo <= p && p <= hi))
        };
        if manip == Manip::Src && !random_all {
            let ip = t.src;
            if in_ip_range(ip) && in_port_range(key(&t)) && !self.nf_nat_used_tuple(ns, &t, me) {
                return t;
            }
        }
        // The address: the only one, or one chosen by a hash of the tuple.
        if let Some(lo) = range.min_ip {
            let hi = range.max_ip.unwrap_or(lo);
            let n = u32::from(hi).saturating_sub(u32::from(lo)) + 1;
            let h = u32::from(orig.src) ^ u32::from(orig.dst).rotate_left(7);
            let ip = Ipv4Addr::from(u32::from(lo) + h % n);
            match manip {
                Manip::Src => t.src = ip,
                Manip::Dst => t.dst = ip,
            }
        }
        if !random_all {
            if let (Some((lo, hi)), true) = (range.ports, has_ports) {
                if lo <= key(&t)
                    && key(&t) <= hi
                    && (lo == hi || !self.nf_nat_used_tuple(ns, &t, me))
                {
                    return t;
                }
            } else if !self.nf_nat_used_tuple(ns, &t, me) {
                return t;
            }
        }
        // Last chance: map the port (ICMP: the id) into the range.
        let (min, size): (u32, u32) = if t.proto == IPPROTO_ICMP {
            (0, 65536)
        } else if !has_ports {
            return t;
        } else if let Some((lo, hi)) = range.ports {
            let (lo, hi) = (lo.min(hi), lo.max(hi));
            (lo as u32, (hi - lo) as u32 + 1)
        } else {
            if manip == Manip::Dst {
                return t;
            }
            let p = key(&t);
            if p < 512 {
                (1, 511)
            } else if p < 1024 {
                (600, 424)
            } else {
                (1024, 64512)
            }
        };
        let mut off: u32 = if random_all || manip != Manip::Dst {
            (self.rng.next_u64() & 0xffff) as u32
        } else {
            0
        };
        let attempts = size.min(128);
        for _ in 0..attempts {
            let v = (min + off % size) as u16;
            if t.proto == IPPROTO_ICMP {
                t.sport = v;
            } else {
                match manip {
                    Manip::Src => t.sport = v,
                    Manip::Dst => t.dport = v,
                }
            }
            if !self.nf_nat_used_tuple(ns, &t, me) {
                return t;
            }
            off = off.wrapping_add(1);
        }
        t
    }

    /// `nf_nat_setup_info`: binds the connection's `manip` side to `range` (an empty range is
    /// the null binding).
    fn nf_nat_setup_info(
        &mut self,
        ns: NsId,
        nfct: &mut Option<(CtRef, CtInfo)>,
        range: &NatRange,
        manip: Manip,
    ) {
        let Some((me, reply)) = self.nf_conn(ns, nfct, |c| (c.id, c.reply)) else {
            return;
        };
        let Some(curr) = reply.invert() else { return };
        let new = self.nf_nat_unique_tuple(ns, curr, range, manip, me);
        let changed = new != curr;
        let (done, bit) = match manip {
            Manip::Src => (IPS_SRC_NAT_DONE, IPS_SRC_NAT),
            Manip::Dst => (IPS_DST_NAT_DONE, IPS_DST_NAT),
        };
        self.nf_conn(ns, nfct, |c| {
            if changed {
                if let Some(r) = new.invert() {
                    c.reply = r;
                }
                c.status |= bit;
            }
            c.status |= done;
        });
        if changed {
            // The side of the tuple this manip rewrites, before and after.
            let (what, (a, p), (b, q)) = if manip == Manip::Src {
                ("SNAT", (curr.src, curr.sport), (new.src, new.sport))
            } else {
                ("DNAT", (curr.dst, curr.dport), (new.dst, new.dport))
            };
            self.trace(ns, || format!("nat: {what} {a}:{p} -> {b}:{q}"));
        }
    }

    /// `nf_nat_inet_fn` for one NAT hook.
    fn nf_nat_fn(
        &mut self,
        ns: NsId,
        hook: NfHook,
        skb: &mut SkBuff,
        indev: Option<DevId>,
        outdev: Option<DevId>,
    ) -> TableVerdict {
        let manip = match hook {
            NfHook::PreRouting | NfHook::LocalOut => Manip::Dst,
            _ => Manip::Src,
        };
        let Some(info) = skb.nfct().map(|c| c.1) else {
            return TableVerdict::Accept;
        };
        if matches!(info, CtInfo::Related | CtInfo::RelatedReply) {
            self.nf_nat_icmp_reply_translation(ns, info, manip, skb);
            return TableVerdict::Accept;
        }
        if info == CtInfo::New {
            let done_bit = match manip {
                Manip::Src => IPS_SRC_NAT_DONE,
                Manip::Dst => IPS_DST_NAT_DONE,
            };
            let done = self
                .nf_conn(ns, skb.nfct_mut(), |c| c.status & done_bit != 0)
                .unwrap_or(true);
            if !done {
                match self.ipt_do_table(ns, "nat", hook, skb, indev, outdev) {
                    TableVerdict::Nat(Target::Dnat(r)) | TableVerdict::Nat(Target::Snat(r)) => {
                        self.nf_nat_setup_info(ns, skb.nfct_mut(), &r, manip)
                    }
                    TableVerdict::Nat(Target::Masquerade(r)) => {
                        let src = self.nf_masquerade_src(ns, skb.data(), outdev);
                        if src.is_unspecified() {
                            return TableVerdict::Drop;
                        }
                        let range = NatRange {
                            min_ip: Some(src),
                            max_ip: Some(src),
                            ..r
                        };
                        self.nf_nat_setup_info(ns, skb.nfct_mut(), &range, manip)
                    }
                    TableVerdict::Drop => return TableVerdict::Drop,
                    _ => self.nf_nat_setup_info(ns, skb.nfct_mut(), &NatRange::default(), manip),
                }
            }
        }
        self.nf_nat_packet(ns, info, manip, skb);
        TableVerdict::Accept
    }

    /// MASQUERADE's source: `inet_select_addr(out, nexthop, RT_SCOPE_UNIVERSE)`.
    fn nf_masquerade_src(&self, ns: NsId, pkt: &[u8], outdev: Option<DevId>) -> Ipv4Addr {
        let Some(out) = outdev else {
            return Ipv4Addr::UNSPECIFIED;
        };
        let dst = Ipv4Repr::parse(pkt).map_or(Ipv4Addr::UNSPECIFIED, |x| x.0.dst);
        let nh = self
            .net(ns)
            .fib
            .lookup(dst, &|r| r.dev == Some(out))
            .and_then(|r| r.gw)
            .unwrap_or(dst);
        self.inet_select_addr(out, nh, 0)
    }

    /// `nf_nat_packet`: applies the connection's binding for this hook's manip type.
    fn nf_nat_packet(&mut self, ns: NsId, info: CtInfo, manip: Manip, skb: &mut SkBuff) {
        let dir = info.dir();
        let bit = nat_status_bit(manip, dir);
        let Some(Some(target)) = self.nf_conn(ns, skb.nfct_mut(), |c| {
            if c.status & bit == 0 {
                return None;
            }
            let other = match dir {
                Dir::Orig => c.reply,
                Dir::Reply => c.orig,
            };
            other.invert()
        }) else {
            return;
        };
        self.trace(ns, || match manip {
            Manip::Src => format!("nat: source -> {}:{}", target.src, target.sport),
            Manip::Dst => format!("nat: destination -> {}:{}", target.dst, target.dport),
        });
        nf_nat::manip_pkt(skb.data_mut(), 0, &target, manip);
    }

    /// `nf_nat_icmp_reply_translation`: an ICMP error about a NATed connection gets its quoted
    /// packet and its outer address translated.
    fn nf_nat_icmp_reply_translation(
        &mut self,
        ns: NsId,
        info: CtInfo,
        manip: Manip,
        skb: &mut SkBuff,
    ) {
        let dir = info.dir();
        let bit = nat_status_bit(manip, dir);
        let Some(Some(other)) = self.nf_conn(ns, skb.nfct_mut(), |c| {
            (c.status & bit != 0).then_some(match dir {
                Dir::Orig => c.reply,
                Dir::Reply => c.orig,
            })
        }) else {
            return;
        };
        let pkt = skb.data_mut();
        let hl = (pkt[0] & 0x0f) as usize * 4;
        if pkt.len() < hl + 8 + 20 {
            return;
        }
        let inv = match manip {
            Manip::Src => Manip::Dst,
            Manip::Dst => Manip::Src,
        };
        nf_nat::manip_pkt(pkt, hl + 8, &other, inv);
        nf_nat::icmp_fix_checksum(pkt);
        if let Some(mut target) = other.invert().or(Some(Tuple {
            src: other.dst,
            dst: other.src,
            ..other
        })) {
            target.proto = IPPROTO_ICMP;
            target.sport = u16::from_be_bytes([pkt[hl + 4], pkt[hl + 5]]);
            nf_nat::manip_pkt(pkt, 0, &target, manip);
        }
    }

    // ------------------------------------------------------------ hooks

    /// Runs every table and conntrack step registered at `hook` in namespace `ns` on an IPv4
    /// packet (which NAT may rewrite). A dropped packet is accounted here.
    ///
    /// `nf_hook` (`include/linux/netfilter.h`) is inline and calls `nf_hook_slow` only when
    /// the hook has entries: here a namespace with no table has none (no table, no
    /// conntrack either: `ct_enabled` needs the `nat` table or a `ctstate` match), so the
    /// test is the one read of `tables` and the packet's path pays no call. A table that
    /// exists, even empty, goes through `nf_hook_slow` (its policy counters count).
    #[inline]
    pub fn nf_hook(
        &mut self,
        ns: NsId,
        hook: NfHook,
        skb: &mut SkBuff,
        indev: Option<DevId>,
        outdev: Option<DevId>,
    ) -> NfVerdict {
        if self.net(ns).nf.tables.is_empty() {
            return NfVerdict::Accept;
        }
        self.nf_hook_slow(ns, hook, skb, indev, outdev)
    }

    /// `nf_hook_slow`: the tables and conntrack steps registered at `hook`, in the
    /// kernel's priority order.
    #[inline(never)]
    fn nf_hook_slow(
        &mut self,
        ns: NsId,
        hook: NfHook,
        skb: &mut SkBuff,
        indev: Option<DevId>,
        outdev: Option<DevId>,
    ) -> NfVerdict {
        let entry = matches!(hook, NfHook::PreRouting | NfHook::LocalOut);
        if hook == NfHook::PreRouting && skb.nf_bridge().is_some_and(|nb| nb.in_prerouting_done) {
            // ip_sabotage_in: the bridge already ran PREROUTING for this frame.
            return NfVerdict::Accept;
        }
        // A locally generated packet that already has a connection (an ICMP error attached
        // to the packet it is about, `nf_ct_attach`) is not looked up again (nf_conntrack_in:
        // "previously seen").
        let attached = hook == NfHook::LocalOut && skb.nfct().is_some();
        let ct_on = self.net(ns).nf.ct_enabled();
        let has = |k: &Kernel, t: &str| k.net(ns).nf.table(t).is_some();
        let mut v = TableVerdict::Accept;
        if entry && has(self, "raw") {
            v = self.ipt_do_table(ns, "raw", hook, skb, indev, outdev);
        }
        if matches!(v, TableVerdict::Accept) && entry && ct_on && !attached {
            self.nf_conntrack_in(ns, skb);
        }
        if matches!(v, TableVerdict::Accept) && has(self, "mangle") {
            v = self.ipt_do_table(ns, "mangle", hook, skb, indev, outdev);
        }
        if matches!(v, TableVerdict::Accept) && entry && has(self, "nat") {
            v = self.nf_nat_fn(ns, hook, skb, indev, outdev);
        }
        if matches!(v, TableVerdict::Accept)
            && matches!(hook, NfHook::LocalIn | NfHook::Forward | NfHook::LocalOut)
            && has(self, "filter")
        {
            v = self.ipt_do_table(ns, "filter", hook, skb, indev, outdev);
        }
        if matches!(v, TableVerdict::Accept)
            && matches!(hook, NfHook::LocalIn | NfHook::PostRouting)
            && has(self, "nat")
        {
            v = self.nf_nat_fn(ns, hook, skb, indev, outdev);
        }
        let dev = indev.or(outdev);
        match v {
            TableVerdict::Accept | TableVerdict::Nat(_) => {
                if matches!(hook, NfHook::LocalIn | NfHook::PostRouting) && ct_on {
                    self.nf_conntrack_confirm(ns, skb);
                }
                NfVerdict::Accept
            }
            TableVerdict::Drop => {
                self.kfree_skb_reason(dev, SkbDropReason::NetfilterDrop, "nf_hook_slow");
                NfVerdict::Drop
            }
            TableVerdict::Reject(w) => {
                self.nf_reject(ns, w, skb, indev);
                self.kfree_skb_reason(dev, SkbDropReason::NetfilterDrop, "nf_hook_slow");
                NfVerdict::Drop
            }
        }
    }

    /// The REJECT target: an ICMP destination-unreachable (`nf_send_unreach`) or a TCP reset
    /// (`nf_send_reset`).
    fn nf_reject(&mut self, ns: NsId, w: RejectWith, skb: &SkBuff, indev: Option<DevId>) {
        let pkt = skb.data();
        let Ok((ip, hl)) = Ipv4Repr::parse(pkt) else {
            return;
        };
        if w == RejectWith::TcpReset && ip.proto == IPPROTO_TCP && pkt.len() >= hl + 20 {
            let th = &pkt[hl..];
            let flags = th[13];
            if flags & 0x04 != 0 || ip.frag & 0x1fff != 0 {
                return;
            }
            let seq = u32::from_be_bytes([th[4], th[5], th[6], th[7]]);
            let ack = u32::from_be_bytes([th[8], th[9], th[10], th[11]]);
            let doff = (th[12] >> 4) as usize * 4;
            let plen = (ip.total_len as usize).saturating_sub(hl + doff) as u32;
            let mut t = vec![0u8; 20];
            t[0..2].copy_from_slice(&th[2..4]);
            t[2..4].copy_from_slice(&th[0..2]);
            if flags & 0x10 != 0 {
                t[4..8].copy_from_slice(&ack.to_be_bytes());
                t[13] = 0x04;
            } else {
                let a = seq
                    .wrapping_add(plen)
                    .wrapping_add((flags & 0x02 != 0) as u32)
                    .wrapping_add((flags & 0x01 != 0) as u32);
                t[8..12].copy_from_slice(&a.to_be_bytes());
                t[13] = 0x14;
            }
            t[12] = 5 << 4;
            let mut ph = Vec::with_capacity(32);
            ph.extend_from_slice(&ip.dst.octets());
            ph.extend_from_slice(&ip.src.octets());
            ph.extend_from_slice(&[0, IPPROTO_TCP, 0, 20]);
            ph.extend_from_slice(&t);
            let c = checksum(&ph);
            t[16..18].copy_from_slice(&c.to_be_bytes());
            let rst = Ipv4Repr {
                tos: 0,
                total_len: 0,
                id: 0,
                frag: IP_DF,
                ttl: 64,
                proto: IPPROTO_TCP,
                src: ip.dst,
                dst: ip.src,
                options: vec![],
            };
            self.trace(ns, || "nf REJECT: tcp reset".to_string());
            // From the segment's destination, ours or not (in FORWARD it is not).
            let _ = self.ip_send_anysrc(ns, rst, t);
            return;
        }
        self.trace(ns, || format!("nf REJECT: icmp code {}", w.icmp_code()));
        self.icmp_send(ns, indev, skb, ICMP_DEST_UNREACH, w.icmp_code(), [0; 4]);
    }

    /// br_netfilter's PREROUTING for an IPv4 frame entering a bridge port
    /// (`br_nf_pre_routing` → `br_nf_pre_routing_finish`). Returns the frame to bridge (its
    /// destination MAC rewritten when DNAT changed the destination), or None when dropped or
    /// handed to the bridge's neighbour output.
    pub fn br_nf_pre_routing(&mut self, br: DevId, port: DevId, mut skb: SkBuff) -> Option<SkBuff> {
        let ns = self.dev(br).ns;
        // Without any table nothing is hooked: skip (also br_validate_ipv4's checks).
        if !self.br_nf_hooked(ns) || skb.len() < ETH_HLEN + 20 {
            return Some(skb);
        }
        let frame = skb.data();
        if u16::from_be_bytes([frame[12], frame[13]]) != ETH_P_IP {
            return Some(skb);
        }
        let src: Mac = frame[6..12].try_into().expect("6 bytes");
        let eth: [u8; ETH_HLEN] = frame[..ETH_HLEN].try_into().expect("14 bytes");
        // The hook sees the IP packet (the Ethernet header stays in the headroom).
        skb.pull(ETH_HLEN);
        let Ok((ip, hl)) = Ipv4Repr::parse(skb.data()) else {
            self.kfree_skb_reason(Some(br), SkbDropReason::IpInhdr, "br_validate_ipv4");
            return None;
        };
        skb.trim(ip.total_len as usize);
        skb.frag_max_size = 0;
        // nf_defrag_ipv4 at the IPv4 PREROUTING hook br_netfilter runs (skb->dev is the
        // bridge by then, setup_pre_routing): with conntrack in the namespace the fragments
        // are stolen until the packet is whole, which is then bridged (and seen by the
        // bridge's own stack) whole; br_nf_dev_queue_xmit fragments it again on the way out.
        let ip = if ip.frag & (IP_MF | 0x1fff) != 0 && self.net(ns).nf.ct_enabled() {
            let (whole, max) = self.ip_defrag_max(br, skb.data(), &ip, hl)?;
            let mut buf = eth.to_vec();
            buf.extend_from_slice(&whole);
            skb.set_data_headroom(buf, ETH_HLEN);
            skb.frag_max_size = max;
            match Ipv4Repr::parse(skb.data()) {
                Ok((x, _)) => x,
                Err(r) => {
                    self.kfree_skb_reason(Some(br), r, "nf_ct_ipv4_gather_frags");
                    return None;
                }
            }
        } else {
            ip
        };
        skb.set_nf_bridge(NfBridgeInfo {
            physindev: port,
            in_prerouting_done: false,
            bridged_dnat: false,
            src,
        });
        if self
            .nf_hook(ns, NfHook::PreRouting, &mut skb, Some(br), None)
            .dropped()
        {
            return None;
        }
        if let Some(nb) = skb.nf_bridge_mut() {
            nb.in_prerouting_done = true;
        }
        let new_dst = Ipv4Repr::parse(skb.data()).map_or(ip.dst, |x| x.0.dst);
        let mut new_mac = None;
        if new_dst != ip.dst {
            // br_nf_pre_routing_finish: re-route the DNATed packet.
            let r = self.net(ns).fib.lookup(new_dst, &|_| true).cloned();
            match r {
                Some(r) if r.dev == Some(br) && r.rtype == RtnType::Unicast => {
                    // Bridged DNAT (br_nf_pre_routing_finish_bridge): the frame stays bridged,
                    // addressed to the new neighbour: directly when it is connected, else
                    // through the bridge's neighbour output (seen leaving the bridge device,
                    // resolving it if needed) and back into bridging in br_dev_xmit.
                    let nh = r.gw.unwrap_or(new_dst);
                    let connected = crate::net::neigh::NUD_CONNECTED;
                    if let Some(nb) = skb.nf_bridge_mut() {
                        nb.in_prerouting_done = false;
                    }
                    match self.net(ns).neigh.entries.get(&(br, nh)) {
                        Some(n) if n.state & connected != 0 => new_mac = Some(n.lladdr),
                        _ => {
                            self.trace(ns, || {
                                format!(
                                    "br_netfilter: bridged DNAT to {} via neighbour output",
                                    new_dst
                                )
                            });
                            if let Some(nb) = skb.nf_bridge_mut() {
                                nb.bridged_dnat = true;
                            }
                            self.neigh_output(br, nh, skb);
                            return None;
                        }
                    }
                }
                _ => {
                    // Routed (or local): up the bridge device's own stack.
                    new_mac = Some(self.dev(br).mac);
                }
            }
            self.trace(ns, || format!("br_netfilter: DNAT to {}", new_dst));
        }
        // The Ethernet header back in front (it was kept in the headroom).
        let h = skb.push(ETH_HLEN);
        if let Some(m) = new_mac {
            h[0..6].copy_from_slice(&m);
        }
        Some(skb)
    }

    /// br_netfilter's FORWARD and POSTROUTING for a bridged IPv4 frame leaving by a port
    /// (`br_nf_forward_ip`, `br_nf_post_routing`); the hooks see the bridge as in/out device.
    /// False when the frame was dropped.
    pub fn br_nf_forward(&mut self, br: DevId, skb: &mut SkBuff) -> bool {
        let ns = self.dev(br).ns;
        if !self.br_nf_hooked(ns)
            || skb.len() < ETH_HLEN + 20
            || u16::from_be_bytes([skb.data()[12], skb.data()[13]]) != ETH_P_IP
            || skb.nf_bridge().is_none()
        {
            return true;
        }
        skb.pull(ETH_HLEN);
        if self
            .nf_hook(ns, NfHook::Forward, skb, Some(br), Some(br))
            .dropped()
            || self
                .nf_hook(ns, NfHook::PostRouting, skb, None, Some(br))
                .dropped()
        {
            return false;
        }
        skb.push(ETH_HLEN);
        true
    }

    /// `br_nf_dev_queue_xmit`: a bridged frame leaves by `port`. A packet nf_defrag_ipv4
    /// reassembled in br_nf_pre_routing (`frag_max_size` set) goes out in fragments no larger
    /// than its largest one was (and the port's MTU), each behind the frame's Ethernet header
    /// (br_nf_ip_fragment, br_nf_push_frag_xmit); one whose largest fragment does not fit the
    /// port is dropped. Every other frame goes to `dev_queue_xmit` as it is.
    #[inline]
    pub fn br_nf_dev_queue_xmit(&mut self, port: DevId, skb: SkBuff) {
        // The common case inline: a frame nf_defrag_ipv4 did not reassemble.
        if skb.frag_max_size == 0 {
            self.dev_queue_xmit(port, skb);
            return;
        }
        self.br_nf_ip_fragment(port, skb);
    }

    /// The rest of [`Kernel::br_nf_dev_queue_xmit`], for a frame with `frag_max_size` set
    /// (`br_nf_ip_fragment`).
    #[inline(never)]
    fn br_nf_ip_fragment(&mut self, port: DevId, skb: SkBuff) {
        let max = usize::from(skb.frag_max_size);
        if skb.nf_bridge().is_none()
            || skb.len() < ETH_HLEN + 20
            || u16::from_be_bytes([skb.data()[12], skb.data()[13]]) != ETH_P_IP
        {
            self.dev_queue_xmit(port, skb);
            return;
        }
        let dev_mtu = self.dev(port).mtu as usize;
        let mtu = max.min(dev_mtu);
        if skb.len() - ETH_HLEN <= mtu {
            self.dev_queue_xmit(port, skb);
            return;
        }
        let frags = if max > dev_mtu {
            None
        } else {
            crate::net::ip_output::ip_fragment(&skb.data()[ETH_HLEN..], mtu)
        };
        let Some(frags) = frags else {
            return self.kfree_skb_reason(
                Some(port),
                SkbDropReason::PktTooBig,
                "br_nf_ip_fragment",
            );
        };
        let eth = skb.data()[..ETH_HLEN].to_vec();
        for f in frags {
            let mut b = eth.clone();
            b.extend_from_slice(&f);
            let _ = self.dev_queue_xmit(port, skb.copy_metadata(b));
        }
    }

    /// Whether br_netfilter's IPv4 hooks (`br_nf_pre_routing`, `br_nf_forward_ip`,
    /// `br_nf_post_routing`) have anything to do for a bridge in `ns`: the namespace has
    /// iptables tables (without one no IPv4 hook is registered, and the bridged frame passes
    /// unchanged) and `bridge-nf-call-iptables` is on (else the hooks return `NF_ACCEPT` at
    /// once). The bridge reads this once a frame (as a flood does once for all its copies) and
    /// calls the hooks only when it holds; both hooks test it first too.
    #[inline]
    pub fn br_nf_hooked(&self, ns: NsId) -> bool {
        !self.net(ns).nf.tables.is_empty() && self.br_nf_call_iptables(ns)
    }

    /// `net.bridge.bridge-nf-call-iptables` of the namespace (1 by default).
    pub fn br_nf_call_iptables(&self, ns: NsId) -> bool {
        self.net(ns).misc_sysctl.br_nf_call_iptables
    }

    /// `ip_route_me_harder` after OUTPUT changed the destination: the new route's device and
    /// next hop.
    pub fn nf_reroute(&self, ns: NsId, pkt: &[u8]) -> Option<(DevId, Ipv4Addr)> {
        let (ip, _) = Ipv4Repr::parse(pkt).ok()?;
        let src = if self.inet_addr_is_local(ns, ip.src) {
            ip.src
        } else {
            Ipv4Addr::UNSPECIFIED
        };
        let rt = self.ip_route_output(ns, ip.dst, src, None).ok()?;
        Some((rt.dev, rt.gw.unwrap_or(ip.dst)))
    }
}

/// `conntrack -L` lines of a namespace (expired entries gone).
pub fn conntrack_list(k: &mut Kernel, ns: NsId) -> Vec<String> {
    let now = k.now;
    let ct = &mut k.net_mut(ns).nf.ct;
    ct.gc(now);
    ct.conns
        .values()
        .rev()
        .map(|c| conntrack_line(c, now))
        .collect()
}

/// A test packet: IPv4 header (TOS 0, ID 1, TTL 64, no options) in front of `l4`.
#[cfg(test)]
pub(crate) fn test_ipv4(proto: u8, src: Ipv4Addr, dst: Ipv4Addr, l4: &[u8]) -> Vec<u8> {
    Ipv4Repr {
        tos: 0,
        total_len: 0,
        id: 1,
        frag: 0,
        ttl: 64,
        proto,
        src,
        dst,
        options: vec![],
    }
    .emit(l4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::{self, Exec};

    fn sh(k: &mut Kernel, ns: NsId, line: &str) {
        let argv: Vec<String> = line.split(' ').map(String::from).collect();
        match tools::run(k, ns, &argv) {
            Exec::Done(o) => assert_eq!(o.status, 0, "{line}: {}", o.stderr),
            _ => panic!("{line}"),
        }
    }

    fn udp(src: [u8; 4], sport: u16, dst: [u8; 4], dport: u16) -> Vec<u8> {
        let mut l4 = Vec::new();
        l4.extend_from_slice(&sport.to_be_bytes());
        l4.extend_from_slice(&dport.to_be_bytes());
        l4.extend_from_slice(&[0, 8, 0, 0]);
        test_ipv4(IPPROTO_UDP, Ipv4Addr::from(src), Ipv4Addr::from(dst), &l4)
    }

    fn addrs(p: &[u8]) -> (Ipv4Addr, u16, Ipv4Addr, u16) {
        let (ip, hl) = Ipv4Repr::parse(p).expect("valid header checksum");
        (
            ip.src,
            u16::from_be_bytes([p[hl], p[hl + 1]]),
            ip.dst,
            u16::from_be_bytes([p[hl + 2], p[hl + 3]]),
        )
    }

    /// Two hosts behind MASQUERADE with the same source port: the second binding gets another
    /// port (nf_nat_l4proto_unique_tuple), and replies find their way back to each.
    #[test]
    fn masquerade_resolves_a_source_port_clash() {
        let mut k = Kernel::new(1);
        let ns = k.netns_add("r");
        sh(&mut k, ns, "ip link add out type dummy");
        sh(&mut k, ns, "ip addr add 1.1.1.1/24 dev out");
        sh(&mut k, ns, "ip link set out up");
        sh(
            &mut k,
            ns,
            "iptables -t nat -A POSTROUTING -o out -j MASQUERADE",
        );
        let out = k.dev_by_name(ns, "out").unwrap();
        let mut bound = Vec::new();
        for host in [[10, 0, 0, 1], [10, 0, 0, 2]] {
            let mut p = SkBuff::new(udp(host, 5000, [1, 1, 1, 2], 53));
            assert!(!k
                .nf_hook(ns, NfHook::PreRouting, &mut p, None, None)
                .dropped());
            assert!(!k
                .nf_hook(ns, NfHook::Forward, &mut p, None, Some(out))
                .dropped());
            assert!(!k
                .nf_hook(ns, NfHook::PostRouting, &mut p, None, Some(out))
                .dropped());
            let (s, sp, _, _) = addrs(p.data());
            assert_eq!(s, Ipv4Addr::new(1, 1, 1, 1));
            bound.push(sp);
        }
        assert_eq!(bound[0], 5000, "the original port is kept when free");
        assert_ne!(bound[1], 5000, "a clash takes another port");
        assert!(bound[1] >= 1024);
        // The reply to the second binding goes back to 10.0.0.2:5000.
        let mut r = SkBuff::new(udp([1, 1, 1, 2], 53, [1, 1, 1, 1], bound[1]));
        assert!(!k
            .nf_hook(ns, NfHook::PreRouting, &mut r, Some(out), None)
            .dropped());
        assert_eq!(addrs(r.data()).2, Ipv4Addr::new(10, 0, 0, 2));
        assert_eq!(addrs(r.data()).3, 5000);
        let lines = conntrack_list(&mut k, ns);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].starts_with("udp      17 30 src=10.0.0.2 dst=1.1.1.2 sport=5000 dport=53 src=1.1.1.2 dst=1.1.1.1 sport=53 dport="),
            "{}",
            lines[0]
        );
    }
}

#[cfg(test)]
mod nth_tests {
    use super::*;
    use crate::tools::{self, Exec};

    /// `-m statistic --mode nth --every 3 --packet 1` matches the 2nd, 5th, 8th... packet (the
    /// kernel's counter starts at every-1-packet and the packet that wraps it matches).
    #[test]
    fn nth_matches_as_the_kernel_counts() {
        let mut k = Kernel::new(1);
        let ns = k.netns_add("n");
        let argv: Vec<String> =
            "iptables -A OUTPUT -m statistic --mode nth --every 3 --packet 1 -j ACCEPT"
                .split(' ')
                .map(String::from)
                .collect();
        assert!(matches!(tools::run(&mut k, ns, &argv), Exec::Done(o) if o.status == 0));
        let pkt = test_ipv4(
            IPPROTO_ICMP,
            Ipv4Addr::new(10, 0, 0, 1),
            Ipv4Addr::new(10, 0, 0, 2),
            &[8, 0, 0, 0, 0, 1, 0, 1],
        );
        let mut hits = Vec::new();
        for _ in 0..6 {
            let mut p = SkBuff::new(pkt.clone());
            let before = k.net(ns).nf.table("filter").unwrap().chains[2].rules[0].pkts;
            k.nf_hook(ns, NfHook::LocalOut, &mut p, None, None);
            let after = k.net(ns).nf.table("filter").unwrap().chains[2].rules[0].pkts;
            hits.push(after > before);
        }
        assert_eq!(hits, [false, true, false, false, true, false]);
    }
}

/// The status bit that says a connection's packets in direction `dir` get `manip` (`nf_nat_packet`:
/// `statusbit = IPS_SRC_NAT or IPS_DST_NAT`, inverted for replies).
fn nat_status_bit(manip: Manip, dir: Dir) -> u32 {
    let bit = match manip {
        Manip::Src => IPS_SRC_NAT,
        Manip::Dst => IPS_DST_NAT,
    };
    if dir == Dir::Reply {
        bit ^ IPS_NAT_MASK
    } else {
        bit
    }
}

/// Entries a conntrack table holds before insertion starts sweeping expired ones.
const CT_GC_MIN: usize = 4096;

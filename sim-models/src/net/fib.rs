//! The IPv4 FIB: tables of routes keyed by `(prefix, length)`, longest-prefix match, reached
//! through the namespace's policy routing rules (`net/fib_rules.rs`; by default local table
//! 255, then main 254, then default 253). Until a rule is added the local table shares main's
//! trie, as in the kernel (`fib_new_table`, `fib_unmerge`): see [`Fib::fib_table_lookup`].
//!
//! # Differences from Linux
//! No LC-trie: each table is an ordered map (`SmallMap`, `small_map.rs`) of `(prefix, length)`
//! keys plus a bitmap of the prefix lengths it holds, and a lookup probes only those lengths,
//! longest first (a namespace's tables hold a handful of lengths: /32 local and broadcast
//! routes, the connected subnets, /0), so the cost is a few map probes whatever the number of
//! routes. The result is the LC-trie's:
//! the longest matching prefix, then the first usable alias in metric order.
//!
//! A route is a `fib_alias` with its `fib_info` folded in. Its first nexthop (`fib_nh[0]`) is
//! kept inline (`gw`, `dev`, `onlink`, `nh_scope`), so a single-path route costs no
//! allocation and a lookup reads it directly; a multipath route (`fib_nhs > 1`) also carries
//! the whole list in `nhs` (`Vec<FibNh>`, empty for a single path), where `nhs[0]` mirrors the
//! inline nexthop. A nexthop object (`nhid`) could later fill `nhs` the same way.
//! `fib_select_multipath` picks among `nhs` by the flow's hash (`fib_multipath_hash`, policy 0:
//! addresses, 1: addresses, protocol and ports); the kernel seeds that hash randomly at boot,
//! here it is a fixed function, so which nexthop a given flow takes may differ from a kernel
//! run (the set and weights are the kernel's).

use crate::kernel::DevId;
use crate::net::fib_rules::{FibRules, Flowi4, FrAction, RuleErr};
use crate::small_map::SmallMap;
use std::net::Ipv4Addr;

pub const RT_TABLE_DEFAULT: u32 = 253;
pub const RT_TABLE_MAIN: u32 = 254;
pub const RT_TABLE_LOCAL: u32 = 255;

pub const RT_SCOPE_UNIVERSE: u8 = 0;
pub const RT_SCOPE_LINK: u8 = 253;
pub const RT_SCOPE_HOST: u8 = 254;
pub const RT_SCOPE_NOWHERE: u8 = 255;

pub const RTPROT_KERNEL: u8 = 2;
pub const RTPROT_BOOT: u8 = 3;
pub const RTPROT_STATIC: u8 = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RtnType {
    Unicast,
    Local,
    Broadcast,
    Unreachable,
    Blackhole,
    Prohibit,
    Throw,
}

impl RtnType {
    pub fn name(self) -> &'static str {
        match self {
            RtnType::Unicast => "unicast",
            RtnType::Local => "local",
            RtnType::Broadcast => "broadcast",
            RtnType::Unreachable => "unreachable",
            RtnType::Blackhole => "blackhole",
            RtnType::Prohibit => "prohibit",
            RtnType::Throw => "throw",
        }
    }
    pub fn parse(s: &str) -> Option<RtnType> {
        Some(match s {
            "unicast" => RtnType::Unicast,
            "local" => RtnType::Local,
            "broadcast" => RtnType::Broadcast,
            "unreachable" => RtnType::Unreachable,
            "blackhole" => RtnType::Blackhole,
            "prohibit" => RtnType::Prohibit,
            "throw" => RtnType::Throw,
            _ => return None,
        })
    }
}

/// `RTNH_F_*` nexthop flags.
pub const RTNH_F_DEAD: u8 = 0x01;
pub const RTNH_F_ONLINK: u8 = 0x04;
pub const RTNH_F_LINKDOWN: u8 = 0x10;

/// One nexthop of a multipath route (`struct fib_nh`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FibNh {
    pub gw: Option<Ipv4Addr>,
    pub dev: Option<DevId>,
    /// `fib_nh_weight` (`rtnh_hops + 1`, 1..=256).
    pub weight: u32,
    /// `fib_nh_flags`: `RTNH_F_ONLINK`, and `RTNH_F_DEAD` once its device went down
    /// (`fib_sync_down_dev`; `fib_sync_up` clears it). `RTNH_F_LINKDOWN` is not stored: it
    /// is the device's carrier, read when it matters.
    pub flags: u8,
    /// `fib_nh_scope`.
    pub scope: u8,
}

impl FibNh {
    pub fn alive(&self) -> bool {
        self.flags & RTNH_F_DEAD == 0
    }
}

/// `RTAX_*` route metrics.
pub const RTAX_MTU: u16 = 2;
pub const RTAX_WINDOW: u16 = 3;
pub const RTAX_SSTHRESH: u16 = 6;
pub const RTAX_CWND: u16 = 7;
pub const RTAX_ADVMSS: u16 = 8;
pub const RTAX_REORDERING: u16 = 9;
pub const RTAX_HOPLIMIT: u16 = 10;
pub const RTAX_INITCWND: u16 = 11;
pub const RTAX_INITRWND: u16 = 14;
pub const RTAX_QUICKACK: u16 = 15;
pub const RTAX_CC_ALGO: u16 = 16;

/// A route's metrics (`fib_info.fib_metrics`, from `RTA_METRICS`): values by `RTAX_*` type in
/// type order, the `RTAX_LOCK` bits, and the congestion control's name (`RTAX_CC_ALGO`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FibMetrics {
    pub vals: Vec<(u16, u32)>,
    pub locks: u32,
    pub cc_algo: Option<String>,
}

impl FibMetrics {
    pub fn get(&self, t: u16) -> Option<u32> {
        self.vals.iter().find(|v| v.0 == t).map(|v| v.1)
    }
}

/// One route (a `fib_alias` + its `fib_info`; the first nexthop inline, see the module doc).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub table: u32,
    pub dst: Ipv4Addr,
    pub plen: u8,
    pub rtype: RtnType,
    pub proto: u8,
    pub scope: u8,
    pub prefsrc: Option<Ipv4Addr>,
    pub metric: u32,
    pub gw: Option<Ipv4Addr>,
    pub dev: Option<DevId>,
    pub onlink: bool,
    /// Scope of the nexthop (`fib_nh_scope`), used for source address selection.
    pub nh_scope: u8,
    /// `RTA_NH_ID`: the nexthop object the route uses (net/nexthop.rs); `gw`, `dev`, `onlink`
    /// and `nh_scope` are then a copy of its path.
    pub nhid: Option<u32>,
    /// All nexthops of a multipath route (`fib_info.fib_nh[]`, `fib_nhs > 1`); empty for a
    /// single path.
    pub nhs: Vec<FibNh>,
    /// `RTA_METRICS` (None: no metrics, `dst_default_metrics`).
    pub metrics: Option<Box<FibMetrics>>,
}

impl Route {
    /// Whether a nexthop of the route goes through `d` (for a multipath route, any of them).
    pub fn uses_dev(&self, d: DevId) -> bool {
        self.dev == Some(d) || self.nhs.iter().any(|n| n.dev == Some(d))
    }
    /// Whether an alive nexthop of the route goes out of `d` (`fib_table_lookup`'s
    /// `flowi4_oif` check, nexthop by nexthop).
    pub fn has_oif(&self, d: DevId) -> bool {
        if self.nhs.is_empty() {
            self.dev == Some(d)
        } else {
            self.nhs.iter().any(|n| n.alive() && n.dev == Some(d))
        }
    }
    /// `fib_select_path` for a multipath route: with an output device, the first alive
    /// nexthop through it; else `fib_select_multipath`: the first alive nexthop whose upper
    /// bound (`fib_rebalance`: its share of the alive nexthops' weights of the 31-bit hash
    /// space) is at least the flow's `hash`. Rewrites the inline nexthop with the choice.
    pub fn fib_select_path(&mut self, hash: u32, oif: Option<DevId>) {
        if self.nhs.is_empty() {
            return;
        }
        let pick = match oif {
            Some(d) => self.nhs.iter().position(|n| n.alive() && n.dev == Some(d)),
            None => fib_select_multipath(&self.nhs, hash),
        };
        if let Some(i) = pick {
            let n = &self.nhs[i];
            self.gw = n.gw;
            self.dev = n.dev;
            self.nh_scope = n.scope;
            self.onlink = n.flags & RTNH_F_ONLINK != 0;
        }
    }
}

/// `fib_select_multipath` with `fib_rebalance`'s upper bounds:
/// `DIV_ROUND_CLOSEST(w_cumulated << 31, total) - 1` over the alive nexthops.
pub fn fib_select_multipath(nhs: &[FibNh], hash: u32) -> Option<usize> {
    let total: u64 = nhs
        .iter()
        .filter(|n| n.alive())
        .map(|n| n.weight as u64)
        .sum();
    if total == 0 {
        return None;
    }
    let hash = (hash >> 1) as u64;
    let mut w = 0u64;
    for (i, n) in nhs.iter().enumerate() {
        if !n.alive() {
            continue;
        }
        w += n.weight as u64;
        let upper = ((w << 31) + total / 2) / total;
        if hash < upper {
            return Some(i);
        }
    }
    None
}

/// `fib_multipath_hash` for a flow (`fib_multipath_hash_policy` 0: source and destination
/// address; 1: also the protocol and ports). The kernel feeds these keys to a hash seeded at
/// random at boot; this is a fixed mix of them (deterministic, evenly spread).
pub fn fib_multipath_hash(policy: u32, fl: &Flowi4) -> u32 {
    let mut h: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut mix = |v: u64| {
        h ^= v;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
    };
    mix(u32::from(fl.src) as u64);
    mix(u32::from(fl.dst) as u64);
    if policy == 1 {
        mix(fl.proto as u64);
        mix(((fl.sport as u64) << 16) | fl.dport as u64);
    }
    (h ^ (h >> 29)) as u32
}

#[inline]
pub fn mask(plen: u8) -> u32 {
    // (No branch: a 64-bit shift by 32 - plen, 0..=32, keeps the low word's mask; plen above
    // 32 is taken as 32.)
    (u64::MAX << (32 - u32::from(plen.min(32)))) as u32
}

pub fn prefix_of(a: Ipv4Addr, plen: u8) -> Ipv4Addr {
    Ipv4Addr::from(u32::from(a) & mask(plen))
}

/// A routing table.
#[derive(Clone, Debug, Default)]
pub struct FibTable {
    /// Key `(prefix, plen)`; the aliases in order of metric (insertion order among equals).
    /// A new key is added with [`FibTable::insert`] (it notes the prefix length for lookups);
    /// aliases of existing keys may be replaced or removed in place, keys removed.
    pub routes: SmallMap<(u32, u8), Vec<Route>>,
    /// Bit `plen` is set when a key of that length was inserted (a removed key may leave its
    /// bit set: a lookup then probes one length for nothing).
    plens: u64,
}

impl FibTable {
    pub fn lookup(&self, dst: Ipv4Addr, usable: &dyn Fn(&Route) -> bool) -> Option<&Route> {
        debug_assert!(
            self.routes.len() > 64
                || self
                    .routes
                    .keys()
                    .all(|k| self.plens & (1 << k.1.min(32)) != 0),
            "a FIB key was added without FibTable::insert"
        );
        let d = u32::from(dst);
        let mut bits = self.plens;
        while bits != 0 {
            let plen = 63 - bits.leading_zeros() as u8;
            bits &= !(1u64 << plen);
            if let Some(r) = self.probe(d, plen, usable) {
                return Some(r);
            }
        }
        None
    }

    /// The first usable alias of the key `dst`/`plen` (a trie leaf's alias walk at one
    /// prefix length).
    #[inline]
    fn probe(&self, dst: u32, plen: u8, usable: &dyn Fn(&Route) -> bool) -> Option<&Route> {
        self.routes
            .get(&(dst & mask(plen), plen))
            .and_then(|v| v.iter().find(|r| usable(r)))
    }

    pub fn insert(&mut self, r: Route) {
        self.plens |= 1 << r.plen.min(32);
        let v = self
            .routes
            .get_or_insert_default((u32::from(r.dst), r.plen));
        let pos = v
            .iter()
            .position(|x| x.metric > r.metric)
            .unwrap_or(v.len());
        // (a key holds one alias, rarely more: room for exactly what it holds, not the four
        // a growing `Vec` starts with; a namespace's handful of keys are most of its FIB)
        v.reserve_exact(1);
        v.insert(pos, r);
    }
    pub fn iter(&self) -> impl Iterator<Item = &Route> {
        self.routes.values().flatten()
    }
    pub fn retain(&mut self, f: impl Fn(&Route) -> bool) {
        for v in self.routes.values_mut() {
            v.retain(&f);
        }
        self.routes.retain(|_, v| !v.is_empty());
        self.plens = self.routes.keys().fold(0, |m, k| m | 1 << k.1.min(32));
    }
}

/// All tables of a namespace.
#[derive(Clone, Debug, Default)]
pub struct Fib {
    /// The tables by id; changed only through [`Fib::table`] and [`Fib::tables_mut`], which
    /// forget `local_keys`.
    tables: SmallMap<u32, FibTable>,
    /// The policy routing rules every lookup goes through.
    pub rules: FibRules,
    /// The namespace's first VRF added the `l3mdev` rule (`netns_vrf.add_fib_rules` cleared:
    /// later VRFs do not add it again, even after it was deleted).
    pub vrf_rules_added: bool,
    /// The keys of the `local`-type routes of every table, made on first use after a change
    /// (see [`Fib::may_be_local`]).
    local_keys: std::cell::Cell<Option<LocalKeys>>,
    /// The namespace's route cache (`net/route.rs`): emptied with `local_keys` by any change
    /// of the tables; the rest of what a lookup reads bumps [`crate::kernel::Kernel::rt_genid`].
    pub rt_cache: crate::net::route::RtCache,
}

/// The `(prefix, length)` keys of a namespace's `local`-type routes, inline: a pod has three
/// (its address, 127.0.0.0/8, 127.0.0.1). More than fit are not listed (`n == LOCAL_KEYS_ANY`).
#[derive(Clone, Copy, Debug)]
struct LocalKeys {
    n: u8,
    prefix: [u32; LOCAL_KEYS],
    plen: [u8; LOCAL_KEYS],
}

const LOCAL_KEYS: usize = 6;
const LOCAL_KEYS_ANY: u8 = u8::MAX;

impl Fib {
    pub fn table(&mut self, id: u32) -> &mut FibTable {
        self.local_keys.set(None);
        self.rt_cache.flush();
        self.tables.get_or_insert_default(id)
    }

    /// The tables, to read.
    pub fn tables(&self) -> &SmallMap<u32, FibTable> {
        &self.tables
    }

    /// The tables, to change (a route added, removed, its nexthops marked dead ...).
    pub fn tables_mut(&mut self) -> &mut SmallMap<u32, FibTable> {
        self.local_keys.set(None);
        self.rt_cache.flush();
        &mut self.tables
    }

    /// Whether a lookup of `dst` could give a `local` route: false when no table of the
    /// namespace has a `local`-type route whose prefix covers `dst`, whatever the rules and
    /// the flow (a rule only chooses the tables; a lookup's type is its route's). ARP's
    /// request for another host's address (each of a bridge flood's copies but one) is then
    /// known not to be for us without the lookup: `arp_process` answers only a request whose
    /// input route is `RTN_LOCAL` (or, with forwarding and proxy ARP, one routed elsewhere).
    /// The keys are a few words in the namespace, where the lookup reads a table's tree nodes
    /// and routes: at 10 000 pods each flooded copy's lookup missed the caches (nslab's own
    /// shortcut; the answers are the lookup's).
    pub fn may_be_local(&self, dst: Ipv4Addr) -> bool {
        let keys = match self.local_keys.get() {
            Some(k) => k,
            None => {
                let k = self.collect_local_keys();
                self.local_keys.set(Some(k));
                k
            }
        };
        if keys.n == LOCAL_KEYS_ANY {
            return true;
        }
        let d = u32::from(dst);
        (0..usize::from(keys.n)).any(|i| d & mask(keys.plen[i]) == keys.prefix[i])
    }

    fn collect_local_keys(&self) -> LocalKeys {
        let mut k = LocalKeys {
            n: 0,
            prefix: [0; LOCAL_KEYS],
            plen: [0; LOCAL_KEYS],
        };
        for t in self.tables.values() {
            for (&(prefix, plen), v) in &t.routes {
                if !v.iter().any(|r| r.rtype == RtnType::Local) {
                    continue;
                }
                let i = usize::from(k.n);
                if i == LOCAL_KEYS {
                    k.n = LOCAL_KEYS_ANY;
                    return k;
                }
                // (A key's prefix is already masked to its length: `fib_table_insert`.)
                k.prefix[i] = prefix & mask(plen);
                k.plen[i] = plen;
                k.n += 1;
            }
        }
        k
    }
    /// `fib_lookup` for an output flow to `dst` that carries nothing else (source, marks,
    /// ports unknown): the rules still apply.
    pub fn lookup(&self, dst: Ipv4Addr, usable: &dyn Fn(&Route) -> bool) -> Option<&Route> {
        self.lookup_flow(&Flowi4::output(dst), usable).ok()
    }

    /// `fib_lookup`'s `!fib_has_custom_rules` branch: `fib_table_lookup` in main (while the
    /// tables are merged, main's trie holds the local table's routes too: one longest-prefix
    /// match over both), then in default; a `throw` route (`-EAGAIN`) goes on to the next
    /// table. Only for a namespace without custom rules (`has_custom`), whose rules are the
    /// three defaults (local, main, default).
    #[inline]
    pub fn lookup_default_rules(
        &self,
        dst: Ipv4Addr,
        usable: &dyn Fn(&Route) -> bool,
    ) -> Result<&Route, RuleErr> {
        debug_assert!(self.rules.is_default() && !self.rules.has_custom);
        if let Some(rt) = self.lookup_merged(dst, usable) {
            if rt.rtype != RtnType::Throw {
                return Ok(rt);
            }
        }
        if let Some(rt) = self
            .tables
            .get(&RT_TABLE_DEFAULT)
            .and_then(|t| t.lookup(dst, usable))
        {
            if rt.rtype != RtnType::Throw {
                return Ok(rt);
            }
        }
        Err(RuleErr::NetUnreach)
    }

    /// `fib_table_lookup(fib_get_table(net, id))`: the table's longest-prefix match; while the
    /// local table is merged into main (no rule was ever added or deleted,
    /// [`FibRules::has_custom`]) the local and main tables are one trie, and a lookup in
    /// either is [`Fib::lookup_merged`]. This is what `inet_addr_type` and `__inet_dev_addr_type` read
    /// for the local table: a longer main route makes an address under a local range unicast
    /// (recorded on 6.18).
    pub fn fib_table_lookup(
        &self,
        id: u32,
        dst: Ipv4Addr,
        usable: &dyn Fn(&Route) -> bool,
    ) -> Option<&Route> {
        if !self.rules.has_custom && (id == RT_TABLE_LOCAL || id == RT_TABLE_MAIN) {
            return self.lookup_merged(dst, usable);
        }
        self.tables.get(&id).and_then(|t| t.lookup(dst, usable))
    }

    /// `fib_table_lookup` in the merged local/main trie: the longest prefix of either table
    /// with a usable alias; at one prefix the local table's aliases come first
    /// (`fib_insert_alias` orders a leaf's aliases of one length by `tb_id`, descending), then
    /// main's; no usable alias at a prefix backtracks to the shorter prefixes of both. A
    /// local /32 answers with one probe, as before the tables were read one after the other.
    #[inline]
    fn lookup_merged(&self, dst: Ipv4Addr, usable: &dyn Fn(&Route) -> bool) -> Option<&Route> {
        let d = u32::from(dst);
        let local = self.tables.get(&RT_TABLE_LOCAL);
        let lp = local.map_or(0, |t| t.plens);
        // A local /32 (an address of ours, a broadcast address) comes first at the longest
        // prefix there is: it answers without main's table being looked up at all.
        const P32: u64 = 1 << 32;
        if lp & P32 != 0 {
            if let Some(r) = local.and_then(|t| t.probe(d, 32, usable)) {
                return Some(r);
            }
        }
        let main = self.tables.get(&RT_TABLE_MAIN);
        let mp = main.map_or(0, |t| t.plens);
        let (lp, mut bits) = (lp & !P32, (lp & !P32) | mp);
        while bits != 0 {
            let plen = 63 - bits.leading_zeros() as u8;
            let bit = 1u64 << plen;
            bits &= !bit;
            if lp & bit != 0 {
                if let Some(r) = local.and_then(|t| t.probe(d, plen, usable)) {
                    return Some(r);
                }
            }
            if mp & bit != 0 {
                if let Some(r) = main.and_then(|t| t.probe(d, plen, usable)) {
                    return Some(r);
                }
            }
        }
        None
    }

    /// `fib_lookup` → `fib_rules_lookup`: the rules in priority order; a matching `lookup`
    /// rule looks in its table (`fib4_rule_action`), where no route, a `throw` route or a
    /// route the rule suppresses (`fib4_rule_suppress`) go on to the next rule; `goto` jumps
    /// to the first rule of the target priority, `nop` goes on; `blackhole`, `unreachable`
    /// and `prohibit` rules end the lookup with their error. Without custom rules
    /// (`fib_has_custom_rules`), [`Fib::lookup_default_rules`].
    #[inline]
    pub fn lookup_flow(
        &self,
        fl: &Flowi4,
        usable: &dyn Fn(&Route) -> bool,
    ) -> Result<&Route, RuleErr> {
        // (`fib_lookup` is inline in the kernel too, `__fib_lookup` the rules' walk.)
        if !self.rules.has_custom {
            return self.lookup_default_rules(fl.dst, usable);
        }
        self.fib_rules_lookup(fl, usable)
    }

    /// `__fib_lookup` → `fib_rules_lookup`: [`Fib::lookup_flow`] with custom rules.
    #[inline(never)]
    fn fib_rules_lookup(
        &self,
        fl: &Flowi4,
        usable: &dyn Fn(&Route) -> bool,
    ) -> Result<&Route, RuleErr> {
        let rules = &self.rules.rules;
        let mut i = 0;
        // a goto only jumps forward, so the walk ends; the bound is for safety
        let mut steps = 0;
        while i < rules.len() && steps <= 2 * rules.len() {
            steps += 1;
            let r = &rules[i];
            i += 1;
            if !r.matches(fl) {
                continue;
            }
            match r.action {
                FrAction::Goto(target) => {
                    if let Some(j) = rules.iter().position(|x| x.pref == target) {
                        if j >= i {
                            i = j;
                        }
                    }
                }
                FrAction::Nop => {}
                FrAction::Blackhole => return Err(RuleErr::Blackhole),
                FrAction::Unreachable => return Err(RuleErr::NetUnreach),
                FrAction::Prohibit => return Err(RuleErr::Prohibit),
                FrAction::ToTbl => {
                    // fib_rule_get_table: an l3mdev rule looks in the flow's VRF table.
                    let table = if r.l3mdev { fl.l3mdev_table } else { r.table };
                    let Some(rt) = self
                        .tables
                        .get(&table)
                        .and_then(|t| t.lookup(fl.dst, usable))
                    else {
                        continue;
                    };
                    if rt.rtype == RtnType::Throw || i32::from(rt.plen) <= r.suppress_prefixlen {
                        continue;
                    }
                    return Ok(rt);
                }
            }
        }
        Err(RuleErr::NetUnreach)
    }
    /// `fib_sync_down_dev(dev, NETDEV_UNREGISTER, force = true)` then `fib_flush`: every
    /// route with a nexthop through `dev` goes, a multipath route as a whole.
    pub fn flush_dev(&mut self, dev: DevId) {
        for t in self.tables_mut().values_mut() {
            t.retain(|r| !r.uses_dev(dev));
        }
    }
    /// `fib_sync_down_dev(dev, NETDEV_DOWN, force = false)` then `fib_flush`: the nexthops
    /// through `dev` die, except host-scope ones (the local routes of its addresses), whose
    /// nexthop scope is `RT_SCOPE_NOWHERE` and so not taken down; a route whose nexthops are
    /// all dead goes (a multipath route keeps its dead nexthops marked `RTNH_F_DEAD`).
    pub fn sync_down_dev(&mut self, dev: DevId) {
        for t in self.tables_mut().values_mut() {
            for v in t.routes.values_mut() {
                for r in v.iter_mut() {
                    for n in r.nhs.iter_mut() {
                        if n.dev == Some(dev) {
                            n.flags |= RTNH_F_DEAD;
                        }
                    }
                }
            }
            t.retain(|r| {
                if r.nhs.is_empty() {
                    r.dev != Some(dev) || r.scope == RT_SCOPE_HOST
                } else {
                    r.nhs.iter().any(|n| n.alive())
                }
            });
        }
    }
    /// `fib_sync_up(dev, RTNH_F_DEAD)`: the dead nexthops through `dev` live again.
    pub fn sync_up(&mut self, dev: DevId) {
        for t in self.tables_mut().values_mut() {
            for v in t.routes.values_mut() {
                for r in v.iter_mut() {
                    for n in r.nhs.iter_mut() {
                        if n.dev == Some(dev) {
                            n.flags &= !RTNH_F_DEAD;
                        }
                    }
                }
            }
        }
    }
    pub fn all(&self) -> impl Iterator<Item = &Route> {
        self.tables.values().flat_map(|t| t.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(dst: [u8; 4], plen: u8, metric: u32, dev: DevId) -> Route {
        Route {
            table: RT_TABLE_MAIN,
            dst: Ipv4Addr::from(dst),
            plen,
            rtype: RtnType::Unicast,
            proto: RTPROT_BOOT,
            scope: RT_SCOPE_LINK,
            prefsrc: None,
            metric,
            gw: None,
            dev: Some(dev),
            onlink: false,
            nh_scope: RT_SCOPE_HOST,
            nhid: None,
            nhs: Vec::new(),
            metrics: None,
        }
    }

    /// `may_be_local` answers as the lookup does for the local type: true for every address
    /// a lookup gives a `local` route for, in any table (an AnyIP `local` route in main
    /// included), and it follows the tables as they change.
    #[test]
    fn may_be_local_covers_every_local_lookup() {
        let local = |dst: [u8; 4], plen: u8, table: u32| Route {
            table,
            rtype: RtnType::Local,
            scope: RT_SCOPE_HOST,
            ..r(dst, plen, 0, 1)
        };
        let mut fib = Fib::default();
        fib.table(RT_TABLE_LOCAL)
            .insert(local([10, 0, 0, 5], 32, RT_TABLE_LOCAL));
        fib.table(RT_TABLE_LOCAL)
            .insert(local([127, 0, 0, 0], 8, RT_TABLE_LOCAL));
        fib.table(RT_TABLE_MAIN).insert(r([10, 0, 0, 0], 8, 0, 1));
        let all = |_: &Route| true;
        let probes = [
            [10, 0, 0, 5],
            [10, 0, 0, 6],
            [10, 9, 1, 1],
            [127, 3, 2, 1],
            [8, 8, 8, 8],
        ];
        let check = |fib: &Fib| {
            for p in probes {
                let a = Ipv4Addr::from(p);
                let is_local = fib
                    .lookup(a, &all)
                    .is_some_and(|rt| rt.rtype == RtnType::Local);
                assert!(!is_local || fib.may_be_local(a), "{a}");
            }
        };
        check(&fib);
        assert!(!fib.may_be_local(Ipv4Addr::new(10, 0, 0, 6)));
        assert!(!fib.may_be_local(Ipv4Addr::new(10, 9, 1, 1)));
        // `ip route add local 10.9.0.0/16 dev lo table main` after the keys were made.
        fib.table(RT_TABLE_MAIN)
            .insert(local([10, 9, 0, 0], 16, RT_TABLE_MAIN));
        check(&fib);
        assert!(fib.may_be_local(Ipv4Addr::new(10, 9, 1, 1)));
        assert!(!fib.may_be_local(Ipv4Addr::new(10, 0, 0, 6)));
        // More local routes than the inline keys hold: every address may be local.
        for i in 0..8 {
            fib.table(200).insert(local([192, 168, i, 1], 32, 200));
        }
        check(&fib);
        assert!(fib.may_be_local(Ipv4Addr::new(8, 8, 8, 8)));
        fib.tables_mut().remove(&200);
        assert!(!fib.may_be_local(Ipv4Addr::new(8, 8, 8, 8)));
    }

    #[test]
    fn mask_is_the_prefix_lengths_mask() {
        assert_eq!(mask(0), 0);
        assert_eq!(mask(1), 0x8000_0000);
        assert_eq!(mask(8), 0xff00_0000);
        assert_eq!(mask(31), 0xffff_fffe);
        assert_eq!(mask(32), 0xffff_ffff);
        for plen in 1..=32u8 {
            assert_eq!(mask(plen), u32::MAX << (32 - u32::from(plen)), "{plen}");
        }
    }

    #[test]
    fn longest_prefix_then_metric() {
        let mut fib = Fib::default();
        fib.table(RT_TABLE_MAIN).insert(r([0, 0, 0, 0], 0, 0, 1));
        fib.table(RT_TABLE_MAIN).insert(r([10, 0, 0, 0], 8, 100, 2));
        fib.table(RT_TABLE_MAIN).insert(r([10, 0, 0, 0], 8, 10, 3));
        let all = |_: &Route| true;
        assert_eq!(
            fib.lookup(Ipv4Addr::new(10, 1, 2, 3), &all).unwrap().dev,
            Some(3)
        );
        assert_eq!(
            fib.lookup(Ipv4Addr::new(11, 1, 2, 3), &all).unwrap().dev,
            Some(1)
        );
        fib.flush_dev(1);
        assert!(fib.lookup(Ipv4Addr::new(11, 1, 2, 3), &all).is_none());
    }

    /// The same answers as probing all 33 lengths (the former lookup), for routes inserted,
    /// some removed in place (`rtm_delroute` removes keys from `routes` directly), and an
    /// unusable alias skipped for the next.
    #[test]
    fn lookup_probes_only_present_lengths_with_the_same_result() {
        let mut t = FibTable::default();
        let mut rng = sim_core::SimRng::new(3);
        for i in 0..200u32 {
            let plen = [0u8, 8, 16, 24, 30, 32, 12][rng.below(7) as usize];
            let dst = prefix_of(Ipv4Addr::from(rng.next_u32() & 0x0f0f_0f0f), plen);
            t.insert(r(dst.octets(), plen, rng.below(3), i as DevId));
        }
        let keys: Vec<_> = t.routes.keys().copied().collect();
        for k in keys.iter().step_by(3) {
            t.routes.remove(k);
        }
        let usable = |r: &Route| r.dev.is_some_and(|d| d % 5 != 0);
        fn scan(t: &FibTable, d: u32) -> Option<&Route> {
            let usable = |r: &Route| r.dev.is_some_and(|d| d % 5 != 0);
            (0..=32u8).rev().find_map(|plen| {
                t.routes
                    .get(&(d & mask(plen), plen))
                    .and_then(|v| v.iter().find(|r| usable(r)))
            })
        }
        for _ in 0..5000 {
            let d = rng.next_u32() & 0x0f0f_0f0f;
            assert_eq!(t.lookup(Ipv4Addr::from(d), &usable), scan(&t, d));
        }
    }

    fn nh(dev: DevId, weight: u32) -> FibNh {
        FibNh {
            gw: None,
            dev: Some(dev),
            weight,
            flags: 0,
            scope: RT_SCOPE_LINK,
        }
    }

    /// `fib_rebalance`'s upper bounds for weights 1 and 3: `DIV_ROUND_CLOSEST(1 << 31, 4) - 1
    /// = 536870911` for the first, `2^31 - 1` for the second; the 31-bit hash (`>> 1`) picks
    /// the first nexthop whose bound it does not exceed; a dead nexthop takes no share.
    #[test]
    fn select_multipath_uses_the_kernels_upper_bounds() {
        let mut nhs = vec![nh(1, 1), nh(2, 3)];
        assert_eq!(fib_select_multipath(&nhs, 536_870_911 << 1), Some(0));
        assert_eq!(fib_select_multipath(&nhs, 536_870_912 << 1), Some(1));
        assert_eq!(fib_select_multipath(&nhs, u32::MAX), Some(1));
        nhs[1].flags |= RTNH_F_DEAD;
        assert_eq!(fib_select_multipath(&nhs, u32::MAX), Some(0));
        nhs[0].flags |= RTNH_F_DEAD;
        assert_eq!(fib_select_multipath(&nhs, 0), None);
    }

    /// Down marks a multipath route's nexthop dead and keeps the route while another lives;
    /// up revives it; unregister (flush_dev) removes the route.
    #[test]
    fn multipath_nexthops_die_and_revive_with_their_device() {
        let mut fib = Fib::default();
        let mut m = r([203, 0, 113, 0], 24, 0, 1);
        m.scope = RT_SCOPE_UNIVERSE;
        m.nhs = vec![nh(1, 1), nh(2, 1)];
        fib.table(RT_TABLE_MAIN).insert(m);
        let d = Ipv4Addr::new(203, 0, 113, 1);
        fib.sync_down_dev(1);
        let got = fib.lookup(d, &|_| true).unwrap();
        assert!(!got.nhs[0].alive() && got.nhs[1].alive());
        assert!(!got.has_oif(1) && got.has_oif(2));
        let mut sel = got.clone();
        sel.fib_select_path(0, None);
        assert_eq!(sel.dev, Some(2));
        fib.sync_up(1);
        assert!(fib.lookup(d, &|_| true).unwrap().nhs[0].alive());
        fib.sync_down_dev(1);
        fib.sync_down_dev(2);
        assert!(fib.lookup(d, &|_| true).is_none());
        let mut m = r([203, 0, 113, 0], 24, 0, 1);
        m.nhs = vec![nh(1, 1), nh(2, 1)];
        fib.table(RT_TABLE_MAIN).insert(m);
        fib.flush_dev(2);
        assert!(fib.lookup(d, &|_| true).is_none());
    }
}

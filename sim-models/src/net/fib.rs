//! The IPv4 FIB: tables of routes keyed by `(prefix, length)`, longest-prefix match, reached
//! through the namespace's policy routing rules (`net/fib_rules.rs`; by default local table
//! 255, then main 254, then default 253).
//!
//! # Differences from Linux
//! No LC-trie: each table is a `BTreeMap` of `(prefix, length)` keys plus a bitmap of the prefix
//! lengths it holds, and a lookup probes only those lengths, longest first (a namespace's tables
//! hold a handful of lengths: /32 local and broadcast routes, the connected subnets, /0), so
//! the cost is a few map probes whatever the number of routes. The result is the LC-trie's:
//! the longest matching prefix, then the first usable alias in metric order.
//! No multipath.

use crate::kernel::DevId;
use crate::net::fib_rules::{FibRules, Flowi4, FrAction, RuleErr};
use std::collections::BTreeMap;
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

/// One route (a `fib_alias` + its `fib_info` with a single nexthop).
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
}

pub fn mask(plen: u8) -> u32 {
    if plen == 0 {
        0
    } else {
        u32::MAX << (32 - plen as u32)
    }
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
    pub routes: BTreeMap<(u32, u8), Vec<Route>>,
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
            if let Some(v) = self.routes.get(&(d & mask(plen), plen)) {
                if let Some(r) = v.iter().find(|r| usable(r)) {
                    return Some(r);
                }
            }
        }
        None
    }
    pub fn insert(&mut self, r: Route) {
        self.plens |= 1 << r.plen.min(32);
        let v = self.routes.entry((u32::from(r.dst), r.plen)).or_default();
        let pos = v
            .iter()
            .position(|x| x.metric > r.metric)
            .unwrap_or(v.len());
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
    pub tables: BTreeMap<u32, FibTable>,
    /// The policy routing rules every lookup goes through.
    pub rules: FibRules,
}

impl Fib {
    pub fn table(&mut self, id: u32) -> &mut FibTable {
        self.tables.entry(id).or_default()
    }
    /// `fib_lookup` for an output flow to `dst` that carries nothing else (source, marks,
    /// ports unknown): the rules still apply.
    pub fn lookup(&self, dst: Ipv4Addr, usable: &dyn Fn(&Route) -> bool) -> Option<&Route> {
        self.lookup_flow(&Flowi4::output(dst), usable).ok()
    }

    /// `fib_lookup` → `fib_rules_lookup`: the rules in priority order; a matching `lookup`
    /// rule looks in its table (`fib4_rule_action`), where no route, a `throw` route or a
    /// route the rule suppresses (`fib4_rule_suppress`) go on to the next rule; `goto` jumps
    /// to the first rule of the target priority, `nop` goes on; `blackhole`, `unreachable`
    /// and `prohibit` rules end the lookup with their error.
    pub fn lookup_flow(
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
                    let Some(rt) = self
                        .tables
                        .get(&r.table)
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
    /// Removes every route through `dev` (as `fib_flush` after `fib_sync_down_dev`).
    pub fn flush_dev(&mut self, dev: DevId) {
        for t in self.tables.values_mut() {
            t.retain(|r| r.dev != Some(dev));
        }
    }
    /// `fib_sync_down_dev(dev, NETDEV_DOWN, force = false)` then `fib_flush`: the routes
    /// through `dev` die, except host-scope ones (the local routes of its addresses), whose
    /// nexthop scope is `RT_SCOPE_NOWHERE` and so not taken down.
    pub fn sync_down_dev(&mut self, dev: DevId) {
        for t in self.tables.values_mut() {
            t.retain(|r| r.dev != Some(dev) || r.scope == RT_SCOPE_HOST);
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
}

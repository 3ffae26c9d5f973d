//! Policy routing rules (`net/core/fib_rules.c` and `net/ipv4/fib_rules.c`): the ordered rule
//! list of a namespace, the flow key a lookup matches rules on (`struct flowi4`), and
//! `fib_rules_lookup`, through which every IPv4 FIB lookup goes (`Fib::lookup_flow`).
//!
//! A namespace starts with the kernel's three default rules (`fib_default_rules_init`):
//! `0: from all lookup local`, `32766: from all lookup main`, `32767: from all lookup default`.
//!
//! # Differences from Linux
//! A rule's `iif`/`oif` device is resolved to its ifindex when the rule is added (as
//! `fib_nl_newrule` does); the kernel also re-attaches it when a device of that name registers
//! later (`attach_rules`/`detach_rules`), which is not modelled. No `nat`, `realms`, `tun_id`,
//! `suppress_ifgroup` or `dscp` (iproute2 6.1 has no `dscp` keyword).

use std::borrow::Cow;
use std::net::Ipv4Addr;

/// `FR_ACT_*`: what a matching rule does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrAction {
    /// `lookup TABLE`
    ToTbl,
    /// `goto PREF`
    Goto(u32),
    Nop,
    Blackhole,
    Unreachable,
    Prohibit,
}

/// `FR_ACT_*` numbers as `struct fib_rule_hdr` carries them.
impl FrAction {
    pub fn code(self) -> u8 {
        match self {
            FrAction::ToTbl => 1,
            FrAction::Goto(_) => 2,
            FrAction::Nop => 3,
            FrAction::Blackhole => 6,
            FrAction::Unreachable => 7,
            FrAction::Prohibit => 8,
        }
    }
}

/// One rule (`struct fib_rule` + `struct fib4_rule`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FibRule {
    pub pref: u32,
    pub table: u32,
    pub action: FrAction,
    /// `FIB_RULE_INVERT` (`not`)
    pub invert: bool,
    pub src: Ipv4Addr,
    pub src_len: u8,
    pub dst: Ipv4Addr,
    pub dst_len: u8,
    /// The TOS byte (`frh->tos`), ECN bits always 0.
    pub tos: u8,
    pub mark: u32,
    pub mark_mask: u32,
    /// Whether `FRA_FWMARK`/`FRA_FWMASK` were given (iproute2 prints `fwmark` then).
    pub has_mark: bool,
    pub iifname: Option<String>,
    /// The ifindex `iifname` had when the rule was added (None: `[detached]`).
    pub iifindex: Option<u32>,
    pub oifname: Option<String>,
    pub oifindex: Option<u32>,
    pub uid_range: Option<(u32, u32)>,
    pub ip_proto: u8,
    pub sport: Option<(u16, u16)>,
    pub dport: Option<(u16, u16)>,
    /// `suppress_prefixlength` (-1: unset)
    pub suppress_prefixlen: i32,
    pub l3mdev: bool,
    /// `FRA_PROTOCOL`
    pub proto: u8,
}

impl FibRule {
    /// A rule matching everything, `lookup table` (what `fib_nl2rule` starts from).
    pub const fn new(pref: u32, table: u32) -> FibRule {
        FibRule {
            pref,
            table,
            action: FrAction::ToTbl,
            invert: false,
            src: Ipv4Addr::UNSPECIFIED,
            src_len: 0,
            dst: Ipv4Addr::UNSPECIFIED,
            dst_len: 0,
            tos: 0,
            mark: 0,
            mark_mask: 0,
            has_mark: false,
            iifname: None,
            iifindex: None,
            oifname: None,
            oifindex: None,
            uid_range: None,
            ip_proto: 0,
            sport: None,
            dport: None,
            suppress_prefixlen: -1,
            l3mdev: false,
            proto: 0,
        }
    }

    /// `fib_rule_match` + `fib4_rule_match`.
    pub fn matches(&self, fl: &Flowi4) -> bool {
        let m = self.match_inner(fl);
        m != self.invert
    }

    fn match_inner(&self, fl: &Flowi4) -> bool {
        // l3mdev_fib_rule_match: only flows l3mdev_update_flow pointed at a VRF.
        if self.l3mdev && fl.l3mdev_table == 0 {
            return false;
        }
        if self.iifname.is_some() && self.iifindex != Some(fl.iif) {
            return false;
        }
        if self.oifname.is_some() && self.oifindex != Some(fl.oif) {
            return false;
        }
        if (self.mark ^ fl.mark) & self.mark_mask != 0 {
            return false;
        }
        if let Some((lo, hi)) = self.uid_range {
            if fl.uid < lo || fl.uid > hi {
                return false;
            }
        }
        let m = |len: u8| crate::net::fib::mask(len);
        if (u32::from(fl.src) ^ u32::from(self.src)) & m(self.src_len) != 0
            || (u32::from(fl.dst) ^ u32::from(self.dst)) & m(self.dst_len) != 0
        {
            return false;
        }
        // fib4_rule_match: the rule's dscp against the flow's (ECN bits are never in either)
        if self.tos != 0 && self.tos != fl.tos & 0xfc {
            return false;
        }
        if self.ip_proto != 0 && self.ip_proto != fl.proto {
            return false;
        }
        if let Some((lo, hi)) = self.sport {
            if fl.sport < lo || fl.sport > hi {
                return false;
            }
        }
        if let Some((lo, hi)) = self.dport {
            if fl.dport < lo || fl.dport > hi {
                return false;
            }
        }
        true
    }
}

/// The flow key a FIB lookup matches rules on (`struct flowi4`). Output lookups have
/// `iif` = the loopback ifindex (1), as `ip_route_output_key_hash` sets it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flowi4 {
    pub dst: Ipv4Addr,
    pub src: Ipv4Addr,
    pub iif: u32,
    pub oif: u32,
    /// `flowi4_tos`, already masked with `IPTOS_RT_MASK`.
    pub tos: u8,
    pub mark: u32,
    pub uid: u32,
    pub proto: u8,
    pub sport: u16,
    pub dport: u16,
    /// `flowi4_l3mdev`: the VRF the flow's device is in (`l3mdev_update_flow`; 0: none).
    pub l3mdev: u32,
    /// That VRF's table, what an `l3mdev` rule looks in (`fib_rule_get_table`; 0: none).
    pub l3mdev_table: u32,
}

/// `LOOPBACK_IFINDEX`
pub const LOOPBACK_IFINDEX: u32 = 1;
/// `IPTOS_RT_MASK`: what of the TOS byte routing looks at.
pub const IPTOS_RT_MASK: u8 = 0x1c;

impl Flowi4 {
    /// An output flow to `dst` with nothing else known (uid 0: the lab runs as root).
    pub fn output(dst: Ipv4Addr) -> Flowi4 {
        Flowi4 {
            dst,
            src: Ipv4Addr::UNSPECIFIED,
            iif: LOOPBACK_IFINDEX,
            oif: 0,
            tos: 0,
            mark: 0,
            uid: 0,
            proto: 0,
            sport: 0,
            dport: 0,
            l3mdev: 0,
            l3mdev_table: 0,
        }
    }
}

/// Why the rules gave no route (the errno `fib_rules_lookup`'s caller sees).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleErr {
    /// No rule found a route (`-ESRCH` → `-ENETUNREACH`), or an `unreachable` rule.
    NetUnreach,
    /// A `blackhole` rule (`-EINVAL`).
    Blackhole,
    /// A `prohibit` rule (`-EACCES`).
    Prohibit,
}

/// A namespace's rule list, in priority order (equal priorities in insertion order).
/// The defaults are shared by every namespace until one writes its list
/// (`Cow::Borrowed` of [`DEFAULT_RULES`]): 100 000 namespaces do not hold 100 000 copies of
/// the same three rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FibRules {
    pub rules: Cow<'static, [FibRule]>,
    /// `net->ipv4.fib_has_custom_rules`: a rule was added or deleted in the namespace
    /// (`fib4_rule_configure`, `fib4_rule_delete`; never cleared). Until then the rules are
    /// the three defaults, `fib_lookup` skips `l3mdev_update_flow` and the rule walk, and the
    /// local table is an alias of main's trie (`fib_new_table`'s
    /// `fib_trie_table(RT_TABLE_LOCAL, main)`; [`crate::net::fib::Fib::fib_table_lookup`]);
    /// from then on they are apart (`fib_unmerge`; recorded on 6.18: after `ip rule add ...;
    /// ip rule del ...`, or only `ip rule del pref 32767`, a local route under a longer main
    /// route answers again, `table local`).
    pub has_custom: bool,
}

/// `fib_default_rules_init`: `0: from all lookup local`, `32766: from all lookup main`,
/// `32767: from all lookup default`.
pub static DEFAULT_RULES: [FibRule; 3] = {
    use crate::net::fib::{RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN};
    [
        FibRule::new(0, RT_TABLE_LOCAL),
        FibRule::new(32766, RT_TABLE_MAIN),
        FibRule::new(32767, RT_TABLE_DEFAULT),
    ]
};

impl Default for FibRules {
    /// `fib_default_rules_init`
    fn default() -> FibRules {
        FibRules {
            rules: Cow::Borrowed(&DEFAULT_RULES),
            has_custom: false,
        }
    }
}

impl FibRules {
    /// `fib_default_rule_pref`: one below the second rule's priority (0 when that is 0 or
    /// there is no second rule).
    pub fn default_pref(&self) -> u32 {
        match self.rules.get(1) {
            Some(r) if r.pref > 0 => r.pref - 1,
            _ => 0,
        }
    }

    /// Inserts after every rule of lower or equal priority (`fib_nl_newrule`); the namespace
    /// has custom rules from then on.
    pub fn insert(&mut self, r: FibRule) {
        self.has_custom = true;
        let pos = self
            .rules
            .iter()
            .position(|x| x.pref > r.pref)
            .unwrap_or(self.rules.len());
        self.rules.to_mut().insert(pos, r);
    }

    /// `vrf_add_fib_rules`: the `l3mdev` rule the first VRF of a namespace adds
    /// (`1000: from all lookup [l3mdev-table]`, protocol kernel); one already there is kept
    /// (`NLM_F_EXCL`'s EEXIST is ignored).
    pub fn add_l3mdev_rule(&mut self) {
        let mut r = FibRule::new(1000, 0);
        r.l3mdev = true;
        r.proto = crate::net::fib::RTPROT_KERNEL;
        if !self.rules.iter().any(|x| {
            x.pref == 1000 && x.l3mdev && x.action == FrAction::ToTbl && x.proto == r.proto
        }) {
            self.insert(r);
        }
    }

    /// Removes the rule at `i` (`fib_nl_delrule`); the namespace has custom rules from then
    /// on (`fib4_rule_delete` sets `fib_has_custom_rules` too).
    pub fn remove(&mut self, i: usize) -> FibRule {
        self.has_custom = true;
        self.rules.to_mut().remove(i)
    }

    /// Are only the three default rules there (whatever was added and deleted before)?
    pub fn is_default(&self) -> bool {
        *self.rules == DEFAULT_RULES
    }
}

impl crate::kernel::Kernel {
    /// `fib_lookup` (include/net/ip_fib.h): in a namespace without custom rules
    /// (`fib_has_custom_rules`), the default tables directly, with no `l3mdev_update_flow`
    /// (no VRF without its `l3mdev` rule, itself a custom rule); else `__fib_lookup`:
    /// `l3mdev_update_flow` (a flow through a device in a VRF gets the VRF's table for the
    /// `l3mdev` rule), then the rules (`fib_rules_lookup`).
    #[inline]
    pub fn fib_lookup(
        &self,
        ns: crate::kernel::NsId,
        fl: &mut Flowi4,
        usable: &dyn Fn(&crate::net::fib::Route) -> bool,
    ) -> Result<&crate::net::fib::Route, RuleErr> {
        let fib = &self.net(ns).fib;
        if fib.rules.has_custom {
            self.l3mdev_update_flow(ns, fl);
        }
        fib.lookup_flow(fl, usable)
    }
}

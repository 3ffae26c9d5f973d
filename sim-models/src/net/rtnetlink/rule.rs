//! `RTM_NEWRULE`/`RTM_DELRULE`/`RTM_GETRULE` for IPv4 (`net/core/fib_rules.c`:
//! `fib_nl_newrule`, `fib_nl_delrule`, `fib_nl_dumprule`; `net/ipv4/fib_rules.c`:
//! `fib4_rule_configure`, `fib4_rule_compare`).

use super::{IfIndex, RtnlError};
use crate::errno::Errno;
use crate::kernel::{Kernel, NsId};
use crate::net::fib_rules::{FibRule, FrAction};

/// A rule request: the rule as `fib_nl2rule` builds it from `struct fib_rule_hdr` and the
/// `FRA_*` attributes, plus which of them the request carried (a delete matches only those).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleReq {
    pub rule: FibRule,
    /// `FRA_PRIORITY` given
    pub has_pref: bool,
    /// `frh->action` (None: `FR_ACT_UNSPEC`, what `ip rule del` sends without an action)
    pub action: Option<FrAction>,
    /// the table, `frh->table`/`FRA_TABLE` (0: unspecified)
    pub table: u32,
}

/// One rule of a dump (`fib_nl_fill_rule`), with the devices' state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleMsg {
    pub rule: FibRule,
    /// `FIB_RULE_IIF_DETACHED` / `FIB_RULE_OIF_DETACHED`
    pub iif_detached: bool,
    pub oif_detached: bool,
}

impl Kernel {
    /// `fib_nl_newrule` (iproute2 sends `NLM_F_EXCL`: an identical rule is `EEXIST`).
    pub fn fib_nl_newrule(&mut self, ns: NsId, req: &RuleReq) -> Result<(), RtnlError> {
        let mut r = req.rule.clone();
        r.action = req.action.unwrap_or(FrAction::ToTbl);
        r.table = req.table;
        if !req.has_pref {
            r.pref = self.net(ns).fib.rules.default_pref();
        }
        if let FrAction::Goto(target) = r.action {
            if target <= r.pref {
                return Err(RtnlError::extack(
                    Errno::EINVAL,
                    "Backward goto not supported",
                ));
            }
        }
        if let Some((lo, hi)) = r.uid_range {
            if lo > hi {
                return Err(RtnlError::extack(Errno::EINVAL, "Invalid uid range"));
            }
        }
        for (range, what) in [(r.sport, "sport"), (r.dport, "dport")] {
            if let Some((lo, hi)) = range {
                if lo > hi || lo == 0 {
                    return Err(RtnlError::extack(
                        Errno::EINVAL,
                        format!("Invalid {what} range"),
                    ));
                }
            }
        }
        // fib4_rule_configure (recorded on 6.18: `ip rule add dsfield 1 ...`)
        if r.tos & 0x03 != 0 {
            return Err(RtnlError::extack(
                Errno::EINVAL,
                "Invalid dsfield (tos): ECN bits must be 0",
            ));
        }
        // An l3mdev rule's table is the flow's VRF's (fib_rule_get_table).
        if r.l3mdev {
            r.table = 0;
        }
        r.iifindex = r
            .iifname
            .as_deref()
            .and_then(|n| self.if_nametoindex(ns, n));
        r.oifindex = r
            .oifname
            .as_deref()
            .and_then(|n| self.if_nametoindex(ns, n));
        let rules = &mut self.net_mut(ns).fib.rules;
        // rule_exists
        if rules.rules.contains(&r) {
            return Err(Errno::EEXIST.into());
        }
        rules.insert(r);
        self.rt_cache_flush();
        Ok(())
    }

    /// `fib_nl_delrule`: the first rule matching every attribute the request carried
    /// (`rule_find` + `fib4_rule_compare`); `ENOENT` when none does.
    pub fn fib_nl_delrule(&mut self, ns: NsId, req: &RuleReq) -> Result<(), RtnlError> {
        let q = &req.rule;
        let found = self.net(ns).fib.rules.rules.iter().position(|r| {
            !(req.action.is_some_and(|a| a.code() != r.action.code())
                || (req.table != 0 && r.table != req.table)
                || (req.has_pref && r.pref != q.pref)
                || (q.iifname.is_some() && r.iifname != q.iifname)
                || (q.oifname.is_some() && r.oifname != q.oifname)
                || (q.mark != 0 && r.mark != q.mark)
                || (q.has_mark && q.mark_mask != 0 && r.mark_mask != q.mark_mask)
                || (q.uid_range.is_some() && r.uid_range != q.uid_range)
                || (q.ip_proto != 0 && r.ip_proto != q.ip_proto)
                || (q.proto != 0 && r.proto != q.proto)
                || (q.sport.is_some() && r.sport != q.sport)
                || (q.dport.is_some() && r.dport != q.dport)
                || (q.l3mdev && !r.l3mdev)
                || (q.src_len != 0 && (r.src_len != q.src_len || r.src != q.src))
                || (q.dst_len != 0 && (r.dst_len != q.dst_len || r.dst != q.dst))
                || (q.tos != 0 && r.tos != q.tos)
                || (q.invert && !r.invert))
        });
        match found {
            Some(i) => {
                self.net_mut(ns).fib.rules.remove(i);
                self.rt_cache_flush();
                Ok(())
            }
            None => Err(Errno::ENOENT.into()),
        }
    }

    /// `fib_nl_dumprule` for AF_INET: every rule in order.
    pub fn fib_rules_dump(&self, ns: NsId) -> Vec<RuleMsg> {
        let exists = |name: &Option<String>, idx: Option<IfIndex>| {
            name.as_deref()
                .and_then(|n| self.if_nametoindex(ns, n))
                .is_some_and(|i| Some(i) == idx)
        };
        self.net(ns)
            .fib
            .rules
            .rules
            .iter()
            .map(|r| RuleMsg {
                iif_detached: r.iifname.is_some() && !exists(&r.iifname, r.iifindex),
                oif_detached: r.oifname.is_some() && !exists(&r.oifname, r.oifindex),
                rule: r.clone(),
            })
            .collect()
    }
}

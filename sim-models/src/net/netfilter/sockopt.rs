//! The userspace boundary of ip_tables and conntrack: what `iptables`, `iptables-save`,
//! `iptables-restore` and `conntrack` may ask the kernel, and nothing else.
//!
//! - ip_tables (net/ipv4/netfilter/ip_tables.c): userspace never edits the kernel's rules in
//!   place. libiptc reads a whole table (`getsockopt(IPT_SO_GET_INFO)` then
//!   `IPT_SO_GET_ENTRIES`: [`Kernel::ipt_get_table`]), edits its copy, and hands back a whole
//!   new table (`setsockopt(IPT_SO_SET_REPLACE)`: [`Kernel::ipt_replace`]), which the kernel
//!   checks (`translate_table`: every jump lands on a chain, `mark_source_chains` refuses a
//!   loop reachable from a hook with ELOOP) and swaps in atomically. `/proc/net/ip_tables_names`
//!   lists the tables instantiated ([`Kernel::ipt_table_names`]).
//! - conntrack (net/netfilter/nf_conntrack_netlink.c): ctnetlink's `IPCTNL_MSG_CT_GET` dump
//!   ([`Kernel::ctnetlink_dump`]), `IPCTNL_MSG_CT_DELETE` of one entry
//!   ([`Kernel::ctnetlink_delete`]) and of all (flush, [`Kernel::ctnetlink_flush`]).

use super::ip_tables::{builtin_chains, Table, Target, TABLES};
use super::nf_conntrack::Conn;
use crate::errno::Errno;
use crate::kernel::{Kernel, NsId};
use sim_core::Instant;

/// A ctnetlink dump: the entries (oldest first, the order they were created) and the kernel's
/// clock when it was taken, against which each entry's remaining timeout (`CTA_TIMEOUT`) is
/// counted.
#[derive(Clone, Debug)]
pub struct CtDump {
    pub conns: Vec<Conn>,
    pub now: Instant,
}

impl Kernel {
    /// `IPT_SO_GET_INFO` + `IPT_SO_GET_ENTRIES`: a copy of table `name`, counters included.
    /// Asking for a table loads its module in this namespace (`xt_find_table_lock` with
    /// `request_module`), so the table exists from then on. ENOENT for a table the kernel
    /// does not have.
    pub fn ipt_get_table(&mut self, ns: NsId, name: &str) -> Result<Table, Errno> {
        if !TABLES.contains(&name) {
            return Err(Errno::ENOENT);
        }
        Ok(self.net_mut(ns).nf.table_mut(name).clone())
    }

    /// `/proc/net/ip_tables_names`: the tables instantiated in `ns`, newest first.
    pub fn ipt_table_names(&self, ns: NsId) -> Vec<String> {
        self.net(ns)
            .nf
            .tables
            .iter()
            .rev()
            .map(|t| t.name.clone())
            .collect()
    }

    /// `IPT_SO_SET_REPLACE`: `translate_table`'s checks, then the new table replaces the old
    /// one at once (packets see either).
    pub fn ipt_replace(&mut self, ns: NsId, name: &str, new: Table) -> Result<(), Errno> {
        if !TABLES.contains(&name) || new.name != name {
            return Err(Errno::ENOENT);
        }
        if let Err((errno, msg)) = translate_table(&new) {
            if let Some(m) = msg {
                // pr_info from xt_check_target, in the kernel log (`dmesg`).
                self.printk(m);
            }
            return Err(errno);
        }
        let mut new = new;
        new.fill_ipt_ip();
        self.net_mut(ns).nf.replace_table(name, new);
        Ok(())
    }

    /// ctnetlink dump (`conntrack -L`): the live entries; expired ones are reaped first, as
    /// the kernel's dump skips and frees them.
    pub fn ctnetlink_dump(&mut self, ns: NsId) -> CtDump {
        let now = self.now;
        let ct = &mut self.net_mut(ns).nf.ct;
        ct.gc(now);
        CtDump {
            conns: ct.conns.values().cloned().collect(),
            now,
        }
    }

    /// `IPCTNL_MSG_CT_DELETE` of the entry `id` (as a dump named it): the entry removed, or
    /// ENOENT when it is gone.
    pub fn ctnetlink_delete(&mut self, ns: NsId, id: u64) -> Result<Conn, Errno> {
        self.net_mut(ns).nf.ct.remove(id).ok_or(Errno::ENOENT)
    }

    /// `IPCTNL_MSG_CT_DELETE` without a tuple: every entry goes (`conntrack -F`).
    pub fn ctnetlink_flush(&mut self, ns: NsId) {
        self.net_mut(ns).nf.ct = Default::default();
    }
}

/// The hooks in the kernel's order, as `textify_hooks` names them.
const HOOKS: [&str; 5] = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"];

fn hook_bit(chain: &str) -> u8 {
    HOOKS.iter().position(|h| *h == chain).map_or(0, |i| 1 << i)
}

/// `textify_hooks`: the hooks of a mask joined by `/`.
fn textify_hooks(mask: u8) -> String {
    HOOKS
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, h)| *h)
        .collect::<Vec<_>>()
        .join("/")
}

/// The table and hooks a target may be used from (`struct xt_target`'s `.table`, `.hooks`),
/// for the targets that restrict them.
fn target_limits(t: &Target) -> Option<(&'static str, &'static str, u8)> {
    let b = hook_bit;
    match t {
        Target::Dnat(_) => Some(("DNAT", "nat", b("PREROUTING") | b("OUTPUT"))),
        Target::Snat(_) => Some(("SNAT", "nat", b("POSTROUTING") | b("INPUT"))),
        Target::Masquerade(_) => Some(("MASQUERADE", "nat", b("POSTROUTING"))),
        Target::Reject(_) => Some(("REJECT", "filter", b("INPUT") | b("FORWARD") | b("OUTPUT"))),
        _ => None,
    }
}

/// The kernel's checks of a replacement table (`translate_table`): the table's built-in
/// chains are there with a policy, every jump or goto names a user chain of the table, no
/// chain reachable from a hook reaches itself again (`mark_source_chains`: ELOOP), and each
/// target is used only in its table and from its hooks (`xt_check_target`: EINVAL, with the
/// kernel log line it prints).
fn translate_table(t: &Table) -> Result<(), (Errno, Option<String>)> {
    let builtins = builtin_chains(&t.name);
    for b in builtins {
        if t.chain(b).is_none_or(|c| c.policy.is_none()) {
            return Err((Errno::EINVAL, None));
        }
    }
    // The chains by name, looked up once per jump (the kernel checks jump offsets; a search
    // over all chains per jump made a kube-proxy-sized table's every update quadratic).
    let index: std::collections::BTreeMap<&str, usize> = t
        .chains
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.as_str(), i))
        .collect();
    let find = |n: &str| index.get(n).copied();
    for c in &t.chains {
        for r in &c.rules {
            if let Target::Chain(n) = &r.target {
                if find(n).is_none_or(|i| t.chains[i].policy.is_some()) {
                    return Err((Errno::EINVAL, None));
                }
            }
        }
    }
    // Depth-first walk from each hook's chain, as mark_source_chains follows jumps; a chain
    // met again while it is still on the walk's path is a loop. Each chain collects the hooks
    // it is reachable from; a chain already walked for this hook is not walked again.
    fn walk(
        t: &Table,
        find: &dyn Fn(&str) -> Option<usize>,
        chain: usize,
        hook: u8,
        on_path: &mut [bool],
        hooks: &mut [u8],
    ) -> Result<(), (Errno, Option<String>)> {
        if on_path[chain] {
            return Err((Errno::ELOOP, None));
        }
        if hooks[chain] & hook != 0 {
            return Ok(());
        }
        hooks[chain] |= hook;
        on_path[chain] = true;
        for r in &t.chains[chain].rules {
            if let Target::Chain(n) = &r.target {
                if let Some(next) = find(n) {
                    walk(t, find, next, hook, on_path, hooks)?;
                }
            }
        }
        on_path[chain] = false;
        Ok(())
    }
    let mut hooks = vec![0u8; t.chains.len()];
    for b in builtins {
        if let Some(i) = find(b) {
            let mut on_path = vec![false; t.chains.len()];
            walk(t, &find, i, hook_bit(b), &mut on_path, &mut hooks)?;
        }
    }
    for (c, used) in t.chains.iter().zip(&hooks) {
        for r in &c.rules {
            let Some((name, table, allowed)) = target_limits(&r.target) else {
                continue;
            };
            if table != t.name {
                return Err((
                    Errno::EINVAL,
                    Some(format!(
                        "x_tables: ip_tables: {name} target: only valid in {table} table, not {}",
                        t.name
                    )),
                ));
            }
            if used & !allowed != 0 {
                return Err((
                    Errno::EINVAL,
                    Some(format!(
                        "x_tables: ip_tables: {name} target: used from hooks {}, but only usable from {}",
                        textify_hooks(*used),
                        textify_hooks(allowed)
                    )),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jump(to: &str) -> super::super::ip_tables::Rule {
        super::super::ip_tables::Rule {
            src: None,
            dst: None,
            iif: None,
            oif: None,
            proto: None,
            matches: vec![],
            target: Target::Chain(to.into()),
            goto: false,
            pkts: 0,
            bytes: 0,
            nth_count: 0,
            jump: Default::default(),
        }
    }

    #[test]
    fn replace_refuses_loops_reachable_from_a_hook() {
        let mut k = Kernel::new(1);
        let ns = k.netns_add("n");
        let mut t = k.ipt_get_table(ns, "filter").unwrap();
        t.add_chain("L");
        t.chain_mut("L").unwrap().rules.push(jump("L"));
        // Not reachable from a hook: accepted (iptables -N L; iptables -A L -j L).
        k.ipt_replace(ns, "filter", t.clone()).unwrap();
        t.chain_mut("OUTPUT").unwrap().rules.push(jump("L"));
        assert_eq!(k.ipt_replace(ns, "filter", t), Err(Errno::ELOOP));
        // The table is unchanged.
        assert!(k
            .ipt_get_table(ns, "filter")
            .unwrap()
            .chain("OUTPUT")
            .unwrap()
            .rules
            .is_empty());
        assert_eq!(k.ipt_get_table(ns, "nope"), Err(Errno::ENOENT));
    }

    #[test]
    fn a_chain_reached_twice_without_a_cycle_is_no_loop() {
        let mut k = Kernel::new(1);
        let ns = k.netns_add("n");
        let mut t = k.ipt_get_table(ns, "filter").unwrap();
        t.add_chain("A");
        t.add_chain("B");
        t.chain_mut("INPUT").unwrap().rules.push(jump("A"));
        t.chain_mut("INPUT").unwrap().rules.push(jump("B"));
        t.chain_mut("A").unwrap().rules.push(jump("B"));
        assert_eq!(k.ipt_replace(ns, "filter", t), Ok(()));
    }
}

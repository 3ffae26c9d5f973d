//! `RTM_NEWADDR` / `RTM_DELADDR` (`net/ipv4/devinet.c` `inet_rtm_newaddr`, `inet_rtm_deladdr`,
//! `__inet_insert_ifa`, `__inet_del_ifa`). The `RTM_GETADDR` dump is
//! [`super::dump::Kernel::rtnl_addr_dump`].

use super::{IfIndex, RtnlError};
use crate::errno::Errno;
use crate::kernel::{IfAddr, Kernel, NsId};
use crate::net::fib::prefix_of;
use std::net::Ipv4Addr;

/// An `ifaddrmsg` with `IFA_LOCAL`, `IFA_ADDRESS`, `IFA_BROADCAST`, `IFA_LABEL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddrMsg {
    pub ifindex: IfIndex,
    pub local: Ipv4Addr,
    /// The peer address for a point-to-point address, else `local`.
    pub address: Ipv4Addr,
    pub plen: u8,
    pub broadcast: Option<Ipv4Addr>,
    pub scope: u8,
    /// `None`: the device's name.
    pub label: Option<String>,
    pub has_peer: bool,
    /// `IFA_RT_PRIORITY` (0: absent).
    pub rt_priority: u32,
}

impl Kernel {
    /// `inet_rtm_newaddr`: `NLM_F_REPLACE` (`ip addr replace|change`) replaces the address with
    /// the same local and prefix, otherwise that is "Address already assigned"; an address in
    /// the subnet of a primary one becomes secondary.
    pub fn rtm_newaddr(&mut self, ns: NsId, m: &AddrMsg, replace: bool) -> Result<(), RtnlError> {
        let d = self.dev_by_ifindex(ns, m.ifindex).ok_or(Errno::ENODEV)?;
        let (address, plen) = (m.address, m.plen);
        if let Some(pos) = self.dev(d).addrs.iter().position(|a| {
            a.local == m.local
                && a.plen == plen
                && prefix_of(a.address, a.plen) == prefix_of(address, plen)
        }) {
            if !replace {
                return Err(RtnlError::extack(
                    Errno::EEXIST,
                    "ipv4: Address already assigned",
                ));
            }
            let old = self.dev(d).addrs[pos].clone();
            if old.broadcast == m.broadcast
                && old.scope == m.scope
                && m.label.as_ref().is_none_or(|l| *l == old.label)
            {
                // The kernel's replace keeps the address; a new metric moves its prefix
                // route (fib_modify_prefix_metric).
                if old.rt_priority != m.rt_priority {
                    self.fib_modify_prefix_metric(d, &old, m.rt_priority);
                    self.dev_mut(d).addrs[pos].rt_priority = m.rt_priority;
                }
                return Ok(());
            }
            self.fib_del_ifaddr(d, &old);
            self.dev_mut(d).addrs.remove(pos);
            self.inet_addr_lst_rebuild(ns);
        }
        let secondary = self.dev(d).addrs.iter().any(|a| {
            a.plen == plen
                && prefix_of(a.address, a.plen) == prefix_of(address, plen)
                && !a.secondary
        });
        let ifa = IfAddr {
            local: m.local,
            address,
            plen,
            broadcast: m.broadcast,
            scope: m.scope,
            label: m.label.clone().unwrap_or_else(|| self.dev(d).name.clone()),
            secondary,
            has_peer: m.has_peer,
            rt_priority: m.rt_priority,
        };
        // __inet_insert_ifa: a primary goes after the last primary of the same or a wider
        // scope (so before the secondaries), a secondary at the end.
        let pos = if secondary {
            self.dev(d).addrs.len()
        } else {
            self.dev(d)
                .addrs
                .iter()
                .rposition(|a| !a.secondary && ifa.scope <= a.scope)
                .map_or(0, |i| i + 1)
        };
        // (room for exactly the addresses a device holds, usually one, not the four a growing
        // `Vec` starts with: 144 bytes a pod at 100 000 pods)
        let addrs = &mut self.dev_mut(d).addrs;
        addrs.reserve_exact(1);
        addrs.insert(pos, ifa.clone());
        self.inet_addr_lst_rebuild(ns);
        self.fib_add_ifaddr(d, &ifa);
        Ok(())
    }

    /// `inet_rtm_deladdr`: the first address with that local (and prefix length, if given).
    /// With `promote_secondaries` 0, deleting a primary deletes its secondaries too.
    pub fn rtm_deladdr(
        &mut self,
        ns: NsId,
        ifindex: IfIndex,
        local: Ipv4Addr,
        plen: Option<u8>,
    ) -> Result<(), RtnlError> {
        let d = self.dev_by_ifindex(ns, ifindex).ok_or(Errno::ENODEV)?;
        let pos = self
            .dev(d)
            .addrs
            .iter()
            .position(|a| a.local == local && plen.is_none_or(|p| a.plen == p))
            .ok_or_else(|| RtnlError::extack(Errno::EADDRNOTAVAIL, "ipv4: Address not found"))?;
        let a = self.dev_mut(d).addrs.remove(pos);
        self.inet_addr_lst_rebuild(ns);
        self.fib_del_ifaddr(d, &a);
        if !a.secondary {
            let secs: Vec<IfAddr> = self
                .dev(d)
                .addrs
                .iter()
                .filter(|x| {
                    x.secondary
                        && x.plen == a.plen
                        && prefix_of(x.address, x.plen) == prefix_of(a.address, a.plen)
                })
                .cloned()
                .collect();
            for s in secs {
                self.dev_mut(d).addrs.retain(|x| x != &s);
                self.inet_addr_lst_rebuild(ns);
                self.fib_del_ifaddr(d, &s);
            }
        }
        self.inet_last_addr_gone(ns, d);
        Ok(())
    }

    /// `ip addr flush dev D`: iproute2 dumps the device's addresses and deletes each.
    pub fn rtm_flushaddr(&mut self, ns: NsId, ifindex: IfIndex) -> Result<(), RtnlError> {
        let d = self.dev_by_ifindex(ns, ifindex).ok_or(Errno::ENODEV)?;
        for a in self.dev(d).addrs.clone() {
            self.dev_mut(d).addrs.retain(|x| x != &a);
            self.inet_addr_lst_rebuild(ns);
            self.fib_del_ifaddr(d, &a);
        }
        self.inet_last_addr_gone(ns, d);
        Ok(())
    }

    /// `inetaddr_event(NETDEV_DOWN)`: when a device's last address goes, `fib_disable_ip`
    /// flushes every route through it (recorded: after `ip addr del` of the last address, a
    /// route via a gateway on that device is gone).
    fn inet_last_addr_gone(&mut self, ns: NsId, d: crate::kernel::DevId) {
        if self.dev(d).addrs.is_empty() {
            self.net_mut(ns).fib.flush_dev(d);
        }
    }

    /// The source address the kernel picks toward `dst` out of device `ifindex`
    /// (`inet_select_addr`), as a socket bound to that device would get it.
    pub fn rtnl_select_addr(
        &self,
        ns: NsId,
        ifindex: IfIndex,
        dst: Ipv4Addr,
        scope: u8,
    ) -> Ipv4Addr {
        match self.dev_by_ifindex(ns, ifindex) {
            Some(d) => self.inet_select_addr(d, dst, scope),
            None => Ipv4Addr::UNSPECIFIED,
        }
    }
}

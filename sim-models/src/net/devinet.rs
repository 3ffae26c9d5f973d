//! IPv4 addresses of devices (`net/ipv4/devinet.c`): source address selection
//! (`inet_select_addr`), address matching and the per-device `forwarding` flag.

use crate::kernel::{DevId, Kernel, NsId};
use crate::net::devconf::*;
use crate::net::fib::*;
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

/// Addresses [`InetAddrLst`] holds inline.
const INET_ADDR_INLINE: usize = 4;

/// A namespace's local addresses (`Net::inet_addr_lst`, the kernel's `inet_addr_lst` for one
/// namespace): up to four inline in the `Net` (a pod has one or two: no heap node to fetch
/// at 10 000 pods), else a set.
#[derive(Clone, Debug)]
pub enum InetAddrLst {
    Inline {
        n: u8,
        addrs: [Ipv4Addr; INET_ADDR_INLINE],
    },
    Set(BTreeSet<Ipv4Addr>),
}

impl Default for InetAddrLst {
    fn default() -> Self {
        InetAddrLst::Inline {
            n: 0,
            addrs: [Ipv4Addr::UNSPECIFIED; INET_ADDR_INLINE],
        }
    }
}

impl InetAddrLst {
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        match self {
            InetAddrLst::Inline { n, addrs } => addrs[..*n as usize].contains(&ip),
            InetAddrLst::Set(s) => s.contains(&ip),
        }
    }
}

impl FromIterator<Ipv4Addr> for InetAddrLst {
    fn from_iter<I: IntoIterator<Item = Ipv4Addr>>(it: I) -> Self {
        let set: BTreeSet<Ipv4Addr> = it.into_iter().collect();
        if set.len() > INET_ADDR_INLINE {
            return InetAddrLst::Set(set);
        }
        let mut addrs = [Ipv4Addr::UNSPECIFIED; INET_ADDR_INLINE];
        for (slot, a) in addrs.iter_mut().zip(&set) {
            *slot = *a;
        }
        InetAddrLst::Inline {
            n: set.len() as u8,
            addrs,
        }
    }
}

impl Kernel {
    /// Whether `ip` is a local address of namespace `ns` (`inet_addr_type == RTN_LOCAL`).
    pub fn inet_addr_is_local(&self, ns: NsId, ip: Ipv4Addr) -> bool {
        // (`fib_table_lookup` of the local table: with the tables merged, main's routes too.)
        self.net(ns)
            .fib
            .fib_table_lookup(RT_TABLE_LOCAL, ip, &|_| true)
            .is_some_and(|r| r.rtype == RtnType::Local)
    }

    /// Whether `src` is an address of `dev` in the same subnet as `target` (arp_announce=1).
    pub fn inet_ifa_match_dev(&self, dev: DevId, src: Ipv4Addr, target: Ipv4Addr) -> bool {
        self.dev(dev)
            .addrs
            .iter()
            .any(|a| a.local == src && prefix_of(a.address, a.plen) == prefix_of(target, a.plen))
    }

    /// `inet_select_addr`: a primary address of `dev` with scope ≤ `scope`, preferring one in
    /// `dst`'s subnet; else the first suitable address of any device in the namespace.
    pub fn inet_select_addr(&self, dev: DevId, dst: Ipv4Addr, scope: u8) -> Ipv4Addr {
        let mut addr = None;
        // route_localnet lets host-scope (127/8) addresses serve as link scope
        let localnet = if self.dev_route_localnet(dev) {
            RT_SCOPE_LINK
        } else {
            RT_SCOPE_HOST
        };
        for a in self.dev(dev).addrs.iter().filter(|a| !a.secondary) {
            if a.scope.min(localnet) > scope {
                continue;
            }
            if dst.is_unspecified() || prefix_of(a.address, a.plen) == prefix_of(dst, a.plen) {
                return a.local;
            }
            if addr.is_none() {
                addr = Some(a.local);
            }
        }
        if let Some(a) = addr {
            return a;
        }
        // In a VRF, the VRF device takes the place of lo: its addresses first, then only
        // devices of the same VRF (l3mdev_master_ifindex).
        let master = self.l3mdev_master_dev(dev);
        if let Some(m) = master.filter(|&m| m != dev) {
            if let Some(a) = self
                .dev(m)
                .addrs
                .iter()
                .find(|a| !a.secondary && a.scope <= scope)
            {
                return a.local;
            }
        }
        let ns = self.dev(dev).ns;
        for &d in &self.net(ns).devs {
            if self.l3mdev_master_dev(d) != master {
                continue;
            }
            for a in self.dev(d).addrs.iter().filter(|a| !a.secondary) {
                if a.scope != RT_SCOPE_LINK && a.scope <= scope {
                    return a.local;
                }
            }
        }
        Ipv4Addr::UNSPECIFIED
    }

    /// `IN_DEV_ROUTE_LOCALNET` (`IN_DEV_ORCONF`): 127.0.0.0/8 may be routed on this device.
    pub fn dev_route_localnet(&self, d: DevId) -> bool {
        use crate::net::devconf::CONF_ROUTE_LOCALNET as R;
        self.dev(d).conf.get(R) != 0 || self.net(self.dev(d).ns).conf_all.get(R) != 0
    }

    /// `inet_lookup_ifaddr_rcu`: whether some device of the namespace has `ip` as a local
    /// address (`ifa_local`, exact).
    pub fn inet_lookup_ifaddr(&self, ns: NsId, ip: Ipv4Addr) -> bool {
        let net = self.net(ns);
        let found = net.inet_addr_lst.contains(ip);
        debug_assert_eq!(
            found,
            net.devs
                .iter()
                .any(|&d| self.dev(d).addrs.iter().any(|a| a.local == ip)),
            "inet_addr_lst out of date"
        );
        found
    }

    /// Makes namespace `ns`'s `inet_addr_lst` (see [`crate::kernel::Net`]) the local
    /// addresses of its devices again: after any change of a device's `addrs`, and after a
    /// device holding addresses left the namespace (deleted or moved).
    pub(crate) fn inet_addr_lst_rebuild(&mut self, ns: NsId) {
        let lst = self
            .net(ns)
            .devs
            .iter()
            .flat_map(|&d| self.dev(d).addrs.iter().map(|a| a.local))
            .collect();
        self.net_mut(ns).inet_addr_lst = lst;
    }

    /// `confirm_addr_indev`: an address of `dev` (`local` itself when given) with scope ≤
    /// `scope`, provided some address's subnet — `ifa_address`/mask, i.e. the *peer's* for a
    /// point-to-point address — holds `local` and `dst` (each when given); else unspecified.
    pub fn confirm_addr_indev(
        &self,
        dev: DevId,
        dst: Ipv4Addr,
        local: Ipv4Addr,
        scope: u8,
    ) -> Ipv4Addr {
        let localnet_scope = if self.dev_route_localnet(dev) {
            RT_SCOPE_LINK
        } else {
            RT_SCOPE_HOST
        };
        let matches = |ip: Ipv4Addr, a: &crate::kernel::IfAddr| {
            prefix_of(ip, a.plen) == prefix_of(a.address, a.plen)
        };
        let mut addr = Ipv4Addr::UNSPECIFIED;
        let mut same = false;
        for a in &self.dev(dev).addrs {
            let min_scope = a.scope.min(localnet_scope);
            if addr.is_unspecified()
                && (local == a.local || local.is_unspecified())
                && min_scope <= scope
            {
                addr = a.local;
                if same {
                    break;
                }
            }
            if !same {
                same = (local.is_unspecified() || matches(local, a))
                    && (dst.is_unspecified() || matches(dst, a));
                if same && !addr.is_unspecified() {
                    if !local.is_unspecified() || dst.is_unspecified() {
                        break;
                    }
                    // Is the selected address in dst's subnet?
                    if matches(addr, a) {
                        break;
                    }
                    // No: can this address be the source instead?
                    if min_scope <= scope {
                        addr = a.local;
                        break;
                    }
                    // Look further for a larger subnet holding dst.
                    same = false;
                }
            }
        }
        if same {
            addr
        } else {
            Ipv4Addr::UNSPECIFIED
        }
    }

    /// `inet_confirm_addr`: [`Kernel::confirm_addr_indev`] on `dev`, or on every device of the
    /// namespace (in order) when `dev` is None.
    pub fn inet_confirm_addr(
        &self,
        ns: NsId,
        dev: Option<DevId>,
        dst: Ipv4Addr,
        local: Ipv4Addr,
        scope: u8,
    ) -> Ipv4Addr {
        if let Some(d) = dev {
            return self.confirm_addr_indev(d, dst, local, scope);
        }
        for &d in &self.net(ns).devs {
            let a = self.confirm_addr_indev(d, dst, local, scope);
            if !a.is_unspecified() {
                return a;
            }
        }
        Ipv4Addr::UNSPECIFIED
    }

    pub fn dev_forwarding(&self, d: DevId) -> bool {
        self.dev(d).conf.get(CONF_FORWARDING) != 0
    }
}

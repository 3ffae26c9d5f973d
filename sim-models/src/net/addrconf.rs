//! IPv6 address configuration (`net/ipv6/addrconf.c`), as configuration only.
//!
//! nslab models no IPv6 packets: no neighbour discovery, MLD or DAD frames, no IPv6 FIB
//! lookups. What it keeps is the state `ip` shows: each device's IPv6 addresses
//! (`struct inet6_ifaddr`, added by `inet6_rtm_newaddr` or by `addrconf_dev_config` when a
//! device comes up: the EUI-64 link-local `fe80::/64`, `::1/128` on `lo`), the per-device
//! `disable_ipv6` knob that gates them, and the IPv6 routes and rules of `ip -6 route|rule`
//! (listed, never looked up). DAD is modelled only as the time the kernel keeps an address
//! `tentative`: from when its device is up, one `rtr_solicit_delay` random delay (< 1 s) and
//! one `RetransTimer` (1 s, `dad_transmits` = 1).
//!
//! New namespaces start with IPv6 disabled (`disable_ipv6` = 1 on `all`, `default` and every
//! device), as the kernel oracle's recorder sets them up; [`Kernel::ipv6_netns`] (set by
//! `nslab run --ipv6`) starts them enabled, as on a stock kernel (the kernel selftests'
//! baseline ran that way).

use crate::errno::Errno;
use crate::kernel::{DevId, DevKind, Kernel, NsId};
use crate::net::rtnetlink::{IfIndex, RtnlError};
use sim_core::{Duration, Instant};
use std::net::Ipv6Addr;

/// `IFA_F_NODAD`.
pub const IFA_F_NODAD: u32 = 0x02;

/// `RT_SCOPE_UNIVERSE`, `RT_SCOPE_LINK`, `RT_SCOPE_HOST` (as `ip` prints an IPv6 address's
/// scope: `ipv6_addr_scope` mapped by `ipv6_addr_type`).
pub const SCOPE_GLOBAL: u8 = 0;
pub const SCOPE_LINK: u8 = 253;
pub const SCOPE_HOST: u8 = 254;

/// One IPv6 address on a device (`struct inet6_ifaddr`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inet6Ifaddr {
    pub addr: Ipv6Addr,
    pub plen: u8,
    pub scope: u8,
    /// `IFA_F_*` as given (`nodad`).
    pub flags: u32,
    /// When DAD ends (the address stops being `tentative`); `None` while the device is down
    /// (DAD has not started).
    pub dad_done: Option<Instant>,
}

impl Inet6Ifaddr {
    /// `IFA_F_TENTATIVE` at time `now`.
    pub fn tentative(&self, now: Instant) -> bool {
        self.flags & IFA_F_NODAD == 0 && self.dad_done.is_none_or(|t| now < t)
    }
}

/// `RTM_NEWADDR` for `AF_INET6`: the parts `ip -6 addr add` sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Addr6Msg {
    pub ifindex: IfIndex,
    pub addr: Ipv6Addr,
    pub plen: u8,
    pub flags: u32,
}

/// `ipv6_addr_scope` as `ip` shows it.
pub fn ipv6_addr_scope(a: &Ipv6Addr) -> u8 {
    if a.is_loopback() {
        SCOPE_HOST
    } else if a.segments()[0] & 0xffc0 == 0xfe80 {
        SCOPE_LINK
    } else {
        SCOPE_GLOBAL
    }
}

/// `addrconf_ifid_eui48`: the interface identifier from a MAC (the U/L bit flipped,
/// `ff:fe` in the middle).
pub fn eui64_link_local(mac: &[u8; 6]) -> Ipv6Addr {
    let id = [
        mac[0] ^ 0x02,
        mac[1],
        mac[2],
        0xff,
        0xfe,
        mac[3],
        mac[4],
        mac[5],
    ];
    let mut b = [0u8; 16];
    b[0] = 0xfe;
    b[1] = 0x80;
    b[8..].copy_from_slice(&id);
    Ipv6Addr::from(b)
}

impl Kernel {
    /// `net.ipv6.conf.default.disable_ipv6` of namespace `ns` (a new device's value).
    pub fn ipv6_default_disabled(&self, ns: NsId) -> bool {
        self.net(ns)
            .misc_sysctl
            .get("net.ipv6.conf.default.disable_ipv6")
            .is_none_or(|v| v != "0")
    }

    /// How long DAD keeps a new address of device `d` tentative: no time on `lo` and the
    /// `IFF_NOARP` devices (dummy, ipip), which `addrconf_dad_begin` skips (recorded: an
    /// address added to `lo` is never shown `tentative`, `::1` has no `nodad`).
    fn dad_time(&mut self, d: DevId) -> Duration {
        if matches!(
            self.dev(d).kind,
            DevKind::Loopback | DevKind::Dummy | DevKind::Ipip(_)
        ) {
            return Duration::ZERO;
        }
        self.dad_delay()
    }

    /// How long DAD keeps a new address tentative.
    fn dad_delay(&mut self) -> Duration {
        // addrconf_dad_kick: a random delay below rtr_solicit_delay (1 s), then one
        // RetransTimer (1 s) per dad_transmits (1).
        let r = self.rng.below(1_000_000) as u64;
        Duration::from_micros(1_000_000 + r)
    }

    /// `ipv6_add_addr` + `ipv6_link_dev_addr`: the list is ordered by decreasing scope
    /// (global before link-local), newest first within a scope.
    fn ipv6_link_dev_addr(&mut self, d: DevId, mut ifa: Inet6Ifaddr) {
        if self.dev_running(d) && ifa.flags & IFA_F_NODAD == 0 {
            ifa.dad_done = Some(self.now + self.dad_time(d));
        }
        let rank = |s: u8| match s {
            SCOPE_GLOBAL => 0,
            SCOPE_LINK => 1,
            _ => 2,
        };
        if self.dev_running(d) {
            self.addrconf_prefix_route(d, ifa.addr, ifa.plen);
        }
        let list = &self.dev(d).inet6;
        let pos = list
            .iter()
            .position(|a| rank(a.scope) >= rank(ifa.scope))
            .unwrap_or(list.len());
        self.dev_mut(d).inet6.insert(pos, ifa);
    }

    /// `inet6_rtm_newaddr` → `inet6_addr_add`.
    pub fn inet6_rtm_newaddr(&mut self, ns: NsId, m: &Addr6Msg) -> Result<(), RtnlError> {
        let d = self.dev_by_ifindex(ns, m.ifindex).ok_or(Errno::ENODEV)?;
        if m.plen > 128 {
            return Err(Errno::EINVAL.into());
        }
        if self.dev(d).disable_ipv6 {
            if !self.ipv6_netns {
                self.ipv6_disabled_refused = true;
            }
            return Err(RtnlError::extack(
                Errno::EACCES,
                "ipv6: IPv6 is disabled on this device",
            ));
        }
        if self.dev(d).inet6.iter().any(|a| a.addr == m.addr) {
            return Err(RtnlError::extack(
                Errno::EEXIST,
                "ipv6: address already assigned",
            ));
        }
        self.ipv6_configured(ns);
        let ifa = Inet6Ifaddr {
            addr: m.addr,
            plen: m.plen,
            scope: ipv6_addr_scope(&m.addr),
            flags: m.flags & IFA_F_NODAD,
            dad_done: None,
        };
        self.ipv6_link_dev_addr(d, ifa);
        Ok(())
    }

    /// `inet6_rtm_deladdr` → `inet6_addr_del`: the address (and prefix length) must match.
    pub fn inet6_rtm_deladdr(
        &mut self,
        ns: NsId,
        ifindex: IfIndex,
        addr: Ipv6Addr,
        plen: u8,
    ) -> Result<(), RtnlError> {
        let d = self.dev_by_ifindex(ns, ifindex).ok_or(Errno::ENODEV)?;
        let pos = self
            .dev(d)
            .inet6
            .iter()
            .position(|a| a.addr == addr && a.plen == plen)
            .ok_or_else(|| RtnlError::extack(Errno::EADDRNOTAVAIL, "ipv6: address not found"))?;
        let a = self.dev_mut(d).inet6.remove(pos);
        self.addrconf_prefix_route_del(d, a.addr, a.plen);
        Ok(())
    }

    /// `ip -6 addr flush dev D`: iproute2 dumps the device's IPv6 addresses and deletes each.
    pub fn inet6_flushaddr(&mut self, ns: NsId, ifindex: IfIndex) -> Result<(), RtnlError> {
        let d = self.dev_by_ifindex(ns, ifindex).ok_or(Errno::ENODEV)?;
        for a in std::mem::take(&mut self.dev_mut(d).inet6) {
            self.addrconf_prefix_route_del(d, a.addr, a.plen);
        }
        Ok(())
    }

    /// `addrconf_notify(NETDEV_UP)` → `addrconf_dev_config` / `init_loopback`: with IPv6
    /// enabled on the device, `lo` gets `::1/128` and an Ethernet-like device its EUI-64
    /// link-local address; DAD starts for the tentative ones. `NETDEV_DOWN`
    /// (`addrconf_ifdown`, `keep_addr_on_down` 0): every address goes.
    pub fn addrconf_dev_updown(&mut self, d: DevId, up: bool) {
        if !up {
            self.dev_mut(d).inet6.clear();
            self.rt6_disable_dev(d);
            return;
        }
        if self.dev(d).disable_ipv6 {
            return;
        }
        let now = self.now;
        let pending: Vec<usize> = (0..self.dev(d).inet6.len())
            .filter(|&i| {
                let a = &self.dev(d).inet6[i];
                a.flags & IFA_F_NODAD == 0 && a.dad_done.is_none()
            })
            .collect();
        for i in pending {
            let t = now + self.dad_time(d);
            self.dev_mut(d).inet6[i].dad_done = Some(t);
        }
        for a in self.dev(d).inet6.clone() {
            self.addrconf_prefix_route(d, a.addr, a.plen);
        }
        let (addr, plen) = match self.dev(d).kind {
            DevKind::Loopback => (Ipv6Addr::LOCALHOST, 128),
            DevKind::Ipip(_) => return,
            _ => (eui64_link_local(&self.dev(d).mac), 64),
        };
        if self.dev(d).inet6.iter().any(|a| a.addr == addr) {
            return;
        }
        // The kernel's own addresses (fe80::/64, lo's ::1) are not the lab configuring IPv6:
        // a lab run with IPv6 enabled that never asks for it gets no note.
        let ifa = Inet6Ifaddr {
            addr,
            plen,
            scope: ipv6_addr_scope(&addr),
            flags: 0,
            dad_done: None,
        };
        self.ipv6_link_dev_addr(d, ifa);
    }

    /// `disable_ipv6` written on a device (`addrconf_disable_ipv6` → `dev_disable_change`):
    /// enabling it on an up device configures it as at `NETDEV_UP`, disabling it removes every
    /// address.
    pub fn addrconf_set_disable(&mut self, d: DevId, disable: bool) {
        if self.dev(d).disable_ipv6 == disable {
            return;
        }
        self.dev_mut(d).disable_ipv6 = disable;
        if disable {
            self.dev_mut(d).inet6.clear();
            self.rt6_disable_dev(d);
        } else if self.dev_running(d) {
            self.addrconf_dev_updown(d, true);
        }
    }

    /// Notes that the lab configured IPv6 itself (an address, route or rule it asked for; the
    /// front end says once that IPv6 is kept as configuration only).
    fn ipv6_configured(&mut self, _ns: NsId) {
        self.ipv6_configured = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eui64_from_mac() {
        // Recorded on the kernel: 02:00:00:00:00:01 -> fe80::ff:fe00:1,
        // 36:17:db:4d:ed:00 -> fe80::3417:dbff:fe4d:ed00.
        assert_eq!(
            eui64_link_local(&[2, 0, 0, 0, 0, 1]).to_string(),
            "fe80::ff:fe00:1"
        );
        assert_eq!(
            eui64_link_local(&[0x36, 0x17, 0xdb, 0x4d, 0xed, 0]).to_string(),
            "fe80::3417:dbff:fe4d:ed00"
        );
    }
}

//! IPv6 routes as configuration (`net/ipv6/route.c` `ip6_route_add`/`ip6_route_del`, the
//! `fib6` tree's dump order): stored and listed, never looked up for a packet (nslab models no
//! IPv6 packets, see net/addrconf.rs). The kernel's prefix routes (`proto kernel metric 256`)
//! come and go with the addresses (`addrconf_prefix_route`). Not kept: the `local` table's
//! entries (`local ADDR`, `multicast ff00::/8`), route exceptions, multipath.

use crate::errno::Errno;
use crate::kernel::{DevId, Kernel, NsId};
use crate::net::fib::{RTPROT_KERNEL, RT_TABLE_MAIN};
use crate::net::rtnetlink::RtnlError;
use std::cmp::Ordering;
use std::net::Ipv6Addr;

/// `RTN_UNICAST`, `RTN_BLACKHOLE`, `RTN_UNREACHABLE`, `RTN_PROHIBIT`.
pub const RTN_UNICAST: u8 = 1;
pub const RTN_BLACKHOLE: u8 = 6;
pub const RTN_UNREACHABLE: u8 = 7;
pub const RTN_PROHIBIT: u8 = 8;

/// One IPv6 route (`struct fib6_info` with its one nexthop).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rt6Info {
    pub dst: Ipv6Addr,
    pub plen: u8,
    pub gw: Option<Ipv6Addr>,
    /// The nexthop device (`lo` for unreachable/prohibit/blackhole, as the kernel shows them).
    pub dev: Option<DevId>,
    pub metric: u32,
    pub proto: u8,
    pub rtype: u8,
    pub table: u32,
}

/// The masked address of a prefix.
pub fn ipv6_prefix(a: Ipv6Addr, plen: u8) -> u128 {
    let v = u128::from(a);
    if plen == 0 {
        0
    } else {
        v & (u128::MAX << (128 - u32::from(plen.min(128))))
    }
}

/// The order of a `fib6` tree walk as `ip -6 route` prints it (recorded): by address, a prefix
/// after the more specific ones it holds (`default` last), lower metric first; equal keys in
/// insertion order (the caller sorts stably).
pub fn fib6_dump_order(a: &Rt6Info, b: &Rt6Info) -> Ordering {
    let common = a.plen.min(b.plen);
    let (pa, pb) = (ipv6_prefix(a.dst, common), ipv6_prefix(b.dst, common));
    pa.cmp(&pb)
        .then(b.plen.cmp(&a.plen))
        .then(a.metric.cmp(&b.metric))
}

/// What `ip -6 route add|replace|del` sends (`RTM_NEWROUTE`/`RTM_DELROUTE`, `AF_INET6`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Route6Msg {
    pub dst: Option<(Ipv6Addr, u8)>,
    pub gw: Option<Ipv6Addr>,
    pub dev: Option<DevId>,
    /// `None`: 1024 on add (`IP6_RT_PRIO_USER`), any on delete.
    pub metric: Option<u32>,
    pub proto: Option<u8>,
    pub rtype: Option<u8>,
    pub table: Option<u32>,
}

impl Kernel {
    /// `ip6_route_add` → `fib6_add`: the same prefix and metric in the table is `EEXIST`
    /// (`NLM_F_EXCL`), replaced with `NLM_F_REPLACE`. A gateway without a device takes the
    /// device of the route that reaches it (`ip6_route_check_nh`); none: `EHOSTUNREACH`.
    pub fn ip6_route_add(
        &mut self,
        ns: NsId,
        m: &Route6Msg,
        replace: bool,
    ) -> Result<(), RtnlError> {
        self.ip6_route_add_flags(ns, m, replace, false)
    }

    /// `ip6_route_multipath_add`'s later nexthops (`NLM_F_APPEND`): a sibling of the same
    /// prefix and metric is added; only an identical nexthop is `EEXIST`.
    pub fn ip6_route_append(&mut self, ns: NsId, m: &Route6Msg) -> Result<(), RtnlError> {
        self.ip6_route_add_flags(ns, m, false, true)
    }

    fn ip6_route_add_flags(
        &mut self,
        ns: NsId,
        m: &Route6Msg,
        replace: bool,
        append: bool,
    ) -> Result<(), RtnlError> {
        let (dst, plen) = m.dst.unwrap_or((Ipv6Addr::UNSPECIFIED, 0));
        let rtype = m.rtype.unwrap_or(RTN_UNICAST);
        let table = m.table.unwrap_or(RT_TABLE_MAIN);
        let metric = m.metric.unwrap_or(1024);
        let mut dev = m.dev;
        if rtype != RTN_UNICAST {
            dev = self.dev_by_name(ns, "lo");
        } else if let Some(gw) = m.gw {
            if dev.is_none() {
                dev = self.ip6_route_dev_for(ns, gw);
                if dev.is_none() {
                    return Err(Errno::EHOSTUNREACH.into());
                }
            }
        } else if dev.is_none() {
            return Err(Errno::ENODEV.into());
        }
        let rt = Rt6Info {
            dst: Ipv6Addr::from(ipv6_prefix(dst, plen)),
            plen,
            gw: m.gw,
            dev,
            metric,
            proto: m.proto.unwrap_or(crate::net::fib::RTPROT_BOOT),
            rtype,
            table,
        };
        self.ipv6_configured = true;
        let routes = &mut self.net_mut(ns).rt6;
        let same = routes.iter().position(|r| {
            r.table == rt.table
                && r.plen == rt.plen
                && r.dst == rt.dst
                && r.metric == rt.metric
                && (!append || (r.gw == rt.gw && r.dev == rt.dev))
        });
        match same {
            Some(_) if !replace => Err(Errno::EEXIST.into()),
            Some(i) => {
                routes[i] = rt;
                Ok(())
            }
            None => {
                routes.push(rt);
                Ok(())
            }
        }
    }

    /// `ip6_route_del`: the first route of the table with that prefix (and metric, gateway,
    /// device when given); none: `ESRCH`.
    pub fn ip6_route_del(&mut self, ns: NsId, m: &Route6Msg) -> Result<(), RtnlError> {
        let (dst, plen) = m.dst.unwrap_or((Ipv6Addr::UNSPECIFIED, 0));
        let dst = Ipv6Addr::from(ipv6_prefix(dst, plen));
        let table = m.table.unwrap_or(RT_TABLE_MAIN);
        let routes = &mut self.net_mut(ns).rt6;
        let i = routes
            .iter()
            .position(|r| {
                r.table == table
                    && r.plen == plen
                    && r.dst == dst
                    && m.metric.is_none_or(|x| x == r.metric)
                    && m.gw.is_none_or(|g| r.gw == Some(g))
                    && m.dev.is_none_or(|d| r.dev == Some(d))
            })
            .ok_or(Errno::ESRCH)?;
        routes.remove(i);
        Ok(())
    }

    /// The device of the longest-prefix route of the main table that reaches `gw` directly.
    fn ip6_route_dev_for(&self, ns: NsId, gw: Ipv6Addr) -> Option<DevId> {
        self.net(ns)
            .rt6
            .iter()
            .filter(|r| {
                r.table == RT_TABLE_MAIN
                    && r.rtype == RTN_UNICAST
                    && r.gw.is_none()
                    && ipv6_prefix(gw, r.plen) == u128::from(r.dst)
            })
            .max_by_key(|r| r.plen)
            .and_then(|r| r.dev)
    }

    /// `addrconf_prefix_route`: the prefix route of an address (`proto kernel metric 256`),
    /// once per prefix and device.
    pub(crate) fn addrconf_prefix_route(&mut self, d: DevId, addr: Ipv6Addr, plen: u8) {
        if plen == 128 || addr.is_loopback() {
            return;
        }
        let ns = self.dev(d).ns;
        let dst = Ipv6Addr::from(ipv6_prefix(addr, plen));
        let routes = &mut self.net_mut(ns).rt6;
        if routes
            .iter()
            .any(|r| r.dst == dst && r.plen == plen && r.dev == Some(d) && r.proto == RTPROT_KERNEL)
        {
            return;
        }
        routes.push(Rt6Info {
            dst,
            plen,
            gw: None,
            dev: Some(d),
            metric: 256,
            proto: RTPROT_KERNEL,
            rtype: RTN_UNICAST,
            table: RT_TABLE_MAIN,
        });
    }

    /// The prefix route of an address that went, unless another address of the device has
    /// the same prefix (`ipv6_del_addr` → `cleanup_prefix_route`).
    pub(crate) fn addrconf_prefix_route_del(&mut self, d: DevId, addr: Ipv6Addr, plen: u8) {
        let dst = ipv6_prefix(addr, plen);
        if self
            .dev(d)
            .inet6
            .iter()
            .any(|a| a.plen == plen && ipv6_prefix(a.addr, plen) == dst)
        {
            return;
        }
        let ns = self.dev(d).ns;
        self.net_mut(ns).rt6.retain(|r| {
            !(u128::from(r.dst) == dst
                && r.plen == plen
                && r.dev == Some(d)
                && r.proto == RTPROT_KERNEL)
        });
    }

    /// `rt6_sync_down_dev` / `rt6_disable_ip` on `NETDEV_DOWN` or unregister: every route
    /// through the device goes.
    pub(crate) fn rt6_disable_dev(&mut self, d: DevId) {
        let ns = self.dev(d).ns;
        self.net_mut(ns).rt6.retain(|r| r.dev != Some(d));
    }
}

/// `fib6_rules_net_init`: IPv6 has the `local` (0) and `main` (32766) rules, no `default`.
pub fn fib6_default_rules() -> crate::net::fib_rules::FibRules {
    use crate::net::fib_rules::DEFAULT_RULES;
    crate::net::fib_rules::FibRules {
        rules: std::borrow::Cow::Borrowed(&DEFAULT_RULES[..2]),
        has_custom: false,
    }
}

//! The FIB's side of addresses (`net/ipv4/fib_frontend.c`): the routes an address brings
//! (`fib_add_ifaddr`, `fib_del_ifaddr`) and reverse-path validation (`fib_validate_source`).

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, DevKind, IfAddr, Kernel};
use crate::net::devconf::*;
use crate::net::fib::*;
use std::net::Ipv4Addr;

impl Kernel {
    /// `fib_add_ifaddr`: the local, broadcast and prefix routes the kernel adds for an address.
    pub fn fib_add_ifaddr(&mut self, d: DevId, ifa: &IfAddr) {
        let dev = self.dev(d);
        let ns = dev.ns;
        let up = dev.up;
        let loopback = matches!(dev.kind, DevKind::Loopback);
        // fib_magic: a device in a VRF has all its routes in the VRF's table.
        let vrf_table = self.l3mdev_fib_table(d);
        let dev = self.dev(d);
        // A secondary address's routes carry the primary of its subnet as source
        // (`prim = inet_ifa_byprefix(...)` in fib_add_ifaddr).
        let src = if ifa.secondary {
            dev.addrs
                .iter()
                .find(|a| {
                    !a.secondary
                        && a.plen == ifa.plen
                        && prefix_of(a.address, a.plen) == prefix_of(ifa.address, ifa.plen)
                })
                .map_or(ifa.local, |a| a.local)
        } else {
            ifa.local
        };
        let mk = |table, dst, plen, rtype, scope| Route {
            table: vrf_table.unwrap_or(table),
            dst,
            plen,
            rtype,
            proto: RTPROT_KERNEL,
            scope,
            prefsrc: Some(src),
            // fib_magic: only the prefix route carries the address's metric.
            metric: if rtype == RtnType::Unicast {
                ifa.rt_priority
            } else {
                0
            },
            gw: None,
            dev: Some(d),
            onlink: false,
            nh_scope: RT_SCOPE_HOST,
            nhid: None,
            nhs: Vec::new(),
            metrics: None,
        };
        let mut routes = vec![mk(
            RT_TABLE_LOCAL,
            ifa.local,
            32,
            RtnType::Local,
            RT_SCOPE_HOST,
        )];
        if up {
            if let Some(b) = ifa.broadcast.filter(|b| *b != Ipv4Addr::BROADCAST) {
                routes.push(mk(RT_TABLE_LOCAL, b, 32, RtnType::Broadcast, RT_SCOPE_LINK));
            }
            let prefix = prefix_of(ifa.address, ifa.plen);
            if !prefix.is_unspecified() && !ifa.secondary && (prefix != ifa.local || ifa.plen < 32)
            {
                if loopback {
                    routes.push(mk(
                        RT_TABLE_LOCAL,
                        prefix,
                        ifa.plen,
                        RtnType::Local,
                        RT_SCOPE_HOST,
                    ));
                } else {
                    routes.push(mk(
                        RT_TABLE_MAIN,
                        prefix,
                        ifa.plen,
                        RtnType::Unicast,
                        RT_SCOPE_LINK,
                    ));
                }
                if ifa.plen < 31 {
                    let b = Ipv4Addr::from(u32::from(prefix) | !mask(ifa.plen));
                    routes.push(mk(RT_TABLE_LOCAL, b, 32, RtnType::Broadcast, RT_SCOPE_LINK));
                }
            }
        }
        let fib = &mut self.net_mut(ns).fib;
        for r in routes {
            let t = fib.table(r.table);
            let exists = t
                .routes
                .get(&(u32::from(r.dst), r.plen))
                .is_some_and(|v| v.iter().any(|x| x == &r));
            if !exists {
                t.insert(r);
            }
        }
        // After the address itself was added (its caller's step before): source selection
        // and local-address tests read it.
        self.rt_cache_flush();
    }

    /// `fib_modify_prefix_metric`: the prefix route of a primary address on an up device
    /// (not a /32 of its own local) is re-added with the new metric and the old one deleted.
    pub fn fib_modify_prefix_metric(&mut self, d: DevId, ifa: &IfAddr, new_metric: u32) {
        let prefix = prefix_of(ifa.address, ifa.plen);
        if !self.dev(d).up
            || ifa.secondary
            || prefix.is_unspecified()
            || (prefix == ifa.local && ifa.plen == 32)
        {
            return;
        }
        let ns = self.dev(d).ns;
        let table = self.l3mdev_fib_table(d).unwrap_or(RT_TABLE_MAIN);
        let t = self.net_mut(ns).fib.table(table);
        let Some(v) = t.routes.get_mut(&(u32::from(prefix), ifa.plen)) else {
            return;
        };
        let Some(pos) = v.iter().position(|r| {
            r.proto == RTPROT_KERNEL
                && r.dev == Some(d)
                && r.prefsrc == Some(ifa.local)
                && r.metric == ifa.rt_priority
        }) else {
            return;
        };
        let mut r = v.remove(pos);
        r.metric = new_metric;
        t.insert(r);
        self.rt_cache_flush();
    }

    /// `fib_del_ifaddr`: removes the routes an address brought (those with it as prefsrc).
    pub fn fib_del_ifaddr(&mut self, d: DevId, ifa: &IfAddr) {
        let ns = self.dev(d).ns;
        let still_local = self
            .net(ns)
            .devs
            .iter()
            .any(|&x| self.dev(x).addrs.iter().any(|a| a.local == ifa.local));
        for t in self.net_mut(ns).fib.tables_mut().values_mut() {
            t.retain(|r| {
                let own_local = r.rtype == RtnType::Local && r.dst == ifa.local;
                let brought = r.prefsrc == Some(ifa.local) || own_local;
                !(r.proto == RTPROT_KERNEL
                    && r.dev == Some(d)
                    && brought
                    && !(still_local && own_local))
            });
        }
        // After the address itself went (its caller's step before).
        self.rt_cache_flush();
    }

    /// Re-adds the routes of every address of a device that came up (NETDEV_UP).
    pub fn fib_add_dev_addrs(&mut self, d: DevId) {
        for a in self.dev(d).addrs.clone() {
            self.fib_add_ifaddr(d, &a);
        }
    }

    /// `fib_validate_source`: a source that is an address of this namespace is a martian
    /// unless `accept_local` (`IP_LOCAL_SOURCE`; what ends a two-router loop at the first
    /// router that sent the packet), then `rp_filter` 1 (strict) and 2 (loose).
    pub(crate) fn fib_validate_source(&self, d: DevId, src: Ipv4Addr) -> Result<(), SkbDropReason> {
        let dev = self.dev(d);
        if matches!(dev.kind, DevKind::Loopback) {
            // A packet looped back keeps the route it was sent with (skb_valid_dst), so
            // ip_rcv_finish never routes, nor validates, it again.
            return Ok(());
        }
        let ns = dev.ns;
        let conf_all = &self.net(ns).conf_all;
        let accept_local =
            dev.conf.get(CONF_ACCEPT_LOCAL) != 0 || conf_all.get(CONF_ACCEPT_LOCAL) != 0;
        // (Only a VRF or a device with a master can be in a VRF: l3mdev_master_dev.)
        let vrf = if matches!(dev.kind, DevKind::Vrf(_)) || dev.master.is_some() {
            self.l3mdev_master_dev(d)
        } else {
            None
        };
        if let Some(vrf) = vrf {
            // With the l3mdev rule the kernel makes the full check (custom rules): the
            // source looked up in the VRF (iif = the VRF) must not be local there, and
            // rp_filter 1 wants its route through a device of that VRF.
            let mut fl = crate::net::fib_rules::Flowi4::output(src);
            fl.iif = self.dev(vrf).ifindex;
            // (A route of an error type is a failed lookup: last_resort.)
            let r = self.fib_lookup(ns, &mut fl, &|_| true).ok().filter(|r| {
                !matches!(
                    r.rtype,
                    RtnType::Unreachable | RtnType::Prohibit | RtnType::Blackhole | RtnType::Throw
                )
            });
            if let Some(r) = r {
                if r.rtype != RtnType::Unicast && (r.rtype != RtnType::Local || !accept_local) {
                    return Err(SkbDropReason::IpLocalSource);
                }
            }
            let mode = self
                .dev(d)
                .conf
                .get(CONF_RP_FILTER)
                .max(self.net(ns).conf_all.get(CONF_RP_FILTER));
            let through_vrf = r.is_some_and(|r| {
                r.uses_dev(vrf)
                    || r.dev
                        .is_some_and(|x| self.l3mdev_master_dev(x) == Some(vrf))
            });
            if mode == 1 && !through_vrf {
                return Err(SkbDropReason::IpRpfilter);
            }
            if mode == 2 && r.is_none() {
                return Err(SkbDropReason::IpRpfilter);
            }
            return Ok(());
        }
        if !accept_local && self.inet_lookup_ifaddr(ns, src) {
            return Err(SkbDropReason::IpLocalSource);
        }
        // rp_filter 0 in the device and in `all`: no reverse-path lookup (rp_filter_ok's
        // first test, read here on the device already at hand).
        let rp_filter = dev
            .conf
            .get(CONF_RP_FILTER)
            .max(conf_all.get(CONF_RP_FILTER));
        if rp_filter != 0 && !self.rp_filter_ok(d, src) {
            return Err(SkbDropReason::IpRpfilter);
        }
        Ok(())
    }

    /// `fib_validate_source` for `rp_filter` 1 (strict) and 2 (loose).
    pub(crate) fn rp_filter_ok(&self, d: DevId, src: Ipv4Addr) -> bool {
        let ns = self.dev(d).ns;
        let mode = self
            .dev(d)
            .conf
            .get(CONF_RP_FILTER)
            .max(self.net(ns).conf_all.get(CONF_RP_FILTER));
        if mode == 0 || src.is_unspecified() {
            return true;
        }
        match self.net(ns).fib.lookup(src, &|_| true) {
            None => false,
            Some(r) if mode == 1 => r.dev == Some(d) || r.rtype == RtnType::Local,
            Some(_) => true,
        }
    }
}

//! Routing for IPv4 (`net/ipv4/route.c`): the output route lookup (`ip_route_output_key`)
//! and the input route type ARP asks for (`ip_route_input_noref`).

use crate::kernel::{DevId, Kernel, NsId};
use crate::net::fib::*;
use crate::net::fib_rules::{Flowi4, RuleErr, IPTOS_RT_MASK};
use std::net::Ipv4Addr;

/// The result of an output route lookup (`struct rtable` for locally generated packets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutRoute {
    pub rtype: RtnType,
    pub dev: DevId,
    pub gw: Option<Ipv4Addr>,
    pub src: Ipv4Addr,
    pub table: u32,
    pub route_dst: Ipv4Addr,
    pub route_plen: u8,
}

/// Why an output route lookup failed, as an errno for the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteErr {
    NetUnreach,
    HostUnreach,
    Invalid,
    /// A netfilter hook dropped the locally generated packet (`EPERM`).
    Perm,
}

impl Kernel {
    /// The type of route an input packet to `dst` from `src` arriving on `d` would get, and its
    /// output device (`ip_route_input_noref` as ARP uses it). None when input routing fails.
    pub(crate) fn ip_route_input_type(
        &self,
        d: DevId,
        dst: Ipv4Addr,
        _src: Ipv4Addr,
    ) -> Option<(RtnType, Option<DevId>)> {
        let ns = self.dev(d).ns;
        let r = self.net(ns).fib.lookup(dst, &|_| true)?;
        match r.rtype {
            RtnType::Local | RtnType::Broadcast => Some((r.rtype, r.dev)),
            _ if !self.dev_forwarding(d) => None,
            t => Some((t, r.dev)),
        }
    }

    /// `ip_route_output_key`: the route, device, nexthop and source for a locally generated packet.
    pub fn ip_route_output(
        &self,
        ns: NsId,
        dst: Ipv4Addr,
        src: Ipv4Addr,
        oif: Option<DevId>,
    ) -> Result<OutRoute, RouteErr> {
        let mut fl = Flowi4::output(dst);
        fl.src = src;
        self.ip_route_output_key(ns, &fl, oif)
    }

    /// `ip_route_output_key_hash_rcu` for a whole flow (`fl.oif` is set from `oif`): the rules
    /// see its source, TOS, mark, uid, protocol and ports.
    pub fn ip_route_output_key(
        &self,
        ns: NsId,
        fl: &Flowi4,
        oif: Option<DevId>,
    ) -> Result<OutRoute, RouteErr> {
        let (dst, src) = (fl.dst, fl.src);
        // ip_route_output_key_hash_rcu: a given source must be a valid, local address
        if !src.is_unspecified() {
            if src.is_multicast() || src.is_broadcast() {
                return Err(RouteErr::Invalid);
            }
            if !self.inet_addr_is_local(ns, src) {
                return Err(RouteErr::NetUnreach);
            }
        }
        let mut fl = fl.clone();
        fl.oif = oif.map_or(0, |d| self.dev(d).ifindex);
        fl.tos &= IPTOS_RT_MASK;
        let net = self.net(ns);
        if dst.is_broadcast() {
            // Without an oif the limited broadcast follows the FIB (usually the default
            // route's device): `__mkroute_output` makes it RTN_BROADCAST.
            let dev = match oif {
                Some(d) => d,
                None => net
                    .fib
                    .lookup(dst, &|_| true)
                    .and_then(|r| r.dev)
                    .ok_or(RouteErr::NetUnreach)?,
            };
            let src = if src.is_unspecified() {
                self.inet_select_addr(dev, Ipv4Addr::UNSPECIFIED, RT_SCOPE_LINK)
            } else {
                src
            };
            return Ok(OutRoute {
                rtype: RtnType::Broadcast,
                dev,
                gw: None,
                src,
                table: RT_TABLE_LOCAL,
                route_dst: dst,
                route_plen: 32,
            });
        }
        let usable = |r: &Route| oif.is_none() || r.dev == oif || r.rtype == RtnType::Local;
        let r = net.fib.lookup_flow(&fl, &usable).map_err(|e| match e {
            RuleErr::NetUnreach => RouteErr::NetUnreach,
            // a blackhole rule is EINVAL; prohibit (EACCES) has no RouteErr of its own
            RuleErr::Blackhole | RuleErr::Prohibit => RouteErr::Invalid,
        })?;
        let dev = r.dev.ok_or(RouteErr::NetUnreach)?;
        match r.rtype {
            RtnType::Unicast | RtnType::Local | RtnType::Broadcast => {}
            RtnType::Unreachable | RtnType::Blackhole | RtnType::Throw => {
                return Err(RouteErr::HostUnreach)
            }
            RtnType::Prohibit => return Err(RouteErr::Invalid),
        }
        let (dev, src) = if r.rtype == RtnType::Local {
            let lo = self.dev_by_name(ns, "lo").unwrap_or(dev);
            (
                lo,
                if src.is_unspecified() {
                    r.prefsrc.unwrap_or(dst)
                } else {
                    src
                },
            )
        } else {
            let s = if !src.is_unspecified() {
                src
            } else if let Some(p) = r.prefsrc {
                p
            } else {
                self.inet_select_addr(dev, r.gw.unwrap_or(Ipv4Addr::UNSPECIFIED), r.scope)
            };
            (dev, s)
        };
        // __mkroute_output: a loopback source leaves only through a loopback device, unless
        // route_localnet is set on the output device
        if src.is_loopback()
            && !matches!(self.dev(dev).kind, crate::kernel::DevKind::Loopback)
            && !self.dev_route_localnet(dev)
        {
            return Err(RouteErr::Invalid);
        }
        Ok(OutRoute {
            rtype: r.rtype,
            dev,
            gw: r.gw,
            src,
            table: r.table,
            route_dst: r.dst,
            route_plen: r.plen,
        })
    }
}

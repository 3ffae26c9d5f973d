//! Routing for IPv4 (`net/ipv4/route.c`): the output route lookup (`ip_route_output_key`),
//! the input route type ARP asks for (`ip_route_input_noref`) and `ip_error`, the input
//! route of a packet that cannot be forwarded.

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, Kernel, NsId};
use crate::net::fib::*;
use crate::net::inetpeer::{jiffies, HZ};
use crate::net::skbuff::SkBuff;
use crate::wire::*;
use std::net::Ipv4Addr;

/// `ip_rt_error_cost` and `ip_rt_error_burst` (jiffies).
const IP_RT_ERROR_COST: u64 = HZ;
const IP_RT_ERROR_BURST: u64 = 5 * HZ;

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

/// Why an output route lookup (or the output path) failed, as an errno for the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteErr {
    NetUnreach,
    /// An `unreachable` route (`fib_props[RTN_UNREACHABLE].error`).
    HostUnreach,
    /// A `prohibit` route (`fib_props[RTN_PROHIBIT].error`: `EACCES`).
    Acces,
    /// A `blackhole` route (`fib_props[RTN_BLACKHOLE].error`: `EINVAL`).
    Invalid,
    /// A netfilter hook dropped the locally generated packet (`EPERM`).
    Perm,
    /// The device dropped the packet (`NET_XMIT_DROP` → `ENOBUFS`, e.g. `veth_xmit`).
    NoBufs,
    /// The output device is down (`__dev_queue_xmit`'s `-ENETDOWN`).
    NetDown,
}

impl RouteErr {
    /// The errno the socket call returns.
    pub fn errno(self) -> crate::errno::Errno {
        use crate::errno::Errno;
        match self {
            RouteErr::NetUnreach => Errno::ENETUNREACH,
            RouteErr::HostUnreach => Errno::EHOSTUNREACH,
            RouteErr::Acces => Errno::EACCES,
            RouteErr::Invalid => Errno::EINVAL,
            RouteErr::Perm => Errno::EPERM,
            RouteErr::NoBufs => Errno::ENOBUFS,
            RouteErr::NetDown => Errno::ENETDOWN,
        }
    }
}

impl Kernel {
    /// The type of route an input packet to `dst` from `src` arriving on `d` would get, and its
    /// output device (`ip_route_input_noref` as ARP uses it). None when input routing fails.
    pub(crate) fn ip_route_input_type(
        &self,
        d: DevId,
        dst: Ipv4Addr,
        src: Ipv4Addr,
    ) -> Option<(RtnType, Option<DevId>)> {
        let ns = self.dev(d).ns;
        let r = self.net(ns).fib.lookup(dst, &|_| true)?;
        let t = match r.rtype {
            RtnType::Local | RtnType::Broadcast => r.rtype,
            _ if !self.dev_forwarding(d) => return None,
            t => t,
        };
        // Local and forwarded routes validate the source (a martian one fails the lookup, so
        // ARP does not answer a request whose sender address is ours).
        if matches!(t, RtnType::Local | RtnType::Unicast)
            && self.fib_validate_source(d, src).is_err()
        {
            return None;
        }
        Some((t, r.dev))
    }

    /// `ip_route_output_key`: the route, device, nexthop and source for a locally generated packet.
    pub fn ip_route_output(
        &self,
        ns: NsId,
        dst: Ipv4Addr,
        src: Ipv4Addr,
        oif: Option<DevId>,
    ) -> Result<OutRoute, RouteErr> {
        let net = self.net(ns);
        if dst.is_broadcast() {
            let dev = oif.ok_or(RouteErr::NetUnreach)?;
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
        let r = net.fib.lookup(dst, &usable).ok_or(RouteErr::NetUnreach)?;
        // fib_table_lookup answers a route's type error (`fib_props[type].error`) before
        // any device is looked at; a `throw` with no further table is -EAGAIN, which
        // fib_lookup turns into -ENETUNREACH.
        match r.rtype {
            RtnType::Unicast | RtnType::Local | RtnType::Broadcast => {}
            RtnType::Unreachable => return Err(RouteErr::HostUnreach),
            RtnType::Prohibit => return Err(RouteErr::Acces),
            RtnType::Blackhole => return Err(RouteErr::Invalid),
            RtnType::Throw => return Err(RouteErr::NetUnreach),
        }
        let dev = r.dev.ok_or(RouteErr::NetUnreach)?;
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

    /// `ip_error`: the input route of a packet `fib_lookup` refused (`dst.error`): an ICMP
    /// destination unreachable for EHOSTUNREACH (host), ENETUNREACH (net) and EACCES (packet
    /// filtered), nothing for EINVAL (blackhole); at most one per `ip_rt_error_cost` (1 s)
    /// per source with a burst of `ip_rt_error_burst` (5 s), on the peer's bucket the ICMP
    /// limit also takes from. A device that does not forward only counts the drop.
    pub(crate) fn ip_error(&mut self, d: DevId, skb: &SkBuff, err: RouteErr) {
        use SkbDropReason as R;
        if !self.dev_forwarding(d) {
            let reason = match err {
                RouteErr::HostUnreach => R::IpInAddrErrors,
                RouteErr::NetUnreach => R::IpInNoRoutes,
                _ => R::NotSpecified,
            };
            return self.kfree_skb_reason(Some(d), reason, "ip_error");
        }
        let (code, reason) = match err {
            RouteErr::HostUnreach => (ICMP_HOST_UNREACH, R::NotSpecified),
            RouteErr::NetUnreach => (ICMP_NET_UNREACH, R::IpInNoRoutes),
            RouteErr::Acces => (ICMP_PKT_FILTERED, R::NotSpecified),
            _ => return self.kfree_skb_reason(Some(d), R::NotSpecified, "ip_error"),
        };
        let ns = self.dev(d).ns;
        let saddr = Ipv4Addr::new(
            skb.data()[12],
            skb.data()[13],
            skb.data()[14],
            skb.data()[15],
        );
        let now = jiffies(self.now);
        let peer = self.inet_getpeer_v4(ns, saddr);
        peer.rate_tokens += now.wrapping_sub(peer.rate_last);
        peer.rate_tokens = peer.rate_tokens.min(IP_RT_ERROR_BURST);
        peer.rate_last = now;
        let send = if peer.rate_tokens >= IP_RT_ERROR_COST {
            peer.rate_tokens -= IP_RT_ERROR_COST;
            true
        } else {
            false
        };
        if send {
            self.icmp_send(ns, Some(d), skb, ICMP_DEST_UNREACH, code, [0; 4]);
        } else {
            self.trace(ns, || format!("ip_error: rate limit to {saddr}: no ICMP"));
        }
        self.kfree_skb_reason(Some(d), reason, "ip_error");
    }
}

//! Routing for IPv4 (`net/ipv4/route.c`): the output route lookup (`ip_route_output_key`),
//! the input route type ARP asks for (`ip_route_input_noref`) and `ip_error`, the input
//! route of a packet that cannot be forwarded.

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, Kernel, NsId};
use crate::net::fib::*;
use crate::net::fib_rules::{Flowi4, RuleErr, IPTOS_RT_MASK, LOOPBACK_IFINDEX};
use crate::net::inetpeer::{jiffies, HZ};
use crate::net::skbuff::SkBuff;
use crate::wire::*;
use std::net::Ipv4Addr;

/// `ip_rt_error_cost` and `ip_rt_error_burst` (jiffies).
/// `ip_tos2prio` (`net/ipv4/route.c`): the `TC_PRIO_*` band of each of the 16 values of
/// `IPTOS_TOS(tos) >> 1` (the odd ones, "ECN_OR_COST", are the same as the even ones).
const IP_TOS2PRIO: [u8; 16] = [0, 0, 0, 0, 2, 2, 2, 2, 6, 6, 6, 6, 4, 4, 4, 4];

/// `rt_tos2priority` (`include/net/route.h`): the `skb->priority` a TOS stands for (`IP_TOS`
/// sets the socket's `sk_priority` so, `ip_forward` a forwarded packet's).
pub fn rt_tos2priority(tos: u8) -> u32 {
    // IPTOS_TOS(tos) = tos & IPTOS_TOS_MASK (0x1e).
    u32::from(IP_TOS2PRIO[usize::from((tos & 0x1e) >> 1)])
}

const IP_RT_ERROR_COST: u64 = HZ;
const IP_RT_ERROR_BURST: u64 = 5 * HZ;

/// `net.ipv4.route.mtu_expires`: how long a learned path MTU lives.
pub const MTU_EXPIRES: sim_core::Duration = sim_core::Duration::from_secs(600);
/// `net.ipv4.route.min_pmtu`.
pub const MIN_PMTU: u32 = 552;
/// `ip_rt_gc_timeout` (`RT_GC_TIMEOUT`): how long a redirect's exception lives.
const IP_RT_GC_TIMEOUT: sim_core::Duration = sim_core::Duration::from_secs(300);
/// `ip_rt_redirect_number`, `ip_rt_redirect_load` and `ip_rt_redirect_silence` (jiffies).
const IP_RT_REDIRECT_NUMBER: u32 = 9;
const IP_RT_REDIRECT_LOAD: u64 = HZ / 50;
const IP_RT_REDIRECT_SILENCE: u64 = IP_RT_REDIRECT_LOAD << (IP_RT_REDIRECT_NUMBER + 1);

/// `struct fib_nh_exception`: what the kernel learnt about one destination reached through one
/// nexthop (the route's device and gateway): a redirected gateway and/or a path MTU, with one
/// expiry (the latest update's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FibNhException {
    /// The nexthop the exception belongs to (`fib_nh_common`): device and gateway.
    pub nh_dev: DevId,
    pub nh_gw: Option<Ipv4Addr>,
    /// `fnhe_gw`: the new gateway from an accepted redirect.
    pub gw: Option<Ipv4Addr>,
    /// `fnhe_pmtu` (0: none) and `fnhe_mtu_locked` (below `min_pmtu`).
    pub pmtu: u32,
    pub mtu_locked: bool,
    /// `fnhe_expires`.
    pub expires: sim_core::Instant,
    /// `fnhe_genid`: an exception from before `ip route flush cache` is void.
    pub genid: u32,
    /// The nexthop object the exception hangs off (a route with `nhid`), or None for a
    /// route's own nexthop (its `fib_info`'s).
    pub nhid: Option<u32>,
}

/// A namespace's route exceptions (the kernel hangs them off each nexthop's hash; here they
/// are keyed by destination and carry their nexthop).
#[derive(Clone, Debug, Default)]
pub struct FnheTable {
    pub exceptions: std::collections::BTreeMap<Ipv4Addr, FibNhException>,
    /// `net->ipv4.dev_addr_genid`'s `fnhe_genid`.
    pub genid: u32,
}

/// One cached route of `ip route list cache` (`fib_dump_info_fnhe` → `rt_fill_info`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FnheDump {
    pub dst: Ipv4Addr,
    pub table: u32,
    pub gw: Option<Ipv4Addr>,
    pub oif: u32,
    pub redirected: bool,
    pub expires_secs: u64,
    pub pmtu: u32,
    pub pmtu_locked: bool,
}

/// The result of an output route lookup (`struct rtable` for locally generated packets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutRoute {
    pub rtype: RtnType,
    pub dev: DevId,
    pub gw: Option<Ipv4Addr>,
    pub src: Ipv4Addr,
    pub table: u32,
    pub route_dst: Ipv4Addr,
    pub route_plen: u8,
    /// The matched FIB entry's priority (`fib_priority`).
    pub route_metric: u32,
    /// A FIB entry gave the route (`res->fi`); false for [`OutRoute::onlink`].
    pub from_fib: bool,
}

impl OutRoute {
    /// A route that takes `dst` to be on `dev`'s link, found by no FIB entry (the lookup's
    /// "apparently, routing tables are wrong" case with an output device, and a link-local
    /// group): unicast, no gateway, a /32 of the main table.
    fn onlink(dev: DevId, src: Ipv4Addr, dst: Ipv4Addr) -> OutRoute {
        OutRoute {
            rtype: RtnType::Unicast,
            dev,
            gw: None,
            src,
            table: RT_TABLE_MAIN,
            route_dst: dst,
            route_plen: 32,
            route_metric: 0,
            from_fib: false,
        }
    }
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

/// The input route `ip_rcv` needs of `ip_route_input_slow`'s FIB lookup: the route's type
/// and, after `fib_select_path`, its nexthop (`struct rtable`'s `rt_type`, `rt_gw4`, `dst.dev`),
/// and what `fib_validate_source` says of the packet's source on its device (which
/// `ip_route_input_slow` asks for a local, broadcast or forwarded packet).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct InputRoute {
    pub rtype: RtnType,
    pub gw: Option<Ipv4Addr>,
    pub dev: Option<DevId>,
    pub valid: Result<(), SkbDropReason>,
}

/// How many flows of each kind (output, input) a namespace's route cache holds, replaced in
/// turn: a pod pinging one peer and pinged by another uses two of each (kept small: 100 000
/// pods hold one cache each).
const RT_CACHE_WAYS: usize = 2;

/// What the output cache keys on: the flow's destination, source, TOS, mark and output
/// device (`DevId + 1`, 0: none). A flow with anything else set (uid, protocol, ports, a
/// non-loopback iif, an l3mdev) is not cached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct RtOutKey {
    dst: Ipv4Addr,
    src: Ipv4Addr,
    mark: u32,
    oif: u32,
    tos: u8,
}

impl RtOutKey {
    fn of(fl: &Flowi4, oif: Option<DevId>) -> Option<RtOutKey> {
        // (Every field named: a field Flowi4 gains later must be placed here.)
        let Flowi4 {
            dst,
            src,
            iif,
            oif: fl_oif,
            tos,
            mark,
            uid,
            proto,
            sport,
            dport,
            l3mdev,
            l3mdev_table,
        } = *fl;
        if iif != LOOPBACK_IFINDEX
            || (fl_oif | uid | l3mdev | l3mdev_table) != 0
            || proto != 0
            || (sport | dport) != 0
        {
            return None;
        }
        let oif = match oif {
            None => 0,
            Some(d) => u32::try_from(d).ok()?.checked_add(1)?,
        };
        Some(RtOutKey {
            dst,
            src,
            mark,
            oif,
            tos,
        })
    }
}

/// What the input cache keys on: the flow `ip_rcv` builds (input ifindex, addresses, mark,
/// TOS, protocol, ports); a flow with anything else set is not cached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct RtInKey {
    dst: Ipv4Addr,
    src: Ipv4Addr,
    iif: u32,
    mark: u32,
    sport: u16,
    dport: u16,
    tos: u8,
    proto: u8,
}

impl RtInKey {
    fn of(fl: &Flowi4) -> Option<RtInKey> {
        // (Every field named: a field Flowi4 gains later must be placed here.)
        let Flowi4 {
            dst,
            src,
            iif,
            oif,
            tos,
            mark,
            uid,
            proto,
            sport,
            dport,
            l3mdev,
            l3mdev_table,
        } = *fl;
        ((oif | uid | l3mdev | l3mdev_table) == 0).then_some(RtInKey {
            dst,
            src,
            iif,
            mark,
            sport,
            dport,
            tos,
            proto,
        })
    }
}

/// One cached answer, with the [`Kernel::rt_genid`] it was made in.
#[derive(Clone, Copy, Debug)]
struct RtEntry<K, V> {
    genid: u32,
    key: K,
    val: V,
}

/// A few entries replaced in turn.
#[derive(Debug)]
struct RtWays<K, V> {
    e: [Option<RtEntry<K, V>>; RT_CACHE_WAYS],
    next: u8,
}

impl<K, V> Default for RtWays<K, V> {
    fn default() -> Self {
        RtWays {
            e: [None, None],
            next: 0,
        }
    }
}

impl<K: Copy + PartialEq, V: Copy> RtWays<K, V> {
    #[inline]
    fn get(&self, genid: u32, key: &K) -> Option<V> {
        self.e
            .iter()
            .flatten()
            .find(|e| e.genid == genid && e.key == *key)
            .map(|e| e.val)
    }

    fn put(&mut self, genid: u32, key: K, val: V) {
        let i = usize::from(self.next);
        self.next = ((i + 1) % RT_CACHE_WAYS) as u8;
        self.e[i] = Some(RtEntry { genid, key, val });
    }
}

#[derive(Debug, Default)]
struct RtCacheTable {
    out: RtWays<RtOutKey, Result<OutRoute, RouteErr>>,
    inp: RtWays<RtInKey, Option<InputRoute>>,
}

/// A namespace's route cache (nslab's form of the kernel's: see ARCHITECTURE.md "Route
/// cache"): a few whole flows of each kind with their answers, each stamped with the
/// [`Kernel::rt_genid`] it was made in. An entry of another generation is stale; the FIB's
/// own changes ([`crate::net::fib::Fib::table`], `tables_mut`) empty the namespace's cache
/// outright. Made on the namespace's first lookup (a namespace that never routes holds none);
/// a copy of a `Fib` starts empty.
#[derive(Default)]
pub struct RtCache(std::cell::RefCell<Option<Box<RtCacheTable>>>);

impl Clone for RtCache {
    fn clone(&self) -> RtCache {
        RtCache::default()
    }
}

impl std::fmt::Debug for RtCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RtCache")
    }
}

impl RtCache {
    /// Forgets every entry (`rt_cache_flush` for one namespace).
    pub fn flush(&mut self) {
        *self.0.get_mut() = None;
    }

    #[inline]
    fn get<R>(&self, f: impl FnOnce(&RtCacheTable) -> Option<R>) -> Option<R> {
        f(self.0.borrow().as_deref()?)
    }

    fn put(&self, f: impl FnOnce(&mut RtCacheTable)) {
        f(self.0.borrow_mut().get_or_insert_with(Default::default))
    }
}

impl Kernel {
    /// `rt_cache_flush` (`rt_genid_bump_ipv4`): every cached route of every namespace is
    /// stale from now on. Called wherever state a route lookup reads changes other than the
    /// FIB's tables (which empty their namespace's cache themselves): addresses, links (up,
    /// down, carrier, names, namespaces, VRF enslavement, registration), rules, nexthop
    /// objects, sysctls, route exceptions. One counter for the whole machine: a change in one
    /// namespace also makes the others look their routes up again once.
    pub fn rt_cache_flush(&mut self) {
        self.rt_genid = self.rt_genid.wrapping_add(1);
        if self.rt_genid == 0 {
            // The counter wrapped: an entry 2^32 generations old would look current.
            for n in self.nets.iter_mut().flatten() {
                n.fib.rt_cache.flush();
            }
        }
    }

    /// The type of route an input packet to `dst` from `src` arriving on `d` would get, and its
    /// output device (`ip_route_input_noref` as ARP uses it). None when input routing fails.
    pub(crate) fn ip_route_input_type(
        &self,
        d: DevId,
        dst: Ipv4Addr,
        src: Ipv4Addr,
    ) -> Option<(RtnType, Option<DevId>)> {
        let ns = self.dev(d).ns;
        // ip_route_input_slow's flow: the input device (in a VRF: its table) and addresses.
        let mut fl = Flowi4::output(dst);
        fl.iif = self.dev(d).ifindex;
        fl.src = src;
        let r = self.fib_lookup(ns, &mut fl, &|_| true).ok()?;
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

    /// `ip_route_input_slow`'s FIB lookup for `ip_rcv`'s flow `fl` (built from the packet:
    /// input device, addresses, TOS, mark, protocol, ports): the route's type and, after
    /// `fib_select_path`, its nexthop; None when `fib_lookup` fails. From the namespace's
    /// route cache when it has this flow of this generation (not while tracing: the trace
    /// names the route), else looked up (then cached); with debug assertions every hit is
    /// checked against the lookup.
    pub(crate) fn ip_route_input_fib(&mut self, d: DevId, fl: Flowi4) -> Option<InputRoute> {
        let ns = self.dev(d).ns;
        debug_assert_eq!(fl.iif, self.dev(d).ifindex);
        if self.tracer.enabled {
            return self.ip_route_input_fib_slow(d, fl);
        }
        let Some(key) = RtInKey::of(&fl) else {
            return self.ip_route_input_fib_slow(d, fl);
        };
        let genid = self.rt_genid;
        if let Some(rt) = self.net(ns).fib.rt_cache.get(|c| c.inp.get(genid, &key)) {
            #[cfg(debug_assertions)]
            assert_eq!(
                rt,
                self.ip_route_input_fib_slow(d, fl.clone()),
                "route cache: a stale input route for {fl:?}"
            );
            return rt;
        }
        let rt = self.ip_route_input_fib_slow(d, fl);
        self.net(ns).fib.rt_cache.put(|c| c.inp.put(genid, key, rt));
        rt
    }

    /// [`Kernel::ip_route_input_fib`] uncached, with its trace note.
    fn ip_route_input_fib_slow(&mut self, d: DevId, mut fl: Flowi4) -> Option<InputRoute> {
        let ns = self.dev(d).ns;
        // The route is read in place (no per-packet copy of the `Route`): what the rest of
        // the input path needs of it is its type and, after fib_select_path, the nexthop.
        // (fib_lookup: l3mdev_update_flow, then the rules.)
        let dst = fl.dst;
        let r = self.fib_lookup(ns, &mut fl, &|_| true).ok();
        let traced = (self.tracer.enabled).then(|| {
            r.map(|r| {
                // fib_select_path on a copy, for the note only (the path taken below).
                let mut r = r.clone();
                if !r.nhs.is_empty() {
                    r.fib_select_path(self.fib_multipath_hash_of(ns, &fl), None);
                }
                self.trace_route(&r)
            })
            .unwrap_or_else(|| "no route".into())
        });
        let r = r.map(|r| {
            let (mut gw, mut dev) = (r.gw, r.dev);
            // fib_select_path: a multipath route's nexthop for this packet's flow.
            if !r.nhs.is_empty() {
                let hash = self.fib_multipath_hash_of(ns, &fl);
                if let Some(i) = fib_select_multipath(&r.nhs, hash) {
                    (gw, dev) = (r.nhs[i].gw, r.nhs[i].dev);
                }
            }
            InputRoute {
                rtype: r.rtype,
                gw,
                dev,
                // (asked of every route: pure, and ip_rcv reads it only where the kernel
                // validates)
                valid: self.fib_validate_source(d, fl.src),
            }
        });
        if let Some(t) = traced {
            self.trace(ns, || format!("fib: {dst} → {t}"));
        }
        r
    }

    /// `ip_route_output_key`: the route, device, nexthop and source for a locally generated packet.
    #[inline]
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
    /// see its source, TOS, mark, uid, protocol and ports. The answer of the namespace's route
    /// cache when it has this flow of this generation ([`RtCache`]), else
    /// [`Kernel::ip_route_output_slow`]'s (then cached). Not while the namespace has route
    /// exceptions: they expire with time, which bumps no generation. In a build with debug
    /// assertions (the tests) every hit is checked against the full lookup.
    /// (Always inline: with `#[inline]` LLVM kept it a call, twice an echo.)
    #[inline(always)]
    pub fn ip_route_output_key(
        &self,
        ns: NsId,
        fl: &Flowi4,
        oif: Option<DevId>,
    ) -> Result<OutRoute, RouteErr> {
        let net = self.net(ns);
        if !net.fnhe.exceptions.is_empty() {
            return self.ip_route_output_slow(ns, fl, oif);
        }
        let Some(key) = RtOutKey::of(fl, oif) else {
            return self.ip_route_output_slow(ns, fl, oif);
        };
        let (genid, cache) = (self.rt_genid, &net.fib.rt_cache);
        if let Some(rt) = cache.get(|c| c.out.get(genid, &key)) {
            #[cfg(debug_assertions)]
            assert_eq!(
                rt,
                self.ip_route_output_slow(ns, fl, oif),
                "route cache: a stale output route for {fl:?} oif {oif:?}"
            );
            return rt;
        }
        let rt = self.ip_route_output_slow(ns, fl, oif);
        cache.put(|c| c.out.put(genid, key, rt));
        rt
    }

    /// The output route lookup itself (`ip_route_output_key_hash_rcu`), uncached.
    #[inline(never)]
    pub fn ip_route_output_slow(
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
            // __ip_dev_find: an address of any device (a VRF's included), or else a local
            // route (the fallback to the local table "so that communication over loopback
            // subnets work"), in the kernel's order.
            if !self.inet_lookup_ifaddr(ns, src) && !self.inet_addr_is_local(ns, src) {
                return Err(RouteErr::NetUnreach);
            }
        }
        let mut fl = fl.clone();
        fl.oif = oif.map_or(0, |d| self.dev(d).ifindex);
        fl.tos &= IPTOS_RT_MASK;
        let net = self.net(ns);
        // l3mdev_update_flow: an output device in a VRF points the lookup at its table; the
        // VRF device itself is no nexthop's device (the flow's oif is cleared). Only with
        // custom rules (`fib_lookup` goes to `__fib_lookup`; a VRF adds its `l3mdev` rule).
        if net.fib.rules.has_custom {
            self.l3mdev_update_flow(ns, &mut fl);
        }
        let nh_oif = if fl.oif == 0 { None } else { oif };
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
                route_metric: 0,
                from_fib: true,
            });
        }
        // ip_route_output_key_hash_rcu: an output device that is down is ENETUNREACH.
        if oif.is_some_and(|d| !self.dev(d).up) {
            return Err(RouteErr::NetUnreach);
        }
        // A multicast destination out of a given device: a link-local group (224.0.0.0/24) is
        // routed there without a lookup (source of link scope); for another group the source
        // is chosen on the device before the lookup. __mkroute_output makes either
        // RTN_MULTICAST: `OutRoute` keeps it unicast with no gateway, and the neighbour
        // (arp_constructor) maps the group to its MAC.
        let mc_oif = oif.filter(|_| dst.is_multicast());
        let mc_onlink = |src: Ipv4Addr, d: DevId| OutRoute::onlink(d, src, dst);
        // When the lookup fails with an output device — no route, a route or rule of an error
        // type — "Apparently, routing tables are wrong. Assume, that the destination is on
        // link": unless the device is in a VRF (`flowi4_l3mdev`) and the destination is not a
        // group (recorded on 6.18: `ping -I DEV` and `ip route get ADDR oif DEV` through no
        // route, a blackhole, unreachable or prohibit route, or a prohibit rule).
        let onlink_oif = oif.filter(|_| dst.is_multicast() || fl.l3mdev == 0);
        let assume_onlink = |d: DevId| {
            let src = if src.is_unspecified() {
                self.inet_select_addr(d, Ipv4Addr::UNSPECIFIED, RT_SCOPE_LINK)
            } else {
                src
            };
            OutRoute::onlink(d, src, dst)
        };
        if let Some(d) = mc_oif {
            if src.is_unspecified() {
                let local_mc = dst.octets()[..3] == [224, 0, 0];
                let scope = if local_mc {
                    RT_SCOPE_LINK
                } else {
                    crate::net::fib::RT_SCOPE_UNIVERSE
                };
                fl.src = self.inet_select_addr(d, Ipv4Addr::UNSPECIFIED, scope);
                if local_mc {
                    return Ok(mc_onlink(fl.src, d));
                }
            } else if dst.octets()[..3] == [224, 0, 0] {
                return Ok(mc_onlink(src, d));
            }
        }
        let src = fl.src;
        let usable = |r: &Route| nh_oif.is_none_or(|d| r.has_oif(d)) || r.rtype == RtnType::Local;
        let r = match (net.fib.lookup_flow(&fl, &usable), onlink_oif) {
            (Ok(r), _) => r,
            (Err(_), Some(d)) => return Ok(assume_onlink(d)),
            (Err(e), None) => {
                return Err(match e {
                    RuleErr::NetUnreach => RouteErr::NetUnreach,
                    // a rule's action error: blackhole EINVAL, prohibit EACCES
                    RuleErr::Blackhole => RouteErr::Invalid,
                    RuleErr::Prohibit => RouteErr::Acces,
                });
            }
        };
        // fib_select_path: a multipath route's nexthop for this flow.
        let selected;
        let r = if r.nhs.is_empty() {
            r
        } else {
            let mut c = r.clone();
            c.fib_select_path(self.fib_multipath_hash_of(ns, &fl), nh_oif);
            selected = c;
            &selected
        };
        // fib_table_lookup answers a route's type error (`fib_props[type].error`) before
        // any device is looked at; a `throw` with no further table is -EAGAIN, which
        // fib_lookup turns into -ENETUNREACH.
        // (A route of an error type is a failed lookup too.)
        if let Some(d) = onlink_oif {
            if !matches!(
                r.rtype,
                RtnType::Unicast | RtnType::Local | RtnType::Broadcast
            ) {
                return Ok(assume_onlink(d));
            }
        }
        match r.rtype {
            RtnType::Unicast | RtnType::Local | RtnType::Broadcast => {}
            RtnType::Unreachable => return Err(RouteErr::HostUnreach),
            RtnType::Prohibit => return Err(RouteErr::Acces),
            RtnType::Blackhole => return Err(RouteErr::Invalid),
            RtnType::Throw => return Err(RouteErr::NetUnreach),
        }
        // fib_table_lookup: a route through a blackhole nexthop object is a blackhole.
        if r.nhid
            .and_then(|id| net.nexthops.select_path(id))
            .is_some_and(|(_, i)| i.blackhole)
        {
            return Err(RouteErr::Invalid);
        }
        let dev = r.dev.ok_or(RouteErr::NetUnreach)?;
        // find_exception → rt_bind_exception: a redirect's gateway replaces the nexthop's.
        let gw = match self.fnhe_find(ns, dst, dev, r.gw) {
            Some(e) if r.rtype == RtnType::Unicast => e.gw.or(r.gw),
            _ => r.gw,
        };
        // __mkroute_output: "If multicast route do not exist use default one, but do not
        // gateway in this case" (a route shorter than /4 gives a group no gateway).
        let gw = gw.filter(|_| !(dst.is_multicast() && r.plen < 4));
        let (dev, src) = if r.rtype == RtnType::Local {
            // The VRF device is the loopback of its domain.
            let lo = self
                .l3mdev_master_dev(dev)
                .or_else(|| self.dev_by_name(ns, "lo"))
                .unwrap_or(dev);
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
            gw,
            src,
            table: r.table,
            route_dst: r.dst,
            route_plen: r.plen,
            route_metric: r.metric,
            from_fib: true,
        })
    }

    /// `fib_multipath_hash` with the namespace's `fib_multipath_hash_policy`.
    pub(crate) fn fib_multipath_hash_of(&self, ns: NsId, fl: &Flowi4) -> u32 {
        fib_multipath_hash(self.net(ns).misc_sysctl.fib_multipath_hash_policy, fl)
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

    /// `find_exception`: the live exception for `dst` on the nexthop `(dev, gw)`.
    #[inline]
    pub fn fnhe_find(
        &self,
        ns: NsId,
        dst: Ipv4Addr,
        dev: DevId,
        gw: Option<Ipv4Addr>,
    ) -> Option<&FibNhException> {
        let t = &self.net(ns).fnhe;
        t.exceptions.get(&dst).filter(|e| {
            e.nh_dev == dev && e.nh_gw == gw && e.genid == t.genid && self.now.0 <= e.expires.0
        })
    }

    /// The exception an output route was bound to (for `rt_fill_info`).
    pub fn fnhe_of_output(
        &self,
        ns: NsId,
        dst: Ipv4Addr,
        rt: &OutRoute,
    ) -> Option<&FibNhException> {
        let t = &self.net(ns).fnhe;
        t.exceptions.get(&dst).filter(|e| {
            e.nh_dev == rt.dev
                && (e.gw.is_some() && e.gw == rt.gw || e.gw.is_none() && e.nh_gw == rt.gw)
                && e.genid == t.genid
                && self.now.0 <= e.expires.0
        })
    }

    /// `update_or_create_fnhe`: the exception for `dst` on the nexthop `(dev, nh_gw)` gets a
    /// gateway and/or a path MTU (whichever is given) and a new expiry.
    #[allow(clippy::too_many_arguments)]
    fn update_or_create_fnhe(
        &mut self,
        ns: NsId,
        dst: Ipv4Addr,
        dev: DevId,
        nh_gw: Option<Ipv4Addr>,
        nhid: Option<u32>,
        gw: Option<Ipv4Addr>,
        pmtu: u32,
        lock: bool,
        expires: sim_core::Instant,
    ) {
        let now = self.now;
        let t = &mut self.net_mut(ns).fnhe;
        let genid = t.genid;
        // Expired or flushed exceptions are reclaimed as the kernel's lookups drop them.
        t.exceptions
            .retain(|_, e| e.genid == genid && now.0 <= e.expires.0);
        let e = t
            .exceptions
            .entry(dst)
            .and_modify(|e| {
                if e.nh_dev != dev || e.nh_gw != nh_gw || e.nhid != nhid {
                    // Another nexthop's exception: this one replaces it.
                    *e = FibNhException {
                        nh_dev: dev,
                        nh_gw,
                        gw: None,
                        pmtu: 0,
                        mtu_locked: false,
                        expires,
                        genid,
                        nhid,
                    };
                }
            })
            .or_insert(FibNhException {
                nh_dev: dev,
                nh_gw,
                gw: None,
                pmtu: 0,
                mtu_locked: false,
                expires,
                genid,
                nhid,
            });
        if gw.is_some() {
            e.gw = gw;
        }
        if pmtu != 0 {
            e.pmtu = pmtu;
            e.mtu_locked = lock;
        }
        e.expires = expires;
        // (no route is cached while a namespace has exceptions; the flush is for certainty)
        self.rt_cache_flush();
    }

    /// `__ip_rt_update_pmtu` from an ICMP fragmentation needed about a packet to `dst`: a
    /// smaller MTU (at least `min_pmtu`, then locked) becomes the exception's for 600 s.
    pub fn ip_rt_update_pmtu(&mut self, ns: NsId, dst: Ipv4Addr, mtu: u32) {
        self.ip_rt_update_pmtu_in(ns, dst, mtu, None)
    }

    /// `ip_rt_update_pmtu` for the route looked up in `vrf` (the VRF the ICMP error came in:
    /// the socket that gets it is bound there, `ipv4_sk_update_pmtu`'s `flowi4_oif`).
    pub fn ip_rt_update_pmtu_in(&mut self, ns: NsId, dst: Ipv4Addr, mtu: u32, vrf: Option<DevId>) {
        let mut fl = Flowi4::output(dst);
        fl.oif = vrf.map_or(0, |v| self.dev(v).ifindex);
        let Some(r) = self.fib_lookup(ns, &mut fl, &|_| true).ok().cloned() else {
            return;
        };
        let Some(dev) = r.dev else {
            return;
        };
        let old_mtu = self.ip_path_mtu(ns, dev, dst);
        if old_mtu < mtu {
            return;
        }
        let (mtu, lock) = if mtu < MIN_PMTU {
            (old_mtu.min(MIN_PMTU), true)
        } else {
            (mtu, false)
        };
        self.trace(ns, || format!("pmtu: {dst} mtu {mtu}"));
        let exp = self.now + MTU_EXPIRES;
        let owner = self.fnhe_owner(ns, &r);
        self.update_or_create_fnhe(ns, dst, dev, r.gw, owner, None, mtu, lock, exp);
    }

    /// The path MTU towards `dst` through `dev` (`ipv4_mtu`): the exception's when it has one
    /// smaller than the device's and is live.
    #[inline]
    pub fn ip_path_mtu(&self, ns: NsId, dev: DevId, dst: Ipv4Addr) -> u32 {
        let m = self.dev(dev).mtu;
        if self.net(ns).fnhe.exceptions.is_empty() {
            return m;
        }
        self.ip_path_mtu_fnhe(ns, dev, dst, m)
    }

    /// [`Kernel::ip_path_mtu`] in a namespace with exceptions (out of line: the common case
    /// is a test of the device's MTU and an empty table).
    #[inline(never)]
    fn ip_path_mtu_fnhe(&self, ns: NsId, dev: DevId, dst: Ipv4Addr, m: u32) -> u32 {
        let t = &self.net(ns).fnhe;
        match t.exceptions.get(&dst) {
            Some(e)
                if e.nh_dev == dev
                    && e.pmtu != 0
                    && e.genid == t.genid
                    && self.now.0 <= e.expires.0 =>
            {
                m.min(e.pmtu)
            }
            _ => m,
        }
    }

    /// `fnhe_genid_bump` (`ip route flush cache`): every exception is void.
    pub fn fnhe_genid_bump(&mut self, ns: NsId) {
        let t = &mut self.net_mut(ns).fnhe;
        t.genid = t.genid.wrapping_add(1);
        t.exceptions.clear();
        self.rt_cache_flush();
    }

    /// The nexthop object whose `fib_nh` an exception of route `r` hangs off: the path a
    /// route with `nhid` takes (a group's member), None for a route's own nexthop.
    fn fnhe_owner(&self, ns: NsId, r: &Route) -> Option<u32> {
        let id = r.nhid?;
        self.net(ns).nexthops.select_path(id).map(|(m, _)| m)
    }

    /// `RTM_GETROUTE` dump with `RTM_F_CLONED` (`ip route list cache`): the live exceptions,
    /// each as the route it makes (its gateway: a redirect's or the nexthop's). The kernel
    /// lists only exceptions a lookup has bound a route to, in its hash buckets' (random)
    /// order; here every live one is listed, by destination.
    pub fn fib_dump_info_fnhe(&self, ns: NsId) -> Vec<FnheDump> {
        let Some(net) = self.nets.get(ns).and_then(|n| n.as_ref()) else {
            return Vec::new();
        };
        let t = &net.fnhe;
        t.exceptions
            .iter()
            .filter(|(_, e)| {
                e.genid == t.genid
                    && self.now.0 <= e.expires.0
                    && self.dev_alive(e.nh_dev)
                    && self.dev(e.nh_dev).ns == ns
            })
            .map(|(&dst, e)| {
                let left = jiffies(e.expires).saturating_sub(jiffies(self.now));
                FnheDump {
                    dst,
                    table: net
                        .fib
                        .lookup(dst, &|_| true)
                        .map_or(RT_TABLE_MAIN, |r| r.table),
                    gw: e.gw.or(e.nh_gw),
                    oif: self.dev(e.nh_dev).ifindex,
                    redirected: e.gw.is_some(),
                    expires_secs: left / HZ,
                    pmtu: e.pmtu,
                    pmtu_locked: e.pmtu != 0 && e.mtu_locked,
                }
            })
            .collect()
    }

    /// `fib_sync_mtu` → `fib_nhc_update_mtu` (`NETDEV_CHANGEMTU`; `nh_netdev_event` does the
    /// same for nexthop objects): the exceptions of nexthops through `dev` follow the new
    /// MTU: a locked one (below `min_pmtu`) takes it when it is not larger, an unlocked one
    /// when it is smaller or when the exception had the old device MTU.
    pub fn fib_sync_mtu(&mut self, dev: DevId, orig: u32) {
        let new = self.dev(dev).mtu;
        let ns = self.dev(dev).ns;
        for e in self.net_mut(ns).fnhe.exceptions.values_mut() {
            if e.nh_dev != dev {
                continue;
            }
            if e.mtu_locked {
                if new <= e.pmtu {
                    e.pmtu = new;
                    e.mtu_locked = false;
                }
            } else if new < e.pmtu || orig == e.pmtu {
                e.pmtu = new;
            }
        }
    }

    /// The exceptions whose nexthop is gone (`free_nh_exceptions` when the last route of a
    /// `fib_info` is deleted or replaced, or a nexthop object is removed or replaced): an
    /// exception of a route's own nexthop lives while a route of its namespace covering its
    /// destination still has that nexthop (device and gateway) of its own; one of a nexthop
    /// object while the object exists with that device and gateway.
    pub fn fnhe_release_unused(&mut self, ns: NsId) {
        let net = self.net(ns);
        let live = |dst: Ipv4Addr, e: &FibNhException| match e.nhid {
            Some(id) => net
                .nexthops
                .get(id)
                .is_some_and(|nh| nh.dev() == Some(e.nh_dev) && nh.gw() == e.nh_gw),
            None => net.fib.all().any(|r| {
                r.nhid.is_none()
                    && r.dev == Some(e.nh_dev)
                    && r.gw == e.nh_gw
                    && prefix_of(dst, r.plen) == r.dst
            }),
        };
        let gone: Vec<Ipv4Addr> = net
            .fnhe
            .exceptions
            .iter()
            .filter(|(d, e)| !live(**d, e))
            .map(|(d, _)| *d)
            .collect();
        let t = &mut self.net_mut(ns).fnhe;
        for d in gone {
            t.exceptions.remove(&d);
        }
    }

    /// `__mkroute_input`'s IPSKB_DOREDIRECT: the packet leaves by the device it came in on,
    /// the sender is directly connected there (fib_validate_source's answer 1: the route back
    /// to it uses that device without a gateway) and the device sends redirects
    /// (`send_redirects` on it or in `all`; `shared_media` is on by default, so the on-link
    /// test for the gateway is not made).
    pub(crate) fn ip_route_doredirect(&self, d: DevId, out: DevId, src: Ipv4Addr) -> bool {
        use crate::net::devconf::CONF_SEND_REDIRECTS;
        let ns = self.dev(d).ns;
        if out != d
            || (self.dev(d).conf.get(CONF_SEND_REDIRECTS) == 0
                && self.net(ns).conf_all.get(CONF_SEND_REDIRECTS) == 0)
        {
            return false;
        }
        self.net(ns)
            .fib
            .lookup(src, &|_| true)
            .is_some_and(|r| r.rtype == RtnType::Unicast && r.dev == Some(d) && r.gw.is_none())
    }

    /// `ip_rt_send_redirect`: an ICMP host redirect to the packet's sender naming the route's
    /// gateway, rate-limited on the sender's peer entry: after `ip_rt_redirect_number` (9)
    /// unheeded ones nothing more until `ip_rt_redirect_silence` (~20 s) of quiet; between
    /// two, `ip_rt_redirect_load << n_redirects` jiffies.
    pub(crate) fn ip_rt_send_redirect(&mut self, out: DevId, skb: &SkBuff, gw: Ipv4Addr) {
        use crate::net::devconf::CONF_SEND_REDIRECTS;
        let ns = self.dev(out).ns;
        if self.dev(out).conf.get(CONF_SEND_REDIRECTS) == 0
            && self.net(ns).conf_all.get(CONF_SEND_REDIRECTS) == 0
        {
            return;
        }
        let d = skb.data();
        let saddr = Ipv4Addr::new(d[12], d[13], d[14], d[15]);
        let now = jiffies(self.now);
        let peer = self.inet_getpeer_v4(ns, saddr);
        if now.wrapping_sub(peer.rate_last) as i64 > IP_RT_REDIRECT_SILENCE as i64 {
            peer.rate_tokens = 0;
            peer.n_redirects = 0;
        }
        if peer.n_redirects >= IP_RT_REDIRECT_NUMBER {
            peer.rate_last = now;
            return;
        }
        let send = peer.n_redirects == 0
            || now.wrapping_sub(peer.rate_last) as i64
                > (IP_RT_REDIRECT_LOAD << peer.n_redirects) as i64;
        if send {
            peer.rate_last = now;
            peer.n_redirects += 1;
            self.trace(ns, || format!("redirect: {saddr} should use {gw}"));
            self.icmp_send(
                ns,
                Some(out),
                skb,
                ICMP_REDIRECT,
                ICMP_REDIR_HOST,
                gw.octets(),
            );
        }
    }

    /// `__ip_do_redirect` for a redirect from `old_gw` received on `d` about a packet to
    /// `daddr` from `saddr`: accepted when the route to `daddr` uses `old_gw`, the device
    /// accepts redirects and the new gateway is a unicast address; the exception is made only
    /// once the new gateway's neighbour is valid (until then the redirect starts resolving
    /// it, and the next one makes the exception).
    pub(crate) fn ip_do_redirect(
        &mut self,
        d: DevId,
        code: u8,
        old_gw: Ipv4Addr,
        new_gw: Ipv4Addr,
        daddr: Ipv4Addr,
        saddr: Ipv4Addr,
    ) {
        use crate::net::devconf::{CONF_ACCEPT_REDIRECTS, CONF_FORWARDING};
        if code & 7 > 3 {
            return;
        }
        let ns = self.dev(d).ns;
        // ipv4_sk_redirect: the route of the socket's flow, in the VRF the redirect came in.
        let vrf = self.l3mdev_master_dev(d);
        let Ok(rt) = self.ip_route_output(ns, daddr, saddr, vrf) else {
            return;
        };
        if rt.gw != Some(old_gw) {
            return;
        }
        // IN_DEV_RX_REDIRECTS: with forwarding both all and the device must accept, else
        // either.
        let (dv, all) = (&self.dev(d).conf, &self.net(ns).conf_all);
        let forward = dv.get(CONF_FORWARDING) != 0;
        let (a, b) = (
            dv.get(CONF_ACCEPT_REDIRECTS) != 0,
            all.get(CONF_ACCEPT_REDIRECTS) != 0,
        );
        let rx_redirects = if forward { a && b } else { a || b };
        if new_gw == old_gw
            || !rx_redirects
            || new_gw.is_multicast()
            || new_gw.is_broadcast()
            || new_gw.octets()[0] == 0
        {
            self.trace(ns, || {
                format!("redirect from {old_gw} to {new_gw}: rejected")
            });
            return;
        }
        // shared_media (on by default): the new gateway must be a unicast address.
        let unicast = match vrf {
            // inet_addr_type: the local table's type, unicast where it has no route.
            // (With the tables merged, main's routes count too.)
            Some(_) => self
                .net(ns)
                .fib
                .fib_table_lookup(RT_TABLE_LOCAL, new_gw, &|_| true)
                .is_none_or(|r| r.rtype == RtnType::Unicast),
            None => self
                .net(ns)
                .fib
                .lookup(new_gw, &|_| true)
                .is_some_and(|r| r.rtype == RtnType::Unicast),
        };
        if !unicast {
            return;
        }
        if self.neigh_event_send(rt.dev, new_gw) {
            // The route's own nexthop (the exception belongs to it).
            let mut fl = Flowi4::output(daddr);
            fl.oif = vrf.map_or(0, |v| self.dev(v).ifindex);
            let r = self.fib_lookup(ns, &mut fl, &|_| true).ok().cloned();
            if let Some(r) = r.filter(|r| r.dev == Some(rt.dev)) {
                self.trace(ns, || format!("redirect: {daddr} now via {new_gw}"));
                let exp = self.now + IP_RT_GC_TIMEOUT;
                let nhid = self.fnhe_owner(ns, &r);
                self.update_or_create_fnhe(
                    ns,
                    daddr,
                    rt.dev,
                    r.gw,
                    nhid,
                    Some(new_gw),
                    0,
                    false,
                    exp,
                );
            }
        }
    }
}

#[cfg(test)]
mod rt_cache_tests {
    use super::*;
    use crate::tools::run_ok;

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    /// The answers for group `g` of the flows (at most [`RT_CACHE_WAYS`] of each kind, so that
    /// their entries outlive a configuration step and the first lookup after it is a hit
    /// when the step bumped no generation) from the route caches (looked up twice) and from
    /// the full lookups, which must agree.
    fn answers(k: &mut Kernel, ns: NsId, g: usize) -> Vec<String> {
        let mine = |i: usize| i / RT_CACHE_WAYS == g;
        let dev = |k: &Kernel, n: &str| k.dev_by_name(ns, n);
        let mut v = Vec::new();
        let outs: [(&str, &str, Option<&str>, u8, u32); 13] = [
            ("10.0.0.2", "0.0.0.0", None, 0, 0),
            ("10.9.9.9", "0.0.0.0", None, 0, 0),
            ("10.9.9.9", "0.0.0.0", None, 0x10, 7),
            ("10.1.0.5", "0.0.0.0", None, 0, 0),
            ("10.2.0.7", "0.0.0.0", None, 0, 0),
            ("10.8.1.1", "0.0.0.0", None, 0, 0),
            ("127.0.0.1", "0.0.0.0", None, 0, 0),
            ("10.1.0.1", "0.0.0.0", None, 0, 0),
            ("255.255.255.255", "0.0.0.0", Some("d0"), 0, 0),
            ("224.0.0.5", "0.0.0.0", Some("d0"), 0, 0),
            ("10.9.9.9", "0.0.0.0", Some("d1"), 0, 0),
            ("10.9.9.9", "10.1.0.1", None, 0, 0),
            ("10.9.9.9", "10.5.5.5", None, 0, 0),
        ];
        for (i, (dst, src, oif, tos, mark)) in outs.into_iter().enumerate() {
            if !mine(i) {
                continue;
            }
            let mut fl = Flowi4::output(ip(dst));
            fl.src = ip(src);
            fl.tos = tos;
            fl.mark = mark;
            let oif = oif.and_then(|n| dev(k, n));
            let first = k.ip_route_output_key(ns, &fl, oif);
            let second = k.ip_route_output_key(ns, &fl, oif);
            let full = k.ip_route_output_slow(ns, &fl, oif);
            assert_eq!((first, second), (full, full), "output {fl:?} oif {oif:?}");
            if k.net(ns).fnhe.exceptions.is_empty() {
                let key = RtOutKey::of(&fl, oif).unwrap();
                let cached = k.net(ns).fib.rt_cache.get(|c| c.out.get(k.rt_genid, &key));
                assert_eq!(cached, Some(full), "output {fl:?} not cached");
            }
            v.push(format!("{full:?}"));
        }
        let Some(va) = dev(k, "va") else {
            return v;
        };
        let iif = k.dev(va).ifindex;
        // (each with its fib_validate_source answer: rp_filter, accept_local)
        let ins: [(&str, &str, u32); 7] = [
            ("10.0.0.1", "10.0.0.2", 0),
            ("10.1.0.5", "10.0.0.2", 0),
            ("10.0.0.1", "10.1.0.9", 0),
            ("10.2.0.1", "10.9.9.9", 7),
            ("10.8.1.1", "10.0.0.2", 0),
            ("10.0.0.1", "10.2.0.1", 0),
            ("10.0.0.1", "10.0.0.1", 0),
        ];
        for (i, (dst, src, mark)) in ins.into_iter().enumerate() {
            if !mine(i) {
                continue;
            }
            let mut fl = Flowi4::output(ip(dst));
            fl.iif = iif;
            fl.src = ip(src);
            fl.mark = mark;
            fl.proto = 1;
            let first = k.ip_route_input_fib(va, fl.clone());
            let second = k.ip_route_input_fib(va, fl.clone());
            let full = k.ip_route_input_fib_slow(va, fl.clone());
            assert_eq!((first, second), (full, full), "input {fl:?}");
            let key = RtInKey::of(&fl).unwrap();
            let cached = k.net(ns).fib.rt_cache.get(|c| c.inp.get(k.rt_genid, &key));
            assert_eq!(cached, Some(full), "input {fl:?} not cached");
            v.push(format!("{full:?}"));
        }
        v
    }

    /// Namespace `a`: `va` (10.0.0.1/24, its peer `vb` in `b`), dummies `d0` (10.1.0.1/24)
    /// and `d1` (10.2.0.1/24), a default route via 10.0.0.2.
    fn setup() -> (Kernel, NsId, NsId) {
        let mut k = Kernel::new(1);
        let (a, b) = (k.netns_add("a"), k.netns_add("b"));
        for line in [
            "ip link set lo up",
            "ip link add va type veth peer name vb",
            "ip link set vb netns b",
            "ip link add d0 type dummy",
            "ip link add d1 type dummy",
            "ip addr add 10.0.0.1/24 dev va",
            "ip addr add 10.1.0.1/24 dev d0",
            "ip addr add 10.2.0.1/24 dev d1",
            "ip link set va up",
            "ip link set d0 up",
            "ip link set d1 up",
        ] {
            run_ok(&mut k, a, line);
        }
        run_ok(&mut k, b, "ip link set vb up");
        run_ok(&mut k, a, "ip route add default via 10.0.0.2");
        (k, a, b)
    }

    /// Configuration changes of every kind a lookup reads, each followed by lookups of the
    /// same flows: the caches answer what the full lookups answer after every change (and
    /// changes change answers, so a change a cache missed would show: with
    /// `rt_cache_flush` made a no-op this test fails).
    #[test]
    fn the_route_cache_follows_every_change_a_lookup_reads() {
        // (0: namespace a, 1: namespace b)
        let steps: &[(usize, &str)] = &[
            (0, "ip addr add 10.1.0.2/24 dev d0"),
            (0, "ip addr del 10.1.0.1/24 dev d0"),
            (0, "ip addr add 10.1.0.1/24 dev d0"),
            (0, "ip addr add 10.5.5.5/32 dev d1"),
            (0, "ip addr del 10.5.5.5/32 dev d1"),
            (0, "ip link set d1 down"),
            (0, "ip link set d1 up"),
            (0, "ip route add 10.9.0.0/16 via 10.1.0.254"),
            (0, "ip route replace default via 10.2.0.254"),
            (0, "ip route add default via 10.1.0.253 table 100"),
            (0, "ip rule add fwmark 7 table 100"),
            (0, "ip rule add from 10.1.0.1 lookup 100 pref 50"),
            (0, "ip rule del pref 50"),
            (0, "ip rule add tos 0x10 prohibit pref 60"),
            (0, "ip rule del pref 60"),
            (0, "sysctl -w net.ipv4.conf.all.rp_filter=1"),
            (0, "sysctl -w net.ipv4.conf.all.rp_filter=2"),
            (0, "sysctl -w net.ipv4.conf.all.rp_filter=0"),
            (0, "sysctl -w net.ipv4.conf.va.rp_filter=1"),
            (0, "sysctl -w net.ipv4.conf.va.accept_local=1"),
            (0, "sysctl -w net.ipv4.ip_forward=1"),
            (0, "sysctl -w net.ipv4.conf.d0.route_localnet=1"),
            (0, "sysctl -w net.ipv4.fib_multipath_hash_policy=1"),
            (
                0,
                "ip route add 10.8.0.0/16 nexthop via 10.1.0.9 dev d0 nexthop via 10.2.0.9 dev d1",
            ),
            (0, "sysctl -w net.ipv4.fib_multipath_hash_policy=0"),
            (0, "ip route del 10.8.0.0/16"),
            (0, "ip nexthop add id 5 via 10.1.0.250 dev d0"),
            (0, "ip route add 10.8.0.0/16 nhid 5"),
            (0, "ip nexthop replace id 5 via 10.2.0.250 dev d1"),
            (0, "ip nexthop add id 6 blackhole"),
            (0, "ip route replace 10.8.0.0/16 nhid 6"),
            (0, "ip nexthop del id 6"),
            (0, "ip nexthop del id 5"),
            (0, "ip link add vrf0 type vrf table 10"),
            (0, "ip link set vrf0 up"),
            (0, "ip link set d1 master vrf0"),
            (0, "ip route add default via 10.2.0.77 table 10"),
            (0, "ip link set d1 nomaster"),
            (0, "ip link set d1 down"),
            (0, "ip link set d1 master vrf0"),
            (0, "ip link set d1 up"),
            (0, "ip link del vrf0"),
            (0, "ip link set d1 down"),
            (0, "ip link set d1 name d9"),
            (0, "ip link set d9 name d1"),
            (0, "ip link set d1 up"),
            (1, "ip link set vb down"),
            (1, "ip link set vb up"),
            (0, "ip link set lo down"),
            (0, "ip link set lo up"),
            (0, "ip route flush cache"),
            (0, "ip link del d1"),
            (0, "ip link add d1 type dummy"),
            (0, "ip addr add 10.2.0.1/24 dev d1"),
            (0, "ip link set d1 up"),
            (0, "ip link set d0 netns b"),
            (1, "ip link set d0 netns a"),
            (0, "ip link set d0 up"),
            (0, "ip addr add 10.1.0.1/24 dev d0"),
            (0, "ip link del va"),
        ];
        // The flows in groups of RT_CACHE_WAYS (13 output flows), each group through every
        // step on a machine of its own.
        let mut changed = 0;
        for g in 0..13usize.div_ceil(RT_CACHE_WAYS) {
            let (mut k, a, b) = setup();
            let mut last = answers(&mut k, a, g);
            for &(ns, line) in steps {
                run_ok(&mut k, if ns == 0 { a } else { b }, line);
                let now = answers(&mut k, a, g);
                changed += usize::from(now != last);
                last = now;
            }
        }
        assert!(
            changed >= steps.len(),
            "only {changed} steps changed an answer"
        );
    }
}

//! `RTM_NEWROUTE` / `RTM_DELROUTE` / `RTM_GETROUTE` (`net/ipv4/fib_frontend.c`
//! `inet_rtm_newroute`, `inet_rtm_delroute`, `inet_rtm_getroute`; `fib_table_insert`,
//! `fib_table_delete`, `fib_create_info` → `fib_check_nh` in `fib_semantics.c`).

use super::{IfIndex, RtnlError};
use crate::errno::Errno;
use crate::kernel::{Kernel, NsId};
use crate::net::devconf::CONF_SEND_REDIRECTS;
use crate::net::fib::*;
use crate::net::fib_rules::{Flowi4, RuleErr, IPTOS_RT_MASK};
use std::net::Ipv4Addr;

/// `NLM_F_REPLACE`: override an existing route.
pub const NLM_F_REPLACE: u16 = 0x100;
/// `NLM_F_EXCL`: fail if the route exists.
pub const NLM_F_EXCL: u16 = 0x200;
/// `NLM_F_CREATE`: create the route if it does not exist.
pub const NLM_F_CREATE: u16 = 0x400;
/// `NLM_F_APPEND`: add after the existing routes of the same key.
pub const NLM_F_APPEND: u16 = 0x800;

/// `RTPROT_BIRD`.
pub const RTPROT_BIRD: u8 = 12;

/// An `rtmsg` with its attributes (`RTA_DST`, `RTA_GATEWAY`, `RTA_OIF`, `RTA_PRIORITY`,
/// `RTA_PREFSRC`, `RTA_TABLE`), as userspace sends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteMsg {
    pub table: u32,
    pub dst: Ipv4Addr,
    pub plen: u8,
    pub rtype: RtnType,
    /// `rtm_protocol`; 0 (`RTPROT_UNSPEC`) in a delete matches any.
    pub proto: u8,
    /// `rtm_scope`; `None` lets the handler pick what iproute2 would send for the type.
    pub scope: Option<u8>,
    pub prefsrc: Option<Ipv4Addr>,
    /// `RTA_PRIORITY`; absent is 0 for a new route and "any" for a delete.
    pub priority: Option<u32>,
    pub gw: Option<Ipv4Addr>,
    pub oif: Option<IfIndex>,
    /// `RTNH_F_ONLINK`.
    pub onlink: bool,
    /// `RTA_NH_ID`: a nexthop object (net/nexthop.rs).
    pub nhid: Option<u32>,
    /// `RTA_MULTIPATH`: the `rtnexthop`s of `nexthop ...` (empty: none).
    pub mp: Vec<RtNexthop>,
    /// `RTA_METRICS`.
    pub metrics: Option<Box<FibMetrics>>,
}

/// One `rtnexthop` of `RTA_MULTIPATH`: `RTA_GATEWAY`, `rtnh_ifindex`, `rtnh_hops + 1`,
/// `RTNH_F_ONLINK`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RtNexthop {
    pub gw: Option<Ipv4Addr>,
    pub oif: Option<IfIndex>,
    pub weight: u32,
    pub onlink: bool,
}

impl RouteMsg {
    /// A unicast route `dst/plen` in the main table, `proto boot` as iproute2 sends.
    pub fn new(dst: Ipv4Addr, plen: u8) -> RouteMsg {
        RouteMsg {
            table: RT_TABLE_MAIN,
            dst,
            plen,
            rtype: RtnType::Unicast,
            proto: RTPROT_BOOT,
            scope: None,
            prefsrc: None,
            priority: None,
            gw: None,
            oif: None,
            onlink: false,
            nhid: None,
            mp: Vec::new(),
            metrics: None,
        }
    }
}

/// What `RTM_GETROUTE` answers for one destination (`inet_rtm_getroute` → `fib_dump_info`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteGetReply {
    pub rtype: RtnType,
    pub table: u32,
    pub gw: Option<Ipv4Addr>,
    pub oif: IfIndex,
    pub prefsrc: Ipv4Addr,
    /// The input device of an input route (`RTA_IIF`).
    pub iif: Option<IfIndex>,
    /// The matched FIB entry's prefix (`RTM_F_FIB_MATCH`), when a table route matched.
    pub route: Option<(Ipv4Addr, u8)>,
    /// The matched FIB entry's priority.
    pub route_metric: u32,
    /// The table the matched FIB entry belongs to (`fa->tb_id`): `table` is the table the
    /// lookup was in, main for a local route while the local table is merged into it.
    pub route_table: u32,
    /// `RTCF_DOREDIRECT` (iproute2: `cache <redirect>`): forwarded out of the device it came
    /// in on, to a source on that link.
    pub redirect: bool,
    /// `RTCF_REDIRECTED`: the gateway is a route exception's (an accepted ICMP redirect).
    pub redirected: bool,
    /// `RTA_CACHEINFO`'s `rta_expires` in whole seconds, for a route bound to an exception.
    pub expires_secs: Option<u64>,
    /// `RTA_METRICS`' `RTAX_MTU`: the exception's path MTU (0: none).
    pub pmtu: u32,
    /// `RTAX_LOCK` has `RTAX_MTU` (`fnhe_mtu_locked`: learnt below `min_pmtu`).
    pub pmtu_locked: bool,
    /// The route's own `RTA_METRICS` (the dst's metrics, `rt_set_nexthop`).
    pub metrics: Option<Box<FibMetrics>>,
}

/// An `RTM_GETROUTE` request: `RTA_DST`, `RTA_SRC`, `RTA_IIF`, `RTA_OIF`, `rtm_tos`,
/// `RTA_MARK`, `RTA_UID`, `RTA_IP_PROTO`, `RTA_SPORT`, `RTA_DPORT`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteGetReq {
    pub dst: Ipv4Addr,
    pub src: Ipv4Addr,
    pub iif: Option<IfIndex>,
    pub oif: Option<IfIndex>,
    pub tos: u8,
    pub mark: u32,
    pub uid: Option<u32>,
    pub ipproto: u8,
    pub sport: u16,
    pub dport: u16,
    /// `RTM_F_FIB_MATCH` (`ip route get fibmatch`): no FIB entry is an error.
    pub fib_match: bool,
}

impl RouteGetReq {
    pub fn new(dst: Ipv4Addr, src: Ipv4Addr) -> RouteGetReq {
        RouteGetReq {
            dst,
            src,
            iif: None,
            oif: None,
            tos: 0,
            mark: 0,
            uid: None,
            ipproto: 0,
            sport: 0,
            dport: 0,
            fib_match: false,
        }
    }
}

/// `fib_find_info`'s comparison of two `fib_info`s (they would be the same one): protocol,
/// preferred source, metrics and nexthops (`nh_comp`: device, gateway, weight, flags).
pub fn fib_info_eq(a: &Route, b: &Route) -> bool {
    let nh_eq = if a.nhs.is_empty() || b.nhs.is_empty() {
        a.nhs.is_empty()
            && b.nhs.is_empty()
            && a.gw == b.gw
            && a.dev == b.dev
            && a.onlink == b.onlink
    } else {
        a.nhs.len() == b.nhs.len()
            && a.nhs.iter().zip(&b.nhs).all(|(x, y)| {
                x.gw == y.gw
                    && x.dev == y.dev
                    && x.weight == y.weight
                    && (x.flags & !RTNH_F_DEAD) == (y.flags & !RTNH_F_DEAD)
            })
    };
    nh_eq
        && a.nhid == b.nhid
        && a.proto == b.proto
        && a.scope == b.scope
        && a.prefsrc == b.prefsrc
        && a.metrics == b.metrics
}

/// `rtm_to_fib_config`: the prefix must have no host bits.
pub fn fib_prefix_check(dst: Ipv4Addr, plen: u8) -> Result<(), RtnlError> {
    if plen > 32 || u32::from(dst) & !mask(plen) != 0 {
        return Err(RtnlError::extack(
            Errno::EINVAL,
            "Invalid prefix for given prefix length",
        ));
    }
    Ok(())
}

impl Kernel {
    /// `inet_rtm_newroute`: `fib_create_info` (with `fib_check_nh`) then `fib_table_insert`
    /// with the request's `NLM_F_*` flags.
    pub fn rtm_newroute(&mut self, ns: NsId, m: &RouteMsg, flags: u16) -> Result<(), RtnlError> {
        fib_prefix_check(m.dst, m.plen)?;
        let route = self.fib_create_info(ns, m)?;
        self.fib_table_insert(ns, route, flags)
    }

    /// `fib_create_info`: the route's nexthops checked (`fib_check_nh` for each), its
    /// preferred source and metrics.
    fn fib_create_info(&self, ns: NsId, m: &RouteMsg) -> Result<Route, RtnlError> {
        let scope = m.scope.unwrap_or(match m.rtype {
            RtnType::Local => RT_SCOPE_HOST,
            RtnType::Broadcast => RT_SCOPE_LINK,
            // iproute2 sends link scope for a unicast route without gateway or nexthops.
            RtnType::Unicast if m.gw.is_none() && m.mp.is_empty() && m.nhid.is_none() => {
                RT_SCOPE_LINK
            }
            _ => RT_SCOPE_UNIVERSE,
        });
        // fib_get_nhs: one fib_nh per rtnexthop; a single one is a plain route.
        let mut nhs = Vec::new();
        if let Some(id) = m.nhid {
            // fib_create_info with a nexthop object (net/rtnetlink/nexthop.rs)
            let nh = self.fib_route_nexthop(ns, m, id)?;
            nhs.push(FibNh {
                gw: nh.gw,
                dev: nh.dev,
                weight: 1,
                flags: if nh.onlink { RTNH_F_ONLINK } else { 0 },
                scope: nh.scope,
            });
        } else if m.mp.is_empty() {
            let (gw, dev, nh_scope) = self.fib_check_nh(ns, m, m.gw, m.oif, m.onlink, scope)?;
            nhs.push(FibNh {
                gw,
                dev,
                weight: 1,
                flags: if m.onlink { RTNH_F_ONLINK } else { 0 },
                scope: nh_scope,
            });
        } else {
            for n in &m.mp {
                let (gw, dev, nh_scope) = self.fib_check_nh(ns, m, n.gw, n.oif, n.onlink, scope)?;
                nhs.push(FibNh {
                    gw,
                    dev,
                    weight: n.weight,
                    flags: if n.onlink { RTNH_F_ONLINK } else { 0 },
                    scope: nh_scope,
                });
            }
        }
        if let Some(src) = m.prefsrc {
            if !self.inet_addr_is_local(ns, src) {
                return Err(RtnlError::extack(Errno::EINVAL, "Invalid prefsrc address"));
            }
        }
        if let Some(cc) = m.metrics.as_ref().and_then(|x| x.cc_algo.as_deref()) {
            // ip_metrics_convert → tcp_ca_get_key_by_name: the built-in algorithms only
            // (the modules of others are not loaded).
            if cc != "reno" && cc != "cubic" {
                return Err(RtnlError::extack(
                    Errno::EINVAL,
                    "Unknown tcp congestion algorithm",
                ));
            }
        }
        let first = nhs[0].clone();
        Ok(Route {
            table: m.table,
            dst: m.dst,
            plen: m.plen,
            rtype: m.rtype,
            proto: m.proto,
            scope,
            prefsrc: m.prefsrc,
            metric: m.priority.unwrap_or(0),
            gw: first.gw,
            dev: first.dev,
            onlink: first.flags & RTNH_F_ONLINK != 0,
            nh_scope: first.scope,
            nhs: if nhs.len() > 1 { nhs } else { Vec::new() },
            metrics: m.metrics.clone(),
            nhid: m.nhid,
        })
    }

    /// `fib_check_nh` for one nexthop of a new route: its device and scope.
    fn fib_check_nh(
        &self,
        ns: NsId,
        m: &RouteMsg,
        gw: Option<Ipv4Addr>,
        oif: Option<IfIndex>,
        onlink: bool,
        scope: u8,
    ) -> Result<(Option<Ipv4Addr>, Option<crate::kernel::DevId>, u8), RtnlError> {
        let dev = match oif {
            Some(i) => Some(self.dev_by_ifindex(ns, i).ok_or(Errno::ENODEV)?),
            None => None,
        };
        let is_unicast = m.rtype == RtnType::Unicast;
        // fib_check_nh_nongw without a device (recorded: `ip route add 1.2.3.0/24` →
        // "RTNETLINK answers: No such device").
        if is_unicast && dev.is_none() && gw.is_none() {
            return Err(Errno::ENODEV.into());
        }
        if let Some(g) = gw {
            let (dev, nh_scope) = self.fib_check_nh_v4_gw(ns, m.table, onlink, g, dev, scope)?;
            return Ok((gw, dev, nh_scope));
        }
        if let Some(d) = dev {
            // fib_check_nh_nongw.
            if !self.dev(d).up && is_unicast {
                return Err(RtnlError::extack(
                    Errno::ENETDOWN,
                    "Device for nexthop is not up",
                ));
            }
        }
        Ok((None, dev, RT_SCOPE_HOST))
    }

    /// `fib_table_insert` with the request's `NLM_F_*` flags: among the aliases of the same
    /// key and priority, one of the same type and an identical `fib_info` (nexthops,
    /// protocol, source, metrics) is a duplicate: `EEXIST`, unless replacing, where the first
    /// alias of that priority is replaced (`EEXIST` if the duplicate is another one); `EXCL`
    /// refuses any alias of that priority; without `CREATE` nothing new is added (`ENOENT`);
    /// `APPEND` adds after the aliases of the same priority, otherwise before them.
    pub fn fib_table_insert(
        &mut self,
        ns: NsId,
        route: Route,
        flags: u16,
    ) -> Result<(), RtnlError> {
        let t = self.net_mut(ns).fib.table(route.table);
        let key = (u32::from(route.dst), route.plen);
        let same: Vec<usize> = t.routes.get(&key).map_or(Vec::new(), |v| {
            v.iter()
                .enumerate()
                .filter(|(_, r)| r.metric == route.metric)
                .map(|(i, _)| i)
                .collect()
        });
        if let Some(&first) = same.first() {
            if flags & NLM_F_EXCL != 0 {
                return Err(Errno::EEXIST.into());
            }
            let v = t.routes.get_mut(&key).expect("present");
            let fa_match = same
                .iter()
                .copied()
                .find(|&i| v[i].rtype == route.rtype && fib_info_eq(&v[i], &route));
            if flags & NLM_F_REPLACE != 0 {
                if let Some(i) = fa_match {
                    return if i == first {
                        Ok(())
                    } else {
                        Err(Errno::EEXIST.into())
                    };
                }
                v[first] = route;
                return Ok(());
            }
            if fa_match.is_some() {
                return Err(Errno::EEXIST.into());
            }
            if flags & NLM_F_CREATE == 0 {
                return Err(Errno::ENOENT.into());
            }
            let at = if flags & NLM_F_APPEND != 0 {
                same.last().expect("non-empty") + 1
            } else {
                first
            };
            v.insert(at, route);
            return Ok(());
        }
        if flags & NLM_F_CREATE == 0 {
            return Err(Errno::ENOENT.into());
        }
        t.insert(route);
        Ok(())
    }

    /// `fib_check_nh_v4_gw` (Linux 6.1): with `onlink`, the device must be up; otherwise the
    /// gateway is looked up (the route's table, then every table) among routes whose scope is
    /// wider than the new route's (at least link scope) through the given device, and must hit
    /// a unicast or local route: its device and scope become the nexthop's. A gateway that is
    /// one of our own addresses is therefore valid (recorded: `ip route add 10.60.0.0/24 via
    /// LOCAL_ADDR` succeeds on 6.1).
    pub(crate) fn fib_check_nh_v4_gw(
        &self,
        ns: NsId,
        table: u32,
        onlink: bool,
        gw: Ipv4Addr,
        dev: Option<crate::kernel::DevId>,
        scope: u8,
    ) -> Result<(Option<crate::kernel::DevId>, u8), RtnlError> {
        let invalid = |errno| RtnlError::extack(errno, "Nexthop has invalid gateway");
        if onlink {
            let d = dev.ok_or_else(|| {
                RtnlError::extack(Errno::EINVAL, "Nexthop device required for onlink")
            })?;
            // inet_addr_type_dev_table: an onlink gateway must be a unicast address (not one
            // of ours, nor a broadcast) in the device's table (its VRF's, or local).
            if self.inet_addr_type_dev_table(d, gw) != RtnType::Unicast {
                return Err(invalid(Errno::EINVAL));
            }
            if !self.dev(d).up {
                return Err(RtnlError::extack(
                    Errno::ENETDOWN,
                    "Nexthop device is not up",
                ));
            }
            return Ok((Some(d), RT_SCOPE_LINK));
        }
        let want_scope = scope.saturating_add(1).max(RT_SCOPE_LINK);
        let usable = |r: &Route| {
            r.scope >= want_scope && dev.is_none_or(|d| r.nhs.is_empty() && r.dev == Some(d))
        };
        let fib = &self.net(ns).fib;
        let in_table = if table != RT_TABLE_MAIN && table != 0 {
            fib.tables().get(&table).and_then(|t| t.lookup(gw, &usable))
        } else {
            None
        };
        // Else the full lookup with the nexthop's device as oif (in a VRF: its table).
        let r = match in_table {
            Some(r) => Some(r),
            None => {
                let mut fl = Flowi4::output(gw);
                fl.oif = dev.map_or(0, |d| self.dev(d).ifindex);
                self.fib_lookup(ns, &mut fl, &usable).ok()
            }
        }
        .ok_or_else(|| invalid(Errno::ENETUNREACH))?;
        if r.rtype != RtnType::Unicast && r.rtype != RtnType::Local {
            return Err(invalid(Errno::EINVAL));
        }
        let d = r.dev.ok_or_else(|| {
            RtnlError::extack(Errno::EINVAL, "No egress device for nexthop gateway")
        })?;
        if !self.dev(d).up {
            return Err(Errno::ENETDOWN.into());
        }
        Ok((Some(d), r.scope))
    }

    /// `inet_rtm_delroute` → `fib_table_delete`: the first alias of the key matching the given
    /// priority, protocol, gateway and device.
    pub fn rtm_delroute(&mut self, ns: NsId, m: &RouteMsg) -> Result<(), RtnlError> {
        fib_prefix_check(m.dst, m.plen)?;
        let dev = match m.oif {
            Some(i) => Some(self.dev_by_ifindex(ns, i).ok_or(Errno::ENODEV)?),
            None => None,
        };
        let mut mp = Vec::new();
        for n in &m.mp {
            let d = match n.oif {
                Some(i) => Some(self.dev_by_ifindex(ns, i).ok_or(Errno::ENODEV)?),
                None => None,
            };
            mp.push((n.gw, d));
        }
        let t = self.net_mut(ns).fib.table(m.table);
        let key = (u32::from(m.dst), m.plen);
        let v = t.routes.get_mut(&key).ok_or(Errno::ESRCH)?;
        // fib_nh_match: a multipath request names every nexthop, in order.
        let nh_match = |r: &Route| {
            if mp.is_empty() {
                m.gw.is_none_or(|g| r.gw == Some(g)) && dev.is_none_or(|d| r.dev == Some(d))
            } else if r.nhs.is_empty() {
                mp.len() == 1
                    && mp[0].0.is_none_or(|g| r.gw == Some(g))
                    && mp[0].1.is_none_or(|d| r.dev == Some(d))
            } else {
                r.nhs.len() == mp.len()
                    && r.nhs.iter().zip(&mp).all(|(n, (g, d))| {
                        g.is_none_or(|g| n.gw == Some(g)) && d.is_none_or(|d| n.dev == Some(d))
                    })
            }
        };
        let pos = v
            .iter()
            .position(|r| {
                m.priority.is_none_or(|p| r.metric == p)
                    && (m.proto == 0 || r.proto == m.proto)
                    && (m.rtype == RtnType::Unicast || r.rtype == m.rtype)
                    && nh_match(r)
            })
            .ok_or(Errno::ESRCH)?;
        v.remove(pos);
        if v.is_empty() {
            t.routes.remove(&key);
        }
        self.fnhe_release_unused(ns);
        Ok(())
    }

    /// `ip route flush [table T] [dev D]`: iproute2 dumps the table and deletes what matches.
    /// A bare prefix selects that exact prefix; `dev` skips multipath routes (iproute2's
    /// filter reads `RTA_OIF`, which they lack).
    pub fn rtm_flushroute(
        &mut self,
        ns: NsId,
        table: u32,
        oif: Option<IfIndex>,
        prefix: Option<(Ipv4Addr, u8)>,
    ) {
        let dev = oif.and_then(|i| self.dev_by_ifindex(ns, i));
        if oif.is_some() && dev.is_none() {
            return;
        }
        self.net_mut(ns).fib.table(table).retain(|r| {
            let selected = dev.is_none_or(|d| r.nhs.is_empty() && r.dev == Some(d))
                && prefix.is_none_or(|(a, l)| r.plen == l && r.dst == prefix_of(a, l));
            !selected
        });
        self.fnhe_release_unused(ns);
    }

    /// `inet_rtm_getroute`: the output route for `dst` (from `src`, out of `oif`).
    pub fn rtm_getroute(
        &self,
        ns: NsId,
        dst: Ipv4Addr,
        src: Ipv4Addr,
        oif: Option<IfIndex>,
    ) -> Result<RouteGetReply, RtnlError> {
        self.rtm_getroute_req(
            ns,
            &RouteGetReq {
                oif,
                ..RouteGetReq::new(dst, src)
            },
        )
    }

    /// `inet_rtm_getroute` with every selector: with `iif` the input route a packet arriving
    /// there would get (`ip_route_input_rcu`), else the output route of the flow (`iif` lo).
    pub fn rtm_getroute_req(&self, ns: NsId, q: &RouteGetReq) -> Result<RouteGetReply, RtnlError> {
        let (dst, src) = (q.dst, q.src);
        let mut fl = Flowi4::output(dst);
        fl.src = src;
        fl.tos = q.tos & IPTOS_RT_MASK;
        fl.mark = q.mark;
        fl.uid = q.uid.unwrap_or(0);
        fl.proto = q.ipproto;
        fl.sport = q.sport;
        fl.dport = q.dport;
        if let Some(iif) = q.iif {
            let d = self.dev_by_ifindex(ns, iif).ok_or(Errno::ENODEV)?;
            return self.getroute_input(ns, d, fl);
        }
        let oif = match q.oif {
            Some(i) => Some(self.dev_by_ifindex(ns, i).ok_or(Errno::ENODEV)?),
            None => None,
        };
        // ip_route_output_key_hash_rcu: an output device that is down (recorded: `ip route get
        // ADDR oif DOWN_DEV` → "Network is unreachable").
        if oif.is_some_and(|d| !self.dev(d).up) {
            return Err(Errno::ENETUNREACH.into());
        }
        let rt = match self.ip_route_output_key(ns, &fl, oif) {
            // inet_rtm_getroute: fibmatch without a FIB entry (recorded: `ip route get fibmatch
            // 10.9.9.9 oif d1` → "No route to host").
            Ok(rt) if !rt.from_fib && q.fib_match => return Err(Errno::EHOSTUNREACH.into()),
            // ip_route_output_key_hash_rcu with no route through the given device: "assume
            // that the destination is on link" (recorded: `ip route get 10.2.0.1 oif a1`
            // answers `10.2.0.1 dev a1 src ...`): no FIB entry, no exception.
            Ok(rt) if !rt.from_fib => {
                return Ok(RouteGetReply {
                    rtype: RtnType::Unicast,
                    table: RT_TABLE_MAIN,
                    gw: None,
                    oif: self.dev(rt.dev).ifindex,
                    prefsrc: rt.src,
                    iif: None,
                    route: None,
                    route_metric: 0,
                    route_table: RT_TABLE_MAIN,
                    redirect: false,
                    redirected: false,
                    expires_secs: None,
                    pmtu: 0,
                    pmtu_locked: false,
                    metrics: None,
                });
            }
            Ok(rt) => rt,
            // The route type's error (recorded: unreachable EHOSTUNREACH, prohibit EACCES,
            // blackhole EINVAL, throw ENETUNREACH).
            Err(e) => return Err(e.errno().into()),
        };
        // rt_fill_info: a route bound to a route exception says so (RTCF_REDIRECTED) and
        // when the exception expires.
        let fnhe = self.fnhe_of_output(ns, dst, &rt);
        // Until a rule is added or deleted the local table is merged into main (fib_unmerge;
        // never merged again), so the lookup's table (`res.table`) is main for a local route
        // (recorded, Linux 6.1 and 6.18: `ip route get [fibmatch] LOCAL_ADDR` prints no
        // `table local`; after `ip rule add ...; ip rule del ...` it does).
        // (The limited broadcast takes no FIB lookup: no table, which `ip` does not print.)
        let table = if rt.table == RT_TABLE_LOCAL
            && (!self.net(ns).fib.rules.has_custom || dst.is_broadcast())
        {
            RT_TABLE_MAIN
        } else {
            rt.table
        };
        Ok(RouteGetReply {
            rtype: rt.rtype,
            table,
            gw: rt.gw,
            oif: self.dev(rt.dev).ifindex,
            prefsrc: rt.src,
            iif: None,
            route: Some((rt.route_dst, rt.route_plen)),
            route_metric: rt.route_metric,
            route_table: rt.table,
            redirect: false,
            redirected: fnhe.is_some_and(|e| e.gw.is_some()),
            pmtu: fnhe.map_or(0, |e| e.pmtu),
            pmtu_locked: fnhe.is_some_and(|e| e.pmtu != 0 && e.mtu_locked),
            metrics: self
                .net(ns)
                .fib
                .tables()
                .get(&rt.table)
                .and_then(|t| t.routes.get(&(u32::from(rt.route_dst), rt.route_plen)))
                .and_then(|v| v.iter().find(|r| r.metric == rt.route_metric))
                .and_then(|r| r.metrics.clone()),
            expires_secs: fnhe.map(|e| {
                let left = crate::net::inetpeer::jiffies(e.expires)
                    .saturating_sub(crate::net::inetpeer::jiffies(self.now));
                left / crate::net::inetpeer::HZ
            }),
        })
    }

    /// `ip_route_input_slow` as `inet_rtm_getroute` runs it for `iif`: the rules see the
    /// input device, source, TOS, mark and (`fib4_rules_early_flow_dissect`) protocol and
    /// ports; a local destination is delivered, anything else needs forwarding on the input
    /// device (`EHOSTUNREACH`) and a valid source (`fib_validate_source`: `EXDEV`).
    fn getroute_input(
        &self,
        ns: NsId,
        d: crate::kernel::DevId,
        mut fl: Flowi4,
    ) -> Result<RouteGetReply, RtnlError> {
        let iif = self.dev(d).ifindex;
        fl.iif = iif;
        let (src, dst) = (fl.src, fl.dst);
        if src.is_multicast() || src.is_broadcast() || dst.is_unspecified() {
            return Err(Errno::EINVAL.into());
        }
        let r = match self.fib_lookup(ns, &mut fl, &|_| true) {
            Ok(r) => r,
            Err(RuleErr::NetUnreach) if !self.dev_forwarding(d) => {
                return Err(Errno::EHOSTUNREACH.into())
            }
            Err(RuleErr::NetUnreach) => return Err(Errno::ENETUNREACH.into()),
            Err(RuleErr::Blackhole) => return Err(Errno::EINVAL.into()),
            Err(RuleErr::Prohibit) => return Err(Errno::EACCES.into()),
        };
        match r.rtype {
            RtnType::Local | RtnType::Broadcast => {
                let lo = self.dev_by_name(ns, "lo").unwrap_or(d);
                // (The local table merged into main: the lookup's table is main; recorded on
                // 6.18, `ip route get LOCAL iif DEV from ...` prints no `table local`.)
                let merged = !self.net(ns).fib.rules.has_custom;
                return Ok(RouteGetReply {
                    rtype: r.rtype,
                    table: if merged && r.table == RT_TABLE_LOCAL {
                        RT_TABLE_MAIN
                    } else {
                        r.table
                    },
                    gw: None,
                    oif: self.dev(lo).ifindex,
                    prefsrc: src,
                    iif: Some(iif),
                    route: Some((r.dst, r.plen)),
                    route_metric: r.metric,
                    route_table: r.table,
                    redirect: false,
                    redirected: false,
                    expires_secs: None,
                    pmtu: 0,
                    pmtu_locked: false,
                    metrics: r.metrics.clone(),
                });
            }
            RtnType::Unicast => {}
            RtnType::Unreachable | RtnType::Throw => return Err(Errno::EHOSTUNREACH.into()),
            RtnType::Blackhole => return Err(Errno::EINVAL.into()),
            RtnType::Prohibit => return Err(Errno::EACCES.into()),
        }
        if !self.dev_forwarding(d) {
            return Err(Errno::EHOSTUNREACH.into());
        }
        if !src.is_unspecified() && !self.rp_filter_ok(d, src) {
            return Err(Errno::EXDEV.into());
        }
        let out = r.dev.ok_or(Errno::ENETUNREACH)?;
        // __mkroute_input: out == in, send_redirects, and fib_validate_source's reverse lookup
        // (from the output device, TOS kept) reaches the source without a gateway
        let redirect = out == d
            && (self.dev(d).conf.get(CONF_SEND_REDIRECTS) != 0
                || self.net(ns).conf_all.get(CONF_SEND_REDIRECTS) != 0)
            && {
                let mut rev = Flowi4::output(src);
                rev.src = dst;
                rev.iif = iif;
                rev.tos = fl.tos;
                self.net(ns)
                    .fib
                    .lookup_flow(&rev, &|_| true)
                    .is_ok_and(|b| b.nh_scope >= RT_SCOPE_HOST)
            };
        Ok(RouteGetReply {
            rtype: r.rtype,
            table: r.table,
            gw: r.gw,
            oif: self.dev(out).ifindex,
            prefsrc: src,
            iif: Some(iif),
            route: Some((r.dst, r.plen)),
            route_metric: r.metric,
            route_table: r.table,
            redirect,
            redirected: false,
            expires_secs: None,
            pmtu: 0,
            pmtu_locked: false,
            metrics: r.metrics.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_flags_and_nexthop_checks() {
        let mut k = Kernel::new(1);
        let ns = k.netns_add("a");
        let lo = k.if_nametoindex(ns, "lo").unwrap();
        let m = RouteMsg {
            oif: Some(lo),
            ..RouteMsg::new(Ipv4Addr::new(10, 0, 0, 0), 24)
        };
        // Recorded (iproute2 6.1, `ip netns add t; ip -n t route add 10.0.0.0/24 dev lo`):
        // "Error: Device for nexthop is not up." while lo is down.
        let e = k
            .rtm_newroute(ns, &m, NLM_F_CREATE | NLM_F_EXCL)
            .unwrap_err();
        assert_eq!(e.iproute2_text(), "Error: Device for nexthop is not up.\n");
        let d = k.dev_by_ifindex(ns, lo).unwrap();
        k.dev_set_up(d, true);
        k.rtm_newroute(ns, &m, NLM_F_CREATE | NLM_F_EXCL).unwrap();
        let e = k
            .rtm_newroute(ns, &m, NLM_F_CREATE | NLM_F_EXCL)
            .unwrap_err();
        assert_eq!(e.iproute2_text(), "RTNETLINK answers: File exists\n");
        let bad = RouteMsg {
            dst: Ipv4Addr::new(10, 0, 0, 1),
            ..m.clone()
        };
        let e = k.rtm_newroute(ns, &bad, NLM_F_CREATE).unwrap_err();
        assert_eq!(
            e.iproute2_text(),
            "Error: Invalid prefix for given prefix length.\n"
        );
        let via = RouteMsg {
            gw: Some(Ipv4Addr::new(10, 9, 9, 9)),
            oif: None,
            ..RouteMsg::new(Ipv4Addr::new(10, 7, 0, 0), 16)
        };
        let e = k.rtm_newroute(ns, &via, NLM_F_CREATE).unwrap_err();
        assert_eq!(e.iproute2_text(), "Error: Nexthop has invalid gateway.\n");
        k.rtm_delroute(ns, &RouteMsg::new(Ipv4Addr::new(10, 0, 0, 0), 24))
            .unwrap();
        let e = k
            .rtm_delroute(ns, &RouteMsg::new(Ipv4Addr::new(10, 0, 0, 0), 24))
            .unwrap_err();
        assert_eq!(e.iproute2_text(), "RTNETLINK answers: No such process\n");
    }
}

/// Multipath routes, route metrics, nexthop flags and address metrics as iproute2 6.1 prints
/// them, against text recorded with the real `ip` on Linux 6.18 (veth pairs `d0`/`d0p` and
/// `d1`/`d1p` in a scratch namespace; `d1p` down takes `d1`'s carrier).
#[cfg(test)]
mod multipath_recorded {
    use crate::kernel::Kernel;
    use crate::tools::{self, Exec};

    fn ip(k: &mut Kernel, ns: crate::kernel::NsId, line: &str) -> (String, String, i32) {
        let argv: Vec<String> = line.split(' ').map(String::from).collect();
        match tools::run(k, ns, &argv) {
            Exec::Done(o) => (o.stdout, o.stderr, o.status),
            _ => panic!("ip ran as a process"),
        }
    }

    fn ok(k: &mut Kernel, ns: crate::kernel::NsId, line: &str) -> String {
        let (out, err, st) = ip(k, ns, line);
        assert_eq!((err.as_str(), st), ("", 0), "{line}");
        out
    }

    #[test]
    fn multipath_metrics_and_flags_print_as_recorded() {
        let mut k = Kernel::new(1);
        let ns = k.netns_add("a");
        for l in [
            "ip link set lo up",
            "ip link add d0 type veth peer name d0p",
            "ip link add d1 type veth peer name d1p",
            "ip link set d0p up",
            "ip link set d1p up",
            "ip link set d0 up",
            "ip link set d1 up",
            "ip addr add 198.51.100.1/24 dev d0",
            "ip addr add 192.0.2.1/24 dev d1",
            "ip route add 203.0.113.0/24 nexthop via 198.51.100.2 dev d0 nexthop via 192.0.2.2 dev d1 weight 3",
        ] {
            ok(&mut k, ns, l);
        }
        assert_eq!(
            ok(&mut k, ns, "ip route"),
            "192.0.2.0/24 dev d1 proto kernel scope link src 192.0.2.1 \n\
             198.51.100.0/24 dev d0 proto kernel scope link src 198.51.100.1 \n\
             203.0.113.0/24 \n\tnexthop via 198.51.100.2 dev d0 weight 1 \n\tnexthop via 192.0.2.2 dev d1 weight 3 \n"
        );
        ok(&mut k, ns, "ip link set d0 down");
        assert_eq!(
            ok(&mut k, ns, "ip route get fibmatch 203.0.113.1"),
            "203.0.113.0/24 \n\tnexthop via 198.51.100.2 dev d0 weight 1 dead linkdown \n\tnexthop via 192.0.2.2 dev d1 weight 3 \n"
        );
        let err = |e: &str, st| (String::new(), e.to_string(), st);
        assert_eq!(
            ip(&mut k, ns, "ip route get fibmatch 203.0.113.1 oif d0"),
            err("RTNETLINK answers: Network is unreachable\n", 2)
        );
        assert_eq!(
            ip(&mut k, ns, "ip route get fibmatch 203.0.113.1 oif d1").0,
            "203.0.113.0/24 \n\tnexthop via 198.51.100.2 dev d0 weight 1 dead linkdown \n\tnexthop via 192.0.2.2 dev d1 weight 3 \n"
        );
        assert_eq!(
            ip(&mut k, ns, "ip route get fibmatch 10.9.9.9 oif d1"),
            err("RTNETLINK answers: No route to host\n", 2)
        );
        assert_eq!(
            ok(&mut k, ns, "ip route get 10.9.9.9 oif d1"),
            "10.9.9.9 dev d1 src 192.0.2.1 uid 0 \n    cache \n"
        );
        ok(&mut k, ns, "ip link set d0 up");
        // Recorded the same way with `via 10.1.0.2 dev v0` (src 10.1.0.1).
        ok(
            &mut k,
            ns,
            "ip route add 172.16.121.0/24 via 198.51.100.2 mtu lock 1300 advmss 1260 congctl cubic",
        );
        assert_eq!(
            ok(&mut k, ns, "ip route get 172.16.121.1"),
            "172.16.121.1 via 198.51.100.2 dev d0 src 198.51.100.1 uid 0 \n    cache mtu lock 1300 advmss 1260 congctl cubic \n"
        );
        assert_eq!(
            ip(
                &mut k,
                ns,
                "ip route add 172.16.122.0/24 via 198.51.100.2 mtu 1400 hoplimit 300"
            ),
            err(
                "Error: argument \"300\" is wrong: \"hoplimit\" value is invalid\n\n",
                255
            )
        );
        ok(&mut k, ns, "ip route del 172.16.121.0/24");
        ok(&mut k, ns, "ip link set d1p down");
        for (l, e, st) in [
            (
                "ip route add 172.16.111.0/24 via 192.0.2.2 congctl lock foo",
                "Error: Unknown tcp congestion algorithm.\n",
                2,
            ),
            (
                "ip route add 172.16.111.0/24 via 192.0.2.2 mtu 1400 advmss 1300 congctl lock cubic",
                "",
                0,
            ),
            (
                "ip route add 172.16.112.0/24 mtu lock 1400 nexthop via 192.0.2.2 nexthop via 198.51.100.2",
                "",
                0,
            ),
            (
                "ip route add 172.16.113.0/24 nexthop via 192.0.2.2 dev d1 onlink nexthop dev d0",
                "",
                0,
            ),
            (
                "ip route replace 172.16.112.0/24 nexthop via 172.16.111.3 nexthop via 192.0.2.3",
                "Error: Nexthop has invalid gateway.\n",
                2,
            ),
            (
                "ip route change 172.16.119.0/24 via 192.0.2.3",
                "RTNETLINK answers: No such file or directory\n",
                2,
            ),
            (
                "ip route add 172.16.112.0/24 nexthop via 192.0.2.2 nexthop via 198.51.100.2",
                "RTNETLINK answers: File exists\n",
                2,
            ),
            (
                "ip route add 172.16.114.0/24 nexthop via 192.0.2.2 weight 0",
                "Error: argument \"0\" is wrong: \"weight\" is invalid\n\n",
                255,
            ),
            (
                "ip route add 172.16.114.0/24 nexthop",
                "Error: unexpected end of line after \"nexthop\"\n",
                255,
            ),
            (
                "ip route add 172.16.114.0/24 nexthop via 192.0.2.2 nexthop via 192.0.2.2",
                "",
                0,
            ),
            (
                "ip route add 172.16.115.0/24 nexthop via 192.0.2.2 dev d0",
                "Error: Nexthop has invalid gateway.\n",
                2,
            ),
            ("ip addr add 10.7.0.1/24 dev d1 metric 300", "", 0),
            ("ip addr add 10.8.0.1/32 peer 10.8.0.2 dev d1 metric 301", "", 0),
        ] {
            let (_, got, s) = ip(&mut k, ns, l);
            assert_eq!((got.as_str(), s), (e, st), "{l}");
        }
        assert_eq!(
            ok(&mut k, ns, "ip route"),
            "10.7.0.0/24 dev d1 proto kernel scope link src 10.7.0.1 metric 300 linkdown \n\
             10.8.0.2 dev d1 proto kernel scope link src 10.8.0.1 metric 301 linkdown \n\
             172.16.111.0/24 via 192.0.2.2 dev d1 linkdown mtu 1400 advmss 1300 congctl lock cubic \n\
             172.16.112.0/24 mtu lock 1400 \n\tnexthop via 192.0.2.2 dev d1 weight 1 linkdown \n\tnexthop via 198.51.100.2 dev d0 weight 1 \n\
             172.16.113.0/24 \n\tnexthop via 192.0.2.2 dev d1 weight 1 onlink linkdown \n\tnexthop dev d0 weight 1 \n\
             172.16.114.0/24 linkdown \n\tnexthop via 192.0.2.2 dev d1 weight 1 linkdown \n\tnexthop via 192.0.2.2 dev d1 weight 1 linkdown \n\
             192.0.2.0/24 dev d1 proto kernel scope link src 192.0.2.1 linkdown \n\
             198.51.100.0/24 dev d0 proto kernel scope link src 198.51.100.1 \n\
             203.0.113.0/24 \n\tnexthop via 198.51.100.2 dev d0 weight 1 \n\tnexthop via 192.0.2.2 dev d1 weight 3 linkdown \n"
        );
        let addrs = ok(&mut k, ns, "ip addr show dev d1");
        assert!(addrs.contains("    inet 10.7.0.1/24 metric 300 scope global d1\n"));
        assert!(addrs.contains("    inet 10.8.0.1 peer 10.8.0.2/32 metric 301 scope global d1\n"));
        ok(&mut k, ns, "ip addr change 10.7.0.1/24 dev d1 metric 400");
        assert_eq!(
            ok(&mut k, ns, "ip route show dev d1"),
            "10.7.0.0/24 proto kernel scope link src 10.7.0.1 metric 400 linkdown \n\
             10.8.0.2 proto kernel scope link src 10.8.0.1 metric 301 linkdown \n\
             172.16.111.0/24 via 192.0.2.2 linkdown mtu 1400 advmss 1300 congctl lock cubic \n\
             192.0.2.0/24 proto kernel scope link src 192.0.2.1 linkdown \n"
        );
    }
}

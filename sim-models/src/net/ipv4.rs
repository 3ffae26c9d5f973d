//! IPv4: ARP processing (`arp_process`), input (`ip_rcv`, `ip_route_input_slow`), forwarding
//! (`ip_forward`), local delivery and ICMP (`icmp_rcv`, `icmp_reply`, `__icmp_send`), output
//! (`ip_route_output_key`, `ip_local_out`, fragmentation) and source address selection
//! (`inet_select_addr`).
//!
//! # Differences from Linux
//! No ICMP redirects (`send_redirects` is accepted but never acts); no ICMP rate limiting; no IP
//! options processing. Reassembly and the PMTU cache are in `ipfrag.rs`.

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, DevKind, IfAddr, Kernel, NsId};
use crate::net::devconf::*;
use crate::net::fib::*;
use crate::net::neigh::*;
use crate::net::netfilter::NfHook;
use crate::wire::*;
use sim_core::Duration;
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
    /// Whether `ip` is a local address of namespace `ns` (`inet_addr_type == RTN_LOCAL`).
    pub fn inet_addr_is_local(&self, ns: NsId, ip: Ipv4Addr) -> bool {
        self.net(ns)
            .fib
            .tables
            .get(&RT_TABLE_LOCAL)
            .and_then(|t| t.lookup(ip, &|_| true))
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
        for a in self.dev(dev).addrs.iter().filter(|a| !a.secondary) {
            if a.scope > scope {
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
        let ns = self.dev(dev).ns;
        for &d in &self.net(ns).devs {
            for a in self.dev(d).addrs.iter().filter(|a| !a.secondary) {
                if a.scope != RT_SCOPE_LINK && a.scope <= scope {
                    return a.local;
                }
            }
        }
        Ipv4Addr::UNSPECIFIED
    }

    /// `fib_add_ifaddr`: the local, broadcast and prefix routes the kernel adds for an address.
    pub fn fib_add_ifaddr(&mut self, d: DevId, ifa: &IfAddr) {
        let dev = self.dev(d);
        let ns = dev.ns;
        let up = dev.up;
        let loopback = matches!(dev.kind, DevKind::Loopback);
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
            table,
            dst,
            plen,
            rtype,
            proto: RTPROT_KERNEL,
            scope,
            prefsrc: Some(src),
            metric: 0,
            gw: None,
            dev: Some(d),
            onlink: false,
            nh_scope: RT_SCOPE_HOST,
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
    }

    /// `fib_del_ifaddr`: removes the routes an address brought (those with it as prefsrc).
    pub fn fib_del_ifaddr(&mut self, d: DevId, ifa: &IfAddr) {
        let ns = self.dev(d).ns;
        let still_local = self
            .net(ns)
            .devs
            .iter()
            .any(|&x| self.dev(x).addrs.iter().any(|a| a.local == ifa.local));
        for t in self.net_mut(ns).fib.tables.values_mut() {
            t.retain(|r| {
                let own_local = r.rtype == RtnType::Local && r.dst == ifa.local;
                let brought = r.prefsrc == Some(ifa.local) || own_local;
                !(r.proto == RTPROT_KERNEL
                    && r.dev == Some(d)
                    && brought
                    && !(still_local && own_local))
            });
        }
    }

    /// Re-adds the routes of every address of a device that came up (NETDEV_UP).
    pub fn fib_add_dev_addrs(&mut self, d: DevId) {
        for a in self.dev(d).addrs.clone() {
            self.fib_add_ifaddr(d, &a);
        }
    }

    // ---------------------------------------------------------------- ARP

    /// `arp_rcv` + `arp_process`.
    pub fn arp_rcv(&mut self, d: DevId, _eth: &EthRepr, payload: &[u8], to_host: bool) {
        let arp = match ArpRepr::parse(payload) {
            Ok(a) => a,
            Err(r) => return self.kfree_skb_reason(Some(d), r, "arp_rcv"),
        };
        let ns = self.dev(d).ns;
        if arp.op != ARPOP_REQUEST && arp.op != ARPOP_REPLY {
            return self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "arp_process");
        }
        if arp.tip.is_multicast() || arp.tip.is_loopback() {
            return self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "arp_process");
        }
        let arp_ignore = self
            .dev(d)
            .conf
            .get(CONF_ARP_IGNORE)
            .max(self.net(ns).conf_all.get(CONF_ARP_IGNORE));
        let ignore = |k: &Kernel| match arp_ignore {
            0 => false,
            1 => !k.dev(d).addrs.iter().any(|a| a.local == arp.tip),
            2 => !k.dev(d).addrs.iter().any(|a| {
                a.local == arp.tip && prefix_of(a.address, a.plen) == prefix_of(arp.sip, a.plen)
            }),
            _ => true,
        };
        if arp.sip.is_unspecified() {
            // Duplicate address detection probe (RFC 2131): answer for our own address only.
            if arp.op == ARPOP_REQUEST && self.inet_addr_is_local(ns, arp.tip) && !ignore(self) {
                self.trace(ns, || {
                    format!(
                        "arp: who-has {} from 0.0.0.0 (a probe) is ours → reply",
                        arp.tip
                    )
                });
                self.arp_send(
                    ARPOP_REPLY,
                    d,
                    arp.sip,
                    arp.tip,
                    Some(arp.sha),
                    Some(arp.sha),
                );
            }
            return;
        }
        if arp.op == ARPOP_REQUEST {
            match self.ip_route_input_type(d, arp.tip, arp.sip) {
                Some((RtnType::Local, _)) => {
                    let ign = ignore(self);
                    self.trace(ns, || {
                        format!(
                            "arp: who-has {} is a local address{}",
                            arp.tip,
                            if ign {
                                ", but arp_ignore: no reply"
                            } else {
                                " → reply"
                            }
                        )
                    });
                    if !ign {
                        self.neigh_event_ns(ns, d, arp.sip, arp.sha);
                        self.arp_send(
                            ARPOP_REPLY,
                            d,
                            arp.sip,
                            arp.tip,
                            Some(arp.sha),
                            Some(arp.sha),
                        );
                    }
                    return;
                }
                Some((RtnType::Unicast, Some(out)))
                    if self.dev_forwarding(d) && out != d && self.proxy_arp_on(d) =>
                {
                    let on = self.trace_name(out);
                    self.trace(ns, || format!("arp: proxy_arp: {} is routed via {on}, not the asking port → reply with our MAC", arp.tip));
                    self.neigh_event_ns(ns, d, arp.sip, arp.sha);
                    let delay = self.dev(d).nparms.proxy_delay_ns();
                    if to_host && !mac_is_multicast(&_eth.dst) || delay == 0 {
                        self.arp_send(
                            ARPOP_REPLY,
                            d,
                            arp.sip,
                            arp.tip,
                            Some(arp.sha),
                            Some(arp.sha),
                        );
                    } else {
                        // pneigh_enqueue: answer after a random 0..proxy_delay.
                        let wait = self.rng.next_u64() % delay.max(1);
                        let src = self.dev(d).mac;
                        let reply = ArpRepr {
                            op: ARPOP_REPLY,
                            sha: src,
                            sip: arp.tip,
                            tha: arp.sha,
                            tip: arp.sip,
                        };
                        let f = EthRepr {
                            dst: arp.sha,
                            src,
                            ethertype: ETH_P_ARP,
                        }
                        .emit(&reply.emit());
                        self.schedule_in(
                            Duration(wait),
                            crate::kernel::Event::ProxyArp { dev: d, frame: f },
                        );
                    }
                    return;
                }
                _ => {}
            }
        }
        // Update our ARP tables: only an existing entry is refreshed.
        if self.net(ns).neigh.entries.contains_key(&(d, arp.sip)) {
            let n = &self.net(ns).neigh.entries[&(d, arp.sip)];
            let override_ = self.now.0 > n.updated.0 + self.dev(d).nparms.locktime_ns();
            let state = if arp.op == ARPOP_REPLY && to_host && !mac_is_multicast(&_eth.dst) {
                NUD_REACHABLE
            } else {
                NUD_STALE
            };
            self.neigh_update(ns, d, arp.sip, Some(arp.sha), state, override_, false);
        }
    }

    fn proxy_arp_on(&self, d: DevId) -> bool {
        let ns = self.dev(d).ns;
        self.dev(d).conf.get(CONF_PROXY_ARP) != 0 || self.net(ns).conf_all.get(CONF_PROXY_ARP) != 0
    }

    pub fn dev_forwarding(&self, d: DevId) -> bool {
        self.dev(d).conf.get(CONF_FORWARDING) != 0
    }

    /// The type of route an input packet to `dst` from `src` arriving on `d` would get, and its
    /// output device (`ip_route_input_noref` as ARP uses it). None when input routing fails.
    fn ip_route_input_type(
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

    // ---------------------------------------------------------------- input

    /// `ip_rcv` → `ip_rcv_finish` → `ip_route_input_slow` → deliver or forward.
    pub fn ip_rcv(&mut self, d: DevId, mut pkt: Vec<u8>, to_host: bool) {
        let (ip, hl) = match Ipv4Repr::parse(&pkt) {
            Ok(x) => x,
            Err(r) => return self.kfree_skb_reason(Some(d), r, "ip_rcv_core"),
        };
        pkt.truncate(ip.total_len as usize);
        let ns = self.dev(d).ns;
        if self
            .nf_hook(ns, NfHook::PreRouting, &mut pkt, Some(d), None)
            .dropped()
        {
            return;
        }
        let ip = if pkt[16..20] == ip.dst.octets() && pkt[12..16] == ip.src.octets() {
            ip
        } else {
            match Ipv4Repr::parse(&pkt) {
                Ok(x) => x.0,
                Err(r) => return self.kfree_skb_reason(Some(d), r, "ip_rcv_finish"),
            }
        };
        if ip.src.is_multicast()
            || ip.src.is_broadcast()
            || (ip.src.is_loopback() && !matches!(self.dev(d).kind, DevKind::Loopback))
        {
            return self.kfree_skb_reason(
                Some(d),
                SkbDropReason::IpInvalidSource,
                "ip_route_input_slow",
            );
        }
        let route = self.net(ns).fib.lookup(ip.dst, &|_| true).cloned();
        if self.tracer.enabled {
            let r = route
                .as_ref()
                .map(|r| self.trace_route(r))
                .unwrap_or_else(|| "no route".into());
            self.trace(ns, || format!("fib: {} → {r}", ip.dst));
        }
        let is_bcast = ip.dst.is_broadcast()
            || route
                .as_ref()
                .is_some_and(|r| r.rtype == RtnType::Broadcast);
        if let Some(r) = &route {
            if r.rtype == RtnType::Local || is_bcast {
                if !self.rp_filter_ok(d, ip.src) {
                    return self.kfree_skb_reason(
                        Some(d),
                        SkbDropReason::IpRpfilter,
                        "ip_rcv_finish",
                    );
                }
                return self.ip_local_deliver(d, pkt, hl, ip, is_bcast);
            }
        } else if ip.dst.is_broadcast() {
            return self.ip_local_deliver(d, pkt, hl, ip, true);
        }
        if !to_host {
            return self.kfree_skb_reason(Some(d), SkbDropReason::OtherHost, "ip_rcv_core");
        }
        if ip.dst.is_multicast() {
            return self.kfree_skb_reason(
                Some(d),
                SkbDropReason::NotSpecified,
                "ip_route_input_mc",
            );
        }
        if !self.dev_forwarding(d) {
            return self.kfree_skb_reason(Some(d), SkbDropReason::IpInAddrErrors, "ip_error");
        }
        let Some(r) = route else {
            self.icmp_send(
                ns,
                Some(d),
                &pkt,
                ICMP_DEST_UNREACH,
                ICMP_NET_UNREACH,
                [0; 4],
            );
            return self.kfree_skb_reason(Some(d), SkbDropReason::IpInNoRoutes, "ip_error");
        };
        match r.rtype {
            RtnType::Unicast => {}
            RtnType::Blackhole => {
                return self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "dst_discard")
            }
            RtnType::Unreachable | RtnType::Prohibit | RtnType::Throw => {
                let code = if r.rtype == RtnType::Prohibit {
                    13
                } else {
                    ICMP_HOST_UNREACH
                };
                self.icmp_send(ns, Some(d), &pkt, ICMP_DEST_UNREACH, code, [0; 4]);
                return self.kfree_skb_reason(Some(d), SkbDropReason::IpInNoRoutes, "ip_error");
            }
            _ => {
                return self.kfree_skb_reason(
                    Some(d),
                    SkbDropReason::NotSpecified,
                    "ip_route_input_slow",
                )
            }
        }
        if !self.rp_filter_ok(d, ip.src) {
            return self.kfree_skb_reason(Some(d), SkbDropReason::IpRpfilter, "ip_rcv_finish");
        }
        self.ip_forward(d, pkt, &ip, &r);
    }

    /// `fib_validate_source` for `rp_filter` 1 (strict) and 2 (loose).
    fn rp_filter_ok(&self, d: DevId, src: Ipv4Addr) -> bool {
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

    /// `ip_forward` → `ip_forward_finish` → `ip_output`.
    fn ip_forward(&mut self, d: DevId, mut pkt: Vec<u8>, ip: &Ipv4Repr, r: &Route) {
        let ns = self.dev(d).ns;
        if ip.ttl <= 1 {
            self.icmp_send(ns, Some(d), &pkt, ICMP_TIME_EXCEEDED, 0, [0; 4]);
            return self.kfree_skb_reason(Some(d), SkbDropReason::IpTtlExceeded, "ip_forward");
        }
        let Some(out) = r.dev else {
            return self.kfree_skb_reason(Some(d), SkbDropReason::IpOutNoRoutes, "ip_forward");
        };
        let mtu = self.dev(out).mtu as usize;
        if pkt.len() > mtu && ip.df() {
            let rest = [0, 0, (mtu >> 8) as u8, mtu as u8];
            self.icmp_send(ns, Some(d), &pkt, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, rest);
            return self.kfree_skb_reason(Some(d), SkbDropReason::PktTooBig, "ip_forward");
        }
        ip_decrease_ttl(&mut pkt);
        if self
            .nf_hook(ns, NfHook::Forward, &mut pkt, Some(d), Some(out))
            .dropped()
            || self
                .nf_hook(ns, NfHook::PostRouting, &mut pkt, None, Some(out))
                .dropped()
        {
            return;
        }
        let nh = r.gw.unwrap_or(ip.dst);
        let on = self.trace_name(out);
        self.trace(ns, || {
            format!(
                "forward: ttl {} → {}, out {on} nexthop {nh}",
                ip.ttl,
                ip.ttl - 1
            )
        });
        self.ip_finish_output(out, nh, pkt);
    }

    /// `ip_finish_output`: fragments when needed, then `neigh_output`.
    pub fn ip_finish_output(&mut self, out: DevId, nh: Ipv4Addr, pkt: Vec<u8>) {
        let mtu = self.dev(out).mtu as usize;
        if pkt.len() <= mtu {
            return self.ip_finish_output2(out, nh, pkt);
        }
        match ip_fragment(&pkt, mtu) {
            Some(frags) => {
                for f in frags {
                    self.ip_finish_output2(out, nh, f);
                }
            }
            None => self.kfree_skb_reason(Some(out), SkbDropReason::PktTooBig, "ip_fragment"),
        }
    }

    /// `ip_finish_output2`: an IPIP tunnel's neighbour is NUD_NOARP (straight to the device,
    /// which needs the nexthop); other devices resolve it.
    fn ip_finish_output2(&mut self, out: DevId, nh: Ipv4Addr, pkt: Vec<u8>) {
        if std::mem::take(&mut self.dst_pending_confirm) {
            // sock_confirm_neigh: a TCP socket saw forward progress (tcp_ack → sk_dst_confirm).
            self.neigh_confirm(out, nh);
        }
        if matches!(self.dev(out).kind, DevKind::Ipip(_)) {
            return self.ipip_output(out, nh, pkt);
        }
        self.neigh_output(out, nh, pkt)
    }

    /// `ip_local_deliver` → protocol handlers.
    fn ip_local_deliver(
        &mut self,
        d: DevId,
        mut pkt: Vec<u8>,
        hl: usize,
        ip: Ipv4Repr,
        bcast: bool,
    ) {
        let ns = self.dev(d).ns;
        // ip_is_fragment → ip_defrag: deliver only whole datagrams.
        if ip.frag & (IP_MF | 0x1fff) != 0 {
            let Some(whole) = self.ip_defrag(d, pkt, &ip, hl) else {
                return;
            };
            let Ok((ip, hl)) = Ipv4Repr::parse(&whole) else {
                return;
            };
            return self.ip_local_deliver(d, whole, hl, ip, bcast);
        }
        if self
            .nf_hook(ns, NfHook::LocalIn, &mut pkt, Some(d), None)
            .dropped()
        {
            return;
        }
        // INPUT may have rewritten the source (SNAT in INPUT): re-read the header only then.
        let ip = if pkt[12..16] == ip.src.octets() {
            ip
        } else {
            match Ipv4Repr::parse(&pkt) {
                Ok((x, _)) => x,
                Err(_) => ip,
            }
        };
        self.trace(ns, || {
            format!("local deliver: {} > {} proto {}", ip.src, ip.dst, ip.proto)
        });
        match ip.proto {
            IPPROTO_ICMP => self.icmp_rcv(ns, d, &pkt, hl, &ip, bcast),
            IPPROTO_IPIP if !bcast => self.ipip_rcv(d, &pkt, hl, &ip),
            IPPROTO_UDP => {
                // A UDP tunnel socket (vxlan) takes its port before ordinary sockets.
                if !bcast && self.vxlan_udp_rcv(d, &pkt, hl, &ip) {
                    return;
                }
                self.udp_rcv(d, &pkt, hl, &ip, bcast)
            }
            IPPROTO_TCP if !bcast => self.tcp_v4_rcv(d, &pkt, hl, &ip),
            _ => self.kfree_skb_reason(Some(d), SkbDropReason::NoSocket, "ip_local_deliver_finish"),
        }
    }

    fn icmp_rcv(&mut self, ns: NsId, d: DevId, pkt: &[u8], hl: usize, ip: &Ipv4Repr, bcast: bool) {
        let icmp = match IcmpRepr::parse(&pkt[hl..]) {
            Ok(i) => i,
            Err(r) => return self.kfree_skb_reason(Some(d), r, "icmp_rcv"),
        };
        match icmp.ty {
            ICMP_ECHO => {
                if bcast {
                    // icmp_echo_ignore_broadcasts=1
                    return self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "icmp_rcv");
                }
                self.trace(ns, || {
                    format!("icmp: echo request from {} → echo reply", ip.src)
                });
                let reply = IcmpRepr {
                    ty: ICMP_ECHOREPLY,
                    code: 0,
                    rest: icmp.rest,
                    data: icmp.data.clone(),
                };
                let id = self.next_ip_id(ns);
                let out = Ipv4Repr {
                    tos: ip.tos,
                    total_len: 0,
                    id,
                    frag: 0,
                    ttl: 64,
                    proto: IPPROTO_ICMP,
                    src: ip.dst,
                    dst: ip.src,
                    options: vec![],
                };
                let _ = self.ip_send(ns, out, reply.emit());
            }
            _ => {
                self.trace(ns, || {
                    let what = match icmp.ty {
                        0 => "echo reply".to_string(),
                        3 => format!("destination unreachable (code {})", icmp.code),
                        11 => "time exceeded".to_string(),
                        t => format!("type {t} code {}", icmp.code),
                    };
                    format!("icmp: {what} → ping sockets")
                });
                // icmp_unreach → ipv4_update_pmtu for "fragmentation needed".
                if icmp.ty == ICMP_DEST_UNREACH && icmp.code == ICMP_FRAG_NEEDED {
                    if let Ok((q, _)) = Ipv4Repr::parse_quoted(&icmp.data) {
                        let mtu = u16::from_be_bytes([icmp.rest[2], icmp.rest[3]]);
                        if q.src == ip.dst && mtu >= 68 {
                            self.ip_rt_update_pmtu(ns, q.dst, u32::from(mtu));
                        }
                    }
                }
                if icmp.ty == ICMP_DEST_UNREACH || icmp.ty == ICMP_TIME_EXCEEDED {
                    self.tcp_v4_err(ns, &icmp);
                }
                self.ping_rcv(ns, ip, &icmp)
            }
        }
    }

    // ---------------------------------------------------------------- output

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

    /// Sends a locally generated IPv4 packet (`ip_local_out` → `ip_output`). The header's `src`
    /// may be unspecified: the route's source is used. Returns the error a socket would see.
    pub fn ip_send(
        &mut self,
        ns: NsId,
        mut ip: Ipv4Repr,
        payload: Vec<u8>,
    ) -> Result<(), RouteErr> {
        let rt = match self.ip_route_output(ns, ip.dst, ip.src, None) {
            Ok(rt) => rt,
            Err(e) => {
                self.kfree_skb_reason_ns(ns, SkbDropReason::IpOutNoRoutes, "ip_route_output_flow");
                return Err(e);
            }
        };
        if ip.src.is_unspecified() {
            ip.src = rt.src;
        }
        let mut pkt = ip.emit(&payload);
        let (mut out, mut nh) = (rt.dev, rt.gw.unwrap_or(ip.dst));
        if self.tracer.enabled {
            let (on, t) = (
                self.dev(rt.dev).name.clone(),
                crate::trace::table_name(rt.table),
            );
            let via = rt.gw.map(|g| format!(" via {g}")).unwrap_or_default();
            self.trace(ns, || {
                format!(
                    "fib: output {} → table {t}: {}/{}{via} dev {on} src {} → nexthop {nh}",
                    ip.dst, rt.route_dst, rt.route_plen, ip.src
                )
            });
        }
        if self
            .nf_hook(ns, NfHook::LocalOut, &mut pkt, None, Some(out))
            .dropped()
        {
            return Err(RouteErr::Perm);
        }
        if pkt[16..20] != ip.dst.octets() {
            // OUTPUT changed the destination (DNAT): ip_route_me_harder.
            match self.nf_reroute(ns, &pkt) {
                Some((d, n)) => (out, nh) = (d, n),
                None => {
                    self.kfree_skb_reason_ns(
                        ns,
                        SkbDropReason::IpOutNoRoutes,
                        "ip_route_me_harder",
                    );
                    return Err(RouteErr::NetUnreach);
                }
            }
        }
        if self
            .nf_hook(ns, NfHook::PostRouting, &mut pkt, None, Some(out))
            .dropped()
        {
            return Err(RouteErr::Perm);
        }
        // A learned path MTU below the device's: fragment to it (ip_skb_dst_mtu).
        let dst = Ipv4Addr::new(pkt[16], pkt[17], pkt[18], pkt[19]);
        let pmtu = self.ip_path_mtu(ns, out, dst) as usize;
        if pkt.len() > pmtu && pmtu < self.dev(out).mtu as usize {
            match ip_fragment(&pkt, pmtu) {
                Some(frags) => {
                    for f in frags {
                        self.ip_finish_output(out, nh, f);
                    }
                }
                None => self.kfree_skb_reason(Some(out), SkbDropReason::PktTooBig, "ip_fragment"),
            }
            return Ok(());
        }
        self.ip_finish_output(out, nh, pkt);
        Ok(())
    }

    /// `__icmp_send`: an ICMP error about `offending` (a raw IPv4 packet), with the kernel's
    /// rules: never about ICMP errors, fragments or broadcasts; source is the offending packet's
    /// destination when that is local, else chosen by routing; TOS | 0xc0; up to 576 bytes.
    pub fn icmp_send(
        &mut self,
        ns: NsId,
        _in_dev: Option<DevId>,
        offending: &[u8],
        ty: u8,
        code: u8,
        rest: [u8; 4],
    ) {
        let Ok((oip, hl)) = Ipv4Repr::parse(offending) else {
            return;
        };
        self.trace(ns, || {
            format!("icmp: error type {ty} code {code} to {}", oip.src)
        });
        if oip.frag & 0x1fff != 0
            || oip.dst.is_broadcast()
            || oip.dst.is_multicast()
            || oip.src.is_unspecified()
        {
            return;
        }
        if oip.proto == IPPROTO_ICMP {
            if let Some(&t) = offending.get(hl) {
                if !matches!(t, ICMP_ECHO | ICMP_ECHOREPLY | 13 | 14 | 15 | 16 | 17 | 18) {
                    return;
                }
            }
        }
        let src = if self.inet_addr_is_local(ns, oip.dst) {
            oip.dst
        } else {
            Ipv4Addr::UNSPECIFIED
        };
        let quote = &offending[..offending.len().min(576 - 20 - 8)];
        let icmp = IcmpRepr {
            ty,
            code,
            rest,
            data: quote.to_vec(),
        };
        self.nf_ct_attach(ns, offending);
        let id = self.next_ip_id(ns);
        let ip = Ipv4Repr {
            tos: (oip.tos & 0x1e) | 0xc0,
            total_len: 0,
            id,
            frag: 0,
            ttl: 64,
            proto: IPPROTO_ICMP,
            src,
            dst: oip.src,
            options: vec![],
        };
        let _ = self.ip_send(ns, ip, icmp.emit());
    }

    /// `arp_error_report` → `icmp_send(ICMP_DEST_UNREACH, ICMP_HOST_UNREACH)`.
    pub fn icmp_send_host_unreach(&mut self, ns: NsId, dev: DevId, pkt: &[u8]) {
        self.icmp_send(
            ns,
            Some(dev),
            pkt,
            ICMP_DEST_UNREACH,
            ICMP_HOST_UNREACH,
            [0; 4],
        );
    }
}

/// `ip_fragment`: splits a packet without DF into fragments that fit `mtu`. None if DF is set.
pub fn ip_fragment(pkt: &[u8], mtu: usize) -> Option<Vec<Vec<u8>>> {
    let (ip, hl) = Ipv4Repr::parse(pkt).ok()?;
    if ip.df() || mtu < hl + 8 {
        return None;
    }
    let data = &pkt[hl..];
    let chunk = (mtu - hl) & !7;
    let base_off = (ip.frag & 0x1fff) as usize * 8;
    let orig_mf = ip.frag & IP_MF != 0;
    let mut out = Vec::new();
    let mut off = 0;
    while off < data.len() {
        let end = (off + chunk).min(data.len());
        let last = end == data.len();
        let mut h = ip.clone();
        h.frag = (((base_off + off) / 8) as u16) | if !last || orig_mf { IP_MF } else { 0 };
        out.push(h.emit(&data[off..end]));
        off = end;
    }
    Some(out)
}

//! IPv4 input (`net/ipv4/ip_input.c`): `ip_rcv`, `ip_rcv_finish` with the input route
//! (`ip_route_input_slow`), and `ip_local_deliver` to the protocol handlers.
//!
//! # Differences from Linux
//! No IP options processing. Reassembly and the PMTU cache are in `ipfrag.rs`.

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, DevKind, Kernel};
use crate::net::fib::*;
use crate::net::netfilter::NfHook;
use crate::net::route::RouteErr;
use crate::net::skbuff::{SkBuff, PACKET_HOST};
use crate::wire::*;

impl Kernel {
    /// `ip_rcv` → `ip_rcv_finish` → `ip_route_input_slow` → deliver or forward.
    pub fn ip_rcv(&mut self, d: DevId, mut skb: SkBuff) {
        let to_host = skb.pkt_type == PACKET_HOST;
        let (mut ip, hl) = match Ipv4Repr::parse_inline(skb.data()) {
            Ok(x) => x,
            Err(r) => return self.kfree_skb_reason(Some(d), r, "ip_rcv_core"),
        };
        skb.trim(ip.total_len as usize);
        skb.frag_max_size = 0;
        // What the rest of the path reads of the device, read once (again for the VRF that
        // takes the packet over, if one does).
        let mut dv = InDev::of(self.dev(d));
        let ns = dv.ns;
        // nf_defrag_ipv4 (ipv4_conntrack_defrag, before conntrack at PRE_ROUTING): where
        // conntrack runs, fragments are reassembled first (stolen until complete), so
        // conntrack and NAT see whole packets.
        // (The header is replaced where it changed, not moved from one binding to the next.)
        if ip.frag & (IP_MF | 0x1fff) != 0 && self.net(ns).nf.ct_enabled() {
            let Some((whole, max)) = self.ip_defrag_max(d, skb.data(), &ip, hl) else {
                return;
            };
            skb.set_data(whole);
            skb.frag_max_size = max;
            ip = match Ipv4Repr::parse(skb.data()) {
                Ok((x, _)) => x,
                Err(r) => return self.kfree_skb_reason(Some(d), r, "nf_ct_ipv4_gather_frags"),
            };
        }
        if self
            .nf_hook(ns, NfHook::PreRouting, &mut skb, Some(d), None)
            .dropped()
        {
            return;
        }
        if skb.data()[16..20] != ip.dst.octets() || skb.data()[12..16] != ip.src.octets() {
            ip = match Ipv4Repr::parse(skb.data()) {
                Ok(x) => x.0,
                Err(r) => return self.kfree_skb_reason(Some(d), r, "ip_rcv_finish"),
            };
        }
        // ip_rcv_finish → l3mdev_ip_rcv: in a VRF the packet's device is the VRF from here
        // on (skb->dev), as the input route, delivery and forwarding see it.
        // (What the VRF looped back keeps its route, as loopback's packets do: vrf_local_xmit's
        // skb_dst_set, so it is not validated again.)
        let looped = dv.l3_master;
        let d = if dv.enslaved || looped {
            match self.l3mdev_ip_rcv(d, &mut skb, ip.dst) {
                Some(vrf) => {
                    dv = InDev::of(self.dev(vrf));
                    vrf
                }
                None => d,
            }
        } else {
            d
        };
        let on_lo = dv.on_lo;
        // ip_route_input_slow: 127/8 from another device is martian unless route_localnet
        if !on_lo && ip.dst.is_loopback() && !self.dev_route_localnet(d) {
            return self.kfree_skb_reason(
                Some(d),
                SkbDropReason::IpInvalidDest,
                "ip_route_input_slow",
            );
        }
        if ip.src.is_multicast()
            || ip.src.is_broadcast()
            || (ip.src.is_loopback() && !on_lo && !self.dev_route_localnet(d))
        {
            return self.kfree_skb_reason(
                Some(d),
                SkbDropReason::IpInvalidSource,
                "ip_route_input_slow",
            );
        }
        // l3mdev_ip_rcv → ipvlan_l3_rcv: on the parent of an L3S ipvlan port, a packet for a
        // slave's address is routed in the slave's namespace; local there, it is delivered
        // through the parent's INPUT (ipvlan_nf_input then hands it to the slave).
        if to_host
            && dv.ipvlan_port
            && self.netif_has_l3_rx_handler(d)
            && self.ipvlan_l3_rcv(d, ip.dst, ip.src)
        {
            return self.ip_local_deliver(d, skb, hl, &ip, false);
        }
        let route = {
            // ip_route_input_slow's flow: the rules see the input device, addresses, TOS,
            // mark and (fib4_rules_early_flow_dissect) protocol and ports.
            let mut fl = crate::net::fib_rules::Flowi4::output(ip.dst);
            fl.iif = dv.ifindex;
            fl.src = ip.src;
            fl.tos = ip.tos & crate::net::fib_rules::IPTOS_RT_MASK;
            fl.mark = skb.mark;
            fl.proto = ip.proto;
            let l4 = &skb.data()[hl.min(skb.data().len())..];
            if matches!(ip.proto, 6 | 17) && ip.frag & 0x1fff == 0 && l4.len() >= 4 {
                fl.sport = u16::from_be_bytes([l4[0], l4[1]]);
                fl.dport = u16::from_be_bytes([l4[2], l4[3]]);
            }
            // (route.rs: the namespace's route cache, or fib_lookup and fib_select_path.)
            self.ip_route_input_fib(d, fl)
        };
        let is_bcast = ip.dst.is_broadcast()
            || route
                .as_ref()
                .is_some_and(|r| r.rtype == RtnType::Broadcast);
        if let Some(r) = &route {
            if r.rtype == RtnType::Local || is_bcast {
                let valid = if looped {
                    Ok(())
                } else {
                    // (fib_validate_source, asked with the route)
                    r.valid
                };
                if let Err(reason) = valid {
                    return self.kfree_skb_reason(Some(d), reason, "ip_route_input_slow");
                }
                return self.ip_local_deliver(d, skb, hl, &ip, is_bcast);
            }
        } else if ip.dst.is_broadcast() {
            return self.ip_local_deliver(d, skb, hl, &ip, true);
        }
        // ip_route_input_rcu: a multicast destination is ours only for a group the device has
        // joined (ip_check_mc_rcu). Every IPv4 device joins all-hosts (224.0.0.1, ip_mc_up);
        // nslab models no other membership (no IGMP, no IP_ADD_MEMBERSHIP). ip_route_input_mc
        // delivers it locally as RTCF_MULTICAST, which icmp_echo ignores as it does a
        // broadcast (icmp_echo_ignore_broadcasts); another group is -EINVAL (no multicast
        // routing).
        if ip.dst.is_multicast() && skb.pkt_type != crate::net::skbuff::PACKET_OTHERHOST {
            if ip.dst == std::net::Ipv4Addr::new(224, 0, 0, 1) {
                return self.ip_local_deliver(d, skb, hl, &ip, true);
            }
            return self.kfree_skb_reason(
                Some(d),
                SkbDropReason::NotSpecified,
                "ip_route_input_noref",
            );
        }
        if !to_host {
            return self.kfree_skb_reason(Some(d), SkbDropReason::OtherHost, "ip_rcv_core");
        }
        if !self.dev_forwarding(d) {
            return self.kfree_skb_reason(Some(d), SkbDropReason::IpInAddrErrors, "ip_error");
        }
        // fib_lookup's error becomes the input route's dst.error, handled by ip_error.
        let Some(r) = route else {
            return self.ip_error(d, &skb, RouteErr::NetUnreach);
        };
        match r.rtype {
            RtnType::Unicast => {}
            RtnType::Unreachable => return self.ip_error(d, &skb, RouteErr::HostUnreach),
            RtnType::Prohibit => return self.ip_error(d, &skb, RouteErr::Acces),
            RtnType::Blackhole => return self.ip_error(d, &skb, RouteErr::Invalid),
            RtnType::Throw => return self.ip_error(d, &skb, RouteErr::NetUnreach),
            _ => {
                return self.kfree_skb_reason(
                    Some(d),
                    SkbDropReason::NotSpecified,
                    "ip_route_input_slow",
                )
            }
        }
        if let Err(reason) = r.valid {
            return self.kfree_skb_reason(Some(d), reason, "__mkroute_input");
        }
        self.ip_forward(d, skb, &ip, r.dev, r.gw);
    }

    /// `ip_local_deliver` → protocol handlers.
    pub(crate) fn ip_local_deliver(
        &mut self,
        d: DevId,
        mut skb: SkBuff,
        hl: usize,
        ip: &Ipv4Repr,
        bcast: bool,
    ) {
        let (ns, ipvlan_port) = {
            let dv = self.dev(d);
            (dv.ns, dv.ipvlan_port.is_some())
        };
        // ip_is_fragment → ip_defrag: deliver only whole datagrams.
        if ip.frag & (IP_MF | 0x1fff) != 0 {
            let Some(whole) = self.ip_defrag(d, skb.data(), ip, hl) else {
                return;
            };
            let Ok((ip, hl)) = Ipv4Repr::parse(&whole) else {
                return;
            };
            skb.set_data(whole);
            return self.ip_local_deliver(d, skb, hl, &ip, bcast);
        }
        if self
            .nf_hook(ns, NfHook::LocalIn, &mut skb, Some(d), None)
            .dropped()
        {
            return;
        }
        // ipvlan_nf_input (an L3S ipvlan port's LOCAL_IN hook, last in the parent's
        // namespace): a slave's packet goes on as the slave's, in the slave's namespace.
        let slave = if ipvlan_port && self.netif_has_l3_rx_handler(d) {
            self.ipvlan_nf_input(d, ip.dst, skb.len())
        } else {
            None
        };
        let (d, ns) = slave.map_or((d, ns), |s| (s, self.dev(s).ns));
        // INPUT may have rewritten the source (SNAT in INPUT): re-read the header only then.
        let reparsed;
        let ip = if skb.data()[12..16] == ip.src.octets() {
            ip
        } else {
            match Ipv4Repr::parse(skb.data()) {
                Ok((x, _)) => {
                    reparsed = x;
                    &reparsed
                }
                Err(_) => ip,
            }
        };
        self.trace(ns, || {
            format!("local deliver: {} > {} proto {}", ip.src, ip.dst, ip.proto)
        });
        match ip.proto {
            IPPROTO_ICMP => self.icmp_rcv(ns, d, skb, hl, ip, bcast),
            IPPROTO_IPIP if !bcast => self.ipip_rcv(d, skb, hl, ip),
            crate::net::ip_gre::IPPROTO_GRE if !bcast => self.gre_rcv(d, skb, hl, ip),
            IPPROTO_UDP => {
                // A UDP tunnel socket (vxlan) takes its port before ordinary sockets.
                if !bcast && self.vxlan_udp_rcv(d, &skb, hl, ip) {
                    return;
                }
                self.udp_rcv(d, &skb, hl, ip, bcast)
            }
            IPPROTO_TCP if !bcast => self.tcp_v4_rcv(d, skb.data(), hl, ip),
            _ => self.kfree_skb_reason(Some(d), SkbDropReason::NoSocket, "ip_local_deliver_finish"),
        }
    }
}

/// What `ip_rcv` reads of the device a packet came in on (one look-up of it): whether it is
/// loopback, a VRF (`netif_is_l3_master`), enslaved, the parent of an ipvlan port (the cheap
/// test before `netif_has_l3_rx_handler`), its ifindex (the input route's `iif`) and its
/// namespace.
#[derive(Clone, Copy)]
struct InDev {
    on_lo: bool,
    l3_master: bool,
    enslaved: bool,
    ipvlan_port: bool,
    ifindex: u32,
    ns: crate::kernel::NsId,
}

impl InDev {
    #[inline]
    fn of(dev: &crate::kernel::NetDevice) -> InDev {
        InDev {
            on_lo: matches!(dev.kind, DevKind::Loopback),
            l3_master: matches!(dev.kind, DevKind::Vrf(_)),
            enslaved: dev.master.is_some(),
            ipvlan_port: dev.ipvlan_port.is_some(),
            ifindex: dev.ifindex,
            ns: dev.ns,
        }
    }
}

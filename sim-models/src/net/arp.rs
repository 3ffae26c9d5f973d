//! ARP input (`net/ipv4/arp.c`): `arp_rcv`/`arp_process`, including `arp_ignore`,
//! `arp_filter`, proxy ARP (`proxy_arp`, private-VLAN `proxy_arp_pvlan`) and `proxy_delay`.
//! Solicitation and the neighbour states are in `neigh.rs`.

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, Kernel};
use crate::net::devconf::*;
use crate::net::fib::*;
use crate::net::neigh::*;
use crate::net::skbuff::{SkBuff, PACKET_HOST};
use crate::wire::*;
use sim_core::Duration;
use std::net::Ipv4Addr;

/// What `arp_process` does with a request after its input route: see
/// [`Kernel::arp_input_route`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ArpRoute {
    /// The target is local: answer unless `arp_ignore` or `arp_filter` says not to.
    Local { ignored: bool, filtered: bool },
    /// Proxy ARP (`arp_fwd_proxy`) or private-VLAN proxy ARP (`arp_fwd_pvlan`): answer with
    /// our MAC; the target is routed out of this device.
    Proxy(DevId),
}

impl Kernel {
    /// `arp_rcv` + `arp_process`.
    pub fn arp_rcv(&mut self, d: DevId, _eth: &EthRepr, skb: &SkBuff) {
        let to_host = skb.pkt_type == PACKET_HOST;
        if self.ipvlan_is_noarp(d) {
            // arp_rcv: an IFF_NOARP device (an L3 ipvlan given a request for its address)
            // consumes ARP unread.
            return;
        }
        let arp = match ArpRepr::parse(skb.data()) {
            Ok(a) => a,
            Err(r) => return self.kfree_skb_reason(Some(d), r, "arp_rcv"),
        };
        let ns = self.dev(d).ns;
        if arp.op != ARPOP_REQUEST && arp.op != ARPOP_REPLY {
            return self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "arp_process");
        }
        if arp.tip.is_multicast() || (arp.tip.is_loopback() && !self.dev_route_localnet(d)) {
            return self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "arp_process");
        }
        if arp.sip.is_unspecified() {
            // Duplicate address detection probe (RFC 2131): answer for our own address only.
            if arp.op == ARPOP_REQUEST
                && self.inet_addr_is_local(ns, arp.tip)
                && !self.arp_ignore(d, arp.sip, arp.tip)
            {
                self.trace(ns, || {
                    format!(
                        "arp: who-has {} from 0.0.0.0 (a probe) is ours → reply",
                        arp.tip
                    )
                });
                self.arp_reply(d, &arp);
            }
            return;
        }
        // The input route matters only when it can be local, or with forwarding and proxy
        // ARP or private-VLAN proxy ARP (a route elsewhere, or back out of the same device):
        // a request for another host's address (a bridge flood's copy at every other pod)
        // goes straight to the table update, with no lookup.
        let decision = if arp.op == ARPOP_REQUEST && self.arp_needs_input_route(d, arp.tip) {
            self.arp_input_route(d, &arp)
        } else {
            None
        };
        match decision {
            Some(ArpRoute::Local { ignored, filtered }) => {
                self.trace(ns, || {
                    format!(
                        "arp: who-has {} is a local address{}",
                        arp.tip,
                        if ignored {
                            ", but arp_ignore: no reply"
                        } else if filtered {
                            ", but arp_filter: the route to the sender leaves by another \
                             device: no reply"
                        } else {
                            " → reply"
                        }
                    )
                });
                // arp_process: no reply when no entry for the sender could be made
                // (the neighbour table is full).
                if !ignored && !filtered && self.neigh_event_ns(ns, d, arp.sip, arp.sha) {
                    self.arp_reply(d, &arp);
                }
                return;
            }
            Some(ArpRoute::Proxy(out)) => {
                let on = self.trace_name(out);
                if out == d {
                    self.trace(ns, || format!("arp: proxy_arp_pvlan: {} is routed back via {on}, the asking port → reply with our MAC", arp.tip));
                } else {
                    self.trace(ns, || format!("arp: proxy_arp: {} is routed via {on}, not the asking port → reply with our MAC", arp.tip));
                }
                self.neigh_event_ns(ns, d, arp.sip, arp.sha);
                let delay = self.dev_nparms(d).proxy_delay_ns();
                if to_host && !mac_is_multicast(&_eth.dst) || delay == 0 {
                    self.arp_reply(d, &arp);
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
            None => {}
        }
        // Update our ARP tables: an existing entry is refreshed; arp_accept lets a
        // gratuitous ARP (or a reply from a unicast address) create one.
        let exists = self.net(ns).neigh.entries.contains_key(&(d, arp.sip));
        // (A request for another address than its sender's is no gratuitous ARP and creates
        // no entry: `arp_accept` decides nothing for it, so it is not read.)
        let accept = (arp.op == ARPOP_REPLY || arp.tip == arp.sip) && self.arp_accept(d, arp.sip);
        let is_garp = (exists || accept) && self.arp_is_garp(d, &arp);
        let create = accept
            && !exists
            && (is_garp
                || (arp.op == ARPOP_REPLY && self.inet_addr_type(ns, arp.sip) == RtnType::Unicast));
        if create {
            self.trace(ns, || {
                format!(
                    "arp: arp_accept: unsolicited ARP from {} creates an entry",
                    arp.sip
                )
            });
        }
        if exists || create {
            let locktime = self.dev_nparms(d).locktime_ns();
            let override_ = is_garp
                || self
                    .net(ns)
                    .neigh
                    .entries
                    .get(&(d, arp.sip))
                    .is_none_or(|n| self.now.0 > n.updated.0 + locktime);
            let state = if arp.op == ARPOP_REPLY && to_host && !mac_is_multicast(&_eth.dst) {
                NUD_REACHABLE
            } else {
                NUD_STALE
            };
            self.neigh_update(ns, d, arp.sip, Some(arp.sha), state, override_, false);
        }
    }

    /// `arp_send(ARPOP_REPLY, ...)` as `arp_process` answers a request on `d`: to the asker's
    /// address and MAC, for the address it asked about.
    fn arp_reply(&mut self, d: DevId, arp: &ArpRepr) {
        self.arp_send(
            ARPOP_REPLY,
            d,
            arp.sip,
            arp.tip,
            Some(arp.sha),
            Some(arp.sha),
        );
    }

    /// What `arp_process` makes of a request's input route (`ip_route_input_noref(skb,
    /// tip, sip, 0, dev)`), looked up whatever [`Kernel::arp_needs_input_route`] says: an
    /// answer for a local address (unless `arp_ignore` or `arp_filter` keeps it quiet), a
    /// proxy answer (`IN_DEV_FORWARD` and `arp_fwd_proxy` or `arp_fwd_pvlan`), or None: on to
    /// the table update. (The kernel's input route for ARP also fails when the route leads
    /// back out of the device without proxy_arp_pvlan, `__mkroute_input`'s -EINVAL for a
    /// non-IP packet; that only matters for `pneigh` entries, which nslab does not model.)
    fn arp_input_route(&self, d: DevId, arp: &ArpRepr) -> Option<ArpRoute> {
        match self.ip_route_input_type(d, arp.tip, arp.sip)? {
            (RtnType::Local, _) => {
                let ignored = self.arp_ignore(d, arp.sip, arp.tip);
                // arp_process asks arp_filter only if arp_ignore lets it answer.
                let filtered = !ignored && self.arp_filter_on(d) && self.arp_filter(d, arp);
                Some(ArpRoute::Local { ignored, filtered })
            }
            (RtnType::Unicast, Some(out))
                if self.dev_forwarding(d)
                    && (self.arp_fwd_proxy(d, out) || self.arp_fwd_pvlan(d, out, arp)) =>
            {
                Some(ArpRoute::Proxy(out))
            }
            _ => None,
        }
    }

    /// `arp_ignore` (`IN_DEV_ARP_IGNORE`, the larger of `all` and the device): true when the
    /// request for `tip` from `sip` gets no answer. inet_confirm_addr matches the target
    /// against each address's ifa_address/mask, so with a `peer` address (ifa_address is the
    /// peer) modes 1 and 2 never answer for the local side.
    fn arp_ignore(&self, d: DevId, sip: Ipv4Addr, tip: Ipv4Addr) -> bool {
        let ns = self.dev(d).ns;
        let unspec = Ipv4Addr::UNSPECIFIED;
        let arp_ignore = self
            .dev(d)
            .conf
            .get(CONF_ARP_IGNORE)
            .max(self.net(ns).conf_all.get(CONF_ARP_IGNORE));
        match arp_ignore {
            0 => false,
            // Only if the target is configured on the incoming device.
            1 => self
                .inet_confirm_addr(ns, Some(d), unspec, tip, RT_SCOPE_HOST)
                .is_unspecified(),
            // ... and the sender is in its subnet.
            2 => self
                .inet_confirm_addr(ns, Some(d), sip, tip, RT_SCOPE_HOST)
                .is_unspecified(),
            // Not for scope host addresses.
            3 => self
                .inet_confirm_addr(ns, None, unspec, tip, RT_SCOPE_LINK)
                .is_unspecified(),
            8 => true,
            // 4-7 reserved, and any other value: reply.
            _ => false,
        }
    }

    /// `arp_accept` (`IN_DEV_ARP_ACCEPT`, the larger of `all` and the device): 0 never, 1
    /// always, 2 only a sender in the subnet of one of the device's addresses
    /// (`inet_confirm_addr(.., sip, 0, RT_SCOPE_LINK)`).
    fn arp_accept(&self, d: DevId, sip: Ipv4Addr) -> bool {
        let ns = self.dev(d).ns;
        let v = self
            .dev(d)
            .conf
            .get(CONF_ARP_ACCEPT)
            .max(self.net(ns).conf_all.get(CONF_ARP_ACCEPT));
        match v {
            0 => false,
            1 => true,
            _ => self.dev(d).addrs.iter().any(|a| {
                a.scope <= RT_SCOPE_LINK && prefix_of(a.address, a.plen) == prefix_of(sip, a.plen)
            }),
        }
    }

    /// `arp_is_garp`: sender and target address equal (a reply also with equal hardware
    /// addresses) and the address unicast for this device.
    fn arp_is_garp(&self, d: DevId, arp: &ArpRepr) -> bool {
        let mut garp = arp.tip == arp.sip;
        if garp && arp.op == ARPOP_REPLY {
            garp = arp.tha == arp.sha;
        }
        garp && self.inet_addr_type(self.dev(d).ns, arp.sip) == RtnType::Unicast
    }

    /// `inet_addr_type_table`: broadcast for 0.0.0.0/255.255.255.255, multicast, else the
    /// type of the route the address hits (unicast without one).
    fn inet_addr_type(&self, ns: crate::kernel::NsId, a: Ipv4Addr) -> RtnType {
        if a.is_unspecified() || a.is_broadcast() || a.is_multicast() {
            return RtnType::Broadcast;
        }
        // (`fib_table_lookup` of the local table: with the tables merged, main's routes too.)
        match self
            .net(ns)
            .fib
            .fib_table_lookup(RT_TABLE_LOCAL, a, &|_| true)
        {
            Some(r) => r.rtype,
            None => RtnType::Unicast,
        }
    }

    /// `IN_DEV_ORCONF`: the device's value or `conf/all`'s is set.
    fn in_dev_orconf(&self, d: DevId, knob: usize) -> bool {
        let ns = self.dev(d).ns;
        self.dev(d).conf.get(knob) != 0 || self.net(ns).conf_all.get(knob) != 0
    }

    /// `IN_DEV_PROXY_ARP`.
    pub(crate) fn proxy_arp_on(&self, d: DevId) -> bool {
        self.in_dev_orconf(d, CONF_PROXY_ARP)
    }

    /// `IN_DEV_PROXY_ARP_PVLAN`: an `IN_DEV_ORCONF`, the device's value or `all`'s (recorded
    /// on 6.18: nslab-arp-filter-pvlan's `conf.all.proxy_arp_pvlan=1` alone answers; older
    /// kernels read the device's value only).
    pub(crate) fn proxy_arp_pvlan_on(&self, d: DevId) -> bool {
        self.in_dev_orconf(d, CONF_PROXY_ARP_PVLAN)
    }

    /// `IN_DEV_ARPFILTER`.
    fn arp_filter_on(&self, d: DevId) -> bool {
        self.in_dev_orconf(d, CONF_ARP_FILTER)
    }

    /// Whether `arp_process` can do anything with the input route of a request for `tip`
    /// arriving on `d` (nslab's shortcut before the lookup; the kernel always looks up): a
    /// route that may be local (an answer for us), or a forwarding device with proxy ARP
    /// (`arp_fwd_proxy`) or private-VLAN proxy ARP (`arp_fwd_pvlan`) on. Any other route
    /// leads to the table update, as no lookup does.
    pub(crate) fn arp_needs_input_route(&self, d: DevId, tip: Ipv4Addr) -> bool {
        let ns = self.dev(d).ns;
        self.net(ns).fib.may_be_local(tip)
            || (self.dev_forwarding(d) && (self.proxy_arp_on(d) || self.proxy_arp_pvlan_on(d)))
    }

    /// `arp_filter`: with `arp_filter` on, a request for a local address is answered only
    /// if the route back to the sender, as the answer's source would see it
    /// (`ip_route_output(net, sip, tip, 0, l3mdev_master_ifindex_rcu(dev))`: source rules
    /// match the asked address), leaves by the device the request came in on; a failed
    /// lookup answers nothing either. True: do not send.
    fn arp_filter(&self, d: DevId, arp: &ArpRepr) -> bool {
        let ns = self.dev(d).ns;
        let vrf = self.l3mdev_master_dev(d);
        match self.ip_route_output(ns, arp.sip, arp.tip, vrf) {
            Ok(rt) => rt.dev != d,
            Err(_) => true,
        }
    }

    /// `arp_fwd_proxy`: proxy ARP for a target routed out of another device
    /// (`IN_DEV_MEDIUM_ID` is 0: nslab does not model `medium_id`, any other device).
    fn arp_fwd_proxy(&self, d: DevId, out: DevId) -> bool {
        out != d && self.proxy_arp_on(d)
    }

    /// `arp_fwd_pvlan` (RFC 3069 "VLAN aggregation", private VLAN): proxy ARP for a target
    /// routed back out of the device the request came in on, unless it is the sender's own
    /// address (a self probe).
    fn arp_fwd_pvlan(&self, d: DevId, out: DevId, arp: &ArpRepr) -> bool {
        out == d && arp.sip != arp.tip && self.proxy_arp_pvlan_on(d)
    }
}

/// `ip_eth_mc_map` (include/net/ip.h), what `arp_mc_map` gives an Ethernet device: the
/// group's low 23 bits under 01:00:5e (RFC 1112).
pub fn ip_eth_mc_map(addr: std::net::Ipv4Addr) -> Mac {
    let o = addr.octets();
    [0x01, 0x00, 0x5e, o[1] & 0x7f, o[2], o[3]]
}

#[cfg(test)]
mod tests {
    use super::{ip_eth_mc_map, ArpRoute};
    use crate::kernel::Kernel;
    use crate::wire::{ArpRepr, ARPOP_REQUEST};
    use std::net::Ipv4Addr;

    use crate::tools::run_ok as sh;

    /// `arp_rcv` looks the input route of a request up only when
    /// `arp_needs_input_route` says it may matter: every request the full lookup would
    /// answer (a local address, proxy ARP, private-VLAN proxy ARP, each knob set on the device
    /// or on `all`) must pass that check, whatever the forwarding, proxy and filter knobs.
    #[test]
    fn needs_input_route_covers_every_answer() {
        let mut k = Kernel::new(1);
        let (r, o) = (k.netns_add("r"), k.netns_add("o"));
        for line in [
            "ip link add eth0 type veth peer name p0 netns o",
            "ip link add eth1 type veth peer name p1 netns o",
            "ip addr add 10.1.0.1/24 dev eth0",
            "ip addr add 10.2.0.1/24 dev eth1",
            "ip link set eth0 up",
            "ip link set eth1 up",
            "ip route add 10.9.0.0/16 via 10.2.0.9",
        ] {
            sh(&mut k, r, line);
        }
        sh(&mut k, o, "ip link set p0 up");
        sh(&mut k, o, "ip link set p1 up");
        let eth0 = k.dev_by_name(r, "eth0").expect("eth0");
        let ip = |a: [u8; 4]| Ipv4Addr::from(a);
        let targets = [
            [10, 1, 0, 1],
            [10, 2, 0, 1],
            [10, 1, 0, 20],
            [10, 2, 0, 5],
            [10, 9, 1, 1],
            [8, 8, 8, 8],
        ];
        let knobs = [
            "net.ipv4.ip_forward",
            "net.ipv4.conf.eth0.proxy_arp",
            "net.ipv4.conf.all.proxy_arp",
            "net.ipv4.conf.eth0.proxy_arp_pvlan",
            "net.ipv4.conf.all.proxy_arp_pvlan",
            "net.ipv4.conf.all.arp_filter",
        ];
        let mut pvlan_answers = 0;
        for bits in 0..1u32 << knobs.len() {
            for (i, knob) in knobs.iter().enumerate() {
                let v = (bits >> i) & 1;
                sh(&mut k, r, &format!("sysctl -q -w {knob}={v}"));
            }
            for t in targets {
                for sip in [ip([10, 1, 0, 10]), ip(t)] {
                    let arp = ArpRepr {
                        op: ARPOP_REQUEST,
                        sha: [2, 0, 0, 0, 0, 10],
                        sip,
                        tha: [0; 6],
                        tip: ip(t),
                    };
                    let answer = k.arp_input_route(eth0, &arp);
                    if answer == Some(ArpRoute::Proxy(eth0)) {
                        pvlan_answers += 1;
                    }
                    assert!(
                        answer.is_none() || k.arp_needs_input_route(eth0, arp.tip),
                        "knobs {bits:06b}, {sip} asks for {}: {answer:?} without a lookup",
                        arp.tip
                    );
                }
            }
        }
        // Answered back out eth0: 10.1.0.20 asked by 10.1.0.10 (not by itself), forwarding
        // on, one or both pvlan knobs (3 settings), whatever proxy_arp (4) and arp_filter (2).
        assert_eq!(pvlan_answers, 3 * 2 * 2 * 2);
    }

    /// The MACs the kernel's neighbours showed in nslab-bridge-mcast-flood (`ip neigh show
    /// ... nud all`), and the 23-bit overlap RFC 1112 gives (239.129.1.1 maps as 239.1.1.1).
    #[test]
    fn groups_map_to_their_01_00_5e_mac() {
        let m = |a: [u8; 4]| ip_eth_mc_map(Ipv4Addr::from(a));
        assert_eq!(m([239, 1, 1, 1]), [0x01, 0x00, 0x5e, 0x01, 0x01, 0x01]);
        assert_eq!(m([224, 0, 0, 1]), [0x01, 0x00, 0x5e, 0x00, 0x00, 0x01]);
        assert_eq!(m([239, 129, 1, 1]), m([239, 1, 1, 1]));
    }
}

//! ARP input (`net/ipv4/arp.c`): `arp_rcv`/`arp_process`, including proxy ARP and
//! `proxy_delay`. Solicitation and the neighbour states are in `neigh.rs`.

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, Kernel};
use crate::net::devconf::*;
use crate::net::fib::*;
use crate::net::neigh::*;
use crate::net::skbuff::{SkBuff, PACKET_HOST};
use crate::wire::*;
use sim_core::Duration;
use std::net::Ipv4Addr;

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
        // arp_ignore(): inet_confirm_addr matches the target against each address's
        // ifa_address/mask, so with a `peer` address (ifa_address is the peer) modes 1 and 2
        // never answer for the local side.
        let ignore = |k: &Kernel| {
            let unspec = std::net::Ipv4Addr::UNSPECIFIED;
            let arp_ignore = k
                .dev(d)
                .conf
                .get(CONF_ARP_IGNORE)
                .max(k.net(ns).conf_all.get(CONF_ARP_IGNORE));
            match arp_ignore {
                0 => false,
                // Only if the target is configured on the incoming device.
                1 => k
                    .inet_confirm_addr(ns, Some(d), unspec, arp.tip, RT_SCOPE_HOST)
                    .is_unspecified(),
                // ... and the sender is in its subnet.
                2 => k
                    .inet_confirm_addr(ns, Some(d), arp.sip, arp.tip, RT_SCOPE_HOST)
                    .is_unspecified(),
                // Not for scope host addresses.
                3 => k
                    .inet_confirm_addr(ns, None, unspec, arp.tip, RT_SCOPE_LINK)
                    .is_unspecified(),
                8 => true,
                // 4-7 reserved, and any other value: reply.
                _ => false,
            }
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
        // The input route matters only when it can be local, or with forwarding and proxy
        // ARP (a route elsewhere): a request for another host's address (a bridge flood's
        // copy at every other pod) goes straight to the table update, with no lookup.
        if arp.op == ARPOP_REQUEST
            && (self.net(ns).fib.may_be_local(arp.tip)
                || (self.dev_forwarding(d) && self.proxy_arp_on(d)))
        {
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
                    // arp_process: no reply when no entry for the sender could be made
                    // (the neighbour table is full).
                    if !ign && self.neigh_event_ns(ns, d, arp.sip, arp.sha) {
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
                    let delay = self.dev_nparms(d).proxy_delay_ns();
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
        let local = self.net(ns).fib.tables().get(&RT_TABLE_LOCAL);
        match local.and_then(|t| t.lookup(a, &|_| true)) {
            Some(r) => r.rtype,
            None => RtnType::Unicast,
        }
    }

    pub(crate) fn proxy_arp_on(&self, d: DevId) -> bool {
        let ns = self.dev(d).ns;
        self.dev(d).conf.get(CONF_PROXY_ARP) != 0 || self.net(ns).conf_all.get(CONF_PROXY_ARP) != 0
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
    use super::ip_eth_mc_map;
    use std::net::Ipv4Addr;

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

//! `net/core/dev.c`: the transmit and receive entry points every frame passes, with the capture
//! tap on both; the drivers' `ndo_start_xmit` is a `match` on the device kind.

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, DevKind, Event, Kernel, HOP_DELAY};
use crate::net::skbuff::*;
use crate::wire::*;

impl Kernel {
    /// `dev_queue_xmit`: the tap sees the frame, then the driver transmits it.
    pub fn dev_queue_xmit(&mut self, d: DevId, skb: SkBuff) {
        if !self.dev_running(d) {
            self.kfree_skb_reason(Some(d), SkbDropReason::DevReady, "__dev_queue_xmit");
            return;
        }
        // __dev_xmit_skb: a root qdisc with an enqueue (netem) takes the frame; its dequeue
        // hands it to the driver, now or when its watchdog fires.
        if self.dev(d).qdisc.is_some() {
            return self.netem_enqueue(d, skb);
        }
        self.dev_hard_start_xmit(d, skb);
    }

    /// `dev_hard_start_xmit` → `xmit_one`: the taps see the frame, the driver sends it.
    pub(crate) fn dev_hard_start_xmit(&mut self, d: DevId, mut skb: SkBuff) {
        self.tap_out(d, skb.data());
        let dev = self.dev_mut(d);
        dev.stats.tx_packets += 1;
        dev.stats.tx_bytes += skb.len() as u64;
        match &dev.kind {
            DevKind::Veth { peer } => {
                let peer = *peer;
                // veth_xmit → veth_forward_skb → netif_rx on the peer (the backlog runs later).
                // veth counts a transmission only when the peer took it (`veth_xmit`'s drop
                // path bumps `priv->dropped`, shown as tx_dropped, instead).
                let len = skb.len() as u64;
                match peer {
                    // ____dev_forward_skb → is_skb_forwardable: the peer takes frames up to its
                    // own MTU + Ethernet header + VLAN_HLEN; a larger one is dropped there.
                    Some(p)
                        if self.dev_running(p)
                            && skb.len() > self.dev(p).mtu as usize + ETH_HLEN + 4 =>
                    {
                        let dev = self.dev_mut(d);
                        dev.stats.tx_packets -= 1;
                        dev.stats.tx_bytes -= len;
                        dev.stats.tx_dropped += 1;
                        self.dev_mut(p).stats.rx_dropped += 1;
                        self.kfree_skb_reason(
                            Some(p),
                            SkbDropReason::NotSpecified,
                            "__dev_forward_skb",
                        );
                    }
                    Some(p) if self.dev_running(p) => {
                        // __dev_forward_skb → skb_scrub_packet(skb, xnet).
                        // (xnet only decides whether the mark goes.)
                        let xnet = skb.mark != 0 && self.dev(p).ns != self.dev(d).ns;
                        skb.scrub(xnet);
                        self.schedule_in(HOP_DELAY, Event::NetifRx { dev: p, skb });
                    }
                    _ => {
                        let dev = self.dev_mut(d);
                        dev.stats.tx_packets -= 1;
                        dev.stats.tx_bytes -= len;
                        dev.stats.tx_dropped += 1;
                        self.kfree_skb_reason(Some(d), SkbDropReason::DevReady, "veth_xmit");
                    }
                }
            }
            DevKind::Loopback => {
                // (loopback_xmit keeps the skb's state; the model scrubs it as a veth hop does,
                // so the receive hooks look the connection up again.)
                skb.scrub(true);
                self.schedule_in(
                    sim_core::Duration::from_nanos(1_000),
                    Event::NetifRx { dev: d, skb },
                );
            }
            DevKind::Bridge(_) => self.br_dev_xmit(d, skb),
            DevKind::Dummy => {
                // dummy_xmit: counts and frees.
            }
            DevKind::Vxlan(_) => self.vxlan_xmit(d, skb),
            DevKind::Ipip(_) => self.ipip_tunnel_xmit(d, skb, None),
        }
    }

    /// `__netif_receive_skb`: the tap, the bridge rx_handler, then the protocol handlers.
    pub fn netif_receive_skb(&mut self, d: DevId, skb: SkBuff) {
        if !self.dev(d).up {
            self.kfree_skb_reason(Some(d), SkbDropReason::DevReady, "netif_receive_skb");
            return;
        }
        // On lo the packet socket sees each frame once (on transmit).
        if !matches!(self.dev(d).kind, DevKind::Loopback) {
            self.tap(d, skb.data());
        }
        let dev = self.dev_mut(d);
        dev.stats.rx_packets += 1;
        dev.stats.rx_bytes += skb.len() as u64;
        if let Some(br) = dev.master {
            self.br_handle_frame(br, d, skb);
            return;
        }
        self.netif_deliver(d, skb);
    }

    /// Protocol demultiplexing after rx handlers (`deliver_skb` to `arp_rcv` / `ip_rcv`).
    pub fn netif_deliver(&mut self, d: DevId, mut skb: SkBuff) {
        if matches!(self.dev(d).kind, DevKind::Ipip(_)) {
            // No link-layer header: the tunnel's packets are IPv4 (skb->protocol set by ipip).
            skb.pkt_type = PACKET_HOST;
            return self.ip_rcv(d, skb);
        }
        let eth = match EthRepr::parse(skb.data()) {
            Ok(e) => e,
            Err(r) => {
                self.kfree_skb_reason(Some(d), r, "eth_type_trans");
                return;
            }
        };
        // eth_type_trans: PACKET_OTHERHOST frames are dropped by the IP/ARP layers.
        let dev_mac = self.dev(d).mac;
        let loopback = matches!(self.dev(d).kind, DevKind::Loopback);
        let to_host = loopback || eth.dst == dev_mac;
        let bcast = mac_is_multicast(&eth.dst);
        if !to_host && !bcast {
            self.kfree_skb_reason(Some(d), SkbDropReason::OtherHost, "ip_rcv_core");
            return;
        }
        skb.pkt_type = if to_host {
            PACKET_HOST
        } else if eth.dst == ETH_BROADCAST {
            PACKET_BROADCAST
        } else {
            PACKET_MULTICAST
        };
        // eth_type_trans pulls the link-layer header (it stays in the headroom).
        skb.pull(ETH_HLEN);
        match eth.ethertype {
            ETH_P_ARP => self.arp_rcv(d, &eth, &skb),
            ETH_P_IP => self.ip_rcv(d, skb),
            _ => self.kfree_skb_reason(
                Some(d),
                SkbDropReason::UnhandledProto,
                "__netif_receive_skb_core",
            ),
        }
    }
}

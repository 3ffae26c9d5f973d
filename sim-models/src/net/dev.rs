//! `net/core/dev.c`: the transmit and receive entry points every frame passes, with the capture
//! tap on both; the drivers' `ndo_start_xmit` is a `match` on the device kind.

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, DevKind, Event, Kernel, NetDevice, HOP_DELAY};
use crate::net::skbuff::*;
use crate::wire::*;

/// What `dev_queue_xmit` answers its caller, which the output path hands back up to the
/// socket (`ip_send_skb`: `net_xmit_errno`, so a drop is `ENOBUFS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetXmit {
    /// `NET_XMIT_SUCCESS` (the drivers that queue, forward or count their own drops).
    Success,
    /// `NET_XMIT_DROP`: `veth_xmit` could not hand the frame to its peer.
    Drop,
    /// `-ENETDOWN`: the device is not up.
    NetDown,
}

/// `XMIT_RECURSION_LIMIT` (include/linux/netdevice.h): how deeply transmissions may nest (a
/// bridge flooding to a tunnel whose outer packet leaves through the bridge again, ...).
pub const XMIT_RECURSION_LIMIT: u8 = 8;

/// `IP_TUNNEL_RECURSION_LIMIT` (include/net/ip_tunnels.h): `iptunnel_xmit` refuses to send an
/// outer packet from deeper than this. On 6.18 the VXLAN-port-of-its-own-underlay loop (issue
/// 14) stops there: captured on br0 and vx0 are the inner frame and two levels of
/// encapsulation, then the log says `ip_tunnel_core: Dead loop on virtual device vx0, fix it
/// urgently!` and vx0 counts a tx error.
pub const IP_TUNNEL_RECURSION_LIMIT: u8 = 4;

impl Kernel {
    /// `dev_xmit_recursion`: nested too deep for another transmission.
    pub fn dev_xmit_recursion(&self) -> bool {
        self.xmit_recursion > XMIT_RECURSION_LIMIT
    }

    /// `net_crit_ratelimited`: a line in the kernel log (`dmesg`).
    pub fn net_crit(&mut self, line: String) {
        self.printk(line);
    }

    /// `iptunnel_xmit`'s loop check, before a tunnel device `d` sends its outer packet: too
    /// deep a nesting logs the dead loop, counts a tx error (not a transmitted packet) and
    /// drops. Returns whether the outer packet may go.
    pub fn iptunnel_xmit_check(&mut self, d: DevId, inner_len: usize) -> bool {
        if self.xmit_recursion <= IP_TUNNEL_RECURSION_LIMIT {
            return true;
        }
        let name = self.dev(d).name.clone();
        self.net_crit(format!(
            "ip_tunnel_core: Dead loop on virtual device {name}, fix it urgently!"
        ));
        let st = &mut self.dev_mut(d).stats;
        st.tx_packets = st.tx_packets.saturating_sub(1);
        st.tx_bytes = st.tx_bytes.saturating_sub(inner_len as u64);
        st.tx_errors += 1;
        self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "iptunnel_xmit");
        false
    }

    /// `dev_queue_xmit`: the tap sees the frame, then the driver transmits it. Transmissions
    /// nest (a bridge's flood into a tunnel whose outer packet leaves through the bridge): past
    /// [`XMIT_RECURSION_LIMIT`] levels the frame is dropped with the kernel's "Dead loop"
    /// message, as `__dev_queue_xmit`'s `recursion_alert` does.
    pub fn dev_queue_xmit(&mut self, d: DevId, skb: SkBuff) -> NetXmit {
        // The device is looked up once for the common case: running, not nested too deep,
        // no VLAN header to add, no egress filter, no qdisc (`dev_xmit_skb`'s steps).
        let dev = self.dev(d);
        if !self.netdev_running(d, dev) || self.dev_xmit_recursion() {
            return self.dev_queue_xmit_refused(d);
        }
        let direct = !matches!(dev.kind, DevKind::Vlan(_))
            && dev.tc_ingress.is_none()
            && dev.qdisc.is_none();
        self.xmit_recursion += 1;
        let rc = if direct {
            self.xmit_one(d, skb)
        } else {
            self.dev_xmit_skb(d, skb)
        };
        self.xmit_recursion -= 1;
        rc
    }

    /// [`Kernel::dev_queue_xmit`]'s refusals: the device is not running, or the transmission
    /// nests too deep.
    #[cold]
    #[inline(never)]
    fn dev_queue_xmit_refused(&mut self, d: DevId) -> NetXmit {
        if !self.dev_running(d) {
            self.kfree_skb_reason(Some(d), SkbDropReason::DevReady, "__dev_queue_xmit");
            return if self.dev(d).up {
                NetXmit::Drop
            } else {
                NetXmit::NetDown
            };
        }
        let name = self.dev(d).name.clone();
        self.net_crit(format!(
            "Dead loop on virtual device {name}, fix it urgently!"
        ));
        self.dev_mut(d).stats.tx_dropped += 1;
        self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "__dev_queue_xmit");
        // (recursion_alert: rc stays -ENETDOWN)
        NetXmit::NetDown
    }

    /// `__dev_xmit_skb`: a root qdisc (`net/sch_generic.rs`) takes the frame; its dequeue
    /// hands it to the driver, now or when its watchdog fires. Without one the frame goes
    /// straight to the driver. (Out of line: [`Kernel::dev_queue_xmit`] calls the driver
    /// itself when there is none of these steps.)
    #[inline(never)]
    fn dev_xmit_skb(&mut self, d: DevId, mut skb: SkBuff) -> NetXmit {
        if matches!(self.dev(d).kind, DevKind::Vlan(_)) {
            self.vlan_dev_hard_header(d, &mut skb);
        }
        if self.dev(d).tc_ingress.is_some() {
            skb = match self.sch_handle_egress(d, skb) {
                Ok(skb) => skb,
                Err(rc) => return rc,
            };
        }
        if self.dev(d).qdisc.is_some() {
            return self.qdisc_enqueue_xmit(d, skb);
        }
        self.dev_hard_start_xmit(d, skb)
    }

    /// `dev_hard_start_xmit` → `xmit_one`: the taps see the frame, the driver sends it.
    pub(crate) fn dev_hard_start_xmit(&mut self, d: DevId, skb: SkBuff) -> NetXmit {
        self.xmit_one(d, skb)
    }

    /// [`Kernel::dev_hard_start_xmit`]'s body, inlined into [`Kernel::dev_queue_xmit`]'s
    /// common case (every frame a veth sends: the call and a copy of the skb less).
    #[inline(always)]
    fn xmit_one(&mut self, d: DevId, mut skb: SkBuff) -> NetXmit {
        // The run's frame budget and storm detector (nslab's limits, not the kernel's).
        let (devs, nets) = (&self.devs, &self.nets);
        let name = |x: DevId| match devs.get(x).and_then(Option::as_ref) {
            Some(dev) => match nets.get(dev.ns).and_then(Option::as_ref) {
                Some(n) => format!("{}:{}", n.name, dev.name),
                None => dev.name.clone(),
            },
            None => format!("device {x}"),
        };
        let (queue, rx_batched) = (&self.queue, self.rx_batched);
        if self
            .limits
            .on_xmit(d, self.now, || queue.len() + rx_batched, name)
        {
            return NetXmit::Drop;
        }
        // (The tap tests the capture's flag before anything else: the frame's slice is an
        // owned/shared test and a bounds check, ~10 instructions a frame with the capture off.)
        self.tap_out_skb(d, &skb);
        let len = skb.len() as u64;
        let dev = self.dev_mut(d);
        dev.stats.tx_packets += 1;
        dev.stats.tx_bytes += len;
        let up = dev.up;
        match &dev.kind {
            DevKind::Veth { peer } => {
                let peer = *peer;
                // veth_xmit → veth_forward_skb → netif_rx on the peer (the backlog runs later).
                // veth counts a transmission only when the peer took it (`veth_xmit`'s drop
                // path bumps `priv->dropped`, shown as tx_dropped, instead).
                // (The peer looked up once for its state, MTU and namespace.)
                // (A match, not `map` and `filter`: LLVM kept `filter` out of line.)
                // (The peer read from the table here: `Kernel::dev` stayed a call.)
                let peer = match peer.and_then(|p| Some((p, self.devs.get(p)?.as_ref()?))) {
                    Some((p, pdev)) => {
                        // netif_running(rcv): the peer is up and so is its own peer, which in
                        // a pair is this device, read above. (Said here, not through
                        // `netdev_running`: that call and its lookup of this device again
                        // were ~30 instructions a hop; any other case still asks it.)
                        let running = match pdev.kind {
                            DevKind::Veth { peer: Some(q) } if q == d => pdev.up && up,
                            _ => self.netdev_running(p, pdev),
                        };
                        if running {
                            Some((p, pdev))
                        } else {
                            None
                        }
                    }
                    None => None,
                };
                match peer {
                    // ____dev_forward_skb → is_skb_forwardable: the peer takes frames up to its
                    // own MTU + Ethernet header + VLAN_HLEN; a larger one is dropped there.
                    Some((p, pdev)) if len > pdev.mtu as u64 + ETH_HLEN as u64 + 4 => {
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
                        NetXmit::Drop
                    }
                    Some((p, pdev)) => {
                        // __dev_forward_skb → skb_scrub_packet(skb, xnet).
                        // (xnet only decides whether the mark goes.)
                        let xnet = skb.mark != 0 && pdev.ns != self.dev(d).ns;
                        skb.scrub(xnet);
                        // __dev_forward_skb2: the priority does not cross the pair.
                        skb.priority = 0;
                        self.netif_rx_schedule(HOP_DELAY, p, skb);
                        NetXmit::Success
                    }
                    _ => {
                        let dev = self.dev_mut(d);
                        dev.stats.tx_packets -= 1;
                        dev.stats.tx_bytes -= len;
                        dev.stats.tx_dropped += 1;
                        self.kfree_skb_reason(Some(d), SkbDropReason::DevReady, "veth_xmit");
                        NetXmit::Drop
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
                NetXmit::Success
            }
            DevKind::Bridge(_) => {
                self.br_dev_xmit(d, skb);
                NetXmit::Success
            }
            DevKind::Dummy => {
                // dummy_xmit: counts and frees.
                NetXmit::Success
            }
            DevKind::Vxlan(_) => {
                self.vxlan_xmit(d, skb);
                NetXmit::Success
            }
            DevKind::Ipip(_) => {
                self.ip_tunnel_start_xmit(d, skb, None);
                NetXmit::Success
            }
            DevKind::Gretap(_) => {
                self.gre_tap_xmit(d, skb);
                NetXmit::Success
            }
            DevKind::Macvlan(_) => {
                self.macvlan_start_xmit(d, skb);
                NetXmit::Success
            }
            DevKind::Vlan(_) => {
                self.vlan_dev_hard_start_xmit(d, skb);
                NetXmit::Success
            }
            DevKind::Ipvlan(_) => self.ipvlan_start_xmit(d, skb),
            DevKind::Bond(_) => {
                self.bond_start_xmit(d, skb);
                NetXmit::Success
            }
            DevKind::Vrf(_) => {
                self.vrf_xmit(d, skb);
                NetXmit::Success
            }
        }
    }

    /// `__netif_receive_skb`: the tap, the bridge rx_handler, then the protocol handlers.
    pub fn netif_receive_skb(&mut self, d: DevId, skb: SkBuff) {
        // (The device looked up once for a frame no packet socket sees, the common one: its
        // namespace's sockets read beside it, `nets` apart from `devs`. A frame with a packet
        // socket to go to takes the taps out of line. The capture's tap stays inline: every
        // frame of `nslab run --pcap` takes it, and out of line, with the rest of the receive
        // path there too, it cost ~27 instructions a frame more.)
        let capturing = self.capturing();
        let (devs, nets) = (&mut self.devs, &self.nets);
        let dev = devs[d].as_mut().expect("live device");
        if !dev.up {
            self.kfree_skb_reason(Some(d), SkbDropReason::DevReady, "netif_receive_skb");
            return;
        }
        let socks = !nets[dev.ns]
            .as_ref()
            .expect("live netns")
            .packet_socks
            .is_empty();
        if socks {
            return self.netif_receive_skb_taps(d, skb, capturing);
        }
        if capturing {
            // (The tap skips lo and a VRF, where the packet socket sees each frame once, on
            // transmit: `CapIface::rx`. It changes neither the device nor its namespace.)
            self.tap_skb(d, &skb);
            let rx = rx_count_and_handler(self.dev_mut(d), &skb);
            return self.netif_receive_skb_rx(d, skb, rx);
        }
        let rx = rx_count_and_handler(dev, &skb);
        self.netif_receive_skb_rx(d, skb, rx)
    }

    /// [`Kernel::netif_receive_skb`] of a frame a packet socket sees (after the capture's
    /// tap, `tap`).
    #[inline(never)]
    fn netif_receive_skb_taps(&mut self, d: DevId, skb: SkBuff, tap: bool) {
        // (The taps and packet sockets change neither the device nor its namespace.)
        if tap {
            self.tap_skb(d, &skb);
        }
        self.packet_rcv(d, skb.data());
        let rx = rx_count_and_handler(self.dev_mut(d), &skb);
        self.netif_receive_skb_rx(d, skb, rx)
    }

    /// [`Kernel::netif_receive_skb`] after the taps, given [`rx_count_and_handler`]'s answer:
    /// the rx handler, or the ingress filter and VLAN step before it.
    #[inline(always)]
    fn netif_receive_skb_rx(&mut self, d: DevId, skb: SkBuff, rx: Result<RxHandler, bool>) {
        match rx {
            Ok(rx) => self.netif_rx_handler(d, skb, rx),
            Err(own_tag) => self.netif_receive_skb_ingress(d, skb, own_tag),
        }
    }

    /// [`Kernel::netif_receive_skb`] from the ingress filter on: `sch_handle_ingress`, then
    /// `vlan_do_receive`, then the rx handler.
    #[inline(never)]
    fn netif_receive_skb_ingress(&mut self, d: DevId, mut skb: SkBuff, own_tag: bool) {
        // sch_handle_ingress: the clsact/ingress qdisc's filters, after the taps.
        // (The skb is rebound only where a step hands back another: a frame of a device
        // with neither moves no bytes of its metadata.)
        if self.dev(d).tc_ingress.is_some() {
            skb = match self.sch_handle_ingress(d, skb) {
                Some(skb) => skb,
                None => return,
            };
        }
        let dev = self.dev(d);
        if !own_tag && (dev.vlan_info.is_some() || skb_has_vlan_tag(skb.data())) {
            skb = match self.vlan_do_receive(d, skb) {
                Some(skb) => skb,
                None => return,
            };
        }
        let rx = RxHandler::of(self.dev(d));
        self.netif_rx_handler(d, skb, rx);
    }

    /// The device's rx handler (bridge, bond or macvlan/ipvlan port), else the protocol
    /// handlers.
    #[inline(always)]
    fn netif_rx_handler(&mut self, d: DevId, skb: SkBuff, rx: RxHandler) {
        // (A VRF has no rx handler: its slaves' packets meet it in ip_rcv, l3mdev_ip_rcv.)
        if let Some(m) = rx.master {
            match self.dev(m).kind {
                DevKind::Vrf(_) => {}
                DevKind::Bond(_) => return self.bond_handle_frame(m, d, skb),
                _ => return self.br_handle_frame(m, d, skb),
            }
        }
        // The macvlan port's rx handler (a device has one rx handler: bridge or macvlan).
        // (Each case hands its skb on without rebinding it: no copy more for the common one.)
        if rx.macvlan_port {
            if let Some(skb) = self.macvlan_handle_frame(d, skb) {
                self.netif_deliver(d, skb);
            }
        } else if rx.ipvlan_port {
            if let Some(skb) = self.ipvlan_handle_frame(d, skb) {
                self.netif_deliver(d, skb);
            }
        } else {
            self.netif_deliver(d, skb);
        }
    }

    /// Protocol demultiplexing after rx handlers (`deliver_skb` to `arp_rcv` / `ip_rcv`).
    pub fn netif_deliver(&mut self, d: DevId, mut skb: SkBuff) {
        if matches!(self.dev(d).kind, DevKind::Ipip(_)) {
            // No link-layer header: the tunnel's packets are IPv4 (skb->protocol set by ipip).
            skb.pkt_type = PACKET_HOST;
            return self.ip_rcv(d, skb);
        }
        let mut eth = match EthRepr::parse(skb.data()) {
            Ok(e) => e,
            Err(r) => {
                self.kfree_skb_reason(Some(d), r, "eth_type_trans");
                return;
            }
        };
        // eth_type_trans: PACKET_OTHERHOST frames are dropped by the IP/ARP layers.
        let dev_mac = self.dev(d).mac;
        let loopback = matches!(self.dev(d).kind, DevKind::Loopback);
        let bcast = mac_is_multicast(&eth.dst);
        let to_host =
            loopback || eth.dst == dev_mac || (!bcast && self.macvlan_rx_to_host(d, &eth.dst));
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
        // eth_type_trans pulls the link-layer header (it stays in the headroom). A VLAN
        // device with `reorder_hdr off` received the frame with its tag (vlan_do_receive's
        // vlan_insert_inner_tag): skb->protocol is the inner type, the network header after
        // the tag.
        let tagged = match &self.dev(d).kind {
            DevKind::Vlan(v) if eth.ethertype == v.proto && skb.len() >= ETH_HLEN + 4 => {
                eth.ethertype = u16::from_be_bytes([skb.data()[16], skb.data()[17]]);
                true
            }
            _ => false,
        };
        skb.pull(ETH_HLEN + if tagged { 4 } else { 0 });
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

/// [`Kernel::netif_receive_skb`]'s steps on the device after the taps: the receive counted,
/// then its rx handler (`Ok`) for a frame with no ingress filter or VLAN step to take, else
/// whether it came in with its own device's tag (`Err`, for
/// [`Kernel::netif_receive_skb_ingress`]).
#[inline(always)]
fn rx_count_and_handler(dev: &mut NetDevice, skb: &SkBuff) -> Result<RxHandler, bool> {
    dev.stats.rx_packets += 1;
    dev.stats.rx_bytes += skb.len() as u64;
    // vlan_do_receive comes before the rx handler. (A `reorder_hdr off` VLAN device gets
    // its frames with its own tag put back: that one is not looked at again.)
    let own_tag = match &dev.kind {
        DevKind::Vlan(v) => {
            skb.len() >= ETH_HLEN && u16::from_be_bytes([skb.data()[12], skb.data()[13]]) == v.proto
        }
        _ => false,
    };
    // A frame with an ingress filter or a VLAN step takes them out of line; the common
    // one goes to the rx handler with the device's state read from this one lookup.
    if dev.tc_ingress.is_some()
        || (!own_tag && (dev.vlan_info.is_some() || skb_has_vlan_tag(skb.data())))
    {
        return Err(own_tag);
    }
    Ok(RxHandler::of(dev))
}

/// The frame carries an 802.1Q/802.1ad tag (`eth_type_vlan`).
fn skb_has_vlan_tag(data: &[u8]) -> bool {
    data.len() >= 14
        && matches!(
            u16::from_be_bytes([data[12], data[13]]),
            crate::net::vlan::ETH_P_8021Q | crate::net::vlan::ETH_P_8021AD
        )
}

/// What picks a received frame's rx handler: the device's master, and whether it is a
/// macvlan or ipvlan port (read once, from the device's one lookup).
#[derive(Clone, Copy)]
struct RxHandler {
    master: Option<DevId>,
    macvlan_port: bool,
    ipvlan_port: bool,
}

impl RxHandler {
    #[inline]
    fn of(dev: &NetDevice) -> RxHandler {
        RxHandler {
            master: dev.master,
            macvlan_port: dev.macvlan_port.is_some(),
            ipvlan_port: dev.ipvlan_port.is_some(),
        }
    }
}

//! `drivers/net/ipvlan/`: IP-address based virtual devices on a parent ("physical") device,
//! sharing the parent's MAC address.
//!
//! The parent gets a port (`struct ipvl_port`: its rx handler, and the mode, which belongs to
//! the port: the last ipvlan created sets it for all). What the model does, in L2 mode
//! (`ipvlan_xmit_mode_l2`, `ipvlan_handle_mode_l2`, `ipvlan_process_multicast`):
//!
//! - transmit: a frame to the shared MAC is for a neighbour behind the same parent: an ipvlan
//!   owning the destination IP gets it straight away (`ipvlan_rcv_frame`; dropped in `private`
//!   mode), anything else is handed to the parent as received (`dev_forward_skb`), so an
//!   ipvlan reaches its parent's own addresses. A broadcast goes to the other ipvlans
//!   (`dev_forward_skb`) and out of the parent (the port's multicast work). Other frames leave
//!   through the parent. `vepa` sends everything out.
//! - receive on the parent: a broadcast from outside is copied to every ipvlan (the parent
//!   gets it too); a unicast frame goes to the ipvlan owning the destination IP (ARP: the
//!   target address), else stays with the parent.
//!
//! In L3 mode (`ipvlan_xmit_mode_l3`, `ipvlan_handle_mode_l3`) the ipvlans are `IFF_NOARP`
//! (their neighbours are NOARP entries with the shared MAC, so `default dev ipvlan` works
//! without ARP):
//!
//! - transmit: a packet to an address an ipvlan of the port owns goes straight to it
//!   (`ipvlan_rcv_frame(local)`: `dev_forward_skb`; dropped in `private` mode); a multicast or
//!   broadcast frame is dropped; anything else loses its Ethernet header and is routed in the
//!   parent's namespace (`ipvlan_process_v4_outbound`: `ip_route_output_flow` with the parent
//!   as `flowi4_oif` and `FLOWI_FLAG_ANYSRC`, a unicast or local route only, then
//!   `ip_local_out`: the parent namespace's OUTPUT and POSTROUTING hooks, its neighbours).
//! - receive on the parent: any frame whose IPv4 destination (ARP: target) an ipvlan owns goes
//!   to that ipvlan; nothing is copied to every ipvlan.
//!
//! L3S mode (`ipvlan_l3s.c`) transmits as L3 does, but the parent's rx handler lets every
//! frame pass (`RX_HANDLER_PASS`): a packet for a slave's address goes up the parent's own
//! IPv4 stack, through the parent namespace's PREROUTING (conntrack included), to the l3mdev
//! hook the port registers on the parent (`IFF_L3MDEV_RX_HANDLER`, `ipvlan_l3_rcv`: the input
//! route is looked up in the slave's namespace with the slave as input device), then through
//! the parent namespace's INPUT, at whose end `ipvlan_nf_input` (priority `INT_MAX`, a hook of
//! the parent's namespace) makes the slave the packet's device: the protocols and sockets of
//! the slave's namespace get it. So the parent namespace's netfilter sees a slave's traffic in
//! both directions (L3-symmetric); the slave namespace's PREROUTING and INPUT never see what
//! comes in through the parent (only what a sibling sends straight across the port), and the
//! slave's packet sockets see none of it.
//!
//! Not modelled: multicast other than broadcast, IPv6 addresses; in L3S, an input route in the
//! slave's namespace other than local for the slave's own address (the kernel would go on
//! with that route; the model lets the parent's route decide).
//!
//! Send results (`ipvlan_queue_xmit`'s, the sender's ENOBUFS when `NET_XMIT_DROP`): L2
//! answers what the parent's `dev_queue_xmit` answers, `NET_XMIT_DROP` for a private port's
//! sibling and what `dev_forward_skb` to the parent answers; L3 (and L3S) answers
//! `NET_XMIT_DROP` for a private port's sibling and when the parent's namespace does not send
//! the packet on.

use crate::errno::Errno;
use crate::kernel::{DevId, DevKind, Event, Kernel, NsId, HOP_DELAY};
use crate::net::dev::NetXmit;
use crate::net::rtnetlink::link::LinkAttrs;
use crate::net::rtnetlink::RtnlError;
use crate::net::skbuff::SkBuff;
use crate::wire::{ETH_HLEN, ETH_P_ARP, ETH_P_IP};
use std::net::Ipv4Addr;

/// `VLAN_HLEN` (`is_skb_forwardable` allows a tag beyond the MTU).
const VLAN_HLEN: usize = 4;

/// `enum ipvlan_mode`.
pub const IPVLAN_MODE_L2: u16 = 0;
pub const IPVLAN_MODE_L3: u16 = 1;
pub const IPVLAN_MODE_L3S: u16 = 2;
/// `IPVLAN_F_PRIVATE`, `IPVLAN_F_VEPA`.
pub const IPVLAN_F_PRIVATE: u16 = 1;
pub const IPVLAN_F_VEPA: u16 = 2;

/// `struct ipvl_dev`.
#[derive(Clone, Debug)]
pub struct Ipvlan {
    pub phy_dev: DevId,
}

/// `struct ipvl_port` on the parent: its ipvlans in creation order, the port's mode and flags.
#[derive(Clone, Debug, Default)]
pub struct IpvlanPort {
    pub ipvlans: Vec<DevId>,
    pub mode: u16,
    pub flags: u16,
}

/// `IFLA_IPVLAN_*` of a new ipvlan.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IpvlanData {
    pub mode: Option<u16>,
    pub flags: Option<u16>,
}

impl Kernel {
    pub fn ipvlan(&self, d: DevId) -> Option<&Ipvlan> {
        match &self.dev(d).kind {
            DevKind::Ipvlan(v) => Some(v),
            _ => None,
        }
    }

    /// The port an ipvlan belongs to (on its parent).
    pub fn ipvlan_port_of(&self, d: DevId) -> Option<&IpvlanPort> {
        let phy = self.ipvlan(d)?.phy_dev;
        self.dev_alive(phy)
            .then(|| self.dev(phy).ipvlan_port.as_deref())
            .flatten()
    }

    /// `ipvlan_link_new` (+ `ipvlan_link_validate`, `ipvlan_port_create`,
    /// `ipvlan_set_port_mode`).
    pub fn ipvlan_link_new(
        &mut self,
        home: NsId,
        link_net: NsId,
        name: &str,
        attrs: &LinkAttrs,
        data: &IpvlanData,
    ) -> Result<DevId, RtnlError> {
        if data.mode.is_some_and(|m| m > IPVLAN_MODE_L3S) {
            return Err(Errno::EINVAL.into());
        }
        let flags = data.flags.unwrap_or(0);
        if flags & !(IPVLAN_F_PRIVATE | IPVLAN_F_VEPA) != 0
            || flags & (IPVLAN_F_PRIVATE | IPVLAN_F_VEPA) == IPVLAN_F_PRIVATE | IPVLAN_F_VEPA
        {
            return Err(Errno::EINVAL.into());
        }
        let Some(link) = attrs.link else {
            return Err(Errno::EINVAL.into());
        };
        let mut phy = self
            .dev_by_ifindex(link_net, link)
            .ok_or(RtnlError::new(Errno::ENODEV))?;
        if let Some(v) = self.ipvlan(phy) {
            phy = v.phy_dev;
        } else if self.dev(phy).ipvlan_port.is_none() {
            if matches!(self.dev(phy).kind, DevKind::Loopback | DevKind::Ipip(_)) {
                return Err(Errno::EINVAL.into());
            }
            if self.dev(phy).master.is_some() || self.dev(phy).macvlan_port.is_some() {
                return Err(Errno::EBUSY.into());
            }
        }
        let mode = data.mode.unwrap_or(IPVLAN_MODE_L3);
        let mtu = match attrs.mtu {
            None => self.dev(phy).mtu,
            Some(m) if m > self.dev(phy).mtu => return Err(Errno::EINVAL.into()),
            Some(m) => m,
        };
        let mac = self.dev(phy).mac;
        let d = self.dev_create(
            home,
            name,
            DevKind::Ipvlan(Box::new(Ipvlan { phy_dev: phy })),
            mac,
            mtu,
        );
        let port = self
            .dev_mut(phy)
            .ipvlan_port
            .get_or_insert_with(Default::default);
        port.ipvlans.push(d);
        port.mode = mode;
        port.flags = flags;
        Ok(d)
    }

    /// `ipvlan_link_delete` / `ipvlan_uninit`: off the port, which goes with its last ipvlan.
    pub fn ipvlan_dellink(&mut self, d: DevId) {
        let Some(phy) = self.ipvlan(d).map(|v| v.phy_dev) else {
            return;
        };
        if !self.dev_alive(phy) {
            return;
        }
        let dev = self.dev_mut(phy);
        if let Some(p) = dev.ipvlan_port.as_mut() {
            p.ipvlans.retain(|&v| v != d);
            if p.ipvlans.is_empty() {
                dev.ipvlan_port = None;
            }
        }
    }

    /// `ipvlan_device_event(NETDEV_UNREGISTER)`: the ipvlans of a parent go with it.
    pub fn ipvlan_phydev_unregister(&mut self, phy: DevId) {
        let Some(port) = self.dev_mut(phy).ipvlan_port.take() else {
            return;
        };
        for v in port.ipvlans {
            if self.dev_alive(v) {
                self.dev_del(v);
            }
        }
    }

    /// The ipvlans over a device (for carrier changes).
    pub fn ipvlan_uppers(&self, phy: DevId) -> Vec<DevId> {
        self.dev(phy)
            .ipvlan_port
            .as_ref()
            .map(|p| p.ipvlans.clone())
            .unwrap_or_default()
    }

    /// `ipvlan_addr_lookup`: the open ipvlan of the port that owns `ip`.
    fn ipvlan_addr_lookup(&self, phy: DevId, ip: Ipv4Addr) -> Option<DevId> {
        self.ipvlan_uppers(phy).into_iter().find(|&v| {
            self.dev_alive(v) && self.dev(v).up && self.dev(v).addrs.iter().any(|a| a.local == ip)
        })
    }

    /// `ipvlan_get_L3_hdr` + the address a lookup uses: IPv4's destination (or source), ARP's
    /// target (or sender) address.
    fn ipvlan_l3_addr(frame: &[u8], use_dest: bool) -> Option<Ipv4Addr> {
        let et = u16::from_be_bytes([*frame.get(12)?, *frame.get(13)?]);
        let b = frame.get(14..)?;
        let at = |i: usize| {
            b.get(i..i + 4)
                .map(|x| Ipv4Addr::new(x[0], x[1], x[2], x[3]))
        };
        match et {
            ETH_P_IP => at(if use_dest { 16 } else { 12 }),
            ETH_P_ARP => at(if use_dest { 24 } else { 14 }),
            _ => None,
        }
    }

    /// `dev_forward_skb` to `to` (scrubbed across namespaces, `netif_rx`): `NET_RX_DROP`
    /// (`NetXmit::Drop`) when `is_skb_forwardable` refuses it (`to` is down, or the frame is
    /// larger than `to`'s MTU and link-layer header allow).
    fn ipvlan_forward(&mut self, from: DevId, to: DevId, mut skb: SkBuff) -> NetXmit {
        use crate::dropreason::SkbDropReason;
        let max = self.dev(to).mtu as usize + ETH_HLEN + VLAN_HLEN;
        if !self.dev(to).up || skb.len() > max {
            self.dev_mut(to).stats.rx_dropped += 1;
            let reason = if self.dev(to).up {
                SkbDropReason::NotSpecified
            } else {
                SkbDropReason::DevReady
            };
            self.kfree_skb_reason(Some(to), reason, "__dev_forward_skb");
            return NetXmit::Drop;
        }
        let xnet = skb.mark != 0 && self.dev(to).ns != self.dev(from).ns;
        skb.scrub(xnet);
        self.schedule_in(HOP_DELAY, Event::NetifRx { dev: to, skb });
        NetXmit::Success
    }

    /// An ipvlan in L3 (or L3S) mode: `ipvlan_set_port_mode` sets `IFF_NOARP` on it.
    pub fn ipvlan_is_noarp(&self, d: DevId) -> bool {
        self.ipvlan_port_of(d)
            .is_some_and(|p| p.mode != IPVLAN_MODE_L2)
    }

    /// `ipvlan_start_xmit` → `ipvlan_xmit_mode_l2` / `ipvlan_xmit_mode_l3`. The answer goes
    /// back to the sender (`NET_XMIT_DROP` is a socket's ENOBUFS).
    pub fn ipvlan_start_xmit(&mut self, d: DevId, skb: SkBuff) -> NetXmit {
        let Some(phy) = self.ipvlan(d).map(|v| v.phy_dev) else {
            return NetXmit::Success;
        };
        let Some(port) = self.ipvlan_port_of(d).cloned() else {
            return NetXmit::Success;
        };
        let data = skb.data();
        if data.len() < 14 {
            return NetXmit::Success;
        }
        // (L3S transmits as L3 does.)
        if port.mode != IPVLAN_MODE_L2 {
            return self.ipvlan_xmit_mode_l3(d, phy, &port, skb);
        }
        self.ipvlan_xmit_mode_l2(d, phy, &port, skb)
    }

    /// `ipvlan_xmit_mode_l2`: a private port's sibling is `NET_XMIT_DROP`, a sibling's or a
    /// broadcast success, the parent's own what `dev_forward_skb` answers, anything else what
    /// the parent's `dev_queue_xmit` answers.
    fn ipvlan_xmit_mode_l2(
        &mut self,
        d: DevId,
        phy: DevId,
        port: &IpvlanPort,
        skb: SkBuff,
    ) -> NetXmit {
        let data = skb.data();
        let (dst, src) = (&data[0..6], &data[6..12]);
        if port.flags & IPVLAN_F_VEPA == 0 && dst == src {
            if let Some(ip) = Self::ipvlan_l3_addr(data, true) {
                if let Some(v) = self.ipvlan_addr_lookup(phy, ip) {
                    if port.flags & IPVLAN_F_PRIVATE != 0 {
                        return NetXmit::Drop;
                    }
                    // ipvlan_rcv_frame(local): dev_forward_skb to the owner, success whatever
                    // it answers.
                    self.ipvlan_forward(d, v, skb);
                    return NetXmit::Success;
                }
            }
            // Not an ipvlan's: the parent's own (the parent receives it).
            return self.ipvlan_forward(d, phy, skb);
        }
        if dst[0] & 1 == 1 {
            // ipvlan_multicast_enqueue(tx) → ipvlan_process_multicast: the other ipvlans,
            // then out of the parent; the sender is answered success at once.
            for v in self.ipvlan_uppers(phy) {
                if v != d && self.dev_alive(v) && self.dev(v).up {
                    self.ipvlan_forward(d, v, skb.clone());
                }
            }
            self.dev_queue_xmit(phy, skb);
            return NetXmit::Success;
        }
        self.dev_queue_xmit(phy, skb)
    }

    /// `ipvlan_xmit_mode_l3`: to an ipvlan of the port by destination address, else
    /// `ipvlan_process_outbound` in the parent's namespace.
    fn ipvlan_xmit_mode_l3(
        &mut self,
        d: DevId,
        phy: DevId,
        port: &IpvlanPort,
        skb: SkBuff,
    ) -> NetXmit {
        let data = skb.data();
        if port.flags & IPVLAN_F_VEPA == 0 {
            if let Some(v) =
                Self::ipvlan_l3_addr(data, true).and_then(|ip| self.ipvlan_addr_lookup(phy, ip))
            {
                if port.flags & IPVLAN_F_PRIVATE != 0 {
                    return NetXmit::Drop;
                }
                let (from, to) = (self.trace_name(d), self.trace_name(v));
                self.trace(self.dev(d).ns, || {
                    format!("ipvlan: {from} l3: the destination is {to}'s → ipvlan_rcv_frame")
                });
                self.ipvlan_forward(d, v, skb);
                return NetXmit::Success;
            }
        }
        // ipvlan_skb_crossing_ns(skb, phy_dev) → ipvlan_process_outbound.
        let mut skb = skb;
        skb.scrub(self.dev(d).ns != self.dev(phy).ns);
        self.ipvlan_process_outbound(d, phy, skb)
    }

    /// `ipvlan_process_outbound`: no multicast, the Ethernet header off, then
    /// `ipvlan_process_v4_outbound` (IPv4 only: IPv6 is not modelled, other protocols are
    /// dropped as the kernel does). `NET_XMIT_DROP` when the packet does not go on, or
    /// `ip_local_out` fails (a netfilter drop, no route, the parent's device).
    fn ipvlan_process_outbound(&mut self, d: DevId, phy: DevId, mut skb: SkBuff) -> NetXmit {
        use crate::dropreason::SkbDropReason;
        use crate::net::fib::RtnType;
        let data = skb.data();
        let et = u16::from_be_bytes([data[12], data[13]]);
        if data[0] & 1 == 1 || et != ETH_P_IP {
            self.kfree_skb_reason(
                Some(d),
                SkbDropReason::NotSpecified,
                "ipvlan_process_outbound",
            );
            return NetXmit::Drop;
        }
        let Ok((ip, hl)) = crate::wire::Ipv4Repr::parse(&data[14..]) else {
            self.kfree_skb_reason(
                Some(d),
                SkbDropReason::NotSpecified,
                "ipvlan_process_outbound",
            );
            return NetXmit::Drop;
        };
        let payload = data[14 + hl..].to_vec();
        let ns = self.dev(phy).ns;
        // ip_route_output_flow(flowi4_oif = phy_dev, FLOWI_FLAG_ANYSRC): a source that is not
        // the parent namespace's own is not checked; without a route the destination is taken
        // to be on the parent's link; only unicast and local routes go on.
        let lookup_src = if self.inet_addr_is_local(ns, ip.src) {
            ip.src
        } else {
            Ipv4Addr::UNSPECIFIED
        };
        match self.ip_route_output(ns, ip.dst, lookup_src, Some(phy)) {
            Ok(rt) if matches!(rt.rtype, RtnType::Unicast | RtnType::Local) => {}
            _ => {
                self.kfree_skb_reason(
                    Some(d),
                    SkbDropReason::IpOutNoRoutes,
                    "ipvlan_process_v4_outbound",
                );
                return NetXmit::Drop;
            }
        }
        let (from, pn) = (self.trace_name(d), self.trace_name(phy));
        self.trace(self.dev(d).ns, || {
            format!("ipvlan: {from} l3: routed in {pn}'s namespace (ip_local_out)")
        });
        skb.set_data(payload);
        match self.ip_send_anysrc_oif(ns, ip, skb, phy) {
            Ok(()) => NetXmit::Success,
            Err(_) => NetXmit::Drop,
        }
    }

    /// `ipvlan_handle_frame`, the parent's rx handler (`ipvlan_handle_mode_l2`,
    /// `ipvlan_handle_mode_l3`). Answers the skb when the parent goes on with it
    /// (`RX_HANDLER_PASS`).
    pub fn ipvlan_handle_frame(&mut self, phy: DevId, skb: SkBuff) -> Option<SkBuff> {
        let data = skb.data();
        if data.len() < 14 {
            return Some(skb);
        }
        let mode = self.dev(phy).ipvlan_port.as_ref().map(|p| p.mode);
        if mode == Some(IPVLAN_MODE_L3S) {
            // L3S: the parent's stack takes everything (ipvlan_l3_rcv, ipvlan_nf_input).
            return Some(skb);
        }
        let l2 = mode == Some(IPVLAN_MODE_L2);
        if l2 && data[0] & 1 == 1 {
            // ipvlan_external_frame: not one of our own ipvlans' broadcasts coming back.
            let own = data[6..12] == self.dev(phy).mac
                && Self::ipvlan_l3_addr(data, false)
                    .is_some_and(|ip| self.ipvlan_addr_lookup(phy, ip).is_some());
            if !own {
                for v in self.ipvlan_uppers(phy) {
                    if self.dev_alive(v) && self.dev(v).up {
                        self.ipvlan_forward(phy, v, skb.clone());
                    }
                }
            }
            return Some(skb);
        }
        let Some(v) =
            Self::ipvlan_l3_addr(data, true).and_then(|ip| self.ipvlan_addr_lookup(phy, ip))
        else {
            return Some(skb);
        };
        // RX_HANDLER_ANOTHER on the ipvlan.
        let mut skb = skb;
        if self.dev(v).ns != self.dev(phy).ns {
            skb.scrub(skb.mark != 0);
        }
        self.netif_receive_skb(v, skb);
        None
    }

    /// `ipvlan_skb_to_addr`: the open slave of `dev`'s L3S port that owns `dst` (None when
    /// `dev` is no L3S port's parent).
    fn ipvlan_l3s_skb_to_addr(&self, dev: DevId, dst: Ipv4Addr) -> Option<DevId> {
        let port = self.dev(dev).ipvlan_port.as_ref()?;
        if port.mode != IPVLAN_MODE_L3S {
            return None;
        }
        self.ipvlan_addr_lookup(dev, dst)
    }

    /// `l3mdev_ip_rcv` → `ipvlan_l3_rcv` (the parent of an L3S port has
    /// `IFF_L3MDEV_RX_HANDLER`): a packet for a slave's address gets its input route in the
    /// slave's namespace, looked up with the slave as input device. Answers true when that
    /// route is local (the caller delivers the packet, `ip_local_deliver` on the parent);
    /// false when the lookup failed (a martian source: the parent's own route decides, as
    /// in the kernel, whose failed `ip_route_input_noref` leaves the skb without a dst).
    pub(crate) fn ipvlan_l3_rcv(&mut self, phy: DevId, dst: Ipv4Addr, src: Ipv4Addr) -> bool {
        let Some(s) = self.ipvlan_l3s_skb_to_addr(phy, dst) else {
            return false;
        };
        let local = matches!(
            self.ip_route_input_type(s, dst, src),
            Some((crate::net::fib::RtnType::Local, _))
        );
        if local {
            let (pn, sn) = (self.trace_name(phy), self.trace_name(s));
            self.trace(self.dev(phy).ns, || {
                format!(
                    "ipvlan: {pn} l3s: {dst} is {sn}'s, routed in its namespace (ipvlan_l3_rcv)"
                )
            });
        }
        local
    }

    /// `ipvlan_nf_input`, the L3S port's `NF_INET_LOCAL_IN` hook in the parent's namespace
    /// (priority `INT_MAX`: after the INPUT chains and conntrack's confirmation): a packet
    /// on the parent for a slave's address gets the slave as its device (`skb->dev`,
    /// `skb_iif`), counted as the slave's received packet (`ipvlan_count_rx`). Answers the
    /// slave, whose namespace then delivers the packet.
    pub(crate) fn ipvlan_nf_input(
        &mut self,
        dev: DevId,
        dst: Ipv4Addr,
        len: usize,
    ) -> Option<DevId> {
        let s = self.ipvlan_l3s_skb_to_addr(dev, dst)?;
        let st = &mut self.dev_mut(s).stats;
        st.rx_packets += 1;
        st.rx_bytes += (len + ETH_HLEN) as u64;
        Some(s)
    }
}

//! `drivers/net/macvlan.c`: MAC-address based virtual devices on a lower ("parent") Ethernet
//! device.
//!
//! The lower device gets a [`MacvlanPort`] (`macvlan_port_create`: its rx handler, so it can be
//! neither a bridge port nor another kind's port at the same time); each macvlan is a device of
//! kind [`DevKind::Macvlan`] naming its lower device. What the driver does with a frame:
//!
//! - transmit (`macvlan_queue_xmit`): a `bridge`-mode macvlan sends broadcasts to the other
//!   `bridge`-mode macvlans of its port directly (`macvlan_broadcast`, a `netif_rx` each) and out
//!   of the lower device; a unicast frame to another `bridge`-mode macvlan is handed to the lower
//!   device as received (`dev_forward_skb`, so the lower device's captures see it coming in) and
//!   its rx handler delivers it. Everything else, and everything from the other modes, leaves
//!   through the lower device (`dev_queue_xmit`): private/vepa macvlans reach each other only if
//!   the wire sends the frame back (a hairpin bridge port), and the lower device itself never
//!   receives what its macvlans send, nor they what it sends.
//! - receive on the lower device (`macvlan_handle_frame`): a unicast frame whose destination is
//!   an open macvlan's address is received on that macvlan (`RX_HANDLER_ANOTHER`); a broadcast
//!   is queued for the port's broadcast work (`macvlan_broadcast_enqueue` →
//!   `macvlan_process_broadcast`: to every macvlan for a frame from elsewhere, to the vepa and
//!   bridge ones for a frame a vepa macvlan sent, to the vepa ones for one a bridge macvlan sent)
//!   and the lower device gets it too; a broadcast that a private (or passthru/source) macvlan
//!   sent and the wire sent back goes to that macvlan only.
//!
//! Not modelled: `source` mode's address lists (`macaddr add|del|set|flush`: a source macvlan
//! is created and shown, with `remotes (0)`, and receives nothing), multicast filters other
//! than the broadcast address (a frame to a multicast group is delivered to every macvlan),
//! `bc_cutoff`, the broadcast queue's length limit, and the lower device's unicast filter
//! other than as promiscuity (`dev_uc_add` on a device without `IFF_UNICAST_FLT`).

use crate::errno::Errno;
use crate::kernel::{DevId, DevKind, Event, Kernel, NsId, HOP_DELAY};
use crate::net::rtnetlink::RtnlError;
use crate::net::skbuff::SkBuff;
use crate::wire::{mac_is_multicast, Mac};

/// `enum macvlan_mode` (the `IFLA_MACVLAN_MODE` values).
pub const MACVLAN_MODE_PRIVATE: u32 = 1;
pub const MACVLAN_MODE_VEPA: u32 = 2;
pub const MACVLAN_MODE_BRIDGE: u32 = 4;
pub const MACVLAN_MODE_PASSTHRU: u32 = 8;
pub const MACVLAN_MODE_SOURCE: u32 = 16;
/// `MACVLAN_FLAG_NOPROMISC`, `MACVLAN_FLAG_NODST`.
pub const MACVLAN_FLAG_NOPROMISC: u16 = 1;
pub const MACVLAN_FLAG_NODST: u16 = 2;
/// `MACVLAN_DEFAULT_BC_QUEUE_LEN`.
pub const MACVLAN_DEFAULT_BC_QUEUE_LEN: u32 = 1000;

/// `struct macvlan_dev`: one macvlan's private state.
#[derive(Clone, Debug)]
pub struct Macvlan {
    pub lowerdev: DevId,
    pub mode: u32,
    pub flags: u16,
    /// `bc_queue_len_req` (`bcqueuelen`).
    pub bc_queue_len_req: u32,
}

/// `struct macvlan_port`: on the lower device, the macvlans over it in creation order
/// (`port->vlans`).
#[derive(Clone, Debug, Default)]
pub struct MacvlanPort {
    pub vlans: Vec<DevId>,
    pub passthru: bool,
}

/// `IFLA_INFO_DATA` of a new macvlan (`IFLA_MACVLAN_*`); `None` where the request carries no
/// attribute.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MacvlanData {
    pub mode: Option<u32>,
    pub flags: Option<u16>,
    /// `IFLA_MACVLAN_MACADDR_MODE` (source mode's address list operations).
    pub macaddr_mode: Option<u32>,
    pub bc_queue_len: Option<u32>,
}

impl Kernel {
    pub fn macvlan(&self, d: DevId) -> Option<&Macvlan> {
        match &self.dev(d).kind {
            DevKind::Macvlan(m) => Some(m),
            _ => None,
        }
    }

    /// `port->bc_queue_len_used`: the largest request of the port's macvlans.
    pub fn macvlan_bc_queue_len_used(&self, lower: DevId) -> u32 {
        self.dev(lower).macvlan_port.as_ref().map_or(0, |p| {
            p.vlans
                .iter()
                .filter_map(|&v| self.macvlan(v))
                .map(|m| m.bc_queue_len_req)
                .max()
                .unwrap_or(0)
        })
    }

    /// The open macvlans of a port (`port->vlan_hash`: `macvlan_open` adds, `macvlan_stop`
    /// removes).
    fn macvlan_hashed(&self, lower: DevId) -> Vec<DevId> {
        self.dev(lower)
            .macvlan_port
            .as_ref()
            .map(|p| {
                p.vlans
                    .iter()
                    .copied()
                    .filter(|&v| self.dev_alive(v) && self.dev(v).up)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `macvlan_hash_lookup`.
    fn macvlan_hash_lookup(&self, lower: DevId, addr: &Mac) -> Option<DevId> {
        self.macvlan_hashed(lower)
            .into_iter()
            .find(|&v| self.dev(v).mac == *addr)
    }

    /// `macvlan_addr_busy`: the lower device's address (unless passthru) or an open macvlan's.
    pub fn macvlan_addr_busy(&self, d: DevId, addr: &Mac) -> bool {
        let Some(m) = self.macvlan(d) else {
            return false;
        };
        let lower = m.lowerdev;
        let passthru = self
            .dev(lower)
            .macvlan_port
            .as_ref()
            .is_some_and(|p| p.passthru);
        if passthru {
            return false;
        }
        self.dev(lower).mac == *addr
            || self
                .macvlan_hashed(lower)
                .into_iter()
                .any(|v| v != d && self.dev(v).mac == *addr)
    }

    /// The lower device's promiscuity from its macvlans: a passthru macvlan that is up
    /// (`dev_set_promiscuity(lowerdev, 1)` unless `nopromisc`), and the unicast addresses the
    /// others added while the lower device is up (`dev_uc_add` on a device without
    /// `IFF_UNICAST_FLT`: `__dev_set_rx_mode` turns promiscuity on).
    pub fn macvlan_lower_promiscuity(&self, lower: DevId) -> u32 {
        let Some(port) = self.dev(lower).macvlan_port.as_ref() else {
            return 0;
        };
        let mut n = 0;
        let mut uc = false;
        for &v in &port.vlans {
            let (Some(m), true) = (self.macvlan(v), self.dev_alive(v) && self.dev(v).up) else {
                continue;
            };
            if m.mode == MACVLAN_MODE_PASSTHRU {
                if m.flags & MACVLAN_FLAG_NOPROMISC == 0 {
                    n += 1;
                }
            } else {
                uc = true;
            }
        }
        n + u32::from(uc && self.dev(lower).up)
    }

    /// `macvlan_common_newlink`: the lower device (a macvlan's own lower device when stacked),
    /// the MTU, the port, the mode's rules.
    pub fn macvlan_newlink(
        &mut self,
        home: NsId,
        link_net: NsId,
        name: &str,
        attrs: &crate::net::rtnetlink::link::LinkAttrs,
        data: &MacvlanData,
    ) -> Result<DevId, RtnlError> {
        // macvlan_validate.
        if let Some(mac) = attrs.mac {
            if mac_is_multicast(&mac) || mac == [0; 6] {
                return Err(Errno::EADDRNOTAVAIL.into());
            }
        }
        if data
            .flags
            .is_some_and(|f| f & !(MACVLAN_FLAG_NOPROMISC | MACVLAN_FLAG_NODST) != 0)
        {
            return Err(Errno::EINVAL.into());
        }
        if let Some(m) = data.mode {
            if ![
                MACVLAN_MODE_PRIVATE,
                MACVLAN_MODE_VEPA,
                MACVLAN_MODE_BRIDGE,
                MACVLAN_MODE_PASSTHRU,
                MACVLAN_MODE_SOURCE,
            ]
            .contains(&m)
            {
                return Err(Errno::EINVAL.into());
            }
        }
        let Some(link) = attrs.link else {
            return Err(Errno::EINVAL.into());
        };
        let mut lower = self
            .dev_by_ifindex(link_net, link)
            .ok_or(RtnlError::new(Errno::ENODEV))?;
        if let Some(m) = self.macvlan(lower) {
            lower = m.lowerdev;
        }
        let mtu = match attrs.mtu {
            None => self.dev(lower).mtu,
            Some(m) if m > self.dev(lower).mtu => return Err(Errno::EINVAL.into()),
            // dev_validate_mtu before the driver: 68..=max_mtu (the lower's).
            Some(m) if m < 68 => {
                return Err(RtnlError::extack(
                    Errno::EINVAL,
                    "mtu less than device minimum",
                ))
            }
            Some(m) => m,
        };
        if self.dev(lower).macvlan_port.is_none() {
            // macvlan_port_create: Ethernet devices only; the rx handler must be free.
            if matches!(self.dev(lower).kind, DevKind::Loopback | DevKind::Ipip(_)) {
                return Err(Errno::EINVAL.into());
            }
            if self.dev(lower).master.is_some() || self.dev(lower).ipvlan_port.is_some() {
                return Err(Errno::EBUSY.into());
            }
        }
        let port = self.dev(lower).macvlan_port.clone().unwrap_or_default();
        if port.passthru {
            return Err(Errno::EINVAL.into());
        }
        let mode = data.mode.unwrap_or(MACVLAN_MODE_VEPA);
        if mode == MACVLAN_MODE_PASSTHRU && !port.vlans.is_empty() {
            return Err(Errno::EINVAL.into());
        }
        if data.macaddr_mode.is_some() {
            if mode != MACVLAN_MODE_SOURCE {
                return Err(Errno::EINVAL.into());
            }
            return Err(RtnlError::not_modelled("macvlan source address lists"));
        }
        let (mac, mac_set) = if mode == MACVLAN_MODE_PASSTHRU {
            // eth_hw_addr_inherit.
            (self.dev(lower).mac, self.dev(lower).mac_set)
        } else {
            match attrs.mac {
                Some(m) => (m, true),
                None => (self.rng.eth_random_addr(), false),
            }
        };
        let m = Macvlan {
            lowerdev: lower,
            mode,
            flags: data.flags.unwrap_or(0),
            bc_queue_len_req: data.bc_queue_len.unwrap_or(MACVLAN_DEFAULT_BC_QUEUE_LEN),
        };
        let d = self.dev_create(home, name, DevKind::Macvlan(Box::new(m)), mac, mtu);
        self.dev_mut(d).mac_set = mac_set;
        let port = self
            .dev_mut(lower)
            .macvlan_port
            .get_or_insert_with(Default::default);
        port.vlans.push(d);
        if mode == MACVLAN_MODE_PASSTHRU {
            port.passthru = true;
        }
        Ok(d)
    }

    /// `macvlan_dellink` / `macvlan_uninit`: off the port, which goes with its last macvlan.
    pub fn macvlan_dellink(&mut self, d: DevId) {
        let Some(lower) = self.macvlan(d).map(|m| m.lowerdev) else {
            return;
        };
        if !self.dev_alive(lower) {
            return;
        }
        let dev = self.dev_mut(lower);
        if let Some(p) = dev.macvlan_port.as_mut() {
            p.vlans.retain(|&v| v != d);
            if p.vlans.is_empty() {
                dev.macvlan_port = None;
            }
        }
    }

    /// `macvlan_device_event(NETDEV_UNREGISTER)` of a lower device: its macvlans go too.
    pub fn macvlan_lowerdev_unregister(&mut self, lower: DevId) {
        let Some(port) = self.dev_mut(lower).macvlan_port.take() else {
            return;
        };
        for v in port.vlans {
            if self.dev_alive(v) {
                self.dev_del(v);
            }
        }
    }

    /// `macvlan_device_event(NETDEV_CHANGEMTU)`: macvlans above the new MTU follow it down.
    pub fn macvlan_lowerdev_changemtu(&mut self, lower: DevId) {
        let mtu = self.dev(lower).mtu;
        let vlans = self
            .dev(lower)
            .macvlan_port
            .as_ref()
            .map(|p| p.vlans.clone())
            .unwrap_or_default();
        for v in vlans {
            if self.dev_alive(v) && self.dev(v).mtu > mtu {
                self.dev_mut(v).mtu = mtu;
                // dev_set_mtu's NETDEV_CHANGEMTU: a bridge port's bridge re-adjusts.
                if let Some(br) = self.dev(v).master.filter(|&b| self.is_bridge(b)) {
                    self.br_mtu_auto_adjust(br);
                }
            }
        }
    }

    /// The macvlans over a device (for carrier changes).
    pub fn macvlan_uppers(&self, lower: DevId) -> Vec<DevId> {
        self.dev(lower)
            .macvlan_port
            .as_ref()
            .map(|p| p.vlans.clone())
            .unwrap_or_default()
    }

    /// `macvlan_start_xmit` → `macvlan_queue_xmit`.
    pub fn macvlan_start_xmit(&mut self, d: DevId, skb: SkBuff) {
        let Some(m) = self.macvlan(d).cloned() else {
            return;
        };
        let lower = m.lowerdev;
        if !self.dev_alive(lower) {
            return;
        }
        if m.mode == MACVLAN_MODE_BRIDGE {
            let Some(dst) = skb.data().get(0..6).map(|b| {
                let mut a = [0u8; 6];
                a.copy_from_slice(b);
                a
            }) else {
                return;
            };
            if mac_is_multicast(&dst) {
                // Send to the other bridge ports directly, then to the world.
                self.macvlan_broadcast(&skb, lower, Some(d), MACVLAN_MODE_BRIDGE);
            } else if let Some(dest) = self.macvlan_hash_lookup(lower, &dst) {
                if self
                    .macvlan(dest)
                    .is_some_and(|x| x.mode == MACVLAN_MODE_BRIDGE)
                {
                    // dev_forward_skb(lowerdev): received by the lower device first, for its
                    // taps; its rx handler passes it on.
                    return self.dev_forward_skb(d, lower, skb);
                }
            }
        }
        self.dev_queue_xmit(lower, skb);
    }

    /// `dev_forward_skb`: `__dev_forward_skb` (an interface that is down drops it; scrubbed,
    /// the mark too across namespaces) then `netif_rx` on `to`.
    fn dev_forward_skb(&mut self, from: DevId, to: DevId, mut skb: SkBuff) {
        if !self.dev(to).up {
            self.dev_mut(to).stats.rx_dropped += 1;
            self.kfree_skb_reason(
                Some(to),
                crate::dropreason::SkbDropReason::DevReady,
                "__dev_forward_skb",
            );
            return;
        }
        let xnet = skb.mark != 0 && self.dev(to).ns != self.dev(from).ns;
        skb.scrub(xnet);
        self.schedule_in(HOP_DELAY, Event::NetifRx { dev: to, skb });
    }

    /// `macvlan_broadcast`: a copy to every open macvlan of the port whose mode is in `mode`,
    /// except the sender (`dev_forward_skb` for a bridge-mode sender's local copies, else
    /// `netif_rx`).
    fn macvlan_broadcast(&mut self, skb: &SkBuff, lower: DevId, src: Option<DevId>, mode: u32) {
        for v in self.macvlan_hashed(lower) {
            if Some(v) == src || self.macvlan(v).is_none_or(|m| m.mode & mode == 0) {
                continue;
            }
            let from = src.unwrap_or(lower);
            self.dev_forward_skb(from, v, skb.clone());
        }
    }

    /// `macvlan_handle_frame`, the lower device's rx handler. Answers the skb when the lower
    /// device should go on with it (`RX_HANDLER_PASS`).
    pub fn macvlan_handle_frame(&mut self, lower: DevId, skb: SkBuff) -> Option<SkBuff> {
        let Some(eth) = skb.data().get(0..12) else {
            return Some(skb);
        };
        let mut dst = [0u8; 6];
        let mut src = [0u8; 6];
        dst.copy_from_slice(&eth[0..6]);
        src.copy_from_slice(&eth[6..12]);
        let passthru = self
            .dev(lower)
            .macvlan_port
            .as_ref()
            .is_some_and(|p| p.passthru);
        if mac_is_multicast(&dst) {
            let src_vlan = self.macvlan_hash_lookup(lower, &src);
            let src_mode = src_vlan.and_then(|v| self.macvlan(v)).map(|m| m.mode);
            if let (Some(v), Some(mode)) = (src_vlan, src_mode) {
                if mode != MACVLAN_MODE_VEPA && mode != MACVLAN_MODE_BRIDGE {
                    // Forward to the original port only (macvlan_broadcast_one + netif_rx).
                    self.dev_forward_skb(lower, v, skb);
                    return None;
                }
            }
            // Broadcasts go through the port's work queue, multicast straight to
            // macvlan_multicast_rx: both end in a netif_rx per macvlan.
            let mode = match src_mode {
                None => {
                    MACVLAN_MODE_PRIVATE
                        | MACVLAN_MODE_VEPA
                        | MACVLAN_MODE_PASSTHRU
                        | MACVLAN_MODE_BRIDGE
                }
                Some(MACVLAN_MODE_VEPA) => MACVLAN_MODE_VEPA | MACVLAN_MODE_BRIDGE,
                Some(_) => MACVLAN_MODE_VEPA,
            };
            self.macvlan_broadcast(&skb, lower, src_vlan, mode);
            return Some(skb);
        }
        let vlan = if passthru {
            self.dev(lower)
                .macvlan_port
                .as_ref()
                .and_then(|p| p.vlans.first().copied())
        } else {
            self.macvlan_hash_lookup(lower, &dst)
        };
        let Some(v) = vlan else {
            return Some(skb);
        };
        if self
            .macvlan(v)
            .is_none_or(|m| m.mode == MACVLAN_MODE_SOURCE)
        {
            return Some(skb);
        }
        if !self.dev(v).up {
            self.kfree_skb_reason(
                Some(v),
                crate::dropreason::SkbDropReason::DevReady,
                "macvlan_handle_frame",
            );
            return None;
        }
        // RX_HANDLER_ANOTHER: the frame is received again, on the macvlan.
        let mut skb = skb;
        if self.dev(v).ns != self.dev(lower).ns {
            skb.scrub(skb.mark != 0);
        }
        self.netif_receive_skb(v, skb);
        None
    }
}

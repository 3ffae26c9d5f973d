//! `net/8021q/`: 802.1Q and 802.1ad VLAN devices (`vlan_dev.c`, `vlan_netlink.c`,
//! `vlan_core.c`'s receive side).
//!
//! A VLAN device names its lower ("real") device, a protocol (`ETH_P_8021Q` or `ETH_P_8021AD`)
//! and an id; the lower device keeps the list of its VLAN devices (`struct vlan_info`, here
//! [`VlanGroup`]). The model keeps tags in the frame bytes on the lower device (what a capture
//! there shows: libpcap puts the offloaded tag back), so:
//!
//! - transmit (`vlan_dev_hard_start_xmit`): the VLAN device's own capture sees the frame as
//!   the stack built it (untagged; tagged when `reorder_hdr off`, as `vlan_dev_hard_header`
//!   writes the tag itself), then the tag is inserted and the frame leaves through the lower
//!   device (`dev_queue_xmit`).
//! - receive (`__netif_receive_skb_core` → `vlan_do_receive`): a tagged frame on the lower
//!   device is received again on the VLAN device of that protocol and id, without its tag
//!   (with it when `reorder_hdr off`: `vlan_insert_inner_tag`); a tag without a device is
//!   `PACKET_OTHERHOST` (dropped by IP and ARP), a priority tag (id 0) without a device is
//!   stripped and the frame stays on the lower device. This happens before the lower
//!   device's rx handler (bridge, macvlan).
//!
//! QoS maps (`vlan_dev_set_egress_priority`, `vlan_dev_set_ingress_priority`): on transmit the
//! tag's PCP bits come from the egress map of `skb->priority` (`vlan_dev_get_egress_qos_mask`:
//! 16 buckets by `priority & 0xf`, each a list with the newest mapping first, an unmapped
//! priority gives PCP 0); on receive `vlan_do_receive` sets `skb->priority` from the ingress
//! map of the tag's PCP (0 when unmapped). A mapping to 0 stays in the egress list but no longer
//! counts nor shows (`vlan_fill_info` skips it); the ingress map has one slot per PCP.
//!
//! Not modelled: GVRP/MVRP, `loose_binding` (the device follows its lower device's carrier),
//! `bridge_binding`.

use crate::errno::Errno;
use crate::kernel::{DevId, DevKind, Kernel, NsId};
use crate::net::rtnetlink::link::LinkAttrs;
use crate::net::rtnetlink::RtnlError;
use crate::net::skbuff::SkBuff;

pub const ETH_P_8021Q: u16 = 0x8100;
pub const ETH_P_8021AD: u16 = 0x88a8;
pub const VLAN_HLEN: usize = 4;
/// `VLAN_VID_MASK`.
pub const VLAN_VID_MASK: u16 = 0xfff;
/// `enum vlan_flags`.
pub const VLAN_FLAG_REORDER_HDR: u32 = 0x1;
pub const VLAN_FLAG_GVRP: u32 = 0x2;
pub const VLAN_FLAG_LOOSE_BINDING: u32 = 0x4;
pub const VLAN_FLAG_MVRP: u32 = 0x8;
pub const VLAN_FLAG_BRIDGE_BINDING: u32 = 0x10;
/// `VLAN_PRIO_SHIFT`, `VLAN_PRIO_MASK`: the PCP bits of the TCI.
pub const VLAN_PRIO_SHIFT: u16 = 13;
pub const VLAN_PRIO_MASK: u16 = 0xe000;

/// `struct vlan_dev_priv`.
#[derive(Clone, Debug)]
pub struct VlanDev {
    pub real_dev: DevId,
    pub proto: u16,
    pub id: u16,
    pub flags: u32,
    /// `ingress_priority_map`: the skb priority of each PCP.
    pub ingress_priority_map: [u32; 8],
    pub nr_ingress_mappings: u32,
    /// `egress_priority_map`: 16 buckets (`priority & 0xf`) of (skb priority, `vlan_qos`: the
    /// PCP already shifted into TCI position), newest first as the kernel links them.
    pub egress_priority_map: [Vec<(u32, u16)>; 16],
    pub nr_egress_mappings: u32,
}

impl VlanDev {
    /// `vlan_dev_set_ingress_priority`: the PCP is masked to 3 bits.
    pub fn set_ingress_priority(&mut self, skb_prio: u32, vlan_prio: u32) {
        let slot = &mut self.ingress_priority_map[(vlan_prio & 0x7) as usize];
        if *slot != 0 && skb_prio == 0 {
            self.nr_ingress_mappings -= 1;
        } else if *slot == 0 && skb_prio != 0 {
            self.nr_ingress_mappings += 1;
        }
        *slot = skb_prio;
    }

    /// `vlan_dev_set_egress_priority`: the PCP is shifted into place and masked (a `TO` above 7
    /// keeps its low 3 bits); an existing mapping is updated, else a new one goes in front of
    /// its bucket.
    pub fn set_egress_priority(&mut self, skb_prio: u32, vlan_prio: u32) {
        let vlan_qos = ((vlan_prio << VLAN_PRIO_SHIFT) as u16) & VLAN_PRIO_MASK;
        let bucket = &mut self.egress_priority_map[(skb_prio & 0xf) as usize];
        if let Some(mp) = bucket.iter_mut().find(|m| m.0 == skb_prio) {
            if mp.1 != 0 && vlan_qos == 0 {
                self.nr_egress_mappings -= 1;
            } else if mp.1 == 0 && vlan_qos != 0 {
                self.nr_egress_mappings += 1;
            }
            mp.1 = vlan_qos;
            return;
        }
        bucket.insert(0, (skb_prio, vlan_qos));
        if vlan_qos != 0 {
            self.nr_egress_mappings += 1;
        }
    }

    /// `vlan_dev_get_egress_qos_mask`.
    pub fn egress_qos_mask(&self, skb_prio: u32) -> u16 {
        self.egress_priority_map[(skb_prio & 0xf) as usize]
            .iter()
            .find(|m| m.0 == skb_prio)
            .map_or(0, |m| m.1)
    }

    /// `vlan_get_ingress_priority`.
    pub fn ingress_priority(&self, tci: u16) -> u32 {
        self.ingress_priority_map[usize::from((tci >> VLAN_PRIO_SHIFT) & 0x7)]
    }

    /// What `vlan_fill_info` reports: `IFLA_VLAN_INGRESS_QOS` (when a mapping is set: the
    /// non-zero slots in PCP order) and `IFLA_VLAN_EGRESS_QOS` (the non-zero mappings, bucket
    /// by bucket, each in list order), as (from, to) pairs.
    pub fn qos_maps(&self) -> (Option<QosMap>, Option<QosMap>) {
        let ingress = (self.nr_ingress_mappings > 0).then(|| {
            (0..8)
                .filter(|&i| self.ingress_priority_map[i] != 0)
                .map(|i| (i as u32, self.ingress_priority_map[i]))
                .collect()
        });
        let egress = (self.nr_egress_mappings > 0).then(|| {
            self.egress_priority_map
                .iter()
                .flatten()
                .filter(|m| m.1 != 0)
                .map(|m| (m.0, u32::from((m.1 >> VLAN_PRIO_SHIFT) & 0x7)))
                .collect()
        });
        (ingress, egress)
    }
}

/// `struct vlan_info` on the lower device: its VLAN devices in creation order.
#[derive(Clone, Debug, Default)]
pub struct VlanGroup {
    pub devs: Vec<DevId>,
}

/// `IFLA_VLAN_INGRESS_QOS` / `IFLA_VLAN_EGRESS_QOS`: `struct ifla_vlan_qos_mapping` (from, to).
pub type QosMap = Vec<(u32, u32)>;

/// `IFLA_INFO_DATA` of a new VLAN device (`IFLA_VLAN_*`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VlanData {
    pub id: Option<u16>,
    pub proto: Option<u16>,
    /// `IFLA_VLAN_FLAGS`: (flags, mask).
    pub flags: Option<(u32, u32)>,
    /// `IFLA_VLAN_INGRESS_QOS`: (from: PCP, to: skb priority) mappings.
    pub ingress_qos: Option<QosMap>,
    /// `IFLA_VLAN_EGRESS_QOS`: (from: skb priority, to: PCP) mappings.
    pub egress_qos: Option<QosMap>,
}

impl Kernel {
    pub fn vlan_dev(&self, d: DevId) -> Option<&VlanDev> {
        match &self.dev(d).kind {
            DevKind::Vlan(v) => Some(v),
            _ => None,
        }
    }

    /// `vlan_find_dev`.
    fn vlan_find_dev(&self, real: DevId, proto: u16, id: u16) -> Option<DevId> {
        self.dev(real).vlan_info.as_ref().and_then(|g| {
            g.devs.iter().copied().find(|&v| {
                self.vlan_dev(v)
                    .is_some_and(|x| x.proto == proto && x.id == id)
            })
        })
    }

    /// The VLAN devices over a device.
    pub fn vlan_uppers(&self, real: DevId) -> Vec<DevId> {
        self.dev(real)
            .vlan_info
            .as_ref()
            .map(|g| g.devs.clone())
            .unwrap_or_default()
    }

    /// `vlan_validate` (run for a new device and before a changelink); the extack texts carry
    /// the module prefix (`NL_SET_ERR_MSG_MOD`).
    pub fn vlan_validate(
        mac: Option<crate::wire::Mac>,
        data: Option<&VlanData>,
    ) -> Result<&VlanData, RtnlError> {
        let ext = |e: Errno, m: &str| RtnlError::extack(e, format!("8021q: {m}"));
        if let Some(mac) = mac {
            if mac[0] & 1 == 1 || mac == [0; 6] {
                return Err(ext(Errno::EADDRNOTAVAIL, "Invalid link address"));
            }
        }
        let Some(data) = data else {
            return Err(ext(Errno::EINVAL, "VLAN properties not specified"));
        };
        if let Some(p) = data.proto {
            if p != ETH_P_8021Q && p != ETH_P_8021AD {
                return Err(ext(Errno::EPROTONOSUPPORT, "Invalid VLAN protocol"));
            }
        }
        if data.id.is_some_and(|id| id >= VLAN_VID_MASK) {
            return Err(ext(Errno::ERANGE, "Invalid VLAN id"));
        }
        if let Some((f, m)) = data.flags {
            let known = VLAN_FLAG_REORDER_HDR
                | VLAN_FLAG_GVRP
                | VLAN_FLAG_LOOSE_BINDING
                | VLAN_FLAG_MVRP
                | VLAN_FLAG_BRIDGE_BINDING;
            if f & m & !known != 0 {
                return Err(ext(Errno::EINVAL, "Invalid VLAN flags"));
            }
        }
        Ok(data)
    }

    /// `vlan_newlink` (+ `vlan_check_real_dev`, `vlan_changelink`, `register_vlan_dev`).
    pub fn vlan_newlink(
        &mut self,
        home: NsId,
        link_net: NsId,
        name: &str,
        attrs: &LinkAttrs,
        data: Option<&VlanData>,
    ) -> Result<DevId, RtnlError> {
        let ext = |e: Errno, m: &str| RtnlError::extack(e, format!("8021q: {m}"));
        let data = Self::vlan_validate(attrs.mac, data)?;
        let Some(id) = data.id else {
            return Err(ext(Errno::EINVAL, "VLAN id not specified"));
        };
        let Some(link) = attrs.link else {
            return Err(ext(Errno::EINVAL, "link not specified"));
        };
        let real = self
            .dev_by_ifindex(link_net, link)
            .ok_or_else(|| ext(Errno::ENODEV, "link does not exist"))?;
        let proto = data.proto.unwrap_or(ETH_P_8021Q);
        // vlan_check_real_dev: NETIF_F_VLAN_CHALLENGED devices (loopback, tunnels without a
        // link layer).
        if matches!(self.dev(real).kind, DevKind::Loopback | DevKind::Ipip(_)) {
            return Err(ext(Errno::EOPNOTSUPP, "VLANs not supported on device"));
        }
        if self.vlan_find_dev(real, proto, id).is_some() {
            return Err(ext(Errno::EEXIST, "VLAN device already exists"));
        }
        let max_mtu = self.dev(real).mtu;
        let mtu = match attrs.mtu {
            None => max_mtu,
            Some(m) if m > max_mtu => return Err(Errno::EINVAL.into()),
            Some(m) => m,
        };
        // vlan_newlink: flags = VLAN_FLAG_REORDER_HDR, then vlan_changelink.
        let mut v = VlanDev {
            real_dev: real,
            proto,
            id,
            flags: VLAN_FLAG_REORDER_HDR,
            ingress_priority_map: [0; 8],
            nr_ingress_mappings: 0,
            egress_priority_map: Default::default(),
            nr_egress_mappings: 0,
        };
        vlan_changelink(&mut v, data)?;
        // vlan_dev_init: the real device's address unless one was given (NET_ADDR_STOLEN).
        let (mac, mac_set) = match attrs.mac {
            Some(m) => (m, true),
            None => (self.dev(real).mac, false),
        };
        let d = self.dev_create(home, name, DevKind::Vlan(Box::new(v)), mac, mtu);
        self.dev_mut(d).mac_set = mac_set;
        self.dev_mut(real)
            .vlan_info
            .get_or_insert_with(Default::default)
            .devs
            .push(d);
        Ok(d)
    }

    /// `RTM_NEWLINK` on an existing VLAN device (`ip link set DEV type vlan ...`):
    /// `vlan_validate`, then `vlan_changelink` (flags and QoS maps; the id and protocol of an
    /// existing device do not change).
    pub fn vlan_dev_changelink(
        &mut self,
        d: DevId,
        mac: Option<crate::wire::Mac>,
        data: Option<&VlanData>,
    ) -> Result<(), RtnlError> {
        let data = Self::vlan_validate(mac, data)?;
        let DevKind::Vlan(v) = &mut self.dev_mut(d).kind else {
            return Err(Errno::EOPNOTSUPP.into());
        };
        let mut nv = (**v).clone();
        vlan_changelink(&mut nv, data)?;
        **v = nv;
        Ok(())
    }

    /// The real device's promiscuity and allmulti counts from its VLAN devices: an open VLAN
    /// device that is a bridge port is promiscuous and allmulti (`br_add_if`), which
    /// `vlan_dev_open` / `vlan_dev_change_rx_flags` pass down (`dev_set_promiscuity(real_dev,
    /// 1)`, `dev_set_allmulti(real_dev, 1)`).
    pub fn vlan_lower_promiscuity(&self, real: DevId) -> u32 {
        self.dev(real).vlan_info.as_ref().map_or(0, |g| {
            g.devs
                .iter()
                .filter(|&&v| {
                    self.dev_alive(v)
                        && self.dev(v).up
                        && self.dev(v).master.is_some_and(|m| self.is_bridge(m))
                })
                .count() as u32
        })
    }

    /// `unregister_vlan_dev`: off the real device's list.
    pub fn vlan_dellink(&mut self, d: DevId) {
        let Some(real) = self.vlan_dev(d).map(|v| v.real_dev) else {
            return;
        };
        if !self.dev_alive(real) {
            return;
        }
        let dev = self.dev_mut(real);
        if let Some(g) = dev.vlan_info.as_mut() {
            g.devs.retain(|&x| x != d);
            if g.devs.is_empty() {
                dev.vlan_info = None;
            }
        }
    }

    /// `vlan_device_event(NETDEV_UNREGISTER)`: the VLAN devices of a real device go with it.
    pub fn vlan_realdev_unregister(&mut self, real: DevId) {
        let Some(g) = self.dev_mut(real).vlan_info.take() else {
            return;
        };
        for v in g.devs {
            if self.dev_alive(v) {
                self.dev_del(v);
            }
        }
    }

    /// `vlan_device_event(NETDEV_CHANGEMTU)`: VLAN devices above the new MTU follow it down.
    pub fn vlan_realdev_changemtu(&mut self, real: DevId) {
        let mtu = self.dev(real).mtu;
        for v in self.vlan_uppers(real) {
            if self.dev_alive(v) && self.dev(v).mtu > mtu {
                self.dev_mut(v).mtu = mtu;
                // dev_set_mtu's NETDEV_CHANGEMTU: a bridge port's bridge re-adjusts.
                if let Some(br) = self.dev(v).master.filter(|&b| self.is_bridge(b)) {
                    self.br_mtu_auto_adjust(br);
                }
            }
        }
    }

    /// `vlan_dev_hard_header` with `reorder_hdr off`: the tag is part of the header the VLAN
    /// device's own capture sees.
    pub fn vlan_dev_hard_header(&self, d: DevId, skb: &mut SkBuff) {
        if let Some(v) = self.vlan_dev(d) {
            if v.flags & VLAN_FLAG_REORDER_HDR == 0 && !frame_has_tag(skb.data(), v.proto) {
                let tci = v.id | v.egress_qos_mask(skb.priority);
                vlan_insert_tag(skb, v.proto, tci);
            }
        }
    }

    /// `vlan_dev_hard_start_xmit`: tag (unless the header already carries it) and hand the
    /// frame to the real device.
    pub fn vlan_dev_hard_start_xmit(&mut self, d: DevId, mut skb: SkBuff) {
        let Some(v) = self.vlan_dev(d).cloned() else {
            return;
        };
        if !self.dev_alive(v.real_dev) {
            return;
        }
        if !frame_has_tag(skb.data(), v.proto) {
            let tci = v.id | v.egress_qos_mask(skb.priority);
            vlan_insert_tag(&mut skb, v.proto, tci);
        }
        self.dev_queue_xmit(v.real_dev, skb);
    }

    /// The VLAN part of `__netif_receive_skb_core` on `d` (`skb_vlan_untag`, `vlan_do_receive`,
    /// `check_vlan_id`). Answers the skb when `d` itself goes on with it.
    pub fn vlan_do_receive(&mut self, d: DevId, mut skb: SkBuff) -> Option<SkBuff> {
        let data = skb.data();
        if data.len() < 14 + VLAN_HLEN {
            return Some(skb);
        }
        let proto = u16::from_be_bytes([data[12], data[13]]);
        if proto != ETH_P_8021Q && proto != ETH_P_8021AD {
            return Some(skb);
        }
        let tci = u16::from_be_bytes([data[14], data[15]]);
        let id = tci & VLAN_VID_MASK;
        match self.vlan_find_dev(d, proto, id) {
            Some(v) => {
                let (reorder, prio) = self.vlan_dev(v).map_or((true, 0), |x| {
                    (
                        x.flags & VLAN_FLAG_REORDER_HDR != 0,
                        x.ingress_priority(tci),
                    )
                });
                // Without reorder_hdr the tag (as received, PCP included) goes back into the
                // frame (vlan_insert_inner_tag), except on a bridge or macvlan port.
                let port = self.dev(v).master.is_some_and(|m| self.is_bridge(m))
                    || self.dev(v).macvlan_port.is_some();
                if reorder || port {
                    vlan_remove_tag(&mut skb);
                }
                skb.priority = prio;
                if self.dev(v).ns != self.dev(d).ns {
                    skb.scrub(skb.mark != 0);
                }
                // another_round with skb->dev = the VLAN device.
                self.netif_receive_skb(v, skb);
                None
            }
            // A priority tag: stripped, the frame stays on this device.
            None if id == 0 => {
                vlan_remove_tag(&mut skb);
                Some(skb)
            }
            // A non-zero id without a device: PACKET_OTHERHOST for the protocols (a bridge or
            // macvlan rx handler still gets the tagged frame).
            None if self.dev(d).master.is_some() || self.dev(d).macvlan_port.is_some() => Some(skb),
            None => {
                self.kfree_skb_reason(
                    Some(d),
                    crate::dropreason::SkbDropReason::OtherHost,
                    "ip_rcv_core",
                );
                None
            }
        }
    }
}

/// The frame's outer ethertype is `proto` (a tag of that protocol follows the addresses).
fn frame_has_tag(data: &[u8], proto: u16) -> bool {
    data.len() >= 14 && u16::from_be_bytes([data[12], data[13]]) == proto
}

/// `vlan_changelink`: the flags (`vlan_dev_change_flags`), then the ingress and the egress
/// mappings in the order given.
fn vlan_changelink(v: &mut VlanDev, data: &VlanData) -> Result<(), RtnlError> {
    if let Some((f, m)) = data.flags {
        v.flags = (v.flags & !m) | (f & m);
    }
    if v.flags & (VLAN_FLAG_GVRP | VLAN_FLAG_MVRP) != 0 {
        return Err(RtnlError::not_modelled("VLAN GVRP/MVRP registration"));
    }
    for &(from, to) in data.ingress_qos.iter().flatten() {
        v.set_ingress_priority(to, from);
    }
    for &(from, to) in data.egress_qos.iter().flatten() {
        v.set_egress_priority(from, to);
    }
    Ok(())
}

/// `vlan_insert_tag`: 4 bytes (protocol, TCI: PCP and id) after the MAC addresses.
fn vlan_insert_tag(skb: &mut SkBuff, proto: u16, tci: u16) {
    let old = skb.data().to_vec();
    if old.len() < 12 {
        return;
    }
    let mut v = Vec::with_capacity(old.len() + VLAN_HLEN);
    v.extend_from_slice(&old[..12]);
    v.extend_from_slice(&proto.to_be_bytes());
    v.extend_from_slice(&tci.to_be_bytes());
    v.extend_from_slice(&old[12..]);
    skb.set_data(v);
}

/// The tag after the MAC addresses goes (`skb_vlan_untag`).
fn vlan_remove_tag(skb: &mut SkBuff) {
    let old = skb.data();
    if old.len() < 12 + VLAN_HLEN {
        return;
    }
    let mut v = Vec::with_capacity(old.len() - VLAN_HLEN);
    v.extend_from_slice(&old[..12]);
    v.extend_from_slice(&old[12 + VLAN_HLEN..]);
    skb.set_data(v);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev() -> VlanDev {
        VlanDev {
            real_dev: 0,
            proto: ETH_P_8021Q,
            id: 10,
            flags: VLAN_FLAG_REORDER_HDR,
            ingress_priority_map: [0; 8],
            nr_ingress_mappings: 0,
            egress_priority_map: Default::default(),
            nr_egress_mappings: 0,
        }
    }

    /// The maps as `ip -d link show` printed them on the VM (tests/kernel/nslab-vlan-qos,
    /// tests/recorded/vlan-qos): buckets by `priority & 0xf`, the newest mapping first, the
    /// PCP masked to 3 bits, mappings to 0 kept but hidden, the ingress PCP masked too.
    #[test]
    fn qos_maps_are_dumped_as_the_kernel_keeps_them() {
        let mut v = dev();
        for (from, to) in [(0, 1), (6, 5), (2, 3), (1, 2), (17, 3), (5, 9)] {
            v.set_egress_priority(from, to);
        }
        let eg = |v: &VlanDev| v.qos_maps().1;
        assert_eq!(
            eg(&v),
            Some(vec![(0, 1), (17, 3), (1, 2), (2, 3), (5, 1), (6, 5)])
        );
        for (from, to) in [(6, 0), (0, 0), (17, 0)] {
            v.set_egress_priority(from, to);
        }
        assert_eq!(eg(&v), Some(vec![(1, 2), (2, 3), (5, 1)]));
        // A removed mapping gives PCP 0; `5:9` is PCP 1.
        assert_eq!(v.egress_qos_mask(6), 0);
        assert_eq!(v.egress_qos_mask(5), 1 << VLAN_PRIO_SHIFT);
        // `0x10:010` (PCP 8) is stored as PCP 0: not shown either.
        for (from, to) in [(2, 0), (1, 0), (5, 0), (16, 8)] {
            v.set_egress_priority(from, to);
        }
        assert_eq!(eg(&v), None);
        let mut v = dev();
        for (from, to) in [(u32::MAX, 7), (16, 1), (7, 7)] {
            v.set_egress_priority(from, to);
        }
        assert_eq!(eg(&v), Some(vec![(16, 1), (7, 7), (u32::MAX, 7)]));
        // Ingress: `1:2 9:7 5:3` is { 1:7 5:3 }; a received PCP 1 gives priority 7.
        for (from, to) in [(1, 2), (9, 7), (5, 3)] {
            v.set_ingress_priority(to, from);
        }
        assert_eq!(v.qos_maps().0, Some(vec![(1, 7), (5, 3)]));
        assert_eq!(v.ingress_priority(10 | (1 << VLAN_PRIO_SHIFT)), 7);
        assert_eq!(v.ingress_priority(10), 0);
        v.set_ingress_priority(0, 1);
        v.set_ingress_priority(0, 5);
        assert_eq!(v.qos_maps().0, None);
    }
}

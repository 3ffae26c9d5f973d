//! `net/bridge/br_vlan.c`: the VLAN-aware bridge (`CONFIG_BRIDGE_VLAN_FILTERING`).
//!
//! Every port and the bridge device itself have a VLAN group (`struct net_bridge_vlan_group`):
//! a set of VLAN ids, each with the `untagged` flag, and one of them possibly the PVID. A new
//! bridge gets its `default_pvid` (1) as `PVID untagged` (`br_vlan_init`), a new port too
//! (`nbp_vlan_init`); `bridge vlan add|del` changes them. Each VLAN of a port (and each
//! bridge-device VLAN, `BRENTRY`) enters the device's address into the fdb for that VLAN.
//!
//! With `vlan_filtering 1` (`BROPT_VLAN_ENABLED`) every frame belongs to one VLAN while it is
//! bridged:
//!
//! - ingress (`br_allowed_ingress`): a frame tagged with the bridge's `vlan_protocol` belongs to
//!   its VLAN, which the port must have; an untagged or priority-tagged frame belongs to the
//!   port's PVID, and is dropped when the port has none. Frames the bridge device sends pass
//!   the same check against the bridge's own VLAN group (`br_dev_xmit`).
//! - learning and fdb lookups are per (address, VLAN).
//! - egress (`br_allowed_egress`, `br_handle_vlan`): a port (or the bridge device, for frames
//!   going up its stack) must have the VLAN; the frame leaves untagged where the VLAN is
//!   `untagged`, tagged otherwise.
//!
//! The kernel carries the tag in the skb (`skb->vlan_tci`, the "hardware accelerated" tag) while
//! bridging; the model takes it out of the frame bytes at ingress, passes the VLAN id along and
//! writes the tag back at egress, which is what a capture shows in both cases.
//!
//! Without `CONFIG_BRIDGE_VLAN_FILTERING` (the recording host's kernel, [`Kernel::br_vlan_config`]
//! off) none of this exists: `vlan_filtering 1` answers EOPNOTSUPP, bridges have no VLAN groups
//! and no per-VLAN fdb entries, and `ip -d link` shows none of the VLAN attributes.
//!
//! # Differences from Linux
//! Not modelled: per-VLAN STP states, VLAN statistics (`vlan_stats_enabled`), VLAN tunnels,
//! VLAN ranges in the compressed dump (`bridge -c vlan show`), multicast VLAN snooping.
//! The priority bits of a tag travel with the frame (`SkBuff::vlan_pcp_tci`): a tagged or
//! priority-tagged frame keeps its PCP, an untagged one gets the PVID with PCP 0.

use crate::errno::Errno;
use crate::kernel::{DevId, Kernel};
use crate::net::bridge::{FdbEntry, FdbKey};
use crate::net::rtnetlink::RtnlError;
use crate::net::skbuff::SkBuff;
use crate::net::vlan::{ETH_P_8021AD, ETH_P_8021Q, VLAN_HLEN, VLAN_PRIO_MASK, VLAN_VID_MASK};
use std::collections::BTreeMap;

/// `BRIDGE_VLAN_INFO_*` (include/uapi/linux/if_bridge.h).
pub const BRIDGE_VLAN_INFO_MASTER: u16 = 1 << 0;
pub const BRIDGE_VLAN_INFO_PVID: u16 = 1 << 1;
pub const BRIDGE_VLAN_INFO_UNTAGGED: u16 = 1 << 2;
pub const BRIDGE_VLAN_INFO_RANGE_BEGIN: u16 = 1 << 3;
pub const BRIDGE_VLAN_INFO_RANGE_END: u16 = 1 << 4;
pub const BRIDGE_VLAN_INFO_BRENTRY: u16 = 1 << 5;

/// One VLAN of a group (`struct net_bridge_vlan`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BrVlan {
    /// `BRIDGE_VLAN_INFO_UNTAGGED`: frames of this VLAN leave untagged.
    pub untagged: bool,
}

/// `struct net_bridge_vlan_group`: the VLANs by id and the PVID (0: none).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BrVlanGroup {
    pub vlans: BTreeMap<u16, BrVlan>,
    pub pvid: u16,
}

impl BrVlanGroup {
    /// `__vlan_add_flags`: PVID on or off, `untagged` as given.
    fn add_flags(&mut self, vid: u16, flags: u16) {
        let v = self.vlans.entry(vid).or_insert(BrVlan { untagged: false });
        v.untagged = flags & BRIDGE_VLAN_INFO_UNTAGGED != 0;
        if flags & BRIDGE_VLAN_INFO_PVID != 0 {
            self.pvid = vid;
        } else if self.pvid == vid {
            self.pvid = 0;
        }
    }

    /// `vlan_default_pvid`: `vid` is this group's PVID and untagged (as the default made it).
    fn is_default_pvid(&self, vid: u16) -> bool {
        self.pvid == vid && self.vlans.get(&vid).is_some_and(|v| v.untagged)
    }

    fn del(&mut self, vid: u16) -> bool {
        if self.pvid == vid {
            self.pvid = 0;
        }
        self.vlans.remove(&vid).is_some()
    }
}

/// `br_vlan_valid_id` with the module's extack text.
pub fn br_vlan_valid_id(vid: u16) -> Result<(), RtnlError> {
    if vid == 0 || vid >= VLAN_VID_MASK {
        return Err(RtnlError::extack(
            Errno::EINVAL,
            "bridge: Vlan id is invalid",
        ));
    }
    Ok(())
}

impl Kernel {
    fn br_vlan_bridge(&self, br: DevId) -> &crate::net::bridge::Bridge {
        match &self.dev(br).kind {
            crate::kernel::DevKind::Bridge(b) => b,
            _ => unreachable!("a bridge"),
        }
    }
    fn br_vlan_bridge_mut(&mut self, br: DevId) -> &mut crate::net::bridge::Bridge {
        match &mut self.dev_mut(br).kind {
            crate::kernel::DevKind::Bridge(b) => b,
            _ => unreachable!("a bridge"),
        }
    }

    /// The VLAN group of a port (`nbp_vlan_group`) or, for `None`, of the bridge device.
    pub fn br_vlan_group(&self, br: DevId, port: Option<DevId>) -> Option<&BrVlanGroup> {
        let b = self.br_vlan_bridge(br);
        match port {
            None => b.vlgrp.as_ref(),
            Some(p) => b.port_vlgrp.get(&p),
        }
    }

    fn br_vlan_group_mut(&mut self, br: DevId, port: Option<DevId>) -> Option<&mut BrVlanGroup> {
        let b = self.br_vlan_bridge_mut(br);
        match port {
            None => b.vlgrp.as_mut(),
            Some(p) => b.port_vlgrp.get_mut(&p),
        }
    }

    /// `br_fdb_add_local`: the device's own address for `vid` (`br_fdb_insert`).
    fn br_fdb_add_local(&mut self, br: DevId, port: Option<DevId>, vid: u16) {
        let mac = self.dev(port.unwrap_or(br)).mac;
        let now = self.now;
        let seq = self.br_vlan_bridge_mut(br).fdb_next_seq();
        let b = self.br_vlan_bridge_mut(br);
        if b.fdb.get(&FdbKey::new(mac, vid)).is_some_and(|e| e.local) {
            return;
        }
        b.fdb.insert(
            FdbKey::new(mac, vid),
            FdbEntry {
                port,
                local: true,
                is_static: true,
                sticky: false,
                updated: now,
                seq,
            },
        );
    }

    /// `br_fdb_find_delete_local` + `br_fdb_delete_by_port(br, p, vid, 0)`: a VLAN goes from a
    /// port (or the bridge device): its local entry and what was learned on it for that VLAN.
    fn br_fdb_delete_vlan(&mut self, br: DevId, port: Option<DevId>, vid: u16) {
        let mac = self.dev(port.unwrap_or(br)).mac;
        let b = self.br_vlan_bridge_mut(br);
        if b.fdb
            .get(&FdbKey::new(mac, vid))
            .is_some_and(|e| e.local && e.port == port)
        {
            b.fdb.remove(&FdbKey::new(mac, vid));
        }
        b.fdb
            .retain(|k, e| !(k.vid() == vid && e.port == port && !e.is_static));
    }

    /// `br_vlan_init` (from `br_dev_init`): the bridge's group with the default PVID 1.
    pub fn br_vlan_init(&mut self, br: DevId) {
        if !self.br_vlan_config {
            return;
        }
        let b = self.br_vlan_bridge_mut(br);
        b.vlgrp = Some(BrVlanGroup::default());
        b.vlan_proto = ETH_P_8021Q;
        b.default_pvid = 1;
        self.br_vlan_add(
            br,
            1,
            BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED | BRIDGE_VLAN_INFO_BRENTRY,
        );
    }

    /// `nbp_vlan_init` (from `br_add_if`): the port's group with the bridge's default PVID.
    pub fn nbp_vlan_init(&mut self, br: DevId, port: DevId) {
        if !self.br_vlan_config {
            return;
        }
        let pvid = self.br_vlan_bridge(br).default_pvid;
        self.br_vlan_bridge_mut(br)
            .port_vlgrp
            .insert(port, BrVlanGroup::default());
        if pvid != 0 {
            self.nbp_vlan_add(
                br,
                port,
                pvid,
                BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED,
            );
        }
    }

    /// `br_vlan_add`: a VLAN of the bridge device itself (`bridge vlan add ... self`).
    pub fn br_vlan_add(&mut self, br: DevId, vid: u16, flags: u16) {
        let Some(vg) = self.br_vlan_group_mut(br, None) else {
            return;
        };
        let new = !vg.vlans.contains_key(&vid);
        vg.add_flags(vid, flags);
        if new {
            self.br_fdb_add_local(br, None, vid);
        }
    }

    /// `br_vlan_delete`: ENOENT when the bridge device does not have the VLAN.
    pub fn br_vlan_delete(&mut self, br: DevId, vid: u16) -> Result<(), RtnlError> {
        let Some(vg) = self.br_vlan_group_mut(br, None) else {
            return Err(Errno::ENOENT.into());
        };
        if !vg.del(vid) {
            return Err(Errno::ENOENT.into());
        }
        self.br_fdb_delete_vlan(br, None, vid);
        Ok(())
    }

    /// `nbp_vlan_add`.
    pub fn nbp_vlan_add(&mut self, br: DevId, port: DevId, vid: u16, flags: u16) {
        let Some(vg) = self.br_vlan_group_mut(br, Some(port)) else {
            return;
        };
        let new = !vg.vlans.contains_key(&vid);
        vg.add_flags(vid, flags);
        if new {
            self.br_fdb_add_local(br, Some(port), vid);
        }
    }

    /// `nbp_vlan_delete`: ENOENT when the port does not have the VLAN.
    pub fn nbp_vlan_delete(&mut self, br: DevId, port: DevId, vid: u16) -> Result<(), RtnlError> {
        let Some(vg) = self.br_vlan_group_mut(br, Some(port)) else {
            return Err(Errno::ENOENT.into());
        };
        if !vg.del(vid) {
            return Err(Errno::ENOENT.into());
        }
        self.br_fdb_delete_vlan(br, Some(port), vid);
        Ok(())
    }

    /// `br_vlan_filter_toggle`.
    pub fn br_vlan_filter_toggle(&mut self, br: DevId, on: bool) -> Result<(), RtnlError> {
        if !self.br_vlan_config {
            return Err(Errno::EOPNOTSUPP.into());
        }
        self.br_vlan_bridge_mut(br).vlan_enabled = on;
        Ok(())
    }

    /// `__br_vlan_set_proto`.
    pub fn br_vlan_set_proto(&mut self, br: DevId, proto: u16) -> Result<(), RtnlError> {
        if !self.br_vlan_config {
            return Err(Errno::EOPNOTSUPP.into());
        }
        if proto != ETH_P_8021Q && proto != ETH_P_8021AD {
            return Err(Errno::EPROTONOSUPPORT.into());
        }
        self.br_vlan_bridge_mut(br).vlan_proto = proto;
        Ok(())
    }

    /// `__br_vlan_set_default_pvid`: the old default PVID is replaced on the bridge device and
    /// on every port where it is still as the default made it (PVID, untagged) and the new one
    /// is not configured yet.
    pub fn br_vlan_set_default_pvid(&mut self, br: DevId, pvid: u16) -> Result<(), RtnlError> {
        if !self.br_vlan_config {
            return Err(Errno::EOPNOTSUPP.into());
        }
        // (recorded on 6.1: `vlan_default_pvid 4095` answers EINVAL without a message)
        if pvid >= VLAN_VID_MASK {
            return Err(Errno::EINVAL.into());
        }
        let old = self.br_vlan_bridge(br).default_pvid;
        if old == pvid {
            return Ok(());
        }
        let vg = self.br_vlan_group(br, None).cloned().unwrap_or_default();
        if (old == 0 || vg.is_default_pvid(old)) && !vg.vlans.contains_key(&pvid) {
            if pvid != 0 {
                self.br_vlan_add(
                    br,
                    pvid,
                    BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED | BRIDGE_VLAN_INFO_BRENTRY,
                );
            }
            if old != 0 {
                let _ = self.br_vlan_delete(br, old);
            }
        }
        let ports = self.br_vlan_bridge(br).ports.clone();
        for p in ports.into_iter().rev() {
            let vg = self.br_vlan_group(br, Some(p)).cloned().unwrap_or_default();
            if (old != 0 && !vg.is_default_pvid(old)) || vg.vlans.contains_key(&pvid) {
                continue;
            }
            if pvid != 0 {
                self.nbp_vlan_add(
                    br,
                    p,
                    pvid,
                    BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED,
                );
            }
            if old != 0 {
                let _ = self.nbp_vlan_delete(br, p, old);
            }
        }
        self.br_vlan_bridge_mut(br).default_pvid = pvid;
        Ok(())
    }

    /// Whether the bridge filters by VLAN (`BROPT_VLAN_ENABLED`).
    pub fn br_vlan_enabled(&self, br: DevId) -> bool {
        self.br_vlan_bridge(br).vlan_enabled
    }

    /// `br_allowed_ingress` for a frame entering from `port` (or sent by the bridge device,
    /// `None`): its VLAN id (0 when the bridge does not filter), the tag taken out of the bytes;
    /// `None` when the frame must be dropped.
    pub fn br_allowed_ingress(
        &self,
        br: DevId,
        port: Option<DevId>,
        skb: &mut SkBuff,
    ) -> Option<u16> {
        let b = self.br_vlan_bridge(br);
        if !b.vlan_enabled {
            return Some(0);
        }
        let vg = self.br_vlan_group(br, port)?;
        let data = skb.data();
        let mut vid = 0;
        // An untagged frame's tag (the PVID's) gets PCP 0; a priority-tagged frame keeps its
        // PCP with the PVID ("We update only VID field and preserve PCP field").
        let mut pcp = 0;
        if data.len() >= 14 + VLAN_HLEN && u16::from_be_bytes([data[12], data[13]]) == b.vlan_proto
        {
            let tci = u16::from_be_bytes([data[14], data[15]]);
            vid = tci & VLAN_VID_MASK;
            pcp = tci & VLAN_PRIO_MASK;
            skb_vlan_untag(skb);
        }
        skb.vlan_pcp_tci = pcp;
        if vid == 0 {
            // Untagged or priority-tagged: the PVID's, if the port has one.
            if vg.pvid == 0 {
                return None;
            }
            return Some(vg.pvid);
        }
        vg.vlans.contains_key(&vid).then_some(vid)
    }

    /// `br_allowed_egress`: `port` (or the bridge device) has the frame's VLAN.
    pub fn br_allowed_egress(&self, br: DevId, port: Option<DevId>, vid: u16) -> bool {
        if !self.br_vlan_enabled(br) {
            return true;
        }
        self.br_vlan_group(br, port)
            .is_some_and(|vg| vg.vlans.contains_key(&vid))
    }

    /// `br_handle_vlan`: the frame leaves `port` (or goes up the bridge device) tagged unless the
    /// VLAN is untagged there. `false`: the VLAN is not configured there (dropped).
    pub fn br_handle_vlan(
        &self,
        br: DevId,
        port: Option<DevId>,
        vid: u16,
        skb: &mut SkBuff,
    ) -> bool {
        let b = self.br_vlan_bridge(br);
        if !b.vlan_enabled {
            return true;
        }
        let proto = b.vlan_proto;
        let Some(v) = self
            .br_vlan_group(br, port)
            .and_then(|vg| vg.vlans.get(&vid))
        else {
            return false;
        };
        if !v.untagged {
            let tci = (vid & VLAN_VID_MASK) | (skb.vlan_pcp_tci & VLAN_PRIO_MASK);
            skb_vlan_push(skb, proto, tci);
        }
        true
    }

    /// A port leaves the bridge (`nbp_vlan_flush`).
    pub fn nbp_vlan_flush(&mut self, br: DevId, port: DevId) {
        self.br_vlan_bridge_mut(br).port_vlgrp.remove(&port);
    }

    /// The fdb keys of a device's own (local) address, one per VLAN it has plus VLAN 0:
    /// what `br_fdb_changeaddr` / `br_fdb_change_mac_address` move to a new address.
    pub fn br_local_vids(&self, br: DevId, port: Option<DevId>) -> Vec<u16> {
        let mut v = vec![0];
        if let Some(vg) = self.br_vlan_group(br, port) {
            v.extend(vg.vlans.keys().copied());
        }
        v
    }
}

/// `skb_vlan_untag`: the tag after the MAC addresses goes.
fn skb_vlan_untag(skb: &mut SkBuff) {
    let old = skb.data();
    if old.len() < 12 + VLAN_HLEN {
        return;
    }
    let mut v = Vec::with_capacity(old.len() - VLAN_HLEN);
    v.extend_from_slice(&old[..12]);
    v.extend_from_slice(&old[12 + VLAN_HLEN..]);
    skb.set_data(v);
}

/// `__vlan_hwaccel_put_tag` as a capture shows it: the tag (PCP and id) after the MAC
/// addresses.
fn skb_vlan_push(skb: &mut SkBuff, proto: u16, tci: u16) {
    let old = skb.data();
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

#[cfg(test)]
mod tests {
    use crate::kernel::Kernel;
    use crate::tools::{ip::ip, net_tools::bridge, ToolOutput};

    fn run(k: &mut Kernel, tool: &str, line: &str) -> ToolOutput {
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        match tool {
            "ip" => ip(k, 0, &args),
            _ => bridge(k, 0, &args),
        }
    }

    /// Recorded on the host's 6.18 kernel (no `CONFIG_BRIDGE_VLAN_FILTERING`): the request is
    /// refused and no bridge is left behind; `bridge vlan show` prints only its header.
    #[test]
    fn without_vlan_filtering_compiled_in() {
        let mut k = Kernel::new(1);
        let o = run(&mut k, "ip", "link add br0 type bridge vlan_filtering 1");
        assert_eq!(o.stderr, "RTNETLINK answers: Operation not supported\n");
        assert_eq!(o.status, 2);
        assert!(k.dev_by_name(0, "br0").is_none());
        run(&mut k, "ip", "link add br0 type bridge");
        run(&mut k, "ip", "link add d0 type veth peer name d1");
        run(&mut k, "ip", "link set d0 master br0");
        let o = run(&mut k, "bridge", "vlan show");
        assert_eq!(o.stdout, "port              vlan-id  \n");
        // No per-VLAN local entries and no VLAN attributes in `ip -d link`.
        let o = run(&mut k, "bridge", "fdb show");
        assert!(!o.stdout.contains(" vlan "), "{}", o.stdout);
        let o = run(&mut k, "ip", "-d link show br0");
        assert!(
            o.stdout.contains(" vlan_filtering 0 bridge_id "),
            "{}",
            o.stdout
        );
        assert!(!o.stdout.contains("vlan_default_pvid"), "{}", o.stdout);
    }

    /// With it (the oracle VM's 6.1): a port's VLANs and PVID, the bridge's own VLANs with
    /// `self`, texts as recorded in nslab-bridge-vlan.
    #[test]
    fn vlans_of_ports_and_of_the_bridge() {
        let mut k = Kernel::new(1);
        k.br_vlan_config = true;
        run(&mut k, "ip", "link add br0 type bridge vlan_filtering 1");
        run(&mut k, "ip", "link add p1 type veth peer name e1");
        run(&mut k, "ip", "link set p1 master br0");
        let o = run(&mut k, "bridge", "vlan add dev p1 vid 10 pvid untagged");
        assert_eq!((o.status, o.stderr.as_str()), (0, ""));
        run(&mut k, "bridge", "vlan del dev p1 vid 1");
        run(&mut k, "bridge", "vlan add dev p1 vid 20-21");
        run(&mut k, "bridge", "vlan add dev br0 vid 10 self");
        let o = run(&mut k, "bridge", "vlan show");
        assert_eq!(
            o.stdout,
            "port              vlan-id  \n\
             br0               1 PVID Egress Untagged\n\
             \x20                 10\n\
             p1                10 PVID Egress Untagged\n\
             \x20                 20\n\
             \x20                 21\n"
        );
        for (line, err) in [
            (
                "vlan add dev p1 vid 4095",
                "Error: bridge: Vlan id is invalid.\n",
            ),
            (
                "vlan add dev p1",
                "Device and VLAN ID are required arguments.\n",
            ),
            (
                "vlan add dev p1 vid 12-11",
                "Invalid VLAN range \"12-11\"\n",
            ),
            (
                "vlan add dev br0 vid 30",
                "RTNETLINK answers: Operation not supported\n",
            ),
        ] {
            let o = run(&mut k, "bridge", line);
            assert_eq!((o.status, o.stderr.as_str()), (255, err), "{line}");
        }
        // Deleting a VLAN the port does not have is no error.
        let o = run(&mut k, "bridge", "vlan del dev p1 vid 99");
        assert_eq!(o.status, 0);
    }
}

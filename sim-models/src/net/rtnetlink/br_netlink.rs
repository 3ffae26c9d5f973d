//! `AF_BRIDGE` link requests for VLANs (`net/bridge/br_netlink.c`): `RTM_SETLINK` /
//! `RTM_DELLINK` with `IFLA_AF_SPEC` holding `IFLA_BRIDGE_VLAN_INFO` entries (what `bridge vlan
//! add|del` sends), routed by `rtnl_bridge_setlink` to the master bridge of a port or to the
//! device itself (`self`), and the `RTEXT_FILTER_BRVLAN` link dump `bridge vlan show` reads.

use super::{IfIndex, RtnlError};
use crate::errno::Errno;
use crate::kernel::{DevKind, Kernel, NsId};
use crate::net::br_vlan::{
    br_vlan_valid_id, BRIDGE_VLAN_INFO_BRENTRY, BRIDGE_VLAN_INFO_PVID,
    BRIDGE_VLAN_INFO_RANGE_BEGIN, BRIDGE_VLAN_INFO_RANGE_END, BRIDGE_VLAN_INFO_UNTAGGED,
};

/// `IFLA_BRIDGE_FLAGS`.
pub const BRIDGE_FLAGS_MASTER: u16 = 1;
pub const BRIDGE_FLAGS_SELF: u16 = 2;

/// `struct bridge_vlan_info`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BridgeVlanInfo {
    pub flags: u16,
    pub vid: u16,
}

/// One device of the `RTEXT_FILTER_BRVLAN` dump: its VLANs in id order, each with
/// `BRIDGE_VLAN_INFO_PVID` / `BRIDGE_VLAN_INFO_UNTAGGED`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrVlanDump {
    pub ifindex: IfIndex,
    pub name: String,
    pub vlans: Vec<BridgeVlanInfo>,
}

impl Kernel {
    /// `rtnl_bridge_setlink` (`del` false) / `rtnl_bridge_dellink` (`del` true) with VLAN
    /// entries: without `IFLA_BRIDGE_FLAGS` (or with `master`) the port's master bridge
    /// handles it, with `self` the device itself must be a bridge.
    pub fn rtnl_bridge_setlink_vlan(
        &mut self,
        ns: NsId,
        ifindex: IfIndex,
        flags: Option<u16>,
        vinfo: &[BridgeVlanInfo],
        del: bool,
    ) -> Result<(), RtnlError> {
        let d = self
            .dev_by_ifindex(ns, ifindex)
            .ok_or(RtnlError::new(Errno::ENODEV))?;
        let flags = flags.unwrap_or(0);
        let (br, port) = if flags == 0 || flags & BRIDGE_FLAGS_MASTER != 0 {
            match self.dev(d).master.filter(|&m| self.is_bridge(m)) {
                Some(br) => (br, Some(d)),
                None => return Err(Errno::EOPNOTSUPP.into()),
            }
        } else if self.is_bridge(d) {
            (d, None)
        } else {
            return Err(Errno::EOPNOTSUPP.into());
        };
        if !self.br_vlan_config {
            return Err(Errno::EOPNOTSUPP.into());
        }
        // br_process_vlan_info: a range is a RANGE_BEGIN entry and a RANGE_END entry.
        let mut i = 0;
        while i < vinfo.len() {
            let v = vinfo[i];
            let (first, last, f) = if v.flags & BRIDGE_VLAN_INFO_RANGE_BEGIN != 0 {
                let Some(e) = vinfo
                    .get(i + 1)
                    .filter(|e| e.flags & BRIDGE_VLAN_INFO_RANGE_END != 0)
                else {
                    return Err(Errno::EINVAL.into());
                };
                i += 1;
                if v.flags & BRIDGE_VLAN_INFO_PVID != 0 || e.vid <= v.vid {
                    return Err(Errno::EINVAL.into());
                }
                br_vlan_valid_id(e.vid)?;
                (v.vid, e.vid, v.flags & !BRIDGE_VLAN_INFO_RANGE_BEGIN)
            } else {
                (v.vid, v.vid, v.flags)
            };
            br_vlan_valid_id(first)?;
            for vid in first..=last {
                // br_vlan_info.
                match (del, port) {
                    (false, Some(p)) => self.nbp_vlan_add(br, p, vid, f),
                    (false, None) => self.br_vlan_add(br, vid, f | BRIDGE_VLAN_INFO_BRENTRY),
                    // RTM_DELLINK ignores a VLAN that is not there.
                    (true, Some(p)) => {
                        let _ = self.nbp_vlan_delete(br, p, vid);
                    }
                    (true, None) => {
                        let _ = self.br_vlan_delete(br, vid);
                    }
                }
            }
            i += 1;
        }
        Ok(())
    }

    /// The `AF_BRIDGE` link dump with `RTEXT_FILTER_BRVLAN`: every bridge and bridge port of
    /// the namespace with VLANs, in ifindex order.
    pub fn rtnl_bridge_vlan_dump(&self, ns: NsId) -> Vec<BrVlanDump> {
        let mut out = Vec::new();
        for (d, x) in self.dump_ns_devs(ns) {
            let vg = match &x.kind {
                DevKind::Bridge(b) => b.vlgrp.as_ref(),
                _ => match x.master.map(|m| &self.dev(m).kind) {
                    Some(DevKind::Bridge(b)) => b.port_vlgrp.get(&d),
                    _ => None,
                },
            };
            let Some(vg) = vg.filter(|vg| !vg.vlans.is_empty()) else {
                continue;
            };
            let vlans = vg
                .vlans
                .iter()
                .map(|(&vid, v)| {
                    let mut flags = 0;
                    if vg.pvid == vid {
                        flags |= BRIDGE_VLAN_INFO_PVID;
                    }
                    if v.untagged {
                        flags |= BRIDGE_VLAN_INFO_UNTAGGED;
                    }
                    BridgeVlanInfo { flags, vid }
                })
                .collect();
            out.push(BrVlanDump {
                ifindex: x.ifindex,
                name: x.name.clone(),
                vlans,
            });
        }
        out
    }
}

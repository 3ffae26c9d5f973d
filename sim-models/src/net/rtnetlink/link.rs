//! `RTM_NEWLINK` / `RTM_DELLINK` / `RTM_SETLINK` (`net/core/rtnetlink.c` `rtnl_newlink`,
//! `rtnl_dellink`, `do_setlink`), the kinds' `newlink` handlers (veth, bridge, dummy, vxlan,
//! ipip), and the IPIP tunnel ioctls (`SIOCADDTUNNEL`, `SIOCCHGTUNNEL`, `SIOCDELTUNNEL`,
//! `SIOCGETTUNNEL`: `ip_tunnel_ctl`). `RTM_GETLINK` (one device or a dump) is in [`super::dump`].

use super::{IfIndex, RtnlError};
use crate::errno::Errno;
use crate::kernel::{DevId, DevKind, Kernel, NsId};
use crate::net::bridge::Bridge;
use crate::net::ip_tunnel::{TnlKind, TunnelParms, TUNNEL_KEY};
use crate::net::ipip::IPIP_MAX_MTU;
use crate::net::neigh::{NUD_PERMANENT, NUD_REACHABLE};
use crate::net::vxlan::{FdbOp, Vxlan, VxlanRdst, VXLAN_HEADROOM};
use crate::wire::{Mac, ETH_ZERO};

/// The attributes of a new device (`IFLA_IFNAME`, `IFLA_MTU`, `IFLA_ADDRESS`,
/// `IFLA_NET_NS_FD`, `IFF_UP`), or of a veth's peer (`VETH_INFO_PEER`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkAttrs {
    pub name: Option<String>,
    pub mtu: Option<u32>,
    pub mac: Option<Mac>,
    pub netns: Option<NsId>,
    pub up: bool,
    /// `IFLA_LINK`: the lower device of a macvlan/vlan/ipvlan (an ifindex of the requesting
    /// namespace, `link_net`).
    pub link: Option<IfIndex>,
}

/// `IFLA_LINKINFO`: the kind and its data.
#[derive(Clone, Debug)]
pub enum LinkInfo {
    Veth {
        peer: LinkAttrs,
    },
    Bridge,
    Dummy,
    /// The VXLAN configuration (`link` unset) and its underlay device (`IFLA_VXLAN_LINK`);
    /// `cfg` is `None` when the request carries no `IFLA_INFO_DATA` (`type vxlan` alone).
    Vxlan {
        cfg: Option<Box<Vxlan>>,
        link: Option<IfIndex>,
    },
    Ipip(TunnelParms),
    /// `IFLA_GRE_*` of a `gre`, `gretap` or `erspan` device (GRE header flags as sent).
    Gre(super::dump::GreInfo),
    /// `IFLA_MACVLAN_*`.
    Macvlan(crate::net::macvlan::MacvlanData),
    /// `IFLA_IPVLAN_*`.
    Ipvlan(crate::net::ipvlan::IpvlanData),
    /// A bridge with `IFLA_INFO_DATA` (`br_dev_newlink` → `br_changelink`).
    BridgeOpts(crate::net::bridge::BrDevOpts),
    /// `IFLA_VLAN_*` (`None`: no `IFLA_INFO_DATA`).
    Vlan(Option<crate::net::vlan::VlanData>),
    /// `IFLA_BOND_*`.
    Bond(crate::net::bonding::BondOpts),
    /// `IFLA_VRF_TABLE` (`None`: no `IFLA_INFO_DATA`).
    Vrf(Option<u32>),
}

/// `RTM_NEWLINK` with `NLM_F_CREATE | NLM_F_EXCL`.
#[derive(Clone, Debug)]
pub struct NewLinkMsg {
    pub attrs: LinkAttrs,
    pub info: LinkInfo,
}

/// `RTM_NEWLINK`/`RTM_SETLINK` on an existing device (`do_setlink`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetLinkMsg {
    pub ifindex: IfIndex,
    pub up: Option<bool>,
    pub name: Option<String>,
    pub mtu: Option<u32>,
    pub mac: Option<Mac>,
    pub netns: Option<NsId>,
    /// `IFLA_MASTER`: `Some(None)` is `nomaster` (ifindex 0).
    pub master: Option<Option<IfIndex>>,
    /// `IFLA_CARRIER` (`dev_change_carrier`: dummy only, else EOPNOTSUPP).
    pub carrier: Option<bool>,
}

impl Kernel {
    fn rtnl_dev(&self, ns: NsId, ifindex: IfIndex) -> Result<DevId, RtnlError> {
        self.dev_by_ifindex(ns, ifindex)
            .ok_or_else(|| RtnlError::new(Errno::ENODEV))
    }

    /// `rtnl_newlink` → `rtnl_create_link` and the kind's `newlink`. Answers the new device's
    /// ifindex in its namespace.
    pub fn rtm_newlink(&mut self, ns: NsId, m: NewLinkMsg) -> Result<IfIndex, RtnlError> {
        let a = m.attrs;
        let name = a.name.clone().ok_or(Errno::EINVAL)?;
        // ifla_policy: IFLA_IFNAME is at most IFNAMSIZ - 1 bytes (the peer's too).
        let policy = |n: &Option<String>| n.as_ref().is_none_or(|n| n.len() < 16);
        let peer_ok = match &m.info {
            LinkInfo::Veth { peer } => policy(&peer.name),
            _ => true,
        };
        if !policy(&a.name) || !peer_ok {
            return Err(RtnlError::extack(
                Errno::EINVAL,
                "Attribute failed policy validation",
            ));
        }
        let home = a.netns.unwrap_or(ns);
        if let LinkInfo::Ipip(_) = &m.info {
            // rtnl_newlink → request_module("rtnl-link-ipip").
            self.ipip_module_load();
        }
        if let LinkInfo::Gre(_) = &m.info {
            // request_module("rtnl-link-gre") (gretap, erspan: the same module).
            self.ipgre_module_load();
        }
        if self.dev_by_name(home, &name).is_some() {
            return Err(Errno::EEXIST.into());
        }
        // dev_validate_mtu for Ethernet-like devices (veth, bridge: 68..=65535), peer too.
        let eth_mtu_ok = |m: Option<u32>| m.is_none_or(|m| (68..=65535).contains(&m));
        match &m.info {
            LinkInfo::Veth { peer } if !eth_mtu_ok(a.mtu) || !eth_mtu_ok(peer.mtu) => {
                return Err(Errno::EINVAL.into())
            }
            LinkInfo::Bridge | LinkInfo::BridgeOpts(_) if !eth_mtu_ok(a.mtu) => {
                return Err(Errno::EINVAL.into())
            }
            _ => {}
        }
        let d = match m.info {
            LinkInfo::Veth { peer } => {
                let peer_ns = peer.netns.unwrap_or(ns);
                let peer_name = match peer.name.clone() {
                    Some(n) => n,
                    None => (0..)
                        .map(|n| format!("veth{n}"))
                        .find(|n| self.dev_by_name(peer_ns, n).is_none())
                        .expect("a free name"),
                };
                if self.dev_by_name(peer_ns, &peer_name).is_some()
                    || (peer_ns == home && peer_name == name)
                {
                    return Err(Errno::EEXIST.into());
                }
                let pmac = peer.mac.unwrap_or_else(|| self.rng.eth_random_addr());
                let mac = a.mac.unwrap_or_else(|| self.rng.eth_random_addr());
                let p = self.dev_create(
                    peer_ns,
                    &peer_name,
                    DevKind::Veth { peer: None },
                    pmac,
                    peer.mtu.or(a.mtu).unwrap_or(1500),
                );
                let d = self.dev_create(
                    home,
                    &name,
                    DevKind::Veth { peer: Some(p) },
                    mac,
                    a.mtu.unwrap_or(1500),
                );
                self.dev_mut(p).kind = DevKind::Veth { peer: Some(d) };
                self.dev_mut(p).mac_set = peer.mac.is_some();
                self.dev_mut(d).mac_set = a.mac.is_some();
                if a.up {
                    self.dev_set_up(d, true);
                }
                if peer.up {
                    self.dev_set_up(p, true);
                }
                // rtnl_configure_link's notification of the new device (the peer's went out
                // before the pair was joined: veth_get_link_net gave its own namespace then).
                self.rtmsg_ifinfo(d);
                return Ok(self.dev(d).ifindex);
            }
            LinkInfo::Bridge | LinkInfo::Dummy => {
                let bridge = matches!(m.info, LinkInfo::Bridge);
                let mac = a.mac.unwrap_or_else(|| self.rng.eth_random_addr());
                let dk = if bridge {
                    DevKind::Bridge(Box::new(Bridge::new()))
                } else {
                    DevKind::Dummy
                };
                let d = self.dev_create(home, &name, dk, mac, a.mtu.unwrap_or(1500));
                self.dev_mut(d).mac_set = a.mac.is_some();
                if bridge {
                    self.br_recalculate_mac(d);
                    self.br_vlan_init(d);
                }
                d
            }
            LinkInfo::Vxlan { cfg, link } => {
                // vxlan_validate: no IFLA_INFO_DATA at all.
                let Some(cfg) = cfg else {
                    return Err(RtnlError::extack(
                        Errno::EINVAL,
                        "Required attributes not provided to perform the operation",
                    ));
                };
                let mut v = *cfg;
                v.link = match link {
                    Some(i) => Some(self.rtnl_dev(ns, i)?),
                    None => None,
                };
                self.vxlan_newlink(home, &name, a.mtu, a.mac, v)?
            }
            LinkInfo::Ipip(parms) => {
                if self.ip_tunnel_find(home, TnlKind::Ipip, &parms).is_some() {
                    return Err(Errno::EEXIST.into());
                }
                if let Some(m) = a.mtu {
                    if !(68..=IPIP_MAX_MTU).contains(&m) {
                        return Err(Errno::EINVAL.into());
                    }
                }
                self.ipip_create(home, &name, parms, a.mtu, false)
            }
            LinkInfo::Gre(g) => self.ipgre_newlink(home, &name, &a, &g)?,
            LinkInfo::Macvlan(data) => self.macvlan_newlink(home, ns, &name, &a, &data)?,
            LinkInfo::BridgeOpts(o) => {
                let mac = a.mac.unwrap_or_else(|| self.rng.eth_random_addr());
                let dk = DevKind::Bridge(Box::new(Bridge::new()));
                let d = self.dev_create(home, &name, dk, mac, a.mtu.unwrap_or(1500));
                self.dev_mut(d).mac_set = a.mac.is_some();
                self.br_recalculate_mac(d);
                self.br_vlan_init(d);
                if let Err(e) = self.br_changelink(d, &o) {
                    // rtnl_newlink: a failed changelink unregisters the new device.
                    self.dev_del(d);
                    return Err(e);
                }
                d
            }
            LinkInfo::Vlan(data) => self.vlan_newlink(home, ns, &name, &a, data.as_ref())?,
            LinkInfo::Ipvlan(data) => self.ipvlan_link_new(home, ns, &name, &a, &data)?,
            LinkInfo::Bond(o) => self.bond_newlink(home, &name, a.mac, a.mtu, &o)?,
            LinkInfo::Vrf(table) => self.vrf_newlink(home, &name, a.mac, a.mtu, table)?,
        };
        if a.up {
            self.dev_set_up(d, true);
        }
        self.rtmsg_ifinfo(d);
        Ok(self.dev(d).ifindex)
    }

    /// `vxlan_newlink`: `vxlan_config_validate` (one device per VNI and port), the MTU from the
    /// underlay, and the all-zeros default entry when `remote`/`group` was given.
    fn vxlan_newlink(
        &mut self,
        ns: NsId,
        name: &str,
        mtu: Option<u32>,
        mac: Option<Mac>,
        v: Vxlan,
    ) -> Result<DevId, RtnlError> {
        let clash = self.net(ns).devs.iter().any(|&d| match &self.dev(d).kind {
            DevKind::Vxlan(o) => o.vni == v.vni && o.dstport == v.dstport,
            _ => false,
        });
        if clash {
            return Err(RtnlError::extack(
                Errno::EEXIST,
                "A VXLAN device with the specified VNI already exists",
            ));
        }
        // vxlan_config_apply: MTU = underlay MTU - VXLAN_HEADROOM (at least 68), else 1500.
        let max_mtu = v.link.map_or(65535, |l| {
            self.dev(l).mtu.saturating_sub(VXLAN_HEADROOM).max(68)
        });
        // A requested MTU is checked against the device limits (`dev_validate_mtu`), then
        // clamped to what the underlay allows.
        let mtu = match mtu {
            Some(m) if m < 68 => {
                return Err(RtnlError::extack(
                    Errno::EINVAL,
                    "MTU must be between 68 and 65535",
                ))
            }
            Some(m) => m.min(max_mtu),
            None if v.link.is_some() => max_mtu,
            None => 1500,
        };
        let mac_given = mac.is_some();
        let mac = mac.unwrap_or_else(|| self.rng.eth_random_addr());
        let remote = v.remote;
        let link_ifindex = v.link.map_or(0, |l| self.dev(l).ifindex);
        let d = self.dev_create(ns, name, DevKind::Vxlan(Box::new(v)), mac, mtu);
        self.dev_mut(d).mac_set = mac_given;
        if !remote.is_unspecified() {
            let rd = VxlanRdst {
                ip: remote,
                port: 0,
                vni: None,
                ifindex: link_ifindex,
            };
            let _ = self.vxlan_fdb_add(d, ETH_ZERO, rd, NUD_REACHABLE | NUD_PERMANENT, FdbOp::Add);
        }
        Ok(d)
    }

    /// `rtnl_dellink`: lo cannot go; a fallback tunnel (`tunl0`, `gre0`...) is kept without an error
    /// (`ip_tunnel_dellink`).
    pub fn rtm_dellink(&mut self, ns: NsId, ifindex: IfIndex) -> Result<(), RtnlError> {
        let d = self.rtnl_dev(ns, ifindex)?;
        if matches!(self.dev(d).kind, DevKind::Loopback) {
            return Err(Errno::EOPNOTSUPP.into());
        }
        if self.ip_tunnel(d).is_some_and(|t| t.fallback) {
            return Ok(());
        }
        self.dev_del(d);
        Ok(())
    }

    /// `do_setlink`, in the kernel's order: namespace, name, address, MTU, master, flags.
    pub fn rtm_setlink(&mut self, ns: NsId, m: &SetLinkMsg) -> Result<(), RtnlError> {
        let d = self.rtnl_dev(ns, m.ifindex)?;
        let master = match m.master {
            Some(Some(i)) => Some(Some(self.rtnl_dev(ns, i)?)),
            Some(None) => Some(None),
            None => None,
        };
        if let Some(to) = m.netns {
            // dev_change_net_namespace: NETIF_F_NETNS_LOCAL (lo, tunl0) is refused before the
            // name check.
            if matches!(self.dev(d).kind, DevKind::Loopback | DevKind::Vrf(_))
                || self.ip_tunnel(d).is_some_and(|t| t.fallback)
            {
                return Err(Errno::EINVAL.into());
            }
            // Recorded on the oracle's kernel (6.18) with this extack.
            if self.dev_by_name(to, &self.dev(d).name).is_some() && to != self.dev(d).ns {
                return Err(RtnlError::extack(
                    Errno::EEXIST,
                    "An interface with the same name exists in the target netns",
                ));
            }
            if self.ip_tunnel(d).is_some() {
                return Err(RtnlError::not_modelled(
                    "moving a tunnel to another namespace (its outer packets stay in the old one)",
                ));
            }
            self.dev_change_net(d, to);
        }
        if let Some(n) = &m.name {
            let home = self.dev(d).ns;
            // dev_change_name: a running device may be renamed (recorded on the oracle's
            // kernel, 6.18: `ip link set v0 name w0` while v0 is up succeeds; Linux 6.1 said
            // EBUSY).
            if self.dev(d).name != *n {
                if self.dev_by_name(home, n).is_some() {
                    return Err(Errno::EEXIST.into());
                }
                self.dev_change_name(d, n);
                self.cap_refresh(d);
            }
        }
        if let Some(mac) = m.mac {
            self.dev_set_mac_address(d, mac)?;
        }
        if let Some(mtu) = m.mtu {
            self.dev_set_mtu(d, mtu)?;
        }
        if let Some(mst) = master {
            let cur = self.dev(d).master;
            // do_set_master: the old master's ndo_del_slave, then the new one's ndo_add_slave.
            let release = |k: &mut Kernel, c: DevId| {
                if k.netif_is_l3_master(c) {
                    k.vrf_del_slave(d);
                } else {
                    k.dev_master_release(c, d);
                }
            };
            match mst {
                // vrf_add_slave (ndo_add_slave of a VRF).
                Some(vrf) if self.netif_is_l3_master(vrf) => {
                    if cur != Some(vrf) {
                        if let Some(c) = cur {
                            release(self, c);
                        }
                        self.vrf_add_slave(vrf, d)?;
                    }
                }
                // bond_enslave (ndo_add_slave of a bond).
                Some(bond) if self.is_bond(bond) => {
                    if cur != Some(bond) {
                        if let Some(c) = cur {
                            release(self, c);
                        }
                        self.bond_enslave(bond, d)?;
                    }
                }
                Some(br) => {
                    if !self.is_bridge(br) {
                        return Err(Errno::EOPNOTSUPP.into());
                    }
                    // br_add_if: no bridging of non-Ethernet devices (loopback, tunnels), nor of
                    // bridges.
                    if matches!(self.dev(d).kind, DevKind::Loopback | DevKind::Ipip(_)) {
                        return Err(Errno::EINVAL.into());
                    }
                    if self.is_bridge(d) {
                        return Err(RtnlError::extack(
                            Errno::ELOOP,
                            "Can not enslave a bridge to a bridge",
                        ));
                    }
                    // netdev_rx_handler_register: the macvlan port holds the rx handler.
                    if self.dev(d).macvlan_port.is_some() || self.dev(d).ipvlan_port.is_some() {
                        return Err(Errno::EBUSY.into());
                    }
                    if cur != Some(br) {
                        if let Some(c) = cur {
                            release(self, c);
                        }
                        self.br_add_if(br, d);
                    }
                }
                None => {
                    if let Some(c) = cur {
                        release(self, c);
                    }
                }
            }
        }
        if let Some(u) = m.up {
            // macvlan_open: the address must not be the lower device's or an open macvlan's.
            if u && !self.dev(d).up && self.macvlan_addr_busy(d, &self.dev(d).mac) {
                return Err(Errno::EADDRINUSE.into());
            }
            self.dev_set_up(d, u);
        }
        if let Some(on) = m.carrier {
            if !matches!(self.dev(d).kind, DevKind::Dummy) {
                return Err(Errno::EOPNOTSUPP.into());
            }
            self.dev_change_carrier(d, on);
        }
        // The change's RTM_NEWLINK notification.
        self.rtmsg_ifinfo(d);
        Ok(())
    }

    /// `dev_set_mtu`: the device's limits (`dev_validate_mtu`) and the kind's `ndo_change_mtu`.
    fn dev_set_mtu(&mut self, d: DevId, m: u32) -> Result<(), RtnlError> {
        let (min, max) = match &self.dev(d).kind {
            DevKind::Loopback => (0, u32::MAX),
            // No min/max_mtu (netlink-created, tunl0): ip_tunnel_change_mtu says EINVAL.
            DevKind::Ipip(t) if !t.mtu_limits && !(68..=IPIP_MAX_MTU).contains(&m) => {
                return Err(Errno::EINVAL.into());
            }
            DevKind::Ipip(_) => (68, IPIP_MAX_MTU),
            DevKind::Vrf(_) => (crate::net::vrf::VRF_MIN_MTU, crate::net::vrf::VRF_MTU),
            // macvlan_change_mtu: not above the lower device's MTU.
            DevKind::Macvlan(v) if m > self.dev(v.lowerdev).mtu && m <= 65535 => {
                return Err(Errno::EINVAL.into());
            }
            // vlan_dev_change_mtu: not above the real device's MTU.
            DevKind::Vlan(v) if m > self.dev(v.real_dev).mtu && m <= 65535 => {
                return Err(Errno::ERANGE.into());
            }
            _ => (68, 65535),
        };
        if m > max {
            return Err(RtnlError::extack(
                Errno::EINVAL,
                "mtu greater than device maximum",
            ));
        }
        if m < min {
            return Err(RtnlError::extack(
                Errno::EINVAL,
                "mtu less than device minimum",
            ));
        }
        // vxlan_change_mtu: at most the underlay's MTU minus the VXLAN headroom.
        if let DevKind::Vxlan(v) = &self.dev(d).kind {
            let lower = v
                .link
                .filter(|&l| self.dev_alive(l))
                .map(|l| self.dev(l).mtu);
            if lower.is_some_and(|l| m + VXLAN_HEADROOM > l) {
                return Err(Errno::EINVAL.into());
            }
        }
        let orig = self.dev(d).mtu;
        self.dev_mut(d).mtu = m;
        // NETDEV_CHANGEMTU: the route exceptions through the device follow (fib_sync_mtu).
        if orig != m {
            self.fib_sync_mtu(d, orig);
        }
        // br_change_mtu marks a bridge's MTU as the user's; a port's change re-adjusts its
        // bridge (br_device_event NETDEV_CHANGEMTU).
        if let DevKind::Bridge(b) = &mut self.dev_mut(d).kind {
            b.mtu_set_by_user = true;
        } else if let Some(br) = self.dev(d).master.filter(|&b| self.is_bridge(b)) {
            self.br_mtu_auto_adjust(br);
        }
        self.macvlan_lowerdev_changemtu(d);
        self.vlan_realdev_changemtu(d);
        Ok(())
    }

    /// `br_setlink` (`RTM_SETLINK` with `IFLA_PROTINFO`: `bridge link set`) and
    /// `dev_set_mac_address`: the driver's `ndo_set_mac_address` (a macvlan's
    /// `macvlan_set_mac_address`), then `NETDEV_CHANGEADDR`.
    pub fn dev_set_mac_address(&mut self, d: DevId, mac: Mac) -> Result<(), RtnlError> {
        if mac[0] & 1 == 1 {
            return Err(Errno::EADDRNOTAVAIL.into());
        }
        let old = self.dev(d).mac;
        if matches!(self.dev(d).kind, DevKind::Macvlan(_)) {
            self.macvlan_set_mac_address(d, mac)?;
        } else {
            self.dev_mut(d).mac = mac;
            self.cap_refresh(d);
        }
        self.dev_mut(d).mac_set = true;
        let mac = self.dev(d).mac;
        // NETDEV_CHANGEADDR → arp_netdev_event → neigh_changeaddr: the device's neighbour
        // entries go (their answers were for the old address).
        self.neigh_flush_dev(d);
        if let Some(br) = self.dev(d).master.filter(|&b| self.is_bridge(b)) {
            // br_fdb_changeaddr: the port's local entries (VLAN 0 and each of its VLANs).
            for vid in self.br_local_vids(br, Some(d)) {
                if let DevKind::Bridge(b) = &mut self.dev_mut(br).kind {
                    if let Some(e) = b.fdb.remove(&crate::net::bridge::FdbKey::new(old, vid)) {
                        b.fdb.insert(crate::net::bridge::FdbKey::new(mac, vid), e);
                    }
                }
            }
            self.br_recalculate_mac(br);
        }
        if matches!(self.dev(d).kind, DevKind::Bridge(_)) {
            self.br_recalculate_mac_from(d, old);
        }
        // macvlan_device_event: a passthru macvlan follows its lower device.
        self.macvlan_lowerdev_changeaddr(d);
        Ok(())
    }

    /// `rtnl_newlink` on an existing macvlan with `IFLA_INFO_DATA` (`ip link set DEV type
    /// macvlan OPTIONS` → `macvlan_changelink`); another kind answers EOPNOTSUPP.
    pub fn rtm_changelink_macvlan(
        &mut self,
        ns: NsId,
        ifindex: IfIndex,
        o: &crate::net::macvlan::MacvlanData,
    ) -> Result<(), RtnlError> {
        let d = self
            .dev_by_ifindex(ns, ifindex)
            .ok_or(RtnlError::new(Errno::ENODEV))?;
        self.macvlan_changelink(d, o)
    }

    /// `br_port_slave_changelink` (`IFLA_INFO_SLAVE_DATA`: `ip link set ... type
    /// bridge_slave`): a device that is not a bridge port answers EOPNOTSUPP.
    pub fn rtm_setlink_brport(
        &mut self,
        ns: NsId,
        ifindex: IfIndex,
        opts: &crate::net::bridge::BrPortOpts,
    ) -> Result<(), RtnlError> {
        let d = self.rtnl_dev(ns, ifindex)?;
        if !self.dev(d).master.is_some_and(|m| self.is_bridge(m)) {
            return Err(Errno::EOPNOTSUPP.into());
        }
        self.br_setport(d, opts)
    }

    /// `RTM_NEWLINK` on an existing bond with its kind's data (`ip link set BOND type bond
    /// OPTIONS` → `bond_changelink`); another kind answers EOPNOTSUPP.
    pub fn rtm_changelink_bond(
        &mut self,
        ns: NsId,
        ifindex: IfIndex,
        o: &crate::net::bonding::BondOpts,
    ) -> Result<(), RtnlError> {
        let d = self.rtnl_dev(ns, ifindex)?;
        if !self.is_bond(d) {
            return Err(Errno::EOPNOTSUPP.into());
        }
        self.bond_changelink(d, o)
    }

    /// `RTM_NEWLINK` on an existing device with kind `vlan` (`ip link set DEV type vlan
    /// OPTIONS`): `vlan_validate` runs first (so a missing `IFLA_INFO_DATA` is its error on any
    /// device), then another kind answers EOPNOTSUPP, then `vlan_changelink`.
    pub fn rtm_changelink_vlan(
        &mut self,
        ns: NsId,
        ifindex: IfIndex,
        mac: Option<crate::wire::Mac>,
        data: Option<&crate::net::vlan::VlanData>,
    ) -> Result<(), RtnlError> {
        Self::vlan_validate(mac, data)?;
        let d = self.rtnl_dev(ns, ifindex)?;
        if self.vlan_dev(d).is_none() {
            return Err(Errno::EOPNOTSUPP.into());
        }
        self.vlan_dev_changelink(d, mac, data)
    }

    /// `RTM_NEWLINK` on an existing bridge with its kind's data (`ip link set BR type bridge
    /// OPTIONS` → `br_changelink`); another kind answers EOPNOTSUPP.
    pub fn rtm_changelink_bridge(
        &mut self,
        ns: NsId,
        ifindex: IfIndex,
        o: &crate::net::bridge::BrDevOpts,
    ) -> Result<(), RtnlError> {
        let d = self.rtnl_dev(ns, ifindex)?;
        if !self.is_bridge(d) {
            return Err(Errno::EOPNOTSUPP.into());
        }
        self.br_changelink(d, o)
    }

    // ------------------------------------------------------------ tunnel ioctls

    /// Loads the module whose fallback device takes a tunnel ioctl of `kind` (`dev_load` →
    /// `request_module("netdev-tunl0")` / `("netdev-gre0")`).
    fn tunnel_module_load(&mut self, kind: TnlKind) {
        match kind {
            TnlKind::Ipip => self.ipip_module_load(),
            _ => self.ipgre_module_load(),
        }
    }

    /// The fallback device a tunnel ioctl of `kind` goes to.
    pub fn tunnel_fb_name(kind: TnlKind) -> &'static str {
        match kind {
            TnlKind::Ipip => "tunl0",
            TnlKind::Gre => "gre0",
            TnlKind::Gretap => "gretap0",
            TnlKind::Erspan => "erspan0",
        }
    }

    /// `ip_tunnel_ctl`'s normalisation of a request: a fixed TTL forces DF, an unset key flag
    /// clears the key; a GRE tunnel's protocol is GRE.
    fn ip_tunnel_ctl_parms(kind: TnlKind, mut p: TunnelParms) -> TunnelParms {
        if p.ttl != 0 {
            p.pmtudisc = true;
        }
        if p.i_flags & TUNNEL_KEY == 0 {
            p.i_key = 0;
        }
        if p.o_flags & TUNNEL_KEY == 0 {
            p.o_key = 0;
        }
        if kind == TnlKind::Gre {
            p.proto = crate::net::ip_gre::IPPROTO_GRE;
        }
        p
    }

    /// `SIOCADDTUNNEL` to the fallback device of `kind` (`tunl0`, `gre0`; which loads the
    /// module): a new tunnel `name` (or the first free `ipipN`/`greN`) with `parms`.
    pub fn siocaddtunnel(
        &mut self,
        ns: NsId,
        kind: TnlKind,
        name: Option<&str>,
        parms: TunnelParms,
    ) -> Result<IfIndex, Errno> {
        self.tunnel_module_load(kind);
        let parms = Self::ip_tunnel_ctl_parms(kind, parms);
        if self.ip_tunnel_find(ns, kind, &parms).is_some() {
            return Err(Errno::EEXIST);
        }
        let name = match name {
            Some(n) => n.to_string(),
            None => (0..)
                .map(|n| format!("{}{n}", kind.name()))
                .find(|n| self.dev_by_name(ns, n).is_none())
                .expect("a free name"),
        };
        if self.dev_by_name(ns, &name).is_some() {
            return Err(Errno::EEXIST);
        }
        let d = match kind {
            TnlKind::Ipip => self.ipip_create(ns, &name, parms, None, true),
            _ => self.ipgre_create(ns, &name, kind, parms, None, None, true),
        };
        Ok(self.dev(d).ifindex)
    }

    /// `SIOCCHGTUNNEL` sent to `ifname` (the fallback device finds the tunnel by its
    /// parameters).
    pub fn siocchgtunnel(
        &mut self,
        ns: NsId,
        kind: TnlKind,
        ifname: &str,
        parms: TunnelParms,
    ) -> Result<(), Errno> {
        self.tunnel_module_load(kind);
        let parms = Self::ip_tunnel_ctl_parms(kind, parms);
        let dev = self.dev_by_name(ns, ifname).ok_or(Errno::ENODEV)?;
        let cur = self.ip_tunnel(dev).ok_or(Errno::EOPNOTSUPP)?;
        // The ioctl works on the table of the device it was sent to.
        let kind = cur.kind;
        let found = self.ip_tunnel_find(ns, kind, &parms);
        let target = if cur.fallback {
            found
        } else {
            match found {
                Some(t) if t != dev => return Err(Errno::EEXIST),
                Some(t) => Some(t),
                None => {
                    let was_p2p = !cur.parms.remote.is_unspecified();
                    let now_p2p = !parms.remote.is_unspecified();
                    if was_p2p != now_p2p {
                        return Err(Errno::EINVAL);
                    }
                    Some(dev)
                }
            }
        };
        let t = target.ok_or(Errno::ENOENT)?;
        // ip_tunnel_update: new endpoints and parameters; a new link rebinds the MTU.
        let relink = self
            .ip_tunnel(t)
            .is_some_and(|x| x.parms.link != parms.link);
        let old_hlen = self.ip_tunnel(t).map_or(0, |x| x.hlen());
        let Some(x) = self.ip_tunnel_mut(t) else {
            return Err(Errno::EOPNOTSUPP);
        };
        let gre = x.kind != TnlKind::Ipip;
        x.parms = TunnelParms {
            proto: x.parms.proto,
            i_flags: if gre { parms.i_flags } else { 0 },
            o_flags: if gre { parms.o_flags } else { 0 },
            ..parms
        };
        let overhead = x.overhead();
        let new_hlen = x.hlen();
        if relink {
            let p = x.parms.clone();
            let mtu = self.ip_tunnel_bind_mtu(ns, &p, overhead);
            self.dev_mut(t).mtu = mtu;
        }
        if gre && new_hlen != old_hlen {
            // ipgre_link_update: the MTU follows the GRE header's length.
            let m = self.dev(t).mtu as i64 - (i64::from(new_hlen) - i64::from(old_hlen));
            self.dev_mut(t).mtu = m.max(68) as u32;
        }
        Ok(())
    }

    /// `SIOCDELTUNNEL` sent to `ifname` (the fallback device finds the victim by its
    /// parameters).
    pub fn siocdeltunnel(
        &mut self,
        ns: NsId,
        kind: TnlKind,
        ifname: &str,
        parms: &TunnelParms,
    ) -> Result<(), Errno> {
        if ifname == Self::tunnel_fb_name(kind) {
            self.tunnel_module_load(kind);
        }
        let parms = Self::ip_tunnel_ctl_parms(kind, parms.clone());
        let dev = self.dev_by_name(ns, ifname).ok_or(Errno::ENODEV)?;
        let t = self.ip_tunnel(dev).ok_or(Errno::EOPNOTSUPP)?;
        let victim = if t.fallback {
            match self.ip_tunnel_find(ns, t.kind, &parms) {
                None => return Err(Errno::ENOENT),
                Some(v) if v == dev => return Err(Errno::EPERM),
                Some(v) => v,
            }
        } else {
            dev
        };
        self.dev_del(victim);
        Ok(())
    }

    /// `SIOCGETTUNNEL` sent to `ifname`: the tunnel it names (for a fallback device, the one
    /// matching `parms`, else the fallback itself). Answers its ifindex.
    pub fn siocgettunnel(
        &mut self,
        ns: NsId,
        kind: TnlKind,
        ifname: &str,
        parms: &TunnelParms,
    ) -> Result<IfIndex, Errno> {
        if ifname == Self::tunnel_fb_name(kind) {
            self.tunnel_module_load(kind);
        }
        let dev = self.dev_by_name(ns, ifname).ok_or(Errno::ENODEV)?;
        let t = self.ip_tunnel(dev).ok_or(Errno::EOPNOTSUPP)?;
        let shown = if t.fallback {
            self.ip_tunnel_find(ns, t.kind, parms).unwrap_or(dev)
        } else {
            dev
        };
        Ok(self.dev(shown).ifindex)
    }
}

impl Kernel {
    /// `if_nametoindex` as `dev_ioctl`/`SIOCGIFINDEX` does it: a missing `tunl0` first loads
    /// the `ipip` module (`dev_load` → `request_module("netdev-tunl0")`).
    pub fn if_nametoindex_load(&mut self, ns: NsId, name: &str) -> Option<IfIndex> {
        if name == "tunl0" && self.dev_by_name(ns, name).is_none() {
            self.ipip_module_load();
        }
        // MODULE_ALIAS_NETDEV of ip_gre.
        if ["gre0", "gretap0", "erspan0"].contains(&name) && self.dev_by_name(ns, name).is_none() {
            self.ipgre_module_load();
        }
        self.if_nametoindex(ns, name)
    }
}

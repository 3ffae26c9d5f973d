//! Read-only dumps (`RTM_GETLINK`, `RTM_GETADDR`, `RTM_GETROUTE`, `RTM_GETNEIGH`, fdb, netconf):
//! plain structs copied out of the kernel's state, in the order the kernel dumps them.
//!
//! Each message carries what the kernel's `RTM_NEW*` message carries (`rtnl_fill_ifinfo`,
//! `inet_fill_ifaddr`, `fib_dump_info`, `neigh_fill_info`, `fdb_fill_info`/`vxlan_fdb_info`/
//! `ndo_dflt_fdb_dump`), with devices named by ifindex, never by the kernel's arena id, and
//! nothing borrowed from the kernel: a caller may hold a dump while the kernel changes. What the
//! kernel computes when it fills a message (operstate, `IFF_RUNNING`/`IFF_LOWER_UP`, a route's
//! `RTNH_F_LINKDOWN`, a bridge port's STP state, which vxlan fdb attributes differ from the
//! device's defaults) is computed here, so the tools only format.
//!
//! Orders: links by ifindex (the kernel walks `dev_index_head`, which for the small ifindexes of
//! a lab is ifindex order); addresses by device, then the device's list order (primaries before
//! secondaries, as `__inet_insert_ifa` keeps them); routes by table (`fib_table_hash` bucket
//! order: `id & 0xff`, so main 254 before local 255), inside a table by prefix then longer prefix
//! first for the same key (the trie's walk), aliases by metric; neighbours by (ifindex, address)
//! (Linux walks a randomly seeded hash; tests compare sorted); fdb by device, then the master's
//! entries for it, then the device's own.

use super::IfIndex;
use crate::kernel::{DevId, DevKind, Kernel, NetDevice, NsId, ROOT_NS};
use crate::net::bridge::Bridge;
use crate::net::fib::{RtnType, RT_SCOPE_HOST};
use crate::net::ipip::TunnelParms;
use crate::net::neigh::{NUD_NOARP, NUD_PERMANENT, NUD_REACHABLE, NUD_VALID};
use crate::wire::Mac;
use std::net::Ipv4Addr;

// ------------------------------------------------------------------ links

/// `include/uapi/linux/if.h` device flags (`ifi_flags`).
pub const IFF_UP: u32 = 0x1;
pub const IFF_BROADCAST: u32 = 0x2;
pub const IFF_LOOPBACK: u32 = 0x8;
pub const IFF_POINTOPOINT: u32 = 0x10;
pub const IFF_RUNNING: u32 = 0x40;
pub const IFF_NOARP: u32 = 0x80;
pub const IFF_MASTER: u32 = 0x400;
pub const IFF_SLAVE: u32 = 0x800;
pub const IFF_MULTICAST: u32 = 0x1000;
pub const IFF_LOWER_UP: u32 = 0x10000;

/// `ifi_type` (`ARPHRD_*`).
pub const ARPHRD_ETHER: u16 = 1;
pub const ARPHRD_TUNNEL: u16 = 768;
pub const ARPHRD_LOOPBACK: u16 = 772;

/// Bridge port STP states (`BR_STATE_*`).
pub const BR_STATE_DISABLED: u8 = 0;
pub const BR_STATE_FORWARDING: u8 = 3;

/// `IFLA_OPERSTATE` (RFC 2863, `IF_OPER_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperState {
    Unknown,
    Down,
    LowerLayerDown,
    Up,
}

impl OperState {
    /// iproute2's names (`oper_states[]`).
    pub fn name(self) -> &'static str {
        match self {
            OperState::Unknown => "UNKNOWN",
            OperState::Down => "DOWN",
            OperState::LowerLayerDown => "LOWERLAYERDOWN",
            OperState::Up => "UP",
        }
    }
}

/// `IFLA_STATS64` (the counters the model keeps; the others are 0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkStats {
    pub rx_packets: u64,
    pub tx_packets: u64,
    pub rx_bytes: u64,
    pub tx_bytes: u64,
    pub rx_dropped: u64,
    pub tx_dropped: u64,
    pub tx_errors: u64,
}

/// `IFLA_INFO_DATA` of a bridge (`br_fill_info`; the attributes the model varies).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BridgeInfo {
    /// `IFLA_BR_AGEING_TIME` in centiseconds (clock_t).
    pub ageing_time: u64,
    /// `IFLA_BR_BRIDGE_ID` (priority and address).
    pub bridge_id: crate::net::br_stp::BridgeId,
    /// `IFLA_BR_ROOT_ID`.
    pub root_id: crate::net::br_stp::BridgeId,
    /// `IFLA_BR_FORWARD_DELAY`, `_HELLO_TIME`, `_MAX_AGE` in centiseconds (the values in use).
    pub forward_delay: u32,
    pub hello_time: u32,
    pub max_age: u32,
    /// `IFLA_BR_STP_STATE`.
    pub stp_state: u32,
    /// `IFLA_BR_PRIORITY`.
    pub priority: u16,
    pub root_port: u16,
    pub root_path_cost: u32,
    pub topology_change: bool,
    pub topology_change_detected: bool,
    /// `IFLA_BR_HELLO_TIMER`, `_TCN_TIMER`, `_TOPOLOGY_CHANGE_TIMER` (centiseconds left).
    pub hello_timer: u64,
    pub tcn_timer: u64,
    pub topology_change_timer: u64,
    /// `IFLA_BR_MCAST_SNOOPING`.
    pub mcast_snooping: bool,
    /// `IFLA_BR_VLAN_FILTERING`.
    pub vlan_filtering: bool,
    /// `IFLA_BR_VLAN_PROTOCOL` and `IFLA_BR_VLAN_DEFAULT_PVID` (only with
    /// `CONFIG_BRIDGE_VLAN_FILTERING`).
    pub vlan: Option<(u16, u16)>,
}

/// `IFLA_INFO_DATA` of a vxlan device (`vxlan_fill_info`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VxlanInfo {
    pub id: u32,
    /// `IFLA_VXLAN_GROUP` (multicast) or the unicast remote; 0.0.0.0 when unset.
    pub group: Ipv4Addr,
    pub local: Ipv4Addr,
    /// `IFLA_VXLAN_LINK`.
    pub link: Option<IfIndex>,
    pub port_min: u16,
    pub port_max: u16,
    /// `IFLA_VXLAN_PORT`.
    pub port: u16,
    pub learning: bool,
    /// 1 means `inherit`.
    pub tos: u8,
    /// 0 means `auto`.
    pub ttl: u8,
    /// `IFLA_VXLAN_AGEING` in seconds, 0 = none.
    pub ageing: u32,
    pub udp_csum: bool,
    /// `IFLA_VXLAN_DF`.
    pub df: u8,
}

/// `IFLA_INFO_DATA` of an ipip tunnel (`ipip_fill_info`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IptunInfo {
    /// `IFLA_IPTUN_LINK` (0: none).
    pub link: IfIndex,
    pub local: Ipv4Addr,
    pub remote: Ipv4Addr,
    /// 0 means `inherit`.
    pub ttl: u8,
    /// 1 means `inherit`.
    pub tos: u8,
    pub pmtudisc: bool,
    /// `IFLA_IPTUN_PROTO` (`IPPROTO_IPIP`, or 0 for any).
    pub proto: u8,
}

/// `IFLA_INFO_DATA` of a gre, gretap or erspan device (`ipgre_fill_info`,
/// `erspan_fill_info`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GreInfo {
    pub kind: crate::net::ip_tunnel::TnlKind,
    /// `IFLA_GRE_LINK` (0: none).
    pub link: IfIndex,
    /// `IFLA_GRE_IFLAGS` / `IFLA_GRE_OFLAGS`: GRE header flags (`GRE_KEY`...).
    pub iflags: u16,
    pub oflags: u16,
    pub ikey: u32,
    pub okey: u32,
    pub local: Ipv4Addr,
    pub remote: Ipv4Addr,
    pub ttl: u8,
    pub tos: u8,
    pub pmtudisc: bool,
    /// `IFLA_GRE_ERSPAN_INDEX` and `IFLA_GRE_ERSPAN_VER` (erspan only).
    pub erspan: Option<(u32, u8)>,
}

/// `IFLA_INFO_DATA` of a macvlan (`macvlan_fill_info`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MacvlanInfo {
    pub mode: u32,
    pub flags: u16,
    pub macaddr_count: u32,
    /// `IFLA_MACVLAN_MACADDR_DATA`: the source addresses in the kernel's dump order.
    pub macaddr_data: Vec<crate::wire::Mac>,
    pub bc_queue_len: u32,
    pub bc_queue_len_used: u32,
}

/// `IFLA_INFO_DATA` of a VLAN device (`vlan_fill_info`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VlanInfo {
    pub protocol: u16,
    pub id: u16,
    pub flags: u32,
    /// `IFLA_VLAN_INGRESS_QOS` / `IFLA_VLAN_EGRESS_QOS`: (from, to) mappings, present when the
    /// device has one.
    pub ingress_qos: Option<Vec<(u32, u32)>>,
    pub egress_qos: Option<Vec<(u32, u32)>>,
}

/// `IFLA_INFO_DATA` of an ipvlan (`ipvlan_nl_fillinfo`: the port's mode and flags).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpvlanInfo {
    pub mode: u16,
    pub flags: u16,
}

/// `IFLA_INFO_DATA` of a bond (`bond_fill_info`; the attributes the model varies).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BondInfo {
    pub mode: u8,
    /// `IFLA_BOND_ACTIVE_SLAVE` (active-backup with an active slave).
    pub active_slave: Option<IfIndex>,
    pub miimon: u32,
    /// `IFLA_BOND_PRIMARY` (an enslaved primary).
    pub primary: Option<IfIndex>,
    pub primary_reselect: u8,
    pub xmit_hash_policy: u8,
    /// `IFLA_BOND_NUM_PEER_NOTIF`.
    pub num_peer_notif: u8,
}

/// `IFLA_INFO_SLAVE_DATA` of a bond slave (`bond_fill_slave_info`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BondSlaveInfo {
    /// `IFLA_BOND_SLAVE_STATE`: active (not a backup).
    pub active: bool,
    pub mii_up: bool,
    pub link_failure_count: u32,
    pub perm_hwaddr: Mac,
}

/// `IFLA_LINKINFO`: `IFLA_INFO_KIND` with its `IFLA_INFO_DATA`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkInfo {
    Veth,
    Dummy,
    Bridge(BridgeInfo),
    Vxlan(VxlanInfo),
    Ipip(IptunInfo),
    Gre(GreInfo),
    Macvlan(MacvlanInfo),
    Vlan(VlanInfo),
    Ipvlan(IpvlanInfo),
    Bond(BondInfo),
    /// `IFLA_VRF_TABLE` (`vrf_fillinfo`).
    Vrf {
        table: u32,
    },
}

impl LinkInfo {
    /// `IFLA_INFO_KIND`.
    pub fn kind(&self) -> &'static str {
        match self {
            LinkInfo::Veth => "veth",
            LinkInfo::Dummy => "dummy",
            LinkInfo::Bridge(_) => "bridge",
            LinkInfo::Vxlan(_) => "vxlan",
            LinkInfo::Ipip(_) => "ipip",
            LinkInfo::Gre(g) => g.kind.name(),
            LinkInfo::Macvlan(_) => "macvlan",
            LinkInfo::Vlan(_) => "vlan",
            LinkInfo::Ipvlan(_) => "ipvlan",
            LinkInfo::Bond(_) => "bond",
            LinkInfo::Vrf { .. } => "vrf",
        }
    }
}

/// `IFLA_INFO_SLAVE_DATA` of a bridge port (`br_port_fill_attrs`; the attributes the model
/// varies).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BridgePortInfo {
    /// `BR_STATE_*`.
    pub state: u8,
    pub port_no: u16,
    pub port_id: u16,
    /// `IFLA_BRPORT_PRIORITY`.
    pub priority: u16,
    pub designated_port: u16,
    pub designated_cost: u32,
    pub designated_root: crate::net::br_stp::BridgeId,
    pub topology_change_ack: bool,
    pub config_pending: bool,
    /// `IFLA_BRPORT_HOLD_TIMER`, `_MESSAGE_AGE_TIMER`, `_FORWARD_DELAY_TIMER` (centiseconds).
    pub hold_timer: u64,
    pub message_age_timer: u64,
    pub forward_delay_timer: u64,
    /// `IFLA_BRPORT_COST`: `br_initial_port_cost` from the device's ethtool speed (veth:
    /// 10 Gb/s, cost 2), else 100.
    pub cost: u32,
    pub designated_bridge: crate::net::br_stp::BridgeId,
    /// `IFLA_BRPORT_MODE`, `_LEARNING`, `_UNICAST_FLOOD`, ... (`br_port_fill_attrs`).
    pub flags: crate::net::bridge::BrPortFlags,
}

/// One `RTM_NEWLINK` message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkMsg {
    pub ifindex: IfIndex,
    /// `ifi_type`.
    pub link_type: u16,
    /// `ifi_flags` (`dev_get_flags`: `IFF_RUNNING`, `IFF_LOWER_UP` from the carrier).
    pub flags: u32,
    pub name: String,
    pub mtu: u32,
    pub min_mtu: u32,
    pub max_mtu: u32,
    /// `IFLA_QDISC`.
    pub qdisc: &'static str,
    pub operstate: OperState,
    /// `IFLA_MASTER`.
    pub master: Option<IfIndex>,
    /// `IFLA_LINK`: a veth's peer, a tunnel's underlay (0 = none).
    pub link: Option<IfIndex>,
    /// `IFLA_LINK_NETNSID`: the peer is in another namespace, which this one names by this
    /// nsid (`Net::netns_ids`).
    pub link_netnsid: Option<i32>,
    /// The namespace `IFLA_LINK_NETNSID` names (the model's `get_link_net`, for the front
    /// ends' topology; the tools print the id).
    pub link_net: Option<NsId>,
    /// `IFLA_ADDRESS` / `IFLA_BROADCAST` (6 bytes, or 4 for a tunnel).
    pub address: Vec<u8>,
    pub broadcast: Vec<u8>,
    /// The address was set by the user (`addr_assign_type == NET_ADDR_SET`).
    pub address_set: bool,
    pub promiscuity: u32,
    pub allmulti: u32,
    pub num_tx_queues: u32,
    pub num_rx_queues: u32,
    pub tso_max_size: u32,
    /// `IFLA_AF_SPEC`/`AF_INET6`'s `IFLA_INET6_ADDR_GEN_MODE` is there (the device has an
    /// inet6 device).
    pub inet6_addr_gen_mode: bool,
    /// `IFLA_LINKINFO` (none for loopback).
    pub info: Option<LinkInfo>,
    pub slave: Option<BridgePortInfo>,
    /// `IFLA_INFO_SLAVE_DATA` of a bond slave.
    pub bond_slave: Option<BondSlaveInfo>,
    /// `IFLA_INFO_SLAVE_DATA` of a VRF slave: `IFLA_VRF_PORT_TABLE` (`vrf_fill_slave_info`).
    pub vrf_slave: Option<u32>,
    pub stats: LinkStats,
}

impl LinkMsg {
    pub fn is_up(&self) -> bool {
        self.flags & IFF_UP != 0
    }

    /// The 6-byte hardware address, if the device has one.
    pub fn mac(&self) -> Option<Mac> {
        <[u8; 6]>::try_from(self.address.as_slice()).ok()
    }

    /// `IFLA_INFO_KIND` (`None` for loopback, which has no `IFLA_LINKINFO`).
    pub fn kind(&self) -> Option<&'static str> {
        self.info.as_ref().map(LinkInfo::kind)
    }

    /// An ipip device's `IFLA_IPTUN_*` as the tunnel ioctls' `ip_tunnel_parm` carries them
    /// (what `ip tunnel change` starts from, what `ip tunnel show` filters on).
    pub fn ipip_parms(&self) -> Option<TunnelParms> {
        match &self.info {
            Some(LinkInfo::Ipip(p)) => Some(TunnelParms {
                local: p.local,
                remote: p.remote,
                link: p.link,
                ttl: p.ttl,
                tos: p.tos,
                pmtudisc: p.pmtudisc,
                proto: p.proto,
                ..TunnelParms::new()
            }),
            _ => None,
        }
    }

    /// The `ip_tunnel_parm` the tunnel ioctls (`SIOCGETTUNNEL`) give for an ipip or gre
    /// device (the ones `ip tunnel show` lists: `ARPHRD_TUNNEL`, `ARPHRD_IPGRE`), with the
    /// GRE flags as `TUNNEL_*` flags.
    pub fn iptnl_parms(&self) -> Option<(crate::net::ip_tunnel::TnlKind, TunnelParms)> {
        use crate::net::ip_tunnel::*;
        match &self.info {
            Some(LinkInfo::Ipip(_)) => self.ipip_parms().map(|p| (TnlKind::Ipip, p)),
            Some(LinkInfo::Gre(g)) if g.kind == TnlKind::Gre => Some((
                TnlKind::Gre,
                TunnelParms {
                    local: g.local,
                    remote: g.remote,
                    link: g.link,
                    ttl: g.ttl,
                    tos: g.tos,
                    pmtudisc: g.pmtudisc,
                    proto: crate::net::ip_gre::IPPROTO_GRE,
                    i_flags: gre_flags_to_tnl_flags(g.iflags),
                    o_flags: gre_flags_to_tnl_flags(g.oflags),
                    i_key: g.ikey,
                    o_key: g.okey,
                },
            )),
            _ => None,
        }
    }
}

/// `IFLA_PROMISCUITY` etc. use the device; `dev_get_flags`-style computations live here.
impl Kernel {
    fn dump_dev(&self, d: DevId) -> Option<&NetDevice> {
        self.devs.get(d).and_then(|x| x.as_ref())
    }

    /// The live devices of a namespace in ifindex order.
    pub(crate) fn dump_ns_devs(&self, ns: NsId) -> Vec<(DevId, &NetDevice)> {
        let Some(net) = self.nets.get(ns).and_then(|n| n.as_ref()) else {
            return Vec::new();
        };
        let mut v: Vec<(DevId, &NetDevice)> = net
            .devs
            .iter()
            .filter_map(|&d| self.dump_dev(d).map(|x| (d, x)))
            .collect();
        v.sort_by_key(|(_, x)| x.ifindex);
        v
    }

    fn dump_carrier(&self, d: DevId) -> bool {
        self.dump_dev(d).is_some() && self.carrier(d)
    }

    /// `dev->operstate` as `rfc2863_policy` / `default_operstate` compute it.
    fn dump_operstate(&self, d: DevId, dev: &NetDevice) -> OperState {
        if !dev.up {
            return OperState::Down;
        }
        match &dev.kind {
            // linkwatch after a carrier change: default_operstate (a dummy's iflink is itself)
            DevKind::Dummy if dev.carrier_set == Some(false) => OperState::Down,
            DevKind::Dummy if dev.carrier_set == Some(true) => OperState::Up,
            DevKind::Loopback
            | DevKind::Dummy
            | DevKind::Vxlan(_)
            | DevKind::Ipip(_)
            | DevKind::Gretap(_) => OperState::Unknown,
            DevKind::Bridge(br) if br.ports.is_empty() => OperState::Unknown,
            // vrf_dev_init: "oper state is irrelevant; set to up".
            DevKind::Vrf(_) => OperState::Up,
            DevKind::Bridge(_) | DevKind::Bond(_) => {
                if self.dump_carrier(d) {
                    OperState::Up
                } else {
                    OperState::Down
                }
            }
            DevKind::Veth { .. } | DevKind::Macvlan(_) | DevKind::Vlan(_) | DevKind::Ipvlan(_) => {
                if self.dump_carrier(d) {
                    return OperState::Up;
                }
                // default_operstate: the iflink (peer or lower ifindex) is looked up in the
                // device's own namespace; LOWERLAYERDOWN when that device exists and has no
                // carrier.
                let iflink = match &dev.kind {
                    DevKind::Veth { peer } => *peer,
                    DevKind::Macvlan(m) => Some(m.lowerdev),
                    DevKind::Vlan(v) => Some(v.real_dev),
                    DevKind::Ipvlan(v) => Some(v.phy_dev),
                    _ => None,
                };
                let Some(peer) = iflink.and_then(|p| self.dump_dev(p)) else {
                    return OperState::Down;
                };
                if peer.ifindex == dev.ifindex {
                    return OperState::Down;
                }
                match self
                    .dump_ns_devs(dev.ns)
                    .into_iter()
                    .find(|(_, x)| x.ifindex == peer.ifindex)
                {
                    Some((l, _)) if !self.dump_carrier(l) => OperState::LowerLayerDown,
                    _ => OperState::Down,
                }
            }
        }
    }

    fn dump_tso_max_size(&self, dev: &NetDevice) -> u32 {
        match &dev.kind {
            DevKind::Loopback | DevKind::Veth { .. } => 524280,
            // netif_inherit_tso_max from the lower device.
            DevKind::Macvlan(m) => self
                .dump_dev(m.lowerdev)
                .map_or(65536, |l| self.dump_tso_max_size(l)),
            DevKind::Vlan(v) => self
                .dump_dev(v.real_dev)
                .map_or(65536, |l| self.dump_tso_max_size(l)),
            DevKind::Ipvlan(v) => self
                .dump_dev(v.phy_dev)
                .map_or(65536, |l| self.dump_tso_max_size(l)),
            DevKind::Dummy | DevKind::Ipip(_) | DevKind::Gretap(_) | DevKind::Vrf(_) => 65536,
            // netif_inherit_tso_max from the underlay device.
            DevKind::Vxlan(v) => v
                .link
                .and_then(|l| self.dump_dev(l))
                .map_or(65536, |l| self.dump_tso_max_size(l)),
            DevKind::Bridge(b) => b
                .ports
                .iter()
                .filter_map(|&p| self.dump_dev(p))
                .filter(|p| !matches!(p.kind, DevKind::Bridge(_)))
                .map(|p| self.dump_tso_max_size(p))
                .min()
                .unwrap_or(65536),
            // bond_compute_features: the slaves' smallest.
            DevKind::Bond(b) => b
                .slaves
                .iter()
                .filter_map(|s| self.dump_dev(s.dev))
                .map(|p| self.dump_tso_max_size(p))
                .min()
                .unwrap_or(65536),
        }
    }

    /// `rtnl_fill_ifinfo` for one device.
    fn fill_ifinfo(&self, d: DevId, dev: &NetDevice) -> LinkMsg {
        // (`netif_carrier_ok` is only consulted for a device that is up, as `dev_get_flags`.)
        let carrier = dev.up && self.dump_carrier(d);
        let operstate = self.dump_operstate(d, dev);
        let mut flags = match &dev.kind {
            DevKind::Loopback => IFF_LOOPBACK,
            DevKind::Dummy => IFF_BROADCAST | IFF_NOARP,
            DevKind::Ipip(t) => {
                // IFF_POINTOPOINT: set by `ip_tunnel_bind_dev` for a unicast remote.
                let r = t.parms.remote;
                if !r.is_unspecified() && !r.is_multicast() {
                    IFF_POINTOPOINT | IFF_NOARP
                } else {
                    IFF_NOARP
                }
            }
            DevKind::Bond(_) => IFF_BROADCAST | IFF_MULTICAST | IFF_MASTER,
            // vrf_dev_init: IFF_MASTER | IFF_NOARP.
            DevKind::Vrf(_) => IFF_MASTER | IFF_NOARP,
            DevKind::Ipvlan(_) if self.ipvlan_is_noarp(d) => {
                IFF_BROADCAST | IFF_MULTICAST | IFF_NOARP
            }
            _ => IFF_BROADCAST | IFF_MULTICAST,
        };
        let bond_master = dev
            .master
            .and_then(|m| self.dump_dev(m).map(|x| (m, x)))
            .filter(|(_, x)| matches!(x.kind, DevKind::Bond(_)));
        if bond_master.is_some() {
            flags |= IFF_SLAVE;
        }
        if dev.up {
            flags |= IFF_UP;
            if carrier {
                flags |= IFF_LOWER_UP;
            }
            if matches!(operstate, OperState::Up | OperState::Unknown) {
                flags |= IFF_RUNNING;
            }
        }
        let master = dev.master.and_then(|m| self.dump_dev(m).map(|x| (m, x)));
        let port = master.filter(|(_, m)| matches!(m.kind, DevKind::Bridge(_)));
        let promisc = u32::from(port.is_some());
        let vlan_promisc = self.vlan_lower_promiscuity(d);
        let promiscuity = promisc + self.macvlan_lower_promiscuity(d) + vlan_promisc;
        let (min_mtu, max_mtu) = match &dev.kind {
            DevKind::Loopback | DevKind::Dummy => (0, 0),
            // vlan_setup: min_mtu 0, max_mtu ETH_MAX_MTU.
            DevKind::Vlan(_) => (0, 65535),
            DevKind::Ipip(t) if t.mtu_limits => (68, t.max_mtu()),
            DevKind::Ipip(_) => (0, 0),
            // ipgre_tap_setup / erspan_setup: ether_setup's min_mtu, max_mtu 0.
            DevKind::Gretap(t) if t.mtu_limits => (68, t.max_mtu()),
            DevKind::Gretap(_) => (68, 0),
            DevKind::Vrf(_) => (crate::net::vrf::VRF_MIN_MTU, crate::net::vrf::VRF_MTU),
            _ => (68, 65535),
        };
        // IFLA_LINK: the peer's or lower device's ifindex (in its own namespace); with
        // IFLA_LINK_NETNSID when that is another namespace: the id this namespace has for it
        // (`peernet2id`; the tools allocate it first, `rtnl_fill_link_netnsid`; -1,
        // NETNSA_NSID_NOT_ASSIGNED, for a reader that did not).
        let link_net = self.dev_link_net(d);
        let link = match &dev.kind {
            DevKind::Veth { peer } => peer.and_then(|p| self.dump_dev(p)).map(|p| p.ifindex),
            DevKind::Ipip(t) | DevKind::Gretap(t) => Some(t.parms.link),
            // macvlan_dev_get_iflink; IFLA_LINK_NETNSID from get_link_net (the lower's).
            DevKind::Ipvlan(v) => self.dump_dev(v.phy_dev).map(|p| p.ifindex),
            DevKind::Vlan(v) => self.dump_dev(v.real_dev).map(|p| p.ifindex),
            DevKind::Macvlan(m) => self.dump_dev(m.lowerdev).map(|p| p.ifindex),
            _ => None,
        };
        let link_netnsid = link_net.map(|p| self.peernet2id(dev.ns, p).unwrap_or(-1));
        let (link_type, address, broadcast) = match &dev.kind {
            DevKind::Loopback => (ARPHRD_LOOPBACK, dev.mac.to_vec(), vec![0; 6]),
            DevKind::Ipip(t) => (
                if t.kind == crate::net::ip_tunnel::TnlKind::Gre {
                    crate::net::ip_gre::ARPHRD_IPGRE
                } else {
                    ARPHRD_TUNNEL
                },
                t.parms.local.octets().to_vec(),
                t.parms.remote.octets().to_vec(),
            ),
            _ => (ARPHRD_ETHER, dev.mac.to_vec(), vec![0xff; 6]),
        };
        let info = match &dev.kind {
            DevKind::Loopback => None,
            DevKind::Veth { .. } => Some(LinkInfo::Veth),
            DevKind::Dummy => Some(LinkInfo::Dummy),
            DevKind::Bridge(b) => Some(LinkInfo::Bridge({
                use crate::net::br_stp::jiffies_to_clock_t as c;
                let (bridge_id, root_id) = self.br_stp_ids(d);
                let s = &b.stp;
                BridgeInfo {
                    ageing_time: b.ageing / 10_000_000,
                    bridge_id,
                    root_id,
                    forward_delay: c(s.forward_delay) as u32,
                    hello_time: c(s.hello_time) as u32,
                    max_age: c(s.max_age) as u32,
                    stp_state: u32::from(s.enabled),
                    priority: u16::from_be_bytes([s.bridge_id[0], s.bridge_id[1]]),
                    root_port: if s.used { s.root_port } else { 0 },
                    root_path_cost: if s.used { s.root_path_cost } else { 0 },
                    topology_change: s.topology_change,
                    topology_change_detected: s.topology_change_detected,
                    hello_timer: self.br_timer_value(&s.hello_timer),
                    tcn_timer: self.br_timer_value(&s.tcn_timer),
                    topology_change_timer: self.br_timer_value(&s.topology_change_timer),
                    mcast_snooping: b.mcast_snooping,
                    vlan_filtering: b.vlan_enabled,
                    vlan: b.vlgrp.as_ref().map(|_| (b.vlan_proto, b.default_pvid)),
                }
            })),
            DevKind::Vxlan(v) => Some(LinkInfo::Vxlan(VxlanInfo {
                id: v.vni,
                group: v.remote,
                local: v.local,
                link: v.link.and_then(|l| self.dump_dev(l)).map(|l| l.ifindex),
                port_min: v.port_min,
                port_max: v.port_max,
                port: v.dstport,
                learning: v.learning,
                tos: v.tos,
                ttl: v.ttl,
                ageing: v.ageing,
                udp_csum: v.udp_csum,
                df: v.df,
            })),
            DevKind::Ipip(t) | DevKind::Gretap(t)
                if t.kind != crate::net::ip_tunnel::TnlKind::Ipip =>
            {
                use crate::net::ip_tunnel::*;
                let mut oflags = gre_tnl_flags_to_gre_flags(t.parms.o_flags);
                // erspan_fill_info: version 1 has a key (the session id).
                let erspan = (t.kind == TnlKind::Erspan).then_some((0, 1));
                if erspan.is_some() {
                    oflags |= GRE_KEY;
                }
                Some(LinkInfo::Gre(GreInfo {
                    kind: t.kind,
                    link: t.parms.link,
                    iflags: gre_tnl_flags_to_gre_flags(t.parms.i_flags),
                    oflags,
                    ikey: t.parms.i_key,
                    okey: t.parms.o_key,
                    local: t.parms.local,
                    remote: t.parms.remote,
                    ttl: t.parms.ttl,
                    tos: t.parms.tos,
                    pmtudisc: t.parms.pmtudisc,
                    erspan,
                }))
            }
            DevKind::Gretap(_) => None,
            DevKind::Ipip(t) => Some(LinkInfo::Ipip(IptunInfo {
                link: t.parms.link,
                local: t.parms.local,
                remote: t.parms.remote,
                ttl: t.parms.ttl,
                tos: t.parms.tos,
                pmtudisc: t.parms.pmtudisc,
                proto: t.parms.proto,
            })),
            DevKind::Ipvlan(v) => {
                let port = self
                    .dump_dev(v.phy_dev)
                    .and_then(|p| p.ipvlan_port.as_deref());
                Some(LinkInfo::Ipvlan(IpvlanInfo {
                    mode: port.map_or(0, |p| p.mode),
                    flags: port.map_or(0, |p| p.flags),
                }))
            }
            DevKind::Vlan(v) => {
                let (ingress_qos, egress_qos) = v.qos_maps();
                Some(LinkInfo::Vlan(VlanInfo {
                    protocol: v.proto,
                    id: v.id,
                    flags: v.flags,
                    ingress_qos,
                    egress_qos,
                }))
            }
            DevKind::Bond(b) => Some(LinkInfo::Bond(BondInfo {
                mode: b.mode,
                active_slave: b.active.and_then(|a| self.dump_dev(a)).map(|a| a.ifindex),
                miimon: b.miimon,
                primary: b.primary.and_then(|p| self.dump_dev(p)).map(|p| p.ifindex),
                primary_reselect: b.primary_reselect,
                xmit_hash_policy: b.xmit_policy,
                num_peer_notif: b.num_peer_notif,
            })),
            DevKind::Vrf(v) => Some(LinkInfo::Vrf { table: v.tb_id }),
            DevKind::Macvlan(m) => Some(LinkInfo::Macvlan(MacvlanInfo {
                mode: m.mode,
                flags: m.flags,
                macaddr_count: m.macaddr_count,
                macaddr_data: if self.dev_alive(m.lowerdev) {
                    self.macvlan_source_addrs(d)
                } else {
                    Vec::new()
                },
                bc_queue_len: m.bc_queue_len_req,
                bc_queue_len_used: if self.dev_alive(m.lowerdev) {
                    self.macvlan_bc_queue_len_used(m.lowerdev)
                } else {
                    0
                },
            })),
        };
        let slave = port.map(|(m, mdev)| {
            let no = match &mdev.kind {
                DevKind::Bridge(b) => b.port_no.get(&d).copied().unwrap_or(0),
                _ => 0,
            };
            let forwarding = self.dev_alive(m) && dev.up && carrier && mdev.up;
            let stp = match &mdev.kind {
                DevKind::Bridge(b) => b.stp.ports.get(&d),
                _ => None,
            };
            let used = matches!(&mdev.kind, DevKind::Bridge(b) if b.stp.used);
            let (bid, _) = if matches!(mdev.kind, DevKind::Bridge(_)) {
                self.br_stp_ids(m)
            } else {
                ([0; 8], [0; 8])
            };
            let t =
                |x: Option<&crate::net::br_stp::BrTimer>| x.map_or(0, |x| self.br_timer_value(x));
            BridgePortInfo {
                state: if used {
                    stp.map_or(BR_STATE_DISABLED, |p| p.state)
                } else if forwarding {
                    BR_STATE_FORWARDING
                } else {
                    BR_STATE_DISABLED
                },
                port_no: no,
                port_id: stp.map_or(0x8000 | no, |p| p.port_id),
                priority: stp.map_or(0x20, |p| p.priority),
                cost: stp.map_or(2, |p| p.path_cost),
                designated_port: match stp {
                    Some(p) if used => p.designated_port,
                    Some(p) => p.port_id,
                    None => 0x8000 | no,
                },
                designated_cost: stp.filter(|_| used).map_or(0, |p| p.designated_cost),
                designated_root: stp.filter(|_| used).map_or(bid, |p| p.designated_root),
                topology_change_ack: stp.is_some_and(|p| p.topology_change_ack),
                config_pending: stp.is_some_and(|p| p.config_pending),
                hold_timer: t(stp.map(|p| &p.hold_timer)),
                message_age_timer: t(stp.map(|p| &p.message_age_timer)),
                forward_delay_timer: t(stp.map(|p| &p.forward_delay_timer)),
                designated_bridge: stp.filter(|_| used).map_or(bid, |p| p.designated_bridge),
                flags: match &mdev.kind {
                    DevKind::Bridge(_) => dev.brport_flags,
                    _ => Default::default(),
                },
            }
        });
        let bond_slave = bond_master.and_then(|(_, m)| match &m.kind {
            DevKind::Bond(b) => b.slaves.iter().find(|s| s.dev == d).map(|s| BondSlaveInfo {
                active: b.mode != crate::net::bonding::BOND_MODE_ACTIVEBACKUP
                    || b.active == Some(d),
                mii_up: s.link_up,
                link_failure_count: s.link_failure_count,
                perm_hwaddr: s.perm_hwaddr,
            }),
            _ => None,
        });
        let vrf_slave = master.and_then(|(_, m)| match &m.kind {
            DevKind::Vrf(v) => Some(v.tb_id),
            _ => None,
        });
        let nq = match dev.kind {
            DevKind::Veth { .. } => 2,
            // BOND_DEFAULT_TX_QUEUES.
            DevKind::Bond(_) => 16,
            _ => 1,
        };
        let st = &dev.stats;
        LinkMsg {
            ifindex: dev.ifindex,
            link_type,
            flags,
            name: dev.name.clone(),
            mtu: dev.mtu,
            min_mtu,
            max_mtu,
            qdisc: if let Some(q) = &dev.qdisc {
                q.kind()
            } else if dev.up || dev.qdisc_attached {
                "noqueue"
            } else {
                "noop"
            },
            operstate,
            master: master.map(|(_, m)| m.ifindex),
            link,
            link_netnsid,
            link_net,
            address,
            broadcast,
            address_set: dev.mac_set,
            promiscuity,
            allmulti: promisc + vlan_promisc,
            num_tx_queues: nq,
            num_rx_queues: nq,
            tso_max_size: self.dump_tso_max_size(dev),
            // A tunnel gets its inet6 device when it comes up; a device whose MTU is below
            // IPV6_MIN_MTU (1280) has none (addrconf_notify: NETDEV_CHANGEMTU below it runs
            // addrconf_ifdown, NETDEV_REGISTER/UP/CHANGEMTU at or above it ipv6_add_dev).
            // A tunnel registered with MTU 0 and given its MTU directly (a fallback device,
            // `ip_tunnel_create` for `ip tunnel add`) has none until it comes up;
            // `ip_tunnel_newlink` sets it through `dev_set_mtu` (NETDEV_CHANGEMTU).
            inet6_addr_gen_mode: dev.mtu >= 1280
                && (dev.up || !matches!(&dev.kind, DevKind::Ipip(t) if t.fallback || t.mtu_limits)),
            info,
            slave,
            bond_slave,
            vrf_slave,
            stats: LinkStats {
                rx_packets: st.rx_packets,
                tx_packets: st.tx_packets,
                rx_bytes: st.rx_bytes,
                tx_bytes: st.tx_bytes,
                rx_dropped: st.rx_dropped,
                tx_dropped: st.tx_dropped,
                tx_errors: st.tx_errors,
            },
        }
    }

    /// `RTM_GETLINK` with `NLM_F_DUMP`: every device of `ns`, in ifindex order.
    pub fn rtnl_link_dump(&self, ns: NsId) -> Vec<LinkMsg> {
        self.dump_ns_devs(ns)
            .into_iter()
            .map(|(d, dev)| self.fill_ifinfo(d, dev))
            .collect()
    }

    /// `RTM_GETLINK` for one ifindex.
    pub fn rtnl_link_get(&self, ns: NsId, ifindex: IfIndex) -> Option<LinkMsg> {
        let d = self.dev_by_ifindex_checked(ns, ifindex)?;
        self.dump_dev(d).map(|dev| self.fill_ifinfo(d, dev))
    }

    fn dev_by_ifindex_checked(&self, ns: NsId, ifindex: IfIndex) -> Option<DevId> {
        self.dump_ns_devs(ns)
            .into_iter()
            .find(|(_, x)| x.ifindex == ifindex)
            .map(|(d, _)| d)
    }
}

// ------------------------------------------------------------------ addresses

pub const IFA_F_SECONDARY: u32 = 0x01;

/// One `RTM_NEWADDR` message (IPv4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddrMsg {
    pub ifindex: IfIndex,
    pub prefixlen: u8,
    pub scope: u8,
    /// `IFA_FLAGS` (`IFA_F_SECONDARY`).
    pub flags: u32,
    /// `IFA_LOCAL`.
    pub local: Ipv4Addr,
    /// `IFA_ADDRESS`: the peer of a point-to-point address, else `local`.
    pub address: Ipv4Addr,
    /// `IFA_BROADCAST`.
    pub broadcast: Option<Ipv4Addr>,
    /// `IFA_LABEL`.
    pub label: String,
    /// `IFA_RT_PRIORITY` (sent only when not 0).
    pub rt_priority: u32,
}

impl AddrMsg {
    /// iproute2 prints `peer` when `IFA_ADDRESS` differs from `IFA_LOCAL`.
    pub fn has_peer(&self) -> bool {
        self.address != self.local
    }
}

impl Kernel {
    /// `RTM_GETADDR` (`AF_INET`) with `NLM_F_DUMP`: by device in ifindex order, each device's
    /// addresses in its list order. `ifindex` restricts it to one device (the kernel's
    /// `ifa_index` filter with strict checking).
    pub fn rtnl_addr_dump(&self, ns: NsId, ifindex: Option<IfIndex>) -> Vec<AddrMsg> {
        let mut out = Vec::new();
        for (_, dev) in self.dump_ns_devs(ns) {
            if ifindex.is_some_and(|i| i != dev.ifindex) {
                continue;
            }
            for a in &dev.addrs {
                out.push(AddrMsg {
                    ifindex: dev.ifindex,
                    prefixlen: a.plen,
                    scope: a.scope,
                    flags: if a.secondary { IFA_F_SECONDARY } else { 0 },
                    local: a.local,
                    // The model keeps `address == local` unless a peer was given.
                    address: if a.has_peer { a.address } else { a.local },
                    broadcast: a.broadcast,
                    label: if a.label.is_empty() {
                        dev.name.clone()
                    } else {
                        a.label.clone()
                    },
                    rt_priority: a.rt_priority,
                });
            }
        }
        out
    }
}

// ------------------------------------------------------------------ routes

/// `RTNH_F_*` nexthop flags in `rtm_flags`.
pub const RTNH_F_DEAD: u32 = 0x01;
pub const RTNH_F_ONLINK: u32 = 0x04;
pub const RTNH_F_LINKDOWN: u32 = 0x10;

/// One `RTM_NEWROUTE` message (IPv4, single nexthop).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteMsg {
    /// `RTA_TABLE`.
    pub table: u32,
    /// `RTA_DST` and `rtm_dst_len`.
    pub dst: Ipv4Addr,
    pub dst_len: u8,
    pub rtype: RtnType,
    pub protocol: u8,
    pub scope: u8,
    /// `RTA_PREFSRC`.
    pub prefsrc: Option<Ipv4Addr>,
    /// `RTA_PRIORITY`.
    pub priority: u32,
    /// `RTA_GATEWAY`.
    pub gateway: Option<Ipv4Addr>,
    /// `RTA_OIF`.
    pub oif: Option<IfIndex>,
    /// `rtm_flags`: `RTNH_F_ONLINK`, `RTNH_F_LINKDOWN`.
    pub flags: u32,
    /// `RTA_NH_ID`.
    pub nhid: Option<u32>,
    /// `RTA_MULTIPATH` of a route through a nexthop group of more than one path (then no
    /// `RTA_GATEWAY`/`RTA_OIF`): each path's gateway, device and weight.
    pub nh_group: Vec<(Option<Ipv4Addr>, Option<IfIndex>, u16)>,
    /// `RTA_MULTIPATH` (a route with more than one nexthop; then no `RTA_GATEWAY`/`RTA_OIF`).
    pub multipath: Vec<RtnhMsg>,
    /// `RTA_METRICS`.
    pub metrics: Option<Box<crate::net::fib::FibMetrics>>,
}

/// One `rtnexthop` of a dumped `RTA_MULTIPATH`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RtnhMsg {
    pub gateway: Option<Ipv4Addr>,
    pub ifindex: Option<IfIndex>,
    /// `rtnh_hops + 1`.
    pub weight: u32,
    /// `rtnh_flags`: `RTNH_F_DEAD`, `RTNH_F_ONLINK`, `RTNH_F_LINKDOWN`.
    pub flags: u32,
}

impl Kernel {
    /// `RTM_GETROUTE` with `NLM_F_DUMP`: the tables in `fib_table_hash` order (bucket `id &
    /// 0xff`, so main 254 before local 255), each walked as the trie does (by prefix, a longer
    /// prefix first for the same key, then the aliases' order). `table` restricts it to one
    /// table (`RTA_TABLE` filter).
    pub fn rtnl_route_dump(&self, ns: NsId, table: Option<u32>) -> Vec<RouteMsg> {
        let Some(net) = self.nets.get(ns).and_then(|n| n.as_ref()) else {
            return Vec::new();
        };
        let mut ids: Vec<u32> = net
            .fib
            .tables()
            .keys()
            .copied()
            .filter(|&id| table.is_none_or(|t| t == id))
            .collect();
        ids.sort_by_key(|&id| (id & 0xff, id));
        let mut out = Vec::new();
        for id in ids {
            let Some(t) = net.fib.tables().get(&id) else {
                continue;
            };
            let mut keys: Vec<(u32, u8)> = t.routes.keys().copied().collect();
            keys.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            for key in keys {
                for r in t.routes.get(&key).into_iter().flatten() {
                    let mut m = self.fib_dump_info(r);
                    // fib_dump_info: a nexthop group of several paths is listed as them.
                    if let Some(crate::net::nexthop::NhKind::Group(v)) = r
                        .nhid
                        .and_then(|id| net.nexthops.get(id))
                        .map(|nh| &nh.kind)
                    {
                        if v.len() > 1 {
                            m.nh_group = v
                                .iter()
                                .filter_map(|e| {
                                    let nh = net.nexthops.get(e.id)?;
                                    let oif =
                                        nh.dev().and_then(|d| self.dump_dev(d)).map(|x| x.ifindex);
                                    Some((nh.gw(), oif, e.weight))
                                })
                                .collect();
                            m.gateway = None;
                            m.oif = None;
                        }
                    }
                    // a route through a blackhole nexthop object is listed as a blackhole route
                    if r.nhid
                        .and_then(|id| net.nexthops.select_path(id))
                        .is_some_and(|(_, i)| i.blackhole)
                    {
                        m.rtype = RtnType::Blackhole;
                    }
                    out.push(m);
                }
            }
        }
        out
    }

    /// `fib_dump_info` of one route: a single nexthop as `RTA_GATEWAY`/`RTA_OIF` with its
    /// flags in `rtm_flags`, several as `RTA_MULTIPATH` (the route's own flags then say
    /// `dead`/`linkdown` only when every nexthop is).
    fn fib_dump_info(&self, r: &crate::net::fib::Route) -> RouteMsg {
        // fib_sync_down_dev marks the nexthop dead-for-carrier; host-scope routes have a
        // RT_SCOPE_NOWHERE nexthop it leaves alone.
        let linkdown = |d: Option<DevId>| {
            d.is_some_and(|d| {
                // fib_sync_down_dev(NETDEV_DOWN) also marks a down device's nexthops
                r.scope != RT_SCOPE_HOST
                    && self.dump_dev(d).is_some()
                    && !(self.dump_carrier(d) && self.dev(d).up)
            })
        };
        let mut flags = 0;
        let mut multipath = Vec::new();
        let (mut gateway, mut oif) = (None, None);
        if r.nhs.is_empty() {
            if r.onlink {
                flags |= RTNH_F_ONLINK;
            }
            if linkdown(r.dev) {
                flags |= RTNH_F_LINKDOWN;
            }
            gateway = r.gw;
            oif = r.dev.and_then(|d| self.dump_dev(d)).map(|x| x.ifindex);
        } else {
            for n in &r.nhs {
                let mut f = 0;
                if n.flags & crate::net::fib::RTNH_F_DEAD != 0 {
                    f |= RTNH_F_DEAD;
                }
                if n.flags & crate::net::fib::RTNH_F_ONLINK != 0 {
                    f |= RTNH_F_ONLINK;
                }
                if linkdown(n.dev) {
                    f |= RTNH_F_LINKDOWN;
                }
                multipath.push(RtnhMsg {
                    gateway: n.gw,
                    ifindex: n.dev.and_then(|d| self.dump_dev(d)).map(|x| x.ifindex),
                    weight: n.weight,
                    flags: f,
                });
            }
            if multipath.iter().all(|n| n.flags & RTNH_F_LINKDOWN != 0) {
                flags |= RTNH_F_LINKDOWN;
            }
        }
        RouteMsg {
            table: r.table,
            dst: r.dst,
            dst_len: r.plen,
            rtype: r.rtype,
            protocol: r.proto,
            scope: r.scope,
            prefsrc: r.prefsrc,
            priority: r.metric,
            gateway,
            oif,
            flags,
            multipath,
            metrics: r.metrics.clone(),
            nhid: r.nhid,
            nh_group: Vec::new(),
        }
    }
}

// ------------------------------------------------------------------ neighbours

/// One `RTM_NEWNEIGH` message (`AF_INET`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeighMsg {
    pub ifindex: IfIndex,
    /// `NDA_DST`.
    pub dst: Ipv4Addr,
    /// `NDA_LLADDR` (only while `NUD_VALID`).
    pub lladdr: Option<Mac>,
    /// `ndm_state`.
    pub state: u8,
}

impl Kernel {
    /// `RTM_GETNEIGH` (`AF_INET`) with `NLM_F_DUMP`: every entry, NOARP and NONE ones too (the
    /// tools filter), by (ifindex, address).
    pub fn rtnl_neigh_dump(&self, ns: NsId) -> Vec<NeighMsg> {
        let Some(net) = self.nets.get(ns).and_then(|n| n.as_ref()) else {
            return Vec::new();
        };
        let mut out: Vec<NeighMsg> = net
            .neigh
            .entries
            .iter()
            .filter_map(|(&(d, ip), n)| {
                let dev = self.dump_dev(d)?;
                Some(NeighMsg {
                    ifindex: dev.ifindex,
                    dst: ip,
                    lladdr: (n.state & NUD_VALID != 0).then_some(n.lladdr),
                    state: n.state,
                })
            })
            .collect();
        out.sort_by_key(|m| (m.ifindex, m.dst));
        out
    }
}

// ------------------------------------------------------------------ fdb

/// `ndm_flags`.
pub const NTF_SELF: u8 = 0x02;
pub const NTF_MASTER: u8 = 0x04;
pub const NTF_STICKY: u8 = 0x40;

/// One `RTM_NEWNEIGH` (`AF_BRIDGE`) message: a bridge fdb entry, a vxlan fdb remote, or an
/// address of a device's own unicast/multicast lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FdbMsg {
    pub ifindex: IfIndex,
    /// `NDA_LLADDR`.
    pub lladdr: Mac,
    /// `ndm_flags` (`NTF_SELF`, `NTF_MASTER`).
    pub flags: u8,
    /// `ndm_state`: `NUD_PERMANENT` (local), `NUD_NOARP` (static), `NUD_REACHABLE`...
    pub state: u8,
    /// `NDA_MASTER`.
    pub master: Option<IfIndex>,
    /// `NDA_DST` (vxlan).
    pub dst: Option<Ipv4Addr>,
    /// `NDA_PORT` (vxlan; only when it differs from the device's port).
    pub port: Option<u16>,
    /// `NDA_VNI` (vxlan; only when it differs from the device's VNI).
    pub vni: Option<u32>,
    /// `NDA_IFINDEX` (vxlan).
    pub via: Option<IfIndex>,
    /// `NDA_VLAN` (a bridge entry of a VLAN).
    pub vlan: Option<u16>,
}

impl Kernel {
    fn dump_fdb_expired(&self, b: &Bridge, e: &crate::net::bridge::FdbEntry) -> bool {
        !e.is_static && self.now.0 > e.updated.0.saturating_add(b.ageing)
    }

    /// `RTM_GETNEIGH` (`AF_BRIDGE`) with `NLM_F_DUMP` (`rtnl_fdb_dump`): for each device in
    /// ifindex order, its master bridge's entries for it (learned ones, then static and local
    /// ones, by address), then its own: a vxlan device's fdb (`vxlan_fdb_dump`, newest first),
    /// else its unicast and multicast address lists (`ndo_dflt_fdb_dump`) and, for a bridge,
    /// its entries that belong to no port.
    pub fn rtnl_fdb_dump(&self, ns: NsId) -> Vec<FdbMsg> {
        let mut out = Vec::new();
        let msg = |ifindex, lladdr, flags, state| FdbMsg {
            ifindex,
            lladdr,
            flags,
            state,
            master: None,
            dst: None,
            port: None,
            vni: None,
            via: None,
            vlan: None,
        };
        let devs = self.dump_ns_devs(ns);
        for &(d, x) in &devs {
            if matches!(x.kind, DevKind::Loopback | DevKind::Ipip(_)) {
                continue;
            }
            let state_of = |e: &crate::net::bridge::FdbEntry| {
                if e.local {
                    NUD_PERMANENT
                } else if e.is_static {
                    NUD_NOARP
                } else {
                    NUD_REACHABLE
                }
            };
            if let Some((m, b)) =
                x.master
                    .and_then(|m| self.dump_dev(m))
                    .and_then(|m| match &m.kind {
                        DevKind::Bridge(b) => Some((m, b)),
                        _ => None,
                    })
            {
                // br_fdb_dump walks br->fdb_list: the newest entry first.
                let mut rows: Vec<(std::cmp::Reverse<u64>, FdbMsg)> = Vec::new();
                for (mac, vid, e) in b.fdb.iter().map(|(k, e)| (k.mac(), k.vid(), e)) {
                    if e.port != Some(d) || self.dump_fdb_expired(b, e) {
                        continue;
                    }
                    let sticky = if e.sticky { NTF_STICKY } else { 0 };
                    let mut f = msg(x.ifindex, mac, NTF_MASTER | sticky, state_of(e));
                    f.master = Some(m.ifindex);
                    f.vlan = (vid != 0).then_some(vid);
                    rows.push((std::cmp::Reverse(e.seq), f));
                }
                rows.sort_by_key(|a| a.0);
                out.extend(rows.into_iter().map(|(_, f)| f));
            }
            if let DevKind::Vxlan(v) = &x.kind {
                for f in &v.fdb {
                    if v.expired(f, self.now) {
                        continue;
                    }
                    for r in &f.remotes {
                        let mut m = msg(x.ifindex, f.mac, NTF_SELF, f.state);
                        m.dst = Some(r.ip);
                        m.port = (r.port != 0 && r.port != v.dstport).then_some(r.port);
                        m.vni = r.vni.filter(|&n| n != v.vni);
                        m.via = (r.ifindex != 0).then_some(r.ifindex);
                        out.push(m);
                    }
                }
                continue;
            }
            for m in &x.uc {
                out.push(msg(x.ifindex, *m, NTF_SELF, NUD_PERMANENT));
            }
            // macvlan_open's dev_uc_add: each open macvlan's address (passthru takes the
            // lower device's own).
            if let Some(p) = &x.macvlan_port {
                for &v in &p.vlans {
                    let Some(vd) = self.dump_dev(v) else { continue };
                    if let DevKind::Macvlan(mv) = &vd.kind {
                        if vd.up && mv.mode != crate::net::macvlan::MACVLAN_MODE_PASSTHRU {
                            out.push(msg(x.ifindex, vd.mac, NTF_SELF, NUD_PERMANENT));
                        }
                    }
                }
            }
            // A snooping bridge joins the multicast router discovery groups (224.0.0.106).
            let is_bridge = matches!(&x.kind, DevKind::Bridge(b) if b.mcast_snooping);
            let mut mc: Vec<Mac> = vec![[0x33, 0x33, 0, 0, 0, 1]];
            // A bond slave also holds its bond's groups (bond_set_rx_mode: dev_mc_sync), even
            // while it is down itself: every slave, or only the active one in the modes with
            // one (bond_uses_primary: active-backup; tlb and alb are not modelled).
            let bond_up = x.master.is_some_and(|m| {
                self.dev_alive(m)
                    && self.dev(m).up
                    && self.bond(m).is_some_and(|b| {
                        b.mode != crate::net::bonding::BOND_MODE_ACTIVEBACKUP || b.active == Some(d)
                    })
            });
            if x.up || bond_up {
                if is_bridge && x.up {
                    mc.extend([[0x01, 0, 0x5e, 0, 0, 0x6a], [0x33, 0x33, 0, 0, 0, 0x6a]]);
                }
                mc.push([0x01, 0, 0x5e, 0, 0, 1]);
            }
            // register_vlan_dev's vlan_gvrp_init_applicant/vlan_mvrp_init_applicant: the
            // GARP/MRP group address on a device with VLANs.
            if x.vlan_info.is_some() {
                mc.push([0x01, 0x80, 0xc2, 0, 0, 0x21]);
            }
            for m in mc {
                out.push(msg(x.ifindex, m, NTF_SELF, NUD_PERMANENT));
            }
            if let DevKind::Bridge(b) = &x.kind {
                // The kernel inserts the bridge's own address at creation; report it even if
                // the model has not recorded it yet.
                if !b
                    .fdb
                    .contains_key(&crate::net::bridge::FdbKey::new(x.mac, 0))
                {
                    let mut f = msg(x.ifindex, x.mac, NTF_MASTER, NUD_PERMANENT);
                    f.master = Some(x.ifindex);
                    out.push(f);
                }
                let mut rows: Vec<(std::cmp::Reverse<u64>, FdbMsg)> = Vec::new();
                for (mac, vid, e) in b.fdb.iter().map(|(k, e)| (k.mac(), k.vid(), e)) {
                    if e.port.is_none() && !self.dump_fdb_expired(b, e) {
                        let mut f = msg(x.ifindex, mac, NTF_MASTER, state_of(e));
                        f.master = Some(x.ifindex);
                        f.vlan = (vid != 0).then_some(vid);
                        rows.push((std::cmp::Reverse(e.seq), f));
                    }
                }
                rows.sort_by_key(|a| a.0);
                out.extend(rows.into_iter().map(|(_, f)| f));
            }
        }
        out
    }
}

/// One entry of `/sys/class/net/BRIDGE/brforward` (`br_fdb_fillbuf`, what `brctl showmacs`
/// reads): port entries only, by address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrForwardEntry {
    pub mac: Mac,
    pub port_no: u16,
    pub is_local: bool,
    /// `ageing_timer_value` in centiseconds (0 for static entries).
    pub ageing_timer: u64,
}

impl Kernel {
    /// `/sys/class/net/BRIDGE/brforward` of the bridge with `ifindex` in `ns`; empty when it is
    /// not a bridge.
    pub fn br_fdb_brforward(&self, ns: NsId, ifindex: IfIndex) -> Vec<BrForwardEntry> {
        let Some(dev) = self
            .dev_by_ifindex_checked(ns, ifindex)
            .and_then(|d| self.dump_dev(d))
        else {
            return Vec::new();
        };
        let DevKind::Bridge(b) = &dev.kind else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (mac, _, e) in b.fdb.iter().map(|(k, e)| (k.mac(), k.vid(), e)) {
            let Some(p) = e.port else { continue };
            if self.dump_fdb_expired(b, e) {
                continue;
            }
            out.push(BrForwardEntry {
                mac,
                port_no: b.port_no.get(&p).copied().unwrap_or(0),
                is_local: e.local,
                ageing_timer: if e.is_static {
                    0
                } else {
                    self.now.0.saturating_sub(e.updated.0) / 10_000_000
                },
            });
        }
        out
    }
}

// ------------------------------------------------------------------ namespaces

/// A namespace as userspace sees it: its name (the lab's label; `root` for the initial one,
/// which has no `/var/run/netns` file) and the nsid links in other namespaces name it by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetnsMsg {
    pub name: String,
    pub nsid: i32,
    /// Whether `/var/run/netns/NAME` exists (every namespace but the initial one).
    pub named: bool,
}

impl Kernel {
    /// The live namespaces in creation order (the initial one first).
    pub fn netns_dump(&self) -> Vec<NetnsMsg> {
        self.nets
            .iter()
            .enumerate()
            .filter_map(|(i, n)| {
                let n = n.as_ref().filter(|n| !n.detached)?;
                Some(NetnsMsg {
                    name: n.name.clone(),
                    nsid: i32::try_from(i).ok()?,
                    named: i != ROOT_NS && !n.name.starts_with('/'),
                })
            })
            .collect()
    }
}

// ------------------------------------------------------------------ netconf

/// `NETCONFA_IFINDEX_ALL` / `NETCONFA_IFINDEX_DEFAULT`: the `conf/all` and `conf/default`
/// entries of a netconf dump.
pub const NETCONFA_IFINDEX_ALL: i32 = -1;
pub const NETCONFA_IFINDEX_DEFAULT: i32 = -2;

/// One `RTM_NEWNETCONF` message (`AF_INET`, `inet_netconf_fill_devconf` with
/// `NETCONFA_ALL`): the device's own values, as `conf/IF/*` holds them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetconfMsg {
    /// An ifindex, or [`NETCONFA_IFINDEX_ALL`] / [`NETCONFA_IFINDEX_DEFAULT`].
    pub ifindex: i32,
    pub forwarding: i64,
    pub rp_filter: i64,
    pub mc_forwarding: i64,
    /// `proxy_arp`.
    pub proxy_neigh: i64,
    pub ignore_routes_with_linkdown: i64,
}

impl Kernel {
    /// `RTM_GETNETCONF` (`AF_INET`) with `NLM_F_DUMP` (`inet_netconf_dump_devconf`): every
    /// device (by ifindex), then `all`, then `default`.
    pub fn rtnl_netconf_dump(&self, ns: NsId) -> Vec<NetconfMsg> {
        use crate::net::devconf::{DevConf, CONF_FORWARDING, CONF_PROXY_ARP, CONF_RP_FILTER};
        let Some(net) = self.nets.get(ns).and_then(|n| n.as_ref()) else {
            return Vec::new();
        };
        let msg = |ifindex: i32, c: &DevConf| NetconfMsg {
            ifindex,
            forwarding: c.get(CONF_FORWARDING),
            rp_filter: c.get(CONF_RP_FILTER),
            mc_forwarding: 0,
            proxy_neigh: c.get(CONF_PROXY_ARP),
            ignore_routes_with_linkdown: 0,
        };
        let mut out: Vec<NetconfMsg> = self
            .dump_ns_devs(ns)
            .into_iter()
            .filter_map(|(_, d)| Some(msg(i32::try_from(d.ifindex).ok()?, &d.conf)))
            .collect();
        out.push(msg(NETCONFA_IFINDEX_ALL, &net.conf_all));
        out.push(msg(NETCONFA_IFINDEX_DEFAULT, &net.conf_default));
        out
    }
}

// ------------------------------------------------------------------ overlay query

impl Kernel {
    /// The device that would receive what the tunnel `ifindex` of `ns` sends to `remote`: the
    /// namespace owning that address (the first device holding it), and there the tunnel the
    /// kernel's own demultiplexing picks (`ip_tunnel_lookup` for IPIP, VNI and port for VXLAN),
    /// else the device holding the address. `(nsid, ifindex)`; None when no namespace has
    /// `remote`.
    pub fn overlay_rx_dev(
        &self,
        ns: NsId,
        ifindex: IfIndex,
        remote: Ipv4Addr,
    ) -> Option<(i32, IfIndex)> {
        let d = self.dev_by_ifindex_checked(ns, ifindex)?;
        let dev = self.dump_dev(d)?;
        let holder = self.devs.iter().enumerate().find_map(|(x, o)| {
            let o = o.as_ref()?;
            (x != d && o.addrs.iter().any(|a| a.local == remote)).then_some(x)
        })?;
        let peer_ns = self.dump_dev(holder)?.ns;
        let peer = match &dev.kind {
            DevKind::Ipip(tn) | DevKind::Gretap(tn) => {
                let src = if tn.parms.local.is_unspecified() {
                    self.ip_route_output(ns, remote, Ipv4Addr::UNSPECIFIED, None)
                        .map_or(Ipv4Addr::UNSPECIFIED, |r| r.src)
                } else {
                    tn.parms.local
                };
                let kind = tn.kind;
                let key = if tn.parms.o_flags & crate::net::ip_tunnel::TUNNEL_KEY != 0 {
                    tn.parms.o_key
                } else {
                    0
                };
                let flags = tn.parms.o_flags;
                self.ip_tunnel_lookup(
                    peer_ns,
                    kind,
                    self.dump_dev(holder)?.ifindex,
                    flags,
                    src,
                    remote,
                    key,
                )
            }
            DevKind::Vxlan(x) => self.net(peer_ns).devs.iter().copied().find(|&p| {
                matches!(self.dump_dev(p).map(|p| &p.kind),
                    Some(DevKind::Vxlan(y)) if y.vni == x.vni && y.dstport == x.dstport)
            }),
            _ => None,
        }
        .unwrap_or(holder);
        let p = self.dump_dev(peer)?;
        Some((i32::try_from(p.ns).ok()?, p.ifindex))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::fib::{Route, RTPROT_KERNEL, RT_SCOPE_LINK, RT_TABLE_LOCAL, RT_TABLE_MAIN};

    fn route(table: u32, dst: &str, plen: u8, metric: u32) -> Route {
        Route {
            table,
            dst: dst.parse().expect("ip"),
            plen,
            rtype: RtnType::Unicast,
            proto: RTPROT_KERNEL,
            scope: RT_SCOPE_LINK,
            prefsrc: None,
            metric,
            gw: None,
            dev: None,
            onlink: false,
            nh_scope: RT_SCOPE_LINK,
            nhid: None,
            nhs: Vec::new(),
            metrics: None,
        }
    }

    /// `ip link` lists by ifindex even when a device moved in later with a lower index.
    #[test]
    fn links_in_ifindex_order() {
        let mut k = Kernel::new(1);
        let ns = k.netns_add("a");
        let m = |i: u8| [2, 0, 0, 0, 0, i];
        for (i, n) in ["y", "z", "u", "v"].into_iter().enumerate() {
            k.dev_create(ns, n, DevKind::Dummy, m(i as u8), 1500);
        }
        let u = k.dev_by_name(ns, "u").expect("u");
        k.dev_del(u);
        // x is ifindex 4 in the initial namespace and keeps it: free in `a`.
        k.dev_create(ROOT_NS, "a", DevKind::Dummy, m(10), 1500);
        k.dev_create(ROOT_NS, "b", DevKind::Dummy, m(11), 1500);
        let x = k.dev_create(ROOT_NS, "x", DevKind::Dummy, m(12), 1500);
        k.dev_change_net(x, ns);
        let names: Vec<(u32, String)> = k
            .rtnl_link_dump(ns)
            .into_iter()
            .map(|l| (l.ifindex, l.name))
            .collect();
        let want: Vec<(u32, String)> = [(1, "lo"), (2, "y"), (3, "z"), (4, "x"), (5, "v")]
            .iter()
            .map(|&(i, n)| (i, n.to_string()))
            .collect();
        assert_eq!(names, want);
    }

    /// Tables in hash-bucket order (main 254 before local 255, 100 before both); inside a
    /// table by prefix, the longer prefix first for the same address, aliases by metric.
    #[test]
    fn routes_in_kernel_dump_order() {
        let mut k = Kernel::new(1);
        let ns = k.netns_add("a");
        let net = k.net_mut(ns);
        for r in [
            route(RT_TABLE_LOCAL, "10.0.0.1", 32, 0),
            route(RT_TABLE_MAIN, "10.0.0.0", 24, 0),
            route(RT_TABLE_MAIN, "10.0.0.0", 8, 0),
            route(RT_TABLE_MAIN, "10.0.0.0", 24, 5),
            route(RT_TABLE_MAIN, "9.0.0.0", 8, 0),
            route(100, "1.0.0.0", 8, 0),
        ] {
            net.fib.table(r.table).insert(r);
        }
        let got: Vec<(u32, String, u8, u32)> = k
            .rtnl_route_dump(ns, None)
            .into_iter()
            .map(|r| (r.table, r.dst.to_string(), r.dst_len, r.priority))
            .collect();
        let want = [
            (100, "1.0.0.0", 8, 0),
            (254, "9.0.0.0", 8, 0),
            (254, "10.0.0.0", 24, 0),
            (254, "10.0.0.0", 24, 5),
            (254, "10.0.0.0", 8, 0),
            (255, "10.0.0.1", 32, 0),
        ];
        let want: Vec<(u32, String, u8, u32)> = want
            .iter()
            .map(|&(t, d, l, m)| (t, d.to_string(), l, m))
            .collect();
        assert_eq!(got, want);
        assert_eq!(k.rtnl_route_dump(ns, Some(RT_TABLE_LOCAL)).len(), 1);
    }
}

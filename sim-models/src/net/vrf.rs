//! VRF devices (`drivers/net/vrf.c`): an L3 master device whose slaves' routes live in its
//! FIB table, so each VRF is a routing domain of its own inside one namespace.
//!
//! - `vrf_newlink`: `type vrf table N` (the table is required and not 0), a random address,
//!   `<NOARP,MASTER>`, MTU 65575 (`IP6_MAX_MTU`), operstate UP; the namespace's first VRF adds
//!   the `l3mdev` rule (`1000: from all lookup [l3mdev-table]`, `vrf_add_fib_rules`). Several
//!   VRFs may share a table (`strict_mode` 0, the default).
//! - `vrf_add_slave`/`vrf_del_slave` (`ip link set DEV master VRF` / `nomaster`): linking or
//!   unlinking the upper device is `NETDEV_CHANGEUPPER`, on which the FIB flushes every route
//!   through the device, local ones included, and ARP forgets its neighbours
//!   (`fib_disable_ip(dev, NETDEV_DOWN, true)`); then `cycle_netdev` takes a running device
//!   down and up, and `NETDEV_UP` adds its addresses' routes again — in the VRF's table
//!   (`fib_magic` asks `l3mdev_fib_table`). A device that is down gets them when it comes up.
//! - Receive (`vrf_ip_rcv`, `l3mdev_ip_rcv` from `ip_rcv_finish`): the packet's device becomes
//!   the VRF (the input route is looked up with `iif` = the VRF, in its table through the
//!   `l3mdev` rule); a capture on the VRF sees the frame with the slave's link-layer header
//!   (`dev_queue_xmit_nit`), multicast excepted.
//! - Output (`vrf_ip_out` → `vrf_ip_out_direct` → `vrf_finish_direct`, `l3mdev_ip_out` from
//!   `__ip_local_out`): a locally generated packet routed out of a slave shows on the VRF's
//!   capture with an Ethernet header from the VRF's address to 00:00:00:00:00:00; forwarded
//!   packets do not pass there. Multicast and limited broadcast are not diverted.
//! - `vrf_xmit`: a packet routed to the VRF device itself (a local address of the VRF) comes
//!   back in on it, as on loopback (`vrf_local_xmit`).
//!
//! # Differences from Linux
//! The VRF's second netfilter pass (`vrf_rcv_nfhook` at PRE_ROUTING, `vrf_ip_out_direct` at
//! LOCAL_OUT/POST_ROUTING with the VRF as device) is not made; no qdisc on a VRF
//! (`vrf_ip_out_redirect`); no `net.vrf.strict_mode`; no IPv6.

use crate::errno::Errno;
use crate::kernel::{DevId, DevKind, Kernel, NsId};
use crate::net::rtnetlink::RtnlError;
use crate::net::skbuff::SkBuff;
use crate::wire::*;

/// `struct net_vrf`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vrf {
    /// `tb_id`: the FIB table of the VRF.
    pub tb_id: u32,
}

/// `IP6_MAX_MTU`: a VRF's MTU and maximum (`vrf_setup`).
pub const VRF_MTU: u32 = 65575;
/// `IPV6_MIN_MTU`: a VRF's minimum MTU.
pub const VRF_MIN_MTU: u32 = 1280;

impl Kernel {
    /// `vrf_newlink` (after `vrf_validate`): `table` is `IFLA_VRF_TABLE`.
    pub fn vrf_newlink(
        &mut self,
        ns: NsId,
        name: &str,
        mac: Option<Mac>,
        mtu: Option<u32>,
        table: Option<u32>,
    ) -> Result<DevId, RtnlError> {
        let Some(tb_id) = table else {
            return Err(RtnlError::extack(Errno::EINVAL, "VRF table id is missing"));
        };
        if tb_id == 0 {
            return Err(RtnlError::extack(Errno::EINVAL, "Invalid VRF table id"));
        }
        if let Some(m) = mtu {
            if m < VRF_MIN_MTU {
                return Err(RtnlError::extack(
                    Errno::EINVAL,
                    "mtu less than device minimum",
                ));
            }
            if m > VRF_MTU {
                return Err(RtnlError::extack(
                    Errno::EINVAL,
                    "mtu greater than device maximum",
                ));
            }
        }
        let mac_given = mac.is_some();
        // vrf_setup: eth_hw_addr_random.
        let mac = mac.unwrap_or_else(|| self.rng.eth_random_addr());
        let d = self.dev_create(
            ns,
            name,
            DevKind::Vrf(Box::new(Vrf { tb_id })),
            mac,
            mtu.unwrap_or(VRF_MTU),
        );
        self.dev_mut(d).mac_set = mac_given;
        // vrf_rtable_create: fib_new_table.
        let fib = &mut self.net_mut(ns).fib;
        fib.table(tb_id);
        if !fib.vrf_rules_added {
            fib.rules.add_l3mdev_rule();
            fib.vrf_rules_added = true;
        }
        self.rt_cache_flush();
        Ok(d)
    }

    /// The VRF device's table (`vrf_fib_table`), if `d` is a VRF.
    pub fn vrf_table(&self, d: DevId) -> Option<u32> {
        match &self.dev(d).kind {
            DevKind::Vrf(v) => Some(v.tb_id),
            _ => None,
        }
    }

    /// `vrf_add_slave` → `do_vrf_add_slave`.
    pub fn vrf_add_slave(&mut self, vrf: DevId, port: DevId) -> Result<(), RtnlError> {
        if self.netif_is_l3_master(port) {
            return Err(RtnlError::extack(
                Errno::EINVAL,
                "Can not enslave an L3 master device to a VRF",
            ));
        }
        if self.netif_is_l3_slave(port) {
            return Err(Errno::EINVAL.into());
        }
        if matches!(self.dev(port).kind, DevKind::Loopback) {
            return Err(RtnlError::extack(
                Errno::EOPNOTSUPP,
                "Can not enslave loopback device to a VRF",
            ));
        }
        self.dev_mut(port).master = Some(vrf);
        self.vrf_changeupper(port);
        self.cycle_netdev(port);
        // (a device that is down is not cycled)
        self.rt_cache_flush();
        Ok(())
    }

    /// `do_vrf_del_slave`: unlinked (NETDEV_CHANGEUPPER), then cycled.
    pub fn vrf_del_slave(&mut self, port: DevId) {
        self.dev_mut(port).master = None;
        self.rt_cache_flush();
        if !self.dev_alive(port) {
            return;
        }
        self.vrf_changeupper(port);
        self.cycle_netdev(port);
        self.rt_cache_flush();
    }

    /// `fib_netdev_event(NETDEV_CHANGEUPPER)` with an L3 master as upper device:
    /// `fib_disable_ip(dev, NETDEV_DOWN, true)` — every route through the device goes, then
    /// `arp_ifdown`.
    fn vrf_changeupper(&mut self, d: DevId) {
        let ns = self.dev(d).ns;
        self.nexthop_flush_dev(d);
        self.net_mut(ns).fib.flush_dev(d);
        self.fnhe_release_unused(ns);
        self.neigh_flush_dev(d);
    }

    /// `cycle_netdev`: a running device goes down and up again (flushing its neighbours and
    /// moving its routes to the table of its new master).
    fn cycle_netdev(&mut self, d: DevId) {
        self.dev_cycle(d);
    }

    /// `vrf_dellink` (and `vrf_device_event`'s NETDEV_UNREGISTER of a slave): a deleted VRF
    /// releases its slaves; a deleted slave leaves its VRF.
    pub fn vrf_dev_unregister(&mut self, d: DevId) {
        if self.netif_is_l3_master(d) {
            let ns = self.dev(d).ns;
            let slaves: Vec<DevId> = self
                .net(ns)
                .devs
                .iter()
                .copied()
                .filter(|&s| self.dev(s).master == Some(d))
                .collect();
            for s in slaves {
                self.vrf_del_slave(s);
            }
        } else if self.netif_is_l3_slave(d) {
            self.dev_mut(d).master = None;
        }
        self.rt_cache_flush();
    }

    /// `l3mdev_ip_rcv` → `vrf_ip_rcv`: a packet received on a slave of a VRF (or on the VRF
    /// itself, looped back by `vrf_xmit`) continues with the VRF as its device; the VRF's taps
    /// see it (not multicast, not what the VRF looped back). Answers the VRF.
    pub(crate) fn l3mdev_ip_rcv(
        &mut self,
        d: DevId,
        skb: &mut SkBuff,
        dst: Ipv4Addr,
    ) -> Option<DevId> {
        let vrf = self.l3mdev_master_dev(d)?;
        if dst.is_multicast() || vrf == d {
            return Some(vrf);
        }
        let dev = self.dev_mut(vrf);
        dev.stats.rx_packets += 1;
        dev.stats.rx_bytes += skb.len() as u64;
        if !self.capture.enabled() {
            return Some(vrf);
        }
        // dev_queue_xmit_nit with the slave's mac header, still in the headroom
        // (eth_type_trans pulled it); without one, vrf_prepare_mac_header's (the VRF's
        // address as both source and destination).
        let frame = if skb.headroom() >= ETH_HLEN {
            skb.push(ETH_HLEN);
            let f = skb.data().to_vec();
            skb.pull(ETH_HLEN);
            f
        } else {
            let mac = self.dev(vrf).mac;
            let mut f = Vec::with_capacity(ETH_HLEN + skb.len());
            f.extend_from_slice(&mac);
            f.extend_from_slice(&mac);
            f.extend_from_slice(&ETH_P_IP.to_be_bytes());
            f.extend_from_slice(skb.data());
            f
        };
        // (PACKET_HOST: the frame was for this host.)
        self.tap_typed(vrf, &frame, crate::apps::tcpdump::PACKET_HOST);
        Some(vrf)
    }

    /// `l3mdev_ip_out` → `vrf_ip_out` → `vrf_finish_direct`: a locally generated packet whose
    /// route goes out of a slave of a VRF passes the VRF's taps with an Ethernet header from
    /// the VRF's address to 00:00:00:00:00:00.
    pub(crate) fn l3mdev_ip_out(&mut self, out: DevId, packet: &[u8]) {
        let Some(vrf) = self.l3mdev_master_dev(out) else {
            return;
        };
        if vrf == out || packet.len() < 20 {
            return;
        }
        let dst = Ipv4Addr::new(packet[16], packet[17], packet[18], packet[19]);
        if dst.is_multicast() || dst.is_broadcast() {
            return;
        }
        let dev = self.dev_mut(vrf);
        dev.stats.tx_packets += 1;
        dev.stats.tx_bytes += packet.len() as u64;
        if !self.capture.enabled() {
            return;
        }
        let mut frame = Vec::with_capacity(ETH_HLEN + packet.len());
        frame.extend_from_slice(&[0; 6]);
        frame.extend_from_slice(&self.dev(vrf).mac);
        frame.extend_from_slice(&ETH_P_IP.to_be_bytes());
        frame.extend_from_slice(packet);
        self.tap_out(vrf, &frame);
    }

    /// `vrf_xmit` for a packet routed to the VRF device itself (`vrf_local_xmit`): it comes
    /// back in on the VRF, as through loopback.
    pub(crate) fn vrf_xmit(&mut self, d: DevId, mut skb: SkBuff) {
        skb.scrub(true);
        self.schedule_in(
            sim_core::Duration::from_nanos(1_000),
            crate::kernel::Event::NetifRx { dev: d, skb },
        );
    }
}

use std::net::Ipv4Addr;

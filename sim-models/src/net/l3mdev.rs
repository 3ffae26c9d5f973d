//! L3 master devices (`net/l3mdev/l3mdev.c`, `include/net/l3mdev.h`): what the FIB, ARP and
//! the IPv4 paths ask about a device that is a VRF or is enslaved to one — its master, the
//! master's table — and `l3mdev_update_flow`, which points a lookup's flow at that table
//! through the `l3mdev` rule (`fib_rules.rs`).
//!
//! The only L3 master device is the VRF (`net/vrf.rs`). The parent of an L3S ipvlan port is
//! no master but has an l3mdev rx hook (`IFF_L3MDEV_RX_HANDLER`, `net/ipvlan.rs`).

use crate::kernel::{DevId, DevKind, Kernel, NsId};
use crate::net::fib::{RtnType, RT_TABLE_LOCAL};
use crate::net::fib_rules::{Flowi4, LOOPBACK_IFINDEX};
use std::net::Ipv4Addr;

impl Kernel {
    /// `netif_is_l3_master`.
    pub fn netif_is_l3_master(&self, d: DevId) -> bool {
        matches!(self.dev(d).kind, DevKind::Vrf(_))
    }

    /// `netif_is_l3_slave`: enslaved to a VRF.
    pub fn netif_is_l3_slave(&self, d: DevId) -> bool {
        self.dev(d)
            .master
            .is_some_and(|m| self.dev_alive(m) && self.netif_is_l3_master(m))
    }

    /// `netif_has_l3_rx_handler`: `IFF_L3MDEV_RX_HANDLER`, which `ipvlan_l3s_register` sets on
    /// the parent of an L3S ipvlan port (`l3mdev_l3_rcv` then calls `ipvlan_l3_rcv`).
    pub fn netif_has_l3_rx_handler(&self, d: DevId) -> bool {
        self.dev(d)
            .ipvlan_port
            .as_ref()
            .is_some_and(|p| p.mode == crate::net::ipvlan::IPVLAN_MODE_L3S)
    }

    /// `l3mdev_master_dev_rcu`: the device itself when it is a VRF, its VRF when it is
    /// enslaved to one.
    pub fn l3mdev_master_dev(&self, d: DevId) -> Option<DevId> {
        if self.netif_is_l3_master(d) {
            Some(d)
        } else if self.netif_is_l3_slave(d) {
            self.dev(d).master
        } else {
            None
        }
    }

    /// `l3mdev_master_ifindex_rcu` (0: none).
    pub fn l3mdev_master_ifindex(&self, d: DevId) -> u32 {
        self.l3mdev_master_dev(d).map_or(0, |m| self.dev(m).ifindex)
    }

    /// `l3mdev_fib_table`: the table of the device's VRF (None: the device is in no VRF).
    pub fn l3mdev_fib_table(&self, d: DevId) -> Option<u32> {
        match &self.dev(self.l3mdev_master_dev(d)?).kind {
            DevKind::Vrf(v) => Some(v.tb_id),
            _ => None,
        }
    }

    /// `l3mdev_update_flow`: an output device (or, without one, an input device other than
    /// lo) in a VRF sets the flow's `flowi4_l3mdev` (and with it the table the `l3mdev` rule
    /// looks in); an output device that is the VRF itself only directs the lookup to its
    /// table, so the flow's `oif` is cleared.
    pub fn l3mdev_update_flow(&self, ns: NsId, fl: &mut Flowi4) {
        if fl.oif != 0 {
            if let Some(d) = self.dev_by_ifindex(ns, fl.oif) {
                if fl.l3mdev == 0 {
                    fl.l3mdev = self.l3mdev_master_ifindex(d);
                }
                if self.netif_is_l3_master(d) {
                    fl.oif = 0;
                }
                self.l3mdev_set_table(ns, fl);
                return;
            }
        }
        if fl.iif > LOOPBACK_IFINDEX && fl.l3mdev == 0 {
            if let Some(d) = self.dev_by_ifindex(ns, fl.iif) {
                fl.l3mdev = self.l3mdev_master_ifindex(d);
            }
        }
        self.l3mdev_set_table(ns, fl);
    }

    /// `l3mdev_fib_rule_match`'s table for the flow's `flowi4_l3mdev` (kept in the flow, as
    /// the rule's `fib_lookup_arg` gets it).
    fn l3mdev_set_table(&self, ns: NsId, fl: &mut Flowi4) {
        fl.l3mdev_table = if fl.l3mdev == 0 {
            0
        } else {
            self.dev_by_ifindex(ns, fl.l3mdev)
                .and_then(|m| match &self.dev(m).kind {
                    DevKind::Vrf(v) => Some(v.tb_id),
                    _ => None,
                })
                .unwrap_or(0)
        };
    }

    /// `inet_addr_type_dev_table`: the type of `addr` in the table of the device's VRF, or in
    /// the local table for a device in none (broadcast for 0.0.0.0 and 255.255.255.255,
    /// multicast, unicast where no route, or one of an error type, covers it).
    pub fn inet_addr_type_dev_table(&self, d: DevId, addr: Ipv4Addr) -> RtnType {
        if addr.is_unspecified() || addr.is_broadcast() {
            return RtnType::Broadcast;
        }
        if addr.is_multicast() {
            // RTN_MULTICAST: no such RtnType in the model; no caller asks for it.
            return RtnType::Broadcast;
        }
        let table = self.l3mdev_fib_table(d).unwrap_or(RT_TABLE_LOCAL);
        let ns = self.dev(d).ns;
        // (The local table merged into main while no rule was added: main's routes too.)
        match self.net(ns).fib.fib_table_lookup(table, addr, &|_| true) {
            // (fib_table_lookup fails for a route of an error type: unicast then.)
            Some(r)
                if !matches!(
                    r.rtype,
                    RtnType::Unreachable | RtnType::Prohibit | RtnType::Blackhole | RtnType::Throw
                ) =>
            {
                r.rtype
            }
            _ => RtnType::Unicast,
        }
    }
}

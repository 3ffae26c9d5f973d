//! The Linux bridge (`net/bridge/`): ports, the forwarding database with learning and ageing,
//! flooding, local delivery to the bridge's own device (`br_pass_frame_up`), and transmission from
//! it (`br_dev_xmit`). A port's STP state decides what it passes (`net/br_stp.rs`): with STP
//! off, as `ip link add type bridge` creates it, a port forwards as soon as it and the bridge
//! are up.
//!
//! Port options (`bridge link set`, `ip link set ... type bridge_slave`, `brctl hairpin`):
//! `hairpin` (a frame may leave by the port it came in on), `isolated` (no forwarding between
//! two isolated ports), `learning`, `flood` (unknown unicast), `mcast_flood`, `bcast_flood`,
//! and `neigh_suppress` (ARP suppression, `br_do_proxy_suppress_arp`: gratuitous ARP and
//! requests the bridge knows the answer to are not flooded to such ports, and the bridge
//! answers for an address behind one; ND suppression is not modelled, there is no IPv6).
//!
//! VLAN filtering (`vlan_filtering 1`, per-port VLANs, per-VLAN fdb) is in `net/br_vlan.rs`:
//! every frame carries its VLAN id (0 when the bridge does not filter) through the functions
//! here.
//!
//! # Differences from Linux
//! No multicast snooping: no IGMP reports of its own, no mdb, no querier. Multicast is flooded
//! as the kernel floods it while no querier exists (`br_multicast_querier_exists` false, the
//! state of a bridge created with snooping on): to the ports with `mcast_flood`, and what the
//! bridge device sends to every port (nslab-bridge-mcast-flood).

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, DevKind, Kernel, NetDevice};
use crate::net::skbuff::SkBuff;
use crate::wire::*;
use sim_core::{Duration, Instant};
use std::collections::BTreeMap;

/// An fdb key: (address, VLAN id) packed into one integer, the address's bytes big-endian
/// above the VLAN id. The map keeps the order of the (address bytes, VLAN id) pairs it had
/// (what dumps walk), and a lookup compares two integers instead of two 6-byte slices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FdbKey(u64);

impl FdbKey {
    pub fn new(mac: Mac, vid: u16) -> Self {
        let [a, b, c, d, e, f] = mac;
        FdbKey(u64::from_be_bytes([a, b, c, d, e, f, 0, 0]) | u64::from(vid))
    }

    pub fn mac(self) -> Mac {
        let b = self.0.to_be_bytes();
        [b[0], b[1], b[2], b[3], b[4], b[5]]
    }

    pub fn vid(self) -> u16 {
        self.0 as u16
    }
}

/// The forwarding database (`br->fdb_hash_tbl` and `br->fdb_list`): the entries in a hash
/// table found by their key, which is what every bridged frame does twice (learning its source,
/// looking up its destination: `br_fdb_find_rcu` is a hash lookup in the kernel too), and the
/// keys in (address, VLAN id) order beside it, which is what dumps walk. Both change only
/// together (`insert`, `remove`, `retain`: the only ways in or out).
///
/// The table is `hashbrown`'s `HashTable` with a fixed hash of the packed key (no random
/// state), and nothing ever walks the table itself: `iter`, `retain` and `Debug` go through the
/// ordered keys, so what a dump, an ageing pass or a debug print sees is the order a
/// `BTreeMap` gave, whatever the table's layout (std's `HashMap` is banned for its random
/// iteration order; this one is never iterated).
#[derive(Clone, Default)]
pub struct Fdb {
    table: hashbrown::HashTable<(FdbKey, FdbEntry)>,
    order: std::collections::BTreeSet<FdbKey>,
}

impl FdbKey {
    /// The table's hash of the key: one multiplication by an odd constant (Fibonacci
    /// hashing), its high half folded onto its low half. hashbrown takes the bucket from the
    /// low bits and its 7-bit tag from the top ones: the top bits of the product depend on
    /// every bit of the key, and the low half gets bits 32.. of the product, which mix the
    /// address's last four bytes (the VLAN id below them too), so that neighbouring addresses
    /// (a lab's 02:00:00:00:00:01, ...:02, ...) spread over the buckets. (The 64-bit
    /// finaliser of MurmurHash3 it replaced cost ~5 instructions more a probe, two a frame.)
    #[inline]
    fn hash(self) -> u64 {
        let x = self.0.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        x ^ (x >> 32)
    }
}

impl Fdb {
    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    #[inline]
    pub fn get(&self, k: &FdbKey) -> Option<&FdbEntry> {
        let k = *k;
        self.table.find(k.hash(), |e| e.0 == k).map(|e| &e.1)
    }

    #[inline]
    pub fn get_mut(&mut self, k: &FdbKey) -> Option<&mut FdbEntry> {
        let k = *k;
        self.table
            .find_mut(k.hash(), |e| e.0 == k)
            .map(|e| &mut e.1)
    }

    pub fn contains_key(&self, k: &FdbKey) -> bool {
        self.get(k).is_some()
    }

    /// Adds or replaces the entry of `k`; the replaced entry back.
    pub fn insert(&mut self, k: FdbKey, e: FdbEntry) -> Option<FdbEntry> {
        if let Some(old) = self.get_mut(&k) {
            return Some(std::mem::replace(old, e));
        }
        self.table.insert_unique(k.hash(), (k, e), |x| x.0.hash());
        self.order.insert(k);
        None
    }

    /// The entry of `k`, `e` added first if there is none (`BTreeMap`'s
    /// `entry(k).or_insert(e)`).
    pub fn or_insert(&mut self, k: FdbKey, e: FdbEntry) -> &mut FdbEntry {
        match self.table.entry(k.hash(), |x| x.0 == k, |x| x.0.hash()) {
            hashbrown::hash_table::Entry::Occupied(o) => &mut o.into_mut().1,
            hashbrown::hash_table::Entry::Vacant(v) => {
                self.order.insert(k);
                &mut v.insert((k, e)).into_mut().1
            }
        }
    }

    pub fn remove(&mut self, k: &FdbKey) -> Option<FdbEntry> {
        let k = *k;
        let (kv, _) = self.table.find_entry(k.hash(), |e| e.0 == k).ok()?.remove();
        self.order.remove(&k);
        Some(kv.1)
    }

    /// Keeps the entries `f` says to keep, asking in key order (as `BTreeMap::retain`).
    pub fn retain(&mut self, mut f: impl FnMut(&FdbKey, &mut FdbEntry) -> bool) {
        let mut gone = Vec::new();
        for &k in &self.order {
            let h = k.hash();
            if let Some(e) = self.table.find_mut(h, |e| e.0 == k) {
                if !f(&k, &mut e.1) {
                    gone.push(k);
                }
            }
        }
        for k in gone {
            self.remove(&k);
        }
    }

    /// The entries in key order ((address, VLAN id)).
    pub fn iter(&self) -> impl Iterator<Item = (&FdbKey, &FdbEntry)> + '_ {
        self.order
            .iter()
            .filter_map(move |k| self.get(k).map(|e| (k, e)))
    }
}

impl std::fmt::Debug for Fdb {
    /// As the `BTreeMap` it replaced printed: the entries in key order.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[derive(Clone, Copy, Debug)]
pub struct FdbEntry {
    /// The port the address lives behind; `None` for the bridge device itself.
    pub port: Option<DevId>,
    /// A local address (a port's or the bridge's own MAC): frames to it go up the stack.
    pub local: bool,
    /// `BR_FDB_STATIC`: local, or added by the user as `static`/`permanent`: never ages.
    pub is_static: bool,
    /// `BR_FDB_STICKY` (`bridge fdb add ... master static sticky`): learning does not move it
    /// to another port.
    pub sticky: bool,
    pub updated: Instant,
    /// Creation order (`fdb_create` adds to the head of `br->fdb_list`, which dumps walk).
    pub seq: u64,
}

/// A port's `p->flags` (`BR_HAIRPIN_MODE`, `BR_ISOLATED`, `BR_LEARNING`, `BR_FLOOD`,
/// `BR_MCAST_FLOOD`, `BR_BCAST_FLOOD`, `BR_NEIGH_SUPPRESS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BrPortFlags {
    pub hairpin: bool,
    pub isolated: bool,
    pub learning: bool,
    pub flood: bool,
    pub mcast_flood: bool,
    pub bcast_flood: bool,
    pub neigh_suppress: bool,
}

impl Default for BrPortFlags {
    /// `new_nbp`: learning and the three floods on.
    fn default() -> Self {
        BrPortFlags {
            hairpin: false,
            isolated: false,
            learning: true,
            flood: true,
            mcast_flood: true,
            bcast_flood: true,
            neigh_suppress: false,
        }
    }
}

/// The options of one `br_setport` request; `None` leaves an option as it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BrPortOpts {
    pub hairpin: Option<bool>,
    pub isolated: Option<bool>,
    pub learning: Option<bool>,
    pub flood: Option<bool>,
    pub mcast_flood: Option<bool>,
    pub bcast_flood: Option<bool>,
    pub neigh_suppress: Option<bool>,
    /// `IFLA_BRPORT_COST`.
    pub cost: Option<u32>,
    /// `IFLA_BRPORT_PRIORITY`.
    pub priority: Option<u32>,
}

#[derive(Debug, Default)]
pub struct Bridge {
    /// Ports in the kernel's `port_list` order (the newest first: `list_add_rcu` at the head,
    /// O(1) here too, where a `Vec`'s insert at 0 made a bridge of N ports cost N²).
    pub ports: std::collections::VecDeque<DevId>,
    /// Keyed by (address, VLAN id); VLAN 0 without VLAN filtering.
    pub fdb: Fdb,
    /// The next [`FdbEntry::seq`].
    pub fdb_seq: u64,
    /// `ageing_time` in nanoseconds (default 300 s).
    pub ageing: u64,
    pub next_port_no: u16,
    pub port_no: BTreeMap<DevId, u16>,
    /// `BROPT_MTU_SET_BY_USER`: the MTU no longer follows the ports' minimum.
    pub mtu_set_by_user: bool,
    /// The bridge device's `IFF_UP` its ports' stored states ([`NetDevice::br_state`]) were
    /// last computed with: when it changes, every port's is again (`br_dev_open`/`br_dev_stop`).
    ///
    /// [`NetDevice::br_state`]: crate::kernel::NetDevice::br_state
    pub ports_up: bool,
    /// The spanning tree's state (`net/br_stp.rs`): ids, timers, each port's STP part.
    pub stp: crate::net::br_stp::BrStp,
    /// `BROPT_MULTICAST_ENABLED` (`mcast_snooping`; shown, snooping itself is not modelled).
    pub mcast_snooping: bool,
    /// `BROPT_VLAN_ENABLED` (`vlan_filtering`).
    pub vlan_enabled: bool,
    /// `BROPT_NEIGH_SUPPRESS_ENABLED`: some port has `neigh_suppress` (kept by
    /// [`Kernel::br_recalculate_neigh_suppress_enabled`], so an ARP frame does not scan the ports).
    pub neigh_suppress_enabled: bool,
    /// `br->vlan_proto` (`vlan_protocol`; 0 without `CONFIG_BRIDGE_VLAN_FILTERING`).
    pub vlan_proto: u16,
    /// `br->default_pvid` (`vlan_default_pvid`).
    pub default_pvid: u16,
    /// The bridge device's own VLANs (`br->vlgrp`; `None` without VLAN filtering compiled in).
    pub vlgrp: Option<crate::net::br_vlan::BrVlanGroup>,
    /// Each port's VLANs (`p->vlgrp`).
    pub port_vlgrp: BTreeMap<DevId, crate::net::br_vlan::BrVlanGroup>,
}

/// `IFLA_BR_*` options of `ip link add|set ... type bridge` that nslab models (the others are
/// refused as not modelled by the tool).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BrDevOpts {
    /// Centiseconds.
    pub forward_delay: Option<u32>,
    /// Centiseconds.
    pub hello_time: Option<u32>,
    /// Centiseconds.
    pub max_age: Option<u32>,
    /// Centiseconds.
    pub ageing_time: Option<u32>,
    pub stp_state: Option<u32>,
    pub priority: Option<u16>,
    pub mcast_snooping: Option<u8>,
    pub vlan_filtering: Option<u8>,
    /// `IFLA_BR_VLAN_PROTOCOL` (an ethertype).
    pub vlan_protocol: Option<u16>,
    pub vlan_default_pvid: Option<u16>,
}

impl Bridge {
    pub fn new() -> Bridge {
        Bridge {
            ageing: Duration::from_secs(300).as_nanos(),
            next_port_no: 1,
            stp: crate::net::br_stp::BrStp::new(Duration::from_secs(300).as_nanos()),
            mcast_snooping: true,
            ..Default::default()
        }
    }

    /// The next creation number of an fdb entry.
    pub fn fdb_next_seq(&mut self) -> u64 {
        self.fdb_seq += 1;
        self.fdb_seq
    }
}

/// The bridge's part of each port's checks in one flood (`br_flood`) or one frame's pass
/// (`br_handle_frame` and `br_handle_frame_finish`), read once.
pub(crate) struct BrFloodBridge {
    /// STP has run: the ports' states are its.
    stp_used: bool,
    /// The bridge device is up.
    up: bool,
    /// `BROPT_VLAN_ENABLED`.
    vlan_enabled: bool,
    /// The bridge's namespace.
    ns: crate::kernel::NsId,
    /// br_netfilter's IPv4 hooks have something to do there ([`Kernel::br_nf_hooked`]).
    nf_hooked: bool,
}

impl Kernel {
    pub(crate) fn br(&self, br: DevId) -> &Bridge {
        match &self.dev(br).kind {
            DevKind::Bridge(b) => b,
            _ => unreachable!("br() on a non-bridge device"),
        }
    }
    #[inline] // twice a frame's pass (the fdb's update and lookup): a call cost ~12 instructions
    pub(crate) fn br_mut(&mut self, br: DevId) -> &mut Bridge {
        match &mut self.dev_mut(br).kind {
            DevKind::Bridge(b) => b,
            _ => unreachable!("br_mut() on a non-bridge device"),
        }
    }

    pub fn is_bridge(&self, d: DevId) -> bool {
        matches!(self.dev(d).kind, DevKind::Bridge(_))
    }

    /// `br_add_if`: enslaves `port`, adds its MAC as a local fdb entry, recomputes the bridge id.
    pub fn br_add_if(&mut self, br: DevId, port: DevId) {
        let mac = self.dev(port).mac;
        let now = self.now;
        let dev = self.dev_mut(port);
        dev.master = Some(br);
        dev.brport_flags = BrPortFlags::default();
        let b = self.br_mut(br);
        b.ports.push_front(port);
        let no = b.next_port_no;
        b.next_port_no += 1;
        b.port_no.insert(port, no);
        let seq = b.fdb_next_seq();
        b.fdb.insert(
            FdbKey::new(mac, 0),
            FdbEntry {
                port: Some(port),
                local: true,
                is_static: true,
                sticky: false,
                updated: now,
                seq,
            },
        );
        // nbp_vlan_init comes before br_stp_recalculate_bridge_id: where the bridge takes
        // this port's address, the port's local entries stay the port's.
        self.nbp_vlan_init(br, port);
        // The port's own IPv4 routes and neighbours stop being used.
        self.br_recalculate_mac_added(br, port);
        self.br_mtu_auto_adjust_added(br, port);
        // new_nbp's port id and cost; br_add_if enables the port if it and the bridge are up.
        self.br_stp_new_port(br, port, no);
        self.br_port_state_update(port);
    }

    /// Computes and stores the state of `port` (`p->state`, [`NetDevice::br_state`]) as the
    /// kernel keeps it while STP never ran (`br_port_carrier_check`, `br_stp_enable_port`,
    /// `br_stp_disable_port`, `br_stp_enable_bridge`/`br_stp_disable_bridge`): forwarding
    /// while the bridge is up and the port runs, else disabled. It is called on every event
    /// that changes either: the port enslaved ([`Kernel::br_add_if`]); the port, its veth
    /// peer or the bridge going up or down, a carrier change, a namespace move (which takes
    /// the device down) — every `dev_set_up`/`dev_cycle`/`dev_change_carrier` reaches
    /// `br_stp_sync` for the device and the devices whose carrier follows it (the veth peer,
    /// the bond master, VLAN/macvlan/ipvlan uppers), and a bridge's for its ports when its
    /// `IFF_UP` changed; and the veth peer deleted (`dev_del`). Released ports are not read.
    /// The stored state is trusted only for a veth port (the bridge ports of W1), whose
    /// running state depends on nothing else; debug builds (the tests) assert at every read
    /// that it equals the computed one ([`Kernel::br_port_state_nostp`]).
    ///
    /// [`NetDevice::br_state`]: crate::kernel::NetDevice::br_state
    pub(crate) fn br_port_state_update(&mut self, port: DevId) {
        let Some(br) = self.dev(port).master.filter(|&m| self.is_bridge(m)) else {
            return;
        };
        let st = self.br_port_state_computed(br, port);
        self.dev_mut(port).br_state = st;
    }

    /// The state the plain rule gives a port of `br` (STP never ran): forwarding while the
    /// bridge is up and the port runs.
    fn br_port_state_computed(&self, br: DevId, port: DevId) -> u8 {
        use crate::net::br_stp::{BR_STATE_DISABLED, BR_STATE_FORWARDING};
        if self.dev(br).up && self.dev_running(port) {
            BR_STATE_FORWARDING
        } else {
            BR_STATE_DISABLED
        }
    }

    /// The state of `port` (its device `pd`), a port of `br` whose STP never ran: the stored
    /// one for a veth, computed for any other kind (see [`Kernel::br_port_state_update`]).
    #[inline(always)]
    pub(crate) fn br_port_state_nostp(&self, br: DevId, port: DevId, pd: &NetDevice) -> u8 {
        if let DevKind::Veth { .. } = pd.kind {
            debug_assert_eq!(
                pd.br_state,
                self.br_port_state_computed(br, port),
                "stored bridge port state of {}",
                pd.name
            );
            pd.br_state
        } else {
            self.br_port_state_computed(br, port)
        }
    }

    /// [`Kernel::br_mtu_auto_adjust`] after `port` joined: the kernel walks every port
    /// (`br_mtu_min`), which makes a bridge of N ports cost N² to build; the other ports'
    /// minimum is the bridge's MTU already (every port MTU change, port removal and user
    /// setting recomputes it), so the minimum with the new port is the same answer.
    fn br_mtu_auto_adjust_added(&mut self, br: DevId, port: DevId) {
        if self.br(br).mtu_set_by_user {
            return;
        }
        let p = self.dev(port).mtu;
        let min = if self.br(br).ports.len() == 1 {
            p
        } else {
            self.dev(br).mtu.min(p)
        };
        self.dev_mut(br).mtu = min;
    }

    /// `br_mtu_auto_adjust`: unless the user set it, the bridge's MTU is its ports' minimum
    /// (`ETH_DATA_LEN` without ports).
    pub fn br_mtu_auto_adjust(&mut self, br: DevId) {
        if self.br(br).mtu_set_by_user {
            return;
        }
        let ports = self.br(br).ports.clone();
        let min = ports.iter().map(|&p| self.dev(p).mtu).min().unwrap_or(1500);
        self.dev_mut(br).mtu = min;
    }

    /// `br_del_if`.
    pub fn br_del_if(&mut self, br: DevId, port: DevId) {
        // del_nbp: br_stp_disable_port while the port is still listed.
        self.br_stp_del_port(br, port);
        if self.dev_alive(port) {
            let dev = self.dev_mut(port);
            dev.master = None;
            dev.brport_flags = BrPortFlags::default();
            dev.br_state = crate::net::br_stp::BR_STATE_DISABLED;
        }
        let b = self.br_mut(br);
        b.ports.retain(|&p| p != port);
        b.port_no.remove(&port);
        b.fdb.retain(|_, e| e.port != Some(port));
        self.nbp_vlan_flush(br, port);
        self.br_recalculate_mac(br);
        self.br_mtu_auto_adjust(br);
        self.br_recalculate_neigh_suppress_enabled(br);
    }

    /// `br_recalculate_neigh_suppress_enabled`: whether any port suppresses neighbour
    /// discovery.
    pub fn br_recalculate_neigh_suppress_enabled(&mut self, br: DevId) {
        let on = self
            .br(br)
            .ports
            .iter()
            .any(|&p| self.dev(p).brport_flags.neigh_suppress);
        self.br_mut(br).neigh_suppress_enabled = on;
    }

    /// `br_stp_recalculate_bridge_id`: an address not set by the user follows the lowest port MAC.
    pub fn br_recalculate_mac(&mut self, br: DevId) {
        let old = self.dev(br).mac;
        self.br_recalculate_mac_from(br, old);
    }

    /// `br_recalculate_mac` after the bridge's own address was set from `old` (`ip link set BR
    /// address`: `br_set_mac_address` → `br_fdb_change_mac_address` drops the old address's
    /// local entries; recorded: only the new address is listed).
    pub fn br_recalculate_mac_from(&mut self, br: DevId, old: Mac) {
        let cur = self.dev(br).mac;
        let new = if self.dev(br).mac_set {
            cur
        } else {
            let b = self.br(br);
            match b.ports.iter().map(|&p| self.dev(p).mac).min() {
                Some(m) => m,
                None => cur,
            }
        };
        self.br_change_mac(br, old, new);
    }

    /// [`Kernel::br_recalculate_mac`] after `port` joined: the lowest port address is the
    /// bridge's already unless the user set it (every port address change and port removal
    /// recomputes it over all ports, as the kernel does on each), so the minimum with the new
    /// port's is the same answer without walking N ports per port.
    fn br_recalculate_mac_added(&mut self, br: DevId, port: DevId) {
        let cur = self.dev(br).mac;
        let new = if self.dev(br).mac_set {
            cur
        } else if self.br(br).ports.len() == 1 {
            self.dev(port).mac
        } else {
            cur.min(self.dev(port).mac)
        };
        self.br_change_mac(br, cur, new);
    }

    /// The bridge's address goes from `old` to `new`: its local fdb entries follow
    /// (`br_fdb_change_mac_address`), and a change is `NETDEV_CHANGEADDR`.
    fn br_change_mac(&mut self, br: DevId, old: Mac, new: Mac) {
        let now = self.now;
        // br_fdb_change_mac_address: the bridge's own entries, for VLAN 0 and each of its VLANs.
        for vid in self.br_local_vids(br, None) {
            let b = self.br_mut(br);
            if b.fdb
                .get(&FdbKey::new(old, vid))
                .is_some_and(|e| e.port.is_none())
            {
                b.fdb.remove(&FdbKey::new(old, vid));
            }
            if !b.fdb.get(&FdbKey::new(new, vid)).is_some_and(|e| e.local) {
                let seq = b.fdb_next_seq();
                b.fdb.insert(
                    FdbKey::new(new, vid),
                    FdbEntry {
                        port: None,
                        local: true,
                        is_static: true,
                        sticky: false,
                        updated: now,
                        seq,
                    },
                );
            }
        }
        if new != old {
            self.br_stp_change_bridge_id(br, new);
            self.dev_mut(br).mac = new;
            self.cap_refresh(br);
            // NETDEV_CHANGEADDR → arp_netdev_event → neigh_changeaddr: every neighbour entry of
            // the device goes, permanent ones too (recorded on 6.18: a `nud permanent` entry
            // added before a VXLAN port was enslaved is gone after it).
            self.neigh_flush_dev(br);
        }
    }

    /// Whether a port forwards (`p->state == BR_STATE_FORWARDING`, [`Kernel::br_port_state`]).
    pub fn br_port_forwarding(&self, port: DevId) -> bool {
        self.br_port_state(port) == crate::net::br_stp::BR_STATE_FORWARDING
    }

    /// `br_changelink` for the options nslab models: the STP timers in the kernel's order
    /// (`forward_delay` is range-checked only with STP on, so `stp_state 1 forward_delay 100`
    /// passes and `br_stp_start` clamps it to 2 s), `stp_state`, `priority`.
    pub fn br_changelink(
        &mut self,
        br: DevId,
        o: &BrDevOpts,
    ) -> Result<(), crate::net::rtnetlink::RtnlError> {
        // br_changelink's order: vlan_filtering, vlan_protocol, vlan_default_pvid first.
        if let Some(f) = o.vlan_filtering {
            self.br_vlan_filter_toggle(br, f != 0)?;
        }
        if let Some(p) = o.vlan_protocol {
            self.br_vlan_set_proto(br, p)?;
        }
        if let Some(p) = o.vlan_default_pvid {
            self.br_vlan_set_default_pvid(br, p)?;
        }
        if let Some(fd) = o.forward_delay {
            self.br_set_forward_delay(br, fd)?;
        }
        if let Some(t) = o.hello_time {
            self.br_set_hello_time(br, t)?;
        }
        if let Some(t) = o.max_age {
            self.br_set_max_age(br, t)?;
        }
        if let Some(a) = o.ageing_time {
            self.br_set_ageing_time(br, a);
        }
        if let Some(s) = o.stp_state {
            self.br_stp_set_enabled(br, s);
        }
        if let Some(p) = o.priority {
            self.br_stp_set_bridge_priority(br, p);
        }
        let b = self.br_mut(br);
        if let Some(m) = o.mcast_snooping {
            b.mcast_snooping = m != 0;
        }
        Ok(())
    }

    /// A port's flags (the defaults for a device that is not a port). They live on the port
    /// device, as the kernel's `net_bridge_port` hangs off it (`br_port_get_rcu(dev)->flags`).
    pub fn br_port_flags(&self, port: DevId) -> BrPortFlags {
        let dev = self.dev(port);
        match dev.master {
            Some(m) if self.is_bridge(m) => dev.brport_flags,
            _ => BrPortFlags::default(),
        }
    }

    /// `br_setport`: applies the options to a port: the flags, then `cost` and `priority`
    /// (`br_stp_set_path_cost`, `br_stp_set_port_priority`: ERANGE out of their limits).
    pub fn br_setport(
        &mut self,
        port: DevId,
        o: &BrPortOpts,
    ) -> Result<(), crate::net::rtnetlink::RtnlError> {
        let Some(br) = self.dev(port).master.filter(|&m| self.is_bridge(m)) else {
            return Ok(());
        };
        let f = &mut self.dev_mut(port).brport_flags;
        let set = |x: &mut bool, v: Option<bool>| {
            if let Some(v) = v {
                *x = v;
            }
        };
        set(&mut f.hairpin, o.hairpin);
        set(&mut f.isolated, o.isolated);
        set(&mut f.learning, o.learning);
        set(&mut f.flood, o.flood);
        set(&mut f.mcast_flood, o.mcast_flood);
        set(&mut f.bcast_flood, o.bcast_flood);
        set(&mut f.neigh_suppress, o.neigh_suppress);
        if o.neigh_suppress.is_some() {
            self.br_recalculate_neigh_suppress_enabled(br);
        }
        if let Some(c) = o.cost {
            self.br_stp_set_path_cost(br, port, c)?;
        }
        if let Some(p) = o.priority {
            self.br_stp_set_port_priority(br, port, p)?;
        }
        Ok(())
    }

    /// `should_deliver`: the port forwards, it has the frame's VLAN (`br_allowed_egress`), and
    /// it is not the ingress port (unless hairpin) nor isolated like the ingress port.
    fn br_should_deliver(&self, to: DevId, from: Option<DevId>, vid: u16) -> bool {
        let src_isolated = from.is_some_and(|f| self.br_port_flags(f).isolated);
        self.br_should_deliver_flags(to, from, src_isolated, vid)
    }

    /// [`Kernel::br_should_deliver`] with whether the ingress port is isolated already read.
    fn br_should_deliver_flags(
        &self,
        to: DevId,
        from: Option<DevId>,
        src_isolated: bool,
        vid: u16,
    ) -> bool {
        let Some(br) = self.dev(to).master else {
            return false;
        };
        let Some(bridge) = self.br_flood_bridge(br) else {
            return false;
        };
        self.br_flood_should_deliver(br, &bridge, to, self.dev(to), from, src_isolated, vid)
    }

    #[inline(always)] // once a frame's pass: the call cost ~15 instructions (callgrind)
    fn br_fdb_lookup(&mut self, br: DevId, mac: &Mac, vid: u16) -> Option<FdbEntry> {
        let now = self.now;
        let b = self.br_mut(br);
        let ageing = b.ageing;
        let key = FdbKey::new(*mac, vid);
        match b.fdb.get(&key) {
            Some(e) if !e.is_static && now.0 > e.updated.0 + ageing => {
                b.fdb.remove(&key);
                None
            }
            Some(e) => Some(*e),
            None => None,
        }
    }

    /// `br_fdb_update`: learns `src` behind `port` in VLAN `vid`.
    #[inline(always)] // once a frame's pass
    fn br_fdb_update(&mut self, br: DevId, port: DevId, src: Mac, vid: u16) {
        let now = self.now;
        let b = self.br_mut(br);
        let seq = b.fdb_seq + 1;
        match b.fdb.get_mut(&FdbKey::new(src, vid)) {
            // A local address seen from a port: the kernel warns and keeps it.
            Some(e) if e.local => {}
            // Any other entry, static ones too, moves to the port it was seen on, unless it is
            // sticky.
            Some(e) => {
                if !e.sticky {
                    e.port = Some(port);
                }
                e.updated = now;
            }
            None => {
                b.fdb_seq = seq;
                b.fdb.insert(
                    FdbKey::new(src, vid),
                    FdbEntry {
                        port: Some(port),
                        local: false,
                        is_static: false,
                        sticky: false,
                        updated: now,
                        seq,
                    },
                );
            }
        }
    }

    /// `br_fdb_add` (`bridge fdb add|append|replace MAC dev PORT master ...`) →
    /// `__br_fdb_add` → `fdb_add_entry` for VLAN 0 and each VLAN of the port: `state` is the
    /// request's `ndm_state` (`NUD_PERMANENT`: local, `NUD_NOARP`: static, else dynamic).
    pub fn br_fdb_add(
        &mut self,
        br: DevId,
        port: DevId,
        mac: Mac,
        state: u8,
        sticky: bool,
        flags: u16,
    ) -> Result<(), crate::net::rtnetlink::RtnlError> {
        use crate::errno::Errno;
        use crate::net::neigh::{NUD_NOARP, NUD_PERMANENT, NUD_REACHABLE};
        use crate::net::rtnetlink::route::{NLM_F_CREATE, NLM_F_EXCL};
        if state & (NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE) == 0 || mac == ETH_ZERO {
            return Err(Errno::EINVAL.into());
        }
        let now = self.now;
        for vid in self.br_local_vids(br, Some(port)) {
            // fdb_add_entry.
            if state & (NUD_PERMANENT | NUD_NOARP) == 0 && !self.br_port_forwarding(port) {
                return Err(Errno::EPERM.into());
            }
            if sticky && state & NUD_PERMANENT != 0 {
                return Err(Errno::EINVAL.into());
            }
            let b = self.br_mut(br);
            let seq = b.fdb_seq + 1;
            let e = match b.fdb.get_mut(&FdbKey::new(mac, vid)) {
                None if flags & NLM_F_CREATE == 0 => return Err(Errno::ENOENT.into()),
                Some(_) if flags & NLM_F_EXCL != 0 => return Err(Errno::EEXIST.into()),
                Some(e) => e,
                None => {
                    b.fdb_seq = seq;
                    b.fdb.or_insert(
                        FdbKey::new(mac, vid),
                        FdbEntry {
                            port: Some(port),
                            local: false,
                            is_static: false,
                            sticky: false,
                            updated: now,
                            seq,
                        },
                    )
                }
            };
            e.port = Some(port);
            e.local = state & NUD_PERMANENT != 0;
            e.is_static = state & (NUD_PERMANENT | NUD_NOARP) != 0;
            e.sticky = sticky;
            e.updated = now;
        }
        Ok(())
    }

    /// `br_fdb_delete` → `__br_fdb_delete` for VLAN 0 and each VLAN of the port: the entry
    /// must be the port's (ENOENT otherwise); one deletion is enough.
    pub fn br_fdb_delete(
        &mut self,
        br: DevId,
        port: DevId,
        mac: Mac,
    ) -> Result<(), crate::net::rtnetlink::RtnlError> {
        let mut found = false;
        for vid in self.br_local_vids(br, Some(port)) {
            let b = self.br_mut(br);
            if b.fdb
                .get(&FdbKey::new(mac, vid))
                .is_some_and(|e| e.port == Some(port))
            {
                b.fdb.remove(&FdbKey::new(mac, vid));
                found = true;
            }
        }
        if found {
            Ok(())
        } else {
            Err(crate::errno::Errno::ENOENT.into())
        }
    }

    /// Removes expired learned entries (the bridge's `gc` work), e.g. before showing the fdb.
    pub fn br_fdb_cleanup(&mut self, br: DevId) {
        let now = self.now;
        let b = self.br_mut(br);
        let ageing = b.ageing;
        b.fdb
            .retain(|_, e| e.is_static || now.0 <= e.updated.0 + ageing);
    }

    /// `br_handle_frame` → `br_handle_frame_finish`: learn, then deliver locally, forward or flood.
    pub fn br_handle_frame(&mut self, br: DevId, port: DevId, skb: SkBuff) {
        use crate::net::br_stp::{BR_STATE_DISABLED, BR_STATE_FORWARDING, BR_STATE_LEARNING};
        // What the frame's pass reads of the bridge itself, once (`br` is the port's master).
        let bridge = self.br_flood_bridge(br);
        let pd = self.dev(port);
        debug_assert_eq!(pd.master, Some(br));
        // The ingress port's flags (`br_port_flags_of`'s case: its master is `br`).
        let pflags = pd.brport_flags;
        let state = bridge.as_ref().map_or(BR_STATE_DISABLED, |b| {
            self.br_port_state_of(br, b, port, pd)
        });
        let Some(bridge) = bridge.filter(|_| state != BR_STATE_DISABLED) else {
            return self.kfree_skb_reason(
                Some(port),
                SkbDropReason::BridgeNoPort,
                "br_handle_frame",
            );
        };
        let eth = match EthRepr::parse(skb.data()) {
            Ok(e) => e,
            Err(r) => return self.kfree_skb_reason(Some(port), r, "br_handle_frame"),
        };
        if mac_is_multicast(&eth.src) || eth.src == ETH_ZERO {
            return self.kfree_skb_reason(
                Some(port),
                SkbDropReason::MacInvalidSource,
                "br_handle_frame",
            );
        }
        // The bridge group address with STP on: __br_handle_local_finish learns the source
        // (learning and forwarding ports), the frame goes up the port to LLC and br_stp_rcv.
        if eth.dst == crate::net::br_stp_bpdu::BR_GROUP_ADDRESS && self.br(br).stp.enabled {
            if (state == BR_STATE_LEARNING || state == BR_STATE_FORWARDING)
                && self.br_port_flags(port).learning
                && !self.br(br).vlan_enabled
            {
                self.br_fdb_update(br, port, eth.src, 0);
            }
            return self.br_stp_rcv(br, port, skb.data());
        }
        // A listening or blocking port neither forwards nor learns.
        if state != BR_STATE_FORWARDING && state != BR_STATE_LEARNING {
            return self.kfree_skb_reason(
                Some(port),
                SkbDropReason::NotSpecified,
                "br_handle_frame",
            );
        }
        // NF_BR_PRE_ROUTING: br_netfilter runs the IPv4 PREROUTING hook here (its first test,
        // whether it has anything to do, read with the bridge: a call and the frame's move
        // saved). The hook may send frames (bridged DNAT): the bridge is read again after it.
        // (Without the hook, the frame goes on as it came, inlined: the call cost ~35
        // instructions a frame and rebinding the frame with the hook's outcome a copy of it,
        // callgrind. With it, the pass's rest is the out-of-line `br_handle_frame_finish`,
        // which reads the port's flags again.)
        if bridge.nf_hooked {
            return self.br_handle_frame_nf(br, port, eth.src, skb);
        }
        self.br_handle_frame_finish_flags(br, &bridge, port, pflags, eth.src, Some(eth), skb);
    }

    /// [`Kernel::br_handle_frame`] of a bridge whose br_netfilter hooks run: PREROUTING, then
    /// the pass's rest with the bridge read again.
    #[inline(never)]
    fn br_handle_frame_nf(&mut self, br: DevId, port: DevId, src: Mac, skb: SkBuff) {
        let Some(skb) = self.br_nf_pre_routing(br, port, skb) else {
            return;
        };
        let Some(bridge) = self.br_flood_bridge(br) else {
            return;
        };
        self.br_handle_frame_finish(br, &bridge, port, src, skb);
    }

    /// A port's state (`p->state`, [`Kernel::br_port_state`]) of `port` (its device `pd`, a
    /// port of `br`) with the bridge's part already read: STP's state once STP ran, else the
    /// plain rule's ([`Kernel::br_port_state_nostp`]: stored for a veth).
    #[inline(always)]
    fn br_port_state_of(
        &self,
        br: DevId,
        bridge: &BrFloodBridge,
        port: DevId,
        pd: &NetDevice,
    ) -> u8 {
        use crate::net::br_stp::{BR_STATE_DISABLED, BR_STATE_FORWARDING};
        if bridge.stp_used {
            self.br_port_state(port)
        } else if let DevKind::Veth { .. } = pd.kind {
            self.br_port_state_nostp(br, port, pd)
        } else if bridge.up && self.dev_running(port) {
            BR_STATE_FORWARDING
        } else {
            BR_STATE_DISABLED
        }
    }

    /// The frame's VLAN at a port's ingress (`br_allowed_ingress`), or its drop.
    fn br_ingress_vid(&mut self, br: DevId, port: DevId, skb: &mut SkBuff) -> Option<u16> {
        let vid = self.br_allowed_ingress(br, Some(port), skb);
        if vid.is_none() {
            self.kfree_skb_reason(
                Some(port),
                SkbDropReason::NotSpecified,
                "br_handle_frame_finish",
            );
        }
        vid
    }

    /// `br_handle_frame_finish`: learn, then deliver locally, forward or flood. `bridge` is
    /// what the pass reads of the bridge itself ([`Kernel::br_flood_bridge`]), read once by
    /// the caller: nothing a frame's pass does changes the bridge device's state, its STP, its
    /// VLAN filtering or the namespace's tables (frames it sends, a flood's copies or an ARP
    /// reply of `br_do_proxy_suppress_arp`, are only queued on ports).
    fn br_handle_frame_finish(
        &mut self,
        br: DevId,
        bridge: &BrFloodBridge,
        port: DevId,
        src: Mac,
        skb: SkBuff,
    ) {
        let pflags = self.br_port_flags_of(br, port);
        self.br_handle_frame_finish_flags(br, bridge, port, pflags, src, None, skb);
    }

    /// [`Kernel::br_handle_frame_finish`] with the ingress port's flags already read
    /// ([`Kernel::br_port_flags_of`]; nothing between here and the forward changes a port's
    /// flags: learning, hairpin and isolated are read from them). `parsed` is the frame's
    /// Ethernet header when the caller parsed the frame as it is here (no hook ran on it).
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn br_handle_frame_finish_flags(
        &mut self,
        br: DevId,
        bridge: &BrFloodBridge,
        port: DevId,
        pflags: BrPortFlags,
        src: Mac,
        parsed: Option<EthRepr>,
        mut skb: SkBuff,
    ) {
        // br_allowed_ingress: VLAN 0 without VLAN filtering (its first test, read here).
        let vid = if bridge.vlan_enabled {
            let Some(vid) = self.br_ingress_vid(br, port, &mut skb) else {
                return;
            };
            vid
        } else {
            0
        };
        // (The header as the caller parsed it, unless VLAN ingress may have changed the
        // frame: a second parse of the same bytes cost ~15 instructions a pass.)
        let eth = match parsed {
            Some(eth) if !bridge.vlan_enabled => eth,
            _ => match EthRepr::parse(skb.data()) {
                Ok(eth) => eth,
                Err(_) => return,
            },
        };
        let ns = bridge.ns;
        // (The trace's names are made only while tracing: a frame's pass makes no string.)
        if self.tracer.enabled
            && self.br(br).fdb.get(&FdbKey::new(src, vid)).map(|e| e.port) != Some(Some(port))
        {
            let (bn, pn) = (self.trace_name(br), self.trace_name(port));
            self.trace(ns, || {
                format!("{bn}: fdb learn {} on port {pn}", fmt_mac(&src))
            });
        }
        if pflags.learning {
            self.br_fdb_update(br, port, src, vid);
        }
        // A learning port learns, then drops.
        if bridge.stp_used && self.br_port_state(port) == crate::net::br_stp::BR_STATE_LEARNING {
            return self.kfree_skb_reason(
                Some(port),
                SkbDropReason::BridgeIngressStpState,
                "br_handle_frame_finish",
            );
        }
        let replied =
            eth.ethertype == ETH_P_ARP && self.br_do_proxy_suppress_arp(br, Some(port), &skb, vid);
        if mac_is_multicast(&eth.dst) {
            if self.tracer.enabled {
                let bn = self.trace_name(br);
                self.trace(ns, || {
                    format!(
                        "{bn}: {} is broadcast/multicast → flood to every other port and up to {bn}",
                        fmt_mac(&eth.dst)
                    )
                });
            }
            self.br_flood(br, Some(port), &mut skb, vid, replied);
            self.br_pass_frame_up(br, skb, vid);
            return;
        }
        let hit = self.br_fdb_lookup(br, &eth.dst, vid);
        if self.tracer.enabled {
            let bn = self.trace_name(br);
            let to = match &hit {
                Some(e) if e.local => format!("local → up to {bn}"),
                Some(FdbEntry { port: Some(p), .. }) => format!("→ port {}", self.dev(*p).name),
                _ => "unknown → flood".into(),
            };
            self.trace(ns, || format!("{bn}: fdb {} {to}", fmt_mac(&eth.dst)));
        }
        match hit {
            Some(e) if e.local => self.br_pass_frame_up(br, skb, vid),
            Some(FdbEntry {
                port: Some(dst), ..
            }) => {
                if dst == port && !pflags.hairpin {
                    return self.kfree_skb_reason(
                        Some(port),
                        SkbDropReason::BridgeLoop,
                        "br_forward",
                    );
                }
                // The egress port is the bridge's (an entry goes with its port, br_del_if):
                // the bridge's state read above is its master's. Were it not, should_deliver
                // reads its own master's.
                // (`Kernel::dev`'s lookup written out: LLVM kept that a call here.)
                let dd = self.devs[dst].as_ref().expect("live device");
                let own = dd.master == Some(br);
                let deliver = if own {
                    self.br_flood_should_deliver(
                        br,
                        bridge,
                        dst,
                        dd,
                        Some(port),
                        pflags.isolated,
                        vid,
                    )
                } else {
                    self.br_should_deliver_flags(dst, Some(port), pflags.isolated, vid)
                };
                if !deliver {
                    self.kfree_skb_reason(Some(port), SkbDropReason::NotSpecified, "br_forward");
                } else if !bridge.nf_hooked || self.br_nf_forward(br, &mut skb) {
                    if own {
                        self.__br_forward(br, bridge.vlan_enabled, dst, skb, vid);
                    } else {
                        self.br_forward(dst, skb, vid);
                    }
                }
            }
            _ => self.br_flood(br, Some(port), &mut skb, vid, replied),
        }
    }

    /// [`Kernel::br_port_flags`] of `port`, read directly where its master is `br`, a bridge
    /// (the case of every port a frame enters by).
    #[inline]
    fn br_port_flags_of(&self, br: DevId, port: DevId) -> BrPortFlags {
        let dev = self.dev(port);
        if dev.master == Some(br) {
            debug_assert!(self.is_bridge(br));
            dev.brport_flags
        } else {
            self.br_port_flags(port)
        }
    }

    /// `br_do_proxy_suppress_arp` with `neigh_suppress` (`BROPT_NEIGH_SUPPRESS_ENABLED`: a port
    /// has it; `proxy_arp`/`proxy_arp_wifi` ports are not modelled): says whether the ARP frame
    /// is "replied" (`proxyarp_replied`: not flooded to neigh_suppress ports). A frame from a
    /// neigh_suppress port is left alone. Gratuitous ARP and probes (sender 0.0.0.0 or the
    /// target itself) are replied; so is a request for one of the bridge's own addresses, and
    /// one whose target the bridge device's neighbour table knows (a valid entry whose address
    /// the fdb has): when that address is behind a neigh_suppress port the bridge answers for
    /// it (`br_arp_send`: an ARP reply from the target's MAC, out of the port the request came
    /// in on). In a VLAN (`vid` not 0) only the gratuitous part (the model has no VLAN device
    /// on a bridge to look the target up on).
    fn br_do_proxy_suppress_arp(
        &mut self,
        br: DevId,
        p: Option<DevId>,
        skb: &SkBuff,
        vid: u16,
    ) -> bool {
        let b = self.br(br);
        if !b.neigh_suppress_enabled {
            return false;
        }
        if p.is_some_and(|p| self.br_port_flags(p).neigh_suppress) {
            return false;
        }
        let Some(arp) = skb
            .data()
            .get(ETH_HLEN..)
            .and_then(|a| ArpRepr::parse(a).ok())
        else {
            return false;
        };
        if arp.tip.is_loopback() || arp.tip.is_multicast() {
            return false;
        }
        // ARPOP_RREQUEST/RREPLY are RARP's; a request or reply from 0.0.0.0 or about itself.
        if arp.op != 3 && arp.op != 4 && (arp.sip.is_unspecified() || arp.sip == arp.tip) {
            return true;
        }
        if arp.op != ARPOP_REQUEST || vid != 0 {
            return false;
        }
        // br_is_local_ip: the bridge's own address is answered by its stack alone.
        if self.dev(br).addrs.iter().any(|a| a.local == arp.tip) {
            return true;
        }
        let ns = self.dev(br).ns;
        let Some(ha) = self
            .net(ns)
            .neigh
            .entries
            .get(&(br, arp.tip))
            .filter(|n| n.state & crate::net::neigh::NUD_VALID != 0)
            .map(|n| n.lladdr)
        else {
            return false;
        };
        let Some(f) = self.br(br).fdb.get(&FdbKey::new(ha, vid)).copied() else {
            return false;
        };
        if f.port.is_some_and(|d| self.br_port_flags(d).neigh_suppress) {
            if let Some(port) = p {
                // br_arp_send → arp_send(ARPOP_REPLY, .., skb->dev, ..): from the target.
                let reply = ArpRepr {
                    op: ARPOP_REPLY,
                    sha: ha,
                    sip: arp.tip,
                    tha: arp.sha,
                    tip: arp.sip,
                };
                let frame = EthRepr {
                    dst: arp.sha,
                    src: ha,
                    ethertype: ETH_P_ARP,
                }
                .emit(&reply.emit());
                self.dev_queue_xmit(port, SkBuff::new(frame));
            }
        }
        true
    }

    /// `br_pass_frame_up`: the frame enters the bridge device's own stack, if the bridge device
    /// has its VLAN (`br_allowed_egress`), tagged unless that VLAN is untagged there
    /// (`br_handle_vlan`).
    fn br_pass_frame_up(&mut self, br: DevId, mut skb: SkBuff, vid: u16) {
        if !self.dev(br).up {
            return;
        }
        if !self.br_allowed_egress(br, None, vid) || !self.br_handle_vlan(br, None, vid, &mut skb) {
            return self.kfree_skb_reason(
                Some(br),
                SkbDropReason::NotSpecified,
                "br_pass_frame_up",
            );
        }
        self.netif_receive_skb(br, skb);
    }

    /// `br_forward` → `__br_forward`: tagged or not for the port (`br_handle_vlan`), then out.
    fn br_forward(&mut self, port: DevId, skb: SkBuff, vid: u16) {
        let Some(br) = self.dev(port).master else {
            return;
        };
        let vlan_enabled = self.br_vlan_enabled(br);
        self.__br_forward(br, vlan_enabled, port, skb, vid);
    }

    /// `__br_forward` with whether the bridge `br` (the port's master) filters by VLAN already
    /// read (once a frame, [`Kernel::br_handle_frame_finish`]).
    #[inline(always)] // once a frame's pass: the call cost ~20 instructions (callgrind)
    fn __br_forward(
        &mut self,
        br: DevId,
        vlan_enabled: bool,
        port: DevId,
        mut skb: SkBuff,
        vid: u16,
    ) {
        // Every caller asked `should_deliver` first (as the kernel's `br_forward` does), which
        // requires a forwarding port: not read again here.
        debug_assert!(self.br_port_forwarding(port));
        debug_assert_eq!(self.dev(port).master, Some(br));
        if vlan_enabled && !self.br_handle_vlan(br, Some(port), vid, &mut skb) {
            return self.kfree_skb_reason(Some(port), SkbDropReason::NotSpecified, "br_forward");
        }
        self.br_nf_dev_queue_xmit(port, skb);
    }

    /// `br_flood`: a copy (`skb_clone`) to every port `should_deliver` allows (not the one it
    /// came in on unless hairpin) whose flood flag for the kind of frame is on (a frame the
    /// bridge itself sends ignores `mcast_flood`/`bcast_flood`).
    fn br_flood(
        &mut self,
        br: DevId,
        from: Option<DevId>,
        skb: &mut SkBuff,
        vid: u16,
        proxyarp_replied: bool,
    ) {
        // The ports in order, copied as the deque's two slices (its `clone` went through a
        // generic iterator fold, whose code generation moved with unrelated changes:
        // ~7 instructions a port, callgrind).
        let ports: Vec<DevId> = {
            let (a, b) = self.br(br).ports.as_slices();
            let mut v = Vec::with_capacity(a.len() + b.len());
            v.extend_from_slice(a);
            v.extend_from_slice(b);
            v
        };
        let dst: Mac = skb
            .data()
            .get(0..6)
            .and_then(|b| b.try_into().ok())
            .unwrap_or(ETH_ZERO);
        let src_isolated = from.is_some_and(|f| self.br_port_flags(f).isolated);
        // What every port's `should_deliver` and `br_handle_vlan` read of the bridge itself:
        // read once, as nothing a copy's transmission does changes the bridge's state, its
        // STP or its VLAN filtering (a transmission only schedules or nests more frames).
        // (So are the namespace's iptables tables, which br_nf_forward looks at first: without
        // any it lets every copy pass unchanged.)
        let Some(bridge) = self.br_flood_bridge(br) else {
            return;
        };
        let nf_forward = from.is_some() && bridge.nf_hooked;
        for p in ports {
            // (A port's master is the bridge, `br_port_flags`'s case for a port.)
            let pd = self.dev(p);
            debug_assert_eq!(pd.master, Some(br));
            let f = pd.brport_flags;
            let flood = if dst == ETH_BROADCAST {
                f.bcast_flood || from.is_none()
            } else if mac_is_multicast(&dst) {
                f.mcast_flood || from.is_none()
            } else {
                f.flood
            };
            // An ARP frame the bridge answered (or suppresses) does not go to neigh_suppress
            // ports.
            if proxyarp_replied && f.neigh_suppress {
                continue;
            }
            if flood && self.br_flood_should_deliver(br, &bridge, p, pd, from, src_isolated, vid) {
                // The copies share the frame's bytes until one is written to (`skb_clone`).
                let mut c = skb.clone_shared();
                // A bridged frame (from a port) passes br_netfilter's FORWARD/POSTROUTING.
                if nf_forward {
                    let pass = self.br_nf_forward(br, &mut c);
                    // The clones share one connection (`skb_clone` takes a reference): what the
                    // first copy's POSTROUTING confirmed, the next copies see.
                    if let Some(ct) = c.nfct() {
                        *skb.nfct_mut() = Some(ct.clone());
                    }
                    if !pass {
                        continue;
                    }
                }
                if !bridge.vlan_enabled || self.br_handle_vlan(br, Some(p), vid, &mut c) {
                    self.br_nf_dev_queue_xmit(p, c);
                }
            }
        }
    }

    /// What each port's `should_deliver` reads of the bridge `br` itself (None: `br` is not
    /// a bridge).
    #[inline]
    fn br_flood_bridge(&self, br: DevId) -> Option<BrFloodBridge> {
        let dev = self.dev(br);
        let DevKind::Bridge(b) = &dev.kind else {
            return None;
        };
        Some(BrFloodBridge {
            stp_used: b.stp.used,
            up: dev.up,
            vlan_enabled: b.vlan_enabled,
            ns: dev.ns,
            nf_hooked: self.br_nf_hooked(dev.ns),
        })
    }

    /// `should_deliver` with the bridge's state already read (once a flood, by
    /// [`Kernel::br_flood`]; once a forward, by [`Kernel::br_should_deliver_flags`]): the port's
    /// state (`br_port_state`: without STP, forwarding while the port runs and the bridge is
    /// up) and its VLAN (`br_allowed_egress`).
    #[allow(clippy::too_many_arguments)]
    #[inline(always)] // in br_flood's loop: a call per copy costs ~45 instructions (callgrind)
    fn br_flood_should_deliver(
        &self,
        br: DevId,
        bridge: &BrFloodBridge,
        to: DevId,
        pd: &NetDevice,
        from: Option<DevId>,
        src_isolated: bool,
        vid: u16,
    ) -> bool {
        let tf = pd.brport_flags;
        if from == Some(to) && !tf.hairpin {
            return false;
        }
        self.br_port_state_of(br, bridge, to, pd) == crate::net::br_stp::BR_STATE_FORWARDING
            && (!bridge.vlan_enabled || self.br_allowed_egress(br, Some(to), vid))
            && !(src_isolated && tf.isolated)
    }

    /// `br_dev_xmit`: the bridge device transmits (its own stack's frames).
    pub fn br_dev_xmit(&mut self, br: DevId, mut skb: SkBuff) {
        if skb.data().len() < ETH_HLEN {
            return self.kfree_skb_reason(Some(br), SkbDropReason::PktTooSmall, "br_dev_xmit");
        }
        if skb.nf_bridge().is_some_and(|nb| nb.bridged_dnat) {
            return self.br_dev_xmit_bridged_dnat(br, skb);
        }
        // br_allowed_ingress against the bridge device's own VLANs.
        let Some(vid) = self.br_allowed_ingress(br, None, &mut skb) else {
            return self.kfree_skb_reason(Some(br), SkbDropReason::NotSpecified, "br_dev_xmit");
        };
        let Ok(eth) = EthRepr::parse(skb.data()) else {
            return self.kfree_skb_reason(Some(br), SkbDropReason::PktTooSmall, "br_dev_xmit");
        };
        let replied =
            eth.ethertype == ETH_P_ARP && self.br_do_proxy_suppress_arp(br, None, &skb, vid);
        if mac_is_multicast(&eth.dst) {
            return self.br_flood(br, None, &mut skb, vid, replied);
        }
        match self.br_fdb_lookup(br, &eth.dst, vid) {
            Some(FdbEntry {
                port: Some(p),
                local: false,
                ..
            }) => {
                if self.br_should_deliver(p, None, vid) {
                    self.br_forward(p, skb, vid)
                }
            }
            Some(e) if e.local => {
                // To one of our own addresses: loops back up (as br_dev_xmit → br_pass_frame_up).
                self.br_pass_frame_up(br, skb, vid)
            }
            _ => self.br_flood(br, None, &mut skb, vid, replied),
        }
    }

    /// br_nf_pre_routing_finish_bridge_slow: a bridged-DNAT frame back from the neighbour layer
    /// continues bridging from its port, its source MAC restored. (With VLAN filtering the
    /// frame's VLAN is found again at the port's ingress: its PVID, as the tag is gone.)
    fn br_dev_xmit_bridged_dnat(&mut self, br: DevId, mut skb: SkBuff) {
        let Some(nb) = skb.nf_bridge().cloned() else {
            return;
        };
        let (src, port) = (nb.src, nb.physindev);
        if let Some(nb) = skb.nf_bridge_mut() {
            nb.bridged_dnat = false;
        }
        skb.data_mut()[6..12].copy_from_slice(&src);
        if self.dev_alive(port) {
            let Some(bridge) = self.br_flood_bridge(br) else {
                return;
            };
            self.br_handle_frame_finish(br, &bridge, port, src, skb);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Fdb, FdbEntry, FdbKey};
    use crate::kernel::{DevId, Kernel};
    use crate::net::skbuff::SkBuff;
    use crate::wire::*;
    use sim_core::{Duration, Instant};
    use std::collections::BTreeMap;
    use std::net::Ipv4Addr;

    /// The hash-indexed fdb answers as the `BTreeMap` it replaced, whatever the sequence of
    /// changes: every lookup, every walk (in key order), every `retain` (asked in key order).
    #[test]
    fn fdb_behaves_as_an_ordered_map() {
        let (mut fdb, mut model) = (Fdb::default(), BTreeMap::new());
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            // xorshift64: a fixed sequence.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let entry = |seq: u64| FdbEntry {
            port: (!seq.is_multiple_of(3)).then_some(seq as usize % 7),
            local: seq.is_multiple_of(5),
            is_static: seq.is_multiple_of(4),
            sticky: seq.is_multiple_of(11),
            updated: Instant(seq),
            seq,
        };
        for step in 0..20_000u64 {
            let r = next();
            // Few distinct keys, so that inserts meet existing entries and removes find some.
            let k = FdbKey::new(
                [2, 0, 0, 0, (r >> 8) as u8 % 3, (r >> 16) as u8],
                (r >> 24) as u16 % 3,
            );
            match r % 8 {
                0..=2 => assert_eq!(
                    fdb.insert(k, entry(step)).map(|e| e.seq),
                    model.insert(k, entry(step)).map(|e| e.seq)
                ),
                3 | 4 => assert_eq!(
                    fdb.remove(&k).map(|e| e.seq),
                    model.remove(&k).map(|e| e.seq)
                ),
                5 => {
                    fdb.or_insert(k, entry(step)).updated = Instant(step);
                    model.entry(k).or_insert(entry(step)).updated = Instant(step);
                }
                6 => {
                    if let Some(e) = fdb.get_mut(&k) {
                        e.port = Some(9);
                    }
                    if let Some(e) = model.get_mut(&k) {
                        e.port = Some(9);
                    }
                }
                _ if step % 64 == 7 => {
                    let (mut seen, mut seen_model) = (Vec::new(), Vec::new());
                    fdb.retain(|k, e| {
                        seen.push(*k);
                        e.updated = Instant(0);
                        e.seq % 3 != 0
                    });
                    model.retain(|k, e| {
                        seen_model.push(*k);
                        e.updated = Instant(0);
                        e.seq % 3 != 0
                    });
                    assert_eq!(seen, seen_model, "retain asks in key order");
                }
                _ => {}
            }
            assert_eq!(fdb.get(&k).map(|e| e.seq), model.get(&k).map(|e| e.seq));
            assert_eq!(fdb.contains_key(&k), model.contains_key(&k));
            assert_eq!(fdb.len(), model.len());
            if step % 97 == 0 {
                let a: Vec<_> = fdb
                    .iter()
                    .map(|(k, e)| (*k, e.seq, e.port, e.updated))
                    .collect();
                let b: Vec<_> = model
                    .iter()
                    .map(|(k, e)| (*k, e.seq, e.port, e.updated))
                    .collect();
                assert_eq!(a, b);
                assert_eq!(format!("{fdb:?}"), format!("{model:?}"));
            }
        }
    }

    use crate::tools::run_ok as sh;

    /// br_netfilter's hooks are skipped for a frame when the namespace has no tables or
    /// `bridge-nf-call-iptables` is 0, a test read once a frame: a table added, a rule added
    /// or deleted, the sysctl switched between two frames must each be seen by the next frame
    /// (as the kernel, which tests both on every frame). A bridged IPv4 frame passes iptables'
    /// FORWARD (and PREROUTING) there.
    #[test]
    fn br_netfilter_hooks_follow_tables_and_sysctl_between_frames() {
        let mut k = Kernel::new(1);
        let sw = k.netns_add("sw");
        let (a, b) = (k.netns_add("a"), k.netns_add("b"));
        for line in [
            "ip link add br0 type bridge",
            "ip link set br0 up",
            "ip link add pa type veth peer name eth0 netns a",
            "ip link add pb type veth peer name eth0 netns b",
            "ip link set pa master br0",
            "ip link set pb master br0",
            "ip link set pa up",
            "ip link set pb up",
        ] {
            sh(&mut k, sw, line);
        }
        sh(&mut k, a, "ip link set eth0 up");
        sh(&mut k, b, "ip link set eth0 up");
        let ea = k.dev_by_name(a, "eth0").expect("a's eth0");
        let eb = k.dev_by_name(b, "eth0").expect("b's eth0");
        let pb = k.dev_by_name(sw, "pb").expect("pb");
        let (ma, mb) = (k.dev(ea).mac, k.dev(eb).mac);
        let frame = |src: Mac, dst: Mac, from: [u8; 4], to: [u8; 4]| {
            let ip = crate::net::netfilter::test_ipv4(
                IPPROTO_UDP,
                Ipv4Addr::from(from),
                Ipv4Addr::from(to),
                &[0x30, 0x39, 0x00, 0x09, 0, 8, 0, 0],
            );
            EthRepr {
                dst,
                src,
                ethertype: ETH_P_IP,
            }
            .emit(&ip)
        };
        // One frame from a to b (b's address learned first, so it is a unicast forward):
        // whether it left by b's port.
        let send = |k: &mut Kernel, dev: DevId, f: Vec<u8>| {
            k.dev_queue_xmit(dev, SkBuff::new(f));
            let t = k.now + Duration::from_millis(10);
            k.run_until(t);
        };
        send(&mut k, eb, frame(mb, ma, [10, 0, 0, 2], [10, 0, 0, 1]));
        let bridged = |k: &mut Kernel| {
            let before = k.dev(pb).stats.tx_packets;
            send(k, ea, frame(ma, mb, [10, 0, 0, 1], [10, 0, 0, 2]));
            k.dev(pb).stats.tx_packets - before
        };
        assert_eq!(bridged(&mut k), 1, "no table: bridged");
        // Each change between frames, and whether the next frame is bridged after it.
        for (cmd, want) in [
            ("iptables -A FORWARD -d 10.0.0.2 -j DROP", 0),
            ("sysctl -q -w net.bridge.bridge-nf-call-iptables=0", 1),
            ("sysctl -q -w net.bridge.bridge-nf-call-iptables=1", 0),
            ("iptables -D FORWARD -d 10.0.0.2 -j DROP", 1),
            ("iptables -t mangle -A PREROUTING -s 10.0.0.1 -j DROP", 0),
            ("iptables -t mangle -F", 1),
        ] {
            sh(&mut k, sw, cmd);
            assert_eq!(bridged(&mut k), want, "after {cmd}");
        }
    }

    /// The packed key sorts as the (address, VLAN id) pairs did, so the fdb's order (and every
    /// dump walking it) is unchanged, and it gives back what it was made of.
    #[test]
    fn fdb_key_keeps_the_pairs_order() {
        let macs = [
            [0, 0, 0, 0, 0, 0],
            [0, 0, 0, 0, 0, 1],
            [0, 0, 0, 0, 1, 0],
            [2, 0, 0, 0, 0, 1],
            [0x7f, 0xff, 0xff, 0xff, 0xff, 0xff],
            [0x80, 0, 0, 0, 0, 0],
            [0xa6, 0x41, 0x75, 0xea, 0x36, 0xe2],
            [0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        ];
        let vids = [0u16, 1, 2, 4094, 0xffff];
        let pairs: Vec<_> = macs
            .iter()
            .flat_map(|&m| vids.iter().map(move |&v| (m, v)))
            .collect();
        for &(m, v) in &pairs {
            let k = FdbKey::new(m, v);
            assert_eq!((k.mac(), k.vid()), (m, v));
            for &(m2, v2) in &pairs {
                assert_eq!(k.cmp(&FdbKey::new(m2, v2)), (m, v).cmp(&(m2, v2)));
            }
        }
    }
}

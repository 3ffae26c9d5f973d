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
//! - receive on the lower device (`macvlan_handle_frame`): first `macvlan_forward_source`: every
//!   `source`-mode macvlan listing the frame's source address gets a copy (`__netif_rx`; the
//!   frame is `PACKET_HOST` to it when addressed to it or to the lower device), and one with
//!   the `nodst` flag consumes the frame. Then a unicast frame whose destination is an open
//!   macvlan's address is received on that macvlan (`RX_HANDLER_ANOTHER`, `PACKET_HOST`; a
//!   `source` macvlan's own address is left to the lower device); on a `passthru` port every
//!   unicast frame goes to the passthru macvlan whatever its destination. A broadcast is
//!   queued for the port's broadcast work (`macvlan_broadcast_enqueue` →
//!   `macvlan_process_broadcast`: to every macvlan but `source` ones for a frame from
//!   elsewhere, to the vepa and bridge ones for a frame a vepa macvlan sent, to the vepa ones
//!   for one a bridge macvlan sent) and the lower device gets it too; a broadcast that a
//!   private (or passthru/source) macvlan sent and the wire sent back goes to that macvlan only.
//!
//! `passthru` (one macvlan per lower device, `macvlan_common_newlink` refuses a second and any
//! other macvlan beside it with EINVAL): the macvlan takes the lower device's address
//! (`eth_hw_addr_inherit`); open, it makes the lower device promiscuous (`dev_set_promiscuity`,
//! unless `nopromisc`, which `ip link set ... type macvlan` may toggle); its address changes are
//! the lower device's (`macvlan_set_mac_address` → `dev_set_mac_address(lowerdev)`), the lower
//! device's changes are followed (`NETDEV_CHANGEADDR` → `macvlan_sync_address`, which also keeps
//! the lower device's address to restore, `perm_addr`, unless the macvlan itself made the
//! change); `macvlan_port_destroy` puts that address back.
//!
//! `source`: the port's list of (source address, macvlan) entries (`vlan_source_hash`,
//! `macaddr add|del|set|flush` at creation and by `ip link set ... type macvlan`,
//! `macvlan_changelink_sources`), dumped bucket by bucket of `macvlan_eth_hash`, the newest
//! first in a bucket (`macvlan_fill_info`: the order `remotes (N) ...` prints); leaving
//! source mode flushes the macvlan's entries.
//!
//! Not modelled: multicast filters other than the broadcast address (a frame to a multicast
//! group is delivered to every macvlan), `bc_cutoff`, the broadcast queue's length limit, and
//! the lower device's unicast filter other than as promiscuity (`dev_uc_add` on a device
//! without `IFF_UNICAST_FLT`).

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
/// `enum macvlan_macaddr_mode` (`IFLA_MACVLAN_MACADDR_MODE`).
pub const MACVLAN_MACADDR_ADD: u32 = 0;
pub const MACVLAN_MACADDR_DEL: u32 = 1;
pub const MACVLAN_MACADDR_FLUSH: u32 = 2;
pub const MACVLAN_MACADDR_SET: u32 = 3;
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
    /// `macaddr_count`: the source addresses listed for this macvlan.
    pub macaddr_count: u32,
}

/// `struct macvlan_port`: on the lower device, the macvlans over it in creation order
/// (`port->vlans`).
#[derive(Clone, Debug, Default)]
pub struct MacvlanPort {
    pub vlans: Vec<DevId>,
    pub passthru: bool,
    /// `MACVLAN_F_ADDRCHANGE`: the passthru macvlan is changing the lower device's address.
    pub addr_change: bool,
    /// `perm_addr`: the lower device's address to restore when the port goes.
    pub perm_addr: Mac,
    /// `vlan_source_hash`: (source address, source-mode macvlan, insertion number).
    pub sources: Vec<(Mac, DevId, u64)>,
    /// The next insertion number (the order within a hash bucket, newest first).
    pub source_seq: u64,
}

/// `macvlan_eth_hash`: `hash_64` of the address (its six bytes read little-endian into the
/// top of a u64) to `MACVLAN_HASH_BITS` (8) bits.
pub fn macvlan_eth_hash(addr: &Mac) -> u8 {
    let mut b = [0u8; 8];
    b[..6].copy_from_slice(addr);
    let value = u64::from_le_bytes(b) << 16;
    (value.wrapping_mul(0x61C8_8646_80B5_83EB) >> 56) as u8
}

/// `is_valid_ether_addr`.
fn is_valid_ether_addr(a: &Mac) -> bool {
    !mac_is_multicast(a) && *a != [0; 6]
}

/// `IFLA_INFO_DATA` of a new macvlan (`IFLA_MACVLAN_*`); `None` where the request carries no
/// attribute.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MacvlanData {
    pub mode: Option<u32>,
    pub flags: Option<u16>,
    /// `IFLA_MACVLAN_MACADDR_MODE` (source mode's address list operations).
    pub macaddr_mode: Option<u32>,
    /// `IFLA_MACVLAN_MACADDR` (`macaddr add|del ADDR`).
    pub macaddr: Option<Mac>,
    /// `IFLA_MACVLAN_MACADDR_DATA` (`macaddr set ADDR...`; iproute2 sends the nest, possibly
    /// empty, with every `set`).
    pub macaddr_data: Option<Vec<Mac>>,
    pub bc_queue_len: Option<u32>,
}

/// `macvlan_validate`: the attributes' own checks, before newlink or changelink.
fn macvlan_validate(mac: Option<Mac>, data: &MacvlanData) -> Result<(), RtnlError> {
    if let Some(mac) = mac {
        if !is_valid_ether_addr(&mac) {
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
    if data.macaddr_mode.is_some_and(|m| m > MACVLAN_MACADDR_SET) {
        return Err(Errno::EINVAL.into());
    }
    if data.macaddr.is_some_and(|a| !is_valid_ether_addr(&a)) {
        return Err(Errno::EADDRNOTAVAIL.into());
    }
    if data
        .macaddr_data
        .as_ref()
        .is_some_and(|v| v.iter().any(|a| !is_valid_ether_addr(a)))
    {
        return Err(Errno::EADDRNOTAVAIL.into());
    }
    Ok(())
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
        macvlan_validate(attrs.mac, data)?;
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
        if let Some(mm) = data.macaddr_mode {
            // macvlan_changelink_sources' refusals, checked before the device exists.
            if mode != MACVLAN_MODE_SOURCE
                || (matches!(mm, MACVLAN_MACADDR_ADD | MACVLAN_MACADDR_DEL)
                    && data.macaddr.is_none())
            {
                return Err(Errno::EINVAL.into());
            }
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
            macaddr_count: 0,
        };
        let d = self.dev_create(home, name, DevKind::Macvlan(Box::new(m)), mac, mtu);
        self.dev_mut(d).mac_set = mac_set;
        let lower_mac = self.dev(lower).mac;
        let port = self.dev_mut(lower).macvlan_port.get_or_insert_with(|| {
            Box::new(MacvlanPort {
                perm_addr: lower_mac,
                ..Default::default()
            })
        });
        port.vlans.push(d);
        if mode == MACVLAN_MODE_PASSTHRU {
            port.passthru = true;
        }
        if let Some(mm) = data.macaddr_mode {
            self.macvlan_changelink_sources(d, mm, data)?;
        }
        Ok(d)
    }

    /// The port of a macvlan's lower device.
    fn macvlan_port_mut(&mut self, d: DevId) -> Option<&mut MacvlanPort> {
        let lower = self.macvlan(d)?.lowerdev;
        self.dev_mut(lower).macvlan_port.as_deref_mut()
    }

    /// `macvlan_hash_add_source` (an address already listed for this macvlan is not added
    /// again).
    fn macvlan_hash_add_source(&mut self, d: DevId, addr: Mac) {
        let Some(port) = self.macvlan_port_mut(d) else {
            return;
        };
        if port.sources.iter().any(|&(a, v, _)| a == addr && v == d) {
            return;
        }
        let seq = port.source_seq;
        port.source_seq += 1;
        port.sources.push((addr, d, seq));
        if let DevKind::Macvlan(m) = &mut self.dev_mut(d).kind {
            m.macaddr_count += 1;
        }
    }

    /// `macvlan_flush_sources`: every address listed for this macvlan.
    fn macvlan_flush_sources(&mut self, d: DevId) {
        if let Some(port) = self.macvlan_port_mut(d) {
            port.sources.retain(|&(_, v, _)| v != d);
        }
        if let DevKind::Macvlan(m) = &mut self.dev_mut(d).kind {
            m.macaddr_count = 0;
        }
    }

    /// `macvlan_changelink_sources`.
    fn macvlan_changelink_sources(
        &mut self,
        d: DevId,
        mode: u32,
        data: &MacvlanData,
    ) -> Result<(), RtnlError> {
        match mode {
            MACVLAN_MACADDR_ADD => {
                let addr = data.macaddr.ok_or(RtnlError::new(Errno::EINVAL))?;
                self.macvlan_hash_add_source(d, addr);
            }
            MACVLAN_MACADDR_DEL => {
                let addr = data.macaddr.ok_or(RtnlError::new(Errno::EINVAL))?;
                let mut found = false;
                if let Some(port) = self.macvlan_port_mut(d) {
                    let n = port.sources.len();
                    port.sources.retain(|&(a, v, _)| !(a == addr && v == d));
                    found = port.sources.len() != n;
                }
                if found {
                    if let DevKind::Macvlan(m) = &mut self.dev_mut(d).kind {
                        m.macaddr_count -= 1;
                    }
                }
            }
            MACVLAN_MACADDR_FLUSH => self.macvlan_flush_sources(d),
            MACVLAN_MACADDR_SET => {
                self.macvlan_flush_sources(d);
                if let Some(a) = data.macaddr {
                    self.macvlan_hash_add_source(d, a);
                }
                for &a in data.macaddr_data.iter().flatten() {
                    self.macvlan_hash_add_source(d, a);
                }
            }
            _ => return Err(Errno::EINVAL.into()),
        }
        Ok(())
    }

    /// The source addresses listed for a macvlan in `macvlan_fill_info`'s order: hash bucket
    /// by bucket, the newest first within one (`hlist_add_head_rcu`).
    pub fn macvlan_source_addrs(&self, d: DevId) -> Vec<Mac> {
        let Some(port) = self
            .macvlan(d)
            .and_then(|m| self.dev(m.lowerdev).macvlan_port.as_ref())
        else {
            return Vec::new();
        };
        let mut v: Vec<(u8, std::cmp::Reverse<u64>, Mac)> = port
            .sources
            .iter()
            .filter(|&&(_, x, _)| x == d)
            .map(|&(a, _, seq)| (macvlan_eth_hash(&a), std::cmp::Reverse(seq), a))
            .collect();
        v.sort();
        v.into_iter().map(|(_, _, a)| a).collect()
    }

    /// `macvlan_changelink` (`ip link set DEV type macvlan ...`), after `macvlan_validate`.
    pub fn macvlan_changelink(&mut self, d: DevId, data: &MacvlanData) -> Result<(), RtnlError> {
        let Some(cur) = self.macvlan(d).cloned() else {
            return Err(Errno::EOPNOTSUPP.into());
        };
        macvlan_validate(None, data)?;
        // The mode is validated first but set last: setting the flags may fail.
        if let Some(mode) = data.mode {
            // Passthrough mode can't be set or cleared dynamically.
            if (mode == MACVLAN_MODE_PASSTHRU) != (cur.mode == MACVLAN_MODE_PASSTHRU) {
                return Err(Errno::EINVAL.into());
            }
            if cur.mode == MACVLAN_MODE_SOURCE && mode != cur.mode {
                self.macvlan_flush_sources(d);
            }
        }
        if let Some(flags) = data.flags {
            // On a passthru port a changed nopromisc moves the lower device's promiscuity
            // (computed from the flags: macvlan_lower_promiscuity).
            if let DevKind::Macvlan(m) = &mut self.dev_mut(d).kind {
                m.flags = flags;
            }
        }
        if let Some(q) = data.bc_queue_len {
            if let DevKind::Macvlan(m) = &mut self.dev_mut(d).kind {
                m.bc_queue_len_req = q;
            }
        }
        if let Some(mode) = data.mode {
            if let DevKind::Macvlan(m) = &mut self.dev_mut(d).kind {
                m.mode = mode;
            }
        }
        if let Some(mm) = data.macaddr_mode {
            if self
                .macvlan(d)
                .is_none_or(|m| m.mode != MACVLAN_MODE_SOURCE)
            {
                return Err(Errno::EINVAL.into());
            }
            self.macvlan_changelink_sources(d, mm, data)?;
        }
        Ok(())
    }

    /// `macvlan_set_mac_address` (`ndo_set_mac_address`). Answers the address the macvlan
    /// then has (the caller completes `dev_set_mac_address`: `NETDEV_CHANGEADDR` on it).
    pub fn macvlan_set_mac_address(&mut self, d: DevId, addr: Mac) -> Result<(), RtnlError> {
        let Some(m) = self.macvlan(d).cloned() else {
            return Ok(());
        };
        if !is_valid_ether_addr(&addr) {
            return Err(Errno::EADDRNOTAVAIL.into());
        }
        if self.dev(d).mac == addr {
            return Ok(());
        }
        if m.mode == MACVLAN_MODE_PASSTHRU {
            if let Some(p) = self.macvlan_port_mut(d) {
                p.addr_change = true;
            }
            // dev_set_mac_address(lowerdev): its NETDEV_CHANGEADDR syncs this macvlan.
            return self.dev_set_mac_address(m.lowerdev, addr);
        }
        if self.macvlan_addr_busy(d, &addr) {
            return Err(Errno::EADDRINUSE.into());
        }
        self.macvlan_sync_address(d, addr);
        Ok(())
    }

    /// `macvlan_sync_address`: the macvlan takes `addr` (an open one is rehashed); on a
    /// passthru port a change the lower device made itself is kept as the address to restore.
    fn macvlan_sync_address(&mut self, d: DevId, addr: Mac) {
        self.dev_mut(d).mac = addr;
        self.cap_refresh(d);
        let Some(lower) = self.macvlan(d).map(|m| m.lowerdev) else {
            return;
        };
        let lower_mac = self.dev(lower).mac;
        if let Some(p) = self.dev_mut(lower).macvlan_port.as_deref_mut() {
            if p.passthru && !p.addr_change {
                p.perm_addr = lower_mac;
            }
            p.addr_change = false;
        }
    }

    /// `macvlan_device_event(NETDEV_CHANGEADDR)` of a lower device: a passthru macvlan takes
    /// its new address.
    pub fn macvlan_lowerdev_changeaddr(&mut self, lower: DevId) {
        let Some(p) = self.dev(lower).macvlan_port.as_ref() else {
            return;
        };
        if !p.passthru {
            return;
        }
        if let Some(&v) = p.vlans.first() {
            let addr = self.dev(lower).mac;
            self.macvlan_sync_address(v, addr);
        }
    }

    /// `macvlan_dellink` / `macvlan_uninit`: off the port, which goes with its last macvlan.
    pub fn macvlan_dellink(&mut self, d: DevId) {
        let Some(lower) = self.macvlan(d).map(|m| m.lowerdev) else {
            return;
        };
        if !self.dev_alive(lower) {
            return;
        }
        self.macvlan_flush_sources(d);
        let dev = self.dev_mut(lower);
        let mut restore = None;
        if let Some(p) = dev.macvlan_port.as_mut() {
            p.vlans.retain(|&v| v != d);
            if p.vlans.is_empty() {
                // macvlan_port_destroy: a passthru port puts the lower device's address back.
                if p.passthru && dev.mac != p.perm_addr {
                    restore = Some(p.perm_addr);
                }
                dev.macvlan_port = None;
            }
        }
        if let Some(a) = restore {
            let _ = self.dev_set_mac_address(lower, a);
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

    /// `macvlan_forward_source`: a copy for each open `source` macvlan listing `src`
    /// (`macvlan_forward_source_one`: `__netif_rx`). Answers whether one of them has `nodst`
    /// (the frame goes no further).
    fn macvlan_forward_source(&mut self, lower: DevId, skb: &SkBuff, src: &Mac) -> bool {
        let Some(port) = self.dev(lower).macvlan_port.as_ref() else {
            return false;
        };
        if port.sources.is_empty() {
            return false;
        }
        // One bucket: the newest entry first.
        let mut hits: Vec<(u64, DevId)> = port
            .sources
            .iter()
            .filter(|&&(a, _, _)| a == *src)
            .map(|&(_, v, seq)| (seq, v))
            .collect();
        hits.sort_by_key(|h| std::cmp::Reverse(h.0));
        let mut consume = false;
        for (_, v) in hits {
            let Some(m) = self.macvlan(v) else { continue };
            if m.flags & MACVLAN_FLAG_NODST != 0 {
                consume = true;
            }
            if self.dev_alive(v) && self.dev(v).up {
                self.schedule_in(
                    HOP_DELAY,
                    Event::NetifRx {
                        dev: v,
                        skb: skb.clone(),
                    },
                );
            }
        }
        consume
    }

    /// Whether a unicast frame to `dst` a macvlan receives is `PACKET_HOST` to it although
    /// `dst` is not its address: a passthru macvlan gets every unicast frame as
    /// `PACKET_HOST` (`macvlan_handle_frame`); a source macvlan's copy keeps the lower
    /// device's `pkt_type` (`macvlan_forward_source_one`), `PACKET_HOST` for the lower
    /// device's own address.
    pub fn macvlan_rx_to_host(&self, d: DevId, dst: &Mac) -> bool {
        match self.macvlan(d) {
            Some(m) if m.mode == MACVLAN_MODE_PASSTHRU => true,
            Some(m) if m.mode == MACVLAN_MODE_SOURCE => {
                self.dev_alive(m.lowerdev) && self.dev(m.lowerdev).mac == *dst
            }
            _ => false,
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
        // (The multicast branch runs ip_check_defrag first: not modelled, fragments are not
        // multicast here.)
        if self.macvlan_forward_source(lower, &skb, &src) {
            self.kfree_skb_reason(
                Some(lower),
                crate::dropreason::SkbDropReason::NotSpecified,
                "macvlan_handle_frame",
            );
            return None;
        }
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

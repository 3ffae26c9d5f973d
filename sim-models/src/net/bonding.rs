//! `drivers/net/bonding/`: a bond device over slave devices (`bond_main.c`, `bond_options.c`,
//! `bond_netlink.c`, `bond_procfs.c`).
//!
//! Modes modelled: `balance-rr` (each frame to the next slave: `bond_rr_gen_slave_id`'s counter
//! counting from 1, modulo the number of slaves, the named slave or the next one that can
//! transmit, `bond_get_slave_by_id`), `active-backup` (everything through the active slave; frames arriving on a backup
//! slave are not delivered to the bond) and `balance-xor` (the slave by `bond_xmit_hash`:
//! `layer2` or `layer3+4`). A slave takes the bond's MAC address (the bond takes its first
//! slave's unless one was given) and is opened by the bond; released, it gets its own address
//! back and is closed.
//!
//! The MII monitor (`miimon` ms, `bond_mii_monitor`) looks at each slave's carrier: a slave
//! that lost it is down (`Link Failure Count` + 1). Active-backup chooses its active slave as
//! `bond_select_active_slave` does: the `primary` (given by name, possibly before that device
//! is enslaved), `primary_reselect` (always/better/failure), `active_slave` by hand. A new
//! active slave on an up bond is announced (`NETDEV_NOTIFY_PEERS`: gratuitous ARP requests,
//! `num_grat_arp` of them, one per MII tick). Without `miimon` the bond never notices a
//! failure.
//!
//! # Differences from Linux
//! Not modelled (refused as such): 802.3ad (LACP), balance-tlb, balance-alb, broadcast, the ARP
//! monitor, `updelay`/`downdelay`, `peer_notify_delay`, `fail_over_mac`, and every other
//! option; `team` devices. Every slave has the same speed and duplex (veth's 10000 full) and
//! `prio` 0, so `primary_reselect better` never prefers the primary. An up bond's new MII
//! monitor first runs `miimon` ms later (the kernel queues it at once); the announcement is
//! never held back for a slave's pending link event (`__LINK_STATE_LINKWATCH_PENDING`).
//! balance-rr: the kernel's counter is per CPU, so on a machine with several CPUs which slave
//! a frame takes depends on the CPU that sends it; the model is one CPU (a lab compares with
//! the kernel when everything that makes the bond send runs on one CPU, `taskset -c 0`:
//! nslab-bond-rr). IGMP leaving an rr bond by `curr_active_slave` is not modelled (IGMP
//! counts like any frame).

use crate::errno::Errno;
use crate::kernel::{DevId, DevKind, Event, Kernel, NsId};
use crate::net::rtnetlink::{IfIndex, RtnlError};
use crate::net::skbuff::SkBuff;
use crate::wire::*;
use sim_core::Duration;

pub const BOND_MODE_ROUNDROBIN: u8 = 0;
pub const BOND_MODE_ACTIVEBACKUP: u8 = 1;
pub const BOND_MODE_XOR: u8 = 2;
pub const BOND_MODE_BROADCAST: u8 = 3;
pub const BOND_MODE_8023AD: u8 = 4;
pub const BOND_MODE_TLB: u8 = 5;
pub const BOND_MODE_ALB: u8 = 6;

/// `BOND_XMIT_POLICY_*`.
pub const BOND_XMIT_POLICY_LAYER2: u8 = 0;
pub const BOND_XMIT_POLICY_LAYER34: u8 = 1;

/// `bond_mode_tbl`: the names `ip link` takes and prints.
pub const BOND_MODE_NAMES: [&str; 7] = [
    "balance-rr",
    "active-backup",
    "balance-xor",
    "broadcast",
    "802.3ad",
    "balance-tlb",
    "balance-alb",
];

/// `xmit_hashtype_tbl`.
pub const BOND_XMIT_POLICY_NAMES: [&str; 6] = [
    "layer2",
    "layer3+4",
    "layer2+3",
    "encap2+3",
    "encap3+4",
    "vlan+srcmac",
];

/// One slave (`struct slave`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BondSlave {
    pub dev: DevId,
    /// `slave->link == BOND_LINK_UP` as the bond last saw it.
    pub link_up: bool,
    pub link_failure_count: u32,
    /// `slave->perm_hwaddr`: its address before it took the bond's.
    pub perm_hwaddr: Mac,
}

/// `struct bonding`.
#[derive(Clone, Debug, Default)]
pub struct Bond {
    pub mode: u8,
    /// `miimon` in milliseconds (0: no MII monitor).
    pub miimon: u32,
    pub xmit_policy: u8,
    /// In enslaving order (`bond->dev`'s lower list).
    pub slaves: Vec<BondSlave>,
    /// `curr_active_slave` (active-backup).
    pub active: Option<DevId>,
    /// `rr_tx_counter`.
    pub rr_tx_counter: u32,
    /// The MII monitor is scheduled.
    pub mii_scheduled: bool,
    /// `primary_slave`: the enslaved device named by `params.primary`.
    pub primary: Option<DevId>,
    /// `params.primary`: the name given (kept while no slave has it: a device enslaved later
    /// under that name becomes the primary).
    pub primary_name: String,
    /// `force_primary`: the next selection takes the primary even if the current slave is up.
    pub force_primary: bool,
    /// `params.primary_reselect` (`BOND_PRI_RESELECT_*`).
    pub primary_reselect: u8,
    /// `params.num_peer_notif` (`num_grat_arp`, `num_unsol_na`).
    pub num_peer_notif: u8,
    /// `send_peer_notif`: announcements still to send, one per MII tick.
    pub send_peer_notif: u32,
    /// While enslaving into a bond without carrier: `netif_carrier_ok` is still false.
    carrier_off: bool,
}

/// `BOND_PRI_RESELECT_*` (`bond_primary_reselect_tbl`).
pub const BOND_PRI_RESELECT_ALWAYS: u8 = 0;
pub const BOND_PRI_RESELECT_BETTER: u8 = 1;
pub const BOND_PRI_RESELECT_FAILURE: u8 = 2;
pub const BOND_PRI_RESELECT_NAMES: [&str; 3] = ["always", "better", "failure"];

/// The `IFLA_BOND_*` options of `ip link add|set ... type bond` that nslab models.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BondOpts {
    pub mode: Option<u8>,
    /// `IFLA_BOND_ACTIVE_SLAVE`: an ifindex, 0 to clear (`clear_active_slave`).
    pub active_slave: Option<IfIndex>,
    pub miimon: Option<u32>,
    /// `IFLA_BOND_PRIMARY`: an ifindex (iproute2 resolves the name).
    pub primary: Option<IfIndex>,
    pub primary_reselect: Option<u8>,
    pub xmit_hash_policy: Option<u8>,
    /// `IFLA_BOND_NUM_PEER_NOTIF` (`num_grat_arp`, `num_unsol_na`).
    pub num_peer_notif: Option<u8>,
}

impl Kernel {
    pub fn bond(&self, d: DevId) -> Option<&Bond> {
        match &self.dev(d).kind {
            DevKind::Bond(b) => Some(b),
            _ => None,
        }
    }

    fn bond_mut(&mut self, d: DevId) -> &mut Bond {
        match &mut self.dev_mut(d).kind {
            DevKind::Bond(b) => b,
            _ => unreachable!("bond_mut() on a non-bond device"),
        }
    }

    pub fn is_bond(&self, d: DevId) -> bool {
        self.bond(d).is_some()
    }

    /// `bond_newlink`: `bond_changelink`'s options on the new bond, then `register_netdevice`
    /// (a refused option creates nothing).
    pub fn bond_newlink(
        &mut self,
        home: NsId,
        name: &str,
        mac: Option<Mac>,
        mtu: Option<u32>,
        o: &BondOpts,
    ) -> Result<DevId, RtnlError> {
        bond_check_opts(o)?;
        // What bond_changelink refuses on a bond without slaves, in its order.
        let mode = o.mode.unwrap_or(BOND_MODE_ROUNDROBIN);
        if let Some(ifindex) = o.active_slave {
            if ifindex != 0 && self.dev_by_ifindex(home, ifindex).is_none() {
                return Err(Errno::ENODEV.into());
            }
            bond_opt_check_mode(mode)?;
            if ifindex != 0 {
                // bond_option_active_slave_set: no device is a slave of a new bond.
                return Err(bond_opt_einval());
            }
        }
        if o.primary.is_some() {
            bond_opt_check_mode(mode)?;
        }
        let b = Bond {
            mode,
            xmit_policy: BOND_XMIT_POLICY_LAYER2,
            num_peer_notif: 1,
            ..Default::default()
        };
        let addr = mac.unwrap_or_else(|| self.rng.eth_random_addr());
        let d = self.dev_create(
            home,
            name,
            DevKind::Bond(Box::new(b)),
            addr,
            mtu.unwrap_or(1500),
        );
        self.dev_mut(d).mac_set = mac.is_some();
        let rest = BondOpts { mode: None, ..*o };
        self.bond_changelink(d, &rest)?;
        Ok(d)
    }

    /// `bond_changelink` on an existing bond: each option through `__bond_opt_set` in the
    /// kernel's order (mode, active_slave, miimon, primary, primary_reselect,
    /// xmit_hash_policy, num_grat_arp), an option's `bond_opt_check_deps` first: the mode
    /// (`BOND_OPTFLAG_NOSLAVES | BOND_OPTFLAG_IFDOWN`) is refused with ENOTEMPTY while the
    /// bond has slaves, then with EBUSY while it is up; `active_slave` and `primary` with
    /// EACCES in a mode without an active slave. An option set before a refused one stays
    /// set, as in the kernel.
    pub fn bond_changelink(&mut self, d: DevId, o: &BondOpts) -> Result<(), RtnlError> {
        bond_check_opts(o)?;
        if let Some(m) = o.mode {
            if !self.bond_mut(d).slaves.is_empty() {
                return Err(RtnlError::extack(
                    Errno::ENOTEMPTY,
                    "unable to set option because the bond device has slaves",
                ));
            }
            if self.dev(d).up {
                return Err(RtnlError::extack(
                    Errno::EBUSY,
                    "unable to set option because the bond is up",
                ));
            }
            self.bond_mut(d).mode = m;
        }
        if let Some(ifindex) = o.active_slave {
            let slave = match ifindex {
                0 => None,
                i => Some(
                    self.dev_by_ifindex(self.dev(d).ns, i)
                        .ok_or(RtnlError::from(Errno::ENODEV))?,
                ),
            };
            bond_opt_check_mode(self.bond_mut(d).mode)?;
            self.bond_option_active_slave_set(d, slave)?;
        }
        if let Some(m) = o.miimon {
            // bond_option_miimon_set: an up bond's MII monitor starts (or stops) now.
            self.bond_mut(d).miimon = m;
            if self.dev(d).up {
                self.bond_mii_schedule(d);
            }
        }
        if let Some(ifindex) = o.primary {
            // An ifindex that names no device clears the primary (the name "").
            let name = self
                .dev_by_ifindex(self.dev(d).ns, ifindex)
                .map(|p| self.dev(p).name.clone())
                .unwrap_or_default();
            bond_opt_check_mode(self.bond_mut(d).mode)?;
            self.bond_option_primary_set(d, &name);
        }
        if let Some(r) = o.primary_reselect {
            // bond_option_primary_reselect_set.
            self.bond_mut(d).primary_reselect = r;
            self.bond_select_active_slave(d);
        }
        if let Some(p) = o.xmit_hash_policy {
            self.bond_mut(d).xmit_policy = p;
        }
        if let Some(n) = o.num_peer_notif {
            self.bond_mut(d).num_peer_notif = n;
        }
        Ok(())
    }

    /// `bond_option_active_slave_set`: the device must be one of this bond's slaves; a
    /// switch needs a current active slave and a new one that is up with its link up.
    fn bond_option_active_slave_set(
        &mut self,
        bond: DevId,
        slave: Option<DevId>,
    ) -> Result<(), RtnlError> {
        let Some(s) = slave else {
            // Clearing: the best slave is chosen again.
            self.bond_mut(bond).active = None;
            self.bond_select_active_slave(bond);
            return Ok(());
        };
        // "Device is not bonding slave" / "Device is not our slave".
        if self.dev(s).master != Some(bond) {
            return Err(bond_opt_einval());
        }
        let b = self.bond_mut(bond);
        let old = b.active;
        if old == Some(s) {
            return Ok(());
        }
        let link_up = b.slaves.iter().any(|x| x.dev == s && x.link_up);
        if old.is_some() && link_up && self.dev_running(s) {
            self.bond_change_active_slave(bond, Some(s));
            Ok(())
        } else {
            // "Could not set as active slave; either DEV is down or the link is down".
            Err(bond_opt_einval())
        }
    }

    /// `bond_option_primary_set`: a slave of that name becomes the primary (and is forced
    /// active); another name is remembered for a device enslaved later.
    fn bond_option_primary_set(&mut self, bond: DevId, name: &str) {
        let slave = self.bond(bond).and_then(|b| {
            b.slaves
                .iter()
                .map(|s| s.dev)
                .find(|&s| !name.is_empty() && self.dev(s).name == name)
        });
        let b = self.bond_mut(bond);
        b.primary_name = name.to_string();
        if let Some(s) = slave {
            b.primary = Some(s);
            b.force_primary = true;
            self.bond_select_active_slave(bond);
        } else if b.primary.take().is_some() || name.is_empty() {
            self.bond_select_active_slave(bond);
        }
    }

    /// `bond_enslave`.
    pub fn bond_enslave(&mut self, bond: DevId, slave: DevId) -> Result<(), RtnlError> {
        if self.is_bond(slave) && slave == bond {
            return Err(Errno::EPERM.into());
        }
        if matches!(self.dev(slave).kind, DevKind::Loopback | DevKind::Ipip(_)) {
            return Err(Errno::EINVAL.into());
        }
        let first = self.bond(bond).is_some_and(|b| b.slaves.is_empty());
        // bond_set_dev_addr: the first slave's address, unless the bond's was given.
        if first && !self.dev(bond).mac_set {
            let m = self.dev(slave).mac;
            self.dev_mut(bond).mac = m;
            self.cap_refresh(bond);
        }
        let perm = self.dev(slave).mac;
        let bmac = self.dev(bond).mac;
        self.dev_mut(slave).mac = bmac;
        self.cap_refresh(slave);
        let mtu = self.dev(bond).mtu;
        self.dev_mut(slave).mtu = mtu;
        self.dev_mut(slave).master = Some(bond);
        // dev_open(slave_dev).
        self.dev_set_up(slave, true);
        let miimon = self.bond(bond).map_or(0, |b| b.miimon);
        let link_up = miimon == 0 || self.carrier(slave);
        let b = self.bond_mut(bond);
        b.slaves.push(BondSlave {
            dev: slave,
            link_up,
            link_failure_count: 0,
            perm_hwaddr: perm,
        });
        // A slave with the name `primary` gave is the primary (and forced active).
        let name = self.dev(slave).name.clone();
        let b = self.bond_mut(bond);
        if !b.primary_name.is_empty() && b.primary_name == name {
            b.primary = Some(slave);
            b.force_primary = true;
        }
        // bond_select_active_slave sets the bond's carrier only after the change of active
        // slave: a bond that had none announces its first slave at the next MII tick.
        let had_carrier = self
            .bond(bond)
            .is_some_and(|b| b.slaves.iter().any(|s| s.link_up && s.dev != slave));
        self.bond_mut(bond).carrier_off = !had_carrier;
        self.bond_select_active_slave(bond);
        self.bond_mut(bond).carrier_off = false;
        self.bond_mii_schedule(bond);
        Ok(())
    }

    /// `__bond_release_one`: the slave gets its own address back and is closed.
    pub fn bond_release(&mut self, bond: DevId, slave: DevId) {
        let Some(pos) = self
            .bond(bond)
            .and_then(|b| b.slaves.iter().position(|s| s.dev == slave))
        else {
            return;
        };
        let s = self.bond_mut(bond).slaves.remove(pos);
        let b = self.bond_mut(bond);
        if b.primary == Some(slave) {
            b.primary = None;
        }
        if b.active == Some(slave) {
            b.active = None;
            self.bond_select_active_slave(bond);
        }
        if self.dev_alive(slave) {
            self.dev_mut(slave).master = None;
            self.dev_set_up(slave, false);
            self.dev_mut(slave).mac = s.perm_hwaddr;
            self.cap_refresh(slave);
        }
    }

    /// A device leaves its master: a bond releases it, a bridge deletes the port.
    pub fn dev_master_release(&mut self, master: DevId, d: DevId) {
        if self.is_bond(master) {
            self.bond_release(master, d);
        } else {
            self.br_del_if(master, d);
        }
    }

    /// A deleted bond releases its slaves; a deleted slave leaves its bond.
    pub fn bond_dev_unregister(&mut self, d: DevId) {
        if let Some(b) = self.bond(d) {
            for s in b.slaves.clone() {
                self.bond_release(d, s.dev);
            }
        }
        if let Some(m) = self.dev(d).master.filter(|&m| self.is_bond(m)) {
            self.bond_release(m, d);
        }
    }

    /// `bond_choose_primary_or_current` (every slave has `prio` 0): without an up primary,
    /// the first up slave if it is not the current one, else the current one if up; with
    /// one, the primary if it is forced or the current slave is down, else as
    /// `primary_reselect` says (`better`: the primary only if faster or of better duplex;
    /// every slave here has the same speed and duplex, so never).
    fn bond_choose_primary_or_current(&mut self, bond: DevId) -> Option<DevId> {
        let b = self.bond(bond)?;
        let up =
            |d: Option<DevId>| d.is_some_and(|d| b.slaves.iter().any(|s| s.dev == d && s.link_up));
        let curr = b.active;
        let mut prim = b.primary;
        if !up(prim) {
            match b.slaves.iter().find(|s| s.link_up).map(|s| s.dev) {
                Some(h) if Some(h) != curr => prim = Some(h),
                _ => return curr.filter(|_| up(curr)),
            }
        } else if b.force_primary {
            self.bond_mut(bond).force_primary = false;
            return prim;
        }
        let b = self.bond(bond)?;
        if !up(curr) {
            return prim;
        }
        match b.primary_reselect {
            BOND_PRI_RESELECT_ALWAYS => prim,
            _ => curr,
        }
    }

    /// `bond_find_best_slave`: the primary or current slave, else the first slave up.
    fn bond_find_best_slave(&mut self, bond: DevId) -> Option<DevId> {
        if let Some(s) = self.bond_choose_primary_or_current(bond) {
            return Some(s);
        }
        let b = self.bond(bond)?;
        b.slaves.iter().find(|s| s.link_up).map(|s| s.dev)
    }

    /// `bond_select_active_slave` (modes with an active slave: active-backup here).
    fn bond_select_active_slave(&mut self, bond: DevId) {
        if self
            .bond(bond)
            .is_none_or(|b| b.mode != BOND_MODE_ACTIVEBACKUP)
        {
            return;
        }
        let best = self.bond_find_best_slave(bond);
        if self.bond(bond).is_some_and(|b| b.active != best) {
            self.bond_change_active_slave(bond, best);
        }
    }

    /// `bond_change_active_slave`: a new active slave; a running bond then has
    /// `num_grat_arp` announcements to make, the first at once if `bond_should_notify_peers`
    /// (the bond has carrier: a first slave enslaved into an up bond announces at the next
    /// MII tick), the others one per MII tick.
    fn bond_change_active_slave(&mut self, bond: DevId, new: Option<DevId>) {
        let old = self.bond(bond).and_then(|b| b.active);
        if old == new {
            return;
        }
        self.bond_mut(bond).active = new;
        if new.is_some() && self.dev(bond).up {
            let b = self.bond_mut(bond);
            b.send_peer_notif = u32::from(b.num_peer_notif);
            if self.bond_should_notify_peers(bond) {
                self.bond_mut(bond).send_peer_notif -= 1;
                self.bond_notify_peers(bond);
            }
        }
    }

    /// `bond_should_notify_peers` (`peer_notify_delay` 0).
    fn bond_should_notify_peers(&self, bond: DevId) -> bool {
        self.bond(bond).is_some_and(|b| {
            b.active.is_some() && b.send_peer_notif != 0 && !b.carrier_off && self.bond_carrier(b)
        })
    }

    /// `inetdev_event(NETDEV_NOTIFY_PEERS)` → `arp_send(ARPOP_REQUEST, ...)` for the first
    /// address, target and sender both that address.
    fn bond_notify_peers(&mut self, bond: DevId) {
        if let Some(a) = self.dev(bond).addrs.first().map(|a| a.local) {
            self.arp_send(ARPOP_REQUEST, bond, a, a, None, None);
        }
    }

    /// Arms the MII monitor if the bond has one and it is not armed.
    fn bond_mii_schedule(&mut self, bond: DevId) {
        let Some(b) = self.bond(bond) else { return };
        if b.miimon == 0 || b.mii_scheduled {
            return;
        }
        let ms = u64::from(b.miimon);
        self.bond_mut(bond).mii_scheduled = true;
        self.schedule_in(Duration::from_millis(ms), Event::BondMiimon { dev: bond });
    }

    /// `bond_mii_monitor`: `bond_miimon_inspect` + `bond_miimon_commit`, then again in
    /// `miimon` ms.
    pub fn bond_mii_monitor(&mut self, bond: DevId) {
        if !self.dev_alive(bond) || !self.is_bond(bond) {
            return;
        }
        self.bond_mut(bond).mii_scheduled = false;
        if self.bond(bond).is_some_and(|b| b.miimon == 0) {
            return;
        }
        if self.dev(bond).up && self.bond(bond).is_some_and(|b| !b.slaves.is_empty()) {
            let notify = self.bond_should_notify_peers(bond);
            // bond_miimon_inspect.
            let slaves: Vec<(DevId, bool)> = self
                .bond(bond)
                .map(|b| b.slaves.iter().map(|s| (s.dev, s.link_up)).collect())
                .unwrap_or_default();
            let changes: Vec<(DevId, bool)> = slaves
                .into_iter()
                .map(|(s, was_up)| (s, was_up, self.dev_alive(s) && self.dev_running(s)))
                .filter(|&(_, was_up, up)| up != was_up)
                .map(|(s, _, up)| (s, up))
                .collect();
            let b = self.bond_mut(bond);
            // bond_miimon_commit: a failover when the active slave went down, or a slave
            // came up while there was none or it is the primary.
            let (active, primary) = (b.active, b.primary);
            let mut do_failover = false;
            for (s, up) in changes {
                if let Some(x) = b.slaves.iter_mut().find(|x| x.dev == s) {
                    x.link_up = up;
                    if !up {
                        x.link_failure_count += 1;
                    }
                }
                do_failover |= if up {
                    active.is_none() || Some(s) == primary
                } else {
                    Some(s) == active
                };
            }
            if do_failover {
                self.bond_select_active_slave(bond);
            }
            // One announcement a tick, if one was due before this tick's commit (a failover
            // that just announced itself does not announce again in the same tick).
            let b = self.bond_mut(bond);
            if b.send_peer_notif > 0 {
                b.send_peer_notif -= 1;
                if notify {
                    self.bond_notify_peers(bond);
                }
            }
        }
        self.bond_mii_schedule(bond);
    }

    /// The bond's carrier (`bond_set_carrier`): a slave is up.
    pub fn bond_carrier(&self, b: &Bond) -> bool {
        b.slaves.iter().any(|s| s.link_up)
    }

    /// `bond_start_xmit` by mode.
    pub fn bond_start_xmit(&mut self, bond: DevId, skb: SkBuff) {
        let Some(b) = self.bond(bond) else { return };
        let up: Vec<DevId> = b
            .slaves
            .iter()
            .filter(|s| s.link_up)
            .map(|s| s.dev)
            .collect();
        let slave = match b.mode {
            BOND_MODE_ACTIVEBACKUP => b.active,
            BOND_MODE_ROUNDROBIN => {
                // bond_xmit_roundrobin_slave_get: bond_rr_gen_slave_id's counter (per CPU in
                // the kernel, `this_cpu_inc_return`: the model has one CPU; the first frame is
                // slave 1) modulo every slave, then bond_get_slave_by_id.
                let cnt = b.slaves.len();
                let n = b.rr_tx_counter.wrapping_add(1);
                self.bond_mut(bond).rr_tx_counter = n;
                (cnt > 0)
                    .then(|| self.bond_get_slave_by_id(bond, n as usize % cnt))
                    .flatten()
            }
            BOND_MODE_XOR => {
                let h = bond_xmit_hash(b.xmit_policy, skb.data());
                (!up.is_empty()).then(|| up[h as usize % up.len()])
            }
            _ => None,
        };
        match slave {
            Some(s) if self.dev_alive(s) => {
                self.dev_queue_xmit(s, skb);
            }
            _ => {
                self.dev_mut(bond).stats.tx_dropped += 1;
                self.kfree_skb_reason(
                    Some(bond),
                    crate::dropreason::SkbDropReason::NotSpecified,
                    "bond_start_xmit",
                );
            }
        }
    }

    /// `bond_slave_can_tx`: the slave is running with carrier, its link is up (and, in the
    /// modes where every slave is active, it is active).
    fn bond_slave_can_tx(&self, s: &BondSlave) -> bool {
        s.link_up && self.dev_alive(s.dev) && self.dev(s.dev).up && self.carrier(s.dev)
    }

    /// `bond_get_slave_by_id`: the first slave that can transmit from the `id`th on, else
    /// from the first up to the `id`th.
    fn bond_get_slave_by_id(&self, bond: DevId, id: usize) -> Option<DevId> {
        let b = self.bond(bond)?;
        b.slaves[id..]
            .iter()
            .chain(&b.slaves[..id])
            .find(|s| self.bond_slave_can_tx(s))
            .map(|s| s.dev)
    }

    /// `bond_handle_frame`, the slaves' rx handler: a frame from an active slave is received
    /// again by the bond; one from an active-backup bond's backup slave is not (it stays with
    /// handlers bound to the slave itself).
    pub fn bond_handle_frame(&mut self, bond: DevId, slave: DevId, skb: SkBuff) {
        let Some(b) = self.bond(bond) else { return };
        if b.mode == BOND_MODE_ACTIVEBACKUP && b.active != Some(slave) {
            return self.kfree_skb_reason(
                Some(slave),
                crate::dropreason::SkbDropReason::NotSpecified,
                "bond_handle_frame",
            );
        }
        if self.dev(bond).ns != self.dev(slave).ns {
            let mut skb = skb;
            skb.scrub(skb.mark != 0);
            return self.netif_receive_skb(bond, skb);
        }
        self.netif_receive_skb(bond, skb);
    }

    /// `/proc/net/bonding/BOND` (`bond_info_show_master` + `bond_info_show_slave`), as 6.1
    /// prints it (recorded in nslab-bond).
    pub fn bond_procfs(&self, ns: NsId, name: &str) -> Option<String> {
        let d = self.dev_by_name(ns, name)?;
        let b = self.bond(d)?;
        let mut s = String::from("Ethernet Channel Bonding Driver: v6.1.0-57-amd64\n\n");
        let mode = match b.mode {
            BOND_MODE_ROUNDROBIN => "load balancing (round-robin)",
            BOND_MODE_ACTIVEBACKUP => "fault-tolerance (active-backup)",
            BOND_MODE_XOR => "load balancing (xor)",
            _ => "unknown",
        };
        s += &format!("Bonding Mode: {mode}\n");
        if b.mode == BOND_MODE_XOR {
            s += &format!(
                "Transmit Hash Policy: {} ({})\n",
                BOND_XMIT_POLICY_NAMES[usize::from(b.xmit_policy)],
                b.xmit_policy
            );
        }
        if b.mode == BOND_MODE_ACTIVEBACKUP {
            // bond_info_show_master: the primary with its reselect policy.
            match b.primary.filter(|&p| self.dev_alive(p)) {
                Some(p) => {
                    s += &format!(
                        "Primary Slave: {} (primary_reselect {})\n",
                        self.dev(p).name,
                        BOND_PRI_RESELECT_NAMES[usize::from(b.primary_reselect).min(2)]
                    )
                }
                None => s += "Primary Slave: None\n",
            }
            let cur = b
                .active
                .filter(|&a| self.dev_alive(a))
                .map_or("None".to_string(), |a| self.dev(a).name.clone());
            s += &format!("Currently Active Slave: {cur}\n");
        }
        let up = if self.bond_carrier(b) { "up" } else { "down" };
        s += &format!(
            "MII Status: {up}\nMII Polling Interval (ms): {}\nUp Delay (ms): 0\nDown Delay (ms): 0\nPeer Notification Delay (ms): 0\n",
            b.miimon
        );
        for sl in &b.slaves {
            if !self.dev_alive(sl.dev) {
                continue;
            }
            s += &format!(
                "\nSlave Interface: {}\nMII Status: {}\nSpeed: 10000 Mbps\nDuplex: full\nLink Failure Count: {}\nPermanent HW addr: {}\nSlave queue ID: 0\n",
                self.dev(sl.dev).name,
                if sl.link_up { "up" } else { "down" },
                sl.link_failure_count,
                fmt_mac(&sl.perm_hwaddr)
            );
        }
        Some(s)
    }
}

/// `bond_opt_check_deps` for `active_slave` and `primary` (`unsuppmodes`: every mode but
/// active-backup, balance-tlb and balance-alb): EACCES, with `bond_opt_dep_print`'s extack.
fn bond_opt_check_mode(mode: u8) -> Result<(), RtnlError> {
    if matches!(mode, BOND_MODE_ACTIVEBACKUP | BOND_MODE_TLB | BOND_MODE_ALB) {
        Ok(())
    } else {
        Err(RtnlError::extack(
            Errno::EACCES,
            "option not supported in mode",
        ))
    }
}

/// `bond_opt_error_interpret` of EINVAL (recorded in nslab-bond-primary).
fn bond_opt_einval() -> RtnlError {
    RtnlError::extack(Errno::EINVAL, "invalid option value")
}

/// Modes and options nslab does not model are refused before anything is created.
fn bond_check_opts(o: &BondOpts) -> Result<(), RtnlError> {
    match o.mode {
        Some(BOND_MODE_8023AD) => Err(RtnlError::not_modelled("802.3ad (LACP)")),
        Some(m) if m == BOND_MODE_BROADCAST || m == BOND_MODE_TLB || m == BOND_MODE_ALB => Err(
            RtnlError::not_modelled(format!("bond mode {}", BOND_MODE_NAMES[usize::from(m)])),
        ),
        _ => match o.xmit_hash_policy {
            Some(p) if p > BOND_XMIT_POLICY_LAYER34 => Err(RtnlError::not_modelled(format!(
                "bond xmit_hash_policy {}",
                BOND_XMIT_POLICY_NAMES[usize::from(p).min(5)]
            ))),
            _ => Ok(()),
        },
    }
}

/// `bond_xmit_hash` for `layer2` (`bond_eth_hash`: the last bytes of both addresses and the
/// ethertype) and `layer3+4` (ports and addresses of an IPv4 packet, folded; layer 2 for
/// others), as 6.1 computes them.
pub fn bond_xmit_hash(policy: u8, frame: &[u8]) -> u32 {
    if frame.len() < ETH_HLEN {
        return 0;
    }
    let proto = u32::from(u16::from_be_bytes([frame[12], frame[13]]));
    let l2 = u32::from(frame[5]) ^ u32::from(frame[11]) ^ proto;
    if policy != BOND_XMIT_POLICY_LAYER34 || proto != u32::from(ETH_P_IP) {
        return l2;
    }
    let ip = &frame[ETH_HLEN..];
    if ip.len() < 20 {
        return l2;
    }
    let ihl = usize::from(ip[0] & 0xf) * 4;
    let frag = u16::from_be_bytes([ip[6], ip[7]]) & 0x3fff != 0;
    let mut hash: u32 = 0;
    if !frag && matches!(ip[9], 6 | 17) && ip.len() >= ihl + 4 {
        // flow.ports.ports as the 32-bit word in memory (source port first), host order.
        hash = u32::from_le_bytes([ip[ihl], ip[ihl + 1], ip[ihl + 2], ip[ihl + 3]]);
    }
    let src = u32::from_le_bytes([ip[12], ip[13], ip[14], ip[15]]);
    let dst = u32::from_le_bytes([ip[16], ip[17], ip[18], ip[19]]);
    hash ^= dst ^ src;
    hash ^= hash >> 16;
    hash ^= hash >> 8;
    hash >> 1
}

#[cfg(test)]
mod tests {
    use crate::kernel::Kernel;
    use crate::tools::ip::ip;

    fn run(k: &mut Kernel, line: &str) -> crate::tools::ToolOutput {
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        ip(k, 0, &args)
    }

    /// What nslab does not model says so, and creates nothing.
    #[test]
    fn unmodelled_modes_options_and_team() {
        let mut k = Kernel::new(1);
        for (line, what) in [
            ("link add b0 type bond mode 802.3ad", "802.3ad (LACP)"),
            ("link add b0 type bond mode 4", "802.3ad (LACP)"),
            (
                "link add b0 type bond mode balance-alb",
                "bond mode balance-alb",
            ),
            (
                "link add b0 type bond updelay 200",
                "bond option \"updelay\"",
            ),
            ("link add t0 type team", "the team driver"),
        ] {
            let o = run(&mut k, line);
            assert_eq!(
                o.stderr,
                format!("nslab: {what} is not modelled yet\n"),
                "{line}"
            );
        }
        assert!(k.dev_by_name(0, "b0").is_none());
    }

    /// Recorded in nslab-bond (iproute2 6.1): the option errors.
    #[test]
    fn option_errors_as_iproute2() {
        let mut k = Kernel::new(1);
        let o = run(&mut k, "link add b0 type bond mode foo");
        assert_eq!(o.stderr, "Error: argument \"foo\" is wrong: invalid mode\n");
        let o = run(&mut k, "link add b0 type bond miimon abc");
        assert_eq!(
            o.stderr,
            "Error: argument \"abc\" is wrong: invalid miimon\n"
        );
    }

    /// Recorded with iproute2 6.1 on this machine (`ip -n T link add bx type bond ...; echo
    /// $?`) and in nslab-bond-primary: an unknown device is `ll_name_to_index`'s (status 1),
    /// a bad value `invarg`'s (255); the kernel's refusals of a primary or active slave in a
    /// mode without one, and of an active slave that is not the bond's.
    #[test]
    fn primary_and_active_slave_errors() {
        let mut k = Kernel::new(1);
        for (line, status, text) in [
            (
                "link add bx type bond primary nosuch",
                1,
                "Cannot find device \"nosuch\"\n",
            ),
            (
                "link add bx type bond active_slave nosuch",
                1,
                "Cannot find device \"nosuch\"\n",
            ),
            (
                "link add bx type bond primary_reselect foo",
                255,
                "Error: argument \"foo\" is wrong: invalid primary_reselect\n",
            ),
            (
                "link add bx type bond num_unsol_na 300",
                255,
                "Error: argument \"300\" is wrong: invalid num_grat_arp|num_unsol_na\n",
            ),
            (
                "link add bx type bond primary",
                255,
                "Command line is not complete. Try option \"help\"\n",
            ),
            (
                "link add bx type bond primary lo",
                2,
                "Error: option not supported in mode.\n",
            ),
            (
                "link add bx type bond mode active-backup active_slave lo",
                2,
                "Error: invalid option value.\n",
            ),
            // Not recorded: bond_changelink passes clear_active_slave's empty name through
            // the same check_deps (bond_netlink.c), so the recorded text of the mode refusal.
            (
                "link add bx type bond clear_active_slave",
                2,
                "Error: option not supported in mode.\n",
            ),
        ] {
            let o = run(&mut k, line);
            assert_eq!((o.status, o.stderr.as_str()), (status, text), "{line}");
        }
        assert!(k.dev_by_name(0, "bx").is_none());
    }

    /// A released slave gets its own address back and is closed; the bond took its first
    /// slave's address.
    #[test]
    fn enslave_and_release() {
        let mut k = Kernel::new(1);
        run(&mut k, "link add b0 type bond mode active-backup");
        run(
            &mut k,
            "link add e1 address 02:00:00:00:00:01 type veth peer name p1",
        );
        run(
            &mut k,
            "link add e2 address 02:00:00:00:00:02 type veth peer name p2",
        );
        run(&mut k, "link set e1 master b0");
        run(&mut k, "link set e2 master b0");
        let (b0, e1, e2) = (
            k.dev_by_name(0, "b0").unwrap(),
            k.dev_by_name(0, "e1").unwrap(),
            k.dev_by_name(0, "e2").unwrap(),
        );
        assert_eq!(k.dev(b0).mac, [2, 0, 0, 0, 0, 1]);
        assert_eq!(k.dev(e2).mac, [2, 0, 0, 0, 0, 1]);
        assert!(k.dev(e2).up);
        assert_eq!(k.bond(b0).unwrap().active, Some(e1));
        run(&mut k, "link set e2 nomaster");
        assert_eq!(k.dev(e2).mac, [2, 0, 0, 0, 0, 2]);
        assert!(!k.dev(e2).up);
        assert_eq!(k.bond(b0).unwrap().slaves.len(), 1);
        run(&mut k, "link del b0");
        assert_eq!(k.dev(e1).master, None);
    }
}

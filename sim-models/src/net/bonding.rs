//! `drivers/net/bonding/`: a bond device over slave devices (`bond_main.c`, `bond_options.c`,
//! `bond_netlink.c`, `bond_procfs.c`).
//!
//! Modes modelled: `balance-rr` (each frame to the next slave, `bond_rr_gen_slave_id` counting
//! from 1), `active-backup` (everything through the active slave; frames arriving on a backup
//! slave are not delivered to the bond) and `balance-xor` (the slave by `bond_xmit_hash`:
//! `layer2` or `layer3+4`). A slave takes the bond's MAC address (the bond takes its first
//! slave's unless one was given) and is opened by the bond; released, it gets its own address
//! back and is closed.
//!
//! The MII monitor (`miimon` ms, `bond_mii_monitor`) looks at each slave's carrier: a slave
//! that lost it is down (`Link Failure Count` + 1); when the active slave goes down the first
//! slave still up becomes active and the bond announces its address (`NETDEV_NOTIFY_PEERS`: one
//! gratuitous ARP request, `num_grat_arp 1`). Without `miimon` the bond never notices.
//!
//! # Differences from Linux
//! Not modelled (refused as such): 802.3ad (LACP), balance-tlb, balance-alb, broadcast, the ARP
//! monitor, `primary`, `active_slave`, `updelay`/`downdelay`, `fail_over_mac`, and every other
//! option; `team` devices. Runtime changes (`bond_changelink`) cover `mode`, `miimon` and
//! `xmit_hash_policy`; an up bond's new MII monitor first runs `miimon` ms later (the kernel
//! queues it at once).

use crate::errno::Errno;
use crate::kernel::{DevId, DevKind, Event, Kernel, NsId};
use crate::net::rtnetlink::RtnlError;
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
}

/// The `IFLA_BOND_*` options of `ip link add|set ... type bond` that nslab models.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BondOpts {
    pub mode: Option<u8>,
    pub miimon: Option<u32>,
    pub xmit_hash_policy: Option<u8>,
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

    /// `bond_newlink` (with `bond_changelink`'s options).
    pub fn bond_newlink(
        &mut self,
        home: NsId,
        name: &str,
        mac: Option<Mac>,
        mtu: Option<u32>,
        o: &BondOpts,
    ) -> Result<DevId, RtnlError> {
        bond_check_opts(o)?;
        let b = Bond {
            mode: o.mode.unwrap_or(BOND_MODE_ROUNDROBIN),
            miimon: o.miimon.unwrap_or(0),
            xmit_policy: o.xmit_hash_policy.unwrap_or(BOND_XMIT_POLICY_LAYER2),
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
        Ok(d)
    }

    /// `bond_changelink` on an existing bond: each option through `__bond_opt_set` in the
    /// kernel's order (mode, miimon, xmit_hash_policy), an option's `bond_opt_check_deps`
    /// first: the mode (`BOND_OPTFLAG_NOSLAVES | BOND_OPTFLAG_IFDOWN`) is refused with
    /// ENOTEMPTY while the bond has slaves, then with EBUSY while it is up. An option set
    /// before a refused one stays set, as in the kernel.
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
        if let Some(m) = o.miimon {
            // bond_option_miimon_set: an up bond's MII monitor starts (or stops) now.
            self.bond_mut(d).miimon = m;
            if self.dev(d).up {
                self.bond_mii_schedule(d);
            }
        }
        if let Some(p) = o.xmit_hash_policy {
            self.bond_mut(d).xmit_policy = p;
        }
        Ok(())
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
        if b.mode == BOND_MODE_ACTIVEBACKUP && b.active.is_none() && link_up {
            self.bond_change_active_slave(bond, Some(slave));
        }
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
        let was_active = self.bond(bond).is_some_and(|b| b.active == Some(slave));
        if was_active {
            self.bond_mut(bond).active = None;
            let next = self.bond_find_best_slave(bond);
            self.bond_change_active_slave(bond, next);
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

    /// `bond_find_best_slave` (no primary): the current active slave if it is up, else the
    /// first slave that is.
    fn bond_find_best_slave(&self, bond: DevId) -> Option<DevId> {
        let b = self.bond(bond)?;
        if let Some(a) = b.active {
            if b.slaves.iter().any(|s| s.dev == a && s.link_up) {
                return Some(a);
            }
        }
        b.slaves.iter().find(|s| s.link_up).map(|s| s.dev)
    }

    /// `bond_change_active_slave`: a new active slave; a running bond then notifies its peers
    /// (`NETDEV_NOTIFY_PEERS` → a gratuitous ARP request for its primary address).
    fn bond_change_active_slave(&mut self, bond: DevId, new: Option<DevId>) {
        let old = self.bond(bond).and_then(|b| b.active);
        if old == new {
            return;
        }
        self.bond_mut(bond).active = new;
        if new.is_some() && self.dev_running(bond) {
            self.bond_notify_peers(bond);
        }
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
        if self.dev(bond).up {
            let slaves: Vec<(DevId, bool)> = self
                .bond(bond)
                .map(|b| b.slaves.iter().map(|s| (s.dev, s.link_up)).collect())
                .unwrap_or_default();
            let mut changed = false;
            for (s, was_up) in slaves {
                let up = self.dev_alive(s) && self.dev_running(s);
                if up == was_up {
                    continue;
                }
                changed = true;
                let b = self.bond_mut(bond);
                if let Some(x) = b.slaves.iter_mut().find(|x| x.dev == s) {
                    x.link_up = up;
                    if !up {
                        x.link_failure_count += 1;
                    }
                }
            }
            if changed
                && self
                    .bond(bond)
                    .is_some_and(|b| b.mode == BOND_MODE_ACTIVEBACKUP)
            {
                let best = self.bond_find_best_slave(bond);
                self.bond_change_active_slave(bond, best);
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
                // bond_rr_gen_slave_id: this_cpu_inc_return (the first frame is slave 1).
                let n = b.rr_tx_counter.wrapping_add(1);
                self.bond_mut(bond).rr_tx_counter = n;
                (!up.is_empty()).then(|| up[n as usize % up.len()])
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
            s += "Primary Slave: None\n";
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
                "link add b0 type bond primary e1",
                "bond option \"primary\"",
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

//! The bridge's in-kernel 802.1D spanning tree (`net/bridge/br_stp.c`, `br_stp_if.c`): bridge
//! and port ids, root election (`br_root_selection`), designated ports, the port states
//! (disabled, blocking, listening, learning, forwarding) and the forward-delay walk, topology
//! change (the TC flag, TCN BPDUs, the fdb's short ageing while a change lasts). BPDUs are in
//! `br_stp_bpdu.rs`, the timers in `br_stp_timer.rs`.
//!
//! `stp_state 1` starts the kernel's STP (`br_stp_start`): no user-space helper
//! (`/sbin/bridge-stp`) is run — in a network namespace other than init_net the kernel does not
//! try, and a lab's root namespace is not init_net either — so every bridge runs kernel STP
//! (`BR_KERNEL_STP`; `stp_state 2` too, shown as 1). Not modelled: RSTP/MSTP (mstpd),
//! `bpdu_guard`, `root_block`, per-VLAN and MST states, `group_fwd_mask`, the port `state`
//! option (`br_set_port_state`), path costs from link speeds other than veth's.
//!
//! Until STP is first turned on, a bridge's ports keep the model's plain rule (forwarding
//! while the port and the bridge are up): the kernel's `br_make_forwarding` without STP gives
//! the same states, and bridges that never run STP pay nothing for it.

use crate::kernel::{DevId, Kernel};
use crate::net::rtnetlink::RtnlError;
use crate::timer::HZ;
use sim_core::EventId;
use std::collections::BTreeMap;

/// `BR_STATE_*`.
pub const BR_STATE_DISABLED: u8 = 0;
pub const BR_STATE_LISTENING: u8 = 1;
pub const BR_STATE_LEARNING: u8 = 2;
pub const BR_STATE_FORWARDING: u8 = 3;
pub const BR_STATE_BLOCKING: u8 = 4;

/// `br_port_state_names[]`.
pub fn br_port_state_name(s: u8) -> &'static str {
    match s {
        BR_STATE_DISABLED => "disabled",
        BR_STATE_LISTENING => "listening",
        BR_STATE_LEARNING => "learning",
        BR_STATE_FORWARDING => "forwarding",
        BR_STATE_BLOCKING => "blocking",
        _ => "<unknown>",
    }
}

/// `BR_PORT_BITS`: a port id is the priority above 10 bits of port number.
pub const BR_PORT_BITS: u32 = 10;
/// `BR_MAX_PORT_PRIORITY`.
pub const BR_MAX_PORT_PRIORITY: u32 = 0xffff >> BR_PORT_BITS;
/// `BR_MIN_PATH_COST`, `BR_MAX_PATH_COST`.
pub const BR_MIN_PATH_COST: u32 = 1;
pub const BR_MAX_PATH_COST: u32 = 65535;
/// `BR_MIN_*`/`BR_MAX_*` timer limits in jiffies.
pub const BR_MIN_FORWARD_DELAY: u64 = 2 * HZ;
pub const BR_MAX_FORWARD_DELAY: u64 = 30 * HZ;
pub const BR_MIN_HELLO_TIME: u64 = HZ;
pub const BR_MAX_HELLO_TIME: u64 = 10 * HZ;
pub const BR_MIN_MAX_AGE: u64 = 6 * HZ;
pub const BR_MAX_MAX_AGE: u64 = 40 * HZ;
/// `BR_HOLD_TIME`.
pub const BR_HOLD_TIME: u64 = HZ;

/// `struct bridge_id` as its 8 bytes (priority, address): compared with `memcmp`.
pub type BridgeId = [u8; 8];

pub fn bridge_id(prio: u16, addr: &[u8; 6]) -> BridgeId {
    let mut id = [0u8; 8];
    id[..2].copy_from_slice(&prio.to_be_bytes());
    id[2..].copy_from_slice(addr);
    id
}

/// `clock_t_to_jiffies` (USER_HZ 100, HZ 250).
pub fn clock_t_to_jiffies(x: u64) -> u64 {
    x * HZ / 100
}

/// `jiffies_to_clock_t`.
pub fn jiffies_to_clock_t(j: u64) -> u64 {
    j * 100 / HZ
}

/// One STP timer (`struct timer_list`): its expiry in jiffies while pending.
#[derive(Clone, Copy, Debug, Default)]
pub struct BrTimer {
    pub expires: u64,
    pub id: Option<EventId>,
}

impl BrTimer {
    pub fn pending(&self) -> bool {
        self.id.is_some()
    }
}

/// Which timer an `Event::BrStpTimer` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrStpTimer {
    Hello,
    Tcn,
    TopologyChange,
    MessageAge,
    ForwardDelay,
    Hold,
}

/// A port's STP part of `struct net_bridge_port`.
#[derive(Clone, Debug)]
pub struct NetBridgePort {
    pub port_no: u16,
    pub port_id: u16,
    pub priority: u16,
    pub path_cost: u32,
    pub state: u8,
    pub designated_root: BridgeId,
    pub designated_bridge: BridgeId,
    pub designated_cost: u32,
    pub designated_port: u16,
    /// `designated_age`: jiffies when the root's BPDU was sent (reception minus its age).
    pub designated_age: u64,
    pub topology_change_ack: bool,
    pub config_pending: bool,
    pub message_age_timer: BrTimer,
    pub forward_delay_timer: BrTimer,
    pub hold_timer: BrTimer,
}

/// The STP part of `struct net_bridge`.
#[derive(Clone, Debug)]
pub struct BrStp {
    /// `br->stp_enabled == BR_KERNEL_STP`.
    pub enabled: bool,
    /// STP was turned on once: the ports' states are kept here from then on.
    pub used: bool,
    /// The bridge device's `IFF_UP` as STP last saw it (`br_stp_enable_bridge`/`_disable_`).
    pub dev_up: bool,
    pub bridge_id: BridgeId,
    pub designated_root: BridgeId,
    pub root_path_cost: u32,
    pub root_port: u16,
    /// Jiffies; the values in use (the root's, learnt from its BPDUs).
    pub max_age: u64,
    pub hello_time: u64,
    pub forward_delay: u64,
    /// Jiffies; the bridge's own settings.
    pub bridge_max_age: u64,
    pub bridge_hello_time: u64,
    pub bridge_forward_delay: u64,
    /// `bridge_ageing_time` in nanoseconds (the user's; `Bridge::ageing` is the one in use).
    pub bridge_ageing: u64,
    pub topology_change: bool,
    pub topology_change_detected: bool,
    pub hello_timer: BrTimer,
    pub tcn_timer: BrTimer,
    pub topology_change_timer: BrTimer,
    pub ports: BTreeMap<DevId, NetBridgePort>,
}

impl Default for BrStp {
    fn default() -> Self {
        BrStp::new(300_000_000_000)
    }
}

impl BrStp {
    pub fn new(ageing: u64) -> BrStp {
        BrStp {
            enabled: false,
            used: false,
            dev_up: false,
            bridge_id: bridge_id(0x8000, &[0; 6]),
            designated_root: bridge_id(0x8000, &[0; 6]),
            root_path_cost: 0,
            root_port: 0,
            max_age: 20 * HZ,
            hello_time: 2 * HZ,
            forward_delay: 15 * HZ,
            bridge_max_age: 20 * HZ,
            bridge_hello_time: 2 * HZ,
            bridge_forward_delay: 15 * HZ,
            bridge_ageing: ageing,
            topology_change: false,
            topology_change_detected: false,
            hello_timer: BrTimer::default(),
            tcn_timer: BrTimer::default(),
            topology_change_timer: BrTimer::default(),
            ports: BTreeMap::new(),
        }
    }

    /// `br_is_root_bridge`.
    pub fn is_root_bridge(&self) -> bool {
        self.bridge_id == self.designated_root
    }

    /// `br_is_designated_port`.
    pub fn is_designated_port(&self, p: &NetBridgePort) -> bool {
        p.designated_bridge == self.bridge_id && p.designated_port == p.port_id
    }
}

/// `br_make_port_id`.
pub fn br_make_port_id(priority: u16, port_no: u16) -> u16 {
    (priority << BR_PORT_BITS) | (port_no & ((1 << BR_PORT_BITS) - 1))
}

/// `round_jiffies` (CPU 0): to a whole second, down when less than a quarter past one; the
/// unrounded value when the result would not be in the future.
pub fn round_jiffies(j: u64, now: u64) -> u64 {
    let rem = j % HZ;
    let r = if rem < HZ / 4 { j - rem } else { j - rem + HZ };
    if r > now {
        r
    } else {
        j
    }
}

impl Kernel {
    pub(crate) fn stp(&self, br: DevId) -> &BrStp {
        &self.br(br).stp
    }
    pub(crate) fn stp_mut(&mut self, br: DevId) -> &mut BrStp {
        &mut self.br_mut(br).stp
    }
    pub(crate) fn stp_port(&self, br: DevId, p: DevId) -> Option<&NetBridgePort> {
        self.br(br).stp.ports.get(&p)
    }
    fn stp_port_mut(&mut self, br: DevId, p: DevId) -> Option<&mut NetBridgePort> {
        self.br_mut(br).stp.ports.get_mut(&p)
    }

    /// The bridge's ports in `port_list` order (newest first).
    fn stp_port_list(&self, br: DevId) -> Vec<DevId> {
        self.br(br).ports.iter().copied().collect()
    }

    /// `br_get_port`.
    fn br_get_port(&self, br: DevId, port_no: u16) -> Option<DevId> {
        let b = self.br(br);
        b.ports
            .iter()
            .copied()
            .find(|p| b.stp.ports.get(p).is_some_and(|x| x.port_no == port_no))
    }

    /// A port's STP state (`p->state`): while STP never ran, forwarding when the port and
    /// the bridge are up, else disabled.
    pub fn br_port_state(&self, port: DevId) -> u8 {
        let Some(br) = self.dev(port).master else {
            return BR_STATE_DISABLED;
        };
        let crate::kernel::DevKind::Bridge(b) = &self.dev(br).kind else {
            return BR_STATE_DISABLED;
        };
        if b.stp.used {
            return b
                .stp
                .ports
                .get(&port)
                .map_or(BR_STATE_DISABLED, |p| p.state);
        }
        self.br_port_state_nostp(br, port, self.dev(port))
    }

    /// `new_nbp`'s STP part: port number, priority 0x20, the path cost of the device
    /// (`br_initial_port_cost`: veth reports 10 Gb/s, cost 2; a device without a speed 100).
    pub(crate) fn br_stp_new_port(&mut self, br: DevId, port: DevId, port_no: u16) {
        let cost = if matches!(self.dev(port).kind, crate::kernel::DevKind::Gretap(_)) {
            100
        } else {
            2
        };
        let s = self.stp_mut(br);
        let root = s.designated_root;
        let bid = s.bridge_id;
        s.ports.insert(
            port,
            NetBridgePort {
                port_no,
                port_id: br_make_port_id(0x20, port_no),
                priority: 0x20,
                path_cost: cost,
                state: BR_STATE_DISABLED,
                designated_root: root,
                designated_bridge: bid,
                designated_cost: 0,
                designated_port: br_make_port_id(0x20, port_no),
                designated_age: 0,
                topology_change_ack: false,
                config_pending: false,
                message_age_timer: BrTimer::default(),
                forward_delay_timer: BrTimer::default(),
                hold_timer: BrTimer::default(),
            },
        );
        if self.stp(br).used {
            self.br_stp_sync_port(br, port);
        }
    }

    /// `del_nbp`'s STP part: a port that was not disabled is (`br_stp_disable_port`).
    pub(crate) fn br_stp_del_port(&mut self, br: DevId, port: DevId) {
        if self.stp(br).used
            && self
                .stp_port(br, port)
                .is_some_and(|p| p.state != BR_STATE_DISABLED)
        {
            self.br_stp_disable_port(br, port);
        }
        if let Some(p) = self.stp_mut(br).ports.remove(&port) {
            for t in [p.message_age_timer, p.forward_delay_timer, p.hold_timer] {
                if let Some(id) = t.id {
                    self.queue.cancel(id);
                }
            }
        }
    }

    /// The STP side of a device event (`br_device_event` NETDEV_UP/DOWN/CHANGE →
    /// `br_port_carrier_check`; `br_dev_open`/`br_dev_stop`): ports enabled or disabled as
    /// the port's carrier and the bridge's `IFF_UP` say.
    pub(crate) fn br_stp_sync(&mut self, d: DevId) {
        if !self.dev_alive(d) {
            return;
        }
        // The state the plain rule gives (STP never ran): the port's, or every port's of a
        // bridge that went up or down (`br_dev_open`/`br_dev_stop`).
        if self.is_bridge(d) {
            let up = self.dev(d).up;
            if self.br(d).ports_up != up {
                self.br_mut(d).ports_up = up;
                for p in self.br(d).ports.clone() {
                    self.br_port_state_update(p);
                }
            }
        } else {
            self.br_port_state_update(d);
        }
        if self.is_bridge(d) {
            if !self.stp(d).used {
                return;
            }
            let up = self.dev(d).up;
            if up != self.stp(d).dev_up {
                self.stp_mut(d).dev_up = up;
                if up {
                    self.br_stp_enable_bridge(d);
                } else {
                    self.br_stp_disable_bridge(d);
                }
            }
            return;
        }
        if let Some(br) = self.dev(d).master.filter(|&m| self.is_bridge(m)) {
            if self.stp(br).used && self.stp(br).dev_up {
                self.br_stp_sync_port(br, d);
            }
        }
    }

    /// `br_port_carrier_check` for one port of an up bridge.
    fn br_stp_sync_port(&mut self, br: DevId, port: DevId) {
        let Some(state) = self.stp_port(br, port).map(|p| p.state) else {
            return;
        };
        let on = self.dev(br).up && self.dev_running(port);
        if on && state == BR_STATE_DISABLED {
            self.br_stp_enable_port(br, port);
        } else if !on && state != BR_STATE_DISABLED {
            self.br_stp_disable_port(br, port);
        }
    }

    /// `br_stp_set_enabled`: `br_stp_start` (kernel STP: no user-space helper in a
    /// namespace) or `br_stp_stop`.
    pub(crate) fn br_stp_set_enabled(&mut self, br: DevId, val: u32) {
        if val != 0 {
            if !self.stp(br).enabled {
                self.br_stp_start(br);
            }
        } else if self.stp(br).enabled {
            // br_stp_stop: kernel STP just stops; the ports keep their states.
            self.stp_mut(br).enabled = false;
        }
    }

    /// `br_stp_start`.
    fn br_stp_start(&mut self, br: DevId) {
        if !self.stp(br).used {
            // From here on the states are kept: what the plain rule gave so far.
            let ports = self.stp_port_list(br);
            let up = self.dev(br).up;
            for p in ports {
                let st = if up && self.dev_running(p) {
                    BR_STATE_FORWARDING
                } else {
                    BR_STATE_DISABLED
                };
                if let Some(x) = self.stp_port_mut(br, p) {
                    x.state = st;
                }
            }
            let addr = self.br_id_addr(br);
            let s = self.stp_mut(br);
            s.used = true;
            s.dev_up = up;
            s.bridge_id[2..].copy_from_slice(&addr);
            s.designated_root = s.bridge_id;
            s.root_port = 0;
            s.root_path_cost = 0;
            let bid = s.bridge_id;
            for p in s.ports.values_mut() {
                p.designated_root = bid;
                p.designated_bridge = bid;
                p.designated_port = p.port_id;
                p.designated_cost = 0;
            }
        }
        let s = self.stp(br);
        if s.bridge_forward_delay < BR_MIN_FORWARD_DELAY {
            self.__br_set_forward_delay(br, BR_MIN_FORWARD_DELAY);
        } else if s.bridge_forward_delay > BR_MAX_FORWARD_DELAY {
            self.__br_set_forward_delay(br, BR_MAX_FORWARD_DELAY);
        }
        self.stp_mut(br).enabled = true;
        // To start timers on any ports left in blocking.
        if self.dev(br).up {
            let j = self.jiffies() + self.stp(br).hello_time;
            self.br_mod_timer(br, None, BrStpTimer::Hello, j);
        }
        self.br_port_state_selection(br);
    }

    /// `br_stp_enable_bridge` (`br_dev_open`).
    fn br_stp_enable_bridge(&mut self, br: DevId) {
        if self.stp(br).enabled {
            let j = self.jiffies() + self.stp(br).hello_time;
            self.br_mod_timer(br, None, BrStpTimer::Hello, j);
        }
        self.br_config_bpdu_generation(br);
        for p in self.stp_port_list(br) {
            if self.dev_running(p) {
                self.br_stp_enable_port(br, p);
            }
        }
    }

    /// `br_stp_disable_bridge` (`br_dev_stop`).
    fn br_stp_disable_bridge(&mut self, br: DevId) {
        for p in self.stp_port_list(br) {
            if self
                .stp_port(br, p)
                .is_some_and(|x| x.state != BR_STATE_DISABLED)
            {
                self.br_stp_disable_port(br, p);
            }
        }
        self.__br_set_topology_change(br, false);
        self.stp_mut(br).topology_change_detected = false;
        for t in [
            BrStpTimer::Hello,
            BrStpTimer::TopologyChange,
            BrStpTimer::Tcn,
        ] {
            self.br_del_timer(br, None, t);
        }
    }

    /// `br_init_port`.
    fn br_init_port(&mut self, br: DevId, port: DevId) {
        if let Some(p) = self.stp_port_mut(br, port) {
            p.port_id = br_make_port_id(p.priority, p.port_no);
        }
        self.br_become_designated_port(br, port);
        self.br_set_state(br, port, BR_STATE_BLOCKING);
        if let Some(p) = self.stp_port_mut(br, port) {
            p.topology_change_ack = false;
            p.config_pending = false;
        }
    }

    /// `br_stp_enable_port`.
    fn br_stp_enable_port(&mut self, br: DevId, port: DevId) {
        self.br_init_port(br, port);
        self.br_port_state_selection(br);
    }

    /// `br_stp_disable_port`.
    pub(crate) fn br_stp_disable_port(&mut self, br: DevId, port: DevId) {
        let wasroot = self.stp(br).is_root_bridge();
        self.br_become_designated_port(br, port);
        self.br_set_state(br, port, BR_STATE_DISABLED);
        if let Some(p) = self.stp_port_mut(br, port) {
            p.topology_change_ack = false;
            p.config_pending = false;
        }
        for t in [
            BrStpTimer::MessageAge,
            BrStpTimer::ForwardDelay,
            BrStpTimer::Hold,
        ] {
            self.br_del_timer(br, Some(port), t);
        }
        // br_fdb_delete_by_port(br, p, 0, 0): the port's learnt entries go.
        self.br_mut(br)
            .fdb
            .retain(|_, e| e.port != Some(port) || e.is_static);
        self.br_configuration_update(br);
        self.br_port_state_selection(br);
        if self.stp(br).is_root_bridge() && !wasroot {
            self.br_become_root_bridge(br);
        }
    }

    /// `br_set_state`.
    pub(crate) fn br_set_state(&mut self, br: DevId, port: DevId, state: u8) {
        if let Some(p) = self.stp_port_mut(br, port) {
            p.state = state;
        }
        if self.tracer.enabled {
            let (ns, bn, pn) = (self.dev(br).ns, self.trace_name(br), self.trace_name(port));
            let no = self.stp_port(br, port).map_or(0, |p| p.port_no);
            // br_log_state.
            self.trace(ns, || {
                format!(
                    "{bn}: port {no}({pn}) entered {} state",
                    br_port_state_name(state)
                )
            });
        }
    }

    /// `br_stp_change_bridge_id`: the bridge's address changed (STP running or ran).
    pub(crate) fn br_stp_change_bridge_id(&mut self, br: DevId, addr: [u8; 6]) {
        if !self.stp(br).used {
            return;
        }
        let wasroot = self.stp(br).is_root_bridge();
        let s = self.stp_mut(br);
        let old: [u8; 6] = s.bridge_id[2..].try_into().unwrap_or_default();
        s.bridge_id[2..].copy_from_slice(&addr);
        for p in s.ports.values_mut() {
            if p.designated_bridge[2..] == old {
                p.designated_bridge[2..].copy_from_slice(&addr);
            }
            if p.designated_root[2..] == old {
                p.designated_root[2..].copy_from_slice(&addr);
            }
        }
        self.br_configuration_update(br);
        self.br_port_state_selection(br);
        if self.stp(br).is_root_bridge() && !wasroot {
            self.br_become_root_bridge(br);
        }
    }

    /// The bridge id's address as the kernel keeps it: zero until the bridge had a port or an
    /// address set by the user, then the device's address.
    pub(crate) fn br_id_addr(&self, br: DevId) -> [u8; 6] {
        let dev = self.dev(br);
        match &dev.kind {
            crate::kernel::DevKind::Bridge(b) if b.ports.is_empty() && !dev.mac_set => [0; 6],
            _ => dev.mac,
        }
    }

    /// The bridge's id, designated root and each port's designated ids as `br_fill_info` and
    /// `br_port_fill_attrs` report them: kept by STP once it ran, else this bridge's own.
    pub fn br_stp_ids(&self, br: DevId) -> (BridgeId, BridgeId) {
        let s = self.stp(br);
        if s.used {
            (s.bridge_id, s.designated_root)
        } else {
            let id = bridge_id(
                u16::from_be_bytes([s.bridge_id[0], s.bridge_id[1]]),
                &self.br_id_addr(br),
            );
            (id, id)
        }
    }

    /// `br_stp_set_bridge_priority`.
    pub(crate) fn br_stp_set_bridge_priority(&mut self, br: DevId, prio: u16) {
        let wasroot = self.stp(br).is_root_bridge();
        let s = self.stp_mut(br);
        let ports: Vec<DevId> = s.ports.keys().copied().collect();
        for d in ports {
            let s = self.stp_mut(br);
            let desig = s
                .ports
                .get(&d)
                .is_some_and(|p| p.state != BR_STATE_DISABLED && s.is_designated_port(p));
            if desig {
                if let Some(p) = s.ports.get_mut(&d) {
                    p.designated_bridge[..2].copy_from_slice(&prio.to_be_bytes());
                }
            }
        }
        let s = self.stp_mut(br);
        s.bridge_id[..2].copy_from_slice(&prio.to_be_bytes());
        if !s.used {
            s.designated_root = s.bridge_id;
            return;
        }
        self.br_configuration_update(br);
        self.br_port_state_selection(br);
        if self.stp(br).is_root_bridge() && !wasroot {
            self.br_become_root_bridge(br);
        }
    }

    /// `br_stp_set_port_priority`.
    pub(crate) fn br_stp_set_port_priority(
        &mut self,
        br: DevId,
        port: DevId,
        newprio: u32,
    ) -> Result<(), RtnlError> {
        if newprio > BR_MAX_PORT_PRIORITY {
            return Err(crate::errno::Errno::ERANGE.into());
        }
        let s = self.stp_mut(br);
        let bid = s.bridge_id;
        let desig = s.ports.get(&port).is_some_and(|p| s.is_designated_port(p));
        let Some(p) = s.ports.get_mut(&port) else {
            return Ok(());
        };
        let new_id = br_make_port_id(newprio as u16, p.port_no);
        if desig {
            p.designated_port = new_id;
        }
        p.port_id = new_id;
        p.priority = newprio as u16;
        if p.designated_bridge == bid && p.port_id < p.designated_port {
            self.br_become_designated_port(br, port);
            if self.stp(br).used {
                self.br_port_state_selection(br);
            }
        }
        Ok(())
    }

    /// `br_stp_set_path_cost`.
    pub(crate) fn br_stp_set_path_cost(
        &mut self,
        br: DevId,
        port: DevId,
        cost: u32,
    ) -> Result<(), RtnlError> {
        if !(BR_MIN_PATH_COST..=BR_MAX_PATH_COST).contains(&cost) {
            return Err(crate::errno::Errno::ERANGE.into());
        }
        if let Some(p) = self.stp_port_mut(br, port) {
            p.path_cost = cost;
        }
        if self.stp(br).used {
            self.br_configuration_update(br);
            self.br_port_state_selection(br);
        }
        Ok(())
    }

    /// `br_set_hello_time`.
    pub(crate) fn br_set_hello_time(&mut self, br: DevId, val: u32) -> Result<(), RtnlError> {
        let t = clock_t_to_jiffies(val.into());
        if !(BR_MIN_HELLO_TIME..=BR_MAX_HELLO_TIME).contains(&t) {
            return Err(crate::errno::Errno::ERANGE.into());
        }
        let s = self.stp_mut(br);
        s.bridge_hello_time = t;
        if s.is_root_bridge() {
            s.hello_time = t;
        }
        Ok(())
    }

    /// `br_set_max_age`.
    pub(crate) fn br_set_max_age(&mut self, br: DevId, val: u32) -> Result<(), RtnlError> {
        let t = clock_t_to_jiffies(val.into());
        if !(BR_MIN_MAX_AGE..=BR_MAX_MAX_AGE).contains(&t) {
            return Err(crate::errno::Errno::ERANGE.into());
        }
        let s = self.stp_mut(br);
        s.bridge_max_age = t;
        if s.is_root_bridge() {
            s.max_age = t;
        }
        Ok(())
    }

    /// `__br_set_forward_delay`.
    fn __br_set_forward_delay(&mut self, br: DevId, t: u64) {
        let s = self.stp_mut(br);
        s.bridge_forward_delay = t;
        if s.is_root_bridge() {
            s.forward_delay = t;
        }
    }

    /// `br_set_forward_delay`: range-checked only with STP on.
    pub(crate) fn br_set_forward_delay(&mut self, br: DevId, val: u32) -> Result<(), RtnlError> {
        let t = clock_t_to_jiffies(val.into());
        if self.stp(br).enabled && !(BR_MIN_FORWARD_DELAY..=BR_MAX_FORWARD_DELAY).contains(&t) {
            return Err(crate::errno::Errno::ERANGE.into());
        }
        self.__br_set_forward_delay(br, t);
        Ok(())
    }

    /// `br_set_ageing_time`: the user's ageing time, in use from now on.
    pub(crate) fn br_set_ageing_time(&mut self, br: DevId, clock_t: u32) {
        let ns = u64::from(clock_t) * 10_000_000;
        let b = self.br_mut(br);
        b.stp.bridge_ageing = ns;
        b.ageing = ns;
    }

    /// `__br_set_topology_change`: during a topology change the fdb ages entries after twice
    /// the forward delay, after it the user's ageing time again.
    pub(crate) fn __br_set_topology_change(&mut self, br: DevId, val: bool) {
        let b = self.br_mut(br);
        if b.stp.enabled && b.stp.topology_change != val {
            b.ageing = if val {
                2 * b.stp.forward_delay * crate::timer::TICK_NSEC
            } else {
                b.stp.bridge_ageing
            };
        }
        b.stp.topology_change = val;
    }

    /// `br_should_become_root_port`.
    fn br_should_become_root_port(&self, br: DevId, port: DevId, root_port: u16) -> bool {
        let s = self.stp(br);
        let Some(p) = s.ports.get(&port) else {
            return false;
        };
        if p.state == BR_STATE_DISABLED || s.is_designated_port(p) {
            return false;
        }
        if s.bridge_id <= p.designated_root {
            return false;
        }
        if root_port == 0 {
            return true;
        }
        let Some(rp) = self
            .br_get_port(br, root_port)
            .and_then(|d| s.ports.get(&d))
        else {
            return true;
        };
        use std::cmp::Ordering::*;
        match p.designated_root.cmp(&rp.designated_root) {
            Less => return true,
            Greater => return false,
            Equal => {}
        }
        // u32 sums that wrap as the kernel's do (a BPDU's cost is any 32-bit value).
        let (a, b) = (
            p.designated_cost.wrapping_add(p.path_cost),
            rp.designated_cost.wrapping_add(rp.path_cost),
        );
        if a != b {
            return a < b;
        }
        match p.designated_bridge.cmp(&rp.designated_bridge) {
            Less => return true,
            Greater => return false,
            Equal => {}
        }
        if p.designated_port != rp.designated_port {
            return p.designated_port < rp.designated_port;
        }
        p.port_id < rp.port_id
    }

    /// `br_root_selection`.
    fn br_root_selection(&mut self, br: DevId) {
        let mut root_port = 0;
        for p in self.stp_port_list(br) {
            if self.br_should_become_root_port(br, p, root_port) {
                root_port = self.stp_port(br, p).map_or(0, |x| x.port_no);
            }
        }
        let rp = self.br_get_port(br, root_port);
        let s = self.stp_mut(br);
        s.root_port = root_port;
        match rp.and_then(|d| s.ports.get(&d)) {
            Some(p) if root_port != 0 => {
                s.designated_root = p.designated_root;
                s.root_path_cost = p.designated_cost.wrapping_add(p.path_cost);
            }
            _ => {
                s.designated_root = s.bridge_id;
                s.root_path_cost = 0;
            }
        }
    }

    /// `br_become_root_bridge`.
    pub(crate) fn br_become_root_bridge(&mut self, br: DevId) {
        let s = self.stp_mut(br);
        s.max_age = s.bridge_max_age;
        s.hello_time = s.bridge_hello_time;
        s.forward_delay = s.bridge_forward_delay;
        self.br_topology_change_detection(br);
        self.br_del_timer(br, None, BrStpTimer::Tcn);
        if self.dev(br).up {
            self.br_config_bpdu_generation(br);
            let j = self.jiffies() + self.stp(br).hello_time;
            self.br_mod_timer(br, None, BrStpTimer::Hello, j);
        }
    }

    /// `br_transmit_config`.
    pub(crate) fn br_transmit_config(&mut self, br: DevId, port: DevId) {
        let Some(p) = self.stp_port(br, port) else {
            return;
        };
        if p.hold_timer.pending() {
            if let Some(p) = self.stp_port_mut(br, port) {
                p.config_pending = true;
            }
            return;
        }
        let s = self.stp(br);
        let now = self.jiffies();
        let message_age = if s.is_root_bridge() {
            0
        } else {
            let root = self
                .br_get_port(br, s.root_port)
                .and_then(|d| s.ports.get(&d));
            // MESSAGE_AGE_INCR: (HZ / 256) + 1.
            root.map_or(0, |r| now.wrapping_sub(r.designated_age) + HZ / 256 + 1)
        };
        let bpdu = crate::net::br_stp_bpdu::BrConfigBpdu {
            topology_change: s.topology_change,
            topology_change_ack: p.topology_change_ack,
            root: s.designated_root,
            root_path_cost: s.root_path_cost,
            bridge_id: s.bridge_id,
            port_id: p.port_id,
            message_age,
            max_age: s.max_age,
            hello_time: s.hello_time,
            forward_delay: s.forward_delay,
        };
        if bpdu.message_age < s.max_age {
            self.br_send_config_bpdu(br, port, &bpdu);
            if let Some(p) = self.stp_port_mut(br, port) {
                p.topology_change_ack = false;
                p.config_pending = false;
            }
            let j = round_jiffies(now + BR_HOLD_TIME, now);
            self.br_mod_timer(br, Some(port), BrStpTimer::Hold, j);
        }
    }

    /// `br_record_config_information`.
    fn br_record_config_information(
        &mut self,
        br: DevId,
        port: DevId,
        bpdu: &crate::net::br_stp_bpdu::BrConfigBpdu,
    ) {
        let now = self.jiffies();
        if let Some(p) = self.stp_port_mut(br, port) {
            p.designated_root = bpdu.root;
            p.designated_cost = bpdu.root_path_cost;
            p.designated_bridge = bpdu.bridge_id;
            p.designated_port = bpdu.port_id;
            p.designated_age = now.wrapping_sub(bpdu.message_age);
        }
        let j = (now + bpdu.max_age).saturating_sub(bpdu.message_age);
        self.br_mod_timer(br, Some(port), BrStpTimer::MessageAge, j);
    }

    /// `br_record_config_timeout_values`.
    fn br_record_config_timeout_values(
        &mut self,
        br: DevId,
        bpdu: &crate::net::br_stp_bpdu::BrConfigBpdu,
    ) {
        let s = self.stp_mut(br);
        s.max_age = bpdu.max_age;
        s.hello_time = bpdu.hello_time;
        s.forward_delay = bpdu.forward_delay;
        self.__br_set_topology_change(br, bpdu.topology_change);
    }

    /// `br_transmit_tcn`.
    fn br_transmit_tcn(&mut self, br: DevId) {
        let rp = self.stp(br).root_port;
        if let Some(p) = self.br_get_port(br, rp) {
            self.br_send_tcn_bpdu(br, p);
        }
    }

    /// `br_should_become_designated_port`.
    fn br_should_become_designated_port(&self, br: DevId, port: DevId) -> bool {
        let s = self.stp(br);
        let Some(p) = s.ports.get(&port) else {
            return false;
        };
        if s.is_designated_port(p) {
            return true;
        }
        if p.designated_root != s.designated_root {
            return true;
        }
        if s.root_path_cost != p.designated_cost {
            return s.root_path_cost < p.designated_cost;
        }
        use std::cmp::Ordering::*;
        match s.bridge_id.cmp(&p.designated_bridge) {
            Less => return true,
            Greater => return false,
            Equal => {}
        }
        p.port_id < p.designated_port
    }

    /// `br_designated_port_selection`.
    fn br_designated_port_selection(&mut self, br: DevId) {
        for p in self.stp_port_list(br) {
            if self
                .stp_port(br, p)
                .is_some_and(|x| x.state != BR_STATE_DISABLED)
                && self.br_should_become_designated_port(br, p)
            {
                self.br_become_designated_port(br, p);
            }
        }
    }

    /// `br_supersedes_port_info`.
    fn br_supersedes_port_info(
        &self,
        br: DevId,
        port: DevId,
        bpdu: &crate::net::br_stp_bpdu::BrConfigBpdu,
    ) -> bool {
        let s = self.stp(br);
        let Some(p) = s.ports.get(&port) else {
            return false;
        };
        use std::cmp::Ordering::*;
        match bpdu.root.cmp(&p.designated_root) {
            Less => return true,
            Greater => return false,
            Equal => {}
        }
        if bpdu.root_path_cost != p.designated_cost {
            return bpdu.root_path_cost < p.designated_cost;
        }
        match bpdu.bridge_id.cmp(&p.designated_bridge) {
            Less => return true,
            Greater => return false,
            Equal => {}
        }
        if bpdu.bridge_id != s.bridge_id {
            return true;
        }
        bpdu.port_id <= p.designated_port
    }

    /// `br_topology_change_acknowledged`.
    fn br_topology_change_acknowledged(&mut self, br: DevId) {
        self.stp_mut(br).topology_change_detected = false;
        self.br_del_timer(br, None, BrStpTimer::Tcn);
    }

    /// `br_topology_change_detection`.
    pub(crate) fn br_topology_change_detection(&mut self, br: DevId) {
        if !self.stp(br).enabled {
            return;
        }
        if self.stp(br).is_root_bridge() {
            self.__br_set_topology_change(br, true);
            let s = self.stp(br);
            let j = self.jiffies() + s.bridge_forward_delay + s.bridge_max_age;
            self.br_mod_timer(br, None, BrStpTimer::TopologyChange, j);
        } else if !self.stp(br).topology_change_detected {
            self.br_transmit_tcn(br);
            let j = self.jiffies() + self.stp(br).bridge_hello_time;
            self.br_mod_timer(br, None, BrStpTimer::Tcn, j);
        }
        self.stp_mut(br).topology_change_detected = true;
    }

    /// `br_config_bpdu_generation`.
    pub(crate) fn br_config_bpdu_generation(&mut self, br: DevId) {
        for p in self.stp_port_list(br) {
            let s = self.stp(br);
            if s.ports
                .get(&p)
                .is_some_and(|x| x.state != BR_STATE_DISABLED && s.is_designated_port(x))
            {
                self.br_transmit_config(br, p);
            }
        }
    }

    /// `br_configuration_update`.
    pub(crate) fn br_configuration_update(&mut self, br: DevId) {
        self.br_root_selection(br);
        self.br_designated_port_selection(br);
    }

    /// `br_become_designated_port`.
    pub(crate) fn br_become_designated_port(&mut self, br: DevId, port: DevId) {
        let s = self.stp_mut(br);
        let (root, cost, bid) = (s.designated_root, s.root_path_cost, s.bridge_id);
        if let Some(p) = s.ports.get_mut(&port) {
            p.designated_root = root;
            p.designated_cost = cost;
            p.designated_bridge = bid;
            p.designated_port = p.port_id;
        }
    }

    /// `br_make_blocking`.
    fn br_make_blocking(&mut self, br: DevId, port: DevId) {
        let Some(st) = self.stp_port(br, port).map(|p| p.state) else {
            return;
        };
        if st != BR_STATE_DISABLED && st != BR_STATE_BLOCKING {
            if st == BR_STATE_FORWARDING || st == BR_STATE_LEARNING {
                self.br_topology_change_detection(br);
            }
            self.br_set_state(br, port, BR_STATE_BLOCKING);
            self.br_del_timer(br, Some(port), BrStpTimer::ForwardDelay);
        }
    }

    /// `br_make_forwarding`.
    fn br_make_forwarding(&mut self, br: DevId, port: DevId) {
        if self.stp_port(br, port).map(|p| p.state) != Some(BR_STATE_BLOCKING) {
            return;
        }
        let fd = self.stp(br).forward_delay;
        if !self.stp(br).enabled || fd == 0 {
            self.br_set_state(br, port, BR_STATE_FORWARDING);
            self.br_topology_change_detection(br);
            self.br_del_timer(br, Some(port), BrStpTimer::ForwardDelay);
        } else {
            self.br_set_state(br, port, BR_STATE_LISTENING);
        }
        if fd != 0 {
            let j = self.jiffies() + fd;
            self.br_mod_timer(br, Some(port), BrStpTimer::ForwardDelay, j);
        }
    }

    /// `br_port_state_selection`.
    pub(crate) fn br_port_state_selection(&mut self, br: DevId) {
        for p in self.stp_port_list(br) {
            let s = self.stp(br);
            let Some(x) = s.ports.get(&p) else { continue };
            if x.state == BR_STATE_DISABLED {
                continue;
            }
            if x.port_no == s.root_port {
                if let Some(x) = self.stp_port_mut(br, p) {
                    x.config_pending = false;
                    x.topology_change_ack = false;
                }
                self.br_make_forwarding(br, p);
            } else if s.is_designated_port(x) {
                self.br_del_timer(br, Some(p), BrStpTimer::MessageAge);
                self.br_make_forwarding(br, p);
            } else {
                if let Some(x) = self.stp_port_mut(br, p) {
                    x.config_pending = false;
                    x.topology_change_ack = false;
                }
                self.br_make_blocking(br, p);
            }
        }
        // The bridge's carrier follows: on while a port forwards (`Kernel::carrier`).
    }

    /// `br_topology_change_acknowledge`.
    fn br_topology_change_acknowledge(&mut self, br: DevId, port: DevId) {
        if let Some(p) = self.stp_port_mut(br, port) {
            p.topology_change_ack = true;
        }
        self.br_transmit_config(br, port);
    }

    /// `br_received_config_bpdu`.
    pub(crate) fn br_received_config_bpdu(
        &mut self,
        br: DevId,
        port: DevId,
        bpdu: &crate::net::br_stp_bpdu::BrConfigBpdu,
    ) {
        let was_root = self.stp(br).is_root_bridge();
        if self.br_supersedes_port_info(br, port, bpdu) {
            self.br_record_config_information(br, port, bpdu);
            self.br_configuration_update(br);
            self.br_port_state_selection(br);
            if !self.stp(br).is_root_bridge() && was_root {
                self.br_del_timer(br, None, BrStpTimer::Hello);
                if self.stp(br).topology_change_detected {
                    self.br_del_timer(br, None, BrStpTimer::TopologyChange);
                    self.br_transmit_tcn(br);
                    let j = self.jiffies() + self.stp(br).bridge_hello_time;
                    self.br_mod_timer(br, None, BrStpTimer::Tcn, j);
                }
            }
            let no = self.stp_port(br, port).map_or(0, |p| p.port_no);
            if no == self.stp(br).root_port {
                self.br_record_config_timeout_values(br, bpdu);
                self.br_config_bpdu_generation(br);
                if bpdu.topology_change_ack {
                    self.br_topology_change_acknowledged(br);
                }
            }
        } else {
            let s = self.stp(br);
            if s.ports.get(&port).is_some_and(|p| s.is_designated_port(p)) {
                // br_reply.
                self.br_transmit_config(br, port);
            }
        }
    }

    /// `br_received_tcn_bpdu`.
    pub(crate) fn br_received_tcn_bpdu(&mut self, br: DevId, port: DevId) {
        let s = self.stp(br);
        if s.ports.get(&port).is_some_and(|p| s.is_designated_port(p)) {
            self.br_topology_change_detection(br);
            self.br_topology_change_acknowledge(br, port);
        }
    }

    /// `jiffies` now.
    pub(crate) fn jiffies(&self) -> u64 {
        crate::timer::jiffies(self.now)
    }
}

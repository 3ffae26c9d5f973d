//! STP timers (`net/bridge/br_stp_timer.c`): hello, TCN and topology-change timers of the
//! bridge, message-age, forward-delay and hold timers of each port. They run on the timer
//! wheel's schedule (`timer.rs`: a 2 s hello runs up to 32 ms late, a 2.5 s forward delay up to
//! 256 ms); the hello timer re-arms itself with `round_jiffies`, so from the second BPDU on a
//! root's hellos leave on whole seconds of the jiffies clock.

use crate::kernel::{DevId, Event, Kernel};
use crate::net::br_stp::*;

impl Kernel {
    fn br_timer_slot(
        &mut self,
        br: DevId,
        port: Option<DevId>,
        which: BrStpTimer,
    ) -> Option<&mut BrTimer> {
        let s = &mut self.br_mut(br).stp;
        Some(match (port, which) {
            (None, BrStpTimer::Hello) => &mut s.hello_timer,
            (None, BrStpTimer::Tcn) => &mut s.tcn_timer,
            (None, BrStpTimer::TopologyChange) => &mut s.topology_change_timer,
            (Some(p), w) => {
                let p = s.ports.get_mut(&p)?;
                match w {
                    BrStpTimer::MessageAge => &mut p.message_age_timer,
                    BrStpTimer::ForwardDelay => &mut p.forward_delay_timer,
                    BrStpTimer::Hold => &mut p.hold_timer,
                    _ => return None,
                }
            }
            _ => return None,
        })
    }

    /// `mod_timer(timer, expires)`: runs on the tick of its wheel bucket.
    pub(crate) fn br_mod_timer(
        &mut self,
        br: DevId,
        port: Option<DevId>,
        which: BrStpTimer,
        expires: u64,
    ) {
        let clk = self.jiffies();
        let (bucket, _) = crate::timer::calc_wheel_index(expires, clk);
        let at = crate::timer::jiffies_to_instant(bucket);
        let after = sim_core::Duration(at.0.saturating_sub(self.now.0));
        if let Some(id) = self
            .br_timer_slot(br, port, which)
            .and_then(|t| t.id.take())
        {
            self.queue.cancel(id);
        }
        if self.br_timer_slot(br, port, which).is_none() {
            return;
        }
        let id = self.schedule_in(after, Event::BrStpTimer { br, port, which });
        if let Some(t) = self.br_timer_slot(br, port, which) {
            t.expires = expires;
            t.id = Some(id);
        }
    }

    /// `del_timer`.
    pub(crate) fn br_del_timer(&mut self, br: DevId, port: Option<DevId>, which: BrStpTimer) {
        if let Some(id) = self
            .br_timer_slot(br, port, which)
            .and_then(|t| t.id.take())
        {
            self.queue.cancel(id);
        }
    }

    /// `br_timer_value`: the centiseconds left of a pending timer, else 0.
    pub fn br_timer_value(&self, t: &BrTimer) -> u64 {
        if t.pending() {
            jiffies_to_clock_t(t.expires.saturating_sub(self.jiffies()))
        } else {
            0
        }
    }

    /// An STP timer ran (`Event::BrStpTimer`).
    pub(crate) fn br_stp_timer_expired(
        &mut self,
        br: DevId,
        port: Option<DevId>,
        which: BrStpTimer,
    ) {
        if !self.dev_alive(br) || !self.is_bridge(br) {
            return;
        }
        if port.is_some_and(|p| !self.dev_alive(p) || self.dev(p).master != Some(br)) {
            return;
        }
        match self.br_timer_slot(br, port, which) {
            Some(t) if t.pending() => t.id = None,
            _ => return,
        }
        match (port, which) {
            (None, BrStpTimer::Hello) => self.br_hello_timer_expired(br),
            (None, BrStpTimer::Tcn) => self.br_tcn_timer_expired(br),
            (None, BrStpTimer::TopologyChange) => self.br_topology_change_timer_expired(br),
            (Some(p), BrStpTimer::MessageAge) => self.br_message_age_timer_expired(br, p),
            (Some(p), BrStpTimer::ForwardDelay) => self.br_forward_delay_timer_expired(br, p),
            (Some(p), BrStpTimer::Hold) => self.br_hold_timer_expired(br, p),
            _ => {}
        }
    }

    /// `br_is_designated_for_some_port`.
    fn br_is_designated_for_some_port(&self, br: DevId) -> bool {
        let s = self.stp(br);
        s.ports
            .values()
            .any(|p| p.state != BR_STATE_DISABLED && p.designated_bridge == s.bridge_id)
    }

    /// `br_hello_timer_expired`: config BPDUs, and the next hello on a whole second.
    fn br_hello_timer_expired(&mut self, br: DevId) {
        if self.dev(br).up {
            self.br_config_bpdu_generation(br);
            if self.stp(br).enabled {
                let now = self.jiffies();
                let j = round_jiffies(now + self.stp(br).hello_time, now);
                self.br_mod_timer(br, None, BrStpTimer::Hello, j);
            }
        }
    }

    /// `br_message_age_timer_expired`: the designated bridge of the port went silent.
    fn br_message_age_timer_expired(&mut self, br: DevId, port: DevId) {
        if self
            .stp_port(br, port)
            .is_none_or(|p| p.state == BR_STATE_DISABLED)
        {
            return;
        }
        if self.tracer.enabled {
            let (ns, bn, pn) = (self.dev(br).ns, self.trace_name(br), self.trace_name(port));
            self.trace(ns, || format!("{bn}: neighbor lost on port {pn}"));
        }
        let was_root = self.stp(br).is_root_bridge();
        self.br_become_designated_port(br, port);
        self.br_configuration_update(br);
        self.br_port_state_selection(br);
        if self.stp(br).is_root_bridge() && !was_root {
            self.br_become_root_bridge(br);
        }
    }

    /// `br_forward_delay_timer_expired`: listening → learning → forwarding.
    fn br_forward_delay_timer_expired(&mut self, br: DevId, port: DevId) {
        let Some(st) = self.stp_port(br, port).map(|p| p.state) else {
            return;
        };
        if st == BR_STATE_LISTENING {
            self.br_set_state(br, port, BR_STATE_LEARNING);
            let j = self.jiffies() + self.stp(br).forward_delay;
            self.br_mod_timer(br, Some(port), BrStpTimer::ForwardDelay, j);
        } else if st == BR_STATE_LEARNING {
            self.br_set_state(br, port, BR_STATE_FORWARDING);
            if self.br_is_designated_for_some_port(br) {
                self.br_topology_change_detection(br);
            }
        }
    }

    /// `br_tcn_timer_expired`.
    fn br_tcn_timer_expired(&mut self, br: DevId) {
        if self.dev(br).up {
            let ports = self.br(br).ports.clone();
            let rp = self.stp(br).root_port;
            if let Some(p) = ports
                .into_iter()
                .find(|p| self.stp_port(br, *p).is_some_and(|x| x.port_no == rp))
            {
                self.br_send_tcn_bpdu(br, p);
            }
            let j = self.jiffies() + self.stp(br).bridge_hello_time;
            self.br_mod_timer(br, None, BrStpTimer::Tcn, j);
        }
    }

    /// `br_topology_change_timer_expired`.
    fn br_topology_change_timer_expired(&mut self, br: DevId) {
        self.stp_mut(br).topology_change_detected = false;
        self.__br_set_topology_change(br, false);
    }

    /// `br_hold_timer_expired`.
    fn br_hold_timer_expired(&mut self, br: DevId, port: DevId) {
        if self.stp_port(br, port).is_some_and(|p| p.config_pending) {
            self.br_transmit_config(br, port);
        }
    }
}

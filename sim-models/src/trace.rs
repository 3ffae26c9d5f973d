//! Packet-path tracing: what each layer decided about a packet (route, neighbour, fdb, rule,
//! encapsulation, drop). Off by default; when off, `Kernel::trace` costs one branch and the
//! closure building the text is never called.
//!
//! Notes are attached to the *journey* being processed: every event that carries a frame
//! inherits the journey of the code that scheduled it, so one ping request's hops (veth → bridge
//! → veth → ip_rcv → icmp reply) line up under one journey id.

use crate::kernel::{Kernel, NsId};
use sim_core::{EventId, Instant};
use std::collections::BTreeMap;

/// One note: when, in which namespace, about which journey, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceNote {
    pub time: Instant,
    pub journey: u64,
    pub ns: String,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct Tracer {
    pub enabled: bool,
    /// The journey of the event being handled (0: none yet; a new one starts on first note).
    pub cur: u64,
    pub next_journey: u64,
    pub notes: Vec<TraceNote>,
    /// Journeys of scheduled events, so a frame handed to another device keeps its journey.
    pub pending: BTreeMap<EventId, u64>,
}

impl Kernel {
    /// Records a trace note for the packet being processed in `ns`.
    #[inline]
    pub fn trace<F: FnOnce() -> String>(&mut self, ns: NsId, f: F) {
        if !self.tracer.enabled {
            return;
        }
        if self.tracer.cur == 0 {
            self.tracer.next_journey += 1;
            self.tracer.cur = self.tracer.next_journey;
        }
        let ns_name = self
            .nets
            .get(ns)
            .and_then(|n| n.as_ref())
            .map(|n| n.name.clone())
            .unwrap_or_default();
        let note = TraceNote {
            time: self.now,
            journey: self.tracer.cur,
            ns: ns_name,
            text: f(),
        };
        self.tracer.notes.push(note);
    }
}

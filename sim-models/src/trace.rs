//! Packet-path tracing: what each layer decided about a packet (route, neighbour, fdb, rule,
//! encapsulation, drop). Off by default; when off, `Kernel::trace` costs one branch and the
//! closure building the text is never called.
//!
//! Notes are attached to the *journey* being processed. A journey starts at the first note made
//! outside any journey: a process sending (ping's timer, a command), or a frame arriving with no
//! journey. Every event that carries a frame (`NetifRx`, a delayed proxy-ARP reply) or a
//! neighbour timer inherits the journey of the code that scheduled it; a process's timer does
//! not (the next ping is a new journey). So one ping request's hops line up under one journey
//! id: route lookup → neighbour INCOMPLETE → ARP request → ARP reply → the queued echo leaves
//! → veth → bridge → ip_rcv → icmp reply → back.

use crate::kernel::{DevId, Kernel, NsId};
use crate::net::fib::{Route, RtnType, RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN};
use crate::tcpdump::{filter::Filter, Formatter, Opts, LINKTYPE_ETHERNET};
use sim_core::{EventId, Instant};
use std::collections::BTreeMap;

/// One note: when, in which namespace, about which journey, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceNote {
    pub time: Instant,
    pub journey: u64,
    pub ns: String,
    pub text: String,
    /// The capture packet (index into `capture.packets`) the note belongs to: the journey's
    /// latest frame, or its first one for notes made before any frame.
    pub pkt: Option<usize>,
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
    /// Each journey's first frame (what `--trace EXPR` filters on).
    pub first_frame: BTreeMap<u64, Vec<u8>>,
    /// Each journey's latest captured packet.
    pub last_pkt: BTreeMap<u64, usize>,
    /// Index in `notes` of each journey's first note.
    pub first_note: BTreeMap<u64, usize>,
    /// The namespace of the latest note (for drops without a device).
    pub last_ns: NsId,
}

/// Routing table names as `ip route` prints them.
pub fn table_name(t: u32) -> String {
    match t {
        RT_TABLE_LOCAL => "local".into(),
        RT_TABLE_MAIN => "main".into(),
        RT_TABLE_DEFAULT => "default".into(),
        n => n.to_string(),
    }
}

impl Kernel {
    /// Records a trace note for the packet being processed in `ns`.
    #[inline]
    pub fn trace<F: FnOnce() -> String>(&mut self, ns: NsId, f: F) {
        if !self.tracer.enabled {
            return;
        }
        self.trace_note(ns, f());
    }

    fn trace_note(&mut self, ns: NsId, text: String) {
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
        self.tracer.last_ns = ns;
        let note = TraceNote {
            time: self.now,
            journey: self.tracer.cur,
            ns: ns_name,
            text,
            pkt: self.tracer.last_pkt.get(&self.tracer.cur).copied(),
        };
        let at = self.tracer.notes.len();
        self.tracer.first_note.entry(self.tracer.cur).or_insert(at);
        self.tracer.notes.push(note);
    }

    /// The capture tap's note: `veth1: tx ARP, Request who-has ...` (tcpdump's one-line text).
    pub(crate) fn trace_frame(&mut self, d: DevId, frame: &[u8], out: bool) {
        if !self.tracer.enabled {
            return;
        }
        let opts = Opts {
            eflag: false,
            vflag: 0,
            nflag: 2,
            aflag: false,
        };
        let dev = self.dev(d);
        let lt = self
            .capture
            .ifaces
            .get(dev.cap)
            .map_or(LINKTYPE_ETHERNET, |c| c.linktype);
        let text = Formatter::with_opts(opts).format(lt, frame);
        let ns = dev.ns;
        let line = format!(
            "{}: {} {}",
            dev.name,
            if out { "tx" } else { "rx" },
            text.replace('\n', " ")
        );
        self.trace_note(ns, line);
        let j = self.tracer.cur;
        let idx = self.capture.len().saturating_sub(1);
        if let std::collections::btree_map::Entry::Vacant(e) = self.tracer.first_frame.entry(j) {
            e.insert(crate::tcpdump::filter::as_ethernet(lt, frame).into_owned());
        }
        if !self.tracer.last_pkt.contains_key(&j) {
            // Notes made before the journey's first captured frame (its route lookup, the
            // neighbour entry that queued it) belong to that frame. (`first_frame` may have been
            // set already by `trace_origin`, before any frame existed.)
            let from = self.tracer.first_note.get(&j).copied().unwrap_or(0);
            for n in &mut self.tracer.notes[from..] {
                if n.journey == j && n.pkt.is_none() {
                    n.pkt = Some(idx);
                }
            }
        }
        self.tracer.last_pkt.insert(j, idx);
        if let Some(n) = self.tracer.notes.last_mut() {
            n.pkt = Some(idx);
        }
    }

    /// A packet handed to the neighbour layer before any frame of its journey: it is what
    /// the journey is about (the ARP resolution it triggers belongs to it), so `--trace EXPR`
    /// filters on it.
    pub(crate) fn trace_origin(&mut self, d: DevId, ip_pkt: &[u8]) {
        if !self.tracer.enabled {
            return;
        }
        if self.tracer.cur == 0 {
            self.tracer.next_journey += 1;
            self.tracer.cur = self.tracer.next_journey;
        }
        let j = self.tracer.cur;
        if !self.tracer.first_frame.contains_key(&j) {
            let mut f = vec![0u8; 6];
            f.extend_from_slice(&self.dev(d).mac);
            f.extend_from_slice(&[0x08, 0x00]);
            f.extend_from_slice(ip_pkt);
            self.tracer.first_frame.insert(j, f);
        }
    }

    /// An event scheduled outside `schedule_in` (a neighbour timer) continues the journey.
    pub(crate) fn trace_carry(&mut self, id: EventId) {
        if self.tracer.enabled && self.tracer.cur != 0 {
            self.tracer.pending.insert(id, self.tracer.cur);
        }
    }

    /// A device's name for a note; empty (no allocation) when tracing is off, so the hot path
    /// pays nothing for notes it will not make.
    pub fn trace_name(&self, d: DevId) -> String {
        if self.tracer.enabled {
            self.dev(d).name.clone()
        } else {
            String::new()
        }
    }

    /// A route as a reader follows it: `table main 10.0.0.0/24 dev eth0 scope link`.
    pub fn trace_route(&self, r: &Route) -> String {
        let mut s = format!("table {}: ", table_name(r.table));
        match r.rtype {
            RtnType::Unicast => {}
            t => s += &format!("{} ", format!("{t:?}").to_lowercase()),
        }
        s += &format!("{}/{}", r.dst, r.plen);
        if let Some(g) = r.gw {
            s += &format!(" via {g}");
        }
        if let Some(d) = r.dev.filter(|&d| self.dev_alive(d)) {
            s += &format!(" dev {}", self.dev(d).name);
        }
        if r.gw.is_none() && r.rtype == RtnType::Unicast {
            s += " scope link";
        }
        s
    }

    /// The trace as text: for each journey whose first frame matches `filter`, its notes in
    /// order (`time namespace: note`).
    pub fn trace_text(&self, filter: &Filter) -> String {
        let mut by: BTreeMap<u64, Vec<&TraceNote>> = BTreeMap::new();
        for n in &self.tracer.notes {
            by.entry(n.journey).or_default().push(n);
        }
        let mut s = String::new();
        // Journeys are numbered from 1 among those that carry a frame (a command's notes
        // without a packet are not shown), the same numbers whatever the filter.
        let mut number = 0;
        for (j, notes) in by {
            let Some(first) = self.tracer.first_frame.get(&j) else {
                continue;
            };
            number += 1;
            if !filter.matches(first) {
                continue;
            }
            s += &format!("journey {number}\n");
            let w = notes.iter().map(|n| n.ns.len()).max().unwrap_or(0);
            for n in notes {
                let t = n.time.as_nanos();
                s += &format!(
                    "  {}.{:06} {:<w$}  {}\n",
                    t / 1_000_000_000,
                    t % 1_000_000_000 / 1000,
                    n.ns,
                    n.text
                );
            }
        }
        s
    }

    /// Per capture packet, the notes about it joined by newlines (pcapng `opt_comment`).
    pub fn trace_comments(&self) -> BTreeMap<usize, String> {
        let mut m: BTreeMap<usize, String> = BTreeMap::new();
        for n in &self.tracer.notes {
            if let Some(p) = n.pkt {
                let e = m.entry(p).or_default();
                if !e.is_empty() {
                    e.push('\n');
                }
                e.push_str(&format!("{}: {}", n.ns, n.text));
            }
        }
        m
    }
}

//! The neighbour subsystem for ARP (`net/core/neighbour.c`, `net/ipv4/arp.c`): NUD states,
//! timers, the queue of packets waiting for resolution, and solicitations.
//!
//! # Garbage collection
//! `arp_tbl` is one table for every namespace ([`ArpTbl`]): its thresholds count the entries
//! of all of them. `neigh_periodic_work` runs every `base_reachable_time/2` (15 s) while the
//! table holds `gc_thresh1` (128) entries or more, and frees FAILED entries and those not in a
//! timer state unused for `gc_stale_time` (60 s); `neigh_alloc` runs `neigh_forced_gc` at
//! `gc_thresh2` (512, at most every 5 s) or `gc_thresh3` (1024), which frees FAILED and NOARP
//! entries and those not updated for 5 s, oldest first, down to `gc_thresh2`; when it frees
//! nothing at `gc_thresh3` the entry is not created ("neighbor table overflow!" in the log,
//! ENOBUFS). PERMANENT entries are not on the gc list and do not count toward `gc_thresh2/3`.
//! Recorded on 6.1 (tests/hostile.rs `neighbour_gc_*`).
//!
//! # Differences from Linux
//! The queue limit counts an approximate `truesize` per packet; `ip neigh` lists entries
//! sorted by (address, device) where Linux walks its hash table in a per-boot random order.
//! `neigh_forced_gc` stops after 1 ms of CPU time in the kernel; the model has no CPU time, so
//! it always frees down to `gc_thresh2` (a 6.1 VM under emulation freed 336 of 513). The
//! periodic work's phase is 15 s multiples of the lab's start (the kernel's is set at boot,
//! `reachable_time` after it). `gc_thresh1/2/3` are init_net's `net.ipv4.neigh.default.*`
//! knobs: the lab's root namespace plays init_net (on the kernel oracle the lab's root is a
//! namespace of its own, which has no `neigh/default`).

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, DevKind, Event, Kernel, NsId};
use crate::net::dev::NetXmit;
use crate::net::devconf::*;
use crate::net::skbuff::SkBuff;
use crate::wire::*;
use sim_core::{Duration, EventId, Instant};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

pub const NUD_INCOMPLETE: u8 = 0x01;
pub const NUD_REACHABLE: u8 = 0x02;
pub const NUD_STALE: u8 = 0x04;
pub const NUD_DELAY: u8 = 0x08;
pub const NUD_PROBE: u8 = 0x10;
pub const NUD_FAILED: u8 = 0x20;
pub const NUD_NOARP: u8 = 0x40;
pub const NUD_PERMANENT: u8 = 0x80;
pub const NUD_NONE: u8 = 0x00;
pub const NUD_VALID: u8 =
    NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY;
pub const NUD_CONNECTED: u8 = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE;

pub fn nud_name(s: u8) -> &'static str {
    match s {
        NUD_INCOMPLETE => "INCOMPLETE",
        NUD_REACHABLE => "REACHABLE",
        NUD_STALE => "STALE",
        NUD_DELAY => "DELAY",
        NUD_PROBE => "PROBE",
        NUD_FAILED => "FAILED",
        NUD_NOARP => "NOARP",
        NUD_PERMANENT => "PERMANENT",
        _ => "NONE",
    }
}

pub fn nud_parse(s: &str) -> Option<u8> {
    Some(match s.to_ascii_lowercase().as_str() {
        "permanent" => NUD_PERMANENT,
        "reachable" => NUD_REACHABLE,
        "stale" => NUD_STALE,
        "delay" => NUD_DELAY,
        "probe" => NUD_PROBE,
        "failed" => NUD_FAILED,
        "incomplete" => NUD_INCOMPLETE,
        "noarp" => NUD_NOARP,
        "none" => NUD_NONE,
        _ => return None,
    })
}

#[derive(Debug)]
pub struct Neighbour {
    pub state: u8,
    pub lladdr: Mac,
    pub queue: Vec<SkBuff>,
    pub queue_bytes: usize,
    pub probes: u32,
    pub updated: Instant,
    pub confirmed: Instant,
    pub used: Instant,
    pub reachable_time: Duration,
    pub timer: Option<EventId>,
    /// Set by `ip neigh add/replace` (shown as `proto`-less static entry).
    pub router: bool,
    /// The entry's place on the table's gc list ([`ArpTbl`]), `None` when exempt (PERMANENT).
    pub gc_seq: Option<u64>,
}

#[derive(Debug, Default)]
pub struct NeighTable {
    /// Each entry its own allocation, as the kernel's `neigh_alloc`: a namespace holding two
    /// entries pays for them and one small map node of keys and pointers, not for a node of
    /// eleven whole entries.
    pub entries: BTreeMap<(DevId, Ipv4Addr), Box<Neighbour>>,
}

/// `gc_thresh1`: below this many entries the periodic gc does nothing.
pub const GC_THRESH1: usize = 128;
/// `gc_thresh2`: from this many gc entries `neigh_alloc` runs the forced gc at most every 5 s.
pub const GC_THRESH2: usize = 512;
/// `gc_thresh3`: the most gc entries the table holds.
pub const GC_THRESH3: usize = 1024;
/// `neigh_forced_gc` keeps entries updated less than this long ago (`jiffies - 5 * HZ`).
const FORCED_GC_AGE: Duration = Duration::from_secs(5);
/// `neigh_periodic_work`'s period: `BASE_REACHABLE_TIME >> 1` of the table's own parameters.
const PERIODIC_GC: Duration = Duration::from_secs(15);
/// The states whose entries hold a timer (`NUD_IN_TIMER`): the periodic work skips them.
const NUD_IN_TIMER: u8 = NUD_INCOMPLETE | NUD_REACHABLE | NUD_DELAY | NUD_PROBE;

/// The kernel-wide part of `struct neigh_table arp_tbl`: the counts the thresholds are checked
/// against (`entries`, all of them; `gc_entries`, those on the gc list), the gc list itself
/// (creation order: `neigh_forced_gc` frees from its front), `last_flush`, and whether the
/// periodic work is queued. One for every namespace, as in the kernel.
#[derive(Debug)]
pub struct ArpTbl {
    /// `gc_thresh1`, `gc_thresh2`, `gc_thresh3` (the kernel's defaults,
    /// [`GC_THRESH1`]..[`GC_THRESH3`]): init_net's `net.ipv4.neigh.default.gc_thresh*`
    /// sysctls (the lab's root namespace), which a node running thousands of pods raises.
    pub gc_thresh: [usize; 3],
    pub entries: usize,
    pub gc_entries: usize,
    gc_list: BTreeMap<u64, (NsId, DevId, Ipv4Addr)>,
    next_seq: u64,
    last_flush: Instant,
    gc_work: bool,
    /// `net_ratelimit`'s state for the overflow message: the interval's start, messages in
    /// it, messages suppressed.
    rl_begin: Option<Instant>,
    rl_printed: u32,
    rl_missed: u32,
}

impl Default for ArpTbl {
    fn default() -> ArpTbl {
        ArpTbl {
            gc_thresh: [GC_THRESH1, GC_THRESH2, GC_THRESH3],
            entries: 0,
            gc_entries: 0,
            gc_list: BTreeMap::new(),
            next_seq: 0,
            last_flush: Instant::default(),
            gc_work: false,
            rl_begin: None,
            rl_printed: 0,
            rl_missed: 0,
        }
    }
}

fn truesize(len: usize) -> usize {
    len.next_power_of_two().max(512) + 256
}

impl Kernel {
    /// The neighbour entry for `ip` on `dev` in namespace `ns` (`__neigh_lookup_noref`).
    #[inline]
    fn neigh_entry_mut(&mut self, ns: NsId, dev: DevId, ip: Ipv4Addr) -> Option<&mut Neighbour> {
        self.net_mut(ns)
            .neigh
            .entries
            .get_mut(&(dev, ip))
            .map(|n| &mut **n)
    }

    fn neigh_parms(&self, dev: DevId) -> &NeighParms {
        self.dev_nparms(dev)
    }

    fn random_reachable_time(&mut self, dev: DevId) -> Duration {
        // neigh_rand_reach_time: uniform in [base/2, 3*base/2).
        let base = self.neigh_parms(dev).base_reachable_ns();
        let r = self.rng.next_u64() % base.max(1);
        Duration(base / 2 + r)
    }

    /// `neigh_add_timer`/`mod_timer(&n->timer, at)`: `at` is the kernel's `expires`; the
    /// timer runs when the wheel's bucket for it does (`crate::timer`).
    fn neigh_mod_timer(&mut self, ns: NsId, dev: DevId, ip: Ipv4Addr, at: Instant) {
        let at = self.mod_timer_at(at.saturating_since(self.now));
        let id = self.queue.schedule(at, Event::NeighTimer { ns, dev, ip });
        self.trace_carry(id);
        if let Some(n) = self.neigh_entry_mut(ns, dev, ip) {
            if let Some(old) = n.timer.replace(id) {
                self.queue.cancel(old);
            }
        }
    }

    /// `___neigh_create` for the kernel's own lookups (`exempt_from_gc` false); false when
    /// the table is full (`neigh_alloc` failed: ENOBUFS).
    fn neigh_create(&mut self, ns: NsId, dev: DevId, ip: Ipv4Addr) -> bool {
        self.neigh_create_exempt(ns, dev, ip, false)
    }

    /// `___neigh_create`: `neigh_alloc` (the thresholds, the forced gc) then the entry in its
    /// first state; an entry `exempt` from gc (`ip neigh add ... nud permanent`) is not
    /// counted against `gc_thresh2/3`.
    pub(crate) fn neigh_create_exempt(
        &mut self,
        ns: NsId,
        dev: DevId,
        ip: Ipv4Addr,
        exempt: bool,
    ) -> bool {
        if !exempt && !self.neigh_alloc() {
            return false;
        }
        let now = self.now;
        let rt = self.random_reachable_time(dev);
        // IFF_NOARP devices (loopback, a VRF, an L3 ipvlan): NUD_NOARP with the device's own
        // address (arp_constructor).
        let vrf = matches!(self.dev(dev).kind, DevKind::Vrf(_));
        let noarp =
            matches!(self.dev(dev).kind, DevKind::Loopback) || vrf || self.ipvlan_is_noarp(dev);
        let own_mac = self.dev(dev).mac;
        // arp_constructor: a multicast address (RTN_MULTICAST, looked at before IFF_NOARP)
        // needs no resolution: NUD_NOARP with the MAC arp_mc_map gives (loopback keeps its
        // own, all-zero, address: arp_mc_map's dev->broadcast).
        let mcast = ip.is_multicast() && !matches!(self.dev(dev).kind, DevKind::Loopback);
        let noarp = noarp && !mcast;
        // arp_constructor: a broadcast address (255.255.255.255, 0.0.0.0 or a broadcast route)
        // needs no resolution: NUD_NOARP with the device's broadcast address. (In a VRF the
        // route is looked up in its table: inet_addr_type_dev_table.)
        let bcast = !noarp
            && !mcast
            && (ip.is_broadcast()
                || ip.is_unspecified()
                || if self.l3mdev_master_dev(dev).is_some() {
                    self.inet_addr_type_dev_table(dev, ip) == crate::net::fib::RtnType::Broadcast
                } else {
                    self.net(ns)
                        .fib
                        .lookup(ip, &|_| true)
                        .is_some_and(|r| r.rtype == crate::net::fib::RtnType::Broadcast)
                });
        let gc_seq = (!exempt).then(|| {
            let t = &mut self.arp_tbl;
            let seq = t.next_seq;
            t.next_seq += 1;
            t.gc_list.insert(seq, (ns, dev, ip));
            t.gc_entries += 1;
            seq
        });
        self.arp_tbl.entries += 1;
        self.net_mut(ns).neigh.entries.insert(
            (dev, ip),
            Box::new(Neighbour {
                state: if noarp || bcast || mcast {
                    NUD_NOARP
                } else {
                    NUD_NONE
                },
                lladdr: if mcast {
                    crate::net::arp::ip_eth_mc_map(ip)
                } else if bcast {
                    [0xff; 6]
                } else if vrf || noarp {
                    own_mac
                } else {
                    ETH_ZERO
                },
                queue: Vec::new(),
                queue_bytes: 0,
                probes: 0,
                updated: now,
                confirmed: Instant(now.0.saturating_sub(1)),
                used: now,
                reachable_time: rt,
                timer: None,
                router: false,
                gc_seq,
            }),
        );
        self.neigh_gc_arm();
        true
    }

    /// Queues `neigh_periodic_work` at its next 15 s tick. The kernel's runs every 15 s
    /// whatever the table holds and does nothing below gc_thresh1 or without an entry it
    /// could free: here it is queued only while it could do something, so a lab's event
    /// queue does not fill with it (an entry's creation, or its leaving a timer state,
    /// queues it again).
    fn neigh_gc_arm(&mut self) {
        if self.arp_tbl.entries >= self.arp_tbl.gc_thresh[0] && !self.arp_tbl.gc_work {
            self.arp_tbl.gc_work = true;
            let p = PERIODIC_GC.as_nanos();
            let at = Instant((self.now.0 / p + 1) * p);
            self.queue.schedule(at, Event::NeighPeriodicWork);
        }
    }

    /// `neigh_alloc`'s check: from `gc_thresh3` gc entries, or `gc_thresh2` when the last
    /// flush is more than 5 s ago, the forced gc runs; at `gc_thresh3` with nothing freed the
    /// allocation fails.
    fn neigh_alloc(&mut self) -> bool {
        let entries = self.arp_tbl.gc_entries;
        let [_, thresh2, thresh3] = self.arp_tbl.gc_thresh;
        if entries >= thresh3
            || (entries >= thresh2 && self.now > self.arp_tbl.last_flush + FORCED_GC_AGE)
        {
            let shrunk = self.neigh_forced_gc(entries + 1);
            if shrunk == 0 && entries >= thresh3 {
                self.net_info_ratelimited("neighbour: arp_cache: neighbor table overflow!");
                return false;
            }
        }
        true
    }

    /// `neigh_forced_gc`: from the front of the gc list (oldest first), frees entries nothing
    /// holds (no timer running) that are FAILED, NOARP or not updated for 5 s, until the gc
    /// entries (`gc_entries`, counting the one being allocated) are down to `gc_thresh2`.
    fn neigh_forced_gc(&mut self, gc_entries: usize) -> usize {
        let max_clean = gc_entries.saturating_sub(self.arp_tbl.gc_thresh[1]);
        let now = self.now;
        let tref = Instant(now.0.saturating_sub(FORCED_GC_AGE.as_nanos()));
        let mut victims = Vec::new();
        for &(ns, dev, ip) in self.arp_tbl.gc_list.values() {
            if victims.len() >= max_clean {
                break;
            }
            let Some(n) = self.nets.get(ns).and_then(Option::as_ref) else {
                continue;
            };
            let Some(n) = n.neigh.entries.get(&(dev, ip)) else {
                continue;
            };
            // refcount 1: a pending timer holds a reference.
            if n.timer.is_some() {
                continue;
            }
            if n.state == NUD_FAILED || n.state == NUD_NOARP || n.updated < tref || n.updated > now
            {
                victims.push((ns, dev, ip));
            }
        }
        for &(ns, dev, ip) in &victims {
            self.neigh_unlink(ns, dev, ip);
        }
        self.arp_tbl.last_flush = now;
        victims.len()
    }

    /// `neigh_periodic_work`: at `gc_thresh1` entries or more, frees the entries nothing holds
    /// that are FAILED or (not PERMANENT, not in a timer state) unused for `gc_stale_time`;
    /// queued again in 15 s while the table still holds `gc_thresh1`.
    pub fn neigh_periodic_work(&mut self) {
        self.arp_tbl.gc_work = false;
        if self.arp_tbl.entries < self.arp_tbl.gc_thresh[0] {
            return;
        }
        let now = self.now;
        let mut victims = Vec::new();
        // An entry the work skips now but may free later (idle, not yet stale).
        let mut later = false;
        for (ns, net) in self.nets.iter_mut().enumerate() {
            let Some(net) = net else { continue };
            for (&(dev, ip), n) in net.neigh.entries.iter_mut() {
                if n.state & (NUD_PERMANENT | NUD_IN_TIMER) != 0 || n.timer.is_some() {
                    continue;
                }
                if n.used < n.confirmed && n.confirmed <= now {
                    n.used = n.confirmed;
                }
                let stale = self.devs.get(dev).and_then(Option::as_ref).map_or(60, |d| {
                    let p = d.nparms.as_deref().unwrap_or(&net.neigh_default);
                    p.get(NP_GC_STALE_TIME).max(0) as u64
                });
                let until = n.used + Duration(stale.saturating_mul(1_000_000_000));
                if n.state == NUD_FAILED || !(n.used <= now && now < until) {
                    victims.push((ns, dev, ip));
                } else {
                    later = true;
                }
            }
        }
        for (ns, dev, ip) in victims {
            self.neigh_unlink(ns, dev, ip);
        }
        if self.arp_tbl.entries >= self.arp_tbl.gc_thresh[0] && later {
            self.arp_tbl.gc_work = true;
            self.queue
                .schedule(now + PERIODIC_GC, Event::NeighPeriodicWork);
        }
    }

    /// Removes an entry from its namespace's table and from the table-wide counts and gc
    /// list (`neigh_mark_dead` + release), cancelling its timer.
    fn neigh_unlink(&mut self, ns: NsId, dev: DevId, ip: Ipv4Addr) -> Option<Box<Neighbour>> {
        let n = self.net_mut(ns).neigh.entries.remove(&(dev, ip))?;
        if let Some(t) = n.timer {
            self.queue.cancel(t);
        }
        let t = &mut self.arp_tbl;
        t.entries -= 1;
        if let Some(seq) = n.gc_seq {
            t.gc_list.remove(&seq);
            t.gc_entries -= 1;
        }
        Some(n)
    }

    /// `neigh_update_gc_list`: an entry that became PERMANENT leaves the gc list; one that
    /// stopped being PERMANENT joins it at the tail.
    fn neigh_update_gc_list(&mut self, ns: NsId, dev: DevId, ip: Ipv4Addr) {
        let Some(n) = self.nets[ns]
            .as_mut()
            .and_then(|net| net.neigh.entries.get_mut(&(dev, ip)))
        else {
            return;
        };
        let t = &mut self.arp_tbl;
        let exempt = n.state & NUD_PERMANENT != 0;
        match (exempt, n.gc_seq) {
            (true, Some(seq)) => {
                t.gc_list.remove(&seq);
                t.gc_entries -= 1;
                n.gc_seq = None;
            }
            (false, None) => {
                let seq = t.next_seq;
                t.next_seq += 1;
                t.gc_list.insert(seq, (ns, dev, ip));
                t.gc_entries += 1;
                n.gc_seq = Some(seq);
            }
            _ => {}
        }
    }

    /// `net_info_ratelimited`: `net_ratelimit`'s 10 messages every 5 s; the first message of
    /// a new interval is preceded by how many were suppressed.
    fn net_info_ratelimited(&mut self, line: &str) {
        let now = self.now;
        let t = &mut self.arp_tbl;
        let begin = *t.rl_begin.get_or_insert(now);
        let mut missed_line = None;
        if now >= begin + Duration::from_secs(5) {
            if t.rl_missed > 0 {
                missed_line = Some(format!(
                    "net_ratelimit: {} callbacks suppressed",
                    t.rl_missed
                ));
            }
            t.rl_begin = Some(now);
            t.rl_printed = 0;
            t.rl_missed = 0;
        }
        if t.rl_printed >= 10 {
            t.rl_missed += 1;
            return;
        }
        t.rl_printed += 1;
        if let Some(m) = missed_line {
            self.printk(m);
        }
        self.printk(line.to_string());
    }

    /// `__ip_do_redirect`'s neighbour step: `neigh_lookup` + `neigh_create`, then, for an entry
    /// that is not `NUD_VALID`, `neigh_event_send(n, NULL)` (no packet to queue: an entry in
    /// NONE or FAILED starts resolving, INCOMPLETE goes on). Returns whether the entry is valid
    /// as it was found.
    pub fn neigh_event_send(&mut self, dev: DevId, ip: Ipv4Addr) -> bool {
        let ns = self.dev(dev).ns;
        if !self.net(ns).neigh.entries.contains_key(&(dev, ip)) && !self.neigh_create(ns, dev, ip) {
            return false;
        }
        let state = self.net(ns).neigh.entries[&(dev, ip)].state;
        if state & NUD_VALID != 0 {
            return true;
        }
        if state & NUD_INCOMPLETE == 0 {
            self.neigh_start_resolve(ns, dev, ip, None);
        }
        false
    }

    /// `__neigh_event_send` for an entry in NUD_NONE or NUD_FAILED: it starts resolving
    /// (INCOMPLETE, `skb` queued, the first probe now), or, when no probe may be sent, it is
    /// FAILED and `skb` is dropped.
    fn neigh_start_resolve(&mut self, ns: NsId, dev: DevId, ip: Ipv4Addr, skb: Option<SkBuff>) {
        let now = self.now;
        let parms = self.neigh_parms(dev).clone();
        let n = self
            .neigh_entry_mut(ns, dev, ip)
            .expect("caller created it");
        if parms.get(NP_MCAST_SOLICIT) + parms.get(NP_APP_SOLICIT) > 0 {
            n.probes = parms.get(NP_UCAST_SOLICIT) as u32;
            n.state = NUD_INCOMPLETE;
            n.updated = now;
            n.queue_bytes = skb.as_ref().map_or(0, |s| truesize(s.len()));
            n.queue = skb.into_iter().collect();
            let next = now + Duration(parms.retrans_ns().max(10_000_000));
            self.neigh_mod_timer(ns, dev, ip, next);
            self.neigh_probe(ns, dev, ip);
        } else {
            n.state = NUD_FAILED;
            if skb.is_some() {
                self.kfree_skb_reason(Some(dev), SkbDropReason::NeighFailed, "__neigh_event_send");
            }
        }
    }

    /// `neigh_confirm`: the neighbour `(dev, ip)`, if it exists, was seen reachable now (by an
    /// upper layer, e.g. TCP's forward progress); only `confirmed` changes.
    pub fn neigh_confirm(&mut self, dev: DevId, ip: Ipv4Addr) {
        let now = self.now;
        let ns = self.dev(dev).ns;
        if let Some(n) = self.neigh_entry_mut(ns, dev, ip) {
            n.confirmed = now;
        }
    }

    /// `neigh_output`: sends `ip_pkt` to `nexthop` on `dev`, resolving it first if needed
    /// (`neigh_resolve_output`). A queued packet counts as sent (`NET_XMIT_SUCCESS`); one sent
    /// at once answers what the device did with it.
    ///
    /// Inline, the common case: a neighbour in a state that sends at once (`NUD_CONNECTED`,
    /// DELAY or PROBE), its `used` stamped, the Ethernet header written in front of the packet
    /// from its address and the device's (the kernel's `neigh_hh_output` copies a cached
    /// header). Everything else (loopback, a neighbour to create or resolve, tracing) is
    /// [`Kernel::neigh_resolve_output`].
    #[inline]
    pub fn neigh_output(&mut self, dev: DevId, nexthop: Ipv4Addr, ip_pkt: SkBuff) -> NetXmit {
        let d = self.dev(dev);
        if !self.tracer.enabled && !matches!(d.kind, DevKind::Loopback) {
            let (ns, src, now) = (d.ns, d.mac, self.now);
            if let Some(n) = self.neigh_entry_mut(ns, dev, nexthop) {
                if n.state & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE) != 0 {
                    n.used = now;
                    let dst = n.lladdr;
                    return self.neigh_xmit(dev, dst, src, ip_pkt);
                }
            }
        }
        self.neigh_resolve_output(dev, nexthop, ip_pkt)
    }

    /// `neigh_resolve_output` ([`Kernel::neigh_output`]'s other cases).
    #[inline(never)]
    fn neigh_resolve_output(&mut self, dev: DevId, nexthop: Ipv4Addr, ip_pkt: SkBuff) -> NetXmit {
        let ns = self.dev(dev).ns;
        self.trace_origin(dev, ip_pkt.data());
        if matches!(self.dev(dev).kind, DevKind::Loopback) {
            return self.neigh_xmit(dev, ETH_ZERO, ETH_ZERO, ip_pkt);
        }
        let now = self.now;
        // One lookup of the entry on the common path (a resolved neighbour): its `used`
        // stamped, its state and address read.
        let found = match self.neigh_entry_mut(ns, dev, nexthop) {
            Some(n) => {
                n.used = now;
                Some((n.state, n.lladdr))
            }
            None => None,
        };
        let (state, lladdr) = match found {
            Some(x) => x,
            None if self.neigh_create(ns, dev, nexthop) => {
                let n = self.neigh_entry_mut(ns, dev, nexthop).expect("created");
                n.used = now;
                (n.state, n.lladdr)
            }
            None => {
                // ip_finish_output2: "No header cache and no neighbour!", -ENOBUFS.
                self.kfree_skb_reason(
                    Some(dev),
                    SkbDropReason::NeighCreateFail,
                    "ip_finish_output2",
                );
                return NetXmit::Drop;
            }
        };
        if state & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE) != 0 && !self.tracer.enabled {
            return self.neigh_xmit_to(dev, lladdr, ip_pkt);
        }
        // The two parameters the STALE and INCOMPLETE branches need, read here (the device's
        // neigh_parms are not copied for every frame).
        let (delay_first_probe, unres_qlen_bytes) = {
            let p = self.neigh_parms(dev);
            (
                p.delay_first_probe_ns(),
                p.get(NP_UNRES_QLEN_BYTES).max(0) as usize,
            )
        };
        let dn = self.trace_name(dev);
        self.trace(ns, || match state {
            s if s & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE) != 0 => format!(
                "neigh {nexthop} dev {dn} {} {} → send",
                nud_name(s),
                crate::wire::fmt_mac(&lladdr)
            ),
            NUD_STALE => format!(
                "neigh {nexthop} dev {dn} STALE {} → DELAY, send (confirm later)",
                crate::wire::fmt_mac(&lladdr)
            ),
            NUD_INCOMPLETE => {
                format!("neigh {nexthop} dev {dn} INCOMPLETE → queue the packet (ARP in progress)")
            }
            s => format!(
                "neigh {nexthop} dev {dn} {} → INCOMPLETE: queue the packet, send ARP request",
                nud_name(s)
            ),
        });
        let n = self.neigh_entry_mut(ns, dev, nexthop).expect("created");
        if state & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE) != 0 {
            let mac = n.lladdr;
            return self.neigh_xmit_to(dev, mac, ip_pkt);
        }
        if state & (NUD_STALE | NUD_INCOMPLETE) == 0 {
            // NUD_NONE or NUD_FAILED: start resolving.
            self.neigh_start_resolve(ns, dev, nexthop, Some(ip_pkt));
            return NetXmit::Success;
        }
        if state == NUD_STALE {
            let mac = n.lladdr;
            n.state = NUD_DELAY;
            n.updated = now;
            self.neigh_mod_timer(ns, dev, nexthop, now + Duration(delay_first_probe));
            return self.neigh_xmit_to(dev, mac, ip_pkt);
        }
        // NUD_INCOMPLETE: queue, dropping the oldest beyond unres_qlen_bytes.
        let limit = unres_qlen_bytes;
        let ts = truesize(ip_pkt.len());
        let mut dropped = 0;
        while n.queue_bytes + ts > limit && !n.queue.is_empty() {
            let old = n.queue.remove(0);
            n.queue_bytes -= truesize(old.len());
            dropped += 1;
        }
        n.queue.push(ip_pkt);
        n.queue_bytes += ts;
        for _ in 0..dropped {
            self.kfree_skb_reason(
                Some(dev),
                SkbDropReason::NeighQueueFull,
                "__neigh_event_send",
            );
        }
        NetXmit::Success
    }

    fn neigh_xmit_to(&mut self, dev: DevId, dst: Mac, ip_pkt: SkBuff) -> NetXmit {
        let src = self.dev(dev).mac;
        self.neigh_xmit(dev, dst, src, ip_pkt)
    }

    /// `dev_hard_header` (`eth_header`, into the headroom when there is some) then
    /// `dev_queue_xmit`. (Always inline: out of line it cost a call and a copy of the skb a
    /// packet.)
    #[inline(always)]
    fn neigh_xmit(&mut self, dev: DevId, dst: Mac, src: Mac, mut skb: SkBuff) -> NetXmit {
        // (The header made whole, then written with one copy: no bounds test a field.)
        let mut eh = [0u8; ETH_HLEN];
        eh[0..6].copy_from_slice(&dst);
        eh[6..12].copy_from_slice(&src);
        eh[12..14].copy_from_slice(&ETH_P_IP.to_be_bytes());
        skb.push(ETH_HLEN).copy_from_slice(&eh);
        self.dev_queue_xmit(dev, skb)
    }

    /// `neigh_probe` → `arp_solicit`; then `probes++`.
    fn neigh_probe(&mut self, ns: NsId, dev: DevId, ip: Ipv4Addr) {
        let Some(n) = self.net(ns).neigh.entries.get(&(dev, ip)) else {
            return;
        };
        let probes = n.probes as i64;
        let ha = n.lladdr;
        let skb_src = n
            .queue
            .last()
            .and_then(|p| Ipv4Repr::parse(p.data()).ok())
            .map(|(h, _)| h.src);
        let parms = self.neigh_parms(dev).clone();
        self.arp_solicit(dev, ip, probes, ha, skb_src, &parms);
        if let Some(n) = self.neigh_entry_mut(ns, dev, ip) {
            n.probes += 1;
        }
    }

    /// `arp_solicit`: chooses the sender address and unicast/broadcast as the kernel does.
    fn arp_solicit(
        &mut self,
        dev: DevId,
        target: Ipv4Addr,
        probes: i64,
        ha: Mac,
        skb_src: Option<Ipv4Addr>,
        parms: &NeighParms,
    ) {
        let ns = self.dev(dev).ns;
        let announce = self
            .dev(dev)
            .conf
            .get(CONF_ARP_ANNOUNCE)
            .max(self.net(ns).conf_all.get(CONF_ARP_ANNOUNCE));
        let mut saddr = Ipv4Addr::UNSPECIFIED;
        if announce < 2 {
            if let Some(s) = skb_src {
                if self.inet_addr_is_local(ns, s)
                    && (announce == 0 || self.inet_ifa_match_dev(dev, s, target))
                {
                    saddr = s;
                }
            }
        }
        if saddr.is_unspecified() {
            saddr = self.inet_select_addr(dev, target, crate::net::fib::RT_SCOPE_LINK);
        }
        let mut p = probes - parms.get(NP_UCAST_SOLICIT);
        let dst_hw = if p < 0 {
            Some(ha)
        } else {
            p -= parms.get(NP_APP_SOLICIT);
            if p < 0 {
                return;
            }
            None
        };
        self.arp_send(ARPOP_REQUEST, dev, target, saddr, dst_hw, None);
    }

    /// `arp_send`: builds and transmits an ARP packet. `dst_hw` None means broadcast.
    pub fn arp_send(
        &mut self,
        op: u16,
        dev: DevId,
        tip: Ipv4Addr,
        sip: Ipv4Addr,
        dst_hw: Option<Mac>,
        tha: Option<Mac>,
    ) {
        let src = self.dev(dev).mac;
        let dst = dst_hw.unwrap_or(ETH_BROADCAST);
        let arp = ArpRepr {
            op,
            sha: src,
            sip,
            tha: tha.unwrap_or(if op == ARPOP_REQUEST { ETH_ZERO } else { dst }),
            tip,
        };
        let f = EthRepr {
            dst,
            src,
            ethertype: ETH_P_ARP,
        }
        .emit(&arp.emit());
        self.dev_queue_xmit(dev, SkBuff::new(f));
    }

    /// `neigh_update`: sets lladdr/state; sends queued packets when the entry becomes valid.
    /// The entry is created first when there is none (an administrative PERMANENT one exempt
    /// from gc); false when it could not be (the table is full).
    #[allow(clippy::too_many_arguments)]
    pub fn neigh_update(
        &mut self,
        ns: NsId,
        dev: DevId,
        ip: Ipv4Addr,
        lladdr: Option<Mac>,
        new: u8,
        override_: bool,
        admin: bool,
    ) -> bool {
        if !self.net(ns).neigh.entries.contains_key(&(dev, ip))
            && !self.neigh_create_exempt(ns, dev, ip, admin && new & NUD_PERMANENT != 0)
        {
            return false;
        }
        self.__neigh_update(ns, dev, ip, lladdr, new, override_, admin);
        if new & NUD_IN_TIMER == 0 {
            self.neigh_gc_arm();
        }
        true
    }

    #[allow(clippy::too_many_arguments)]
    fn __neigh_update(
        &mut self,
        ns: NsId,
        dev: DevId,
        ip: Ipv4Addr,
        lladdr: Option<Mac>,
        new: u8,
        override_: bool,
        admin: bool,
    ) {
        let now = self.now;
        let parms_base = self.neigh_parms(dev).base_reachable_ns();
        let n = self.neigh_entry_mut(ns, dev, ip).expect("exists");
        let old = n.state;
        if !admin && old & (NUD_NOARP | NUD_PERMANENT) != 0 {
            return;
        }
        if new & NUD_VALID == 0 {
            if let Some(t) = n.timer.take() {
                self.queue.cancel(t);
            }
            let n = self.neigh_entry_mut(ns, dev, ip).expect("exists");
            // An administrative FAILED/NONE only marks the entry; neigh_invalidate (ICMP errors
            // for queued packets) happens on the timer path.
            n.state = new;
            if (new ^ old) & NUD_PERMANENT != 0 {
                self.neigh_update_gc_list(ns, dev, ip);
            }
            return;
        }
        let lladdr = lladdr.unwrap_or(n.lladdr);
        let mut new = new;
        if old & NUD_VALID != 0 && lladdr != n.lladdr && !override_ {
            // A different address without NEIGH_UPDATE_F_OVERRIDE is ignored.
            return;
        }
        if old & NUD_VALID != 0
            && lladdr == n.lladdr
            && new == NUD_STALE
            && old & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE) != 0
            && !admin
        {
            // Same address, STALE requested: keep the better state (NEIGH_UPDATE_F_WEAK_OVERRIDE absent).
            new = old;
        }
        if new & NUD_CONNECTED != 0 {
            n.confirmed = now;
        } else {
            n.confirmed = Instant(now.0.saturating_sub(2 * parms_base));
        }
        n.updated = now;
        n.lladdr = lladdr;
        let changed_state = n.state != new;
        n.state = new;
        let nq = n.queue.len();
        if (new ^ old) & NUD_PERMANENT != 0 {
            self.neigh_update_gc_list(ns, dev, ip);
        }
        if changed_state || old & NUD_VALID == 0 {
            let dn = self.trace_name(dev);
            self.trace(ns, || {
                let q = if old & NUD_VALID == 0 && nq > 0 {
                    format!(", send {nq} queued")
                } else {
                    String::new()
                };
                format!(
                    "neigh {ip} dev {dn} {} → {} {}{q}",
                    nud_name(old),
                    nud_name(new),
                    crate::wire::fmt_mac(&lladdr)
                )
            });
        }
        let n = self.neigh_entry_mut(ns, dev, ip).expect("exists");
        if changed_state || new & NUD_REACHABLE != 0 {
            if let Some(t) = n.timer.take() {
                self.queue.cancel(t);
            }
            if new & NUD_REACHABLE != 0 {
                let at = now + self.net(ns).neigh.entries[&(dev, ip)].reachable_time;
                self.neigh_mod_timer(ns, dev, ip, at);
            }
        }
        if old & NUD_VALID == 0 {
            // Entry became valid: send what was queued.
            let n = self.neigh_entry_mut(ns, dev, ip).expect("exists");
            let q = std::mem::take(&mut n.queue);
            n.queue_bytes = 0;
            for p in q {
                self.neigh_xmit_to(dev, lladdr, p);
            }
        }
    }

    /// `neigh_timer_handler`.
    pub fn neigh_timer_handler(&mut self, ns: NsId, dev: DevId, ip: Ipv4Addr) {
        let now = self.now;
        let parms = self.neigh_parms(dev).clone();
        let Some(n) = self.neigh_entry_mut(ns, dev, ip) else {
            return;
        };
        n.timer = None;
        let state = n.state;
        let old_state = state;
        let mut next = None;
        if state & NUD_REACHABLE != 0 {
            if now.0 <= n.confirmed.0 + n.reachable_time.0 {
                next = Some(n.confirmed + n.reachable_time);
            } else if now.0 <= n.used.0 + parms.delay_first_probe_ns() {
                n.state = NUD_DELAY;
                n.updated = now;
                next = Some(now + Duration(parms.delay_first_probe_ns()));
            } else {
                n.state = NUD_STALE;
                n.updated = now;
            }
        } else if state & NUD_DELAY != 0 {
            if now.0 <= n.confirmed.0 + parms.delay_first_probe_ns() {
                n.state = NUD_REACHABLE;
                n.updated = now;
                next = Some(n.confirmed + n.reachable_time);
            } else {
                n.state = NUD_PROBE;
                n.updated = now;
                n.probes = 0;
                next = Some(now + Duration(parms.retrans_ns()));
            }
        } else {
            next = Some(now + Duration(parms.retrans_ns()));
        }
        let state = n.state;
        let max_probes = (parms.get(NP_UCAST_SOLICIT)
            + parms.get(NP_APP_SOLICIT)
            + if state & NUD_PROBE != 0 {
                0
            } else {
                parms.get(NP_MCAST_SOLICIT)
            }) as u32;
        if state & (NUD_INCOMPLETE | NUD_PROBE) != 0 && n.probes >= max_probes {
            n.state = NUD_FAILED;
            n.updated = now;
            let q = std::mem::take(&mut n.queue);
            n.queue_bytes = 0;
            let dn = self.trace_name(dev);
            self.trace(ns, || {
                format!(
                    "neigh {ip} dev {dn} {} → FAILED: no ARP reply, {} queued packet(s) dropped",
                    nud_name(old_state),
                    q.len()
                )
            });
            // neigh_invalidate: report an error for every queued packet (arp_error_report →
            // ICMP host unreachable), then drop it.
            for p in q {
                self.kfree_skb_reason(Some(dev), SkbDropReason::NeighFailed, "neigh_invalidate");
                self.icmp_send_host_unreach(ns, dev, &p);
            }
            // (out of the timer states: the periodic gc may free it)
            self.neigh_gc_arm();
            return;
        }
        if next.is_none() {
            // (REACHABLE → STALE: out of the timer states, the periodic gc may free it)
            self.neigh_gc_arm();
        }
        if let Some(at) = next {
            // The kernel never re-arms closer than HZ/100 ahead (`next = jiffies + HZ/100`), so
            // a REACHABLE entry whose confirmation ends exactly now is looked at again 10 ms on.
            let at = at.max(now + Duration::from_millis(10));
            self.neigh_mod_timer(ns, dev, ip, at);
        }
        if state != old_state || state & (NUD_INCOMPLETE | NUD_PROBE) != 0 {
            let dn = self.trace_name(dev);
            let probe = if state & (NUD_INCOMPLETE | NUD_PROBE) != 0 {
                ", send ARP probe"
            } else {
                ""
            };
            self.trace(ns, || {
                format!(
                    "neigh {ip} dev {dn} timer: {} → {}{probe}",
                    nud_name(old_state),
                    nud_name(state)
                )
            });
        }
        if state & (NUD_INCOMPLETE | NUD_PROBE) != 0 {
            self.neigh_probe(ns, dev, ip);
        }
    }

    /// `neigh_event_ns`: an entry created or refreshed STALE by an ARP request from `ip`.
    /// False when there is no entry and none could be created (the table is full).
    pub fn neigh_event_ns(&mut self, ns: NsId, dev: DevId, ip: Ipv4Addr, mac: Mac) -> bool {
        self.neigh_update(ns, dev, ip, Some(mac), NUD_STALE, true, false)
    }

    /// Removes every entry of a device (`neigh_ifdown`), cancelling timers and dropping queues.
    pub fn neigh_flush_dev(&mut self, dev: DevId) {
        let ns = self.dev(dev).ns;
        let keys: Vec<_> = self
            .net(ns)
            .neigh
            .entries
            .range((dev, Ipv4Addr::UNSPECIFIED)..=(dev, Ipv4Addr::BROADCAST))
            .map(|(k, _)| *k)
            .collect();
        for (dev, ip) in keys {
            self.neigh_unlink(ns, dev, ip);
        }
    }

    /// `neigh_carrier_down` (`__neigh_ifdown` with `skip_perm`): carrier loss removes the
    /// device's entries except permanent ones.
    pub fn neigh_carrier_down(&mut self, dev: DevId) {
        let ns = self.dev(dev).ns;
        let keys: Vec<_> = self
            .net(ns)
            .neigh
            .entries
            .range((dev, Ipv4Addr::UNSPECIFIED)..=(dev, Ipv4Addr::BROADCAST))
            .filter(|(_, n)| n.state & NUD_PERMANENT == 0)
            .map(|(k, _)| *k)
            .collect();
        for (dev, ip) in keys {
            self.neigh_unlink(ns, dev, ip);
        }
    }

    /// `neigh_delete` for `ip neigh del`.
    pub fn neigh_remove(&mut self, ns: NsId, dev: DevId, ip: Ipv4Addr) -> bool {
        self.neigh_unlink(ns, dev, ip).is_some()
    }

    /// Every entry of a namespace that goes (`cleanup_net`: its devices' `neigh_ifdown`).
    pub fn neigh_flush_ns(&mut self, ns: NsId) {
        let keys: Vec<(DevId, Ipv4Addr)> = match self.nets.get(ns).and_then(Option::as_ref) {
            Some(net) => net.neigh.entries.keys().copied().collect(),
            None => return,
        };
        for (dev, ip) in keys {
            self.neigh_unlink(ns, dev, ip);
        }
    }
}

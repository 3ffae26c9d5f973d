//! The network emulator qdisc (`net/sched/sch_netem.c`): a device's root qdisc that delays,
//! drops and duplicates the frames leaving it.
//!
//! `netem_enqueue` decides a frame's fate with `get_crandom` (the correlated random numbers of
//! the kernel, drawn from the lab's seeded RNG instead of `get_random_u32`) and files it in the
//! tfifo by `time_to_send` (`tfifo_enqueue`: a list for frames in order and a tree for the ones
//! that overtake it); `netem_dequeue` hands the frames whose time has come to the driver
//! (`dev_hard_start_xmit`) and arms the qdisc watchdog for the next one.
//!
//! Modelled: `delay TIME [JITTER [CORRELATION]]` with the uniform jitter or a distribution
//! table (`tabledist`), `loss random PERCENT [CORRELATION]`, `loss state` (the 4-state Markov
//! chain, `loss_4state`) and `loss gemodel` (Gilbert-Elliot, `loss_gilb_ell`), `duplicate`,
//! `corrupt` (one bit flipped in the frame), `reorder PERCENT [CORRELATION]` with `gap`
//! (the chosen frame goes to the head of the queue, unDelayed, counted as a requeue),
//! `limit PACKETS`, `rate RATE` (`packet_time_ns`, no overhead/cells), `slot` (frames leave in
//! slots: `get_slot_next`), `ecn` (a loss marks an ECN-capable IPv4 packet CE instead,
//! `INET_ECN_set_ce`). Not modelled (the tool says so): rate overhead/cells.
//! Every random number comes from the lab's seeded RNG (`prandom_u32` and `get_random_u32`
//! both), so a seed gives the same losses.

use std::collections::{BTreeMap, VecDeque};

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, Kernel};
use crate::net::dev::NetXmit;
use crate::net::skbuff::SkBuff;

/// `struct crndstate`: the state of a correlated random number generator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CrndState {
    pub last: u32,
    pub rho: u32,
}

/// `struct tc_netem_qopt` (`TCA_OPTIONS`): times in psched ticks (64 ns), probabilities
/// scaled to `u32::MAX`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TcNetemQopt {
    pub latency: u32,
    pub limit: u32,
    pub loss: u32,
    pub gap: u32,
    pub duplicate: u32,
    pub jitter: u32,
}

/// `struct tc_netem_corr` (`TCA_NETEM_CORR`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TcNetemCorr {
    pub delay_corr: u32,
    pub loss_corr: u32,
    pub dup_corr: u32,
}

/// `struct tc_netem_reorder` / `struct tc_netem_corrupt`: a probability and its correlation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TcNetemProb {
    pub probability: u32,
    pub correlation: u32,
}

/// `TCA_NETEM_LOSS`'s nested model: `NETEM_LOSS_GI` (`struct tc_netem_gimodel`) or
/// `NETEM_LOSS_GE` (`struct tc_netem_gemodel`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetemLossModel {
    Gi {
        p13: u32,
        p31: u32,
        p32: u32,
        p14: u32,
        p23: u32,
    },
    Ge {
        p: u32,
        r: u32,
        h: u32,
        k1: u32,
    },
}

/// `struct tc_netem_slot` (times in ns; 0 packets/bytes: no limit).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TcNetemSlot {
    pub min_delay: i64,
    pub max_delay: i64,
    pub max_packets: i32,
    pub max_bytes: i32,
    pub dist_delay: i64,
    pub dist_jitter: i64,
}

/// A netem configuration as a request carries it (and a dump returns it): the qopt plus the
/// attributes iproute2 adds only when the command line names them (the kernel keeps the old
/// values of absent ones on a change).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetemOpts {
    pub qopt: TcNetemQopt,
    pub corr: Option<TcNetemCorr>,
    /// `TCA_NETEM_RATE` (+ `TCA_NETEM_RATE64`): bytes per second.
    pub rate: Option<u64>,
    pub reorder: Option<TcNetemProb>,
    pub corrupt: Option<TcNetemProb>,
    pub loss_model: Option<NetemLossModel>,
    /// `TCA_NETEM_DELAY_DIST` (requests only: the kernel does not dump it).
    pub delay_dist: Option<Vec<i16>>,
    pub slot: Option<TcNetemSlot>,
    /// `TCA_NETEM_SLOT_DIST` (requests only).
    pub slot_dist: Option<Vec<i16>>,
    /// `TCA_NETEM_ECN`.
    pub ecn: Option<u32>,
}

/// `PSCHED_SHIFT`: a psched tick is 64 ns.
const PSCHED_SHIFT: u32 = 6;
/// `NETEM_DIST_SCALE`.
const NETEM_DIST_SCALE: i64 = 8192;

/// `q->loss_model` with its `struct clgstate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clg {
    Random,
    /// `CLG_4_STATES`: state 1 TX_IN_GAP_PERIOD, 2 TX_IN_BURST_PERIOD, 3 LOST_IN_BURST_PERIOD,
    /// 4 LOST_IN_GAP_PERIOD; a1..a5 = p13, p31, p32, p14, p23.
    FourStates {
        state: u8,
        a: [u32; 5],
    },
    /// `CLG_GILB_ELL`: state 1 GOOD, 2 BAD; a1..a4 = p, r, h, k1.
    GilbEll {
        state: u8,
        a: [u32; 4],
    },
}

/// `q->slot` (the current slot) with `q->slot_config`.
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    config: TcNetemSlot,
    slot_next: u64,
    packets_left: i32,
    bytes_left: i32,
}

/// `struct netem_sched_data` plus the `struct Qdisc` fields `tc -s` shows.
#[derive(Debug)]
pub struct Netem {
    /// `sch->handle` (major number in the high 16 bits).
    pub handle: u32,
    /// `q->latency`, `q->jitter` in ns.
    pub latency: i64,
    pub jitter: i64,
    /// `sch->limit`.
    pub limit: u32,
    pub loss: u32,
    pub duplicate: u32,
    pub gap: u32,
    pub counter: u32,
    pub reorder: u32,
    pub corrupt: u32,
    /// `q->ecn`: a loss marks ECN-capable IPv4 packets CE instead of dropping them.
    pub ecn: u32,
    /// Bytes per second; 0: no rate.
    pub rate: u64,
    pub delay_cor: CrndState,
    pub loss_cor: CrndState,
    pub dup_cor: CrndState,
    pub reorder_cor: CrndState,
    pub corrupt_cor: CrndState,
    pub clg: Clg,
    delay_dist: Option<Vec<i16>>,
    slot_dist: Option<Vec<i16>>,
    slot: Slot,
    /// The tfifo's rbtree: frames keyed by (time_to_send, arrival), equal times in arrival
    /// order (`tfifo_enqueue` goes right on equal).
    t_root: BTreeMap<(u64, u64), SkBuff>,
    /// The tfifo's linear list (`t_head`..`t_tail`): frames in time order appended at the tail.
    t_list: VecDeque<(u64, SkBuff)>,
    /// `sch->q`: the frames reordering put at the head, sent before the tfifo.
    head: VecDeque<SkBuff>,
    seq: u64,
    /// Armed watchdog time, if any.
    watchdog: Option<u64>,
    /// `sch->bstats` / `sch->qstats`.
    pub bytes: u64,
    pub packets: u64,
    pub drops: u64,
    pub backlog: u64,
    pub requeues: u64,
}

impl Netem {
    pub fn new(handle: u32) -> Netem {
        Netem {
            handle,
            latency: 0,
            jitter: 0,
            limit: 0,
            loss: 0,
            duplicate: 0,
            gap: 0,
            counter: 0,
            reorder: 0,
            corrupt: 0,
            ecn: 0,
            rate: 0,
            delay_cor: CrndState::default(),
            loss_cor: CrndState::default(),
            dup_cor: CrndState::default(),
            reorder_cor: CrndState::default(),
            corrupt_cor: CrndState::default(),
            clg: Clg::Random,
            delay_dist: None,
            slot_dist: None,
            slot: Slot::default(),
            t_root: BTreeMap::new(),
            t_list: VecDeque::new(),
            head: VecDeque::new(),
            seq: 0,
            watchdog: None,
            bytes: 0,
            packets: 0,
            drops: 0,
            backlog: 0,
            requeues: 0,
        }
    }

    /// `netem_dump`'s options.
    pub fn dump(&self) -> NetemOpts {
        let loss_model = match self.clg {
            Clg::Random => None,
            Clg::FourStates { a, .. } => Some(NetemLossModel::Gi {
                p13: a[0],
                p31: a[1],
                p32: a[2],
                p14: a[3],
                p23: a[4],
            }),
            Clg::GilbEll { a, .. } => Some(NetemLossModel::Ge {
                p: a[0],
                r: a[1],
                h: a[2],
                k1: a[3],
            }),
        };
        let c = self.slot.config;
        let slot = (c.min_delay | c.max_delay | c.dist_jitter != 0).then_some(TcNetemSlot {
            max_packets: if c.max_packets == i32::MAX {
                0
            } else {
                c.max_packets
            },
            max_bytes: if c.max_bytes == i32::MAX {
                0
            } else {
                c.max_bytes
            },
            ..c
        });
        NetemOpts {
            qopt: TcNetemQopt {
                latency: (self.latency as u64 >> PSCHED_SHIFT).min(u32::MAX as u64) as u32,
                limit: self.limit,
                loss: self.loss,
                gap: self.gap,
                duplicate: self.duplicate,
                jitter: (self.jitter as u64 >> PSCHED_SHIFT).min(u32::MAX as u64) as u32,
            },
            corr: Some(TcNetemCorr {
                delay_corr: self.delay_cor.rho,
                loss_corr: self.loss_cor.rho,
                dup_corr: self.dup_cor.rho,
            }),
            rate: Some(self.rate),
            reorder: Some(TcNetemProb {
                probability: self.reorder,
                correlation: self.reorder_cor.rho,
            }),
            corrupt: Some(TcNetemProb {
                probability: self.corrupt,
                correlation: self.corrupt_cor.rho,
            }),
            loss_model,
            delay_dist: None,
            slot,
            slot_dist: None,
            ecn: (self.ecn != 0).then_some(self.ecn),
        }
    }

    pub(crate) fn watchdog_mut(&mut self) -> &mut Option<u64> {
        &mut self.watchdog
    }

    /// `sch->q.qlen`.
    pub fn qlen(&self) -> usize {
        self.t_root.len() + self.t_list.len() + self.head.len()
    }

    /// `tfifo_enqueue`.
    fn tfifo_enqueue(&mut self, tnext: u64, skb: SkBuff) {
        self.seq += 1;
        if self.t_list.back().is_none_or(|(t, _)| tnext >= *t) {
            self.t_list.push_back((tnext, skb));
        } else {
            self.t_root.insert((tnext, self.seq), skb);
        }
    }

    /// `netem_peek`: the time of the next frame, the tree's first when strictly earlier.
    fn peek(&self) -> Option<(u64, bool)> {
        let t1 = self.t_root.keys().next().map(|k| k.0);
        let t2 = self.t_list.front().map(|(t, _)| *t);
        match (t1, t2) {
            (None, None) => None,
            (Some(t1), None) => Some((t1, true)),
            (None, Some(t2)) => Some((t2, false)),
            (Some(t1), Some(t2)) => Some(if t1 < t2 { (t1, true) } else { (t2, false) }),
        }
    }

    /// `netem_erase_head` of the frame `peek` chose.
    fn erase_head(&mut self, from_tree: bool) -> SkBuff {
        if from_tree {
            self.t_root.pop_first().expect("peeked").1
        } else {
            self.t_list.pop_front().expect("peeked").1
        }
    }
}

/// `get_crandom`: a random number correlated with the previous one by `rho`.
pub fn get_crandom(k: &mut Kernel, state: &mut CrndState) -> u32 {
    let value = k.rng.next_u32() as u64;
    if state.rho == 0 {
        return value as u32;
    }
    let rho = state.rho as u64 + 1;
    let answer = ((value * ((1u64 << 32) - rho) + state.last as u64 * rho) >> 32) as u32;
    state.last = answer;
    answer
}

/// `tabledist`: `mu` plus a deviate of `sigma` drawn from `dist` (uniform in
/// `[mu - sigma, mu + sigma)` without a table). `state` None: uncorrelated.
fn tabledist(
    k: &mut Kernel,
    mu: i64,
    sigma: i64,
    state: Option<&mut CrndState>,
    dist: Option<&[i16]>,
) -> i64 {
    // tabledist's sigma is an s32 (a jitter past 2^31 ns wraps there).
    let sigma = sigma as i32;
    if sigma == 0 {
        return mu;
    }
    let rnd = match state {
        Some(st) => get_crandom(k, st),
        None => k.rng.next_u32(),
    };
    match dist.filter(|d| !d.is_empty()) {
        None => {
            // ((rnd % (2 * (u32)sigma)) + mu) - sigma, in u32 then s64.
            let m = 2u32.wrapping_mul(sigma as u32);
            if m == 0 {
                return mu - sigma as i64;
            }
            (rnd % m) as i64 + mu - sigma as i64
        }
        Some(d) => {
            let t = d[rnd as usize % d.len()] as i64;
            let mut x = (sigma as i64 % NETEM_DIST_SCALE) * t;
            if x >= 0 {
                x += NETEM_DIST_SCALE / 2;
            } else {
                x -= NETEM_DIST_SCALE / 2;
            }
            x / NETEM_DIST_SCALE + (sigma as i64 / NETEM_DIST_SCALE) * t + mu
        }
    }
}

/// `packet_time_ns` (no packet overhead, no cells).
fn packet_time_ns(len: u64, rate: u64) -> i64 {
    (len as u128 * 1_000_000_000 / rate as u128) as i64
}

/// `INET_ECN_set_ce` on a frame from its Ethernet header: an IPv4 packet that is ECN-capable
/// gets CE (and its header checksum fixed); true if the packet now carries CE (it did or was
/// marked), false for a packet that is not ECN-capable or not IPv4.
fn inet_ecn_set_ce(skb: &mut SkBuff) -> bool {
    let d = skb.data_mut();
    if d.len() < 34 || d[12..14] != [0x08, 0x00] {
        return false;
    }
    let ecn = d[15] & 3;
    if ecn == 0 {
        return false;
    }
    if ecn != 3 {
        d[15] |= 3;
        let ihl = ((d[14] & 0x0f) as usize * 4).clamp(20, d.len() - 14);
        d[24] = 0;
        d[25] = 0;
        let c = crate::wire::checksum(&d[14..14 + ihl]);
        d[24..26].copy_from_slice(&c.to_be_bytes());
    }
    true
}

/// `loss_4state`: one step of the GI model's Markov chain; true: this frame is lost.
fn loss_4state(k: &mut Kernel, state: &mut u8, a: &[u32; 5]) -> bool {
    let rnd = k.rng.next_u32();
    let [a1, a2, a3, a4, a5] = *a;
    match *state {
        1 => {
            if rnd < a4 {
                *state = 4;
                return true;
            } else if rnd < a1.wrapping_add(a4) {
                *state = 3;
                return true;
            }
            *state = 1;
        }
        2 => {
            if rnd < a5 {
                *state = 3;
                return true;
            }
            *state = 2;
        }
        3 => {
            if rnd < a3 {
                *state = 2;
            } else if rnd < a2.wrapping_add(a3) {
                *state = 1;
            } else {
                *state = 3;
                return true;
            }
        }
        _ => *state = 1,
    }
    false
}

/// `loss_gilb_ell`: the Gilbert-Elliot model; true: this frame is lost.
fn loss_gilb_ell(k: &mut Kernel, state: &mut u8, a: &[u32; 4]) -> bool {
    let [a1, a2, a3, a4] = *a;
    if *state == 1 {
        if k.rng.next_u32() < a1 {
            *state = 2;
        }
        if k.rng.next_u32() < a4 {
            return true;
        }
    } else {
        if k.rng.next_u32() < a2 {
            *state = 1;
        }
        if k.rng.next_u32() > a3 {
            return true;
        }
    }
    false
}

impl Kernel {
    /// `netem_change`: the qopt always, the other attributes when the request has them
    /// (`init_crandom` starts each generator from a random `last`).
    pub(crate) fn netem_change(&mut self, q: &mut Netem, opts: &NetemOpts) {
        let o = &opts.qopt;
        q.clg = match opts.loss_model {
            None => Clg::Random,
            Some(NetemLossModel::Gi {
                p13,
                p31,
                p32,
                p14,
                p23,
            }) => Clg::FourStates {
                state: 1,
                a: [p13, p31, p32, p14, p23],
            },
            Some(NetemLossModel::Ge { p, r, h, k1 }) => Clg::GilbEll {
                state: 1,
                a: [p, r, h, k1],
            },
        };
        if let Some(d) = &opts.delay_dist {
            q.delay_dist = Some(d.clone());
        }
        if let Some(d) = &opts.slot_dist {
            q.slot_dist = Some(d.clone());
        }
        q.limit = o.limit;
        q.latency = (o.latency as i64) << PSCHED_SHIFT;
        q.jitter = (o.jitter as i64) << PSCHED_SHIFT;
        q.loss = o.loss;
        q.duplicate = o.duplicate;
        q.gap = o.gap;
        q.counter = 0;
        // For compatibility with earlier versions: a gap means 100% reordering.
        if q.gap != 0 {
            q.reorder = u32::MAX;
        }
        if let Some(c) = opts.corr {
            for (st, rho) in [
                (&mut q.delay_cor, c.delay_corr),
                (&mut q.loss_cor, c.loss_corr),
                (&mut q.dup_cor, c.dup_corr),
            ] {
                st.rho = rho;
                st.last = self.rng.next_u32();
            }
        }
        if let Some(r) = opts.reorder {
            q.reorder = r.probability;
            q.reorder_cor = CrndState {
                rho: r.correlation,
                last: self.rng.next_u32(),
            };
        }
        if let Some(c) = opts.corrupt {
            q.corrupt = c.probability;
            q.corrupt_cor = CrndState {
                rho: c.correlation,
                last: self.rng.next_u32(),
            };
        }
        if let Some(r) = opts.rate {
            q.rate = r;
        }
        if let Some(e) = opts.ecn {
            q.ecn = e;
        }
        if let Some(s) = opts.slot {
            // get_slot
            let mut c = s;
            if c.max_packets == 0 {
                c.max_packets = i32::MAX;
            }
            if c.max_bytes == 0 {
                c.max_bytes = i32::MAX;
            }
            c.dist_jitter = c.dist_jitter.abs().min(i32::MAX as i64);
            q.slot = Slot {
                config: c,
                packets_left: c.max_packets,
                bytes_left: c.max_bytes,
                slot_next: if c.min_delay | c.max_delay | c.dist_jitter != 0 {
                    self.now.0
                } else {
                    0
                },
            };
        }
        // Capping jitter to the range acceptable by tabledist().
        q.jitter = q.jitter.abs().min(i32::MAX as i64);
    }

    /// `netem_enqueue`: `NET_XMIT_DROP` for a frame over the limit (the sender sees
    /// `ENOBUFS`); a loss answers success (`NET_XMIT_SUCCESS | __NET_XMIT_BYPASS`, masked).
    pub(crate) fn netem_enqueue(&mut self, d: DevId, q: &mut Netem, skb: SkBuff) -> NetXmit {
        self.netem_enqueue_one(d, q, skb, true)
    }

    /// `loss_event`.
    fn netem_loss_event(&mut self, q: &mut Netem) -> bool {
        match &mut q.clg {
            Clg::Random => q.loss != 0 && q.loss >= get_crandom(self, &mut q.loss_cor),
            Clg::FourStates { state, a } => loss_4state(self, state, a),
            Clg::GilbEll { state, a } => loss_gilb_ell(self, state, a),
        }
    }

    /// `netem_enqueue` of one frame; `may_dup` false for the copy a duplication enqueues at
    /// the root (its `q->duplicate` is 0 meanwhile).
    fn netem_enqueue_one(
        &mut self,
        d: DevId,
        q: &mut Netem,
        mut skb: SkBuff,
        may_dup: bool,
    ) -> NetXmit {
        let mut count = 1;
        // Random duplication.
        if may_dup && q.duplicate != 0 && q.duplicate >= get_crandom(self, &mut q.dup_cor) {
            count += 1;
        }
        // Drop packet? (With ecn, an ECN-capable IPv4 packet is marked CE instead, and
        // counted as a drop all the same.)
        if self.netem_loss_event(q) {
            if q.ecn != 0 && inet_ecn_set_ce(&mut skb) {
                q.drops += 1;
            } else {
                count -= 1;
            }
        }
        if count == 0 {
            q.drops += 1;
            // The frame goes on `to_free`, freed by `kfree_skb_list` in `__dev_xmit_skb`;
            // the sender sees NET_XMIT_SUCCESS.
            self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "__dev_xmit_skb");
            return NetXmit::Success;
        }
        if count > 1 {
            // The copy goes through the root qdisc's enqueue first: its own loss draw, its
            // own delay.
            self.netem_enqueue_one(d, q, skb.clone(), false);
        }
        // Randomized packet corruption: one bit of the frame (from its link-layer header on).
        if q.corrupt != 0 && q.corrupt >= get_crandom(self, &mut q.corrupt_cor) {
            let len = skb.len();
            if len > 0 {
                let at = self.rng.next_u32() as usize % len;
                let bit = self.rng.next_u32() % 8;
                skb.data_mut()[at] ^= 1 << bit;
            }
        }
        if q.qlen() >= q.limit as usize {
            // qdisc_drop_all
            q.drops += 1;
            self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "__dev_xmit_skb");
            return NetXmit::Drop;
        }
        q.backlog += skb.len() as u64;
        if q.gap == 0 || q.counter < q.gap - 1 || q.reorder < get_crandom(self, &mut q.reorder_cor)
        {
            let mut delay = tabledist(
                self,
                q.latency,
                q.jitter,
                Some(&mut q.delay_cor),
                q.delay_dist.as_deref(),
            );
            let mut now = self.now.0 as i64;
            if q.rate != 0 {
                // The last frame in the tfifo: the later of the tree's last and the list's tail.
                let last_tree = q.t_root.keys().next_back().map(|k| k.0);
                let last_list = q.t_list.back().map(|(t, _)| *t);
                let last = match (last_tree, last_list) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
                if let Some(last) = last {
                    delay -= last as i64 - now;
                    delay = delay.max(0);
                    now = last as i64;
                }
                delay += packet_time_ns(skb.len() as u64, q.rate);
            }
            let time_to_send = (now + delay).max(0) as u64;
            q.counter = q.counter.wrapping_add(1);
            q.tfifo_enqueue(time_to_send, skb);
        } else {
            // Do re-ordering by putting one out of N packets at the front of the queue.
            q.counter = 0;
            q.head.push_front(skb);
            q.requeues += 1;
        }
        NetXmit::Success
    }

    /// `get_slot_next`: the next slot starts after a random delay, with a fresh budget.
    fn netem_get_slot_next(&mut self, q: &mut Netem, now: u64) {
        let c = q.slot.config;
        let next_delay = match q.slot_dist.as_deref() {
            None => {
                // min_delay + mul_u64_u32_shr(max_delay - min_delay, get_random_u32(), 32)
                let span = (c.max_delay - c.min_delay) as u64 as u128;
                c.min_delay + ((span * self.rng.next_u32() as u128) >> 32) as i64
            }
            Some(dist) => tabledist(self, c.dist_delay, c.dist_jitter, None, Some(dist)),
        };
        q.slot.slot_next = (now as i64 + next_delay) as u64;
        q.slot.packets_left = c.max_packets;
        q.slot.bytes_left = c.max_bytes;
    }

    /// `netem_dequeue`: the reordered frames first, then the tfifo's head when its time (and
    /// its slot) has come; otherwise the watchdog is armed for it.
    pub(crate) fn netem_dequeue(&mut self, d: DevId, q: &mut Netem) -> Option<SkBuff> {
        let now = self.now.0;
        let skb = if let Some(skb) = q.head.pop_front() {
            skb
        } else {
            let (t, from_tree) = q.peek()?;
            if q.slot.slot_next != 0 && q.slot.slot_next < t {
                self.netem_get_slot_next(q, now);
            }
            if t > now || q.slot.slot_next > now {
                let at = t.max(q.slot.slot_next);
                self.qdisc_watchdog_schedule(d, &mut q.watchdog, at);
                return None;
            }
            let skb = q.erase_head(from_tree);
            if q.slot.slot_next != 0 {
                q.slot.packets_left -= 1;
                q.slot.bytes_left = q.slot.bytes_left.wrapping_sub(skb.len() as i32);
                if q.slot.packets_left <= 0 || q.slot.bytes_left <= 0 {
                    self.netem_get_slot_next(q, now);
                }
            }
            skb
        };
        q.backlog -= skb.len() as u64;
        Some(skb)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tfifo_hands_frames_out_by_time_to_send_and_in_order_on_ties() {
        let mut q = Netem::new(0x8001_0000);
        for (t, tag) in [(50, 1u8), (30, 2), (50, 3), (10, 4), (60, 5), (30, 6)] {
            q.tfifo_enqueue(t, SkBuff::new(vec![tag]));
        }
        let mut order = Vec::new();
        while let Some((_, from_tree)) = q.peek() {
            order.push(q.erase_head(from_tree).data()[0]);
        }
        assert_eq!(order, [4, 2, 6, 1, 3, 5]);
    }

    #[test]
    fn full_correlation_repeats_the_last_number() {
        // get_crandom with rho = 2^32 - 1 (100%): rho + 1 = 2^32 gives the new value no weight,
        // so the answer is `last` forever; with rho 0 the numbers are the RNG's own.
        let mut k = Kernel::new(1);
        let mut st = CrndState {
            last: 1 << 31,
            rho: u32::MAX,
        };
        for _ in 0..100 {
            let v = get_crandom(&mut k, &mut st);
            assert_eq!(v, 1 << 31);
        }
        let mut a = Kernel::new(9);
        let mut b = Kernel::new(9);
        let mut st0 = CrndState::default();
        assert_eq!(get_crandom(&mut a, &mut st0), b.rng.next_u32());
    }

    #[test]
    fn uniform_jitter_stays_within_mu_plus_minus_sigma() {
        let mut k = Kernel::new(4);
        let mut st = CrndState::default();
        let (mut lo, mut hi) = (i64::MAX, i64::MIN);
        for _ in 0..10_000 {
            let d = tabledist(&mut k, 50_000_000, 10_000_000, Some(&mut st), None);
            lo = lo.min(d);
            hi = hi.max(d);
        }
        assert!(lo >= 40_000_000 && hi < 60_000_000, "{lo} {hi}");
        assert!(lo < 40_100_000 && hi > 59_900_000, "{lo} {hi}");
        assert_eq!(tabledist(&mut k, 7, 0, Some(&mut st), None), 7);
    }

    #[test]
    fn normal_table_gives_mean_mu_and_deviation_sigma() {
        // tabledist with iproute2's normal table: mean 50 ms, deviation 10 ms.
        let table = crate::tools::tc_netem_dist::normal();
        let mut k = Kernel::new(11);
        let n = 40_000;
        let xs: Vec<f64> = (0..n)
            .map(|_| tabledist(&mut k, 50_000_000, 10_000_000, None, Some(&table)) as f64)
            .collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
        assert!((mean - 50e6).abs() < 0.2e6, "{mean}");
        assert!((sd - 10e6).abs() < 0.3e6, "{sd}");
    }

    #[test]
    fn four_state_chain_loses_at_its_stationary_rate() {
        // p13 = 5%, p31 = 50%, others 0 (p23 = 100% unused): the chain alternates between
        // state 1 and bursts in state 3; the loss rate is p13 / (p13 + p31) = 1/11.
        let a = [
            (0.05 * u32::MAX as f64) as u32,
            (0.5 * u32::MAX as f64) as u32,
            0,
            0,
            u32::MAX,
        ];
        let mut k = Kernel::new(12);
        let mut state = 1;
        let n = 100_000;
        let lost = (0..n)
            .filter(|_| loss_4state(&mut k, &mut state, &a))
            .count();
        let rate = lost as f64 / n as f64;
        assert!((rate - 1.0 / 11.0).abs() < 0.005, "{rate}");
        // Gilbert-Elliot with p = 10%, r = 40%, h = 0 (1-h 100%: all lost in BAD), 1-k = 0:
        // the loss rate is the time in BAD, p / (p + r) = 20%.
        let g = [
            (0.1 * u32::MAX as f64) as u32,
            (0.4 * u32::MAX as f64) as u32,
            0,
            0,
        ];
        let mut state = 1;
        let lost = (0..n)
            .filter(|_| loss_gilb_ell(&mut k, &mut state, &g))
            .count();
        let rate = lost as f64 / n as f64;
        assert!((rate - 0.2).abs() < 0.01, "{rate}");
    }
}
